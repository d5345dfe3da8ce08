/*
 * scenario_names.c - the names of a scenario (see scenario_impl.h): the
 * characters a name may hold, and the names that must be unique.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

/* "a, b, c": the names of a NULL-terminated table whose rows start with one. */
char *scenario_table_names(const void *table, size_t row_size)
{
	const char *const *name = table;
	char *s = xstrdup("");

	for (; *name; name = (const char *const *)((const char *)name + row_size)) {
		char *l = xasprintf("%s%s%s", s, *s ? ", " : "", *name);

		free(s);
		s = l;
	}
	return s;
}

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

/* The length of the character at @s: a whole UTF-8 sequence, cut short at a NUL. */
static size_t name_char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1, i = 1;

	while (i < n && s[i])
		i++;
	return i;
}

/* The character at @s for a message: "'.'", or "control character 0x09" (new string). */
static char *name_bad_char(const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (c < 0x20 || c == 0x7f)
		return xasprintf("control character 0x%02x", c);
	return xasprintf("'%.*s'", (int)name_char_len(s), s);
}

/* @s with each character a name may not hold replaced by '-' (new string). */
static char *name_fixed(const char *s)
{
	char *fix = xcalloc(1, strlen(s) + 1), *o = fix;

	while (*s) {
		size_t ok = strspn(s, NAME_CHARS);

		memcpy(o, s, ok);
		o += ok;
		s += ok;
		if (*s) {
			*o++ = '-';
			s += name_char_len(s);
		}
	}
	return fix;
}

/* The name at @key of @obj (at @path) if it is a valid one, else NULL after an error. */
const char *scenario_name_at(struct diag *d, json_t *obj, const char *path, const char *key)
{
	json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);
	char *p = xasprintf("%s.%s", path, key);
	const char *what = strcmp(key, "name") == 0 ? "" : key; /* "file name ..." */

	if (!v) {
		diag_error(d, path, "missing key '%s'", key);
	} else if (!s) {
		diag_error(d, p, "string expected, got %s", json_kind(v));
	} else if (!*s) {
		diag_error(d, p, "%s%sname expected, got an empty string", what, *what ? " " : "");
		s = NULL;
	} else if (s[strspn(s, NAME_CHARS)]) {
		/* names become folder names, metric keys ("page_lock.files.<file>"), CSV columns
		 * and --set paths: a '.' or a '/' would split them */
		char *bad = name_bad_char(s + strspn(s, NAME_CHARS)), *fix = name_fixed(s);

		diag_error(d, p,
		           "%s%sname '%s' may hold only letters, digits, '_' and '-', got %s (e.g. "
		           "'%s')",
		           what, *what ? " " : "", s, bad, fix);
		free(bad);
		free(fix);
		s = NULL;
	}
	free(p);
	return s;
}

const char *scenario_name_get(struct diag *d, json_t *obj, const char *path)
{
	return scenario_name_at(d, obj, path, "name");
}

/* Group @g of process @p, if an earlier group (of any process) has its name. */
static void check_group_name(struct diag *d, const struct scenario *s, unsigned p, unsigned g)
{
	const char *name = s->procs[p].groups[g].name;

	for (unsigned q = 0; q <= p && name; q++) {
		for (unsigned h = 0; h < (q == p ? g : s->procs[q].nr_groups); h++) {
			if (s->procs[q].groups[h].name &&
			    strcmp(name, s->procs[q].groups[h].name) == 0) {
				char *path = xasprintf(".processes[%u].threads[%u].name", p, g);

				/* the results and --set name groups without their process */
				diag_error(d, path,
				           "thread group name '%s' already used by "
				           ".processes[%u].threads[%u] (group names are unique "
				           "across processes)",
				           name, q, h);
				free(path);
				return;
			}
		}
	}
}

/* Group names are unique across processes, process names across the scenario. */
void scenario_check_names(struct diag *d, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned q = 0; q < p && s->procs[p].name; q++) {
			if (s->procs[q].name && strcmp(s->procs[p].name, s->procs[q].name) == 0) {
				char *path = xasprintf(".processes[%u].name", p);

				diag_error(d, path,
				           "process name '%s' already used by .processes[%u]",
				           s->procs[p].name, q);
				free(path);
				break;
			}
		}
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			check_group_name(d, s, p, g);
	}
}
