/*
 * param.h - parameter tables: one row per JSON key of a model's configuration.
 *
 * A table drives parsing, validation and `mmsim list` from one place. The
 * models own their tables and config structs; sim/ reads JSON into them.
 */
#ifndef MODELS_PARAM_H
#define MODELS_PARAM_H

#include <stdbool.h>
#include <stddef.h>

enum param_type {
	PARAM_DOUBLE, /* double */
	PARAM_UINT,   /* unsigned (whole number in [min, max]) */
	PARAM_BOOL,   /* bool */
	PARAM_DIST,   /* struct dist: a number or a distribution object; unit from the key */
	PARAM_ENUM,   /* int: index into choices[] */
	PARAM_NAME,   /* int: index of a named object (e.g. a mapping), resolved by the loader */
};

struct param {
	const char *key; /* carries its unit: "service_ms", "size_mb" */
	enum param_type type;
	size_t offset;              /* offsetof() into the owning struct */
	double min, max;            /* range, checked before the run */
	const char *def;            /* default as JSON text; NULL: required */
	const char *doc;            /* one line, printed by `mmsim list` */
	const char *const *choices; /* PARAM_ENUM: NULL-terminated names */
	/*
	 * A key added after results were published: left out of the resolved
	 * scenario (and so of the point id, and the seeds drawn from it) while
	 * it holds its default, so the scenarios that do not use it keep their
	 * ids and results.
	 */
	bool omit_default;
};

/* ns per unit of a time key, from its suffix (_ns _us _ms _s); 0 if none. */
double param_unit_ns(const char *key);

#endif
