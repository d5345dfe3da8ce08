/*
 * test_later.c - the fault-path changes after 2.6.37, each against the
 * profile before it, with exact times (script.h costs: wake-up W 7 us,
 * cpu_before B 1, cpu_miss M 20, cpu_after A 2, disk S 1 ms):
 *   5.1 filemap_drop_for_io (docs/kernel-model.md#filemap-drop-for-io): the
 *       first pass holds mmap_sem for B only; the readahead submission (M)
 *       is done without it;
 *   5.7 retry_multi (docs/kernel-model.md#fault-retry): one count per fault,
 *       major if it was retried;
 *   4.20 munmap_downgrade (docs/kernel-model.md#mmap-munmap): the zap runs
 *       under the read lock;
 *   6.4-6.8 per-VMA locks (docs/kernel-model.md#per-vma-locks): a fault under
 *       its VMA's lock does not wait for a writer that changes another VMA;
 *       a writer changing the VMA waits for the faults under its lock and
 *       keeps new ones out.
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
static double swapped;

/* One mapping: a 4 MB file never read, or 1 MB of anonymous memory (@swapped of it). */
static void world_file(void)
{
	maps[0] = (struct mapping_config){
		.name = "data", .kind = MAPPING_FILE, .size_mb = 4, .advice = advice
	};
	script_world(profile, maps, 1, NULL);
}

static void world_anon(gsl_rng *rng)
{
	maps[0] = (struct mapping_config){
		.name = "heap", .kind = MAPPING_ANON, .size_mb = 1, .swapped_fraction = swapped
	};
	script_world(profile, maps, 1, rng);
}

/* A fault on page 0 of the mapping (sequential pattern: the cursor starts there). */
static struct script_actor *fault_at(sim_ns at, bool write)
{
	struct script_actor *a = script_actor(at, "fault");

	a->op.mapping = 0;
	a->op.pattern = PATTERN_SEQUENTIAL;
	a->op.access = write ? ACCESS_WRITE : ACCESS_READ;
	return a;
}

static struct script_actor *writer_at(sim_ns at, const char *op, int mapping, sim_ns hold_us)
{
	struct script_actor *a = script_actor(at, op);

	a->op.mapping = mapping;
	a->op.hold_us = dist_const((double)hold_us, NS_PER_US);
	return a;
}

/* ---- 5.1: filemap_fault drops mmap_sem before the readahead I/O --------------- */

/* A miss at 0 (read-around), an mmap() at 5 us. */
static void drop_setup(struct engine *e)
{
	world_file();
	fault_at(0, false);
	writer_at(5 * US, "mmap", -1, 100);
	script_spawn(e);
}

static void drop_verify_2637(void)
{
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B + M);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, B + M - 5 * US);
	CHECK_EQ(script_actors[0].end, B + M + S + W + B + A);
}

static void drop_verify_51(void)
{
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, 0);
	/* the mmap (5 to 105 us) is long gone when the retry pass comes */
	CHECK_EQ(script_actors[0].end, B + M + S + W + B + A);
	CHECK_EQ(script_rec->faults.all.retries, 1);
}

static void drop_verify_51_random(void)
{
	/* page_not_uptodate drops it before ->readpage too (test_filemap.c) */
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, 0);
}

static void drop_for_io_holds_only_the_lookup(void)
{
	advice = ADVICE_NORMAL;
	profile = "2.6.37";
	sim_check(drop_setup, drop_verify_2637, END);
	profile = "5.1";
	sim_check(drop_setup, drop_verify_51, END);
	/* MADV_RANDOM: no readahead, one page read, also without the lock */
	advice = ADVICE_RANDOM;
	sim_check(drop_setup, drop_verify_51_random, END);
}

/* ---- 5.7: a fault that waited counts as major ---------------------------------- */

/* X misses at 0; Y faults at 30 us on the page X's read has locked (a hit, then a wait). */
static void multi_setup(struct engine *e)
{
	advice = ADVICE_NORMAL;
	world_file();
	fault_at(0, false);
	fault_at(30 * US, false);
	script_spawn(e);
}

static void multi_verify_53(void)
{
	CHECK_EQ(script_rec->faults.all.major, 1); /* Y's first pass was not major */
	CHECK_EQ(script_rec->faults.all.minor, 1);
	CHECK_EQ(script_rec->faults.all.retries, 2);
}

static void multi_verify_57(void)
{
	CHECK_EQ(script_rec->faults.all.major, 2); /* retried: major (mm_account_fault) */
	CHECK_EQ(script_rec->faults.all.minor, 0);
	CHECK_EQ(script_rec->faults.all.retries, 2);
}

static void retry_multi_counts_retried_faults_major(void)
{
	profile = "5.3";
	sim_check(multi_setup, multi_verify_53, END);
	profile = "5.7";
	sim_check(multi_setup, multi_verify_57, END);
}

/* ---- 4.20: munmap zaps under the downgraded read lock ----------------------- */

/* munmap at 0: 10 us detaching, 100 us zapping; a /proc reader (10 us) at 20 us. */
static void munmap_setup(struct engine *e)
{
	struct script_actor *u;

	swapped = 0;
	world_anon(NULL);
	u = writer_at(0, "munmap", -1, 10);
	u->op.zap_us = dist_const(100, NS_PER_US);
	script_actor(20 * US, "proc_read");
	script_spawn(e);
}

static void munmap_verify_316(void)
{
	CHECK_EQ(script_actors[0].end, 110 * US);
	CHECK_EQ(script_actors[1].end, 110 * US + W + 10 * US);
	CHECK_EQ(script_rec->locks.all.hold[LOCK_WRITE].max_ns, 110 * US);
}

static void munmap_verify_420(void)
{
	CHECK_EQ(script_actors[0].end, 110 * US);
	CHECK_EQ(script_actors[1].end, 30 * US); /* shares the read lock with the zap */
	CHECK_EQ(script_rec->locks.all.hold[LOCK_WRITE].max_ns, 10 * US);
	CHECK_EQ(script_rec->locks.all.hold[LOCK_READ].max_ns, 100 * US);
}

static void munmap_downgrade_zaps_under_read(void)
{
	profile = "3.16";
	sim_check(munmap_setup, munmap_verify_316, END);
	profile = "4.20";
	sim_check(munmap_setup, munmap_verify_420, END);
}

/* ---- 6.4+: per-VMA locks -------------------------------------------------------- */

static int writer_mapping;

/* mmap() at 0 for 100 us (of another VMA, or of the heap); a write fault at 10 us (B + M + A). */
static void vma_setup(struct engine *e)
{
	swapped = 0;
	world_anon(NULL);
	writer_at(0, "mmap", writer_mapping, 100);
	fault_at(10 * US, true);
	script_spawn(e);
}

static void vma_verify_waits(void)
{
	CHECK_EQ(script_actors[1].end, 100 * US + W + B + M + A);
	CHECK_EQ(script_site(SITE_FAULT)->wait[LOCK_READ].count, 1);
}

static void vma_verify_free(void)
{
	CHECK_EQ(script_actors[1].end, 10 * US + B + M + A);
	CHECK_EQ(script_site(SITE_FAULT)->wait[LOCK_READ].count, 0); /* no mmap_sem at all */
	CHECK_EQ(script_rec->faults.all.vma_lock[VMA_LOCK_SUCCESS], 1);
}

static void vma_verify_abort(void)
{
	vma_verify_waits();
	CHECK_EQ(script_rec->faults.all.vma_lock[VMA_LOCK_ABORT], 1);
}

static void vma_lock_fault_passes_a_writer_of_another_vma(void)
{
	writer_mapping = -1;
	profile = "5.11";
	sim_check(vma_setup, vma_verify_waits, END);
	profile = "6.4";
	sim_check(vma_setup, vma_verify_free, END);
	writer_mapping = 0; /* the mmap changes the heap's VMA: the fault falls back */
	sim_check(vma_setup, vma_verify_abort, END);
}

/* A fault under the heap's lock from 10 us; munmap of the heap at 15 us waits for it. */
static void vma_drain_setup(struct engine *e)
{
	swapped = 0;
	world_anon(NULL);
	fault_at(10 * US, true);
	writer_at(15 * US, "munmap", 0, 10);
	script_spawn(e);
}

static void vma_drain_verify(void)
{
	sim_ns fault_end = 10 * US + B + M + A;

	CHECK_EQ(script_actors[0].end, fault_end);
	CHECK_EQ(script_actors[1].end, fault_end + W + 10 * US);
	CHECK_EQ(script_rec->locks.all.hold[LOCK_WRITE].max_ns, fault_end + W + 10 * US - 15 * US);
}

static void vma_writer_waits_for_faults_under_the_vma_lock(void)
{
	profile = "6.4";
	sim_check(vma_drain_setup, vma_drain_verify, END);
}

/* A swap-in at 0: 6.4 takes mmap_sem (abort); 6.6 waits under the VMA lock, then falls back. */
static void swap_setup(struct engine *e)
{
	static gsl_rng *rng;

	if (!rng)
		rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 1);
	swapped = 1;
	world_anon(rng);
	fault_at(0, false);
	script_spawn(e);
}

static void swap_verify_64(void)
{
	CHECK_EQ(script_rec->faults.all.vma_lock[VMA_LOCK_ABORT], 1);
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B + M); /* to the wait */
	CHECK_EQ(script_actors[0].end, B + M + S + W + B + A);
	CHECK_EQ(script_rec->faults.all.major, 1);
}

static void swap_verify_66(void)
{
	CHECK_EQ(script_rec->faults.all.vma_lock[VMA_LOCK_RETRY], 1);
	CHECK_EQ(script_site(SITE_FAULT)->wait[LOCK_READ].count, 1); /* the fallback only */
	CHECK_EQ(script_site(SITE_FAULT)->hold[LOCK_READ].max_ns, B + A);
	CHECK_EQ(script_actors[0].end, B + M + S + W + B + A);
	CHECK_EQ(script_rec->faults.all.major, 1);
}

static void vma_lock_swapin_from_66(void)
{
	profile = "6.4";
	sim_check(swap_setup, swap_verify_64, END);
	profile = "6.6";
	sim_check(swap_setup, swap_verify_66, END);
}

int main(void)
{
	TEST(drop_for_io_holds_only_the_lookup);
	TEST(retry_multi_counts_retried_faults_major);
	TEST(munmap_downgrade_zaps_under_read);
	TEST(vma_lock_fault_passes_a_writer_of_another_vma);
	TEST(vma_writer_waits_for_faults_under_the_vma_lock);
	TEST(vma_lock_swapin_from_66);
	return harness_failures != 0;
}
