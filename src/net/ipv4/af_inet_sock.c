/* SPDX-License-Identifier: MIT */
/* The PF_INET socket family: creating IPv4 sockets and their generic operations.
 * Mirrors the socket half of linux/net/ipv4/af_inet.c (3.10): inetsw, inet_protosw,
 * inet_register_protosw, inet_create, inet_family_ops, inet_release, inet_bind,
 * inet_autobind, inet_dgram_connect, inet_getname, inet_sendmsg, inet_recvmsg,
 * inet_shutdown, inet_ioctl, inet_sock_destruct, inet_dgram_ops. (The IP half, inet_init,
 * is af_inet.c; it calls inet_sock_init where 3.10 does sock_register(&inet_family_ops).)
 *
 * socket(AF_INET, type, protocol) -> __sock_create -> inet_create: the (type, protocol)
 * pair is looked up in inetsw, the protocol's sock is allocated (sk_alloc from its slab)
 * and initialised (sock_init_data, book ch3). Implemented: SOCK_DGRAM/IPPROTO_UDP and
 * SOCK_DGRAM/IPPROTO_ICMP (ping sockets, ping.c), SOCK_STREAM/IPPROTO_TCP (tcp*.c). Raw sockets (SOCK_RAW/IPPROTO_ICMP
 * included) are refused with EPROTONOSUPPORT and a message until their issues land. */
#include "linux/errno.h"
#include "linux/fs.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "net/dst.h"
#include "net/inet_common.h"
#include "net/inet_sock.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/ping.h"
#include "net/route.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "net/tcp.h"
#include "net/udp.h"

#ifndef SIOCGSTAMP
#define SIOCGSTAMP 0x8906
#endif
#define PROT_SOCK 1024

/* This is used to register socket interfaces for IP protocols (3.10 include/net/protocol.h). */
struct inet_protosw {
	struct list_head list;
	/* These two fields form the lookup key. */
	unsigned short type;		/* This is the 2nd argument to socket(2). */
	unsigned short protocol;	/* This is the L4 protocol number. */
	struct proto *prot;
	const struct proto_ops *ops;
	char no_check;			/* checksum on rcv/xmit/none? */
	unsigned char flags;		/* See INET_PROTOSW_* below. */
};
#define INET_PROTOSW_REUSE	0x01	/* Are ports automatically reusable? */
#define INET_PROTOSW_PERMANENT	0x02	/* Permanent protocols are unremovable. */
#define INET_PROTOSW_ICSK	0x04	/* Is this an inet_connection_sock? */

/* The inetsw table contains everything that inet_create needs to build a new socket. */
static struct list_head inetsw[SOCK_MAX];
static DEFINE_SPINLOCK(inetsw_lock);
static bool inet_sock_ready;

/* ------------------------------------------------------------------------------------------
 * Socket destruction and release. */

void inet_sock_destruct(struct sock *sk)
{
	__skb_queue_purge(&sk->sk_receive_queue);
	sk_error_queue_purge(sk);
	sk_mem_reclaim(sk);
	ip_cork_free(sk);

	if (sk->sk_type == SOCK_STREAM && sk->sk_state != TCP_CLOSE) {
		pr_err("Attempt to release TCP socket in state %d %p\n", sk->sk_state, (void *)sk);
		return;
	}
	if (!sock_flag(sk, SOCK_DEAD)) {
		pr_err("Attempt to release alive inet socket %p\n", (void *)sk);
		return;
	}
	WARN_ON(atomic_read(&sk->sk_rmem_alloc));
	WARN_ON(atomic_read(&sk->sk_wmem_alloc));
	WARN_ON(sk->sk_wmem_queued);
	WARN_ON(sk->sk_forward_alloc);

	if (sk->sk_rare) {
		kfree(sk->sk_rare->inet_opt);
		sk->sk_rare->inet_opt = NULL;
	}
	dst_release(sk->sk_dst_cache);
	sk->sk_dst_cache = NULL;
	dst_release(sk->sk_rx_dst);
	sk->sk_rx_dst = NULL;
}

const struct sock_callbacks inet_sock_callbacks = {
	.state_change = sock_def_wakeup,
	.data_ready = sock_def_readable,
	.write_space = sock_def_write_space,
	.error_report = sock_def_error_report,
	.destruct = inet_sock_destruct,
};

/* The peer closed (close(2) -> sock_close -> sock_release -> here). */
int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		long timeout = 0;

		/* (ip_mc_drop_socket: no multicast memberships in ulnet yet.) If linger is on,
		 * close waits up to the linger time (TCP). */
		if (sock_flag(sk, SOCK_LINGER))
			timeout = (long)sock_lingertime(sk);
		sock->sk = NULL;
		sk->sk_prot->close(sk, timeout);
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Addresses. */

int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	unsigned short snum;
	unsigned int chk_addr_ret;
	int err;

	/* If the socket has its own bind function then use it. (RAW) */
	if (sk->sk_prot->bind) {
		err = sk->sk_prot->bind(sk, uaddr, addr_len);
		goto out;
	}
	err = -EINVAL;
	if (addr_len < (int)sizeof(struct sockaddr_in))
		goto out;

	if (addr->sin_family != AF_INET) {
		/* Compatibility games: accept AF_UNSPEC (mapped to AF_INET) only if s_addr is
		 * INADDR_ANY. */
		err = -EAFNOSUPPORT;
		if (addr->sin_family != AF_UNSPEC || addr->sin_addr.s_addr != htonl(INADDR_ANY))
			goto out;
	}

	chk_addr_ret = inet_addr_type(net, addr->sin_addr.s_addr);

	/* Not specified by any standard per-se, however it breaks too many applications when
	 * removed. It is unfortunate since allowing applications to make a non-local bind
	 * solves several problems with systems using dynamic addressing. */
	err = -EADDRNOTAVAIL;
	if (!sysctl_ip_nonlocal_bind && !(inet->freebind || inet->transparent) &&
	    addr->sin_addr.s_addr != htonl(INADDR_ANY) && chk_addr_ret != RTN_LOCAL &&
	    chk_addr_ret != RTN_MULTICAST && chk_addr_ret != RTN_BROADCAST)
		goto out;

	snum = ntohs(addr->sin_port);
	/* Ports below PROT_SOCK (1024) need CAP_NET_BIND_SERVICE: ulnet's tasks have it. */

	/* We keep a pair of addresses. rcv_saddr is the one used by hash lookups, and saddr
	 * is used for transmit. In the BSD API these are the same except where it would be
	 * illegal to use them (multicast/broadcast) in which case the sending device address
	 * is used. */
	lock_sock(sk);

	/* Check these errors (active socket, double bind). */
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		goto out_release_sock;

	inet->inet_rcv_saddr = inet->inet_saddr = addr->sin_addr.s_addr;
	if (chk_addr_ret == RTN_MULTICAST || chk_addr_ret == RTN_BROADCAST)
		inet->inet_saddr = 0; /* Use device */

	/* Make sure we are allowed to bind here. */
	if (sk->sk_prot->get_port(sk, snum)) {
		inet->inet_saddr = inet->inet_rcv_saddr = 0;
		err = -EADDRINUSE;
		goto out_release_sock;
	}

	if (inet->inet_rcv_saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet->inet_sport = htons(inet->inet_num);
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk_dst_reset(sk);
	err = 0;
out_release_sock:
	release_sock(sk);
out:
	return err;
}

/* Bind an ephemeral port to a socket that sends or connects before bind(). */
static int inet_autobind(struct sock *sk)
{
	struct inet_sock *inet;

	/* We may need to bind the socket. */
	lock_sock(sk);
	inet = inet_sk(sk);
	if (!inet->inet_num) {
		if (sk->sk_prot->get_port(sk, 0)) {
			release_sock(sk);
			return -EAGAIN;
		}
		inet->inet_sport = htons(inet->inet_num);
	}
	release_sock(sk);
	return 0;
}

int inet_dgram_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags)
{
	struct sock *sk = sock->sk;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return sk->sk_prot->disconnect(sk, flags);
	if (!inet_sk(sk)->inet_num && inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->connect(sk, uaddr, addr_len);
}

/* This does both peername and sockname. */
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int *uaddr_len, int peer)
{
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;

	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport ||
		    (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)) && peer == 1))
			return -ENOTCONN;
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		__be32 addr = inet->inet_rcv_saddr;

		if (!addr)
			addr = inet->inet_saddr;
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = addr;
	}
	memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	*uaddr_len = sizeof(*sin);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Data and control. */

int inet_sendmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;

	/* We may need to bind the socket. */
	if (!inet_sk(sk)->inet_num && !sk->sk_prot->no_autobind && inet_autobind(sk))
		return -EAGAIN;
	return sk->sk_prot->sendmsg(iocb, sk, msg, size);
}

int inet_recvmsg(struct kiocb *iocb, struct socket *sock, struct msghdr *msg, size_t size,
		 int flags)
{
	struct sock *sk = sock->sk;
	int addr_len = 0;
	int err;

	err = sk->sk_prot->recvmsg(iocb, sk, msg, size, flags & MSG_DONTWAIT,
				   flags & ~MSG_DONTWAIT, &addr_len);
	if (err >= 0)
		msg->msg_namelen = (socklen_t)addr_len;
	return err;
}

int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* This should really check to make sure the socket is a TCP socket. (WHY AC...) */
	how++; /* maps 0->1 has the advantage of making bit 1 rcvs and 1->2 bit 2 snds.
		  2->3 */
	if ((how & ~SHUTDOWN_MASK) || !how) /* MAXINT->0 */
		return -EINVAL;

	lock_sock(sk);
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}

	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		/* Hack to wake up other listeners, who can poll for POLLHUP, even on eg.
		 * unconnected UDP sockets -- RR */
		/* fall through */
	default:
		sk->sk_shutdown |= (unsigned int)how;
		if (sk->sk_prot->shutdown)
			sk->sk_prot->shutdown(sk, how);
		break;
	/* Remaining two branches are temporary solution for missing close() in multithreaded
	 * environment. It is _not_ a good idea, but we have no choice until close() is
	 * repaired at VFS level. */
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		/* fall through */
	case TCP_SYN_SENT:
		err = sk->sk_prot->disconnect(sk, O_NONBLOCK);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		break;
	}

	/* Wake up anyone sleeping in poll. */
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* SIOCGSTAMP: the arrival time of the last packet read (sock_get_timestamp). */
static int sock_get_timestamp(struct sock *sk, struct timeval *userstamp)
{
	ktime_t stamp = sock_read_timestamp(sk);

	/* Asking turns on the stamping of received packets (3.10). */
	sock_enable_timestamp(sk, SOCK_TIMESTAMP);
	if (!userstamp)
		return -EFAULT;
	if (stamp < 0)
		return -ENOENT;
	if (stamp == 0) {
		/* A packet read without a time stamp (net timestamping off): the first ask
		 * fixes the time, later asks repeat it (3.10). */
		stamp = ktime_get_real();
		sock_write_timestamp(sk, stamp);
	}
	userstamp->tv_sec = (time_t)(stamp / NSEC_PER_SEC);
	userstamp->tv_usec = (suseconds_t)((stamp % NSEC_PER_SEC) / NSEC_PER_USEC);
	return 0;
}

int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	int err = 0;

	switch (cmd) {
	case SIOCGSTAMP:
		err = sock_get_timestamp(sk, (struct timeval *)arg);
		break;
	/* The routing (SIOCADDRT), ARP (SIOCSARP) and interface (SIOCGIFADDR) ioctls are
	 * reached through ip(8) in ulnet (ul_cmd): not here. */
	default:
		if (sk->sk_prot->ioctl)
			err = sk->sk_prot->ioctl(sk, (int)cmd, arg);
		else
			err = -ENOIOCTLCMD;
		break;
	}
	return err;
}

const struct proto_ops inet_dgram_ops = {
	.family = PF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_dgram_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.poll = udp_poll,
	.ioctl = inet_ioctl,
	.listen = sock_no_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
};

/* ------------------------------------------------------------------------------------------
 * Creation. */

static struct inet_protosw inetsw_array[] = {
	{
		.type = SOCK_STREAM,
		.protocol = IPPROTO_TCP,
		.prot = &tcp_prot,
		.ops = &inet_stream_ops,
		.no_check = 0,
		.flags = INET_PROTOSW_PERMANENT | INET_PROTOSW_ICSK,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
		.prot = &udp_prot,
		.ops = &inet_dgram_ops,
		.no_check = UDP_CSUM_DEFAULT,
		.flags = INET_PROTOSW_PERMANENT,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_ICMP,
		.prot = &ping_prot,
		.ops = &inet_dgram_ops,
		.no_check = UDP_CSUM_DEFAULT,
		.flags = INET_PROTOSW_REUSE,
	},
};

/* What ulnet does not have yet, named in the message of the refusal. */
static const char *inet_missing(int type, int protocol)
{
	if (type == SOCK_STREAM && protocol != IPPROTO_TCP && protocol != IPPROTO_IP)
		return "stream protocols other than TCP (SOCK_STREAM)";
	if (type == SOCK_RAW)
		return "raw IP sockets (SOCK_RAW)";
	if (type == SOCK_DGRAM && protocol == IPPROTO_UDPLITE)
		return "UDP-Lite";
	return NULL;
}

static int inet_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	struct inet_protosw *answer;
	struct inet_sock *inet;
	struct proto *answer_prot;
	unsigned char answer_flags;
	char answer_no_check;
	const char *missing;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	sock->state = SS_UNCONNECTED;

	/* Look for the requested type/protocol pair. */
	missing = inet_missing(sock->type, protocol);
	if (missing) {
		printk(KERN_INFO "socket: %s not implemented in ulnet yet\n", missing);
		return -EPROTONOSUPPORT;
	}
	err = -ESOCKTNOSUPPORT;
	spin_lock(&inetsw_lock);
	list_for_each_entry(answer, &inetsw[sock->type], list) {
		err = 0;
		/* Check the non-wild match. */
		if (protocol == answer->protocol) {
			if (protocol != IPPROTO_IP)
				break;
		} else {
			/* Check for the two wild cases. */
			if (IPPROTO_IP == protocol) {
				protocol = answer->protocol;
				break;
			}
			if (IPPROTO_IP == answer->protocol)
				break;
		}
		err = -EPROTONOSUPPORT;
	}
	if (unlikely(err)) {
		spin_unlock(&inetsw_lock);
		return err;
	}
	sock->ops = answer->ops;
	answer_prot = answer->prot;
	answer_no_check = answer->no_check;
	answer_flags = answer->flags;
	spin_unlock(&inetsw_lock);

	WARN_ON(answer_prot->slab == NULL);

	err = -ENOBUFS;
	sk = sk_alloc(net, PF_INET, GFP_KERNEL, answer_prot);
	if (sk == NULL)
		goto out;

	err = 0;
	sk->sk_no_check = (unsigned int)answer_no_check;
	if (INET_PROTOSW_REUSE & answer_flags)
		sk->sk_reuse = 1;

	inet = inet_sk(sk);
	inet->is_icsk = (INET_PROTOSW_ICSK & answer_flags) != 0;
	inet->nodefrag = 0;
	if (ipv4_config.no_pmtu_disc)
		inet->pmtudisc = IP_PMTUDISC_DONT;
	else
		inet->pmtudisc = IP_PMTUDISC_WANT;
	inet->inet_id = 0;

	sock_init_data(sock, sk);

	sk->sk_callbacks = &inet_sock_callbacks;	/* sk_destruct = inet_sock_destruct */
	sk->sk_protocol = (unsigned int)protocol;
	/* (sk_backlog_rcv() calls sk->sk_prot->backlog_rcv: see struct sock.) */

	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_all = 1;
	/* (mc_index, of the datagram kinds only, is zeroed by sk_alloc: see struct
	 * inet_dgram.) */

	if (inet->inet_num) {
		/* It assumes that any protocol which allows the user to assign a number at socket
		 * creation time automatically shares. */
		inet->inet_sport = htons(inet->inet_num);
		/* Add to protocol hash chains. */
		sk->sk_prot->hash(sk);
	}

	if (sk->sk_prot->init) {
		err = sk->sk_prot->init(sk);
		if (err)
			sk_common_release(sk);
	}
out:
	return err;
}

static const struct net_proto_family inet_family_ops = {
	.family = PF_INET,
	.create = inet_create,
};

static void inet_register_protosw(struct inet_protosw *p)
{
	struct list_head *lh, *last_perm;
	struct inet_protosw *answer;
	int protocol = p->protocol;

	spin_lock_bh(&inetsw_lock);
	if (p->type >= SOCK_MAX)
		goto out_illegal;

	/* If we are trying to override a permanent protocol, bail. */
	answer = NULL;
	last_perm = &inetsw[p->type];
	list_for_each(lh, &inetsw[p->type]) {
		answer = list_entry(lh, struct inet_protosw, list);
		/* Check only the non-wild match. */
		if (INET_PROTOSW_PERMANENT & answer->flags) {
			if (protocol == answer->protocol)
				break;
			last_perm = lh;
		}
		answer = NULL;
	}
	if (answer)
		goto out_permanent;

	/* Add the new entry after the last permanent entry if any, so that the new entry does
	 * not override a permanent entry. */
	list_add(&p->list, last_perm);
out:
	spin_unlock_bh(&inetsw_lock);
	return;

out_permanent:
	pr_err("Attempt to override permanent protocol %d\n", protocol);
	goto out;
out_illegal:
	pr_err("Ignoring attempt to register invalid socket type %d\n", p->type);
	goto out;
}

int inet_sock_init(void)
{
	unsigned int i;
	int rc;

	if (inet_sock_ready)
		return -EBUSY;
	rc = proto_register(&tcp_prot, 1);
	if (rc)
		return rc;
	rc = proto_register(&udp_prot, 1);
	if (rc) {
		proto_unregister(&tcp_prot);
		return rc;
	}
	rc = proto_register(&ping_prot, 1);
	if (rc) {
		proto_unregister(&udp_prot);
		proto_unregister(&tcp_prot);
		return rc;
	}
	/* Tell SOCKET that we are alive... */
	rc = sock_register(&inet_family_ops);
	if (rc) {
		proto_unregister(&ping_prot);
		proto_unregister(&udp_prot);
		proto_unregister(&tcp_prot);
		return rc;
	}
	for (i = 0; i < SOCK_MAX; i++)
		INIT_LIST_HEAD(&inetsw[i]);
	for (i = 0; i < ARRAY_SIZE(inetsw_array); i++)
		inet_register_protosw(&inetsw_array[i]);
	inet_sock_ready = true;
	return 0;
}

void inet_sock_fini(void)
{
	if (!inet_sock_ready)
		return;
	sock_unregister(PF_INET);
	proto_unregister(&ping_prot);
	proto_unregister(&udp_prot);
	proto_unregister(&tcp_prot);
	inet_sock_ready = false;
}
