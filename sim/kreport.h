/*
 * kreport.h - `mmsim report OUT`: a finished output folder read again, as
 * the results table (sim/report_table.c) or in the layouts kernel engineers
 * read lock contention in, from each point's results.json and
 * histograms.json (sim/histfile.h):
 *
 *   lockstat       /proc/lock_stat (kernel/locking/lockdep_proc.c, seq_stats):
 *                  the lock per mode, its call sites, its contention points
 *   perf-lock      `perf lock contention` (tools/perf/builtin-lock.c), a row
 *                  per mode and call site; perf-lock-csv as with `-x ,`
 *   hist           bpftrace hist(): log2 histograms, in ns, of the durations
 *                  chosen with --columns (default: mmap_sem's waits and holds)
 *   cdf            the empirical CDF of those durations, value_us fraction
 */
#ifndef SIM_KREPORT_H
#define SIM_KREPORT_H

struct cli_command;

/* Its entry in the command table. */
extern const struct cli_command report_command;

#endif
