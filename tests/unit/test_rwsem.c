/*
 * test_rwsem.c - the rules of the 2.6.36 rw-semaphore (spec 8.2), one test
 * per rule, on the policy's state; then hand-off timing in a simulation.
 */
#include "models/rwsem.h"
#include "tests/unit/harness.h"

static struct rwsem sem;

static void fresh(void)
{
	rwsem_init(&sem, rwsem_policy_find("2.6.36"), 0, NULL);
}

static bool arrive(struct rwsem_waiter *w, enum lock_mode mode)
{
	w->mode = mode;
	w->task = NULL;
	return mode == LOCK_READ ? sem.policy->read_arrive(&sem, w, NULL)
				 : sem.policy->write_arrive(&sem, w, NULL);
}

static void free_lock_is_taken_at_once(void)
{
	struct rwsem_waiter r1, r2, w1;

	fresh();
	CHECK(arrive(&r1, LOCK_READ));
	CHECK(arrive(&r2, LOCK_READ));
	CHECK_EQ(sem.readers, 2);
	fresh();
	CHECK(arrive(&w1, LOCK_WRITE));
	CHECK(sem.writer);
}

static void reader_waits_for_writer(void)
{
	struct rwsem_waiter w1, r1;

	fresh();
	arrive(&w1, LOCK_WRITE);
	CHECK(!arrive(&r1, LOCK_READ));
	CHECK(!r1.granted);
	CHECK_EQ(sem.queued, 1);
}

/* The rule that makes faults wait behind mmap: readers never bypass a queued writer. */
static void queued_writer_blocks_new_readers(void)
{
	struct rwsem_waiter r1, w1, r2;

	fresh();
	CHECK(arrive(&r1, LOCK_READ));
	CHECK(!arrive(&w1, LOCK_WRITE));
	CHECK(!arrive(&r2, LOCK_READ)); /* readers hold it, yet r2 queues */
	CHECK(!sem.policy->read_trylock(&sem));
	CHECK_EQ(sem.readers, 1);
}

static void trylock_fails_when_anything_is_queued(void)
{
	struct rwsem_waiter w1, w2;

	fresh();
	arrive(&w1, LOCK_WRITE);
	arrive(&w2, LOCK_WRITE);
	sem.policy->write_release(&sem, NULL); /* hands over to w2 */
	CHECK(w2.granted);
	CHECK(!sem.policy->read_trylock(&sem));
	CHECK(!sem.policy->write_trylock(&sem));
}

static void last_reader_hands_over_to_head_writer(void)
{
	struct rwsem_waiter r1, r2, w1;

	fresh();
	arrive(&r1, LOCK_READ);
	arrive(&r2, LOCK_READ);
	arrive(&w1, LOCK_WRITE);
	sem.policy->read_release(&sem, NULL);
	CHECK(!w1.granted); /* one reader still holds it */
	sem.policy->read_release(&sem, NULL);
	CHECK(w1.granted);
	CHECK(sem.writer);
	CHECK_EQ(sem.queued, 0);
}

/* up_write grants the run of readers at the head, stopping at the first writer. */
static void writer_release_wakes_head_readers_only(void)
{
	struct rwsem_waiter w1, r1, r2, w2, r3;

	fresh();
	arrive(&w1, LOCK_WRITE);
	arrive(&r1, LOCK_READ);
	arrive(&r2, LOCK_READ);
	arrive(&w2, LOCK_WRITE);
	arrive(&r3, LOCK_READ);
	sem.policy->write_release(&sem, NULL);
	CHECK(r1.granted && r2.granted);
	CHECK(!w2.granted && !r3.granted);
	CHECK_EQ(sem.readers, 2);
	sem.policy->read_release(&sem, NULL);
	sem.policy->read_release(&sem, NULL);
	CHECK(w2.granted && !r3.granted); /* the writer wakes alone */
	sem.policy->write_release(&sem, NULL);
	CHECK(r3.granted);
}

static void writer_release_wakes_one_writer(void)
{
	struct rwsem_waiter w1, w2, w3;

	fresh();
	arrive(&w1, LOCK_WRITE);
	arrive(&w2, LOCK_WRITE);
	arrive(&w3, LOCK_WRITE);
	sem.policy->write_release(&sem, NULL);
	CHECK(w2.granted && !w3.granted);
	CHECK(sem.writer);
}

static void downgrade_admits_head_readers_not_writers(void)
{
	struct rwsem_waiter w1, r1, w2, r2;

	fresh();
	arrive(&w1, LOCK_WRITE);
	arrive(&r1, LOCK_READ);
	arrive(&w2, LOCK_WRITE);
	arrive(&r2, LOCK_READ);
	sem.policy->downgrade(&sem, NULL);
	CHECK(!sem.writer);
	CHECK_EQ(sem.readers, 2); /* the downgrader and r1 */
	CHECK(r1.granted && !w2.granted && !r2.granted);
}

/* ---- in a simulation: the hand-off happens at the release, the waiter runs W later */

static sim_ns t_reader_got, t_writer_got;
static struct rwsem simsem;
static struct dist wakeup;

static void holder_main(struct task *t)
{
	struct rwsem_hold h;

	down_write(&simsem, t, SITE_MMAP, &h);
	task_cpu(t, 100);
	up_write(&simsem, t, &h);
	/* asks again at the release instant: must queue behind the reader */
	down_write(&simsem, t, SITE_MMAP, &h);
	t_writer_got = task_now(t);
	up_write(&simsem, t, &h);
	task_sleep(t, 1000000);
}

static void reader_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, 10);
	down_read(&simsem, t, SITE_FAULT, &h);
	t_reader_got = task_now(t);
	task_cpu(t, 50);
	up_read(&simsem, t, &h);
	task_sleep(t, 1000000);
}

static void handoff_setup(struct engine *e)
{
	wakeup = dist_const(7, 1); /* 7 ns wake-up latency */
	rwsem_init(&simsem, rwsem_policy_find("2.6.36"), 0, &wakeup);
	sim_spawn(e, "holder", holder_main, NULL);
	sim_spawn(e, "reader", reader_main, NULL);
}

static void handoff_verify(void)
{
	CHECK_EQ(t_reader_got, 100 + 7);          /* granted at 100, runs at 107 */
	CHECK_EQ(t_writer_got, 100 + 7 + 50 + 7); /* after the reader's 50 ns hold */
}

static void handoff_timing_in_simulation(void)
{
	harness_failures += sim_run(handoff_setup, handoff_verify, 10000);
}

int main(void)
{
	TEST(free_lock_is_taken_at_once);
	TEST(reader_waits_for_writer);
	TEST(queued_writer_blocks_new_readers);
	TEST(trylock_fails_when_anything_is_queued);
	TEST(last_reader_hands_over_to_head_writer);
	TEST(writer_release_wakes_head_readers_only);
	TEST(writer_release_wakes_one_writer);
	TEST(downgrade_admits_head_readers_not_writers);
	TEST(handoff_timing_in_simulation);
	return harness_failures != 0;
}
