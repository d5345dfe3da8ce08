/*
 * plan_report.c - what `mmsim plan` says (see plan.h): the probes as they
 * are decided, the answer of each combination, OUT/plan.csv (one row per
 * combination), OUT/plan.json (every probe with its interval) and the
 * figure OUT/figures/plan.{png,pdf,gp,dat}: the metric with its interval
 * against PATH, one line per combination, the target as a horizontal line.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/output.h"
#include "sim/params.h"
#include "sim/plan.h"
#include "sim/plot.h"
#include "sim/report.h"
#include "sim/util.h"

/*
 * The answer of a combination as plan.csv gives it: the largest value
 * meeting the target is in [ans[0], ans[1]] (ans[0] meets; ans[1] is the
 * first value known to fail past it, or without one the last undecided; the
 * same value twice at the top of the range), and the target changes between
 * meeting and failing in [bnd[0], bnd[1]] (the undecided probes inside).
 */
struct plan_answer {
	const char *holds; /* "below", "above" the boundary; "": no boundary found */
	double ans[2], bnd[2];
	bool has_ans[2], has_bnd[2];
};

const char *plan_status_name(int status)
{
	static const char *const names[] = { "searching", "found",     "all",
		                             "none",      "undecided", "limit" };

	return names[status];
}

/* "mmap_sem.write.wait_us.p99 < 1000" (a static buffer). */
static const char *plan_target_text(const struct plan_request *rq)
{
	static char text[512];

	snprintf(text, sizeof(text), "%s %c %s", rq->metric, rq->cmp == PLAN_BELOW ? '<' : '>',
	         num(rq->target).s);
	return text;
}

static void plan_set(double *v, bool *has, int i, double x)
{
	v[i] = x;
	has[i] = true;
}

/* The value of probe @i of @c. */
static double plan_v(const struct plan_combo *c, int i)
{
	return c->probes[i].value;
}

/* The far end of the bracket: the first value known to fail, or the last undecided; -1. */
static int plan_far(const struct plan_bracket *b)
{
	return b->fails >= 0 ? b->fails : b->last_u;
}

/* The bracket of the boundary, in increasing order, the value meeting on the side it holds. */
static void plan_answer_boundary(const struct plan_combo *c, struct plan_answer *a)
{
	struct plan_bracket b;
	int near = c->sign > 0 ? 0 : 1; /* where the value meeting goes */

	plan_bracket(c, &b);
	if (b.meets >= 0)
		plan_set(a->bnd, a->has_bnd, near, plan_v(c, b.meets));
	if (plan_far(&b) >= 0)
		plan_set(a->bnd, a->has_bnd, 1 - near, plan_v(c, plan_far(&b)));
}

static void plan_answer(const struct plan *p, const struct plan_combo *c, struct plan_answer *a)
{
	double hi = p->rq->hi;

	memset(a, 0, sizeof(*a));
	a->holds = c->sign > 0 ? "below" : c->sign < 0 ? "above" : "";
	if (c->status == PLAN_ALL || c->status == PLAN_NONE)
		a->holds = c->status == PLAN_ALL ? "everywhere" : "nowhere";
	if (c->sign)
		plan_answer_boundary(c, a);
	if (c->sign > 0) { /* the boundary is the answer */
		memcpy(a->ans, a->bnd, sizeof(a->ans));
		memcpy(a->has_ans, a->has_bnd, sizeof(a->has_ans));
	} else if (c->status == PLAN_ALL || (c->sign < 0 && c->probes[1].outcome == PLAN_MEETS)) {
		plan_set(a->ans, a->has_ans, 0, hi); /* the top of the range */
		plan_set(a->ans, a->has_ans, 1, hi);
	} else if (c->sign < 0) { /* HI undecided: nothing known to meet */
		plan_set(a->ans, a->has_ans, 1, hi);
	}
}

/* ---- stdout ---------------------------------------------------------------- */

/* "987.2 [960.1, 994.3]": the metric of probe @pr and its interval (a static buffer). */
static const char *plan_metric_text(const struct plan_probe *pr)
{
	static char text[128];

	snprintf(text, sizeof(text), "%.5g [%.5g, %.5g]", pr->mean, pr->lo, pr->hi);
	return text;
}

static void plan_print_header(const struct plan *p)
{
	const struct plan_request *rq = p->rq;

	printf("plan: the largest %s in [%s, ", rq->path, num(rq->lo).s);
	printf("%s] with %s; %u combination%s, %s probes\n", num(rq->hi).s, plan_target_text(rq),
	       p->nr_combos, p->nr_combos == 1 ? "" : "s", p->geometric ? "geometric" : "linear");
	printf("probes: the mean of %s and its %g %% interval over %u to %u replications\n",
	       rq->metric, p->confidence * 100, p->first, p->max);
}

void plan_print_probes(const struct plan *p, const unsigned *from)
{
	if (!from) {
		plan_print_header(p);
		return;
	}
	for (unsigned i = 0; i < p->nr_combos; i++) {
		const struct plan_combo *c = &p->combos[i];

		for (unsigned k = from[i]; k < c->nr_probes; k++) {
			const struct plan_probe *pr = &c->probes[k];

			printf("  %s%s%s=%s: %s (%u replications%s): %s\n", c->label,
			       *c->label ? " " : "", p->rq->path, num(pr->value).s,
			       plan_metric_text(pr), pr->n, pr->reused ? ", complete already" : "",
			       plan_outcome_name(pr->outcome));
		}
	}
	fflush(stdout);
}

/* "98.8, 100 undecided after 20 replications; 102 fails": the bracket past the last meeting. */
static void plan_print_undecided(const struct plan_combo *c, const struct plan_bracket *b)
{
	double last = -INFINITY;

	for (unsigned printed = 0; printed < b->nr_u; printed++) { /* in increasing order */
		int next = -1;

		for (unsigned i = 0; i < c->nr_probes; i++)
			if (plan_in_bracket(c, b, i) && c->probes[i].value > last &&
			    (next < 0 || c->probes[i].value < plan_v(c, next)))
				next = (int)i;
		last = plan_v(c, next);
		printf("%s%s", printed ? ", " : "", num(last).s);
	}
	printf(" undecided after %u replications", c->probes[b->first_u].n);
	if (b->fails >= 0)
		printf("; %s fails", num(plan_v(c, b->fails)).s);
}

/* " (the next probe, 0.4573, fails)" or " (... undecided ...)", after the value known to meet. */
static void plan_print_next(const struct plan_combo *c, const struct plan_bracket *b,
                            const char *next)
{
	if (!b->nr_u) {
		printf(" (the %s, %s, fails)", next, num(plan_v(c, b->fails)).s);
		return;
	}
	printf(" (%s meets; ", num(plan_v(c, b->meets)).s);
	plan_print_undecided(c, b);
	putchar(')');
}

/* "no PATH in [LO, HI] known to meet TARGET (...)": an end undecided, the other failing. */
static void plan_print_unknown(const struct plan *p, const struct plan_combo *c,
                               const struct plan_bracket *b)
{
	printf("no %s in [%s, ", p->rq->path, num(p->rq->lo).s);
	printf("%s] known to meet %s (", num(p->rq->hi).s, plan_target_text(p->rq));
	plan_print_undecided(c, b);
	putchar(')');
}

/* The target holds below the boundary (sign +1): the answer is the last value meeting it. */
static void plan_print_below(const struct plan *p, const struct plan_combo *c,
                             const struct plan_bracket *b)
{
	double far = plan_v(c, b->fails >= 0 ? b->fails : b->last_u);

	printf("largest %s meeting %s: ", p->rq->path, plan_target_text(p->rq));
	if (b->nr_u)
		printf("between %s and ", num(plan_v(c, b->meets)).s);
	printf("%s", num(b->nr_u ? far : plan_v(c, b->meets)).s);
	plan_print_next(c, b, "next probe");
	printf("; %s at %s: %s", p->rq->metric, num(plan_v(c, b->meets)).s,
	       plan_metric_text(&c->probes[b->meets]));
}

/* The target holds above the boundary (sign -1): the answer is the top of the range. */
static void plan_print_above(const struct plan *p, const struct plan_combo *c,
                             const struct plan_bracket *b)
{
	printf("largest %s meeting %s: %s, the top of the range", p->rq->path,
	       plan_target_text(p->rq), num(p->rq->hi).s);
	printf(" (%s there: %s); it holds down to %s", p->rq->metric,
	       plan_metric_text(&c->probes[1]), num(plan_v(c, b->meets)).s);
	plan_print_next(c, b, "next probe below");
}

/* The answer when the ends agree: all, none, or undecided at both. */
static void plan_print_ends(const struct plan *p, const struct plan_combo *c)
{
	const struct plan_request *rq = p->rq;

	if (c->status == PLAN_ALL)
		printf("largest %s meeting %s: %s, the top of the range: the whole range meets it",
		       rq->path, plan_target_text(rq), num(rq->hi).s);
	else if (c->status == PLAN_NONE)
		printf("no %s in [%s, %s] meets %s: it fails at both ends", rq->path, num(rq->lo).s,
		       num(rq->hi).s, plan_target_text(rq));
	else
		printf("%s in [%s, %s] against %s: undecided at both ends after %u replications",
		       rq->path, num(rq->lo).s, num(rq->hi).s, plan_target_text(rq),
		       c->probes[0].n);
	printf(" (%s at %s: %s", rq->metric, num(rq->lo).s, plan_metric_text(&c->probes[0]));
	printf(", at %s: %s)", num(rq->hi).s, plan_metric_text(&c->probes[1]));
}

static void plan_print_answer(const struct plan *p, const struct plan_combo *c)
{
	struct plan_bracket b;

	printf("%s%s", c->label, *c->label ? ": " : "");
	if (c->sign != 0)
		plan_bracket(c, &b);
	if (c->sign == 0)
		plan_print_ends(p, c);
	else if (b.meets < 0)
		plan_print_unknown(p, c, &b);
	else if (c->sign > 0)
		plan_print_below(p, c, &b);
	else
		plan_print_above(p, c, &b);
	if (c->status == PLAN_LIMIT)
		printf(" (the search stopped at %u probes)", c->nr_probes);
	putchar('\n');
}

/* ---- plan.csv and plan.json ------------------------------------------------ */

static unsigned plan_replications(const struct plan_combo *c)
{
	unsigned n = 0;

	for (unsigned k = 0; k < c->nr_probes; k++)
		n += c->probes[k].n;
	return n;
}

/* ",x" or "," for a cell that may be empty. */
static void plan_cell(FILE *f, bool has, double x)
{
	fputc(',', f);
	if (has)
		fprintf(f, "%.9g", x);
}

static void plan_csv_row(FILE *f, const struct plan *p, const struct plan_combo *c)
{
	struct plan_answer a;

	plan_answer(p, c, &a);
	for (unsigned x = 0; x < p->nr_axes; x++) {
		report_value(f, json_object_get(c->swept, p->axes[x]));
		fputc(',', f);
	}
	fprintf(f, "%s,%s,%s", p->rq->path, plan_status_name(c->status), a.holds);
	for (int i = 0; i < 2; i++)
		plan_cell(f, a.has_ans[i], a.ans[i]);
	for (int i = 0; i < 2; i++)
		plan_cell(f, a.has_bnd[i], a.bnd[i]);
	fprintf(f, ",%u,%u\n", c->nr_probes, plan_replications(c));
}

/* Writes @len bytes of @text to OUT/@name atomically; 0 or 1 after a message. */
static int plan_write_text(const struct plan *p, const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", p->out, name);
	int rc = write_file_atomic(path, text, len);

	if (rc)
		fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
	free(path);
	return rc ? 1 : 0;
}

static int plan_write_csv(const struct plan *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	for (unsigned x = 0; x < p->nr_axes; x++)
		fprintf(f, "%s,", p->axes[x]);
	fputs("path,status,holds,answer_low,answer_high,boundary_low,boundary_high,probes,"
	      "replications\n",
	      f);
	for (unsigned i = 0; i < p->nr_combos; i++)
		plan_csv_row(f, p, &p->combos[i]);
	fclose(f);
	rc = plan_write_text(p, "plan.csv", buf, len);
	free(buf);
	return rc;
}

/* {"low": x, "high": y}, null where there is none (new reference). */
static json_t *plan_pair(const double v[2], const bool has[2])
{
	return json_pack("{so so}", "low", has[0] ? json_real(v[0]) : json_null(), "high",
	                 has[1] ? json_real(v[1]) : json_null());
}

static json_t *plan_json_probe(const struct plan_probe *pr)
{
	return json_pack("{sf ss ss sI sf s{sf sf}}", "value", pr->value, "point", pr->id,
	                 "outcome", plan_outcome_name(pr->outcome), "replications",
	                 (json_int_t)pr->n, "mean", pr->mean, "ci", "lo", pr->lo, "hi", pr->hi);
}

static json_t *plan_json_combo(const struct plan *p, const struct plan_combo *c)
{
	json_t *probes = json_array();
	struct plan_answer a;

	plan_answer(p, c, &a);
	for (unsigned k = 0; k < c->nr_probes; k++)
		json_array_append_new(probes, plan_json_probe(&c->probes[k]));
	return json_pack("{sO ss ss so so so}", "swept", c->swept, "status",
	                 plan_status_name(c->status), "holds", a.holds, "answer",
	                 plan_pair(a.ans, a.has_ans), "boundary", plan_pair(a.bnd, a.has_bnd),
	                 "probes", probes);
}

static int plan_write_json(const struct plan *p)
{
	const struct plan_request *rq = p->rq;
	json_t *combos = json_array(), *root;
	char *text;
	int rc;

	for (unsigned i = 0; i < p->nr_combos; i++)
		json_array_append_new(combos, plan_json_combo(p, &p->combos[i]));
	root = json_pack("{ss ss s[ff] sb sf s{ss ss sf} s{sI sI} sf so}", "scenario", p->scenario,
	                 "vary", rq->path, "range", rq->lo, rq->hi, "geometric", p->geometric,
	                 "tolerance", rq->tolerance, "target", "metric", rq->metric, "op",
	                 rq->cmp == PLAN_BELOW ? "<" : ">", "value", rq->target, "replications",
	                 "first", (json_int_t)p->first, "max", (json_int_t)p->max, "confidence",
	                 p->confidence, "combinations", combos);
	text = json_dumps(root, OUTPUT_JSON_FLAGS);
	json_decref(root);
	rc = plan_write_text(p, "plan.json", text, strlen(text));
	free(text);
	return rc;
}

/* ---- the figure ------------------------------------------------------------ */

char *plan_value_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(9));
}

/* "a, b": the other axes' values of @c, or their names with @names (new string). */
static char *plan_series(const struct plan *p, const struct plan_combo *c, bool names)
{
	char *s = xstrdup("");

	for (unsigned a = 0; a < p->nr_axes; a++) {
		json_t *value = names ? NULL : json_object_get(c->swept, p->axes[a]);
		char *v = names ? xstrdup(p->axes[a]) : plan_value_text(value);
		char *t = xasprintf("%s%s%s", s, a ? ", " : "", v);

		free(v);
		free(s);
		s = t;
	}
	return s;
}

/* A number of the figure's table: on a log y axis, "" (not drawn) unless above 0 (new string). */
static char *plan_y_cell(double y, bool logy)
{
	return !logy || y > 0 ? xasprintf("%.9g", y) : xstrdup("");
}

/*
 * The probes as a table: [the other axes,] PATH, METRIC, METRIC.ci_lo,
 * METRIC.ci_hi; one row per probe.
 */
static void plan_table(const struct plan *p, struct csv *t, bool logy)
{
	unsigned s = p->nr_axes ? 1 : 0, n = 0;
	char **cell;

	t->nr_cols = s + 4;
	t->cols = xcalloc(t->nr_cols, sizeof(*t->cols));
	if (s)
		t->cols[0] = plan_series(p, NULL, true);
	t->cols[s] = xstrdup(p->rq->path);
	t->cols[s + 1] = xstrdup(p->rq->metric);
	t->cols[s + 2] = xasprintf("%s.ci_lo", p->rq->metric);
	t->cols[s + 3] = xasprintf("%s.ci_hi", p->rq->metric);
	for (unsigned i = 0; i < p->nr_combos; i++)
		n += p->combos[i].nr_probes;
	cell = t->cells = xcalloc((size_t)n * t->nr_cols + 1, sizeof(*t->cells));
	for (unsigned i = 0; i < p->nr_combos; i++) {
		const struct plan_combo *c = &p->combos[i];

		for (unsigned k = 0; k < c->nr_probes; k++, t->nr_rows++) {
			const struct plan_probe *pr = &c->probes[k];

			if (s)
				*cell++ = plan_series(p, c, false);
			*cell++ = xasprintf("%.9g", pr->value);
			*cell++ = plan_y_cell(pr->mean, logy);
			*cell++ = plan_y_cell(pr->lo, logy);
			*cell++ = plan_y_cell(pr->hi, logy);
		}
	}
}

/*
 * A log y axis when the target is above 0 and the numbers above 0 span two
 * decades or more: the crossing stays readable next to far larger values
 * (a mean of 0 is then left out of its line).
 */
static bool plan_logy(const struct plan *p)
{
	double min = p->rq->target, max = p->rq->target;

	for (unsigned i = 0; i < p->nr_combos; i++) {
		for (unsigned k = 0; k < p->combos[i].nr_probes; k++) {
			const struct plan_probe *pr = &p->combos[i].probes[k];

			if (pr->mean > 0)
				min = fmin(min, pr->mean);
			max = fmax(max, pr->hi);
		}
	}
	return p->rq->target > 0 && max / min >= 100;
}

/* The figure: a line per combination, its interval as a band, the target (new). */
static struct figure *plan_figure_new(const struct plan *p, const struct csv *t, bool logy)
{
	struct figure *fig = xcalloc(1, sizeof(*fig));

	fig->name = xstrdup("plan");
	fig->x = xstrdup(p->rq->path);
	fig->y = xcalloc(1, sizeof(*fig->y));
	fig->y[0] = xstrdup(p->rq->metric);
	fig->nr_y = 1;
	fig->series = p->nr_axes ? xstrdup(t->cols[0]) : NULL;
	fig->logx = p->geometric;
	fig->logy = logy;
	fig->ci = FIGURE_CI_BAND;
	fig->hline_title = xasprintf("target (%c %s)", p->rq->cmp == PLAN_BELOW ? '<' : '>',
	                             num(p->rq->target).s);
	fig->hline = p->rq->target;
	return fig;
}

/* OUT/figures/plan.{png,pdf,gp,dat}; 0 or 1. */
static int plan_figure(const struct plan *p)
{
	struct csv t = { 0 };
	struct figure *fig;
	struct plot_job job = { .quiet = p->quiet };
	bool logy = plan_logy(p);
	int rc;

	plan_table(p, &t, logy);
	fig = plan_figure_new(p, &t, logy);
	job.fig = fig;
	job.t = &t;
	job.table = "the probes";
	job.dir = xasprintf("%s/figures", p->out);
	job.formats[PLOT_PNG] = job.formats[PLOT_PDF] = true;
	job.origin = xasprintf("mmsim plan of %s, probes in %s", p->scenario, p->out);
	rc = plot_draw(&job) ? 1 : 0;
	free((char *)job.dir);
	free((char *)job.origin);
	figures_free(fig, 1);
	csv_release(&t);
	return rc;
}

int plan_report(const struct plan *p)
{
	unsigned probes = 0, reps = 0, reused = 0;
	int rc;

	if (!p->quiet)
		printf("answers:\n");
	for (unsigned i = 0; i < p->nr_combos; i++) {
		const struct plan_combo *c = &p->combos[i];

		plan_print_answer(p, c);
		probes += c->nr_probes;
		reps += plan_replications(c);
		for (unsigned k = 0; k < c->nr_probes; k++)
			reused += c->probes[k].reused;
	}
	fflush(stdout);
	rc = plan_write_csv(p) | plan_write_json(p);
	if (!p->quiet)
		printf("plan: %u probes, %u replications (%u probes complete already); "
		       "%s/plan.csv, %s/plan.json\n",
		       probes, reps, reused, p->out, p->out);
	if (rc == 0)
		rc = plan_figure(p);
	return rc;
}
