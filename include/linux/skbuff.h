/* SPDX-License-Identifier: MIT */
/* The socket buffer: one packet, its metadata and the (possibly shared) data area.
 * Mirrors linux/include/linux/skbuff.h (3.10): struct sk_buff, skb_shared_info, sk_buff_head,
 * skb_put/push/pull/reserve, header offsets, clone/copy/refcount helpers and queues.
 *
 * Memory layout, as Linux:
 *
 *   head                data           tail             end
 *    |<-- headroom -->|<--- linear data --->|<- tailroom ->|<- skb_shared_info ->|
 *
 * head points at a kmalloc'ed block of SKB_DATA_ALIGN(size) + SKB_DATA_ALIGN(sizeof shinfo);
 * data, tail and end describe the linear part; tail, end and the header positions are offsets
 * from head (sk_buff_data_t is an unsigned int, as 3.10 on 64-bit). skb_shared_info sits at
 * end and is shared by clones (dataref counts the skbs pointing at this data).
 * len = bytes of the packet; data_len = bytes outside the linear part: in the paged
 * fragments (skb_shinfo(skb)->frags[0 .. nr_frags-1]) and then on frag_list, in that order.
 *
 * Paged fragments (3.10): each skb_frag_t is (page, page_offset, size) and holds one page
 * reference (get_page; skb_release_data puts them). Clones share frags with the data;
 * copies of the head (__pskb_copy, pskb_expand_head of a cloned skb) take their own
 * references. TCP's send path copies user data into the socket's sk_frag page and
 * sendpage/sendfile attach file pages without copying; truesize grows by the bytes put in
 * frags. Every function that reads or reshapes data walks head, frags, then frag_list.
 * DIVERGES: struct page is ulnet's (linux/mm.h: one descriptor per allocation, compound
 * pages have no tail pages, so a fragment offset may reach PAGE_SIZE << order).
 *
 * Locking: sk_buff_head has a lock; the skb_queue_* functions take it (spin_lock_irqsave), the
 * __skb_* ones expect the caller to hold it or to own the queue. */
#ifndef _LINUX_SKBUFF_H
#define _LINUX_SKBUFF_H
#include "linux/atomic.h"
#include "linux/compiler.h"
#include "linux/kernel.h"
#include "linux/ktime.h"
#include "linux/mm.h"
#include "linux/spinlock.h"
#include "linux/types.h"
#include "net/checksum.h"
#include "net/dropreason.h"

struct sock;
struct net_device;
struct dst_entry;

/* skb->ip_summed */
#define CHECKSUM_NONE		0	/* no checksum information: the stack verifies/computes */
#define CHECKSUM_UNNECESSARY	1	/* RX: the device verified it */
#define CHECKSUM_COMPLETE	2	/* RX: skb->csum holds the sum of the whole packet */
#define CHECKSUM_PARTIAL	3	/* TX: the device fills it in from csum_start/csum_offset */

/* skb->pkt_type (linux/if_packet.h) */
#define PACKET_HOST		0	/* to us */
#define PACKET_BROADCAST	1	/* to all */
#define PACKET_MULTICAST	2	/* to group */
#define PACKET_OTHERHOST	3	/* to someone else */
#define PACKET_OUTGOING		4	/* outgoing of any type (taps see TX copies as this) */
#define PACKET_LOOPBACK		5	/* MC/BRD frame looped back */

/* skb->fclone */
enum {
	SKB_FCLONE_UNAVAILABLE,	/* an ordinary skb from skbuff_head_cache */
	SKB_FCLONE_ORIG,	/* the first of a pair from skbuff_fclone_cache */
	SKB_FCLONE_CLONE,	/* the second of the pair (free for skb_clone when unused) */
};

/* skb_shinfo(skb)->gso_type */
enum {
	SKB_GSO_TCPV4 = 1 << 0,
	SKB_GSO_UDP = 1 << 1,
	SKB_GSO_DODGY = 1 << 2,		/* the header comes from an untrusted source */
	SKB_GSO_TCP_ECN = 1 << 3,
	SKB_GSO_TCPV6 = 1 << 4,
	SKB_GSO_FCOE = 1 << 5,
	SKB_GSO_GRE = 1 << 6,
	SKB_GSO_UDP_TUNNEL = 1 << 7,
	SKB_GSO_MPLS = 1 << 8,
};

#define SMP_CACHE_BYTES		64
#define L1_CACHE_BYTES		64
#define SKB_DATA_ALIGN(X)	ALIGN((X), SMP_CACHE_BYTES)
/* Usable data bytes in a buffer of X bytes (the shared info takes the end). */
#define SKB_WITH_OVERHEAD(X)	((X) - SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))
#define SKB_MAX_ORDER(X, ORDER) SKB_WITH_OVERHEAD((4096UL << (ORDER)) - (X))
#define SKB_MAX_HEAD(X)		(SKB_MAX_ORDER((X), 0))
#define SKB_MAX_ALLOC		(SKB_MAX_ORDER(0, 2))
/* Memory charged for an skb with X bytes of data: the data, the sk_buff and the shared info.
 * DIVERGES: computed from ulnet's own (smaller) structs; Linux 3.10 x86_64 has
 * sizeof(sk_buff) 240 and sizeof(skb_shared_info) 320, so SKB_TRUESIZE(256) is 832 there
 * and the net.core.[rw]mem_* defaults (212992) keep Linux's number (facts.md §1.1). */
#define SKB_TRUESIZE(X)		((X) + SKB_DATA_ALIGN(sizeof(struct sk_buff)) + \
				 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

/* Headroom drivers reserve (3.10: max(32, L1_CACHE_BYTES)) and the IP alignment (0 on x86). */
#define NET_SKB_PAD		64
#define NET_IP_ALIGN		0
#define MAX_SKB_FRAGS		17	/* 65536/PAGE_SIZE + 1 */

typedef unsigned int sk_buff_data_t;

/* A paged fragment: @size bytes at @page_offset in @page (3.10 layout on 64-bit). */
typedef struct skb_frag_struct skb_frag_t;
struct skb_frag_struct {
	struct {
		struct page *p;
	} page;
	__u32 page_offset;
	__u32 size;
};

/* Shared by the clones of an skb, at skb_end_pointer(). */
struct skb_shared_info {
	unsigned char nr_frags;		/* frags[] in use */
	__u8 tx_flags;
	unsigned short gso_size;	/* MSS of each segment when GSO, else 0 */
	unsigned short gso_segs;
	unsigned short gso_type;	/* SKB_GSO_* */
	struct sk_buff *frag_list;	/* more data, owned by this buffer */
	__be32 ip6_frag_id;
	atomic_t dataref;		/* skbs referencing this data (clones) */
	void *destructor_arg;
	/* ulnet: the page a head_frag head was carved from (3.10 finds it with
	 * virt_to_head_page(skb->head); ulnet has no mem_map). Meaningless unless head_frag. */
	struct page *ul_head_page;
	/* Must be last: copies of the shared info stop at the frags in use. */
	skb_frag_t frags[MAX_SKB_FRAGS];
};

/* The links shared by sk_buff and sk_buff_head. List code writes a neighbour's links through
 * this type, because the neighbour may be the head (smaller than an sk_buff: compilers would
 * rightly flag an sk_buff access there; Linux 6.x does the same). */
struct sk_buff_list {
	struct sk_buff *next;
	struct sk_buff *prev;
};

/* Head of a packet list. The first two members match sk_buff's so the head can sit on the
 * list as its sentinel. */
struct sk_buff_head {
	union {
		struct {
			struct sk_buff *next;
			struct sk_buff *prev;
		};
		struct sk_buff_list list;
	};
	__u32 qlen;
	spinlock_t lock;
};

/* The reference an skb holds on its conntrack entry (3.10 linux/skbuff.h): the entry
 * goes when its timer fired and no packet holds it. nf_conntrack_destroy is in
 * net/netfilter/nf_conntrack_core.c. */
struct nf_conntrack {
	atomic_t use;
};
void nf_conntrack_destroy(struct nf_conntrack *nfct);
static inline void nf_conntrack_put(struct nf_conntrack *nfct)
{
	if (nfct && atomic_dec_and_test(&nfct->use))
		nf_conntrack_destroy(nfct);
}
static inline void nf_conntrack_get(struct nf_conntrack *nfct)
{
	if (nfct)
		atomic_inc(&nfct->use);
}

struct sk_buff {
	/* These two members must be first (sk_buff_head). */
	union {
		struct {
			struct sk_buff *next;
			struct sk_buff *prev;
		};
		struct sk_buff_list list;
	};

	ktime_t tstamp;			/* arrival/departure time, 0 when not stamped */
	struct sock *sk;		/* owning socket (after skb_set_owner_*), or NULL */
	struct net_device *dev;		/* RX: arriving device; TX: leaving device */

	/* Control buffer, private to each layer (IP, TCP's tcp_skb_cb, the qdisc's
	 * qdisc_skb_cb...). Put private variables here; a layer that keeps data across
	 * layers must skb_clone first. */
	char cb[48] __aligned(8);

	unsigned long _skb_refdst;	/* dst_entry pointer | SKB_DST_NOREF (routing, later) */

	unsigned int len;		/* packet bytes (linear + data_len) */
	unsigned int data_len;		/* bytes not in the linear part */
	__u16 mac_len;			/* link-layer header length */
	__u16 hdr_len;			/* writable header length of a cloned skb */
	union {
		__wsum csum;		/* CHECKSUM_COMPLETE: the sum */
		struct {
			__u16 csum_start;	/* CHECKSUM_PARTIAL: offset from head */
			__u16 csum_offset;	/* where to store it, from csum_start */
		};
	};
	__u32 priority;			/* queueing priority (pfifo_fast band via TC_PRIO_*) */
	__u8 local_df:1,		/* allow local fragmentation */
	     cloned:1,			/* the head may be shared: see skb_cloned() */
	     ip_summed:2,		/* CHECKSUM_* */
	     nohdr:1,			/* payload reference only, headers are not ours */
	     peeked:1,			/* already seen by a MSG_PEEK (UDP) */
	     head_frag:1,
	     ooo_okay:1;		/* may change TX queue (XPS) */
	__u8 pkt_type:3,		/* PACKET_* */
	     fclone:2,			/* SKB_FCLONE_* */
	     l4_rxhash:1,
	     encapsulation:1,
	     pfmemalloc:1;
	__be16 protocol;		/* ETH_P_* in network order, from the driver */

	void (*destructor)(struct sk_buff *skb);	/* run by skb_orphan / at free */

	int skb_iif;			/* ifindex of the device it arrived on */
	__u32 rxhash;			/* flow hash (RSS/RPS), 0 when not computed */
	__u16 vlan_tci;
	__u16 tc_index;
	__u16 queue_mapping;		/* TX queue, or RX queue + 1 when recorded */
	__u32 mark;			/* netfilter/policy routing mark */
	/* Room for later members: bridge info (nf_bridge), secmark.
	 * Add them here and handle them in __copy_skb_header and skb_release_head_state
	 * (skb_clone does not clear the clone: every member is written by __skb_clone). */
	struct nf_conntrack *nfct;	/* the connection (nf_conn) conntrack attached, held */
	__u8 nfctinfo;			/* enum ip_conntrack_info: direction and state */

	sk_buff_data_t inner_transport_header;
	sk_buff_data_t inner_network_header;
	sk_buff_data_t transport_header;	/* offsets from head; ~0U when unset */
	sk_buff_data_t network_header;
	sk_buff_data_t mac_header;
	sk_buff_data_t tail;
	sk_buff_data_t end;
	unsigned char *head;
	unsigned char *data;
	unsigned int truesize;		/* memory charged to the socket: SKB_TRUESIZE */
	atomic_t users;			/* references to this sk_buff (skb_get) */

	u64 ul_id;			/* ulnet: trace id, from a counter at __alloc_skb; kept by
					 * clones and copies (the same packet) */
	/* Tailroom the owner keeps out of use (sk_stream_alloc_skb: the linear part holds
	 * exactly the size asked for; the rest of the data goes to frags). 3.10 keeps it in
	 * a union with mark and dropcount. */
	union {
		__u32 reserved_tailroom;
		/* A received datagram: the socket's drops when it was queued
		 * (sock_queue_rcv_skb), for the SO_RXQ_OVFL control message. */
		__u32 dropcount;
	};
};

/* ---- allocation and freeing (skbuff.c) ---- */

/* Caches "skbuff_head_cache" and "skbuff_fclone_cache" (SLAB_HWCACHE_ALIGN). */
void skb_init(void);
void skb_fini(void);		/* destroys the caches; resets the ul_id counter */

#define SKB_ALLOC_FCLONE	0x01
#define SKB_ALLOC_RX		0x02
/* A linear skb with @size bytes of tailroom and no headroom. Context: any. NULL on ENOMEM. */
struct sk_buff *__alloc_skb(unsigned int size, gfp_t priority, int flags, int node);
static inline struct sk_buff *alloc_skb(unsigned int size, gfp_t priority)
{
	return __alloc_skb(size, priority, 0, -1);
}
/* From skbuff_fclone_cache: the clone that TCP makes for transmission is pre-allocated. */
static inline struct sk_buff *alloc_skb_fclone(unsigned int size, gfp_t priority)
{
	return __alloc_skb(size, priority, SKB_ALLOC_FCLONE, -1);
}
/* RX buffers: NET_SKB_PAD of headroom, skb->dev set. As 3.10, a buffer that fits in a page
 * (data + shared info) is carved from the CPU's page-fragment cache (netdev_alloc_frag,
 * 32 KiB pages) and built around it (build_skb: head_frag set, truesize without kmalloc's
 * rounding, the head freed by put_page and stealable by skb_try_coalesce); larger ones are
 * kmalloc'ed (__alloc_skb). */
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int length, gfp_t gfp_mask);
static inline struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int length)
{
	return __netdev_alloc_skb(dev, length, GFP_ATOMIC);
}
static inline struct sk_buff *dev_alloc_skb(unsigned int length)
{
	return netdev_alloc_skb(NULL, length);
}
static inline struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev,
							unsigned int length)
{
	return netdev_alloc_skb(dev, length + NET_IP_ALIGN); /* NET_IP_ALIGN is 0 on x86 */
}

/* Drop a reference; the last one frees the skb and counts a drop with @reason
 * (drop_monitor). Context: any (not hard IRQ: use dev_kfree_skb_irq). NULL is ignored. */
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
static inline void kfree_skb(struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
}
/* Free a list linked by ->next (frag_list). */
void kfree_skb_list(struct sk_buff *segs);
/* Drop a reference to a packet that did its job (not a drop). */
void consume_skb(struct sk_buff *skb);
/* Free now, ignoring users (the caller knows it holds the last reference). */
void __kfree_skb(struct sk_buff *skb);

/* Shares the data (dataref++); the clone gets its own sk_buff. Context: any. */
struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t priority);
/* Private copy of head and all data, linearised. */
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t priority);
/* Private copy of the header part (linear data); frags (a page reference each) and
 * frag_list are shared. */
struct sk_buff *__pskb_copy(struct sk_buff *skb, int headroom, gfp_t gfp_mask);
static inline struct sk_buff *pskb_copy(struct sk_buff *skb, gfp_t gfp_mask);
/* Reallocate the head with @nhead more headroom and @ntail more tailroom; the skb becomes
 * unshared (not cloned). Header offsets are kept. 0 or -ENOMEM. Must not be shared. */
int pskb_expand_head(struct sk_buff *skb, int nhead, int ntail, gfp_t gfp_mask);
/* A copy (or clone+expand) of @skb with at least @headroom of headroom. */
struct sk_buff *skb_realloc_headroom(struct sk_buff *skb, unsigned int headroom);
/* A copy with @newheadroom/@newtailroom; linearised. */
struct sk_buff *skb_copy_expand(const struct sk_buff *skb, int newheadroom, int newtailroom,
				gfp_t priority);
/* Pull @delta bytes from frags and frag_list into the linear part (copied; pages emptied are
 * put); returns the new tail or NULL. */
unsigned char *__pskb_pull_tail(struct sk_buff *skb, int delta);
int ___pskb_trim(struct sk_buff *skb, unsigned int len);
int __skb_linearize(struct sk_buff *skb);
/* Move the bytes of @skb from @len on to the empty @skb1 (3.10 tcp_fragment/tso_fragment):
 * linear bytes are copied, frags move (a frag cut in two is shared: one more page
 * reference). Neither may have a frag_list. len/data_len follow; truesize is the caller's. */
void skb_split(struct sk_buff *skb, struct sk_buff *skb1, const u32 len);
/* Remove @len bytes at the front, from the head and then whole or partial frags (pages
 * emptied are put). 3.10 has it static in tcp_output.c (tcp_trim_head); ulnet exports it
 * to the tests. No frag_list; the skb must not be cloned. */
void __pskb_trim_head(struct sk_buff *skb, int len);
/* Append @from's data to @to (copied into the tailroom, or @from's frags moved): 3.10's
 * receive-queue coalescing. *@delta_truesize is the truesize @to gained; free @from with
 * kfree_skb_partial(from, *@fragstolen) after. False: nothing changed. */
bool skb_try_coalesce(struct sk_buff *to, struct sk_buff *from, bool *fragstolen,
		      int *delta_truesize);
/* Free @skb after skb_try_coalesce; @head_stolen: its head now belongs to another skb. */
void kfree_skb_partial(struct sk_buff *skb, bool head_stolen);

/* Byte access across linear part, frags and frag_list. 0 or -EFAULT (out of range). */
int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);
int skb_store_bits(struct sk_buff *skb, int offset, const void *from, int len);
__wsum skb_checksum(const struct sk_buff *skb, int offset, int len, __wsum csum);
__wsum skb_copy_and_csum_bits(const struct sk_buff *skb, int offset, u8 *to, int len,
			      __wsum csum);
/* Adjusts skb->csum (CHECKSUM_COMPLETE) for bytes removed at the front. */
unsigned char *skb_pull_rcsum(struct sk_buff *skb, unsigned int len);

/* Queue operations that lock (skbuff.c). Context: any. */
void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk);
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk);
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list);
void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list);
void skb_append(struct sk_buff *old, struct sk_buff *newsk, struct sk_buff_head *list);
/* Free every skb on @list (kfree_skb: counted as drops, reason QUEUE_PURGE). */
void skb_queue_purge(struct sk_buff_head *list);

/* skb_put/skb_push/skb_pull (below, after __skb_pull): they check and BUG on overrun as
 * Linux (skb_over_panic / skb_under_panic, through skb_panic). */
__noreturn __attribute__((cold)) void skb_panic(struct sk_buff *skb, unsigned int sz,
						 const char *msg);
void skb_trim(struct sk_buff *skb, unsigned int len);

/* Number of skbs allocated and not freed (all caches; tests). */
unsigned long ul_skb_in_use(void);

/* Routing hooks: a dst_entry reference held in _skb_refdst. Until routing exists nothing
 * sets it; dst_release()/dst_hold() come from net/core/dst.c (weak fallbacks in skbuff.c
 * complain that no routing code is linked). */
#define SKB_DST_NOREF	1UL
#define SKB_DST_PTRMASK	~(SKB_DST_NOREF)
void dst_release(struct dst_entry *dst);
void dst_hold(struct dst_entry *dst);
static inline struct dst_entry *skb_dst(const struct sk_buff *skb)
{
	return (struct dst_entry *)(skb->_skb_refdst & SKB_DST_PTRMASK);
}
static inline void skb_dst_set(struct sk_buff *skb, struct dst_entry *dst)
{
	skb->_skb_refdst = (unsigned long)dst;
}
static inline void skb_dst_set_noref(struct sk_buff *skb, struct dst_entry *dst)
{
	skb->_skb_refdst = (unsigned long)dst | SKB_DST_NOREF;
}
/* Share @oskb's route with @nskb (clones and copies), taking a reference unless NOREF. */
static inline void skb_dst_copy(struct sk_buff *nskb, const struct sk_buff *oskb)
{
	nskb->_skb_refdst = oskb->_skb_refdst;
	if (nskb->_skb_refdst && !(nskb->_skb_refdst & SKB_DST_NOREF))
		dst_hold(skb_dst(nskb));
}
/* skb_dst_force() is in net/dst.h, as in Linux. */
static inline void skb_dst_drop(struct sk_buff *skb)
{
	if (skb->_skb_refdst) {
		if (!(skb->_skb_refdst & SKB_DST_NOREF))
			dst_release(skb_dst(skb));
		skb->_skb_refdst = 0UL;
	}
}

/* ---- inline helpers ---- */

static inline unsigned char *skb_end_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->end;
}
static inline unsigned int skb_end_offset(const struct sk_buff *skb)
{
	return skb->end;
}
#define skb_shinfo(SKB) ((struct skb_shared_info *)(skb_end_pointer(SKB)))

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}
static inline void skb_reset_tail_pointer(struct sk_buff *skb)
{
	skb->tail = (sk_buff_data_t)(skb->data - skb->head);
}
static inline void skb_set_tail_pointer(struct sk_buff *skb, const int offset)
{
	skb_reset_tail_pointer(skb);
	skb->tail += offset;
}

static inline bool skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb->data_len;
}
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}
static inline bool skb_has_frag_list(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->frag_list != NULL;
}

/* ---- paged fragments (3.10 skbuff.h) ---- */

static inline struct page *skb_frag_page(const skb_frag_t *frag)
{
	return frag->page.p;
}
static inline unsigned int skb_frag_size(const skb_frag_t *frag)
{
	return frag->size;
}
static inline void skb_frag_size_set(skb_frag_t *frag, unsigned int size)
{
	frag->size = size;
}
static inline void skb_frag_size_add(skb_frag_t *frag, int delta)
{
	frag->size += (__u32)delta;
}
static inline void skb_frag_size_sub(skb_frag_t *frag, int delta)
{
	frag->size -= (__u32)delta;
}
static inline void *skb_frag_address(const skb_frag_t *frag)
{
	return (u8 *)page_address(skb_frag_page(frag)) + frag->page_offset;
}
static inline void __skb_frag_set_page(skb_frag_t *frag, struct page *page)
{
	frag->page.p = page;
}
/* Take / drop the page reference a fragment holds. */
static inline void __skb_frag_ref(skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
}
static inline void skb_frag_ref(struct sk_buff *skb, int f)
{
	__skb_frag_ref(&skb_shinfo(skb)->frags[f]);
}
static inline void __skb_frag_unref(skb_frag_t *frag)
{
	put_page(skb_frag_page(frag));
}
static inline void skb_frag_unref(struct sk_buff *skb, int f)
{
	__skb_frag_unref(&skb_shinfo(skb)->frags[f]);
}
/* Describe frags[@i] without touching nr_frags, len or the page's count (the caller
 * hands its reference to the skb). */
static inline void __skb_fill_page_desc(struct sk_buff *skb, int i, struct page *page, int off,
					int size)
{
	skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

	frag->page.p = page;
	frag->page_offset = (__u32)off;
	skb_frag_size_set(frag, (unsigned int)size);
}
/* Same, and nr_frags becomes @i + 1. len, data_len and truesize are the caller's. */
static inline void skb_fill_page_desc(struct sk_buff *skb, int i, struct page *page, int off,
				      int size)
{
	__skb_fill_page_desc(skb, i, page, off, size);
	skb_shinfo(skb)->nr_frags = (unsigned char)(i + 1);
}
/* Receive side: a page piece becomes frags[@i]; len, data_len and truesize follow. */
static inline void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off,
				   int size, unsigned int truesize)
{
	skb_fill_page_desc(skb, i, page, off, size);
	skb->len += (unsigned int)size;
	skb->data_len += (unsigned int)size;
	skb->truesize += truesize;
}
/* Do @page and @off continue frags[@i - 1]? Then the bytes go there (no new frag). */
static inline bool skb_can_coalesce(struct sk_buff *skb, int i, const struct page *page, int off)
{
	if (i) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i - 1];

		return page == skb_frag_page(frag) &&
		       (__u32)off == frag->page_offset + skb_frag_size(frag);
	}
	return false;
}
/* Bytes in the head and the frags (not frag_list). */
static inline unsigned int skb_pagelen(const struct sk_buff *skb)
{
	unsigned int len = 0;
	int i;

	for (i = (int)skb_shinfo(skb)->nr_frags - 1; i >= 0; i--)
		len += skb_frag_size(&skb_shinfo(skb)->frags[i]);
	return len + skb_headlen(skb);
}
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}
static inline struct sk_buff *pskb_copy(struct sk_buff *skb, gfp_t gfp_mask)
{
	return __pskb_copy(skb, (int)skb_headroom(skb), gfp_mask);
}
static inline int skb_tailroom(const struct sk_buff *skb)
{
	return skb_is_nonlinear(skb) ? 0 : (int)(skb->end - skb->tail);
}
/* Tailroom the owner may use: the tailroom less reserved_tailroom (sk_stream_alloc_skb). */
static inline int skb_availroom(const struct sk_buff *skb)
{
	return skb_is_nonlinear(skb) ? 0 :
	       (int)(skb->end - skb->tail) - (int)skb->reserved_tailroom;
}
static inline void skb_reserve(struct sk_buff *skb, int len)
{
	skb->data += len;
	skb->tail += len;
}

static inline unsigned char *__skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb_tail_pointer(skb);
	skb->tail += len;
	skb->len += len;
	return tmp;
}
static inline unsigned char *__skb_push(struct sk_buff *skb, unsigned int len)
{
	skb->data -= len;
	skb->len += len;
	return skb->data;
}
static inline unsigned char *__skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->len -= len;
	BUG_ON(skb->len < skb->data_len);
	return skb->data += len;
}
/* DIVERGES: 3.10 has skb_put, skb_push and skb_pull out of line (skbuff.c); ulnet inlines
 * them, the overrun check staying and its report out of line: every segment and ACK sent
 * takes three skb_push (TCP, IP, Ethernet header), and a call costs more than the work. */
static inline unsigned char *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb_tail_pointer(skb);

	if (unlikely(skb_is_nonlinear(skb)))
		skb_panic(skb, len, "skb_put on a non-linear skb");
	skb->tail += len;
	skb->len += len;
	if (unlikely(skb->tail > skb->end))
		skb_panic(skb, len, "skb_over_panic");
	return tmp;
}
static inline unsigned char *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb_headroom(skb)))
		skb_panic(skb, len, "skb_under_panic");
	skb->data -= len;
	skb->len += len;
	return skb->data;
}
/* NULL if @len is more than the skb holds or than its linear part (use pskb_pull). */
static inline unsigned char *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb->len))
		return NULL;
	if (unlikely(skb->len - len < skb->data_len))
		return NULL;
	return __skb_pull(skb, len);
}
static inline unsigned char *__pskb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headlen(skb) && !__pskb_pull_tail(skb, (int)(len - skb_headlen(skb))))
		return NULL;
	skb->len -= len;
	return skb->data += len;
}
static inline unsigned char *pskb_pull(struct sk_buff *skb, unsigned int len)
{
	return unlikely(len > skb->len) ? NULL : __pskb_pull(skb, len);
}
/* Make sure the first @len bytes are linear (pulling from frags and frag_list). 1 if so, 0 if the
 * packet is shorter or memory ran out. Header pointers must be reloaded afterwards. */
static inline int pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	if (likely(len <= skb_headlen(skb)))
		return 1;
	if (unlikely(len > skb->len))
		return 0;
	return __pskb_pull_tail(skb, (int)(len - skb_headlen(skb))) != NULL;
}
static inline void __skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(skb_is_nonlinear(skb))) {
		WARN_ON(1);
		return;
	}
	skb->len = len;
	skb_set_tail_pointer(skb, (int)len);
}
static inline int __pskb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->data_len)
		return ___pskb_trim(skb, len);
	__skb_trim(skb, len);
	return 0;
}
static inline int pskb_trim(struct sk_buff *skb, unsigned int len)
{
	return (len < skb->len) ? __pskb_trim(skb, len) : 0;
}
/* Trim to @len and drop a CHECKSUM_COMPLETE sum that covered the removed bytes (ip_rcv,
 * udp_rcv: the IP/UDP length is shorter than the frame). 0 or -ENOMEM. (Added by i3a.) */
static inline int pskb_trim_rcsum(struct sk_buff *skb, unsigned int len)
{
	if (likely(len >= skb->len))
		return 0;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return __pskb_trim(skb, len);
}
static inline int skb_linearize(struct sk_buff *skb)
{
	return skb_is_nonlinear(skb) ? __skb_linearize(skb) : 0;
}

/* Header offsets. */
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (sk_buff_data_t)(skb->data - skb->head);
}
static inline void skb_set_transport_header(struct sk_buff *skb, const int offset)
{
	skb_reset_transport_header(skb);
	skb->transport_header += offset;
}
static inline bool skb_transport_header_was_set(const struct sk_buff *skb)
{
	return skb->transport_header != ~0U;
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (sk_buff_data_t)(skb->data - skb->head);
}
static inline void skb_set_network_header(struct sk_buff *skb, const int offset)
{
	skb_reset_network_header(skb);
	skb->network_header += offset;
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline int skb_mac_header_was_set(const struct sk_buff *skb)
{
	return skb->mac_header != ~0U;
}
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (sk_buff_data_t)(skb->data - skb->head);
}
static inline void skb_set_mac_header(struct sk_buff *skb, const int offset)
{
	skb_reset_mac_header(skb);
	skb->mac_header += offset;
}
static inline void skb_reset_mac_len(struct sk_buff *skb)
{
	skb->mac_len = (__u16)(skb->network_header - skb->mac_header);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}
static inline u32 skb_network_header_len(const struct sk_buff *skb)
{
	return skb->transport_header - skb->network_header;
}
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_checksum_start_offset(const struct sk_buff *skb)
{
	return (int)(skb->csum_start - skb_headroom(skb));
}

/* A pointer to @len bytes at @offset: into the skb when linear there, else copied to
 * @buffer. NULL if the packet is too short. */
static inline void *skb_header_pointer(const struct sk_buff *skb, int offset, int len,
				       void *buffer)
{
	int hlen = (int)skb_headlen(skb);
	if (offset >= 0 && len >= 0 && hlen - offset >= len)
		return skb->data + offset;
	if (skb_copy_bits(skb, offset, buffer, len) < 0)
		return NULL;
	return buffer;
}
static inline void skb_copy_from_linear_data(const struct sk_buff *skb, void *to,
					     const unsigned int len)
{
	memcpy(to, skb->data, len);
}
static inline void skb_copy_to_linear_data(struct sk_buff *skb, const void *from,
					   const unsigned int len)
{
	memcpy(skb->data, from, len);
}

/* References. */
static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	atomic_inc(&skb->users);
	return skb;
}
static inline int skb_shared(const struct sk_buff *skb)
{
	return atomic_read(&skb->users) != 1;
}
/* The data is shared with a clone: write only after skb_cow/pskb_expand_head. */
static inline int skb_cloned(const struct sk_buff *skb)
{
	return skb->cloned && (atomic_read(&skb_shinfo(skb)->dataref) & 0xffff) != 1;
}
/* The head cannot be handed to another skb: it is kmalloc'ed, or shared with clones. */
static inline bool skb_head_is_locked(const struct sk_buff *skb)
{
	return !skb->head_frag || skb_cloned(skb);
}
/* dataref counts both the whole (low 16 bits) and payload-only references (high 16 bits,
 * nohdr clones): the headers are shared when whole - payload > 1. */
#define SKB_DATAREF_SHIFT 16
#define SKB_DATAREF_MASK ((1 << SKB_DATAREF_SHIFT) - 1)
static inline int skb_header_cloned(const struct sk_buff *skb)
{
	int dataref;
	if (!skb->cloned)
		return 0;
	dataref = atomic_read(&skb_shinfo(skb)->dataref);
	dataref = (dataref & SKB_DATAREF_MASK) - (dataref >> SKB_DATAREF_SHIFT);
	return dataref != 1;
}
static inline int skb_unclone(struct sk_buff *skb, gfp_t pri)
{
	if (skb_cloned(skb))
		return pskb_expand_head(skb, 0, 0, pri);
	return 0;
}
/* If shared, replace @skb by a clone (the original reference is dropped). */
static inline struct sk_buff *skb_share_check(struct sk_buff *skb, gfp_t pri)
{
	if (skb_shared(skb)) {
		struct sk_buff *nskb = skb_clone(skb, pri);
		if (likely(nskb))
			consume_skb(skb);
		else
			kfree_skb(skb);
		skb = nskb;
	}
	return skb;
}
/* If the data is cloned, replace @skb by a private copy. */
static inline struct sk_buff *skb_unshare(struct sk_buff *skb, gfp_t pri)
{
	if (skb_cloned(skb)) {
		struct sk_buff *nskb = skb_copy(skb, pri);
		if (likely(nskb))
			consume_skb(skb);
		else
			kfree_skb(skb);
		skb = nskb;
	}
	return skb;
}
static inline int __skb_cow(struct sk_buff *skb, unsigned int headroom, int cloned)
{
	int delta = 0;
	if (headroom > skb_headroom(skb))
		delta = (int)(headroom - skb_headroom(skb));
	if (delta || cloned)
		return pskb_expand_head(skb, ALIGN(delta, NET_SKB_PAD), 0, GFP_ATOMIC);
	return 0;
}
/* Make the data private and give it at least @headroom of headroom. 0 or -ENOMEM. */
static inline int skb_cow(struct sk_buff *skb, unsigned int headroom)
{
	return __skb_cow(skb, headroom, skb_cloned(skb));
}
/* Same, when only the headers will be written. */
static inline int skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	return __skb_cow(skb, headroom, skb_header_cloned(skb));
}

/* Detach from the owning socket (runs the destructor: uncharges the socket). */
static inline void skb_orphan(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	skb->destructor = NULL;
	skb->sk = NULL;
}

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size;
}
static inline void skb_set_queue_mapping(struct sk_buff *skb, u16 queue_mapping)
{
	skb->queue_mapping = queue_mapping;
}
static inline u16 skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb->queue_mapping;
}
static inline void skb_record_rx_queue(struct sk_buff *skb, u16 rx_queue)
{
	skb->queue_mapping = rx_queue + 1;
}
static inline u16 skb_get_rx_queue(const struct sk_buff *skb)
{
	return skb->queue_mapping - 1;
}
static inline bool skb_rx_queue_recorded(const struct sk_buff *skb)
{
	return skb->queue_mapping != 0;
}

/* The flow hash of a received IPv4 packet (net/core/rps.c, as flow_dissector.c): jhash of the
 * addresses and, unless a fragment, the ports; sets skb->rxhash and l4_rxhash (ports used).
 * A driver's hash (RSS) without l4_rxhash is recomputed, as 3.10 does. */
void __skb_get_rxhash(struct sk_buff *skb);
static inline __u32 skb_get_rxhash(struct sk_buff *skb)
{
	if (!skb->l4_rxhash)
		__skb_get_rxhash(skb);
	return skb->rxhash;
}
static inline bool skb_csum_unnecessary(const struct sk_buff *skb)
{
	return skb->ip_summed & CHECKSUM_UNNECESSARY;
}

/* ---- queues ---- */

static inline void __skb_queue_head_init(struct sk_buff_head *list)
{
	list->prev = list->next = (struct sk_buff *)list;
	list->qlen = 0;
}
static inline void skb_queue_head_init(struct sk_buff_head *list)
{
	spin_lock_init(&list->lock);
	__skb_queue_head_init(list);
}
static inline int skb_queue_empty(const struct sk_buff_head *list)
{
	return list->next == (const struct sk_buff *)list;
}
static inline bool skb_queue_is_last(const struct sk_buff_head *list, const struct sk_buff *skb)
{
	return skb->next == (const struct sk_buff *)list;
}
static inline bool skb_queue_is_first(const struct sk_buff_head *list, const struct sk_buff *skb)
{
	return skb->prev == (const struct sk_buff *)list;
}
static inline __u32 skb_queue_len(const struct sk_buff_head *list)
{
	return list->qlen;
}
static inline struct sk_buff *skb_peek(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->next;
	if (skb == (const struct sk_buff *)list)
		skb = NULL;
	return skb;
}
static inline struct sk_buff *skb_peek_next(const struct sk_buff *skb,
					    const struct sk_buff_head *list)
{
	struct sk_buff *next = skb->next;
	if (next == (const struct sk_buff *)list)
		next = NULL;
	return next;
}
static inline struct sk_buff *skb_peek_tail(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->prev;
	if (skb == (const struct sk_buff *)list)
		skb = NULL;
	return skb;
}
static inline void __skb_insert(struct sk_buff *newsk, struct sk_buff *prev,
				struct sk_buff *next, struct sk_buff_head *list)
{
	newsk->next = next;
	newsk->prev = prev;
	((struct sk_buff_list *)next)->prev = newsk;
	((struct sk_buff_list *)prev)->next = newsk;
	list->qlen++;
}
static inline void __skb_queue_after(struct sk_buff_head *list, struct sk_buff *prev,
				     struct sk_buff *newsk)
{
	__skb_insert(newsk, prev, ((struct sk_buff_list *)prev)->next, list);
}
static inline void __skb_queue_before(struct sk_buff_head *list, struct sk_buff *next,
				      struct sk_buff *newsk)
{
	__skb_insert(newsk, ((struct sk_buff_list *)next)->prev, next, list);
}
static inline void __skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_queue_after(list, (struct sk_buff *)list, newsk);
}
static inline void __skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_queue_before(list, (struct sk_buff *)list, newsk);
}
static inline void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	struct sk_buff *next, *prev;
	list->qlen--;
	next = skb->next;
	prev = skb->prev;
	skb->next = skb->prev = NULL;
	((struct sk_buff_list *)next)->prev = prev;
	((struct sk_buff_list *)prev)->next = next;
}
static inline struct sk_buff *__skb_dequeue(struct sk_buff_head *list)
{
	struct sk_buff *skb = skb_peek(list);
	if (skb)
		__skb_unlink(skb, list);
	return skb;
}
static inline struct sk_buff *__skb_dequeue_tail(struct sk_buff_head *list)
{
	struct sk_buff *skb = skb_peek_tail(list);
	if (skb)
		__skb_unlink(skb, list);
	return skb;
}
static inline void __skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;
	while ((skb = __skb_dequeue(list)) != NULL)
		kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
}
static inline void __skb_queue_splice(const struct sk_buff_head *list, struct sk_buff *prev,
				      struct sk_buff *next)
{
	struct sk_buff *first = list->next;
	struct sk_buff *last = list->prev;
	first->prev = prev;
	((struct sk_buff_list *)prev)->next = first;
	last->next = next;
	((struct sk_buff_list *)next)->prev = last;
}
/* Move all of @list to the front of @head. */
static inline void skb_queue_splice_init(struct sk_buff_head *list, struct sk_buff_head *head)
{
	if (!skb_queue_empty(list)) {
		__skb_queue_splice(list, (struct sk_buff *)head, head->next);
		head->qlen += list->qlen;
		__skb_queue_head_init(list);
	}
}
/* Move all of @list to the back of @head (process_backlog uses it). */
static inline void skb_queue_splice_tail_init(struct sk_buff_head *list,
					      struct sk_buff_head *head)
{
	if (!skb_queue_empty(list)) {
		__skb_queue_splice(list, head->prev, (struct sk_buff *)head);
		head->qlen += list->qlen;
		__skb_queue_head_init(list);
	}
}

#define skb_queue_walk(queue, skb) \
	for (skb = (queue)->next; skb != (struct sk_buff *)(queue); skb = skb->next)
#define skb_queue_walk_safe(queue, skb, tmp)                                      \
	for (skb = (queue)->next, tmp = skb->next; skb != (struct sk_buff *)(queue); \
	     skb = tmp, tmp = skb->next)
#define skb_queue_reverse_walk(queue, skb) \
	for (skb = (queue)->prev; skb != (struct sk_buff *)(queue); skb = skb->prev)
#define skb_queue_reverse_walk_safe(queue, skb, tmp)                              \
	for (skb = (queue)->prev, tmp = skb->prev; skb != (struct sk_buff *)(queue); \
	     skb = tmp, tmp = skb->prev)
#define skb_walk_frags(skb, iter) \
	for (iter = skb_shinfo(skb)->frag_list; iter; iter = iter->next)

/* Forget the conntrack of @skb (3.10 nf_reset: a packet entering another namespace). */
static inline void nf_reset(struct sk_buff *skb)
{
	nf_conntrack_put(skb->nfct);
	skb->nfct = NULL;
}

#endif
