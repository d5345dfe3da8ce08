/*
 * sweep.h - running the selected points of a scenario with up to --jobs
 * worker processes, one work item (a replication, or a point's MSER-5 pilot)
 * per worker; then OUT/summary.csv and OUT/manifest.json.
 */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include "sim/runner.h"

/* 0, 1 if a point failed or a file could not be written, 130 if interrupted. */
int sweep_run(const struct scenario_set *set, const struct run_options *opt);

#endif
