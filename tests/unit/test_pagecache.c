/*
 * test_pagecache.c - the page cache and the page lock (docs/kernel-model.md#page-cache, #filemap):
 * lookups, insertion locked for I/O, LRU eviction, on the state alone; then
 * the waits in simulations: lock_page, wait_on_page_locked, the wake-up rules
 * of unlock_page, and lock_page_or_retry of filemap.c.
 */
#include "models/fault.h"
#include "models/pagecache.h"
#include "tests/unit/harness.h"

static struct kernel k; /* only k.pc, and the page lock's wake-up latency */
/* The file's device: lock_page_or_retry unplugs it before a wait (never plugged here). */
static struct disk idle_disk;
static struct file file = { .name = "f", .inode = { .id = 1, .pages = 1000 }, .dev = &idle_disk };
#define ino (file.inode)
static struct dist wakeup;

static void fresh(uint64_t capacity, uint64_t cached_pages)
{
	pagecache_release(&k.pc);
	wakeup = dist_const(7, 1);
	CHECK_EQ(pagecache_init(&k.pc, capacity, &wakeup), 0);
	ino.cached_pages = cached_pages;
}

/* A page whose read has completed and that nobody uses: evictable. */
static struct page *add_idle_page(uint64_t index)
{
	struct page *p = add_to_page_cache_locked(&k.pc, &ino, index);

	p->uptodate = true;
	unlock_page(&k.pc, p, NULL); /* no waiters: no task needed */
	put_page(&k.pc, p);
	return p;
}

static void find_get_page_misses_then_hits(void)
{
	struct inode other = { .id = 2, .pages = 1000 };
	struct page *p, *q;

	fresh(64, 0);
	CHECK(find_get_page(&k.pc, &ino, 5) == NULL);
	CHECK(!page_cached(&k.pc, &ino, 5));
	p = add_to_page_cache_locked(&k.pc, &ino, 5);
	CHECK(page_cached(&k.pc, &ino, 5));
	q = find_get_page(&k.pc, &ino, 5);
	CHECK(q == p);
	CHECK_EQ(p->refs, 2); /* the I/O's reference and ours */
	/* the page belongs to its file: same index, other inode is a miss */
	CHECK(find_get_page(&k.pc, &other, 5) == NULL);
	CHECK(find_get_page(&k.pc, &ino, 6) == NULL);
	put_page(&k.pc, q);
	CHECK_EQ(p->refs, 1);
}

static void add_to_page_cache_gives_locked_page_not_uptodate(void)
{
	struct page *p;

	fresh(64, 0);
	p = add_to_page_cache_locked(&k.pc, &ino, 42);
	CHECK(p->locked);
	CHECK(!p->uptodate);
	CHECK(!p->resident);
	CHECK_EQ(p->refs, 1);
	CHECK(p->inode == &ino);
	CHECK_EQ(p->index, 42);
	CHECK_EQ(k.pc.nr_pages, 1);
}

/* Pages cached from the start are found up to date, unlocked, not counted. */
static void cached_from_start_pages_are_resident(void)
{
	struct page *p;

	fresh(64, 10);
	CHECK(page_cached(&k.pc, &ino, 9));
	CHECK(!page_cached(&k.pc, &ino, 10));
	p = find_get_page(&k.pc, &ino, 3);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(p->uptodate && p->resident && !p->locked);
	CHECK_EQ(p->refs, 1);
	CHECK(find_get_page(&k.pc, &ino, 3) == p); /* materialised once */
	CHECK_EQ(k.pc.nr_pages, 0);
	CHECK(find_get_page(&k.pc, &ino, 10) == NULL);
}

static void trylock_page_takes_only_a_free_lock(void)
{
	struct page *p;

	fresh(64, 0);
	p = add_to_page_cache_locked(&k.pc, &ino, 0);
	CHECK(!trylock_page(p)); /* locked for the read */
	unlock_page(&k.pc, p, NULL);
	CHECK(!p->locked);
	CHECK(trylock_page(p));
	CHECK(p->locked);
	CHECK(!trylock_page(p));
}

/* Least recently used goes first; a lookup makes a page recent again. */
static void eviction_respects_capacity_in_lru_order(void)
{
	struct page *p;

	fresh(4, 0);
	for (uint64_t i = 0; i < 4; i++)
		add_idle_page(i);
	CHECK_EQ(k.pc.nr_pages, 4);
	p = find_get_page(&k.pc, &ino, 0);
	put_page(&k.pc, p);
	add_idle_page(4); /* evicts 1, the oldest untouched page */
	CHECK_EQ(k.pc.nr_pages, 4);
	CHECK(page_cached(&k.pc, &ino, 0));
	CHECK(!page_cached(&k.pc, &ino, 1));
	add_idle_page(5);
	CHECK(!page_cached(&k.pc, &ino, 2));
	CHECK(page_cached(&k.pc, &ino, 0) && page_cached(&k.pc, &ino, 3));
	CHECK(page_cached(&k.pc, &ino, 4) && page_cached(&k.pc, &ino, 5));
	CHECK_EQ(k.pc.nr_pages, 4);
	for (uint64_t i = 10; i < 100; i++) {
		add_idle_page(i);
		CHECK(k.pc.nr_pages <= 4);
	}
}

/*
 * A locked page (I/O in flight) or a referenced one (a task uses it) stays:
 * the cache goes over capacity rather than drop it.
 */
static void eviction_skips_locked_and_referenced_pages(void)
{
	struct page *io, *used;

	fresh(3, 0);
	io = add_to_page_cache_locked(&k.pc, &ino, 0); /* locked, ref for the I/O */
	used = add_idle_page(1);
	CHECK(find_get_page(&k.pc, &ino, 1) == used); /* a reference, unlocked */
	add_idle_page(2);
	add_idle_page(3); /* only 2 may go */
	CHECK(page_cached(&k.pc, &ino, 0) && page_cached(&k.pc, &ino, 1));
	CHECK(!page_cached(&k.pc, &ino, 2));
	CHECK_EQ(k.pc.nr_pages, 3);
	/* page 1 locked by a holder, without the reference: still kept */
	CHECK(trylock_page(used));
	put_page(&k.pc, used);
	add_to_page_cache_locked(&k.pc, &ino, 4); /* 3 goes, page 4 stays locked */
	CHECK(!page_cached(&k.pc, &ino, 3));
	add_to_page_cache_locked(&k.pc, &ino, 5); /* nothing may go */
	CHECK_EQ(k.pc.nr_pages, 4);
	CHECK(page_cached(&k.pc, &ino, 0) && page_cached(&k.pc, &ino, 1));
	CHECK(page_cached(&k.pc, &ino, 4) && page_cached(&k.pc, &ino, 5));
	CHECK(io->locked && used->locked);
	/* once free again they go, and the cache is back within capacity */
	unlock_page(&k.pc, io, NULL);
	put_page(&k.pc, io);
	unlock_page(&k.pc, used, NULL);
	add_to_page_cache_locked(&k.pc, &ino, 6);
	CHECK(!page_cached(&k.pc, &ino, 0) && !page_cached(&k.pc, &ino, 1));
	CHECK_EQ(k.pc.nr_pages, 3);
}

/* Resident pages are outside the LRU: churn never recycles them. */
static void eviction_never_drops_resident_pages(void)
{
	struct page *r[4];

	fresh(2, 4);
	for (uint64_t i = 0; i < 4; i++) {
		r[i] = find_get_page(&k.pc, &ino, i);
		put_page(&k.pc, r[i]);
		r[i]->readahead = true; /* a mark a recycled struct would lose */
	}
	for (uint64_t i = 100; i < 3000; i++)
		add_idle_page(i);
	CHECK(k.pc.nr_pages <= 2);
	for (uint64_t i = 0; i < 4; i++) {
		struct page *p = find_get_page(&k.pc, &ino, i);

		CHECK(p == r[i]);
		CHECK(p->resident && p->readahead && p->index == i && p->inode == &ino);
		put_page(&k.pc, p);
	}
}

/* ---- in simulations: who waits, who is woken, when (W = the page wake-up latency) */

static struct page *pg;
/* per task i: when it got past the wait, and whether the page was locked then */
static sim_ns got[8];
static int order[8], nr_order;
static int probe_waiters, probe_exclusive;
static bool probe_locked, flag[8];

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* The page, locked as by a read in flight, and a wake-up latency of @w ns. */
static void lock_setup(sim_ns w)
{
	fresh(64, 0);
	wakeup = dist_const((double)w, 1);
	pg = add_to_page_cache_locked(&k.pc, &ino, 0);
	nr_order = 0;
}

static void io_end_at_100(struct task *t)
{
	task_sleep(t, 100);
	pg->uptodate = true;
	unlock_page(&k.pc, pg, t);
	park(t);
}

/* Looks at the wait queue at 103: after the unlock, before anybody woken runs. */
static void probe_at_103(struct task *t)
{
	task_sleep(t, 103);
	probe_waiters = probe_exclusive = 0;
	for (struct page_waiter *w = pg->wait_head; w; w = w->next) {
		probe_waiters++;
		probe_exclusive += w->exclusive;
		CHECK(!w->woken);
		if (!w->next)
			CHECK(pg->wait_tail == w);
	}
	probe_locked = pg->locked;
	park(t);
}

/* Arrives at 10 * (i + 1), takes the page lock, holds it 50 ns. */
static void locker_main(struct task *t)
{
	int i = (int)(intptr_t)task_data(t);

	task_sleep(t, 10 * (i + 1));
	lock_page(&k.pc, pg, t);
	got[i] = task_now(t);
	order[nr_order++] = i;
	flag[i] = pg->locked;
	task_cpu(t, 50);
	unlock_page(&k.pc, pg, t);
	park(t);
}

static void waiter_main(struct task *t)
{
	int i = (int)(intptr_t)task_data(t);

	task_sleep(t, 10 * (i + 1));
	wait_on_page_locked(&k.pc, pg, t);
	got[i] = task_now(t);
	order[nr_order++] = i;
	flag[i] = pg->locked;
	park(t);
}

static void lock_page_setup(struct engine *e)
{
	lock_setup(7);
	sim_spawn(e, "io", io_end_at_100, NULL);
	sim_spawn(e, "locker", locker_main, (void *)0);
}

static void lock_page_verify(void)
{
	CHECK_EQ(got[0], 100 + 7); /* unlocked at 100, runs W later */
	CHECK(flag[0]);            /* and holds the lock */
	CHECK(!pg->locked);        /* released after its 50 ns */
	CHECK(pg->wait_head == NULL && pg->wait_tail == NULL);
}

static void lock_page_sleeps_until_unlock_then_holds_it(void)
{
	sim_check(lock_page_setup, lock_page_verify, 10000);
}

static void exclusive_setup(struct engine *e)
{
	lock_setup(7);
	sim_spawn(e, "io", io_end_at_100, NULL);
	for (int i = 0; i < 3; i++)
		sim_spawn(e, "locker", locker_main, (void *)(intptr_t)i);
	sim_spawn(e, "probe", probe_at_103, NULL);
}

static void exclusive_verify(void)
{
	/* one woken per unlock, in arrival order, each after the previous 50 ns hold */
	CHECK_EQ(got[0], 107);
	CHECK_EQ(got[1], 107 + 50 + 7);
	CHECK_EQ(got[2], 107 + 2 * (50 + 7));
	CHECK_EQ(nr_order, 3);
	CHECK(order[0] == 0 && order[1] == 1 && order[2] == 2);
	CHECK(flag[0] && flag[1] && flag[2]);
	/* at 103 the two others were still queued, not woken; no hand-off */
	CHECK_EQ(probe_waiters, 2);
	CHECK_EQ(probe_exclusive, 2);
	CHECK(!probe_locked);
}

static void lock_page_waiters_woken_one_per_unlock_fifo(void)
{
	sim_check(exclusive_setup, exclusive_verify, 10000);
}

static void late_waiter_main(struct task *t)
{
	task_sleep(t, 2000);
	wait_on_page_locked(&k.pc, pg, t); /* unlocked: no wait at all */
	got[7] = task_now(t);
	park(t);
}

static void shared_setup(struct engine *e)
{
	lock_setup(1000);
	sim_spawn(e, "io", io_end_at_100, NULL);
	for (int i = 0; i < 3; i++)
		sim_spawn(e, "waiter", waiter_main, (void *)(intptr_t)i);
	sim_spawn(e, "probe", probe_at_103, NULL);
	sim_spawn(e, "late", late_waiter_main, NULL);
}

static void shared_verify(void)
{
	CHECK_EQ(probe_waiters, 0); /* all dequeued by the unlock */
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(got[i], 100 + 1000); /* all at once, after W = 1000 */
		CHECK(!flag[i]);              /* none takes the lock */
	}
	CHECK_EQ(nr_order, 3);
	CHECK_EQ(got[7], 2000);
	CHECK(!pg->locked && pg->uptodate);
}

static void wait_on_page_locked_waiters_all_woken(void)
{
	sim_check(shared_setup, shared_verify, 10000);
}

/* Queue: lock_page 0 (at 10), wait 1 (20), lock_page 2 (30), wait 3 (40). */
static void mixed_setup(struct engine *e)
{
	lock_setup(7);
	sim_spawn(e, "io", io_end_at_100, NULL);
	for (int i = 0; i < 4; i++)
		sim_spawn(e, "mixed", i % 2 ? waiter_main : locker_main, (void *)(intptr_t)i);
	sim_spawn(e, "probe", probe_at_103, NULL);
}

static void mixed_verify(void)
{
	CHECK_EQ(got[0], 107);
	CHECK_EQ(got[1], 107);
	CHECK_EQ(got[3], 107); /* behind a lock_page waiter, woken all the same */
	CHECK_EQ(got[2], 107 + 50 + 7);
	CHECK_EQ(probe_waiters, 1); /* only the second lock_page waiter is left */
	CHECK_EQ(probe_exclusive, 1);
	CHECK(flag[0] && flag[2]);
	/* the wait_on_page_locked waiters ran after locker 0 took it at 107 */
	CHECK(flag[1] && flag[3]);
}

static void unlock_wakes_all_waiters_and_first_locker(void)
{
	sim_check(mixed_setup, mixed_verify, 10000);
}

/* Takes the lock at 103, between the unlock and the woken waiter running. */
static void thief_main(struct task *t)
{
	task_sleep(t, 103);
	flag[5] = trylock_page(pg);
	task_cpu(t, 50);
	if (flag[5])
		unlock_page(&k.pc, pg, t);
	park(t);
}

static void steal_setup(struct engine *e)
{
	lock_setup(7);
	sim_spawn(e, "io", io_end_at_100, NULL);
	sim_spawn(e, "locker", locker_main, (void *)0);
	sim_spawn(e, "thief", thief_main, NULL);
}

static void steal_verify(void)
{
	CHECK(flag[5]);                 /* no hand-off: the lock was free at 103 */
	CHECK_EQ(got[0], 103 + 50 + 7); /* the woken locker queued again */
	CHECK(flag[0]);
}

static void woken_locker_requeues_when_lock_stolen(void)
{
	sim_check(steal_setup, steal_verify, 10000);
}

/* ---- lock_page_or_retry (filemap.c), docs/kernel-model.md#lock-page-or-retry */

static struct mm mm;
static struct thread th = { .k = &k, .mm = &mm };
static unsigned lpor_flags;
static bool lpor_ret, lpor_released;
static unsigned lpor_readers;
static sim_ns t_lpor, t_writer;

/* Faults at 10 with mmap_sem held for read; the page is unlocked at 1000. */
static void faulter_main(struct task *t)
{
	struct rwsem_hold hold;
	struct vm_fault vmf = { .th = &th, .flags = lpor_flags, .mmap_hold = &hold };

	th.task = t;
	task_sleep(t, 10);
	down_read(&mm.mmap_sem, t, SITE_FAULT, &hold);
	lpor_ret = lock_page_or_retry(&vmf, pg);
	t_lpor = task_now(t);
	flag[0] = pg->locked;
	lpor_readers = mm.mmap_sem.readers;
	lpor_released = vmf.lock_released;
	if (lpor_ret) {
		task_cpu(t, 20);
		unlock_page(&k.pc, pg, t);
		up_read(&mm.mmap_sem, t, &hold);
	} else if (!lpor_released) {
		up_read(&mm.mmap_sem, t, &hold); /* RETRY_NOWAIT: the caller lets go */
	}
	park(t);
}

static void unlock_at_1000(struct task *t)
{
	task_sleep(t, 1000);
	if (pg->locked)
		unlock_page(&k.pc, pg, t);
	park(t);
}

/* mmap() at 50: gets mmap_sem only if the faulter does not sleep with it. */
static void writer_main(struct task *t)
{
	struct rwsem_hold hold;

	task_sleep(t, 50);
	down_write(&mm.mmap_sem, t, SITE_MMAP, &hold);
	t_writer = task_now(t);
	task_cpu(t, 10);
	up_write(&mm.mmap_sem, t, &hold);
	park(t);
}

static void lpor_setup(struct engine *e)
{
	lock_setup(7);
	rwsem_init(&mm.mmap_sem, rwsem_policy_find("2.6.36"), 0, &wakeup);
	sim_spawn(e, "faulter", faulter_main, NULL);
	sim_spawn(e, "io", unlock_at_1000, NULL);
	sim_spawn(e, "mmap", writer_main, NULL);
}

static void lpor_retry_verify(void)
{
	CHECK(!lpor_ret); /* 0: retry */
	CHECK(lpor_released);
	CHECK_EQ(lpor_readers, 0);  /* mmap_sem is not ours any more */
	CHECK_EQ(t_writer, 50);     /* released before the sleep, not after */
	CHECK_EQ(t_lpor, 1000 + 7); /* waited for the unlock */
	CHECK(!flag[0]);            /* ...without taking the lock */
}

static void lock_page_or_retry_allow_retry_drops_mmap_sem_and_waits(void)
{
	lpor_flags = FAULT_FLAG_ALLOW_RETRY;
	sim_check(lpor_setup, lpor_retry_verify, 100000);
}

static void lpor_noretry_verify(void)
{
	CHECK(lpor_ret); /* 1: locked, like lock_page */
	CHECK(!lpor_released);
	CHECK_EQ(lpor_readers, 1); /* mmap_sem held across the wait */
	CHECK_EQ(t_lpor, 1000 + 7);
	CHECK(flag[0]);
	/* mmap waits for the whole fault: up_read at 1027, hand-off W later */
	CHECK_EQ(t_writer, 1007 + 20 + 7);
}

static void lock_page_or_retry_without_allow_retry_is_lock_page(void)
{
	lpor_flags = FAULT_FLAG_TRIED; /* the retry pass of 2.6.37 */
	sim_check(lpor_setup, lpor_noretry_verify, 100000);
}

static void lpor_nowait_verify(void)
{
	CHECK(!lpor_ret);      /* 0: not locked... */
	CHECK(!lpor_released); /* ...and mmap_sem not released by it */
	CHECK_EQ(lpor_readers, 1);
	CHECK_EQ(t_lpor, 10); /* no wait at all */
	CHECK(flag[0]);       /* still locked by the I/O */
	CHECK_EQ(t_writer, 50);
}

/* 2.6.38 (seed 002), get_user_pages with FOLL_NOWAIT: give up at once. */
static void lock_page_or_retry_nowait_returns_at_once_holding_mmap_sem(void)
{
	lpor_flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT;
	sim_check(lpor_setup, lpor_nowait_verify, 100000);
}

static void lpor_free_setup(struct engine *e)
{
	lpor_setup(e);
	unlock_page(&k.pc, pg, NULL); /* the read is already done */
}

static void lpor_free_verify(void)
{
	CHECK(lpor_ret);
	CHECK_EQ(t_lpor, 10); /* trylock_page: no wait */
	CHECK(flag[0]);
	CHECK_EQ(lpor_readers, 1);
	CHECK(!lpor_released);
	CHECK_EQ(t_writer, 50); /* the fault was over at 30 */
}

static void lock_page_or_retry_free_page_is_locked_at_once(void)
{
	lpor_flags = FAULT_FLAG_ALLOW_RETRY;
	sim_check(lpor_free_setup, lpor_free_verify, 100000);
}

int main(void)
{
	TEST(find_get_page_misses_then_hits);
	TEST(add_to_page_cache_gives_locked_page_not_uptodate);
	TEST(cached_from_start_pages_are_resident);
	TEST(trylock_page_takes_only_a_free_lock);
	TEST(eviction_respects_capacity_in_lru_order);
	TEST(eviction_skips_locked_and_referenced_pages);
	TEST(eviction_never_drops_resident_pages);
	TEST(lock_page_sleeps_until_unlock_then_holds_it);
	TEST(lock_page_waiters_woken_one_per_unlock_fifo);
	TEST(wait_on_page_locked_waiters_all_woken);
	TEST(unlock_wakes_all_waiters_and_first_locker);
	TEST(woken_locker_requeues_when_lock_stolen);
	TEST(lock_page_or_retry_allow_retry_drops_mmap_sem_and_waits);
	TEST(lock_page_or_retry_without_allow_retry_is_lock_page);
	TEST(lock_page_or_retry_nowait_returns_at_once_holding_mmap_sem);
	TEST(lock_page_or_retry_free_page_is_locked_at_once);
	pagecache_release(&k.pc);
	return harness_failures != 0;
}
