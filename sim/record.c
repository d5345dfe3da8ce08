/* record.c - folding the models' records into summaries (after the warm-up). */
#include "sim/engine.h"
#include "sim/record.h"
#include "sim/util.h"

static void lock_stats_init(struct lock_stats *l)
{
	for (int m = 0; m < 2; m++) {
		summary_init(&l->wait[m]);
		summary_init(&l->hold[m]);
	}
}

static void lock_stats_release(struct lock_stats *l)
{
	for (int m = 0; m < 2; m++) {
		summary_release(&l->wait[m]);
		summary_release(&l->hold[m]);
	}
}

void recorder_init(struct recorder *r, unsigned nr_groups, unsigned nr_mms, sim_ns warmup_ns,
		   sim_ns end_ns)
{
	*r = (struct recorder){ .warmup_ns = warmup_ns, .end_ns = end_ns,
				.nr_groups = nr_groups, .nr_mms = nr_mms };
	r->groups = xcalloc(nr_groups, sizeof(*r->groups));
	for (unsigned i = 0; i < nr_groups; i++)
		summary_init(&r->groups[i].latency);
	r->mm_locks = xcalloc(nr_mms, sizeof(*r->mm_locks));
	for (unsigned i = 0; i < nr_mms; i++)
		lock_stats_init(&r->mm_locks[i]);
	lock_stats_init(&r->all_locks);
	summary_init(&r->faults.latency);
	summary_init(&r->disk.latency);
	r->disk.last_change = warmup_ns;
}

void recorder_release(struct recorder *r)
{
	for (unsigned i = 0; i < r->nr_groups; i++)
		summary_release(&r->groups[i].latency);
	for (unsigned i = 0; i < r->nr_mms; i++)
		lock_stats_release(&r->mm_locks[i]);
	lock_stats_release(&r->all_locks);
	summary_release(&r->faults.latency);
	summary_release(&r->disk.latency);
	free(r->groups);
	free(r->mm_locks);
}

static struct recorder *record_get(struct task *t, sim_ns when)
{
	struct record_ctx *c = task_owner(t);

	return when >= c->rec->warmup_ns ? c->rec : NULL;
}

void record_lock_grant(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns request,
		       sim_ns grant)
{
	struct recorder *r = record_get(t, grant);

	(void)site;
	if (!r)
		return;
	summary_add(&r->mm_locks[mm_id].wait[mode], grant - request);
	summary_add(&r->all_locks.wait[mode], grant - request);
}

void record_lock_release(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns grant)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	(void)site;
	if (!r)
		return;
	summary_add(&r->mm_locks[mm_id].hold[mode], now - grant);
	summary_add(&r->all_locks.hold[mode], now - grant);
}

void record_fault(struct task *t, int mm_id, bool major, int retries, sim_ns start)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	(void)mm_id;
	if (!r)
		return;
	if (major)
		r->faults.major++;
	else
		r->faults.minor++;
	r->faults.retries += (uint64_t)retries;
	summary_add(&r->faults.latency, now - start);
}

/* Integrate the number of requests in the device up to @now. */
static void record_disk_level(struct recorder *r, sim_ns now, int in_device)
{
	if (now > r->warmup_ns) {
		sim_ns from = r->disk.last_change > r->warmup_ns ? r->disk.last_change : r->warmup_ns;

		r->disk.area_ns += (double)(now - from) * r->disk.in_device;
		r->disk.busy_ns += r->disk.in_device > 0 ? (double)(now - from) : 0;
		r->disk.last_change = now;
	}
	r->disk.in_device = in_device;
}

void record_disk_submit(struct task *t, int in_device)
{
	struct record_ctx *c = task_owner(t);

	record_disk_level(c->rec, task_now(t), in_device);
}

void record_disk_complete(struct task *t, int in_device, sim_ns submit, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = c->rec;
	sim_ns now = task_now(t);

	(void)start;
	record_disk_level(r, now, in_device);
	if (now < r->warmup_ns)
		return;
	r->disk.requests++;
	summary_add(&r->disk.latency, now - submit);
}

void record_iteration(struct task *t, sim_ns busy_ns)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	r->groups[c->group].ops++;
	summary_add(&r->groups[c->group].latency, busy_ns);
}

void recorder_finish(struct recorder *r)
{
	record_disk_level(r, r->end_ns, r->disk.in_device);
}

/* ---- records of later models; summarised by the recorder once it has them */

void record_page_lock_grant(struct task *t, int file_id, sim_ns request, sim_ns grant)
{
	(void)t, (void)file_id, (void)request, (void)grant;
}

void record_page_lock_release(struct task *t, int file_id, sim_ns grant)
{
	(void)t, (void)file_id, (void)grant;
}

void record_page_wait(struct task *t, int file_id, sim_ns request, sim_ns end)
{
	(void)t, (void)file_id, (void)request, (void)end;
}

void record_memcg_charge(struct task *t, int cg_id, sim_ns start, unsigned reclaims,
			 bool oom_wait, bool oom_kill, bool charged)
{
	(void)t, (void)cg_id, (void)start, (void)reclaims, (void)oom_wait, (void)oom_kill,
		(void)charged;
}

void record_swapin(struct task *t, sim_ns start, unsigned readahead_pages)
{
	(void)t, (void)start, (void)readahead_pages;
}
