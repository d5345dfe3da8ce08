/*
 * report.h - what a run reports once its worker pool is done (sim/run.c calls
 * it): OUT/summary.csv, OUT/manifest.json, the Universal Scalability Law fit
 * (sim/usl.c) and the exit status; and the table on stdout, its rows printed
 * as the pool tells of the points complete.
 *
 * OUT/summary.csv is rebuilt from the points' results.json files alone (so
 * that `mmsim merge` writes the same bytes as a run):
 *
 *   point, the swept paths, replications, [warmup.detected_s], then every
 *   metric M as its dotted path (the mean over the replications), each
 *   followed by M.ci_lo and M.ci_hi when a point has two replications or more
 *   (empty fields for the points of one).
 *
 * One row per point present, in sweep order; absent points have none.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "sim/pool.h"
#include "sim/scenario.h"

/* A value as a summary.csv cell: numbers %.9g, strings bare, objects as quoted JSON. */
void report_value(FILE *f, json_t *v);

/* Writes OUT/summary.csv of @results (an array, in sweep order) over @axes; 0 or -1. */
int report_summary(const char *out, json_t *axes, json_t *results);

/* The same for the points of @set present in @out; 0 or -1. */
/* @res: the pool's results of the points it handled (NULL: every point read from OUT). */
int report_summary_run(const char *out, const struct scenario_set *set,
                       const struct pool_result *res);

/*
 * After the pool of a run of @set into @out: summary.csv and manifest.json,
 * then, unless interrupted, usl.csv (its lines on stdout unless @quiet). 0,
 * 1 if a point failed or a file could not be written, 130 if interrupted.
 */
int report_run(const char *out, const struct scenario_set *set, const struct pool_result *res,
               bool quiet);

/* The table on stdout: its header; then each point's row, from OUT/points/ID/results.json. */
struct report_table {
	const struct scenario_set *set; /* borrowed */
	const char *out;                /* borrowed */
};

void report_table_header(const struct report_table *table);

/* @table: a struct report_table (the pool's listener of points complete). */
void report_table_row(void *table, const struct scenario *s, json_t *results);

#endif
