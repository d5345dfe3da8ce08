/* memcg.c - the records of memcg charges and their metrics (memcg.<cgroup>). */
#include <assert.h>

#include "sim/output.h"
#include "sim/record.h"
#include "sim/util.h"

static void memcg_metrics_init(struct recorder *r, const struct recorder_shape *shape)
{
	/* calloc: every count and summary starts empty (summary_init is all zeroes) */
	r->memcgs.nr = shape->nr_memcgs;
	r->memcgs.cg = xcalloc(r->memcgs.nr, sizeof(*r->memcgs.cg));
}

static void memcg_metrics_release(struct recorder *r)
{
	for (unsigned i = 0; i < r->memcgs.nr; i++)
		summary_release(&r->memcgs.cg[i].latency);
	free(r->memcgs.cg);
}

void record_memcg_charge(struct task *t, int cg_id, sim_ns start, unsigned reclaims, bool oom_wait,
                         bool oom_kill, bool charged)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);
	struct memcg_stats *m;

	if (!r)
		return;
	assert(cg_id >= 0 && (unsigned)cg_id < r->memcgs.nr);
	m = &r->memcgs.cg[cg_id];
	m->charges++;
	m->reclaims += reclaims;
	m->oom_waits += oom_wait;
	m->oom_kills += oom_kill;
	m->failed += !charged;
	summary_add(&m->latency, now - start);
}

static void memcg_metrics_output(json_t *m, const struct metric_output *o)
{
	const struct scenario *s = o->s;

	for (unsigned i = 0; i < o->r->memcgs.nr && i < s->nr_cgroups; i++) {
		const struct memcg_stats *c = &o->r->memcgs.cg[i];
		char *path = xasprintf("memcg.%s", s->cgroups[i].name);

		json_dotted_set(m, path,
		                json_pack("{sI sI sI sI sI so}", "charges", (json_int_t)c->charges,
		                          "reclaims", (json_int_t)c->reclaims, "oom_kills",
		                          (json_int_t)c->oom_kills, "oom_waits",
		                          (json_int_t)c->oom_waits, "failed", (json_int_t)c->failed,
		                          "charge_latency_us", summary_json(&c->latency)));
		free(path);
	}
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc memcg_docs[] = {
	{ "`memcg.<cgroup>.{charges, reclaims, oom_kills, oom_waits, failed}`",
	  "per memory cgroup: charges ended after warm-up (failed ones included), reclaim "
	  "attempts, charges that killed a victim, that slept until memory was freed, that failed "
	  "(`VM_FAULT_OOM`)" },
	{ "`memcg.<cgroup>.charge_latency_us.*`", "one charge, its reclaim and OOM wait included" },
	{ NULL, NULL },
};

const struct metric_family memcg_family = {
	.name = "memcg",
	.docs = memcg_docs,
	.init = memcg_metrics_init,
	.release = memcg_metrics_release,
	.output = memcg_metrics_output,
};
