/* devices.c - the records of the block devices and their metrics (disk, swap.device, devices). */
#include <assert.h>
#include <stdlib.h>

#include "sim/metrics/intervals.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/util.h"

static void device_release(struct recorder *r)
{
	for (int d = 0; d < DISK_DEVICES; d++) {
		summary_release(&r->devices[d].latency);
		summary_release(&r->devices[d].service);
	}
}

/* Integrates @l up to @now (from the warm-up on), then adds @delta. */
static void level_change(struct level_integral *l, const struct recorder *r, sim_ns now, long delta)
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

/* The requests in @d are @in_device from @now on. */
static void device_level(struct device_stats *d, const struct recorder *r, sim_ns now,
                         int in_device)
{
	level_change(&d->in_device, r, now, in_device - d->in_device.level);
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

	if (trace_active)
		trace_disk_level(t, device, in_device);
	device_level(d, c->rec, now, in_device);
	d->submitted += now >= c->rec->warmup_ns;
}

void record_disk_in_service(struct task *t, int device, int in_service, unsigned channels)
{
	struct record_ctx *c = task_owner(t);
	struct device_stats *d = record_device(c->rec, device);

	if (c->rec->intervals)
		intervals_disk_in_service(c->rec->intervals, device, in_service, channels,
		                          task_now(t));
	level_change(&d->in_service, c->rec, task_now(t), in_service - d->in_service.level);
	d->channels = channels;
}

void record_disk_complete(struct task *t, int device, int in_device, sim_ns submit, sim_ns start)
{
	struct record_ctx *c = task_owner(t);
	struct recorder *r = c->rec;
	struct device_stats *d = record_device(r, device);
	sim_ns now = task_now(t);

	if (trace_active)
		trace_disk_complete(t, device, in_device, submit, start);
	device_level(d, r, now, in_device);
	if (r->intervals)
		intervals_disk_complete(r->intervals, device, now);
	if (now < r->warmup_ns)
		return;
	d->requests++;
	summary_add(&d->latency, now - submit);
	summary_add(&d->service, now - start);
}

/* The integrals of the queues run to the end of the run. */
static void device_finish(struct recorder *r)
{
	for (int d = 0; d < DISK_DEVICES; d++) {
		device_level(&r->devices[d], r, r->end_ns, (int)r->devices[d].in_device.level);
		level_change(&r->devices[d].in_service, r, r->end_ns, 0);
	}
}

/* Channels served at once; 1 before the device's first request records them. */
static unsigned device_channels(const struct device_stats *d)
{
	return d->channels ? d->channels : 1;
}

double device_utilization(const struct device_stats *d, double window_s)
{
	return d->in_service.area_ns / (window_s * 1e9) / device_channels(d);
}

double device_offered_load(const struct device_stats *d, double window_s)
{
	return d->service.count
	               ? (double)d->submitted / (window_s * 1e9) * summary_sum(&d->service) /
	                         (double)d->service.count / device_channels(d)
	               : 0.0;
}

static json_t *device_json(const struct device_stats *d, double window_s)
{
	return json_pack("{sI sf sf so so}", "requests", (json_int_t)d->requests, "utilization",
	                 device_utilization(d, window_s), "queue_len_mean",
	                 d->in_device.area_ns / (window_s * 1e9), "latency_us",
	                 summary_json(&d->latency), "service_us", summary_json(&d->service));
}

/* After the swap family's: swap.device goes into its "swap". */
static void device_output(json_t *m, const struct metric_output *o)
{
	json_dotted_set(m, "disk", device_json(&o->r->devices[DISK_DEVICE_MAIN], o->window_s));
	json_dotted_set(m, "swap.device",
	                device_json(&o->r->devices[DISK_DEVICE_SWAP], o->window_s));
	for (unsigned i = 0; i < o->s->nr_devices; i++) {
		char *path = xasprintf("devices.%s", o->s->device_names[i]);

		json_dotted_set(m, path,
		                device_json(&o->r->devices[DISK_DEVICE_NAMED + i], o->window_s));
		free(path);
	}
}

/* No init: the recorder starts all zeroes, empty summaries and integrals. */
/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc device_docs[] = {
	{ "`disk.{requests, utilization, queue_len_mean}`",
	  "requests completed, the mean fraction of its channels serving (one channel: the busy "
	  "fraction), time-averaged requests submitted and not completed (host queue and device)" },
	{ "`disk.latency_us.*`, `disk.service_us.*`",
	  "from submission to completion (queueing + service), and the service alone" },
	{ "`swap.device.*`", "the same for the swap device of its own (`swap.device` `own`)" },
	{ "`devices.<device>.*`", "the same for each named device (`devices`)" },
	{ NULL, NULL },
};

const struct metric_family device_family = {
	.name = "devices",
	.docs = device_docs,
	.release = device_release,
	.finish = device_finish,
	.output = device_output,
};
