/*
 * scenario_checks.c - the checks of a point that take more than one
 * section (see scenario_impl.h): names, threads, files, swap space.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/params.h"
#include "sim/scenario_impl.h"
#include "sim/util.h"

/* A run needs a thread: groups may have count 0, but not all of them. */
static void check_thread_count(struct diag *d, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			if (s->procs[p].groups[g].count > 0)
				return;
	if (s->nr_groups > 0)
		diag_error(d, ".processes",
		           "at least one thread expected, got count 0 in every thread group");
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
		diag_error(d, ".processes",
		           "%.0f simulated threads out of range [1, %d]: each is a SimGrid actor "
		           "whose stack and guard page take %d of the %d memory mappings Linux "
		           "allows a process by default (vm.max_map_count)",
		           n, THREADS_MAX, MAPS_PER_ACTOR, MAX_MAP_COUNT_DEFAULT);
	else if (n > have)
		diag_error(d, ".processes",
		           "%.0f simulated threads, more than the %.0f this machine can run: each "
		           "is a SimGrid actor whose stack and guard page take %d memory mappings, "
		           "and vm.max_map_count is %lu here (raise it to %d: sysctl -w "
		           "vm.max_map_count=%d)",
		           n, have, MAPS_PER_ACTOR, mmc, MAX_MAP_COUNT_DEFAULT,
		           MAX_MAP_COUNT_DEFAULT);
}

/* Mapping @m of process @p, a mapping of @o's file, must agree on its size and cached share. */
static void check_same_file(struct diag *d, json_t *root, const struct scenario *s, unsigned p,
                            unsigned m, unsigned q, unsigned n)
{
	static const char *const keys[] = { "size_mb", "cached_fraction" };
	const struct mapping_config *mc = &s->procs[p].maps[m], *o = &s->procs[q].maps[n];
	const double mine[] = { mc->size_mb, mc->cached_fraction };
	const double theirs[] = { o->size_mb, o->cached_fraction };
	json_t *js = json_array_get(
	        json_object_get(json_array_get(json_object_get(root, "processes"), p), "mappings"),
	        m);
	/* a file mapping without "file" maps the file of its name: say so, it is easy to miss */
	const char *implicit =
	        json_object_get(js, "file") ? "" : " (the mapping's name: it has no key 'file')";

	if (mc->device != o->device) {
		char *path = xasprintf(".processes[%u].mappings[%u].device", p, m);

		diag_error(d, path,
		           "'%s' for file '%s'%s, which .processes[%u].mappings[%u] puts on '%s' "
		           "(a file lies on one device: the same device expected)",
		           mc->device ? s->device_names[mc->device - 1] : "disk", mc->file,
		           implicit, q, n, o->device ? s->device_names[o->device - 1] : "disk");
		free(path);
	}
	for (int k = 0; k < 2; k++) {
		char *path;

		if (mine[k] == theirs[k])
			continue;
		path = xasprintf(".processes[%u].mappings[%u].%s", p, m, keys[k]);
		diag_error(d, path,
		           "%s for file '%s'%s, which .processes[%u].mappings[%u] maps with %s %s "
		           "(mappings of one file share its pages: the same %s expected)",
		           num(mine[k]).s, mc->file, implicit, q, n, keys[k], num(theirs[k]).s,
		           keys[k]);
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
				for (unsigned n = 0;
				     n < (q == p ? m : s->procs[q].nr_maps) && !found; n++) {
					const struct mapping_config *o = &s->procs[q].maps[n];

					if (!o->file || strcmp(o->file, mc->file) != 0 ||
					    !o->size_mb)
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
 * The mappings with pages swapped out at start, for a message (new string:
 * "processes[0].mappings[1] ('heap') 12 MB, ..."), and their slots in *@need.
 */
static char *swap_users(const struct scenario *s, uint64_t *need)
{
	unsigned listed = 0, more = 0;
	char *who = xstrdup(""), *t;

	*need = 0;
	for (unsigned p = 0; p < s->nr_procs; p++) {
		const struct process_config *pc = &s->procs[p];

		for (unsigned m = 0; m < pc->nr_maps; m++) {
			const struct mapping_config *mc = &pc->maps[m];
			uint64_t want = mapping_swap_slots(mc) * pc->count;
			char count[32] = "";

			if (!want)
				continue;
			*need += want;
			if (listed == SWAP_LIST_MAX) {
				more++;
				continue;
			}
			listed++;
			if (pc->count != 1)
				snprintf(count, sizeof(count), ", %u processes", pc->count);
			t = xasprintf("%s%s.processes[%u].mappings[%u] ('%s'%s) %s MB", who,
			              *who ? ", " : "", p, m, mc->name ? mc->name : "?", count,
			              num((double)want / MB_PAGES).s);
			free(who);
			who = t;
		}
	}
	if (more) {
		t = xasprintf("%s and %u more", who, more);
		free(who);
		who = t;
	}
	return who;
}

/*
 * The anonymous pages swapped out at start (swapped_fraction, in every
 * replica of a process) need a swap slot each: with too few, building the
 * machine would fail. Counted by the model's own functions (models/swap.h).
 */
static void check_swap_size(struct diag *d, json_t *root, const struct scenario *s)
{
	json_t *v = json_object_get(json_object_get(root, "swap"), "size_mb");
	const struct param *size = &swap_params[0];
	uint64_t have = swap_usable_slots(&s->swap), need;
	char *who;

	if (v && (!json_is_number(v) || json_number_value(v) != s->swap.size_mb))
		return; /* not loaded: reported already */
	while (size->key && strcmp(size->key, "size_mb") != 0)
		size++;
	who = swap_users(s, &need);
	if (need > have && (double)need / MB_PAGES <= size->max)
		diag_error(d, ".swap.size_mb",
		           "%s%s out of range [%s, %s]: the pages swapped out at start "
		           "(swapped_fraction) need %s MB of swap (%" PRIu64 " pages, %" PRIu64
		           " available): %s",
		           num(s->swap.size_mb).s, v ? "" : " (the default)",
		           num((double)need / MB_PAGES).s, num(size->max).s,
		           num((double)need / MB_PAGES).s, need, have, who);
	else if (need > have)
		diag_error(d, ".swap.size_mb",
		           "%s%s too small: the pages swapped out at start (swapped_fraction) need "
		           "%s MB of swap, more than the largest size_mb, %s: %s",
		           num(s->swap.size_mb).s, v ? "" : " (the default)",
		           num((double)need / MB_PAGES).s, num(size->max).s, who);
	free(who);
}

void scenario_check(struct diag *d, json_t *root, const struct scenario *s)
{
	scenario_check_names(d, s);
	check_thread_count(d, s);
	check_thread_budget(d, s);
	check_files(d, root, s);
	check_swap_size(d, root, s);
}
