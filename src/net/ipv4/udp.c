/* SPDX-License-Identifier: MIT */
/* UDP (RFC 768): port hashing and binding, receive with its checks and counters, send,
 * ICMP errors, socket options and /proc/net/udp.
 * Mirrors linux/net/ipv4/udp.c (3.10): udp_lib_lport_inuse, udp_lib_lport_inuse2,
 * udp_lib_get_port, ipv4_rcv_saddr_equal, udp4_portaddr_hash, udp_v4_get_port,
 * compute_score, compute_score2, udp4_lib_lookup2, __udp4_lib_lookup, udp4_lib_lookup,
 * __udp4_lib_err, udp_err, udp4_hwcsum, udp_send_skb, udp_sendmsg, udp_ioctl,
 * first_packet_length, udp_recvmsg, udp_disconnect, udp_lib_unhash, udp_lib_rehash,
 * udp_v4_rehash, __udp_queue_rcv_skb, udp_queue_rcv_skb, udp4_csum_init, __udp4_lib_rcv,
 * udp_rcv, udp_destroy_sock, udp_setsockopt, udp_getsockopt, udp_poll, udp_prot,
 * udp4_seq_show, udp_table_init, udp_init.
 *
 * Counters (Udp: of /proc/net/snmp), as 3.10 counts them:
 *   InDatagrams  when the reader takes a datagram (udp_recvmsg), not on arrival;
 *   NoPorts      no socket for the port (and ICMP port unreachable goes back);
 *   InErrors     every receive drop: short or bad length, bad checksum, receive queue full,
 *                copy fault; with InCsumErrors for bad checksums and RcvbufErrors when
 *                sock_queue_rcv_skb refuses for lack of buffer (ENOMEM);
 *   OutDatagrams each datagram handed to IP; SndbufErrors when no buffer (ENOBUFS) or the
 *                socket ran out of send buffer.
 *
 * LOCKING: each hash slot has a lock (spin_lock_bh from process context); lookups walk a
 * slot under its lock. DIVERGES: 3.10 looks up without locks (RCU, hlist_nulls); ulnet
 * takes the slot lock for the walk. */
#include "linux/errno.h"
#include "linux/fs.h"
#include "linux/in.h"
#include "linux/jhash.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/netdevice.h"
#include "linux/random.h"
#include "linux/sched.h"
#include "linux/seq_file.h"
#include "linux/slab.h"
#include "linux/sysctl.h"
#include "linux/udp.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_common.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/udp.h"
#include "trace/path.h"

#ifndef SIOCINQ
#define SIOCINQ 0x541B		/* FIONREAD */
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ 0x5411		/* TIOCOUTQ */
#endif

#define MAX_UDP_PORTS 65536
#define PORTS_PER_CHAIN (MAX_UDP_PORTS / UDP_HTABLE_SIZE_MIN)
/* DIVERGES: 3.10 sizes the table from memory (alloc_large_system_hash("UDP", ..., scale
 * 21): one slot per 2 MiB); ulnet uses the size for its 8 GiB machine: 4096 slots. */
#define UL_UDP_HTABLE_ENTRIES 4096

#define IS_UDPLITE(sk) 0	/* UDP-Lite is not implemented: every socket is UDP */

struct udp_table udp_table;
atomic_long_t udp_memory_allocated;
long sysctl_udp_mem[3];
int sysctl_udp_rmem_min;
int sysctl_udp_wmem_min;

unsigned long udp_mib_read(struct net *net, int field)
{
	return snmp_fold_field(net->mib.udp_statistics, field);
}

/* ------------------------------------------------------------------------------------------
 * Port hashing and binding. */

/* Sockets in @hslot that conflict with @sk on port @num (or, with @bitmap, on any port of
 * the chain: their bits are set). Caller holds the slot lock. */
static int udp_lib_lport_inuse(struct net *net, __u16 num, const struct udp_hslot *hslot,
			       unsigned long *bitmap, struct sock *sk,
			       int (*saddr_comp)(const struct sock *sk1, const struct sock *sk2),
			       unsigned int log)
{
	struct sock *sk2;

	sk_for_each(sk2, &hslot->head) {
		if (net_eq(sock_net(sk2), net) && sk2 != sk &&
		    (bitmap || udp_sk(sk2)->udp_port_hash == num) &&
		    (!sk2->sk_reuse || !sk->sk_reuse) &&
		    (!sk2->sk_bound_dev_if || !sk->sk_bound_dev_if ||
		     sk2->sk_bound_dev_if == sk->sk_bound_dev_if) &&
		    (!sk2->sk_reuseport || !sk->sk_reuseport ||
		     sock_i_uid(sk2) != sock_i_uid(sk)) &&
		    (*saddr_comp)(sk, sk2)) {
			if (bitmap)
				__set_bit(udp_sk(sk2)->udp_port_hash >> log, bitmap);
			else
				return 1;
		}
	}
	return 0;
}

/* Same, on a secondary (address, port) slot. */
static int udp_lib_lport_inuse2(struct net *net, __u16 num, struct udp_hslot *hslot2,
				struct sock *sk,
				int (*saddr_comp)(const struct sock *sk1, const struct sock *sk2))
{
	struct hlist_node *node;
	int res = 0;

	spin_lock(&hslot2->lock);
	hlist_for_each(node, &hslot2->head) {
		struct sock *sk2 = container_of(node, struct sock, __sk_common.skc_portaddr_node);

		if (net_eq(sock_net(sk2), net) && sk2 != sk &&
		    (udp_sk(sk2)->udp_port_hash == num) && (!sk2->sk_reuse || !sk->sk_reuse) &&
		    (!sk2->sk_bound_dev_if || !sk->sk_bound_dev_if ||
		     sk2->sk_bound_dev_if == sk->sk_bound_dev_if) &&
		    (!sk2->sk_reuseport || !sk->sk_reuseport ||
		     sock_i_uid(sk2) != sock_i_uid(sk)) &&
		    (*saddr_comp)(sk, sk2)) {
			res = 1;
			break;
		}
	}
	spin_unlock(&hslot2->lock);
	return res;
}

int udp_lib_get_port(struct sock *sk, unsigned short snum,
		     int (*saddr_comp)(const struct sock *sk1, const struct sock *sk2),
		     unsigned int hash2_nulladdr)
{
	struct udp_hslot *hslot, *hslot2;
	struct udp_table *udptable = sk->sk_prot->h.udp_table;
	int error = 1;
	struct net *net = sock_net(sk);

	if (!snum) {
		int low, high, remaining;
		unsigned int rand;
		unsigned short first, last;
		unsigned long bitmap[PORTS_PER_CHAIN / BITS_PER_LONG];

		inet_get_local_port_range(&low, &high);
		remaining = (high - low) + 1;

		rand = prandom_u32();
		first = (unsigned short)((((u64)rand * (u64)remaining) >> 32) + (u64)low);
		/* Force rand to be an odd multiple of UDP_HTABLE_SIZE: stepping by it visits
		 * every port of a chain exactly once before coming back to first. */
		rand = (rand | 1) * (udptable->mask + 1);
		last = (unsigned short)(first + udptable->mask + 1);
		do {
			hslot = udp_hashslot(udptable, net, first);
			memset(bitmap, 0, sizeof(bitmap));
			spin_lock_bh(&hslot->lock);
			udp_lib_lport_inuse(net, snum, hslot, bitmap, sk, saddr_comp,
					    udptable->log);

			snum = first;
			/* Iterate on all possible values of snum for this hash. Using steps of an
			 * odd multiple of UDP_HTABLE_SIZE give us randomization and full range
			 * coverage. */
			do {
				if (low <= snum && snum <= high &&
				    !test_bit(snum >> udptable->log, bitmap))
					goto found;
				snum = (unsigned short)(snum + rand);
			} while (snum != first);
			spin_unlock_bh(&hslot->lock);
		} while (++first != last);
		goto fail;
	} else {
		hslot = udp_hashslot(udptable, net, snum);
		spin_lock_bh(&hslot->lock);
		if (hslot->count > 10) {
			int exist;
			unsigned int slot2 = udp_sk(sk)->udp_portaddr_hash ^ snum;

			slot2 &= udptable->mask;
			hash2_nulladdr &= udptable->mask;

			hslot2 = udp_hashslot2(udptable, slot2);
			if (hslot->count < hslot2->count)
				goto scan_primary_hash;

			exist = udp_lib_lport_inuse2(net, snum, hslot2, sk, saddr_comp);
			if (!exist && (hash2_nulladdr != slot2)) {
				hslot2 = udp_hashslot2(udptable, hash2_nulladdr);
				exist = udp_lib_lport_inuse2(net, snum, hslot2, sk, saddr_comp);
			}
			if (exist)
				goto fail_unlock;
			else
				goto found;
		}
scan_primary_hash:
		if (udp_lib_lport_inuse(net, snum, hslot, NULL, sk, saddr_comp, 0))
			goto fail_unlock;
	}
found:
	inet_sk(sk)->inet_num = snum;
	udp_sk(sk)->udp_port_hash = snum;
	udp_sk(sk)->udp_portaddr_hash ^= snum;
	if (sk_unhashed(sk)) {
		sk_nulls_add_node_rcu(sk, &hslot->head);
		hslot->count++;
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);

		hslot2 = udp_hashslot2(udptable, udp_sk(sk)->udp_portaddr_hash);
		spin_lock(&hslot2->lock);
		hlist_add_head(&udp_sk(sk)->udp_portaddr_node, &hslot2->head);
		hslot2->count++;
		spin_unlock(&hslot2->lock);
	}
	error = 0;
fail_unlock:
	spin_unlock_bh(&hslot->lock);
fail:
	return error;
}

int ipv4_rcv_saddr_equal(const struct sock *sk1, const struct sock *sk2)
{
	struct inet_sock *inet1 = inet_sk(sk1), *inet2 = inet_sk(sk2);

	return !inet1->inet_rcv_saddr || !inet2->inet_rcv_saddr ||
	       inet1->inet_rcv_saddr == inet2->inet_rcv_saddr;
}

static unsigned int udp4_portaddr_hash(struct net *net, __be32 saddr, unsigned int port)
{
	return jhash_1word((u32)saddr, net_hash_mix(net)) ^ port;
}

int udp_v4_get_port(struct sock *sk, unsigned short snum)
{
	unsigned int hash2_nulladdr =
		udp4_portaddr_hash(sock_net(sk), htonl(INADDR_ANY), snum);
	unsigned int hash2_partial =
		udp4_portaddr_hash(sock_net(sk), inet_sk(sk)->inet_rcv_saddr, 0);

	/* precompute partial secondary hash */
	udp_sk(sk)->udp_portaddr_hash = (u16)hash2_partial;
	return udp_lib_get_port(sk, snum, ipv4_rcv_saddr_equal, hash2_nulladdr);
}

void udp_lib_unhash(struct sock *sk)
{
	if (sk_hashed(sk)) {
		struct udp_table *udptable = sk->sk_prot->h.udp_table;
		struct udp_hslot *hslot, *hslot2;

		hslot = udp_hashslot(udptable, sock_net(sk), udp_sk(sk)->udp_port_hash);
		hslot2 = udp_hashslot2(udptable, udp_sk(sk)->udp_portaddr_hash);

		spin_lock_bh(&hslot->lock);
		if (sk_nulls_del_node_init_rcu(sk)) {
			hslot->count--;
			inet_sk(sk)->inet_num = 0;
			sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);

			spin_lock(&hslot2->lock);
			hlist_del_init(&udp_sk(sk)->udp_portaddr_node);
			hslot2->count--;
			spin_unlock(&hslot2->lock);
		}
		spin_unlock_bh(&hslot->lock);
	}
}

/* Inet_rcv_saddr may be changed after a connect() (the route chose it): move the socket to
 * its new secondary slot. */
void udp_lib_rehash(struct sock *sk, u16 newhash)
{
	if (sk_hashed(sk)) {
		struct udp_table *udptable = sk->sk_prot->h.udp_table;
		struct udp_hslot *hslot, *hslot2, *nhslot2;

		hslot2 = udp_hashslot2(udptable, udp_sk(sk)->udp_portaddr_hash);
		nhslot2 = udp_hashslot2(udptable, newhash);
		udp_sk(sk)->udp_portaddr_hash = newhash;
		if (hslot2 != nhslot2) {
			hslot = udp_hashslot(udptable, sock_net(sk), udp_sk(sk)->udp_port_hash);
			/* we must lock primary chain too */
			spin_lock_bh(&hslot->lock);

			spin_lock(&hslot2->lock);
			hlist_del_init(&udp_sk(sk)->udp_portaddr_node);
			hslot2->count--;
			spin_unlock(&hslot2->lock);

			spin_lock(&nhslot2->lock);
			hlist_add_head(&udp_sk(sk)->udp_portaddr_node, &nhslot2->head);
			nhslot2->count++;
			spin_unlock(&nhslot2->lock);

			spin_unlock_bh(&hslot->lock);
		}
	}
}

void udp_v4_rehash(struct sock *sk)
{
	u16 new_hash = (u16)udp4_portaddr_hash(sock_net(sk), inet_sk(sk)->inet_rcv_saddr,
					       inet_sk(sk)->inet_num);

	udp_lib_rehash(sk, new_hash);
}

/* ------------------------------------------------------------------------------------------
 * Lookup. */

/* The part of the score both lookups share: a connected peer (address, port) and a bound
 * device must match the packet, and each that does adds 4 to @score; -1 when one differs.
 * DIVERGES: 3.10 writes these checks out in compute_score and compute_score2 both. */
static inline int udp_score_peer(struct sock *sk, __be32 saddr, __be16 sport, int dif,
				 int score)
{
	struct inet_sock *inet = inet_sk(sk);

	if (inet->inet_daddr) {
		if (inet->inet_daddr != saddr)
			return -1;
		score += 4;
	}
	if (inet->inet_dport) {
		if (inet->inet_dport != sport)
			return -1;
		score += 4;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score += 4;
	}
	return score;
}

static inline int compute_score(struct sock *sk, struct net *net, __be32 saddr,
				unsigned short hnum, __be16 sport, __be32 daddr, __be16 dport,
				int dif)
{
	int score = -1;

	if (net_eq(sock_net(sk), net) && udp_sk(sk)->udp_port_hash == hnum) {
		struct inet_sock *inet = inet_sk(sk);

		score = (sk->sk_family == PF_INET ? 2 : 1);
		if (inet->inet_rcv_saddr) {
			if (inet->inet_rcv_saddr != daddr)
				return -1;
			score += 4;
		}
		score = udp_score_peer(sk, saddr, sport, dif, score);
	}
	return score;
}

/* In this second variant, we check (daddr, dport) matches (inet_rcv_sadd, inet_num). */
static inline int compute_score2(struct sock *sk, struct net *net, __be32 saddr, __be16 sport,
				 __be32 daddr, unsigned int hnum, int dif)
{
	int score = -1;

	if (net_eq(sock_net(sk), net)) {
		struct inet_sock *inet = inet_sk(sk);

		if (inet->inet_rcv_saddr != daddr)
			return -1;
		if (inet->inet_num != hnum)
			return -1;
		score = (sk->sk_family == PF_INET ? 2 : 1);
		score = udp_score_peer(sk, saddr, sport, dif, score);
	}
	return score;
}

/* SO_REUSEPORT: among equally good sockets, pick one by a hash of the 4-tuple
 * (reservoir sampling over the chain, as 3.10). */
static u32 udp_ehashfn(const struct net *net, __be32 laddr, unsigned short lport, __be32 faddr,
		       __be16 fport)
{
	return jhash_3words((u32)laddr, (u32)faddr, ((u32)lport << 16) | (u32)ntohs(fport),
			    net_hash_mix(net));
}

static u32 next_pseudo_random32(u32 seed)
{
	return seed * 1664525 + 1013904223;
}

/* Caller holds hslot2's lock. */
static struct sock *udp4_lib_lookup2(struct net *net, __be32 saddr, __be16 sport, __be32 daddr,
				     unsigned int hnum, int dif, struct udp_hslot *hslot2)
{
	struct sock *sk, *result = NULL;
	struct hlist_node *node;
	int score, badness = 0, matches = 0, reuseport = 0;
	u32 hash = 0;

	hlist_for_each(node, &hslot2->head) {
		sk = container_of(node, struct sock, __sk_common.skc_portaddr_node);
		score = compute_score2(sk, net, saddr, sport, daddr, hnum, dif);
		if (score > badness) {
			result = sk;
			badness = score;
			reuseport = sk->sk_reuseport;
			if (reuseport) {
				hash = udp_ehashfn(net, daddr, (unsigned short)hnum, saddr, sport);
				matches = 1;
			}
		} else if (score == badness && reuseport) {
			matches++;
			if ((((u64)hash * (u64)matches) >> 32) == 0)
				result = sk;
			hash = next_pseudo_random32(hash);
		}
	}
	if (result)
		sock_hold(result);
	return result;
}

struct sock *__udp4_lib_lookup(struct net *net, __be32 saddr, __be16 sport, __be32 daddr,
			       __be16 dport, int dif, struct udp_table *udptable)
{
	struct sock *sk, *result;
	unsigned short hnum = ntohs(dport);
	unsigned int hash2, slot2, slot = udp_hashfn(net, hnum, udptable->mask);
	struct udp_hslot *hslot2, *hslot = &udptable->hash[slot];
	int score, badness, matches = 0, reuseport = 0;
	u32 hash = 0;

	if (hslot->count > 10) {
		/* A long primary chain: look up by (address, port) on the secondary hash,
		 * first for the exact address, then for INADDR_ANY. */
		hash2 = udp4_portaddr_hash(net, daddr, hnum);
		slot2 = hash2 & udptable->mask;
		hslot2 = &udptable->hash2[slot2];
		if (hslot->count < hslot2->count)
			goto begin;

		spin_lock(&hslot2->lock);
		result = udp4_lib_lookup2(net, saddr, sport, daddr, hnum, dif, hslot2);
		spin_unlock(&hslot2->lock);
		if (!result) {
			hash2 = udp4_portaddr_hash(net, htonl(INADDR_ANY), hnum);
			slot2 = hash2 & udptable->mask;
			hslot2 = &udptable->hash2[slot2];
			if (hslot->count < hslot2->count)
				goto begin;

			spin_lock(&hslot2->lock);
			result = udp4_lib_lookup2(net, saddr, sport, htonl(INADDR_ANY), hnum, dif,
						  hslot2);
			spin_unlock(&hslot2->lock);
		}
		return result;
	}
begin:
	result = NULL;
	badness = 0;
	spin_lock(&hslot->lock);
	sk_for_each(sk, &hslot->head) {
		score = compute_score(sk, net, saddr, hnum, sport, daddr, dport, dif);
		if (score > badness) {
			result = sk;
			badness = score;
			reuseport = sk->sk_reuseport;
			if (reuseport) {
				hash = udp_ehashfn(net, daddr, hnum, saddr, sport);
				matches = 1;
			}
		} else if (score == badness && reuseport) {
			matches++;
			if ((((u64)hash * (u64)matches) >> 32) == 0)
				result = sk;
			hash = next_pseudo_random32(hash);
		}
	}
	if (result)
		sock_hold(result);
	spin_unlock(&hslot->lock);
	return result;
}

static inline struct sock *__udp4_lib_lookup_skb(struct sk_buff *skb, __be16 sport,
						 __be16 dport, struct udp_table *udptable)
{
	const struct iphdr *iph = ip_hdr(skb);

	return __udp4_lib_lookup(dev_net(skb_dst(skb)->dev), iph->saddr, sport, iph->daddr, dport,
				 inet_iif(skb), udptable);
}

struct sock *udp4_lib_lookup(struct net *net, __be32 saddr, __be16 sport, __be32 daddr,
			     __be16 dport, int dif)
{
	return __udp4_lib_lookup(net, saddr, sport, daddr, dport, dif, &udp_table);
}

/* ------------------------------------------------------------------------------------------
 * ICMP errors. */

/* This routine is called by the ICMP module when it gets some sort of error condition. If
 * err < 0 then the socket should be closed and the error returned to the user. If err > 0
 * it's just the icmp type << 8 | icmp code. Header points to the ip header of the error
 * packet. We move on past this. Then (as it used to claim before adjustment) header points
 * to the first 8 bytes of the udp header. We need to find the appropriate port.
 * Context: softirq; @skb->data is the quoted IP header, its transport header the ICMP
 * header (net/protocol.h). */
void __udp4_lib_err(struct sk_buff *skb, u32 info, struct udp_table *udptable)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	struct udphdr *uh = (struct udphdr *)(skb->data + (iph->ihl << 2));
	const struct icmphdr *icmph = (const struct icmphdr *)skb_transport_header(skb);
	const int type = icmph->type;
	const int code = icmph->code;
	struct net *net = dev_net(skb->dev);
	struct sock *sk;
	int harderr;
	int err;

	UL_TRACE(skb);
	sk = __udp4_lib_lookup(net, iph->daddr, uh->dest, iph->saddr, uh->source,
			       skb->dev->ifindex, udptable);
	if (sk == NULL) {
		ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);
		return; /* No socket for error */
	}

	switch (type) {
	case ICMP_SOURCE_QUENCH:
		goto out;
	case ICMP_REDIRECT:
		/* ipv4_sk_redirect: routing redirects are not implemented. */
		err = 0;
		harderr = 0;
		break;
	default:
		err = ip4_datagram_icmp_errno(sk, skb, type, code, info, &harderr);
		if (!err)
			goto out;	/* PMTU update only */
		break;
	}
	ip4_datagram_report_err(sk, err, harderr);
out:
	sock_put(sk);
}

void udp_err(struct sk_buff *skb, u32 info)
{
	__udp4_lib_err(skb, info, &udp_table);
}

/* ------------------------------------------------------------------------------------------
 * Sending. */

/* Checksum offload of one datagram: the device (or loopback, which trusts it) completes
 * the sum; with fragments, compute it here. */
static void udp4_hwcsum(struct sk_buff *skb, __be32 src, __be32 dst)
{
	struct udphdr *uh = udp_hdr(skb);
	struct sk_buff *frags = skb_shinfo(skb)->frag_list;
	int offset = skb_transport_offset(skb);
	int len = (int)skb->len - offset;
	int hlen = len;
	__wsum csum = 0;

	if (!frags) {
		/* Only one fragment on the socket. */
		skb->csum_start = (__u16)(skb_transport_header(skb) - skb->head);
		skb->csum_offset = offsetof(struct udphdr, check);
		uh->check = ~csum_tcpudp_magic(src, dst, (unsigned short)len, IPPROTO_UDP, 0);
	} else {
		/* HW-checksum won't work as there are two or more fragments on the socket so
		 * that all csums of sk_buffs should be together. */
		do {
			csum = csum_add(csum, frags->csum);
			hlen -= (int)frags->len;
		} while ((frags = frags->next));

		csum = skb_checksum(skb, offset, hlen, csum);
		skb->ip_summed = CHECKSUM_NONE;

		uh->check = csum_tcpudp_magic(src, dst, (unsigned short)len, IPPROTO_UDP, csum);
		if (uh->check == 0)
			uh->check = CSUM_MANGLED_0;
	}
}

/* The sum of the UDP header plus the data sums getfrag left in each skb->csum. */
static inline __wsum udp_csum(struct sk_buff *skb)
{
	__wsum csum = csum_partial(skb_transport_header(skb), sizeof(struct udphdr), skb->csum);

	for (skb = skb_shinfo(skb)->frag_list; skb; skb = skb->next)
		csum = csum_add(csum, skb->csum);
	return csum;
}

int udp_send_skb(struct sk_buff *skb, struct flowi4 *fl4)
{
	struct sock *sk = skb->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct udphdr *uh;
	int err = 0;
	int is_udplite = IS_UDPLITE(sk);
	int offset = skb_transport_offset(skb);
	int len = (int)skb->len - offset;
	__wsum csum = 0;

	UL_TRACE(skb);
	/* Create a UDP header. */
	uh = udp_hdr(skb);
	uh->source = inet->inet_sport;
	uh->dest = fl4->fl4_dport;
	uh->len = htons((u16)len);
	uh->check = 0;

	if (sk->sk_no_check == UDP_CSUM_NOXMIT) {	/* UDP csum disabled */
		skb->ip_summed = CHECKSUM_NONE;
		goto send;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL) { /* UDP hardware csum */
		udp4_hwcsum(skb, fl4->saddr, fl4->daddr);
		goto send;
	} else {
		csum = udp_csum(skb);
	}

	/* add protocol-dependent pseudo-header */
	uh->check = csum_tcpudp_magic(fl4->saddr, fl4->daddr, (unsigned short)len,
				      (unsigned short)sk->sk_protocol, csum);
	if (uh->check == 0)
		uh->check = CSUM_MANGLED_0;

send:
	err = ip_send_skb(sock_net(sk), skb);
	if (err) {
		if (err == -ENOBUFS && !inet->recverr) {
			UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_SNDBUFERRORS, is_udplite);
			err = 0;
		}
	} else {
		UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_OUTDATAGRAMS, is_udplite);
	}
	return err;
}

int udp_push_pending_frames(struct sock *sk)
{
	/* Corking (UDP_CORK / MSG_MORE) is not implemented: nothing is ever pending. */
	return 0;
}

void udp_flush_pending_frames(struct sock *sk)
{
	struct udp_sock *up = udp_sk(sk);

	if (up->pending) {
		up->len = 0;
		up->pending = 0;
	}
}

int udp_sendmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len)
{
	struct inet_sock *inet = inet_sk(sk);
	struct udp_sock *up = udp_sk(sk);
	struct flowi4 fl4_stack;
	struct flowi4 *fl4 = &fl4_stack;
	int ulen = (int)len;
	struct ipcm_cookie ipc;
	struct rtable *rt = NULL;
	int connected = 0;
	__be32 daddr, faddr, saddr;
	__be16 dport;
	u8 tos;
	int err, is_udplite = IS_UDPLITE(sk);
	int corkreq = up->corkflag || msg->msg_flags & MSG_MORE;
	struct sk_buff *skb;

	UL_TRACE_FN();
	if (len > 0xFFFF)
		return -EMSGSIZE;

	/* Check the flags. */
	if (msg->msg_flags & MSG_OOB) /* Mirror BSD error message compatibility */
		return -EOPNOTSUPP;

	ipc.opt = NULL;
	ipc.tx_flags = 0;

	ulen += (int)sizeof(struct udphdr);

	/* Get and verify the address. */
	if (msg->msg_name) {
		struct sockaddr_in *usin = (struct sockaddr_in *)msg->msg_name;

		if (msg->msg_namelen < sizeof(*usin))
			return -EINVAL;
		if (usin->sin_family != AF_INET) {
			if (usin->sin_family != AF_UNSPEC)
				return -EAFNOSUPPORT;
		}
		daddr = usin->sin_addr.s_addr;
		dport = usin->sin_port;
		if (dport == 0)
			return -EINVAL;
	} else {
		if (sk->sk_state != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = inet->inet_daddr;
		dport = inet->inet_dport;
		/* Open fast path for connected socket. Route will not be used, if at least one
		 * option is set. */
		connected = 1;
	}

	if (corkreq) {
		/* DIVERGES: 3.10 corks (ip_append_data onto the socket's write queue until
		 * UDP_CORK is cleared or a send without MSG_MORE). Not implemented. */
		net_info_ratelimited("udp: MSG_MORE/UDP_CORK (corking) is not implemented\n");
		return -EOPNOTSUPP;
	}

	ipc.addr = inet->inet_saddr;
	ipc.oif = sk->sk_bound_dev_if;
	sock_tx_timestamp(sk, &ipc.tx_flags);

	if (msg->msg_controllen) {
		err = ip_cmsg_send(sock_net(sk), msg, &ipc);
		if (err)
			return err;
		connected = 0;
	}
	if (!ipc.opt && inet_sk_opt(sk))
		/* Socket IP options (IP_OPTIONS) would be copied here; ulnet sockets have
		 * none (IP_OPTIONS is not settable). */
		ipc.opt = inet_sk_opt(sk);

	saddr = ipc.addr;
	ipc.addr = faddr = daddr;

	if (ipc.opt && ipc.opt->opt.srr) {
		if (!daddr)
			return -EINVAL;
		faddr = ipc.opt->opt.faddr;
		connected = 0;
	}
	tos = RT_TOS(inet->tos);
	if (sock_flag(sk, SOCK_LOCALROUTE) || (msg->msg_flags & MSG_DONTROUTE) ||
	    (ipc.opt && ipc.opt->opt.is_strictroute)) {
		tos |= RTO_ONLINK;
		connected = 0;
	}

	if (ipv4_is_multicast(daddr)) {
		if (!ipc.oif)
			ipc.oif = up->dgram.mc_index;
		/* (No inet->mc_addr: see struct inet_sock.) */
		connected = 0;
	}

	if (connected)
		rt = (struct rtable *)sk_dst_check(sk, 0);

	if (rt == NULL) {
		struct net *net = sock_net(sk);

		fl4 = &fl4_stack;
		flowi4_init_output(fl4, ipc.oif, sk->sk_mark, tos, RT_SCOPE_UNIVERSE,
				   (u8)sk->sk_protocol,
				   (inet->transparent ? FLOWI_FLAG_ANYSRC : 0) |
					   FLOWI_FLAG_CAN_SLEEP,
				   faddr, saddr, dport, inet->inet_sport);
		rt = ip_route_output_flow(net, fl4, sk);
		if (IS_ERR(rt)) {
			err = (int)PTR_ERR(rt);
			rt = NULL;
			if (err == -ENETUNREACH)
				IP_INC_STATS_BH(net, IPSTATS_MIB_OUTNOROUTES);
			goto out;
		}

		err = -EACCES;
		if ((rt->rt_flags & RTCF_BROADCAST) && !sock_flag(sk, SOCK_BROADCAST))
			goto out;
		if (connected)
			sk_dst_set(sk, dst_clone(&rt->dst));
	} else {
		/* The cached route of a connected socket: its flow is the connection's. */
		flowi4_init_output(fl4, ipc.oif, sk->sk_mark, tos, RT_SCOPE_UNIVERSE,
				   (u8)sk->sk_protocol, 0, daddr, inet->inet_saddr, dport,
				   inet->inet_sport);
	}

	if (msg->msg_flags & MSG_CONFIRM)
		goto do_confirm;
back_from_confirm:

	if (!ipc.addr)
		ipc.addr = fl4->daddr;

	/* Lockless fast path for the non-corking case. */
	skb = ip_make_skb(sk, fl4, ip_generic_getfrag, msg->msg_iov, ulen,
			  sizeof(struct udphdr), &ipc, &rt, (unsigned int)msg->msg_flags);
	err = (int)PTR_ERR(skb);
	if (!IS_ERR_OR_NULL(skb))
		err = udp_send_skb(skb, fl4);

out:
	ip_rt_put(rt);
	if (!err)
		return (int)len;
	/* ENOBUFS = no kernel mem, SOCK_NOSPACE = no sndbuf space. Reporting ENOBUFS might
	 * not be good (it's not tunable per se), but otherwise we don't have a good statistic
	 * (IpOutDiscards but it can be too many things). We could add another new stat but at
	 * least for now that seems like overkill. */
	if (err == -ENOBUFS || test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
		UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_SNDBUFERRORS, is_udplite);
	return err;

do_confirm:
	dst_confirm(&rt->dst);
	if (!(msg->msg_flags & MSG_PROBE) || len)
		goto back_from_confirm;
	err = 0;
	goto out;
}

/* ------------------------------------------------------------------------------------------
 * Receiving (process side). */

/* The length of the first queued datagram with a good checksum (bad ones are dropped and
 * counted on the way), 0 if none. */
static unsigned int first_packet_length(struct sock *sk)
{
	struct sk_buff_head list_kill, *rcvq = &sk->sk_receive_queue;
	struct sk_buff *skb;
	unsigned int res;
	unsigned int guard = 0;

	__skb_queue_head_init(&list_kill);

	spin_lock_bh(&rcvq->lock);
	while ((skb = skb_peek(rcvq)) != NULL && udp_lib_checksum_complete(skb)) {
		UDP_INC_STATS_BH(sock_net(sk), UDP_MIB_CSUMERRORS, IS_UDPLITE(sk));
		UDP_INC_STATS_BH(sock_net(sk), UDP_MIB_INERRORS, IS_UDPLITE(sk));
		sk_drops_inc(sk);
		__skb_unlink(skb, rcvq);
		__skb_queue_tail(&list_kill, skb);
		if (++guard > 1000000)
			break;
	}
	res = skb ? skb->len : 0;
	spin_unlock_bh(&rcvq->lock);

	if (!skb_queue_empty(&list_kill)) {
		bool slow = lock_sock_fast(sk);

		while ((skb = __skb_dequeue(&list_kill)) != NULL)
			kfree_skb_reason(skb, SKB_DROP_REASON_UDP_CSUM);
		sk_mem_reclaim_partial(sk);
		unlock_sock_fast(sk, slow);
	}
	return res;
}

/* IOCTL requests applicable to the UDP protocol. */
int udp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	switch (cmd) {
	case SIOCOUTQ: {
		int amount = sk_wmem_alloc_get(sk);

		if (!arg)
			return -EFAULT;
		*(int *)arg = amount;
		return 0;
	}
	case SIOCINQ: {
		unsigned int amount = first_packet_length(sk);

		if (amount)
			/* We will only return the amount of this packet since that is all that
			 * will be read. */
			amount -= sizeof(struct udphdr);
		if (!arg)
			return -EFAULT;
		*(int *)arg = (int)amount;
		return 0;
	}
	default:
		return -ENOIOCTLCMD;
	}
}

unsigned int udp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	unsigned int mask = datagram_poll(file, sock, wait);
	struct sock *sk = sock->sk;

	/* Check for false positives due to checksum errors. */
	if ((mask & POLLRDNORM) && !(file->f_flags & O_NONBLOCK) &&
	    !(sk->sk_shutdown & RCV_SHUTDOWN) && !first_packet_length(sk))
		mask &= ~(POLLIN | POLLRDNORM);
	return mask;
}

/* This should be easy, if there is something there we return it, otherwise we block. */
int udp_recvmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len,
		int noblock, int flags, int *addr_len)
{
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)msg->msg_name;
	struct sk_buff *skb;
	unsigned int ulen, copied;
	int peeked, off = 0;
	int err;
	int is_udplite = IS_UDPLITE(sk);
	unsigned int rounds = 0;
	bool slow;

	UL_TRACE_FN();
	/* Check any passed addresses. */
	if (addr_len)
		*addr_len = sizeof(*sin);

	if (flags & MSG_ERRQUEUE)
		/* ip_recv_error: nothing is ever queued on the error queue (see udp_err). */
		return -EAGAIN;

try_again:
	skb = __skb_recv_datagram(sk, (unsigned int)flags | (noblock ? MSG_DONTWAIT : 0), &peeked,
				  &off, &err);
	if (!skb)
		goto out;

	ulen = skb->len - sizeof(struct udphdr);
	copied = (unsigned int)len;
	if (copied > ulen)
		copied = ulen;
	else if (copied < ulen)
		msg->msg_flags |= MSG_TRUNC;

	/* If checksum is needed at all, try to do it while copying the data. If the data is
	 * truncated, or if we only want a partial coverage checksum (UDP-Lite), do it before
	 * the copy. */
	if (copied < ulen || UDP_SKB_CB(skb)->partial_cov) {
		if (udp_lib_checksum_complete(skb))
			goto csum_copy_err;
	}

	if (skb_csum_unnecessary(skb)) {
		err = skb_copy_datagram_iovec(skb, sizeof(struct udphdr), msg->msg_iov,
					      (int)copied);
	} else {
		err = skb_copy_and_csum_datagram_iovec(skb, sizeof(struct udphdr), msg->msg_iov);
		if (err == -EINVAL)
			goto csum_copy_err;
	}

	if (unlikely(err)) {
		if (!peeked) {
			sk_drops_inc(sk);
			UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_INERRORS, is_udplite);
		}
		goto out_free;
	}

	if (!peeked)
		UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_INDATAGRAMS, is_udplite);

	sock_recv_ts_and_drops(msg, sk, skb);

	/* Copy the address. */
	if (sin) {
		sin->sin_family = AF_INET;
		sin->sin_port = udp_hdr(skb)->source;
		sin->sin_addr.s_addr = ip_hdr(skb)->saddr;
		memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	}
	if (inet->cmsg_flags)
		ip_cmsg_recv(msg, skb);

	err = (int)copied;
	if (flags & MSG_TRUNC)
		err = (int)ulen;

out_free:
	skb_free_datagram_locked(sk, skb);
out:
	return err;

csum_copy_err:
	slow = lock_sock_fast(sk);
	if (!skb_kill_datagram(sk, skb, (unsigned int)flags)) {
		UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_CSUMERRORS, is_udplite);
		UDP_INC_STATS_USER(sock_net(sk), UDP_MIB_INERRORS, is_udplite);
	}
	unlock_sock_fast(sk, slow);

	if (noblock)
		return -EAGAIN;

	/* starting over for a new packet */
	msg->msg_flags &= ~MSG_TRUNC;
	if (++rounds > 1000000)
		return -EAGAIN;
	goto try_again;
}

int udp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);

	/* 1003.1g - break association. */
	sk->sk_state = TCP_CLOSE;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk->sk_bound_dev_if = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		/* inet_reset_saddr */
		inet->inet_rcv_saddr = inet->inet_saddr = 0;
	}
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		sk->sk_prot->unhash(sk);
		inet->inet_sport = 0;
	}
	sk_dst_reset(sk);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Receiving (softirq side). */

/* The backlog_rcv of UDP: queue on the socket, counting a refusal. Consumes @skb. */
static int __udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	int rc;

	UL_TRACE(skb);
	rc = sock_queue_rcv_skb(sk, skb);
	if (rc < 0) {
		int is_udplite = IS_UDPLITE(sk);

		/* Note that an ENOMEM error is charged twice */
		if (rc == -ENOMEM)
			UDP_INC_STATS_BH(sock_net(sk), UDP_MIB_RCVBUFERRORS, is_udplite);
		UDP_INC_STATS_BH(sock_net(sk), UDP_MIB_INERRORS, is_udplite);
		kfree_skb_reason(skb, rc == -ENOMEM ? SKB_DROP_REASON_SOCKET_RCVBUFF :
						      SKB_DROP_REASON_PROTO_MEM);
		return -1;
	}
	return 0;
}

/* returns:
 *  -1: error
 *   0: success
 *  >0: "udp encap" protocol resubmission
 *
 * Note that in the success and error cases, the skb is assumed to have either been
 * requeued or freed. */
int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	int rc;
	int is_udplite = IS_UDPLITE(sk);
	enum skb_drop_reason reason = SKB_DROP_REASON_SOCKET_RCVBUFF;

	UL_TRACE(skb);
	/* 3.10 (after xfrm4_policy_check): a queued datagram holds no conntrack entry. */
	nf_reset(skb);
	/* (No socket filters yet: 3.10 verifies the checksum here only when a filter must
	 * see the payload; otherwise the reader does, in udp_recvmsg.) */
	if (sk_rcvqueues_full(sk, skb, (unsigned int)sk->sk_rcvbuf))
		goto drop;

	rc = 0;
	ipv4_pktinfo_prepare(skb);
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		rc = __udp_queue_rcv_skb(sk, skb);
	} else if (sk_add_backlog(sk, skb, (unsigned int)sk->sk_rcvbuf)) {
		bh_unlock_sock(sk);
		reason = SKB_DROP_REASON_SOCKET_BACKLOG;
		goto drop;
	}
	bh_unlock_sock(sk);
	return rc;

drop:
	UDP_INC_STATS_BH(sock_net(sk), UDP_MIB_INERRORS, is_udplite);
	sk_drops_inc(sk);
	kfree_skb_reason(skb, reason);
	return -1;
}

/* Initialize UDP checksum. If exited with zero value (success), CHECKSUM_UNNECESSARY means,
 * that no more checks are required. Otherwise, csum completion requires chacksumming
 * packet body, including udp header and folding it to skb->csum. */
static inline int udp4_csum_init(struct sk_buff *skb, struct udphdr *uh, int proto)
{
	const struct iphdr *iph;

	UDP_SKB_CB(skb)->partial_cov = 0;
	UDP_SKB_CB(skb)->cscov = (__u16)skb->len;

	iph = ip_hdr(skb);
	if (uh->check == 0) {
		/* RFC 768: an all-zero checksum means the sender computed none. */
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	} else if (skb->ip_summed == CHECKSUM_COMPLETE) {
		if (!csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)skb->len,
				       (unsigned short)proto, skb->csum))
			skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (!skb_csum_unnecessary(skb))
		skb->csum = csum_tcpudp_nofold(iph->saddr, iph->daddr, (unsigned short)skb->len,
					       (unsigned short)proto, 0);
	/* Probably, we should checksum udp header (it should be in cache in any case) and
	 * data in tiny packets (< rx copybreak). */
	return 0;
}

/* Trim to @len, keeping a CHECKSUM_COMPLETE sum right (pskb_trim_rcsum). */
static int udp_pskb_trim_rcsum(struct sk_buff *skb, unsigned int len)
{
	if (len >= skb->len)
		return 0;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return __pskb_trim(skb, len);
}

/* DIVERGES: 3.10 delivers broadcast and multicast datagrams to every matching socket
 * (__udp4_lib_mcast_deliver); ulnet delivers to the best match only. */

/* All we need to do is get the socket, and then do a checksum. */
int __udp4_lib_rcv(struct sk_buff *skb, struct udp_table *udptable, int proto)
{
	struct sock *sk;
	struct udphdr *uh;
	unsigned short ulen;
	__be32 saddr, daddr;
	struct net *net = dev_net(skb->dev);
	enum skb_drop_reason reason = SKB_DROP_REASON_PKT_TOO_SMALL;

	UL_TRACE(skb);
	/* Validate the packet. */
	if (!pskb_may_pull(skb, sizeof(struct udphdr)))
		goto drop; /* No space for header. */

	uh = udp_hdr(skb);
	ulen = ntohs(uh->len);
	saddr = ip_hdr(skb)->saddr;
	daddr = ip_hdr(skb)->daddr;

	if (ulen > skb->len)
		goto short_packet;

	if (proto == IPPROTO_UDP) {
		/* UDP validates ulen. */
		if (ulen < sizeof(*uh) || udp_pskb_trim_rcsum(skb, ulen))
			goto short_packet;
		uh = udp_hdr(skb);
	}

	if (udp4_csum_init(skb, uh, proto))
		goto csum_error;

	sk = __udp4_lib_lookup_skb(skb, uh->source, uh->dest, udptable);
	if (sk != NULL) {
		int ret = udp_queue_rcv_skb(sk, skb);

		sock_put(sk);
		/* a return value > 0 means to resubmit the input, but it wants the return to
		 * be -protocol, or 0 */
		if (ret > 0)
			return -ret;
		return 0;
	}

	/* No socket. Drop packet silently, if checksum is wrong */
	if (udp_lib_checksum_complete(skb))
		goto csum_error;

	UDP_INC_STATS_BH(net, UDP_MIB_NOPORTS, proto == IPPROTO_UDPLITE);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);

	/* Hmm. We got an UDP packet to a port to which we don't wanna listen. Ignore it. */
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;

short_packet:
	net_dbg_ratelimited("UDP: short packet: From %08x:%u %d/%u to %08x:%u\n",
			    ntohl(saddr), ntohs(uh->source), (int)ulen, skb->len, ntohl(daddr),
			    ntohs(uh->dest));
	goto drop;

csum_error:
	/* RFC1122: OK. Discards the bad packet silently (as far as the network is concerned,
	 * anyway) as per 4.1.3.4 (MUST). */
	net_dbg_ratelimited("UDP: bad checksum. From %08x:%u to %08x:%u ulen %d\n",
			    ntohl(saddr), ntohs(uh->source), ntohl(daddr), ntohs(uh->dest),
			    (int)ulen);
	UDP_INC_STATS_BH(net, UDP_MIB_CSUMERRORS, proto == IPPROTO_UDPLITE);
	reason = SKB_DROP_REASON_UDP_CSUM;
drop:
	UDP_INC_STATS_BH(net, UDP_MIB_INERRORS, proto == IPPROTO_UDPLITE);
	kfree_skb_reason(skb, reason);
	return 0;
}

int udp_rcv(struct sk_buff *skb)
{
	UL_TRACE(skb);
	return __udp4_lib_rcv(skb, &udp_table, IPPROTO_UDP);
}

void udp_destroy_sock(struct sock *sk)
{
	bool slow = lock_sock_fast(sk);

	udp_flush_pending_frames(sk);
	unlock_sock_fast(sk, slow);
}

/* ------------------------------------------------------------------------------------------
 * Socket options. */

static int udp_lib_setsockopt(struct sock *sk, int level, int optname, char *optval,
			      unsigned int optlen)
{
	struct udp_sock *up = udp_sk(sk);
	int val;
	int err = 0;

	if (optlen < sizeof(int))
		return -EINVAL;
	if (!optval)
		return -EFAULT;
	memcpy(&val, optval, sizeof(val));

	switch (optname) {
	case UDP_CORK:
		if (val != 0) {
			/* DIVERGES: corking is not implemented (see udp_sendmsg). */
			pr_info("udp: UDP_CORK is not implemented\n");
			err = -EOPNOTSUPP;
		} else {
			up->corkflag = 0;
		}
		break;
	case UDP_ENCAP:
		/* Encapsulation sockets (ESP in UDP, L2TP) are not implemented. */
		pr_info("udp: UDP_ENCAP is not implemented\n");
		err = -EOPNOTSUPP;
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	return err;
}

int udp_setsockopt(struct sock *sk, int level, int optname, char *optval, unsigned int optlen)
{
	if (level == SOL_UDP || level == IPPROTO_UDPLITE)
		return udp_lib_setsockopt(sk, level, optname, optval, optlen);
	return ip_setsockopt(sk, level, optname, optval, optlen);
}

static int udp_lib_getsockopt(struct sock *sk, int level, int optname, char *optval,
			      int *optlen)
{
	struct udp_sock *up = udp_sk(sk);
	int val, len;

	len = *optlen;
	len = min_t(unsigned int, (unsigned int)len, sizeof(int));
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case UDP_CORK:
		val = (int)up->corkflag;
		break;
	case UDP_ENCAP:
		val = up->encap_type;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len && !optval)
		return -EFAULT;
	*optlen = len;
	memcpy(optval, &val, (size_t)len);
	return 0;
}

int udp_getsockopt(struct sock *sk, int level, int optname, char *optval, int *optlen)
{
	if (level == SOL_UDP || level == IPPROTO_UDPLITE)
		return udp_lib_getsockopt(sk, level, optname, optval, optlen);
	return ip_getsockopt(sk, level, optname, optval, optlen);
}

void udp_lib_close(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

void udp_lib_hash(struct sock *sk)
{
	BUG(); /* UDP sockets are hashed by get_port, never at creation */
}

struct proto udp_prot = {
	.name = "UDP",
	.close = udp_lib_close,
	.connect = ip4_datagram_connect,
	.disconnect = udp_disconnect,
	.ioctl = udp_ioctl,
	.destroy = udp_destroy_sock,
	.setsockopt = udp_setsockopt,
	.getsockopt = udp_getsockopt,
	.sendmsg = udp_sendmsg,
	.recvmsg = udp_recvmsg,
	.backlog_rcv = __udp_queue_rcv_skb,
	.release_cb = ip4_datagram_release_cb,
	.hash = udp_lib_hash,
	.unhash = udp_lib_unhash,
	.rehash = udp_v4_rehash,
	.get_port = udp_v4_get_port,
	.memory_allocated = &udp_memory_allocated,
	.sysctl_mem = sysctl_udp_mem,
	.sysctl_wmem = &sysctl_udp_wmem_min,
	.sysctl_rmem = &sysctl_udp_rmem_min,
	.obj_size = sizeof(struct udp_sock),
	.dgram_offset = offsetof(struct udp_sock, dgram),
	.slab_flags = SLAB_DESTROY_BY_RCU,
	.h.udp_table = &udp_table,
};

/* ------------------------------------------------------------------------------------------
 * /proc/net/udp */

static void udp4_format_sock(struct sock *sp, struct seq_file *f, int bucket)
{
	struct inet_sock *inet = inet_sk(sp);
	__be32 dest = inet->inet_daddr;
	__be32 src = inet->inet_rcv_saddr;
	__u16 destp = ntohs(inet->inet_dport);
	__u16 srcp = ntohs(inet->inet_sport);

	/* DIVERGES: the pointer column (%pK) prints 0000000000000000, as Linux does for a
	 * reader without CAP_SYSLOG under kptr_restrict, so the file is the same every run. */
	seq_printf(f,
		   "%5d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d "
		   "%016lx %d",
		   bucket, (unsigned int)src, srcp, (unsigned int)dest, destp, sp->sk_state,
		   sk_wmem_alloc_get(sp), sk_rmem_alloc_get(sp), 0, 0L, 0,
		   (unsigned int)sock_i_uid(sp), 0, sock_i_ino(sp), atomic_read(&sp->sk_refcnt),
		   0UL, sk_drops_read(sp));
}

static int udp4_seq_show(struct seq_file *seq, void *v)
{
	struct net *net = seq->net;
	unsigned int slot;

	seq_setwidth(seq, 127);
	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
		      "retrnsmt   uid  timeout inode ref pointer drops");
	seq_pad(seq, '\n');
	if (!udp_table.hash)
		return 0;
	for (slot = 0; slot <= udp_table.mask; slot++) {
		struct udp_hslot *hslot = &udp_table.hash[slot];
		struct sock *sk;

		if (hlist_empty(&hslot->head))
			continue;
		spin_lock_bh(&hslot->lock);
		sk_for_each(sk, &hslot->head) {
			if (!net_eq(sock_net(sk), net) || sk->sk_family != AF_INET)
				continue;
			seq_setwidth(seq, 127);
			udp4_format_sock(sk, seq, (int)slot);
			seq_pad(seq, '\n');
		}
		spin_unlock_bh(&hslot->lock);
	}
	return 0;
}

/* Every bound UDP socket (all namespaces: @fn filters), one slot lock at a time, as
 * udp_dump (udp_diag) walks udp_table. Context: process; @fn must not take a slot lock. */
void udp_table_walk(struct udp_table *table, void (*fn)(struct sock *sk, void *arg), void *arg)
{
	unsigned int slot;

	if (!table->hash || !fn)
		return;
	for (slot = 0; slot <= table->mask; slot++) {
		struct udp_hslot *hslot = &table->hash[slot];
		struct sock *sk;

		if (hlist_empty(&hslot->head))
			continue;
		spin_lock_bh(&hslot->lock);
		sk_for_each(sk, &hslot->head)
			fn(sk, arg);
		spin_unlock_bh(&hslot->lock);
	}
}

/* ------------------------------------------------------------------------------------------
 * Boot. */

static void udp_table_init(struct udp_table *table, const char *name)
{
	unsigned int i;

	table->log = (unsigned int)ilog2(UL_UDP_HTABLE_ENTRIES);
	table->mask = UL_UDP_HTABLE_ENTRIES - 1;
	/* hash and hash2 in one block, as alloc_large_system_hash gives 3.10. */
	table->hash = vzalloc(2 * (table->mask + 1) * sizeof(struct udp_hslot));
	if (!table->hash) {
		pr_err("%s: cannot allocate the hash table\n", name);
		BUG();
	}
	table->hash2 = table->hash + (table->mask + 1);
	for (i = 0; i <= table->mask; i++) {
		INIT_HLIST_HEAD(&table->hash[i].head);
		table->hash[i].count = 0;
		spin_lock_init(&table->hash[i].lock);
	}
	for (i = 0; i <= table->mask; i++) {
		INIT_HLIST_HEAD(&table->hash2[i].head);
		table->hash2[i].count = 0;
		spin_lock_init(&table->hash2[i].lock);
	}
	pr_info("%s hash table entries: %u\n", name, table->mask + 1);
}

static struct ctl_table udp_sysctl_table[] = {
	{
		.procname = "udp_mem",
		.data = &sysctl_udp_mem,
		.maxlen = sizeof(sysctl_udp_mem),
		.mode = 0644,
		.proc_handler = proc_doulongvec_minmax,
	},
	{
		.procname = "udp_rmem_min",
		.data = &sysctl_udp_rmem_min,
		.maxlen = sizeof(sysctl_udp_rmem_min),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
	},
	{
		.procname = "udp_wmem_min",
		.data = &sysctl_udp_wmem_min,
		.maxlen = sizeof(sysctl_udp_wmem_min),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
	},
	{ }
};

int sockstat_proc_init(void);
void sockstat_proc_fini(void);

void udp_init(void)
{
	unsigned long limit;

	udp_table_init(&udp_table, "UDP");
	/* facts.md §1.3: limit = max(128, nr_free_buffer_pages() / 8) pages. */
	limit = UL_NR_FREE_BUFFER_PAGES / 8;
	limit = max(limit, 128UL);
	sysctl_udp_mem[0] = (long)(limit / 4 * 3);
	sysctl_udp_mem[1] = (long)limit;
	sysctl_udp_mem[2] = sysctl_udp_mem[0] * 2;

	sysctl_udp_rmem_min = SK_MEM_QUANTUM;
	sysctl_udp_wmem_min = SK_MEM_QUANTUM;
	atomic_long_set(&udp_memory_allocated, 0);

	/* 3.10 lists these in sysctl_net_ipv4.c's ipv4_table; they are registered here, next
	 * to their variables. */
	/* (Registered once per stack: sysctl_fini forgets every table at teardown.) */
	if (register_sysctl_table_path("net/ipv4", udp_sysctl_table))
		pr_err("udp_init: cannot register the udp_* sysctls\n");
	if (proc_create_single("net/udp", udp4_seq_show, NULL))
		pr_err("udp_init: cannot create /proc/net/udp\n");
	if (sockstat_proc_init())
		pr_err("udp_init: cannot create /proc/net/sockstat\n");
}

void udp_fini(void)
{
	unsigned int i;

	sockstat_proc_fini();
	proc_remove_path("net/udp");
	/* The udp_* sysctls stay registered until sysctl_fini: unregister_sysctl_path would
	 * take the whole net/ipv4 directory (other subsystems' tables) with them. Their data
	 * are globals that outlive this. */
	if (udp_table.hash) {
		for (i = 0; i <= udp_table.mask; i++)
			if (udp_table.hash[i].count)
				pr_warn("udp_fini: slot %u still has %d sockets\n", i,
					udp_table.hash[i].count);
		vfree(udp_table.hash);
	}
	udp_table.hash = udp_table.hash2 = NULL;
	udp_table.mask = 0;
	udp_table.log = 0;
}
