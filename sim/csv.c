/* csv.c - summary.csv read back for figures and fits (see csv.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/util.h"

/* The growing list of one row's fields. */
struct csv_row {
	char **f; /* owned */
	unsigned n, cap;
};

static void csv_row_add(struct csv_row *r, char *field)
{
	if (r->n == r->cap)
		r->f = xrealloc(r->f, (r->cap = r->cap ? 2 * r->cap : 64) * sizeof(*r->f));
	r->f[r->n++] = field;
}

/*
 * One field at *@s, unquoted (new string; a line break ends it even inside
 * quotes, which summary.csv never has); *@s moves past it and its ','.
 * Returns whether a ',' followed: another field comes.
 */
static bool csv_field(const char **s, char **field)
{
	const char *p = *s;
	char *o = *field = xmalloc(strcspn(p, "\n") + 1);
	bool quoted = *p == '"';

	for (p += quoted; *p && *p != '\n'; p++) {
		if (quoted && *p == '"' && p[1] == '"')
			*o++ = *p++;
		else if (quoted && *p == '"')
			quoted = false;
		else if (!quoted && (*p == ',' || *p == '\r'))
			break;
		else
			*o++ = *p;
	}
	*o = '\0';
	*s = p + (*p == ',');
	return *p == ',';
}

/* The fields of the line at *@s; *@s moves to the next line. */
static void csv_line(const char **s, struct csv_row *r)
{
	char *field;
	bool more;

	r->n = 0;
	do {
		more = csv_field(s, &field);
		csv_row_add(r, field);
	} while (more);
	*s += strspn(*s, "\r\n");
}

/* Appends row @r to @t, cut or padded to the header's width. */
static void csv_add_row(struct csv *t, struct csv_row *r, unsigned *cap)
{
	if (t->nr_rows == *cap)
		t->cells = xrealloc(t->cells,
		                    (*cap = *cap ? 2 * *cap : 16) * t->nr_cols * sizeof(*t->cells));
	for (unsigned c = 0; c < t->nr_cols; c++)
		t->cells[t->nr_rows * t->nr_cols + c] = c < r->n ? r->f[c] : xstrdup("");
	for (unsigned c = t->nr_cols; c < r->n; c++)
		free(r->f[c]);
	t->nr_rows++;
}

static char *csv_read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c, err;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	err = ferror(f) ? EIO : 0;
	fclose(f);
	fclose(m);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	return buf;
}

int csv_load(struct csv *t, const char *path)
{
	char *text = csv_read_all(path);
	const char *s = text;
	struct csv_row r = { 0 };
	unsigned cap = 0;

	memset(t, 0, sizeof(*t));
	if (!text)
		return -1;
	if (*s) {
		csv_line(&s, &r);
		t->cols = r.f;
		t->nr_cols = r.n;
		r = (struct csv_row){ 0 };
	}
	while (*s) {
		csv_line(&s, &r);
		csv_add_row(t, &r, &cap);
	}
	free(r.f);
	free(text);
	return 0;
}

void csv_release(struct csv *t)
{
	for (unsigned c = 0; c < t->nr_cols; c++)
		free(t->cols[c]);
	for (size_t i = 0; i < (size_t)t->nr_rows * t->nr_cols; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

int csv_col(const struct csv *t, const char *name)
{
	for (unsigned c = 0; c < t->nr_cols; c++)
		if (strcmp(t->cols[c], name) == 0)
			return (int)c;
	return -1;
}

const char *csv_cell(const struct csv *t, unsigned row, int col)
{
	if (col < 0 || (unsigned)col >= t->nr_cols || row >= t->nr_rows)
		return "";
	return t->cells[(size_t)row * t->nr_cols + (unsigned)col];
}

bool csv_number(const char *cell, double *x)
{
	char *end;

	if (!*cell)
		return false;
	*x = strtod(cell, &end);
	return !*end && isfinite(*x);
}
