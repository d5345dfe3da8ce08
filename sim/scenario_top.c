/*
 * scenario_top.c - the top-level values of a scenario (see scenario_impl.h):
 * its name and description, how long each run is and how many run, with
 * which seed, and when to stop (until). Loaded and dumped here, in the order
 * of scenario_sections[].
 */
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

#define SCENARIO_NAME_MAX 200

void scenario_load_name(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	const char *name = NULL;
	char *base = xstrdup(L->file), *dot;

	if (json_object_get(root, "name") && (name = scenario_name_get(L->diag, root, "")) &&
	    strlen(name) > SCENARIO_NAME_MAX) {
		/* mkdir would fail after the run had started, leaving an empty out/ */
		diag_error(L->diag, ".name",
		           "%zu characters, more than %d: the name is a folder name (out/<name>, "
		           "out/<name>-plan), and a folder name holds 255 bytes at most",
		           strlen(name), SCENARIO_NAME_MAX);
	} else if (name) {
		s->name = xstrdup(name);
	} else if (!json_object_get(root, "name")) {
		s->name = xstrdup(basename(base));
		if ((dot = strrchr(s->name, '.')))
			*dot = '\0';
	}
	free(base);
}

json_t *scenario_dump_name(const struct scenario *s)
{
	return json_string(s->name);
}

void scenario_load_description(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	json_t *v = json_object_get(root, "description");

	if (v && !json_is_string(v))
		diag_error(L->diag, ".description", "string expected, got %s", json_kind(v));
	s->description = xstrdup(json_is_string(v) ? json_string_value(v) : "");
}

json_t *scenario_dump_description(const struct scenario *s)
{
	return json_string(s->description);
}

static double load_number(struct diag *d, json_t *root, const char *key, double def, double lo,
                          double hi)
{
	json_t *v = json_object_get(root, key);
	char *path = xasprintf(".%s", key);
	double x = def;

	if (!v && def < 0)
		diag_error(d, "", "missing key '%s'", key);
	else if (v && !json_is_number(v))
		diag_error(d, path, "number expected, got %s", json_kind(v));
	else if (v && !(json_number_value(v) >= lo && json_number_value(v) <= hi))
		diag_error(d, path, "%s out of range [%s, %s]", num(json_number_value(v)).s,
		           num(lo).s, num(hi).s);
	else if (v)
		x = json_number_value(v);
	free(path);
	return x;
}

void scenario_load_duration(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	s->duration_s = load_number(L->diag, root, "duration_s", -1, 1e-6, 1e7);
}

json_t *scenario_dump_duration(const struct scenario *s)
{
	return params_real(s->duration_s);
}

/* warmup_s: seconds, or "mser5" (MSER-5 detection on a pilot run of each point). */
void scenario_load_warmup(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	struct diag *d = L->diag;
	json_t *v = json_object_get(root, "warmup_s");

	if (json_is_string(v) && strcmp(json_string_value(v), "mser5") == 0) {
		s->warmup_mser5 = true;
		return;
	}
	if (json_is_string(v) || (v && !json_is_number(v))) {
		diag_error(d, ".warmup_s", "number or 'mser5' expected, got %s%s%s",
		           json_is_string(v) ? "'" : json_kind(v),
		           json_is_string(v) ? json_string_value(v) : "",
		           json_is_string(v) ? "'" : "");
		return;
	}
	s->warmup_s = load_number(d, root, "warmup_s", 0, 0, 1e7);
	if (s->warmup_s >= s->duration_s && s->duration_s > 0)
		diag_error(d, ".warmup_s",
		           "%s out of range [0, %s): the warm-up must end before duration_s",
		           num(s->warmup_s).s, num(s->duration_s).s);
}

json_t *scenario_dump_warmup(const struct scenario *s)
{
	return s->warmup_mser5 ? json_string("mser5") : params_real(s->warmup_s);
}

void scenario_load_seed(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	struct diag *d = L->diag;
	json_t *v = json_object_get(root, "seed");
	double x = json_number_value(v);

	s->seed = 1;
	if (!v)
		return;
	if (!json_is_number(v))
		diag_error(d, ".seed", "whole number expected, got %s", json_kind(v));
	else if (x != floor(x) || x < 0 || x > 0xffffffffLL)
		diag_error(d, ".seed", "whole number in [0, 4294967295] expected, got %.15g", x);
	else
		s->seed = (unsigned long)x;
}

json_t *scenario_dump_seed(const struct scenario *s)
{
	return json_integer((json_int_t)s->seed);
}

#define REPLICATIONS_MAX 10000

/* The whole number at @key of @obj (at @path) in [@lo, @hi], or @def if absent. */
static unsigned load_whole(struct diag *d, json_t *obj, const char *path, const char *key,
                           unsigned def, unsigned lo, unsigned hi)
{
	json_t *v = json_object_get(obj, key);
	char *p = xasprintf("%s.%s", path, key);
	double x = json_number_value(v);
	unsigned n = def;

	if (v && !json_is_number(v))
		diag_error(d, p, "whole number expected, got %s", json_kind(v));
	else if (v && x != floor(x))
		diag_error(d, p, "whole number expected, got %s", num(x).s);
	else if (v && (x < lo || x > hi))
		diag_error(d, p, "%s out of range [%u, %u]", num(x).s, lo, hi);
	else if (v)
		n = (unsigned)x;
	free(p);
	return n;
}

void scenario_load_replications(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	s->replications = load_whole(L->diag, root, "", "replications", 1, 1, REPLICATIONS_MAX);
}

json_t *scenario_dump_replications(const struct scenario *s)
{
	return json_integer((json_int_t)s->replications);
}

void scenario_load_confidence(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	s->confidence = load_number(L->diag, root, "confidence", 0.95, 0.5, 0.9999);
}

json_t *scenario_dump_confidence(const struct scenario *s)
{
	return params_real(s->confidence);
}

/* until.metric: a dotted path (checked against the metrics by check_until_metric). */
static void load_until_metric(struct diag *d, json_t *u, struct scenario *s)
{
	json_t *m = json_object_get(u, "metric");

	if (m && !json_is_string(m))
		diag_error(d, ".until.metric", "string expected, got %s", json_kind(m));
	else if (m && !*json_string_value(m))
		diag_error(d, ".until.metric", "metric path expected, got an empty string");
	else if (m)
		s->until.metric = xstrdup(json_string_value(m));
}

/* until.relative_half_width, in (0, 1], if there. */
static void load_until_width(struct diag *d, json_t *u, struct scenario *s)
{
	json_t *w = json_object_get(u, "relative_half_width");

	if (w && !json_is_number(w))
		diag_error(d, ".until.relative_half_width", "number expected, got %s",
		           json_kind(w));
	else if (w && !(json_number_value(w) > 0 && json_number_value(w) <= 1))
		diag_error(d, ".until.relative_half_width", "%s out of range (0, 1]",
		           num(json_number_value(w)).s);
	else if (w)
		s->until.relative_half_width = json_number_value(w);
}

/* until.target, any number, if there. */
static void load_until_target(struct diag *d, json_t *u, struct scenario *s)
{
	json_t *t = json_object_get(u, "target");

	if (t && !json_is_number(t))
		diag_error(d, ".until.target", "number expected, got %s", json_kind(t));
	else if (t)
		s->until.target = json_number_value(t);
	s->until.has_target = json_is_number(t);
}

/*
 * until: {metric, max_replications, and relative_half_width or target (or
 * both: either stops)}.
 */
void scenario_load_until(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	static const char *const keys[] = { "metric", "relative_half_width", "target",
		                            "max_replications", NULL };
	struct diag *d = L->diag;
	json_t *u = json_object_get(root, "until");

	if (u && !json_is_object(u))
		diag_error(d, ".until", "object expected, got %s", json_kind(u));
	if (!json_is_object(u))
		return;
	scenario_check_keys(d, u, ".until", keys);
	if (!json_object_get(u, "metric"))
		diag_error(d, ".until", "missing key 'metric'");
	if (!json_object_get(u, "relative_half_width") && !json_object_get(u, "target"))
		diag_error(d, ".until", "missing key 'relative_half_width' or 'target'");
	if (!json_object_get(u, "max_replications"))
		diag_error(d, ".until", "missing key 'max_replications'");
	load_until_metric(d, u, s);
	load_until_width(d, u, s);
	load_until_target(d, u, s);
	s->until.max_replications =
	        load_whole(d, u, ".until", "max_replications", 0, 2, REPLICATIONS_MAX);
	if (s->until.max_replications && s->until.max_replications < s->replications)
		diag_error(d, ".until.max_replications",
		           "%u out of range [%u, %u]: at least 'replications'",
		           s->until.max_replications, s->replications, REPLICATIONS_MAX);
}

/* The keys given only (none without until): a scenario without "target" keeps its point ids. */
json_t *scenario_dump_until(const struct scenario *s)
{
	json_t *u;

	if (!s->until.metric)
		return NULL;
	u = json_pack("{ss sI}", "metric", s->until.metric, "max_replications",
	              (json_int_t)s->until.max_replications);
	if (s->until.relative_half_width > 0)
		json_object_set_new(u, "relative_half_width",
		                    params_real(s->until.relative_half_width));
	if (s->until.has_target)
		json_object_set_new(u, "target", params_real(s->until.target));
	return u;
}
