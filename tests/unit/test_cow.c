/*
 * test_cow.c - the memcg-charging fault paths and their lock order (docs/kernel-model.md#anon-cow,
 * 2.3, 5.1-5.3, seed 003): the COW copy of a private file page charged under
 * the page-cache page's lock (2.6.39) or before it (3.1, cow_prealloc), the
 * copy itself under that lock either way (3.1.3 __do_fault), the
 * charge of a first touch (do_anonymous_page) and of a write after fork
 * (do_wp_page), and exit, whose uncharge ends an OOM wait; two threads
 * racing on one page charge twice and the loser uncharges at the pte check;
 * an exit between the passes of a retried fault. A small machine
 * built as the runner builds it (kernel_init, mm_init); constant costs, so
 * every instant is exact. The machine and its processes A, B and C are
 * tests/unit/cgworld.h's; the cgroup has oom_kill_disable: a charge over
 * the limit waits for an uncharge.
 */
#include <string.h>

#include "tests/unit/cgworld.h"
#include "tests/unit/harness.h"

#define W (7 * NS_PER_US)   /* machine.wakeup_us: page lock, mmap_sem, OOM wake-ups */
#define B (1 * NS_PER_US)   /* cpu_before_us */
#define M (20 * NS_PER_US)  /* cpu_miss_us */
#define A (2 * NS_PER_US)   /* cpu_after_us */
#define C (3 * NS_PER_US)   /* cpu_copy_us */
#define R (50 * NS_PER_US)  /* reclaim_us, 2 attempts before the OOM wait */
#define S (1 * NS_PER_MS)   /* disk service_ms */
#define E (40 * NS_PER_US)  /* exit cpu_us */
#define H (100 * NS_PER_US) /* hold_us of mmap and fork */
#define END (20 * NS_PER_MS)

#define BASE CGW_BASE
#define LIB CGW_LIB
#define HEAP CGW_HEAP
#define LIBPG 5 /* the file page everybody faults */
#define FILE_ID CGW_FILE_ID
#define MM_A CGW_A
#define MM_B CGW_B
#define MM_C CGW_C
#define NR_MM CGW_NR_MM

/* The machine under @profile's features; ld.so cached when @cached; @room pages over BASE. */
static void world(const char *profile, bool cached, unsigned room)
{
	const struct kernel_profile *kp = kernel_profile_find(profile);
	struct cgworld_opts o = { .feat = kp ? &kp->features : &kernel_profiles[0].features,
		                  .cached = cached,
		                  .advice = ADVICE_RANDOM,
		                  .room = room,
		                  .oom_kill_disable = true,
		                  .page_cache_mb = 4 };

	CHECK(kp != NULL);
	cgworld_init(&o);
}

static uint8_t pte(int mm, int vma, uint64_t pgoff)
{
	return cgw_mms[mm].vmas[vma].anon.state[pgoff];
}

/* ---- the tasks: scripted threads of the processes (cgworld.h), and a probe */

/* What the probe saw at @at. */
struct snap {
	sim_ns at;
	unsigned readers[NR_MM], queued[NR_MM];
	bool writer[NR_MM];
	bool page_locked;    /* ld.so's LIBPG */
	uint8_t heap1, copy; /* A's ptes: heap page 1, its copy of LIBPG */
	uint64_t usage, charged[NR_MM];
	bool oom_waiting;
};

#define MAX_SNAPS 4
static struct snap snaps[MAX_SNAPS];
static unsigned nr_snaps;

static void probe_main(struct task *t)
{
	for (unsigned i = 0; i < nr_snaps; i++) {
		struct snap *s = &snaps[i];
		struct page *p;

		task_sleep(t, s->at - task_now(t));
		for (int m = 0; m < NR_MM; m++) {
			s->readers[m] = cgw_mms[m].mmap_sem.readers;
			s->queued[m] = cgw_mms[m].mmap_sem.queued;
			s->writer[m] = cgw_mms[m].mmap_sem.writer;
			s->charged[m] = cgw_mms[m].charged;
		}
		p = find_get_page(&cgw_k.pc, &cgw_k.files[FILE_ID]->inode, LIBPG);
		s->page_locked = p && p->locked;
		if (p)
			put_page(&cgw_k.pc, p);
		s->heap1 = pte(MM_A, HEAP, 1);
		s->copy = pte(MM_A, LIB, LIBPG);
		s->usage = cgw_cg->usage_pages;
		s->oom_waiting = cgw_cg->oom_head != NULL;
	}
	cgw_park(t);
}

static struct cgw_step *fault(struct cgw_actor *a, sim_ns at, int vma, uint64_t pgoff, bool write)
{
	return cgw_step(a, at, CGW_FAULT, vma, pgoff, write);
}

static struct snap *snap(sim_ns at)
{
	struct snap *s = &snaps[nr_snaps++];

	memset(s, 0, sizeof(*s));
	s->at = at;
	return s;
}

static void script(void)
{
	cgw_script();
	nr_snaps = 0;
}

static void spawn_all(struct engine *e)
{
	cgw_spawn(e);
	if (nr_snaps)
		sim_spawn(e, "probe", probe_main, NULL);
}

/* The step @i of actor @a. */
#define ST(a, i) CGW_ST(a, i)

/* ---- 1, 2: the COW charge waits for memory; where is the page lock? */

/*
 * A (actor 0) write-faults LIBPG at 10 with the cgroup full; B (actor 1)
 * read-faults the same page at 1 ms; an mmap() of A (actor 2) at 1.5 ms;
 * C exits at 3 ms (actor 3): its 4 pages uncharged at T wake A's charge.
 */
#define T1 (1 * NS_PER_MS)
#define T_MMAP (1500 * NS_PER_US)
#define T_EXIT (3 * NS_PER_MS)
#define T (T_EXIT + E)
#define T_SNAP (2 * NS_PER_MS)

static void oom_wait_script(const char *profile)
{
	world(profile, true, 0);
	cgw_mms[MM_C].charged = 4; /* part of usage_mb */
	script();
	fault(cgw_actor(MM_A), 10, LIB, LIBPG, true);
	fault(cgw_actor(MM_B), T1, 0, LIBPG, false);
	cgw_step(cgw_actor(MM_A), T_MMAP, CGW_MMAP, 0, 0, false);
	cgw_step(cgw_actor(MM_C), T_EXIT, CGW_EXIT, 0, 0, false);
	snap(T_SNAP);
}

/*
 * What both orders share: A's charge waits from 10 + B + 2R to T + W; the
 * copy (C) and the pte (A) follow.
 */
static void oom_wait_check_charge(void)
{
	const struct memcg_stats *m = &cgw_rec->memcgs.cg[0];

	CHECK(snaps[0].oom_waiting);
	CHECK_EQ(snaps[0].usage, BASE);
	CHECK_EQ(snaps[0].charged[MM_A], 0);
	/* the charge is no page-lock wait: A's fault keeps mmap_sem, its mmap() queues */
	CHECK_EQ(snaps[0].readers[MM_A], 1);
	CHECK_EQ(snaps[0].queued[MM_A], 1);
	CHECK_EQ(ST(0, 0).end, T + W + C + A);
	CHECK_EQ(ST(2, 0).end, T + W + C + A + W + H); /* handed over by A's up_read */
	CHECK_EQ(ST(3, 0).end, T);
	CHECK_EQ(m->charges, 1);
	CHECK_EQ(m->oom_waits, 1);
	CHECK_EQ(m->reclaims, 2);
	CHECK_EQ(m->latency.max_ns, T + W - (10 + B));
	CHECK_EQ(cgw_cg->usage_pages, BASE - 4 + 1);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
	CHECK_EQ(cgw_mms[MM_C].charged, 0);
	CHECK_EQ(pte(MM_A, LIB, LIBPG), ANON_PRESENT); /* A's own copy */
	CHECK_EQ(cgw_rec->locks.mm[MM_A].hold[LOCK_READ].max_ns, T + W + C + A - 10);
	CHECK_EQ(cgw_rec->locks.mm[MM_A].wait[LOCK_WRITE].max_ns, T + W + C + A - T_MMAP);
}

/*
 * 2.6.39: the charge runs with the page-cache page locked (taken at 10 + B).
 * B's fault finds it locked: lock_page_or_retry drops B's mmap_sem and waits
 * until A unlocks at T + W + C + A; B's retry pass ends T + 2W + C + 2A + B.
 */
static void under_lock_setup(struct engine *e)
{
	oom_wait_script("2.6.39");
	spawn_all(e);
}

static void under_lock_verify(void)
{
	const struct page_lock_stats *pl = recorder_file_locks(cgw_rec, FILE_ID);

	oom_wait_check_charge();
	CHECK(snaps[0].page_locked);
	CHECK_EQ(snaps[0].readers[MM_B], 0); /* retry: B waits without its mmap_sem */
	CHECK_EQ(ST(1, 0).end, T + W + C + A + W + B + A);
	CHECK_EQ(cgw_rec->faults.mm[MM_B].retries, 1);
	CHECK_EQ(cgw_rec->faults.mm[MM_B].latency.max_ns, T + 2 * W + C + 2 * A + B - T1);
	CHECK_EQ(cgw_rec->faults.mm[MM_A].retries, 0);
	CHECK_EQ(pl->acquisitions, 2);                           /* A's, then B's retry pass */
	CHECK_EQ(pl->hold.max_ns, T + W + C + A - (10 + B));     /* A's: the whole charge */
	CHECK_EQ(pl->wait.max_ns, T + W + C + A + W - (T1 + B)); /* B's wait_on_page_locked */
}

static void cow_charge_waits_under_the_page_lock_2_6_39(void)
{
	sim_check(under_lock_setup, under_lock_verify, END);
}

/* 2.6.36: the same, but B sleeps in lock_page holding its own mmap_sem. */
static void under_lock_noretry_setup(struct engine *e)
{
	oom_wait_script("2.6.36");
	spawn_all(e);
}

static void under_lock_noretry_verify(void)
{
	oom_wait_check_charge();
	CHECK(snaps[0].page_locked);
	CHECK_EQ(snaps[0].readers[MM_B], 1);
	CHECK_EQ(ST(1, 0).end, T + W + C + A + W + A); /* woken with the lock, no second pass */
	CHECK_EQ(cgw_rec->faults.mm[MM_B].retries, 0);
	CHECK_EQ(cgw_rec->locks.mm[MM_B].hold[LOCK_READ].max_ns, T + 2 * W + C + 2 * A - T1);
}

static void cow_charge_under_page_lock_blocks_reader_holding_mmap_sem_2_6_36(void)
{
	sim_check(under_lock_noretry_setup, under_lock_noretry_verify, END);
}

/*
 * 3.1: the charge comes before ->fault, with no page lock: B's fault at 1 ms
 * is a plain hit (B + A); A locks the page only after its charge, at T + W,
 * and copies under it (3.1.3 __do_fault: copy_user_highpage after ->fault).
 */
static void prealloc_setup(struct engine *e)
{
	oom_wait_script("3.1");
	spawn_all(e);
}

static void prealloc_verify(void)
{
	const struct page_lock_stats *pl = recorder_file_locks(cgw_rec, FILE_ID);

	oom_wait_check_charge();
	CHECK(!snaps[0].page_locked);
	CHECK_EQ(snaps[0].readers[MM_B], 0); /* B is long done */
	CHECK_EQ(ST(1, 0).end, T1 + B + A);
	CHECK_EQ(cgw_rec->faults.all.retries, 0);
	CHECK_EQ(pl->acquisitions, 2);
	CHECK_EQ(pl->hold.max_ns, C + A); /* only the copy and the pte under the lock */
	CHECK_EQ(pl->wait.max_ns, 0);
}

static void cow_prealloc_charges_before_the_page_lock_3_1(void)
{
	sim_check(prealloc_setup, prealloc_verify, END);
}

/* ---- 3: cow_prealloc and VM_FAULT_RETRY: charged twice (docs/kernel-model.md#anon-cow) */

/*
 * LIBPG is on disk. 3.1: the first pass charges (at 10 + B), misses (M),
 * submits at 10 + B + M, drops mmap_sem and waits for the read; on RETRY
 * it uncharges; the retry pass charges again. Snapshots: during the read, and
 * between the passes.
 */
#define SUB3 (10 + B + M) /* the read's submission */

static void retry_charge_setup(struct engine *e)
{
	world("3.1", false, 8);
	script();
	fault(cgw_actor(MM_A), 10, LIB, LIBPG, true);
	snap(SUB3 + S / 2);
	snap(SUB3 + S + W + B / 2);
	spawn_all(e);
}

static void retry_charge_verify(void)
{
	/* + 1: the page-cache page A reads is charged to A's cgroup (docs/kernel-model.md#memcg) */
	CHECK_EQ(snaps[0].usage, BASE + 1 + 1); /* the first pass's page, held across the read */
	CHECK_EQ(snaps[0].charged[MM_A], 1);
	CHECK_EQ(snaps[0].readers[MM_A], 0);
	CHECK(snaps[0].page_locked);        /* by the read */
	CHECK_EQ(snaps[1].usage, BASE + 1); /* freed with the RETRY */
	CHECK_EQ(snaps[1].charged[MM_A], 0);
	CHECK_EQ(snaps[1].readers[MM_A], 1); /* the retry pass */
	CHECK_EQ(ST(0, 0).end, SUB3 + S + W + B + C + A);
	CHECK_EQ(cgw_cg->charges, 2 + 1);
	CHECK_EQ(cgw_rec->memcgs.cg[0].charges, 2 + 1);
	CHECK_EQ(cgw_rec->memcgs.cg[0].oom_waits, 0);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 1 + 1);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
	CHECK_EQ(pte(MM_A, LIB, LIBPG), ANON_PRESENT);
	CHECK_EQ(cgw_rec->faults.all.major, 1);
	CHECK_EQ(cgw_rec->faults.all.retries, 1);
	CHECK_EQ(cgw_rec->devices[DISK_DEVICE_MAIN].requests, 1);
}

static void cow_prealloc_with_retry_charges_twice(void)
{
	sim_check(retry_charge_setup, retry_charge_verify, END);
}

/* 2.6.39: the copy is charged once, by the retry pass, under the page lock. */
static void retry_charge_late_setup(struct engine *e)
{
	world("2.6.39", false, 8);
	script();
	fault(cgw_actor(MM_A), 10, LIB, LIBPG, true);
	snap(10 + B + M + S / 2);
	spawn_all(e);
}

static void retry_charge_late_verify(void)
{
	CHECK_EQ(snaps[0].usage, BASE + 1); /* the page-cache page read */
	CHECK_EQ(ST(0, 0).end, 10 + B + M + S + W + B + C + A);
	CHECK_EQ(cgw_cg->charges, 1 + 1);
	CHECK_EQ(cgw_rec->memcgs.cg[0].charges, 1 + 1);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 1 + 1);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
	CHECK_EQ(cgw_rec->faults.all.retries, 1);
}

static void cow_without_prealloc_with_retry_charges_once(void)
{
	sim_check(retry_charge_late_setup, retry_charge_late_verify, END);
}

/*
 * 3.1: another thread of A runs exit during the first pass's read (its
 * uncharge takes the preallocated page with the rest): the RETRY must not
 * uncharge it a second time (another process's page, and A's count below 0).
 */
static void retry_exit_setup(struct engine *e)
{
	world("3.1", false, 8);
	script();
	fault(cgw_actor(MM_A), 10, LIB, LIBPG, true);
	cgw_step(cgw_actor(MM_A), 500 * NS_PER_US, CGW_EXIT, 0, 0, false);
	snap(SUB3 + S + W + B / 2);
	spawn_all(e);
}

static void retry_exit_verify(void)
{
	CHECK_EQ(snaps[0].usage, BASE + 1); /* the page-cache page read stays charged */
	CHECK_EQ(snaps[0].charged[MM_A], 0);
	CHECK_EQ(ST(1, 0).end, 500 * NS_PER_US + E);
	CHECK_EQ(ST(0, 0).end, SUB3 + S + W + B + C + A);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 1 + 1);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
}

static void exit_during_cow_retry_uncharges_once(void)
{
	sim_check(retry_exit_setup, retry_exit_verify, END);
}

/* ---- 4: do_anonymous_page, and exit */

/*
 * Room for 2 pages. A touches heap page 3 (B + M, a charge) and copies
 * LIBPG (B + C, a charge): full. Second faults on both are minor. C's first
 * touch at 1 ms waits for memory, holding C's mmap_sem, until A exits at
 * 2 ms: A's pages are gone and uncharged at 2 ms + E, C charges at + W. A's
 * next touch of page 3 is a first touch again.
 */
#define T_EXIT4 (2 * NS_PER_MS)

static void anon_exit_setup(struct engine *e)
{
	struct cgw_actor *a;

	world("2.6.39", true, 2);
	script();
	a = cgw_actor(MM_A);
	fault(a, 10, HEAP, 3, true);
	fault(a, 100 * NS_PER_US, LIB, LIBPG, true);
	fault(a, 200 * NS_PER_US, HEAP, 3, true);
	fault(a, 300 * NS_PER_US, LIB, LIBPG, false);
	cgw_step(a, T_EXIT4, CGW_EXIT, 0, 0, false);
	fault(a, 3 * NS_PER_MS, HEAP, 3, true);
	fault(cgw_actor(MM_C), T1, HEAP, 7, true);
	snap(1500 * NS_PER_US);
	spawn_all(e);
}

static void anon_exit_verify(void)
{
	const struct fault_stats *fa = &cgw_rec->faults.mm[MM_A];

	CHECK_EQ(ST(0, 0).end, 10 + B + M + A);
	CHECK_EQ(ST(0, 1).end, 100 * NS_PER_US + B + C + A);
	CHECK_EQ(ST(0, 2).end, 200 * NS_PER_US + B); /* minor: the pte is there */
	CHECK_EQ(ST(0, 3).end, 300 * NS_PER_US + B); /* reads A's own copy */
	CHECK_EQ(snaps[0].usage, BASE + 2);
	CHECK_EQ(snaps[0].charged[MM_A], 2);
	CHECK(snaps[0].oom_waiting);
	CHECK_EQ(snaps[0].readers[MM_C], 1); /* the wait holds C's mmap_sem */
	CHECK_EQ(ST(0, 4).end, T_EXIT4 + E);
	CHECK_EQ(ST(1, 0).end, T_EXIT4 + E + W + A);
	CHECK_EQ(cgw_rec->memcgs.cg[0].latency.max_ns, T_EXIT4 + E + W - (T1 + B + M));
	CHECK_EQ(ST(0, 5).end, 3 * NS_PER_MS + B + M + A);
	/* 2 for A, C's, A's new page 3; minor faults charge nothing */
	CHECK_EQ(cgw_cg->charges, 4);
	CHECK_EQ(cgw_cg->oom_waits, 1);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 2);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
	CHECK_EQ(cgw_mms[MM_C].charged, 1);
	CHECK_EQ(pte(MM_A, LIB, LIBPG), ANON_NONE); /* freed by the exit */
	CHECK_EQ(pte(MM_A, HEAP, 3), ANON_PRESENT);
	CHECK_EQ(pte(MM_C, HEAP, 7), ANON_PRESENT);
	CHECK_EQ(fa->major + fa->minor, 5);
	CHECK_EQ(fa->major, 0); /* cached file, anonymous memory: never major */
	CHECK_EQ(recorder_file_locks(cgw_rec, FILE_ID)->acquisitions, 1); /* the COW only */
}

static void anon_first_touch_charges_and_exit_wakes_oom_waiter(void)
{
	sim_check(anon_exit_setup, anon_exit_verify, END);
}

/*
 * Two threads of A touch heap page 3 at once: both allocate and charge, the
 * second finds the pte set (docs/kernel-model.md#anon-cow, "lost the race") and uncharges.
 */
static void anon_race_setup(struct engine *e)
{
	world("2.6.39", true, 8);
	script();
	fault(cgw_actor(MM_A), 10, HEAP, 3, true);
	fault(cgw_actor(MM_A), 20, HEAP, 3, true);
	spawn_all(e);
}

static void anon_race_verify(void)
{
	CHECK_EQ(ST(0, 0).end, 10 + B + M + A);
	CHECK_EQ(ST(1, 0).end, 20 + B + M + A);
	CHECK_EQ(cgw_cg->charges, 2);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 1);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
}

static void anon_race_loser_uncharges(void)
{
	sim_check(anon_race_setup, anon_race_verify, END);
}

/*
 * 2.6.36, two threads of A write LIBPG: the second waits in lock_page for
 * the first's COW (from 10 + B to 10 + B + C + A), then copies and charges
 * too, and finds the pte set: uncharge (docs/kernel-model.md#anon-cow, the pte check).
 */
static void cow_race_setup(struct engine *e)
{
	world("2.6.36", true, 8);
	script();
	fault(cgw_actor(MM_A), 10, LIB, LIBPG, true);
	fault(cgw_actor(MM_A), 20, LIB, LIBPG, true);
	spawn_all(e);
}

static void cow_race_verify(void)
{
	CHECK_EQ(ST(0, 0).end, 10 + B + C + A);
	CHECK_EQ(ST(1, 0).end, 10 + B + C + A + W + C + A);
	CHECK_EQ(cgw_cg->charges, 2);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 1);
	CHECK_EQ(cgw_mms[MM_A].charged, 1);
}

static void cow_race_loser_uncharges(void)
{
	sim_check(cow_race_setup, cow_race_verify, END);
}

/* ---- 5: fork */

/*
 * A touches heap pages 0 and 1 and copies LIBPG (3 charges), then forks at
 * 1 ms (mmap_sem for write, H). Another thread of A read-faults page 0 at
 * 1 ms + 10 us: it waits for the fork, then is minor. Its write to page 1 at
 * 2 ms copies (B + C + A, a charge, no page lock); the next write is minor;
 * page 4, untouched before the fork, is a first touch. A's write to its copy
 * of LIBPG, write-protected by the fork too (a COW mapping), copies it again.
 */
#define T_FORK (1 * NS_PER_MS)

static void fork_setup(struct engine *e)
{
	struct cgw_actor *a, *b;

	world("2.6.39", true, 16);
	script();
	a = cgw_actor(MM_A);
	fault(a, 10, HEAP, 0, true);
	fault(a, 100 * NS_PER_US, HEAP, 1, true);
	fault(a, 200 * NS_PER_US, LIB, LIBPG, true);
	cgw_step(a, T_FORK, CGW_FORK, 0, 0, false);
	fault(a, 6 * NS_PER_MS, LIB, LIBPG, true);
	b = cgw_actor(MM_A);
	fault(b, T_FORK + 10 * NS_PER_US, HEAP, 0, false);
	fault(b, 2 * NS_PER_MS, HEAP, 1, true);
	fault(b, 3 * NS_PER_MS, HEAP, 1, true);
	fault(b, 4 * NS_PER_MS, HEAP, 0, false);
	fault(b, 5 * NS_PER_MS, HEAP, 4, true);
	snap(T_FORK + 50 * NS_PER_US);
	snap(T_FORK + 500 * NS_PER_US);
	spawn_all(e);
}

static void fork_verify(void)
{
	const struct lock_stats *l = &cgw_rec->locks.mm[MM_A];

	CHECK(snaps[0].writer[MM_A]);
	CHECK_EQ(snaps[0].queued[MM_A], 1);
	CHECK_EQ(snaps[0].heap1, ANON_PRESENT); /* not before the fork's hold ends */
	CHECK_EQ(snaps[1].heap1, ANON_SHARED);
	CHECK_EQ(snaps[1].copy, ANON_SHARED);
	CHECK_EQ(snaps[1].usage, BASE + 3); /* fork charges nothing */
	CHECK_EQ(ST(0, 3).end, T_FORK + H);
	CHECK_EQ(ST(1, 0).end, T_FORK + H + W + B);
	CHECK_EQ(l->hold[LOCK_WRITE].count, 1);
	CHECK_EQ(l->hold[LOCK_WRITE].max_ns, H);
	CHECK_EQ(l->wait[LOCK_READ].max_ns, H - 10 * NS_PER_US);
	CHECK_EQ(ST(1, 1).end, 2 * NS_PER_MS + B + C + A); /* do_wp_page */
	CHECK_EQ(ST(1, 2).end, 3 * NS_PER_MS + B);
	CHECK_EQ(ST(1, 3).end, 4 * NS_PER_MS + B);
	CHECK_EQ(ST(1, 4).end, 5 * NS_PER_MS + B + M + A);
	CHECK_EQ(pte(MM_A, HEAP, 0), ANON_SHARED); /* read: still shared with the child */
	CHECK_EQ(pte(MM_A, HEAP, 1), ANON_PRESENT);
	CHECK_EQ(pte(MM_A, HEAP, 2), ANON_NONE);
	CHECK_EQ(pte(MM_A, HEAP, 4), ANON_PRESENT);
	CHECK_EQ(ST(0, 4).end, 6 * NS_PER_MS + B + C + A);
	CHECK_EQ(pte(MM_A, LIB, LIBPG), ANON_PRESENT);
	/* 3 before the fork; page 1's copy, page 4, LIBPG's second copy */
	CHECK_EQ(cgw_cg->charges, 6);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 6);
	CHECK_EQ(cgw_mms[MM_A].charged, 6);
	CHECK_EQ(recorder_file_locks(cgw_rec, FILE_ID)->acquisitions, 1); /* the first COW only */
}

static void fork_write_protects_and_write_copies(void)
{
	sim_check(fork_setup, fork_verify, END);
}

/* Two threads write the same page after the fork: one copy stays charged. */
static void wp_race_setup(struct engine *e)
{
	world("2.6.39", true, 8);
	script();
	fault(cgw_actor(MM_A), 10, HEAP, 0, true);
	cgw_step(&cgw_actors[0], T_FORK, CGW_FORK, 0, 0, false);
	fault(&cgw_actors[0], 2 * NS_PER_MS, HEAP, 0, true);
	fault(cgw_actor(MM_A), 2 * NS_PER_MS + 1, HEAP, 0, true);
	spawn_all(e);
}

static void wp_race_verify(void)
{
	CHECK_EQ(ST(0, 2).end, 2 * NS_PER_MS + B + C + A);
	CHECK_EQ(ST(1, 0).end, 2 * NS_PER_MS + 1 + B + C + A);
	CHECK_EQ(cgw_cg->charges, 3);
	CHECK_EQ(cgw_cg->usage_pages, BASE + 2);
	CHECK_EQ(cgw_mms[MM_A].charged, 2);
	CHECK_EQ(pte(MM_A, HEAP, 0), ANON_PRESENT);
}

static void wp_race_loser_uncharges(void)
{
	sim_check(wp_race_setup, wp_race_verify, END);
}

int main(void)
{
	TEST(cow_charge_waits_under_the_page_lock_2_6_39);
	TEST(cow_charge_under_page_lock_blocks_reader_holding_mmap_sem_2_6_36);
	TEST(cow_prealloc_charges_before_the_page_lock_3_1);
	TEST(cow_prealloc_with_retry_charges_twice);
	TEST(cow_without_prealloc_with_retry_charges_once);
	TEST(exit_during_cow_retry_uncharges_once);
	TEST(anon_first_touch_charges_and_exit_wakes_oom_waiter);
	TEST(anon_race_loser_uncharges);
	TEST(cow_race_loser_uncharges);
	TEST(fork_write_protects_and_write_copies);
	TEST(wp_race_loser_uncharges);
	return harness_failures != 0;
}
