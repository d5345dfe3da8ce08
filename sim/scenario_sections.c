/*
 * scenario_sections.c - the top-level keys of a scenario file: the table
 * scenario_sections[] (see scenario.h), the sections it does not load
 * generically (the kernel and its features, the memory cgroups), and the
 * checks of a JSON value's shape that the loaders share.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

/* An array member that must be an array (possibly empty), else an error. */
json_t *scenario_want_array(struct diag *d, json_t *obj, const char *key, const char *path,
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
json_t *scenario_want_list(struct diag *d, json_t *obj, const char *key, const char *path,
                           const char *what)
{
	json_t *v = scenario_want_array(d, obj, key, path, true);

	if (v && json_array_size(v) == 0) {
		char *p = xasprintf("%s.%s", path, key);

		diag_error(d, p, "at least one %s expected, got an empty array", what);
		free(p);
	}
	return v;
}

/* Unknown keys of @obj are errors that list @keys (NULL-terminated). */
void scenario_check_keys(struct diag *d, json_t *obj, const char *path, const char *const *keys)
{
	static const struct param none[] = { { .key = NULL } };
	struct params_ctx c = { .diag = d };

	params_load(&c, obj, path, none, NULL, keys, false);
}

/* clang-format off */
#define F(x) offsetof(struct fairness_config, x)
const struct param fairness_params[] = {
	{ "starved_wait_us", PARAM_DOUBLE, F(starved_wait_us), 0, 1e12, "100000", "an mmap_sem acquisition that waited longer counts in fairness.starved", NULL, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */

static void load_kernel(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	json_t *k = json_object_get(root, "kernel");
	const struct kernel_profile *prof = NULL;
	char *list;

	if (json_is_string(k))
		prof = kernel_profile_find(json_string_value(k));
	if (prof) {
		s->kernel = xstrdup(prof->name);
		s->features = prof->features;
	} else {
		list = scenario_table_names(kernel_profiles, sizeof(*kernel_profiles));
		if (!k)
			diag_error(L->diag, "", "missing key 'kernel' (a kernel profile: %s)",
			           list);
		else if (json_is_number(k)) /* 3.10 would read as 3.1 */
			diag_error(L->diag, ".kernel",
			           "string expected, got number (a profile's name is a string: "
			           "quote it, e.g. \"5.3\")");
		else if (!json_is_string(k))
			diag_error(L->diag, ".kernel", "string expected, got %s", json_kind(k));
		else
			diag_error(L->diag, ".kernel", "unknown kernel profile '%s' (expected: %s)",
			           json_string_value(k), list);
		free(list);
	}
}

static json_t *dump_kernel(const struct scenario *s)
{
	return json_string(s->kernel);
}

/* The features of the profile that "features" changes (after the kernel row). */
static void load_features(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	json_t *f = json_object_get(root, "features");

	/* checked without a profile too, to report every error at once */
	if (f && !json_is_object(f))
		diag_error(L->diag, ".features", "object expected, got %s", json_kind(f));
	else if (f)
		params_load(&c, f, ".features", kernel_feature_params, &s->features, NULL, false);
}

/*
 * A hook, not a .params row: the feature table is resolved on first use (its
 * policy names). A feature row with omit_default and no default is left out
 * at its profile's value: one added after points were published, so that
 * their ids (and replication seeds) stay.
 */
static json_t *dump_features(const struct scenario *s)
{
	json_t *o = params_dump(kernel_feature_params, &s->features);
	const struct kernel_profile *prof = s->kernel ? kernel_profile_find(s->kernel) : NULL;

	for (const struct param *p = kernel_feature_params; prof && p->key; p++) {
		size_t size = p->type == PARAM_BOOL ? sizeof(bool) : sizeof(int);

		if (p->omit_default && !p->def &&
		    memcmp((const char *)&s->features + p->offset,
		           (const char *)&prof->features + p->offset, size) == 0)
			json_object_del(o, p->key);
	}
	return o;
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
	diag_error(d, p,
	           "%s out of range [0, %s]: reclaim frees memory already charged, so "
	           "reclaimable_mb is at most usage_mb%s",
	           num(c->reclaimable_mb).s, num(c->usage_mb).s, u ? "" : " (usage_mb absent: 0)");
	free(p);
}

/* The memory cgroups: [{"name": ..., limit_mb, ...}]; names unique. */
static void load_cgroups(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	static const char *const extra[] = { "name", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	json_t *list = scenario_want_array(L->diag, root, "cgroups", "", false), *el;
	size_t i;

	s->nr_cgroups = (unsigned)json_array_size(list);
	s->cgroups = xcalloc(s->nr_cgroups ? s->nr_cgroups : 1, sizeof(*s->cgroups));
	json_array_foreach (list, i, el) {
		char *p = xasprintf(".cgroups[%zu]", i);
		const char *name;

		if (!json_is_object(el)) {
			diag_error(L->diag, p, "object expected, got %s", json_kind(el));
		} else {
			if ((name = scenario_name_get(L->diag, el, p)))
				s->cgroups[i].name = xstrdup(name);
			params_load(&c, el, p, memcg_params, &s->cgroups[i], extra, true);
			for (size_t j = 0; j < i && s->cgroups[i].name; j++) {
				if (s->cgroups[j].name &&
				    strcmp(s->cgroups[j].name, s->cgroups[i].name) == 0) {
					char *np = xasprintf("%s.name", p);

					diag_error(L->diag, np,
					           "cgroup name '%s' already used by .cgroups[%zu]",
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

static json_t *dump_cgroups(const struct scenario *s)
{
	json_t *list = json_array();

	for (unsigned i = 0; i < s->nr_cgroups; i++) {
		json_t *o = params_dump(memcg_params, &s->cgroups[i]);

		json_object_set_new(o, "name", json_string(s->cgroups[i].name));
		json_array_append_new(list, o);
	}
	return list;
}

static void release_cgroups(struct scenario *s)
{
	for (unsigned i = 0; i < s->nr_cgroups; i++) {
		params_release(memcg_params, &s->cgroups[i]);
		free((char *)s->cgroups[i].name);
	}
	free(s->cgroups);
}

/*
 * Names a device may not have: swap.device's own values, and the checks'
 * entries beside the devices' (checks.little.<device>).
 */
static const char *device_name_reserved(const char *name)
{
	static const char *const reserved[] = { "disk", "own", "swap_device", NULL };

	for (int i = 0; reserved[i]; i++)
		if (strcmp(name, reserved[i]) == 0)
			return reserved[i];
	return strncmp(name, "mmap_sem", 8) == 0 ? "mmap_sem" : NULL;
}

/* The named devices: [{"name": ..., <the disk's keys>}]; names unique. */
static void load_devices(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	static const char *const extra[] = { "name", NULL };
	struct params_ctx c = { .diag = L->diag, .dir = L->dir };
	json_t *list = scenario_want_array(L->diag, root, "devices", "", false), *el;
	size_t i;

	if (json_array_size(list) > DISK_NAMED_MAX)
		diag_error(L->diag, ".devices", "at most %d devices, got %zu", DISK_NAMED_MAX,
		           json_array_size(list));
	s->nr_devices = (unsigned)json_array_size(list);
	s->devices = xcalloc(s->nr_devices ? s->nr_devices : 1, sizeof(*s->devices));
	s->device_names = xcalloc(s->nr_devices ? s->nr_devices : 1, sizeof(*s->device_names));
	json_array_foreach (list, i, el) {
		char *p = xasprintf(".devices[%zu]", i), *np = xasprintf("%s.name", p);
		const char *name;

		if (!json_is_object(el)) {
			diag_error(L->diag, p, "object expected, got %s", json_kind(el));
		} else {
			size_t j = 0;

			if ((name = scenario_name_get(L->diag, el, p)) &&
			    device_name_reserved(name))
				diag_error(
				        L->diag, np,
				        "device name '%s' is reserved (swap.device takes disk and "
				        "own, the checks name swap_device and mmap_sem*)",
				        name);
			while (name && j < i &&
			       !(s->device_names[j] && strcmp(s->device_names[j], name) == 0))
				j++;
			if (name && j < i)
				diag_error(L->diag, np,
				           "device name '%s' already used by .devices[%zu]", name,
				           j);
			else if (name &&
			         !device_name_reserved(name)) /* else NULL: matches nothing */
				s->device_names[i] = xstrdup(name);
			params_load(&c, el, p, disk_params, &s->devices[i], extra, true);
		}
		free(np);
		free(p);
	}
}

/* Left out without devices: the ids of the points before "devices" stay. */
static json_t *dump_devices(const struct scenario *s)
{
	json_t *list;

	if (!s->nr_devices)
		return NULL;
	list = json_array();
	for (unsigned i = 0; i < s->nr_devices; i++) {
		json_t *o = params_dump(disk_params, &s->devices[i]);

		json_object_set_new(o, "name", json_string(s->device_names[i]));
		json_array_append_new(list, o);
	}
	return list;
}

static void release_devices(struct scenario *s)
{
	for (unsigned i = 0; i < s->nr_devices; i++) {
		params_release(disk_params, &s->devices[i]);
		free(s->device_names[i]);
	}
	free(s->devices);
	free(s->device_names);
}

static void load_section(struct scenario_loader *L, json_t *root, const char *key,
                         const struct param *table, void *base);

/*
 * Swap: its "device" may also name a named device. Without devices, or with
 * disk or own, the table's enum reads it (and reports an unknown one).
 */
static void load_swap(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	static const struct param device_param[] = {
		{ "device", PARAM_NAME, 0, 0, 0, NULL, "the swap device", NULL, false },
		{ .key = NULL },
	};
	json_t *sw = json_object_get(root, "swap"), *dev = json_object_get(sw, "device");
	const char *name = json_string_value(dev);
	const char **names;
	json_t *rest, *only;
	int index = 0;

	if (!json_is_object(sw) || !name || !s->nr_devices || strcmp(name, "disk") == 0 ||
	    strcmp(name, "own") == 0) {
		load_section(L, root, "swap", swap_params, &s->swap);
		return;
	}
	rest = json_object();
	json_object_set_new(rest, "swap", json_copy(sw)); /* shallow: "device" goes */
	json_object_del(json_object_get(rest, "swap"), "device");
	load_section(L, rest, "swap", swap_params, &s->swap);
	json_decref(rest);
	names = xcalloc(s->nr_devices + 2, sizeof(*names));
	names[0] = "disk";
	names[1] = "own";
	for (unsigned i = 0; i < s->nr_devices; i++)
		names[i + 2] = s->device_names[i];
	only = json_pack("{s:O}", "device", dev);
	/* "unknown swap device 'x', did you mean 'y'? (expected: disk, own, ...)" */
	params_load(&(struct params_ctx){ .diag = L->diag,
	                                  .dir = L->dir,
	                                  .names = names,
	                                  .nr_names = s->nr_devices + 2,
	                                  .name_kind = "swap device" },
	            only, ".swap", device_param, &index, NULL, false);
	json_decref(only);
	free(names);
	if (index >= 2) {
		s->swap.device = SWAP_NAMED_DEVICE;
		s->swap.named = (unsigned)index - 2;
	}
}

static json_t *dump_swap(const struct scenario *s)
{
	struct swap_config c = s->swap;
	json_t *o;

	if (c.device == SWAP_NAMED_DEVICE)
		c.device = SWAP_ON_DISK; /* the table's enum has no name for it: set below */
	o = params_dump(swap_params, &c);
	if (s->swap.device == SWAP_NAMED_DEVICE)
		json_object_set_new(o, "device", json_string(s->device_names[s->swap.named]));
	return o;
}

#define AT(x) offsetof(struct scenario, x)
const struct scenario_section scenario_sections[] = {
	{ .key = "name",
	  .load = scenario_load_name,
	  .dump = scenario_dump_name,
	  .doc = "letters, digits, '_' and '-': names the output folder (default: the file's)" },
	{ .key = "description",
	  .load = scenario_load_description,
	  .dump = scenario_dump_description,
	  .doc = "free text, copied to the results" },
	{ .key = "duration_s",
	  .load = scenario_load_duration,
	  .dump = scenario_dump_duration,
	  .doc = "simulated time per point" },
	{ .key = "warmup_s",
	  .load = scenario_load_warmup,
	  .dump = scenario_dump_warmup,
	  .doc = "statistics ignore the first warmup_s seconds (0); \"mser5\": detected" },
	{ .key = "seed",
	  .load = scenario_load_seed,
	  .dump = scenario_dump_seed,
	  .doc = "the random seed (1); --seed overrides it" },
	{ .key = "replications",
	  .load = scenario_load_replications,
	  .dump = scenario_dump_replications,
	  .doc = "independent runs of each point (1), each with its own seed" },
	{ .key = "confidence",
	  .load = scenario_load_confidence,
	  .dump = scenario_dump_confidence,
	  .doc = "the level of every confidence interval (0.95)" },
	{ .key = "until",
	  .load = scenario_load_until,
	  .dump = scenario_dump_until,
	  .doc = "sequential stopping: {metric, max_replications, relative_half_width, target}" },
	{ .key = "include",
	  .load = scenario_load_include,
	  .doc = "a machine file (mmsim probe writes one) merged under the scenario's own keys" },
	{ .key = "kernel",
	  .load = load_kernel,
	  .dump = dump_kernel,
	  .doc = "a kernel profile, by its name" },
	{ .key = "features",
	  .load = load_features,
	  .dump = dump_features,
	  .doc = "single features of the kernel profile changed" },
	{ .key = "machine",
	  .params = machine_params,
	  .offset = AT(machine),
	  .doc = "the CPUs, wake-up latency, page cache and readahead" },
	{ .key = "disk",
	  .params = disk_params,
	  .offset = AT(disk),
	  .doc = "the disk: its scheduler and service times" },
	{ .key = "devices",
	  .params = disk_params,
	  .load = load_devices,
	  .dump = dump_devices,
	  .release = release_devices,
	  .doc = "named block devices: a list, each with a \"name\" and the disk's keys; a file "
	         "mapping (\"device\") or swap (\"device\") names one" },
	{ .key = "swap",
	  .params = swap_params,
	  .offset = AT(swap),
	  .load = load_swap,
	  .dump = dump_swap,
	  .doc = "the swap device and space (service_ms, page_transfer_us: device \"own\"; or a "
	         "named device)" },
	{ .key = "fairness",
	  .params = fairness_params,
	  .offset = AT(fairness),
	  .doc = "what counts as a starved waiter" },
	{ .key = "cgroups",
	  .params = memcg_params,
	  .load = load_cgroups,
	  .dump = dump_cgroups,
	  .release = release_cgroups,
	  .doc = "memory cgroups: a list, each with a \"name\"; a process joins one (\"cgroup\")" },
	{ .key = "op_defaults",
	  .load = scenario_load_op_defaults,
	  .doc = "{\"OP\": {key: value}}: the keys every op of a kind takes where it sets none" },
	{ .key = "processes",
	  .load = scenario_load_processes,
	  .dump = scenario_dump_processes,
	  .release = scenario_release_processes,
	  .doc = "a list of processes, each {name, count, cgroup, mappings, threads}" },
	{ .key = "sweep", .doc = "{\"PATH\": [values...]}: the points, first path outermost" },
	{ .key = "figures", .doc = "the figures 'mmsim plot' draws from the results (not swept)" },
	{ .key = NULL },
};
#undef AT

static void load_section(struct scenario_loader *L, json_t *root, const char *key,
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

void scenario_sections_load(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	const char *keys[sizeof(scenario_sections) / sizeof(*scenario_sections)];

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		keys[i] = scenario_sections[i].key;   /* the last one NULL */
	scenario_check_keys(L->diag, root, "", keys); /* "": the root, printed "." */
	for (const struct scenario_section *sec = scenario_sections; sec->key; sec++) {
		if (sec->load)
			sec->load(L, root, s);
		else if (sec->params)
			load_section(L, root, sec->key, sec->params, (char *)s + sec->offset);
	}
}

void scenario_sections_load_present(struct scenario_loader *L, json_t *root, struct scenario *s)
{
	for (const struct scenario_section *sec = scenario_sections; sec->key; sec++) {
		if (!json_object_get(root, sec->key))
			continue;
		if (sec->load)
			sec->load(L, root, s);
		else if (sec->params)
			load_section(L, root, sec->key, sec->params, (char *)s + sec->offset);
	}
}

json_t *scenario_dump(const struct scenario *s)
{
	json_t *o = json_object();

	for (const struct scenario_section *sec = scenario_sections; sec->key; sec++) {
		json_t *v = NULL; /* sweep, figures: not a point's */

		if (sec->dump)
			v = sec->dump(s);
		else if (sec->params)
			v = params_dump(sec->params, (const char *)s + sec->offset);
		if (v)
			json_object_set_new(o, sec->key, v);
	}
	return o;
}

void scenario_release(struct scenario *s)
{
	for (const struct scenario_section *sec = scenario_sections; sec->key; sec++) {
		if (sec->release)
			sec->release(s);
		else if (sec->params)
			params_release(sec->params, (char *)s + sec->offset);
	}
	free(s->name);
	free(s->description);
	free(s->kernel);
	free(s->until.metric);
	json_decref(s->resolved);
	json_decref(s->swept);
}
