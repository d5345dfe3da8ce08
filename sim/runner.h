/*
 * runner.h - running one replication of a point. Each runs in a worker
 * process of the pool (sim/pool.c; SimGrid keeps one simulation per
 * process), which writes its results; the stages of a run: sim/run.c.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdbool.h>

#include "sim/reps.h"
#include "sim/scenario.h"

struct table_spec;
struct trace_options;

struct run_options {
	const char *out;      /* output folder */
	bool quiet;           /* no table, no progress, no note of skipped points */
	bool no_lookahead;    /* every delay a SimGrid sleep (for tests and benchmarks) */
	unsigned stack_kb;    /* actor stack size */
	unsigned jobs;        /* worker processes at once (points and replications) */
	bool force;           /* run again the points already complete in out */
	sim_ns interval_ns;   /* --interval-ms: each run's intervals.csv in steps of it; 0: none */
	bool progress;        /* a progress line on stderr (a terminal) */
	const bool *selected; /* borrowed, [nr_points]: the points to run; NULL: all */

	/* borrowed: the table's format and columns (sim/report.h); NULL: the default table */
	const struct table_spec *table;

	/* borrowed: the timeline of one point (sim/trace.h); NULL: none */
	const struct trace_options *trace;
};

/*
 * Runs replication @rep of point @s in this process (SimGrid allows one
 * simulation per process: call it in a child) and writes its results into
 * @dir; 0 or -1.
 */
int runner_point(const struct scenario_set *set, const struct scenario *s,
                 const struct replication *rep, const char *dir, const struct run_options *opt);

/*
 * The MSER-5 pilot of point @s (in a child too): a run with @seed and no
 * warm-up that records every loop iteration; *@warmup_ns the warm-up found.
 */
int runner_pilot(const struct scenario *s, unsigned long seed, const struct run_options *opt,
                 sim_ns *warmup_ns);

#endif
