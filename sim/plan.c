/*
 * plan.c - `mmsim plan` (see plan.h): the command line's request, the
 * checks made before anything runs, the rounds of probes run through the
 * runner, and the search that picks each round's probes.
 *
 * A round runs the probes of every combination at once: one scenario set,
 * loaded with the user's --set options, then PATH as the last sweep axis over
 * the round's values, replications, and until with the target's value; the
 * runner runs the points selected in it. The point ids depend on the resolved
 * parameters only, so a probe has the same id in every round and in every
 * plan of the same target value and replications.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/json_path.h"
#include "sim/manifest.h"
#include "sim/metrics/schema.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/params.h"
#include "sim/plan.h"
#include "sim/report.h"
#include "sim/results.h"
#include "sim/run.h"
#include "sim/util.h"

/* Probes of one combination at most, ends included: a bisection of 2^-22 of the range. */
#define PLAN_MAX_PROBES 24
#define PLAN_REPLICATIONS 5
#define PLAN_MAX_REPLICATIONS 20

/* ---- the command line ------------------------------------------------------ */

/* The finite number that @s[0..len) is, in *@x; false if it is not one. */
static bool plan_number(const char *s, size_t len, double *x)
{
	char *text = strndup(s, len), *end;
	bool ok;

	errno = 0;
	*x = strtod(text, &end);
	ok = end != text && !*end && !errno && isfinite(*x);
	free(text);
	return ok;
}

int plan_parse_range(struct plan_request *rq, const char *arg)
{
	const char *colon = arg ? strchr(arg, ':') : NULL;

	if (!arg)
		return 2;
	if (!colon || !plan_number(arg, (size_t)(colon - arg), &rq->lo) ||
	    !plan_number(colon + 1, strlen(colon + 1), &rq->hi)) {
		fprintf(stderr, "mmsim: --range: LO:HI (two numbers) expected, got '%s'\n", arg);
		return 2;
	}
	if (rq->lo >= rq->hi) {
		fprintf(stderr, "mmsim: --range: LO < HI expected, got '%s'\n", arg);
		return 2;
	}
	rq->has_range = true;
	rq->range_text = arg;
	return 0;
}

/* @s without the blanks around it, as [*start, *start + *len). */
static void plan_trim(const char *s, size_t n, const char **start, size_t *len)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*start = s;
	*len = n;
}

int plan_parse_target(struct plan_request *rq, const char *arg)
{
	const char *op = arg ? strpbrk(arg, "<>") : NULL, *m;
	size_t len;

	if (!arg)
		return 2;
	if (op) {
		plan_trim(arg, (size_t)(op - arg), &m, &len);
		if (len && !memchr(m, ' ', len) && !strpbrk(op + 1, "<>=") &&
		    plan_number(op + 1, strlen(op + 1), &rq->target)) {
			free(rq->metric);
			rq->metric = strndup(m, len);
			rq->cmp = *op == '<' ? PLAN_BELOW : PLAN_ABOVE;
			return 0;
		}
	}
	fprintf(stderr,
	        "mmsim: --target: 'METRIC < VALUE' or 'METRIC > VALUE' expected, got '%s'\n", arg);
	return 2;
}

int plan_parse_tolerance(struct plan_request *rq, const char *arg)
{
	if (!arg)
		return 2;
	if (!plan_number(arg, strlen(arg), &rq->tolerance) || rq->tolerance < 1e-6 ||
	    rq->tolerance > 0.5) {
		fprintf(stderr, "mmsim: --tolerance: number in [1e-06, 0.5] expected, got '%s'\n",
		        arg);
		return 2;
	}
	return 0;
}

void plan_request_release(struct plan_request *rq)
{
	free(rq->metric);
	rq->metric = NULL;
}

/* ---- the checks before anything runs --------------------------------------- */

/*
 * Loads @scenario with the user's @ov and @extra (NULL: none) after them;
 * 0, or 2 after the loader's messages.
 */
static int plan_load(struct scenario_set *set, const char *scenario, const struct override *ov,
                     unsigned nr_ov, const struct override *extra, unsigned nr_extra,
                     long long seed)
{
	struct override *all = xcalloc(nr_ov + nr_extra + 1, sizeof(*all));
	int rc;

	memcpy(all, ov, nr_ov * sizeof(*ov));
	memcpy(all + nr_ov, extra, nr_extra * sizeof(*extra));
	rc = scenario_load(set, scenario, all, nr_ov + nr_extra, seed);
	free(all);
	if (rc)
		scenario_set_release(set);
	return rc ? 2 : 0;
}

/* The scenario accepts PATH = @x in every combination: loads it into @set; 0 or 2. */
static int plan_load_at(struct scenario_set *set, const struct plan *p, const struct override *ov,
                        unsigned nr_ov, double x, long long seed)
{
	struct num_text text = num(x); /* "1" for 1: a whole-number parameter takes it */
	struct override at = { .path = p->rq->path, .value = text.s, .option = "--vary" };

	return plan_load(set, p->scenario, ov, nr_ov, &at, 1, seed);
}

/* --vary names a number the points record, the one set (not another name of a swept axis). */
static int plan_check_path(struct plan *p, const struct scenario_set *set)
{
	const char *path = p->rq->path;

	for (unsigned i = 0; i < set->nr_points; i++) {
		json_t *v = json_path_get(set->points[i].resolved, path);

		if (!json_is_number(v)) {
			fprintf(stderr,
			        "mmsim: --vary: '%s' holds %s in the scenario, a number parameter "
			        "expected\n",
			        path, v ? json_kind(v) : "nothing");
			return 2;
		}
		if (json_number_value(v) != p->rq->lo) {
			fprintf(stderr,
			        "mmsim: --vary: %s is also swept under another name in %s: give "
			        "--vary the sweep's name\n",
			        path, p->scenario);
			return 2;
		}
		p->integer = json_is_integer(v);
	}
	return 0;
}

/* The metric of --target exists in every combination; 0 or 2. */
static int plan_check_metric(const struct plan *p, const struct scenario_set *set)
{
	for (unsigned i = 0; i < set->nr_points; i++) {
		char *err = metric_path_error(&set->points[i], p->rq->metric);

		if (err) {
			fprintf(stderr, "mmsim: --target: %s\n", err);
			free(err);
			return 2;
		}
	}
	return 0;
}

/* --range of whole numbers for a whole-number PATH; 0 or 2. */
static int plan_check_range(struct plan *p)
{
	const struct plan_request *rq = p->rq;

	if (p->integer && (rq->lo != floor(rq->lo) || rq->hi != floor(rq->hi))) {
		fprintf(stderr,
		        "mmsim: --range: whole numbers expected (%s is a whole number), got '%s'\n",
		        rq->path, rq->range_text);
		return 2;
	}
	p->geometric = rq->log || (rq->lo > 0 && rq->hi / rq->lo >= 100);
	return 0;
}

/* The replications of a probe: first and at most; 0 or 2. */
static int plan_check_replications(struct plan *p, const struct scenario *s)
{
	const struct plan_request *rq = p->rq;

	p->first = rq->replications       ? rq->replications
	           : s->replications >= 2 ? s->replications
	                                  : PLAN_REPLICATIONS;
	p->max = rq->max_replications               ? rq->max_replications
	         : p->first > PLAN_MAX_REPLICATIONS ? p->first
	                                            : PLAN_MAX_REPLICATIONS;
	if (p->max < p->first) {
		fprintf(stderr,
		        "mmsim: --max-replications: at least the first replications (%u) expected, "
		        "got %u\n",
		        p->first, p->max);
		return 2;
	}
	p->confidence = s->confidence;
	return 0;
}

/* "kernel=2.6.36, threads.A.count=1": a point's other axes (new string). */
static char *plan_label(const struct scenario_set *set, json_t *swept)
{
	char *s = xstrdup("");

	for (unsigned a = 0; a < set->nr_axes; a++) {
		char *text = plan_value_text(json_object_get(swept, set->axes[a]));
		char *t = xasprintf("%s%s%s=%s", s, a ? ", " : "", set->axes[a], text);

		free(text);
		free(s);
		s = t;
	}
	return s;
}

/* The combinations: the points of @set (loaded at LO), each to probe at both ends first. */
static void plan_combos(struct plan *p, const struct scenario_set *set)
{
	p->nr_axes = set->nr_axes;
	p->axes = xcalloc(set->nr_axes + 1, sizeof(*p->axes));
	for (unsigned a = 0; a < set->nr_axes; a++)
		p->axes[a] = xstrdup(set->axes[a]);
	p->nr_combos = set->nr_points;
	p->combos = xcalloc(set->nr_points, sizeof(*p->combos));
	for (unsigned i = 0; i < set->nr_points; i++) {
		struct plan_combo *c = &p->combos[i];

		c->swept = json_deep_copy(set->points[i].swept);
		c->label = plan_label(set, c->swept);
		c->probes = xcalloc(PLAN_MAX_PROBES, sizeof(*c->probes));
		c->want[0] = p->rq->lo;
		c->want[1] = p->rq->hi;
		c->nr_want = 2;
	}
}

/* --vary given by --set too (which value would win is not clear), --log below 0; 0 or 2. */
static int plan_check_options(const struct plan *p, const struct override *ov, unsigned nr_ov)
{
	if (p->rq->log && p->rq->lo <= 0) {
		fprintf(stderr, "mmsim: --log: a range above 0 expected, got '%s'\n",
		        p->rq->range_text);
		return 2;
	}
	for (unsigned i = 0; i < nr_ov; i++) {
		if (strcmp(ov[i].path, p->rq->path) == 0) {
			fprintf(stderr,
			        "mmsim: --set %s: the parameter --vary searches (give it once)\n",
			        ov[i].path);
			return 2;
		}
	}
	return 0;
}

/* Everything checked at both ends, before anything runs; 0 or 2. */
static int plan_setup(struct plan *p, const struct override *ov, unsigned nr_ov, long long seed)
{
	struct scenario_set lo, hi;
	int rc = plan_check_options(p, ov, nr_ov);

	if (rc || (rc = plan_load_at(&lo, p, ov, nr_ov, p->rq->lo, seed)))
		return rc;
	rc = plan_check_path(p, &lo);
	if (rc == 0)
		rc = plan_check_range(p);
	if (rc == 0 && (rc = plan_load_at(&hi, p, ov, nr_ov, p->rq->hi, seed)) == 0)
		scenario_set_release(&hi);
	if (rc == 0)
		rc = plan_check_metric(p, &lo);
	if (rc == 0)
		rc = plan_check_replications(p, &lo.points[0]);
	if (rc == 0) {
		p->name = xstrdup(lo.name);
		plan_combos(p, &lo);
	}
	scenario_set_release(&lo);
	return rc;
}

static void plan_release(struct plan *p)
{
	for (unsigned i = 0; i < p->nr_combos; i++) {
		json_decref(p->combos[i].swept);
		free(p->combos[i].label);
		free(p->combos[i].probes);
	}
	for (unsigned a = 0; a < p->nr_axes; a++)
		free(p->axes[a]);
	free(p->axes);
	free(p->combos);
	free(p->name);
	free(p->out);
}

/* ---- the search ------------------------------------------------------------ */

const char *plan_outcome_name(int outcome)
{
	static const char *const names[] = { "meets", "fails", "undecided" };

	return names[outcome];
}

/* Where the target holds, from the ends: false when the search is over already. */
static bool plan_ends(struct plan_combo *c)
{
	int lo = c->probes[0].outcome, hi = c->probes[1].outcome;

	if (lo == hi) {
		c->status = lo == PLAN_MEETS   ? PLAN_ALL
		            : lo == PLAN_FAILS ? PLAN_NONE
		                               : PLAN_UNRESOLVED;
		return false;
	}
	/* M F, M U, U F: it holds at low values; F M, U M, F U: at high ones */
	c->sign = lo == PLAN_MEETS || hi == PLAN_FAILS ? 1 : -1;
	return true;
}

/* Probe @i of @c by sign * value: past the side where the target holds. */
static double plan_key(const struct plan_combo *c, int i)
{
	return c->sign * c->probes[i].value;
}

bool plan_in_bracket(const struct plan_combo *c, const struct plan_bracket *b, unsigned i)
{
	return c->probes[i].outcome == PLAN_UNDECIDED &&
	       (b->meets < 0 || plan_key(c, (int)i) > plan_key(c, b->meets)) &&
	       (b->fails < 0 || plan_key(c, (int)i) < plan_key(c, b->fails));
}

void plan_bracket(const struct plan_combo *c, struct plan_bracket *b)
{
	*b = (struct plan_bracket){ .meets = -1, .fails = -1, .first_u = -1, .last_u = -1 };
	for (int i = 0; i < (int)c->nr_probes; i++)
		if (c->probes[i].outcome == PLAN_MEETS &&
		    (b->meets < 0 || plan_key(c, i) > plan_key(c, b->meets)))
			b->meets = i;
	for (int i = 0; i < (int)c->nr_probes; i++)
		if (c->probes[i].outcome == PLAN_FAILS &&
		    (b->meets < 0 || plan_key(c, i) > plan_key(c, b->meets)) &&
		    (b->fails < 0 || plan_key(c, i) < plan_key(c, b->fails)))
			b->fails = i;
	for (int i = 0; i < (int)c->nr_probes; i++) {
		if (!plan_in_bracket(c, b, (unsigned)i))
			continue;
		if (b->first_u < 0 || plan_key(c, i) < plan_key(c, b->first_u))
			b->first_u = i;
		if (b->last_u < 0 || plan_key(c, i) > plan_key(c, b->last_u))
			b->last_u = i;
		b->nr_u++;
	}
}

/* The width of the gap between @a and @z, relative to its larger end. */
static double plan_width(double a, double z)
{
	return fabs(z - a) / fmax(fabs(a), fabs(z));
}

/* Whether the gap between @a and @z is still worth a probe. */
static bool plan_wide(const struct plan *p, double a, double z)
{
	if (p->integer && fabs(z - a) < 2) /* no whole number between them */
		return false;
	return plan_width(a, z) > p->rq->tolerance;
}

/* A value strictly between @a and @z near @x with few digits (readable, as exact in JSON). */
static double plan_tidy(const struct plan *p, double x, double a, double z)
{
	double lo = fmin(a, z), hi = fmax(a, z);

	if (p->integer)
		return fmin(fmax(round(x), lo + 1), hi - 1);
	for (int digits = 3; digits <= 17; digits++) {
		char text[40];
		double r;

		snprintf(text, sizeof(text), "%.*g", digits, x);
		r = strtod(text, NULL);
		if (r > lo && r < hi)
			return r;
	}
	return x;
}

/* The middle of the gap between @a and @z (geometric on a log range). */
static double plan_middle(const struct plan *p, double a, double z)
{
	return plan_tidy(p, p->geometric ? sqrt(a * z) : (a + z) / 2, a, z);
}

/*
 * The gaps of @c's bracket @b a probe may narrow, as value pairs: from the
 * last value meeting to the first undecided, and from the last undecided to
 * the first failing (without undecided probes, one gap between the two).
 */
static unsigned plan_gaps(const struct plan_combo *c, const struct plan_bracket *b,
                          double gap[2][2])
{
	unsigned n = 0;

	if (b->meets >= 0 && (b->nr_u || b->fails >= 0)) {
		gap[n][0] = c->probes[b->meets].value;
		gap[n++][1] = c->probes[b->nr_u ? b->first_u : b->fails].value;
	}
	if (b->nr_u && b->fails >= 0) {
		gap[n][0] = c->probes[b->last_u].value;
		gap[n++][1] = c->probes[b->fails].value;
	}
	return n;
}

/*
 * The next probe of @c: the middle of its widest gap still wider than the
 * tolerance; else (or after PLAN_MAX_PROBES) the search is over.
 */
static void plan_step(const struct plan *p, struct plan_combo *c)
{
	struct plan_bracket b;
	double gap[2][2];
	unsigned n;
	int best = -1;

	c->nr_want = 0;
	if (c->sign == 0 && !plan_ends(c))
		return;
	plan_bracket(c, &b);
	n = plan_gaps(c, &b, gap);
	for (int g = 0; g < (int)n; g++)
		if (plan_wide(p, gap[g][0], gap[g][1]) &&
		    (best < 0 ||
		     plan_width(gap[g][0], gap[g][1]) > plan_width(gap[best][0], gap[best][1])))
			best = g;
	if (best < 0 || c->nr_probes >= PLAN_MAX_PROBES) {
		c->status = b.nr_u ? PLAN_UNRESOLVED : best < 0 ? PLAN_FOUND : PLAN_LIMIT;
		return;
	}
	c->want[0] = plan_middle(p, gap[best][0], gap[best][1]);
	c->nr_want = 1;
}

/* ---- a round of probes ------------------------------------------------------ */

/* The @n values @x in increasing order, each once, as a JSON list (new reference). */
static json_t *plan_values(const struct plan *p, const double *x, unsigned n)
{
	json_t *list = json_array();

	for (unsigned i = 0; i < n; i++) { /* insertion: a few dozen values */
		size_t j = 0, size = json_array_size(list);

		while (j < size && json_number_value(json_array_get(list, j)) < x[i])
			j++;
		if (j < size && json_number_value(json_array_get(list, j)) == x[i])
			continue;
		json_array_insert_new(
		        list, j, p->integer ? json_integer((json_int_t)x[i]) : json_real(x[i]));
	}
	return list;
}

/* The values the round probes (@all: every probe so far), as a JSON list (new reference). */
static json_t *plan_round_values(const struct plan *p, bool all)
{
	double *x = xcalloc(p->nr_combos * PLAN_MAX_PROBES + 1, sizeof(*x));
	unsigned n = 0;
	json_t *list;

	for (unsigned i = 0; i < p->nr_combos; i++) {
		const struct plan_combo *c = &p->combos[i];

		for (unsigned k = 0; all && k < c->nr_probes; k++)
			x[n++] = c->probes[k].value;
		for (unsigned w = 0; !all && w < c->nr_want; w++)
			x[n++] = c->want[w];
	}
	list = plan_values(p, x, n);
	free(x);
	return list;
}

/*
 * Loads the points of the values @list (every combination at each): PATH
 * the last sweep axis, replications and until.target set; 0 or 2.
 */
static int plan_load_round(struct scenario_set *set, const struct plan *p, json_t *list,
                           const struct override *ov, unsigned nr_ov, long long seed)
{
	json_t *until = json_pack("{ss sf sI}", "metric", p->rq->metric, "target", p->rq->target,
	                          "max_replications", (json_int_t)p->max);
	char *values = json_dumps(list, JSON_COMPACT | JSON_REAL_PRECISION(17));
	char *u = json_dumps(until, JSON_COMPACT | JSON_REAL_PRECISION(17));
	char *reps = xasprintf("%u", p->first);
	struct override extra[3] = {
		{ .path = p->rq->path, .value = values, .option = "", .axis = true },
		{ .path = "replications", .value = reps, .option = "" },
		{ .path = "until", .value = u, .option = "" },
	};
	int rc = plan_load(set, p->scenario, ov, nr_ov, extra, 3, seed);

	free(values);
	free(u);
	free(reps);
	json_decref(until);
	return rc;
}

/* The point of @set for combination @c at PATH = @x, or -1. */
static int plan_point(const struct plan *p, const struct scenario_set *set,
                      const struct plan_combo *c, double x)
{
	for (unsigned i = 0; i < set->nr_points; i++) {
		json_t *sw = set->points[i].swept;
		bool same = json_number_value(json_object_get(sw, p->rq->path)) == x;

		for (unsigned a = 0; same && a < p->nr_axes; a++)
			same = json_equal(json_object_get(sw, p->axes[a]),
			                  json_object_get(c->swept, p->axes[a]));
		if (same)
			return (int)i;
	}
	return -1;
}

/* The point of every wanted probe, selected in @sel, its id in a new probe; 0 or -1. */
static int plan_select(struct plan *p, const struct scenario_set *set, bool *sel)
{
	for (unsigned i = 0; i < p->nr_combos; i++) {
		struct plan_combo *c = &p->combos[i];

		for (unsigned w = 0; w < c->nr_want; w++) {
			int k = plan_point(p, set, c, c->want[w]);
			struct plan_probe *pr = &c->probes[c->nr_probes + w];
			char *path;

			if (k < 0) {
				fprintf(stderr,
				        "mmsim: internal error: no point for a probe of %s\n",
				        p->rq->path);
				return -1;
			}
			sel[k] = true;
			*pr = (struct plan_probe){ .value = c->want[w] };
			memcpy(pr->id, set->points[k].id, sizeof(pr->id));
			path = xasprintf("%s/points/%s/results.json", p->out, pr->id);
			pr->reused = access(path, F_OK) == 0;
			free(path);
		}
	}
	return 0;
}

/* The metric of probe @pr from its results, and its outcome; 0 or -1 after a message. */
static int plan_read_probe(const struct plan *p, struct plan_probe *pr)
{
	json_t *r = results_load_point(p->out, pr->id, NULL);
	json_t *m = json_dotted_get(json_object_get(r, "metrics"), p->rq->metric);
	json_t *ci = json_dotted_get(json_object_get(r, "metrics_ci"), p->rq->metric);
	int rc = -1;

	if (json_is_number(m) && json_is_number(json_object_get(ci, "lo"))) {
		pr->mean = json_number_value(m);
		pr->lo = json_number_value(json_object_get(ci, "lo"));
		pr->hi = json_number_value(json_object_get(ci, "hi"));
		pr->n = (unsigned)json_integer_value(json_dotted_get(r, "replications.n"));
		if (p->rq->cmp == PLAN_BELOW)
			pr->outcome = pr->hi < p->rq->target    ? PLAN_MEETS
			              : pr->lo >= p->rq->target ? PLAN_FAILS
			                                        : PLAN_UNDECIDED;
		else
			pr->outcome = pr->lo > p->rq->target    ? PLAN_MEETS
			              : pr->hi <= p->rq->target ? PLAN_FAILS
			                                        : PLAN_UNDECIDED;
		rc = 0;
	} else {
		fprintf(stderr, "mmsim: %s/points/%s: no %s with its interval in the results\n",
		        p->out, pr->id, p->rq->metric);
	}
	json_decref(r);
	return rc;
}

/* The entries of OUT/manifest.json (the round's points) appended to @entries. */
static void plan_keep_manifest(const struct plan *p, json_t *entries)
{
	char *path = xasprintf("%s/manifest.json", p->out);
	json_t *m = json_load_file(path, 0, NULL);

	json_array_extend(entries, json_object_get(m, "points"));
	json_decref(m);
	free(path);
}

/* Reads the round's probes, prints them, and picks the next ones; 0 or 1. */
static int plan_record(struct plan *p)
{
	unsigned *from = xcalloc(p->nr_combos, sizeof(*from));
	int rc = 0;

	for (unsigned i = 0; i < p->nr_combos && rc == 0; i++) {
		struct plan_combo *c = &p->combos[i];

		from[i] = c->nr_probes;
		for (unsigned w = 0; w < c->nr_want && rc == 0; w++)
			rc = plan_read_probe(p, &c->probes[c->nr_probes++]) ? 1 : 0;
	}
	if (rc == 0 && !p->quiet)
		plan_print_probes(p, from);
	for (unsigned i = 0; i < p->nr_combos && rc == 0; i++)
		if (p->combos[i].nr_want)
			plan_step(p, &p->combos[i]);
	free(from);
	return rc;
}

/* One round: the wanted probes of every combination run, read and judged; the exit status. */
static int plan_round(struct plan *p, const struct override *ov, unsigned nr_ov, long long seed,
                      struct run_options run, json_t *manifest)
{
	json_t *list = plan_round_values(p, false);
	struct scenario_set set;
	bool *sel;
	int rc = plan_load_round(&set, p, list, ov, nr_ov, seed);

	json_decref(list);
	if (rc)
		return rc;
	sel = xcalloc(set.nr_points, sizeof(*sel));
	rc = plan_select(p, &set, sel) ? 1 : 0;
	run.selected = sel;
	if (rc == 0)
		rc = run_scenario_set(&set, &run);
	if (rc != 130)
		plan_keep_manifest(p, manifest);
	if (rc == 0)
		rc = plan_record(p);
	free(sel);
	scenario_set_release(&set);
	return rc;
}

static bool plan_searching(const struct plan *p)
{
	for (unsigned i = 0; i < p->nr_combos; i++)
		if (p->combos[i].nr_want)
			return true;
	return false;
}

/* ---- the end: OUT as a run of every probe ---------------------------------- */

/* summary.csv of every probe present, manifest.json of every round's points; 0 or 1. */
static int plan_finish(struct plan *p, const struct override *ov, unsigned nr_ov, long long seed,
                       json_t *manifest)
{
	json_t *list = plan_round_values(p, true), *prov, *m, *e;
	struct scenario_set set;
	size_t i;
	int rc = plan_load_round(&set, p, list, ov, nr_ov, seed);

	json_decref(list);
	if (rc)
		return rc;
	rc = report_summary_run(p->out, &set, NULL) ? 1 : 0;
	prov = output_provenance(&set, &set.points[0]);
	m = manifest_new(json_object_get(prov, "scenario"));
	json_array_foreach (manifest, i, e)
		manifest_add(m, json_incref(e));
	rc |= manifest_write(p->out, m) ? 1 : 0;
	json_decref(m);
	json_decref(prov);
	scenario_set_release(&set);
	return rc;
}

int plan_run(const char *scenario, const struct override *ov, unsigned nr_ov, long long seed,
             const struct run_options *run, const struct plan_request *rq)
{
	struct plan p = { .rq = rq, .scenario = scenario, .quiet = run->quiet };
	struct run_options r = *run;
	json_t *manifest = json_array();
	int rc = plan_setup(&p, ov, nr_ov, seed);

	if (rc == 0) {
		p.out = run->out ? xstrdup(run->out) : xasprintf("out/%s-plan", p.name);
		r.out = p.out;
		r.quiet = true; /* the plan prints its probes itself */
		r.progress = !run->quiet && isatty(2);
		if (!p.quiet)
			plan_print_probes(&p, NULL);
	}
	/* held for the whole plan: no other run between its rounds */
	if (rc == 0 && (rc = outdir_open(p.out, NULL)) == 0) {
		while (rc == 0 && plan_searching(&p))
			rc = plan_round(&p, ov, nr_ov, seed, r, manifest);
		if (rc == 0)
			rc = plan_finish(&p, ov, nr_ov, seed, manifest);
		if (rc == 0)
			rc = plan_report(&p);
		outdir_close(p.out);
	}
	json_decref(manifest);
	plan_release(&p);
	return rc;
}
