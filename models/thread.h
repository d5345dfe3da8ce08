/*
 * thread.h - simulated threads: a group of threads of one process runs a loop
 * of operations (think, fault, mmap, munmap, proc_read, ...). The operations
 * are a table, picked by name, with their parameters.
 */
#ifndef MODELS_THREAD_H
#define MODELS_THREAD_H

#include "models/dist.h"
#include "models/mm.h"
#include "models/param.h"

enum fault_pattern { PATTERN_RANDOM, PATTERN_SEQUENTIAL, PATTERN_UNCACHED };
enum fault_access { ACCESS_READ, ACCESS_WRITE };
enum proc_read_kind { PROC_READ_HOLD, PROC_READ_CMDLINE, PROC_READ_MAPS };

/* One operation of a loop; each op reads only the fields of its own table. */
struct op_config {
	int op;              /* index into thread_ops[] */
	double probability;  /* every op: runs with this probability each pass */
	bool otherwise;      /* every op: runs only when the op before it did not */
	struct dist time_us; /* think, sleep */
	int mapping; /* fault, proc_read cmdline: index of the mapping in the process (proc_read: -1, none) */
	int pattern;                  /* fault: enum fault_pattern */
	int access;                   /* fault: enum fault_access */
	struct dist cpu_before_us;    /* fault: each pass, before the page-cache lookup */
	struct dist cpu_miss_us;      /* fault: on a miss, readahead and I/O submission */
	struct dist cpu_page_read_us; /* fault: each page a miss reads in (allocate, insert, I/O) */
	struct dist cpu_after_us;     /* fault: once the page is there (pte install) */
	struct dist cpu_copy_us;      /* fault: COW: allocate the new page and copy 4 KiB */
	unsigned pages; /* fault: pages touched, one fault each; proc_read cmdline: pages read */
	struct dist hold_us; /* mmap, munmap, proc_read: CPU with mmap_sem held */
	struct dist zap_us;  /* munmap: zapping the pages (under read with munmap_downgrade) */
	int proc_kind;       /* proc_read: enum proc_read_kind */
	unsigned chunks;     /* proc_read maps: read() chunks, one read hold each */
	int process;         /* proc_read: the process read (index in the scenario), -1: its own */
	unsigned offset;     /* mlock, munlock: first page of the range in the mapping */
	struct dist cpu_per_page_us; /* mlock, munlock: marking (unmarking) one page */
	unsigned tasks;              /* guest: guest tasks per vCPU */
	struct dist work_us;         /* guest: guest CPU work of one guest op */
	unsigned apf_queue;          /* guest: async PFs outstanding per vCPU (ASYNC_PF_PER_VCPU) */
};

struct thread_group_config {
	const char *name; /* owned by the scenario; unique */
	unsigned count;   /* threads; open group: arrival streams */
	struct dist
	        interarrival_us; /* open group (mean > 0): a job arrives this often per stream */
	unsigned max_jobs; /* open group: jobs of a stream at once; later arrivals are dropped */
	struct op_config *loop; /* owned by the scenario */
	unsigned nr_ops;
};

struct thread {
	struct task *task;                       /* set by thread_main */
	struct kernel *k;                        /* borrowed */
	struct mm *mm;                           /* borrowed */
	const struct thread_group_config *group; /* borrowed */
	uint64_t cursor;                         /* sequential pattern: next page */
	unsigned proc_copy;                      /* proc_read "process": its next copy read */
	struct kvm_vcpu *vcpu;                   /* owned: guest op's vCPU state, or NULL */
	int io_context; /* cfq's queue owner: 0 until the first I/O (thread_io_context) */
};

struct thread_op {
	const char *name;
	const char *doc; /* with the calling context, kernel style */
	const struct param *params;
	void (*run)(struct thread *th, const struct op_config *op);
	bool idle; /* user time or sleep: not counted in op latency */
};

/* NULL-terminated. */
extern const struct thread_op thread_ops[];
/* The keys every op takes besides its own (probability, otherwise). */
extern const struct param op_common_params[];
const struct thread_op *thread_op_find(const char *name, int *index);

/* A simulated thread's body: runs its group's loop forever. */
void thread_main(struct task *t);

/* Whether a group is open (jobs arrive, run the loop once, leave) rather than closed. */
bool thread_group_open(const struct thread_group_config *g);

/*
 * An arrival stream of an open group: every interarrival_us a job (a thread
 * of @tmpl's process and group) arrives, runs the loop once and leaves. Its
 * workers (tasks that run the jobs, reused) are freed after the run.
 */
struct thread_arrivals {
	struct thread tmpl;      /* k, mm, group of the jobs */
	unsigned in_system;      /* jobs arrived and not ended */
	struct thread_job *jobs; /* owned: every worker */
	struct thread_job *idle; /* the workers waiting for a job */
};
/* The stream's body (its task's data is the struct thread_arrivals). */
void thread_arrivals_main(struct task *t);
/* Frees the jobs still in the system (after the run). */
void thread_arrivals_release(struct thread_arrivals *a);

/*
 * The CPU costs of the fault path, as parameters of every op that faults
 * pages in (fault, mlock, mlockall, mmap_populate, guest, apf_worker); @F is
 * the op table's offsetof(struct op_config, x) macro.
 */
/* clang-format off */
#define FAULT_COST_PARAMS(F) \
	{ "cpu_before_us", PARAM_DIST, F(cpu_before_us), 0, 1e6, "0.5", "each fault pass under mmap_sem: exception entry, find_vma, page-cache or swap-cache lookup", NULL, false }, \
	{ "cpu_miss_us",   PARAM_DIST, F(cpu_miss_us),   0, 1e6, "20",  "on a miss: page allocation, readahead, bio submission (anon: allocate and zero)", NULL, false }, \
	{ "cpu_page_read_us", PARAM_DIST, F(cpu_page_read_us), 0, 1e6, "0", "each page a miss reads into the page or swap cache, the faulted one and its readahead: allocate, insert, its share of the bio and of the completion (0: folded into the disk's times, as the seeds measured them)", NULL, true }, \
	{ "cpu_after_us",  PARAM_DIST, F(cpu_after_us),  0, 1e6, "2",   "once the page is there: lock it, install the pte, unlock", NULL, false }, \
	{ "cpu_copy_us",   PARAM_DIST, F(cpu_copy_us),   0, 1e6, "1",   "a copy on write (private file page, page shared after fork): allocate a page, copy 4 KiB", NULL, false }
/* clang-format on */

/* Operations defined by their kernel path (fault.c). */
void fault_op_run(struct thread *th, const struct op_config *op);
extern const struct param fault_op_params[];
void exit_op_run(struct thread *th, const struct op_config *op);
void fork_op_run(struct thread *th, const struct op_config *op);

/* mlock.c (docs/kernel-model.md#mlock) */
void mlock_op_run(struct thread *th, const struct op_config *op);
void munlock_op_run(struct thread *th, const struct op_config *op);
extern const struct param mlock_op_params[];
void mlockall_op_run(struct thread *th, const struct op_config *op);
extern const struct param mlockall_op_params[];
void mmap_populate_op_run(struct thread *th, const struct op_config *op);
extern const struct param mmap_populate_op_params[];
extern const struct param munlock_op_params[];
#define MLOCK_ENOMEM (-12) /* 2.6.28: the VMA was unmapped or split while mmap_sem was dropped */
/*
 * sys_mlock of pages [start, start + nr) of @v (clamped to the mapping), with
 * the profile's populate strategy. Context: nothing held; sleeps on mmap_sem,
 * page locks, the disk, memory. Returns the pages locked, or MLOCK_ENOMEM.
 */
int mlock_range(struct thread *th, struct vma *v, uint64_t start, uint64_t nr,
                const struct op_config *op);

#endif
