/*
 * list.c - `mmsim list`: the tables the scenarios draw from (kernel profiles,
 * rwsem policies, operations and their parameters, distributions, sections).
 */
#include <stdio.h>
#include <string.h>

#include "models/dist.h"
#include "models/kernel_profiles.h"
#include "models/mm.h"
#include "models/rwsem.h"
#include "models/thread.h"
#include "sim/list.h"
#include "sim/params.h"
#include "sim/scenario.h"

static void list_params(const struct param *table, const char *indent)
{
	for (const struct param *p = table; p->key; p++) {
		char range[256] = "";

		if (p->type == PARAM_DOUBLE || p->type == PARAM_UINT || p->type == PARAM_DIST)
			snprintf(range, sizeof(range), "[%g, %g]", p->min, p->max);
		else if (p->type == PARAM_ENUM) {
			size_t n = 0;

			for (int i = 0; p->choices[i] && n < sizeof(range) - 1; i++)
				n += (size_t)snprintf(range + n, sizeof(range) - n, "%s%s", i ? "|" : "",
						      p->choices[i]);
		} else if (p->type == PARAM_BOOL)
			snprintf(range, sizeof(range), "true|false");
		printf("%s%-18s default %-10s %-22s %s\n", indent, p->key, p->def ? p->def : "-", range,
		       p->doc);
	}
}

/* A feature's value in a profile, as `mmsim list` shows it. */
static const char *feature_text(const struct param *p, const struct kernel_features *f)
{
	const char *field = (const char *)f + p->offset;

	if (p->type == PARAM_BOOL)
		return *(const bool *)field ? "yes" : "no";
	return p->choices[*(const int *)field]; /* PARAM_ENUM */
}

static void list_profiles(void)
{
	const struct param *p;

	printf("kernel profiles (\"kernel\"; override single features with \"features\"):\n");
	printf("  %-16s", "name");
	for (p = kernel_feature_params; p->key; p++)
		printf(" %-*s", (int)strlen(p->key), p->key);
	printf("\n");
	for (int i = 0; kernel_profiles[i].name; i++) {
		printf("  %-16s", kernel_profiles[i].name);
		for (p = kernel_feature_params; p->key; p++)
			printf(" %-*s", (int)strlen(p->key), feature_text(p, &kernel_profiles[i].features));
		printf("\n  %16s %s\n", "", kernel_profiles[i].doc);
	}
	printf("\nfeatures (keys of \"features\"):\n");
	list_params(kernel_feature_params, "  ");
}

void list_print(void)
{
	list_profiles();
	printf("\nrw-semaphore policies (feature \"rwsem_policy\"):\n");
	for (int i = 0; rwsem_policies[i]; i++)
		printf("  %-16s %s\n", rwsem_policies[i]->name, rwsem_policies[i]->doc);
	printf("\nthread groups (\"processes\"[].\"threads\"[], each with a \"name\" and a \"loop\"):\n");
	list_params(thread_group_params, "  ");
	printf("\nthread operations (\"loop\": [{\"op\": NAME, ...}]):\n");
	for (int i = 0; thread_ops[i].name; i++) {
		printf("  %-16s %s\n", thread_ops[i].name, thread_ops[i].doc);
		list_params(thread_ops[i].params, "      ");
	}
	printf("  every op also takes:\n");
	list_params(op_common_params, "      ");
	printf("\ndistributions (any time parameter: a number, or {\"dist\": NAME, ...}):\n");
	for (const struct dist_info *d = dist_table; d->name; d++) {
		char keys[64];

		snprintf(keys, sizeof(keys), "%s%s%s", d->a, d->b ? ", " : "", d->b ? d->b : "");
		printf("  %-16s %-16s %s\n", d->name, keys, d->doc);
	}
	printf("\nmachine (\"machine\"):\n");
	list_params(machine_params, "  ");
	printf("\ndisk (\"disk\"):\n");
	list_params(disk_params, "  ");
	printf("\nswap (\"swap\"; service_ms and page_transfer_us for device \"own\"):\n");
	list_params(swap_params, "  ");
	printf("\nfairness (\"fairness\"):\n");
	list_params(fairness_params, "  ");
	printf("\nmemory cgroups (\"cgroups\"[], each with a \"name\"; a process joins one with \"cgroup\"):\n");
	list_params(memcg_params, "  ");
	printf("\nprocesses (\"processes\"[]: \"name\", \"count\" (1: identical processes), \"cgroup\", \"mappings\", \"threads\")\n");
	printf("\nmappings (\"processes\"[].\"mappings\"[], each with a \"name\"; file mappings may name their \"file\"):\n");
	list_params(mapping_params, "  ");
}
