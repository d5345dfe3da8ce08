/*
 * diag.h - collecting the errors of one input file, gcc style:
 * "file:line:col: error: ..." for syntax, "file: .json.path: error: ..." else.
 */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#define DIAG_MAX 20

struct diag {
	const char *file;     /* borrowed */
	const char *context;  /* borrowed; appended in parentheses, e.g. the sweep point */
	char *msgs[DIAG_MAX]; /* owned */
	char *keys[DIAG_MAX]; /* owned: the messages without context, for dedup */
	int n;                /* messages kept */
	int total;            /* errors seen, kept or not */
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
