/*
 * plot.h - `mmsim plot OUT`: the figures the scenario declares, drawn with
 * gnuplot from OUT/summary.csv (plot.c), and the files each one is made of
 * (plot_script.c): <name>.dat, the data, one block per line; <name>.gp, a
 * standalone gnuplot script reading it and writing every format asked for.
 */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/csv.h"
#include "sim/figures.h"

struct scenario_set;

enum plot_format { PLOT_PNG, PLOT_SVG, PLOT_PDF, PLOT_TEX, PLOT_NR_FORMATS };

/* "png", "svg", "pdf", "tex", NULL */
extern const char *const plot_format_names[];

/* One line of a figure: one y column, for one value of the series column. */
struct plot_line {
	const char *series; /* borrowed from the table: the series' value; NULL: no series */
	unsigned y;         /* index into the figure's y */
	unsigned *rows;     /* owned: the table's rows it draws, by increasing x */
	unsigned nr_rows;
	bool has_ci;           /* some row has a confidence interval */
	unsigned nr_drawable;  /* rows gnuplot can draw: x and y numbers, above 0 on log axes */
	double *cdf_x, *cdf_y; /* owned: a "cdf" figure's line, read from its point's CDF file */
	unsigned nr_cdf;
};

/* A figure resolved against a summary.csv: its columns and lines. */
struct plot_fig {
	const struct figure *fig; /* borrowed from the scenario set */
	int x, series;            /* the table's columns; series -1: none */
	int *y, *lo, *hi;         /* owned: per y; lo, hi -1 where there is no CI column */
	int *where;               /* owned: per where filter */
	struct plot_line *lines;  /* owned */
	unsigned nr_lines, nr_series;
	unsigned first_index; /* of its first line's block in the data file (a panel's) */
	struct plot_fig
	        *panels; /* owned: a figure of panels', each resolved (no lines of its own) */
	unsigned nr_panels;
};

/* Whether row @r of @t has an x and a y (column @y_col) gnuplot can draw. */
bool plot_row_drawable(const struct plot_fig *pf, const struct csv *t, unsigned r, int y_col);

struct cli_command;

/* Its entry in the command table. */
extern const struct cli_command plot_command;

/* `mmsim plot` (argv[1] is "plot"); returns the exit status. */
int plot_main(int argc, char **argv);

/*
 * Draws the figures @set declares (none: nothing) from the run in @out into
 * @dir (NULL: OUT/figures) as `mmsim plot` does, then the USL fit; 0, 1 (I/O,
 * gnuplot) or 2 after the messages (a figure does not fit the results).
 */
int plot_scenario(const char *out, const struct scenario_set *set,
                  const bool formats[PLOT_NR_FORMATS], const char *dir, bool quiet);

/* A figure drawn from a table of its own (mmsim plan's), not from a scenario's declarations. */
struct plot_job {
	const struct figure *fig; /* borrowed */
	const struct csv *t;      /* borrowed: the rows it draws */
	const char *table;        /* the table's name, in messages */
	const char *dir;          /* where its files go (made if absent) */
	bool formats[PLOT_NR_FORMATS];
	const char *origin; /* what it was drawn from, said in the script */
	bool quiet;         /* else the files written are printed */
};

/*
 * Checks @job's figure against its table as `mmsim plot` does, then writes
 * its files (each whole or not at all): 0, 1 (I/O or gnuplot failed), or 2
 * after the messages (the figure does not fit the table).
 */
int plot_draw(const struct plot_job *job);

/* The data file of @pf: per line a block "x y y_lo y_hi" (NaN: none), blocks apart by two blank lines. */
void plot_write_data(FILE *f, const struct plot_fig *pf, const struct csv *t);

/* The gnuplot script of @pf, drawing the formats set in @formats from <name>.dat. */
void plot_write_script(FILE *f, const struct plot_fig *pf, const struct csv *t,
                       const bool formats[PLOT_NR_FORMATS], const char *origin);

/* The files format @fmt of figure @name is made of: "name.png", or for tex two (new strings). */
unsigned plot_format_files(const char *name, int fmt, char *files[2]);

#endif
