/*
 * figures.c - the scenario's "figures" declarations (see figures.h): read
 * with the loader's diagnostics, every error reported at its jq path.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/figures.h"
#include "sim/params.h"
#include "sim/scenario.h"
#include "sim/util.h"

static const char *const figure_ci_names[] = { "band", "bars", "none", NULL };

/* clang-format off */
#define F(x) offsetof(struct figure, x)
static const struct param figure_params[] = {
	{ "logx", PARAM_BOOL, F(logx), 0, 0, "false", "logarithmic x axis", NULL },
	{ "logy", PARAM_BOOL, F(logy), 0, 0, "false", "logarithmic y axis", NULL },
	{ "ci",   PARAM_ENUM, F(ci),   0, 0, "\"band\"", "confidence intervals, where the summary has them", figure_ci_names },
	{ .key = NULL },
};
#undef F
/* clang-format on */

/* The other keys of a figure, read by hand. */
static const char *const figure_keys[] = { "name", "title", "x", "y", "series", "where",
					   "xlabel", "ylabel", NULL };

/*
 * The string at @key of @obj (at @path), copied, or NULL: absent (an error
 * if @required) or reported. @what names a column path, which may not be "".
 */
static char *figures_string(struct diag *d, json_t *obj, const char *path, const char *key,
			    bool required, const char *what)
{
	json_t *v = json_object_get(obj, key);
	char *p = xasprintf("%s.%s", path, key), *s = NULL;

	if (!v && required)
		diag_error(d, path, "missing key '%s'", key);
	else if (v && !json_is_string(v))
		diag_error(d, p, "string expected, got %s", json_kind(v));
	else if (v && what && !*json_string_value(v))
		diag_error(d, p, "%s expected, got an empty string", what);
	else if (v)
		s = xstrdup(json_string_value(v));
	free(p);
	return s;
}

/* "y": one or more metric column paths. */
static void figures_load_y(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	json_t *y = json_object_get(obj, "y"), *el;
	char *p = xasprintf("%s.y", path);
	size_t i;

	if (!y)
		diag_error(d, path, "missing key 'y'");
	else if (!json_is_array(y))
		diag_error(d, p, "array of column paths expected, got %s", json_kind(y));
	else if (json_array_size(y) == 0)
		diag_error(d, p, "at least one column path expected, got an empty array");
	f->y = xcalloc(json_array_size(y), sizeof(*f->y));
	json_array_foreach (json_is_array(y) ? y : NULL, i, el) {
		char *ep = xasprintf("%s[%zu]", p, i);

		if (!json_is_string(el))
			diag_error(d, ep, "string expected, got %s", json_kind(el));
		else if (!*json_string_value(el))
			diag_error(d, ep, "column path expected, got an empty string");
		else
			f->y[f->nr_y++] = xstrdup(json_string_value(el));
		free(ep);
	}
	free(p);
}

/* One "where" value: a number, a string or a boolean, as summary.csv spells it. */
static bool figures_where_value(struct diag *d, json_t *v, const char *path,
				struct figure_where *w)
{
	if (json_is_number(v)) {
		w->number = json_number_value(v);
		w->is_number = true;
		w->text = xstrdup(num(w->number).s);
	} else if (json_is_string(v)) {
		w->text = xstrdup(json_string_value(v));
	} else if (json_is_boolean(v)) {
		w->text = xstrdup(json_is_true(v) ? "true" : "false");
	} else {
		diag_error(d, path, "number, string or boolean expected, got %s", json_kind(v));
		return false;
	}
	return true;
}

/* "where": {"column": value, ...}, every one must hold. */
static void figures_load_where(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	json_t *where = json_object_get(obj, "where"), *v;
	char *p = xasprintf("%s.where", path);
	const char *key;

	if (where && !json_is_object(where))
		diag_error(d, p, "object expected (column: value), got %s", json_kind(where));
	f->where = xcalloc(json_object_size(where), sizeof(*f->where));
	json_object_foreach (json_is_object(where) ? where : NULL, key, v) {
		char *kp = xasprintf("%s[\"%s\"]", p, key);
		struct figure_where *w = &f->where[f->nr_where];

		if (!*key)
			diag_error(d, kp, "column path expected, got an empty string");
		else if (figures_where_value(d, v, kp, w))
			w->column = xstrdup(key), f->nr_where++;
		free(kp);
	}
	free(p);
}

static void figures_load_one(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	struct params_ctx c = { .diag = d };
	const char *name;

	if (!json_is_object(obj)) {
		diag_error(d, path, "object expected, got %s", json_kind(obj));
		return;
	}
	if ((name = scenario_name_get(d, obj, path)))
		f->name = xstrdup(name);
	params_load(&c, obj, path, figure_params, f, figure_keys, true); /* also: unknown keys */
	f->title = figures_string(d, obj, path, "title", false, NULL);
	f->x = figures_string(d, obj, path, "x", true, "column path");
	figures_load_y(d, obj, path, f);
	f->series = figures_string(d, obj, path, "series", false, "column path");
	figures_load_where(d, obj, path, f);
	f->xlabel = figures_string(d, obj, path, "xlabel", false, NULL);
	f->ylabel = figures_string(d, obj, path, "ylabel", false, NULL);
}

void figures_load(struct diag *d, json_t *list, struct figure **figs, unsigned *nr)
{
	json_t *el;
	size_t i;

	*nr = 0;
	*figs = NULL;
	if (list && !json_is_array(list)) {
		diag_error(d, ".figures", "array expected, got %s", json_kind(list));
		return;
	}
	*figs = xcalloc(json_array_size(list), sizeof(**figs));
	json_array_foreach (list, i, el) {
		char *p = xasprintf(".figures[%zu]", i);
		struct figure *f = &(*figs)[(*nr)++];

		figures_load_one(d, el, p, f);
		for (size_t j = 0; j < i && f->name; j++) {
			if ((*figs)[j].name && strcmp((*figs)[j].name, f->name) == 0) {
				char *np = xasprintf("%s.name", p);

				diag_error(d, np, "figure name '%s' already used by .figures[%zu]",
					   f->name, j);
				free(np);
			}
		}
		free(p);
	}
}

void figures_free(struct figure *figs, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++) {
		struct figure *f = &figs[i];

		for (unsigned j = 0; j < f->nr_y; j++)
			free(f->y[j]);
		for (unsigned j = 0; j < f->nr_where; j++) {
			free(f->where[j].column);
			free(f->where[j].text);
		}
		free(f->y);
		free(f->where);
		free(f->name);
		free(f->title);
		free(f->x);
		free(f->series);
		free(f->xlabel);
		free(f->ylabel);
		free(f->hline_title);
	}
	free(figs);
}

const char *figure_unit(const char *key, size_t *stem_len)
{
	/* longest suffixes first: "_per_s" before "_s" */
	static const char *const units[][2] = {
		{ "_per_s", "1/s" }, { "_ns", "ns" },	    { "_us", "µs" },	 { "_ms", "ms" },
		{ "_s", "s" },	     { "_bytes", "bytes" }, { "_pages", "pages" }, { "_kb", "KB" },
		{ "_mb", "MB" },     { "_gb", "GB" },
	};
	size_t len = strlen(key);

	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		size_t n = strlen(units[i][0]);

		if (len > n && strcmp(key + len - n, units[i][0]) == 0) {
			*stem_len = len - n;
			return units[i][1];
		}
	}
	*stem_len = len;
	return NULL;
}

char *figure_label(const char *path)
{
	char *p = xstrdup(path), *last = strrchr(p, '.'), *key, *label;
	const char *unit, *stat = NULL;
	size_t stem;

	/* "wait_us.p99": the unit is the key's, the statistic comes after it */
	if (last && last > p && !figure_unit(last + 1, &stem)) {
		*last = '\0';
		key = strrchr(p, '.');
		if (figure_unit(key ? key + 1 : p, &stem))
			stat = last + 1;
		else
			*last = '.';
	}
	key = strrchr(p, '.');
	key = key ? key + 1 : p;
	unit = figure_unit(key, &stem);
	key[stem] = '\0';
	label = xasprintf("%s%s%s%s%s%s", p, stat ? " " : "", stat ? stat : "", unit ? " (" : "",
			  unit ? unit : "", unit ? ")" : "");
	free(p);
	return label;
}
