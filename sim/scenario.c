/*
 * scenario.c - scenario files to resolved sweep points (see scenario.h).
 *
 * The json_t tree stays in this file: values are copied out into the model
 * config structs (through their parameter tables, params.c) and the tree is
 * released before anything runs.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/figures.h"
#include "sim/input.h"
#include "sim/metrics/schema.h"
#include "sim/params.h"
#include "sim/scenario.h"
#include "sim/sha256.h"
#include "sim/util.h"

/* ---- paths: "disk.service_ms", "threads.B.loop[1].hold_us" ---------------- */

struct path_step {
	char *key;   /* NULL for an index */
	size_t index; /* SIZE_MAX if it is larger */
	char *text;  /* an index as written, for messages: "[99999999999999999999]" */
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
			steps[n++] = (struct path_step){ .key = NULL, .index = (size_t)i,
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
					   json_array_size(cur), json_array_size(cur) == 1 ? "" : "s",
					   st->text);
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
			*error = xasprintf("'%s': cannot add key '%s' (not UTF-8 text?)", where, st->key);
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
		*error = xasprintf("malformed path '%s' (expected keys and [indexes], e.g. disk.service_ms, processes[0].threads[1].count or threads.A.count)",
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

/* ---- one point --------------------------------------------------------- */

struct loader {
	struct diag *diag;
	const char *dir;
};

/* "a, b, c": the names of a NULL-terminated table whose rows start with one. */
static char *table_names(const void *table, size_t row_size)
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
static const char *name_at(struct diag *d, json_t *obj, const char *path, const char *key)
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

		diag_error(d, p, "%s%sname '%s' may hold only letters, digits, '_' and '-', got %s (e.g. '%s')",
			   what, *what ? " " : "", s, bad, fix);
		free(bad);
		free(fix);
		s = NULL;
	}
	free(p);
	return s;
}

static const char *name_get(struct diag *d, json_t *obj, const char *path)
{
	return name_at(d, obj, path, "name");
}

const char *scenario_name_get(struct diag *d, json_t *obj, const char *path)
{
	return name_get(d, obj, path);
}

/* An array member that must be an array (possibly empty), else an error. */
static json_t *want_array(struct diag *d, json_t *obj, const char *key, const char *path,
			  bool required)
{
	json_t *v = json_object_get(obj, key);
	char *p;

	if (!v && !required)
		return NULL;
	if (!v) {
		diag_error(d, path, "missing key '%s'", key);
		return NULL;
	}
	if (json_is_array(v))
		return v;
	p = xasprintf("%s.%s", path, key);
	diag_error(d, p, "array expected, got %s", json_kind(v));
	free(p);
	return NULL;
}

/* A required list of at least one @what; NULL (reported) if not. */
static json_t *want_list(struct diag *d, json_t *obj, const char *key, const char *path,
			 const char *what)
{
	json_t *v = want_array(d, obj, key, path, true);

	if (v && json_array_size(v) == 0) {
		char *p = xasprintf("%s.%s", path, key);

		diag_error(d, p, "at least one %s expected, got an empty array", what);
		free(p);
	}
	return v;
}

/* Unknown keys of @obj are errors that list @keys (NULL-terminated). */
static void check_keys(struct diag *d, json_t *obj, const char *path, const char *const *keys)
{
	static const struct param none[] = { { .key = NULL } };
	struct params_ctx c = { .diag = d };

	params_load(&c, obj, path, none, NULL, keys, false);
}

/* The operation named by the "op" of @o (at @path), or NULL after an error. */
static const struct thread_op *load_op_kind(struct diag *d, json_t *o, const char *path,
					    int *index)
{
	json_t *v = json_object_get(o, "op");
	const struct thread_op *top = NULL;
	char *list, *p;

	if (json_is_string(v) && (top = thread_op_find(json_string_value(v), index)))
		return top;
	list = table_names(thread_ops, sizeof(*thread_ops));
	p = xasprintf("%s.op", path);
	if (!v)
		diag_error(d, path, "missing key 'op' (expected one of: %s)", list);
	else if (!json_is_string(v))
		diag_error(d, p, "string expected, got %s", json_kind(v));
	else
		diag_error(d, p, "unknown operation '%s' (expected: %s)", json_string_value(v), list);
	free(p);
	free(list);
	return NULL;
}

static void load_op(struct loader *L, json_t *o, const char *path, struct op_config *op,
		    const struct process_config *proc)
{
	static const char *const extra[] = { "op", NULL };
	const char **names;
	const struct thread_op *top;
	struct param *table;

	if (!json_is_object(o)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(o));
		return;
	}
	if (!(top = load_op_kind(L->diag, o, path, &op->op)))
		return;
	names = xcalloc(proc->nr_maps, sizeof(*names));
	for (unsigned i = 0; i < proc->nr_maps; i++)
		names[i] = proc->maps[i].name; /* NULL if invalid: matches nothing */
	table = params_join(top->params, op_common_params);
	params_load(&(struct params_ctx){ .diag = L->diag, .dir = L->dir, .names = names,
					  .nr_names = proc->nr_maps, .name_kind = "mapping" },
		    o, path, table, op, extra, true);
	free(table);
	free(names);
}

/* clang-format off */
#define F(x) offsetof(struct fairness_config, x)
const struct param fairness_params[] = {
	{ "starved_wait_us", PARAM_DOUBLE, F(starved_wait_us), 0, 1e12, "100000", "an mmap_sem acquisition that waited longer counts in fairness.starved", NULL },
	{ .key = NULL },
};
#undef F
#define F(x) offsetof(struct thread_group_config, x)
const struct param thread_group_params[] = {
	{ "count",           PARAM_UINT, F(count),           0, 100000, "1",     "threads running the loop (0: none, e.g. a swept-off group); with interarrival_us: arrival streams", NULL },
	{ "interarrival_us", PARAM_DIST, F(interarrival_us), 0, 1e12,   "0",     "an open group: a job arrives this often (per stream), runs the loop once and leaves; 0: threads loop forever", NULL },
	{ "max_jobs",        PARAM_UINT, F(max_jobs),        1, 1e6,    "10000", "an open group: jobs of a stream in the system at once; later arrivals are dropped (threads.<group>.dropped)", NULL },
	{ .key = NULL },
};
#undef F
/* clang-format on */

static void load_group(struct loader *L, json_t *g, const char *path,
		       struct thread_group_config *grp, const struct process_config *proc)
{
	static const char *const extra[] = { "name", "loop", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	const char *name = name_get(L->diag, g, path);
	json_t *loop, *el;
	size_t i;

	if (name)
		grp->name = xstrdup(name);
	grp->count = 1; /* if invalid: reported, and not taken for a group switched off */
	params_load(&c, g, path, thread_group_params, grp, extra, true);
	loop = want_list(L->diag, g, "loop", path, "operation");
	grp->nr_ops = (unsigned)json_array_size(loop);
	grp->loop = xcalloc(grp->nr_ops, sizeof(*grp->loop));
	json_array_foreach (loop, i, el) {
		char *p = xasprintf("%s.loop[%zu]", path, i);

		load_op(L, el, p, &grp->loop[i], proc);
		if (i == 0 && grp->loop[0].otherwise)
			diag_error(L->diag, p, "'otherwise' on the first op of a loop: there is no op before it");
		free(p);
	}
}

/* Keys of @m that do not apply to its type (@kind, "file" or "anon") are errors. */
static void check_mapping_keys(struct diag *d, json_t *m, const char *path, const char *kind)
{
	static const struct {
		const char *key, *kind, *why;
	} only[] = {
		{ "file", "file", "an anonymous mapping has no file" },
		{ "cached_fraction", "file", "only file pages are in the page cache" },
		{ "advice", "file", "madvise hints steer the readahead of file pages" },
		{ "private", "file", "anonymous memory is private already" },
		{ "swapped_fraction", "anon", "file pages are read back from their file, not from swap" },
	};

	for (size_t i = 0; i < sizeof(only) / sizeof(*only); i++) {
		char *p;

		if (!json_object_get(m, only[i].key) || strcmp(only[i].kind, kind) == 0)
			continue;
		p = xasprintf("%s.%s", path, only[i].key);
		diag_error(d, p, "key '%s' applies to mappings of type '%s' only, got type '%s' (%s)",
			   only[i].key, only[i].kind, kind, only[i].why);
		free(p);
	}
}

static void load_mapping(struct loader *L, json_t *m, const char *path, struct mapping_config *mc)
{
	static const char *const extra[] = { "name", "file", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	const char *name, *file = NULL, *type;

	if (!json_is_object(m)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(m));
		return;
	}
	if ((name = name_get(L->diag, m, path)))
		mc->name = xstrdup(name);
	if (json_object_get(m, "file") && (file = name_at(L->diag, m, path, "file")))
		mc->file = xstrdup(file);
	params_load(&c, m, path, mapping_params, mc, extra, true);
	/* a missing or unknown type is reported: its keys cannot be judged */
	type = json_string_value(json_object_get(m, "type"));
	if (type && (strcmp(type, "file") == 0 || strcmp(type, "anon") == 0))
		check_mapping_keys(L->diag, m, path, type);
	if (mc->kind == MAPPING_FILE && !mc->file && mc->name) /* a file of its own name */
		mc->file = xstrdup(mc->name);
	if (mc->kind != MAPPING_FILE) {
		free((char *)mc->file);
		mc->file = NULL;
	}
}

static void load_mappings(struct loader *L, json_t *p, const char *path,
			  struct process_config *pc)
{
	json_t *maps = want_array(L->diag, p, "mappings", path, false), *el;
	size_t i;

	pc->nr_maps = (unsigned)json_array_size(maps);
	pc->maps = xcalloc(pc->nr_maps, sizeof(*pc->maps));
	json_array_foreach (maps, i, el) {
		char *mp = xasprintf("%s.mappings[%zu]", path, i);

		load_mapping(L, el, mp, &pc->maps[i]);
		for (size_t j = 0; j < i && pc->maps[i].name; j++) {
			if (pc->maps[j].name && strcmp(pc->maps[i].name, pc->maps[j].name) == 0) {
				char *np = xasprintf("%s.name", mp);

				diag_error(L->diag, np, "mapping name '%s' already used by %s.mappings[%zu]",
					   pc->maps[i].name, path, j);
				free(np);
			}
		}
		free(mp);
	}
}

/* The index of the cgroup named by @p's "cgroup", or -1. */
static int load_process_cgroup(struct loader *L, json_t *p, const char *path,
			       const struct scenario *s)
{
	static const struct param cgroup_param[] = {
		{ "cgroup", PARAM_NAME, 0, 0, 0, NULL, "the memory cgroup of the process", NULL },
		{ .key = NULL },
	};
	static const char *const others[] = { "name", "count", "mappings", "threads", NULL };
	json_t *v = json_object_get(p, "cgroup");
	const char **names;
	int index = -1; /* after an error, 0: nothing runs then */

	if (!v)
		return -1;
	if (json_is_string(v) && !*json_string_value(v)) {
		name_at(L->diag, p, path, "cgroup"); /* "cgroup name expected, got an empty string" */
		return -1;
	}
	if (json_is_string(v) && s->nr_cgroups == 0) {
		char *cp = xasprintf("%s.cgroup", path);

		diag_error(L->diag, cp, "unknown cgroup '%s' (none is defined: add it to .cgroups)",
			   json_string_value(v));
		free(cp);
		return -1;
	}
	names = xcalloc(s->nr_cgroups, sizeof(*names));
	for (unsigned i = 0; i < s->nr_cgroups; i++)
		names[i] = s->cgroups[i].name; /* NULL if invalid: matches nothing */
	/* "unknown cgroup 'x', did you mean 'y'? (expected: ...)", as for mappings */
	params_load(&(struct params_ctx){ .diag = L->diag, .dir = L->dir, .names = names,
					  .nr_names = s->nr_cgroups, .name_kind = "cgroup" },
		    p, path, cgroup_param, &index, others, false);
	free(names);
	return index;
}

static void load_process(struct loader *L, json_t *p, const char *path,
			 struct process_config *pc, const struct scenario *s)
{
	static const struct param count_param[] = {
		{ "count", PARAM_UINT, offsetof(struct process_config, count), 1, 10000, "1",
		  "identical processes, each with its own mm (make -j N)", NULL },
		{ .key = NULL },
	};
	static const char *const count_extra[] = { "name", "cgroup", "mappings", "threads", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	const char *name;
	json_t *groups, *el;
	size_t i;

	if (!json_is_object(p)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(p));
		return;
	}
	if ((name = name_get(L->diag, p, path)))
		pc->name = xstrdup(name);
	pc->cgroup = load_process_cgroup(L, p, path, s);
	params_load(&c, p, path, count_param, pc, count_extra, true); /* also: unknown keys */
	load_mappings(L, p, path, pc);
	groups = want_list(L->diag, p, "threads", path, "thread group");
	pc->nr_groups = (unsigned)json_array_size(groups);
	pc->groups = xcalloc(pc->nr_groups, sizeof(*pc->groups));
	json_array_foreach (groups, i, el) {
		char *gp = xasprintf("%s.threads[%zu]", path, i);

		if (json_is_object(el))
			load_group(L, el, gp, &pc->groups[i], pc);
		else
			diag_error(L->diag, gp, "object expected, got %s", json_kind(el));
		free(gp);
	}
}

/* Group @g of process @p, if an earlier group (of any process) has its name. */
static void check_group_name(struct diag *d, const struct scenario *s, unsigned p, unsigned g)
{
	const char *name = s->procs[p].groups[g].name;

	for (unsigned q = 0; q <= p && name; q++) {
		for (unsigned h = 0; h < (q == p ? g : s->procs[q].nr_groups); h++) {
			if (s->procs[q].groups[h].name && strcmp(name, s->procs[q].groups[h].name) == 0) {
				char *path = xasprintf(".processes[%u].threads[%u].name", p, g);

				/* the results and --set name groups without their process */
				diag_error(d, path, "thread group name '%s' already used by .processes[%u].threads[%u] (group names are unique across processes)",
					   name, q, h);
				free(path);
				return;
			}
		}
	}
}

/* Group names are unique across processes, process names across the scenario. */
static void check_unique_names(struct diag *d, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned q = 0; q < p && s->procs[p].name; q++) {
			if (s->procs[q].name && strcmp(s->procs[p].name, s->procs[q].name) == 0) {
				char *path = xasprintf(".processes[%u].name", p);

				diag_error(d, path, "process name '%s' already used by .processes[%u]",
					   s->procs[p].name, q);
				free(path);
				break;
			}
		}
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			check_group_name(d, s, p, g);
	}
}

/* A run needs a thread: groups may have count 0, but not all of them. */
static void check_thread_count(struct diag *d, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			if (s->procs[p].groups[g].count > 0)
				return;
	if (s->nr_groups > 0)
		diag_error(d, ".processes", "at least one thread expected, got count 0 in every thread group");
}

/*
 * Every simulated thread is a SimGrid actor (so is each arrival stream of an
 * open group, and each job it spawns: see TASKS_MAX), and each actor's
 * stack takes 2 memory mappings: the stack and its guard page (mprotect
 * splits the allocation). Linux allows a process vm.max_map_count of them,
 * 65530 by default; the program itself takes about 180 (libraries, heap):
 * measured, 32600 threads run and 32700 abort in SimGrid. THREADS_MAX fits
 * the default with MAPS_RESERVED to spare, on any machine; a machine set
 * lower is checked too.
 */
#define THREADS_MAX 32000
#define MAPS_PER_ACTOR 2
#define MAPS_RESERVED 1024
#define MAX_MAP_COUNT_DEFAULT 65530

/* vm.max_map_count of this machine (the default if it cannot be read). */
static unsigned long max_map_count(void)
{
	static unsigned long n;
	FILE *f;

	if (n)
		return n;
	n = MAX_MAP_COUNT_DEFAULT;
	if ((f = fopen("/proc/sys/vm/max_map_count", "r"))) {
		if (fscanf(f, "%lu", &n) != 1 || n == 0)
			n = MAX_MAP_COUNT_DEFAULT;
		fclose(f);
	}
	return n;
}

/*
 * The actors of point @s at start: its threads, and a stream actor per open
 * stream. Their jobs are spawned as they arrive, up to TASKS_MAX alive
 * (models/env.h): counting max_jobs each here would refuse a few streams
 * whose queues never grow that long.
 */
static double thread_actors(const struct scenario *s)
{
	double n = 0;

	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			n += (double)s->procs[p].count * s->procs[p].groups[g].count;
	return n;
}

static void check_thread_budget(struct diag *d, const struct scenario *s)
{
	unsigned long mmc = max_map_count();
	double have = (double)(mmc > MAPS_RESERVED ? (mmc - MAPS_RESERVED) / MAPS_PER_ACTOR : 0);
	double n = thread_actors(s);

	if (n > THREADS_MAX)
		diag_error(d, ".processes", "%.0f simulated threads out of range [1, %d]: each is a SimGrid actor whose stack and guard page take %d of the %d memory mappings Linux allows a process by default (vm.max_map_count)",
			   n, THREADS_MAX, MAPS_PER_ACTOR, MAX_MAP_COUNT_DEFAULT);
	else if (n > have)
		diag_error(d, ".processes", "%.0f simulated threads, more than the %.0f this machine can run: each is a SimGrid actor whose stack and guard page take %d memory mappings, and vm.max_map_count is %lu here (raise it to %d: sysctl -w vm.max_map_count=%d)",
			   n, have, MAPS_PER_ACTOR, mmc, MAX_MAP_COUNT_DEFAULT, MAX_MAP_COUNT_DEFAULT);
}

static void load_section(struct loader *L, json_t *root, const char *key,
			 const struct param *table, void *base)
{
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	json_t *v = json_object_get(root, key);
	char *path = xasprintf(".%s", key);

	if (v && !json_is_object(v)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(v));
		v = NULL;
	}
	json_t *empty = json_object();

	params_load(&c, v ? v : empty, path, table, base, NULL, true);
	json_decref(empty);
	free(path);
}

static void load_kernel(struct loader *L, json_t *root, struct scenario *s)
{
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	json_t *k = json_object_get(root, "kernel"), *f = json_object_get(root, "features");
	const struct kernel_profile *prof = NULL;
	char *list;

	if (json_is_string(k))
		prof = kernel_profile_find(json_string_value(k));
	if (prof) {
		s->kernel = xstrdup(prof->name);
		s->features = prof->features;
	} else {
		list = table_names(kernel_profiles, sizeof(*kernel_profiles));
		if (!k)
			diag_error(L->diag, "", "missing key 'kernel' (a kernel profile: %s)", list);
		else if (json_is_number(k)) /* 3.10 would read as 3.1 */
			diag_error(L->diag, ".kernel", "string expected, got number (a profile's name is a string: quote it, e.g. \"5.3\")");
		else if (!json_is_string(k))
			diag_error(L->diag, ".kernel", "string expected, got %s", json_kind(k));
		else
			diag_error(L->diag, ".kernel", "unknown kernel profile '%s' (expected: %s)",
				   json_string_value(k), list);
		free(list);
	}
	/* checked without a profile too, to report every error at once */
	if (f && !json_is_object(f))
		diag_error(L->diag, ".features", "object expected, got %s", json_kind(f));
	else if (f)
		params_load(&c, f, ".features", kernel_feature_params, &s->features, NULL, false);
}

static double load_number(struct diag *d, json_t *root, const char *key, double def, double lo,
			  double hi)
{
	json_t *v = json_object_get(root, key);
	char *path = xasprintf(".%s", key);
	double x = def;

	if (!v && def < 0)
		diag_error(d, "", "missing key '%s'", key);
	else if (v && !json_is_number(v))
		diag_error(d, path, "number expected, got %s", json_kind(v));
	else if (v && !(json_number_value(v) >= lo && json_number_value(v) <= hi))
		diag_error(d, path, "%s out of range [%s, %s]", num(json_number_value(v)).s, num(lo).s, num(hi).s);
	else if (v)
		x = json_number_value(v);
	free(path);
	return x;
}

static void load_seed(struct diag *d, json_t *root, struct scenario *s)
{
	json_t *v = json_object_get(root, "seed");
	double x = json_number_value(v);

	s->seed = 1;
	if (!v)
		return;
	if (!json_is_number(v))
		diag_error(d, ".seed", "whole number expected, got %s", json_kind(v));
	else if (x != floor(x) || x < 0 || x > 0xffffffffLL)
		diag_error(d, ".seed", "whole number in [0, 4294967295] expected, got %.15g", x);
	else
		s->seed = (unsigned long)x;
}

/* warmup_s: seconds, or "mser5" (MSER-5 detection on a pilot run of each point). */
static void load_warmup(struct diag *d, json_t *root, struct scenario *s)
{
	json_t *v = json_object_get(root, "warmup_s");

	if (json_is_string(v) && strcmp(json_string_value(v), "mser5") == 0) {
		s->warmup_mser5 = true;
		return;
	}
	if (json_is_string(v) || (v && !json_is_number(v))) {
		diag_error(d, ".warmup_s", "number or 'mser5' expected, got %s%s%s",
			   json_is_string(v) ? "'" : json_kind(v),
			   json_is_string(v) ? json_string_value(v) : "", json_is_string(v) ? "'" : "");
		return;
	}
	s->warmup_s = load_number(d, root, "warmup_s", 0, 0, 1e7);
	if (s->warmup_s >= s->duration_s && s->duration_s > 0)
		diag_error(d, ".warmup_s", "%s out of range [0, %s): the warm-up must end before duration_s",
			   num(s->warmup_s).s, num(s->duration_s).s);
}

#define REPLICATIONS_MAX 10000

/* The whole number at @key of @obj (at @path) in [@lo, @hi], or @def if absent. */
static unsigned load_whole(struct diag *d, json_t *obj, const char *path, const char *key,
			   unsigned def, unsigned lo, unsigned hi)
{
	json_t *v = json_object_get(obj, key);
	char *p = xasprintf("%s.%s", path, key);
	double x = json_number_value(v);
	unsigned n = def;

	if (v && !json_is_number(v))
		diag_error(d, p, "whole number expected, got %s", json_kind(v));
	else if (v && x != floor(x))
		diag_error(d, p, "whole number expected, got %s", num(x).s);
	else if (v && (x < lo || x > hi))
		diag_error(d, p, "%s out of range [%u, %u]", num(x).s, lo, hi);
	else if (v)
		n = (unsigned)x;
	free(p);
	return n;
}

/* until.metric: a dotted path (checked against the metrics by check_until_metric). */
static void load_until_metric(struct diag *d, json_t *u, struct scenario *s)
{
	json_t *m = json_object_get(u, "metric");

	if (m && !json_is_string(m))
		diag_error(d, ".until.metric", "string expected, got %s", json_kind(m));
	else if (m && !*json_string_value(m))
		diag_error(d, ".until.metric", "metric path expected, got an empty string");
	else if (m)
		s->until.metric = xstrdup(json_string_value(m));
}

/* until.relative_half_width, in (0, 1], if there. */
static void load_until_width(struct diag *d, json_t *u, struct scenario *s)
{
	json_t *w = json_object_get(u, "relative_half_width");

	if (w && !json_is_number(w))
		diag_error(d, ".until.relative_half_width", "number expected, got %s", json_kind(w));
	else if (w && !(json_number_value(w) > 0 && json_number_value(w) <= 1))
		diag_error(d, ".until.relative_half_width", "%s out of range (0, 1]",
			   num(json_number_value(w)).s);
	else if (w)
		s->until.relative_half_width = json_number_value(w);
}

/* until.target, any number, if there. */
static void load_until_target(struct diag *d, json_t *u, struct scenario *s)
{
	json_t *t = json_object_get(u, "target");

	if (t && !json_is_number(t))
		diag_error(d, ".until.target", "number expected, got %s", json_kind(t));
	else if (t)
		s->until.target = json_number_value(t);
	s->until.has_target = json_is_number(t);
}

/*
 * until: {metric, max_replications, and relative_half_width or target (or
 * both: either stops)}.
 */
static void load_until(struct diag *d, json_t *root, struct scenario *s)
{
	static const char *const keys[] = { "metric", "relative_half_width", "target",
					    "max_replications", NULL };
	json_t *u = json_object_get(root, "until");

	if (u && !json_is_object(u))
		diag_error(d, ".until", "object expected, got %s", json_kind(u));
	if (!json_is_object(u))
		return;
	check_keys(d, u, ".until", keys);
	if (!json_object_get(u, "metric"))
		diag_error(d, ".until", "missing key 'metric'");
	if (!json_object_get(u, "relative_half_width") && !json_object_get(u, "target"))
		diag_error(d, ".until", "missing key 'relative_half_width' or 'target'");
	if (!json_object_get(u, "max_replications"))
		diag_error(d, ".until", "missing key 'max_replications'");
	load_until_metric(d, u, s);
	load_until_width(d, u, s);
	load_until_target(d, u, s);
	s->until.max_replications = load_whole(d, u, ".until", "max_replications", 0, 2,
					       REPLICATIONS_MAX);
	if (s->until.max_replications && s->until.max_replications < s->replications)
		diag_error(d, ".until.max_replications", "%u out of range [%u, %u]: at least 'replications'",
			   s->until.max_replications, s->replications, REPLICATIONS_MAX);
}

/* replications, confidence, until: how many runs of each point, and how sure. */
static void load_replications(struct diag *d, json_t *root, struct scenario *s)
{
	s->replications = load_whole(d, root, "", "replications", 1, 1, REPLICATIONS_MAX);
	s->confidence = load_number(d, root, "confidence", 0.95, 0.5, 0.9999);
	load_until(d, root, s);
}

#define SCENARIO_NAME_MAX 200

static void load_top(struct loader *L, json_t *root, struct scenario *s, const char *file)
{
	json_t *v = json_object_get(root, "description");
	const char *name = NULL;
	char *base = xstrdup(file), *dot;

	if (json_object_get(root, "name") && (name = name_get(L->diag, root, "")) &&
	    strlen(name) > SCENARIO_NAME_MAX) {
		/* mkdir would fail after the run had started, leaving an empty out/ */
		diag_error(L->diag, ".name", "%zu characters, more than %d: the name is a folder name (out/<name>, out/<name>-plan), and a folder name holds 255 bytes at most",
			   strlen(name), SCENARIO_NAME_MAX);
	} else if (name) {
		s->name = xstrdup(name);
	} else if (!json_object_get(root, "name")) {
		s->name = xstrdup(basename(base));
		if ((dot = strrchr(s->name, '.')))
			*dot = '\0';
	}
	free(base);
	if (v && !json_is_string(v))
		diag_error(L->diag, ".description", "string expected, got %s", json_kind(v));
	s->description = xstrdup(json_is_string(v) ? json_string_value(v) : "");
	s->duration_s = load_number(L->diag, root, "duration_s", -1, 1e-6, 1e7);
	load_warmup(L->diag, root, s);
	load_seed(L->diag, root, s);
	load_replications(L->diag, root, s);
}

/* Reclaim frees charged memory: reclaimable_mb is a part of usage_mb. */
static void check_reclaimable(struct diag *d, json_t *cg, const char *path,
			      const struct memcg_config *c)
{
	json_t *r = json_object_get(cg, "reclaimable_mb"), *u = json_object_get(cg, "usage_mb");
	char *p;

	/* both as loaded: a value out of its own range is reported already */
	if (!json_is_number(r) || json_number_value(r) != c->reclaimable_mb ||
	    (u && (!json_is_number(u) || json_number_value(u) != c->usage_mb)) ||
	    c->reclaimable_mb <= c->usage_mb)
		return;
	p = xasprintf("%s.reclaimable_mb", path);
	diag_error(d, p, "%s out of range [0, %s]: reclaim frees memory already charged, so reclaimable_mb is at most usage_mb%s",
		   num(c->reclaimable_mb).s, num(c->usage_mb).s, u ? "" : " (usage_mb absent: 0)");
	free(p);
}

/* The memory cgroups: [{"name": ..., limit_mb, ...}]; names unique. */
static void load_cgroups(struct loader *L, json_t *root, struct scenario *s)
{
	static const char *const extra[] = { "name", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	json_t *list = want_array(L->diag, root, "cgroups", "", false), *el;
	size_t i;

	s->nr_cgroups = (unsigned)json_array_size(list);
	s->cgroups = xcalloc(s->nr_cgroups ? s->nr_cgroups : 1, sizeof(*s->cgroups));
	json_array_foreach (list, i, el) {
		char *p = xasprintf(".cgroups[%zu]", i);
		const char *name;

		if (!json_is_object(el)) {
			diag_error(L->diag, p, "object expected, got %s", json_kind(el));
		} else {
			if ((name = name_get(L->diag, el, p)))
				s->cgroups[i].name = xstrdup(name);
			params_load(&c, el, p, memcg_params, &s->cgroups[i], extra, true);
			for (size_t j = 0; j < i && s->cgroups[i].name; j++) {
				if (s->cgroups[j].name && strcmp(s->cgroups[j].name, s->cgroups[i].name) == 0) {
					char *np = xasprintf("%s.name", p);

					diag_error(L->diag, np, "cgroup name '%s' already used by .cgroups[%zu]",
						   s->cgroups[i].name, j);
					free(np);
					break;
				}
			}
			check_reclaimable(L->diag, el, p, &s->cgroups[i]);
		}
		free(p);
	}
}

/* Mapping @m of process @p, a mapping of @o's file, must agree on its size and cached share. */
static void check_same_file(struct diag *d, json_t *root, const struct scenario *s, unsigned p,
			    unsigned m, unsigned q, unsigned n)
{
	static const char *const keys[] = { "size_mb", "cached_fraction" };
	const struct mapping_config *mc = &s->procs[p].maps[m], *o = &s->procs[q].maps[n];
	const double mine[] = { mc->size_mb, mc->cached_fraction };
	const double theirs[] = { o->size_mb, o->cached_fraction };
	json_t *js = json_array_get(json_object_get(json_array_get(json_object_get(root, "processes"), p),
						    "mappings"), m);
	/* a file mapping without "file" maps the file of its name: say so, it is easy to miss */
	const char *implicit = json_object_get(js, "file") ? "" : " (the mapping's name: it has no key 'file')";

	for (int k = 0; k < 2; k++) {
		char *path;

		if (mine[k] == theirs[k])
			continue;
		path = xasprintf(".processes[%u].mappings[%u].%s", p, m, keys[k]);
		diag_error(d, path, "%s for file '%s'%s, which .processes[%u].mappings[%u] maps with %s %s (mappings of one file share its pages: the same %s expected)",
			   num(mine[k]).s, mc->file, implicit, q, n, keys[k], num(theirs[k]).s, keys[k]);
		free(path);
	}
}

/* Mappings of one file (in any process) must agree on what the file is. */
static void check_files(struct diag *d, json_t *root, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned m = 0; m < s->procs[p].nr_maps; m++) {
			const struct mapping_config *mc = &s->procs[p].maps[m];
			bool found = false;

			/* size_mb 0: invalid, reported already */
			for (unsigned q = 0; q <= p && !found && mc->file && mc->size_mb; q++) {
				for (unsigned n = 0; n < (q == p ? m : s->procs[q].nr_maps) && !found; n++) {
					const struct mapping_config *o = &s->procs[q].maps[n];

					if (!o->file || strcmp(o->file, mc->file) != 0 || !o->size_mb)
						continue;
					found = true; /* the first mapping of the file is the reference */
					check_same_file(d, root, s, p, m, q, n);
				}
			}
		}
	}
}

#define MB_PAGES ((1 << 20) / PAGE_SIZE_BYTES)
#define SWAP_LIST_MAX 4 /* contributions named in the message */

/*
 * The anonymous pages swapped out at start (swapped_fraction, in every
 * replica of a process) need a swap slot each: with too few, building the
 * machine would fail. Counted as mm_init() and swap_init() do.
 */
static void check_swap_size(struct diag *d, json_t *root, const struct scenario *s)
{
	json_t *v = json_object_get(json_object_get(root, "swap"), "size_mb");
	const struct param *size = &swap_params[0];
	uint64_t have = (uint64_t)floor(s->swap.size_mb * MB_PAGES), need = 0;
	unsigned listed = 0, more = 0;
	char *who = xstrdup(""), *t;

	if (v && (!json_is_number(v) || json_number_value(v) != s->swap.size_mb))
		goto out; /* not loaded: reported already */
	while (size->key && strcmp(size->key, "size_mb") != 0)
		size++;
	for (unsigned p = 0; p < s->nr_procs; p++) {
		const struct process_config *pc = &s->procs[p];

		for (unsigned m = 0; m < pc->nr_maps; m++) {
			const struct mapping_config *mc = &pc->maps[m];
			uint64_t pages = (uint64_t)ceil(mc->size_mb * (1 << 20) / PAGE_SIZE_BYTES);
			uint64_t want = (uint64_t)llround(mc->swapped_fraction * (double)pages) * pc->count;

			if (mc->kind != MAPPING_ANON || !want)
				continue;
			need += want;
			if (listed == SWAP_LIST_MAX) {
				more++;
				continue;
			}
			listed++;
			t = pc->count == 1
				    ? xasprintf("%s%s.processes[%u].mappings[%u] ('%s') %s MB", who, *who ? ", " : "",
						p, m, mc->name ? mc->name : "?", num((double)want / MB_PAGES).s)
				    : xasprintf("%s%s.processes[%u].mappings[%u] ('%s', %u processes) %s MB", who,
						*who ? ", " : "", p, m, mc->name ? mc->name : "?", pc->count,
						num((double)want / MB_PAGES).s);
			free(who);
			who = t;
		}
	}
	if (need <= have)
		goto out;
	if (more) {
		t = xasprintf("%s and %u more", who, more);
		free(who);
		who = t;
	}
	if ((double)need / MB_PAGES <= size->max)
		diag_error(d, ".swap.size_mb", "%s%s out of range [%s, %s]: the pages swapped out at start (swapped_fraction) need %s MB of swap (%" PRIu64 " pages, %" PRIu64 " available): %s",
			   num(s->swap.size_mb).s, v ? "" : " (the default)", num((double)need / MB_PAGES).s,
			   num(size->max).s, num((double)need / MB_PAGES).s, need, have, who);
	else
		diag_error(d, ".swap.size_mb", "%s%s too small: the pages swapped out at start (swapped_fraction) need %s MB of swap, more than the largest size_mb, %s: %s",
			   num(s->swap.size_mb).s, v ? "" : " (the default)", num((double)need / MB_PAGES).s,
			   num(size->max).s, who);
out:
	free(who);
}

static json_t *scenario_dump_cgroups(const struct scenario *s)
{
	json_t *list = json_array();

	for (unsigned i = 0; i < s->nr_cgroups; i++) {
		json_t *o = params_dump(memcg_params, &s->cgroups[i]);

		json_object_set_new(o, "name", json_string(s->cgroups[i].name));
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *scenario_dump_processes(const struct scenario *s)
{
	json_t *procs = json_array();

	for (unsigned p = 0; p < s->nr_procs; p++) {
		const struct process_config *pc = &s->procs[p];
		json_t *maps = json_array(), *groups = json_array();

		for (unsigned m = 0; m < pc->nr_maps; m++) {
			json_t *o = params_dump(mapping_params, &pc->maps[m]);

			json_object_set_new(o, "name", json_string(pc->maps[m].name));
			if (pc->maps[m].file)
				json_object_set_new(o, "file", json_string(pc->maps[m].file));
			json_array_append_new(maps, o);
		}
		for (unsigned g = 0; g < pc->nr_groups; g++) {
			const struct thread_group_config *tg = &pc->groups[g];
			json_t *loop = json_array();

			for (unsigned i = 0; i < tg->nr_ops; i++) {
				const struct thread_op *op = &thread_ops[tg->loop[i].op];
				struct param *table = params_join(op->params, op_common_params);
				json_t *o = params_dump(table, &tg->loop[i]);

				free(table);
				json_object_set_new(o, "op", json_string(op->name));
				if (json_object_get(o, "mapping") && tg->loop[i].mapping >= 0)
					json_object_set_new(o, "mapping", json_string(pc->maps[tg->loop[i].mapping].name));
				else if (json_object_get(o, "mapping"))
					json_object_set_new(o, "mapping", json_null());
				json_array_append_new(loop, o);
			}
			json_t *go = params_dump(thread_group_params, tg);

			json_object_set_new(go, "name", json_string(tg->name));
			json_object_set_new(go, "loop", loop);
			json_array_append_new(groups, go);
		}
		json_t *proc = json_pack("{ss si so so}", "name", pc->name, "count", (json_int_t)pc->count,
					 "mappings", maps, "threads", groups);

		if (pc->cgroup >= 0)
			json_object_set_new(proc, "cgroup", json_string(s->cgroups[pc->cgroup].name));
		json_array_append_new(procs, proc);
	}
	return procs;
}

/* The keys given only: a scenario without "target" keeps its point ids. */
static json_t *scenario_dump_until(const struct scenario *s)
{
	json_t *u = json_pack("{ss sI}", "metric", s->until.metric, "max_replications",
			      (json_int_t)s->until.max_replications);

	if (s->until.relative_half_width > 0)
		json_object_set_new(u, "relative_half_width", params_real(s->until.relative_half_width));
	if (s->until.has_target)
		json_object_set_new(u, "target", params_real(s->until.target));
	return u;
}

static json_t *scenario_dump(const struct scenario *s)
{
	json_t *o = json_pack("{ss ss so so sI ss so so so so so so so sI so}", "name", s->name,
			      "description", s->description, "duration_s", params_real(s->duration_s),
			      "warmup_s", s->warmup_mser5 ? json_string("mser5") : params_real(s->warmup_s),
			      "seed", (json_int_t)s->seed, "kernel", s->kernel, "features",
			      params_dump(kernel_feature_params, &s->features), "machine",
			      params_dump(machine_params, &s->machine), "disk",
			      params_dump(disk_params, &s->disk), "swap", params_dump(swap_params, &s->swap),
			      "fairness", params_dump(fairness_params, &s->fairness),
			      "cgroups", scenario_dump_cgroups(s), "processes", scenario_dump_processes(s),
			      "replications", (json_int_t)s->replications, "confidence",
			      params_real(s->confidence));

	if (s->until.metric)
		json_object_set_new(o, "until", scenario_dump_until(s));
	return o;
}

static void scenario_release(struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++) {
		struct process_config *pc = &s->procs[p];

		for (unsigned m = 0; m < pc->nr_maps; m++) {
			free((char *)pc->maps[m].name);
			free((char *)pc->maps[m].file);
		}
		for (unsigned g = 0; g < pc->nr_groups; g++) {
			for (unsigned i = 0; i < pc->groups[g].nr_ops; i++)
				params_release(thread_ops[pc->groups[g].loop[i].op].params,
					       &pc->groups[g].loop[i]);
			params_release(thread_group_params, &pc->groups[g]);
			free(pc->groups[g].loop);
			free((char *)pc->groups[g].name);
		}
		free(pc->maps);
		free(pc->groups);
		free(pc->name);
	}
	params_release(machine_params, &s->machine);
	params_release(disk_params, &s->disk);
	params_release(swap_params, &s->swap);
	for (unsigned i = 0; i < s->nr_cgroups; i++) {
		params_release(memcg_params, &s->cgroups[i]);
		free((char *)s->cgroups[i].name);
	}
	free(s->cgroups);
	free(s->procs);
	free(s->name);
	free(s->description);
	free(s->kernel);
	free(s->until.metric);
	json_decref(s->resolved);
	json_decref(s->swept);
}

/* The errors found so far, each repeat in another sweep point counted too. */
static int diag_hits(const struct diag *d)
{
	int n = d->total - d->n;

	for (int i = 0; i < d->n; i++)
		n += d->e[i].hits;
	return n;
}

/* until.metric names one number of point @s's metrics; checked if the point loaded without error. */
static void check_until_metric(struct diag *d, const struct scenario *s, bool loaded)
{
	char *err = s->until.metric && loaded ? metric_path_error(s, s->until.metric) : NULL;

	if (err)
		diag_error(d, ".until.metric", "%s", err);
	free(err);
}

/* Reads one point's JSON into @s; errors go to L->diag. */
static void scenario_parse(struct loader *L, json_t *root, struct scenario *s, const char *file)
{
	static const char *const keys[] = { "name", "description", "duration_s", "warmup_s", "seed",
					    "replications", "confidence", "until", "kernel",
					    "features", "machine", "disk", "swap", "fairness", "cgroups",
					    "processes", "sweep", "figures", NULL };
	int errors_before = diag_hits(L->diag);
	json_t *procs, *el;
	size_t i;

	check_keys(L->diag, root, "", keys); /* "": the root, printed "." */
	load_top(L, root, s, file);
	load_kernel(L, root, s);
	load_section(L, root, "machine", machine_params, &s->machine);
	load_section(L, root, "disk", disk_params, &s->disk);
	load_section(L, root, "swap", swap_params, &s->swap);
	load_section(L, root, "fairness", fairness_params, &s->fairness);
	load_cgroups(L, root, s);
	procs = want_list(L->diag, root, "processes", "", "process");
	s->nr_procs = (unsigned)json_array_size(procs);
	s->procs = xcalloc(s->nr_procs, sizeof(*s->procs));
	json_array_foreach (procs, i, el) {
		char *p = xasprintf(".processes[%zu]", i);

		load_process(L, el, p, &s->procs[i], s);
		s->nr_groups += s->procs[i].nr_groups;
		free(p);
	}
	check_unique_names(L->diag, s);
	check_thread_count(L->diag, s);
	check_thread_budget(L->diag, s);
	check_files(L->diag, root, s);
	check_swap_size(L->diag, root, s);
	check_until_metric(L->diag, s, diag_hits(L->diag) == errors_before);
	/* not after any error: an error repeated from an earlier point is not counted again */
	if (L->diag->total == 0) {
		char *text, sha[65];

		s->resolved = scenario_dump(s);
		text = json_dumps(s->resolved, JSON_COMPACT | JSON_SORT_KEYS);
		sha256_hex(text, strlen(text), sha);
		memcpy(s->id, sha, 12);
		s->id[12] = '\0';
		free(text);
	}
}

/* ---- the file, its overrides and its sweep -------------------------------- */

/* @text as JSON, or a bare word as a string; NULL after an error. */
static json_t *override_value(const char *text, char **error)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	char *end;

	if (v)
		return v;
	if (!*text) {
		*error = xstrdup("value expected after '='");
		return NULL;
	}
	/* a number JSON cannot hold (1e999, nan, 0x10) is not a word: "got string" would mislead */
	(void)strtod(text, &end);
	if (end != text && !*end) {
		*error = xasprintf("finite JSON number expected, got '%s'", text);
		return NULL;
	}
	if (strchr("{[\"", text[0])) {
		*error = xasprintf("'%s' is not valid JSON: %s", text, e.text);
		return NULL;
	}
	return json_string(text);
}

/* An axis override: @values (stolen, a list) become the last axis of the sweep; 0 or -1. */
static int override_axis(json_t *root, const char *path, json_t *values, char **error)
{
	json_t *sweep = json_object_get(root, "sweep");

	if (!json_is_array(values) || json_array_size(values) == 0) {
		*error = xasprintf("a list of values expected, got %s", json_kind(values));
		json_decref(values);
		return -1;
	}
	if (!sweep)
		json_object_set_new(root, "sweep", sweep = json_object());
	if (json_is_object(sweep))
		return json_object_set_new(sweep, path, values);
	json_decref(values); /* a bad sweep: take_sweep says so */
	return 0;
}

/*
 * --set kernel=5.3: a profile's name, even where it looks like a number (as
 * JSON, 3.10 would be 3.1); a quoted one is JSON as usual.
 */
static bool override_is_kernel(const struct override *ov)
{
	return !ov->axis && strcmp(ov->path + (ov->path[0] == '.'), "kernel") == 0 &&
	       ov->value[0] != '"';
}

/* "with --set a=1, --vary b=2": @context with override @ov added, if it is shown (new string). */
static char *override_context(char *context, const struct override *ov)
{
	char *t;

	if (ov->option && !*ov->option)
		return context;
	t = xasprintf("%s%s%s %s=%s", context ? context : "with ", context ? ", " : "",
		      ov->option ? ov->option : "--set", ov->path, ov->value);
	free(context);
	return t;
}

/*
 * Applies the --set options (and the axes of @ov); returns "with --set a=1,
 * --set b=2" for the messages (new string, NULL if none applied): values may
 * come from there.
 */
static char *apply_overrides(struct diag *d, json_t *root, const struct override *ov, unsigned n)
{
	char *context = NULL;

	for (unsigned i = 0; i < n; i++) {
		json_t *sweep = json_object_get(root, "sweep"); /* an axis may have made it */
		char *err = NULL, *t;
		json_t *v = override_is_kernel(&ov[i]) ? json_string(ov[i].value)
						       : override_value(ov[i].value, &err);
		int rc = -1;

		if (json_is_object(sweep))
			json_object_del(sweep, ov[i].path);
		if (v)
			rc = ov[i].axis ? override_axis(root, ov[i].path, v, &err)
					: json_path_set(root, ov[i].path, v, &err);
		if (rc == 0) {
			context = override_context(context, &ov[i]);
		} else {
			t = xasprintf("%s %s", ov[i].option && *ov[i].option ? ov[i].option : "--set",
				      ov[i].path);
			diag_error(d, t, "%s", err);
			free(t);
		}
		free(err);
	}
	return context;
}

/* Checks the sweep and takes its axes out of @root. */
static json_t *take_sweep(struct diag *d, json_t *root, struct scenario_set *set)
{
	json_t *sweep = json_object_get(root, "sweep"), *vals;
	const char *key;

	if (!sweep)
		return json_object();
	json_incref(sweep);
	json_object_del(root, "sweep");
	if (!json_is_object(sweep)) {
		diag_error(d, ".sweep", "object expected (parameter path: list of values), got %s",
			   json_kind(sweep));
		json_decref(sweep);
		return json_object();
	}
	set->axes = xcalloc(json_object_size(sweep), sizeof(*set->axes));
	json_object_foreach (sweep, key, vals) {
		char *p = xasprintf(".sweep[\"%s\"]", key);

		if (!json_is_array(vals))
			diag_error(d, p, "array of values expected, got %s", json_kind(vals));
		else if (json_array_size(vals) == 0)
			diag_error(d, p, "empty sweep: at least one value expected");
		else
			set->axes[set->nr_axes++] = xstrdup(key);
		free(p);
	}
	return sweep;
}

/*
 * Checks the figures and takes them out of @root, and the sweep axes that
 * would change them out of its sweep: every point is drawn by each figure.
 */
static void take_figures(struct diag *d, json_t *root, struct scenario_set *set)
{
	json_t *figs = json_incref(json_object_get(root, "figures"));
	json_t *sweep = json_object_get(root, "sweep"), *v;
	const char *key;
	void *tmp;

	json_object_del(root, "figures");
	figures_load(d, figs, &set->figures, &set->nr_figures);
	json_decref(figs);
	json_object_foreach_safe (json_is_object(sweep) ? sweep : NULL, tmp, key, v) {
		const char *axis = key + (key[0] == '.');

		if (strncmp(axis, "figures", 7) == 0 && strchr(".[", axis[7])) {
			char *p = xasprintf(".sweep[\"%s\"]", key);

			diag_error(d, p, "the figures cannot be swept (each draws every point)");
			json_object_del(sweep, key);
			free(p);
		}
	}
}

#define SWEEP_MAX_POINTS 100000

/* The number of points, or 0 after an error if there are too many. */
static unsigned sweep_point_count(struct diag *d, json_t *sweep, const struct scenario_set *set)
{
	double n = 1;

	for (unsigned a = 0; a < set->nr_axes; a++)
		n *= (double)json_array_size(json_object_get(sweep, set->axes[a]));
	if (n > SWEEP_MAX_POINTS) {
		diag_error(d, ".sweep", "%.15g points (the product of the axis lengths) out of range [1, %d]",
			   n, SWEEP_MAX_POINTS);
		return 0;
	}
	return (unsigned)n;
}

/* Point @idx: the first axis varies slowest. */
static json_t *sweep_point(struct diag *d, json_t *base, json_t *sweep,
			   const struct scenario_set *set, unsigned idx, json_t **swept)
{
	json_t *root = json_deep_copy(base);
	unsigned stride = 1;

	*swept = json_object();
	for (int a = (int)set->nr_axes - 1; a >= 0; a--) {
		json_t *vals = json_object_get(sweep, set->axes[a]);
		size_t n = json_array_size(vals);
		json_t *v = json_array_get(vals, (idx / stride) % n);
		char *err;

		stride *= (unsigned)n;
		json_object_set(*swept, set->axes[a], v);
		if (json_path_set(root, set->axes[a], json_deep_copy(v), &err) == 0 &&
		    json_object_get(root, "sweep")) { /* would be ignored */
			err = xstrdup("a sweep axis cannot change the sweep");
			json_object_del(root, "sweep");
		}
		if (err) {
			char *p = xasprintf(".sweep[\"%s\"]", set->axes[a]);

			diag_error(d, p, "%s", err);
			free(p);
			free(err);
		}
	}
	return root;
}

/* The swept values of a point, as JSON with the axes in file order. */
static char *sweep_point_text(const struct scenario_set *set, json_t *swept)
{
	json_t *ordered = json_object();
	char *s;

	for (unsigned a = 0; a < set->nr_axes; a++)
		json_object_set(ordered, set->axes[a], json_object_get(swept, set->axes[a]));
	s = json_dumps(ordered, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
	json_decref(ordered);
	return s;
}

/*
 * Keeps only what 'validate' and 'points' print of point @s: its id, name,
 * index and swept values. A 1e5-point sweep then holds a few MB, not 2 GB
 * of resolved parameters (malloc's work on them was most of the time too).
 */
static void scenario_slim(struct scenario *s)
{
	struct scenario keep = { .index = s->index, .swept = s->swept, .name = s->name };

	memcpy(keep.id, s->id, sizeof(keep.id));
	s->swept = NULL;
	s->name = NULL;
	scenario_release(s);
	*s = keep;
}

static void load_points(struct diag *d, json_t *root, json_t *sweep, struct scenario_set *set,
			const char *dir, const char *context, bool slim)
{
	struct loader L = { .diag = d, .dir = dir };

	set->nr_points = sweep_point_count(d, sweep, set);
	set->points = xcalloc(set->nr_points, sizeof(*set->points));
	for (unsigned i = 0; i < set->nr_points && d->n < DIAG_MAX; i++) {
		json_t *swept, *point = sweep_point(d, root, sweep, set, i, &swept);
		char *text = set->nr_axes ? sweep_point_text(set, swept) : NULL;

		d->context = context;
		d->point = text;
		d->axes = set->axes;
		d->nr_axes = set->nr_axes;
		d->points++;
		scenario_parse(&L, point, &set->points[i], set->path);
		set->points[i].swept = swept;
		set->points[i].index = i;
		if (slim && i > 0)
			scenario_slim(&set->points[i]);
		d->context = NULL;
		d->point = NULL;
		free(text);
		json_decref(point);
	}
}

static int point_id_cmp(const void *a, const void *b)
{
	const struct scenario *p = *(const struct scenario *const *)a;
	const struct scenario *q = *(const struct scenario *const *)b;
	int c = strcmp(p->id, q->id);

	return c ? c : p->index < q->index ? -1 : 1;
}

/*
 * Two points with one id would write one folder (and race there): a value
 * listed twice in a sweep, or two that resolve alike (1 and 1.0).
 */
static void check_distinct_points(struct diag *d, const struct scenario_set *set)
{
	const struct scenario **by_id = xcalloc(set->nr_points, sizeof(*by_id));

	for (unsigned i = 0; i < set->nr_points; i++)
		by_id[i] = &set->points[i];
	qsort(by_id, set->nr_points, sizeof(*by_id), point_id_cmp);
	for (unsigned i = 1; i < set->nr_points && d->n < DIAG_MAX; i++) {
		const struct scenario *p = by_id[i - 1], *q = by_id[i];
		char *a, *b;

		if (strcmp(p->id, q->id) != 0)
			continue;
		a = json_dumps(p->swept, JSON_COMPACT | JSON_SORT_KEYS);
		b = json_dumps(q->swept, JSON_COMPACT | JSON_SORT_KEYS);
		diag_error(d, ".sweep", "points %u %s and %u %s are one point (id %s): a value listed twice?",
			   p->index, a, q->index, b, p->id);
		free(a);
		free(b);
	}
	free(by_id);
}

/*
 * The values a sweep replaces must be valid too: the file is checked as the
 * point that keeps them (the first swept value where it has none), so that
 * "kernel": "9.9.9" under a sweep of the kernel is found before the sweep
 * is dropped. Only once every point is valid: an error there is then the
 * replaced value's.
 */
static void check_base(struct diag *d, json_t *root, json_t *sweep, struct scenario_set *set,
		       const char *dir, const char *context)
{
	struct loader L = { .diag = d, .dir = dir };
	json_t *base = json_deep_copy(root);
	struct scenario s = { 0 };
	char *note = NULL;

	for (unsigned a = 0; a < set->nr_axes; a++) {
		json_t *first = json_array_get(json_object_get(sweep, set->axes[a]), 0);
		char *err = NULL;

		if (json_path_get(root, set->axes[a]))
			note = note ? note : xstrdup(context ? context : "");
		else if (json_path_set(base, set->axes[a], json_deep_copy(first), &err))
			free(err); /* reported by the points */
	}
	if (note) {
		char *t = xasprintf("%s%sin the file, where the sweep replaces it", note,
				    *note ? "; " : "");

		d->context = t;
		d->point = NULL;
		scenario_parse(&L, base, &s, set->path);
		scenario_release(&s);
		d->context = NULL;
		free(t);
	}
	free(note);
	json_decref(base);
}

/* A parse error of @text, in jansson's words where they are clear. */
static void load_json_error(struct diag *d, const char *text, size_t len, const json_error_t *e)
{
	if (strspn(text, " \t\r\n") == len)
		diag_error_at(d, 0, 0, "empty file: a JSON object expected");
	else if (memchr(text, '\0', len)) /* jansson reads it as the end of the text */
		diag_error_at(d, 0, 0, "a NUL byte: JSON text expected, got binary data");
	/* jansson says "'}' expected" where a ',' is just as likely to be missing */
	else if (strncmp(e->text, "'}' expected", 12) == 0 || strncmp(e->text, "']' expected", 12) == 0)
		diag_error_at(d, e->line, e->column, "',' or %s", e->text);
	else
		diag_error_at(d, e->line, e->column, "%s", e->text);
}

static json_t *load_json(struct diag *d, const char *path, char sha[65])
{
	size_t len;
	char *err, *text = input_read(path, &len, &err);
	json_error_t e;
	json_t *root;

	if (!text) {
		diag_error_at(d, 0, 0, "cannot read the scenario: %s", err);
		free(err);
		return NULL;
	}
	sha256_hex(text, len, sha);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!root)
		load_json_error(d, text, len, &e);
	else if (!json_is_object(root))
		diag_error(d, "", "object expected, got %s", json_kind(root));
	free(text);
	return root;
}

static int scenario_load_as(struct scenario_set *set, const char *path,
			    const struct override *overrides, unsigned nr_overrides, long long seed,
			    bool slim)
{
	struct diag d;
	json_t *root, *sweep = NULL;
	int before;
	char *dir = xstrdup(path), *context = NULL;
	const char *where = dirname(dir); /* of the empirical files; may be "." */

	memset(set, 0, sizeof(*set));
	set->path = xstrdup(path);
	set->given_seed = seed;
	set->given_set = json_array();
	for (unsigned i = 0; i < nr_overrides; i++) /* a plan's own overrides have no option */
		if (!overrides[i].option || *overrides[i].option)
			json_array_append_new(set->given_set, json_sprintf("%s=%s", overrides[i].path,
									   overrides[i].value));
	diag_init(&d, set->path);
	root = load_json(&d, path, set->sha256);
	if (root && json_is_object(root)) {
		if (seed >= 0)
			json_object_set_new(root, "seed", json_integer(seed));
		context = apply_overrides(&d, root, overrides, nr_overrides);
		take_figures(&d, root, set);
		before = d.total; /* a failed --set or figure is left out; the rest is still checked */
		sweep = take_sweep(&d, root, set);
		if (d.total == before)
			load_points(&d, root, sweep, set, where, context, slim);
		if (d.total == 0 && set->nr_axes)
			check_base(&d, root, sweep, set, where, context);
		if (d.total == 0 && set->nr_axes)
			check_distinct_points(&d, set);
		if (set->nr_points)
			set->name = xstrdup(set->points[0].name ? set->points[0].name : "scenario");
	}
	json_decref(sweep);
	json_decref(root);
	free(dir);
	free(context);
	diag_print(&d);
	diag_release(&d);
	return d.total ? -1 : 0;
}

int scenario_load(struct scenario_set *set, const char *path, const struct override *overrides,
		  unsigned nr_overrides, long long seed)
{
	return scenario_load_as(set, path, overrides, nr_overrides, seed, false);
}

int scenario_load_ids(struct scenario_set *set, const char *path,
		      const struct override *overrides, unsigned nr_overrides, long long seed)
{
	return scenario_load_as(set, path, overrides, nr_overrides, seed, true);
}

void scenario_set_release(struct scenario_set *set)
{
	for (unsigned i = 0; i < set->nr_points; i++)
		scenario_release(&set->points[i]);
	for (unsigned a = 0; a < set->nr_axes; a++)
		free(set->axes[a]);
	free(set->axes);
	free(set->points);
	figures_free(set->figures, set->nr_figures);
	free(set->name);
	free(set->path);
	json_decref(set->given_set);
}
