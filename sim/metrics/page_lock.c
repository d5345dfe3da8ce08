/* page_lock.c - the records of page locks and their metrics (page_lock.*). */
#include <assert.h>

#include "models/swap.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/trace.h"
#include "sim/util.h"

static void page_lock_init(struct recorder *r, const struct recorder_shape *shape)
{
	struct page_lock_metrics *m = &r->page_locks;

	/* calloc: every count and summary starts empty (summary_init is all zeroes) */
	m->nr_files = shape->nr_files;
	m->files = xcalloc(m->nr_files + 1, sizeof(*m->files));
}

static void page_lock_stats_release(struct page_lock_stats *l)
{
	summary_release(&l->wait);
	summary_release(&l->hold);
}

static void page_lock_release(struct recorder *r)
{
	struct page_lock_metrics *m = &r->page_locks;

	page_lock_stats_release(&m->all);
	for (unsigned i = 0; i <= m->nr_files; i++)
		page_lock_stats_release(&m->files[i]);
	free(m->files);
}

/* The swap cache's stats follow the files'. */
static struct page_lock_stats *file_locks(const struct page_lock_metrics *m, int file_id)
{
	if (file_id == SWAP_FILE_ID)
		return &m->files[m->nr_files];
	assert(file_id >= 0 && (unsigned)file_id < m->nr_files);
	return &m->files[file_id];
}

const struct page_lock_stats *recorder_file_locks(const struct recorder *r, int file_id)
{
	return file_locks(&r->page_locks, file_id);
}

void record_page_lock_grant(struct task *t, int file_id, sim_ns request, sim_ns grant)
{
	struct recorder *r = record_get(t, grant);
	struct page_lock_stats *f;

	if (trace_active)
		trace_page_wait(t, file_id, request, grant);
	if (!r)
		return;
	f = file_locks(&r->page_locks, file_id);
	f->acquisitions++;
	summary_add(&f->wait, grant - request);
}

void record_page_lock_release(struct task *t, int file_id, sim_ns grant)
{
	sim_ns now = task_now(t);
	struct recorder *r = record_get(t, now);

	if (!r)
		return;
	summary_add(&file_locks(&r->page_locks, file_id)->hold, now - grant);
}

void record_page_wait(struct task *t, int file_id, sim_ns request, sim_ns end)
{
	struct recorder *r = record_get(t, end);

	if (trace_active)
		trace_page_wait(t, file_id, request, end);
	if (!r)
		return;
	summary_add(&file_locks(&r->page_locks, file_id)->wait, end - request);
}

/* The files' page locks (the swap cache's included) give all page locks. */
static void page_lock_totals(struct recorder *r)
{
	struct page_lock_metrics *m = &r->page_locks;

	for (unsigned f = 0; f <= m->nr_files; f++) {
		m->all.acquisitions += m->files[f].acquisitions;
		summary_merge(&m->all.wait, &m->files[f].wait);
		summary_merge(&m->all.hold, &m->files[f].hold);
	}
}

static json_t *page_lock_json(const struct page_lock_stats *l)
{
	return json_pack("{so so}", "wait_us", summary_json(&l->wait), "hold_us",
	                 summary_json(&l->hold));
}

/* page_lock.*: all page locks, per file, and the swap cache's. */
static void page_lock_output(json_t *m, const struct metric_output *o)
{
	const struct page_lock_metrics *pl = &o->r->page_locks;
	json_t *all = page_lock_json(&pl->all);
	struct file_ids ids;

	json_object_set_new(all, "acquisitions", json_integer((json_int_t)pl->all.acquisitions));
	json_object_set_new(all, "waits", json_integer((json_int_t)pl->all.wait.count));
	json_dotted_set(m, "page_lock", all);
	output_file_ids(o->s, &ids);
	for (unsigned f = 0; f < pl->nr_files && f < ids.nr; f++) {
		char *path = xasprintf("page_lock.files.%s", ids.names[f]);

		json_dotted_set(m, path, page_lock_json(file_locks(pl, (int)f)));
		free(path);
	}
	file_ids_release(&ids);
	json_dotted_set(m, "page_lock.swap", page_lock_json(file_locks(pl, SWAP_FILE_ID)));
}

/* The README's rows of the family's metrics (`mmsim list`). */
static const struct metric_doc page_lock_docs[] = {
	{ "`page_lock.acquisitions`",
	  "page locks taken by a task after warm-up (`lock_page`, `trylock_page`); a page locked "
	  "for its read and unlocked by the device is not one" },
	{ "`page_lock.waits`", "the `wait_us` samples: every acquisition (0 when taken at once) "
	                       "and every `wait_on_page_locked` on a locked page" },
	{ "`page_lock.wait_us.*`",
	  "from `lock_page` to the grant, or the `wait_on_page_locked` wait" },
	{ "`page_lock.hold_us.*`", "from a task's grant to its `unlock_page`" },
	{ "`page_lock.files.<file>.{wait_us, hold_us}.*`",
	  "the same, for the pages of one file (named as in `mappings[].file`)" },
	{ "`page_lock.swap.{wait_us, hold_us}.*`", "the same, for swap-cache pages" },
	{ NULL, NULL },
};

const struct metric_family page_lock_family = {
	.name = "page_lock",
	.docs = page_lock_docs,
	.init = page_lock_init,
	.release = page_lock_release,
	.totals = page_lock_totals,
	.output = page_lock_output,
};
