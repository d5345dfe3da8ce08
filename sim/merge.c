/*
 * merge.c - combining output folders (see merge.h).
 *
 * Everything is checked before anything is copied: every complete point
 * (DIR/points/ID/results.json) of every folder, and of the target folder,
 * must be of one scenario (same name and file SHA-256); a point found twice
 * must have the same results; two points may not claim one place in the
 * sweep. Then the point folders are copied (results.json last), and the
 * summary rebuilt from the results alone, in sweep order.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/cli.h"
#include "sim/json_path.h"
#include "sim/manifest.h"
#include "sim/merge.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/results.h"
#include "sim/util.h"

static const char usage_merge[] =
        "usage: mmsim merge DIR... [--out DIR] [--quiet]\n"
        "\n"
        "Copies the complete points of each DIR (output folders of 'mmsim run' of one\n"
        "scenario, e.g. its shards) into the --out folder (default: the first DIR) and\n"
        "writes its summary.csv and manifest.json. Refuses (exit 2) folders of another\n"
        "scenario, and a point with other results in another folder.\n";

struct merge_point {
	const char *dir;  /* borrowed: the folder it is in */
	char *id;         /* owned */
	json_t *results;  /* owned */
	json_int_t index; /* its place in the sweep */
};

struct merge {
	const char **dirs; /* owned array, strings borrowed from argv */
	unsigned nr_dirs;
	const char *out; /* borrowed */
	bool quiet;
	struct merge_point *pts; /* owned */
	unsigned nr_pts;
};

const struct cli_command merge_command = { "merge",
	                                   "DIR...",
	                                   "combine the points of several output folders (shards)",
	                                   usage_merge,
	                                   CLI_OPT(OUT) | CLI_OPT(QUIET),
	                                   merge_main };

/* 0, 1 for --help, or 2. */
static int merge_parse(struct merge *m, int argc, char **argv)
{
	struct cli_parser p;
	int id, rc = 0;

	cli_start(&p, &merge_command, argc, argv);
	while (rc == 0 && (id = cli_next(&p)) > CLI_END) {
		if (id == CLI_OUT) {
			m->out = p.value;
			rc = outdir_check_name(m->out, "merge: --out");
		} else if (id == CLI_QUIET) {
			m->quiet = true;
		} else {
			m->dirs = xrealloc(m->dirs, (m->nr_dirs + 1) * sizeof(*m->dirs));
			m->dirs[m->nr_dirs++] = p.value;
		}
	}
	if (rc || (rc = cli_end(&p)))
		return rc;
	if (!m->out)
		m->out = m->dirs[0];
	return 0;
}

static void merge_add(struct merge *m, const char *dir, const char *id, json_t *results)
{
	m->pts = xrealloc(m->pts, (m->nr_pts + 1) * sizeof(*m->pts));
	m->pts[m->nr_pts++] = (struct merge_point){ .dir = dir,
		                                    .id = xstrdup(id),
		                                    .results = results,
		                                    .index = json_integer_value(json_dotted_get(
		                                            results, "point.index")) };
}

struct merge_scan {
	struct merge *m;
	const char *dir; /* borrowed */
};

/* One entry of DIR/points: added if complete. */
static int merge_scan_point(void *ctx, const char *id)
{
	struct merge_scan *s = ctx;
	json_t *r = results_load_point(s->dir, id, "point skipped"); /* else unfinished */

	if (r)
		merge_add(s->m, s->dir, id, r);
	return 0;
}

/* The complete points of @dir; 0, or 2 if it is no output folder (unless @optional). */
static int merge_scan(struct merge *m, const char *dir, bool optional)
{
	struct merge_scan s = { m, dir };

	if (results_each_point(dir, merge_scan_point, &s) == 0 || optional)
		return 0;
	fprintf(stderr, "mmsim: merge: %s: not an output folder of 'mmsim run' (no %s/points)\n",
	        dir, dir);
	return 2;
}

static int merge_cmp(const void *a, const void *b)
{
	const struct merge_point *p = a, *q = b;
	int c = strcmp(p->id, q->id);

	if (p->index != q->index)
		return p->index < q->index ? -1 : 1;
	return c ? c : strcmp(p->dir, q->dir);
}

static const char *merge_str(const struct merge_point *p, const char *path)
{
	const char *s = json_string_value(json_dotted_get(p->results, path));

	return s ? s : "?";
}

/* Both of one scenario; else 2 after a message. */
static int merge_same_scenario(const struct merge_point *p, const struct merge_point *q)
{
	if (strcmp(merge_str(p, "scenario.sha256"), merge_str(q, "scenario.sha256")) == 0 &&
	    strcmp(merge_str(p, "scenario.name"), merge_str(q, "scenario.name")) == 0 &&
	    json_equal(json_dotted_get(p->results, "scenario.axes"),
	               json_dotted_get(q->results, "scenario.axes")))
		return 0;
	fprintf(stderr,
	        "mmsim: merge: %s/points/%s is of scenario '%s' (sha256 %.12s), %s/points/%s of "
	        "'%s' (sha256 %.12s): folders of different scenarios\n",
	        p->dir, p->id, merge_str(p, "scenario.name"), merge_str(p, "scenario.sha256"),
	        q->dir, q->id, merge_str(q, "scenario.name"), merge_str(q, "scenario.sha256"));
	return 2;
}

/* @q after @p in sweep order: the same point with the same results, or another place. */
static int merge_no_conflict(const struct merge_point *p, const struct merge_point *q)
{
	if (strcmp(p->id, q->id) == 0 && !json_equal(p->results, q->results)) {
		fprintf(stderr,
		        "mmsim: merge: point %s has other results in %s than in %s (conflicting "
		        "duplicates: another mmsim or SimGrid version?)\n",
		        p->id, q->dir, p->dir);
		return 2;
	}
	if (strcmp(p->id, q->id) != 0 && p->index == q->index) {
		fprintf(stderr,
		        "mmsim: merge: sweep point %lld is %s in %s and %s in %s (runs with other "
		        "--set or --seed options)\n",
		        (long long)p->index, p->id, p->dir, q->id, q->dir);
		return 2;
	}
	return 0;
}

static int merge_check(struct merge *m)
{
	if (!m->nr_pts) {
		fprintf(stderr, "mmsim: merge: no complete point to merge\n");
		return 2;
	}
	qsort(m->pts, m->nr_pts, sizeof(*m->pts), merge_cmp);
	for (unsigned i = 1; i < m->nr_pts; i++)
		if (merge_same_scenario(&m->pts[0], &m->pts[i]) ||
		    merge_no_conflict(&m->pts[i - 1], &m->pts[i]))
			return 2;
	return 0;
}

/* Whether folders @a and @b are the same. */
static bool merge_same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Whether point @i (the first of its id) is in the target folder already. */
static bool merge_in_out(const struct merge *m, unsigned i)
{
	for (unsigned j = i; j < m->nr_pts && strcmp(m->pts[j].id, m->pts[i].id) == 0; j++)
		if (merge_same_dir(m->pts[j].dir, m->out))
			return true;
	return false;
}

/* Copies the points not in the target folder yet; 0 or 1. */
static int merge_copy(const struct merge *m)
{
	char *points = xasprintf("%s/points", m->out);
	int rc = mkdir_p(points) ? 1 : 0;

	for (unsigned i = 0; rc == 0 && i < m->nr_pts; i++) {
		char *from, *to;

		if ((i && strcmp(m->pts[i].id, m->pts[i - 1].id) == 0) || merge_in_out(m, i))
			continue;
		from = xasprintf("%s/points/%s", m->pts[i].dir, m->pts[i].id);
		to = xasprintf("%s/%s", points, m->pts[i].id);
		remove_tree(to); /* an unfinished copy of it */
		if (copy_tree(from, to, "results.json")) {
			fprintf(stderr, "mmsim: merge: cannot copy %s to %s\n", from, to);
			rc = 1;
		}
		free(from);
		free(to);
	}
	free(points);
	return rc;
}

/* The entry of point @p in its folder's manifest.json, or one made from its results. */
static json_t *merge_manifest_entry(const struct merge_point *p)
{
	char *path = xasprintf("%s/manifest.json", p->dir);
	json_t *man = json_load_file(path, 0, NULL), *e, *found = NULL;
	size_t i;

	free(path);
	json_array_foreach (json_object_get(man, "points"), i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));

		if (!found && id && strcmp(id, p->id) == 0)
			found = json_incref(e);
	}
	json_decref(man);
	if (found)
		return found;
	return json_pack("{ss sI sO sO sO ss sn sn sO sO}", "id", p->id, "index", p->index, "swept",
	                 json_dotted_get(p->results, "point.swept"), "replications",
	                 json_dotted_get(p->results, "replications.n"), "seeds",
	                 json_dotted_get(p->results, "replications.seeds"), "status", "ok",
	                 "wall_s", "work_s", "mmsim_version",
	                 json_object_get(p->results, "mmsim_version"), "simgrid_version",
	                 json_object_get(p->results, "simgrid_version"));
}

/* summary.csv and manifest.json over the points, once each, in sweep order; 0 or 1. */
static int merge_write(const struct merge *m)
{
	json_t *results = json_array();
	json_t *man = manifest_new(json_dotted_get(m->pts[0].results, "scenario"));
	int rc;

	for (unsigned i = 0; i < m->nr_pts; i++) {
		if (i && strcmp(m->pts[i].id, m->pts[i - 1].id) == 0)
			continue;
		json_array_append(results, m->pts[i].results);
		manifest_add(man, merge_manifest_entry(&m->pts[i]));
	}
	rc = report_summary(m->out, json_dotted_get(m->pts[0].results, "scenario.axes"), results);
	rc = manifest_write(m->out, man) || rc ? 1 : 0;
	if (rc == 0 && !m->quiet)
		printf("merged %zu points from %u folder%s into %s\n", json_array_size(results),
		       m->nr_dirs, m->nr_dirs == 1 ? "" : "s", m->out);
	json_decref(results);
	json_decref(man);
	return rc;
}

/*
 * The run the folders hold, from their origin.json (the target's too): all
 * that have one must agree; *@origin (new reference) that, or NULL. 0 or 2.
 */
static int merge_origin(const struct merge *m, json_t **origin)
{
	const char *from = NULL;

	*origin = NULL;
	for (unsigned i = 0; i <= m->nr_dirs; i++) {
		const char *dir = i < m->nr_dirs ? m->dirs[i] : m->out;
		json_t *o = outdir_origin_of(dir);

		if (o && *origin && !json_equal(o, *origin)) {
			fprintf(stderr,
			        "mmsim: merge: %s/%s and %s/%s differ: folders of runs with other "
			        "scenarios, --set or --seed options\n",
			        from, OUTDIR_ORIGIN, dir, OUTDIR_ORIGIN);
			json_decref(o);
			return 2;
		}
		if (o && !*origin) {
			*origin = o;
			from = dir;
		} else {
			json_decref(o);
		}
	}
	return 0;
}

static void merge_release(struct merge *m)
{
	for (unsigned i = 0; i < m->nr_pts; i++) {
		free(m->pts[i].id);
		json_decref(m->pts[i].results);
	}
	free(m->pts);
	free(m->dirs);
}

int merge_main(int argc, char **argv)
{
	struct merge m = { 0 };
	bool out_listed = false;
	json_t *origin = NULL;
	int rc = merge_parse(&m, argc, argv);

	if (rc == 1) { /* --help */
		merge_release(&m);
		return 0;
	}
	for (unsigned i = 0; rc == 0 && i < m.nr_dirs; i++) {
		rc = merge_scan(&m, m.dirs[i], false);
		out_listed = out_listed || merge_same_dir(m.dirs[i], m.out);
	}
	if (rc == 0 && !out_listed) /* what the target holds must agree too */
		rc = merge_scan(&m, m.out, true);
	if (rc == 0)
		rc = merge_check(&m);
	if (rc == 0)
		rc = merge_origin(&m, &origin);
	if (rc == 0 && (rc = outdir_open(m.out, origin)) == 0) {
		rc = merge_copy(&m);
		if (rc == 0)
			rc = merge_write(&m);
		outdir_close(m.out);
	}
	json_decref(origin);
	merge_release(&m);
	return rc;
}
