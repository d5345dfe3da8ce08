/*
 * test_elevator.c - the deadline and cfq I/O schedulers (docs/kernel-model.md#block),
 * driven through their ops with hand-made requests: no device, no engine.
 * Each ordering rule is checked on an exact dispatch order; the last case
 * checks the validation claim, a lower mean seek distance than FIFO
 * for random sectors at queue depth 32.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/elevator.h"
#include "tests/unit/harness.h"

extern const struct elevator_ops elevator_deadline, elevator_cfq;

#define MS NS_PER_MS
#define NR_PAGES 4096
#define NONE UINT64_MAX /* nothing dispatched */

static struct disk_config cfg;
static struct page pages[NR_PAGES]; /* the page of sector s is pages[s % NR_PAGES] */

/* The defaults of 2.6.36: read_expire HZ/2, fifo_batch 16, cfq_slice_sync HZ/10. */
static unsigned max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB; /* of the next configure */

static void configure(unsigned fifo_batch, bool merge)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.read_expire_ms = 500;
	cfg.write_expire_ms = 5000;
	cfg.fifo_batch = fifo_batch;
	cfg.slice_ms = 100;
	cfg.merge = merge;
	cfg.max_sectors_kb = max_sectors_kb;
}

static struct disk_request *new_request(uint64_t sector, unsigned nr, int owner, sim_ns at)
{
	struct disk_request *r = calloc(1, sizeof(*r) + DISK_MAX_PAGES * sizeof(r->pages[0]));

	if (!r)
		abort();
	r->sector = sector;
	r->nr_pages = nr;
	r->owner = owner;
	r->submit = at;
	for (unsigned i = 0; i < nr; i++)
		r->pages[i] = &pages[(sector + i) % NR_PAGES];
	return r;
}

/* Queues a request of @nr pages at @sector; returns the queued request it joined, or itself. */
static struct disk_request *add(const struct elevator_ops *ops, void *q, uint64_t sector,
                                unsigned nr, int owner, sim_ns at)
{
	struct disk_request *r = new_request(sector, nr, owner, at);
	struct disk_request *got = ops->add(q, r, at);

	if (got != r)
		free(r);
	return got;
}

/* The sector of the request dispatched at @now, NONE if none. */
static uint64_t dispatch(const struct elevator_ops *ops, void *q, sim_ns now)
{
	struct disk_request *r = ops->dispatch(q, now, 0);
	uint64_t sector = r ? r->sector : NONE;

	free(r);
	return sector;
}

/* Dispatches every queued request at @now and checks their sectors against @want. */
static void check_order(const struct elevator_ops *ops, void *q, sim_ns now, const uint64_t *want,
                        unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		CHECK_EQ(dispatch(ops, q, now), want[i]);
	CHECK_EQ(ops->queued(q), 0);
	CHECK_EQ(dispatch(ops, q, now), NONE);
}

#define ORDER(ops, q, now, ...)                                                                    \
	check_order(ops, q, now, (const uint64_t[]){ __VA_ARGS__ },                                \
	            sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

/* ---- deadline ---- */

/* No batch yet: the oldest request starts one, which then ascends in sector order. */
static void deadline_batch_starts_at_oldest_then_ascends(void)
{
	void *q;

	configure(16, false);
	q = elevator_deadline.create(&cfg);
	add(&elevator_deadline, q, 50, 1, 0, 0);
	add(&elevator_deadline, q, 10, 1, 0, 0);
	add(&elevator_deadline, q, 30, 1, 0, 0);
	add(&elevator_deadline, q, 20, 1, 0, 0);
	add(&elevator_deadline, q, 40, 1, 0, 0);
	CHECK_EQ(elevator_deadline.queued(q), 5);
	/* 50 has no successor: the next batch starts again from the oldest, 10 */
	ORDER(&elevator_deadline, q, 1 * MS, 50, 10, 20, 30, 40);
	elevator_deadline.destroy(q);
}

/* Out of higher sectors, deadline does not wrap to the lowest one but restarts from the oldest. */
static void deadline_without_successor_restarts_from_oldest(void)
{
	void *q;

	configure(16, false);
	q = elevator_deadline.create(&cfg);
	add(&elevator_deadline, q, 50, 1, 0, 0);
	add(&elevator_deadline, q, 30, 1, 0, 1 * MS);
	add(&elevator_deadline, q, 10, 1, 0, 2 * MS);
	add(&elevator_deadline, q, 40, 1, 0, 3 * MS);
	/* a wrap to the lowest sector would give 50, 10, 30, 40 */
	ORDER(&elevator_deadline, q, 4 * MS, 50, 30, 40, 10);
	elevator_deadline.destroy(q);
}

/* next_rq is fixed when a request is dispatched: a later one between the two waits. */
static void deadline_batch_follows_successor_chosen_at_dispatch(void)
{
	void *q;

	configure(16, false);
	q = elevator_deadline.create(&cfg);
	add(&elevator_deadline, q, 10, 1, 0, 0);
	add(&elevator_deadline, q, 30, 1, 0, 0);
	CHECK_EQ(dispatch(&elevator_deadline, q, 0), 10);
	add(&elevator_deadline, q, 20, 1, 0, 1 * MS);
	ORDER(&elevator_deadline, q, 2 * MS, 30, 20);
	elevator_deadline.destroy(q);
}

/*
 * The batch fixture: 100 at 0, 5 at 1 ms (expiring at 501 ms), 110..150 at
 * 2 ms. The oldest, 100, starts the first batch; 5 lies behind it.
 */
static void *batch_fixture(unsigned fifo_batch)
{
	void *q;

	configure(fifo_batch, false);
	q = elevator_deadline.create(&cfg);
	add(&elevator_deadline, q, 100, 1, 0, 0);
	add(&elevator_deadline, q, 5, 1, 0, 1 * MS);
	for (uint64_t s = 110; s <= 150; s += 10)
		add(&elevator_deadline, q, s, 1, 0, 2 * MS);
	return q;
}

/* An expired request takes over only when a batch of fifo_batch requests ends. */
static void deadline_expired_request_starts_next_batch(void)
{
	void *q = batch_fixture(3);

	/* 5 expired at 501 ms, and waits for the end of the batch 100, 110, 120 */
	ORDER(&elevator_deadline, q, 600 * MS, 100, 110, 120, 5, 130, 140, 150);
	elevator_deadline.destroy(q);

	q = batch_fixture(3);
	/* time_after(jiffies, fifo_time): not expired at its expiry instant */
	ORDER(&elevator_deadline, q, 501 * MS, 100, 110, 120, 130, 140, 150, 5);
	elevator_deadline.destroy(q);

	q = batch_fixture(3);
	ORDER(&elevator_deadline, q, 501 * MS + 1, 100, 110, 120, 5, 130, 140, 150);
	elevator_deadline.destroy(q);
}

/* fifo_batch bounds a batch: a longer one rides over the expired request. */
static void deadline_batch_limit(void)
{
	void *q = batch_fixture(16);

	ORDER(&elevator_deadline, q, 600 * MS, 100, 110, 120, 130, 140, 150, 5);
	elevator_deadline.destroy(q);

	q = batch_fixture(1);
	/* each request a batch: the expired ones go in arrival order */
	ORDER(&elevator_deadline, q, 600 * MS, 100, 5, 110, 120, 130, 140, 150);
	elevator_deadline.destroy(q);
}

/* A request starting where a queued one ends joins it: pages appended, deadline kept. */
static void deadline_back_merge(void)
{
	struct disk_request *first, *r;
	void *q;

	configure(16, true);
	q = elevator_deadline.create(&cfg);
	first = add(&elevator_deadline, q, 10, 4, 0, 0);
	r = new_request(14, 2, 1, 100 * MS);
	CHECK(elevator_deadline.add(q, r, 100 * MS) == first);
	CHECK_EQ(r->nr_pages, 0);
	free(r);
	CHECK_EQ(elevator_deadline.queued(q), 1);
	CHECK_EQ(first->sector, 10);
	CHECK_EQ(first->nr_pages, 6);
	for (unsigned i = 0; i < 6; i++)
		CHECK(first->pages[i] == &pages[10 + i]);
	CHECK_EQ(first->deadline, 500 * MS);
	ORDER(&elevator_deadline, q, 0, 10);
	elevator_deadline.destroy(q);
}

/* A request ending where a queued one starts joins it: pages prepended, deadline kept. */
static void deadline_front_merge(void)
{
	struct disk_request *first;
	void *q;

	configure(16, true);
	q = elevator_deadline.create(&cfg);
	first = add(&elevator_deadline, q, 20, 2, 0, 0);
	CHECK(add(&elevator_deadline, q, 17, 3, 0, 100 * MS) == first);
	CHECK_EQ(elevator_deadline.queued(q), 1);
	CHECK_EQ(first->sector, 17);
	CHECK_EQ(first->nr_pages, 5);
	for (unsigned i = 0; i < 5; i++)
		CHECK(first->pages[i] == &pages[17 + i]);
	CHECK_EQ(first->deadline, 500 * MS);
	elevator_deadline.destroy(q);
}

/* Between two queued requests, the back merge is tried first; the two stay apart. */
static void deadline_back_merge_before_front(void)
{
	struct disk_request *a, *c;
	void *q;

	configure(16, true);
	q = elevator_deadline.create(&cfg);
	a = add(&elevator_deadline, q, 10, 4, 0, 0);
	c = add(&elevator_deadline, q, 16, 4, 0, 0);
	CHECK(add(&elevator_deadline, q, 14, 2, 0, 0) == a);
	CHECK_EQ(a->nr_pages, 6);
	CHECK_EQ(c->sector, 16);
	CHECK_EQ(c->nr_pages, 4);
	CHECK_EQ(elevator_deadline.queued(q), 2);
	elevator_deadline.destroy(q);
}

/* Whether a request of @nr at @sector joins a queued one of @queued_nr at @queued_sector. */
static bool merges(const struct elevator_ops *ops, bool merge, uint64_t queued_sector,
                   unsigned queued_nr, uint64_t sector, unsigned nr)
{
	void *q;
	bool merged;

	configure(16, merge);
	q = ops->create(&cfg);
	add(ops, q, queued_sector, queued_nr, 0, 0);
	add(ops, q, sector, nr, 0, 0);
	merged = ops->queued(q) == 1;
	ops->destroy(q);
	return merged;
}

/* A merge makes at most max_sectors_kb; only adjacent requests merge; merge off: none. */
static void merge_page_limit_and_adjacency(void)
{
	const struct elevator_ops *ops[] = { &elevator_deadline, &elevator_cfq };
	const unsigned max = DISK_DEFAULT_MAX_SECTORS_KB / 4;

	for (unsigned i = 0; i < 2; i++) {
		CHECK(merges(ops[i], true, 0, max - 1, max - 1, 1));
		CHECK(!merges(ops[i], true, 0, max - 1, max - 1, 2));
		max_sectors_kb = 4096; /* 6.17's cap: four times the default's requests */
		CHECK(merges(ops[i], true, 0, 4 * max - 1, 4 * max - 1, 1));
		CHECK(!merges(ops[i], true, 0, 4 * max - 1, 4 * max - 1, 2));
		max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
		CHECK(merges(ops[i], true, 1000, 200, 1000 - 56, 56));
		CHECK(!merges(ops[i], true, 1000, 200, 1000 - 57, 57));
		CHECK(!merges(ops[i], true, 10, 4, 15, 1)); /* a gap */
		CHECK(!merges(ops[i], true, 10, 4, 5, 4));  /* a gap */
		CHECK(!merges(ops[i], false, 10, 4, 14, 1));
		CHECK(!merges(ops[i], false, 10, 4, 6, 4));
	}
}

/* ---- cfq ---- */

/* One process: its requests in sector order from the head position. */
static void cfq_process_queue_in_sector_order(void)
{
	void *q;

	configure(16, false);
	q = elevator_cfq.create(&cfg);
	add(&elevator_cfq, q, 50, 1, 0, 0);
	add(&elevator_cfq, q, 10, 1, 0, 0);
	add(&elevator_cfq, q, 30, 1, 0, 0);
	ORDER(&elevator_cfq, q, 0, 10, 30, 50);
	elevator_cfq.destroy(q);
}

/* A cfq queue whose head has just served one request at @sector (it ends at @sector + 1). */
static void *cfq_after(uint64_t sector)
{
	void *q = elevator_cfq.create(&cfg);

	add(&elevator_cfq, q, sector, 1, 0, 0);
	CHECK_EQ(dispatch(&elevator_cfq, q, 0), sector);
	return q;
}

/* cfq_choose_req: a short backward seek costs twice its distance. */
static void cfq_short_back_seek_counts_twice(void)
{
	void *q;

	configure(16, false);
	q = cfq_after(1000);                  /* the head ends at 1001 */
	add(&elevator_cfq, q, 980, 1, 0, 0);  /* 2 * 21 = 42 behind */
	add(&elevator_cfq, q, 1050, 1, 0, 0); /* 49 ahead */
	ORDER(&elevator_cfq, q, 0, 980, 1050);
	elevator_cfq.destroy(q);

	q = cfq_after(1000);
	add(&elevator_cfq, q, 970, 1, 0, 0); /* 2 * 31 = 62 behind */
	add(&elevator_cfq, q, 1050, 1, 0, 0);
	ORDER(&elevator_cfq, q, 0, 1050, 970);
	elevator_cfq.destroy(q);
}

/*
 * Beyond cfq_back_max (16 MiB, 4096 sectors) behind, a request waits for
 * the ones ahead; with none ahead, the furthest behind goes first.
 */
static void cfq_long_back_seek_only_when_nothing_ahead(void)
{
	void *q;

	configure(16, false);
	q = cfq_after(10000);
	add(&elevator_cfq, q, 6000, 1, 0, 0);  /* 4001 behind: within */
	add(&elevator_cfq, q, 5000, 1, 0, 0);  /* 5001 behind: beyond */
	add(&elevator_cfq, q, 30000, 1, 0, 0); /* 19999 ahead */
	/* 6000: 2 * 4001 < 19999; then from 6000, 30000 (24000 ahead) against 5000 (2 * 1000) */
	ORDER(&elevator_cfq, q, 0, 6000, 5000, 30000);
	elevator_cfq.destroy(q);

	q = cfq_after(10000);
	add(&elevator_cfq, q, 5000, 1, 0, 0); /* both beyond */
	add(&elevator_cfq, q, 5500, 1, 0, 0);
	add(&elevator_cfq, q, 30000, 1, 0, 0);
	add(&elevator_cfq, q, 20000, 1, 0, 0);
	/* after 30000 both are far behind: the further one first, one backward seek */
	ORDER(&elevator_cfq, q, 0, 20000, 30000, 5000, 5500);
	elevator_cfq.destroy(q);
}

/* The active queue keeps the device for slice_ms, then the next process's queue. */
static void cfq_round_robin_after_slice(void)
{
	void *q;

	configure(16, false);
	q = elevator_cfq.create(&cfg);
	add(&elevator_cfq, q, 10, 1, 0, 0);
	add(&elevator_cfq, q, 20, 1, 0, 0);
	add(&elevator_cfq, q, 30, 1, 0, 0);
	add(&elevator_cfq, q, 500, 1, -1, 0); /* no owner: a queue of its own */
	add(&elevator_cfq, q, 510, 1, -1, 0);
	CHECK_EQ(dispatch(&elevator_cfq, q, 0), 10); /* the slice ends at 100 ms */
	CHECK_EQ(dispatch(&elevator_cfq, q, 100 * MS - 1), 20);
	CHECK_EQ(dispatch(&elevator_cfq, q, 100 * MS), 500); /* slice used */
	CHECK_EQ(dispatch(&elevator_cfq, q, 150 * MS), 510);
	CHECK_EQ(dispatch(&elevator_cfq, q, 160 * MS), 30); /* emptied: no idling */
	CHECK_EQ(elevator_cfq.queued(q), 0);
	elevator_cfq.destroy(q);
}

/* A queue that becomes busy goes behind the busy ones; an expired one behind it. */
static void cfq_busy_queues_served_in_turn(void)
{
	void *q;

	configure(16, false);
	q = elevator_cfq.create(&cfg);
	add(&elevator_cfq, q, 10, 1, 0, 0);
	add(&elevator_cfq, q, 20, 1, 0, 0);
	add(&elevator_cfq, q, 500, 1, 1, 0);
	add(&elevator_cfq, q, 510, 1, 1, 0);
	CHECK_EQ(dispatch(&elevator_cfq, q, 0), 10);
	add(&elevator_cfq, q, 900, 1, 2, 50 * MS);
	CHECK_EQ(dispatch(&elevator_cfq, q, 100 * MS), 500); /* 0 to the back: 1, 2, 0 */
	CHECK_EQ(dispatch(&elevator_cfq, q, 200 * MS), 900); /* 1 to the back: 2, 0, 1 */
	CHECK_EQ(dispatch(&elevator_cfq, q, 201 * MS), 20);
	CHECK_EQ(dispatch(&elevator_cfq, q, 202 * MS), 510);
	CHECK_EQ(dispatch(&elevator_cfq, q, 203 * MS), NONE);
	elevator_cfq.destroy(q);
}

/* cfq_check_fifo: once per slice, a request past its 125 ms expiry goes first. */
static void cfq_fifo_expiry_once_per_slice(void)
{
	void *q;

	configure(16, false);
	q = elevator_cfq.create(&cfg);
	add(&elevator_cfq, q, 100, 1, 0, 0);
	add(&elevator_cfq, q, 10, 1, 0, 1 * MS);
	add(&elevator_cfq, q, 20, 1, 0, 2 * MS);
	ORDER(&elevator_cfq, q, 124 * MS, 10, 20, 100);
	elevator_cfq.destroy(q);

	q = elevator_cfq.create(&cfg);
	add(&elevator_cfq, q, 100, 1, 0, 0);
	add(&elevator_cfq, q, 10, 1, 0, 1 * MS);
	add(&elevator_cfq, q, 20, 1, 0, 2 * MS);
	/* 100 expired at 125 ms; then 10 has too, but the fifo is checked once: 20 is nearer */
	ORDER(&elevator_cfq, q, 200 * MS, 100, 20, 10);
	elevator_cfq.destroy(q);
}

/* cfq_allow_merge: requests merge only within one process's queue. */
static void cfq_merges_within_a_process(void)
{
	struct disk_request *first;
	void *q;

	configure(16, true);
	q = elevator_cfq.create(&cfg);
	first = add(&elevator_cfq, q, 10, 2, 0, 0);
	add(&elevator_cfq, q, 12, 1, 1, 0);
	CHECK_EQ(elevator_cfq.queued(q), 2);
	CHECK(add(&elevator_cfq, q, 8, 2, 0, 0) == first);
	CHECK_EQ(first->sector, 8);
	CHECK_EQ(first->nr_pages, 4);
	CHECK_EQ(elevator_cfq.queued(q), 2);
	elevator_cfq.destroy(q);
}

/* ---- validation: seek distance at queue depth 32 ---- */

#define DEPTH 32
#define CAPACITY (1u << 24) /* sectors: 64 GiB */
#define DISPATCHES 20000
#define STEP (5 * MS) /* one dispatch per 5 ms, as a disk busy with random reads */

static uint64_t rng_state;

static uint64_t random_sector(void)
{
	/* xorshift64: the same stream for every elevator */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % CAPACITY;
}

/*
 * The mean distance between the end of one dispatched request and the start
 * of the next, DEPTH requests always queued, each dispatch replaced by a new
 * random read. @ops NULL: FIFO, the arrival order.
 */
static double mean_seek(const struct elevator_ops *ops, int owners)
{
	uint64_t fifo[DEPTH], head = 0;
	double total = 0;
	void *q = NULL;
	sim_ns now = 0;

	configure(16, false);
	rng_state = 88172645463325252ull;
	if (ops)
		q = ops->create(&cfg);
	for (unsigned i = 0; i < DEPTH; i++) {
		if (ops)
			add(ops, q, random_sector(), 1, (int)i % owners, now);
		else
			fifo[i] = random_sector();
	}
	for (unsigned i = 0; i < DISPATCHES; i++) {
		uint64_t sector;

		now += STEP;
		if (ops) {
			sector = dispatch(ops, q, now);
			add(ops, q, random_sector(), 1, (int)i % owners, now);
		} else {
			sector = fifo[i % DEPTH];
			fifo[i % DEPTH] = random_sector();
		}
		total += fabs((double)sector - (double)head);
		head = sector + 1;
	}
	if (ops)
		ops->destroy(q);
	return total / DISPATCHES;
}

static void sorting_shortens_seeks_at_depth_32(void)
{
	double fifo = mean_seek(NULL, 1), deadline = mean_seek(&elevator_deadline, 1);
	double cfq = mean_seek(&elevator_cfq, 1), cfq4 = mean_seek(&elevator_cfq, 4);

	printf("  mean seek (sectors of %u): fifo %.0f, deadline %.0f, cfq %.0f, cfq 4 processes "
	       "%.0f\n",
	       CAPACITY, fifo, deadline, cfq, cfq4);
	/* FIFO: two independent uniform positions, a third of the disk apart */
	CHECK(fabs(fifo / (CAPACITY / 3.0) - 1) < 0.02);
	CHECK(deadline < fifo / 4);
	CHECK(cfq < fifo / 4);
	CHECK(cfq4 < fifo);
}

int main(void)
{
	TEST(deadline_batch_starts_at_oldest_then_ascends);
	TEST(deadline_without_successor_restarts_from_oldest);
	TEST(deadline_batch_follows_successor_chosen_at_dispatch);
	TEST(deadline_expired_request_starts_next_batch);
	TEST(deadline_batch_limit);
	TEST(deadline_back_merge);
	TEST(deadline_front_merge);
	TEST(deadline_back_merge_before_front);
	TEST(merge_page_limit_and_adjacency);
	TEST(cfq_process_queue_in_sector_order);
	TEST(cfq_short_back_seek_counts_twice);
	TEST(cfq_long_back_seek_only_when_nothing_ahead);
	TEST(cfq_round_robin_after_slice);
	TEST(cfq_busy_queues_served_in_turn);
	TEST(cfq_fifo_expiry_once_per_slice);
	TEST(cfq_merges_within_a_process);
	TEST(sorting_shortens_seeks_at_depth_32);
	return harness_failures != 0;
}
