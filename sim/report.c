/* report.c - after the pool: summary.csv, manifest.json, usl.csv, the table (see report.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json_path.h"
#include "sim/manifest.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/reps.h"
#include "sim/results.h"
#include "sim/usl.h"
#include "sim/util.h"

void report_columns(json_t *o, const char *prefix, json_t *cols)
{
	const char *key;
	json_t *v;

	json_object_foreach (o, key, v) {
		char *p = *prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key);

		if (json_is_object(v))
			report_columns(v, p, cols);
		else if (!json_object_get(cols, p))
			json_object_set_new(cols, p, json_true());
		free(p);
	}
}

void report_value(FILE *f, json_t *v)
{
	if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%.9g", json_real_value(v));
	else if (json_is_string(v))
		fprintf(f, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		fprintf(f, "%s", json_is_true(v) ? "true" : "false");
	else if (v) { /* a distribution object: one quoted CSV field */
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));

		fputc('"', f);
		for (const char *c = s; *c; c++)
			if (*c == '"')
				fputs("\"\"", f);
			else
				fputc(*c, f);
		fputc('"', f);
		free(s);
	}
}

/* What the columns depend on: the metrics, and whether any point has an interval or MSER-5. */
struct report_shape {
	json_t *cols; /* owned: {dotted path: true}, in order */
	bool ci;      /* M.ci_lo, M.ci_hi */
	bool mser;    /* warmup.detected_s */
};

static void report_shape(struct report_shape *sh, json_t *results)
{
	size_t i;
	json_t *r;

	*sh = (struct report_shape){ .cols = json_object() };
	json_array_foreach (results, i, r) {
		const char *method = json_string_value(json_dotted_get(r, "warmup.method"));

		report_columns(json_object_get(r, "metrics"), "", sh->cols);
		sh->ci = sh->ci || json_integer_value(json_dotted_get(r, "replications.n")) >= 2;
		sh->mser = sh->mser || (method && strcmp(method, "mser5") == 0);
	}
}

static void report_header(FILE *f, json_t *axes, const struct report_shape *sh)
{
	const char *col;
	size_t i;
	json_t *v;

	fprintf(f, "point");
	json_array_foreach (axes, i, v)
		fprintf(f, ",%s", json_string_value(v));
	fprintf(f, ",replications%s", sh->mser ? ",warmup.detected_s" : "");
	json_object_foreach (sh->cols, col, v) {
		fprintf(f, ",%s", col);
		if (sh->ci)
			fprintf(f, ",%s.ci_lo,%s.ci_hi", col, col);
	}
	fputc('\n', f);
}

static void report_row(FILE *f, json_t *r, json_t *axes, const struct report_shape *sh)
{
	json_t *metrics = json_object_get(r, "metrics"), *ci = json_object_get(r, "metrics_ci");
	json_t *n = json_dotted_get(r, "replications.n"), *v;
	const char *col;
	size_t i;

	report_value(f, json_dotted_get(r, "point.id"));
	json_array_foreach (axes, i, v) {
		fputc(',', f);
		report_value(f, json_object_get(json_dotted_get(r, "point.swept"),
		                                json_string_value(v)));
	}
	fprintf(f, ",%lld", n ? (long long)json_integer_value(n) : 1LL);
	if (sh->mser) {
		fputc(',', f);
		report_value(f, json_dotted_get(r, "warmup.detected_s"));
	}
	json_object_foreach (sh->cols, col, v) {
		json_t *lohi = ci ? json_dotted_get(ci, col) : NULL;

		fputc(',', f);
		report_value(f, json_dotted_get(metrics, col));
		if (sh->ci) {
			fputc(',', f);
			report_value(f, json_object_get(lohi, "lo"));
			fputc(',', f);
			report_value(f, json_object_get(lohi, "hi"));
		}
	}
	fputc('\n', f);
}

int report_summary(const char *out, json_t *axes, json_t *results)
{
	char *buf = NULL, *path = xasprintf("%s/summary.csv", out);
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	struct report_shape sh;
	json_t *r;
	int rc;

	report_shape(&sh, results);
	report_header(f, axes, &sh);
	json_array_foreach (results, i, r)
		report_row(f, r, axes, &sh);
	fclose(f);
	rc = write_file_atomic(path, buf, len);
	if (rc)
		fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
	free(buf);
	free(path);
	json_decref(sh.cols);
	return rc;
}

int report_summary_run(const char *out, const struct scenario_set *set,
                       const struct pool_result *res)
{
	json_t *axes = json_array(), *results = json_array(), *r;
	int rc;

	for (unsigned a = 0; a < set->nr_axes; a++)
		json_array_append_new(axes, json_string(set->axes[a]));
	/* the pool's, verified already; the others present in the folder (another shard's) read */
	for (unsigned i = 0; i < set->nr_points; i++)
		if ((r = res && res->pts[i].results
		                 ? json_incref(res->pts[i].results)
		                 : results_load_point(out, set->points[i].id, NULL)))
			json_array_append_new(results, r);
	rc = report_summary(out, axes, results);
	json_decref(axes);
	json_decref(results);
	return rc;
}

/* The manifest entry of a point that ran, failed or was skipped; NULL for the others. */
static json_t *report_manifest_point(const struct scenario *s, const struct point_outcome *o)
{
	static const char *const status[] = {
		[POINT_DONE] = "ok", [POINT_FAILED] = "failed", [POINT_SKIPPED] = "skipped"
	};
	json_t *seeds;

	if (o->state == POINT_UNSELECTED || o->state == POINT_ACTIVE)
		return NULL;
	seeds = json_array();
	if (o->state == POINT_SKIPPED) /* the seeds it was run with */
		json_array_extend(seeds, json_dotted_get(o->results, "replications.seeds"));
	for (unsigned r = 0; r < o->reps; r++) {
		unsigned long seed = reps_seed(s->seed, s->id, r);

		json_array_append_new(seeds, json_integer((json_int_t)seed));
	}
	return manifest_point(s, status[o->state], seeds, o->wall_s, o->work_s);
}

static int report_manifest(const char *out, const struct scenario_set *set,
                           const struct pool_result *res)
{
	json_t *prov = output_provenance(set, &set->points[0]);
	json_t *m = manifest_new(json_object_get(prov, "scenario")), *e;
	int rc;

	for (unsigned i = 0; i < set->nr_points; i++)
		if ((e = report_manifest_point(&set->points[i], &res->pts[i])))
			manifest_add(m, e);
	rc = manifest_write(out, m);
	json_decref(m);
	json_decref(prov);
	return rc;
}

int report_run(const char *out, const struct scenario_set *set, const struct pool_result *res,
               bool quiet)
{
	unsigned finished = 0, selected = 0, failed = 0;
	int rc = report_summary_run(out, set, res);

	rc |= report_manifest(out, set, res);
	/* a thread-count sweep: the Universal Scalability Law fit, OUT/usl.csv */
	if (!res->interrupted)
		rc |= usl_report_to(out, set, quiet ? NULL : stdout);

	for (unsigned i = 0; i < set->nr_points; i++) {
		enum point_state st = res->pts[i].state;

		selected += st != POINT_UNSELECTED;
		finished += st == POINT_DONE || st == POINT_SKIPPED;
		failed += st == POINT_FAILED;
	}
	if (res->interrupted) {
		fprintf(stderr, "mmsim: interrupted: %u of %u point%s finished, kept in %s\n",
		        finished, selected, selected == 1 ? "" : "s", out);
		return 130;
	}
	return rc || failed ? 1 : 0;
}
