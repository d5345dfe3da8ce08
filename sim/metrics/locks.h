/*
 * locks.h - the metric family of mmap_sem: waits and holds by mode, per
 * process and call site, the levels of waiters and holders over time, and
 * what the rwsem policy did besides FIFO grants.
 */
#ifndef SIM_METRICS_LOCKS_H
#define SIM_METRICS_LOCKS_H

#include "models/rwsem.h"
#include "sim/metrics/family.h"

/* The waits and holds of one call site of mmap_sem (enum lock_site). */
struct lock_site_stats {
	struct summary wait[2]; /* by enum lock_mode */
	struct summary hold[2];
};

struct lock_stats {
	struct summary wait[2]; /* by enum lock_mode */
	struct summary hold[2];
	struct lock_site_stats *sites; /* owned, [SITE_COUNT]: by call site */
};

struct lock_metrics {
	unsigned nr_mms;
	/* recorded: per process by site; the rest by the totals */
	struct lock_stats *mm; /* owned, per process */
	struct lock_stats all;
	/*
	 * Every process's mmap_sem: tasks waiting for it, readers, writers
	 * holding it (set by the runner from the models' levels, see
	 * recorder_lock_levels).
	 */
	struct level_integral waiting, readers, writers;
	struct {
		uint64_t steals, handoffs, spins_won;
		struct summary spin; /* each optimistic spin, won or lost */
	} rwsem;
};

extern const struct metric_family lock_family;

struct recorder;
/*
 * The window's integrals of the lock levels: @start_area (the area up to the
 * warm-up's end) and @start_value (the levels then), @end_area and
 * @end_value at the run's end, each { waiting, readers, writers }.
 */
void recorder_lock_levels(struct recorder *r, const double start_area[3], const long start_value[3],
                          const double end_area[3], const long end_value[3]);

#endif
