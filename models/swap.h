/*
 * swap.h - anonymous pages, the swap device and the swap cache (docs/kernel-model.md#swap-in).
 *
 * An anonymous mapping keeps, per page, whether it is unmapped, present, or
 * swapped out (and to which swap slot): its page table and swap entries.
 * Swapped pages are read back through the swap cache, a page-cache address
 * space of its own (pages indexed by slot, inserted locked for the read),
 * with swapin_readahead reading the aligned block of 2^page_cluster slots.
 * The device is a struct disk: the machine's disk or one of its own.
 * Slot 0 is the swap header and never holds a page (as in the kernel); it
 * comes on top of size_mb, whose size_mb * 256 slots are all usable (1..).
 * Units: pages of 4 KiB.
 */
#ifndef MODELS_SWAP_H
#define MODELS_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/disk.h"
#include "models/pagecache.h"
#include "models/param.h"

#define SWAP_FILE_ID (-1) /* file id of swap-cache pages in the records */

enum swap_device { SWAP_ON_DISK, SWAP_OWN_DEVICE, SWAP_NAMED_DEVICE };

struct swap_config {
	int device;             /* enum swap_device */
	struct disk_config own; /* SWAP_OWN_DEVICE: its service times */
	unsigned named;         /* SWAP_NAMED_DEVICE: the index of the named device */
	unsigned page_cluster;  /* vm.page-cluster: readahead of 2^n slots (3) */
	double size_mb;         /* swap space */
};
extern const struct param swap_params[];

/* ANON_SHARED: present and write-protected, shared with a forked child (COW on write). */
enum anon_pte { ANON_NONE, ANON_PRESENT, ANON_SWAPPED, ANON_SHARED };

/* The page table of one anonymous mapping. */
struct anon_pages {
	uint64_t nr;
	uint8_t *state; /* owned; enum anon_pte per page */
	uint32_t *slot; /* owned; the swap slot of a swapped page */
};

/*
 * Guide to the state: a slot is in use while a page is swapped to it or in the
 * swap cache (the kernel's swap_map count and its SWAP_HAS_CACHE bit).
 * @slot_used is the first: a pte (anon_pages) refers to the slot. The second
 * is the swap cache itself (page_cached(pc, &inode, slot)): a page swapped
 * in, or read ahead, stays there after its slot is freed until the page
 * cache's LRU evicts it, and the slot is not given out again before. Only
 * then is a slot free.
 */
struct swap {
	const struct swap_config *cfg; /* borrowed */
	struct pagecache *pc;          /* borrowed: the swap cache lives in the page cache */
	struct disk *dev;              /* borrowed: the device reads go to */
	struct inode inode;            /* the swap cache's address space; id SWAP_FILE_ID */
	uint64_t nr_slots;             /* size_mb * 256 + 1: slot 0 is the header */
	uint8_t *slot_used;            /* owned */
	uint64_t nr_used;              /* slots with slot_used set */
	uint64_t next_slot;            /* where the next swap-out starts looking */
};

struct mapping_config; /* models/mm.h */

/* The slots of a swap area of @cfg that hold pages: size_mb * 256 (the header on top). */
uint64_t swap_usable_slots(const struct swap_config *cfg);

/*
 * The slots mapping @mc takes at start in each process that maps it
 * (mm_init): its anonymous pages swapped out (swapped_fraction); 0 for a
 * file mapping. The scenario checks with it that they fit before running.
 */
uint64_t mapping_swap_slots(const struct mapping_config *mc);

int swap_init(struct swap *s, const struct swap_config *cfg, struct pagecache *pc,
              struct disk *dev);
void swap_release(struct swap *s);

/*
 * @nr pages, of which a random @swapped_fraction starts swapped out (slots
 * given in page order, so neighbours in the mapping are neighbours in swap)
 * and the rest present. Exactly round(nr * fraction) pages, chosen uniformly
 * with @rng (which may be NULL when the fraction is 0 or 1). A fraction of 0
 * is memory never touched: every page ANON_NONE (its first fault allocates
 * it), as for the private copies of a MAP_PRIVATE file. 0, or -1 (swap full,
 * or no memory) with @a left empty and no slot taken.
 */
int anon_pages_init(struct anon_pages *a, struct swap *s, uint64_t nr, double swapped_fraction,
                    gsl_rng *rng);
void anon_pages_release(struct anon_pages *a);

/*
 * Reclaim: moves up to @nr present pages of @a to swap (the write-out is not
 * waited for: the pages are clean copies by the time reclaim frees them).
 * Which pages: the present pages following a random page of @a (@rng; NULL:
 * from page 0), in page order, wrapping around; they get consecutive free
 * slots when there are. The caller uncharges them (they leave memory).
 * Returns the number moved (fewer than @nr: not that many present pages, or
 * swap full). Cost: a scan of the page table from the random page.
 */
unsigned swap_out(struct swap *s, struct anon_pages *a, unsigned nr, gsl_rng *rng);

/* The page is no longer used (munmap, exit): frees its slot if swapped; ANON_NONE. */
void anon_page_free(struct swap *s, struct anon_pages *a, uint64_t index);

/*
 * swap_free(): the pte's reference to @slot is gone (the page was swapped in
 * or freed). A copy in the swap cache keeps the slot until it is evicted.
 */
void swap_free(struct swap *s, uint64_t slot);

/* swap_map[slot] != 0: a pte refers to the slot, or the swap cache holds it. */
bool swap_slot_busy(struct swap *s, uint64_t slot);

#endif
