/*
 * dist.h - a time parameter: a constant or a distribution, sampled in ns.
 *
 * Every time parameter of a scenario is one of these. The numbers are kept in
 * the unit of the parameter's key (us, ms, ...) and scaled by @unit_ns when
 * sampled, so what the user wrote is what is reported back.
 */
#ifndef MODELS_DIST_H
#define MODELS_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "models/env.h"

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
	double a;          /* const value, mean, min */
	double b;          /* sd, max */
	double unit_ns;    /* ns per unit of the key (1000 for _us) */
	double *samples;   /* owned; DIST_EMPIRICAL only */
	size_t n_samples;
	char *file;        /* owned; DIST_EMPIRICAL: where the samples came from */
};

struct dist_info {
	const char *name;
	const char *params; /* as written in JSON */
	const char *doc;
};

/* The distributions, for `mmsim list`; terminated by a NULL name. */
extern const struct dist_info dist_table[];

/* One sample, in ns, rounded to the nearest ns and never negative. */
sim_ns dist_sample_ns(const struct dist *d, gsl_rng *rng);

/* The mean in ns (for documentation and load estimates). */
double dist_mean_ns(const struct dist *d);

/* A constant of @value units. */
struct dist dist_const(double value, double unit_ns);

void dist_release(struct dist *d);

#endif
