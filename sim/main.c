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
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "models/dist.h"
#include "models/kernel_profiles.h"
#include "models/mm.h"
#include "models/rwsem.h"
#include "models/thread.h"
#include "sim/input.h"
#include "sim/list.h"
#include "sim/merge.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/params.h"
#include "sim/plan.h"
#include "sim/plot.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/util.h"

#define MAX_OVERRIDES 64

static const char usage_main[] =
	"usage: mmsim <command> [options]\n"
	"\n"
	"Simulates Linux mmap_sem contention: who holds it, who waits, and what a\n"
	"kernel version, disk or thread count changes.\n"
	"\n"
	"commands:\n"
	"  run SCENARIO.json      run every sweep point, write results and a summary\n"
	"  validate SCENARIO.json report every error in a scenario without running it\n"
	"  points SCENARIO.json   list the sweep points: id and swept values, in sweep order\n"
	"  merge DIR...           combine the points of several output folders (shards)\n"
	"  list                   kernel profiles, rwsem policies, operations, distributions\n"
	"  suite SUITE.json       run the scenarios of a suite and draw their figures\n"
	"  plot OUT               draw the figures the scenario declares from a run's results\n"
	"  plan SCENARIO.json     the largest value of a parameter that meets a target\n"
	"\n"
	"'mmsim <command> --help' tells more.\n";

static const char usage_run[] =
	"usage: mmsim run SCENARIO.json [--set PATH=VALUE]... [--seed N] [--out DIR] [--quiet]\n"
	"                 [--jobs N] [--point ID]... [--shard K/N] [--force]\n"
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
	"  --no-lookahead    make every modelled delay a SimGrid sleep (same results, slower)\n"
	"  --stack-kb N      SimGrid actor stack size (default 64)\n";

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
	"  --set, --seed, --out, --jobs: as for run; a repeated plan reuses the probes\n"
	"                         complete in DIR\n"
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

static const char usage_list[] = "usage: mmsim list\n\nPrints the tables the scenarios draw from.\n";

static const char usage_suite[] =
	"usage: mmsim suite SUITE.json [--out DIR] [--quiet]\n"
	"\n"
	"A suite is {\"suite\": [{\"scenario\": FILE, \"plots\": [GNUPLOT_SCRIPT...]}...]}.\n"
	"Each scenario runs into DIR/<name> (default out/), then each script is run as\n"
	"'gnuplot -c SCRIPT DIR/<name>' and draws into DIR/<name>/figures.\n";

struct cli {
	const char *scenario;
	struct override ov[MAX_OVERRIDES];
	unsigned nr_ov;
	long long seed;
	struct run_options run;
	char *out_owned;
	const char **ids;      /* owned array, borrowed strings (argv): --point */
	unsigned nr_ids;
	unsigned shard_k, shard_n; /* --shard K/N; 0/0: all */
	bool *selected;        /* owned, [nr_points] with --point or --shard */
	struct plan_request plan;  /* plan's options */
};

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* The value of the option at argv[*i], or NULL after a message if it has none. */
static char *cli_value(int argc, char **argv, int *i)
{
	if (*i + 1 < argc)
		return argv[++*i];
	fprintf(stderr, "mmsim: %s: a value is needed\n", argv[*i]);
	return NULL;
}

/* --set PATH=VALUE; 0 or 2. */
static int cli_set(struct cli *c, char *arg)
{
	char *eq = arg ? strchr(arg, '=') : NULL;

	if (!arg)
		return 2;
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

	if (!arg)
		return 2;
	errno = 0;
	c->seed = strtoll(arg, &end, 10);
	if (!*arg || *end || errno || c->seed < 0 || c->seed > 0xffffffffLL) {
		fprintf(stderr, "mmsim: --seed: whole number in [0, 4294967295] expected, got '%s'\n", arg);
		return 2;
	}
	return 0;
}

/* --stack-kb N; 0 or 2. */
static int cli_stack_kb(struct cli *c, const char *arg)
{
	char *end;
	unsigned long kb;

	if (!arg)
		return 2;
	errno = 0;
	kb = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || kb < 16 || kb > 65536) {
		fprintf(stderr, "mmsim: --stack-kb: whole number in [16, 65536] expected, got '%s'\n", arg);
		return 2;
	}
	c->run.stack_kb = (unsigned)kb;
	return 0;
}

/* A whole number in [@lo, @hi] for option @opt; 0 or 2. */
static int cli_whole(const char *opt, const char *arg, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long x;

	if (!arg)
		return 2;
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
	if (!arg)
		return 2;
	if (strlen(arg) != 12 || arg[strspn(arg, "0123456789abcdef")]) {
		fprintf(stderr, "mmsim: --point: point id (12 hex digits, see 'mmsim points') expected, got '%s'\n",
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

	if (!arg)
		return 2;
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

/* The options of run only; 0, 2, or -1 if @a is none of them. */
static int cli_run_option(struct cli *c, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (strcmp(a, "--jobs") == 0)
		return cli_whole("--jobs", cli_value(argc, argv, i), 1, 1024, &c->run.jobs);
	if (strcmp(a, "--point") == 0)
		return cli_point(c, cli_value(argc, argv, i));
	if (strcmp(a, "--shard") == 0)
		return cli_shard(c, cli_value(argc, argv, i));
	if (strcmp(a, "--force") == 0) {
		c->run.force = true;
		return 0;
	}
	return -1;
}

/* The options of plan only; 0, 2, or -1 if @a is none of them. */
static int cli_plan_option(struct cli *c, int argc, char **argv, int *i)
{
	struct plan_request *rq = &c->plan;
	const char *a = argv[*i];

	if (strcmp(a, "--jobs") == 0)
		return cli_whole("--jobs", cli_value(argc, argv, i), 1, 1024, &c->run.jobs);
	if (strcmp(a, "--vary") == 0)
		return (rq->path = cli_value(argc, argv, i)) ? 0 : 2;
	if (strcmp(a, "--range") == 0)
		return plan_parse_range(rq, cli_value(argc, argv, i));
	if (strcmp(a, "--target") == 0)
		return plan_parse_target(rq, cli_value(argc, argv, i));
	if (strcmp(a, "--tolerance") == 0)
		return plan_parse_tolerance(rq, cli_value(argc, argv, i));
	if (strcmp(a, "--replications") == 0)
		return cli_whole(a, cli_value(argc, argv, i), 2, 10000, &rq->replications);
	if (strcmp(a, "--max-replications") == 0)
		return cli_whole(a, cli_value(argc, argv, i), 2, 10000, &rq->max_replications);
	if (strcmp(a, "--log") == 0) {
		rq->log = true;
		return 0;
	}
	return -1;
}

/* Parses the options shared by run, validate and suite; 0, 1 for --help, or 2. */
static int cli_parse(struct cli *c, int argc, char **argv, const char *usage)
{
	int rc = 0;

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int run_rc;

	c->seed = -1;
	c->run.stack_kb = 64;
	c->run.jobs = cores < 1 ? 1 : cores > 1024 ? 1024 : (unsigned)cores;
	for (int i = 2; i < argc && rc == 0; i++) {
		const char *a = argv[i];

		if (is_help(a)) {
			fputs(usage, stdout);
			return 1;
		} else if (strcmp(a, "--set") == 0) {
			rc = cli_set(c, cli_value(argc, argv, &i));
		} else if (strcmp(a, "--seed") == 0) {
			rc = cli_seed(c, cli_value(argc, argv, &i));
		} else if (strcmp(a, "--out") == 0) {
			c->run.out = cli_value(argc, argv, &i);
			rc = c->run.out ? outdir_check_name(c->run.out, "--out") : 2;
		} else if (strcmp(a, "--quiet") == 0) {
			c->run.quiet = true;
		} else if (strcmp(a, "--no-lookahead") == 0) {
			c->run.no_lookahead = true;
		} else if (strcmp(a, "--stack-kb") == 0) {
			rc = cli_stack_kb(c, cli_value(argc, argv, &i));
		} else if (usage == usage_run &&
			   (run_rc = cli_run_option(c, argc, argv, &i)) >= 0) {
			rc = run_rc;
		} else if (usage == usage_plan &&
			   (run_rc = cli_plan_option(c, argc, argv, &i)) >= 0) {
			rc = run_rc;
		} else if (a[0] != '-' && !c->scenario) {
			c->scenario = a;
		} else {
			fprintf(stderr, "mmsim: unexpected argument '%s'\n%s", a, usage);
			return 2;
		}
	}
	if (rc == 0 && !c->scenario) {
		fprintf(stderr, "mmsim: a scenario file is needed\n%s", usage);
		return 2;
	}
	return rc;
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
			fprintf(stderr, "mmsim: --point: no point '%s' in %s (see 'mmsim points %s')\n",
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

static void cli_release(struct cli *c)
{
	plan_request_release(&c->plan);
	free(c->out_owned);
	free(c->ids);
	free(c->selected);
}

static int cmd_run(int argc, char **argv)
{
	struct cli c = { 0 };
	struct scenario_set set;
	int rc = cli_parse(&c, argc, argv, usage_run);

	if (rc || (rc = cli_load(&set, &c))) {
		cli_release(&c);
		return rc == 1 ? 0 : rc;
	}
	if ((rc = cli_select(&c, &set)) == 0) {
		if (!c.run.out)
			c.run.out = c.out_owned = xasprintf("out/%s", set.name);
		c.run.progress = !c.run.quiet && isatty(2);
		rc = runner_run(&set, &c.run);
		if (rc == 0 && !c.run.quiet)
			printf("results: %s/summary.csv\n", c.run.out);
	}
	scenario_set_release(&set);
	cli_release(&c);
	return rc;
}

/* --vary, --range and --target are needed; 0 or 2. */
static int cli_plan_needs(const struct cli *c)
{
	const char *missing = !c->plan.path		? "--vary PATH"
			      : !c->plan.has_range	? "--range LO:HI"
			      : !c->plan.metric		? "--target 'METRIC < VALUE'"
							: NULL;

	if (!missing)
		return 0;
	fprintf(stderr, "mmsim: %s is needed\n%s", missing, usage_plan);
	return 2;
}

static int cmd_plan(int argc, char **argv)
{
	struct cli c = { .plan = { .tolerance = 0.02 } };
	int rc = cli_parse(&c, argc, argv, usage_plan);

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
	int rc = cli_parse(&c, argc, argv, usage_points);

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
	int rc = cli_parse(&c, argc, argv, usage_validate);

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
	if (argc > 2 && is_help(argv[2])) {
		fputs(usage_list, stdout);
		return 0;
	}
	list_print();
	return 0;
}

/* Runs gnuplot -c @script @dir; 0 or -1. */
static int run_gnuplot(const char *script, const char *dir)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-c", script, dir, (char *)NULL);
		fprintf(stderr, "mmsim: cannot run gnuplot: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Runs @set into @out_root/<name>, then its plots; 0, or 130 when interrupted. */
static int suite_run(struct scenario_set *set, json_t *entry, const char *out_root,
		     const struct cli *c, int *failed)
{
	struct run_options opt = c->run;
	json_t *plot;
	size_t i;
	int rc;

	opt.out = xasprintf("%s/%s", out_root, set->name);
	if (!opt.quiet)
		printf("== %s -> %s\n", set->path, opt.out);
	rc = runner_run(set, &opt);
	if (rc == 130) { /* interrupted: no figures, no further scenario */
		free((char *)opt.out);
		return 130;
	}
	json_array_foreach (json_object_get(entry, "plots"), i, plot) {
		if (rc == 0 && run_gnuplot(json_string_value(plot), opt.out)) {
			fprintf(stderr, "mmsim: %s failed on %s\n", json_string_value(plot), opt.out);
			rc = 1;
		}
	}
	*failed += rc != 0;
	free((char *)opt.out);
	return 0;
}

/* The plots of suite entry @i: gnuplot scripts that are there; the errors printed. */
static int suite_check_plots(const char *suite, json_t *entry, size_t i)
{
	json_t *plots = json_object_get(entry, "plots"), *plot;
	size_t j;
	int errors = 0;

	if (plots && !json_is_array(plots)) {
		fprintf(stderr, "%s: .suite[%zu].plots: error: array of gnuplot scripts expected, got %s\n",
			suite, i, json_kind(plots));
		return 1;
	}
	json_array_foreach (plots, j, plot) {
		char *err = NULL;
		FILE *f = json_is_string(plot) ? input_open(json_string_value(plot), &err) : NULL;

		if (!json_is_string(plot))
			fprintf(stderr, "%s: .suite[%zu].plots[%zu]: error: string expected, got %s\n",
				suite, i, j, json_kind(plot));
		else if (!f)
			fprintf(stderr, "%s: .suite[%zu].plots[%zu]: error: cannot read '%s': %s\n", suite,
				i, j, json_string_value(plot), err);
		errors += !f;
		if (f)
			fclose(f);
		free(err);
	}
	return errors;
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
			fprintf(stderr, "%s: .suite[%zu]: error: unknown key '%s' (expected: scenario, plots)\n",
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
	int rc = cli_parse(&c, argc, argv, usage_suite), failed = 0, errors = 0;

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
			rc = suite_run(&sets[i], entry, c.run.out ? c.run.out : "out", &c, &failed);
	for (i = 0; i < n; i++)
		scenario_set_release(&sets[i]);
	free(sets);
	json_decref(root);
	cli_release(&c);
	return rc ? rc : failed ? 1 : 0;
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1])) {
		fputs(usage_main, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc, argv);
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc, argv);
	if (strcmp(argv[1], "points") == 0)
		return cmd_points(argc, argv);
	if (strcmp(argv[1], "merge") == 0)
		return merge_main(argc, argv);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc, argv);
	if (strcmp(argv[1], "suite") == 0)
		return cmd_suite(argc, argv);
	if (strcmp(argv[1], "plot") == 0)
		return plot_main(argc, argv);
	if (strcmp(argv[1], "plan") == 0)
		return cmd_plan(argc, argv);
	fprintf(stderr, "mmsim: unknown command '%s'\n%s", argv[1], usage_main);
	return 2;
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
