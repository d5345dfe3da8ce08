/*
 * elevator.h - the host-side request queue of a block device (the I/O
 * scheduler, docs/kernel-model.md#block), one implementation per
 * enum disk_scheduler, chosen by disk_config.scheduler.
 *
 * The device (models/disk.c) adds each submitted request, and asks for the
 * next one whenever it has room (queue_depth); an elevator never blocks and
 * never samples a random number: it only orders (and may merge) requests.
 */
#ifndef MODELS_ELEVATOR_H
#define MODELS_ELEVATOR_H

#include "models/disk.h"

struct elevator_ops {
	const char *name; /* the value of "scheduler" */
	const char *doc;
	/* A queue for a device configured by @cfg (borrowed); NULL: out of memory. */
	void *(*create)(const struct disk_config *cfg);
	/* Frees the queue and every request still in it. */
	void (*destroy)(void *q);
	/*
	 * Queues @r at @now. If the elevator merges it into a queued request
	 * (contiguous sectors, same direction, room for the pages), it returns
	 * that request, and @r (its pages moved over) goes back to the caller
	 * for reuse; else it returns @r.
	 */
	struct disk_request *(*add)(void *q, struct disk_request *r, sim_ns now);
	/* The next request to hand to the device at @now, or NULL if none is queued. */
	struct disk_request *(*dispatch)(void *q, sim_ns now, uint64_t head_sector);
	/* Requests queued (not yet dispatched). */
	unsigned (*queued)(const void *q);
};

/* @r at the tail of the request list @head..@tail (NULL, NULL: empty). */
static inline void disk_request_append(struct disk_request **head, struct disk_request **tail,
                                       struct disk_request *r)
{
	r->next = NULL;
	if (*tail)
		(*tail)->next = r;
	else
		*head = r;
	*tail = r;
}

/* Indexed by enum disk_scheduler, NULL-terminated. */
extern const struct elevator_ops *const elevators[];

#endif
