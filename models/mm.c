/*
 * mm.c - building the simulated machine: the kernel's shared objects and
 * each process's address space. The mmap_sem writers and readers other than
 * faults are thread operations (thread.c).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/mm.h"

static const char *const mapping_kind_names[] = { "file", "anon", NULL };
static const char *const mapping_advice_names[] = { "normal", "random", "sequential", NULL };

/* clang-format off */
#define F(x) offsetof(struct machine_config, x)
const struct param machine_params[] = {
	{ "cpus",          PARAM_UINT, F(cpus),          0, 4096, "0",    "cores shared by all threads (CPU costs become SimGrid executions); 0: a core per thread, CPU costs are plain delays", NULL, false },
	{ "wakeup_us",     PARAM_DIST, F(wakeup_us),     0, 1e6,  "0",    "latency from a wake-up (lock hand-off, I/O completion) to the woken thread running", NULL, false },
	{ "page_cache_mb", PARAM_DOUBLE, F(page_cache_mb), 1, 1e7, "1024", "memory for file pages read during the run (LRU beyond it)", NULL, false },
	{ "read_ahead_kb", PARAM_UINT, F(read_ahead_kb), 4, 65536, "128",  "readahead window (read-around of random faults, sequential readahead)", NULL, false },
	{ .key = NULL },
};
#undef F

#define F(x) offsetof(struct mapping_config, x)
const struct param mapping_params[] = {
	{ "type",            PARAM_ENUM,   F(kind),            0, 0,   NULL,       "file (page cache, disk) or anon", mapping_kind_names, false },
	{ "size_mb",         PARAM_DOUBLE, F(size_mb),         0.004, MAPPING_MAX_MB, NULL, "size of the mapping (page indexes are drawn in 32 bits: at most 2^32 - 1 pages)", NULL, false },
	{ "cached_fraction", PARAM_DOUBLE, F(cached_fraction), 0, 1,   "0",        "file: share of the file in the page cache at start", NULL, false },
	{ "advice",          PARAM_ENUM,   F(advice),          0, 0,   "\"normal\"", "file: madvise hint (random: no readahead)", mapping_advice_names, false },
	{ "private",         PARAM_BOOL,   F(private_map),     0, 1,   "false",    "file: MAP_PRIVATE (a write fault copies the page: COW); else MAP_SHARED", NULL, false },
	{ "swapped_fraction", PARAM_DOUBLE, F(swapped_fraction), 0, 1, "0",        "anon: share of the pages swapped out at start, the rest present; 0: all untouched (first touches allocate)", NULL, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */

uint64_t mapping_pages(const struct mapping_config *mc)
{
	return (uint64_t)ceil(mc->size_mb * (1 << 20) / PAGE_SIZE_BYTES);
}

/* The memcg OOM killer: the process of @cg with the most pages charged. */
static bool kernel_oom_kill(struct memcg *cg, struct task *killer, void *arg)
{
	struct kernel *k = arg;
	struct mm *victim = NULL;

	for (unsigned i = 0; i < k->nr_mms; i++)
		if (k->mms[i]->memcg == cg && k->mms[i]->charged &&
		    (!victim || k->mms[i]->charged > victim->charged))
			victim = k->mms[i];
	if (!victim)
		return false;
	mm_free_memory(victim, &k->swap, killer);
	return true;
}

/* memcg reclaim's anonymous part: swap out present pages of the cgroup's processes. */
static uint64_t kernel_swap_out(struct memcg *cg, struct task *t, uint64_t nr, void *arg)
{
	struct kernel *k = arg;
	uint64_t moved = 0;

	for (unsigned i = 0; i < k->nr_mms && moved < nr; i++) {
		struct mm *mm = k->mms[i];

		if (mm->memcg != cg)
			continue;
		for (unsigned v = 0; v < mm->nr_vmas && moved < nr; v++) {
			unsigned n;

			if (mm->vmas[v].cfg->kind != MAPPING_ANON)
				continue;
			n = swap_out(&k->swap, &mm->vmas[v].anon, (unsigned)(nr - moved),
			             task_rng(t));
			mm->charged -= n < mm->charged ? n : mm->charged;
			moved += n;
		}
	}
	return moved;
}

/* The device swap @swap reads from. */
static struct disk *kernel_swap_disk(struct kernel *k, const struct swap_config *swap)
{
	switch (swap->device) {
	case SWAP_OWN_DEVICE:
		return &k->swap_disk;
	case SWAP_NAMED_DEVICE:
		return &k->devices[swap->named];
	default:
		return &k->disk;
	}
}

int kernel_init(struct kernel *k, const struct kernel_features *feat,
                const struct machine_config *machine, const struct disk_config *disk,
                const struct swap_config *swap, const struct memcg_config *memcgs,
                unsigned nr_memcgs, const struct disk_config *devices, unsigned nr_devices)
{
	uint64_t capacity = (uint64_t)(machine->page_cache_mb * (1 << 20) / PAGE_SIZE_BYTES);

	memset(k, 0, sizeof(*k));
	k->feat = *feat;
	k->machine = machine;
	k->ra_pages = machine->read_ahead_kb * 1024 / PAGE_SIZE_BYTES;
	if (pagecache_init(&k->pc, capacity ? capacity : 1, &machine->wakeup_us))
		return -1;
	disk_init(&k->disk, disk, &k->pc, DISK_DEVICE_MAIN);
	if (swap->device == SWAP_OWN_DEVICE)
		disk_init(&k->swap_disk, &swap->own, &k->pc, DISK_DEVICE_SWAP);
	if (nr_devices > DISK_NAMED_MAX)
		return -1;
	k->devices = calloc(nr_devices ? nr_devices : 1, sizeof(*k->devices));
	k->device_sectors = calloc(nr_devices ? nr_devices : 1, sizeof(*k->device_sectors));
	if (!k->devices || !k->device_sectors)
		return -1;
	k->nr_devices = nr_devices;
	for (unsigned i = 0; i < nr_devices; i++)
		disk_init(&k->devices[i], &devices[i], &k->pc, DISK_DEVICE_NAMED + (int)i);
	if (swap->device == SWAP_NAMED_DEVICE && swap->named >= nr_devices)
		return -1;
	if (swap_init(&k->swap, swap, &k->pc, kernel_swap_disk(k, swap)))
		return -1;
	k->memcgs = calloc(nr_memcgs ? nr_memcgs : 1, sizeof(*k->memcgs));
	if (!k->memcgs)
		return -1;
	k->nr_memcgs = nr_memcgs;
	for (unsigned i = 0; i < nr_memcgs; i++) {
		memcg_init(&k->memcgs[i], &memcgs[i], (int)i, &machine->wakeup_us, kernel_oom_kill,
		           k);
		k->memcgs[i].swap_out = kernel_swap_out;
	}
	return 0;
}

uint64_t kernel_swap_sector(const struct kernel *k, uint64_t slot)
{
	if (kernel_swap_own_device(k))
		return slot;
	for (unsigned i = 0; i < k->nr_devices; i++)
		if (k->swap.dev == &k->devices[i]) /* after the device's files */
			return k->device_sectors[i] + slot;
	return k->file_sectors + slot;
}

bool kernel_swap_own_device(const struct kernel *k)
{
	return k->swap.dev == &k->swap_disk;
}

bool vma_file_pte(const struct vma *v, uint64_t pgoff)
{
	return v->file_ptes && (v->file_ptes[pgoff / 8] >> (pgoff % 8) & 1);
}

void vma_set_file_pte(struct vma *v, uint64_t pgoff)
{
	if (!v->file_ptes) /* on the first: most file mappings are never faulted */
		v->file_ptes = calloc((size_t)(v->pages + 7) / 8, 1);
	if (v->file_ptes) /* out of memory: not tracked, a later GUP faults it again */
		v->file_ptes[pgoff / 8] |= (uint8_t)(1u << (pgoff % 8));
}

void mm_free_memory(struct mm *mm, struct swap *swap, struct task *t)
{
	for (unsigned i = 0; i < mm->nr_vmas; i++) {
		struct anon_pages *a = &mm->vmas[i].anon;

		free(mm->vmas[i].file_ptes); /* exit_mmap unmaps the file pages too */
		mm->vmas[i].file_ptes = NULL;

		for (uint64_t p = 0; p < a->nr; p++) {
			if (a->state[p] == ANON_SWAPPED)
				anon_page_free(swap, a, p);
			a->state[p] = ANON_NONE;
		}
	}
	if (mm->memcg && mm->charged)
		memcg_uncharge(mm->memcg, t, (unsigned)mm->charged);
	mm->charged = 0;
}

const char *mapping_file_name(const struct mapping_config *mc)
{
	return mc->kind != MAPPING_FILE ? NULL : mc->file ? mc->file : mc->name;
}

int file_ids_get(struct file_ids *ids, const char *name)
{
	const char **names;

	for (unsigned i = 0; i < ids->nr; i++)
		if (strcmp(ids->names[i], name) == 0)
			return (int)i;
	names = realloc(ids->names, (ids->nr + 1) * sizeof(*names));
	if (!names)
		return -1;
	ids->names = names;
	ids->names[ids->nr] = name;
	return (int)ids->nr++;
}

int file_ids_add(struct file_ids *ids, const struct mapping_config *maps, unsigned nr_maps)
{
	for (unsigned i = 0; i < nr_maps; i++)
		if (mapping_file_name(&maps[i]) &&
		    file_ids_get(ids, mapping_file_name(&maps[i])) < 0)
			return -1;
	return 0;
}

void file_ids_release(struct file_ids *ids)
{
	free(ids->names);
	ids->names = NULL;
	ids->nr = 0;
}

struct file *kernel_file(struct kernel *k, const char *name, uint64_t pages, uint64_t cached_pages,
                         unsigned device)
{
	int id = file_ids_get(&k->file_ids, name);
	struct file **files, *f;

	if (id < 0)
		return NULL;
	if ((unsigned)id < k->nr_files)
		return k->files[id];
	/* new: the next id (file_ids numbers the kernel's files only) */
	files = realloc(k->files, (k->nr_files + 1) * sizeof(*files));
	if (!files)
		return NULL;
	k->files = files;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->name = name;
	f->inode.id = id;
	f->inode.pages = pages;
	f->inode.cached_pages = cached_pages;
	if (device > k->nr_devices)
		device = 0; /* not a device: the scenario checks it */
	if (device) {       /* laid out after the earlier files of its device */
		f->dev = &k->devices[device - 1];
		f->first_sector = k->device_sectors[device - 1];
		k->device_sectors[device - 1] += pages;
	} else {
		f->dev = &k->disk;
		f->first_sector = k->file_sectors;
		k->file_sectors += pages;
	}
	k->files[k->nr_files++] = f;
	return f;
}

void kernel_release(struct kernel *k)
{
	free(k->memcgs);
	swap_release(&k->swap);
	if (k->swap_disk.pc)
		disk_release(&k->swap_disk);
	for (unsigned i = 0; i < k->nr_devices; i++)
		disk_release(&k->devices[i]);
	free(k->devices);
	free(k->device_sectors);
	for (unsigned i = 0; i < k->nr_files; i++)
		free(k->files[i]);
	free(k->files);
	file_ids_release(&k->file_ids);
	disk_release(&k->disk);
	pagecache_release(&k->pc);
}

int mm_init(struct mm *mm, struct kernel *k, int id, const struct mapping_config *maps,
            unsigned nr_maps, gsl_rng *rng)
{
	memset(mm, 0, sizeof(*mm));
	mm->id = id;
	mm->vma_locks = k->feat.per_vma_lock != PER_VMA_LOCK_OFF;
	rwsem_init(&mm->mmap_sem, rwsem_policies[k->feat.rwsem_policy], id, &k->machine->wakeup_us);
	mm->vmas = calloc(nr_maps ? nr_maps : 1, sizeof(*mm->vmas));
	if (!mm->vmas)
		return -1;
	mm->nr_vmas = nr_maps;
	for (unsigned i = 0; i < nr_maps; i++) {
		struct vma *v = &mm->vmas[i];

		v->cfg = &maps[i];
		v->pages = mapping_pages(&maps[i]);
		if (mapping_file_name(&maps[i])) {
			struct file *f = kernel_file(
			        k, mapping_file_name(&maps[i]), v->pages,
			        (uint64_t)floor(maps[i].cached_fraction * (double)v->pages),
			        maps[i].device);

			if (!f)
				return -1;
			v->inode = &f->inode;
		}
		/* anon memory, and the private copies of a MAP_PRIVATE file */
		if ((maps[i].kind == MAPPING_ANON || maps[i].private_map) &&
		    anon_pages_init(&v->anon, &k->swap, v->pages,
		                    maps[i].kind == MAPPING_ANON ? maps[i].swapped_fraction : 0,
		                    rng))
			return -1;
	}
	return 0;
}

void mm_release(struct mm *mm)
{
	for (unsigned i = 0; i < mm->nr_vmas; i++) {
		anon_pages_release(&mm->vmas[i].anon);
		free(mm->vmas[i].file_ptes);
	}
	free(mm->vmas);
	mm->vmas = NULL;
	free(mm->kvm); /* holds no pointer it owns */
	mm->kvm = NULL;
}

/* ---- mmap_lock and the per-VMA locks (docs/kernel-model.md#per-vma-locks) ---- */

void mmap_write_lock(struct mm *mm, struct task *t, int site, struct rwsem_hold *h)
{
	down_write(&mm->mmap_sem, t, site, h);
}

/* vma_end_write_all: mm_lock_seq++ ends every VMA write lock at once. */
static void vma_end_write_all(struct mm *mm)
{
	for (unsigned i = 0; mm->vmas_write_locked && i < mm->nr_vmas; i++) {
		if (mm->vmas[i].lock.write_locked) {
			mm->vmas[i].lock.write_locked = false;
			mm->vmas_write_locked--;
		}
	}
}

void mmap_write_unlock(struct mm *mm, struct task *t, struct rwsem_hold *h)
{
	vma_end_write_all(mm);
	up_write(&mm->mmap_sem, t, h);
}

void mmap_write_downgrade(struct mm *mm, struct task *t, struct rwsem_hold *h)
{
	vma_end_write_all(mm);
	downgrade_write(&mm->mmap_sem, t, h);
}

void vma_start_write(struct mm *mm, struct vma *v, struct task *t)
{
	if (!mm->vma_locks || v->lock.write_locked)
		return;
	while (v->lock.readers) { /* down_write of the VMA's lock: the faults under it drain */
		v->lock.writer = t;
		task_block(t);
	}
	v->lock.writer = NULL;
	v->lock.write_locked = true;
	mm->vmas_write_locked++;
}

bool vma_start_read(struct vma *v)
{
	if (v->lock.write_locked || v->lock.writer)
		return false;
	v->lock.readers++;
	return true;
}

void vma_start_read_locked(struct vma *v)
{
	/* a VMA writer holds mmap_sem for write: none while it is held for read */
	assert(!v->lock.write_locked && !v->lock.writer);
	v->lock.readers++;
}

void vma_end_read(struct mm *mm, struct vma *v, struct task *t)
{
	struct task *w = v->lock.writer;

	if (--v->lock.readers || !w)
		return;
	/*
	 * The writer stays in v->lock.writer until it has the lock: a reader's
	 * trylock fails while a writer waits (down_read_trylock with waiters
	 * queued, 6.4-6.14; VMA_LOCK_OFFSET in vm_refcnt from 6.15), so no
	 * new reader gets in during its wake-up; it is woken once, here.
	 */
	task_wake(t, w, mm->mmap_sem.wakeup ? dist_sample_ns(mm->mmap_sem.wakeup, task_rng(w)) : 0);
}
