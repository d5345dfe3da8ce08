/*
 * kvm.h - a KVM guest on the host's mm: vCPU threads running guest tasks over
 * an anonymous mapping (guest memory) that the host partly swapped out, with
 * or without asynchronous page faults (docs/kernel-model.md#gup-kvm, the kvm_apf feature).
 */
#ifndef MODELS_KVM_H
#define MODELS_KVM_H

#include "models/thread.h"

#define KVM_MAX_TASKS 256 /* guest tasks per vCPU */
#define ASYNC_PF_PER_VCPU 64

/* guest op: one guest-task slice of a vCPU; apf_worker: one async_pf_execute.
 */
void guest_op_run(struct thread *th, const struct op_config *op);
void apf_worker_op_run(struct thread *th, const struct op_config *op);
extern const struct param guest_op_params[];
extern const struct param apf_worker_op_params[];

/* Frees a guest thread's vCPU state (the VM's goes with mm_release). */
void kvm_thread_release(struct thread *th);

/* For the tests: the async faults of @th's vCPU not yet completed (queued). */
unsigned kvm_vcpu_queued(const struct thread *th);
/* ...and how many of its guest tasks wait for a page. */
unsigned kvm_vcpu_waiting(const struct thread *th);

#endif
