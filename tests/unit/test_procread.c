/*
 * test_procread.c - the /proc readers of docs/kernel-model.md#proc-readers (proc_read kinds), with
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
#include "tests/unit/script.h"

#define W SCRIPT_W
#define B SCRIPT_B
#define M SCRIPT_M
#define A SCRIPT_A
#define S SCRIPT_S
#define H (10 * NS_PER_US)   /* proc_read hold_us */
#define HW (100 * NS_PER_US) /* mmap hold_us */
#define END (20 * NS_PER_MS)
#define ARGS 0 /* the mapping read by cmdline */
#define ARGPG 0

static struct mapping_config maps[1];

static const char *profile = "2.6.37";

/* 2.6.37 (fault retry on: cmdline holds the lock anyway); "args" cached or on disk. */
static void world(bool cached)
{
	maps[ARGS] = (struct mapping_config){ .name = "args",
		                              .file = "bin",
		                              .kind = MAPPING_FILE,
		                              .size_mb = 0.0625,
		                              .cached_fraction = cached ? 1 : 0,
		                              .advice = ADVICE_RANDOM };
	script_world(profile, maps, 1, NULL);
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
	struct script_actor *r;

	world(false);
	r = script_actor(10, "proc_read");
	r->op.proc_kind = PROC_READ_CMDLINE;
	r->op.mapping = ARGS;
	script_actor(T_W, "mmap")->op.hold_us = dist_const(100, NS_PER_US);
	script_actor(T_2, "proc_read");
	script_spawn(e);
}

static void cmdline_verify(void)
{
	CHECK_EQ(script_actors[0].end, T_R);
	CHECK_EQ(script_actors[1].end, T_R + W + HW); /* handed over by the reader's up_read */
	CHECK_EQ(script_actors[2].end, T_R + W + HW + W + H); /* behind the writer */
	CHECK_EQ(script_rec->locks.all.hold[LOCK_READ].max_ns, T_R - 10);
	CHECK_EQ(script_rec->locks.all.wait[LOCK_WRITE].max_ns, T_R - T_W);
	CHECK_EQ(script_rec->locks.all.wait[LOCK_READ].max_ns, T_R + W + HW - T_2);
	/* by site: all of it is proc_read and mmap; get_user_pages is no do_page_fault */
	CHECK_EQ(script_site(SITE_PROC_READ)->wait[LOCK_READ].count, 2);
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, T_R - 10);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].count, 1);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, T_R - T_W);
	CHECK_EQ(script_site(SITE_FAULT)->wait[LOCK_READ].count, 0);
	CHECK_EQ(script_site(SITE_FAULT_RETRY)->wait[LOCK_READ].count, 0);
	CHECK_EQ(script_rec->faults.all.major + script_rec->faults.all.minor, 0);
	CHECK_EQ(script_rec->devices[DISK_DEVICE_MAIN].requests, 1);
	CHECK(page_cached(&script_k.pc, script_mm.vmas[ARGS].inode, ARGPG));
}

static void cmdline_holds_mmap_sem_across_the_disk_read(void)
{
	sim_check(cmdline_setup, cmdline_verify, END);
}

/*
 * The same read of 4 cached pages the process has not mapped yet: 4 minor
 * faults (get_user_pages faults whenever follow_page fails), no disk; a
 * second read at T_2 finds them mapped: no fault, a hold of H.
 */
static void cmdline_cached_setup(struct engine *e)
{
	world(true);
	for (int i = 0; i < 2; i++) {
		struct script_actor *r = script_actor(i ? T_2 : 10, "proc_read");

		r->op.proc_kind = PROC_READ_CMDLINE;
		r->op.mapping = ARGS;
		r->op.pages = 4;
	}
	script_spawn(e);
}

static void cmdline_cached_verify(void)
{
	CHECK_EQ(script_actors[0].end, 10 + H + 4 * (B + A));
	CHECK_EQ(script_actors[1].end, T_2 + H);
	CHECK_EQ(script_rec->devices[DISK_DEVICE_MAIN].requests, 0);
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, H + 4 * (B + A));
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].min_ns, H);
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
#define T_M1 (10 + H)           /* the first chunk's up_read */
#define T_MWEND (T_M1 + W + HW) /* the writer's up_write */

static void maps_setup(struct engine *e)
{
	struct script_actor *r;

	world(false);
	r = script_actor(10, "proc_read");
	r->op.proc_kind = PROC_READ_MAPS;
	r->op.chunks = 3;
	script_actor(T_MW, "mmap")->op.hold_us = dist_const(100, NS_PER_US);
	script_spawn(e);
}

static void maps_verify(void)
{
	CHECK_EQ(script_actors[1].end, T_MWEND);
	CHECK_EQ(script_actors[0].end, T_MWEND + W + H + H);
	CHECK_EQ(script_site(SITE_PROC_READ)->wait[LOCK_READ].count, 3);
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].count, 3);
	/* a hold counts from the hand-off: the second chunk's includes its wake-up */
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, W + H);
	CHECK_EQ(summary_sum(&script_site(SITE_PROC_READ)->hold[LOCK_READ]), H + (W + H) + H);
	CHECK_EQ(script_site(SITE_PROC_READ)->wait[LOCK_READ].max_ns, T_MWEND - T_M1);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, T_M1 - T_MW);
	CHECK_EQ(script_rec->devices[DISK_DEVICE_MAIN].requests, 0);
}

static void maps_releases_between_chunks(void)
{
	sim_check(maps_setup, maps_verify, END);
}

/* ---- maps from 6.17: under the VMA's own lock, not mmap_sem */

/*
 * 6.18, the same 3 chunks and an mmap() at 10 + H/2 of a VMA of its own
 * (@maps_writer_vma -1), or of the reader's VMA (ARGS).
 */
static int maps_writer_vma;

static void maps_vma_setup(struct engine *e)
{
	struct script_actor *r, *w;

	profile = "6.18";
	world(false);
	profile = "2.6.37";
	r = script_actor(10, "proc_read");
	r->op.proc_kind = PROC_READ_MAPS;
	r->op.chunks = 3;
	w = script_actor(T_MW, "mmap");
	w->op.hold_us = dist_const(100, NS_PER_US);
	w->op.mapping = maps_writer_vma;
	script_spawn(e);
}

/* Its own VMA: the reader never takes mmap_sem, the writer never waits. */
static void maps_vma_verify(void)
{
	CHECK_EQ(script_actors[0].end, 10 + 3 * H);
	CHECK_EQ(script_actors[1].end, T_MW + HW);
	CHECK_EQ(script_site(SITE_PROC_READ)->wait[LOCK_READ].count, 0);
	CHECK_EQ(script_site(SITE_MMAP)->wait[LOCK_WRITE].max_ns, 0);
}

static void maps_reads_under_vma_locks_from_6_17(void)
{
	maps_writer_vma = -1;
	sim_check(maps_vma_setup, maps_vma_verify, END);
}

/*
 * The reader's VMA ("args", the only one): the mmap() waits for the first
 * chunk's VMA read lock (10 + H) and keeps the VMA write-locked until its
 * up_write; the second chunk finds it so, takes mmap_sem read behind the
 * writer (one wait at the proc_read site), gets the VMA lock and drops
 * mmap_sem at once.
 */
static void maps_vma_writer_verify(void)
{
	/* the writer: woken W after the first chunk's vma_end_read, then HW */
	CHECK_EQ(script_actors[1].end, 10 + H + W + HW);
	/* the reader: handed mmap_sem W after the up_write, then two chunks */
	CHECK_EQ(script_actors[0].end, 10 + H + W + HW + W + 2 * H);
	CHECK_EQ(script_site(SITE_PROC_READ)->wait[LOCK_READ].count, 1);
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].count, 1);
}

static void maps_waits_for_a_writer_of_its_vma_from_6_17(void)
{
	maps_writer_vma = ARGS;
	sim_check(maps_vma_setup, maps_vma_writer_verify, END);
}

/* ---- hold (the default): one hold of H; a writer waits for H only */

static void hold_setup(struct engine *e)
{
	world(false);
	script_actor(10, "proc_read");
	script_actor(T_MW, "mmap")->op.hold_us = dist_const(100, NS_PER_US);
	script_spawn(e);
}

static void hold_verify(void)
{
	CHECK_EQ(script_actors[0].end, 10 + H);
	CHECK_EQ(script_actors[1].end, T_MWEND);
	CHECK_EQ(script_site(SITE_PROC_READ)->wait[LOCK_READ].count, 1);
	CHECK_EQ(script_site(SITE_PROC_READ)->hold[LOCK_READ].max_ns, H);
}

static void hold_is_one_read_hold(void)
{
	sim_check(hold_setup, hold_verify, END);
}

/* ---- a reader of another process (a monitoring agent) */

/*
 * Two processes, P (script_mm, id 0) and Q (id 1), each mapping "args".
 * In P, a proc_read of Q at 10 and a writer of P's mmap_sem at T_MW (its
 * own lock, held HW); in Q, a writer at 5 holding HW. The reader waits for
 * Q's writer (5 + HW, then the wake-up W), not for P's, which it does not
 * touch; its wait is recorded on Q's mmap_sem, P's writer never waits.
 */
static struct mm other;
static struct mm *two[2];

static void other_setup(struct engine *e)
{
	struct script_actor *r, *pw, *qw;

	world(false);
	CHECK_EQ(mm_init(&other, &script_k, 1, maps, 1, NULL), 0);
	two[0] = &script_mm;
	two[1] = &other;
	script_k.mms = two;
	script_k.nr_mms = 2;
	qw = script_actor(5, "mmap");
	qw->op.hold_us = dist_const(100, NS_PER_US);
	qw->mm = &other;
	r = script_actor(10, "proc_read");
	r->op.process = 1;
	pw = script_actor(T_MW, "mmap");
	pw->op.hold_us = dist_const(100, NS_PER_US);
	script_spawn(e);
}

static void other_verify(void)
{
	const struct lock_stats *p = &script_rec->locks.mm[0], *q = &script_rec->locks.mm[1];

	CHECK_EQ(script_actors[0].end, 5 + HW);
	CHECK_EQ(script_actors[1].end, 5 + HW + W + H); /* behind Q's writer */
	CHECK_EQ(script_actors[2].end, T_MW + HW);      /* P's writer: P's lock is free */
	CHECK_EQ(q->sites[SITE_PROC_READ].wait[LOCK_READ].count, 1);
	/* granted at the hand-off: the wake-up counts in the hold */
	CHECK_EQ(q->sites[SITE_PROC_READ].wait[LOCK_READ].max_ns, 5 + HW - 10);
	CHECK_EQ(p->sites[SITE_PROC_READ].wait[LOCK_READ].count, 0);
	CHECK_EQ(p->sites[SITE_MMAP].wait[LOCK_WRITE].max_ns, 0);
	CHECK(script_actors[1].th.mm == &script_mm); /* its own mm again after the op */
	mm_release(&other);
}

static void reader_of_another_process_waits_on_its_lock(void)
{
	sim_check(other_setup, other_verify, END);
}

int main(void)
{
	TEST(cmdline_holds_mmap_sem_across_the_disk_read);
	TEST(cmdline_of_cached_pages_reads_no_disk);
	TEST(maps_releases_between_chunks);
	TEST(hold_is_one_read_hold);
	TEST(maps_reads_under_vma_locks_from_6_17);
	TEST(maps_waits_for_a_writer_of_its_vma_from_6_17);
	TEST(reader_of_another_process_waits_on_its_lock);
	return harness_failures != 0;
}
