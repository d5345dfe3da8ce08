/*
 * main.c - the mmsim command line. Exit status: 0 ok, 1 run-time or I/O
 * failure, 2 usage or input error.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "models/dist.h"
#include "models/kernel_profiles.h"
#include "models/mm.h"
#include "models/rwsem.h"
#include "models/thread.h"
#include "sim/cli.h"
#include "sim/input.h"
#include "sim/list.h"
#include "sim/merge.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/params.h"
#include "sim/plan.h"
#include "sim/kreport.h"
#include "sim/metrics/intervals.h"
#include "sim/metrics/schema.h"
#include "sim/plot.h"
#include "sim/probe_command.h"
#include "sim/report.h"
#include "sim/run.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/util.h"

#define MAX_OVERRIDES 64

/* What the main usage and the man page say of mmsim. */
static const char about[] =
        "Simulates Linux mmap_sem contention: who holds it, who waits, and what a\n"
        "kernel version, disk or thread count changes.\n";

static const char usage_run[] =
        "usage: mmsim run SCENARIO.json [--set PATH=VALUE]... [--seed N] [--out DIR] [--quiet]\n"
        "                 [--jobs N] [--point ID]... [--shard K/N] [--force] [--interval-ms MS]\n"
        "                 [--trace FILE [--trace-window T0:T1] [--trace-format tef|paje]]\n"
        "\n"
        "  --set PATH=VALUE  override a parameter (VALUE is JSON; a bare word is a string),\n"
        "                    e.g. --set kernel=2.6.37 --set disk.service_ms=18; replaces a\n"
        "                    sweep over PATH by this one value\n"
        "  --seed N          the scenario's seed\n"
        "  --out DIR         where results go (default: out/<scenario name>)\n"
        "  --quiet           no table on stdout, no progress line, no note of skipped points\n"
        "  --jobs N          worker processes at once (default: the number of cores); the\n"
        "                    results are the same for any N\n"
        "  --point ID        run only this point (repeatable; ids: 'mmsim points')\n"
        "  --shard K/N       run only the points whose index i (from 0, in sweep order)\n"
        "                    has i mod N = K-1 (K from 1 to N): one of N machines\n"
        "  --force           run again the points already complete in DIR (else skipped)\n"
        "  --interval-ms MS  also write each run's time series, points/<id>/intervals.csv:\n"
        "                    rates, waits and holds per MS milliseconds of simulated time\n"
        "  --no-lookahead    make every modelled delay a SimGrid sleep (same results, slower)\n"
        "  --stack-kb N      SimGrid actor stack size (default 64)\n"
        "  --format F        the table on stdout: table (aligned, the default), csv, or json\n"
        "                    (one object per point and line)\n"
        "  --columns LIST    its metric columns: dotted paths of the results' metrics or\n"
        "                    groups of them, '*' within a segment, comma-separated (e.g.\n"
        "                    'threads.*.ops_per_s,mmap_sem.write.wait_us.p99'); default:\n"
        "                    each group's ops/s, the mean read hold, the mean and p99 write\n"
        "                    wait\n"
        "  --trace FILE      the timeline of one point (its --point, needed in a sweep;\n"
        "                    replication 0): threads, mmap_sem, devices, as Trace Event\n"
        "                    Format JSON (Perfetto, chrome://tracing); runs it again\n"
        "  --trace-window T0:T1  only simulated seconds T0 to T1 (the file's size)\n"
        "  --trace-format F  tef (the default) or paje (ViTE)\n";

static const char usage_plan[] =
        "usage: mmsim plan SCENARIO.json --vary PATH --range LO:HI --target 'METRIC < VALUE'\n"
        "                  [--set PATH=VALUE]... [--seed N] [--out DIR] [--jobs N] [--quiet]\n"
        "                  [--replications N] [--max-replications N] [--log] [--tolerance X]\n"
        "\n"
        "Searches [LO, HI] for the largest value of PATH at which METRIC (a number of the\n"
        "results' metrics) meets the target, '<' or '>', assuming it is monotone in PATH:\n"
        "the ends first, then bisection. Each probe is a point of the scenario with PATH\n"
        "set, written to DIR (default out/<scenario name>-plan) like a run's, and decides\n"
        "when the confidence interval of the metric's mean is on one side of the target.\n"
        "The other sweep axes are planned separately: one answer per combination of\n"
        "their values. Writes DIR/plan.csv, DIR/plan.json and DIR/figures/plan.*.\n"
        "\n"
        "  --vary PATH            the parameter searched (a sweep path, as for --set)\n"
        "  --range LO:HI          its range, LO < HI\n"
        "  --target 'M < V'       the target: metric M below V, or above it with '>'\n"
        "  --replications N       replications a probe starts with (default: the\n"
        "                         scenario's if at least 2, else 5)\n"
        "  --max-replications N   at most, while the interval straddles V (default 20)\n"
        "  --log                  geometric midpoints (the default when LO > 0, HI/LO >= 100)\n"
        "  --tolerance X          stop when the bracket is narrower than X times its\n"
        "                         larger end (default 0.02)\n"
        "  --set, --seed, --out, --jobs, --no-lookahead, --stack-kb: as for run; a\n"
        "                         repeated plan reuses the probes complete in DIR\n"
        "  --quiet                print the answers only\n";

static const char usage_validate[] =
        "usage: mmsim validate SCENARIO.json [--set PATH=VALUE]... [--seed N]\n"
        "\n"
        "Checks every sweep point and reports every error (exit 2), or prints the points.\n";

static const char usage_points[] =
        "usage: mmsim points SCENARIO.json [--set PATH=VALUE]... [--seed N]\n"
        "\n"
        "Prints one line per sweep point, in sweep order: its id (for --point; the first\n"
        "12 hex digits of the SHA-256 of its resolved parameters, the same on every\n"
        "machine) and its swept values as JSON.\n";

static const char usage_list[] =
        "usage: mmsim list [--markdown]\n\n"
        "Prints the tables the scenarios draw from (--markdown: as the README's).\n";

static const char usage_suite[] =
        "usage: mmsim suite SUITE.json [--out DIR] [--quiet]\n"
        "\n"
        "A suite is {\"suite\": [{\"scenario\": FILE}...]}. Each scenario runs into\n"
        "DIR/<name> (default out/), then the figures it declares are drawn into\n"
        "DIR/<name>/figures as 'mmsim plot DIR/<name>' draws them (PNG, SVG, PDF).\n"
        "\n"
        "  --seed, --no-lookahead, --stack-kb: as for run\n";

static const char usage_help[] =
        "usage: mmsim help [COMMAND] [--man] [--bash-completion]\n"
        "\n"
        "Prints the list of commands, or what 'mmsim COMMAND --help' prints.\n"
        "\n"
        "  --man              the manual page (roff: 'mmsim help --man | man -l -')\n"
        "  --bash-completion  the bash completion script ('make install' installs both)\n";

static int cmd_run(int argc, char **argv);
static int cmd_validate(int argc, char **argv);
static int cmd_points(int argc, char **argv);
static int cmd_list(int argc, char **argv);
static int cmd_suite(int argc, char **argv);
static int cmd_plan(int argc, char **argv);
static int cmd_help(int argc, char **argv);

#define CLI_LOAD_OPTIONS (CLI_OPT(SET) | CLI_OPT(SEED))
#define CLI_RUN_OPTIONS                                                                            \
	(CLI_LOAD_OPTIONS | CLI_OPT(OUT) | CLI_OPT(QUIET) | CLI_OPT(JOBS) |                        \
	 CLI_OPT(NO_LOOKAHEAD) | CLI_OPT(STACK_KB))

static const struct cli_command run_command = {
	"run",
	"SCENARIO.json",
	"run every sweep point, write results and a summary",
	usage_run,
	CLI_RUN_OPTIONS | CLI_OPT(POINT) | CLI_OPT(SHARD) | CLI_OPT(FORCE) | CLI_OPT(FORMAT) |
	        CLI_OPT(COLUMNS) | CLI_OPT(TRACE) | CLI_OPT(TRACE_WINDOW) | CLI_OPT(TRACE_FORMAT) |
	        CLI_OPT(INTERVAL_MS),
	cmd_run
};
static const struct cli_command validate_command = {
	"validate",     "SCENARIO.json",  "report every error in a scenario without running it",
	usage_validate, CLI_LOAD_OPTIONS, cmd_validate
};
static const struct cli_command points_command = {
	"points",
	"SCENARIO.json",
	"list the sweep points: id and swept values, in sweep order",
	usage_points,
	CLI_LOAD_OPTIONS,
	cmd_points
};
static const struct cli_command list_command = {
	"list",
	"",
	"kernel profiles, rwsem policies, operations, distributions",
	usage_list,
	CLI_OPT(MARKDOWN),
	cmd_list
};
static const struct cli_command suite_command = {
	"suite",
	"SUITE.json",
	"run the scenarios of a suite and draw their figures",
	usage_suite,
	CLI_OPT(SEED) | CLI_OPT(OUT) | CLI_OPT(QUIET) | CLI_OPT(NO_LOOKAHEAD) | CLI_OPT(STACK_KB),
	cmd_suite
};
static const struct cli_command plan_command = {
	"plan",
	"SCENARIO.json",
	"the largest value of a parameter that meets a target",
	usage_plan,
	CLI_RUN_OPTIONS | CLI_OPT(VARY) | CLI_OPT(RANGE) | CLI_OPT(TARGET) | CLI_OPT(TOLERANCE) |
	        CLI_OPT(REPLICATIONS) | CLI_OPT(MAX_REPLICATIONS) | CLI_OPT(LOG),
	cmd_plan
};
static const struct cli_command help_command = { "help",
	                                         "[COMMAND]",
	                                         "this list, or what 'mmsim COMMAND --help' prints",
	                                         usage_help,
	                                         CLI_OPT(MAN) | CLI_OPT(BASH_COMPLETION),
	                                         cmd_help };

/* The commands, in the order the usage, the man page and the completion list them. */
static const struct cli_command *const commands[] = {
	&run_command,    &validate_command, &points_command, &merge_command,
	&list_command,   &suite_command,    &plot_command,   &plan_command,
	&report_command, &probe_command,    &help_command,
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

struct cli {
	const char *scenario;
	struct override ov[MAX_OVERRIDES];
	unsigned nr_ov;
	long long seed;
	struct run_options run;
	char *out_owned;
	const char **ids; /* owned array, borrowed strings (argv): --point */
	unsigned nr_ids;
	unsigned shard_k, shard_n; /* --shard K/N; 0/0: all */
	bool *selected;            /* owned, [nr_points] with --point or --shard */
	struct plan_request plan;  /* plan's options */
	struct table_spec table;   /* run's --format, --columns */
	/* run's --trace, --trace-window, --trace-format; whether either of the last two came */
	struct trace_options trace;
	bool trace_options_given;
};

/* --set PATH=VALUE; 0 or 2. */
static int cli_set(struct cli *c, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		fprintf(stderr, "mmsim: --set: PATH=VALUE expected, got '%s'\n", arg);
		return 2;
	}
	if (c->nr_ov == MAX_OVERRIDES) {
		fprintf(stderr, "mmsim: --set: at most %d overrides\n", MAX_OVERRIDES);
		return 2;
	}
	*eq = '\0';
	c->ov[c->nr_ov++] = (struct override){ .path = arg, .value = eq + 1 };
	return 0;
}

/* --seed N; 0 or 2. */
static int cli_seed(struct cli *c, const char *arg)
{
	char *end;

	errno = 0;
	c->seed = strtoll(arg, &end, 10);
	if (!*arg || *end || errno || c->seed < 0 || c->seed > 0xffffffffLL) {
		fprintf(stderr,
		        "mmsim: --seed: whole number in [0, 4294967295] expected, got '%s'\n", arg);
		return 2;
	}
	return 0;
}

/* --stack-kb N; 0 or 2. */
/* A whole number in [@lo, @hi] for option @opt; 0 or 2. */
static int cli_whole(const char *opt, const char *arg, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || x < lo || x > hi) {
		fprintf(stderr, "mmsim: %s: whole number in [%u, %u] expected, got '%s'\n", opt, lo,
		        hi, arg);
		return 2;
	}
	*out = (unsigned)x;
	return 0;
}

/* --point ID: 12 hex digits, as 'mmsim points' prints them; 0 or 2. */
static int cli_point(struct cli *c, const char *arg)
{
	if (strlen(arg) != 12 || arg[strspn(arg, "0123456789abcdef")]) {
		fprintf(stderr,
		        "mmsim: --point: point id (12 hex digits, see 'mmsim points') expected, "
		        "got '%s'\n",
		        arg);
		return 2;
	}
	c->ids = xrealloc(c->ids, (c->nr_ids + 1) * sizeof(*c->ids));
	c->ids[c->nr_ids++] = arg;
	return 0;
}

#define SHARDS_MAX 100000

/* A whole number of digits at @s up to @stop; ULLONG_MAX if none or too large. */
static unsigned long long cli_digits(const char *s, char stop, const char **end)
{
	unsigned long long x;
	char *e;

	if (!isdigit((unsigned char)*s))
		return ULLONG_MAX;
	errno = 0;
	x = strtoull(s, &e, 10);
	*end = e;
	return errno || *e != stop ? ULLONG_MAX : x;
}

/*
 * --shard K/N; 0 or 2. Read in a wide type and range-checked: "%u" would
 * take 4294967297/4294967298 for 1/2.
 */
static int cli_shard(struct cli *c, const char *arg)
{
	unsigned long long k, n = ULLONG_MAX;
	const char *end = NULL;

	k = cli_digits(arg, '/', &end);
	if (k != ULLONG_MAX)
		n = cli_digits(end + 1, '\0', &end);
	if (k < 1 || n > SHARDS_MAX || k > n) {
		fprintf(stderr, "mmsim: --shard: K/N with 1 <= K <= N <= %d expected, got '%s'\n",
		        SHARDS_MAX, arg);
		return 2;
	}
	c->shard_k = (unsigned)k;
	c->shard_n = (unsigned)n;
	return 0;
}

/* --interval-ms MS: a step of 1 us or more; 0 or 2. */
static int cli_interval(struct cli *c, const char *arg)
{
	char *end;
	double ms;

	errno = 0;
	ms = strtod(arg, &end);
	if (!*arg || *end || errno || !(ms >= 0.001 && ms <= 1e9)) {
		fprintf(stderr,
		        "mmsim: --interval-ms: milliseconds in [0.001, 1e9] expected, got '%s'\n",
		        arg);
		return 2;
	}
	c->run.interval_ns = (sim_ns)(ms * 1e6 + 0.5);
	return 0;
}

/* --interval-ms gives no point more than INTERVALS_MAX rows; 0 or 2. */
static int cli_intervals(const struct cli *c, const struct scenario_set *set)
{
	for (unsigned i = 0; c->run.interval_ns && i < set->nr_points; i++) {
		const struct scenario *s = &set->points[i];
		unsigned long long n =
		        intervals_count(c->run.interval_ns, (sim_ns)(s->warmup_s * 1e9 + 0.5),
		                        (sim_ns)(s->duration_s * 1e9 + 0.5));

		if (n > INTERVALS_MAX) {
			fprintf(stderr,
			        "mmsim: --interval-ms: %g ms makes %llu intervals of point %s "
			        "(duration_s %g); at most %d\n",
			        c->run.interval_ns / 1e6, n, s->id, s->duration_s, INTERVALS_MAX);
			return 2;
		}
	}
	return 0;
}

/* Option @id of run, validate, points, suite or plan (the command took it), or the operand; 0 or 2. */
static int cli_option(struct cli *c, int id, char *arg)
{
	switch (id) {
	case CLI_OPERAND:
		c->scenario = arg;
		return 0;
	case CLI_SET:
		return cli_set(c, arg);
	case CLI_SEED:
		return cli_seed(c, arg);
	case CLI_OUT:
		c->run.out = arg;
		return outdir_check_name(arg, "--out");
	case CLI_QUIET:
		c->run.quiet = true;
		return 0;
	case CLI_NO_LOOKAHEAD:
		c->run.no_lookahead = true;
		return 0;
	case CLI_STACK_KB:
		return cli_whole("--stack-kb", arg, 16, 65536, &c->run.stack_kb);
	case CLI_JOBS:
		return cli_whole("--jobs", arg, 1, 1024, &c->run.jobs);
	case CLI_POINT:
		return cli_point(c, arg);
	case CLI_SHARD:
		return cli_shard(c, arg);
	case CLI_FORCE:
		c->run.force = true;
		return 0;
	case CLI_INTERVAL_MS:
		return cli_interval(c, arg);
	case CLI_VARY:
		c->plan.path = arg;
		return 0;
	case CLI_RANGE:
		return plan_parse_range(&c->plan, arg);
	case CLI_TARGET:
		return plan_parse_target(&c->plan, arg);
	case CLI_TOLERANCE:
		return plan_parse_tolerance(&c->plan, arg);
	case CLI_REPLICATIONS:
		return cli_whole("--replications", arg, 2, 10000, &c->plan.replications);
	case CLI_MAX_REPLICATIONS:
		return cli_whole("--max-replications", arg, 2, 10000, &c->plan.max_replications);
	case CLI_LOG:
		c->plan.log = true;
		return 0;
	case CLI_FORMAT:
		return table_parse_format(&c->table, arg);
	case CLI_COLUMNS:
		c->table.columns = arg;
		return 0;
	case CLI_TRACE:
		c->trace.path = arg;
		return 0;
	case CLI_TRACE_WINDOW:
		c->trace_options_given = true;
		return trace_parse_window(&c->trace, arg);
	case CLI_TRACE_FORMAT:
		c->trace_options_given = true;
		return trace_parse_format(&c->trace, arg);
	}
	fprintf(stderr, "mmsim: option %d taken but not handled\n", id);
	return 2;
}

/* The arguments of run, validate, points, suite and plan, in order; 0, 1 for --help, or 2. */
static int cli_parse(struct cli *c, int argc, char **argv, const struct cli_command *cmd)
{
	struct cli_parser p;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int id, rc = 0;

	c->seed = -1;
	c->run.stack_kb = 64;
	c->run.jobs = cores < 1 ? 1 : cores > 1024 ? 1024 : (unsigned)cores;
	cli_start(&p, cmd, argc, argv);
	while (rc == 0 && (id = cli_next(&p)) > CLI_END)
		rc = cli_option(c, id, p.value);
	return rc ? rc : cli_end(&p);
}

/* Loads the scenario of @c (@ids: only what validate and points print); 0, or 2. */
static int cli_load_as(struct scenario_set *set, const struct cli *c, bool ids)
{
	int rc = ids ? scenario_load_ids(set, c->scenario, c->ov, c->nr_ov, c->seed)
	             : scenario_load(set, c->scenario, c->ov, c->nr_ov, c->seed);

	if (rc == 0)
		return 0;
	scenario_set_release(set);
	return 2;
}

/* Loads the scenario of @c; 0, or 2 after the messages. */
static int cli_load(struct scenario_set *set, const struct cli *c)
{
	return cli_load_as(set, c, false);
}

/* --point and --shard: which points run; 0 or 2 (an unknown id). */
static int cli_select(struct cli *c, const struct scenario_set *set)
{
	if (!c->nr_ids && !c->shard_n)
		return 0;
	c->selected = xcalloc(set->nr_points, sizeof(*c->selected));
	for (unsigned i = 0; i < set->nr_points; i++)
		c->selected[i] = !c->nr_ids && c->shard_n;
	for (unsigned k = 0; k < c->nr_ids; k++) {
		unsigned i = 0;

		while (i < set->nr_points && strcmp(set->points[i].id, c->ids[k]) != 0)
			i++;
		if (i == set->nr_points) {
			fprintf(stderr,
			        "mmsim: --point: no point '%s' in %s (see 'mmsim points %s')\n",
			        c->ids[k], c->scenario, c->scenario);
			return 2;
		}
		c->selected[i] = true;
	}
	for (unsigned i = 0; c->shard_n && i < set->nr_points; i++)
		c->selected[i] = c->selected[i] && i % c->shard_n == c->shard_k - 1;
	c->run.selected = c->selected;
	return 0;
}

/* --columns names metrics of the scenario's points; 0 or 2. */
static int cli_columns(const struct cli *c, const struct scenario_set *set)
{
	json_t *zeroes;
	char *error;

	if (!c->table.columns)
		return 0;
	zeroes = metric_zeroes(&set->points[0]);
	error = table_columns_error(c->table.columns, zeroes);
	json_decref(zeroes);
	if (!error)
		return 0;
	fprintf(stderr, "mmsim: %s\n", error);
	free(error);
	return 2;
}

/* --trace: one point (the only one selected), inside the run; 0 or 2. */
static int cli_trace(struct cli *c, const struct scenario_set *set)
{
	const struct scenario *s = &set->points[0];

	if (!c->trace.path) {
		if (!c->trace_options_given)
			return 0;
		fprintf(stderr, "mmsim: --trace-window and --trace-format need --trace FILE\n");
		return 2;
	}
	if (c->nr_ids > 1 || (set->nr_points > 1 && c->nr_ids != 1) || c->shard_n) {
		fprintf(stderr,
		        "mmsim: --trace: a trace is of one point, and %s has %u: choose it with "
		        "one --point ID (see 'mmsim points %s')\n",
		        c->scenario, set->nr_points, c->scenario);
		return 2;
	}
	for (unsigned i = 0; i < set->nr_points; i++)
		if (!c->selected || c->selected[i])
			s = &set->points[i];
	if (c->trace.t0 >= (sim_ns)(s->duration_s * 1e9 + 0.5)) {
		fprintf(stderr, "mmsim: --trace-window: starts after the run ends (%g s)\n",
		        s->duration_s);
		return 2;
	}
	c->trace.point = s->id;
	c->run.trace = &c->trace;
	c->run.force = true; /* the traced point runs even if its results are there */
	return 0;
}

static void cli_release(struct cli *c)
{
	plan_request_release(&c->plan);
	free(c->out_owned);
	free(c->ids);
	free(c->selected);
}

static int cmd_run(int argc, char **argv)
{
	struct cli c = { .trace = { .t1 = -1 } };
	struct scenario_set set;
	int rc = cli_parse(&c, argc, argv, &run_command);

	if (rc || (rc = cli_load(&set, &c))) {
		cli_release(&c);
		return rc == 1 ? 0 : rc;
	}
	if ((rc = cli_select(&c, &set)) == 0 && (rc = cli_columns(&c, &set)) == 0 &&
	    (rc = cli_trace(&c, &set)) == 0 && (rc = cli_intervals(&c, &set)) == 0) {
		if (!c.run.out)
			c.run.out = c.out_owned = xasprintf("out/%s", set.name);
		c.run.progress = !c.run.quiet && isatty(2);
		c.run.table = &c.table;
		rc = run_scenario_set(&set, &c.run);
		if (rc == 0 && !c.run.quiet && c.table.format == TABLE_TEXT)
			printf("results: %s/summary.csv\n", c.run.out);
	}
	scenario_set_release(&set);
	cli_release(&c);
	return rc;
}

/* --vary, --range and --target are needed; 0 or 2. */
static int cli_plan_needs(const struct cli *c)
{
	const char *missing = !c->plan.path        ? "--vary PATH"
	                      : !c->plan.has_range ? "--range LO:HI"
	                      : !c->plan.metric    ? "--target 'METRIC < VALUE'"
	                                           : NULL;

	if (!missing)
		return 0;
	fprintf(stderr, "mmsim: %s is needed\n%s", missing, usage_plan);
	return 2;
}

static int cmd_plan(int argc, char **argv)
{
	struct cli c = { .plan = { .tolerance = 0.02 } };
	int rc = cli_parse(&c, argc, argv, &plan_command);

	if (rc == 1) /* --help */
		rc = 0;
	else if (rc == 0 && (rc = cli_plan_needs(&c)) == 0)
		rc = plan_run(c.scenario, c.ov, c.nr_ov, c.seed, &c.run, &c.plan);
	cli_release(&c);
	return rc;
}

/* A point's swept values as compact JSON, axes in file order (new string). */
static char *cli_swept_text(const struct scenario_set *set, const struct scenario *s)
{
	json_t *ordered = json_object();
	char *text;

	for (unsigned a = 0; a < set->nr_axes; a++)
		json_object_set(ordered, set->axes[a], json_object_get(s->swept, set->axes[a]));
	text = json_dumps(ordered, JSON_COMPACT | JSON_REAL_PRECISION(9));
	json_decref(ordered);
	return text;
}

static int cmd_points(int argc, char **argv)
{
	struct cli c = { 0 };
	struct scenario_set set;
	int rc = cli_parse(&c, argc, argv, &points_command);

	if (rc || (rc = cli_load_as(&set, &c, true))) {
		cli_release(&c);
		return rc == 1 ? 0 : rc;
	}
	for (unsigned i = 0; i < set.nr_points; i++) {
		char *sw = cli_swept_text(&set, &set.points[i]);

		printf("%s %s\n", set.points[i].id, sw);
		free(sw);
	}
	scenario_set_release(&set);
	cli_release(&c);
	return 0;
}

static int cmd_validate(int argc, char **argv)
{
	struct cli c = { 0 };
	struct scenario_set set;
	int rc = cli_parse(&c, argc, argv, &validate_command);

	if (rc || (rc = cli_load_as(&set, &c, true)))
		return rc == 1 ? 0 : rc;
	printf("%s: ok, %u point%s\n", c.scenario, set.nr_points, set.nr_points == 1 ? "" : "s");
	for (unsigned i = 0; i < set.nr_points; i++) {
		char *sw = cli_swept_text(&set, &set.points[i]);

		printf("  %s %s\n", set.points[i].id, sw);
		free(sw);
	}
	scenario_set_release(&set);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct cli_parser p;
	bool markdown = false;
	int id, rc;

	cli_start(&p, &list_command, argc, argv);
	while ((id = cli_next(&p)) > CLI_END)
		markdown |= id == CLI_MARKDOWN; /* the only option cli_next lets through */
	if ((rc = cli_end(&p)))
		return rc == 1 ? 0 : rc;
	list_print(markdown);
	return 0;
}

/* Runs @set into @out_root/<name>, then draws its figures; 0, or 130 when interrupted. */
static int suite_run(struct scenario_set *set, const char *out_root, const struct cli *c,
                     int *failed)
{
	static const bool formats[PLOT_NR_FORMATS] = {
		[PLOT_PNG] = true, [PLOT_SVG] = true, [PLOT_PDF] = true
	};
	struct run_options opt = c->run;
	int rc;

	opt.out = xasprintf("%s/%s", out_root, set->name);
	if (!opt.quiet)
		printf("== %s -> %s\n", set->path, opt.out);
	rc = run_scenario_set(set, &opt);
	if (rc == 130) { /* interrupted: no figures, no further scenario */
		free((char *)opt.out);
		return 130;
	}
	if (rc == 0 && plot_scenario(opt.out, set, formats, NULL, opt.quiet) != 0) {
		fprintf(stderr, "mmsim: the figures of %s failed on %s\n", set->path, opt.out);
		rc = 1;
	}
	*failed += rc != 0;
	free((char *)opt.out);
	return 0;
}

/* Suite entry @i's "plots", gone: the scenario declares its figures; 1 after the message, or 0. */
static int suite_check_plots(const char *suite, json_t *entry, size_t i)
{
	if (!json_object_get(entry, "plots"))
		return 0;
	fprintf(stderr,
	        "%s: .suite[%zu].plots: error: gnuplot scripts are no more: the scenario declares "
	        "its \"figures\", which the suite draws (see mmsim plot)\n",
	        suite, i);
	return 1;
}

/*
 * Suite entry @i, checked as a whole (its keys, its scenario loaded into
 * @set, its plots there); the number of errors, printed.
 */
static int suite_check(const struct cli *c, json_t *entry, size_t i, struct scenario_set *set)
{
	static const char *const keys[] = { "scenario", "plots" };
	const char *file = json_string_value(json_object_get(entry, "scenario")), *key;
	json_t *v;
	int errors = 0;

	if (!json_is_object(entry)) {
		fprintf(stderr, "%s: .suite[%zu]: error: object expected, got %s\n", c->scenario, i,
		        json_kind(entry));
		return 1;
	}
	json_object_foreach (entry, key, v) {
		if (strcmp(key, keys[0]) != 0 && strcmp(key, keys[1]) != 0) {
			fprintf(stderr,
			        "%s: .suite[%zu]: error: unknown key '%s' (expected: scenario, "
			        "plots)\n",
			        c->scenario, i, key);
			errors++;
		}
	}
	if (!file) {
		fprintf(stderr, "%s: .suite[%zu]%s: error: %s\n", c->scenario, i,
		        json_object_get(entry, "scenario") ? ".scenario" : "",
		        json_object_get(entry, "scenario") ? "string expected (a scenario file)"
		                                           : "missing key 'scenario'");
		errors++;
	} else if (scenario_load(set, file, NULL, 0, c->seed)) {
		errors++;
	}
	return errors + suite_check_plots(c->scenario, entry, i);
}

/* The suite file of @c: its "suite" list (in *@root), or NULL after a message. */
static json_t *suite_load(const struct cli *c, json_t **root)
{
	size_t len;
	char *err, *text = input_read(c->scenario, &len, &err);
	json_error_t e;
	json_t *list;

	if (!text) {
		fprintf(stderr, "%s: error: cannot read the suite: %s\n", c->scenario, err);
		free(err);
		return NULL;
	}
	*root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	free(text);
	if (!*root) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", c->scenario, e.line, e.column, e.text);
		return NULL;
	}
	list = json_object_get(*root, "suite");
	if (!json_is_object(*root))
		fprintf(stderr, "%s: .: error: object expected, got %s\n", c->scenario,
		        json_kind(*root));
	else if (!list)
		fprintf(stderr, "%s: .: error: missing key 'suite'\n", c->scenario);
	else if (!json_is_array(list))
		fprintf(stderr, "%s: .suite: error: array expected, got %s\n", c->scenario,
		        json_kind(list));
	return json_is_array(list) ? list : NULL;
}

/*
 * Every scenario and plot of the suite is checked before the first runs:
 * an error in the last must not leave the first's folder behind.
 */
static int cmd_suite(int argc, char **argv)
{
	struct cli c = { 0 };
	struct scenario_set *sets = NULL;
	json_t *root = NULL, *list, *entry;
	size_t i, n = 0;
	int rc = cli_parse(&c, argc, argv, &suite_command), failed = 0, errors = 0;

	if (rc)
		return rc == 1 ? 0 : rc;
	rc = 2;
	if ((list = suite_load(&c, &root))) {
		sets = xcalloc(json_array_size(list) + 1, sizeof(*sets));
		json_array_foreach (list, n, entry)
			errors += suite_check(&c, entry, n, &sets[n]);
		rc = errors ? 2 : 0;
	}
	json_array_foreach (rc == 0 ? list : NULL, i, entry)
		if (rc == 0)
			rc = suite_run(&sets[i], c.run.out ? c.run.out : "out", &c, &failed);
	for (i = 0; i < n; i++)
		scenario_set_release(&sets[i]);
	free(sets);
	json_decref(root);
	cli_release(&c);
	return rc ? rc : failed ? 1 : 0;
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: mmsim <command> [options]\n\n%s\ncommands:\n", about);
	cli_print_commands(f, commands, NR_COMMANDS);
	fputs("\n'mmsim <command> --help' (or 'mmsim help <command>') tells more;\n"
	      "'mmsim --version' prints the versions of mmsim and SimGrid.\n",
	      f);
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "mmsim: unknown command '%s' (see 'mmsim --help')\n", name);
	return 2;
}

static int cmd_help(int argc, char **argv)
{
	struct cli_parser p;
	const struct cli_command *cmd = NULL;
	const char *name = NULL;
	int id, rc, print = 0;

	cli_start(&p, &help_command, argc, argv);
	while ((id = cli_next(&p)) > CLI_END)
		if (id == CLI_OPERAND)
			name = p.value;
		else
			print = id; /* --man or --bash-completion */
	if ((rc = cli_end(&p)))
		return rc == 1 ? 0 : rc;
	if (name && !(cmd = cli_find(commands, NR_COMMANDS, name)))
		return unknown_command(name);
	if (print == CLI_MAN)
		cli_print_man(stdout, commands, NR_COMMANDS, about, MMSIM_VERSION);
	else if (print == CLI_BASH_COMPLETION)
		cli_print_bash_completion(stdout, commands, NR_COMMANDS);
	else if (cmd)
		fputs(cmd->usage, stdout);
	else
		print_usage(stdout);
	return 0;
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int dispatch(int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 2 || is_help(argv[1])) {
		print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mmsim %s\nSimGrid %s\n", MMSIM_VERSION, output_simgrid_version());
		return 0;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "mmsim: unknown option '%s' (see 'mmsim --help')\n", argv[1]);
		return 2;
	}
	cmd = cli_find(commands, NR_COMMANDS, argv[1]);
	return cmd ? cmd->main(argc, argv) : unknown_command(argv[1]);
}

/* What could not be written to standard output (a full disk, a closed pipe) fails the command. */
int main(int argc, char **argv)
{
	int rc = dispatch(argc, argv);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "mmsim: cannot write to standard output: %s\n",
		        errno ? strerror(errno) : "write error");
		return rc ? rc : 1;
	}
	return rc;
}
