/*
 * histfile.h - the distributions behind a point's summaries, for `mmsim
 * report`: OUT/points/<id>/histograms.json (and each replication's), one
 * entry per summary of results.json, keyed by its dotted path
 * ("mmap_sem.write.by_site.mmap.wait_us"):
 *
 *   {"count", "min_ns", "max_ns", "sum_ns", "bins": [[lo_ns, hi_ns, count]...]}
 *
 * the non-empty bins in order, coarser than the summary's (to keep the file
 * some 50 kB): below 128 ns a bin is one value (lo = hi), above it spans
 * [lo, hi), a sixteenth of one power of two (hi capped at max_ns), so a log2
 * histogram is rebuilt from it exactly; a quantile within 6 %.
 * results.json itself is unchanged (its bytes, its checksum).
 */
#ifndef SIM_HISTFILE_H
#define SIM_HISTFILE_H

#include <stdbool.h>

#include <jansson.h>

#include "sim/stats.h"

/* The key a summary's JSON carries its bins under while histfile_capture is on. */
#define HISTFILE_KEY "_bins"

/* While true, summary_json adds HISTFILE_KEY to each summary (output_point sets it). */
extern bool histfile_capture;

/* The entry of @s (new reference). */
json_t *histfile_summary(const struct summary *s);

/* Moves every HISTFILE_KEY out of @metrics into a new object keyed by dotted path. */
json_t *histfile_extract(json_t *metrics);

/* Writes @hists as @dir/histograms.json (compact, atomically); 0 or -1. */
int histfile_write(const char *dir, json_t *hists);

/*
 * The histograms of point @id of output folder @out (new reference): its own
 * file, or its replications' merged (counts and bins added, min and max
 * kept); NULL and *@why (to free) if there is none.
 */
json_t *histfile_load_point(const char *out, const char *id, char **why);

/* Entry @path of @hists, or NULL. */
json_t *histfile_get(json_t *hists, const char *path);

#endif
