/*
 * pool.c - the worker pool of a run: the replications (and MSER-5 pilots) of
 * the selected points, each in a worker process, up to --jobs at once.
 *
 * Guide to the state: a point is UNSELECTED, SKIPPED (complete in OUT
 * already), ACTIVE, DONE or FAILED. An active point has started replications
 * 0..next-1; 0..need-1 are needed for sure. With "until", need grows one at a
 * time, decided in index order once replications 0..need-1 are all done, so
 * the number run never depends on which worker finished first; when nothing
 * needed is left to start, idle workers run replications need..max-1
 * speculatively, and those past the final count are killed and deleted.
 * Invariants: done[r] implies r < next; final is 0 or need; a DONE point's
 * results.json exists; only ACTIVE points have workers.
 *
 * Ctrl-C (SIGINT, SIGTERM) stops the loop: the workers (each in a process
 * group of its own, so the terminal's signal reaches only this process) are
 * killed and reaped, and the folders of the unfinished points removed.
 */
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/json_path.h"
#include "sim/output.h"
#include "sim/pool.h"
#include "sim/results.h"
#include "sim/util.h"

struct pool_point {
	const struct scenario *s; /* borrowed from the set */
	enum point_state state;
	bool pilot_started, pilot_done;
	sim_ns warmup_ns;       /* the fixed warmup_s, or the pilot's */
	unsigned need;          /* replications needed for sure */
	unsigned max;           /* at most (need, without until) */
	unsigned final;         /* the number run, once decided; else 0 */
	unsigned next;          /* replications started: 0..next-1 */
	bool *done;             /* owned, [max] */
	double *values;         /* owned, [max]: until's metric per replication */
	unsigned running;       /* its workers */
	double start_s, wall_s; /* first start; first start to the end */
	double work_s;          /* over its workers, discarded ones included */
	json_t *results;        /* owned: its results.json, verified once (DONE, SKIPPED) */
};

struct pool_worker {
	pid_t pid; /* 0: a free slot */
	unsigned point;
	int rep; /* -1: the pilot */
	int fd;  /* the pilot's pipe (read end); else -1 */
	double start_s;
};

struct pool {
	const struct scenario_set *set;       /* borrowed */
	const struct run_options *opt;        /* borrowed */
	const struct pool_listener *listener; /* borrowed; NULL: none */
	struct pool_point *pts;               /* owned, [set->nr_points] */
	struct pool_worker *workers;          /* owned, [opt->jobs] */
	unsigned told;                        /* points told to the listener, or not to tell */
	unsigned scan;                        /* no point before it has a needed item to start */
	bool any_until;                       /* a point may run speculative replications */
	double progress_s;                    /* when the progress line was last drawn */
	unsigned reps_done;                   /* replications finished in this run */
	double start_s;
	sigset_t orig_mask; /* the signal mask to restore, also in workers */
	bool progress_shown;
};

static volatile sig_atomic_t pool_stop; /* SIGINT or SIGTERM came */
/* SIGCHLD and SIGALRM (the progress line's clock) only end the wait */
static const int pool_signals[] = { SIGINT, SIGTERM, SIGCHLD, SIGALRM };
#define POOL_NR_SIGNALS 4

static double pool_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *pool_point_dir(const struct pool *pool, const struct pool_point *p)
{
	return xasprintf("%s/points/%s", pool->opt->out, p->s->id);
}

/* A point of one replication writes its own folder; else one per replication. */
static char *pool_rep_dir(const struct pool *pool, const struct pool_point *p, unsigned r)
{
	if (p->max == 1)
		return pool_point_dir(pool, p);
	return xasprintf("%s/points/%s/replications/%u", pool->opt->out, p->s->id, r);
}

static char *pool_results_path(const struct pool *pool, const struct pool_point *p, int r)
{
	char *dir = r < 0 ? pool_point_dir(pool, p) : pool_rep_dir(pool, p, (unsigned)r);
	char *path = xasprintf("%s/results.json", dir);

	free(dir);
	return path;
}

/* ---- progress, and the points complete ------------------------------------ */

static void pool_progress_clear(struct pool *pool)
{
	if (pool->progress_shown)
		fputs("\r\033[K", stderr);
	pool->progress_shown = false;
}

static char *pool_clock(double s)
{
	long t = (long)(s + 0.5);

	return t >= 3600 ? xasprintf("%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60)
	                 : xasprintf("%ld:%02ld", t / 60, t % 60);
}

/* "points 3/54, replications 12/162, elapsed 0:12, ETA 0:40", in place. */
static void pool_progress(struct pool *pool)
{
	unsigned finished = 0, selected = 0, reps = 0;
	double elapsed = pool_now() - pool->start_s;
	char *el, *eta;

	/* O(points): not per event */
	if (!pool->opt->progress || pool_now() - pool->progress_s < 0.2)
		return;
	pool->progress_s = pool_now();
	for (unsigned i = 0; i < pool->set->nr_points; i++) {
		const struct pool_point *p = &pool->pts[i];

		selected += p->state != POINT_UNSELECTED;
		finished += p->state > POINT_ACTIVE || p->state == POINT_SKIPPED;
		if (p->state >= POINT_ACTIVE)
			reps += p->final ? p->final : p->need;
	}
	el = pool_clock(elapsed);
	eta = pool->reps_done ? pool_clock(elapsed * (reps - pool->reps_done) / pool->reps_done)
	                      : xstrdup("?");
	fprintf(stderr, "\r\033[Kmmsim: points %u/%u, replications %u/%u, elapsed %s, ETA %s",
	        finished, selected, pool->reps_done, reps, el, eta);
	fflush(stderr);
	pool->progress_shown = true;
	free(el);
	free(eta);
}

/*
 * Tells of the points complete, in sweep order, up to the first unfinished,
 * with their results.json: read and verified here once, for the table and the
 * report alike (a skipped point's was read by pool_is_complete).
 */
static void pool_tell(struct pool *pool)
{
	const struct pool_listener *l = pool->listener;

	for (; pool->told < pool->set->nr_points; pool->told++) {
		struct pool_point *p = &pool->pts[pool->told];

		if (p->state == POINT_ACTIVE)
			return;
		if (p->state != POINT_DONE && p->state != POINT_SKIPPED)
			continue;
		if (!p->results)
			p->results = results_load_point(pool->opt->out, p->s->id, NULL);
		if (!l)
			continue;
		pool_progress_clear(pool);
		l->point_complete(l->arg, p->s, p->results);
	}
}

/* ---- points ---------------------------------------------------------------- */

/* Complete: its results.json verified (a damaged one is named, and the point rerun). */
static bool pool_is_complete(const struct pool *pool, struct pool_point *p)
{
	p->results = results_load_point(pool->opt->out, p->s->id, "running the point again");
	return p->results != NULL;
}

/* Kills and reaps the workers of @p on replications >= @from (-1: the pilot too). */
static void pool_kill(struct pool *pool, struct pool_point *p, int from)
{
	for (unsigned j = 0; j < pool->opt->jobs; j++) {
		struct pool_worker *w = &pool->workers[j];

		if (!w->pid || &pool->pts[w->point] != p || w->rep < from)
			continue;
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		if (w->fd >= 0)
			close(w->fd);
		p->running--;
		p->work_s += pool_now() - w->start_s;
		w->pid = 0;
	}
}

static void pool_fail(struct pool *pool, struct pool_point *p)
{
	char *dir = pool_point_dir(pool, p);

	pool_kill(pool, p, -1);
	remove_tree(dir); /* no partial point: its results.json is not there */
	free(dir);
	p->state = POINT_FAILED;
	p->wall_s = p->start_s ? pool_now() - p->start_s : 0; /* 0: never started */
	pool_progress_clear(pool);
	fprintf(stderr, "mmsim: point %s failed\n", p->s->id);
	pool_tell(pool);
}

/* Replication @r's results, from its file; NULL after a message. */
static json_t *pool_load_rep(struct pool *pool, const struct pool_point *p, unsigned r)
{
	char *why, *path = pool_results_path(pool, p, (int)r);
	json_t *res = results_load(path, p->s->id, &why);

	if (!res)
		fprintf(stderr, "mmsim: cannot read %s: %s\n", path, why ? why : "no such file");
	free(why);
	free(path);
	return res;
}

/* The results of replications 0..n-1; NULL after a message. */
static json_t **pool_load_reps(struct pool *pool, const struct pool_point *p, unsigned n)
{
	json_t **res = xcalloc(n, sizeof(*res));

	for (unsigned r = 0; r < n; r++) {
		if (!(res[r] = pool_load_rep(pool, p, r))) {
			while (r--)
				json_decref(res[r]);
			free(res);
			return NULL;
		}
	}
	return res;
}

/* The point's results.json from its replications' (written last: it marks it complete). */
static int pool_write_point(struct pool *pool, struct pool_point *p)
{
	json_t **res = pool_load_reps(pool, p, p->final);
	char *dir = pool_point_dir(pool, p);
	int rc = -1;

	if (res) {
		rc = reps_write_point(dir, pool->set, p->s, res, p->final);
		for (unsigned r = 0; r < p->final; r++)
			json_decref(res[r]);
	}
	free(res);
	free(dir);
	return rc;
}

static void pool_complete(struct pool *pool, struct pool_point *p)
{
	pool_kill(pool, p, (int)p->final);
	for (unsigned r = p->final; r < p->next; r++) { /* speculative, not needed */
		char *dir = pool_rep_dir(pool, p, r);

		remove_tree(dir);
		free(dir);
	}
	if (p->max > 1 && pool_write_point(pool, p)) {
		pool_fail(pool, p);
		return;
	}
	p->state = POINT_DONE;
	p->wall_s = pool_now() - p->start_s;
	pool_tell(pool);
}

static bool pool_all_done(const struct pool_point *p, unsigned n)
{
	for (unsigned r = 0; r < n; r++)
		if (!p->done[r])
			return false;
	return true;
}

/* until: in index order, whether replications 0..need-1 are enough. */
static void pool_decide(struct pool_point *p)
{
	while (!p->final && pool_all_done(p, p->need)) {
		if (!p->s->until.metric || p->need == p->max ||
		    reps_enough(p->s, p->values, p->need))
			p->final = p->need;
		else
			p->need++;
	}
}

/* until's metric in replication @r's results. */
static int pool_read_metric(struct pool *pool, struct pool_point *p, unsigned r)
{
	json_t *res = pool_load_rep(pool, p, r), *v;
	bool ok;

	v = json_dotted_get(json_object_get(res, "metrics"), p->s->until.metric);
	ok = json_is_number(v);
	if (ok)
		p->values[r] = json_number_value(v);
	else if (res)
		fprintf(stderr, "mmsim: point %s: no metric %s in its results\n", p->s->id,
		        p->s->until.metric);
	json_decref(res);
	return ok ? 0 : -1;
}

/* ---- workers --------------------------------------------------------------- */

/* In a worker: the signals as they were, a process group of its own, and death with the run. */
static void pool_child_setup(const struct pool *pool, pid_t parent)
{
	for (int i = 0; i < POOL_NR_SIGNALS; i++)
		signal(pool_signals[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, &pool->orig_mask, NULL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the run died before prctl */
		_exit(1);
}

/* A worker's job: replication @rep of point @pi, or its pilot (@rep -1, answer on @fd). */
static int pool_child(const struct pool *pool, unsigned pi, int rep, int fd)
{
	const struct pool_point *p = &pool->pts[pi];
	const struct scenario *s = p->s;
	unsigned r = rep < 0 ? 0 : (unsigned)rep;
	struct replication rp = { .index = r,
		                  .seed = reps_seed(s->seed, s->id, r),
		                  .alone = p->max == 1,
		                  .warmup_ns = p->warmup_ns };
	char *dir;
	sim_ns w;
	int rc;

	if (rep < 0) /* the pilot is replication 0 without a warm-up */
		return runner_pilot(s, rp.seed, pool->opt, &w) == 0 &&
		                       dprintf(fd, "%lld\n", (long long)w) > 0
		               ? 0
		               : 1;
	dir = pool_rep_dir(pool, p, r);
	rc = runner_point(pool->set, s, &rp, dir, pool->opt);
	free(dir);
	return rc ? 1 : 0;
}

static int pool_start(struct pool *pool, struct pool_worker *w, unsigned pi, int rep)
{
	struct pool_point *p = &pool->pts[pi];
	int fds[2] = { -1, -1 };
	pid_t pid, parent = getpid();

	if (rep < 0 && pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		pool_child_setup(pool, parent);
		_exit(pool_child(pool, pi, rep, fds[1]));
	}
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		return -1;
	}
	setpgid(pid, pid); /* also here: no race with a signal to the run's group */
	*w = (struct pool_worker){
		.pid = pid, .point = pi, .rep = rep, .fd = fds[0], .start_s = pool_now()
	};
	if (!p->running && !p->pilot_started && !p->next)
		p->start_s = w->start_s;
	p->running++;
	if (rep < 0)
		p->pilot_started = true;
	else
		p->next++;
	return 0;
}

/* What point @p can start now: its pilot (-1), a replication, or nothing (false). */
static bool pool_item(const struct pool_point *p, bool speculative, int *rep)
{
	unsigned limit = !speculative ? p->need : p->final ? p->final : p->max;

	if (p->state != POINT_ACTIVE)
		return false;
	if (p->s->warmup_mser5 && !p->pilot_done) {
		*rep = -1;
		return !speculative && !p->pilot_started;
	}
	*rep = (int)p->next;
	return p->next < limit;
}

/*
 * The next work item: needed ones first, in sweep order; then speculative
 * ones. The points before pool->scan have nothing needed to start until their
 * pilot ends or until needs one more (pool_rescan), so each item costs O(1)
 * amortised however long the sweep.
 */
static bool pool_next(struct pool *pool, unsigned *pi, int *rep)
{
	for (unsigned i = pool->scan; i < pool->set->nr_points; i++) {
		if (pool_item(&pool->pts[i], false, rep)) {
			*pi = i;
			return true;
		}
		if (i == pool->scan)
			pool->scan++;
	}
	for (unsigned i = 0; pool->any_until && i < pool->set->nr_points; i++) {
		if (pool->pts[i].s->until.metric && pool_item(&pool->pts[i], true, rep)) {
			*pi = i;
			return true;
		}
	}
	return false;
}

static void pool_rescan(struct pool *pool, const struct pool_point *p)
{
	unsigned i = (unsigned)(p - pool->pts);

	if (i < pool->scan)
		pool->scan = i;
}

static void pool_launch(struct pool *pool)
{
	for (unsigned j = 0; j < pool->opt->jobs; j++) {
		unsigned pi;
		int rep;

		if (pool->workers[j].pid)
			continue;
		if (!pool_next(pool, &pi, &rep))
			return;
		if (pool_start(pool, &pool->workers[j], pi, rep)) {
			fprintf(stderr, "mmsim: cannot start a worker: %s\n", strerror(errno));
			pool_fail(pool, &pool->pts[pi]);
		}
	}
}

static bool pool_read_pilot(int fd, sim_ns *warmup_ns)
{
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	char *end;

	if (n <= 0)
		return false;
	buf[n] = '\0';
	*warmup_ns = (sim_ns)strtoll(buf, &end, 10);
	return *end == '\n';
}

static void pool_report_death(const struct pool_point *p, const struct pool_worker *w, int status)
{
	if (!WIFSIGNALED(status))
		return; /* it said why */
	if (w->rep < 0)
		fprintf(stderr, "mmsim: point %s: the MSER-5 pilot died with signal %d\n", p->s->id,
		        WTERMSIG(status));
	else
		fprintf(stderr, "mmsim: point %s: replication %d died with signal %d\n", p->s->id,
		        w->rep, WTERMSIG(status));
}

static void pool_finished(struct pool *pool, struct pool_worker *w, int status)
{
	struct pool_worker done = *w;
	struct pool_point *p = &pool->pts[done.point];
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	assert(p->state == POINT_ACTIVE);
	w->pid = 0;
	p->running--;
	p->work_s += pool_now() - done.start_s;
	if (done.rep < 0) {
		ok = ok && pool_read_pilot(done.fd, &p->warmup_ns);
		close(done.fd);
	}
	if (ok && done.rep >= 0 && p->s->until.metric)
		ok = pool_read_metric(pool, p, (unsigned)done.rep) == 0;
	if (!ok) {
		pool_report_death(p, &done, status);
		pool_fail(pool, p);
		return;
	}
	if (done.rep < 0) {
		p->pilot_done = true;
		pool_rescan(pool, p);
		return;
	}
	p->done[done.rep] = true;
	pool->reps_done++;
	pool_decide(p);
	pool_rescan(pool, p); /* it may need one more */
	if (p->final && pool_all_done(p, p->final))
		pool_complete(pool, p);
}

static struct pool_worker *pool_worker_of(struct pool *pool, pid_t pid)
{
	for (unsigned j = 0; j < pool->opt->jobs; j++)
		if (pool->workers[j].pid == pid)
			return &pool->workers[j];
	return NULL;
}

/* Handles every worker that ended; true if there was one. */
static bool pool_reap(struct pool *pool)
{
	bool any = false;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct pool_worker *w = pool_worker_of(pool, pid);

		any = true;
		if (w)
			pool_finished(pool, w, status);
	}
	return any;
}

static unsigned pool_running(const struct pool *pool)
{
	unsigned n = 0;

	for (unsigned j = 0; j < pool->opt->jobs; j++)
		n += pool->workers[j].pid != 0;
	return n;
}

/* ---- the run --------------------------------------------------------------- */

static void pool_on_signal(int sig)
{
	if (sig == SIGINT || sig == SIGTERM)
		pool_stop = 1;
}

/* Handlers on, and the signals blocked but while waiting (no wake-up is lost). */
static void pool_signals_on(struct pool *pool, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = pool_on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (int i = 0; i < POOL_NR_SIGNALS; i++) {
		sigaction(pool_signals[i], &sa, &old[i]);
		sigaddset(&block, pool_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &pool->orig_mask);
}

static void pool_signals_off(struct pool *pool, const struct sigaction *old)
{
	alarm(0);
	sigprocmask(SIG_SETMASK, &pool->orig_mask, NULL); /* a pending SIGINT: noted */
	for (int i = 0; i < POOL_NR_SIGNALS; i++)
		sigaction(pool_signals[i], &old[i], NULL);
}

static void pool_loop(struct pool *pool)
{
	sigset_t wait_mask = pool->orig_mask;

	for (int i = 0; i < POOL_NR_SIGNALS; i++)
		sigdelset(&wait_mask, pool_signals[i]);
	for (;;) {
		bool reaped = pool_reap(pool);

		if (pool_stop)
			return;
		pool_launch(pool);
		if (!pool_running(pool))
			return;
		pool_progress(pool);
		if (reaped)
			continue;
		if (pool->opt->progress)
			alarm(1);
		sigsuspend(&wait_mask);
	}
}

/* Ctrl-C: the workers killed, the unfinished points' folders removed. */
static void pool_interrupt(struct pool *pool)
{
	for (unsigned i = 0; i < pool->set->nr_points; i++) {
		struct pool_point *p = &pool->pts[i];
		char *dir;

		if (p->state != POINT_ACTIVE)
			continue;
		pool_kill(pool, p, -1);
		dir = pool_point_dir(pool, p);
		remove_tree(dir);
		free(dir);
	}
}

static void pool_init_point(struct pool *pool, struct pool_point *p, const struct scenario *s)
{
	char *dir;

	*p = (struct pool_point){ .s = s,
		                  .state = POINT_ACTIVE,
		                  .need = reps_first(s),
		                  .max = reps_max(s),
		                  .warmup_ns = (sim_ns)(s->warmup_s * 1e9 + 0.5) };
	if (pool->opt->selected && !pool->opt->selected[s->index]) {
		p->state = POINT_UNSELECTED;
	} else if (!pool->opt->force && pool_is_complete(pool, p)) {
		p->state = POINT_SKIPPED;
	} else { /* left by an interrupted run, or --force */
		dir = pool_point_dir(pool, p);
		remove_tree(dir);
		free(dir);
	}
	p->done = xcalloc(p->max, sizeof(*p->done));
	p->values = xcalloc(p->max, sizeof(*p->values));
}

static void pool_init(struct pool *pool, const struct scenario_set *set,
                      const struct run_options *opt, const struct pool_listener *listener)
{
	unsigned skipped = 0;

	*pool = (struct pool){
		.set = set, .opt = opt, .listener = listener, .start_s = pool_now()
	};
	pool->pts = xcalloc(set->nr_points, sizeof(*pool->pts));
	pool->workers = xcalloc(opt->jobs, sizeof(*pool->workers));
	for (unsigned i = 0; i < set->nr_points; i++) {
		pool_init_point(pool, &pool->pts[i], &set->points[i]);
		skipped += pool->pts[i].state == POINT_SKIPPED;
		pool->any_until = pool->any_until || set->points[i].until.metric;
	}
	if (skipped && !opt->quiet)
		fprintf(stderr,
		        "mmsim: %u point%s already complete in %s, skipped (--force runs %s "
		        "again)\n",
		        skipped, skipped == 1 ? "" : "s", opt->out, skipped == 1 ? "it" : "them");
}

static void pool_release(struct pool *pool)
{
	for (unsigned i = 0; i < pool->set->nr_points; i++) {
		free(pool->pts[i].done);
		free(pool->pts[i].values);
		json_decref(pool->pts[i].results); /* NULL once handed to the result */
	}
	free(pool->pts);
	free(pool->workers);
}

/* What became of each point, for the report. */
static void pool_outcomes(struct pool *pool, bool interrupted, struct pool_result *res)
{
	res->pts = xcalloc(pool->set->nr_points, sizeof(*res->pts));
	res->interrupted = interrupted;
	for (unsigned i = 0; i < pool->set->nr_points; i++) {
		struct pool_point *p = &pool->pts[i];

		res->pts[i] = (struct point_outcome){
			.state = p->state,
			.reps = p->state == POINT_DONE ? p->final : p->next,
			.wall_s = p->wall_s,
			.work_s = p->work_s,
			.results = p->results,
		};
		p->results = NULL;
	}
}

void pool_result_release(struct pool_result *res, unsigned nr_points)
{
	for (unsigned i = 0; res->pts && i < nr_points; i++)
		json_decref(res->pts[i].results);
	free(res->pts);
	res->pts = NULL;
}

void pool_run(const struct scenario_set *set, const struct run_options *opt,
              const struct pool_listener *listener, struct pool_result *res)
{
	struct sigaction old[POOL_NR_SIGNALS];
	struct pool pool;
	bool interrupted;

	pool_stop = 0;
	pool_init(&pool, set, opt, listener);
	pool_tell(&pool);
	pool_signals_on(&pool, old);
	pool_loop(&pool);
	interrupted = pool_stop;
	if (interrupted)
		pool_interrupt(&pool);
	pool_signals_off(&pool, old);
	pool_progress_clear(&pool);
	pool_outcomes(&pool, interrupted, res);
	pool_release(&pool);
}
