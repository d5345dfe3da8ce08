/*
 * elevator_sort.c - the sector-sorted and arrival-ordered views of a sorting
 * elevator's queued requests, and bio merging (docs/kernel-model.md#block).
 *
 * Sorted arrays rather than the kernel's rbtree and list: an elevator holds
 * at most a few hundred requests here, and arrays keep the order exact and
 * the code short.
 */
#include <stdlib.h>
#include <string.h>

#include "models/elevator_sort.h"

void sorted_requests_release(struct sorted_requests *s)
{
	for (unsigned i = 0; i < s->nr; i++)
		free(s->by_sector[i]);
	free(s->by_sector);
	free(s->by_arrival);
	memset(s, 0, sizeof(*s));
}

/* The index of the first queued request whose sector is at least @sector. */
static unsigned first_at_or_above(const struct sorted_requests *s, uint64_t sector)
{
	unsigned lo = 0, hi = s->nr;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (s->by_sector[mid]->sector < sector)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static unsigned index_of(const struct sorted_requests *s, const struct disk_request *r)
{
	unsigned i = first_at_or_above(s, r->sector);

	while (s->by_sector[i] != r)
		i++;
	return i;
}

static struct disk_request **grow(struct disk_request **v, unsigned cap)
{
	v = realloc(v, cap * sizeof(*v));
	if (!v)
		abort();
	return v;
}

void sorted_requests_insert(struct sorted_requests *s, struct disk_request *r)
{
	unsigned i;

	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->by_sector = grow(s->by_sector, s->cap);
		s->by_arrival = grow(s->by_arrival, s->cap);
	}
	/* after any request at the same sector: an alias is served in arrival order */
	for (i = first_at_or_above(s, r->sector); i < s->nr && s->by_sector[i]->sector == r->sector;
	     i++)
		;
	memmove(&s->by_sector[i + 1], &s->by_sector[i], (s->nr - i) * sizeof(*s->by_sector));
	s->by_sector[i] = r;
	s->by_arrival[s->nr++] = r;
}

void sorted_requests_remove(struct sorted_requests *s, struct disk_request *r)
{
	unsigned i = index_of(s, r), j = 0;

	memmove(&s->by_sector[i], &s->by_sector[i + 1], (s->nr - i - 1) * sizeof(*s->by_sector));
	while (s->by_arrival[j] != r)
		j++;
	memmove(&s->by_arrival[j], &s->by_arrival[j + 1], (s->nr - j - 1) * sizeof(*s->by_arrival));
	s->nr--;
}

struct disk_request *sorted_requests_after(const struct sorted_requests *s,
                                           const struct disk_request *r)
{
	unsigned i = index_of(s, r);

	return i + 1 < s->nr ? s->by_sector[i + 1] : NULL;
}

struct disk_request *sorted_requests_before(const struct sorted_requests *s,
                                            const struct disk_request *r)
{
	unsigned i = index_of(s, r);

	return i > 0 ? s->by_sector[i - 1] : NULL;
}

/*
 * 2.6.36 elv_merge (block/elevator.c): a back merge through the request
 * hash, then the elevator's front merge (deadline_merge, cfq_merge); the
 * size limit is ll_back_merge_fn's and ll_front_merge_fn's max_sectors
 * (block/blk-merge.c), the disk's max_pages here.
 */
struct disk_request *sorted_requests_merge(struct sorted_requests *s, struct disk_request *r,
                                           unsigned max_pages, enum request_merge *how)
{
	unsigned i = first_at_or_above(s, r->sector);
	struct disk_request *q;

	if (i > 0) {
		q = s->by_sector[i - 1];
		if (q->sector + q->nr_pages == r->sector &&
		    q->nr_pages + r->nr_pages <= max_pages) {
			memcpy(&q->pages[q->nr_pages], r->pages, r->nr_pages * sizeof(*r->pages));
			q->nr_pages += r->nr_pages;
			r->nr_pages = 0;
			*how = MERGE_BACK;
			return q;
		}
	}
	if (i < s->nr) {
		q = s->by_sector[i];
		if (q->sector == r->sector + r->nr_pages &&
		    q->nr_pages + r->nr_pages <= max_pages) {
			memmove(&q->pages[r->nr_pages], q->pages, q->nr_pages * sizeof(*q->pages));
			memcpy(q->pages, r->pages, r->nr_pages * sizeof(*r->pages));
			q->nr_pages += r->nr_pages;
			q->sector = r->sector;
			r->nr_pages = 0;
			*how = MERGE_FRONT;
			return q;
		}
	}
	*how = MERGE_NONE;
	return NULL;
}
