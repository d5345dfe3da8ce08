/*
 * pool.h - the worker pool of a run: the replications (and MSER-5 pilots) of
 * the selected points of a scenario, each in a worker process (sim/runner.c
 * runs it), up to --jobs at once; each point's results.json once its
 * replications are done. What a point became is handed back for the report
 * (sim/report.c); the pool writes no summary.
 */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stdbool.h>

#include "sim/runner.h"

/* What became of a point (ordered: the states past ACTIVE are the ends of a run). */
enum point_state { POINT_UNSELECTED, POINT_SKIPPED, POINT_ACTIVE, POINT_DONE, POINT_FAILED };

struct point_outcome {
	enum point_state state; /* ACTIVE: interrupted before it ended */
	unsigned reps;          /* replications started (DONE: the number kept) */
	double wall_s, work_s;  /* first start to the end; over its workers */
	json_t *results;        /* owned: its verified results.json (DONE, SKIPPED), or NULL */
};

struct pool_result {
	struct point_outcome *pts; /* owned, [nr_points] */
	bool interrupted;          /* by SIGINT or SIGTERM: the finished points are kept */
};

/*
 * Told of each point complete (run now, or complete already in OUT), in sweep
 * order, as soon as every point before it has ended (the table's rows).
 */
struct pool_listener {
	/* @results: the point's verified results.json (borrowed), NULL if it did not verify */
	void (*point_complete)(void *arg, const struct scenario *s, json_t *results);
	void *arg;
};

/* Runs the selected points of @set into opt->out; @listener may be NULL. */
void pool_run(const struct scenario_set *set, const struct run_options *opt,
              const struct pool_listener *listener, struct pool_result *res);

void pool_result_release(struct pool_result *res, unsigned nr_points);

#endif
