/*
 * test_reps.c - replications: base seeds (deterministic, distinct per point
 * and replication, exact in JSON), the Student t interval against its
 * textbook value, the mean and interval of every leaf of nested metrics
 * (lo = hi when all agree), and until's stopping rules (narrow, off target).
 */
#include <math.h>
#include <string.h>

#include "sim/reps.h"
#include "tests/unit/harness.h"

static void seeds_are_a_function_of_point_and_replication(void)
{
	unsigned long a = reps_seed(1, "0123456789ab", 0);

	CHECK(a == reps_seed(1, "0123456789ab", 0));
	CHECK(a != reps_seed(1, "0123456789ab", 1));
	CHECK(a != reps_seed(1, "0123456789ac", 0));
	CHECK(a != reps_seed(2, "0123456789ab", 0));
	for (unsigned r = 0; r < 1000; r++)
		CHECK(reps_seed(7, "ffffffffffff", r) < (1UL << 53));
}

/* 5 values of mean 10 and sd 1.58114: t(0.975, 4) = 2.776445, half = 1.963243. */
static void half_width_is_student_t(void)
{
	const double x[] = { 8, 9, 10, 11, 12 };

	CHECK(fabs(reps_half_width(x, 5, 0.95) - 2.776445 * sqrt(2.5) / sqrt(5)) < 1e-5);
	CHECK(reps_half_width(x, 5, 0.99) > reps_half_width(x, 5, 0.95));
	CHECK(reps_half_width(x, 1, 0.95) == 0);
}

/* ci.a.<leaf>.<end> */
static double ci_of(json_t *ci, const char *leaf, const char *end)
{
	return json_real_value(
	        json_object_get(json_object_get(json_object_get(ci, "a"), leaf), end));
}

static void aggregate_every_leaf(void)
{
	json_t *m[3], *ci, *mean;

	m[0] = json_pack("{s{si sf} ss}", "a", "n", 1, "x", 2.0, "kind", "k");
	m[1] = json_pack("{s{si sf} ss}", "a", "n", 2, "x", 2.0, "kind", "k");
	m[2] = json_pack("{s{si sf} ss}", "a", "n", 6, "x", 2.0, "kind", "k");
	mean = reps_aggregate(m, 3, 0.95, &ci);
	CHECK(json_real_value(json_object_get(json_object_get(mean, "a"), "n")) == 3.0);
	CHECK(json_real_value(json_object_get(json_object_get(mean, "a"), "x")) == 2.0);
	CHECK(strcmp(json_string_value(json_object_get(mean, "kind")), "k") == 0);
	/* agreeing replications: lo = hi = the value */
	CHECK(ci_of(ci, "x", "lo") == 2.0 && ci_of(ci, "x", "hi") == 2.0);
	/* n: 1, 2, 6: mean 3, sd sqrt(7), t(0.975, 2) = 4.302653 */
	CHECK(fabs(ci_of(ci, "n", "hi") - (3 + 4.302653 * sqrt(7.0) / sqrt(3))) < 1e-4);
	CHECK(fabs(ci_of(ci, "n", "lo") - (3 - 4.302653 * sqrt(7.0) / sqrt(3))) < 1e-4);
	CHECK(json_object_get(ci, "kind") == NULL);
	for (int i = 0; i < 3; i++)
		json_decref(m[i]);
	json_decref(mean);
	json_decref(ci);
}

static void until_stops_when_narrow(void)
{
	char metric[] = "m";
	struct scenario s = { .confidence = 0.95,
		              .until = { .metric = metric, .relative_half_width = 0.05 } };
	const double wide[] = { 90, 110 }, narrow[] = { 99, 101, 100 };

	CHECK(!reps_enough(&s, wide, 2));
	CHECK(reps_enough(&s, narrow, 3));
	s.replications = 1;
	CHECK_EQ(reps_first(&s), 2);
	s.until.max_replications = 9;
	CHECK_EQ(reps_max(&s), 9);
}

/* target 100: stop once the interval is above or below it, or all agree. */
static void until_stops_off_target(void)
{
	char metric[] = "m";
	struct scenario s = { .confidence = 0.95,
		              .until = { .metric = metric, .has_target = true, .target = 100 } };
	const double across[] = { 95, 104 }, below[] = { 90, 91, 92 }, above[] = { 104, 105, 106 };
	const double same[] = { 100, 100 };

	CHECK(!reps_enough(&s, across, 2));
	CHECK(reps_enough(&s, below, 3));
	CHECK(reps_enough(&s, above, 3));
	CHECK(reps_enough(&s, same, 2));
	/* either rule stops: a narrow interval across the target */
	s.until.relative_half_width = 0.5;
	CHECK(reps_enough(&s, across, 2) == (reps_half_width(across, 2, 0.95) <= 0.5 * 99.5));
}

int main(void)
{
	TEST(seeds_are_a_function_of_point_and_replication);
	TEST(half_width_is_student_t);
	TEST(aggregate_every_leaf);
	TEST(until_stops_when_narrow);
	TEST(until_stops_off_target);
	return harness_failures ? 1 : 0;
}
