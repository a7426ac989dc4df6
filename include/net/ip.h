/* SPDX-License-Identifier: MIT */
/* IPv4: the per-packet control block, header helpers, MIB update macros, and the entry
 * points of the receive, forward, send and fragment paths.
 * Mirrors linux/include/net/ip.h (3.10): struct inet_skb_parm, IPCB, struct ipcm_cookie,
 * ip_hdr, ip_hdrlen, ip_is_fragment, ip_decrease_ttl, ip_send_check, IP_INC_STATS,
 * NET_INC_STATS, ip_rcv, ip_local_deliver, ip_forward, ip_output, ip_local_out,
 * ip_queue_xmit, ip_fragment, ip_defrag, ip_append_data, ip_make_skb, ip_send_skb, ...;
 * and linux/include/net/inet_sock.h's struct ip_options (see below).
 *
 * The paths (book ch2 and ch4):
 *   RX: ip_rcv -> PRE_ROUTING -> ip_rcv_finish -> ip_route_input_noref (route.c) ->
 *       dst->input: ip_local_deliver -> ip_defrag -> LOCAL_IN -> ip_local_deliver_finish
 *       -> inet_protos[proto]->handler (udp_rcv, icmp_rcv, tcp_v4_rcv)
 *       or ip_forward -> FORWARD -> ip_forward_finish -> dst_output.
 *   TX: ip_queue_xmit / ip_send_skb -> ip_local_out -> __ip_local_out -> LOCAL_OUT ->
 *       dst_output: ip_output -> POST_ROUTING -> ip_finish_output (ip_fragment) ->
 *       ip_finish_output2 -> neighbour -> dev_queue_xmit.
 * Every function that takes an skb consumes it on every path. */
#ifndef _NET_IP_H
#define _NET_IP_H
#include "linux/in.h"
#include "linux/jiffies.h"
#include "linux/skbuff.h"
#include "linux/types.h"
#include "net/checksum.h"
#include "net/net_namespace.h"
#include "net/snmp.h"
#include "uapi/linux/ip.h"

struct sock;
struct net_device;
struct packet_type;
struct dst_entry;
struct rtable;
struct flowi4;
struct inet_cork;
struct sk_buff_head;

/* IP options of a packet or a socket, parsed (offsets from the IP header start).
 * DIVERGES: 3.10 declares struct ip_options in net/inet_sock.h; it lives here so that IPCB
 * (and the receive path) need no socket header. net/inet_sock.h includes this file. */
struct ip_options {
	__be32 faddr;			/* first hop of a source route */
	__be32 nexthop;
	unsigned char optlen;		/* bytes of options (0..40) */
	unsigned char srr;		/* offset of LSRR/SSRR, 0 if none */
	unsigned char rr;		/* offset of RR */
	unsigned char ts;		/* offset of TIMESTAMP */
	unsigned char is_strictroute:1,
		      srr_is_hit:1,
		      is_changed:1,	/* the header was modified: checksum again */
		      rr_needaddr:1,	/* an RR slot needs our address */
		      ts_needtime:1,	/* a TS slot needs our time */
		      ts_needaddr:1;	/* a TS slot needs our address */
	unsigned char router_alert;
	unsigned char cipso;
	unsigned char __pad2;
	unsigned char __data[];		/* socket options: the raw bytes follow */
};
struct ip_options_rcu {
	struct ip_options opt;
};
struct ip_options_data {
	struct ip_options_rcu opt;
	char data[40];
};

/* IPv4's private part of skb->cb (also the first member of TCP's tcp_skb_cb). */
struct inet_skb_parm {
	struct ip_options opt;		/* compiled IP options */
	unsigned char flags;
#define IPSKB_FORWARDED		1
#define IPSKB_XFRM_TUNNEL_SIZE	2
#define IPSKB_XFRM_TRANSFORMED	4
#define IPSKB_FRAG_COMPLETE	8	/* ip_fragment done: don't fragment again */
#define IPSKB_REROUTED		16
	u16 frag_max_size;		/* largest fragment of a reassembled datagram */
};
#define IPCB(skb) ((struct inet_skb_parm *)((skb)->cb))
_Static_assert(sizeof(struct inet_skb_parm) <= sizeof(((struct sk_buff *)0)->cb),
	       "inet_skb_parm must fit in skb->cb");

/* Ancillary data of one send (cmsg IP_PKTINFO/IP_RETOPTS, or the socket's defaults). */
struct ipcm_cookie {
	__be32 addr;			/* source address from IP_PKTINFO, or 0 */
	int oif;
	struct ip_options_rcu *opt;
	__u8 tx_flags;
};

/* frag_off bits (host order after ntohs). */
#define IP_CE		0x8000		/* Flag: "Congestion" */
#define IP_DF		0x4000		/* Flag: "Don't Fragment" */
#define IP_MF		0x2000		/* Flag: "More Fragments" */
#define IP_OFFSET	0x1FFF		/* "Fragment Offset" part, in 8-byte units */

#define IP_FRAG_TIME	(30 * HZ)	/* fragment lifetime: net.ipv4.ipfrag_time */

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}
static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4;
}
static inline bool ip_is_fragment(const struct iphdr *iph)
{
	return (iph->frag_off & htons(IP_MF | IP_OFFSET)) != 0;
}
/* Recompute the header checksum (after changing a field). */
static inline void ip_send_check(struct iphdr *iph)
{
	iph->check = 0;
	iph->check = ip_fast_csum((unsigned char *)iph, iph->ihl);
}
/* TTL - 1 with the checksum updated incrementally (RFC 1624); returns the new TTL. */
static inline int ip_decrease_ttl(struct iphdr *iph)
{
	u32 check = (u32)iph->check;
	check += (u32)htons(0x0100);
	iph->check = (__sum16)(check + (check >= 0xFFFF));
	return --iph->ttl;
}
static inline __be32 inet_make_mask(int logmask)
{
	if (logmask)
		return htonl(~((1U << (32 - logmask)) - 1));
	return 0;
}
static inline int inet_mask_len(__be32 mask)
{
	__u32 hmask = ntohl(mask);
	if (!hmask)
		return 0;
	return 32 - __builtin_ctz(hmask);
}
/* Same subnet? (all arguments network order) */
static inline bool inet_ifa_match_net(__be32 addr, __be32 net, __be32 mask)
{
	return !((addr ^ net) & mask);
}

/* ---- MIB updates (net/snmp.h). Context: any. ---- */
#define IP_INC_STATS(net, field)	SNMP_INC_STATS64((net)->mib.ip_statistics, field)
#define IP_INC_STATS_BH(net, field)	SNMP_INC_STATS64_BH((net)->mib.ip_statistics, field)
#define IP_ADD_STATS(net, field, val)	SNMP_ADD_STATS64((net)->mib.ip_statistics, field, val)
#define IP_ADD_STATS_BH(net, field, val) SNMP_ADD_STATS64_BH((net)->mib.ip_statistics, field, val)
#define IP_UPD_PO_STATS(net, field, val) SNMP_UPD_PO_STATS64((net)->mib.ip_statistics, field, val)
#define IP_UPD_PO_STATS_BH(net, field, val) \
	SNMP_UPD_PO_STATS64_BH((net)->mib.ip_statistics, field, val)
#define NET_INC_STATS(net, field)	SNMP_INC_STATS((net)->mib.net_statistics, field)
#define NET_INC_STATS_BH(net, field)	SNMP_INC_STATS_BH((net)->mib.net_statistics, field)
#define NET_INC_STATS_USER(net, field)	SNMP_INC_STATS_USER((net)->mib.net_statistics, field)
#define NET_ADD_STATS_BH(net, field, adnd) SNMP_ADD_STATS_BH((net)->mib.net_statistics, field, adnd)
#define NET_ADD_STATS_USER(net, field, adnd) \
	SNMP_ADD_STATS_USER((net)->mib.net_statistics, field, adnd)
/* Read one summed counter (tests, nstat-style views). */
u64 ip_mib_read(struct net *net, int field);
unsigned long net_mib_read(struct net *net, int field);

/* ---- sysctls (sysctl_net_ipv4.c; global in 3.10 unless they live in netns_ipv4) ---- */
extern int sysctl_ip_default_ttl;	/* ip_default_ttl, 64 */
extern int sysctl_ip_nonlocal_bind;	/* 0 */
extern int sysctl_ip_dynaddr;		/* 0 */
extern int sysctl_ip_early_demux;	/* 1 */
extern int sysctl_ipfrag_max_dist;	/* 64 */
extern int sysctl_ipfrag_secret_interval; /* 600 s, in jiffies */
struct ipv4_config {
	int log_martians;
	int no_pmtu_disc;		/* ip_no_pmtu_disc, 0 */
};
extern struct ipv4_config ipv4_config;
/* net.ipv4.ip_local_port_range (32768 61000). Context: any. */
void inet_get_local_port_range(int *low, int *high);
int ipv4_sysctl_init(void);		/* boot: the global net.ipv4 table */
void ipv4_sysctl_fini(void);

/* ---- receive (ip_input.c). Context: softirq. ---- */
/* ptype_base handler of ETH_P_IP: validates the header (counting InHdrErrors,
 * InTruncatedPkts, InCsumErrors, InDiscards as 3.10), then PRE_ROUTING. NET_RX_*. */
int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	   struct net_device *orig_dev);
/* Side-effect-free header check of ip_rcv (STYLE.md: the fuzz target). On success the
 * header (with options) is linear and 0 is returned; otherwise the IPSTATS_MIB_* counter
 * ip_rcv bumps (INHDRERRORS, INTRUNCATEDPKTS, CSUMERRORS: which also counts
 * INHDRERRORS). */
int ip_rcv_core(struct sk_buff *skb);
/* dst->input of local routes (RTN_LOCAL, RTN_BROADCAST to us): reassembly, LOCAL_IN. */
int ip_local_deliver(struct sk_buff *skb);
/* Packets with IP options on input (ip_options_compile + source route). 0 or drop. */
int ip_options_rcv_srr(struct sk_buff *skb);

/* ---- forward (ip_forward.c). dst->input of forwarding routes. ---- */
int ip_forward(struct sk_buff *skb);

/* TOS -> skb->priority (pfifo_fast band). (3.10: net/route.h; defined in ip_forward.c.) */
extern const __u8 ip_tos2prio[16];
static inline char rt_tos2priority(u8 tos)
{
	return (char)ip_tos2prio[IPTOS_TOS(tos) >> 1];
}

/* ---- output (ip_output.c) ---- */
/* dst->output of unicast routes: POST_ROUTING, fragment if needed, neighbour, device. */
int ip_output(struct sk_buff *skb);
/* dst->output of multicast/broadcast routes (without multicast routing: as ip_output, plus
 * OutMcast/OutBcast counters). */
int ip_mc_output(struct sk_buff *skb);
/* Fill tot_len and checksum, LOCAL_OUT. Returns 1 when the hook accepted the packet (the
 * caller then calls dst_output), else the hook's result. */
int __ip_local_out(struct sk_buff *skb);
/* __ip_local_out then dst_output. 0 or -errno / NET_XMIT_*. Needs skb_dst set. */
int ip_local_out(struct sk_buff *skb);
/* Route (if the socket has no cached route), build the IP header, ip_local_out.
 * Context: process or softirq with the socket owned. -EHOSTUNREACH without a route. */
int ip_queue_xmit(struct sk_buff *skb, struct flowi4 *fl);
/* Header for a reply built by the stack (SYN-ACK): push an IP header for @saddr->@daddr on
 * skb's dst and send it. */
int ip_build_and_send_pkt(struct sk_buff *skb, struct sock *sk, __be32 saddr, __be32 daddr,
			  struct ip_options_rcu *opt);
/* Split @skb into fragments that fit the route's MTU and pass each to @output (RFC 791,
 * RFC 1122 3.3.3). DF set (and not local_df) -> ICMP frag needed with the MTU, FragFails.
 * Counts FragOKs, FragCreates. Consumes @skb. */
int ip_fragment(struct sk_buff *skb, int (*output)(struct sk_buff *));
/* The IP ID of a packet that may be fragmented: the inet_peer's counter for the destination
 * (ip_output.c, route.c's in 3.10). */
void __ip_select_ident(struct iphdr *iph, struct dst_entry *dst, int more);
/* ip_select_ident, ip_select_ident_more: inline in net/inet_sock.h (they need inet_sk),
 * included at the end of this file. */
/* TTL of a packet on @dst: the route's hoplimit metric, else ip_default_ttl. */
int ip4_dst_hoplimit(const struct dst_entry *dst);

/* Datagram sending for UDP/raw/ICMP sockets (3.10's corking machinery).
 * getfrag copies @len bytes of the user's data at @offset into @to and may checksum them
 * into skb->csum (@odd: byte parity of @offset within the packet). */
typedef int (*ip_getfrag_t)(void *from, char *to, int offset, int len, int odd,
			    struct sk_buff *skb);
int ip_generic_getfrag(void *from, char *to, int offset, int len, int odd, struct sk_buff *skb);
int ip_append_data(struct sock *sk, struct flowi4 *fl4, ip_getfrag_t getfrag, void *from,
		   int len, int protolen, struct ipcm_cookie *ipc, struct rtable **rt,
		   unsigned int flags);
struct sk_buff *__ip_make_skb(struct sock *sk, struct flowi4 *fl4, struct sk_buff_head *queue,
			      struct inet_cork *cork);
int ip_send_skb(struct net *net, struct sk_buff *skb);
int ip_push_pending_frames(struct sock *sk, struct flowi4 *fl4);
void ip_flush_pending_frames(struct sock *sk);
/* Release and free the socket's datagram cork (inet_sock_destruct). */
void ip_cork_free(struct sock *sk);
/* Build one datagram (with its fragments on frag_list) without touching the socket's
 * write queue: UDP's uncorked fast path. NULL if there is nothing to send, ERR_PTR on
 * error. */
struct sk_buff *ip_make_skb(struct sock *sk, struct flowi4 *fl4, ip_getfrag_t getfrag,
			    void *from, int length, int transhdrlen, struct ipcm_cookie *ipc,
			    struct rtable **rtp, unsigned int flags);

/* ---- options (ip_options.c) ---- */
/* Parse options of @skb's header (or of @opt->__data when skb is NULL) into @opt.
 * 0, or -EINVAL with an ICMP parameter problem sent for a received packet. */
int ip_options_compile(struct net *net, struct ip_options *opt, struct sk_buff *skb);
/* Write @opt into the header being built at skb's network header. */
void ip_options_build(struct sk_buff *skb, struct ip_options *opt, __be32 daddr,
		      struct rtable *rt, int is_frag);
/* Options for the reply to @skb (ICMP errors and echo replies). 0 or -EINVAL. */
int ip_options_echo(struct ip_options *dopt, struct sk_buff *skb);
/* Strip the options that are not copied into fragments other than the first. */
void ip_options_fragment(struct sk_buff *skb);
/* Record route / timestamp on forward. */
void ip_forward_options(struct sk_buff *skb);

/* ---- reassembly (ip_fragment.c) ---- */
enum ip_defrag_users {
	IP_DEFRAG_LOCAL_DELIVER,
	IP_DEFRAG_CALL_RA_CHAIN,
	IP_DEFRAG_CONNTRACK_IN,
	__IP_DEFRAG_CONNTRACK_IN_END = IP_DEFRAG_CONNTRACK_IN + 65535,
	IP_DEFRAG_CONNTRACK_OUT,
	__IP_DEFRAG_CONNTRACK_OUT_END = IP_DEFRAG_CONNTRACK_OUT + 65535,
	IP_DEFRAG_CONNTRACK_BRIDGE_IN,
	__IP_DEFRAG_CONNTRACK_BRIDGE_IN = IP_DEFRAG_CONNTRACK_BRIDGE_IN + 65535,
	IP_DEFRAG_VS_IN,
	IP_DEFRAG_VS_OUT,
	IP_DEFRAG_VS_FWD,
	IP_DEFRAG_AF_PACKET,
	IP_DEFRAG_MACVLAN,
};
/* Queue a fragment. Returns 0 when @skb now holds the whole reassembled datagram, else
 * -EINPROGRESS (kept) or another -errno (dropped, ReasmFails counted). Context: softirq. */
int ip_defrag(struct sk_buff *skb, u32 user);
int ip_frag_mem(struct net *net);	/* bytes held (/proc/net/sockstat FRAG memory) */
int ip_frag_nqueues(struct net *net);	/* queues alive (FRAG inuse) */
int ipfrag_init(void);
void ipfrag_fini(void);

/* ---- af_inet.c ---- */
int inet_init(void);		/* boot: IPv4 and its protocols (net_boot) */
void inet_fini(void);
int ip_init(void);		/* ip_rt_init, inet_initpeers */
/* /proc/net/snmp, /proc/net/netstat (proc.c) */
int ip_misc_proc_init(void);
void ip_misc_proc_fini(void);

/* After everything above: inet_sock.h includes this file (3.10's ip.h includes it first). */
#include "net/inet_sock.h"

#endif
