/*
 * thread.c - the operations a simulated thread performs, and its loop.
 *
 * mmap and munmap are the mmap_sem writers of docs/kernel-model.md#mmap-munmap
 * (do_mmap_pgoff, do_munmap: VMA changes under down_write); proc_read is a
 * /proc reader (docs/kernel-model.md#proc-readers) holding mmap_sem for read.
 * Their CPU time under the lock is hold_us. Omitted for now: what mmap/munmap
 * do to page tables (TLB shoot-down costs belong in hold_us).
 */
#include <stdlib.h>
#include <string.h>

#include "models/fault.h"
#include "models/kvm.h"

static sim_ns thread_sample(struct thread *th, const struct dist *d)
{
	return dist_sample_ns(d, task_rng(th->task));
}

static void think_run(struct thread *th, const struct op_config *op)
{
	task_cpu(th->task, thread_sample(th, &op->time_us));
}

static void sleep_run(struct thread *th, const struct op_config *op)
{
	task_sleep(th->task, thread_sample(th, &op->time_us));
}

/*
 * mmap: the VMA work under the write lock; the VMA of @op->mapping is
 * write-locked (a change next to it, a merge), none otherwise (a VMA of
 * its own, which no fault of the scenario touches).
 */
static void mmap_run(struct thread *th, const struct op_config *op)
{
	struct rwsem_hold h;

	mmap_write_lock(th->mm, th->task, SITE_MMAP, &h);
	if (op->mapping >= 0)
		vma_start_write(th->mm, &th->mm->vmas[op->mapping], th->task);
	task_cpu(th->task, thread_sample(th, &op->hold_us));
	mmap_write_unlock(th->mm, th->task, &h);
}

/*
 * munmap (do_munmap): detach the VMAs (hold_us) under the write lock, then
 * zap the pages and free the page tables (zap_us): under the write lock
 * too before 4.20, under the downgraded read lock with munmap_downgrade.
 */
static void munmap_run(struct thread *th, const struct op_config *op)
{
	struct rwsem_hold h;
	sim_ns zap;

	mmap_write_lock(th->mm, th->task, SITE_MUNMAP, &h);
	if (op->mapping >= 0) {
		vma_start_write(th->mm, &th->mm->vmas[op->mapping], th->task);
		th->mm->vmas[op->mapping].layout_seq++; /* part of it unmapped */
	}
	task_cpu(th->task, thread_sample(th, &op->hold_us));
	zap = thread_sample(th, &op->zap_us);
	if (th->k->feat.munmap_downgrade && zap > 0) {
		mmap_write_downgrade(th->mm, th->task, &h);
		task_cpu(th->task, zap);
		up_read(&th->mm->mmap_sem, th->task, &h);
		return;
	}
	task_cpu(th->task, zap);
	mmap_write_unlock(th->mm, th->task, &h);
}

/*
 * follow_page() finds it: present (anon), or a file page mapped in the
 * process and still cached: no fault. A cached page not mapped yet takes a
 * (minor) fault, as get_user_pages makes one whenever follow_page fails.
 */
static bool proc_page_present(struct thread *th, struct vma *v, uint64_t pgoff)
{
	int state = v->anon.state ? v->anon.state[pgoff] : ANON_NONE;

	if (state == ANON_PRESENT || state == ANON_SHARED)
		return true;
	return v->cfg->kind == MAPPING_FILE && state == ANON_NONE && vma_file_pte(v, pgoff) &&
	       page_cached(&th->k->pc, v->inode, pgoff);
}

/*
 * A /proc/PID reader (docs/kernel-model.md#proc-readers). hold: one read hold of hold_us. cmdline
 * (access_process_vm): under one read hold, hold_us then get_user_pages of
 * the first @pages pages of @mapping: a page not present is faulted in
 * without ALLOW_RETRY, so mmap_sem stays held across its disk read. maps
 * (seq_file): one read hold of hold_us per read() chunk, released between
 * chunks, where a queued writer gets in.
 */
/*
 * 6.17+ maps: each chunk reads the next VMA (round robin) under that VMA's
 * read lock (lock_next_vma); a VMA a writer has write-locked is locked
 * under mmap_sem read instead (lock_next_vma_under_mmap_lock), so the
 * reader queues behind that writer, and mmap_sem is released at once.
 */
static void proc_read_maps_vma_locked(struct thread *th, const struct op_config *op)
{
	struct mm *mm = th->mm;

	for (unsigned c = 0; c < op->chunks; c++) {
		struct vma *v = &mm->vmas[c % mm->nr_vmas];

		if (!vma_start_read(v)) { /* lock_next_vma_under_mmap_lock */
			struct rwsem_hold h;

			down_read(&mm->mmap_sem, th->task, SITE_PROC_READ, &h);
			vma_start_read_locked(v);
			up_read(&mm->mmap_sem, th->task, &h);
		}
		task_cpu(th->task, thread_sample(th, &op->hold_us));
		vma_end_read(mm, v, th->task);
	}
}

static void proc_read_own(struct thread *th, const struct op_config *op)
{
	struct rwsem_hold h;
	unsigned holds = op->proc_kind == PROC_READ_MAPS ? op->chunks : 1;

	if (op->proc_kind == PROC_READ_MAPS && th->k->feat.proc_maps_vma_lock &&
	    th->k->feat.per_vma_lock != PER_VMA_LOCK_OFF && th->mm->nr_vmas) {
		proc_read_maps_vma_locked(th, op);
		return;
	}

	for (unsigned c = 0; c < holds; c++) {
		down_read(&th->mm->mmap_sem, th->task, SITE_PROC_READ, &h);
		task_cpu(th->task, thread_sample(th, &op->hold_us));
		if (op->proc_kind == PROC_READ_CMDLINE && op->mapping >= 0) {
			struct vma *v = &th->mm->vmas[op->mapping];

			for (unsigned i = 0; i < op->pages; i++) {
				uint64_t pgoff = i % v->pages;

				/* GUP without ALLOW_RETRY: mmap_sem stays held, disk wait included */
				if (!proc_page_present(th, v, pgoff))
					fault_populate_page(th, v, pgoff, 0, &h, op);
			}
		}
		up_read(&th->mm->mmap_sem, th->task, &h);
	}
}

/*
 * The mm a reader of process @op->process reads (proc_pid_cmdline's
 * get_task_mm(task): the task of the /proc/PID file, not the reader), the
 * next of its copies at each pass; NULL: none.
 */
static struct mm *proc_read_target(struct thread *th, const struct op_config *op)
{
	unsigned first = 0, copies = 0;

	for (unsigned i = 0; i < th->k->nr_mms; i++)
		if (th->k->mms[i]->id == op->process && !copies++)
			first = i;
	return copies ? th->k->mms[first + th->proc_copy++ % copies] : NULL;
}

/*
 * A /proc reader of another process (a monitoring agent): the same reads,
 * on that process's mm, its mmap_sem and its pages, for the time of the op.
 */
static void proc_read_run(struct thread *th, const struct op_config *op)
{
	struct mm *own = th->mm, *target = op->process < 0 ? own : proc_read_target(th, op);

	if (!target)
		return;
	th->mm = target;
	proc_read_own(th, op);
	th->mm = own;
}

/* clang-format off */
#define F(x) offsetof(struct op_config, x)
static const struct param time_params[] = {
	{ "time_us", PARAM_DIST, F(time_us), 0, 1e12, NULL, "duration", NULL, false },
	{ .key = NULL },
};
static const struct param exit_params[] = {
	{ "cpu_us", PARAM_DIST, F(time_us), 0, 1e12, "50", "exit_mmap: unmapping and freeing the pages", NULL, false },
	{ .key = NULL },
};
static const char *const proc_read_kind_names[] = { "hold", "cmdline", "maps", NULL };
static const struct param proc_read_params[] = {
	{ "kind",    PARAM_ENUM, F(proc_kind), 0, 0,   "\"hold\"", "hold: one read hold of hold_us; cmdline: access_process_vm, one read hold across hold_us and reading pages of mapping (faulting them in, disk read included, without dropping mmap_sem); maps: one read hold of hold_us per read() chunk, released between chunks", proc_read_kind_names, false },
	{ "hold_us", PARAM_DIST, F(hold_us),   0, 1e12, NULL,      "CPU time with mmap_sem held (maps: per chunk)", NULL, false },
	{ "mapping", PARAM_NAME, F(mapping),   0, 0,   "null",     "cmdline: the mapping read (the argument area; null: none, hold_us only)", NULL, false },
	{ "pages",   PARAM_UINT, F(pages),     1, 1e6, "1",        "cmdline: pages read from the start of mapping", NULL, false },
	{ "chunks",  PARAM_UINT, F(chunks),    1, 1e6, "1",        "maps: read() chunks, each a separate read hold", NULL, false },
	{ "process", PARAM_NAME, F(process),   0, 0,   "null",     "the process whose /proc/PID files it reads, as a monitoring agent does: its mmap_sem, its pages (mapping is one of its mappings); of a process with count > 1, each pass reads the next copy; null: its own", NULL, true },
	{ .key = NULL },
};
static const struct param hold_params[] = {
	{ "hold_us", PARAM_DIST, F(hold_us), 0, 1e12, NULL, "CPU time with mmap_sem held", NULL, false },
	{ .key = NULL },
};
static const struct param mmap_params[] = {
	{ "hold_us", PARAM_DIST, F(hold_us), 0, 1e12, NULL,   "CPU time with mmap_sem held for write", NULL, false },
	{ "mapping", PARAM_NAME, F(mapping), 0, 0,    "null", "the mapping whose VMA it changes (per-VMA locks: its faults wait); null: a VMA of its own", NULL, false },
	{ .key = NULL },
};
static const struct param munmap_params[] = {
	{ "hold_us", PARAM_DIST, F(hold_us), 0, 1e12, NULL,   "CPU time with mmap_sem held for write: detaching the VMAs", NULL, false },
	{ "zap_us",  PARAM_DIST, F(zap_us),  0, 1e12, "0",    "CPU time zapping the pages and page tables: under the write lock, or the downgraded read lock (munmap_downgrade)", NULL, false },
	{ "mapping", PARAM_NAME, F(mapping), 0, 0,    "null", "the mapping it unmaps part of (per-VMA locks: its faults wait); null: a VMA of its own", NULL, false },
	{ .key = NULL },
};
#undef F

const struct thread_op thread_ops[] = {
	{ "think",     "user-space CPU time; nothing held", time_params, think_run, true },
	{ "sleep",     "off-CPU sleep (nanosleep); nothing held", time_params, sleep_run, true },
	{ "fault",     "one page fault: mmap_sem read (trylock, else queue); may block on the page lock and the disk, holding mmap_sem unless the kernel retries", fault_op_params, fault_op_run, false },
	{ "mmap",      "mmap(): mmap_sem held for write for hold_us; the VMA of mapping (if any) is write-locked", mmap_params, mmap_run, false },
	{ "munmap",    "munmap(): mmap_sem held for write for hold_us, then zap_us under write (under read with munmap_downgrade)", munmap_params, munmap_run, false },
	{ "fork",      "fork(): mmap_sem held for write for hold_us (dup_mmap); the process's present anonymous pages become copy-on-write (the child keeps them)", hold_params, fork_op_run, false },
	{ "exit",      "the process exits and the next job starts (make -j): its anonymous memory and COW copies are freed and uncharged, no mmap_sem", exit_params, exit_op_run, false },
	{ "proc_read", "a /proc/pid reader (ps, top): mmap_sem held for read; kind hold: for hold_us; cmdline: across reading pages of mapping, faulting in those not mapped (a disk read if not cached) with mmap_sem held; maps: chunks separate holds (6.17+: under each VMA's own lock)", proc_read_params, proc_read_run, false },
	{ "mlockall",  "mlockall(MCL_CURRENT): one write section over every mapping, then (2.6.38+) one populate of them all (same populate strategy)", mlockall_op_params, mlockall_op_run, false },
	{ "mmap_populate", "mmap(MAP_POPULATE or MAP_LOCKED) of mapping: the mmap's write hold, its pages populated under it until 3.8, after it as mlock does from 3.9 (mlock_populate outside)", mmap_populate_op_params, mmap_populate_op_run, false },
	{ "mlock",     "mlock() of a range: mmap_sem write to set VM_LOCKED, then every page not mapped faulted in (disk reads, minor faults, zeroing, charges) under write, downgraded read, or read dropped at page-lock waits, per the profile's mlock_populate", mlock_op_params, mlock_op_run, false },
	{ "munlock",   "munlock() of a range: mmap_sem held for write for hold_us plus cpu_per_page_us per page", munlock_op_params, munlock_op_run, false },
	{ "guest",     "a KVM vCPU runs its guest tasks: work_us, then touches of guest memory; a page the host swapped out is faulted in synchronously (mmap_sem read held across the read; from 3.18, kvm_gup_retry, dropped for it and re-taken for a retry pass), or with kvm_apf by a FOLL_NOWAIT get_user_pages and an async PF: the guest task sleeps, the vCPU runs another, halting when all wait", guest_op_params, guest_op_run, false },
	{ "apf_worker", "a kworker completing the VM's async page faults (async_pf_execute): get_user_pages holding mmap_sem read across the swap-in (from 3.18, kvm_gup_retry: dropped for the wait, re-taken for a retry pass), then \"page ready\"; sleeps while the queue is empty", apf_worker_op_params, apf_worker_op_run, false },
	{ NULL, NULL, NULL, NULL, false },
};
/* clang-format on */

const struct thread_op *thread_op_find(const char *name, int *index)
{
	for (int i = 0; thread_ops[i].name; i++) {
		if (strcmp(thread_ops[i].name, name) == 0) {
			*index = i;
			return &thread_ops[i];
		}
	}
	return NULL;
}

/* Whether op @c runs this pass: its probability, and "otherwise" (the op before did not). */
static bool thread_op_runs(struct thread *th, const struct op_config *c, bool ran_before)
{
	if (c->otherwise && ran_before)
		return false;
	return c->probability >= 1 || gsl_rng_uniform(task_rng(th->task)) < c->probability;
}

/* One pass of the group's loop; records it as an iteration begun at @begin. */
static void thread_run_loop(struct thread *th, sim_ns begin)
{
	const struct op_config *c = th->group->loop, *end = c + th->group->nr_ops;
	struct task *t = th->task;
	sim_ns busy = 0;
	bool ran = true;

	for (; c < end; c++) {
		const struct thread_op *op = &thread_ops[c->op];
		sim_ns start = task_now(t);

		ran = thread_op_runs(th, c, ran);
		if (!ran)
			continue;
		op->run(th, c);
		if (!op->idle)
			busy += task_now(t) - start;
	}
	record_iteration(t, busy, begin);
}

void thread_main(struct task *t)
{
	struct thread *th = task_data(t);

	th->task = t;
	for (;;)
		thread_run_loop(th, task_now(t));
}

bool thread_group_open(const struct thread_group_config *g)
{
	return dist_mean_ns(&g->interarrival_us) > 0;
}

/*
 * The vehicle of the jobs of an open group: a task that runs one job's loop
 * pass, then waits idle for the next arrival. Reusing them keeps the number
 * of SimGrid actors at the most jobs ever in the system at once.
 */
struct thread_job {
	struct thread th;
	struct thread_arrivals *stream;
	sim_ns arrival;          /* of the job it runs */
	struct thread_job *next; /* all the stream's workers */
	struct thread_job *next_idle;
};

static void thread_job_main(struct task *t)
{
	struct thread_job *j = task_data(t);
	struct thread_arrivals *a = j->stream;

	j->th.task = t;
	for (;;) {
		thread_run_loop(&j->th, j->arrival);
		a->in_system--;
		j->next_idle = a->idle;
		a->idle = j;
		task_park(t);
	}
}

/* A job arrives now: an idle worker takes it, or a new one. */
static void thread_job_start(struct thread_arrivals *a, struct task *t)
{
	struct thread_job *j = a->idle;

	a->in_system++;
	if (j) {
		a->idle = j->next_idle;
		j->arrival = task_now(t);
		j->th.io_context = 0; /* a new thread: its I/O context is made at its first I/O */
		task_wake(t, j->th.task, 0);
		return;
	}
	if (!(j = calloc(1, sizeof(*j))))
		abort(); /* out of memory */
	j->th = a->tmpl;
	j->stream = a;
	j->arrival = task_now(t);
	j->next = a->jobs;
	a->jobs = j;
	task_spawn(t, a->tmpl.group->name, thread_job_main, j);
}

void thread_arrivals_main(struct task *t)
{
	struct thread_arrivals *a = task_data(t);
	const struct thread_group_config *g = a->tmpl.group;

	for (;;) {
		/* a new job's actor must fit the mapping budget (TASKS_MAX), or it is dropped */
		bool admit;

		task_sleep(t, dist_sample_ns(&g->interarrival_us, task_rng(t)));
		admit = a->in_system < g->max_jobs && (a->idle || task_count(t) < TASKS_MAX);
		record_arrival(t, !admit);
		if (admit)
			thread_job_start(a, t);
	}
}

void thread_arrivals_release(struct thread_arrivals *a)
{
	while (a->jobs) {
		struct thread_job *j = a->jobs;

		a->jobs = j->next;
		kvm_thread_release(&j->th);
		free(j);
	}
	a->idle = NULL;
	a->in_system = 0;
}

/* clang-format off */
#define F(x) offsetof(struct op_config, x)
const struct param op_common_params[] = {
	{ "probability", PARAM_DOUBLE, F(probability), 0, 1, "1",     "the op runs with this probability each pass of the loop, else it is skipped", NULL, false },
	{ "otherwise",   PARAM_BOOL,   F(otherwise),   0, 1, "false", "the op runs only when the op before it did not (with probability: one of two ops)", NULL, false },
	{ .key = NULL },
};
#undef F
/* clang-format on */
