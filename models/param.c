/* param.c - helpers for parameter tables. */
#include <string.h>

#include "models/param.h"

static bool param_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

double param_unit_ns(const char *key)
{
	if (param_ends_with(key, "_ns"))
		return 1;
	if (param_ends_with(key, "_us"))
		return 1e3;
	if (param_ends_with(key, "_ms"))
		return 1e6;
	if (param_ends_with(key, "_s"))
		return 1e9;
	return 0;
}
