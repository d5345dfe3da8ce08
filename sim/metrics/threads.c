/* threads.c - the thread groups' metrics, and fairness. */
#include "sim/metrics/intervals.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/trace.h"
#include "sim/util.h"

static void thread_init(struct recorder *r, const struct recorder_shape *shape)
{
	struct thread_metrics *m = &r->threads;

	m->nr_groups = shape->nr_groups;
	m->nr_threads = shape->nr_threads;
	m->starved_ns = shape->starved_ns;
	/* calloc: every summary starts empty (summary_init is all zeroes) */
	m->groups = xcalloc(m->nr_groups, sizeof(*m->groups));
	m->each = xcalloc(m->nr_threads ? m->nr_threads : 1, sizeof(*m->each));
}

static void thread_release(struct recorder *r)
{
	struct thread_metrics *m = &r->threads;

	for (unsigned i = 0; i < m->nr_groups; i++) {
		summary_release(&m->groups[i].latency);
		summary_release(&m->groups[i].response);
		summary_release(&m->groups[i].lock_wait);
	}
	free(m->each);
	free(m->groups);
}

void record_iteration(struct task *t, sim_ns busy_ns, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, task_now(t));
	struct group_stats *g;

	if (trace_active)
		trace_iteration(t, start);
	if (c->rec->series) /* MSER-5 pilot: the whole series, warm-up included */
		mser_series_add(c->rec->series, (double)busy_ns, task_now(t));
	if (c->rec->intervals)
		intervals_iteration(c->rec->intervals, c->group, task_now(t));
	if (!r)
		return;
	g = &r->threads.groups[c->group];
	g->ops++;
	summary_add(&g->latency, busy_ns);
	summary_add(&g->response, task_now(t) - start);
}

void record_arrival(struct task *t, bool dropped)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	r->threads.groups[c->group].arrivals++;
	r->threads.groups[c->group].dropped += dropped;
}

void recorder_blocked_at_end(struct record_ctx *ctx, sim_ns since)
{
	struct recorder *r = ctx->rec;
	struct group_stats *g;

	if (ctx->group < 0) /* the devices idle waiting for requests */
		return;
	g = &r->threads.groups[ctx->group];
	g->blocked++;
	if (r->end_ns - since > g->blocked_max_ns)
		g->blocked_max_ns = r->end_ns - since;
}

static json_t *group_json(const struct group_stats *g, double window_s)
{
	json_t *o = json_object();

	json_object_set_new(o, "ops", json_integer((json_int_t)g->ops));
	json_object_set_new(o, "ops_per_s", json_real((double)g->ops / window_s));
	json_object_set_new(o, "op_latency_us", summary_json(&g->latency));
	json_object_set_new(o, "response_us", summary_json(&g->response));
	json_object_set_new(o, "mmap_sem_wait_us", summary_json(&g->lock_wait));
	json_object_set_new(o, "arrivals", json_integer((json_int_t)g->arrivals));
	json_object_set_new(o, "dropped", json_integer((json_int_t)g->dropped));
	/* a live-lock shows here: no op completes, so op_latency_us stays empty */
	json_object_set_new(o, "blocked_at_end", json_integer(g->blocked));
	json_object_set_new(o, "blocked_at_end_max_us", json_real((double)g->blocked_max_ns / 1e3));
	return o;
}

/* threads.<group>: the groups in scenario order, as their indexes. */
static void thread_output(json_t *m, const struct metric_output *o)
{
	const struct scenario *s = o->s;
	unsigned g = 0;

	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++, g++) {
			char *path = xasprintf("threads.%s", s->procs[p].groups[i].name);

			json_dotted_set(m, path, group_json(&o->r->threads.groups[g], o->window_s));
			free(path);
		}
	}
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc thread_docs[] = {
	{ "`threads.<group>.ops`, `.ops_per_s`",
	  "loop iterations completed after warm-up, and their rate (all threads of the group)" },
	{ "`threads.<group>.op_latency_us.*`",
	  "duration of one iteration, excluding `think` and `sleep`" },
	{ "`threads.<group>.response_us.*`",
	  "the wall time of one iteration, `think` and `sleep` included; for an open group, a "
	  "job's arrival to its departure" },
	{ "`threads.<group>.mmap_sem_wait_us.*`",
	  "the waits of the group's threads for `mmap_sem` (either mode)" },
	{ "`threads.<group>.arrivals`, `.dropped`",
	  "open group: jobs that arrived after warm-up, and those turned away (`max_jobs`)" },
	{ "`threads.<group>.blocked_at_end`, `.blocked_at_end_max_us`",
	  "threads of the group still blocked (on `mmap_sem`, a page, memory, the disk) when the "
	  "run ends, and the longest of those waits so far: a live-lock, where no iteration "
	  "completes and `op_latency_us` stays empty (0)" },
	{ NULL, NULL },
};

const struct metric_family thread_family = {
	.name = "threads",
	.docs = thread_docs,
	.init = thread_init,
	.release = thread_release,
	.output = thread_output,
};

/*
 * Jain's index of the threads' mean mmap_sem wait per acquisition (threads
 * that acquired it at least once): 1 when every thread waits as long on
 * average, 1/n when one thread does all the waiting; 1 when nobody waits.
 */
static double fairness_jain(const struct thread_metrics *t)
{
	double sum = 0, sum2 = 0;
	unsigned n = 0;

	for (unsigned i = 0; i < t->nr_threads; i++) {
		double x;

		if (!t->each[i].acquisitions)
			continue;
		x = t->each[i].wait_ns / (double)t->each[i].acquisitions;
		sum += x;
		sum2 += x * x;
		n++;
	}
	return sum2 > 0 ? sum * sum / (n * sum2) : 1.0;
}

/* fairness: its state is the threads' (the lock waits of each, the starved ones). */
static void fairness_output(json_t *m, const struct metric_output *o)
{
	const struct recorder *r = o->r;
	const struct lock_stats *all = &r->locks.all;
	sim_ns max = all->wait[LOCK_READ].max_ns > all->wait[LOCK_WRITE].max_ns
	                     ? all->wait[LOCK_READ].max_ns
	                     : all->wait[LOCK_WRITE].max_ns;

	json_dotted_set(m, "fairness",
	                json_pack("{sf sf sI}", "jain_index", fairness_jain(&r->threads),
	                          "max_wait_us", (double)max / 1e3, "starved",
	                          (json_int_t)r->threads.starved));
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc fairness_docs[] = {
	{ "`fairness.jain_index`",
	  "Jain's index of the threads' mean `mmap_sem` wait per acquisition (closed groups): 1 "
	  "when every thread waits as long on average, 1/n when one thread does all the waiting; 1 "
	  "when nobody waits" },
	{ "`fairness.max_wait_us`, `fairness.starved`",
	  "the longest `mmap_sem` wait, and the acquisitions that waited longer than "
	  "`fairness.starved_wait_us`" },
	{ NULL, NULL },
};

const struct metric_family fairness_family = {
	.name = "fairness",
	.docs = fairness_docs,
	.output = fairness_output,
};
