/* probe_stats.c - distributions of the probe's samples (see probe.h). */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/probe.h"

json_t *probe_distribution_json(double *samples, size_t n, const char *unit)
{
	if (n == 0)
		return NULL;
	gsl_sort(samples, 1, n);
	return json_pack("{s:s, s:I, s:f, s:f, s:f, s:f, s:f, s:f}", "unit", unit, "n",
	                 (json_int_t)n, "min", samples[0], "p50",
	                 gsl_stats_quantile_from_sorted_data(samples, 1, n, 0.50), "p90",
	                 gsl_stats_quantile_from_sorted_data(samples, 1, n, 0.90), "p99",
	                 gsl_stats_quantile_from_sorted_data(samples, 1, n, 0.99), "max",
	                 samples[n - 1], "mean", gsl_stats_mean(samples, 1, n));
}
