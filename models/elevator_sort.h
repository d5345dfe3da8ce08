/*
 * elevator_sort.h - the queued requests of a sorting elevator (deadline,
 * cfq; docs/kernel-model.md#block): the kernel's two views of one set, a
 * sector-sorted one (the rbtree sort_list) and an arrival-ordered one (the
 * fifo_list), and the bio merging both elevators share.
 *
 * Requests never overlap (each page is locked while its read is queued), so
 * a sector identifies a queued request and a merge never reorders the set.
 */
#ifndef MODELS_ELEVATOR_SORT_H
#define MODELS_ELEVATOR_SORT_H

#include "models/disk.h"

struct sorted_requests {
	struct disk_request **by_sector;  /* owned array, ascending sector */
	struct disk_request **by_arrival; /* owned array, oldest first */
	unsigned nr, cap;
};

enum request_merge { MERGE_NONE, MERGE_BACK, MERGE_FRONT };

void sorted_requests_release(struct sorted_requests *s); /* frees the requests too */
void sorted_requests_insert(struct sorted_requests *s, struct disk_request *r);
void sorted_requests_remove(struct sorted_requests *s, struct disk_request *r);

/* The neighbours of queued @r in sector order, NULL at either end. */
struct disk_request *sorted_requests_after(const struct sorted_requests *s,
                                           const struct disk_request *r);
struct disk_request *sorted_requests_before(const struct sorted_requests *s,
                                            const struct disk_request *r);

static inline struct disk_request *sorted_requests_lowest(const struct sorted_requests *s)
{
	return s->nr ? s->by_sector[0] : NULL;
}

static inline struct disk_request *sorted_requests_oldest(const struct sorted_requests *s)
{
	return s->nr ? s->by_arrival[0] : NULL;
}

/*
 * Moves @r's pages into the queued request they continue (back merge: it
 * ends where @r starts) or precede (front merge: it starts where @r ends),
 * the back merge tried first, if the result holds at most @max_pages.
 * The queued request keeps its place in both orders and its (earlier)
 * deadline. Returns it, and how in @how; NULL if none.
 */
struct disk_request *sorted_requests_merge(struct sorted_requests *s, struct disk_request *r,
                                           unsigned max_pages, enum request_merge *how);

#endif
