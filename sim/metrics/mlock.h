/* mlock.h - the metric family of mlock() calls. */
#ifndef SIM_METRICS_MLOCK_H
#define SIM_METRICS_MLOCK_H

#include "sim/metrics/family.h"

struct mlock_metrics {
	uint64_t calls;          /* mlock() calls ended */
	uint64_t pages;          /* pages they locked */
	struct summary duration; /* one call, start to return */
};

extern const struct metric_family mlock_family;

#endif
