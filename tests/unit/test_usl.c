/*
 * test_usl.c - the Universal Scalability Law fit (sim/usl.h): parameters
 * recovered from exact and from noisy throughput of known sigma and kappa,
 * the linear and the Amdahl (kappa = 0) cases, too few or bad points; and
 * usl_report on a scenario's summary.csv (tests/plot/usl*.json fixtures):
 * one fit per series, the axis forms, usl.csv. Pure C: no simulation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/csv.h"
#include "sim/usl.h"
#include "sim/util.h"
#include "tests/unit/harness.h"

#define CHECK_NEAR(a, b, tol)                                                                      \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (tol))) {                                                   \
			printf("  %s:%d: %s == %.9g, expected %.9g +- %g\n", __FILE__, __LINE__,   \
			       #a, a_, b_, (double)(tol));                                         \
			harness_failures++;                                                        \
		}                                                                                  \
	} while (0)

static double usl_x(double lambda, double sigma, double kappa, double n)
{
	return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

static const double counts[] = { 1, 2, 4, 8, 16, 24, 32, 48, 64 };
#define NR_COUNTS (sizeof(counts) / sizeof(counts[0]))

static void exact_data_gives_the_parameters(void)
{
	double x[NR_COUNTS];
	struct usl_fit fit;

	for (size_t i = 0; i < NR_COUNTS; i++)
		x[i] = usl_x(1000, 0.05, 0.001, counts[i]);
	CHECK_EQ(usl_fit(counts, x, NR_COUNTS, &fit), 0);
	CHECK_NEAR(fit.lambda, 1000, 1e-6);
	CHECK_NEAR(fit.sigma, 0.05, 1e-9);
	CHECK_NEAR(fit.kappa, 0.001, 1e-11);
	CHECK_NEAR(fit.n_star, sqrt(0.95 / 0.001), 1e-6);
	CHECK_NEAR(fit.x_star, usl_x(1000, 0.05, 0.001, sqrt(0.95 / 0.001)), 1e-6);
	CHECK_NEAR(fit.r2, 1, 1e-12);
	CHECK_EQ(fit.points, NR_COUNTS);
}

/* 3 % normal noise on 4 replications of each count: the parameters within their noise. */
static void noisy_data_gives_the_parameters_nearly(void)
{
	double n[4 * NR_COUNTS], x[4 * NR_COUNTS];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct usl_fit fit;

	gsl_rng_set(rng, 6);
	for (size_t i = 0; i < 4 * NR_COUNTS; i++) {
		n[i] = counts[i % NR_COUNTS];
		x[i] = usl_x(2e4, 0.08, 0.0004, n[i]) * (1 + gsl_ran_gaussian(rng, 0.03));
	}
	CHECK_EQ(usl_fit(n, x, 4 * NR_COUNTS, &fit), 0);
	CHECK_NEAR(fit.lambda, 2e4, 2e4 * 0.05);
	CHECK_NEAR(fit.sigma, 0.08, 0.02);
	CHECK_NEAR(fit.kappa, 0.0004, 0.0002);
	CHECK_NEAR(fit.n_star, sqrt(0.92 / 0.0004), 15);
	CHECK(fit.r2 > 0.95 && fit.r2 < 1);
	gsl_rng_free(rng);
}

/* X = lambda N: no contention, no crosstalk; the peak is at infinity. */
static void linear_data_gives_zero_sigma_and_kappa(void)
{
	double x[NR_COUNTS];
	struct usl_fit fit;

	for (size_t i = 0; i < NR_COUNTS; i++)
		x[i] = 500 * counts[i];
	CHECK_EQ(usl_fit(counts, x, NR_COUNTS, &fit), 0);
	CHECK_NEAR(fit.lambda, 500, 1e-6);
	CHECK(fit.sigma == 0);
	CHECK(fit.kappa == 0);
	CHECK(isinf(fit.n_star) && isinf(fit.x_star));
	CHECK_NEAR(fit.r2, 1, 1e-12);
}

/* Amdahl: kappa = 0, the throughput tends to lambda / sigma. */
static void amdahl_data_has_no_peak(void)
{
	double x[NR_COUNTS];
	struct usl_fit fit;

	for (size_t i = 0; i < NR_COUNTS; i++)
		x[i] = usl_x(100, 0.1, 0, counts[i]);
	CHECK_EQ(usl_fit(counts, x, NR_COUNTS, &fit), 0);
	CHECK_NEAR(fit.sigma, 0.1, 1e-9);
	CHECK(fit.kappa == 0);
	CHECK(isinf(fit.n_star));
	CHECK_NEAR(fit.x_star, 1000, 1e-5);
}

/* Past the peak: the fit follows the retrograde part too. */
static void retrograde_data_past_the_peak(void)
{
	double x[NR_COUNTS];
	struct usl_fit fit;

	for (size_t i = 0; i < NR_COUNTS; i++)
		x[i] = usl_x(50, 0.3, 0.02, counts[i]);
	CHECK_EQ(usl_fit(counts, x, NR_COUNTS, &fit), 0);
	CHECK_NEAR(fit.sigma, 0.3, 1e-8);
	CHECK_NEAR(fit.kappa, 0.02, 1e-9);
	CHECK_NEAR(fit.n_star, sqrt(0.7 / 0.02), 1e-6);
}

static void too_few_or_bad_points_are_refused(void)
{
	const double n3[] = { 1, 2, 4 }, x3[] = { 10, 19, 35 };
	const double n_dup[] = { 1, 1, 2, 2, 4, 4 }, x_dup[] = { 10, 10, 19, 19, 35, 35 };
	const double n_zero[] = { 0, 1, 2, 4 }, x4[] = { 0, 10, 19, 35 };
	const double n4[] = { 1, 2, 4, 8 }, x_neg[] = { 10, -19, 35, 60 };
	const double x_nan[] = { 10, NAN, 35, 60 };
	struct usl_fit fit = { .lambda = -1 };

	CHECK_EQ(usl_fit(n3, x3, 3, &fit), -1);
	CHECK_EQ(usl_fit(n_dup, x_dup, 6, &fit), -1); /* 3 distinct counts */
	CHECK_EQ(usl_fit(n_zero, x4, 4, &fit), -1);   /* N = 0 is no count */
	CHECK_EQ(usl_fit(n4, x_neg, 4, &fit), -1);
	CHECK_EQ(usl_fit(n4, x_nan, 4, &fit), -1);
	CHECK_EQ(usl_fit(n4, x4, 0, &fit), -1);
	CHECK(fit.lambda == -1); /* untouched */
}

/* A results folder with @csv as its summary.csv (new string: its path). */
static char *fixture_dir(const char *csv)
{
	char *dir = xstrdup("/tmp/mmsim-test-usl.XXXXXX"), *path;

	if (!mkdtemp(dir))
		abort();
	path = xasprintf("%s/summary.csv", dir);
	CHECK_EQ(write_file_atomic(path, csv, strlen(csv)), 0);
	free(path);
	return dir;
}

static void fixture_remove(char *dir)
{
	char *p = xasprintf("%s/summary.csv", dir), *q = xasprintf("%s/usl.csv", dir);

	unlink(p);
	unlink(q);
	rmdir(dir);
	free(p);
	free(q);
	free(dir);
}

/* tests/plot/usl.json's summary: W's throughput from (sigma, kappa) per kernel. */
static char *usl_summary(void)
{
	static const double sigma[2] = { 0.1, 0.02 }, kappa[2] = { 0.01, 0.0005 };
	static const int n[6] = { 1, 2, 4, 8, 16, 32 };
	char *s = xstrdup("point,kernel,threads.W.count,threads.R.ops_per_s,threads.W.ops_per_s\n");

	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 6; i++) {
			char *t =
			        xasprintf("%s%d%d,%s,%d,1,%.9g\n", s, k, i, k ? "2.6.37" : "2.6.36",
			                  n[i], usl_x(9000, sigma[k], kappa[k], n[i]));

			free(s);
			s = t;
		}
	}
	return s;
}

static void report_fits_each_series(void)
{
	struct scenario_set set;
	struct csv t;
	char *csv = usl_summary(), *dir = fixture_dir(csv), *path = xasprintf("%s/usl.csv", dir);

	CHECK_EQ(scenario_load(&set, "tests/plot/usl.json", NULL, 0, -1), 0);
	CHECK_EQ(usl_report(dir, &set), 0);
	CHECK_EQ(csv_load(&t, path), 0);
	CHECK_EQ(t.nr_rows, 2);
	CHECK(t.nr_cols == 11 && strcmp(t.cols[0], "kernel") == 0 &&
	      strcmp(t.cols[1], "threads.W.count") == 0 && strcmp(t.cols[3], "group") == 0);
	for (unsigned r = 0; r < t.nr_rows && t.nr_cols == 11; r++) {
		double v;

		CHECK(strcmp(csv_cell(&t, r, 0), r ? "2.6.37" : "2.6.36") == 0);
		CHECK(strcmp(csv_cell(&t, r, 1), "") == 0); /* the fitted axis */
		CHECK(strcmp(csv_cell(&t, r, 2), "threads.W.count") == 0);
		CHECK(strcmp(csv_cell(&t, r, 3), "W") == 0);
		CHECK(csv_number(csv_cell(&t, r, 4), &v) && v == 6);
		CHECK(csv_number(csv_cell(&t, r, 6), &v) && fabs(v - (r ? 0.02 : 0.1)) < 1e-6);
		CHECK(csv_number(csv_cell(&t, r, 7), &v) && fabs(v - (r ? 0.0005 : 0.01)) < 1e-8);
		CHECK(csv_number(csv_cell(&t, r, 10), &v) && fabs(v - 1) < 1e-9);
	}
	csv_release(&t);
	scenario_set_release(&set);
	fixture_remove(dir);
	free(path);
	free(csv);
}

/* processes.P.count: each of P's groups; a thread count over 3 values: none. */
static void report_fits_process_copies_not_three_counts(void)
{
	struct scenario_set set;
	struct csv t;
	char *csv = xstrdup("point,processes.P.count,processes[1].threads[0].count,threads.R.ops_"
	                    "per_s,threads.W.ops_per_s\n");
	char *dir, *path;

	for (int c = 1; c <= 6; c++) {
		char *s = xasprintf("%sp%d,%d,2,%.9g,%.9g\n", csv, c, c, usl_x(100, 0, 0, c),
		                    usl_x(50, 0.2, 0.001, c));

		free(csv);
		csv = s;
	}
	dir = fixture_dir(csv);
	path = xasprintf("%s/usl.csv", dir);
	CHECK_EQ(scenario_load(&set, "tests/plot/usl-procs.json", NULL, 0, -1), 0);
	CHECK_EQ(usl_report(dir, &set), 0);
	CHECK_EQ(csv_load(&t, path), 0);
	CHECK_EQ(t.nr_rows, 2);
	CHECK(t.nr_rows == 2 && strcmp(csv_cell(&t, 0, 3), "R") == 0 &&
	      strcmp(csv_cell(&t, 1, 3), "W") == 0 &&
	      strcmp(csv_cell(&t, 1, 2), "processes.P.count") == 0);
	csv_release(&t);
	scenario_set_release(&set);
	fixture_remove(dir);
	free(path);
	free(csv);
}

/* No thread count swept: nothing to fit, no file, no need for a summary. */
static void report_without_count_axis_writes_nothing(void)
{
	struct scenario_set set;
	char *path;

	CHECK_EQ(scenario_load(&set, "scenarios/seedbench.json", NULL, 0, -1), 0);
	CHECK_EQ(usl_report("/nonexistent", &set), 0);
	scenario_set_release(&set);
	path = xstrdup("/nonexistent/usl.csv");
	CHECK(access(path, F_OK) != 0);
	free(path);
}

int main(void)
{
	TEST(exact_data_gives_the_parameters);
	TEST(noisy_data_gives_the_parameters_nearly);
	TEST(linear_data_gives_zero_sigma_and_kappa);
	TEST(amdahl_data_has_no_peak);
	TEST(retrograde_data_past_the_peak);
	TEST(too_few_or_bad_points_are_refused);
	TEST(report_fits_each_series);
	TEST(report_fits_process_copies_not_three_counts);
	TEST(report_without_count_axis_writes_nothing);
	return harness_failures != 0;
}
