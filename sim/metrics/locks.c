/* locks.c - the records of mmap_sem and their metrics (mmap_sem.*, processes.<p>.mmap_sem). */
#include <assert.h>

#include "sim/metrics/intervals.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/trace.h"
#include "sim/util.h"

static void lock_stats_init(struct lock_stats *l)
{
	l->sites = xcalloc(SITE_COUNT, sizeof(*l->sites));
	for (int m = 0; m < 2; m++) {
		summary_init(&l->wait[m]);
		summary_init(&l->hold[m]);
	}
	for (int i = 0; i < SITE_COUNT; i++) {
		for (int m = 0; m < 2; m++) {
			summary_init(&l->sites[i].wait[m]);
			summary_init(&l->sites[i].hold[m]);
		}
	}
}

static void lock_stats_release(struct lock_stats *l)
{
	for (int m = 0; m < 2; m++) {
		summary_release(&l->wait[m]);
		summary_release(&l->hold[m]);
	}
	for (int i = 0; l->sites && i < SITE_COUNT; i++) {
		for (int m = 0; m < 2; m++) {
			summary_release(&l->sites[i].wait[m]);
			summary_release(&l->sites[i].hold[m]);
		}
	}
	free(l->sites);
	l->sites = NULL;
}

static struct lock_site_stats *lock_site(struct lock_stats *l, int site)
{
	assert(site >= 0 && site < SITE_COUNT);
	return &l->sites[site];
}

static void lock_init(struct recorder *r, const struct recorder_shape *shape)
{
	struct lock_metrics *m = &r->locks;

	m->nr_mms = shape->nr_mms;
	m->mm = xcalloc(m->nr_mms, sizeof(*m->mm));
	for (unsigned i = 0; i < m->nr_mms; i++)
		lock_stats_init(&m->mm[i]);
	lock_stats_init(&m->all);
	summary_init(&m->rwsem.spin);
}

static void lock_release(struct recorder *r)
{
	struct lock_metrics *m = &r->locks;

	for (unsigned i = 0; i < m->nr_mms; i++)
		lock_stats_release(&m->mm[i]);
	lock_stats_release(&m->all);
	summary_release(&m->rwsem.spin);
	free(m->mm);
}

/*
 * --trace and --interval-ms, out of line: inlined, their calls made every
 * record save and restore six registers (a fifth of a record's instructions).
 */
static __attribute__((noinline)) void lock_grant_hooks(struct task *t, int mm_id,
                                                       enum lock_mode mode, int site,
                                                       sim_ns request, sim_ns grant)
{
	struct interval_series *is = intervals_of(t);

	if (trace_active)
		trace_lock_grant(t, mm_id, mode, site, request, grant);
	if (is)
		intervals_lock_grant(is, mode, request, grant);
}

static __attribute__((noinline)) void lock_release_hooks(struct task *t, int mm_id,
                                                         enum lock_mode mode, int site,
                                                         sim_ns grant, sim_ns now)
{
	struct interval_series *is = intervals_of(t);

	if (trace_active)
		trace_lock_release(t, mm_id, mode, site, grant);
	if (is)
		intervals_lock_release(is, mode, grant, now);
}

/*
 * The two records of every acquisition, inlined into the rwsem's paths by the
 * link-time optimisation (always_inline: their calls were a quarter of the
 * instructions of seedbench, whose thread B never waits; inline,
 * the trylock path's zero wait folds away). Without LTO, plain calls.
 */
#define RECORD_INLINE inline __attribute__((always_inline))

RECORD_INLINE void record_lock_grant(struct task *t, int mm_id, enum lock_mode mode, int site,
                                     sim_ns request, sim_ns grant)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, grant);
	sim_ns wait = grant - request;

	if (__builtin_expect(trace_active || c->rec->intervals, 0))
		lock_grant_hooks(t, mm_id, mode, site, request, grant);
	if (!r)
		return;
	summary_add(&lock_site(&r->locks.mm[mm_id], site)->wait[mode], wait);
	thread_metrics_lock_wait(&r->threads, c->group, c->thread, wait);
}

void record_rwsem_event(struct task *t, int mm_id, enum rwsem_event ev, sim_ns ns)
{
	struct recorder *r = record_get(t, task_now(t));

	(void)mm_id;
	if (!r)
		return;
	switch (ev) {
	case RWSEM_EV_STEAL:
		r->locks.rwsem.steals++;
		break;
	case RWSEM_EV_HANDOFF:
		r->locks.rwsem.handoffs++;
		break;
	case RWSEM_EV_SPIN_WON:
		r->locks.rwsem.spins_won++;
		/* fall through */
	case RWSEM_EV_SPIN:
		summary_add(&r->locks.rwsem.spin, ns);
		break;
	}
}

RECORD_INLINE void record_lock_release(struct task *t, int mm_id, enum lock_mode mode, int site,
                                       sim_ns grant)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (__builtin_expect(trace_active || intervals_of(t), 0))
		lock_release_hooks(t, mm_id, mode, site, grant, now);
	if (!r)
		return;
	summary_add(&lock_site(&r->locks.mm[mm_id], site)->hold[mode], now - grant);
}

void recorder_lock_levels(struct recorder *r, const double start_area[3], const long start_value[3],
                          const double end_area[3], const long end_value[3])
{
	struct level_integral *l[3] = { &r->locks.waiting, &r->locks.readers, &r->locks.writers };

	for (int i = 0; i < 3; i++)
		*l[i] = (struct level_integral){ .level = end_value[i],
			                         .last = r->end_ns,
			                         .area_ns = end_area[i] - start_area[i],
			                         .level_start = start_value[i],
			                         .started = true };
}

/*
 * Each process's locks by call site give the process's, every process's and
 * every site's. (Durations are whole ns, summed exactly, so merging gives
 * the same numbers as adding every value everywhere.)
 */
static void lock_totals(struct recorder *r)
{
	struct lock_stats *all = &r->locks.all;

	for (unsigned i = 0; i < r->locks.nr_mms; i++) {
		struct lock_stats *l = &r->locks.mm[i];

		for (int site = 0; site < SITE_COUNT; site++) {
			for (int m = 0; m < 2; m++) {
				summary_merge(&l->wait[m], &l->sites[site].wait[m]);
				summary_merge(&l->hold[m], &l->sites[site].hold[m]);
				summary_merge(&all->sites[site].wait[m], &l->sites[site].wait[m]);
				summary_merge(&all->sites[site].hold[m], &l->sites[site].hold[m]);
			}
		}
		for (int m = 0; m < 2; m++) {
			summary_merge(&all->wait[m], &l->wait[m]);
			summary_merge(&all->hold[m], &l->hold[m]);
		}
	}
}

/* With @by_site (all processes only: the per-process columns stay few), .by_site.<site> too. */
static void lock_stats_output(json_t *m, const char *prefix, const struct lock_stats *l,
                              bool by_site)
{
	for (int mode = 0; mode < 2; mode++) {
		char *p = xasprintf("%s.%s", prefix, lock_mode_names[mode]);
		json_t *o = json_object();

		json_object_set_new(o, "acquisitions",
		                    json_integer((json_int_t)l->wait[mode].count));
		json_object_set_new(o, "wait_us", summary_json(&l->wait[mode]));
		json_object_set_new(o, "hold_us", summary_json(&l->hold[mode]));
		json_dotted_set(m, p, o);
		free(p);
	}
	/* .by_site.<site>: every site, 0 acquisitions included (the same columns in each point) */
	for (int site = 0; by_site && site < SITE_COUNT; site++) {
		for (int mode = 0; mode < 2; mode++) {
			const struct lock_site_stats *st = &l->sites[site];
			char *p = xasprintf("%s.%s.by_site.%s", prefix, lock_mode_names[mode],
			                    lock_site_names[site]);

			json_dotted_set(m, p,
			                json_pack("{sI so so}", "acquisitions",
			                          (json_int_t)st->wait[mode].count, "wait_us",
			                          summary_json(&st->wait[mode]), "hold_us",
			                          summary_json(&st->hold[mode])));
			free(p);
		}
	}
}

/* What the rwsem policy did besides FIFO grants, all processes (docs/kernel-model.md#rwsem). */
static json_t *rwsem_policy_json(const struct lock_metrics *l)
{
	return json_pack("{sI sI sI sI so sf}", "steals", (json_int_t)l->rwsem.steals, "handoffs",
	                 (json_int_t)l->rwsem.handoffs, "spins", (json_int_t)l->rwsem.spin.count,
	                 "spins_won", (json_int_t)l->rwsem.spins_won, "spin_us",
	                 summary_json(&l->rwsem.spin), "spin_total_us",
	                 summary_sum(&l->rwsem.spin) / 1e3);
}

static void lock_output(json_t *m, const struct metric_output *o)
{
	const struct scenario *s = o->s;

	lock_stats_output(m, "mmap_sem", &o->r->locks.all, true);
	for (unsigned p = 0; p < s->nr_procs; p++) {
		char *path = xasprintf("processes.%s.mmap_sem", s->procs[p].name);

		lock_stats_output(m, path, &o->r->locks.mm[p], false);
		free(path);
	}
	json_dotted_set(m, "mmap_sem.policy", rwsem_policy_json(&o->r->locks));
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc lock_docs[] = {
	{ "`mmap_sem.{read,write}.acquisitions`",
	  "acquisitions granted after warm-up, all processes" },
	{ "`mmap_sem.{read,write}.wait_us.*`",
	  "from the request to the grant (0 for a successful trylock)" },
	{ "`mmap_sem.{read,write}.hold_us.*`", "from the grant to the release" },
	{ "`mmap_sem.{read,write}.by_site.<site>.{acquisitions,wait_us.*,hold_us.*}`",
	  "the same by call site, all processes: `fault` (first attempt), `fault_retry` (after "
	  "`VM_FAULT_RETRY`), `mmap`, `munmap`, `proc_read`, `fork`, ... (`lock_site_names`); "
	  "every site is present, with 0 acquisitions if unused; the sites add up to the totals" },
	{ "`processes.<name>.mmap_sem.*`", "the same, for one process's `mmap_sem`" },
	{ "`mmap_sem.policy.{steals, handoffs, spins, spins_won, spin_total_us}`, `.spin_us.*`",
	  "what the rwsem policy did, all processes: acquisitions taken past an earlier waiter "
	  "still queued, HANDOFF bits set, optimistic spins (and those that got the lock), the "
	  "time spent spinning" },
	{ NULL, NULL },
};

const struct metric_family lock_family = {
	.name = "locks",
	.docs = lock_docs,
	.init = lock_init,
	.release = lock_release,
	.totals = lock_totals,
	.output = lock_output,
};
