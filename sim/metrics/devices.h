/* devices.h - the metric family of the block devices: disk, swap.device. */
#ifndef SIM_METRICS_DEVICES_H
#define SIM_METRICS_DEVICES_H

#include "models/disk.h"
#include "sim/metrics/family.h"

/* A block device (DISK_DEVICE_*): its requests and the integrals of its queue. */
struct device_stats {
	uint64_t requests;      /* completed */
	uint64_t submitted;     /* entered the device */
	struct summary latency; /* submit to completion */
	struct summary service; /* start of service to completion */
	struct level_integral in_device;
	struct level_integral in_service; /* requests being served (at most channels) */
	unsigned channels;                /* served at once: the utilisation's denominator */
};

extern const struct metric_family device_family;

/* The mean fraction of @d's channels serving over @window_s (one channel: the busy fraction). */
double device_utilization(const struct device_stats *d, double window_s);

/* The load offered to device @d over @window_s: submissions per ns times the mean service, per channel. */
double device_offered_load(const struct device_stats *d, double window_s);

#endif
