/* SPDX-License-Identifier: MIT */
/* UDP: the socket hash tables, the protocol entry points and the Udp MIB macros.
 * Mirrors linux/include/net/udp.h and net/ipv4/udp.c (3.10): struct udp_hslot, udp_table,
 * udp_prot, udp_init, udp_rcv, __udp4_lib_rcv, __udp4_lib_lookup, udp4_lib_lookup,
 * udp_err, udp_sendmsg, udp_recvmsg, udp_v4_get_port, udp_lib_get_port, udp_lib_unhash,
 * udp_lib_rehash, udp_queue_rcv_skb, udp_disconnect, udp_ioctl, /proc/net/udp.
 *
 * Receive (book ch2): ip_local_deliver_finish -> udp_rcv -> __udp4_lib_rcv (length and
 * checksum checks) -> __udp4_lib_lookup_skb -> udp_queue_rcv_skb -> sock_queue_rcv_skb ->
 * sk_data_ready (sock_def_readable) wakes the reader blocked in __skb_recv_datagram.
 * Send: udp_sendmsg -> ip_route_output_flow -> ip_make_skb -> udp_send_skb -> ip_send_skb.
 *
 * Hashes: every bound UDP socket is in udp_table.hash by local port (udp_port_hash) and in
 * udp_table.hash2 by local port and address (udp_portaddr_hash); a lookup walks the shorter
 * chain. The table is shared by all namespaces (net_hash_mix spreads them). */
#ifndef _NET_UDP_H
#define _NET_UDP_H
#include "linux/list.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "linux/udp.h"
#include "net/inet_sock.h"
#include "net/snmp.h"
#include "net/sock.h"

struct net_protocol;
struct flowi4;
struct seq_file;

/* Bounds of the hash table size (3.10: CONFIG_BASE_SMALL 0). */
#define UDP_HTABLE_SIZE_MIN	256
#define UDP_HTABLE_SIZE_MAX	65536

/* One bucket: its sockets, how many, and the lock of the chain. */
struct udp_hslot {
	struct hlist_head head;
	int count;
	spinlock_t lock;
};

/* hash: by port (mask + 1 slots); hash2: by (address, port), same size, right after. */
struct udp_table {
	struct udp_hslot *hash;
	struct udp_hslot *hash2;
	unsigned int mask;
	unsigned int log;
};
extern struct udp_table udp_table;

static inline struct udp_hslot *udp_hashslot(struct udp_table *table, struct net *net,
					     unsigned int num)
{
	return &table->hash[udp_hashfn(net, num, table->mask)];
}
/* @hash: a udp_portaddr_hash (already mixed with the port). */
static inline struct udp_hslot *udp_hashslot2(struct udp_table *table, unsigned int hash)
{
	return &table->hash2[hash & table->mask];
}

/* The per-skb control block of UDP (over inet_skb_parm). */
struct udp_skb_cb {
	struct inet_skb_parm header;
	__u16 cscov;		/* UDP-Lite coverage */
	__u8 partial_cov;
};
#define UDP_SKB_CB(__skb) ((struct udp_skb_cb *)((__skb)->cb))

/* ---- MIB (net->mib.udp_statistics, "Udp:" of /proc/net/snmp) ---- */
#define UDP_INC_STATS_USER(net, field, is_udplite) do {                        \
		if (is_udplite)                                                 \
			SNMP_INC_STATS_USER((net)->mib.udplite_statistics, field); \
		else                                                            \
			SNMP_INC_STATS_USER((net)->mib.udp_statistics, field);  \
	} while (0)
#define UDP_INC_STATS_BH(net, field, is_udplite) do {                          \
		if (is_udplite)                                                 \
			SNMP_INC_STATS_BH((net)->mib.udplite_statistics, field); \
		else                                                            \
			SNMP_INC_STATS_BH((net)->mib.udp_statistics, field);    \
	} while (0)
/* The summed value of a Udp counter of @net (tests, nstat). */
unsigned long udp_mib_read(struct net *net, int field);

/* ---- the protocol (net/ipv4/udp.c) ---- */
extern struct proto udp_prot;
extern atomic_long_t udp_memory_allocated;
extern long sysctl_udp_mem[3];		/* net.ipv4.udp_mem (pages) */
extern int sysctl_udp_rmem_min;		/* net.ipv4.udp_rmem_min, 4096 */
extern int sysctl_udp_wmem_min;		/* net.ipv4.udp_wmem_min, 4096 */

/* Boot (inet_init calls it after inet_sock_init's proto_register(&udp_prot)): the hash
 * table, the udp_* sysctls, /proc/net/udp and /proc/net/sockstat. */
void udp_init(void);
void udp_fini(void);
/* inet_protos[IPPROTO_UDP] handler: consumes @skb. Context: softirq. */
int udp_rcv(struct sk_buff *skb);
/* err_handler: an ICMP error quoting a datagram we sent. Context: softirq. */
void udp_err(struct sk_buff *skb, u32 info);
int __udp4_lib_rcv(struct sk_buff *skb, struct udp_table *udptable, int proto);
void __udp4_lib_err(struct sk_buff *skb, u32 info, struct udp_table *udptable);
/* The best-matching socket for a datagram (with a reference), or NULL. Addresses and
 * ports in network order; @dif the input ifindex. */
struct sock *__udp4_lib_lookup(struct net *net, __be32 saddr, __be16 sport, __be32 daddr,
			       __be16 dport, int dif, struct udp_table *udptable);
struct sock *udp4_lib_lookup(struct net *net, __be32 saddr, __be16 sport, __be32 daddr,
			     __be16 dport, int dif);
int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);

int udp_sendmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len);
int udp_recvmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len,
		int noblock, int flags, int *addr_len);
/* Build the UDP header on @skb (from ip_make_skb) and hand it to ip_send_skb. */
int udp_send_skb(struct sk_buff *skb, struct flowi4 *fl4);
int udp_push_pending_frames(struct sock *sk);
void udp_flush_pending_frames(struct sock *sk);
int udp_disconnect(struct sock *sk, int flags);
int udp_ioctl(struct sock *sk, int cmd, unsigned long arg);
/* poll of UDP sockets: datagram_poll, minus a first datagram with a bad checksum. */
unsigned int udp_poll(struct file *file, struct socket *sock, poll_table *wait);
int udp_setsockopt(struct sock *sk, int level, int optname, char *optval,
		   unsigned int optlen);
int udp_getsockopt(struct sock *sk, int level, int optname, char *optval, int *optlen);
void udp_destroy_sock(struct sock *sk);
int udp_v4_get_port(struct sock *sk, unsigned short snum);
/* Bind @snum (0: an ephemeral port from ip_local_port_range, random start). 0 on success,
 * 1 when the port is taken (the caller returns -EADDRINUSE). */
int udp_lib_get_port(struct sock *sk, unsigned short snum,
		     int (*saddr_comp)(const struct sock *sk1, const struct sock *sk2),
		     unsigned int hash2_nulladdr);
void udp_lib_unhash(struct sock *sk);
void udp_lib_rehash(struct sock *sk, u16 new_hash);
void udp_v4_rehash(struct sock *sk);
int ipv4_rcv_saddr_equal(const struct sock *sk1, const struct sock *sk2);
void udp_lib_hash(struct sock *sk);	/* BUG: UDP sockets are hashed by get_port */
void udp_lib_close(struct sock *sk, long timeout);

/* Verify the UDP checksum of a whole datagram whose sum was started by
 * udp4_csum_init (skb->csum holds the pseudo-header sum). 0 if good. */
static inline __sum16 __udp_lib_checksum_complete(struct sk_buff *skb)
{
	return csum_fold(skb_checksum(skb, 0, (int)skb->len, skb->csum));
}
static inline int udp_lib_checksum_complete(struct sk_buff *skb)
{
	return !skb_csum_unnecessary(skb) && __udp_lib_checksum_complete(skb);
}

/* Call @fn for every bound socket of @table, under its slot's lock (ss -u, udp_diag). */
void udp_table_walk(struct udp_table *table, void (*fn)(struct sock *sk, void *arg), void *arg);

/* ---- net/ipv4/datagram.c ---- */
/* connect() of a datagram socket: route to the peer, pick the source address, rehash.
 * 0 or -EINVAL / -EAFNOSUPPORT / -ENETUNREACH / -EACCES (broadcast without SO_BROADCAST). */
int ip4_datagram_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);
void ip4_datagram_release_cb(struct sock *sk);
/* The part of an ICMP error (@type, @code, @info as in err_handler) against datagram socket
 * @sk that udp_err and ping_err share: DEST_UNREACH (PMTU update on FRAG_NEEDED,
 * icmp_err_convert), TIME_EXCEEDED, PARAMETERPROB and unknown types. Returns the positive
 * errno and sets *@harderr, or 0 when it was only a PMTU update (nothing to report).
 * SOURCE_QUENCH and REDIRECT stay with the callers, which treat them apart. Context: softirq. */
int ip4_datagram_icmp_errno(struct sock *sk, struct sk_buff *skb, int type, int code, u32 info,
			    int *harderr);
/* Report @err to the application (RFC 1122 4.1.3.3): only hard errors on connected sockets,
 * or any error with IP_RECVERR. Context: softirq. */
void ip4_datagram_report_err(struct sock *sk, int err, int harderr);

#endif
