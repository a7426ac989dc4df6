/* SPDX-License-Identifier: MIT */
/* The page allocator: a buddy allocator of 2^order pages carved from large mmap'ed chunks,
 * under the slab allocator's slabs and large kmallocs, and blocks with a reference count
 * (struct page) for skb paged fragments, the sockets' sk_frag and memory files.
 * Mirrors linux/mm/page_alloc.c (3.10) by name: __get_free_pages, free_pages,
 * __rmqueue_smallest (expand), __free_one_page (__find_buddy_index), alloc_pages
 * (__alloc_pages_nodemask), __free_pages, put_page (mm/swap.c).
 *
 * Memory comes from the system in chunks of 2^(MAX_ORDER - 1) pages (4 MiB) mapped at slots
 * of one region of address space reserved at the first use (region_init), aligned to their
 * size: a page's index in the region is arithmetic on its address, and its word in
 * ul_page_slab[] (linux/mm.h virt_to_slab) is what the slab allocator finds an object's slab
 * by, as 3.10 finds a struct page in mem_map. A chunk is one maximal buddy block and the
 * buddy of a block is found by flipping one bit of its page index. Free blocks sit on free_area[order] lists; an allocation takes
 * the smallest order that has one and splits it (the halves go back on the lower lists), a
 * free merges a block with its buddy while the buddy is free at the same order. The lists
 * link per-page descriptors kept beside the chunk (its "mem_map"), never the free pages
 * themselves, so a free page that was never used is never touched: the process's RSS grows
 * only with the pages handed out (the point: posix_memalign(4096) lost up to a page of
 * alignment padding per slab). A chunk that becomes entirely free goes back to reserved
 * address space (its pages to the system) while PA_KEEP_FREE_CHUNKS others are kept.
 *
 * DIVERGES: one zone, no per-CPU page lists, no watermarks or reclaim; struct page is a
 * kmalloc'ed descriptor of one allocation (linux/mm.h), not an entry of mem_map. In sanitizer
 * builds alloc_pages() takes its memory from the C library, so ASan sees each block's bounds
 * (the buddy pages under the slabs are exercised by the slab allocator's tokens instead).
 *
 * LOCKING: zone_lock (a spinlock, real when ul_smp) guards the free lists and the chunk
 * slots; mmap runs under it (rare: once per 4 MiB). The page words are written by their
 * pages' owner (set_page_slab) and read without a lock. Context: any. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/mm.h"
#include "linux/slab.h"
#include "linux/spinlock.h"

#define CHUNK_ORDER		(MAX_ORDER - 1)
#define CHUNK_PAGES		(1UL << CHUNK_ORDER)
#define CHUNK_SIZE		(PAGE_SIZE << CHUNK_ORDER)
#define CHUNK_SHIFT		(PAGE_SHIFT + CHUNK_ORDER)
#define PA_KEEP_FREE_CHUNKS	4

/* Per-page state byte: 0 = inside a block (not a block's head), else the head of a free
 * (PG_FREE) or allocated (PG_ALLOC) block with its order in the low bits. */
#define PG_FREE		0x40
#define PG_ALLOC	0x80
#define PG_ORDER_MASK	0x0f

/* A free block's link on free_area[order]: the region page numbers (page index from
 * ul_mem_base) of its neighbours, PA_NIL at the ends. 32 bits suffice (the region is at
 * most 32 GiB: 2^23 pages) and make a chunk's descriptor 9 KiB instead of 17 (the list_head
 * it replaced): the descriptors are RSS beside the pages, 0.2% of the memory handed out. */
#define PA_NIL		0xffffffffu
struct pa_link {
	u32 prev, next;
};

/* The descriptor of a chunk (malloc'ed; found by the chunk's slot, chunks[]). */
struct pa_chunk {
	unsigned long base;			/* address of page 0 */
	unsigned long free_pages;		/* pages of this chunk on the free lists */
	unsigned char state[CHUNK_PAGES];
	struct pa_link node[CHUNK_PAGES];	/* a free block's link on free_area[order] */
};

/* The region: address space reserved (PROT_NONE, no memory committed) at the first use,
 * REGION_MAX_SIZE or, when the system refuses, less (halved down to REGION_MIN_SIZE); chunk
 * i is mapped at ul_mem_base + i * CHUNK_SIZE while in use. chunks[] gives a slot's chunk,
 * ul_page_slab[] (reserved the same way; only the entries of used chunks' pages are ever
 * touched: 8 KiB per chunk) the slab layer's word of each page. DIVERGES: the kernel's
 * memory and mem_map are fixed at boot; ulnet's region bounds the page allocator to its
 * size (32 GiB), the chunks inside it still come and go. */
#define REGION_MAX_SIZE		(32UL << 30)
#define REGION_MIN_SIZE		(64UL << 20)
unsigned long ul_mem_base, ul_mem_pages;
void **ul_page_slab;
static struct pa_chunk **chunks;
static unsigned long nr_slots, slot_hint;

static DEFINE_SPINLOCK(zone_lock);
static u32 free_area[MAX_ORDER];	/* first free block of each order, or PA_NIL */
static unsigned long nr_free_area[MAX_ORDER];
static bool zone_ready;
static unsigned long nr_chunks, nr_free_chunks;
static unsigned long pa_pages_out;	/* pages handed out by __get_free_pages */

static atomic_long_t page_in_use[PAGE_ALLOC_COSTLY_ORDER + 1];
static atomic_long_t page_total_allocs, page_total_frees;

static void *reserve(unsigned long size)
{
	void *m = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return m == MAP_FAILED ? NULL : m;
}

/* Reserve the region (aligned to CHUNK_SIZE) and its page words. Caller holds zone_lock.
 * Returns 0 or -ENOMEM (the next allocation tries again). */
static int region_init(void)
{
	unsigned long size, pages;
	void *m, *map;

	for (size = REGION_MAX_SIZE; size >= REGION_MIN_SIZE; size /= 2) {
		pages = size >> PAGE_SHIFT;
		m = reserve(size + CHUNK_SIZE);
		if (!m)
			continue;
		map = mmap(NULL, pages * sizeof(void *), PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		chunks = calloc(size / CHUNK_SIZE, sizeof(*chunks));
		if (map != MAP_FAILED && chunks)
			goto ok;
		free(chunks);
		chunks = NULL;
		if (map != MAP_FAILED)
			munmap(map, pages * sizeof(void *));
		munmap(m, size + CHUNK_SIZE);
	}
	pr_err("page allocator: cannot reserve %lu MiB of address space\n", REGION_MIN_SIZE >> 20);
	return -ENOMEM;
ok:
	nr_slots = size / CHUNK_SIZE;
	ul_page_slab = map;
	__atomic_store_n(&ul_mem_base, ALIGN((unsigned long)m, CHUNK_SIZE), __ATOMIC_RELAXED);
	/* Last: a lock-free reader that sees the bound sees the base and the words. */
	__atomic_store_n(&ul_mem_pages, pages, __ATOMIC_RELEASE);
	return 0;
}

static void zone_init(void)
{
	unsigned int o;

	if (region_init())
		return;
	for (o = 0; o < MAX_ORDER; o++)
		free_area[o] = PA_NIL;
	zone_ready = true;
}

/* The chunk holding @addr, or NULL (not in the region, or in a slot not mapped). */
static struct pa_chunk *chunk_of(unsigned long addr)
{
	unsigned long off = addr - ul_mem_base;

	if (off >= ul_mem_pages << PAGE_SHIFT)
		return NULL;
	return chunks[off >> CHUNK_SHIFT];
}

/* Context: any; @addr .. @npages are pages the caller holds from __get_free_pages. */
int set_page_slab(const void *addr, unsigned long npages, void *slab)
{
	unsigned long pfn = ((unsigned long)addr - ul_mem_base) >> PAGE_SHIFT, i;

	if (pfn >= ul_mem_pages || npages > ul_mem_pages - pfn) {
		pr_err("set_page_slab: %p (%lu pages) is not from the page allocator\n", addr,
		       npages);
		WARN_ON(1);
		return -EINVAL;
	}
	for (i = 0; i < npages; i++)
		__atomic_store_n(&ul_page_slab[pfn + i], slab, __ATOMIC_RELEASE);
	return 0;
}

/* The region page number of page @idx of @c, and the link of a region page number. */
static u32 chunk_pfn(const struct pa_chunk *c, unsigned long idx)
{
	return (u32)(((c->base - ul_mem_base) >> PAGE_SHIFT) + idx);
}

static struct pa_link *pfn_link(u32 pfn)
{
	return &chunks[pfn >> CHUNK_ORDER]->node[pfn & (CHUNK_PAGES - 1)];
}

/* Caller holds zone_lock. A block goes first on its list (the next one handed out, as
 * list_add). */
static void add_free(struct pa_chunk *c, unsigned long idx, unsigned int order)
{
	struct pa_link *l = &c->node[idx];
	u32 pfn = chunk_pfn(c, idx);

	c->state[idx] = (unsigned char)(PG_FREE | order);
	l->prev = PA_NIL;
	l->next = free_area[order];
	if (l->next != PA_NIL)
		pfn_link(l->next)->prev = pfn;
	free_area[order] = pfn;
	nr_free_area[order]++;
	c->free_pages += 1UL << order;
}

static void del_free(struct pa_chunk *c, unsigned long idx, unsigned int order)
{
	struct pa_link *l = &c->node[idx];

	c->state[idx] = 0;
	if (l->prev != PA_NIL)
		pfn_link(l->prev)->next = l->next;
	else
		free_area[order] = l->next;
	if (l->next != PA_NIL)
		pfn_link(l->next)->prev = l->prev;
	l->prev = l->next = PA_NIL;
	nr_free_area[order]--;
	c->free_pages -= 1UL << order;
}

/* A new chunk from the system, aligned to its size, as one free maximal block.
 * Caller holds zone_lock. */
static int chunk_grow(void)
{
	unsigned long base, slot, i;
	struct pa_chunk *c;
	void *m;

	for (i = 0; i < nr_slots; i++) {
		slot = (slot_hint + i) % nr_slots;
		if (!chunks[slot])
			break;
	}
	if (i == nr_slots)
		return -ENOMEM;		/* the region is full */
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	/* state[] must read 0 (inside a block) everywhere; the links are written when a
	 * block goes on a list, so most of node[] is never touched. */
	c->free_pages = 0;
	memset(c->state, 0, sizeof(c->state));
	base = ul_mem_base + slot * CHUNK_SIZE;
	m = mmap((void *)base, CHUNK_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (m == MAP_FAILED) {
		free(c);
		return -ENOMEM;
	}
	/* Base pages: a 2 MiB huge page would put a whole region in RSS at its first touch. */
	madvise((void *)base, CHUNK_SIZE, MADV_NOHUGEPAGE);
	c->base = base;
	chunks[slot] = c;
	slot_hint = slot + 1;
	nr_chunks++;
	nr_free_chunks++;
	add_free(c, 0, CHUNK_ORDER);
	return 0;
}

/* Caller holds zone_lock; @c is entirely free (one maximal block). */
static void chunk_release(struct pa_chunk *c)
{
	unsigned long slot = (c->base - ul_mem_base) >> CHUNK_SHIFT;

	del_free(c, 0, CHUNK_ORDER);
	chunks[slot] = NULL;
	/* Back to reserved address space: the pages go back to the system. */
	if (mmap((void *)c->base, CHUNK_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		madvise((void *)c->base, CHUNK_SIZE, MADV_DONTNEED);
	if (slot < slot_hint)
		slot_hint = slot;
	nr_chunks--;
	nr_free_chunks--;
	free(c);
}

/* __rmqueue_smallest + expand: the smallest free block of at least @order, split down to
 * @order (the upper halves go back on the lower free lists). Caller holds zone_lock. */
static void *rmqueue(unsigned int order)
{
	unsigned int o;

	for (o = order; o < MAX_ORDER; o++) {
		struct pa_chunk *c;
		unsigned long idx;

		if (free_area[o] == PA_NIL)
			continue;
		c = chunks[free_area[o] >> CHUNK_ORDER];
		idx = free_area[o] & (CHUNK_PAGES - 1);
		if (o == CHUNK_ORDER)
			nr_free_chunks--;
		del_free(c, idx, o);
		while (o > order) {
			o--;
			add_free(c, idx + (1UL << o), o);
		}
		c->state[idx] = (unsigned char)(PG_ALLOC | order);
		return (void *)(c->base + (idx << PAGE_SHIFT));
	}
	return NULL;
}

/* Context: any. 2^@order pages (order < MAX_ORDER), page-aligned and zeroed when
 * __GFP_ZERO is set; 0 when the system has no memory or @order is too large. */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	void *p;

	if (order >= MAX_ORDER) {
		pr_err("__get_free_pages: order %u not supported (max %d)\n", order,
		       MAX_ORDER - 1);
		return 0;
	}
	spin_lock(&zone_lock);
	if (!zone_ready)
		zone_init();
	p = zone_ready ? rmqueue(order) : NULL;
	if (!p && zone_ready && !chunk_grow())
		p = rmqueue(order);
	if (p)
		pa_pages_out += 1UL << order;
	spin_unlock(&zone_lock);
	if (!p)
		return 0;
	if (gfp_mask & __GFP_ZERO)
		memset(p, 0, PAGE_SIZE << order);
	return (unsigned long)p;
}

/* __free_one_page: merge with the buddy while it is free at the same order. Caller holds
 * zone_lock; @idx is the head of an allocated block of @order. */
static void free_one_block(struct pa_chunk *c, unsigned long idx, unsigned int order)
{
	c->state[idx] = 0;
	while (order < CHUNK_ORDER) {
		unsigned long buddy = idx ^ (1UL << order);

		if (c->state[buddy] != (PG_FREE | order))
			break;
		del_free(c, buddy, order);
		idx &= buddy;
		order++;
	}
	add_free(c, idx, order);
	if (order == CHUNK_ORDER && ++nr_free_chunks > PA_KEEP_FREE_CHUNKS)
		chunk_release(c);
}

/* Context: any. Give back what __get_free_pages(@order) returned. A pointer that is not the
 * head of an allocated block of that order is reported and left alone. */
void free_pages(unsigned long addr, unsigned int order)
{
	struct pa_chunk *c;
	unsigned long idx;

	if (!addr)
		return;
	spin_lock(&zone_lock);
	c = zone_ready && !(addr & ~PAGE_MASK) ? chunk_of(addr) : NULL;
	if (!c || order >= MAX_ORDER) {
		spin_unlock(&zone_lock);
		pr_err("free_pages: %#lx (order %u) is not from the page allocator\n", addr, order);
		WARN_ON(1);
		return;
	}
	idx = (addr - c->base) >> PAGE_SHIFT;
	if (c->state[idx] != (PG_ALLOC | order)) {
		unsigned char st = c->state[idx];

		spin_unlock(&zone_lock);
		pr_err("free_pages: %#lx order %u: %s\n", addr, order,
		       st & PG_FREE ? "already free" :
		       st & PG_ALLOC ? "allocated with another order" : "not a block's first page");
		WARN_ON(1);
		return;
	}
	pa_pages_out -= 1UL << order;
	free_one_block(c, idx, order);
	spin_unlock(&zone_lock);
}

void ul_buddy_stats_get(struct ul_buddy_stats *st)
{
	unsigned int o;

	memset(st, 0, sizeof(*st));
	spin_lock(&zone_lock);
	for (o = 0; o < MAX_ORDER && zone_ready; o++)
		st->nr_free[o] = nr_free_area[o];
	st->chunks = nr_chunks;
	st->free_chunks = nr_free_chunks;
	st->pages_out = pa_pages_out;
	spin_unlock(&zone_lock);
}

/* ------------------------------------------------------------------------------------------
 * struct page: a reference-counted allocation of order <= PAGE_ALLOC_COSTLY_ORDER. */

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page;
	void *mem = NULL;

	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		pr_err("alloc_pages: order %u not supported (max %d)\n", order,
		       PAGE_ALLOC_COSTLY_ORDER);
		return NULL;
	}
	page = kmalloc(sizeof(*page), gfp_mask & ~__GFP_ZERO);
	if (!page)
		return NULL;
#ifdef ULNET_SANITIZE
	if (posix_memalign(&mem, PAGE_SIZE, PAGE_SIZE << order))
		mem = NULL;
	else if (gfp_mask & __GFP_ZERO)
		memset(mem, 0, PAGE_SIZE << order);
#else
	mem = (void *)__get_free_pages(gfp_mask, order);
#endif
	if (!mem) {
		kfree(page);
		return NULL;
	}
	atomic_set(&page->_count, 1);
	page->order = order;
	page->virtual = mem;
	atomic_long_inc(&page_in_use[order]);
	atomic_long_inc(&page_total_allocs);
	return page;
}

static void free_pages_now(struct page *page)
{
	atomic_long_dec(&page_in_use[page->order]);
	atomic_long_inc(&page_total_frees);
#ifdef ULNET_SANITIZE
	free(page->virtual);
#else
	free_pages((unsigned long)page->virtual, page->order);
#endif
	page->virtual = NULL;
	kfree(page);
}

void put_page(struct page *page)
{
	if (unlikely(!page))
		return;
	if (unlikely(atomic_read(&page->_count) <= 0)) {
		pr_err("put_page: page %p already free (count %d)\n", (void *)page,
		       atomic_read(&page->_count));
		BUG();
	}
	if (atomic_dec_and_test(&page->_count))
		free_pages_now(page);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (unlikely(page && page->order != order))
		pr_warn("__free_pages: order %u given for an order-%u page\n", order, page->order);
	put_page(page);
}

void ul_page_stats_get(struct ul_page_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i <= PAGE_ALLOC_COSTLY_ORDER; i++) {
		st->in_use[i] = (unsigned long)atomic_long_read(&page_in_use[i]);
		st->pages += st->in_use[i] << i;
	}
	st->total_allocs = (unsigned long)atomic_long_read(&page_total_allocs);
	st->total_frees = (unsigned long)atomic_long_read(&page_total_frees);
}

unsigned long ul_pages_in_use(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i <= PAGE_ALLOC_COSTLY_ORDER; i++)
		n += (unsigned long)atomic_long_read(&page_in_use[i]);
	return n;
}
