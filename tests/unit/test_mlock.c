/*
 * test_mlock.c - mlock's populate strategies (docs/kernel-model.md#mlock, seed 004): who holds
 * mmap_sem in which mode while an mlock faults its range in, seen by a /proc
 * reader (read hold) and an mmap() (write hold) that arrive meanwhile; the
 * VMA recheck of 2.6.28's downgrade; read_retry dropping mmap_sem at a
 * page-lock wait (the disk read of a file page). One process, built as the
 * runner builds it; constant costs, so every instant is exact.
 */
#include <string.h>

#include "models/fault.h"
#include "tests/unit/harness.h"

#define W (5 * NS_PER_US)   /* machine.wakeup_us */
#define H0 (2 * NS_PER_US)  /* mlock hold_us: mlock_fixup under write */
#define B (1 * NS_PER_US)   /* cpu_before_us */
#define M (20 * NS_PER_US)  /* cpu_miss_us */
#define A (2 * NS_PER_US)   /* cpu_after_us */
#define P (1 * NS_PER_US)   /* cpu_per_page_us */
#define PG (B + M + A + P)  /* one anonymous page: zero-fill fault and marking */
#define S (1 * NS_PER_MS)   /* disk service_ms */
#define RH (10 * NS_PER_US) /* the reader's hold */
#define XH (30 * NS_PER_US) /* the writer's (mmap) hold */
#define T_R (50 * NS_PER_US)
#define T_X (100 * NS_PER_US)
#define NPG 20 /* pages mlocked (MLOCK_CHUNK is 16) */
#define END (20 * NS_PER_MS)

enum { FILEMAP, HEAP };

static struct kernel k;
static struct machine_config machine;
static struct disk_config dcfg;
static struct swap_config scfg;
static struct mapping_config maps[2];
static struct mm mm;
static struct mm *mm_ptr = &mm;
static struct op_config mlock_op, reader_op, writer_op;
static struct recorder *rec;

/* The file mapping of the next world(): cached share and MAP_PRIVATE (reset by world). */
static double file_cached;
static bool file_private;

static void world(const char *profile)
{
	const struct kernel_profile *kp = kernel_profile_find(profile);

	CHECK(kp != NULL);
	machine = (struct machine_config){ .wakeup_us = dist_const(5, NS_PER_US),
		                           .page_cache_mb = 4,
		                           .read_ahead_kb = 128 };
	dcfg = (struct disk_config){ .scheduler = DISK_FIFO,
		                     .max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB,
		                     .service_ms = dist_const(1, NS_PER_MS),
		                     .page_transfer_us = dist_const(0, NS_PER_US) };
	scfg = (struct swap_config){ .device = SWAP_ON_DISK, .page_cluster = 0, .size_mb = 1 };
	/* MADV_RANDOM: a miss reads its page alone */
	maps[FILEMAP] = (struct mapping_config){ .name = "data",
		                                 .file = "data",
		                                 .kind = MAPPING_FILE,
		                                 .size_mb = 0.0625,
		                                 .advice = ADVICE_RANDOM,
		                                 .cached_fraction = file_cached,
		                                 .private_map = file_private };
	file_cached = 0;
	file_private = false;
	maps[HEAP] =
	        (struct mapping_config){ .name = "heap", .kind = MAPPING_ANON, .size_mb = 0.125 };
	CHECK_EQ(kernel_init(&k, kp ? &kp->features : &kernel_profiles[0].features, &machine, &dcfg,
	                     &scfg, NULL, 0, NULL, 0),
	         0);
	CHECK_EQ(mm_init(&mm, &k, 0, maps, 2, NULL), 0);
	k.mms = &mm_ptr;
	k.nr_mms = 1;
	mlock_op = (struct op_config){ .mapping = HEAP,
		                       .pages = NPG,
		                       .hold_us = dist_const(2, NS_PER_US),
		                       .cpu_per_page_us = dist_const(1, NS_PER_US),
		                       .cpu_before_us = dist_const(1, NS_PER_US),
		                       .cpu_miss_us = dist_const(20, NS_PER_US),
		                       .cpu_after_us = dist_const(2, NS_PER_US),
		                       .cpu_copy_us = dist_const(3, NS_PER_US) };
	reader_op = (struct op_config){ .hold_us = dist_const(10, NS_PER_US), .mapping = -1 };
	writer_op = (struct op_config){ .hold_us = dist_const(30, NS_PER_US) };
}

/* ---- the tasks: the mlocker (at 0), a /proc reader and an mmap() */

enum act {
	ACT_NONE,
	ACT_MLOCK_OP,
	ACT_MLOCK_RANGE,
	ACT_READ,
	ACT_MMAP,
	ACT_MMAP_POPULATE,
	ACT_MUNMAP,
	ACT_MLOCK_TWICE,
	ACT_MLOCKALL
};

struct actor {
	int act;
	sim_ns at;
	sim_ns mid; /* ACT_MLOCK_TWICE: when the first mlock returned */
	sim_ns end; /* when it returned */
	int ret;    /* mlock_range's */
	struct thread th;
};

static struct actor actors[3];

static void run_op(struct thread *th, const char *name, const struct op_config *op)
{
	int index;
	const struct thread_op *o = thread_op_find(name, &index);

	CHECK(o != NULL);
	if (o)
		o->run(th, op);
}

static void actor_main(struct task *t)
{
	struct actor *a = task_data(t);

	a->th = (struct thread){ .task = t, .k = &k, .mm = &mm };
	rec = ((struct record_ctx *)task_owner(t))->rec;
	task_sleep(t, a->at);
	switch (a->act) {
	case ACT_MLOCK_OP:
		run_op(&a->th, "mlock", &mlock_op);
		break;
	case ACT_MMAP_POPULATE:
		run_op(&a->th, "mmap_populate", &mlock_op);
		break;
	case ACT_MLOCKALL:
		run_op(&a->th, "mlockall", &mlock_op);
		break;
	case ACT_MLOCK_TWICE:
		run_op(&a->th, "mlock", &mlock_op);
		a->mid = task_now(t);
		run_op(&a->th, "mlock", &mlock_op);
		break;
	case ACT_MLOCK_RANGE:
		a->ret = mlock_range(&a->th, &mm.vmas[mlock_op.mapping], mlock_op.offset,
		                     mlock_op.pages, &mlock_op);
		break;
	case ACT_READ: {
		struct rwsem_hold h; /* a /proc reader holding mmap_sem for read */

		down_read(&mm.mmap_sem, t, SITE_PROC_READ, &h);
		task_cpu(t, RH);
		up_read(&mm.mmap_sem, t, &h);
		break;
	}
	case ACT_MMAP:
		run_op(&a->th, "mmap", &writer_op);
		break;
	case ACT_MUNMAP:
		run_op(&a->th, "munmap", &writer_op);
		break;
	}
	a->end = task_now(t);
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* The mlocker (ACT_MLOCK_*) at 0, the reader at @t_r, the writer at @t_x (< 0: none). */
static void script(int mlock_act, sim_ns t_r, sim_ns t_x)
{
	memset(actors, 0, sizeof(actors));
	actors[0] = (struct actor){ .act = mlock_act, .at = 0, .end = -1 };
	actors[1] = (struct actor){ .act = t_r >= 0 ? ACT_READ : ACT_NONE,
		                    .at = t_r > 0 ? t_r : 0,
		                    .end = -1 };
	actors[2] = (struct actor){ .act = t_x >= 0 ? ACT_MMAP : ACT_NONE,
		                    .at = t_x > 0 ? t_x : 0,
		                    .end = -1 };
}

static void spawn_all(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &k.disk);
	for (unsigned i = 0; i < 3; i++)
		sim_spawn(e, "thread", actor_main, &actors[i]);
}

#define MLOCKER (actors[0])
#define READER (actors[1])
#define WRITER (actors[2])

static unsigned present(int vma)
{
	unsigned n = 0;

	for (uint64_t p = 0; p < mm.vmas[vma].pages; p++)
		n += mm.vmas[vma].anon.state && mm.vmas[vma].anon.state[p] == ANON_PRESENT;
	return n;
}

/* ---- write (2.6.37): the whole populate under write; the reader and the writer wait */

static void write_setup(struct engine *e)
{
	world("2.6.37");
	script(ACT_MLOCK_OP, T_R, T_X);
	spawn_all(e);
}

static void write_verify(void)
{
	sim_ns up = H0 + NPG * PG; /* up_write */

	CHECK_EQ(MLOCKER.end, up);
	CHECK_EQ(READER.end, up + W + RH);          /* queued first: handed the lock at up_write */
	CHECK_EQ(WRITER.end, up + W + RH + W + XH); /* behind the reader: its up_read hands over */
	CHECK_EQ(rec->locks.all.wait[LOCK_READ].max_ns, up - T_R);
	CHECK_EQ(rec->locks.all.wait[LOCK_WRITE].max_ns, up + W + RH - T_X);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, up);
	CHECK_EQ(rec->mlock.calls, 1);
	CHECK_EQ(rec->mlock.pages, NPG);
	CHECK_EQ(rec->mlock.duration.max_ns, up);
	CHECK_EQ(present(HEAP), NPG);
}

static void mlock_write_holds_write_across_populate(void)
{
	sim_check(write_setup, write_verify, END);
}

/* ---- downgrade (2.6.28): populate under read; the reader gets in; the VMA recheck */

static void downgrade_setup(struct engine *e)
{
	world("2.6.28");
	script(ACT_MLOCK_RANGE, T_R, -1);
	spawn_all(e);
}

static void downgrade_verify(void)
{
	sim_ns up = H0 + NPG * PG; /* up_read, then down_write at once */

	CHECK_EQ(MLOCKER.ret, NPG);
	CHECK_EQ(MLOCKER.end, up);
	CHECK_EQ(READER.end, T_R + RH); /* no wait: shares the downgraded lock */
	CHECK_EQ(rec->locks.all.wait[LOCK_READ].max_ns, 0);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, H0);      /* before the downgrade */
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, NPG * PG); /* the populate */
	CHECK_EQ(present(HEAP), NPG);
}

static void mlock_downgrade_lets_reader_in(void)
{
	sim_check(downgrade_setup, downgrade_verify, END);
}

/*
 * mlock_fixup (2.6.28 mm/mlock.c) re-takes mmap_sem for write and fails only
 * if find_vma(start) is gone or ends before end. An mmap() (a VMA of its own,
 * or a merge next to the heap) leaves the heap covering the range: the
 * writer queues at T_X behind the populate's read hold, the up_read hands it
 * the lock, the mlocker's down_write waits for it, and the mlock succeeds
 * with one pass.
 */
static void recheck_mmap_setup(struct engine *e)
{
	world("2.6.28");
	writer_op.mapping = HEAP;
	script(ACT_MLOCK_OP, T_R, T_X);
	spawn_all(e);
}

static void recheck_mmap_verify(void)
{
	sim_ns up = H0 + NPG * PG; /* up_read: the writer is handed the lock */
	sim_ns end =
	        up + W + XH + W; /* the mlocker's down_write granted, the VMA checked, up_write */

	CHECK_EQ(READER.end, T_R + RH);
	CHECK_EQ(WRITER.end, up + W + XH);
	CHECK_EQ(MLOCKER.end, end);
	CHECK_EQ(rec->locks.all.wait[LOCK_WRITE].max_ns, up - T_X);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, NPG * PG);
	CHECK_EQ(rec->mlock.calls, 1);
	CHECK_EQ(rec->mlock.pages, NPG);
	CHECK_EQ(rec->mlock.duration.max_ns, end);
}

static void mlock_downgrade_recheck_survives_mmap(void)
{
	sim_check(recheck_mmap_setup, recheck_mmap_verify, END);
}

static void recheck_mmap_range_setup(struct engine *e)
{
	world("2.6.28");
	writer_op.mapping = HEAP;
	script(ACT_MLOCK_RANGE, -1, T_X);
	spawn_all(e);
}

static void recheck_mmap_range_verify(void)
{
	sim_ns up = H0 + NPG * PG;

	CHECK_EQ(MLOCKER.ret, NPG);
	CHECK_EQ(MLOCKER.end, up + W + XH + W);
	CHECK_EQ(present(HEAP), NPG);
}

static void mlock_downgrade_range_survives_mmap(void)
{
	sim_check(recheck_mmap_range_setup, recheck_mmap_range_verify, END);
}

/*
 * A munmap() of part of the heap meanwhile: the VMA at start may be gone or
 * end before end: mlock() fails (-ENOMEM in the 2.6.28 release) and the
 * caller does not retry; the populated pages stay.
 */
static void recheck_munmap_setup(struct engine *e)
{
	world("2.6.28");
	writer_op.mapping = HEAP;
	script(ACT_MLOCK_OP, -1, T_X);
	actors[2].act = ACT_MUNMAP;
	spawn_all(e);
}

static void recheck_munmap_verify(void)
{
	sim_ns up = H0 + NPG * PG;

	CHECK_EQ(WRITER.end, up + W + XH);
	CHECK_EQ(MLOCKER.end, up + W + XH + W);
	CHECK_EQ(rec->mlock.calls, 1);
	CHECK_EQ(rec->mlock.pages, 0);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, NPG * PG);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].count, 1); /* no second pass */
	CHECK_EQ(present(HEAP), NPG);
}

static void mlock_downgrade_recheck_fails_after_munmap(void)
{
	sim_check(recheck_munmap_setup, recheck_munmap_verify, END);
}

/* ---- read_retry (2.6.38) and outside (3.9) on anonymous memory: no page-lock wait */

static void read_retry_setup(struct engine *e)
{
	world("2.6.38");
	script(ACT_MLOCK_RANGE, T_R, T_X);
	spawn_all(e);
}

static void read_retry_verify(void)
{
	sim_ns up = H0 + NPG * PG; /* one read hold from H0 (no disk wait to drop it at) */

	CHECK_EQ(MLOCKER.ret, NPG);
	CHECK_EQ(MLOCKER.end, up);
	CHECK_EQ(READER.end, T_R + RH);
	CHECK_EQ(WRITER.end, up + W + XH);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns,
	         W + XH); /* the writer's, from the hand-off */
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, NPG * PG);
}

static void mlock_read_retry_populates_under_read(void)
{
	sim_check(read_retry_setup, read_retry_verify, END);
}

static void outside_setup(struct engine *e)
{
	world("3.9");
	script(ACT_MLOCK_RANGE, T_R, T_X);
	spawn_all(e);
}

/*
 * __mm_populate (3.9.6 mm/mlock.c) holds the read lock across the VMA, as
 * do_mlock_pages did: no hold ends after 16 pages, the writer waits for all
 * NPG of them (the same instants as read_retry).
 */
static void outside_verify(void)
{
	sim_ns up = H0 + NPG * PG;

	CHECK_EQ(MLOCKER.ret, NPG);
	CHECK_EQ(MLOCKER.end, up);
	CHECK_EQ(READER.end, T_R + RH);
	CHECK_EQ(WRITER.end, up + W + XH);
	CHECK_EQ(rec->locks.all.wait[LOCK_WRITE].max_ns, up - T_X);
	CHECK_EQ(rec->locks.all.wait[LOCK_READ].max_ns, 0);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, NPG * PG);
}

static void mlock_outside_holds_read_across_vma(void)
{
	sim_check(outside_setup, outside_verify, END);
}

/* ---- mmap(MAP_LOCKED/MAP_POPULATE) of the heap: populated in or after the mmap's write hold */

static void mmap_populate_setup(struct engine *e, const char *profile)
{
	world(profile);
	mlock_op.pages = 0; /* the whole mapping */
	script(ACT_MMAP_POPULATE, T_R, -1);
	spawn_all(e);
}

#define HEAP_PAGES 32 /* 0.125 MB */

static void mmap_populate_38_setup(struct engine *e)
{
	mmap_populate_setup(e, "2.6.38");
}

/*
 * 2.6.38-3.8 mmap_region: mlock_vma_pages_range (no retry) or
 * make_pages_present inside do_mmap_pgoff, under down_write: the reader
 * waits for the whole populate.
 */
static void mmap_populate_38_verify(void)
{
	sim_ns up = H0 + HEAP_PAGES * PG;

	CHECK_EQ(MLOCKER.end, up);
	CHECK_EQ(READER.end, up + W + RH);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, up);
	CHECK_EQ(rec->locks.all.wait[LOCK_READ].max_ns, up - T_R);
	CHECK_EQ(present(HEAP), HEAP_PAGES);
}

static void mmap_populate_under_write_before_39(void)
{
	sim_check(mmap_populate_38_setup, mmap_populate_38_verify, END);
}

static void mmap_populate_39_setup(struct engine *e)
{
	mmap_populate_setup(e, "3.9");
}

/* 3.9 vm_mmap_pgoff: up_write, then mm_populate under read: the reader shares it. */
static void mmap_populate_39_verify(void)
{
	CHECK_EQ(MLOCKER.end, H0 + HEAP_PAGES * PG);
	CHECK_EQ(READER.end, T_R + RH);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, H0);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, HEAP_PAGES * PG);
	CHECK_EQ(present(HEAP), HEAP_PAGES);
}

static void mmap_populate_after_write_from_39(void)
{
	sim_check(mmap_populate_39_setup, mmap_populate_39_verify, END);
}

static void mmap_populate_28_setup(struct engine *e)
{
	mmap_populate_setup(e, "2.6.28");
}

/* 2.6.28 mmap_region: mlock_vma_pages_range downgrades like mlock (MAP_LOCKED). */
static void mmap_populate_28_verify(void)
{
	CHECK_EQ(MLOCKER.end, H0 + HEAP_PAGES * PG);
	CHECK_EQ(READER.end, T_R + RH);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, H0);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, HEAP_PAGES * PG);
}

static void mmap_populate_downgrades_on_2628(void)
{
	sim_check(mmap_populate_28_setup, mmap_populate_28_verify, END);
}

/* ---- a file range on disk: read_retry drops mmap_sem at each page-lock wait */

#define FILE_PAGES 2

static void file_script(const char *profile)
{
	world(profile);
	mlock_op.mapping = FILEMAP;
	mlock_op.pages = FILE_PAGES;
	script(ACT_MLOCK_RANGE, -1, T_X);
}

static void file_read_retry_setup(struct engine *e)
{
	file_script("2.6.38");
	spawn_all(e);
}

/*
 * Page 0: B, M, the read submitted at H0 + B + M; lock_page_or_retry drops
 * read and waits S (+W); read again, the fault again (B, A: a minor one now),
 * marking P. Page 1 alike. The writer at T_X finds mmap_sem free.
 */
static void file_read_retry_verify(void)
{
	sim_ns page = B + M + S + W + B + A + P;

	CHECK_EQ(MLOCKER.ret, FILE_PAGES);
	CHECK_EQ(MLOCKER.end, H0 + FILE_PAGES * page);
	CHECK_EQ(WRITER.end, T_X + XH);
	CHECK_EQ(rec->locks.all.wait[LOCK_WRITE].max_ns, 0);
	/* no hold spans a disk read: the longest is page 0's refault and page 1 up to its wait */
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, B + A + P + B + M);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, FILE_PAGES);
	CHECK(page_cached(&k.pc, &k.files[0]->inode, 0));
	CHECK(page_cached(&k.pc, &k.files[0]->inode, 1));
}

static void mlock_read_retry_drops_lock_at_page_wait(void)
{
	sim_check(file_read_retry_setup, file_read_retry_verify, END);
}

static void file_write_setup(struct engine *e)
{
	file_script("2.6.37");
	spawn_all(e);
}

/* The same range under 2.6.37: the page-lock waits hold the write lock, the writer waits. */
static void file_write_verify(void)
{
	sim_ns page = B + M + S + W + A + P;
	sim_ns up = H0 + FILE_PAGES * page;

	CHECK_EQ(MLOCKER.ret, FILE_PAGES);
	CHECK_EQ(MLOCKER.end, up);
	CHECK_EQ(WRITER.end, up + W + XH);
	CHECK_EQ(rec->locks.all.wait[LOCK_WRITE].max_ns, up - T_X);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, up);
}

static void mlock_write_holds_lock_across_disk_reads(void)
{
	sim_check(file_write_setup, file_write_verify, END);
}

/* ---- a cached file range: each page not yet mapped takes a minor fault */

#define CACHED_PAGES 16 /* the whole file mapping, all in the page cache */

static void cached_setup(struct engine *e)
{
	file_cached = 1;
	world("2.6.38");
	mlock_op.mapping = FILEMAP;
	mlock_op.pages = 0;
	script(ACT_MLOCK_TWICE, -1, -1);
	spawn_all(e);
}

/*
 * __get_user_pages (2.6.38 mm/memory.c): follow_page finds no pte, so
 * handle_mm_fault maps each page: a minor fault (B, lock_page, the pte: A),
 * then the marking P, under the read lock. The second mlock finds every
 * pte: the marking only. No disk read.
 */
static void cached_verify(void)
{
	sim_ns first = H0 + CACHED_PAGES * (B + A + P);

	CHECK_EQ(MLOCKER.mid, first);
	CHECK_EQ(MLOCKER.end, first + H0 + CACHED_PAGES * P);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, CACHED_PAGES * (B + A + P));
	CHECK_EQ(rec->mlock.pages, 2 * CACHED_PAGES);
	CHECK_EQ(rec->devices[DISK_DEVICE_MAIN].requests, 0);
}

static void mlock_cached_page_takes_minor_fault(void)
{
	sim_check(cached_setup, cached_verify, END);
}

#define CP (3 * NS_PER_US) /* cpu_copy_us */

static void cached_private_setup(struct engine *e)
{
	file_cached = 1;
	file_private = true;
	world("2.6.38");
	mlock_op.mapping = FILEMAP;
	mlock_op.pages = 0;
	script(ACT_MLOCK_TWICE, -1, -1);
	spawn_all(e);
}

/*
 * A private writable file mapping: FOLL_WRITE (2.6.38
 * __mlock_vma_pages_range: (VM_WRITE | VM_SHARED) == VM_WRITE), so each
 * page is a write fault that copies it (B, copy CP, A); the second mlock
 * finds the private copies.
 */
static void cached_private_verify(void)
{
	sim_ns first = H0 + CACHED_PAGES * (B + CP + A + P);

	CHECK_EQ(MLOCKER.mid, first);
	CHECK_EQ(MLOCKER.end, first + H0 + CACHED_PAGES * P);
	CHECK_EQ(present(FILEMAP), CACHED_PAGES);
}

static void mlock_private_file_copies_each_page(void)
{
	sim_check(cached_private_setup, cached_private_verify, END);
}

/* ---- mlockall: one write section for every VMA, then (2.6.38+) one populate across them */

#define ALL_PAGES (CACHED_PAGES * (B + A + P) + HEAP_PAGES * PG) /* both mappings populated */

static void mlockall_setup(struct engine *e, const char *profile)
{
	file_cached = 1;
	world(profile);
	script(ACT_MLOCKALL, -1, -1);
	spawn_all(e);
}

static void mlockall_38_setup(struct engine *e)
{
	mlockall_setup(e, "2.6.38");
}

/*
 * 2.6.38 sys_mlockall: down_write, do_mlockall (mlock_fixup of each VMA),
 * up_write, then do_mlock_pages(0, TASK_SIZE, 1): one read hold across
 * both VMAs.
 */
static void mlockall_38_verify(void)
{
	CHECK_EQ(MLOCKER.end, 2 * H0 + ALL_PAGES);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].count, 1);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, 2 * H0);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].count, 1);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].max_ns, ALL_PAGES);
	CHECK_EQ(rec->mlock.pages, CACHED_PAGES + HEAP_PAGES);
}

static void mlockall_one_write_then_one_read_hold(void)
{
	sim_check(mlockall_38_setup, mlockall_38_verify, END);
}

static void mlockall_37_setup(struct engine *e)
{
	mlockall_setup(e, "2.6.37");
}

/* 2.6.37: do_mlockall populates in each mlock_fixup, all under the one down_write. */
static void mlockall_37_verify(void)
{
	CHECK_EQ(MLOCKER.end, 2 * H0 + ALL_PAGES);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].count, 1);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, 2 * H0 + ALL_PAGES);
	CHECK_EQ(rec->locks.all.hold[LOCK_READ].count, 0);
}

static void mlockall_write_holds_one_write_section(void)
{
	sim_check(mlockall_37_setup, mlockall_37_verify, END);
}

/* ---- munlock: write hold of hold_us + cpu_per_page_us per page */

static void munlock_setup(struct engine *e)
{
	world("2.6.38");
	script(ACT_NONE, 10 * NS_PER_US, -1); /* the reader arrives during the munlock */
	spawn_all(e);
}

static void munlock_main(struct task *t)
{
	struct thread th = { .task = t, .k = &k, .mm = &mm };

	run_op(&th, "munlock", &mlock_op);
	MLOCKER.end = task_now(t);
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void munlock_spawn(struct engine *e)
{
	munlock_setup(e);
	sim_spawn(e, "munlock", munlock_main, NULL);
}

static void munlock_verify(void)
{
	CHECK_EQ(MLOCKER.end, H0 + NPG * P);
	CHECK_EQ(READER.end, H0 + NPG * P + W + RH);
	CHECK_EQ(rec->locks.all.wait[LOCK_READ].max_ns, H0 + NPG * P - 10 * NS_PER_US);
	CHECK_EQ(rec->locks.all.hold[LOCK_WRITE].max_ns, H0 + NPG * P);
	CHECK_EQ(rec->mlock.calls, 0);
}

static void munlock_holds_write_per_page(void)
{
	sim_check(munlock_spawn, munlock_verify, END);
}

/* ---- the profiles */

/* "2.6.36-release" -> 2006036.5: ordered like the versions (a suffix comes after). */
static double profile_version(const char *name)
{
	unsigned a = 0, b = 0, c = 0;

	sscanf(name, "%u.%u.%u", &a, &b, &c);
	return a * 1e6 + b * 1e3 + c + (strchr(name, '-') ? 0.5 : 0);
}

static void mlock_profiles(void)
{
	static const struct {
		const char *name;
		int populate;
	} want[] = {
		{ "2.6.28", MLOCK_DOWNGRADE },     { "2.6.36", MLOCK_WRITE },
		{ "2.6.36-release", MLOCK_WRITE }, { "2.6.37", MLOCK_WRITE },
		{ "2.6.38", MLOCK_READ_RETRY },    { "2.6.39", MLOCK_READ_RETRY },
		{ "3.0", MLOCK_READ_RETRY },       { "3.9", MLOCK_OUTSIDE },
	};

	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct kernel_profile *p = kernel_profile_find(want[i].name);

		CHECK(p != NULL);
		if (p)
			CHECK_EQ(p->features.mlock_populate, want[i].populate);
	}
	CHECK_EQ(kernel_profile_find("2.6.28")->features.fault_retry, FAULT_RETRY_NONE);
	for (unsigned i = 1; kernel_profiles[i].name; i++) /* listed by version */
		CHECK(profile_version(kernel_profiles[i - 1].name) <=
		      profile_version(kernel_profiles[i].name));
}

int main(void)
{
	TEST(mlock_profiles);
	TEST(mlock_write_holds_write_across_populate);
	TEST(mlock_downgrade_lets_reader_in);
	TEST(mlock_downgrade_recheck_survives_mmap);
	TEST(mlock_downgrade_range_survives_mmap);
	TEST(mlock_downgrade_recheck_fails_after_munmap);
	TEST(mlock_read_retry_populates_under_read);
	TEST(mlock_outside_holds_read_across_vma);
	TEST(mmap_populate_under_write_before_39);
	TEST(mmap_populate_after_write_from_39);
	TEST(mmap_populate_downgrades_on_2628);
	TEST(mlock_read_retry_drops_lock_at_page_wait);
	TEST(mlock_write_holds_lock_across_disk_reads);
	TEST(mlock_cached_page_takes_minor_fault);
	TEST(mlock_private_file_copies_each_page);
	TEST(mlockall_one_write_then_one_read_hold);
	TEST(mlockall_write_holds_one_write_section);
	TEST(munlock_holds_write_per_page);
	return harness_failures != 0;
}
