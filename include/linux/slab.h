/* SPDX-License-Identifier: MIT */
/* Slab caches and kmalloc. Mirrors linux/include/linux/slab.h (SLUB).
 *
 * Every object the stack allocates comes from a named kmem_cache (skbuff_head_cache, TCP,
 * sock_inode_cache, filp, ...) or a kmalloc-N size class, so /proc/slabinfo and the memory
 * labs (book ch7) see every byte. Object sizes are ulnet's own structs, laid out as SLUB
 * would (objsize rounded to 8, SLAB_HWCACHE_ALIGN to 64 halved while the object fits in
 * half). Objects are carved from slabs of whole pages (from the buddy allocator, linux/mm.h);
 * kfree() finds an object's cache in O(1). Each CPU allocates from and frees into a slab of
 * its own without the cache's lock (SLUB's per-CPU slabs); any CPU may free any object.
 * In sanitizer builds every object is its own malloc() so ASan catches use-after-free;
 * the counts stay the same. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H
#include "linux/types.h"

#define SLAB_HWCACHE_ALIGN	0x00002000UL
#define SLAB_PANIC		0x00040000UL
#define SLAB_DESTROY_BY_RCU	0x00080000UL
#define SLAB_RECLAIM_ACCOUNT	0x00020000UL
#define SLAB_MEM_SPREAD		0x00100000UL
#define KMALLOC_MAX_CACHE_SIZE	8192

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *));
/* Destroys the cache; objects still allocated are reported (a leak) and freed. */
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags);
void kmem_cache_free(struct kmem_cache *s, void *obj);
const char *kmem_cache_name(const struct kmem_cache *s);
/* Fault injection for tests (3.10's failslab): after @skip successful allocations from the
 * cache named @name (NULL: any), the next @times fail; @times 0 disarms. pending: failures
 * still to come. */
void ul_failslab_arm(const char *name, unsigned int skip, unsigned int times);
unsigned int ul_failslab_pending(void);
unsigned int kmem_cache_size(const struct kmem_cache *s); /* objsize */

/* kmalloc(0) returns ZERO_SIZE_PTR (not NULL, not dereferenceable); kfree accepts it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *kmemdup(const void *src, size_t len, gfp_t flags);
char *kstrdup(const char *s, gfp_t flags);
void kfree(const void *obj);
size_t ksize(const void *obj); /* usable size of a kmalloc'ed object */
/* Large tables (hash tables of the stack): counted under "vmalloc" in ul_slab_stats. */
void *vzalloc(size_t size);
void vfree(const void *p);

/* Statistics (one cache; /proc/slabinfo columns). DIVERGES: active_objs is the exact number
 * of objects allocated and not freed (SLUB counts every object of a CPU's slab as active);
 * num_objs/num_slabs count every slab, the CPUs' slabs included, as SLUB does. */
struct kmem_cache_stats {
	const char *name;
	unsigned long active_objs, num_objs;
	unsigned int objsize, objperslab, pagesperslab;
	unsigned long active_slabs, num_slabs;
	unsigned long total_allocs, total_frees;
};
/* Call @fn for every cache, in creation order. */
void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg);
int kmem_cache_stats_by_name(const char *name, struct kmem_cache_stats *st);
/* Objects allocated and not freed, all caches and kmalloc together (leak checks). */
unsigned long ul_slab_objects_in_use(void);
/* Bytes held in slabs (pages) plus large kmallocs and vmalloc: Slab: of /proc/meminfo. */
unsigned long ul_slab_bytes(void);
/* Allocations outside the caches (not in /proc/slabinfo): kmallocs above
 * KMALLOC_MAX_CACHE_SIZE (whole pages) and vzalloc areas. */
struct ul_slab_extra {
	unsigned long large_objs, large_bytes;
	unsigned long vmalloc_objs, vmalloc_bytes;
};
void ul_slab_extra_stats(struct ul_slab_extra *st);
/* Pages holding the slab allocator's descriptors (one 48 B descriptor per slab, large
 * kmalloc or vmalloc area): its memory outside Slab:, as 3.10's mem_map. */
unsigned long ul_slab_desc_pages(void);
/* Tests: boot the allocator with every object its own malloc() (@separate, the sanitizer
 * builds' mode) or carved from slabs; kmem_cache_init() picks by ULNET_SANITIZE. */
void kmem_cache_init_mode(bool separate);

#endif
