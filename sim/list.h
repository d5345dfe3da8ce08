/*
 * list.h - `mmsim list`: the tables the scenarios draw from.
 */
#ifndef SIM_LIST_H
#define SIM_LIST_H

/* Prints every table on stdout. */
void list_print(void);

#endif
