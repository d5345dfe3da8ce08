/*
 * swap.c - swap slots and the page tables of anonymous memory
 * (docs/kernel-model.md#swap-in): slot allocation (mm/swapfile.c,
 * scan_swap_map), swap_free, the initially swapped pages of a mapping, and
 * reclaim moving present pages out. The swap-in path is do_swap_page in
 * swap_fault.c.
 *
 * Slots are handed out as scan_swap_map does it for one swap area: from a
 * cursor moving upwards and wrapping, so pages swapped out together get
 * consecutive slots and swap-in readahead of neighbouring slots brings back
 * neighbouring pages. Omitted: swap clusters and their discard, several swap
 * areas and priorities, the swap-out write I/O (reclaim is not modelled, its
 * pages are clean by the time it frees them), swap accounting (memsw), and
 * vm_swap_full() freeing swap-cache copies early (the kernel drops the swap
 * cache copy of a swapped-in page only when swap is over half full; here it
 * stays until the page cache evicts it).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/mm.h"
#include "models/swap.h"

#define PAGES_PER_MB 256.0 /* of 4 KiB */

static const char *const swap_device_names[] = { "disk", "own", NULL };

/* clang-format off */
#define F(x) offsetof(struct swap_config, x)
#define OWN(x) offsetof(struct swap_config, own.x) /* device own: the disk's keys */
const struct param swap_params[] = {
	{ "device",           PARAM_ENUM,   F(device),               0, 0,     "\"disk\"", "disk: swap on the machine's disk (swap-ins queue with file reads); own: a device of its own (the disk's keys: type, service_ms, channels, ...); or the name of one of \"devices\"", swap_device_names, false },
	DISK_PARAM_ROWS(OWN, true),
	{ "page_cluster",     PARAM_UINT,   F(page_cluster),         0, 8,     "3",        "vm.page-cluster: a swap-in reads the aligned block of 2^n slots around the page (its in-use run)", NULL, false },
	{ "size_mb",          PARAM_DOUBLE, F(size_mb),              0, 1e6,   "4096",     "swap space, usable (the header page comes on top)", NULL, false },
	{ .key = NULL },
};
#undef OWN
#undef F
/* clang-format on */

uint64_t swap_usable_slots(const struct swap_config *cfg)
{
	return (uint64_t)floor(cfg->size_mb * PAGES_PER_MB);
}

/* The pages of @nr that start swapped out with @swapped_fraction: each takes a slot. */
static uint64_t anon_swapped_pages(uint64_t nr, double swapped_fraction)
{
	return (uint64_t)llround(swapped_fraction * (double)nr);
}

uint64_t mapping_swap_slots(const struct mapping_config *mc)
{
	return mc->kind == MAPPING_ANON
	               ? anon_swapped_pages(mapping_pages(mc), mc->swapped_fraction)
	               : 0;
}

int swap_init(struct swap *s, const struct swap_config *cfg, struct pagecache *pc, struct disk *dev)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->pc = pc;
	s->dev = dev;
	s->nr_slots = swap_usable_slots(cfg) + 1; /* + the header */
	if (s->nr_slots > UINT32_MAX)
		return -1; /* anon_pages keeps 32-bit slots */
	s->inode.id = SWAP_FILE_ID;
	s->inode.pages = s->nr_slots;
	s->slot_used = calloc(s->nr_slots, 1);
	if (!s->slot_used)
		return -1;
	s->next_slot = 1;
	return 0;
}

void swap_release(struct swap *s)
{
	free(s->slot_used);
	s->slot_used = NULL;
}

bool swap_slot_busy(struct swap *s, uint64_t slot)
{
	return s->slot_used[slot] || page_cached(s->pc, &s->inode, slot);
}

/* The next free slot from the cursor on, wrapping; 0 (the header) if none. */
static uint32_t swap_alloc_slot(struct swap *s)
{
	if (s->nr_used + 1 >= s->nr_slots)
		return 0;
	for (uint64_t n = 1; n < s->nr_slots; n++) {
		uint64_t i = s->next_slot;

		s->next_slot = i + 1 < s->nr_slots ? i + 1 : 1;
		if (!swap_slot_busy(s, i)) {
			s->slot_used[i] = 1;
			s->nr_used++;
			return (uint32_t)i;
		}
	}
	return 0; /* the free slots all hold stale swap-cache pages */
}

void swap_free(struct swap *s, uint64_t slot)
{
	assert(slot > 0 && slot < s->nr_slots && s->slot_used[slot]);
	s->slot_used[slot] = 0;
	s->nr_used--;
}

void anon_pages_release(struct anon_pages *a)
{
	free(a->state);
	free(a->slot);
	memset(a, 0, sizeof(*a));
}

int anon_pages_init(struct anon_pages *a, struct swap *s, uint64_t nr, double swapped_fraction,
                    gsl_rng *rng)
{
	uint64_t want = anon_swapped_pages(nr, swapped_fraction);

	memset(a, 0, sizeof(*a));
	a->nr = nr;
	a->state = calloc(nr ? nr : 1, sizeof(*a->state));
	a->slot = calloc(nr ? nr : 1, sizeof(*a->slot));
	if (!a->state || !a->slot || want > s->nr_slots - 1 - s->nr_used)
		goto fail;
	if (swapped_fraction <= 0)
		return 0; /* untouched: ANON_NONE everywhere */
	/* selection sampling (Knuth's algorithm S): exactly @want pages, in page order */
	for (uint64_t i = 0; i < nr; i++) {
		bool pick = want && (want == nr - i ||
		                     gsl_rng_uniform(rng) * (double)(nr - i) < (double)want);

		if (!pick) {
			a->state[i] = ANON_PRESENT;
			continue;
		}
		a->slot[i] = swap_alloc_slot(s);
		if (!a->slot[i])
			goto fail;
		a->state[i] = ANON_SWAPPED;
		want--;
	}
	return 0;
fail:
	for (uint64_t i = 0; a->state && i < nr; i++)
		if (a->state[i] == ANON_SWAPPED)
			swap_free(s, a->slot[i]);
	anon_pages_release(a);
	return -1;
}

unsigned swap_out(struct swap *s, struct anon_pages *a, unsigned nr, gsl_rng *rng)
{
	uint64_t start = rng && a->nr ? gsl_rng_uniform_int(rng, a->nr) : 0;
	unsigned moved = 0;

	for (uint64_t n = 0; n < a->nr && moved < nr; n++) {
		uint64_t i = (start + n) % a->nr;
		uint32_t slot;

		if (a->state[i] != ANON_PRESENT)
			continue;
		slot = swap_alloc_slot(s);
		if (!slot)
			break; /* swap full */
		a->slot[i] = slot;
		a->state[i] = ANON_SWAPPED;
		moved++;
	}
	return moved;
}

void anon_page_free(struct swap *s, struct anon_pages *a, uint64_t index)
{
	if (a->state[index] == ANON_SWAPPED)
		swap_free(s, a->slot[index]);
	a->state[index] = ANON_NONE;
}
