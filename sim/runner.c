/*
 * runner.c - builds the simulated machine of a point, runs it on the engine,
 * and hands the records to the output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/thread.h"
#include "sim/engine.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/runner.h"
#include "sim/util.h"

/* A distinct, reproducible seed per random stream (splitmix64 of both). */
static unsigned long stream_seed(unsigned long seed, unsigned stream)
{
	uint64_t z = seed * 0x9E3779B97F4A7C15ULL + (stream + 1) * 0xD1B54A32D192ED03ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned long)(z & 0xffffffffUL) | 1;
}

/* What a point's run owns. */
struct world {
	struct kernel k;
	struct mm *mms;             /* owned, one per process */
	struct thread *threads;     /* owned */
	struct record_ctx *ctxs;    /* owned, one per thread group, plus the devices' */
	unsigned nr_threads;
};

static unsigned world_thread_count(const struct scenario *s)
{
	unsigned n = 0;

	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			n += s->procs[p].groups[g].count;
	return n;
}

static int world_build(struct world *w, const struct scenario *s, struct recorder *rec)
{
	unsigned g = 0, t = 0;

	memset(w, 0, sizeof(*w));
	if (kernel_init(&w->k, &s->features, &s->machine, &s->disk))
		return -1;
	w->mms = xcalloc(s->nr_procs, sizeof(*w->mms));
	w->nr_threads = world_thread_count(s);
	w->threads = xcalloc(w->nr_threads, sizeof(*w->threads));
	w->ctxs = xcalloc(s->nr_groups + 1, sizeof(*w->ctxs));
	for (unsigned p = 0; p < s->nr_procs; p++) {
		const struct process_config *pc = &s->procs[p];

		if (mm_init(&w->mms[p], &w->k, (int)p, pc->maps, pc->nr_maps))
			return -1;
		for (unsigned i = 0; i < pc->nr_groups; i++, g++) {
			w->ctxs[g] = (struct record_ctx){ .rec = rec, .group = (int)g };
			for (unsigned c = 0; c < pc->groups[i].count; c++, t++)
				w->threads[t] = (struct thread){ .k = &w->k, .mm = &w->mms[p],
								 .group = &pc->groups[i] };
		}
	}
	w->ctxs[g] = (struct record_ctx){ .rec = rec, .group = -1 };
	return 0;
}

static void world_release(struct world *w, const struct scenario *s)
{
	for (unsigned p = 0; p < s->nr_procs && w->mms; p++)
		mm_release(&w->mms[p]);
	kernel_release(&w->k);
	free(w->mms);
	free(w->threads);
	free(w->ctxs);
}

/* Threads start in scenario order (ties at t = 0 go to the first); the disk last. */
static void world_spawn(struct world *w, const struct scenario *s, struct engine *e)
{
	unsigned t = 0, g = 0;

	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++, g++) {
			const struct thread_group_config *grp = &s->procs[p].groups[i];

			for (unsigned c = 0; c < grp->count; c++, t++) {
				char name[48];

				snprintf(name, sizeof(name), "%s.%u", grp->name, c);
				engine_spawn(e, name, thread_main, &w->threads[t],
					     stream_seed(s->seed, t), true, &w->ctxs[g]);
			}
		}
	}
	engine_spawn(e, "disk", disk_main, &w->k.disk, stream_seed(s->seed, t), false, &w->ctxs[g]);
}

int runner_point(const struct scenario_set *set, const struct scenario *s, const char *dir,
		 const struct run_options *opt)
{
	struct engine_config ec = {
		.end_ns = (sim_ns)(s->duration_s * 1e9 + 0.5),
		.cpus = s->machine.cpus,
		.lookahead = !opt->no_lookahead,
		.stack_kb = opt->stack_kb,
	};
	struct recorder rec;
	struct world w;
	struct engine *e;
	int rc = -1;

	recorder_init(&rec, s->nr_groups, s->nr_procs, (sim_ns)(s->warmup_s * 1e9 + 0.5), ec.end_ns);
	if (world_build(&w, s, &rec) == 0 && (e = engine_new(&ec))) {
		world_spawn(&w, s, e);
		if (engine_run(e) == 0) {
			recorder_finish(&rec);
			rc = output_point(dir, set, s, &rec, engine_events(e));
		}
		engine_free(e);
	}
	world_release(&w, s);
	recorder_release(&rec);
	return rc;
}

/* Runs a point in a child process; 0 if it wrote its results. */
static int runner_fork_point(const struct scenario_set *set, const struct scenario *s,
			     const struct run_options *opt)
{
	char *dir = xasprintf("%s/points/%s", opt->out, s->id);
	pid_t pid;
	int status = 0;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(runner_point(set, s, dir, opt) ? 1 : 0);
	free(dir);
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("mmsim: cannot run a point");
		return -1;
	}
	if (WIFSIGNALED(status))
		fprintf(stderr, "mmsim: point %s died with signal %d\n", s->id, WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void runner_print_header(const struct scenario_set *set, const struct scenario *s)
{
	printf("%-12s", "point");
	for (unsigned a = 0; a < set->nr_axes; a++)
		printf(" %16s", set->axes[a]);
	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			printf(" %10s/s", s->procs[p].groups[g].name);
	printf(" %14s %14s %14s\n", "rd_hold_us", "wr_wait_us", "wr_wait_p99_us");
}

static void runner_print_row(const struct scenario_set *set, const struct scenario *s,
			     json_t *m)
{
	printf("%-12s", s->id);
	for (unsigned a = 0; a < set->nr_axes; a++) {
		char *v = json_dumps(json_object_get(s->swept, set->axes[a]),
				     JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));

		printf(" %16s", v);
		free(v);
	}
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++) {
			char *path = xasprintf("threads.%s.ops_per_s", s->procs[p].groups[g].name);

			printf(" %12.3f", json_real_value(json_dotted_get(m, path)));
			free(path);
		}
	}
	printf(" %14.3f %14.3f %14.3f\n",
	       json_real_value(json_dotted_get(m, "mmap_sem.read.hold_us.mean")),
	       json_real_value(json_dotted_get(m, "mmap_sem.write.wait_us.mean")),
	       json_real_value(json_dotted_get(m, "mmap_sem.write.wait_us.p99")));
}

static void runner_print_point(const struct scenario_set *set, const struct scenario *s,
			       const char *out)
{
	char *path = xasprintf("%s/points/%s/results.json", out, s->id);
	json_t *r = json_load_file(path, 0, NULL);

	if (r)
		runner_print_row(set, s, json_object_get(r, "metrics"));
	fflush(stdout);
	json_decref(r);
	free(path);
}

int runner_run(const struct scenario_set *set, const struct run_options *opt)
{
	int failed = 0;

	if (mkdir_p(opt->out)) {
		fprintf(stderr, "mmsim: cannot create %s: %s\n", opt->out, strerror(errno));
		return 1;
	}
	if (!opt->quiet)
		runner_print_header(set, &set->points[0]);
	for (unsigned i = 0; i < set->nr_points; i++) {
		if (runner_fork_point(set, &set->points[i], opt)) {
			fprintf(stderr, "mmsim: point %s failed\n", set->points[i].id);
			failed++;
		} else if (!opt->quiet) {
			runner_print_point(set, &set->points[i], opt->out);
		}
	}
	if (output_summary(opt->out, set))
		return 1;
	return failed ? 1 : 0;
}
