/*
 * env.h - what the simulation engine provides to the kernel models.
 *
 * The models are written as the kernel is: a simulated thread runs C code,
 * spends CPU time, sleeps until something wakes it. This header is the only
 * door between models/ and the engine in sim/ (the models never include sim/).
 *
 * Time is integer nanoseconds (sim_ns) everywhere in the models. Each task has
 * its own clock (task_now); the engine guarantees that when a task runs, no
 * other task can act before that task's current time (conservative
 * synchronisation), so the model state a task sees is the state at its time.
 */
#ifndef MODELS_ENV_H
#define MODELS_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

typedef int64_t sim_ns;

#define NS_PER_US 1000LL
#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL

struct task; /* a simulated thread or a device; owned by the engine */

/* Context: any task. The task's current simulated time. */
sim_ns task_now(const struct task *t);

/* The task's private random stream (never shared, so runs are reproducible). */
gsl_rng *task_rng(struct task *t);

/* The model object the task runs for (a thread, a device); set at creation. */
void *task_data(const struct task *t);

/*
 * Context: the calling task is running. Spends @d ns of CPU time: a plain
 * delay when the machine has a CPU per thread, a SimGrid execution that shares
 * the machine's cores with the other threads otherwise.
 */
void task_cpu(struct task *t, sim_ns d);

/* Context: the calling task is running. Sleeps @d ns (off CPU, nothing held). */
void task_sleep(struct task *t, sim_ns d);

/*
 * Context: the calling task is running and has registered itself on a wait
 * queue of a model object. Sleeps until another task calls task_wake() on it.
 */
void task_block(struct task *t);

/* task_block() for a task with nothing to do (an idle worker): not "blocked" at the end. */
void task_park(struct task *t);

/*
 * task_block() with a deadline: returns true when another task called
 * task_wake() on @t (which then runs at the waker's time plus the latency),
 * false when @timeout ns passed first (@t runs at its block time + @timeout;
 * it must take itself off its wait queue before it sleeps again, so that
 * nobody wakes it later). A wake at the deadline's instant by a task that runs
 * before @t at that instant wins. @timeout <= 0: returns false at once.
 */
bool task_block_timeout(struct task *t, sim_ns timeout);

/*
 * Context: @waker is running; @t is blocked in task_block(). Makes @t run
 * again @latency ns after @waker's current time (a hand-off to a sleeping
 * thread is not instantaneous: the wake-up latency, docs/kernel-model.md#timing).
 */
void task_wake(struct task *waker, struct task *t, sim_ns latency);

/*
 * Optimistic spinning (rwsem 3.16+): like task_block_timeout(), but the task
 * stays on its CPU while it waits, so with machine.cpus set it takes CPU
 * time from the other threads. @timeout < 0: no deadline. True when woken.
 */
bool task_spin(struct task *t, sim_ns timeout);

/*
 * Whether @t is on a CPU: running, spinning, or between two CPU costs; not
 * while it sleeps or blocks. Spinners watch their lock owner with this.
 */
bool task_on_cpu(const struct task *t);

/*
 * @fn(@t, @arg) is called each time @t leaves its CPU (task_sleep,
 * task_block, task_block_timeout), before anything else happens at that
 * instant; @fn NULL removes it. One hook per task: the write owner of an
 * rwsem, whose spinners must stop spinning when it sleeps.
 */
void task_set_off_cpu_hook(struct task *t, void (*fn)(struct task *t, void *arg), void *arg);

/*
 * Context: @parent is running. A new task starting at @parent's current time
 * that runs @main(task) once; when @main returns the task ends (an arriving
 * job of an open workload). Its random stream is seeded from @parent's, its
 * record owner is @parent's, and @data is borrowed (freed by @main's caller
 * side: the task's data outlives it only if its owner keeps it).
 */
struct task *task_spawn(struct task *parent, const char *name, void (*main)(struct task *),
                        void *data);

/*
 * The tasks alive at most: each is a SimGrid actor whose stack and guard
 * page take 2 memory mappings, and Linux allows a process 65530 by default
 * (vm.max_map_count); mmsim itself takes about 180. The loader keeps the
 * threads and arrival streams of a point to 32000 (sim/scenario.c); the
 * jobs of open groups, spawned while they run, stop at this bound.
 */
#define TASKS_MAX 32250

/* Context: @t is running. The tasks alive now (running, blocked or parked). */
size_t task_count(const struct task *t);

/*
 * Records: the engine summarises them into the results (after the warm-up).
 * Each is called at the instant it describes, by the task it concerns.
 */
enum lock_mode { LOCK_READ, LOCK_WRITE };

/*
 * A level kept by a model (tasks waiting for a lock, its holders) with its
 * time integral, updated inline at each change (it changes on every lock
 * event: no call into the engine). The runner reads it over the window
 * (Little's law, utilisation): level_area_at() extrapolates to an instant.
 */
struct level {
	sim_ns last; /* the last change */
	long value;
	double area_ns; /* the integral of value from 0 to last */
};

static inline void level_set(struct level *l, sim_ns now, long value)
{
	l->area_ns += (double)(now - l->last) * (double)l->value;
	l->last = now;
	l->value = value;
}

static inline double level_area_at(const struct level *l, sim_ns now)
{
	return l->area_ns + (double)(now - l->last) * (double)l->value;
}

/*
 * The records: each is defined by the engine in the file of its metric
 * family, sim/metrics/<family>.c (locks, faults, page_lock, memcg, swap,
 * mlock, kvm, devices, threads), which also puts it into results.json.
 */

/* An rw-semaphore acquisition of process @mm_id was granted (wait = grant - request). */
void record_lock_grant(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns request,
                       sim_ns grant);
/* ...and released (hold = release time - grant). */
void record_lock_release(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns grant);

/* @waker granted the lock of @mm_id to @waiter, queued or spinning (timelines only). */
void record_lock_handoff(struct task *waker, struct task *waiter, int mm_id);

/* What an rw-semaphore policy did besides granting in FIFO order (docs/kernel-model.md#rwsem). */
enum rwsem_event {
	RWSEM_EV_STEAL,    /* an acquisition bypassed an earlier waiter still queued */
	RWSEM_EV_HANDOFF,  /* the HANDOFF bit was set (5.3+) */
	RWSEM_EV_SPIN,     /* an optimistic spin of @ns ended without the lock */
	RWSEM_EV_SPIN_WON, /* ...ended with the lock */
};
void record_rwsem_event(struct task *t, int mm_id, enum rwsem_event ev, sim_ns ns);

/* A fault's attempt under the per-VMA lock (6.4+): done, fell back after a wait, or not made. */
enum vma_lock_outcome { VMA_LOCK_SUCCESS, VMA_LOCK_RETRY, VMA_LOCK_ABORT, VMA_LOCK_OUTCOMES };
void record_vma_lock(struct task *t, int mm_id, enum vma_lock_outcome outcome);

/* A user-visible page fault finished; @major, @retries as the kernel counts them. */
void record_fault(struct task *t, int mm_id, bool major, int retries, sim_ns start);

/* A request entered block device @device (@in_device = requests now in it), or completed. */
#define DISK_NAMED_MAX 16 /* a scenario's named devices ("devices"), at most */
/* the named device i is DISK_DEVICE_NAMED + i */
enum disk_device {
	DISK_DEVICE_MAIN,
	DISK_DEVICE_SWAP,
	DISK_DEVICE_NAMED,
	DISK_DEVICES = DISK_DEVICE_NAMED + DISK_NAMED_MAX
};
void record_disk_submit(struct task *t, int device, int in_device);
void record_disk_complete(struct task *t, int device, int in_device, sim_ns submit, sim_ns start);
/* @in_service of the device's @channels are being served from now on. */
void record_disk_in_service(struct task *t, int device, int in_service, unsigned channels);

/*
 * A task took a page lock (lock_page, trylock_page) of file @file_id (-1: a
 * swap-cache page) after waiting grant - request, and released it. Locks held
 * by I/O in flight are not holds; the waits for them are waits.
 */
void record_page_lock_grant(struct task *t, int file_id, sim_ns request, sim_ns grant);
void record_page_lock_release(struct task *t, int file_id, sim_ns grant);
/* A task waited for a page to be unlocked without taking it (wait_on_page_locked). */
void record_page_wait(struct task *t, int file_id, sim_ns request, sim_ns end);

/*
 * A memcg charge of cgroup @cg_id ended (@charged false: it failed), after
 * @reclaims reclaim attempts; @oom_wait: it slept on the OOM wait queue;
 * @oom_kill: it killed a victim.
 */
void record_memcg_charge(struct task *t, int cg_id, sim_ns start, unsigned reclaims, bool oom_wait,
                         bool oom_kill, bool charged);

/* A swap-in read of the target page ended; @readahead_pages other pages were read with it. */
void record_swapin(struct task *t, sim_ns start, unsigned readahead_pages);

/* An mlock() call started at @start ended now, having locked @pages pages. */
void record_mlock(struct task *t, sim_ns start, unsigned pages);

/*
 * A thread finished one pass of its loop begun at @start (a job: its
 * arrival); @busy_ns excludes think and sleep time.
 */
void record_iteration(struct task *t, sim_ns busy_ns, sim_ns start);

/* A job of an open group arrived (@dropped: turned away, too many in the system). */
void record_arrival(struct task *t, bool dropped);

/* KVM (seed 002): a vCPU ran guest work from @start to now. */
void record_kvm_busy(struct task *t, sim_ns start);
/* ...a guest op (work and touches) completed. */
void record_kvm_guest_op(struct task *t);
/* ...an async PF injected "page not present" (@ready false) or "page ready". */
void record_kvm_apf(struct task *t, bool ready);

#endif
