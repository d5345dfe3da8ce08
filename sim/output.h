/*
 * output.h - what a run writes: OUT/points/<id>/results.json per point
 * (provenance and metrics) and OUT/summary.csv (one row per point). Every
 * file is written under a temporary name and renamed.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <jansson.h>

#include "sim/record.h"
#include "sim/reps.h"
#include "sim/scenario.h"

#define MMSIM_VERSION "0.1.0"

/*
 * The files of point @s (*@ids, to release), numbered as the kernel numbers
 * them (models/mm.h): the processes' mappings in scenario order, as the
 * runner builds them; the results name them page_lock.files.<name>.
 */
void output_file_ids(const struct scenario *s, struct file_ids *ids);

/* The shape of the records of point @s, but the threads' own (nr_threads 0, starved_ns 0). */
struct recorder_shape output_recorder_shape(const struct scenario *s);

/* The metrics of a finished point as a nested object (new reference). */
json_t *output_metrics(const struct scenario *s, const struct recorder *r, uint64_t events);

/* How every results.json is written: the same bytes for the same results. */
#define OUTPUT_JSON_REALS JSON_REAL_PRECISION(9)
#define OUTPUT_JSON_FLAGS (JSON_SORT_KEYS | JSON_INDENT(2) | OUTPUT_JSON_REALS)

/* Says on stderr which queues of a finished point saturated (checks.saturation; sim/metrics/checks.c). */
void output_warnings(const struct scenario *s, const struct recorder *r);

/* "3.32.0" (a static buffer). */
const char *output_simgrid_version(void);

/*
 * The provenance keys of a point's results.json (new reference): versions,
 * scenario {name, path, sha256, axes}, point {id, swept, index}, seed, kernel.
 */
json_t *output_provenance(const struct scenario_set *set, const struct scenario *s);

/*
 * Writes the results.json of replication @rep of point @s (and its
 * distribution files) into @dir, results.json last; 0 or -1.
 */
int output_point(const char *dir, const struct scenario_set *set, const struct scenario *s,
                 const struct replication *rep, const struct recorder *r, uint64_t events);

#endif
