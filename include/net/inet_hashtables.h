/* SPDX-License-Identifier: MIT */
/* The TCP socket tables: bind hash (ports in use, tcp_bind_bucket), listening hash and
 * established hash (keyed with a per-boot random secret).
 * Mirrors linux/include/net/inet_hashtables.h and net/ipv4/inet_hashtables.c (3.10):
 * inet_bind_bucket, inet_bind_hashbucket, inet_listen_hashbucket, inet_ehash_bucket,
 * inet_hashinfo, inet_ehashfn, inet_bhashfn, inet_lhashfn, inet_bind_bucket_create,
 * inet_bind_bucket_destroy, inet_bind_hash, inet_put_port, __inet_inherit_port, inet_hash,
 * inet_unhash, __inet_hash_nolisten, __inet_lookup_listener, __inet_lookup_established,
 * __inet_lookup, inet_hash_connect, __inet_hash_connect.
 *
 * DIVERGES: one global table set (tcp_hashinfo) with the namespace mixed into the hashes as
 * 3.10 does (net_hash_mix); plain hlists and one spinlock per table instead of RCU/nulls
 * lists and per-bucket locks. The established hash holds TIME_WAIT socks too (3.10 keeps
 * them in a twchain of the same bucket; ulnet uses the same chain, the state tells). */
#ifndef _NET_INET_HASHTABLES_H
#define _NET_INET_HASHTABLES_H
#include "linux/jhash.h"
#include "linux/list.h"
#include "linux/spinlock.h"
#include "linux/types.h"
#include "net/inet_sock.h"
#include "net/netns/hash.h"
#include "net/sock.h"

struct kmem_cache;
struct inet_timewait_sock;
struct inet_timewait_death_row;

/* One port in use: its owners (sk_bind_node) and the fast-path reuse flags.
 * fastreuse: 1 when every owner set SO_REUSEADDR and none listens; -1 for a bucket made by
 * connect (inet_hash_connect), so that bind() never shares it; 0 otherwise. */
struct inet_bind_bucket {
	struct net *ib_net;
	unsigned short port;
	signed char fastreuse;
	signed char fastreuseport;
	int num_owners;
	struct hlist_node node;
	struct hlist_head owners;
};

struct inet_bind_hashbucket {
	spinlock_t lock;
	struct hlist_head chain;
};

#define INET_LHTABLE_SIZE	32	/* Yes, really, this is all you need. */

struct inet_listen_hashbucket {
	spinlock_t lock;
	struct hlist_head head;
};

struct inet_ehash_bucket {
	struct hlist_head chain;
};

struct inet_hashinfo {
	/* Established (and TIME_WAIT) sockets, hashed by the 4-tuple. */
	struct inet_ehash_bucket *ehash;
	spinlock_t ehash_lock;
	unsigned int ehash_mask;
	/* Ports in use ("TCP bind"). */
	struct inet_bind_hashbucket *bhash;
	unsigned int bhash_size;
	struct kmem_cache *bind_bucket_cachep;	/* "tcp_bind_bucket" */
	/* Listeners, by local port. */
	struct inet_listen_hashbucket listening_hash[INET_LHTABLE_SIZE];
};

extern struct inet_hashinfo tcp_hashinfo;
/* Random per boot (3.10: inet_ehash_secret, filled by build_ehash_secret). */
extern u32 inet_ehash_secret;
void build_ehash_secret(void);

/* facts.md §3.5: jhash_3words(laddr, faddr, lport<<16 | fport, secret + net_hash_mix). */
static inline unsigned int inet_ehashfn(struct net *net, const __be32 laddr, const __u16 lport,
					const __be32 faddr, const __be16 fport)
{
	return jhash_3words(laddr, faddr,
			    ((__u32)lport) << 16 | fport,
			    inet_ehash_secret + net_hash_mix(net));
}
static inline int inet_sk_ehashfn(const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	return (int)inet_ehashfn(sock_net(sk), inet->inet_rcv_saddr, inet->inet_num,
				 inet->inet_daddr, inet->inet_dport);
}
static inline struct inet_ehash_bucket *inet_ehash_bucket(struct inet_hashinfo *hashinfo,
							  unsigned int hash)
{
	return &hashinfo->ehash[hash & hashinfo->ehash_mask];
}
static inline int inet_bhashfn(struct net *net, const __u16 lport, const int bhash_size)
{
	return (lport + (int)net_hash_mix(net)) & (bhash_size - 1);
}
static inline int inet_lhashfn(struct net *net, const unsigned short num)
{
	return (num + (int)net_hash_mix(net)) & (INET_LHTABLE_SIZE - 1);
}
static inline int inet_sk_listen_hashfn(const struct sock *sk)
{
	return inet_lhashfn(sock_net(sk), inet_sk(sk)->inet_num);
}

/* Size the tables (facts.md §1.3 with UL_NR_FREE_BUFFER_PAGES: 65536 ehash buckets) and
 * make the "tcp_bind_bucket" cache. 0 or -ENOMEM. */
int inet_hashinfo_init(struct inet_hashinfo *h, unsigned int ehash_entries,
		       unsigned int bhash_entries);
void inet_hashinfo_fini(struct inet_hashinfo *h);

struct inet_bind_bucket *inet_bind_bucket_create(struct kmem_cache *cachep, struct net *net,
						 struct inet_bind_hashbucket *head,
						 const unsigned short snum);
void inet_bind_bucket_destroy(struct kmem_cache *cachep, struct inet_bind_bucket *tb);
void inet_bind_hash(struct sock *sk, struct inet_bind_bucket *tb, const unsigned short snum);
/* Release the port of @sk (close, failed connect). */
void inet_put_port(struct sock *sk);
/* A child accepted from @sk takes the listener's port bucket. */
int __inet_inherit_port(struct sock *sk, struct sock *child);

/* Put @sk in the listening hash (LISTEN) or the established hash (others). */
void inet_hash(struct sock *sk);
void inet_unhash(struct sock *sk);
/* Established hash insert; @tw: a TIME_WAIT sock the caller replaces (or NULL). */
int __inet_hash_nolisten(struct sock *sk, struct inet_timewait_sock *tw);

/* Lookups return a held sock (sock_hold) or NULL. A TIME_WAIT match from the established
 * lookup comes back as its struct sock * cast (sk_state == TCP_TIME_WAIT). */
struct sock *__inet_lookup_listener(struct net *net, struct inet_hashinfo *hashinfo,
				    const __be32 saddr, const __be16 sport, const __be32 daddr,
				    const unsigned short hnum, const int dif);
struct sock *__inet_lookup_established(struct net *net, struct inet_hashinfo *hashinfo,
				       const __be32 saddr, const __be16 sport,
				       const __be32 daddr, const u16 hnum, const int dif);

/* 3.10's INET_ADDR_COOKIE and INET_COMBINED_PORTS: the flow's addresses and ports laid out
 * as sock_common's skc_addrpair (skc_daddr, skc_rcv_saddr) and skc_portpair (skc_dport,
 * skc_num), so that INET_MATCH compares two words. */
static inline __addrpair inet_addr_cookie(const __be32 saddr, const __be32 daddr)
{
	BUILD_BUG_ON(offsetof(struct sock_common, skc_rcv_saddr) !=
		     offsetof(struct sock_common, skc_daddr) + sizeof(__be32));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return ((__addrpair)saddr << 32) | daddr;
#else
	return ((__addrpair)daddr << 32) | saddr;
#endif
}
static inline __portpair inet_combined_ports(const __be16 sport, const u16 hnum)
{
	BUILD_BUG_ON(offsetof(struct sock_common, skc_num) !=
		     offsetof(struct sock_common, skc_dport) + sizeof(__be16));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return ((__portpair)sport << 16) | hnum;
#else
	return ((__portpair)hnum << 16) | sport;
#endif
}

/* The body of __inet_lookup_established, inlined into the per-packet caller
 * (tcp_v4_early_demux); everyone else calls the function. */
static __always_inline struct sock *
__inet_lookup_established_inline(struct net *net, struct inet_hashinfo *hashinfo,
				 const __be32 saddr, const __be16 sport, const __be32 daddr,
				 const u16 hnum, const int dif)
{
	const __addrpair acookie = inet_addr_cookie(saddr, daddr);
	const __portpair ports = inet_combined_ports(sport, hnum);
	unsigned int hash = inet_ehashfn(net, daddr, hnum, saddr, sport);
	struct inet_ehash_bucket *head = inet_ehash_bucket(hashinfo, hash);
	struct sock *sk;

	spin_lock(&hashinfo->ehash_lock);
	sk_for_each(sk, &head->chain) {
		if (sk->sk_hash != hash)
			continue;
		/* INET_MATCH */
		if (sk->__sk_common.skc_addrpair == acookie &&
		    sk->__sk_common.skc_portpair == ports && net_eq(sock_net(sk), net) &&
		    (!sk->sk_bound_dev_if || sk->sk_bound_dev_if == dif)) {
			sock_hold(sk);
			spin_unlock(&hashinfo->ehash_lock);
			return sk;
		}
	}
	spin_unlock(&hashinfo->ehash_lock);
	return NULL;
}
static inline struct sock *__inet_lookup(struct net *net, struct inet_hashinfo *hashinfo,
					 const __be32 saddr, const __be16 sport,
					 const __be32 daddr, const __be16 dport, const int dif)
{
	u16 hnum = ntohs(dport);
	struct sock *sk = __inet_lookup_established(net, hashinfo, saddr, sport, daddr, hnum,
						    dif);

	return sk ? sk : __inet_lookup_listener(net, hashinfo, saddr, sport, daddr, hnum, dif);
}

/* Active open: choose and bind an ephemeral port (facts.md §3.5), hash @sk. 0,
 * -EADDRNOTAVAIL (no free 4-tuple) or -EADDRINUSE (bound port, 4-tuple taken). */
int inet_hash_connect(struct inet_timewait_death_row *death_row, struct sock *sk);
/* The loop of inet_hash_connect run so far: ports examined by the last call (the cost of
 * connect as ports run out, book ch6). */
extern unsigned long inet_hash_connect_probes;

/* net.ipv4.ip_local_reserved_ports: ports the ephemeral search skips. DIVERGES: one
 * bitmap for all namespaces, as 3.10 (sysctl_local_reserved_ports is global). */
bool inet_is_reserved_local_port(int port);
void inet_set_reserved_local_port(int port, bool reserved);

/* Number of established-hash sockets of @net in state @state (tests, ss). */
void inet_hashinfo_walk(struct inet_hashinfo *h, void (*fn)(struct sock *sk, void *arg),
			void *arg);

#endif
