/*
 * kernel_profiles.c - one row per kernel version that changed something the
 * models can show. Sources: spec 0.1, 1.2, 3.5 and the seeds.
 */
#include <stddef.h>
#include <string.h>

#include "models/kernel_profiles.h"
#include "models/rwsem.h"

static const char *const fault_retry_names[] = { "none", "once", NULL };
static const char *const mlock_populate_names[] = { "write", "downgrade", "read_retry", "outside", NULL };

/* clang-format off */
const struct kernel_profile kernel_profiles[] = {
	{ "2.6.36", "faults hold mmap_sem across the disk wait",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_NONE } },
	{ "2.6.36-release", "seed 001 (RFC v2): filemap faults release mmap_sem and retry once; swap-in still waits holding it",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_ONCE } },
	{ "2.6.37", "seed 000: lock_page_or_retry in filemap and swap-in faults, retry once",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_ONCE, .swapin_retry = true } },
	{ "2.6.39", "2.6.37 plus 2.6.38's FOLL_NOWAIT for get_user_pages; the COW page is still allocated and charged under the page lock",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_ONCE, .swapin_retry = true, .mlock_populate = MLOCK_READ_RETRY , .kvm_apf = true } },
	{ "3.0", "seed 003: the COW page is allocated and memcg-charged before the fault takes the page lock",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_ONCE, .swapin_retry = true, .cow_prealloc = true, .mlock_populate = MLOCK_READ_RETRY , .kvm_apf = true } },
	/* appended: the rows above keep their indexes */
	{ "2.6.28", "seed 004: mlock downgrades mmap_sem to read while it populates, then re-takes it for write (-EAGAIN if the VMAs changed)",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_NONE, .mlock_populate = MLOCK_DOWNGRADE } },
	{ "2.6.38", "2.6.37 plus mlock populating under mmap_sem read, dropped at a page-lock wait (do_mlock_pages)",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_ONCE, .swapin_retry = true, .mlock_populate = MLOCK_READ_RETRY , .kvm_apf = true } },
	{ "3.9", "3.0 plus 3.7's FAULT_FLAG_TRIED; mlock populates outside the write lock with short read holds (__mm_populate)",
	  { .rwsem_policy = 0, .fault_retry = FAULT_RETRY_ONCE, .swapin_retry = true, .fault_tried = true, .cow_prealloc = true, .mlock_populate = MLOCK_OUTSIDE , .kvm_apf = true } },
	{ NULL, NULL, { 0 } },
};

#define F(x) offsetof(struct kernel_features, x)
const struct param kernel_feature_params[] = {
	{ "rwsem_policy", PARAM_ENUM, F(rwsem_policy), 0, 0, NULL, "mmap_sem policy (see the policies table)", rwsem_policy_names },
	{ "fault_retry",  PARAM_ENUM, F(fault_retry),  0, 0, NULL, "none: hold mmap_sem across page-lock waits; once: drop it, wait, retry once (VM_FAULT_RETRY)", fault_retry_names },
	{ "swapin_retry", PARAM_BOOL, F(swapin_retry), 0, 1, NULL, "do_swap_page drops mmap_sem too (seed 000 yes, seed 001 no); used by swap-in faults", NULL },
	{ "fault_tried",  PARAM_BOOL, F(fault_tried),  0, 1, NULL, "3.7 FAULT_FLAG_TRIED: the retry pass does not undo the readahead miss count (spec 3.5)", NULL },
	{ "cow_prealloc", PARAM_BOOL, F(cow_prealloc), 0, 1, NULL, "3.0 (seed 003): a private write fault allocates and charges its COW page before taking the page lock (spec 5.2)", NULL },
	{ "mlock_populate", PARAM_ENUM, F(mlock_populate), 0, 0, NULL, "mlock populate (spec 6.3): write (2.6.29-2.6.37), downgrade (2.6.28, seed 004), read_retry (2.6.38-3.8), outside (3.9+)", mlock_populate_names },
	{ "kvm_apf",      PARAM_BOOL, F(kvm_apf),      0, 1, NULL, "2.6.38 (seed 002): KVM asynchronous page faults, FOLL_NOWAIT get_user_pages and async PF workers (spec 7.2); used by guest ops", NULL },
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
