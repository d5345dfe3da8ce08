/*
 * test_scenario.c - the scenario loader's table of sections, the paths into
 * JSON trees, and the swap slots the loader counts as the machine takes them.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/swap.h"
#include "sim/json_path.h"
#include "sim/scenario.h"
#include "tests/unit/harness.h"

/* Loads @text as a scenario file; 0 or -1. */
static int load_text(struct scenario_set *set, const char *text)
{
	char path[] = "/tmp/mmsim-test-scenario-XXXXXX";
	int fd = mkstemp(path), rc;
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		CHECK(!"cannot write the scenario file");
		return -1;
	}
	close(fd);
	rc = scenario_load(set, path, NULL, 0, -1);
	unlink(path);
	return rc;
}

static const char minimal[] =
        "{\"duration_s\": 1, \"kernel\": \"2.6.36\", \"processes\": [{\"name\": \"P\", "
        "\"mappings\": [{\"name\": \"heap\", \"type\": \"anon\", \"size_mb\": 1}], "
        "\"threads\": [{\"name\": \"A\", \"loop\": [{\"op\": \"think\", \"time_us\": 1}]}]}]}";

/* Each key once; an object of parameters has its offset, the rest their hooks. */
static void sections_table_is_consistent(void)
{
	for (const struct scenario_section *a = scenario_sections; a->key; a++) {
		CHECK(a->doc && *a->doc);
		for (const struct scenario_section *b = scenario_sections; b < a; b++)
			CHECK(strcmp(a->key, b->key) != 0);
		if (a->params && !a->load)
			CHECK(a->offset > 0 && !a->dump && !a->release);
		if (!a->load)
			CHECK(!a->dump && !a->release);
	}
}

/* The resolved parameters hold every section that loads, and only those. */
static void resolved_parameters_follow_the_table(void)
{
	struct scenario_set set;
	unsigned n = 0;

	CHECK_EQ(load_text(&set, minimal), 0);
	CHECK_EQ(set.nr_points, 1);
	for (const struct scenario_section *sec = scenario_sections; sec->key && set.nr_points;
	     sec++) {
		json_t *v = json_object_get(set.points[0].resolved, sec->key);
		bool loads = sec->load || sec->params;

		/*
		 * until and devices are left out when absent (the point ids of older
		 * files stay); include and op_defaults are merged into the other
		 * sections as they load, never resolved themselves.
		 */
		CHECK(loads == (v != NULL) || strcmp(sec->key, "until") == 0 ||
		      strcmp(sec->key, "devices") == 0 || strcmp(sec->key, "include") == 0 ||
		      strcmp(sec->key, "op_defaults") == 0);
		n += v != NULL;
	}
	if (set.nr_points)
		CHECK_EQ(json_object_size(set.points[0].resolved), n);
	scenario_set_release(&set);
}

static void json_paths(void)
{
	json_t *root = json_loads("{\"processes\": [{\"name\": \"P\", \"threads\": [{\"name\": "
	                          "\"B\", \"count\": 1}]}], \"a\": {\"b\": {\"c\": 3}}}",
	                          0, NULL);
	char *err = NULL;

	CHECK_EQ(json_path_set(root, "disk.service_ms", json_integer(5), &err), 0);
	CHECK_EQ(json_integer_value(json_path_get(root, ".disk.service_ms")), 5);
	CHECK_EQ(json_path_set(root, "threads.B.count", json_integer(7), &err), 0);
	CHECK_EQ(json_integer_value(json_path_get(root, "processes[0].threads.B.count")), 7);
	CHECK_EQ(json_path_set(root, "processes[3].count", json_integer(1), &err), -1);
	CHECK(err && strstr(err, "has 1 element, no [3]"));
	free(err);
	CHECK_EQ(json_path_set(root, "a..b", json_integer(1), &err), -1);
	CHECK(err && strstr(err, "malformed path 'a..b'"));
	free(err);
	CHECK_EQ(json_integer_value(json_dotted_get(root, "a.b.c")), 3);
	CHECK(json_dotted_get(root, "a.x.c") == NULL);
	json_decref(root);
}

/* What the loader counts is what anon_pages_init and swap_init take. */
static void swap_slots_of_a_mapping(void)
{
	struct mapping_config anon = { .kind = MAPPING_ANON,
		                       .size_mb = 0.25,
		                       .swapped_fraction = 0.5 };
	struct mapping_config file = anon;
	struct swap_config cfg = { .size_mb = 1.5 };

	file.kind = MAPPING_FILE;
	CHECK_EQ(mapping_pages(&anon), 64);
	CHECK_EQ(mapping_swap_slots(&anon), 32);
	CHECK_EQ(mapping_swap_slots(&file), 0);
	anon.size_mb = 0.001; /* a partial page is a page */
	CHECK_EQ(mapping_pages(&anon), 1);
	CHECK_EQ(mapping_swap_slots(&anon), 1); /* round(0.5) */
	CHECK_EQ(swap_usable_slots(&cfg), 384);
}

int main(void)
{
	TEST(sections_table_is_consistent);
	TEST(resolved_parameters_follow_the_table);
	TEST(json_paths);
	TEST(swap_slots_of_a_mapping);
	return harness_failures != 0;
}
