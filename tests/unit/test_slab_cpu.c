/* SPDX-License-Identifier: MIT */
/* The slab allocator's per-CPU fast path and the buddy page allocator under it: frees on
 * another CPU than the allocation's, the refill and flush of CPU slabs at the slab
 * boundaries, /proc/slabinfo counts with several CPU slabs, threads sharing and crossing
 * CPUs with real locks, and the buddy allocator's orders, splits, merges and reuse. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "init/boot.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/mm.h"
#include "linux/percpu.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/spinlock.h"

#define CHUNK	(PAGE_SIZE << (MAX_ORDER - 1))

static struct kmem_cache_stats stats_of(const char *name)
{
	struct kmem_cache_stats st;

	memset(&st, 0, sizeof(st));
	assert_int_equal(kmem_cache_stats_by_name(name, &st), 0);
	return st;
}

static unsigned long page_base(const void *p)
{
	return (unsigned long)p & PAGE_MASK;
}

/* First test of the process: nothing has used the page allocator yet, so the free lists
 * start empty and every count below is exact. */
static void test_buddy_split_merge_reuse(void **state)
{
	struct ul_buddy_stats st;
	unsigned long a, b, c;
	unsigned int o;

	ul_buddy_stats_get(&st);
	assert_int_equal(st.chunks, 0);
	a = __get_free_pages(0, 0);
	assert_true(a);
	assert_int_equal(a & (CHUNK - 1), 0);	/* the first page of a fresh, aligned chunk */
	ul_buddy_stats_get(&st);
	assert_int_equal(st.chunks, 1);
	assert_int_equal(st.pages_out, 1);
	for (o = 0; o < MAX_ORDER - 1; o++)	/* one upper half left at each order */
		assert_int_equal(st.nr_free[o], 1);
	assert_int_equal(st.nr_free[MAX_ORDER - 1], 0);

	b = __get_free_pages(__GFP_ZERO, 0);	/* the buddy of a */
	assert_int_equal(b, a + PAGE_SIZE);
	assert_int_equal(((unsigned char *)b)[PAGE_SIZE - 1], 0);
	memset((void *)a, 0x11, PAGE_SIZE);
	memset((void *)b, 0x22, PAGE_SIZE);
	ul_buddy_stats_get(&st);
	assert_int_equal(st.nr_free[0], 0);

	free_pages(a, 0);			/* buddy in use: no merge */
	ul_buddy_stats_get(&st);
	assert_int_equal(st.nr_free[0], 1);
	assert_int_equal(st.nr_free[1], 1);
	free_pages(b, 0);			/* merges all the way up */
	ul_buddy_stats_get(&st);
	for (o = 0; o < MAX_ORDER - 1; o++)
		assert_int_equal(st.nr_free[o], 0);
	assert_int_equal(st.nr_free[MAX_ORDER - 1], 1);
	assert_int_equal(st.free_chunks, 1);
	assert_int_equal(st.pages_out, 0);

	/* Reuse: the same chunk, no new one. */
	c = __get_free_pages(0, 3);
	assert_int_equal(c, a);
	ul_buddy_stats_get(&st);
	assert_int_equal(st.chunks, 1);
	assert_int_equal(st.pages_out, 8);
	/* Bad frees are reported and change nothing. */
	free_pages(c, 2);			/* wrong order */
	free_pages(c + PAGE_SIZE, 0);		/* inside a block */
	free_pages(c + 8 * PAGE_SIZE, 3);	/* a free block */
	free_pages(c + 1, 0);			/* not page aligned */
	free_pages(4096, 0);			/* not ours */
	ul_buddy_stats_get(&st);
	assert_int_equal(st.pages_out, 8);
	free_pages(c, 3);
	free_pages(c, 3);			/* double free: reported */
	free_pages(0, 0);			/* no-op */
	ul_buddy_stats_get(&st);
	assert_int_equal(st.pages_out, 0);
	assert_int_equal(st.nr_free[MAX_ORDER - 1], 1);
	assert_int_equal(__get_free_pages(0, MAX_ORDER), 0);	/* too large */
}

/* Whole chunks; entirely free chunks beyond PA_KEEP_FREE_CHUNKS (4) go back to the system. */
static void test_buddy_max_order_and_release(void **state)
{
	unsigned long blk[6], again[6];
	struct ul_buddy_stats st;
	int i, j;

	for (i = 0; i < 6; i++) {
		blk[i] = __get_free_pages(0, MAX_ORDER - 1);
		assert_true(blk[i]);
		assert_int_equal(blk[i] & (CHUNK - 1), 0);
		for (j = 0; j < i; j++)
			assert_true(blk[i] != blk[j]);
		((char *)blk[i])[CHUNK - 1] = 1;	/* the whole block is usable */
	}
	ul_buddy_stats_get(&st);
	assert_int_equal(st.chunks, 6);
	assert_int_equal(st.free_chunks, 0);
	assert_int_equal(st.pages_out, 6 * (CHUNK / PAGE_SIZE));
	for (i = 0; i < 6; i++)
		free_pages(blk[i], MAX_ORDER - 1);
	ul_buddy_stats_get(&st);
	assert_int_equal(st.chunks, 4);
	assert_int_equal(st.free_chunks, 4);
	assert_int_equal(st.nr_free[MAX_ORDER - 1], 4);
	assert_int_equal(st.pages_out, 0);

	/* The chunks are slots of the region: the two given back are mapped again at the
	 * same addresses (their memory fresh), no address space is lost. */
	for (i = 0; i < 6; i++) {
		unsigned long b = __get_free_pages(0, MAX_ORDER - 1);
		bool old = false;

		assert_true(b >= ul_mem_base &&
			    b + CHUNK <= ul_mem_base + (ul_mem_pages << PAGE_SHIFT));
		for (j = 0; j < 6; j++)
			old |= b == blk[j];
		assert_true(old);
		if (b == blk[4] || b == blk[5])
			assert_int_equal(((char *)b)[CHUNK - 1], 0);
		((char *)b)[CHUNK - 1] = 1;
		again[i] = b;
	}
	for (i = 0; i < 6; i++)
		free_pages(again[i], MAX_ORDER - 1);
	ul_buddy_stats_get(&st);
	assert_int_equal(st.chunks, 4);
	assert_int_equal(st.pages_out, 0);
}

/* Every order, mixed: distinct, aligned to their size inside the chunk, all returned. */
static void test_buddy_orders(void **state)
{
	unsigned long blk[MAX_ORDER][3];
	struct ul_buddy_stats st;
	unsigned int o, i, p, q;

	for (o = 0; o < MAX_ORDER; o++)
		for (i = 0; i < 3; i++) {
			blk[o][i] = __get_free_pages(0, o);
			assert_true(blk[o][i]);
			assert_int_equal(blk[o][i] & ((PAGE_SIZE << o) - 1), 0);
			memset((void *)blk[o][i], (int)o, PAGE_SIZE);
		}
	/* No two blocks overlap. */
	for (o = 0; o < MAX_ORDER; o++)
		for (i = 0; i < 3; i++)
			for (p = 0; p < MAX_ORDER; p++)
				for (q = 0; q < 3; q++) {
					unsigned long x = blk[o][i], y = blk[p][q];

					if (o == p && i == q)
						continue;
					assert_true(x + (PAGE_SIZE << o) <= y ||
						    y + (PAGE_SIZE << p) <= x);
				}
	for (o = 0; o < MAX_ORDER; o++)
		for (i = 0; i < 3; i++) {
			assert_int_equal(*(unsigned char *)blk[o][i], o);
			free_pages(blk[o][i], o);
		}
	ul_buddy_stats_get(&st);
	assert_int_equal(st.pages_out, 0);
	for (o = 0; o < MAX_ORDER - 1; o++)	/* everything merged back */
		assert_int_equal(st.nr_free[o], 0);
}

/* alloc_pages/put_page on top (struct page with its reference count). */
static void test_alloc_pages_refcount(void **state)
{
	struct ul_page_stats ps0, ps;
	struct page *pg;

	ul_page_stats_get(&ps0);
	pg = alloc_pages(__GFP_ZERO, 3);
	assert_non_null(pg);
	assert_int_equal(((unsigned char *)page_address(pg))[32767], 0);
	memset(page_address(pg), 0x5a, 32768);
	get_page(pg);
	assert_int_equal(page_count(pg), 2);
	put_page(pg);
	ul_page_stats_get(&ps);
	assert_int_equal(ps.in_use[3], ps0.in_use[3] + 1);
	__free_pages(pg, 3);
	ul_page_stats_get(&ps);
	assert_int_equal(ps.in_use[3], ps0.in_use[3]);
	assert_null(alloc_pages(0, 4));
}

/* Objects allocated on CPU 0 and freed on CPU 1 go back to their slabs (remote frees);
 * CPU 0 then takes the remote-freed objects of its own slab before any new slab. */
static void test_cross_cpu_free(void **state)
{
	struct kmem_cache *s;
	unsigned long bytes0;
	struct kmem_cache_stats st;
	void *obj[20], *more[16];
	int i, saved = ul_this_cpu;

	kmem_cache_init_mode(false);	/* slab mode in every build: addresses are checked */
	s = kmem_cache_create("x_skb", 240, 0, SLAB_HWCACHE_ALIGN, NULL);
	bytes0 = ul_slab_bytes();
	assert_non_null(s);
	ul_this_cpu = 0;
	for (i = 0; i < 20; i++)	/* 16 per slab: slab A (full), then 4 of slab B */
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(page_base(obj[0]), page_base(obj[15]));
	assert_true(page_base(obj[16]) != page_base(obj[0]));
	ul_this_cpu = 1;
	for (i = 0; i < 20; i++)
		kmem_cache_free(s, obj[i]);
	st = stats_of("x_skb");
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.total_allocs, 20);
	assert_int_equal(st.total_frees, 20);
	assert_int_equal(st.num_slabs, 2);	/* A on the empty list, B still CPU 0's */
	assert_int_equal(ul_slab_objects_in_use(), 0);

	/* CPU 0: the 12 left on its freelist, then the 4 freed into B remotely: no new slab. */
	ul_this_cpu = 0;
	for (i = 0; i < 16; i++) {
		more[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_int_equal(page_base(more[i]), page_base(obj[16]));
	}
	assert_int_equal(stats_of("x_skb").num_slabs, 2);
	/* CPU 1 freezes the empty slab A. */
	ul_this_cpu = 1;
	obj[0] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(page_base(obj[0]), page_base(obj[1]));
	st = stats_of("x_skb");
	assert_int_equal(st.active_objs, 17);
	assert_int_equal(st.num_slabs, 2);
	assert_int_equal(st.num_objs, 32);
	assert_int_equal(ul_slab_bytes(), bytes0 + 2 * 4096);

	/* B is full and frozen by CPU 0; CPU 1 frees all of it remotely. A double free of an
	 * object of a slab that is entirely free is caught on the slow path. */
	for (i = 0; i < 16; i++)
		kmem_cache_free(s, more[i]);
	kmem_cache_free(s, obj[0]);
	st = stats_of("x_skb");
	assert_int_equal(st.total_frees, 20 + 17);
	assert_int_equal(st.active_objs, 0);
	kmem_cache_destroy(s);
	assert_int_equal(ul_slab_bytes(), bytes0);
	kmem_cache_fini();
	ul_this_cpu = saved;
}

/* The refill and flush boundaries: exactly a slab's worth of objects, one more, frees from
 * the old slab while the CPU slab is the new one. */
static void test_refill_boundaries(void **state)
{
	struct kmem_cache *s;
	unsigned int per;
	struct kmem_cache_stats st;
	void *obj[57], *again;
	unsigned int i;
	int saved = ul_this_cpu;

	kmem_cache_init_mode(false);
	s = kmem_cache_create("x_pwq", 72, 0, 0, NULL);
	per = stats_of("x_pwq").objperslab;
	assert_int_equal(per, 56);
	ul_this_cpu = 0;
	for (i = 0; i < per; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	st = stats_of("x_pwq");
	assert_int_equal(st.num_slabs, 1);		/* the CPU freelist is empty now */
	obj[per] = kmem_cache_alloc(s, GFP_KERNEL);	/* refill: a second slab */
	assert_int_equal(stats_of("x_pwq").num_slabs, 2);
	assert_true(page_base(obj[per]) != page_base(obj[0]));
	/* The last object freed on the fast path is the next one allocated (LIFO). */
	kmem_cache_free(s, obj[per]);
	again = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(again, obj[per]);
	/* Frees of the first slab (retired, full) go through its lists: to partial, empty. */
	for (i = 0; i < per; i++)
		kmem_cache_free(s, obj[i]);
	st = stats_of("x_pwq");
	assert_int_equal(st.active_objs, 1);
	assert_int_equal(st.num_slabs, 2);
	/* Freeing a slab's object twice: the second is caught (empty slab), nothing counted. */
	kmem_cache_free(s, obj[0]);
	assert_int_equal(stats_of("x_pwq").total_frees, per + 1);
	kmem_cache_free(s, again);
	kmem_cache_free(s, again);			/* twice in a row on the CPU freelist */
	st = stats_of("x_pwq");
	assert_int_equal(st.total_frees, per + 2);
	assert_int_equal(st.active_objs, 0);
	kmem_cache_destroy(s);
	kmem_cache_fini();
	ul_this_cpu = saved;
}

/* /proc/slabinfo: active_objs exact, num_objs/num_slabs count every CPU's slab. */
static void test_slabinfo_cpu_slabs(void **state)
{
	struct kmem_cache *s = kmem_cache_create("x_bind", 48, 0, SLAB_HWCACHE_ALIGN, NULL);
	int saved = ul_this_cpu, cpu, err;
	void *obj[4];
	char *text, *row;

	for (cpu = 0; cpu < 4; cpu++) {
		ul_this_cpu = cpu;
		obj[cpu] = kmem_cache_alloc(s, GFP_KERNEL);
	}
	text = ul_proc_read_alloc(NULL, "/proc/slabinfo", &err);
	assert_non_null(text);
	row = strstr(text, "\nx_bind ");
	assert_non_null(row);
	assert_true(strncmp(row + 1, "x_bind                 4    256     64   64    1 :"
				 " tunables    0    0    0 : slabdata      4      4      0\n",
			    strlen("x_bind                 4    256     64   64    1 : tunables"
				   "    0    0    0 : slabdata      4      4      0\n")) == 0);
	free(text);
	for (cpu = 0; cpu < 4; cpu++) {
		ul_this_cpu = 3 - cpu;	/* freed on another CPU, but one */
		kmem_cache_free(s, obj[cpu]);
	}
	assert_int_equal(stats_of("x_bind").active_objs, 0);
	assert_int_equal(stats_of("x_bind").num_slabs, 4);
	ul_this_cpu = saved;
	kmem_cache_destroy(s);
}

/* ---- Threads (posix runtime's situation: real locks, several threads per CPU, objects
 * passing between threads of different CPUs). ---- */

#define RING	64
struct ring {
	pthread_mutex_t mu;
	void *slot[RING];
	unsigned int head, tail;
};

struct thr {
	struct kmem_cache *s;
	struct ring *in, *out;	/* objects to free come in; objects allocated go out */
	int cpu, id;
	unsigned long allocs, frees;
};

static bool ring_put(struct ring *r, void *p)
{
	bool ok;

	pthread_mutex_lock(&r->mu);
	ok = r->head - r->tail < RING;
	if (ok)
		r->slot[r->head++ % RING] = p;
	pthread_mutex_unlock(&r->mu);
	return ok;
}

static void *ring_get(struct ring *r)
{
	void *p = NULL;

	pthread_mutex_lock(&r->mu);
	if (r->head != r->tail)
		p = r->slot[r->tail++ % RING];
	pthread_mutex_unlock(&r->mu);
	return p;
}

static void *thr_fn(void *arg)
{
	struct thr *t = arg;
	int i;

	ul_this_cpu = t->cpu;
	for (i = 0; i < 30000; i++) {
		void *p = ring_get(t->in);

		if (p) {
			int *tag = p;

			if (tag[0] < 1 || tag[0] > 6)
				return (void *)2;	/* corrupted: handed out twice */
			tag[0] = 0;
			if ((i & 1) || tag[1])	/* kmalloc'ed ones with kfree only */
				kfree(p);
			else
				kmem_cache_free(t->s, p);
			t->frees++;
		}
		p = (i % 3) ? kmem_cache_alloc(t->s, GFP_ATOMIC) : kmalloc(100, GFP_ATOMIC);
		if (!p)
			return (void *)1;
		((int *)p)[0] = t->id;
		((int *)p)[1] = !(i % 3);
		t->allocs++;
		if (!ring_put(t->out, p)) {
			kfree(p);
			t->frees++;
		}
	}
	return NULL;
}

static void test_threads_cross_cpu(void **state)
{
	struct ring rings[6];
	struct thr t[6];
	pthread_t th[6];
	struct kmem_cache *s;
	unsigned long allocs = 0, frees = 0;
	void *ret, *p;
	int i;

	kmem_cache_init();
	s = kmem_cache_create("x_th", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	memset(rings, 0, sizeof(rings));
	for (i = 0; i < 6; i++)
		pthread_mutex_init(&rings[i].mu, NULL);
	ul_smp = true;
	for (i = 0; i < 6; i++) {
		/* CPUs 0, 0, 1, 1, 2, 3: two threads share CPU 0 and CPU 1. */
		t[i] = (struct thr){ .s = s, .in = &rings[i], .out = &rings[(i + 1) % 6],
				     .cpu = i < 4 ? i / 2 : i - 2, .id = i + 1 };
		assert_int_equal(pthread_create(&th[i], NULL, thr_fn, &t[i]), 0);
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_null(ret);
		allocs += t[i].allocs;
		frees += t[i].frees;
	}
	ul_smp = false;
	for (i = 0; i < 6; i++)
		while ((p = ring_get(&rings[i]))) {
			kfree(p);
			frees++;
		}
	assert_int_equal(allocs, 6 * 30000);
	assert_int_equal(frees, allocs);
	assert_int_equal(ul_slab_objects_in_use(), 0);
	assert_int_equal(stats_of("x_th").active_objs, 0);
	assert_int_equal(stats_of("x_th").total_allocs, stats_of("x_th").total_frees);
	assert_int_equal(stats_of("kmalloc-128").active_objs, 0);
	kmem_cache_destroy(s);
	kmem_cache_fini();
	ul_this_cpu = 0;
}

/* Slab descriptors (48 B, 84 to a page of the page allocator, not calloc'ed): 200 slabs take
 * 3 pool pages; when the slabs go back the pages do too but one, kept for the next slab;
 * large kmallocs and vmalloc areas have one each as well; at kmem_cache_fini nothing is
 * left of the pool and the page allocator has every page back. */
static void test_slab_descriptors(void **state)
{
	struct ul_buddy_stats b0, b;
	struct kmem_cache *s;
	unsigned int per, i, n;
	void **obj, *big, *vm;
	int saved = ul_this_cpu;

	ul_buddy_stats_get(&b0);
	kmem_cache_init_mode(false);
	assert_int_equal(ul_slab_desc_pages(), 0);
	s = kmem_cache_create("x_desc", 2048, 0, 0, NULL);
	assert_non_null(s);
	per = stats_of("x_desc").objperslab;
	n = 200 * per;
	obj = calloc(n, sizeof(*obj));
	assert_non_null(obj);
	ul_this_cpu = 0;
	for (i = 0; i < n; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(obj[i]);
	}
	assert_int_equal(stats_of("x_desc").num_slabs, 200);
	assert_int_equal(ul_slab_desc_pages(), 3);	/* 84 + 84 + 32 */
	big = kmalloc(64 * 1024, GFP_KERNEL);		/* a large kmalloc: a descriptor */
	vm = vzalloc(1 << 20);				/* a vmalloc area: another */
	assert_non_null(big);
	assert_non_null(vm);
	assert_int_equal(ksize(big), 64 * 1024);
	assert_int_equal(ul_slab_desc_pages(), 3);
	for (i = 0; i < n; i++)
		kmem_cache_free(s, obj[i]);
	/* The empty slabs beyond min_partial went back with their descriptors: the few left
	 * (and the two areas') hold at most two pages. */
	assert_true(stats_of("x_desc").num_slabs <= 12);
	assert_true(ul_slab_desc_pages() >= 1 && ul_slab_desc_pages() <= 2);
	kfree(big);
	vfree(vm);
	kmem_cache_destroy(s);
	assert_int_equal(ul_slab_desc_pages(), 1);	/* kept for the next slab */
	kmem_cache_fini();
	assert_int_equal(ul_slab_desc_pages(), 0);
	ul_buddy_stats_get(&b);
	assert_int_equal(b.pages_out, b0.pages_out);
	free(obj);
	ul_this_cpu = saved;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: they need a page allocator nothing has used yet. */
		cmocka_unit_test(test_buddy_split_merge_reuse),
		cmocka_unit_test(test_buddy_max_order_and_release),
		cmocka_unit_test(test_buddy_orders),
		cmocka_unit_test_setup_teardown(test_alloc_pages_refcount, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test(test_cross_cpu_free),
		cmocka_unit_test(test_refill_boundaries),
		cmocka_unit_test(test_slab_descriptors),
		cmocka_unit_test_setup_teardown(test_slabinfo_cpu_slabs, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test(test_threads_cross_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
