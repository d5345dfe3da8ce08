/*
 * cgworld.c - the machine of test_cow.c and test_memcg.c's OOM cases, and
 * its scripted threads (tests/unit/cgworld.h).
 */
#include <string.h>

#include "tests/unit/cgworld.h"
#include "tests/unit/harness.h"

struct kernel cgw_k;
struct mm cgw_mms[CGW_NR_MM];
struct memcg *cgw_cg;
struct op_config cgw_op;
struct recorder *cgw_rec;
struct cgw_actor cgw_actors[CGW_MAX_ACTORS];

static unsigned nr_actors;
static struct kernel_features feat;
static struct machine_config machine;
static struct disk_config dcfg;
static struct swap_config scfg;
static struct memcg_config cgcfg;
static struct mapping_config maps_ac[2], maps_b[1];
static struct mm *mm_ptrs[CGW_NR_MM];

void cgworld_init(const struct cgworld_opts *o)
{
	struct mapping_config lib = { .name = "lib",
		                      .file = "ld.so",
		                      .kind = MAPPING_FILE,
		                      .size_mb = 0.0625,
		                      .cached_fraction = o->cached ? 1 : 0,
		                      .advice = o->advice };

	feat = *o->feat;
	machine = (struct machine_config){ .wakeup_us = dist_const(7, NS_PER_US),
		                           .page_cache_mb = o->page_cache_mb,
		                           .read_ahead_kb = 128 };
	dcfg = (struct disk_config){ .scheduler = DISK_FIFO,
		                     .max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB,
		                     .service_ms = dist_const(1, NS_PER_MS),
		                     .page_transfer_us = dist_const(0, NS_PER_US) };
	scfg = (struct swap_config){ .device = SWAP_ON_DISK, .page_cluster = 0, .size_mb = 1 };
	cgcfg = (struct memcg_config){ .name = "build",
		                       .limit_mb = (double)(CGW_BASE + o->room) / 256,
		                       .usage_mb = 1,
		                       .reclaim_us = dist_const(50, NS_PER_US),
		                       .reclaim_retries = 2,
		                       .reclaim_pages = o->reclaim_pages ? o->reclaim_pages : 32,
		                       .oom_kill_disable = o->oom_kill_disable };
	maps_ac[CGW_LIB] = lib;
	maps_ac[CGW_LIB].private_map = true;
	maps_ac[CGW_HEAP] =
	        (struct mapping_config){ .name = "heap", .kind = MAPPING_ANON, .size_mb = 0.0625 };
	maps_b[0] = lib; /* shared: reads the page-cache page itself */
	CHECK_EQ(kernel_init(&cgw_k, &feat, &machine, &dcfg, &scfg, &cgcfg, 1, NULL, 0), 0);
	cgw_cg = &cgw_k.memcgs[0];
	for (int i = 0; i < CGW_NR_MM; i++) {
		CHECK_EQ(mm_init(&cgw_mms[i], &cgw_k, i, i == CGW_B ? maps_b : maps_ac,
		                 i == CGW_B ? 1 : 2, NULL),
		         0);
		mm_ptrs[i] = &cgw_mms[i];
	}
	cgw_mms[CGW_A].memcg = cgw_mms[CGW_C].memcg = cgw_cg;
	cgw_k.mms = mm_ptrs;
	cgw_k.nr_mms = CGW_NR_MM;
	CHECK_EQ(cgw_k.nr_files, 1); /* one file, shared by A and B */
	CHECK_EQ(cgw_cg->limit_pages, CGW_BASE + o->room);
	CHECK_EQ(cgw_cg->usage_pages, CGW_BASE);
	cgw_op = (struct op_config){ .cpu_before_us = dist_const(1, NS_PER_US),
		                     .cpu_miss_us = dist_const(20, NS_PER_US),
		                     .cpu_after_us = dist_const(2, NS_PER_US),
		                     .cpu_copy_us = dist_const(3, NS_PER_US),
		                     .time_us = dist_const(40, NS_PER_US),
		                     .hold_us = dist_const(100, NS_PER_US),
		                     .pages = 1 };
}

void cgw_park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

static void run_op(struct thread *th, const char *name)
{
	int index;
	const struct thread_op *o = thread_op_find(name, &index);

	CHECK(o != NULL);
	if (o)
		o->run(th, &cgw_op);
}

static void actor_main(struct task *t)
{
	static const char *const op_names[] = {
		[CGW_MMAP] = "mmap", [CGW_FORK] = "fork", [CGW_EXIT] = "exit"
	};
	struct cgw_actor *a = task_data(t);

	a->th = (struct thread){ .task = t, .k = &cgw_k, .mm = &cgw_mms[a->mm] };
	cgw_rec = ((struct record_ctx *)task_owner(t))->rec;
	for (unsigned i = 0; i < a->nr; i++) {
		struct cgw_step *s = &a->steps[i];

		CHECK(s->at >= task_now(t)); /* the script is in time order */
		task_sleep(t, s->at - task_now(t));
		if (s->act == CGW_FAULT)
			do_page_fault(&a->th, &a->th.mm->vmas[s->vma], s->pgoff, s->write, &cgw_op);
		else
			run_op(&a->th, op_names[s->act]);
		s->end = task_now(t);
	}
	cgw_park(t);
}

void cgw_script(void)
{
	memset(cgw_actors, 0, sizeof(cgw_actors));
	nr_actors = 0;
}

struct cgw_actor *cgw_actor(int mm)
{
	struct cgw_actor *a = &cgw_actors[nr_actors++];

	CHECK(nr_actors <= CGW_MAX_ACTORS);
	memset(a, 0, sizeof(*a));
	a->mm = mm;
	return a;
}

struct cgw_step *cgw_step(struct cgw_actor *a, sim_ns at, int act, int vma, uint64_t pgoff,
                          bool write)
{
	struct cgw_step *s = &a->steps[a->nr++];

	CHECK(a->nr <= CGW_MAX_STEPS);
	*s = (struct cgw_step){
		.at = at, .act = act, .vma = vma, .pgoff = pgoff, .write = write, .end = -1
	};
	return s;
}

void cgw_spawn(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &cgw_k.disk);
	for (unsigned i = 0; i < nr_actors; i++)
		sim_spawn(e, "thread", actor_main, &cgw_actors[i]);
}
