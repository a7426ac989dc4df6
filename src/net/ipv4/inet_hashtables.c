/* SPDX-License-Identifier: MIT */
/* TCP's socket tables: bind buckets, the listening hash, the established hash, lookups and
 * the ephemeral port search of connect.
 * Mirrors linux/net/ipv4/inet_hashtables.c (3.10): inet_bind_bucket_create,
 * inet_bind_bucket_destroy, inet_bind_hash, __inet_put_port, inet_put_port,
 * __inet_inherit_port, __inet_lookup_listener, __inet_lookup_established,
 * __inet_check_established, inet_sk_port_offset, __inet_hash_nolisten, __inet_hash,
 * inet_hash, inet_unhash, __inet_hash_connect, inet_hash_connect, inet_hashinfo_init.
 *
 * LOCKING: bind buckets under their bhash bucket lock, then ehash_lock / the listening
 * bucket lock (3.10's order). Lookups take a reference on the sock they return.
 * Context: softirq (lookups) or process (bind, listen, connect, close). */
#include "linux/errno.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "linux/slab.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/ip.h"
#include "net/tcp.h"

u32 inet_ehash_secret;
unsigned long inet_hash_connect_probes;
static unsigned long local_reserved_ports[65536 / BITS_PER_LONG];

bool inet_is_reserved_local_port(int port)
{
	return test_bit(port, local_reserved_ports);
}

void inet_set_reserved_local_port(int port, bool reserved)
{
	if (port <= 0 || port > 65535)
		return;
	if (reserved)
		__set_bit(port, local_reserved_ports);
	else
		__clear_bit(port, local_reserved_ports);
}

/* 3.10 fills the secret when the first inet socket is created; ulnet at TCP init, from
 * the seeded random source so that a sim run is reproducible. */
void build_ehash_secret(void)
{
	u32 rnd;

	do {
		get_random_bytes(&rnd, sizeof(rnd));
	} while (rnd == 0);
	inet_ehash_secret = rnd;
}

int inet_hashinfo_init(struct inet_hashinfo *h, unsigned int ehash_entries,
		       unsigned int bhash_entries)
{
	unsigned int i;

	h->ehash = kcalloc(ehash_entries, sizeof(*h->ehash), GFP_KERNEL);
	h->bhash = kcalloc(bhash_entries, sizeof(*h->bhash), GFP_KERNEL);
	h->bind_bucket_cachep = kmem_cache_create("tcp_bind_bucket",
						  sizeof(struct inet_bind_bucket), 0, 0, NULL);
	if (!h->ehash || !h->bhash || !h->bind_bucket_cachep) {
		inet_hashinfo_fini(h);
		return -ENOMEM;
	}
	h->ehash_mask = ehash_entries - 1;
	h->bhash_size = bhash_entries;
	spin_lock_init(&h->ehash_lock);
	for (i = 0; i < ehash_entries; i++)
		INIT_HLIST_HEAD(&h->ehash[i].chain);
	for (i = 0; i < bhash_entries; i++) {
		spin_lock_init(&h->bhash[i].lock);
		INIT_HLIST_HEAD(&h->bhash[i].chain);
	}
	for (i = 0; i < INET_LHTABLE_SIZE; i++) {
		spin_lock_init(&h->listening_hash[i].lock);
		INIT_HLIST_HEAD(&h->listening_hash[i].head);
	}
	return 0;
}

void inet_hashinfo_fini(struct inet_hashinfo *h)
{
	kfree(h->ehash);
	h->ehash = NULL;
	kfree(h->bhash);
	h->bhash = NULL;
	if (h->bind_bucket_cachep)
		kmem_cache_destroy(h->bind_bucket_cachep);
	h->bind_bucket_cachep = NULL;
}

/* Allocate and initialize a new local port bind bucket. The bindhash mutex for snum's hash
 * chain must be held here. */
struct inet_bind_bucket *inet_bind_bucket_create(struct kmem_cache *cachep, struct net *net,
						 struct inet_bind_hashbucket *head,
						 const unsigned short snum)
{
	struct inet_bind_bucket *tb = kmem_cache_alloc(cachep, GFP_ATOMIC);

	if (tb != NULL) {
		tb->ib_net = hold_net(net);
		tb->port = snum;
		tb->fastreuse = 0;
		tb->fastreuseport = 0;
		tb->num_owners = 0;
		INIT_HLIST_HEAD(&tb->owners);
		hlist_add_head(&tb->node, &head->chain);
	}
	return tb;
}

/* Caller must hold hashbucket lock for this tb with local BH disabled */
void inet_bind_bucket_destroy(struct kmem_cache *cachep, struct inet_bind_bucket *tb)
{
	if (hlist_empty(&tb->owners)) {
		__hlist_del(&tb->node);
		release_net(tb->ib_net);
		kmem_cache_free(cachep, tb);
	}
}

void inet_bind_hash(struct sock *sk, struct inet_bind_bucket *tb, const unsigned short snum)
{
	inet_sk(sk)->inet_num = snum;
	sk_add_bind_node(sk, &tb->owners);
	tb->num_owners++;
	inet_csk(sk)->icsk_bind_hash = tb;
}

/* Get rid of any references to a local port held by the given sock. */
static void __inet_put_port(struct sock *sk)
{
	struct inet_hashinfo *hashinfo = sk->sk_prot->h.hashinfo;
	const int bhash = inet_bhashfn(sock_net(sk), inet_sk(sk)->inet_num,
				       (int)hashinfo->bhash_size);
	struct inet_bind_hashbucket *head = &hashinfo->bhash[bhash];
	struct inet_bind_bucket *tb;

	spin_lock(&head->lock);
	tb = inet_csk(sk)->icsk_bind_hash;
	__sk_del_bind_node(sk);
	tb->num_owners--;
	inet_csk(sk)->icsk_bind_hash = NULL;
	inet_sk(sk)->inet_num = 0;
	inet_bind_bucket_destroy(hashinfo->bind_bucket_cachep, tb);
	spin_unlock(&head->lock);
}

void inet_put_port(struct sock *sk)
{
	local_bh_disable();
	__inet_put_port(sk);
	local_bh_enable();
}

int __inet_inherit_port(struct sock *sk, struct sock *child)
{
	struct inet_hashinfo *table = sk->sk_prot->h.hashinfo;
	unsigned short port = inet_sk(child)->inet_num;
	const int bhash = inet_bhashfn(sock_net(sk), port, (int)table->bhash_size);
	struct inet_bind_hashbucket *head = &table->bhash[bhash];
	struct inet_bind_bucket *tb;

	spin_lock(&head->lock);
	tb = inet_csk(sk)->icsk_bind_hash;
	if (tb->port != port) {
		/* NOTE: using tproxy and redirecting skbs to a proxy on a different listener
		 * port breaks the assumption that the listener socket's icsk_bind_hash is the
		 * same as that of the child socket. */
		hlist_for_each_entry(tb, &head->chain, node) {
			if (net_eq(tb->ib_net, sock_net(sk)) && tb->port == port)
				break;
		}
		if (!tb) {
			tb = inet_bind_bucket_create(table->bind_bucket_cachep, sock_net(sk),
						     head, port);
			if (!tb) {
				spin_unlock(&head->lock);
				return -ENOMEM;
			}
		}
	}
	inet_bind_hash(child, tb, port);
	spin_unlock(&head->lock);
	return 0;
}

/* 3.10 scores listeners: an exact local address and bound device beat wildcards. */
static inline int compute_score(struct sock *sk, struct net *net, const unsigned short hnum,
				const __be32 daddr, const int dif)
{
	int score = -1;
	struct inet_sock *inet = inet_sk(sk);

	if (net_eq(sock_net(sk), net) && inet->inet_num == hnum) {
		__be32 rcv_saddr = inet->inet_rcv_saddr;

		score = sk->sk_family == PF_INET ? 2 : 1;
		if (rcv_saddr) {
			if (rcv_saddr != daddr)
				return -1;
			score += 4;
		}
		if (sk->sk_bound_dev_if) {
			if (sk->sk_bound_dev_if != dif)
				return -1;
			score += 4;
		}
	}
	return score;
}

/* Don't inline this cruft. Here are some nice properties to exploit here. The BSD API does
 * not allow a listening sock to specify the remote port nor the remote address for the
 * connection. So always assume those are both wildcarded during the search since they can
 * never be otherwise. */
struct sock *__inet_lookup_listener(struct net *net, struct inet_hashinfo *hashinfo,
				    const __be32 saddr, const __be16 sport, const __be32 daddr,
				    const unsigned short hnum, const int dif)
{
	struct inet_listen_hashbucket *ilb = &hashinfo->listening_hash[inet_lhashfn(net, hnum)];
	struct sock *sk, *result = NULL;
	int score, hiscore = 0, matches = 0;
	u32 phash = 0;

	spin_lock(&ilb->lock);
	sk_for_each(sk, &ilb->head) {
		score = compute_score(sk, net, hnum, daddr, dif);
		if (score > hiscore) {
			result = sk;
			hiscore = score;
			if (sk->sk_reuseport) {
				phash = inet_ehashfn(net, daddr, hnum, saddr, sport);
				matches = 1;
			}
		} else if (score == hiscore && sk->sk_reuseport) {
			/* SO_REUSEPORT group: one of them, by the flow's hash. */
			matches++;
			if (((u64)phash * (u32)matches) >> 32 == 0)
				result = sk;
			phash = phash * 1664525 + 1013904223;
		}
	}
	if (result)
		sock_hold(result);
	spin_unlock(&ilb->lock);
	return result;
}

static inline bool inet_match(const struct sock *sk, struct net *net, __be32 saddr,
			      __be16 sport, __be32 daddr, u16 hnum, int dif)
{
	return net_eq(sock_net(sk), net) && sk->__sk_common.skc_daddr == saddr &&
	       sk->__sk_common.skc_rcv_saddr == daddr &&
	       sk->__sk_common.skc_dport == sport && sk->__sk_common.skc_num == hnum &&
	       (!sk->sk_bound_dev_if || sk->sk_bound_dev_if == dif);
}

struct sock *__inet_lookup_established(struct net *net, struct inet_hashinfo *hashinfo,
				       const __be32 saddr, const __be16 sport,
				       const __be32 daddr, const u16 hnum, const int dif)
{
	return __inet_lookup_established_inline(net, hashinfo, saddr, sport, daddr, hnum, dif);
}

/* called with local bh disabled */
static int __inet_check_established(struct inet_timewait_death_row *death_row, struct sock *sk,
				    __u16 lport, struct inet_timewait_sock **twp)
{
	struct inet_hashinfo *hinfo = death_row->hashinfo;
	struct inet_sock *inet = inet_sk(sk);
	__be32 daddr = inet->inet_rcv_saddr;
	__be32 saddr = inet->inet_daddr;
	int dif = sk->sk_bound_dev_if;
	__be16 dport = inet->inet_dport;
	struct net *net = sock_net(sk);
	unsigned int hash = inet_ehashfn(net, daddr, lport, saddr, dport);
	struct inet_ehash_bucket *head = inet_ehash_bucket(hinfo, hash);
	struct inet_timewait_sock *tw = NULL;
	struct sock *sk2;

	spin_lock(&hinfo->ehash_lock);
	sk_for_each(sk2, &head->chain) {
		if (sk2->sk_hash != hash || !inet_match(sk2, net, saddr, dport, daddr, lport, dif))
			continue;
		if (sk2->sk_state == TCP_TIME_WAIT) {
			tw = inet_twsk(sk2);
			if (sk->sk_prot->twsk_prot->twsk_unique &&
			    sk->sk_prot->twsk_prot->twsk_unique(sk, sk2, twp))
				break;
		}
		goto not_unique;
	}
	/* Must record num and sport now. Otherwise we will see in hash table socket with a
	 * funny identity. */
	inet->inet_num = lport;
	inet->inet_sport = htons(lport);
	sk->sk_hash = hash;
	WARN_ON(!sk_unhashed(sk));
	sk_add_node(sk, &head->chain);
	if (tw) {
		/* The caller kills the TIME_WAIT sock it takes over (it is still hashed). */
		NET_INC_STATS_BH(net, LINUX_MIB_TIMEWAITRECYCLED);
	}
	spin_unlock(&hinfo->ehash_lock);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	if (twp)
		*twp = tw;
	return 0;

not_unique:
	spin_unlock(&hinfo->ehash_lock);
	return -EADDRNOTAVAIL;
}

static inline u32 inet_sk_port_offset(const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	return secure_ipv4_port_ephemeral(inet->inet_rcv_saddr, inet->inet_daddr,
					  inet->inet_dport);
}

int __inet_hash_nolisten(struct sock *sk, struct inet_timewait_sock *tw)
{
	struct inet_hashinfo *hashinfo = sk->sk_prot->h.hashinfo;
	struct inet_ehash_bucket *head;
	int twrefcnt = 0;

	WARN_ON(!sk_unhashed(sk));
	sk->sk_hash = (unsigned int)inet_sk_ehashfn(sk);
	head = inet_ehash_bucket(hashinfo, sk->sk_hash);
	spin_lock(&hashinfo->ehash_lock);
	sk_add_node(sk, &head->chain);
	spin_unlock(&hashinfo->ehash_lock);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	(void)tw;
	return twrefcnt;
}

static void __inet_hash(struct sock *sk)
{
	struct inet_hashinfo *hashinfo = sk->sk_prot->h.hashinfo;
	struct inet_listen_hashbucket *ilb;

	if (sk->sk_state != TCP_LISTEN) {
		__inet_hash_nolisten(sk, NULL);
		return;
	}
	WARN_ON(!sk_unhashed(sk));
	ilb = &hashinfo->listening_hash[inet_sk_listen_hashfn(sk)];
	spin_lock(&ilb->lock);
	sk_add_node(sk, &ilb->head);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	spin_unlock(&ilb->lock);
}

void inet_hash(struct sock *sk)
{
	if (sk->sk_state != TCP_CLOSE) {
		local_bh_disable();
		__inet_hash(sk);
		local_bh_enable();
	}
}

void inet_unhash(struct sock *sk)
{
	struct inet_hashinfo *hashinfo = sk->sk_prot->h.hashinfo;
	spinlock_t *lock;
	int done;

	if (sk_unhashed(sk))
		return;
	if (sk->sk_state == TCP_LISTEN)
		lock = &hashinfo->listening_hash[inet_sk_listen_hashfn(sk)].lock;
	else
		lock = &hashinfo->ehash_lock;
	spin_lock_bh(lock);
	done = sk_del_node_init(sk);
	if (done)
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	spin_unlock_bh(lock);
}

/* facts.md §3.5. */
static int __inet_hash_connect(struct inet_timewait_death_row *death_row, struct sock *sk,
			       u32 port_offset,
			       int (*check_established)(struct inet_timewait_death_row *,
							struct sock *, __u16,
							struct inet_timewait_sock **))
{
	struct inet_hashinfo *hinfo = death_row->hashinfo;
	const unsigned short snum = inet_sk(sk)->inet_num;
	struct inet_bind_hashbucket *head;
	struct inet_bind_bucket *tb;
	int ret;
	struct net *net = sock_net(sk);

	if (!snum) {
		int i, remaining, low, high, port;
		static u32 hint;
		u32 offset = hint + port_offset;
		struct inet_timewait_sock *tw = NULL;

		inet_get_local_port_range(&low, &high);
		remaining = (high - low) + 1;
		inet_hash_connect_probes = 0;

		local_bh_disable();
		for (i = 1; i <= remaining; i++) {
			port = low + (int)(((u32)i + offset) % (u32)remaining);
			inet_hash_connect_probes++;
			if (inet_is_reserved_local_port(port))
				continue;
			head = &hinfo->bhash[inet_bhashfn(net, (u16)port, (int)hinfo->bhash_size)];
			spin_lock(&head->lock);

			/* Does not bother with rcv_saddr checks, because the established check
			 * is already unique enough. */
			hlist_for_each_entry(tb, &head->chain, node) {
				if (net_eq(tb->ib_net, net) && tb->port == port) {
					if (tb->fastreuse >= 0 || tb->fastreuseport >= 0)
						goto next_port;
					WARN_ON(hlist_empty(&tb->owners));
					if (!check_established(death_row, sk, (u16)port, &tw))
						goto ok;
					goto next_port;
				}
			}

			tb = inet_bind_bucket_create(hinfo->bind_bucket_cachep, net, head,
						     (u16)port);
			if (!tb) {
				spin_unlock(&head->lock);
				break;
			}
			tb->fastreuse = -1;
			tb->fastreuseport = -1;
			goto ok;

		next_port:
			spin_unlock(&head->lock);
		}
		local_bh_enable();
		return -EADDRNOTAVAIL;

ok:
		hint += (u32)i;

		/* Head lock still held and bh's disabled */
		inet_bind_hash(sk, tb, (u16)port);
		if (sk_unhashed(sk)) {
			inet_sk(sk)->inet_sport = htons((u16)port);
			__inet_hash_nolisten(sk, tw);
		}
		spin_unlock(&head->lock);
		if (tw) {
			inet_twsk_deschedule(tw, death_row);
			inet_twsk_put(tw);
		}
		ret = 0;
		local_bh_enable();
		return ret;
	}

	head = &hinfo->bhash[inet_bhashfn(net, snum, (int)hinfo->bhash_size)];
	tb = inet_csk(sk)->icsk_bind_hash;
	spin_lock_bh(&head->lock);
	if (sk_head(&tb->owners) == sk && !sk->sk_bind_node.next) {
		__inet_hash_nolisten(sk, NULL);
		spin_unlock_bh(&head->lock);
		return 0;
	} else {
		struct inet_timewait_sock *tw = NULL;

		spin_unlock(&head->lock);
		/* No definite answer... Walk to established hash table */
		ret = check_established(death_row, sk, snum, &tw);
		if (!ret && tw) {
			inet_twsk_deschedule(tw, death_row);
			inet_twsk_put(tw);
		}
		local_bh_enable();
		return ret;
	}
}

/* Bind a port for a connect operation and hash it. */
int inet_hash_connect(struct inet_timewait_death_row *death_row, struct sock *sk)
{
	return __inet_hash_connect(death_row, sk, inet_sk_port_offset(sk),
				   __inet_check_established);
}

void inet_hashinfo_walk(struct inet_hashinfo *h, void (*fn)(struct sock *sk, void *arg),
			void *arg)
{
	unsigned int i;
	struct sock *sk;

	for (i = 0; i < INET_LHTABLE_SIZE; i++) {
		spin_lock_bh(&h->listening_hash[i].lock);
		sk_for_each(sk, &h->listening_hash[i].head)
			fn(sk, arg);
		spin_unlock_bh(&h->listening_hash[i].lock);
	}
	spin_lock_bh(&h->ehash_lock);
	for (i = 0; i <= h->ehash_mask; i++)
		sk_for_each(sk, &h->ehash[i].chain)
			fn(sk, arg);
	spin_unlock_bh(&h->ehash_lock);
}
