/*
 * output.c - results.json, the distribution files and summary.csv.
 *
 * results.json holds no wall-clock time or date: the same scenario and seed
 * give the same bytes. Durations are reported in microseconds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/engine.h> /* version.h needs its declarations */
#include <simgrid/version.h>

#include "sim/histfile.h"
#include "sim/metrics/intervals.h"
#include "sim/output.h"
#include "sim/results.h"
#include "sim/util.h"

void output_file_ids(const struct scenario *s, struct file_ids *ids)
{
	*ids = (struct file_ids){ 0 };
	for (unsigned p = 0; p < s->nr_procs; p++) {
		if (s->procs[p].count && file_ids_add(ids, s->procs[p].maps, s->procs[p].nr_maps)) {
			fprintf(stderr, "mmsim: out of memory\n");
			abort();
		}
	}
}

struct recorder_shape output_recorder_shape(const struct scenario *s)
{
	struct file_ids ids;
	unsigned nr_files;

	output_file_ids(s, &ids);
	nr_files = ids.nr;
	file_ids_release(&ids);
	return (struct recorder_shape){ .nr_groups = s->nr_groups,
		                        .nr_mms = s->nr_procs,
		                        .nr_files = nr_files,
		                        .nr_memcgs = s->nr_cgroups };
}

json_t *output_metrics(const struct scenario *s, const struct recorder *r, uint64_t events)
{
	struct metric_output o = { .s = s, .r = r, .window_s = s->duration_s - s->warmup_s };
	json_t *m = json_object();

	for (const struct metric_family *const *f = metric_families; *f; f++)
		if ((*f)->output)
			(*f)->output(m, &o);
	json_dotted_set(m, "engine.events", json_integer((json_int_t)events));
	return m;
}

const char *output_simgrid_version(void)
{
	static char version[32];
	int major, minor, patch;

	sg_version_get(&major, &minor, &patch);
	snprintf(version, sizeof(version), "%d.%d.%d", major, minor, patch);
	return version;
}

json_t *output_provenance(const struct scenario_set *set, const struct scenario *s)
{
	json_t *axes = json_array();

	/* the swept paths and the point's place: enough for merge to rebuild the summary */
	for (unsigned a = 0; a < set->nr_axes; a++)
		json_array_append_new(axes, json_string(set->axes[a]));
	return json_pack("{ss ss s{ss ss ss so} s{ss sO sI} sI ss}", "mmsim_version", MMSIM_VERSION,
	                 "simgrid_version", output_simgrid_version(), "scenario", "path", set->path,
	                 "sha256", set->sha256, "name", set->name, "axes", axes, "point", "id",
	                 s->id, "swept", s->swept, "index", (json_int_t)s->index, "seed",
	                 (json_int_t)s->seed, "kernel", s->kernel);
}

/* "warmup": fixed, or detected by MSER-5 on the point's pilot run. */
static json_t *output_warmup(const struct scenario *s, const struct replication *rep)
{
	if (s->warmup_mser5)
		return json_pack("{ss sf}", "method", "mser5", "detected_s", rep->warmup_ns / 1e9);
	return json_pack("{ss sf}", "method", "fixed", "warmup_s", s->warmup_s);
}

/* Which run this is: "replication", and for a point of one, "replications" too. */
static void output_replication(json_t *root, const struct scenario *s,
                               const struct replication *rep)
{
	json_object_set_new(root, "replication",
	                    json_pack("{sI sI}", "index", (json_int_t)rep->index, "seed",
	                              (json_int_t)rep->seed));
	json_object_set_new(root, "warmup", output_warmup(s, rep));
	if (rep->alone)
		json_object_set_new(root, "replications",
		                    json_pack("{si sf s[I]}", "n", 1, "confidence", s->confidence,
		                              "seeds", (json_int_t)rep->seed));
}

struct cdf_buf {
	char *text;
	size_t len, cap;
};

static void cdf_line(double value_ns, double fraction, void *arg)
{
	struct cdf_buf *b = arg;
	char line[64];
	int n = snprintf(line, sizeof(line), "%.9g %.9g\n", value_ns / 1e3, fraction);

	if (b->len + (size_t)n + 1 > b->cap)
		b->text = xrealloc(b->text, b->cap = 2 * (b->cap + (size_t)n + 64));
	memcpy(b->text + b->len, line, (size_t)n + 1);
	b->len += (size_t)n;
}

/* The CDF of a summary as a gnuplot data file. */
static int output_cdf(const char *dir, const char *name, const struct summary *s)
{
	char *path = xasprintf("%s/%s.cdf.dat", dir, name);
	struct cdf_buf b = { 0 };
	int rc;

	b.text = xasprintf("# %s: value_us fraction_at_or_below (%llu samples)\n", name,
	                   (unsigned long long)s->count);
	b.len = strlen(b.text);
	b.cap = b.len + 1;
	summary_cdf(s, cdf_line, &b);
	rc = write_file_atomic(path, b.text, b.len);
	free(b.text);
	free(path);
	return rc;
}

int output_point(const char *dir, const struct scenario_set *set, const struct scenario *s,
                 const struct replication *rep, const struct recorder *r, uint64_t events)
{
	json_t *root = output_provenance(set, s), *hists;
	int rc = mkdir_p(dir);

	json_object_set(root, "parameters", s->resolved);
	output_replication(root, s, rep);
	histfile_capture = true; /* each summary's bins, for mmsim report */
	json_object_set_new(root, "metrics", output_metrics(s, r, events));
	histfile_capture = false;
	hists = histfile_extract(json_object_get(root, "metrics"));
	if (rc == 0)
		rc = histfile_write(dir, hists);
	json_decref(hists);
	for (int m = 0; rc == 0 && m < 2; m++) {
		char *name = xasprintf("mmap_sem.%s.wait_us", lock_mode_names[m]);

		rc = output_cdf(dir, name, &r->locks.all.wait[m]);
		free(name);
	}
	if (rc == 0 && r->intervals)
		rc = intervals_write(r->intervals, s, dir);
	if (rc == 0)
		rc = results_write(dir, root); /* last: it marks the point complete */
	if (rc)
		fprintf(stderr, "mmsim: cannot write into %s: %s\n", dir, strerror(errno));
	json_decref(root);
	return rc;
}
