/* kvm.c - the records of KVM guests and their metrics (kvm.*). */
#include "models/thread.h"
#include "sim/output.h"
#include "sim/record.h"

void record_kvm_busy(struct task *t, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	sim_ns now = task_now(t), from = start > c->rec->warmup_ns ? start : c->rec->warmup_ns;

	if (now > from)
		c->rec->kvm.busy_ns += (double)(now - from);
}

void record_kvm_guest_op(struct task *t)
{
	struct recorder *r = record_get(t, task_now(t));

	if (r)
		r->kvm.guest_ops++;
}

void record_kvm_apf(struct task *t, bool ready)
{
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	if (ready)
		r->kvm.apf_ready++;
	else
		r->kvm.apf_injected++;
}

/* vCPUs: the threads whose loop has a guest op. */
static unsigned kvm_nr_vcpus(const struct scenario *s)
{
	unsigned n = 0;
	int guest;

	if (!thread_op_find("guest", &guest))
		return 0;
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++) {
			const struct thread_group_config *g = &s->procs[p].groups[i];

			for (unsigned o = 0; o < g->nr_ops; o++) {
				if (g->loop[o].op == guest) {
					n += g->count;
					break;
				}
			}
		}
	}
	return n;
}

static void kvm_output(json_t *m, const struct metric_output *o)
{
	const struct kvm_metrics *k = &o->r->kvm;
	unsigned vcpus = kvm_nr_vcpus(o->s);

	json_dotted_set(m, "kvm",
	                json_pack("{sf sf sI sI}", "vcpu_utilization",
	                          vcpus ? k->busy_ns / (vcpus * o->window_s * 1e9) : 0.0,
	                          "guest_ops_per_s", (double)k->guest_ops / o->window_s,
	                          "apf_injected", (json_int_t)k->apf_injected, "apf_ready",
	                          (json_int_t)k->apf_ready));
}

/* No init nor release: plain counts, all zeroes at the start. */
/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc kvm_docs[] = {
	{ "`kvm.{vcpu_utilization, guest_ops_per_s}`",
	  "busy time of the vCPUs (threads with a `guest` op) running guest work (`work_us`) / "
	  "(vCPUs × window), and guest ops completed per second; 0 without vCPUs" },
	{ "`kvm.{apf_injected, apf_ready}`",
	  "async page faults: \"page not present\" injections, and \"page ready\" injections (an "
	  "async fault pending at the warm-up's end counts as ready only)" },
	{ NULL, NULL },
};

const struct metric_family kvm_family = {
	.name = "kvm",
	.docs = kvm_docs,
	.output = kvm_output,
};
