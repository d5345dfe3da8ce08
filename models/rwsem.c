/*
 * rwsem.c - the kernel interface of the reader/writer semaphore
 * (docs/kernel-model.md#rwsem).
 *
 * Abstracts include/linux/rwsem.h: down_read, down_read_trylock, down_write,
 * down_write_trylock, up_read, up_write, downgrade_write. The policy
 * (rwsem_linux.c, rwsem_textbook.c) owns the rules; this file blocks or spins
 * the caller until the lock is its own, keeps the owner and the spinner list,
 * and records every acquisition (request, grant, release) for the statistics.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "models/rwsem.h"

extern const struct rwsem_policy rwsem_policy_2636, rwsem_policy_spinlock, rwsem_policy_310,
        rwsem_policy_316, rwsem_policy_53, rwsem_policy_511, rwsem_policy_unfair_proc;
extern const struct rwsem_policy rwsem_policy_reader_pref, rwsem_policy_writer_pref,
        rwsem_policy_task_fair, rwsem_policy_phase_fair;

/* The "rwsem_policy" feature stores an index into this table (enum rwsem_policy_id). */
const struct rwsem_policy *const rwsem_policies[] = {
	[RWSEM_POLICY_2636] = &rwsem_policy_2636,
	[RWSEM_POLICY_SPINLOCK] = &rwsem_policy_spinlock,
	[RWSEM_POLICY_310] = &rwsem_policy_310,
	[RWSEM_POLICY_316] = &rwsem_policy_316,
	[RWSEM_POLICY_53] = &rwsem_policy_53,
	[RWSEM_POLICY_511] = &rwsem_policy_511,
	[RWSEM_POLICY_READER_PREF] = &rwsem_policy_reader_pref,
	[RWSEM_POLICY_WRITER_PREF] = &rwsem_policy_writer_pref,
	[RWSEM_POLICY_TASK_FAIR] = &rwsem_policy_task_fair,
	[RWSEM_POLICY_PHASE_FAIR] = &rwsem_policy_phase_fair,
	[RWSEM_POLICY_UNFAIR_PROC] = &rwsem_policy_unfair_proc,
	NULL,
};

const char *const *rwsem_policy_names(void)
{
	/* built from the policies themselves: a new policy is named in one place */
	static const char *names[sizeof(rwsem_policies) / sizeof(*rwsem_policies)];

	if (!names[0])
		for (size_t i = 0; rwsem_policies[i]; i++)
			names[i] = rwsem_policies[i]->name;
	return names;
}

const char *const lock_site_names[SITE_COUNT] = {
	[SITE_FAULT] = "fault",   [SITE_FAULT_RETRY] = "fault_retry", [SITE_MMAP] = "mmap",
	[SITE_MUNMAP] = "munmap", [SITE_PROC_READ] = "proc_read",     [SITE_FORK] = "fork",
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
	(void)sem; /* the asserts only, gone with NDEBUG */
	assert(!(sem->writer && sem->readers));
	assert((sem->head == NULL) == (sem->queued == 0));
	assert((sem->spin_head == NULL) == (sem->spinners == 0));
	assert(sem->queued_writers <= sem->queued);
}

/* ---- the two lists: the wait queue and the spinners -------------------- */

static void list_append(struct rwsem_waiter **head, struct rwsem_waiter **tail,
                        struct rwsem_waiter *w)
{
	w->next = NULL;
	w->prev = *tail;
	if (*tail)
		(*tail)->next = w;
	else
		*head = w;
	*tail = w;
}

static void list_cut(struct rwsem_waiter **head, struct rwsem_waiter **tail, struct rwsem_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		*head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		*tail = w->prev;
	w->next = w->prev = NULL;
}

void rwsem_enqueue(struct rwsem *sem, struct rwsem_waiter *w)
{
	assert(!w->queued && !w->spinning);
	w->granted = false;
	w->woken = false;
	w->queued = true;
	list_append(&sem->head, &sem->tail, w);
	sem->queued++;
	sem->queued_writers += w->mode == LOCK_WRITE;
}

void rwsem_unqueue(struct rwsem *sem, struct rwsem_waiter *w)
{
	assert(w->queued);
	list_cut(&sem->head, &sem->tail, w);
	w->queued = false;
	sem->queued--;
	sem->queued_writers -= w->mode == LOCK_WRITE;
}

struct rwsem_waiter *rwsem_dequeue(struct rwsem *sem)
{
	struct rwsem_waiter *w = sem->head;

	rwsem_unqueue(sem, w);
	return w;
}

void rwsem_spin_add(struct rwsem *sem, struct rwsem_waiter *w)
{
	assert(!w->queued && !w->spinning);
	w->granted = false;
	w->spinning = true;
	list_append(&sem->spin_head, &sem->spin_tail, w);
	sem->spinners++;
}

void rwsem_spin_remove(struct rwsem *sem, struct rwsem_waiter *w)
{
	assert(w->spinning);
	list_cut(&sem->spin_head, &sem->spin_tail, w);
	w->spinning = false;
	sem->spinners--;
}

void rwsem_add_levels(const struct rwsem *sem, sim_ns now, double area[3], long value[3])
{
	const struct level *l[3] = { &sem->waiting, &sem->holders[LOCK_READ],
		                     &sem->holders[LOCK_WRITE] };

	for (int i = 0; i < 3; i++) {
		area[i] += level_area_at(l[i], now);
		value[i] += l[i]->value;
	}
}

/* ---- ownership, hand-off, stealing --------------------------------------- */

/* The levels (waiting, readers, writer) after an operation, if they changed. */
static inline void rwsem_report(struct rwsem *sem, struct task *t)
{
	long waiting = (long)(sem->queued + sem->spinners);

	if (!t)
		return;
	if (waiting != sem->waiting.value)
		level_set(&sem->waiting, task_now(t), waiting);
	if ((long)sem->readers != sem->holders[LOCK_READ].value)
		level_set(&sem->holders[LOCK_READ], task_now(t), (long)sem->readers);
	if ((long)sem->writer != sem->holders[LOCK_WRITE].value)
		level_set(&sem->holders[LOCK_WRITE], task_now(t), (long)sem->writer);
}

bool rwsem_owner_on_cpu(const struct rwsem *sem)
{
	return sem->writer && sem->owner && task_on_cpu(sem->owner);
}

/* The owner stops running: spinning on it is pointless (rwsem_spin_on_owner). */
static void rwsem_owner_off_cpu(struct task *owner, void *arg)
{
	struct rwsem *sem = arg;
	struct rwsem_waiter *w = sem->spin_head, *next;

	for (; w; w = next) {
		next = w->next;
		if (!w->spin_deadline) /* not the ones spinning on readers */
			rwsem_spin_kick(sem, w, owner);
	}
	rwsem_report(sem, owner);
}

/* A writer took the lock: spinners watch it, so its leaving the CPU must show. */
static void rwsem_set_owner(struct rwsem *sem, struct task *t)
{
	sem->owner = t;
	if (t && (sem->policy->flags & (RWSEM_F_WRITER_SPIN | RWSEM_F_READER_SPIN)))
		task_set_off_cpu_hook(t, rwsem_owner_off_cpu, sem);
}

static void rwsem_clear_owner(struct rwsem *sem)
{
	if (sem->owner)
		task_set_off_cpu_hook(sem->owner, NULL, NULL);
	sem->owner = NULL;
}

/* Lock stealing: a request made at @since got the lock past an earlier, still queued waiter. */
static void rwsem_note_steal(struct rwsem *sem, sim_ns since, struct task *t)
{
	if (t && sem->head && sem->head->since < since)
		record_rwsem_event(t, sem->mm_id, RWSEM_EV_STEAL, 0);
}

void rwsem_take(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	w->granted = true;
	w->grant = t ? task_now(t) : 0;
	if (w->mode == LOCK_WRITE)
		rwsem_set_owner(sem, w->task);
	rwsem_note_steal(sem, w->since, t);
}

/*
 * Hand the lock to @w: it owns it from now on, and runs after the wake-up
 * latency if it slept in the queue, at once if it was spinning (on a CPU).
 */
void rwsem_grant(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	bool spun = w->spinning;
	sim_ns latency = 0;

	if (spun)
		rwsem_spin_remove(sem, w);
	else if (w->queued)
		rwsem_unqueue(sem, w);
	w->granted = true;
	w->woken = false;
	if (w->mode == LOCK_WRITE)
		rwsem_set_owner(sem, w->task);
	if (!t)
		return;
	w->grant = task_now(t);
	/*
	 * Recorded now, not when it runs: the run may end before its wake-up,
	 * and it holds the lock from now on (the holders' count says so).
	 */
	if (w->task) {
		record_lock_grant(w->task, sem->mm_id, w->mode, w->site, w->since, w->grant);
		w->recorded = true;
	}
	if (spun)
		rwsem_note_steal(sem, w->since, t);
	else if (sem->wakeup && w->task && w->task != t)
		latency = dist_sample_ns(sem->wakeup, task_rng(w->task));
	record_lock_handoff(t, w->task, sem->mm_id);
	if (w->task && w->task != t) /* a waiter may grant itself on arrival */
		task_wake(t, w->task, latency);
}

void rwsem_wake_waiter(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	w->woken = true;
	if (t && w->task && w->task != t)
		task_wake(t, w->task,
		          sem->wakeup ? dist_sample_ns(sem->wakeup, task_rng(w->task)) : 0);
}

void rwsem_spin_kick(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	rwsem_spin_remove(sem, w);
	if (t && w->task && w->task != t)
		task_wake(t, w->task, 0); /* it is on its CPU */
}

/* ---- the kernel interface ------------------------------------------------ */

/* @recorded: the grant is in the records already (handed over by rwsem_grant). */
static void rwsem_acquired(struct rwsem *sem, struct task *t, enum lock_mode mode, int site,
                           sim_ns request, sim_ns grant, bool recorded, struct rwsem_hold *h)
{
	h->mode = mode;
	h->site = site;
	h->grant = grant;
	if (mode == LOCK_WRITE && sem->owner != t) /* the fast paths leave it to us */
		rwsem_set_owner(sem, t);
	if (!recorded)
		record_lock_grant(t, sem->mm_id, mode, site, request, grant);
	rwsem_report(sem, t);
	rwsem_check(sem);
}

/* Spins until granted, kicked off the list, or past its deadline (spinning on readers). */
static void rwsem_spin_wait(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	sim_ns start = task_now(t);
	sim_ns timeout = w->spin_deadline ? w->spin_deadline - start : -1;

	if (timeout != 0)
		task_spin(t, timeout > 0 ? timeout : -1);
	record_rwsem_event(t, sem->mm_id, w->granted ? RWSEM_EV_SPIN_WON : RWSEM_EV_SPIN,
	                   task_now(t) - start);
}

/* The slow path of rwsem_down: the trylock failed, @since is the request. */
static __attribute__((noinline)) void rwsem_down_wait(struct rwsem *sem, struct task *t, int site,
                                                      struct rwsem_hold *h, enum lock_mode mode,
                                                      sim_ns since)
{
	struct rwsem_waiter w = { .task = t, .mode = mode, .site = site, .since = since };
	enum rwsem_step step = sem->policy->arrive(sem, &w, t);

	while (step != RWSEM_TAKEN && !w.granted) {
		rwsem_report(sem, t);
		if (step == RWSEM_SPIN)
			rwsem_spin_wait(sem, &w, t);
		else
			task_block(t);
		if (!w.granted && (w.woken || step == RWSEM_SPIN))
			step = sem->policy->retry(sem, &w, t);
	}
	assert(!w.queued && !w.spinning);
	rwsem_acquired(sem, t, mode, site, w.since, w.granted ? w.grant : task_now(t), w.recorded,
	               h);
}

/* The fast path, inline: every policy's arrival starts with its trylock. */
static inline void rwsem_down(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h,
                              enum lock_mode mode)
{
	sim_ns since = task_now(t);

	if (mode == LOCK_READ ? sem->policy->read_trylock(sem) : sem->policy->write_trylock(sem)) {
		rwsem_note_steal(sem, since, t); /* a reader-pref reader past a waiting writer */
		rwsem_acquired(sem, t, mode, site, since, since, false, h);
		return;
	}
	rwsem_down_wait(sem, t, site, h, mode, since);
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
	rwsem_acquired(sem, t, LOCK_READ, site, task_now(t), task_now(t), false, h);
	return true;
}

bool down_write_trylock(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h)
{
	if (!sem->policy->write_trylock(sem))
		return false;
	rwsem_acquired(sem, t, LOCK_WRITE, site, task_now(t), task_now(t), false, h);
	return true;
}

void up_read(struct rwsem *sem, struct task *t, const struct rwsem_hold *h)
{
	assert(sem->readers > 0 && h->mode == LOCK_READ);
	record_lock_release(t, sem->mm_id, LOCK_READ, h->site, h->grant);
	sem->policy->release(sem, LOCK_READ, t);
	rwsem_report(sem, t);
	rwsem_check(sem);
}

void up_write(struct rwsem *sem, struct task *t, const struct rwsem_hold *h)
{
	assert(sem->writer && h->mode == LOCK_WRITE);
	record_lock_release(t, sem->mm_id, LOCK_WRITE, h->site, h->grant);
	rwsem_clear_owner(sem);
	sem->policy->release(sem, LOCK_WRITE, t);
	rwsem_report(sem, t);
	rwsem_check(sem);
}

void downgrade_write(struct rwsem *sem, struct task *t, struct rwsem_hold *h)
{
	assert(sem->writer && h->mode == LOCK_WRITE);
	record_lock_release(t, sem->mm_id, LOCK_WRITE, h->site, h->grant);
	rwsem_clear_owner(sem);
	sem->policy->downgrade(sem, t);
	h->mode = LOCK_READ;
	h->grant = task_now(t);
	record_lock_grant(t, sem->mm_id, LOCK_READ, h->site, h->grant, h->grant);
	rwsem_report(sem, t);
	rwsem_check(sem);
}
