/*
 * kernel_profiles.c - one row per kernel version that changed something the
 * models can show. Sources: docs/kernel-model.md#profiles and the seeds.
 *
 * Each row names the profile it starts from and sets only what changes; the
 * full feature sets are resolved once, on the first use of the table.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernel_profiles.h"
#include "models/rwsem.h"

static const char *const fault_retry_names[] = { "none", "once", NULL };
static const char *const per_vma_lock_names[] = { "off", "anon", "swap", "file", NULL };
static const char *const memcg_oom_names[] = { "in_charge", "unwind", "kill_in_charge", NULL };
static const char *const block_plug_names[] = { "per_queue", "on_stack", "on_stack_swap", NULL };
static const char *const mlock_populate_names[] = { "write", "downgrade", "read_retry", "outside",
	                                            NULL };

/* One feature a profile row sets: SET(field, value, source). */
struct feature_change {
	size_t offset; /* into struct kernel_features */
	size_t size;   /* of the field: a bool or an int; 0 ends the row's changes */
	int value;
	const char *source; /* the release and commit title that made the change */
};

/* braced initializers in macros, kept on one line */
/* clang-format off */
#define SET(field, v, src) \
	{ offsetof(struct kernel_features, field), sizeof(((struct kernel_features *)NULL)->field), (v), (src) }
#define NO_CHANGE { { 0, 0, 0, NULL } }
/* clang-format on */

/*
 * A profile as written: the profile it starts from (its parent) and the
 * features that change there, so that each fact is written once.
 */
struct profile_row {
	const char *name;
	const char *parent; /* NULL: a base, every feature 0 (off, false) but what it sets */
	const char *doc;
	struct feature_change changes[5]; /* more: make room */
};

#define NR_CHANGES (sizeof(((struct profile_row *)NULL)->changes) / sizeof(struct feature_change))

/* clang-format off */
static const struct profile_row profile_rows[] = {
	{ "2.6.28", "2.6.36", "seed 004: mlock downgrades mmap_sem to read while it populates, then re-takes it for write (-ENOMEM if the VMA at start no longer covers the range)",
	  { SET(mlock_populate, MLOCK_DOWNGRADE, "2.6.28 \"mlock: downgrade mmap sem while populating mlocked regions\" (seed 004)") } },
	{ "2.6.36", NULL, "faults hold mmap_sem across the disk wait; mlock populates under the write lock",
	  { SET(rwsem_policy, RWSEM_POLICY_2636, "the x86 xadd rwsem of 2.6.36 (lib/rwsem.c, arch/x86/include/asm/rwsem.h)"), SET(fault_retry, FAULT_RETRY_NONE, "2.6.36 and before: the whole fault under mmap_sem (do_page_fault, arch/x86/mm/fault.c)"), SET(memcg_oom, MEMCG_OOM_IN_CHARGE, "2.6.36 and before: the charge reclaims, kills or waits inside the fault (mem_cgroup_charge_common, mm/memcontrol.c)"), SET(mlock_populate, MLOCK_WRITE, "2.6.29 Manually revert \"mlock: downgrade mmap sem while populating mlocked regions\""), SET(block_plug, 0, "2.6.36 and before: per-queue plugging, unplugged at 4 requests, after 3 ms or by a task waiting on a page (blk_plug_device, block/blk-core.c)") } },
	{ "2.6.36-release", "2.6.36", "seed 001 (RFC v2): filemap faults release mmap_sem and retry once; swap-in still waits holding it",
	  { SET(fault_retry, FAULT_RETRY_ONCE, "2.6.37 \"mm: retry page fault when blocking on disk transfer\" (seed 000; its RFC v2 is seed 001)") } },
	{ "2.6.37", "2.6.36-release", "seed 000: lock_page_or_retry in filemap and swap-in faults, retry once",
	  { SET(swapin_retry, true, "2.6.37 \"mm: retry page fault when blocking on disk transfer\" (seed 000)") } },
	{ "2.6.38", "2.6.37", "2.6.37 plus mlock populating under mmap_sem read, dropped at a page-lock wait (do_mlock_pages); KVM async page faults exist, but without FOLL_NOWAIT the vCPU still waits for the swap-in",
	  { SET(mlock_populate, MLOCK_READ_RETRY, "2.6.38 \"mlock: do not hold mmap_sem for extended periods of time\"") } },
	{ "2.6.39", "2.6.38", "seed 002: FOLL_NOWAIT, so KVM async page faults no longer wait for the swap-in; a private write fault still allocates and charges its copy under the page lock",
	  { SET(kvm_apf, true, "2.6.39 \"mm: allow GUP to fail instead of waiting on a page\" (seed 002), for 2.6.38's \"KVM: Halt vcpu if page it tries to access is swapped out\""), SET(block_plug, 1, "2.6.39 \"block: initial patch for on-stack per-task plugging\" and \"block: remove per-queue plugging\" (blk_start_plug in read_pages, mm/readahead.c)") } },
	{ "3.0", "2.6.39", "as 2.6.39 (the COW page is still allocated and charged under the page lock in 3.0.1)",
	  NO_CHANGE },
	{ "3.1", "3.0", "seed 003: the COW page is allocated and memcg-charged before the fault takes the page lock",
	  { SET(cow_prealloc, true, "3.1 \"mm: preallocate page before lock_page() at filemap COW\" (seed 003)") } },
	{ "3.9", "3.1", "3.1 plus 3.7's FAULT_FLAG_TRIED; mlock and MAP_POPULATE/MAP_LOCKED populate after the write lock, under a read hold dropped only at a page-lock wait (__mm_populate)",
	  { SET(fault_tried, true, "3.7 \"readahead: fault retry breaks mmap file read random detection\""), SET(mlock_populate, MLOCK_OUTSIDE, "3.9 \"mm: introduce mm_populate() for populating new vmas\""), SET(block_plug, 2, "3.5 \"swap: allow swap readahead to be merged\" (blk_start_plug in swapin_readahead; absent in 3.1.3, present in 3.6.0)") } },
	{ "3.10", "3.9", "rwsem writer lock stealing: a woken writer is not granted the lock, a running writer takes a free one",
	  { SET(rwsem_policy, RWSEM_POLICY_310, "3.10 \"rwsem: implement support for write lock stealing on the fastpath\"") } },
	{ "3.12", "3.10", "memcg OOM: a charge that fails unwinds the fault, which waits for the OOM outside mmap_sem and the page lock",
	  { SET(memcg_oom, MEMCG_OOM_UNWIND, "3.12 \"mm: memcg: do not trap chargers with full callstack on OOM\"") } },
	{ "3.16", "3.12", "rwsem optimistic spinning of writers on a running owner; 3.15's fault-around of read faults",
	  { SET(fault_around, true, "3.15 \"mm: introduce vm_ops->map_pages()\" (do_fault_around, filemap_map_pages; absent in 3.14, present in 3.15)"), SET(rwsem_policy, RWSEM_POLICY_316, "3.16 \"locking/rwsem: Support optimistic spinning\"") } },
	{ "3.18", "3.16", "KVM: the async PF worker and the synchronous fault drop mmap_sem across the swap-in (get_user_pages with &locked)",
	  { SET(kvm_gup_retry, true, "3.18 \"kvm: Faults which trigger IO release the mmap_sem\"") } },
	{ "4.19", "3.18", "memcg OOM: the charge calls the OOM killer again; only an oom_kill_disable cgroup's fault unwinds and waits at its end",
	  { SET(memcg_oom, MEMCG_OOM_KILL_IN_CHARGE, "4.19 \"memcg, oom: move out_of_memory back to the charge path\"") } },
	{ "4.20", "4.19", "munmap detaches the VMAs under the write lock, then zaps the pages under the downgraded read lock",
	  { SET(munmap_downgrade, true, "4.20 \"mm: mmap: zap pages with read mmap_sem in munmap\"") } },
	{ "5.1", "4.20", "filemap_fault drops mmap_sem before submitting readahead I/O and retries (FILEMAP_DROP_FOR_IO)",
	  { SET(filemap_drop_for_io, true, "5.1 \"filemap: drop the mmap_sem for all blocking operations\"") } },
	{ "5.3", "5.1", "rwsem rework: handoff after 4 ms, up to 256 readers woken from anywhere, reader spinning",
	  { SET(rwsem_policy, RWSEM_POLICY_53, "5.3 \"locking/rwsem: Implement lock handoff to prevent lock starvation\", \"locking/rwsem: Enable readers spinning on writer\"") } },
	{ "5.7", "5.3", "a fault may return VM_FAULT_RETRY more than once (accounted once, major if retried)",
	  { SET(retry_multi, true, "5.7 \"mm: allow VM_FAULT_RETRY for multiple times\"") } },
	{ "5.11", "5.7", "rwsem without reader spinning; a reader steals only a free lock",
	  { SET(rwsem_policy, RWSEM_POLICY_511, "5.11 \"locking/rwsem: Remove reader optimistic spinning\", \"locking/rwsem: Enable reader optimistic lock stealing\"") } },
	{ "6.4", "5.11", "per-VMA locks: anonymous faults take the VMA's lock, not mmap_lock; a writer changing another VMA does not block them",
	  { SET(per_vma_lock, PER_VMA_LOCK_ANON, "6.4 \"mm: add per-VMA lock and helper functions to control it\", \"x86/mm: try VMA lock-based page fault handling first\"") } },
	{ "6.6", "6.4", "swap-in faults under the VMA lock too",
	  { SET(per_vma_lock, PER_VMA_LOCK_SWAP, "6.6 \"mm: handle swap page faults under per-VMA lock\"") } },
	{ "6.8", "6.6", "file faults under the VMA lock too (6.7-6.8)",
	  { SET(per_vma_lock, PER_VMA_LOCK_FILE, "6.7 \"mm: handle read faults under the VMA lock\" and its series; 6.8 \"arch/mm/fault: fix major fault accounting when retrying under per-VMA lock\"") } },
	{ "6.18", "6.8", "the kernel of the machine mmsim is developed on (6.18.44): 6.8 plus /proc/PID/maps read under per-VMA locks, not mmap_sem (6.17); every other feature as 6.8, checked in 6.18.2",
	  { SET(proc_maps_vma_lock, true, "6.17 \"fs/proc/task_mmu: read proc/pid/maps under per-vma lock\"") } },
};
/* clang-format on */
#undef NO_CHANGE
#undef SET

#define NR_PROFILES (sizeof(profile_rows) / sizeof(*profile_rows))

/* The rows resolved, plus the NULL row that ends the table. */
static struct kernel_profile profiles[NR_PROFILES + 1];

static size_t profile_row_index(const char *name)
{
	for (size_t i = 0; i < NR_PROFILES; i++)
		if (strcmp(profile_rows[i].name, name) == 0)
			return i;
	abort(); /* a parent that is no row: tests/unit/test_profiles.c fails */
}

static void feature_set(struct kernel_features *f, const struct feature_change *c)
{
	char *field = (char *)f + c->offset;
	bool b = c->value != 0;

	if (c->size == sizeof(int))
		memcpy(field, &c->value, sizeof(int));
	else if (c->size == sizeof(bool))
		memcpy(field, &b, sizeof(bool));
	else
		abort(); /* a field neither int nor bool */
}

/* Resolves row @i after its parents; @depth bounds a parent cycle. */
static void profile_resolve(size_t i, size_t depth)
{
	const struct profile_row *r = &profile_rows[i];
	struct kernel_profile *p = &profiles[i];

	if (p->name)
		return;
	if (depth > NR_PROFILES)
		abort(); /* parents in a cycle */
	if (r->parent) {
		size_t parent = profile_row_index(r->parent);

		profile_resolve(parent, depth + 1);
		p->features = profiles[parent].features;
	}
	for (size_t c = 0; c < NR_CHANGES && r->changes[c].size; c++)
		feature_set(&p->features, &r->changes[c]);
	p->doc = r->doc;
	p->name = r->name;
}

const struct kernel_profile *kernel_profile_table(void)
{
	/* once: the program reads the profiles from one thread, before the simulation */
	if (!profiles[0].name)
		for (size_t i = 0; i < NR_PROFILES; i++)
			profile_resolve(i, 0);
	return profiles;
}

/* clang-format off */
#define F(x) offsetof(struct kernel_features, x)
static struct param feature_params[] = {
	/* first: its choices, rwsem_policy_names(), are set by kernel_feature_table() */
	{ "rwsem_policy", PARAM_ENUM, F(rwsem_policy), 0, 0, NULL, "mmap_sem policy (see the policies table)", NULL, false },
	{ "fault_retry",  PARAM_ENUM, F(fault_retry),  0, 0, NULL, "none: hold mmap_sem across page-lock waits; once: drop it, wait, retry once (VM_FAULT_RETRY)", fault_retry_names, false },
	{ "swapin_retry", PARAM_BOOL, F(swapin_retry), 0, 1, NULL, "do_swap_page drops mmap_sem too (seed 000 yes, seed 001 no); used by swap-in faults", NULL, false },
	{ "fault_tried",  PARAM_BOOL, F(fault_tried),  0, 1, NULL, "3.7 FAULT_FLAG_TRIED: the retry pass skips do_async_mmap_readahead (no mmap_miss decrement, no async readahead) (docs/kernel-model.md#mmap-miss)", NULL, false },
	{ "fault_around", PARAM_BOOL, F(fault_around), 0, 1, NULL, "3.15: a read fault first maps the cached, up-to-date pages of the 16-page block around it (do_fault_around, filemap_map_pages), each lowering mmap_miss, so random faults keep read-around on; left out of a point's parameters at its profile's value (docs/kernel-model.md#fault-around)", NULL, true },
	{ "cow_prealloc", PARAM_BOOL, F(cow_prealloc), 0, 1, NULL, "3.1 (seed 003): a private write fault allocates and charges its COW page before taking the page lock (docs/kernel-model.md#anon-cow)", NULL, false },
	{ "mlock_populate", PARAM_ENUM, F(mlock_populate), 0, 0, NULL, "mlock populate (docs/kernel-model.md#mlock): write (2.6.29-2.6.37), downgrade (2.6.28, seed 004), read_retry (2.6.38-3.8: mlock after the write lock, MAP_POPULATE/MAP_LOCKED under it), outside (3.9+: both after it)", mlock_populate_names, false },
	{ "kvm_apf",      PARAM_BOOL, F(kvm_apf),      0, 1, NULL, "2.6.39 (seed 002): KVM asynchronous page faults, FOLL_NOWAIT get_user_pages and async PF workers (docs/kernel-model.md#gup-kvm); used by guest ops", NULL, false },
	{ "kvm_gup_retry", PARAM_BOOL, F(kvm_gup_retry), 0, 1, NULL, "3.18: KVM's get_user_pages (async PF worker, synchronous fault) may drop mmap_sem across the swap-in and retry (docs/kernel-model.md#gup-kvm); used by guest ops", NULL, false },
	{ "memcg_oom",    PARAM_ENUM, F(memcg_oom),    0, 0, NULL, "a memcg charge at its limit with nothing to reclaim: in_charge (before 3.12) waits or kills inside the fault, holding its locks; unwind (3.12) fails the charge, the fault unwinds and kills or waits holding nothing; kill_in_charge (4.19) kills inside the charge, only the oom_kill_disable wait unwinds (docs/kernel-model.md#memcg)", memcg_oom_names, false },
	{ "munmap_downgrade",    PARAM_BOOL, F(munmap_downgrade),    0, 1, NULL, "4.20: munmap zaps the pages (zap_us) under the downgraded read lock, not the write lock", NULL, false },
	{ "filemap_drop_for_io", PARAM_BOOL, F(filemap_drop_for_io), 0, 1, NULL, "5.1: on a miss, filemap_fault drops mmap_sem before submitting the I/O (readahead, or the single page of page_not_uptodate; cpu_miss_us outside the lock) and retries (docs/kernel-model.md#filemap-drop-for-io)", NULL, false },
	{ "retry_multi",         PARAM_BOOL, F(retry_multi),         0, 1, NULL, "5.7: VM_FAULT_RETRY keeps FAULT_FLAG_ALLOW_RETRY (only the first pass drops the lock to wait); one count per fault, major if retried (docs/kernel-model.md#fault-retry)", NULL, false },
	{ "per_vma_lock",        PARAM_ENUM, F(per_vma_lock),        0, 0, NULL, "6.4+: faults first try the VMA's own lock (off; anon: anonymous memory, 6.4; swap: also swap-ins, 6.6; file: also file pages, 6.8), else mmap_sem (docs/kernel-model.md#per-vma-locks)", per_vma_lock_names, false },
	{ "proc_maps_vma_lock",  PARAM_BOOL, F(proc_maps_vma_lock),  0, 1, NULL, "6.17: a /proc/PID/maps reader (proc_read kind maps) takes each VMA's own read lock, not mmap_sem; only a VMA a writer has write-locked sends it to mmap_sem, behind that writer; needs per_vma_lock (docs/kernel-model.md#proc-readers)", NULL, false },
	{ "block_plug",          PARAM_ENUM, F(block_plug),          0, 0, NULL, "plugging (docs/kernel-model.md#block-plug): per_queue (2.6.36-2.6.38: an hdd's empty queue plugs until 4 requests, 3 ms or a task waiting on a page), on_stack (2.6.39: a readahead's requests are held until its submission ends; swap-in readahead unplugged), on_stack_swap (3.5: swap-in readahead too); left out of a point's parameters at its profile's value, so that the points published before it keep their ids", block_plug_names, true },
	{ .key = NULL },
};
#undef F
/* clang-format on */

const struct param *kernel_feature_table(void)
{
	if (!feature_params[0].choices) /* once, as kernel_profile_table() resolves its rows */
		feature_params[0].choices = rwsem_policy_names();
	return feature_params;
}

void kernel_feature_sources(size_t offset, void (*fn)(int value, const char *source, void *arg),
                            void *arg)
{
	for (size_t i = 0; i < NR_PROFILES; i++)
		for (size_t c = 0; c < NR_CHANGES && profile_rows[i].changes[c].size; c++)
			if (profile_rows[i].changes[c].offset == offset)
				fn(profile_rows[i].changes[c].value,
				   profile_rows[i].changes[c].source, arg);
}

const struct kernel_profile *kernel_profile_find(const char *name)
{
	const struct kernel_profile *table = kernel_profile_table();

	for (int i = 0; table[i].name; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}
