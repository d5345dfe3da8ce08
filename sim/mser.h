/*
 * mser.h - MSER-5 warm-up detection (White 1997; Franklin and White 2008).
 *
 * A pilot run feeds the series of its loop-iteration latencies, in completion
 * order, into batch means of 5 observations. Memory is bounded: when the
 * buffer is full, adjacent batches merge and the batch size doubles. The
 * truncation point d minimises
 *
 *   MSER(d) = sum_{j > d} (Z_j - mean(Z_{d+1..k}))^2 / (k - d)^2
 *
 * over the first half of the k batch means Z; the warm-up ends when batch d's
 * last observation completed.
 */
#ifndef SIM_MSER_H
#define SIM_MSER_H

#include "models/env.h"

#define MSER_BATCH 5

struct mser_series {
	double *sum;    /* owned, [cap]: the sum of each complete batch */
	sim_ns *end_ns; /* owned, [cap]: when each batch's last observation completed */
	unsigned cap;   /* even */
	unsigned len;   /* complete batches */
	unsigned batch; /* observations per batch: MSER_BATCH times a power of two */
	double cur_sum; /* the batch being filled */
	unsigned cur_n; /* ...its observations, < batch */
};

/* @cap batches at most (rounded up to an even number, at least 2). */
void mser_series_init(struct mser_series *m, unsigned cap);
void mser_series_release(struct mser_series *m);
/* An observation @value that completed at @when (not before the previous one). */
void mser_series_add(struct mser_series *m, double value, sim_ns when);

/*
 * The MSER-5 truncation: *@d batches (0 with fewer than 4 complete batches),
 * and the end of the warm-up it gives (0 for d = 0).
 */
sim_ns mser_truncation(const struct mser_series *m, unsigned *d);

#endif
