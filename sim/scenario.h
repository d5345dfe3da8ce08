/*
 * scenario.h - a scenario file: the simulated machine, its processes and
 * threads, the kernel, and the sweep over them.
 *
 * Loading reads the JSON once, applies the command line's --set overrides,
 * expands the sweep into points (the cartesian product, first axis
 * outermost) and checks every point completely before anything runs.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <jansson.h>

#include "models/disk.h"
#include "models/kernel_profiles.h"
#include "models/mm.h"
#include "models/thread.h"
#include "sim/diag.h"

struct figure;

struct process_config {
	char *name;                  /* owned */
	int cgroup;                  /* index into the scenario's cgroups, -1: none */
	unsigned count;              /* identical processes (each its own mm) */
	struct mapping_config *maps; /* owned */
	unsigned nr_maps;
	struct thread_group_config *groups; /* owned */
	unsigned nr_groups;
};

/* One sweep point, fully resolved. */
struct scenario {
	char *name, *description; /* owned */
	double duration_s, warmup_s;
	bool warmup_mser5; /* warmup_s "mser5": detected per point (warmup_s 0) */
	unsigned long seed;
	unsigned replications; /* runs of the point (with until: the first ones) */
	double confidence;     /* level of the confidence intervals */
	struct until_config {
		char *metric;               /* owned; NULL: a fixed number of replications */
		double relative_half_width; /* stop when the CI half-width <= this * |mean|; 0: not */
		bool has_target;            /* stop when the CI lies above or below target */
		double target;
		unsigned max_replications;
	} until;
	unsigned index;                  /* position in sweep order */
	char *kernel;                    /* owned: the profile's name */
	struct kernel_features features; /* the profile plus overrides */
	struct machine_config machine;
	struct disk_config disk;
	struct disk_config *devices; /* owned: the named devices ("devices") */
	char **device_names;         /* owned: theirs */
	unsigned nr_devices;
	struct swap_config swap;
	struct fairness_config {
		double starved_wait_us; /* fairness.starved counts the waits longer than this */
	} fairness;
	struct memcg_config *cgroups; /* owned */
	unsigned nr_cgroups;
	struct process_config *procs; /* owned */
	unsigned nr_procs;
	unsigned nr_groups; /* over all processes */
	json_t *resolved;   /* owned: every parameter, defaults included */
	char id[13];        /* hash of the resolved parameters */
	json_t *swept;      /* owned: {path: value} of this point */
};

extern const struct param fairness_params[];
/* The keys of processes[].threads[] besides name and loop. */
extern const struct param thread_group_params[];

struct scenario_loader; /* sim/scenario_impl.h */

/*
 * A top-level key of a scenario file: a row of scenario_sections[]. The
 * table gives the keys a file may hold and loads them in its order (a row
 * may use what the rows above it loaded); it dumps them into the resolved
 * parameters (the point ids hash them), releases them, and is what
 * `mmsim list` prints. An object of parameters (machine, disk, ...) is a
 * key, a doc, its table and its offset: params_load fills it with its
 * defaults, params_dump dumps it. Anything else has its own load, dump
 * and release (a list of parameter objects, such as cgroups, shows its
 * table but has no offset); a row with none of them (sweep, figures) is
 * taken out of the file before the points are loaded.
 */
struct scenario_section {
	const char *key;
	const char *doc;            /* one line, for `mmsim list` */
	const struct param *params; /* its keys (of each element, for a list); or NULL */
	size_t offset;              /* of its config in struct scenario (with params) */
	void (*load)(struct scenario_loader *L, json_t *root, struct scenario *s);
	json_t *(*dump)(const struct scenario *s); /* NULL returned: left out */
	void (*release)(struct scenario *s);
};

/* Every top-level key, in the order of loading; the last row's key is NULL. */
extern const struct scenario_section scenario_sections[];

struct override {
	const char *path;   /* borrowed from argv */
	const char *value;  /* JSON text, or a bare word taken as a string */
	const char *option; /* its name in messages; NULL: "--set"; "": left out of them */
	bool axis;          /* value is a list of values: path becomes the last sweep axis */
};

struct scenario_set {
	char *path;      /* owned: the file as given */
	char sha256[65]; /* of the file's bytes */
	char *name;      /* owned */
	char **axes;     /* owned: the swept paths, in file order */
	unsigned nr_axes;
	struct scenario *points; /* owned */
	unsigned nr_points;
	struct figure *figures; /* owned: what `mmsim plot` draws (sim/figures.h) */
	unsigned nr_figures;
	json_t *given_set;    /* owned: the --set options as "PATH=VALUE", in order */
	long long given_seed; /* --seed, or -1 */
};

/*
 * Loads @path with @overrides (and @seed if non-negative). Returns 0, or -1
 * after printing every error (exit status 2 material).
 */
int scenario_load(struct scenario_set *set, const char *path, const struct override *overrides,
                  unsigned nr_overrides, long long seed);
/*
 * As scenario_load (every point checked the same way), but each point after
 * the first keeps only its id, name, index and swept values (and the rest
 * if it has until): for 'validate' and 'points', which print no more.
 */
int scenario_load_ids(struct scenario_set *set, const char *path, const struct override *overrides,
                      unsigned nr_overrides, long long seed);
void scenario_set_release(struct scenario_set *set);

/* The valid "name" of @obj (at @path), or NULL after an error (borrowed from @obj). */
const char *scenario_name_get(struct diag *d, json_t *obj, const char *path);

#endif
