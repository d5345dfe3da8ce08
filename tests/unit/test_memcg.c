/*
 * test_memcg.c - the memcg charge (docs/kernel-model.md#memcg): immediate under the limit,
 * reclaim attempts at reclaim_us each, the OOM kill, the OOM wait ended by an
 * uncharge or by oom_wait_timeout_ms, and the counters; then the engine's
 * task_block_timeout() on its own. Constant times, so every instant is exact.
 * Then the charge in the fault path, on a small machine built as the runner
 * builds it: where the fault waits for a memcg OOM (inside the charge before
 * 3.12, at the end of the fault holding nothing from 3.12; 4.19 kills inside
 * the charge again), and the page-cache pages a task reads, charged to its
 * cgroup, uncharged when evicted, and reclaimed by the cgroup's reclaim.
 * Each case runs three times: heap mode with and without look-ahead, and
 * native mode (CPU costs as SimGrid executions on more cores than tasks).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/fault.h"
#include "models/memcg.h"
#include "tests/unit/cgworld.h"
#include "tests/unit/harness.h"

#define R (100 * NS_PER_US) /* reclaim_us = 100 */
#define W 7000              /* wake-up latency of OOM waiters */
#define AFTER (10 * NS_PER_MS)
#define END (100 * NS_PER_MS)

/* ---- running a case in each engine mode */

enum mode { MODE_LOOKAHEAD, MODE_NO_LOOKAHEAD, MODE_NATIVE, NR_MODES };
static const char *const mode_names[] = { "look-ahead", "no look-ahead", "native (cpus 16)" };
static enum mode mode;

/*
 * sim_run() with the engine configuration of @mode (the harness's is
 * look-ahead), recording into the harness's recorder (shaped as it does).
 */
static int run_mode(void (*setup)(struct engine *e), void (*verify)(void))
{
	struct engine_config cfg = { .end_ns = END,
		                     .lookahead = mode == MODE_LOOKAHEAD,
		                     .cpus = mode == MODE_NATIVE ? 16 : 0,
		                     .stack_kb = 128 };

	return sim_run_cfg(setup, verify, &cfg);
}

/* Runs the case in every mode, or in the two heap modes (ties are SimGrid's in native mode). */
static void check_modes(void (*setup)(struct engine *e), void (*verify)(void), bool native)
{
	for (mode = 0; mode < NR_MODES; mode++) {
		int failed;

		if (mode == MODE_NATIVE && !native)
			continue;
		failed = run_mode(setup, verify);
		if (failed)
			printf("  ... in mode %s\n", mode_names[mode]);
		harness_failures += failed;
	}
	mode = MODE_LOOKAHEAD;
}

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* ---- the cgroup and its tasks */

static struct memcg_config cfg;
static struct memcg cg;
static struct dist wakeup;

/* The OOM killer of the tests: each of @victims frees @victim_pages. */
static unsigned victims, victim_pages, kill_calls;
static sim_ns kill_at;
static bool kill_args_ok;

static bool test_kill(struct memcg *c, struct task *killer, void *arg)
{
	kill_calls++;
	kill_at = task_now(killer);
	kill_args_ok = c == &cg && arg == &victims;
	if (!victims)
		return false;
	victims--;
	memcg_uncharge(c, killer, victim_pages);
	return true;
}

/* A task charging (nr > 0) or uncharging (nr < 0) pages at @at. */
struct actor {
	sim_ns at;
	int nr;
	bool ok;      /* what the charge returned */
	sim_ns done;  /* when it returned */
	sim_ns after; /* AFTER later: a cancelled OOM deadline must not disturb it */
};

static struct actor actors[8];
static unsigned nr_actors;

static void actor_main(struct task *t)
{
	struct actor *a = task_data(t);

	task_sleep(t, a->at);
	if (a->nr > 0) {
		a->ok = memcg_charge(&cg, t, (unsigned)a->nr);
	} else {
		memcg_uncharge(&cg, t, (unsigned)-a->nr);
		a->ok = true;
	}
	a->done = task_now(t);
	task_sleep(t, AFTER);
	a->after = task_now(t);
	park(t);
}

static struct actor *actor(sim_ns at, int nr)
{
	struct actor *a = &actors[nr_actors++];

	*a = (struct actor){ .at = at, .nr = nr, .done = -1, .after = -1 };
	return a;
}

/*
 * A cgroup of @limit_pages holding @usage_pages (@reclaimable of them),
 * reclaim_us R, 5 retries of 32 pages; the killer kills when @killer.
 */
static void cg_setup(uint64_t limit, uint64_t usage, uint64_t reclaimable, bool killer)
{
	wakeup = dist_const(W, 1);
	cfg = (struct memcg_config){
		.name = "test",
		.limit_mb = (double)limit / 256,
		.usage_mb = (double)usage / 256,
		.reclaimable_mb = (double)reclaimable / 256,
		.reclaim_us = dist_const(100, NS_PER_US),
		.reclaim_retries = 5,
		.reclaim_pages = 32,
	};
	memcg_init(&cg, &cfg, 0, &wakeup, killer ? test_kill : NULL, &victims);
	nr_actors = 0;
	victims = victim_pages = kill_calls = 0;
	kill_at = -1;
	kill_args_ok = false;
}

static void spawn_actors(struct engine *e)
{
	for (unsigned i = 0; i < nr_actors; i++)
		sim_spawn(e, "actor", actor_main, &actors[i]);
}

static void check_counters(uint64_t charges, uint64_t reclaims, uint64_t kills, uint64_t waits,
                           uint64_t failed)
{
	CHECK_EQ(cg.charges, charges);
	CHECK_EQ(cg.reclaims, reclaims);
	CHECK_EQ(cg.oom_kills, kills);
	CHECK_EQ(cg.oom_waits, waits);
	CHECK_EQ(cg.failed, failed);
}

/*
 * The records (sim/metrics/memcg.c): one per charge of the actors, failed or not,
 * with its latency; @kills and @waits count the charges that killed, waited.
 */
static void check_records(uint64_t reclaims, uint64_t kills, uint64_t waits)
{
	const struct memcg_stats *m = &harness_rec.memcgs.cg[0];
	uint64_t n = 0, failed = 0;
	sim_ns min = INT64_MAX, max = -1;

	for (unsigned i = 0; i < nr_actors; i++) {
		sim_ns lat = actors[i].done - actors[i].at;

		if (actors[i].nr <= 0)
			continue;
		n++;
		failed += !actors[i].ok;
		min = lat < min ? lat : min;
		max = lat > max ? lat : max;
	}
	CHECK_EQ(m->charges, n);
	CHECK_EQ(m->failed, failed);
	CHECK_EQ(m->reclaims, reclaims);
	CHECK_EQ(m->oom_kills, kills);
	CHECK_EQ(m->oom_waits, waits);
	CHECK_EQ(m->latency.count, n);
	CHECK_EQ(m->latency.min_ns, min);
	CHECK_EQ(m->latency.max_ns, max);
}

/* ---- the configuration */

static void init_converts_mb_to_pages(void)
{
	struct memcg_config c = { .limit_mb = 64, .usage_mb = 48, .reclaimable_mb = 4 };
	struct memcg m;

	memcg_init(&m, &c, 3, &wakeup, NULL, NULL);
	CHECK_EQ(m.id, 3);
	CHECK_EQ(m.limit_pages, 64 * 256);
	CHECK_EQ(m.usage_pages, 48 * 256);
	CHECK_EQ(m.reclaimable_pages, 4 * 256);
	CHECK(m.oom_head == NULL && m.oom_tail == NULL);
	CHECK_EQ(m.charges + m.reclaims + m.oom_kills + m.oom_waits + m.failed, 0);
	/* only charged memory is reclaimable */
	c.reclaimable_mb = 60;
	memcg_init(&m, &c, 0, &wakeup, NULL, NULL);
	CHECK_EQ(m.reclaimable_pages, 48 * 256);
	/* no task can be waiting yet: an uncharge without a task is fine, and stops at 0 */
	memcg_uncharge(&m, NULL, 100);
	CHECK_EQ(m.usage_pages, 48 * 256 - 100);
	memcg_uncharge(&m, NULL, 1 << 20);
	CHECK_EQ(m.usage_pages, 0);
	CHECK_EQ(m.reclaimable_pages, 0);
}

static void params_table_has_the_config_keys(void)
{
	static const char *const keys[] = {
		"limit_mb",   "usage_mb",         "reclaimable_mb",
		"reclaim_us", "reclaim_retries",  "reclaim_pages",
		"swap_anon",  "oom_kill_disable", "oom_wait_timeout_ms"
	};
	unsigned n = 0;

	for (const struct param *p = memcg_params; p->key; p++, n++) {
		CHECK(n < 9 && strcmp(p->key, keys[n]) == 0);
		CHECK(p->min <= p->max);
		CHECK((p->def == NULL) == (strcmp(p->key, "limit_mb") == 0));
	}
	CHECK_EQ(n, 9);
}

/* ---- under the limit: at once */

static void immediate_setup(struct engine *e)
{
	cg_setup(256, 128, 128, true);
	actor(1000, 1);
	actor(2000, 127); /* exactly up to the limit */
	spawn_actors(e);
}

static void immediate_verify(void)
{
	CHECK(actors[0].ok && actors[1].ok);
	CHECK_EQ(actors[0].done, 1000);
	CHECK_EQ(actors[1].done, 2000);
	CHECK_EQ(cg.usage_pages, 256);
	CHECK_EQ(cg.reclaimable_pages, 128); /* nothing reclaimed */
	CHECK_EQ(kill_calls, 0);
	check_counters(2, 0, 0, 0, 0);
	check_records(0, 0, 0);
}

static void charge_under_limit_is_immediate(void)
{
	check_modes(immediate_setup, immediate_verify, true);
}

/* ---- at the limit: reclaim, R per attempt, 32 pages each */

static void reclaim_setup(struct engine *e)
{
	cg_setup(256, 256, 128, true);
	actor(0, 40);            /* needs 2 attempts: 64 pages */
	actor(NS_PER_MS, 24);    /* the 24 left over: fits, no reclaim */
	actor(2 * NS_PER_MS, 1); /* one attempt more */
	spawn_actors(e);
}

static void reclaim_verify(void)
{
	CHECK(actors[0].ok && actors[1].ok && actors[2].ok);
	CHECK_EQ(actors[0].done, 2 * R);
	CHECK_EQ(actors[1].done, NS_PER_MS);
	CHECK_EQ(actors[2].done, 2 * NS_PER_MS + R);
	CHECK_EQ(cg.usage_pages, 256 - 64 + 40 + 24 - 32 + 1);
	CHECK_EQ(cg.reclaimable_pages, 128 - 64 - 32);
	CHECK_EQ(kill_calls, 0);
	check_counters(3, 3, 0, 0, 0);
	check_records(3, 0, 0);
}

static void charge_at_limit_reclaims_k_attempts(void)
{
	check_modes(reclaim_setup, reclaim_verify, true);
}

/* ---- out of memory: the killer */

static void kill_setup(struct engine *e)
{
	cg_setup(256, 256, 16, true);
	cfg.reclaim_retries = 3;
	victims = 1;
	victim_pages = 64;
	actor(1000, 20); /* the first attempt frees 16, then nothing: OOM after 3 */
	spawn_actors(e);
}

static void kill_verify(void)
{
	CHECK(actors[0].ok);
	CHECK_EQ(actors[0].done, 1000 + 3 * R);
	CHECK_EQ(kill_calls, 1);
	CHECK_EQ(kill_at, 1000 + 3 * R);
	CHECK(kill_args_ok);
	CHECK_EQ(cg.usage_pages, 256 - 16 - 64 + 20);
	check_counters(1, 3, 1, 0, 0);
	check_records(3, 1, 0);
}

static void oom_kills_a_victim_then_charges(void)
{
	check_modes(kill_setup, kill_verify, true);
}

static void no_victim_setup(struct engine *e)
{
	cg_setup(256, 256, 0, true);
	actor(0, 1);
	actor(NS_PER_MS, 1);
	spawn_actors(e);
}

static void no_victim_verify(void)
{
	CHECK(!actors[0].ok && !actors[1].ok);
	CHECK_EQ(actors[0].done, 5 * R);
	CHECK_EQ(actors[1].done, NS_PER_MS + 5 * R);
	CHECK_EQ(kill_calls, 2);
	CHECK_EQ(cg.usage_pages, 256);
	check_counters(0, 10, 0, 0, 2);
	check_records(10, 0, 0);
}

static void oom_without_victim_fails(void)
{
	check_modes(no_victim_setup, no_victim_verify, true);
}

/* A kill that frees nothing must not loop: the charge fails after one. */
static void futile_kill_setup(struct engine *e)
{
	cg_setup(256, 256, 0, true);
	victims = 5;
	victim_pages = 0;
	actor(0, 1);
	spawn_actors(e);
}

static void futile_kill_verify(void)
{
	CHECK(!actors[0].ok);
	CHECK_EQ(actors[0].done, 5 * R);
	CHECK_EQ(kill_calls, 1);
	check_counters(0, 5, 1, 0, 1);
	check_records(5, 1, 0);
}

static void oom_kill_freeing_nothing_fails(void)
{
	check_modes(futile_kill_setup, futile_kill_verify, true);
}

/* A charge larger than the limit: every victim goes, then it fails. */
static void too_big_setup(struct engine *e)
{
	cg_setup(256, 200, 0, true);
	victims = 2;
	victim_pages = 100;
	actor(0, 300);
	spawn_actors(e);
}

static void too_big_verify(void)
{
	CHECK(!actors[0].ok);
	CHECK_EQ(actors[0].done, 3 * 5 * R);
	CHECK_EQ(kill_calls, 3);
	CHECK_EQ(cg.usage_pages, 0);
	check_counters(0, 15, 2, 0, 1);
	check_records(15, 1, 0);
}

static void charge_over_limit_kills_all_then_fails(void)
{
	check_modes(too_big_setup, too_big_verify, true);
}

/* ---- out of memory with oom_kill_disable: wait for an uncharge */

#define T1 (2 * NS_PER_MS)
#define T2 (5 * NS_PER_MS)

static void wait_setup(struct engine *e)
{
	cg_setup(256, 256, 0, true);
	cfg.oom_kill_disable = true;
	victims = 1; /* there is one, but the killer is off */
	victim_pages = 64;
	actor(0, 1);
	actor(T1, -1);
	spawn_actors(e);
}

static void wait_verify(void)
{
	CHECK(actors[0].ok);
	CHECK_EQ(actors[0].done, T1 + W);
	CHECK_EQ(actors[0].after, T1 + W + AFTER);
	CHECK_EQ(actors[1].done, T1);
	CHECK_EQ(kill_calls, 0);
	CHECK_EQ(cg.usage_pages, 256);
	CHECK(cg.oom_head == NULL && cg.oom_tail == NULL);
	check_counters(1, 5, 0, 1, 0);
	check_records(5, 0, 1);
}

static void oom_disabled_waits_for_uncharge(void)
{
	check_modes(wait_setup, wait_verify, true);
}

/*
 * Three waiters, one page freed at T1: all wake at T1 + W, the first to run
 * takes the page, the others reclaim in vain and wait again until T2 frees 2.
 * No killer at all: the chargers wait as with oom_kill_disable.
 */
static void waiters_setup(struct engine *e)
{
	cg_setup(256, 256, 0, false);
	actor(0, 1);
	actor(1, 1);
	actor(2, 1);
	actor(T1, -1);
	actor(T2, -2);
	spawn_actors(e);
}

static void waiters_verify(void)
{
	unsigned first = 0;

	for (int i = 0; i < 3; i++) {
		CHECK(actors[i].ok);
		CHECK(actors[i].done == T1 + W || actors[i].done == T2 + W);
		first += actors[i].done == T1 + W;
	}
	CHECK_EQ(first, 1);
	/* the heap runs the tie in task order; SimGrid in its own */
	if (mode != MODE_NATIVE)
		CHECK_EQ(actors[0].done, T1 + W);
	CHECK_EQ(cg.usage_pages, 256);
	CHECK(cg.oom_head == NULL);
	check_counters(3, 3 * 5 + 2 * 5, 0, 3 + 2, 0);
	check_records(25, 0, 3);
}

static void every_oom_waiter_is_woken(void)
{
	check_modes(waiters_setup, waiters_verify, true);
}

/* ---- oom_wait_timeout_ms */

#define TIMEOUT (3 * NS_PER_MS)

static void timeout_common(void)
{
	cg_setup(256, 256, 0, true);
	cfg.oom_kill_disable = true;
	cfg.oom_wait_timeout_ms = 3;
}

static void timeout_setup(struct engine *e)
{
	timeout_common();
	actor(0, 1);
	actor(10 * NS_PER_MS, -1); /* nobody waits any more */
	actor(11 * NS_PER_MS, 1);
	spawn_actors(e);
}

static void timeout_verify(void)
{
	CHECK(!actors[0].ok);
	CHECK_EQ(actors[0].done, 5 * R + TIMEOUT);
	CHECK_EQ(actors[0].after, 5 * R + TIMEOUT + AFTER);
	CHECK(actors[2].ok);
	CHECK_EQ(actors[2].done, 11 * NS_PER_MS);
	CHECK(cg.oom_head == NULL && cg.oom_tail == NULL);
	check_counters(1, 5, 0, 1, 1);
	check_records(5, 0, 1);
}

static void oom_wait_times_out_at_deadline(void)
{
	check_modes(timeout_setup, timeout_verify, true);
}

/* A wake that does not make room: the deadline stays the first wait's. */
static void timeout_rewait_setup(struct engine *e)
{
	timeout_common();
	actor(0, 2);
	actor(NS_PER_MS, -1);
	spawn_actors(e);
}

static void timeout_rewait_verify(void)
{
	CHECK(!actors[0].ok);
	CHECK_EQ(actors[0].done, 5 * R + TIMEOUT);
	CHECK_EQ(cg.usage_pages, 255);
	CHECK(cg.oom_head == NULL);
	check_counters(0, 10, 0, 2, 1);
	check_records(10, 0, 1);
}

static void oom_wait_timeout_spans_rewaits(void)
{
	check_modes(timeout_rewait_setup, timeout_rewait_verify, true);
}

/*
 * Woken before the deadline (5R + 3 ms): charged, and the deadline is gone.
 * The first wake finds no room (another charge took the page first).
 */
#define T3 (3 * NS_PER_MS)

static void timeout_woken_setup(struct engine *e)
{
	timeout_common();
	actor(0, 1);
	actor(T1, -1);
	actor(T1 + 1, 1); /* between the wake and the waiter running: takes the page */
	actor(T3, -1);
	spawn_actors(e);
}

static void timeout_woken_verify(void)
{
	CHECK(actors[0].ok && actors[2].ok);
	CHECK_EQ(actors[2].done, T1 + 1);
	/* woken at T1 + W, no room, reclaims, waits again until T3 */
	CHECK_EQ(actors[0].done, T3 + W);
	CHECK_EQ(actors[0].after, T3 + W + AFTER);
	CHECK(cg.oom_head == NULL);
	check_counters(2, 10, 0, 2, 0);
	check_records(10, 0, 1);
}

static void oom_wait_woken_before_deadline(void)
{
	check_modes(timeout_woken_setup, timeout_woken_verify, true);
}

/* ---- the engine: task_block_timeout */

/* A task blocked with a timeout, and what it saw. */
struct sleeper {
	sim_ns at, timeout;
	struct task *task;
	bool waiting; /* its "wait queue": a waker wakes it only while set */
	bool ret;
	sim_ns done, after;
	unsigned progress; /* the CPU worker's progress when it returned */
};

/* Wakes its sleeper (latency W) at @first + @second, if it still waits. */
struct waker {
	sim_ns first, second;
	struct sleeper *s;
	bool woke;
};

static struct sleeper sl[4];
static struct waker wk[4];
static unsigned progress;

static void sleeper_main(struct task *t)
{
	struct sleeper *s = task_data(t);

	task_sleep(t, s->at);
	s->waiting = true;
	s->ret = task_block_timeout(t, s->timeout);
	s->waiting = false;
	s->done = task_now(t);
	s->progress = progress;
	task_sleep(t, AFTER);
	s->after = task_now(t);
	/* a second wait starts afresh: nobody wakes it */
	s->waiting = true;
	CHECK(!task_block_timeout(t, NS_PER_MS));
	s->waiting = false;
	CHECK_EQ(task_now(t), s->after + NS_PER_MS);
	CHECK(!task_block_timeout(t, 0)); /* no time: no wait */
	CHECK_EQ(task_now(t), s->after + NS_PER_MS);
	park(t);
}

static void waker_main(struct task *t)
{
	struct waker *w = task_data(t);

	task_sleep(t, w->first);
	task_sleep(t, w->second);
	if (w->s->waiting) {
		task_wake(t, w->s->task, W);
		w->woke = true;
	}
	park(t);
}

/* Spends CPU in 1 ms steps: a timed-out task must see it exactly where it is. */
static void worker_main(struct task *t)
{
	for (int i = 0; i < 10; i++) {
		task_cpu(t, NS_PER_MS);
		progress++;
	}
	park(t);
}

static void spawn_sleeper(struct engine *e, unsigned i, sim_ns at, sim_ns timeout)
{
	sl[i] = (struct sleeper){ .at = at, .timeout = timeout, .done = -1, .after = -1 };
	sl[i].task = sim_spawn(e, "sleeper", sleeper_main, &sl[i]);
}

static void spawn_waker(struct engine *e, unsigned i, sim_ns first, sim_ns second)
{
	wk[i] = (struct waker){ .first = first, .second = second, .s = &sl[i] };
	sim_spawn(e, "waker", waker_main, &wk[i]);
}

static void block_timeout_setup(struct engine *e)
{
	progress = 0;
	sim_spawn(e, "worker", worker_main, NULL);
	spawn_sleeper(e, 0, 1000, 2 * NS_PER_MS);
	spawn_sleeper(e, 1, 1000, 2 * NS_PER_MS);
	spawn_waker(e, 1, 1500 * NS_PER_US, 0);
}

static void block_timeout_verify(void)
{
	/* nobody wakes it: false at the deadline, with the worker 2 steps in */
	CHECK(!sl[0].ret);
	CHECK_EQ(sl[0].done, 1000 + 2 * NS_PER_MS);
	CHECK_EQ(sl[0].progress, 2);
	CHECK_EQ(sl[0].after, 1000 + 2 * NS_PER_MS + AFTER);
	/* woken: true at the wake + W; its old deadline never fires */
	CHECK(wk[1].woke && sl[1].ret);
	CHECK_EQ(sl[1].done, 1500 * NS_PER_US + W);
	CHECK_EQ(sl[1].progress, 1);
	CHECK_EQ(sl[1].after, 1500 * NS_PER_US + W + AFTER);
	CHECK_EQ(progress, 10);
}

static void block_timeout_deadline_or_wake(void)
{
	check_modes(block_timeout_setup, block_timeout_verify, true);
}

/*
 * Ties at the deadline D. In heap mode the order is (time, when scheduled,
 * id): a waker whose sleep to D was scheduled before the block wins (true at
 * D + W); one scheduled after it finds the sleeper gone (false at D). In
 * native mode SimGrid orders simultaneous events, and a wake may even come
 * after the timeout fired but before the sleeper ran: it must then count as
 * a wake, and its semaphore release must not end the next wait at once (the
 * sleeper's second, unwoken wait checks that). Pairs 2, 3 spawn the sleeper
 * first, 0, 1 the waker.
 */
#define D (1000 + NS_PER_MS)

static void tie_setup(struct engine *e)
{
	spawn_waker(e, 0, D, 0);
	spawn_sleeper(e, 0, 1000, NS_PER_MS);
	spawn_waker(e, 1, 2000, D - 2000);
	spawn_sleeper(e, 1, 1000, NS_PER_MS);
	spawn_sleeper(e, 2, 1000, NS_PER_MS);
	spawn_waker(e, 2, D, 0);
	spawn_sleeper(e, 3, 1000, NS_PER_MS);
	spawn_waker(e, 3, 2000, D - 2000);
}

static void tie_verify(void)
{
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(sl[i].ret, wk[i].woke);
		CHECK_EQ(sl[i].done, sl[i].ret ? D + W : D);
		CHECK_EQ(sl[i].after, sl[i].done + AFTER);
		if (mode != MODE_NATIVE)
			CHECK_EQ(sl[i].ret, i % 2 == 0);
	}
}

static void block_timeout_tie_at_deadline(void)
{
	check_modes(tie_setup, tie_verify, true);
}

/* ---- the fault's OOM (docs/kernel-model.md#memcg): in the charge, or at the end of the fault */

/*
 * The machine of tests/unit/cgworld.h: the cgroup is full (room 0 over
 * CGW_BASE pages charged at start) and its reclaim frees nothing (2
 * attempts of FR).
 */
#define FB (1 * NS_PER_US)   /* cpu_before_us */
#define FM (20 * NS_PER_US)  /* cpu_miss_us */
#define FA (2 * NS_PER_US)   /* cpu_after_us */
#define FC (3 * NS_PER_US)   /* cpu_copy_us */
#define FR (50 * NS_PER_US)  /* reclaim_us */
#define FE (40 * NS_PER_US)  /* exit cpu_us */
#define FH (100 * NS_PER_US) /* mmap hold_us */
#define FS (1 * NS_PER_MS)   /* disk service_ms */
#define F_LIBPG 5

static struct kernel_features feat;
static enum mapping_advice lib_advice = ADVICE_RANDOM; /* MADV_RANDOM: a miss reads one page */
static unsigned reclaim_pages;                         /* 0: cgworld's */

/*
 * @profile's features with memcg_oom @oom_rule (-1: the profile's); the lib
 * file (16 pages) cached when @cached; the cgroup allows @room pages over
 * CGW_BASE and kills (C holds 4 pages) unless @oom_kill_disable; a page
 * cache of @cache_pages.
 */
static void fworld(const char *profile, int oom_rule, bool cached, unsigned room,
                   bool oom_kill_disable, unsigned cache_pages)
{
	const struct kernel_profile *kp = kernel_profile_find(profile);
	struct cgworld_opts o = { .feat = &feat,
		                  .cached = cached,
		                  .advice = lib_advice,
		                  .room = room,
		                  .oom_kill_disable = oom_kill_disable,
		                  .page_cache_mb = (double)cache_pages / 256,
		                  .reclaim_pages = reclaim_pages };

	CHECK(kp != NULL);
	feat = kp ? kp->features : kernel_profiles[0].features;
	if (oom_rule >= 0)
		feat.memcg_oom = oom_rule;
	cgworld_init(&o);
	cgw_mms[CGW_C].charged = 4; /* part of usage_mb: what C's exit uncharges */
	cgw_script();
}

/* One thread of process @mm doing one thing at @at. */
static void fstep(sim_ns at, int act, int mm, int vma, uint64_t pgoff, bool write)
{
	cgw_step(cgw_actor(mm), at, act, vma, pgoff, write);
}

#define FEND(i) (CGW_ST(i, 0).end)

/*
 * A write-faults heap page 1 at 10: the charge reclaims in vain (2 FR) and
 * the cgroup (oom_kill_disable) is out of memory; another thread of A calls
 * mmap() at 1 ms (the write lock); C exits at 3 ms, uncharging 4 pages.
 */
#define F_T_MMAP (1 * NS_PER_MS)
#define F_T_EXIT (3 * NS_PER_MS)
#define F_T (F_T_EXIT + FE)            /* the uncharge */
#define F_FAIL (10 + FB + FM + 2 * FR) /* the charge is out of memory */

static const char *oom_profile;
static int oom_rule;

static void oom_wait_setup(struct engine *e)
{
	fworld(oom_profile, oom_rule, true, 0, true, 1024);
	fstep(10, CGW_FAULT, CGW_A, CGW_HEAP, 1, true);
	fstep(F_T_MMAP, CGW_MMAP, CGW_A, 0, 0, false);
	fstep(F_T_EXIT, CGW_EXIT, CGW_C, 0, 0, false);
	cgw_spawn(e);
}

/* Before 3.12: the charge sleeps inside the fault, mmap_sem held; mmap() waits for it. */
static void oom_wait_in_charge_verify(void)
{
	const struct memcg_stats *m = &cgw_rec->memcgs.cg[0];

	CHECK_EQ(FEND(2), F_T);
	CHECK_EQ(FEND(0), F_T + W + FA);
	CHECK_EQ(FEND(1), F_T + W + FA + W + FH); /* handed over by the fault's up_read */
	CHECK_EQ(cgw_rec->locks.mm[CGW_A].hold[LOCK_READ].max_ns, F_T + W + FA - 10);
	CHECK_EQ(cgw_rec->locks.mm[CGW_A].wait[LOCK_WRITE].max_ns, F_T + W + FA + W - F_T_MMAP);
	CHECK_EQ(cgw_rec->faults.all.minor, 1);
	CHECK_EQ(m->charges, 1);
	CHECK_EQ(m->oom_waits, 1);
	CHECK_EQ(m->failed, 0);
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE - 4 + 1);
	CHECK_EQ(cgw_mms[CGW_A].charged, 1);
}

/*
 * 3.12 (and 4.19 with oom_kill_disable): the charge fails at F_FAIL, the
 * fault returns VM_FAULT_OOM and releases mmap_sem, then sleeps in
 * mem_cgroup_oom_synchronize: mmap() takes the write lock at once. The
 * uncharge wakes the fault, which runs again and charges.
 */
static void oom_wait_unwind_verify(void)
{
	const struct memcg_stats *m = &cgw_rec->memcgs.cg[0];

	CHECK_EQ(FEND(2), F_T);
	CHECK_EQ(FEND(1), F_T_MMAP + FH);
	CHECK_EQ(FEND(0), F_T + W + FB + FM + FA);
	CHECK_EQ(cgw_rec->locks.mm[CGW_A].hold[LOCK_READ].max_ns, FB + FM + 2 * FR);
	CHECK_EQ(cgw_rec->locks.mm[CGW_A].wait[LOCK_WRITE].max_ns, 0);
	CHECK_EQ(cgw_rec->faults.all.minor, 2); /* the unwound fault and the one run again */
	CHECK_EQ(m->charges, 2); /* the failed one (with its OOM wait) and the retry */
	CHECK_EQ(m->oom_waits, 1);
	CHECK_EQ(m->failed, 1);
	CHECK_EQ(m->latency.max_ns, F_T + W - (10 + FB + FM));
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE - 4 + 1);
	CHECK_EQ(cgw_mms[CGW_A].charged, 1);
}

static void oom_wait_holds_mmap_sem_before_3_12(void)
{
	oom_profile = "3.10";
	oom_rule = -1;
	sim_check(oom_wait_setup, oom_wait_in_charge_verify, END);
}

static void oom_wait_releases_mmap_sem_from_3_12(void)
{
	oom_profile = "3.12";
	oom_rule = -1;
	sim_check(oom_wait_setup, oom_wait_unwind_verify, END);
	oom_profile = "4.19"; /* oom_kill_disable: still unwinds */
	sim_check(oom_wait_setup, oom_wait_unwind_verify, END);
	oom_profile = "5.11";
	sim_check(oom_wait_setup, oom_wait_unwind_verify, END);
}

/*
 * The killer on: C (4 pages) is the victim. 3.10 and 4.19 kill inside the
 * charge and the fault goes on; 3.12 fails the charge, the fault unwinds,
 * kills in mem_cgroup_oom_synchronize and runs again.
 */
static void oom_kill_setup(struct engine *e)
{
	fworld(oom_profile, -1, true, 0, false, 1024);
	fstep(10, CGW_FAULT, CGW_A, CGW_HEAP, 1, true);
	cgw_spawn(e);
}

static void oom_kill_in_charge_verify(void)
{
	CHECK_EQ(FEND(0), F_FAIL + FA);
	CHECK_EQ(cgw_rec->faults.all.minor, 1);
	CHECK_EQ(cgw_rec->memcgs.cg[0].charges, 1);
	CHECK_EQ(cgw_rec->memcgs.cg[0].oom_kills, 1);
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE - 4 + 1);
	CHECK_EQ(cgw_mms[CGW_C].charged, 0);
}

static void oom_kill_unwind_verify(void)
{
	CHECK_EQ(FEND(0), F_FAIL + FB + FM + FA);
	CHECK_EQ(cgw_rec->faults.all.minor, 2);
	CHECK_EQ(cgw_rec->memcgs.cg[0].charges, 2);
	CHECK_EQ(cgw_rec->memcgs.cg[0].oom_kills, 1);
	CHECK_EQ(cgw_rec->memcgs.cg[0].failed, 1);
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE - 4 + 1);
	CHECK_EQ(cgw_mms[CGW_C].charged, 0);
}

static void oom_kill_after_the_fault_in_3_12_only(void)
{
	oom_profile = "3.10";
	sim_check(oom_kill_setup, oom_kill_in_charge_verify, END);
	oom_profile = "3.12";
	sim_check(oom_kill_setup, oom_kill_unwind_verify, END);
	oom_profile = "4.19";
	sim_check(oom_kill_setup, oom_kill_in_charge_verify, END);
}

/*
 * Seed 003's story with the unwind: 2.6.39 (COW charged under the page
 * lock) with memcg_oom unwind. A write-faults F_LIBPG at 10: its COW charge
 * fails under the page lock; B read-faults the page at 1 ms. in_charge: B
 * waits for the lock until the uncharge; unwind: the lock was released with
 * the failed charge, B maps the page at once.
 */
static void cow_oom_setup(struct engine *e)
{
	fworld("2.6.39", oom_rule, true, 0, true, 1024);
	fstep(10, CGW_FAULT, CGW_A, CGW_LIB, F_LIBPG, true);
	fstep(F_T_MMAP, CGW_FAULT, CGW_B, 0, F_LIBPG, false);
	fstep(F_T_EXIT, CGW_EXIT, CGW_C, 0, 0, false);
	cgw_spawn(e);
}

static void cow_oom_in_charge_verify(void)
{
	/* the charge, then the copy (FC), under the page lock */
	CHECK_EQ(FEND(0), F_T + W + FC + FA);
	/* lock_page_or_retry: B waits without mmap_sem, then its retry pass */
	CHECK_EQ(FEND(1), F_T + W + FC + FA + W + FB + FA);
	CHECK_EQ(recorder_file_locks(cgw_rec, 0)->hold.max_ns, F_T + W + FC + FA - (10 + FB));
}

static void cow_oom_unwind_verify(void)
{
	CHECK_EQ(FEND(1), F_T_MMAP + FB + FA);
	CHECK_EQ(FEND(0), F_T + W + FB + FC + FA);
	/* the failed pass: two reclaims, no copy, cpu_after_us */
	CHECK_EQ(recorder_file_locks(cgw_rec, 0)->hold.max_ns, 2 * FR + FA);
}

static void cow_oom_releases_the_page_lock_with_unwind(void)
{
	oom_rule = MEMCG_OOM_IN_CHARGE;
	sim_check(cow_oom_setup, cow_oom_in_charge_verify, END);
	oom_rule = MEMCG_OOM_UNWIND;
	sim_check(cow_oom_setup, cow_oom_unwind_verify, END);
}

/* ---- page-cache pages charged (docs/kernel-model.md#memcg) */

/*
 * A (room 8) read-faults uncached lib pages 0, 1, 2 one after the other
 * (MADV_RANDOM: one page each, 1 ms reads): each is charged to A's cgroup
 * when added to the page cache. With a page cache of 2 pages, adding page 2
 * evicts page 0, which is uncharged.
 */
#define F_READ (FB + FM + FS + W + FA) /* one read fault, 2.6.36 */

static unsigned cache_room, cache_size;

static void cache_read_setup(struct engine *e)
{
	fworld("2.6.36", -1, false, cache_room, true, cache_size);
	for (unsigned i = 0; i < 3; i++)
		fstep(10 + i * 2 * NS_PER_MS, CGW_FAULT, CGW_A, CGW_LIB, i, false);
	cgw_spawn(e);
}

static void cache_read_charged_verify(void)
{
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(FEND(i), 10 + i * 2 * NS_PER_MS + F_READ);
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE + 3);
	CHECK_EQ(cgw_cg->cache_pages, 3);
	CHECK_EQ(cgw_cg->charges, 3);
	CHECK_EQ(cgw_mms[CGW_A].charged, 0); /* page cache: not the process's (an exit leaves it) */
}

static void cache_evict_uncharges_verify(void)
{
	CHECK(!page_cached(&cgw_k.pc, &cgw_k.files[0]->inode, 0));
	CHECK(page_cached(&cgw_k.pc, &cgw_k.files[0]->inode, 2));
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE + 2);
	CHECK_EQ(cgw_cg->cache_pages, 2);
	CHECK_EQ(cgw_cg->charges, 3);
}

static void page_cache_reads_are_charged(void)
{
	cache_room = 8;
	cache_size = 1024;
	sim_check(cache_read_setup, cache_read_charged_verify, END);
	cache_size = 2;
	sim_check(cache_read_setup, cache_evict_uncharges_verify, END);
}

/*
 * Room for 2 pages: the third read's charge reclaims (one page an attempt);
 * the pool is empty, so the reclaim evicts the cgroup's least recently used
 * page-cache page (page 0) and the charge succeeds after one attempt,
 * without an OOM.
 */
static void cache_reclaim_setup(struct engine *e)
{
	reclaim_pages = 1;
	cache_read_setup(e);
	reclaim_pages = 0;
}

static void cache_reclaim_verify(void)
{
	CHECK_EQ(FEND(2), 10 + 4 * NS_PER_MS + F_READ + FR);
	CHECK(!page_cached(&cgw_k.pc, &cgw_k.files[0]->inode, 0));
	CHECK(page_cached(&cgw_k.pc, &cgw_k.files[0]->inode, 1));
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE + 2);
	CHECK_EQ(cgw_cg->reclaims, 1);
	CHECK_EQ(cgw_cg->oom_waits, 0);
	CHECK_EQ(cgw_cg->cache_pages, 2);
}

static void memcg_reclaim_evicts_its_page_cache(void)
{
	cache_room = 2;
	cache_size = 1024;
	sim_check(cache_reclaim_setup, cache_reclaim_verify, END);
}

/*
 * Read-around (no advice): the window of 32 pages centred on page 8 is the
 * whole 16-page file, one request; every page of it is charged.
 */
static void readahead_setup(struct engine *e)
{
	lib_advice = ADVICE_NORMAL;
	fworld("2.6.36", -1, false, 32, true, 1024);
	lib_advice = ADVICE_RANDOM;
	fstep(10, CGW_FAULT, CGW_A, CGW_LIB, 8, false);
	cgw_spawn(e);
}

static void readahead_verify(void)
{
	CHECK_EQ(FEND(0), 10 + F_READ);
	CHECK_EQ(cgw_rec->devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE + 16);
	CHECK_EQ(cgw_cg->cache_pages, 16);
	CHECK_EQ(cgw_cg->charges, 16);
}

static void readahead_pages_are_charged(void)
{
	sim_check(readahead_setup, readahead_verify, END);
}

int main(void)
{
	TEST(init_converts_mb_to_pages);
	TEST(params_table_has_the_config_keys);
	TEST(charge_under_limit_is_immediate);
	TEST(charge_at_limit_reclaims_k_attempts);
	TEST(oom_kills_a_victim_then_charges);
	TEST(oom_without_victim_fails);
	TEST(oom_kill_freeing_nothing_fails);
	TEST(charge_over_limit_kills_all_then_fails);
	TEST(oom_disabled_waits_for_uncharge);
	TEST(every_oom_waiter_is_woken);
	TEST(oom_wait_times_out_at_deadline);
	TEST(oom_wait_timeout_spans_rewaits);
	TEST(oom_wait_woken_before_deadline);
	TEST(block_timeout_deadline_or_wake);
	TEST(block_timeout_tie_at_deadline);
	TEST(oom_wait_holds_mmap_sem_before_3_12);
	TEST(oom_wait_releases_mmap_sem_from_3_12);
	TEST(oom_kill_after_the_fault_in_3_12_only);
	TEST(cow_oom_releases_the_page_lock_with_unwind);
	TEST(page_cache_reads_are_charged);
	TEST(memcg_reclaim_evicts_its_page_cache);
	TEST(readahead_pages_are_charged);
	return harness_failures != 0;
}
