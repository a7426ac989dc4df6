/* SPDX-License-Identifier: MIT */
/* Socket buffers: allocation, sharing (clone/copy), reshaping and byte access.
 * Mirrors linux/net/core/skbuff.c (3.10): __alloc_skb, __netdev_alloc_skb, kfree_skb,
 * netdev_alloc_frag, build_skb, consume_skb, skb_clone, skb_copy, __pskb_copy,
 * pskb_expand_head, skb_realloc_headroom, skb_copy_expand, __pskb_pull_tail, ___pskb_trim, skb_copy_bits, skb_store_bits,
 * skb_checksum, skb_split, __pskb_trim_head (net/ipv4/tcp_output.c), skb_put/push/pull/trim,
 * skb_try_coalesce, kfree_skb_partial, skb_queue_*.
 *
 * Ownership: an skb has `users` references (skb_get); the data has `dataref` references
 * (one per skb pointing at it: clones). The data is freed when the last skb referencing it
 * goes; its paged frags (one page reference each) and its frag_list members belong to the
 * data (put/freed with it; a private copy of the head takes its own references).
 * Byte order of the data: linear part, frags[0..nr_frags-1], then each frag_list member. */
#include "linux/skbuff.h"
#include "linux/errno.h"
#include "linux/hardirq.h"
#include "linux/kernel.h"
#include "linux/percpu.h"
#include "linux/slab.h"
#include "linux/spinlock.h"
#include "net/dropreason.h"
#include "trace/path.h"

static struct kmem_cache *skbuff_head_cache;
static struct kmem_cache *skbuff_fclone_cache;
/* ul_id source: the trace id of each new packet (deterministic per stack: reset at boot). */
static u64 skb_id_counter;
static atomic_long_t skb_live;	/* sk_buff structs allocated and not freed */

unsigned long ul_skb_in_use(void)
{
	return (unsigned long)atomic_long_read(&skb_live);
}

/* Routing is not part of the core: until net/core/dst.c links in, nothing may set a
 * refcounted dst, and these say so instead of leaking silently. */
__attribute__((weak)) void dst_release(struct dst_entry *dst)
{
	if (dst)
		pr_err("dst_release: no routing code linked (dst %p leaked)\n", (void *)dst);
}
__attribute__((weak)) void dst_hold(struct dst_entry *dst)
{
	if (dst)
		pr_err("dst_hold: no routing code linked (dst %p)\n", (void *)dst);
}

static void netdev_frag_init(void);
static void netdev_frag_fini(void);

/* The report of an overrun by skb_put/skb_push (inline in linux/skbuff.h). */
void skb_panic(struct sk_buff *skb, unsigned int sz, const char *msg)
{
	printk(KERN_ERR "skbuff: %s: len:%u put:%u head:%p data:%p tail:%#lx end:%#lx dev:%s\n",
	       msg, skb->len, sz, (void *)skb->head, (void *)skb->data, (unsigned long)skb->tail,
	       (unsigned long)skb->end, skb->dev ? "<set>" : "<NULL>");
	BUG();
}

void skb_init(void)
{
	skbuff_head_cache = kmem_cache_create("skbuff_head_cache", sizeof(struct sk_buff), 0,
					      SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	/* A parent, its pre-allocated clone and the pair's reference count. */
	skbuff_fclone_cache = kmem_cache_create("skbuff_fclone_cache",
						2 * sizeof(struct sk_buff) + sizeof(atomic_t), 0,
						SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL);
	skb_id_counter = 0;
	atomic_long_set(&skb_live, 0);
	netdev_frag_init();
}

void skb_fini(void)
{
	netdev_frag_fini();
	if (skbuff_head_cache)
		kmem_cache_destroy(skbuff_head_cache);
	if (skbuff_fclone_cache)
		kmem_cache_destroy(skbuff_fclone_cache);
	skbuff_head_cache = NULL;
	skbuff_fclone_cache = NULL;
	skb_id_counter = 0;
	atomic_long_set(&skb_live, 0);
}

static inline int skb_alloc_rx_flag(const struct sk_buff *skb)
{
	return skb->pfmemalloc ? SKB_ALLOC_RX : 0;
}

/* A new skb around @data, whose first @size bytes are data and the rest the shared info
 * (__alloc_skb and build_skb). Returns the shared info, cleared. */
static __always_inline struct skb_shared_info *skb_init_head(struct sk_buff *skb, u8 *data,
							      unsigned int size)
{
	struct skb_shared_info *shinfo;

	/* Only the part before tail is cleared (3.10); every field from tail on is set below. */
	memset(skb, 0, offsetof(struct sk_buff, tail));
	skb->reserved_tailroom = 0;
	skb->truesize = SKB_TRUESIZE(size);
	atomic_set(&skb->users, 1);
	skb->head = data;
	skb->data = data;
	skb_reset_tail_pointer(skb);
	skb->end = skb->tail + size;
	skb->mac_header = ~0U;
	skb->transport_header = ~0U;
	/* Atomic: skbs are allocated on several threads at once in the posix runtime. */
	skb->ul_id = __atomic_add_fetch(&skb_id_counter, 1, __ATOMIC_RELAXED);

	shinfo = skb_shinfo(skb);
	/* Up to the frags: the frags array is read only below nr_frags. */
	memset(shinfo, 0, offsetof(struct skb_shared_info, frags));
	atomic_set(&shinfo->dataref, 1);
	return shinfo;
}

/* The data area is SKB_DATA_ALIGN(size) + the aligned shared info; whatever kmalloc's size
 * class adds beyond that becomes tailroom (as 3.10: SKB_WITH_OVERHEAD(ksize(data))). */
struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp_mask, int flags, int node)
{
	struct kmem_cache *cache;
	struct sk_buff *skb;
	u8 *data;

	if (unlikely(size > 0x7fffffffu - 2 * SMP_CACHE_BYTES - sizeof(struct skb_shared_info)))
		return NULL;
	cache = (flags & SKB_ALLOC_FCLONE) ? skbuff_fclone_cache : skbuff_head_cache;
	if (unlikely(!cache)) {
		pr_err("__alloc_skb: skb caches not initialised (net_boot not run)\n");
		return NULL;
	}
	skb = kmem_cache_alloc(cache, gfp_mask & ~__GFP_ZERO);
	if (!skb)
		return NULL;
	size = SKB_DATA_ALIGN(size);
	size += SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	data = kmalloc(size, gfp_mask & ~__GFP_ZERO);
	if (!data) {
		kmem_cache_free(cache, skb);
		return NULL;
	}
	size = SKB_WITH_OVERHEAD(ksize(data));
	skb_init_head(skb, data, size);

	if (flags & SKB_ALLOC_FCLONE) {
		struct sk_buff *child = skb + 1;
		atomic_t *fclone_ref = (atomic_t *)(child + 1);

		skb->fclone = SKB_FCLONE_ORIG;
		atomic_set(fclone_ref, 1);
		child->fclone = SKB_FCLONE_UNAVAILABLE;
	}
	atomic_long_inc(&skb_live);
	UL_TRACEF(skb, "size=%u", size);
	return skb;
}

/* ---- page-fragment heads (3.10 netdev_alloc_frag, build_skb) ---- */

/* Each CPU carves receive heads out of one 32 KiB page (order 3, order 0 when that fails).
 * The cache holds one reference and each head one more; when the page is full it is
 * reused from the start if no head is left in it, else let go (the last head frees it)
 * and a new page is taken.
 * DIVERGES: 3.10 pre-charges the count with a bias (NETDEV_PAGECNT_MAX_BIAS) to save
 * atomics, and disables interrupts instead of taking a lock; the page is refilled at
 * first use there, ulnet fills it at boot (so that a test's leak check, which counts the
 * page's descriptor, sees the same count before and after). */
#define NETDEV_FRAG_PAGE_MAX_ORDER	3	/* get_order(32768) */

struct netdev_alloc_cache {
	spinlock_t lock;
	struct page_frag frag;
};
static DEFINE_PER_CPU(struct netdev_alloc_cache, netdev_alloc_cache);

static bool netdev_frag_refill(struct netdev_alloc_cache *nc, gfp_t gfp_mask)
{
	int order;

	for (order = NETDEV_FRAG_PAGE_MAX_ORDER; order >= 0; order--) {
		nc->frag.page = alloc_pages(gfp_mask, (unsigned int)order);
		if (nc->frag.page) {
			nc->frag.size = (__u32)(PAGE_SIZE << order);
			nc->frag.offset = 0;
			return true;
		}
	}
	return false;
}

/* @fragsz bytes for a head; *@pagep gets the page, with a reference for the caller. */
static void *netdev_alloc_frag_page(unsigned int fragsz, gfp_t gfp_mask, struct page **pagep)
{
	int cpu = smp_processor_id();
	struct netdev_alloc_cache *nc;
	unsigned long flags;
	void *data = NULL;

	/* A thread outside the stack's CPUs (posix: a TAP reader) shares CPU 0's cache. */
	if (unlikely(cpu < 0 || cpu >= nr_cpu_ids))
		cpu = 0;
	nc = &per_cpu(netdev_alloc_cache, cpu);

	spin_lock_irqsave(&nc->lock, flags);
	if (unlikely(!nc->frag.page) && !netdev_frag_refill(nc, gfp_mask))
		goto end;
	if (nc->frag.offset + fragsz > nc->frag.size) {
		if (page_count(nc->frag.page) == 1) {
			nc->frag.offset = 0;	/* every head of it is gone: recycle */
		} else {
			put_page(nc->frag.page);
			nc->frag.page = NULL;
			if (!netdev_frag_refill(nc, gfp_mask))
				goto end;
		}
	}
	data = (u8 *)page_address(nc->frag.page) + nc->frag.offset;
	nc->frag.offset += fragsz;
	get_page(nc->frag.page);
	*pagep = nc->frag.page;
end:
	spin_unlock_irqrestore(&nc->lock, flags);
	return data;
}

static void netdev_frag_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct netdev_alloc_cache *nc = &per_cpu(netdev_alloc_cache, cpu);

		spin_lock_init(&nc->lock);
		nc->frag.page = NULL;
		if (!netdev_frag_refill(nc, GFP_KERNEL))
			pr_warn("skb: no page-fragment cache for cpu %d (heads are kmalloc'ed)\n",
				cpu);
	}
}

static void netdev_frag_fini(void)
{
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct netdev_alloc_cache *nc = &per_cpu(netdev_alloc_cache, cpu);

		if (nc->frag.page)
			put_page(nc->frag.page);
		nc->frag.page = NULL;
	}
}

/* An skb around @data, @frag_size bytes of a page fragment (@page, whose reference it
 * takes over): the last frag_size - shared info bytes are the shared info, as 3.10. */
static struct sk_buff *build_skb_page(void *data, unsigned int frag_size, struct page *page)
{
	struct skb_shared_info *shinfo;
	struct sk_buff *skb;
	unsigned int size = frag_size - SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	skb = kmem_cache_alloc(skbuff_head_cache, GFP_ATOMIC);
	if (!skb)
		return NULL;
	shinfo = skb_init_head(skb, data, size);
	skb->head_frag = 1;
	shinfo->ul_head_page = page;
	atomic_long_inc(&skb_live);
	UL_TRACEF(skb, "size=%u frag", size);
	return skb;
}

/* Context: any (softirq for drivers). 3.10: page-fragment heads unless the buffer is larger
 * than a page or the caller may sleep (__GFP_WAIT: in ulnet, a mask without GFP_ATOMIC). */
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int length, gfp_t gfp_mask)
{
	unsigned int fragsz = SKB_DATA_ALIGN(length + NET_SKB_PAD) +
			      SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb = NULL;

	if (fragsz <= PAGE_SIZE && (gfp_mask & GFP_ATOMIC)) {
		struct page *page = NULL;
		void *data = netdev_alloc_frag_page(fragsz, gfp_mask, &page);

		if (data) {
			skb = build_skb_page(data, fragsz, page);
			if (unlikely(!skb))
				put_page(page);
		}
	} else {
		skb = __alloc_skb(length + NET_SKB_PAD, gfp_mask, SKB_ALLOC_RX, -1);
	}
	if (likely(skb)) {
		skb_reserve(skb, NET_SKB_PAD);
		skb->dev = dev;
	}
	return skb;
}

/* ---- freeing ---- */

static void skb_drop_list(struct sk_buff **listp, enum skb_drop_reason reason)
{
	struct sk_buff *list = *listp;
	unsigned int n = 0;

	*listp = NULL;
	while (list) {
		struct sk_buff *next = list->next;

		/* ->next stays: a shared member is also on another skb's frag_list. */
		if (reason == SKB_CONSUMED)
			consume_skb(list);
		else
			kfree_skb_reason(list, reason);
		list = next;
		BUG_ON(++n > (1u << 24)); /* a cycle: the list is corrupt */
	}
}

static void skb_clone_fraglist(struct sk_buff *skb)
{
	struct sk_buff *list;

	skb_walk_frags(skb, list)
		skb_get(list);
}

/* A page-fragment head goes with its page reference (the shared info, which names the
 * page, is inside it: read first), a kmalloc'ed one with kfree. */
static void skb_free_head(struct sk_buff *skb)
{
	if (skb->head_frag)
		put_page(skb_shinfo(skb)->ul_head_page);
	else
		kfree(skb->head);
}

/* Drop this skb's reference to its data; the last one frees the head and the frag_list
 * (with the same verdict as the parent: consumed or dropped for @reason). */
static void skb_release_data(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (!skb->cloned ||
	    !atomic_sub_return(skb->nohdr ? (1 << SKB_DATAREF_SHIFT) + 1 : 1,
			       &skb_shinfo(skb)->dataref)) {
		int i;

		for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
			skb_frag_unref(skb, i);
		if (skb_has_frag_list(skb))
			skb_drop_list(&skb_shinfo(skb)->frag_list, reason);
		skb_free_head(skb);
	}
	skb->head = NULL;
}

/* Routes, the socket charge (destructor), later conntrack. */
static void skb_release_head_state(struct sk_buff *skb)
{
	skb_dst_drop(skb);
	nf_conntrack_put(skb->nfct);
	if (skb->destructor) {
		WARN_ON(in_irq());
		skb->destructor(skb);
		skb->destructor = NULL;
	}
}

static void kfree_skbmem(struct sk_buff *skb)
{
	struct sk_buff *other;
	atomic_t *fclone_ref;

	atomic_long_dec(&skb_live);
	/* The common case first: an skb of skbuff_head_cache (every received one). */
	if (likely(skb->fclone == SKB_FCLONE_UNAVAILABLE)) {
		kmem_cache_free(skbuff_head_cache, skb);
		return;
	}
	switch (skb->fclone) {
	case SKB_FCLONE_UNAVAILABLE:
		break;
	case SKB_FCLONE_ORIG:
		fclone_ref = (atomic_t *)(skb + 2);
		if (atomic_dec_and_test(fclone_ref))
			kmem_cache_free(skbuff_fclone_cache, skb);
		break;
	case SKB_FCLONE_CLONE:
		fclone_ref = (atomic_t *)(skb + 1);
		other = skb - 1;
		/* The clone portion is available for fast-cloning again. */
		skb->fclone = SKB_FCLONE_UNAVAILABLE;
		if (atomic_dec_and_test(fclone_ref))
			kmem_cache_free(skbuff_fclone_cache, other);
		break;
	}
}

static void __kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	skb_release_head_state(skb);
	if (likely(skb->head))
		skb_release_data(skb, reason);
	kfree_skbmem(skb);
}

void __kfree_skb(struct sk_buff *skb)
{
	__kfree_skb_reason(skb, SKB_CONSUMED);
}

/* Context: any but hard IRQ. The drop is counted only when the last reference goes (as
 * Linux's kfree_skb tracepoint, which drop_monitor listens to). */
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (unlikely(!skb))
		return;
	if (likely(atomic_read(&skb->users) == 1))
		smp_rmb();
	else if (likely(!atomic_dec_and_test(&skb->users)))
		return;
	if (reason <= SKB_CONSUMED || reason >= SKB_DROP_REASON_MAX)
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	UL_TRACEF(skb, "reason=%s", skb_drop_reason_name(reason));
	ul_drop_record(reason);
	__kfree_skb_reason(skb, reason);
}

void kfree_skb_list(struct sk_buff *segs)
{
	skb_drop_list(&segs, SKB_DROP_REASON_NOT_SPECIFIED);
}

void consume_skb(struct sk_buff *skb)
{
	if (unlikely(!skb))
		return;
	if (likely(atomic_read(&skb->users) == 1))
		smp_rmb();
	else if (likely(!atomic_dec_and_test(&skb->users)))
		return;
	UL_TRACE(skb);
	__kfree_skb(skb);
}

/* Free an skb whose data was merged into another by skb_try_coalesce: when its head was
 * stolen (@head_stolen) only the sk_buff goes, the head now belongs to the other skb. */
void kfree_skb_partial(struct sk_buff *skb, bool head_stolen)
{
	if (head_stolen) {
		skb_release_head_state(skb);
		kfree_skbmem(skb);
	} else {
		__kfree_skb(skb);
	}
}

/* ---- clone and copy ---- */

static void __copy_skb_header(struct sk_buff *new, const struct sk_buff *old)
{
	new->tstamp = old->tstamp;
	new->dev = old->dev;
	new->transport_header = old->transport_header;
	new->network_header = old->network_header;
	new->mac_header = old->mac_header;
	new->inner_transport_header = old->inner_transport_header;
	new->inner_network_header = old->inner_network_header;
	skb_dst_copy(new, old);
	memcpy(new->cb, old->cb, sizeof(old->cb));
	new->csum = old->csum;
	new->local_df = old->local_df;
	new->pkt_type = old->pkt_type;
	new->ip_summed = old->ip_summed;
	new->queue_mapping = old->queue_mapping;
	new->priority = old->priority;
	new->protocol = old->protocol;
	new->skb_iif = old->skb_iif;
	new->vlan_tci = old->vlan_tci;
	new->tc_index = old->tc_index;
	new->mark = old->mark;
	new->nfct = old->nfct;		/* (i11) conntrack: the copy holds its own reference */
	nf_conntrack_get(old->nfct);
	new->nfctinfo = old->nfctinfo;
	new->rxhash = old->rxhash;
	new->ooo_okay = old->ooo_okay;
	new->l4_rxhash = old->l4_rxhash;
	new->encapsulation = old->encapsulation;
	new->ul_id = old->ul_id;
}

static struct sk_buff *__skb_clone(struct sk_buff *n, struct sk_buff *skb)
{
	n->next = n->prev = NULL;
	n->sk = NULL;
	__copy_skb_header(n, skb);
	n->len = skb->len;
	n->data_len = skb->data_len;
	n->mac_len = skb->mac_len;
	n->hdr_len = skb->nohdr ? (__u16)skb_headroom(skb) : skb->hdr_len;
	n->cloned = 1;
	n->nohdr = 0;
	n->peeked = 0;
	n->destructor = NULL;
	n->tail = skb->tail;
	n->end = skb->end;
	n->head = skb->head;
	n->head_frag = skb->head_frag;
	n->data = skb->data;
	n->truesize = skb->truesize;
	atomic_set(&n->users, 1);
	atomic_inc(&skb_shinfo(skb)->dataref);
	skb->cloned = 1;
	atomic_long_inc(&skb_live);
	return n;
}

struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp_mask)
{
	struct sk_buff *n;

	UL_TRACE(skb);
	if (skb->fclone == SKB_FCLONE_ORIG && (skb + 1)->fclone == SKB_FCLONE_UNAVAILABLE) {
		atomic_t *fclone_ref = (atomic_t *)(skb + 2);

		n = skb + 1;
		n->fclone = SKB_FCLONE_CLONE;
		atomic_inc(fclone_ref);
	} else {
		n = kmem_cache_alloc(skbuff_head_cache, gfp_mask & ~__GFP_ZERO);
		if (!n)
			return NULL;
		n->fclone = SKB_FCLONE_UNAVAILABLE;
	}
	/* No memset of the clone (as 3.10): __skb_clone and __copy_skb_header write every
	 * member but these two (a member added to struct sk_buff must be handled there; a
	 * clone per segment sent, kept for retransmission, made this memset a hot spot). */
	n->pfmemalloc = 0;
	n->reserved_tailroom = 0;
	return __skb_clone(n, skb);
}

/* Move the header offsets (and a CHECKSUM_PARTIAL csum_start) by @off bytes. */
static void skb_headers_offset_update(struct sk_buff *skb, int off)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->csum_start += off;
	if (skb_transport_header_was_set(skb))
		skb->transport_header += off;
	skb->network_header += off;
	if (skb_mac_header_was_set(skb))
		skb->mac_header += off;
	skb->inner_transport_header += off;
	skb->inner_network_header += off;
}

/* Header fields of @old onto the copy @new, whose headroom may differ. */
static void copy_skb_header(struct sk_buff *new, const struct sk_buff *old)
{
	int off = (int)skb_headroom(new) - (int)skb_headroom(old);

	__copy_skb_header(new, old);
	skb_headers_offset_update(new, off);
	skb_shinfo(new)->gso_size = skb_shinfo(old)->gso_size;
	skb_shinfo(new)->gso_segs = skb_shinfo(old)->gso_segs;
	skb_shinfo(new)->gso_type = skb_shinfo(old)->gso_type;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp_mask)
{
	int headerlen = (int)skb_headroom(skb);
	unsigned int size = skb_end_offset(skb) + skb->data_len;
	struct sk_buff *n;

	UL_TRACE(skb);
	n = __alloc_skb(size, gfp_mask, skb_alloc_rx_flag(skb), -1);
	if (!n)
		return NULL;
	skb_reserve(n, headerlen);
	skb_put(n, skb->len);
	if (skb_copy_bits(skb, -headerlen, n->head, headerlen + (int)skb->len))
		BUG();
	copy_skb_header(n, skb);
	return n;
}

struct sk_buff *__pskb_copy(struct sk_buff *skb, int headroom, gfp_t gfp_mask)
{
	unsigned int size = skb_headlen(skb) + (unsigned int)headroom;
	struct sk_buff *n;

	UL_TRACE(skb);
	n = __alloc_skb(size, gfp_mask, skb_alloc_rx_flag(skb), -1);
	if (!n)
		return NULL;
	skb_reserve(n, headroom);
	skb_put(n, skb_headlen(skb));
	skb_copy_from_linear_data(skb, n->data, n->len);
	n->truesize += skb->data_len;
	n->data_len = skb->data_len;
	n->len = skb->len;
	if (skb_shinfo(skb)->nr_frags) {
		int i;

		for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
			skb_shinfo(n)->frags[i] = skb_shinfo(skb)->frags[i];
			skb_frag_ref(skb, i);
		}
		skb_shinfo(n)->nr_frags = (unsigned char)i;
	}
	if (skb_has_frag_list(skb)) {
		skb_shinfo(n)->frag_list = skb_shinfo(skb)->frag_list;
		skb_clone_fraglist(n);
	}
	copy_skb_header(n, skb);
	return n;
}

/* Context: any. truesize is not changed (as 3.10: the socket was charged at allocation). */
int pskb_expand_head(struct sk_buff *skb, int nhead, int ntail, gfp_t gfp_mask)
{
	int size = nhead + (int)skb_end_offset(skb) + ntail;
	u8 *data;
	long off;

	if (nhead < 0 || ntail < 0 || size < 0) {
		pr_err("pskb_expand_head: bad sizes nhead %d ntail %d\n", nhead, ntail);
		return -EINVAL;
	}
	BUG_ON(skb_shared(skb));

	size = SKB_DATA_ALIGN(size);
	data = kmalloc((size_t)size + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)),
		       gfp_mask & ~__GFP_ZERO);
	if (!data)
		return -ENOMEM;
	size = (int)SKB_WITH_OVERHEAD(ksize(data));

	/* Copy only real data... and, alas, the header (up to tail). */
	memcpy(data + nhead, skb->head, (size_t)(skb_tail_pointer(skb) - skb->head));
	memcpy(data + size, skb_shinfo(skb),
	       offsetof(struct skb_shared_info, frags[skb_shinfo(skb)->nr_frags]));

	off = (data + nhead) - skb->head;
	/* If the data is shared, the other owners keep the old head (and the frags and
	 * frag_list, of which we take our own references); else the old head just goes. */
	if (skb_cloned(skb)) {
		int i;

		for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
			skb_frag_ref(skb, i);
		if (skb_has_frag_list(skb))
			skb_clone_fraglist(skb);
		skb_release_data(skb, SKB_CONSUMED);
	} else {
		skb_free_head(skb);
	}

	skb->head = data;
	skb->head_frag = 0;
	skb->data += off;
	skb->end = (sk_buff_data_t)size;
	skb->tail += nhead;
	skb_headers_offset_update(skb, nhead);
	skb->cloned = 0;
	skb->hdr_len = 0;
	skb->nohdr = 0;
	atomic_set(&skb_shinfo(skb)->dataref, 1);
	return 0;
}

struct sk_buff *skb_realloc_headroom(struct sk_buff *skb, unsigned int headroom)
{
	int delta = (int)headroom - (int)skb_headroom(skb);
	struct sk_buff *skb2;

	if (delta <= 0) {
		skb2 = pskb_copy(skb, GFP_ATOMIC);
	} else {
		skb2 = skb_clone(skb, GFP_ATOMIC);
		if (skb2 && pskb_expand_head(skb2, SKB_DATA_ALIGN(delta), 0, GFP_ATOMIC)) {
			kfree_skb_reason(skb2, SKB_DROP_REASON_NOMEM);
			skb2 = NULL;
		}
	}
	return skb2;
}

struct sk_buff *skb_copy_expand(const struct sk_buff *skb, int newheadroom, int newtailroom,
				gfp_t gfp_mask)
{
	int oldheadroom = (int)skb_headroom(skb);
	int head_copy_len, head_copy_off;
	struct sk_buff *n;

	if (newheadroom < 0 || newtailroom < 0)
		return NULL;
	n = __alloc_skb((unsigned int)(newheadroom + (int)skb->len + newtailroom), gfp_mask,
			skb_alloc_rx_flag(skb), -1);
	if (!n)
		return NULL;
	skb_reserve(n, newheadroom);
	skb_put(n, skb->len);

	head_copy_len = oldheadroom;
	head_copy_off = 0;
	if (newheadroom <= head_copy_len)
		head_copy_len = newheadroom;
	else
		head_copy_off = newheadroom - head_copy_len;

	/* Copy the linear header and data. */
	if (skb_copy_bits(skb, -head_copy_len, n->head + head_copy_off,
			  (int)skb->len + head_copy_len))
		BUG();
	copy_skb_header(n, skb);
	return n;
}

/* ---- non-linear data (frags and frag_list) ---- */

/* Take @eat bytes from the front of frag_list (the frags are already consumed). Members
 * eaten whole go; the first one eaten partly is pulled (cloned first if shared). */
static int skb_pull_fraglist(struct sk_buff *skb, int eat)
{
	struct sk_buff *list = skb_shinfo(skb)->frag_list;
	struct sk_buff *clone = NULL;
	struct sk_buff *insp = NULL;

	do {
		BUG_ON(!list);
		if ((int)list->len <= eat) {
			eat -= (int)list->len;
			list = list->next;
			insp = list;
		} else {
			if (skb_shared(list)) {
				clone = skb_clone(list, GFP_ATOMIC);
				if (!clone)
					return -ENOMEM;
				insp = list->next;
				list = clone;
			} else {
				insp = list;
			}
			if (!pskb_pull(list, (unsigned int)eat)) {
				kfree_skb_reason(clone, SKB_DROP_REASON_NOMEM);
				return -ENOMEM;
			}
			break;
		}
	} while (eat);

	/* Free the members pulled out. DIVERGES: consume_skb, not kfree_skb: their bytes live
	 * on in the head, nothing was dropped. */
	while ((list = skb_shinfo(skb)->frag_list) != insp) {
		skb_shinfo(skb)->frag_list = list->next;
		consume_skb(list);
	}
	if (clone) {
		clone->next = list;
		skb_shinfo(skb)->frag_list = clone;
	}
	return 0;
}

unsigned char *__pskb_pull_tail(struct sk_buff *skb, int delta)
{
	/* Not enough tailroom: grow by what is missing plus 128 for later pulls. Enough but
	 * cloned: reallocate anyway, the head is written. */
	int eat = (int)(skb->tail + (unsigned int)delta) - (int)skb->end;
	int i, k;

	if (delta <= 0 || (unsigned int)delta > skb->data_len)
		return delta == 0 ? skb_tail_pointer(skb) : NULL;
	if (eat > 0 || skb_cloned(skb)) {
		if (pskb_expand_head(skb, 0, eat > 0 ? eat + 128 : 0, GFP_ATOMIC))
			return NULL;
	}
	if (skb_copy_bits(skb, (int)skb_headlen(skb), skb_tail_pointer(skb), delta))
		BUG();

	/* The frag_list is touched only when the frags do not hold all of delta. */
	if (skb_has_frag_list(skb)) {
		eat = delta;
		for (i = 0; i < skb_shinfo(skb)->nr_frags && eat > 0; i++)
			eat -= (int)skb_frag_size(&skb_shinfo(skb)->frags[i]);
		if (eat > 0 && skb_pull_fraglist(skb, eat))
			return NULL;
	}

	/* Frags eaten whole lose their page; the first one eaten partly starts later. */
	eat = delta;
	k = 0;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		int size = (int)skb_frag_size(frag);

		if (size <= eat) {
			skb_frag_unref(skb, i);
			eat -= size;
		} else {
			skb_shinfo(skb)->frags[k] = *frag;
			if (eat) {
				skb_shinfo(skb)->frags[k].page_offset += (__u32)eat;
				skb_frag_size_sub(&skb_shinfo(skb)->frags[k], eat);
				eat = 0;
			}
			k++;
		}
	}
	skb_shinfo(skb)->nr_frags = (unsigned char)k;

	skb->tail += (unsigned int)delta;
	skb->data_len -= (unsigned int)delta;
	return skb_tail_pointer(skb);
}

int ___pskb_trim(struct sk_buff *skb, unsigned int len)
{
	unsigned int offset = skb_headlen(skb);
	int nfrags = skb_shinfo(skb)->nr_frags;
	struct sk_buff **fragp, *frag;
	int i, err;

	if (skb_cloned(skb) && unlikely((err = pskb_expand_head(skb, 0, 0, GFP_ATOMIC))))
		return err;

	/* Keep the frags up to @len (the last one shortened), put the pages of the rest. */
	i = 0;
	if (offset < len) {
		for (; i < nfrags; i++) {
			unsigned int end = offset + skb_frag_size(&skb_shinfo(skb)->frags[i]);

			if (end < len) {
				offset = end;
				continue;
			}
			skb_frag_size_set(&skb_shinfo(skb)->frags[i++], len - offset);
			offset = len;
			break;
		}
	}
	if (offset >= len || i < nfrags) {
		skb_shinfo(skb)->nr_frags = (unsigned char)i;
		for (; i < nfrags; i++)
			skb_frag_unref(skb, i);
		if (skb_has_frag_list(skb))
			skb_drop_list(&skb_shinfo(skb)->frag_list, SKB_CONSUMED);
		goto done;
	}
	for (fragp = &skb_shinfo(skb)->frag_list; (frag = *fragp); fragp = &frag->next) {
		unsigned int end = offset + frag->len;

		if (skb_shared(frag)) {
			struct sk_buff *nfrag = skb_clone(frag, GFP_ATOMIC);

			if (unlikely(!nfrag))
				return -ENOMEM;
			nfrag->next = frag->next;
			consume_skb(frag);
			frag = nfrag;
			*fragp = frag;
		}
		if (end < len) {
			offset = end;
			continue;
		}
		if (end > len && unlikely((err = pskb_trim(frag, len - offset))))
			return err;
		if (frag->next)
			skb_drop_list(&frag->next, SKB_CONSUMED);
		break;
	}
done:
	if (len > skb_headlen(skb)) {
		skb->data_len -= skb->len - len;
		skb->len = len;
	} else {
		skb->len = len;
		skb->data_len = 0;
		skb_set_tail_pointer(skb, (int)len);
	}
	return 0;
}

int __skb_linearize(struct sk_buff *skb)
{
	return __pskb_pull_tail(skb, (int)skb->data_len) ? 0 : -ENOMEM;
}

/* Split inside the linear part: the linear tail is copied, all frags move to @skb1. */
static void skb_split_inside_header(struct sk_buff *skb, struct sk_buff *skb1, const u32 len,
				    const int pos)
{
	int i;

	memcpy(skb_put(skb1, (unsigned int)pos - len), skb->data + len, (size_t)pos - len);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
		skb_shinfo(skb1)->frags[i] = skb_shinfo(skb)->frags[i];
	skb_shinfo(skb1)->nr_frags = skb_shinfo(skb)->nr_frags;
	skb_shinfo(skb)->nr_frags = 0;
	skb1->data_len = skb->data_len;
	skb1->len += skb1->data_len;
	skb->data_len = 0;
	skb->len = len;
	skb_set_tail_pointer(skb, (int)len);
}

/* Split inside the frags: nothing is copied; a frag crossing @len is shared. */
static void skb_split_no_header(struct sk_buff *skb, struct sk_buff *skb1, const u32 len,
				int pos)
{
	const int nfrags = skb_shinfo(skb)->nr_frags;
	int i, k = 0;

	skb_shinfo(skb)->nr_frags = 0;
	skb1->len = skb1->data_len = skb->len - len;
	skb->len = len;
	skb->data_len = len - (u32)pos;

	for (i = 0; i < nfrags; i++) {
		int size = (int)skb_frag_size(&skb_shinfo(skb)->frags[i]);

		if ((u32)(pos + size) > len) {
			skb_shinfo(skb1)->frags[k] = skb_shinfo(skb)->frags[i];
			if ((u32)pos < len) {
				/* Split frag: both halves hold the page. */
				skb_frag_ref(skb, i);
				skb_shinfo(skb1)->frags[0].page_offset += len - (u32)pos;
				skb_frag_size_sub(&skb_shinfo(skb1)->frags[0], (int)(len - (u32)pos));
				skb_frag_size_set(&skb_shinfo(skb)->frags[i], len - (u32)pos);
				skb_shinfo(skb)->nr_frags++;
			}
			k++;
		} else {
			skb_shinfo(skb)->nr_frags++;
		}
		pos += size;
	}
	skb_shinfo(skb1)->nr_frags = (unsigned char)k;
}

void skb_split(struct sk_buff *skb, struct sk_buff *skb1, const u32 len)
{
	int pos = (int)skb_headlen(skb);

	UL_TRACE(skb);
	if (WARN_ON(skb_has_frag_list(skb) || len > skb->len || skb_is_nonlinear(skb1)))
		return;
	if (len < (u32)pos)	/* Split line is inside header. */
		skb_split_inside_header(skb, skb1, len, pos);
	else			/* Second chunk has no header, nothing to copy. */
		skb_split_no_header(skb, skb1, len, pos);
}

void __pskb_trim_head(struct sk_buff *skb, int len)
{
	int i, k, eat;

	if (WARN_ON(len < 0 || (unsigned int)len > skb->len || skb_has_frag_list(skb)) || !len)
		return;
	eat = min_t(int, len, (int)skb_headlen(skb));
	if (eat) {
		__skb_pull(skb, (unsigned int)eat);
		len -= eat;
		if (!len)
			return;
	}
	eat = len;
	k = 0;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		int size = (int)skb_frag_size(&skb_shinfo(skb)->frags[i]);

		if (size <= eat) {
			skb_frag_unref(skb, i);
			eat -= size;
		} else {
			skb_shinfo(skb)->frags[k] = skb_shinfo(skb)->frags[i];
			if (eat) {
				skb_shinfo(skb)->frags[k].page_offset += (__u32)eat;
				skb_frag_size_sub(&skb_shinfo(skb)->frags[k], eat);
				eat = 0;
			}
			k++;
		}
	}
	skb_shinfo(skb)->nr_frags = (unsigned char)k;
	/* The head is empty now: tail back to data. */
	skb_reset_tail_pointer(skb);
	skb->data_len -= (unsigned int)len;
	skb->len = skb->data_len;
}

/* The bytes of @from fit in @to's tailroom: copied. Out of line, as the next one: the
 * head-stealing path of skb_try_coalesce (TCP's receive fast path) then makes no call
 * and saves fewer registers. */
static noinline bool skb_try_coalesce_copy(struct sk_buff *to, struct sk_buff *from, int len,
					   int *delta_truesize)
{
	BUG_ON(skb_copy_bits(from, 0, skb_put(to, (unsigned int)len), len));
	*delta_truesize = 0;
	return true;
}

/* @from's frags move to the end of @to's, with their page references; a cloned @from
 * shares its frags with the clones, so @to takes references of its own. (TCP's receive
 * fast path has none to move.) */
static noinline void skb_try_coalesce_frags(struct sk_buff *to, struct sk_buff *from)
{
	struct skb_shared_info *tsh = skb_shinfo(to), *fsh = skb_shinfo(from);
	int i, n = fsh->nr_frags;

	memcpy(tsh->frags + tsh->nr_frags, fsh->frags, n * sizeof(skb_frag_t));
	tsh->nr_frags = (unsigned char)(tsh->nr_frags + n);
	if (!skb_cloned(from))
		fsh->nr_frags = 0;
	else
		for (i = 0; i < n; i++)
			skb_frag_ref(from, i);
}

/* Merge the data of @from at the end of @to (3.10: the receive queues of TCP). The bytes
 * are copied when they fit in @to's tailroom; otherwise @from's frags move to @to with their
 * page references (taking new references when @from is cloned). @to then charges what
 * @from's data cost: *@delta_truesize, which the caller adds to the socket. @from keeps its
 * len and headers; the caller frees it with kfree_skb_partial(from, *@fragstolen).
 * False, nothing changed, when @to is cloned, a frag_list is involved, the frags do not fit
 * or @from has linear bytes that do not fit.
 * When @from has linear bytes, its head must be a page fragment (head_frag: see
 * __netdev_alloc_skb) that it does not share: the head is stolen, attached to @to as one
 * more frag (*@fragstolen true: kfree_skb_partial then frees only the sk_buff). */
bool skb_try_coalesce(struct sk_buff *to, struct sk_buff *from, bool *fragstolen,
		      int *delta_truesize)
{
	int delta, from_frags, len = (int)from->len;
	struct skb_shared_info *tsh, *fsh;

	*fragstolen = false;
	if (skb_cloned(to))
		return false;

	if (len <= skb_tailroom(to))
		return skb_try_coalesce_copy(to, from, len, delta_truesize);

	/* Both shared infos once: the stores below could alias the sk_buff fields
	 * skb_shinfo() reads, which would make the compiler reload them each time. */
	tsh = skb_shinfo(to);
	fsh = skb_shinfo(from);
	if (tsh->frag_list || fsh->frag_list)
		return false;

	from_frags = fsh->nr_frags;
	if (skb_headlen(from) != 0) {
		struct page *page;
		unsigned int offset;

		/* The linear bytes move only with the head itself: a page fragment that
		 * no clone shares becomes one more frag of @to, and @to is charged all
		 * but @from's sk_buff. */
		if (tsh->nr_frags + from_frags >= MAX_SKB_FRAGS)
			return false;
		if (skb_head_is_locked(from))
			return false;
		delta = (int)from->truesize - (int)SKB_DATA_ALIGN(sizeof(struct sk_buff));
		page = fsh->ul_head_page;
		offset = (unsigned int)(from->data - (unsigned char *)page_address(page));
		skb_fill_page_desc(to, tsh->nr_frags, page, (int)offset, (int)skb_headlen(from));
		*fragstolen = true;
	} else {
		if (tsh->nr_frags + from_frags > MAX_SKB_FRAGS)
			return false;
		/* What @from costs beyond an empty skb of its head size: its frags. */
		delta = (int)from->truesize - (int)SKB_TRUESIZE(skb_end_offset(from));
	}
	if (from_frags)
		skb_try_coalesce_frags(to, from);

	to->truesize += (unsigned int)delta;
	to->len += (unsigned int)len;
	to->data_len += (unsigned int)len;
	*delta_truesize = delta;
	WARN_ON_ONCE(delta < len);	/* last: nothing is live across its printk */
	return true;
}

/* ---- byte access ---- */

/* The walkers below visit the head, then frags[i] at [start, start + size), then each
 * frag_list member; @start is the packet offset where the current piece begins. */

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	int start = (int)skb_headlen(skb);
	struct sk_buff *frag_iter;
	int i, copy;

	if (len < 0 || offset > (int)skb->len - len || offset < -(int)skb_headroom(skb))
		return -EFAULT;
	/* Copy header. */
	if ((copy = start - offset) > 0) {
		if (copy > len)
			copy = len;
		memcpy(to, skb->data + offset, (size_t)copy);
		if ((len -= copy) == 0)
			return 0;
		offset += copy;
		to = (u8 *)to + copy;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		int end = start + (int)skb_frag_size(f);

		if ((copy = end - offset) > 0) {
			if (copy > len)
				copy = len;
			memcpy(to, (u8 *)skb_frag_address(f) + (offset - start), (size_t)copy);
			if ((len -= copy) == 0)
				return 0;
			offset += copy;
			to = (u8 *)to + copy;
		}
		start = end;
	}
	skb_walk_frags(skb, frag_iter) {
		int end = start + (int)frag_iter->len;

		if ((copy = end - offset) > 0) {
			if (copy > len)
				copy = len;
			if (skb_copy_bits(frag_iter, offset - start, to, copy))
				return -EFAULT;
			if ((len -= copy) == 0)
				return 0;
			offset += copy;
			to = (u8 *)to + copy;
		}
		start = end;
	}
	return len ? -EFAULT : 0;
}

int skb_store_bits(struct sk_buff *skb, int offset, const void *from, int len)
{
	int start = (int)skb_headlen(skb);
	struct sk_buff *frag_iter;
	int i, copy;

	if (len < 0 || offset < 0 || offset > (int)skb->len - len)
		return -EFAULT;
	if ((copy = start - offset) > 0) {
		if (copy > len)
			copy = len;
		memcpy(skb->data + offset, from, (size_t)copy);
		if ((len -= copy) == 0)
			return 0;
		offset += copy;
		from = (const u8 *)from + copy;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		int end = start + (int)skb_frag_size(f);

		if ((copy = end - offset) > 0) {
			if (copy > len)
				copy = len;
			memcpy((u8 *)skb_frag_address(f) + (offset - start), from, (size_t)copy);
			if ((len -= copy) == 0)
				return 0;
			offset += copy;
			from = (const u8 *)from + copy;
		}
		start = end;
	}
	skb_walk_frags(skb, frag_iter) {
		int end = start + (int)frag_iter->len;

		if ((copy = end - offset) > 0) {
			if (copy > len)
				copy = len;
			if (skb_store_bits(frag_iter, offset - start, from, copy))
				return -EFAULT;
			if ((len -= copy) == 0)
				return 0;
			offset += copy;
			from = (const u8 *)from + copy;
		}
		start = end;
	}
	return len ? -EFAULT : 0;
}

/* Checksum @len bytes from @offset, adding to @csum; each block's sum is shifted into the
 * byte position it has in the whole (csum_block_add). */
__wsum skb_checksum(const struct sk_buff *skb, int offset, int len, __wsum csum)
{
	int start = (int)skb_headlen(skb);
	struct sk_buff *frag_iter;
	int i, copy = start - offset;
	int pos = 0;

	if (len < 0 || offset < 0 || offset > (int)skb->len - len) {
		pr_err("skb_checksum: range %d+%d outside a %u-byte packet\n", offset, len, skb->len);
		return csum;
	}
	if (copy > 0) {
		if (copy > len)
			copy = len;
		csum = csum_partial(skb->data + offset, copy, csum);
		if ((len -= copy) == 0)
			return csum;
		offset += copy;
		pos = copy;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		int end = start + (int)skb_frag_size(f);

		if ((copy = end - offset) > 0) {
			__wsum csum2;

			if (copy > len)
				copy = len;
			csum2 = csum_partial((u8 *)skb_frag_address(f) + (offset - start), copy, 0);
			csum = csum_block_add(csum, csum2, pos);
			if ((len -= copy) == 0)
				return csum;
			offset += copy;
			pos += copy;
		}
		start = end;
	}
	i = 0;
	skb_walk_frags(skb, frag_iter) {
		int end = start + (int)frag_iter->len;

		if ((copy = end - offset) > 0) {
			__wsum csum2;

			if (copy > len)
				copy = len;
			csum2 = skb_checksum(frag_iter, offset - start, copy, 0);
			csum = csum_block_add(csum, csum2, pos);
			if ((len -= copy) == 0)
				return csum;
			offset += copy;
			pos += copy;
		}
		start = end;
		BUG_ON(++i > (1 << 24));
	}
	BUG_ON(len);
	return csum;
}

__wsum skb_copy_and_csum_bits(const struct sk_buff *skb, int offset, u8 *to, int len,
			      __wsum csum)
{
	if (skb_copy_bits(skb, offset, to, len))
		return csum;
	return csum_partial(to, len, csum);
}

unsigned char *skb_pull_rcsum(struct sk_buff *skb, unsigned int len)
{
	BUG_ON(len > skb->len);
	skb->len -= len;
	BUG_ON(skb->len < skb->data_len);
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->csum = csum_sub(skb->csum, csum_partial(skb->data, (int)len, 0));
	return skb->data += len;
}

/* ---- linear area ---- */

/* skb_put, skb_push, skb_pull: inline in linux/skbuff.h. */

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len)
		__skb_trim(skb, len);
}

/* ---- locked queues ---- */

struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *result;

	spin_lock_irqsave(&list->lock, flags);
	result = __skb_dequeue(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return result;
}

struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *result;

	spin_lock_irqsave(&list->lock, flags);
	result = __skb_dequeue_tail(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return result;
}

void skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;
	unsigned long n = 0;

	while ((skb = skb_dequeue(list)) != NULL) {
		kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
		BUG_ON(++n > (1ul << 32));
	}
}

void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_head(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_tail(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_unlink(skb, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_append(struct sk_buff *old, struct sk_buff *newsk, struct sk_buff_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_after(list, old, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}
