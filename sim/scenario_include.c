/*
 * scenario_include.c - a machine file under a scenario (see scenario_impl.h):
 * "include": FILE merges FILE (a partial scenario: the machine, its disk,
 * its kernel, defaults of its operations' costs; `mmsim probe` writes one)
 * under the scenario's own keys, and "op_defaults" gives every op of a kind
 * the keys it does not set itself.
 *
 * The merge: a key the scenario has wins; two objects that are not
 * distributions merge key by key; anything else (a list, a number, a
 * distribution) is taken whole from the scenario. An included file's
 * empirical files are relative to its own folder. Errors in it name it.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "sim/input.h"
#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

/* What an included file may hold: the machine's keys, and its record ("measured", not loaded). */
static const char *const include_keys[] = { "kernel",   "features", "machine",  "disk",
	                                    "devices",  "swap",     "fairness", "op_defaults",
	                                    "measured", NULL };

static bool is_distribution(json_t *v)
{
	return json_is_object(v) && json_object_get(v, "dist");
}

/* @src under @dst: @dst's keys win, plain objects merge. */
static void merge_under(json_t *dst, json_t *src)
{
	const char *key;
	json_t *v, *mine;

	json_object_foreach (src, key, v) {
		mine = json_object_get(dst, key);
		if (!mine)
			json_object_set(dst, key, v);
		else if (json_is_object(mine) && json_is_object(v) && !is_distribution(mine) &&
		         !is_distribution(v))
			merge_under(mine, v);
	}
}

/* Every relative empirical "file" under @v made relative to the scenario's folder: @prefix/file. */
static void rebase_files(json_t *v, const char *prefix)
{
	const char *key;
	json_t *el;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach (v, i, el)
			rebase_files(el, prefix);
		return;
	}
	if (!json_is_object(v))
		return;
	if (is_distribution(v)) {
		const char *dist = json_string_value(json_object_get(v, "dist"));
		const char *file = json_string_value(json_object_get(v, "file"));

		if (dist && strcmp(dist, "empirical") == 0 && file && file[0] != '/')
			json_object_set_new(v, "file", json_sprintf("%s/%s", prefix, file));
		return;
	}
	json_object_foreach (v, key, el)
		rebase_files(el, prefix);
}

/* The included file @shown, parsed; NULL after an error (d->file is @shown). */
static json_t *include_read(struct diag *d, const char *shown)
{
	size_t len;
	char *err, *text = input_read(shown, &len, &err);
	json_error_t e;
	json_t *inc;

	if (!text) {
		diag_error_at(d, 0, 0,
		              "cannot read the included file: %s (a machine file: 'mmsim probe "
		              "--out %s' writes one)",
		              err, shown);
		free(err);
		return NULL;
	}
	inc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	free(text);
	if (!inc)
		diag_error_at(d, e.line, e.column, "%s", e.text);
	else if (!json_is_object(inc))
		diag_error(d, "", "object expected (a machine file), got %s", json_kind(inc));
	if (inc && !json_is_object(inc)) {
		json_decref(inc);
		inc = NULL;
	}
	return inc;
}

/* The keys of @inc checked and its sections loaded alone (errors name @shown); the errors. */
static int include_check(struct diag *d, json_t *inc, const char *shown)
{
	struct scenario_loader L = { .diag = d, .file = shown };
	char *copy = xstrdup(shown);
	struct scenario s = { 0 };
	json_t *allowed = json_object();
	int before = d->total;

	L.dir = dirname(copy);
	scenario_check_keys(d, inc, "", include_keys);
	json_object_del(inc, "measured");
	for (size_t i = 0; include_keys[i]; i++) /* the rest is reported: not loaded */
		if (json_object_get(inc, include_keys[i]))
			json_object_set(allowed, include_keys[i],
			                json_object_get(inc, include_keys[i]));
	scenario_sections_load_present(&L, allowed, &s);
	json_decref(allowed);
	scenario_release(&s);
	json_decref(L.op_defaults);
	free(copy);
	return d->total - before;
}

void scenario_include(struct diag *d, json_t *root, const char *dir)
{
	json_t *v = json_object_get(root, "include"), *inc;
	const char *file = json_string_value(v), *scenario_file = d->file;
	char *shown, *copy, *prefix;

	if (!v)
		return;
	if (!file || !*file) {
		diag_error(d, ".include", "%s expected (a machine file), got %s",
		           file ? "file name" : "string", file ? "an empty string" : json_kind(v));
		json_object_del(root, "include");
		return;
	}
	shown = file[0] == '/' || strcmp(dir, ".") == 0 ? xstrdup(file)
	                                                : xasprintf("%s/%s", dir, file);
	d->file = shown; /* its errors name it */
	if ((inc = include_read(d, shown)) && include_check(d, inc, shown) == 0) {
		copy = xstrdup(file);
		prefix = dirname(copy);
		if (strcmp(prefix, ".") != 0)
			rebase_files(inc, prefix);
		merge_under(root, inc);
		free(copy);
	}
	d->file = scenario_file;
	json_decref(inc);
	free(shown);
	json_object_del(root, "include");
}

/* A point's "include" is gone by then (merged before the sweep): one set by a sweep is not. */
void scenario_load_include(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	(void)s;
	if (json_object_get(root, "include"))
		diag_error(L->diag, ".include",
		           "the included file is merged before the sweep: it cannot be swept");
}

/* The keys an op_defaults entry may give: the op's own, but the mapping it names. */
static struct param *op_default_table(const struct thread_op *top)
{
	size_t n = 0, k = 0;
	struct param *t;

	while (top->params[n].key)
		n++;
	t = xcalloc(n + 1, sizeof(*t));
	for (size_t i = 0; i < n; i++)
		if (top->params[i].type != PARAM_NAME)
			t[k++] = top->params[i];
	return t; /* ended by a zeroed row */
}

/*
 * op_defaults: {"OP": {key: value...}}: each checked with the op's table;
 * the entries without error are kept in L->op_defaults for load_op.
 */
void scenario_load_op_defaults(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	json_t *od = json_object_get(root, "op_defaults"), *v;
	const char *kind;

	(void)s;
	json_decref(L->op_defaults);
	L->op_defaults = json_object();
	if (od && !json_is_object(od))
		diag_error(L->diag, ".op_defaults",
		           "object expected ({\"OP\": {key: value}}), got %s", json_kind(od));
	json_object_foreach (json_is_object(od) ? od : NULL, kind, v) {
		char *path = xasprintf(".op_defaults.%s", kind), *list;
		int index;
		const struct thread_op *top = thread_op_find(kind, &index);
		int before = L->diag->total;

		if (!top) {
			list = scenario_table_names(thread_ops, sizeof(*thread_ops));
			diag_error(L->diag, path, "unknown operation '%s' (expected: %s)", kind,
			           list);
			free(list);
		} else if (!json_is_object(v)) {
			diag_error(L->diag, path, "object expected, got %s", json_kind(v));
		} else {
			struct param *table = op_default_table(top);
			struct op_config scratch = { 0 };

			params_load(&(struct params_ctx){ .diag = L->diag, .dir = L->dir }, v, path,
			            table, &scratch, NULL, false);
			params_release(table, &scratch);
			free(table);
			if (L->diag->total == before)
				json_object_set(L->op_defaults, kind, v);
		}
		free(path);
	}
}

json_t *scenario_op_with_defaults(const struct scenario_loader *L, json_t *op, const char *kind)
{
	json_t *def = json_object_get(L->op_defaults, kind), *merged;

	if (!def)
		return json_incref(op);
	merged = json_deep_copy(def);
	json_object_update(merged, op); /* the op's own keys win */
	return merged;
}
