/*
 * list.h - `mmsim list`: the tables the scenarios draw from.
 */
#ifndef SIM_LIST_H
#define SIM_LIST_H

#include <stdbool.h>

/* Prints every table on stdout: aligned text, or Markdown tables (the README's). */
void list_print(bool markdown);

#endif
