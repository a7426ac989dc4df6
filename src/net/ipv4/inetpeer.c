/* SPDX-License-Identifier: MIT */
/* The per-destination store of IPv4 peers (IP ID counters, ICMP rate limits).
 * Mirrors linux/net/ipv4/inetpeer.c (3.10): inet_initpeers, inet_getpeer, inet_putpeer,
 * inet_peer_xrlim_allow, and route.c's ipv4_inetpeer_init/exit (the per-namespace base).
 * See net/inetpeer.h for how ulnet's store differs. */
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/slab.h"
#include "net/inetpeer.h"
#include "net/net_namespace.h"

int inet_peer_threshold = 65536 + 128;	/* start to throw entries more aggressively */
int inet_peer_minttl = 120 * HZ;	/* TTL under high load: 120 sec */
int inet_peer_maxttl = 10 * 60 * HZ;	/* usual time to live: 10 min */

#define XRLIM_BURST_FACTOR 6

static struct kmem_cache *peer_cachep;

/* A peer and the store it belongs to (inet_putpeer needs the store's lock and list; 3.10
 * finds it through the family's single tree). */
struct inet_peer_full {
	struct inet_peer p;
	struct inet_peer_base *base;
};

static struct inet_peer_base *peer_base_of(struct inet_peer *p)
{
	return container_of(p, struct inet_peer_full, p)->base;
}

static unsigned int peer_hash(__be32 daddr)
{
	u32 h = (u32)daddr * 0x9e3779b1u;
	return h >> (32 - 8);
}

static void peer_free(struct inet_peer_base *base, struct inet_peer *p)
{
	hlist_del(&p->hash);
	list_del(&p->unused);
	base->total--;
	kmem_cache_free(peer_cachep, container_of(p, struct inet_peer_full, p));
}

/* Free unused entries that lived past their ttl: the ttl shrinks from maxttl towards minttl
 * as the store fills up to inet_peer_threshold (3.10 inet_peer_gc). At most @budget
 * entries are examined. Caller holds base->lock. */
static void inet_peer_gc(struct inet_peer_base *base, int budget)
{
	struct inet_peer *p, *n;
	unsigned long ttl;
	u32 now = (u32)jiffies;

	if (base->total >= inet_peer_threshold)
		ttl = inet_peer_minttl;
	else
		ttl = inet_peer_maxttl -
		      (inet_peer_maxttl - inet_peer_minttl) / HZ * base->total /
			      inet_peer_threshold * HZ;
	list_for_each_entry_safe(p, n, &base->unused, unused) {
		if (budget-- <= 0)
			break;
		if (now - p->dtime <= ttl)
			break; /* the list is oldest first */
		peer_free(base, p);
	}
}

struct inet_peer *inet_getpeer_v4(struct inet_peer_base *base, __be32 daddr, int create)
{
	struct hlist_head *head;
	struct inet_peer *p;

	if (!base)
		return NULL;
	head = &base->hash[peer_hash(daddr)];
	spin_lock_bh(&base->lock);
	inet_peer_gc(base, 8);
	hlist_for_each_entry(p, head, hash) {
		if (p->daddr == daddr) {
			if (atomic_inc_return(&p->refcnt) == 1)
				list_del_init(&p->unused);
			spin_unlock_bh(&base->lock);
			return p;
		}
	}
	p = NULL;
	if (create && peer_cachep) {
		struct inet_peer_full *pf = kmem_cache_zalloc(peer_cachep, GFP_ATOMIC);

		if (pf) {
			pf->base = base;
			p = &pf->p;
		}
	}
	if (p) {
		p->daddr = daddr;
		atomic_set(&p->refcnt, 1);
		/* 3.10 seeds it with secure_ip_id(daddr); ulnet's RNG is seeded per run. */
		atomic_set(&p->ip_id_count, (int)prandom_u32());
		p->rate_tokens = 0;
		/* 60*HZ in the past, so that the first ICMP error finds a full bucket as in
		 * 3.10 (rate_last = jiffies - 60*HZ). */
		p->rate_last = jiffies - 60 * HZ;
		INIT_LIST_HEAD(&p->unused);
		hlist_add_head(&p->hash, head);
		base->total++;
	}
	spin_unlock_bh(&base->lock);
	return p;
}


void inet_putpeer(struct inet_peer *p)
{
	struct inet_peer_base *base;

	if (!p)
		return;
	base = peer_base_of(p);
	spin_lock_bh(&base->lock);
	if (atomic_dec_and_test(&p->refcnt)) {
		p->dtime = (u32)jiffies;
		list_add_tail(&p->unused, &base->unused);
	}
	spin_unlock_bh(&base->lock);
}

/* RFC 1812 4.3.2.8 / 3.10 inet_peer_xrlim_allow: a token bucket of jiffies, refilled with
 * the time elapsed since the last call, capped at XRLIM_BURST_FACTOR * @timeout. */
bool inet_peer_xrlim_allow(struct inet_peer *peer, int timeout)
{
	unsigned long now, token;
	bool rc = false;

	if (!peer)
		return true;
	token = peer->rate_tokens;
	now = jiffies;
	token += now - peer->rate_last;
	peer->rate_last = now;
	if (token > XRLIM_BURST_FACTOR * (unsigned long)timeout)
		token = XRLIM_BURST_FACTOR * (unsigned long)timeout;
	if (token >= (unsigned long)timeout) {
		token -= (unsigned long)timeout;
		rc = true;
	}
	peer->rate_tokens = (u32)token;
	return rc;
}

/* ---- per-namespace stores ---- */

static int ipv4_inetpeer_init(struct net *net)
{
	struct inet_peer_base *bp = kzalloc(sizeof(*bp), GFP_KERNEL);
	int i;

	if (!bp)
		return -ENOMEM;
	for (i = 0; i < INETPEER_HASHSZ; i++)
		INIT_HLIST_HEAD(&bp->hash[i]);
	INIT_LIST_HEAD(&bp->unused);
	spin_lock_init(&bp->lock);
	net->ipv4.peers = bp;
	return 0;
}

static void ipv4_inetpeer_exit(struct net *net)
{
	struct inet_peer_base *bp = net->ipv4.peers;
	struct hlist_node *tmp;
	struct inet_peer *p;
	int i;

	if (!bp)
		return;
	net->ipv4.peers = NULL;
	for (i = 0; i < INETPEER_HASHSZ; i++) {
		hlist_for_each_entry_safe(p, tmp, &bp->hash[i], hash) {
			if (atomic_read(&p->refcnt))
				pr_warn("inetpeer: peer still referenced at namespace exit\n");
			peer_free(bp, p);
		}
	}
	kfree(bp);
}

static struct pernet_operations ipv4_inetpeer_ops = {
	.init = ipv4_inetpeer_init,
	.exit = ipv4_inetpeer_exit,
};

void inetpeer_invalidate_tree(struct inet_peer_base *base)
{
	struct inet_peer *p, *n;

	if (!base)
		return;
	spin_lock_bh(&base->lock);
	list_for_each_entry_safe(p, n, &base->unused, unused)
		peer_free(base, p);
	spin_unlock_bh(&base->lock);
}

int inet_peer_total(struct net *net)
{
	return net->ipv4.peers ? net->ipv4.peers->total : 0;
}

int inet_initpeers(void)
{
	int err;

	peer_cachep = kmem_cache_create("inet_peer_cache", sizeof(struct inet_peer_full), 0,
					SLAB_HWCACHE_ALIGN, NULL);
	if (!peer_cachep)
		return -ENOMEM;
	err = register_pernet_subsys(&ipv4_inetpeer_ops);
	if (err) {
		kmem_cache_destroy(peer_cachep);
		peer_cachep = NULL;
	}
	return err;
}

void inet_finipeers(void)
{
	if (!peer_cachep)
		return;
	unregister_pernet_subsys(&ipv4_inetpeer_ops);
	kmem_cache_destroy(peer_cachep);
	peer_cachep = NULL;
}
