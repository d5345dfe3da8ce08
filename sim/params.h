/*
 * params.h - reading JSON objects into model structs through their parameter
 * tables (models/param.h), and writing the resolved values back as JSON.
 */
#ifndef SIM_PARAMS_H
#define SIM_PARAMS_H

#include <jansson.h>

#include "models/param.h"
#include "sim/diag.h"

struct params_ctx {
	struct diag *diag;
	const char *dir;          /* the scenario's folder: relative file names start there */
	const char *const *names; /* PARAM_NAME: the names an index may refer to */
	unsigned nr_names;
	const char *name_kind; /* "mapping": for messages */
};

/*
 * Reads @obj (at @path) into @base. Keys not in @table nor in @extra
 * (NULL-terminated, may be NULL) are errors. With @defaults, absent keys take
 * the table's default (and keys without one are required); without, absent
 * keys keep the value already in @base.
 */
void params_load(struct params_ctx *c, json_t *obj, const char *path, const struct param *table,
                 void *base, const char *const *extra, bool defaults);

/* The values in @base as a JSON object (new reference). */
json_t *params_dump(const struct param *table, const void *base);
/*
 * @x as JSON for the resolved parameters, -0.0 as 0.0: they hash into the
 * point id, and "-0.0" and "0" are one value.
 */
json_t *params_real(double x);

/* The rows of @a then those of @b, as one table (new; free() it). */
struct param *params_join(const struct param *a, const struct param *b);

/* Frees what params_load allocated in @base (empirical samples). */
void params_release(const struct param *table, void *base);

/*
 * A number for a message (num(x).s): %g when that reads back as @x, else
 * with the digits it needs, so that 1048576 is not "1.04858e+06" and two
 * different values never print the same.
 */
struct num_text {
	char s[32];
};
struct num_text num(double x);

/* "a, b, c": a table's keys plus @extra, for messages and docs (new string). */
char *params_key_list(const struct param *table, const char *const *extra);

/* The name of @list ("a, b, c") close enough to @s to be what was meant (new string), or NULL. */
char *params_nearest(const char *s, const char *list);

/* The JSON type of @v in words, for "X expected, got Y". */
const char *json_kind(const json_t *v);

#endif
