/*
 * csv.h - reading a summary.csv back: a header row of column names, then
 * one row per sweep point. Fields may be quoted ("a ""b"""), as output.c
 * writes a swept distribution; cells missing at the end of a row are "".
 */
#ifndef SIM_CSV_H
#define SIM_CSV_H

#include <stdbool.h>

struct csv {
	char **cols; /* owned: the header's names */
	unsigned nr_cols;
	char **cells; /* owned: row r, column c at [r * nr_cols + c] */
	unsigned nr_rows;
};

/* Reads @path into @t; 0, or -1 with errno set (nothing to release then). */
int csv_load(struct csv *t, const char *path);
void csv_release(struct csv *t);

/* The index of column @name, or -1. */
int csv_col(const struct csv *t, const char *name);

/* The text of row @row, column @col ("" for col -1). */
const char *csv_cell(const struct csv *t, unsigned row, int col);

/* Whether @cell is a finite number, stored in *@x ("" is not). */
bool csv_number(const char *cell, double *x);

#endif
