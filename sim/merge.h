/*
 * merge.h - `mmsim merge DIR... [--out DIR]`: the complete points of several
 * output folders of one scenario (shards run on any number of machines) into
 * one folder, with the summary.csv a single run would have written and a
 * manifest.json of every point.
 */
#ifndef SIM_MERGE_H
#define SIM_MERGE_H

struct cli_command;

/* Its entry in the command table. */
extern const struct cli_command merge_command;

/* The command; its exit status (2: different scenarios, conflicting points). */
int merge_main(int argc, char **argv);

#endif
