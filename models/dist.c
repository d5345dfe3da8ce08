/*
 * dist.c - sampling of time parameters with GSL (gsl_ran_*).
 *
 * Rounding: floor(x * unit_ns + 0.5), as in the seedbench reference, so a
 * constant parameter gives exactly the nanoseconds the user wrote.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "models/dist.h"

/* clang-format off */
const struct dist_info dist_table[] = {
	[DIST_CONST]     = { "const",     "value", NULL,  "always the same value (a bare number means this)" },
	[DIST_EXP]       = { "exp",       "mean",  NULL,  "exponential with the given mean" },
	[DIST_UNIFORM]   = { "uniform",   "min",   "max", "uniform on [min, max]" },
	[DIST_NORMAL]    = { "normal",    "mean",  "sd",  "normal, truncated at 0 (negative draws are redrawn)" },
	[DIST_LOGNORMAL] = { "lognormal", "mean",  "sd",  "lognormal with the given mean and standard deviation" },
	[DIST_EMPIRICAL] = { "empirical", "file",  NULL,  "uniform draw among the numbers in a text file (one per line in the key's unit, '#' comments), or among the latencies of an fio latency log (--write_lat_log)" },
	{ NULL, NULL, NULL, NULL },
};
/* clang-format on */

static double dist_sample_units(const struct dist *d, gsl_rng *rng)
{
	double x, s2, mu;

	switch (d->kind) {
	case DIST_CONST:
		return d->a;
	case DIST_EXP:
		return gsl_ran_exponential(rng, d->a);
	case DIST_UNIFORM:
		return gsl_ran_flat(rng, d->a, d->b);
	case DIST_NORMAL:
		do
			x = d->a + gsl_ran_gaussian_ziggurat(rng, d->b);
		while (x < 0);
		return x;
	case DIST_LOGNORMAL:
		/* parameters of the underlying normal from the mean and sd */
		s2 = log1p((d->b * d->b) / (d->a * d->a));
		mu = log(d->a) - s2 / 2;
		return gsl_ran_lognormal(rng, mu, sqrt(s2));
	case DIST_EMPIRICAL:
		return d->samples[gsl_rng_uniform_int(rng, d->n_samples)];
	}
	abort();
}

sim_ns dist_sample_random_ns(const struct dist *d, gsl_rng *rng)
{
	return dist_units_ns(d, dist_sample_units(d, rng));
}

void dist_ready(struct dist *d)
{
	d->const_ns = d->kind == DIST_CONST ? dist_units_ns(d, d->a) : 0;
}

double dist_mean_ns(const struct dist *d)
{
	double sum = 0;

	switch (d->kind) {
	case DIST_UNIFORM:
		return (d->a + d->b) / 2 * d->unit_ns;
	case DIST_EMPIRICAL:
		for (size_t i = 0; i < d->n_samples; i++)
			sum += d->samples[i];
		return sum / (double)d->n_samples * d->unit_ns;
	default: /* truncation of the normal is ignored here */
		return d->a * d->unit_ns;
	}
}

struct dist dist_const(double value, double unit_ns)
{
	struct dist d = { .kind = DIST_CONST, .a = value, .unit_ns = unit_ns };

	dist_ready(&d);
	return d;
}

void dist_release(struct dist *d)
{
	free(d->samples);
	free(d->file);
	d->file = NULL;
	d->samples = NULL;
	d->n_samples = 0;
}
