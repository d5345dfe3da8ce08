/*
 * kernel_profiles.h - kernel versions as named sets of behaviour switches
 * (docs/kernel-model.md#profiles). A scenario picks a profile by name and may
 * override single features; the models read only struct kernel_features.
 */
#ifndef MODELS_KERNEL_PROFILES_H
#define MODELS_KERNEL_PROFILES_H

#include <stdbool.h>
#include <stddef.h>

#include "models/param.h"

enum fault_retry {
	FAULT_RETRY_NONE, /* 2.6.36: the whole fault runs under mmap_sem */
	FAULT_RETRY_ONCE, /* 2.6.37-5.6: drop mmap_sem on a page-lock wait, retry once */
};

enum mlock_populate {
	MLOCK_WRITE,     /* 2.6.29-2.6.37: mlock populates under mmap_sem held for write */
	MLOCK_DOWNGRADE, /* 2.6.28 (seed 004): downgrade to read, populate, re-take write, recheck */
	MLOCK_READ_RETRY, /* 2.6.38-3.8: populate under read; a page-lock wait drops it */
	MLOCK_OUTSIDE,    /* 3.9+ __mm_populate: short read holds per chunk, with retry */
};

enum memcg_oom {
	MEMCG_OOM_IN_CHARGE, /* before 3.12: the charge waits (or kills) inside the fault, locks held */
	MEMCG_OOM_UNWIND, /* 3.12: the charge fails, the fault unwinds, the OOM is handled after it */
	MEMCG_OOM_KILL_IN_CHARGE, /* 4.19: the charge kills; only the oom_kill_disable wait unwinds */
};

enum per_vma_lock {
	PER_VMA_LOCK_OFF,
	PER_VMA_LOCK_ANON, /* 6.4: anonymous faults (not swap-ins) under the VMA's lock */
	PER_VMA_LOCK_SWAP, /* 6.6: swap-ins too */
	PER_VMA_LOCK_FILE, /* 6.7-6.8: file faults too */
};

struct kernel_features {
	int rwsem_policy;  /* index into rwsem_policies[] */
	int fault_retry;   /* enum fault_retry */
	bool swapin_retry; /* do_swap_page uses lock_page_or_retry too (seed 000, not 001) */
	bool fault_tried;  /* 3.7 FAULT_FLAG_TRIED: the retry pass skips mmap_miss-- */
	bool fault_around; /* 3.15 do_fault_around: read faults map cached neighbours, mmap_miss-- each */
	bool cow_prealloc; /* 3.0 (seed 003): COW page allocated and charged before the page lock */
	int mlock_populate;    /* enum mlock_populate (docs/kernel-model.md#mlock) */
	bool kvm_apf;          /* 2.6.38 (seed 002): KVM async PFs (docs/kernel-model.md#gup-kvm) */
	bool kvm_gup_retry;    /* 3.18: KVM's get_user_pages may drop mmap_sem across the I/O */
	int memcg_oom;         /* enum memcg_oom (docs/kernel-model.md#memcg) */
	bool munmap_downgrade; /* 4.20: munmap zaps the pages under the downgraded read lock */
	bool filemap_drop_for_io; /* 5.1: filemap_fault drops mmap_sem before submitting I/O */
	bool retry_multi;         /* 5.7: a fault may retry again and again; accounting per fault */
	int per_vma_lock;         /* enum per_vma_lock (6.4+, docs/kernel-model.md#per-vma-locks) */
	bool proc_maps_vma_lock;  /* 6.17: /proc/PID/maps reads each VMA under its own lock */
	int block_plug; /* enum disk_plugging (models/disk.h, docs/kernel-model.md#block-plug) */
};

struct kernel_profile {
	const char *name;
	const char *doc;
	struct kernel_features features;
};

/*
 * The profiles, NULL-terminated, oldest first (a scenario names its profile,
 * never an index), each resolved from its row on the first call.
 */
const struct kernel_profile *kernel_profile_table(void);
/* The keys of "features": overrides of the profile's values. */
const struct param *kernel_feature_table(void);
/* Read as the arrays they were: every read goes through the functions above. */
#define kernel_profiles (kernel_profile_table())
#define kernel_feature_params (kernel_feature_table())

const struct kernel_profile *kernel_profile_find(const char *name);

/*
 * Where the values of the feature at @offset (into struct kernel_features)
 * come from: @fn for each profile row that sets it, in table order, with
 * the value set and the release and commit title of the change.
 */
void kernel_feature_sources(size_t offset, void (*fn)(int value, const char *source, void *arg),
                            void *arg);

#endif
