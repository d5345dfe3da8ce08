/*
 * outdir.h - an output folder, held for the length of a run.
 *
 * Every command that writes results (run, plan, suite, merge) goes through
 * here first, so one set of rules holds for all of them:
 * - the name: not empty, not the root folder;
 * - one writer at a time: an advisory lock (flock) on the folder itself,
 *   taken without waiting; a second run into it exits 1 and says why;
 * - one run's results per folder: OUT/origin.json names the scenario (name,
 *   file SHA-256, swept paths) and the --set and --seed it ran with; a run
 *   of anything else into the folder is refused (exit 2), as merge refuses
 *   folders of different scenarios;
 * - no link is followed out of it: OUT/points and each OUT/points/ID must
 *   be folders, not symbolic links (exit 2).
 * A process may open the folder it holds again (plan holds it across the
 * runs of its rounds); the lock goes with the last close.
 */
#ifndef SIM_OUTDIR_H
#define SIM_OUTDIR_H

#include <jansson.h>

#include "sim/scenario.h"

#define OUTDIR_ORIGIN "origin.json"

/* 0, or 2 after a message if @out cannot be an output folder (@option names it). */
int outdir_check_name(const char *out, const char *option);

/* What OUT/origin.json says of a run of @set (new reference). */
json_t *outdir_origin(const struct scenario_set *set);

/*
 * Creates @out (and @out/points) if needed, takes its lock and checks it
 * holds nothing but results of @origin (borrowed; NULL: take the folder's,
 * or leave it unmarked), marking it so. 0, 1 (I/O, or in use) or 2 (another
 * run's folder, or a link), after a message.
 */
int outdir_open(const char *out, json_t *origin);

/* Ends one outdir_open() of @out; the last one drops the lock. */
void outdir_close(const char *out);

/* @dir's origin.json (new reference), or NULL if it has none or it is unreadable. */
json_t *outdir_origin_of(const char *dir);

#endif
