/* swap.c - the records of swap-ins and their metrics (swap.*, but swap.device). */
#include "sim/output.h"
#include "sim/record.h"

static void swap_metrics_release(struct recorder *r)
{
	summary_release(&r->swap.latency);
}

void record_swapin(struct task *t, sim_ns start, unsigned readahead_pages)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	r->swap.ins++;
	r->swap.readahead_pages += readahead_pages;
	summary_add(&r->swap.latency, now - start);
}

static void swap_metrics_output(json_t *m, const struct metric_output *o)
{
	const struct swap_metrics *sw = &o->r->swap;

	json_dotted_set(m, "swap",
	                json_pack("{sI sI so}", "ins", (json_int_t)sw->ins, "readahead_pages",
	                          (json_int_t)sw->readahead_pages, "latency_us",
	                          summary_json(&sw->latency)));
}

/* No init: the recorder starts all zeroes, an empty summary. */
/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc swap_docs[] = {
	{ "`swap.{ins, readahead_pages}`",
	  "swap-in reads of a faulting page, and the other pages read with them" },
	{ "`swap.latency_us.*`",
	  "from the swap-in read's submission to the faulting task finding it done" },
	{ NULL, NULL },
};

const struct metric_family swap_family = {
	.name = "swap",
	.docs = swap_docs,
	.release = swap_metrics_release,
	.output = swap_metrics_output,
};
