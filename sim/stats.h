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
	double sum_ns;
	sim_ns min_ns, max_ns;
	gsl_histogram *hist; /* owned; allocated on the first value */
};

void summary_init(struct summary *s);
void summary_release(struct summary *s);
void summary_add(struct summary *s, sim_ns value);
/* Adds @from's values to @into. */
void summary_merge(struct summary *into, const struct summary *from);

/* In ns; 0 when empty. @q in [0, 1]. */
double summary_mean(const struct summary *s);
double summary_quantile(const struct summary *s, double q);

/* The empirical CDF as (value_ns, fraction <= value) at each non-empty bin's upper edge. */
typedef void (*summary_cdf_fn)(double value_ns, double fraction, void *arg);
void summary_cdf(const struct summary *s, summary_cdf_fn fn, void *arg);

#endif
