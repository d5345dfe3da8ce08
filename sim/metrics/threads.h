/*
 * threads.h - the metric families of the thread groups (threads.<group>:
 * loop passes, response times, jobs of open groups, threads blocked at the
 * end) and of fairness (how evenly the threads wait for mmap_sem).
 */
#ifndef SIM_METRICS_THREADS_H
#define SIM_METRICS_THREADS_H

#include "sim/metrics/family.h"

struct group_stats {
	uint64_t ops;
	struct summary latency;   /* busy time of one loop pass */
	struct summary response;  /* wall time of one loop pass (a job: arrival to end) */
	struct summary lock_wait; /* mmap_sem waits of the group's threads */
	unsigned blocked;         /* threads still blocked at the end of the run */
	sim_ns blocked_max_ns;    /* ...the longest of their waits so far */
	uint64_t arrivals;        /* open group: jobs that arrived */
	uint64_t dropped;         /* ...turned away (too many in the system) */
};

struct thread_stats {
	double wait_ns; /* mmap_sem waits summed */
	uint64_t acquisitions;
};

struct thread_metrics {
	unsigned nr_groups, nr_threads;
	struct group_stats *groups; /* owned, nr_groups */
	struct thread_stats *each;  /* owned, nr_threads: the threads with stats of their own */
	sim_ns starved_ns;
	uint64_t starved; /* acquisitions that waited longer than starved_ns */
};

extern const struct metric_family thread_family, fairness_family;

/* An mmap_sem wait of @wait by a thread of @group (-1: none), thread index @thread (-1: none). */
static inline void thread_metrics_lock_wait(struct thread_metrics *m, int group, int thread,
                                            sim_ns wait)
{
	if (group >= 0)
		summary_add(&m->groups[group].lock_wait, wait);
	if (thread >= 0) {
		if (wait) /* a sum of waits >= 0 is never -0.0: adding 0 changes nothing */
			m->each[thread].wait_ns += (double)wait;
		m->each[thread].acquisitions++;
	}
	m->starved += wait > m->starved_ns;
}

struct record_ctx;
/* A task of record context @ctx is still blocked at the end, since @since. */
void recorder_blocked_at_end(struct record_ctx *ctx, sim_ns since);

#endif
