/*
 * elevator.c - the elevators' table and fifo, the noop elevator
 * (block/noop-iosched.c, 2.6.36): requests leave in submission order. It
 * never merges, so that the defaults give the results of the model before
 * issue 15 (docs/kernel-model.md#block).
 */
#include <stdlib.h>

#include "models/elevator.h"

/* The other elevators, each in its file (models/elevator_<name>.c). */
extern const struct elevator_ops elevator_fifo, elevator_deadline, elevator_cfq;

struct fifo_queue {
	struct disk_request *head, *tail;
	unsigned nr;
};

static void *fifo_create(const struct disk_config *cfg)
{
	(void)cfg;
	return calloc(1, sizeof(struct fifo_queue));
}

static void fifo_destroy(void *q)
{
	struct fifo_queue *f = q;

	while (f->head) {
		struct disk_request *r = f->head;

		f->head = r->next;
		free(r);
	}
	free(f);
}

static struct disk_request *fifo_add(void *q, struct disk_request *r, sim_ns now)
{
	struct fifo_queue *f = q;

	(void)now;
	disk_request_append(&f->head, &f->tail, r);
	f->nr++;
	return r;
}

static struct disk_request *fifo_dispatch(void *q, sim_ns now, uint64_t head_sector)
{
	struct fifo_queue *f = q;
	struct disk_request *r = f->head;

	(void)now;
	(void)head_sector;
	if (!r)
		return NULL;
	f->head = r->next;
	if (!f->head)
		f->tail = NULL;
	f->nr--;
	r->next = NULL;
	return r;
}

static unsigned fifo_queued(const void *q)
{
	return ((const struct fifo_queue *)q)->nr;
}

const struct elevator_ops elevator_fifo = {
	.name = "fifo",
	.doc = "submission order, no merging (noop)",
	.create = fifo_create,
	.destroy = fifo_destroy,
	.add = fifo_add,
	.dispatch = fifo_dispatch,
	.queued = fifo_queued,
};

const struct elevator_ops *const elevators[] = { &elevator_fifo, &elevator_deadline, &elevator_cfq,
	                                         NULL };
