/*
 * gen.c - random valid scenarios for the property tests (tests/cli/property.sh).
 *
 *   prop-gen [-d MAX_DURATION_S] [-s] SEED COUNT DIR
 *
 * Writes DIR/prop-<n>.json for n = SEED .. SEED+COUNT-1, each drawn from a
 * random stream of its own seed n (so "prop-gen n 1 DIR" replays scenario n
 * alone), and prints their paths, one a line. An empirical distribution is a
 * file beside its scenario, DIR/prop-<n>-<k>.txt. With -s every scenario has a
 * small sweep (2 to 4 points), else about a third of them have one.
 *
 * The scenarios cover the format broadly: every kernel profile, feature
 * overrides (every rwsem policy), shared CPUs, disks and a swap device of its
 * own, every distribution, cgroups, replicated processes, file mappings
 * shared between processes, every op with most of its keys, probabilities
 * and 'otherwise', open groups, warm-ups (fixed and MSER-5), replications and
 * 'until'. They stay small (a few processes and threads, mappings of at most
 * 16 MB, simulated runs of at most MAX_DURATION_S) so each runs in well under
 * a second. Left out: figures (plotting is not simulation), huge values (the
 * limits have tests of their own), and loops that may take no simulated time
 * (every loop has an op that surely takes some: see loop_gen()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <jansson.h>

#define MAX_PROCS 3
#define MAX_MAPS 4
#define MAX_GROUPS 3

static const char *const kernels[] = {
	"2.6.28", "2.6.36", "2.6.36-release", "2.6.37", "2.6.38", "2.6.39",
	"3.0",    "3.9",    "3.10",           "3.16",   "4.20",   "5.1",
	"5.3",    "5.7",    "5.11",           "6.4",    "6.6",    "6.8",
	NULL
};
static const char *const policies[] = {
	"2.6.36",      "generic-spinlock", "3.10-steal", "3.16-optspin", "5.3",         "5.11",
	"reader-pref", "writer-pref",      "task-fair",  "phase-fair",   "unfair-proc", NULL
};
static const char *const bool_features[] = { "swapin_retry",     "fault_tried",
	                                     "cow_prealloc",     "kvm_apf",
	                                     "munmap_downgrade", "filemap_drop_for_io",
	                                     "retry_multi",      NULL };
static const char *const mlock_populate[] = { "write", "downgrade", "read_retry", "outside", NULL };
static const char *const per_vma[] = { "off", "anon", "swap", "file", NULL };

/* What one scenario is being built from. */
struct gen {
	gsl_rng *rng;
	const char *dir;
	unsigned long seed;
	unsigned nr_emp; /* empirical files written */
	int cpus;        /* machine.cpus set: CPU costs are SimGrid executions */
	double max_duration_s;
};

/* A mapping of the process being built: what its ops may refer to. */
struct map_info {
	char name[32];
	int anon;
	double size_mb;
};

static double uniform(struct gen *g, double lo, double hi)
{
	return lo + (hi - lo) * gsl_rng_uniform(g->rng);
}

static unsigned below(struct gen *g, unsigned n)
{
	return (unsigned)gsl_rng_uniform_int(g->rng, n);
}

static int chance(struct gen *g, double p)
{
	return gsl_rng_uniform(g->rng) < p;
}

static const char *pick(struct gen *g, const char *const *list)
{
	unsigned n = 0;

	while (list[n])
		n++;
	return list[below(g, n)];
}

/* Numbers rounded to 4 significant digits: the files stay readable. */
static double round4(double x)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.4g", x);
	return strtod(buf, NULL);
}

/* An empirical distribution of mean about @mean, in a file of its own. */
static json_t *empirical(struct gen *g, double mean)
{
	char name[64], path[4096];
	unsigned n = 1 + below(g, 20);
	FILE *f;

	snprintf(name, sizeof(name), "prop-%lu-%u.txt", g->seed, g->nr_emp++);
	snprintf(path, sizeof(path), "%s/%s", g->dir, name);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "prop-gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fprintf(f, "# prop-gen %lu: %u samples around %g\n", g->seed, n, mean);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%.4g\n", round4(uniform(g, 0, 2 * mean)));
	if (fclose(f)) {
		fprintf(stderr, "prop-gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return json_pack("{ss ss}", "dist", "empirical", "file", name);
}

/*
 * A time parameter of mean about @mean: a bare number or any distribution.
 * With @positive it surely takes time (no draw of 0): the time a loop needs.
 */
static json_t *time_param(struct gen *g, double mean, int positive)
{
	double m = round4(mean * uniform(g, 0.5, 1.5));

	switch (below(g, positive ? 5 : 7)) {
	case 0:
		return json_real(m);
	case 1:
		return json_pack("{ss sf}", "dist", "const", "value", m);
	case 2:
		return json_pack("{ss sf sf}", "dist", "uniform", "min", round4(m / 2), "max",
		                 round4(3 * m / 2));
	case 3:
		return json_pack("{ss sf sf}", "dist", "lognormal", "mean", m, "sd",
		                 round4(m * uniform(g, 0.1, 2)));
	case 4:
		return json_pack("{ss sf}", "dist", "exp", "mean", m);
	case 5:
		return json_pack("{ss sf sf}", "dist", "normal", "mean", m, "sd",
		                 round4(m * uniform(g, 0.1, 1)));
	default:
		return empirical(g, m);
	}
}

/* The fault path's CPU costs, some of them. */
static void fault_costs(struct gen *g, json_t *op)
{
	static const char *const keys[] = { "cpu_before_us", "cpu_miss_us", "cpu_after_us",
		                            "cpu_copy_us" };
	static const double means[] = { 0.5, 20, 2, 1 };

	for (int i = 0; i < 4; i++)
		if (chance(g, 0.2))
			json_object_set_new(op, keys[i], time_param(g, means[i], 0));
}

static const struct map_info *pick_map(struct gen *g, const struct map_info *maps, unsigned n,
                                       int want_anon)
{
	unsigned start = below(g, n);

	for (unsigned i = 0; i < n; i++) {
		const struct map_info *m = &maps[(start + i) % n];

		if (want_anon < 0 || m->anon == want_anon)
			return m;
	}
	return NULL;
}

static json_t *op_fault(struct gen *g, const struct map_info *maps, unsigned nr_maps)
{
	static const char *const patterns[] = { "random", "sequential", "uncached", NULL };
	const struct map_info *m = pick_map(g, maps, nr_maps, -1);
	json_t *op = json_pack("{ss ss}", "op", "fault", "mapping", m->name);

	if (chance(g, 0.7))
		json_object_set_new(op, "pattern", json_string(pick(g, patterns)));
	if (chance(g, 0.5))
		json_object_set_new(op, "access", json_string(chance(g, 0.5) ? "read" : "write"));
	if (chance(g, 0.3))
		json_object_set_new(op, "pages", json_integer(1 + below(g, 4)));
	fault_costs(g, op);
	return op;
}

/* mlock and munlock: a range of the mapping, by default all of it. */
static json_t *op_range(struct gen *g, const char *name, const struct map_info *m)
{
	json_t *op = json_pack("{ss ss}", "op", name, "mapping", m->name);
	unsigned pages = (unsigned)(m->size_mb * 256);

	if (chance(g, 0.5))
		json_object_set_new(op, "offset", json_integer(below(g, pages + 1)));
	if (chance(g, 0.7))
		json_object_set_new(op, "pages",
		                    json_integer(below(g, pages < 512 ? pages + 1 : 512)));
	if (chance(g, 0.5))
		json_object_set_new(op, "hold_us", time_param(g, 2, 0));
	if (chance(g, 0.3))
		json_object_set_new(op, "cpu_per_page_us", time_param(g, 0.2, 0));
	if (strcmp(name, "mlock") == 0)
		fault_costs(g, op);
	return op;
}

static json_t *op_proc_read(struct gen *g, const struct map_info *maps, unsigned nr_maps)
{
	static const char *const kinds[] = { "hold", "cmdline", "maps", NULL };
	const char *kind = pick(g, kinds);
	json_t *op = json_pack("{ss so}", "op", "proc_read", "hold_us", time_param(g, 5, 0));

	if (chance(g, 0.8))
		json_object_set_new(op, "kind", json_string(kind));
	if (strcmp(kind, "cmdline") == 0 && chance(g, 0.7)) {
		json_object_set_new(op, "mapping",
		                    json_string(pick_map(g, maps, nr_maps, -1)->name));
		json_object_set_new(op, "pages", json_integer(1 + below(g, 8)));
	}
	if (strcmp(kind, "maps") == 0)
		json_object_set_new(op, "chunks", json_integer(1 + below(g, 6)));
	return op;
}

/* mmap or munmap: a writer, of a mapping's VMA or of one of its own. */
static json_t *op_writer(struct gen *g, const char *name, const struct map_info *maps,
                         unsigned nr_maps)
{
	json_t *op = json_pack("{ss so}", "op", name, "hold_us", time_param(g, 5, 0));

	if (strcmp(name, "munmap") == 0 && chance(g, 0.6))
		json_object_set_new(op, "zap_us", time_param(g, 10, 0));
	if (chance(g, 0.5))
		json_object_set_new(op, "mapping",
		                    json_string(pick_map(g, maps, nr_maps, -1)->name));
	return op;
}

static json_t *op_guest(struct gen *g, const struct map_info *anon)
{
	json_t *op = json_pack("{ss ss}", "op", "guest", "mapping", anon->name);

	if (chance(g, 0.6))
		json_object_set_new(op, "tasks", json_integer(1 + below(g, 8)));
	if (chance(g, 0.6))
		json_object_set_new(op, "work_us", time_param(g, 100, 0));
	if (chance(g, 0.4))
		json_object_set_new(op, "pages", json_integer(1 + below(g, 3)));
	if (chance(g, 0.4))
		json_object_set_new(op, "apf_queue", json_integer(1 + below(g, 64)));
	fault_costs(g, op);
	return op;
}

/* One op that may take no time, or be skipped; NULL if the process has no fit. */
static json_t *op_gen(struct gen *g, const struct map_info *maps, unsigned nr_maps, int *has_guest)
{
	const struct map_info *anon = pick_map(g, maps, nr_maps, 1);
	json_t *op;

	switch (below(g, 15)) {
	case 0:
	case 1:
	case 2:
		return op_fault(g, maps, nr_maps);
	case 3:
		return json_pack("{ss so}", "op", "think", "time_us", time_param(g, 20, 0));
	case 4:
		return json_pack("{ss so}", "op", "sleep", "time_us", time_param(g, 100, 0));
	case 5:
		return op_writer(g, "mmap", maps, nr_maps);
	case 6:
		return op_writer(g, "munmap", maps, nr_maps);
	case 7:
		return op_proc_read(g, maps, nr_maps);
	case 8:
		return op_range(g, chance(g, 0.7) ? "mlock" : "munlock",
		                pick_map(g, maps, nr_maps, -1));
	case 9:
		op = json_pack("{ss}", "op", chance(g, 0.3) ? "mlockall" : "mmap_populate");
		if (strcmp(json_string_value(json_object_get(op, "op")), "mmap_populate") == 0)
			json_object_set_new(op, "mapping",
			                    json_string(pick_map(g, maps, nr_maps, -1)->name));
		if (chance(g, 0.5))
			json_object_set_new(op, "hold_us", time_param(g, 3, 0));
		if (chance(g, 0.3))
			json_object_set_new(op, "cpu_per_page_us", time_param(g, 0.2, 0));
		fault_costs(g, op);
		return op;
	case 10:
		return json_pack("{ss so}", "op", "fork", "hold_us", time_param(g, 50, 0));
	case 11:
		op = json_pack("{ss}", "op", "exit");
		if (chance(g, 0.5))
			json_object_set_new(op, "cpu_us", time_param(g, 50, 0));
		return op;
	case 12:
		if (!anon)
			return op_fault(g, maps, nr_maps);
		*has_guest = 1;
		return op_guest(g, anon);
	default:
		return json_pack("{ss so}", "op", "think", "time_us", time_param(g, 5, 0));
	}
}

/*
 * A loop: 1 to 4 ops, some with a probability or 'otherwise', and always a
 * think or sleep that surely takes time. A loop that may take none would
 * spin at one instant for ever: not a scenario anyone means.
 */
static json_t *loop_gen(struct gen *g, const struct map_info *maps, unsigned nr_maps,
                        int *has_guest)
{
	json_t *loop = json_array();
	unsigned n = 1 + below(g, 4), at = below(g, n + 1);

	for (unsigned i = 0; i <= n; i++) {
		json_t *op;

		if (i == at) {
			json_array_append_new(loop, json_pack("{ss so}", "op",
			                                      chance(g, 0.5) ? "think" : "sleep",
			                                      "time_us", time_param(g, 10, 1)));
			continue;
		}
		op = op_gen(g, maps, nr_maps, has_guest);
		if (chance(g, 0.2))
			json_object_set_new(op, "probability", json_real(round4(uniform(g, 0, 1))));
		if (json_array_size(loop) && chance(g, 0.15) &&
		    !json_object_get(json_array_get(loop, json_array_size(loop) - 1), "otherwise"))
			json_object_set_new(op, "otherwise", json_true());
		json_array_append_new(loop, op);
	}
	return loop;
}

/* A file shared by the processes that map it: one size and cached share. */
struct shared_file {
	double size_mb, cached;
};

static void mappings_gen(struct gen *g, unsigned p, json_t *proc, struct map_info *maps,
                         unsigned *nr, const struct shared_file *shared)
{
	json_t *list = json_array();

	*nr = 1 + below(g, MAX_MAPS);
	for (unsigned m = 0; m < *nr; m++) {
		struct map_info *mi = &maps[m];
		json_t *o;

		snprintf(mi->name, sizeof(mi->name), "p%um%u", p, m);
		mi->anon = chance(g, 0.4);
		/* at most 4096 pages: an mlockall of every mapping stays short */
		mi->size_mb = round4(uniform(g, 0.01, 16));
		o = json_pack("{ss ss}", "name", mi->name, "type", mi->anon ? "anon" : "file");
		if (mi->anon) {
			if (chance(g, 0.6))
				json_object_set_new(o, "swapped_fraction",
				                    json_real(round4(uniform(g, 0, 1))));
		} else if (chance(g, 0.3)) {
			mi->size_mb = shared->size_mb;
			json_object_set_new(o, "file", json_string("shared"));
			json_object_set_new(o, "cached_fraction", json_real(shared->cached));
		} else {
			if (chance(g, 0.7))
				json_object_set_new(o, "cached_fraction",
				                    json_real(round4(uniform(g, 0, 1))));
			if (chance(g, 0.5))
				json_object_set_new(
				        o, "advice",
				        json_string(pick(
				                g, (const char *const[]){ "normal", "random",
				                                          "sequential", NULL })));
			if (chance(g, 0.4))
				json_object_set_new(o, "private", json_boolean(chance(g, 0.5)));
		}
		json_object_set_new(o, "size_mb", json_real(mi->size_mb));
		json_array_append_new(list, o);
	}
	json_object_set_new(proc, "mappings", list);
}

/* A thread group, closed (threads loop for ever) or open (jobs arrive). */
static json_t *group_gen(struct gen *g, unsigned p, unsigned i, const struct map_info *maps,
                         unsigned nr_maps, int *has_guest)
{
	char name[32];
	json_t *grp;

	snprintf(name, sizeof(name), "g%u_%u", p, i);
	grp = json_pack("{ss}", "name", name);
	if (chance(g, 0.8))
		json_object_set_new(grp, "count", json_integer(below(g, 5)));
	if (chance(g, 0.2)) {
		json_object_set_new(grp, "interarrival_us", time_param(g, 200, 1));
		if (chance(g, 0.5))
			json_object_set_new(grp, "max_jobs", json_integer(1 + below(g, 50)));
	}
	json_object_set_new(grp, "loop", loop_gen(g, maps, nr_maps, has_guest));
	return grp;
}

static json_t *processes_gen(struct gen *g, unsigned nr_cgroups)
{
	struct shared_file shared = { round4(uniform(g, 0.1, 16)), round4(uniform(g, 0, 1)) };
	json_t *procs = json_array();
	unsigned n = 1 + below(g, MAX_PROCS);

	for (unsigned p = 0; p < n; p++) {
		struct map_info maps[MAX_MAPS];
		unsigned nr_maps, nr_groups = 1 + below(g, MAX_GROUPS);
		int has_guest = 0;
		char name[32];
		json_t *proc, *groups = json_array();

		snprintf(name, sizeof(name), "p%u", p);
		proc = json_pack("{ss}", "name", name);
		if (chance(g, 0.3))
			json_object_set_new(proc, "count", json_integer(1 + below(g, 3)));
		if (nr_cgroups && chance(g, 0.7)) {
			snprintf(name, sizeof(name), "cg%u", below(g, nr_cgroups));
			json_object_set_new(proc, "cgroup", json_string(name));
		}
		mappings_gen(g, p, proc, maps, &nr_maps, &shared);
		for (unsigned i = 0; i < nr_groups; i++)
			json_array_append_new(groups,
			                      group_gen(g, p, i, maps, nr_maps, &has_guest));
		/*
		 * A VM's async page faults complete only with a worker: mostly give
		 * it one, always with shared CPUs: there, a run whose every thread
		 * blocks for ever ends in SimGrid's "Deadlock detected" on stderr
		 * (exit 0; reported with the property tests, issue 12).
		 */
		if (has_guest && (g->cpus || chance(g, 0.8))) {
			snprintf(name, sizeof(name), "apf%u", p);
			json_array_append_new(groups, json_pack("{ss s[{ss}]}", "name", name,
			                                        "loop", "op", "apf_worker"));
		}
		json_object_set_new(proc, "threads", groups);
		json_array_append_new(procs, proc);
	}
	/* at least one thread: the first group of the first process */
	json_object_set_new(json_array_get(json_object_get(json_array_get(procs, 0), "threads"), 0),
	                    "count", json_integer(1 + below(g, 4)));
	return procs;
}

static json_t *cgroups_gen(struct gen *g, unsigned n)
{
	json_t *list = json_array();

	for (unsigned i = 0; i < n; i++) {
		double usage = round4(uniform(g, 0, 64));
		char name[32];
		json_t *c;

		snprintf(name, sizeof(name), "cg%u", i);
		c = json_pack("{ss sf}", "name", name, "limit_mb", round4(uniform(g, 0.5, 128)));
		if (chance(g, 0.7)) {
			json_object_set_new(c, "usage_mb", json_real(usage));
			if (chance(g, 0.7))
				json_object_set_new(c, "reclaimable_mb",
				                    json_real(round4(usage * uniform(g, 0, 1))));
		}
		if (chance(g, 0.5))
			json_object_set_new(c, "reclaim_us", time_param(g, 100, 0));
		if (chance(g, 0.5))
			json_object_set_new(c, "reclaim_retries", json_integer(below(g, 8)));
		if (chance(g, 0.5))
			json_object_set_new(c, "reclaim_pages", json_integer(1 + below(g, 64)));
		if (chance(g, 0.4))
			json_object_set_new(c, "swap_anon", json_boolean(chance(g, 0.5)));
		if (chance(g, 0.4))
			json_object_set_new(c, "oom_kill_disable", json_boolean(chance(g, 0.5)));
		/* with shared CPUs, not for ever: the deadlock above */
		if (g->cpus || chance(g, 0.4))
			json_object_set_new(c, "oom_wait_timeout_ms",
			                    json_real(round4(uniform(g, g->cpus ? 0.1 : 0, 20))));
		json_array_append_new(list, c);
	}
	return list;
}

static json_t *features_gen(struct gen *g)
{
	json_t *f = json_object();

	if (chance(g, 0.3))
		json_object_set_new(f, "rwsem_policy", json_string(pick(g, policies)));
	if (chance(g, 0.1))
		json_object_set_new(f, "fault_retry",
		                    json_string(chance(g, 0.5) ? "none" : "once"));
	if (chance(g, 0.1))
		json_object_set_new(f, "mlock_populate", json_string(pick(g, mlock_populate)));
	if (chance(g, 0.1))
		json_object_set_new(f, "per_vma_lock", json_string(pick(g, per_vma)));
	for (unsigned i = 0; bool_features[i]; i++)
		if (chance(g, 0.1))
			json_object_set_new(f, bool_features[i], json_boolean(chance(g, 0.5)));
	return f;
}

static json_t *machine_gen(struct gen *g)
{
	json_t *m = json_object();

	/* shared CPUs make every CPU cost a SimGrid execution: ten times slower */
	if (chance(g, 0.15))
		json_object_set_new(m, "cpus", json_integer(below(g, 5)));
	if (chance(g, 0.6))
		json_object_set_new(m, "wakeup_us", time_param(g, 5, 0));
	if (chance(g, 0.3))
		json_object_set_new(m, "page_cache_mb", json_real(round4(uniform(g, 1, 256))));
	if (chance(g, 0.3))
		json_object_set_new(m, "read_ahead_kb", json_integer(4 + below(g, 1021)));
	return m;
}

/* A device's keys: the disk's, or the swap device's of its own. */
static void device_gen(struct gen *g, json_t *d)
{
	json_object_set_new(d, "service_ms", time_param(g, uniform(g, 0.02, 3), 0));
	if (chance(g, 0.5))
		json_object_set_new(d, "page_transfer_us", time_param(g, 10, 0));
}

static json_t *swap_gen(struct gen *g)
{
	json_t *s = json_object();

	if (chance(g, 0.4)) {
		json_object_set_new(s, "device", json_string("own"));
		device_gen(g, s);
	}
	if (chance(g, 0.4))
		json_object_set_new(s, "page_cluster", json_integer(below(g, 9)));
	/* above what the mappings can have swapped out at start (3 x 3 x 4 x 16 MB) */
	if (chance(g, 0.3))
		json_object_set_new(s, "size_mb", json_real(round4(uniform(g, 600, 8192))));
	return s;
}

/* Two different names of @list. */
static json_t *pick2(struct gen *g, const char *const *list)
{
	const char *a = pick(g, list), *b;

	while (strcmp(b = pick(g, list), a) == 0)
		;
	return json_pack("[ss]", a, b);
}

/*
 * A small sweep: one or two axes of two values, at most 4 points. The values
 * differ: a repeated one makes two points of the same id, which --jobs 1 and
 * 2 write in different orders (reported with the property tests, issue 12).
 */
static json_t *sweep_gen(struct gen *g)
{
	json_t *sw = json_object();
	unsigned axes = 1 + below(g, 2), first = below(g, 7);

	for (unsigned a = 0; a < axes; a++) {
		switch ((first + a) % 7) {
		case 0:
			json_object_set_new(sw, "kernel", pick2(g, kernels));
			break;
		case 1:
			json_object_set_new(sw, "disk.service_ms",
			                    json_pack("[ff]", round4(uniform(g, 0.01, 1)),
			                              round4(uniform(g, 1, 5))));
			break;
		case 2:
			json_object_set_new(sw, "threads.g0_0.count",
			                    json_pack("[ii]", 1, 2 + below(g, 3)));
			break;
		case 3:
			json_object_set_new(sw, "features.rwsem_policy", pick2(g, policies));
			break;
		case 4:
			json_object_set_new(sw, "processes[0].count", json_pack("[ii]", 1, 2));
			break;
		case 5:
			json_object_set_new(sw, "replications", json_pack("[ii]", 1, 2));
			break;
		default:
			json_object_set_new(sw, "machine.wakeup_us",
			                    json_pack("[ff]", 0.0, round4(uniform(g, 0.1, 20))));
			break;
		}
	}
	return sw;
}

/* The run's length, warm-up and replications. */
static void run_keys_gen(struct gen *g, json_t *s, int slow)
{
	double dur = round4(g->max_duration_s * uniform(g, 0.2, 1) * (slow ? 0.2 : 1));

	json_object_set_new(s, "duration_s", json_real(dur));
	if (chance(g, 0.1))
		json_object_set_new(s, "warmup_s", json_string("mser5"));
	else if (chance(g, 0.4))
		json_object_set_new(s, "warmup_s", json_real(round4(uniform(g, 0, dur / 2))));
	if (chance(g, 0.5))
		json_object_set_new(s, "seed", json_integer(below(g, 1u << 31)));
	if (chance(g, 0.12)) {
		json_object_set_new(s, "replications", json_integer(2));
		if (chance(g, 0.5))
			json_object_set_new(s, "confidence",
			                    json_real(round4(uniform(g, 0.5, 0.99))));
		if (chance(g, 0.3))
			json_object_set_new(s, "until",
			                    json_pack("{ss sf si}", "metric", "engine.events",
			                              "relative_half_width", 0.5,
			                              "max_replications", 3));
	}
}

static json_t *scenario_gen(struct gen *g, int sweep)
{
	unsigned nr_cgroups = chance(g, 0.3) ? 1 + below(g, 2) : 0;
	char name[32];
	json_t *s, *disk = json_object(), *machine = machine_gen(g);

	snprintf(name, sizeof(name), "prop-%lu", g->seed);
	s = json_pack("{ss ss}", "name", name, "description", "a random scenario of prop-gen");
	g->cpus = json_integer_value(json_object_get(machine, "cpus")) > 0;
	run_keys_gen(g, s, g->cpus);
	json_object_set_new(s, "kernel", json_string(pick(g, kernels)));
	json_object_set_new(s, "features", features_gen(g));
	json_object_set_new(s, "machine", machine);
	if (chance(g, 0.3))
		json_object_set_new(disk, "scheduler", json_string("fifo"));
	device_gen(g, disk);
	json_object_set_new(s, "disk", disk);
	json_object_set_new(s, "swap", swap_gen(g));
	if (chance(g, 0.3))
		json_object_set_new(
		        s, "fairness",
		        json_pack("{sf}", "starved_wait_us", round4(uniform(g, 10, 10000))));
	if (nr_cgroups)
		json_object_set_new(s, "cgroups", cgroups_gen(g, nr_cgroups));
	json_object_set_new(s, "processes", processes_gen(g, nr_cgroups));
	if (sweep || chance(g, 0.3))
		json_object_set_new(s, "sweep", sweep_gen(g));
	return s;
}

static void usage(void)
{
	fprintf(stderr, "usage: prop-gen [-d MAX_DURATION_S] [-s] SEED COUNT DIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct gen g = { .max_duration_s = 0.2 };
	unsigned long first, count;
	int sweep = 0, i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-s") == 0)
			sweep = 1;
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			g.max_duration_s = strtod(argv[++i], NULL);
		else
			usage();
	}
	if (argc - i != 3 || !(g.max_duration_s > 0))
		usage();
	first = strtoul(argv[i], NULL, 10);
	count = strtoul(argv[i + 1], NULL, 10);
	g.dir = argv[i + 2];
	g.rng = gsl_rng_alloc(gsl_rng_mt19937);
	for (unsigned long n = first; n < first + count; n++) {
		char path[4096];
		json_t *s;

		g.seed = n;
		g.nr_emp = 0;
		gsl_rng_set(g.rng, n);
		s = scenario_gen(&g, sweep);
		snprintf(path, sizeof(path), "%s/prop-%lu.json", g.dir, n);
		if (json_dump_file(s, path, JSON_INDENT(1) | JSON_REAL_PRECISION(6))) {
			fprintf(stderr, "prop-gen: cannot write %s\n", path);
			return 1;
		}
		json_decref(s);
		printf("%s\n", path);
	}
	gsl_rng_free(g.rng);
	return fflush(stdout) ? 1 : 0;
}
