/*
 * stats.h - summaries of durations with memory that does not grow with the
 * run: count, exact mean and max, and quantiles from a log-linear histogram.
 *
 * Quantile error bound: values below 128 ns are binned to the nanosecond
 * (exact); above, each power of two is split into 128 bins, so a reported
 * quantile is within 1/128 (0.8 %) of a value of the sample at that rank
 * (GSL interpolates linearly inside the bin; results are clamped to the
 * observed min and max).
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdint.h>

#include <gsl/gsl_histogram.h>

#include "models/env.h"

struct summary {
	uint64_t count;
	double sum_ns; /* read it with summary_sum: the pending run is not in it */
	sim_ns min_ns, max_ns;
	gsl_histogram *hist; /* owned; allocated on the first value */
	/*
	 * Run-length recording: most values repeat (a trylock's zero wait, a
	 * constant hold), so the histogram bin and the sum of the last value's
	 * run are counted in run_length and added on a change (or when the bins
	 * or the sum are read: see summary_hist, summary_sum). The sum comes out
	 * bit for bit as adding each value in turn would give. count, min and
	 * max stay exact at every add.
	 */
	sim_ns run_key;      /* the last value + 1; 0: no run (all-zero summary) */
	uint64_t run_length; /* values equal to it not yet in the histogram and the sum */
};

void summary_init(struct summary *s);
void summary_release(struct summary *s);
/* Internals of summary_add, inline: it runs for every record of every event. */
#define STATS_SUB_BITS 7
#define STATS_SUB (1 << STATS_SUB_BITS) /* bins per power of two */
#define STATS_MAX_EXP 50                /* 2^50 ns = 13 days: the last bin takes the rest */
#define STATS_NR_BINS ((STATS_MAX_EXP - STATS_SUB_BITS + 1) * STATS_SUB + STATS_SUB)

static inline size_t stats_bin(uint64_t v)
{
	int e;

	if (v < STATS_SUB)
		return (size_t)v;
	e = 63 - __builtin_clzll(v); /* v in [2^e, 2^(e+1)) */
	if (e > STATS_MAX_EXP)
		return STATS_NR_BINS - 1;
	return (size_t)(e - STATS_SUB_BITS + 1) * STATS_SUB +
	       ((v >> (e - STATS_SUB_BITS)) & (STATS_SUB - 1));
}

/* A new value (not the run's): ends the run, starts one of @value (summary_add's slow path). */
void summary_new_value(struct summary *s, sim_ns value);

static inline void summary_add(struct summary *s, sim_ns value)
{
	if (value < 0)
		value = 0;
	if (value + 1 != s->run_key) {
		summary_new_value(s, value);
		return;
	}
	s->count++;
	s->run_length++;
}

/*
 * The histogram of @s with its pending run added (NULL when empty): every
 * reader of the bins goes through it. Logically const: the run's values are
 * already the summary's, only where they are counted changes.
 */
const gsl_histogram *summary_hist(const struct summary *s);
/* The sum of the values, the pending run's included (logically const, as summary_hist). */
double summary_sum(const struct summary *s);
/* Adds @from's values to @into. */
void summary_merge(struct summary *into, const struct summary *from);

/* In ns; 0 when empty. @q in [0, 1]. */
double summary_mean(const struct summary *s);
double summary_quantile(const struct summary *s, double q);
/* @n quantiles at once (@out[i] for @q[i]): one pass over the histogram. */
void summary_quantiles(const struct summary *s, const double *q, double *out, unsigned n);

/* The empirical CDF as (value_ns, fraction <= value) at each non-empty bin's upper edge. */
typedef void (*summary_cdf_fn)(double value_ns, double fraction, void *arg);
void summary_cdf(const struct summary *s, summary_cdf_fn fn, void *arg);

#endif
