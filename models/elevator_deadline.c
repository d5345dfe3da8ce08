/*
 * elevator_deadline.c - the deadline I/O scheduler (docs/kernel-model.md#block).
 *
 * 2.6.36 block/deadline-iosched.c, reads only: every request of mmsim is a
 * read (page faults, readahead, swap-in), so write_expire_ms and the
 * writes_starved rule have nothing to act on. Requests are kept sorted by
 * sector and in arrival order, each expiring read_expire_ms after it was
 * queued. deadline_dispatch_requests: a batch goes on with next_rq, the
 * successor in sector order of the request dispatched last (chosen when
 * that one was dispatched, deadline_move_request), for up to fifo_batch
 * requests. Then, or when there was no successor, a new batch starts from
 * the oldest request if it has expired or if there is no successor, else
 * from the successor. Running out of higher sectors does not wrap to the
 * lowest one: it restarts from the oldest request.
 */
#include <stdlib.h>

#include "models/elevator.h"
#include "models/elevator_sort.h"

struct deadline_queue {
	struct sorted_requests reqs;
	struct disk_request *next_rq; /* the batch's next request in sector order, or NULL */
	unsigned batching;            /* requests dispatched in the current batch */
	unsigned fifo_batch;
	sim_ns read_expire;
	bool merge;
	unsigned max_pages; /* a merged request at most (the queue's max_sectors) */
};

static void *deadline_create(const struct disk_config *cfg)
{
	struct deadline_queue *dq = calloc(1, sizeof(*dq));

	if (!dq)
		return NULL;
	dq->fifo_batch = cfg->fifo_batch;
	dq->read_expire = (sim_ns)(cfg->read_expire_ms * NS_PER_MS);
	dq->merge = cfg->merge;
	dq->max_pages = disk_config_max_pages(cfg);
	return dq;
}

static void deadline_destroy(void *q)
{
	struct deadline_queue *dq = q;

	sorted_requests_release(&dq->reqs);
	free(dq);
}

/* deadline_add_request: the expiry is set when the request is queued. */
static struct disk_request *deadline_add(void *q, struct disk_request *r, sim_ns now)
{
	struct deadline_queue *dq = q;
	enum request_merge how;

	if (dq->merge) {
		struct disk_request *merged =
		        sorted_requests_merge(&dq->reqs, r, dq->max_pages, &how);

		if (merged)
			return merged;
	}
	r->deadline = now + dq->read_expire;
	sorted_requests_insert(&dq->reqs, r);
	return r;
}

/* deadline_check_fifo: time_after(jiffies, fifo_time), strictly after. */
static bool oldest_expired(const struct deadline_queue *dq, sim_ns now)
{
	return now > sorted_requests_oldest(&dq->reqs)->deadline;
}

/*
 * deadline_dispatch_requests. The head position is not used: the kernel's
 * deadline knows only the request it dispatched last.
 */
static struct disk_request *deadline_dispatch(void *q, sim_ns now, uint64_t head_sector)
{
	struct deadline_queue *dq = q;
	struct disk_request *r = dq->next_rq;

	(void)head_sector;
	if (!dq->reqs.nr)
		return NULL;
	if (!r || dq->batching >= dq->fifo_batch) {
		if (!r || oldest_expired(dq, now))
			r = sorted_requests_oldest(&dq->reqs);
		dq->batching = 0;
	}
	dq->batching++;
	/* deadline_move_request */
	dq->next_rq = sorted_requests_after(&dq->reqs, r);
	sorted_requests_remove(&dq->reqs, r);
	return r;
}

static unsigned deadline_queued(const void *q)
{
	const struct deadline_queue *dq = q;

	return dq->reqs.nr;
}

const struct elevator_ops elevator_deadline = {
	.name = "deadline",
	.doc = "sorted by sector, batches of fifo_batch, a request expired after read_expire_ms "
	       "served first (2.6.36 deadline-iosched.c)",
	.create = deadline_create,
	.destroy = deadline_destroy,
	.add = deadline_add,
	.dispatch = deadline_dispatch,
	.queued = deadline_queued,
};
