/*
 * probe_bench.c - the microbenchmarks of mmsim probe (see probe_bench.h).
 * Each times one system call or fault with CLOCK_MONOTONIC around it, for
 * the probe's seconds, at most PROBE_MAX_SAMPLES times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "sim/probe_bench.h"
#include "sim/util.h"

#define PROBE_MAX_SAMPLES 50000
#define PAGE 4096u
#define EVICT_RANGE (2u << 20) /* large folios ignore a smaller fadvise range */
#define PROBE_DEFAULT_FILE_MB 256

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void samples_add(struct probe_samples *s, double x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = x;
}

void probe_samples_free(struct probe_samples *s)
{
	free(s->v);
	*s = (struct probe_samples){ 0 };
}

/* Until the probe's seconds have passed since @start or the samples are enough. */
static bool more(const struct probe_ctx *c, double start, const struct probe_samples *s)
{
	return s->n < PROBE_MAX_SAMPLES && now_us() - start < c->o->seconds * 1e6;
}

uint64_t probe_rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

/* The first line of a sysfs file into @buf (its newline cut); 0 or -1. */
static int sysfs_line(const char *dir, const char *file, char *buf, size_t size)
{
	char *p = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(p, "r");
	int rc = -1;

	free(p);
	if (f && fgets(buf, (int)size, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		rc = 0;
	}
	if (f)
		fclose(f);
	return rc;
}

/* The sysfs folder of the whole disk (not its partition) holding @dir into @real (PATH_MAX); 0 or -1. */
static int disk_sysfs(const char *dir, char *real)
{
	struct stat st;
	char link[64], buf[32], *base;

	if (stat(dir, &st) != 0)
		return -1;
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
	if (!realpath(link, real))
		return -1;
	if (sysfs_line(real, "partition", buf, sizeof(buf)) == 0 && (base = strrchr(real, '/')))
		*base = '\0'; /* the disk's folder holds the partition's */
	return 0;
}

long probe_read_ahead_kb(const char *dir)
{
	char real[PATH_MAX], buf[32];

	if (disk_sysfs(dir, real) != 0 ||
	    sysfs_line(real, "queue/read_ahead_kb", buf, sizeof(buf)) != 0)
		return -1;
	return atol(buf);
}

/* The queue settings of the block device holding @dir (its whole disk, not a partition). */
static void probe_device(struct probe_ctx *c, const char *dir)
{
	char real[PATH_MAX], buf[256], *open_br, *close_br, *base;

	c->read_ahead_kb = 128;
	c->max_sectors_kb = 0;
	c->rotational = -1;
	if (disk_sysfs(dir, real) != 0)
		return;
	base = strrchr(real, '/');
	snprintf(c->device, sizeof(c->device), "%.63s", base ? base + 1 : real);
	if (sysfs_line(real, "queue/scheduler", buf, sizeof(buf)) == 0) {
		open_br = strchr(buf, '[');
		close_br = open_br ? strchr(open_br, ']') : NULL;
		if (open_br && close_br) {
			*close_br = '\0';
			snprintf(c->scheduler, sizeof(c->scheduler), "%.31s", open_br + 1);
		} else {
			snprintf(c->scheduler, sizeof(c->scheduler), "%.31s", buf);
		}
	}
	if (sysfs_line(real, "queue/read_ahead_kb", buf, sizeof(buf)) == 0 && atoi(buf) > 0)
		c->read_ahead_kb = (unsigned)atoi(buf);
	if (sysfs_line(real, "queue/rotational", buf, sizeof(buf)) == 0)
		c->rotational = atoi(buf);
	if (sysfs_line(real, "queue/max_sectors_kb", buf, sizeof(buf)) == 0 && atoi(buf) > 0)
		c->max_sectors_kb = (unsigned)atoi(buf);
}

int probe_fill_file(int fd, size_t bytes)
{
	size_t chunk = 1u << 20;
	uint64_t *buf = xmalloc(chunk);
	uint64_t state = 0x9E3779B97F4A7C15ULL;

	for (size_t done = 0; done < bytes;) {
		size_t n = bytes - done < chunk ? bytes - done : chunk;

		/* every block its own data: no deduplicating host cache helps */
		for (size_t i = 0; i < chunk / sizeof(*buf); i++)
			buf[i] = probe_rnd(&state);
		for (size_t off = 0; off < n;) {
			ssize_t w = write(fd, (char *)buf + off, n - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				if (w == 0)
					errno = ENOSPC;
				free(buf);
				return -1;
			}
			off += (size_t)w;
		}
		done += n;
	}
	free(buf);
	return fsync(fd);
}

int probe_ctx_open(struct probe_ctx *c, const struct probe_options *o, char **why)
{
	memset(c, 0, sizeof(*c));
	c->o = o;
	c->fd = -1;
	c->file_bytes = (o->file_mb ? o->file_mb : PROBE_DEFAULT_FILE_MB) << 20;
	probe_device(c, o->dir);
	c->path = xasprintf("%s/mmsim-probe.XXXXXX", o->dir);
	c->fd = mkstemp(c->path);
	if (c->fd < 0) {
		*why = xasprintf("cannot create a scratch file in %s: %s", o->dir, strerror(errno));
		probe_ctx_close(c);
		return -1;
	}
	unlink(c->path); /* the open descriptor keeps it: gone however the probe ends */
	if (probe_fill_file(c->fd, c->file_bytes) != 0) {
		*why = xasprintf("cannot write %zu MiB to %s: %s", c->file_bytes >> 20, c->path,
		                 strerror(errno));
		probe_ctx_close(c);
		return -1;
	}
	posix_fadvise(c->fd, 0, 0, POSIX_FADV_DONTNEED);
	return 0;
}

void probe_ctx_close(struct probe_ctx *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->path);
	c->path = NULL;
}

char *probe_device_read(struct probe_ctx *c, size_t bytes, struct probe_samples *s)
{
	char self[64];
	void *buf;
	int fd;
	uint64_t state = 12345, blocks = c->file_bytes / bytes;
	double start;

	probe_samples_free(s);
	if (!c->device[0]) /* tmpfs takes O_DIRECT from 6.6: its reads are memory copies */
		return xasprintf("%s is on no block device (tmpfs?): no disk to measure",
		                 c->o->dir);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", c->fd);
	fd = open(self, O_RDONLY | O_DIRECT);
	if (fd < 0)
		return xasprintf("no O_DIRECT on the filesystem of %s: %s", c->o->dir,
		                 strerror(errno));
	if (posix_memalign(&buf, PAGE, bytes) != 0) {
		close(fd);
		return xstrdup("out of memory");
	}
	start = now_us();
	while (more(c, start, s)) {
		off_t off = (off_t)(probe_rnd(&state) % blocks * bytes);
		double t0 = now_us();
		ssize_t got = pread(fd, buf, bytes, off);
		double t1 = now_us();

		if (got != (ssize_t)bytes) {
			char *why = xasprintf("O_DIRECT read of %zu bytes failed: %s", bytes,
			                      got < 0 ? strerror(errno) : "short read");

			free(buf);
			close(fd);
			probe_samples_free(s);
			return why;
		}
		samples_add(s, t1 - t0);
	}
	free(buf);
	close(fd);
	return NULL;
}

long long probe_read_bytes(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	long long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "read_bytes: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* The file mapped for reading with @advice (MADV_RANDOM: one page per major fault); NULL with *@why. */
static unsigned char *map_file(struct probe_ctx *c, int advice, char **why)
{
	void *m = mmap(NULL, c->file_bytes, PROT_READ, MAP_SHARED, c->fd, 0);

	if (m == MAP_FAILED) {
		*why = xasprintf("mmap of the scratch file: %s", strerror(errno));
		return NULL;
	}
	madvise(m, c->file_bytes, advice);
	return m;
}

/* Is the page at @p in memory (mincore)? */
static bool resident(unsigned char *p)
{
	unsigned char v = 0;

	return mincore(p, PAGE, &v) == 0 && (v & 1);
}

/* One sample: the time of a read of the page at @p (a fault when its pte is gone). */
static void timed_touch(struct probe_samples *s, const unsigned char *p)
{
	double t0 = now_us();

	(void)*(const volatile unsigned char *)p;
	samples_add(s, now_us() - t0);
}

/*
 * Faults on evicted pages of the file mapped with @advice: each sample
 * evicts a random @span-aligned range of @span bytes (MADV_DONTNEED first: a
 * mapped page-cache folio is not dropped; then POSIX_FADV_DONTNEED) and
 * touches a random page of it, unless mincore finds it still resident.
 */
static char *faults_on_evicted(struct probe_ctx *c, struct probe_samples *s, int advice,
                               size_t span, uint64_t seed, size_t *not_evicted)
{
	char *why = NULL;
	unsigned char *m = map_file(c, advice, &why);
	uint64_t state = seed, ranges;
	double start;

	if (span > c->file_bytes) /* --file-mb 1: the whole file */
		span = c->file_bytes;
	ranges = c->file_bytes / span;
	probe_samples_free(s);
	*not_evicted = 0;
	if (!m)
		return why;
	start = now_us();
	while (more(c, start, s) && *not_evicted < 1000) {
		uint64_t r = probe_rnd(&state) % ranges;
		unsigned char *base = m + r * span,
		              *p = base + probe_rnd(&state) % (span / PAGE) * PAGE;

		madvise(base, span, MADV_DONTNEED);
		posix_fadvise(c->fd, (off_t)(r * span), (off_t)span, POSIX_FADV_DONTNEED);
		if (resident(p)) {
			++*not_evicted;
			continue;
		}
		timed_touch(s, p);
	}
	munmap(m, c->file_bytes);
	if (s->n == 0)
		return xasprintf("no eviction: the pages stayed resident after MADV_DONTNEED and "
		                 "POSIX_FADV_DONTNEED of their %zu MiB range (mincore), %zu tries",
		                 span >> 20, *not_evicted);
	return NULL;
}

char *probe_major_fault(struct probe_ctx *c, struct probe_samples *s, size_t *not_evicted)
{
	return faults_on_evicted(c, s, MADV_RANDOM, EVICT_RANGE, 777, not_evicted);
}

char *probe_readaround_fault(struct probe_ctx *c, struct probe_samples *s, double *pages_per_fault,
                             size_t *not_evicted)
{
	long long read_before = probe_read_bytes(), read_after;
	/* the whole file, as the seed-000 experiment's A evicts it: the window is all missing */
	char *why = faults_on_evicted(c, s, MADV_NORMAL, c->file_bytes, 999, not_evicted);

	*pages_per_fault = 0;
	if (why)
		return why;
	read_after = probe_read_bytes();
	if (read_before < 0 || read_after < read_before) {
		probe_samples_free(s);
		return xstrdup("no read_bytes in /proc/self/io (CONFIG_TASK_IO_ACCOUNTING off?): "
		               "the pages a fault reads are unknown");
	}
	*pages_per_fault = (double)(read_after - read_before) / PAGE / (double)s->n;
	return NULL;
}

char *probe_minor_fault(struct probe_ctx *c, struct probe_samples *s)
{
	char *why = NULL;
	unsigned char *m = map_file(c, MADV_RANDOM, &why);
	size_t pages = c->file_bytes / PAGE;
	uint64_t state = 4242;
	volatile unsigned char sink;
	double start;

	probe_samples_free(s);
	if (!m)
		return why;
	/* bring the file into the page cache: the faults below only map it */
	for (size_t i = 0; i < pages; i++)
		sink = m[i * PAGE];
	start = now_us();
	while (more(c, start, s)) {
		unsigned char *p = m + probe_rnd(&state) % pages * PAGE;

		/* the pte goes, the page-cache page stays: the next touch is a minor fault */
		madvise(p, PAGE, MADV_DONTNEED);
		if (resident(p)) /* mincore asks the page cache for a file mapping */
			timed_touch(s, p);
	}
	(void)sink;
	munmap(m, c->file_bytes);
	return s->n ? NULL
	            : xstrdup("the scratch file did not stay in the page cache (memory "
	                      "pressure? a smaller --file-mb)");
}

char *probe_anon_first_touch(struct probe_ctx *c, struct probe_samples *s)
{
	size_t bytes = 64u << 20, pages = bytes / PAGE;
	double start = now_us();

	probe_samples_free(s);
	while (more(c, start, s)) {
		unsigned char *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			return xasprintf("mmap of %zu MiB of anonymous memory: %s", bytes >> 20,
			                 strerror(errno));
		madvise(m, bytes, MADV_NOHUGEPAGE); /* 4 KiB pages, as the model's faults */
		for (size_t i = 0; i < pages && s->n < PROBE_MAX_SAMPLES; i++) {
			double t0 = now_us();

			m[i * PAGE] = 1;
			samples_add(s, now_us() - t0);
		}
		munmap(m, bytes);
	}
	return NULL;
}

char *probe_mmap_munmap(struct probe_ctx *c, struct probe_samples *mm, struct probe_samples *unm)
{
	size_t bytes = 16 * PAGE;
	double start = now_us();

	probe_samples_free(mm);
	probe_samples_free(unm);
	while (more(c, start, mm)) {
		double t0 = now_us(), t1, t2;
		void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		               0);

		t1 = now_us();
		if (m == MAP_FAILED)
			return xasprintf("mmap: %s", strerror(errno));
		munmap(m, bytes);
		t2 = now_us();
		samples_add(mm, t1 - t0);
		samples_add(unm, t2 - t1);
	}
	return NULL;
}

char *probe_proc_read(struct probe_ctx *c, const char *file, struct probe_samples *s, double *reads,
                      double *lines)
{
	char buf[4096], *path = xasprintf("/proc/self/%s", file);
	double start = now_us();
	size_t calls = 0, nl = 0;

	probe_samples_free(s);
	while (more(c, start, s)) {
		double t0 = now_us();
		int fd = open(path, O_RDONLY);
		ssize_t got;

		if (fd < 0) {
			char *why = xasprintf("%s: %s", path, strerror(errno));

			free(path);
			return why;
		}
		calls = nl = 0;
		while ((got = read(fd, buf, sizeof(buf))) > 0) {
			calls++;
			for (ssize_t i = 0; i < got; i++)
				nl += buf[i] == '\n';
		}
		close(fd);
		samples_add(s, now_us() - t0);
	}
	free(path);
	*reads = (double)calls;
	*lines = (double)(nl ? nl : 1);
	return NULL;
}

/* The two threads of the futex measurement. */
struct futex_pair {
	atomic_int word; /* the waiter sleeps on it */
	atomic_int ack;  /* the waiter has taken the sample */
	atomic_int stop;
	_Atomic double woken_at, posted_at;
};

static long futex(atomic_int *addr, int op, int val)
{
	return syscall(SYS_futex, (int *)addr, op, val, NULL, NULL, 0);
}

static void *futex_waiter(void *arg)
{
	struct futex_pair *p = arg;
	int seen = 0;

	while (!atomic_load(&p->stop)) {
		while (atomic_load(&p->word) == seen && !atomic_load(&p->stop))
			futex(&p->word, FUTEX_WAIT_PRIVATE, seen);
		seen = atomic_load(&p->word);
		atomic_store(&p->woken_at, now_us());
		atomic_store(&p->ack, seen);
	}
	return NULL;
}

char *probe_futex_wakeup(struct probe_ctx *c, struct probe_samples *s)
{
	struct futex_pair p = { 0 };
	struct timespec settle = { 0, 200000 }; /* the waiter is asleep by then */
	pthread_t t;
	double start = now_us();
	int n = 0;

	probe_samples_free(s);
	if (pthread_create(&t, NULL, futex_waiter, &p) != 0)
		return xstrdup("pthread_create failed");
	while (more(c, start, s)) {
		double posted;

		nanosleep(&settle, NULL);
		posted = now_us();
		atomic_store(&p.word, ++n);
		futex(&p.word, FUTEX_WAKE_PRIVATE, 1);
		while (atomic_load(&p.ack) != n)
			sched_yield();
		samples_add(s, atomic_load(&p.woken_at) - posted);
	}
	atomic_store(&p.stop, 1);
	atomic_fetch_add(&p.word, 1);
	futex(&p.word, FUTEX_WAKE_PRIVATE, 1);
	pthread_join(t, NULL);
	return NULL;
}
