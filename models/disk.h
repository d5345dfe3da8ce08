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

/* The host queue's order (models/elevator.h): fifo is the noop elevator of today's results. */
enum disk_scheduler { DISK_FIFO, DISK_DEADLINE, DISK_CFQ, DISK_SCHEDULERS };

/* What serves the requests (docs/kernel-model.md#block). */
enum disk_type {
	DISK_SIMPLE, /* one request at a time: service_ms + page_transfer_us (the model before issue 15) */
	DISK_SSD,  /* SATA SSD: @channels requests at once, @queue_depth in the device (NCQ) */
	DISK_NVME, /* NVMe: as ssd, many more channels and a deep queue */
	DISK_HDD,  /* one head: seek curve by distance, rotation, media transfer; NCQ reordering */
};

struct disk_config {
	int type;                     /* enum disk_type */
	int scheduler;                /* enum disk_scheduler */
	struct dist service_ms;       /* simple, ssd, nvme: per request (the read latency) */
	struct dist page_transfer_us; /* simple, ssd, nvme: per page after the first */
	unsigned channels;            /* ssd, nvme: requests in service at once */
	unsigned queue_depth;         /* requests in the device (in service + its queue) */
	/* hdd: seek(d) = settle + sqrt_ms * sqrt(d) + linear_ms * d, d the distance as a fraction of the disk */
	double seek_settle_ms, seek_sqrt_ms, seek_linear_ms;
	double rpm;           /* hdd: rotational latency uniform over one revolution */
	double transfer_mb_s; /* hdd: media rate of a request's pages */
	double capacity_gb;   /* hdd: the disk the seek distance is a fraction of */
	/* deadline (mq-deadline): expiry of a queued read and write, requests per batch */
	double read_expire_ms, write_expire_ms;
	unsigned fifo_batch;
	/* cfq: a process's queue is served for up to slice_ms (slice_sync) before the next one's */
	double slice_ms;
	bool merge; /* deadline, cfq: a request adjacent to a queued one joins it (back/front merge) */
};

extern const struct param disk_params[];

struct disk_request {
	struct disk_request *next;
	sim_ns submit;
	sim_ns deadline;                    /* deadline: submit + read_expire_ms */
	uint64_t sector;                    /* of the first page (4 KiB sectors: one per page) */
	int owner;                          /* the submitting process (cfq's queues), -1: none */
	unsigned nr_pages;                  /* contiguous from @sector */
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
