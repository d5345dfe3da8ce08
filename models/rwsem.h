/*
 * rwsem.h - the reader/writer semaphore (mmap_sem), with a selectable policy.
 *
 * The front end (down_read, up_write, ...) is the kernel interface of spec
 * 8.1; a policy decides who takes the lock on arrival and whom a release
 * wakes. Policies only change state and grant waiters; blocking is done here.
 */
#ifndef MODELS_RWSEM_H
#define MODELS_RWSEM_H

#include <stdbool.h>

#include "models/dist.h"
#include "models/env.h"

struct rwsem_waiter {
	struct rwsem_waiter *next; /* FIFO link */
	struct task *task;         /* borrowed; NULL in unit tests */
	enum lock_mode mode;
	bool granted;              /* set by the policy when the lock is handed over */
	sim_ns grant;              /* hand-off instant (the releaser's time) */
};

/*
 * Guide to the state: @readers hold it for read, or @writer holds it; the
 * queue is FIFO. Invariants (rwsem_check): never both readers and a writer.
 */
struct rwsem {
	const struct rwsem_policy *policy; /* borrowed from rwsem_policies[] */
	int mm_id;                         /* the process, for the records */
	const struct dist *wakeup;         /* borrowed: hand-off to the waiter running; may be NULL */
	unsigned readers;                  /* active readers */
	bool writer;                       /* a writer holds it */
	struct rwsem_waiter *head, *tail;  /* the wait queue */
	unsigned queued;                   /* waiters in the queue */
	unsigned long write_seq;           /* write sections ended (up_write, downgrade_write) */
};

/* What a holder keeps to release the lock and record the hold. */
struct rwsem_hold {
	enum lock_mode mode;
	int site;     /* index into lock_site_names[] */
	sim_ns grant; /* when the lock became ours */
};

/*
 * A policy: each op changes the state of @sem at the current instant, and
 * grants waiters with rwsem_grant(). @waker is the running task (NULL in unit
 * tests). Arrival ops return true when the lock is taken at once; otherwise
 * they have queued @w.
 */
struct rwsem_policy {
	const char *name;
	const char *doc;
	bool (*read_trylock)(struct rwsem *sem);
	bool (*write_trylock)(struct rwsem *sem);
	bool (*read_arrive)(struct rwsem *sem, struct rwsem_waiter *w, struct task *waker);
	bool (*write_arrive)(struct rwsem *sem, struct rwsem_waiter *w, struct task *waker);
	void (*read_release)(struct rwsem *sem, struct task *waker);
	void (*write_release)(struct rwsem *sem, struct task *waker);
	void (*downgrade)(struct rwsem *sem, struct task *waker);
};

/* The policies, for lookup by name and `mmsim list`; NULL-terminated. */
extern const struct rwsem_policy *const rwsem_policies[];
const struct rwsem_policy *rwsem_policy_find(const char *name);

/* The call sites of mmap_sem, named in the per-site metrics. */
enum lock_site {
	SITE_FAULT,       /* do_page_fault, first attempt */
	SITE_FAULT_RETRY, /* do_page_fault after VM_FAULT_RETRY */
	SITE_MMAP,
	SITE_MUNMAP,
	SITE_PROC_READ,
	SITE_FORK,        /* dup_mmap */
	SITE_MLOCK,       /* mlock, munlock and their populate (spec 6.3) */
	SITE_COUNT
};
extern const char *const lock_site_names[SITE_COUNT];

void rwsem_init(struct rwsem *sem, const struct rwsem_policy *policy, int mm_id,
		const struct dist *wakeup);

/* Context: @t running. May block until the lock is handed over. */
void down_read(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
void down_write(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
/* Context: @t running. Never blocks; false if the lock was not free for us. */
bool down_read_trylock(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
/* Context: @t holds @sem as @h says. */
void up_read(struct rwsem *sem, struct task *t, const struct rwsem_hold *h);
void up_write(struct rwsem *sem, struct task *t, const struct rwsem_hold *h);
/* Context: @t holds @sem for write; afterwards it holds it for read (@h updated). */
void downgrade_write(struct rwsem *sem, struct task *t, struct rwsem_hold *h);

/* Helpers for policies (and unit tests of them). */
void rwsem_enqueue(struct rwsem *sem, struct rwsem_waiter *w);
struct rwsem_waiter *rwsem_dequeue(struct rwsem *sem);
void rwsem_grant(struct rwsem *sem, struct rwsem_waiter *w, struct task *waker);
void rwsem_check(const struct rwsem *sem);

#endif
