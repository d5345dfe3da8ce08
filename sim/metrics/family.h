/*
 * family.h - a metric family: one kind of record (locks, faults, swap...)
 * with its state in struct recorder, its record_* functions (the engine
 * side of models/env.h), and its part of results.json. The recorder and
 * the output walk the table of families (metric_families, sim/record.c)
 * for what is done once per run; the records themselves are plain calls.
 */
#ifndef SIM_METRICS_FAMILY_H
#define SIM_METRICS_FAMILY_H

#include <stdbool.h>

#include <jansson.h>

#include "models/env.h"
#include "sim/json_path.h"
#include "sim/stats.h"

struct recorder;
struct recorder_shape;
struct scenario;

/* What the output of a family reads. */
struct metric_output {
	const struct scenario *s;
	const struct recorder *r;
	double window_s; /* the measured time: duration less warm-up */
};

/* A row of the README's table of metrics (`mmsim list`): cells as Markdown, backticks included. */
struct metric_doc {
	const char *metric; /* the dotted path, `*` and `<group>` for the variable parts */
	const char *meaning;
};

struct metric_family {
	const char *name;
	/* The metrics it outputs, documented; ends with a { NULL } row. */
	const struct metric_doc *docs;
	/* Sizes and empties the family's state in @r (all zeroes before). */
	void (*init)(struct recorder *r, const struct recorder_shape *shape);
	void (*release)(struct recorder *r);
	/* After the run: closes the time integrals at its end (NULL: none). */
	void (*finish)(struct recorder *r);
	/* After the last record: what is derived from the records (NULL: none). */
	void (*totals)(struct recorder *r);
	/* Adds the family's metrics to @m (NULL: none). */
	void (*output)(json_t *m, const struct metric_output *o);
};

/* The time integral of a level (tasks waiting, holding, in a device) over the window. */
struct level_integral {
	long level;       /* now */
	sim_ns last;      /* the last change */
	double area_ns;   /* the integral over [warm-up, last] */
	long level_start; /* at the warm-up's end (once @started) */
	bool started;
};

/* "read", "write": by enum lock_mode, as the results spell them. */
extern const char *const lock_mode_names[2];

/* A summary as { mean, p50, p90, p99, p999, max } in microseconds (new reference). */
json_t *summary_json(const struct summary *s);

#endif
