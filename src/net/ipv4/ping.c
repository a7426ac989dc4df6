/* SPDX-License-Identifier: MIT */
/* ICMP echo sockets: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) sends echo requests and
 * receives the matching echo replies and errors, without raw-socket privileges.
 * Mirrors linux/net/ipv4/ping.c (3.10): ping_table, ping_hashfn, ping_get_port, ping_hash,
 * ping_unhash, ping_v4_lookup, ping_init_sock, ping_get_group_range, ping_close, ping_bind,
 * ping_supported, ping_err, ping_getfrag, ping_push_pending_frames, ping_sendmsg,
 * ping_recvmsg, ping_queue_rcv_skb, ping_rcv, ping_prot, ping_init; and the
 * ping_group_range sysctl of linux/net/ipv4/sysctl_net_ipv4.c (ipv4_ping_group_range).
 *
 * The echo identifier is the socket's "port": bind (or the autobind of the first send)
 * takes a free 16-bit ident from ping_table, and every request carries it as its id whatever
 * the user wrote there. An echo reply goes to the socket of its id (ping_rcv); an ICMP error
 * quoting one of our requests goes to the socket of the quoted id (ping_err).
 * Not here (as 3.10 lacks or ulnet lacks): /proc/net/icmp (ping_proc, left undone), the
 * error queue (IP_RECVERR reports in sk_err only, as UDP in ulnet). */
#include "linux/errno.h"
#include "linux/icmp.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "linux/socket.h"
#include "linux/sysctl.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/inet_sock.h"
#include "net/ip_fib.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/ping.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/udp.h"
#include "uapi/linux/icmp.h"

/* The largest gid (3.10 GID_T_MAX: (gid_t)~0U >> 1). */
#define GID_T_MAX 2147483647

/* All ping sockets of all namespaces, hashed by ident (and namespace). */
struct ping_table {
	struct hlist_head hash[PING_HTABLE_SIZE];
	rwlock_t lock;
};

/* A ping socket. DIVERGES: 3.10 allocates a plain struct inet_sock; ulnet adds the
 * datagram-only state that 3.10 keeps in struct sock / inet_sock (see struct inet_dgram). */
struct ping_sock {
	struct inet_sock inet;
	struct inet_dgram dgram;
};

static struct ping_table ping_table;
static u16 ping_port_rover;

/* What ping_getfrag needs: the header being built, the rest of the user's data, the sum. */
struct pingfakehdr {
	struct icmphdr icmph;
	struct iovec *iov;
	__wsum wcheck;
};

static unsigned int ping_hashfn(struct net *net, unsigned int num, unsigned int mask)
{
	unsigned int res = (num + net_hash_mix(net)) & mask;

	return res;
}

static struct hlist_head *ping_hashslot(struct ping_table *table, struct net *net,
					unsigned int num)
{
	return &table->hash[ping_hashfn(net, num, PING_HTABLE_MASK)];
}

/* Bind @sk to echo id @ident (0: the next free one after the rover). 0, or 1 when taken or
 * none is free. Context: process. */
static int ping_get_port(struct sock *sk, unsigned short ident)
{
	struct inet_sock *isk = inet_sk(sk);
	struct hlist_head *hlist;
	struct sock *sk2;

	write_lock_bh(&ping_table.lock);
	if (ident == 0) {
		u32 i;
		u16 result = (u16)(ping_port_rover + 1);

		for (i = 0; i < (1U << 16); i++, result++) {
			bool used = false;

			if (!result)
				result++; /* avoid zero */
			hlist = ping_hashslot(&ping_table, sock_net(sk), result);
			sk_for_each(sk2, hlist) {
				if (inet_sk(sk2)->inet_num == result &&
				    net_eq(sock_net(sk2), sock_net(sk))) {
					used = true;
					break;
				}
			}
			if (!used)
				break; /* found */
		}
		if (i >= (1U << 16))
			goto fail;
		ping_port_rover = ident = result;
	} else {
		hlist = ping_hashslot(&ping_table, sock_net(sk), ident);
		sk_for_each(sk2, hlist) {
			struct inet_sock *isk2 = inet_sk(sk2);

			if (isk2->inet_num != ident || !net_eq(sock_net(sk2), sock_net(sk)))
				continue;
			if (isk2 != isk && (!sk2->sk_reuse || !sk->sk_reuse))
				goto fail;
		}
	}

	isk->inet_num = ident;
	if (sk_unhashed(sk)) {
		sk_add_node(sk, ping_hashslot(&ping_table, sock_net(sk), ident));
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	}
	write_unlock_bh(&ping_table.lock);
	return 0;

fail:
	write_unlock_bh(&ping_table.lock);
	return 1;
}

/* A ping socket is hashed by ping_get_port only (3.10: BUG()). */
static void ping_hash(struct sock *sk)
{
	pr_err("ping_hash(sk->port=%u) must not be called\n", inet_sk(sk)->inet_num);
}

static void ping_unhash(struct sock *sk)
{
	struct inet_sock *isk = inet_sk(sk);

	write_lock_bh(&ping_table.lock);
	if (sk_del_node_init(sk)) {
		isk->inet_num = 0;
		isk->inet_sport = 0;
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	}
	write_unlock_bh(&ping_table.lock);
}

/* The socket of echo id @ident in @net that accepts packets to @daddr on @dif, with a
 * reference, or NULL. Context: softirq. */
static struct sock *ping_v4_lookup(struct net *net, __be32 saddr, __be32 daddr, u16 ident,
				   int dif)
{
	struct hlist_head *hslot = ping_hashslot(&ping_table, net, ident);
	struct sock *sk = NULL;
	struct sock *it;

	(void)saddr;
	read_lock_bh(&ping_table.lock);
	sk_for_each(it, hslot) {
		struct inet_sock *isk = inet_sk(it);

		if (isk->inet_num != ident || !net_eq(sock_net(it), net))
			continue;
		if (isk->inet_rcv_saddr && isk->inet_rcv_saddr != daddr)
			continue;
		if (it->sk_bound_dev_if && it->sk_bound_dev_if != dif)
			continue;
		sock_hold(it);
		sk = it;
		break;
	}
	read_unlock_bh(&ping_table.lock);
	return sk;
}

static void ping_get_group_range(struct net *net, int *low, int *high)
{
	*low = READ_ONCE(net->ipv4.sysctl_ping_group_range[0]);
	*high = READ_ONCE(net->ipv4.sysctl_ping_group_range[1]);
}

/* Who may create a ping socket: a task whose group is inside ping_group_range.
 * DIVERGES: ulnet tasks have no credentials; every task is gid 0 (root). */
static int ping_init_sock(struct sock *sk)
{
	const int group = 0;
	int low, high;

	ping_get_group_range(sock_net(sk), &low, &high);
	if (low <= group && group <= high)
		return 0;
	return -EACCES;
}

static void ping_close(struct sock *sk, long timeout)
{
	(void)timeout;
	sk_common_release(sk);
}

/* Checks the bind address and possibly modifies sk->sk_bound_dev_if (3.10:
 * ping_check_bind_addr for IPv4). */
static int ping_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct inet_sock *isk = inet_sk(sk);
	unsigned short snum;
	unsigned int chk_addr_ret;
	int err;

	if (addr_len < (int)sizeof(*addr))
		return -EINVAL;
	if (addr->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	chk_addr_ret = inet_addr_type(sock_net(sk), addr->sin_addr.s_addr);
	if (addr->sin_addr.s_addr == htonl(INADDR_ANY))
		chk_addr_ret = RTN_LOCAL;
	if ((sysctl_ip_nonlocal_bind == 0 && isk->freebind == 0 && isk->transparent == 0 &&
	     chk_addr_ret != RTN_LOCAL) ||
	    chk_addr_ret == RTN_MULTICAST || chk_addr_ret == RTN_BROADCAST)
		return -EADDRNOTAVAIL;

	lock_sock(sk);
	err = -EINVAL;
	if (isk->inet_num != 0)
		goto out;

	err = -EADDRINUSE;
	isk->inet_rcv_saddr = isk->inet_saddr = addr->sin_addr.s_addr;
	snum = ntohs(addr->sin_port);
	if (ping_get_port(sk, snum) != 0) {
		isk->inet_rcv_saddr = isk->inet_saddr = 0;
		goto out;
	}

	if (isk->inet_rcv_saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	isk->inet_sport = htons(isk->inet_num);
	isk->inet_daddr = 0;
	isk->inet_dport = 0;
	sk_dst_reset(sk);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Is this an ICMP message a ping socket may send (and whose errors it hears)? */
static bool ping_supported(int type, int code)
{
	return type == ICMP_ECHO && code == 0;
}

/* This routine is called by the ICMP module when it gets some sort of error condition
 * quoting one of our echo requests (icmp_socket_deliver, via icmp_protocol's err_handler).
 * @skb->data is the quoted IP header. */
void ping_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct icmphdr *icmph = (const struct icmphdr *)(skb->data + (iph->ihl << 2));
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	struct net *net = dev_net(skb->dev);
	struct sock *sk;
	int harderr;
	int err;

	/* We assume the packet has already been checked by icmp_unreach (IP header + 8). */
	if (!ping_supported(icmph->type, icmph->code))
		return;

	sk = ping_v4_lookup(net, iph->daddr, iph->saddr, ntohs(icmph->un.echo.id),
			    skb->dev->ifindex);
	if (sk == NULL) {
		ICMP_INC_STATS_BH(net, ICMP_MIB_INERRORS);
		return; /* No socket for error */
	}

	switch (type) {
	case ICMP_SOURCE_QUENCH:
		/* This is not a real error but ping wants to see it. Report it with some fake
		 * errno. */
	case ICMP_REDIRECT:
		/* Likewise (ipv4_sk_redirect: redirects are not implemented). */
		err = EREMOTEIO;
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

/* Copy user data into the datagram being built. Offset 0 is the ICMP header, which
 * ping_push_pending_frames fills in; the user's data (after its own ICMP header, already
 * consumed from the iovec) follows. The sum of the data accumulates in pfh->wcheck. */
static int ping_getfrag(void *from, char *to, int offset, int fraglen, int odd,
			struct sk_buff *skb)
{
	struct pingfakehdr *pfh = from;
	const int hlen = (int)sizeof(struct icmphdr);
	__wsum part = 0;

	(void)odd;
	(void)skb;
	if (offset == 0) {
		if (fraglen < hlen)
			return -EINVAL;	/* 3.10: BUG() */
		/* (Nothing to copy for an echo without data: the iovec may be used up.) */
		if (fraglen > hlen &&
		    csum_partial_copy_fromiovecend((unsigned char *)to + hlen, pfh->iov, 0,
						   (unsigned int)(fraglen - hlen), &part))
			return -EFAULT;
		pfh->wcheck = csum_block_add(pfh->wcheck, part, 0);
	} else if (offset < hlen) {
		return -EINVAL;		/* 3.10: BUG() */
	} else {
		if (csum_partial_copy_fromiovecend((unsigned char *)to, pfh->iov, offset - hlen,
						   (unsigned int)fraglen, &part))
			return -EFAULT;
		/* The data sum is of the payload alone: its byte parity is offset - hlen. */
		pfh->wcheck = csum_block_add(pfh->wcheck, part, offset - hlen);
	}
	return 0;
}

/* Put the ICMP header, with the checksum over header and data, in the first skb. */
static int ping_push_pending_frames(struct sock *sk, struct pingfakehdr *pfh,
				    struct flowi4 *fl4)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb)
		return -EINVAL;
	pfh->wcheck = csum_partial((char *)&pfh->icmph, sizeof(struct icmphdr), pfh->wcheck);
	pfh->icmph.checksum = csum_fold(pfh->wcheck);
	memcpy(icmp_hdr(skb), &pfh->icmph, sizeof(struct icmphdr));
	skb->ip_summed = CHECKSUM_NONE;
	return ip_push_pending_frames(sk, fl4);
}

static int ping_sendmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4;
	struct inet_sock *inet = inet_sk(sk);
	struct ipcm_cookie ipc;
	struct icmphdr user_icmph;
	struct pingfakehdr pfh;
	struct rtable *rt = NULL;
	__be32 saddr, daddr, faddr;
	u8 tos;
	int err;

	(void)iocb;
	if (len > 0xFFFF)
		return -EMSGSIZE;
	/* Mirror BSD error message compatibility. */
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* DIVERGES: 3.10 reads past a short iovec here (memcpy_fromiovec); ulnet refuses a
	 * message shorter than an ICMP header. */
	if (len < sizeof(struct icmphdr))
		return -EINVAL;

	/* Fetch the ICMP header provided by the userland. The (kernel copy of the) iovec is
	 * advanced past it. */
	if (memcpy_fromiovec((unsigned char *)&user_icmph, msg->msg_iov,
			     (int)sizeof(struct icmphdr)))
		return -EFAULT;
	if (!ping_supported(user_icmph.type, user_icmph.code))
		return -EINVAL;

	/* Get and verify the address. */
	if (msg->msg_name) {
		struct sockaddr_in *usin = (struct sockaddr_in *)msg->msg_name;

		if (msg->msg_namelen < sizeof(*usin))
			return -EINVAL;
		if (usin->sin_family != AF_INET)
			return -EINVAL;
		daddr = usin->sin_addr.s_addr;
		/* no remote port */
	} else {
		if (sk->sk_state != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = inet->inet_daddr;
		/* no remote port */
	}

	ipc.addr = inet->inet_saddr;
	ipc.opt = NULL;
	ipc.oif = sk->sk_bound_dev_if;
	ipc.tx_flags = 0;
	sock_tx_timestamp(sk, &ipc.tx_flags);

	if (msg->msg_controllen) {
		err = ip_cmsg_send(sock_net(sk), msg, &ipc);
		if (err)
			return err;
	}
	if (!ipc.opt && inet_sk_opt(sk))
		ipc.opt = inet_sk_opt(sk);

	saddr = ipc.addr;
	ipc.addr = faddr = daddr;

	if (ipc.opt && ipc.opt->opt.srr) {
		if (!daddr)
			return -EINVAL;
		faddr = ipc.opt->opt.faddr;
	}
	tos = RT_TOS(inet->tos);
	if (sock_flag(sk, SOCK_LOCALROUTE) || (msg->msg_flags & MSG_DONTROUTE) ||
	    (ipc.opt && ipc.opt->opt.is_strictroute))
		tos |= RTO_ONLINK;

	if (ipv4_is_multicast(daddr)) {
		if (!ipc.oif)
			ipc.oif = inet_dgram(sk)->mc_index;
		/* (No inet->mc_addr: see struct inet_sock.) */
	}

	flowi4_init_output(&fl4, ipc.oif, sk->sk_mark, tos, RT_SCOPE_UNIVERSE,
			   (u8)sk->sk_protocol,
			   (inet->transparent ? FLOWI_FLAG_ANYSRC : 0) | FLOWI_FLAG_CAN_SLEEP,
			   faddr, saddr, 0, 0);
	rt = ip_route_output_flow(net, &fl4, sk);
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

	if (msg->msg_flags & MSG_CONFIRM)
		dst_confirm(&rt->dst);

	if (!ipc.addr)
		ipc.addr = fl4.daddr;

	lock_sock(sk);

	pfh.icmph.type = user_icmph.type; /* already checked */
	pfh.icmph.code = user_icmph.code; /* ditto */
	pfh.icmph.checksum = 0;
	pfh.icmph.un.echo.id = inet->inet_sport;
	pfh.icmph.un.echo.sequence = user_icmph.un.echo.sequence;
	pfh.iov = msg->msg_iov;
	pfh.wcheck = 0;

	err = ip_append_data(sk, &fl4, ping_getfrag, &pfh, (int)len, 0, &ipc, &rt,
			     (unsigned int)msg->msg_flags);
	if (err)
		ip_flush_pending_frames(sk);
	else
		err = ping_push_pending_frames(sk, &pfh, &fl4);
	release_sock(sk);

out:
	ip_rt_put(rt);
	if (!err) {
		/* As 3.10: __ip_make_skb has counted this ICMP message already, so a ping
		 * socket's request counts twice in Icmp OutMsgs / IcmpMsg OutType8. */
		icmp_out_count(sock_net(sk), user_icmph.type);
		return (int)len;
	}
	return err;
}

/* The whole ICMP message (header included) of the next reply, and its sender. */
static int ping_recvmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len,
			int noblock, int flags, int *addr_len)
{
	struct inet_sock *isk = inet_sk(sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)msg->msg_name;
	struct sk_buff *skb;
	size_t copied;
	int err;

	(void)iocb;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (addr_len)
		*addr_len = sizeof(*sin);
	if (flags & MSG_ERRQUEUE)
		/* ip_recv_error: nothing is ever queued on the error queue (see ping_err). */
		return -EAGAIN;

	skb = skb_recv_datagram(sk, (unsigned int)flags, noblock, &err);
	if (!skb)
		return err;

	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}

	/* Don't bother checking the checksum (icmp_rcv did). */
	err = skb_copy_datagram_iovec(skb, 0, msg->msg_iov, (int)copied);
	if (err)
		goto done;

	sock_recv_ts_and_drops(msg, sk, skb);

	/* Copy the address. */
	if (sin) {
		sin->sin_family = AF_INET;
		sin->sin_port = 0; /* skb->h.uh->source */
		sin->sin_addr.s_addr = ip_hdr(skb)->saddr;
		memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	}
	if (isk->cmsg_flags)
		ip_cmsg_recv(msg, skb);
	err = (int)copied;
done:
	skb_free_datagram(sk, skb);
	return err;
}

/* backlog_rcv, and the tail of ping_rcv. Consumes @skb. */
static int ping_queue_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sock_queue_rcv_skb(sk, skb) < 0) {
		kfree_skb(skb);
		ICMP_INC_STATS_BH(sock_net(sk), ICMP_MIB_INERRORS);
		return -1;
	}
	return 0;
}

/* All we need to do is get the socket. icmp_rcv has checked the message and pulled its
 * header; the socket gets the message from the ICMP header on. Context: softirq. */
void ping_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct icmphdr *icmph = icmp_hdr(skb);
	__be32 saddr = ip_hdr(skb)->saddr;
	__be32 daddr = ip_hdr(skb)->daddr;
	struct sock *sk;

	/* Push ICMP header back. */
	skb_push(skb, (unsigned int)(skb->data - (unsigned char *)icmph));

	sk = ping_v4_lookup(net, saddr, daddr, ntohs(icmph->un.echo.id), skb->dev->ifindex);
	if (sk != NULL) {
		ping_queue_rcv_skb(sk, skb_get(skb));
		sock_put(sk);
		return;
	}
	/* We're called from icmp_rcv(): kfree_skb() is done there. */
}

struct proto ping_prot = {
	.name = "PING",
	.init = ping_init_sock,
	.close = ping_close,
	.connect = ip4_datagram_connect,
	.disconnect = udp_disconnect,
	.setsockopt = ip_setsockopt,
	.getsockopt = ip_getsockopt,
	.sendmsg = ping_sendmsg,
	.recvmsg = ping_recvmsg,
	.bind = ping_bind,
	.backlog_rcv = ping_queue_rcv_skb,
	.release_cb = ip4_datagram_release_cb,
	.hash = ping_hash,
	.unhash = ping_unhash,
	.get_port = ping_get_port,
	.obj_size = sizeof(struct ping_sock),
	.dgram_offset = offsetof(struct ping_sock, dgram),
};

/* ---- net.ipv4.ping_group_range ---- */

static int ping_group_min[] = { 0, 0 };
static int ping_group_max[] = { GID_T_MAX, GID_T_MAX };

/* Validate the pair as gids; a pair with low > high (the 3.10 default "1 0") is legal and
 * means nobody. */
static int ipv4_ping_group_range(struct ctl_table *table, int write, void *buffer,
				 size_t *lenp, loff_t *ppos)
{
	struct ctl_table tmp = *table;

	tmp.extra1 = ping_group_min;
	tmp.extra2 = ping_group_max;
	return proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
}

static struct ctl_table ping_net_table[] = {
	{
		.procname = "ping_group_range",
		.data = (void *)offsetof(struct net, ipv4.sysctl_ping_group_range),
		.maxlen = sizeof(int) * 2,
		.mode = 0644,
		.proc_handler = ipv4_ping_group_range,
	},
	{ .procname = NULL }
};

/* Per namespace (3.10 ipv4_sysctl_init_net). DIVERGES: 3.10's default is "1 0" (nobody);
 * ulnet's default is "0 2147483647" (every group), the value systemd sets on every modern
 * distribution, because ulnet tasks are all gid 0 and have no raw sockets to fall back on:
 * the built-in ping needs ping sockets. Writing "1 0" restores 3.10 (EACCES). */
static int ping_net_init(struct net *net)
{
	net->ipv4.sysctl_ping_group_range[0] = 0;
	net->ipv4.sysctl_ping_group_range[1] = GID_T_MAX;
	return 0;
}

static struct pernet_operations ping_net_ops = {
	.init = ping_net_init,
};

static bool ping_inited;

int ping_init(void)
{
	unsigned int i;
	int err;

	if (ping_inited)
		return -EBUSY;
	for (i = 0; i < PING_HTABLE_SIZE; i++)
		INIT_HLIST_HEAD(&ping_table.hash[i]);
	rwlock_init(&ping_table.lock);
	ping_port_rover = 0;
	err = register_pernet_subsys(&ping_net_ops);
	if (err)
		return err;
	/* Removed with the rest of net/ipv4 by ipv4_sysctl_fini. */
	err = register_net_sysctl_offset("net/ipv4", ping_net_table);
	if (err) {
		unregister_pernet_subsys(&ping_net_ops);
		return err;
	}
	ping_inited = true;
	return 0;
}

void ping_fini(void)
{
	if (!ping_inited)
		return;
	unregister_pernet_subsys(&ping_net_ops);
	ping_inited = false;
}
