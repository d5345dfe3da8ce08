/* memcg.h - the metric family of memory cgroups: the charges of each. */
#ifndef SIM_METRICS_MEMCG_H
#define SIM_METRICS_MEMCG_H

#include "sim/metrics/family.h"

/* The charges of one memory cgroup. */
struct memcg_stats {
	uint64_t charges;   /* charges ended, failed ones included */
	uint64_t reclaims;  /* reclaim attempts over all charges */
	uint64_t oom_kills; /* charges that killed a victim */
	uint64_t oom_waits; /* charges that slept on the OOM wait queue */
	uint64_t failed;    /* charges that failed (VM_FAULT_OOM) */
	struct summary latency;
};

struct memcg_metrics {
	unsigned nr;
	struct memcg_stats *cg; /* owned, per cgroup id */
};

extern const struct metric_family memcg_family;

#endif
