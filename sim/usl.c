/*
 * usl.c - the Universal Scalability Law fitted with GSL (see usl.h).
 *
 * The fit: a linear start, then nonlinear least squares on the throughput
 * itself (gsl_multifit_nlinear, trust region). sigma and kappa are kept
 * non-negative by fitting their square roots; a value the data cannot tell
 * from 0 (it changes no X over the measured N by 1e-9 of it) is reported 0.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multifit_nlinear.h>

#include "sim/csv.h"
#include "sim/usl.h"
#include "sim/util.h"

struct usl_data {
	const double *N, *X; /* borrowed from the caller */
	size_t n;
};

/* The law at @N. */
static double usl_model(double lambda, double sigma, double kappa, double N)
{
	return lambda * N / (1 + sigma * (N - 1) + kappa * N * (N - 1));
}

/* Residuals for p = (lambda, sqrt(sigma), sqrt(kappa)). */
static int usl_f(const gsl_vector *p, void *arg, gsl_vector *r)
{
	const struct usl_data *d = arg;
	double l = gsl_vector_get(p, 0), a = gsl_vector_get(p, 1), b = gsl_vector_get(p, 2);

	for (size_t i = 0; i < d->n; i++)
		gsl_vector_set(r, i, usl_model(l, a * a, b * b, d->N[i]) - d->X[i]);
	return GSL_SUCCESS;
}

static int usl_df(const gsl_vector *p, void *arg, gsl_matrix *J)
{
	const struct usl_data *d = arg;
	double l = gsl_vector_get(p, 0), a = gsl_vector_get(p, 1), b = gsl_vector_get(p, 2);

	for (size_t i = 0; i < d->n; i++) {
		double N = d->N[i], D = 1 + a * a * (N - 1) + b * b * N * (N - 1);
		double dD = -l * N / (D * D); /* d model / d D */

		gsl_matrix_set(J, i, 0, N / D);
		gsl_matrix_set(J, i, 1, dD * (N - 1) * 2 * a);
		gsl_matrix_set(J, i, 2, dD * N * (N - 1) * 2 * b);
	}
	return GSL_SUCCESS;
}

/*
 * The start: N / X = ((1 - sigma) + (sigma - kappa) N + kappa N^2) / lambda
 * is a quadratic in N, fitted by linear least squares (points with X > 0).
 */
static void usl_start(const struct usl_data *d, double p[3])
{
	size_t m = 0, i;
	gsl_matrix *A = gsl_matrix_alloc(d->n, 3), *cov = gsl_matrix_alloc(3, 3);
	gsl_vector *y = gsl_vector_alloc(d->n), *c = gsl_vector_alloc(3);
	gsl_multifit_linear_workspace *w;
	double chisq, lambda = 0, sigma = 0, kappa = 0;

	for (i = 0; i < d->n; i++) {
		if (d->X[i] <= 0)
			continue;
		gsl_matrix_set(A, m, 0, 1);
		gsl_matrix_set(A, m, 1, d->N[i]);
		gsl_matrix_set(A, m, 2, d->N[i] * d->N[i]);
		gsl_vector_set(y, m++, d->N[i] / d->X[i]);
	}
	if (m >= 3) {
		gsl_matrix_view Am = gsl_matrix_submatrix(A, 0, 0, m, 3);
		gsl_vector_view ym = gsl_vector_subvector(y, 0, m);

		w = gsl_multifit_linear_alloc(m, 3);
		gsl_multifit_linear(&Am.matrix, &ym.vector, c, cov, &chisq, w);
		gsl_multifit_linear_free(w);
		lambda = 1 / (gsl_vector_get(c, 0) + gsl_vector_get(c, 1) + gsl_vector_get(c, 2));
		kappa = gsl_vector_get(c, 2) * lambda;
		sigma = gsl_vector_get(c, 1) * lambda + kappa;
	}
	/* else, or nonsense: one thread's share of the smallest N's throughput */
	if (!(lambda > 0) || !isfinite(lambda))
		lambda = d->X[0] / d->N[0] > 0 ? d->X[0] / d->N[0] : 1;
	/* a root at 0 has no gradient: start just off it */
	p[0] = lambda;
	p[1] = sqrt(isfinite(sigma) && sigma > 1e-4 ? sigma : 1e-4);
	p[2] = sqrt(isfinite(kappa) && kappa > 1e-6 ? kappa : 1e-6);
	gsl_matrix_free(A);
	gsl_matrix_free(cov);
	gsl_vector_free(y);
	gsl_vector_free(c);
}

/* Nonlinear least squares from @p (updated). */
static void usl_solve(struct usl_data *d, double p[3])
{
	const gsl_multifit_nlinear_type *T = gsl_multifit_nlinear_trust;
	gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_fdf fdf = { .f = usl_f, .df = usl_df, .n = d->n, .p = 3, .params = d };
	gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(T, &params, d->n, 3);
	gsl_vector_view x0 = gsl_vector_view_array(p, 3);
	int info;

	gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
	/* not converging (GSL_EMAXITER, GSL_ENOPROG) still leaves the best point found */
	gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 0, NULL, NULL, &info, w);
	for (size_t i = 0; i < 3; i++)
		p[i] = gsl_vector_get(gsl_multifit_nlinear_position(w), i);
	gsl_multifit_nlinear_free(w);
}

/* R^2 of the law with @fit's parameters. */
static double usl_r2(const struct usl_data *d, const struct usl_fit *fit)
{
	double mean = 0, ss_res = 0, ss_tot = 0;

	for (size_t i = 0; i < d->n; i++)
		mean += d->X[i] / (double)d->n;
	for (size_t i = 0; i < d->n; i++) {
		double e = d->X[i] - usl_model(fit->lambda, fit->sigma, fit->kappa, d->N[i]);

		ss_res += e * e;
		ss_tot += (d->X[i] - mean) * (d->X[i] - mean);
	}
	if (ss_tot == 0)
		return ss_res == 0 ? 1 : 0;
	return 1 - ss_res / ss_tot;
}

/* Whether the @n values are USL material: N >= 1, X >= 0, enough distinct N. */
static bool usl_valid(const double *N, const double *X, size_t n)
{
	size_t distinct = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		if (!(N[i] >= 1) || !isfinite(N[i]) || !(X[i] >= 0) || !isfinite(X[i]))
			return false;
		while (j < i && N[j] != N[i])
			j++;
		distinct += j == i;
	}
	return distinct >= USL_MIN_POINTS;
}

int usl_fit(const double *N, const double *X, size_t n, struct usl_fit *fit)
{
	struct usl_data d = { .N = N, .X = X, .n = n };
	double p[3], n_max = 1;

	if (!usl_valid(N, X, n))
		return -1;
	for (size_t i = 0; i < n; i++)
		n_max = fmax(n_max, N[i]);
	usl_start(&d, p);
	usl_solve(&d, p);
	fit->lambda = p[0];
	fit->sigma = p[1] * p[1];
	fit->kappa = p[2] * p[2];
	/* below what the data can tell from 0 */
	if (fit->sigma * (n_max - 1) < 1e-9)
		fit->sigma = 0;
	if (fit->kappa * n_max * (n_max - 1) < 1e-9)
		fit->kappa = 0;
	if (fit->sigma >= 1)
		fit->n_star = 1; /* X never grows with N */
	else
		fit->n_star = fit->kappa > 0 ? sqrt((1 - fit->sigma) / fit->kappa) : INFINITY;
	if (isinf(fit->n_star))
		fit->x_star = fit->sigma > 0 ? fit->lambda / fit->sigma : INFINITY;
	else
		fit->x_star = usl_model(fit->lambda, fit->sigma, fit->kappa, fit->n_star);
	fit->r2 = usl_r2(&d, fit);
	fit->points = n;
	return 0;
}

/* ---- the report: thread-count axes of a sweep ----------------------------- */

/* Splits @axis into at most 5 steps, "#0" for an index (new strings); how many, 0 if more. */
static unsigned usl_steps(const char *axis, char *st[5])
{
	const char *s = axis + (axis[0] == '.');
	unsigned n = 0;

	while (*s && n < 5) {
		bool index = *s == '[';
		size_t len = index ? strcspn(s, "]") : strcspn(s, ".[");

		st[n++] = index ? xasprintf("#%.*s", (int)len - 1, s + 1)
		                : xasprintf("%.*s", (int)len, s);
		s += len + (index && s[len] == ']');
		s += *s == '.';
	}
	if (*s)
		while (n)
			free(st[--n]);
	return n;
}

/* Whether path step @step ("#2" or a name) names element @i, named @name. */
static bool usl_step_is(const char *step, unsigned i, const char *name)
{
	if (step[0] == '#')
		return step[1] && strtoul(step + 1, NULL, 10) == i;
	return name && strcmp(step, name) == 0;
}

static const struct process_config *usl_process(const struct scenario *s, const char *step)
{
	for (unsigned p = 0; p < s->nr_procs; p++)
		if (usl_step_is(step, p, s->procs[p].name))
			return &s->procs[p];
	return NULL;
}

static int usl_group(const struct process_config *pc, const char *step)
{
	for (unsigned g = 0; g < pc->nr_groups; g++)
		if (usl_step_is(step, g, pc->groups[g].name))
			return (int)g;
	return -1;
}

/*
 * The thread groups whose thread count @axis sweeps, into @groups (borrowed
 * from @s, at most @max): "threads.G.count" and "processes.P.threads.G.count"
 * (G, P a name or [index]) count a group's threads, "processes.P.count" the
 * copies of a process, so the threads of each of its groups.
 */
static unsigned usl_axis_groups(const struct scenario *s, const char *axis, const char **groups,
                                unsigned max)
{
	char *st[5];
	unsigned n = usl_steps(axis, st), nr = 0;
	const struct process_config *pc = NULL;
	int g = -1; /* -1: every group of pc */

	if (n >= 3 && strcmp(st[n - 1], "count") == 0) {
		if (n == 3 && strcmp(st[0], "threads") == 0) {
			for (unsigned p = 0; p < s->nr_procs && !pc; p++)
				if ((g = usl_group(&s->procs[p], st[1])) >= 0)
					pc = &s->procs[p];
		} else if (strcmp(st[0], "processes") == 0 &&
		           (n == 3 || (n == 5 && strcmp(st[2], "threads") == 0))) {
			pc = usl_process(s, st[1]);
			if (pc && n == 5 && (g = usl_group(pc, st[3])) < 0)
				pc = NULL;
		}
	}
	for (unsigned i = 0; pc && i < pc->nr_groups && nr < max; i++)
		if (g < 0 || (int)i == g)
			groups[nr++] = pc->groups[i].name;
	while (n)
		free(st[--n]);
	return nr;
}

/* The distinct thread counts (>= 1) in column @col. */
static unsigned usl_distinct_counts(const struct csv *t, int col)
{
	unsigned n = 0;
	double v, w;

	for (unsigned r = 0; r < t->nr_rows; r++) {
		unsigned q = 0;

		if (!csv_number(csv_cell(t, r, col), &v) || v < 1)
			continue;
		while (q < r && !(csv_number(csv_cell(t, q, col), &w) && w == v))
			q++;
		n += q == r;
	}
	return n;
}

/* Whether rows @r and @q agree on every axis but @a. */
static bool usl_same_others(const struct csv *t, const struct scenario_set *set, unsigned a,
                            unsigned r, unsigned q)
{
	for (unsigned b = 0; b < set->nr_axes; b++) {
		int c = csv_col(t, set->axes[b]);

		if (b != a && c >= 0 && strcmp(csv_cell(t, r, c), csv_cell(t, q, c)) != 0)
			return false;
	}
	return true;
}

/* @s as a CSV field: quoted if it holds a ',' or a '"'. */
static void usl_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++)
		fputs(*s == '"' ? "\"\"" : (char[2]){ *s, '\0' }, f);
	fputc('"', f);
}

/* Where the fits go, and what they are read from. */
struct usl_out {
	FILE *csv;                      /* the rows of usl.csv */
	FILE *lines;                    /* one line per fit, or NULL */
	const struct csv *t;            /* summary.csv */
	const struct scenario_set *set; /* borrowed */
};

/* One fit: a row of usl.csv (the other axes' values from row @r) and a line. */
static void usl_emit(const struct usl_out *o, unsigned a, unsigned r, const char *group,
                     const struct usl_fit *fit)
{
	const struct scenario_set *set = o->set;
	char *others = xstrdup("");

	for (unsigned b = 0; b < set->nr_axes; b++) {
		const char *v = b == a ? "" : csv_cell(o->t, r, csv_col(o->t, set->axes[b]));
		char *s = b == a ? xstrdup(others)
		                 : xasprintf("%s%s%s=%s", others, *others ? ", " : "", set->axes[b],
		                             v);

		usl_csv_field(o->csv, v);
		fputc(',', o->csv);
		free(others);
		others = s;
	}
	fprintf(o->csv, "%s,%s,%zu,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n", set->axes[a], group,
	        fit->points, fit->lambda, fit->sigma, fit->kappa, fit->n_star, fit->x_star,
	        fit->r2);
	if (o->lines)
		fprintf(o->lines,
		        "usl: threads.%s.ops_per_s against %s%s%s%s: lambda %.6g/s, sigma %.4g, "
		        "kappa %.4g, N* %.4g, X(N*) %.6g/s, R^2 %.4f (%zu points)\n",
		        group, set->axes[a], *others ? " (" : "", others, *others ? ")" : "",
		        fit->lambda, fit->sigma, fit->kappa, fit->n_star, fit->x_star, fit->r2,
		        fit->points);
	free(others);
}

/* Fits group @group against axis @a, once per combination of the other axes' values. */
static void usl_fit_axis(const struct usl_out *o, unsigned a, const char *group)
{
	const struct csv *t = o->t;
	char *name = xasprintf("threads.%s.ops_per_s", group);
	int n_col = csv_col(t, o->set->axes[a]), x_col = csv_col(t, name);
	bool *done = xcalloc(t->nr_rows, sizeof(*done));
	double *N = xcalloc(t->nr_rows, sizeof(*N)), *X = xcalloc(t->nr_rows, sizeof(*X));
	struct usl_fit fit;

	for (unsigned r = 0; x_col >= 0 && r < t->nr_rows; r++) {
		size_t n = 0;

		if (done[r])
			continue;
		for (unsigned q = r; q < t->nr_rows; q++) {
			if (done[q] || !usl_same_others(t, o->set, a, r, q))
				continue;
			done[q] = true;
			if (csv_number(csv_cell(t, q, n_col), &N[n]) && N[n] >= 1 &&
			    csv_number(csv_cell(t, q, x_col), &X[n]))
				n++;
		}
		if (usl_fit(N, X, n, &fit) == 0)
			usl_emit(o, a, r, group, &fit);
	}
	free(name);
	free(done);
	free(N);
	free(X);
}

/* Writes the fits of every thread-count axis; how many axes there were. */
static unsigned usl_fit_all(const struct usl_out *o)
{
	const struct scenario_set *set = o->set;
	const char *groups[64];
	unsigned axes = 0;

	for (unsigned a = 0; a < set->nr_axes; a++) {
		unsigned n = usl_axis_groups(&set->points[0], set->axes[a], groups, 64);

		if (!n || usl_distinct_counts(o->t, csv_col(o->t, set->axes[a])) < USL_MIN_POINTS)
			continue;
		if (axes++ == 0) {
			for (unsigned b = 0; b < set->nr_axes; b++)
				usl_csv_field(o->csv, set->axes[b]), fputc(',', o->csv);
			fputs("axis,group,points,lambda,sigma,kappa,n_star,x_star,r2\n", o->csv);
		}
		for (unsigned g = 0; g < n; g++)
			usl_fit_axis(o, a, groups[g]);
	}
	return axes;
}

/* Whether some axis of @set sweeps a thread count. */
static bool usl_has_count_axis(const struct scenario_set *set)
{
	const char *g;

	for (unsigned a = 0; a < set->nr_axes && set->nr_points; a++)
		if (usl_axis_groups(&set->points[0], set->axes[a], &g, 1))
			return true;
	return false;
}

int usl_report_to(const char *out_dir, const struct scenario_set *set, FILE *lines)
{
	struct usl_out o = { .lines = lines, .set = set };
	char *path, *buf = NULL;
	size_t len = 0;
	struct csv t;
	int rc = 0;

	if (!usl_has_count_axis(set))
		return 0;
	path = xasprintf("%s/summary.csv", out_dir);
	if (csv_load(&t, path) != 0) {
		fprintf(stderr, "mmsim: cannot read %s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	o.t = &t;
	o.csv = open_memstream(&buf, &len);
	if (usl_fit_all(&o)) {
		fclose(o.csv);
		path = xasprintf("%s/usl.csv", out_dir);
		rc = write_file_atomic(path, buf, len);
		if (rc)
			fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
		free(path);
	} else {
		fclose(o.csv);
	}
	free(buf);
	csv_release(&t);
	return rc;
}

int usl_report(const char *out_dir, const struct scenario_set *set)
{
	return usl_report_to(out_dir, set, stdout);
}
