/* SPDX-License-Identifier: MIT */
/* Slab allocator tests: SLUB's sizing rules, object/slab counts after alloc and free
 * patterns, kmalloc size classes, large kmalloc, vmalloc, /proc/slabinfo text, and the same
 * counts in both allocation modes (slabs and separate mallocs). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "init/boot.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/mm.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/spinlock.h"

static struct kmem_cache_stats stats_of(const char *name)
{
	struct kmem_cache_stats st;

	memset(&st, 0, sizeof(st));
	assert_int_equal(kmem_cache_stats_by_name(name, &st), 0);
	return st;
}

static void noop_ctor(void *p)
{
}

/* objsize, objects per slab and pages per slab with 2 CPUs (slub_min_objects = 12). */
/* ul_failslab_arm (3.10's failslab): skip, then fail, by cache name or any cache; kmalloc
 * included; the fast path is bypassed while armed and restored after. */
static void test_failslab(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_fail", 64, 0, 0, NULL);
	struct kmem_cache *o = kmem_cache_create("t_other", 64, 0, 0, NULL);
	void *a, *b, *c, *d;

	(void)state;
	assert_non_null(s);
	assert_non_null(o);
	ul_failslab_arm("t_fail", 1, 2);
	assert_int_equal(ul_failslab_pending(), 2);
	a = kmem_cache_alloc(s, GFP_ATOMIC);	/* skipped */
	assert_non_null(a);
	b = kmem_cache_alloc(o, GFP_ATOMIC);	/* another cache: not counted */
	assert_non_null(b);
	assert_null(kmem_cache_alloc(s, GFP_ATOMIC));
	assert_int_equal(ul_failslab_pending(), 1);
	assert_null(kmem_cache_zalloc(s, GFP_KERNEL));
	assert_int_equal(ul_failslab_pending(), 0);
	c = kmem_cache_alloc(s, GFP_ATOMIC);	/* disarmed */
	assert_non_null(c);
	ul_failslab_arm(NULL, 0, 1);		/* any cache, kmalloc too */
	assert_null(kmalloc(100, GFP_KERNEL));
	d = kmalloc(100, GFP_KERNEL);
	assert_non_null(d);
	ul_failslab_arm("t_fail", 0, 5);
	ul_failslab_arm(NULL, 0, 0);		/* times 0 disarms */
	assert_int_equal(ul_failslab_pending(), 0);
	kfree(d);
	kmem_cache_free(s, a);
	kmem_cache_free(s, c);
	kmem_cache_free(o, b);
	kmem_cache_destroy(s);
	kmem_cache_destroy(o);
}

static void test_objsize_rule(void **state)
{
	static const struct {
		const char *name;
		size_t size;
		unsigned long flags;
		bool ctor;
		unsigned int objsize, objperslab, pagesperslab;
	} cases[] = {
		/* struct tcp_sock in 3.10: 1712 -> 1728, 18 per order-3 slab */
		{ "t_tcp", 1712, SLAB_HWCACHE_ALIGN | SLAB_DESTROY_BY_RCU, false, 1728, 18, 8 },
		/* eventpoll_pwq: 72, no flags */
		{ "t_pwq", 72, 0, false, 72, 56, 1 },
		/* skbuff_head_cache: 240 -> 256 */
		{ "t_skb", 240, SLAB_HWCACHE_ALIGN, false, 256, 16, 1 },
		/* sock_inode_cache: 608 + free pointer (ctor) -> 640 */
		{ "t_sockinode", 608, SLAB_HWCACHE_ALIGN, true, 640, 12, 2 },
		/* tcp_bind_bucket: 48 -> 64 */
		{ "t_bind", 48, SLAB_HWCACHE_ALIGN, false, 64, 64, 1 },
		/* small HWCACHE objects get half, a quarter... of a line: 20 -> 32, 12 -> 16 */
		{ "t_20", 20, SLAB_HWCACHE_ALIGN, false, 32, 128, 1 },
		{ "t_12", 12, SLAB_HWCACHE_ALIGN, false, 16, 256, 1 },
		/* unaligned sizes round to 8 */
		{ "t_13", 13, 0, false, 16, 256, 1 },
		/* a multiple of 8 stays as it is */
		{ "t_40", 40, 0, false, 40, 102, 1 },
		/* RCU without HWCACHE: + 8 */
		{ "t_rcu", 100, SLAB_DESTROY_BY_RCU, false, 112, 36, 1 },
	};
	struct kmem_cache *caches[ARRAY_SIZE(cases)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kmem_cache_stats st;

		caches[i] = kmem_cache_create(cases[i].name, cases[i].size, 0, cases[i].flags,
					      cases[i].ctor ? noop_ctor : NULL);
		assert_non_null(caches[i]);
		st = stats_of(cases[i].name);
		assert_int_equal(kmem_cache_size(caches[i]), cases[i].objsize);
		assert_int_equal(st.objsize, cases[i].objsize);
		assert_int_equal(st.objperslab, cases[i].objperslab);
		assert_int_equal(st.pagesperslab, cases[i].pagesperslab);
		assert_int_equal(st.num_objs, 0);
		assert_string_equal(kmem_cache_name(caches[i]), cases[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		kmem_cache_destroy(caches[i]);
	assert_int_equal(kmem_cache_stats_by_name("t_tcp", &(struct kmem_cache_stats){ 0 }),
			 -ENOENT);

	/* Bad arguments: a clear NULL. */
	assert_null(kmem_cache_create("t_zero", 0, 0, 0, NULL));
	assert_null(kmem_cache_create(NULL, 64, 0, 0, NULL));
	assert_null(kmem_cache_create("t_align", 64, 3, 0, NULL));
}

static void test_alloc_free_counts(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_skb", 240, 0, SLAB_HWCACHE_ALIGN, NULL);
	unsigned long base_objs = ul_slab_objects_in_use(), base_bytes = ul_slab_bytes();
	struct kmem_cache_stats st;
	void *obj[40];
	int i;

	assert_non_null(s);
	for (i = 0; i < 40; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(obj[i]);
		memset(obj[i], 0xab, 240);
	}
	st = stats_of("t_skb");
	assert_int_equal(st.active_objs, 40);
	assert_int_equal(st.num_objs, 48);
	assert_int_equal(st.active_slabs, 3);
	assert_int_equal(st.num_slabs, 3);
	assert_int_equal(st.total_allocs, 40);
	assert_int_equal(ul_slab_objects_in_use(), base_objs + 40);
	assert_int_equal(ul_slab_bytes(), base_bytes + 3 * 4096);

	/* Free in allocation order: the first two slabs (full, off the CPU) go to the empty
	 * list, kept (SLAB_KEEP_EMPTY); the third stays the CPU slab, its objects back on the
	 * CPU freelist. */
	for (i = 0; i < 40; i++)
		kmem_cache_free(s, obj[i]);
	st = stats_of("t_skb");
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.num_objs, 48);
	assert_int_equal(st.num_slabs, 3);
	assert_int_equal(st.total_frees, 40);
	assert_int_equal(ul_slab_objects_in_use(), base_objs);
	assert_int_equal(ul_slab_bytes(), base_bytes + 3 * 4096);

	/* A new object comes from the CPU slab: no new slab. */
	obj[0] = kmem_cache_zalloc(s, GFP_ATOMIC);
	assert_non_null(obj[0]);
	for (i = 0; i < 240; i++)
		assert_int_equal(((unsigned char *)obj[0])[i], 0);
	st = stats_of("t_skb");
	assert_int_equal(st.num_slabs, 3);
	assert_int_equal(st.active_objs, 1);
	/* kfree works for objects of named caches too (Linux finds the cache from the page). */
	kfree(obj[0]);
	assert_int_equal(stats_of("t_skb").active_objs, 0);

	/* Interleaved pattern: 17 objects (the CPU slab's 16, then a kept empty one), free
	 * every other one: still 3 slabs. */
	for (i = 0; i < 17; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < 17; i += 2)
		kmem_cache_free(s, obj[i]);
	st = stats_of("t_skb");
	assert_int_equal(st.active_objs, 8);
	assert_int_equal(st.num_slabs, 3);
	for (i = 1; i < 17; i += 2)
		kmem_cache_free(s, obj[i]);
	kmem_cache_free(s, NULL);	/* no-op */
	assert_int_equal(stats_of("t_skb").active_objs, 0);
	kmem_cache_destroy(s);
	assert_int_equal(ul_slab_bytes(), base_bytes);
	kmem_cache_destroy(NULL);
}

static void test_kmalloc_classes(void **state)
{
	static const struct {
		size_t size;
		const char *cache;
		size_t ksize;
	} cases[] = {
		{ 1, "kmalloc-8", 8 },		{ 8, "kmalloc-8", 8 },
		{ 9, "kmalloc-16", 16 },	{ 17, "kmalloc-32", 32 },
		{ 33, "kmalloc-64", 64 },	{ 64, "kmalloc-64", 64 },
		{ 65, "kmalloc-96", 96 },	{ 96, "kmalloc-96", 96 },
		{ 97, "kmalloc-128", 128 },	{ 129, "kmalloc-192", 192 },
		{ 192, "kmalloc-192", 192 },	{ 193, "kmalloc-256", 256 },
		{ 257, "kmalloc-512", 512 },	{ 513, "kmalloc-1024", 1024 },
		{ 1025, "kmalloc-2048", 2048 }, { 2049, "kmalloc-4096", 4096 },
		{ 4097, "kmalloc-8192", 8192 }, { 8192, "kmalloc-8192", 8192 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long before = stats_of(cases[i].cache).active_objs;
		unsigned long inuse = ul_slab_objects_in_use();
		void *p = kmalloc(cases[i].size, GFP_KERNEL);

		assert_non_null(p);
		memset(p, 0x5a, cases[i].ksize);	/* ksize() bytes are usable */
		assert_int_equal(ksize(p), cases[i].ksize);
		assert_int_equal(stats_of(cases[i].cache).active_objs, before + 1);
		assert_int_equal(stats_of(cases[i].cache).objsize, cases[i].ksize);
		assert_int_equal(ul_slab_objects_in_use(), inuse + 1);
		kfree(p);
		assert_int_equal(stats_of(cases[i].cache).active_objs, before);
	}
	/* kmalloc(0): ZERO_SIZE_PTR, not counted; kfree of it and of NULL are no-ops. */
	{
		unsigned long inuse = ul_slab_objects_in_use();
		void *z = kmalloc(0, GFP_KERNEL);

		assert_ptr_equal(z, ZERO_SIZE_PTR);
		assert_int_equal(ksize(z), 0);
		assert_int_equal(ul_slab_objects_in_use(), inuse);
		kfree(z);
		kfree(NULL);
		assert_int_equal(ul_slab_objects_in_use(), inuse);
	}
}

static void test_kmalloc_large_and_vmalloc(void **state)
{
	unsigned long inuse = ul_slab_objects_in_use(), bytes = ul_slab_bytes();
	unsigned long k8192 = stats_of("kmalloc-8192").num_objs;
	struct ul_slab_extra ex0, ex;
	unsigned char *p, *q, *v;
	size_t i;

	ul_slab_extra_stats(&ex0);
	p = kmalloc(8193, GFP_KERNEL);		/* order 2: 16 KiB */
	assert_non_null(p);
	assert_int_equal(ksize(p), 16384);
	memset(p, 1, 16384);
	q = kzalloc(100000, GFP_KERNEL);	/* order 5: 128 KiB */
	assert_non_null(q);
	assert_int_equal(ksize(q), 131072);
	for (i = 0; i < 100000; i++)
		assert_int_equal(q[i], 0);
	assert_int_equal(ul_slab_objects_in_use(), inuse + 2);
	assert_int_equal(ul_slab_bytes(), bytes + 16384 + 131072);
	assert_int_equal(stats_of("kmalloc-8192").num_objs, k8192);	/* not in slabinfo */
	ul_slab_extra_stats(&ex);
	assert_int_equal(ex.large_objs, ex0.large_objs + 2);
	assert_int_equal(ex.large_bytes, ex0.large_bytes + 16384 + 131072);

	v = vzalloc(10000);
	assert_non_null(v);
	for (i = 0; i < 10000; i++)
		assert_int_equal(v[i], 0);
	ul_slab_extra_stats(&ex);
	assert_int_equal(ex.vmalloc_objs, ex0.vmalloc_objs + 1);
	assert_int_equal(ex.vmalloc_bytes, ex0.vmalloc_bytes + 12288);
	assert_int_equal(ul_slab_objects_in_use(), inuse + 3);
	assert_int_equal(ul_slab_bytes(), bytes + 16384 + 131072 + 12288);
	assert_null(vzalloc(0));
	assert_null(kmalloc(4 * 1024 * 1024 + 1, GFP_KERNEL));	/* > KMALLOC_MAX_SIZE */
	assert_int_equal(ul_slab_objects_in_use(), inuse + 3);

	kfree(p);
	kfree(q);
	vfree(v);
	vfree(NULL);
	ul_slab_extra_stats(&ex);
	assert_int_equal(ex.large_objs, ex0.large_objs);
	assert_int_equal(ex.vmalloc_objs, ex0.vmalloc_objs);
	assert_int_equal(ul_slab_objects_in_use(), inuse);
	assert_int_equal(ul_slab_bytes(), bytes);
}

static void test_helpers(void **state)
{
	unsigned long inuse = ul_slab_objects_in_use();
	const char msg[] = "ulnet";
	int *arr;
	char *s, *d;
	size_t i;

	s = kstrdup(msg, GFP_KERNEL);
	assert_string_equal(s, "ulnet");
	assert_int_equal(ksize(s), 8);
	d = kmemdup("\x01\x02\x03", 3, GFP_KERNEL);
	assert_memory_equal(d, "\x01\x02\x03", 3);
	assert_null(kstrdup(NULL, GFP_KERNEL));
	arr = kcalloc(50, sizeof(int), GFP_KERNEL);
	assert_non_null(arr);
	assert_int_equal(ksize(arr), 256);
	for (i = 0; i < 50; i++)
		assert_int_equal(arr[i], 0);
	/* Overflowing n * size is NULL, not a short buffer. */
	assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	assert_null(kcalloc((size_t)1 << 33, (size_t)1 << 32, GFP_KERNEL));
	assert_int_equal(ul_slab_objects_in_use(), inuse + 3);
	kfree(s);
	kfree(d);
	kfree(arr);
	assert_int_equal(ul_slab_objects_in_use(), inuse);
}

static int ctor_calls;
struct ctor_obj {
	unsigned long magic;	/* offset 0: a constructed object keeps it while free */
	char pad[56];
};

static void ctor_fn(void *p)
{
	((struct ctor_obj *)p)->magic = 0xc0ffee;
	ctor_calls++;
}

static void test_ctor(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_ctor", sizeof(struct ctor_obj), 0,
						 SLAB_HWCACHE_ALIGN, ctor_fn);
	struct ctor_obj *a, *b;

	assert_non_null(s);
	/* 64 + free pointer -> 72 aligned to 64 -> 128 */
	assert_int_equal(kmem_cache_size(s), 128);
	ctor_calls = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(a->magic, 0xc0ffee);
#ifdef ULNET_SANITIZE
	assert_int_equal(ctor_calls, 1);	/* each object is its own malloc */
#else
	assert_int_equal(ctor_calls, stats_of("t_ctor").objperslab);	/* once per slab */
#endif
	a->magic = 0xc0ffee;	/* a user returns it constructed, as Linux requires */
	kmem_cache_free(s, a);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(b->magic, 0xc0ffee);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

static void assert_prefix(const char *text, const char *expect)
{
	size_t n = strlen(expect);

	if (strncmp(text, expect, n)) {
		print_error("got:      %.*s\nexpected: %s", (int)n, text, expect);
		fail();
	}
}

static void test_slabinfo(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_skbhead", 240, 0, SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache *s2 = kmem_cache_create("t_pwq", 72, 0, 0, NULL);
	void *obj[40];
	char *text, *row, *row2;
	int err, i;

	for (i = 0; i < 40; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	text = ul_proc_read_alloc(NULL, "/proc/slabinfo", &err);
	assert_non_null(text);
	assert_int_equal(err, 0);
	assert_prefix(text,
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
		" <num_slabs> <sharedavail>\n");
	row = strstr(text, "\nt_skbhead ");
	assert_non_null(row);
	assert_prefix(row + 1,
		"t_skbhead             40     48    256   16    1 : tunables    0    0    0"
		" : slabdata      3      3      0\n");
	row2 = strstr(text, "\nt_pwq ");
	assert_non_null(row2);
	assert_prefix(row2 + 1,
		"t_pwq                  0      0     72   56    1 : tunables    0    0    0"
		" : slabdata      0      0      0\n");
	/* Newest first, as Linux lists slab_caches; the kmalloc caches are at the end. */
	assert_true(row2 < row);
	assert_non_null(strstr(text, "\nkmalloc-8192 "));
	assert_true(strstr(text, "\nkmalloc-8 ") > strstr(text, "\nkmalloc-16 "));
	assert_true(strstr(text, "\nkmalloc-96 ") > strstr(text, "\nkmalloc-128 "));
	free(text);
	/* The other spelling of the path. */
	text = ul_proc_read_alloc(NULL, "slabinfo", &err);
	assert_non_null(text);
	free(text);

	for (i = 0; i < 40; i++)
		kmem_cache_free(s, obj[i]);
	kmem_cache_destroy(s);
	kmem_cache_destroy(s2);
}

/* Cache destroyed with live objects: reported as a leak, and freed. */
static void test_destroy_with_objects(void **state)
{
	unsigned long inuse = ul_slab_objects_in_use(), bytes = ul_slab_bytes();
	struct kmem_cache *s = kmem_cache_create("t_leaky", 500, 0, 0, NULL);
	int i;

	for (i = 0; i < 30; i++)
		assert_non_null(kmem_cache_alloc(s, GFP_KERNEL));
	assert_int_equal(ul_slab_objects_in_use(), inuse + 30);
	kmem_cache_destroy(s);
	assert_int_equal(ul_slab_objects_in_use(), inuse);
	assert_int_equal(ul_slab_bytes(), bytes);
}

/* ---- Without a stack: the allocator alone, in both modes. ---- */

struct snapshot {
	struct kmem_cache_stats a, b, k64;
	unsigned long inuse, bytes;
};

static unsigned long pattern_rng;
static unsigned long prand(void)
{
	pattern_rng = pattern_rng * 6364136223846793005UL + 1442695040888963407UL;
	return pattern_rng >> 33;
}

/* A fixed random pattern of allocations and frees; returns the stats midway and frees all. */
static void run_pattern(bool separate, struct snapshot *snap)
{
	struct kmem_cache *a, *b;
	static void *live[3][600];
	int i, k;

	kmem_cache_init_mode(separate);
	a = kmem_cache_create("p_a", 1712, 0, SLAB_HWCACHE_ALIGN | SLAB_DESTROY_BY_RCU, NULL);
	b = kmem_cache_create("p_b", 72, 0, 0, NULL);
	memset(live, 0, sizeof(live));
	pattern_rng = 42;
	for (i = 0; i < 20000; i++) {
		int which = (int)(prand() % 3), slot = (int)(prand() % 600);
		void **p = &live[which][slot];

		if (*p) {
			if (which == 2)
				kfree(*p);
			else
				kmem_cache_free(which ? b : a, *p);
			*p = NULL;
		} else {
			*p = which == 0 ? kmem_cache_alloc(a, GFP_KERNEL) :
			     which == 1 ? kmem_cache_alloc(b, GFP_KERNEL) :
					  kmalloc(40 + prand() % 20, GFP_KERNEL);
			assert_non_null(*p);
		}
	}
	snap->a = stats_of("p_a");
	snap->b = stats_of("p_b");
	snap->k64 = stats_of("kmalloc-64");
	snap->inuse = ul_slab_objects_in_use();
	snap->bytes = ul_slab_bytes();
	for (k = 0; k < 3; k++)
		for (i = 0; i < 600; i++)
			if (live[k][i])
				kfree(live[k][i]);
	assert_int_equal(ul_slab_objects_in_use(), 0);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	kmem_cache_fini();
}

static void test_modes_count_the_same(void **state)
{
	struct snapshot s1, s2;

	run_pattern(false, &s1);
	run_pattern(true, &s2);
	assert_true(s1.inuse > 100);
	assert_int_equal(s1.inuse, s2.inuse);
	assert_int_equal(s1.bytes, s2.bytes);
	assert_int_equal(s1.a.active_objs, s2.a.active_objs);
	assert_int_equal(s1.a.num_objs, s2.a.num_objs);
	assert_int_equal(s1.a.num_slabs, s2.a.num_slabs);
	assert_int_equal(s1.b.active_objs, s2.b.active_objs);
	assert_int_equal(s1.b.num_objs, s2.b.num_objs);
	assert_int_equal(s1.k64.active_objs, s2.k64.active_objs);
	assert_int_equal(s1.k64.num_slabs, s2.k64.num_slabs);
	assert_int_equal(s1.a.total_allocs, s2.a.total_allocs);
}

/* Slab mode only (in separate mode ASan itself reports these): bad frees are reported and
 * change nothing. */
static void test_bad_frees_slab_mode(void **state)
{
	struct kmem_cache *s, *other;
	char *p, *q, *heap;
	struct ctor_obj *c;

	kmem_cache_init_mode(false);
	s = kmem_cache_create("b_a", 64, 0, 0, NULL);
	other = kmem_cache_create("b_b", 64, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmalloc(100, GFP_KERNEL);
	assert_int_equal(ul_slab_objects_in_use(), 2);

	kmem_cache_free(s, p);
	kmem_cache_free(s, p);			/* double free */
	assert_int_equal(stats_of("b_a").active_objs, 0);
	assert_int_equal(stats_of("b_a").total_frees, 1);
	kfree(q + 8);				/* inside an object */
	assert_int_equal(ul_slab_objects_in_use(), 1);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(other, p);		/* wrong cache */
	kmem_cache_free(NULL, p);		/* no cache */
	{
		void *big = kmalloc(20000, GFP_KERNEL);

		kmem_cache_free(NULL, big);	/* a large kmalloc is no cache's */
		kmem_cache_free(s, big);
		assert_int_equal(ul_slab_objects_in_use(), 3);
		kfree(big);
	}
	assert_int_equal(stats_of("b_a").active_objs, 1);
	heap = malloc(64);
	kfree(heap);				/* never from the slab allocator */
	free(heap);
	assert_int_equal(ul_slab_objects_in_use(), 2);
	kfree(p);
	kfree(q);
	assert_int_equal(ul_slab_objects_in_use(), 0);

	/* The free pointer of a constructed object sits after it: contents survive. */
	kmem_cache_destroy(other);
	other = kmem_cache_create("b_ctor", sizeof(*c), 0, 0, ctor_fn);
	c = kmem_cache_alloc(other, GFP_KERNEL);
	c->magic = 0x1234;
	memset(c->pad, 0x77, sizeof(c->pad));
	kmem_cache_free(other, c);
	assert_ptr_equal(kmem_cache_alloc(other, GFP_KERNEL), c);	/* LIFO */
	assert_int_equal(c->magic, 0x1234);
	assert_int_equal(c->pad[55], 0x77);
	kmem_cache_free(other, c);

	kmem_cache_destroy(s);
	kmem_cache_destroy(other);
	kmem_cache_fini();
}

/* The kernel log captured in @log since log_reset: does it hold @needle? */
static void log_reset(FILE *log)
{
	fflush(log);
	assert_int_equal(ftruncate(fileno(log), 0), 0);
	rewind(log);
}

static bool log_has(FILE *log, const char *needle)
{
	char buf[4096];
	size_t n;

	fflush(log);
	rewind(log);
	n = fread(buf, 1, sizeof(buf) - 1, log);
	buf[n] = 0;
	fseek(log, 0, SEEK_END);
	return strstr(buf, needle) != NULL;
}

/* Slab mode: the slab of an address is its page's word in the page allocator's region
 * (virt_to_slab). What is not an object's start, or not in the region, is still reported
 * and changes nothing; ksize answers from the page word. */
static void test_page_word_lookup(void **state)
{
	struct kmem_cache *s;
	FILE *log = tmpfile();
	char *p, *q, *big, *v, *heap, stack_obj[64];
	unsigned long page, end;

	(void)state;
	assert_non_null(log);
	printk_init(log);
	kmem_cache_init_mode(false);
	s = kmem_cache_create("w_a", 200, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmalloc(100, GFP_KERNEL);
	big = kmalloc(20000, GFP_KERNEL);
	v = vzalloc(3 * PAGE_SIZE);
	assert_non_null(p);
	assert_non_null(q);
	assert_non_null(big);
	assert_non_null(v);
	assert_int_equal(ul_slab_objects_in_use(), 4);

	/* Slab pages and large kmallocs are in the region, their word is their slab. */
	end = ul_mem_base + (ul_mem_pages << PAGE_SHIFT);
	assert_true(ul_mem_pages > 0);
	assert_true((unsigned long)p >= ul_mem_base && (unsigned long)p < end);
	assert_true((unsigned long)big >= ul_mem_base && (unsigned long)big < end);
	assert_non_null(virt_to_slab(p));
	assert_ptr_equal(virt_to_slab(p), virt_to_slab(p + 199));
	assert_non_null(virt_to_slab(big));
	assert_null(virt_to_slab(big + PAGE_SIZE));	/* only its first page is entered */
	assert_null(virt_to_slab(NULL));
	assert_null(virt_to_slab(ZERO_SIZE_PTR));
	assert_null(virt_to_slab(stack_obj));
	assert_null(virt_to_slab((void *)(ul_mem_base - 8)));
	assert_null(virt_to_slab((void *)end));
	assert_null(virt_to_slab(v));			/* vmalloc: the C library's */

	/* ksize: the size class, the pages of a large kmalloc, 0 for the rest. */
	assert_int_equal(ksize(q), 128);
	assert_int_equal(ksize(p), 200);
	assert_int_equal(ksize(big), 32768);
	assert_int_equal(ksize(NULL), 0);
	assert_int_equal(ksize(ZERO_SIZE_PTR), 0);
	log_reset(log);
	assert_int_equal(ksize(v), 0);
	assert_false(log_has(log, "ksize"));
	assert_int_equal(ksize(stack_obj), 0);
	assert_true(log_has(log, "ksize: "));
	assert_true(log_has(log, "was not allocated by the slab allocator"));

	/* Not ulnet's: the stack, the heap, either side of the region, a free page in it. */
	heap = malloc(64);
	assert_non_null(heap);
	log_reset(log);
	kfree(heap);
	assert_true(log_has(log, "kfree: "));
	assert_true(log_has(log, "was not allocated by the slab allocator"));
	free(heap);
	log_reset(log);
	kmem_cache_free(s, stack_obj);
	assert_true(log_has(log, "kmem_cache_free: "));
	assert_true(log_has(log, "was not allocated by the slab allocator"));
	log_reset(log);
	kfree((void *)end);
	assert_true(log_has(log, "was not allocated by the slab allocator"));
	log_reset(log);
	kfree((void *)(ul_mem_base - PAGE_SIZE));
	assert_true(log_has(log, "was not allocated by the slab allocator"));
	page = __get_free_pages(0, 0);
	assert_true(page >= ul_mem_base && page < end);
	log_reset(log);
	kfree((void *)page);
	assert_true(log_has(log, "was not allocated by the slab allocator"));
	free_pages(page, 0);
	log_reset(log);
	assert_int_equal(set_page_slab(stack_obj, 1, NULL), -EINVAL);
	assert_true(log_has(log, "is not from the page allocator"));
	assert_int_equal(ul_slab_objects_in_use(), 4);

	/* Not an object's start; freed twice; into the wrong cache. */
	log_reset(log);
	kfree(q + 8);
	assert_true(log_has(log, "points inside an object of kmalloc-128"));
	log_reset(log);
	kmem_cache_free(s, p + 8);
	assert_true(log_has(log, "points inside an object of w_a"));
	assert_int_equal(ul_slab_objects_in_use(), 4);
	kfree(q);
	log_reset(log);
	kfree(q);
	assert_true(log_has(log, "is freed twice (double free) in kmalloc-128"));
	log_reset(log);
	kfree(p);
	kmem_cache_free(s, p);
	assert_true(log_has(log, "is freed twice (double free) in w_a"));
	assert_int_equal(stats_of("w_a").total_frees, 1);
	assert_int_equal(ul_slab_objects_in_use(), 2);

	/* A vmalloc area given to kfree is reported, and freed. */
	log_reset(log);
	kfree(v);
	assert_true(log_has(log, "is a vmalloc area (use vfree)"));
	assert_int_equal(ul_slab_objects_in_use(), 1);
	kfree(big);
	assert_int_equal(ul_slab_objects_in_use(), 0);

	/* Once its slab went back to the page allocator, an address has no slab again. */
	kmem_cache_destroy(s);
	assert_null(virt_to_slab(p));
	log_reset(log);
	kfree(p);
	assert_true(log_has(log, "was not allocated by the slab allocator"));
	kmem_cache_fini();
	printk_init(NULL);
	fclose(log);
}

/* Slab mode: the interior-pointer check (a multiplication, not a division) over object
 * sizes of every kind: a power of two, odd multiples of 8, a 3-page object. Every object of a
 * whole slab frees, and a pointer
 * 1, size / 2 or size - 8 bytes into any of them is reported and changes nothing. */
static void test_interior_pointers(void **state)
{
	static const size_t sizes[] = { 8, 24, 64, 96, 200, 712, 1000, 3000, 12296 };
	FILE *log = tmpfile();
	size_t i;

	(void)state;
	assert_non_null(log);
	printk_init(log);
	kmem_cache_init_mode(false);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct kmem_cache *s = kmem_cache_create("w_in", sizes[i], 0, 0, NULL);
		unsigned int n = kmem_cache_size(s), objs, k;
		static char *obj[1024];

		objs = stats_of("w_in").objperslab;
		assert_true(objs > 0 && objs <= ARRAY_SIZE(obj));
		for (k = 0; k < objs; k++) {
			obj[k] = kmem_cache_alloc(s, GFP_KERNEL);
			assert_non_null(obj[k]);
		}
		assert_int_equal(stats_of("w_in").num_slabs, 1);
		for (k = 0; k < objs; k += objs > 8 ? objs / 8 : 1) {
			log_reset(log);
			kmem_cache_free(s, obj[k] + 1);
			assert_true(log_has(log, "points inside an object of w_in"));
			log_reset(log);
			kfree(obj[k] + n / 2);
			assert_true(log_has(log, "points inside an object of w_in"));
			log_reset(log);
			kfree(obj[k] + (n > 8 ? n - 8 : n - 1));
			assert_true(log_has(log, "points inside an object of w_in"));
		}
		assert_int_equal(stats_of("w_in").active_objs, objs);
		for (k = 0; k < objs; k++)
			kmem_cache_free(s, obj[k]);
		assert_int_equal(stats_of("w_in").active_objs, 0);
		assert_int_equal(stats_of("w_in").total_frees, objs);
		kmem_cache_destroy(s);
	}
	kmem_cache_fini();
	printk_init(NULL);
	fclose(log);
}

/* kmem_cache_fini with leaks frees everything and a new allocator starts from zero. */
static void test_fini_resets(void **state)
{
	struct kmem_cache *s;

	kmem_cache_init();
	s = kmem_cache_create("f_a", 64, 0, 0, NULL);
	assert_non_null(kmem_cache_alloc(s, GFP_KERNEL));
	assert_non_null(kmalloc(20000, GFP_KERNEL));
	assert_non_null(vzalloc(5000));
	assert_int_equal(ul_slab_objects_in_use(), 3);
	kmem_cache_fini();	/* reports 1 leaked object and 2 large areas */
	assert_int_equal(ul_slab_objects_in_use(), 0);
	assert_int_equal(ul_slab_bytes(), 0);
	assert_null(kmalloc(8, GFP_KERNEL));	/* not initialised */
	kmem_cache_init();
	assert_int_equal(kmem_cache_stats_by_name("f_a", &(struct kmem_cache_stats){ 0 }),
			 -ENOENT);
	assert_int_equal(stats_of("kmalloc-64").num_objs, 0);
	kmem_cache_fini();
}

struct thread_arg {
	struct kmem_cache *s;
	int id;
};

static void *thread_fn(void *p)
{
	struct thread_arg *ta = p;
	void *mine[64] = { NULL };
	unsigned long x = (unsigned long)ta->id * 7919 + 1;
	int i;

	for (i = 0; i < 20000; i++) {
		int k;

		x = x * 6364136223846793005UL + 1;
		k = (int)((x >> 33) % 64);
		if (mine[k]) {
			if (k & 1)
				kfree(mine[k]);
			else
				kmem_cache_free(ta->s, mine[k]);
			mine[k] = NULL;
		} else {
			mine[k] = k & 1 ? kmalloc(24 + k, GFP_ATOMIC) : kmem_cache_alloc(ta->s, 0);
			if (!mine[k])
				return (void *)1;
			memset(mine[k], ta->id, 24);
		}
	}
	for (i = 0; i < 64; i++)
		if (mine[i])
			kfree(mine[i]);
	return NULL;
}

/* Several threads at once with real locks (ul_smp), as on the posix runtime. */
static void test_threads(void **state)
{
	struct thread_arg args[4];
	pthread_t th[4];
	struct kmem_cache *s;
	void *ret;
	int i;

	kmem_cache_init();
	s = kmem_cache_create("th", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	ul_smp = true;
	for (i = 0; i < 4; i++) {
		args[i].s = s;
		args[i].id = i + 1;
		assert_int_equal(pthread_create(&th[i], NULL, thread_fn, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_null(ret);
	}
	ul_smp = false;
	assert_int_equal(ul_slab_objects_in_use(), 0);
	assert_int_equal(stats_of("th").active_objs, 0);
	assert_int_equal(stats_of("th").total_allocs, stats_of("th").total_frees);
	kmem_cache_destroy(s);
	kmem_cache_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_objsize_rule, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_failslab, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_free_counts, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_kmalloc_classes, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_kmalloc_large_and_vmalloc, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_helpers, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ctor, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_slabinfo, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_with_objects, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test(test_modes_count_the_same),
		cmocka_unit_test(test_bad_frees_slab_mode),
		cmocka_unit_test(test_page_word_lookup),
		cmocka_unit_test(test_interior_pointers),
		cmocka_unit_test(test_fini_resets),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
