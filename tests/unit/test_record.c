/*
 * test_record.c - the recorder's page-lock, per-process fault, memcg and
 * swap summaries: page-lock grants, holds and waits recorded by the page
 * lock itself (a task holds it exactly 5000 ns while others wait), the
 * warm-up, the other records called directly, and how the results name them.
 */
#include <stdint.h>
#include <string.h>

#include "models/pagecache.h"
#include "models/swap.h"
#include "sim/json_path.h"
#include "sim/output.h"
#include "tests/unit/harness.h"

#define W 7 /* wake-up latency of the page waiters, ns */

static struct pagecache pc;
static struct dist wakeup;
static struct inode file_a = { .id = 3, .pages = 100 }, file_b = { .id = 5, .pages = 100 };
static struct inode swap_cache = { .id = SWAP_FILE_ID, .pages = 100 };
static struct page *p0, *p1, *ps; /* free; locked for a read in flight; a swap-cache page */
static bool try_early, try_late;

static void park(struct task *t)
{
	for (;;)
		task_sleep(t, NS_PER_S);
}

/* Takes p0 at 100 (at once), holds it 5000 ns; then the swap page for 200 ns. */
static void holder_main(struct task *t)
{
	task_sleep(t, 100);
	lock_page(&pc, p0, t);
	task_cpu(t, 5000);
	unlock_page(&pc, p0, t);
	lock_page(&pc, ps, t);
	task_sleep(t, 200);
	unlock_page(&pc, ps, t);
	park(t);
}

/* Asks for p0 at 1100: woken by the unlock at 5100, runs at 5107; holds it 300 ns. */
static void waiter_main(struct task *t)
{
	task_sleep(t, 1100);
	lock_page(&pc, p0, t);
	task_sleep(t, 300);
	unlock_page(&pc, p0, t);
	park(t);
}

/* Waits for p0 from 2100 without taking it: to 5107. */
static void watcher_main(struct task *t)
{
	task_sleep(t, 2100);
	wait_on_page_locked(&pc, p0, t);
	park(t);
}

/* trylock_page at 3100 (taken: no record), at 6000 (free: a grant), holds 1000 ns. */
static void trier_main(struct task *t)
{
	task_sleep(t, 3100);
	try_early = trylock_page_task(p0, t);
	task_sleep(t, 6000 - 3100);
	try_late = trylock_page_task(p0, t);
	task_sleep(t, 1000);
	if (try_late)
		unlock_page(&pc, p0, t);
	park(t);
}

/* The device: p1's read completes at 8000 (a lock held for I/O, not a hold). */
static void disk_main_at_8000(struct task *t)
{
	task_sleep(t, 8000);
	p1->uptodate = true;
	unlock_page(&pc, p1, t);
	park(t);
}

/* Asks for p1 at 7500: runs at 8007, unlocks at once. */
static void reader_main(struct task *t)
{
	task_sleep(t, 7500);
	lock_page(&pc, p1, t);
	unlock_page(&pc, p1, t);
	park(t);
}

static struct page *free_page(struct inode *inode)
{
	struct page *p = add_to_page_cache_locked(&pc, inode, 0);

	p->uptodate = true;
	unlock_page(&pc, p, NULL); /* set-up: no task, no record */
	return p;
}

static void page_lock_setup(struct engine *e)
{
	pagecache_release(&pc);
	wakeup = dist_const(W, 1);
	pagecache_init(&pc, 64, &wakeup);
	p0 = free_page(&file_a);
	ps = free_page(&swap_cache);
	p1 = add_to_page_cache_locked(&pc, &file_b, 0);
	try_early = try_late = false;
	sim_spawn(e, "holder", holder_main, NULL);
	sim_spawn(e, "waiter", waiter_main, NULL);
	sim_spawn(e, "watcher", watcher_main, NULL);
	sim_spawn(e, "trier", trier_main, NULL);
	sim_spawn(e, "disk", disk_main_at_8000, NULL);
	sim_spawn(e, "reader", reader_main, NULL);
}

static bool summary_is(const struct summary *s, uint64_t count, sim_ns sum, sim_ns max)
{
	return s->count == count && summary_sum(s) == (double)sum &&
	       (count == 0 || s->max_ns == max) &&
	       summary_mean(s) == (count ? (double)sum / (double)count : 0);
}

static void page_lock_verify(void)
{
	const struct recorder *r = &harness_rec;
	const struct page_lock_stats *a = recorder_file_locks(r, 3), *b = recorder_file_locks(r, 5);
	const struct page_lock_stats *sw = recorder_file_locks(r, SWAP_FILE_ID);

	CHECK(!try_early && try_late);
	CHECK(!p0->locked && !p1->locked && !ps->locked);
	/* grants: holder p0 (0) and ps (0), waiter 5107 - 1100, trier (0), reader 8007 - 7500 */
	CHECK_EQ(r->page_locks.all.acquisitions, 5);
	/* waits: those, and the watcher's 5107 - 2100 */
	CHECK_EQ(r->page_locks.all.wait.count, 6);
	CHECK(summary_is(&r->page_locks.all.wait, 6, 4007 + 3007 + 507, 4007));
	/* holds: exactly 5000, then 200, 300, 1000 and 0; not the read's */
	CHECK(summary_is(&r->page_locks.all.hold, 5, 5000 + 200 + 300 + 1000, 5000));
	CHECK_EQ(r->page_locks.all.hold.max_ns, 5000);
	/* per file */
	CHECK_EQ(a->acquisitions, 3);
	CHECK(summary_is(&a->wait, 4, 4007 + 3007, 4007));
	CHECK(summary_is(&a->hold, 3, 5000 + 300 + 1000, 5000));
	CHECK_EQ(b->acquisitions, 1);
	CHECK(summary_is(&b->wait, 1, 507, 507));
	CHECK(summary_is(&b->hold, 1, 0, 0));
	CHECK_EQ(sw->acquisitions, 1);
	CHECK(summary_is(&sw->wait, 1, 0, 0));
	CHECK(summary_is(&sw->hold, 1, 200, 200));
	for (int f = 0; f < 8; f++) {
		const struct page_lock_stats *o = recorder_file_locks(r, f);

		if (f != 3 && f != 5)
			CHECK_EQ(o->acquisitions + o->wait.count + o->hold.count, 0);
	}
}

static void page_lock_records_grants_holds_and_waits(void)
{
	sim_check(page_lock_setup, page_lock_verify, 100000);
}

/* The same with a warm-up of 5050 ns: a record counts by the instant it is made. */
static void page_lock_warmup_setup(struct engine *e)
{
	page_lock_setup(e);
	harness_rec.warmup_ns = 5050;
}

static void page_lock_warmup_verify(void)
{
	const struct recorder *r = &harness_rec;

	/* the holder's grant of p0 at 100 is before it, its release at 5100 after */
	CHECK_EQ(r->page_locks.all.acquisitions, 4);
	CHECK(summary_is(&r->page_locks.all.wait, 5, 4007 + 3007 + 507, 4007));
	CHECK(summary_is(&r->page_locks.all.hold, 5, 5000 + 200 + 300 + 1000, 5000));
	CHECK_EQ(recorder_file_locks(r, 3)->acquisitions, 2);
	CHECK_EQ(recorder_file_locks(r, 3)->wait.count, 3);
}

static void page_lock_records_respect_the_warmup(void)
{
	sim_check(page_lock_warmup_setup, page_lock_warmup_verify, 100000);
}

/* ---- faults per process, memcg charges, swap-ins: the records themselves */

static void recorder_main(struct task *t)
{
	task_sleep(t, 100); /* before the warm-up (500): none of these count */
	record_fault(t, 1, true, 2, 0);
	record_memcg_charge(t, 0, 0, 4, true, true, false);
	record_swapin(t, 0, 3);
	task_sleep(t, 1500 - 100);
	record_fault(t, 2, true, 1, 1000);                     /* 500 */
	record_memcg_charge(t, 1, 1000, 3, true, false, true); /* 500 */
	record_swapin(t, 1100, 7);                             /* 400 */
	task_sleep(t, 100);
	record_fault(t, 0, false, 0, 1300);                     /* 300 */
	record_memcg_charge(t, 1, 1500, 5, false, true, false); /* 100 */
	park(t);
}

static void records_setup(struct engine *e)
{
	harness_rec.warmup_ns = 500;
	sim_spawn(e, "recorder", recorder_main, NULL);
}

static void records_verify(void)
{
	const struct recorder *r = &harness_rec;

	CHECK_EQ(r->faults.all.major, 1);
	CHECK_EQ(r->faults.all.minor, 1);
	CHECK_EQ(r->faults.all.retries, 1);
	CHECK(summary_is(&r->faults.all.latency, 2, 800, 500));
	CHECK(r->faults.mm[2].major == 1 && r->faults.mm[2].minor == 0);
	CHECK_EQ(r->faults.mm[2].retries, 1);
	CHECK(summary_is(&r->faults.mm[2].latency, 1, 500, 500));
	CHECK(r->faults.mm[0].major == 0 && r->faults.mm[0].minor == 1);
	CHECK_EQ(r->faults.mm[0].retries, 0);
	CHECK(summary_is(&r->faults.mm[0].latency, 1, 300, 300));
	CHECK(r->faults.mm[1].major + r->faults.mm[1].minor + r->faults.mm[1].latency.count == 0);
	CHECK_EQ(r->memcgs.cg[1].charges, 2);
	CHECK_EQ(r->memcgs.cg[1].reclaims, 8);
	CHECK_EQ(r->memcgs.cg[1].oom_waits, 1);
	CHECK_EQ(r->memcgs.cg[1].oom_kills, 1);
	CHECK_EQ(r->memcgs.cg[1].failed, 1);
	CHECK(summary_is(&r->memcgs.cg[1].latency, 2, 600, 500));
	CHECK(r->memcgs.cg[0].charges + r->memcgs.cg[0].reclaims + r->memcgs.cg[0].failed == 0);
	CHECK_EQ(r->swap.ins, 1);
	CHECK_EQ(r->swap.readahead_pages, 7);
	CHECK(summary_is(&r->swap.latency, 1, 400, 400));
}

static void fault_memcg_swap_records_after_warmup(void)
{
	sim_check(records_setup, records_verify, 100000);
}

/* ---- the names in the results */

static char proc_p[] = "P", proc_q[] = "Q";

static void results_name_files_cgroups_and_processes(void)
{
	/* P maps heap (anon), a (its own file), lib (file ld); Q maps ld again, then b */
	struct mapping_config pm[] = {
		{ .name = "heap", .kind = MAPPING_ANON },
		{ .name = "a", .kind = MAPPING_FILE },
		{ .name = "lib", .file = "ld", .kind = MAPPING_FILE },
	};
	struct mapping_config qm[] = {
		{ .name = "lib2", .file = "ld", .kind = MAPPING_FILE },
		{ .name = "b", .file = "b", .kind = MAPPING_FILE },
	};
	struct process_config procs[] = {
		{ .name = proc_p, .count = 1, .cgroup = -1, .maps = pm, .nr_maps = 3 },
		{ .name = proc_q, .count = 2, .cgroup = 0, .maps = qm, .nr_maps = 2 },
	};
	struct memcg_config cg = { .name = "build" };
	struct scenario s = {
		.duration_s = 1, .procs = procs, .nr_procs = 2, .cgroups = &cg, .nr_cgroups = 1
	};
	struct recorder_shape shape = { .nr_mms = 2, .nr_files = 3, .nr_memcgs = 1 };
	struct file_ids ids;
	struct recorder r;
	json_t *m, *v;

	output_file_ids(&s, &ids);
	CHECK_EQ(ids.nr, 3);
	CHECK(ids.nr == 3 && strcmp(ids.names[0], "a") == 0 && strcmp(ids.names[1], "ld") == 0 &&
	      strcmp(ids.names[2], "b") == 0);
	file_ids_release(&ids);

	recorder_init(&r, &shape, 0, NS_PER_S);
	summary_add(&r.page_locks.files[1].wait, 2000); /* file 1, ld: 2 us */
	summary_add(&r.page_locks.all.wait, 2000);
	summary_add(&r.page_locks.files[3].hold, 3000); /* the swap cache's: 3 us */
	r.memcgs.cg[0].oom_waits = 4;
	r.faults.mm[1].major = 5;
	r.swap.readahead_pages = 6;
	r.page_locks.all.acquisitions = 7;
	m = output_metrics(&s, &r, 0);
	CHECK(json_real_value(json_dotted_get(m, "page_lock.files.ld.wait_us.max")) == 2.0);
	CHECK(json_real_value(json_dotted_get(m, "page_lock.files.a.wait_us.max")) == 0.0);
	CHECK(json_real_value(json_dotted_get(m, "page_lock.swap.hold_us.mean")) == 3.0);
	CHECK_EQ(json_object_size(json_dotted_get(m, "page_lock.files")), 3);
	CHECK_EQ(json_integer_value(json_dotted_get(m, "memcg.build.oom_waits")), 4);
	CHECK_EQ(json_integer_value(json_dotted_get(m, "processes.Q.faults.major")), 5);
	CHECK_EQ(json_integer_value(json_dotted_get(m, "swap.readahead_pages")), 6);
	CHECK_EQ(json_integer_value(json_dotted_get(m, "page_lock.acquisitions")), 7);
	CHECK_EQ(json_integer_value(json_dotted_get(m, "page_lock.waits")), 1);
	/* every metric of the issue, each summary with its six statistics */
	static const char *const paths[] = {
		"page_lock.wait_us",         "page_lock.hold_us",
		"page_lock.files.a.hold_us", "page_lock.files.b.wait_us",
		"page_lock.swap.wait_us",    "memcg.build.charge_latency_us",
		"swap.latency_us",           "processes.P.faults.latency_us",
	};
	static const char *const stats[] = { "mean", "p50", "p90", "p99", "p999", "max" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		v = json_dotted_get(m, paths[i]);
		CHECK(json_is_object(v) && json_object_size(v) == 6);
		for (size_t j = 0; v && j < sizeof(stats) / sizeof(*stats); j++)
			CHECK(json_is_real(json_object_get(v, stats[j])));
	}
	static const char *const counts[] = {
		"memcg.build.charges",
		"memcg.build.reclaims",
		"memcg.build.oom_kills",
		"memcg.build.failed",
		"swap.ins",
		"processes.P.faults.minor",
		"processes.P.faults.retries",
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++)
		CHECK(json_is_integer(json_dotted_get(m, counts[i])));
	json_decref(m);
	recorder_release(&r);
}

/*
 * mmap_sem.{read,write}.by_site.<site>: every site of lock_site_names (0
 * acquisitions included), for all processes only; the totals are unchanged.
 */
static void results_name_lock_sites(void)
{
	struct mapping_config pm[] = { { .name = "heap", .kind = MAPPING_ANON } };
	struct process_config procs[] = {
		{ .name = proc_p, .count = 1, .cgroup = -1, .maps = pm, .nr_maps = 1 },
	};
	struct scenario s = { .duration_s = 1, .procs = procs, .nr_procs = 1 };
	struct recorder_shape shape = { .nr_mms = 1 };
	struct recorder r;
	json_t *m;

	recorder_init(&r, &shape, 0, NS_PER_S);
	/* recorded per process and site, summed up by recorder_totals() */
	CHECK(r.locks.all.sites != NULL && r.locks.mm[0].sites != NULL);
	summary_add(&r.locks.all.wait[LOCK_READ], 4000);
	summary_add(&r.locks.all.sites[SITE_FAULT_RETRY].wait[LOCK_READ], 4000);
	summary_add(&r.locks.all.sites[SITE_FAULT_RETRY].hold[LOCK_READ], 9000);
	m = output_metrics(&s, &r, 0);
	for (int site = 0; site < SITE_COUNT; site++) {
		for (int mode = 0; mode < 2; mode++) {
			char path[128];
			json_t *v;

			snprintf(path, sizeof(path), "mmap_sem.%s.by_site.%s",
			         mode == LOCK_READ ? "read" : "write", lock_site_names[site]);
			v = json_dotted_get(m, path);
			CHECK(json_is_object(v) && json_object_size(v) == 3);
			CHECK_EQ(json_integer_value(json_object_get(v, "acquisitions")),
			         site == SITE_FAULT_RETRY && mode == LOCK_READ);
		}
	}
	CHECK(json_real_value(
	              json_dotted_get(m, "mmap_sem.read.by_site.fault_retry.wait_us.max")) == 4.0);
	CHECK(json_real_value(
	              json_dotted_get(m, "mmap_sem.read.by_site.fault_retry.hold_us.mean")) == 9.0);
	CHECK(json_real_value(json_dotted_get(m, "mmap_sem.read.wait_us.max")) == 4.0);
	CHECK_EQ(json_integer_value(json_dotted_get(m, "mmap_sem.read.acquisitions")), 1);
	CHECK(json_dotted_get(m, "processes.P.mmap_sem.read.acquisitions") != NULL);
	CHECK(json_dotted_get(m, "processes.P.mmap_sem.read.by_site") == NULL);
	json_decref(m);
	recorder_release(&r);
}

/* Every family documents what it outputs: the README's table of metrics is their rows. */
static void every_family_documents_its_metrics(void)
{
	for (const struct metric_family *const *f = metric_families; *f; f++) {
		CHECK((*f)->docs && (*f)->docs[0].metric);
		for (const struct metric_doc *d = (*f)->docs; d && d->metric; d++)
			CHECK(d->meaning && *d->meaning);
	}
}

int main(void)
{
	TEST(page_lock_records_grants_holds_and_waits);
	TEST(page_lock_records_respect_the_warmup);
	TEST(fault_memcg_swap_records_after_warmup);
	TEST(results_name_files_cgroups_and_processes);
	TEST(results_name_lock_sites);
	TEST(every_family_documents_its_metrics);
	pagecache_release(&pc);
	return harness_failures != 0;
}
