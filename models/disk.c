/*
 * disk.c - the block device and its request queue.
 *
 * Abstracts the block layer of 2.6.36 (submit_bio to end_io) with a FIFO
 * queue (the noop elevator) and one request in service at a time. Omitted:
 * plugging (a synchronous fault unplugs at once, docs/kernel-model.md#block),
 * request merging across submitters, and queue depth (nr_requests is never
 * reached here).
 * Service time of a request = service_ms + (pages - 1) * page_transfer_us.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "models/disk.h"

static const char *const disk_scheduler_names[] = { "fifo", NULL };

/* clang-format off */
#define F(x) offsetof(struct disk_config, x)
const struct param disk_params[] = {
	{ "scheduler",        PARAM_ENUM, F(scheduler),        0, 0,   "\"fifo\"", "request order: fifo (the noop elevator)", disk_scheduler_names },
	{ "service_ms",       PARAM_DIST, F(service_ms),       0, 1e5, "18",       "service time of one request (seek, rotation, first page)", NULL },
	{ "page_transfer_us", PARAM_DIST, F(page_transfer_us), 0, 1e6, "0",        "transfer time of each further page of a request (readahead)", NULL },
	{ .key = NULL },
};
#undef F
/* clang-format on */

void disk_init(struct disk *d, const struct disk_config *cfg, struct pagecache *pc, int id)
{
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->cfg = cfg;
	d->pc = pc;
}

void disk_release(struct disk *d)
{
	while (d->free_reqs) {
		struct disk_request *r = d->free_reqs;

		d->free_reqs = r->next;
		free(r);
	}
	while (d->head) {
		struct disk_request *r = d->head;

		d->head = r->next;
		free(r);
	}
	free(d->in_service);
}

void disk_submit(struct disk *d, struct task *t, struct page **pages, unsigned nr_pages)
{
	struct disk_request *r = d->free_reqs;

	assert(nr_pages > 0 && nr_pages <= DISK_MAX_PAGES);
	if (r)
		d->free_reqs = r->next;
	else if (!(r = malloc(sizeof(*r))))
		abort();
	r->next = NULL;
	r->submit = task_now(t);
	r->nr_pages = nr_pages;
	memcpy(r->pages, pages, nr_pages * sizeof(*pages));
	if (d->tail)
		d->tail->next = r;
	else
		d->head = r;
	d->tail = r;
	record_disk_submit(t, d->id, (int)++d->in_device);
	if (d->idle) {
		d->idle = false;
		task_wake(t, d->task, 0);
	}
}

static void disk_complete(struct disk *d, struct disk_request *r, sim_ns start)
{
	for (unsigned i = 0; i < r->nr_pages; i++) {
		struct page *p = r->pages[i];

		p->uptodate = true;
		unlock_page(d->pc, p, d->task);
		put_page(d->pc, p);
	}
	record_disk_complete(d->task, d->id, (int)--d->in_device, r->submit, start);
	r->next = d->free_reqs;
	d->free_reqs = r;
}

static sim_ns disk_service_ns(struct disk *d, unsigned nr_pages)
{
	gsl_rng *rng = task_rng(d->task);
	sim_ns ns = dist_sample_ns(&d->cfg->service_ms, rng);

	for (unsigned i = 1; i < nr_pages; i++)
		ns += dist_sample_ns(&d->cfg->page_transfer_us, rng);
	return ns;
}

void disk_main(struct task *t)
{
	struct disk *d = task_data(t);

	d->task = t;
	for (;;) {
		struct disk_request *r;
		sim_ns start;

		while (!d->head) {
			d->idle = true;
			task_block(t);
		}
		r = d->head;
		d->head = r->next;
		if (!d->head)
			d->tail = NULL;
		start = task_now(t);
		d->in_service = r; /* owned here while the run may end in the sleep */
		task_sleep(t, disk_service_ns(d, r->nr_pages));
		d->in_service = NULL;
		disk_complete(d, r, start);
	}
}
