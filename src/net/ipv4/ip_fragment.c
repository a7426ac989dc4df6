/* SPDX-License-Identifier: MIT */
/* IPv4 reassembly: fragment queues per (id, saddr, daddr, protocol, user), their timeout,
 * and the memory bound that evicts old queues.
 * Mirrors linux/net/ipv4/ip_fragment.c and net/ipv4/inet_fragment.c (3.10): struct ipq,
 * ip_defrag, ip_find (inet_frag_find), ip_frag_queue, ip_frag_reasm, ip_expire, ip_evictor
 * (inet_frag_evictor), ip_frag_too_far, ip_frag_reinit, ipq_kill, inet_frag_destroy,
 * ip4_frags_ns_ctl_table, ipfrag_init; net.ipv4.ipfrag_{high_thresh, low_thresh, time,
 * secret_interval, max_dist}.
 *
 * Memory (facts.md §1.4): every queue charges sizeof(struct ipq) and every queued fragment
 * its truesize to net->ipv4.frags.mem; when a fragment arrives and the charge is above
 * ipfrag_high_thresh (4 MiB), the least recently used queues are dropped until it is below
 * ipfrag_low_thresh (3 MiB) (ReasmFails each). A queue lives ipfrag_time (30 s): then
 * ReasmTimeout + ReasmFails, and an ICMP time exceeded (fragment reassembly time exceeded,
 * RFC 792) when the first fragment had arrived.
 *
 * DIVERGES:
 *  - Malformed and overlapping fragments drop the whole datagram (ReasmFails), as Linux 4.19+
 *    does since FragmentSmack (CVE-2018-5391) and RFC 5722 asks for IPv6; 3.10 trimmed the
 *    overlap and kept going. An exact duplicate is dropped alone (the queue lives on). A
 *    fragment that would end past 65535 bytes kills its queue at once (3.10 noticed only
 *    when reassembling).
 *  - The datagram is rebuilt linear in the skb of the fragment that completed it (3.10 chains
 *    the fragments on frag_list after skb_morph'ing that skb into the head): one copy of the
 *    payload, and every later layer sees a linear packet.
 *  - The hash secret is renewed lazily on the first lookup after ipfrag_secret_interval
 *    instead of from a timer.
 * LOCKING: q->lock guards a queue; ip4_frags.lock guards the hash; nf->lru_lock the LRU list.
 * Order: q->lock, then the hash lock, then lru_lock. Context: softirq. */
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/random.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "linux/sysctl.h"
#include "linux/timer.h"
#include "net/icmp.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/route.h"
#include "trace/path.h"

/* NOTE. Logic of IP defragmentation is parallel to corresponding IPv6 code: a queue per
 * datagram, fragments sorted by offset. */

int sysctl_ipfrag_max_dist = 64;
int sysctl_ipfrag_secret_interval = 10 * 60 * HZ;

struct ipfrag_skb_cb {
	struct inet_skb_parm h;
	int offset;
};
#define FRAG_CB(skb) ((struct ipfrag_skb_cb *)((skb)->cb))

#define INET_FRAG_COMPLETE	4
#define INET_FRAG_FIRST_IN	2
#define INET_FRAG_LAST_IN	1

struct inet_frag_queue {
	spinlock_t lock;
	struct timer_list timer;	/* when will this queue expire? */
	struct list_head lru_list;	/* lru list member */
	struct hlist_node list;		/* hash chain */
	atomic_t refcnt;
	struct sk_buff *fragments;	/* list of received fragments, by offset */
	struct sk_buff *fragments_tail;
	ktime_t stamp;
	int len;			/* total length of orig datagram */
	int meat;			/* bytes received so far */
	__u8 last_in;			/* first/last segment arrived? */
	u16 max_size;			/* largest DF fragment (frag_max_size) */
	struct netns_frags *net;
};

/* Describe an entry in the "incomplete datagrams" queue. */
struct ipq {
	struct inet_frag_queue q;
	u32 user;
	__be32 saddr;
	__be32 daddr;
	__be16 id;
	u8 protocol;
	u8 ecn;				/* RFC 3168 support */
	int iif;
	unsigned int rid;
	struct inet_peer *peer;
};

#define INETFRAGS_HASHSZ	64
/* Above 128 queues in one bucket, a new queue is refused (3.10 INETFRAGS_MAXDEPTH). */
#define INETFRAGS_MAXDEPTH	128

static struct {
	struct hlist_head hash[INETFRAGS_HASHSZ];
	spinlock_t lock;
	u32 rnd;
	unsigned long last_rebuild;
	bool inited;
} ip4_frags;

/* RFC 3168 support: the ECN codepoints seen in the fragments of a datagram. */
#define IPFRAG_ECN_NOT_ECT	0x01 /* one frag had ECN_NOT_ECT */
#define IPFRAG_ECN_ECT_1	0x02 /* one frag had ECN_ECT_1 */
#define IPFRAG_ECN_ECT_0	0x04 /* one frag had ECN_ECT_0 */
#define IPFRAG_ECN_CE		0x08 /* one frag had ECN_CE */
#define INET_ECN_MASK		3
#define INET_ECN_CE		3

static inline u8 ip4_frag_ecn(u8 tos)
{
	return 1 << (tos & INET_ECN_MASK);
}

/* Given the OR values of all fragments, apply RFC 3168 5.3 requirements; 0xff is invalid
 * (drop). */
static const u8 ip_frag_ecn_table[16] = {
	/* at least one fragment had CE, and others ECT_0 or ECT_1 */
	[IPFRAG_ECN_CE | IPFRAG_ECN_ECT_0] = INET_ECN_CE,
	[IPFRAG_ECN_CE | IPFRAG_ECN_ECT_1] = INET_ECN_CE,
	[IPFRAG_ECN_CE | IPFRAG_ECN_ECT_0 | IPFRAG_ECN_ECT_1] = INET_ECN_CE,
	/* invalid combinations : drop frame */
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_CE] = 0xff,
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_ECT_0] = 0xff,
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_ECT_1] = 0xff,
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_ECT_0 | IPFRAG_ECN_ECT_1] = 0xff,
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_CE | IPFRAG_ECN_ECT_0] = 0xff,
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_CE | IPFRAG_ECN_ECT_1] = 0xff,
	[IPFRAG_ECN_NOT_ECT | IPFRAG_ECN_CE | IPFRAG_ECN_ECT_0 | IPFRAG_ECN_ECT_1] = 0xff,
};

static struct net *frag_net(struct inet_frag_queue *q)
{
	return container_of(q->net, struct net, ipv4.frags);
}

/* Bob Jenkins' lookup3 final mix of three words (jhash_3words). */
#define rol32(x, k) (((x) << (k)) | ((x) >> (32 - (k))))
static u32 jhash_3words(u32 a, u32 b, u32 c, u32 initval)
{
	a += 0xdeadbeef + (3 << 2) + initval;
	b += 0xdeadbeef + (3 << 2) + initval;
	c += 0xdeadbeef + (3 << 2) + initval;
	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
	return c;
}

static unsigned int ipqhashfn(__be16 id, __be32 saddr, __be32 daddr, u8 prot)
{
	return jhash_3words((u32)id << 16 | prot, (u32)saddr, (u32)daddr, ip4_frags.rnd) &
	       (INETFRAGS_HASHSZ - 1);
}

static unsigned int ip4_hashfn(struct inet_frag_queue *q)
{
	struct ipq *ipq = container_of(q, struct ipq, q);

	return ipqhashfn(ipq->id, ipq->saddr, ipq->daddr, ipq->protocol);
}

/* New secret: rehash every queue (3.10 inet_frag_secret_rebuild). Caller holds the hash
 * lock. */
static void inet_frag_secret_rebuild(void)
{
	struct hlist_head old[INETFRAGS_HASHSZ];
	struct inet_frag_queue *q;
	struct hlist_node *n;
	int i;

	for (i = 0; i < INETFRAGS_HASHSZ; i++) {
		old[i].first = ip4_frags.hash[i].first;
		if (old[i].first)
			old[i].first->pprev = &old[i].first;
		INIT_HLIST_HEAD(&ip4_frags.hash[i]);
	}
	ip4_frags.rnd = prandom_u32();
	for (i = 0; i < INETFRAGS_HASHSZ; i++) {
		hlist_for_each_entry_safe(q, n, &old[i], list) {
			hlist_del(&q->list);
			hlist_add_head(&q->list, &ip4_frags.hash[ip4_hashfn(q)]);
		}
	}
	ip4_frags.last_rebuild = jiffies;
}

/* ---- queue life ---- */

static void add_frag_mem_limit(struct inet_frag_queue *q, int i)
{
	atomic_add(i, &q->net->mem);
}

static void sub_frag_mem_limit(struct inet_frag_queue *q, int i)
{
	atomic_sub(i, &q->net->mem);
}

static void inet_frag_destroy(struct inet_frag_queue *q, int *work)
{
	struct ipq *qp = container_of(q, struct ipq, q);
	struct sk_buff *fp;
	int sum_truesize = 0;

	WARN_ON(!(q->last_in & INET_FRAG_COMPLETE));
	WARN_ON(timer_pending(&q->timer));

	/* Release all fragment data. */
	fp = q->fragments;
	while (fp) {
		struct sk_buff *xp = fp->next;

		sum_truesize += (int)fp->truesize;
		kfree_skb_reason(fp, SKB_DROP_REASON_FRAG_REASM_TIMEOUT);
		fp = xp;
	}
	sum_truesize += (int)sizeof(struct ipq);
	if (work)
		*work -= sum_truesize;
	sub_frag_mem_limit(q, sum_truesize);
	if (qp->peer)
		inet_putpeer(qp->peer);
	kfree(qp);
}

static inline void ipq_put(struct ipq *ipq)
{
	if (atomic_dec_and_test(&ipq->q.refcnt))
		inet_frag_destroy(&ipq->q, NULL);
}

/* Unhash and take off the LRU. Caller holds q->lock. */
static void inet_frag_kill(struct inet_frag_queue *q)
{
	if (del_timer(&q->timer))
		atomic_dec(&q->refcnt);

	if (!(q->last_in & INET_FRAG_COMPLETE)) {
		spin_lock(&ip4_frags.lock);
		hlist_del(&q->list);
		spin_unlock(&ip4_frags.lock);
		spin_lock(&q->net->lru_lock);
		list_del(&q->lru_list);
		q->net->nqueues--;
		spin_unlock(&q->net->lru_lock);
		atomic_dec(&q->refcnt);
		q->last_in |= INET_FRAG_COMPLETE;
	}
}

/* Kill ipq entry. It is not destroyed immediately, because caller (and someone more) holds
 * reference count. */
static void ipq_kill(struct ipq *ipq)
{
	inet_frag_kill(&ipq->q);
}

static void ip_expire(struct timer_list *t);

/* Find or create the queue of @iph's datagram. Referenced; NULL on failure (no memory, a
 * bucket too long). */
static struct ipq *ip_find(struct net *net, const struct iphdr *iph, u32 user)
{
	struct netns_frags *nf = &net->ipv4.frags;
	struct inet_frag_queue *q;
	struct ipq *qp;
	unsigned int hash;
	int depth = 0;

	spin_lock(&ip4_frags.lock);
	if (time_after(jiffies, ip4_frags.last_rebuild +
				(unsigned long)sysctl_ipfrag_secret_interval))
		inet_frag_secret_rebuild();
	hash = ipqhashfn(iph->id, iph->saddr, iph->daddr, iph->protocol);
	hlist_for_each_entry(q, &ip4_frags.hash[hash], list) {
		qp = container_of(q, struct ipq, q);
		if (q->net == nf && qp->id == iph->id && qp->saddr == iph->saddr &&
		    qp->daddr == iph->daddr && qp->protocol == iph->protocol &&
		    qp->user == user) {
			atomic_inc(&q->refcnt);
			spin_unlock(&ip4_frags.lock);
			return qp;
		}
		depth++;
	}
	if (depth > INETFRAGS_MAXDEPTH) {
		spin_unlock(&ip4_frags.lock);
		net_dbg_ratelimited("ip_frag_find: Fragment hash bucket list length grew over "
				    "limit %d. Dropping fragment.\n", INETFRAGS_MAXDEPTH);
		return NULL;
	}

	/* inet_frag_create: a new queue, charged to the namespace. */
	qp = kzalloc(sizeof(*qp), GFP_ATOMIC);
	if (!qp) {
		spin_unlock(&ip4_frags.lock);
		return NULL;
	}
	q = &qp->q;
	q->net = nf;
	spin_lock_init(&q->lock);
	timer_setup(&q->timer, ip_expire, 0);
	qp->protocol = iph->protocol;
	qp->id = iph->id;
	qp->ecn = ip4_frag_ecn(iph->tos);
	qp->saddr = iph->saddr;
	qp->daddr = iph->daddr;
	qp->user = user;
	qp->peer = sysctl_ipfrag_max_dist ? inet_getpeer_v4(net->ipv4.peers, iph->saddr, 1) : NULL;
	add_frag_mem_limit(q, sizeof(struct ipq));

	/* One reference for the caller, one for the hash, one for the timer. */
	atomic_set(&q->refcnt, 3);
	mod_timer(&q->timer, jiffies + (unsigned long)nf->timeout);
	hlist_add_head(&q->list, &ip4_frags.hash[hash]);
	spin_lock(&nf->lru_lock);
	list_add_tail(&q->lru_list, &nf->lru_list);
	nf->nqueues++;
	spin_unlock(&nf->lru_lock);
	spin_unlock(&ip4_frags.lock);
	return qp;
}

/* Memory limiting on fragments: drop the oldest queues until the charge is under
 * low_thresh (everything with @force). Returns the number of queues evicted. */
static int inet_frag_evictor(struct netns_frags *nf, bool force)
{
	struct inet_frag_queue *q;
	int work, evicted = 0;

	if (!force && atomic_read(&nf->mem) <= nf->high_thresh)
		return 0;

	work = atomic_read(&nf->mem) - nf->low_thresh;
	while (work > 0 || force) {
		spin_lock(&nf->lru_lock);
		if (list_empty(&nf->lru_list)) {
			spin_unlock(&nf->lru_lock);
			break;
		}
		q = list_first_entry(&nf->lru_list, struct inet_frag_queue, lru_list);
		atomic_inc(&q->refcnt);
		/* Remove q from list to avoid several CPUs grabbing it */
		list_del_init(&q->lru_list);
		spin_unlock(&nf->lru_lock);

		spin_lock(&q->lock);
		if (!(q->last_in & INET_FRAG_COMPLETE))
			inet_frag_kill(q);
		spin_unlock(&q->lock);

		if (atomic_dec_and_test(&q->refcnt))
			inet_frag_destroy(q, &work);
		evicted++;
	}
	return evicted;
}

static void ip_evictor(struct net *net)
{
	int evicted = inet_frag_evictor(&net->ipv4.frags, false);

	if (evicted)
		IP_ADD_STATS_BH(net, IPSTATS_MIB_REASMFAILS, evicted);
}

/* Oops, a fragment queue timed out. Kill it and send an ICMP reply. Context: softirq
 * (TIMER_SOFTIRQ). */
static void ip_expire(struct timer_list *t)
{
	struct inet_frag_queue *q = from_timer(q, t, timer);
	struct ipq *qp = container_of(q, struct ipq, q);
	struct net *net = frag_net(q);

	UL_TRACE_FN();
	spin_lock(&qp->q.lock);
	if (qp->q.last_in & INET_FRAG_COMPLETE)
		goto out;

	ipq_kill(qp);
	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMTIMEOUT);
	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMFAILS);

	if ((qp->q.last_in & INET_FRAG_FIRST_IN) && qp->q.fragments) {
		struct sk_buff *head = qp->q.fragments;
		const struct iphdr *iph;
		int err;

		rcu_read_lock();
		head->dev = dev_get_by_index_rcu(net, qp->iif);
		if (!head->dev)
			goto out_rcu_unlock;

		/* The queued head had its header pulled: quote it from the header. */
		__skb_push(head, (unsigned int)(head->data - skb_network_header(head)));

		/* skb has no dst, perform route lookup again */
		iph = ip_hdr(head);
		err = ip_route_input_noref(head, iph->daddr, iph->saddr, iph->tos, head->dev);
		if (err)
			goto out_rcu_unlock;

		/* Only an end host needs to send an ICMP "Fragment Reassembly Timeout"
		 * message, per RFC 792. */
		if (qp->user == IP_DEFRAG_AF_PACKET ||
		    (qp->user == IP_DEFRAG_CONNTRACK_IN &&
		     skb_rtable(head)->rt_type != RTN_LOCAL))
			goto out_rcu_unlock;

		/* Send an ICMP "Fragment Reassembly Timeout" message. */
		icmp_send(head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
out_rcu_unlock:
		rcu_read_unlock();
	}
out:
	spin_unlock(&qp->q.lock);
	/* The timer's reference. */
	ipq_put(qp);
}

/* Is the fragment too far ahead to be part of ipq? (ipfrag_max_dist: more than that many
 * fragments from the same source arrived since this queue's last one.) */
static int ip_frag_too_far(struct ipq *qp)
{
	struct inet_peer *peer = qp->peer;
	unsigned int max = (unsigned int)sysctl_ipfrag_max_dist;
	unsigned int start, end;
	int rc;

	if (!peer || !max)
		return 0;

	start = qp->rid;
	end = (unsigned int)atomic_inc_return(&peer->rid);
	qp->rid = end;

	rc = qp->q.fragments && (end - start) > max;
	if (rc)
		IP_INC_STATS_BH(frag_net(&qp->q), IPSTATS_MIB_REASMFAILS);
	return rc;
}

static int ip_frag_reinit(struct ipq *qp)
{
	struct sk_buff *fp;
	int sum_truesize;

	if (!mod_timer(&qp->q.timer, jiffies + (unsigned long)qp->q.net->timeout)) {
		atomic_inc(&qp->q.refcnt);
		return -ETIMEDOUT;
	}

	fp = qp->q.fragments;
	sum_truesize = 0;
	while (fp) {
		struct sk_buff *xp = fp->next;

		sum_truesize += (int)fp->truesize;
		kfree_skb_reason(fp, SKB_DROP_REASON_FRAG_TOO_FAR);
		fp = xp;
	}
	sub_frag_mem_limit(&qp->q, sum_truesize);

	qp->q.last_in = 0;
	qp->q.len = 0;
	qp->q.meat = 0;
	qp->q.fragments = NULL;
	qp->q.fragments_tail = NULL;
	qp->iif = 0;
	qp->ecn = 0;
	return 0;
}

/* Build the whole datagram in @skb (the fragment that completed it, unlinked from the
 * queue): its IP header is the first fragment's, the payload is copied in from every
 * fragment in offset order. Caller holds qp->q.lock. 0 or -errno (ReasmFails). */
static int ip_frag_reasm(struct ipq *qp, struct sk_buff *skb)
{
	struct net *net = frag_net(&qp->q);
	struct sk_buff *fp, *head;
	unsigned int ihlen, before, after, len;
	struct iphdr *iph;
	int err, nhead, ntail;
	u8 ecn;

	UL_TRACE(skb);
	ipq_kill(qp);

	ecn = ip_frag_ecn_table[qp->ecn];
	if (unlikely(ecn == 0xff)) {
		err = -EINVAL;
		goto out_fail;
	}

	/* Unlink the completing fragment: it becomes the datagram. */
	if (qp->q.fragments == skb) {
		qp->q.fragments = skb->next;
	} else {
		for (fp = qp->q.fragments; fp->next != skb; fp = fp->next)
			;
		fp->next = skb->next;
	}
	skb->next = NULL;
	sub_frag_mem_limit(&qp->q, (int)skb->truesize);

	head = FRAG_CB(skb)->offset == 0 ? skb : qp->q.fragments;
	if (WARN_ON(!head || FRAG_CB(head)->offset != 0)) {
		err = -EINVAL;
		goto out_fail;
	}
	ihlen = ip_hdrlen(head);
	len = ihlen + (unsigned int)qp->q.len;
	err = -E2BIG;
	if (len > 65535)
		goto out_oversize;

	/* Room for the header and the fragments before @skb in front of its data, and for
	 * those after it behind; the data must be ours (not shared with a tap's clone). */
	err = -ENOMEM;
	if (skb_linearize(skb))
		goto out_nomem;
	before = ihlen + (unsigned int)FRAG_CB(skb)->offset;
	after = (unsigned int)qp->q.len - (unsigned int)FRAG_CB(skb)->offset - skb->len;
	nhead = (int)before - (int)skb_headroom(skb);
	ntail = (int)after - skb_tailroom(skb);
	if (nhead < 0)
		nhead = 0;
	if (ntail < 0)
		ntail = 0;
	if ((nhead || ntail || skb_cloned(skb)) &&
	    pskb_expand_head(skb, nhead, ntail, GFP_ATOMIC))
		goto out_nomem;

	{
		unsigned char *start = skb->data - FRAG_CB(skb)->offset;

		/* The fragments tile [0, q.len) exactly: overlaps killed the queue. */
		for (fp = qp->q.fragments; fp; fp = fp->next) {
			if (skb_copy_bits(fp, 0, start + FRAG_CB(fp)->offset, (int)fp->len))
				goto out_nomem;
		}
		__skb_put(skb, after);
		__skb_push(skb, (unsigned int)FRAG_CB(skb)->offset);
	}
	/* The first fragment's header (with its options). */
	__skb_push(skb, ihlen);
	memmove(skb->data, skb_network_header(head), ihlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, (int)ihlen);
	skb->ip_summed = CHECKSUM_NONE;
	skb->tstamp = qp->q.stamp;
	IPCB(skb)->frag_max_size = qp->q.max_size;
	if (head != skb)
		IPCB(skb)->opt = IPCB(head)->opt;

	/* The other fragments did their job. */
	while ((fp = qp->q.fragments) != NULL) {
		qp->q.fragments = fp->next;
		sub_frag_mem_limit(&qp->q, (int)fp->truesize);
		consume_skb(fp);
	}
	qp->q.fragments_tail = NULL;

	iph = ip_hdr(skb);
	/* max_size != 0 implies at least one fragment had IP_DF set */
	iph->frag_off = qp->q.max_size ? htons(IP_DF) : 0;
	iph->tot_len = htons((u16)len);
	iph->tos |= ecn;
	ip_send_check(iph);
	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMOKS);
	return 0;

out_nomem:
	net_dbg_ratelimited("queue_glue: no memory for gluing queue %p\n", (void *)qp);
	err = -ENOMEM;
	goto out_fail;
out_oversize:
	net_info_ratelimited("Oversized IP packet from %08x\n", ntohl(qp->saddr));
out_fail:
	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMFAILS);
	kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
	return err;
}

/* Add new segment to existing queue. Consumes @skb unless the datagram completes in it
 * (0). Caller holds qp->q.lock. */
static int ip_frag_queue(struct ipq *qp, struct sk_buff *skb)
{
	struct net *net = frag_net(&qp->q);
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct sk_buff *prev, *next;
	struct net_device *dev;
	int flags, offset, ihl, end;
	int err = -ENOENT;
	u8 ecn;

	UL_TRACE(skb);
	if (qp->q.last_in & INET_FRAG_COMPLETE)
		goto err;

	if (!(IPCB(skb)->flags & IPSKB_FRAG_COMPLETE) && unlikely(ip_frag_too_far(qp)) &&
	    unlikely(err = ip_frag_reinit(qp))) {
		ipq_kill(qp);
		reason = SKB_DROP_REASON_FRAG_TOO_FAR;
		goto err;
	}

	ecn = ip4_frag_ecn(ip_hdr(skb)->tos);
	offset = ntohs(ip_hdr(skb)->frag_off);
	flags = offset & ~IP_OFFSET;
	offset &= IP_OFFSET;
	offset <<= 3;		/* offset is in 8-byte chunks */
	ihl = (int)ip_hdrlen(skb);

	/* Determine the position of this fragment. */
	end = offset + (int)skb->len - ihl;
	err = -EINVAL;

	/* RFC 791: a datagram is at most 65535 bytes (the "ping of death"). */
	if (end + ihl > 65535) {
		reason = SKB_DROP_REASON_PKT_TOO_BIG;
		goto discard_qp;
	}

	/* Is this the final fragment? */
	if ((flags & IP_MF) == 0) {
		/* If we already have some bits beyond end or have different end, the segment
		 * is corrupted. */
		if (end < qp->q.len ||
		    ((qp->q.last_in & INET_FRAG_LAST_IN) && end != qp->q.len))
			goto discard_qp;
		qp->q.last_in |= INET_FRAG_LAST_IN;
		qp->q.len = end;
	} else {
		if (end & 7) {
			end &= ~7;
			if (skb->ip_summed != CHECKSUM_UNNECESSARY)
				skb->ip_summed = CHECKSUM_NONE;
		}
		if (end > qp->q.len) {
			/* Some bits beyond end -> corruption. */
			if (qp->q.last_in & INET_FRAG_LAST_IN)
				goto discard_qp;
			qp->q.len = end;
		}
	}
	/* A fragment without data (or less than 8 bytes with MF: RFC 1858's tiny
	 * fragments). */
	if (end == offset)
		goto discard_qp;

	err = -ENOMEM;
	if (!pskb_pull(skb, (unsigned int)ihl)) {
		reason = SKB_DROP_REASON_NOMEM;
		goto discard_qp;
	}
	err = pskb_trim_rcsum(skb, (unsigned int)(end - offset));
	if (err) {
		reason = SKB_DROP_REASON_NOMEM;
		goto discard_qp;
	}

	/* Find out which fragments are in front and at the back of us in the chain of
	 * fragments so far. We must know where to put this fragment, right? */
	prev = qp->q.fragments_tail;
	if (!prev || FRAG_CB(prev)->offset < offset) {
		next = NULL;
		goto found;
	}
	prev = NULL;
	for (next = qp->q.fragments; next; next = next->next) {
		if (FRAG_CB(next)->offset >= offset)
			break;	/* bingo! */
		prev = next;
	}

found:
	/* An exact duplicate is harmless: drop it alone. Any other overlap with the
	 * neighbours kills the datagram (see DIVERGES above). */
	if (next && FRAG_CB(next)->offset == offset && (int)next->len == end - offset) {
		err = -EINVAL;
		reason = SKB_DROP_REASON_DUP_FRAG;
		goto err;
	}
	err = -EINVAL;
	if (prev && FRAG_CB(prev)->offset + (int)prev->len > offset) {
		reason = SKB_DROP_REASON_DUP_FRAG;
		goto discard_qp;
	}
	if (next && FRAG_CB(next)->offset < end) {
		reason = SKB_DROP_REASON_DUP_FRAG;
		goto discard_qp;
	}

	FRAG_CB(skb)->offset = offset;

	/* Insert this fragment in the chain of fragments. */
	skb->next = next;
	if (!next)
		qp->q.fragments_tail = skb;
	if (prev)
		prev->next = skb;
	else
		qp->q.fragments = skb;

	dev = skb->dev;
	if (dev)
		qp->iif = dev->ifindex;
	qp->q.stamp = skb->tstamp;
	qp->q.meat += (int)skb->len;
	qp->ecn |= ecn;
	add_frag_mem_limit(&qp->q, (int)skb->truesize);
	if (offset == 0)
		qp->q.last_in |= INET_FRAG_FIRST_IN;

	if ((ip_hdr(skb)->frag_off & htons(IP_DF)) &&
	    skb->len + (unsigned int)ihl > qp->q.max_size)
		qp->q.max_size = (u16)(skb->len + (unsigned int)ihl);

	if (qp->q.last_in == (INET_FRAG_FIRST_IN | INET_FRAG_LAST_IN) &&
	    qp->q.meat == qp->q.len) {
		unsigned long orefdst = skb->_skb_refdst;

		skb->_skb_refdst = 0UL;
		err = ip_frag_reasm(qp, skb);
		if (!err)
			skb->_skb_refdst = orefdst;
		else if (!(orefdst & SKB_DST_NOREF))
			dst_release((struct dst_entry *)(orefdst & SKB_DST_PTRMASK));
		return err;
	}

	/* Queued fragments keep no route (it may go away before the datagram completes). */
	skb_dst_drop(skb);
	skb->dev = NULL;

	/* inet_frag_lru_move: most recently used at the tail. */
	spin_lock(&qp->q.net->lru_lock);
	list_move_tail(&qp->q.lru_list, &qp->q.net->lru_list);
	spin_unlock(&qp->q.net->lru_lock);
	return -EINPROGRESS;

discard_qp:
	ipq_kill(qp);
	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMFAILS);
err:
	kfree_skb_reason(skb, reason);
	return err;
}

/* Process an incoming IP datagram fragment. 0: @skb is now the whole datagram. */
int ip_defrag(struct sk_buff *skb, u32 user)
{
	struct ipq *qp;
	struct net *net;

	UL_TRACE(skb);
	net = skb->dev ? dev_net(skb->dev) : dev_net(skb_dst(skb)->dev);
	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMREQDS);

	/* Start by cleaning up the memory. */
	ip_evictor(net);

	/* Lookup (or create) queue header */
	qp = ip_find(net, ip_hdr(skb), user);
	if (qp) {
		int ret;

		spin_lock(&qp->q.lock);
		ret = ip_frag_queue(qp, skb);
		spin_unlock(&qp->q.lock);
		ipq_put(qp);
		return ret;
	}

	IP_INC_STATS_BH(net, IPSTATS_MIB_REASMFAILS);
	kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
	return -ENOMEM;
}

int ip_frag_mem(struct net *net)
{
	return atomic_read(&net->ipv4.frags.mem);
}

int ip_frag_nqueues(struct net *net)
{
	return net->ipv4.frags.nqueues;
}

/* ---- sysctls and namespaces ---- */

static int zero;

#define FRAGS_OFF(field) offsetof(struct net, ipv4.frags.field)
static struct ctl_table ip4_frags_ns_ctl_table[] = {
	{
		.procname = "ipfrag_high_thresh",
		.data = (void *)FRAGS_OFF(high_thresh),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "ipfrag_low_thresh",
		.data = (void *)FRAGS_OFF(low_thresh),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "ipfrag_time",
		.data = (void *)FRAGS_OFF(timeout),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_jiffies,
	},
	{ .procname = NULL }
};

static struct ctl_table ip4_frags_ctl_table[] = {
	{
		.procname = "ipfrag_secret_interval",
		.data = &sysctl_ipfrag_secret_interval,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_jiffies,
	},
	{
		.procname = "ipfrag_max_dist",
		.data = &sysctl_ipfrag_max_dist,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &zero,
	},
	{ .procname = NULL }
};

static int ipv4_frags_init_net(struct net *net)
{
	struct netns_frags *nf = &net->ipv4.frags;

	/* Fragment cache limits: at most 4 MiB; when 4 MiB is reached, queues are destroyed
	 * (oldest first) until 3 MiB is left. */
	nf->high_thresh = 4 * 1024 * 1024;
	nf->low_thresh = 3 * 1024 * 1024;
	/* Important NOTE! Fragment queue must be destroyed before MSL expires. RFC 791 is
	 * wrong proposing to prolongate timer each fragment arrival by TTL. */
	nf->timeout = IP_FRAG_TIME;
	nf->nqueues = 0;
	atomic_set(&nf->mem, 0);
	INIT_LIST_HEAD(&nf->lru_list);
	spin_lock_init(&nf->lru_lock);
	return 0;
}

static void ipv4_frags_exit_net(struct net *net)
{
	struct netns_frags *nf = &net->ipv4.frags;

	local_bh_disable();
	inet_frag_evictor(nf, true);
	local_bh_enable();
	if (atomic_read(&nf->mem))
		pr_warn("ip_fragment: %d bytes of fragments left at namespace exit\n",
			atomic_read(&nf->mem));
}

static struct pernet_operations ip4_frags_ops = {
	.init = ipv4_frags_init_net,
	.exit = ipv4_frags_exit_net,
};

int ipfrag_init(void)
{
	int i, err;

	for (i = 0; i < INETFRAGS_HASHSZ; i++)
		INIT_HLIST_HEAD(&ip4_frags.hash[i]);
	spin_lock_init(&ip4_frags.lock);
	ip4_frags.rnd = prandom_u32();
	ip4_frags.last_rebuild = jiffies;

	err = register_pernet_subsys(&ip4_frags_ops);
	if (err)
		return err;
	err = register_net_sysctl_offset("net/ipv4", ip4_frags_ns_ctl_table);
	if (!err)
		err = register_sysctl_table_path("net/ipv4", ip4_frags_ctl_table);
	if (err) {
		unregister_pernet_subsys(&ip4_frags_ops);
		return err;
	}
	ip4_frags.inited = true;
	return 0;
}

void ipfrag_fini(void)
{
	if (!ip4_frags.inited)
		return;
	/* (The sysctl entries go with the "net/ipv4" path in ipv4_sysctl_fini.) */
	unregister_pernet_subsys(&ip4_frags_ops);
	ip4_frags.inited = false;
}
