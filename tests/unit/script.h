/*
 * script.h - scripted threads for unit tests: a small machine built as the
 * runner builds it (kernel_init, mm_init) with constant costs, and actors
 * that each run one operation at a given instant; tests check when each
 * returned and what the recorder saw.
 *
 * Costs (microseconds unless said): wake-up SCRIPT_W, cpu_before SCRIPT_B,
 * cpu_miss SCRIPT_M, cpu_after SCRIPT_A, cpu_copy 3, hold 10; the disk serves a
 * request in SCRIPT_S whatever its size; a 4 MB page cache.
 */
#ifndef TESTS_SCRIPT_H
#define TESTS_SCRIPT_H

#include "models/fault.h"
#include "tests/unit/harness.h"

#define SCRIPT_W (7 * NS_PER_US)
#define SCRIPT_B (1 * NS_PER_US)
#define SCRIPT_M (20 * NS_PER_US)
#define SCRIPT_A (2 * NS_PER_US)
#define SCRIPT_S (1 * NS_PER_MS)
#define SCRIPT_MAX_ACTORS 8

struct script_actor {
	sim_ns at;           /* when it starts its op */
	const char *op_name; /* a thread_ops[] name */
	struct op_config op; /* script_op_base() until the test changes it */
	sim_ns end;          /* when the op returned; -1 if it has not */
	struct mm *mm;       /* its process; NULL: script_mm */
	struct thread th;
};

extern struct kernel script_k;
extern struct mm script_mm;
extern struct script_actor script_actors[SCRIPT_MAX_ACTORS];
extern struct recorder *script_rec;    /* set once an actor runs */
extern unsigned script_read_ahead_kb;  /* machine.read_ahead_kb of the next world: 128 */
extern unsigned script_page_cache_mb;  /* machine.page_cache_mb of the next world: 4 */
extern unsigned script_max_sectors_kb; /* disk.max_sectors_kb of the next world: the default */

/*
 * One process with @maps, on the kernel profile @profile; @rng draws the
 * initially swapped pages (may be NULL if none). Forgets the actors.
 */
void script_world(const char *profile, const struct mapping_config *maps, unsigned nr_maps,
                  gsl_rng *rng);
/* An actor running op @op_name at @at (its op's mapping is -1: set it). */
struct script_actor *script_actor(sim_ns at, const char *op_name);
/* sim_run setup: the disk and the actors. */
void script_spawn(struct engine *e);
/* The mmap_sem records of call site @site, all processes. */
const struct lock_site_stats *script_site(int site);

#endif
