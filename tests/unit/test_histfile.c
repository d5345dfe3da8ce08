/*
 * test_histfile.c - the distributions behind the summaries (sim/histfile.h):
 * a log2 histogram rebuilt from the file's bins equals the one of the
 * sample itself, at every power of two; counts, min, max and sum exact; the
 * bins taken out of a metrics tree by path; replications merged.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/histfile.h"
#include "sim/util.h"
#include "tests/unit/harness.h"

/* bpftrace's index of @v: 1 for 0, 2 for 1, k + 2 for [2^k, 2^(k+1)). */
static int log2_index(uint64_t v)
{
	return v == 0 ? 1 : 65 - __builtin_clzll(v);
}

/* The log2 histogram of @entry's bins, by their lower edges. */
static void log2_of_bins(json_t *entry, uint64_t count[66])
{
	json_t *bin;
	size_t i;

	memset(count, 0, 66 * sizeof(*count));
	json_array_foreach (json_object_get(entry, "bins"), i, bin)
		count[log2_index((uint64_t)json_integer_value(json_array_get(bin, 0)))] +=
		        (uint64_t)json_integer_value(json_array_get(bin, 2));
}

static void log2_histogram_is_exact(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t want[66] = { 0 }, got[66];
	sim_ns edge[] = { 0, 1, 2, 3, 127, 128, 255, 256, 1023, 1024, 65535, 65536, 1 << 30 };
	struct summary s;
	json_t *e;
	double sum = 0;

	summary_init(&s);
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]);
	     i++) { /* both sides of powers of 2 */
		summary_add(&s, edge[i]);
		want[log2_index((uint64_t)edge[i])]++;
		sum += (double)edge[i];
	}
	for (int i = 0; i < 200000; i++) {
		sim_ns v = (sim_ns)floor(gsl_ran_lognormal(rng, 9, 3) + 0.5);

		summary_add(&s, v);
		want[log2_index((uint64_t)v)]++;
		sum += (double)v;
	}
	e = histfile_summary(&s);
	log2_of_bins(e, got);
	for (int i = 0; i < 66; i++)
		CHECK_EQ(got[i], want[i]);
	CHECK_EQ(json_integer_value(json_object_get(e, "count")), (long long)s.count);
	CHECK_EQ(json_integer_value(json_object_get(e, "min_ns")), 0);
	CHECK_EQ(json_integer_value(json_object_get(e, "max_ns")), s.max_ns);
	CHECK(fabs(json_real_value(json_object_get(e, "sum_ns")) - sum) <= 1e-9 * sum);
	json_decref(e);
	summary_release(&s);
	gsl_rng_free(rng);
}

static void bins_are_ordered_and_capped_at_max(void)
{
	struct summary s;
	json_t *e, *bin;
	long long last = -1;
	size_t i;

	summary_init(&s);
	summary_add(&s, 5);
	summary_add(&s, 1000);
	summary_add(&s, 1001);
	e = histfile_summary(&s);
	json_array_foreach (json_object_get(e, "bins"), i, bin) {
		long long lo = json_integer_value(json_array_get(bin, 0));
		long long hi = json_integer_value(json_array_get(bin, 1));

		CHECK(lo > last);
		CHECK(hi >= lo && hi <= 1001);
		last = lo;
	}
	CHECK_EQ(json_array_size(json_object_get(e, "bins")), 2); /* 5; 1000 and 1001 */
	json_decref(e);
	summary_release(&s);
}

static void extract_moves_bins_out_by_path(void)
{
	json_t *m = json_pack("{s{s{sf s{}}} si}", "mmap_sem", "write", "mean", 1.0, HISTFILE_KEY,
	                      "ops", 3);
	json_t *h = histfile_extract(m);

	CHECK(json_object_get(h, "mmap_sem.write") != NULL);
	CHECK(json_object_get(json_object_get(json_object_get(m, "mmap_sem"), "write"),
	                      HISTFILE_KEY) == NULL);
	CHECK_EQ(json_object_size(h), 1);
	json_decref(h);
	json_decref(m);
}

/* Two replications' files of one point merge: counts added, bins joined, min and max kept. */
static void replications_merge(void)
{
	char dir[] = "/tmp/test-histfile-XXXXXX";
	struct summary a, b;
	json_t *h, *e;
	char *why = NULL;

	CHECK(mkdtemp(dir) != NULL);
	summary_init(&a);
	summary_init(&b);
	summary_add(&a, 0);
	summary_add(&a, 3000);
	summary_add(&b, 3001);
	summary_add(&b, 90000);
	for (int r = 0; r < 2; r++) {
		char *d = xasprintf("%s/points/p/replications/%d", dir, r);
		json_t *one = json_pack("{so}", "x", histfile_summary(r ? &b : &a));

		CHECK(mkdir_p(d) == 0);
		CHECK(histfile_write(d, one) == 0);
		json_decref(one);
		free(d);
	}
	h = histfile_load_point(dir, "p", &why);
	CHECK(h != NULL && why == NULL);
	e = json_object_get(h, "x");
	CHECK_EQ(json_integer_value(json_object_get(e, "count")), 4);
	CHECK_EQ(json_integer_value(json_object_get(e, "min_ns")), 0);
	CHECK_EQ(json_integer_value(json_object_get(e, "max_ns")), 90000);
	CHECK_EQ(json_array_size(json_object_get(e, "bins")), 3); /* 0; 3000 with 3001; 90000 */
	json_decref(h);
	h = histfile_load_point(dir, "none", &why);
	CHECK(h == NULL && why != NULL);
	free(why);
	summary_release(&a);
	summary_release(&b);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		CHECK(system(cmd) == 0);
		free(cmd);
	}
}

int main(void)
{
	TEST(log2_histogram_is_exact);
	TEST(bins_are_ordered_and_capped_at_max);
	TEST(extract_moves_bins_out_by_path);
	TEST(replications_merge);
	return harness_failures != 0;
}
