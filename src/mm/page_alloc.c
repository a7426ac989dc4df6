/* SPDX-License-Identifier: MIT */
/* The page allocator: blocks of 2^order pages with a reference count, for skb paged
 * fragments, the sockets' sk_frag and memory files.
 * Mirrors linux/mm/page_alloc.c (3.10) by name: alloc_pages (__alloc_pages_nodemask),
 * __free_pages, put_page (mm/swap.c).
 *
 * DIVERGES: no buddy allocator, zones or mem_map: each allocation is one aligned block
 * from the C library plus one kmalloc'ed struct page descriptor (linux/mm.h). What stays
 * is the contract: a page has a reference count, get_page/put_page share it between skbs,
 * the last put frees it, and the count of pages in use is exact.
 * Context: any. */
#include <stdlib.h>
#include <string.h>
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/mm.h"
#include "linux/slab.h"

static atomic_long_t page_in_use[PAGE_ALLOC_COSTLY_ORDER + 1];
static atomic_long_t page_total_allocs, page_total_frees;

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	size_t bytes = PAGE_SIZE << order;
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
	if (posix_memalign(&mem, PAGE_SIZE, bytes)) {
		kfree(page);
		return NULL;
	}
	if (gfp_mask & __GFP_ZERO)
		memset(mem, 0, bytes);
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
	free(page->virtual);
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
