/*
 * scenario_impl.h - what the pieces of the scenario loader share; the rest
 * of mmsim uses scenario.h only.
 *
 *   scenario.c            the file read; a point loaded, checked and given its id
 *   scenario_sections.c   the table and what it drives (keys, load, dump,
 *                         release), the kernel and features, the cgroups, and
 *                         the checks of a value's shape
 *   scenario_top.c        name, description, duration_s, warmup_s, seed,
 *                         replications, confidence, until
 *   scenario_processes.c  processes: mappings, thread groups, operations
 *   scenario_names.c      what a name may hold, and which must be unique
 *   scenario_checks.c     the checks that take several sections
 *   scenario_sweep.c      overrides, figures, sweep: the file's points
 */
#ifndef SIM_SCENARIO_IMPL_H
#define SIM_SCENARIO_IMPL_H

#include "sim/scenario.h"

/* What every loader of a point needs. */
struct scenario_loader {
	struct diag *diag;   /* the errors */
	const char *dir;     /* of the scenario file: empirical files are relative to it */
	const char *file;    /* the scenario file as given: the default name is its base name */
	json_t *op_defaults; /* owned: the point's valid op_defaults entries, {"OP": {...}} */
};

/* ---- scenario.c ---- */

/* Reads one point's JSON into @s; errors go to L->diag. */
void scenario_parse(struct scenario_loader *L, json_t *root, struct scenario *s);

/* ---- scenario_sections.c: what the table drives ---- */

/* Checks the top-level keys of @root and loads each section, in table order. */
void scenario_sections_load(struct scenario_loader *L, json_t *root, struct scenario *s);
/* Loads only the sections @root has (an included file: a part of a scenario). */
void scenario_sections_load_present(struct scenario_loader *L, json_t *root, struct scenario *s);
/* The resolved parameters of @s: each section's dump (new reference). */
json_t *scenario_dump(const struct scenario *s);
void scenario_release(struct scenario *s);

/* ---- scenario_sections.c: the checks of a value's shape ---- */

/* An array member that must be an array (possibly empty), else an error. */
json_t *scenario_want_array(struct diag *d, json_t *obj, const char *key, const char *path,
                            bool required);
/* A required list of at least one @what; NULL (reported) if not. */
json_t *scenario_want_list(struct diag *d, json_t *obj, const char *key, const char *path,
                           const char *what);
/* Unknown keys of @obj are errors that list @keys (NULL-terminated). */
void scenario_check_keys(struct diag *d, json_t *obj, const char *path, const char *const *keys);

/* ---- scenario_top.c: the rows of the top-level values ---- */

void scenario_load_name(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_description(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_duration(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_warmup(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_seed(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_replications(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_confidence(struct scenario_loader *L, json_t *root, struct scenario *s);
void scenario_load_until(struct scenario_loader *L, json_t *root, struct scenario *s);
json_t *scenario_dump_name(const struct scenario *s);
json_t *scenario_dump_description(const struct scenario *s);
json_t *scenario_dump_duration(const struct scenario *s);
json_t *scenario_dump_warmup(const struct scenario *s);
json_t *scenario_dump_seed(const struct scenario *s);
json_t *scenario_dump_replications(const struct scenario *s);
json_t *scenario_dump_confidence(const struct scenario *s);
json_t *scenario_dump_until(const struct scenario *s);

/* ---- scenario_processes.c: the row of "processes" ---- */

void scenario_load_processes(struct scenario_loader *L, json_t *root, struct scenario *s);
json_t *scenario_dump_processes(const struct scenario *s);
void scenario_release_processes(struct scenario *s);

/* ---- scenario_names.c ---- */

/* "a, b, c": the names of a NULL-terminated table whose rows start with one (new string). */
char *scenario_table_names(const void *table, size_t row_size);
/* The name at @key of @obj (at @path) if it is a valid one, else NULL after an error. */
const char *scenario_name_at(struct diag *d, json_t *obj, const char *path, const char *key);
/* Group names are unique across processes, process names across the scenario. */
void scenario_check_names(struct diag *d, const struct scenario *s);

/* ---- scenario_checks.c ---- */

/* The checks of a loaded point that take several sections (names, threads, files, swap). */
void scenario_check(struct diag *d, json_t *root, const struct scenario *s);

/* ---- scenario_include.c ---- */

/*
 * Merges the file named by @root's "include" (relative to @dir, the
 * scenario's folder) under @root, then takes "include" out; its errors name it.
 */
void scenario_include(struct diag *d, json_t *root, const char *dir);
/* The row of "include": an error if a point still has one (a sweep set it). */
void scenario_load_include(struct scenario_loader *L, json_t *root, struct scenario *s);
/* The row of "op_defaults": checked, its valid entries into L->op_defaults. */
void scenario_load_op_defaults(struct scenario_loader *L, json_t *root, struct scenario *s);
/* Op @op (of operation @kind) with the op_defaults of its kind under its own keys (new reference). */
json_t *scenario_op_with_defaults(const struct scenario_loader *L, json_t *op, const char *kind);

/* ---- scenario_sweep.c ---- */

/*
 * Applies @overrides to @root, takes its figures and sweep out into @set,
 * and loads every point (@slim: as scenario_load_ids) into @set, checked;
 * errors go to @d. @dir: of the file.
 */
void scenario_load_sweep(struct diag *d, json_t *root, struct scenario_set *set, const char *dir,
                         const struct override *overrides, unsigned nr_overrides, bool slim);

#endif
