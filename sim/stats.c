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

static double stats_bin_low(size_t i)
{
	size_t e;

	if (i < STATS_SUB)
		return (double)i;
	e = i / STATS_SUB + STATS_SUB_BITS - 1;
	return ldexp((double)(STATS_SUB + i % STATS_SUB), (int)e - STATS_SUB_BITS);
}

/* The bins' edges, the same for every summary: computed once. */
static const double *stats_ranges(void)
{
	static double range[STATS_NR_BINS + 1];

	if (range[STATS_NR_BINS] == 0) {
		for (size_t i = 0; i < STATS_NR_BINS; i++)
			range[i] = stats_bin_low(i);
		range[STATS_NR_BINS] = ldexp(1.0, STATS_MAX_EXP + 2);
	}
	return range;
}

static gsl_histogram *stats_hist_new(void)
{
	gsl_histogram *h = gsl_histogram_alloc(STATS_NR_BINS);

	if (!h)
		abort();
	gsl_histogram_set_ranges(h, stats_ranges(), STATS_NR_BINS + 1);
	return h;
}

void summary_init(struct summary *s)
{
	s->count = 0;
	s->sum_ns = 0;
	s->min_ns = 0;
	s->max_ns = 0;
	s->hist = NULL;
	s->run_key = 0;
	s->run_length = 0;
}

void summary_release(struct summary *s)
{
	if (s->hist)
		gsl_histogram_free(s->hist);
	s->hist = NULL;
	s->run_key = 0;
	s->run_length = 0;
}

/* 2^53: up to there every integer is a double, so sums of integers are exact. */
#define STATS_EXACT_SUM (1ULL << 53)

/*
 * @sum plus @value added @n times, one at a time in double precision, as
 * summary_add did: at once while every partial sum is an exact integer
 * (below 2^53 ns, 104 days), one by one beyond.
 */
static double summary_sum_run(double sum, sim_ns value, uint64_t n)
{
	uint64_t run, total;

	if (sum <= (double)STATS_EXACT_SUM && !__builtin_mul_overflow(n, (uint64_t)value, &run) &&
	    !__builtin_add_overflow((uint64_t)sum, run, &total) && total <= STATS_EXACT_SUM)
		return (double)total;
	while (n--)
		sum += (double)value;
	return sum;
}

/* Adds the pending run to the bins and the sum. */
static void summary_end_run(struct summary *s)
{
	sim_ns value = s->run_key - 1;

	if (s->run_length == 1) { /* varying values (a distribution): runs of one */
		s->hist->bin[stats_bin((uint64_t)value)] += 1;
		s->sum_ns += (double)value;
	} else if (s->run_length) {
		s->hist->bin[stats_bin((uint64_t)value)] += (double)s->run_length;
		s->sum_ns = summary_sum_run(s->sum_ns, value, s->run_length);
	}
	s->run_length = 0;
}

void summary_new_value(struct summary *s, sim_ns value)
{
	if (!s->hist) {
		s->hist = stats_hist_new();
		s->min_ns = INT64_MAX; /* compared with the first value alone */
	}
	summary_end_run(s);
	if (value < s->min_ns)
		s->min_ns = value;
	if (value > s->max_ns)
		s->max_ns = value;
	s->count++;
	s->run_key = value + 1;
	s->run_length = 1;
}

const gsl_histogram *summary_hist(const struct summary *s)
{
	if (s->run_length)
		summary_end_run((struct summary *)s);
	return s->hist;
}

double summary_sum(const struct summary *s)
{
	summary_hist(s);
	return s->sum_ns;
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
	into->sum_ns = summary_sum(into) + summary_sum(from); /* @into's own values first */
	gsl_histogram_add(into->hist, summary_hist(from));
}

double summary_mean(const struct summary *s)
{
	return s->count ? summary_sum(s) / (double)s->count : 0;
}

/* Quantile @q from the summary's cumulative distribution @pdf (initialised on it). */
static double summary_pdf_quantile(const struct summary *s, const gsl_histogram_pdf *pdf, double q)
{
	double v;

	if (q >= 1)
		return (double)s->max_ns;
	v = gsl_histogram_pdf_sample(pdf, q);
	if (v < STATS_SUB) /* bins one ns wide hold a single integer value */
		v = floor(v);
	if (v < (double)s->min_ns)
		v = (double)s->min_ns;
	if (v > (double)s->max_ns)
		v = (double)s->max_ns;
	return v;
}

void summary_quantiles(const struct summary *s, const double *q, double *out, unsigned n)
{
	gsl_histogram_pdf *pdf;

	if (s->count == 0) {
		for (unsigned i = 0; i < n; i++)
			out[i] = 0;
		return;
	}
	pdf = gsl_histogram_pdf_alloc(STATS_NR_BINS);
	if (!pdf)
		abort();
	gsl_histogram_pdf_init(pdf, summary_hist(s));
	for (unsigned i = 0; i < n; i++)
		out[i] = summary_pdf_quantile(s, pdf, q[i]);
	gsl_histogram_pdf_free(pdf);
}

double summary_quantile(const struct summary *s, double q)
{
	double v;

	summary_quantiles(s, &q, &v, 1);
	return v;
}

void summary_cdf(const struct summary *s, summary_cdf_fn fn, void *arg)
{
	double seen = 0;
	const gsl_histogram *h = summary_hist(s);

	if (s->count == 0)
		return;
	for (size_t i = 0; i < STATS_NR_BINS; i++) {
		double upper;

		if (h->bin[i] == 0)
			continue;
		seen += h->bin[i];
		upper = i < STATS_SUB ? (double)i : h->range[i + 1];
		if (upper > (double)s->max_ns)
			upper = (double)s->max_ns;
		fn(upper, seen / (double)s->count, arg);
	}
}
