/*
 * intervals.h - the time series of a run (mmsim run --interval-ms N): the
 * records folded, as they happen, into per-interval accumulators (counts,
 * sums, maxima; no per-event storage), written as intervals.csv next to the
 * run's results.json. The intervals cover the whole run: the warm-up in
 * steps of N up to its end, then the measured window in steps of N, so that
 * the rows after the warm-up add up to the totals of results.json. Off (NULL
 * in the recorder), each record costs one test.
 */
#ifndef SIM_METRICS_INTERVALS_H
#define SIM_METRICS_INTERVALS_H

#include "sim/record.h"

struct scenario;

/* More rows than this make --interval-ms too small for a point (exit 2). */
#define INTERVALS_MAX 1000000

/* The number of rows of a run of @end_ns with @warmup_ns in steps of @interval_ns. */
unsigned long long intervals_count(sim_ns interval_ns, sim_ns warmup_ns, sim_ns end_ns);

/* A series for @r (warm-up and end set) in steps of @interval_ns (> 0; else NULL). */
struct interval_series *intervals_new(const struct recorder *r, const struct recorder_shape *shape,
                                      sim_ns interval_ns);
void intervals_free(struct interval_series *is);

/*
 * Writes @is as @dir/intervals.csv, columns named after point @s's groups
 * and devices (the devices' levels run to the end first); 0 or -1.
 */
int intervals_write(struct interval_series *is, const struct scenario *s, const char *dir);

/* The records (each at the time its family bins it by), when the series is on. */
void intervals_lock_grant(struct interval_series *is, enum lock_mode mode, sim_ns request,
                          sim_ns grant);
void intervals_lock_release(struct interval_series *is, enum lock_mode mode, sim_ns grant,
                            sim_ns now);
void intervals_fault(struct interval_series *is, bool major, sim_ns now);
void intervals_iteration(struct interval_series *is, int group, sim_ns now);
void intervals_disk_complete(struct interval_series *is, int device, sim_ns now);
void intervals_disk_in_service(struct interval_series *is, int device, int in_service,
                               unsigned channels, sim_ns now);

/* The series of task @t's recorder, NULL when off: what the records test. */
static inline struct interval_series *intervals_of(struct task *t)
{
	return ((struct record_ctx *)task_owner(t))->rec->intervals;
}

#endif
