/*
 * rwsem_textbook.c - the reader-writer locks of the literature
 * (docs/kernel-model.md#rwsem-textbook), for comparison with the kernel's.
 * All hand the lock over at release (the woken task owns it at once and runs
 * after the wake-up latency); none spins.
 *
 *   task-fair    strict arrival order, consecutive readers share (Mellor-Crummey
 *                and Scott 1991): Linux 2.6.36's fairness.
 *   reader-pref  a reader gets the lock whenever no writer holds it; writers get
 *                it when no reader holds or waits (Courtois et al. 1971, problem 1).
 *   writer-pref  once a writer waits, no reader gets in; at a release the waiting
 *                writers go before the waiting readers (problem 2).
 *   phase-fair   reader and writer phases alternate while both wait: a writer's
 *                release admits every waiting reader, the end of a reader phase
 *                admits one writer; writers are FIFO; a reader arriving in a
 *                reader phase joins only if no writer waits (Brandenburg and
 *                Anderson 2009).
 */
#include "models/rwsem.h"

enum textbook_kind { TASK_FAIR, READER_PREF, WRITER_PREF, PHASE_FAIR };

static int kind_of(const struct rwsem *sem)
{
	return (int)sem->policy->variant;
}

/* Grants every waiting reader (from anywhere in the queue), or only the run at the head. */
static unsigned textbook_grant_readers(struct rwsem *sem, bool all, struct task *t)
{
	struct rwsem_waiter *w = sem->head, *next;
	unsigned n = 0;

	for (; w; w = next) {
		next = w->next;
		if (w->mode == LOCK_WRITE) {
			if (!all)
				break;
			continue;
		}
		sem->readers++;
		rwsem_grant(sem, w, t);
		n++;
	}
	return n;
}

static bool textbook_grant_first_writer(struct rwsem *sem, struct task *t)
{
	struct rwsem_waiter *w = sem->head;

	while (w && w->mode != LOCK_WRITE)
		w = w->next;
	if (!w)
		return false;
	sem->writer = true;
	rwsem_grant(sem, w, t);
	return true;
}

/* Whether a reader arriving now gets in. */
static bool textbook_read_ok(const struct rwsem *sem)
{
	if (sem->writer)
		return false;
	switch (kind_of(sem)) {
	case READER_PREF:
		return true;
	case WRITER_PREF:
	case PHASE_FAIR:
		return sem->queued_writers == 0;
	default:
		return sem->head == NULL;
	}
}

static bool textbook_read_trylock(struct rwsem *sem)
{
	if (!textbook_read_ok(sem))
		return false;
	sem->readers++;
	return true;
}

static bool textbook_write_trylock(struct rwsem *sem)
{
	bool waiting = kind_of(sem) == WRITER_PREF ? sem->queued_writers : sem->head != NULL;

	if (sem->writer || sem->readers || waiting)
		return false;
	sem->writer = true;
	return true;
}

static enum rwsem_step textbook_arrive(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	bool taken =
	        w->mode == LOCK_READ ? textbook_read_trylock(sem) : textbook_write_trylock(sem);

	if (taken) {
		rwsem_take(sem, w, t); /* a reader-pref reader may pass waiting writers */
		return RWSEM_TAKEN;
	}
	rwsem_enqueue(sem, w);
	return RWSEM_QUEUED;
}

/* Never called: nobody is woken without a grant, nobody spins. */
static enum rwsem_step textbook_retry(struct rwsem *sem, struct rwsem_waiter *w, struct task *t)
{
	(void)sem;
	(void)w;
	(void)t;
	return RWSEM_QUEUED;
}

/* The lock is free: whom it goes to. */
static void textbook_hand_over(struct rwsem *sem, enum lock_mode released, struct task *t)
{
	switch (kind_of(sem)) {
	case READER_PREF:
		if (!textbook_grant_readers(sem, true, t))
			textbook_grant_first_writer(sem, t);
		break;
	case WRITER_PREF:
		if (!textbook_grant_first_writer(sem, t))
			textbook_grant_readers(sem, true, t);
		break;
	case PHASE_FAIR: /* a writer's release starts a reader phase, a reader phase's end a writer's */
		if (released == LOCK_WRITE && textbook_grant_readers(sem, true, t))
			break;
		if (!textbook_grant_first_writer(sem, t))
			textbook_grant_readers(sem, true, t);
		break;
	default:
		if (sem->head && sem->head->mode == LOCK_WRITE)
			textbook_grant_first_writer(sem, t);
		else
			textbook_grant_readers(sem, false, t);
	}
}

static void textbook_release(struct rwsem *sem, enum lock_mode mode, struct task *t)
{
	if (mode == LOCK_READ) {
		if (--sem->readers)
			return;
	} else {
		sem->writer = false;
	}
	if (sem->head)
		textbook_hand_over(sem, mode, t);
}

/* The downgraded holder is a reader now: the readers it lets in are those its policy would. */
static void textbook_downgrade(struct rwsem *sem, struct task *t)
{
	sem->writer = false;
	sem->readers = 1;
	switch (kind_of(sem)) {
	case WRITER_PREF:
		if (!sem->queued_writers)
			textbook_grant_readers(sem, true, t);
		break;
	case READER_PREF:
	case PHASE_FAIR:
		textbook_grant_readers(sem, true, t);
		break;
	default:
		textbook_grant_readers(sem, false, t);
	}
}

#define TEXTBOOK_POLICY(var, pname, kind, pdoc)                                                    \
	const struct rwsem_policy var = {                                                          \
		.name = pname,                                                                     \
		.doc = pdoc,                                                                       \
		.variant = kind,                                                                   \
		.read_trylock = textbook_read_trylock,                                             \
		.write_trylock = textbook_write_trylock,                                           \
		.arrive = textbook_arrive,                                                         \
		.retry = textbook_retry,                                                           \
		.release = textbook_release,                                                       \
		.downgrade = textbook_downgrade,                                                   \
	}

/* clang-format off */
TEXTBOOK_POLICY(rwsem_policy_task_fair, "task-fair", TASK_FAIR,
		"textbook task-fair (FIFO) lock: strict arrival order, consecutive readers share");
TEXTBOOK_POLICY(rwsem_policy_reader_pref, "reader-pref", READER_PREF,
		"textbook reader preference: readers enter whenever no writer holds it; writers can starve");
TEXTBOOK_POLICY(rwsem_policy_writer_pref, "writer-pref", WRITER_PREF,
		"textbook writer preference: no reader enters while a writer waits; readers can starve");
TEXTBOOK_POLICY(rwsem_policy_phase_fair, "phase-fair", PHASE_FAIR,
		"phase-fair (Brandenburg and Anderson): reader and writer phases alternate; a reader waits for at most one writer");
/* clang-format on */
