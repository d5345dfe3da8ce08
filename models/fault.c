/*
 * fault.c - x86 do_page_fault() (arch/x86/mm/fault.c) and the parts of
 * handle_mm_fault()/__do_fault() (mm/memory.c) on its path, 2.6.36 and
 * 2.6.37 (spec 1.1, 1.2, 2).
 *
 * 2.6.36: trylock, else down_read; the whole fault, disk wait included, runs
 * with mmap_sem held for read. 2.6.37 (fault_retry "once"): the first pass
 * carries FAULT_FLAG_ALLOW_RETRY; when filemap_fault returns VM_FAULT_RETRY
 * it has already released mmap_sem, and the fault retries once with a
 * blocking down_read and without ALLOW_RETRY. Accounting follows the first
 * pass. Anonymous faults are do_anonymous_page: allocate and zero a page
 * (cpu_miss_us) under the read lock. Omitted: the exception-table check,
 * stack expansion, bad-area faults, OOM and SIGBUS.
 */
#include "models/fault.h"

static void fault_cpu(struct thread *th, const struct dist *d)
{
	task_cpu(th->task, dist_sample_ns(d, task_rng(th->task)));
}

/* __do_fault() on a file mapping: ->fault, then install the pte and unlock. */
static int do_file_fault(struct vm_fault *vmf)
{
	int ret = filemap_fault(vmf);

	if (ret & VM_FAULT_RETRY)
		return ret;
	fault_cpu(vmf->th, &vmf->op->cpu_after_us);
	unlock_page(&vmf->th->k->pc, vmf->page, vmf->th->task);
	put_page(&vmf->th->k->pc, vmf->page);
	return ret;
}

static int do_anonymous_page(struct vm_fault *vmf)
{
	fault_cpu(vmf->th, &vmf->op->cpu_miss_us);
	fault_cpu(vmf->th, &vmf->op->cpu_after_us);
	return 0;
}

static int handle_mm_fault(struct vm_fault *vmf)
{
	fault_cpu(vmf->th, &vmf->op->cpu_before_us);
	if (vmf->vma->cfg->kind == MAPPING_FILE)
		return do_file_fault(vmf);
	return do_anonymous_page(vmf);
}

void do_page_fault(struct thread *th, struct vma *vma, uint64_t pgoff, bool write,
		   const struct op_config *op)
{
	struct rwsem *sem = &th->mm->mmap_sem;
	struct rwsem_hold hold;
	struct vm_fault vmf = { .th = th, .vma = vma, .pgoff = pgoff, .op = op,
				.mmap_hold = &hold };
	sim_ns start = task_now(th->task);
	int retries = 0, first = -1, ret;

	vmf.flags = write ? FAULT_FLAG_WRITE : 0;
	if (th->k->feat.fault_retry != FAULT_RETRY_NONE)
		vmf.flags |= FAULT_FLAG_ALLOW_RETRY;
	if (!down_read_trylock(sem, th->task, SITE_FAULT, &hold))
		down_read(sem, th->task, SITE_FAULT, &hold);
	for (;;) {
		vmf.mmap_sem_released = false;
		ret = handle_mm_fault(&vmf);
		if (first < 0)
			first = ret;
		if (!(ret & VM_FAULT_RETRY))
			break;
		/* mmap_sem was released by the callee; retry once, blocking */
		vmf.flags = (vmf.flags & ~FAULT_FLAG_ALLOW_RETRY) | FAULT_FLAG_TRIED;
		retries++;
		down_read(sem, th->task, SITE_FAULT_RETRY, &hold);
	}
	up_read(sem, th->task, &hold);
	record_fault(th->task, th->mm->id, first & VM_FAULT_MAJOR, retries, start);
}

static uint64_t fault_pick_page(struct thread *th, const struct op_config *op, struct vma *v)
{
	gsl_rng *rng = task_rng(th->task);
	uint64_t pgoff;

	if (op->pattern == PATTERN_SEQUENTIAL)
		return th->cursor++ % v->pages;
	pgoff = gsl_rng_uniform_int(rng, v->pages);
	/* uncached: redraw cached pages, as in a file far larger than memory */
	for (int i = 0; op->pattern == PATTERN_UNCACHED && v->cfg->kind == MAPPING_FILE && i < 64 &&
			page_cached(&th->k->pc, &v->inode, pgoff); i++)
		pgoff = gsl_rng_uniform_int(rng, v->pages);
	return pgoff;
}

void fault_op_run(struct thread *th, const struct op_config *op)
{
	struct vma *v = &th->mm->vmas[op->mapping];

	do_page_fault(th, v, fault_pick_page(th, op, v), op->access == ACCESS_WRITE, op);
}

static const char *const fault_pattern_names[] = { "random", "sequential", "uncached", NULL };
static const char *const fault_access_names[] = { "read", "write", NULL };

/* clang-format off */
#define F(x) offsetof(struct op_config, x)
const struct param fault_op_params[] = {
	{ "mapping",       PARAM_NAME, F(mapping),       0, 0,   NULL,       "name of a mapping of the thread's process", NULL },
	{ "pattern",       PARAM_ENUM, F(pattern),       0, 0,   "\"random\"", "random: uniform page; sequential: next page; uncached: a random page not in the page cache", fault_pattern_names },
	{ "access",        PARAM_ENUM, F(access),        0, 0,   "\"read\"", "read or write (a shared mapping: no COW)", fault_access_names },
	{ "cpu_before_us", PARAM_DIST, F(cpu_before_us), 0, 1e6, "0.5",      "each pass under mmap_sem: exception entry, find_vma, page-cache lookup", NULL },
	{ "cpu_miss_us",   PARAM_DIST, F(cpu_miss_us),   0, 1e6, "20",       "on a miss: page allocation, readahead, bio submission (anon: allocate and zero)", NULL },
	{ "cpu_after_us",  PARAM_DIST, F(cpu_after_us),  0, 1e6, "2",        "once the page is there: lock it, install the pte, unlock", NULL },
	{ .key = NULL },
};
#undef F
/* clang-format on */
