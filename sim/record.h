/*
 * record.h - the engine side of the records of models/env.h: every lock
 * acquisition, fault, disk request and loop iteration after the warm-up is
 * folded into summaries as it happens.
 */
#ifndef SIM_RECORD_H
#define SIM_RECORD_H

#include "models/env.h"
#include "sim/stats.h"

struct lock_stats {
	struct summary wait[2]; /* by enum lock_mode */
	struct summary hold[2];
};

struct recorder {
	sim_ns warmup_ns, end_ns;
	unsigned nr_groups, nr_mms;
	struct group_stats {
		uint64_t ops;
		struct summary latency; /* busy time of one loop pass */
	} *groups;                      /* owned */
	struct lock_stats *mm_locks;    /* owned, per process */
	struct lock_stats all_locks;
	struct {
		uint64_t major, minor, retries;
		struct summary latency;
	} faults;
	struct {
		uint64_t requests;
		struct summary latency; /* submit to completion */
		double busy_ns, area_ns; /* integrals over the window */
		sim_ns last_change;
		int in_device;
	} disk;
};

/* What each task carries for its records (its task_owner). */
struct record_ctx {
	struct recorder *rec;
	int group; /* thread group index, -1 for devices */
};

void recorder_init(struct recorder *r, unsigned nr_groups, unsigned nr_mms, sim_ns warmup_ns,
		   sim_ns end_ns);
/* Closes the time integrals at the end of the run. */
void recorder_finish(struct recorder *r);
void recorder_release(struct recorder *r);

#endif
