/*
 * usl.h - the Universal Scalability Law (Gunther) fitted to throughput
 * against a thread count:
 *
 *	X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))
 *
 * lambda is the throughput of one thread, sigma the contention (the share
 * that serialises) and kappa the coherency cost (crosstalk between pairs);
 * the throughput peaks at N* = sqrt((1 - sigma) / kappa).
 */
#ifndef SIM_USL_H
#define SIM_USL_H

#include <stddef.h>
#include <stdio.h>

#include "sim/scenario.h"

#define USL_MIN_POINTS 4

struct usl_fit {
	double lambda; /* X(1), per second */
	double sigma;  /* >= 0 */
	double kappa;  /* >= 0 */
	double n_star; /* the peak: infinite when kappa = 0; 1 when sigma >= 1 */
	double x_star; /* X(n_star); lambda / sigma when n_star is infinite */
	double r2;     /* coefficient of determination */
	size_t points;
};

/*
 * Fits the law to the @n pairs (@N[i], @X[i]) (N >= 1, X >= 0, at least
 * USL_MIN_POINTS distinct N). Returns 0, or -1 (too few points, a value out
 * of range) with @fit untouched.
 */
int usl_fit(const double *N, const double *X, size_t n, struct usl_fit *fit);

/*
 * For each sweep axis of @set that is a thread count (threads.<g>.count,
 * processes[i].count, processes[i].threads[j].count, ..., with names or
 * indexes) with at least USL_MIN_POINTS values, fits threads.<g>.ops_per_s of
 * the group(s) it counts, once per combination of the other axes' values,
 * from @out_dir/summary.csv. Writes @out_dir/usl.csv (one row per fit) and
 * prints one line per fit. Returns 0 (also when there is nothing to fit),
 * or -1 after a message (I/O).
 */
int usl_report(const char *out_dir, const struct scenario_set *set);
/* The same, the lines printed to @lines (NULL: none, e.g. with --quiet). */
int usl_report_to(const char *out_dir, const struct scenario_set *set, FILE *lines);

#endif
