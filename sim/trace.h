/*
 * trace.h - timelines of one run (mmsim run --trace FILE): the records of
 * models/env.h, as they are made, become slices, counters and flow arrows,
 * written at the end as Trace Event Format JSON (Perfetto, Chrome tracing;
 * sim/trace_tef.c) or a Paje trace (ViTE; sim/trace_paje.c).
 *
 * Off (the default), each hook is one test of a global pointer: a run
 * without --trace does what it did, byte for byte.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdbool.h>
#include <stdio.h>

#include "models/env.h"

struct scenario;

enum trace_format { TRACE_TEF, TRACE_PAJE };

/* What --trace, --trace-window and --trace-format asked for. */
struct trace_options {
	const char *path; /* NULL: no trace */
	enum trace_format format;
	sim_ns t0, t1;     /* the window of simulated time; t1 < 0: to the end */
	const char *point; /* the traced point's id (the only one selected) */
};

/* --trace-window T0:T1 (seconds, T0 < T1) into @o; 0 or 2 after a message. */
int trace_parse_window(struct trace_options *o, const char *arg);
/* --trace-format tef|paje; 0 or 2. */
int trace_parse_format(struct trace_options *o, const char *arg);

struct trace;
/* The trace being recorded in this process, NULL (nearly always): the hooks test it. */
extern struct trace *trace_active;

/* Starts recording point @s (borrowed until trace_end) into trace_active. */
void trace_begin(const struct trace_options *o, const struct scenario *s, sim_ns end_ns);
/* Writes the file (atomically) and frees the trace; 0, or 1 after a message. */
int trace_end(void);

/* ---- the hooks, called by the records (sim/metrics/) --------------------- */

void trace_lock_grant(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns request,
                      sim_ns grant);
void trace_lock_release(struct task *t, int mm_id, enum lock_mode mode, int site, sim_ns grant);
void trace_lock_handoff(struct task *waker, struct task *waiter, int mm_id);
void trace_page_wait(struct task *t, int file_id, sim_ns request, sim_ns end);
void trace_fault(struct task *t, bool major, int retries, sim_ns start);
void trace_iteration(struct task *t, sim_ns start);
void trace_disk_level(struct task *t, int device, int in_device);
void trace_disk_complete(struct task *t, int device, int in_device, sim_ns submit, sim_ns start);

/* ---- what the writers see (sim/trace.c builds it, sorted) ----------------- */

enum trace_track_kind { TRACK_THREAD, TRACK_LOCK, TRACK_DEVICE };

/* A row of the timeline: a thread, a process's mmap_sem, a device's channel. */
struct trace_track {
	enum trace_track_kind kind;
	int process; /* index into the trace's processes */
	int tid;     /* unique over the trace */
	char *name;
};

/* A slice [start, end] on a track; depth 0 the outermost. */
struct trace_slice {
	sim_ns start, end;
	int track;
	int depth;
	const char *name; /* static or owned by the trace */
	const char *arg;  /* its "site" (a call site, a file), or NULL */
};

/* A counter of track @track (its lock, its device): @value from @ts on. */
struct trace_counter {
	sim_ns ts;
	int track;
	const char *name; /* static */
	long value;
};

/* An arrow from track @from at @ts (the releaser) to track @to (a waiter granted). */
struct trace_flow {
	sim_ns ts;
	int from, to;
	long long id;
};

struct trace_data {
	const char *const *processes; /* names, [nr_processes] */
	unsigned nr_processes;
	const struct trace_track *tracks;
	unsigned nr_tracks;
	const struct trace_slice *slices; /* by track, then start, outer first */
	size_t nr_slices;
	const struct trace_counter *counters; /* each track's and name's together, in time order */
	size_t nr_counters;
	const struct trace_flow *flows; /* by time */
	size_t nr_flows;
	sim_ns t0, t1; /* the window */
};

/* The writers: the whole file into @f; 0 or -1 (a write failed). */
int trace_write_tef(FILE *f, const struct trace_data *d);
int trace_write_paje(FILE *f, const struct trace_data *d);

#endif
