/*
 * fault.c - x86 do_page_fault() (arch/x86/mm/fault.c) and the parts of
 * handle_mm_fault()/__do_fault() (mm/memory.c) on its path, 2.6.36 and
 * 2.6.37 (docs/kernel-model.md#fault-retry, #fault-dispatch).
 *
 * 2.6.36: trylock, else down_read; the whole fault, disk wait included, runs
 * with mmap_sem held for read. 2.6.37 (fault_retry "once"): the first pass
 * carries FAULT_FLAG_ALLOW_RETRY; when filemap_fault returns VM_FAULT_RETRY
 * it has already released mmap_sem, and the fault retries once with a
 * blocking down_read and without ALLOW_RETRY. Accounting follows the first
 * pass. Anonymous faults are do_anonymous_page: allocate and zero a page
 * (cpu_miss_us) under the read lock. A memcg OOM (3.12+, memcg_oom not
 * in_charge) fails the charge: the fault returns VM_FAULT_OOM, then handles
 * the OOM holding nothing and runs again (docs/kernel-model.md#memcg).
 * Omitted: the exception-table check, stack expansion, bad-area faults, the
 * global OOM and SIGBUS.
 */
#include "models/fault.h"

static void fault_cpu(struct thread *th, const struct dist *d)
{
	task_cpu(th->task, dist_sample_ns(d, task_rng(th->task)));
}

/* See fault.h (docs/kernel-model.md#page-read-cost). */
void fault_cpu_pages_read(struct vm_fault *vmf, unsigned nr)
{
	struct thread *th = vmf->th;
	/* one draw for the batch: a per-page mean, not nr draws on the hot path */
	sim_ns per_page = nr ? dist_sample_ns(&vmf->op->cpu_page_read_us, task_rng(th->task)) : 0;

	if (per_page) /* 0 (the default): no event, results as before the parameter */
		task_cpu(th->task, (sim_ns)nr * per_page);
}

bool fault_charge_page(struct vm_fault *vmf)
{
	struct mm *mm = vmf->th->mm;
	enum memcg_charge_result r;

	if (!mm->memcg)
		return true;
	r = memcg_try_charge(mm->memcg, vmf->th->task, 1, vmf->th->k->feat.memcg_oom,
	                     vmf->memcg_oom);
	if (r == MEMCG_NOMEM)
		return false;
	if (r == MEMCG_CHARGED) /* a bypassed page is the root's */
		mm->charged++;
	return true;
}

/* See fault.h (docs/kernel-model.md#memcg). */
struct page *fault_add_to_page_cache(struct vm_fault *vmf, struct inode *inode, uint64_t index)
{
	struct thread *th = vmf->th;
	struct memcg *cg = th->mm->memcg;
	enum memcg_charge_result r = MEMCG_BYPASSED;

	if (cg)
		r = memcg_try_charge(cg, th->task, 1, th->k->feat.memcg_oom, vmf->memcg_oom);
	if (r == MEMCG_NOMEM)
		return NULL;
	if (page_cached(&th->k->pc, inode, index)) { /* added meanwhile: -EEXIST */
		if (r == MEMCG_CHARGED)
			memcg_uncharge(cg, th->task, 1);
		return NULL;
	}
	return add_to_page_cache_memcg(&th->k->pc, inode, index, r == MEMCG_CHARGED ? cg : NULL,
	                               th->task);
}

static void fault_uncharge_page(struct vm_fault *vmf)
{
	struct mm *mm = vmf->th->mm;

	if (mm->memcg && mm->charged) { /* not if an exit has uncharged everything meanwhile */
		memcg_uncharge(mm->memcg, vmf->th->task, 1);
		mm->charged--;
	}
}

/*
 * Under the pte lock: install the new anonymous page if the pte is still
 * @orig, the state the fault started from (pte_same); else another thread
 * mapped the page (or an exit freed it) meanwhile, and the loser uncharges
 * and frees its page (docs/kernel-model.md#anon-cow).
 */
static void fault_install_anon(struct vm_fault *vmf, int orig)
{
	uint8_t *pte = &vmf->vma->anon.state[vmf->pgoff];

	if (*pte != orig) {
		fault_uncharge_page(vmf);
		return;
	}
	*pte = ANON_PRESENT;
}

/*
 * The memcg charge of a private write fault's COW page: under the page lock
 * before seed 003, before ->fault with cow_prealloc; the copy (cpu_copy_us)
 * follows it under the page lock either way (docs/kernel-model.md#anon-cow).
 */
static bool cow_prepare(struct vm_fault *vmf)
{
	if (vmf->cow_charged)
		return true;
	if (!fault_charge_page(vmf))
		return false;
	vmf->cow_charged = true;
	return true;
}

/* __do_fault() on a file mapping: ->fault, then COW or install the pte, and unlock. */
static int do_file_fault(struct vm_fault *vmf)
{
	bool cow = (vmf->flags & FAULT_FLAG_WRITE) && vmf->vma->cfg->private_map;
	struct pagecache *pc = &vmf->th->k->pc;
	int ret;

	/* 3.15 do_read_fault: fault-around first; the pte is there if the page was cached */
	if (!(vmf->flags & FAULT_FLAG_WRITE) && vmf->th->k->feat.fault_around &&
	    do_fault_around(vmf)) {
		fault_cpu(vmf->th, &vmf->op->cpu_after_us);
		return 0;
	}
	if (cow && vmf->th->k->feat.cow_prealloc && !cow_prepare(vmf))
		return VM_FAULT_OOM;
	ret = filemap_fault(vmf);
	if (ret & VM_FAULT_RETRY) {
		if (vmf->cow_charged) { /* freed now, allocated again by the retry */
			fault_uncharge_page(vmf);
			vmf->cow_charged = false;
		}
		return ret;
	}
	/* the page-cache page is locked from here */
	if (cow && !cow_prepare(vmf))
		ret |= VM_FAULT_OOM;
	if (cow && !(ret & VM_FAULT_OOM)) /* copy_user_highpage: 3.1 left it under the lock */
		fault_cpu(vmf->th, &vmf->op->cpu_copy_us);
	fault_cpu(vmf->th, &vmf->op->cpu_after_us);
	if (cow && !(ret & VM_FAULT_OOM))
		fault_install_anon(vmf, ANON_NONE); /* the process's own copy now */
	else if (!cow)
		vma_set_file_pte(vmf->vma, vmf->pgoff); /* the page-cache page itself */
	unlock_page(pc, vmf->page, vmf->th->task);
	put_page(pc, vmf->page);
	return ret;
}

/*
 * do_anonymous_page (docs/kernel-model.md#anon-cow): a write allocates and zeroes a page and
 * charges it; a read maps the zero page (ANON_SHARED: write-protected, the
 * next write copies it in do_wp_page). No page lock either way.
 */
static int do_anonymous_page(struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		/* a read maps the shared zero page: no allocation, no charge; a write copies it */
		fault_cpu(vmf->th, &vmf->op->cpu_after_us);
		if (vmf->vma->anon.state[vmf->pgoff] == ANON_NONE)
			vmf->vma->anon.state[vmf->pgoff] = ANON_SHARED;
		return 0;
	}
	fault_cpu(vmf->th, &vmf->op->cpu_miss_us);
	if (!fault_charge_page(vmf))
		return VM_FAULT_OOM;
	fault_cpu(vmf->th, &vmf->op->cpu_after_us);
	fault_install_anon(vmf, ANON_NONE);
	return 0;
}

/*
 * do_wp_page (docs/kernel-model.md#anon-cow): a write to an anonymous page shared with a forked
 * child: allocate, copy and charge a page of its own, under mmap_sem (read)
 * only. The reuse of a page the child no longer maps is not modelled: the
 * child keeps its copy (a fork without exec, like a snapshotting server).
 */
static int do_wp_page(struct vm_fault *vmf)
{
	fault_cpu(vmf->th, &vmf->op->cpu_copy_us);
	if (!fault_charge_page(vmf))
		return VM_FAULT_OOM;
	fault_cpu(vmf->th, &vmf->op->cpu_after_us);
	fault_install_anon(vmf, ANON_SHARED);
	return 0;
}

/* handle_pte_fault (docs/kernel-model.md#fault-dispatch): the page's pte decides the path. */
static int handle_pte_fault(struct vm_fault *vmf)
{
	const struct anon_pages *a = &vmf->vma->anon;
	int state = a->state ? a->state[vmf->pgoff] : ANON_NONE;

	fault_cpu(vmf->th, &vmf->op->cpu_before_us);
	if (state == ANON_SHARED && (vmf->flags & FAULT_FLAG_WRITE))
		return do_wp_page(vmf);
	if (state == ANON_PRESENT || state == ANON_SHARED) /* the pte was there: a minor fault */
		return 0;
	if (state == ANON_SWAPPED)
		return do_swap_page(vmf);
	if (vmf->vma->cfg->kind == MAPPING_FILE)
		return do_file_fault(vmf);
	return do_anonymous_page(vmf);
}

/*
 * 3.12 handle_mm_fault: an OOM of a charge the fault coped with (no
 * VM_FAULT_OOM, e.g. a readahead page, or a retry) is only cleaned up.
 */
static int handle_mm_fault(struct vm_fault *vmf)
{
	int ret = handle_pte_fault(vmf);

	if (vmf->memcg_oom && vmf->memcg_oom->pending && !(ret & VM_FAULT_OOM))
		memcg_oom_synchronize(vmf->memcg_oom, vmf->th->task, false);
	return ret;
}

/* See fault.h: one handle_mm_fault for get_user_pages (mlock's populate). */
int fault_populate_page(struct thread *th, struct vma *v, uint64_t pgoff, unsigned flags,
                        struct rwsem_hold *hold, const struct op_config *op)
{
	struct vm_fault vmf = {
		.th = th, .vma = v, .pgoff = pgoff, .flags = flags, .op = op, .mmap_hold = hold
	};

	return handle_mm_fault(&vmf);
}

void fault_release_lock(struct vm_fault *vmf)
{
	struct thread *th = vmf->th;

	if (vmf->vma_locked)
		vma_end_read(th->mm, vmf->vma, th->task);
	else
		up_read(&th->mm->mmap_sem, th->task, vmf->mmap_hold);
	vmf->lock_released = true;
}

/* 6.4+ lock_vma_under_rcu: may it run under the VMA's lock? (docs/kernel-model.md#per-vma-locks) */
static bool fault_vma_lock_covers(const struct vm_fault *vmf)
{
	int level = vmf->th->k->feat.per_vma_lock;
	const struct vma *v = vmf->vma;

	if (v->cfg->kind == MAPPING_FILE)
		return level >= PER_VMA_LOCK_FILE;
	if (v->anon.state[vmf->pgoff] == ANON_SWAPPED)
		return level >= PER_VMA_LOCK_SWAP;
	return true;
}

/*
 * The attempt under the VMA lock: -1 if it could not be made (per-VMA locks
 * off; or VMA_LOCK_ABORT: not a fault they cover, or a writer has the VMA), else the VM_FAULT_* bits; with
 * VM_FAULT_RETRY the lock was dropped to wait and the fault falls back to
 * mmap_sem (VMA_LOCK_RETRY).
 */
static int fault_under_vma_lock(struct vm_fault *vmf)
{
	struct thread *th = vmf->th;
	int ret;

	if (th->k->feat.per_vma_lock == PER_VMA_LOCK_OFF)
		return -1;
	if (!fault_vma_lock_covers(vmf) || !vma_start_read(vmf->vma)) {
		record_vma_lock(th->task, th->mm->id, VMA_LOCK_ABORT);
		return -1;
	}
	vmf->vma_locked = true;
	vmf->lock_released = false;
	ret = handle_mm_fault(vmf);
	if (!(ret & VM_FAULT_RETRY))
		vma_end_read(th->mm, vmf->vma, th->task);
	vmf->vma_locked = false;
	record_vma_lock(th->task, th->mm->id,
	                ret & VM_FAULT_RETRY ? VMA_LOCK_RETRY : VMA_LOCK_SUCCESS);
	return ret;
}

/*
 * The mmap_sem passes: trylock, else down_read; a VM_FAULT_RETRY pass has
 * dropped the lock and the fault goes again with a blocking down_read: once
 * (2.6.37-5.6, without ALLOW_RETRY) or until done (5.7 retry_multi, which
 * keeps ALLOW_RETRY and only sets TRIED). Returns the last pass's bits;
 * *@first those of the first pass.
 */
static int fault_mmap_passes(struct vm_fault *vmf, int *retries, int *first)
{
	struct thread *th = vmf->th;
	struct rwsem *sem = &th->mm->mmap_sem;
	int ret;

	if (!down_read_trylock(sem, th->task, SITE_FAULT, vmf->mmap_hold))
		down_read(sem, th->task, SITE_FAULT, vmf->mmap_hold);
	for (;;) {
		vmf->lock_released = false;
		vmf->cow_charged = false;
		ret = handle_mm_fault(vmf);
		if (*first < 0)
			*first = ret;
		if (!(ret & VM_FAULT_RETRY))
			break;
		if (!th->k->feat.retry_multi)
			vmf->flags &= ~FAULT_FLAG_ALLOW_RETRY;
		vmf->flags |= FAULT_FLAG_TRIED;
		(*retries)++;
		down_read(sem, th->task, SITE_FAULT_RETRY, vmf->mmap_hold);
	}
	up_read(sem, th->task, vmf->mmap_hold);
	return ret;
}

/*
 * mm_fault_error -> pagefault_out_of_memory -> mem_cgroup_oom_synchronize
 * (3.12+): a fault that failed on a memcg OOM handles it holding nothing;
 * true if it is to be executed again (user space faults again).
 */
static bool fault_memcg_oom(struct vm_fault *vmf, int ret)
{
	return vmf->memcg_oom->pending &&
	       memcg_oom_synchronize(vmf->memcg_oom, vmf->th->task, ret & VM_FAULT_OOM);
}

/*
 * Accounting: before 5.7 the first pass decides (a MAJOR|RETRY first pass is
 * one major fault); from 5.7 (5.9 mm_account_fault) one count per fault at
 * its end, major if that pass was or the fault was retried. Returns true if
 * the fault is to be executed again after a memcg OOM.
 */
static bool fault_once(struct thread *th, struct vma *vma, uint64_t pgoff, bool write,
                       const struct op_config *op, struct memcg_oom_state *oom)
{
	struct rwsem_hold hold;
	struct vm_fault vmf = {
		.th = th, .vma = vma, .pgoff = pgoff, .op = op, .mmap_hold = &hold, .memcg_oom = oom
	};
	sim_ns start = task_now(th->task);
	int retries = 0, first = -1, ret;
	bool major, again;

	vmf.flags = write ? FAULT_FLAG_WRITE : 0;
	if (th->k->feat.fault_retry != FAULT_RETRY_NONE)
		vmf.flags |= FAULT_FLAG_ALLOW_RETRY;
	ret = fault_under_vma_lock(&vmf);
	if (ret >= 0 && !(ret & VM_FAULT_RETRY)) {
		again = fault_memcg_oom(&vmf, ret);
		record_fault(th->task, th->mm->id, ret & VM_FAULT_MAJOR, 0, start);
		return again;
	}
	if (ret >= 0) { /* lock_mm_and_find_vma after VMA_LOCK_RETRY */
		first = ret;
		retries++;
		if (ret & VM_FAULT_MAJOR)
			vmf.flags |= FAULT_FLAG_TRIED;
	}
	ret = fault_mmap_passes(&vmf, &retries, &first);
	again = fault_memcg_oom(&vmf, ret);
	if (th->k->feat.retry_multi)
		major = (ret & VM_FAULT_MAJOR) || (vmf.flags & FAULT_FLAG_TRIED);
	else
		major = first & VM_FAULT_MAJOR;
	record_fault(th->task, th->mm->id, major, retries, start);
	return again;
}

void do_page_fault(struct thread *th, struct vma *vma, uint64_t pgoff, bool write,
                   const struct op_config *op)
{
	struct memcg_oom_state oom = { .pending = NULL };

	while (fault_once(th, vma, pgoff, write, op, &oom))
		;
}

static uint64_t fault_pick_page(struct thread *th, const struct op_config *op, struct vma *v)
{
	gsl_rng *rng = task_rng(th->task);
	uint64_t pgoff;

	if (op->pattern == PATTERN_SEQUENTIAL)
		return th->cursor++ % v->pages;
	pgoff = gsl_rng_uniform_int(rng, v->pages);
	/* uncached: redraw cached (anon: present) pages, as in a file far larger than memory */
	for (int i = 0;
	     op->pattern == PATTERN_UNCACHED && i < 64 &&
	     (v->cfg->kind == MAPPING_FILE ? page_cached(&th->k->pc, v->inode, pgoff)
	                                   : v->anon.state[pgoff] == ANON_PRESENT ||
	                                             v->anon.state[pgoff] == ANON_SHARED);
	     i++)
		pgoff = gsl_rng_uniform_int(rng, v->pages);
	return pgoff;
}

void fault_op_run(struct thread *th, const struct op_config *op)
{
	struct vma *v = &th->mm->vmas[op->mapping];

	for (unsigned i = 0; i < op->pages; i++)
		do_page_fault(th, v, fault_pick_page(th, op, v), op->access == ACCESS_WRITE, op);
}

/*
 * fork(): dup_mmap holds the parent's mmap_sem for write while it copies the
 * page tables (hold_us) and write-protects every present anonymous page (of
 * anonymous mappings and the COW copies of private file mappings), which the
 * parent's next write to it copies (do_wp_page).
 */
void fork_op_run(struct thread *th, const struct op_config *op)
{
	struct rwsem_hold hold;

	mmap_write_lock(th->mm, th->task, SITE_FORK, &hold);
	for (unsigned i = 0; i < th->mm->nr_vmas; i++) /* 6.4: no fault on a VMA being copied */
		vma_start_write(th->mm, &th->mm->vmas[i], th->task);
	task_cpu(th->task, dist_sample_ns(&op->hold_us, task_rng(th->task)));
	for (unsigned i = 0; i < th->mm->nr_vmas; i++) {
		struct anon_pages *a = &th->mm->vmas[i].anon;

		/* every COW mapping: the private copies of a MAP_PRIVATE file too */
		if (!a->state)
			continue;
		for (uint64_t p = 0; p < a->nr; p++)
			if (a->state[p] == ANON_PRESENT)
				a->state[p] = ANON_SHARED;
	}
	mmap_write_unlock(th->mm, th->task, &hold);
}

/* exit + the next job's exec: the process's memory is freed and uncharged. */
void exit_op_run(struct thread *th, const struct op_config *op)
{
	task_cpu(th->task, dist_sample_ns(&op->time_us, task_rng(th->task)));
	mm_free_memory(th->mm, &th->k->swap, th->task);
}

static const char *const fault_pattern_names[] = { "random", "sequential", "uncached", NULL };
static const char *const fault_access_names[] = { "read", "write", NULL };

/* clang-format off */
#define F(x) offsetof(struct op_config, x)
const struct param fault_op_params[] = {
	{ "mapping",       PARAM_NAME, F(mapping),       0, 0,   NULL,       "name of a mapping of the thread's process", NULL, false },
	{ "pattern",       PARAM_ENUM, F(pattern),       0, 0,   "\"random\"", "random: uniform page; sequential: next page; uncached: a random page not in the page cache (anon: not present)", fault_pattern_names, false },
	{ "access",        PARAM_ENUM, F(access),        0, 0,   "\"read\"", "read or write (a write to a private file mapping copies the page: COW)", fault_access_names, false },
	FAULT_COST_PARAMS(F),
	{ "pages",         PARAM_UINT, F(pages),         1, 1e6, "1",        "pages touched, one after the other (one fault each)", NULL, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */
