/*
 * report.h - OUT/summary.csv, rebuilt from the points' results.json files
 * alone (so that `mmsim merge` writes the same bytes as a run):
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

#include "sim/scenario.h"

/* A value as a summary.csv cell: numbers %.9g, strings bare, objects as quoted JSON. */
void report_value(FILE *f, json_t *v);

/* Writes OUT/summary.csv of @results (an array, in sweep order) over @axes; 0 or -1. */
int report_summary(const char *out, json_t *axes, json_t *results);

/* The same for the points of @set present in @out; 0 or -1. */
int report_summary_run(const char *out, const struct scenario_set *set);

#endif
