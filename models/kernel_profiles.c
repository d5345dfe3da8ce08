/*
 * kernel_profiles.c - one row per kernel version that changed something the
 * models can show. Sources: docs/kernel-model.md#profiles and the seeds.
 */
#include <stddef.h>
#include <string.h>

#include "models/kernel_profiles.h"
#include "models/rwsem.h"

static const char *const fault_retry_names[] = { "none", "once", NULL };
static const char *const per_vma_lock_names[] = { "off", "anon", "swap", "file", NULL };
static const char *const mlock_populate_names[] = { "write", "downgrade", "read_retry", "outside", NULL };

/* clang-format off */
#define RETRY  .fault_retry = FAULT_RETRY_ONCE, .swapin_retry = true
/* 3.9 on: what every later row keeps, with its rwsem policy */
#define SINCE_39(policy) .rwsem_policy = policy, RETRY, .mlock_populate = MLOCK_OUTSIDE, \
	.kvm_apf = true, .cow_prealloc = true, .fault_tried = true
const struct kernel_profile kernel_profiles[] = {
	{ "2.6.28", "seed 004: mlock downgrades mmap_sem to read while it populates, then re-takes it for write (-EAGAIN if the VMAs changed)",
	  { .rwsem_policy = RWSEM_POLICY_2636, .fault_retry = FAULT_RETRY_NONE, .mlock_populate = MLOCK_DOWNGRADE } },
	{ "2.6.36", "faults hold mmap_sem across the disk wait; mlock populates under the write lock",
	  { .rwsem_policy = RWSEM_POLICY_2636, .fault_retry = FAULT_RETRY_NONE } },
	{ "2.6.36-release", "seed 001 (RFC v2): filemap faults release mmap_sem and retry once; swap-in still waits holding it",
	  { .rwsem_policy = RWSEM_POLICY_2636, .fault_retry = FAULT_RETRY_ONCE } },
	{ "2.6.37", "seed 000: lock_page_or_retry in filemap and swap-in faults, retry once",
	  { .rwsem_policy = RWSEM_POLICY_2636, RETRY } },
	{ "2.6.38", "2.6.37 plus mlock populating under mmap_sem read, dropped at a page-lock wait (do_mlock_pages); seed 002: FOLL_NOWAIT and KVM async page faults",
	  { .rwsem_policy = RWSEM_POLICY_2636, RETRY, .mlock_populate = MLOCK_READ_RETRY, .kvm_apf = true } },
	{ "2.6.39", "as 2.6.38; a private write fault still allocates and charges its copy under the page lock",
	  { .rwsem_policy = RWSEM_POLICY_2636, RETRY, .mlock_populate = MLOCK_READ_RETRY, .kvm_apf = true } },
	{ "3.0", "seed 003: the COW page is allocated and memcg-charged before the fault takes the page lock",
	  { .rwsem_policy = RWSEM_POLICY_2636, RETRY, .mlock_populate = MLOCK_READ_RETRY, .kvm_apf = true, .cow_prealloc = true } },
	{ "3.9", "3.0 plus 3.7's FAULT_FLAG_TRIED; mlock populates outside the write lock with short read holds (__mm_populate)",
	  { SINCE_39(RWSEM_POLICY_2636) } },
	{ "3.10", "rwsem writer lock stealing: a woken writer is not granted the lock, a running writer takes a free one",
	  { SINCE_39(RWSEM_POLICY_310) } },
	{ "3.16", "rwsem optimistic spinning of writers on a running owner",
	  { SINCE_39(RWSEM_POLICY_316) } },
	{ "4.20", "munmap detaches the VMAs under the write lock, then zaps the pages under the downgraded read lock",
	  { SINCE_39(RWSEM_POLICY_316), .munmap_downgrade = true } },
	{ "5.1", "filemap_fault drops mmap_sem before submitting readahead I/O and retries (FILEMAP_DROP_FOR_IO)",
	  { SINCE_39(RWSEM_POLICY_316), .munmap_downgrade = true, .filemap_drop_for_io = true } },
	{ "5.3", "rwsem rework: handoff after 4 ms, up to 256 readers woken from anywhere, reader spinning",
	  { SINCE_39(RWSEM_POLICY_53), .munmap_downgrade = true, .filemap_drop_for_io = true } },
	{ "5.7", "a fault may return VM_FAULT_RETRY more than once (accounted once, major if retried)",
	  { SINCE_39(RWSEM_POLICY_53), .munmap_downgrade = true, .filemap_drop_for_io = true, .retry_multi = true } },
	{ "5.11", "rwsem without reader spinning; a reader steals only a free lock",
	  { SINCE_39(RWSEM_POLICY_511), .munmap_downgrade = true, .filemap_drop_for_io = true, .retry_multi = true } },
	{ "6.4", "per-VMA locks: anonymous faults take the VMA's lock, not mmap_lock; a writer changing another VMA does not block them",
	  { SINCE_39(RWSEM_POLICY_511), .munmap_downgrade = true, .filemap_drop_for_io = true, .retry_multi = true, .per_vma_lock = PER_VMA_LOCK_ANON } },
	{ "6.6", "swap-in faults under the VMA lock too",
	  { SINCE_39(RWSEM_POLICY_511), .munmap_downgrade = true, .filemap_drop_for_io = true, .retry_multi = true, .per_vma_lock = PER_VMA_LOCK_SWAP } },
	{ "6.8", "file faults under the VMA lock too (6.7-6.8)",
	  { SINCE_39(RWSEM_POLICY_511), .munmap_downgrade = true, .filemap_drop_for_io = true, .retry_multi = true, .per_vma_lock = PER_VMA_LOCK_FILE } },
	{ NULL, NULL, { 0 } },
};
#undef SINCE_39
#undef RETRY

#define F(x) offsetof(struct kernel_features, x)
const struct param kernel_feature_params[] = {
	{ "rwsem_policy", PARAM_ENUM, F(rwsem_policy), 0, 0, NULL, "mmap_sem policy (see the policies table)", rwsem_policy_names },
	{ "fault_retry",  PARAM_ENUM, F(fault_retry),  0, 0, NULL, "none: hold mmap_sem across page-lock waits; once: drop it, wait, retry once (VM_FAULT_RETRY)", fault_retry_names },
	{ "swapin_retry", PARAM_BOOL, F(swapin_retry), 0, 1, NULL, "do_swap_page drops mmap_sem too (seed 000 yes, seed 001 no); used by swap-in faults", NULL },
	{ "fault_tried",  PARAM_BOOL, F(fault_tried),  0, 1, NULL, "3.7 FAULT_FLAG_TRIED: the retry pass does not undo the readahead miss count (docs/kernel-model.md#mmap-miss)", NULL },
	{ "cow_prealloc", PARAM_BOOL, F(cow_prealloc), 0, 1, NULL, "3.0 (seed 003): a private write fault allocates and charges its COW page before taking the page lock (docs/kernel-model.md#anon-cow)", NULL },
	{ "mlock_populate", PARAM_ENUM, F(mlock_populate), 0, 0, NULL, "mlock populate (docs/kernel-model.md#mlock): write (2.6.29-2.6.37), downgrade (2.6.28, seed 004), read_retry (2.6.38-3.8), outside (3.9+)", mlock_populate_names },
	{ "kvm_apf",      PARAM_BOOL, F(kvm_apf),      0, 1, NULL, "2.6.38 (seed 002): KVM asynchronous page faults, FOLL_NOWAIT get_user_pages and async PF workers (docs/kernel-model.md#gup-kvm); used by guest ops", NULL },
	{ "munmap_downgrade",    PARAM_BOOL, F(munmap_downgrade),    0, 1, NULL, "4.20: munmap zaps the pages (zap_us) under the downgraded read lock, not the write lock", NULL },
	{ "filemap_drop_for_io", PARAM_BOOL, F(filemap_drop_for_io), 0, 1, NULL, "5.1: on a miss with readahead, filemap_fault drops mmap_sem before submitting the I/O (cpu_miss_us outside the lock) and retries (docs/kernel-model.md#filemap-drop-for-io)", NULL },
	{ "retry_multi",         PARAM_BOOL, F(retry_multi),         0, 1, NULL, "5.7: VM_FAULT_RETRY keeps FAULT_FLAG_ALLOW_RETRY (only the first pass drops the lock to wait); one count per fault, major if retried (docs/kernel-model.md#fault-retry)", NULL },
	{ "per_vma_lock",        PARAM_ENUM, F(per_vma_lock),        0, 0, NULL, "6.4+: faults first try the VMA's own lock (off; anon: anonymous memory, 6.4; swap: also swap-ins, 6.6; file: also file pages, 6.8), else mmap_sem (docs/kernel-model.md#per-vma-locks)", per_vma_lock_names },
	{ .key = NULL },
};
#undef F
/* clang-format on */

const struct kernel_profile *kernel_profile_find(const char *name)
{
	for (int i = 0; kernel_profiles[i].name; i++)
		if (strcmp(kernel_profiles[i].name, name) == 0)
			return &kernel_profiles[i];
	return NULL;
}
