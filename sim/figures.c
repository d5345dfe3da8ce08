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
	{ "logx", PARAM_BOOL, F(logx), 0, 0, "false", "logarithmic x axis", NULL, false },
	{ "logy", PARAM_BOOL, F(logy), 0, 0, "false", "logarithmic y axis", NULL, false },
	{ "ci",   PARAM_ENUM, F(ci),   0, 0, "\"band\"", "confidence intervals, where the summary has them", figure_ci_names, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */

/* The other keys of a figure, read by hand; a panel's: all but "name" (its figure's). */
static const char *const figure_keys[] = { "name",   "title",  "x",      "y",   "series",
	                                   "where",  "xlabel", "ylabel", "cdf", "key_title",
	                                   "titles", "hline",  NULL };
static const char *const *const panel_keys = figure_keys + 1;

/* The keys of a figure of panels: the others go in each panel. */
static const char *const multi_keys[] = { "name", "title", "columns", "panels", NULL };

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
static bool figures_where_value(struct diag *d, json_t *v, const char *path, struct figure_where *w)
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

/* One entry of an object-valued key, @key: @v (at @at), into @f. */
typedef void figures_entry_fn(struct diag *d, const char *key, json_t *v, const char *at,
                              struct figure *f);

/* The object at @name of @obj, {"key": value, ...} (@what: what it maps), each entry to @entry. */
static void figures_load_object(struct diag *d, json_t *obj, const char *path, const char *name,
                                const char *what, figures_entry_fn *entry, struct figure *f)
{
	json_t *map = json_object_get(obj, name), *v;
	char *p = xasprintf("%s.%s", path, name);
	const char *key;

	if (map && !json_is_object(map))
		diag_error(d, p, "object expected (%s), got %s", what, json_kind(map));
	json_object_foreach (json_is_object(map) ? map : NULL, key, v) {
		char *kp = xasprintf("%s[\"%s\"]", p, key);

		entry(d, key, v, kp, f);
		free(kp);
	}
	free(p);
}

/* A "where" filter: the rows whose column @key holds @v. */
static void figures_where_entry(struct diag *d, const char *key, json_t *v, const char *at,
                                struct figure *f)
{
	struct figure_where *w = &f->where[f->nr_where];

	if (!*key)
		diag_error(d, at, "column path expected, got an empty string");
	else if (figures_where_value(d, v, at, w))
		w->column = xstrdup(key), f->nr_where++;
}

/* A "titles" entry: the key's text @v for the series value or y column @key. */
static void figures_title_entry(struct diag *d, const char *key, json_t *v, const char *at,
                                struct figure *f)
{
	struct figure_rename *r = &f->titles[f->nr_titles];

	if (!*key) {
		diag_error(d, at, "a series value or a y column expected, got an empty string");
	} else if (!json_is_string(v)) {
		diag_error(d, at, "string expected, got %s", json_kind(v));
	} else {
		r->from = xstrdup(key);
		r->to = xstrdup(json_string_value(v));
		f->nr_titles++;
	}
}

/* "hline": {"y": number, "title": text}, a horizontal line marking a target or an answer. */
static void figures_load_hline(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	json_t *h = json_object_get(obj, "hline"), *y;
	char *p = xasprintf("%s.hline", path);
	const char *key;
	json_t *v;

	if (h && !json_is_object(h)) {
		diag_error(d, p, "object expected ({\"y\": number, \"title\": text}), got %s",
		           json_kind(h));
	} else if (h) {
		json_object_foreach (h, key, v) {
			char *kp = xasprintf("%s.%s", p, key);

			if (strcmp(key, "y") != 0 && strcmp(key, "title") != 0)
				diag_error(d, kp, "unknown key '%s' (expected: y, title)", key);
			free(kp);
		}
		y = json_object_get(h, "y");
		if (!y) {
			diag_error(d, p, "missing key 'y'");
		} else if (!json_is_number(y)) {
			char *yp = xasprintf("%s.y", p);

			diag_error(d, yp, "number expected, got %s", json_kind(y));
			free(yp);
		}
		f->hline = json_number_value(y);
		f->hline_title = figures_string(d, h, p, "title", true, NULL);
	}
	free(p);
}

/* "x" and "y", or "cdf" (whose x is the histogram's value and y the fraction). */
static void figures_load_axes(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	f->cdf = figures_string(d, obj, path, "cdf", false, "histogram path");
	if (!json_object_get(obj, "cdf")) {
		f->x = figures_string(d, obj, path, "x", true, "column path");
		figures_load_y(d, obj, path, f);
		return;
	}
	f->y = xcalloc(1, sizeof(*f->y));
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "y" : "x";
		char *p = xasprintf("%s.%s", path, key);

		if (json_object_get(obj, key))
			diag_error(d, p,
			           "a 'cdf' figure draws the histogram's values (x) and fractions "
			           "(y): no '%s' expected",
			           key);
		free(p);
	}
}

static void figures_load_multi(struct diag *d, json_t *obj, const char *path, struct figure *f);

/* Figure @obj at @path into @f; @parent: the figure whose panel it is, or NULL. */
static void figures_load_one(struct diag *d, json_t *obj, const char *path, struct figure *f,
                             const struct figure *parent)
{
	struct params_ctx c = { .diag = d };
	const char *name;

	if (!json_is_object(obj)) {
		diag_error(d, path, "object expected, got %s", json_kind(obj));
		return;
	}
	if (!parent && json_object_get(obj, "panels")) {
		figures_load_multi(d, obj, path, f);
		return;
	}
	if (parent)
		f->name = xstrdup(parent->name ? parent->name : "");
	else if ((name = scenario_name_get(d, obj, path)))
		f->name = xstrdup(name);
	/* also: unknown keys */
	params_load(&c, obj, path, figure_params, f, parent ? panel_keys : figure_keys, true);
	f->title = figures_string(d, obj, path, "title", false, NULL);
	figures_load_axes(d, obj, path, f);
	f->series = figures_string(d, obj, path, "series", false, "column path");
	f->where = xcalloc(json_object_size(json_object_get(obj, "where")), sizeof(*f->where));
	figures_load_object(d, obj, path, "where", "column: value", figures_where_entry, f);
	f->xlabel = figures_string(d, obj, path, "xlabel", false, NULL);
	f->ylabel = figures_string(d, obj, path, "ylabel", false, NULL);
	f->key_title = figures_string(d, obj, path, "key_title", false, NULL);
	f->titles = xcalloc(json_object_size(json_object_get(obj, "titles")), sizeof(*f->titles));
	figures_load_object(d, obj, path, "titles", "series value or y column: text",
	                    figures_title_entry, f);
	figures_load_hline(d, obj, path, f);
}

/* "columns": of the panels' grid, 1 to the number of panels (default: up to 3; none: no check). */
static void figures_load_columns(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	json_t *v = json_object_get(obj, "columns");
	char *p = xasprintf("%s.columns", path);

	f->columns = f->nr_panels < 3 ? f->nr_panels : 3;
	if (v && f->nr_panels &&
	    (!json_is_integer(v) || json_integer_value(v) < 1 ||
	     json_integer_value(v) > (json_int_t)f->nr_panels))
		diag_error(d, p, "an integer from 1 to %u (the panels) expected, got %s",
		           f->nr_panels,
		           json_is_integer(v) ? num(json_integer_value(v)).s : json_kind(v));
	else if (v)
		f->columns = (unsigned)json_integer_value(v);
	free(p);
}

/* A figure of "panels": a name, a title, the grid's columns and the panels. */
static void figures_load_multi(struct diag *d, json_t *obj, const char *path, struct figure *f)
{
	json_t *panels = json_object_get(obj, "panels"), *v;
	char *p = xasprintf("%s.panels", path);
	const char *key, *name;
	size_t i;

	json_object_foreach (obj, key, v) {
		char *kp = xasprintf("%s.%s", path, key);
		unsigned k = 0;

		while (multi_keys[k] && strcmp(multi_keys[k], key) != 0)
			k++;
		if (!multi_keys[k])
			diag_error(d, kp,
			           "unknown key '%s' in a figure of panels (expected: name, title, "
			           "columns, panels; '%s' goes in each panel)",
			           key, key);
		free(kp);
	}
	if ((name = scenario_name_get(d, obj, path)))
		f->name = xstrdup(name);
	f->title = figures_string(d, obj, path, "title", false, NULL);
	if (!json_is_array(panels))
		diag_error(d, p, "array of panels expected, got %s", json_kind(panels));
	else if (json_array_size(panels) == 0)
		diag_error(d, p, "at least one panel expected, got an empty array");
	f->panels = xcalloc(json_array_size(panels), sizeof(*f->panels));
	json_array_foreach (json_is_array(panels) ? panels : NULL, i, v) {
		char *ep = xasprintf("%s[%zu]", p, i);

		figures_load_one(d, v, ep, &f->panels[f->nr_panels++], f);
		free(ep);
	}
	figures_load_columns(d, obj, path, f);
	free(p);
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

		figures_load_one(d, el, p, f, NULL);
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

static void figure_release(struct figure *f)
{
	for (unsigned j = 0; j < f->nr_y; j++)
		free(f->y[j]);
	for (unsigned j = 0; j < f->nr_where; j++) {
		free(f->where[j].column);
		free(f->where[j].text);
	}
	for (unsigned j = 0; j < f->nr_titles; j++) {
		free(f->titles[j].from);
		free(f->titles[j].to);
	}
	for (unsigned j = 0; j < f->nr_panels; j++)
		figure_release(&f->panels[j]);
	free(f->y);
	free(f->where);
	free(f->titles);
	free(f->panels);
	free(f->name);
	free(f->title);
	free(f->x);
	free(f->series);
	free(f->xlabel);
	free(f->ylabel);
	free(f->hline_title);
	free(f->cdf);
	free(f->key_title);
}

void figures_free(struct figure *figs, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		figure_release(&figs[i]);
	free(figs);
}

const char *figure_title_of(const struct figure *f, const char *from)
{
	for (unsigned i = 0; i < f->nr_titles; i++)
		if (strcmp(f->titles[i].from, from) == 0)
			return f->titles[i].to;
	return NULL;
}

const char *figure_unit(const char *key, size_t *stem_len)
{
	/* longest suffixes first: "_per_s" before "_s" */
	static const char *const units[][2] = {
		{ "_per_s", "1/s" }, { "_ns", "ns" },       { "_us", "µs" },       { "_ms", "ms" },
		{ "_s", "s" },       { "_bytes", "bytes" }, { "_pages", "pages" }, { "_kb", "KB" },
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
