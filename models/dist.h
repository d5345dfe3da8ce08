/*
 * dist.h - a time parameter: a constant or a distribution, sampled in ns.
 *
 * Every time parameter of a scenario is one of these. The numbers are kept in
 * the unit of the parameter's key (us, ms, ...) and scaled by @unit_ns when
 * sampled, so what the user wrote is what is reported back.
 */
#ifndef MODELS_DIST_H
#define MODELS_DIST_H

#include <math.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "models/env.h"

/* Each kind has its row in dist_table[] (its name and keys in JSON). */
enum dist_kind {
	DIST_CONST,     /* value */
	DIST_EXP,       /* mean */
	DIST_UNIFORM,   /* min, max */
	DIST_NORMAL,    /* mean, sd; truncated at 0 by redrawing */
	DIST_LOGNORMAL, /* mean, sd of the variable itself (not of its log) */
	DIST_EMPIRICAL, /* samples drawn uniformly from a file */
};

struct dist {
	enum dist_kind kind;
	double a;        /* const value, mean, min */
	double b;        /* sd, max */
	double unit_ns;  /* ns per unit of the key (1000 for _us) */
	sim_ns const_ns; /* DIST_CONST: the value in ns (dist_ready) */
	double *samples; /* owned; DIST_EMPIRICAL only */
	size_t n_samples;
	char *file; /* owned; DIST_EMPIRICAL: where the samples came from */
};

/* A distribution as written in JSON: {"dist": name, a: ..., b: ...}. */
struct dist_info {
	const char *name;
	const char *a, *b; /* the keys of struct dist's a and b; b NULL if unused */
	const char *doc;
};

/*
 * The distributions, indexed by enum dist_kind and terminated by a NULL name:
 * the one list the scenario parser, the resolved parameters and `mmsim list` read.
 */
extern const struct dist_info dist_table[];

/* A random sample of a distribution other than DIST_CONST: see dist_sample_ns. */
sim_ns dist_sample_random_ns(const struct dist *d, gsl_rng *rng);

/* Far beyond any run (1e7 s), with room left to add it to a clock. */
#define DIST_MAX_NS 4e18

/* @units of @d's unit to whole ns: rounded, never negative, never past DIST_MAX_NS. */
static inline sim_ns dist_units_ns(const struct dist *d, double units)
{
	double x = floor(units * d->unit_ns + 0.5);

	/* a heavy tail may pass INT64_MAX, where the conversion is undefined */
	if (!(x > 0)) /* NaN too */
		return 0;
	return x < DIST_MAX_NS ? (sim_ns)x : (sim_ns)DIST_MAX_NS;
}

/*
 * One sample, in ns, rounded to the nearest ns and never negative. Inline:
 * most time parameters are constants or exponentials, sampled on every
 * simulated delay; the exponential is gsl_ran_exponential's own formula
 * (the same numbers), without its call and the dispatch on the kind.
 */
static inline sim_ns dist_sample_ns(const struct dist *d, gsl_rng *rng)
{
	if (d->kind == DIST_CONST)
		return d->const_ns;
	if (d->kind == DIST_EXP)
		return dist_units_ns(d, -d->a * log1p(-gsl_rng_uniform(rng)));
	return dist_sample_random_ns(d, rng);
}

/* Precomputes what sampling needs (the constant's ns); after any change of @d. */
void dist_ready(struct dist *d);

/* The mean in ns (for documentation and load estimates). */
double dist_mean_ns(const struct dist *d);

/* A constant of @value units. */
struct dist dist_const(double value, double unit_ns);

void dist_release(struct dist *d);

#endif
