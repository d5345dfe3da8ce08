/*
 * probe.c - `mmsim probe`: measures the running kernel (sim/probe_bench.c)
 * and writes a machine file, a partial scenario that a scenario includes
 * ("include", README "Calibration"): each measurement mapped to the
 * parameter it calibrates, the measured distributions as empirical files
 * beside it, and every measurement under "measured". --experiment seed-000
 * runs the seed-000 experiment for real (sim/probe_experiment.c) instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "models/disk.h"
#include "models/kernel_profiles.h"
#include "sim/output.h"
#include "sim/probe_bench.h"
#include "sim/probe_command.h"
#include "sim/util.h"

static const char usage_probe[] =
        "usage: mmsim probe [--dir DIR] [--out FILE] [--seconds N] [--file-mb N] [--quiet]\n"
        "       mmsim probe --experiment seed-000 [--dir DIR] [--out FILE] [--seconds N]\n"
        "                   [--repetitions N]\n"
        "\n"
        "Measures the running kernel: O_DIRECT 4 KiB and readahead-sized random reads of a\n"
        "scratch file under DIR (the disk's service time), a major fault on an evicted page\n"
        "and one with read-around (the CPU of each page read in), a minor fault on a cached\n"
        "one, a first touch of anonymous memory, mmap and munmap of a small region, reads of\n"
        "/proc/self/maps and cmdline, a futex wake-up between two threads, the CPUs and the\n"
        "kernel release. Writes FILE (default machine.json),\n"
        "a machine file a scenario includes (\"include\": \"machine.json\"), and the measured\n"
        "distributions beside it (FILE without .json, then .NAME.txt); prints a table.\n"
        "A measurement the kernel does not allow is skipped and said so.\n"
        "\n"
        "  --dir DIR          where the scratch file goes, the disk measured (default .)\n"
        "  --out FILE         the machine file (with --experiment: the measurements,\n"
        "                     default experiment-seed-000.json)\n"
        "  --seconds N        each measurement (with --experiment: each phase) runs N s\n"
        "                     (default 2)\n"
        "  --file-mb N        the scratch file's size (default 256; deleted at the end)\n"
        "  --experiment NAME  run an experiment for real instead: seed-000\n"
        "  --repetitions N    with --experiment: each phase N times, interleaved (default 3)\n"
        "  --quiet            no table, no progress lines\n";

static int cmd_probe(int argc, char **argv);

const struct cli_command probe_command = {
	"probe",
	"",
	"measure the running kernel: a machine file for scenarios",
	usage_probe,
	CLI_OPT(DIR) | CLI_OPT(OUT) | CLI_OPT(SECONDS) | CLI_OPT(FILE_MB) | CLI_OPT(EXPERIMENT) |
	        CLI_OPT(REPETITIONS) | CLI_OPT(QUIET),
	cmd_probe
};

/* What the measurements give, for the machine file. */
struct probe_run {
	struct probe_ctx ctx;
	json_t *measured;        /* {name: measurement} */
	json_t *machine;         /* the partial scenario being built */
	const char *out;         /* the machine file */
	char *base;              /* @out without ".json": the prefix of the empirical files */
	json_t *files;           /* {file name: text}: the empirical files, written before @out */
	double p50[16];          /* by enum below, NAN if not measured */
	double page_transfer_us; /* disk.page_transfer_us as calibrated, NAN if not */
};

enum {
	M_READ4K,
	M_READRA,
	M_MAJOR,
	M_RAFAULT,
	M_MINOR,
	M_ANON,
	M_MMAP,
	M_MUNMAP,
	M_MAPS,
	M_CMDLINE,
	M_FUTEX
};

/*
 * The model's time on a simple disk for a read of @pages contiguous pages:
 * sent in requests of at most @request_pages, served one at a time, each
 * service_ms + (its pages - 1) * page_transfer_us (models/disk.c).
 */
static double disk_read_us(double pages, double request_pages, double service_us,
                           double transfer_us)
{
	double requests = ceil(pages / request_pages);

	return requests * service_us + (pages - requests) * transfer_us;
}

/* A distribution's p50 (already computed by probe_distribution_json). */
static double dist_p50(json_t *d)
{
	return json_real_value(json_object_get(d, "p50"));
}

/*
 * Records measurement @name: its distribution (of @s, sorted in place) or
 * why it was skipped, and the parameter it calibrates; the p50 in slot @m.
 */
static json_t *record(struct probe_run *r, int m, const char *name, struct probe_samples *s,
                      char *why, const char *calibrates, const char *how)
{
	json_t *o = json_object();

	r->p50[m] = NAN;
	if (why) {
		json_object_set_new(o, "skipped", json_string(why));
		if (!r->ctx.o->quiet)
			fprintf(stderr, "mmsim probe: %s skipped: %s\n", name, why);
		free(why);
	} else {
		json_t *d = probe_distribution_json(s->v, s->n, "us");

		r->p50[m] = dist_p50(d);
		json_object_set_new(o, "distribution", d);
	}
	json_object_set_new(o, "calibrates", json_string(calibrates));
	json_object_set_new(o, "how", json_string(how));
	json_object_set_new(r->measured, name, o);
	return o;
}

/*
 * Samples @s (sorted) scaled by @scale as an empirical file beside the
 * machine file, the slowest left out above the @keep quantile; the
 * distribution naming it.
 */
static json_t *empirical(struct probe_run *r, const char *what, const struct probe_samples *s,
                         double scale, const char *unit, double keep)
{
	size_t n = keep < 1 ? (size_t)((double)s->n * keep) : s->n;
	size_t cap = n * 24 + 160, len = 0;
	char *text = xmalloc(cap), *file = xasprintf("%s.%s.txt", r->base, what);
	const char *slash = strrchr(file, '/');
	json_t *dist;

	n = n ? n : 1;
	len += (size_t)snprintf(
	        text, cap, "# mmsim probe: %s, %zu of %zu samples (up to the %g quantile), %s\n",
	        what, n, s->n, keep, unit);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%.6g\n", s->v[i] * scale);
	json_object_set_new(r->files, file, json_stringn(text, len));
	/* relative to the machine file's folder, as an included file's paths are */
	dist = json_pack("{s:s, s:s}", "dist", "empirical", "file", slash ? slash + 1 : file);
	free(text);
	free(file);
	return dist;
}

/* "6.18.44-fc" as 6018044; 0 if it is not a release number. */
static unsigned long version_key(const char *v, bool whole)
{
	unsigned a = 0, b = 0, c = 0;
	int used = 0;

	if (sscanf(v, "%u.%u%n.%u%n", &a, &b, &used, &c, &used) < 2 || (whole && v[used]))
		return 0;
	return a * 1000000ul + b * 1000ul + c;
}

/* The newest profile not newer than release @rel ("6.18.44-fc"), or NULL. */
static const char *profile_for(const char *rel)
{
	unsigned long want = version_key(rel, false), best_key = 0;
	const char *best = NULL;

	for (const struct kernel_profile *p = kernel_profiles; p->name; p++) {
		unsigned long k = version_key(p->name, true); /* "2.6.36-release": a variant */

		if (k && k <= want && k > best_key) {
			best_key = k;
			best = p->name;
		}
	}
	return best;
}

/* The scheduler as mmsim names it: mq-deadline is deadline, none is fifo. */
static const char *scheduler_for(const char *linux_name)
{
	if (strcmp(linux_name, "mq-deadline") == 0 || strcmp(linux_name, "deadline") == 0)
		return "deadline";
	if (strcmp(linux_name, "cfq") == 0 || strcmp(linux_name, "bfq") == 0)
		return "cfq";
	return "fifo";
}

/*
 * The share of a CPU cost's samples kept in its empirical file: beyond the
 * p99 the time is the vCPU's, taken by other load or the host, which the
 * distribution keeps in "measured" and the model does not charge to a
 * lock hold (a machine's other load is not modelled).
 */
#define CPU_KEEP 0.99

static double at_least0(double x)
{
	return x > 0 ? x : 0;
}

static json_t *section(json_t *root, const char *key)
{
	json_t *o = json_object_get(root, key);

	if (!o)
		json_object_set_new(root, key, o = json_object());
	return o;
}

/* The device's largest request in the model's range: disk.max_sectors_kb. */
static unsigned request_kb(const struct probe_ctx *c)
{
	unsigned kb = c->max_sectors_kb ? c->max_sectors_kb : DISK_DEFAULT_MAX_SECTORS_KB;

	return kb > DISK_MAX_PAGES * 4 ? DISK_MAX_PAGES * 4 : kb < 4 ? 4 : kb;
}

/*
 * The device reads: disk.service_ms (empirical, ms), disk.max_sectors_kb
 * (sysfs) and disk.page_transfer_us, from a read of the whole readahead
 * window (the model sends it as requests of max_sectors_kb, one after
 * another: disk_read_us).
 */
static void probe_disk(struct probe_run *r)
{
	struct probe_samples s4 = { 0 }, sra = { 0 };
	size_t ra_kb = r->ctx.read_ahead_kb > 65536 ? 65536 : r->ctx.read_ahead_kb;
	double pages, requests, request_pages = request_kb(&r->ctx) / 4;
	json_t *disk = section(r->machine, "disk");
	char how[200];

	if (ra_kb > (r->ctx.file_bytes >> 10) / 4) /* room for random windows in the file */
		ra_kb = (r->ctx.file_bytes >> 10) / 4;
	pages = (double)ra_kb / 4;
	requests = ceil(pages / request_pages);
	r->page_transfer_us = NAN;
	record(r, M_READ4K, "device_read_4k", &s4, probe_device_read(&r->ctx, 4096, &s4),
	       "disk.service_ms (the samples, as an empirical distribution in ms)",
	       "O_DIRECT pread of 4 KiB at random aligned offsets of the scratch file");
	json_object_set_new(disk, "type", json_string("simple"));
	json_object_set_new(disk, "scheduler", json_string(scheduler_for(r->ctx.scheduler)));
	json_object_set_new(disk, "max_sectors_kb", json_integer(request_kb(&r->ctx)));
	if (s4.n)
		json_object_set_new(disk, "service_ms",
		                    empirical(r, "disk-service-ms", &s4, 1e-3, "ms", 1));
	snprintf(how, sizeof(how), "O_DIRECT pread of %zu KiB (the device's readahead window)",
	         ra_kb);
	record(r, M_READRA, "device_read_readahead", &sra,
	       probe_device_read(&r->ctx, ra_kb << 10, &sra),
	       "disk.page_transfer_us = (p50 - requests * device_read_4k p50) / (pages - "
	       "requests), requests = pages / (max_sectors_kb / 4) rounded up (the model serves "
	       "a window as requests of at most max_sectors_kb, one after another)",
	       how);
	if (s4.n && sra.n && pages > requests) {
		r->page_transfer_us = at_least0((r->p50[M_READRA] - requests * r->p50[M_READ4K]) /
		                                (pages - requests));
		json_object_set_new(disk, "page_transfer_us", json_real(r->page_transfer_us));
	}
	probe_samples_free(&s4);
	probe_samples_free(&sra);
}

/* The faults: fault.cpu_before_us, cpu_after_us (the minor fault), cpu_miss_us (the major). */
static void probe_faults(struct probe_run *r)
{
	struct probe_samples s = { 0 };
	size_t not_evicted = 0;
	char *why;
	json_t *fault = section(section(r->machine, "op_defaults"), "fault"), *m;
	double half, pages = 0, page_read = 0;

	record(r, M_MINOR, "fault_minor", &s, probe_minor_fault(&r->ctx, &s),
	       "fault.cpu_before_us = fault.cpu_after_us = p50 / 2 (a cached page: the model "
	       "costs cpu_before_us + cpu_after_us; the split is not visible from user space)",
	       "touch of a page of the cached scratch file after MADV_DONTNEED of its pte "
	       "(fault-around may map its neighbours too)");
	why = probe_major_fault(&r->ctx, &s, &not_evicted);
	m = record(r, M_MAJOR, "fault_major", &s, why,
	           "fault.cpu_miss_us = p50 - device_read_4k p50 - fault_minor p50 * 1.5 - "
	           "cpu_page_read_us (the model's major fault of one page: cpu_before_us + "
	           "cpu_miss_us + cpu_page_read_us + the read + the retry's cpu_before_us + "
	           "cpu_after_us)",
	           "touch of a random page of the scratch file mapped MADV_RANDOM, its 2 MiB "
	           "range evicted by MADV_DONTNEED and POSIX_FADV_DONTNEED, eviction checked "
	           "with mincore");
	json_object_set_new(m, "eviction_failed", json_integer((json_int_t)not_evicted));
	if (not_evicted && !r->ctx.o->quiet)
		fprintf(stderr,
		        "mmsim probe: fault_major: eviction failed %zu times (the page stayed "
		        "resident: mincore), those samples left out\n",
		        not_evicted);
	why = probe_readaround_fault(&r->ctx, &s, &pages, &not_evicted);
	if (!why && pages < 2)
		why = xasprintf("no read-around: %.2f pages read per fault (/proc/self/io)", pages);
	m = record(r, M_RAFAULT, "fault_major_readaround", &s, why,
	           "fault.cpu_page_read_us = (p50 - fault_major p50 - (the model's disk time for "
	           "the pages read - device_read_4k p50)) / (pages read - 1) (each page read in: "
	           "allocation, page-cache insertion, its bio's share and completion)",
	           "touch of a random page of the scratch file mapped MADV_NORMAL (read-around), "
	           "the whole file evicted before each; pages read per fault from "
	           "/proc/self/io read_bytes");
	if (!isnan(r->p50[M_RAFAULT])) {
		json_object_set_new(m, "pages_read_per_fault", json_real(pages));
		json_object_set_new(m, "eviction_failed", json_integer((json_int_t)not_evicted));
	}
	if (!isnan(r->p50[M_RAFAULT]) && !isnan(r->p50[M_MAJOR]) && !isnan(r->page_transfer_us))
		page_read = at_least0((r->p50[M_RAFAULT] - r->p50[M_MAJOR] -
		                       (disk_read_us(pages, request_kb(&r->ctx) / 4,
		                                     r->p50[M_READ4K], r->page_transfer_us) -
		                        r->p50[M_READ4K])) /
		                      (pages - 1));
	if (!isnan(r->p50[M_MINOR])) {
		half = r->p50[M_MINOR] / 2;
		json_object_set_new(fault, "cpu_before_us", json_real(half));
		json_object_set_new(fault, "cpu_after_us", json_real(half));
		if (!isnan(r->p50[M_MAJOR]) && !isnan(r->p50[M_READ4K]))
			json_object_set_new(fault, "cpu_miss_us",
			                    json_real(at_least0(r->p50[M_MAJOR] - r->p50[M_READ4K] -
			                                        3 * half - page_read)));
	}
	if (page_read > 0)
		json_object_set_new(fault, "cpu_page_read_us", json_real(page_read));
	record(r, M_ANON, "anon_first_touch", &s, probe_anon_first_touch(&r->ctx, &s),
	       "recorded: an anonymous write fault's cpu_miss_us = p50 - fault_minor p50 (not "
	       "set: op_defaults.fault is the file fault's; a scenario of anonymous faults sets "
	       "it)",
	       "first write to each 4 KiB page of a 64 MiB MADV_NOHUGEPAGE anonymous mapping");
	probe_samples_free(&s);
}

/* mmap and munmap: their hold_us (empirical), the /proc readers, the wake-up latency. */
static void probe_syscalls(struct probe_run *r)
{
	struct probe_samples mm = { 0 }, unm = { 0 }, s = { 0 };
	json_t *ops = section(r->machine, "op_defaults");
	double reads = 0, lines = 0;
	char *why = probe_mmap_munmap(&r->ctx, &mm, &unm);

	record(r, M_MMAP, "mmap", &mm, why ? xstrdup(why) : NULL,
	       "mmap.hold_us (the samples up to their p99, as an empirical distribution)",
	       "mmap of 64 KiB of anonymous memory (the whole system call)");
	record(r, M_MUNMAP, "munmap", &unm, why,
	       "munmap.hold_us (the samples up to their p99, as an empirical distribution; "
	       "zap_us 0: nothing was touched)",
	       "munmap of that region (the whole system call)");
	if (mm.n) { /* the slowest 1 %: the vCPU taken away, not the system call */
		json_object_set_new(section(ops, "mmap"), "hold_us",
		                    empirical(r, "mmap-hold-us", &mm, 1, "us", CPU_KEEP));
		json_object_set_new(section(ops, "munmap"), "hold_us",
		                    empirical(r, "munmap-hold-us", &unm, 1, "us", CPU_KEEP));
	}
	why = probe_proc_read(&r->ctx, "maps", &s, &reads, &lines);
	record(r, M_MAPS, "proc_maps_read", &s, why,
	       "proc_read.hold_us = p50 / lines, proc_read.chunks = lines (from 6.17 a maps "
	       "read takes each VMA's lock in turn: one chunk per VMA)",
	       "open, read() in 4 KiB until the end, close of /proc/self/maps");
	if (s.n) {
		json_t *pr = section(ops, "proc_read"),
		       *o = json_object_get(r->measured, "proc_maps_read");

		json_object_set_new(pr, "hold_us", json_real(r->p50[M_MAPS] / lines));
		json_object_set_new(pr, "chunks", json_integer((json_int_t)lines));
		json_object_set_new(o, "lines", json_integer((json_int_t)lines));
		json_object_set_new(o, "reads", json_integer((json_int_t)reads));
	}
	record(r, M_CMDLINE, "proc_cmdline_read", &s,
	       probe_proc_read(&r->ctx, "cmdline", &s, &reads, &lines),
	       "recorded: proc_read kind cmdline's hold_us (not set: op_defaults.proc_read is "
	       "the maps reader's)",
	       "open, read(), close of /proc/self/cmdline");
	why = probe_futex_wakeup(&r->ctx, &s);
	record(r, M_FUTEX, "futex_wakeup", &s, why,
	       "machine.wakeup_us (the samples up to their p99, as an empirical distribution)",
	       "FUTEX_WAKE by one thread to another asleep in FUTEX_WAIT for 200 us: from "
	       "before the wake to the sleeper running");
	if (s.n)
		json_object_set_new(section(r->machine, "machine"), "wakeup_us",
		                    empirical(r, "wakeup-us", &s, 1, "us", CPU_KEEP));
	probe_samples_free(&mm);
	probe_samples_free(&unm);
	probe_samples_free(&s);
}

/* The machine: CPUs, the kernel and its profile, the device's queue. */
static void probe_host(struct probe_run *r, const char *date)
{
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *profile;
	json_t *machine = section(r->machine, "machine"), *host;

	uname(&u);
	profile = profile_for(u.release);
	if (profile)
		json_object_set_new(r->machine, "kernel", json_string(profile));
	json_object_set_new(machine, "cpus", json_integer(cpus > 0 ? cpus : 1));
	json_object_set_new(machine, "read_ahead_kb",
	                    json_integer(r->ctx.read_ahead_kb > 65536 ? 65536
	                                 : r->ctx.read_ahead_kb < 4   ? 4
	                                                              : r->ctx.read_ahead_kb));
	host = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s?, s:s, s:s, s:I, s:I, s:f, s:I}", "date",
	                 date, "kernel_release", u.release, "machine", u.machine, "hostname",
	                 u.nodename, "cpus", (json_int_t)cpus, "kernel_profile", profile, "device",
	                 r->ctx.device, "device_scheduler", r->ctx.scheduler,
	                 "device_read_ahead_kb", (json_int_t)r->ctx.read_ahead_kb,
	                 "device_rotational", (json_int_t)r->ctx.rotational, "seconds",
	                 r->ctx.o->seconds, "file_mb", (json_int_t)(r->ctx.file_bytes >> 20));
	json_object_set_new(host, "dir", json_string(r->ctx.o->dir));
	json_object_set_new(host, "device_max_sectors_kb", json_integer(r->ctx.max_sectors_kb));
	json_object_set_new(host, "device_read_method", json_string("O_DIRECT pread (not fio)"));
	json_object_set_new(host, "calibrates",
	                    json_string("kernel: the newest profile not newer than the release; "
	                                "machine.cpus: the online CPUs; machine.read_ahead_kb: "
	                                "the device's, at most 65536; disk.scheduler: the "
	                                "device's (mq-deadline: deadline, none: fifo); "
	                                "disk.max_sectors_kb: the device's, 4 to 4096 (1024 if "
	                                "unknown)"));
	json_object_set_new(r->measured, "host", host);
}

/* The table on stdout: each measurement's p50, p90, p99 and what it calibrates. */
static void print_table(const struct probe_run *r)
{
	const char *name;
	json_t *m;

	printf("%-22s %8s %10s %10s %10s  %s\n", "measurement", "n", "p50_us", "p90_us", "p99_us",
	       "calibrates");
	json_object_foreach (r->measured, name, m) {
		json_t *d = json_object_get(m, "distribution");
		const char *cal = json_string_value(json_object_get(m, "calibrates"));
		int w = (int)strcspn(cal ? cal : "", " ");

		if (strcmp(name, "host") == 0)
			continue;
		if (!d) {
			printf("%-22s %8s %10s %10s %10s  skipped: %s\n", name, "-", "-", "-", "-",
			       json_string_value(json_object_get(m, "skipped")));
			continue;
		}
		printf("%-22s %8lld %10.2f %10.2f %10.2f  %.*s\n", name,
		       (long long)json_integer_value(json_object_get(d, "n")),
		       json_real_value(json_object_get(d, "p50")),
		       json_real_value(json_object_get(d, "p90")),
		       json_real_value(json_object_get(d, "p99")), w, cal);
	}
}

/* The empirical files, then the machine file (last: it names them); 0 or 1. */
static int write_machine(struct probe_run *r)
{
	const char *file;
	json_t *text;
	char *json;
	int rc = 0;

	json_object_foreach (r->files, file, text) {
		if (write_file_atomic(file, json_string_value(text), json_string_length(text))) {
			fprintf(stderr, "mmsim probe: cannot write %s: %s\n", file,
			        strerror(errno));
			return 1;
		}
	}
	json_object_set(r->machine, "measured", r->measured);
	json = json_dumps(r->machine, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	if (write_file_atomic(r->out, json, strlen(json))) {
		fprintf(stderr, "mmsim probe: cannot write %s: %s\n", r->out, strerror(errno));
		rc = 1;
	}
	free(json);
	return rc;
}

static int probe_machine(const struct probe_options *o, const char *out)
{
	struct probe_run r = { .out = out };
	char date[32], *why = NULL, *dot;
	time_t t = time(NULL);
	int rc;

	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if (probe_ctx_open(&r.ctx, o, &why) != 0) {
		fprintf(stderr, "mmsim probe: %s\n", why);
		free(why);
		return 1;
	}
	r.base = xstrdup(out);
	if ((dot = strrchr(r.base, '.')) && strcmp(dot, ".json") == 0 && !strchr(dot, '/'))
		*dot = '\0';
	r.measured = json_object();
	r.machine = json_object();
	r.files = json_object();
	probe_host(&r, date);
	probe_disk(&r);
	probe_faults(&r);
	probe_syscalls(&r);
	probe_ctx_close(&r.ctx);
	rc = write_machine(&r);
	if (rc == 0 && !o->quiet) {
		print_table(&r);
		printf("machine file: %s\n", out);
	}
	json_decref(r.measured);
	json_decref(r.machine);
	json_decref(r.files);
	free(r.base);
	return rc;
}

static int probe_experiment(const struct probe_options *o, const char *out)
{
	char *why = NULL, *json;
	json_t *res = probe_experiment_seed000(o, &why);
	int rc = 0;

	if (!res) {
		fprintf(stderr, "mmsim probe: the seed-000 experiment cannot run here: %s\n",
		        why ? why : "no reason given");
		free(why);
		return 1;
	}
	json = json_dumps(res, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
	if (write_file_atomic(out, json, strlen(json))) {
		fprintf(stderr, "mmsim probe: cannot write %s: %s\n", out, strerror(errno));
		rc = 1;
	} else if (!o->quiet) {
		printf("experiment: %s\n", out);
	}
	free(json);
	json_decref(res);
	return rc;
}

/* A positive number of at most @hi for option @opt; 0 or 2. */
static int probe_number(const char *opt, const char *arg, double hi, double *x)
{
	char *end;

	errno = 0;
	*x = strtod(arg, &end);
	if (!*arg || *end || errno || !(*x > 0 && *x <= hi))
		return cli_usage_error(&probe_command, "%s: a number in (0, %g] expected, got '%s'",
		                       opt, hi, arg);
	return 0;
}

static int cmd_probe(int argc, char **argv)
{
	struct probe_options o = { .dir = ".", .seconds = 2, .repetitions = 3 };
	const char *out = NULL, *experiment = NULL;
	struct cli_parser p;
	double mb = 0, reps = 0;
	int id, rc = 0;

	cli_start(&p, &probe_command, argc, argv);
	while (rc == 0 && (id = cli_next(&p)) > CLI_END) {
		if (id == CLI_DIR)
			o.dir = p.value;
		else if (id == CLI_OUT)
			out = p.value;
		else if (id == CLI_QUIET)
			o.quiet = true;
		else if (id == CLI_EXPERIMENT)
			experiment = p.value;
		else if (id == CLI_SECONDS)
			rc = probe_number("--seconds", p.value, 3600, &o.seconds);
		else if (id == CLI_REPETITIONS &&
		         (rc = probe_number("--repetitions", p.value, 100, &reps)) == 0) {
			if (reps !=
			    floor(reps)) /* 2.5 repetitions: not rounded behind the user's back */
				rc = cli_usage_error(
				        &probe_command,
				        "--repetitions: a whole number expected, got '%s'",
				        p.value);
			o.repetitions = (unsigned)reps;
		} else if (id == CLI_FILE_MB &&
		           (rc = probe_number("--file-mb", p.value, 1 << 20, &mb)) == 0)
			o.file_mb = (size_t)ceil(mb);
		else if (id == CLI_OPERAND)
			rc = cli_usage_error(&probe_command, "no operand expected, got '%s'",
			                     p.value);
	}
	if (rc || (rc = cli_end(&p)))
		return rc == 1 ? 0 : rc;
	if (experiment && strcmp(experiment, "seed-000") != 0)
		return cli_usage_error(&probe_command,
		                       "--experiment: unknown experiment '%s' (expected: seed-000)",
		                       experiment);
	if (experiment)
		return probe_experiment(&o, out ? out : "experiment-seed-000.json");
	return probe_machine(&o, out ? out : "machine.json");
}
