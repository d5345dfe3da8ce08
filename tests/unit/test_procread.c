/*
 * test_procread.c - the /proc readers of spec 6.2 (proc_read kinds), with
 * exact times on a small machine built as the runner builds it (kernel_init,
 * mm_init) and constant costs:
 *   cmdline: access_process_vm holds mmap_sem for read across the disk read of
 *   an uncached page of the argument area (get_user_pages faults without
 *   FAULT_FLAG_ALLOW_RETRY, even under 2.6.37): a writer queued behind it
 *   waits for the read, and a reader queued behind the writer waits too
 *   (the 2010 Google `ps` report);
 *   maps: one read hold per read() chunk, released between chunks: a writer
 *   queued during the first chunk gets in before the second.
 * The per-site records (mmap_sem.*.by_site) are checked on the way.
 */
#include <string.h>

#include "models/fault.h"
#include "tests/unit/harness.h"

#define W (7 * NS_PER_US)   /* machine.wakeup_us: page lock and mmap_sem wake-ups */
#define B (1 * NS_PER_US)   /* cpu_before_us */
#define M (20 * NS_PER_US)  /* cpu_miss_us */
#define A (2 * NS_PER_US)   /* cpu_after_us */
#define S (1 * NS_PER_MS)   /* disk service_ms */
#define H (10 * NS_PER_US)  /* proc_read hold_us */
#define HW (100 * NS_PER_US) /* mmap hold_us */
#define END (20 * NS_PER_MS)
#define ARGS 0 /* the mapping read by cmdline */
#define ARGPG 0

static struct kernel k;
static struct machine_config machine;
static struct disk_config dcfg;
static struct swap_config scfg;
static struct mapping_config maps[1];
static struct mm mm;
static struct mm *mm_ptr;
static struct recorder *rec;

/* 2.6.37 (fault retry on: cmdline holds the lock anyway); "args" cached or on disk. */
static void world(bool cached)
{
	const struct kernel_profile *kp = kernel_profile_find("2.6.37");

	CHECK(kp != NULL);
	machine = (struct machine_config){ .wakeup_us = dist_const(7, NS_PER_US),
					   .page_cache_mb = 4, .read_ahead_kb = 128 };
	dcfg = (struct disk_config){ .scheduler = DISK_FIFO, .service_ms = dist_const(1, NS_PER_MS),
				     .page_transfer_us = dist_const(0, NS_PER_US) };
	scfg = (struct swap_config){ .device = SWAP_ON_DISK, .page_cluster = 0, .size_mb = 1 };
	maps[ARGS] = (struct mapping_config){ .name = "args", .file = "bin", .kind = MAPPING_FILE,
					      .size_mb = 0.0625, .cached_fraction = cached ? 1 : 0,
					      .advice = ADVICE_RANDOM };
	CHECK_EQ(kernel_init(&k, kp ? &kp->features : &kernel_profiles[0].features, &machine,
			     &dcfg, &scfg, NULL, 0), 0);
	CHECK_EQ(mm_init(&mm, &k, 0, maps, 1, NULL), 0);
	mm_ptr = &mm;
	k.mms = &mm_ptr;
	k.nr_mms = 1;
}

/* A scripted thread: at @at, runs op @name with @op; @end: when it returned. */
struct actor {
	sim_ns at;
	const char *name;
	struct op_config op;
	sim_ns end;
	struct thread th;
};

static struct actor actors[4];
static unsigned nr_actors;

static struct op_config op_base(void)
{
	return (struct op_config){ .cpu_before_us = dist_const(1, NS_PER_US),
				   .cpu_miss_us = dist_const(20, NS_PER_US),
				   .cpu_after_us = dist_const(2, NS_PER_US),
				   .cpu_copy_us = dist_const(3, NS_PER_US),
				   .hold_us = dist_const(10, NS_PER_US), .mapping = -1,
				   .pages = 1, .chunks = 1, .proc_kind = PROC_READ_HOLD };
}

static struct actor *actor(sim_ns at, const char *name)
{
	struct actor *a = &actors[nr_actors++];

	memset(a, 0, sizeof(*a));
	a->at = at;
	a->name = name;
	a->op = op_base();
	a->end = -1;
	return a;
}

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void actor_main(struct task *t)
{
	struct actor *a = task_data(t);
	int index;
	const struct thread_op *o = thread_op_find(a->name, &index);

	a->th = (struct thread){ .task = t, .k = &k, .mm = &mm };
	rec = ((struct record_ctx *)task_owner(t))->rec;
	CHECK(o != NULL);
	task_sleep(t, a->at);
	if (o) {
		a->op.op = index;
		o->run(&a->th, &a->op);
	}
	a->end = task_now(t);
	park(t);
}

static void spawn_all(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &k.disk);
	for (unsigned i = 0; i < nr_actors; i++)
		sim_spawn(e, "thread", actor_main, &actors[i]);
}

static const struct lock_site_stats *site(int s)
{
	return &rec->all_locks.sites[s];
}

/* ---- cmdline: the read lock across the disk read */

/*
 * The reader takes mmap_sem at 10, holds H, faults ARGPG: B, a miss (M), the
 * read submitted at SUB, done at SUB + S; it wakes W later with the page
 * lock, A, and releases at T_R. The mmap() at 100 us queues; the plain
 * proc_read at 200 us queues behind the writer.
 */
#define SUB (10 + H + B + M)
#define T_R (SUB + S + W + A)
#define T_W (100 * NS_PER_US)
#define T_2 (200 * NS_PER_US)

static void cmdline_setup(struct engine *e)
{
	struct actor *r;

	world(false);
	nr_actors = 0;
	r = actor(10, "proc_read");
	r->op.proc_kind = PROC_READ_CMDLINE;
	r->op.mapping = ARGS;
	actor(T_W, "mmap")->op.hold_us = dist_const(100, NS_PER_US);
	actor(T_2, "proc_read");
	spawn_all(e);
}

static void cmdline_verify(void)
{
	CHECK_EQ(actors[0].end, T_R);
	CHECK_EQ(actors[1].end, T_R + W + HW);          /* handed over by the reader's up_read */
	CHECK_EQ(actors[2].end, T_R + W + HW + W + H);  /* behind the writer */
	CHECK_EQ(rec->all_locks.hold[LOCK_READ].max_ns, T_R - 10);
	CHECK_EQ(rec->all_locks.wait[LOCK_WRITE].max_ns, T_R - T_W);
	CHECK_EQ(rec->all_locks.wait[LOCK_READ].max_ns, T_R + W + HW - T_2);
	/* by site: all of it is proc_read and mmap; get_user_pages is no do_page_fault */
	CHECK_EQ(site(SITE_PROC_READ)->wait[LOCK_READ].count, 2);
	CHECK_EQ(site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, T_R - 10);
	CHECK_EQ(site(SITE_MMAP)->wait[LOCK_WRITE].count, 1);
	CHECK_EQ(site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, T_R - T_W);
	CHECK_EQ(site(SITE_FAULT)->wait[LOCK_READ].count, 0);
	CHECK_EQ(site(SITE_FAULT_RETRY)->wait[LOCK_READ].count, 0);
	CHECK_EQ(rec->faults.major + rec->faults.minor, 0);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK(page_cached(&k.pc, mm.vmas[ARGS].inode, ARGPG));
}

static void cmdline_holds_mmap_sem_across_the_disk_read(void)
{
	sim_check(cmdline_setup, cmdline_verify, END);
}

/* The same read of 4 cached pages: no fault, no disk; the hold is H. */
static void cmdline_cached_setup(struct engine *e)
{
	struct actor *r;

	world(true);
	nr_actors = 0;
	r = actor(10, "proc_read");
	r->op.proc_kind = PROC_READ_CMDLINE;
	r->op.mapping = ARGS;
	r->op.pages = 4;
	spawn_all(e);
}

static void cmdline_cached_verify(void)
{
	CHECK_EQ(actors[0].end, 10 + H);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 0);
	CHECK_EQ(site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, H);
}

static void cmdline_of_cached_pages_reads_no_disk(void)
{
	sim_check(cmdline_cached_setup, cmdline_cached_verify, END);
}

/* ---- maps: released between chunks */

/*
 * 3 chunks of H from 10; the mmap() at 10 + H/2 queues during the first,
 * gets the lock at its end (10 + H), runs W later for HW; the second chunk's
 * down_read queues behind it and runs W after its release.
 */
#define T_MW (10 + H / 2)
#define T_M1 (10 + H)              /* the first chunk's up_read */
#define T_MWEND (T_M1 + W + HW)   /* the writer's up_write */

static void maps_setup(struct engine *e)
{
	struct actor *r;

	world(false);
	nr_actors = 0;
	r = actor(10, "proc_read");
	r->op.proc_kind = PROC_READ_MAPS;
	r->op.chunks = 3;
	actor(T_MW, "mmap")->op.hold_us = dist_const(100, NS_PER_US);
	spawn_all(e);
}

static void maps_verify(void)
{
	CHECK_EQ(actors[1].end, T_MWEND);
	CHECK_EQ(actors[0].end, T_MWEND + W + H + H);
	CHECK_EQ(site(SITE_PROC_READ)->wait[LOCK_READ].count, 3);
	CHECK_EQ(site(SITE_PROC_READ)->hold[LOCK_READ].count, 3);
	/* a hold counts from the hand-off: the second chunk's includes its wake-up */
	CHECK_EQ(site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, W + H);
	CHECK_EQ(site(SITE_PROC_READ)->hold[LOCK_READ].sum_ns, H + (W + H) + H);
	CHECK_EQ(site(SITE_PROC_READ)->wait[LOCK_READ].max_ns, T_MWEND - T_M1);
	CHECK_EQ(site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, T_M1 - T_MW);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 0);
}

static void maps_releases_between_chunks(void)
{
	sim_check(maps_setup, maps_verify, END);
}

/* ---- hold (the default): one hold of H; a writer waits for H only */

static void hold_setup(struct engine *e)
{
	world(false);
	nr_actors = 0;
	actor(10, "proc_read");
	actor(T_MW, "mmap")->op.hold_us = dist_const(100, NS_PER_US);
	spawn_all(e);
}

static void hold_verify(void)
{
	CHECK_EQ(actors[0].end, 10 + H);
	CHECK_EQ(actors[1].end, T_MWEND);
	CHECK_EQ(site(SITE_PROC_READ)->wait[LOCK_READ].count, 1);
	CHECK_EQ(site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, H);
}

static void hold_is_one_read_hold(void)
{
	sim_check(hold_setup, hold_verify, END);
}

int main(void)
{
	TEST(cmdline_holds_mmap_sem_across_the_disk_read);
	TEST(cmdline_of_cached_pages_reads_no_disk);
	TEST(maps_releases_between_chunks);
	TEST(hold_is_one_read_hold);
	return harness_failures != 0;
}
