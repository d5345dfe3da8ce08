/*
 * test_disk.c - the block device (docs/kernel-model.md#block): one request in service at a time,
 * strict FIFO, service = service_ms + (pages - 1) * page_transfer_us, and the
 * end_io of a read (pages up to date, unlocked, waiters woken, I/O reference
 * dropped); the queue accounting and the disk records. Constant service
 * times, so every instant is exact.
 */
#include "models/disk.h"
#include "tests/unit/harness.h"

#define S 1000000 /* service_ms = 1 */
#define P 10000   /* page_transfer_us = 10 */
#define W 7       /* wake-up latency of page waiters */

static struct pagecache pc;
static struct disk disk;
static struct disk_config cfg;
static struct dist wakeup;
static struct inode ino = { .id = 1, .pages = 1 << 20 };
static struct recorder *rec;

struct req {
	sim_ns at; /* submit instant */
	unsigned nr;
	struct page *pages[DISK_MAX_PAGES];
	sim_ns woken;  /* when the submitter, waiting on its last page, ran */
	bool all_done; /* every page up to date and unlocked by then */
	unsigned refs; /* references left on the pages by then */
};

static struct req reqs[4];
static unsigned nr_reqs;
static uint64_t next_index;

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void disk_setup_common(void)
{
	wakeup = dist_const(W, 1);
	cfg.scheduler = DISK_FIFO;
	cfg.service_ms = dist_const(1, NS_PER_MS);
	cfg.page_transfer_us = dist_const(10, NS_PER_US);
	pagecache_init(&pc, 1 << 12, &wakeup);
	disk_init(&disk, &cfg, &pc, DISK_DEVICE_MAIN);
	nr_reqs = 0;
	next_index = 0;
}

/* A request of @nr fresh pages (locked, one reference for the I/O). */
static struct req *new_req(sim_ns at, unsigned nr)
{
	struct req *r = &reqs[nr_reqs++];

	r->at = at;
	r->nr = nr;
	for (unsigned i = 0; i < nr; i++)
		r->pages[i] = add_to_page_cache_locked(&pc, &ino, next_index++);
	return r;
}

/* Submits its request at r->at, then sleeps until its last page is read. */
static void submitter_main(struct task *t)
{
	struct req *r = task_data(t);

	rec = ((struct record_ctx *)task_owner(t))->rec;
	task_sleep(t, r->at);
	disk_submit(&disk, t, r->pages, r->nr);
	wait_on_page_locked(&pc, r->pages[r->nr - 1], t);
	r->woken = task_now(t);
	r->all_done = true;
	r->refs = 0;
	for (unsigned i = 0; i < r->nr; i++) {
		r->all_done &= r->pages[i]->uptodate && !r->pages[i]->locked;
		r->refs += r->pages[i]->refs;
	}
	park(t);
}

/* ---- FIFO order and exact service times */

/* Probes the device between the events of fifo_setup. */
static const sim_ns probe_at[] = {
	5, 15, 25, S + 5, 2 * S + 3 * P - 1, 2 * S + 3 * P + 5, 3 * S + 3 * P + 1
};
#define NR_PROBES (sizeof(probe_at) / sizeof(probe_at[0]))
static unsigned probe_in_device[NR_PROBES], probe_rec_in_device[NR_PROBES];
static bool probe_idle[NR_PROBES], probe_b_locked[NR_PROBES], probe_c_uptodate[NR_PROBES];

static void probe_main(struct task *t)
{
	for (unsigned i = 0; i < NR_PROBES; i++) {
		task_sleep(t, probe_at[i] - task_now(t));
		probe_in_device[i] = disk.in_device;
		probe_rec_in_device[i] = (unsigned)rec->devices[DISK_DEVICE_MAIN].in_device.level;
		probe_idle[i] = disk.idle;
		probe_b_locked[i] = reqs[1].pages[0]->locked;
		probe_c_uptodate[i] = reqs[2].pages[0]->uptodate;
	}
	park(t);
}

/*
 * A: 1 page at 0; B: 4 pages at 10; C: 1 page at 20. C is the shortest but
 * waits for B: A ends at S, B at S + S + 3P, C at 2S + 3P + S.
 */
static void fifo_setup(struct engine *e)
{
	disk_setup_common();
	new_req(0, 1);
	new_req(10, 4);
	new_req(20, 1);
	sim_spawn(e, "disk", disk_main, &disk);
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
	sim_spawn(e, "probe", probe_main, NULL);
}

static const sim_ns fifo_done[] = { S, 2 * S + 3 * P, 3 * S + 3 * P };

static void fifo_verify(void)
{
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(reqs[i].woken, fifo_done[i] + W);
		CHECK(reqs[i].all_done);
		CHECK_EQ(reqs[i].refs, 0); /* the I/O's reference is dropped */
	}
}

static void requests_served_fifo_with_exact_service_times(void)
{
	sim_check(fifo_setup, fifo_verify, 10 * NS_PER_MS);
}

static void accounting_verify(void)
{
	static const unsigned in_device[NR_PROBES] = { 1, 2, 3, 2, 2, 1, 0 };
	double area = 0;

	for (unsigned i = 0; i < NR_PROBES; i++) {
		CHECK_EQ(probe_in_device[i], in_device[i]);
		CHECK_EQ(probe_rec_in_device[i], in_device[i]);
	}
	CHECK(!probe_idle[0] && !probe_idle[5]);
	CHECK(probe_idle[6]);
	CHECK(disk.head == NULL && disk.tail == NULL);
	/* one at a time: B is in service up to its last ns, then C is */
	CHECK(probe_b_locked[4] && !probe_c_uptodate[4]);
	CHECK(!probe_b_locked[5] && !probe_c_uptodate[5]);
	CHECK(probe_c_uptodate[6]);
	/* the records: every request, latency = completion - submit */
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 3);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.count, 3);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.min_ns, fifo_done[0] - 0);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.max_ns, fifo_done[2] - 20);
	/* Little's law, exactly: the area under in_device is the sum of latencies */
	for (unsigned i = 0; i < 3; i++)
		area += (double)(fifo_done[i] - reqs[i].at);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].in_device.area_ns, area);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].busy.area_ns, fifo_done[2]);
}

static void queue_length_and_records_follow_requests(void)
{
	sim_check(fifo_setup, accounting_verify, 10 * NS_PER_MS);
}

/* ---- an idle device starts at the submission; service grows with the pages */

static void idle_setup(struct engine *e)
{
	disk_setup_common();
	new_req(0, 2);
	new_req(5 * S, DISK_MAX_PAGES);
	new_req(50 * S, 1);
	/* the first submission comes before the device task has ever run */
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
	sim_spawn(e, "disk", disk_main, &disk);
}

static void idle_verify(void)
{
	CHECK_EQ(reqs[0].woken, S + P + W);
	CHECK_EQ(reqs[1].woken, 5 * S + S + (DISK_MAX_PAGES - 1) * P + W);
	CHECK_EQ(reqs[2].woken, 50 * S + S + W);
	for (unsigned i = 0; i < 3; i++)
		CHECK(reqs[i].all_done);
	CHECK_EQ(disk.in_device, 0);
}

static void idle_device_serves_at_submission(void)
{
	sim_check(idle_setup, idle_verify, 100 * NS_PER_MS);
}

/* ---- completion wakes the page waiters: all wait_on_page_locked, one lock_page */

static sim_ns t_lock[2], t_wait;
static bool lock_held[2];
static unsigned lock_refs;

static void page_locker_main(struct task *t)
{
	int i = (int)(intptr_t)task_data(t);
	struct page *p = find_get_page(&pc, &ino, 0); /* a fault's reference */

	task_sleep(t, 100 + i);
	lock_page(&pc, p, t);
	t_lock[i] = task_now(t);
	lock_held[i] = p->locked && p->uptodate;
	task_cpu(t, 1000);
	unlock_page(&pc, p, t);
	put_page(&pc, p);
	park(t);
}

static void page_waiter_main(struct task *t)
{
	struct page *p = find_get_page(&pc, &ino, 1);

	task_sleep(t, 200);
	wait_on_page_locked(&pc, p, t);
	t_wait = task_now(t);
	put_page(&pc, p);
	park(t);
}

static void refs_probe_main(struct task *t)
{
	task_sleep(t, 2 * S);
	lock_refs = reqs[0].pages[0]->refs + reqs[0].pages[1]->refs;
	park(t);
}

static void waiters_setup(struct engine *e)
{
	disk_setup_common();
	new_req(0, 2); /* pages 0 and 1, done at S + P */
	sim_spawn(e, "disk", disk_main, &disk);
	sim_spawn(e, "submitter", submitter_main, &reqs[0]);
	sim_spawn(e, "locker", page_locker_main, (void *)0);
	sim_spawn(e, "locker", page_locker_main, (void *)1);
	sim_spawn(e, "waiter", page_waiter_main, NULL);
	sim_spawn(e, "probe", refs_probe_main, NULL);
}

static void waiters_verify(void)
{
	CHECK_EQ(t_wait, S + P + W);
	CHECK_EQ(reqs[0].woken, S + P + W);
	CHECK_EQ(t_lock[0], S + P + W);            /* the first locker only */
	CHECK_EQ(t_lock[1], S + P + W + 1000 + W); /* after its unlock */
	CHECK(lock_held[0] && lock_held[1]);
	CHECK_EQ(lock_refs, 0); /* the I/O's and the tasks' references all dropped */
}

static void completion_wakes_page_waiters(void)
{
	sim_check(waiters_setup, waiters_verify, 10 * NS_PER_MS);
}

int main(void)
{
	TEST(requests_served_fifo_with_exact_service_times);
	TEST(queue_length_and_records_follow_requests);
	TEST(idle_device_serves_at_submission);
	TEST(completion_wakes_page_waiters);
	return harness_failures != 0;
}
