/*
 * manifest.h - OUT/manifest.json: what ran, how and for how long.
 *
 *   {"scenario": {name, path, sha256, axes},
 *    "points": [{id, index, swept, parameters_sha256, replications, seeds,
 *                status ("ok", "failed", "skipped": complete already),
 *                wall_s, work_s, mmsim_version, simgrid_version}, ...]}
 *
 * The only file with wall-clock times (results.json stays deterministic):
 * wall_s from the point's first work item to its end, work_s the sum over its
 * workers. Points in sweep order.
 */
#ifndef SIM_MANIFEST_H
#define SIM_MANIFEST_H

#include <jansson.h>

#include "sim/scenario.h"

/* A manifest of no point yet, for @scenario (the results' "scenario" object, copied). */
json_t *manifest_new(json_t *scenario);

/* The entry of point @s (new reference); @seeds stolen. */
json_t *manifest_point(const struct scenario *s, const char *status, json_t *seeds, double wall_s,
                       double work_s);

/* Appends @entry (stolen). */
void manifest_add(json_t *manifest, json_t *entry);

/* Writes OUT/manifest.json; 0 or -1 after a message. */
int manifest_write(const char *out, json_t *manifest);

#endif
