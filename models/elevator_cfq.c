/*
 * elevator_cfq.c - PLACEHOLDER until the cfq elevator lands: behaves as fifo
 * (models/elevator.c) so that the table links. Dropped at merge.
 */
#include "models/elevator.h"

extern const struct elevator_ops elevator_fifo, elevator_cfq;

static void *cfq_create(const struct disk_config *cfg)
{
	return elevator_fifo.create(cfg);
}

static void cfq_destroy(void *q)
{
	elevator_fifo.destroy(q);
}

static struct disk_request *cfq_add(void *q, struct disk_request *r, sim_ns now)
{
	return elevator_fifo.add(q, r, now);
}

static struct disk_request *cfq_dispatch(void *q, sim_ns now, uint64_t head_sector)
{
	return elevator_fifo.dispatch(q, now, head_sector);
}

static unsigned cfq_queued(const void *q)
{
	return elevator_fifo.queued(q);
}

const struct elevator_ops elevator_cfq = {
	.name = "cfq",
	.doc = "placeholder: fifo",
	.create = cfq_create,
	.destroy = cfq_destroy,
	.add = cfq_add,
	.dispatch = cfq_dispatch,
	.queued = cfq_queued,
};
