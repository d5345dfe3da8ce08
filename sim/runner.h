/*
 * runner.h - running the points of a scenario. Each point runs in a child
 * process (SimGrid keeps one simulation per process), which writes its
 * results; the parent then writes the summary and prints a table.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdbool.h>

#include "sim/scenario.h"

struct run_options {
	const char *out;      /* output folder */
	bool quiet;           /* no table */
	bool no_lookahead;    /* every delay a SimGrid sleep (for tests and benchmarks) */
	unsigned stack_kb;    /* actor stack size */
};

/* Runs every point; 0 when all succeeded, 1 on a run-time or I/O failure. */
int runner_run(const struct scenario_set *set, const struct run_options *opt);

/* Runs one point in this process and writes its results into @dir; 0 or -1. */
int runner_point(const struct scenario_set *set, const struct scenario *s, const char *dir,
		 const struct run_options *opt);

#endif
