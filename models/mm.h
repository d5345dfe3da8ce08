/*
 * mm.h - the simulated machine: processes (struct mm) with their mappings
 * (struct vma), the page cache and the disk they share, and the kernel
 * features in force.
 */
#ifndef MODELS_MM_H
#define MODELS_MM_H

#include <stdint.h>

#include "models/disk.h"
#include "models/kernel_profiles.h"
#include "models/memcg.h"
#include "models/pagecache.h"
#include "models/param.h"
#include "models/rwsem.h"
#include "models/swap.h"

#define PAGE_SIZE_BYTES 4096
/*
 * The largest mapping, in MB: 2^32 - 256 pages (16 TiB less 1 MB). A fault
 * draws its page with gsl_rng_uniform_int, whose range is the generator's
 * (32 bits for taus2); drawing wider would change every published result.
 */
#define MAPPING_MAX_MB 16777215.0
#define MMAP_LOTSAMISS 100 /* mm/filemap.c: read-around stops after this many net misses */

struct machine_config {
	unsigned cpus;          /* 0: a CPU per thread; else cores shared by all threads */
	struct dist wakeup_us;  /* from a wake-up (hand-off, I/O end) to the thread running */
	double page_cache_mb;   /* memory for file pages read during the run */
	unsigned read_ahead_kb; /* read_ahead_kb: read-around / readahead window */
};
extern const struct param machine_params[];

enum mapping_kind { MAPPING_FILE, MAPPING_ANON };
enum mapping_advice { ADVICE_NORMAL, ADVICE_RANDOM, ADVICE_SEQUENTIAL };

struct mapping_config {
	const char *name; /* owned by the scenario */
	const char *file; /* owned by the scenario; file: mappings of one file share its pages */
	int kind;         /* enum mapping_kind */
	double size_mb;
	double cached_fraction;  /* file: share of the file in the page cache at start */
	int advice;              /* enum mapping_advice (madvise) */
	bool private_map;        /* file: MAP_PRIVATE, a write fault copies the page (COW) */
	double swapped_fraction; /* anon: share of the pages swapped out at start */
	unsigned device; /* file: where its file lies: 0 the disk, i the named device i - 1 */
};
extern const struct param mapping_params[];

/* The pages of mapping @mc: its size_mb rounded up to whole pages. */
uint64_t mapping_pages(const struct mapping_config *mc);

/*
 * A file, shared by the mappings that name it in any process. The files lie
 * contiguously on their device in creation order, a sector per page
 * (docs/kernel-model.md#block): a file starts after the earlier files of its device.
 */
struct file {
	const char *name; /* borrowed from the scenario */
	struct inode inode;
	struct disk *dev;      /* borrowed: the disk or a named device */
	uint64_t first_sector; /* of page 0 on @dev */
};

static inline const struct file *inode_file(const struct inode *inode)
{
	return (const struct file *)(const void *)((const char *)inode -
	                                           offsetof(struct file, inode));
}

/* The disk sector of page @pgoff of the file whose inode is @inode (not the swap cache's). */
static inline uint64_t file_sector(const struct inode *inode, uint64_t pgoff)
{
	return inode_file(inode)->first_sector + pgoff;
}

/*
 * The per-VMA lock of 6.4+ (docs/kernel-model.md#per-vma-locks): faults
 * read-trylock it; the mmap_sem writer that changes the VMA write-locks it
 * (waiting for the faults under it to finish) until it releases mmap_sem.
 */
struct vma_lock {
	unsigned readers;    /* faults running under it */
	bool write_locked;   /* by the writer holding mmap_sem */
	struct task *writer; /* borrowed: the writer waiting for @readers to drain, or NULL */
};

/* A mapping of a process, with the readahead state of its open file. */
struct vma {
	const struct mapping_config *cfg; /* borrowed */
	uint64_t pages;
	struct inode *inode; /* file-backed: the file's page cache (borrowed) */
	unsigned mmap_miss;  /* file_ra_state.mmap_miss */
	uint64_t prev_pos;   /* file_ra_state.prev_pos, in pages */
	bool prev_valid;
	struct anon_pages anon; /* anon: page table and swap entries; private file: COW copies */
	struct vma_lock lock;
	unsigned long layout_seq; /* unmaps or splits of part of it (the 2.6.28 mlock recheck) */
	uint8_t *file_ptes;       /* owned: file pages mapped (pte present), a bit each; or NULL */
};

struct kvm_vm;

struct mm {
	int id;
	struct kvm_vm *kvm;  /* owned: the VM of guest and apf_worker threads, or NULL */
	struct memcg *memcg; /* borrowed; NULL: the root cgroup, no limit */
	uint64_t charged;    /* pages charged to @memcg by this process */
	struct rwsem mmap_sem;
	struct vma *vmas; /* owned */
	unsigned nr_vmas;
	bool vma_locks; /* the kernel has per-VMA locks: writers lock the VMAs they change */
	unsigned vmas_write_locked; /* VMAs write-locked by the mmap_sem writer */
};

/*
 * The numbering of the files, the one source of their ids: a file's id is
 * its index in order of first use by the file mappings, processes in the
 * order mm_init meets them. The kernel numbers its files with it
 * (kernel_file), and the results name them by it.
 */
struct file_ids {
	const char **names; /* owned array, by id; the names are the mappings' (borrowed) */
	unsigned nr;
};

/* The name of the file mapping @mc maps, the key of its file; NULL: anonymous memory. */
const char *mapping_file_name(const struct mapping_config *mc);
/* The id of the file named @name, numbered next if new; -1 out of memory. */
int file_ids_get(struct file_ids *ids, const char *name);
/* Numbers the files of the mappings @maps of one process as mm_init does; -1 out of memory. */
int file_ids_add(struct file_ids *ids, const struct mapping_config *maps, unsigned nr_maps);
void file_ids_release(struct file_ids *ids);

/* Everything the threads share. */
struct kernel {
	struct kernel_features feat;
	const struct machine_config *machine; /* borrowed */
	struct pagecache pc;
	struct disk disk;
	struct disk swap_disk; /* the swap device when it is not the disk */
	struct swap swap;
	unsigned ra_pages;
	struct file_ids file_ids; /* how the files are numbered */
	struct file **files;      /* owned: by id (file_ids) */
	unsigned nr_files;
	uint64_t file_sectors; /* the files' sectors on the disk: a swap area on it comes after */
	struct disk *devices;  /* owned: the named devices ("devices"), each a task */
	uint64_t *device_sectors; /* owned: the files' sectors on each, as file_sectors */
	unsigned nr_devices;
	struct memcg *memcgs; /* owned */
	unsigned nr_memcgs;
	struct mm **mms; /* borrowed: the processes, for the OOM killer */
	unsigned nr_mms;
	int nr_io_contexts; /* made so far: the threads' I/O contexts are 1..nr (thread_io_context) */
};

int kernel_init(struct kernel *k, const struct kernel_features *feat,
                const struct machine_config *machine, const struct disk_config *disk,
                const struct swap_config *swap, const struct memcg_config *memcgs,
                unsigned nr_memcgs, const struct disk_config *devices, unsigned nr_devices);
/* Whether swap has its own device (a disk task to run besides the machine's disk). */
bool kernel_swap_own_device(const struct kernel *k);
void kernel_release(struct kernel *k);

/* The sector of swap slot @slot on the swap device (on the disk: after the files). */
uint64_t kernel_swap_sector(const struct kernel *k, uint64_t slot);

/* The file named @name, created (and numbered: file_ids) on first use; NULL out of memory. */
struct file *kernel_file(struct kernel *k, const char *name, uint64_t pages, uint64_t cached_pages,
                         unsigned device);

/* @rng draws the initially swapped pages (may be NULL if none are). */
int mm_init(struct mm *mm, struct kernel *k, int id, const struct mapping_config *maps,
            unsigned nr_maps, gsl_rng *rng);
void mm_release(struct mm *mm);

/*
 * Whether page @pgoff of file mapping @v is mapped (its pte present), as
 * follow_page would find it; set by the file fault that maps it, cleared by
 * mm_free_memory. Not cleared when reclaim drops the page from the cache.
 */
bool vma_file_pte(const struct vma *v, uint64_t pgoff);
void vma_set_file_pte(struct vma *v, uint64_t pgoff);

/*
 * The mmap_lock interface (5.8 names): mmap_sem for write, whose release
 * (or downgrade) also ends every VMA write lock its holder took. Context:
 * @t running; the lock may block.
 */
void mmap_write_lock(struct mm *mm, struct task *t, int site, struct rwsem_hold *h);
void mmap_write_unlock(struct mm *mm, struct task *t, struct rwsem_hold *h);
void mmap_write_downgrade(struct mm *mm, struct task *t, struct rwsem_hold *h);

/*
 * Context: @t holds mmap_sem for write and changes @v: with per-VMA locks,
 * waits for the faults running under @v's lock, then keeps faults off it
 * until mmap_write_unlock. Nothing without per-VMA locks.
 */
void vma_start_write(struct mm *mm, struct vma *v, struct task *t);
/* A fault's read-trylock of @v's lock (lock_vma_under_rcu); false if a writer has it. */
bool vma_start_read(struct vma *v);
/*
 * vma_start_read_locked: the read lock of @v taken under mmap_sem held for
 * read, which keeps every VMA writer out, so it cannot fail.
 */
void vma_start_read_locked(struct vma *v);
/* Context: @t holds a read lock of @v. */
void vma_end_read(struct mm *mm, struct vma *v, struct task *t);

/*
 * Frees the process's anonymous pages and private copies (its page tables
 * and swap entries) and uncharges them, as exit_mmap does. Context: @t is
 * running (or NULL): wakes tasks waiting for memory.
 */
void mm_free_memory(struct mm *mm, struct swap *swap, struct task *t);

#endif
