/*
 * runner.h - running the points of a scenario. Each replication of a point
 * runs in a worker process (SimGrid keeps one simulation per process), which
 * writes its results; the parent combines them, writes the summary and the
 * manifest, and prints a table.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdbool.h>

#include "sim/reps.h"
#include "sim/scenario.h"

struct run_options {
	const char *out;      /* output folder */
	bool quiet;           /* no table, no progress, no note of skipped points */
	bool no_lookahead;    /* every delay a SimGrid sleep (for tests and benchmarks) */
	unsigned stack_kb;    /* actor stack size */
	unsigned jobs;        /* worker processes at once (points and replications) */
	bool force;           /* run again the points already complete in out */
	bool progress;        /* a progress line on stderr (a terminal) */
	const bool *selected; /* borrowed, [nr_points]: the points to run; NULL: all */
};

/*
 * Holds OUT (sim/outdir.h: exit 1 or 2 if it cannot), runs the selected
 * points (sim/sweep.c), then writes OUT/summary.csv and
 * OUT/manifest.json: 0 when all succeeded, 1 on a run-time or I/O failure,
 * 130 if interrupted (SIGINT, SIGTERM: the finished points are kept).
 */
int runner_run(const struct scenario_set *set, const struct run_options *opt);

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

/* The table on stdout: its header, and the row of a point from its results.json. */
void runner_print_header(const struct scenario_set *set, const struct scenario *s);
void runner_print_point(const struct scenario_set *set, const struct scenario *s,
			const char *out);

#endif
