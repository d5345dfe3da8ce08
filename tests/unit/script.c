/* script.c - see script.h. */
#include <string.h>

#include "tests/unit/script.h"

struct kernel script_k;
struct mm script_mm;
struct script_actor script_actors[SCRIPT_MAX_ACTORS];
struct recorder *script_rec;
static unsigned nr_actors;
unsigned script_read_ahead_kb = 128;
unsigned script_page_cache_mb = 4;
unsigned script_max_sectors_kb = DISK_DEFAULT_MAX_SECTORS_KB;
static struct machine_config machine;
static struct disk_config dcfg;
static struct swap_config scfg;
static struct mm *mm_ptr;

void script_world(const char *profile, const struct mapping_config *maps, unsigned nr_maps,
                  gsl_rng *rng)
{
	const struct kernel_profile *kp = kernel_profile_find(profile);

	CHECK(kp != NULL);
	machine = (struct machine_config){ .wakeup_us = dist_const(7, NS_PER_US),
		                           .page_cache_mb = script_page_cache_mb,
		                           .read_ahead_kb = script_read_ahead_kb };
	dcfg = (struct disk_config){ .scheduler = DISK_FIFO,
		                     .max_sectors_kb = script_max_sectors_kb,
		                     .service_ms = dist_const(1, NS_PER_MS),
		                     .page_transfer_us = dist_const(0, NS_PER_US) };
	scfg = (struct swap_config){ .device = SWAP_ON_DISK, .page_cluster = 0, .size_mb = 16 };
	CHECK_EQ(kernel_init(&script_k, kp ? &kp->features : &kernel_profiles[0].features, &machine,
	                     &dcfg, &scfg, NULL, 0, NULL, 0),
	         0);
	CHECK_EQ(mm_init(&script_mm, &script_k, 0, maps, nr_maps, rng), 0);
	mm_ptr = &script_mm;
	script_k.mms = &mm_ptr;
	script_k.nr_mms = 1;
	nr_actors = 0;
}

static struct op_config script_op_base(void)
{
	return (struct op_config){ .cpu_before_us = dist_const(1, NS_PER_US),
		                   .cpu_miss_us = dist_const(20, NS_PER_US),
		                   .cpu_after_us = dist_const(2, NS_PER_US),
		                   .cpu_copy_us = dist_const(3, NS_PER_US),
		                   .hold_us = dist_const(10, NS_PER_US),
		                   .zap_us = dist_const(0, NS_PER_US),
		                   .mapping = -1,
		                   .pages = 1,
		                   .chunks = 1,
		                   .proc_kind = PROC_READ_HOLD,
		                   .process = -1 };
}

struct script_actor *script_actor(sim_ns at, const char *op_name)
{
	struct script_actor *a = &script_actors[nr_actors++];

	memset(a, 0, sizeof(*a));
	a->at = at;
	a->op_name = op_name;
	a->op = script_op_base();
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
	struct script_actor *a = task_data(t);
	int index;
	const struct thread_op *o = thread_op_find(a->op_name, &index);

	a->th = (struct thread){ .task = t, .k = &script_k, .mm = a->mm ? a->mm : &script_mm };
	script_rec = ((struct record_ctx *)task_owner(t))->rec;
	CHECK(o != NULL);
	task_sleep(t, a->at);
	if (o) {
		a->op.op = index;
		o->run(&a->th, &a->op);
	}
	a->end = task_now(t);
	park(t);
}

void script_spawn(struct engine *e)
{
	sim_spawn(e, "disk", disk_main, &script_k.disk);
	for (unsigned i = 0; i < nr_actors; i++)
		sim_spawn(e, "thread", actor_main, &script_actors[i]);
}

const struct lock_site_stats *script_site(int site)
{
	return &script_rec->locks.all.sites[site];
}
