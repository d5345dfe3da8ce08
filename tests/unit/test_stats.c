/*
 * test_stats.c - the duration summaries of sim/stats.h against exact
 * statistics: count, mean, min and max exact; quantiles within the documented
 * bound of the exact sample quantiles (GSL on the sorted sample); values
 * below 128 ns exact; merge; the CDF.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/stats.h"
#include "tests/unit/harness.h"

#define N 100000

static double sorted[N];
static sim_ns values[N];

static const double qs[] = { 0,    0.0001, 0.001, 0.01, 0.05,  0.1,    0.25,     0.5,
	                     0.75, 0.9,    0.95,  0.99, 0.999, 0.9999, 0.999999, 1 };
#define NR_QS (sizeof(qs) / sizeof(qs[0]))

/* @n exponential durations of mean @mean_ns, rounded as dist_sample_ns does; sorted too. */
static void exp_sample(struct summary *s, size_t n, double mean_ns, unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(rng, seed);
	summary_init(s);
	for (size_t i = 0; i < n; i++) {
		values[i] = (sim_ns)floor(gsl_ran_exponential(rng, mean_ns) + 0.5);
		sorted[i] = (double)values[i];
		summary_add(s, values[i]);
	}
	gsl_sort(sorted, 1, n);
	gsl_rng_free(rng);
}

static void count_calls(double value_ns, double fraction, void *arg)
{
	(void)value_ns;
	(void)fraction;
	++*(int *)arg;
}

static void empty_summary_gives_zero(void)
{
	struct summary s, t;
	int calls = 0;

	summary_init(&s);
	summary_init(&t);
	CHECK_EQ(s.count, 0);
	CHECK(summary_mean(&s) == 0);
	CHECK(summary_quantile(&s, 0) == 0);
	CHECK(summary_quantile(&s, 0.5) == 0);
	CHECK(summary_quantile(&s, 1) == 0);
	summary_merge(&s, &t);
	CHECK_EQ(s.count, 0);
	CHECK(summary_quantile(&s, 0.5) == 0);
	summary_cdf(&s, count_calls, &calls);
	CHECK_EQ(calls, 0);
	summary_release(&s);
	summary_release(&t);
}

static void count_mean_min_max_are_exact(void)
{
	static const sim_ns v[] = { 5, 1000000, 3, 123456789, 42, 1LL << 40, 7 };
	struct summary s;
	double sum = 0;

	summary_init(&s);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		summary_add(&s, v[i]);
		sum += (double)v[i];
	}
	CHECK_EQ(s.count, 7);
	CHECK_EQ(s.min_ns, 3);
	CHECK_EQ(s.max_ns, 1LL << 40);
	CHECK(summary_mean(&s) == sum / 7);
	/* the extremes are the observed ones, not bin edges */
	CHECK(summary_quantile(&s, 0) == 3);
	CHECK(summary_quantile(&s, 1) == (double)(1LL << 40));
	summary_release(&s);
}

/*
 * stats.h: a quantile is within 1/128 of a sample value at that rank. The
 * histogram's rank is floor(q n), GSL's interpolates between ranks
 * floor(q (n - 1)) and the next, so the reported value must be within 1/128
 * of one of these two order statistics, and within 1/128 plus their gap
 * (the interpolation slack) of GSL's quantile.
 */
static void check_quantiles(const struct summary *s, size_t n)
{
	for (size_t i = 0; i < NR_QS; i++) {
		double q = qs[i], hq = summary_quantile(s, q);
		double exact = gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
		size_t lo = (size_t)floor(q * (double)(n - 1));
		size_t hi = lo + 1 < n ? lo + 1 : lo;
		double d_lo = fabs(hq - sorted[lo]), d_hi = fabs(hq - sorted[hi]);
		bool near_rank = d_lo <= sorted[lo] / 128 || d_hi <= sorted[hi] / 128;
		bool near_exact = fabs(hq - exact) <= exact / 128 + (sorted[hi] - sorted[lo]);

		if (!near_rank || !near_exact) {
			printf("  q=%g: summary %.3f, GSL %.3f, order statistics %.0f, %.0f\n", q,
			       hq, exact, sorted[lo], sorted[hi]);
			harness_failures++;
		}
		/* clamped: never outside the sample, even inside the extreme bins */
		if (hq < sorted[0] || hq > sorted[n - 1]) {
			printf("  q=%g: summary %.3f outside [%.0f, %.0f]\n", q, hq, sorted[0],
			       sorted[n - 1]);
			harness_failures++;
		}
		/* the histogram only knows the exact value of 1 ns bins below 128 */
		if (sorted[hi] < 128 && hq != sorted[lo] && hq != sorted[hi]) {
			printf("  q=%g: summary %.3f, not a sample value (%.0f, %.0f)\n", q, hq,
			       sorted[lo], sorted[hi]);
			harness_failures++;
		}
	}
	CHECK(summary_quantile(s, 0) == sorted[0]);
	CHECK(summary_quantile(s, 1) == sorted[n - 1]);
}

static void quantiles_within_bound_of_gsl_exp_1ms(void)
{
	struct summary s;

	exp_sample(&s, N, 1e6, 1);
	check_quantiles(&s, N);
	summary_release(&s);
}

/* Most values in the exact bins and the first log-linear octaves. */
static void quantiles_within_bound_of_gsl_exp_200ns(void)
{
	struct summary s;

	exp_sample(&s, N, 200, 2);
	CHECK(sorted[N / 2] < 200 && sorted[N - 1] > 1000); /* the sample spans both */
	check_quantiles(&s, N);
	summary_release(&s);
}

/* Large values (hours): 2^42 ns and up, far from the first octaves. */
static void quantiles_within_bound_of_gsl_exp_1h(void)
{
	struct summary s;

	exp_sample(&s, N, 3600.0 * NS_PER_S, 3);
	check_quantiles(&s, N);
	summary_release(&s);
}

/*
 * The worst case for interpolation inside a bin: point masses at the low and
 * the high end of bins, in many octaves. At every rank r (q = (r + 1/2) / n,
 * away from rank boundaries) the quantile is within 1/128 of the r-th value.
 */
static void quantiles_within_bound_for_point_masses(void)
{
	struct summary s;
	size_t n = 0;

	summary_init(&s);
	for (int e = 8; e <= 44; e += 4)
		for (int k = 0; k < 50; k++) {
			sorted[n++] = (double)(1LL << e);
			sorted[n++] = (double)((1LL << (e + 1)) - 1);
			summary_add(&s, 1LL << e);
			summary_add(&s, (1LL << (e + 1)) - 1);
		}
	gsl_sort(sorted, 1, n);
	for (size_t r = 0; r < n; r++) {
		double q = ((double)r + 0.5) / (double)n, hq = summary_quantile(&s, q);

		if (fabs(hq - sorted[r]) > sorted[r] / 128) {
			printf("  q=%g (rank %zu): %.3f, sample %.0f, error %.5f\n", q, r, hq,
			       sorted[r], fabs(hq - sorted[r]) / sorted[r]);
			harness_failures++;
			break;
		}
	}
	summary_release(&s);
}

/* Below 128 ns every rank gives exactly the sample value at that rank. */
static void values_below_128ns_are_exact(void)
{
	struct summary s;
	size_t n = 0;

	summary_init(&s);
	for (int v = 0; v < 128; v++)
		for (int k = 0; k <= v % 5; k++) {
			sorted[n++] = v;
			summary_add(&s, v);
		}
	for (size_t r = 0; r < n; r++) {
		double q = ((double)r + 0.5) / (double)n, hq = summary_quantile(&s, q);

		if (hq != sorted[r]) {
			printf("  q=%g (rank %zu): %.3f, expected %.0f\n", q, r, hq, sorted[r]);
			harness_failures++;
		}
	}
	CHECK(summary_mean(&s) == gsl_stats_mean(sorted, 1, n));
	summary_release(&s);
}

static void summary_merge_equals_adding_all(void)
{
	struct summary all, part[3], into, empty;

	exp_sample(&all, N, 1e6, 4);
	for (int p = 0; p < 3; p++)
		summary_init(&part[p]);
	summary_init(&into);
	/* part 2 takes the largest values, part 0 the smallest: min and max come from different parts */
	for (size_t i = 0; i < N; i++) {
		int p = values[i] > 3000000 ? 2 : values[i] < 1000 ? 0 : 1 + (int)(i % 2);

		summary_add(&part[p], values[i]);
	}
	summary_merge(&into, &part[1]);
	summary_merge(&into, &part[2]);
	summary_merge(&into, &part[0]);
	summary_init(&empty);
	summary_merge(&into, &empty); /* a no-op */
	CHECK_EQ(into.count, all.count);
	CHECK(summary_sum(&into) ==
	      summary_sum(&all)); /* integer sums below 2^53: exact in any order */
	CHECK_EQ(into.min_ns, all.min_ns);
	CHECK_EQ(into.max_ns, all.max_ns);
	CHECK(summary_mean(&into) == summary_mean(&all));
	for (size_t i = 0; i < summary_hist(&all)->n; i++)
		if (summary_hist(&into)->bin[i] != summary_hist(&all)->bin[i]) {
			printf("  bin %zu: %g, expected %g\n", i, summary_hist(&into)->bin[i],
			       summary_hist(&all)->bin[i]);
			harness_failures++;
			break;
		}
	for (size_t i = 0; i < NR_QS; i++)
		CHECK(summary_quantile(&into, qs[i]) == summary_quantile(&all, qs[i]));
	for (int p = 0; p < 3; p++)
		summary_release(&part[p]);
	summary_release(&into);
	summary_release(&all);
}

struct cdf_points {
	size_t n;
	double value[8192], fraction[8192];
};

static void cdf_collect(double value_ns, double fraction, void *arg)
{
	struct cdf_points *c = arg;

	if (c->n < 8192) {
		c->value[c->n] = value_ns;
		c->fraction[c->n] = fraction;
	}
	c->n++;
}

/* How many sample values are < @v (or <= @v with @inclusive). */
static size_t count_below(const double *s, size_t n, double v, bool inclusive)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid] < v || (inclusive && s[mid] == v))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Monotone, ends at (max, 1.0), and each point lies on the true empirical
 * CDF's step at its value: F(v-) <= fraction <= F(v).
 */
static void summary_cdf_is_monotone_and_ends_at_one(void)
{
	static struct cdf_points c;
	struct summary s;

	exp_sample(&s, N, 200, 5);
	c.n = 0;
	summary_cdf(&s, cdf_collect, &c);
	CHECK(c.n > 1 && c.n <= 8192);
	if (c.n < 2 || c.n > 8192)
		return;
	CHECK(c.value[0] >= (double)s.min_ns);
	CHECK(c.fraction[0] > 0);
	for (size_t i = 1; i < c.n; i++) {
		CHECK(c.value[i] >= c.value[i - 1]);
		CHECK(c.fraction[i] > c.fraction[i - 1]);
	}
	CHECK(c.fraction[c.n - 1] == 1.0);
	CHECK(c.value[c.n - 1] == (double)s.max_ns);
	for (size_t i = 0; i < c.n; i++) {
		double below = (double)count_below(sorted, N, c.value[i], false) / N;
		double upto = (double)count_below(sorted, N, c.value[i], true) / N;

		if (c.fraction[i] < below || c.fraction[i] > upto) {
			printf("  cdf(%g) = %g, sample: %g..%g\n", c.value[i], c.fraction[i], below,
			       upto);
			harness_failures++;
			break;
		}
	}
	summary_release(&s);
}

/*
 * Runs of equal values (recorded as a run length, added to the histogram on
 * a change or a read) count in the bins as if added one by one; a summary of
 * all zero bytes (calloc) starts with no run, even for a first value of 0.
 */
static void repeated_values_count_in_their_bins(void)
{
	static const sim_ns run_values[] = { 0, 0, 0, -5, 7, 7, 200, 200, 200, 0, 200, 1000000 };
	static double expect[STATS_NR_BINS];
	struct summary s, copy;
	const gsl_histogram *h;
	double sum = 0;

	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < sizeof(run_values) / sizeof(run_values[0]); i++) {
		sim_ns v = run_values[i] < 0 ? 0 : run_values[i];

		summary_add(&s, run_values[i]);
		expect[stats_bin((uint64_t)v)] += 1;
		sum += (double)v;
	}
	CHECK_EQ(s.count, 12);
	CHECK(summary_sum(&s) == sum);
	CHECK_EQ(s.min_ns, 0);
	CHECK_EQ(s.max_ns, 1000000);
	summary_add(&s, 1000000); /* a pending run at the read */
	expect[stats_bin(1000000)] += 1;
	h = summary_hist(&s);
	for (size_t i = 0; i < STATS_NR_BINS; i++)
		if (h->bin[i] != expect[i]) {
			printf("  bin %zu: %g, expected %g\n", i, h->bin[i], expect[i]);
			harness_failures++;
			break;
		}
	CHECK(summary_quantile(&s, 0.5) == 7); /* 5 of 13 values are 0, 2 are 7 */
	summary_add(&s, 1000000);              /* a run continued after a read */
	summary_init(&copy);
	summary_merge(&copy, &s);
	CHECK_EQ(copy.count, 14);
	CHECK(summary_hist(&copy)->bin[stats_bin(1000000)] == 3);
	summary_release(&copy);
	summary_release(&s);
}

/*
 * The sum of a run is added when the run ends: bit for bit what adding each
 * value in turn gives, past 2^53 ns too, where doubles round (a run of
 * 2^52 + 1 lands on odd integers, rounded to even), and around a read.
 */
static void run_sums_equal_one_by_one_adds(void)
{
	const sim_ns big = (1LL << 52) + 1;
	struct summary s;
	double sum = 0;

	summary_init(&s);
	for (int i = 0; i < 5; i++) {
		summary_add(&s, big);
		sum += (double)big;
		if (i == 2)
			CHECK(summary_sum(&s) == sum);
	}
	summary_add(&s, 3);
	sum += 3.0;
	summary_add(&s, 3);
	sum += 3.0;
	CHECK((uint64_t)sum != 5 * (uint64_t)big + 6); /* the values past 2^53 did round */
	CHECK(summary_sum(&s) == sum);
	CHECK(summary_mean(&s) == sum / 7);
	summary_release(&s);
}

int main(void)
{
	TEST(empty_summary_gives_zero);
	TEST(count_mean_min_max_are_exact);
	TEST(quantiles_within_bound_of_gsl_exp_1ms);
	TEST(quantiles_within_bound_of_gsl_exp_200ns);
	TEST(quantiles_within_bound_of_gsl_exp_1h);
	TEST(quantiles_within_bound_for_point_masses);
	TEST(values_below_128ns_are_exact);
	TEST(summary_merge_equals_adding_all);
	TEST(summary_cdf_is_monotone_and_ends_at_one);
	TEST(repeated_values_count_in_their_bins);
	TEST(run_sums_equal_one_by_one_adds);
	return harness_failures != 0;
}
