/*
 * disk.c - the block device: its host queue (the elevator) and the device's
 * own queue and channels (docs/kernel-model.md#block).
 *
 * Abstracts the block layer of 2.6.36 (submit_bio to end_io): a request goes
 * into the elevator, and the submitter (or, at a completion, the device)
 * moves requests from the elevator into the device while it holds fewer than
 * queue_depth (the tags of blk-mq, NCQ's 32 slots). The device serves up to
 * @channels of its requests at once, taking them FIFO, except an hdd with
 * more than one, which takes the one nearest its head (SSTF, as NCQ firmware
 * reorders). Plugging (docs/kernel-model.md#block-plug): per-queue (2.6.36)
 * or on the submitter's stack (2.6.39), disk_plug_*. Omitted: writes, and
 * the drive's cache.
 *
 * Service time, sampled when the request starts service:
 *   simple, ssd, nvme: service_ms + (pages - 1) * page_transfer_us;
 *   hdd: seek(d) + rotation + pages * 4 KiB / transfer_mb_s, where a request
 *   starting at the sector under the head (sequential) neither seeks nor
 *   waits for a rotation.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/disk.h"
#include "models/elevator.h"

const char *const disk_type_names[] = { "simple", "ssd", "nvme", "hdd", NULL };
const char *const disk_scheduler_names[] = { "fifo", "deadline", "cfq", NULL };

#define F(x) offsetof(struct disk_config, x)
const struct param disk_params[] = {
	DISK_PARAM_ROWS(F, false),
	{ .key = NULL },
};
#undef F

uint64_t disk_capacity_sectors(const struct disk_config *cfg)
{
	return (uint64_t)(cfg->capacity_gb * 1e9 / DISK_SECTOR_BYTES);
}

void disk_init(struct disk *d, const struct disk_config *cfg, struct pagecache *pc, int id)
{
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->cfg = cfg;
	d->pc = pc;
	/* simple is the model before issue 15: one request in the device, served alone */
	d->channels = cfg->type == DISK_SSD || cfg->type == DISK_NVME ? cfg->channels : 1;
	d->queue_depth = cfg->type == DISK_SIMPLE ? 1 : cfg->queue_depth;
	d->max_pages = disk_config_max_pages(cfg);
	if (!d->channels)
		d->channels = 1;
	if (d->queue_depth < d->channels)
		d->queue_depth = d->channels; /* a channel serves a request in the device */
	assert(cfg->scheduler >= 0 && cfg->scheduler < DISK_SCHEDULERS);
	d->elv = elevators[cfg->scheduler];
	d->elv_q = d->elv->create(cfg);
	if (!d->elv_q)
		abort();
}

struct page **disk_page_run_new(const struct disk *d)
{
	struct page **run = malloc(d->max_pages * sizeof(*run));

	if (!run)
		abort();
	return run;
}

static void free_list(struct disk_request *r)
{
	while (r) {
		struct disk_request *next = r->next;

		free(r);
		r = next;
	}
}

void disk_release(struct disk *d)
{
	if (d->elv_q)
		d->elv->destroy(d->elv_q);
	d->elv_q = NULL;
	free_list(d->free_reqs);
	free_list(d->dev_head);
	free_list(d->in_service);
	d->free_reqs = d->dev_head = d->dev_tail = d->in_service = NULL;
}

static void disk_recycle(struct disk *d, struct disk_request *r)
{
	r->next = d->free_reqs;
	d->free_reqs = r;
}

/* Moves requests from the elevator into the device while it has room; at @now. */
static void disk_fill_device(struct disk *d, sim_ns now)
{
	while (d->nr_dev < d->queue_depth) {
		struct disk_request *r = d->elv->dispatch(d->elv_q, now, d->head_sector);

		if (!r)
			return;
		disk_request_append(&d->dev_head, &d->dev_tail, r);
		d->nr_dev++;
	}
}

static struct disk_request *disk_request_new(struct disk *d, sim_ns now, uint64_t sector, int owner,
                                             struct page **pages, unsigned nr_pages)
{
	struct disk_request *r = d->free_reqs;

	assert(nr_pages > 0 && nr_pages <= d->max_pages);
	if (r)
		d->free_reqs = r->next;
	else if (!(r = malloc(sizeof(*r) + d->max_pages * sizeof(r->pages[0]))))
		abort();
	memset(r, 0, offsetof(struct disk_request, pages));
	r->submit = now;
	r->sector = sector;
	r->owner = owner;
	r->nr_pages = nr_pages;
	memcpy(r->pages, pages, nr_pages * sizeof(*pages));
	return r;
}

/* Into the host queue at @t's time; false if the elevator merged it into a queued one. */
static bool disk_add_request(struct disk *d, struct task *t, struct disk_request *r)
{
	struct disk_request *queued = d->elv->add(d->elv_q, r, task_now(t));

	if (queued != r) { /* merged into a queued request: no new request */
		disk_recycle(d, r);
		return false;
	}
	record_disk_submit(t, d->id, (int)++d->in_device);
	return true;
}

/* __blk_run_queue from task @t: the plug removed, requests into the device, which starts. */
static void disk_run_queue(struct disk *d, struct task *t)
{
	d->plugged = false;
	disk_fill_device(d, task_now(t));
	/* a free channel and a request for it: the device starts it now */
	if (d->idle && d->dev_head) {
		d->idle = false;
		task_wake(t, d->task, 0);
	}
}

/* Unplugged: @r into the host queue and, unless merged into a queued one, the queue run. */
static void disk_queue_now(struct disk *d, struct task *t, struct disk_request *r)
{
	if (disk_add_request(d, t, r))
		disk_run_queue(d, t);
}

void disk_submit(struct disk *d, struct task *t, uint64_t sector, int owner, struct page **pages,
                 unsigned nr_pages)
{
	disk_queue_now(d, t, disk_request_new(d, task_now(t), sector, owner, pages, nr_pages));
}

/*
 * queue_should_plug (2.6.36 blk-core.c): not a non-rotational queue with
 * tagging, so not an ssd or nvme (NCQ); and not simple, the seeds' server
 * calibrated to measured rates with whatever the block layer added in them.
 */
bool disk_plugs_per_queue(const struct disk *d)
{
	return d->cfg->type == DISK_HDD;
}

/*
 * 2.6.36 __make_request: an empty host queue is plugged (blk_plug_device,
 * which arms the unplug timer); elv_insert unplugs it when it holds
 * unplug_thresh requests (__generic_unplug_device).
 */
static void disk_submit_per_queue(struct disk *d, struct task *t, struct disk_request *r)
{
	if (!disk_plugs_per_queue(d)) {
		disk_queue_now(d, t, r);
		return;
	}
	if (!d->plugged && !d->elv->queued(d->elv_q)) {
		d->plugged = true;
		d->unplug_at = task_now(t) + DISK_UNPLUG_DELAY;
		if (d->idle) { /* the device sets itself the timer */
			d->idle = false;
			task_wake(t, d->task, 0);
		}
	}
	if (!disk_add_request(d, t, r))
		return;
	if (!d->plugged || d->elv->queued(d->elv_q) >= DISK_UNPLUG_THRESH)
		disk_run_queue(d, t);
}

void disk_plug_start(struct disk_plug *plug, struct task *t, int mode)
{
	*plug = (struct disk_plug){ .task = t, .mode = mode };
}

void disk_plug_flush(struct disk_plug *plug)
{
	struct disk *d = plug->dev;
	bool added = false;

	if (!d)
		return;
	while (plug->head) {
		struct disk_request *r = plug->head;

		plug->head = r->next;
		added |= disk_add_request(d, plug->task, r);
	}
	plug->tail = NULL;
	plug->dev = NULL;
	if (added) /* queue_unplugged: __blk_run_queue */
		disk_run_queue(d, plug->task);
}

void disk_submit_plugged(struct disk_plug *plug, struct disk *d, uint64_t sector, int owner,
                         struct page **pages, unsigned nr_pages)
{
	struct disk_request *r =
	        disk_request_new(d, task_now(plug->task), sector, owner, pages, nr_pages);

	if (plug->mode == DISK_PLUG_PER_QUEUE) {
		disk_submit_per_queue(d, plug->task, r);
		return;
	}
	if (d->cfg->type == DISK_SIMPLE) { /* the seeds' server: no plug (disk_plugs_per_queue) */
		disk_queue_now(d, plug->task, r);
		return;
	}
	if (plug->dev != d) /* one device per plug: another device's requests go first */
		disk_plug_flush(plug);
	plug->dev = d;
	disk_request_append(&plug->head, &plug->tail, r);
}

void disk_plug_finish(struct disk_plug *plug)
{
	disk_plug_flush(plug);
}

void disk_unplug(struct disk *d, struct task *t)
{
	if (d->plugged)
		disk_run_queue(d, t);
}

static void disk_complete(struct disk *d, struct disk_request *r)
{
	for (unsigned i = 0; i < r->nr_pages; i++) {
		struct page *p = r->pages[i];

		p->uptodate = true;
		unlock_page(d->pc, p, d->task);
		put_page(d->pc, p);
	}
	d->nr_dev--;
	record_disk_complete(d->task, d->id, (int)--d->in_device, r->submit, r->start);
	disk_recycle(d, r);
}

/* hdd: the fraction of the disk between the head and @sector. */
static double disk_seek_distance(const struct disk *d, uint64_t sector)
{
	uint64_t gap = sector > d->head_sector ? sector - d->head_sector : d->head_sector - sector;
	double capacity = (double)disk_capacity_sectors(d->cfg);

	return capacity > 0 && gap < capacity ? (double)gap / capacity : 1.0;
}

/* hdd: seek curve (Ruemmler & Wilkes 1994), rotation, media transfer; 0 seek when sequential. */
static sim_ns hdd_service_ns(struct disk *d, const struct disk_request *r)
{
	const struct disk_config *c = d->cfg;
	double ms = (double)r->nr_pages * DISK_SECTOR_BYTES / (c->transfer_mb_s * 1e3);

	if (r->sector != d->head_sector) {
		double dist = disk_seek_distance(d, r->sector);

		ms += c->seek_settle_ms + c->seek_sqrt_ms * sqrt(dist) + c->seek_linear_ms * dist;
		ms += gsl_rng_uniform(task_rng(d->task)) * 60e3 / c->rpm;
	}
	return (sim_ns)llround(ms * NS_PER_MS);
}

static sim_ns disk_service_ns(struct disk *d, const struct disk_request *r)
{
	gsl_rng *rng = task_rng(d->task);
	sim_ns ns;

	if (d->cfg->type == DISK_HDD)
		return hdd_service_ns(d, r);
	ns = dist_sample_ns(&d->cfg->service_ms, rng);
	for (unsigned i = 1; i < r->nr_pages; i++)
		ns += dist_sample_ns(&d->cfg->page_transfer_us, rng);
	return ns;
}

/* The device's next request for a free channel: FIFO, or an hdd's nearest (SSTF). */
static struct disk_request *disk_pick(struct disk *d)
{
	struct disk_request **best = &d->dev_head, *r;

	if (d->cfg->type == DISK_HDD && d->queue_depth > 1) {
		for (struct disk_request **pp = &d->dev_head; *pp; pp = &(*pp)->next)
			if (disk_seek_distance(d, (*pp)->sector) <
			    disk_seek_distance(d, (*best)->sector))
				best = pp; /* strictly nearer: ties go to the oldest */
	}
	r = *best;
	*best = r->next;
	if (d->dev_tail == r) { /* it was the last: the tail is the one before it */
		d->dev_tail = NULL;
		for (struct disk_request *q = d->dev_head; q; q = q->next)
			d->dev_tail = q;
	}
	return r;
}

/* Starts service of the device's requests on its free channels, at @now. */
static void disk_start(struct disk *d, sim_ns now)
{
	while (d->nr_in_service < d->channels && d->dev_head) {
		struct disk_request *r = disk_pick(d), **pp = &d->in_service;

		r->start = now;
		r->done = now + disk_service_ns(d, r);
		d->head_sector = r->sector + r->nr_pages; /* hdd: the next sector under the head */
		r->seq = d->next_seq++;
		while (*pp && (*pp)->done <= r->done) /* after equal times: dispatch order */
			pp = &(*pp)->next;
		r->next = *pp;
		*pp = r;
		d->nr_in_service++;
		record_disk_in_service(d->task, d->id, (int)d->nr_in_service, d->channels);
	}
}

void disk_main(struct task *t)
{
	struct disk *d = task_data(t);

	d->task = t;
	for (;;) {
		sim_ns now = task_now(t), wait;

		disk_start(d, now);
		if (!d->in_service && !d->plugged) {
			d->idle = true;
			task_block(t);
			continue;
		}
		wait = d->in_service ? d->in_service->done - now : INT64_MAX;
		/* a plugged queue with a free channel: the unplug timer may come first */
		if (d->plugged && d->nr_in_service < d->channels && d->unplug_at - now < wait)
			wait = d->unplug_at - now;
		if (d->nr_in_service < d->channels) {
			/* a channel free: a submit may start a request before the next completion */
			d->idle = true;
			if (task_block_timeout(t, wait))
				continue; /* woken by a submit (which cleared idle) */
			d->idle = false;
		} else {
			task_sleep(t, wait); /* nothing can start before a completion */
		}
		now = task_now(t);
		while (d->in_service && d->in_service->done <= now) {
			struct disk_request *r = d->in_service;

			d->in_service = r->next;
			d->nr_in_service--;
			record_disk_in_service(d->task, d->id, (int)d->nr_in_service, d->channels);
			disk_complete(d, r);
		}
		/* a completion runs the queue (__blk_run_queue removes the plug), as the timer does */
		d->plugged = false;
		disk_fill_device(d, now);
	}
}
