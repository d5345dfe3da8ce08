/*
 * test_filemap.c - filemap_fault's rules, each against the profile before
 * the change (script.h costs: wake-up W 7 us, cpu_before B 1, cpu_miss M 20,
 * cpu_after A 2, disk S 1 ms):
 *   5.1 filemap_drop_for_io (docs/kernel-model.md#filemap-drop-for-io): a
 *       single-page read (MADV_RANDOM, or read-around off after
 *       MMAP_LOTSAMISS misses) is submitted without mmap_sem too
 *       (page_not_uptodate -> maybe_unlock_mmap_for_io -> readpage).
 */
#include "tests/unit/script.h"

#define W SCRIPT_W
#define B SCRIPT_B
#define M SCRIPT_M
#define A SCRIPT_A
#define S SCRIPT_S
#define US NS_PER_US
#define END (20 * NS_PER_MS)

static struct mapping_config maps[1];
static const char *profile;
static int advice;
static unsigned start_miss; /* the VMA's mmap_miss before the fault */

/* One mapping: a 4 MB file never read. */
static void world_file(void)
{
	maps[0] = (struct mapping_config){
		.name = "data", .kind = MAPPING_FILE, .size_mb = 4, .advice = advice
	};
	script_world(profile, maps, 1, NULL);
	script_mm.vmas[0].mmap_miss = start_miss;
}

/* ---- 5.1: a single-page read drops mmap_sem too ------------------------------- */

/* A miss on page 0 at 0; an mmap() (hold 100 us) at 5 us. */
static void single_setup(struct engine *e)
{
	struct script_actor *a;

	world_file();
	a = script_actor(0, "fault");
	a->op.mapping = 0;
	a->op.pattern = PATTERN_SEQUENTIAL; /* page 0: the cursor starts there */
	a = script_actor(5 * US, "mmap");
	a->op.hold_us = dist_const(100, NS_PER_US);
	script_spawn(e);
}

/* One page read, whatever the profile. */
static void single_check_read(void)
{
	CHECK(page_cached(&script_k.pc, script_mm.vmas[0].inode, 0));
	CHECK(!page_cached(&script_k.pc, script_mm.vmas[0].inode, 1));
	CHECK_EQ(script_rec->faults.all.retries, 1);
	CHECK_EQ(script_rec->faults.all.major, 1);
}

/* 4.20: page_cache_read under mmap_sem; the mmap waits for B + M, then its wake-up. */
static void single_verify_420(void)
{
	single_check_read();
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B + M);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, B + M + W - 5 * US);
}

/* 5.1: mmap_sem dropped after the lookup (B); the miss CPU and the read run without it. */
static void single_verify_51(void)
{
	single_check_read();
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, 0);
	/* the mmap (5 to 105 us) is long gone when the retry pass comes */
	CHECK_EQ(script_actors[0].end, B + M + S + W + B + A);
}

static void single_page_read_drops_mmap_sem_from_5_1(void)
{
	start_miss = 0;
	advice = ADVICE_RANDOM; /* MADV_RANDOM: no readahead */
	profile = "4.20";
	sim_check(single_setup, single_verify_420, END);
	profile = "5.1";
	sim_check(single_setup, single_verify_51, END);
	/* normal advice, read-around off: this miss takes mmap_miss over MMAP_LOTSAMISS */
	advice = ADVICE_NORMAL;
	start_miss = MMAP_LOTSAMISS;
	profile = "4.20";
	sim_check(single_setup, single_verify_420, END);
	profile = "5.1";
	sim_check(single_setup, single_verify_51, END);
	start_miss = 0;
}

int main(void)
{
	TEST(single_page_read_drops_mmap_sem_from_5_1);
	return harness_failures != 0;
}
