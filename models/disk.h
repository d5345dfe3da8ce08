/*
 * disk.h - a block device with a request queue (docs/kernel-model.md#block, FIFO for now).
 *
 * The device is a task of its own: it serves one request at a time and, at
 * completion, marks the pages up to date and unlocks them (the end_io of a
 * read bio), which wakes the tasks waiting on them.
 */
#ifndef MODELS_DISK_H
#define MODELS_DISK_H

#include "models/dist.h"
#include "models/pagecache.h"
#include "models/param.h"

#define DISK_MAX_PAGES 256 /* pages in one request (readahead windows are smaller) */

enum disk_scheduler { DISK_FIFO };

struct disk_config {
	int scheduler;                /* enum disk_scheduler */
	struct dist service_ms;       /* per request: seek, rotation, controller */
	struct dist page_transfer_us; /* per page after the first */
};

extern const struct param disk_params[];

struct disk_request {
	struct disk_request *next;
	sim_ns submit;
	unsigned nr_pages;
	struct page *pages[DISK_MAX_PAGES]; /* each locked, with a reference for the I/O */
};

/* Guide to the state: @queue holds the requests not yet in service, FIFO. */
struct disk {
	const struct disk_config *cfg; /* borrowed */
	struct pagecache *pc;          /* borrowed */
	struct task *task;             /* the device; set by disk_main */
	int id;                        /* enum disk_device */
	bool idle;                     /* the device waits for a request */
	unsigned in_device;            /* queued + in service */
	struct disk_request *head, *tail;
	struct disk_request *in_service; /* owned while served, else NULL */
	struct disk_request *free_reqs;  /* owned, recycled */
};

/* @id: DISK_DEVICE_MAIN or DISK_DEVICE_SWAP, for the records. */
void disk_init(struct disk *d, const struct disk_config *cfg, struct pagecache *pc, int id);
void disk_release(struct disk *d);

/* Context: @t is running; the pages are locked and referenced for the I/O. */
void disk_submit(struct disk *d, struct task *t, struct page **pages, unsigned nr_pages);

/* The device task's body; never returns. */
void disk_main(struct task *t);

#endif
