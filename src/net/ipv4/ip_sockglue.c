/* SPDX-License-Identifier: MIT */
/* IP-level socket options (SOL_IP) and the IP control messages of sendmsg/recvmsg.
 * Mirrors linux/net/ipv4/ip_sockglue.c (3.10): ip_cmsg_recv (IP_PKTINFO, IP_TTL, IP_TOS),
 * ip_cmsg_send (IP_PKTINFO), ipv4_pktinfo_prepare, do_ip_setsockopt / ip_setsockopt,
 * do_ip_getsockopt / ip_getsockopt; and net/core/scm.c's put_cmsg.
 *
 * Implemented options: IP_TOS, IP_TTL, IP_MTU_DISCOVER, IP_RECVERR, IP_PKTINFO,
 * IP_RECVTTL, IP_RECVTOS, IP_MTU (get), IP_FREEBIND, IP_TRANSPARENT, IP_MULTICAST_TTL,
 * IP_MULTICAST_LOOP, IP_MINTTL, IP_NODEFRAG. The rest (IP_OPTIONS, IP_HDRINCL, multicast
 * membership...) answer -ENOPROTOOPT until their features exist. */
#include "linux/errno.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "net/dst.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/udp.h"

#ifndef IP_PKTINFO
#define IP_PKTINFO	8
#endif
#ifndef IP_MINTTL
#define IP_MINTTL	21
#endif
#ifndef IP_NODEFRAG
#define IP_NODEFRAG	22
#endif
#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT	19
#endif
#ifndef IP_FREEBIND
#define IP_FREEBIND	15
#endif
#define INET_ECN_MASK	3

/* struct in_pktinfo (glibc hides it behind _GNU_SOURCE): same layout. */
struct ul_in_pktinfo {
	int ipi_ifindex;
	struct in_addr ipi_spec_dst;
	struct in_addr ipi_addr;
};
#define PKTINFO_SKB_CB(skb) ((struct ul_in_pktinfo *)((skb)->cb))

/* ---- net/core/scm.c ---- */

/* Append one control message (level, type, @len bytes of @data) to msg->msg_control and
 * advance it. Linux's contract: when the caller's buffer cannot hold even a header, the
 * message is dropped and MSG_CTRUNC set, and the call still succeeds; when it holds the
 * header but not all the data, the data is cut and MSG_CTRUNC set. */
int put_cmsg(struct msghdr *msg, int level, int type, int len, void *data)
{
	size_t want = CMSG_LEN((size_t)len), room = msg->msg_controllen, used;
	struct cmsghdr hdr;

	if (!msg->msg_control || room < sizeof(hdr)) {
		msg->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	if (want > room) {
		msg->msg_flags |= MSG_CTRUNC;
		want = room;
	}
	hdr.cmsg_len = want;
	hdr.cmsg_level = level;
	hdr.cmsg_type = type;
	memcpy(msg->msg_control, &hdr, sizeof(hdr));
	memcpy(CMSG_DATA((struct cmsghdr *)msg->msg_control), data, want - sizeof(hdr));
	used = min(CMSG_SPACE((size_t)len), room);
	msg->msg_control = (char *)msg->msg_control + used;
	msg->msg_controllen = room - used;
	return 0;
}

/* ---- control messages ---- */

/* Keep what IP_PKTINFO reports before the route is dropped from the queued skb. */
void ipv4_pktinfo_prepare(struct sk_buff *skb)
{
	struct ul_in_pktinfo *pktinfo = PKTINFO_SKB_CB(skb);

	if (skb_rtable(skb)) {
		pktinfo->ipi_ifindex = inet_iif(skb);
		/* DIVERGES: 3.10 asks the FIB for the preferred source (fib_compute_spec_dst);
		 * ulnet reports the datagram's destination address. */
		pktinfo->ipi_spec_dst.s_addr = ip_hdr(skb)->daddr;
	} else {
		pktinfo->ipi_ifindex = 0;
		pktinfo->ipi_spec_dst.s_addr = 0;
	}
	skb_dst_drop(skb);
}

static void ip_cmsg_recv_pktinfo(struct msghdr *msg, struct sk_buff *skb)
{
	struct ul_in_pktinfo info = *PKTINFO_SKB_CB(skb);

	info.ipi_addr.s_addr = ip_hdr(skb)->daddr;
	put_cmsg(msg, SOL_IP, IP_PKTINFO, sizeof(info), &info);
}

static void ip_cmsg_recv_ttl(struct msghdr *msg, struct sk_buff *skb)
{
	int ttl = ip_hdr(skb)->ttl;

	put_cmsg(msg, SOL_IP, IP_TTL, sizeof(int), &ttl);
}

static void ip_cmsg_recv_tos(struct msghdr *msg, struct sk_buff *skb)
{
	put_cmsg(msg, SOL_IP, IP_TOS, 1, &ip_hdr(skb)->tos);
}

void ip_cmsg_recv(struct msghdr *msg, struct sk_buff *skb)
{
	struct inet_sock *inet = inet_sk(skb->sk);
	unsigned int flags = inet->cmsg_flags;

	/* Ordered by supposed usage frequency */
	if (flags & IP_CMSG_PKTINFO)
		ip_cmsg_recv_pktinfo(msg, skb);
	if (flags & IP_CMSG_TTL)
		ip_cmsg_recv_ttl(msg, skb);
	if (flags & IP_CMSG_TOS)
		ip_cmsg_recv_tos(msg, skb);
}

int ip_cmsg_send(struct net *net, struct msghdr *msg, struct ipcm_cookie *ipc)
{
	struct cmsghdr *cmsg;
	unsigned int guard = 0;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t room = msg->msg_controllen -
			      (size_t)((char *)cmsg - (char *)msg->msg_control);

		if (++guard > 1024)
			return -EINVAL;
		/* CMSG_OK */
		if (cmsg->cmsg_len < sizeof(struct cmsghdr) || cmsg->cmsg_len > room)
			return -EINVAL;
		if (cmsg->cmsg_level != SOL_IP)
			continue;
		switch (cmsg->cmsg_type) {
		case IP_RETOPTS:
			pr_info("ip: IP_RETOPTS (IP options per send) is not implemented\n");
			return -EOPNOTSUPP;
		case IP_PKTINFO: {
			struct ul_in_pktinfo info;

			if (cmsg->cmsg_len != CMSG_LEN(sizeof(struct ul_in_pktinfo)))
				return -EINVAL;
			memcpy(&info, CMSG_DATA(cmsg), sizeof(info));
			ipc->oif = info.ipi_ifindex;
			ipc->addr = info.ipi_spec_dst.s_addr;
			break;
		}
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- options ---- */

/* Options whose value is an int, or a single byte when optlen is 1 (3.10 accepts both). */
static bool ip_opt_is_int(int optname)
{
	switch (optname) {
	case IP_PKTINFO:
	case IP_RECVTTL:
	case IP_RECVOPTS:
	case IP_RECVTOS:
	case IP_RETOPTS:
	case IP_TOS:
	case IP_TTL:
	case IP_HDRINCL:
	case IP_MTU_DISCOVER:
	case IP_RECVERR:
	case IP_ROUTER_ALERT:
	case IP_FREEBIND:
	case IP_PASSSEC:
	case IP_TRANSPARENT:
	case IP_MINTTL:
	case IP_NODEFRAG:
	case IP_MULTICAST_TTL:
	case IP_MULTICAST_LOOP:
	case IP_MULTICAST_ALL:
		return true;
	default:
		return false;
	}
}

static int do_ip_setsockopt(struct sock *sk, int level, int optname, char *optval,
			    unsigned int optlen)
{
	struct inet_sock *inet = inet_sk(sk);
	int val = 0, err = 0;

	if (ip_opt_is_int(optname)) {
		if (optlen && !optval)
			return -EFAULT;
		if (optlen >= sizeof(int)) {
			memcpy(&val, optval, sizeof(int));
		} else if (optlen >= sizeof(char)) {
			unsigned char ucval = (unsigned char)optval[0];

			val = (int)ucval;
		}
	}

	lock_sock(sk);
	switch (optname) {
	case IP_PKTINFO:
		if (val)
			inet->cmsg_flags |= IP_CMSG_PKTINFO;
		else
			inet->cmsg_flags &= ~IP_CMSG_PKTINFO;
		break;
	case IP_RECVTTL:
		if (val)
			inet->cmsg_flags |= IP_CMSG_TTL;
		else
			inet->cmsg_flags &= ~IP_CMSG_TTL;
		break;
	case IP_RECVTOS:
		if (val)
			inet->cmsg_flags |= IP_CMSG_TOS;
		else
			inet->cmsg_flags &= ~IP_CMSG_TOS;
		break;
	case IP_TOS: /* This sets both TOS and Precedence */
		if (sk->sk_type == SOCK_STREAM) {
			val &= ~INET_ECN_MASK;
			val |= inet->tos & INET_ECN_MASK;
		}
		if (inet->tos != val) {
			u32 prio = (u32)(unsigned char)rt_tos2priority((u8)val);

			/* The priority is in the sk_rare block: -ENOMEM leaves TOS and
			 * priority as they were. */
			if (prio || sk->sk_rare) {
				struct sock_rare *r = sk_rare_alloc(sk, sk->sk_allocation);

				if (!r) {
					err = -ENOMEM;
					break;
				}
				r->priority = prio;
			}
			inet->tos = (u8)val;
			sk_dst_reset(sk);
		}
		break;
	case IP_TTL:
		if (optlen < 1)
			goto e_inval;
		if (val != -1 && (val < 1 || val > 255))
			goto e_inval;
		inet->uc_ttl = (s16)val;
		break;
	case IP_MTU_DISCOVER:
		if (val < IP_PMTUDISC_DONT || val > IP_PMTUDISC_PROBE)
			goto e_inval;
		inet->pmtudisc = (u8)val;
		break;
	case IP_RECVERR:
		inet->recverr = !!val;
		if (!val)
			sk_error_queue_purge(sk);
		break;
	case IP_MULTICAST_TTL:
		if (sk->sk_type == SOCK_STREAM)
			goto e_inval;
		if (optlen < 1)
			goto e_inval;
		if (val == -1)
			val = 1;
		if (val < 0 || val > 255)
			goto e_inval;
		inet->mc_ttl = (u8)val;
		break;
	case IP_MULTICAST_LOOP:
		if (optlen < 1)
			goto e_inval;
		inet->mc_loop = !!val;
		break;
	case IP_FREEBIND:
		if (optlen < 1)
			goto e_inval;
		inet->freebind = !!val;
		break;
	case IP_TRANSPARENT:
		/* Needs CAP_NET_ADMIN: ulnet's tasks have it. */
		if (optlen < 1)
			goto e_inval;
		inet->transparent = !!val;
		break;
	case IP_MINTTL:
		if (optlen < 1)
			goto e_inval;
		if (val < 0 || val > 255)
			goto e_inval;
		inet->min_ttl = (u8)val;
		break;
	case IP_NODEFRAG:
		if (sk->sk_type != SOCK_RAW) {
			err = -ENOPROTOOPT;
			break;
		}
		inet->nodefrag = val ? 1 : 0;
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;

e_inval:
	release_sock(sk);
	return -EINVAL;
}

int ip_setsockopt(struct sock *sk, int level, int optname, char *optval, unsigned int optlen)
{
	if (level != SOL_IP)
		return -ENOPROTOOPT;
	return do_ip_setsockopt(sk, level, optname, optval, optlen);
}

static int do_ip_getsockopt(struct sock *sk, int level, int optname, char *optval,
			    int *optlen)
{
	struct inet_sock *inet = inet_sk(sk);
	int val;
	int len;

	if (level != SOL_IP)
		return -EOPNOTSUPP;
	len = *optlen;
	if (len < 0)
		return -EINVAL;

	lock_sock(sk);
	switch (optname) {
	case IP_PKTINFO:
		val = (inet->cmsg_flags & IP_CMSG_PKTINFO) != 0;
		break;
	case IP_RECVTTL:
		val = (inet->cmsg_flags & IP_CMSG_TTL) != 0;
		break;
	case IP_RECVTOS:
		val = (inet->cmsg_flags & IP_CMSG_TOS) != 0;
		break;
	case IP_TOS:
		val = inet->tos;
		break;
	case IP_TTL:
		val = (inet->uc_ttl == -1 ? sysctl_ip_default_ttl : inet->uc_ttl);
		break;
	case IP_HDRINCL:
		val = inet->hdrincl;
		break;
	case IP_NODEFRAG:
		val = inet->nodefrag;
		break;
	case IP_MTU_DISCOVER:
		val = inet->pmtudisc;
		break;
	case IP_MTU: {
		struct dst_entry *dst;

		val = 0;
		dst = sk_dst_get(sk);
		if (dst) {
			val = (int)dst_mtu(dst);
			dst_release(dst);
		}
		if (!val) {
			release_sock(sk);
			return -ENOTCONN;
		}
		break;
	}
	case IP_RECVERR:
		val = inet->recverr;
		break;
	case IP_MULTICAST_TTL:
		val = inet->mc_ttl;
		break;
	case IP_MULTICAST_LOOP:
		val = inet->mc_loop;
		break;
	case IP_FREEBIND:
		val = inet->freebind;
		break;
	case IP_TRANSPARENT:
		val = inet->transparent;
		break;
	case IP_MINTTL:
		val = inet->min_ttl;
		break;
	default:
		release_sock(sk);
		return -ENOPROTOOPT;
	}
	release_sock(sk);

	if (len < (int)sizeof(int) && len > 0 && val >= 0 && val <= 255) {
		unsigned char ucval = (unsigned char)val;

		len = 1;
		if (!optval)
			return -EFAULT;
		*optlen = len;
		memcpy(optval, &ucval, 1);
	} else {
		len = min_t(unsigned int, sizeof(int), (unsigned int)len);
		if (len && !optval)
			return -EFAULT;
		*optlen = len;
		memcpy(optval, &val, (size_t)len);
	}
	return 0;
}

int ip_getsockopt(struct sock *sk, int level, int optname, char *optval, int *optlen)
{
	return do_ip_getsockopt(sk, level, optname, optval, optlen);
}
