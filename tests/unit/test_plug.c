/*
 * test_plug.c - plugging (docs/kernel-model.md#block-plug). 2.6.36's
 * per-queue plugging: an hdd's empty queue plugs at a submission and is
 * unplugged by the 4th queued request (unplug_thresh), by the unplug timer
 * 3 ms later (unplug_delay), or at once by a task about to wait on a page
 * (sync_page); ssd, nvme and simple never plug. 2.6.39's on-stack plug: the
 * requests of a submission wait for its end, then enter the queue together
 * (merged there). And the I/O context, cfq's queue owner: one per thread.
 *
 * The hdd serves a request at the sector under its head (sector 0 first)
 * in exactly its transfer time, 1 ms a page; a request elsewhere adds a
 * seek, but only the instant it starts matters here, read off its
 * completion record (latency minus service).
 */
#include <string.h>

#include "models/disk.h"
#include "models/elevator.h"
#include "models/fault.h"
#include "models/mm.h"
#include "tests/unit/harness.h"

#define MS NS_PER_MS
#define NR_SUBS 6

static struct pagecache pc;
static struct disk disk;
static struct disk_config cfg;
static struct dist wakeup;
static struct inode ino = { .id = 1, .pages = 1 << 20 };

/* One submission: @nr requests of one page at @sectors, at @at, in plug mode @mode. */
struct submission {
	sim_ns at;
	int mode;   /* enum disk_plugging; -1: disk_submit, no plug */
	sim_ns cpu; /* on-stack: time spent between its requests, inside the submission */
	unsigned nr;
	uint64_t sectors[4];
	struct page *pages[4];
};

static struct submission subs[NR_SUBS];
static unsigned nr_subs;
static uint64_t next_index;
static sim_ns unplug_call_at = -1; /* a task calls disk_unplug then, as a page waiter does */
static sim_ns first_start = -1;    /* when the first page's request started service */
static sim_ns first_done = -1;     /* ...and was read */

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void plug_setup_disk(int type, int scheduler)
{
	wakeup = dist_const(0, 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.type = type;
	cfg.scheduler = scheduler;
	cfg.channels = 1;
	cfg.queue_depth = 32;
	cfg.max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
	cfg.service_ms = dist_const(1, MS);
	cfg.page_transfer_us = dist_const(0, NS_PER_US);
	cfg.seek_settle_ms = 1;
	cfg.rpm = 1e12;            /* no rotational delay to speak of */
	cfg.transfer_mb_s = 4.096; /* 1 ms a page */
	cfg.capacity_gb = 4096;
	cfg.read_expire_ms = 500;
	cfg.fifo_batch = 16;
	cfg.slice_ms = 100;
	cfg.merge = true;
	pagecache_init(&pc, 1 << 12, &wakeup);
	disk_init(&disk, &cfg, &pc, DISK_DEVICE_MAIN);
	nr_subs = 0;
	next_index = 0;
	unplug_call_at = first_start = first_done = -1;
}

static struct submission *add_sub(sim_ns at, int mode, unsigned nr, const uint64_t *sectors)
{
	struct submission *s = &subs[nr_subs++];

	memset(s, 0, sizeof(*s));
	s->at = at;
	s->mode = mode;
	s->nr = nr;
	for (unsigned i = 0; i < nr; i++) {
		s->sectors[i] = sectors[i];
		s->pages[i] = add_to_page_cache_locked(&pc, &ino, next_index++);
	}
	return s;
}

/* Submits and does not wait: an asynchronous readahead. */
static void submitter_main(struct task *t)
{
	struct submission *s = task_data(t);
	struct disk_plug plug;

	task_sleep(t, s->at);
	if (s->mode < 0) {
		for (unsigned i = 0; i < s->nr; i++)
			disk_submit(&disk, t, s->sectors[i], -1, &s->pages[i], 1);
		park(t);
	}
	disk_plug_start(&plug, t, s->mode);
	for (unsigned i = 0; i < s->nr; i++) {
		if (i)
			task_cpu(t, s->cpu);
		disk_submit_plugged(&plug, &disk, s->sectors[i], -1, &s->pages[i], 1);
	}
	disk_plug_finish(&plug);
	park(t);
}

/* Waits for the first submission's first page (without unplugging, unless told to). */
static void waiter_main(struct task *t)
{
	struct page *p = subs[0].pages[0];

	if (unplug_call_at >= 0) {
		task_sleep(t, unplug_call_at);
		disk_unplug(&disk, t); /* fault_sync_page: the page is locked */
	}
	wait_on_page_locked(&pc, p, t);
	first_done = task_now(t);
	park(t);
}

static void plug_spawn(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &disk);
	for (unsigned i = 0; i < nr_subs; i++)
		sim_spawn(e, "submitter", submitter_main, &subs[i]);
	sim_spawn(e, "waiter", waiter_main, NULL);
}

/* The first page is at sector 0, under the head: read in 1 ms from its start. */
static void first_read_verify(void)
{
	first_start = first_done - 1 * MS;
}

static sim_ns expect_start;

static void start_verify(void)
{
	first_read_verify();
	CHECK_EQ(first_start, expect_start);
}

/* ---- per-queue plugging (2.6.36) */

static const uint64_t far[4] = { 0, 1000000, 2000000, 3000000 }; /* never adjacent */

static void timer_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_FIFO);
	add_sub(0, DISK_PLUG_PER_QUEUE, 1, far);
	expect_start = DISK_UNPLUG_DELAY;
	plug_spawn(e);
}

/* An asynchronous read nobody unplugs waits for the unplug timer, 3 ms. */
static void async_read_waits_for_the_unplug_timer(void)
{
	sim_check(timer_setup, start_verify, 50 * MS);
}

static void thresh_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_FIFO);
	for (unsigned i = 0; i < 4; i++)
		add_sub((sim_ns)i * MS / 2, DISK_PLUG_PER_QUEUE, 1, &far[i]);
	expect_start = 3 * MS / 2; /* the 4th queued request, before the timer */
	plug_spawn(e);
}

static void three_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_FIFO);
	for (unsigned i = 0; i < 3; i++)
		add_sub((sim_ns)i * MS / 2, DISK_PLUG_PER_QUEUE, 1, &far[i]);
	expect_start = DISK_UNPLUG_DELAY; /* three are not enough */
	plug_spawn(e);
}

/* unplug_thresh: the 4th queued request unplugs the queue; three wait for the timer. */
static void fourth_request_unplugs_the_queue(void)
{
	sim_check(thresh_setup, start_verify, 50 * MS);
	sim_check(three_setup, start_verify, 50 * MS);
}

static void waiter_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_FIFO);
	add_sub(0, DISK_PLUG_PER_QUEUE, 1, far);
	unplug_call_at = 1 * MS;
	expect_start = 1 * MS;
	plug_spawn(e);
}

/* sync_page: a task about to wait on a page under I/O unplugs its queue at once. */
static void task_waiting_on_a_page_unplugs(void)
{
	sim_check(waiter_setup, start_verify, 50 * MS);
}

static void ssd_setup(struct engine *e)
{
	plug_setup_disk(DISK_SSD, DISK_FIFO);
	add_sub(0, DISK_PLUG_PER_QUEUE, 1, far);
	plug_spawn(e);
}

static void simple_setup(struct engine *e)
{
	plug_setup_disk(DISK_SIMPLE, DISK_FIFO);
	add_sub(0, DISK_PLUG_PER_QUEUE, 1, far);
	plug_spawn(e);
}

static void served_at_once_verify(void)
{
	CHECK_EQ(first_done, 1 * MS); /* service_ms 1 from 0 */
	CHECK(!disk.plugged);
}

/* queue_should_plug: no plugging on a tagged non-rotational queue, nor on simple. */
static void ssd_and_simple_never_plug(void)
{
	sim_check(ssd_setup, served_at_once_verify, 50 * MS);
	sim_check(simple_setup, served_at_once_verify, 50 * MS);
}

/* ---- on-stack plugging (2.6.39) */

static void on_stack_setup(struct engine *e)
{
	struct submission *s;

	plug_setup_disk(DISK_HDD, DISK_FIFO);
	s = add_sub(0, DISK_PLUG_ON_STACK, 2, far);
	s->cpu = 2 * MS; /* the second request 2 ms into the submission */
	expect_start = 2 * MS;
	plug_spawn(e);
}

/*
 * The requests wait for the end of their submission, not for a timer: the
 * first goes with the second, 2 ms later; a lone asynchronous read goes at once.
 */
static void on_stack_plug_flushes_at_the_end_of_the_submission(void)
{
	sim_check(on_stack_setup, start_verify, 50 * MS);
}

static void lone_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_FIFO);
	add_sub(0, DISK_PLUG_ON_STACK, 1, far);
	expect_start = 0;
	plug_spawn(e);
}

static void lone_async_read_is_not_held(void)
{
	sim_check(lone_setup, start_verify, 50 * MS);
}

static const uint64_t adjacent[2] = { 0, 1 };

static void merge_plugged_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_DEADLINE);
	add_sub(0, DISK_PLUG_ON_STACK, 2, adjacent);
	plug_spawn(e);
}

static void merge_unplugged_setup(struct engine *e)
{
	plug_setup_disk(DISK_HDD, DISK_DEADLINE);
	add_sub(0, -1, 2, adjacent);
	plug_spawn(e);
}

static void one_request_verify(void)
{
	CHECK_EQ(harness_rec.devices[DISK_DEVICE_MAIN].requests, 1);
}

static void two_requests_verify(void)
{
	CHECK_EQ(harness_rec.devices[DISK_DEVICE_MAIN].requests, 2);
}

/*
 * Held back, two adjacent pages of one submission merge in the elevator
 * into one request; sent one by one to an idle device, the first is in the
 * device before the second arrives, and they stay two.
 */
static void plugged_requests_merge_before_dispatch(void)
{
	sim_check(merge_plugged_setup, one_request_verify, 50 * MS);
	sim_check(merge_unplugged_setup, two_requests_verify, 50 * MS);
}

/* ---- the I/O context: cfq's queue owner */

/*
 * copy_io (2.6.36 kernel/fork.c): a new thread shares its parent's
 * io_context only with CLONE_IO, which pthread_create does not pass: two
 * threads of one process have two contexts (two cfq queues), each its own
 * from its first I/O on.
 */
static void each_thread_has_its_own_io_context(void)
{
	struct kernel k;
	struct mm mm = { .id = 3 };
	struct thread a = { .k = &k, .mm = &mm }, b = { .k = &k, .mm = &mm };
	int ca, cb;

	memset(&k, 0, sizeof(k));
	ca = thread_io_context(&a);
	cb = thread_io_context(&b);
	CHECK(ca != cb);
	CHECK(ca > 0 && cb > 0);
	CHECK_EQ(thread_io_context(&a), ca);
	CHECK_EQ(thread_io_context(&b), cb);
}

int main(void)
{
	TEST(async_read_waits_for_the_unplug_timer);
	TEST(fourth_request_unplugs_the_queue);
	TEST(task_waiting_on_a_page_unplugs);
	TEST(ssd_and_simple_never_plug);
	TEST(on_stack_plug_flushes_at_the_end_of_the_submission);
	TEST(lone_async_read_is_not_held);
	TEST(plugged_requests_merge_before_dispatch);
	TEST(each_thread_has_its_own_io_context);
	return harness_failures != 0;
}
