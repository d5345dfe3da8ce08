/*
 * engine.h - the simulated tasks and their clock: each task has its own
 * stack, switched to directly by the engine or run as a SimGrid actor.
 *
 * Two ways of advancing time, chosen per run:
 *
 * - machine.cpus unset (the default): the engine keeps every waiting task in a
 *   heap ordered by (time, time it was scheduled, task id) and hands control
 *   to the earliest one. With look-ahead on, a running task that is still the
 *   earliest keeps running: its delays cost no switch at all (conservative
 *   synchronisation: nobody else can act before it), and a switch goes
 *   straight from one task's stack to the next's, without SimGrid ("direct
 *   mode"; MMSIM_ENGINE_ACTORS=1 uses SimGrid actors instead). With
 *   look-ahead off, the tasks are SimGrid actors and every delay is also a
 *   SimGrid sleep, as in a plain actor model; both give identical results.
 * - machine.cpus set: CPU costs are SimGrid executions on a host with that
 *   many cores, sleeps are SimGrid sleeps, and SimGrid orders all events.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/env.h"

struct engine_config {
	sim_ns end_ns;     /* events after this instant are not processed */
	unsigned cpus;     /* 0: CPU costs are delays; else shared cores */
	bool lookahead;    /* run tasks ahead without SimGrid calls when safe */
	unsigned stack_kb; /* each task's stack size (direct mode or actor) */
};

/* One engine per process (SimGrid keeps a single simulation per process). */
struct engine *engine_new(const struct engine_config *cfg);
void engine_free(struct engine *e);

/*
 * A task that starts at time 0 running @main(task). @counted: its resumptions
 * count as events (threads do, devices do not). @owner is the caller's
 * context for the records (see task_owner).
 */
struct task *engine_spawn(struct engine *e, const char *name, void (*main)(struct task *),
                          void *data, unsigned long seed, bool counted, void *owner);

/* Runs the simulation to its end; 0, or -1 if it could not run. */
int engine_run(struct engine *e);

/* Thread resumptions processed (the seedbench's definition of an event). */
/* After the run: @fn(owner, since) for each task still blocked (on a lock, a page, memory). */
typedef void (*engine_blocked_fn)(void *owner, sim_ns since, void *arg);
void engine_foreach_blocked(const struct engine *e, engine_blocked_fn fn, void *arg);

uint64_t engine_events(const struct engine *e);

void *task_owner(const struct task *t);

#endif
