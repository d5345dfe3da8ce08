/*
 * pagecache.c - the page cache (a hash of pages with LRU eviction) and the
 * page lock with its wait queue.
 *
 * Omitted: the radix tree and tree_lock (lookups are lockless in 2.6.36),
 * dirty pages and writeback, memory reclaim cost (eviction is free), and the
 * hashed wait-queue collisions of the kernel (each page has its own queue).
 * A page read by a task in a memory cgroup is charged to it
 * (mem_cgroup_cache_charge in add_to_page_cache_locked, 2.6.36) and
 * uncharged when evicted (mem_cgroup_uncharge_cache_page); the cgroup's
 * reclaim evicts its own pages, least recently used first
 * (docs/kernel-model.md#memcg).
 * The wake-up of a page lock waiter follows __wake_up_bit: every
 * wait_on_page_locked() waiter and the first lock_page() waiter are woken;
 * the latter tries to take the lock when it runs and queues again at the tail
 * if somebody took it first (no hand-off, unlike the rwsem).
 * Records: a task's grant (its wait from lock_page's call, 0 for a trylock),
 * the end of its hold at unlock_page, and wait_on_page_locked's waits; a lock
 * taken without a task (a page inserted locked for its read, unlocked by the
 * device) is no hold.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "models/pagecache.h"

#define PAGE_CHUNK 1024

struct page_chunk {
	struct page_chunk *next;
	struct page pages[PAGE_CHUNK];
};

static uint64_t pagecache_hash(const struct inode *inode, uint64_t index)
{
	uint64_t h = index * 0x9E3779B97F4A7C15ULL ^ (uint64_t)inode->id * 0xC2B2AE3D27D4EB4FULL;

	return h ^ (h >> 29);
}

int pagecache_init(struct pagecache *pc, uint64_t capacity_pages, const struct dist *wakeup)
{
	uint64_t buckets = 1024;

	memset(pc, 0, sizeof(*pc));
	while (buckets < capacity_pages && buckets < (1ULL << 24))
		buckets <<= 1;
	pc->hash = calloc(buckets, sizeof(*pc->hash));
	if (!pc->hash)
		return -1;
	pc->hash_mask = buckets - 1;
	pc->capacity_pages = capacity_pages;
	pc->wakeup = wakeup;
	pc->lru.lru_next = pc->lru.lru_prev = &pc->lru;
	return 0;
}

void pagecache_release(struct pagecache *pc)
{
	while (pc->chunks) {
		struct page_chunk *c = pc->chunks;

		pc->chunks = c->next;
		free(c);
	}
	free(pc->hash);
	pc->hash = NULL;
}

static struct page *pagecache_alloc(struct pagecache *pc)
{
	struct page *p = pc->free_pages;

	if (!p) {
		struct page_chunk *c = malloc(sizeof(*c));

		if (!c)
			abort();
		c->next = pc->chunks;
		pc->chunks = c;
		for (int i = PAGE_CHUNK - 1; i >= 0; i--) {
			c->pages[i].hash_next = pc->free_pages;
			pc->free_pages = &c->pages[i];
		}
		p = pc->free_pages;
	}
	pc->free_pages = p->hash_next;
	memset(p, 0, sizeof(*p));
	return p;
}

static void lru_unlink(struct page *p)
{
	p->lru_prev->lru_next = p->lru_next;
	p->lru_next->lru_prev = p->lru_prev;
}

static void lru_add_front(struct pagecache *pc, struct page *p)
{
	p->lru_next = pc->lru.lru_next;
	p->lru_prev = &pc->lru;
	pc->lru.lru_next->lru_prev = p;
	pc->lru.lru_next = p;
}

static void cg_list_unlink(struct page *p)
{
	struct memcg *cg = p->memcg;

	if (p->cg_older)
		p->cg_older->cg_newer = p->cg_newer;
	else
		cg->cache_oldest = p->cg_newer;
	if (p->cg_newer)
		p->cg_newer->cg_older = p->cg_older;
	else
		cg->cache_newest = p->cg_older;
	p->cg_older = p->cg_newer = NULL;
}

static void cg_list_add_newest(struct page *p)
{
	struct memcg *cg = p->memcg;

	p->cg_newer = NULL;
	p->cg_older = cg->cache_newest;
	if (cg->cache_newest)
		cg->cache_newest->cg_newer = p;
	else
		cg->cache_oldest = p;
	cg->cache_newest = p;
}

static struct page **pagecache_slot(struct pagecache *pc, const struct inode *inode, uint64_t index)
{
	struct page **pp = &pc->hash[pagecache_hash(inode, index) & pc->hash_mask];

	while (*pp && ((*pp)->inode != inode || (*pp)->index != index))
		pp = &(*pp)->hash_next;
	return pp;
}

/*
 * Twice the buckets, when the pages outnumber them: the resident pages of a
 * large cached file are materialised one by one, beyond the capacity the
 * hash was sized for; chains must stay short (every fault looks up).
 */
static void pagecache_grow(struct pagecache *pc)
{
	uint64_t old = pc->hash_mask + 1, mask = 2 * old - 1;
	struct page **hash = calloc(2 * old, sizeof(*hash));

	if (!hash)
		return; /* longer chains, still correct */
	for (uint64_t b = 0; b < old; b++) {
		while (pc->hash[b]) {
			struct page *p = pc->hash[b];
			struct page **pp = &hash[pagecache_hash(p->inode, p->index) & mask];

			pc->hash[b] = p->hash_next;
			p->hash_next = *pp;
			*pp = p;
		}
	}
	free(pc->hash);
	pc->hash = hash;
	pc->hash_mask = mask;
}

static struct page *pagecache_insert(struct pagecache *pc, struct inode *inode, uint64_t index)
{
	struct page *p = pagecache_alloc(pc);
	struct page **pp;

	if (++pc->nr_hashed > pc->hash_mask + 1 && pc->hash_mask < (1ULL << 27))
		pagecache_grow(pc);
	pp = &pc->hash[pagecache_hash(inode, index) & pc->hash_mask];

	p->inode = inode;
	p->index = index;
	p->hash_next = *pp;
	*pp = p;
	return p;
}

/* Takes an unlocked, unused page out of the cache; its cgroup's list too (no uncharge). */
static void pagecache_evict(struct pagecache *pc, struct page *p)
{
	*pagecache_slot(pc, p->inode, p->index) = p->hash_next;
	pc->nr_hashed--;
	lru_unlink(p);
	if (p->memcg) {
		cg_list_unlink(p);
		p->memcg->cache_pages--;
	}
	p->hash_next = pc->free_pages;
	pc->free_pages = p;
	pc->nr_pages--;
}

/* Drop least recently used pages until the new one fits; @t uncharges them. */
static void pagecache_shrink(struct pagecache *pc, struct task *t)
{
	struct page *p = pc->lru.lru_prev;

	while (pc->nr_pages >= pc->capacity_pages && p != &pc->lru) {
		struct page *prev = p->lru_prev;

		if (!p->locked && !p->refs) {
			struct memcg *cg = p->memcg;

			pagecache_evict(pc, p);
			if (cg) /* mem_cgroup_uncharge_cache_page: may end an OOM wait */
				memcg_uncharge(cg, t, 1);
		}
		p = prev;
	}
}

/* memcg reclaim's page-cache part (memcg_cache_reclaim_fn): the cgroup's oldest pages. */
static uint64_t pagecache_reclaim_memcg(struct memcg *cg, uint64_t nr, void *arg)
{
	struct pagecache *pc = arg;
	struct page *p = cg->cache_oldest;
	uint64_t freed = 0;

	while (p && freed < nr) {
		struct page *newer = p->cg_newer;

		if (!p->locked && !p->refs) {
			pagecache_evict(pc, p);
			freed++;
		}
		p = newer;
	}
	return freed;
}

struct page *find_get_page(struct pagecache *pc, struct inode *inode, uint64_t index)
{
	struct page *p = *pagecache_slot(pc, inode, index);

	if (p) {
		if (!p->resident) {
			lru_unlink(p);
			lru_add_front(pc, p);
		}
		if (p->memcg) {
			cg_list_unlink(p);
			cg_list_add_newest(p);
		}
	} else if (index < inode->cached_pages) {
		/* materialise a page that was cached from the start */
		p = pagecache_insert(pc, inode, index);
		p->uptodate = true;
		p->resident = true;
	} else {
		return NULL;
	}
	p->refs++;
	return p;
}

struct page *pagecache_peek(struct pagecache *pc, const struct inode *inode, uint64_t index,
                            bool *from_start)
{
	struct page *p = *pagecache_slot(pc, inode, index);

	*from_start = !p && index < inode->cached_pages;
	return p;
}

bool page_cached(struct pagecache *pc, const struct inode *inode, uint64_t index)
{
	return index < inode->cached_pages || *pagecache_slot(pc, inode, index);
}

struct page *add_to_page_cache_memcg(struct pagecache *pc, struct inode *inode, uint64_t index,
                                     struct memcg *cg, struct task *t)
{
	struct page *p;

	assert(!page_cached(pc, inode, index));
	pagecache_shrink(pc, t);
	p = pagecache_insert(pc, inode, index);
	p->locked = true;
	p->refs = 1;
	lru_add_front(pc, p);
	pc->nr_pages++;
	if (cg) {
		p->memcg = cg;
		cg_list_add_newest(p);
		cg->cache_pages++;
		cg->cache_reclaim = pagecache_reclaim_memcg;
		cg->cache_arg = pc;
	}
	return p;
}

struct page *add_to_page_cache_locked(struct pagecache *pc, struct inode *inode, uint64_t index)
{
	return add_to_page_cache_memcg(pc, inode, index, NULL, NULL);
}

void put_page(struct pagecache *pc, struct page *page)
{
	(void)pc;
	assert(page->refs > 0);
	page->refs--;
}

bool trylock_page(struct page *page)
{
	if (page->locked)
		return false;
	page->locked = true;
	return true;
}

/* Task @t (if any) took the page lock it asked for at @request: a hold starts. */
static void page_lock_granted(struct page *page, struct task *t, sim_ns request)
{
	if (!t)
		return;
	page->held = true;
	page->locked_at = task_now(t);
	record_page_lock_grant(t, page->inode->id, request, page->locked_at);
}

bool trylock_page_task(struct page *page, struct task *t)
{
	if (!trylock_page(page))
		return false;
	if (t)
		page_lock_granted(page, t, task_now(t));
	return true;
}

/* The waiter lives on the stack: unlock_page() dequeues it before it can return. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
static void page_wait(struct page *page, struct task *t, bool exclusive)
{
	struct page_waiter w = { .task = t, .exclusive = exclusive };

	if (page->wait_tail)
		page->wait_tail->next = &w;
	else
		page->wait_head = &w;
	page->wait_tail = &w;
	while (!w.woken)
		task_block(t);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

void lock_page(struct pagecache *pc, struct page *page, struct task *t)
{
	sim_ns request = t ? task_now(t) : 0;

	(void)pc;
	while (!trylock_page(page))
		page_wait(page, t, true);
	page_lock_granted(page, t, request);
}

void wait_on_page_locked(struct pagecache *pc, struct page *page, struct task *t)
{
	sim_ns request;

	(void)pc;
	if (!page->locked)
		return;
	request = task_now(t);
	page_wait(page, t, false);
	record_page_wait(t, page->inode->id, request, task_now(t));
}

void unlock_page(struct pagecache *pc, struct page *page, struct task *waker)
{
	struct page_waiter **pw = &page->wait_head, *w;
	bool exclusive_woken = false;

	assert(page->locked);
	if (page->held && waker) /* not a lock held for I/O */
		record_page_lock_release(waker, page->inode->id, page->locked_at);
	page->held = false;
	page->locked = false;
	page->wait_tail = NULL;
	while ((w = *pw)) {
		if (w->exclusive && exclusive_woken) {
			page->wait_tail = w;
			pw = &w->next;
			continue;
		}
		exclusive_woken |= w->exclusive;
		*pw = w->next;
		w->woken = true;
		task_wake(waker, w->task, dist_sample_ns(pc->wakeup, task_rng(w->task)));
	}
}
