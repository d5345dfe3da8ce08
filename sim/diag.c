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

/* Keeps @msg (and its @key, the message without context) unless already seen. */
static void diag_add(struct diag *d, char *key, char *msg)
{
	for (int i = 0; i < d->n; i++) {
		if (strcmp(d->keys[i], key) == 0) { /* the same error in several sweep points */
			free(key);
			free(msg);
			return;
		}
	}
	d->total++;
	if (d->n < DIAG_MAX) {
		d->keys[d->n] = key;
		d->msgs[d->n++] = msg;
	} else {
		free(key);
		free(msg);
	}
}

static char *diag_vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void diag_error(struct diag *d, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = diag_vformat(fmt, ap);
	va_end(ap);
	diag_add(d, xasprintf("%s: %s: error: %s", d->file, *path ? path : ".", what),
		 d->context ? xasprintf("%s: %s: error: %s (%s)", d->file, *path ? path : ".", what,
					d->context)
			    : xasprintf("%s: %s: error: %s", d->file, *path ? path : ".", what));
	free(what);
}

void diag_error_at(struct diag *d, int line, int column, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = diag_vformat(fmt, ap);
	va_end(ap);
	if (line > 0)
		diag_add(d, xasprintf("%s:%d:%d: error: %s", d->file, line, column, what),
			 xasprintf("%s:%d:%d: error: %s", d->file, line, column, what));
	else
		diag_add(d, xasprintf("%s: error: %s", d->file, what),
			 xasprintf("%s: error: %s", d->file, what));
	free(what);
}

void diag_print(const struct diag *d)
{
	for (int i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
	if (d->total > d->n)
		fprintf(stderr, "%s: %d more errors not shown\n", d->file, d->total - d->n);
}

void diag_release(struct diag *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->msgs[i]);
		free(d->keys[i]);
	}
	d->n = 0;
}
