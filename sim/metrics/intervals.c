/* intervals.c - the per-interval time series of a run (intervals.csv; see intervals.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/metrics/intervals.h"
#include "sim/scenario.h"
#include "sim/util.h"

/* One interval's accumulators; the groups' and devices' are in arrays of their own. */
struct interval_row {
	uint64_t acquisitions[2], releases[2]; /* by enum lock_mode */
	sim_ns wait_sum[2], wait_max[2], hold_sum[2], hold_max[2];
	uint64_t major, minor;
};

/* A device's requests in service since @last (their integral is spread over the rows). */
struct interval_device {
	sim_ns last;
	int in_service;
	unsigned channels;
};

struct interval_series {
	sim_ns step, warmup, end;
	unsigned nr_warmup, nr_rows, nr_groups;
	struct interval_row *rows; /* [nr_rows] */
	uint64_t *ops;             /* [nr_rows * nr_groups] */
	uint64_t *requests;        /* [nr_rows * DISK_DEVICES] */
	double *busy_ns;           /* [nr_rows * DISK_DEVICES]: requests in service x time */
	struct interval_device devices[DISK_DEVICES];
};

static unsigned long long steps(sim_ns span, sim_ns step)
{
	return span > 0 ? (unsigned long long)((span + step - 1) / step) : 0;
}

unsigned long long intervals_count(sim_ns interval_ns, sim_ns warmup_ns, sim_ns end_ns)
{
	unsigned long long measured = steps(end_ns - warmup_ns, interval_ns);

	return steps(warmup_ns, interval_ns) + (measured ? measured : 1);
}

struct interval_series *intervals_new(const struct recorder *r, const struct recorder_shape *shape,
                                      sim_ns interval_ns)
{
	unsigned long long n = intervals_count(interval_ns, r->warmup_ns, r->end_ns);
	struct interval_series *is;

	if (interval_ns <= 0)
		return NULL;
	is = xcalloc(1, sizeof(*is));
	is->step = interval_ns;
	is->warmup = r->warmup_ns;
	is->end = r->end_ns;
	is->nr_warmup = (unsigned)steps(r->warmup_ns, interval_ns);
	is->nr_rows = (unsigned)n;
	is->nr_groups = shape->nr_groups;
	is->rows = xcalloc(n, sizeof(*is->rows));
	is->ops = xcalloc(n * (shape->nr_groups ? shape->nr_groups : 1), sizeof(*is->ops));
	is->requests = xcalloc(n * DISK_DEVICES, sizeof(*is->requests));
	is->busy_ns = xcalloc(n * DISK_DEVICES, sizeof(*is->busy_ns));
	return is;
}

void intervals_free(struct interval_series *is)
{
	if (!is)
		return;
	free(is->rows);
	free(is->ops);
	free(is->requests);
	free(is->busy_ns);
	free(is);
}

/* The row of instant @t: the warm-up's rows end at its end; the run's end is in the last row. */
static unsigned row_of(const struct interval_series *is, sim_ns t)
{
	unsigned long long i;

	if (t < is->warmup)
		return t > 0 ? (unsigned)(t / is->step) : 0;
	i = is->nr_warmup + (unsigned long long)((t - is->warmup) / is->step);
	return i < is->nr_rows ? (unsigned)i : is->nr_rows - 1;
}

static sim_ns row_start(const struct interval_series *is, unsigned i)
{
	return i < is->nr_warmup ? (sim_ns)i * is->step
	                         : is->warmup + (sim_ns)(i - is->nr_warmup) * is->step;
}

/* Where the next row starts; the last row, and any past the run's end, end at the end. */
static sim_ns row_end(const struct interval_series *is, unsigned i)
{
	sim_ns end = row_start(is, i + 1);

	return i + 1 == is->nr_rows || end > is->end ? is->end : end;
}

static void add_max(sim_ns *sum, sim_ns *max, sim_ns x)
{
	*sum += x;
	if (x > *max)
		*max = x;
}

void intervals_lock_grant(struct interval_series *is, enum lock_mode mode, sim_ns request,
                          sim_ns grant)
{
	struct interval_row *row = &is->rows[row_of(is, grant)];

	row->acquisitions[mode]++;
	add_max(&row->wait_sum[mode], &row->wait_max[mode], grant - request);
}

void intervals_lock_release(struct interval_series *is, enum lock_mode mode, sim_ns grant,
                            sim_ns now)
{
	struct interval_row *row = &is->rows[row_of(is, now)];

	row->releases[mode]++;
	add_max(&row->hold_sum[mode], &row->hold_max[mode], now - grant);
}

void intervals_fault(struct interval_series *is, bool major, sim_ns now)
{
	struct interval_row *row = &is->rows[row_of(is, now)];

	if (major)
		row->major++;
	else
		row->minor++;
}

void intervals_iteration(struct interval_series *is, int group, sim_ns now)
{
	if (group >= 0 && (unsigned)group < is->nr_groups)
		is->ops[(size_t)row_of(is, now) * is->nr_groups + (unsigned)group]++;
}

void intervals_disk_complete(struct interval_series *is, int device, sim_ns now)
{
	is->requests[(size_t)row_of(is, now) * DISK_DEVICES + (unsigned)device]++;
}

/* Spreads device @device's level since its last change up to @now over the rows it spans. */
static void device_advance(struct interval_series *is, int device, sim_ns now)
{
	struct interval_device *d = &is->devices[device];

	if (now <= d->last)
		return;
	for (unsigned i = row_of(is, d->last), last = row_of(is, now); d->in_service && i <= last;
	     i++) {
		sim_ns from = row_start(is, i) > d->last ? row_start(is, i) : d->last;
		sim_ns to = row_end(is, i) < now ? row_end(is, i) : now;

		if (to > from)
			is->busy_ns[(size_t)i * DISK_DEVICES + (unsigned)device] +=
			        (double)(to - from) * d->in_service;
	}
	d->last = now;
}

void intervals_disk_in_service(struct interval_series *is, int device, int in_service,
                               unsigned channels, sim_ns now)
{
	device_advance(is, device, now);
	is->devices[device].in_service = in_service;
	is->devices[device].channels = channels;
}

/* The CSV's name and the series' index of each device of @s, as results.json names them. */
static unsigned device_columns(const struct scenario *s, char **names, int *index)
{
	unsigned n = 0;

	names[n] = xstrdup("disk");
	index[n++] = DISK_DEVICE_MAIN;
	names[n] = xstrdup("swap.device");
	index[n++] = DISK_DEVICE_SWAP;
	for (unsigned i = 0; i < s->nr_devices && i < DISK_NAMED_MAX; i++) {
		names[n] = xasprintf("devices.%s", s->device_names[i]);
		index[n++] = DISK_DEVICE_NAMED + (int)i;
	}
	return n;
}

static void header(FILE *f, const struct scenario *s, char **dev_names, unsigned nr_devs)
{
	fputs("start_s,end_s,warmup", f);
	for (unsigned p = 0; p < s->nr_procs; p++)
		for (unsigned g = 0; g < s->procs[p].nr_groups; g++)
			fprintf(f, ",threads.%s.ops,threads.%s.ops_per_s",
			        s->procs[p].groups[g].name, s->procs[p].groups[g].name);
	for (int m = 0; m < 2; m++)
		fprintf(f,
		        ",mmap_sem.%1$s.acquisitions,mmap_sem.%1$s.wait_mean_us,mmap_sem.%1$s.wait_"
		        "max_us"
		        ",mmap_sem.%1$s.releases,mmap_sem.%1$s.hold_mean_us,mmap_sem.%1$s.hold_max_"
		        "us",
		        lock_mode_names[m]);
	fputs(",faults.major,faults.minor,faults_per_s", f);
	for (unsigned d = 0; d < nr_devs; d++)
		fprintf(f, ",%1$s.requests,%1$s.utilization", dev_names[d]);
	fputc('\n', f);
}

/* ",count,mean_us,max_us" of @count durations summing to @sum (empty cells when none). */
static void durations(FILE *f, uint64_t count, sim_ns sum, sim_ns max)
{
	if (count)
		fprintf(f, ",%llu,%.9g,%.9g", (unsigned long long)count, (double)sum / count / 1e3,
		        max / 1e3);
	else
		fputs(",0,,", f);
}

static void row(FILE *f, const struct interval_series *is, unsigned i, const int *dev_index,
                unsigned nr_devs)
{
	const struct interval_row *r = &is->rows[i];
	double len_s = (row_end(is, i) - row_start(is, i)) / 1e9;

	fprintf(f, "%.9g,%.9g,%d", row_start(is, i) / 1e9, row_end(is, i) / 1e9, i < is->nr_warmup);
	for (unsigned g = 0; g < is->nr_groups; g++) {
		uint64_t ops = is->ops[(size_t)i * is->nr_groups + g];

		fprintf(f, ",%llu,%.9g", (unsigned long long)ops, ops / len_s);
	}
	for (int m = 0; m < 2; m++) {
		durations(f, r->acquisitions[m], r->wait_sum[m], r->wait_max[m]);
		durations(f, r->releases[m], r->hold_sum[m], r->hold_max[m]);
	}
	fprintf(f, ",%llu,%llu,%.9g", (unsigned long long)r->major, (unsigned long long)r->minor,
	        (r->major + r->minor) / len_s);
	for (unsigned d = 0; d < nr_devs; d++) {
		size_t k = (size_t)i * DISK_DEVICES + (unsigned)dev_index[d];
		unsigned channels = is->devices[dev_index[d]].channels;

		fprintf(f, ",%llu,%.9g", (unsigned long long)is->requests[k],
		        channels ? is->busy_ns[k] / channels / (len_s * 1e9) : 0.0);
	}
	fputc('\n', f);
}

int intervals_write(struct interval_series *is, const struct scenario *s, const char *dir)
{
	char *names[2 + DISK_NAMED_MAX], *buf = NULL, *path = xasprintf("%s/intervals.csv", dir);
	int index[2 + DISK_NAMED_MAX], rc;
	unsigned nr_devs = device_columns(s, names, index);
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) { /* out of memory: errno says so to the caller */
		for (unsigned d = 0; d < nr_devs; d++)
			free(names[d]);
		free(path);
		return -1;
	}
	for (int d = 0; d < DISK_DEVICES; d++) /* the levels at the end last to the end */
		device_advance(is, d, is->end);
	header(f, s, names, nr_devs);
	for (unsigned i = 0; i < is->nr_rows; i++)
		row(f, is, i, index, nr_devs);
	fclose(f);
	rc = write_file_atomic(path, buf, len);
	for (unsigned d = 0; d < nr_devs; d++)
		free(names[d]);
	free(buf);
	free(path);
	return rc;
}
