/*
 * report_table.c - the results table of run and report (see report.h): the
 * columns chosen, the cells formatted (intervals, unquoted names), and the
 * warnings that keep a reader from taking a number for more than it is.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/histfile.h"
#include "sim/json_path.h"
#include "sim/report.h"
#include "sim/util.h"

/* The width of a cell of the text table (more if its name is longer). */
#define TABLE_WIDTH 12
#define TABLE_WIDTH_AXIS 16
#define TABLE_WIDTH_CI 22

int table_parse_format(struct table_spec *spec, const char *arg)
{
	static const char *const names[] = {
		[TABLE_TEXT] = "table", [TABLE_CSV] = "csv", [TABLE_JSON] = "json"
	};

	for (int f = 0; f < 3; f++)
		if (strcmp(arg, names[f]) == 0) {
			spec->format = (enum table_format)f;
			return 0;
		}
	fprintf(stderr, "mmsim: --format: table, csv or json expected, got '%s'\n", arg);
	return 2;
}

/* Whether glob @item matches @path or a group above it; '*' stays within a segment. */
static bool table_matches(const char *item, const char *path)
{
	char *i = xstrdup(item), *p = xstrdup(path);
	bool hit = false;

	for (char *c = i; *c; c++)
		*c = *c == '.' ? '/' : *c;
	for (char *c = p; *c; c++)
		*c = *c == '.' ? '/' : *c;
	for (char *end = p; !hit; end++) {
		char keep = *end;

		if (keep && keep != '/')
			continue;
		*end = '\0';
		hit = fnmatch(i, p, FNM_PATHNAME) == 0;
		*end = keep;
		if (!keep)
			break;
	}
	free(i);
	free(p);
	return hit;
}

static bool table_has(json_t *cols, const char *path)
{
	size_t k;
	json_t *c;

	json_array_foreach (cols, k, c)
		if (strcmp(json_string_value(c), path) == 0)
			return true;
	return false;
}

/* The metric paths --columns @columns names in @metrics (new array), or NULL and *@error. */
json_t *table_expand_paths(const char *columns, json_t *metrics, char **error)
{
	json_t *leaves = json_object(), *cols = json_array(), *leaf;
	char *list = xstrdup(columns), *save = NULL;

	*error = NULL;
	report_columns(metrics, "", leaves);
	for (char *item = strtok_r(list, ",", &save); item && !*error;
	     item = strtok_r(NULL, ",", &save)) {
		bool matched = false;
		const char *path;

		json_object_foreach (leaves, path, leaf) {
			if (!table_matches(item, path))
				continue;
			matched = true;
			if (!table_has(cols, path))
				json_array_append_new(cols, json_string(path));
		}
		if (!matched)
			*error =
			        xasprintf("--columns: '%s' matches no metric (a dotted path of the "
			                  "results' \"metrics\" or a group of them, '*' within a "
			                  "segment: threads.*.ops_per_s, mmap_sem.write.wait_us)",
			                  item);
	}
	if (!*error && json_array_size(cols) == 0)
		*error = xstrdup("--columns: no metric named");
	free(list);
	json_decref(leaves);
	if (*error)
		cols = (json_decref(cols), NULL);
	return cols;
}

char *table_columns_error(const char *columns, json_t *metrics)
{
	char *error;

	json_decref(table_expand_paths(columns, metrics, &error));
	return error;
}

/* The thread groups of @r's resolved scenario, in scenario order. */
static json_t *table_groups(json_t *r)
{
	json_t *procs = json_dotted_get(r, "parameters.processes"), *groups = json_array(), *p;
	size_t i, j;

	json_array_foreach (procs, i, p) {
		json_t *g;

		json_array_foreach (json_object_get(p, "threads"), j, g) {
			const char *name = json_string_value(json_object_get(g, "name"));

			if (name && !table_has(groups, name))
				json_array_append_new(groups, json_string(name));
		}
	}
	return groups;
}

/* Each group's rate, the mean read hold, the mean and p99 write wait. */
static json_t *table_default_columns(json_t *r)
{
	json_t *groups = table_groups(r), *cols = json_array(), *g;
	size_t i;

	json_array_foreach (groups, i, g)
		json_array_append_new(cols,
		                      json_sprintf("threads.%s.ops_per_s", json_string_value(g)));
	json_array_append_new(cols, json_string("mmap_sem.read.hold_us.mean"));
	json_array_append_new(cols, json_string("mmap_sem.write.wait_us.mean"));
	json_array_append_new(cols, json_string("mmap_sem.write.wait_us.p99"));
	json_decref(groups);
	return cols;
}

static const char *const table_stats[] = { "mean", "p50", "p90", "p99", "p999", "max", NULL };

/* The statistic @path ends with ("p99"), or NULL. */
static const char *table_stat(const char *path)
{
	const char *last = strrchr(path, '.');

	for (int i = 0; last && table_stats[i]; i++)
		if (strcmp(last + 1, table_stats[i]) == 0)
			return last + 1;
	return NULL;
}

/*
 * A column's name in the text table: the statistic before the unit
 * (mmap_sem.write.wait_us.p99: wr_wait_p99_us), the group first
 * (threads.A.ops_per_s: A_ops_per_s); else the path.
 */
static char *table_name(const char *path)
{
	const char *stat = table_stat(path);
	char *name;

	if (stat && stat - path > 4 && strncmp(stat - 4, "_us.", 4) == 0)
		name = xasprintf("%.*s_%s_us", (int)(stat - 4 - path), path, stat);
	else
		name = xstrdup(path);
	if (strncmp(name, "mmap_sem.read.", 14) == 0 || strncmp(name, "mmap_sem.write.", 15) == 0) {
		char *n =
		        xasprintf("%s_%s", name[9] == 'r' ? "rd" : "wr", strchr(name + 9, '.') + 1);

		free(name);
		name = n;
	} else if (strncmp(name, "threads.", 8) == 0 && strchr(name + 8, '.')) {
		char *n = xstrdup(name + 8);

		*strchr(n, '.') = '_';
		free(name);
		name = n;
	}
	return name;
}

static int table_width(const struct report_table *t, const char *name)
{
	int w = t->ci ? TABLE_WIDTH_CI : TABLE_WIDTH;

	return (int)strlen(name) > w ? (int)strlen(name) : w;
}

/* The header, from the first row @r: its columns chosen now. */
static void table_header(struct report_table *t, json_t *r)
{
	const struct table_spec *spec = t->spec;
	enum table_format f = spec ? spec->format : TABLE_TEXT;
	json_t *axes = json_dotted_get(r, "scenario.axes"), *v;
	char *error = NULL;
	size_t i;

	t->ci = json_integer_value(json_dotted_get(r, "replications.n")) >= 2;
	t->cols = spec && spec->columns
	                  ? table_expand_paths(spec->columns, json_object_get(r, "metrics"), &error)
	                  : table_default_columns(r);
	if (!t->cols) { /* checked before the run: a point of other metrics */
		fprintf(stderr, "mmsim: %s\n", error);
		free(error);
		t->cols = table_default_columns(r);
	}
	if (f == TABLE_JSON)
		return;
	printf(f == TABLE_CSV ? "point" : "%-12s", "point");
	json_array_foreach (axes, i, v) {
		const char *axis = json_string_value(v);

		if (f == TABLE_CSV)
			printf(",%s", axis);
		else
			printf(" %*s", (int)strlen(axis) > TABLE_WIDTH_AXIS ? 0 : TABLE_WIDTH_AXIS,
			       axis);
	}
	json_array_foreach (t->cols, i, v) {
		const char *path = json_string_value(v);

		if (f == TABLE_CSV) {
			printf(",%s", path);
			if (t->ci)
				printf(",%s.ci_lo,%s.ci_hi", path, path);
		} else {
			char *name = table_name(path);

			printf(" %*s", table_width(t, name), name);
			free(name);
		}
	}
	putchar('\n');
}

/* @text right-aligned in @width columns: a UTF-8 character ('±') takes one column, not its bytes as
 * printf's width counts them. */
static void table_cell(const char *text, int width)
{
	int cols = 0;

	for (const char *c = text; *c; c++)
		cols += ((unsigned char)*c & 0xC0) != 0x80;
	printf(" %*s%s", width > cols ? width - cols : 0, "", text);
}

/* A number with its interval's half-width, to the interval's precision: "55.4 ± 0.3". */
static char *table_ci_text(double v, double lo, double hi)
{
	double half = (hi - lo) / 2;
	int decimals;

	if (!(half > 0))
		return xasprintf("%.3f ± 0", v);
	decimals = (int)-floor(log10(half));
	if (half * pow(10, decimals) < 2) /* a leading 1: two digits */
		decimals++;
	if (decimals < 0)
		decimals = 0;
	return xasprintf("%.*f ± %.*f", decimals, v, decimals, half);
}

/* A value as text: strings bare, numbers to 3 decimals, objects as compact JSON. */
static char *table_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%.3f", json_real_value(v));
	if (!v)
		return xstrdup("-");
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
}

/* The samples a percentile needs: 1/(1-q), e.g. 100 for a p99; 0 for the others. */
static unsigned table_samples_needed(const char *stat)
{
	return !stat                       ? 0
	       : strcmp(stat, "p50") == 0  ? 2
	       : strcmp(stat, "p90") == 0  ? 10
	       : strcmp(stat, "p99") == 0  ? 100
	       : strcmp(stat, "p999") == 0 ? 1000
	                                   : 0;
}

/* The number of threads of group @name in @r's resolved scenario. */
static long long table_group_threads(json_t *r, const char *name)
{
	json_t *procs = json_dotted_get(r, "parameters.processes"), *p, *g;
	long long n = 0;
	size_t i, j;

	json_array_foreach (procs, i, p)
		json_array_foreach (json_object_get(p, "threads"), j, g)
			if (strcmp(json_string_value(json_object_get(g, "name")), name) == 0)
				n += json_integer_value(json_object_get(p, "count")) *
				     json_integer_value(json_object_get(g, "count"));
	return n;
}

/* The text of column @path of point @r when its group has threads but completed nothing, or NULL. */
static char *table_group_note(json_t *r, const char *path)
{
	const char *dot = strncmp(path, "threads.", 8) == 0 ? strchr(path + 8, '.') : NULL;
	char *name, *note = NULL;
	json_t *tg;

	if (!dot)
		return NULL;
	name = xasprintf("%.*s", (int)(dot - path - 8), path + 8);
	tg = json_object_get(json_dotted_get(r, "metrics.threads"), name);
	if (table_group_threads(r, name) > 0 &&
	    json_number_value(json_object_get(tg, "ops")) == 0 &&
	    json_number_value(json_object_get(tg, "arrivals")) == 0)
		note = xstrdup(json_number_value(json_object_get(tg, "blocked_at_end")) > 0
		                       ? "blocked"
		                       : "none");
	free(name);
	return note;
}

/* Warnings of point @r on stderr (and in @warnings): groups that completed nothing. */
static void table_group_warnings(json_t *r, json_t *warnings)
{
	json_t *groups = table_groups(r), *g, *threads = json_dotted_get(r, "metrics.threads");
	const char *id = json_string_value(json_dotted_get(r, "point.id"));
	size_t i;

	json_array_foreach (groups, i, g) {
		const char *name = json_string_value(g);
		json_t *tg = json_object_get(threads, name);
		long long n = table_group_threads(r, name);
		double blocked = json_number_value(json_object_get(tg, "blocked_at_end"));
		char *w;

		if (n == 0 || json_number_value(json_object_get(tg, "ops")) > 0 ||
		    json_number_value(json_object_get(tg, "arrivals")) > 0)
			continue;
		if (blocked > 0)
			w = xasprintf(
			        "group %s completed no operation after the warm-up: %g of "
			        "its %lld threads blocked at the end, the longest for %.3f ms "
			        "(its rates and latencies read 0: nothing was measured)",
			        name, blocked, n,
			        json_number_value(json_object_get(tg, "blocked_at_end_max_us")) /
			                1e3);
		else
			w = xasprintf(
			        "group %s completed no operation after the warm-up (its rates "
			        "and latencies read 0: nothing was measured)",
			        name);
		fprintf(stderr, "mmsim: point %s: warning: %s\n", id, w);
		json_array_append_new(warnings, json_string(w));
		free(w);
	}
	json_decref(groups);
}

/*
 * Whether column @path of point @r is a percentile from fewer samples than
 * it needs (a warning on stderr and in @warnings then); *@empty when its
 * summary has no sample.
 */
static bool table_thin(json_t *r, json_t *hists, const char *path, json_t *warnings, bool *empty)
{
	const char *stat = table_stat(path);
	unsigned need = table_samples_needed(stat);
	char *parent = stat ? xasprintf("%.*s", (int)(stat - 1 - path), path) : NULL;
	json_t *h = parent ? histfile_get(hists, parent) : NULL;
	long long n = json_integer_value(json_object_get(h, "count"));
	bool thin = h && n > 0 && (unsigned long long)n < need;

	*empty = h && n == 0;
	if (thin) {
		char *name = table_name(path);
		char *w = xasprintf("%s is from %lld sample%s, too few for a %s (%u): read it as "
		                    "the max of those, %.3f",
		                    name, n, n == 1 ? "" : "s", stat, need,
		                    json_number_value(json_object_get(h, "max_ns")) / 1e3);

		fprintf(stderr, "mmsim: point %s: warning: %s\n",
		        json_string_value(json_dotted_get(r, "point.id")), w);
		json_array_append_new(warnings, json_string(w));
		free(w);
		free(name);
	}
	free(parent);
	return thin;
}

void report_table_row(void *table, const struct scenario *s, json_t *r)
{
	struct report_table *t = table;
	enum table_format f = t->spec ? t->spec->format : TABLE_TEXT;
	json_t *m, *ci, *axes, *v, *hists, *warnings = json_array(), *line = json_object();
	const char *id;
	char *why = NULL;
	size_t i;

	(void)s;
	if (!r) {
		fflush(stdout);
		json_decref(warnings);
		json_decref(line);
		return;
	}
	if (!t->cols)
		table_header(t, r);
	m = json_object_get(r, "metrics");
	ci = json_object_get(r, "metrics_ci");
	axes = json_dotted_get(r, "scenario.axes");
	id = json_string_value(json_dotted_get(r, "point.id"));
	hists = t->out ? histfile_load_point(t->out, id, &why) : NULL;
	free(why); /* results of an older mmsim: no counts, no warning about them */
	table_group_warnings(r, warnings);

	if (f == TABLE_TEXT)
		printf("%-12s", id);
	else if (f == TABLE_CSV)
		printf("%s", id);
	json_object_set_new(line, "point", json_string(id));
	json_array_foreach (axes, i, v) {
		const char *axis = json_string_value(v);
		json_t *val = json_object_get(json_dotted_get(r, "point.swept"), axis);
		char *text = table_text(val);

		if (f == TABLE_TEXT)
			printf(" %*s",
			       (int)strlen(axis) > TABLE_WIDTH_AXIS ? (int)strlen(axis)
			                                            : TABLE_WIDTH_AXIS,
			       text);
		else if (f == TABLE_CSV)
			putchar(','), report_value(stdout, val);
		json_object_set(line, axis, val);
		free(text);
	}
	json_array_foreach (t->cols, i, v) {
		const char *path = json_string_value(v);
		json_t *val = json_dotted_get(m, path),
		       *lohi = ci ? json_dotted_get(ci, path) : NULL;
		json_t *lo = json_object_get(lohi, "lo"), *hi = json_object_get(lohi, "hi");
		bool empty, thin = table_thin(r, hists, path, warnings, &empty);
		char *note = table_group_note(r, path);

		if (f == TABLE_TEXT) {
			char *name = table_name(path), *text;

			if (note)
				text = xstrdup(note);
			else if (empty)
				text = xstrdup("-");
			else if (lo && hi && json_is_number(val))
				text = table_ci_text(json_number_value(val), json_number_value(lo),
				                     json_number_value(hi));
			else
				text = table_text(val);
			if (thin) {
				char *marked = xasprintf("%s*", text);

				free(text);
				text = marked;
			}
			table_cell(text, table_width(t, name));
			free(text);
			free(name);
		} else if (f == TABLE_CSV) {
			putchar(',');
			report_value(stdout, val);
			if (t->ci) {
				putchar(',');
				report_value(stdout, lo);
				putchar(',');
				report_value(stdout, hi);
			}
		}
		json_object_set(line, path, val ? val : json_null());
		if (lo && hi) {
			char *kl = xasprintf("%s.ci_lo", path), *kh = xasprintf("%s.ci_hi", path);

			json_object_set(line, kl, lo);
			json_object_set(line, kh, hi);
			free(kl);
			free(kh);
		}
		free(note);
	}
	if (f == TABLE_JSON) {
		char *text;

		if (json_array_size(warnings))
			json_object_set(line, "warnings", warnings);
		text = json_dumps(line, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
		fputs(text, stdout);
		free(text);
	}
	putchar('\n');
	fflush(stdout);
	json_decref(hists);
	json_decref(warnings);
	json_decref(line);
}

void report_table_end(struct report_table *table)
{
	json_decref(table->cols);
	table->cols = NULL;
}
