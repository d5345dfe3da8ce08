/*
 * plan.h - `mmsim plan`: the largest value of one parameter (PATH, in
 * [LO, HI]) at which a metric still meets a target ("METRIC < VALUE" or
 * "METRIC > VALUE"), assuming the metric is monotone in PATH.
 *
 * Each probe is an ordinary point of the scenario with PATH set to the probe
 * value, run by the runner into OUT (so a repeated or interrupted plan reuses
 * the probes complete there) with replications until the confidence interval
 * of the metric's mean lies on one side of the target (until.target), or up
 * to a maximum. The ends are probed first: they tell on which side the
 * target holds, or that the whole range meets it, or none of it does; then
 * the bracket [value known to meet, value known to fail] is bisected
 * (geometric midpoints on a log range) until it is narrower than the
 * tolerance. A probe still undecided at the maximum stays in the bracket.
 *
 * The sweep's other axes are planned separately, one answer per combination
 * of their values (plan.c); the answers are printed and written to
 * OUT/plan.csv, OUT/plan.json and OUT/figures/plan.* (plan_report.c).
 */
#ifndef SIM_PLAN_H
#define SIM_PLAN_H

#include <stdbool.h>

#include <jansson.h>

#include "sim/runner.h"
#include "sim/scenario.h"

enum plan_cmp { PLAN_BELOW, PLAN_ABOVE }; /* METRIC < VALUE, METRIC > VALUE */

/* What the command line asks. */
struct plan_request {
	const char *path; /* borrowed from argv: --vary */
	bool has_range;
	double lo, hi;             /* --range LO:HI, LO < HI */
	const char *range_text;    /* borrowed from argv */
	char *metric;              /* owned: --target's metric; NULL: no --target */
	int cmp;                   /* enum plan_cmp */
	double target;             /* --target's value */
	unsigned replications;     /* the first ones; 0: the scenario's if at least 2, else 5 */
	unsigned max_replications; /* 0: 20, or the first if more */
	bool log;                  /* --log: geometric midpoints */
	double tolerance;          /* the bracket's final width, relative to its larger end */
};

enum plan_outcome { PLAN_MEETS, PLAN_FAILS, PLAN_UNDECIDED };

/* One probe: a point run with PATH = value. */
struct plan_probe {
	double value;
	int outcome;         /* enum plan_outcome */
	double mean, lo, hi; /* the metric over the replications, and its interval */
	unsigned n;          /* replications */
	char id[13];         /* the point's */
	bool reused;         /* complete in OUT already */
};

enum plan_status {
	PLAN_SEARCHING,
	PLAN_FOUND,      /* the bracket is narrower than the tolerance */
	PLAN_ALL,        /* both ends meet the target: the answer is HI */
	PLAN_NONE,       /* both ends fail: no value meets it */
	PLAN_UNRESOLVED, /* the bracket holds probes undecided at the maximum replications */
	PLAN_LIMIT,      /* still wider than the tolerance after PLAN_MAX_PROBES */
};

/*
 * The search of one combination of the other axes' values.
 *
 * Guide to the state: sign is +1 when the target holds at low values of PATH
 * (the metric gets worse as PATH grows), -1 when at high values, 0 while
 * unknown (before the ends are decided, or when they agree). Ordered by
 * sign * value, the monotone metric gives meets < undecided < fails; the
 * search only probes inside the bracket, between the last value known to
 * meet and the first known to fail, so every answer keeps that order.
 */
struct plan_combo {
	json_t *swept;             /* owned: {axis: value} of the other axes */
	char *label;               /* owned: "kernel=2.6.36" ("" with no other axis) */
	struct plan_probe *probes; /* owned, in the order they ran */
	unsigned nr_probes;
	int sign;
	int status;     /* enum plan_status */
	double want[2]; /* the values to probe in this round */
	unsigned nr_want;
};

/* The bracket of a combination, by sign * value: indexes into probes, -1: none. */
struct plan_bracket {
	int meets;   /* the last value known to meet */
	int fails;   /* the first value known to fail past it */
	int first_u; /* the undecided probes between them: the nearest to meets */
	int last_u;  /* and the nearest to fails */
	unsigned nr_u;
};

/* A plan under way. */
struct plan {
	const struct plan_request *rq; /* borrowed */
	const char *scenario;          /* borrowed: the file */
	char *name;                    /* owned: the scenario's name */
	char *out;                     /* owned: the output folder */
	char **axes;                   /* owned: the other sweep axes, in file order */
	unsigned nr_axes;
	struct plan_combo *combos; /* owned */
	unsigned nr_combos;
	bool integer;        /* PATH takes whole numbers */
	bool geometric;      /* midpoints sqrt(a b) */
	unsigned first, max; /* replications of a probe */
	double confidence;   /* of the intervals */
	bool quiet;
};

/* --range LO:HI and --target 'METRIC < VALUE' into @rq; 0, or 2 after a message. */
int plan_parse_range(struct plan_request *rq, const char *arg);
int plan_parse_target(struct plan_request *rq, const char *arg);
/* --tolerance X, in [1e-6, 0.5]; 0 or 2. */
int plan_parse_tolerance(struct plan_request *rq, const char *arg);
void plan_request_release(struct plan_request *rq);

/*
 * Runs the plan of @rq on @scenario with the user's @ov (the --set options),
 * @seed (negative: the scenario's) and @run's workers: the exit status (0;
 * 1 a run-time failure; 2 bad input, nothing run; 130 interrupted).
 */
int plan_run(const char *scenario, const struct override *ov, unsigned nr_ov, long long seed,
             const struct run_options *run, const struct plan_request *rq);

/* The bracket of @c (with its sign known). */
void plan_bracket(const struct plan_combo *c, struct plan_bracket *b);
/* Whether probe @i of @c is undecided inside its bracket @b. */
bool plan_in_bracket(const struct plan_combo *c, const struct plan_bracket *b, unsigned i);
/* "meets", "fails", "undecided". */
const char *plan_outcome_name(int outcome);

/* plan_report.c */

/* "found", "all", "none", "undecided", "limit". */
const char *plan_status_name(int status);
/* A value as the answers and the figure write it: strings bare, else JSON (new string). */
char *plan_value_text(json_t *v);
/* Prints the probes of the last round (@from: the first index of each combination's). */
void plan_print_probes(const struct plan *p, const unsigned *from);
/* Prints the answers, writes OUT/plan.csv, OUT/plan.json and the figure; 0 or 1. */
int plan_report(const struct plan *p);

#endif
