/* harness.c - see harness.h. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/harness.h"

int harness_failures;

/* Ids the tests' models may use: process, file (inode) and cgroup ids below 8. */
static const struct recorder_shape harness_shape = {
	.nr_groups = 1, .nr_mms = 8, .nr_files = 8, .nr_memcgs = 8
};

struct recorder harness_rec;
static struct record_ctx harness_ctx = { .rec = &harness_rec, .group = 0, .thread = -1 };

void harness_test(const char *name, void (*fn)(void))
{
	int before = harness_failures;

	fn();
	if (harness_failures == before)
		printf("ok %s\n", name);
	else
		printf("FAIL %s: %d failed checks\n", name, harness_failures - before);
	fflush(stdout);
}

struct task *sim_spawn(struct engine *e, const char *name, void (*main)(struct task *), void *data)
{
	static unsigned long seed = 1;

	return engine_spawn(e, name, main, data, seed++, true, &harness_ctx);
}

int sim_run(void (*setup)(struct engine *e), void (*verify)(void), sim_ns end_ns)
{
	struct engine_config cfg = { .end_ns = end_ns, .lookahead = true, .stack_kb = 128 };

	return sim_run_cfg(setup, verify, &cfg);
}

int sim_run_cfg(void (*setup)(struct engine *e), void (*verify)(void),
                const struct engine_config *config)
{
	struct engine_config cfg = *config;
	sim_ns end_ns = cfg.end_ns;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct engine *e;

		harness_failures = 0; /* report the child's own failures, not the parent's */
		recorder_init(&harness_rec, &harness_shape, 0, end_ns);
		e = engine_new(&cfg);
		setup(e);
		engine_run(e);
		recorder_totals(&harness_rec);
		verify();
		engine_free(e);
		recorder_release(&harness_rec);
		fflush(stdout);
		_exit(harness_failures > 255 ? 255 : harness_failures);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	if (!WIFEXITED(status)) {
		printf("  simulation child died (signal %d)\n", WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}

void sim_check(void (*setup)(struct engine *e), void (*verify)(void), sim_ns end_ns)
{
	harness_failures += sim_run(setup, verify, end_ns);
}
