/* kvm.h - the metric family of KVM guests: vCPU time, guest ops, async page faults. */
#ifndef SIM_METRICS_KVM_H
#define SIM_METRICS_KVM_H

#include "sim/metrics/family.h"

struct kvm_metrics {
	double busy_ns;        /* vCPU time running guest work, in the window */
	uint64_t guest_ops;    /* guest ops completed */
	uint64_t apf_injected; /* "page not present" injections */
	uint64_t apf_ready;    /* "page ready" injections */
};

extern const struct metric_family kvm_family;

#endif
