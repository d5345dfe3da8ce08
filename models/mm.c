/*
 * mm.c - building the simulated machine: the kernel's shared objects and
 * each process's address space. The mmap_sem writers and readers other than
 * faults are thread operations (thread.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/mm.h"

static const char *const mapping_kind_names[] = { "file", "anon", NULL };
static const char *const mapping_advice_names[] = { "normal", "random", "sequential", NULL };

/* clang-format off */
#define F(x) offsetof(struct machine_config, x)
const struct param machine_params[] = {
	{ "cpus",          PARAM_UINT, F(cpus),          0, 4096, "0",    "cores shared by all threads (CPU costs become SimGrid executions); 0: a core per thread, CPU costs are plain delays", NULL },
	{ "wakeup_us",     PARAM_DIST, F(wakeup_us),     0, 1e6,  "0",    "latency from a wake-up (lock hand-off, I/O completion) to the woken thread running", NULL },
	{ "page_cache_mb", PARAM_DOUBLE, F(page_cache_mb), 1, 1e7, "1024", "memory for file pages read during the run (LRU beyond it)", NULL },
	{ "read_ahead_kb", PARAM_UINT, F(read_ahead_kb), 4, 1024, "128",  "readahead window (read-around of random faults, sequential readahead)", NULL },
	{ .key = NULL },
};
#undef F

#define F(x) offsetof(struct mapping_config, x)
const struct param mapping_params[] = {
	{ "type",            PARAM_ENUM,   F(kind),            0, 0,   NULL,       "file (page cache, disk) or anon", mapping_kind_names },
	{ "size_mb",         PARAM_DOUBLE, F(size_mb),         0.004, 1e9, NULL,   "size of the mapping", NULL },
	{ "cached_fraction", PARAM_DOUBLE, F(cached_fraction), 0, 1,   "0",        "file: share of the file in the page cache at start", NULL },
	{ "advice",          PARAM_ENUM,   F(advice),          0, 0,   "\"normal\"", "file: madvise hint (random: no readahead)", mapping_advice_names },
	{ .key = NULL },
};
#undef F
/* clang-format on */

int kernel_init(struct kernel *k, const struct kernel_features *feat,
		const struct machine_config *machine, const struct disk_config *disk)
{
	uint64_t capacity = (uint64_t)(machine->page_cache_mb * (1 << 20) / PAGE_SIZE_BYTES);

	memset(k, 0, sizeof(*k));
	k->feat = *feat;
	k->machine = machine;
	k->ra_pages = machine->read_ahead_kb * 1024 / PAGE_SIZE_BYTES;
	if (k->ra_pages > DISK_MAX_PAGES)
		k->ra_pages = DISK_MAX_PAGES;
	if (pagecache_init(&k->pc, capacity ? capacity : 1, &machine->wakeup_us))
		return -1;
	disk_init(&k->disk, disk, &k->pc);
	return 0;
}

void kernel_release(struct kernel *k)
{
	disk_release(&k->disk);
	pagecache_release(&k->pc);
}

int mm_init(struct mm *mm, struct kernel *k, int id, const struct mapping_config *maps,
	    unsigned nr_maps)
{
	memset(mm, 0, sizeof(*mm));
	mm->id = id;
	rwsem_init(&mm->mmap_sem, rwsem_policies[k->feat.rwsem_policy], id,
		   &k->machine->wakeup_us);
	mm->vmas = calloc(nr_maps ? nr_maps : 1, sizeof(*mm->vmas));
	if (!mm->vmas)
		return -1;
	mm->nr_vmas = nr_maps;
	for (unsigned i = 0; i < nr_maps; i++) {
		struct vma *v = &mm->vmas[i];

		v->cfg = &maps[i];
		v->pages = (uint64_t)ceil(maps[i].size_mb * (1 << 20) / PAGE_SIZE_BYTES);
		v->inode.id = k->next_inode_id++;
		v->inode.pages = v->pages;
		v->inode.cached_pages = (uint64_t)floor(maps[i].cached_fraction * (double)v->pages);
	}
	return 0;
}

void mm_release(struct mm *mm)
{
	free(mm->vmas);
	mm->vmas = NULL;
}
