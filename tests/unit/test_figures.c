/*
 * test_figures.c - the pieces of `mmsim plot` that need no gnuplot: axis
 * labels from column paths (units from their suffix, the statistic after
 * them), and summary.csv read back (quoted fields, empty cells, short rows,
 * CRLF). Pure C: no simulation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/csv.h"
#include "sim/figures.h"
#include "sim/util.h"
#include "tests/unit/harness.h"

static void check_label(const char *path, const char *want)
{
	char *got = figure_label(path);

	if (strcmp(got, want) != 0) {
		printf("  figure_label(\"%s\") = \"%s\", expected \"%s\"\n", path, got, want);
		harness_failures++;
	}
	free(got);
}

static void labels_carry_the_unit_of_the_suffix(void)
{
	check_label("threads.B.ops_per_s", "threads.B.ops (1/s)");
	check_label("kvm.guest_ops_per_s", "kvm.guest_ops (1/s)");
	check_label("mmap_sem.write.wait_us.p99", "mmap_sem.write.wait p99 (µs)");
	check_label("disk.service_ms.mean", "disk.service mean (ms)");
	check_label("disk.service_ms", "disk.service (ms)");
	check_label("cgroups[0].usage_mb", "cgroups[0].usage (MB)");
	check_label("duration_s", "duration (s)");
	check_label("threads.sh.blocked_at_end_max_us", "threads.sh.blocked_at_end_max (µs)");
	check_label("swap.readahead_pages", "swap.readahead (pages)");
	check_label("x_ns", "x (ns)");
}

static void labels_without_unit_stay_the_path(void)
{
	check_label("kernel", "kernel");
	check_label("threads.A.count", "threads.A.count");
	check_label("processes[0].mappings[0].swapped_fraction",
	            "processes[0].mappings[0].swapped_fraction");
	check_label("kvm.vcpu_utilization", "kvm.vcpu_utilization");
	check_label("faults.retries", "faults.retries"); /* "s" alone is no unit */
	check_label("_us", "_us");                       /* nor a bare suffix */
}

static int load_text(struct csv *t, const char *text)
{
	char path[] = "/tmp/mmsim-test-csv.XXXXXX";
	int fd = mkstemp(path), rc;

	if (fd < 0)
		abort();
	close(fd);
	CHECK_EQ(write_file_atomic(path, text, strlen(text)), 0);
	rc = csv_load(t, path);
	unlink(path);
	return rc;
}

static void csv_reads_quotes_and_empty_cells(void)
{
	struct csv t;
	double v;

	CHECK_EQ(load_text(&t, "point,disk.service_ms,m,m.ci_lo\r\n"
	                       "a,\"{\"\"dist\"\":\"\"exp\"\",\"\"mean\"\":1}\",2.5,\r\n"
	                       "b,18,,1\n"
	                       "c,1\n"),
	         0);
	CHECK_EQ(t.nr_cols, 4);
	CHECK_EQ(t.nr_rows, 3);
	CHECK(strcmp(t.cols[3], "m.ci_lo") == 0);
	CHECK(strcmp(csv_cell(&t, 0, 1), "{\"dist\":\"exp\",\"mean\":1}") == 0);
	CHECK(csv_number(csv_cell(&t, 0, 2), &v) && v == 2.5);
	CHECK(strcmp(csv_cell(&t, 0, 3), "") == 0); /* a trailing empty cell */
	CHECK(!csv_number(csv_cell(&t, 1, 2), &v)); /* "" is no number */
	CHECK(strcmp(csv_cell(&t, 2, 3), "") == 0); /* a short row, padded */
	CHECK_EQ(csv_col(&t, "m"), 2);
	CHECK_EQ(csv_col(&t, "n"), -1);
	CHECK(strcmp(csv_cell(&t, 0, -1), "") == 0);
	CHECK(!csv_number("inf", &v) && !csv_number("2.6.36", &v) && !csv_number("nan", &v));
	csv_release(&t);
	CHECK_EQ(csv_load(&t, "/nonexistent/summary.csv"), -1);
}

int main(void)
{
	TEST(labels_carry_the_unit_of_the_suffix);
	TEST(labels_without_unit_stay_the_path);
	TEST(csv_reads_quotes_and_empty_cells);
	return harness_failures != 0;
}
