/*
 * rwsem_2636.c - policy "2.6.36": lib/rwsem.c with the x86 xadd fast paths,
 * Linux 2.6.36 to 3.9 (spec 8.2).
 *
 * Task-fair FIFO: a new reader never bypasses a queued waiter; a release
 * hands the lock over (direct hand-off, no stealing); the head writer is
 * woken alone, or the run of readers at the head up to the first writer.
 * The count arithmetic of the kernel is replaced by the equivalent state
 * (readers, writer, queue); the wake types are those of __rwsem_do_wake().
 */
#include "models/rwsem.h"

enum wake_type {
	WAKE_ANY,        /* up_read/up_write: the lock may be free */
	WAKE_NO_ACTIVE,  /* a waiter found nobody holding it */
	WAKE_READ_OWNED, /* readers hold it: only readers may join */
};

static void rwsem_2636_wake(struct rwsem *sem, enum wake_type type, struct task *waker)
{
	struct rwsem_waiter *h = sem->head;

	if (!h)
		return;
	if (h->mode == LOCK_WRITE) {
		if (type == WAKE_READ_OWNED || sem->readers || sem->writer)
			return;
		sem->writer = true;
		rwsem_grant(sem, rwsem_dequeue(sem), waker);
		return;
	}
	if (type == WAKE_ANY && sem->writer)
		return;
	while (sem->head && sem->head->mode == LOCK_READ) {
		sem->readers++;
		rwsem_grant(sem, rwsem_dequeue(sem), waker);
	}
}

static bool rwsem_2636_read_trylock(struct rwsem *sem)
{
	if (sem->writer || sem->head)
		return false;
	sem->readers++;
	return true;
}

static bool rwsem_2636_write_trylock(struct rwsem *sem)
{
	if (sem->writer || sem->readers || sem->head)
		return false;
	sem->writer = true;
	return true;
}

static bool rwsem_2636_read_arrive(struct rwsem *sem, struct rwsem_waiter *w, struct task *waker)
{
	if (rwsem_2636_read_trylock(sem))
		return true;
	rwsem_enqueue(sem, w);
	if (!sem->readers && !sem->writer)
		rwsem_2636_wake(sem, WAKE_NO_ACTIVE, waker);
	return false;
}

static bool rwsem_2636_write_arrive(struct rwsem *sem, struct rwsem_waiter *w, struct task *waker)
{
	if (rwsem_2636_write_trylock(sem))
		return true;
	rwsem_enqueue(sem, w);
	if (!sem->readers && !sem->writer)
		rwsem_2636_wake(sem, WAKE_NO_ACTIVE, waker);
	else if (sem->readers && !sem->writer)
		rwsem_2636_wake(sem, WAKE_READ_OWNED, waker);
	return false;
}

static void rwsem_2636_read_release(struct rwsem *sem, struct task *waker)
{
	if (--sem->readers == 0 && sem->head)
		rwsem_2636_wake(sem, WAKE_ANY, waker);
}

static void rwsem_2636_write_release(struct rwsem *sem, struct task *waker)
{
	sem->writer = false;
	if (sem->head)
		rwsem_2636_wake(sem, WAKE_ANY, waker);
}

static void rwsem_2636_downgrade(struct rwsem *sem, struct task *waker)
{
	sem->writer = false;
	sem->readers = 1;
	if (sem->head)
		rwsem_2636_wake(sem, WAKE_READ_OWNED, waker);
}

const struct rwsem_policy rwsem_policy_2636 = {
	.name = "2.6.36",
	.doc = "x86 xadd rwsem of 2.6.36-3.9: FIFO, no bypass of a queued writer, direct hand-off",
	.read_trylock = rwsem_2636_read_trylock,
	.write_trylock = rwsem_2636_write_trylock,
	.read_arrive = rwsem_2636_read_arrive,
	.write_arrive = rwsem_2636_write_arrive,
	.read_release = rwsem_2636_read_release,
	.write_release = rwsem_2636_write_release,
	.downgrade = rwsem_2636_downgrade,
};
