/*
 * diag.h - collecting the errors of one input file, gcc style:
 * "file:line:col: error: ..." for syntax, "file: .json.path: error: ..." else.
 *
 * A scenario with a sweep is checked point by point; an error found in
 * several points is reported once, naming the first point it was found in
 * unless it was found in every point checked.
 */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#include <stdbool.h>

#define DIAG_MAX 20

struct diag_entry {
	char *text;  /* owned: "file: path: error: what" */
	char *point; /* owned: the first sweep point it was found in, or NULL */
	int hits;    /* sweep points it was found in */
	bool swept;  /* at a path the sweep sets: the point always matters */
};

struct diag {
	const char *file;    /* borrowed */
	const char *context; /* borrowed; appended in parentheses, e.g. the --set options */
	const char *point;   /* borrowed; the sweep point being checked, or NULL */
	char *const *axes;   /* borrowed; the swept paths */
	unsigned nr_axes;
	int points; /* sweep points checked */
	struct diag_entry e[DIAG_MAX];
	int n;     /* messages kept */
	int total; /* errors seen, kept or not */
};

void diag_init(struct diag *d, const char *file);
/* An error at a JSON path (jq syntax, "" for the whole document). */
void diag_error(struct diag *d, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* An error at a line and column of the file. */
void diag_error_at(struct diag *d, int line, int column, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* Prints every message (and how many more) to stderr. */
void diag_print(const struct diag *d);
void diag_release(struct diag *d);

#endif
