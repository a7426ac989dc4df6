/* SPDX-License-Identifier: MIT */
/* Pages: reference-counted blocks of 2^order * 4 KiB that skbs point at (paged fragments),
 * that sockets fill (sk_frag) and that memory files are made of.
 * Mirrors linux/include/linux/mm.h and mm_types.h (3.10) by name: struct page (_count),
 * alloc_pages, __free_pages, get_page, put_page, page_address, page_count, get_order,
 * struct page_frag. Implemented in mm/page_alloc.c.
 *
 * DIVERGES: there is no mem_map of struct pages (only a word per page for the slab layer,
 * virt_to_slab below). Each allocation (of any order) has one struct page descriptor,
 * kmalloc'ed (so the test harness's slab leak check also catches a leaked page),
 * and one block of the buddy allocator (__get_free_pages; the C library's in sanitizer
 * builds, for ASan's bounds); a compound page is that single descriptor (no tail
 * pages), so a fragment's offset may run up to PAGE_SIZE << order. The pages themselves are
 * counted by mm/page_alloc.c (ul_page_stats), not as slab memory.
 * Context: any (alloc_pages with GFP_ATOMIC never sleeps; ulnet's never does). */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H
#include "linux/atomic.h"
#include "linux/compiler.h"
#include "linux/kernel.h"
#include "linux/types.h"

#ifndef PAGE_SHIFT
#define PAGE_SHIFT	12
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#endif
#define PAGE_MASK	(~(PAGE_SIZE - 1))
/* Orders above this are "costly" (3.10 PAGE_ALLOC_COSTLY_ORDER); alloc_pages refuses more. */
#define PAGE_ALLOC_COSTLY_ORDER	3
/* The buddy allocator's orders are 0 .. MAX_ORDER - 1 (4 MiB blocks), as 3.10's default. */
#define MAX_ORDER	11

struct page {
	atomic_t _count;	/* references: alloc_pages gives 1, the last put_page frees */
	unsigned int order;	/* ulnet: the allocation's order (compound_order) */
	void *virtual;		/* the memory (page_address) */
};

/* 2^@order contiguous pages with one reference, or NULL (ENOMEM, or @order > 3).
 * __GFP_ZERO clears them. */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
static inline struct page *alloc_page(gfp_t gfp_mask)
{
	return alloc_pages(gfp_mask, 0);
}
/* Drop a reference; the last one frees the pages. (3.10: __free_pages is put_page_testzero
 * + free; ulnet has one path for both.) */
void __free_pages(struct page *page, unsigned int order);
void put_page(struct page *page);
static inline void get_page(struct page *page)
{
	atomic_inc(&page->_count);
}
static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_count);
}
static inline void *page_address(const struct page *page)
{
	return page->virtual;
}
static inline unsigned int compound_order(const struct page *page)
{
	return page->order;
}
/* The smallest order whose pages hold @size bytes (get_order(32768) == 3). */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/* A piece of a page being filled (3.10 mm_types.h): sockets copy send data into it. */
struct page_frag {
	struct page *page;
	__u32 offset;
	__u32 size;
};

/* The buddy allocator under the slabs (mm/page_alloc.c): 2^@order bare pages (@order <
 * MAX_ORDER) carved from mmap'ed 4 MiB chunks, zeroed with __GFP_ZERO; 0 when out of memory.
 * free_pages() takes the same order back (a wrong address or order is reported, ignored). */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
struct ul_buddy_stats {
	unsigned long nr_free[MAX_ORDER];	/* free blocks by order (/proc/buddyinfo) */
	unsigned long chunks, free_chunks;	/* 4 MiB chunks mapped, of them entirely free */
	unsigned long pages_out;		/* pages handed out by __get_free_pages */
};
void ul_buddy_stats_get(struct ul_buddy_stats *st);

/* The page allocator's memory is one region reserved at its first use (3.10's direct map):
 * its chunks are mapped at fixed slots of it, so a page's index is arithmetic on its
 * address, and each page has one word the slab layer owns (3.10: struct page's slab_cache
 * in mem_map, found by virt_to_head_page). ul_mem_pages is 0 until the region exists. */
extern unsigned long ul_mem_base __attribute__((visibility("hidden")));
extern unsigned long ul_mem_pages __attribute__((visibility("hidden")));
extern void **ul_page_slab __attribute__((visibility("hidden")));
/* The slab layer's word of @addr's page, or NULL when @addr is not in the region (any
 * pointer, NULL and ZERO_SIZE_PTR included) or its page has none. Lock-free: the word of
 * a page holding a live object does not change. Context: any. */
static inline void *virt_to_slab(const void *addr)
{
	unsigned long pfn = ((unsigned long)addr - ul_mem_base) >> PAGE_SHIFT;

	if (unlikely(pfn >= ul_mem_pages))
		return NULL;
	return __atomic_load_n(&ul_page_slab[pfn], __ATOMIC_ACQUIRE);
}
/* Set the word of @npages pages from @addr (pages __get_free_pages returned) to @slab
 * (NULL to clear). Returns 0, or -EINVAL (reported) when they are not in the region. */
int set_page_slab(const void *addr, unsigned long npages, void *slab);

/* Counts of mm/page_alloc.c (the memory views; tests check in_use returns to its start). */
struct ul_page_stats {
	unsigned long in_use[PAGE_ALLOC_COSTLY_ORDER + 1];	/* live allocations, by order */
	unsigned long pages;		/* 4 KiB pages live (sum of in_use << order) */
	unsigned long total_allocs, total_frees;
};
void ul_page_stats_get(struct ul_page_stats *st);
/* Live allocations of every order. */
unsigned long ul_pages_in_use(void);

#endif
