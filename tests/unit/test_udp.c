/* SPDX-License-Identifier: MIT */
/* UDP over the loopback: two tasks exchanging datagrams, blocking receive and its cost in
 * context switches (book ch3), SO_RCVTIMEO, receive buffer overflow, port unreachable and
 * ECONNREFUSED, ephemeral ports and EADDRINUSE, checksums and length lies of crafted
 * datagrams, MSG_PEEK/MSG_TRUNC, the 65507-byte limit, namespaces, /proc/net/udp and
 * /proc/net/sockstat. Every counter asserted is a Udp: counter of /proc/net/snmp, with the
 * exact value 3.10 gives.
 * Mirrors the behaviour of linux/net/ipv4/udp.c, net/core/datagram.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "harness.h"
#include "net_testutil.h"
#include "ip_testdev.h"
#include "linux/etherdevice.h"
#include "linux/in.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/udp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

/* Each test runs in a fresh namespace "t" (lo up): the routes and inet_peer entries that
 * sending creates (3.10 keeps both cached) go with it, so the harness's leak check stays
 * exact. The init thread enters it (as setns(2) would) by pointing current->net at it. */
static struct net *tnet;

static int setup_sim(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int setup_posix(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_posix, "t", &tnet);
}

static int teardown(void **state)
{
	/* A failed test leaves sockets open: ul_test_teardown_netns closes them so the next
	 * test starts clean. */
	tnet = NULL;
	return ul_test_teardown_netns(state, "t");
}

static struct sockaddr_in sin_of(const char *ip, int port)
{
	return ul_test_sin(ip, port);
}

static int udp_bound(const char *ip, int port)
{
	return ul_test_udp_bound(ip, port);
}

static unsigned long udp_cnt(struct net *net, int field)
{
	return udp_mib_read(net, field);
}

struct udp_counts {
	unsigned long v[UDP_MIB_MAX];
};

static void udp_snap(struct net *net, struct udp_counts *c)
{
	int i;

	for (i = 0; i < UDP_MIB_MAX; i++)
		c->v[i] = udp_cnt(net, i);
}

/* Every Udp counter moved by exactly the given deltas (the others not at all). */
static void assert_udp_delta(struct net *net, const struct udp_counts *c0, long indgrams,
			     long noports, long inerrors, long outdgrams, long rcvbuf, long sndbuf,
			     long csum)
{
	assert_int_equal(udp_cnt(net, UDP_MIB_INDATAGRAMS) - c0->v[UDP_MIB_INDATAGRAMS], indgrams);
	assert_int_equal(udp_cnt(net, UDP_MIB_NOPORTS) - c0->v[UDP_MIB_NOPORTS], noports);
	assert_int_equal(udp_cnt(net, UDP_MIB_INERRORS) - c0->v[UDP_MIB_INERRORS], inerrors);
	assert_int_equal(udp_cnt(net, UDP_MIB_OUTDATAGRAMS) - c0->v[UDP_MIB_OUTDATAGRAMS],
			 outdgrams);
	assert_int_equal(udp_cnt(net, UDP_MIB_RCVBUFERRORS) - c0->v[UDP_MIB_RCVBUFERRORS], rcvbuf);
	assert_int_equal(udp_cnt(net, UDP_MIB_SNDBUFERRORS) - c0->v[UDP_MIB_SNDBUFERRORS], sndbuf);
	assert_int_equal(udp_cnt(net, UDP_MIB_CSUMERRORS) - c0->v[UDP_MIB_CSUMERRORS], csum);
}

static struct sock *fd_sk(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	assert_non_null(sock);
	sk = sock->sk;
	sockfd_put(sock);
	return sk;
}

/* ------------------------------------------------------------------------------------------
 * Two tasks, one namespace (book ch3: a blocking receive and its wakeup). */

struct xchg {
	unsigned long recv_nvcsw;	/* voluntary switches of the receiver's blocking recv */
	char got[64];
	ssize_t got_len;
	struct sockaddr_in from;
	char reply[64];
	ssize_t reply_len;
	struct sockaddr_in reply_from;
	u64 woken_at, sent_at;
	int ready;
};

static int receiver(void *arg)
{
	struct xchg *x = arg;
	struct ul_task_stats st0, st1;
	socklen_t alen = sizeof(x->from);
	int fd = udp_bound("127.0.0.1", 5000);

	x->ready = 1;
	ul_task_stats(NULL, &st0);
	x->got_len = ul_recvfrom(fd, x->got, sizeof(x->got), 0, (struct sockaddr *)&x->from,
				 &alen);
	ul_task_stats(NULL, &st1);
	x->woken_at = ul_now_ns();
	x->recv_nvcsw = st1.nvcsw - st0.nvcsw;
	if (alen != sizeof(struct sockaddr_in))
		return 10;
	if (ul_sendto(fd, "pong", 4, 0, (struct sockaddr *)&x->from, alen) != 4)
		return 11;
	return ul_close(fd);
}

static int sender(void *arg)
{
	struct xchg *x = arg;
	struct sockaddr_in to = sin_of("127.0.0.1", 5000);
	socklen_t alen = sizeof(x->reply_from);
	int fd, guard = 0;

	/* Let the receiver block first (it is the blocking receive under study). */
	while (!x->ready && ++guard < 1000)
		ul_sleep(MS);
	ul_sleep(MS);
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 20;
	x->sent_at = ul_now_ns();
	if (ul_sendto(fd, "ping-12345", 10, 0, (struct sockaddr *)&to, sizeof(to)) != 10)
		return 21;
	x->reply_len = ul_recvfrom(fd, x->reply, sizeof(x->reply), 0,
				   (struct sockaddr *)&x->reply_from, &alen);
	return ul_close(fd);
}

static void run_exchange(bool posix)
{
	struct xchg x;
	struct udp_counts c0;
	struct ul_task *r, *s;

	memset(&x, 0, sizeof(x));
	udp_snap(tnet, &c0);
	r = ul_task_spawn("t", "receiver", 0, receiver, &x);
	s = ul_task_spawn("t", "sender", 1, sender, &x);
	assert_non_null(r);
	assert_non_null(s);
	assert_int_equal(ul_task_join(r), 0);
	assert_int_equal(ul_task_join(s), 0);

	assert_int_equal(x.got_len, 10);
	assert_memory_equal(x.got, "ping-12345", 10);
	assert_int_equal(x.from.sin_family, AF_INET);
	assert_int_equal(ntohl(x.from.sin_addr.s_addr), 0x7f000001);
	assert_true(ntohs(x.from.sin_port) >= 32768 && ntohs(x.from.sin_port) <= 61000);
	assert_int_equal(x.reply_len, 4);
	assert_memory_equal(x.reply, "pong", 4);
	assert_int_equal(ntohs(x.reply_from.sin_port), 5000);
	assert_int_equal(ntohl(x.reply_from.sin_addr.s_addr), 0x7f000001);
	/* Two datagrams each way counted once: OutDatagrams 2, InDatagrams 2, nothing else. */
	assert_udp_delta(tnet, &c0, 2, 0, 0, 2, 0, 0, 0);
	if (!posix) {
		/* Book ch3: the blocked reader switched away once (a voluntary switch) and was
		 * switched back in by the wakeup: the two context switches of a blocking wait.
		 * The task itself counts the voluntary one. */
		assert_int_equal(x.recv_nvcsw, 1);
		/* It slept until the datagram came: woken at the virtual time it was sent. */
		assert_true(x.woken_at >= x.sent_at);
		assert_true(x.woken_at - x.sent_at < MS);
	} else {
		assert_true(x.recv_nvcsw >= 1);
	}
}

static void test_exchange_sim(void **state)
{
	run_exchange(false);
}

static void test_exchange_posix(void **state)
{
	run_exchange(true);
}

/* ------------------------------------------------------------------------------------------
 * Timeouts. */

struct timeo_arg {
	u64 elapsed;
	int ret, err;
};

static int timeo_task(void *arg)
{
	struct timeo_arg *a = arg;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	char buf[8];
	u64 t0;
	int fd = udp_bound("127.0.0.1", 5003);

	if (ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return 1;
	t0 = ul_now_ns();
	errno = 0;
	a->ret = (int)ul_recv(fd, buf, sizeof(buf), 0);
	a->err = errno;
	a->elapsed = ul_now_ns() - t0;
	return ul_close(fd);
}

/* SO_RCVTIMEO: the blocking receive gives up with EAGAIN after the timeout, in virtual
 * time. */
static void test_rcvtimeo(void **state)
{
	struct timeo_arg a = { 0 };
	struct ul_task *t = ul_task_spawn("t", "timeo", 0, timeo_task, &a);

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(a.ret, -1);
	assert_int_equal(a.err, EAGAIN);
	/* 100 ms = 100 jiffies at HZ=1000; schedule_timeout may add the partial jiffy. */
	assert_true(a.elapsed >= 100 * MS);
	assert_true(a.elapsed <= 102 * MS);
}

/* ------------------------------------------------------------------------------------------
 * Receive buffer overflow. */

static int send_to(int fd, const char *ip, int port, const void *buf, size_t len)
{
	struct sockaddr_in to = sin_of(ip, port);

	return (int)ul_sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
}

/* 3.10 udp_queue_rcv_skb: a datagram is refused when rmem_alloc (+ backlog) is already above
 * sk_rcvbuf (InErrors only), or by sock_queue_rcv_skb when rmem_alloc >= sk_rcvbuf (ENOMEM:
 * RcvbufErrors and InErrors, drop reason SOCKET_RCVBUFF). */
/* Any address of a loopback subnet is a source: bound to 127.1.2.3 (not configured, but
 * "local 127.0.0.0/8 dev lo" is in the local table), a datagram to 127.0.0.1 leaves from
 * it. 3.10's __ip_dev_find falls back to the local table for this; without the fallback the
 * route lookup with that saddr fails with EINVAL. */
static void test_loopback_subnet_source(void **state)
{
	int r = udp_bound("127.0.0.1", 5003), s = udp_bound("127.1.2.3", 0);
	struct sockaddr_in from;
	socklen_t alen = sizeof(from);
	char buf[16];

	(void)state;
	assert_true(r >= 0);
	assert_true(s >= 0);
	assert_int_equal(send_to(s, "127.0.0.1", 5003, "hello", 5), 5);
	assert_int_equal(ul_recvfrom(r, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &alen), 5);
	assert_int_equal(ntohl(from.sin_addr.s_addr), 0x7f010203);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(r), 0);
}

static void test_rcvbuf_overflow(void **state)
{
	struct udp_counts c0;
	unsigned long drops0 = ul_drop_count(SKB_DROP_REASON_SOCKET_RCVBUFF);
	int r = udp_bound("127.0.0.1", 5001), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	struct sock *rsk = fd_sk(r);
	char buf[32];
	int truesize, n, val, i;

	assert_int_equal(send_to(s, "127.0.0.1", 5001, "0123456789", 10), 10);
	truesize = sk_rmem_alloc_get(rsk);
	assert_true(truesize > 10);
	/* The receive buffer holds exactly n datagrams: SO_RCVBUF is doubled on the way in. */
	for (n = 2; n * truesize < SOCK_MIN_RCVBUF; n += 2)
		;
	val = n * truesize / 2;
	assert_int_equal(ul_setsockopt(r, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val)), 0);
	assert_int_equal(rsk->sk_rcvbuf, n * truesize);

	udp_snap(tnet, &c0);
	/* One is queued; n - 1 more fill the buffer to exactly n * truesize; then 3 refused. */
	for (i = 0; i < n - 1 + 3; i++)
		assert_int_equal(send_to(s, "127.0.0.1", 5001, "0123456789", 10), 10);
	assert_int_equal(sk_rmem_alloc_get(rsk), n * truesize);
	assert_udp_delta(tnet, &c0, 0, 0, 3, n - 1 + 3, 3, 0, 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_SOCKET_RCVBUFF) - drops0, 3);
	assert_int_equal(sk_drops_read(rsk), 3);
	/* The queued data holds pages of the UDP memory pool (udp_mem, /proc/net/sockstat). */
	assert_true(atomic_long_read(&udp_memory_allocated) * SK_MEM_QUANTUM >= n * truesize);
	assert_true(rsk->sk_forward_alloc >= 0 && rsk->sk_forward_alloc < SK_MEM_QUANTUM);

	/* All n come out, in order, and count as InDatagrams when read. */
	for (i = 0; i < n; i++)
		assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 10);
	errno = 0;
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_udp_delta(tnet, &c0, n, 0, 3, n - 1 + 3, 3, 0, 0);
	assert_int_equal(sk_rmem_alloc_get(rsk), 0);

	/* A buffer that is not a multiple: the queue overshoots sk_rcvbuf, and the next one
	 * is dropped before sock_queue_rcv_skb: InErrors alone. */
	val = (5 * truesize / 2) / 2;
	assert_int_equal(ul_setsockopt(r, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val)), 0);
	if (rsk->sk_rcvbuf > SOCK_MIN_RCVBUF) {
		udp_snap(tnet, &c0);
		for (i = 0; i < 4; i++)
			assert_int_equal(send_to(s, "127.0.0.1", 5001, "0123456789", 10), 10);
		assert_int_equal(sk_rmem_alloc_get(rsk), 3 * truesize);
		assert_udp_delta(tnet, &c0, 0, 0, 1, 4, 0, 0, 0);
	}
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
	/* Closed with datagrams still queued: they are freed and the pages go back. */
	assert_int_equal(atomic_long_read(&udp_memory_allocated), 0);
}

/* ------------------------------------------------------------------------------------------
 * Port unreachable. */

static void test_port_unreachable(void **state)
{
	struct udp_counts c0;
	unsigned long out_unreach0 = icmpmsg_mib_read(tnet, 0x100 | ICMP_DEST_UNREACH);
	unsigned long in_unreach0 = icmpmsg_mib_read(tnet, ICMP_DEST_UNREACH);
	struct sockaddr_in to = sin_of("127.0.0.1", 9);
	int s = ul_socket(AF_INET, SOCK_DGRAM, 0), c, err;
	socklen_t len = sizeof(err);
	char buf[8];

	udp_snap(tnet, &c0);
	assert_int_equal(send_to(s, "127.0.0.1", 9, "x", 1), 1);
	ul_run_for(MS);
	/* NoPorts, and an ICMP port unreachable went out and came back in over lo (IcmpMsg
	 * OutType3 / InType3, from which 3.10 prints Icmp Out/InDestUnreachs). */
	assert_udp_delta(tnet, &c0, 0, 1, 0, 1, 0, 0, 0);
	assert_int_equal(icmpmsg_mib_read(tnet, 0x100 | ICMP_DEST_UNREACH) - out_unreach0, 1);
	assert_int_equal(icmpmsg_mib_read(tnet, ICMP_DEST_UNREACH) - in_unreach0, 1);
	/* An unconnected socket is not told (RFC 1122 4.1.3.3: only connected ones). */
	errno = 0;
	assert_int_equal(ul_recv(s, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(ul_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	assert_int_equal(err, 0);

	/* A connected one gets ECONNREFUSED, once. */
	c = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	assert_int_equal(ul_send(c, "y", 1, 0), 1);
	ul_run_for(MS);
	assert_udp_delta(tnet, &c0, 0, 2, 0, 2, 0, 0, 0);
	errno = 0;
	assert_int_equal(ul_recv(c, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, ECONNREFUSED);
	errno = 0;
	assert_int_equal(ul_recv(c, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	/* Again, seen through SO_ERROR (which clears it) and then by the next send. */
	assert_int_equal(ul_send(c, "y", 1, 0), 1);
	ul_run_for(MS);
	assert_int_equal(ul_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	assert_int_equal(err, ECONNREFUSED);
	assert_int_equal(ul_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	assert_int_equal(err, 0);
	assert_int_equal(ul_send(c, "y", 1, 0), 1);
	ul_run_for(MS);
	errno = 0;
	assert_int_equal(ul_send(c, "y", 1, 0), -1);
	assert_int_equal(errno, ECONNREFUSED);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(c), 0);
}

/* ------------------------------------------------------------------------------------------
 * Ports. */

static int local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	assert_int_equal(ul_getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(len, sizeof(sin));
	return ntohs(sin.sin_port);
}

static void test_ephemeral_ports(void **state)
{
	/* 60: the init task's table keeps its first 64 slots (a grown one would stay). */
	int fds[60], i, j, p[60];
	char buf[32];

	assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.ip_local_port_range", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "32768\t61000");
	for (i = 0; i < 60; i++) {
		fds[i] = udp_bound("0.0.0.0", 0);
		p[i] = local_port(fds[i]);
		assert_true(p[i] >= 32768 && p[i] <= 61000);
		for (j = 0; j < i; j++)
			assert_int_not_equal(p[i], p[j]);
	}
	for (i = 0; i < 60; i++)
		assert_int_equal(ul_close(fds[i]), 0);

	/* A range of 4 ports: 4 binds get them all, the 5th finds none. */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "40000 40003"), 0);
	for (i = 0; i < 4; i++) {
		fds[i] = udp_bound("127.0.0.1", 0);
		p[i] = local_port(fds[i]);
	}
	for (i = 0; i < 4; i++) {
		int found = 0;

		for (j = 0; j < 4; j++)
			found += p[j] == 40000 + i;
		assert_int_equal(found, 1);
	}
	fds[4] = ul_socket(AF_INET, SOCK_DGRAM, 0);
	{
		struct sockaddr_in any = sin_of("0.0.0.0", 0);

		errno = 0;
		assert_int_equal(ul_bind(fds[4], (struct sockaddr *)&any, sizeof(any)), -1);
		assert_int_equal(errno, EADDRINUSE);
	}
	/* A send on an unbound socket needs a port too (inet_autobind): EAGAIN. */
	errno = 0;
	assert_int_equal(send_to(fds[4], "127.0.0.1", 9, "x", 1), -1);
	assert_int_equal(errno, EAGAIN);
	for (i = 0; i < 5; i++)
		assert_int_equal(ul_close(fds[i]), 0);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "32768 61000"), 0);
}

static void test_eaddrinuse(void **state)
{
	struct sockaddr_in a = sin_of("127.0.0.1", 6000), any = sin_of("0.0.0.0", 6000);
	struct sockaddr_in other = sin_of("127.0.0.2", 6000), far = sin_of("10.1.2.3", 6000);
	int s1 = udp_bound("127.0.0.1", 6000), s2 = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int s3, s4, s5, one = 1;

	errno = 0;
	assert_int_equal(ul_bind(s2, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EADDRINUSE);
	errno = 0;
	assert_int_equal(ul_bind(s2, (struct sockaddr *)&any, sizeof(any)), -1);
	assert_int_equal(errno, EADDRINUSE);
	/* Another local address (127/8 is all local) on the same port does not conflict. */
	assert_int_equal(ul_bind(s2, (struct sockaddr *)&other, sizeof(other)), 0);
	/* Bound already: EINVAL. */
	errno = 0;
	assert_int_equal(ul_bind(s2, (struct sockaddr *)&other, sizeof(other)), -1);
	assert_int_equal(errno, EINVAL);
	/* Not a local address. */
	s3 = ul_socket(AF_INET, SOCK_DGRAM, 0);
	errno = 0;
	assert_int_equal(ul_bind(s3, (struct sockaddr *)&far, sizeof(far)), -1);
	assert_int_equal(errno, EADDRNOTAVAIL);
	/* SO_REUSEADDR on both: they share the port. */
	s4 = ul_socket(AF_INET, SOCK_DGRAM, 0);
	s5 = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(ul_setsockopt(s4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_setsockopt(s5, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	a.sin_port = htons(6001);
	assert_int_equal(ul_bind(s4, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_bind(s5, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_close(s1), 0);
	assert_int_equal(ul_close(s2), 0);
	assert_int_equal(ul_close(s3), 0);
	assert_int_equal(ul_close(s4), 0);
	assert_int_equal(ul_close(s5), 0);
	/* The port is free again. */
	s1 = udp_bound("127.0.0.1", 6000);
	assert_int_equal(ul_close(s1), 0);
}

/* ------------------------------------------------------------------------------------------
 * Crafted datagrams: checksums and length lies (injected on lo as received frames). */

struct inj {
	const char *saddr, *daddr;
	u16 sport, dport;
	const void *payload;
	unsigned int plen;	/* payload bytes on the wire */
	int ulen;		/* UDP length field; -1: right */
	int csum;		/* 0: right, 1: wrong, 2: zero (none) */
	unsigned int trunc;	/* IP payload bytes (0: UDP header + payload) */
};

/* A datagram from a host on t0's link, received by t0 (i3a's capturing test device). */
static void inject(struct net_device *dev, const struct inj *p)
{
	unsigned int udplen = 8 + p->plen, iplen = p->trunc ? p->trunc : udplen, len;
	__be32 saddr = ipt_addr(p->saddr), daddr = ipt_addr(p->daddr);
	u8 udp[1600], pkt[1700];
	struct udphdr *uh = (struct udphdr *)udp;

	assert_true(udplen <= sizeof(udp));
	uh->source = htons(p->sport);
	uh->dest = htons(p->dport);
	uh->len = htons((u16)(p->ulen >= 0 ? (unsigned int)p->ulen : udplen));
	uh->check = 0;
	memcpy(udp + 8, p->payload, p->plen);
	if (p->csum != 2) {
		unsigned int clen = p->ulen >= 8 && (unsigned int)p->ulen < udplen ?
					    (unsigned int)p->ulen : udplen;

		uh->check = csum_tcpudp_magic(saddr, daddr, (unsigned short)clen, IPPROTO_UDP,
					      csum_partial(udp, (int)clen, 0));
		if (uh->check == 0)
			uh->check = CSUM_MANGLED_0;
		if (p->csum == 1)
			uh->check ^= htons(0x0101);
	}
	len = ipt_build_ip(pkt, saddr, daddr, IPPROTO_UDP, 64, 1, 0, 5, NULL, udp, iplen);
	ipt_rx(dev, pkt, len);
	ul_run_for(MS);
}

static void test_checksum_and_length(void **state)
{
	struct net_device *t0 = ipt_dev_new(tnet, "t0", 1, 1500);
	struct inj p = { .saddr = "10.0.0.2", .daddr = "10.0.0.1", .sport = 1234,
			 .dport = 5005, .payload = "hello world", .plen = 11, .ulen = -1 };
	struct sockaddr_in from;
	socklen_t alen = sizeof(from);
	struct udp_counts c0;
	struct sk_buff *skb;
	char buf[64];
	int fd;

	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);

	/* No socket, bad checksum: dropped silently (RFC 1122 4.1.3.4): no NoPorts, no ICMP. */
	udp_snap(tnet, &c0);
	p.csum = 1;
	inject(t0, &p);
	assert_udp_delta(tnet, &c0, 0, 0, 1, 0, 0, 0, 1);
	assert_int_equal(ipt_txq_len(t0), 0);
	/* No socket, good checksum: NoPorts and an ICMP port unreachable back to the sender. */
	p.csum = 0;
	inject(t0, &p);
	assert_udp_delta(tnet, &c0, 0, 1, 1, 0, 0, 0, 1);
	assert_int_equal(ipt_txq_len(t0), 1);
	skb = ipt_pop(t0);
	{
		u8 l3[128];
		struct iphdr *iph = (struct iphdr *)l3;

		assert_true(ipt_l3_copy(skb, l3, sizeof(l3)) >= 20 + 8 + 20 + 8);
		assert_int_equal(iph->protocol, IPPROTO_ICMP);
		assert_int_equal(iph->daddr, ipt_addr("10.0.0.2"));
		assert_int_equal(l3[20], ICMP_DEST_UNREACH);
		assert_int_equal(l3[21], ICMP_PORT_UNREACH);
	}
	consume_skb(skb);

	fd = udp_bound("0.0.0.0", 5005);
	/* Good checksum: delivered, with its source. */
	udp_snap(tnet, &c0);
	inject(t0, &p);
	assert_int_equal(ul_recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &alen), 11);
	assert_memory_equal(buf, "hello world", 11);
	assert_int_equal(ntohs(from.sin_port), 1234);
	assert_int_equal(from.sin_addr.s_addr, ipt_addr("10.0.0.2"));
	assert_udp_delta(tnet, &c0, 1, 0, 0, 0, 0, 0, 0);

	/* Bad checksum to a socket: queued, found by the reader (InCsumErrors, InErrors). */
	udp_snap(tnet, &c0);
	p.csum = 1;
	inject(t0, &p);
	errno = 0;
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_udp_delta(tnet, &c0, 0, 0, 1, 0, 0, 0, 1);

	/* Zero checksum: the sender computed none (RFC 768); accepted. */
	udp_snap(tnet, &c0);
	p.csum = 2;
	inject(t0, &p);
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), 11);
	assert_udp_delta(tnet, &c0, 1, 0, 0, 0, 0, 0, 0);

	/* UDP length beyond the IP payload: short packet, InErrors. */
	udp_snap(tnet, &c0);
	p.csum = 0;
	p.ulen = 8 + 11 + 5;
	inject(t0, &p);
	/* UDP length below the header size. */
	p.ulen = 7;
	inject(t0, &p);
	/* IP payload too short for a UDP header at all. */
	p.ulen = -1;
	p.trunc = 6;
	inject(t0, &p);
	p.trunc = 0;
	errno = 0;
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_udp_delta(tnet, &c0, 0, 0, 3, 0, 0, 0, 0);
	assert_int_equal(ipt_txq_len(t0), 0);

	/* UDP length shorter than the IP payload: trimmed to it (the rest is padding). */
	udp_snap(tnet, &c0);
	p.ulen = 8 + 5;
	inject(t0, &p);
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_udp_delta(tnet, &c0, 1, 0, 0, 0, 0, 0, 0);
	assert_int_equal(ul_close(fd), 0);
	ipt_dev_del(t0);
}

/* ------------------------------------------------------------------------------------------
 * MSG_PEEK, MSG_TRUNC, SIOCINQ, recvmsg. */

static void test_peek_trunc(void **state)
{
	int r = udp_bound("127.0.0.1", 5006), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	struct udp_counts c0;
	struct sockaddr_in from;
	struct msghdr msg;
	struct iovec iov;
	char buf[32];
	int n;

	udp_snap(tnet, &c0);
	assert_int_equal(send_to(s, "127.0.0.1", 5006, "0123456789", 10), 10);
	assert_int_equal(ul_ioctl(r, SIOCINQ, &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(ul_ioctl(r, SIOCOUTQ, &n), 0);
	assert_int_equal(n, 0);
	/* Peek: the datagram stays; the first peek counts InDatagrams (3.10). */
	assert_int_equal(ul_recv(r, buf, 4, MSG_PEEK | MSG_DONTWAIT), 4);
	assert_memory_equal(buf, "0123", 4);
	assert_udp_delta(tnet, &c0, 1, 0, 0, 1, 0, 0, 0);
	/* MSG_TRUNC returns the real length. */
	assert_int_equal(ul_recv(r, buf, 4, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT), 10);
	/* recvmsg: cut to 4 bytes, MSG_TRUNC set, the source address filled in. */
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = 4;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	assert_int_equal(ul_recvmsg(r, &msg, MSG_DONTWAIT), 4);
	assert_true(msg.msg_flags & MSG_TRUNC);
	assert_int_equal(msg.msg_namelen, sizeof(struct sockaddr_in));
	assert_int_equal(ntohl(from.sin_addr.s_addr), 0x7f000001);
	assert_int_equal(from.sin_port, htons((uint16_t)local_port(s)));
	/* Gone now (the rest of a cut datagram is discarded). */
	assert_int_equal(ul_ioctl(r, FIONREAD, &n), 0);
	assert_int_equal(n, 0);
	assert_udp_delta(tnet, &c0, 1, 0, 0, 1, 0, 0, 0);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
}

/* 65535 - 20 (IP) - 8 (UDP) = 65507 bytes is the largest datagram. */
static void test_emsgsize(void **state)
{
	static char out[65508], in[65508];
	int r = udp_bound("127.0.0.1", 5007), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int i;

	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)(i * 7 + 3);
	assert_int_equal(send_to(s, "127.0.0.1", 5007, out, 65507), 65507);
	assert_int_equal(ul_recv(r, in, sizeof(in), MSG_DONTWAIT), 65507);
	assert_memory_equal(in, out, 65507);
	errno = 0;
	assert_int_equal(send_to(s, "127.0.0.1", 5007, out, 65508), -1);
	assert_int_equal(errno, EMSGSIZE);
	errno = 0;
	assert_int_equal(send_to(s, "127.0.0.1", 5007, out, 65536), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
}

/* ------------------------------------------------------------------------------------------
 * connect. */

static void test_connect(void **state)
{
	struct sockaddr_in peer = sin_of("127.0.0.1", 5008), got, unspec;
	socklen_t len = sizeof(got);
	int r = udp_bound("127.0.0.1", 5008), c = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int other = udp_bound("127.0.0.1", 5009);
	char buf[8];

	errno = 0;
	assert_int_equal(ul_getpeername(c, (struct sockaddr *)&got, &len), -1);
	assert_int_equal(errno, ENOTCONN);
	errno = 0;
	assert_int_equal(ul_send(c, "x", 1, 0), -1);
	assert_int_equal(errno, EDESTADDRREQ);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&peer, sizeof(peer)), 0);
	len = sizeof(got);
	assert_int_equal(ul_getpeername(c, (struct sockaddr *)&got, &len), 0);
	assert_int_equal(len, sizeof(got));
	assert_int_equal(got.sin_port, htons(5008));
	assert_int_equal(ntohl(got.sin_addr.s_addr), 0x7f000001);
	/* connect bound a port and chose the source address. */
	len = sizeof(got);
	assert_int_equal(ul_getsockname(c, (struct sockaddr *)&got, &len), 0);
	assert_int_equal(ntohl(got.sin_addr.s_addr), 0x7f000001);
	assert_true(ntohs(got.sin_port) >= 32768);
	assert_int_equal(ul_send(c, "abc", 3, 0), 3);
	assert_int_equal(ul_write(c, "de", 2), 2);
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 3);
	assert_int_equal(ul_read(r, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "de", 2);
	/* A connected socket only hears from its peer. */
	assert_int_equal(send_to(other, "127.0.0.1", ntohs(got.sin_port), "zz", 2), 2);
	errno = 0;
	assert_int_equal(ul_recv(c, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	/* AF_UNSPEC dissolves the association. */
	memset(&unspec, 0, sizeof(unspec));
	unspec.sin_family = AF_UNSPEC;
	assert_int_equal(ul_connect(c, (struct sockaddr *)&unspec, sizeof(unspec)), 0);
	len = sizeof(got);
	errno = 0;
	assert_int_equal(ul_getpeername(c, (struct sockaddr *)&got, &len), -1);
	assert_int_equal(errno, ENOTCONN);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(c), 0);
	assert_int_equal(ul_close(other), 0);
}

/* ------------------------------------------------------------------------------------------
 * /proc/net/udp and /proc/net/sockstat. */

static void test_proc_files(void **state)
{
	char expect[256], *txt, *line;
	int err, fd, u;
	unsigned long ino;

	fd = udp_bound("127.0.0.1", 5000);
	u = ul_socket(AF_INET, SOCK_DGRAM, 0);	/* unbound: not listed, not "inuse" */
	ino = sock_i_ino(fd_sk(fd));
	txt = ul_proc_read("t", "/proc/net/udp", &err);
	assert_non_null(txt);
	line = strchr(txt, '\n');
	assert_non_null(line);
	assert_int_equal(line - txt, 127);
	assert_memory_equal(txt, "  sl  local_address rem_address   st tx_queue rx_queue tr "
				 "tm->when retrnsmt   uid  timeout inode ref pointer drops", 104);
	/* sl is the hash bucket ((port + net_hash_mix) & 4095; 904 in init_net); 127.0.0.1
	 * prints as 0100007F on x86; state 07 (TCP_CLOSE); ref 2 (the file and the hash). */
	assert_int_equal(udp_hashfn(&init_net, 5000, udp_table.mask), 904);
	snprintf(expect, sizeof(expect),
		 "%5u: 0100007F:1388 00000000:0000 07 00000000:00000000 00:00000000 00000000 "
		 "    0        0 %lu 2 0000000000000000 0",
		 udp_hashfn(tnet, 5000, udp_table.mask), ino);
	assert_memory_equal(line + 1, expect, strlen(expect));
	assert_int_equal(strlen(line + 1), 128);	/* padded to 127 + '\n' */
	free(txt);

	txt = ul_proc_read("t", "/proc/net/sockstat", &err);
	assert_non_null(txt);
	assert_string_equal(txt, "sockets: used 2\n"
				 "TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n"
				 "UDP: inuse 1 mem 0\n"
				 "UDPLITE: inuse 0\n"
				 "RAW: inuse 0\n"
				 "FRAG: inuse 0 memory 0\n");
	free(txt);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_close(u), 0);
	/* The udp sysctls of 3.10 (facts.md §1.3, 1.7). */
	{
		char buf[64];

		assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.udp_mem", buf, sizeof(buf)), 0);
		assert_string_equal(buf, "196608\t262144\t393216");
		assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.udp_rmem_min", buf, sizeof(buf)),
				 0);
		assert_string_equal(buf, "4096");
		assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.udp_wmem_min", buf, sizeof(buf)),
				 0);
		assert_string_equal(buf, "4096");
	}
}

/* ------------------------------------------------------------------------------------------
 * Namespaces: sockets, ports and counters are per namespace. */

struct ns_arg {
	int ret;
	char got[16];
	int got_len;
};

static int ns_task(void *arg)
{
	struct ns_arg *a = arg;
	int fd = udp_bound("127.0.0.1", 7000), s = ul_socket(AF_INET, SOCK_DGRAM, 0);

	/* Nothing from "t" arrives here. */
	if (ul_recv(fd, a->got, sizeof(a->got), MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return 1;
	if (send_to(s, "127.0.0.1", 7000, "ns1", 3) != 3)
		return 2;
	a->got_len = (int)ul_recv(fd, a->got, sizeof(a->got), MSG_DONTWAIT);
	ul_close(s);
	ul_close(fd);
	return 0;
}

static void test_namespaces_isolate(void **state)
{
	struct ns_arg a = { 0 };
	struct udp_counts c0, n0;
	struct ul_task *t;
	struct net *ns = NULL;
	char buf[16];
	char *txt;
	int fd, s, err;

	assert_int_equal(ul_test_netns_up("ns1", &ns), 0);
	udp_snap(tnet, &c0);
	udp_snap(ns, &n0);

	fd = udp_bound("127.0.0.1", 7000);	/* the same address and port in "t" */
	s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(send_to(s, "127.0.0.1", 7000, "init", 4), 4);
	t = ul_task_spawn("ns1", "ns1", 0, ns_task, &a);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(a.ret, 0);
	assert_int_equal(a.got_len, 3);
	assert_memory_equal(a.got, "ns1", 3);
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT), 4);
	assert_memory_equal(buf, "init", 4);
	assert_udp_delta(tnet, &c0, 1, 0, 0, 1, 0, 0, 0);
	assert_udp_delta(ns, &n0, 1, 0, 0, 1, 0, 0, 0);
	/* Each namespace's /proc/net/udp lists its own sockets only. */
	txt = ul_proc_read("ns1", "/proc/net/udp", &err);
	assert_non_null(txt);
	assert_null(strstr(txt, ":1B58"));	/* the ns1 task's socket is closed */
	free(txt);
	txt = ul_proc_read("t", "/proc/net/udp", &err);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "0100007F:1B58"));
	free(txt);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_netns_del("ns1"), 0);
}

/* More than 10 sockets on one port: binding and lookup go through the secondary
 * (address, port) hash (3.10 hash2). */
static void test_hash2(void **state)
{
	struct sockaddr_in a = sin_of("127.0.0.1", 5020), b = sin_of("127.0.0.2", 5020);
	struct udp_hslot *hslot = udp_hashslot(&udp_table, tnet, 5020);
	int fds[12], one = 1, lone, loner, s, i;
	char buf[8];

	for (i = 0; i < 12; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_DGRAM, 0);
		assert_int_equal(ul_setsockopt(fds[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)),
				 0);
		assert_int_equal(ul_bind(fds[i], (struct sockaddr *)&a, sizeof(a)), 0);
	}
	assert_int_equal(hslot->count, 12);
	/* Without SO_REUSEADDR: refused by the secondary-hash scan. */
	lone = ul_socket(AF_INET, SOCK_DGRAM, 0);
	errno = 0;
	assert_int_equal(ul_bind(lone, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EADDRINUSE);
	/* Another address on the same port is free. */
	assert_int_equal(ul_bind(lone, (struct sockaddr *)&b, sizeof(b)), 0);
	assert_int_equal(hslot->count, 13);
	/* A datagram to 127.0.0.2:5020 finds that socket through hash2. */
	s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(send_to(s, "127.0.0.2", 5020, "two", 3), 3);
	assert_int_equal(ul_recv(lone, buf, sizeof(buf), MSG_DONTWAIT), 3);
	/* To 127.0.0.1:5020: one of the twelve (the most recently bound: first in the chain). */
	assert_int_equal(send_to(s, "127.0.0.1", 5020, "one", 3), 3);
	loner = -1;
	for (i = 0; i < 12; i++)
		if (ul_recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT) == 3)
			loner = i;
	assert_int_equal(loner, 11);
	for (i = 0; i < 12; i++)
		assert_int_equal(ul_close(fds[i]), 0);
	assert_int_equal(hslot->count, 1);
	assert_int_equal(ul_close(lone), 0);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(hslot->count, 0);
}

/* ------------------------------------------------------------------------------------------
 * The socket lock and its backlog; sk_wait_data. */

/* While a task owns the socket (lock_sock), softirq receive queues on the backlog;
 * release_sock feeds it to the protocol (3.10 __release_sock). */
static void test_socket_backlog(void **state)
{
	int r = udp_bound("127.0.0.1", 5010), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	struct sock *sk = fd_sk(r);
	struct udp_counts c0;
	char buf[16];
	int i, val;

	lock_sock(sk);
	assert_int_equal(send_to(s, "127.0.0.1", 5010, "backlog", 7), 7);
	assert_true(skb_queue_empty(&sk->sk_receive_queue));
	assert_non_null(sk->sk_backlog.head);
	assert_true(sk->sk_backlog.len > 0);
	release_sock(sk);
	assert_null(sk->sk_backlog.head);
	assert_int_equal(sk->sk_backlog.len, 0);
	assert_int_equal(skb_queue_len(&sk->sk_receive_queue), 1);
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 7);
	assert_memory_equal(buf, "backlog", 7);

	/* The backlog is bounded by sk_rcvbuf too: beyond it, InErrors (3.10 counts a
	 * backlog drop in InErrors only). */
	val = 1;	/* SOCK_MIN_RCVBUF */
	assert_int_equal(ul_setsockopt(r, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val)), 0);
	udp_snap(tnet, &c0);
	lock_sock(sk);
	for (i = 0; i < 20; i++)
		assert_int_equal(send_to(s, "127.0.0.1", 5010, "x", 1), 1);
	assert_true(sk->sk_backlog.len <= sk->sk_rcvbuf + 2000);
	release_sock(sk);
	i = 0;
	while (ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT) == 1 && i < 100)
		i++;
	assert_true(i > 0 && i < 20);
	/* Every datagram is accounted for: read, or dropped with InErrors. */
	assert_int_equal(udp_cnt(tnet, UDP_MIB_INDATAGRAMS) - c0.v[UDP_MIB_INDATAGRAMS], i);
	assert_int_equal(udp_cnt(tnet, UDP_MIB_INERRORS) - c0.v[UDP_MIB_INERRORS], 20 - i);
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
}

struct wait_arg {
	int fd;
	int rc_timeout, rc_data;
	u64 slept;
};

/* sk_wait_data (TCP's wait, book ch3): the socket is released while asleep; the wait ends
 * on the timeout (0) or when data is queued (1). */
static int wait_task(void *arg)
{
	struct wait_arg *a = arg;
	int fd = udp_bound("127.0.0.1", 5011);
	struct sock *sk = fd_sk(fd);
	long timeo = 50;	/* jiffies */
	u64 t0 = ul_now_ns();

	lock_sock(sk);
	a->rc_timeout = sk_wait_data(sk, &timeo);
	a->slept = ul_now_ns() - t0;
	a->fd = fd;
	timeo = MAX_SCHEDULE_TIMEOUT;
	a->rc_data = sk_wait_data(sk, &timeo);
	release_sock(sk);
	return ul_close(fd);
}

static int wait_sender(void *arg)
{
	int s = ul_socket(AF_INET, SOCK_DGRAM, 0);

	ul_sleep(80 * MS);
	if (send_to(s, "127.0.0.1", 5011, "wake", 4) != 4)
		return 1;
	return ul_close(s);
}

static void test_sk_wait_data(void **state)
{
	struct wait_arg a = { .fd = -1 };
	struct ul_task *w = ul_task_spawn("t", "waiter", 0, wait_task, &a);
	struct ul_task *s = ul_task_spawn("t", "wsender", 1, wait_sender, NULL);

	assert_non_null(w);
	assert_non_null(s);
	assert_int_equal(ul_task_join(w), 0);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(a.rc_timeout, 0);
	assert_true(a.slept >= 50 * MS && a.slept <= 52 * MS);
	assert_int_equal(a.rc_data, 1);
}

/* ------------------------------------------------------------------------------------------
 * Blocking on the send buffer: a device that holds the sent skbs (as a NIC's TX ring holds
 * them until the completion IRQ) keeps them charged to sk_wmem_alloc. */

struct hold_priv {
	struct sk_buff_head q;
};

static netdev_tx_t hold_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct hold_priv *p = netdev_priv(dev);

	skb_queue_tail(&p->q, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops hold_ops = {
	.ndo_start_xmit = hold_xmit,
	.ndo_validate_addr = eth_validate_addr,
};

static void hold_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &hold_ops;
	dev->flags |= IFF_NOARP;
	dev->tx_queue_len = 0;
}

/* TX completion: the skbs are freed and the sender's buffer space comes back. */
static void hold_complete(struct net_device *dev)
{
	struct hold_priv *p = netdev_priv(dev);
	struct sk_buff *skb;
	int guard = 0;

	while ((skb = skb_dequeue(&p->q)) != NULL && guard++ < 10000)
		consume_skb(skb);
}

struct completer_arg {
	struct net_device *dev;
	u64 at;
};

static int completer(void *arg)
{
	struct completer_arg *c = arg;

	ul_sleep(5 * MS);
	c->at = ul_now_ns();
	local_bh_disable();
	hold_complete(c->dev);
	local_bh_enable();
	return 0;
}

static void test_sndbuf_blocking(void **state)
{
	struct net_device *h0 = alloc_netdev(sizeof(struct hold_priv), "h0", hold_setup);
	struct hold_priv *hp;
	struct completer_arg ca;
	struct udp_counts c0;
	struct ul_task *t;
	static char payload[1000];
	int s, val = 1, n = 0, guard = 0;
	u64 t0;

	assert_non_null(h0);
	hp = netdev_priv(h0);
	skb_queue_head_init(&hp->q);
	memcpy(h0->dev_addr, "\x02\x00\x00\x00\x00\x07", ETH_ALEN);
	dev_net_set(h0, tnet);
	assert_int_equal(register_netdev(h0), 0);
	rtnl_lock();
	assert_int_equal(dev_open(h0), 0);
	rtnl_unlock();
	ipt_addr_add(h0, "10.0.1.1", 24);
	hold_complete(h0);

	s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(ul_setsockopt(s, SOL_SOCKET, SO_SNDBUF, &val, sizeof(val)), 0);
	assert_int_equal(fd_sk(s)->sk_sndbuf, SOCK_MIN_SNDBUF);
	udp_snap(tnet, &c0);
	/* Non-blocking sends fill the buffer, then EAGAIN (counted as SndbufErrors). */
	while (guard++ < 20) {
		struct sockaddr_in to = sin_of("10.0.1.2", 9);

		if (ul_sendto(s, payload, sizeof(payload), MSG_DONTWAIT, (struct sockaddr *)&to,
			      sizeof(to)) < 0)
			break;
		n++;
	}
	assert_int_equal(errno, EAGAIN);
	assert_true(n >= 1 && n < 20);
	assert_true(sk_wmem_alloc_get(fd_sk(s)) >= SOCK_MIN_SNDBUF - 1);
	assert_udp_delta(tnet, &c0, 0, 0, 0, n, 0, 1, 0);
	{
		int q = -1;

		assert_int_equal(ul_ioctl(s, SIOCOUTQ, &q), 0);
		assert_int_equal(q, sk_wmem_alloc_get(fd_sk(s)));
	}
	/* A blocking send sleeps until the device completes (5 ms later). */
	ca.dev = h0;
	ca.at = 0;
	t = ul_task_spawn("t", "completer", 1, completer, &ca);
	assert_non_null(t);
	t0 = ul_now_ns();
	assert_int_equal(send_to(s, "10.0.1.2", 9, payload, sizeof(payload)), (int)sizeof(payload));
	assert_true(ul_now_ns() - t0 >= 5 * MS);
	assert_int_equal(ul_task_join(t), 0);
	assert_true(ca.at >= t0 + 5 * MS);
	assert_udp_delta(tnet, &c0, 0, 0, 0, n + 1, 0, 1, 0);
	assert_int_equal(ul_close(s), 0);
	/* The socket is closed but its last skb is still in the device: it lives until then. */
	hold_complete(h0);
	unregister_netdev(h0);
	hold_complete(h0);
	free_netdev(h0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exchange_sim, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_rcvtimeo, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_loopback_subnet_source, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_rcvbuf_overflow, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_ephemeral_ports, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_eaddrinuse, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_checksum_and_length, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_peek_trunc, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_emsgsize, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_connect, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_proc_files, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_namespaces_isolate, setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_hash2, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_socket_backlog, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_sk_wait_data, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_sndbuf_blocking, setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_exchange_posix, setup_posix,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
