/*
 * record.h - the engine side of the records of models/env.h: every lock
 * acquisition, page-lock hold and wait, fault, memcg charge, swap-in, disk
 * request and loop iteration after the warm-up is folded into summaries as it
 * happens. Each metric family (sim/metrics/) keeps its state in the recorder.
 */
#ifndef SIM_RECORD_H
#define SIM_RECORD_H

#include "models/env.h"
#include "sim/engine.h"
#include "sim/metrics/devices.h"
#include "sim/metrics/faults.h"
#include "sim/metrics/kvm.h"
#include "sim/metrics/locks.h"
#include "sim/metrics/memcg.h"
#include "sim/metrics/mlock.h"
#include "sim/metrics/page_lock.h"
#include "sim/metrics/swap.h"
#include "sim/metrics/threads.h"
#include "sim/mser.h"

struct interval_series; /* sim/metrics/intervals.h */

/* How many of each thing the records of a run refer to (their ids are indexes). */
struct recorder_shape {
	unsigned nr_groups;  /* thread groups */
	unsigned nr_mms;     /* process ids (mm_id) */
	unsigned nr_files;   /* file ids, besides the swap cache's SWAP_FILE_ID */
	unsigned nr_memcgs;  /* memory cgroup ids */
	unsigned nr_threads; /* threads with stats of their own (fairness); 0: none */
	sim_ns starved_ns;   /* an acquisition waiting longer is "starved" */
};

struct recorder {
	sim_ns warmup_ns, end_ns;
	struct mser_series *series; /* borrowed, NULL but in a warm-up pilot: every iteration */
	struct interval_series *intervals; /* borrowed, NULL but with --interval-ms */
	/* the families' state, each owned and handled by its sim/metrics/ file */
	struct thread_metrics threads;
	struct lock_metrics locks;
	struct fault_metrics faults;
	struct page_lock_metrics page_locks;
	struct memcg_metrics memcgs;
	struct swap_metrics swap;
	struct mlock_metrics mlock;
	struct kvm_metrics kvm;
	struct device_stats devices[DISK_DEVICES];
};

/* What each task carries for its records (its task_owner). */
struct record_ctx {
	struct recorder *rec;
	int group;  /* thread group index, -1 for devices */
	int thread; /* index into the recorder's threads, -1: no stats of its own */
};

/* The families, in the order of their init, totals and output; NULL-terminated. */
extern const struct metric_family *const metric_families[];

void recorder_init(struct recorder *r, const struct recorder_shape *shape, sim_ns warmup_ns,
                   sim_ns end_ns);
/*
 * After the run: fills the totals (all processes, every site, all files, all
 * faults; recorded only at their finest grain) from the detailed records.
 * Once, after the last record.
 */
void recorder_totals(struct recorder *r);
/* Closes the time integrals at the end of the run, then recorder_totals(). */
void recorder_finish(struct recorder *r);
void recorder_release(struct recorder *r);

/* The recorder of the task @t if @when is after the warm-up, else NULL. */
static inline struct recorder *record_get(struct task *t, sim_ns when)
{
	struct record_ctx *c = task_owner(t);

	return when >= c->rec->warmup_ns ? c->rec : NULL;
}

#endif
