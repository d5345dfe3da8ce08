/*
 * checks.h - the metric family of the self-checks of every run (checks.*):
 * Little's law, the utilisation law, the flow of mmap_sem, saturation. It
 * has no records of its own: it reads the other families'.
 */
#ifndef SIM_METRICS_CHECKS_H
#define SIM_METRICS_CHECKS_H

#include "sim/metrics/family.h"

extern const struct metric_family check_family;

#endif
