/*
 * mlock.c - sys_mlock and sys_munlock (mm/mlock.c), with the four ways the
 * kernel has populated an mlocked range (docs/kernel-model.md#mlock, seed 004, the
 * `mlock_populate` feature):
 *
 *   write       2.6.29-2.6.37: mlock_fixup sets VM_LOCKED and faults every
 *               page in (__get_user_pages, no retry) under mmap_sem held for
 *               write, disk waits included.
 *   downgrade   2.6.28 (seed 004): set VM_LOCKED under write, downgrade_write,
 *               populate under read (no retry), up_read, down_write again and
 *               recheck the VMA: -ENOMEM if find_vma(start) no longer covers
 *               [start, end).
 *   read_retry  2.6.38-3.8 do_mlock_pages: set VM_LOCKED under write, up_write,
 *               populate under read with FAULT_FLAG_ALLOW_RETRY: a page-lock
 *               wait drops mmap_sem; read is re-taken and the walk resumes at
 *               that page.
 *   outside     3.9+ __mm_populate: the same loop as read_retry (one read
 *               hold across the range, dropped only by a VM_FAULT_RETRY);
 *               what differs is mmap(MAP_POPULATE/MAP_LOCKED), populated
 *               after the mmap's up_write (mm_populate) instead of under it.
 *
 * mmap(MAP_LOCKED/MAP_POPULATE) populates as mlock does on 2.6.28 and
 * 2.6.29-2.6.37, under the mmap's write lock on 2.6.38-3.8 (mmap_region
 * never used do_mlock_pages), after it from 3.9.
 *
 * Each page follow_page would not find (anonymous: not present; file: not
 * mapped in the process, cached or not, or locked for I/O; with FOLL_WRITE a
 * write-protected one) goes through the fault path (fault_populate_page:
 * a minor fault for a cached page, readahead and disk reads, zeroing, COW
 * copies and memcg charges); every page then costs cpu_per_page_us
 * (mlock_vma_page, or FOLL_MLOCK in follow_page). The VMAs of the model
 * never move: of the other write sections only a munmap of part of the
 * mapping, or a munlock of part of it (mlock_fixup splits the VMA), can fail
 * `downgrade`'s recheck, which compares the VMA's layout_seq. mlockall is one
 * write section over every VMA, then (2.6.38+) one populate across them.
 * Omitted: lru_add_drain_all, RLIMIT_MEMLOCK, the unevictable LRU (mlocked
 * pages are still reclaimable here), VMA splits (hold_us covers them).
 */
#include "models/fault.h"

static sim_ns mlock_sample(struct thread *th, const struct dist *d)
{
	return dist_sample_ns(d, task_rng(th->task));
}

/*
 * Whether page @p of @v must be faulted in: follow_page finds no pte, or
 * (FOLL_WRITE, @flags) a write-protected one, or the page is locked for I/O.
 */
static bool mlock_needs_fault(struct thread *th, struct vma *v, uint64_t p, unsigned flags)
{
	struct pagecache *pc = &th->k->pc;
	int state = v->anon.state ? v->anon.state[p] : ANON_NONE;
	struct page *page;
	bool locked;

	if (state == ANON_PRESENT)
		return false;
	if (state == ANON_SHARED) /* COW after fork: FOLL_WRITE copies it */
		return flags & FAULT_FLAG_WRITE;
	if (state == ANON_SWAPPED || v->cfg->kind == MAPPING_ANON)
		return true;
	if ((flags & FAULT_FLAG_WRITE) && v->cfg->private_map)
		return true; /* the page-cache page is read-only to us: the COW copy */
	if (!vma_file_pte(v, p))
		return true; /* cached or not, a fault maps it (a minor one if cached) */
	page = find_get_page(pc, v->inode, p);
	if (!page)
		return true;
	locked = page->locked; /* its read is in flight: the fault waits for it */
	put_page(pc, page);
	return locked;
}

/*
 * FOLL_WRITE: 2.6.28-2.6.37 for a writable VMA (__mlock_vma_pages_range,
 * make_pages_present: VM_WRITE), every mapping of the model being writable;
 * 2.6.38+ for a private writable one ((VM_WRITE | VM_SHARED) == VM_WRITE):
 * anonymous memory (zeroed, charged pages) and MAP_PRIVATE files (a COW copy
 * each). On a shared file mapping a write fault costs what a read does here.
 */
static unsigned mlock_fault_flags(const struct thread *th, const struct vma *v)
{
	int how = th->k->feat.mlock_populate;

	if (how == MLOCK_WRITE || how == MLOCK_DOWNGRADE || v->cfg->kind == MAPPING_ANON ||
	    v->cfg->private_map)
		return FAULT_FLAG_WRITE;
	return 0;
}

/* The per-page CPU is summed and spent in one go before anything that may sleep. */
static void mlock_flush(struct thread *th, sim_ns *pending)
{
	if (*pending)
		task_cpu(th->task, *pending);
	*pending = 0;
}

/*
 * __mlock_vma_pages_range of 2.6.28-2.6.37: the whole range under @hold
 * (write or read), no retry. Returns the pages done (stops at an OOM).
 */
static uint64_t populate_held(struct thread *th, struct vma *v, uint64_t start, uint64_t end,
                              struct rwsem_hold *hold, const struct op_config *op)
{
	unsigned flags = mlock_fault_flags(th, v);
	sim_ns pending = 0;
	uint64_t p;

	for (p = start; p < end; p++) {
		if (mlock_needs_fault(th, v, p, flags)) {
			mlock_flush(th, &pending);
			if (fault_populate_page(th, v, p, flags, hold, op) & VM_FAULT_OOM)
				break;
		}
		pending += mlock_sample(th, &op->cpu_per_page_us);
	}
	mlock_flush(th, &pending);
	return p - start;
}

/*
 * do_mlock_pages (2.6.38) and __mm_populate (3.9-6.8): read taken as needed
 * (*@locked: held in @hold, on entry and on return) and kept across the
 * range and on to the next VMA; a fault that returns VM_FAULT_RETRY has
 * dropped it (GUP returns, the loop re-takes it).
 */
static uint64_t populate_retry(struct thread *th, struct vma *v, uint64_t start, uint64_t end,
                               const struct op_config *op, struct rwsem_hold *hold, bool *locked)
{
	struct rwsem *sem = &th->mm->mmap_sem;
	unsigned flags = mlock_fault_flags(th, v) | FAULT_FLAG_ALLOW_RETRY;
	bool refault = false;
	sim_ns pending = 0;
	uint64_t p = start;

	while (p < end) {
		if (!*locked) {
			down_read(sem, th->task, SITE_MLOCK, hold);
			*locked = true;
		}
		/* after a retry the pte is still not there: GUP faults the page again */
		if (refault || mlock_needs_fault(th, v, p, flags)) {
			int ret;

			mlock_flush(th, &pending);
			ret = fault_populate_page(th, v, p, flags, hold, op);
			refault = ret & VM_FAULT_RETRY;
			if (refault) { /* mmap_sem dropped: GUP returns, resume at this page */
				*locked = false;
				continue;
			}
			if (ret & VM_FAULT_OOM)
				break;
		}
		pending += mlock_sample(th, &op->cpu_per_page_us);
		p++;
	}
	mlock_flush(th, &pending);
	return p - start;
}

/* mlock_fixup's VMA work: VM_LOCKED, merge or split. Context: holds mmap_sem for write. */
static void mlock_fixup(struct thread *th, struct vma *v, const struct op_config *op)
{
	vma_start_write(th->mm, v, th->task);
	task_cpu(th->task, mlock_sample(th, &op->hold_us));
}

/*
 * 2.6.28 mlock_fixup's populate: downgrade_write, populate under read,
 * up_read, down_write and the find_vma recheck ("vma can change or
 * disappear"): MLOCK_ENOMEM if find_vma(start) may no longer cover [start,
 * end), else the pages done. Context: holds mmap_sem for write in @hold, on
 * entry and on return.
 */
static int populate_downgraded(struct thread *th, struct vma *v, uint64_t start, uint64_t end,
                               struct rwsem_hold *hold, const struct op_config *op)
{
	unsigned long layout = v->layout_seq;
	uint64_t done;

	mmap_write_downgrade(th->mm, th->task, hold);
	done = populate_held(th, v, start, end, hold, op);
	up_read(&th->mm->mmap_sem, th->task, hold);
	mmap_write_lock(th->mm, th->task, SITE_MLOCK, hold);
	return v->layout_seq != layout ? MLOCK_ENOMEM : (int)done;
}

/*
 * The write section (mlock_fixup, or the mmap itself: hold_us), then the
 * population of [start, start + nr) of @v by strategy @how (enum
 * mlock_populate).
 */
static int lock_and_populate(struct thread *th, struct vma *v, uint64_t start, uint64_t nr,
                             const struct op_config *op, int how)
{
	struct rwsem_hold hold;
	bool locked = false;
	uint64_t end;
	int ret;

	if (start > v->pages)
		start = v->pages;
	end = nr && nr < v->pages - start ? start + nr : v->pages;
	mmap_write_lock(th->mm, th->task, SITE_MLOCK, &hold);
	mlock_fixup(th, v, op);
	switch (how) {
	case MLOCK_DOWNGRADE:
		ret = populate_downgraded(th, v, start, end, &hold, op);
		break;
	case MLOCK_READ_RETRY:
	case MLOCK_OUTSIDE:
		mmap_write_unlock(th->mm, th->task, &hold);
		ret = (int)populate_retry(th, v, start, end, op, &hold, &locked);
		if (locked)
			up_read(&th->mm->mmap_sem, th->task, &hold);
		return ret;
	default: /* MLOCK_WRITE */
		ret = (int)populate_held(th, v, start, end, &hold, op);
		break;
	}
	mmap_write_unlock(th->mm, th->task, &hold);
	return ret;
}

int mlock_range(struct thread *th, struct vma *v, uint64_t start, uint64_t nr,
                const struct op_config *op)
{
	return lock_and_populate(th, v, start, nr, op, th->k->feat.mlock_populate);
}

/* A failed mlock (-ENOMEM: part of the range is unmapped) is not retried. */
void mlock_op_run(struct thread *th, const struct op_config *op)
{
	struct vma *v = &th->mm->vmas[op->mapping];
	sim_ns start = task_now(th->task);
	int ret = mlock_range(th, v, op->offset, op->pages, op);

	record_mlock(th->task, start, ret > 0 ? (unsigned)ret : 0);
}

/*
 * mlockall(MCL_CURRENT): sys_mlockall holds mmap_sem for write across
 * do_mlockall, mlock_fixup of every VMA (which populates it, under write or
 * downgraded, before 2.6.38); from 2.6.38 up_write, then one
 * do_mlock_pages/__mm_populate over all of them. Errors are ignored.
 */
void mlockall_op_run(struct thread *th, const struct op_config *op)
{
	int how = th->k->feat.mlock_populate;
	sim_ns start = task_now(th->task);
	struct rwsem_hold hold;
	bool locked = false;
	unsigned pages = 0;

	mmap_write_lock(th->mm, th->task, SITE_MLOCK, &hold);
	for (unsigned i = 0; i < th->mm->nr_vmas; i++) {
		struct vma *v = &th->mm->vmas[i];
		int ret = 0;

		mlock_fixup(th, v, op);
		if (how == MLOCK_DOWNGRADE)
			ret = populate_downgraded(th, v, 0, v->pages, &hold, op);
		else if (how == MLOCK_WRITE)
			ret = (int)populate_held(th, v, 0, v->pages, &hold, op);
		pages += ret > 0 ? (unsigned)ret : 0;
	}
	mmap_write_unlock(th->mm, th->task, &hold);
	if (how == MLOCK_READ_RETRY || how == MLOCK_OUTSIDE) {
		for (unsigned i = 0; i < th->mm->nr_vmas; i++) {
			struct vma *v = &th->mm->vmas[i];

			pages += (unsigned)populate_retry(th, v, 0, v->pages, op, &hold, &locked);
		}
		if (locked)
			up_read(&th->mm->mmap_sem, th->task, &hold);
	}
	record_mlock(th->task, start, pages);
}

/*
 * mmap(MAP_POPULATE or MAP_LOCKED) of @op->mapping: the mmap's write hold,
 * then the population. Until 3.8 mmap_region populates inside do_mmap_pgoff,
 * under down_write: mlock_vma_pages_range (MAP_LOCKED; no retry, and on
 * 2.6.28 with mlock's downgrade) or make_pages_present (MAP_POPULATE). From
 * 3.9 vm_mmap_pgoff calls mm_populate after up_write (__mm_populate).
 */
void mmap_populate_op_run(struct thread *th, const struct op_config *op)
{
	struct vma *v = &th->mm->vmas[op->mapping];
	int how = th->k->feat.mlock_populate;

	if (how == MLOCK_READ_RETRY) /* do_mlock_pages serves mlock() only */
		how = MLOCK_WRITE;
	lock_and_populate(th, v, 0, 0, op, how); /* 2.6.28 "vma gone!": mmap fails */
}

/*
 * munlock (all versions): munlock_vma_pages_range under mmap_sem write,
 * cpu_per_page_us per page (follow_page, lock_page, munlock_vma_page). The
 * pages stay where they are.
 */
void munlock_op_run(struct thread *th, const struct op_config *op)
{
	struct vma *v = &th->mm->vmas[op->mapping];
	uint64_t start = op->offset < v->pages ? op->offset : v->pages;
	uint64_t end = op->pages && op->pages < v->pages - start ? start + op->pages : v->pages;
	struct rwsem_hold hold;
	sim_ns cpu;

	mmap_write_lock(th->mm, th->task, SITE_MLOCK, &hold);
	vma_start_write(th->mm, v, th->task);
	if (start > 0 || end < v->pages) /* mlock_fixup splits the VMA */
		v->layout_seq++;
	cpu = mlock_sample(th, &op->hold_us);
	for (uint64_t p = start; p < end; p++)
		cpu += mlock_sample(th, &op->cpu_per_page_us);
	task_cpu(th->task, cpu);
	mmap_write_unlock(th->mm, th->task, &hold);
}

/* clang-format off */
#define F(x) offsetof(struct op_config, x)
#define MLOCK_RANGE_PARAMS \
	{ "mapping",         PARAM_NAME, F(mapping),         0, 0,   NULL,  "name of a mapping of the thread's process", NULL, false }, \
	{ "offset",          PARAM_UINT, F(offset),          0, 1e9, "0",   "first page of the range in the mapping", NULL, false }, \
	{ "pages",           PARAM_UINT, F(pages),           0, 1e9, "0",   "pages in the range (0: to the end of the mapping)", NULL, false }, \
	{ "hold_us",         PARAM_DIST, F(hold_us),         0, 1e9, "2",   "mmap_sem write: mlock_fixup (VM_LOCKED, VMA merge or split)", NULL, false }
#define MLOCK_FAULT_PARAMS \
	{ "cpu_per_page_us", PARAM_DIST, F(cpu_per_page_us), 0, 1e6, "0.2", "each page: mark it mlocked (mlock_vma_page, FOLL_MLOCK)", NULL, false }, \
	FAULT_COST_PARAMS(F)
const struct param mlock_op_params[] = {
	MLOCK_RANGE_PARAMS,
	MLOCK_FAULT_PARAMS,
	{ .key = NULL },
};
const struct param mlockall_op_params[] = {
	{ "hold_us", PARAM_DIST, F(hold_us), 0, 1e9, "2", "mmap_sem write per mapping: mlock_fixup", NULL, false },
	MLOCK_FAULT_PARAMS,
	{ .key = NULL },
};
const struct param mmap_populate_op_params[] = {
	{ "mapping", PARAM_NAME, F(mapping), 0, 0, NULL, "the mapping created (MAP_POPULATE or MAP_LOCKED) and populated", NULL, false },
	{ "hold_us", PARAM_DIST, F(hold_us), 0, 1e9, "5", "mmap_sem write: the mmap itself", NULL, false },
	MLOCK_FAULT_PARAMS,
	{ .key = NULL },
};
#undef MLOCK_FAULT_PARAMS
const struct param munlock_op_params[] = {
	MLOCK_RANGE_PARAMS,
	{ "cpu_per_page_us", PARAM_DIST, F(cpu_per_page_us), 0, 1e6, "0.2", "each page under mmap_sem write: munlock_vma_page", NULL, false },
	{ .key = NULL },
};
#undef MLOCK_RANGE_PARAMS
#undef F
/* clang-format on */
