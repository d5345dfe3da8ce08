/* faults.c - the records of page faults and their metrics (faults, processes.<p>.faults). */
#include <assert.h>

#include "sim/metrics/intervals.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/trace.h"
#include "sim/util.h"

static void fault_init(struct recorder *r, const struct recorder_shape *shape)
{
	struct fault_metrics *m = &r->faults;

	/* calloc: every count and summary starts empty (summary_init is all zeroes) */
	m->nr_mms = shape->nr_mms;
	m->mm = xcalloc(m->nr_mms, sizeof(*m->mm));
}

static void fault_release(struct recorder *r)
{
	struct fault_metrics *m = &r->faults;

	for (unsigned i = 0; i < m->nr_mms; i++)
		summary_release(&m->mm[i].latency);
	summary_release(&m->all.latency);
	free(m->mm);
}

void record_vma_lock(struct task *t, int mm_id, enum vma_lock_outcome outcome)
{
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	assert(mm_id >= 0 && (unsigned)mm_id < r->faults.nr_mms);
	r->faults.mm[mm_id].vma_lock[outcome]++;
}

static void fault_stats_add(struct fault_stats *f, bool major, int retries, sim_ns latency)
{
	if (major)
		f->major++;
	else
		f->minor++;
	f->retries += (uint64_t)retries;
	summary_add(&f->latency, latency);
}

void record_fault(struct task *t, int mm_id, bool major, int retries, sim_ns start)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);
	struct interval_series *is = intervals_of(t);

	if (trace_active)
		trace_fault(t, major, retries, start);
	if (is)
		intervals_fault(is, major, now);
	if (!r)
		return;
	assert(mm_id >= 0 && (unsigned)mm_id < r->faults.nr_mms);
	fault_stats_add(&r->faults.mm[mm_id], major, retries, now - start);
}

/* The processes' faults give all faults. */
static void fault_totals(struct recorder *r)
{
	struct fault_stats *all = &r->faults.all;

	for (unsigned i = 0; i < r->faults.nr_mms; i++) {
		const struct fault_stats *f = &r->faults.mm[i];

		all->major += f->major;
		all->minor += f->minor;
		all->retries += f->retries;
		for (int o = 0; o < VMA_LOCK_OUTCOMES; o++)
			all->vma_lock[o] += f->vma_lock[o];
		summary_merge(&all->latency, &f->latency);
	}
}

static json_t *fault_json(const struct fault_stats *f)
{
	return json_pack("{sI sI sI so s{sI sI sI}}", "major", (json_int_t)f->major, "minor",
	                 (json_int_t)f->minor, "retries", (json_int_t)f->retries, "latency_us",
	                 summary_json(&f->latency), "vma_lock", "success",
	                 (json_int_t)f->vma_lock[VMA_LOCK_SUCCESS], "retry",
	                 (json_int_t)f->vma_lock[VMA_LOCK_RETRY], "abort",
	                 (json_int_t)f->vma_lock[VMA_LOCK_ABORT]);
}

static void fault_output(json_t *m, const struct metric_output *o)
{
	const struct scenario *s = o->s;

	for (unsigned p = 0; p < s->nr_procs; p++) {
		char *path = xasprintf("processes.%s.faults", s->procs[p].name);

		json_dotted_set(m, path, fault_json(&o->r->faults.mm[p]));
		free(path);
	}
	json_dotted_set(m, "faults", fault_json(&o->r->faults.all));
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc fault_docs[] = {
	{ "`faults.{major, minor, retries}`",
	  "page faults that read the disk, that did not, and `VM_FAULT_RETRY` passes" },
	{ "`faults.vma_lock.{success, retry, abort}`",
	  "faults tried under their VMA's lock (6.4+): done there, fell back to `mmap_sem` after a "
	  "wait, or could not take it (a writer has the VMA, or the fault is not covered)" },
	{ "`faults.latency_us.*`", "one fault, from the exception to the return to user space" },
	{ "`processes.<name>.faults.{major, minor, retries}`, `.latency_us.*`",
	  "the same, for one process's faults" },
	{ NULL, NULL },
};

const struct metric_family fault_family = {
	.name = "faults",
	.docs = fault_docs,
	.init = fault_init,
	.release = fault_release,
	.totals = fault_totals,
	.output = fault_output,
};
