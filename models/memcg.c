/*
 * memcg.c - the memory cgroup charge (docs/kernel-model.md#memcg):
 * __mem_cgroup_try_charge() with its reclaim retries and
 * mem_cgroup_handle_oom() (2.6.36-3.11), the 3.12 unwind
 * (mem_cgroup_oom() records the OOM, mem_cgroup_oom_synchronize() handles it
 * at the end of the fault), 4.19's kill inside the charge, and the uncharge
 * that ends an OOM wait.
 *
 * Abstracts: the per-CPU charge stock (every charge goes to the counter),
 * memsw (one counter), hierarchy, soft limits, and limit changes. Reclaim is
 * CPU work only (LRU scanning, reclaim_us an attempt) freeing up to
 * reclaim_pages: first of the reclaimable pool (pages charged before the
 * run, the oldest on the LRU), then the cgroup's own page-cache pages, then
 * (swap_anon) its anonymous pages; waits for writeback and swap-out I/O are
 * not modelled. The OOM kill is instantaneous (the callback frees the
 * victim's pages at once), so no charger ever finds another one "handling
 * OOM" and waits for it: with the killer on, each OOM charger kills.
 * oom_wait_timeout_ms is not a kernel knob (the kernel waits until an
 * uncharge): it bounds the time one charge (one fault, with the unwind)
 * spends on the OOM wait queue, in total, from its first sleep there.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "models/kernel_profiles.h"
#include "models/memcg.h"

#define MEMCG_PAGES_PER_MB 256 /* 4 KiB pages */

/* clang-format off */
#define F(x) offsetof(struct memcg_config, x)
const struct param memcg_params[] = {
	{ "limit_mb",            PARAM_DOUBLE, F(limit_mb),            0, 1e9,     NULL,    "memory.limit_in_bytes: a charge beyond it reclaims, then is out of memory", NULL, false },
	{ "usage_mb",            PARAM_DOUBLE, F(usage_mb),            0, 1e9,     "0",     "memory charged at start by tasks not modelled", NULL, false },
	{ "reclaimable_mb",      PARAM_DOUBLE, F(reclaimable_mb),      0, 1e9,     "0",     "of usage_mb, what reclaim can free (page cache, swappable); at most usage_mb", NULL, false },
	{ "reclaim_us",          PARAM_DIST,   F(reclaim_us),          0, 1e7,     "100",   "CPU cost of one reclaim attempt (LRU scan; writeback waits not modelled)", NULL, false },
	{ "reclaim_retries",     PARAM_UINT,   F(reclaim_retries),     0, 1000,    "5",     "reclaim attempts before the cgroup is out of memory (MEM_CGROUP_RECLAIM_RETRIES)", NULL, false },
	{ "reclaim_pages",       PARAM_UINT,   F(reclaim_pages),       1, 1 << 20, "32",    "pages one reclaim attempt frees while any are reclaimable (SWAP_CLUSTER_MAX)", NULL, false },
	{ "swap_anon",           PARAM_BOOL,   F(swap_anon),           0, 1,       "false", "reclaim may also swap out the cgroup's anonymous pages (memsw limit above the limit); false: memory+swap is limited too (seed 003's recipe)", NULL, false },
	{ "oom_kill_disable",    PARAM_BOOL,   F(oom_kill_disable),    0, 1,       "false", "memory.oom_control: out of memory, the charger sleeps until an uncharge instead of killing the process with most pages", NULL, false },
	{ "oom_wait_timeout_ms", PARAM_DOUBLE, F(oom_wait_timeout_ms), 0, 1e9,     "0",     "a charge gives up (VM_FAULT_OOM) after sleeping this long for memory; 0: waits for ever", NULL, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */

static uint64_t memcg_mb_to_pages(double mb)
{
	return (uint64_t)(mb * MEMCG_PAGES_PER_MB);
}

void memcg_init(struct memcg *cg, const struct memcg_config *cfg, int id, const struct dist *wakeup,
                memcg_oom_kill_fn oom_kill, void *arg)
{
	memset(cg, 0, sizeof(*cg));
	cg->cfg = cfg;
	cg->id = id;
	cg->limit_pages = memcg_mb_to_pages(cfg->limit_mb);
	cg->usage_pages = memcg_mb_to_pages(cfg->usage_mb);
	cg->reclaimable_pages = memcg_mb_to_pages(cfg->reclaimable_mb);
	if (cg->reclaimable_pages > cg->usage_pages) /* only charged pages can be reclaimed */
		cg->reclaimable_pages = cg->usage_pages;
	cg->wakeup = wakeup;
	cg->oom_kill = oom_kill;
	cg->oom_kill_arg = arg;
}

static bool memcg_fits(const struct memcg *cg, unsigned nr_pages)
{
	return cg->usage_pages + nr_pages <= cg->limit_pages;
}

/* One mem_cgroup_hierarchical_reclaim() pass: scan (CPU), then free a batch. */
static void memcg_reclaim(struct memcg *cg, struct task *t)
{
	uint64_t freed;

	task_cpu(t, dist_sample_ns(&cg->cfg->reclaim_us, task_rng(t)));
	/* what is left after the scan: other tasks may have reclaimed meanwhile */
	freed = cg->reclaimable_pages < cg->cfg->reclaim_pages ? cg->reclaimable_pages
	                                                       : cg->cfg->reclaim_pages;
	cg->reclaimable_pages -= freed;
	cg->usage_pages -= freed;
	if (freed < cg->cfg->reclaim_pages && cg->cache_reclaim) {
		uint64_t evicted =
		        cg->cache_reclaim(cg, cg->cfg->reclaim_pages - freed, cg->cache_arg);

		cg->usage_pages -= evicted;
		freed += evicted;
	}
	if (freed < cg->cfg->reclaim_pages && cg->cfg->swap_anon && cg->swap_out)
		cg->usage_pages -=
		        cg->swap_out(cg, t, cg->cfg->reclaim_pages - freed, cg->oom_kill_arg);
	cg->reclaims++;
}

static void memcg_oom_dequeue(struct memcg *cg, struct memcg_waiter *w)
{
	struct memcg_waiter **pw = &cg->oom_head, *prev = NULL;

	while (*pw != w) {
		prev = *pw;
		pw = &(*pw)->next;
	}
	*pw = w->next;
	if (cg->oom_tail == w)
		cg->oom_tail = prev;
}

/*
 * Sleeps on the OOM wait queue until an uncharge wakes us (true) or, if
 * @timed, @deadline passes (false). The waiter lives on the stack:
 * memcg_uncharge() dequeues it before waking us, and a timeout dequeues it
 * here, before it can go out of scope.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
static bool memcg_oom_wait(struct memcg *cg, struct task *t, bool timed, sim_ns deadline)
{
	struct memcg_waiter w = { .task = t };

	if (cg->oom_tail)
		cg->oom_tail->next = &w;
	else
		cg->oom_head = &w;
	cg->oom_tail = &w;
	while (!w.woken) {
		if (!timed) {
			task_block(t);
		} else if (!task_block_timeout(t, deadline - task_now(t)) && !w.woken) {
			memcg_oom_dequeue(cg, &w);
			return false;
		}
	}
	return true;
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

/*
 * The OOM killer from a charge: true if the victim's pages made room to
 * retry; *@killed if a victim was killed.
 */
static bool memcg_kill(struct memcg *cg, struct task *t, bool *killed)
{
	uint64_t before = cg->usage_pages;

	if (!cg->oom_kill(cg, t, cg->oom_kill_arg))
		return false; /* no victim left */
	cg->oom_kills++;
	*killed = true;
	return cg->usage_pages < before; /* it freed nothing: retrying would kill for ever */
}

enum memcg_charge_result memcg_try_charge(struct memcg *cg, struct task *t, unsigned nr_pages,
                                          int policy, struct memcg_oom_state *oom)
{
	const struct memcg_config *cfg = cg->cfg;
	sim_ns start = task_now(t), deadline = 0;
	unsigned reclaims = 0;
	bool oom_wait = false, oom_kill = false, charged = false;
	bool timed = cfg->oom_wait_timeout_ms > 0;
	bool killer = !cfg->oom_kill_disable && cg->oom_kill;

	/* 3.12 __mem_cgroup_try_charge: task_in_memcg_oom() -> bypass to the root */
	if (policy == MEMCG_OOM_UNWIND && oom && oom->pending) {
		record_memcg_charge(t, cg->id, start, 0, false, false, true);
		return MEMCG_BYPASSED;
	}
	for (;;) {
		/* 4.19 try_charge: task_in_memcg_oom() -> nomem, before reclaim */
		bool give_up = policy == MEMCG_OOM_KILL_IN_CHARGE && oom && oom->pending;

		/* each pass (the first, after a kill, after a wake) retries reclaim afresh */
		for (unsigned i = 0;
		     !give_up && !memcg_fits(cg, nr_pages) && i < cfg->reclaim_retries; i++) {
			memcg_reclaim(cg, t);
			reclaims++;
		}
		if (memcg_fits(cg, nr_pages)) {
			cg->usage_pages += nr_pages;
			cg->charges++;
			charged = true;
			break;
		}
		if (give_up)
			break;
		if (killer && policy != MEMCG_OOM_UNWIND) { /* in_charge; kill_in_charge (4.19) */
			if (!memcg_kill(cg, t, &oom_kill))
				break;
			continue;
		}
		if (policy != MEMCG_OOM_IN_CHARGE) {
			/* mem_cgroup_oom(): a user fault handles it at its end, GUP just fails */
			if (oom) {
				oom->pending = cg;
				oom->start = start;
				oom->reclaims = reclaims;
				cg->failed++;
				return MEMCG_NOMEM; /* recorded by memcg_oom_synchronize() */
			}
			break;
		}
		/* oom_kill_disable (or no killer): wait for an uncharge */
		if (timed && !oom_wait)
			deadline = task_now(t) + llround(cfg->oom_wait_timeout_ms * NS_PER_MS);
		if (timed && deadline <= task_now(t))
			break; /* the time ran out in the retried reclaim */
		cg->oom_waits++;
		oom_wait = true;
		if (!memcg_oom_wait(cg, t, timed, deadline))
			break;
	}
	if (!charged)
		cg->failed++;
	record_memcg_charge(t, cg->id, start, reclaims, oom_wait, oom_kill, charged);
	return charged ? MEMCG_CHARGED : MEMCG_NOMEM;
}

bool memcg_charge(struct memcg *cg, struct task *t, unsigned nr_pages)
{
	return memcg_try_charge(cg, t, nr_pages, MEMCG_OOM_IN_CHARGE, NULL) == MEMCG_CHARGED;
}

bool memcg_oom_synchronize(struct memcg_oom_state *oom, struct task *t, bool handle)
{
	struct memcg *cg = oom->pending;
	const struct memcg_config *cfg = cg->cfg;
	bool killed = false, waited = false, again = false;

	oom->pending = NULL;
	if (handle && !cfg->oom_kill_disable && cg->oom_kill) {
		again = memcg_kill(cg, t, &killed);
	} else if (handle) {
		/* schedule() on memcg_oom_waitq, holding nothing, until an uncharge */
		bool timed = cfg->oom_wait_timeout_ms > 0;

		if (timed && !oom->deadline)
			oom->deadline = task_now(t) + llround(cfg->oom_wait_timeout_ms * NS_PER_MS);
		if (!timed || oom->deadline > task_now(t)) {
			cg->oom_waits++;
			waited = true;
			again = memcg_oom_wait(cg, t, timed, oom->deadline);
		}
	}
	record_memcg_charge(t, cg->id, oom->start, oom->reclaims, waited, killed, false);
	return again;
}

void memcg_uncharge(struct memcg *cg, struct task *waker, unsigned nr_pages)
{
	struct memcg_waiter *w;

	cg->usage_pages = cg->usage_pages > nr_pages ? cg->usage_pages - nr_pages : 0;
	if (cg->reclaimable_pages > cg->usage_pages)
		cg->reclaimable_pages = cg->usage_pages;
	/* memcg_oom_recover(): every waiter retries its charge */
	assert(waker || !cg->oom_head); /* a wake needs the waker's time */
	while ((w = cg->oom_head)) {
		cg->oom_head = w->next;
		w->woken = true;
		task_wake(waker, w->task, dist_sample_ns(cg->wakeup, task_rng(w->task)));
	}
	cg->oom_tail = NULL;
}
