/*
 * test_kvm.c - KVM guests and asynchronous page faults (docs/kernel-model.md#gup-kvm, seed
 * 002): a FOLL_NOWAIT fault starts the swap-in and returns at once keeping
 * mmap_sem; with kvm_apf the vCPU runs another guest task while the page is
 * read, without it the vCPU blocks for the read; a full async PF queue falls
 * back to the synchronous fault; from 3.18 (kvm_gup_retry) the worker's and
 * the synchronous get_user_pages wait for the read without mmap_sem. Constant
 * costs, every guest page swapped.
 */
#include <string.h>

#include "models/fault.h"
#include "models/kvm.h"
#include "tests/unit/harness.h"

#define S 1000000  /* swap read: service_ms = 1 */
#define W 7        /* wake-up latency */
#define B 1000     /* cpu_before_us = 1 */
#define M 20000    /* cpu_miss_us = 20 */
#define WORK 10000 /* work_us = 10 */
#define NP 250     /* guest pages, all swapped */

static struct kernel k;
static struct swap_config scfg;
static struct disk_config dcfg;
static struct mapping_config mcfg = { .name = "guest", .kind = MAPPING_ANON, .size_mb = 1 };
static struct vma vma;
static struct mm mm;
static struct op_config op;
static struct dist wakeup;
static struct thread vcpu, worker;
static struct thread_group_config vgroup = { .name = "vcpu", .count = 1 };

static void world(bool apf, unsigned tasks, unsigned apf_queue)
{
	anon_pages_release(&vma.anon);
	swap_release(&k.swap);
	disk_release(&k.disk);
	pagecache_release(&k.pc);
	memset(&k, 0, sizeof(k));
	kvm_thread_release(&vcpu);
	free(mm.kvm);
	mm.kvm = NULL;
	wakeup = dist_const(W, 1);
	dcfg.scheduler = DISK_FIFO;
	dcfg.max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
	dcfg.service_ms = dist_const(1, NS_PER_MS);
	dcfg.page_transfer_us = dist_const(0, NS_PER_US);
	scfg.device = SWAP_ON_DISK;
	scfg.page_cluster = 0; /* no readahead: one page per read */
	scfg.size_mb = 1;
	k.feat.fault_retry = FAULT_RETRY_ONCE;
	k.feat.swapin_retry = true;
	k.feat.kvm_apf = apf;
	CHECK_EQ(pagecache_init(&k.pc, 1024, &wakeup), 0);
	disk_init(&k.disk, &dcfg, &k.pc, DISK_DEVICE_MAIN);
	CHECK_EQ(swap_init(&k.swap, &scfg, &k.pc, &k.disk), 0);
	rwsem_init(&mm.mmap_sem, rwsem_policy_find("2.6.36"), 0, &wakeup);
	mm.memcg = NULL;
	mm.vmas = &vma;
	mm.nr_vmas = 1;
	vma.cfg = &mcfg;
	vma.pages = NP;
	CHECK_EQ(anon_pages_init(&vma.anon, &k.swap, NP, 1, NULL), 0);
	op = (struct op_config){ .mapping = 0, .tasks = tasks, .pages = 1, .apf_queue = apf_queue };
	op.cpu_before_us = dist_const(1, NS_PER_US);
	op.cpu_miss_us = dist_const(20, NS_PER_US);
	op.cpu_after_us = dist_const(2, NS_PER_US);
	op.work_us = dist_const(10, NS_PER_US);
}

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* ---- FOLL_NOWAIT alone */

static int nowait_ret;
static unsigned nowait_readers;
static sim_ns nowait_end;
static bool nowait_cached;

static void nowait_main(struct task *t)
{
	struct rwsem_hold h;

	vcpu = (struct thread){ .task = t, .k = &k, .mm = &mm };
	down_read(&mm.mmap_sem, t, SITE_FAULT, &h);
	nowait_ret = fault_populate_page(
	        &vcpu, &vma, 5, FAULT_FLAG_WRITE | FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT,
	        &h, &op);
	nowait_readers = mm.mmap_sem.readers;
	nowait_end = task_now(t);
	nowait_cached = page_cached(&k.pc, &k.swap.inode, vma.anon.slot[5]);
	up_read(&mm.mmap_sem, t, &h);
	park(t);
}

static void nowait_setup(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &k.disk);
	sim_spawn(e, "vcpu", nowait_main, NULL);
}

static void nowait_verify(void)
{
	CHECK(nowait_ret & VM_FAULT_RETRY);
	CHECK(nowait_ret & VM_FAULT_MAJOR);
	CHECK_EQ(nowait_readers, 1); /* mmap_sem still held */
	CHECK_EQ(nowait_end, B + M); /* the read was not waited for */
	CHECK(nowait_cached);        /* ...but submitted */
	CHECK_EQ(harness_rec.devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK_EQ(vma.anon.state[5], ANON_SWAPPED);
}

static void nowait_starts_io_keeps_mmap_sem_and_returns_at_once(void)
{
	world(true, 1, ASYNC_PF_PER_VCPU);
	sim_check(nowait_setup, nowait_verify, 10 * NS_PER_MS);
}

/* ---- a vCPU and the VM's async PF worker */

static sim_ns probe_at;
static double probe_busy;
static unsigned probe_waiting, probe_queued;
static uint64_t probe_injected, probe_ops;

static void vcpu_main(struct task *t)
{
	vcpu = (struct thread){ .task = t, .k = &k, .mm = &mm, .group = &vgroup };
	for (;;)
		guest_op_run(&vcpu, &op);
}

static void worker_main(struct task *t)
{
	worker = (struct thread){ .task = t, .k = &k, .mm = &mm };
	for (;;)
		apf_worker_op_run(&worker, &op);
}

static void probe_main(struct task *t)
{
	task_sleep(t, probe_at);
	probe_busy = harness_rec.kvm.busy_ns;
	probe_waiting = kvm_vcpu_waiting(&vcpu);
	probe_queued = kvm_vcpu_queued(&vcpu);
	probe_injected = harness_rec.kvm.apf_injected;
	probe_ops = harness_rec.kvm.guest_ops;
	park(t);
}

static void vm_setup(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &k.disk);
	sim_spawn(e, "vcpu", vcpu_main, NULL);
	sim_spawn(e, "worker", worker_main, NULL);
	sim_spawn(e, "probe", probe_main, NULL);
}

/* With APF: both guest tasks ran their work before the first read ended. */
static void apf_verify(void)
{
	CHECK_EQ(probe_busy, 2.0 * WORK);
	CHECK_EQ(probe_waiting, 2); /* all wait: the vCPU halts */
	CHECK_EQ(probe_queued, 2);
	CHECK_EQ(probe_injected, 2);
	CHECK_EQ(probe_ops, 0);
	CHECK(harness_rec.kvm.guest_ops > 10);
	CHECK(harness_rec.kvm.apf_ready > 10);
	CHECK(harness_rec.kvm.apf_ready <= harness_rec.kvm.apf_injected);
	CHECK(harness_rec.kvm.apf_injected <= harness_rec.kvm.apf_ready + 2);
	/* every op waited for by an async PF completed; the others found their page
	 * mapped */
	CHECK(harness_rec.kvm.guest_ops >= harness_rec.kvm.apf_ready);
}

static void apf_switches_to_another_guest_task_during_the_read(void)
{
	world(true, 2, ASYNC_PF_PER_VCPU);
	probe_at = S / 2;
	sim_check(vm_setup, apf_verify, 50 * NS_PER_MS);
}

/* Without APF: the vCPU blocks in the first touch; one task's work only. */
static void sync_verify(void)
{
	CHECK_EQ(probe_busy, 1.0 * WORK);
	CHECK_EQ(probe_waiting, 0);
	CHECK_EQ(probe_injected, 0);
	CHECK_EQ(probe_ops, 0);
	CHECK_EQ(harness_rec.kvm.apf_injected, 0);
	CHECK_EQ(harness_rec.kvm.apf_ready, 0);
	/* one read at a time, each waited for by the vCPU: at most 50 in 50 ms */
	CHECK(harness_rec.kvm.guest_ops > 10);
	CHECK(harness_rec.devices[DISK_DEVICE_MAIN].requests <= 50);
}

static void without_apf_the_vcpu_blocks_for_the_read(void)
{
	world(false, 2, ASYNC_PF_PER_VCPU);
	probe_at = S / 2;
	sim_check(vm_setup, sync_verify, 50 * NS_PER_MS);
}

/* apf_queue 1: the second task's fault is synchronous (the vCPU blocks in it).
 */
static void full_verify(void)
{
	CHECK_EQ(probe_busy, 2.0 * WORK);
	CHECK_EQ(probe_injected, 1);
	CHECK_EQ(probe_queued, 1);
	CHECK_EQ(probe_waiting, 1);
	CHECK_EQ(probe_ops, 0);
}

static void a_full_queue_falls_back_to_the_synchronous_fault(void)
{
	world(true, 2, 1);
	probe_at = S / 2;
	sim_check(vm_setup, full_verify, 50 * NS_PER_MS);
}

/* ---- 3.18 kvm_gup_retry: the get_user_pages that waits drops mmap_sem */

static sim_ns writer_at, writer_got;
static unsigned writer_readers; /* mmap_sem readers when the writer asks */

static void writer_main(struct task *t)
{
	struct rwsem_hold h;

	task_sleep(t, writer_at);
	writer_readers = mm.mmap_sem.readers;
	down_write(&mm.mmap_sem, t, SITE_MMAP, &h);
	writer_got = task_now(t);
	up_write(&mm.mmap_sem, t, &h);
	park(t);
}

static void writer_setup(struct engine *e)
{
	vm_setup(e);
	sim_spawn(e, "writer", writer_main, NULL);
}

/* One guest task; a writer asks for mmap_sem halfway through the first swap-in. */
static void gup_world(bool apf, bool gup_retry)
{
	world(apf, 1, ASYNC_PF_PER_VCPU);
	k.feat.kvm_gup_retry = gup_retry;
	probe_at = writer_at = S / 2;
}

/* The swap-in waited for without mmap_sem: the writer gets it at once, and
 * the TRIED pass re-takes it after the read. */
static void dropped_verify(void)
{
	const struct lock_stats *l = &harness_rec.locks.all;

	CHECK_EQ(probe_ops, 0); /* the first read is still in flight */
	CHECK_EQ(writer_readers, 0);
	CHECK_EQ(writer_got, S / 2);
	CHECK(l->hold[LOCK_READ].max_ns < S / 2);
	CHECK(l->sites[SITE_FAULT_RETRY].hold[LOCK_READ].count > 10);
	CHECK(harness_rec.kvm.guest_ops > 10);
	CHECK(!k.feat.kvm_apf || harness_rec.kvm.apf_ready > 10);
}

/* Before 3.18: the waiter holds mmap_sem read until its read is done. */
static void held_verify(void)
{
	const struct lock_stats *l = &harness_rec.locks.all;

	CHECK_EQ(probe_ops, 0);
	CHECK_EQ(writer_readers, 1);
	CHECK(writer_got > S);
	CHECK(l->hold[LOCK_READ].max_ns > S);
	CHECK_EQ(l->sites[SITE_FAULT_RETRY].hold[LOCK_READ].count, 0);
	CHECK(harness_rec.kvm.guest_ops > 10);
}

static void with_gup_retry_the_apf_worker_drops_mmap_sem_for_the_read(void)
{
	gup_world(true, true);
	sim_check(writer_setup, dropped_verify, 50 * NS_PER_MS);
}

/* 5.7: the TRIED pass keeps ALLOW_RETRY (and completes: only a first pass drops the lock). */
static void with_gup_retry_and_retry_multi_the_apf_worker_drops_mmap_sem_for_the_read(void)
{
	gup_world(true, true);
	k.feat.retry_multi = true;
	sim_check(writer_setup, dropped_verify, 50 * NS_PER_MS);
}

static void without_gup_retry_the_apf_worker_holds_mmap_sem_for_the_read(void)
{
	gup_world(true, false);
	sim_check(writer_setup, held_verify, 50 * NS_PER_MS);
}

static void with_gup_retry_the_synchronous_fault_drops_mmap_sem_for_the_read(void)
{
	gup_world(false, true);
	sim_check(writer_setup, dropped_verify, 50 * NS_PER_MS);
}

static void without_gup_retry_the_synchronous_fault_holds_mmap_sem_for_the_read(void)
{
	gup_world(false, false);
	sim_check(writer_setup, held_verify, 50 * NS_PER_MS);
}

int main(void)
{
	TEST(nowait_starts_io_keeps_mmap_sem_and_returns_at_once);
	TEST(apf_switches_to_another_guest_task_during_the_read);
	TEST(without_apf_the_vcpu_blocks_for_the_read);
	TEST(a_full_queue_falls_back_to_the_synchronous_fault);
	TEST(with_gup_retry_the_apf_worker_drops_mmap_sem_for_the_read);
	TEST(with_gup_retry_and_retry_multi_the_apf_worker_drops_mmap_sem_for_the_read);
	TEST(without_gup_retry_the_apf_worker_holds_mmap_sem_for_the_read);
	TEST(with_gup_retry_the_synchronous_fault_drops_mmap_sem_for_the_read);
	TEST(without_gup_retry_the_synchronous_fault_holds_mmap_sem_for_the_read);
	return harness_failures != 0;
}
