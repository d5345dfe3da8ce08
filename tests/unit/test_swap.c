/*
 * test_swap.c - swap slots, anonymous page tables and the swap-in fault
 * (docs/kernel-model.md#swap-in): anon_pages_init, swap_out, anon_page_free and slot allocation on
 * the state alone; then do_swap_page in simulations with constant costs, so
 * every instant is exact: the swap read and its readahead window, the swap
 * cache hit of a neighbour, mmap_sem across the read (2.6.36, seed 001) or
 * dropped with VM_FAULT_RETRY (seed 000), two faults racing on one page.
 */
#include <string.h>

#include "models/fault.h"
#include "tests/unit/harness.h"

#define S 1000000 /* swap device service_ms = 1 */
#define P 10000   /* page_transfer_us = 10 */
#define W 7       /* wake-up latency (page lock, mmap_sem hand-off) */
#define B 1000    /* cpu_before_us = 1 */
#define M 20000   /* cpu_miss_us = 20 */
#define A 2000    /* cpu_after_us = 2 */
#define NP 64     /* pages of the anonymous mapping */

static struct kernel k;
static struct swap_config scfg;
static struct disk_config dcfg;
static struct mapping_config mcfg = { .name = "heap", .kind = MAPPING_ANON, .size_mb = 0.25 };
static struct vma vma;
static struct mm mm;
static struct op_config op;
static struct dist wakeup;
static struct recorder *rec;

/*
 * A swap of 1 MB (slots 1..256; 0 is the header) on the machine's disk, and
 * an anonymous mapping of NP pages of which @fraction starts swapped: with 1,
 * page i is in slot i + 1.
 */
static unsigned max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB; /* the disk's, at world() */

static void world(unsigned page_cluster, bool swapin_retry, int fault_retry, double fraction)
{
	anon_pages_release(&vma.anon);
	swap_release(&k.swap);
	disk_release(&k.disk);
	pagecache_release(&k.pc);
	memset(&k, 0, sizeof(k));
	wakeup = dist_const(W, 1);
	dcfg.scheduler = DISK_FIFO;
	dcfg.max_sectors_kb = max_sectors_kb;
	dcfg.service_ms = dist_const(1, NS_PER_MS);
	dcfg.page_transfer_us = dist_const(10, NS_PER_US);
	scfg.device = SWAP_ON_DISK;
	scfg.page_cluster = page_cluster;
	scfg.size_mb = 1;
	k.feat.fault_retry = fault_retry;
	k.feat.swapin_retry = swapin_retry;
	CHECK_EQ(pagecache_init(&k.pc, 1024, &wakeup), 0);
	disk_init(&k.disk, &dcfg, &k.pc, DISK_DEVICE_MAIN);
	CHECK_EQ(swap_init(&k.swap, &scfg, &k.pc, &k.disk), 0);
	rwsem_init(&mm.mmap_sem, rwsem_policy_find("2.6.36"), 0, &wakeup);
	mm.memcg = NULL;
	vma.cfg = &mcfg;
	vma.pages = NP;
	CHECK_EQ(anon_pages_init(&vma.anon, &k.swap, NP, fraction, NULL), 0);
	op.cpu_before_us = dist_const(1, NS_PER_US);
	op.cpu_miss_us = dist_const(20, NS_PER_US);
	op.cpu_after_us = dist_const(2, NS_PER_US);
	op.cpu_page_read_us = dist_const(0, NS_PER_US);
}

static bool swap_cached(uint64_t slot)
{
	return page_cached(&k.pc, &k.swap.inode, slot);
}

/* A page of the swap cache whose read is over and that nobody uses. */
static void add_idle_swap_page(uint64_t slot)
{
	struct page *p = add_to_page_cache_locked(&k.pc, &k.swap.inode, slot);

	p->uptodate = true;
	unlock_page(&k.pc, p, NULL);
	put_page(&k.pc, p);
}

/* ---- slots and page tables, on the state alone */

static void anon_pages_init_fraction_1_gives_slots_in_page_order(void)
{
	world(3, false, FAULT_RETRY_NONE, 1);
	for (uint64_t i = 0; i < NP; i++) {
		CHECK_EQ(vma.anon.state[i], ANON_SWAPPED);
		CHECK_EQ(vma.anon.slot[i], i + 1); /* slot 0 is the header */
		CHECK(k.swap.slot_used[i + 1]);
	}
	CHECK(!k.swap.slot_used[0]);
	CHECK_EQ(k.swap.nr_used, NP);
	CHECK_EQ(k.swap.nr_slots, 257);
}

/* Fraction 0: memory never touched (the first fault allocates); no slot. */
static void anon_pages_init_fraction_0_is_untouched_memory(void)
{
	world(3, false, FAULT_RETRY_NONE, 0);
	for (uint64_t i = 0; i < NP; i++)
		CHECK_EQ(vma.anon.state[i], ANON_NONE);
	CHECK_EQ(k.swap.nr_used, 0);
}

static void anon_pages_init_half_swaps_exactly_half_in_order(void)
{
	struct anon_pages a;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t swapped = 0, prev = 0, first_half = 0;

	world(3, false, FAULT_RETRY_NONE, 0);
	scfg.size_mb = 4;
	swap_release(&k.swap);
	CHECK_EQ(swap_init(&k.swap, &scfg, &k.pc, &k.disk), 0);
	gsl_rng_set(rng, 42);
	CHECK_EQ(anon_pages_init(&a, &k.swap, 1000, 0.5, rng), 0);
	for (uint64_t i = 0; i < 1000; i++) {
		if (a.state[i] == ANON_SWAPPED) {
			CHECK(a.slot[i] > prev); /* increasing with the page */
			CHECK(k.swap.slot_used[a.slot[i]]);
			prev = a.slot[i];
			swapped++;
			first_half += i < 500;
		} else {
			CHECK_EQ(a.state[i], ANON_PRESENT); /* the rest was touched */
		}
	}
	CHECK_EQ(swapped, 500); /* round(1000 * 0.5) */
	CHECK_EQ(prev, 500);    /* consecutive slots 1..500 */
	CHECK_EQ(k.swap.nr_used, 500);
	/* spread over the mapping, not the first 500 pages */
	CHECK(first_half > 200 && first_half < 300);
	anon_pages_release(&a);
	CHECK_EQ(anon_pages_init(&a, &k.swap, 7, 0.5, rng), 0); /* round(3.5) = 4 */
	swapped = 0;
	for (uint64_t i = 0; i < 7; i++)
		swapped += a.state[i] == ANON_SWAPPED;
	CHECK_EQ(swapped, 4);
	anon_pages_release(&a);
	gsl_rng_free(rng);
}

/* 256 usable slots: a mapping that does not fit fails and takes none. */
static void anon_pages_init_swap_full_fails_and_takes_nothing(void)
{
	struct anon_pages a, b;

	world(3, false, FAULT_RETRY_NONE, 1); /* NP slots taken */
	CHECK_EQ(anon_pages_init(&a, &k.swap, 256 - NP + 1, 1, NULL), -1);
	CHECK(a.state == NULL && a.slot == NULL && a.nr == 0);
	CHECK_EQ(k.swap.nr_used, NP);
	CHECK_EQ(anon_pages_init(&a, &k.swap, 256 - NP, 1, NULL), 0); /* exactly full */
	CHECK_EQ(k.swap.nr_used, 256);
	CHECK_EQ(anon_pages_init(&b, &k.swap, 1, 1, NULL), -1);
	CHECK_EQ(swap_out(&k.swap, &vma.anon, 1, NULL), 0); /* nothing present anyway */
	anon_pages_release(&a);
	/* released page tables do not free slots: munmap/exit do, page by page */
	CHECK_EQ(k.swap.nr_used, 256);
}

/*
 * The slots left by a swap-in or a free go to the next swap-out, except one
 * whose copy is still in the swap cache (SWAP_HAS_CACHE).
 */
static void freed_slots_are_reused_unless_still_in_swap_cache(void)
{
	world(3, false, FAULT_RETRY_NONE, 0);
	for (uint64_t i = 0; i < 8; i++)
		vma.anon.state[i] = ANON_PRESENT;
	CHECK_EQ(swap_out(&k.swap, &vma.anon, 4, NULL), 4); /* no rng: from page 0 */
	for (uint64_t i = 0; i < 4; i++) {
		CHECK_EQ(vma.anon.state[i], ANON_SWAPPED);
		CHECK_EQ(vma.anon.slot[i], i + 1);
	}
	CHECK_EQ(vma.anon.state[4], ANON_PRESENT);
	anon_page_free(&k.swap, &vma.anon, 1); /* slot 2 free */
	anon_page_free(&k.swap, &vma.anon, 4); /* present: nothing to free */
	CHECK_EQ(vma.anon.state[1], ANON_NONE);
	CHECK_EQ(vma.anon.state[4], ANON_NONE);
	CHECK(!k.swap.slot_used[2]);
	CHECK_EQ(k.swap.nr_used, 3);
	add_idle_swap_page(5); /* a stale copy: slot 5 stays taken */
	CHECK(swap_slot_busy(&k.swap, 5) && swap_slot_busy(&k.swap, 1));
	CHECK(!swap_slot_busy(&k.swap, 2) && !swap_slot_busy(&k.swap, 6));
	/* the cursor goes on from 5 (skipping the cached 5); 2 waits for the wrap */
	CHECK_EQ(swap_out(&k.swap, &vma.anon, 2, NULL), 2); /* pages 5 and 6 */
	CHECK_EQ(vma.anon.slot[5], 6);
	CHECK_EQ(vma.anon.slot[6], 7);
	k.swap.next_slot = 256;
	vma.anon.state[8] = ANON_PRESENT;
	CHECK_EQ(swap_out(&k.swap, &vma.anon, 8, NULL), 2); /* only pages 7 and 8 are left */
	CHECK_EQ(vma.anon.slot[7], 256);
	CHECK_EQ(vma.anon.slot[8], 2); /* wrapped past the header and the used slot 1 */
	CHECK_EQ(k.swap.nr_used, 7);
}

/* With an rng: a run of neighbouring present pages from a random one, wrapping. */
static void swap_out_takes_a_run_of_present_pages_from_a_random_page(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t starts[NP] = { 0 }, distinct = 0;

	world(3, false, FAULT_RETRY_NONE, 0);
	for (int run = 0; run < 40; run++) {
		uint64_t first = NP, n = 0;

		for (uint64_t i = 0; i < NP; i++) {
			if (vma.anon.state[i] == ANON_SWAPPED)
				anon_page_free(&k.swap, &vma.anon, i);
			vma.anon.state[i] =
			        i % 2 ? ANON_PRESENT : ANON_NONE; /* odd pages present */
		}
		gsl_rng_set(rng, (unsigned long)run + 1);
		CHECK_EQ(swap_out(&k.swap, &vma.anon, 5, rng), 5);
		for (uint64_t i = 0; i < NP; i++) {
			if (vma.anon.state[i] != ANON_SWAPPED)
				continue;
			CHECK(i % 2 == 1);
			n++;
			/* the run is 5 consecutive odd pages modulo NP: find its start */
			if (vma.anon.state[(i + NP - 2) % NP] != ANON_SWAPPED)
				first = i;
		}
		CHECK_EQ(n, 5);
		CHECK(first < NP);
		if (first < NP) {
			for (uint64_t j = 0; j < 5; j++)
				CHECK_EQ(vma.anon.state[(first + 2 * j) % NP], ANON_SWAPPED);
			distinct += !starts[first]++;
		}
	}
	CHECK(distinct > 10);
	gsl_rng_free(rng);
}

/* ---- do_swap_page in simulations */

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* One fault of a script: at @at, on @pgoff; direct: do_swap_page alone. */
struct step {
	sim_ns at;
	uint64_t pgoff;
	bool full;      /* do_page_fault (both passes, the records) */
	unsigned flags; /* direct: vmf->flags */
	/* results */
	int ret;
	bool released;    /* direct: the callee dropped mmap_sem */
	unsigned readers; /* direct: mmap_sem readers right after the call */
	sim_ns end;
};

#define MAX_STEPS 4
static struct step steps[2][MAX_STEPS];
static unsigned nr_steps[2];
static struct thread th[2];
static sim_ns t_writer, writer_at;
static unsigned probe_readers;
static sim_ns probe_at;

static void faulter_main(struct task *t)
{
	int me = (int)(intptr_t)task_data(t);

	th[me] = (struct thread){ .task = t, .k = &k, .mm = &mm };
	rec = ((struct record_ctx *)task_owner(t))->rec;
	for (unsigned i = 0; i < nr_steps[me]; i++) {
		struct step *s = &steps[me][i];

		task_sleep(t, s->at - task_now(t));
		if (s->full) {
			do_page_fault(&th[me], &vma, s->pgoff, false, &op);
		} else {
			struct rwsem_hold hold;
			struct vm_fault vmf = { .th = &th[me],
				                .vma = &vma,
				                .pgoff = s->pgoff,
				                .flags = s->flags,
				                .op = &op,
				                .mmap_hold = &hold };

			down_read(&mm.mmap_sem, t, SITE_FAULT, &hold);
			s->ret = do_swap_page(&vmf);
			s->released = vmf.lock_released;
			s->readers = mm.mmap_sem.readers;
			if (!s->released)
				up_read(&mm.mmap_sem, t, &hold);
		}
		s->end = task_now(t);
	}
	park(t);
}

/* mmap() at writer_at: gets mmap_sem only when no fault sleeps with it. */
static void writer_main(struct task *t)
{
	struct rwsem_hold hold;

	task_sleep(t, writer_at);
	down_write(&mm.mmap_sem, t, SITE_MMAP, &hold);
	t_writer = task_now(t);
	task_cpu(t, 10);
	up_write(&mm.mmap_sem, t, &hold);
	park(t);
}

static void probe_main(struct task *t)
{
	task_sleep(t, probe_at);
	probe_readers = mm.mmap_sem.readers;
	park(t);
}

static void add_step(int who, sim_ns at, uint64_t pgoff, bool full, unsigned flags)
{
	steps[who][nr_steps[who]++] =
	        (struct step){ .at = at, .pgoff = pgoff, .full = full, .flags = flags, .ret = -1 };
}

/* The tasks of a script: the disk, the faulters with steps, a writer if writer_at. */
static void spawn_all(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &k.disk);
	for (int i = 0; i < 2; i++)
		if (nr_steps[i])
			sim_spawn(e, "faulter", faulter_main, (void *)(intptr_t)i);
	if (writer_at)
		sim_spawn(e, "mmap", writer_main, NULL);
	if (probe_at)
		sim_spawn(e, "probe", probe_main, NULL);
}

static void script(void)
{
	memset(steps, 0, sizeof(steps));
	nr_steps[0] = nr_steps[1] = 0;
	writer_at = probe_at = 0;
	t_writer = -1;
}

/* page_cluster 0: the page alone, exactly one service time; slot freed. */
static void cluster0_setup(struct engine *e)
{
	world(0, false, FAULT_RETRY_NONE, 1);
	script();
	add_step(0, 10, 9, false, 0);             /* slot 10 */
	add_step(0, 2 * NS_PER_MS, 10, false, 0); /* slot 11: not read with 10 */
	spawn_all(e);
}

static void cluster0_verify(void)
{
	CHECK_EQ(steps[0][0].ret, VM_FAULT_MAJOR);
	CHECK_EQ(steps[0][0].end, 10 + M + S + W + A);
	CHECK_EQ(steps[0][0].readers, 1); /* mmap_sem held throughout */
	CHECK_EQ(steps[0][1].ret, VM_FAULT_MAJOR);
	CHECK_EQ(steps[0][1].end, 2 * NS_PER_MS + M + S + W + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 2);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.min_ns, S);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.max_ns, S);
	CHECK_EQ(vma.anon.state[9], ANON_PRESENT);
	CHECK_EQ(vma.anon.state[10], ANON_PRESENT);
	CHECK(!k.swap.slot_used[10] && !k.swap.slot_used[11]); /* swap_free */
	CHECK_EQ(k.swap.nr_used, NP - 2);
	CHECK(swap_cached(10) && swap_cached(11)); /* the copies stay in the swap cache */
	CHECK(!swap_cached(9) && !swap_cached(12));
	CHECK_EQ(vma.anon.state[11], ANON_SWAPPED);
	CHECK_EQ(rec->swap.ins, 2);
	CHECK_EQ(rec->swap.readahead_pages, 0);
	CHECK_EQ(rec->swap.latency.min_ns, S + W); /* submission to the faulter running */
	CHECK_EQ(rec->swap.latency.max_ns, S + W);
}

static void swapin_page_cluster_0_reads_one_page(void)
{
	sim_check(cluster0_setup, cluster0_verify, 10 * NS_PER_MS);
}

/*
 * page_cluster 3: slot 10's block is slots 8..15 (pages 7..14), one request
 * of 8 pages; page 12 later is a swap cache hit, minor, no I/O. Page 0's
 * block starts at the header: slots 1..7.
 */
static void cluster3_setup(struct engine *e)
{
	world(3, false, FAULT_RETRY_NONE, 1);
	script();
	add_step(0, 10, 9, false, 0);
	add_step(0, 5 * NS_PER_MS, 12, false, 0);
	add_step(0, 6 * NS_PER_MS, 0, false, 0);
	spawn_all(e);
}

static void cluster3_verify(void)
{
	CHECK_EQ(steps[0][0].ret, VM_FAULT_MAJOR);
	CHECK_EQ(steps[0][0].end, 10 + M + S + 7 * P + W + A);
	CHECK_EQ(steps[0][1].ret, 0); /* minor: found in the swap cache */
	CHECK_EQ(steps[0][1].end, 5 * NS_PER_MS + A);
	CHECK_EQ(steps[0][2].ret, VM_FAULT_MAJOR);
	CHECK_EQ(steps[0][2].end, 6 * NS_PER_MS + M + S + 6 * P + W + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 2);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.max_ns, S + 7 * P);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.min_ns, S + 6 * P);
	for (uint64_t slot = 1; slot < 16; slot++)
		CHECK(swap_cached(slot));
	CHECK(!swap_cached(0) && !swap_cached(16) && !swap_cached(7 + 16));
	/* the pages read ahead stay swapped (and in the swap cache) until faulted */
	CHECK_EQ(vma.anon.state[8], ANON_SWAPPED);
	CHECK(k.swap.slot_used[9]);
	CHECK_EQ(vma.anon.state[12], ANON_PRESENT);
	CHECK(!k.swap.slot_used[13]);
	CHECK_EQ(k.swap.nr_used, NP - 3);
	CHECK_EQ(rec->swap.ins, 2); /* the minor fault read nothing */
	CHECK_EQ(rec->swap.readahead_pages, 7 + 6);
	CHECK_EQ(rec->swap.latency.max_ns, S + 7 * P + W);
}

static void swapin_page_cluster_3_reads_aligned_block_and_neighbour_is_minor(void)
{
	sim_check(cluster3_setup, cluster3_verify, 10 * NS_PER_MS);
}

/*
 * A cluster larger than a request: with max_sectors_kb 16 (4 pages), slot
 * 10's block 8..15 goes as two requests, 8..11 then 12..15, served in
 * turn; the fault waits only for the first, which holds slot 10.
 */
static void split_setup(struct engine *e)
{
	world(3, false, FAULT_RETRY_NONE, 1);
	script();
	add_step(0, 10, 9, false, 0);
	spawn_all(e);
}

static void split_verify(void)
{
	CHECK_EQ(steps[0][0].ret, VM_FAULT_MAJOR);
	CHECK_EQ(steps[0][0].end, 10 + M + S + 3 * P + W + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 2);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.min_ns, S + 3 * P);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.max_ns, 2 * (S + 3 * P));
	for (uint64_t slot = 8; slot < 16; slot++)
		CHECK(swap_cached(slot));
	CHECK_EQ(rec->swap.readahead_pages, 7);
}

static void swapin_cluster_larger_than_a_request_is_split(void)
{
	max_sectors_kb = 16;
	sim_check(split_setup, split_verify, 10 * NS_PER_MS);
	max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
}

/*
 * The window is the run of busy slots around the target (valid_swaphandles):
 * slot 13 freed stops it at 12; slot 9 already cached splits it in two
 * requests (8, and 10..12) and is not read again.
 */
static void window_setup(struct engine *e)
{
	world(3, false, FAULT_RETRY_NONE, 1);
	anon_page_free(&k.swap, &vma.anon, 12); /* slot 13 */
	add_idle_swap_page(9);                  /* page 8's copy, cached */
	script();
	add_step(0, 10, 10, false, 0); /* slot 11 */
	spawn_all(e);
}

static void window_verify(void)
{
	CHECK_EQ(steps[0][0].ret, VM_FAULT_MAJOR);
	/* FIFO: the request of slot 8 first, then 10..12 with the target */
	CHECK_EQ(steps[0][0].end, 10 + M + S + S + 2 * P + W + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 2);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.min_ns, S);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.max_ns,
	         S + S + 2 * P); /* queued behind the first */
	for (uint64_t slot = 8; slot < 13; slot++)
		CHECK(swap_cached(slot));
	CHECK(!swap_cached(7) && !swap_cached(13) && !swap_cached(14));
	CHECK_EQ(rec->swap.ins, 1);
	CHECK_EQ(rec->swap.readahead_pages, 3); /* slots 8, 10, 12 */
}

static void swapin_window_stops_at_free_slot_and_skips_cached(void)
{
	sim_check(window_setup, window_verify, 10 * NS_PER_MS);
}

/*
 * swapin_retry off (seed 001's 2.6.36-release: fault_retry on, swap not):
 * mmap_sem is held across the swap read; an mmap() arriving at 50 waits for
 * the whole fault.
 */
static void noretry_setup(struct engine *e)
{
	world(0, false, FAULT_RETRY_ONCE, 1);
	script();
	add_step(0, 10, 9, true, 0);
	add_step(1, 5 * NS_PER_MS, 20, false, FAULT_FLAG_ALLOW_RETRY);
	writer_at = 50;
	probe_at = 10 + B + M + S / 2;
	spawn_all(e);
}

static void noretry_verify(void)
{
	sim_ns end = 10 + B + M + S + W + A;

	CHECK_EQ(steps[0][0].end, end);
	CHECK_EQ(probe_readers, 1); /* in the middle of the read */
	CHECK_EQ(t_writer, end + W);
	CHECK_EQ(rec->faults.all.major, 2 - 1); /* the direct step is not recorded */
	CHECK_EQ(rec->faults.all.retries, 0);
	/* ALLOW_RETRY is ignored by lock_page: no RETRY, mmap_sem kept */
	CHECK_EQ(steps[1][0].ret, VM_FAULT_MAJOR);
	CHECK(!steps[1][0].released);
	CHECK_EQ(steps[1][0].readers, 1);
	CHECK_EQ(steps[1][0].end, 5 * NS_PER_MS + M + S + W + A);
}

static void swapin_retry_off_holds_mmap_sem_across_the_read(void)
{
	sim_check(noretry_setup, noretry_verify, 10 * NS_PER_MS);
}

/*
 * swapin_retry on (seed 000, 2.6.37): the first pass drops mmap_sem before
 * the wait and returns RETRY; the mmap() gets in during the read; the retry
 * pass finds the page in the swap cache.
 */
static void retry_setup(struct engine *e)
{
	world(0, true, FAULT_RETRY_ONCE, 1);
	script();
	add_step(0, 10, 9, true, 0);
	writer_at = 50;
	probe_at = 10 + B + M + S / 2;
	spawn_all(e);
}

static void retry_verify(void)
{
	CHECK_EQ(t_writer, 10 + B + M + W); /* handed over by the fault's up_read */
	CHECK_EQ(probe_readers, 0);
	CHECK_EQ(steps[0][0].end, 10 + B + M + S + W + B + A); /* a second cpu_before */
	CHECK_EQ(rec->faults.all.major, 1);                    /* the first pass counts */
	CHECK_EQ(rec->faults.all.minor, 0);
	CHECK_EQ(rec->faults.all.retries, 1);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK_EQ(vma.anon.state[9], ANON_PRESENT);
	CHECK(!k.swap.slot_used[10]);
	CHECK_EQ(rec->swap.ins, 1); /* by the first pass, when its wait ended */
	CHECK_EQ(rec->swap.latency.max_ns, S + W);
}

static void swapin_retry_on_releases_mmap_sem_during_the_read(void)
{
	sim_check(retry_setup, retry_verify, 10 * NS_PER_MS);
}

/* The same, one pass at a time: the bits each returns. */
static void retry_bits_setup(struct engine *e)
{
	world(3, true, FAULT_RETRY_ONCE, 1);
	script();
	add_step(0, 10, 9, false, FAULT_FLAG_ALLOW_RETRY);
	add_step(0, 2 * NS_PER_MS, 9, false, FAULT_FLAG_TRIED);
	add_step(0, 3 * NS_PER_MS, 10, false, FAULT_FLAG_ALLOW_RETRY); /* read ahead */
	spawn_all(e);
}

static void retry_bits_verify(void)
{
	struct step *s = steps[0];

	CHECK_EQ(s[0].ret, VM_FAULT_MAJOR | VM_FAULT_RETRY);
	CHECK(s[0].released);
	CHECK_EQ(s[0].readers, 0);
	CHECK_EQ(s[0].end, 10 + M + S + 7 * P + W); /* woken by the read, no cpu_after */
	CHECK_EQ(s[1].ret, 0);                      /* the retry pass: swap cache hit */
	CHECK_EQ(s[1].readers, 1);
	CHECK_EQ(s[1].end, 2 * NS_PER_MS + A);
	CHECK_EQ(s[2].ret, 0); /* unlocked and up to date: no retry needed */
	CHECK(!s[2].released);
	CHECK_EQ(s[2].end, 3 * NS_PER_MS + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK(!k.swap.slot_used[10] && !k.swap.slot_used[11] && k.swap.slot_used[12]);
}

static void swapin_retry_first_pass_returns_retry_second_is_minor(void)
{
	sim_check(retry_bits_setup, retry_bits_verify, 10 * NS_PER_MS);
}

/*
 * Two threads on one swapped page (2.6.36): the second finds it in the swap
 * cache, locked by the read, waits in lock_page behind the first, then sees
 * the pte mapped and backs out (out_nomap): one read, one swap_free.
 */
static void race_setup(struct engine *e)
{
	world(0, false, FAULT_RETRY_NONE, 1);
	script();
	add_step(0, 10, 9, false, 0);
	add_step(1, 30000, 9, false, 0);
	spawn_all(e);
}

static void race_verify(void)
{
	sim_ns first = 10 + M + S + W + A;

	CHECK_EQ(steps[0][0].ret, VM_FAULT_MAJOR);
	CHECK_EQ(steps[0][0].end, first);
	CHECK_EQ(steps[1][0].ret, 0); /* a swap cache hit: minor */
	CHECK_EQ(steps[1][0].end, first + W + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK_EQ(vma.anon.state[9], ANON_PRESENT);
	CHECK_EQ(k.swap.nr_used, NP - 1);
	CHECK_EQ(rec->swap.ins, 1);
}

static void two_faults_on_one_page_read_it_once(void)
{
	sim_check(race_setup, race_verify, 10 * NS_PER_MS);
}

/*
 * swap_out moves present pages to free slots and a fault reads them back.
 * Pages 0..15 present; reclaim takes 0..3 (slots 1..4). A fault on page 2
 * reads the busy run 1..4 of its block. At 6 ms reclaim takes pages 1 and 2
 * again: slots 2 and 3 still hold their stale copies, so they get 5 and 6;
 * page 2's fault then reads only 5..6 (1, 4 and the stale 2, 3 are cached).
 */
static unsigned moved[2];
static sim_ns page_read_ns; /* cpu_page_read_us of the faults, in ns */

static void reclaim_main(struct task *t)
{
	task_sleep(t, 6 * NS_PER_MS);
	moved[1] = swap_out(&k.swap, &vma.anon, 2, NULL);
	park(t);
}

static void swap_out_setup(struct engine *e)
{
	world(3, false, FAULT_RETRY_NONE, 0);
	op.cpu_page_read_us = dist_const((double)page_read_ns / NS_PER_US, NS_PER_US);
	for (uint64_t i = 0; i < 16; i++)
		vma.anon.state[i] = ANON_PRESENT;
	moved[0] = swap_out(&k.swap, &vma.anon, 4, NULL);
	script();
	add_step(0, 10, 2, false, 0);
	add_step(0, 5 * NS_PER_MS, 1, false, 0);
	add_step(0, 7 * NS_PER_MS, 2, false, 0);
	spawn_all(e);
	sim_spawn(e, "reclaim", reclaim_main, NULL);
}

static void swap_out_verify(void)
{
	struct step *s = steps[0];

	CHECK_EQ(moved[0], 4);
	CHECK_EQ(s[0].ret, VM_FAULT_MAJOR);
	/* each page read costs its CPU before the read is submitted: 4 here, 2 below */
	CHECK_EQ(s[0].end, 10 + M + 4 * page_read_ns + S + 3 * P + W + A);
	CHECK_EQ(s[1].ret, 0); /* read with page 2 */
	CHECK_EQ(s[1].end, 5 * NS_PER_MS + A);
	CHECK_EQ(moved[1], 2);
	CHECK_EQ(vma.anon.slot[1], 5);
	CHECK_EQ(s[2].ret, VM_FAULT_MAJOR);
	CHECK_EQ(s[2].end, 7 * NS_PER_MS + M + 2 * page_read_ns + S + P + W + A);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 2);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].latency.min_ns, S + P);
	CHECK_EQ(vma.anon.state[0], ANON_SWAPPED);
	CHECK_EQ(vma.anon.state[1], ANON_SWAPPED); /* swapped out again, in the cache */
	CHECK_EQ(vma.anon.state[2], ANON_PRESENT);
	CHECK_EQ(vma.anon.state[3], ANON_SWAPPED);
	CHECK(k.swap.slot_used[1] && k.swap.slot_used[4] && k.swap.slot_used[5]);
	CHECK(!k.swap.slot_used[2] && !k.swap.slot_used[3] && !k.swap.slot_used[6]);
	CHECK_EQ(k.swap.nr_used, 3);
	for (uint64_t slot = 1; slot < 7; slot++)
		CHECK(swap_cached(slot));
	CHECK(!swap_cached(7));
}

static void swap_out_then_fault_reads_the_page_back(void)
{
	sim_check(swap_out_setup, swap_out_verify, 20 * NS_PER_MS);
}

/* cpu_page_read_us (docs/kernel-model.md#page-read-cost): per page of the swap-in cluster read. */
static void swap_in_charges_each_page_read(void)
{
	page_read_ns = 3 * NS_PER_US;
	sim_check(swap_out_setup, swap_out_verify, 20 * NS_PER_MS);
	page_read_ns = 0;
}

/*
 * The memcg charge of a swap-in waits with the page lock held (docs/kernel-model.md#swap-in):
 * under 2.6.37 the retry pass holds mmap_sem too. The cgroup is full and
 * never reclaims (oom_kill_disable): the charge sleeps until an uncharge at
 * 5 ms. A second fault on the page (2 ms) waits for the page lock without
 * mmap_sem (RETRY); an mmap() (3 ms) waits for the retry pass's mmap_sem.
 */
static struct memcg cg;
static struct memcg_config cgcfg;

static void uncharger_main(struct task *t)
{
	task_sleep(t, 5 * NS_PER_MS);
	memcg_uncharge(&cg, t, 1);
	park(t);
}

static void charge_setup(struct engine *e)
{
	world(0, true, FAULT_RETRY_ONCE, 1);
	cgcfg = (struct memcg_config){ .name = "cg",
		                       .limit_mb = 1,
		                       .usage_mb = 1,
		                       .reclaim_us = dist_const(0, NS_PER_US),
		                       .reclaim_retries = 0,
		                       .reclaim_pages = 32,
		                       .oom_kill_disable = true };
	memcg_init(&cg, &cgcfg, 0, &wakeup, NULL, NULL);
	mm.memcg = &cg;
	mm.charged = 0;
	script();
	add_step(0, 10, 9, true, 0);
	add_step(1, 2 * NS_PER_MS, 9, false, FAULT_FLAG_ALLOW_RETRY);
	writer_at = 3 * NS_PER_MS;
	spawn_all(e);
	sim_spawn(e, "uncharge", uncharger_main, NULL);
}

static void charge_verify(void)
{
	sim_ns unlock = 5 * NS_PER_MS + W + A; /* woken by the uncharge, then the pte */

	CHECK_EQ(steps[0][0].end, unlock);
	CHECK_EQ(steps[1][0].ret, VM_FAULT_RETRY); /* a swap cache hit: not major */
	CHECK(steps[1][0].released);
	CHECK_EQ(steps[1][0].end, unlock + W);
	CHECK_EQ(t_writer, unlock + W);
	CHECK_EQ(mm.charged, 1);
	CHECK_EQ(cg.usage_pages, 256);
	CHECK_EQ(cg.oom_waits, 1);
	CHECK_EQ(vma.anon.state[9], ANON_PRESENT);
	CHECK_EQ(rec->faults.all.major, 1);
	CHECK_EQ(rec->faults.all.retries, 1);
}

static void swapin_charge_waits_with_the_page_lock_held(void)
{
	sim_check(charge_setup, charge_verify, 20 * NS_PER_MS);
}

static void swap_params_address_the_own_device(void)
{
	const struct param *p;
	struct swap_config c;
	bool seen[5] = { false };

	for (p = swap_params; p->key; p++) {
		if (strcmp(p->key, "service_ms") == 0) {
			seen[0] = true;
			CHECK(p->type == PARAM_DIST);
			CHECK((char *)&c + p->offset == (char *)&c.own.service_ms);
		} else if (strcmp(p->key, "page_transfer_us") == 0) {
			seen[1] = true;
			CHECK((char *)&c + p->offset == (char *)&c.own.page_transfer_us);
		} else if (strcmp(p->key, "page_cluster") == 0) {
			seen[2] = true;
			CHECK(p->min == 0 && p->max == 8 && strcmp(p->def, "3") == 0);
		} else if (strcmp(p->key, "size_mb") == 0) {
			seen[3] = true;
			CHECK(strcmp(p->def, "4096") == 0);
		} else if (strcmp(p->key, "device") == 0) {
			seen[4] = true;
			CHECK(strcmp(p->choices[SWAP_ON_DISK], "disk") == 0);
			CHECK(strcmp(p->choices[SWAP_OWN_DEVICE], "own") == 0);
		}
	}
	for (int i = 0; i < 5; i++)
		CHECK(seen[i]);
}

int main(void)
{
	TEST(anon_pages_init_fraction_1_gives_slots_in_page_order);
	TEST(anon_pages_init_fraction_0_is_untouched_memory);
	TEST(anon_pages_init_half_swaps_exactly_half_in_order);
	TEST(anon_pages_init_swap_full_fails_and_takes_nothing);
	TEST(freed_slots_are_reused_unless_still_in_swap_cache);
	TEST(swap_out_takes_a_run_of_present_pages_from_a_random_page);
	TEST(swap_params_address_the_own_device);
	TEST(swapin_page_cluster_0_reads_one_page);
	TEST(swapin_page_cluster_3_reads_aligned_block_and_neighbour_is_minor);
	TEST(swapin_cluster_larger_than_a_request_is_split);
	TEST(swapin_window_stops_at_free_slot_and_skips_cached);
	TEST(swapin_retry_off_holds_mmap_sem_across_the_read);
	TEST(swapin_retry_on_releases_mmap_sem_during_the_read);
	TEST(swapin_retry_first_pass_returns_retry_second_is_minor);
	TEST(two_faults_on_one_page_read_it_once);
	TEST(swap_out_then_fault_reads_the_page_back);
	TEST(swap_in_charges_each_page_read);
	TEST(swapin_charge_waits_with_the_page_lock_held);
	anon_pages_release(&vma.anon);
	swap_release(&k.swap);
	disk_release(&k.disk);
	pagecache_release(&k.pc);
	return harness_failures != 0;
}
