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

/* Adds the dotted paths of every leaf of @o to object @cols, in order (no duplicates). */
void report_columns(json_t *o, const char *prefix, json_t *cols);

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

/*
 * The results table on stdout (sim/report_table.c), of `mmsim run` (a row
 * per point as it completes) and `mmsim report`: the point, its swept
 * values, then metric columns, as an aligned table, CSV or JSON Lines.
 * Every cell comes from the point's results.json (and histograms.json for
 * the sample counts behind its percentiles).
 */
enum table_format { TABLE_TEXT, TABLE_CSV, TABLE_JSON };

struct table_spec {
	enum table_format format;
	const char
	        *columns; /* "PATH,GLOB,...": metric paths, '*' within one segment; NULL: default */
};

/* --format table|csv|json into @spec; 0 or 2 (message printed). */
int table_parse_format(struct table_spec *spec, const char *arg);

/*
 * The leaf paths of @metrics that --columns @columns names, in @metrics'
 * order (new array), or NULL and *@error (to free): an item matches a path
 * or a group above it, '*' stays within a segment.
 */
json_t *table_expand_paths(const char *columns, json_t *metrics, char **error);

/* Why --columns @columns matches no metric of @metrics (a point's, or its schema), or NULL. */
char *table_columns_error(const char *columns, json_t *metrics);

struct report_table {
	const char *out;               /* borrowed: where each point's files are */
	const struct table_spec *spec; /* borrowed; NULL: the default table */
	json_t *cols;                  /* owned, once the first row came: metric paths */
	bool ci;                       /* the columns carry intervals (replications) */
};

/*
 * Prints the row of @results (a point's results.json), the header before
 * the first, and the warnings of that point on stderr (a percentile from
 * too few samples, a group that completed nothing). @table: a struct
 * report_table (the pool's listener of points complete); @s unused.
 */
void report_table_row(void *table, const struct scenario *s, json_t *results);

/* Releases what the rows kept. */
void report_table_end(struct report_table *table);

#endif
