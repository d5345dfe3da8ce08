/*
 * elevator_deadline.c - PLACEHOLDER until the deadline elevator lands: behaves as fifo
 * (models/elevator.c) so that the table links. Dropped at merge.
 */
#include "models/elevator.h"

extern const struct elevator_ops elevator_fifo, elevator_deadline;

static void *deadline_create(const struct disk_config *cfg)
{
	return elevator_fifo.create(cfg);
}

static void deadline_destroy(void *q)
{
	elevator_fifo.destroy(q);
}

static struct disk_request *deadline_add(void *q, struct disk_request *r, sim_ns now)
{
	return elevator_fifo.add(q, r, now);
}

static struct disk_request *deadline_dispatch(void *q, sim_ns now, uint64_t head_sector)
{
	return elevator_fifo.dispatch(q, now, head_sector);
}

static unsigned deadline_queued(const void *q)
{
	return elevator_fifo.queued(q);
}

const struct elevator_ops elevator_deadline = {
	.name = "deadline",
	.doc = "placeholder: fifo",
	.create = deadline_create,
	.destroy = deadline_destroy,
	.add = deadline_add,
	.dispatch = deadline_dispatch,
	.queued = deadline_queued,
};
