/*
 * memcg.h - memory cgroups (docs/kernel-model.md#memcg): a page counter with
 * a limit, charged by page allocations of the processes in the cgroup and by
 * the page-cache pages they read. A charge over the limit reclaims inside the
 * cgroup (a cost per attempt, a number of attempts); when reclaim fails the
 * cgroup is out of memory. Before 3.12 (memcg_oom in_charge) a victim is
 * killed (its pages are uncharged), or, with oom_kill_disable, the charging
 * task sleeps until an uncharge makes room or the scenario's timeout passes,
 * holding whatever locks its caller holds (the seed 003 live-lock). From 3.12
 * a user fault's charge fails instead and the fault handles the OOM at its
 * end, holding nothing (memcg_oom_synchronize); 4.19 kills inside the charge
 * again and defers only the oom_kill_disable wait.
 * Units: pages of 4 KiB.
 */
#ifndef MODELS_MEMCG_H
#define MODELS_MEMCG_H

#include <stdbool.h>
#include <stdint.h>

#include "models/dist.h"
#include "models/env.h"
#include "models/param.h"

struct memcg_config {
	const char *name;           /* owned by the scenario */
	double limit_mb;            /* memory.limit_in_bytes */
	double usage_mb;            /* charged at start (memory of tasks not modelled) */
	double reclaimable_mb;      /* of that, what reclaim can free (page cache, swappable) */
	struct dist reclaim_us;     /* CPU cost of one reclaim attempt */
	unsigned reclaim_retries;   /* MEM_CGROUP_RECLAIM_RETRIES: attempts before OOM (5) */
	unsigned reclaim_pages;     /* pages one successful attempt frees (SWAP_CLUSTER_MAX 32) */
	bool oom_kill_disable;      /* memory.oom_control: wait instead of killing */
	double oom_wait_timeout_ms; /* with oom_kill_disable: give up after this (0: never) */
	bool swap_anon;             /* reclaim may swap out the cgroup's anonymous pages */
};
extern const struct param memcg_params[];

struct memcg_waiter {
	struct memcg_waiter *next;
	struct task *task; /* borrowed */
	bool woken;
};

struct memcg;
struct page;
/*
 * Kills a victim of @cg (the kernel's choice: the process with the most pages
 * charged); the callee uncharges its pages with memcg_uncharge. Returns false
 * if there is no victim left.
 */
typedef bool (*memcg_oom_kill_fn)(struct memcg *cg, struct task *killer, void *arg);
/* (A kill that returns true must uncharge something, or the charge fails.) */

/*
 * Reclaim's anonymous part: swaps out up to @nr present anonymous pages of
 * @cg's processes; returns how many (the caller takes them off the usage).
 */
typedef uint64_t (*memcg_swap_out_fn)(struct memcg *cg, struct task *t, uint64_t nr, void *arg);

/*
 * Reclaim's page-cache part: evicts up to @nr of the page-cache pages charged
 * to @cg (oldest first, not locked or in use); returns how many (the caller
 * takes them off the usage). Set by the page cache on the first page it
 * charges to @cg.
 */
typedef uint64_t (*memcg_cache_reclaim_fn)(struct memcg *cg, uint64_t nr, void *arg);

/* Guide to the state: usage <= limit except transiently; @oom_waiters sleep in a charge. */
struct memcg {
	const struct memcg_config *cfg; /* borrowed */
	int id;
	uint64_t limit_pages, usage_pages, reclaimable_pages;
	struct memcg_waiter *oom_head, *oom_tail;
	const struct dist *wakeup;  /* borrowed: wake-up latency */
	memcg_oom_kill_fn oom_kill; /* may be NULL: OOM chargers wait, as with oom_kill_disable */
	void *oom_kill_arg;         /* also passed to @swap_out */
	memcg_swap_out_fn swap_out; /* may be NULL; used with cfg->swap_anon */
	/* the page-cache pages charged to the cgroup, least recently used first */
	struct page *cache_oldest, *cache_newest; /* borrowed: the page cache's */
	uint64_t cache_pages;
	memcg_cache_reclaim_fn cache_reclaim; /* NULL until a page-cache page is charged */
	void *cache_arg;
	/*
	 * Counters for the results: successful charges, reclaim attempts,
	 * victims killed, sleeps on the OOM queue, failed charges.
	 */
	uint64_t charges, reclaims, oom_kills, oom_waits, failed;
};

void memcg_init(struct memcg *cg, const struct memcg_config *cfg, int id, const struct dist *wakeup,
                memcg_oom_kill_fn oom_kill, void *arg);

/*
 * mem_cgroup_newpage_charge() and friends. Context: @t is running, with
 * whatever its caller holds; may sleep (reclaim, OOM wait). Returns true when
 * charged, false when the charge failed (OOM wait timed out, or no victim):
 * the fault returns VM_FAULT_OOM. Records the charge (its latency, reclaims).
 */
bool memcg_charge(struct memcg *cg, struct task *t, unsigned nr_pages);

/*
 * What a charge does when its cgroup is out of memory (enum memcg_oom of the
 * kernel profile), and the OOM a user fault must still handle at its end
 * (current->memcg_oom of 3.12, memcg_in_oom of 4.19).
 */
struct memcg_oom_state {
	struct memcg *pending; /* the cgroup out of memory; NULL: none */
	/* the failed charge, recorded when the OOM is handled */
	sim_ns start;
	unsigned reclaims;
	sim_ns deadline; /* of the OOM waits of one fault (oom_wait_timeout_ms), 0: none yet */
};

enum memcg_charge_result {
	MEMCG_CHARGED,
	MEMCG_BYPASSED, /* 3.12-3.19: after an OOM in the same fault, charged to the root */
	MEMCG_NOMEM,    /* failed: the caller fails with VM_FAULT_OOM (-ENOMEM) */
};

/*
 * The charge of @nr_pages under the OOM rule @policy (enum memcg_oom); @oom
 * is the fault's OOM state for a user fault (FAULT_FLAG_USER), NULL for a
 * charge from get_user_pages. in_charge: as memcg_charge. unwind (3.12):
 * when reclaim fails, a user fault's charge records the OOM in @oom and
 * fails, a GUP charge just fails; a later charge of the same fault is
 * bypassed. kill_in_charge (4.19): kills inside the charge; with
 * oom_kill_disable as unwind, but a later charge of the same fault fails.
 * Context as memcg_charge. Records the charge, except one deferred to
 * memcg_oom_synchronize().
 */
enum memcg_charge_result memcg_try_charge(struct memcg *cg, struct task *t, unsigned nr_pages,
                                          int policy, struct memcg_oom_state *oom);

/*
 * mem_cgroup_oom_synchronize(): the end of a user fault with an OOM pending
 * in @oom. @handle (the fault returned VM_FAULT_OOM): kill a victim (unwind,
 * killer on) or sleep until an uncharge (oom_kill_disable); else only clean
 * up (the fault coped with the failed charge). Context: @t holds no lock; may
 * sleep. Returns true if the fault is to be executed again (the kernel
 * returns to user space, which faults again); false when it gives up (the
 * OOM wait timed out, or no victim freed anything).
 */
bool memcg_oom_synchronize(struct memcg_oom_state *oom, struct task *t, bool handle);

/*
 * Frees @nr_pages of the cgroup (not below 0) and wakes every OOM waiter
 * (each retries its charge). Context: @waker running, or NULL when no task
 * can be waiting (before the run).
 */
void memcg_uncharge(struct memcg *cg, struct task *waker, unsigned nr_pages);

#endif
