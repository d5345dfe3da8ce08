/*
 * schema.h - which metric paths a point's results.json holds, known before
 * any run: until.metric and plan's --target are checked against it when
 * the scenario loads.
 */
#ifndef SIM_METRICS_SCHEMA_H
#define SIM_METRICS_SCHEMA_H

#include <jansson.h>

#include "sim/scenario.h"

/*
 * Why @path is not one number of the metrics of point @s ("unknown metric
 * ...", or "... names a group of metrics ..."), or NULL (new string).
 */
char *metric_path_error(const struct scenario *s, const char *path);

/* The metrics of point @s, all zero: every path it will have (new reference). */
json_t *metric_zeroes(const struct scenario *s);

#endif
