/*
 * scenario.c - scenario files to resolved sweep points (see scenario.h).
 *
 * The json_t tree stays in this file: values are copied out into the model
 * config structs (through their parameter tables, params.c) and the tree is
 * released before anything runs.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/params.h"
#include "sim/scenario.h"
#include "sim/sha256.h"
#include "sim/util.h"

/* ---- paths: "disk.service_ms", "threads.B.loop[1].hold_us" ---------------- */

struct path_step {
	char *key; /* NULL for an index */
	size_t index;
};

/* Splits @path into steps; returns the count, or -1 if malformed. */
static int path_parse(const char *path, struct path_step *steps, int max)
{
	int n = 0;
	const char *s = path;

	while (*s && n < max) {
		size_t len = strcspn(s, ".[");

		if (len == 0 && *s != '[')
			return -1;
		if (len) {
			steps[n++] = (struct path_step){ .key = strndup(s, len) };
			s += len;
		}
		while (*s == '[' && n < max) {
			char *end;
			unsigned long i = strtoul(s + 1, &end, 10);

			if (end == s + 1 || *end != ']')
				return -1;
			steps[n++] = (struct path_step){ .key = NULL, .index = i };
			s = end + 1;
		}
		if (*s == '.')
			s++;
		else if (*s)
			return -1;
	}
	return *s ? -1 : n;
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

/* "threads.G..." with no top-level "threads": the group G of any process. */
static json_t *path_find_group(json_t *root, const char *group)
{
	size_t i;
	json_t *proc;

	json_array_foreach (json_object_get(root, "processes"), i, proc) {
		json_t *g = array_find_named(json_object_get(proc, "threads"), group);

		if (g)
			return g;
	}
	return NULL;
}

static json_t *path_step_into(json_t *cur, const struct path_step *st, char **error)
{
	json_t *next;

	if (!st->key) {
		next = json_array_get(cur, st->index);
		if (!next)
			*error = xasprintf("no element [%zu] here", st->index);
		return next;
	}
	if (json_is_array(cur)) {
		next = array_find_named(cur, st->key);
		if (!next)
			*error = xasprintf("no element named '%s' here", st->key);
		return next;
	}
	if (!json_is_object(cur)) {
		*error = xasprintf("'%s' is inside a %s", st->key, json_kind(cur));
		return NULL;
	}
	next = json_object_get(cur, st->key);
	if (!next) { /* an absent section: create it, its defaults apply */
		next = json_object();
		json_object_set_new(cur, st->key, next);
	}
	return next;
}

int json_path_set(json_t *root, const char *path, json_t *value, char **error)
{
	struct path_step steps[32];
	int n = path_parse(path, steps, 32), i = 0, rc = -1;
	json_t *cur = root;

	*error = NULL;
	if (n <= 0) {
		*error = xasprintf("malformed path '%s'", path);
		goto out;
	}
	if (n >= 3 && steps[0].key && strcmp(steps[0].key, "threads") == 0 &&
	    !json_object_get(root, "threads") && steps[1].key) {
		cur = path_find_group(root, steps[1].key);
		if (!cur) {
			*error = xasprintf("no thread group '%s'", steps[1].key);
			goto out;
		}
		i = 2;
	}
	for (; i < n - 1 && cur; i++)
		cur = path_step_into(cur, &steps[i], error);
	if (!cur)
		goto out;
	if (steps[n - 1].key && json_is_object(cur))
		rc = json_object_set(cur, steps[n - 1].key, value);
	else if (!steps[n - 1].key && json_is_array(cur) && steps[n - 1].index < json_array_size(cur))
		rc = json_array_set(cur, steps[n - 1].index, value);
	if (rc)
		*error = xasprintf("cannot set '%s' here", path);
out:
	json_decref(value);
	for (int k = 0; k < n; k++)
		free(steps[k].key);
	return rc ? -1 : 0;
}

/* ---- one point --------------------------------------------------------- */

struct loader {
	struct diag *diag;
	const char *dir;
};

static bool name_ok(struct diag *d, json_t *v, const char *path)
{
	const char *s = json_string_value(v);

	if (!s) {
		diag_error(d, path, "string expected, got %s", v ? json_kind(v) : "nothing");
		return false;
	}
	for (const char *p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') {
			diag_error(d, path, "name '%s' may hold only letters, digits, '_' and '-'", s);
			return false;
		}
	}
	if (!*s)
		diag_error(d, path, "empty name");
	return *s != '\0';
}

/* An array member that must be an array (possibly empty), else an error. */
static json_t *want_array(struct diag *d, json_t *obj, const char *key, const char *path,
			  bool required)
{
	json_t *v = json_object_get(obj, key);

	if (!v && !required)
		return NULL;
	if (!json_is_array(v)) {
		if (v)
			diag_error(d, path, "array expected for '%s', got %s", key, json_kind(v));
		else
			diag_error(d, path, "missing key '%s'", key);
		return NULL;
	}
	return v;
}

static void check_keys(struct diag *d, json_t *obj, const char *path, const char *const *keys)
{
	const char *key;
	json_t *v;

	json_object_foreach (obj, key, v) {
		int i;

		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i]) {
			char *list = params_key_list(NULL, keys);

			diag_error(d, path, "unknown key '%s' (expected: %s)", key, list);
			free(list);
		}
	}
}

static void load_op(struct loader *L, json_t *o, const char *path, struct op_config *op,
		    const struct process_config *proc)
{
	static const char *const extra[] = { "op", NULL };
	const char *names[64];
	struct params_ctx c = { .diag = L->diag, .dir = L->dir, .names = names,
				.name_kind = "mapping" };
	const struct thread_op *top;
	const char *opname = json_string_value(json_object_get(o, "op"));

	for (unsigned i = 0; i < proc->nr_maps && i < 64; i++)
		names[c.nr_names++] = proc->maps[i].name;
	if (!json_is_object(o)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(o));
		return;
	}
	if (!opname) {
		diag_error(L->diag, path, "missing key 'op' (a string: think, sleep, fault, mmap, munmap, proc_read)");
		return;
	}
	top = thread_op_find(opname, &op->op);
	if (!top) {
		char *p = xasprintf("%s.op", path);

		diag_error(L->diag, p, "unknown operation '%s' (expected: think, sleep, fault, mmap, munmap, proc_read)", opname);
		free(p);
		return;
	}
	params_load(&c, o, path, top->params, op, extra, true);
}

static void load_group(struct loader *L, json_t *g, const char *path,
		       struct thread_group_config *grp, const struct process_config *proc)
{
	static const char *const keys[] = { "name", "count", "loop", NULL };
	json_t *loop, *count = json_object_get(g, "count"), *el;
	size_t i;

	check_keys(L->diag, g, path, keys);
	if (name_ok(L->diag, json_object_get(g, "name"), path))
		grp->name = xstrdup(json_string_value(json_object_get(g, "name")));
	grp->count = 1;
	if (count && (!json_is_integer(count) || json_integer_value(count) < 0 ||
		      json_integer_value(count) > 100000)) {
		char *p = xasprintf("%s.count", path);

		diag_error(L->diag, p, "whole number in [0, 100000] expected, got %s",
			   json_is_number(count) ? "another number" : json_kind(count));
		free(p);
	} else if (count) {
		grp->count = (unsigned)json_integer_value(count);
	}
	loop = want_array(L->diag, g, "loop", path, true);
	if (loop && json_array_size(loop) == 0)
		diag_error(L->diag, path, "'loop' needs at least one operation");
	grp->nr_ops = (unsigned)json_array_size(loop);
	grp->loop = xcalloc(grp->nr_ops, sizeof(*grp->loop));
	json_array_foreach (loop, i, el) {
		char *p = xasprintf("%s.loop[%zu]", path, i);

		load_op(L, el, p, &grp->loop[i], proc);
		free(p);
	}
}

static void load_mapping(struct loader *L, json_t *m, const char *path, struct mapping_config *mc)
{
	static const char *const extra[] = { "name", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };

	if (!json_is_object(m)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(m));
		return;
	}
	if (name_ok(L->diag, json_object_get(m, "name"), path))
		mc->name = xstrdup(json_string_value(json_object_get(m, "name")));
	params_load(&c, m, path, mapping_params, mc, extra, true);
}

static void load_process(struct loader *L, json_t *p, const char *path,
			 struct process_config *pc)
{
	static const char *const keys[] = { "name", "mappings", "threads", NULL };
	json_t *maps, *groups, *el;
	size_t i;

	if (!json_is_object(p)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(p));
		return;
	}
	check_keys(L->diag, p, path, keys);
	if (name_ok(L->diag, json_object_get(p, "name"), path))
		pc->name = xstrdup(json_string_value(json_object_get(p, "name")));
	maps = want_array(L->diag, p, "mappings", path, false);
	pc->nr_maps = (unsigned)json_array_size(maps);
	pc->maps = xcalloc(pc->nr_maps, sizeof(*pc->maps));
	json_array_foreach (maps, i, el) {
		char *mp = xasprintf("%s.mappings[%zu]", path, i);

		load_mapping(L, el, mp, &pc->maps[i]);
		for (size_t j = 0; j < i; j++)
			if (pc->maps[i].name && pc->maps[j].name &&
			    strcmp(pc->maps[i].name, pc->maps[j].name) == 0)
				diag_error(L->diag, mp, "mapping name '%s' used twice", pc->maps[i].name);
		free(mp);
	}
	groups = want_array(L->diag, p, "threads", path, true);
	if (groups && json_array_size(groups) == 0)
		diag_error(L->diag, path, "'threads' needs at least one thread group");
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

/* Group names are unique across processes, process names across the scenario. */
static void check_unique_names(struct diag *d, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned q = 0; q < p; q++)
			if (s->procs[p].name && s->procs[q].name &&
			    strcmp(s->procs[p].name, s->procs[q].name) == 0)
				diag_error(d, ".processes", "process name '%s' used twice",
					   s->procs[p].name);
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++) {
			const char *name = s->procs[p].groups[g].name;

			for (unsigned q = 0; q <= p && name; q++)
				for (unsigned h = 0; h < (q == p ? g : s->procs[q].nr_groups); h++)
					if (s->procs[q].groups[h].name &&
					    strcmp(name, s->procs[q].groups[h].name) == 0)
						diag_error(d, ".processes", "thread group name '%s' used twice", name);
		}
	}
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
	const struct kernel_profile *prof;

	if (!json_is_string(k)) {
		diag_error(L->diag, k ? ".kernel" : ".", k ? "string expected, got %s" : "missing key 'kernel'%s",
			   k ? json_kind(k) : "");
		return;
	}
	s->kernel = xstrdup(json_string_value(k));
	prof = kernel_profile_find(s->kernel);
	if (!prof) {
		diag_error(L->diag, ".kernel", "unknown kernel profile '%s' (see 'mmsim list')", s->kernel);
		return;
	}
	s->features = prof->features;
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
		diag_error(d, ".", "missing key '%s'", key);
	else if (v && !json_is_number(v))
		diag_error(d, path, "number expected, got %s", json_kind(v));
	else if (v && !(json_number_value(v) >= lo && json_number_value(v) <= hi))
		diag_error(d, path, "%g out of range [%g, %g]", json_number_value(v), lo, hi);
	else if (v)
		x = json_number_value(v);
	free(path);
	return x;
}

static void load_top(struct loader *L, json_t *root, struct scenario *s, const char *file)
{
	json_t *v = json_object_get(root, "name");
	char *base = xstrdup(file), *dot;

	if (v && name_ok(L->diag, v, ".name")) {
		s->name = xstrdup(json_string_value(v));
	} else if (!v) {
		s->name = xstrdup(basename(base));
		if ((dot = strrchr(s->name, '.')))
			*dot = '\0';
	}
	free(base);
	v = json_object_get(root, "description");
	if (v && !json_is_string(v))
		diag_error(L->diag, ".description", "string expected, got %s", json_kind(v));
	s->description = xstrdup(json_is_string(v) ? json_string_value(v) : "");
	s->duration_s = load_number(L->diag, root, "duration_s", -1, 1e-6, 1e7);
	s->warmup_s = load_number(L->diag, root, "warmup_s", 0, 0, 1e7);
	if (s->warmup_s >= s->duration_s && s->duration_s > 0)
		diag_error(L->diag, ".warmup_s", "%g not below duration_s %g", s->warmup_s, s->duration_s);
	v = json_object_get(root, "seed");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  json_integer_value(v) > 0xffffffffLL))
		diag_error(L->diag, ".seed", "whole number in [0, 4294967295] expected");
	s->seed = v && json_is_integer(v) ? (unsigned long)json_integer_value(v) : 1;
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
			json_array_append_new(maps, o);
		}
		for (unsigned g = 0; g < pc->nr_groups; g++) {
			const struct thread_group_config *tg = &pc->groups[g];
			json_t *loop = json_array();

			for (unsigned i = 0; i < tg->nr_ops; i++) {
				const struct thread_op *op = &thread_ops[tg->loop[i].op];
				json_t *o = params_dump(op->params, &tg->loop[i]);

				json_object_set_new(o, "op", json_string(op->name));
				if (json_object_get(o, "mapping"))
					json_object_set_new(o, "mapping", json_string(pc->maps[tg->loop[i].mapping].name));
				json_array_append_new(loop, o);
			}
			json_array_append_new(groups, json_pack("{ss si so}", "name", tg->name, "count",
								(json_int_t)tg->count, "loop", loop));
		}
		json_array_append_new(procs, json_pack("{ss so so}", "name", pc->name, "mappings", maps,
						       "threads", groups));
	}
	return procs;
}

static json_t *scenario_dump(const struct scenario *s)
{
	return json_pack("{ss ss sf sf sI ss so so so so}", "name", s->name, "description",
			 s->description, "duration_s", s->duration_s, "warmup_s", s->warmup_s, "seed",
			 (json_int_t)s->seed, "kernel", s->kernel, "features",
			 params_dump(kernel_feature_params, &s->features), "machine",
			 params_dump(machine_params, &s->machine), "disk",
			 params_dump(disk_params, &s->disk), "processes", scenario_dump_processes(s));
}

static void scenario_release(struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++) {
		struct process_config *pc = &s->procs[p];

		for (unsigned m = 0; m < pc->nr_maps; m++)
			free((char *)pc->maps[m].name);
		for (unsigned g = 0; g < pc->nr_groups; g++) {
			for (unsigned i = 0; i < pc->groups[g].nr_ops; i++)
				params_release(thread_ops[pc->groups[g].loop[i].op].params,
					       &pc->groups[g].loop[i]);
			free(pc->groups[g].loop);
			free((char *)pc->groups[g].name);
		}
		free(pc->maps);
		free(pc->groups);
		free(pc->name);
	}
	params_release(machine_params, &s->machine);
	params_release(disk_params, &s->disk);
	free(s->procs);
	free(s->name);
	free(s->description);
	free(s->kernel);
	json_decref(s->resolved);
	json_decref(s->swept);
}

/* Reads one point's JSON into @s; errors go to L->diag. */
static void scenario_parse(struct loader *L, json_t *root, struct scenario *s, const char *file)
{
	static const char *const keys[] = { "name", "description", "duration_s", "warmup_s", "seed",
					    "kernel", "features", "machine", "disk", "processes",
					    "sweep", NULL };
	json_t *procs, *el;
	size_t i;
	int before = L->diag->total;

	check_keys(L->diag, root, ".", keys);
	load_top(L, root, s, file);
	load_kernel(L, root, s);
	load_section(L, root, "machine", machine_params, &s->machine);
	load_section(L, root, "disk", disk_params, &s->disk);
	procs = want_array(L->diag, root, "processes", ".", true);
	if (procs && json_array_size(procs) == 0)
		diag_error(L->diag, ".processes", "at least one process expected");
	s->nr_procs = (unsigned)json_array_size(procs);
	s->procs = xcalloc(s->nr_procs, sizeof(*s->procs));
	json_array_foreach (procs, i, el) {
		char *p = xasprintf(".processes[%zu]", i);

		load_process(L, el, p, &s->procs[i]);
		s->nr_groups += s->procs[i].nr_groups;
		free(p);
	}
	check_unique_names(L->diag, s);
	if (L->diag->total == before && s->kernel && kernel_profile_find(s->kernel)) {
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

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap)
			buf = xrealloc(buf, (cap = cap ? 2 * cap : 65536) + 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static json_t *override_value(const char *text)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

	return v ? v : json_string(text); /* a bare word: a string */
}

static void apply_overrides(struct diag *d, json_t *root, const struct override *ov, unsigned n)
{
	json_t *sweep = json_object_get(root, "sweep");

	for (unsigned i = 0; i < n; i++) {
		char *err;

		if (json_is_object(sweep))
			json_object_del(sweep, ov[i].path);
		if (json_path_set(root, ov[i].path, override_value(ov[i].value), &err)) {
			diag_error(d, ov[i].path, "--set: %s", err);
			free(err);
		}
	}
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

static unsigned sweep_point_count(json_t *sweep, const struct scenario_set *set)
{
	unsigned n = 1;

	for (unsigned a = 0; a < set->nr_axes; a++)
		n *= (unsigned)json_array_size(json_object_get(sweep, set->axes[a]));
	return n;
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
		if (json_path_set(root, set->axes[a], json_deep_copy(v), &err)) {
			char *p = xasprintf(".sweep[\"%s\"]", set->axes[a]);

			diag_error(d, p, "%s", err);
			free(p);
			free(err);
		}
	}
	return root;
}

static char *sweep_context(json_t *swept)
{
	char *s = json_dumps(swept, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
	char *c = xasprintf("in sweep point %s", s);

	free(s);
	return c;
}

static void load_points(struct diag *d, json_t *root, json_t *sweep, struct scenario_set *set,
			const char *dir)
{
	struct loader L = { .diag = d, .dir = dir };

	set->nr_points = sweep_point_count(sweep, set);
	set->points = xcalloc(set->nr_points, sizeof(*set->points));
	for (unsigned i = 0; i < set->nr_points && d->n < DIAG_MAX; i++) {
		json_t *swept, *point = sweep_point(d, root, sweep, set, i, &swept);
		char *ctx = set->nr_axes ? sweep_context(swept) : NULL;

		d->context = ctx;
		scenario_parse(&L, point, &set->points[i], set->path);
		set->points[i].swept = swept;
		d->context = NULL;
		free(ctx);
		json_decref(point);
	}
}

static json_t *load_json(struct diag *d, const char *path, char sha[65])
{
	size_t len;
	char *text = read_file(path, &len);
	json_error_t e;
	json_t *root;

	if (!text) {
		diag_error_at(d, 0, 0, "cannot read the scenario: %s", strerror(errno));
		return NULL;
	}
	sha256_hex(text, len, sha);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	free(text);
	if (!root)
		diag_error_at(d, e.line, e.column, "%s", e.text);
	else if (!json_is_object(root))
		diag_error(d, ".", "object expected, got %s", json_kind(root));
	return root;
}

int scenario_load(struct scenario_set *set, const char *path, const struct override *overrides,
		  unsigned nr_overrides, long long seed)
{
	struct diag d;
	json_t *root, *sweep = NULL;
	char *dir = xstrdup(path);

	memset(set, 0, sizeof(*set));
	set->path = xstrdup(path);
	diag_init(&d, set->path);
	root = load_json(&d, path, set->sha256);
	if (root && json_is_object(root)) {
		if (seed >= 0)
			json_object_set_new(root, "seed", json_integer(seed));
		apply_overrides(&d, root, overrides, nr_overrides);
		sweep = take_sweep(&d, root, set);
		if (d.total == 0)
			load_points(&d, root, sweep, set, dirname(dir));
		if (set->nr_points)
			set->name = xstrdup(set->points[0].name ? set->points[0].name : "scenario");
	}
	json_decref(sweep);
	json_decref(root);
	free(dir);
	diag_print(&d);
	diag_release(&d);
	return d.total ? -1 : 0;
}

void scenario_set_release(struct scenario_set *set)
{
	for (unsigned i = 0; i < set->nr_points; i++)
		scenario_release(&set->points[i]);
	for (unsigned a = 0; a < set->nr_axes; a++)
		free(set->axes[a]);
	free(set->axes);
	free(set->points);
	free(set->name);
	free(set->path);
}
