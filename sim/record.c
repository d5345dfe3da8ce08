/*
 * record.c - the recorder: the metric families (sim/metrics/) in order,
 * each folding its records into summaries (after the warm-up).
 */
#include "sim/metrics/checks.h"
#include "sim/record.h"

/*
 * engine.events: written by output_metrics() itself (the count is the
 * engine's, not a record's); a family of its docs only, for `mmsim list`.
 */
static const struct metric_doc engine_docs[] = {
	{ "`engine.events`",
	  "simulation events (lock grants and releases, wake-ups, disk completions, ...)" },
	{ NULL, NULL },
};

static const struct metric_family engine_family = {
	.name = "engine",
	.docs = engine_docs,
};

/*
 * The order of the output too: a family may add to an object an earlier
 * one made (devices' swap.device into swap), and fairness reads the locks'
 * totals.
 */
const struct metric_family *const metric_families[] = {
	&thread_family, &lock_family,   &fault_family, &page_lock_family, &memcg_family,
	&swap_family,   &mlock_family,  &kvm_family,   &device_family,    &fairness_family,
	&check_family,  &engine_family, NULL,
};

void recorder_init(struct recorder *r, const struct recorder_shape *shape, sim_ns warmup_ns,
                   sim_ns end_ns)
{
	/* all zeroes: every count, summary (summary_init) and integral starts empty */
	*r = (struct recorder){ .warmup_ns = warmup_ns, .end_ns = end_ns };
	for (const struct metric_family *const *f = metric_families; *f; f++)
		if ((*f)->init)
			(*f)->init(r, shape);
}

void recorder_release(struct recorder *r)
{
	for (const struct metric_family *const *f = metric_families; *f; f++)
		if ((*f)->release)
			(*f)->release(r);
}

void recorder_totals(struct recorder *r)
{
	for (const struct metric_family *const *f = metric_families; *f; f++)
		if ((*f)->totals)
			(*f)->totals(r);
}

void recorder_finish(struct recorder *r)
{
	for (const struct metric_family *const *f = metric_families; *f; f++)
		if ((*f)->finish)
			(*f)->finish(r);
	recorder_totals(r);
}
