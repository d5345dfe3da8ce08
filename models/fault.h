/*
 * fault.h - the page-fault path: x86 do_page_fault, handle_mm_fault and
 * filemap_fault, with the flags and return bits of the kernel.
 */
#ifndef MODELS_FAULT_H
#define MODELS_FAULT_H

#include "models/thread.h"

/* enum fault_flag (include/linux/mm.h) */
#define FAULT_FLAG_WRITE 0x01
#define FAULT_FLAG_ALLOW_RETRY 0x08
#define FAULT_FLAG_RETRY_NOWAIT 0x10 /* 2.6.38 GUP FOLL_NOWAIT: don't wait, keep mmap_sem */
#define FAULT_FLAG_TRIED 0x20

/* vm_fault_t bits */
#define VM_FAULT_OOM 0x0001
#define VM_FAULT_MAJOR 0x0004
#define VM_FAULT_LOCKED 0x0200
#define VM_FAULT_RETRY 0x0400

/* The state of one fault attempt, as the kernel passes it down. */
struct vm_fault {
	struct thread *th;
	struct vma *vma;
	uint64_t pgoff;
	unsigned flags;
	const struct op_config *op;   /* the costs */
	struct rwsem_hold *mmap_hold; /* mmap_sem held for read until released */
	bool vma_locked;              /* runs under the VMA's lock, not mmap_sem (6.4+) */
	bool lock_released;           /* the fault's lock was dropped for a wait (RETRY follows) */
	struct page *page;            /* the locked page, with VM_FAULT_LOCKED */
	bool cow_charged;             /* cow_prealloc: the COW page is allocated and charged */
	struct memcg_oom_state *memcg_oom; /* a user fault's (FAULT_FLAG_USER); NULL: GUP */
};

/* ALLOW_RETRY and not TRIED: this pass may drop its lock to wait (5.7 fault_flag_allow_retry_first). */
static inline bool fault_allow_retry_first(unsigned flags)
{
	return (flags & FAULT_FLAG_ALLOW_RETRY) && !(flags & FAULT_FLAG_TRIED);
}

/*
 * release_fault_lock: the fault drops mmap_sem (or the VMA lock it runs
 * under) to wait; it returns VM_FAULT_RETRY after. Context: holds it.
 */
void fault_release_lock(struct vm_fault *vmf);

/*
 * One page charged to the faulting process's memcg (if it has one). Context:
 * mmap_sem held for read and maybe a page lock: may sleep (reclaim, OOM wait).
 * False: the charge failed (VM_FAULT_OOM).
 */
bool fault_charge_page(struct vm_fault *vmf);

/*
 * add_to_page_cache_lru() by the faulting task: page @index of @inode is
 * charged to the task's memcg (mem_cgroup_cache_charge, readahead included),
 * then inserted locked for its read. NULL if the charge failed (a readahead
 * page is skipped, page_cache_read returns VM_FAULT_OOM) or if another task
 * inserted the page while the charge slept. Context as fault_charge_page.
 */
struct page *fault_add_to_page_cache(struct vm_fault *vmf, struct inode *inode, uint64_t index);

/*
 * 3.15 do_fault_around + filemap_map_pages (docs/kernel-model.md#fault-around):
 * map the cached, up-to-date, unlocked, not PG_readahead pages of the
 * fault_around_bytes (64 KiB) block around the fault, within the mapping, each
 * lowering mmap_miss; true if the faulting page itself was mapped.
 */
bool do_fault_around(struct vm_fault *vmf);
/*
 * Context: mmap_sem held for read. Returns VM_FAULT_* bits; with
 * VM_FAULT_RETRY mmap_sem has been released (docs/kernel-model.md#fault-retry).
 */
int filemap_fault(struct vm_fault *vmf);

/*
 * Context: mmap_sem held for read (vmf->mmap_hold); may sleep on the page
 * lock. Returns true with @page locked and mmap_sem still held; false (only
 * with FAULT_FLAG_ALLOW_RETRY) after releasing mmap_sem and waiting for the
 * page to be unlocked, without taking it: the caller must retry the fault;
 * with RETRY_NOWAIT too, false at once with mmap_sem still held
 * (docs/kernel-model.md#lock-page-or-retry).
 */
bool lock_page_or_retry(struct vm_fault *vmf, struct page *page);

/*
 * The CPU of @nr pages a miss reads into the page or swap cache (the op's
 * cpu_page_read_us each: page_cache_ra_unbounded allocates and inserts every
 * page before read_pages submits; docs/kernel-model.md#page-read-cost).
 */
void fault_cpu_pages_read(struct vm_fault *vmf, unsigned nr);

/*
 * The I/O context of @th (cfq's queue owner): a thread's own, made at its
 * first I/O; threads share one only with CLONE_IO, which pthread_create
 * does not pass (copy_io, 2.6.36 kernel/fork.c; docs/kernel-model.md#block).
 */
int thread_io_context(struct thread *th);

/*
 * sync_page: @th is about to wait for @page; if it is locked (under I/O),
 * its device's plugged queue is unplugged (docs/kernel-model.md#block-plug).
 */
void fault_sync_page(struct thread *th, struct page *page);

/*
 * do_swap_page (docs/kernel-model.md#swap-in). Context: mmap_sem held for read; the page is
 * swapped out. Returns VM_FAULT_* bits like filemap_fault: the swap read is
 * waited for with lock_page (swapin_retry off) or lock_page_or_retry.
 */
int do_swap_page(struct vm_fault *vmf);

/*
 * handle_mm_fault as __get_user_pages calls it (docs/kernel-model.md#gup-kvm):
 * one fault of page @pgoff of @v with @flags and the costs of @op, not
 * counted as a user fault.
 * Context: mmap_sem held as @hold says (read, or write without
 * FAULT_FLAG_ALLOW_RETRY). Returns VM_FAULT_* bits; with VM_FAULT_RETRY
 * mmap_sem has been released unless FAULT_FLAG_RETRY_NOWAIT was set.
 */
int fault_populate_page(struct thread *th, struct vma *v, uint64_t pgoff, unsigned flags,
                        struct rwsem_hold *hold, const struct op_config *op);

/*
 * Context: nothing held; may sleep on mmap_sem, the page lock and the disk.
 * Counts the fault (major/minor, retries) and returns when the page is mapped.
 */
void do_page_fault(struct thread *th, struct vma *vma, uint64_t pgoff, bool write,
                   const struct op_config *op);

#endif
