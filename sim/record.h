/*
 * record.h - the engine side of the records of models/env.h: every lock
 * acquisition, page-lock hold and wait, fault, memcg charge, swap-in, disk
 * request and loop iteration after the warm-up is folded into summaries as it
 * happens.
 */
#ifndef SIM_RECORD_H
#define SIM_RECORD_H

#include "models/env.h"
#include "models/rwsem.h"
#include "sim/mser.h"
#include "sim/stats.h"

/* The waits and holds of one call site of mmap_sem (enum lock_site). */
struct lock_site_stats {
	struct summary wait[2]; /* by enum lock_mode */
	struct summary hold[2];
};

struct lock_stats {
	struct summary wait[2]; /* by enum lock_mode */
	struct summary hold[2];
	struct lock_site_stats *sites; /* owned, [SITE_COUNT]: by call site */
};

/* Page locks: of one file, or of all. */
struct page_lock_stats {
	uint64_t acquisitions;  /* grants to tasks (lock_page, trylock_page by a task) */
	struct summary wait;    /* each grant's wait (0: at once) and each wait_on_page_locked */
	struct summary hold;    /* each task's hold, grant to unlock */
};

struct fault_stats {
	uint64_t major, minor, retries;
	uint64_t vma_lock[VMA_LOCK_OUTCOMES]; /* attempts under the per-VMA lock, by outcome */
	struct summary latency;
};

/* The charges of one memory cgroup. */
struct memcg_stats {
	uint64_t charges;   /* charges ended, failed ones included */
	uint64_t reclaims;  /* reclaim attempts over all charges */
	uint64_t oom_kills; /* charges that killed a victim */
	uint64_t oom_waits; /* charges that slept on the OOM wait queue */
	uint64_t failed;    /* charges that failed (VM_FAULT_OOM) */
	struct summary latency;
};

/* How many of each thing the records of a run refer to (their ids are indexes). */
struct recorder_shape {
	unsigned nr_groups;  /* thread groups */
	unsigned nr_mms;     /* process ids (mm_id) */
	unsigned nr_files;   /* file ids, besides the swap cache's SWAP_FILE_ID */
	unsigned nr_memcgs;  /* memory cgroup ids */
	unsigned nr_threads; /* threads with stats of their own (fairness); 0: none */
	sim_ns starved_ns;   /* an acquisition waiting longer is "starved" */
};

/* The time integral of a level (tasks waiting, holding, in a device) over the window. */
struct level_integral {
	long level;       /* now */
	sim_ns last;      /* the last change */
	double area_ns;   /* the integral over [warm-up, last] */
	long level_start; /* at the warm-up's end (once @started) */
	bool started;
};

/* A block device (DISK_DEVICE_*): its requests and the integrals of its queue. */
struct device_stats {
	uint64_t requests;      /* completed */
	uint64_t submitted;     /* entered the device */
	struct summary latency; /* submit to completion */
	struct summary service; /* start of service to completion */
	struct level_integral in_device;
	struct level_integral busy; /* 1 while a request is in service */
};

struct recorder {
	sim_ns warmup_ns, end_ns;
	struct mser_series *series; /* borrowed, NULL but in a warm-up pilot: every iteration */
	unsigned nr_groups, nr_mms, nr_files, nr_memcgs, nr_threads;
	struct group_stats {
		uint64_t ops;
		struct summary latency;  /* busy time of one loop pass */
		struct summary response; /* wall time of one loop pass (a job: arrival to end) */
		struct summary lock_wait; /* mmap_sem waits of the group's threads */
		unsigned blocked;        /* threads still blocked at the end of the run */
		sim_ns blocked_max_ns;   /* ...the longest of their waits so far */
		uint64_t arrivals;       /* open group: jobs that arrived */
		uint64_t dropped;        /* ...turned away (too many in the system) */
	} *groups;                       /* owned */
	struct thread_stats {
		double wait_ns;          /* mmap_sem waits summed */
		uint64_t acquisitions;
	} *threads;                      /* owned, nr_threads */
	sim_ns starved_ns;
	uint64_t starved;                /* acquisitions that waited longer than starved_ns */
	/*
	 * Every process's mmap_sem: tasks waiting for it, readers, writers
	 * holding it (set by the runner from the models' levels, see
	 * recorder_lock_levels).
	 */
	struct level_integral lock_waiting, lock_readers, lock_writers;
	struct {
		uint64_t steals, handoffs, spins_won;
		struct summary spin;     /* each optimistic spin, won or lost */
	} rwsem;
	/* recorded: per process by site, per process, per file; the rest by recorder_totals() */
	struct lock_stats *mm_locks;    /* owned, per process */
	struct lock_stats all_locks;
	struct fault_stats faults;
	struct fault_stats *mm_faults;  /* owned, per process */
	struct page_lock_stats page_locks;
	struct page_lock_stats *file_locks; /* owned: per file id, then the swap cache's */
	struct memcg_stats *memcgs;     /* owned, per cgroup id */
	struct {
		uint64_t ins;             /* swap-in reads of a faulting page */
		uint64_t readahead_pages; /* other pages read with them */
		struct summary latency;   /* start to end of the read */
	} swap;
	struct {
		uint64_t calls;           /* mlock() calls ended */
		uint64_t pages;           /* pages they locked */
		struct summary duration;  /* one call, start to return */
	} mlock;
	struct {
		double busy_ns;           /* vCPU time running guest work, in the window */
		uint64_t guest_ops;       /* guest ops completed */
		uint64_t apf_injected;    /* "page not present" injections */
		uint64_t apf_ready;       /* "page ready" injections */
	} kvm;
	struct device_stats devices[DISK_DEVICES];
};

/* What each task carries for its records (its task_owner). */
struct record_ctx {
	struct recorder *rec;
	int group;  /* thread group index, -1 for devices */
	int thread; /* index into the recorder's threads, -1: no stats of its own */
};

void recorder_init(struct recorder *r, const struct recorder_shape *shape, sim_ns warmup_ns,
		   sim_ns end_ns);
/* The page-lock stats of file @file_id (SWAP_FILE_ID: the swap cache's). */
const struct page_lock_stats *recorder_file_locks(const struct recorder *r, int file_id);
/*
 * After the run: fills the totals (all processes, every site, all files, all
 * faults; recorded only at their finest grain) from the detailed records.
 * Once, after the last record.
 */
void recorder_totals(struct recorder *r);
/* Closes the time integrals at the end of the run, then recorder_totals(). */
void recorder_finish(struct recorder *r);
void recorder_release(struct recorder *r);
/*
 * The window's integrals of the lock levels: @start_area (the area up to the
 * warm-up's end) and @start_value (the levels then), @end_area and
 * @end_value at the run's end, each { waiting, readers, writers }.
 */
void recorder_lock_levels(struct recorder *r, const double start_area[3], const long start_value[3],
			  const double end_area[3], const long end_value[3]);
/* A task of record context @ctx is still blocked at the end, since @since. */
void recorder_blocked_at_end(struct record_ctx *ctx, sim_ns since);

#endif
