/*
 * rwsem.c - the kernel interface of the reader/writer semaphore (spec 8.1).
 *
 * Abstracts include/linux/rwsem.h: down_read, down_read_trylock, down_write,
 * up_read, up_write, downgrade_write. The policy (rwsem_2636.c, ...) owns the
 * rules; this file blocks the caller until its waiter is granted and records
 * every acquisition (request, grant, release) for the statistics.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "models/rwsem.h"

extern const struct rwsem_policy rwsem_policy_2636;

const struct rwsem_policy *const rwsem_policies[] = {
	&rwsem_policy_2636,
	NULL,
};

const char *const lock_site_names[SITE_COUNT] = {
	[SITE_FAULT] = "fault",
	[SITE_FAULT_RETRY] = "fault_retry",
	[SITE_MMAP] = "mmap",
	[SITE_MUNMAP] = "munmap",
	[SITE_PROC_READ] = "proc_read",
	[SITE_FORK] = "fork",
	[SITE_MLOCK] = "mlock",
};

const struct rwsem_policy *rwsem_policy_find(const char *name)
{
	for (int i = 0; rwsem_policies[i]; i++)
		if (strcmp(rwsem_policies[i]->name, name) == 0)
			return rwsem_policies[i];
	return NULL;
}

void rwsem_init(struct rwsem *sem, const struct rwsem_policy *policy, int mm_id,
		const struct dist *wakeup)
{
	memset(sem, 0, sizeof(*sem));
	sem->policy = policy;
	sem->mm_id = mm_id;
	sem->wakeup = wakeup;
}

void rwsem_check(const struct rwsem *sem)
{
	assert(!(sem->writer && sem->readers));
	assert((sem->head == NULL) == (sem->queued == 0));
}

void rwsem_enqueue(struct rwsem *sem, struct rwsem_waiter *w)
{
	w->next = NULL;
	w->granted = false;
	if (sem->tail)
		sem->tail->next = w;
	else
		sem->head = w;
	sem->tail = w;
	sem->queued++;
}

struct rwsem_waiter *rwsem_dequeue(struct rwsem *sem)
{
	struct rwsem_waiter *w = sem->head;

	sem->head = w->next;
	if (!sem->head)
		sem->tail = NULL;
	sem->queued--;
	return w;
}

/* Hand the lock to @w: it owns it from now on, and runs after the wake-up latency. */
void rwsem_grant(struct rwsem *sem, struct rwsem_waiter *w, struct task *waker)
{
	w->granted = true;
	if (!waker)
		return;
	w->grant = task_now(waker);
	if (w->task && w->task != waker) /* a waiter may grant itself on arrival */
		task_wake(waker, w->task,
			  sem->wakeup ? dist_sample_ns(sem->wakeup, task_rng(w->task)) : 0);
}

static void rwsem_acquired(struct rwsem *sem, struct task *t, enum lock_mode mode, int site,
			   sim_ns request, sim_ns grant, struct rwsem_hold *h)
{
	h->mode = mode;
	h->site = site;
	h->grant = grant;
	record_lock_grant(t, sem->mm_id, mode, site, request, grant);
	rwsem_check(sem);
}

static void rwsem_down(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h,
		       enum lock_mode mode)
{
	struct rwsem_waiter w = { .task = t, .mode = mode };
	sim_ns request = task_now(t);
	bool now = mode == LOCK_READ ? sem->policy->read_arrive(sem, &w, t)
				     : sem->policy->write_arrive(sem, &w, t);

	if (now) {
		rwsem_acquired(sem, t, mode, site, request, request, h);
		return;
	}
	/* a policy may grant at once, while queueing (a wake of ourselves) */
	while (!w.granted)
		task_block(t);
	rwsem_acquired(sem, t, mode, site, request, w.grant, h);
}

void down_read(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h)
{
	rwsem_down(sem, t, site, h, LOCK_READ);
}

void down_write(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h)
{
	rwsem_down(sem, t, site, h, LOCK_WRITE);
}

bool down_read_trylock(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h)
{
	if (!sem->policy->read_trylock(sem))
		return false;
	rwsem_acquired(sem, t, LOCK_READ, site, task_now(t), task_now(t), h);
	return true;
}

void up_read(struct rwsem *sem, struct task *t, const struct rwsem_hold *h)
{
	assert(sem->readers > 0 && h->mode == LOCK_READ);
	record_lock_release(t, sem->mm_id, LOCK_READ, h->site, h->grant);
	sem->policy->read_release(sem, t);
	rwsem_check(sem);
}

void up_write(struct rwsem *sem, struct task *t, const struct rwsem_hold *h)
{
	assert(sem->writer && h->mode == LOCK_WRITE);
	record_lock_release(t, sem->mm_id, LOCK_WRITE, h->site, h->grant);
	sem->write_seq++;
	sem->policy->write_release(sem, t);
	rwsem_check(sem);
}

void downgrade_write(struct rwsem *sem, struct task *t, struct rwsem_hold *h)
{
	assert(sem->writer && h->mode == LOCK_WRITE);
	record_lock_release(t, sem->mm_id, LOCK_WRITE, h->site, h->grant);
	sem->write_seq++;
	sem->policy->downgrade(sem, t);
	h->mode = LOCK_READ;
	h->grant = task_now(t);
	record_lock_grant(t, sem->mm_id, LOCK_READ, h->site, h->grant, h->grant);
	rwsem_check(sem);
}

/* For the "rwsem_policy" feature; same order as rwsem_policies[]. */
const char *const rwsem_policy_names[] = { "2.6.36", NULL };
