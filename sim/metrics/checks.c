/* checks.c - the self-checks of every run (checks.*) and the warnings of saturation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/metrics/checks.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/util.h"

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

/*
 * A device at its throughput bound with a standing queue: its channels busy
 * at least 98 % of the window, and its requests wait on average at least as
 * long as they are served (mean latency >= 2 x mean service; by Little's
 * law, at least as many requests wait as are in service). A closed loop (a
 * fixed number of threads) cannot grow its backlog without bound, but past
 * this point the device alone sets the throughput and each further thread
 * only lengthens the queue: its latency is queueing, not service.
 */
#define BUSY_UTILIZATION 0.98
#define BUSY_STRETCH 2.0

/* Mean latency over mean service (both counted at completion, so the sums' ratio). */
static double device_stretch(const struct device_stats *d)
{
	return summary_sum(&d->service) > 0 ? summary_sum(&d->latency) / summary_sum(&d->service)
	                                    : 0.0;
}

static bool device_busy(const struct device_stats *d, double window_s)
{
	return device_utilization(d, window_s) >= BUSY_UTILIZATION &&
	       device_stretch(d) >= BUSY_STRETCH;
}

static json_t *saturation_json(const struct level_integral *l, uint64_t served, double offered)
{
	/* the levels at both ends bound what Little's law may miss: the work in progress there */
	json_t *o = json_pack("{sI sI sI sI}", "backlog_growth",
	                      (json_int_t)(l->level - l->level_start), "saturated",
	                      (json_int_t)saturated(l, served), "level_start",
	                      (json_int_t)l->level_start, "level_end", (json_int_t)l->level);

	if (offered >= 0)
		json_object_set_new(o, "offered_load", json_real(offered));
	return o;
}

/* mmap_sem's acquisitions, all processes and modes. */
static uint64_t lock_acquisitions(const struct recorder *r)
{
	return r->locks.all.wait[LOCK_READ].count + r->locks.all.wait[LOCK_WRITE].count;
}

/*
 * The flow of mmap_sem, all processes, per mode: holders at the warm-up's end
 * plus acquisitions must equal releases plus holders at the end. The
 * acquisitions and releases are the records of each grant and release, the
 * holders the rwsem's own count: two bookkeepings that must agree.
 */
static void flow_metrics(json_t *m, const struct recorder *r)
{
	const struct level_integral *holders[2] = { &r->locks.readers, &r->locks.writers };

	for (int mode = 0; mode < 2; mode++) {
		char *path = xasprintf("checks.flow.mmap_sem.%s", lock_mode_names[mode]);
		const struct level_integral *h = holders[mode];

		json_dotted_set(m, path,
		                json_pack("{sI sI sI sI}", "holders_start",
		                          (json_int_t)h->level_start, "acquisitions",
		                          (json_int_t)r->locks.all.wait[mode].count, "releases",
		                          (json_int_t)r->locks.all.hold[mode].count, "holders_end",
		                          (json_int_t)h->level));
		free(path);
	}
}

/*
 * Little's law and the utilisation law for device @d, its saturation (a
 * growing backlog, or busy with a standing queue); whether saturated.
 */
static bool device_checks(json_t *m, const char *name, const struct device_stats *d,
                          double window_s)
{
	bool busy = device_busy(d, window_s);
	const double T = window_s * 1e9;
	char *path = xasprintf("checks.little.%s", name);
	json_t *sat;

	json_dotted_set(m, path,
	                check_json("L", d->in_device.area_ns / T, "lambda_W",
	                           summary_sum(&d->latency) / T));
	free(path);
	path = xasprintf("checks.utilization.%s", name);
	json_dotted_set(
	        m, path,
	        check_json("U", d->in_service.area_ns / T, "X_S", summary_sum(&d->service) / T));
	free(path);
	path = xasprintf("checks.saturation.%s", name);
	sat = saturation_json(&d->in_device, d->requests, device_offered_load(d, window_s));
	/* only where it holds: the results of a device that is not busy stay as they were */
	if (busy) {
		json_object_set_new(sat, "busy", json_integer(1));
		json_object_set_new(sat, "saturated", json_integer(1));
	}
	json_dotted_set(m, path, sat);
	free(path);
	return saturated(&d->in_device, d->requests) || busy;
}

/*
 * Self-checks of every run: Little's law (L = lambda W) for the tasks
 * waiting for mmap_sem, its readers and each device's queue; the utilisation
 * law (U = X S) for the write lock and the devices; and saturation: queues
 * whose backlog grew over the run, open groups that turned jobs away.
 */
static void check_output(json_t *m, const struct metric_output *o)
{
	static const char *const dev_names[DISK_DEVICE_NAMED] = { "disk", "swap_device" };
	const struct recorder *r = o->r;
	const double T = o->window_s * 1e9;
	const struct lock_stats *l = &r->locks.all;
	uint64_t acq = lock_acquisitions(r);
	json_int_t nr_saturated = saturated(&r->locks.waiting, acq);

	json_dotted_set(
	        m, "checks.little.mmap_sem_waiting",
	        check_json("L", r->locks.waiting.area_ns / T, "lambda_W",
	                   (summary_sum(&l->wait[LOCK_READ]) + summary_sum(&l->wait[LOCK_WRITE])) /
	                           T));
	json_dotted_set(m, "checks.little.mmap_sem_readers",
	                check_json("L", r->locks.readers.area_ns / T, "lambda_W",
	                           summary_sum(&l->hold[LOCK_READ]) / T));
	json_dotted_set(m, "checks.utilization.mmap_sem_write",
	                check_json("U", r->locks.writers.area_ns / T, "X_S",
	                           summary_sum(&l->hold[LOCK_WRITE]) / T));
	json_dotted_set(m, "checks.saturation.mmap_sem",
	                saturation_json(&r->locks.waiting, acq, -1));
	flow_metrics(m, r);
	for (int i = 0; i < DISK_DEVICE_NAMED; i++)
		nr_saturated += device_checks(m, dev_names[i], &r->devices[i], o->window_s);
	for (unsigned i = 0; i < o->s->nr_devices; i++) /* names reserved: none of the above */
		nr_saturated += device_checks(m, o->s->device_names[i],
		                              &r->devices[DISK_DEVICE_NAMED + i], o->window_s);
	for (unsigned g = 0; g < r->threads.nr_groups; g++)
		nr_saturated += r->threads.groups[g].dropped > 0;
	json_dotted_set(m, "checks.saturated", json_integer(nr_saturated));
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc check_docs[] = {
	{ "`checks.little.{mmap_sem_waiting, mmap_sem_readers, disk, swap_device, <device>}.{L, "
	  "lambda_W, rel_error}`",
	  "Little's law, checked on every run: the time-average number of tasks waiting for "
	  "`mmap_sem` (holding it for read; in the device) against the acquisition (request) rate "
	  "times the mean wait (hold; latency), and their relative difference (the window's ends "
	  "only: a bookkeeping error would show)" },
	{ "`checks.utilization.{mmap_sem_write, disk, swap_device, <device>}.{U, X_S, rel_error}`",
	  "the utilisation law: the fraction of time the write lock is held (the mean number of "
	  "requests in service on the device) against throughput times mean hold (service)" },
	{ "`checks.saturation.{mmap_sem, disk, swap_device, <device>}.{backlog_growth, "
	  "saturated}`, "
	  "`.offered_load`",
	  "tasks (requests) waiting at the end minus after the warm-up; `saturated` (0, 1) when it "
	  "grew by more than 10 and 1 % of those served: the queue never reached a steady state. "
	  "The devices' offered load is request rate times mean service" },
	{ "`checks.saturation.{disk, swap_device, <device>}.busy`",
	  "1, and `saturated` 1, when the device was busy at least 98 % of the time (with "
	  "several channels: the mean number in service / channels) and its "
	  "requests spent on average at least twice their service in it (at least as many waiting "
	  "as in "
	  "service): a closed loop at the device's bound, where more threads only lengthen the "
	  "queue; absent otherwise" },
	{ "`checks.saturation.*.{level_start, level_end}`",
	  "tasks waiting for `mmap_sem` (requests in the device) after the warm-up and at the end: "
	  "each one bounds how far Little's law may be off, the work in progress at the window's "
	  "edges" },
	{ "`checks.flow.mmap_sem.{read,write}.{holders_start, acquisitions, releases, "
	  "holders_end}`",
	  "flow balance, all processes: holders after the warm-up plus acquisitions equal releases "
	  "plus holders at the end (the records of grants and releases against the rwsem's own "
	  "count of holders)" },
	{ "`checks.saturated`",
	  "the number of saturated queues (a growing backlog, or a busy device), plus open groups "
	  "that dropped jobs; any also gives a "
	  "warning on stderr (`mmsim: point ID: warning: ... saturated ...`)" },
	{ NULL, NULL },
};

const struct metric_family check_family = {
	.name = "checks",
	.docs = check_docs,
	.output = check_output,
};

void output_warnings(const struct scenario *s, const struct recorder *r)
{
	const char *const dev_names[DISK_DEVICE_NAMED] = { "the disk", "the swap device" };
	const double window_s = s->duration_s - s->warmup_s;
	unsigned g = 0;

	if (saturated(&r->locks.waiting, lock_acquisitions(r)))
		fprintf(stderr,
		        "mmsim: point %s: warning: %ld more tasks wait for mmap_sem at the end "
		        "than after the warm-up: it is saturated, its numbers are no steady "
		        "state\n",
		        s->id, r->locks.waiting.level - r->locks.waiting.level_start);
	for (unsigned i = 0; i < DISK_DEVICE_NAMED + s->nr_devices; i++) {
		const struct device_stats *d = &r->devices[i];
		char *dev_name =
		        i < DISK_DEVICE_NAMED
		                ? xstrdup(dev_names[i])
		                : xasprintf("device %s", s->device_names[i - DISK_DEVICE_NAMED]);

		if (saturated(&d->in_device, d->requests))
			fprintf(stderr,
			        "mmsim: point %s: warning: %s is saturated (offered load %.3g): "
			        "%ld more requests in it at the end than after the warm-up\n",
			        s->id, dev_name, device_offered_load(d, window_s),
			        d->in_device.level - d->in_device.level_start);
		else if (device_busy(d, window_s))
			fprintf(stderr,
			        "mmsim: point %s: warning: %s is saturated: busy %.1f %% of the "
			        "time with %.3g requests in it on average, a request in it for "
			        "%.3g times its service: it alone sets the throughput, more load "
			        "only lengthens its queue\n",
			        s->id, dev_name, 100 * device_utilization(d, window_s),
			        d->in_device.area_ns / (window_s * 1e9), device_stretch(d));
		free(dev_name);
	}
	for (unsigned p = 0; p < s->nr_procs; p++) {
		for (unsigned i = 0; i < s->procs[p].nr_groups; i++, g++)
			if (r->threads.groups[g].dropped)
				fprintf(stderr,
				        "mmsim: point %s: warning: group %s turned away %llu of "
				        "%llu jobs (max_jobs %u in the system): it is saturated\n",
				        s->id, s->procs[p].groups[i].name,
				        (unsigned long long)r->threads.groups[g].dropped,
				        (unsigned long long)r->threads.groups[g].arrivals,
				        s->procs[p].groups[i].max_jobs);
	}
}
