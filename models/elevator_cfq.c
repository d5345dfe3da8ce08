/*
 * elevator_cfq.c - the CFQ I/O scheduler (docs/kernel-model.md#block).
 *
 * 2.6.36 block/cfq-iosched.c, sync queues only (every request of mmsim is a
 * read, and rq_is_sync holds for every read). Each I/O context (the
 * request's owner: a thread's, thread_io_context; -1 is a queue of its own)
 * has a queue sorted by sector (cfq_get_queue, through the task's cic). The busy
 * queues are served round robin in the order they became busy
 * (cfq_service_tree_add: rb_key = jiffies, later keys to the right); the
 * active queue dispatches for up to slice_ms (cfq_slice_sync), or until it
 * has nothing queued, then goes to the back if it still has requests
 * (__cfq_slice_expired, cfq_resort_rr_list). Within a queue, next_rq is the
 * request closest to the head position (cfq_choose_req: a one-way elevator
 * but for backward seeks of up to cfq_back_max, counted twice), and at the
 * first dispatch of each slice a request past its fifo expiry
 * (cfq_fifo_expire_sync, 125 ms) goes first (cfq_check_fifo).
 *
 * Left out: idling for a queue's next request (slice_idle, group_idle) and
 * close cooperators (the model expires an empty queue at once), I/O
 * priorities and cgroups (one service tree), the low_latency scaling of the
 * slice to a 300 ms target latency, and the per-queue dispatch limit
 * (cfq_quantum, cfq_may_dispatch: it counts requests in the driver, which an
 * elevator here does not hear of when they complete). The slice starts at the
 * queue's first dispatch, not at its first completion (cfq_completed_request)
 * for the same reason.
 */
#include <stdlib.h>
#include <string.h>

#include "models/elevator.h"
#include "models/elevator_sort.h"

#define CFQ_FIFO_EXPIRE_SYNC (125 * NS_PER_MS) /* cfq_fifo_expire[1] = HZ / 8 */
/* cfq_back_max = 16 MiB of backward seek, in 4 KiB sectors; cfq_back_penalty = 2 */
#define CFQ_BACK_MAX_SECTORS ((16u << 20) / 4096)
#define CFQ_BACK_PENALTY 2

struct cfq_queue {
	struct sorted_requests reqs;
	struct disk_request *next_rq; /* the next request in sector order, or NULL if empty */
	struct cfq_queue *rr_next;    /* on the round robin list */
	bool on_rr;                   /* busy: on the round robin list */
	bool slice_new;               /* nothing dispatched yet in this slice */
	bool fifo_checked;            /* the fifo was checked in this slice */
	sim_ns slice_end;
	unsigned index; /* in cfq_data.queues: its owner + 1 */
};

/* Guide to the state: @rr_head (the active queue once chosen) to @rr_tail, the busy queues. */
struct cfq_data {
	struct cfq_queue **queues; /* owned, [nr_owners], indexed by owner + 1, NULL until used */
	unsigned nr_owners;
	struct cfq_queue *rr_head, *rr_tail;
	struct cfq_queue *active; /* NULL, or rr_head */
	unsigned queued;
	uint64_t last_position; /* the end of the request dispatched last (cfq_activate_request) */
	sim_ns slice;
	bool merge;
	unsigned max_pages; /* a merged request at most (the queue's max_sectors) */
};

static void *cfq_create(const struct disk_config *cfg)
{
	struct cfq_data *cd = calloc(1, sizeof(*cd));

	if (!cd)
		return NULL;
	cd->slice = (sim_ns)(cfg->slice_ms * NS_PER_MS);
	cd->merge = cfg->merge;
	cd->max_pages = disk_config_max_pages(cfg);
	return cd;
}

static void cfq_destroy(void *q)
{
	struct cfq_data *cd = q;

	for (unsigned i = 0; i < cd->nr_owners; i++) {
		if (cd->queues[i]) {
			sorted_requests_release(&cd->queues[i]->reqs);
			free(cd->queues[i]);
		}
	}
	free(cd->queues);
	free(cd);
}

/* The queue of @owner's requests (cfq_get_queue), made on first use. */
static struct cfq_queue *cfq_queue_of(struct cfq_data *cd, int owner)
{
	unsigned i = (unsigned)(owner + 1);

	if (i >= cd->nr_owners) {
		unsigned n = i + 1 > 2 * cd->nr_owners ? i + 1 : 2 * cd->nr_owners;
		struct cfq_queue **queues = realloc(cd->queues, n * sizeof(*queues));

		if (!queues)
			abort();
		memset(&queues[cd->nr_owners], 0, (n - cd->nr_owners) * sizeof(*queues));
		cd->queues = queues;
		cd->nr_owners = n;
	}
	if (!cd->queues[i]) {
		if (!(cd->queues[i] = calloc(1, sizeof(*cd->queues[i]))))
			abort();
		cd->queues[i]->index = i;
	}
	return cd->queues[i];
}

/*
 * The cost of seeking from @last to @s: the distance ahead, or
 * CFQ_BACK_PENALTY times the distance behind up to CFQ_BACK_MAX_SECTORS;
 * further behind sets *@wrap (the head would wrap around).
 */
static uint64_t cfq_seek_cost(uint64_t s, uint64_t last, bool *wrap)
{
	*wrap = false;
	if (s >= last)
		return s - last;
	if (s + CFQ_BACK_MAX_SECTORS >= last)
		return (last - s) * CFQ_BACK_PENALTY;
	*wrap = true;
	return 0;
}

/*
 * cfq_choose_req: of @r1 and @r2, the request closer to @last ahead of it,
 * a request behind it by up to CFQ_BACK_MAX_SECTORS counting
 * CFQ_BACK_PENALTY times its distance; a request further behind only if
 * both are (then the one furthest behind: one backward seek).
 */
static struct disk_request *cfq_choose_req(struct disk_request *r1, struct disk_request *r2,
                                           uint64_t last)
{
	uint64_t s1, s2, d1, d2;
	bool wrap1, wrap2;

	if (!r1 || r1 == r2)
		return r2;
	if (!r2)
		return r1;
	s1 = r1->sector;
	s2 = r2->sector;
	d1 = cfq_seek_cost(s1, last, &wrap1);
	d2 = cfq_seek_cost(s2, last, &wrap2);

	if (!wrap1 && !wrap2) {
		if (d1 != d2)
			return d1 < d2 ? r1 : r2;
		return s1 >= s2 ? r1 : r2;
	}
	if (wrap1 != wrap2)
		return wrap2 ? r1 : r2;
	return s1 <= s2 ? r1 : r2;
}

/*
 * cfq_find_next_rq: the best of the neighbours of @last, the one after it
 * (or else the lowest) and the one before, seen from @last's sector.
 */
static struct disk_request *cfq_find_next_rq(struct cfq_queue *cq, struct disk_request *last)
{
	struct disk_request *next = sorted_requests_after(&cq->reqs, last);
	struct disk_request *prev = sorted_requests_before(&cq->reqs, last);

	if (!next && sorted_requests_lowest(&cq->reqs) != last)
		next = sorted_requests_lowest(&cq->reqs);
	return cfq_choose_req(next, prev, last->sector);
}

static void rr_append(struct cfq_data *cd, struct cfq_queue *cq)
{
	cq->on_rr = true;
	cq->rr_next = NULL;
	if (cd->rr_tail)
		cd->rr_tail->rr_next = cq;
	else
		cd->rr_head = cq;
	cd->rr_tail = cq;
}

/* cfq_add_rq_rb (and cfq_insert_request's fifo expiry). */
static struct disk_request *cfq_add(void *q, struct disk_request *r, sim_ns now)
{
	struct cfq_data *cd = q;
	struct cfq_queue *cq = cfq_queue_of(cd, r->owner);

	/* cfq_allow_merge: only with a request of the same queue */
	if (cd->merge) {
		enum request_merge how;
		struct disk_request *merged =
		        sorted_requests_merge(&cq->reqs, r, cd->max_pages, &how);

		/* cfq_merged_request: a front merge repositions it, which may make it next_rq */
		if (how == MERGE_FRONT)
			cq->next_rq = cfq_choose_req(cq->next_rq, merged, cd->last_position);
		if (merged)
			return merged;
	}
	r->deadline = now + CFQ_FIFO_EXPIRE_SYNC;
	sorted_requests_insert(&cq->reqs, r);
	cd->queued++;
	if (!cq->on_rr)
		rr_append(cd, cq);
	cq->next_rq = cfq_choose_req(cq->next_rq, r, cd->last_position);
	return r;
}

/*
 * __cfq_slice_expired: the active queue leaves the head of the round robin
 * list, to its back if it still has requests.
 */
static void cfq_slice_expired(struct cfq_data *cd)
{
	struct cfq_queue *cq = cd->active;

	cd->active = NULL;
	cd->rr_head = cq->rr_next;
	if (!cd->rr_head)
		cd->rr_tail = NULL;
	cq->on_rr = false;
	if (cq->reqs.nr) {
		rr_append(cd, cq);
		return;
	}
	/*
	 * Empty and off the list, a queue holds no state (the next activation
	 * resets its slice): freed, as the kernel frees a cfq_queue without
	 * requests once its task is gone; made again at its owner's next request.
	 */
	cd->queues[cq->index] = NULL;
	sorted_requests_release(&cq->reqs);
	free(cq);
}

/* cfq_select_queue, without idling: keep the active queue while its slice lasts and it has requests. */
static struct cfq_queue *cfq_select_queue(struct cfq_data *cd, sim_ns now)
{
	struct cfq_queue *cq = cd->active;

	if (cq) {
		bool slice_used = !cq->slice_new && now >= cq->slice_end; /* cfq_slice_used */

		if (!slice_used && cq->reqs.nr)
			return cq;
		cfq_slice_expired(cd);
	}
	/* __cfq_set_active_queue */
	cq = cd->active = cd->rr_head;
	cq->slice_new = true;
	cq->fifo_checked = false;
	return cq;
}

/* cfq_check_fifo: once per slice, the oldest request if its expiry has come. */
static struct disk_request *cfq_check_fifo(struct cfq_queue *cq, sim_ns now)
{
	struct disk_request *oldest = sorted_requests_oldest(&cq->reqs);

	if (cq->fifo_checked)
		return NULL;
	cq->fifo_checked = true;
	return now >= oldest->deadline ? oldest : NULL;
}

/*
 * cfq_dispatch_requests. The head position is not used: the kernel's cfq
 * knows only where the request it dispatched last ends.
 */
static struct disk_request *cfq_dispatch(void *q, sim_ns now, uint64_t head_sector)
{
	struct cfq_data *cd = q;
	struct cfq_queue *cq;
	struct disk_request *r;

	(void)head_sector;
	if (!cd->queued)
		return NULL;
	cq = cfq_select_queue(cd, now);
	r = cfq_check_fifo(cq, now);
	if (!r)
		r = cq->next_rq;
	/* cfq_dispatch_insert, cfq_activate_request */
	cq->next_rq = cfq_find_next_rq(cq, r);
	sorted_requests_remove(&cq->reqs, r);
	cd->queued--;
	cd->last_position = r->sector + r->nr_pages;
	if (cq->slice_new) {
		cq->slice_new = false;
		cq->slice_end = now + cd->slice;
	}
	return r;
}

static unsigned cfq_queued(const void *q)
{
	const struct cfq_data *cd = q;

	return cd->queued;
}

const struct elevator_ops elevator_cfq = {
	.name = "cfq",
	.doc = "a queue per thread (I/O context), sorted by sector, served round robin for "
	       "slice_ms each "
	       "(2.6.36 cfq-iosched.c, without idling)",
	.create = cfq_create,
	.destroy = cfq_destroy,
	.add = cfq_add,
	.dispatch = cfq_dispatch,
	.queued = cfq_queued,
};
