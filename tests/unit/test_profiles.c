/*
 * test_profiles.c - the kernel profiles as resolved from their rows (each a
 * parent plus changes) against the full feature sets they had when every row
 * was written out in full.
 */
#include <string.h>

#include "models/kernel_profiles.h"
#include "models/rwsem.h"
#include "tests/unit/harness.h"

/*
 * Each profile's features in the order of kernel_feature_params, as
 * `mmsim list` shows them (yes/no, or the enum's choice), taken from the rows
 * written out in full. A new feature appends its value to every row.
 */
/* clang-format off */
static const struct {
	const char *name;
	const char *features;
} expected[] = {
	{ "2.6.28",         "2.6.36 none no no no no downgrade no no in_charge no no no off no per_queue" },
	{ "2.6.36",         "2.6.36 none no no no no write no no in_charge no no no off no per_queue" },
	{ "2.6.36-release", "2.6.36 once no no no no write no no in_charge no no no off no per_queue" },
	{ "2.6.37",         "2.6.36 once yes no no no write no no in_charge no no no off no per_queue" },
	{ "2.6.38",         "2.6.36 once yes no no no read_retry no no in_charge no no no off no per_queue" },
	{ "2.6.39",         "2.6.36 once yes no no no read_retry yes no in_charge no no no off no on_stack" },
	{ "3.0",            "2.6.36 once yes no no no read_retry yes no in_charge no no no off no on_stack" },
	{ "3.1",            "2.6.36 once yes no no yes read_retry yes no in_charge no no no off no on_stack" },
	{ "3.9",            "2.6.36 once yes yes no yes outside yes no in_charge no no no off no on_stack_swap" },
	{ "3.10",           "3.10-steal once yes yes no yes outside yes no in_charge no no no off no on_stack_swap" },
	{ "3.12",           "3.10-steal once yes yes no yes outside yes no unwind no no no off no on_stack_swap" },
	{ "3.16",           "3.16-optspin once yes yes yes yes outside yes no unwind no no no off no on_stack_swap" },
	{ "3.18",           "3.16-optspin once yes yes yes yes outside yes yes unwind no no no off no on_stack_swap" },
	{ "4.19",           "3.16-optspin once yes yes yes yes outside yes yes kill_in_charge no no no off no on_stack_swap" },
	{ "4.20",           "3.16-optspin once yes yes yes yes outside yes yes kill_in_charge yes no no off no on_stack_swap" },
	{ "5.1",            "3.16-optspin once yes yes yes yes outside yes yes kill_in_charge yes yes no off no on_stack_swap" },
	{ "5.3",            "5.3 once yes yes yes yes outside yes yes kill_in_charge yes yes no off no on_stack_swap" },
	{ "5.7",            "5.3 once yes yes yes yes outside yes yes kill_in_charge yes yes yes off no on_stack_swap" },
	{ "5.11",           "5.11 once yes yes yes yes outside yes yes kill_in_charge yes yes yes off no on_stack_swap" },
	{ "6.4",            "5.11 once yes yes yes yes outside yes yes kill_in_charge yes yes yes anon no on_stack_swap" },
	{ "6.6",            "5.11 once yes yes yes yes outside yes yes kill_in_charge yes yes yes swap no on_stack_swap" },
	{ "6.8",            "5.11 once yes yes yes yes outside yes yes kill_in_charge yes yes yes file no on_stack_swap" },
	{ "6.18",           "5.11 once yes yes yes yes outside yes yes kill_in_charge yes yes yes file yes on_stack_swap" },
};
/* clang-format on */

#define NR_EXPECTED (sizeof(expected) / sizeof(*expected))

/* @f as "v1 v2 ...", one word per feature, into @buf. */
static void features_text(const struct kernel_features *f, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (const struct param *p = kernel_feature_params; p->key && n < size; p++) {
		const char *field = (const char *)f + p->offset;
		const char *word = p->type == PARAM_BOOL ? (*(const bool *)field ? "yes" : "no")
		                                         : p->choices[*(const int *)field];

		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", word);
	}
}

static unsigned sources_seen, sources_bad;

/* A source names the release first: "2.6.37 \"mm: ...\"", "the x86 ... of 2.6.36". */
static void source_check(int value, const char *source, void *arg)
{
	(void)value;
	(void)arg;
	sources_seen++;
	if (!source || !*source || !strpbrk(source, "0123456789")) {
		printf("  a change without its release and commit: %s\n",
		       source ? source : "(null)");
		sources_bad++;
	}
}

/* Every feature a profile row sets says where it comes from (the Source column). */
static void every_feature_change_has_a_source(void)
{
	for (const struct param *p = kernel_feature_params; p->key; p++) {
		unsigned before = sources_seen;

		kernel_feature_sources(p->offset, source_check, NULL);
		if (sources_seen == before)
			printf("  feature %s: no profile row sets it\n", p->key);
		CHECK(sources_seen > before);
	}
	CHECK_EQ(sources_bad, 0);
}

static void every_profile_resolves_to_its_features(void)
{
	char got[512];
	size_t i;

	for (i = 0; kernel_profiles[i].name && i < NR_EXPECTED; i++) {
		CHECK(strcmp(kernel_profiles[i].name, expected[i].name) == 0);
		features_text(&kernel_profiles[i].features, got, sizeof(got));
		if (strcmp(got, expected[i].features) != 0) {
			printf("  profile %s: %s, expected %s\n", expected[i].name, got,
			       expected[i].features);
			harness_failures++;
		}
		CHECK(kernel_profile_find(expected[i].name) == &kernel_profiles[i]);
	}
	CHECK(kernel_profiles[i].name == NULL);
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
	TEST(every_feature_change_has_a_source);
	TEST(rwsem_policy_choices_are_the_policies);
	return harness_failures != 0;
}
