/*
 * probe.h - measurements of the running kernel (mmsim probe): the machine's
 * costs and devices as a machine file a scenario can use, and the seed-000
 * experiment run for real, to compare with mmsim's prediction.
 */
#ifndef SIM_PROBE_H
#define SIM_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct probe_options {
	const char *dir;      /* where the probe's scratch files go (and whose disk is measured) */
	double seconds;       /* the time each measurement (experiment: each phase) runs */
	unsigned repetitions; /* experiment: repetitions of each phase */
	size_t file_mb;       /* size of the scratch file (0: the probe's default) */
	bool quiet;           /* no progress lines on stderr */
};

/*
 * The distribution of @n samples (sorted in place) as
 * {"unit": unit, "n", "min", "p50", "p90", "p99", "max", "mean"}; NULL if @n is 0.
 */
json_t *probe_distribution_json(double *samples, size_t n, const char *unit);

/*
 * The seed-000 experiment on the running kernel: thread A faults on random
 * evicted pages of a file through mmap, thread B loops mmap()+munmap() of a
 * small anonymous region, a reader reads /proc/PID/maps (and cmdline); each
 * alone and side by side. Returns its measurements (a new object), or NULL
 * with a reason in *@why (malloc'd) when it cannot run here.
 */
json_t *probe_experiment_seed000(const struct probe_options *o, char **why);

#endif
