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

/* clang-format off */
/*
 * The terminals: 3.4 x 2.4 in; pngcairo at 300 dpi (it lays text out at 144
 * dpi). Enhanced for 10^{n} tics; the texts are set noenhanced ("_" stays).
 */
static const char *const plot_terminals[PLOT_NR_FORMATS] = {
	[PLOT_PNG] = "pngcairo size 1020,720 font 'Sans,8' fontscale 2.083 linewidth 3 pointscale 2.6",
	[PLOT_SVG] = "svg size 326,230 font 'Sans,8' linewidth 1 background '#ffffff'",
	[PLOT_PDF] = "pdfcairo size 3.4in,2.4in font 'Sans,8' linewidth 1.5 pointscale 0.5",
	[PLOT_TEX] = "cairolatex pdf input colortext size 3.4in,2.4in linewidth 1.5 pointscale 0.5",
};
/* clang-format on */

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
	static const char *const from[] = { "\\", "_", "%", "&", "#", "$", "{", "}", "~", "^", "µ" };
	static const char *const to[] = { "\\textbackslash{}", "\\_", "\\%", "\\&", "\\#", "\\$",
					  "\\{", "\\}", "\\textasciitilde{}", "\\textasciicircum{}",
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
	size_t p = plot_common_prefix(fig);
	bool same;

	if (fig->ylabel)
		return xstrdup(fig->ylabel);
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

/* The key's text for line @l: its series value, its y, or both (new string). */
static char *plot_line_title(const struct plot_fig *pf, const struct plot_line *l)
{
	char *y, *t;

	if (l->series && pf->fig->nr_y == 1)
		return xstrdup(l->series);
	y = plot_short_label(pf->fig->y[l->y]);
	t = l->series ? xasprintf("%s, %s", l->series, y + plot_common_prefix(pf->fig))
		      : xstrdup(y + plot_common_prefix(pf->fig));
	free(y);
	return t;
}

/*
 * Line @k's colour, point and dash: per series value, or per y with one
 * series; with both, the dash tells the y apart.
 */
static void plot_line_style(const struct plot_fig *pf, unsigned k, const char **colour, int *pt,
			    const char **dash)
{
	unsigned nr_y = pf->fig->nr_y, s = k / nr_y, j = k % nr_y;
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
		int cols[3] = { y_axis ? pf->y[l->y] : pf->x, y_axis ? pf->lo[l->y] : -1,
				y_axis ? pf->hi[l->y] : -1 };

		for (unsigned i = 0; i < l->nr_rows; i++)
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

void plot_write_data(FILE *f, const struct plot_fig *pf, const struct csv *t)
{
	const struct figure *fig = pf->fig;

	fprintf(f, "# %s.dat: the data of figure '%s' (drawn by %s.gp), one block per line\n",
		fig->name, fig->name, fig->name);
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		const struct plot_line *l = &pf->lines[k];

		fprintf(f, "%s# index %u: %s", k ? "\n\n" : "", k, fig->y[l->y]);
		if (l->series)
			fprintf(f, " for %s = %s", fig->series, l->series);
		fprintf(f, "\n# x: %s; y_lo, y_hi: the confidence interval of y (NaN: none)\n", fig->x);
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
			fprintf(f, "%s%s %s %s %s\n", off ? "# not drawn (no number, or not above 0 on a log axis): " : "",
				plot_dat_cell(t, r, pf->x), plot_dat_cell(t, r, pf->y[l->y]),
				plot_dat_cell(t, r, pf->lo[l->y]), plot_dat_cell(t, r, pf->hi[l->y]));
			gap = off && drawn;
			drawn |= !off;
		}
	}
}

/*
 * The texts: title, axis labels, log axes' tic formats, the key's title and
 * each line's (lineK), for LaTeX with @tex.
 */
static void plot_gp_texts(FILE *f, const struct plot_fig *pf, const struct csv *t, bool tex)
{
	const struct figure *fig = pf->fig;
	char *x = fig->xlabel ? xstrdup(fig->xlabel) : figure_label(fig->x), *y = plot_ylabel(fig);

	fputs(tex ? "# the texts again, for LaTeX\n"
		  : "\n# The texts (the tex output sets them again, for LaTeX).\n", f);
	if (fig->title)
		plot_gp_set(f, "title", fig->title, tex);
	plot_gp_set(f, "xlabel", x, tex);
	plot_gp_set(f, "ylabel", y, tex);
	if (fig->series) {
		char *k = figure_label(fig->series);

		plot_gp_set(f, "key title", k, tex);
		fputs("set key title left\n", f);
		free(k);
	}
	for (int a = 0; a < 2; a++) {
		const char *fmt = (a ? fig->logy : fig->logx) ? plot_log_format(pf, t, a, tex) : NULL;

		if (fmt)
			fprintf(f, "set format %c '%s'\n", a ? 'y' : 'x', fmt);
	}
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		char *title = plot_line_title(pf, &pf->lines[k]), *tt = tex ? plot_tex(title) : NULL;

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
	free(x);
	free(y);
}

/* Axes, grid, key. */
static void plot_gp_style(FILE *f, const struct plot_fig *pf)
{
	fputs("\n# The style: a one-column paper figure; Okabe-Ito colours (colour-blind safe) and a\n"
	      "# dash and point type per line, so that it reads in black and white too.\n"
	      "set encoding utf8\n"
	      "set border lw 1\n"
	      "set tics scale 0.6\n"
	      "set grid xtics ytics lc rgb '#dddddd' lw 0.6 dt 1\n"
	      "set autoscale fix\n"
	      "set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.08\n",
	      f);
	/* above the plot: it never hides a line */
	fputs(pf->nr_lines + (pf->fig->hline_title != NULL) > 1 ? "set key above Left reverse samplen 2.5 spacing 1.1 width -1\n"
			       : "unset key\n",
	      f);
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
			fprintf(f, "# index %u (line%u): no point to draw, left out; its rows stay in the .dat\n",
				k, k);

	for (unsigned k = 0; k < pf->nr_lines; k++) {
		if (!pf->lines[k].has_ci || pf->fig->ci != FIGURE_CI_BAND || !pf->lines[k].nr_drawable)
			continue;
		plot_line_style(pf, k, &colour, &pt, &dash);
		fprintf(f, "%s'%s.dat' index %u using 1:3:4 with filledcurves \\\n"
			   "\t\tfs transparent solid 0.2 noborder lc rgb '%s' notitle",
			sep, name, k, colour);
		sep = ", \\\n\t";
	}
	for (unsigned k = 0; k < pf->nr_lines; k++) {
		bool bars = pf->lines[k].has_ci && pf->fig->ci == FIGURE_CI_BARS;

		if (!pf->lines[k].nr_drawable)
			continue;
		plot_line_style(pf, k, &colour, &pt, &dash);
		fprintf(f, "%s'%s.dat' index %u using %s with %s \\\n"
			   "\t\tlc rgb '%s' dt %s pt %d title line%u noenhanced",
			sep, name, k, bars ? "1:2:3:4" : "1:2", bars ? "yerrorlines" : "linespoints",
			colour, dash, pt, k);
		sep = ", \\\n\t";
	}
	if (pf->fig->hline_title) /* last: over the bands and lines */
		fprintf(f, "%s%.9g with lines lc rgb '#000000' dt 2 lw 0.8 title hline noenhanced", sep,
			pf->fig->hline);
	fputc('\n', f);
}

void plot_write_script(FILE *f, const struct plot_fig *pf, const struct csv *t,
		       const bool formats[PLOT_NR_FORMATS], const char *origin)
{
	static const char *const what[PLOT_NR_FORMATS] = {
		"PNG, 300 dpi", "SVG", "PDF", "LaTeX: a .tex with the texts over a .pdf; \\input it",
	};
	const char *name = pf->fig->name;
	bool first = true;

	fprintf(f, "# %s.gp: figure '%s' (%s), written by mmsim.\n"
		   "# Edit it and run 'gnuplot %s.gp' in this folder. It reads %s.dat: one block\n"
		   "# per line (index K, titled lineK), columns x y y_lo y_hi.\n",
		name, name, origin, name, name);
	plot_gp_texts(f, pf, t, false);
	plot_gp_style(f, pf);
	for (int fmt = 0; fmt < PLOT_NR_FORMATS; fmt++) {
		char *files[2];
		unsigned n;

		if (!formats[fmt])
			continue;
		fprintf(f, "\n# %s (3.4 x 2.4 in)%s\n", what[fmt], first ? "; the other formats replot it" : "");
		if (fmt == PLOT_TEX)
			plot_gp_texts(f, pf, t, true);
		fprintf(f, "set terminal %s\nset output '%s'\n", plot_terminals[fmt],
			(n = plot_format_files(name, fmt, files), files[0]));
		if (first)
			plot_gp_plot(f, pf);
		else
			fputs("replot\n", f);
		first = false;
		while (n--)
			free(files[n]);
	}
	fputs("set output\n", f);
}
