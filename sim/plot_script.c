/*
 * plot_script.c - the files of one figure (see plot.h): <name>.dat and the
 * gnuplot script <name>.gp that draws it, written for an author to restyle.
 *
 * The look: a one-column paper figure (3.4 x 2.4 in, 8 pt text); Okabe-Ito
 * colours (colour-blind safe) and, per line, a dash and point type of its
 * own, so that the figure also reads in black and white; units in the axis
 * labels; confidence intervals as semi-transparent bands (or error bars).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/plot.h"
#include "sim/util.h"

/* Okabe & Ito (2008), yellow last: it fades on white. */
static const char *const plot_colours[] = { "#D55E00", "#0072B2", "#009E73", "#CC79A7",
	                                    "#E69F00", "#56B4E9", "#000000", "#F0E442" };
/* Filled circle, square, triangles up and down, diamond; then open ones. */
static const int plot_points[] = { 7, 5, 9, 11, 13, 6, 4, 8, 10, 12 };
static const char *const plot_dashes[] = { "1",      "(10,4)",    "(2,3)", "(10,3,2,3)",
	                                   "(18,5)", "(2,2,2,7)", "(5,7)" };

#define NR(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The terminals: a panel is 3.4 x 2.4 in; pngcairo at 300 dpi (it lays text
 * out at 144 dpi). Enhanced for 10^{n} tics; the texts are set noenhanced ("_" stays).
 */
static const struct plot_terminal {
	const char *name;
	double width, height; /* of one panel, in @unit */
	const char *unit, *options;
} plot_terminals[PLOT_NR_FORMATS] = {
	[PLOT_PNG] = { "pngcairo", 1020, 720, "",
	               "font 'Sans,8' fontscale 2.083 linewidth 3 pointscale 2.6" },
	[PLOT_SVG] = { "svg", 326, 230, "", "font 'Sans,8' linewidth 1 background '#ffffff'" },
	[PLOT_PDF] = { "pdfcairo", 3.4, 2.4, "in", "font 'Sans,8' linewidth 1.5 pointscale 0.5" },
	[PLOT_TEX] = { "cairolatex pdf input colortext", 3.4, 2.4, "in",
	               "linewidth 1.5 pointscale 0.5" },
};

/* "set terminal ..." for format @fmt, @w x @h panels wide and high. */
static void plot_gp_terminal(FILE *f, int fmt, double w, double h)
{
	const struct plot_terminal *term = &plot_terminals[fmt];

	fprintf(f, "set terminal %s size %g%s,%g%s %s\n", term->name, term->width * w, term->unit,
	        term->height * h, term->unit, term->options);
}

/*
 * The layout of a figure of panels, in inches: a grid of 3.4 x 2.4 in panels
 * under the title's strip and over the key's (the first panel's lines: the
 * panels share the series, hence the colours).
 */
struct plot_layout {
	unsigned cols, rows, key_rows;
	double title_in, key_in, height_in;
};

static struct plot_layout plot_layout(const struct plot_fig *pf)
{
	struct plot_layout l = { .cols = 1, .rows = 1, .height_in = 2.4 };
	unsigned nr_keys;

	if (!pf->nr_panels)
		return l;
	nr_keys = pf->panels[0].nr_lines;
	l.cols = pf->fig->columns;
	l.rows = (pf->nr_panels + l.cols - 1) / l.cols;
	l.key_rows =
	        nr_keys > 1 ? (nr_keys + 2 * l.cols - 1) / (2 * l.cols) : 0; /* 2 a panel wide */
	l.key_in = l.key_rows ? 0.12 + 0.16 * l.key_rows : 0;
	l.title_in = pf->fig->title ? 0.3 : 0;
	l.height_in = 2.4 * l.rows + l.key_in + l.title_in;
	return l;
}

/* Writes @s as a gnuplot string: single quotes, where only '' is special. */
static void plot_gp_string(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		fputs(*s == '\'' ? "''" : (char[2]){ *s, '\0' }, f);
	fputc('\'', f);
}

/* @s as LaTeX text (new string): its special characters escaped, µ in math mode. */
static char *plot_tex(const char *s)
{
	static const char *const from[] = {
		"\\", "_", "%", "&", "#", "$", "{", "}", "~", "^", "µ"
	};
	static const char *const to[] = { "\\textbackslash{}",
		                          "\\_",
		                          "\\%",
		                          "\\&",
		                          "\\#",
		                          "\\$",
		                          "\\{",
		                          "\\}",
		                          "\\textasciitilde{}",
		                          "\\textasciicircum{}",
		                          "$\\mu$" };
	char *out = xmalloc(strlen(s) * 16 + 1), *o = out;

	while (*s) {
		size_t i = 0;

		while (i < NR(from) && strncmp(s, from[i], strlen(from[i])) != 0)
			i++;
		if (i < NR(from)) {
			o += sprintf(o, "%s", to[i]);
			s += strlen(from[i]);
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* "set KEY 'TEXT'", the text escaped for LaTeX with @tex. */
static void plot_gp_set(FILE *f, const char *key, const char *text, bool tex)
{
	char *t = tex ? plot_tex(text) : xstrdup(text);

	fprintf(f, "set %s ", key);
	plot_gp_string(f, t);
	fputs(" noenhanced\n", f);
	free(t);
}

/* The " (unit)" that ends @label, or NULL. */
static char *plot_label_unit(char *label)
{
	char *p = strrchr(label, '(');
	size_t n = strlen(label);

	return p && p > label && p[-1] == ' ' && label[n - 1] == ')' ? p - 1 : NULL;
}

/* A label without its unit: "threads.B.ops" for threads.B.ops_per_s (new string). */
static char *plot_short_label(const char *path)
{
	char *l = figure_label(path), *u = plot_label_unit(l);

	if (u)
		*u = '\0';
	return l;
}

/* The length of the start the short labels of @fig's y share, up to a '.' or ' ' (0: one y). */
static size_t plot_common_prefix(const struct figure *fig)
{
	char *first = plot_short_label(fig->y[0]);
	size_t n = fig->nr_y > 1 ? strlen(first) : 0;

	for (unsigned j = 1; j < fig->nr_y; j++) {
		char *l = plot_short_label(fig->y[j]);
		size_t i = 0;

		while (i < n && l[i] == first[i])
			i++;
		n = i;
		free(l);
	}
	while (n > 0 && first[n - 1] != '.' && first[n - 1] != ' ')
		n--;
	free(first);
	return n;
}

/*
 * The y label: given, or from the y columns: with a unit they share, their
 * common start and unit said once ("mmap_sem.write.wait p99, mean (µs)").
 */
static char *plot_ylabel(const struct figure *fig)
{
	char *first, *unit, *s, *t;
	size_t p;
	bool same;

	if (fig->ylabel)
		return xstrdup(fig->ylabel);
	if (fig->cdf)
		return xstrdup("fraction at or below x");
	p = plot_common_prefix(fig);
	first = figure_label(fig->y[0]);
	unit = plot_label_unit(first);
	same = unit != NULL;
	for (unsigned j = 1; j < fig->nr_y && same; j++) {
		char *l = figure_label(fig->y[j]), *u = plot_label_unit(l);

		same = u && strcmp(u, unit) == 0;
		free(l);
	}
	p = same ? p : 0;
	s = xasprintf("%.*s", (int)p, first);
	for (unsigned j = 0; j < fig->nr_y; j++) {
		char *l = same ? plot_short_label(fig->y[j]) : figure_label(fig->y[j]);

		t = xasprintf("%s%s%s", s, j ? ", " : "", l + p);
		free(l);
		free(s);
		s = t;
	}
	t = same ? xasprintf("%s%s", s, unit) : xstrdup(s);
	free(s);
	free(first);
	return t;
}

/* The key's text for line @l: its series value, its y, or both, as "titles" renames them (new string). */
static char *plot_line_title(const struct plot_fig *pf, const struct plot_line *l)
{
	const struct figure *fig = pf->fig;
	const char *series = l->series ? figure_title_of(fig, l->series) : NULL;
	const char *named = fig->cdf ? NULL : figure_title_of(fig, fig->y[l->y]);
	char *y, *t;

	series = series ? series : l->series;
	if (series && (fig->cdf || fig->nr_y == 1))
		return xstrdup(series);
	if (fig->cdf)
		return figure_label(fig->cdf);
	y = named ? xstrdup(named) : plot_short_label(fig->y[l->y]);
	t = xasprintf("%s%s%s", series ? series : "", series ? ", " : "",
	              y + (named ? 0 : plot_common_prefix(fig)));
	free(y);
	return t;
}

/* Lines per series value: one per y, or one CDF. */
static unsigned plot_nr_y(const struct figure *fig)
{
	return fig->cdf ? 1 : fig->nr_y;
}

/*
 * Line @k's colour, point and dash: per series value, or per y with one
 * series; with both, the dash tells the y apart.
 */
static void plot_line_style(const struct plot_fig *pf, unsigned k, const char **colour, int *pt,
                            const char **dash)
{
	unsigned nr_y = plot_nr_y(pf->fig), s = k / nr_y, j = k % nr_y;
	unsigned c = pf->nr_series > 1 ? s : j, d = nr_y > 1 ? j : s;

	*colour = plot_colours[c % NR(plot_colours)];
	*pt = plot_points[c % NR(plot_points)];
	*dash = plot_dashes[d % NR(plot_dashes)];
}

/* The smallest and largest positive values drawn on the x axis, or the y axis (with CIs). */
static void plot_axis_range(const struct plot_fig *pf, const struct csv *t, bool y_axis,
                            double *min, double *max)
{
	double v;

	*min = INFINITY;
	*max = 0;
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		const struct plot_line *l = &pf->lines[k];
		int cols[3] = { pf->x, -1, -1 };

		if (y_axis && !pf->fig->cdf)
			cols[0] = pf->y[l->y], cols[1] = pf->lo[l->y], cols[2] = pf->hi[l->y];

		for (unsigned i = 0; i < l->nr_cdf; i++) {
			v = y_axis ? l->cdf_y[i] : l->cdf_x[i];
			if (v > 0)
				*min = fmin(*min, v), *max = fmax(*max, v);
		}
		for (unsigned i = 0; i < l->nr_rows && !pf->fig->cdf; i++)
			for (int c = 0; c < 3; c++)
				if (csv_number(csv_cell(t, l->rows[i], cols[c]), &v) && v > 0)
					*min = fmin(*min, v), *max = fmax(*max, v);
	}
}

/*
 * The tic format of a log axis: gnuplot's where it prints plain numbers
 * (0.001 to 10000), "10k" (no fractions), else powers of ten; NULL: gnuplot's.
 */
static const char *plot_log_format(const struct plot_fig *pf, const struct csv *t, bool y_axis,
                                   bool tex)
{
	double min, max;

	plot_axis_range(pf, t, y_axis, &min, &max);
	if (min >= 1e-3 && max < 1e5)
		return NULL;
	if (min >= 1)
		return "%.0s%c";
	return tex ? "$10^{%T}$" : "10^{%T}";
}

/* A cell for the data file: its number as summary.csv wrote it, or NaN. */
static const char *plot_dat_cell(const struct csv *t, unsigned row, int col)
{
	const char *c = csv_cell(t, row, col);
	double v;

	return csv_number(c, &v) ? c : "NaN";
}

/* A "cdf" figure's line @l: the fraction at or below each value of the histogram. */
static void plot_write_cdf_block(FILE *f, const struct plot_fig *pf, const struct plot_line *l)
{
	fprintf(f, "# x: %s; y: the fraction at or below x\n# x y y_lo y_hi\n", pf->fig->cdf);
	for (unsigned i = 0; i < l->nr_cdf; i++) {
		bool off =
		        (pf->fig->logx && l->cdf_x[i] <= 0) || (pf->fig->logy && l->cdf_y[i] <= 0);

		fprintf(f, "%s%.9g %.9g NaN NaN\n",
		        off ? "# not drawn (not above 0 on a log axis): " : "", l->cdf_x[i],
		        l->cdf_y[i]);
	}
}

/* Line @l's rows: x y y_lo y_hi, those a log axis cannot show as comments. */
static void plot_write_rows(FILE *f, const struct plot_fig *pf, const struct csv *t,
                            const struct plot_line *l)
{
	const struct figure *fig = pf->fig;

	fprintf(f, "# x: %s; y_lo, y_hi: the confidence interval of y (NaN: none)\n", fig->x);
	fprintf(f, "# x y y_lo y_hi\n");
	for (unsigned i = 0, drawn = 0, gap = 0; i < l->nr_rows; i++) {
		unsigned r = l->rows[i];
		bool off = !plot_row_drawable(pf, t, r, pf->y[l->y]);

		/*
		 * A point a log axis cannot show stays in the file as a
		 * comment, and the line and its band break there (a blank
		 * line before the next point; two would end the block)
		 * rather than run down to it.
		 */
		if (!off && gap)
			fputc('\n', f);
		fprintf(f, "%s%s %s %s %s\n",
		        off ? "# not drawn (no number, or not above 0 on a log axis): " : "",
		        plot_dat_cell(t, r, pf->x), plot_dat_cell(t, r, pf->y[l->y]),
		        plot_dat_cell(t, r, pf->lo[l->y]), plot_dat_cell(t, r, pf->hi[l->y]));
		gap = off && drawn;
		drawn |= !off;
	}
}

/* @pf's lines, blocks from index pf->first_index on. */
static void plot_write_blocks(FILE *f, const struct plot_fig *pf, const struct csv *t)
{
	const struct figure *fig = pf->fig;

	for (unsigned k = 0; k < pf->nr_lines; k++) {
		const struct plot_line *l = &pf->lines[k];
		unsigned index = pf->first_index + k;

		if (fig->cdf)
			fprintf(f, "%s# index %u: the CDF of %s at point %s", index ? "\n\n" : "",
			        index, fig->cdf, csv_cell(t, l->rows[0], pf->x));
		else
			fprintf(f, "%s# index %u: %s", index ? "\n\n" : "", index, fig->y[l->y]);
		if (l->series)
			fprintf(f, " for %s = %s", fig->series, l->series);
		fputc('\n', f);
		if (fig->cdf)
			plot_write_cdf_block(f, pf, l);
		else
			plot_write_rows(f, pf, t, l);
		/* gnuplot skips comments: a block of them would be no block, the next taking its index */
		if (!l->nr_drawable)
			fputs("NaN NaN NaN NaN\n", f);
	}
}

void plot_write_data(FILE *f, const struct plot_fig *pf, const struct csv *t)
{
	const struct figure *fig = pf->fig;

	fprintf(f, "# %s.dat: the data of figure '%s' (drawn by %s.gp), one block per line\n",
	        fig->name, fig->name, fig->name);
	for (unsigned j = 0; j < pf->nr_panels; j++)
		plot_write_blocks(f, &pf->panels[j], t);
	if (!pf->nr_panels)
		plot_write_blocks(f, pf, t);
}

/*
 * The points of @pf's lines a log axis cannot show (numbers, but not above
 * 0): marked on the figure rather than silently left out.
 */
static unsigned plot_log_hidden(const struct plot_fig *pf, const struct csv *t)
{
	unsigned n = 0;
	double x, y;

	if (!pf->fig->logx && !pf->fig->logy)
		return 0;
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		const struct plot_line *l = &pf->lines[k];

		for (unsigned i = 0; i < l->nr_cdf; i++)
			n += (pf->fig->logx && l->cdf_x[i] <= 0) ||
			     (pf->fig->logy && l->cdf_y[i] <= 0);
		for (unsigned i = 0; i < l->nr_rows; i++)
			n += csv_number(csv_cell(t, l->rows[i], pf->x), &x) &&
			     csv_number(csv_cell(t, l->rows[i], pf->y[l->y]), &y) &&
			     !plot_row_drawable(pf, t, l->rows[i], pf->y[l->y]);
	}
	return n;
}

/* A note in the figure's corner: what its log axis cannot show (a "cdf" line: its share of 0s). */
static void plot_gp_log_note(FILE *f, const struct plot_fig *pf, const struct csv *t)
{
	unsigned n = plot_log_hidden(pf, t);

	if (!n)
		return;
	if (!pf->fig->cdf) {
		fprintf(f,
		        "set label 99 \"%u point%s not above 0: not on the log axis\" at graph "
		        "0.98, graph 0.05 right font ',7' tc rgb '#555555' noenhanced\n",
		        n, n == 1 ? "" : "s");
		return;
	}
	for (unsigned k = 0, j = 0; k < pf->nr_lines; k++) { /* one per line, in its colour */
		const struct plot_line *l = &pf->lines[k];
		const char *colour, *dash;
		double at0 = 0;
		int pt;

		for (unsigned i = 0; i < l->nr_cdf && l->cdf_x[i] <= 0; i++)
			at0 = l->cdf_y[i];
		if (at0 <= 0)
			continue;
		plot_line_style(pf, k, &colour, &pt, &dash);
		fprintf(f,
		        "set label %u \"%.3g%% at 0, left of the log axis\" at graph 0.98, graph "
		        "%.2f right font ',7' tc rgb '%s' noenhanced\n",
		        100 + k, at0 * 100, 0.05 + 0.07 * j++, colour);
	}
}

/*
 * The texts: title, axis labels, log axes' tic formats, the key's title and
 * each line's (lineK), for LaTeX with @tex.
 */
static void plot_gp_texts(FILE *f, const struct plot_fig *pf, const struct csv *t, bool tex)
{
	const struct figure *fig = pf->fig;
	char *x = fig->xlabel ? xstrdup(fig->xlabel) : figure_label(fig->cdf ? fig->cdf : fig->x);
	char *y = plot_ylabel(fig);

	fputs(tex ? "# the texts again, for LaTeX\n"
	          : "\n# The texts (the tex output sets them again, for LaTeX).\n",
	      f);
	if (fig->title)
		plot_gp_set(f, "title", fig->title, tex);
	plot_gp_set(f, "xlabel", x, tex);
	plot_gp_set(f, "ylabel", y, tex);
	if (fig->series || fig->key_title) {
		char *k = fig->key_title ? xstrdup(fig->key_title) : figure_label(fig->series);

		plot_gp_set(f, "key title", k, tex);
		fputs("set key title left\n", f);
		free(k);
	}
	for (int a = 0; a < 2; a++) {
		const char *fmt =
		        (a ? fig->logy : fig->logx) ? plot_log_format(pf, t, a, tex) : NULL;

		if (fmt)
			fprintf(f, "set format %c '%s'\n", a ? 'y' : 'x', fmt);
	}
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		char *title = plot_line_title(pf, &pf->lines[k]),
		     *tt = tex ? plot_tex(title) : NULL;

		fprintf(f, "line%u = ", k);
		plot_gp_string(f, tt ? tt : title);
		fputc('\n', f);
		free(title);
		free(tt);
	}
	if (fig->hline_title) {
		char *tt = tex ? plot_tex(fig->hline_title) : NULL;

		fputs("hline = ", f);
		plot_gp_string(f, tt ? tt : fig->hline_title);
		fputc('\n', f);
		free(tt);
	}
	plot_gp_log_note(f, pf, t); /* after lineK: it names them */
	free(x);
	free(y);
}

/* Axes, grid, key. */
static void plot_gp_style(FILE *f, const struct plot_fig *pf)
{
	fputs("\n# The style: a one-column paper figure; Okabe-Ito colours (colour-blind safe) and "
	      "a\n"
	      "# dash and point type per line, so that it reads in black and white too.\n"
	      "set encoding utf8\n"
	      "set border lw 1\n"
	      "set tics scale 0.6\n"
	      "set grid xtics ytics lc rgb '#dddddd' lw 0.6 dt 1\n"
	      "set autoscale fix\n"
	      "set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.08\n",
	      f);
	/* above the plot: it never hides a line */
	fputs(pf->nr_lines + (pf->fig->hline_title != NULL) > 1
	              ? "set key above Left reverse samplen 2.5 spacing 1.1 width -1\n"
	              : "unset key\n",
	      f);
	if (pf->fig->cdf) /* fractions: the whole range, whatever the sample */
		fputs("set yrange [0:1.05]\n", f);
	if (pf->fig->logx)
		fputs("set logscale x\n", f);
	if (pf->fig->logy)
		fputs("set logscale y\n", f);
}

/* The plot command: every band first, then the lines over them. */
static void plot_gp_plot(FILE *f, const struct plot_fig *pf)
{
	const char *sep = "plot ", *name = pf->fig->name, *colour, *dash;
	int pt;

	for (unsigned k = 0; k < pf->nr_lines; k++) /* gnuplot would warn of them */
		if (!pf->lines[k].nr_drawable)
			fprintf(f,
			        "# index %u (line%u): no point to draw, left out; its rows stay in "
			        "the .dat\n",
			        pf->first_index + k, k);

	for (unsigned k = 0; k < pf->nr_lines; k++) {
		if (!pf->lines[k].has_ci || pf->fig->ci != FIGURE_CI_BAND ||
		    !pf->lines[k].nr_drawable)
			continue;
		plot_line_style(pf, k, &colour, &pt, &dash);
		fprintf(f,
		        "%s'%s.dat' index %u using 1:3:4 with filledcurves \\\n"
		        "\t\tfs transparent solid 0.2 noborder lc rgb '%s' notitle",
		        sep, name, pf->first_index + k, colour);
		sep = ", \\\n\t";
	}
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		bool bars = pf->lines[k].has_ci && pf->fig->ci == FIGURE_CI_BARS;

		if (!pf->lines[k].nr_drawable)
			continue;
		plot_line_style(pf, k, &colour, &pt, &dash);
		if (pf->fig->cdf)
			fprintf(f,
			        "%s'%s.dat' index %u using 1:2 with steps \\\n"
			        "\t\tlc rgb '%s' dt %s title line%u noenhanced",
			        sep, name, pf->first_index + k, colour, dash, k);
		else
			fprintf(f,
			        "%s'%s.dat' index %u using %s with %s \\\n"
			        "\t\tlc rgb '%s' dt %s pt %d title line%u noenhanced",
			        sep, name, pf->first_index + k, bars ? "1:2:3:4" : "1:2",
			        bars ? "yerrorlines" : "linespoints", colour, dash, pt, k);
		sep = ", \\\n\t";
	}
	if (pf->fig->hline_title) /* last: over the bands and lines */
		fprintf(f, "%s%.9g with lines lc rgb '#000000' dt 2 lw 0.8 title hline noenhanced",
		        sep, pf->fig->hline);
	fputc('\n', f);
}

/* The terminal and output of format @fmt, after a comment saying what it is. */
static void plot_gp_output(FILE *f, const struct plot_fig *pf, const struct csv *t, int fmt,
                           bool first)
{
	static const char *const what[PLOT_NR_FORMATS] = {
		"PNG, 300 dpi",
		"SVG",
		"PDF",
		"LaTeX: a .tex with the texts over a .pdf; \\input it",
	};
	struct plot_layout l = plot_layout(pf);
	char *files[2];
	unsigned n = plot_format_files(pf->fig->name, fmt, files);

	fprintf(f, "\n# %s (%g x %g in)%s\n", what[fmt], 3.4 * l.cols, l.height_in,
	        pf->nr_panels ? ": every panel again (a multiplot cannot be replotted)"
	        : first       ? "; the other formats replot it"
	                      : "");
	if (fmt == PLOT_TEX && !pf->nr_panels)
		plot_gp_texts(f, pf, t, true);
	plot_gp_terminal(f, fmt, l.cols, l.height_in / 2.4);
	fprintf(f, "set output '%s'\n", files[0]);
	while (n--)
		free(files[n]);
}

/* A figure of panels' key: a plot of its own in the strip under the panels. */
static void plot_gp_key_strip(FILE *f, const struct plot_fig *pf, const struct plot_layout *l,
                              bool tex)
{
	const struct plot_fig *first = &pf->panels[0];
	const struct figure *fig = first->fig;
	const char *sep = "plot ", *colour, *dash;
	int pt;

	fprintf(f,
	        "\n# the key\nreset\nset origin 0, 0\nset size 1, %.4f\nset margins 0, 0, 0, 0\n"
	        "unset border\nunset tics\nset xrange [0:1]\nset yrange [0:1]\n"
	        "set key center center horizontal maxrows %u Left reverse samplen 2.5 width 1\n",
	        l->key_in / l->height_in, l->key_rows);
	if (fig->series || fig->key_title) {
		char *k = fig->key_title ? xstrdup(fig->key_title) : figure_label(fig->series);

		plot_gp_set(f, "key title", k, tex);
		free(k);
	}
	for (unsigned k = 0; k < first->nr_lines; k++) {
		char *title = plot_line_title(first, &first->lines[k]),
		     *tt = tex ? plot_tex(title) : NULL;

		plot_line_style(first, k, &colour, &pt, &dash);
		fprintf(f, "%sNaN with %s lc rgb '%s' dt %s pt %d title ", sep,
		        fig->cdf ? "lines" : "linespoints", colour, dash, pt);
		plot_gp_string(f, tt ? tt : title);
		fputs(" noenhanced", f);
		sep = ", \\\n\t";
		free(title);
		free(tt);
	}
	fputc('\n', f);
}

/* A figure of panels in format @fmt: a multiplot, each panel placed by hand, then the key. */
static void plot_gp_multiplot(FILE *f, const struct plot_fig *pf, const struct csv *t, int fmt)
{
	const struct figure *fig = pf->fig;
	struct plot_layout l = plot_layout(pf);
	bool tex = fmt == PLOT_TEX;

	fputs("set multiplot", f);
	if (fig->title) {
		char *title = tex ? plot_tex(fig->title) : xstrdup(fig->title);

		fputs(" title ", f);
		plot_gp_string(f, title);
		fputs(" noenhanced", f);
		free(title);
	}
	fputc('\n', f);
	for (unsigned j = 0; j < pf->nr_panels; j++) {
		unsigned r = j / l.cols, c = j % l.cols;

		fprintf(f, "\n# panel %u\nreset\n", j + 1);
		plot_gp_texts(f, &pf->panels[j], t, tex);
		plot_gp_style(f, &pf->panels[j]);
		fprintf(f, "unset key\nset origin %.4f, %.4f\nset size %.4f, %.4f\n",
		        (double)c / l.cols, (l.key_in + 2.4 * (l.rows - 1 - r)) / l.height_in,
		        1.0 / l.cols, 2.4 / l.height_in);
		plot_gp_plot(f, &pf->panels[j]);
	}
	if (l.key_rows)
		plot_gp_key_strip(f, pf, &l, tex);
	fputs("unset multiplot\n", f);
}

void plot_write_script(FILE *f, const struct plot_fig *pf, const struct csv *t,
                       const bool formats[PLOT_NR_FORMATS], const char *origin)
{
	const char *name = pf->fig->name;
	bool first = true;

	fprintf(f,
	        "# %s.gp: figure '%s' (%s), written by mmsim.\n"
	        "# Edit it and run 'gnuplot %s.gp' in this folder. It reads %s.dat: one block\n"
	        "# per line (index K, titled lineK), columns x y y_lo y_hi.\n",
	        name, name, origin, name, name);
	if (!pf->nr_panels) {
		plot_gp_texts(f, pf, t, false);
		plot_gp_style(f, pf);
	}
	for (int fmt = 0; fmt < PLOT_NR_FORMATS; fmt++) {
		if (!formats[fmt])
			continue;
		plot_gp_output(f, pf, t, fmt, first);
		if (pf->nr_panels)
			plot_gp_multiplot(f, pf, t, fmt);
		else if (first)
			plot_gp_plot(f, pf);
		else
			fputs("replot\n", f);
		first = false;
	}
	fputs("set output\n", f);
}
