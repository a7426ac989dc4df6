/* SPDX-License-Identifier: MIT */
/* ICMP (RFC 792, RFC 1122 3.2.2): receive, echo and timestamp replies, errors for the other
 * protocols, rate limiting, and the Icmp/IcmpMsg counters.
 * Mirrors linux/net/ipv4/icmp.c (3.10): icmp_err_convert, icmpv4_xrlim_allow,
 * icmp_out_count, icmp_glue_bits, icmp_push_reply, icmp_reply, icmp_route_lookup,
 * icmp_send, icmp_unreach, icmp_redirect, icmp_echo, icmp_timestamp, icmp_address_reply,
 * icmp_discard, icmp_rcv, icmp_pointers, icmp_sk_init (the per-namespace sysctls).
 *
 * DIVERGES: 3.10 sends through a per-CPU raw control socket (icmp_sk) with
 * ip_append_data/ip_push_pending_frames; ulnet builds the reply skb directly, with the
 * same header the control socket would give it (TTL from the route, no DF: IP_PMTUDISC_DONT,
 * TOS as 3.10 chooses), and sends it with ip_send_skb. The per-CPU socket lock that keeps
 * icmp_send from recursing becomes a per-CPU "sending" flag. Echo replies (type 0) go to
 * the ping socket of their id (ping_rcv, ping.c); errors quoting an echo request reach it
 * through icmp_protocol's err_handler (ping_err).
 * Context: softirq (receive, timers) or a task with bottom halves off. */
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/ktime.h"
#include "linux/netdevice.h"
#include "linux/percpu.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/ping.h"
#include "net/protocol.h"
#include "net/route.h"
#include "trace/path.h"

#ifndef LL_RESERVED_SPACE
#define HH_DATA_MOD 16
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)
#endif

/* Build xmit assembly blocks. */
struct icmp_bxm {
	struct sk_buff *skb;	/* the packet quoted or answered */
	int offset;		/* where its quoted bytes start, from skb->data (may be < 0) */
	int data_len;

	struct {
		struct icmphdr icmph;
		__be32 times[3];
	} data;
	int head_len;
	struct ip_options_data replyopts;
};

/* An array of errno for error messages from dest unreach (RFC 1122 3.2.2.1). */
const struct icmp_err icmp_err_convert[] = {
	{ .errno_ = ENETUNREACH, .fatal = 0 },	/* ICMP_NET_UNREACH */
	{ .errno_ = EHOSTUNREACH, .fatal = 0 },	/* ICMP_HOST_UNREACH */
	{ .errno_ = ENOPROTOOPT, .fatal = 1 },	/* ICMP_PROT_UNREACH */
	{ .errno_ = ECONNREFUSED, .fatal = 1 },	/* ICMP_PORT_UNREACH */
	{ .errno_ = EMSGSIZE, .fatal = 0 },	/* ICMP_FRAG_NEEDED */
	{ .errno_ = EOPNOTSUPP, .fatal = 0 },	/* ICMP_SR_FAILED */
	{ .errno_ = ENETUNREACH, .fatal = 1 },	/* ICMP_NET_UNKNOWN */
	{ .errno_ = EHOSTDOWN, .fatal = 1 },	/* ICMP_HOST_UNKNOWN */
	{ .errno_ = ENONET, .fatal = 1 },	/* ICMP_HOST_ISOLATED */
	{ .errno_ = ENETUNREACH, .fatal = 1 },	/* ICMP_NET_ANO */
	{ .errno_ = EHOSTUNREACH, .fatal = 1 },	/* ICMP_HOST_ANO */
	{ .errno_ = ENETUNREACH, .fatal = 0 },	/* ICMP_NET_UNR_TOS */
	{ .errno_ = EHOSTUNREACH, .fatal = 0 },	/* ICMP_HOST_UNR_TOS */
	{ .errno_ = EHOSTUNREACH, .fatal = 1 },	/* ICMP_PKT_FILTERED */
	{ .errno_ = EHOSTUNREACH, .fatal = 1 },	/* ICMP_PREC_VIOLATION */
	{ .errno_ = EHOSTUNREACH, .fatal = 1 },	/* ICMP_PREC_CUTOFF */
};

/* ICMP control array. This specifies what to do with each ICMP. */
struct icmp_control {
	void (*handler)(struct sk_buff *skb);
	short error;		/* This ICMP is classed as an error message */
};
static const struct icmp_control icmp_pointers[NR_ICMP_TYPES + 1];

/* icmp_xmit_lock: one ICMP being built per CPU; a nested icmp_send (from the output path
 * of the first) gives up, as the trylock of the per-CPU socket does in 3.10. */
static DEFINE_PER_CPU(int, icmp_xmit_busy);

static bool icmp_xmit_lock(void)
{
	local_bh_disable();
	if (unlikely(__get_cpu_var(icmp_xmit_busy))) {
		local_bh_enable();
		return false;
	}
	__get_cpu_var(icmp_xmit_busy) = 1;
	return true;
}

static void icmp_xmit_unlock(void)
{
	__get_cpu_var(icmp_xmit_busy) = 0;
	local_bh_enable();
}

/* Send an ICMP message in response to a situation.
 * RFC 1122 3.2.2 MUST send at least the IP header and 8 bytes of header. MAY send more
 * (we do). MUST NOT change this header information. MUST NOT reply to a
 * multicast/broadcast IP address. MUST NOT reply to a multicast/broadcast MAC address.
 * MUST reply to only the first fragment. */

/* facts.md §1.5: never limited for types above NR_ICMP_TYPES, frag needed (PMTU discovery),
 * or loopback; otherwise the types in icmp_ratemask share a per-destination token bucket of
 * icmp_ratelimit jiffies per message. */
bool icmpv4_xrlim_allow(struct net *net, struct dst_entry *dst, struct flowi4 *fl4, int type,
			int code)
{
	bool rc = true;

	if (type > NR_ICMP_TYPES)
		goto out;

	/* Don't limit PMTU discovery. */
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		goto out;

	/* No rate limit on loopback */
	if (dst->dev && (dst->dev->flags & IFF_LOOPBACK))
		goto out;

	/* Limit if icmp type is enabled in ratemask. */
	if ((1 << type) & net->ipv4.sysctl_icmp_ratemask) {
		struct inet_peer *peer = inet_getpeer_v4(net->ipv4.peers, fl4->daddr, 1);

		rc = inet_peer_xrlim_allow(peer, net->ipv4.sysctl_icmp_ratelimit);
		if (peer)
			inet_putpeer(peer);
	}
out:
	return rc;
}

/* Maintain the counters used in the SNMP statistics for outgoing ICMP. */
void icmp_out_count(struct net *net, unsigned char type)
{
	ICMPMSGOUT_INC_STATS(net, type);
	ICMP_INC_STATS(net, ICMP_MIB_OUTMSGS);
}

/* Copy @len bytes of @skb starting @offset bytes from skb->data (negative: in front of
 * it, the IP header of a packet whose header was pulled) and sum them. */
static __wsum icmp_copy_and_csum(const struct sk_buff *skb, int offset, u8 *to, int len)
{
	__wsum csum = 0;
	int done = 0;

	if (offset < 0) {
		int n = min(-offset, len);

		csum = csum_partial_copy_nocheck(skb->data + offset, to, n, 0);
		done = n;
		offset += n;
	}
	if (len > done)
		csum = csum_block_add(csum, skb_copy_and_csum_bits(skb, offset, to + done,
								   len - done, 0), done);
	return csum;
}

/* Build the ICMP packet (header from icmp_param->data, the quoted bytes after it) and its
 * IP header, and send it on *@rtp (whose reference it takes). */
static void icmp_push_reply(struct icmp_bxm *icmp_param, struct flowi4 *fl4,
			    struct ipcm_cookie *ipc, struct rtable **rtp, u8 tos)
{
	struct rtable *rt = *rtp;
	struct net *net = dev_net(rt->dst.dev);
	int optlen = ipc->opt ? ipc->opt->opt.optlen : 0;
	int hh_len = (int)LL_RESERVED_SPACE(rt->dst.dev);
	int iphlen = (int)sizeof(struct iphdr) + optlen;
	int total = iphlen + icmp_param->head_len + icmp_param->data_len;
	struct icmphdr *icmph;
	struct sk_buff *skb;
	struct iphdr *iph;
	__wsum csum;

	if (total > 0xFFFF)
		goto out_err;
	skb = alloc_skb((unsigned int)(hh_len + total + 15), GFP_ATOMIC);
	if (!skb)
		goto out_err;
	skb_reserve(skb, hh_len);
	skb_put(skb, (unsigned int)total);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, iphlen);

	/* Checksum the quoted data, then the ICMP header over it. */
	icmph = (struct icmphdr *)skb_transport_header(skb);
	csum = icmp_copy_and_csum(icmp_param->skb, icmp_param->offset,
				  (u8 *)icmph + icmp_param->head_len, icmp_param->data_len);
	icmp_param->data.icmph.checksum = 0;
	csum = csum_partial_copy_nocheck(&icmp_param->data, icmph, icmp_param->head_len, csum);
	icmph->checksum = csum_fold(csum);
	skb->ip_summed = CHECKSUM_NONE;

	/* The control socket's header: IP_PMTUDISC_DONT (no DF, may be fragmented here),
	 * uc_ttl -1 (the route's hop limit). */
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = tos;
	iph->frag_off = 0;
	skb->local_df = 1;
	iph->ttl = (u8)ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_ICMP;
	iph->saddr = fl4->saddr;
	iph->daddr = fl4->daddr;
	skb_dst_set(skb, &rt->dst);
	*rtp = NULL;
	if (optlen) {
		iph->ihl += optlen >> 2;
		ip_options_build(skb, &ipc->opt->opt, ipc->addr, rt, 0);
	}
	ip_select_ident(skb, &rt->dst, NULL);

	icmp_out_count(net, icmp_param->data.icmph.type);
	ip_send_skb(net, skb);
	return;

out_err:
	ICMP_INC_STATS_BH(net, ICMP_MIB_OUTERRORS);
}

/* Driving logic for building and sending ICMP messages: a reply to @skb (echo,
 * timestamp) from the address it was sent to. */
static void icmp_reply(struct icmp_bxm *icmp_param, struct sk_buff *skb)
{
	struct ipcm_cookie ipc;
	struct rtable *rt = skb_rtable(skb);
	struct net *net = dev_net(rt->dst.dev);
	struct flowi4 fl4;
	__be32 daddr, saddr;
	u8 tos;

	UL_TRACE(skb);
	if (ip_options_echo(&icmp_param->replyopts.opt.opt, skb))
		return;
	if (!icmp_xmit_lock())
		return;

	icmp_param->data.icmph.checksum = 0;
	tos = ip_hdr(skb)->tos;
	daddr = ipc.addr = ip_hdr(skb)->saddr;
	saddr = fib_compute_spec_dst(skb);
	ipc.opt = NULL;
	ipc.oif = 0;
	ipc.tx_flags = 0;
	if (icmp_param->replyopts.opt.opt.optlen) {
		ipc.opt = &icmp_param->replyopts.opt;
		if (ipc.opt->opt.srr)
			daddr = icmp_param->replyopts.opt.opt.faddr;
	}
	flowi4_init_output(&fl4, 0, 0, RT_TOS(ip_hdr(skb)->tos), RT_SCOPE_UNIVERSE,
			   IPPROTO_ICMP, 0, daddr, saddr, 0, 0);
	rt = __ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		goto out_unlock;
	if (icmpv4_xrlim_allow(net, &rt->dst, &fl4, icmp_param->data.icmph.type,
			       icmp_param->data.icmph.code))
		icmp_push_reply(icmp_param, &fl4, &ipc, &rt, tos);
	ip_rt_put(rt);
out_unlock:
	icmp_xmit_unlock();
}

static struct rtable *icmp_route_lookup(struct net *net, struct flowi4 *fl4,
					struct sk_buff *skb_in, const struct iphdr *iph,
					__be32 saddr, u8 tos, int type, int code,
					struct icmp_bxm *param)
{
	__be32 daddr = param->replyopts.opt.opt.srr ? param->replyopts.opt.opt.faddr : iph->saddr;

	flowi4_init_output(fl4, 0, 0, RT_TOS(tos), RT_SCOPE_UNIVERSE, IPPROTO_ICMP, 0, daddr,
			   saddr, 0, 0);
	fl4->fl4_icmp_type = (u8)type;
	fl4->fl4_icmp_code = (u8)code;
	return __ip_route_output_key(net, fl4);
}

void icmp_send(struct sk_buff *skb_in, int type, int code, __be32 info)
{
	struct iphdr *iph;
	int room;
	struct icmp_bxm icmp_param;
	struct rtable *rt = skb_rtable(skb_in);
	struct ipcm_cookie ipc;
	struct flowi4 fl4;
	__be32 saddr;
	u8 tos;
	struct net *net;

	UL_TRACEF(skb_in, "type=%d code=%d", type, code);
	if (!rt || type < 0 || type > NR_ICMP_TYPES)
		return;
	net = dev_net(rt->dst.dev);

	/* Find the original header. It is expected to be valid, of course. Check this,
	 * icmp_send is called from the most obscure devices sometimes. */
	iph = ip_hdr(skb_in);
	if ((u8 *)iph < skb_in->head ||
	    (skb_in->network_header + sizeof(*iph)) > skb_in->tail)
		return;

	/* No replies to physical multicast/broadcast */
	if (skb_in->pkt_type != PACKET_HOST)
		return;

	/* Now check at the protocol level */
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		return;

	/* Only reply to fragment 0. We byte re-order the constant mask for efficiency. */
	if (iph->frag_off & htons(IP_OFFSET))
		return;

	/* If we send an ICMP error to an ICMP error a mess would result.. */
	if (icmp_pointers[type].error) {
		/* We are an error, check if we are replying to an ICMP error */
		if (iph->protocol == IPPROTO_ICMP) {
			u8 _inner_type, *itp;

			itp = skb_header_pointer(skb_in,
						 (int)(skb_network_header(skb_in) + (iph->ihl << 2) +
						       offsetof(struct icmphdr, type) - skb_in->data),
						 sizeof(_inner_type), &_inner_type);
			if (!itp)
				return;
			/* Assume any unknown ICMP type is an error. This isn't specified by
			 * the RFC, but think about it.. */
			if (*itp > NR_ICMP_TYPES || icmp_pointers[*itp].error)
				return;
		}
	}

	if (!icmp_xmit_lock())
		return;

	/* Construct source address and options. */
	saddr = iph->daddr;
	if (!(rt->rt_flags & RTCF_LOCAL)) {
		struct net_device *dev = NULL;

		rcu_read_lock();
		if (rt_is_input_route(rt) && net->ipv4.sysctl_icmp_errors_use_inbound_ifaddr)
			dev = dev_get_by_index_rcu(net, inet_iif(skb_in));
		if (dev)
			saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK);
		else
			saddr = 0;
		rcu_read_unlock();
	}

	tos = icmp_pointers[type].error ?
		      (u8)((iph->tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL) :
		      iph->tos;

	if (ip_options_echo(&icmp_param.replyopts.opt.opt, skb_in))
		goto out_unlock;

	/* Prepare data for ICMP header. */
	memset(&icmp_param.data, 0, sizeof(icmp_param.data));
	icmp_param.data.icmph.type = (u8)type;
	icmp_param.data.icmph.code = (u8)code;
	icmp_param.data.icmph.un.gateway = info;
	icmp_param.data.icmph.checksum = 0;
	icmp_param.skb = skb_in;
	icmp_param.offset = skb_network_offset(skb_in);
	ipc.addr = iph->saddr;
	ipc.opt = &icmp_param.replyopts.opt;
	ipc.oif = 0;
	ipc.tx_flags = 0;

	rt = icmp_route_lookup(net, &fl4, skb_in, iph, saddr, tos, type, code, &icmp_param);
	if (IS_ERR(rt))
		goto out_unlock;

	if (!icmpv4_xrlim_allow(net, &rt->dst, &fl4, type, code))
		goto ende;

	/* RFC says return as much as we can without exceeding 576 bytes. */
	room = (int)dst_mtu(&rt->dst);
	if (room > 576)
		room = 576;
	room -= (int)sizeof(struct iphdr) + icmp_param.replyopts.opt.opt.optlen;
	room -= (int)sizeof(struct icmphdr);

	icmp_param.data_len = (int)skb_in->len - icmp_param.offset;
	if (icmp_param.data_len > room)
		icmp_param.data_len = room;
	icmp_param.head_len = sizeof(struct icmphdr);

	icmp_push_reply(&icmp_param, &fl4, &ipc, &rt, tos);
ende:
	ip_rt_put(rt);
out_unlock:
	icmp_xmit_unlock();
}

/* ---- receive ---- */

/* Give an error to the protocol of the packet it quotes (RFC 1122 3.2.2: MUST extract the
 * protocol ID from the passed header; 3.2.2.1/3.2.2.2 MUST pass unreach and time exceeded
 * to the transport layer). */
static void icmp_socket_deliver(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct net_protocol *ipprot;
	int protocol = iph->protocol;

	/* Checkin full IP header plus 8 bytes of protocol to avoid additional coding at
	 * protocol handlers. */
	if (!pskb_may_pull(skb, iph->ihl * 4 + 8))
		return;

	rcu_read_lock();
	ipprot = rcu_dereference(inet_protos[protocol]);
	if (ipprot && ipprot->err_handler)
		ipprot->err_handler(skb, info);
	rcu_read_unlock();
}

/* Handle ICMP_DEST_UNREACH, ICMP_TIME_EXCEED, ICMP_QUENCH, and ICMP_PARAMETERPROB. */
static void icmp_unreach(struct sk_buff *skb)
{
	const struct iphdr *iph;
	struct icmphdr *icmph;
	struct net *net;
	u32 info = 0;

	UL_TRACE(skb);
	net = dev_net(skb_dst(skb)->dev);

	/* Incomplete header ? Only checks for the IP header, there should be an additional
	 * check for longer headers in upper levels. */
	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		goto out_err;

	icmph = (struct icmphdr *)skb_transport_header(skb);
	iph = (const struct iphdr *)skb->data;

	if (iph->ihl < 5) /* Mangled header, drop. */
		goto out_err;

	if (icmph->type == ICMP_DEST_UNREACH) {
		switch (icmph->code & 15) {
		case ICMP_NET_UNREACH:
		case ICMP_HOST_UNREACH:
		case ICMP_PROT_UNREACH:
		case ICMP_PORT_UNREACH:
			break;
		case ICMP_FRAG_NEEDED:
			if (ipv4_config.no_pmtu_disc) {
				net_info_ratelimited("%08x: fragmentation needed and DF set\n",
						     ntohl(iph->daddr));
			} else {
				info = ntohs(icmph->un.frag.mtu);
				if (!info)
					goto out;
			}
			break;
		case ICMP_SR_FAILED:
			net_info_ratelimited("%08x: Source Route Failed\n", ntohl(iph->daddr));
			break;
		default:
			break;
		}
		if (icmph->code > NR_ICMP_UNREACH)
			goto out;
	} else if (icmph->type == ICMP_PARAMETERPROB) {
		info = ntohl(icmph->un.gateway) >> 24;
	}

	/* Check the other end isn't violating RFC 1122. Some routers send bogus responses
	 * to broadcast frames. */
	if (!net->ipv4.sysctl_icmp_ignore_bogus_error_responses &&
	    inet_addr_type(net, iph->daddr) == RTN_BROADCAST) {
		net_warn_ratelimited("%08x sent an invalid ICMP type %u, code %u error to a "
				     "broadcast: %08x on %s\n", ntohl(ip_hdr(skb)->saddr),
				     icmph->type, icmph->code, ntohl(iph->daddr), skb->dev->name);
		goto out;
	}

	icmp_socket_deliver(skb, info);
out:
	return;
out_err:
	ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);
}

/* Handle ICMP_REDIRECT: the protocols pass it to routing (ipv4_redirect). */
static void icmp_redirect(struct sk_buff *skb)
{
	UL_TRACE(skb);
	if (skb->len < sizeof(struct iphdr)) {
		ICMP_INC_STATS_BH(dev_net(skb->dev), ICMP_MIB_INERRORS);
		return;
	}
	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		return;
	icmp_socket_deliver(skb, ((struct icmphdr *)skb_transport_header(skb))->un.gateway);
}

/* Handle ICMP_ECHO ("ping") requests.
 * RFC 1122 3.2.2.6 MUST have an echo server that answers ICMP echo requests; the data
 * received MUST be returned entirely unchanged in the reply (id, sequence and payload). */
static void icmp_echo(struct sk_buff *skb)
{
	struct net *net = dev_net(skb_dst(skb)->dev);

	UL_TRACE(skb);
	if (!net->ipv4.sysctl_icmp_echo_ignore_all) {
		struct icmp_bxm icmp_param;

		memset(&icmp_param.data, 0, sizeof(icmp_param.data));
		icmp_param.data.icmph = *(struct icmphdr *)skb_transport_header(skb);
		icmp_param.data.icmph.type = ICMP_ECHOREPLY;
		icmp_param.skb = skb;
		icmp_param.offset = 0;
		icmp_param.data_len = (int)skb->len;
		icmp_param.head_len = sizeof(struct icmphdr);
		icmp_reply(&icmp_param, skb);
	}
}

/* Handle ICMP Timestamp requests (RFC 1122 3.2.2.8 MAY implement; the reply carries the
 * milliseconds since midnight UT). */
static void icmp_timestamp(struct sk_buff *skb)
{
	struct icmp_bxm icmp_param;
	s64 ns;
	u64 sec;

	UL_TRACE(skb);
	/* Too short. */
	if (skb->len < 4) {
		ICMP_INC_STATS_BH(dev_net(skb_dst(skb)->dev), ICMP_MIB_INERRORS);
		return;
	}
	memset(&icmp_param.data, 0, sizeof(icmp_param.data));
	ns = ktime_get_real();
	sec = (u64)ns / NSEC_PER_SEC;
	icmp_param.data.times[1] = htonl((u32)((sec % 86400) * MSEC_PER_SEC +
					       ((u64)ns % NSEC_PER_SEC) / NSEC_PER_MSEC));
	icmp_param.data.times[2] = icmp_param.data.times[1];
	if (skb_copy_bits(skb, 0, &icmp_param.data.times[0], 4))
		return;
	icmp_param.data.icmph = *(struct icmphdr *)skb_transport_header(skb);
	icmp_param.data.icmph.type = ICMP_TIMESTAMPREPLY;
	icmp_param.data.icmph.code = 0;
	icmp_param.skb = skb;
	icmp_param.offset = 0;
	icmp_param.data_len = 0;
	icmp_param.head_len = sizeof(struct icmphdr) + 12;
	icmp_reply(&icmp_param, skb);
}

/* Address mask requests: RFC 1122 3.2.2.9 says a host MUST NOT answer unless it is an
 * authoritative agent; Linux does not reply. */
static void icmp_address(struct sk_buff *skb)
{
}

/* RFC 1812 4.3.3.9: a router SHOULD check an address mask reply against its own
 * configuration and log a mismatch. */
static void icmp_address_reply(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net_device *dev = skb->dev;
	struct in_device *in_dev;
	__be32 mask;

	if (skb->len < 4 || !(rt->rt_flags & RTCF_DIRECTSRC))
		return;
	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev || !in_dev->ifa_list || !IN_DEV_LOG_MARTIANS(in_dev) ||
	    !IN_DEV_FORWARD(in_dev))
		return;
	if (skb_copy_bits(skb, 0, &mask, 4))
		return;
	for_primary_ifa(in_dev) {
		if (mask == ifa->ifa_mask && inet_ifa_match(ip_hdr(skb)->saddr, ifa))
			return;
	} endfor_ifa(in_dev);
	net_info_ratelimited("Wrong address mask %08x from %s/%08x\n", ntohl(mask), dev->name,
			     ntohl(ip_hdr(skb)->saddr));
}

static void icmp_discard(struct sk_buff *skb)
{
}

/* Deal with incoming ICMP packets (inet_protos[IPPROTO_ICMP]). Consumes @skb. */
int icmp_rcv(struct sk_buff *skb)
{
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	struct icmphdr *icmph;
	struct rtable *rt = skb_rtable(skb);
	struct net *net = dev_net(rt->dst.dev);

	UL_TRACE(skb);
	ICMP_INC_STATS_BH(net, ICMP_MIB_INMSGS);

	switch (skb->ip_summed) {
	case CHECKSUM_COMPLETE:
		if (!csum_fold(skb->csum))
			break;
		/* fall through */
	case CHECKSUM_NONE:
		skb->csum = 0;
		if (csum_fold(skb_checksum(skb, 0, (int)skb->len, 0)))
			goto csum_error;
	}

	if (!pskb_pull(skb, sizeof(*icmph))) {
		reason = SKB_DROP_REASON_PKT_TOO_SMALL;
		goto error;
	}

	icmph = (struct icmphdr *)skb_transport_header(skb);

	ICMPMSGIN_INC_STATS_BH(net, icmph->type);
	/* 18 is the highest 'known' ICMP type. Anything else is a mystery.
	 * RFC 1122 3.2.2: Unknown ICMP messages types MUST be silently discarded. */
	if (icmph->type > NR_ICMP_TYPES)
		goto error;

	/* Parse the ICMP message */
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
		/* RFC 1122 3.2.2.6: An ICMP_ECHO to broadcast MAY be silently ignored (we let
		 * user decide with a sysctl). RFC 1122 3.2.2.8: An ICMP_TIMESTAMP MAY be
		 * silently discarded if to broadcast/multicast. */
		if ((icmph->type == ICMP_ECHO || icmph->type == ICMP_TIMESTAMP) &&
		    net->ipv4.sysctl_icmp_echo_ignore_broadcasts)
			goto error;
		if (icmph->type != ICMP_ECHO && icmph->type != ICMP_TIMESTAMP &&
		    icmph->type != ICMP_ADDRESS && icmph->type != ICMP_ADDRESSREPLY)
			goto error;
	}

	icmp_pointers[icmph->type].handler(skb);
	consume_skb(skb);
	return 0;

csum_error:
	ICMP_INC_STATS_BH(net, ICMP_MIB_CSUMERRORS);
	reason = SKB_DROP_REASON_ICMP_CSUM;
error:
	ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);
	kfree_skb_reason(skb, reason);
	return 0;
}

/* This table is the definition of how we handle ICMP. */
static const struct icmp_control icmp_pointers[NR_ICMP_TYPES + 1] = {
	[ICMP_ECHOREPLY] = { .handler = ping_rcv },
	[1] = { .handler = icmp_discard, .error = 1 },
	[2] = { .handler = icmp_discard, .error = 1 },
	[ICMP_DEST_UNREACH] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_SOURCE_QUENCH] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_REDIRECT] = { .handler = icmp_redirect, .error = 1 },
	[6] = { .handler = icmp_discard, .error = 1 },
	[7] = { .handler = icmp_discard, .error = 1 },
	[ICMP_ECHO] = { .handler = icmp_echo },
	[9] = { .handler = icmp_discard, .error = 1 },
	[10] = { .handler = icmp_discard, .error = 1 },
	[ICMP_TIME_EXCEEDED] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_PARAMETERPROB] = { .handler = icmp_unreach, .error = 1 },
	[ICMP_TIMESTAMP] = { .handler = icmp_timestamp },
	[ICMP_TIMESTAMPREPLY] = { .handler = icmp_discard },
	[ICMP_INFO_REQUEST] = { .handler = icmp_discard },
	[ICMP_INFO_REPLY] = { .handler = icmp_discard },
	[ICMP_ADDRESS] = { .handler = icmp_address },
	[ICMP_ADDRESSREPLY] = { .handler = icmp_address_reply },
};

unsigned long icmp_mib_read(struct net *net, int field)
{
	return snmp_fold_field(net->mib.icmp_statistics, field);
}

unsigned long icmpmsg_mib_read(struct net *net, int index)
{
	if (index < 0 || index >= ICMPMSG_MIB_MAX || !net->mib.icmpmsg_statistics)
		return 0;
	return (unsigned long)atomic_long_read(&net->mib.icmpmsg_statistics->mibs[index]);
}

/* icmp_sk_init: the per-namespace settings (facts.md §1.5). */
static int icmp_sk_init(struct net *net)
{
	/* Control parameters for ECHO replies. */
	net->ipv4.sysctl_icmp_echo_ignore_all = 0;
	net->ipv4.sysctl_icmp_echo_ignore_broadcasts = 1;
	/* Control parameter - ignore bogus broadcast responses? */
	net->ipv4.sysctl_icmp_ignore_bogus_error_responses = 1;
	/* Configurable global rate limit.
	 * ratelimit defines tokens/packet consumed for dst->rate_token bucket; ratemask
	 * defines which icmp types are ratelimited by setting its bit position.
	 * default: dest unreachable (3), source quench (4), time exceeded (11), parameter
	 * problem (12). */
	net->ipv4.sysctl_icmp_ratelimit = 1 * HZ;
	net->ipv4.sysctl_icmp_ratemask = 0x1818;
	net->ipv4.sysctl_icmp_errors_use_inbound_ifaddr = 0;
	return 0;
}

static struct pernet_operations icmp_sk_ops = {
	.init = icmp_sk_init,
};

static bool icmp_inited;

int icmp_init(void)
{
	int err = register_pernet_subsys(&icmp_sk_ops);

	if (!err)
		icmp_inited = true;
	return err;
}

void icmp_fini(void)
{
	if (!icmp_inited)
		return;
	unregister_pernet_subsys(&icmp_sk_ops);
	icmp_inited = false;
}
