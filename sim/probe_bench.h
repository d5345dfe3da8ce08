/*
 * probe_bench.h - the microbenchmarks of mmsim probe (sim/probe_bench.c):
 * each measures one cost of the running kernel, repeated for the probe's
 * seconds, and reports it as {"distribution": ..., what it calibrates} or
 * {"skipped": why} when the kernel or filesystem does not allow it.
 */
#ifndef SIM_PROBE_BENCH_H
#define SIM_PROBE_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "sim/probe.h"

/* The samples of one measurement (owned), in its unit. */
struct probe_samples {
	double *v;
	size_t n, cap;
};

/* What the benchmarks share: the scratch file and the device under the probe's folder. */
struct probe_ctx {
	const struct probe_options *o;
	int fd;            /* the scratch file (unlinked: nothing is left behind), or -1 */
	size_t file_bytes; /* its size */
	char *path;        /* its name while it existed (for messages) */
	char device[64];   /* the block device under o->dir ("vda"), or "" */
	char scheduler[32];
	unsigned read_ahead_kb;  /* of that device (128 if unknown) */
	unsigned max_sectors_kb; /* of that device: its largest request (0 if unknown) */
	int rotational;          /* 1, 0, or -1 unknown */
};

/*
 * Creates the scratch file under o->dir (written, synced, unlinked) and
 * reads the device's queue settings; 0, or -1 with *@why (new string).
 */
int probe_ctx_open(struct probe_ctx *c, const struct probe_options *o, char **why);
void probe_ctx_close(struct probe_ctx *c);

/*
 * Each fills @s with its samples and returns NULL, or returns why it could
 * not measure (new string). @s is emptied first.
 */
char *probe_device_read(struct probe_ctx *c, size_t bytes, struct probe_samples *s);
/* Major faults on evicted pages; *@not_evicted: the samples whose eviction mincore refuted. */
char *probe_major_fault(struct probe_ctx *c, struct probe_samples *s, size_t *not_evicted);
/*
 * Major faults with read-around: the mapping MADV_NORMAL, the whole file
 * evicted before each; *@pages_per_fault: pages read from storage per fault
 * (/proc/self/io read_bytes), *@not_evicted as above.
 */
char *probe_readaround_fault(struct probe_ctx *c, struct probe_samples *s, double *pages_per_fault,
                             size_t *not_evicted);
char *probe_minor_fault(struct probe_ctx *c, struct probe_samples *s);
char *probe_anon_first_touch(struct probe_ctx *c, struct probe_samples *s);
/* mmap and munmap of a small anonymous region: one sample each per iteration. */
char *probe_mmap_munmap(struct probe_ctx *c, struct probe_samples *mm, struct probe_samples *unm);
/* The read of a whole /proc/self file; *@reads: read() calls per read, *@lines: its lines. */
char *probe_proc_read(struct probe_ctx *c, const char *file, struct probe_samples *s, double *reads,
                      double *lines);
char *probe_futex_wakeup(struct probe_ctx *c, struct probe_samples *s);

void probe_samples_free(struct probe_samples *s);

/* read_ahead_kb of the disk holding @dir (sysfs), or -1 if unknown. */
long probe_read_ahead_kb(const char *dir);

/* read_bytes of /proc/self/io (bytes this process had read from storage), or -1. */
long long probe_read_bytes(void);

/*
 * Writes @bytes of random data to @fd and fsyncs it: data, not holes or
 * fallocate's unwritten extents (their reads need no disk); 0, or -1 with errno.
 */
int probe_fill_file(int fd, size_t bytes);

/* xorshift64*, of the probe and its experiment: the pages drawn need spread, not quality. */
uint64_t probe_rnd(uint64_t *state);

#endif
