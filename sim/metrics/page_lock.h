/* page_lock.h - the metric family of page locks: per file, the swap cache's, and all. */
#ifndef SIM_METRICS_PAGE_LOCK_H
#define SIM_METRICS_PAGE_LOCK_H

#include "sim/metrics/family.h"

/* Page locks: of one file, or of all. */
struct page_lock_stats {
	uint64_t acquisitions; /* grants to tasks (lock_page, trylock_page by a task) */
	struct summary wait;   /* each grant's wait (0: at once) and each wait_on_page_locked */
	struct summary hold;   /* each task's hold, grant to unlock */
};

struct page_lock_metrics {
	unsigned nr_files;
	struct page_lock_stats *files; /* owned: per file id, then the swap cache's: recorded */
	struct page_lock_stats all;    /* the totals */
};

extern const struct metric_family page_lock_family;

struct recorder;
/* The page-lock stats of file @file_id (SWAP_FILE_ID: the swap cache's). */
const struct page_lock_stats *recorder_file_locks(const struct recorder *r, int file_id);

#endif
