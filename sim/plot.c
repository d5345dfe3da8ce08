/*
 * plot.c - `mmsim plot OUT [--format png,svg,pdf,tex] [--scenario FILE]`:
 * draws the figures the scenario declares from OUT/summary.csv.
 *
 * Every figure is checked against the table (its columns exist, its filters
 * match rows, x is a number, no two rows of a line share an x) before any
 * is drawn: an error is an input error (exit 2) and nothing is written. Then
 * each figure's files are made in a private temporary folder (gnuplot runs
 * there) and renamed into place, so a failed figure leaves no partial file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "sim/cli.h"
#include "sim/json_path.h"
#include "sim/output.h"
#include "sim/params.h"
#include "sim/plot.h"
#include "sim/results.h"
#include "sim/scenario.h"
#include "sim/usl.h"
#include "sim/util.h"

const char *const plot_format_names[] = { "png", "svg", "pdf", "tex", NULL };

static const char usage_plot[] =
        "usage: mmsim plot OUT [--format png,svg,pdf,tex] [--scenario FILE] [--dir DIR] [--quiet]\n"
        "\n"
        "Draws the figures the scenario declares (\"figures\") from OUT/summary.csv, with\n"
        "gnuplot, into DIR (default OUT/figures): for each, <name>.<format>, <name>.dat (the\n"
        "data) and <name>.gp (the script: edit it and run 'gnuplot <name>.gp' in DIR).\n"
        "\n"
        "  --format LIST     png, svg, pdf, tex (cairolatex: <name>-tex.tex and <name>-tex.pdf);\n"
        "                    default png,svg,pdf\n"
        "  --scenario FILE   the scenario (default: the one OUT's results name)\n"
        "  --dir DIR         where the figures go (default OUT/figures)\n"
        "  --quiet           print nothing but errors\n"
        "\n"
        "When a thread count is swept over 4 values or more, also fits the Universal\n"
        "Scalability Law to the group's throughput and writes OUT/usl.csv.\n";

struct plot_opts {
	const char *out;      /* borrowed from argv: the results folder */
	const char *scenario; /* borrowed from argv, or NULL: from the results */
	char *scenario_owned; /* owned: the one found in the results */
	const char *dir;      /* borrowed from argv, or NULL: OUT/figures */
	char *dir_owned;
	bool formats[PLOT_NR_FORMATS];
	bool quiet;
};

/* ---- the command line ------------------------------------------------------ */

/* --format LIST; 0 or 2. */
static int plot_parse_formats(struct plot_opts *o, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0, n = 0;

	memset(o->formats, 0, sizeof(o->formats));
	for (char *f = strtok_r(copy, ",", &save); f && rc == 0; f = strtok_r(NULL, ",", &save)) {
		int i = 0;

		while (plot_format_names[i] && strcmp(plot_format_names[i], f) != 0)
			i++;
		if (plot_format_names[i])
			o->formats[i] = true, n++;
		else
			fprintf(stderr,
			        "mmsim: --format: unknown format '%s' (expected: png, svg, pdf, "
			        "tex)\n",
			        f),
			        rc = 2;
	}
	if (rc == 0 && n == 0)
		fprintf(stderr, "mmsim: --format: at least one of png, svg, pdf, tex expected\n"),
		        rc = 2;
	free(copy);
	return rc;
}

const struct cli_command plot_command = {
	"plot",
	"OUT",
	"draw the figures the scenario declares from a run's results",
	usage_plot,
	CLI_OPT(FORMAT) | CLI_OPT(SCENARIO) | CLI_OPT(DIR) | CLI_OPT(QUIET),
	plot_main
};

/* 0, 1 for --help, or 2. */
static int plot_parse(struct plot_opts *o, int argc, char **argv)
{
	struct cli_parser p;
	int id, rc = plot_parse_formats(o, "png,svg,pdf");

	cli_start(&p, &plot_command, argc, argv);
	while (rc == 0 && (id = cli_next(&p)) > CLI_END) {
		if (id == CLI_FORMAT)
			rc = plot_parse_formats(o, p.value);
		else if (id == CLI_SCENARIO)
			o->scenario = p.value;
		else if (id == CLI_DIR)
			o->dir = p.value;
		else if (id == CLI_QUIET)
			o->quiet = true;
		else
			o->out = p.value;
	}
	return rc ? rc : cli_end(&p);
}

/* ---- the scenario and the table -------------------------------------------- */

struct plot_scan {
	const char *out; /* borrowed */
	char *found;     /* owned */
};

/* One entry of OUT/points: 1 once it names its scenario. */
static int plot_scan_point(void *ctx, const char *id)
{
	struct plot_scan *s = ctx;
	json_t *r = results_load_point(s->out, id, NULL);
	const char *path = json_string_value(json_dotted_get(r, "scenario.path"));

	if (path)
		s->found = xstrdup(path);
	json_decref(r);
	return path != NULL;
}

/* The "scenario.path" of the first results.json under OUT/points (new string), or NULL. */
static char *plot_find_scenario(const char *out)
{
	struct plot_scan s = { out, NULL };
	char *found;

	results_each_point(out, plot_scan_point, &s);
	found = s.found;
	if (!found)
		fprintf(stderr,
		        "mmsim: %s: no results (points/*/results.json) naming their scenario: give "
		        "it with --scenario\n",
		        out);
	else if (access(found, R_OK) != 0) /* a relative path, from another folder */
		fprintf(stderr,
		        "mmsim: %s: its results name the scenario '%s', which cannot be read (%s): "
		        "give it with --scenario\n",
		        out, found, strerror(errno)),
		        free(found), found = NULL;
	return found;
}

/* Reads OUT/summary.csv; 0, 1 (I/O) or 2 (not a results folder). */
static int plot_load_table(const char *out, struct csv *t)
{
	char *path = xasprintf("%s/summary.csv", out);
	int rc = 0;

	if (csv_load(t, path) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			fprintf(stderr,
			        "mmsim: %s: no summary.csv: a folder written by 'mmsim run' "
			        "expected\n",
			        out),
			        rc = 2;
		else
			fprintf(stderr, "mmsim: cannot read %s: %s\n", path, strerror(errno)),
			        rc = 1;
	} else if (t->nr_cols == 0) {
		fprintf(stderr, "mmsim: %s: empty file\n", path);
		csv_release(t);
		rc = 2;
	}
	free(path);
	return rc;
}

/* ---- resolving a figure against the table ---------------------------------- */

/* "a, b, c": the table's columns, for "did you mean" (new string). */
static char *plot_column_list(const struct csv *t)
{
	size_t len = 1;
	char *s, *o;

	for (unsigned c = 0; c < t->nr_cols; c++)
		len += strlen(t->cols[c]) + 2;
	o = s = xmalloc(len);
	*s = '\0';
	for (unsigned c = 0; c < t->nr_cols; c++)
		o += sprintf(o, "%s%s", c ? ", " : "", t->cols[c]);
	return s;
}

/* Up to 6 columns whose last key is @col's, "a, b" (new string); *@n: how many there are. */
static char *plot_columns_like(const struct csv *t, const char *col, unsigned *n)
{
	const char *last = strrchr(col, '.');
	char *s = xstrdup("");

	*n = 0;
	for (unsigned c = 0; last && c < t->nr_cols; c++) {
		size_t lc = strlen(t->cols[c]), ll = strlen(last);
		char *u;

		if (lc <= ll || strcmp(t->cols[c] + lc - ll, last) != 0 || ++*n > 6)
			continue;
		u = xasprintf("%s%s%s", s, *n > 1 ? ", " : "", t->cols[c]);
		free(s);
		s = u;
	}
	return s;
}

/*
 * The column @col (named at JSON path @at), or -1 after an error naming a
 * close one ("did you mean"), or the few ending like it ("threads.C.ops_per_s":
 * those of the other groups, one letter away each).
 */
static int plot_column(struct diag *d, const struct csv *t, const char *csv, const char *col,
                       const char *at)
{
	int c = csv_col(t, col);
	unsigned n;
	char *list, *near, *like;

	if (c >= 0)
		return c;
	list = plot_column_list(t);
	near = params_nearest(col, list);
	like = plot_columns_like(t, col, &n);
	if (n >= 2 && n <= 6 && (!near || strstr(like, near)))
		diag_error(d, at, "no column '%s' in %s (columns ending in '%s': %s)", col, csv,
		           strrchr(col, '.'), like);
	else if (near)
		diag_error(d, at, "no column '%s' in %s, did you mean '%s'?", col, csv, near);
	else
		diag_error(d, at,
		           "no column '%s' in %s (its columns: point, the swept parameters and the "
		           "metrics)",
		           col, csv);
	free(list);
	free(near);
	free(like);
	return -1;
}

/* The CI column "@y.@suffix", or -1. */
static int plot_ci_column(const struct csv *t, const char *y, const char *suffix)
{
	char *name = xasprintf("%s.%s", y, suffix);
	int c = csv_col(t, name);

	free(name);
	return c;
}

/* The figure's columns; 0, or -1 after errors. */
static int plot_resolve_columns(struct diag *d, struct plot_fig *pf, const struct csv *t,
                                const char *csv, const char *at)
{
	const struct figure *f = pf->fig;
	int before = d->total;
	char *p = xasprintf("%s.x", at);

	pf->x = plot_column(d, t, csv, f->cdf ? "point" : f->x, p);
	free(p);
	pf->series = -1;
	if (f->series) {
		p = xasprintf("%s.series", at);
		pf->series = plot_column(d, t, csv, f->series, p);
		free(p);
	}
	pf->y = xcalloc(f->nr_y, sizeof(int));
	pf->lo = xcalloc(f->nr_y, sizeof(int));
	pf->hi = xcalloc(f->nr_y, sizeof(int));
	for (unsigned j = 0; j < f->nr_y; j++) {
		p = xasprintf("%s.y[%u]", at, j);
		pf->y[j] = plot_column(d, t, csv, f->y[j], p);
		pf->lo[j] = plot_ci_column(t, f->y[j], "ci_lo");
		pf->hi[j] = plot_ci_column(t, f->y[j], "ci_hi");
		free(p);
	}
	pf->where = xcalloc(f->nr_where, sizeof(int));
	for (unsigned w = 0; w < f->nr_where; w++) {
		p = xasprintf("%s.where[\"%s\"]", at, f->where[w].column);
		pf->where[w] = plot_column(d, t, csv, f->where[w].column, p);
		free(p);
	}
	return d->total == before ? 0 : -1;
}

static bool plot_same_number(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static bool plot_where_holds(const struct figure_where *w, const char *cell)
{
	double x;

	if (w->is_number)
		return csv_number(cell, &x) && plot_same_number(x, w->number);
	return strcmp(cell, w->text) == 0;
}

/* Whether row @r passes every filter. */
static bool plot_row_selected(const struct plot_fig *pf, const struct csv *t, unsigned r)
{
	for (unsigned w = 0; w < pf->fig->nr_where; w++)
		if (!plot_where_holds(&pf->fig->where[w], csv_cell(t, r, pf->where[w])))
			return false;
	return true;
}

/* "a, b, c": the distinct values of column @col (up to 12; new string). */
static char *plot_values(const struct csv *t, int col)
{
	char *s = xstrdup("");
	unsigned n = 0;

	for (unsigned r = 0; r < t->nr_rows && n < 12; r++) {
		const char *v = csv_cell(t, r, col);
		unsigned q = 0;
		char *u;

		while (q < r && strcmp(csv_cell(t, q, col), v) != 0)
			q++;
		if (q < r)
			continue;
		u = xasprintf("%s%s%s", s, n++ ? ", " : "", *v ? v : "(empty)");
		free(s);
		s = u;
	}
	return s;
}

/* Each filter must match some row; 0, or -1 after errors. */
static int plot_check_where(struct diag *d, const struct plot_fig *pf, const struct csv *t,
                            const char *at)
{
	int rc = 0;

	for (unsigned w = 0; w < pf->fig->nr_where; w++) {
		const struct figure_where *fw = &pf->fig->where[w];
		unsigned r = 0;

		while (r < t->nr_rows && !plot_where_holds(fw, csv_cell(t, r, pf->where[w])))
			r++;
		if (r == t->nr_rows) {
			char *p = xasprintf("%s.where[\"%s\"]", at, fw->column);
			char *vals = plot_values(t, pf->where[w]);

			diag_error(d, p, "no row has '%s' = %s (its values: %s)", fw->column,
			           fw->text, vals);
			free(vals);
			free(p);
			rc = -1;
		}
	}
	return rc;
}

/* The numbers a figure draws: x everywhere, y where not empty; 0, or -1 after errors. */
static int plot_check_numbers(struct diag *d, const struct plot_fig *pf, const struct csv *t,
                              const char *at)
{
	const struct figure *f = pf->fig;
	int rc = 0;
	double v;

	for (unsigned j = 0; j <= f->nr_y && rc == 0; j++) {
		int col = j < f->nr_y ? pf->y[j] : pf->x;
		const char *name = j < f->nr_y ? f->y[j] : f->x;

		for (unsigned r = 0; r < t->nr_rows && rc == 0; r++) {
			const char *cell = csv_cell(t, r, col);
			char *p;

			if (!plot_row_selected(pf, t, r) || csv_number(cell, &v) ||
			    (j < f->nr_y && !*cell))
				continue;
			p = j < f->nr_y ? xasprintf("%s.y[%u]", at, j) : xasprintf("%s.x", at);
			diag_error(d, p, "column '%s' holds '%s', a number expected%s", name, cell,
			           j < f->nr_y ? ""
			                       : " (a column of names may be the 'series' or a "
			                         "'where' filter)");
			free(p);
			rc = -1;
		}
	}
	return rc;
}

struct plot_point {
	double x;
	unsigned row;
};

static int plot_point_cmp(const void *a, const void *b)
{
	const struct plot_point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->row < q->row ? -1 : p->row > q->row;
}

/* The selected rows whose series is @series (NULL: all), by increasing x (new array). */
static unsigned *plot_line_rows(const struct plot_fig *pf, const struct csv *t, const char *series,
                                unsigned *n)
{
	struct plot_point *pts = xcalloc(t->nr_rows, sizeof(*pts));
	unsigned *rows;

	*n = 0;
	for (unsigned r = 0; r < t->nr_rows; r++) {
		if (!plot_row_selected(pf, t, r) ||
		    (series && strcmp(csv_cell(t, r, pf->series), series) != 0))
			continue;
		csv_number(csv_cell(t, r, pf->x), &pts[*n].x);
		pts[(*n)++].row = r;
	}
	qsort(pts, *n, sizeof(*pts), plot_point_cmp);
	rows = xcalloc(*n, sizeof(*rows));
	for (unsigned i = 0; i < *n; i++)
		rows[i] = pts[i].row;
	free(pts);
	return rows;
}

/* The distinct series values of the selected rows, in table order (new array of borrowed). */
static const char **plot_series_values(const struct plot_fig *pf, const struct csv *t, unsigned *n)
{
	const char **vals = xcalloc(t->nr_rows + 1, sizeof(*vals));

	*n = 0;
	if (pf->series < 0) {
		*n = 1; /* one NULL: every selected row */
		return vals;
	}
	for (unsigned r = 0; r < t->nr_rows; r++) {
		const char *v = csv_cell(t, r, pf->series);
		unsigned i = 0;

		while (i < *n && strcmp(vals[i], v) != 0)
			i++;
		if (i == *n && plot_row_selected(pf, t, r))
			vals[(*n)++] = v;
	}
	return vals;
}

/* Whether some row of @l has a confidence interval for its y. */
static bool plot_line_has_ci(const struct plot_fig *pf, const struct csv *t,
                             const struct plot_line *l)
{
	double v;

	for (unsigned i = 0; i < l->nr_rows; i++)
		if (csv_number(csv_cell(t, l->rows[i], pf->lo[l->y]), &v) &&
		    csv_number(csv_cell(t, l->rows[i], pf->hi[l->y]), &v))
			return true;
	return false;
}

bool plot_row_drawable(const struct plot_fig *pf, const struct csv *t, unsigned r, int y_col)
{
	double x, y;

	return csv_number(csv_cell(t, r, pf->x), &x) && csv_number(csv_cell(t, r, y_col), &y) &&
	       (!pf->fig->logx || x > 0) && (!pf->fig->logy || y > 0);
}

/* One line per series value and y, series outermost. */
static void plot_build_lines(struct plot_fig *pf, const struct csv *t)
{
	unsigned nr_y = pf->fig->nr_y;
	const char **vals = plot_series_values(pf, t, &pf->nr_series);

	pf->lines = xcalloc((size_t)pf->nr_series * nr_y, sizeof(*pf->lines));
	for (unsigned s = 0; s < pf->nr_series; s++) {
		unsigned n, *rows = plot_line_rows(pf, t, vals[s], &n);

		for (unsigned j = 0; j < nr_y; j++) {
			struct plot_line *l = &pf->lines[pf->nr_lines++];

			*l = (struct plot_line){ .series = vals[s], .y = j, .nr_rows = n };
			l->rows = xcalloc(n, sizeof(*l->rows));
			memcpy(l->rows, rows, n * sizeof(*rows));
			l->has_ci = plot_line_has_ci(pf, t, l);
			for (unsigned i = 0; i < n; i++)
				l->nr_drawable += plot_row_drawable(pf, t, rows[i], pf->y[j]);
		}
		free(rows);
	}
	free(vals);
}

/* "'a' (1, 0), 'b' (x, y)": the swept columns telling rows @r and @q apart (new string). */
static char *plot_differing(const struct plot_fig *pf, const struct csv *t,
                            const struct scenario_set *set, unsigned r, unsigned q)
{
	char *s = xstrdup("");

	for (unsigned a = 0; set && a < set->nr_axes; a++) {
		int c = csv_col(t, set->axes[a]);
		const char *u = csv_cell(t, r, c), *v = csv_cell(t, q, c);
		char *n;

		if (c < 0 || c == pf->x || c == pf->series || strcmp(u, v) == 0)
			continue;
		n = xasprintf("%s%s'%s' (%s, %s)", s, *s ? ", " : "", set->axes[a], u, v);
		free(s);
		s = n;
	}
	return s;
}

/* No two rows of a line at one x (another swept column left free); 0, or -1 after an error. */
static int plot_check_lines(struct diag *d, const struct plot_fig *pf, const struct csv *t,
                            const struct scenario_set *set, const char *at)
{
	for (unsigned i = 0; i < pf->nr_lines;
	     i += pf->fig->nr_y) { /* the y of a series share rows */
		const struct plot_line *l = &pf->lines[i];

		for (unsigned k = 1; k < l->nr_rows; k++) {
			unsigned r = l->rows[k - 1], q = l->rows[k];
			char *diff, *in;

			if (strcmp(csv_cell(t, r, pf->x), csv_cell(t, q, pf->x)) != 0)
				continue;
			diff = plot_differing(pf, t, set, r, q);
			in = l->series ? xasprintf(" of the line '%s' = %s", pf->fig->series,
			                           l->series)
			               : xstrdup("");
			if (*diff)
				diag_error(d, at,
				           "two rows%s at x = %s, which differ in %s: add it to "
				           "'where' or make it the 'series'",
				           in, csv_cell(t, r, pf->x), diff);
			else
				diag_error(d, at, "two rows%s at x = %s (points %s and %s)", in,
				           csv_cell(t, r, pf->x), csv_cell(t, r, 0),
				           csv_cell(t, q, 0));
			free(diff);
			free(in);
			return -1;
		}
	}
	return 0;
}

/* Whether some line has a point gnuplot can draw (> 0 on a log axis). */
static bool plot_has_points(const struct plot_fig *pf)
{
	for (unsigned k = 0; k < pf->nr_lines; k++)
		if (pf->lines[k].nr_drawable)
			return true;
	return false;
}

/* Reads the CDF file @path (value fraction per line) into @l; 0, or -1 after an error at @at. */
static int plot_read_cdf(struct diag *d, const struct plot_fig *pf, struct plot_line *l,
                         const char *path, const char *at)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned cap = 0;
	double v, q;

	if (!f) {
		diag_error(d, at, "cannot read %s (the CDF of '%s'): %s", path, pf->fig->cdf,
		           strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%lf %lf", &v, &q) != 2)
			continue;
		if (l->nr_cdf == cap) {
			cap = cap ? 2 * cap : 64;
			l->cdf_x = xrealloc(l->cdf_x, cap * sizeof(*l->cdf_x));
			l->cdf_y = xrealloc(l->cdf_y, cap * sizeof(*l->cdf_y));
		}
		l->cdf_x[l->nr_cdf] = v;
		l->cdf_y[l->nr_cdf++] = q;
		l->nr_drawable += (!pf->fig->logx || v > 0) && (!pf->fig->logy || q > 0);
	}
	fclose(f);
	return 0;
}

/*
 * A "cdf" figure's lines: per series value, the one selected row's point
 * and its CDF file in @out; 0, or -1 after an error.
 */
static int plot_build_cdf_lines(struct diag *d, struct plot_fig *pf, const struct csv *t,
                                const struct scenario_set *set, const char *at, const char *out)
{
	const char **vals = plot_series_values(pf, t, &pf->nr_series);
	int rc = 0;

	pf->lines = xcalloc(pf->nr_series, sizeof(*pf->lines));
	for (unsigned s = 0; s < pf->nr_series && rc == 0; s++) {
		struct plot_line *l = &pf->lines[pf->nr_lines++];
		char *path, *diff, *in;

		*l = (struct plot_line){ .series = vals[s] };
		l->rows = plot_line_rows(pf, t, vals[s], &l->nr_rows);
		if (l->nr_rows == 1) {
			path = xasprintf("%s/points/%s/%s.cdf.dat", out,
			                 csv_cell(t, l->rows[0], pf->x), pf->fig->cdf);
			rc = plot_read_cdf(d, pf, l, path, at);
			free(path);
		} else if (l->nr_rows > 1) {
			diff = plot_differing(pf, t, set, l->rows[0], l->rows[1]);
			in = l->series ? xasprintf(" of the line '%s' = %s", pf->fig->series,
			                           l->series)
			               : xstrdup("");
			diag_error(
			        d, at,
			        "a CDF line draws one point, but %u rows%s pass the filters "
			        "(points %s and %s%s%s): add %s to 'where' or make it the 'series'",
			        l->nr_rows, in, csv_cell(t, l->rows[0], 0),
			        csv_cell(t, l->rows[1], 0), *diff ? ", which differ in " : "", diff,
			        *diff ? "that column" : "a column");
			free(diff);
			free(in);
			rc = -1;
		}
	}
	free(vals);
	return rc;
}

/*
 * Resolves figure @fig (at JSON path @at; of @set, whose axes a message may
 * name, or NULL; run into @out, or NULL) against @t into @pf; 0, or -1
 * after errors.
 */
static int plot_resolve(struct diag *d, struct plot_fig *pf, const struct figure *fig,
                        const char *at, const struct scenario_set *set, const struct csv *t,
                        const char *csv, const char *out)
{
	int rc;

	pf->fig = fig;
	if (fig->cdf && !out) {
		diag_error(d, at, "a 'cdf' figure reads a run's points: not drawn here");
		return -1;
	}
	rc = plot_resolve_columns(d, pf, t, csv, at);
	if (rc == 0)
		rc = plot_check_where(d, pf, t, at);
	if (rc == 0 && fig->cdf) {
		rc = plot_build_cdf_lines(d, pf, t, set, at, out);
	} else if (rc == 0) {
		rc = plot_check_numbers(d, pf, t, at);
		if (rc == 0) {
			plot_build_lines(pf, t);
			rc = plot_check_lines(d, pf, t, set, at);
		}
	}
	if (rc == 0 && (pf->nr_series == 0 || pf->lines[0].nr_rows == 0)) {
		diag_error(d, at, "no row passes every 'where' filter");
		rc = -1;
	} else if (rc == 0 && !plot_has_points(pf)) { /* gnuplot would stop there */
		diag_error(d, at, "nothing to draw: no row has a number in x and one in y%s",
		           pf->fig->logx || pf->fig->logy ? " above 0 on the log axes" : "");
		rc = -1;
	}
	return rc;
}

/* A figure of panels: each resolved, its data blocks after the previous panel's. */
static int plot_resolve_panels(struct diag *d, struct plot_fig *pf, const struct figure *fig,
                               const char *at, const struct scenario_set *set, const struct csv *t,
                               const char *csv, const char *out)
{
	unsigned index = 0;
	int rc = 0;

	pf->fig = fig;
	pf->panels = xcalloc(fig->nr_panels, sizeof(*pf->panels));
	for (unsigned j = 0; j < fig->nr_panels; j++) {
		char *p = xasprintf("%s.panels[%u]", at, j);
		struct plot_fig *panel = &pf->panels[pf->nr_panels++];

		if (plot_resolve(d, panel, &fig->panels[j], p, set, t, csv, out) != 0)
			rc = -1;
		panel->first_index = index;
		index += panel->nr_lines;
		free(p);
	}
	return rc;
}

static void plot_fig_release(struct plot_fig *pf)
{
	for (unsigned i = 0; i < pf->nr_panels; i++)
		plot_fig_release(&pf->panels[i]);
	free(pf->panels);
	for (unsigned i = 0; i < pf->nr_lines; i++) {
		free(pf->lines[i].rows);
		free(pf->lines[i].cdf_x);
		free(pf->lines[i].cdf_y);
	}
	free(pf->lines);
	free(pf->y);
	free(pf->lo);
	free(pf->hi);
	free(pf->where);
}

/* ---- drawing ----------------------------------------------------------------- */

unsigned plot_format_files(const char *name, int fmt, char *files[2])
{
	if (fmt != PLOT_TEX) {
		files[0] = xasprintf("%s.%s", name, plot_format_names[fmt]);
		return 1;
	}
	/* cairolatex names the graphics after the .tex: "-tex" keeps it apart from the pdf format */
	files[0] = xasprintf("%s-tex.tex", name);
	files[1] = xasprintf("%s-tex.pdf", name);
	return 2;
}

/* Runs 'gnuplot @script' in folder @dir; 0 or -1 after a message. */
static int plot_gnuplot(const char *dir, const char *script)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (chdir(dir) == 0)
			execlp("gnuplot", "gnuplot", script, (char *)NULL);
		fprintf(stderr, "mmsim: cannot run gnuplot in %s: %s\n", dir, strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "mmsim: cannot run gnuplot: %s\n", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 127)
		fprintf(stderr, "mmsim: gnuplot failed on %s (kept nothing of it)\n", script);
	return -1;
}

/* Writes the data (@script false) or the script of @pf into @path; 0 or -1 after a message. */
static int plot_write_file(const char *path, bool script, const struct plot_fig *pf,
                           const struct csv *t, const struct plot_opts *o, const char *origin)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (script)
		plot_write_script(f, pf, t, o->formats, origin);
	else
		plot_write_data(f, pf, t);
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0 || rc) {
		fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The files of figure @pf: its data, its script, then what gnuplot writes (new strings). */
static unsigned plot_file_names(const struct plot_fig *pf, const struct plot_opts *o, char **files)
{
	unsigned n = 0;

	files[n++] = xasprintf("%s.dat", pf->fig->name);
	files[n++] = xasprintf("%s.gp", pf->fig->name);
	for (int fmt = 0; fmt < PLOT_NR_FORMATS; fmt++)
		if (o->formats[fmt])
			n += plot_format_files(pf->fig->name, fmt, files + n);
	return n;
}

/* Renames the @n @files from @tmp into @dir once all are there and non-empty; 0 or -1. */
static int plot_move(const char *tmp, const char *dir, char **files, unsigned n)
{
	int rc = 0;
	struct stat st;

	for (unsigned i = 0; i < n && rc == 0; i++) {
		char *from = xasprintf("%s/%s", tmp, files[i]);

		if (stat(from, &st) != 0 || st.st_size == 0) {
			fprintf(stderr, "mmsim: gnuplot wrote no %s/%s\n", dir, files[i]);
			rc = -1;
		}
		free(from);
	}
	for (unsigned i = 0; i < n && rc == 0; i++) {
		char *from = xasprintf("%s/%s", tmp, files[i]),
		     *to = xasprintf("%s/%s", dir, files[i]);

		if (rename(from, to) != 0) {
			fprintf(stderr, "mmsim: cannot write %s: %s\n", to, strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	return rc;
}

/* Makes figure @pf's files in a temporary folder of @dir and moves them in; 0 or -1. */
static int plot_make(const struct plot_opts *o, const struct plot_fig *pf, const struct csv *t,
                     const char *dir, const char *origin)
{
	char *files[2 + 2 * PLOT_NR_FORMATS], *tmp, *dat, *gp;
	unsigned n = plot_file_names(pf, o, files);
	int rc;

	tmp = xasprintf("%s/.%s.tmp.%ld", dir, pf->fig->name, (long)getpid());
	dat = xasprintf("%s/%s", tmp, files[0]);
	gp = xasprintf("%s/%s", tmp, files[1]);
	rc = mkdir(tmp, 0777);
	if (rc)
		fprintf(stderr, "mmsim: cannot make %s: %s\n", tmp, strerror(errno));
	if (rc == 0)
		rc = plot_write_file(dat, false, pf, t, o, origin);
	if (rc == 0)
		rc = plot_write_file(gp, true, pf, t, o, origin);
	if (rc == 0)
		rc = plot_gnuplot(tmp, files[1]);
	if (rc == 0)
		rc = plot_move(tmp, dir, files, n);
	remove_tree(tmp);
	for (unsigned i = 0; i < n; i++) {
		if (rc == 0 && !o->quiet)
			printf("%s%s/%s", i ? " " : "", dir, files[i]);
		free(files[i]);
	}
	if (rc == 0 && !o->quiet)
		putchar('\n');
	free(tmp);
	free(dat);
	free(gp);
	return rc;
}

/* Checks every figure against the table, then draws them; the exit status. */
static int plot_figures(const struct plot_opts *o, const struct scenario_set *set,
                        const struct csv *t)
{
	struct plot_fig *pfs = xcalloc(set->nr_figures, sizeof(*pfs));
	char *csv = xasprintf("%s/summary.csv", o->out), *origin;
	const char *dir = o->dir ? o->dir : o->dir_owned;
	struct diag d;
	int rc = 0;

	diag_init(&d, set->path);
	for (unsigned i = 0; i < set->nr_figures; i++) {
		char *at = xasprintf(".figures[%u]", i);

		if (set->figures[i].nr_panels)
			plot_resolve_panels(&d, &pfs[i], &set->figures[i], at, set, t, csv, o->out);
		else
			plot_resolve(&d, &pfs[i], &set->figures[i], at, set, t, csv, o->out);
		free(at);
	}
	diag_print(&d);
	if (d.total)
		rc = 2;
	else if (mkdir_p(dir) != 0)
		fprintf(stderr, "mmsim: cannot make %s: %s\n", dir, strerror(errno)), rc = 1;
	origin = xasprintf("scenario %s, results %s", set->path, o->out);
	for (unsigned i = 0; i < set->nr_figures && rc == 0; i++)
		rc = plot_make(o, &pfs[i], t, dir, origin) ? 1 : 0;
	for (unsigned i = 0; i < set->nr_figures; i++)
		plot_fig_release(&pfs[i]);
	diag_release(&d);
	free(pfs);
	free(csv);
	free(origin);
	return rc;
}

int plot_draw(const struct plot_job *job)
{
	struct plot_opts o = { .quiet = job->quiet };
	struct plot_fig pf = { 0 };
	struct diag d;
	int rc = 0;

	memcpy(o.formats, job->formats, sizeof(o.formats));
	diag_init(&d, job->table);
	if (plot_resolve(&d, &pf, job->fig, "", NULL, job->t, job->table, NULL) != 0)
		rc = 2;
	diag_print(&d);
	if (rc == 0 && mkdir_p(job->dir) != 0)
		fprintf(stderr, "mmsim: cannot make %s: %s\n", job->dir, strerror(errno)), rc = 1;
	if (rc == 0 && plot_make(&o, &pf, job->t, job->dir, job->origin) != 0)
		rc = 1;
	plot_fig_release(&pf);
	diag_release(&d);
	return rc;
}

int plot_scenario(const char *out, const struct scenario_set *set,
                  const bool formats[PLOT_NR_FORMATS], const char *dir, bool quiet)
{
	struct plot_opts o = { .out = out, .dir = dir, .quiet = quiet };
	struct csv t;
	int rc;

	if (set->nr_figures == 0)
		return 0;
	rc = plot_load_table(out, &t);
	if (rc)
		return rc;
	memcpy(o.formats, formats, sizeof(o.formats));
	o.dir_owned = xasprintf("%s/figures", out);
	rc = plot_figures(&o, set, &t);
	if (rc == 0 && usl_report_to(out, set, quiet ? NULL : stdout) != 0)
		rc = 1;
	csv_release(&t);
	free(o.dir_owned);
	return rc;
}

int plot_main(int argc, char **argv)
{
	struct plot_opts o = { 0 };
	struct scenario_set set = { 0 };
	struct csv t;
	int rc = plot_parse(&o, argc, argv);

	if (rc)
		return rc == 1 ? 0 : rc;
	rc = plot_load_table(o.out, &t); /* before the scenario: is OUT a run's folder? */
	if (rc)
		return rc;
	csv_release(&t);
	if (!o.scenario && !(o.scenario = o.scenario_owned = plot_find_scenario(o.out)))
		rc = 2;
	else if (scenario_load(&set, o.scenario, NULL, 0, -1))
		rc = 2;
	else if (set.nr_figures == 0)
		fprintf(stderr,
		        "%s: error: no figures declared (add \"figures\": [...] to the scenario)\n",
		        set.path),
		        rc = 2;
	if (rc == 0)
		rc = plot_scenario(o.out, &set, o.formats, o.dir, o.quiet);
	scenario_set_release(&set);
	free(o.scenario_owned);
	return rc;
}
