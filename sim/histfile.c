/* histfile.c - the distributions behind a point's summaries (see histfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/histfile.h"
#include "sim/util.h"

/* Bins of the summary merged into one of the file: 16 per power of two (6 % wide). */
#define HISTFILE_MERGE (STATS_SUB / 16)

bool histfile_capture;

json_t *histfile_summary(const struct summary *s)
{
	json_t *bins = json_array();
	const gsl_histogram *h = summary_hist(s);
	size_t i = 0;

	while (h && i < STATS_NR_BINS) {
		/* one value below 128 ns; above, HISTFILE_MERGE adjacent bins (one power of two holds 128) */
		size_t end = i < STATS_SUB ? i + 1 : i + HISTFILE_MERGE;
		double lo = i < STATS_SUB ? (double)i : h->range[i], hi, n = 0;

		if (end > STATS_NR_BINS)
			end = STATS_NR_BINS;
		hi = i < STATS_SUB ? (double)i : h->range[end];
		for (; i < end; i++)
			n += h->bin[i];
		if (n == 0)
			continue;
		if (hi > (double)s->max_ns)
			hi = (double)s->max_ns;
		json_array_append_new(
		        bins, json_pack("[I I I]", (json_int_t)lo, (json_int_t)hi, (json_int_t)n));
	}
	return json_pack("{sI sI sI sf so}", "count", (json_int_t)s->count, "min_ns",
	                 (json_int_t)(s->count ? s->min_ns : 0), "max_ns", (json_int_t)s->max_ns,
	                 "sum_ns", summary_sum(s), "bins", bins);
}

static void histfile_walk(json_t *o, const char *prefix, json_t *into)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(o, tmp, key, v)
	{
		if (strcmp(key, HISTFILE_KEY) == 0) {
			json_object_set(into, prefix, v);
			json_object_del(o, key);
		} else if (json_is_object(v)) {
			char *p = *prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key);

			histfile_walk(v, p, into);
			free(p);
		}
	}
}

json_t *histfile_extract(json_t *metrics)
{
	json_t *into = json_object();

	histfile_walk(metrics, "", into);
	return into;
}

int histfile_write(const char *dir, json_t *hists)
{
	char *path = xasprintf("%s/histograms.json", dir);
	char *text = json_dumps(hists, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	int rc = write_file_atomic(path, text, strlen(text));

	free(text);
	free(path);
	return rc;
}

/* @path parsed, never through a link; NULL (and *@why) if it cannot be. */
static json_t *histfile_read(const char *path, char **why)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	json_error_t e;
	json_t *h;

	if (fd < 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	h = json_loadfd(fd, JSON_REJECT_DUPLICATES, &e);
	close(fd);
	if (!h || !json_is_object(h)) {
		*why = xasprintf("%s: not a histograms file (%s)", path,
		                 h ? "not an object" : e.text);
		json_decref(h);
		return NULL;
	}
	return h;
}

/* Adds entry @from into @into: counts, sums and bins added, min and max kept. */
static void histfile_merge_entry(json_t *into, json_t *from)
{
	json_t *a = json_object_get(into, "bins"), *b = json_object_get(from, "bins");
	json_t *merged = json_array();
	size_t i = 0, j = 0;
	long long n_into = json_integer_value(json_object_get(into, "count"));
	long long n_from = json_integer_value(json_object_get(from, "count"));
	long long min_into = json_integer_value(json_object_get(into, "min_ns"));
	long long min_from = json_integer_value(json_object_get(from, "min_ns"));
	long long max_into = json_integer_value(json_object_get(into, "max_ns"));
	long long max_from = json_integer_value(json_object_get(from, "max_ns"));

	while (i < json_array_size(a) || j < json_array_size(b)) {
		json_t *x = json_array_get(a, i), *y = json_array_get(b, j);
		long long lx = x ? json_integer_value(json_array_get(x, 0)) : -1;
		long long ly = y ? json_integer_value(json_array_get(y, 0)) : -1;

		if (x && (!y || lx < ly)) {
			json_array_append(merged, x), i++;
		} else if (y && (!x || ly < lx)) {
			json_array_append(merged, y), j++;
		} else { /* the same bin: its upper edge is the larger (capped at each's max) */
			long long hx = json_integer_value(json_array_get(x, 1));
			long long hy = json_integer_value(json_array_get(y, 1));

			json_array_append_new(
			        merged,
			        json_pack("[I I I]", lx, hx > hy ? hx : hy,
			                  json_integer_value(json_array_get(x, 2)) +
			                          json_integer_value(json_array_get(y, 2))));
			i++, j++;
		}
	}
	json_object_set_new(into, "bins", merged);
	json_object_set_new(into, "count", json_integer(n_into + n_from));
	json_object_set_new(into, "sum_ns",
	                    json_real(json_number_value(json_object_get(into, "sum_ns")) +
	                              json_number_value(json_object_get(from, "sum_ns"))));
	if (n_from && (!n_into || min_from < min_into))
		json_object_set_new(into, "min_ns", json_integer(min_from));
	if (max_from > max_into)
		json_object_set_new(into, "max_ns", json_integer(max_from));
}

static void histfile_merge(json_t *into, json_t *from)
{
	const char *key;
	json_t *v;

	json_object_foreach (from, key, v) {
		json_t *e = json_object_get(into, key);

		if (e)
			histfile_merge_entry(e, v);
		else
			json_object_set_new(into, key, json_deep_copy(v));
	}
}

json_t *histfile_load_point(const char *out, const char *id, char **whyp)
{
	char *path = xasprintf("%s/points/%s/histograms.json", out, id), *why = NULL;
	char *reps = xasprintf("%s/points/%s/replications", out, id);
	json_t *h = NULL;

	if (access(path, F_OK) == 0) {
		h = histfile_read(path, &why);
	} else { /* replications 0..n-1, merged in order, up to the first missing */
		for (unsigned r = 0; !why; r++) {
			char *p = xasprintf("%s/%u/histograms.json", reps, r);
			json_t *one;

			if (access(p, F_OK) != 0) {
				free(p);
				break;
			}
			if ((one = histfile_read(p, &why))) {
				if (!h)
					h = json_incref(one);
				else
					histfile_merge(h, one);
				json_decref(one);
			}
			free(p);
		}
	}
	if (!h && !why)
		why = xasprintf("%s: none (results of an older mmsim?)", path);
	if (why) {
		json_decref(h);
		h = NULL;
	}
	*whyp = why;
	free(reps);
	free(path);
	return h;
}

json_t *histfile_get(json_t *hists, const char *path)
{
	return json_object_get(hists, path);
}
