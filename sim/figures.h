/*
 * figures.h - the "figures" a scenario declares: what `mmsim plot` draws from
 * the summary.csv of a run. Loaded with the scenario (not swept: taken out
 * of the document before the sweep is expanded, like "sweep"); column names
 * are checked only when plotting, since the metrics exist after a run.
 */
#ifndef SIM_FIGURES_H
#define SIM_FIGURES_H

#include <stdbool.h>

#include <jansson.h>

#include "sim/diag.h"

enum figure_ci {
	FIGURE_CI_BAND, /* a semi-transparent band between ci_lo and ci_hi */
	FIGURE_CI_BARS, /* error bars */
	FIGURE_CI_NONE,
};

/* One "where" filter: rows whose column @column holds this value. */
struct figure_where {
	char *column; /* owned */
	char *text;   /* owned: the value as summary.csv writes it */
	double number;
	bool is_number; /* compare as numbers (1 and 1.0 match) */
};

/* One "titles" entry: the key's text for a series value or a y column. */
struct figure_rename {
	char *from; /* owned: a value of the series column, or a y column path */
	char *to;   /* owned */
};

struct figure {
	char *name;  /* owned: file name (letters, digits, '-', '_'); a panel: its figure's */
	char *title; /* owned; NULL: none (a paper's caption says it) */
	char *x;     /* owned: column path (a swept parameter or a metric) */
	char **y;    /* owned: metric column paths, one line each */
	unsigned nr_y;
	char *series;               /* owned; NULL: one line per y; else per value of it too */
	struct figure_where *where; /* owned: row filters, all must hold */
	unsigned nr_where;
	bool logx, logy;
	int ci;                       /* enum figure_ci */
	char *xlabel, *ylabel;        /* owned; NULL: derived from the column path */
	char *hline_title;            /* owned; NULL: none; else a horizontal line at y = hline */
	double hline;                 /* ("hline": {"y", "title"}: a target, an answer) */
	char *cdf;                    /* owned; NULL: y against x; else the CDF of this histogram */
	char *key_title;              /* owned; NULL: the series column's label */
	struct figure_rename *titles; /* owned: "titles", the lines' texts renamed */
	unsigned nr_titles;
	struct figure *panels; /* owned: "panels", one plot each in one figure (multiplot) */
	unsigned nr_panels;
	unsigned columns; /* of the panels' grid */
};

/*
 * Reads the "figures" array @list (NULL: none) into *@figs; errors go to @d
 * at jq paths ".figures[i].key". *@figs is always set (to release).
 */
void figures_load(struct diag *d, json_t *list, struct figure **figs, unsigned *nr);
void figures_free(struct figure *figs, unsigned nr);

/*
 * An axis label from a column path, the unit taken from its suffix
 * ("mmap_sem.write.wait_us.p99" -> "mmap_sem.write.wait p99 (µs)",
 * "threads.B.ops_per_s" -> "threads.B.ops (1/s)") (new string).
 */
char *figure_label(const char *path);

/* The text "titles" gives @from (a series value or a y column), or NULL. */
const char *figure_title_of(const struct figure *f, const char *from);

/* The unit of a key from its suffix ("µs" for "wait_us"), or NULL; *@stem_len: the rest. */
const char *figure_unit(const char *key, size_t *stem_len);

#endif
