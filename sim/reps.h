/*
 * reps.h - replications of a sweep point: their seeds, the statistics over
 * them (mean and Student t confidence interval of every metric), and the
 * sequential stopping rule of "until".
 *
 * Replication r of a point runs with a base seed hashed from (scenario seed,
 * point id, r), never from the order in which workers happen to run them, so
 * the results are the same for any --jobs.
 */
#ifndef SIM_REPS_H
#define SIM_REPS_H

#include <stdbool.h>

#include <jansson.h>

#include "models/env.h"
#include "sim/scenario.h"

/* One run of a point. */
struct replication {
	unsigned index;     /* r, from 0 */
	unsigned long seed; /* base seed of its random streams (reps_seed) */
	bool alone;         /* the point's only replication: its results are the point's */
	sim_ns warmup_ns;   /* the fixed warmup_s, or the one MSER-5 detected */
};

/* The base seed of replication @r of the point @id (12 hex digits): below 2^53. */
unsigned long reps_seed(unsigned long scenario_seed, const char *id, unsigned r);

/* Replications run first, and at most (more than the first only with until). */
unsigned reps_first(const struct scenario *s);
unsigned reps_max(const struct scenario *s);

/* Half the width of the confidence interval of the mean of @n values (0 if n < 2). */
double reps_half_width(const double *values, unsigned n, double confidence);

/*
 * until: whether @n replications (values of its metric) are enough: the
 * interval of their mean is narrow enough (relative_half_width), or lies
 * entirely above or below the target (or has width 0: they all agree).
 */
bool reps_enough(const struct scenario *s, const double *values, unsigned n);

/*
 * The mean of every numeric leaf of the @n objects @metrics (same shape), and
 * the same shape with {lo, hi} per leaf: *@ci (new references).
 */
json_t *reps_aggregate(json_t *const *metrics, unsigned n, double confidence, json_t **ci);

/*
 * Writes the results.json of a point of @n >= 2 replications into @dir from
 * their results (each as loaded from its file); 0 or -1 after a message.
 */
int reps_write_point(const char *dir, const struct scenario_set *set, const struct scenario *s,
                     json_t *const *results, unsigned n);

#endif
