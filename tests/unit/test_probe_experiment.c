/*
 * test_probe_experiment.c - the seed-000 experiment on the running kernel, run
 * short (a 16 MiB file, 0.2 s phases): every phase reports positive rates and
 * distributions, A's faults are major faults (slower than B's mmap+munmap),
 * the scratch file is gone afterwards, and a run that cannot happen (no such
 * folder, no space) says why and creates nothing. Skipped, with the reason,
 * where the kernel does not evict (a tmpfs TMPDIR).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/probe.h"
#include "sim/util.h"
#include "tests/unit/harness.h"

static char *scratch_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/mmsim-probe-exp-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static double number(json_t *obj, const char *path1, const char *path2)
{
	json_t *v = json_object_get(obj, path1);

	if (path2)
		v = json_object_get(v, path2);
	return json_number_value(v);
}

static void check_role(json_t *phase, const char *role)
{
	json_t *r = json_object_get(phase, role);
	json_t *lat = json_object_get(r, "latency");

	CHECK(r != NULL);
	CHECK(number(r, "ops_per_s", NULL) > 0);
	CHECK(number(r, "ops_per_s_min", NULL) <= number(r, "ops_per_s", NULL));
	CHECK(number(r, "ops_per_s_max", NULL) >= number(r, "ops_per_s", NULL));
	CHECK(json_integer_value(json_object_get(r, "ops")) > 0);
	CHECK(json_integer_value(json_object_get(lat, "n")) > 0);
	CHECK(strcmp(json_string_value(json_object_get(lat, "unit")), "us") == 0);
	CHECK(number(lat, "min", NULL) > 0);
	CHECK(number(lat, "p50", NULL) >= number(lat, "min", NULL));
	CHECK(number(lat, "p99", NULL) >= number(lat, "p50", NULL));
	CHECK(number(lat, "max", NULL) >= number(lat, "p99", NULL));
	json_t *sched = json_object_get(r, "sched");
	if (sched) {
		/* shares of the thread's wall time (schedstat counts in ns: a little slack) */
		CHECK(number(sched, "on_cpu_fraction", NULL) > 0);
		CHECK(number(sched, "on_cpu_fraction", NULL) +
		              number(sched, "runqueue_fraction", NULL) <
		      1.05);
		CHECK(number(sched, "blocked_fraction", NULL) >= 0);
	}
}

static void short_run_measures_every_phase_and_cleans_up(void)
{
	char *dir = scratch_dir();
	struct probe_options o = {
		.dir = dir, .seconds = 0.2, .repetitions = 1, .file_mb = 16, .quiet = true
	};
	char *why = NULL;

	CHECK(dir != NULL);
	if (!dir)
		return;
	json_t *res = probe_experiment_seed000(&o, &why);
	CHECK_EQ(entries(dir), 0);
	rmdir(dir);
	free(dir);
	if (!res) {
		CHECK(why != NULL);
		/* the kernel or file system does not evict: not a failure of mmsim */
		if (why && strstr(why, "eviction does not work here"))
			printf("  skipped: %s\n", why);
		else
			CHECK(!"the experiment ran");
		free(why);
		return;
	}
	CHECK(why == NULL);
	CHECK(strcmp(json_string_value(json_object_get(res, "experiment")), "seed-000") == 0);
	CHECK_EQ(json_integer_value(json_object_get(res, "file_mb")), 16);
	CHECK_EQ(json_integer_value(json_object_get(res, "repetitions")), 1);
	CHECK(json_integer_value(json_object_get(res, "cpus")) >= 1);
	CHECK(strlen(json_string_value(json_object_get(res, "kernel"))) > 0);
	CHECK(json_array_size(json_object_get(res, "notes")) >= 1);

	json_t *phases = json_object_get(res, "phases");
	static const char *const names[] = { "B_alone",      "A_alone",      "A_and_B",
		                             "reader_alone", "A_and_reader", "cmdline_alone",
		                             "A_and_cmdline" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		json_t *ph = json_object_get(phases, names[i]);
		CHECK(ph != NULL);
		CHECK_EQ(json_array_size(json_object_get(ph, "repetitions")), 1);
		if (strncmp(names[i], "A_", 2) == 0) {
			check_role(ph, "A");
			json_t *a = json_object_get(ph, "A");
			/* the touches alone are faster than the loop that also evicts */
			CHECK(number(a, "ops_per_s", NULL) >= number(a, "loop_ops_per_s", NULL));
			CHECK(number(a, "fault_time_fraction", NULL) > 0);
			CHECK(number(a, "fault_time_fraction", NULL) <= 1);
			double ok = number(a, "eviction", "success_fraction");
			CHECK(ok >= 0 && ok <= 1);
		}
		if (strstr(names[i], "B"))
			check_role(ph, "B");
		if (strstr(names[i], "reader") || strstr(names[i], "cmdline")) {
			check_role(ph, "reader");
			CHECK(json_integer_value(json_object_get(json_object_get(ph, "reader"),
			                                         "bytes_per_read")) > 0);
		}
	}
	/* a major fault (a disk read) costs more than mapping and unmapping untouched memory */
	CHECK(number(json_object_get(json_object_get(phases, "A_alone"), "A"), "latency", "p50") >
	      number(json_object_get(json_object_get(phases, "B_alone"), "B"), "latency", "p50"));
	json_decref(res);
}

static void impossible_runs_say_why_and_create_nothing(void)
{
	char *dir = scratch_dir();
	struct probe_options o = { .dir = "/nonexistent/mmsim-probe",
		                   .seconds = 0.2,
		                   .quiet = true };
	char *why = NULL;

	CHECK(probe_experiment_seed000(&o, &why) == NULL);
	CHECK(why && strstr(why, "/nonexistent/mmsim-probe"));
	free(why);
	why = NULL;
	if (!dir)
		return;
	o.dir = dir;
	o.file_mb = (size_t)1 << 30; /* 1 PiB */
	CHECK(probe_experiment_seed000(&o, &why) == NULL);
	CHECK(why && strstr(why, "not enough space"));
	free(why);
	CHECK_EQ(entries(dir), 0);
	rmdir(dir);
	free(dir);
}

int main(void)
{
	TEST(short_run_measures_every_phase_and_cleans_up);
	TEST(impossible_runs_say_why_and_create_nothing);
	return harness_failures != 0;
}
