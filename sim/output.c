/*
 * output.c - results.json, the distribution files and summary.csv.
 *
 * results.json holds no wall-clock time or date: the same scenario and seed
 * give the same bytes. Durations are reported in microseconds.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/engine.h> /* version.h needs its declarations */
#include <simgrid/version.h>

#include "models/rwsem.h"
#include "models/swap.h"
#include "models/thread.h"
#include "sim/output.h"
#include "sim/results.h"
#include "sim/util.h"

static const char *const mode_names[2] = { "read", "write" };

/* Sets @path (dotted) in @root to @v (stolen), creating objects. */
static void metric_set(json_t *root, const char *path, json_t *v)
{
	char *p = xstrdup(path), *s = p, *dot;
	json_t *cur = root;

	while ((dot = strchr(s, '.'))) {
		json_t *next;

		*dot = '\0';
		next = json_object_get(cur, s);
		if (!next) {
			next = json_object();
			json_object_set_new(cur, s, next);
		}
		cur = next;
		s = dot + 1;
	}
	json_object_set_new(cur, s, v);
	free(p);
}

static json_t *summary_json(const struct summary *s)
{
	static const double q[4] = { 0.5, 0.9, 0.99, 0.999 };
	double v[4];

	summary_quantiles(s, q, v, 4);
	return json_pack("{sf sf sf sf sf sf}", "mean", summary_mean(s) / 1e3, "p50", v[0] / 1e3,
			 "p90", v[1] / 1e3, "p99", v[2] / 1e3, "p999", v[3] / 1e3, "max",
			 (double)s->max_ns / 1e3);
}

/* With @by_site (all processes only: the per-process columns stay few), .by_site.<site> too. */
static void lock_metrics(json_t *m, const char *prefix, const struct lock_stats *l, bool by_site)
{
	for (int mode = 0; mode < 2; mode++) {
		char *p = xasprintf("%s.%s", prefix, mode_names[mode]);
		json_t *o = json_object();

		json_object_set_new(o, "acquisitions", json_integer((json_int_t)l->wait[mode].count));
		json_object_set_new(o, "wait_us", summary_json(&l->wait[mode]));
		json_object_set_new(o, "hold_us", summary_json(&l->hold[mode]));
		metric_set(m, p, o);
		free(p);
	}
	/* .by_site.<site>: every call site, 0 acquisitions included (the same columns in each point) */
	for (int site = 0; by_site && site < SITE_COUNT; site++) {
		for (int mode = 0; mode < 2; mode++) {
			const struct lock_site_stats *st = &l->sites[site];
			char *p = xasprintf("%s.%s.by_site.%s", prefix, mode_names[mode],
					    lock_site_names[site]);

			metric_set(m, p, json_pack("{sI so so}", "acquisitions",
						   (json_int_t)st->wait[mode].count, "wait_us",
						   summary_json(&st->wait[mode]), "hold_us",
						   summary_json(&st->hold[mode])));
			free(p);
		}
	}
}

/* The file a mapping maps, or NULL (anonymous memory). */
static const char *mapping_file(const struct mapping_config *mc)
{
	return mc->kind != MAPPING_FILE ? NULL : mc->file ? mc->file : mc->name;
}

/* Whether mapping @m of process @p is the first (in mm_init's order) of its file. */
static bool file_first_use(const struct scenario *s, unsigned p, unsigned m)
{
	const char *name = mapping_file(&s->procs[p].maps[m]);

	for (unsigned q = 0; q <= p; q++) {
		unsigned before = q < p ? s->procs[q].nr_maps : m;

		for (unsigned n = 0; s->procs[q].count && n < before; n++) {
			const char *other = mapping_file(&s->procs[q].maps[n]);

			if (other && strcmp(other, name) == 0)
				return false;
		}
	}
	return true;
}

/*
 * The files in mm_init's order (processes with their mappings, in scenario
 * order): the name of file @id (NULL past the last), and *@nr the number of
 * files up to it.
 */
static const char *scenario_file(const struct scenario *s, unsigned id, unsigned *nr)
{
	*nr = 0;
	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned m = 0; s->procs[p].count && m < s->procs[p].nr_maps; m++)
			if (mapping_file(&s->procs[p].maps[m]) && file_first_use(s, p, m) &&
			    (*nr)++ == id)
				return mapping_file(&s->procs[p].maps[m]);
	return NULL;
}

unsigned output_nr_files(const struct scenario *s)
{
	unsigned nr;

	scenario_file(s, UINT_MAX, &nr);
	return nr;
}

const char *output_file_name(const struct scenario *s, unsigned id)
{
	unsigned nr;

	return scenario_file(s, id, &nr);
}

struct recorder_shape output_recorder_shape(const struct scenario *s)
{
	return (struct recorder_shape){ .nr_groups = s->nr_groups,
					.nr_mms = s->nr_procs,
					.nr_files = output_nr_files(s),
					.nr_memcgs = s->nr_cgroups };
}

static json_t *page_lock_json(const struct page_lock_stats *l)
{
	return json_pack("{so so}", "wait_us", summary_json(&l->wait), "hold_us",
			 summary_json(&l->hold));
}

static json_t *fault_json(const struct fault_stats *f)
{
	return json_pack("{sI sI sI so s{sI sI sI}}", "major", (json_int_t)f->major, "minor",
			 (json_int_t)f->minor, "retries", (json_int_t)f->retries, "latency_us",
			 summary_json(&f->latency), "vma_lock", "success",
			 (json_int_t)f->vma_lock[VMA_LOCK_SUCCESS], "retry",
			 (json_int_t)f->vma_lock[VMA_LOCK_RETRY], "abort",
			 (json_int_t)f->vma_lock[VMA_LOCK_ABORT]);
}

/* page_lock.*: all page locks, per file, and the swap cache's. */
static void page_lock_metrics(json_t *m, const struct scenario *s, const struct recorder *r)
{
	json_t *all = page_lock_json(&r->page_locks);

	json_object_set_new(all, "acquisitions",
			    json_integer((json_int_t)r->page_locks.acquisitions));
	json_object_set_new(all, "waits", json_integer((json_int_t)r->page_locks.wait.count));
	metric_set(m, "page_lock", all);
	for (unsigned f = 0; f < r->nr_files; f++) {
		const char *name = output_file_name(s, f);
		char *path = name ? xasprintf("page_lock.files.%s", name)
				  : xasprintf("page_lock.files.file%u", f); /* not reached */

		metric_set(m, path, page_lock_json(recorder_file_locks(r, (int)f)));
		free(path);
	}
	metric_set(m, "page_lock.swap", page_lock_json(recorder_file_locks(r, SWAP_FILE_ID)));
}

static void memcg_metrics(json_t *m, const struct scenario *s, const struct recorder *r)
{
	for (unsigned i = 0; i < r->nr_memcgs && i < s->nr_cgroups; i++) {
		const struct memcg_stats *c = &r->memcgs[i];
		char *path = xasprintf("memcg.%s", s->cgroups[i].name);
		json_t *o = json_pack("{sI sI sI sI sI so}", "charges", (json_int_t)c->charges,
				      "reclaims", (json_int_t)c->reclaims, "oom_kills",
				      (json_int_t)c->oom_kills, "oom_waits",
				      (json_int_t)c->oom_waits, "failed", (json_int_t)c->failed,
				      "charge_latency_us", summary_json(&c->latency));

		metric_set(m, path, o);
		free(path);
	}
}

/* vCPUs: the threads whose loop has a guest op. */
static unsigned output_nr_vcpus(const struct scenario *s)
{
	unsigned n = 0;
	int guest;

	if (!thread_op_find("guest", &guest))
		return 0;
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++) {
			const struct thread_group_config *g = &s->procs[p].groups[i];

			for (unsigned o = 0; o < g->nr_ops; o++) {
				if (g->loop[o].op == guest) {
					n += g->count;
					break;
				}
			}
		}
	}
	return n;
}

static json_t *device_json(const struct device_stats *d, double window_s)
{
	return json_pack("{sI sf sf so so}", "requests", (json_int_t)d->requests, "utilization",
			 d->busy.area_ns / (window_s * 1e9), "queue_len_mean",
			 d->in_device.area_ns / (window_s * 1e9), "latency_us", summary_json(&d->latency),
			 "service_us", summary_json(&d->service));
}

/* What the rwsem policy did besides FIFO grants, all processes (docs/kernel-model.md#rwsem). */
static void rwsem_policy_metrics(json_t *m, const struct recorder *r)
{
	metric_set(m, "mmap_sem.policy",
		   json_pack("{sI sI sI sI so sf}", "steals", (json_int_t)r->rwsem.steals, "handoffs",
			     (json_int_t)r->rwsem.handoffs, "spins", (json_int_t)r->rwsem.spin.count,
			     "spins_won", (json_int_t)r->rwsem.spins_won, "spin_us",
			     summary_json(&r->rwsem.spin), "spin_total_us", r->rwsem.spin.sum_ns / 1e3));
}

/*
 * Jain's index of the threads' mean mmap_sem wait per acquisition (threads
 * that acquired it at least once): 1 when every thread waits as long on
 * average, 1/n when one thread does all the waiting; 1 when nobody waits.
 */
static double fairness_jain(const struct recorder *r)
{
	double sum = 0, sum2 = 0;
	unsigned n = 0;

	for (unsigned i = 0; i < r->nr_threads; i++) {
		double x;

		if (!r->threads[i].acquisitions)
			continue;
		x = r->threads[i].wait_ns / (double)r->threads[i].acquisitions;
		sum += x;
		sum2 += x * x;
		n++;
	}
	return sum2 > 0 ? sum * sum / (n * sum2) : 1.0;
}

static void fairness_metrics(json_t *m, const struct recorder *r)
{
	sim_ns max = r->all_locks.wait[LOCK_READ].max_ns > r->all_locks.wait[LOCK_WRITE].max_ns
			     ? r->all_locks.wait[LOCK_READ].max_ns
			     : r->all_locks.wait[LOCK_WRITE].max_ns;

	metric_set(m, "fairness", json_pack("{sf sf sI}", "jain_index", fairness_jain(r),
					    "max_wait_us", (double)max / 1e3, "starved",
					    (json_int_t)r->starved));
}

/* A law checked on the run: @lhs (measured as a time average) against @rhs (rate x mean). */
static json_t *check_json(const char *lhs_name, double lhs, const char *rhs_name, double rhs)
{
	double big = fmax(lhs, rhs);

	return json_pack("{sf sf sf}", lhs_name, lhs, rhs_name, rhs, "rel_error",
			 big > 0 ? fabs(lhs - rhs) / big : 0.0);
}

/* A queue whose backlog grew over the run never reached a steady state. */
static bool saturated(const struct level_integral *l, uint64_t served)
{
	long growth = l->level - l->level_start;

	return growth > 10 && (double)growth > 0.01 * (double)served;
}

static json_t *saturation_json(const struct level_integral *l, uint64_t served, double offered)
{
	/* the levels at both ends bound what Little's law may miss: the work in progress there */
	json_t *o = json_pack("{sI sI sI sI}", "backlog_growth", (json_int_t)(l->level - l->level_start),
			      "saturated", (json_int_t)saturated(l, served), "level_start",
			      (json_int_t)l->level_start, "level_end", (json_int_t)l->level);

	if (offered >= 0)
		json_object_set_new(o, "offered_load", json_real(offered));
	return o;
}

static double device_offered_load(const struct device_stats *d, double window_s)
{
	return d->service.count ? (double)d->submitted / (window_s * 1e9) * d->service.sum_ns /
					  (double)d->service.count
				: 0.0;
}

/*
 * The flow of mmap_sem, all processes, per mode: holders at the warm-up's end
 * plus acquisitions must equal releases plus holders at the end. The
 * acquisitions and releases are the records of each grant and release, the
 * holders the rwsem's own count: two bookkeepings that must agree.
 */
static void flow_metrics(json_t *m, const struct recorder *r)
{
	const struct level_integral *holders[2] = { &r->lock_readers, &r->lock_writers };

	for (int mode = 0; mode < 2; mode++) {
		char *path = xasprintf("checks.flow.mmap_sem.%s", mode_names[mode]);
		const struct level_integral *h = holders[mode];

		metric_set(m, path,
			   json_pack("{sI sI sI sI}", "holders_start", (json_int_t)h->level_start,
				     "acquisitions", (json_int_t)r->all_locks.wait[mode].count,
				     "releases", (json_int_t)r->all_locks.hold[mode].count,
				     "holders_end", (json_int_t)h->level));
		free(path);
	}
}

/*
 * Self-checks of every run: Little's law (L = lambda W) for the tasks
 * waiting for mmap_sem, its readers and each device's queue; the utilisation
 * law (U = X S) for the write lock and the devices; and saturation: queues
 * whose backlog grew over the run, open groups that turned jobs away.
 */
static void check_metrics(json_t *m, const struct scenario *s, const struct recorder *r,
			  double window_s)
{
	const double T = window_s * 1e9;
	const struct lock_stats *l = &r->all_locks;
	uint64_t acq = l->wait[LOCK_READ].count + l->wait[LOCK_WRITE].count;
	json_int_t nr_saturated = saturated(&r->lock_waiting, acq);
	const char *const dev_names[DISK_DEVICES] = { "disk", "swap_device" };

	metric_set(m, "checks.little.mmap_sem_waiting",
		   check_json("L", r->lock_waiting.area_ns / T, "lambda_W",
			      (l->wait[LOCK_READ].sum_ns + l->wait[LOCK_WRITE].sum_ns) / T));
	metric_set(m, "checks.little.mmap_sem_readers",
		   check_json("L", r->lock_readers.area_ns / T, "lambda_W", l->hold[LOCK_READ].sum_ns / T));
	metric_set(m, "checks.utilization.mmap_sem_write",
		   check_json("U", r->lock_writers.area_ns / T, "X_S", l->hold[LOCK_WRITE].sum_ns / T));
	metric_set(m, "checks.saturation.mmap_sem", saturation_json(&r->lock_waiting, acq, -1));
	flow_metrics(m, r);
	for (int i = 0; i < DISK_DEVICES; i++) {
		const struct device_stats *d = &r->devices[i];
		char *path = xasprintf("checks.little.%s", dev_names[i]);

		metric_set(m, path, check_json("L", d->in_device.area_ns / T, "lambda_W", d->latency.sum_ns / T));
		free(path);
		path = xasprintf("checks.utilization.%s", dev_names[i]);
		metric_set(m, path, check_json("U", d->busy.area_ns / T, "X_S", d->service.sum_ns / T));
		free(path);
		path = xasprintf("checks.saturation.%s", dev_names[i]);
		metric_set(m, path, saturation_json(&d->in_device, d->requests, device_offered_load(d, window_s)));
		free(path);
		nr_saturated += saturated(&d->in_device, d->requests);
	}
	for (unsigned g = 0; g < r->nr_groups; g++)
		nr_saturated += r->groups[g].dropped > 0;
	(void)s;
	metric_set(m, "checks.saturated", json_integer(nr_saturated));
}

void output_warnings(const struct scenario *s, const struct recorder *r)
{
	const char *const dev_names[DISK_DEVICES] = { "the disk", "the swap device" };
	unsigned g = 0;

	if (saturated(&r->lock_waiting, r->all_locks.wait[0].count + r->all_locks.wait[1].count))
		fprintf(stderr, "mmsim: point %s: warning: %ld more tasks wait for mmap_sem at the end than after the warm-up: it is saturated, its numbers are no steady state\n",
			s->id, r->lock_waiting.level - r->lock_waiting.level_start);
	for (int i = 0; i < DISK_DEVICES; i++) {
		const struct device_stats *d = &r->devices[i];

		if (saturated(&d->in_device, d->requests))
			fprintf(stderr, "mmsim: point %s: warning: %s is saturated (offered load %.3g): %ld more requests in it at the end than after the warm-up\n",
				s->id, dev_names[i], device_offered_load(d, s->duration_s - s->warmup_s),
				d->in_device.level - d->in_device.level_start);
	}
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++, g++)
			if (r->groups[g].dropped)
				fprintf(stderr, "mmsim: point %s: warning: group %s turned away %llu of %llu jobs (max_jobs %u in the system): it is saturated\n",
					s->id, s->procs[p].groups[i].name,
					(unsigned long long)r->groups[g].dropped,
					(unsigned long long)r->groups[g].arrivals, s->procs[p].groups[i].max_jobs);
	}
}

json_t *output_metrics(const struct scenario *s, const struct recorder *r, uint64_t events)
{
	json_t *m = json_object();
	double window_s = s->duration_s - s->warmup_s;
	unsigned g = 0;

	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++, g++) {
			json_t *o = json_object();
			char *path = xasprintf("threads.%s", s->procs[p].groups[i].name);

			json_object_set_new(o, "ops", json_integer((json_int_t)r->groups[g].ops));
			json_object_set_new(o, "ops_per_s", json_real((double)r->groups[g].ops / window_s));
			json_object_set_new(o, "op_latency_us", summary_json(&r->groups[g].latency));
			json_object_set_new(o, "response_us", summary_json(&r->groups[g].response));
			json_object_set_new(o, "mmap_sem_wait_us", summary_json(&r->groups[g].lock_wait));
			json_object_set_new(o, "arrivals", json_integer((json_int_t)r->groups[g].arrivals));
			json_object_set_new(o, "dropped", json_integer((json_int_t)r->groups[g].dropped));
			/* a live-lock shows here: no op completes, so op_latency_us stays empty */
			json_object_set_new(o, "blocked_at_end", json_integer(r->groups[g].blocked));
			json_object_set_new(o, "blocked_at_end_max_us",
					    json_real((double)r->groups[g].blocked_max_ns / 1e3));
			metric_set(m, path, o);
			free(path);
		}
	}
	lock_metrics(m, "mmap_sem", &r->all_locks, true);
	for (unsigned p = 0; p < s->nr_procs; p++) {
		char *path = xasprintf("processes.%s.mmap_sem", s->procs[p].name);

		lock_metrics(m, path, &r->mm_locks[p], false);
		free(path);
		path = xasprintf("processes.%s.faults", s->procs[p].name);
		metric_set(m, path, fault_json(&r->mm_faults[p]));
		free(path);
	}
	metric_set(m, "faults", fault_json(&r->faults));
	page_lock_metrics(m, s, r);
	memcg_metrics(m, s, r);
	metric_set(m, "swap", json_pack("{sI sI so}", "ins", (json_int_t)r->swap.ins,
					"readahead_pages", (json_int_t)r->swap.readahead_pages,
					"latency_us", summary_json(&r->swap.latency)));
	metric_set(m, "mlock", json_pack("{sI sI so}", "calls", (json_int_t)r->mlock.calls,
					 "pages", (json_int_t)r->mlock.pages,
					 "duration_us", summary_json(&r->mlock.duration)));
	{
		unsigned vcpus = output_nr_vcpus(s);

		metric_set(m, "kvm", json_pack("{sf sf sI sI}", "vcpu_utilization",
					       vcpus ? r->kvm.busy_ns / (vcpus * window_s * 1e9) : 0.0,
					       "guest_ops_per_s", (double)r->kvm.guest_ops / window_s,
					       "apf_injected", (json_int_t)r->kvm.apf_injected,
					       "apf_ready", (json_int_t)r->kvm.apf_ready));
	}
	metric_set(m, "disk", device_json(&r->devices[DISK_DEVICE_MAIN], window_s));
	metric_set(m, "swap.device", device_json(&r->devices[DISK_DEVICE_SWAP], window_s));
	rwsem_policy_metrics(m, r);
	fairness_metrics(m, r);
	check_metrics(m, s, r, window_s);
	metric_set(m, "engine.events", json_integer((json_int_t)events));
	return m;
}

const char *output_simgrid_version(void)
{
	static char version[32];
	int major, minor, patch;

	sg_version_get(&major, &minor, &patch);
	snprintf(version, sizeof(version), "%d.%d.%d", major, minor, patch);
	return version;
}

json_t *output_provenance(const struct scenario_set *set, const struct scenario *s)
{
	json_t *axes = json_array();

	/* the swept paths and the point's place: enough for merge to rebuild the summary */
	for (unsigned a = 0; a < set->nr_axes; a++)
		json_array_append_new(axes, json_string(set->axes[a]));
	return json_pack("{ss ss s{ss ss ss so} s{ss sO sI} sI ss}", "mmsim_version", MMSIM_VERSION,
			 "simgrid_version", output_simgrid_version(), "scenario", "path", set->path,
			 "sha256", set->sha256, "name", set->name, "axes", axes, "point", "id", s->id,
			 "swept", s->swept, "index", (json_int_t)s->index, "seed",
			 (json_int_t)s->seed, "kernel", s->kernel);
}

/* "warmup": fixed, or detected by MSER-5 on the point's pilot run. */
static json_t *output_warmup(const struct scenario *s, const struct replication *rep)
{
	if (s->warmup_mser5)
		return json_pack("{ss sf}", "method", "mser5", "detected_s", rep->warmup_ns / 1e9);
	return json_pack("{ss sf}", "method", "fixed", "warmup_s", s->warmup_s);
}

/* Which run this is: "replication", and for a point of one, "replications" too. */
static void output_replication(json_t *root, const struct scenario *s,
			       const struct replication *rep)
{
	json_object_set_new(root, "replication", json_pack("{sI sI}", "index", (json_int_t)rep->index,
							    "seed", (json_int_t)rep->seed));
	json_object_set_new(root, "warmup", output_warmup(s, rep));
	if (rep->alone)
		json_object_set_new(root, "replications",
				    json_pack("{si sf s[I]}", "n", 1, "confidence", s->confidence,
					      "seeds", (json_int_t)rep->seed));
}

struct cdf_buf {
	char *text;
	size_t len, cap;
};

static void cdf_line(double value_ns, double fraction, void *arg)
{
	struct cdf_buf *b = arg;
	char line[64];
	int n = snprintf(line, sizeof(line), "%.9g %.9g\n", value_ns / 1e3, fraction);

	if (b->len + (size_t)n + 1 > b->cap)
		b->text = xrealloc(b->text, b->cap = 2 * (b->cap + (size_t)n + 64));
	memcpy(b->text + b->len, line, (size_t)n + 1);
	b->len += (size_t)n;
}

/* The CDF of a summary as a gnuplot data file. */
static int output_cdf(const char *dir, const char *name, const struct summary *s)
{
	char *path = xasprintf("%s/%s.cdf.dat", dir, name);
	struct cdf_buf b = { 0 };
	int rc;

	b.text = xasprintf("# %s: value_us fraction_at_or_below (%llu samples)\n", name,
			   (unsigned long long)s->count);
	b.len = strlen(b.text);
	b.cap = b.len + 1;
	summary_cdf(s, cdf_line, &b);
	rc = write_file_atomic(path, b.text, b.len);
	free(b.text);
	free(path);
	return rc;
}

int output_point(const char *dir, const struct scenario_set *set, const struct scenario *s,
		 const struct replication *rep, const struct recorder *r, uint64_t events)
{
	json_t *root = output_provenance(set, s);
	int rc = mkdir_p(dir);

	json_object_set(root, "parameters", s->resolved);
	output_replication(root, s, rep);
	json_object_set_new(root, "metrics", output_metrics(s, r, events));
	for (int m = 0; rc == 0 && m < 2; m++) {
		char *name = xasprintf("mmap_sem.%s.wait_us", mode_names[m]);

		rc = output_cdf(dir, name, &r->all_locks.wait[m]);
		free(name);
	}
	if (rc == 0)
		rc = results_write(dir, root); /* last: it marks the point complete */
	if (rc)
		fprintf(stderr, "mmsim: cannot write into %s: %s\n", dir, strerror(errno));
	json_decref(root);
	return rc;
}

json_t *json_dotted_get(json_t *root, const char *path)
{
	char *p = xstrdup(path), *s = p, *dot;
	json_t *cur = root;

	while (cur && (dot = strchr(s, '.'))) {
		*dot = '\0';
		cur = json_object_get(cur, s);
		s = dot + 1;
	}
	cur = cur ? json_object_get(cur, s) : NULL;
	free(p);
	return cur;
}
