/*
 * test_rwsem.c - the rw-semaphore policies, rule by rule (docs/kernel-model.md#rwsem).
 *
 * State-level tests call a policy's ops with no task (no time passes, no
 * records): who gets the lock on arrival and at each release. The FIFO rules
 * of 8.2 run against the three policies that must follow them (2.6.36, the
 * generic spinlock rwsem, textbook task-fair). Simulation tests check what
 * needs time and running tasks: hand-off latency, stealing by a running
 * writer, optimistic spinning (and its CPU cost), HANDOFF after 4 ms.
 */
#include <string.h>

#include "models/rwsem.h"
#include "tests/unit/harness.h"

static struct rwsem sem;

static void fresh(const char *policy)
{
	rwsem_init(&sem, rwsem_policy_find(policy), 0, NULL);
}

/* A request with no task: true if the lock was taken at once. */
static bool arrive_site(struct rwsem_waiter *w, enum lock_mode mode, int site)
{
	memset(w, 0, sizeof(*w));
	w->mode = mode;
	w->site = site;
	return sem.policy->arrive(&sem, w, NULL) == RWSEM_TAKEN || w->granted;
}

static bool arrive(struct rwsem_waiter *w, enum lock_mode mode)
{
	return arrive_site(w, mode, mode == LOCK_READ ? SITE_FAULT : SITE_MMAP);
}

static void release(enum lock_mode mode)
{
	sem.policy->release(&sem, mode, NULL);
	rwsem_check(&sem);
}

static void policy_names_match_the_table(void)
{
	int i;

	for (i = 0; rwsem_policies[i]; i++) {
		CHECK(rwsem_policy_names()[i] != NULL);
		if (rwsem_policy_names()[i])
			CHECK(strcmp(rwsem_policy_names()[i], rwsem_policies[i]->name) == 0);
	}
	CHECK(rwsem_policy_names()[i] == NULL);
	CHECK_EQ(i, 11);
}

/* ---- docs/kernel-model.md#rwsem-2636: the FIFO rules, for every policy that must follow them */

static const char *const fifo_policies[] = { "2.6.36", "generic-spinlock", "task-fair",
	                                     "unfair-proc", NULL };

static void free_lock_is_taken_at_once(const char *p)
{
	struct rwsem_waiter r1, r2, w1;

	fresh(p);
	CHECK(arrive(&r1, LOCK_READ));
	CHECK(arrive(&r2, LOCK_READ));
	CHECK_EQ(sem.readers, 2);
	fresh(p);
	CHECK(arrive(&w1, LOCK_WRITE));
	CHECK(sem.writer);
}

/* The rule that makes faults wait behind mmap: readers never bypass a queued writer. */
static void queued_writer_blocks_new_readers(const char *p)
{
	struct rwsem_waiter r1, w1, r2;

	fresh(p);
	CHECK(arrive(&r1, LOCK_READ));
	CHECK(!arrive(&w1, LOCK_WRITE));
	CHECK(!arrive(&r2, LOCK_READ)); /* readers hold it, yet r2 queues */
	CHECK(!sem.policy->read_trylock(&sem));
	CHECK_EQ(sem.readers, 1);
}

static void trylock_fails_when_anything_is_queued(const char *p)
{
	struct rwsem_waiter w1, w2;

	fresh(p);
	arrive(&w1, LOCK_WRITE);
	arrive(&w2, LOCK_WRITE);
	release(LOCK_WRITE); /* hands over to w2 */
	CHECK(w2.granted);
	CHECK(!sem.policy->read_trylock(&sem));
	CHECK(!sem.policy->write_trylock(&sem));
}

static void last_reader_hands_over_to_head_writer(const char *p)
{
	struct rwsem_waiter r1, r2, w1;

	fresh(p);
	arrive(&r1, LOCK_READ);
	arrive(&r2, LOCK_READ);
	arrive(&w1, LOCK_WRITE);
	release(LOCK_READ);
	CHECK(!w1.granted); /* one reader still holds it */
	release(LOCK_READ);
	CHECK(w1.granted);
	CHECK(sem.writer);
	CHECK_EQ(sem.queued, 0);
}

/* up_write grants the run of readers at the head, stopping at the first writer. */
static void writer_release_wakes_head_readers_only(const char *p)
{
	struct rwsem_waiter w1, r1, r2, w2, r3;

	fresh(p);
	arrive(&w1, LOCK_WRITE);
	arrive(&r1, LOCK_READ);
	arrive(&r2, LOCK_READ);
	arrive(&w2, LOCK_WRITE);
	arrive(&r3, LOCK_READ);
	release(LOCK_WRITE);
	CHECK(r1.granted && r2.granted);
	CHECK(!w2.granted && !r3.granted);
	CHECK_EQ(sem.readers, 2);
	release(LOCK_READ);
	release(LOCK_READ);
	CHECK(w2.granted && !r3.granted); /* the writer wakes alone */
	release(LOCK_WRITE);
	CHECK(r3.granted);
}

static void writer_release_wakes_one_writer(const char *p)
{
	struct rwsem_waiter w1, w2, w3;

	fresh(p);
	arrive(&w1, LOCK_WRITE);
	arrive(&w2, LOCK_WRITE);
	arrive(&w3, LOCK_WRITE);
	release(LOCK_WRITE);
	CHECK(w2.granted && !w3.granted);
	CHECK(sem.writer);
}

static void downgrade_admits_head_readers_not_writers(const char *p)
{
	struct rwsem_waiter w1, r1, w2, r2;

	fresh(p);
	arrive(&w1, LOCK_WRITE);
	arrive(&r1, LOCK_READ);
	arrive(&w2, LOCK_WRITE);
	arrive(&r2, LOCK_READ);
	sem.policy->downgrade(&sem, NULL);
	CHECK(!sem.writer);
	CHECK_EQ(sem.readers, 2); /* the downgrader and r1 */
	CHECK(r1.granted && !w2.granted && !r2.granted);
}

static void fifo_rules(void)
{
	for (int i = 0; fifo_policies[i]; i++) {
		const char *p = fifo_policies[i];
		int before = harness_failures;

		free_lock_is_taken_at_once(p);
		queued_writer_blocks_new_readers(p);
		trylock_fails_when_anything_is_queued(p);
		last_reader_hands_over_to_head_writer(p);
		writer_release_wakes_head_readers_only(p);
		writer_release_wakes_one_writer(p);
		downgrade_admits_head_readers_not_writers(p);
		if (harness_failures != before)
			printf("  (policy %s)\n", p);
	}
}

/* ---- 2010 down_read_unfair, textbook policies (docs/kernel-model.md#rwsem-textbook) */

static void unfair_proc_reader_passes_a_queued_writer(void)
{
	struct rwsem_waiter r1, w1, r2, proc, w2, proc2;

	fresh("unfair-proc");
	arrive(&r1, LOCK_READ);
	arrive(&w1, LOCK_WRITE);
	CHECK(!arrive(&r2, LOCK_READ));                       /* a fault still queues */
	CHECK(arrive_site(&proc, LOCK_READ, SITE_PROC_READ)); /* /proc gets in */
	CHECK_EQ(sem.readers, 2);
	fresh("unfair-proc");
	arrive(&w2, LOCK_WRITE);
	CHECK(!arrive_site(&proc2, LOCK_READ, SITE_PROC_READ)); /* not past a holding writer */
}

static void reader_pref_admits_readers_past_writers(void)
{
	struct rwsem_waiter r1, w1, r2, w2, r3, r4;

	fresh("reader-pref");
	arrive(&r1, LOCK_READ);
	CHECK(!arrive(&w1, LOCK_WRITE));
	CHECK(arrive(&r2, LOCK_READ)); /* the writer waits on */
	release(LOCK_READ);
	release(LOCK_READ);
	CHECK(w1.granted);
	CHECK(!arrive(&w2, LOCK_WRITE));
	CHECK(!arrive(&r3, LOCK_READ));
	CHECK(!arrive(&r4, LOCK_READ));
	release(LOCK_WRITE); /* every waiting reader before the waiting writer */
	CHECK(r3.granted && r4.granted && !w2.granted);
}

static void writer_pref_admits_writers_first(void)
{
	struct rwsem_waiter r1, w1, r2, w2, r3;

	fresh("writer-pref");
	arrive(&r1, LOCK_READ);
	arrive(&w1, LOCK_WRITE);
	CHECK(!arrive(&r2, LOCK_READ)); /* a writer waits: no reader gets in */
	release(LOCK_READ);
	CHECK(w1.granted);
	CHECK(!arrive(&w2, LOCK_WRITE)); /* behind r2 in time, before it in rank */
	release(LOCK_WRITE);
	CHECK(w2.granted && !r2.granted);
	CHECK(!arrive(&r3, LOCK_READ));
	release(LOCK_WRITE);
	CHECK(r2.granted && r3.granted);
}

/* Brandenburg and Anderson: phases alternate, all waiting readers per reader phase. */
static void phase_fair_alternates_phases(void)
{
	struct rwsem_waiter r1, w1, r2, w2, r3, r4;

	fresh("phase-fair");
	arrive(&r1, LOCK_READ);
	CHECK(!arrive(&w1, LOCK_WRITE));
	CHECK(!arrive(&r2, LOCK_READ)); /* a writer waits: the reader phase admits no one */
	CHECK(!arrive(&w2, LOCK_WRITE));
	release(LOCK_READ); /* end of the reader phase: one writer */
	CHECK(w1.granted && !w2.granted && !r2.granted);
	CHECK(!arrive(&r3, LOCK_READ));
	release(LOCK_WRITE); /* every waiting reader, though w2 came before r3 */
	CHECK(r2.granted && r3.granted && !w2.granted);
	CHECK(!arrive(&r4, LOCK_READ)); /* w2 waits */
	release(LOCK_READ);
	release(LOCK_READ);
	CHECK(w2.granted && !r4.granted);
	release(LOCK_WRITE);
	CHECK(r4.granted);
}

/* ---- 3.10 and later: stealing, 5.3 reader wakes -------------------------- */

static void steal_310_woken_writer_is_not_granted(void)
{
	struct rwsem_waiter w1, w2, r1, w3;

	fresh("3.10-steal");
	arrive(&w1, LOCK_WRITE);
	CHECK(!arrive(&w2, LOCK_WRITE));
	release(LOCK_WRITE);
	CHECK(w2.woken && !w2.granted && !sem.writer); /* free, w2 still queued */
	CHECK(!arrive(&r1, LOCK_READ));                /* readers respect the queue */
	CHECK(arrive(&w3, LOCK_WRITE));                /* a running writer steals it */
	CHECK(sem.policy->retry(&sem, &w2, NULL) == RWSEM_QUEUED);
	release(LOCK_WRITE);
	CHECK(sem.policy->retry(&sem, &w2, NULL) == RWSEM_TAKEN);
	CHECK(sem.writer && !r1.granted);
	release(LOCK_WRITE);
	CHECK(r1.granted); /* readers are still granted at the release */
}

static void wake_53_grants_readers_from_anywhere(void)
{
	struct rwsem_waiter w1, r1, w2, r2, r3;

	for (int i = 0; i < 2; i++) {
		fresh(i ? "5.3" : "5.11");
		arrive(&w1, LOCK_WRITE);
		arrive(&r1, LOCK_READ);
		arrive(&w2, LOCK_WRITE);
		arrive(&r2, LOCK_READ);
		arrive(&r3, LOCK_READ);
		release(LOCK_WRITE);
		CHECK(r1.granted && r2.granted && r3.granted && !w2.granted);
		CHECK_EQ(sem.readers, 3);
	}
}

static void wake_53_grants_at_most_256_readers(void)
{
	static struct rwsem_waiter r[300], w1;
	unsigned granted = 0;

	fresh("5.3");
	arrive(&w1, LOCK_WRITE);
	for (int i = 0; i < 300; i++)
		arrive(&r[i], LOCK_READ);
	release(LOCK_WRITE);
	for (int i = 0; i < 300; i++)
		granted += r[i].granted;
	CHECK_EQ(granted, RWSEM_MAX_READERS_WAKEUP);
	CHECK(r[0].granted && !r[299].granted);
}

/* 5.3: a reader joins readers past a queued writer (try_read_lock_unqueued); 5.11 does not. */
static void reader_steals_53_not_511(void)
{
	struct rwsem_waiter r1, w1, r2;

	fresh("5.3");
	arrive(&r1, LOCK_READ);
	arrive(&w1, LOCK_WRITE);
	CHECK(arrive(&r2, LOCK_READ));
	fresh("5.11");
	arrive(&r1, LOCK_READ);
	arrive(&w1, LOCK_WRITE);
	CHECK(!arrive(&r2, LOCK_READ));
}

/* 5.11: a reader takes a free lock (the head writer woken, not yet running). */
static void reader_steals_free_lock_511(void)
{
	struct rwsem_waiter w1, w2, r1;

	fresh("5.11");
	arrive(&w1, LOCK_WRITE);
	arrive(&w2, LOCK_WRITE);
	release(LOCK_WRITE);
	CHECK(w2.woken && !sem.writer);
	CHECK(arrive(&r1, LOCK_READ));
	CHECK(sem.policy->retry(&sem, &w2, NULL) == RWSEM_QUEUED);
	fresh("3.10-steal");
	arrive(&w1, LOCK_WRITE);
	arrive(&w2, LOCK_WRITE);
	release(LOCK_WRITE);
	CHECK(!arrive(&r1, LOCK_READ));
}

/*
 * 5.3 RWSEM_RD_NONSPINNABLE is a bit of the owner word: a writer that queued
 * after seeing it sets it again once it has the lock (rwsem_disable_reader_optspin),
 * up_write clears it (rwsem_clear_owner), and a writer that did not see it
 * clears it when it takes the lock (rwsem_set_owner).
 */
static void nonspinnable_53_cleared_by_writers(void)
{
	struct rwsem_waiter r1, w1;

	fresh("5.3");
	arrive(&r1, LOCK_READ);
	sem.rspin_off = true;            /* a writer gave up spinning on r1 */
	CHECK(!arrive(&w1, LOCK_WRITE)); /* queues, seeing it */
	release(LOCK_READ);
	CHECK(sem.policy->retry(&sem, &w1, NULL) == RWSEM_TAKEN);
	CHECK(sem.rspin_off); /* set again by the writer that saw it */
	release(LOCK_WRITE);
	CHECK(!sem.rspin_off); /* gone with the owner */

	fresh("5.3");
	arrive(&r1, LOCK_READ);
	CHECK(!arrive(&w1, LOCK_WRITE)); /* queues before it is set */
	sem.rspin_off = true;
	release(LOCK_READ);
	CHECK(sem.policy->retry(&sem, &w1, NULL) == RWSEM_TAKEN);
	CHECK(!sem.rspin_off);
}

/* 5.3: readers that queued seeing RD_NONSPINNABLE copy it into their phase (last_rowner). */
static void nonspinnable_53_carried_by_queued_readers(void)
{
	struct rwsem_waiter w1, r1;

	fresh("5.3");
	arrive(&w1, LOCK_WRITE);
	sem.rspin_off = true; /* w1 queued after seeing it, say */
	CHECK(!arrive(&r1, LOCK_READ));
	release(LOCK_WRITE);
	CHECK(r1.granted);
	CHECK(sem.rspin_off);
}

/* ---- in simulations --------------------------------------------------------- */

#define W_NS 7 /* wake-up latency */

static struct rwsem simsem;
static struct dist wakeup;
static const char *sim_policy;
static sim_ns t_got[4];

static void sim_init(struct engine *e)
{
	(void)e;
	wakeup = dist_const(W_NS, 1);
	rwsem_init(&simsem, rwsem_policy_find(sim_policy), 0, &wakeup);
	memset(t_got, 0, sizeof(t_got));
}

/* Writes at 0 for 100 ns of CPU, then asks again at the release instant. */
static void holder_main(struct task *t)
{
	struct rwsem_hold h;

	down_write(&simsem, t, SITE_MMAP, &h);
	task_cpu(t, 100);
	up_write(&simsem, t, &h);
	down_write(&simsem, t, SITE_MMAP, &h);
	t_got[1] = task_now(t);
	up_write(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void reader_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, 10);
	down_read(&simsem, t, SITE_FAULT, &h);
	t_got[0] = task_now(t);
	task_cpu(t, 50);
	up_read(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void handoff_setup(struct engine *e)
{
	sim_init(e);
	sim_spawn(e, "holder", holder_main, NULL);
	sim_spawn(e, "reader", reader_main, NULL);
}

static void handoff_verify(void)
{
	CHECK_EQ(t_got[0], 100 + W_NS);             /* granted at 100, runs at 107 */
	CHECK_EQ(t_got[1], 100 + W_NS + 50 + W_NS); /* after the reader's 50 ns hold */
}

static void handoff_timing_in_simulation(void)
{
	sim_policy = "2.6.36";
	sim_check(handoff_setup, handoff_verify, 10000);
}

/* A second writer arriving at 10 while the first computes: 3.10 sleeps, 3.16 spins. */
static void writer2_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, 10);
	down_write(&simsem, t, SITE_MUNMAP, &h);
	t_got[2] = task_now(t);
	task_cpu(t, 30);
	up_write(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void spin_setup(struct engine *e)
{
	sim_init(e);
	sim_spawn(e, "holder", holder_main, NULL);
	sim_spawn(e, "writer2", writer2_main, NULL);
}

static void sleep_verify(void)
{
	/* woken at 100, not granted: the holder asks again at 100 and steals it */
	CHECK_EQ(t_got[1], 100);
	CHECK_EQ(t_got[2], 100 + W_NS + 0); /* woken again at the holder's second release */
	CHECK_EQ(harness_rec.locks.rwsem.steals, 1);
	CHECK_EQ(harness_rec.locks.rwsem.spin.count, 0);
}

static void spin_verify(void)
{
	CHECK_EQ(t_got[2], 100); /* it spun and took the lock at the release, no wake-up */
	CHECK_EQ(t_got[1], 130); /* the holder spins on writer2 in turn */
	CHECK_EQ(harness_rec.locks.rwsem.spin.count, 2);
	CHECK_EQ(harness_rec.locks.rwsem.spins_won, 2);
	CHECK_EQ(summary_sum(&harness_rec.locks.rwsem.spin), 90 + 30);
	CHECK_EQ(harness_rec.locks.rwsem.steals, 0);
}

static void optspin_316_spins_on_running_owner(void)
{
	sim_policy = "3.10-steal";
	sim_check(spin_setup, sleep_verify, 10000);
	sim_policy = "3.16-optspin";
	sim_check(spin_setup, spin_verify, 10000);
}

/* The owner sleeps (off CPU) while holding: a spinner stops and sleeps too. */
static void sleepy_holder_main(struct task *t)
{
	struct rwsem_hold h;

	down_write(&simsem, t, SITE_MMAP, &h);
	task_cpu(t, 50);
	task_sleep(t, 50); /* a disk wait under the write lock */
	up_write(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void kick_setup(struct engine *e)
{
	sim_init(e);
	sim_spawn(e, "holder", sleepy_holder_main, NULL);
	sim_spawn(e, "writer2", writer2_main, NULL);
}

static void kick_verify(void)
{
	CHECK_EQ(harness_rec.locks.rwsem.spin.count, 1); /* spun from 10 to 50 */
	CHECK_EQ(harness_rec.locks.rwsem.spins_won, 0);
	CHECK_EQ(summary_sum(&harness_rec.locks.rwsem.spin), 40);
	CHECK_EQ(t_got[2], 100 + W_NS); /* then slept, woken at the release */
}

static void spinner_stops_when_owner_sleeps(void)
{
	sim_policy = "3.16-optspin";
	sim_check(kick_setup, kick_verify, 10000);
}

/* With one shared core (machine.cpus = 1), the spinner takes half of it from the owner. */
static void burn_setup(struct engine *e)
{
	sim_init(e);
	sim_spawn(e, "holder", holder_main, NULL);
	sim_spawn(e, "writer2", writer2_main, NULL);
}

static void burn_verify_spin(void)
{
	/* the owner's last 90 ns of CPU at half speed: released at 10 + 180 */
	CHECK(t_got[2] >= 189 && t_got[2] <= 191);
}

static void burn_verify_sleep(void)
{
	CHECK(t_got[1] >= 99 && t_got[1] <= 101); /* the sleeping writer costs the owner nothing */
}

static void spinning_burns_cpu_with_shared_cores(void)
{
	struct engine_config cfg = { .end_ns = 100000, .cpus = 1, .stack_kb = 128 };

	sim_policy = "3.16-optspin";
	harness_failures += sim_run_cfg(burn_setup, burn_verify_spin, &cfg);
	sim_policy = "3.10-steal";
	harness_failures += sim_run_cfg(burn_setup, burn_verify_sleep, &cfg);
}

/*
 * 5.3 HANDOFF: writer B waits behind a stream of writers that keep stealing
 * the lock (each arrives while B sleeps); after 4 ms B sets HANDOFF and gets
 * the lock at the next release, and nobody steals it from then on.
 */
static void stealer_main(struct task *t)
{
	struct rwsem_hold h;

	for (;;) {
		down_write(&simsem, t, SITE_MMAP, &h);
		task_sleep(t, 1000); /* off CPU: nobody spins on it */
		up_write(&simsem, t, &h);
		task_sleep(t, 1); /* back before the woken waiter runs (W = 7) */
	}
}

static void victim_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, 500);
	down_write(&simsem, t, SITE_MUNMAP, &h);
	t_got[3] = task_now(t);
	up_write(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void handoff53_setup(struct engine *e)
{
	sim_init(e);
	sim_spawn(e, "stealer", stealer_main, NULL);
	sim_spawn(e, "victim", victim_main, NULL);
}

static void handoff53_verify(void)
{
	CHECK(t_got[3] > 500 + RWSEM_WAIT_TIMEOUT_NS);
	CHECK(t_got[3] < 500 + RWSEM_WAIT_TIMEOUT_NS + 3000);
	CHECK_EQ(harness_rec.locks.rwsem.handoffs, 1);
}

static void starved_310_verify(void)
{
	CHECK_EQ(t_got[3], 0); /* never gets it in 10 ms */
	CHECK_EQ(harness_rec.locks.rwsem.handoffs, 0);
}

static void handoff_53_ends_starvation(void)
{
	sim_policy = "5.3";
	sim_check(handoff53_setup, handoff53_verify, 10 * NS_PER_MS);
	sim_policy = "3.10-steal";
	sim_check(handoff53_setup, starved_310_verify, 10 * NS_PER_MS);
}

/* 5.3: a writer spins on readers for (10 + readers/2) us, then readers stop spinning. */
static void long_reader_main(struct task *t)
{
	struct rwsem_hold h;

	down_read(&simsem, t, SITE_FAULT, &h);
	task_cpu(t, 100 * NS_PER_US);
	up_read(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void late_reader_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, 20 * NS_PER_US); /* after the writer gave up spinning */
	down_read(&simsem, t, SITE_FAULT, &h);
	t_got[0] = task_now(t);
	up_read(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void rspin_setup(struct engine *e)
{
	sim_init(e);
	sim_spawn(e, "reader", long_reader_main, NULL);
	sim_spawn(e, "writer2", writer2_main, NULL);
	sim_spawn(e, "late", late_reader_main, NULL);
}

static void rspin_verify(void)
{
	CHECK_EQ(harness_rec.locks.rwsem.spin.count, 1);
	CHECK_EQ(summary_sum(&harness_rec.locks.rwsem.spin), 10500); /* (20 + 1 reader) / 2 us */
	CHECK_EQ(t_got[2], 100 * NS_PER_US + W_NS);                  /* then slept */
	CHECK(t_got[0] > t_got[2]); /* the late reader did not pass the queued writer */
}

static void writer_spins_on_readers_53(void)
{
	sim_policy = "5.3";
	sim_check(rspin_setup, rspin_verify, NS_PER_MS);
}

/*
 * The nonspinnable bits also stop writers spinning on readers (5.3
 * RWSEM_WR_NONSPINNABLE, 5.11 RWSEM_NONSPINNABLE; rwsem_can_spin_on_owner,
 * rwsem_spin_on_owner): writer2 (at 10 ns) gives up on the 100 us reader at
 * 10.51 us and sets them; writer3, spinning since 5 us behind it on the
 * OSQ, stops then; writer4, arriving at 20 us, queues without spinning.
 */
static void delayed_writer_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, *(const sim_ns *)task_data(t));
	down_write(&simsem, t, SITE_MUNMAP, &h);
	up_write(&simsem, t, &h);
	task_sleep(t, NS_PER_S);
}

static void wspin_setup(struct engine *e)
{
	static const sim_ns at[] = { 5 * NS_PER_US, 20 * NS_PER_US };

	sim_init(e);
	sim_spawn(e, "reader", long_reader_main, NULL);
	sim_spawn(e, "writer2", writer2_main, NULL);
	sim_spawn(e, "writer3", delayed_writer_main, (void *)&at[0]);
	sim_spawn(e, "writer4", delayed_writer_main, (void *)&at[1]);
}

static void wspin_verify(void)
{
	CHECK_EQ(harness_rec.locks.rwsem.spin.count, 2);
	CHECK_EQ(summary_sum(&harness_rec.locks.rwsem.spin), 10500 + (10 + 10500 - 5000));
	CHECK_EQ(harness_rec.locks.rwsem.spins_won, 0);
}

static void nonspinnable_stops_writers_spinning_on_readers(void)
{
	sim_policy = "5.3";
	sim_check(wspin_setup, wspin_verify, NS_PER_MS);
	sim_policy = "5.11";
	sim_check(wspin_setup, wspin_verify, NS_PER_MS);
}

int main(void)
{
	TEST(policy_names_match_the_table);
	TEST(fifo_rules);
	TEST(unfair_proc_reader_passes_a_queued_writer);
	TEST(reader_pref_admits_readers_past_writers);
	TEST(writer_pref_admits_writers_first);
	TEST(phase_fair_alternates_phases);
	TEST(steal_310_woken_writer_is_not_granted);
	TEST(wake_53_grants_readers_from_anywhere);
	TEST(wake_53_grants_at_most_256_readers);
	TEST(reader_steals_53_not_511);
	TEST(reader_steals_free_lock_511);
	TEST(nonspinnable_53_cleared_by_writers);
	TEST(nonspinnable_53_carried_by_queued_readers);
	TEST(handoff_timing_in_simulation);
	TEST(optspin_316_spins_on_running_owner);
	TEST(spinner_stops_when_owner_sleeps);
	TEST(spinning_burns_cpu_with_shared_cores);
	TEST(handoff_53_ends_starvation);
	TEST(writer_spins_on_readers_53);
	TEST(nonspinnable_stops_writers_spinning_on_readers);
	return harness_failures != 0;
}
