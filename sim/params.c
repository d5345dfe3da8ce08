/*
 * params.c - JSON to model structs through parameter tables, with the error
 * messages of the style guide: "X expected, got Y", "V out of range [lo, hi]",
 * "unknown key 'k' (expected: ...)".
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "models/dist.h"
#include "sim/input.h"
#include "sim/params.h"
#include "sim/util.h"

json_t *params_real(double x)
{
	return json_real(x == 0 ? 0.0 : x); /* -0.0 == 0: one value, one point id */
}

struct num_text num(double x)
{
	struct num_text t;

	for (int digits = 6; digits <= 17; digits++) {
		snprintf(t.s, sizeof(t.s), "%.*g", digits, x);
		if (strtod(t.s, NULL) == x)
			break;
	}
	return t;
}

const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

char *params_key_list(const struct param *table, const char *const *extra)
{
	size_t len = 1;
	char *s;

	for (const struct param *p = table; p && p->key; p++)
		len += strlen(p->key) + 2;
	for (int i = 0; extra && extra[i]; i++)
		len += strlen(extra[i]) + 2;
	s = xcalloc(1, len);
	for (int i = 0; extra && extra[i]; i++)
		strcat(strcat(s, *s ? ", " : ""), extra[i]);
	for (const struct param *p = table; p && p->key; p++)
		strcat(strcat(s, *s ? ", " : ""), p->key);
	return s;
}

/* Appends @name to the "a, b" of *@list. */
static void params_list_add(char **list, const char *name)
{
	char *l = xasprintf("%s%s%s", *list, **list ? ", " : "", name);

	free(*list);
	*list = l;
}

/* @path.@key in jq syntax: .a.b, or .a["b c"] for a key that is not a plain word. */
static char *path_join(const char *path, const char *key)
{
	bool word = (isalpha((unsigned char)key[0]) || key[0] == '_');

	size_t np, nk;
	char *s;

	for (const char *k = key; *k && word; k++)
		word = isalnum((unsigned char)*k) || *k == '_';
	if (!word)
		return xasprintf("%s[\"%s\"]", path, key);
	/* by hand: once per parameter of every sweep point, where printf was a tenth of validate */
	np = strlen(path);
	nk = strlen(key);
	s = xmalloc(np + nk + 2);
	memcpy(s, path, np);
	s[np] = '.';
	memcpy(s + np + 1, key, nk + 1);
	return s;
}

/* Edit distance of @a and @b (Levenshtein); SIZE_MAX if @b is too long to bother. */
static size_t params_distance(const char *a, const char *b)
{
	size_t n = strlen(b), row[64];

	if (n >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= n; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= n; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[n];
}

char *params_nearest(const char *s, const char *list)
{
	size_t best_d = SIZE_MAX, slen = strlen(s);
	char *best = NULL;

	for (const char *p = list; *p; p += strspn(p, ", ")) {
		size_t len = strcspn(p, ",");
		char *name = xasprintf("%.*s", (int)len, p);
		size_t d = params_distance(s, name);

		/* a third of the letters wrong at most: "cpu" for cpus, not "exec" for read */
		if (d < best_d && d * 3 <= (slen > len ? slen : len)) {
			free(best);
			best = name;
			best_d = d;
		} else {
			free(name);
		}
		p += len;
	}
	return best;
}

/* "unknown key 'x' (expected: a, b)", with a "did you mean" for a likely typo. */
static void params_unknown(struct params_ctx *c, const char *path, const char *what, const char *s,
                           const char *list)
{
	char *near = params_nearest(s, list);

	if (near)
		diag_error(c->diag, path, "unknown %s '%s', did you mean '%s'? (expected: %s)",
		           what, s, near, list);
	else
		diag_error(c->diag, path, "unknown %s '%s' (expected: %s)", what, s, list);
	free(near);
}

/* A finite number, or an error; *ok cleared on error. */
static double params_number(struct params_ctx *c, json_t *v, const char *path, bool *ok)
{
	double x;

	if (!json_is_number(v)) {
		diag_error(c->diag, path, "number expected, got %s", json_kind(v));
		*ok = false;
		return 0;
	}
	x = json_number_value(v);
	if (!isfinite(x)) {
		diag_error(c->diag, path, "finite number expected");
		*ok = false;
	}
	return x;
}

static bool params_in_range(struct params_ctx *c, const struct param *p, double x, const char *path)
{
	if (x >= p->min && x <= p->max)
		return true;
	diag_error(c->diag, path, "%s out of range [%s, %s]", num(x).s, num(p->min).s,
	           num(p->max).s);
	return false;
}

static int params_enum(struct params_ctx *c, const struct param *p, json_t *v, const char *path)
{
	const char *s = json_string_value(v);
	char *list;

	if (!s) {
		diag_error(c->diag, path, "string expected, got %s", json_kind(v));
		return 0;
	}
	for (int i = 0; p->choices[i]; i++)
		if (strcmp(p->choices[i], s) == 0)
			return i;
	list = params_key_list(NULL, p->choices);
	params_unknown(c, path, "value", s, list);
	free(list);
	return 0;
}

static int params_name(struct params_ctx *c, json_t *v, const char *path)
{
	const char *s = json_string_value(v), *kind = c->name_kind ? c->name_kind : "name";
	char *list;

	if (json_is_null(v)) /* an optional name's default (e.g. proc_read's mapping): none */
		return -1;
	list = xstrdup("");
	if (!s) {
		diag_error(c->diag, path, "string expected, got %s", json_kind(v));
		free(list);
		return 0;
	}
	for (unsigned i = 0; i < c->nr_names; i++) {
		if (!c->names[i]) /* an invalid name, reported where it was defined */
			continue;
		if (strcmp(c->names[i], s) == 0) {
			free(list);
			return (int)i;
		}
		params_list_add(&list, c->names[i]);
	}
	if (*list)
		params_unknown(c, path, kind, s, list);
	else
		diag_error(c->diag, path, "unknown %s '%s' (none is defined)", kind, s);
	free(list);
	return 0;
}

/* Adds @x to the samples of @d. */
static void params_sample_add(struct dist *d, size_t *cap, double x)
{
	if (d->n_samples == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		d->samples = xrealloc(d->samples, *cap * sizeof(*d->samples));
	}
	d->samples[d->n_samples++] = x;
}

/* How an empirical file writes its numbers: told by its first line of data. */
enum empirical_format {
	EMPIRICAL_UNKNOWN, /* no line of data yet */
	EMPIRICAL_PLAIN,   /* one number per line, in the key's unit */
	EMPIRICAL_FIO,     /* fio's latency log: a line with commas */
};

/* A non-negative number at *@s, then blanks, then a comma or the line's end; *@s past the comma. */
static bool params_fio_field(const char **s, double *x)
{
	char *end;

	errno = 0;
	*x = strtod(*s, &end);
	if (end == *s || errno || !isfinite(*x) || *x < 0)
		return false;
	end += strspn(end, " \t\r\n");
	if (*end != ',' && *end != '\0')
		return false;
	*s = *end == ',' ? end + 1 : end;
	return true;
}

/*
 * A line of fio's latency log (--write_lat_log; fio's HOWTO, "Log File
 * Formats"): "time (ms), latency (ns), direction, block size (bytes)[,
 * offset[, priority]]", the latency in ns since fio 3.0. Into *@x in the
 * unit of @d's key; false after an error. A block size of 0 marks a windowed
 * log (log_avg_msec), whose values are averages over a window, not latencies.
 */
static bool params_fio_line(struct params_ctx *c, const struct dist *d, const char *s, double *x,
                            const char *where, const char *path)
{
	const char *line = s;
	double field[4], extra;
	int n = 0;
	bool ok = true;

	/* every field a number: the first four kept, offset and priority read past */
	while (*s && ok) {
		ok = params_fio_field(&s, n < 4 ? &field[n] : &extra);
		n += ok;
	}
	if (!ok || n < 4 || field[2] > 2 || field[2] != floor(field[2])) {
		diag_error(c->diag, path,
		           "%s: fio latency log line 'time, latency (ns), direction, block size"
		           "[, offset...]' expected, got '%.*s'",
		           where, (int)strcspn(line, "\r\n"), line);
		return false;
	}
	if (field[3] == 0) {
		diag_error(c->diag, path,
		           "%s: block size 0: a windowed fio log (log_avg_msec) holds averages, "
		           "not latencies (log with --log_avg_msec=0)",
		           where);
		return false;
	}
	if (d->unit_ns <= 0) {
		diag_error(c->diag, path, "%s: a fio latency log needs a time parameter", where);
		return false;
	}
	*x = field[1] / d->unit_ns;
	return true;
}

/* One number of a plain empirical file, in the key's unit, into *@x; false after an error. */
static bool params_plain_line(struct params_ctx *c, const char *s, double *x, const char *where,
                              const char *path)
{
	char *end;

	errno = 0;
	*x = strtod(s, &end);
	if (end == s || errno || !isfinite(*x) || *x < 0 || end[strspn(end, " \t\r\n")]) {
		diag_error(c->diag, path, "%s: non-negative number expected, got '%.*s'", where,
		           (int)strcspn(s, "\r\n"), s);
		return false;
	}
	return true;
}

/*
 * One line of an empirical file (@n bytes, a comment or blank line
 * skipped); false after an error. The first line of data sets *@format: a
 * comma makes the file fio's latency log. A NUL byte is an error: strtod
 * would stop there and take "5\0garbage" for 5.
 */
static bool params_empirical_line(struct params_ctx *c, const struct param *p, struct dist *d,
                                  size_t *cap, enum empirical_format *format, const char *line,
                                  size_t n, const char *where, const char *path)
{
	const char *s = line + strspn(line, " \t");
	double x;

	if (strlen(line) != n) {
		diag_error(c->diag, path, "%s: a NUL byte: a number expected, got binary data",
		           where);
		return false;
	}
	if (*s == '#' || *s == '\n' || *s == '\r' || *s == '\0')
		return true;
	if (*format == EMPIRICAL_UNKNOWN)
		*format = strchr(s, ',') ? EMPIRICAL_FIO : EMPIRICAL_PLAIN;
	if (!(*format == EMPIRICAL_FIO ? params_fio_line(c, d, s, &x, where, path)
	                               : params_plain_line(c, s, &x, where, path)))
		return false;
	if (x > p->max) {
		diag_error(c->diag, path, "%s: %s out of range [%s, %s]", where, num(x).s,
		           num(p->min).s, num(p->max).s);
		return false;
	}
	params_sample_add(d, cap, x);
	return true;
}

/*
 * Reads the numbers of an empirical distribution's file: one per line in the
 * key's unit, or fio's latency log. A regular file of at most
 * INPUT_MAX_BYTES (a FIFO or /dev/zero would never end).
 */
static void params_empirical(struct params_ctx *c, const struct param *p, struct dist *d,
                             const char *file, const char *path)
{
	char *full = file[0] == '/' ? xstrdup(file) : xasprintf("%s/%s", c->dir, file), *err;
	FILE *f = input_open(full, &err);
	char *line = NULL;
	size_t cap = 0, len = 0, total = 0;
	ssize_t n;
	int lineno = 0;
	enum empirical_format format = EMPIRICAL_UNKNOWN;
	bool ok = true;

	d->file = xstrdup(file);
	if (!f) {
		diag_error(c->diag, path, "cannot read '%s': %s", full, err);
		free(err);
		free(full);
		return;
	}
	while (ok && (n = getline(&line, &len, f)) > 0) {
		char *where = xasprintf("%s:%d", full, ++lineno);

		total += (size_t)n;
		if (total > INPUT_MAX_BYTES) { /* it grew while read */
			diag_error(c->diag, path,
			           "cannot read '%s': more than the %u MiB an input file may hold",
			           full, INPUT_MAX_BYTES >> 20);
			ok = false;
		} else {
			ok = params_empirical_line(c, p, d, &cap, &format, line, (size_t)n, where,
			                           path);
		}
		free(where);
	}
	if (ferror(f)) /* e.g. an I/O error */
		diag_error(c->diag, path, "cannot read '%s': %s", full, strerror(errno));
	else if (d->n_samples == 0 && ok)
		diag_error(c->diag, path, "'%s' holds no number", full);
	fclose(f);
	free(line);
	free(full);
}

/* The row of dist_table[] that @obj's "dist" names, or NULL after an error. */
static const struct dist_info *dist_info_find(struct params_ctx *c, json_t *obj, const char *path)
{
	json_t *name = json_object_get(obj, "dist");
	char *p = path_join(path, "dist"), *list = xstrdup("");
	const struct dist_info *f;

	for (f = dist_table; f->name; f++)
		params_list_add(&list, f->name);
	for (f = dist_table; f->name && json_is_string(name); f++)
		if (strcmp(f->name, json_string_value(name)) == 0)
			break;
	if (!name)
		diag_error(c->diag, path, "missing key 'dist' (expected one of: %s)", list);
	else if (!json_is_string(name))
		diag_error(c->diag, p, "string expected, got %s", json_kind(name));
	else if (!f->name)
		params_unknown(c, p, "distribution", json_string_value(name), list);
	free(list);
	free(p);
	return json_is_string(name) && f->name ? f : NULL;
}

/* The range of each parameter, reported at its own key. */
static void params_dist_check(struct params_ctx *c, const struct param *p,
                              const struct dist_info *f, const struct dist *d, const char *path)
{
	char *pa = path_join(path, f->a), *pb = f->b ? path_join(path, f->b) : NULL;

	if (d->kind == DIST_UNIFORM) {
		if (params_in_range(c, p, d->a, pa) && params_in_range(c, p, d->b, pb) &&
		    d->a > d->b)
			diag_error(c->diag, path, "min %s greater than max %s", num(d->a).s,
			           num(d->b).s);
	} else if ((d->kind == DIST_EXP || d->kind == DIST_LOGNORMAL) && d->a <= 0) {
		/* the parameters of the underlying law need a positive mean */
		diag_error(c->diag, pa, "%s out of range (0, %s]", num(d->a).s, num(p->max).s);
	} else {
		params_in_range(c, p, d->a, pa);
	}
	if (f->b && d->kind != DIST_UNIFORM && !(d->b >= 0 && d->b <= p->max))
		diag_error(c->diag, pb, "%s out of range [0, %s]", num(d->b).s, num(p->max).s);
	free(pa);
	free(pb);
}

/* Checks the keys of a distribution object and reads its parameters. */
static void params_dist_object(struct params_ctx *c, const struct param *p, json_t *obj,
                               const char *path, struct dist *d)
{
	const struct dist_info *f = dist_info_find(c, obj, path);
	const char *key;
	json_t *v;
	bool ok = true;

	if (!f)
		return;
	d->kind = (enum dist_kind)(f - dist_table);
	json_object_foreach (obj, key, v) {
		char *kp = path_join(path, key);

		if (strcmp(key, "dist") == 0) {
		} else if (strcmp(key, f->a) == 0 && d->kind == DIST_EMPIRICAL) {
			if (json_is_string(v))
				params_empirical(c, p, d, json_string_value(v), kp);
			else
				diag_error(c->diag, kp, "string expected, got %s", json_kind(v)),
				        ok = false;
		} else if (strcmp(key, f->a) == 0) {
			d->a = params_number(c, v, kp, &ok);
		} else if (f->b && strcmp(key, f->b) == 0) {
			d->b = params_number(c, v, kp, &ok);
		} else {
			char *list =
			        xasprintf("dist, %s%s%s", f->a, f->b ? ", " : "", f->b ? f->b : "");

			params_unknown(c, kp, "key", key, list);
			free(list);
			ok = false;
		}
		free(kp);
	}
	if (!json_object_get(obj, f->a) || (f->b && !json_object_get(obj, f->b))) {
		diag_error(c->diag, path, "missing key '%s' (distribution '%s' needs %s%s%s)",
		           json_object_get(obj, f->a) ? f->b : f->a, f->name, f->a,
		           f->b ? " and " : "", f->b ? f->b : "");
		ok = false;
	}
	if (ok && d->kind != DIST_EMPIRICAL)
		params_dist_check(c, p, f, d, path);
}

static void params_dist(struct params_ctx *c, const struct param *p, json_t *v, const char *path,
                        struct dist *d)
{
	bool ok = true;

	dist_release(d);
	memset(d, 0, sizeof(*d));
	d->unit_ns = param_unit_ns(p->key);
	if (json_is_object(v)) {
		params_dist_object(c, p, v, path, d);
		dist_ready(d);
		return;
	}
	if (!json_is_number(v)) {
		diag_error(c->diag, path, "number or distribution object expected, got %s",
		           json_kind(v));
		return;
	}
	d->kind = DIST_CONST;
	d->a = params_number(c, v, path, &ok);
	if (ok)
		params_in_range(c, p, d->a, path);
	dist_ready(d);
}

static void params_value(struct params_ctx *c, const struct param *p, json_t *v, const char *path,
                         char *field)
{
	bool ok = true;
	double x;

	switch (p->type) {
	case PARAM_DOUBLE:
		x = params_number(c, v, path, &ok);
		if (ok && params_in_range(c, p, x, path))
			*(double *)field = x;
		break;
	case PARAM_UINT:
		x = params_number(c, v, path, &ok);
		if (ok && x != floor(x)) {
			diag_error(c->diag, path, "whole number expected, got %s", num(x).s);
			ok = false;
		}
		if (ok && params_in_range(c, p, x, path))
			*(unsigned *)field = (unsigned)x;
		break;
	case PARAM_BOOL:
		if (json_is_boolean(v))
			*(bool *)field = json_is_true(v);
		else
			diag_error(c->diag, path, "true or false expected, got %s", json_kind(v));
		break;
	case PARAM_DIST:
		params_dist(c, p, v, path, (struct dist *)field);
		break;
	case PARAM_ENUM:
		*(int *)field = params_enum(c, p, v, path);
		break;
	case PARAM_NAME:
		*(int *)field = params_name(c, v, path);
		break;
	}
}

static bool params_known(const struct param *table, const char *const *extra, const char *key)
{
	for (const struct param *p = table; p->key; p++)
		if (strcmp(p->key, key) == 0)
			return true;
	for (int i = 0; extra && extra[i]; i++)
		if (strcmp(extra[i], key) == 0)
			return true;
	return false;
}

void params_load(struct params_ctx *c, json_t *obj, const char *path, const struct param *table,
                 void *base, const char *const *extra, bool defaults)
{
	const char *key;
	json_t *v;

	json_object_foreach (obj, key, v) {
		if (!params_known(table, extra, key)) {
			char *kp = path_join(path, key), *list = params_key_list(table, extra);

			params_unknown(c, kp, "key", key, list);
			free(kp);
			free(list);
		}
	}
	for (const struct param *p = table; p->key; p++) {
		char *kp = path_join(path, p->key);
		json_t *val = json_object_get(obj, p->key);

		if (val) {
			params_value(c, p, val, kp, (char *)base + p->offset);
		} else if (defaults && p->def) {
			json_t *def = json_loads(p->def, JSON_DECODE_ANY, NULL);

			params_value(c, p, def, kp, (char *)base + p->offset);
			json_decref(def);
		} else if (defaults) {
			diag_error(c->diag, path, "missing key '%s'", p->key);
		}
		free(kp);
	}
}

static json_t *params_dump_dist(const struct dist *d)
{
	const struct dist_info *f = &dist_table[d->kind];
	json_t *o;

	if (d->kind == DIST_CONST)
		return params_real(d->a);
	o = json_pack("{ss}", "dist", f->name);
	if (d->kind == DIST_EMPIRICAL) {
		json_object_set_new(o, f->a, json_string(d->file ? d->file : ""));
		return o;
	}
	json_object_set_new(o, f->a, params_real(d->a));
	if (f->b)
		json_object_set_new(o, f->b, params_real(d->b));
	return o;
}

struct param *params_join(const struct param *a, const struct param *b)
{
	size_t na = 0, nb = 0;
	struct param *t;

	while (a[na].key)
		na++;
	while (b[nb].key)
		nb++;
	t = xcalloc(na + nb + 1, sizeof(*t));
	memcpy(t, a, na * sizeof(*t));
	memcpy(t + na, b, nb * sizeof(*t));
	return t;
}

/* Whether the field of @p at @field holds @p's default (a constant, for a distribution). */
static bool params_at_default(const struct param *p, const char *field)
{
	json_t *d = p->def ? json_loads(p->def, JSON_DECODE_ANY, NULL) : NULL;
	bool same = false;

	if (!d)
		return false;
	switch (p->type) {
	case PARAM_DOUBLE:
		same = json_is_number(d) && json_number_value(d) == *(const double *)field;
		break;
	case PARAM_UINT:
		same = json_is_number(d) && json_number_value(d) == *(const unsigned *)field;
		break;
	case PARAM_BOOL:
		same = json_is_boolean(d) && json_is_true(d) == *(const bool *)field;
		break;
	case PARAM_DIST: {
		const struct dist *x = (const struct dist *)field;

		same = json_is_number(d) && x->kind == DIST_CONST && x->a == json_number_value(d);
		break;
	}
	case PARAM_ENUM:
		same = json_is_string(d) &&
		       strcmp(p->choices[*(const int *)field], json_string_value(d)) == 0;
		break;
	case PARAM_NAME: /* only "none" (null, -1) is a default a name can have */
		same = json_is_null(d) && *(const int *)field == -1;
		break;
	}
	json_decref(d);
	return same;
}

json_t *params_dump(const struct param *table, const void *base)
{
	json_t *o = json_object();

	for (const struct param *p = table; p->key; p++) {
		const char *field = (const char *)base + p->offset;
		json_t *v = NULL;

		if (p->omit_default && params_at_default(p, field))
			continue;

		switch (p->type) {
		case PARAM_DOUBLE:
			v = params_real(*(const double *)field);
			break;
		case PARAM_UINT:
			v = json_integer(*(const unsigned *)field);
			break;
		case PARAM_BOOL:
			v = json_boolean(*(const bool *)field);
			break;
		case PARAM_DIST:
			v = params_dump_dist((const struct dist *)field);
			break;
		case PARAM_ENUM:
			v = json_string(p->choices[*(const int *)field]);
			break;
		case PARAM_NAME:
			v = json_integer(*(const int *)field);
			break;
		}
		json_object_set_new(o, p->key, v);
	}
	return o;
}

void params_release(const struct param *table, void *base)
{
	for (const struct param *p = table; p->key; p++)
		if (p->type == PARAM_DIST)
			dist_release((struct dist *)((char *)base + p->offset));
}
