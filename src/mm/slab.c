/* SPDX-License-Identifier: MIT */
/* Slab caches and kmalloc: named caches of fixed-size objects carved from page-sized slabs,
 * with SLUB's sizing rules and /proc/slabinfo accounting.
 * Mirrors linux/mm/slub.c and mm/slab_common.c (3.10): kmem_cache_create (calculate_sizes,
 * calculate_alignment, calculate_order, slab_order), kmem_cache_alloc, kmem_cache_free,
 * kmem_cache_destroy, kmalloc (kmalloc_index, kmalloc_large), kfree, ksize, kmemdup, kstrdup,
 * kcalloc, create_kmalloc_caches, slabinfo_show; and mm/vmalloc.c's vzalloc/vfree (counted).
 *
 * The allocator is ulnet's own; what follows SLUB is the arithmetic that shows in
 * /proc/slabinfo: objsize (s->size), objects per slab and pages per slab (the slab order),
 * and the kmalloc size classes (8 .. 8192 with 96 and 192). Objects are ulnet's own structs,
 * so the numbers are honest: same names and layout rules, ulnet's sizes (DESIGN.md).
 *
 * Slabs: 2^order pages from the buddy allocator (mm/page_alloc.c, mmap'ed chunks: no
 * per-slab malloc padding, so RSS follows the Slab: figure). Every page of a slab has its
 * slab in the page allocator's word for that page (set_page_slab; read without locks, like
 * struct page's slab_cache), found from any object address by arithmetic (virt_to_slab: the
 * page's index in the page allocator's region, as 3.10's virt_to_head_page), so kfree()
 * finds the cache in a few instructions; an address outside the region has no slab.
 *
 * Per-CPU slabs, as SLUB: each CPU (ul_this_cpu) has a kmem_cache_cpu holding a slab it
 * froze and that slab's free objects as its own freelist. kmem_cache_alloc pops that
 * freelist; kmem_cache_free/kfree of an object of the CPU's slab pushes it back: no cache
 * lock, no list, no shared counter in the common case (the sim runtime's fast path is a leaf
 * function of a few dozen instructions). A free of another slab's object (allocated on
 * another CPU, or in a slab the CPU has left) goes to that slab's own freelist under
 * s->lock (SLUB's __slab_free); a frozen slab stays its CPU's, an unfrozen one moves full ->
 * partial -> empty. When the CPU freelist is empty (__slab_alloc) the CPU first takes the
 * objects other CPUs freed into its slab, else leaves the (full) slab on the full list and
 * freezes the first partial slab, then an empty one, then a new one. Empty slabs are kept
 * while at most s->min_partial are (SLUB's min_partial, 5..10), the coldest freed beyond.
 * DIVERGES: SLUB has per-node partial lists, per-CPU partial lists, cache merging
 * (tcp_bind_bucket would be an alias of kmalloc-64 in Linux's slabinfo) and the
 * kmem_cache/kmem_cache_node self-caches; ulnet has none of these, and keeps empty slabs
 * on a list of their own. Its active_objs is the exact count in use, the sums of per-CPU
 * alloc and free counters (SLUB counts every object of a CPU's slab as active); num_objs
 * and num_slabs count every slab, the CPUs' included, as SLUB does.
 * Double frees: the fast path catches an object freed twice in a row (the
 * SLAB_FREELIST_HARDENED check), the slow path a free into an entirely free slab; other
 * double frees are not detected in slab mode (SLUB without debugging does not either), but
 * the sanitizer builds catch all of them.
 *
 * Sanitizer builds (ULNET_SANITIZE): every object is a separate malloc() preceded by a small
 * header, so ASan sees each object's bounds and its use after free; the header carries a
 * token, an object of a real slab allocated and freed in its place, so both modes run the
 * same per-CPU code and every statistic is identical (the tokens cost a second copy of the
 * slab memory in those builds).
 *
 * LOCKING: ulnet's CPU is not exclusive on the posix runtime: several threads (tasks of a
 * CPU, its ksoftirqd, application threads attached to it) run on the same ul_this_cpu at
 * once and nothing disables preemption, so a kmem_cache_cpu is guarded by its own lock
 * c->lock (a spinlock; really locks only when ul_smp, uncontended unless two threads of one
 * CPU allocate from one cache at the same moment). DIVERGES: SLUB needs no lock there (it
 * runs with preemption off or detects a migration with this_cpu_cmpxchg_double and a
 * transaction id). On the sim runtime one thread runs everything and nothing yields inside
 * the allocator, so the fast path takes no lock at all. Lock order: c->lock, then s->lock
 * (the cache's lists and slab freelists of unfrozen slabs and remote frees), then
 * slab_mutex (list of caches, page-map updates) or the page allocator's zone_lock. New
 * slabs are built (and their objects constructed) outside s->lock. Page-word and page-map reads
 * take no lock (entries of live objects cannot change). */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "init/boot.h"
#include "linux/atomic.h"
#include "linux/errno.h"
#include "linux/fault-inject.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/mm.h"
#include "linux/percpu.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/spinlock.h"

#define SLUB_MAX_ORDER		PAGE_ALLOC_COSTLY_ORDER
#define SLAB_MAX_ORDER		10	/* MAX_ORDER - 1 */
#define MAX_OBJS_PER_PAGE	32767	/* page->objects is 15 bits in 3.10 */
#define CACHE_LINE_SIZE		64
#define MIN_PARTIAL		5	/* SLUB's bounds of s->min_partial */
#define MAX_PARTIAL		10
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << SLAB_MAX_ORDER)	/* 4 MiB */

enum slab_kind {
	SLAB_KIND_CACHE,	/* a slab of a kmem_cache */
	SLAB_KIND_LARGE,	/* a kmalloc above KMALLOC_MAX_CACHE_SIZE: whole pages */
	SLAB_KIND_VMALLOC,	/* vzalloc */
};

/* A CPU's slab (SLUB's struct kmem_cache_cpu): the objects of a slab this CPU froze, which
 * it allocates and frees without the cache's lock or lists; allocs/frees count every
 * alloc and free done on this CPU (the cache's statistics are their sums). @lock only
 * locks on the posix runtime, see the LOCKING note. */
struct kmem_cache_cpu {
	void *freelist;
	struct slab *page;
	unsigned long allocs, frees;
	spinlock_t lock;
	/* One cache line each (the cache is allocated line-aligned); padded by hand, not with
	 * an aligned attribute, so that list_for_each_entry's head pointer of slab_caches
	 * stays a valid (if unused) struct kmem_cache pointer for UBSan. */
	char pad[CACHE_LINE_SIZE - 4 * sizeof(long) - sizeof(spinlock_t)];
};
_Static_assert(sizeof(struct kmem_cache_cpu) == CACHE_LINE_SIZE, "one line per CPU");

struct kmem_cache {
	struct kmem_cache_cpu cpu_slab[NR_CPUS];
	spinlock_t lock;
	struct list_head list;		/* slab_caches, in creation order */
	char *name;
	unsigned int object_size;	/* as asked for */
	unsigned int size;		/* objsize: footprint of one object in a slab */
	unsigned long size_magic;	/* ceil(2^64 / size): see obj_is_start */
	unsigned int offset;		/* of the free pointer in a free object */
	unsigned int align;
	unsigned int order;		/* pages per slab = 1 << order */
	unsigned int objects;		/* objects per slab */
	unsigned long flags;
	void (*ctor)(void *);
	struct list_head partial, full, empty;
	unsigned long nr_empty, nr_slabs, nr_objs;
	unsigned long min_partial;	/* empty slabs kept (SLUB's set_min_partial) */
	unsigned long remote_frees;	/* frees into a slab not the freeing CPU's (s->lock) */
	struct list_head live;		/* separate-object mode: headers of live objects */
};

/* The descriptor of a slab or of a large kmalloc / vmalloc area (SLUB keeps a slab's in its
 * struct page). 48 B, from the descriptor pool below: a slab's objects and pages per slab
 * are its cache's (s->objects, s->order), an area's order follows from its bytes. */
struct slab {
	struct list_head list;		/* on its cache's partial/full/empty list (none while
					 * frozen), or large_list */
	struct kmem_cache *cache;	/* &no_cache for large kmalloc and vmalloc areas */
	void *base;			/* the pages */
	void *freelist;			/* free objects, linked at cache->offset */
	unsigned int bytes;		/* ksize(): the cache's object_size, a large
					 * kmalloc's pages; vmalloc: bytes accounted */
	unsigned short inuse;		/* objects not on @freelist (a frozen slab's CPU
					 * freelist counts as in use, as SLUB's page->inuse);
					 * at most MAX_OBJS_PER_PAGE */
	unsigned char kind;		/* enum slab_kind */
	unsigned char frozen;		/* 1 + the CPU whose slab it is, or 0 */
};
_Static_assert(sizeof(struct slab) == 48, "a slab descriptor is 48 B (84 to a pool page)");
_Static_assert(NR_CPUS < 255, "slab->frozen holds 1 + a CPU number");

/* Separate-object mode: the header just before each object. */
struct san_hdr {
	struct list_head node;		/* cache->live or large_list */
	struct slab *slab;		/* the large/vmalloc descriptor (NULL for a cache's) */
	void *token;			/* the slab object standing for this one (a cache's) */
	void *raw;			/* what malloc returned */
	unsigned int magic;
};
#define SAN_MAGIC_LIVE	0x51ab0b1eu
#define SAN_MAGIC_FREE	0xdeadf4eeu

static LIST_HEAD(slab_caches);
/* The cache of large kmalloc and vmalloc areas: none. Never NULL, so that the free fast
 * paths test only that a slab's cache is the one given (kmem_cache_free) or skip the test
 * (kfree); its size_magic 0 fails obj_is_start for every pointer, which sends them to the
 * slow paths, where the area's kind decides. */
static struct kmem_cache no_cache;
static LIST_HEAD(large_list);		/* large kmallocs and vmalloc areas */
static pthread_mutex_t slab_mutex = PTHREAD_MUTEX_INITIALIZER;
static bool slab_ready;
static bool separate_objects;		/* every object its own malloc (sanitizer builds) */

static atomic_long_t slab_page_bytes;	/* all slabs of all caches */
static atomic_long_t large_objs, large_bytes, vmalloc_objs, vmalloc_bytes;

static struct kmem_cache *kmalloc_caches[16];
static const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/* ------------------------------------------------------------------------------------------
 * Page map: pfn -> slab, three levels of 12 bits (48-bit virtual addresses), for the vmalloc
 * areas only (the C library's memory). Slabs and large kmallocs are pages of the page
 * allocator's region: their slab is its page word (virt_to_slab, linux/mm.h), found by
 * arithmetic on the address as 3.10's virt_to_head_page. */

#define MAP_BITS	12
#define MAP_SIZE	(1UL << MAP_BITS)
#define MAP_MASK	(MAP_SIZE - 1)
#define PFN_BITS	(3 * MAP_BITS)

static struct slab ***page_map[MAP_SIZE];

static inline __attribute__((always_inline)) struct slab *page_map_get(const void *addr)
{
	unsigned long pfn = (unsigned long)addr >> PAGE_SHIFT;
	struct slab ***mid;
	struct slab **leaf;

	if (pfn >> PFN_BITS)
		return NULL;
	mid = __atomic_load_n(&page_map[pfn >> (2 * MAP_BITS)], __ATOMIC_ACQUIRE);
	if (!mid)
		return NULL;
	leaf = __atomic_load_n(&mid[(pfn >> MAP_BITS) & MAP_MASK], __ATOMIC_ACQUIRE);
	if (!leaf)
		return NULL;
	return __atomic_load_n(&leaf[pfn & MAP_MASK], __ATOMIC_ACQUIRE);
}

/* Enter (or clear, @slab NULL) @npages pages from @addr. Caller holds slab_mutex.
 * Returns 0 or -ENOMEM (only when entering). */
static int page_map_set(const void *addr, unsigned long npages, struct slab *slab)
{
	unsigned long pfn = (unsigned long)addr >> PAGE_SHIFT, i;

	for (i = 0; i < npages; i++, pfn++) {
		struct slab ***mid;
		struct slab **leaf;

		if (pfn >> PFN_BITS) {
			pr_err("slab: address %p beyond the 48-bit page map\n", addr);
			return -ENOMEM;
		}
		mid = page_map[pfn >> (2 * MAP_BITS)];
		if (!mid) {
			if (!slab)
				continue;
			mid = calloc(MAP_SIZE, sizeof(*mid));
			if (!mid)
				return -ENOMEM;
			__atomic_store_n(&page_map[pfn >> (2 * MAP_BITS)], mid, __ATOMIC_RELEASE);
		}
		leaf = mid[(pfn >> MAP_BITS) & MAP_MASK];
		if (!leaf) {
			if (!slab)
				continue;
			leaf = calloc(MAP_SIZE, sizeof(*leaf));
			if (!leaf)
				return -ENOMEM;
			__atomic_store_n(&mid[(pfn >> MAP_BITS) & MAP_MASK], leaf, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&leaf[pfn & MAP_MASK], slab, __ATOMIC_RELEASE);
	}
	return 0;
}

static void page_map_free(void)
{
	unsigned long i, j;

	for (i = 0; i < MAP_SIZE; i++) {
		if (!page_map[i])
			continue;
		for (j = 0; j < MAP_SIZE; j++)
			free(page_map[i][j]);
		free(page_map[i]);
		page_map[i] = NULL;
	}
}

/* ------------------------------------------------------------------------------------------
 * Slab descriptors. DIVERGES: SLUB's descriptor is the slab's struct page in mem_map, 64 B
 * for every page of memory; ulnet's are 48 B descriptors carved from pages of the page
 * allocator, one per slab or area (a calloc'ed one cost 80 B with malloc's header: 10 B of
 * every idle TCP socket, whose order-1 slab holds 8 with one CPU). A pool page starts with
 * its header; a free descriptor is linked through its list.next. Pages whose descriptors
 * are all free go back to the page allocator, except one kept for the next slab. Like
 * struct page, the descriptors are not counted in Slab: (ul_slab_bytes).
 * LOCKING: desc_lock, innermost but for zone_lock (the page allocator is called without
 * it). Context: any. */

struct desc_page {
	struct list_head list;		/* on desc_partial while it has a free descriptor */
	struct list_head *free;		/* free descriptors (their list.next) */
	unsigned int inuse;
	unsigned int pad;
};
#define DESC_PER_PAGE	((PAGE_SIZE - sizeof(struct desc_page)) / sizeof(struct slab))

static DEFINE_SPINLOCK(desc_lock);
static LIST_HEAD(desc_partial);		/* pages with a free descriptor */
static unsigned long desc_pages, desc_empty_pages, desc_inuse;

static struct desc_page *desc_page_of(const struct slab *d)
{
	return (struct desc_page *)((unsigned long)d & PAGE_MASK);
}

/* A zeroed descriptor, or NULL when the page allocator has no page. */
static struct slab *slab_desc_alloc(void)
{
	struct desc_page *dp;
	struct slab *d;
	unsigned int i;

	spin_lock(&desc_lock);
	while (list_empty(&desc_partial)) {
		spin_unlock(&desc_lock);
		dp = (struct desc_page *)__get_free_pages(0, 0);
		if (!dp)
			return NULL;
		INIT_LIST_HEAD(&dp->list);
		dp->free = NULL;
		dp->inuse = 0;
		for (i = DESC_PER_PAGE; i-- > 0; ) {
			d = (struct slab *)(dp + 1) + i;
			d->list.next = dp->free;
			dp->free = &d->list;
		}
		spin_lock(&desc_lock);
		list_add(&dp->list, &desc_partial);
		desc_pages++;
		desc_empty_pages++;
	}
	dp = list_first_entry(&desc_partial, struct desc_page, list);
	d = container_of(dp->free, struct slab, list);
	dp->free = d->list.next;
	if (!dp->inuse++)
		desc_empty_pages--;
	if (!dp->free)
		list_del_init(&dp->list);
	desc_inuse++;
	spin_unlock(&desc_lock);
	memset(d, 0, sizeof(*d));
	return d;
}

static void slab_desc_free(struct slab *d)
{
	struct desc_page *dp, *victim = NULL;

	if (!d)
		return;
	dp = desc_page_of(d);
	spin_lock(&desc_lock);
	if (!dp->free)
		list_add(&dp->list, &desc_partial);
	d->list.next = dp->free;
	dp->free = &d->list;
	desc_inuse--;
	if (!--dp->inuse && ++desc_empty_pages > 1) {
		/* Keep one empty page for the next slab; this one goes back. */
		list_del(&dp->list);
		desc_empty_pages--;
		desc_pages--;
		victim = dp;
	}
	spin_unlock(&desc_lock);
	if (victim)
		free_pages((unsigned long)victim, 0);
}

/* Teardown, every slab and area gone: the kept empty page goes back too. */
static void slab_desc_fini(void)
{
	struct desc_page *dp, *n;

	spin_lock(&desc_lock);
	if (desc_inuse)
		pr_err("slab: %lu slab descriptors still in use\n", desc_inuse);
	list_for_each_entry_safe(dp, n, &desc_partial, list) {
		if (dp->inuse)
			continue;
		list_del(&dp->list);
		desc_pages--;
		desc_empty_pages--;
		spin_unlock(&desc_lock);
		free_pages((unsigned long)dp, 0);
		spin_lock(&desc_lock);
	}
	spin_unlock(&desc_lock);
}

/* Pages the descriptor pool holds (the slab allocator's memory outside Slab:). */
unsigned long ul_slab_desc_pages(void)
{
	return __atomic_load_n(&desc_pages, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------------------------
 * Sizing (SLUB's calculate_sizes / calculate_alignment / calculate_order). */

static unsigned int slab_fls(unsigned long x)
{
	return x ? (unsigned int)(64 - __builtin_clzl(x)) : 0;
}

static unsigned int calculate_alignment(unsigned long flags, unsigned int align,
					unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		/* A cache line, halved while the object still fits twice. */
		unsigned int ralign = CACHE_LINE_SIZE;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	return ALIGN(align, (unsigned int)sizeof(void *));
}

static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

/* The lowest order >= what @min_objects need whose leftover is at most 1/@fract of the slab. */
static unsigned int slab_order(unsigned int size, unsigned int min_objects,
			       unsigned int max_order, unsigned int fract)
{
	unsigned int order;
	int start;

	if (order_objects(0, size) > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	start = (int)slab_fls((unsigned long)min_objects * size - 1) - PAGE_SHIFT;
	for (order = start > 0 ? (unsigned int)start : 0; order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;

		if (slab_size < (unsigned long)min_objects * size)
			continue;
		if (slab_size % size <= slab_size / fract)
			break;
	}
	return order;
}

static unsigned int calculate_order(unsigned int size)
{
	unsigned int min_objects, max_objects, fraction, order;
	int cpus = nr_cpu_ids > 0 ? nr_cpu_ids : 1;

	/* slub_min_objects: 4 * (fls(nr_cpu_ids) + 1), as many objects as the CPUs would
	 * want to allocate from one slab before going back to the lists. */
	min_objects = 4 * (slab_fls((unsigned long)cpus) + 1);
	max_objects = order_objects(SLUB_MAX_ORDER, size);
	min_objects = min(min_objects, max_objects);
	while (min_objects > 1) {
		for (fraction = 16; fraction >= 4; fraction /= 2) {
			order = slab_order(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= SLUB_MAX_ORDER)
				return order;
		}
		min_objects--;
	}
	order = slab_order(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= SLUB_MAX_ORDER)
		return order;
	return slab_order(size, 1, SLAB_MAX_ORDER, 1);
}

/* ------------------------------------------------------------------------------------------
 * Slabs. */

/* Context: any; no cache lock held (the constructor runs here). The pages come from the
 * buddy allocator (mm/page_alloc.c). In separate-object mode the slab is real too: its
 * objects are the tokens that stand for the malloc'ed objects (see kmem_cache_alloc), so
 * both modes run the same code and count the same; tokens are not constructed. */
static noinline struct slab *new_slab(struct kmem_cache *s)
{
	struct slab *slab = slab_desc_alloc();
	unsigned int i;
	int err;

	if (!slab)
		return NULL;
	slab->cache = s;
	slab->kind = SLAB_KIND_CACHE;
	INIT_LIST_HEAD(&slab->list);
	slab->base = (void *)__get_free_pages(0, s->order);
	if (!slab->base) {
		slab_desc_free(slab);
		return NULL;
	}
	slab->bytes = s->object_size;
	err = set_page_slab(slab->base, 1UL << s->order, slab);
	if (err) {
		free_pages((unsigned long)slab->base, s->order);
		slab_desc_free(slab);
		return NULL;
	}
	/* Freelist in address order; objects constructed once per slab, as SLUB's setup_object. */
	for (i = s->objects; i-- > 0; ) {
		char *obj = (char *)slab->base + (size_t)i * s->size;

		if (s->ctor && !separate_objects)
			s->ctor(obj);
		*(void **)(obj + s->offset) = slab->freelist;
		slab->freelist = obj;
	}
	return slab;
}

static void free_slab(struct slab *slab)
{
	unsigned int order = slab->cache->order;

	set_page_slab(slab->base, 1UL << order, NULL);
	free_pages((unsigned long)slab->base, order);
	slab_desc_free(slab);
}

/* Caller holds s->lock. */
static void cache_account_slab(struct kmem_cache *s, long sign)
{
	s->nr_slabs += sign;
	s->nr_objs += sign * (long)s->objects;
	atomic_long_add(sign * (long)(PAGE_SIZE << s->order), &slab_page_bytes);
}

/* The calling context's kmem_cache_cpu. The index is masked so that a thread whose CPU
 * number was never set (0 by default) or is out of range still gets a valid slot. */
static inline struct kmem_cache_cpu *cache_cpu(struct kmem_cache *s, int *cpu)
{
	*cpu = ul_this_cpu & (NR_CPUS - 1);
	return &s->cpu_slab[*cpu];
}

/* Hand the CPU slab back to the lists (SLUB's deactivate_slab): the CPU freelist's objects
 * return to the slab's freelist. Caller holds c->lock and s->lock. Returns a slab to free
 * (beyond s->min_partial empty ones), or NULL. */
static struct slab *deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *slab = c->page;
	struct slab *victim = NULL;
	unsigned int n = 0;

	if (!slab)
		return NULL;
	while (c->freelist && n < s->objects) {
		char *obj = c->freelist;

		c->freelist = *(void **)(obj + s->offset);
		*(void **)(obj + s->offset) = slab->freelist;
		slab->freelist = obj;
		n++;
	}
	c->freelist = NULL;
	c->page = NULL;
	slab->frozen = 0;
	slab->inuse -= n;
	if (slab->inuse == s->objects) {
		list_add(&slab->list, &s->full);
	} else if (slab->inuse) {
		list_add(&slab->list, &s->partial);
	} else {
		list_add(&slab->list, &s->empty);
		if (++s->nr_empty > s->min_partial) {
			victim = list_last_entry(&s->empty, struct slab, list);
			list_del(&victim->list);
			s->nr_empty--;
			cache_account_slab(s, -1);
		}
	}
	return victim;
}

/* The slow path of allocation (SLUB's __slab_alloc): the CPU freelist is empty. Take the
 * objects freed into the CPU slab by other CPUs, or retire the (full) CPU slab and freeze a
 * partial one, an empty one or a new one. Caller holds c->lock; returns an object taken
 * from the refilled CPU freelist, or NULL when out of memory. */
static noinline void *__slab_alloc(struct kmem_cache *s, struct kmem_cache_cpu *c, int cpu)
{
	struct slab *slab = c->page, *fresh = NULL;
	char *obj;

	spin_lock(&s->lock);
	if (slab) {
		if (slab->freelist)
			goto take;	/* remote frees: this slab again */
		slab->frozen = 0;
		list_add(&slab->list, &s->full);
		c->page = NULL;
	}
	if (!list_empty(&s->partial)) {
		slab = list_first_entry(&s->partial, struct slab, list);
	} else if (!list_empty(&s->empty)) {
		slab = list_first_entry(&s->empty, struct slab, list);
		s->nr_empty--;
	} else {
		/* Build a slab without the cache's lock (the constructor runs). */
		spin_unlock(&s->lock);
		fresh = new_slab(s);
		if (!fresh)
			return NULL;
		spin_lock(&s->lock);
		cache_account_slab(s, 1);
		slab = fresh;
	}
	list_del_init(&slab->list);
	slab->frozen = (unsigned char)(cpu + 1);
	c->page = slab;
take:
	c->freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = (unsigned short)s->objects;
	spin_unlock(&s->lock);

	obj = c->freelist;
	c->freelist = *(void **)(obj + s->offset);
	return obj;
}

/* The slow path of free (SLUB's __slab_free): @obj's slab is not the freeing CPU's. Under
 * s->lock: the object goes on its slab's freelist; an unfrozen slab moves from full to
 * partial, from partial to empty; beyond s->min_partial empty slabs the coldest goes back
 * to the page allocator. Returns false for a detected double free (nothing changed). */
static noinline bool __slab_free(struct kmem_cache *s, struct slab *slab, void *obj)
{
	struct slab *victim = NULL;

	spin_lock(&s->lock);
	if (unlikely(obj == slab->freelist || (!slab->frozen && !slab->inuse))) {
		spin_unlock(&s->lock);
		return false;
	}
	*(void **)((char *)obj + s->offset) = slab->freelist;
	slab->freelist = obj;
	s->remote_frees++;
	if (!slab->frozen) {
		if (slab->inuse-- == s->objects)
			list_move(&slab->list, &s->partial);
		if (!slab->inuse) {
			list_move(&slab->list, &s->empty);
			if (++s->nr_empty > s->min_partial) {
				/* Return the coldest empty slab to the page allocator. */
				victim = list_last_entry(&s->empty, struct slab, list);
				list_del(&victim->list);
				s->nr_empty--;
				cache_account_slab(s, -1);
			}
		}
	} else {
		slab->inuse--;
	}
	spin_unlock(&s->lock);
	if (victim)
		free_slab(victim);
	return true;
}

/* The fast path (SLUB's slab_alloc): pop the CPU freelist. Context: any. */
static inline __attribute__((always_inline)) void *slab_alloc(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;
	void *obj;
	int cpu;

	c = cache_cpu(s, &cpu);
	spin_lock(&c->lock);
	obj = c->freelist;
	if (likely(obj))
		c->freelist = *(void **)((char *)obj + s->offset);
	else
		obj = __slab_alloc(s, c, cpu);
	if (likely(obj))
		c->allocs++;
	spin_unlock(&c->lock);
	return obj;
}

/* The fast path of free (SLUB's slab_free): an object of the CPU's own slab goes on the CPU
 * freelist. Returns false for a detected double free. Context: any. */
static inline __attribute__((always_inline)) bool slab_free(struct kmem_cache *s, struct slab *slab,
							  void *obj)
{
	struct kmem_cache_cpu *c;
	int cpu;

	c = cache_cpu(s, &cpu);
	spin_lock(&c->lock);
	if (likely(slab == c->page)) {
		/* SLAB_FREELIST_HARDENED's check: the same object twice in a row. */
		if (unlikely(obj == c->freelist)) {
			spin_unlock(&c->lock);
			return false;
		}
		*(void **)((char *)obj + s->offset) = c->freelist;
		c->freelist = obj;
		c->frees++;
		spin_unlock(&c->lock);
		return true;
	}
	spin_unlock(&c->lock);
	return __slab_free(s, slab, obj);
}

/* Objects in use in @s: every alloc minus every free, over the CPUs. Reads other CPUs'
 * counters without their locks: exact when the cache is quiet, a snapshot otherwise. */
static unsigned long cache_inuse(const struct kmem_cache *s, unsigned long *allocs,
				 unsigned long *frees)
{
	unsigned long a = 0, f = s->remote_frees;
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		a += __atomic_load_n(&s->cpu_slab[cpu].allocs, __ATOMIC_RELAXED);
		f += __atomic_load_n(&s->cpu_slab[cpu].frees, __ATOMIC_RELAXED);
	}
	if (allocs)
		*allocs = a;
	if (frees)
		*frees = f;
	return a - f;
}

/* ------------------------------------------------------------------------------------------
 * Separate-object mode (sanitizer builds). */

static size_t san_pad(unsigned int align)
{
	return ALIGN(sizeof(struct san_hdr), (size_t)max(align, 16u));
}

static struct san_hdr *san_hdr_of(const void *obj)
{
	return (struct san_hdr *)((char *)obj - sizeof(struct san_hdr));
}

static void *san_alloc(size_t size, unsigned int align, struct slab *slab, void *token)
{
	size_t pad = san_pad(align);
	struct san_hdr *h;
	void *raw;
	char *obj;

	if (align > 16) {
		if (posix_memalign(&raw, align, pad + size))
			return NULL;
	} else {
		raw = malloc(pad + size);
		if (!raw)
			return NULL;
	}
	obj = (char *)raw + pad;
	h = san_hdr_of(obj);
	h->raw = raw;
	h->slab = slab;
	h->token = token;
	h->magic = SAN_MAGIC_LIVE;
	INIT_LIST_HEAD(&h->node);
	return obj;
}

/* The header of a live separate object, or NULL (reported) when @obj is not one. */
static struct san_hdr *san_lookup(const void *obj, const char *who)
{
	struct san_hdr *h = san_hdr_of(obj);

	if (h->magic != SAN_MAGIC_LIVE) {
		pr_err("%s: %p is not an allocated object (%s)\n", who, obj,
		       h->magic == SAN_MAGIC_FREE ? "double free" : "bad pointer");
		WARN_ON(1);
		return NULL;
	}
	return h;
}

/* ------------------------------------------------------------------------------------------
 * Caches. */

static struct kmem_cache *__kmem_cache_create(const char *name, size_t size, size_t align,
					      unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;
	unsigned int objsize;

	if (!name || !size || size > (PAGE_SIZE << SLAB_MAX_ORDER) ||
	    (align & (align - 1)) || align > PAGE_SIZE) {
		pr_err("kmem_cache_create(%s): bad size %zu or align %zu\n",
		       name ? name : "(null)", size, align);
		return NULL;
	}
	/* The CPU slabs are cache-line aligned: so is the cache. */
	if (posix_memalign((void **)&s, CACHE_LINE_SIZE, sizeof(*s)))
		return NULL;
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name) {
		free(s);
		return NULL;
	}
	spin_lock_init(&s->lock);
	s->object_size = (unsigned int)size;
	s->flags = flags;
	s->ctor = ctor;
	/* calculate_sizes: round to a word; a constructed or RCU-freed object must keep its
	 * contents while free, so the free pointer goes after it instead of over it. */
	objsize = ALIGN((unsigned int)size, (unsigned int)sizeof(void *));
	if ((flags & SLAB_DESTROY_BY_RCU) || ctor) {
		s->offset = objsize;
		objsize += sizeof(void *);
	}
	s->align = calculate_alignment(flags, (unsigned int)align, (unsigned int)size);
	s->size = ALIGN(objsize, s->align);
	s->size_magic = ~0UL / s->size + 1;
	s->order = calculate_order(s->size);
	s->objects = order_objects(s->order, s->size);
	/* set_min_partial(s, ilog2(s->size) / 2), within MIN_PARTIAL .. MAX_PARTIAL. */
	s->min_partial = min(max((slab_fls(s->size) - 1) / 2, (unsigned int)MIN_PARTIAL),
			     (unsigned int)MAX_PARTIAL);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->empty);
	INIT_LIST_HEAD(&s->live);
	return s;
}

/* Context: process. Returns the cache, or NULL (bad arguments, no memory; with SLAB_PANIC
 * that is a BUG, as in Linux). The name is copied. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (!slab_ready) {
		pr_err("kmem_cache_create(%s): the slab allocator is not initialised\n",
		       name ? name : "(null)");
		return NULL;
	}
	s = __kmem_cache_create(name, size, align, flags, ctor);
	if (!s) {
		if (flags & SLAB_PANIC)
			ul_bug(__FILE__, __LINE__, "kmem_cache_create with SLAB_PANIC failed");
		return NULL;
	}
	pthread_mutex_lock(&slab_mutex);
	list_add_tail(&s->list, &slab_caches);
	pthread_mutex_unlock(&slab_mutex);
	return s;
}

/* Free every slab and live object of @s (not on slab_caches any more): the CPU slabs are
 * handed back first, then every slab goes to the page allocator. */
static void cache_release(struct kmem_cache *s)
{
	struct list_head *lists[] = { &s->partial, &s->full, &s->empty };
	struct slab *slab, *n;
	struct san_hdr *h, *hn;
	size_t i;
	int cpu;

	list_for_each_entry_safe(h, hn, &s->live, node) {
		list_del(&h->node);
		h->magic = SAN_MAGIC_FREE;
		free(h->raw);
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		spin_lock(&c->lock);
		spin_lock(&s->lock);
		slab = deactivate_slab(s, c);
		spin_unlock(&s->lock);
		spin_unlock(&c->lock);
		if (slab)
			free_slab(slab);
	}
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		list_for_each_entry_safe(slab, n, lists[i], list) {
			list_del(&slab->list);
			atomic_long_sub((long)(PAGE_SIZE << s->order), &slab_page_bytes);
			free_slab(slab);
		}
	}
	free(s->name);
	free(s);
}

static void cache_report_leak(const struct kmem_cache *s, unsigned long inuse)
{
	pr_err("kmem_cache_destroy %s: Slab cache still has objects (%lu leaked)\n", s->name,
	       inuse);
}

/* Context: process. Objects still allocated are a leak: reported, then freed with the cache. */
void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long inuse;

	if (!s)
		return;
	pthread_mutex_lock(&slab_mutex);
	list_del(&s->list);
	pthread_mutex_unlock(&slab_mutex);
	inuse = cache_inuse(s, NULL, NULL);
	if (inuse)
		cache_report_leak(s, inuse);
	cache_release(s);
}

/* Context: any. In separate-object mode the slab object is a token standing for a malloc'ed
 * object that carries it in its header. */
static noinline void *san_cache_alloc(struct kmem_cache *s, void *token)
{
	void *obj = san_alloc(s->object_size, s->align, NULL, token);

	if (!obj) {
		slab_free(s, virt_to_slab(token), token);
		return NULL;
	}
	if (s->ctor)
		s->ctor(obj);
	spin_lock(&s->lock);
	list_add(&san_hdr_of(obj)->node, &s->live);
	spin_unlock(&s->lock);
	return obj;
}

/* Every case but the lock-free one below: posix runtime (the CPU freelist under its lock),
 * an empty CPU freelist, separate objects, __GFP_ZERO. */
static noinline void *kmem_cache_alloc_slow(struct kmem_cache *s, gfp_t flags)
{
	void *obj;

	if (unlikely(!s))
		return NULL;
	if (unlikely(atomic_read(&failslab_armed)) && should_failslab(s->name))
		return NULL;
	obj = slab_alloc(s);
	if (unlikely(!obj))
		return NULL;
	if (unlikely(separate_objects) && !(obj = san_cache_alloc(s, obj)))
		return NULL;
	if (unlikely(flags & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/* Context: any. The fast path, when no other thread can run on this CPU (sim runtime,
 * ul_smp false): pop the CPU freelist, a leaf function of a few instructions. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	if (likely(s && !ul_smp && !separate_objects && !(flags & __GFP_ZERO) &&
		   !atomic_read(&failslab_armed))) {
		struct kmem_cache_cpu *c = &s->cpu_slab[ul_this_cpu & (NR_CPUS - 1)];
		void *obj = c->freelist;

		if (likely(obj)) {
			c->freelist = *(void **)((char *)obj + s->offset);
			c->allocs++;
			return obj;
		}
	}
	return kmem_cache_alloc_slow(s, flags);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

/* Free @obj, whose slab is @slab (found from the address; in separate-object mode, of its
 * token). */
static noinline void report_bad_free(const struct kmem_cache *s, const void *obj,
				     const char *who, const char *what)
{
	pr_err("%s: %p %s %s\n", who, obj, what, s->name);
	WARN_ON(1);
}

static noinline void san_cache_free(struct kmem_cache *s, struct slab *slab, void *obj,
				    const char *who)
{
	struct san_hdr *h = san_hdr_of(obj);

	spin_lock(&s->lock);
	list_del(&h->node);
	spin_unlock(&s->lock);
	if (!slab_free(s, slab, h->token))
		pr_err("%s: double free of %p in %s\n", who, obj, s->name);
	h->magic = SAN_MAGIC_FREE;
	free(h->raw);
}

/* Is @obj, in @slab's pages, the start of an object: is its offset a multiple of s->size?
 * Without a division: for a 32-bit n (a slab is at most 4 MiB) and d = s->size > 1, with
 * M = ceil(2^64 / d), d divides n exactly when n * M mod 2^64 < M (Lemire, Kaser and Kurz,
 * "Faster remainder by direct computation", 2019). DIVERGES: SLUB does not check this on
 * its fast path (a bad pointer corrupts its freelist); ulnet reports it. no_cache has M 0:
 * nothing passes. */
static inline __attribute__((always_inline)) bool obj_is_start(const struct kmem_cache *s,
							       const struct slab *slab,
							       const void *obj)
{
	unsigned long off = (unsigned long)((const char *)obj - (const char *)slab->base);

	return off * s->size_magic < s->size_magic;
}

static inline __attribute__((always_inline)) void cache_free(struct kmem_cache *s,
							     struct slab *slab, void *obj,
							     const char *who)
{
	if (unlikely(separate_objects)) {
		san_cache_free(s, slab, obj, who);
		return;
	}
	if (unlikely(!obj_is_start(s, slab, obj))) {
		report_bad_free(s, obj, who, "points inside an object of");
		return;
	}
	if (unlikely(!slab_free(s, slab, obj)))
		report_bad_free(s, obj, who, "is freed twice (double free) in");
}

static noinline struct slab *san_obj_to_slab(const void *obj, const char *who)
{
	struct san_hdr *h = san_lookup(obj, who);

	if (!h)
		return NULL;
	return h->token ? virt_to_slab(h->token) : h->slab;
}

static noinline void report_not_slab(const void *obj, const char *who)
{
	pr_err("%s: %p was not allocated by the slab allocator\n", who, obj);
	WARN_ON(1);
}

/* The descriptor of the area @obj belongs to, or NULL (reported). */
static inline __attribute__((always_inline)) struct slab *obj_to_slab(const void *obj,
								      const char *who)
{
	struct slab *slab;

	if (unlikely(separate_objects))
		return san_obj_to_slab(obj, who);
	slab = virt_to_slab(obj);
	if (unlikely(!slab))
		slab = page_map_get(obj);	/* a vmalloc area */
	if (unlikely(!slab)) {
		report_not_slab(obj, who);
		return NULL;
	}
	return slab;
}

static noinline void kmem_cache_free_slow(struct kmem_cache *s, void *obj)
{
	struct slab *slab;

	if (unlikely(!obj))
		return;
	slab = obj_to_slab(obj, "kmem_cache_free");
	if (unlikely(!slab))
		return;
	if (unlikely(slab->kind != SLAB_KIND_CACHE || slab->cache != s)) {
		pr_err("kmem_cache_free: %p does not belong to cache %s\n", obj,
		       s ? s->name : "(null)");
		WARN_ON(1);
		return;
	}
	cache_free(s, slab, obj, "kmem_cache_free");
}

/* A free into a slab that is not the CPU's (from the fast paths below), reported when it
 * is a double free. */
static noinline void remote_free(struct kmem_cache *s, struct slab *slab, void *obj,
				 const char *who)
{
	if (unlikely(!__slab_free(s, slab, obj)))
		report_bad_free(s, obj, who, "is freed twice (double free) in");
}

/* The fast path of a free when no other thread can run on this CPU (!ul_smp): an object of
 * the CPU's own slab, not the last one freed, goes on the CPU freelist; another slab's
 * object goes to its slab. Every call out is a tail call, so the common case is a leaf.
 * Returns false when the general path must do it (it checks everything again, reports). */
static inline __attribute__((always_inline)) bool cache_free_fast(struct kmem_cache *s,
								  struct slab *slab,
								  const void *obj,
								  const char *who)
{
	struct kmem_cache_cpu *c;

	if (unlikely(ul_smp || !obj_is_start(s, slab, obj)))
		return false;
	c = &s->cpu_slab[ul_this_cpu & (NR_CPUS - 1)];
	if (likely(c->page == slab)) {
		if (unlikely(c->freelist == obj))
			return false;
		*(void **)((char *)obj + s->offset) = c->freelist;
		c->freelist = (void *)obj;
		c->frees++;
		return true;
	}
	remote_free(s, slab, (void *)obj, who);
	return true;
}

/* Context: any. */
void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	/* NULL, a separate object (malloc'ed) or a pointer not ulnet's is not in the page
	 * allocator's region: no slab, the slow path sorts it out. */
	struct slab *slab = virt_to_slab(obj);

	/* A large kmalloc's slab->cache is &no_cache, never @s (not even a NULL one). */
	if (likely(slab && slab->cache == s &&
		   cache_free_fast(s, slab, obj, "kmem_cache_free")))
		return;
	kmem_cache_free_slow(s, obj);
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->size;
}

/* ------------------------------------------------------------------------------------------
 * kmalloc. */

/* kmalloc_index: the size class for @size (1..KMALLOC_MAX_CACHE_SIZE): a table by 8-byte
 * steps up to 192 (slab_common.c's size_index), then by power of two. */
static const unsigned char size_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3,		/* 8, 16, 24-32, 40-64 */
	4, 4, 4, 4, 5, 5, 5, 5,		/* 72-96, 104-128 */
	6, 6, 6, 6, 6, 6, 6, 6,		/* 136-192 */
};

static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	/* 193..256 -> 7 (256), then one class per power of two up to 8192 (12). */
	return slab_fls((unsigned long)(size - 1)) - 1;
}

static void large_track(struct slab *area)
{
	pthread_mutex_lock(&slab_mutex);
	list_add_tail(&area->list, &large_list);
	pthread_mutex_unlock(&slab_mutex);
}

static void area_free_mem(struct slab *area)
{
	if (area->kind == SLAB_KIND_LARGE)
		free_pages((unsigned long)area->base, get_order(area->bytes));
	else
		free(area->base);
}

/* Whole pages (kmalloc_large) or a vmalloc area, entered in the page map by its first page. */
static void *large_alloc(size_t size, enum slab_kind kind, gfp_t flags)
{
	size_t bytes = kind == SLAB_KIND_LARGE ? PAGE_SIZE << get_order(size)
					       : ALIGN(size, (size_t)PAGE_SIZE);
	struct slab *area;
	void *p;

	if (bytes > (UINT_MAX & PAGE_MASK)) {
		/* DIVERGES: 3.10's vmalloc is bounded by the vmalloc area (32 TiB); ulnet's
		 * descriptor counts an area's bytes in 32 bits. */
		pr_err("vzalloc(%zu): larger than 4 GiB\n", size);
		return NULL;
	}
	area = slab_desc_alloc();
	if (!area)
		return NULL;
	area->kind = (unsigned char)kind;
	area->cache = &no_cache;
	area->bytes = (unsigned int)bytes;
	if (separate_objects) {
		/* A kmalloc caller may use all of ksize(); vmalloc callers only what they asked. */
		p = san_alloc(kind == SLAB_KIND_LARGE ? bytes : size, 16, area, NULL);
		if (!p) {
			slab_desc_free(area);
			return NULL;
		}
		area->base = NULL;
		pthread_mutex_lock(&slab_mutex);
		list_add_tail(&san_hdr_of(p)->node, &large_list);
		pthread_mutex_unlock(&slab_mutex);
	} else {
		int err;

		/* kmalloc_large: whole pages from the buddy allocator (their free lists keep a
		 * freed 64 KiB skb head for the next one); vmalloc areas from the C library. */
		if (kind == SLAB_KIND_LARGE) {
			p = (void *)__get_free_pages(0, get_order(bytes));
		} else if (posix_memalign(&p, PAGE_SIZE, bytes)) {
			p = NULL;
		}
		if (!p) {
			slab_desc_free(area);
			return NULL;
		}
		area->base = p;
		if (kind == SLAB_KIND_LARGE) {
			err = set_page_slab(p, 1, area);
		} else {
			pthread_mutex_lock(&slab_mutex);
			err = page_map_set(p, 1, area);
			pthread_mutex_unlock(&slab_mutex);
		}
		if (err) {
			area_free_mem(area);
			slab_desc_free(area);
			return NULL;
		}
		large_track(area);
	}
	if ((flags & __GFP_ZERO) || kind == SLAB_KIND_VMALLOC)
		memset(p, 0, kind == SLAB_KIND_LARGE ? bytes : size);
	if (kind == SLAB_KIND_LARGE) {
		atomic_long_inc(&large_objs);
		atomic_long_add((long)bytes, &large_bytes);
	} else {
		atomic_long_inc(&vmalloc_objs);
		atomic_long_add((long)bytes, &vmalloc_bytes);
	}
	return p;
}

static void large_free(struct slab *area, const void *p)
{
	if (area->kind == SLAB_KIND_LARGE) {
		atomic_long_dec(&large_objs);
		atomic_long_sub((long)area->bytes, &large_bytes);
	} else {
		atomic_long_dec(&vmalloc_objs);
		atomic_long_sub((long)area->bytes, &vmalloc_bytes);
	}
	pthread_mutex_lock(&slab_mutex);
	if (separate_objects) {
		struct san_hdr *h = san_hdr_of(p);

		list_del(&h->node);
		pthread_mutex_unlock(&slab_mutex);
		h->magic = SAN_MAGIC_FREE;
		free(h->raw);
	} else {
		if (area->kind == SLAB_KIND_LARGE)
			set_page_slab(area->base, 1, NULL);
		else
			page_map_set(area->base, 1, NULL);
		list_del(&area->list);
		pthread_mutex_unlock(&slab_mutex);
		area_free_mem(area);
	}
	slab_desc_free(area);
}

/* kmalloc's other cases, out of line so that its fast path needs no stack frame. */
static noinline void *kmalloc_slow(size_t size, gfp_t flags)
{
	if (!slab_ready) {
		pr_err("kmalloc(%zu): the slab allocator is not initialised\n", size);
		return NULL;
	}
	if (size > KMALLOC_MAX_SIZE) {
		/* The page allocator's largest block (MAX_ORDER - 1) in Linux. */
		pr_err("kmalloc(%zu): larger than KMALLOC_MAX_SIZE (use vzalloc)\n", size);
		return NULL;
	}
	return large_alloc(size, SLAB_KIND_LARGE, flags);
}

/* Context: any. kmalloc(0) is ZERO_SIZE_PTR, as in Linux. */
void *kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (unlikely(!slab_ready || size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_slow(size, flags);
	return kmem_cache_alloc(kmalloc_caches[kmalloc_index(size)], flags);
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, flags | __GFP_ZERO);
}

void *kmemdup(const void *src, size_t len, gfp_t flags)
{
	void *p = kmalloc(len, flags);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

char *kstrdup(const char *s, gfp_t flags)
{
	return s ? kmemdup(s, strlen(s) + 1, flags) : NULL;
}

/* Context: any. Frees any slab object (kmalloc or a named cache, as Linux's kfree does) and
 * large kmallocs; a pointer the allocator does not know is reported and left alone. */
static noinline void kfree_slow(const void *obj)
{
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(obj)))
		return;
	slab = obj_to_slab(obj, "kfree");
	if (!slab)
		return;
	switch (slab->kind) {
	case SLAB_KIND_CACHE:
		cache_free(slab->cache, slab, (void *)obj, "kfree");
		break;
	case SLAB_KIND_VMALLOC:
		pr_err("kfree: %p is a vmalloc area (use vfree)\n", obj);
		WARN_ON(1);
		__attribute__((fallthrough));	/* free it anyway */
	case SLAB_KIND_LARGE:
		large_free(slab, obj);
		break;
	}
}

void kfree(const void *obj)
{
	/* NULL, ZERO_SIZE_PTR and separate objects have no page word (kmem_cache_free). */
	struct slab *slab = virt_to_slab(obj);

	if (likely(slab && cache_free_fast(slab->cache, slab, obj, "kfree")))
		return;
	kfree_slow(obj);
}

static noinline size_t ksize_slow(const void *obj)
{
	struct slab *slab;

	if (ZERO_OR_NULL_PTR(obj))
		return 0;
	slab = obj_to_slab(obj, "ksize");
	if (!slab)
		return 0;
	switch (slab->kind) {
	case SLAB_KIND_CACHE:
		return slab->cache->object_size;
	case SLAB_KIND_LARGE:
		return slab->bytes;
	default:
		return 0;
	}
}

/* Usable size of a kmalloc'ed object: its size class (the cache's object_size), or the
 * pages of a large kmalloc. The fast path is the page word and one load, as 3.10's ksize
 * (virt_to_head_page, page->slab_cache->object_size). */
size_t ksize(const void *obj)
{
	struct slab *slab = virt_to_slab(obj);

	if (likely(slab))
		return slab->bytes;
	return ksize_slow(obj);
}

/* Context: process. Zeroed, page-granular memory for large tables (hash tables); vmalloc(0)
 * is NULL. */
void *vzalloc(size_t size)
{
	if (!size || !slab_ready)
		return NULL;
	return large_alloc(size, SLAB_KIND_VMALLOC, __GFP_ZERO);
}

void vfree(const void *p)
{
	struct slab *area;

	if (!p)
		return;
	area = obj_to_slab(p, "vfree");
	if (!area)
		return;
	if (area->kind != SLAB_KIND_VMALLOC) {
		pr_err("vfree: %p is not a vmalloc area (use kfree)\n", p);
		WARN_ON(1);
		kfree(p);
		return;
	}
	large_free(area, p);
}

/* ------------------------------------------------------------------------------------------
 * Statistics and /proc/slabinfo. */

static void cache_stats(struct kmem_cache *s, struct kmem_cache_stats *st)
{
	spin_lock(&s->lock);
	st->name = s->name;
	/* DIVERGES: SLUB counts every object of a CPU slab as active; ulnet counts the objects
	 * allocated and not freed (the sums of the CPUs' counters), exact, as the leak checks
	 * and the memory labs want. */
	st->active_objs = cache_inuse(s, &st->total_allocs, &st->total_frees);
	st->num_objs = s->nr_objs;
	st->objsize = s->size;
	st->objperslab = s->objects;
	st->pagesperslab = 1u << s->order;
	/* SLUB reports every slab as active (get_slabinfo: active_slabs = nr_slabs). */
	st->active_slabs = s->nr_slabs;
	st->num_slabs = s->nr_slabs;
	spin_unlock(&s->lock);
}

/* @fn runs under slab_mutex: it must not create or destroy caches. */
void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg)
{
	struct kmem_cache_stats st;
	struct kmem_cache *s;

	pthread_mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		cache_stats(s, &st);
		fn(&st, arg);
	}
	pthread_mutex_unlock(&slab_mutex);
}

/* Returns 0, or -ENOENT. st->name points into the cache: valid while it exists. */
int kmem_cache_stats_by_name(const char *name, struct kmem_cache_stats *st)
{
	struct kmem_cache *s;
	int err = -ENOENT;

	if (!name || !st)
		return -EINVAL;
	pthread_mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		if (!strcmp(s->name, name)) {
			cache_stats(s, st);
			err = 0;
			break;
		}
	}
	pthread_mutex_unlock(&slab_mutex);
	return err;
}

/* Sums the caches' counters (slow: for leak checks and tests, not for hot paths). */
unsigned long ul_slab_objects_in_use(void)
{
	unsigned long n = (unsigned long)(atomic_long_read(&large_objs) +
					  atomic_long_read(&vmalloc_objs));
	struct kmem_cache *s;

	if (!slab_ready)
		return 0;
	pthread_mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		n += cache_inuse(s, NULL, NULL);
	pthread_mutex_unlock(&slab_mutex);
	return n;
}

unsigned long ul_slab_bytes(void)
{
	return (unsigned long)(atomic_long_read(&slab_page_bytes) + atomic_long_read(&large_bytes) +
			       atomic_long_read(&vmalloc_bytes));
}

void ul_slab_extra_stats(struct ul_slab_extra *st)
{
	st->large_objs = (unsigned long)atomic_long_read(&large_objs);
	st->large_bytes = (unsigned long)atomic_long_read(&large_bytes);
	st->vmalloc_objs = (unsigned long)atomic_long_read(&vmalloc_objs);
	st->vmalloc_bytes = (unsigned long)atomic_long_read(&vmalloc_bytes);
}

/* /proc/slabinfo, SLUB's 2.1 format (mm/slab_common.c): newest cache first, as Linux lists
 * slab_caches. SLUB has no tunables and no shared array: those columns are 0. */
static int slabinfo_show(struct seq_file *m, void *v)
{
	struct kmem_cache_stats st;
	struct kmem_cache *s;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		    "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		    "<active_slabs> <num_slabs> <sharedavail>\n");
	pthread_mutex_lock(&slab_mutex);
	list_for_each_entry_reverse(s, &slab_caches, list) {
		cache_stats(s, &st);
		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", st.name, st.active_objs, st.num_objs,
			   st.objsize, st.objperslab, (int)st.pagesperslab);
		seq_printf(m, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		seq_printf(m, " : slabdata %6lu %6lu %6lu\n", st.active_slabs, st.num_slabs, 0UL);
	}
	pthread_mutex_unlock(&slab_mutex);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Boot and teardown. */

void kmem_cache_init_mode(bool separate)
{
	char name[32];
	size_t i;

	if (slab_ready)
		return;
	separate_objects = separate;
	INIT_LIST_HEAD(&slab_caches);
	INIT_LIST_HEAD(&large_list);
	atomic_long_set(&slab_page_bytes, 0);
	atomic_long_set(&large_objs, 0);
	atomic_long_set(&large_bytes, 0);
	atomic_long_set(&vmalloc_objs, 0);
	atomic_long_set(&vmalloc_bytes, 0);
	slab_ready = true;
	/* create_kmalloc_caches: 8, 16, 32, 64, then 96 after 64 and 192 after 128. */
	for (i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		snprintf(name, sizeof(name), "kmalloc-%u", kmalloc_sizes[i]);
		kmalloc_caches[i] = kmem_cache_create(name, kmalloc_sizes[i], 0, SLAB_PANIC, NULL);
	}
	proc_create_single("slabinfo", slabinfo_show, NULL);
}

/* Context: boot (before the runtime starts threads). */
void kmem_cache_init(void)
{
#ifdef ULNET_SANITIZE
	kmem_cache_init_mode(true);
#else
	kmem_cache_init_mode(false);
#endif
}

/* Context: teardown, every subsystem gone. Reports every cache that still has objects and
 * every large kmalloc or vmalloc area not freed, then frees everything and resets. */
void kmem_cache_fini(void)
{
	struct kmem_cache *s, *n;
	struct slab *area, *an;
	struct san_hdr *h, *hn;
	unsigned long nlarge = 0;

	if (!slab_ready)
		return;
	proc_remove_path("slabinfo");
	pthread_mutex_lock(&slab_mutex);
	list_for_each_entry_safe(s, n, &slab_caches, list) {
		unsigned long inuse = cache_inuse(s, NULL, NULL);

		list_del(&s->list);
		if (inuse)
			cache_report_leak(s, inuse);
		pthread_mutex_unlock(&slab_mutex);
		cache_release(s);
		pthread_mutex_lock(&slab_mutex);
	}
	if (separate_objects) {
		list_for_each_entry_safe(h, hn, &large_list, node) {
			list_del(&h->node);
			slab_desc_free(h->slab);
			free(h->raw);
			nlarge++;
		}
	} else {
		list_for_each_entry_safe(area, an, &large_list, list) {
			list_del(&area->list);
			area_free_mem(area);
			slab_desc_free(area);
			nlarge++;
		}
	}
	INIT_LIST_HEAD(&large_list);
	page_map_free();
	pthread_mutex_unlock(&slab_mutex);
	slab_desc_fini();
	if (nlarge)
		pr_err("slab: %lu large kmalloc/vmalloc areas still allocated (leaked)\n", nlarge);
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	atomic_long_set(&slab_page_bytes, 0);
	atomic_long_set(&large_objs, 0);
	atomic_long_set(&large_bytes, 0);
	atomic_long_set(&vmalloc_objs, 0);
	atomic_long_set(&vmalloc_bytes, 0);
	slab_ready = false;
}
