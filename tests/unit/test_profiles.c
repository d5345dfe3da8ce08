/*
 * test_profiles.c - the kernel profiles as resolved from their rows (each a
 * parent plus changes) against the full feature sets they had when every row
 * was written out in full.
 */
#include <string.h>

#include "models/kernel_profiles.h"
#include "models/rwsem.h"
#include "tests/unit/harness.h"

/* The features each profile had before the rows became changes (absent: 0, false). */
static const struct {
	const char *name;
	struct kernel_features features;
} expected[] = {
	{"2.6.28",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_NONE,
	  .mlock_populate = MLOCK_DOWNGRADE,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"2.6.36",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_NONE,
	  .mlock_populate = MLOCK_WRITE,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"2.6.36-release",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .mlock_populate = MLOCK_WRITE,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"2.6.37",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .mlock_populate = MLOCK_WRITE,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"2.6.38",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .mlock_populate = MLOCK_READ_RETRY,
	  .kvm_apf = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"2.6.39",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .mlock_populate = MLOCK_READ_RETRY,
	  .kvm_apf = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"3.0",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_READ_RETRY,
	  .kvm_apf = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"3.9",
	 {.rwsem_policy = RWSEM_POLICY_2636,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"3.10",
	 {.rwsem_policy = RWSEM_POLICY_310,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"3.16",
	 {.rwsem_policy = RWSEM_POLICY_316,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"4.20",
	 {.rwsem_policy = RWSEM_POLICY_316,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"5.1",
	 {.rwsem_policy = RWSEM_POLICY_316,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"5.3",
	 {.rwsem_policy = RWSEM_POLICY_53,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"5.7",
	 {.rwsem_policy = RWSEM_POLICY_53,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .retry_multi = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"5.11",
	 {.rwsem_policy = RWSEM_POLICY_511,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .retry_multi = true,
	  .per_vma_lock = PER_VMA_LOCK_OFF}},
	{"6.4",
	 {.rwsem_policy = RWSEM_POLICY_511,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .retry_multi = true,
	  .per_vma_lock = PER_VMA_LOCK_ANON}},
	{"6.6",
	 {.rwsem_policy = RWSEM_POLICY_511,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .retry_multi = true,
	  .per_vma_lock = PER_VMA_LOCK_SWAP}},
	{"6.8",
	 {.rwsem_policy = RWSEM_POLICY_511,
	  .fault_retry = FAULT_RETRY_ONCE,
	  .swapin_retry = true,
	  .fault_tried = true,
	  .cow_prealloc = true,
	  .mlock_populate = MLOCK_OUTSIDE,
	  .kvm_apf = true,
	  .munmap_downgrade = true,
	  .filemap_drop_for_io = true,
	  .retry_multi = true,
	  .per_vma_lock = PER_VMA_LOCK_FILE}},
};

#define NR_EXPECTED (sizeof(expected) / sizeof(*expected))

/* Every feature of @got as @want, compared through the table of features. */
static void check_features(const char *name, const struct kernel_features *got,
			   const struct kernel_features *want)
{
	for (const struct param *p = kernel_feature_params; p->key; p++) {
		const char *g = (const char *)got + p->offset, *w = (const char *)want + p->offset;
		bool same = p->type == PARAM_BOOL ? *(const bool *)g == *(const bool *)w
						  : *(const int *)g == *(const int *)w;

		if (!same) {
			printf("  profile %s: feature %s differs\n", name, p->key);
			harness_failures++;
		}
	}
}

static void every_profile_resolves_to_its_features(void)
{
	size_t i;

	for (i = 0; kernel_profiles[i].name; i++) {
		CHECK(i < NR_EXPECTED);
		if (i >= NR_EXPECTED)
			break;
		CHECK(strcmp(kernel_profiles[i].name, expected[i].name) == 0);
		check_features(kernel_profiles[i].name, &kernel_profiles[i].features,
			       &expected[i].features);
		CHECK(kernel_profile_find(expected[i].name) == &kernel_profiles[i]);
	}
	CHECK_EQ(i, NR_EXPECTED);
}

static void rwsem_policy_choices_are_the_policies(void)
{
	const char *const *choices = kernel_feature_params[0].choices;
	int i;

	CHECK(strcmp(kernel_feature_params[0].key, "rwsem_policy") == 0);
	for (i = 0; rwsem_policies[i]; i++)
		CHECK(choices[i] && strcmp(choices[i], rwsem_policies[i]->name) == 0);
	CHECK(choices[i] == NULL);
}

int main(void)
{
	TEST(every_profile_resolves_to_its_features);
	TEST(rwsem_policy_choices_are_the_policies);
	return harness_failures != 0;
}
