/*
 * engine.c - the tasks, switched directly or run as SimGrid actors (see
 * engine.h for the two time-advance modes).
 *
 * Guide to the state, heap mode: exactly one task runs at a time; every other
 * task is switched out (direct mode: its stack pointer saved in ->sp; with
 * actors: suspended in task_take), either in the heap (it has a next
 * event, at ->now) or waiting for a task_wake (not in the heap). The
 * running task may execute its next event without any SimGrid call while
 * that event is earlier than the heap's top (look-ahead). A task in
 * task_block_timeout() is in the heap at its deadline, and a task_wake moves
 * it to its wake-up time.
 */
#define _GNU_SOURCE /* memfd_create() */
#include <assert.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <xbt/config.h>
#include <xbt/log.h>

#include "sim/engine.h"
#include "sim/util.h"

struct task {
	/* hot: what every event reads, in the first cache line */
	struct engine *eng;
	sim_ns now;      /* local clock: time of the current or next event */
	sim_ns sched;    /* when the next event was scheduled (tie-break) */
	size_t heap_pos; /* 1 + index in the heap; 0 when not in it */
	void *sp;        /* direct mode: the saved stack pointer while switched out */
	unsigned id;     /* creation order (tie-break) */
	bool counted;
	bool go;          /* actor heap mode: handed the run, see task_give */
	void *stack;      /* direct mode: owned, from stack_new */
	sg_sem_t sem;     /* native mode: blocks this task's actor */
	sg_actor_t actor; /* the modes with SimGrid actors */
	bool blocked;     /* native mode: waiting on ->sem for a task_wake */
	bool timed;       /* in task_block_timeout(): a wake cancels the deadline */
	bool woken;       /* ...and it was woken by task_wake, not by the deadline */
	bool waiting;     /* in task_block*(): blocked since @block_start */
	bool off_cpu;     /* sleeping or blocked (not spinning) */
	bool parked;      /* in task_park: idle, not waiting for anything */
	sim_ns block_start;
	void (*off_cpu_hook)(struct task *t, void *arg); /* see task_set_off_cpu_hook */
	void *off_cpu_arg;
	size_t slot;    /* index in the engine's tasks[] */
	sg_exec_t burn; /* native mode: the CPU time of a spin, or NULL */
	gsl_rng *rng;   /* owned */
	void *data;     /* borrowed: the model object */
	void *owner;    /* borrowed: the caller's record context */
	void (*main)(struct task *);
	jmp_buf exit_jmp; /* where the actor leaves when the run ends */
	char name[32];
};

struct heap_node {
	sim_ns now, sched;
	unsigned id;
	struct task *task;
};

struct engine {
	struct engine_config cfg;
	bool direct;           /* heap mode with look-ahead: tasks switch to each other directly */
	void *main_sp;         /* direct mode: engine_run's stack while the tasks run */
	struct task *entering; /* direct mode: the task whose first switch-in is under way */
	void **spare_stacks;   /* direct mode: stacks of ended tasks, for new ones */
	size_t nr_spare, cap_spare;
	size_t stack_bytes; /* direct mode: each stack's usable size */
	const void
	        *main_stack; /* direct mode, ASan: engine_run's stack, learnt on the first switch */
	size_t main_stack_size;
	struct task **tasks; /* owned: the tasks alive (ended ones are freed) */
	size_t nr_tasks, cap_tasks;
	unsigned next_id;       /* ids in creation order, never reused */
	struct heap_node *heap; /* owned; min-heap on key_before() */
	size_t heap_n;
	bool done;
	uint64_t events;
	sg_host_t host;
	char platform[64];
};

/*
 * SimGrid's own options come from MMSIM_SIMGRID_FLAGS (e.g.
 * "--cfg=contexts/factory:thread" in the sanitizer build).
 */
static void engine_simgrid_init(void)
{
	static char prog[] = "mmsim", flags[512]; /* SimGrid may keep pointers into argv */
	static char *argv[16] = { prog };
	const char *env = getenv("MMSIM_SIMGRID_FLAGS");
	char *save = NULL;
	int argc = 1;

	snprintf(flags, sizeof(flags), "%s", env ? env : "");
	for (char *f = strtok_r(flags, " ", &save); f && argc < 15; f = strtok_r(NULL, " ", &save))
		argv[argc++] = f;
	simgrid_init(&argc, argv);
}

/* ---- the heap of waiting tasks ------------------------------------------ */

/*
 * The heap holds each waiting task's order key by value, so that sifting
 * reads the array alone (with thousands of tasks, not their scattered
 * structs): (time, time it was scheduled, id), a total order.
 */
static bool key_before(const struct heap_node *a, const struct heap_node *b)
{
	if (a->now != b->now)
		return a->now < b->now;
	if (a->sched != b->sched)
		return a->sched < b->sched;
	return a->id < b->id;
}

static struct heap_node task_key(struct task *t)
{
	return (struct heap_node){ .now = t->now, .sched = t->sched, .id = t->id, .task = t };
}

/* Whether @t (not in the heap) comes before the heap's top: look-ahead may go on. */
static bool task_before_top(const struct engine *e, struct task *t)
{
	struct heap_node k = task_key(t);

	return e->heap_n == 0 || key_before(&k, &e->heap[0]);
}

static void heap_set(struct engine *e, size_t i, struct heap_node n)
{
	e->heap[i] = n;
	n.task->heap_pos = i + 1;
}

static void heap_sift_up(struct engine *e, size_t i, struct heap_node n)
{
	while (i > 0 && key_before(&n, &e->heap[(i - 1) / 2])) {
		heap_set(e, i, e->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(e, i, n);
}

static void heap_push(struct engine *e, struct task *t)
{
	assert(t->heap_pos == 0);
	heap_sift_up(e, e->heap_n++, task_key(t));
}

/* Puts @n at the hole @i, moving it down to its place. */
static void heap_sift_down(struct engine *e, size_t i, struct heap_node n)
{
	size_t count = e->heap_n;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= count)
			break;
		if (c + 1 < count && key_before(&e->heap[c + 1], &e->heap[c]))
			c++;
		if (!key_before(&e->heap[c], &n))
			break;
		heap_set(e, i, e->heap[c]);
		i = c;
	}
	heap_set(e, i, n);
}

static struct task *heap_pop(struct engine *e)
{
	struct task *top = e->heap[0].task;
	struct heap_node last = e->heap[--e->heap_n];

	top->heap_pos = 0;
	if (e->heap_n)
		heap_sift_down(e, 0, last);
	return top;
}

/*
 * The earliest of @t (not in the heap) and the heap's tasks, taken out; @t
 * stays in the heap unless it is that one. A push and a pop in one sift.
 */
static struct task *heap_push_pop(struct engine *e, struct task *t)
{
	struct heap_node k = task_key(t);
	struct task *top;

	if (e->heap_n == 0 || key_before(&k, &e->heap[0]))
		return t;
	top = e->heap[0].task;
	top->heap_pos = 0;
	heap_sift_down(e, 0, k);
	return top;
}

/*
 * Takes @t out of the heap wherever it is. The order of (time, sched, id) is
 * total, so what the heap pops next does not depend on its layout.
 */
static void heap_remove(struct engine *e, struct task *t)
{
	size_t i = t->heap_pos - 1;
	struct heap_node last = e->heap[--e->heap_n];

	assert(t->heap_pos > 0 && e->heap[i].task == t);
	t->heap_pos = 0;
	if (last.task == t)
		return;
	if (i > 0 && key_before(&last, &e->heap[(i - 1) / 2]))
		heap_sift_up(e, i, last);
	else
		heap_sift_down(e, i, last);
}

/* ---- direct contexts ------------------------------------------------------ */

/*
 * In heap mode with look-ahead, SimGrid only ever serves as a library of
 * coroutines: the engine's heap decides who runs next. But SimGrid has no
 * hand-over from one actor to another: a resume puts the actor in maestro's
 * next scheduling round, so each switch costs two simcalls and a maestro
 * round (handle_ended_actions, the models' action sets, run_all_actors),
 * over half of a contended run's time. Direct mode switches from the running
 * task's stack straight to the next one's: six callee-saved registers and
 * the stack pointer, x86-64 System V (everything else the ABI has the caller
 * save). On other processors the tasks stay SimGrid actors. AddressSanitizer
 * is told of every switch (its fiber interface), and of a stack's reuse.
 */
#if defined(__SANITIZE_ADDRESS__)
#define ENGINE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ENGINE_ASAN 1
#endif
#endif
#ifndef ENGINE_ASAN
#define ENGINE_ASAN 0
#endif
#if ENGINE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if defined(__x86_64__)
#define ENGINE_HAVE_DIRECT 1
/* Saves the registers on the current stack and its pointer in *@save, then resumes @to. */
void engine_ctx_switch(void **save, void *to);
__asm__(".text\n"
        ".globl engine_ctx_switch\n"
        ".type engine_ctx_switch,@function\n"
        "engine_ctx_switch:\n"
        "\tpushq %rbp\n\tpushq %rbx\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n"
        "\tmovq %rsp, (%rdi)\n"
        "\tmovq %rsi, %rsp\n"
        "\tpopq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbx\n\tpopq %rbp\n"
        "\tret\n"
        ".size engine_ctx_switch, .-engine_ctx_switch\n");
#else
#define ENGINE_HAVE_DIRECT 0
static void engine_ctx_switch(void **save, void *to)
{
	(void)save;
	(void)to;
	abort(); /* direct mode is off on this build */
}
#endif

static size_t page_bytes(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* A stack of e->stack_bytes above a guard page (reused from an ended task if any). */
static void *stack_new(struct engine *e)
{
	size_t guard = page_bytes();
	char *base;

	if (e->nr_spare)
		return e->spare_stacks[--e->nr_spare];
	base = mmap(NULL, guard + e->stack_bytes, PROT_READ | PROT_WRITE,
	            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED || mprotect(base, guard, PROT_NONE) != 0) {
		fprintf(stderr, "mmsim: cannot allocate a task stack: %s\n", strerror(errno));
		exit(1);
	}
	return base + guard;
}

/* A stack to be written afresh: under ASan, the poison its last frames left goes. */
static void stack_clean(struct engine *e, void *stack)
{
#if ENGINE_ASAN
	__asan_unpoison_memory_region(stack, e->stack_bytes);
#else
	(void)e;
	(void)stack;
#endif
}

static void stack_free(struct engine *e, void *stack)
{
	size_t guard = page_bytes();

	stack_clean(e, stack);
	munmap((char *)stack - guard, guard + e->stack_bytes);
}

static void stack_spare(struct engine *e, void *stack)
{
	if (e->nr_spare == e->cap_spare) {
		e->cap_spare = e->cap_spare ? 2 * e->cap_spare : 16;
		e->spare_stacks =
		        xrealloc(e->spare_stacks, e->cap_spare * sizeof(*e->spare_stacks));
	}
	e->spare_stacks[e->nr_spare++] = stack;
}

static void direct_entry(void);

/* Direct mode: the engine running (one per process, as SimGrid's simulation). */
static struct engine *direct_engine;

/*
 * The first switch into @t returns into direct_entry as if it had just been
 * called: the stack pointer is 8 bytes below a 16-byte boundary, under a
 * null return address, with the six registers engine_ctx_switch pops.
 */
static void direct_prepare(struct task *t)
{
	struct engine *e = t->eng;
	uintptr_t top = ((uintptr_t)t->stack + e->stack_bytes) & ~(uintptr_t)15;
	void **sp = (void **)top;

	stack_clean(e, t->stack);
	*--sp = NULL;                            /* direct_entry never returns */
	*--sp = (void *)(uintptr_t)direct_entry; /* where the switch's ret goes */
	for (int i = 0; i < 6; i++)
		*--sp = NULL;
	t->sp = sp;
}

/*
 * Direct mode: saves the current stack's pointer in *@save and resumes @to_sp
 * on the stack [@to_stack, +@to_size). @leaving: the current context is never
 * resumed (ASan drops its fake frames).
 */
static void direct_jump(void **save, void *to_sp, const void *to_stack, size_t to_size,
                        bool leaving)
{
#if ENGINE_ASAN
	void *fake = NULL;
	const void *from_stack;
	size_t from_size;

	__sanitizer_start_switch_fiber(leaving ? NULL : &fake, to_stack, to_size);
	engine_ctx_switch(save, to_sp);
	__sanitizer_finish_switch_fiber(fake, &from_stack, &from_size);
#else
	(void)to_stack;
	(void)to_size;
	(void)leaving;
	engine_ctx_switch(save, to_sp);
#endif
}

/* Direct mode: from the running context to the task @to. */
static void direct_switch(struct engine *e, void **save, struct task *to, bool leaving)
{
	e->entering = to;
	direct_jump(save, to->sp, to->stack, e->stack_bytes, leaving);
}

/* Direct mode: the run is over, back to engine_run's stack for good. */
static _Noreturn void direct_exit(struct engine *e)
{
	void *discard;

	direct_jump(&discard, e->main_sp, e->main_stack, e->main_stack_size, true);
	abort(); /* not reached */
}

/* ---- switching between tasks --------------------------------------------- */

/*
 * Heap mode: let @t run (it may not have reached its wait yet: ->go says so).
 * A suspend and a resume cost less than a semaphore hand-over, whose chain of
 * objects misses the caches once thousands of actors take turns.
 */
static void task_give(struct task *t)
{
	t->go = true;
	sg_actor_resume(t->actor);
}

/* Heap mode: wait until given the run. */
static void task_take(struct task *t)
{
	while (!t->go)
		sg_actor_suspend(t->actor);
	t->go = false;
}

/* The run is over: every actor but @self (may be NULL) is let go, to leave. */
static void engine_release_all(struct engine *e, const struct task *self)
{
	e->done = true;
	if (e->direct)
		return; /* engine_run's stack takes over; the tasks are never resumed */
	for (size_t i = 0; i < e->nr_tasks; i++)
		if (e->tasks[i] != self) {
			if (e->cfg.cpus == 0)
				task_give(e->tasks[i]);
			else
				sg_sem_release(e->tasks[i]->sem);
		}
}

/* The run is over: let every actor leave, then leave ourselves. */
static _Noreturn void engine_finish(struct task *t)
{
	engine_release_all(t->eng, t);
	if (t->eng->direct)
		direct_exit(t->eng);
	longjmp(t->exit_jmp, 1);
}

static void task_resumed(struct task *t)
{
	if (t->eng->done)
		longjmp(t->exit_jmp, 1);
	if (t->counted)
		t->eng->events++;
}

/* Heap mode: @t hands the run to @next (NULL: nobody); returns when @t is resumed. */
static void engine_switch_to(struct task *t, struct task *next)
{
	struct engine *e = t->eng;

	if (!next || next->now > e->cfg.end_ns)
		engine_finish(t);
	if (next != t) {
		if (e->direct) {
			direct_switch(e, &t->sp, next, false);
		} else {
			task_give(next);
			task_take(t);
		}
	}
	if (!e->cfg.lookahead)
		sg_actor_sleep_until((double)t->now * 1e-9);
	task_resumed(t);
}

/* Heap mode: run the earliest waiting task; returns when @t is resumed. */
static void engine_switch(struct task *t)
{
	struct engine *e = t->eng;

	engine_switch_to(t, e->heap_n ? heap_pop(e) : NULL);
}

/* Heap mode: @t waits for its next event (->now) in the heap, unless it is the earliest. */
static void engine_yield(struct task *t)
{
	engine_switch_to(t, heap_push_pop(t->eng, t));
}

static sim_ns native_now(void)
{
	return (sim_ns)(simgrid_get_clock() * 1e9 + 0.5);
}

/* Native mode: after a SimGrid call, stop if the run is over. */
static void native_resumed(struct task *t)
{
	t->now = native_now();
	if (t->now > t->eng->cfg.end_ns && !t->eng->done)
		engine_finish(t);
	task_resumed(t);
}

/* ---- the services of models/env.h ---------------------------------------- */

sim_ns task_now(const struct task *t)
{
	return t->now;
}

gsl_rng *task_rng(struct task *t)
{
	return t->rng;
}

void *task_data(const struct task *t)
{
	return t->data;
}

void *task_owner(const struct task *t)
{
	return t->owner;
}

/* @t leaves its CPU: its hook runs first (spinners on it must know). */
static void task_leave_cpu(struct task *t)
{
	t->off_cpu = true;
	if (t->off_cpu_hook)
		t->off_cpu_hook(t, t->off_cpu_arg);
}

bool task_on_cpu(const struct task *t)
{
	return !t->off_cpu;
}

void task_set_off_cpu_hook(struct task *t, void (*fn)(struct task *t, void *arg), void *arg)
{
	t->off_cpu_hook = fn;
	t->off_cpu_arg = arg;
}

/* Inline in task_cpu and task_sleep: every delay of every thread goes through it. */
static inline __attribute__((always_inline)) void task_advance(struct task *t, sim_ns d)
{
	struct engine *e = t->eng;

	if (d <= 0)
		return; /* not an event: nothing else can happen in between */
	t->sched = t->now;
	t->now += d;
	if (e->cfg.lookahead && t->now <= e->cfg.end_ns && task_before_top(e, t)) {
		if (t->counted)
			e->events++;
		return;
	}
	engine_yield(t);
}

/* Native mode's task_cpu, out of line: the inlined heap-mode path stays small. */
static __attribute__((noinline)) void task_cpu_native(struct task *t, sim_ns d)
{
	sg_actor_execute((double)d); /* the host computes 1 flop per ns */
	native_resumed(t);
}

/*
 * Inlined into the models by the link-time optimisation: every CPU cost of
 * every thread comes here, three per pass of seedbench's thread B (without
 * LTO, a call).
 */
inline __attribute__((always_inline)) void task_cpu(struct task *t, sim_ns d)
{
	if (t->eng->cfg.cpus == 0)
		task_advance(t, d);
	else if (d > 0)
		task_cpu_native(t, d);
}

void task_sleep(struct task *t, sim_ns d)
{
	if (d <= 0)
		return;
	task_leave_cpu(t);
	if (t->eng->cfg.cpus == 0) {
		task_advance(t, d);
	} else {
		sg_actor_sleep_until((double)(t->now + d) * 1e-9);
		native_resumed(t);
	}
	t->off_cpu = false;
}

/* Waits for a task_wake, with no deadline. */
static void task_wait(struct task *t)
{
	t->waiting = true;
	t->block_start = t->now;
	if (t->eng->cfg.cpus == 0) {
		engine_switch(t);
		t->waiting = false;
		return;
	}
	t->blocked = true;
	sg_sem_acquire(t->sem);
	if (t->now > native_now()) /* the wake-up latency */
		sg_actor_sleep_until((double)t->now * 1e-9);
	native_resumed(t);
	t->waiting = false;
}

/*
 * Waits for a task_wake or @timeout (> 0) ns. Heap mode: the deadline is an
 * event in the heap like any delay's end, so look-ahead treats both alike.
 * Native mode: a SimGrid timed acquire; if the deadline and a task_wake fall
 * on the same instant and the wake comes second, the wake's release is still
 * ours (->woken), and is taken so that the next block does not return at once.
 */
static bool task_wait_timeout(struct task *t, sim_ns timeout)
{
	struct engine *e = t->eng;
	bool timed_out;
	sim_ns deadline;

	deadline = t->now > INT64_MAX - timeout ? INT64_MAX : t->now + timeout;
	t->waiting = true;
	t->block_start = t->now;
	t->woken = false;
	t->timed = true;
	if (e->cfg.cpus == 0) {
		t->sched = t->now;
		t->now = deadline;
		engine_yield(t);
		t->timed = false;
		t->waiting = false;
		return t->woken;
	}
	t->blocked = true;
	timed_out = sg_sem_acquire_timeout(t->sem, (double)(deadline - t->now) * 1e-9) != 0;
	t->timed = false;
	t->waiting = false;
	if (timed_out && !t->woken) {
		t->blocked = false;
		native_resumed(t);
		return false;
	}
	if (timed_out) /* woken at the deadline, after the timeout fired: take its release */
		sg_sem_acquire(t->sem);
	if (t->woken && t->now > native_now()) /* the wake-up latency */
		sg_actor_sleep_until((double)t->now * 1e-9);
	native_resumed(t); /* not woken: engine_finish's release, it does not return */
	return true;
}

void task_block(struct task *t)
{
	task_leave_cpu(t);
	task_wait(t);
	t->off_cpu = false;
}

void task_park(struct task *t)
{
	t->parked = true;
	task_block(t);
	t->parked = false;
}

bool task_block_timeout(struct task *t, sim_ns timeout)
{
	bool woken;

	if (timeout <= 0)
		return false;
	task_leave_cpu(t);
	woken = task_wait_timeout(t, timeout);
	t->off_cpu = false;
	return woken;
}

/*
 * Native mode: an execution with no end keeps one of the cores busy while
 * the task waits (SimGrid shares the cores among the executions), and is
 * cancelled when the wait ends. Heap mode: CPUs are not shared; a plain wait.
 */
bool task_spin(struct task *t, sim_ns timeout)
{
	sg_exec_t burn = NULL;
	bool woken = true;

	if (timeout == 0)
		return false;
	if (t->eng->cfg.cpus)
		t->burn = sg_actor_exec_async(1e300);
	if (timeout < 0)
		task_wait(t);
	else
		woken = task_wait_timeout(t, timeout);
	burn = t->burn;
	t->burn = NULL;
	if (burn)
		sg_exec_cancel(burn);
	return woken;
}

void task_wake(struct task *waker, struct task *t, sim_ns latency)
{
	if (t->timed) {
		assert(!t->woken);
		t->woken = true;
		if (t->eng->cfg.cpus == 0)
			heap_remove(t->eng, t); /* cancel the deadline */
	}
	t->sched = waker->now;
	t->now = waker->now + latency;
	if (t->eng->cfg.cpus == 0) {
		heap_push(t->eng, t);
		return;
	}
	assert(t->blocked);
	t->blocked = false;
	sg_sem_release(t->sem);
}

/* ---- setting up and running ---------------------------------------------- */

/* Takes @t out of the tasks alive and frees it. */
static void engine_forget(struct engine *e, struct task *t)
{
	e->tasks[t->slot] = e->tasks[--e->nr_tasks];
	e->tasks[t->slot]->slot = t->slot;
	gsl_rng_free(t->rng);
	if (t->sem)
		sg_sem_destroy(t->sem);
	if (t->stack)
		stack_free(e, t->stack);
	free(t);
}

/*
 * @t's main returned (a job of an open workload is done): heap mode hands
 * control to the earliest task, as a block would, but @t is not waiting.
 */
static void engine_task_end(struct task *t)
{
	struct engine *e = t->eng;
	struct task *next;

	if (e->direct) {
		void *discard;

		next = e->heap_n ? heap_pop(e) : NULL;
		/* its stack, on which we still are, serves a later task once we left it */
		stack_spare(e, t->stack);
		t->stack = NULL;
		engine_forget(e, t);
		if (next && next->now <= e->cfg.end_ns)
			direct_switch(e, &discard, next, true);
		engine_release_all(e, NULL);
		direct_exit(e);
	}
	if (e->cfg.cpus == 0 && !e->done) {
		next = e->heap_n ? heap_pop(e) : NULL;
		if (next && next->now <= e->cfg.end_ns)
			task_give(next);
		else
			engine_release_all(e, t);
	}
	engine_forget(e, t);
}

/* Direct mode: where a task starts, on its own stack, at its first switch-in. */
static void direct_entry(void)
{
	struct task *t = direct_engine->entering;
#if ENGINE_ASAN
	const void *from_stack;
	size_t from_size;

	__sanitizer_finish_switch_fiber(NULL, &from_stack, &from_size);
	if (!direct_engine->main_stack_size) { /* the very first switch came from engine_run */
		direct_engine->main_stack = from_stack;
		direct_engine->main_stack_size = from_size;
	}
#endif
	task_resumed(t);
	t->main(t);
	engine_task_end(t);
}

static void engine_actor(int argc, char **argv)
{
	struct task *t = sg_actor_self_get_data();

	(void)argc;
	(void)argv;
	if (t->eng->cfg.cpus == 0)
		task_take(t); /* wait to be the earliest */
	if (setjmp(t->exit_jmp) == 0) {
		task_resumed(t);
		t->main(t);
		engine_task_end(t);
	} else if (t->burn) { /* the run ended during a spin */
		sg_exec_cancel(t->burn);
		t->burn = NULL;
	}
}

/*
 * SimGrid reads its platform from a file only: an anonymous one in memory
 * (memfd), named through /proc, so no disk (a full /tmp) can truncate it
 * and nothing is left behind. 0, or -1 after a message.
 */
static int engine_load_platform(struct engine *e)
{
	char xml[512];
	int fd, n = snprintf(xml, sizeof(xml),
	                     "<?xml version='1.0'?>\n"
	                     "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
	                     "<platform version=\"4.1\"><zone id=\"machine\" routing=\"Full\">\n"
	                     "<host id=\"cpu\" speed=\"1Gf\" core=\"%u\"/>\n</zone></platform>\n",
	                     e->cfg.cpus ? e->cfg.cpus : 1);

	fd = memfd_create("mmsim-platform", MFD_CLOEXEC);
	if (fd < 0 || write(fd, xml, (size_t)n) != n) {
		fprintf(stderr, "mmsim: cannot write the SimGrid platform: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(e->platform, sizeof(e->platform), "/proc/self/fd/%d", fd);
	simgrid_load_platform(e->platform);
	close(fd);
	e->host = sg_host_by_name("cpu");
	return e->host ? 0 : -1;
}

struct engine *engine_new(const struct engine_config *cfg)
{
	struct engine *e = xcalloc(1, sizeof(*e));

	e->cfg = *cfg;
	e->direct = ENGINE_HAVE_DIRECT && cfg->cpus == 0 && cfg->lookahead &&
	            !getenv("MMSIM_ENGINE_ACTORS");
	e->stack_bytes = (size_t)cfg->stack_kb * 1024;
	if (e->direct)
		return e; /* SimGrid stays uninitialised: its set-up is a run's start-up cost */
	engine_simgrid_init();
	xbt_log_control_set("root.thresh:warning");
	sg_cfg_set_int("contexts/stack-size", (int)cfg->stack_kb);
	/* distinct nanoseconds must stay distinct events (default: 1e-9 s) */
	sg_cfg_set_double("surf/precision", 1e-12);
	if (engine_load_platform(e)) {
		free(e);
		return NULL;
	}
	return e;
}

/*
 * A task and its actor, starting at @now. Heap mode: the very first task
 * runs first (->go); every later one waits in the heap.
 */
static struct task *engine_task_new(struct engine *e, const char *name, void (*main)(struct task *),
                                    void *data, unsigned long seed, bool counted, void *owner,
                                    sim_ns now)
{
	struct task *t = xcalloc(1, sizeof(*t));
	bool first = e->next_id == 0;
	sg_actor_t actor;

	t->eng = e;
	t->id = e->next_id++;
	t->now = t->sched = now;
	t->counted = counted;
	t->data = data;
	t->owner = owner;
	t->main = main;
	t->rng = gsl_rng_alloc(gsl_rng_taus2); /* 24 bytes of state: thousands of tasks */
	gsl_rng_set(t->rng, seed);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->sem = e->cfg.cpus ? sg_sem_init(0) : NULL;
	t->go = e->cfg.cpus == 0 && first;
	if (e->nr_tasks == e->cap_tasks) {
		e->cap_tasks = e->cap_tasks ? 2 * e->cap_tasks : 16;
		e->tasks = xrealloc(e->tasks, e->cap_tasks * sizeof(*e->tasks));
		e->heap = xrealloc(e->heap, e->cap_tasks * sizeof(*e->heap));
	}
	t->slot = e->nr_tasks;
	e->tasks[e->nr_tasks++] = t;
	if (e->cfg.cpus == 0 && !first)
		heap_push(e, t);
	if (e->direct) {
		t->stack = stack_new(e);
		direct_prepare(t);
		return t;
	}
	actor = sg_actor_init(t->name, e->host);
	t->actor = actor;
	sg_actor_set_data(actor, t);
	sg_actor_start(actor, engine_actor, 0, NULL);
	return t;
}

struct task *engine_spawn(struct engine *e, const char *name, void (*main)(struct task *),
                          void *data, unsigned long seed, bool counted, void *owner)
{
	return engine_task_new(e, name, main, data, seed, counted, owner, 0);
}

struct task *task_spawn(struct task *parent, const char *name, void (*main)(struct task *),
                        void *data)
{
	unsigned long seed = gsl_rng_get(parent->rng) | 1;

	return engine_task_new(parent->eng, name, main, data, seed, parent->counted, parent->owner,
	                       parent->now);
}

size_t task_count(const struct task *t)
{
	return t->eng->nr_tasks;
}

int engine_run(struct engine *e)
{
	if (e->direct) {
		if (e->nr_tasks) {
			direct_engine = e;
			/* the first task: see engine_task_new */
			direct_switch(e, &e->main_sp, e->tasks[0], false);
			direct_engine = NULL;
		}
		return 0;
	}
	simgrid_run();
	return 0;
}

void engine_foreach_blocked(const struct engine *e, engine_blocked_fn fn, void *arg)
{
	for (size_t i = 0; i < e->nr_tasks; i++)
		if (e->tasks[i]->waiting && !e->tasks[i]->parked)
			fn(e->tasks[i]->owner, e->tasks[i]->block_start, arg);
}

uint64_t engine_events(const struct engine *e)
{
	return e->events;
}

void engine_free(struct engine *e)
{
	for (size_t i = 0; i < e->nr_tasks; i++) {
		gsl_rng_free(e->tasks[i]->rng);
		if (e->tasks[i]->sem)
			sg_sem_destroy(e->tasks[i]->sem);
		if (e->tasks[i]->stack)
			stack_free(e, e->tasks[i]->stack);
		free(e->tasks[i]);
	}
	for (size_t i = 0; i < e->nr_spare; i++)
		stack_free(e, e->spare_stacks[i]);
	free(e->spare_stacks);
	free(e->tasks);
	free(e->heap);
	free(e);
}
