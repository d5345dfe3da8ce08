/* mser.c - the MSER-5 series and truncation point (see mser.h). */
#include <assert.h>
#include <stdlib.h>

#include <gsl/gsl_statistics_double.h>

#include "sim/mser.h"
#include "sim/util.h"

void mser_series_init(struct mser_series *m, unsigned cap)
{
	cap = cap < 2 ? 2 : cap + (cap & 1);
	*m = (struct mser_series){ .cap = cap, .batch = MSER_BATCH };
	m->sum = xcalloc(cap, sizeof(*m->sum));
	m->end_ns = xcalloc(cap, sizeof(*m->end_ns));
}

void mser_series_release(struct mser_series *m)
{
	free(m->sum);
	free(m->end_ns);
	m->sum = NULL;
	m->end_ns = NULL;
}

/* Full: batch pairs merge, so twice the observations fit in the same memory. */
static void mser_series_halve(struct mser_series *m)
{
	for (unsigned i = 0; i < m->len / 2; i++) {
		m->sum[i] = m->sum[2 * i] + m->sum[2 * i + 1];
		m->end_ns[i] = m->end_ns[2 * i + 1];
	}
	m->len /= 2;
	m->batch *= 2;
}

void mser_series_add(struct mser_series *m, double value, sim_ns when)
{
	m->cur_sum += value;
	if (++m->cur_n < m->batch)
		return;
	if (m->len == m->cap) {
		/* this batch's observations start a batch of the doubled size */
		mser_series_halve(m);
		return;
	}
	m->sum[m->len] = m->cur_sum;
	m->end_ns[m->len++] = when;
	m->cur_sum = 0;
	m->cur_n = 0;
}

sim_ns mser_truncation(const struct mser_series *m, unsigned *d)
{
	unsigned k = m->len, best = 0;
	double *z, best_stat = 0;

	*d = 0;
	if (k < 4)
		return 0;
	z = xcalloc(k, sizeof(*z));
	for (unsigned j = 0; j < k; j++)
		z[j] = m->sum[j] / m->batch;
	for (unsigned t = 0; t <= k / 2; t++) {
		double left = (double)(k - t);
		double stat = gsl_stats_tss(z + t, 1, k - t) / (left * left);

		if (t == 0 || stat < best_stat) {
			best_stat = stat;
			best = t;
		}
	}
	free(z);
	*d = best;
	assert(best <= k / 2);
	return best ? m->end_ns[best - 1] : 0;
}
