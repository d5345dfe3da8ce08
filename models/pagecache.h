/*
 * pagecache.h - page cache pages and the page lock (PG_locked).
 *
 * Abstracts mm/filemap.c of 2.6.36-2.6.38: find_get_page, add_to_page_cache
 * (pages inserted locked for I/O), lock_page, trylock_page, unlock_page,
 * wait_on_page_locked, and lock_page_or_retry's waiting part
 * (docs/kernel-model.md#page-cache, #lock-page-or-retry).
 * Units: pages of 4 KiB.
 */
#ifndef MODELS_PAGECACHE_H
#define MODELS_PAGECACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/dist.h"
#include "models/env.h"
#include "models/memcg.h"

/* A file's page-cache identity (struct address_space of its inode). */
struct inode {
	int id;
	uint64_t pages;        /* file size */
	uint64_t cached_pages; /* pages [0, cached_pages) are resident from the start */
};

struct page_waiter {
	struct page_waiter *next;
	struct task *task; /* borrowed */
	bool exclusive;    /* lock_page (one woken per unlock) vs wait_on_page_locked (all) */
	bool woken;
};

/*
 * Guide to the state: a page is in the hash while cached; @refs counts the
 * tasks and I/O requests using it (find_get_page/put_page); only an unlocked
 * page with no refs and not @resident may be evicted (LRU order). A page
 * charged to a memcg (@memcg) is also on that cgroup's list, in LRU order, and
 * is uncharged when it leaves the cache.
 */
struct page {
	struct inode *inode; /* borrowed */
	uint64_t index;      /* page offset in the file */
	bool locked;         /* PG_locked: I/O in flight, or a holder */
	bool held;           /* locked by a task (not for I/O): its unlock ends a hold */
	sim_ns locked_at;    /* with @held: when the task took the lock */
	bool uptodate;       /* PG_uptodate: data read */
	bool readahead;      /* PG_readahead: hitting it starts the next window */
	bool resident;       /* cached from the start; never evicted */
	unsigned refs;
	struct page_waiter *wait_head, *wait_tail;
	struct page *hash_next;
	struct page *lru_prev, *lru_next;
	struct memcg *memcg;              /* borrowed: charged to it (page_cgroup); NULL: not */
	struct page *cg_older, *cg_newer; /* on @memcg's list */
};

struct pagecache {
	const struct dist *wakeup; /* borrowed: wake-up latency of page waiters */
	uint64_t capacity_pages;   /* pages read during the run kept at most */
	uint64_t nr_pages;         /* pages in the cache, not counting resident ones */
	struct page **hash;        /* owned; buckets */
	uint64_t hash_mask;
	uint64_t nr_hashed;        /* pages in the hash, resident ones included */
	struct page lru;           /* list head: lru_next is the most recent */
	struct page *free_pages;   /* recycled page structs */
	struct page_chunk *chunks; /* owned allocation blocks */
};

int pagecache_init(struct pagecache *pc, uint64_t capacity_pages, const struct dist *wakeup);
void pagecache_release(struct pagecache *pc);

/* Lookup with a reference, or NULL (a miss). Context: no locks needed (RCU). */
struct page *find_get_page(struct pagecache *pc, struct inode *inode, uint64_t index);
/* True if the page is cached (no reference taken). */
bool page_cached(struct pagecache *pc, const struct inode *inode, uint64_t index);
/*
 * The page's state without a lookup's side effects: no reference, no LRU
 * move, a page cached from the start left unmaterialised (filemap_map_pages
 * maps pages without marking them accessed). NULL if the page is not cached
 * or cached from the start and never looked up: *@from_start says which.
 */
struct page *pagecache_peek(struct pagecache *pc, const struct inode *inode, uint64_t index,
                            bool *from_start);
/* Insert a new page, locked and not up to date, with one reference (for the I/O). */
struct page *add_to_page_cache_locked(struct pagecache *pc, struct inode *inode, uint64_t index);
/*
 * The same, by task @t, for a page already charged to @cg (NULL: not
 * charged; mem_cgroup_cache_charge is the caller's); the pages evicted to
 * make room are uncharged with @t as the waker of their cgroups' OOM waiters
 * (add_to_page_cache_locked: NULL, when no cgroup can have one). The page is
 * uncharged when it leaves the cache, evicted by the cache's capacity or by
 * its cgroup's reclaim.
 */
struct page *add_to_page_cache_memcg(struct pagecache *pc, struct inode *inode, uint64_t index,
                                     struct memcg *cg, struct task *t);
void put_page(struct pagecache *pc, struct page *page);

/* Without a task (set-up, I/O): not recorded, and not a hold. */
bool trylock_page(struct page *page);
/* trylock_page by task @t (NULL: as trylock_page); a success is recorded as a grant. */
bool trylock_page_task(struct page *page, struct task *t);
/*
 * Context: may sleep until the page is unlocked (lock_page, __lock_page).
 * Records the grant (and its wait) when @t is a task.
 */
void lock_page(struct pagecache *pc, struct page *page, struct task *t);
/*
 * Context: may sleep until the page is unlocked; does not take the lock.
 * A wait on a locked page is recorded (record_page_wait).
 */
void wait_on_page_locked(struct pagecache *pc, struct page *page, struct task *t);
/*
 * Context: @waker holds the page lock (or is the I/O completing it). The end
 * of a task's hold is recorded (with @waker's time; not when @waker is NULL).
 */
void unlock_page(struct pagecache *pc, struct page *page, struct task *waker);

#endif
