/*
 * harness.h - a tiny test harness: CHECK() records a failure with file:line,
 * TEST() runs a case and prints "ok NAME" or "FAIL NAME: ..." for tests/run.sh.
 * sim_run() runs a simulation in a child process (SimGrid keeps one per
 * process) and reports the child's checks.
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stdio.h>

#include "models/env.h"
#include "sim/engine.h"
#include "sim/record.h"

extern int harness_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
			harness_failures++;                                                        \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_) {                                                                    \
			printf("  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, \
			       b_);                                                                \
			harness_failures++;                                                        \
		}                                                                                  \
	} while (0)

#define TEST(fn) harness_test(#fn, fn)
void harness_test(const char *name, void (*fn)(void));

/*
 * The recorder of a sim_run child's tasks (warm-up 0; ids of processes, files
 * and cgroups below 8): its records can be checked in @verify, and @setup may
 * change its warmup_ns.
 */
extern struct recorder harness_rec;

/* Spawns a task with a record context (group 0) in a sim_run setup. */
struct task *sim_spawn(struct engine *e, const char *name, void (*main)(struct task *), void *data);

/*
 * Runs a simulation until @end_ns in a child: @setup spawns the tasks, @verify
 * (in the child, after the run) checks what they recorded. Returns the number
 * of failed checks.
 */
int sim_run(void (*setup)(struct engine *e), void (*verify)(void), sim_ns end_ns);
/* The same with an engine configuration of the caller's (look-ahead off, native mode). */
int sim_run_cfg(void (*setup)(struct engine *e), void (*verify)(void),
                const struct engine_config *config);

/*
 * sim_run() for a TEST(): adds the simulation's own failed checks to
 * harness_failures. (The child inherits the parent's count at the fork, so
 * "harness_failures += sim_run(...)" also counts again the failures of the
 * cases run before it.)
 */
void sim_check(void (*setup)(struct engine *e), void (*verify)(void), sim_ns end_ns);

#endif
