/*
 * swap_fault.c - do_swap_page() (mm/memory.c) and swapin_readahead()
 * (mm/swap_state.c, valid_swaphandles() of mm/swapfile.c), 2.6.36-2.6.39,
 * docs/kernel-model.md#swap-in.
 *
 * A swapped pte is looked up in the swap cache; a miss reads the page and its
 * neighbours in swap (inserted locked, one request per contiguous run), a
 * major fault. The fault then waits for its page with lock_page, holding
 * mmap_sem (2.6.36, and seed 001 which left swap alone), or with
 * lock_page_or_retry (seed 000, the swapin_retry feature): the first pass
 * drops mmap_sem, waits, and returns VM_FAULT_RETRY; the retry pass finds the
 * page in the swap cache (minor). With the page locked: the memcg charge
 * (mem_cgroup_try_charge_swapin, which may reclaim or wait for memory with
 * the page lock held), the pte, swap_free. The page stays in the swap cache
 * (see swap.h); so do the pages read ahead, and a fault on one of them later
 * is minor. Omitted: migration entries, KSM copies, the swap token
 * (grab_swap_token), I/O errors (SIGBUS), reuse_swap_page/do_wp_page on a
 * write (an anonymous page with one mapper is made writable in place).
 */
#include "models/fault.h"

/* pte_same(): the pte still says swapped to @slot. */
static bool swap_pte_same(const struct vm_fault *vmf, uint32_t slot)
{
	const struct anon_pages *a = &vmf->vma->anon;

	return a->state[vmf->pgoff] == ANON_SWAPPED && a->slot[vmf->pgoff] == slot;
}

/*
 * Whether swap-in readahead submits under a plug: 2.6.36's per-queue
 * plugging applies to every submission; 2.6.39-3.4 sent the cluster
 * unplugged, page by page (3.5 "swap: allow swap readahead to be merged"
 * added blk_start_plug; docs/kernel-model.md#block-plug).
 */
static bool swapin_plugged(const struct kernel *k)
{
	return k->feat.block_plug != DISK_PLUG_ON_STACK;
}

/* A swap read of @nr pages from @slot: under @plug, or, unplugged, straight to the queue. */
static void swap_submit(struct vm_fault *vmf, struct disk_plug *plug, uint64_t slot,
                        struct page **pages, unsigned nr)
{
	struct thread *th = vmf->th;
	struct disk *dev = th->k->swap.dev;
	uint64_t sector = kernel_swap_sector(th->k, slot);

	if (plug)
		disk_submit_plugged(plug, dev, sector, thread_io_context(th), pages, nr);
	else
		disk_submit(dev, th->task, sector, thread_io_context(th), pages, nr);
}

/*
 * swapin_readahead (docs/kernel-model.md#swap-in). The window is valid_swaphandles' run of busy
 * slots around @slot inside its aligned block of 2^page_cluster slots: it
 * stops at a free slot and at slot 0 (the header). Each slot of it not in the
 * swap cache is inserted locked and read; read_swap_cache_async sends one bio
 * per page, which the plugged queue merges, so here one request per
 * contiguous run. The pages read are left with the I/O's reference only, as
 * the kernel's loop puts them. Returns how many; *@target_read: @slot too.
 */
static unsigned swapin_readahead(struct vm_fault *vmf, struct swap *s, uint64_t slot,
                                 bool *target_read)
{
	uint64_t size = 1ULL << s->cfg->page_cluster;
	uint64_t base = slot & ~(size - 1), end = base + size, lo = slot, hi = slot + 1, first = 0;
	struct disk *dev = vmf->th->k->swap.dev;
	/*
	 * On the heap: max_pages reaches 1024, 8 KiB on a 64 KiB actor stack. Not
	 * one buffer of the disk's: the task runs CPU between filling and submitting
	 * a run, and another task's readahead would overwrite it meanwhile.
	 */
	struct page **run = disk_page_run_new(dev);
	unsigned nr_run = 0, total = 0;
	bool plugged = swapin_plugged(vmf->th->k);
	struct disk_plug plug;

	disk_plug_start(&plug, vmf->th->task, vmf->th->k->feat.block_plug);
	if (end > s->nr_slots)
		end = s->nr_slots;
	while (hi < end && swap_slot_busy(s, hi))
		hi++;
	while (lo > base && swap_slot_busy(s, lo - 1))
		lo--;
	*target_read = false;
	for (uint64_t i = lo; i <= hi; i++) {
		/* busy and not cached: a pte refers to it, its page is only in swap */
		if (i < hi && !page_cached(s->pc, &s->inode, i)) {
			if (!nr_run)
				first = i;
			/* not charged (the swap-in is); an eviction may uncharge a file page */
			run[nr_run++] =
			        add_to_page_cache_memcg(s->pc, &s->inode, i, NULL, vmf->th->task);
			*target_read |= i == slot;
			/* a cluster larger than a request: split (blk_queue_split at max_sectors) */
			if (nr_run < dev->max_pages)
				continue;
		}
		if (nr_run) {
			fault_cpu_pages_read(vmf, nr_run);
			swap_submit(vmf, plugged ? &plug : NULL, first, run, nr_run);
		}
		total += nr_run;
		nr_run = 0;
	}
	disk_plug_finish(&plug);
	free(run);
	return total;
}

/* mem_cgroup_cancel_charge_swapin: the pte changed under us after the charge. */
static void swapin_cancel_charge(struct vm_fault *vmf)
{
	struct mm *mm = vmf->th->mm;

	if (mm->memcg && mm->charged) { /* not if an exit has uncharged everything meanwhile */
		memcg_uncharge(mm->memcg, vmf->th->task, 1);
		mm->charged--;
	}
}

/* See fault.h (docs/kernel-model.md#swap-in). */
int do_swap_page(struct vm_fault *vmf)
{
	struct thread *th = vmf->th;
	struct pagecache *pc = &th->k->pc;
	struct swap *s = &th->k->swap;
	uint32_t slot = vmf->vma->anon.slot[vmf->pgoff];        /* orig_pte's swap entry */
	struct page *page = find_get_page(pc, &s->inode, slot); /* lookup_swap_cache */
	bool target_read = false, locked;
	unsigned nr_read = 0;
	sim_ns submit = 0;
	int ret = 0;

	if (!page) {
		task_cpu(th->task, dist_sample_ns(&vmf->op->cpu_miss_us, task_rng(th->task)));
		/* faulted in by another thread or freed meanwhile: the slot's count is gone */
		if (!swap_pte_same(vmf, slot))
			return 0;
		submit = task_now(th->task);
		nr_read = swapin_readahead(vmf, s, slot, &target_read);
		page = find_get_page(pc, &s->inode, slot);
		if (!page) { /* a copy cached meanwhile, evicted by our own insertions: read it alone */
			struct disk_plug plug;

			/*
			 * read_swap_cache_async after the readahead: plugged only per
			 * queue; one request, so an on-stack plug sends it as unplugged
			 */
			page = add_to_page_cache_memcg(pc, &s->inode, slot, NULL, th->task);
			fault_cpu_pages_read(vmf, 1);
			disk_plug_start(&plug, th->task, th->k->feat.block_plug);
			swap_submit(vmf, &plug, slot, &page, 1);
			disk_plug_finish(&plug);
			nr_read++;
			target_read = true;
			page = find_get_page(pc, &s->inode, slot);
		}
		ret = VM_FAULT_MAJOR;
	}
	if (th->k->feat.swapin_retry) {
		locked = lock_page_or_retry(vmf, page);
	} else {
		fault_sync_page(th, page);
		lock_page(pc, page, th->task); /* the swap read, with mmap_sem held */
		locked = true;
	}
	if (target_read && page->uptodate) /* not when RETRY_NOWAIT gave up at once */
		record_swapin(th->task, submit, nr_read - 1);
	if (!locked) {
		put_page(pc, page);
		return ret | VM_FAULT_RETRY;
	}
	/* mem_cgroup_try_charge_swapin, under the page lock (docs/kernel-model.md#memcg) */
	if (!fault_charge_page(vmf)) {
		ret |= VM_FAULT_OOM;
		goto out_page;
	}
	task_cpu(th->task, dist_sample_ns(&vmf->op->cpu_after_us, task_rng(th->task)));
	/* under the pte lock: the check and the install are one instant */
	if (!swap_pte_same(vmf, slot)) {
		swapin_cancel_charge(vmf);
		goto out_page;
	}
	vmf->vma->anon.state[vmf->pgoff] = ANON_PRESENT;
	swap_free(s, slot);
out_page:
	unlock_page(pc, page, th->task);
	put_page(pc, page);
	return ret;
}
