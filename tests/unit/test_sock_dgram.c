/* SPDX-License-Identifier: MIT */
/* The datagram-only state of a socket (struct sock_dgram, struct inet_dgram: issue #10's
 * diet of the TCP sock): SIOCGSTAMP, SO_TIMESTAMP(NS), receive drops (/proc/net/udp,
 * SO_RXQ_OVFL and its control message), SO_PEEK_OFF and the multicast options keep 3.10's
 * answers on UDP, ping and AF_UNIX sockets, which carry the state, and on TCP, which does
 * not; TCP's flow is rebuilt on the stack.
 * Mirrors the behaviour of linux/net/core/sock.c (sock_get_timestamp, sock_queue_rcv_skb,
 * sock_recv_ts_and_drops, sock_enable_timestamp, sock_getsockopt), net/socket.c
 * (__sock_recv_timestamp), net/ipv4/ip_sockglue.c and net/ipv4/udp.c (udp4_format_sock)
 * (3.10). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "harness.h"
#include "sock_tcp_testutil.h"
#include "linux/in.h"
#include "linux/ktime.h"
#include "linux/slab.h"
#include "linux/udp.h"
#include "net/af_unix.h"
#include "net/inet_sock.h"
#include "net/tcp.h"
#include "uapi/linux/icmp.h"
#include "ulnet/ulnet.h"

#ifndef SIOCGSTAMP
#define SIOCGSTAMP 0x8906
#endif

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	return ul_test_teardown_netns_after(state, "t", 10 * MS);
}

/* SIOCGSTAMP on @fd: 0 and *@tv, or -errno. */
static int stamp_of(int fd, struct timeval *tv)
{
	memset(tv, 0, sizeof(*tv));
	return ul_ioctl(fd, SIOCGSTAMP, tv) == 0 ? 0 : -errno;
}

static int getint(int fd, int level, int opt, int *val)
{
	socklen_t len = sizeof(*val);

	*val = -12345;
	return ul_getsockopt(fd, level, opt, val, &len) == 0 ? 0 : -errno;
}

static int setint(int fd, int level, int opt, int val)
{
	return ul_setsockopt(fd, level, opt, &val, sizeof(val)) == 0 ? 0 : -errno;
}

/* An echo request for a ping socket (the id is replaced by the socket's ident). */
static size_t make_echo(unsigned char *buf, uint16_t seq)
{
	memset(buf, 0, 24);
	buf[0] = ICMP_ECHO;
	buf[6] = (unsigned char)(seq >> 8);
	buf[7] = (unsigned char)seq;
	return 24;
}

/* recvmsg of one datagram on @fd into @buf with a control buffer; the control messages
 * SOL_SOCKET/@type found (its data copied to @data, @len bytes) counted in the return. */
static int recv_cmsg(int fd, char *buf, size_t size, int type, void *data, size_t len,
		     ssize_t *got)
{
	union {
		struct cmsghdr align;
		char b[256];
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg;
	struct cmsghdr *cm;
	int found = 0;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.b;
	msg.msg_controllen = sizeof(ctl.b);
	*got = ul_recvmsg(fd, &msg, MSG_DONTWAIT);
	if (*got < 0)
		return 0;
	assert_int_equal(msg.msg_flags & MSG_CTRUNC, 0);
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != type)
			continue;
		assert_int_equal(cm->cmsg_len, CMSG_LEN(len));
		memcpy(data, CMSG_DATA(cm), len);
		found++;
	}
	return found;
}

/* Which kinds carry the state, where, with 3.10's initial values; TCP (listener, client,
 * accepted child) reads the values 3.10's untouched fields have: no stamp, no drops, no
 * peek offset. */
static void test_state_per_kind(void **state)
{
	int u = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int p = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	int x = ul_socket(AF_UNIX, SOCK_DGRAM, 0);
	int lfd, cfd, sfd, i;
	struct sock *tcp[3];
	struct sock *dg[3];

	(void)state;
	assert_true(u >= 0 && p >= 0 && x >= 0);
	tcp_pair(5100, &lfd, &cfd, &sfd);
	dg[0] = sk_of(u);
	dg[1] = sk_of(p);
	dg[2] = sk_of(x);
	assert_ptr_equal(sk_dgram(dg[0]), &udp_sk(dg[0])->dgram.sk);
	assert_ptr_equal(inet_dgram(dg[0]), &udp_sk(dg[0])->dgram);
	assert_non_null(inet_dgram(dg[1]));
	assert_ptr_equal(sk_dgram(dg[2]), &unix_sk(dg[2])->dgram);
	for (i = 0; i < 3; i++) {
		struct sock_dgram *d = sk_dgram(dg[i]);

		assert_non_null(d);
		assert_true(d->sk_stamp == -1);
		assert_int_equal(atomic_read(&d->sk_drops), 0);
		assert_int_equal(d->sk_peek_off, -1);
	}
	assert_null(inet_dgram(dg[1])->cork);
	assert_int_equal(inet_dgram(dg[1])->mc_index, 0);
	tcp[0] = sk_of(lfd);
	tcp[1] = sk_of(cfd);
	tcp[2] = sk_of(sfd);
	for (i = 0; i < 3; i++) {
		assert_null(sk_dgram(tcp[i]));
		assert_null(inet_dgram(tcp[i]));
		assert_true(sock_read_timestamp(tcp[i]) == -1);
		assert_int_equal(sk_drops_read(tcp[i]), 0);
		assert_int_equal(sk_peek_off_get(tcp[i]), -1);
		assert_int_equal(sk_peek_offset(tcp[i], MSG_PEEK), 0);
		/* Writers are no-ops on a kind without the state. */
		sk_drops_inc(tcp[i]);
		sock_write_timestamp(tcp[i], 5);
		assert_int_equal(sk_drops_read(tcp[i]), 0);
		assert_true(sock_read_timestamp(tcp[i]) == -1);
	}
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	assert_int_equal(ul_close(x), 0);
	assert_int_equal(ul_close(p), 0);
	assert_int_equal(ul_close(u), 0);
}

/* SIOCGSTAMP: -ENOENT until a datagram is read (queued is not enough), then the time it
 * arrived (the first ask turned stamping on). TCP
 * never stamps in 3.10 (tcp_recvmsg has no sock_recv_timestamp): -ENOENT even after data
 * went both ways. */
static void test_siocgstamp(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5101);
	int r = ul_test_udp_bound("127.0.0.1", 5101), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int lfd, cfd, sfd;
	struct timeval tv, tv2;
	time_t now;
	char buf[16];

	(void)state;
	assert_true(s >= 0);
	assert_int_equal(stamp_of(r, &tv), -ENOENT);
	assert_int_equal(ul_sendto(s, "stamp", 5, 0, (struct sockaddr *)&to, sizeof(to)), 5);
	ul_run_for(MS);
	assert_int_equal(stamp_of(r, &tv), -ENOENT);	/* queued, not read */
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 5);
	assert_int_equal(stamp_of(r, &tv), 0);
	now = (time_t)(ktime_get_real() / NSEC_PER_SEC);
	assert_true(tv.tv_sec >= now - 1 && tv.tv_sec <= now);
	assert_true(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	/* Asked again later, the same time. */
	ul_run_for(1500 * MS);
	assert_int_equal(stamp_of(r, &tv2), 0);
	assert_int_equal(tv2.tv_sec, tv.tv_sec);
	assert_int_equal(tv2.tv_usec, tv.tv_usec);
	assert_int_equal(ul_ioctl(r, SIOCGSTAMP, NULL), -1);
	assert_int_equal(errno, EFAULT);
	/* The sender read nothing. */
	assert_int_equal(stamp_of(s, &tv), -ENOENT);

	tcp_pair(5102, &lfd, &cfd, &sfd);
	assert_int_equal(ul_send(cfd, "ping", 4, 0), 4);
	ul_run_for(MS);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), MSG_DONTWAIT), 4);
	assert_int_equal(ul_send(sfd, "pong", 4, 0), 4);
	ul_run_for(MS);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), MSG_DONTWAIT), 4);
	assert_int_equal(stamp_of(cfd, &tv), -ENOENT);
	assert_int_equal(stamp_of(sfd, &tv), -ENOENT);
	assert_int_equal(stamp_of(lfd, &tv), -ENOENT);

	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(r), 0);
}

/* A ping socket stamps its echo replies as UDP does. */
static void test_siocgstamp_ping(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 0);
	unsigned char req[24], rep[64];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	struct timeval tv;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(stamp_of(fd, &tv), -ENOENT);
	assert_int_equal(ul_sendto(fd, req, make_echo(req, 1), 0, (struct sockaddr *)&to,
				   sizeof(to)), 24);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, rep, sizeof(rep), MSG_DONTWAIT), 24);
	assert_int_equal(stamp_of(fd, &tv), 0);
	assert_true(tv.tv_sec > 0);
	assert_int_equal(ul_close(fd), 0);
}

/* The drops column of /proc/net/udp (the last) for the socket on local port @port. */
static int proc_udp_drops(int port)
{
	char want[16], *txt, *line, *save = NULL;
	int err = 0, drops = -1;

	snprintf(want, sizeof(want), ":%04X ", port);
	txt = ul_proc_read("t", "/proc/net/udp", &err);
	assert_non_null(txt);
	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *local = strchr(line, ':');

		/* "  sl: local_address rem_address ...": the local address comes first. */
		if (!local || !strstr(line, want) || strstr(line, want) > local + 16)
			continue;
		/* sl local rem st tx:rx tr:tm retrnsmt uid timeout inode ref pointer drops
		 * (then padding to 127 columns). */
		assert_int_equal(sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %d",
					&drops), 1);
	}
	free(txt);
	return drops;
}

/* Receive-buffer drops count on the UDP socket: sk_drops, /proc/net/udp's drops column;
 * SO_RXQ_OVFL is a flag any socket sets and reads back (3.10's sock_setsockopt), TCP
 * included. */
static void test_drops_udp(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5103);
	int r = ul_test_udp_bound("127.0.0.1", 5103), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int lfd, cfd, sfd, val, got, i;
	char buf[256];

	(void)state;
	assert_true(s >= 0);
	assert_int_equal(proc_udp_drops(5103), 0);
	assert_int_equal(getint(r, SOL_SOCKET, SO_RXQ_OVFL, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(setint(r, SOL_SOCKET, SO_RXQ_OVFL, 1), 0);
	assert_int_equal(getint(r, SOL_SOCKET, SO_RXQ_OVFL, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(setint(r, SOL_SOCKET, SO_RCVBUF, 1), 0);	/* SOCK_MIN_RCVBUF */
	for (i = 0; i < 20; i++)
		assert_int_equal(ul_sendto(s, buf, 200, 0, (struct sockaddr *)&to, sizeof(to)),
				 200);
	ul_run_for(MS);
	for (got = 0; got < 20 && ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT) == 200; got++)
		;
	assert_true(got > 0 && got < 20);
	assert_int_equal(sk_drops_read(sk_of(r)), 20 - got);
	assert_int_equal(proc_udp_drops(5103), 20 - got);
	assert_int_equal(sk_drops_read(sk_of(s)), 0);

	tcp_pair(5104, &lfd, &cfd, &sfd);
	assert_int_equal(setint(cfd, SOL_SOCKET, SO_RXQ_OVFL, 1), 0);
	assert_int_equal(getint(cfd, SOL_SOCKET, SO_RXQ_OVFL, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(getint(sfd, SOL_SOCKET, SO_RXQ_OVFL, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(r), 0);
}

/* A ping socket's full receive buffer drops replies into its own count (and IcmpInErrors
 * as 3.10's ping_queue_rcv_skb). */
static void test_drops_ping(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 0);
	unsigned char req[24], rep[64];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), got, i;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(setint(fd, SOL_SOCKET, SO_RCVBUF, 1), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(ul_sendto(fd, req, make_echo(req, (uint16_t)i), 0,
					   (struct sockaddr *)&to, sizeof(to)), 24);
	ul_run_for(MS);
	for (got = 0; got < 20 && ul_recv(fd, rep, sizeof(rep), MSG_DONTWAIT) == 24; got++)
		;
	assert_true(got > 0 && got < 20);
	assert_int_equal(sk_drops_read(sk_of(fd)), 20 - got);
	assert_int_equal(ul_close(fd), 0);
}

/* SO_PEEK_OFF: only AF_UNIX has set_peek_off in 3.10; UDP and TCP answer EOPNOTSUPP both
 * ways. On AF_UNIX the offset moves forward with each peek and back with each read. */
static void test_peek_off(void **state)
{
	int u = ul_socket(AF_INET, SOCK_DGRAM, 0), sv[2], lfd, cfd, sfd, val;
	char buf[16];

	(void)state;
	assert_true(u >= 0);
	tcp_pair(5105, &lfd, &cfd, &sfd);
	assert_int_equal(getint(u, SOL_SOCKET, SO_PEEK_OFF, &val), -EOPNOTSUPP);
	assert_int_equal(setint(u, SOL_SOCKET, SO_PEEK_OFF, 0), -EOPNOTSUPP);
	assert_int_equal(getint(cfd, SOL_SOCKET, SO_PEEK_OFF, &val), -EOPNOTSUPP);
	assert_int_equal(setint(cfd, SOL_SOCKET, SO_PEEK_OFF, 0), -EOPNOTSUPP);

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(getint(sv[0], SOL_SOCKET, SO_PEEK_OFF, &val), 0);
	assert_int_equal(val, -1);
	assert_int_equal(setint(sv[0], SOL_SOCKET, SO_PEEK_OFF, 2), 0);
	assert_int_equal(ul_send(sv[1], "abcdef", 6, 0), 6);
	assert_int_equal(ul_recv(sv[0], buf, 2, MSG_PEEK | MSG_DONTWAIT), 2);
	assert_memory_equal(buf, "cd", 2);
	assert_int_equal(getint(sv[0], SOL_SOCKET, SO_PEEK_OFF, &val), 0);
	assert_int_equal(val, 4);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), 6);
	assert_int_equal(getint(sv[0], SOL_SOCKET, SO_PEEK_OFF, &val), 0);
	assert_int_equal(val, 0);

	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	assert_int_equal(ul_close(u), 0);
}

/* The multicast options on TCP (3.10's ip_sockglue.c): IP_MULTICAST_TTL cannot be set
 * (EINVAL) and reads 1, except on an accepted child, which reads the TTL of the segment
 * that completed it (tcp_v4_syn_recv_sock: 64 on lo); IP_MULTICAST_LOOP is set and read.
 * UDP sets and reads both. */
static void test_multicast_opts(void **state)
{
	int u = ul_socket(AF_INET, SOCK_DGRAM, 0), lfd, cfd, sfd, val;

	(void)state;
	assert_true(u >= 0);
	assert_int_equal(setint(u, IPPROTO_IP, IP_MULTICAST_TTL, 5), 0);
	assert_int_equal(getint(u, IPPROTO_IP, IP_MULTICAST_TTL, &val), 0);
	assert_int_equal(val, 5);
	assert_int_equal(setint(u, IPPROTO_IP, IP_MULTICAST_LOOP, 0), 0);
	assert_int_equal(getint(u, IPPROTO_IP, IP_MULTICAST_LOOP, &val), 0);
	assert_int_equal(val, 0);

	tcp_pair(5106, &lfd, &cfd, &sfd);
	assert_int_equal(setint(cfd, IPPROTO_IP, IP_MULTICAST_TTL, 5), -EINVAL);
	assert_int_equal(getint(cfd, IPPROTO_IP, IP_MULTICAST_TTL, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(getint(lfd, IPPROTO_IP, IP_MULTICAST_TTL, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(getint(sfd, IPPROTO_IP, IP_MULTICAST_TTL, &val), 0);
	assert_int_equal(val, 64);
	assert_int_equal(getint(cfd, IPPROTO_IP, IP_MULTICAST_LOOP, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(setint(cfd, IPPROTO_IP, IP_MULTICAST_LOOP, 0), 0);
	assert_int_equal(getint(cfd, IPPROTO_IP, IP_MULTICAST_LOOP, &val), 0);
	assert_int_equal(val, 0);

	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
	assert_int_equal(ul_close(u), 0);
}

/* TCP's flow is rebuilt from the sock's addresses for every segment (3.10 keeps it in
 * inet->cork.fl): with the cached route dropped on both ends, data still goes both ways and
 * the route is looked up again and cached. */
static void test_tcp_flow_rebuilt(void **state)
{
	int lfd, cfd, sfd, i;
	char buf[16];

	(void)state;
	tcp_pair(5107, &lfd, &cfd, &sfd);
	for (i = 0; i < 2; i++) {
		struct sock *sk = sk_of(i ? sfd : cfd);
		struct flowi4 fl4 = { 0 };

		inet_sk_flowi4_addrs(sk, &fl4);
		assert_int_equal(ntohl(fl4.saddr), 0x7f000001);
		assert_int_equal(ntohl(fl4.daddr), 0x7f000001);
		lock_sock(sk);
		sk_dst_reset(sk);
		release_sock(sk);
		assert_null(__sk_dst_get(sk));
	}
	assert_int_equal(ul_send(cfd, "there", 5, 0), 5);
	ul_run_for(MS);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), MSG_DONTWAIT), 5);
	assert_int_equal(ul_send(sfd, "back", 4, 0), 4);
	ul_run_for(MS);
	assert_int_equal(ul_recv(cfd, buf, sizeof(buf), MSG_DONTWAIT), 4);
	assert_non_null(__sk_dst_get(sk_of(cfd)));
	assert_non_null(__sk_dst_get(sk_of(sfd)));
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_close(cfd), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* The ping socket's cork, allocated by its first send: when that allocation fails, the send
 * fails with ENOBUFS (3.10's ip_append_data on a failed allocation), nothing is left
 * allocated, and the next send works. */
static void test_ping_cork_enomem(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 0);
	unsigned char req[24], rep[64];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	int warm = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	char cachename[32];

	(void)state;
	assert_true(fd >= 0 && warm >= 0);
	snprintf(cachename, sizeof(cachename), "kmalloc-%u",
		 sizeof(struct inet_cork) <= 64 ? 64U : 128U);
	/* An echo on another socket first: the route and neighbour exist, so the send's
	 * first allocation of that size is the cork. */
	assert_int_equal(ul_sendto(warm, req, make_echo(req, 1), 0, (struct sockaddr *)&to,
				   sizeof(to)), 24);
	ul_run_for(MS);
	assert_int_equal(ul_recv(warm, rep, sizeof(rep), MSG_DONTWAIT), 24);
	ul_failslab_arm(cachename, 0, 1);
	errno = 0;
	assert_int_equal(ul_sendto(fd, req, make_echo(req, 1), 0, (struct sockaddr *)&to,
				   sizeof(to)), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(ul_failslab_pending(), 0);
	assert_null(inet_dgram(sk_of(fd))->cork);
	assert_int_equal(ul_sendto(fd, req, make_echo(req, 2), 0, (struct sockaddr *)&to,
				   sizeof(to)), 24);
	assert_non_null(inet_dgram(sk_of(fd))->cork);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, rep, sizeof(rep), MSG_DONTWAIT), 24);
	assert_int_equal(rep[7], 2);
	assert_int_equal(ul_close(warm), 0);
	assert_int_equal(ul_close(fd), 0);
}

/* SO_TIMESTAMP / SO_TIMESTAMPNS: each datagram read comes with its arrival time (taken at
 * receive once a socket asked: net_enable_timestamp), as SCM_TIMESTAMP (timeval) or
 * SCM_TIMESTAMPNS (timespec). As 3.10, such a read does not update sk_stamp: SIOCGSTAMP
 * still has nothing. */
static void test_so_timestamp_cmsg(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5108);
	int r = ul_test_udp_bound("127.0.0.1", 5108), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	ktime_t t0, t1, got_ns;
	struct timespec ts;
	struct timeval tv;
	char buf[16];
	ssize_t n;
	int val;

	(void)state;
	assert_true(s >= 0);
	assert_int_equal(setint(r, SOL_SOCKET, SO_TIMESTAMP, 1), 0);
	assert_int_equal(getint(r, SOL_SOCKET, SO_TIMESTAMP, &val), 0);
	assert_int_equal(val, 1);
	t0 = ktime_get_real();
	assert_int_equal(ul_sendto(s, "a", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ul_run_for(10 * MS);
	t1 = ktime_get_real();
	assert_true(t1 > t0);
	assert_int_equal(recv_cmsg(r, buf, sizeof(buf), SCM_TIMESTAMP, &tv, sizeof(tv), &n), 1);
	assert_int_equal(n, 1);
	got_ns = (ktime_t)tv.tv_sec * NSEC_PER_SEC + (ktime_t)tv.tv_usec * NSEC_PER_USEC;
	assert_true(got_ns >= t0 / NSEC_PER_USEC * NSEC_PER_USEC && got_ns <= t1);
	assert_int_equal(stamp_of(r, &tv), -ENOENT);

	assert_int_equal(setint(r, SOL_SOCKET, SO_TIMESTAMPNS, 1), 0);
	assert_int_equal(getint(r, SOL_SOCKET, SO_TIMESTAMP, &val), 0);
	assert_int_equal(val, 0);
	t0 = ktime_get_real();
	assert_int_equal(ul_sendto(s, "b", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ul_run_for(10 * MS);
	t1 = ktime_get_real();
	assert_int_equal(recv_cmsg(r, buf, sizeof(buf), SCM_TIMESTAMPNS, &ts, sizeof(ts), &n),
			 1);
	got_ns = (ktime_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	assert_true(got_ns >= t0 && got_ns <= t1);

	/* Off: no control message, and the read stamps sk_stamp again. */
	assert_int_equal(setint(r, SOL_SOCKET, SO_TIMESTAMPNS, 0), 0);
	assert_int_equal(ul_sendto(s, "c", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ul_run_for(MS);
	assert_int_equal(recv_cmsg(r, buf, sizeof(buf), SCM_TIMESTAMP, &tv, sizeof(tv), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(stamp_of(r, &tv), 0);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(r), 0);
}

/* Received packets are stamped while some socket asks for it (SO_TIMESTAMP or SIOCGSTAMP
 * set SOCK_TIMESTAMP: net_enable_timestamp) and no longer once the last such socket is
 * freed: a plain reader's sk_stamp shows which. */
static void test_net_timestamp_refcount(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5109);
	int r = ul_test_udp_bound("127.0.0.1", 5109), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int asker = ul_socket(AF_INET, SOCK_DGRAM, 0);
	struct timeval tv, tv2;
	char buf[16];

	(void)state;
	assert_true(s >= 0 && asker >= 0);
	assert_int_equal(ul_sendto(s, "a", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ul_run_for(MS);
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 1);
	assert_true(sock_read_timestamp(sk_of(r)) == 0);	/* not stamped */

	assert_int_equal(stamp_of(asker, &tv), -ENOENT);	/* asking turns stamping on */
	assert_int_equal(ul_sendto(s, "b", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ul_run_for(MS);
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 1);
	assert_true(sock_read_timestamp(sk_of(r)) > 0);

	assert_int_equal(ul_close(asker), 0);
	ul_run_for(MS);
	assert_int_equal(ul_sendto(s, "c", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	ul_run_for(MS);
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 1);
	assert_true(sock_read_timestamp(sk_of(r)) == 0);
	/* A packet read unstamped: SIOCGSTAMP answers "now" the first time and keeps that
	 * answer (3.10's sock_get_timestamp writes it to sk_stamp). */
	assert_int_equal(stamp_of(r, &tv), 0);
	ul_run_for(1500 * MS);
	assert_int_equal(stamp_of(r, &tv2), 0);
	assert_int_equal(tv2.tv_sec, tv.tv_sec);
	assert_int_equal(tv2.tv_usec, tv.tv_usec);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(r), 0);
}

/* SO_RXQ_OVFL: a datagram queued after drops carries the socket's drop count as a control
 * message (0 drops: none); without the option, none. */
static void test_rxq_ovfl_cmsg(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5110);
	int r = ul_test_udp_bound("127.0.0.1", 5110), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	char buf[256];
	__u32 drops;
	ssize_t n;
	int got, i;

	(void)state;
	assert_true(s >= 0);
	assert_int_equal(setint(r, SOL_SOCKET, SO_RXQ_OVFL, 1), 0);
	assert_int_equal(setint(r, SOL_SOCKET, SO_RCVBUF, 1), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(ul_sendto(s, buf, 200, 0, (struct sockaddr *)&to, sizeof(to)),
				 200);
	ul_run_for(MS);
	/* Queued before the first drop: no control message. */
	for (got = 0; got < 20; got++) {
		if (recv_cmsg(r, buf, sizeof(buf), SO_RXQ_OVFL, &drops, sizeof(drops), &n) != 0)
			fail();
		if (n < 0)
			break;
	}
	assert_true(got > 0 && got < 20);
	assert_int_equal(ul_sendto(s, buf, 200, 0, (struct sockaddr *)&to, sizeof(to)), 200);
	ul_run_for(MS);
	assert_int_equal(recv_cmsg(r, buf, sizeof(buf), SO_RXQ_OVFL, &drops, sizeof(drops), &n),
			 1);
	assert_int_equal(n, 200);
	assert_int_equal(drops, 20 - got);

	assert_int_equal(setint(r, SOL_SOCKET, SO_RXQ_OVFL, 0), 0);
	assert_int_equal(ul_sendto(s, buf, 200, 0, (struct sockaddr *)&to, sizeof(to)), 200);
	ul_run_for(MS);
	assert_int_equal(recv_cmsg(r, buf, sizeof(buf), SO_RXQ_OVFL, &drops, sizeof(drops), &n),
			 0);
	assert_int_equal(n, 200);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_per_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_siocgstamp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_siocgstamp_ping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drops_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drops_ping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peek_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multicast_opts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_flow_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_cork_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_so_timestamp_cmsg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_net_timestamp_refcount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rxq_ovfl_cmsg, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
