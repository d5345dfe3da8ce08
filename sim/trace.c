/*
 * trace.c - the timelines of one run: the hooks turn records into slices,
 * counters and flows (clipped to the window as they come), and trace_end()
 * orders them and hands them to a writer (sim/trace_tef.c, trace_paje.c).
 *
 * Records come when an interval ends (a grant carries its request time), so
 * slices are kept in memory and sorted at the end; --trace-window bounds
 * them. The counters of a lock (readers holding, writers and readers
 * waiting) are rebuilt from the clipped intervals, so they agree with the
 * slices at every instant of the window.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/rwsem.h"
#include "sim/record.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/util.h"

struct trace *trace_active;

/* A level change of a lock's counter, rebuilt into values at the end. */
struct trace_delta {
	sim_ns ts;
	int track, kind, delta;
};

/* The counters of a lock track, in the order of their kinds. */
static const char *const lock_counter_names[] = { "readers holding", "writers waiting",
	                                          "readers waiting" };
enum { CTR_READERS_HOLDING, CTR_WRITERS_WAITING, CTR_READERS_WAITING };

struct trace_task {
	const struct task *task; /* NULL: a free slot */
	int track;
};

struct trace {
	struct trace_options opt;
	const struct scenario *s;
	char **processes; /* the scenario's processes, then "devices" */
	unsigned nr_processes;
	unsigned *group_process; /* each thread group's process */
	unsigned *group_threads; /* threads of each group seen so far (their names) */
	const char **group_names;
	struct trace_track *tracks;
	unsigned nr_tracks, cap_tracks;
	struct trace_task *tasks; /* open addressing: task -> its track */
	size_t cap_tasks, nr_tasks;
	struct trace_slice *slices;
	size_t nr_slices, cap_slices;
	struct trace_slice *read_holds; /* per lock, merged into "read held" slices at the end */
	size_t nr_read_holds, cap_read_holds;
	struct trace_slice *services; /* device service slices, their lanes set at the end */
	size_t nr_services, cap_services;
	struct trace_delta *deltas;
	size_t nr_deltas, cap_deltas;
	struct trace_delta
	        *levels; /* the devices' queue lengths: .track the device, .delta the value */
	size_t nr_levels, cap_levels;
	struct trace_counter *counters;
	size_t nr_counters, cap_counters;
	struct trace_flow *flows;
	size_t nr_flows, cap_flows;
	int queue_before[DISK_DEVICES]; /* each device's requests when the window opens */
	sim_ns queue_before_ts[DISK_DEVICES];
	bool device_used[DISK_DEVICES];
};

#define GROW(arr, nr, cap)                                                                         \
	do {                                                                                       \
		if ((nr) == (cap)) {                                                               \
			(cap) = (cap) ? 2 * (cap) : 256;                                           \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                           \
		}                                                                                  \
	} while (0)

/* ---- options ------------------------------------------------------------- */

int trace_parse_window(struct trace_options *o, const char *arg)
{
	char *end;
	double t0, t1;

	errno = 0;
	t0 = strtod(arg, &end);
	if (errno == 0 && *end == ':') {
		t1 = strtod(end + 1, &end);
		if (errno == 0 && *end == '\0' && t0 >= 0 && t1 > t0 && t1 < 1e9) {
			o->t0 = (sim_ns)(t0 * 1e9 + 0.5);
			o->t1 = (sim_ns)(t1 * 1e9 + 0.5);
			return 0;
		}
	}
	fprintf(stderr,
	        "mmsim: --trace-window: T0:T1 in seconds of simulated time with 0 <= T0 < T1 "
	        "expected, got '%s'\n",
	        arg);
	return 2;
}

int trace_parse_format(struct trace_options *o, const char *arg)
{
	if (strcmp(arg, "tef") == 0)
		o->format = TRACE_TEF;
	else if (strcmp(arg, "paje") == 0)
		o->format = TRACE_PAJE;
	else {
		fprintf(stderr, "mmsim: --trace-format: tef or paje expected, got '%s'\n", arg);
		return 2;
	}
	return 0;
}

/* ---- tracks -------------------------------------------------------------- */

static int trace_track_add(struct trace *tr, enum trace_track_kind kind, int process, char *name)
{
	GROW(tr->tracks, tr->nr_tracks, tr->cap_tracks);
	tr->tracks[tr->nr_tracks] = (struct trace_track){
		.kind = kind, .process = process, .tid = (int)tr->nr_tracks + 1, .name = name
	};
	return (int)tr->nr_tracks++;
}

static size_t task_slot(const struct trace_task *tasks, size_t cap, const struct task *t)
{
	size_t i = ((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ULL % cap;

	while (tasks[i].task && tasks[i].task != t)
		i = (i + 1) % cap;
	return i;
}

static void trace_tasks_grow(struct trace *tr)
{
	size_t cap = tr->cap_tasks ? 2 * tr->cap_tasks : 1024;
	struct trace_task *tasks = xcalloc(cap, sizeof(*tasks));

	for (size_t i = 0; i < tr->cap_tasks; i++)
		if (tr->tasks[i].task)
			tasks[task_slot(tasks, cap, tr->tasks[i].task)] = tr->tasks[i];
	free(tr->tasks);
	tr->tasks = tasks;
	tr->cap_tasks = cap;
}

/* The track of thread @t, made when it first appears ("<group>.<n>", n from 0). */
static int thread_track(struct trace *tr, struct task *t)
{
	const struct record_ctx *c = task_owner(t);
	unsigned g;
	size_t i;
	int track;

	if (2 * (tr->nr_tasks + 1) > tr->cap_tasks)
		trace_tasks_grow(tr);
	i = task_slot(tr->tasks, tr->cap_tasks, t);
	if (tr->tasks[i].task)
		return tr->tasks[i].track;
	if (c->group < 0) /* a device: not a thread */
		return -1;
	g = (unsigned)c->group;
	track = trace_track_add(tr, TRACK_THREAD, (int)tr->group_process[g],
	                        xasprintf("%s.%u", tr->group_names[g], tr->group_threads[g]++));
	tr->tasks[i] = (struct trace_task){ .task = t, .track = track };
	tr->nr_tasks++;
	return track;
}

/* ---- recording ----------------------------------------------------------- */

/* [@start, @end] clipped to the window; false when they do not meet. */
static bool trace_clip(const struct trace *tr, sim_ns *start, sim_ns *end)
{
	if (*end < tr->opt.t0 || *start > tr->opt.t1)
		return false;
	if (*start < tr->opt.t0)
		*start = tr->opt.t0;
	if (*end > tr->opt.t1)
		*end = tr->opt.t1;
	return true;
}

/* Appends a slice to @arr when it meets the window. */
static void slice_add(struct trace *tr, struct trace_slice **arr, size_t *nr, size_t *cap,
                      struct trace_slice sl)
{
	if (sl.track < 0 || !trace_clip(tr, &sl.start, &sl.end))
		return;
	GROW(*arr, *nr, *cap);
	(*arr)[(*nr)++] = sl;
}

static void thread_slice(struct trace *tr, struct task *t, sim_ns start, sim_ns end, int depth,
                         const char *name, const char *arg)
{
	slice_add(tr, &tr->slices, &tr->nr_slices, &tr->cap_slices,
	          (struct trace_slice){ .start = start,
	                                .end = end,
	                                .track = thread_track(tr, t),
	                                .depth = depth,
	                                .name = name,
	                                .arg = arg });
}

/* Counter @kind of lock track @track: +1 over [@start, @end] of the window. */
static void lock_level(struct trace *tr, int track, int kind, sim_ns start, sim_ns end)
{
	if (!trace_clip(tr, &start, &end))
		return;
	GROW(tr->deltas, tr->nr_deltas, tr->cap_deltas);
	tr->deltas[tr->nr_deltas++] = (struct trace_delta){ start, track, kind, +1 };
	GROW(tr->deltas, tr->nr_deltas, tr->cap_deltas);
	tr->deltas[tr->nr_deltas++] = (struct trace_delta){ end, track, kind, -1 };
}

/* The lock track of process @mm_id is track @mm_id (made first). */
void trace_lock_grant(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns request,
                      sim_ns grant)
{
	struct trace *tr = trace_active;

	if (grant <= request) /* uncontended: no wait to show */
		return;
	thread_slice(tr, t, request, grant, 2, mode == LOCK_READ ? "wait read" : "wait write",
	             lock_site_names[site]);
	lock_level(tr, mm_id, mode == LOCK_READ ? CTR_READERS_WAITING : CTR_WRITERS_WAITING,
	           request, grant);
}

void trace_lock_release(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns grant)
{
	struct trace *tr = trace_active;
	sim_ns now = task_now(t);

	thread_slice(tr, t, grant, now, 2, mode == LOCK_READ ? "hold read" : "hold write",
	             lock_site_names[site]);
	if (mode == LOCK_WRITE)
		slice_add(tr, &tr->slices, &tr->nr_slices, &tr->cap_slices,
		          (struct trace_slice){ .start = grant,
		                                .end = now,
		                                .track = mm_id,
		                                .name = "write held",
		                                .arg = lock_site_names[site] });
	else {
		slice_add(tr, &tr->read_holds, &tr->nr_read_holds, &tr->cap_read_holds,
		          (struct trace_slice){ .start = grant, .end = now, .track = mm_id });
		lock_level(tr, mm_id, CTR_READERS_HOLDING, grant, now);
	}
}

void trace_lock_handoff(struct task *waker, struct task *waiter, int mm_id)
{
	struct trace *tr = trace_active;
	sim_ns now;
	int from, to;

	(void)mm_id;
	if (!waker || !waiter || waker == waiter)
		return;
	now = task_now(waker);
	if (now < tr->opt.t0 || now > tr->opt.t1)
		return;
	from = thread_track(tr, waker);
	to = thread_track(tr, waiter);
	if (from < 0 || to < 0)
		return;
	GROW(tr->flows, tr->nr_flows, tr->cap_flows);
	tr->flows[tr->nr_flows] = (struct trace_flow){
		.ts = now, .from = from, .to = to, .id = (long long)tr->nr_flows + 1
	};
	tr->nr_flows++;
}

void record_lock_handoff(struct task *waker, struct task *waiter, int mm_id)
{
	if (trace_active)
		trace_lock_handoff(waker, waiter, mm_id);
}

void trace_page_wait(struct task *t, int file_id, sim_ns request, sim_ns end)
{
	if (end > request)
		thread_slice(trace_active, t, request, end, 3, "page wait",
		             file_id < 0 ? "swap" : "file");
}

void trace_fault(struct task *t, bool major, int retries, sim_ns start)
{
	(void)retries;
	thread_slice(trace_active, t, start, task_now(t), 1, major ? "major fault" : "minor fault",
	             NULL);
}

void trace_iteration(struct task *t, sim_ns start)
{
	thread_slice(trace_active, t, start, task_now(t), 0, "op", NULL);
}

void trace_disk_level(struct task *t, int device, int in_device)
{
	struct trace *tr = trace_active;
	sim_ns now = task_now(t);

	tr->device_used[device] = true;
	if (now < tr->opt.t0) {
		tr->queue_before[device] = in_device;
		tr->queue_before_ts[device] = now;
		return;
	}
	if (now > tr->opt.t1)
		return;
	GROW(tr->levels, tr->nr_levels, tr->cap_levels);
	tr->levels[tr->nr_levels] =
	        (struct trace_delta){ now, device, (int)tr->nr_levels, in_device };
	tr->nr_levels++;
}

void trace_disk_complete(struct task *t, int device, int in_device, sim_ns submit, sim_ns start)
{
	struct trace *tr = trace_active;

	(void)submit;
	trace_disk_level(t, device, in_device);
	slice_add(tr, &tr->services, &tr->nr_services, &tr->cap_services,
	          (struct trace_slice){
	                  .start = start, .end = task_now(t), .track = device, .name = "service" });
}

/* ---- begin and end ------------------------------------------------------- */

void trace_begin(const struct trace_options *o, const struct scenario *s, sim_ns end_ns)
{
	struct trace *tr = xcalloc(1, sizeof(*tr));
	unsigned g = 0;

	tr->opt = *o;
	if (tr->opt.t1 < 0 || tr->opt.t1 > end_ns)
		tr->opt.t1 = end_ns;
	tr->s = s;
	tr->nr_processes = s->nr_procs + 1;
	tr->processes = xcalloc(tr->nr_processes, sizeof(*tr->processes));
	tr->group_process = xcalloc(s->nr_groups + 1, sizeof(*tr->group_process));
	tr->group_threads = xcalloc(s->nr_groups + 1, sizeof(*tr->group_threads));
	tr->group_names = xcalloc(s->nr_groups + 1, sizeof(*tr->group_names));
	for (unsigned p = 0; p < s->nr_procs; p++) {
		tr->processes[p] = xstrdup(s->procs[p].name);
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++)
			tr->group_names[g] = s->procs[p].groups[i].name, tr->group_process[g++] = p;
	}
	tr->processes[s->nr_procs] = xstrdup("devices");
	/* the lock tracks first: track i is process i's mmap_sem */
	for (unsigned p = 0; p < s->nr_procs; p++)
		trace_track_add(tr, TRACK_LOCK, (int)p, xstrdup("mmap_sem"));
	trace_tasks_grow(tr);
	trace_active = tr;
}

static const char *device_name(const struct trace *tr, int device)
{
	return device == DISK_DEVICE_MAIN   ? "disk"
	       : device == DISK_DEVICE_SWAP ? "swap"
	                                    : tr->s->device_names[device - DISK_DEVICE_NAMED];
}

/* -1, 0, 1 as @a is below, equal to, above @b: the sort keys below, compared in turn. */
static int order(long long a, long long b)
{
	return (a > b) - (a < b);
}

/* By track, start, the outer one first. */
static int slice_by_start(const void *a, const void *b)
{
	const struct trace_slice *x = a, *y = b;
	int c;

	if ((c = order(x->track, y->track)) || (c = order(x->start, y->start)) ||
	    (c = order(y->end, x->end)))
		return c;
	return order(x->depth, y->depth);
}

/* By lock track, counter, time. */
static int delta_by_time(const void *a, const void *b)
{
	const struct trace_delta *x = a, *y = b;
	int c;

	if ((c = order(x->track, y->track)) || (c = order(x->kind, y->kind)))
		return c;
	return order(x->ts, y->ts);
}

/* By device, time, then the record's order (.kind): the changes of one instant stay in order. */
static int level_by_time(const void *a, const void *b)
{
	const struct trace_delta *x = a, *y = b;
	int c;

	if ((c = order(x->track, y->track)) || (c = order(x->ts, y->ts)))
		return c;
	return order(x->kind, y->kind);
}

static void counter_add(struct trace *tr, sim_ns ts, int track, const char *name, long value)
{
	GROW(tr->counters, tr->nr_counters, tr->cap_counters);
	tr->counters[tr->nr_counters++] =
	        (struct trace_counter){ .ts = ts, .track = track, .name = name, .value = value };
}

static void slice_push(struct trace *tr, struct trace_slice sl)
{
	GROW(tr->slices, tr->nr_slices, tr->cap_slices);
	tr->slices[tr->nr_slices++] = sl;
}

/*
 * Each device's service slices on as few lanes as keep them apart (one per
 * channel busy at once), its queue length on its first lane.
 */
static void trace_devices(struct trace *tr)
{
	size_t i = 0, j = 0; /* the next service, the next level (both sorted by device) */
	sim_ns *lane_end =
	        NULL; /* when each lane's last slice ends: a lane per channel busy at once */

	sort_items(tr->services, tr->nr_services, sizeof(*tr->services), slice_by_start);
	sort_items(tr->levels, tr->nr_levels, sizeof(*tr->levels), level_by_time);
	for (int d = 0; d < DISK_DEVICES; d++) {
		int first = (int)tr->nr_tracks, nr_lanes = 0;

		if (!tr->device_used[d])
			continue;
		trace_track_add(tr, TRACK_DEVICE, (int)tr->s->nr_procs,
		                xstrdup(device_name(tr, d)));
		nr_lanes = 1;
		lane_end = xrealloc(lane_end, sizeof(*lane_end));
		lane_end[0] = tr->opt.t0;
		for (; i < tr->nr_services && tr->services[i].track == d; i++) {
			struct trace_slice sl = tr->services[i];
			int lane = 0;

			while (lane < nr_lanes && lane_end[lane] > sl.start)
				lane++;
			if (lane == nr_lanes) {
				lane_end = xrealloc(lane_end,
				                    (size_t)(nr_lanes + 1) * sizeof(*lane_end));
				trace_track_add(tr, TRACK_DEVICE, (int)tr->s->nr_procs,
				                xasprintf("%s #%d", device_name(tr, d), lane));
				nr_lanes++;
			}
			lane_end[lane] = sl.end;
			sl.track = first + lane;
			slice_push(tr, sl);
		}
		counter_add(tr, tr->opt.t0, first, "queue length", tr->queue_before[d]);
		for (; j < tr->nr_levels && tr->levels[j].track == d; j++)
			counter_add(tr, tr->levels[j].ts, first, "queue length",
			            tr->levels[j].delta);
	}
	free(lane_end);
}

/* The read holds of each lock merged into "read held" slices on its track. */
static void trace_read_held(struct trace *tr)
{
	sort_items(tr->read_holds, tr->nr_read_holds, sizeof(*tr->read_holds), slice_by_start);
	for (size_t i = 0; i < tr->nr_read_holds;) {
		struct trace_slice sl = { .start = tr->read_holds[i].start,
			                  .end = tr->read_holds[i].end,
			                  .track = tr->read_holds[i].track,
			                  .name = "read held" };

		for (i++; i < tr->nr_read_holds && tr->read_holds[i].track == sl.track &&
		          tr->read_holds[i].start <= sl.end;
		     i++)
			if (tr->read_holds[i].end > sl.end)
				sl.end = tr->read_holds[i].end;
		slice_push(tr, sl);
	}
}

/* The lock counters from their deltas: a value at the window's start, then one per change. */
static void trace_lock_counters(struct trace *tr)
{
	size_t i = 0;

	sort_items(tr->deltas, tr->nr_deltas, sizeof(*tr->deltas), delta_by_time);
	for (int track = 0; track < (int)tr->s->nr_procs; track++) {
		for (int kind = 0; kind < 3; kind++) {
			const char *name = lock_counter_names[kind];
			long value = 0;
			sim_ns ts = tr->opt.t0;

			while (i < tr->nr_deltas && tr->deltas[i].track == track &&
			       tr->deltas[i].kind == kind) {
				if (tr->deltas[i].ts != ts) {
					counter_add(tr, ts, track, name, value);
					ts = tr->deltas[i].ts;
				}
				value += tr->deltas[i++].delta;
			}
			counter_add(tr, ts, track, name, value);
		}
	}
}

static int flow_by_time(const void *a, const void *b)
{
	const struct trace_flow *x = a, *y = b;
	int c = order(x->ts, y->ts);

	return c ? c : order(x->id, y->id);
}

static void trace_free(struct trace *tr)
{
	for (unsigned i = 0; i < tr->nr_processes; i++)
		free(tr->processes[i]);
	for (unsigned i = 0; i < tr->nr_tracks; i++)
		free(tr->tracks[i].name);
	free(tr->processes);
	free(tr->group_process);
	free(tr->group_threads);
	free(tr->group_names);
	free(tr->tracks);
	free(tr->tasks);
	free(tr->slices);
	free(tr->read_holds);
	free(tr->services);
	free(tr->deltas);
	free(tr->levels);
	free(tr->counters);
	free(tr->flows);
	free(tr);
}

int trace_end(void)
{
	struct trace *tr = trace_active;
	struct trace_data d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 1;

	if (!tr)
		return 0;
	trace_active = NULL;
	trace_devices(tr);
	trace_read_held(tr);
	trace_lock_counters(tr);
	sort_items(tr->slices, tr->nr_slices, sizeof(*tr->slices), slice_by_start);
	sort_items(tr->flows, tr->nr_flows, sizeof(*tr->flows), flow_by_time);
	d = (struct trace_data){ .processes = (const char *const *)tr->processes,
		                 .nr_processes = tr->nr_processes,
		                 .tracks = tr->tracks,
		                 .nr_tracks = tr->nr_tracks,
		                 .slices = tr->slices,
		                 .nr_slices = tr->nr_slices,
		                 .counters = tr->counters,
		                 .nr_counters = tr->nr_counters,
		                 .flows = tr->flows,
		                 .nr_flows = tr->nr_flows,
		                 .t0 = tr->opt.t0,
		                 .t1 = tr->opt.t1 };
	if ((f = open_memstream(&buf, &len))) {
		int w = tr->opt.format == TRACE_PAJE ? trace_write_paje(f, &d)
		                                     : trace_write_tef(f, &d);

		if (fclose(f) == 0 && w == 0)
			rc = write_file_atomic(tr->opt.path, buf, len) == 0 ? 0 : 1;
	}
	if (rc)
		fprintf(stderr, "mmsim: --trace: cannot write %s: %s\n", tr->opt.path,
		        strerror(errno));
	free(buf);
	trace_free(tr);
	return rc;
}
