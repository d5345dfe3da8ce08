/*
 * swap.h - anonymous pages, the swap device and the swap cache (spec 4).
 *
 * An anonymous mapping keeps, per page, whether it is unmapped, present, or
 * swapped out (and to which swap slot): its page table and swap entries.
 * Swapped pages are read back through the swap cache, a page-cache address
 * space of its own (pages indexed by slot, inserted locked for the read),
 * with swapin_readahead reading the aligned block of 2^page_cluster slots.
 * The device is a struct disk: the machine's disk or one of its own.
 * Units: pages of 4 KiB.
 */
#ifndef MODELS_SWAP_H
#define MODELS_SWAP_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/disk.h"
#include "models/pagecache.h"
#include "models/param.h"

#define SWAP_FILE_ID (-1) /* file id of swap-cache pages in the records */

enum swap_device { SWAP_ON_DISK, SWAP_OWN_DEVICE };

struct swap_config {
	int device;                     /* enum swap_device */
	struct disk_config own;         /* SWAP_OWN_DEVICE: its service times */
	unsigned page_cluster;          /* vm.page-cluster: readahead of 2^n slots (3) */
	double size_mb;                 /* swap space */
};
extern const struct param swap_params[];

enum anon_pte { ANON_NONE, ANON_PRESENT, ANON_SWAPPED };

/* The page table of one anonymous mapping. */
struct anon_pages {
	uint64_t nr;
	uint8_t *state;  /* owned; enum anon_pte per page */
	uint32_t *slot;  /* owned; the swap slot of a swapped page */
};

/* Guide to the state: a slot is in use while a page is swapped to it or in the swap cache. */
struct swap {
	const struct swap_config *cfg; /* borrowed */
	struct pagecache *pc;          /* borrowed: the swap cache lives in the page cache */
	struct disk *dev;              /* borrowed: the device reads go to */
	struct inode inode;            /* the swap cache's address space; id SWAP_FILE_ID */
	uint64_t nr_slots;
	uint8_t *slot_used;            /* owned */
	uint64_t next_slot;            /* where the next swap-out starts looking */
};

int swap_init(struct swap *s, const struct swap_config *cfg, struct pagecache *pc,
	      struct disk *dev);
void swap_release(struct swap *s);

/*
 * @nr pages, of which a random @swapped_fraction starts swapped out (slots
 * given in page order, so neighbours in the mapping are neighbours in swap)
 * and the rest present. 0 or -1 (swap full).
 */
int anon_pages_init(struct anon_pages *a, struct swap *s, uint64_t nr, double swapped_fraction,
		    gsl_rng *rng);
void anon_pages_release(struct anon_pages *a);

/*
 * Reclaim: moves up to @nr present pages of @a to swap (the write-out is not
 * waited for: the pages are clean copies by the time reclaim frees them).
 * Returns the number moved.
 */
unsigned swap_out(struct swap *s, struct anon_pages *a, unsigned nr, gsl_rng *rng);

/* The page is no longer used (munmap, exit): frees its slot if swapped. */
void anon_page_free(struct swap *s, struct anon_pages *a, uint64_t index);

#endif
