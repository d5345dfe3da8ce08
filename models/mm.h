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
#define MMAP_LOTSAMISS  100 /* mm/filemap.c: read-around stops after this many net misses */

struct machine_config {
	unsigned cpus;            /* 0: a CPU per thread; else cores shared by all threads */
	struct dist wakeup_us;    /* from a wake-up (hand-off, I/O end) to the thread running */
	double page_cache_mb;     /* memory for file pages read during the run */
	unsigned read_ahead_kb;   /* read_ahead_kb: read-around / readahead window */
};
extern const struct param machine_params[];

enum mapping_kind { MAPPING_FILE, MAPPING_ANON };
enum mapping_advice { ADVICE_NORMAL, ADVICE_RANDOM, ADVICE_SEQUENTIAL };

struct mapping_config {
	const char *name;        /* owned by the scenario */
	int kind;                /* enum mapping_kind */
	double size_mb;
	double cached_fraction;  /* file: share of the file in the page cache at start */
	int advice;              /* enum mapping_advice (madvise) */
};
extern const struct param mapping_params[];

/* A mapping of a process, with the readahead state of its open file. */
struct vma {
	const struct mapping_config *cfg; /* borrowed */
	uint64_t pages;
	struct inode inode;               /* file-backed: the file's page cache */
	unsigned mmap_miss;               /* file_ra_state.mmap_miss */
	uint64_t prev_pos;                /* file_ra_state.prev_pos, in pages */
	bool prev_valid;
	struct anon_pages anon;           /* anonymous: its page table and swap entries */
};

struct mm {
	int id;
	struct memcg *memcg;  /* borrowed; NULL: the root cgroup, no limit */
	struct rwsem mmap_sem;
	struct vma *vmas;    /* owned */
	unsigned nr_vmas;
};

/* Everything the threads share. */
struct kernel {
	struct kernel_features feat;
	const struct machine_config *machine; /* borrowed */
	struct pagecache pc;
	struct disk disk;
	struct disk swap_disk;  /* the swap device when it is not the disk */
	struct swap swap;
	unsigned ra_pages;
	int next_inode_id;
};

int kernel_init(struct kernel *k, const struct kernel_features *feat,
		const struct machine_config *machine, const struct disk_config *disk);
void kernel_release(struct kernel *k);

int mm_init(struct mm *mm, struct kernel *k, int id, const struct mapping_config *maps,
	    unsigned nr_maps);
void mm_release(struct mm *mm);

#endif
