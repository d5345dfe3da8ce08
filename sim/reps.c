/* reps.c - seeds and statistics of the replications of a point (see reps.h). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/output.h"
#include "sim/reps.h"
#include "sim/results.h"
#include "sim/util.h"

/* splitmix64: one step of the chain. */
static uint64_t reps_mix(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

unsigned long reps_seed(unsigned long scenario_seed, const char *id, unsigned r)
{
	uint64_t z = reps_mix(scenario_seed);

	z = reps_mix(z ^ strtoull(id, NULL, 16));
	z = reps_mix(z ^ r);
	/* exact in any JSON reader (doubles) */
	return (unsigned long)(z & ((UINT64_C(1) << 53) - 1));
}

unsigned reps_first(const struct scenario *s)
{
	/* an interval needs two */
	return s->until.metric && s->replications < 2 ? 2 : s->replications;
}

unsigned reps_max(const struct scenario *s)
{
	return s->until.metric ? s->until.max_replications : s->replications;
}

double reps_half_width(const double *values, unsigned n, double confidence)
{
	double sd;

	if (n < 2)
		return 0;
	sd = gsl_stats_sd(values, 1, n);
	return gsl_cdf_tdist_Pinv(0.5 + confidence / 2, n - 1) * sd / sqrt(n);
}

bool reps_enough(const struct scenario *s, const double *values, unsigned n)
{
	double mean = gsl_stats_mean(values, 1, n);
	double half = reps_half_width(values, n, s->confidence);

	if (s->until.relative_half_width > 0 && half <= s->until.relative_half_width * fabs(mean))
		return true;
	/* all replications agree (half 0): more would agree too */
	return s->until.has_target &&
	       (mean + half < s->until.target || mean - half > s->until.target || half == 0);
}

/* The leaf @key of every replication: its mean into @mean, its interval into @ci. */
static void reps_number(json_t *const *leaves, unsigned n, double confidence, const char *key,
                        json_t *mean, json_t *ci)
{
	double *x = xcalloc(n, sizeof(*x)), m, half;
	bool agree = true;

	for (unsigned i = 0; i < n; i++) {
		x[i] = json_number_value(leaves[i]);
		agree = agree && x[i] == x[0];
	}
	/* all the same: exactly that value, however the mean rounds */
	m = agree ? x[0] : gsl_stats_mean(x, 1, n);
	half = agree ? 0 : reps_half_width(x, n, confidence);
	json_object_set_new(mean, key, json_real(m));
	json_object_set_new(ci, key, json_pack("{sf sf}", "lo", m - half, "hi", m + half));
	free(x);
}

/* Walks the shape of @objs[0]; the other replications have the same. */
static void reps_walk(json_t *const *objs, unsigned n, double confidence, json_t *mean, json_t *ci)
{
	json_t **kids = xcalloc(n, sizeof(*kids)), *v;
	const char *key;

	json_object_foreach (objs[0], key, v) {
		for (unsigned i = 0; i < n; i++)
			kids[i] = json_object_get(objs[i], key);
		if (json_is_object(v)) {
			json_t *m = json_object(), *c = json_object();

			reps_walk(kids, n, confidence, m, c);
			json_object_set_new(mean, key, m);
			json_object_set_new(ci, key, c);
		} else if (json_is_number(v)) {
			reps_number(kids, n, confidence, key, mean, ci);
		} else {
			json_object_set(mean, key, v);
		}
	}
	free(kids);
}

json_t *reps_aggregate(json_t *const *metrics, unsigned n, double confidence, json_t **ci)
{
	json_t *mean = json_object();

	*ci = json_object();
	reps_walk(metrics, n, confidence, mean, *ci);
	return mean;
}

/* "replications": {n, confidence, seeds}. */
static json_t *reps_header(const struct scenario *s, json_t *const *results, unsigned n)
{
	json_t *seeds = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append(
		        seeds, json_object_get(json_object_get(results[i], "replication"), "seed"));
	return json_pack("{sI sf so}", "n", (json_int_t)n, "confidence", s->confidence, "seeds",
	                 seeds);
}

int reps_write_point(const char *dir, const struct scenario_set *set, const struct scenario *s,
                     json_t *const *results, unsigned n)
{
	json_t *root = output_provenance(set, s), *ci;
	json_t **metrics = xcalloc(n, sizeof(*metrics));
	int rc;

	for (unsigned i = 0; i < n; i++)
		metrics[i] = json_object_get(results[i], "metrics");
	json_object_set(root, "parameters", s->resolved);
	json_object_set(root, "warmup", json_object_get(results[0], "warmup"));
	json_object_set_new(root, "replications", reps_header(s, results, n));
	json_object_set_new(root, "metrics", reps_aggregate(metrics, n, s->confidence, &ci));
	json_object_set_new(root, "metrics_ci", ci);
	rc = results_write(dir, root);
	if (rc)
		fprintf(stderr, "mmsim: cannot write %s/results.json: %s\n", dir, strerror(errno));
	free(metrics);
	json_decref(root);
	return rc;
}
