/*
 * rwsem.h - the reader/writer semaphore (mmap_sem), with a selectable policy.
 *
 * The front end (down_read, up_write, ...) is the kernel interface
 * (docs/kernel-model.md#rwsem); a policy decides who takes the lock on
 * arrival, whom a release hands it to or wakes, and whether a task spins for
 * it. Policies only change state, grant waiters and wake them; blocking and
 * spinning are done here.
 */
#ifndef MODELS_RWSEM_H
#define MODELS_RWSEM_H

#include <stdbool.h>

#include "models/dist.h"
#include "models/env.h"

/* A task asking for the lock: in the wait queue, on the spinner list, or neither. */
struct rwsem_waiter {
	struct rwsem_waiter *prev, *next; /* the wait queue or the spinner list */
	struct task *task;                /* borrowed; NULL in unit tests */
	enum lock_mode mode;
	int site;             /* enum lock_site (unfair-proc admits /proc readers) */
	sim_ns since;         /* the request: handoff timeout, fairness */
	bool queued;          /* in the wait queue */
	bool spinning;        /* on the spinner list */
	bool granted;         /* the lock is ours (set by whoever handed it over) */
	sim_ns grant;         /* ...at this instant (the releaser's time) */
	bool recorded;        /* ...and its grant recorded then (rwsem_grant) */
	bool woken;           /* woken without a grant: tries again when it runs */
	bool handoff;         /* 5.3: this first waiter set the HANDOFF bit */
	bool nonspin_seen;    /* 5.3: saw nonspinnable bits entering the slow path */
	sim_ns spin_deadline; /* spinning on readers: gives up then; 0: none */
};

/*
 * Guide to the state: @readers hold it for read, or @writer (task @owner)
 * holds it for write. Waiters sleep in the FIFO @head..@tail; optimistic
 * spinners wait on CPU in @spin_head..@spin_tail (the OSQ order). @handoff is
 * the 5.3 HANDOFF bit: while set, nobody may steal the lock. Invariants
 * (rwsem_check): never both readers and a writer; counts match the lists.
 */
struct rwsem {
	const struct rwsem_policy *policy; /* borrowed from rwsem_policies[] */
	int mm_id;                         /* the process, for the records */
	const struct dist *wakeup; /* borrowed: hand-off to the waiter running; may be NULL */
	unsigned readers;          /* active readers */
	bool writer;               /* a writer holds it */
	struct task *owner;        /* the writer holding it (NULL: none, or unit tests) */
	struct rwsem_waiter *head, *tail;           /* the wait queue */
	unsigned queued;                            /* waiters in the queue */
	unsigned queued_writers;                    /* ...of which writers */
	struct rwsem_waiter *spin_head, *spin_tail; /* the spinners */
	unsigned spinners;
	bool handoff;         /* 5.3+ RWSEM_FLAG_HANDOFF */
	bool rspin_off;       /* 5.3-5.10 RWSEM_RD_NONSPINNABLE: readers queue */
	bool wspin_off;       /* 5.3 RWSEM_WR_NONSPINNABLE, 5.11 NONSPINNABLE: no spin on readers */
	struct level waiting; /* tasks in down_*: queued, spinning */
	struct level holders[2]; /* readers, writer (enum lock_mode) */
};

/* What a holder keeps to release the lock and record the hold. */
struct rwsem_hold {
	enum lock_mode mode;
	int site;     /* index into lock_site_names[] */
	sim_ns grant; /* when the lock became ours */
};

/* What an arrival (or a retry) did. */
enum rwsem_step {
	RWSEM_TAKEN,  /* the lock is ours now */
	RWSEM_QUEUED, /* in the wait queue: sleep until granted or woken */
	RWSEM_SPIN,   /* on the spinner list: spin until granted or kicked */
};

/* Behaviour switches of the Linux policy family (rwsem_linux.c). */
#define RWSEM_F_STEAL 0x01           /* 3.10: writers are woken, not granted; writers steal */
#define RWSEM_F_WRITER_SPIN 0x02     /* 3.16: a writer spins while the owning writer runs */
#define RWSEM_F_SPIN_ON_READERS 0x04 /* 5.3: ...and for (10 + readers/2) us on readers */
#define RWSEM_F_READER_SPIN 0x08     /* 5.3-5.10: readers spin on a running writer too */
#define RWSEM_F_HANDOFF 0x10         /* 5.3: HANDOFF after RWSEM_WAIT_TIMEOUT */
#define RWSEM_F_READERS_ANYWHERE                                                                   \
	0x20                      /* 5.3: a reader wake grants <= 256 readers, skipping writers */
#define RWSEM_F_READER_STEAL 0x40 /* 5.11: a reader takes a free lock past the waiters */
#define RWSEM_F_UNFAIR_PROC 0x80  /* 2010 proposal: /proc readers ignore queued writers */

#define RWSEM_WAIT_TIMEOUT_NS (4 * NS_PER_MS) /* DIV_ROUND_UP(HZ, 250) jiffies: >= 4 ms */
#define RWSEM_MAX_READERS_WAKEUP 256

/*
 * A policy: each op changes the state of @sem at the current instant and
 * grants or wakes waiters with the helpers below. @t is the running task
 * (NULL in unit tests).
 */
struct rwsem_policy {
	const char *name;
	const char *doc;
	unsigned flags;   /* RWSEM_F_*: the Linux family's switches */
	unsigned variant; /* the textbook family's: which lock */
	bool (*read_trylock)(struct rwsem *sem);
	bool (*write_trylock)(struct rwsem *sem);
	/* A request for @w->mode: taken now, queued, or spinning (then @w is on a list). */
	enum rwsem_step (*arrive)(struct rwsem *sem, struct rwsem_waiter *w, struct task *t);
	/* @w runs again without a grant (woken, kicked off its spin, spin deadline): idem. */
	enum rwsem_step (*retry)(struct rwsem *sem, struct rwsem_waiter *w, struct task *t);
	void (*release)(struct rwsem *sem, enum lock_mode mode, struct task *t);
	void (*downgrade)(struct rwsem *sem, struct task *t);
};

/* Indexes into rwsem_policies[] (the kernel profiles name theirs with these). */
enum rwsem_policy_id {
	RWSEM_POLICY_2636,
	RWSEM_POLICY_SPINLOCK,
	RWSEM_POLICY_310,
	RWSEM_POLICY_316,
	RWSEM_POLICY_53,
	RWSEM_POLICY_511,
	RWSEM_POLICY_READER_PREF,
	RWSEM_POLICY_WRITER_PREF,
	RWSEM_POLICY_TASK_FAIR,
	RWSEM_POLICY_PHASE_FAIR,
	RWSEM_POLICY_UNFAIR_PROC,
};

/* The policies, for lookup by name and `mmsim list`; NULL-terminated. */
extern const struct rwsem_policy *const rwsem_policies[];
const struct rwsem_policy *rwsem_policy_find(const char *name);
/* The policies' names, in the same order, NULL-terminated (the "rwsem_policy" feature's choices). */
const char *const *rwsem_policy_names(void);

/* The call sites of mmap_sem, named in the per-site metrics. */
enum lock_site {
	SITE_FAULT,       /* do_page_fault, first attempt */
	SITE_FAULT_RETRY, /* do_page_fault after VM_FAULT_RETRY */
	SITE_MMAP,
	SITE_MUNMAP,
	SITE_PROC_READ,
	SITE_FORK,  /* dup_mmap */
	SITE_MLOCK, /* mlock, munlock and their populate (docs/kernel-model.md#mlock) */
	SITE_COUNT
};
extern const char *const lock_site_names[SITE_COUNT];

void rwsem_init(struct rwsem *sem, const struct rwsem_policy *policy, int mm_id,
                const struct dist *wakeup);

/*
 * Adds the lock's levels at @now to @area (their integrals from 0, in ns) and
 * @value: { tasks waiting (queued or spinning), readers, writers }.
 */
void rwsem_add_levels(const struct rwsem *sem, sim_ns now, double area[3], long value[3]);

/* Context: @t running. May block (or spin) until the lock is ours. */
void down_read(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
void down_write(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
/* Context: @t running. Never blocks; false if the lock was not free for us. */
bool down_read_trylock(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
bool down_write_trylock(struct rwsem *sem, struct task *t, int site, struct rwsem_hold *h);
/* Context: @t holds @sem as @h says. */
void up_read(struct rwsem *sem, struct task *t, const struct rwsem_hold *h);
void up_write(struct rwsem *sem, struct task *t, const struct rwsem_hold *h);
/* Context: @t holds @sem for write; afterwards it holds it for read (@h updated). */
void downgrade_write(struct rwsem *sem, struct task *t, struct rwsem_hold *h);

/* ---- helpers for policies (and their unit tests) ---- */

void rwsem_enqueue(struct rwsem *sem, struct rwsem_waiter *w);
/* Takes @w out of the wait queue, wherever it is. */
void rwsem_unqueue(struct rwsem *sem, struct rwsem_waiter *w);
struct rwsem_waiter *rwsem_dequeue(struct rwsem *sem);
/* Hands the lock to @w (the policy has already counted it as a holder). */
void rwsem_grant(struct rwsem *sem, struct rwsem_waiter *w, struct task *t);
/* Wakes @w without a grant: it runs rwsem_policy.retry after the wake-up latency. */
void rwsem_wake_waiter(struct rwsem *sem, struct rwsem_waiter *w, struct task *t);
/* The lock is taken by @w itself (arrival or retry): becomes the holder. */
void rwsem_take(struct rwsem *sem, struct rwsem_waiter *w, struct task *t);
void rwsem_spin_add(struct rwsem *sem, struct rwsem_waiter *w);
void rwsem_spin_remove(struct rwsem *sem, struct rwsem_waiter *w);
/* Ends the spin of @w: it retries at once (its owner left the CPU, readers took the lock). */
void rwsem_spin_kick(struct rwsem *sem, struct rwsem_waiter *w, struct task *t);
/* Whether a writer holds @sem and runs (spinners spin on it). */
bool rwsem_owner_on_cpu(const struct rwsem *sem);
void rwsem_check(const struct rwsem *sem);

#endif
