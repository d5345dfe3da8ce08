/*
 * filemap.c - filemap_fault() and mmap readahead (mm/filemap.c,
 * mm/readahead.c), 2.6.36-2.6.38, docs/kernel-model.md#filemap.
 *
 * A miss starts a read: read-around of ra_pages centred on the fault
 * (random access, until mmap_miss exceeds MMAP_LOTSAMISS), a sequential
 * readahead window (MADV_SEQUENTIAL or pgoff following prev_pos), or a
 * single page (MADV_RANDOM, or read-around switched off). Missing pages are
 * inserted locked and sent to the disk in one request per contiguous run;
 * then the fault waits for its page with lock_page (2.6.36) or
 * lock_page_or_retry (2.6.37). With 5.1's filemap_drop_for_io, a miss that
 * misses first drops mmap_sem (maybe_unlock_mmap_for_io, first pass only),
 * submits the I/O outside it (readahead, or page_not_uptodate's ->readpage
 * of a single page), waits for the page and retries; so does a hit on a
 * PG_readahead page before its async readahead. From 3.7 (fault_tried) the
 * retry pass skips async readahead. Omitted: I/O errors (page_not_uptodate's
 * re-read), truncation races, the 3.0 async_size change.
 */
#include "models/fault.h"

/*
 * read_pages of a run of @nr pages inserted locked: their CPU
 * (cpu_page_read_us), then the requests, split at the device's
 * max_sectors_kb (blk_queue_split; docs/kernel-model.md#page-read-cost).
 */
static void filemap_read_run(struct vm_fault *vmf, struct disk_plug *plug, struct page **run,
                             unsigned nr)
{
	struct inode *inode = vmf->vma->inode;
	struct disk *dev = inode_file(inode)->dev;

	fault_cpu_pages_read(vmf, nr);
	for (unsigned done = 0, n; done < nr; done += n) {
		n = nr - done < dev->max_pages ? nr - done : dev->max_pages;
		disk_submit_plugged(plug, dev, file_sector(inode, run[done]->index),
		                    thread_io_context(vmf->th), run + done, n);
	}
}

/*
 * Send the missing pages of [start, start + nr) to the disk; returns how many.
 * One submission under a plug (2.6.39 read_pages: blk_start_plug,
 * blk_finish_plug; 2.6.36 plugs the queue, docs/kernel-model.md#block-plug).
 */
static unsigned filemap_read_window(struct vm_fault *vmf, uint64_t start, uint64_t nr,
                                    uint64_t mark)
{
	struct kernel *k = vmf->th->k;
	struct task *t = vmf->th->task;
	struct inode *inode = vmf->vma->inode;
	struct page **run; /* on the heap: a window of 64 MiB is 128 KiB of pointers */
	unsigned nr_run = 0, total = 0;
	struct disk_plug plug;

	if (start >= inode->pages) /* an async window past the end of the file */
		return 0;
	if (start + nr > inode->pages)
		nr = inode->pages - start;
	if (!(run = malloc((nr ? nr : 1) * sizeof(*run)))) /* malloc(0) may be NULL */
		abort();
	disk_plug_start(&plug, t, k->feat.block_plug);
	for (uint64_t i = start; i <= start + nr; i++) {
		bool missing = i < start + nr && !page_cached(&k->pc, inode, i);
		sim_ns before = task_now(t);
		/* memcg-charged; NULL if the charge failed: read_pages skips the page */
		struct page *p = missing ? fault_add_to_page_cache(vmf, inode, i) : NULL;

		/* a charge that reclaimed or waited: schedule() flushes the plug (blk_schedule_flush_plug) */
		if (task_now(t) != before)
			disk_plug_flush(&plug);
		if (p) { /* page_cache_ra_unbounded: read_pages at a cached page or the end */
			run[nr_run] = p;
			run[nr_run++]->readahead = i == mark;
			continue;
		}
		if (nr_run)
			filemap_read_run(vmf, &plug, run, nr_run);
		total += nr_run;
		nr_run = 0;
	}
	disk_plug_finish(&plug);
	free(run);
	return total;
}

/* See fault.h (docs/kernel-model.md#block-plug). */
int thread_io_context(struct thread *th)
{
	if (!th->io_context) /* get_io_context: made at the task's first I/O */
		th->io_context = ++th->k->nr_io_contexts;
	return th->io_context;
}

/* See fault.h (docs/kernel-model.md#block-plug). */
void fault_sync_page(struct thread *th, struct page *page)
{
	struct kernel *k = th->k;

	if (!page->locked)
		return;
	disk_unplug(page->inode == &k->swap.inode ? k->swap.dev : inode_file(page->inode)->dev,
	            th->task);
}

/*
 * 5.1 maybe_unlock_mmap_for_io: drop the fault's lock before blocking I/O,
 * on the first pass only and not for a FOLL_NOWAIT GUP.
 */
static void maybe_unlock_mmap_for_io(struct vm_fault *vmf)
{
	if (vmf->th->k->feat.filemap_drop_for_io && !vmf->lock_released &&
	    fault_allow_retry_first(vmf->flags) && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		fault_release_lock(vmf);
}

/* The miss's CPU (allocation, readahead, bio submission): after the drop, if there is one. */
static void filemap_miss_cpu(struct vm_fault *vmf)
{
	struct thread *th = vmf->th;

	task_cpu(th->task, dist_sample_ns(&vmf->op->cpu_miss_us, task_rng(th->task)));
}

static void do_sync_mmap_readahead(struct vm_fault *vmf)
{
	struct vma *v = vmf->vma;
	unsigned ra = vmf->th->k->ra_pages;
	uint64_t start;

	if (v->cfg->advice == ADVICE_RANDOM)
		goto no_readahead;
	if (v->cfg->advice == ADVICE_SEQUENTIAL ||
	    (v->prev_valid && vmf->pgoff == v->prev_pos + 1)) {
		maybe_unlock_mmap_for_io(vmf);
		filemap_miss_cpu(vmf);
		/* the second half gets a PG_readahead mark: hitting it reads ahead */
		filemap_read_window(vmf, vmf->pgoff, ra, vmf->pgoff + ra / 2);
		return;
	}
	if (++v->mmap_miss > MMAP_LOTSAMISS)
		goto no_readahead;
	maybe_unlock_mmap_for_io(vmf);
	filemap_miss_cpu(vmf);
	start = vmf->pgoff > ra / 2 ? vmf->pgoff - ra / 2 : 0;
	filemap_read_window(vmf, start, ra, UINT64_MAX);
	return;
no_readahead:
	/*
	 * One page is read: page_cache_read under the lock before 5.1; from 5.1
	 * page_not_uptodate drops the lock before ->readpage
	 * (docs/kernel-model.md#filemap-drop-for-io).
	 */
	maybe_unlock_mmap_for_io(vmf);
	filemap_miss_cpu(vmf);
}

static void do_async_mmap_readahead(struct vm_fault *vmf, struct page *page)
{
	struct vma *v = vmf->vma;
	unsigned ra = vmf->th->k->ra_pages;

	if (v->cfg->advice == ADVICE_RANDOM)
		return;
	if (v->mmap_miss > 0)
		v->mmap_miss--;
	if (page->readahead) {
		page->readahead = false;
		maybe_unlock_mmap_for_io(vmf);
		filemap_read_window(vmf, page->index + ra / 2, ra, page->index + ra);
	}
}

#define FAULT_AROUND_PAGES 16 /* fault_around_bytes: 64 KiB (mm/memory.c, 3.15-6.18) */

/* See fault.h (docs/kernel-model.md#fault-around). */
bool do_fault_around(struct vm_fault *vmf)
{
	struct vma *v = vmf->vma;
	struct pagecache *pc = &vmf->th->k->pc;
	/* the mapping is taken as PMD-aligned: the block never crosses a page table */
	uint64_t start = vmf->pgoff & ~(uint64_t)(FAULT_AROUND_PAGES - 1);
	uint64_t end = start + FAULT_AROUND_PAGES;
	bool mapped_fault_page = false;

	if (end > v->pages)
		end = v->pages;
	for (uint64_t i = start; i < end; i++) {
		bool from_start;
		/*
		 * Looked at, not looked up: filemap_map_pages marks no page
		 * accessed. The faulting page is, by the access that follows
		 * (the pte's young bit): a lookup, as filemap_fault's.
		 */
		struct page *page = i == vmf->pgoff ? find_get_page(pc, v->inode, i)
		                                    : pagecache_peek(pc, v->inode, i, &from_start);

		if (i == vmf->pgoff && page)
			put_page(pc,
			         page); /* the fault's own lookup holds no reference past here */
		/* not cached (a page cached from the start is up to date and unlocked) */
		if (!page && (i == vmf->pgoff || !from_start))
			continue;
		/* !PageUptodate, PageReadahead, !trylock_page: skipped; a mapped pte: not again */
		if ((page && (page->locked || !page->uptodate || page->readahead)) ||
		    (i != vmf->pgoff && vma_file_pte(v, i)))
			continue;
		if (v->mmap_miss > 0) /* 3.15: one a page; 6.x: the pages mapped, at once */
			v->mmap_miss--;
		vma_set_file_pte(v, i);
		mapped_fault_page |= i == vmf->pgoff;
	}
	return mapped_fault_page;
}

/* See fault.h (docs/kernel-model.md#lock-page-or-retry). */
bool lock_page_or_retry(struct vm_fault *vmf, struct page *page)
{
	struct thread *th = vmf->th;

	if (trylock_page_task(page, th->task))
		return true;
	if (fault_allow_retry_first(vmf->flags)) {
		if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
			return false;
		fault_release_lock(vmf);
		fault_sync_page(th, page);
		wait_on_page_locked(&th->k->pc, page, th->task);
		return false;
	}
	fault_sync_page(th, page);
	lock_page(&th->k->pc, page, th->task);
	return true;
}

int filemap_fault(struct vm_fault *vmf)
{
	struct thread *th = vmf->th;
	struct pagecache *pc = &th->k->pc;
	struct page *page = find_get_page(pc, vmf->vma->inode, vmf->pgoff);
	int ret = 0;

	if (page) {
		/* 2.6.37-3.6 did it on the retry pass too; 3.7 skips it (docs/kernel-model.md#mmap-miss) */
		if (!(th->k->feat.fault_tried && (vmf->flags & FAULT_FLAG_TRIED)))
			do_async_mmap_readahead(vmf, page);
	} else {
		do_sync_mmap_readahead(vmf);
		ret = VM_FAULT_MAJOR;
		page = find_get_page(pc, vmf->vma->inode, vmf->pgoff);
		if (!page) { /* page_cache_read(): no readahead, one page */
			filemap_read_window(vmf, vmf->pgoff, 1, UINT64_MAX);
			page = find_get_page(pc, vmf->vma->inode, vmf->pgoff);
		}
		if (!page) /* its memcg charge failed: -ENOMEM (5.1+ with the lock dropped: retry) */
			return vmf->lock_released ? ret | VM_FAULT_RETRY : VM_FAULT_OOM;
	}
	if (vmf->lock_released) { /* 5.1: dropped for the I/O: wait for the page, then retry */
		fault_sync_page(th, page);
		wait_on_page_locked(pc, page, th->task);
		put_page(pc, page);
		return ret | VM_FAULT_RETRY;
	}
	if (!lock_page_or_retry(vmf, page)) {
		put_page(pc, page);
		return ret | VM_FAULT_RETRY;
	}
	vmf->vma->prev_pos = vmf->pgoff;
	vmf->vma->prev_valid = true;
	vmf->page = page;
	return ret | VM_FAULT_LOCKED;
}
