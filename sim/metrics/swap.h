/* swap.h - the metric family of swap-ins (the swap device's requests: devices.h). */
#ifndef SIM_METRICS_SWAP_H
#define SIM_METRICS_SWAP_H

#include "sim/metrics/family.h"

struct swap_metrics {
	uint64_t ins;             /* swap-in reads of a faulting page */
	uint64_t readahead_pages; /* other pages read with them */
	struct summary latency;   /* start to end of the read */
};

extern const struct metric_family swap_family;

#endif
