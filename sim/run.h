/*
 * run.h - a run of a scenario's points into an output folder: the one entry
 * of `mmsim run`, `mmsim suite` and each round of `mmsim plan` (the stages
 * are drawn at the top of sim/run.c).
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include "sim/runner.h"
#include "sim/scenario.h"

/*
 * Holds opt->out (sim/outdir.h: exit 1 or 2 if it cannot), runs the selected
 * points of @set, then writes OUT/summary.csv and OUT/manifest.json: 0 when
 * all succeeded, 1 on a run-time or I/O failure, 130 if interrupted (SIGINT,
 * SIGTERM: the finished points are kept).
 */
int run_scenario_set(const struct scenario_set *set, const struct run_options *opt);

#endif
