/*
 * stats.c - streaming duration summaries on GSL histograms.
 *
 * The bin of a value is computed directly (no search): 128 linear bins per
 * power of two, like HdrHistogram; GSL keeps the counts and inverts the
 * cumulative distribution (gsl_histogram_pdf) for the quantiles.
 */
#include <math.h>
#include <stdlib.h>

#include "sim/stats.h"

#define SUB_BITS 7
#define SUB      (1 << SUB_BITS) /* bins per power of two */
#define MAX_EXP  50              /* 2^50 ns = 13 days: the last bin takes the rest */
#define NR_BINS  ((MAX_EXP - SUB_BITS + 1) * SUB + SUB)

static size_t stats_bin(uint64_t v)
{
	int e;

	if (v < SUB)
		return (size_t)v;
	e = 63 - __builtin_clzll(v); /* v in [2^e, 2^(e+1)) */
	if (e > MAX_EXP)
		return NR_BINS - 1;
	return (size_t)(e - SUB_BITS + 1) * SUB + ((v >> (e - SUB_BITS)) & (SUB - 1));
}

static double stats_bin_low(size_t i)
{
	size_t e;

	if (i < SUB)
		return (double)i;
	e = i / SUB + SUB_BITS - 1;
	return ldexp((double)(SUB + i % SUB), (int)e - SUB_BITS);
}

static gsl_histogram *stats_hist_new(void)
{
	gsl_histogram *h = gsl_histogram_alloc(NR_BINS);
	double *range = malloc((NR_BINS + 1) * sizeof(*range));

	if (!h || !range)
		abort();
	for (size_t i = 0; i < NR_BINS; i++)
		range[i] = stats_bin_low(i);
	range[NR_BINS] = ldexp(1.0, MAX_EXP + 2);
	gsl_histogram_set_ranges(h, range, NR_BINS + 1);
	free(range);
	return h;
}

void summary_init(struct summary *s)
{
	s->count = 0;
	s->sum_ns = 0;
	s->min_ns = 0;
	s->max_ns = 0;
	s->hist = NULL;
}

void summary_release(struct summary *s)
{
	if (s->hist)
		gsl_histogram_free(s->hist);
	s->hist = NULL;
}

void summary_add(struct summary *s, sim_ns value)
{
	if (!s->hist)
		s->hist = stats_hist_new();
	if (value < 0)
		value = 0;
	if (s->count == 0 || value < s->min_ns)
		s->min_ns = value;
	if (value > s->max_ns)
		s->max_ns = value;
	s->count++;
	s->sum_ns += (double)value;
	s->hist->bin[stats_bin((uint64_t)value)] += 1;
}

void summary_merge(struct summary *into, const struct summary *from)
{
	if (from->count == 0)
		return;
	if (!into->hist)
		into->hist = stats_hist_new();
	if (into->count == 0 || from->min_ns < into->min_ns)
		into->min_ns = from->min_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	gsl_histogram_add(into->hist, from->hist);
}

double summary_mean(const struct summary *s)
{
	return s->count ? s->sum_ns / (double)s->count : 0;
}

double summary_quantile(const struct summary *s, double q)
{
	gsl_histogram_pdf *pdf;
	double v;

	if (s->count == 0)
		return 0;
	if (q >= 1)
		return (double)s->max_ns;
	pdf = gsl_histogram_pdf_alloc(NR_BINS);
	if (!pdf)
		abort();
	gsl_histogram_pdf_init(pdf, s->hist);
	v = gsl_histogram_pdf_sample(pdf, q);
	gsl_histogram_pdf_free(pdf);
	if (v < SUB) /* bins one ns wide hold a single integer value */
		v = floor(v);
	if (v < (double)s->min_ns)
		v = (double)s->min_ns;
	if (v > (double)s->max_ns)
		v = (double)s->max_ns;
	return v;
}

void summary_cdf(const struct summary *s, summary_cdf_fn fn, void *arg)
{
	double seen = 0;

	if (s->count == 0)
		return;
	for (size_t i = 0; i < NR_BINS; i++) {
		double upper;

		if (s->hist->bin[i] == 0)
			continue;
		seen += s->hist->bin[i];
		upper = i < SUB ? (double)i : s->hist->range[i + 1];
		if (upper > (double)s->max_ns)
			upper = (double)s->max_ns;
		fn(upper, seen / (double)s->count, arg);
	}
}
