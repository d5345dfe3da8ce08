/*
 * json_path.c - paths into JSON trees (see json_path.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json_path.h"
#include "sim/params.h"
#include "sim/util.h"

struct path_step {
	char *key;    /* NULL for an index */
	size_t index; /* SIZE_MAX if it is larger */
	char *text;   /* an index as written, for messages: "[99999999999999999999]" */
};

static void path_free(struct path_step *steps, int n)
{
	for (int k = 0; k < n; k++) {
		free(steps[k].key);
		free(steps[k].text);
	}
}

/*
 * Splits @path into steps; returns the count, or -1 if malformed. A leading
 * '.' is allowed, so the jq paths of the error messages can be pasted.
 */
static int path_parse(const char *path, struct path_step *steps, int max)
{
	int n = 0;
	const char *s = path + (path[0] == '.');

	while (*s && n < max) {
		size_t len = strcspn(s, ".[");

		if (len == 0 && *s != '[')
			goto bad;
		if (len) {
			steps[n++] = (struct path_step){ .key = strndup(s, len) };
			s += len;
		}
		while (*s == '[' && n < max) {
			char *end;
			unsigned long long i;

			errno = 0;
			i = strtoull(s + 1, &end, 10);
			if (!isdigit((unsigned char)s[1]) || *end != ']')
				goto bad;
			/* too large: no array has it, and the message shows it as written */
			if (errno == ERANGE || i > SIZE_MAX)
				i = SIZE_MAX;
			steps[n++] =
			        (struct path_step){ .key = NULL,
				                    .index = (size_t)i,
				                    .text = strndup(s + 1, (size_t)(end - s - 1)) };
			s = end + 1;
		}
		if (*s == '.' && s[1])
			s++;
		else if (*s)
			goto bad;
	}
	if (!*s && n > 0)
		return n;
bad:
	path_free(steps, n);
	return -1;
}

/* The first @n steps as text, for messages (new string). */
static char *path_prefix(const struct path_step *steps, int n)
{
	char *s = xstrdup("");

	for (int i = 0; i < n; i++) {
		char *t = steps[i].key ? xasprintf("%s%s%s", s, i ? "." : "", steps[i].key)
		                       : xasprintf("%s[%s]", s, steps[i].text);

		free(s);
		s = t;
	}
	return s;
}

static json_t *array_find_named(json_t *arr, const char *name)
{
	size_t i;
	json_t *el;

	json_array_foreach (arr, i, el) {
		const char *n = json_string_value(json_object_get(el, "name"));

		if (n && strcmp(n, name) == 0)
			return el;
	}
	return NULL;
}

/* "a, b": the names of the elements of @arr (new string). */
static char *array_names(json_t *arr)
{
	char *s = xstrdup("");
	size_t i;
	json_t *el;

	json_array_foreach (arr, i, el) {
		const char *n = json_string_value(json_object_get(el, "name"));
		char *t = n ? xasprintf("%s%s%s", s, *s ? ", " : "", n) : NULL;

		if (t) {
			free(s);
			s = t;
		}
	}
	return s;
}

/* "threads.G..." with no top-level "threads": the group G of any process. */
static json_t *path_find_group(json_t *root, const char *group, char **error)
{
	json_t *proc, *g, *all = json_array();
	size_t i;
	char *list;

	json_array_foreach (json_object_get(root, "processes"), i, proc) {
		if ((g = array_find_named(json_object_get(proc, "threads"), group))) {
			json_decref(all);
			return g;
		}
		json_array_extend(all, json_object_get(proc, "threads"));
	}
	list = array_names(all);
	*error = xasprintf("no thread group '%s' (expected one of: %s)", group, list);
	free(list);
	json_decref(all);
	return NULL;
}

/*
 * Step @i of the @n @steps from @cur; NULL with *error set if there is
 * nowhere to go.
 */
static json_t *path_step_into(json_t *cur, const struct path_step *steps, int i, int n,
                              char **error)
{
	bool index_next = i + 1 < n && !steps[i + 1].key;
	const struct path_step *st = &steps[i];
	char *where = i ? path_prefix(steps, i) : xstrdup(".");
	json_t *next = NULL;

	if (!st->key && !json_is_array(cur)) {
		*error = xasprintf("'%s': array expected, got %s", where, json_kind(cur));
	} else if (!st->key) {
		next = json_array_get(cur, st->index);
		if (!next)
			*error = xasprintf("'%s' has %zu element%s, no [%s]", where,
			                   json_array_size(cur),
			                   json_array_size(cur) == 1 ? "" : "s", st->text);
	} else if (json_is_array(cur)) {
		char *list = array_names(cur);

		next = array_find_named(cur, st->key);
		if (!next)
			*error = xasprintf("'%s' has no element named '%s' (expected one of: %s)",
			                   where, st->key, list);
		free(list);
	} else if (!json_is_object(cur)) {
		*error = xasprintf("'%s': object expected, got %s", where, json_kind(cur));
	} else if (!(next = json_object_get(cur, st->key)) && index_next) {
		/* an absent list ("cgroups"): no element to set a key of */
		char *list = path_prefix(steps, i + 1);

		*error = xasprintf("'%s' is not defined, no [%s]", list, steps[i + 1].text);
		free(list);
	} else if (!next) {
		/* an absent section: create it, its defaults apply */
		next = json_object();
		if (json_object_set_new(cur, st->key, next)) { /* it freed next */
			next = NULL;
			*error = xasprintf("'%s': cannot add key '%s' (not UTF-8 text?)", where,
			                   st->key);
		}
	}
	free(where);
	return next;
}

int json_path_set(json_t *root, const char *path, json_t *value, char **error)
{
	struct path_step steps[32], *last;
	int n = path_parse(path, steps, 32), i = 0, rc = -1;
	json_t *cur = root;

	*error = NULL;
	if (n <= 0) {
		*error = xasprintf(
		        "malformed path '%s' (expected keys and [indexes], e.g. disk.service_ms, "
		        "processes[0].threads[1].count or threads.A.count)",
		        path);
		json_decref(value);
		return -1;
	}
	last = &steps[n - 1];
	if (n >= 3 && steps[0].key && strcmp(steps[0].key, "threads") == 0 &&
	    !json_object_get(root, "threads") && steps[1].key) {
		cur = path_find_group(root, steps[1].key, error);
		i = 2;
	}
	for (; i < n - 1 && cur; i++)
		cur = path_step_into(cur, steps, i, n, error);
	if (cur && last->key && json_is_object(cur))
		rc = json_object_set(cur, last->key, value);
	else if (cur && !last->key && json_array_get(cur, last->index))
		rc = json_array_set(cur, last->index, value);
	else if (cur && path_step_into(cur, steps, n - 1, n, error)) /* else it says why */
		*error = xasprintf("'%s' names an element of an array: set one of its keys", path);
	if (rc && !*error) /* e.g. a key that is not UTF-8 */
		*error = xasprintf("cannot set '%s'", path);
	json_decref(value);
	path_free(steps, n);
	return rc ? -1 : 0;
}

json_t *json_path_get(json_t *root, const char *path)
{
	struct path_step steps[32];
	int n = path_parse(path, steps, 32), i = 0;
	json_t *cur = root;
	char *error = NULL;

	if (n >= 3 && steps[0].key && strcmp(steps[0].key, "threads") == 0 &&
	    !json_object_get(root, "threads") && steps[1].key) {
		cur = path_find_group(root, steps[1].key, &error);
		i = 2;
	}
	for (; i < n && cur; i++) {
		if (!steps[i].key)
			cur = json_array_get(cur, steps[i].index);
		else if (json_is_array(cur))
			cur = array_find_named(cur, steps[i].key);
		else
			cur = json_object_get(cur, steps[i].key);
	}
	free(error);
	path_free(steps, n > 0 ? n : 0);
	return n > 0 ? cur : NULL;
}

json_t *json_dotted_get(json_t *root, const char *path)
{
	char *p = xstrdup(path), *s = p, *dot;
	json_t *cur = root;

	while (cur && (dot = strchr(s, '.'))) {
		*dot = '\0';
		cur = json_object_get(cur, s);
		s = dot + 1;
	}
	cur = cur ? json_object_get(cur, s) : NULL;
	free(p);
	return cur;
}

void json_dotted_set(json_t *root, const char *path, json_t *v)
{
	char *p = xstrdup(path), *s = p, *dot;
	json_t *cur = root;

	while ((dot = strchr(s, '.'))) {
		json_t *next;

		*dot = '\0';
		next = json_object_get(cur, s);
		if (!next) {
			next = json_object();
			json_object_set_new(cur, s, next);
		}
		cur = next;
		s = dot + 1;
	}
	json_object_set_new(cur, s, v);
	free(p);
}
