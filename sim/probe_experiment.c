/*
 * probe_experiment.c - the seed-000 experiment on the running kernel (see
 * probe.h): thread A faults on random evicted pages of a scratch file through
 * mmap, thread B loops mmap()+munmap() of a small anonymous region, a reader
 * loops reads of /proc/self/maps (or cmdline); alone and side by side, in
 * phases repeated in an interleaved order.
 */
#define _GNU_SOURCE /* MADV_DONTNEED, MAP_ANONYMOUS, mincore(), syscall(), RUSAGE_THREAD */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/probe.h"
#include "sim/probe_bench.h"
#include "sim/util.h"

#define DEFAULT_FILE_MB 1024
#define DEFAULT_SECONDS 3.0
#define DEFAULT_REPETITIONS 3
/* the samples kept per phase and thread (a reservoir): 2 MiB each, p99 within a fraction of a % */
#define SAMPLES_CAP (1u << 18)
#define CHUNK_BYTES (2u << 20) /* large folios: evict and track whole 2 MiB-aligned ranges */
#define B_REGION_PAGES 16      /* B maps and unmaps 64 KiB it never touches, as in the seed */
#define READ_BUFFER_BYTES (64u << 10)
/* A re-draws a target found resident this many times in a row before it evicts again */
#define MAX_RESIDENT_REDRAWS 16

/*
 * cachestat() (Linux 6.5) tells whether a file page is cached without taking
 * mmap_lock; mincore() takes it for read, which would add lock traffic of A's
 * own to what B measures. Its number is the same on the architectures of the
 * unified syscall table; elsewhere (or ENOSYS) mincore() is used.
 */
#if defined(SYS_cachestat)
#define CACHESTAT_NR SYS_cachestat
#elif defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__riscv)
#define CACHESTAT_NR 451
#endif

struct cachestat_range_abi {
	uint64_t off, len;
};
struct cachestat_abi {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

enum role { ROLE_A, ROLE_B, ROLE_READER, NR_ROLES };
static const char *const role_names[NR_ROLES] = { "A", "B", "reader" };

struct phase {
	const char *name;
	bool a, b;
	const char *reader_path; /* NULL: no reader */
};

static const struct phase phases[] = {
	{ "B_alone", false, true, NULL },
	{ "A_alone", true, false, NULL },
	{ "A_and_B", true, true, NULL },
	{ "reader_alone", false, false, "/proc/self/maps" },
	{ "A_and_reader", true, false, "/proc/self/maps" },
	{ "cmdline_alone", false, false, "/proc/self/cmdline" },
	{ "A_and_cmdline", true, false, "/proc/self/cmdline" },
};
#define NR_PHASES (sizeof(phases) / sizeof(phases[0]))

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Where a thread's time went (schedstat: on a CPU, waiting for one) and how
 * often it slept (voluntary switches: a lock or I/O wait) or was preempted:
 * tells a thread slowed by a lock from one slowed by sharing the CPUs.
 */
struct thread_sched {
	double run_s, runqueue_s;
	long voluntary, involuntary;
	bool known;
};

static struct thread_sched thread_sched_now(void)
{
	struct thread_sched t = { 0 };
	unsigned long long run_ns, wait_ns;
	struct rusage ru;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (f) {
		t.known = fscanf(f, "%llu %llu", &run_ns, &wait_ns) == 2;
		fclose(f);
	}
	if (t.known) {
		t.run_s = (double)run_ns * 1e-9;
		t.runqueue_s = (double)wait_ns * 1e-9;
	}
	if (getrusage(RUSAGE_THREAD, &ru) == 0) {
		t.voluntary = ru.ru_nvcsw;
		t.involuntary = ru.ru_nivcsw;
	} else {
		t.known = false;
	}
	return t;
}

static void thread_sched_since(struct thread_sched *t)
{
	struct thread_sched end = thread_sched_now();

	t->known = t->known && end.known;
	t->run_s = end.run_s - t->run_s;
	t->runqueue_s = end.runqueue_s - t->runqueue_s;
	t->voluntary = end.voluntary - t->voluntary;
	t->involuntary = end.involuntary - t->involuntary;
}

/* A bounded uniform sample of a stream of latencies (reservoir sampling). */
struct samples {
	double *v;
	size_t n, allocated;
	uint64_t seen, rng;
};

static void samples_add(struct samples *s, double us)
{
	s->seen++;
	if (s->n < SAMPLES_CAP) {
		if (s->n == s->allocated) {
			s->allocated = s->allocated ? 2 * s->allocated : 4096;
			s->v = xrealloc(s->v, s->allocated * sizeof(*s->v));
		}
		s->v[s->n++] = us;
		return;
	}
	uint64_t j = probe_rnd(&s->rng) % s->seen;
	if (j < SAMPLES_CAP)
		s->v[j] = us;
}

/* What one thread of one phase measured, over its repetitions. */
struct role_acc {
	struct samples latency;
	double *rate;      /* per repetition: ops per second (A: per second of faulting) */
	double *loop_rate; /* A: faults per second of the whole loop */
	uint64_t ops;
	double busy_s, wall_s;
	struct thread_sched sched; /* summed over the repetitions */
	bool sched_unknown;
	/* A's eviction */
	uint64_t evictions, evict_failures, redraws_readaround, redraws_not_evicted, checked;
	uint64_t resident_after_eviction; /* pages, summed over the evictions checked */
	uint64_t evictions_checked;
	double evict_s;
	uint64_t
	        read_bytes; /* /proc/self/io over the phases (all threads: only A reads the disk) */
	bool read_bytes_known;
	size_t bytes_per_read; /* reader */
};

struct experiment {
	const struct probe_options *o;
	double seconds;
	unsigned repetitions;
	size_t page, file_bytes, file_pages, nr_chunks;
	size_t window_pages; /* read-around reach on either side of a fault, in pages */
	size_t batch;        /* faults between two evictions */
	int fd;
	char *map;
	bool use_cachestat;
	long read_ahead_kb; /* -1: unknown */
	struct role_acc acc[NR_PHASES][NR_ROLES];
	json_t *reps[NR_PHASES];
	json_t *notes;
	atomic_bool stop;
	pthread_barrier_t start;
};

/* One thread's run of one phase repetition. */
struct worker {
	struct experiment *x;
	struct role_acc *acc;
	const char *reader_path;
	uint64_t rng, ops;
	double t0, t1, busy_s;
	struct thread_sched sched;
	char *error; /* malloc'd: the phase cannot be measured */
	/* A's state */
	unsigned char *touched; /* per chunk: faulted (or read around) since the last eviction */
	uint64_t evictions, evict_failures, redraws_readaround, redraws_not_evicted, checked;
	uint64_t resident_after_eviction, evictions_checked;
	double evict_s;
};

static char *errno_reason(const char *what)
{
	return xasprintf("%s: %s", what, strerror(errno));
}

static long cachestat_pages(struct experiment *x, size_t off, size_t len)
{
#ifdef CACHESTAT_NR
	struct cachestat_range_abi range = { off, len };
	struct cachestat_abi cs;

	if (syscall(CACHESTAT_NR, x->fd, &range, &cs, 0) == 0)
		return (long)cs.nr_cache;
#else
	(void)x, (void)off, (void)len;
#endif
	return -1;
}

/* Whether file page @page is in the page cache; -1 on error. */
static int page_resident(struct experiment *x, size_t page)
{
	if (x->use_cachestat) {
		long n = cachestat_pages(x, page * x->page, x->page);
		return n < 0 ? -1 : n > 0;
	}
	unsigned char vec;
	if (mincore(x->map + page * x->page, x->page, &vec) != 0)
		return -1;
	return vec & 1;
}

/* Resident pages of the whole file, by mincore() in slices (setup only). */
static long resident_pages_mincore(struct experiment *x)
{
	size_t slice = 1u << 16;
	unsigned char *vec = xmalloc(slice);
	long resident = 0;

	for (size_t first = 0; first < x->file_pages; first += slice) {
		size_t n = x->file_pages - first < slice ? x->file_pages - first : slice;
		if (mincore(x->map + first * x->page, n * x->page, vec) != 0) {
			free(vec);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			resident += vec[i] & 1;
	}
	free(vec);
	return resident;
}

static int evict_file(struct experiment *x)
{
	/* the mapping first: a page mapped by a PTE is not dropped by fadvise */
	if (madvise(x->map, x->file_bytes, MADV_DONTNEED) != 0)
		return -1;
	errno = posix_fadvise(x->fd, 0, (off_t)x->file_bytes, POSIX_FADV_DONTNEED);
	return errno ? -1 : 0;
}

static void mark_touched(struct worker *w, size_t page)
{
	struct experiment *x = w->x;
	size_t first = page > x->window_pages ? page - x->window_pages : 0;
	size_t last = page + x->window_pages;
	size_t pages_per_chunk = CHUNK_BYTES / x->page;

	if (last >= x->file_pages)
		last = x->file_pages - 1;
	for (size_t c = first / pages_per_chunk; c <= last / pages_per_chunk; c++)
		w->touched[c] = 1;
}

/*
 * Eviction in batches: the whole file is evicted (one madvise, one fadvise,
 * both over whole 2 MiB ranges, and one cachestat to verify), then x->batch
 * random pages outside the ranges faulted since are faulted. Evicting before
 * each fault would cost two or three system calls per fault (one of them,
 * madvise, under mmap_lock) inside A's loop; batched, eviction is a few % of
 * A's time (reported: A.evict_time_fraction). Each target is still checked
 * (cachestat, no mmap_lock) so that every timed touch is a major fault.
 */
static void evict_batch(struct worker *w)
{
	struct experiment *x = w->x;
	double t = now_s();

	if (evict_file(x) != 0) {
		w->evict_failures++;
	} else if (x->use_cachestat) {
		long left = cachestat_pages(x, 0, x->file_bytes);
		if (left >= 0) {
			w->resident_after_eviction += (uint64_t)left;
			w->evictions_checked++;
		}
	}
	w->evict_s += now_s() - t;
	w->evictions++;
	memset(w->touched, 0, x->nr_chunks);
}

static void *run_a(void *arg)
{
	struct worker *w = arg;
	struct experiment *x = w->x;
	size_t since_eviction = 0, redraws = 0;
	size_t pages_per_chunk = CHUNK_BYTES / x->page;

	w->touched = xcalloc(x->nr_chunks, 1);
	pthread_barrier_wait(&x->start);
	w->sched = thread_sched_now();
	w->t0 = now_s();
	evict_batch(w);
	while (!atomic_load_explicit(&x->stop, memory_order_relaxed)) {
		if (since_eviction >= x->batch || redraws >= MAX_RESIDENT_REDRAWS) {
			evict_batch(w);
			since_eviction = redraws = 0;
		}
		size_t page = probe_rnd(&w->rng) % x->file_pages;
		bool near_a_fault = w->touched[page / pages_per_chunk];
		int resident = page_resident(x, page);
		if (resident < 0) {
			w->error = errno_reason("A: checking a page's residency");
			break;
		}
		if (!near_a_fault)
			w->checked++;
		if (resident) {
			/* a resident page outside the ranges faulted since the eviction was not evicted */
			if (near_a_fault)
				w->redraws_readaround++;
			else
				w->redraws_not_evicted++;
			redraws++;
			continue;
		}
		mark_touched(w, page);
		double t = now_s();
		(void)*(volatile const char *)(x->map + page * x->page);
		double us = (now_s() - t) * 1e6;
		w->busy_s += us * 1e-6;
		samples_add(&w->acc->latency, us);
		w->ops++;
		since_eviction++;
		redraws = 0;
	}
	w->t1 = now_s();
	thread_sched_since(&w->sched);
	free(w->touched);
	w->touched = NULL;
	return NULL;
}

static void *run_b(void *arg)
{
	struct worker *w = arg;
	struct experiment *x = w->x;
	size_t len = B_REGION_PAGES * x->page;

	pthread_barrier_wait(&x->start);
	w->sched = thread_sched_now();
	w->t0 = now_s();
	while (!atomic_load_explicit(&x->stop, memory_order_relaxed)) {
		double t = now_s();
		void *p =
		        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			w->error = errno_reason("B: mmap");
			break;
		}
		munmap(p, len);
		samples_add(&w->acc->latency, (now_s() - t) * 1e6);
		w->ops++;
	}
	w->t1 = now_s();
	thread_sched_since(&w->sched);
	return NULL;
}

static void *run_reader(void *arg)
{
	struct worker *w = arg;
	struct experiment *x = w->x;
	char *buf = xmalloc(READ_BUFFER_BYTES);

	pthread_barrier_wait(&x->start);
	w->sched = thread_sched_now();
	w->t0 = now_s();
	while (!atomic_load_explicit(&x->stop, memory_order_relaxed)) {
		double t = now_s();
		size_t bytes = 0;
		ssize_t r;
		int fd = open(w->reader_path, O_RDONLY);
		if (fd < 0) {
			w->error = errno_reason(w->reader_path);
			break;
		}
		while ((r = read(fd, buf, READ_BUFFER_BYTES)) > 0)
			bytes += (size_t)r;
		close(fd);
		if (r < 0) {
			w->error = errno_reason(w->reader_path);
			break;
		}
		samples_add(&w->acc->latency, (now_s() - t) * 1e6);
		w->acc->bytes_per_read = bytes;
		w->ops++;
	}
	w->t1 = now_s();
	thread_sched_since(&w->sched);
	free(buf);
	return NULL;
}

static void accumulate(struct role_acc *acc, const struct worker *w, unsigned rep)
{
	double wall = w->t1 - w->t0;

	acc->ops += w->ops;
	acc->wall_s += wall;
	acc->busy_s += w->busy_s;
	acc->loop_rate[rep] = wall > 0 ? (double)w->ops / wall : 0;
	if (w->busy_s > 0)
		acc->rate[rep] = (double)w->ops / w->busy_s;
	else
		acc->rate[rep] = acc->loop_rate[rep];
	acc->sched.run_s += w->sched.run_s;
	acc->sched.runqueue_s += w->sched.runqueue_s;
	acc->sched.voluntary += w->sched.voluntary;
	acc->sched.involuntary += w->sched.involuntary;
	acc->sched_unknown |= !w->sched.known;
	acc->evictions += w->evictions;
	acc->evict_failures += w->evict_failures;
	acc->redraws_readaround += w->redraws_readaround;
	acc->redraws_not_evicted += w->redraws_not_evicted;
	acc->checked += w->checked;
	acc->resident_after_eviction += w->resident_after_eviction;
	acc->evictions_checked += w->evictions_checked;
	acc->evict_s += w->evict_s;
}

/* Runs one repetition of phase @p; NULL or the reason it failed. */
static char *run_phase(struct experiment *x, size_t p, unsigned rep)
{
	const struct phase *ph = &phases[p];
	struct worker workers[NR_ROLES];
	pthread_t threads[NR_ROLES];
	bool used[NR_ROLES] = { ph->a, ph->b, ph->reader_path != NULL };
	void *(*mains[NR_ROLES])(void *) = { run_a, run_b, run_reader };
	unsigned nr = 0;
	char *error = NULL;

	for (int r = 0; r < NR_ROLES; r++)
		nr += used[r];
	int err = pthread_barrier_init(&x->start, NULL, nr + 1);
	if (err)
		return xasprintf("pthread_barrier_init: %s", strerror(err));
	atomic_store(&x->stop, false);
	memset(workers, 0, sizeof(workers));
	long long read_before = ph->a ? probe_read_bytes() : -1;
	for (int r = 0; r < NR_ROLES; r++) {
		if (!used[r])
			continue;
		workers[r] = (struct worker){ .x = x,
			                      .acc = &x->acc[p][r],
			                      .reader_path = ph->reader_path,
			                      .rng = 0x9E3779B97F4A7C15ULL *
			                             (p * 131 + rep * 7 + r + 1) };
		err = pthread_create(&threads[r], NULL, mains[r], &workers[r]);
		if (err) {
			/* the threads started wait at the barrier: nothing can release them safely */
			fprintf(stderr, "mmsim probe: pthread_create: %s\n", strerror(err));
			abort();
		}
	}
	pthread_barrier_wait(&x->start);
	struct timespec ts = { (time_t)x->seconds,
		               (long)((x->seconds - (double)(time_t)x->seconds) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	atomic_store(&x->stop, true);
	for (int r = 0; r < NR_ROLES; r++)
		if (used[r])
			pthread_join(threads[r], NULL);
	pthread_barrier_destroy(&x->start);
	long long read_after = ph->a ? probe_read_bytes() : -1;

	json_t *rep_json = json_object();
	for (int r = 0; r < NR_ROLES; r++) {
		if (!used[r])
			continue;
		struct role_acc *acc = &x->acc[p][r];
		if (workers[r].error && !error)
			error = workers[r].error;
		else
			free(workers[r].error);
		accumulate(acc, &workers[r], rep);
		json_object_set_new(rep_json, role_names[r], json_real(acc->rate[rep]));
		if (r == ROLE_A)
			json_object_set_new(rep_json, "A_loop", json_real(acc->loop_rate[rep]));
	}
	if (read_before >= 0 && read_after >= read_before) {
		x->acc[p][ROLE_A].read_bytes += (uint64_t)(read_after - read_before);
		x->acc[p][ROLE_A].read_bytes_known = true;
	}
	json_array_append_new(x->reps[p], rep_json);
	if (!x->o->quiet) {
		fprintf(stderr, "probe: seed-000 %u/%u %-13s", rep + 1, x->repetitions, ph->name);
		for (int r = 0; r < NR_ROLES; r++)
			if (used[r])
				fprintf(stderr, "  %s %.0f/s", role_names[r],
				        x->acc[p][r].rate[rep]);
		fprintf(stderr, "\n");
	}
	return error;
}

/*
 * @key: the mean of the repetitions' rates; _min, _max, _median (robust to
 * one repetition the host slowed down) and _each (in order).
 */
static void rate_summary(json_t *obj, const char *key, const double *rate, unsigned n)
{
	double *sorted = xcalloc(n, sizeof(*sorted));
	json_t *each = json_array();
	char name[64];

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(each, json_real(rate[i]));
	memcpy(sorted, rate, n * sizeof(*sorted));
	gsl_sort(sorted, 1, n);
	json_object_set_new(obj, key, json_real(gsl_stats_mean(rate, 1, n)));
	snprintf(name, sizeof(name), "%s_min", key);
	json_object_set_new(obj, name, json_real(sorted[0]));
	snprintf(name, sizeof(name), "%s_max", key);
	json_object_set_new(obj, name, json_real(sorted[n - 1]));
	snprintf(name, sizeof(name), "%s_median", key);
	json_object_set_new(obj, name, json_real(gsl_stats_median_from_sorted_data(sorted, 1, n)));
	snprintf(name, sizeof(name), "%s_each", key);
	json_object_set_new(obj, name, each);
	free(sorted);
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static json_t *eviction_json(struct experiment *x, const struct role_acc *acc)
{
	json_t *e = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "verified_by",
	                      x->use_cachestat ? "cachestat" : "mincore", "evictions",
	                      (json_int_t)acc->evictions, "failed_calls",
	                      (json_int_t)acc->evict_failures, "targets_checked",
	                      (json_int_t)acc->checked, "targets_not_evicted",
	                      (json_int_t)acc->redraws_not_evicted, "targets_cached_by_readaround",
	                      (json_int_t)acc->redraws_readaround, "success_fraction",
	                      1 - ratio((double)acc->redraws_not_evicted, (double)acc->checked));
	if (acc->evictions_checked)
		json_object_set_new(e, "pages_left_after_eviction_mean",
		                    json_real((double)acc->resident_after_eviction /
		                              (double)acc->evictions_checked));
	return e;
}

/* The shares of a thread's time: on a CPU, runnable but waiting for one, asleep (blocked). */
static json_t *sched_json(const struct thread_sched *t, double wall_s)
{
	double on_cpu = ratio(t->run_s, wall_s), runqueue = ratio(t->runqueue_s, wall_s);
	double blocked = 1 - on_cpu - runqueue;

	return json_pack("{s:f, s:f, s:f, s:f, s:f}", "on_cpu_fraction", on_cpu,
	                 "runqueue_fraction", runqueue, "blocked_fraction",
	                 blocked < 0 ? 0 : blocked, "voluntary_switches_per_s",
	                 ratio((double)t->voluntary, wall_s), "involuntary_switches_per_s",
	                 ratio((double)t->involuntary, wall_s));
}

static json_t *role_json(struct experiment *x, struct role_acc *acc, enum role r,
                         const struct phase *ph)
{
	json_t *obj = json_object();

	rate_summary(obj, "ops_per_s", acc->rate, x->repetitions);
	json_object_set_new(obj, "ops", json_integer((json_int_t)acc->ops));
	json_t *dist = probe_distribution_json(acc->latency.v, acc->latency.n, "us");
	json_object_set_new(obj, "latency", dist ? dist : json_null());
	if (!acc->sched_unknown) {
		json_object_set_new(obj, "sched", sched_json(&acc->sched, acc->wall_s));
		/* the rate had the thread had a CPU to itself, when the machine is shared */
		json_object_set_new(obj, "ops_per_cpu_s",
		                    json_real(ratio((double)acc->ops, acc->sched.run_s)));
	}
	if (r == ROLE_A) {
		rate_summary(obj, "loop_ops_per_s", acc->loop_rate, x->repetitions);
		json_object_set_new(obj, "fault_time_fraction",
		                    json_real(ratio(acc->busy_s, acc->wall_s)));
		json_object_set_new(obj, "evict_time_fraction",
		                    json_real(ratio(acc->evict_s, acc->wall_s)));
		json_object_set_new(obj, "eviction", eviction_json(x, acc));
		if (acc->read_bytes_known)
			json_object_set_new(
			        obj, "read_kib_per_fault",
			        json_real(ratio((double)acc->read_bytes / 1024, (double)acc->ops)));
	} else if (r == ROLE_B) {
		json_object_set_new(obj, "region_kib",
		                    json_integer((json_int_t)(B_REGION_PAGES * x->page / 1024)));
	} else {
		json_object_set_new(obj, "file", json_string(ph->reader_path));
		json_object_set_new(obj, "bytes_per_read",
		                    json_integer((json_int_t)acc->bytes_per_read));
	}
	return obj;
}

static char *setup(struct experiment *x, const struct probe_options *o)
{
	const char *dir = o->dir ? o->dir : ".";
	size_t file_mb = o->file_mb ? o->file_mb : DEFAULT_FILE_MB;
	struct statvfs vfs;

	x->o = o;
	x->fd = -1;
	x->map = MAP_FAILED;
	x->seconds = o->seconds > 0 ? o->seconds : DEFAULT_SECONDS;
	x->repetitions = o->repetitions ? o->repetitions : DEFAULT_REPETITIONS;
	x->page = (size_t)sysconf(_SC_PAGESIZE);
	x->notes = json_array();
	for (size_t p = 0; p < NR_PHASES; p++) {
		x->reps[p] = json_array();
		for (int r = 0; r < NR_ROLES; r++) {
			x->acc[p][r].rate = xcalloc(x->repetitions, sizeof(double));
			x->acc[p][r].loop_rate = xcalloc(x->repetitions, sizeof(double));
			x->acc[p][r].latency.rng = 0x6A09E667F3BCC909ULL + p * NR_ROLES + (size_t)r;
		}
	}
	if (file_mb > (SIZE_MAX >> 21))
		return xasprintf("a scratch file of %zu MiB is too large", file_mb);
	x->file_bytes = file_mb << 20;
	x->file_pages = x->file_bytes / x->page;
	x->nr_chunks = (x->file_bytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
	if (statvfs(dir, &vfs) != 0)
		return xasprintf("%s: %s", dir, strerror(errno));
	unsigned long long avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
	/* keep 64 MiB free beside the file */
	if (avail < (unsigned long long)x->file_bytes + (64ull << 20))
		return xasprintf("not enough space in %s for a %zu MiB scratch file: %llu MiB free",
		                 dir, file_mb, avail >> 20);

	char *path = xasprintf("%s/mmsim-seed000-XXXXXX", dir);
	x->fd = mkstemp(path);
	if (x->fd < 0) {
		char *why = xasprintf("creating %s: %s", path, strerror(errno));
		free(path);
		return why;
	}
	/* unlinked at once: nothing is left behind whatever happens next */
	unlink(path);
	free(path);
	if (!o->quiet)
		fprintf(stderr, "probe: seed-000: writing a %zu MiB scratch file in %s\n", file_mb,
		        dir);
	if (probe_fill_file(x->fd, x->file_bytes) != 0)
		return errno_reason("writing the scratch file");
	x->map = mmap(NULL, x->file_bytes, PROT_READ, MAP_SHARED, x->fd, 0);
	if (x->map == MAP_FAILED)
		return errno_reason("mmap of the scratch file");

	x->read_ahead_kb = probe_read_ahead_kb(dir);
	/* a fault reads around it (up to the read-ahead size, centred): those pages are not targets */
	size_t reach = x->read_ahead_kb > 0 ? (size_t)x->read_ahead_kb << 10 : 128u << 10;
	x->window_pages = (reach / 2 + x->page - 1) / x->page;
	/* faults per eviction: the faults of a batch read around a quarter of the file at most */
	size_t windows = x->file_bytes / (reach > CHUNK_BYTES ? reach : CHUNK_BYTES);
	x->batch = windows / 4 < 1 ? 1 : windows / 4 > 256 ? 256 : windows / 4;

	x->use_cachestat = cachestat_pages(x, 0, x->page) >= 0;
	if (evict_file(x) != 0)
		return errno_reason("evicting the scratch file (madvise, posix_fadvise)");
	long left = resident_pages_mincore(x);
	if (left < 0)
		return errno_reason("mincore of the scratch file");
	if ((size_t)left * 2 > x->file_pages)
		return xasprintf("eviction does not work here: after madvise(MADV_DONTNEED) and "
		                 "posix_fadvise(POSIX_FADV_DONTNEED), mincore finds %ld of %zu "
		                 "pages of the scratch file still cached (tmpfs? --dir a folder "
		                 "on a disk)",
		                 left, x->file_pages);
	if (left > 0)
		json_array_append_new(
		        x->notes, json_sprintf("the first eviction left %ld of %zu pages cached",
		                               left, x->file_pages));
	return NULL;
}

static void teardown(struct experiment *x)
{
	if (x->map != MAP_FAILED)
		munmap(x->map, x->file_bytes);
	if (x->fd >= 0)
		close(x->fd);
	for (size_t p = 0; p < NR_PHASES; p++) {
		json_decref(x->reps[p]);
		for (int r = 0; r < NR_ROLES; r++) {
			free(x->acc[p][r].rate);
			free(x->acc[p][r].loop_rate);
			free(x->acc[p][r].latency.v);
		}
	}
	json_decref(x->notes);
}

static void add_notes(struct experiment *x)
{
	const struct role_acc *a = NULL;
	uint64_t checked = 0, not_evicted = 0, failed = 0;

	json_array_append_new(
	        x->notes,
	        json_string("A.ops_per_s is faults per second spent faulting (the touches only): "
	                    "the rate of a thread that only faults, comparable with mmsim's A/s; "
	                    "A.loop_ops_per_s counts the whole loop, eviction and residency "
	                    "checks included"));
	json_array_append_new(
	        x->notes,
	        json_string("sched: the shares of each thread's wall time on a CPU, runnable "
	                    "but waiting for one (a loaded or small machine), and asleep (a lock "
	                    "or I/O wait); ops_per_cpu_s is ops per second on a CPU"));
	json_array_append_new(
	        x->notes,
	        json_sprintf("A evicts the whole file every %zu faults (madvise MADV_DONTNEED, "
	                     "posix_fadvise POSIX_FADV_DONTNEED) and faults only pages that %s "
	                     "finds not cached; B maps and unmaps %zu KiB of anonymous memory "
	                     "it never touches",
	                     x->batch,
	                     x->use_cachestat ? "cachestat (no mmap_lock)"
	                                      : "mincore (which takes mmap_lock for read)",
	                     B_REGION_PAGES * x->page / 1024));
	for (size_t p = 0; p < NR_PHASES; p++) {
		if (!phases[p].a)
			continue;
		a = &x->acc[p][ROLE_A];
		checked += a->checked;
		not_evicted += a->redraws_not_evicted;
		failed += a->evict_failures;
	}
	if (failed)
		json_array_append_new(x->notes,
		                      json_sprintf("%" PRIu64 " eviction calls failed", failed));
	if (not_evicted)
		json_array_append_new(
		        x->notes,
		        json_sprintf("%" PRIu64 " of %" PRIu64 " random pages away from A's faults "
		                     "were still cached after an eviction (redrawn, not timed)",
		                     not_evicted, checked));
}

json_t *probe_experiment_seed000(const struct probe_options *o, char **why)
{
	struct experiment *x = xcalloc(1, sizeof(*x));
	struct utsname u;
	json_t *result = NULL;

	*why = setup(x, o);
	for (unsigned rep = 0; rep < x->repetitions && !*why; rep++)
		/* interleaved, and rotated each repetition, so that a drift of the machine spreads */
		for (size_t i = 0; i < NR_PHASES && !*why; i++)
			*why = run_phase(x, (i + rep) % NR_PHASES, rep);
	if (!*why) {
		uint64_t faults = 0, checked = 0, not_evicted = 0;
		for (size_t p = 0; p < NR_PHASES; p++) {
			faults += phases[p].a ? x->acc[p][ROLE_A].ops : 0;
			checked += x->acc[p][ROLE_A].checked;
			not_evicted += x->acc[p][ROLE_A].redraws_not_evicted;
		}
		if (faults == 0)
			*why = xasprintf("A faulted on no evicted page: %" PRIu64 " of %" PRIu64
			                 " pages checked after an eviction were still cached",
			                 not_evicted, checked);
	}
	if (!*why) {
		add_notes(x);
		json_t *phases_json = json_object();
		for (size_t p = 0; p < NR_PHASES; p++) {
			json_t *ph = json_object();
			json_object_set(ph, "repetitions", x->reps[p]);
			if (phases[p].a)
				json_object_set_new(
				        ph, "A",
				        role_json(x, &x->acc[p][ROLE_A], ROLE_A, &phases[p]));
			if (phases[p].b)
				json_object_set_new(
				        ph, "B",
				        role_json(x, &x->acc[p][ROLE_B], ROLE_B, &phases[p]));
			if (phases[p].reader_path)
				json_object_set_new(ph, "reader",
				                    role_json(x, &x->acc[p][ROLE_READER],
				                              ROLE_READER, &phases[p]));
			json_object_set_new(phases_json, phases[p].name, ph);
		}
		result = json_pack("{s:s, s:I, s:f, s:I, s:I, s:s, s:I, s:o, s:O}", "experiment",
		                   "seed-000", "file_mb", (json_int_t)(x->file_bytes >> 20),
		                   "seconds", x->seconds, "repetitions", (json_int_t)x->repetitions,
		                   "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "kernel",
		                   uname(&u) == 0 ? u.release : "unknown", "read_ahead_kb",
		                   (json_int_t)x->read_ahead_kb, "phases", phases_json, "notes",
		                   x->notes);
	}
	teardown(x);
	free(x);
	return result;
}
