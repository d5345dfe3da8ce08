/*
 * kvm.c - KVM vCPU threads and asynchronous page faults (docs/kernel-model.md#gup-kvm).
 *
 * A vCPU thread runs the guest tasks of its guest kernel in turn: a guest op
 * is work_us of guest CPU, then @pages touches of random pages of the guest
 * memory (an anonymous mapping of the VM process). A touch of a page the host
 * has mapped costs nothing (the EPT/NPT entry is there); a touch of a page the
 * host swapped out (or never touched) exits to the host:
 *
 * - without kvm_apf (before 2.6.38): gfn_to_pfn, a get_user_pages that waits
 *   for the swap-in, the vCPU blocked;
 * - with kvm_apf: get_user_page_nowait (FOLL_NOWAIT: ALLOW_RETRY|RETRY_NOWAIT)
 *   submits the swap-in and returns at once, mmap_sem kept and then released;
 *   if the page is not ready, a work item goes to the VM's async PF workers
 *   and the guest gets "page not present": the guest task sleeps and the vCPU
 *   runs another guest task of its own. A worker (apf_worker op, a kworker on
 *   the VM's mm) runs a get_user_pages that waits for the swap-in and queues
 *   the item as done, waking the vCPU if it halted. On its next entry the
 *   vCPU re-runs the fault (now minor, a brief mmap_sem read) and injects
 *   "page ready": the guest task is runnable again. A vCPU with all its guest
 *   tasks waiting halts. At most apf_queue (ASYNC_PF_PER_VCPU, 64) items per
 *   vCPU: beyond, the synchronous fault. A second fault on a gfn with an item
 *   outstanding halts the vCPU until it is done (KVM_REQ_APF_HALT).
 *
 * The get_user_pages that waits (kvm_gup_sync) holds mmap_sem read across the
 * swap-in before 3.18; from 3.18 (kvm_gup_retry) it passes &locked: the wait
 * drops mmap_sem and a TRIED pass re-takes it (kvm_gup_locked).
 *
 * Assumed (M): a PV guest that enabled async PF and can always take the
 * injection (user mode or SEND_ALWAYS); a single work item per fault, done by
 * the first idle worker. Omitted: __get_user_pages_fast, the 2.6.38 queue
 * plugging delay (docs/kernel-model.md#block), reinjection of pending events.
 */
#include <string.h>

#include "models/fault.h"
#include "models/kvm.h"

enum guest_task_state { GT_RUNNABLE, GT_WAITING, GT_READY };

struct kvm_vcpu;

struct guest_task {
	int state;       /* enum guest_task_state */
	bool worked;     /* this op's work_us is done */
	unsigned touch;  /* touches of this op done */
	struct vma *vma; /* the outstanding async PF: page @pgoff of @vma */
	uint64_t pgoff;
	struct kvm_vcpu *vcpu;
	struct guest_task *next; /* on the VM's work queue or the vCPU's done list */
};

/* A vCPU: the state of a thread running guest ops (thread->vcpu). */
struct kvm_vcpu {
	struct thread *th;
	unsigned nr_tasks, cur;
	unsigned queued; /* async PFs not yet completed by the vCPU */
	bool halted;     /* blocked in kvm_vcpu_block, waiting for a done item */
	struct guest_task *done, *done_tail;
	struct guest_task tasks[]; /* nr_tasks */
};

/* An apf_worker sleeping for work (on its own stack). */
struct kvm_idle_worker {
	struct kvm_idle_worker *next;
	struct task *task;
};

/* A VM: the async page-fault work queue of a process (mm->kvm). */
struct kvm_vm {
	struct guest_task *head, *tail; /* the work queue */
	struct kvm_idle_worker *idle;   /* workers waiting for work, latest first */
};

static struct kvm_vm *kvm_vm_get(struct mm *mm)
{
	if (!mm->kvm && !(mm->kvm = calloc(1, sizeof(*mm->kvm))))
		abort(); /* out of memory */
	return mm->kvm;
}

static struct kvm_vcpu *kvm_vcpu_get(struct thread *th, const struct op_config *op)
{
	struct kvm_vcpu *v = th->vcpu;

	if (v)
		return v;
	v = calloc(1, sizeof(*v) + op->tasks * sizeof(v->tasks[0]));
	if (!v)
		abort(); /* out of memory */
	v->th = th;
	v->nr_tasks = op->tasks;
	for (unsigned i = 0; i < v->nr_tasks; i++)
		v->tasks[i].vcpu = v;
	return th->vcpu = v;
}

void kvm_thread_release(struct thread *th)
{
	free(th->vcpu);
	th->vcpu = NULL;
}

unsigned kvm_vcpu_queued(const struct thread *th)
{
	const struct kvm_vcpu *v = th->vcpu;

	return v ? v->queued : 0;
}

unsigned kvm_vcpu_waiting(const struct thread *th)
{
	const struct kvm_vcpu *v = th->vcpu;
	unsigned n = 0;

	for (unsigned i = 0; v && i < v->nr_tasks; i++)
		n += v->tasks[i].state != GT_RUNNABLE;
	return n;
}

static sim_ns kvm_wakeup_ns(struct thread *th)
{
	const struct dist *w = th->k->pc.wakeup;

	return w ? dist_sample_ns(w, task_rng(th->task)) : 0;
}

/* get_user_pages of one page under mmap_sem read; @flags as __get_user_pages
 * passes them. */
static int kvm_gup(struct thread *th, struct vma *v, uint64_t pgoff, unsigned flags,
                   const struct op_config *op)
{
	struct rwsem_hold h;
	int ret;

	down_read(&th->mm->mmap_sem, th->task, SITE_FAULT, &h);
	ret = fault_populate_page(th, v, pgoff, flags, &h, op);
	/* with NOWAIT it is still held here (docs/kernel-model.md#gup-kvm) */
	up_read(&th->mm->mmap_sem, th->task, &h);
	return ret;
}

/*
 * get_user_pages with &locked (3.18 kvm_get_user_page_io; 4.x-6.x
 * __get_user_pages_locked): the first pass has ALLOW_RETRY, so a wait for the
 * swap-in drops mmap_sem (VM_FAULT_RETRY); mmap_sem is then taken again for a
 * TRIED pass: once and without ALLOW_RETRY before 5.7, and with ALLOW_RETRY
 * until one completes from 5.7 (retry_multi: "mm/gup: allow VM_FAULT_RETRY
 * for multiple times", the series of the fault handler's). The worker of
 * 3.18-5.0 stopped after the wait instead (docs/kernel-model.md#gup-kvm).
 */
static int kvm_gup_locked(struct thread *th, struct vma *v, uint64_t pgoff,
                          const struct op_config *op)
{
	struct rwsem *sem = &th->mm->mmap_sem;
	unsigned flags = FAULT_FLAG_WRITE | FAULT_FLAG_ALLOW_RETRY;
	struct rwsem_hold h;
	int ret;

	down_read(sem, th->task, SITE_FAULT, &h);
	while ((ret = fault_populate_page(th, v, pgoff, flags, &h, op)) & VM_FAULT_RETRY) {
		if (!th->k->feat.retry_multi)
			flags &= ~FAULT_FLAG_ALLOW_RETRY;
		flags |= FAULT_FLAG_TRIED;
		down_read(sem, th->task, SITE_FAULT_RETRY, &h);
	}
	up_read(sem, th->task, &h);
	return ret;
}

/*
 * A get_user_pages that waits for the page (gfn_to_pfn's, the async PF
 * worker's): before 3.18 without ALLOW_RETRY, mmap_sem read held across the
 * swap-in; from 3.18 with &locked.
 */
static int kvm_gup_sync(struct thread *th, struct vma *v, uint64_t pgoff,
                        const struct op_config *op)
{
	if (th->k->feat.kvm_gup_retry)
		return kvm_gup_locked(th, v, pgoff, op);
	return kvm_gup(th, v, pgoff, FAULT_FLAG_WRITE, op);
}

/* kvm_check_async_pf_completion: re-run the faults done, inject "page ready".
 */
static void kvm_check_async_pf_completion(struct kvm_vcpu *vc, const struct op_config *op)
{
	struct thread *th = vc->th;

	while (vc->done) {
		struct guest_task *gt = vc->done;

		vc->done = gt->next;
		if (!vc->done)
			vc->done_tail = NULL;
		gt->next = NULL;
		kvm_gup_sync(th, gt->vma, gt->pgoff, op); /* prefault: minor */
		vc->queued--;
		gt->state = GT_RUNNABLE;
		gt->touch++;
		record_kvm_apf(th->task, true);
	}
}

/* The vCPU halts (no mmap_sem held) until a worker completes an item. */
static void kvm_vcpu_halt(struct kvm_vcpu *vc, const struct op_config *op)
{
	vc->halted = true;
	task_block(vc->th->task);
	kvm_check_async_pf_completion(vc, op);
}

enum touch_result { TOUCH_DONE, TOUCH_ASYNC };

static enum touch_result kvm_touch(struct kvm_vcpu *vc, struct guest_task *gt, struct vma *v,
                                   uint64_t pgoff, const struct op_config *op)
{
	struct thread *th = vc->th;
	struct kvm_vm *vm;
	int state = v->anon.state ? v->anon.state[pgoff] : ANON_NONE;

	if (state == ANON_PRESENT) /* mapped in the EPT: no exit */
		return TOUCH_DONE;
	if (!th->k->feat.kvm_apf) {
		kvm_gup_sync(th, v, pgoff, op); /* gfn_to_pfn: waits for the page */
		return TOUCH_DONE;
	}
	/* try_async_pf: gfn_to_pfn_async -> get_user_page_nowait */
	if (!(kvm_gup(th, v, pgoff,
	              FAULT_FLAG_WRITE | FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT, op) &
	      VM_FAULT_RETRY))
		return TOUCH_DONE;
	for (;;) { /* an outstanding async PF on this gfn: KVM_REQ_APF_HALT */
		struct guest_task *same = NULL;

		for (unsigned i = 0; i < vc->nr_tasks; i++)
			if (vc->tasks[i].state != GT_RUNNABLE && vc->tasks[i].vma == v &&
			    vc->tasks[i].pgoff == pgoff)
				same = &vc->tasks[i];
		if (!same)
			break;
		kvm_vcpu_halt(vc, op);
	}
	if (v->anon.state && v->anon.state[pgoff] == ANON_PRESENT)
		return TOUCH_DONE;
	if (vc->queued >= op->apf_queue) { /* queue full: synchronous fallback */
		kvm_gup_sync(th, v, pgoff, op);
		return TOUCH_DONE;
	}
	/* kvm_setup_async_pf + kvm_arch_async_page_not_present */
	gt->vma = v;
	gt->pgoff = pgoff;
	gt->state = GT_WAITING;
	gt->next = NULL;
	vc->queued++;
	vm = kvm_vm_get(th->mm);
	if (vm->tail)
		vm->tail->next = gt;
	else
		vm->head = gt;
	vm->tail = gt;
	if (vm->idle) {
		struct kvm_idle_worker *w = vm->idle;

		vm->idle = w->next;
		task_wake(th->task, w->task, kvm_wakeup_ns(th));
	}
	record_kvm_apf(th->task, false);
	return TOUCH_ASYNC;
}

static struct guest_task *kvm_pick_task(struct kvm_vcpu *vc)
{
	for (unsigned i = 0; i < vc->nr_tasks; i++) {
		unsigned j = (vc->cur + i) % vc->nr_tasks;

		if (vc->tasks[j].state == GT_RUNNABLE) {
			vc->cur = j;
			return &vc->tasks[j];
		}
	}
	return NULL;
}

/* One slice: a guest task runs until its op completes or it waits for a page.
 */
void guest_op_run(struct thread *th, const struct op_config *op)
{
	struct kvm_vcpu *vc = kvm_vcpu_get(th, op);
	struct vma *v = &th->mm->vmas[op->mapping];
	struct guest_task *gt;

	kvm_check_async_pf_completion(vc, op);
	while (!(gt = kvm_pick_task(vc)))
		kvm_vcpu_halt(vc, op);
	if (!gt->worked) {
		sim_ns start = task_now(th->task);

		task_cpu(th->task, dist_sample_ns(&op->work_us, task_rng(th->task)));
		record_kvm_busy(th->task, start);
		gt->worked = true;
	}
	while (gt->touch < op->pages) {
		uint64_t pgoff = gsl_rng_uniform_int(task_rng(th->task), v->pages);

		if (kvm_touch(vc, gt, v, pgoff, op) == TOUCH_ASYNC)
			return; /* the guest schedules another task */
		gt->touch++;
	}
	gt->worked = false;
	gt->touch = 0;
	vc->cur = (vc->cur + 1) % vc->nr_tasks;
	record_kvm_guest_op(th->task);
}

/* async_pf_execute: one work item, or sleep until there is one. */
void apf_worker_op_run(struct thread *th, const struct op_config *op)
{
	struct kvm_vm *vm = kvm_vm_get(th->mm);
	struct guest_task *gt;
	struct kvm_vcpu *vc;

	while (!vm->head) {
		struct kvm_idle_worker me = { .next = vm->idle, .task = th->task };

		vm->idle = &me;
		task_block(th->task);
	}
	gt = vm->head;
	vm->head = gt->next;
	if (!vm->head)
		vm->tail = NULL;
	gt->next = NULL;
	kvm_gup_sync(th, gt->vma, gt->pgoff, op);
	gt->state = GT_READY;
	vc = gt->vcpu;
	if (vc->done_tail)
		vc->done_tail->next = gt;
	else
		vc->done = gt;
	vc->done_tail = gt;
	if (vc->halted) {
		vc->halted = false;
		task_wake(th->task, vc->th->task, kvm_wakeup_ns(th));
	}
}

/* clang-format off */
#define F(x) offsetof(struct op_config, x)
const struct param guest_op_params[] = {
	{ "mapping",   PARAM_NAME, F(mapping),   0, 0,   NULL,  "guest memory: an anon mapping of the VM process (swapped_fraction: what the host swapped out)", NULL, false },
	{ "tasks",     PARAM_UINT, F(tasks),     1, KVM_MAX_TASKS, "4", "guest tasks of this vCPU", NULL, false },
	{ "work_us",   PARAM_DIST, F(work_us),   0, 1e9, "100", "guest CPU work of a guest op, before its touches", NULL, false },
	{ "pages",     PARAM_UINT, F(pages),     1, 1e6, "1",   "guest memory touches per guest op (random pages)", NULL, false },
	{ "apf_queue", PARAM_UINT, F(apf_queue), 1, KVM_MAX_TASKS, "64", "async PFs outstanding per vCPU (ASYNC_PF_PER_VCPU); beyond: the synchronous fault", NULL, false },
	FAULT_COST_PARAMS(F),
	{ .key = NULL },
};
const struct param apf_worker_op_params[] = {
	FAULT_COST_PARAMS(F),
	{ .key = NULL },
};
#undef F
/* clang-format on */
