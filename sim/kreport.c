/* kreport.c - mmsim report: the table again, or lock_stat, perf lock, bpftrace layouts (see kreport.h). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/histfile.h"
#include "sim/json_path.h"
#include "sim/kreport.h"
#include "sim/report.h"
#include "sim/results.h"
#include "sim/util.h"

static const char usage_report[] =
        "usage: mmsim report OUT [--point ID]... [--format F] [--columns LIST]\n"
        "\n"
        "Reads the complete points of OUT (the output folder of 'mmsim run') again, in\n"
        "sweep order, and prints them as F:\n"
        "\n"
        "  table, csv, json  the results table, as 'mmsim run' prints it\n"
        "  lockstat          as /proc/lock_stat: mmap_sem per mode (-W, -R), its call\n"
        "                    sites, its contention points (times in us)\n"
        "  perf-lock         as 'perf lock contention': a row per mode and call site\n"
        "  perf-lock-csv     the same as 'perf lock contention -x ,' (times in ns)\n"
        "  hist              as bpftrace's hist(): log2 histograms of durations, in ns\n"
        "  cdf               their empirical CDF: value_us fraction_at_or_below\n"
        "\n"
        "  --point ID        only this point (repeatable)\n"
        "  --columns LIST    table: its metric columns (as for run); hist, cdf: the\n"
        "                    durations, e.g. 'mmap_sem.*.hold_us' (default: mmap_sem's\n"
        "                    read and write waits and holds; cdf: the write wait)\n";

static int report_main(int argc, char **argv);

const struct cli_command report_command = {
	"report",
	"OUT",
	"print a finished run again: its table, or as lock_stat, perf lock, bpftrace",
	usage_report,
	CLI_OPT(POINT) | CLI_OPT(FORMAT) | CLI_OPT(COLUMNS),
	report_main
};

enum kreport_layout {
	LAYOUT_TABLE,
	LAYOUT_LOCKSTAT,
	LAYOUT_PERF,
	LAYOUT_PERF_CSV,
	LAYOUT_HIST,
	LAYOUT_CDF
};

struct kreport {
	const char *out;
	const char **ids; /* --point: borrowed strings */
	unsigned nr_ids;
	enum kreport_layout layout;
	struct table_spec table;
	json_t *points; /* the complete points' results, in sweep order */
};

/* ---- the points -------------------------------------------------------------------- */

static int kreport_index_cmp(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_dotted_get(*(json_t *const *)a, "point.index"));
	json_int_t y = json_integer_value(json_dotted_get(*(json_t *const *)b, "point.index"));

	return x < y ? -1 : x > y;
}

struct kreport_scan {
	struct kreport *k;
	json_t **v; /* owned array of owned results */
	size_t n;
};

/* One entry of OUT/points: loaded if wanted and complete. */
static int kreport_add(void *ctx, const char *id)
{
	struct kreport_scan *s = ctx;
	bool wanted = s->k->nr_ids == 0;
	json_t *r;

	for (unsigned i = 0; i < s->k->nr_ids; i++)
		wanted = wanted || strcmp(s->k->ids[i], id) == 0;
	if (wanted && (r = results_load_point(s->k->out, id, "point left out"))) {
		s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = r;
	}
	return 0;
}

/* The complete points of OUT (only the --point ones), sorted; 0 or 2. */
static int kreport_load(struct kreport *k)
{
	char *points = xasprintf("%s/points", k->out);
	struct kreport_scan s = { .k = k };
	int rc = 0;

	if (results_each_point(k->out, kreport_add, &s) < 0) {
		fprintf(stderr, "mmsim: report: %s: not an output folder of 'mmsim run' (no %s)\n",
		        k->out, points);
		free(points);
		return 2;
	}
	sort_items(s.v, s.n, sizeof(*s.v), kreport_index_cmp);
	k->points = json_array();
	for (size_t i = 0; i < s.n; i++)
		json_array_append_new(k->points, s.v[i]);
	free(s.v);
	for (unsigned i = 0; i < k->nr_ids; i++) {
		bool found = false;
		size_t j;
		json_t *r;

		json_array_foreach (k->points, j, r)
			found = found || strcmp(json_string_value(json_dotted_get(r, "point.id")),
			                        k->ids[i]) == 0;
		if (!found) {
			fprintf(stderr, "mmsim: report: --point: no complete point '%s' in %s\n",
			        k->ids[i], points);
			rc = 2;
		}
	}
	if (rc == 0 && json_array_size(k->points) == 0) {
		fprintf(stderr, "mmsim: report: %s: no complete point\n", k->out);
		rc = 2;
	}
	free(points);
	return rc;
}

/* "# point ID: kernel 2.6.36, threads.A.count 1" before a point's block. */
static void kreport_point_line(json_t *r)
{
	json_t *axes = json_dotted_get(r, "scenario.axes"), *a;
	size_t i;

	printf("# point %s", json_string_value(json_dotted_get(r, "point.id")));
	json_array_foreach (axes, i, a) {
		json_t *v =
		        json_object_get(json_dotted_get(r, "point.swept"), json_string_value(a));

		printf("%s %s ", i ? "," : ":", json_string_value(a));
		report_value(stdout, v);
	}
	printf("\n");
}

/* ---- the lock statistics ----------------------------------------------------------- */

/* One lock mode at one site (or all): what lock_stat and perf lock count. */
struct kreport_lock {
	uint64_t contentions, acquisitions;
	uint64_t wait_min, wait_max, hold_min, hold_max; /* ns */
	double wait_total, hold_total;                   /* ns */
};

/* The entry of @hists for @path as a lock's record: waits counted only when contended (> 0). */
static struct kreport_lock kreport_lock_of(json_t *hists, const char *wait, const char *hold)
{
	json_t *w = histfile_get(hists, wait), *h = histfile_get(hists, hold), *bin;
	struct kreport_lock l = { 0 };
	uint64_t zeros = 0;
	size_t i;

	json_array_foreach (json_object_get(w, "bins"), i, bin) {
		uint64_t lo = (uint64_t)json_integer_value(json_array_get(bin, 0));

		if (lo == 0)
			zeros += (uint64_t)json_integer_value(json_array_get(bin, 2));
		else if (!l.wait_min)
			l.wait_min = lo; /* exact below 128 ns; above, its bin's lower edge */
	}
	l.contentions = (uint64_t)json_integer_value(json_object_get(w, "count")) - zeros;
	if (zeros == 0)
		l.wait_min = (uint64_t)json_integer_value(json_object_get(w, "min_ns"));
	l.wait_max = (uint64_t)json_integer_value(json_object_get(w, "max_ns"));
	l.wait_total = json_number_value(json_object_get(w, "sum_ns"));
	l.acquisitions = (uint64_t)json_integer_value(json_object_get(h, "count"));
	l.hold_min = (uint64_t)json_integer_value(json_object_get(h, "min_ns"));
	l.hold_max = (uint64_t)json_integer_value(json_object_get(h, "max_ns"));
	l.hold_total = json_number_value(json_object_get(h, "sum_ns"));
	return l;
}

static const char *const kreport_modes[2] = { "write", "read" }; /* lock_stat's order: W, R */

/* The call sites of mmap_sem in @hists (new array of strings, sorted). */
static json_t *kreport_sites(json_t *hists)
{
	json_t *sites = json_array();
	const char *key, *prefix = "mmap_sem.write.by_site.";
	json_t *v;

	json_object_foreach (hists, key, v) {
		const char *site = key + strlen(prefix), *end;

		if (strncmp(key, prefix, strlen(prefix)) != 0 || !(end = strchr(site, '.')) ||
		    strcmp(end, ".wait_us") != 0)
			continue;
		json_array_append_new(sites, json_stringn(site, (size_t)(end - site)));
	}
	return sites;
}

static struct kreport_lock kreport_lock_at(json_t *hists, const char *mode, const char *site)
{
	char *w = site ? xasprintf("mmap_sem.%s.by_site.%s.wait_us", mode, site)
	               : xasprintf("mmap_sem.%s.wait_us", mode);
	char *h = site ? xasprintf("mmap_sem.%s.by_site.%s.hold_us", mode, site)
	               : xasprintf("mmap_sem.%s.hold_us", mode);
	struct kreport_lock l = kreport_lock_of(hists, w, h);

	free(w);
	free(h);
	return l;
}

/* ---- lockstat ---------------------------------------------------------------------- */

#define LOCKSTAT_RULE (40 + 1 + 12 * (14 + 1))

static void lockstat_rule(char c, int offset, int length)
{
	printf("%*s", offset, "");
	for (int i = 0; i < length; i++)
		putchar(c);
	putchar('\n');
}

/* snprint_time: ns as us with two decimals, rounded as lock_stat rounds. */
static void lockstat_time(double ns)
{
	long long nr = llround(ns) + 5;

	printf(" %11lld.%02lld", nr / 1000, (nr % 1000) / 10);
}

static void lockstat_times(uint64_t nr, uint64_t min, uint64_t max, double total)
{
	printf("%14" PRIu64, nr);
	lockstat_time((double)min);
	lockstat_time((double)max);
	lockstat_time(total);
	lockstat_time(nr ? floor(total / (double)nr) : 0);
}

/* A class line: "%38s-W:" (or "%40s:" with one mode), bounces 0, waits, acquisitions, holds. */
static void lockstat_line(const char *name, const char *suffix, const struct kreport_lock *l)
{
	char label[128];

	snprintf(label, sizeof(label), "%s%s:", name, suffix);
	printf("%41s", label);
	printf("%14d ", 0); /* con-bounces: cache-line moves between CPUs, not modelled */
	lockstat_times(l->contentions, l->wait_min, l->wait_max, l->wait_total);
	printf(" %14d ", 0); /* acq-bounces */
	lockstat_times(l->acquisitions, l->hold_min, l->hold_max, l->hold_total);
	putchar('\n');
}

struct lockstat_point {
	const char *site, *mode;
	uint64_t contentions;
};

static int lockstat_point_cmp(const void *a, const void *b)
{
	const struct lockstat_point *p = a, *q = b;

	if (p->contentions != q->contentions)
		return p->contentions > q->contentions ? -1 : 1;
	return strcmp(p->site, q->site) ? strcmp(p->site, q->site) : strcmp(p->mode, q->mode);
}

static void kreport_lockstat(json_t *hists)
{
	struct kreport_lock all[2];
	json_t *sites = kreport_sites(hists), *s;
	struct lockstat_point *pts = xcalloc(2 * json_array_size(sites) + 1, sizeof(*pts));
	bool both;
	size_t i, n = 0;
	int namelen = (int)strlen("mmap_sem");

	for (int m = 0; m < 2; m++)
		all[m] = kreport_lock_at(hists, kreport_modes[m], NULL);
	both = all[0].acquisitions && all[1].acquisitions;
	printf("lock_stat version 0.4\n");
	lockstat_rule('-', 0, LOCKSTAT_RULE);
	printf("%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s\n", "class name",
	       "con-bounces", "contentions", "waittime-min", "waittime-max", "waittime-total",
	       "waittime-avg", "acq-bounces", "acquisitions", "holdtime-min", "holdtime-max",
	       "holdtime-total", "holdtime-avg");
	lockstat_rule('-', 0, LOCKSTAT_RULE);
	printf("\n");
	for (int m = 0; m < 2; m++)
		if (all[m].acquisitions)
			lockstat_line("mmap_sem", both ? (m ? "-R" : "-W") : "", &all[m]);
	/* mmsim's addition: the same line per call site */
	for (int m = 0; m < 2; m++)
		json_array_foreach (sites, i, s) {
			struct kreport_lock l =
			        kreport_lock_at(hists, kreport_modes[m], json_string_value(s));
			char *name = xasprintf("mmap_sem@%s", json_string_value(s));

			if (l.acquisitions)
				lockstat_line(name, m ? "-R" : "-W", &l);
			if (l.contentions)
				pts[n++] =
				        (struct lockstat_point){ json_string_value(s),
					                         kreport_modes[m], l.contentions };
			free(name);
		}
	/* the contention points: where the waiters asked for it, most first */
	sort_items(pts, n, sizeof(*pts), lockstat_point_cmp);
	if (both)
		namelen += 2;
	for (i = 0; i < n; i++) {
		char site[64];

		if (i == 0)
			lockstat_rule('-', 40 - namelen, namelen);
		snprintf(site, sizeof(site), "[<%s:%c>]", pts[i].site,
		         pts[i].mode[0] == 'w' ? 'W' : 'R');
		printf("%40s %14" PRIu64 " %29s %s\n", "mmap_sem", pts[i].contentions, site,
		       pts[i].site);
	}
	if (n) {
		printf("\n");
		lockstat_rule('.', 0, LOCKSTAT_RULE);
		printf("\n");
	}
	free(pts);
	json_decref(sites);
}

/* ---- perf lock contention ---------------------------------------------------------- */

/* lock_stat_key_print_time: the largest unit the value reaches, two decimals. */
static void perf_time(double ns, int len)
{
	static const struct {
		double base;
		const char *unit;
	} table[] = { { 1e9 * 3600, "h " }, { 1e9 * 60, "m " }, { 1e9, "s " },
		      { 1e6, "ms" },        { 1e3, "us" },      { 0, NULL } };

	if (len == 0) {
		printf("%.0f", ns);
		return;
	}
	for (int i = 0; table[i].unit; i++)
		if (ns >= table[i].base) {
			printf("%*.2f %s", len - 3, ns / table[i].base, table[i].unit);
			return;
		}
	printf("%*.0f %s", len - 3, ns, "ns");
}

struct perf_row {
	const char *site, *type;
	struct kreport_lock l;
};

static int perf_row_cmp(const void *a, const void *b)
{
	const struct perf_row *p = a, *q = b;

	if (p->l.wait_total != q->l.wait_total) /* perf lock contention's default key: wait_total */
		return p->l.wait_total > q->l.wait_total ? -1 : 1;
	return strcmp(p->site, q->site) ? strcmp(p->site, q->site) : strcmp(p->type, q->type);
}

static void kreport_perf(json_t *hists, bool csv)
{
	json_t *sites = kreport_sites(hists), *s;
	struct perf_row *rows = xcalloc(2 * json_array_size(sites) + 1, sizeof(*rows));
	size_t i, n = 0;

	for (int m = 0; m < 2; m++)
		json_array_foreach (sites, i, s) {
			struct kreport_lock l =
			        kreport_lock_at(hists, kreport_modes[m], json_string_value(s));

			if (l.wait_total > 0) /* perf prints no row without wait time */
				rows[n++] = (struct perf_row){ json_string_value(s),
					                       m ? "rwsem:R" : "rwsem:W", l };
		}
	sort_items(rows, n, sizeof(*rows), perf_row_cmp);
	if (csv)
		printf("# output: contended, total wait, max wait, min wait, avg wait, type, "
		       "caller\n");
	else
		printf("%10s %12s %12s %12s %12s   %10s   %s\n\n", "contended", "total wait",
		       "max wait", "min wait", "avg wait", "type", "caller");
	for (i = 0; i < n; i++) {
		const struct kreport_lock *l = &rows[i].l;
		int len = csv ? 0 : 12;

		printf(csv ? "%" PRIu64 ", " : "%10" PRIu64 " ", l->contentions);
		perf_time(l->wait_total, len);
		printf(csv ? ", " : " ");
		perf_time((double)l->wait_max, len);
		printf(csv ? ", " : " ");
		perf_time((double)l->wait_min, len);
		printf(csv ? ", " : " ");
		perf_time(floor(l->wait_total / (double)l->contentions), len);
		if (csv)
			printf(", %s, %s\n", rows[i].type, rows[i].site);
		else
			printf("   %10s   %s\n", rows[i].type, rows[i].site);
	}
	free(rows);
	json_decref(sites);
}

/* ---- hist, cdf --------------------------------------------------------------------- */

/* The durations --columns names among @hists (new array), or NULL after a message. */
static json_t *kreport_durations(const char *columns, json_t *hists, const char *fallback)
{
	json_t *all = json_object(), *cols;
	const char *key;
	json_t *v;
	char *error;

	json_object_foreach (hists, key, v) /* a flat object: one leaf per duration */
		json_object_set_new(all, key, json_true());
	cols = table_expand_paths(columns ? columns : fallback, all, &error);
	json_decref(all);
	if (!cols) {
		fprintf(stderr, "mmsim: report: %s (of the durations in histograms.json)\n", error);
		free(error);
	}
	return cols;
}

/* bpftrace's hist_index_label: 2^power with K, M, G, T, P, E for the powers of 1024. */
static void hist_label(char *buf, size_t len, int power)
{
	int decade = power / 10;

	if (decade)
		snprintf(buf, len, "%llu%c", 1ULL << (power - 10 * decade), "KMGTPE"[decade - 1]);
	else
		snprintf(buf, len, "%llu", 1ULL << power);
}

/* The bpftrace map name of duration @path: @mmap_sem_write_wait_ns. */
static char *hist_name(const char *path)
{
	char *name = xasprintf("@%s", path);
	size_t len = strlen(name);

	for (char *c = name; *c; c++)
		*c = *c == '.' ? '_' : *c;
	if (len > 3 && strcmp(name + len - 3, "_us") == 0)
		name[len - 2] = 'n';
	return name;
}

static void kreport_hist(json_t *entry, const char *path)
{
	uint64_t count[66] = { 0 },
	         max = 0; /* bpftrace's index: 1 is [0], 2 is [1], i is [2^(i-2), 2^(i-1)) */
	int lo_i = 66, hi_i = -1;
	char *name = hist_name(path);
	json_t *bin;
	size_t k;

	json_array_foreach (json_object_get(entry, "bins"), k, bin) {
		uint64_t lo = (uint64_t)json_integer_value(json_array_get(bin, 0));
		int i = lo == 0 ? 1 : 65 - __builtin_clzll(lo);

		count[i] += (uint64_t)json_integer_value(json_array_get(bin, 2));
		lo_i = i < lo_i ? i : lo_i;
		hi_i = i > hi_i ? i : hi_i;
	}
	printf("%s: \n", name);
	for (int i = lo_i; i <= hi_i; i++)
		max = count[i] > max ? count[i] : max;
	for (int i = lo_i; i <= hi_i; i++) {
		char label[48], a[16], b[16];
		int bar = (int)((float)count[i] / (float)max * 52);

		if (i == 1 || i == 2) {
			snprintf(label, sizeof(label), "[%d]", i - 1);
		} else {
			hist_label(a, sizeof(a), i - 2);
			hist_label(b, sizeof(b), i - 1);
			snprintf(label, sizeof(label), "[%s, %s)", a, b);
		}
		printf("%-16s%8" PRIu64 " |%.*s%*s|\n", label, count[i], bar,
		       "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@", 52 - bar, "");
	}
	printf("\n");
	free(name);
}

static void kreport_cdf(json_t *entry, const char *path)
{
	double n = (double)json_integer_value(json_object_get(entry, "count")), seen = 0;
	json_t *bin;
	size_t k;

	printf("# %s: value_us fraction_at_or_below (%.0f samples)\n", path, n);
	json_array_foreach (json_object_get(entry, "bins"), k, bin) {
		seen += (double)json_integer_value(json_array_get(bin, 2));
		printf("%.9g %.9g\n", (double)json_integer_value(json_array_get(bin, 1)) / 1e3,
		       seen / n);
	}
	printf("\n\n"); /* gnuplot's index: one block per duration */
}

/* ---- the command ------------------------------------------------------------------- */

static int kreport_layout(struct kreport *k, const char *arg)
{
	static const char *const names[] = { "lockstat", "perf-lock", "perf-lock-csv", "hist",
		                             "cdf" };

	for (int i = 0; i < 5; i++)
		if (strcmp(arg, names[i]) == 0) {
			k->layout = (enum kreport_layout)(LAYOUT_LOCKSTAT + i);
			return 0;
		}
	if (strcmp(arg, "table") == 0 || strcmp(arg, "csv") == 0 || strcmp(arg, "json") == 0) {
		k->layout = LAYOUT_TABLE;
		return table_parse_format(&k->table, arg);
	}
	fprintf(stderr,
	        "mmsim: report: --format: table, csv, json, lockstat, perf-lock, perf-lock-csv, "
	        "hist or cdf expected, got '%s'\n",
	        arg);
	return 2;
}

static int kreport_parse(struct kreport *k, int argc, char **argv)
{
	struct cli_parser p;
	int id, rc = 0;

	cli_start(&p, &report_command, argc, argv);
	while (rc == 0 && (id = cli_next(&p)) > CLI_END) {
		if (id == CLI_OPERAND) {
			k->out = p.value;
		} else if (id == CLI_POINT) {
			k->ids = xrealloc(k->ids, (k->nr_ids + 1) * sizeof(*k->ids));
			k->ids[k->nr_ids++] = p.value;
		} else if (id == CLI_FORMAT) {
			rc = kreport_layout(k, p.value);
		} else if (id == CLI_COLUMNS) {
			k->table.columns = p.value;
		}
	}
	return rc ? rc : cli_end(&p);
}

/* The table: --columns checked on the first point before a row is printed; 0 or 2. */
static int kreport_table(struct kreport *k)
{
	struct report_table t = { .out = k->out, .spec = &k->table };
	json_t *r;
	size_t i;

	if (k->table.columns) {
		char *error = table_columns_error(
		        k->table.columns, json_dotted_get(json_array_get(k->points, 0), "metrics"));

		if (error) {
			fprintf(stderr, "mmsim: report: %s\n", error);
			free(error);
			return 2;
		}
	}
	json_array_foreach (k->points, i, r)
		report_table_row(&t, NULL, r);
	report_table_end(&t);
	return 0;
}

/* A kernel layout of each point; 0, 1 (a point without histograms) or 2 (bad --columns). */
static int kreport_layouts(struct kreport *k)
{
	static const char *const waits_holds = "mmap_sem.read.wait_us,mmap_sem.read.hold_us,"
	                                       "mmap_sem.write.wait_us,mmap_sem.write.hold_us";
	json_t *r;
	size_t i;
	int rc = 0;

	json_array_foreach (k->points, i, r) {
		const char *id = json_string_value(json_dotted_get(r, "point.id"));
		char *why = NULL;
		json_t *hists = histfile_load_point(k->out, id, &why), *cols = NULL, *c;
		size_t j;

		if (!hists) {
			fprintf(stderr, "mmsim: report: point %s: %s\n", id, why);
			free(why);
			rc = 1;
			continue;
		}
		if (k->layout == LAYOUT_HIST || k->layout == LAYOUT_CDF) {
			cols = kreport_durations(
			        k->table.columns, hists,
			        k->layout == LAYOUT_HIST ? waits_holds : "mmap_sem.write.wait_us");
			if (!cols) {
				json_decref(hists);
				return 2;
			}
		}
		if (i)
			printf("\n");
		kreport_point_line(r);
		if (k->layout == LAYOUT_LOCKSTAT)
			kreport_lockstat(hists);
		else if (k->layout == LAYOUT_PERF || k->layout == LAYOUT_PERF_CSV)
			kreport_perf(hists, k->layout == LAYOUT_PERF_CSV);
		json_array_foreach (cols, j, c) {
			const char *path = json_string_value(c);

			if (k->layout == LAYOUT_HIST)
				kreport_hist(histfile_get(hists, path), path);
			else
				kreport_cdf(histfile_get(hists, path), path);
		}
		json_decref(cols);
		json_decref(hists);
	}
	return rc;
}

static int report_main(int argc, char **argv)
{
	struct kreport k = { .layout = LAYOUT_TABLE };
	int rc = kreport_parse(&k, argc, argv);

	if (rc == 0 && k.table.columns && k.layout != LAYOUT_TABLE && k.layout != LAYOUT_HIST &&
	    k.layout != LAYOUT_CDF)
		rc = cli_usage_error(&report_command,
		                     "--columns goes with table, csv, json, hist or cdf");
	if (rc == 0)
		rc = kreport_load(&k);
	if (rc == 0)
		rc = k.layout == LAYOUT_TABLE ? kreport_table(&k) : kreport_layouts(&k);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "mmsim: cannot write to standard output\n");
		rc = 1;
	}
	json_decref(k.points);
	free(k.ids);
	return rc == 1 && !k.points ? 0 : rc; /* --help */
}
