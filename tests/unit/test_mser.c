/*
 * test_mser.c - MSER-5 warm-up detection on synthetic series whose transient
 * is known: a start-up that decays into stationary noise is cut near where it
 * ends, a stationary series is barely cut, and the bounded buffer (batches
 * merged, batch size doubled) finds the same end of the warm-up.
 */
#include <math.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/mser.h"
#include "tests/unit/harness.h"

/*
 * @n observations, one per 1000 ns: noise of mean 100 (sd 10), plus for the
 * first @transient observations a start-up bias of 400 that fades linearly.
 */
static void feed(struct mser_series *m, unsigned n, unsigned transient, unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(rng, seed);
	for (unsigned i = 0; i < n; i++) {
		double bias = i < transient ? 400.0 * (transient - i) / transient : 0;

		mser_series_add(m, 100 + bias + gsl_ran_gaussian(rng, 10), (sim_ns)(i + 1) * 1000);
	}
	gsl_rng_free(rng);
}

/* 20000 observations, the first 2000 biased: cut between 1500 and 2500 observations. */
static void test_transient_found(void)
{
	struct mser_series m;
	unsigned d;
	sim_ns end;

	mser_series_init(&m, 8192);
	feed(&m, 20000, 2000, 1);
	CHECK_EQ(m.batch, MSER_BATCH);
	CHECK_EQ(m.len, 4000);
	end = mser_truncation(&m, &d);
	CHECK(d * MSER_BATCH >= 1500 && d * MSER_BATCH <= 2500);
	/* the completion time of batch d's last observation */
	CHECK_EQ(end, (sim_ns)d * MSER_BATCH * 1000);
	mser_series_release(&m);
}

/* Stationary noise: at most a few percent of the series is cut. */
static void test_stationary_barely_cut(void)
{
	struct mser_series m;
	unsigned d;

	mser_series_init(&m, 8192);
	feed(&m, 20000, 0, 2);
	mser_truncation(&m, &d);
	CHECK(d * MSER_BATCH <= 1000);
	mser_series_release(&m);
}

/* 64 batches of memory for 20000 observations: batches of 5 * 2^k, same answer. */
static void test_bounded_buffer(void)
{
	struct mser_series m;
	unsigned d;
	sim_ns end;

	mser_series_init(&m, 64);
	feed(&m, 20000, 2000, 1);
	CHECK(m.len <= 64 && m.len >= 32);
	CHECK_EQ(m.batch, MSER_BATCH * 64); /* 320: 62 complete batches */
	CHECK_EQ(m.len, 20000 / (MSER_BATCH * 64));
	end = mser_truncation(&m, &d);
	CHECK(end >= 1500 * 1000 && end <= 2600 * 1000);
	CHECK_EQ(end, (sim_ns)d * m.batch * 1000);
	mser_series_release(&m);
}

/* Too short a series to judge: no warm-up. */
static void test_short_series(void)
{
	struct mser_series m;
	unsigned d = 7;

	mser_series_init(&m, 16);
	feed(&m, 3 * MSER_BATCH + 2, 10, 3);
	CHECK_EQ(m.len, 3);
	CHECK_EQ(mser_truncation(&m, &d), 0);
	CHECK_EQ(d, 0);
	mser_series_release(&m);
}

int main(void)
{
	TEST(test_transient_found);
	TEST(test_stationary_barely_cut);
	TEST(test_bounded_buffer);
	TEST(test_short_series);
	return harness_failures ? 1 : 0;
}
