/*
 * cgworld.h - the small machine of test_cow.c and test_memcg.c's OOM cases,
 * built as the runner builds it (kernel_init, mm_init), with constant costs
 * so every instant is exact, and the scripted threads that act on it.
 *
 * The processes: A (in the cgroup) maps the file "ld.so" privately (LIB) and
 * has an anonymous heap (HEAP); B (outside the cgroup) maps the same file
 * shared, so its faults need the same page-cache pages and page locks; C is
 * another job of the cgroup. The cgroup has CGW_BASE pages charged at start
 * by tasks not modelled, allows some more, and never reclaims anything (2
 * vain attempts of reclaim_us).
 */
#ifndef TESTS_UNIT_CGWORLD_H
#define TESTS_UNIT_CGWORLD_H

#include "models/fault.h"

struct engine;

#define CGW_BASE 256        /* pages charged at start (usage_mb 1) */
#define CGW_FILE_ID 0       /* ld.so: the first file created */
enum { CGW_LIB, CGW_HEAP }; /* mapping indexes in A and C */
enum { CGW_A, CGW_B, CGW_C, CGW_NR_MM };

struct cgworld_opts {
	const struct kernel_features *feat;
	bool cached;                /* ld.so (16 pages) in the page cache, else on disk */
	enum mapping_advice advice; /* ld.so's: MADV_RANDOM, a miss reads its page alone */
	unsigned room;              /* pages the cgroup allows over CGW_BASE */
	bool oom_kill_disable;
	double page_cache_mb;
	unsigned reclaim_pages; /* a reclaim attempt's (0: 32) */
};

extern struct kernel cgw_k;
extern struct mm cgw_mms[CGW_NR_MM];
extern struct memcg *cgw_cg;
extern struct op_config cgw_op; /* every op's costs: cpu_before_us 1, cpu_miss_us 20, ... */
extern struct recorder *cgw_rec;

void cgworld_init(const struct cgworld_opts *o);

/* ---- the scripted threads: an actor of a process runs its steps at their times */

enum cgw_act { CGW_FAULT, CGW_MMAP, CGW_FORK, CGW_EXIT };

struct cgw_step {
	sim_ns at;
	int act; /* enum cgw_act */
	int vma;
	uint64_t pgoff;
	bool write;
	sim_ns end; /* when it returned */
};

#define CGW_MAX_STEPS 6
#define CGW_MAX_ACTORS 6
struct cgw_actor {
	int mm;
	unsigned nr;
	struct cgw_step steps[CGW_MAX_STEPS];
	struct thread th;
};

extern struct cgw_actor cgw_actors[CGW_MAX_ACTORS];

/* Forgets the actors of the last script. */
void cgw_script(void);
/* A new actor of process @mm; its steps follow, in time order. */
struct cgw_actor *cgw_actor(int mm);
struct cgw_step *cgw_step(struct cgw_actor *a, sim_ns at, int act, int vma, uint64_t pgoff,
                          bool write);
/* Spawns the disk and the actors. */
void cgw_spawn(struct engine *e);
/* A task sleeps for good (a thread done with its script). */
void cgw_park(struct task *t);

/* The step @i of actor @a. */
#define CGW_ST(a, i) (cgw_actors[a].steps[i])

#endif
