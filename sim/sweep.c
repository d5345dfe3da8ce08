/*
 * sweep.c - the work of a run: the replications (and MSER-5 pilots) of the
 * selected points, each in a worker process, up to --jobs at once.
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
#include "sim/manifest.h"
#include "sim/output.h"
#include "sim/report.h"
#include "sim/results.h"
#include "sim/sweep.h"
#include "sim/usl.h"
#include "sim/util.h"

enum sweep_state { SWEEP_UNSELECTED, SWEEP_SKIPPED, SWEEP_ACTIVE, SWEEP_DONE, SWEEP_FAILED };

struct sweep_point {
	const struct scenario *s;  /* borrowed from the set */
	enum sweep_state state;
	bool pilot_started, pilot_done;
	sim_ns warmup_ns;          /* the fixed warmup_s, or the pilot's */
	unsigned need;             /* replications needed for sure */
	unsigned max;              /* at most (need, without until) */
	unsigned final;            /* the number run, once decided; else 0 */
	unsigned next;             /* replications started: 0..next-1 */
	bool *done;                /* owned, [max] */
	double *values;            /* owned, [max]: until's metric per replication */
	unsigned running;          /* its workers */
	double start_s, wall_s;    /* first start; first start to the end */
	double work_s;             /* over its workers, discarded ones included */
};

struct sweep_worker {
	pid_t pid;        /* 0: a free slot */
	unsigned point;
	int rep;          /* -1: the pilot */
	int fd;           /* the pilot's pipe (read end); else -1 */
	double start_s;
};

struct sweep {
	const struct scenario_set *set;  /* borrowed */
	const struct run_options *opt;   /* borrowed */
	struct sweep_point *pts;         /* owned, [set->nr_points] */
	struct sweep_worker *workers;    /* owned, [opt->jobs] */
	unsigned printed;                /* points whose row is printed, or that have none */
	unsigned scan;                   /* no point before it has a needed item to start */
	bool any_until;                  /* a point may run speculative replications */
	double progress_s;               /* when the progress line was last drawn */
	unsigned reps_done;              /* replications finished in this run */
	double start_s;
	sigset_t orig_mask;              /* the signal mask to restore, also in workers */
	bool progress_shown;
};

static volatile sig_atomic_t sweep_stop; /* SIGINT or SIGTERM came */
/* SIGCHLD and SIGALRM (the progress line's clock) only end the wait */
static const int sweep_signals[] = { SIGINT, SIGTERM, SIGCHLD, SIGALRM };
#define SWEEP_NR_SIGNALS 4

static double sweep_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *sweep_point_dir(const struct sweep *sw, const struct sweep_point *p)
{
	return xasprintf("%s/points/%s", sw->opt->out, p->s->id);
}

/* A point of one replication writes its own folder; else one per replication. */
static char *sweep_rep_dir(const struct sweep *sw, const struct sweep_point *p, unsigned r)
{
	if (p->max == 1)
		return sweep_point_dir(sw, p);
	return xasprintf("%s/points/%s/replications/%u", sw->opt->out, p->s->id, r);
}

static char *sweep_results_path(const struct sweep *sw, const struct sweep_point *p, int r)
{
	char *dir = r < 0 ? sweep_point_dir(sw, p) : sweep_rep_dir(sw, p, (unsigned)r);
	char *path = xasprintf("%s/results.json", dir);

	free(dir);
	return path;
}

/* ---- progress and the table ----------------------------------------------- */

static void sweep_progress_clear(struct sweep *sw)
{
	if (sw->progress_shown)
		fputs("\r\033[K", stderr);
	sw->progress_shown = false;
}

static char *sweep_clock(double s)
{
	long t = (long)(s + 0.5);

	return t >= 3600 ? xasprintf("%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60)
			 : xasprintf("%ld:%02ld", t / 60, t % 60);
}

/* "points 3/54, replications 12/162, elapsed 0:12, ETA 0:40", in place. */
static void sweep_progress(struct sweep *sw)
{
	unsigned finished = 0, selected = 0, reps = 0;
	double elapsed = sweep_now() - sw->start_s;
	char *el, *eta;

	if (!sw->opt->progress || sweep_now() - sw->progress_s < 0.2) /* O(points): not per event */
		return;
	sw->progress_s = sweep_now();
	for (unsigned i = 0; i < sw->set->nr_points; i++) {
		const struct sweep_point *p = &sw->pts[i];

		selected += p->state != SWEEP_UNSELECTED;
		finished += p->state > SWEEP_ACTIVE || p->state == SWEEP_SKIPPED;
		if (p->state >= SWEEP_ACTIVE)
			reps += p->final ? p->final : p->need;
	}
	el = sweep_clock(elapsed);
	eta = sw->reps_done ? sweep_clock(elapsed * (reps - sw->reps_done) / sw->reps_done)
			    : xstrdup("?");
	fprintf(stderr, "\r\033[Kmmsim: points %u/%u, replications %u/%u, elapsed %s, ETA %s",
		finished, selected, sw->reps_done, reps, el, eta);
	fflush(stderr);
	sw->progress_shown = true;
	free(el);
	free(eta);
}

/* The rows of the points finished, in sweep order, up to the first unfinished. */
static void sweep_print_rows(struct sweep *sw)
{
	for (; sw->printed < sw->set->nr_points; sw->printed++) {
		const struct sweep_point *p = &sw->pts[sw->printed];

		if (p->state == SWEEP_ACTIVE)
			return;
		if (sw->opt->quiet || (p->state != SWEEP_DONE && p->state != SWEEP_SKIPPED))
			continue;
		sweep_progress_clear(sw);
		runner_print_point(sw->set, p->s, sw->opt->out);
	}
}

/* ---- points ---------------------------------------------------------------- */

/* Complete: its results.json verified (a damaged one is named, and the point rerun). */
static bool sweep_is_complete(const struct sweep *sw, const struct sweep_point *p)
{
	json_t *r = results_load_point(sw->opt->out, p->s->id, "running the point again");

	json_decref(r);
	return r != NULL;
}

/* Kills and reaps the workers of @p on replications >= @from (-1: the pilot too). */
static void sweep_kill(struct sweep *sw, struct sweep_point *p, int from)
{
	for (unsigned j = 0; j < sw->opt->jobs; j++) {
		struct sweep_worker *w = &sw->workers[j];

		if (!w->pid || &sw->pts[w->point] != p || w->rep < from)
			continue;
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		if (w->fd >= 0)
			close(w->fd);
		p->running--;
		p->work_s += sweep_now() - w->start_s;
		w->pid = 0;
	}
}

static void sweep_fail(struct sweep *sw, struct sweep_point *p)
{
	char *dir = sweep_point_dir(sw, p);

	sweep_kill(sw, p, -1);
	remove_tree(dir); /* no partial point: its results.json is not there */
	free(dir);
	p->state = SWEEP_FAILED;
	p->wall_s = p->start_s ? sweep_now() - p->start_s : 0; /* 0: never started */
	sweep_progress_clear(sw);
	fprintf(stderr, "mmsim: point %s failed\n", p->s->id);
	sweep_print_rows(sw);
}

/* Replication @r's results, from its file; NULL after a message. */
static json_t *sweep_load_rep(struct sweep *sw, const struct sweep_point *p, unsigned r)
{
	char *why, *path = sweep_results_path(sw, p, (int)r);
	json_t *res = results_load(path, p->s->id, &why);

	if (!res)
		fprintf(stderr, "mmsim: cannot read %s: %s\n", path, why ? why : "no such file");
	free(why);
	free(path);
	return res;
}

/* The results of replications 0..n-1; NULL after a message. */
static json_t **sweep_load_reps(struct sweep *sw, const struct sweep_point *p, unsigned n)
{
	json_t **res = xcalloc(n, sizeof(*res));

	for (unsigned r = 0; r < n; r++) {
		if (!(res[r] = sweep_load_rep(sw, p, r))) {
			while (r--)
				json_decref(res[r]);
			free(res);
			return NULL;
		}
	}
	return res;
}

/* The point's results.json from its replications' (written last: it marks it complete). */
static int sweep_write_point(struct sweep *sw, struct sweep_point *p)
{
	json_t **res = sweep_load_reps(sw, p, p->final);
	char *dir = sweep_point_dir(sw, p);
	int rc = -1;

	if (res) {
		rc = reps_write_point(dir, sw->set, p->s, res, p->final);
		for (unsigned r = 0; r < p->final; r++)
			json_decref(res[r]);
	}
	free(res);
	free(dir);
	return rc;
}

static void sweep_complete(struct sweep *sw, struct sweep_point *p)
{
	sweep_kill(sw, p, (int)p->final);
	for (unsigned r = p->final; r < p->next; r++) { /* speculative, not needed */
		char *dir = sweep_rep_dir(sw, p, r);

		remove_tree(dir);
		free(dir);
	}
	if (p->max > 1 && sweep_write_point(sw, p)) {
		sweep_fail(sw, p);
		return;
	}
	p->state = SWEEP_DONE;
	p->wall_s = sweep_now() - p->start_s;
	sweep_print_rows(sw);
}

static bool sweep_all_done(const struct sweep_point *p, unsigned n)
{
	for (unsigned r = 0; r < n; r++)
		if (!p->done[r])
			return false;
	return true;
}

/* until: in index order, whether replications 0..need-1 are enough. */
static void sweep_decide(struct sweep_point *p)
{
	while (!p->final && sweep_all_done(p, p->need)) {
		if (!p->s->until.metric || p->need == p->max ||
		    reps_enough(p->s, p->values, p->need))
			p->final = p->need;
		else
			p->need++;
	}
}

/* until's metric in replication @r's results. */
static int sweep_read_metric(struct sweep *sw, struct sweep_point *p, unsigned r)
{
	json_t *res = sweep_load_rep(sw, p, r), *v;
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
static void sweep_child_setup(const struct sweep *sw, pid_t parent)
{
	for (int i = 0; i < SWEEP_NR_SIGNALS; i++)
		signal(sweep_signals[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, &sw->orig_mask, NULL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the run died before prctl */
		_exit(1);
}

/* A worker's job: replication @rep of point @pi, or its pilot (@rep -1, answer on @fd). */
static int sweep_child(const struct sweep *sw, unsigned pi, int rep, int fd)
{
	const struct sweep_point *p = &sw->pts[pi];
	const struct scenario *s = p->s;
	unsigned r = rep < 0 ? 0 : (unsigned)rep;
	struct replication rp = { .index = r, .seed = reps_seed(s->seed, s->id, r),
				  .alone = p->max == 1, .warmup_ns = p->warmup_ns };
	char *dir;
	sim_ns w;
	int rc;

	if (rep < 0) /* the pilot is replication 0 without a warm-up */
		return runner_pilot(s, rp.seed, sw->opt, &w) == 0 &&
				       dprintf(fd, "%lld\n", (long long)w) > 0 ? 0 : 1;
	dir = sweep_rep_dir(sw, p, r);
	rc = runner_point(sw->set, s, &rp, dir, sw->opt);
	free(dir);
	return rc ? 1 : 0;
}

static int sweep_start(struct sweep *sw, struct sweep_worker *w, unsigned pi, int rep)
{
	struct sweep_point *p = &sw->pts[pi];
	int fds[2] = { -1, -1 };
	pid_t pid, parent = getpid();

	if (rep < 0 && pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		sweep_child_setup(sw, parent);
		_exit(sweep_child(sw, pi, rep, fds[1]));
	}
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		return -1;
	}
	setpgid(pid, pid); /* also here: no race with a signal to the run's group */
	*w = (struct sweep_worker){ .pid = pid, .point = pi, .rep = rep, .fd = fds[0],
				    .start_s = sweep_now() };
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
static bool sweep_item(const struct sweep_point *p, bool speculative, int *rep)
{
	unsigned limit = !speculative ? p->need : p->final ? p->final : p->max;

	if (p->state != SWEEP_ACTIVE)
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
 * ones. The points before sw->scan have nothing needed to start until their
 * pilot ends or until needs one more (sweep_rescan), so each item costs O(1)
 * amortised however long the sweep.
 */
static bool sweep_next(struct sweep *sw, unsigned *pi, int *rep)
{
	for (unsigned i = sw->scan; i < sw->set->nr_points; i++) {
		if (sweep_item(&sw->pts[i], false, rep)) {
			*pi = i;
			return true;
		}
		if (i == sw->scan)
			sw->scan++;
	}
	for (unsigned i = 0; sw->any_until && i < sw->set->nr_points; i++) {
		if (sw->pts[i].s->until.metric && sweep_item(&sw->pts[i], true, rep)) {
			*pi = i;
			return true;
		}
	}
	return false;
}

static void sweep_rescan(struct sweep *sw, const struct sweep_point *p)
{
	unsigned i = (unsigned)(p - sw->pts);

	if (i < sw->scan)
		sw->scan = i;
}

static void sweep_launch(struct sweep *sw)
{
	for (unsigned j = 0; j < sw->opt->jobs; j++) {
		unsigned pi;
		int rep;

		if (sw->workers[j].pid)
			continue;
		if (!sweep_next(sw, &pi, &rep))
			return;
		if (sweep_start(sw, &sw->workers[j], pi, rep)) {
			fprintf(stderr, "mmsim: cannot start a worker: %s\n", strerror(errno));
			sweep_fail(sw, &sw->pts[pi]);
		}
	}
}

static bool sweep_read_pilot(int fd, sim_ns *warmup_ns)
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

static void sweep_report_death(const struct sweep_point *p, const struct sweep_worker *w,
			       int status)
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

static void sweep_finished(struct sweep *sw, struct sweep_worker *w, int status)
{
	struct sweep_worker done = *w;
	struct sweep_point *p = &sw->pts[done.point];
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	assert(p->state == SWEEP_ACTIVE);
	w->pid = 0;
	p->running--;
	p->work_s += sweep_now() - done.start_s;
	if (done.rep < 0) {
		ok = ok && sweep_read_pilot(done.fd, &p->warmup_ns);
		close(done.fd);
	}
	if (ok && done.rep >= 0 && p->s->until.metric)
		ok = sweep_read_metric(sw, p, (unsigned)done.rep) == 0;
	if (!ok) {
		sweep_report_death(p, &done, status);
		sweep_fail(sw, p);
		return;
	}
	if (done.rep < 0) {
		p->pilot_done = true;
		sweep_rescan(sw, p);
		return;
	}
	p->done[done.rep] = true;
	sw->reps_done++;
	sweep_decide(p);
	sweep_rescan(sw, p); /* it may need one more */
	if (p->final && sweep_all_done(p, p->final))
		sweep_complete(sw, p);
}

static struct sweep_worker *sweep_worker_of(struct sweep *sw, pid_t pid)
{
	for (unsigned j = 0; j < sw->opt->jobs; j++)
		if (sw->workers[j].pid == pid)
			return &sw->workers[j];
	return NULL;
}

/* Handles every worker that ended; true if there was one. */
static bool sweep_reap(struct sweep *sw)
{
	bool any = false;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct sweep_worker *w = sweep_worker_of(sw, pid);

		any = true;
		if (w)
			sweep_finished(sw, w, status);
	}
	return any;
}

static unsigned sweep_running(const struct sweep *sw)
{
	unsigned n = 0;

	for (unsigned j = 0; j < sw->opt->jobs; j++)
		n += sw->workers[j].pid != 0;
	return n;
}

/* ---- the run --------------------------------------------------------------- */

static void sweep_on_signal(int sig)
{
	if (sig == SIGINT || sig == SIGTERM)
		sweep_stop = 1;
}

/* Handlers on, and the signals blocked but while waiting (no wake-up is lost). */
static void sweep_signals_on(struct sweep *sw, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = sweep_on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (int i = 0; i < SWEEP_NR_SIGNALS; i++) {
		sigaction(sweep_signals[i], &sa, &old[i]);
		sigaddset(&block, sweep_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &sw->orig_mask);
}

static void sweep_signals_off(struct sweep *sw, const struct sigaction *old)
{
	alarm(0);
	sigprocmask(SIG_SETMASK, &sw->orig_mask, NULL); /* a pending SIGINT: noted */
	for (int i = 0; i < SWEEP_NR_SIGNALS; i++)
		sigaction(sweep_signals[i], &old[i], NULL);
}

static void sweep_loop(struct sweep *sw)
{
	sigset_t wait_mask = sw->orig_mask;

	for (int i = 0; i < SWEEP_NR_SIGNALS; i++)
		sigdelset(&wait_mask, sweep_signals[i]);
	for (;;) {
		bool reaped = sweep_reap(sw);

		if (sweep_stop)
			return;
		sweep_launch(sw);
		if (!sweep_running(sw))
			return;
		sweep_progress(sw);
		if (reaped)
			continue;
		if (sw->opt->progress)
			alarm(1);
		sigsuspend(&wait_mask);
	}
}

/* Ctrl-C: the workers killed, the unfinished points' folders removed. */
static void sweep_interrupt(struct sweep *sw)
{
	for (unsigned i = 0; i < sw->set->nr_points; i++) {
		struct sweep_point *p = &sw->pts[i];
		char *dir;

		if (p->state != SWEEP_ACTIVE)
			continue;
		sweep_kill(sw, p, -1);
		dir = sweep_point_dir(sw, p);
		remove_tree(dir);
		free(dir);
	}
}

static void sweep_init_point(struct sweep *sw, struct sweep_point *p, const struct scenario *s)
{
	char *dir;

	*p = (struct sweep_point){ .s = s, .state = SWEEP_ACTIVE, .need = reps_first(s),
				   .max = reps_max(s),
				   .warmup_ns = (sim_ns)(s->warmup_s * 1e9 + 0.5) };
	if (sw->opt->selected && !sw->opt->selected[s->index]) {
		p->state = SWEEP_UNSELECTED;
	} else if (!sw->opt->force && sweep_is_complete(sw, p)) {
		p->state = SWEEP_SKIPPED;
	} else { /* left by an interrupted run, or --force */
		dir = sweep_point_dir(sw, p);
		remove_tree(dir);
		free(dir);
	}
	p->done = xcalloc(p->max, sizeof(*p->done));
	p->values = xcalloc(p->max, sizeof(*p->values));
}

static void sweep_init(struct sweep *sw, const struct scenario_set *set,
		       const struct run_options *opt)
{
	unsigned skipped = 0;

	*sw = (struct sweep){ .set = set, .opt = opt, .start_s = sweep_now() };
	sw->pts = xcalloc(set->nr_points, sizeof(*sw->pts));
	sw->workers = xcalloc(opt->jobs, sizeof(*sw->workers));
	for (unsigned i = 0; i < set->nr_points; i++) {
		sweep_init_point(sw, &sw->pts[i], &set->points[i]);
		skipped += sw->pts[i].state == SWEEP_SKIPPED;
		sw->any_until = sw->any_until || set->points[i].until.metric;
	}
	if (skipped && !opt->quiet)
		fprintf(stderr, "mmsim: %u point%s already complete in %s, skipped (--force runs %s again)\n",
			skipped, skipped == 1 ? "" : "s", opt->out, skipped == 1 ? "it" : "them");
}

static void sweep_release(struct sweep *sw)
{
	for (unsigned i = 0; i < sw->set->nr_points; i++) {
		free(sw->pts[i].done);
		free(sw->pts[i].values);
	}
	free(sw->pts);
	free(sw->workers);
}

/* The manifest entry of a point that ran, failed or was skipped; NULL for the others. */
static json_t *sweep_manifest_point(struct sweep *sw, const struct sweep_point *p)
{
	static const char *const status[] = { [SWEEP_DONE] = "ok", [SWEEP_FAILED] = "failed",
					      [SWEEP_SKIPPED] = "skipped" };
	unsigned n = p->state == SWEEP_DONE ? p->final : p->next;
	json_t *seeds, *old;

	if (p->state == SWEEP_UNSELECTED || p->state == SWEEP_ACTIVE)
		return NULL;
	seeds = json_array();
	if (p->state == SWEEP_SKIPPED) { /* the seeds it was run with */
		old = results_load_point(sw->opt->out, p->s->id, NULL);
		json_array_extend(seeds, json_dotted_get(old, "replications.seeds"));
		json_decref(old);
	}
	for (unsigned r = 0; r < n; r++) {
		unsigned long seed = reps_seed(p->s->seed, p->s->id, r);

		json_array_append_new(seeds, json_integer((json_int_t)seed));
	}
	return manifest_point(p->s, status[p->state], seeds, p->wall_s, p->work_s);
}

static int sweep_manifest(struct sweep *sw)
{
	json_t *prov = output_provenance(sw->set, &sw->set->points[0]);
	json_t *m = manifest_new(json_object_get(prov, "scenario")), *e;
	int rc;

	for (unsigned i = 0; i < sw->set->nr_points; i++)
		if ((e = sweep_manifest_point(sw, &sw->pts[i])))
			manifest_add(m, e);
	rc = manifest_write(sw->opt->out, m);
	json_decref(m);
	json_decref(prov);
	return rc;
}

/* summary.csv and manifest.json; the exit status. */
static int sweep_finish(struct sweep *sw, bool interrupted)
{
	unsigned finished = 0, selected = 0, failed = 0;
	int rc = report_summary_run(sw->opt->out, sw->set) | sweep_manifest(sw);

	/* a thread-count sweep: the Universal Scalability Law fit, OUT/usl.csv */
	if (!interrupted)
		rc |= usl_report_to(sw->opt->out, sw->set, sw->opt->quiet ? NULL : stdout);

	for (unsigned i = 0; i < sw->set->nr_points; i++) {
		enum sweep_state st = sw->pts[i].state;

		selected += st != SWEEP_UNSELECTED;
		finished += st == SWEEP_DONE || st == SWEEP_SKIPPED;
		failed += st == SWEEP_FAILED;
	}
	if (interrupted) {
		fprintf(stderr, "mmsim: interrupted: %u of %u point%s finished, kept in %s\n",
			finished, selected, selected == 1 ? "" : "s", sw->opt->out);
		return 130;
	}
	return rc || failed ? 1 : 0;
}

int sweep_run(const struct scenario_set *set, const struct run_options *opt)
{
	struct sigaction old[SWEEP_NR_SIGNALS];
	struct sweep sw;
	bool interrupted;
	int rc;

	sweep_stop = 0;
	sweep_init(&sw, set, opt);
	sweep_print_rows(&sw);
	sweep_signals_on(&sw, old);
	sweep_loop(&sw);
	interrupted = sweep_stop;
	if (interrupted)
		sweep_interrupt(&sw);
	sweep_signals_off(&sw, old);
	sweep_progress_clear(&sw);
	rc = sweep_finish(&sw, interrupted);
	sweep_release(&sw);
	return rc;
}
