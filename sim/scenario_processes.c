/*
 * scenario_processes.c - the "processes" of a scenario (see
 * scenario_impl.h): each with its mappings and thread groups, whose loops
 * are lists of operations. Loaded, dumped and released here.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

/* The operation named by the "op" of @o (at @path), or NULL after an error. */
static const struct thread_op *load_op_kind(struct diag *d, json_t *o, const char *path, int *index)
{
	json_t *v = json_object_get(o, "op");
	const struct thread_op *top = NULL;
	char *list, *p;

	if (json_is_string(v) && (top = thread_op_find(json_string_value(v), index)))
		return top;
	list = scenario_table_names(thread_ops, sizeof(*thread_ops));
	p = xasprintf("%s.op", path);
	if (!v)
		diag_error(d, path, "missing key 'op' (expected one of: %s)", list);
	else if (!json_is_string(v))
		diag_error(d, p, "string expected, got %s", json_kind(v));
	else
		diag_error(d, p, "unknown operation '%s' (expected: %s)", json_string_value(v),
		           list);
	free(p);
	free(list);
	return NULL;
}

/* Whether op @top of @o reads another process than its own (a "process" not null). */
static bool op_reads_other(const struct thread_op *top, json_t *o)
{
	json_t *v = json_object_get(o, "process");

	for (const struct param *p = top->params; v && !json_is_null(v) && p->key; p++)
		if (strcmp(p->key, "process") == 0)
			return true;
	return false;
}

static void load_op(struct scenario_loader *L, json_t *o, const char *path, struct op_config *op,
                    const struct process_config *proc)
{
	static const char *const extra[] = { "op", NULL };
	const char **names;
	const struct thread_op *top;
	struct param *table;
	json_t *merged; /* the op's keys over the scenario's op_defaults */

	if (!json_is_object(o)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(o));
		return;
	}
	if (!(top = load_op_kind(L->diag, o, path, &op->op)))
		return;
	if (op_reads_other(top, o)) { /* its process and mapping: once every process has loaded */
		o = json_copy(o);
		json_object_del(o, "process");
		json_object_del(o, "mapping");
	} else {
		json_incref(o);
	}
	names = xcalloc(proc->nr_maps, sizeof(*names));
	for (unsigned i = 0; i < proc->nr_maps; i++)
		names[i] = proc->maps[i].name; /* NULL if invalid: matches nothing */
	table = params_join(top->params, op_common_params);
	merged = scenario_op_with_defaults(L, o, top->name);
	json_decref(o);
	params_load(&(struct params_ctx){ .diag = L->diag,
	                                  .dir = L->dir,
	                                  .names = names,
	                                  .nr_names = proc->nr_maps,
	                                  .name_kind = "mapping" },
	            merged, path, table, op, extra, true);
	json_decref(merged);
	free(table);
	free(names);
}

/* A name (@key of @o) resolved in @names, as a missing key leaves it (@field: an int). */
static void load_op_name(struct scenario_loader *L, json_t *o, const char *path, const char *key,
                         const char *const *names, unsigned nr_names, const char *kind, int *field)
{
	const struct param name_param[] = {
		{ key, PARAM_NAME, 0, 0, 0, NULL, kind, NULL, false },
		{ .key = NULL },
	};
	json_t *only = json_object();

	if (json_object_get(o, key))
		json_object_set(only, key, json_object_get(o, key));
	params_load(&(struct params_ctx){ .diag = L->diag,
	                                  .dir = L->dir,
	                                  .names = names,
	                                  .nr_names = nr_names,
	                                  .name_kind = kind },
	            only, path, name_param, field, NULL, false);
	json_decref(only);
}

/*
 * The "process" of proc_read op @o (@op) among the scenario's, and its
 * "mapping" among that process's mappings, once every process has loaded
 * (it may read a process listed after its own).
 */
static void load_op_target(struct scenario_loader *L, json_t *o, const char *path,
                           struct op_config *op, const struct scenario *s)
{
	const char **names = xcalloc(s->nr_procs, sizeof(*names));
	const char *given = json_string_value(json_object_get(o, "process"));
	const struct process_config *target;

	for (unsigned i = 0; i < s->nr_procs; i++)
		names[i] = s->procs[i].name; /* NULL if invalid: matches nothing */
	op->process = -1;
	load_op_name(L, o, path, "process", names, s->nr_procs, "process", &op->process);
	free(names);
	/* an unknown process (reported): its mapping cannot be judged */
	if (op->process < 0 || (unsigned)op->process >= s->nr_procs || !given ||
	    !s->procs[op->process].name || strcmp(s->procs[op->process].name, given) != 0)
		return;
	target = &s->procs[op->process];
	names = xcalloc(target->nr_maps, sizeof(*names));
	for (unsigned i = 0; i < target->nr_maps; i++)
		names[i] = target->maps[i].name;
	load_op_name(L, o, path, "mapping", names, target->nr_maps, "mapping", &op->mapping);
	free(names);
}

/* The ops of every loop that read another process: their process and mapping. */
static void load_op_targets(struct scenario_loader *L, json_t *procs, struct scenario *s)
{
	json_t *el, *g, *o;
	size_t i, j, k;

	json_array_foreach (procs, i, el) {
		json_array_foreach (json_object_get(el, "threads"), j, g) {
			json_array_foreach (json_object_get(g, "loop"), k, o) {
				struct thread_group_config *grp;
				char *path;

				if (i >= s->nr_procs || j >= s->procs[i].nr_groups)
					continue;
				grp = &s->procs[i].groups[j];
				if (k >= grp->nr_ops || !json_is_object(o) ||
				    !op_reads_other(&thread_ops[grp->loop[k].op], o))
					continue;
				path = xasprintf(".processes[%zu].threads[%zu].loop[%zu]", i, j, k);
				load_op_target(L, o, path, &grp->loop[k], s);
				free(path);
			}
		}
	}
}

/* clang-format off */
#define F(x) offsetof(struct thread_group_config, x)
const struct param thread_group_params[] = {
	{ "count",           PARAM_UINT, F(count),           0, 100000, "1",     "threads running the loop (0: none, e.g. a swept-off group); with interarrival_us: arrival streams", NULL, false },
	{ "interarrival_us", PARAM_DIST, F(interarrival_us), 0, 1e12,   "0",     "an open group: a job arrives this often (per stream), runs the loop once and leaves; 0: threads loop forever", NULL, false },
	{ "max_jobs",        PARAM_UINT, F(max_jobs),        1, 1e6,    "10000", "an open group: jobs of a stream in the system at once; later arrivals are dropped (threads.<group>.dropped)", NULL, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */

static void load_group(struct scenario_loader *L, json_t *g, const char *path,
                       struct thread_group_config *grp, const struct process_config *proc)
{
	static const char *const extra[] = { "name", "loop", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	const char *name = scenario_name_get(L->diag, g, path);
	json_t *loop, *el;
	size_t i;

	if (name)
		grp->name = xstrdup(name);
	grp->count = 1; /* if invalid: reported, and not taken for a group switched off */
	params_load(&c, g, path, thread_group_params, grp, extra, true);
	loop = scenario_want_list(L->diag, g, "loop", path, "operation");
	grp->nr_ops = (unsigned)json_array_size(loop);
	grp->loop = xcalloc(grp->nr_ops, sizeof(*grp->loop));
	json_array_foreach (loop, i, el) {
		char *p = xasprintf("%s.loop[%zu]", path, i);

		load_op(L, el, p, &grp->loop[i], proc);
		if (i == 0 && grp->loop[0].otherwise)
			diag_error(
			        L->diag, p,
			        "'otherwise' on the first op of a loop: there is no op before it");
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
		{ "device", "file", "anonymous memory lies on no device: swap names its own" },
		{ "swapped_fraction", "anon",
		  "file pages are read back from their file, not from swap" },
	};

	for (size_t i = 0; i < sizeof(only) / sizeof(*only); i++) {
		char *p;

		if (!json_object_get(m, only[i].key) || strcmp(only[i].kind, kind) == 0)
			continue;
		p = xasprintf("%s.%s", path, only[i].key);
		diag_error(d, p,
		           "key '%s' applies to mappings of type '%s' only, got type '%s' (%s)",
		           only[i].key, only[i].kind, kind, only[i].why);
		free(p);
	}
}

/* The device named by file mapping @m's "device": named device i as i + 1; 0, the disk, if none. */
static unsigned load_mapping_device(struct scenario_loader *L, json_t *m, const char *path,
                                    const struct scenario *s)
{
	static const struct param device_param[] = {
		{ "device", PARAM_NAME, 0, 0, 0, NULL, "the named device the file lies on", NULL,
		  false },
		{ .key = NULL },
	};
	json_t *v = json_object_get(m, "device"), *only = json_object();
	int index = -1;

	if (!v) {
		json_decref(only);
		return 0;
	}
	json_object_set(only, "device", v); /* the mapping's other keys are loaded already */
	/* "unknown device 'x', did you mean 'y'? (expected: ...)", as for cgroups */
	params_load(&(struct params_ctx){ .diag = L->diag,
	                                  .dir = L->dir,
	                                  .names = (const char *const *)s->device_names,
	                                  .nr_names = s->nr_devices,
	                                  .name_kind = "device" },
	            only, path, device_param, &index, NULL, false);
	json_decref(only);
	return index >= 0 && (unsigned)index < s->nr_devices ? (unsigned)index + 1 : 0;
}

static void load_mapping(struct scenario_loader *L, json_t *m, const char *path,
                         struct mapping_config *mc, const struct scenario *s)
{
	static const char *const extra[] = { "name", "file", "device", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	const char *name, *file = NULL, *type;

	if (!json_is_object(m)) {
		diag_error(L->diag, path, "object expected, got %s", json_kind(m));
		return;
	}
	if ((name = scenario_name_get(L->diag, m, path)))
		mc->name = xstrdup(name);
	if (json_object_get(m, "file") && (file = scenario_name_at(L->diag, m, path, "file")))
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
	} else {
		mc->device = load_mapping_device(L, m, path, s);
	}
}

static void load_mappings(struct scenario_loader *L, json_t *p, const char *path,
                          struct process_config *pc, const struct scenario *s)
{
	json_t *maps = scenario_want_array(L->diag, p, "mappings", path, false), *el;
	size_t i;

	pc->nr_maps = (unsigned)json_array_size(maps);
	pc->maps = xcalloc(pc->nr_maps, sizeof(*pc->maps));
	json_array_foreach (maps, i, el) {
		char *mp = xasprintf("%s.mappings[%zu]", path, i);

		load_mapping(L, el, mp, &pc->maps[i], s);
		for (size_t j = 0; j < i && pc->maps[i].name; j++) {
			if (pc->maps[j].name && strcmp(pc->maps[i].name, pc->maps[j].name) == 0) {
				char *np = xasprintf("%s.name", mp);

				diag_error(L->diag, np,
				           "mapping name '%s' already used by %s.mappings[%zu]",
				           pc->maps[i].name, path, j);
				free(np);
			}
		}
		free(mp);
	}
}

/* The index of the cgroup named by @p's "cgroup", or -1. */
static int load_process_cgroup(struct scenario_loader *L, json_t *p, const char *path,
                               const struct scenario *s)
{
	static const struct param cgroup_param[] = {
		{ "cgroup", PARAM_NAME, 0, 0, 0, NULL, "the memory cgroup of the process", NULL,
		  false },
		{ .key = NULL },
	};
	static const char *const others[] = { "name", "count", "mappings", "threads", NULL };
	json_t *v = json_object_get(p, "cgroup");
	const char **names;
	int index = -1; /* after an error, 0: nothing runs then */

	if (!v)
		return -1;
	if (json_is_string(v) && !*json_string_value(v)) {
		/* "cgroup name expected, got an empty string" */
		scenario_name_at(L->diag, p, path, "cgroup");
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
	params_load(&(struct params_ctx){ .diag = L->diag,
	                                  .dir = L->dir,
	                                  .names = names,
	                                  .nr_names = s->nr_cgroups,
	                                  .name_kind = "cgroup" },
	            p, path, cgroup_param, &index, others, false);
	free(names);
	return index;
}

static void load_process(struct scenario_loader *L, json_t *p, const char *path,
                         struct process_config *pc, const struct scenario *s)
{
	static const struct param count_param[] = {
		{ "count", PARAM_UINT, offsetof(struct process_config, count), 1, 10000, "1",
		  "identical processes, each with its own mm (make -j N)", NULL, false },
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
	if ((name = scenario_name_get(L->diag, p, path)))
		pc->name = xstrdup(name);
	pc->cgroup = load_process_cgroup(L, p, path, s);
	params_load(&c, p, path, count_param, pc, count_extra, true); /* also: unknown keys */
	load_mappings(L, p, path, pc, s);
	groups = scenario_want_list(L->diag, p, "threads", path, "thread group");
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

void scenario_load_processes(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	json_t *procs = scenario_want_list(L->diag, root, "processes", "", "process"), *el;
	size_t i;

	s->nr_procs = (unsigned)json_array_size(procs);
	s->procs = xcalloc(s->nr_procs, sizeof(*s->procs));
	json_array_foreach (procs, i, el) {
		char *p = xasprintf(".processes[%zu]", i);

		load_process(L, el, p, &s->procs[i], s);
		s->nr_groups += s->procs[i].nr_groups;
		free(p);
	}
	load_op_targets(L, procs, s);
}

static json_t *dump_mappings(const struct process_config *pc, const struct scenario *s)
{
	json_t *maps = json_array();

	for (unsigned m = 0; m < pc->nr_maps; m++) {
		json_t *o = params_dump(mapping_params, &pc->maps[m]);

		json_object_set_new(o, "name", json_string(pc->maps[m].name));
		if (pc->maps[m].file)
			json_object_set_new(o, "file", json_string(pc->maps[m].file));
		if (pc->maps[m].device) /* absent on the disk: the ids of the points before it */
			json_object_set_new(o, "device",
			                    json_string(s->device_names[pc->maps[m].device - 1]));
		json_array_append_new(maps, o);
	}
	return maps;
}

/* Group @tg of process @pc: its loop names the mappings of @pc (of the process a proc_read reads). */
static json_t *dump_group(const struct scenario *s, const struct process_config *pc,
                          const struct thread_group_config *tg)
{
	json_t *loop = json_array(), *go;

	for (unsigned i = 0; i < tg->nr_ops; i++) {
		const struct thread_op *op = &thread_ops[tg->loop[i].op];
		struct param *table = params_join(op->params, op_common_params);
		json_t *o = params_dump(table, &tg->loop[i]);
		const struct process_config *mp = pc; /* the process whose mappings it names */

		free(table);
		json_object_set_new(o, "op", json_string(op->name));
		if (json_object_get(o, "process")) { /* present: not its own (omit_default) */
			mp = &s->procs[tg->loop[i].process];
			json_object_set_new(o, "process", json_string(mp->name));
		}
		if (json_object_get(o, "mapping") && tg->loop[i].mapping >= 0)
			json_object_set_new(o, "mapping",
			                    json_string(mp->maps[tg->loop[i].mapping].name));
		else if (json_object_get(o, "mapping"))
			json_object_set_new(o, "mapping", json_null());
		json_array_append_new(loop, o);
	}
	go = params_dump(thread_group_params, tg);
	json_object_set_new(go, "name", json_string(tg->name));
	json_object_set_new(go, "loop", loop);
	return go;
}

json_t *scenario_dump_processes(const struct scenario *s)
{
	json_t *procs = json_array();

	for (unsigned p = 0; p < s->nr_procs; p++) {
		const struct process_config *pc = &s->procs[p];
		json_t *maps = dump_mappings(pc, s), *groups = json_array(), *proc;

		for (unsigned g = 0; g < pc->nr_groups; g++)
			json_array_append_new(groups, dump_group(s, pc, &pc->groups[g]));
		proc = json_pack("{ss si so so}", "name", pc->name, "count", (json_int_t)pc->count,
		                 "mappings", maps, "threads", groups);
		if (pc->cgroup >= 0)
			json_object_set_new(proc, "cgroup",
			                    json_string(s->cgroups[pc->cgroup].name));
		json_array_append_new(procs, proc);
	}
	return procs;
}

void scenario_release_processes(struct scenario *s)
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
	free(s->procs);
}
