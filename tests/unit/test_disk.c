/*
 * test_disk.c - the block device (docs/kernel-model.md#block): simple serves
 * one request at a time, strict FIFO, service = service_ms + (pages - 1) *
 * page_transfer_us, whatever channels and queue_depth say; the end_io of a
 * read (pages up to date, unlocked, waiters woken, I/O reference dropped);
 * the queue accounting and the disk records. ssd: channels serve requests at
 * once, queue_depth bounds the device. hdd: seek curve by distance, no seek
 * when sequential, SSTF among the requests in the device. Constant service
 * times (and a negligible rotation), so every instant is exact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/disk.h"
#include "models/elevator.h"
#include "models/mm.h"
#include "models/swap.h"
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
	uint64_t sector;
	int owner;
	unsigned nr;
	struct page *pages[DISK_MAX_PAGES];
	sim_ns woken;  /* when the submitter, waiting on its last page, ran */
	bool all_done; /* every page up to date and unlocked by then */
	unsigned refs; /* references left on the pages by then */
};

static struct req reqs[8];
static unsigned nr_reqs;
static uint64_t next_index;

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* The simple disk of the tests; a test may change it before disk_setup_start. */
static void disk_setup_config(void)
{
	wakeup = dist_const(W, 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.type = DISK_SIMPLE;
	cfg.scheduler = DISK_FIFO;
	cfg.channels = 8; /* simple ignores them: one request in the device, in service */
	cfg.queue_depth = 32;
	cfg.max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
	cfg.service_ms = dist_const(1, NS_PER_MS);
	cfg.page_transfer_us = dist_const(10, NS_PER_US);
}

static void disk_setup_start(void)
{
	pagecache_init(&pc, 1 << 12, &wakeup);
	disk_init(&disk, &cfg, &pc, DISK_DEVICE_MAIN);
	nr_reqs = 0;
	next_index = 0;
}

static void disk_setup_common(void)
{
	disk_setup_config();
	disk_setup_start();
}

/* A request of @nr fresh pages (locked, one reference for the I/O) at @sector. */
static struct req *new_req_at(sim_ns at, unsigned nr, uint64_t sector)
{
	struct req *r = &reqs[nr_reqs++];

	r->at = at;
	r->sector = sector;
	r->owner = -1;
	r->nr = nr;
	for (unsigned i = 0; i < nr; i++)
		r->pages[i] = add_to_page_cache_locked(&pc, &ino, next_index++);
	return r;
}

static struct req *new_req(sim_ns at, unsigned nr)
{
	return new_req_at(at, nr, 0);
}

/* Submits its request at r->at, then sleeps until its last page is read. */
static void submitter_main(struct task *t)
{
	struct req *r = task_data(t);

	rec = ((struct record_ctx *)task_owner(t))->rec;
	task_sleep(t, r->at);
	disk_submit(&disk, t, r->sector, r->owner, r->pages, r->nr);
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
	CHECK(disk.dev_head == NULL && disk.dev_tail == NULL && disk.in_service == NULL);
	CHECK_EQ(disk.elv->queued(disk.elv_q), 0);
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
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].in_service.area_ns, fifo_done[2]);
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
	new_req(5 * S, DISK_DEFAULT_MAX_SECTORS_KB / 4);
	new_req(50 * S, 1);
	/* the first submission comes before the device task has ever run */
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
	sim_spawn(e, "disk", disk_main, &disk);
}

static void idle_verify(void)
{
	CHECK_EQ(reqs[0].woken, S + P + W);
	CHECK_EQ(reqs[1].woken, 5 * S + S + (DISK_DEFAULT_MAX_SECTORS_KB / 4 - 1) * P + W);
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

/* ---- ssd: channels at once, queue_depth in the device */

static void ssd_setup_common(unsigned channels, unsigned queue_depth)
{
	disk_setup_config();
	cfg.type = DISK_SSD;
	cfg.channels = channels;
	cfg.queue_depth = queue_depth;
	disk_setup_start();
}

/*
 * Two channels. A: 1 page at 0; B: 3 pages at 10, served at once beside A
 * (the device, waiting for A, is woken by the submission); C: 1 page at 20
 * waits for a channel: A's, at S.
 */
static void channels_setup(struct engine *e)
{
	ssd_setup_common(2, 2);
	new_req(0, 1);
	new_req(10, 3);
	new_req(20, 1);
	sim_spawn(e, "disk", disk_main, &disk);
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
}

static void channels_verify(void)
{
	const struct device_stats *d = &rec->devices[DISK_DEVICE_MAIN];
	sim_ns done[3] = { S, 10 + S + 2 * P, 2 * S };
	double area = 0;

	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(reqs[i].woken, done[i] + W);
		CHECK(reqs[i].all_done);
		area += (double)(done[i] - reqs[i].at);
	}
	CHECK_EQ(d->requests, 3);
	CHECK_EQ(d->service.max_ns, S + 2 * P);  /* B's: it did not wait for A */
	CHECK_EQ(d->latency.max_ns, 2 * S - 20); /* C's: a channel's wait, then S */
	CHECK_EQ(d->in_device.area_ns, area);
	/* the utilisation law per channel: the services' sum, 2 channels */
	CHECK_EQ(d->in_service.area_ns, 3 * S + 2 * P);
	CHECK_EQ(d->channels, 2);
	CHECK_EQ(disk.nr_dev, 0);
	CHECK_EQ(disk.nr_in_service, 0);
}

static void two_channels_serve_two_requests_at_once(void)
{
	sim_check(channels_setup, channels_verify, 10 * NS_PER_MS);
}

/* One channel, queue_depth 2: of four requests at 0..3, two are in the device, two in the host queue. */
static unsigned qd_nr_dev, qd_host, qd_in_device, qd_in_service, qd_nr_dev_later;

static void qd_probe_main(struct task *t)
{
	task_sleep(t, 5);
	qd_nr_dev = disk.nr_dev;
	qd_host = disk.elv->queued(disk.elv_q);
	qd_in_device = disk.in_device;
	qd_in_service = disk.nr_in_service;
	task_sleep(t, S); /* A done: C moved into the device */
	qd_nr_dev_later = disk.nr_dev + 10 * disk.elv->queued(disk.elv_q);
	park(t);
}

static void queue_depth_setup(struct engine *e)
{
	ssd_setup_common(1, 2);
	for (unsigned i = 0; i < 4; i++)
		new_req(i, 1);
	sim_spawn(e, "disk", disk_main, &disk);
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
	sim_spawn(e, "probe", qd_probe_main, NULL);
}

static void queue_depth_verify(void)
{
	CHECK_EQ(qd_nr_dev, 2);
	CHECK_EQ(qd_host, 2);
	CHECK_EQ(qd_in_device, 4);
	CHECK_EQ(qd_in_service, 1);
	CHECK_EQ(qd_nr_dev_later, 2 + 10 * 1);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(reqs[i].woken, (sim_ns)(i + 1) * S + W); /* FIFO, one channel */
}

static void queue_depth_limits_the_device(void)
{
	sim_check(queue_depth_setup, queue_depth_verify, 10 * NS_PER_MS);
}

/* ---- hdd: seek by distance, sequential requests, SSTF */

#define GIGA_SECTORS 1000000000ULL /* capacity_gb 4096: 10^9 sectors */

static void hdd_setup_common(unsigned queue_depth)
{
	disk_setup_config();
	cfg.type = DISK_HDD;
	cfg.queue_depth = queue_depth;
	cfg.seek_settle_ms = 1;
	cfg.seek_sqrt_ms = 4;
	cfg.seek_linear_ms = 2;
	cfg.rpm = 1e12;            /* a revolution of 0.06 ns: no rotational delay to speak of */
	cfg.transfer_mb_s = 4.096; /* 1 ms a page */
	cfg.capacity_gb = 4096;
	disk_setup_start();
}

/*
 * One at a time, each on an idle disk, the head from sector 0:
 * A: a quarter of the disk away, 1 page: 1 + 4 * 0.5 + 2 * 0.25 = 3.5 ms seek, 1 ms transfer;
 * B: 2 pages right after A's: no seek, no rotation, 2 ms;
 * C: a quarter back: 4.5 ms again; D: 0.64 of the disk on: 1 + 3.2 + 1.28 + 1 = 6.48 ms.
 */
static void seek_setup(struct engine *e)
{
	hdd_setup_common(1);
	new_req_at(0, 1, GIGA_SECTORS / 4);
	new_req_at(10 * NS_PER_MS, 2, GIGA_SECTORS / 4 + 1);
	new_req_at(20 * NS_PER_MS, 1, 3);
	new_req_at(30 * NS_PER_MS, 1, 4 + GIGA_SECTORS * 64 / 100);
	sim_spawn(e, "disk", disk_main, &disk);
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
}

static void seek_verify(void)
{
	CHECK_EQ(reqs[0].woken, 4500 * NS_PER_US + W);
	CHECK_EQ(reqs[1].woken, 12 * NS_PER_MS + W);
	CHECK_EQ(reqs[2].woken, 24500 * NS_PER_US + W);
	CHECK_EQ(reqs[3].woken, 36480 * NS_PER_US + W);
	CHECK_EQ(disk.head_sector, 5 + GIGA_SECTORS * 64 / 100);
}

static void hdd_seeks_by_distance(void)
{
	sim_check(seek_setup, seek_verify, 100 * NS_PER_MS);
}

/*
 * A at sector 100 is served from 0; while it is, B (far), C (middle) and D
 * (right after A) arrive. NCQ (queue_depth 4) takes the nearest to the head
 * each time: D (sequential: 1 ms), C, then B; queue_depth 1 keeps FIFO.
 */
static void sstf_setup_depth(struct engine *e, unsigned queue_depth)
{
	hdd_setup_common(queue_depth);
	new_req_at(0, 1, 100);
	new_req_at(10, 1, GIGA_SECTORS * 9 / 10);
	new_req_at(20, 1, GIGA_SECTORS * 3 / 10);
	new_req_at(30, 1, 101);
	sim_spawn(e, "disk", disk_main, &disk);
	for (unsigned i = 0; i < nr_reqs; i++)
		sim_spawn(e, "submitter", submitter_main, &reqs[i]);
}

static void sstf_setup(struct engine *e)
{
	sstf_setup_depth(e, 4);
}

/* The service of a 1-page request @d of the disk away, in ns: seek + 1 ms transfer. */
static sim_ns hdd_ns(double d)
{
	return (sim_ns)llround((1 + 4 * sqrt(d) + 2 * d + 1) * NS_PER_MS);
}

static sim_ns ns_diff(sim_ns a, sim_ns b)
{
	return a > b ? a - b : b - a;
}

static void sstf_verify(void)
{
	CHECK_EQ(reqs[0].woken, hdd_ns(100.0 / GIGA_SECTORS) + W);
	CHECK_EQ(reqs[3].woken, reqs[0].woken + NS_PER_MS); /* D next, sequential */
	/* then C, from sector 102 to 0.3 of the disk; then B, on to 0.9 */
	CHECK(ns_diff(reqs[2].woken - reqs[3].woken, hdd_ns(0.3 - 102.0 / GIGA_SECTORS)) <= 1);
	CHECK(ns_diff(reqs[1].woken - reqs[2].woken, hdd_ns(0.6 - 1.0 / GIGA_SECTORS)) <= 1);
}

static void fifo_depth_setup(struct engine *e)
{
	sstf_setup_depth(e, 1);
}

static void fifo_depth_verify(void)
{
	CHECK(reqs[0].woken < reqs[1].woken);
	CHECK(reqs[1].woken < reqs[2].woken);
	CHECK(reqs[2].woken < reqs[3].woken);
}

static void hdd_ncq_serves_shortest_seek_first(void)
{
	sim_check(sstf_setup, sstf_verify, 100 * NS_PER_MS);
	sim_check(fifo_depth_setup, fifo_depth_verify, 100 * NS_PER_MS);
}

/* ---- sectors: files contiguous in creation order, swap after them on the disk */

static void files_and_swap_lie_contiguously_on_the_disk(void)
{
	static struct kernel k; /* only its files and swap device are used */
	struct file *a = kernel_file(&k, "a", 10, 0, 0), *b = kernel_file(&k, "b", 5, 0, 0);

	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(kernel_file(&k, "a", 10, 0, 0) == a); /* a second mapping of a: no new sectors */
	CHECK_EQ(file_sector(&a->inode, 0), 0);
	CHECK_EQ(file_sector(&a->inode, 9), 9);
	CHECK_EQ(file_sector(&b->inode, 2), 10 + 2);
	CHECK_EQ(k.file_sectors, 15);
	k.swap.dev = &k.disk; /* swap.device disk: after the files */
	CHECK_EQ(kernel_swap_sector(&k, 3), 15 + 3);
	k.swap.dev = &k.swap_disk; /* own: from its device's sector 0 */
	CHECK_EQ(kernel_swap_sector(&k, 3), 3);
	for (unsigned i = 0; i < k.nr_files; i++)
		free(k.files[i]);
	free(k.files);
	file_ids_release(&k.file_ids);
}

/* Files on named devices: each device has its own run of sectors from 0, swap after its files. */
static void files_lie_contiguously_per_named_device(void)
{
	static struct kernel k; /* only its files, devices and swap device are used */
	struct disk devices[2] = { { .id = DISK_DEVICE_NAMED }, { .id = DISK_DEVICE_NAMED + 1 } };
	uint64_t sectors[2] = { 0, 0 };
	struct file *a, *b, *c, *d;

	k.devices = devices;
	k.device_sectors = sectors;
	k.nr_devices = 2;
	a = kernel_file(&k, "a", 10, 0, 0); /* the disk */
	b = kernel_file(&k, "b", 5, 0, 2);  /* named device 1 */
	c = kernel_file(&k, "c", 7, 0, 2);
	d = kernel_file(&k, "d", 3, 0, 1); /* named device 0 */
	CHECK(a && b && c && d);
	if (!a || !b || !c || !d)
		return;
	CHECK(a->dev == &k.disk && b->dev == &devices[1] && c->dev == &devices[1] &&
	      d->dev == &devices[0]);
	CHECK_EQ(file_sector(&a->inode, 1), 1);
	CHECK_EQ(file_sector(&b->inode, 1), 1);
	CHECK_EQ(file_sector(&c->inode, 1), 5 + 1);
	CHECK_EQ(file_sector(&d->inode, 2), 2);
	CHECK_EQ(k.file_sectors, 10);
	CHECK_EQ(sectors[1], 12);
	k.swap.dev = &devices[1]; /* swap.device naming device 1: after its files */
	CHECK_EQ(kernel_swap_sector(&k, 3), 12 + 3);
	k.swap.dev = &k.disk;
	CHECK_EQ(kernel_swap_sector(&k, 3), 10 + 3);
	for (unsigned i = 0; i < k.nr_files; i++)
		free(k.files[i]);
	free(k.files);
	file_ids_release(&k.file_ids);
}

/* ---- the parameters: swap's own device takes every disk key; the schedulers' names */

static void own_swap_device_takes_every_disk_key(void)
{
	unsigned n = 0;

	for (const struct param *d = disk_params; d->key; d++, n++) {
		const struct param *s = swap_params;

		while (s->key && strcmp(s->key, d->key) != 0)
			s++;
		CHECK(s->key != NULL);
		if (!s->key)
			continue;
		CHECK_EQ(s->offset, offsetof(struct swap_config, own) + d->offset);
		CHECK(s->type == d->type && s->min == d->min && s->max == d->max);
		CHECK(strcmp(s->def, d->def) == 0);
	}
	CHECK_EQ(n, 18);
	for (int i = 0; i < DISK_SCHEDULERS; i++)
		CHECK(strcmp(elevators[i]->name, disk_scheduler_names[i]) == 0);
	CHECK(elevators[DISK_SCHEDULERS] == NULL && disk_scheduler_names[DISK_SCHEDULERS] == NULL);
	CHECK(strcmp(disk_type_names[DISK_HDD], "hdd") == 0 &&
	      disk_type_names[DISK_HDD + 1] == NULL);
}

int main(void)
{
	TEST(requests_served_fifo_with_exact_service_times);
	TEST(queue_length_and_records_follow_requests);
	TEST(idle_device_serves_at_submission);
	TEST(completion_wakes_page_waiters);
	TEST(two_channels_serve_two_requests_at_once);
	TEST(queue_depth_limits_the_device);
	TEST(hdd_seeks_by_distance);
	TEST(hdd_ncq_serves_shortest_seek_first);
	TEST(files_and_swap_lie_contiguously_on_the_disk);
	TEST(files_lie_contiguously_per_named_device);
	TEST(own_swap_device_takes_every_disk_key);
	return harness_failures != 0;
}
