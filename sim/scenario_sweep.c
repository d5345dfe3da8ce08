/*
 * scenario_sweep.c - from a scenario file's JSON to its points (see
 * scenario_impl.h): the --set and --vary overrides, the figures and the
 * sweep taken out, each point's JSON made and loaded, and the checks that
 * take every point (distinct points, the values a sweep replaces).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/figures.h"
#include "sim/json_path.h"
#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

/* @text as JSON, or a bare word as a string; NULL after an error. */
static json_t *override_value(const char *text, char **error)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	char *end;

	if (v)
		return v;
	if (!*text) {
		*error = xstrdup("value expected after '='");
		return NULL;
	}
	/* a number JSON cannot hold (1e999, nan, 0x10) is not a word: "got string" would mislead */
	(void)strtod(text, &end);
	if (end != text && !*end) {
		*error = xasprintf("finite JSON number expected, got '%s'", text);
		return NULL;
	}
	if (strchr("{[\"", text[0])) {
		*error = xasprintf("'%s' is not valid JSON: %s", text, e.text);
		return NULL;
	}
	return json_string(text);
}

/* An axis override: @values (stolen, a list) become the last axis of the sweep; 0 or -1. */
static int override_axis(json_t *root, const char *path, json_t *values, char **error)
{
	json_t *sweep = json_object_get(root, "sweep");

	if (!json_is_array(values) || json_array_size(values) == 0) {
		*error = xasprintf("a list of values expected, got %s", json_kind(values));
		json_decref(values);
		return -1;
	}
	if (!sweep)
		json_object_set_new(root, "sweep", sweep = json_object());
	if (json_is_object(sweep))
		return json_object_set_new(sweep, path, values);
	json_decref(values); /* a bad sweep: take_sweep says so */
	return 0;
}

/*
 * --set kernel=5.3: a profile's name, even where it looks like a number (as
 * JSON, 3.10 would be 3.1); a quoted one is JSON as usual.
 */
static bool override_is_kernel(const struct override *ov)
{
	return !ov->axis && strcmp(ov->path + (ov->path[0] == '.'), "kernel") == 0 &&
	       ov->value[0] != '"';
}

/* "with --set a=1, --vary b=2": @context with override @ov added, if it is shown (new string). */
static char *override_context(char *context, const struct override *ov)
{
	char *t;

	if (ov->option && !*ov->option)
		return context;
	t = xasprintf("%s%s%s %s=%s", context ? context : "with ", context ? ", " : "",
	              ov->option ? ov->option : "--set", ov->path, ov->value);
	free(context);
	return t;
}

/*
 * Applies the --set options (and the axes of @ov); returns "with --set a=1,
 * --set b=2" for the messages (new string, NULL if none applied): values may
 * come from there.
 */
static char *apply_overrides(struct diag *d, json_t *root, const struct override *ov, unsigned n)
{
	char *context = NULL;

	for (unsigned i = 0; i < n; i++) {
		json_t *sweep = json_object_get(root, "sweep"); /* an axis may have made it */
		char *err = NULL, *t;
		json_t *v = override_is_kernel(&ov[i]) ? json_string(ov[i].value)
		                                       : override_value(ov[i].value, &err);
		int rc = -1;

		if (json_is_object(sweep))
			json_object_del(sweep, ov[i].path);
		if (v)
			rc = ov[i].axis ? override_axis(root, ov[i].path, v, &err)
			                : json_path_set(root, ov[i].path, v, &err);
		if (rc == 0) {
			context = override_context(context, &ov[i]);
		} else {
			t = xasprintf("%s %s",
			              ov[i].option && *ov[i].option ? ov[i].option : "--set",
			              ov[i].path);
			diag_error(d, t, "%s", err);
			free(t);
		}
		free(err);
	}
	return context;
}

/* Checks the sweep and takes its axes out of @root. */
static json_t *take_sweep(struct diag *d, json_t *root, struct scenario_set *set)
{
	json_t *sweep = json_object_get(root, "sweep"), *vals;
	const char *key;

	if (!sweep)
		return json_object();
	json_incref(sweep);
	json_object_del(root, "sweep");
	if (!json_is_object(sweep)) {
		diag_error(d, ".sweep", "object expected (parameter path: list of values), got %s",
		           json_kind(sweep));
		json_decref(sweep);
		return json_object();
	}
	set->axes = xcalloc(json_object_size(sweep), sizeof(*set->axes));
	json_object_foreach (sweep, key, vals) {
		char *p = xasprintf(".sweep[\"%s\"]", key);

		if (!json_is_array(vals))
			diag_error(d, p, "array of values expected, got %s", json_kind(vals));
		else if (json_array_size(vals) == 0)
			diag_error(d, p, "empty sweep: at least one value expected");
		else
			set->axes[set->nr_axes++] = xstrdup(key);
		free(p);
	}
	return sweep;
}

/*
 * Checks the figures and takes them out of @root, and the sweep axes that
 * would change them out of its sweep: every point is drawn by each figure.
 */
static void take_figures(struct diag *d, json_t *root, struct scenario_set *set)
{
	json_t *figs = json_incref(json_object_get(root, "figures"));
	json_t *sweep = json_object_get(root, "sweep"), *v;
	const char *key;
	void *tmp;

	json_object_del(root, "figures");
	figures_load(d, figs, &set->figures, &set->nr_figures);
	json_decref(figs);
	json_object_foreach_safe(json_is_object(sweep) ? sweep : NULL, tmp, key, v)
	{
		const char *axis = key + (key[0] == '.');

		if (strncmp(axis, "figures", 7) == 0 && strchr(".[", axis[7])) {
			char *p = xasprintf(".sweep[\"%s\"]", key);

			diag_error(d, p, "the figures cannot be swept (each draws every point)");
			json_object_del(sweep, key);
			free(p);
		}
	}
}

#define SWEEP_MAX_POINTS 100000

/* The number of points, or 0 after an error if there are too many. */
static unsigned sweep_point_count(struct diag *d, json_t *sweep, const struct scenario_set *set)
{
	double n = 1;

	for (unsigned a = 0; a < set->nr_axes; a++)
		n *= (double)json_array_size(json_object_get(sweep, set->axes[a]));
	if (n > SWEEP_MAX_POINTS) {
		diag_error(d, ".sweep",
		           "%.15g points (the product of the axis lengths) out of range [1, %d]", n,
		           SWEEP_MAX_POINTS);
		return 0;
	}
	return (unsigned)n;
}

/* Point @idx: the first axis varies slowest. */
static json_t *sweep_point(struct diag *d, json_t *base, json_t *sweep,
                           const struct scenario_set *set, unsigned idx, json_t **swept)
{
	json_t *root = json_deep_copy(base);
	unsigned stride = 1;

	*swept = json_object();
	for (int a = (int)set->nr_axes - 1; a >= 0; a--) {
		json_t *vals = json_object_get(sweep, set->axes[a]);
		size_t n = json_array_size(vals);
		json_t *v = json_array_get(vals, (idx / stride) % n);
		char *err;

		stride *= (unsigned)n;
		json_object_set(*swept, set->axes[a], v);
		if (json_path_set(root, set->axes[a], json_deep_copy(v), &err) == 0 &&
		    json_object_get(root, "sweep")) { /* would be ignored */
			err = xstrdup("a sweep axis cannot change the sweep");
			json_object_del(root, "sweep");
		}
		if (err) {
			char *p = xasprintf(".sweep[\"%s\"]", set->axes[a]);

			diag_error(d, p, "%s", err);
			free(p);
			free(err);
		}
	}
	return root;
}

/* The swept values of a point, as JSON with the axes in file order. */
static char *sweep_point_text(const struct scenario_set *set, json_t *swept)
{
	json_t *ordered = json_object();
	char *s;

	for (unsigned a = 0; a < set->nr_axes; a++)
		json_object_set(ordered, set->axes[a], json_object_get(swept, set->axes[a]));
	s = json_dumps(ordered, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
	json_decref(ordered);
	return s;
}

/*
 * Keeps only what 'validate' and 'points' print of point @s: its id, name,
 * index and swept values. A 1e5-point sweep then holds a few MB, not 2 GB
 * of resolved parameters (malloc's work on them was most of the time too).
 */
static void scenario_slim(struct scenario *s)
{
	struct scenario keep = { .index = s->index, .swept = s->swept, .name = s->name };

	memcpy(keep.id, s->id, sizeof(keep.id));
	s->swept = NULL;
	s->name = NULL;
	scenario_release(s);
	*s = keep;
}

static void load_points(struct diag *d, json_t *root, json_t *sweep, struct scenario_set *set,
                        const char *dir, const char *context, bool slim)
{
	struct scenario_loader L = { .diag = d, .dir = dir, .file = set->path };

	set->nr_points = sweep_point_count(d, sweep, set);
	set->points = xcalloc(set->nr_points, sizeof(*set->points));
	for (unsigned i = 0; i < set->nr_points && d->n < DIAG_MAX; i++) {
		json_t *swept, *point = sweep_point(d, root, sweep, set, i, &swept);
		char *text = set->nr_axes ? sweep_point_text(set, swept) : NULL;

		d->context = context;
		d->point = text;
		d->axes = set->axes;
		d->nr_axes = set->nr_axes;
		d->points++;
		scenario_parse(&L, point, &set->points[i]);
		set->points[i].swept = swept;
		set->points[i].index = i;
		if (slim && i > 0)
			scenario_slim(&set->points[i]);
		d->context = NULL;
		d->point = NULL;
		free(text);
		json_decref(point);
	}
}

static int point_id_cmp(const void *a, const void *b)
{
	const struct scenario *p = *(const struct scenario *const *)a;
	const struct scenario *q = *(const struct scenario *const *)b;
	int c = strcmp(p->id, q->id);

	return c ? c : p->index < q->index ? -1 : 1;
}

/*
 * Two points with one id would write one folder (and race there): a value
 * listed twice in a sweep, or two that resolve alike (1 and 1.0).
 */
static void check_distinct_points(struct diag *d, const struct scenario_set *set)
{
	const struct scenario **by_id = xcalloc(set->nr_points, sizeof(*by_id));

	for (unsigned i = 0; i < set->nr_points; i++)
		by_id[i] = &set->points[i];
	qsort(by_id, set->nr_points, sizeof(*by_id), point_id_cmp);
	for (unsigned i = 1; i < set->nr_points && d->n < DIAG_MAX; i++) {
		const struct scenario *p = by_id[i - 1], *q = by_id[i];
		char *a, *b;

		if (strcmp(p->id, q->id) != 0)
			continue;
		a = json_dumps(p->swept, JSON_COMPACT | JSON_SORT_KEYS);
		b = json_dumps(q->swept, JSON_COMPACT | JSON_SORT_KEYS);
		diag_error(d, ".sweep",
		           "points %u %s and %u %s are one point (id %s): a value listed twice?",
		           p->index, a, q->index, b, p->id);
		free(a);
		free(b);
	}
	free(by_id);
}

/*
 * The values a sweep replaces must be valid too: the file is checked as the
 * point that keeps them (the first swept value where it has none), so that
 * "kernel": "9.9.9" under a sweep of the kernel is found before the sweep
 * is dropped. Only once every point is valid: an error there is then the
 * replaced value's.
 */
static void check_base(struct diag *d, json_t *root, json_t *sweep, struct scenario_set *set,
                       const char *dir, const char *context)
{
	struct scenario_loader L = { .diag = d, .dir = dir, .file = set->path };
	json_t *base = json_deep_copy(root);
	struct scenario s = { 0 };
	char *note = NULL;

	for (unsigned a = 0; a < set->nr_axes; a++) {
		json_t *first = json_array_get(json_object_get(sweep, set->axes[a]), 0);
		char *err = NULL;

		if (json_path_get(root, set->axes[a]))
			note = note ? note : xstrdup(context ? context : "");
		else if (json_path_set(base, set->axes[a], json_deep_copy(first), &err))
			free(err); /* reported by the points */
	}
	if (note) {
		char *t = xasprintf("%s%sin the file, where the sweep replaces it", note,
		                    *note ? "; " : "");

		d->context = t;
		d->point = NULL;
		scenario_parse(&L, base, &s);
		scenario_release(&s);
		d->context = NULL;
		free(t);
	}
	free(note);
	json_decref(base);
}

void scenario_load_sweep(struct diag *d, json_t *root, struct scenario_set *set, const char *dir,
                         const struct override *overrides, unsigned nr_overrides, bool slim)
{
	char *context;
	json_t *sweep;
	int before;

	/* the included file first: --set changes the merged scenario, as if written in it */
	for (unsigned i = 0; i < nr_overrides; i++) {
		char *err = NULL; /* reported by apply_overrides */
		json_t *v;

		if (!overrides[i].axis &&
		    strcmp(overrides[i].path + (overrides[i].path[0] == '.'), "include") == 0 &&
		    (v = override_value(overrides[i].value, &err)))
			json_object_set_new(root, "include", v);
		free(err);
	}
	scenario_include(d, root, dir);
	context = apply_overrides(d, root, overrides, nr_overrides);
	json_object_del(root, "include"); /* merged already */

	take_figures(d, root, set);
	before = d->total; /* a failed --set or figure is left out; the rest is still checked */
	sweep = take_sweep(d, root, set);
	if (d->total == before)
		load_points(d, root, sweep, set, dir, context, slim);
	if (d->total == 0 && set->nr_axes)
		check_base(d, root, sweep, set, dir, context);
	if (d->total == 0 && set->nr_axes)
		check_distinct_points(d, set);
	json_decref(sweep);
	free(context);
}
