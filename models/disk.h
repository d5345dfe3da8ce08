/*
 * disk.h - a block device with its host queue (docs/kernel-model.md#block).
 *
 * A submitted request goes into the host queue (the elevator,
 * models/elevator.h), and from there into the device while the device holds
 * fewer than queue_depth requests. The device is a task of its own: it serves
 * up to @channels of its requests at once (one for simple and hdd) and, at
 * each completion, marks the pages up to date and unlocks them (the end_io of
 * a read bio), which wakes the tasks waiting on them.
 */
#ifndef MODELS_DISK_H
#define MODELS_DISK_H

#include "models/dist.h"
#include "models/pagecache.h"
#include "models/param.h"

#define DISK_MAX_PAGES 1024 /* pages in one request at most: max_sectors_kb 4096 (6.17's cap) */
#define DISK_DEFAULT_MAX_SECTORS_KB 1024 /* max_sectors_kb's default: 256 pages a request */
#define DISK_SECTOR_BYTES 4096           /* a sector per page: positions are in pages */

/*
 * How a submission's requests are held back before the device sees them
 * (the kernel feature block_plug, docs/kernel-model.md#block-plug).
 */
enum disk_plugging {
	DISK_PLUG_PER_QUEUE, /* 2.6.36-2.6.38: the queue plugs; unplugged by 4 requests, 3 ms, a waiter */
	DISK_PLUG_ON_STACK,      /* 2.6.39+: the submitter holds them until its submission ends */
	DISK_PLUG_ON_STACK_SWAP, /* 3.5+: as on_stack, and swap-in readahead plugs too */
};
#define DISK_UNPLUG_THRESH 4              /* q->unplug_thresh (2.6.36 blk_queue_make_request) */
#define DISK_UNPLUG_DELAY (3 * NS_PER_MS) /* q->unplug_delay = msecs_to_jiffies(3) */

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
	/* cfq: a thread's queue is served for up to slice_ms (slice_sync) before the next one's */
	double slice_ms;
	bool merge; /* deadline, cfq: a request adjacent to a queued one joins it (back/front merge) */
	unsigned
	        max_sectors_kb; /* the largest request: a larger read is split (queue_max_sectors) */
};

/* A request's pages at most: @cfg's max_sectors_kb in 4 KiB pages. */
static inline unsigned disk_config_max_pages(const struct disk_config *cfg)
{
	unsigned pages = cfg->max_sectors_kb / 4;

	return pages < 1 ? 1 : pages > DISK_MAX_PAGES ? DISK_MAX_PAGES : pages;
}

/*
 * The parameter rows of a device, shared by "disk" and swap's own device:
 * @F(field) is the offset of a disk_config field in the table's struct.
 * Sources: docs/kernel-model.md#block.
 */
/* clang-format off */
/* @SCHEDULER_ADDED: the disk had "scheduler" before issue 15, swap's own device did not. */
#define DISK_PARAM_ROWS(F, SCHEDULER_ADDED) \
	{ "type",             PARAM_ENUM,   F(type),             0, 0,     "\"simple\"", "simple: one request at a time (service_ms + page_transfer_us); ssd, nvme: up to channels at once, queue_depth in the device; hdd: one head, seek curve + rotation + transfer, NCQ reordering", disk_type_names, true }, \
	{ "scheduler",        PARAM_ENUM,   F(scheduler),        0, 0,     "\"fifo\"",   "host queue order: fifo (noop), deadline (mq-deadline: by sector, expiry, batches), cfq (a queue per thread, time slices)", disk_scheduler_names, SCHEDULER_ADDED }, \
	{ "service_ms",       PARAM_DIST,   F(service_ms),       0, 1e5,   "18",         "simple, ssd, nvme: service time of one request (simple: seek, rotation, first page; a SATA SSD's 4 KiB random read ~0.1, an NVMe's ~0.07: docs/kernel-model.md#block)", NULL, false }, \
	{ "page_transfer_us", PARAM_DIST,   F(page_transfer_us), 0, 1e6,   "0",          "simple, ssd, nvme: transfer time of each further page of a request (readahead)", NULL, false }, \
	{ "channels",         PARAM_UINT,   F(channels),         1, 4096,  "8",          "ssd, nvme: requests served at once (flash channels: 8 on a SATA SSD controller, 16 on a large NVMe one; AnandTech)", NULL, true }, \
	{ "queue_depth",      PARAM_UINT,   F(queue_depth),      1, 65535, "32",         "ssd, nvme, hdd: requests in the device, in service or queued in it (32: SATA NCQ tags; NVMe: Linux io_queue_depth 1024)", NULL, true }, \
	{ "seek_settle_ms",   PARAM_DOUBLE, F(seek_settle_ms),   0, 1e3,   "1",          "hdd: seek(d) = settle + sqrt * sqrt(d) + linear * d, d the fraction of the disk crossed (Ruemmler & Wilkes 1994); settle: a single-track seek (1.0 ms read, typical, Hitachi's OEM specifications)", NULL, true }, \
	{ "seek_sqrt_ms",     PARAM_DOUBLE, F(seek_sqrt_ms),     0, 1e3,   "5.83",       "hdd: the seek curve's sqrt(d) term (with the defaults: 8.5 ms average, Hitachi Deskstar 7K1000.C 1 TB; 20 ms full stroke, Hitachi's 7200 rpm OEM specifications)", NULL, true }, \
	{ "seek_linear_ms",   PARAM_DOUBLE, F(seek_linear_ms),   0, 1e3,   "13.17",      "hdd: the seek curve's linear term", NULL, true }, \
	{ "rpm",              PARAM_DOUBLE, F(rpm),              1, 1e5,   "7200",       "hdd: spindle speed; rotational latency uniform over one revolution (8.33 ms at 7200)", NULL, true }, \
	{ "transfer_mb_s",    PARAM_DOUBLE, F(transfer_mb_s),    1e-3, 1e5, "120",       "hdd: media rate of a request's pages, 10^6 B/s (Seagate Barracuda 7200.11's data sheet: up to 120 MB/s)", NULL, true }, \
	{ "capacity_gb",      PARAM_DOUBLE, F(capacity_gb),      1e-3, 1e6, "1000",      "hdd: the disk's size, 10^9 B: seek distances are fractions of it", NULL, true }, \
	{ "read_expire_ms",   PARAM_DOUBLE, F(read_expire_ms),   0, 1e6,   "500",        "deadline: a queued read's expiry (read_expire, HZ / 2 in block/deadline-iosched.c)", NULL, true }, \
	{ "write_expire_ms",  PARAM_DOUBLE, F(write_expire_ms),  0, 1e6,   "5000",       "deadline: a queued write's expiry (write_expire, 5 * HZ)", NULL, true }, \
	{ "fifo_batch",       PARAM_UINT,   F(fifo_batch),       1, 1024,  "16",         "deadline: requests dispatched in sector order per batch (fifo_batch)", NULL, true }, \
	{ "slice_ms",         PARAM_DOUBLE, F(slice_ms),         0, 1e4,   "100",        "cfq: a thread's queue is served up to this long before the next's (cfq_slice_sync, HZ / 10)", NULL, true }, \
	{ "merge",            PARAM_BOOL,   F(merge),            0, 1,     "true",       "deadline, cfq: a request contiguous with a queued one joins it (back and front merges; fifo never merges)", NULL, true }, \
	{ "max_sectors_kb",   PARAM_UINT,   F(max_sectors_kb),   4, 4096,  "1024",       "the largest request, KiB: a larger read (a readahead window) goes as several (the queue's max_sectors_kb in sysfs: 512 in 2.6.36, 1280 from 4.x, 4096 from 6.17; 1024: the model's value before it was a parameter)", NULL, true }
/* clang-format on */
extern const char *const disk_type_names[], *const disk_scheduler_names[];
extern const struct param disk_params[];

struct disk_request {
	struct disk_request *next;
	sim_ns submit;
	sim_ns start, done;   /* in service: its start and completion */
	uint64_t seq;         /* dispatch order into service: ties of @done */
	sim_ns deadline;      /* deadline: submit + read_expire_ms */
	uint64_t sector;      /* of the first page (4 KiB sectors: one per page) */
	int owner;            /* the submitter's I/O context (cfq's queues), -1: none */
	unsigned nr_pages;    /* contiguous from @sector */
	struct page *pages[]; /* each locked, with a reference for the I/O; the disk's max_pages */
};

struct elevator_ops;

/*
 * Guide to the state: a request is in exactly one place: the host queue
 * (@elv_q, ordered by the elevator), the device's queue (@dev_head, FIFO,
 * waiting for a channel), or in service (@in_service, sorted by completion
 * time, ties by @seq); then it is recycled (@free_reqs).
 */
struct disk {
	const struct disk_config *cfg; /* borrowed */
	struct pagecache *pc;          /* borrowed */
	struct task *task;             /* the device; set by disk_main */
	int id;                        /* enum disk_device */
	unsigned channels;             /* served at once: cfg's, 1 for simple and hdd */
	unsigned queue_depth;          /* in the device at most: cfg's, 1 for simple */
	unsigned max_pages;            /* a request's pages at most: disk_config_max_pages */
	bool idle;                     /* the device waits for a request: wake it on submit */
	unsigned in_device;            /* submitted and not completed: host queue + device */
	const struct elevator_ops *elv;
	void *elv_q;                              /* owned: the host queue */
	struct disk_request *dev_head, *dev_tail; /* owned: in the device, waiting for a channel */
	unsigned nr_dev;                          /* in the device: waiting + in service */
	struct disk_request *in_service;          /* owned: by completion time */
	unsigned nr_in_service;
	uint64_t next_seq;
	uint64_t head_sector;           /* after the last request started: an hdd's head */
	bool plugged;                   /* per-queue plugging: the host queue holds its requests */
	sim_ns unplug_at;               /* plugged: when the unplug timer fires */
	struct disk_request *free_reqs; /* owned, recycled */
};

/* @id: enum disk_device (DISK_DEVICE_NAMED + i: named device i), for the records. */
void disk_init(struct disk *d, const struct disk_config *cfg, struct pagecache *pc, int id);
/* Room for the pages of one request to @d (max_pages), to be freed; aborts if out of memory. */
struct page **disk_page_run_new(const struct disk *d);
void disk_release(struct disk *d);

/*
 * Context: @t is running; the pages are locked and referenced for the I/O.
 * @sector: the first page's position on the device; @owner: the submitting
 * thread's I/O context (thread_io_context: cfq's queues), -1 if none.
 */
void disk_submit(struct disk *d, struct task *t, uint64_t sector, int owner, struct page **pages,
                 unsigned nr_pages);

/*
 * A submission's plug (2.6.39 struct blk_plug, on the submitter's stack):
 * disk_plug_start, disk_submit_plugged for each request, disk_plug_finish.
 * With on-stack plugging the requests wait in @head until the finish (or a
 * flush: the submitter is about to sleep); with per-queue plugging they go
 * into the host queue at once, which the device may keep plugged.
 */
struct disk_plug {
	struct task *task;
	int mode;                         /* enum disk_plugging */
	struct disk *dev;                 /* on-stack: the device of the held requests */
	struct disk_request *head, *tail; /* on-stack: held, in submission order */
};

void disk_plug_start(struct disk_plug *plug, struct task *t, int mode);
/* As disk_submit, through @plug (the submitter is @plug's task). */
void disk_submit_plugged(struct disk_plug *plug, struct disk *d, uint64_t sector, int owner,
                         struct page **pages, unsigned nr_pages);
/* blk_flush_plug_list: the held requests into their host queue, which is run. */
void disk_plug_flush(struct disk_plug *plug);
void disk_plug_finish(struct disk_plug *plug);

/*
 * sync_page (2.6.36): @t is about to wait for a page under I/O on @d; a
 * plugged queue is unplugged at once (block_sync_page, blk_run_backing_dev).
 */
void disk_unplug(struct disk *d, struct task *t);

/* Whether @d plugs its queue (per-queue plugging): a rotational one; not simple (disk.c). */
bool disk_plugs_per_queue(const struct disk *d);

/* The sectors of a disk of @capacity_gb (10^9 bytes). */
uint64_t disk_capacity_sectors(const struct disk_config *cfg);

/* The device task's body; never returns. */
void disk_main(struct task *t);

#endif
