/* record.c - folding the models' records into summaries (after the warm-up). */
#include <assert.h>

#include "models/swap.h"
#include "sim/engine.h"
#include "sim/record.h"
#include "sim/util.h"

static void lock_stats_init(struct lock_stats *l)
{
	l->sites = NULL;
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
	for (int i = 0; l->sites && i < SITE_COUNT; i++) {
		for (int m = 0; m < 2; m++) {
			summary_release(&l->sites[i].wait[m]);
			summary_release(&l->sites[i].hold[m]);
		}
	}
	free(l->sites);
	l->sites = NULL;
}

/* Each process's stats by call site: what is recorded; the rest is derived from it. */
static void lock_stats_init_sites(struct lock_stats *l)
{
	l->sites = xcalloc(SITE_COUNT, sizeof(*l->sites));
	for (int i = 0; i < SITE_COUNT; i++) {
		for (int m = 0; m < 2; m++) {
			summary_init(&l->sites[i].wait[m]);
			summary_init(&l->sites[i].hold[m]);
		}
	}
}

static struct lock_site_stats *lock_site(struct lock_stats *l, int site)
{
	assert(site >= 0 && site < SITE_COUNT);
	return &l->sites[site];
}

static void page_lock_stats_init(struct page_lock_stats *l)
{
	l->acquisitions = 0;
	summary_init(&l->wait);
	summary_init(&l->hold);
}

static void page_lock_stats_release(struct page_lock_stats *l)
{
	summary_release(&l->wait);
	summary_release(&l->hold);
}

static void fault_stats_init(struct fault_stats *f)
{
	*f = (struct fault_stats){ 0 };
	summary_init(&f->latency);
}

void recorder_init(struct recorder *r, const struct recorder_shape *shape, sim_ns warmup_ns,
		   sim_ns end_ns)
{
	*r = (struct recorder){ .warmup_ns = warmup_ns, .end_ns = end_ns,
				.nr_groups = shape->nr_groups, .nr_mms = shape->nr_mms,
				.nr_files = shape->nr_files, .nr_memcgs = shape->nr_memcgs,
				.nr_threads = shape->nr_threads,
				.starved_ns = shape->starved_ns };
	/* calloc: every summary and integral starts empty (summary_init is all zeroes) */
	r->groups = xcalloc(r->nr_groups, sizeof(*r->groups));
	r->threads = xcalloc(r->nr_threads ? r->nr_threads : 1, sizeof(*r->threads));
	r->mm_locks = xcalloc(r->nr_mms, sizeof(*r->mm_locks));
	r->mm_faults = xcalloc(r->nr_mms, sizeof(*r->mm_faults));
	for (unsigned i = 0; i < r->nr_mms; i++) {
		lock_stats_init(&r->mm_locks[i]);
		lock_stats_init_sites(&r->mm_locks[i]);
		fault_stats_init(&r->mm_faults[i]);
	}
	lock_stats_init(&r->all_locks);
	lock_stats_init_sites(&r->all_locks);
	fault_stats_init(&r->faults);
	page_lock_stats_init(&r->page_locks);
	r->file_locks = xcalloc(r->nr_files + 1, sizeof(*r->file_locks));
	for (unsigned i = 0; i <= r->nr_files; i++)
		page_lock_stats_init(&r->file_locks[i]);
	r->memcgs = xcalloc(r->nr_memcgs, sizeof(*r->memcgs));
	for (unsigned i = 0; i < r->nr_memcgs; i++)
		summary_init(&r->memcgs[i].latency);
	summary_init(&r->swap.latency);
	summary_init(&r->mlock.duration);
	summary_init(&r->rwsem.spin);
}

void recorder_release(struct recorder *r)
{
	for (unsigned i = 0; i < r->nr_groups; i++) {
		summary_release(&r->groups[i].latency);
		summary_release(&r->groups[i].response);
		summary_release(&r->groups[i].lock_wait);
	}
	for (int d = 0; d < DISK_DEVICES; d++) {
		summary_release(&r->devices[d].latency);
		summary_release(&r->devices[d].service);
	}
	summary_release(&r->rwsem.spin);
	free(r->threads);
	for (unsigned i = 0; i < r->nr_mms; i++) {
		lock_stats_release(&r->mm_locks[i]);
		summary_release(&r->mm_faults[i].latency);
	}
	lock_stats_release(&r->all_locks);
	summary_release(&r->faults.latency);
	page_lock_stats_release(&r->page_locks);
	for (unsigned i = 0; i <= r->nr_files; i++)
		page_lock_stats_release(&r->file_locks[i]);
	for (unsigned i = 0; i < r->nr_memcgs; i++)
		summary_release(&r->memcgs[i].latency);
	summary_release(&r->swap.latency);
	summary_release(&r->mlock.duration);
	free(r->groups);
	free(r->mm_locks);
	free(r->mm_faults);
	free(r->file_locks);
	free(r->memcgs);
}

/* The swap cache's stats follow the files'. */
static unsigned file_slot(const struct recorder *r, int file_id)
{
	if (file_id == SWAP_FILE_ID)
		return r->nr_files;
	assert(file_id >= 0 && (unsigned)file_id < r->nr_files);
	return (unsigned)file_id;
}

const struct page_lock_stats *recorder_file_locks(const struct recorder *r, int file_id)
{
	return &r->file_locks[file_slot(r, file_id)];
}

static struct recorder *record_get(struct task *t, sim_ns when)
{
	struct record_ctx *c = task_owner(t);

	return when >= c->rec->warmup_ns ? c->rec : NULL;
}

/* Integrates @l up to @now (from the warm-up on), then adds @delta. */
static void level_change(struct level_integral *l, const struct recorder *r, sim_ns now,
			 long delta)
{
	if (now > r->warmup_ns) {
		sim_ns from = l->last > r->warmup_ns ? l->last : r->warmup_ns;

		if (!l->started) {
			l->level_start = l->level;
			l->started = true;
		}
		l->area_ns += (double)(now - from) * (double)l->level;
	}
	if (now > l->last)
		l->last = now;
	l->level += delta;
}

void record_lock_grant(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns request,
		       sim_ns grant)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, grant);
	sim_ns wait = grant - request;

	if (!r)
		return;
	summary_add(&lock_site(&r->mm_locks[mm_id], site)->wait[mode], wait);
	if (c->group >= 0)
		summary_add(&r->groups[c->group].lock_wait, wait);
	if (c->thread >= 0) {
		r->threads[c->thread].wait_ns += (double)wait;
		r->threads[c->thread].acquisitions++;
	}
	r->starved += wait > r->starved_ns;
}

void record_rwsem_event(struct task *t, int mm_id, enum rwsem_event ev, sim_ns ns)
{
	struct recorder *r = record_get(t, task_now(t));

	(void)mm_id;
	if (!r)
		return;
	switch (ev) {
	case RWSEM_EV_STEAL:
		r->rwsem.steals++;
		break;
	case RWSEM_EV_HANDOFF:
		r->rwsem.handoffs++;
		break;
	case RWSEM_EV_SPIN_WON:
		r->rwsem.spins_won++;
		/* fall through */
	case RWSEM_EV_SPIN:
		summary_add(&r->rwsem.spin, ns);
		break;
	}
}

void record_lock_release(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns grant)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	summary_add(&lock_site(&r->mm_locks[mm_id], site)->hold[mode], now - grant);
}

static void fault_stats_add(struct fault_stats *f, bool major, int retries, sim_ns latency)
{
	if (major)
		f->major++;
	else
		f->minor++;
	f->retries += (uint64_t)retries;
	summary_add(&f->latency, latency);
}

void record_vma_lock(struct task *t, int mm_id, enum vma_lock_outcome outcome)
{
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	assert(mm_id >= 0 && (unsigned)mm_id < r->nr_mms);
	r->mm_faults[mm_id].vma_lock[outcome]++;
}

void record_fault(struct task *t, int mm_id, bool major, int retries, sim_ns start)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	assert(mm_id >= 0 && (unsigned)mm_id < r->nr_mms);
	fault_stats_add(&r->mm_faults[mm_id], major, retries, now - start);
}

/* The requests in @d are @in_device from @now on. */
static void device_level(struct device_stats *d, const struct recorder *r, sim_ns now,
			 int in_device)
{
	level_change(&d->in_device, r, now, in_device - d->in_device.level);
	level_change(&d->busy, r, now, (in_device > 0) - d->busy.level);
}

static struct device_stats *record_device(struct recorder *r, int device)
{
	assert(device >= 0 && device < DISK_DEVICES);
	return &r->devices[device];
}

void record_disk_submit(struct task *t, int device, int in_device)
{
	struct record_ctx *c = task_owner(t);
	struct device_stats *d = record_device(c->rec, device);
	sim_ns now = task_now(t);

	device_level(d, c->rec, now, in_device);
	d->submitted += now >= c->rec->warmup_ns;
}

void record_disk_complete(struct task *t, int device, int in_device, sim_ns submit, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = c->rec;
	struct device_stats *d = record_device(r, device);
	sim_ns now = task_now(t);

	device_level(d, r, now, in_device);
	if (now < r->warmup_ns)
		return;
	d->requests++;
	summary_add(&d->latency, now - submit);
	summary_add(&d->service, now - start);
}

void record_iteration(struct task *t, sim_ns busy_ns, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, task_now(t));

	if (c->rec->series) /* MSER-5 pilot: the whole series, warm-up included */
		mser_series_add(c->rec->series, (double)busy_ns, task_now(t));
	if (!r)
		return;
	r->groups[c->group].ops++;
	summary_add(&r->groups[c->group].latency, busy_ns);
	summary_add(&r->groups[c->group].response, task_now(t) - start);
}

void record_arrival(struct task *t, bool dropped)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	r->groups[c->group].arrivals++;
	r->groups[c->group].dropped += dropped;
}

/*
 * The totals, merged from what was recorded once per event: each process's
 * locks by call site give the process's, every process's and every site's;
 * the files' page locks the overall ones; the processes' faults all faults.
 * (Durations are whole ns, summed exactly, so merging gives the same numbers
 * as adding every value everywhere.)
 */
void recorder_totals(struct recorder *r)
{
	for (unsigned i = 0; i < r->nr_mms; i++) {
		struct lock_stats *l = &r->mm_locks[i];

		for (int site = 0; site < SITE_COUNT; site++) {
			for (int m = 0; m < 2; m++) {
				summary_merge(&l->wait[m], &l->sites[site].wait[m]);
				summary_merge(&l->hold[m], &l->sites[site].hold[m]);
				summary_merge(&r->all_locks.sites[site].wait[m], &l->sites[site].wait[m]);
				summary_merge(&r->all_locks.sites[site].hold[m], &l->sites[site].hold[m]);
			}
		}
		for (int m = 0; m < 2; m++) {
			summary_merge(&r->all_locks.wait[m], &l->wait[m]);
			summary_merge(&r->all_locks.hold[m], &l->hold[m]);
		}
		r->faults.major += r->mm_faults[i].major;
		r->faults.minor += r->mm_faults[i].minor;
		r->faults.retries += r->mm_faults[i].retries;
		for (int o = 0; o < VMA_LOCK_OUTCOMES; o++)
			r->faults.vma_lock[o] += r->mm_faults[i].vma_lock[o];
		summary_merge(&r->faults.latency, &r->mm_faults[i].latency);
	}
	for (unsigned f = 0; f <= r->nr_files; f++) {
		r->page_locks.acquisitions += r->file_locks[f].acquisitions;
		summary_merge(&r->page_locks.wait, &r->file_locks[f].wait);
		summary_merge(&r->page_locks.hold, &r->file_locks[f].hold);
	}
}

void recorder_lock_levels(struct recorder *r, const double start_area[3], const long start_value[3],
			  const double end_area[3], const long end_value[3])
{
	struct level_integral *l[3] = { &r->lock_waiting, &r->lock_readers, &r->lock_writers };

	for (int i = 0; i < 3; i++)
		*l[i] = (struct level_integral){ .level = end_value[i], .last = r->end_ns,
						 .area_ns = end_area[i] - start_area[i],
						 .level_start = start_value[i], .started = true };
}

void recorder_finish(struct recorder *r)
{
	for (int d = 0; d < DISK_DEVICES; d++) {
		device_level(&r->devices[d], r, r->end_ns, (int)r->devices[d].in_device.level);
	}
	recorder_totals(r);
}

/* ---- page locks, memory cgroups, swap */

void record_page_lock_grant(struct task *t, int file_id, sim_ns request, sim_ns grant)
{
	struct recorder *r = record_get(t, grant);
	struct page_lock_stats *f;

	if (!r)
		return;
	f = &r->file_locks[file_slot(r, file_id)];
	f->acquisitions++;
	summary_add(&f->wait, grant - request);
}

void record_page_lock_release(struct task *t, int file_id, sim_ns grant)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	summary_add(&r->file_locks[file_slot(r, file_id)].hold, now - grant);
}

void record_page_wait(struct task *t, int file_id, sim_ns request, sim_ns end)
{
	struct recorder *r = record_get(t, end);

	if (!r)
		return;
	summary_add(&r->file_locks[file_slot(r, file_id)].wait, end - request);
}

void record_memcg_charge(struct task *t, int cg_id, sim_ns start, unsigned reclaims,
			 bool oom_wait, bool oom_kill, bool charged)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);
	struct memcg_stats *m;

	if (!r)
		return;
	assert(cg_id >= 0 && (unsigned)cg_id < r->nr_memcgs);
	m = &r->memcgs[cg_id];
	m->charges++;
	m->reclaims += reclaims;
	m->oom_waits += oom_wait;
	m->oom_kills += oom_kill;
	m->failed += !charged;
	summary_add(&m->latency, now - start);
}

void record_swapin(struct task *t, sim_ns start, unsigned readahead_pages)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	r->swap.ins++;
	r->swap.readahead_pages += readahead_pages;
	summary_add(&r->swap.latency, now - start);
}

void record_mlock(struct task *t, sim_ns start, unsigned pages)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	r->mlock.calls++;
	r->mlock.pages += pages;
	summary_add(&r->mlock.duration, now - start);
}

void record_kvm_busy(struct task *t, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	sim_ns now = task_now(t), from = start > c->rec->warmup_ns ? start : c->rec->warmup_ns;

	if (now > from)
		c->rec->kvm.busy_ns += (double)(now - from);
}

void record_kvm_guest_op(struct task *t)
{
	struct recorder *r = record_get(t, task_now(t));

	if (r)
		r->kvm.guest_ops++;
}

void record_kvm_apf(struct task *t, bool ready)
{
	struct recorder *r = record_get(t, task_now(t));

	if (!r)
		return;
	if (ready)
		r->kvm.apf_ready++;
	else
		r->kvm.apf_injected++;
}

void recorder_blocked_at_end(struct record_ctx *ctx, sim_ns since)
{
	struct recorder *r = ctx->rec;

	if (ctx->group < 0) /* the devices idle waiting for requests */
		return;
	r->groups[ctx->group].blocked++;
	if (r->end_ns - since > r->groups[ctx->group].blocked_max_ns)
		r->groups[ctx->group].blocked_max_ns = r->end_ns - since;
}
