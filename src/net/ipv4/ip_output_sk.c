/* SPDX-License-Identifier: MIT */
/* IPv4 transmit for sockets: the IP header of a connected socket's segment (ip_queue_xmit),
 * datagram building with corking (ip_append_data, ip_make_skb, ip_push_pending_frames).
 * Mirrors the socket half of linux/net/ipv4/ip_output.c (3.10): ip_queue_xmit,
 * ip_build_and_send_pkt, ip_setup_cork, __ip_append_data, ip_append_data, __ip_make_skb,
 * ip_send_skb, ip_push_pending_frames, ip_flush_pending_frames, ip_make_skb,
 * ip_generic_getfrag, ip_cork_release.
 * (ulnet keeps them apart from ip_output.c so that the IP core links without the socket
 * layer.)
 *
 * Datagrams are built as 3.10 builds them for a device without scatter-gather: each
 * fragment is a linear skb sized for the path MTU, chained on the first one's frag_list;
 * ip_fragment's fast path sends them as they are.
 * DIVERGES: no paged data (ulnet skbs have no frags: the !NETIF_F_SG path is always taken)
 * and no UFO; IP_RECVERR's local EMSGSIZE report (ip_local_error) is not queued.
 * Context: process (the sending task), socket locked. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "net/dst.h"
#include "net/icmp.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/sock.h"
#include "trace/path.h"

#ifndef LL_RESERVED_SPACE
#define HH_DATA_MOD 16
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)
#endif
#ifndef MSG_PROBE
#define MSG_PROBE 0x10
#endif

/* RT_CONN_FLAGS (net/route.h in 3.10): the TOS of a connected socket, plus RTO_ONLINK for
 * SO_DONTROUTE. */
static inline u8 rt_conn_flags(struct sock *sk)
{
	return (u8)(RT_TOS(inet_sk(sk)->tos) | (sock_flag(sk, SOCK_LOCALROUTE) ? RTO_ONLINK : 0));
}

static inline int ip_dont_fragment(struct sock *sk, struct dst_entry *dst)
{
	return inet_sk(sk)->pmtudisc == IP_PMTUDISC_DO ||
	       (inet_sk(sk)->pmtudisc == IP_PMTUDISC_WANT && !dst_metric_locked(dst, RTAX_MTU));
}

static inline int ip_select_ttl(struct inet_sock *inet, struct dst_entry *dst)
{
	int ttl = inet->uc_ttl;

	if (ttl < 0)
		ttl = ip4_dst_hoplimit(dst);
	return ttl;
}

static inline void ip_copy_addrs(struct iphdr *iph, const struct flowi4 *fl4)
{
	iph->saddr = fl4->saddr;
	iph->daddr = fl4->daddr;
}

/* Add an IP header to a packet of a locally built reply (TCP SYN-ACK) on skb's route. */
int ip_build_and_send_pkt(struct sk_buff *skb, struct sock *sk, __be32 saddr, __be32 daddr,
			  struct ip_options_rcu *opt)
{
	struct inet_sock *inet = inet_sk(sk);
	struct rtable *rt = skb_rtable(skb);
	struct iphdr *iph;

	UL_TRACE(skb);
	skb_push(skb, sizeof(struct iphdr) + (opt ? opt->opt.optlen : 0));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = inet->tos;
	if (ip_dont_fragment(sk, &rt->dst))
		iph->frag_off = htons(IP_DF);
	else
		iph->frag_off = 0;
	iph->ttl = (u8)ip_select_ttl(inet, &rt->dst);
	iph->daddr = (opt && opt->opt.srr ? opt->opt.faddr : daddr);
	iph->saddr = saddr;
	iph->protocol = (u8)sk->sk_protocol;
	ip_select_ident(skb, &rt->dst, sk);

	if (opt && opt->opt.optlen) {
		iph->ihl += opt->opt.optlen >> 2;
		ip_options_build(skb, &opt->opt, daddr, rt, 0);
	}
	skb->priority = sock_priority(sk);
	skb->mark = sk->sk_mark;
	return ip_local_out(skb);
}

/* Book ch4: tcp_transmit_skb -> ip_queue_xmit. Route with the socket's cached route (or a
 * new lookup), push the IP header, ip_local_out. Consumes @skb. */
int ip_queue_xmit(struct sk_buff *skb, struct flowi4 *fl4)
{
	struct sock *sk = skb->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct ip_options_rcu *inet_opt;
	struct rtable *rt;
	struct iphdr *iph;
	int res;

	UL_TRACE(skb);
	rcu_read_lock();
	inet_opt = inet_sk_opt(sk);
	/* Skip all of this if the packet is already routed. */
	rt = skb_rtable(skb);
	if (rt)
		goto packet_routed;

	/* Make sure we can route this packet. */
	rt = (struct rtable *)__sk_dst_check(sk, 0);
	if (!rt) {
		__be32 daddr;

		/* Use correct destination address if we have options. */
		daddr = inet->inet_daddr;
		if (inet_opt && inet_opt->opt.srr)
			daddr = inet_opt->opt.faddr;

		/* If this fails, the transport's retransmit mechanism keeps trying until a
		 * route appears or the connection times out. */
		rt = ip_route_output_ports(sock_net(sk), fl4, sk, daddr, inet->inet_saddr,
					   inet->inet_dport, inet->inet_sport, (u8)sk->sk_protocol,
					   rt_conn_flags(sk), sk->sk_bound_dev_if);
		if (IS_ERR(rt))
			goto no_route;
		sk_setup_caps(sk, &rt->dst);
	}
	skb_dst_set_noref(skb, &rt->dst);

packet_routed:
	if (inet_opt && inet_opt->opt.is_strictroute && rt->rt_uses_gateway)
		goto no_route;

	/* OK, we know where to send it, allocate and build IP header. */
	skb_push(skb, sizeof(struct iphdr) + (inet_opt ? inet_opt->opt.optlen : 0));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	*((__be16 *)iph) = htons((4 << 12) | (5 << 8) | (inet->tos & 0xff));
	if (ip_dont_fragment(sk, &rt->dst) && !skb->local_df)
		iph->frag_off = htons(IP_DF);
	else
		iph->frag_off = 0;
	iph->ttl = (u8)ip_select_ttl(inet, &rt->dst);
	iph->protocol = (u8)sk->sk_protocol;
	ip_copy_addrs(iph, fl4);

	/* Transport layer set skb->h.foo itself. */
	if (inet_opt && inet_opt->opt.optlen) {
		iph->ihl += inet_opt->opt.optlen >> 2;
		ip_options_build(skb, &inet_opt->opt, inet->inet_daddr, rt, 0);
	}

	ip_select_ident_more(skb, &rt->dst, sk,
			     (skb_shinfo(skb)->gso_segs ? skb_shinfo(skb)->gso_segs : 1) - 1);

	skb->priority = sock_priority(sk);
	skb->mark = sk->sk_mark;

	res = ip_local_out(skb);
	rcu_read_unlock();
	return res;

no_route:
	rcu_read_unlock();
	IP_INC_STATS(sock_net(sk), IPSTATS_MIB_OUTNOROUTES);
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_OUTNOROUTES);
	return -EHOSTUNREACH;
}

/* ---- datagrams ---- */

int ip_generic_getfrag(void *from, char *to, int offset, int len, int odd, struct sk_buff *skb)
{
	struct iovec *iov = from;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		if (memcpy_fromiovecend((unsigned char *)to, iov, offset, len) < 0)
			return -EFAULT;
	} else {
		__wsum csum = 0;

		if (csum_partial_copy_fromiovecend((unsigned char *)to, iov, offset, len, &csum) < 0)
			return -EFAULT;
		skb->csum = csum_block_add(skb->csum, csum, odd);
	}
	return 0;
}

static void ip_cork_release(struct inet_cork *cork)
{
	cork->flags &= ~IPCORK_OPT;
	kfree(cork->opt);
	cork->opt = NULL;
	dst_release(cork->dst);
	cork->dst = NULL;
}

static int ip_setup_cork(struct sock *sk, struct inet_cork *cork, struct ipcm_cookie *ipc,
			 struct rtable **rtp)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ip_options_rcu *opt;
	struct rtable *rt;

	/* setup for corking. */
	opt = ipc->opt;
	if (opt) {
		if (!cork->opt) {
			cork->opt = kmalloc(sizeof(struct ip_options) + 40, sk->sk_allocation);
			if (unlikely(!cork->opt))
				return -ENOBUFS;
		}
		memcpy(cork->opt, &opt->opt, sizeof(struct ip_options) + opt->opt.optlen);
		cork->flags |= IPCORK_OPT;
		cork->addr = ipc->addr;
	}
	rt = *rtp;
	if (unlikely(!rt))
		return -EFAULT;
	/* We steal the reference to this route: the caller must not release it. */
	*rtp = NULL;
	cork->fragsize = inet->pmtudisc == IP_PMTUDISC_PROBE ? rt->dst.dev->mtu : dst_mtu(&rt->dst);
	cork->dst = &rt->dst;
	cork->length = 0;
	cork->tx_flags = ipc->tx_flags;
	return 0;
}

/* Append @length bytes from @getfrag to the datagram being built on @queue: fill the last
 * skb up to the fragment boundary, then allocate skbs of maxfraglen, moving the bytes past
 * the 8-byte boundary of the previous one (fraggap) into the new one. */
static int __ip_append_data(struct sock *sk, struct flowi4 *fl4, struct sk_buff_head *queue,
			    struct inet_cork *cork, ip_getfrag_t getfrag, void *from, int length,
			    int transhdrlen, unsigned int flags)
{
	struct rtable *rt = (struct rtable *)cork->dst;
	struct ip_options *opt = cork->opt;
	int csummode = CHECKSUM_NONE;
	unsigned int maxfraglen, fragheaderlen;
	struct sk_buff *skb;
	int hh_len, exthdrlen, mtu, copy, err = 0, offset = 0;

	skb = skb_peek_tail(queue);
	exthdrlen = !skb ? rt->dst.header_len : 0;
	mtu = (int)cork->fragsize;
	hh_len = (int)LL_RESERVED_SPACE(rt->dst.dev);

	fragheaderlen = sizeof(struct iphdr) + (opt ? opt->optlen : 0);
	maxfraglen = ((mtu - fragheaderlen) & ~7U) + fragheaderlen;

	if (cork->length + length > 0xFFFF - (int)fragheaderlen)
		return -EMSGSIZE;

	/* transhdrlen > 0 means that this is the first fragment and we wish it won't be
	 * fragmented in the future. */
	if (transhdrlen && length + (int)fragheaderlen <= mtu &&
	    (rt->dst.dev->features & NETIF_F_V4_CSUM) && !exthdrlen)
		csummode = CHECKSUM_PARTIAL;

	cork->length += length;

	if (!skb)
		goto alloc_new_skb;

	while (length > 0) {
		/* Check if the remaining data fits into current packet. */
		copy = mtu - (int)skb->len;
		if (copy < length)
			copy = (int)maxfraglen - (int)skb->len;
		if (copy <= 0) {
			char *data;
			unsigned int datalen, fraglen, fraggap, alloclen;
			struct sk_buff *skb_prev;
alloc_new_skb:
			skb_prev = skb;
			if (skb_prev)
				fraggap = skb_prev->len - maxfraglen;
			else
				fraggap = 0;

			/* If remaining data exceeds the mtu, we know we need more fragment(s). */
			datalen = (unsigned int)length + fraggap;
			if (datalen > (unsigned int)mtu - fragheaderlen)
				datalen = maxfraglen - fragheaderlen;
			fraglen = datalen + fragheaderlen;

			if (flags & MSG_MORE)
				alloclen = (unsigned int)mtu;
			else
				alloclen = fraglen;
			alloclen += (unsigned int)exthdrlen;
			/* The last fragment gets additional space at tail. */
			if (datalen == (unsigned int)length + fraggap)
				alloclen += rt->dst.trailer_len;

			if (transhdrlen) {
				skb = sock_alloc_send_skb(sk, alloclen + hh_len + 15,
							  (flags & MSG_DONTWAIT), &err);
			} else {
				skb = NULL;
				if (atomic_read(&sk->sk_wmem_alloc) <= 2 * sk->sk_sndbuf)
					skb = sock_wmalloc(sk, alloclen + hh_len + 15, 1,
							   sk->sk_allocation);
				if (unlikely(!skb))
					err = -ENOBUFS;
				else
					/* only the initial fragment is time stamped */
					cork->tx_flags = 0;
			}
			if (!skb)
				goto error;

			/* Fill in the control structures. */
			skb->ip_summed = csummode;
			skb->csum = 0;
			skb_reserve(skb, hh_len);
			skb_shinfo(skb)->tx_flags = cork->tx_flags;

			/* Find where to start putting bytes. */
			data = (char *)skb_put(skb, fraglen + exthdrlen);
			skb_set_network_header(skb, exthdrlen);
			skb->transport_header = skb->network_header + fragheaderlen;
			data += fragheaderlen + exthdrlen;

			if (fraggap) {
				skb->csum = skb_copy_and_csum_bits(skb_prev, (int)maxfraglen,
								   (u8 *)data + transhdrlen,
								   (int)fraggap, 0);
				skb_prev->csum = csum_sub(skb_prev->csum, skb->csum);
				data += fraggap;
				pskb_trim(skb_prev, maxfraglen);
			}

			copy = (int)datalen - transhdrlen - (int)fraggap;
			if (copy > 0 &&
			    getfrag(from, data + transhdrlen, offset, copy, (int)fraggap, skb) < 0) {
				err = -EFAULT;
				kfree_skb(skb);
				goto error;
			}

			offset += copy;
			length -= (int)datalen - (int)fraggap;
			transhdrlen = 0;
			exthdrlen = 0;
			csummode = CHECKSUM_NONE;

			/* Put the packet on the pending queue. */
			__skb_queue_tail(queue, skb);
			continue;
		}

		if (copy > length)
			copy = length;

		{
			unsigned int off = skb->len;

			if (getfrag(from, (char *)skb_put(skb, (unsigned int)copy), offset, copy,
				    (int)off, skb) < 0) {
				__skb_trim(skb, off);
				err = -EFAULT;
				goto error;
			}
		}
		offset += copy;
		length -= copy;
	}
	return 0;

error:
	cork->length -= length;
	IP_INC_STATS(sock_net(sk), IPSTATS_MIB_OUTDISCARDS);
	return err;
}

/* The socket's datagram cork, NULL before the first ip_append_data or for a kind without
 * one (TCP: see struct inet_dgram). */
static struct inet_cork *ip_sk_cork(const struct sock *sk)
{
	struct inet_dgram *idg = inet_dgram(sk);

	return idg ? idg->cork : NULL;
}

/* ip_append_data() and ip_append_page() can make one large IP datagram from many pieces
 * of data. Each piece is held on the socket until ip_push_pending_frames() is called. */
int ip_append_data(struct sock *sk, struct flowi4 *fl4, ip_getfrag_t getfrag, void *from,
		   int length, int transhdrlen, struct ipcm_cookie *ipc, struct rtable **rtp,
		   unsigned int flags)
{
	struct inet_dgram *idg = inet_dgram(sk);
	int err;

	if (flags & MSG_PROBE)
		return 0;
	/* Only the datagram kinds have a cork (struct inet_dgram); 3.10's callers are UDP,
	 * raw and ping. */
	if (WARN_ON(!idg))
		return -EOPNOTSUPP;
	if (!idg->cork) {
		/* DIVERGES: the cork is allocated on first use (see struct inet_dgram). */
		idg->cork = kzalloc(sizeof(*idg->cork), sk->sk_allocation);
		if (!idg->cork)
			return -ENOBUFS;
	}
	if (skb_queue_empty(&sk->sk_write_queue)) {
		err = ip_setup_cork(sk, idg->cork, ipc, rtp);
		if (err)
			return err;
	} else {
		transhdrlen = 0;
	}
	return __ip_append_data(sk, fl4, &sk->sk_write_queue, idg->cork, getfrag, from,
				length, transhdrlen, flags);
}

/* Combine all pending IP fragments on the socket as one IP datagram (the fragments on the
 * first one's frag_list) and fill its header. */
struct sk_buff *__ip_make_skb(struct sock *sk, struct flowi4 *fl4, struct sk_buff_head *queue,
			      struct inet_cork *cork)
{
	struct sk_buff *skb, *tmp_skb;
	struct sk_buff **tail_skb;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct ip_options *opt = NULL;
	struct rtable *rt = (struct rtable *)cork->dst;
	struct iphdr *iph;
	__be16 df = 0;
	__u8 ttl;

	skb = __skb_dequeue(queue);
	if (!skb)
		goto out;
	tail_skb = &(skb_shinfo(skb)->frag_list);

	/* move skb->data to ip header from ext header */
	if (skb->data < skb_network_header(skb))
		__skb_pull(skb, (unsigned int)skb_network_offset(skb));
	while ((tmp_skb = __skb_dequeue(queue)) != NULL) {
		__skb_pull(tmp_skb, skb_network_header_len(skb));
		*tail_skb = tmp_skb;
		tail_skb = &(tmp_skb->next);
		skb->len += tmp_skb->len;
		skb->data_len += tmp_skb->len;
		skb->truesize += tmp_skb->truesize;
		tmp_skb->destructor = NULL;
		tmp_skb->sk = NULL;
	}

	/* Unless the user demanded real PMTU discovery (IP_PMTUDISC_DO), we allow to fragment
	 * the frame generated here. */
	if (inet->pmtudisc < IP_PMTUDISC_DO)
		skb->local_df = 1;

	/* DF bit is set when we want to see DF on outgoing frames. If local_df is set too,
	 * we still allow to fragment this frame locally. */
	if (inet->pmtudisc >= IP_PMTUDISC_DO ||
	    (skb->len <= dst_mtu(&rt->dst) && ip_dont_fragment(sk, &rt->dst)))
		df = htons(IP_DF);

	if (cork->flags & IPCORK_OPT)
		opt = cork->opt;

	if (rt->rt_type == RTN_MULTICAST)
		ttl = inet->mc_ttl;
	else
		ttl = (u8)ip_select_ttl(inet, &rt->dst);

	iph = (struct iphdr *)skb->data;
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = inet->tos;
	iph->frag_off = df;
	iph->ttl = ttl;
	iph->protocol = (u8)sk->sk_protocol;
	/* (3.10.4 picks the ID before copying the addresses, so the inet_peer lookup sees a
	 * stale daddr; later kernels copy them first, as here.) */
	ip_copy_addrs(iph, fl4);
	ip_select_ident(skb, &rt->dst, sk);

	if (opt) {
		iph->ihl += opt->optlen >> 2;
		ip_options_build(skb, opt, cork->addr, rt, 0);
	}

	skb->priority = sock_priority(sk);
	skb->mark = sk->sk_mark;
	/* Steal rt from cork.dst to avoid a pair of atomic_inc/atomic_dec on dst refcount. */
	cork->dst = NULL;
	skb_dst_set(skb, &rt->dst);

	if (iph->protocol == IPPROTO_ICMP)
		icmp_out_count(net, ((struct icmphdr *)skb_transport_header(skb))->type);

	ip_cork_release(cork);
out:
	return skb;
}

int ip_push_pending_frames(struct sock *sk, struct flowi4 *fl4)
{
	struct sk_buff *skb;

	struct inet_cork *cork = ip_sk_cork(sk);

	/* No cork: nothing was ever appended. */
	if (!cork)
		return 0;
	skb = __ip_make_skb(sk, fl4, &sk->sk_write_queue, cork);
	if (!skb)
		return 0;
	/* Netfilter gets the whole, not yet fragmented skb. */
	return ip_send_skb(sock_net(sk), skb);
}

static void __ip_flush_pending_frames(struct sock *sk, struct sk_buff_head *queue,
				      struct inet_cork *cork)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue_tail(queue)) != NULL)
		kfree_skb(skb);
	ip_cork_release(cork);
}

/* Throw away all pending data on the socket. */
void ip_flush_pending_frames(struct sock *sk)
{
	struct inet_cork *cork = ip_sk_cork(sk);

	if (cork)
		__ip_flush_pending_frames(sk, &sk->sk_write_queue, cork);
	else
		__skb_queue_purge(&sk->sk_write_queue);
}

void ip_cork_free(struct sock *sk)
{
	struct inet_cork *cork = ip_sk_cork(sk);

	if (!cork)
		return;
	ip_cork_release(cork);
	kfree(cork);
	inet_dgram(sk)->cork = NULL;
}

struct sk_buff *ip_make_skb(struct sock *sk, struct flowi4 *fl4, ip_getfrag_t getfrag,
			    void *from, int length, int transhdrlen, struct ipcm_cookie *ipc,
			    struct rtable **rtp, unsigned int flags)
{
	struct inet_cork cork;
	struct sk_buff_head queue;
	int err;

	if (flags & MSG_PROBE)
		return NULL;

	__skb_queue_head_init(&queue);
	memset(&cork, 0, sizeof(cork));
	err = ip_setup_cork(sk, &cork, ipc, rtp);
	if (err)
		return ERR_PTR(err);

	err = __ip_append_data(sk, fl4, &queue, &cork, getfrag, from, length, transhdrlen, flags);
	if (err) {
		__ip_flush_pending_frames(sk, &queue, &cork);
		return ERR_PTR(err);
	}
	return __ip_make_skb(sk, fl4, &queue, &cork);
}
