/*
 * runner.c - builds the simulated machine of a point, runs it on the engine,
 * and hands the records to the output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "models/kvm.h"
#include "models/thread.h"
#include "sim/engine.h"
#include "sim/json_path.h"
#include "sim/metrics/intervals.h"
#include "sim/mser.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/runner.h"
#include "sim/trace.h"
#include "sim/util.h"

/* A distinct, reproducible seed per random stream (splitmix64 of both). */
static unsigned long stream_seed(unsigned long seed, unsigned stream)
{
	uint64_t z = seed * 0x9E3779B97F4A7C15ULL + (stream + 1) * 0xD1B54A32D192ED03ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned long)(z & 0xffffffffUL) | 1;
}

/* What a point's run owns. */
struct world {
	struct kernel k;
	struct mm *mms;          /* owned, one per process */
	struct thread *threads;  /* owned */
	struct record_ctx *ctxs; /* owned: one per thread, one per group (its jobs), the devices' */
	unsigned nr_threads;
	struct thread_arrivals *streams; /* owned: the open groups' arrival streams */
	unsigned *stream_group; /* owned: each stream's group (index of its record context) */
	unsigned nr_streams;
	struct mm **mm_ptrs; /* owned: the kernel's view of the processes */
	unsigned nr_mms;     /* processes, replicas included */
	gsl_rng *setup_rng;  /* owned */
	sim_ns warmup_ns;
	double warm_area[3]; /* the lock levels' integrals at the warm-up's end */
	long warm_value[3];  /* ...and the levels then */
};

/* Sums the lock levels of every process at @now: { waiting, readers, writers }. */
static void world_lock_levels(const struct world *w, sim_ns now, double area[3], long value[3])
{
	for (int i = 0; i < 3; i++) {
		area[i] = 0;
		value[i] = 0;
	}
	for (unsigned m = 0; m < w->nr_mms; m++)
		rwsem_add_levels(&w->mms[m].mmap_sem, now, area, value);
}

/*
 * A task that takes the levels' integrals when the warm-up ends (before the
 * other events of that instant: it was scheduled first), then idles.
 */
static void world_warmup_main(struct task *t)
{
	struct world *w = task_data(t);

	task_sleep(t, w->warmup_ns);
	world_lock_levels(w, task_now(t), w->warm_area, w->warm_value);
	for (;;)
		task_park(t);
}

/* Processes with their replicas ("count"), and threads over all of them. */
static unsigned world_mm_count(const struct scenario *s)
{
	unsigned n = 0;

	for (unsigned p = 0; p < s->nr_procs; p++)
		n += s->procs[p].count;
	return n;
}

/* The closed groups' threads (@open false), or the open groups' arrival streams. */
static unsigned world_thread_count(const struct scenario *s, bool open)
{
	unsigned n = 0;

	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			if (thread_group_open(&s->procs[p].groups[g]) == open)
				n += s->procs[p].count * s->procs[p].groups[g].count;
	return n;
}

/* Group @grp of process replica @mm: its threads, or its arrival streams. */
static void world_group(struct world *w, struct recorder *rec, struct mm *mm,
                        const struct thread_group_config *grp, unsigned gidx, unsigned *t)
{
	struct thread tmpl = { .k = &w->k, .mm = mm, .group = grp };

	for (unsigned c = 0; c < grp->count; c++) {
		if (thread_group_open(grp)) {
			w->stream_group[w->nr_streams] = gidx;
			w->streams[w->nr_streams++] = (struct thread_arrivals){ .tmpl = tmpl };
			continue;
		}
		w->threads[*t] = tmpl;
		w->ctxs[*t] =
		        (struct record_ctx){ .rec = rec, .group = (int)gidx, .thread = (int)*t };
		(*t)++;
	}
}

/*
 * Replicas of a process are processes of their own (an mm each) whose
 * records add up under the process's name: their mm id is the process's index.
 */
static int world_build(struct world *w, const struct scenario *s, unsigned long seed,
                       struct recorder *rec)
{
	unsigned g0 = 0, t = 0, m = 0;

	memset(w, 0, sizeof(*w));
	if (kernel_init(&w->k, &s->features, &s->machine, &s->disk, &s->swap, s->cgroups,
	                s->nr_cgroups, s->devices, s->nr_devices))
		return -1;
	w->nr_mms = world_mm_count(s);
	w->mms = xcalloc(w->nr_mms, sizeof(*w->mms));
	w->mm_ptrs = xcalloc(w->nr_mms, sizeof(*w->mm_ptrs));
	w->k.mms = w->mm_ptrs;
	w->k.nr_mms = w->nr_mms;
	w->nr_threads = world_thread_count(s, false);
	w->threads = xcalloc(w->nr_threads, sizeof(*w->threads));
	w->streams = xcalloc(world_thread_count(s, true) + 1, sizeof(*w->streams));
	w->stream_group = xcalloc(world_thread_count(s, true) + 1, sizeof(*w->stream_group));
	w->ctxs = xcalloc(w->nr_threads + s->nr_groups + 1, sizeof(*w->ctxs));
	/* the initially swapped pages: a stream of their own, after the tasks' */
	w->setup_rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(w->setup_rng, stream_seed(seed, w->nr_threads + 2));
	for (unsigned p = 0; p < s->nr_procs; p++) {
		const struct process_config *pc = &s->procs[p];

		for (unsigned i = 0; i < pc->nr_groups; i++)
			w->ctxs[w->nr_threads + g0 + i] = (struct record_ctx){
				.rec = rec, .group = (int)(g0 + i), .thread = -1
			};
		for (unsigned r = 0; r < pc->count; r++, m++) {
			w->mm_ptrs[m] = &w->mms[m];
			if (mm_init(&w->mms[m], &w->k, (int)p, pc->maps, pc->nr_maps, w->setup_rng))
				return -1;
			if (pc->cgroup >= 0)
				w->mms[m].memcg = &w->k.memcgs[pc->cgroup];
			for (unsigned i = 0; i < pc->nr_groups; i++)
				world_group(w, rec, &w->mms[m], &pc->groups[i], g0 + i, &t);
		}
		g0 += pc->nr_groups;
	}
	w->ctxs[w->nr_threads + g0] = (struct record_ctx){ .rec = rec, .group = -1, .thread = -1 };
	return 0;
}

static void world_release(struct world *w, const struct scenario *s)
{
	for (unsigned m = 0; m < w->nr_mms && w->mms; m++)
		mm_release(&w->mms[m]);
	kernel_release(&w->k);
	free(w->mms);
	free(w->mm_ptrs);
	if (w->setup_rng)
		gsl_rng_free(w->setup_rng);
	for (unsigned t = 0; t < w->nr_threads && w->threads; t++)
		kvm_thread_release(&w->threads[t]);
	for (unsigned i = 0; i < w->nr_streams; i++)
		thread_arrivals_release(&w->streams[i]);
	free(w->streams);
	free(w->stream_group);
	free(w->threads);
	free(w->ctxs);
	(void)s;
}

/* Threads start in scenario order (ties at t = 0 go to the first); the devices last. */
static void world_spawn(struct world *w, const struct scenario *s, unsigned long seed,
                        struct engine *e)
{
	unsigned t;

	for (t = 0; t < w->nr_threads; t++) {
		char name[64];

		snprintf(name, sizeof(name), "%s.%u", w->threads[t].group->name, t);
		engine_spawn(e, name, thread_main, &w->threads[t], stream_seed(seed, t), true,
		             &w->ctxs[t]);
	}
	engine_spawn(e, "disk", disk_main, &w->k.disk, stream_seed(seed, t), false,
	             &w->ctxs[t + s->nr_groups]);
	if (kernel_swap_own_device(&w->k))
		engine_spawn(e, "swap", disk_main, &w->k.swap_disk, stream_seed(seed, t + 1), false,
		             &w->ctxs[t + s->nr_groups]);
	for (unsigned i = 0; i < w->nr_streams; i++) { /* after the setup stream (t + 2) */
		engine_spawn(e, w->streams[i].tmpl.group->name, thread_arrivals_main,
		             &w->streams[i], stream_seed(seed, t + 3 + i), true,
		             &w->ctxs[w->nr_threads + w->stream_group[i]]);
	}
	for (unsigned i = 0; i < w->k.nr_devices;
	     i++) /* streams of their own, after the arrivals' */
		engine_spawn(e, s->device_names[i], disk_main, &w->k.devices[i],
		             stream_seed(seed, t + 3 + w->nr_streams + i), false,
		             &w->ctxs[t + s->nr_groups]);
	if (w->warmup_ns > 0)
		engine_spawn(e, "warm-up", world_warmup_main, w, 1, false,
		             &w->ctxs[t + s->nr_groups]);
}

static void runner_blocked(void *owner, sim_ns since, void *arg)
{
	(void)arg;
	recorder_blocked_at_end(owner, since);
}

/* The shape of the records of point @s. */
static struct recorder_shape runner_shape(const struct scenario *s)
{
	struct recorder_shape shape = output_recorder_shape(s);

	shape.nr_threads = world_thread_count(s, false);
	shape.starved_ns = (sim_ns)(s->fairness.starved_wait_us * 1e3 + 0.5);
	return shape;
}

/* Runs point @s with @seed into @rec (initialised); *@events: the engine's count. */
static int runner_simulate(const struct scenario *s, unsigned long seed,
                           const struct run_options *opt, struct recorder *rec, uint64_t *events)
{
	struct engine_config ec = {
		.end_ns = rec->end_ns,
		.cpus = s->machine.cpus,
		.lookahead = !opt->no_lookahead,
		.stack_kb = opt->stack_kb,
	};
	struct world w;
	struct engine *e;
	int rc = -1;

	if (world_build(&w, s, seed, rec) != 0)
		/* what the loader cannot check: memory for the page tables, swap slots */
		fprintf(stderr,
		        "mmsim: point %s: cannot build the machine: out of memory (page tables of "
		        "%u processes) or of swap slots (swap.size_mb)\n",
		        s->id, w.nr_mms);
	else if ((e = engine_new(&ec))) {
		w.warmup_ns = rec->warmup_ns;
		world_spawn(&w, s, seed, e);
		if (engine_run(e) == 0) {
			double area[3];
			long value[3];

			engine_foreach_blocked(e, runner_blocked, NULL);
			world_lock_levels(&w, rec->end_ns, area, value);
			recorder_lock_levels(rec, w.warm_area, w.warm_value, area, value);
			recorder_finish(rec);
			*events = engine_events(e);
			rc = 0;
		}
		engine_free(e);
	}
	world_release(&w, s);
	return rc;
}

static sim_ns runner_end_ns(const struct scenario *s)
{
	return (sim_ns)(s->duration_s * 1e9 + 0.5);
}

int runner_point(const struct scenario_set *set, const struct scenario *s,
                 const struct replication *rep, const char *dir, const struct run_options *opt)
{
	struct recorder_shape shape = runner_shape(s);
	struct recorder rec;
	uint64_t events = 0;
	bool traced = opt->trace && rep->index == 0 && strcmp(opt->trace->point, s->id) == 0;
	int rc;

	recorder_init(&rec, &shape, rep->warmup_ns, runner_end_ns(s));
	if (traced)
		trace_begin(opt->trace, s, runner_end_ns(s));
	if (opt->interval_ns) /* checked by the command: never too many rows */
		rec.intervals = intervals_new(&rec, &shape, opt->interval_ns);
	rc = runner_simulate(s, rep->seed, opt, &rec, &events);
	if (traced && trace_end() != 0)
		rc = -1;
	if (rc == 0 && rep->index == 0) /* once per point, not per replication */
		output_warnings(s, &rec);
	if (rc == 0)
		rc = output_point(dir, set, s, rep, &rec, events);
	intervals_free(rec.intervals);
	recorder_release(&rec);
	return rc;
}

/* Batches of the pilot's series: 64 KiB, whatever the run's length. */
#define RUNNER_MSER_BATCHES 4096

int runner_pilot(const struct scenario *s, unsigned long seed, const struct run_options *opt,
                 sim_ns *warmup_ns)
{
	struct recorder_shape shape = runner_shape(s);
	struct mser_series series;
	struct recorder rec;
	uint64_t events = 0;
	unsigned d;
	int rc;

	mser_series_init(&series, RUNNER_MSER_BATCHES);
	recorder_init(&rec, &shape, 0, runner_end_ns(s));
	rec.series = &series;
	rc = runner_simulate(s, seed, opt, &rec, &events);
	*warmup_ns = rc == 0 ? mser_truncation(&series, &d) : 0;
	recorder_release(&rec);
	mser_series_release(&series);
	return rc;
}
