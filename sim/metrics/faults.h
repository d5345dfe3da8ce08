/* faults.h - the metric family of page faults: per process, and all. */
#ifndef SIM_METRICS_FAULTS_H
#define SIM_METRICS_FAULTS_H

#include "sim/metrics/family.h"

struct fault_stats {
	uint64_t major, minor, retries;
	uint64_t vma_lock[VMA_LOCK_OUTCOMES]; /* attempts under the per-VMA lock, by outcome */
	struct summary latency;
};

struct fault_metrics {
	unsigned nr_mms;
	struct fault_stats *mm; /* owned, per process: recorded */
	struct fault_stats all; /* the totals */
};

extern const struct metric_family fault_family;

#endif
