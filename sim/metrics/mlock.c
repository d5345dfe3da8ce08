/* mlock.c - the records of mlock() calls and their metrics (mlock.*). */
#include "sim/output.h"
#include "sim/record.h"

static void mlock_release(struct recorder *r)
{
	summary_release(&r->mlock.duration);
}

void record_mlock(struct task *t, sim_ns start, unsigned pages)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	r->mlock.calls++;
	r->mlock.pages += pages;
	summary_add(&r->mlock.duration, now - start);
}

static void mlock_output(json_t *m, const struct metric_output *o)
{
	const struct mlock_metrics *ml = &o->r->mlock;

	json_dotted_set(m, "mlock",
	                json_pack("{sI sI so}", "calls", (json_int_t)ml->calls, "pages",
	                          (json_int_t)ml->pages, "duration_us",
	                          summary_json(&ml->duration)));
}

/* No init: the recorder starts all zeroes, an empty summary. */
/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc mlock_docs[] = {
	{ "`mlock.{calls, pages}`", "`mlock` ops ended after warm-up and the pages they locked" },
	{ "`mlock.duration_us.*`", "one `mlock` op: the write section and the population" },
	{ NULL, NULL },
};

const struct metric_family mlock_family = {
	.name = "mlock",
	.docs = mlock_docs,
	.release = mlock_release,
	.output = mlock_output,
};
