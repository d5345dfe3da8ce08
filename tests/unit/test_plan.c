/*
 * test_plan.c - mmsim plan's pieces that need no simulation (sim/plan.h):
 * --range and --target parsing, and the bracket of a search: the last value
 * meeting the target, the first failing past it, the undecided probes
 * between them, on either side of the boundary, a contradicting probe (noise
 * against a monotone metric) left out of it.
 */
#include <math.h>
#include <string.h>

#include "sim/plan.h"
#include "tests/unit/harness.h"

static void parse_target_and_range(void)
{
	struct plan_request rq = { 0 };

	CHECK(plan_parse_target(&rq, "mmap_sem.write.wait_us.p99 < 1000") == 0);
	CHECK(strcmp(rq.metric, "mmap_sem.write.wait_us.p99") == 0);
	CHECK(rq.cmp == PLAN_BELOW && rq.target == 1000);
	CHECK(plan_parse_target(&rq, "threads.B.ops_per_s>1e4") == 0);
	CHECK(rq.cmp == PLAN_ABOVE && rq.target == 1e4);
	/* what the messages reject (they go to stderr) */
	CHECK(plan_parse_target(&rq, "x <= 1") == 2);
	CHECK(plan_parse_target(&rq, "a b < 1") == 2);
	CHECK(plan_parse_target(&rq, "< 1") == 2);
	CHECK(plan_parse_target(&rq, "x < 1 < 2") == 2);
	CHECK(plan_parse_target(&rq, "x < nan") == 2);
	CHECK(plan_parse_range(&rq, "0.01:20") == 0 && rq.lo == 0.01 && rq.hi == 20);
	CHECK(plan_parse_range(&rq, "-3:-1") == 0 && rq.lo == -3 && rq.hi == -1);
	CHECK(plan_parse_range(&rq, "20:20") == 2);
	CHECK(plan_parse_range(&rq, "1:") == 2);
	CHECK(plan_parse_range(&rq, "1:2:3") == 2);
	plan_request_release(&rq);
}

/* A combination whose probes ran at @v with outcomes @o. */
static struct plan_combo combo(int sign, const double *v, const int *o, unsigned n,
                               struct plan_probe *probes)
{
	for (unsigned i = 0; i < n; i++)
		probes[i] = (struct plan_probe){ .value = v[i], .outcome = o[i] };
	return (struct plan_combo){ .probes = probes, .nr_probes = n, .sign = sign };
}

static void bracket_below(void)
{
	/* ends 10 (meets) and 100 (fails); then 55 fails, 32 meets, 40 and 45 undecided */
	const double v[] = { 10, 100, 55, 32, 40, 45 };
	const int o[] = { PLAN_MEETS, PLAN_FAILS,     PLAN_FAILS,
		          PLAN_MEETS, PLAN_UNDECIDED, PLAN_UNDECIDED };
	struct plan_probe pr[6];
	struct plan_combo c = combo(1, v, o, 6, pr);
	struct plan_bracket b;

	plan_bracket(&c, &b);
	CHECK_EQ(b.meets, 3);
	CHECK_EQ(b.fails, 2);
	CHECK_EQ(b.first_u, 4);
	CHECK_EQ(b.last_u, 5);
	CHECK_EQ(b.nr_u, 2);
	CHECK(plan_in_bracket(&c, &b, 4) && !plan_in_bracket(&c, &b, 2));
}

static void bracket_above(void)
{
	/* the target holds at high values: 100 meets, 10 fails, 60 meets, 30 undecided */
	const double v[] = { 10, 100, 60, 30 };
	const int o[] = { PLAN_FAILS, PLAN_MEETS, PLAN_MEETS, PLAN_UNDECIDED };
	struct plan_probe pr[4];
	struct plan_combo c = combo(-1, v, o, 4, pr);
	struct plan_bracket b;

	plan_bracket(&c, &b);
	CHECK_EQ(b.meets, 2); /* the smallest value meeting */
	CHECK_EQ(b.fails, 0);
	CHECK_EQ(b.first_u, 3);
	CHECK_EQ(b.nr_u, 1);
}

static void bracket_ignores_contradictions(void)
{
	/* 50 failed, then 70 met: the bracket starts at 70; 60, below it, is out of it */
	const double v[] = { 10, 100, 50, 70, 60 };
	const int o[] = { PLAN_MEETS, PLAN_FAILS, PLAN_FAILS, PLAN_MEETS, PLAN_UNDECIDED };
	struct plan_probe pr[5];
	struct plan_combo c = combo(1, v, o, 5, pr);
	struct plan_bracket b;

	plan_bracket(&c, &b);
	CHECK_EQ(b.meets, 3);
	CHECK_EQ(b.fails, 1);
	CHECK_EQ(b.nr_u, 0);
	CHECK_EQ(b.first_u, -1);
}

int main(void)
{
	TEST(parse_target_and_range);
	TEST(bracket_below);
	TEST(bracket_above);
	TEST(bracket_ignores_contradictions);
	return harness_failures ? 1 : 0;
}
