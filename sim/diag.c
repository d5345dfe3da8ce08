/* diag.c - error messages about input files, every one kept (up to DIAG_MAX). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/util.h"

void diag_init(struct diag *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
}

/* True if JSON @path (".disk.service_ms.mean") is at or under a swept path. */
static bool diag_path_swept(const struct diag *d, const char *path)
{
	for (unsigned a = 0; a < d->nr_axes; a++) {
		const char *axis = d->axes[a] + (d->axes[a][0] == '.');
		size_t n = strlen(axis);

		if (path[0] == '.' && strncmp(path + 1, axis, n) == 0 &&
		    strchr(".[", path[1 + n])) /* also matches the terminating NUL */
			return true;
	}
	return false;
}

/* Keeps @text unless already seen (the same error in another sweep point). */
static void diag_add(struct diag *d, char *text, bool swept)
{
	if (d->context) { /* the --set options: part of what the error is */
		char *t = xasprintf("%s (%s)", text, d->context);

		free(text);
		text = t;
	}
	for (int i = 0; i < d->n; i++) {
		if (strcmp(d->e[i].text, text) == 0) {
			d->e[i].hits++;
			free(text);
			return;
		}
	}
	d->total++;
	if (d->n < DIAG_MAX) {
		d->e[d->n].text = text;
		d->e[d->n].point = d->point ? xstrdup(d->point) : NULL;
		d->e[d->n].swept = swept;
		d->e[d->n++].hits = 1;
	} else {
		free(text);
	}
}

void diag_error(struct diag *d, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(d, xasprintf("%s: %s: error: %s", d->file, *path ? path : ".", what),
	         diag_path_swept(d, path));
	free(what);
}

void diag_error_at(struct diag *d, int line, int column, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		diag_add(d, xasprintf("%s:%d:%d: error: %s", d->file, line, column, what), false);
	else
		diag_add(d, xasprintf("%s: error: %s", d->file, what), false);
	free(what);
}

void diag_print(const struct diag *d)
{
	for (int i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->e[i];

		if (e->point && (e->swept || e->hits < d->points))
			fprintf(stderr, "%s (in sweep point %s)\n", e->text, e->point);
		else
			fprintf(stderr, "%s\n", e->text);
	}
	if (d->total > d->n)
		fprintf(stderr, "%s: %d more errors not shown\n", d->file, d->total - d->n);
}

void diag_release(struct diag *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->e[i].text);
		free(d->e[i].point);
	}
	d->n = 0;
}
