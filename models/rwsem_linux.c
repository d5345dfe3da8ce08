/*
 * rwsem_linux.c - the Linux rw-semaphores, 2.6.36 to 5.11 (docs/kernel-model.md#rwsem), as
 * one implementation with behaviour switches (RWSEM_F_*), one policy per
 * version that changed who gets the lock:
 *
 *   2.6.36        lib/rwsem.c + x86 xadd: FIFO; a new reader never bypasses a
 *                 waiter; a release hands the lock over (writer alone, or the
 *                 run of readers at the head): __rwsem_do_wake's wake types.
 *   generic-spinlock  lib/rwsem-spinlock.c: the same rules on an
 *                 activity count; same fairness, so the same code.
 *   3.10-steal    a woken writer is not granted the lock: it takes it when it
 *                 runs, if nobody holds it; any writer finding it free takes
 *                 it past the queue (rwsem_down_write_failed's loop).
 *   3.16-optspin  a writer failing the fast path spins (OSQ order) while the
 *                 owning writer runs on a CPU, and takes the lock at its
 *                 release; it sleeps once the owner sleeps (not on readers).
 *   5.3           kernel/locking/rwsem.c rework: readers may take a lock that
 *                 is not writer-owned past the waiters, or spin on a running
 *                 writer; writers spin on readers for (10 + readers/2) us, then
 *                 set the nonspinnable bits: readers stop spinning
 *                 (RWSEM_RD_NONSPINNABLE) until a writer takes the lock (one that
 *                 queued after seeing the bits sets it again) or releases it,
 *                 writers stop spinning on readers (RWSEM_WR_NONSPINNABLE) until
 *                 readers take the lock or drain; a reader wake grants up to 256
 *                 readers from anywhere in the queue; a first waiter that has
 *                 waited RWSEM_WAIT_TIMEOUT sets HANDOFF: no stealing, the lock
 *                 goes to it.
 *   5.11          no reader spinning; a reader steals only a free lock (no
 *                 readers, no writer, no HANDOFF), then wakes the queued readers;
 *                 one NONSPINNABLE bit, kept by readers, stops writers spinning
 *                 on readers until a writer takes the lock or the readers drain.
 *   unfair-proc   2.6.36 with the 2010 down_read_unfair() for /proc readers:
 *                 they get the lock whenever no writer holds it.
 *
 * Simplifications: need_resched never stops a spinner; the handoff writer is
 * handed the lock at the release (it would have spun or woken to take it,
 * and nobody else may); a writer's spin on readers is not reset between two
 * reader phases.
 */
#include "models/rwsem.h"

enum wake_type {
	WAKE_ANY,        /* a release: whatever is at the head */
	WAKE_NO_ACTIVE,  /* an arrival found nobody holding it */
	WAKE_READERS,    /* a writer queued while readers hold it: readers only */
	WAKE_READ_OWNED, /* the waker holds it for read (downgrade, a reader joined): readers only */
};

static bool has(const struct rwsem *sem, unsigned flag)
{
	return sem->policy->flags & flag;
}

static bool lock_free(const struct rwsem *sem)
{
	return !sem->writer && !sem->readers;
}

/*
 * A writer takes the lock: rwsem_set_owner() overwrites the owner word and
 * its nonspinnable bits; a slow-path writer that saw them before queueing sets
 * RD_NONSPINNABLE again (5.3 rwsem_disable_reader_optspin).
 */
static void linux_writer_owns(struct rwsem *sem, bool saw_nonspinnable)
{
	sem->writer = true;
	sem->wspin_off = false;
	sem->rspin_off = saw_nonspinnable && has(sem, RWSEM_F_READER_SPIN);
}

/* Readers take the lock: 5.3's __rwsem_set_reader_owned keeps RD_, not WR_NONSPINNABLE. */
static void linux_readers_own(struct rwsem *sem)
{
	if (has(sem, RWSEM_F_READER_SPIN))
		sem->wspin_off = false;
}

static bool timed_out(const struct rwsem_waiter *w, struct task *t)
{
	return t && task_now(t) - w->since > RWSEM_WAIT_TIMEOUT_NS;
}

static void linux_set_handoff(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	sem->handoff = true;
	w->handoff = true;
	if (t)
		record_rwsem_event(t, sem->mm_id, RWSEM_EV_HANDOFF, 0);
}

/* The run of readers at the head, or (5.3) up to 256 readers from anywhere. */
static void linux_grant_readers(struct rwsem *sem, struct task *t)
{
	struct rwsem_waiter *w = sem->head, *next;
	unsigned woken = 0;

	for (; w; w = next) {
		next = w->next;
		if (w->mode == LOCK_WRITE) {
			if (!has(sem, RWSEM_F_READERS_ANYWHERE))
				break;
			continue;
		}
		sem->readers++;
		linux_readers_own(sem);
		rwsem_grant(sem, w, t);
		if (++woken == RWSEM_MAX_READERS_WAKEUP && has(sem, RWSEM_F_READERS_ANYWHERE))
			break;
	}
	if (woken && sem->handoff) { /* readers got it: no need to force writers out */
		sem->handoff = false;
		for (w = sem->head; w; w = w->next)
			w->handoff = false;
	}
}

/* The head writer: handed the lock (2.6.36, or a HANDOFF), or only woken to try. */
static void linux_wake_writer(struct rwsem *sem, struct rwsem_waiter *h, struct task *t)
{
	bool reserved = sem->handoff && h->handoff;

	if (has(sem, RWSEM_F_STEAL) && !reserved) {
		if (!h->woken)
			rwsem_wake_waiter(sem, h, t);
		return;
	}
	if (!lock_free(sem))
		return;
	linux_writer_owns(sem, h->nonspin_seen);
	sem->handoff = false;
	h->handoff = false;
	rwsem_grant(sem, h, t);
}

/* __rwsem_do_wake / rwsem_mark_wake. */
static void linux_wake(struct rwsem *sem, enum wake_type type, struct task *t)
{
	struct rwsem_waiter *h = sem->head;

	if (!h)
		return;
	if (h->mode == LOCK_WRITE) {
		if (type == WAKE_ANY || type == WAKE_NO_ACTIVE)
			linux_wake_writer(sem, h, t);
		return;
	}
	if (sem->writer) { /* it holds it (3.10+: it stole it before the readers' grant) */
		if (has(sem, RWSEM_F_HANDOFF) && !sem->handoff && timed_out(h, t))
			linux_set_handoff(sem, h, t);
		return;
	}
	if (type != WAKE_READ_OWNED && h->nonspin_seen)
		sem->rspin_off = true; /* the head reader's RD_NONSPINNABLE, copied to the owner */
	linux_grant_readers(sem, t);
}

static bool linux_read_trylock(struct rwsem *sem)
{
	if (sem->writer || sem->head || sem->handoff)
		return false;
	sem->readers++;
	linux_readers_own(sem);
	return true;
}

static bool linux_write_trylock(struct rwsem *sem)
{
	if (!lock_free(sem) || sem->head || sem->handoff)
		return false;
	linux_writer_owns(sem, false);
	return true;
}

/* The slow paths' end: into the queue, waking whoever the state allows. */
static enum rwsem_step linux_queue(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	if (w->mode == LOCK_WRITE) /* disable_rspin in rwsem_down_write_slowpath */
		w->nonspin_seen = sem->rspin_off || sem->wspin_off;
	rwsem_enqueue(sem, w);
	if (lock_free(sem)) {
		if (w->mode == LOCK_READ) /* clear_wr_nonspinnable: the readers drained */
			sem->wspin_off = false;
		linux_wake(sem, WAKE_NO_ACTIVE, t);
	} else if (!sem->writer && w->mode == LOCK_WRITE) {
		linux_wake(sem, WAKE_READERS, t); /* readers queued ahead may join */
	}
	return w->granted ? RWSEM_TAKEN : RWSEM_QUEUED;
}

/* Whether @w may spin now: on a running writer, or (a 5.3 writer) on readers for a while. */
static bool linux_may_spin(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	unsigned readers = sem->readers < 30 ? sem->readers : 30;

	if (!t || !has(sem, w->mode == LOCK_WRITE ? RWSEM_F_WRITER_SPIN : RWSEM_F_READER_SPIN))
		return false;
	w->spin_deadline = 0;
	if (sem->writer)
		return rwsem_owner_on_cpu(sem);
	if (w->mode == LOCK_WRITE && sem->readers && has(sem, RWSEM_F_SPIN_ON_READERS) &&
	    !sem->wspin_off) {
		w->spin_deadline = task_now(t) + (20 + readers) * NS_PER_US / 2;
		return true;
	}
	return false;
}

/* A reader taking the lock itself past the waiters (5.3, 5.11, unfair-proc). */
static enum rwsem_step linux_read_steal(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	sem->readers++;
	linux_readers_own(sem);
	rwsem_take(sem, w, t);
	linux_wake(sem, WAKE_READ_OWNED, t); /* rwsem_mark_wake(READ_OWNED): queued readers too */
	return RWSEM_TAKEN;
}

static enum rwsem_step linux_read_arrive(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	if (linux_read_trylock(sem))
		return RWSEM_TAKEN;
	w->nonspin_seen = sem->rspin_off; /* last_rowner in rwsem_down_read_slowpath */
	if (has(sem, RWSEM_F_UNFAIR_PROC) && w->site == SITE_PROC_READ && !sem->writer)
		return linux_read_steal(sem, w, t);
	if (has(sem, RWSEM_F_READER_SPIN) && !sem->handoff && !sem->rspin_off) {
		if (!sem->writer) /* rwsem_try_read_lock_unqueued on a reader-owned lock */
			return linux_read_steal(sem, w, t);
		if (linux_may_spin(sem, w, t)) {
			rwsem_spin_add(sem, w);
			return RWSEM_SPIN;
		}
	}
	if (has(sem, RWSEM_F_READER_STEAL) && lock_free(sem) && !sem->handoff)
		return linux_read_steal(sem, w, t);
	return linux_queue(sem, w, t);
}

/* @slow_path: it queued (or gave up spinning) first, so rwsem_disable_reader_optspin applies. */
static enum rwsem_step linux_write_steal(struct rwsem *sem, struct rwsem_waiter *w, struct task *t,
                                         bool slow_path)
{
	linux_writer_owns(sem, slow_path && w->nonspin_seen);
	rwsem_take(sem, w, t);
	return RWSEM_TAKEN;
}

static enum rwsem_step linux_write_arrive(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	if (linux_write_trylock(sem))
		return RWSEM_TAKEN;
	if (has(sem, RWSEM_F_STEAL) && lock_free(sem) && !sem->handoff)
		return linux_write_steal(sem, w, t, false);
	if (linux_may_spin(sem, w, t)) {
		rwsem_spin_add(sem, w);
		return RWSEM_SPIN;
	}
	return linux_queue(sem, w, t);
}

static enum rwsem_step linux_arrive(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	return w->mode == LOCK_READ ? linux_read_arrive(sem, w, t) : linux_write_arrive(sem, w, t);
}

/*
 * A writer spun on readers past its threshold: rwsem_set_nonspinnable() sets
 * the bits if readers own the lock and neither is set yet; the writers still
 * spinning on the readers (behind it on the OSQ) see them and stop.
 */
static void linux_set_nonspinnable(struct rwsem *sem, struct task *t)
{
	struct rwsem_waiter *s, *next;

	if (!sem->readers || sem->rspin_off || sem->wspin_off)
		return;
	sem->rspin_off = has(sem, RWSEM_F_READER_SPIN);
	sem->wspin_off = true;
	for (s = sem->spin_head; s; s = next) {
		next = s->next;
		if (s->spin_deadline)
			rwsem_spin_kick(sem, s, t);
	}
}

/*
 * @w runs again without the lock. A spinner past its deadline (it spun on
 * readers for too long) sets the nonspinnable bits and sleeps; one kicked
 * off its spin (the owner slept, readers took the lock) arrives anew. A
 * woken writer takes a free lock, else may set HANDOFF and sleeps again.
 */
static enum rwsem_step linux_retry(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	if (w->spinning) {
		rwsem_spin_remove(sem, w);
		linux_set_nonspinnable(sem, t);
		w->nonspin_seen = sem->rspin_off || sem->wspin_off;
		if (has(sem, RWSEM_F_STEAL) && lock_free(sem) && !sem->handoff)
			return linux_write_steal(sem, w, t, true);
		return linux_queue(sem, w, t);
	}
	if (!w->queued)
		return linux_arrive(sem, w, t);
	w->woken = false;
	if (lock_free(sem) && (!sem->handoff || w->handoff)) {
		rwsem_unqueue(sem, w);
		sem->handoff = false;
		w->handoff = false;
		return linux_write_steal(sem, w, t, true);
	}
	if (has(sem, RWSEM_F_HANDOFF) && w == sem->head && !sem->handoff && timed_out(w, t))
		linux_set_handoff(sem, w, t);
	return RWSEM_QUEUED;
}

/*
 * Spinners are on their CPUs: the first takes the lock as soon as it may
 * (a reader is followed by the other spinning readers). The rest spin on
 * unless readers now hold it: they arrive anew (a 5.3 writer spins on
 * readers for a while; a 3.16 writer sleeps).
 */
static void linux_spinners_take(struct rwsem *sem, struct task *t)
{
	struct rwsem_waiter *s, *next;

	while ((s = sem->spin_head) && !sem->handoff) {
		if (s->mode == LOCK_WRITE) {
			if (lock_free(sem)) {
				linux_writer_owns(sem, false);
				rwsem_grant(sem, s, t);
			}
			break;
		}
		if (sem->writer)
			break;
		sem->readers++;
		linux_readers_own(sem);
		rwsem_grant(sem, s, t);
	}
	if (sem->writer)
		return; /* the others spin on the new owner, a spinner: on its CPU */
	for (s = sem->spin_head; s; s = next) {
		next = s->next;
		if (!s->spin_deadline)
			rwsem_spin_kick(sem, s, t);
	}
}

static void linux_release(struct rwsem *sem, enum lock_mode mode, struct task *t)
{
	if (mode == LOCK_READ) {
		if (--sem->readers)
			return;
		if (sem->head)
			sem->wspin_off = false; /* clear_wr_nonspinnable in __up_read */
	} else {
		sem->writer = false; /* rwsem_clear_owner: no nonspinnable bits left */
		sem->rspin_off = false;
		sem->wspin_off = false;
	}
	if (sem->spin_head) /* (nobody spinning, as mostly: nothing to take) */
		linux_spinners_take(sem, t);
	if (sem->head)
		linux_wake(sem, WAKE_ANY, t);
}

static void linux_downgrade(struct rwsem *sem, struct task *t)
{
	sem->writer = false;
	sem->readers = 1;
	linux_readers_own(sem);
	linux_spinners_take(sem, t);
	if (sem->head)
		linux_wake(sem, WAKE_READ_OWNED, t);
}

#define LINUX_POLICY(var, pname, pflags, pdoc)                                                     \
	const struct rwsem_policy var = {                                                          \
		.name = pname,                                                                     \
		.doc = pdoc,                                                                       \
		.flags = pflags,                                                                   \
		.read_trylock = linux_read_trylock,                                                \
		.write_trylock = linux_write_trylock,                                              \
		.arrive = linux_arrive,                                                            \
		.retry = linux_retry,                                                              \
		.release = linux_release,                                                          \
		.downgrade = linux_downgrade,                                                      \
	}

/* clang-format off */
LINUX_POLICY(rwsem_policy_2636, "2.6.36", 0,
	     "x86 xadd rwsem of 2.6.36-3.9: FIFO, no bypass of a queued writer, direct hand-off (docs/kernel-model.md#rwsem-2636)");
LINUX_POLICY(rwsem_policy_spinlock, "generic-spinlock", 0,
	     "lib/rwsem-spinlock.c (non-x86, docs/kernel-model.md#rwsem-spinlock): the same fairness and hand-off as 2.6.36");
LINUX_POLICY(rwsem_policy_310, "3.10-steal", RWSEM_F_STEAL,
	     "3.10: a woken writer is not granted the lock, it takes it when it runs; writers steal a free lock past the queue");
LINUX_POLICY(rwsem_policy_316, "3.16-optspin", RWSEM_F_STEAL | RWSEM_F_WRITER_SPIN,
	     "3.16: 3.10 plus optimistic spinning of writers while the owning writer runs (they burn CPU)");
LINUX_POLICY(rwsem_policy_53, "5.3",
	     RWSEM_F_STEAL | RWSEM_F_WRITER_SPIN | RWSEM_F_SPIN_ON_READERS | RWSEM_F_READER_SPIN |
	     RWSEM_F_HANDOFF | RWSEM_F_READERS_ANYWHERE,
	     "5.3 rework: readers and writers spin and steal, up to 256 readers woken from anywhere in the queue, HANDOFF after 4 ms");
LINUX_POLICY(rwsem_policy_511, "5.11",
	     RWSEM_F_STEAL | RWSEM_F_WRITER_SPIN | RWSEM_F_SPIN_ON_READERS | RWSEM_F_HANDOFF |
	     RWSEM_F_READERS_ANYWHERE | RWSEM_F_READER_STEAL,
	     "5.11: 5.3 without reader spinning; a reader steals only a free lock");
LINUX_POLICY(rwsem_policy_unfair_proc, "unfair-proc", RWSEM_F_UNFAIR_PROC,
	     "2.6.36 with the 2010 down_read_unfair proposal: /proc readers get the lock whenever no writer holds it");
/* clang-format on */
