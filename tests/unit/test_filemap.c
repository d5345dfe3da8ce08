/*
 * test_filemap.c - filemap_fault's rules, each against the profile before
 * the change (script.h costs: wake-up W 7 us, cpu_before B 1, cpu_miss M 20,
 * cpu_after A 2, disk S 1 ms; ra_pages 32):
 *   5.1 filemap_drop_for_io (docs/kernel-model.md#filemap-drop-for-io): a
 *       single-page read (MADV_RANDOM, or read-around off after
 *       MMAP_LOTSAMISS misses) is submitted without mmap_sem too
 *       (page_not_uptodate -> maybe_unlock_mmap_for_io -> readpage);
 *   3.7 fault_tried (docs/kernel-model.md#mmap-miss): the retry pass skips
 *       do_async_mmap_readahead entirely: no mmap_miss--, and a
 *       PG_readahead page does not start the next window;
 *   3.15 fault_around (docs/kernel-model.md#fault-around): a read fault maps
 *       the cached pages of its 16-page block first, each lowering mmap_miss,
 *       so under random faults read-around never switches off;
 *   a readahead window larger than a request (machine.read_ahead_kb 8192) is
 *       read whole, in requests of at most max_sectors_kb.
 */
#include "tests/unit/script.h"

#define W SCRIPT_W
#define B SCRIPT_B
#define M SCRIPT_M
#define A SCRIPT_A
#define S SCRIPT_S
#define US NS_PER_US
#define END (20 * NS_PER_MS)

static struct mapping_config maps[1];
static const char *profile;
static int advice;
static unsigned start_miss; /* the VMA's mmap_miss before the fault */

/* One mapping: a 4 MB file never read. */
static void world_file(void)
{
	maps[0] = (struct mapping_config){
		.name = "data", .kind = MAPPING_FILE, .size_mb = 4, .advice = advice
	};
	script_world(profile, maps, 1, NULL);
	script_mm.vmas[0].mmap_miss = start_miss;
}

/* ---- 5.1: a single-page read drops mmap_sem too ------------------------------- */

/* A miss on page 0 at 0; an mmap() (hold 100 us) at 5 us. */
static void single_setup(struct engine *e)
{
	struct script_actor *a;

	world_file();
	a = script_actor(0, "fault");
	a->op.mapping = 0;
	a->op.pattern = PATTERN_SEQUENTIAL; /* page 0: the cursor starts there */
	a = script_actor(5 * US, "mmap");
	a->op.hold_us = dist_const(100, NS_PER_US);
	script_spawn(e);
}

/* One page read, whatever the profile. */
static void single_check_read(void)
{
	CHECK(page_cached(&script_k.pc, script_mm.vmas[0].inode, 0));
	CHECK(!page_cached(&script_k.pc, script_mm.vmas[0].inode, 1));
	CHECK_EQ(script_rec->faults.all.retries, 1);
	CHECK_EQ(script_rec->faults.all.major, 1);
}

/* 4.20: page_cache_read under mmap_sem; the mmap waits for B + M, then its wake-up. */
static void single_verify_420(void)
{
	single_check_read();
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B + M);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, B + M + W - 5 * US);
}

/* 5.1: mmap_sem dropped after the lookup (B); the miss CPU and the read run without it. */
static void single_verify_51(void)
{
	single_check_read();
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, 0);
	/* the mmap (5 to 105 us) is long gone when the retry pass comes */
	CHECK_EQ(script_actors[0].end, B + M + S + W + B + A);
}

static void single_page_read_drops_mmap_sem_from_5_1(void)
{
	start_miss = 0;
	advice = ADVICE_RANDOM; /* MADV_RANDOM: no readahead */
	profile = "4.20";
	sim_check(single_setup, single_verify_420, END);
	profile = "5.1";
	sim_check(single_setup, single_verify_51, END);
	/* normal advice, read-around off: this miss takes mmap_miss over MMAP_LOTSAMISS */
	advice = ADVICE_NORMAL;
	start_miss = MMAP_LOTSAMISS;
	profile = "4.20";
	sim_check(single_setup, single_verify_420, END);
	profile = "5.1";
	sim_check(single_setup, single_verify_51, END);
	start_miss = 0;
}

/* ---- 3.7: the retry pass skips async readahead --------------------------------- */

/* a cached page with PG_readahead: a hit on it reads [marked + 16, marked + 48) */
static uint64_t marked = 5;

static unsigned tried_flags;
static int tried_ret;

/* One filemap_fault pass on marked at 10 us, with mmap_sem held for read. */
static void tried_main(struct task *t)
{
	struct thread th = { .task = t, .k = &script_k, .mm = &script_mm };
	struct op_config op = { .cpu_miss_us = dist_const(20, NS_PER_US) };
	struct rwsem_hold hold;
	struct vm_fault vmf = { .th = &th,
		                .vma = &script_mm.vmas[0],
		                .pgoff = marked,
		                .flags = tried_flags,
		                .op = &op,
		                .mmap_hold = &hold };

	task_sleep(t, 10 * US);
	down_read(&script_mm.mmap_sem, t, SITE_FAULT, &hold);
	tried_ret = filemap_fault(&vmf);
	if (tried_ret & VM_FAULT_LOCKED) {
		unlock_page(&script_k.pc, vmf.page, t);
		put_page(&script_k.pc, vmf.page);
	}
	if (!vmf.lock_released)
		up_read(&script_mm.mmap_sem, t, &hold);
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void tried_setup(struct engine *e)
{
	struct page *p;

	world_file();
	p = add_to_page_cache_locked(&script_k.pc, script_mm.vmas[0].inode, marked);
	p->uptodate = true;
	p->readahead = true;
	unlock_page(&script_k.pc, p, NULL);
	put_page(&script_k.pc, p);
	sim_spawn(e, "disk", disk_main, &script_k.disk);
	sim_spawn(e, "faulter", tried_main, NULL);
}

static bool window_read(void)
{
	return page_cached(&script_k.pc, script_mm.vmas[0].inode, marked + 32 / 2);
}

/* The pass ran do_async_mmap_readahead: the counter went down, the next window was read. */
static void tried_verify_async(void)
{
	struct page *p = find_get_page(&script_k.pc, script_mm.vmas[0].inode, marked);

	CHECK_EQ(tried_ret, VM_FAULT_LOCKED);
	CHECK_EQ(script_mm.vmas[0].mmap_miss, 2);
	CHECK(p && !p->readahead);
	CHECK(window_read());
	if (p)
		put_page(&script_k.pc, p);
}

/* The pass skipped it: the counter and the mark stay, nothing was read. */
static void tried_verify_skipped(void)
{
	struct page *p = find_get_page(&script_k.pc, script_mm.vmas[0].inode, marked);

	CHECK_EQ(tried_ret, VM_FAULT_LOCKED);
	CHECK_EQ(script_mm.vmas[0].mmap_miss, 3);
	CHECK(p && p->readahead);
	CHECK(!window_read());
	if (p)
		put_page(&script_k.pc, p);
}

static void tried_pass_skips_async_readahead_from_3_7(void)
{
	advice = ADVICE_NORMAL;
	start_miss = 3;
	/* 2.6.39: the retry pass (TRIED, no ALLOW_RETRY) still reads ahead */
	profile = "2.6.39";
	tried_flags = FAULT_FLAG_TRIED;
	sim_check(tried_setup, tried_verify_async, END);
	/* 3.9 (3.7's FAULT_FLAG_TRIED): the first pass does, the retry pass does not */
	profile = "3.9";
	tried_flags = 0;
	sim_check(tried_setup, tried_verify_async, END);
	tried_flags = FAULT_FLAG_TRIED;
	sim_check(tried_setup, tried_verify_skipped, END);
	/* 5.7: the retry pass keeps ALLOW_RETRY; the same */
	profile = "5.7";
	tried_flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_TRIED;
	sim_check(tried_setup, tried_verify_skipped, END);
	start_miss = 0;
}

/* The mark's next window starts past the end of the file: nothing to read, no request. */
static void async_window_past_eof_verify(void)
{
	struct page *p = find_get_page(&script_k.pc, script_mm.vmas[0].inode, marked);

	CHECK_EQ(tried_ret, VM_FAULT_LOCKED);
	CHECK(p && !p->readahead);
	CHECK(!page_cached(&script_k.pc, script_mm.vmas[0].inode, marked + 1)); /* none read */
	CHECK_EQ(script_k.disk.in_device, 0);
	if (p)
		put_page(&script_k.pc, p);
}

static void async_readahead_past_eof_reads_nothing(void)
{
	advice = ADVICE_NORMAL;
	profile = "3.9";
	tried_flags = 0;
	marked = 1020; /* of the 1024 pages: the next window would start at 1036 */
	sim_check(tried_setup, async_window_past_eof_verify, END);
	marked = 5;
}

/* ---- 3.15: fault-around keeps read-around on ----------------------------------- */

#define SPREAD 64     /* faults this many pages apart: read-around windows (32) never overlap */
#define NR_SPREAD 200 /* more than MMAP_LOTSAMISS */

static sim_ns spread_end;

/* NR_SPREAD user read faults, on pages 0, SPREAD, 2 SPREAD, ... of a 64 MB file. */
static void spread_main(struct task *t)
{
	struct thread th = { .task = t, .k = &script_k, .mm = &script_mm };
	struct op_config op = { .cpu_before_us = dist_const(1, NS_PER_US),
		                .cpu_miss_us = dist_const(20, NS_PER_US),
		                .cpu_after_us = dist_const(2, NS_PER_US) };

	script_rec = ((struct record_ctx *)task_owner(t))->rec;
	for (uint64_t i = 0; i < NR_SPREAD; i++)
		do_page_fault(&th, &script_mm.vmas[0], i * SPREAD, false, &op);
	spread_end = task_now(t);
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void spread_setup(struct engine *e)
{
	maps[0] = (struct mapping_config){
		.name = "data", .kind = MAPPING_FILE, .size_mb = 64, .advice = ADVICE_NORMAL
	};
	script_world(profile, maps, 1, NULL);
	spread_end = -1;
	sim_spawn(e, "disk", disk_main, &script_k.disk);
	sim_spawn(e, "faulter", spread_main, NULL);
}

#define LAST ((NR_SPREAD - 1) * SPREAD)

/* 3.12: every fault a net miss; after MMAP_LOTSAMISS of them one page a fault. */
static void spread_verify_off(void)
{
	const struct vma *v = &script_mm.vmas[0];

	CHECK(spread_end > 0);
	CHECK_EQ(v->mmap_miss, NR_SPREAD);
	CHECK(page_cached(&script_k.pc, v->inode, LAST));
	CHECK(!page_cached(&script_k.pc, v->inode, LAST + 1));
	CHECK(!vma_file_pte(v, LAST + 1));
	CHECK_EQ(script_rec->faults.all.major, NR_SPREAD);
}

/*
 * 3.16: the retry pass maps the faulting page and the rest of its block
 * (read by read-around) by fault-around, 16 decrements against the miss's one.
 */
static void spread_verify_on(void)
{
	const struct vma *v = &script_mm.vmas[0];

	CHECK(spread_end > 0);
	CHECK_EQ(v->mmap_miss, 0);
	CHECK(page_cached(&script_k.pc, v->inode, LAST + 15));
	CHECK(page_cached(&script_k.pc, v->inode, LAST - 16));
	CHECK(!page_cached(&script_k.pc, v->inode, LAST + 16));
	CHECK(vma_file_pte(v, LAST + 15));
	CHECK(!vma_file_pte(v, LAST + 16)); /* the next block */
	CHECK(!vma_file_pte(v, LAST - 1));  /* the previous block: cached, not mapped */
	CHECK_EQ(script_rec->faults.all.major, NR_SPREAD);
	/* filemap_map_pages marks no neighbour accessed: the faulting page is the LRU's newest */
	CHECK_EQ(script_k.pc.lru.lru_next->index, LAST);
}

static void fault_around_keeps_read_around_on_from_3_15(void)
{
	profile = "3.12";
	sim_check(spread_setup, spread_verify_off, 20 * NS_PER_S);
	profile = "3.16";
	sim_check(spread_setup, spread_verify_on, 20 * NS_PER_S);
	/* 6.18 (per-VMA locks, retry_multi, I/O outside the lock): the same */
	profile = "6.18";
	sim_check(spread_setup, spread_verify_on, 20 * NS_PER_S);
}

/* ---- an 8 MiB read-around window: 2048 pages, several requests ------------------ */

#define CENTRE 4096

static sim_ns page_read_ns; /* the fault's cpu_page_read_us, in ns */

static void big_window_setup(struct engine *e)
{
	struct script_actor *a;

	maps[0] = (struct mapping_config){
		.name = "data", .kind = MAPPING_FILE, .size_mb = 64, .advice = ADVICE_NORMAL
	};
	script_world(profile, maps, 1, NULL);
	a = script_actor(0, "fault");
	a->op.mapping = 0;
	a->op.pattern = PATTERN_SEQUENTIAL;
	a->op.cpu_page_read_us = dist_const((double)page_read_ns / NS_PER_US, NS_PER_US);
	script_spawn(e);
}

static void big_window_verify(void)
{
	const struct vma *v = &script_mm.vmas[0];
	unsigned cached = 0, uptodate = 0;

	CHECK_EQ(script_k.ra_pages, 2048);
	for (uint64_t i = 0; i < v->pages; i++) {
		struct page *p = page_cached(&script_k.pc, v->inode, i)
		                         ? find_get_page(&script_k.pc, v->inode, i)
		                         : NULL;

		cached += p != NULL;
		uptodate += p && p->uptodate && !p->locked;
		if (p)
			put_page(&script_k.pc, p);
	}
	/* read-around from page 0 (the cursor's first): ra->start 0, 2048 pages, all read */
	CHECK(page_cached(&script_k.pc, v->inode, 2047));
	CHECK(!page_cached(&script_k.pc, v->inode, 2048));
	CHECK_EQ(cached, 2048);
	CHECK_EQ(uptodate, 2048);
	/* the window went to the disk in requests of max_sectors_kb (1024 KiB: 8; 4096 KiB: 2) */
	CHECK_EQ(script_rec->devices[DISK_DEVICE_MAIN].submitted,
	         2048 / (script_max_sectors_kb / 4));
	/* page 0 is in the first request: S after its submission, which waits for the CPU of
	 * all 2048 pages (page_cache_ra_unbounded allocates the run before read_pages) */
	CHECK_EQ(script_actors[0].end, B + M + 2048 * page_read_ns + S + W + B + A);
}

static void big_window_reads_whole_in_several_requests(void)
{
	script_read_ahead_kb = 8192;
	script_page_cache_mb = 64;
	profile = "6.18";
	sim_check(big_window_setup, big_window_verify, 20 * NS_PER_S);
	script_max_sectors_kb = 4096; /* 6.17's default cap: blk_validate_limits */
	sim_check(big_window_setup, big_window_verify, 20 * NS_PER_S);
	page_read_ns = 500; /* 0.5 us a page: 1.024 ms before the first request */
	sim_check(big_window_setup, big_window_verify, 20 * NS_PER_S);
	page_read_ns = 0;
	script_max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
	script_read_ahead_kb = 128;
	script_page_cache_mb = 4;
}

int main(void)
{
	TEST(single_page_read_drops_mmap_sem_from_5_1);
	TEST(tried_pass_skips_async_readahead_from_3_7);
	TEST(async_readahead_past_eof_reads_nothing);
	TEST(fault_around_keeps_read_around_on_from_3_15);
	TEST(big_window_reads_whole_in_several_requests);
	return harness_failures != 0;
}
