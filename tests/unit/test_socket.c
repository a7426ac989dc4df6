/* SPDX-License-Identifier: MIT */
/* The socket system calls: every errno path Linux 3.10 gives for misuse, and the SOL_SOCKET
 * and SOL_IP options (SO_RCVBUF/SO_SNDBUF doubling, SOCK_MIN_RCVBUF, timeouts, IP_TTL...).
 * Mirrors the behaviour of linux/net/socket.c, net/core/sock.c, net/ipv4/af_inet.c,
 * net/ipv4/ip_sockglue.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "ulnet/socket.h"

/* Tests that send run in a fresh namespace "t" (its routes and peers go with it; see
 * test_udp.c). */
static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	return ul_test_teardown_netns(state, "t");
}

static struct sockaddr_in sin_of(const char *ip, int port)
{
	return ul_test_sin(ip, port);
}

static void test_socket_errors(void **state)
{
	assert_errno(ul_socket(AF_APPLETALK, SOCK_STREAM, 0), EAFNOSUPPORT);	/* AF_UNIX: #6 */
	assert_errno(ul_socket(AF_INET6, SOCK_DGRAM, 0), EAFNOSUPPORT);
	assert_errno(ul_socket(-1, SOCK_DGRAM, 0), EAFNOSUPPORT);
	assert_errno(ul_socket(AF_MAX, SOCK_DGRAM, 0), EAFNOSUPPORT);
	/* SOCK_STREAM: TCP exists (test_tcp_conn.c); SCTP does not. */
	assert_errno(ul_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP), EPROTONOSUPPORT);
	assert_errno(ul_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), EPROTONOSUPPORT);
	/* SOCK_DGRAM/IPPROTO_ICMP: ping sockets exist (test_ping.c). */
	assert_errno(ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
	assert_errno(ul_socket(AF_INET, SOCK_DGRAM, -1), EINVAL);
	assert_errno(ul_socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
	assert_errno(ul_socket(AF_INET, 12, 0), EINVAL);		/* >= SOCK_MAX */
	assert_errno(ul_socket(AF_INET, SOCK_DGRAM | 0x100, 0), EINVAL);	/* bad flag */
	/* Nothing was left behind by the failures. */
	assert_int_equal(sock_inuse_get(), 0);
	assert_int_equal(get_nr_files(), 0);
	/* IPPROTO_IP and IPPROTO_UDP both give UDP. */
	{
		int a = ul_socket(AF_INET, SOCK_DGRAM, 0);
		int b = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		int v;
		socklen_t len = sizeof(v);

		assert_true(a >= 0 && b >= 0);
		assert_int_equal(ul_getsockopt(b, SOL_SOCKET, SO_PROTOCOL, &v, &len), 0);
		assert_int_equal(v, IPPROTO_UDP);
		assert_int_equal(ul_getsockopt(a, SOL_SOCKET, SO_PROTOCOL, &v, &len), 0);
		assert_int_equal(v, IPPROTO_UDP);
		assert_int_equal(ul_getsockopt(a, SOL_SOCKET, SO_DOMAIN, &v, &len), 0);
		assert_int_equal(v, AF_INET);
		assert_int_equal(ul_close(a), 0);
		assert_int_equal(ul_close(b), 0);
	}
}

static void test_ebadf_everywhere(void **state)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 1);
	socklen_t len = sizeof(sin);
	struct msghdr msg;
	char buf[4];
	int v = 0;

	memset(&msg, 0, sizeof(msg));
	assert_errno(ul_bind(99, (struct sockaddr *)&sin, sizeof(sin)), EBADF);
	assert_errno(ul_connect(-5, (struct sockaddr *)&sin, sizeof(sin)), EBADF);
	assert_errno(ul_getsockname(99, (struct sockaddr *)&sin, &len), EBADF);
	assert_errno(ul_getpeername(99, (struct sockaddr *)&sin, &len), EBADF);
	assert_errno(ul_sendto(99, "x", 1, 0, NULL, 0), EBADF);
	assert_errno(ul_send(99, "x", 1, 0), EBADF);
	assert_errno(ul_recvfrom(99, buf, 4, 0, NULL, NULL), EBADF);
	assert_errno(ul_recv(99, buf, 4, 0), EBADF);
	assert_errno(ul_sendmsg(99, &msg, 0), EBADF);
	assert_errno(ul_recvmsg(99, &msg, 0), EBADF);
	assert_errno(ul_read(99, buf, 4), EBADF);
	assert_errno(ul_write(99, buf, 4), EBADF);
	assert_errno(ul_shutdown(99, SHUT_RD), EBADF);
	assert_errno(ul_setsockopt(99, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)), EBADF);
	assert_errno(ul_getsockopt(99, SOL_SOCKET, SO_TYPE, &v, &len), EBADF);
	assert_errno(ul_fcntl(99, F_GETFL), EBADF);
	assert_errno(ul_ioctl(99, FIONREAD, &v), EBADF);
	assert_errno(ul_close(99), EBADF);
}

static void test_bind_errors(void **state)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 4000);
	struct sockaddr_in6 sin6;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	assert_errno(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin) - 1), EINVAL);
	/* Longer than a sockaddr_storage. */
	assert_errno(ul_bind(fd, (struct sockaddr *)&sin, 200), EINVAL);
	assert_errno(ul_bind(fd, NULL, sizeof(sin)), EFAULT);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	assert_errno(ul_bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)), EAFNOSUPPORT);
	/* AF_UNSPEC is accepted only with INADDR_ANY. */
	sin.sin_family = AF_UNSPEC;
	assert_errno(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), EAFNOSUPPORT);
	sin = sin_of("0.0.0.0", 4000);
	sin.sin_family = AF_UNSPEC;
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_close(fd), 0);
}

static void test_connect_and_names(void **state)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 4001), got;
	struct sockaddr_in6 sin6;
	socklen_t len;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	/* getsockname on a fresh socket: 0.0.0.0:0. */
	len = sizeof(got);
	memset(&got, 0xff, sizeof(got));
	assert_int_equal(ul_getsockname(fd, (struct sockaddr *)&got, &len), 0);
	assert_int_equal(len, sizeof(got));
	assert_int_equal(got.sin_family, AF_INET);
	assert_int_equal(got.sin_port, 0);
	assert_int_equal(got.sin_addr.s_addr, 0);
	/* A short buffer: cut, and the real length reported. */
	len = 4;
	memset(&got, 0xff, sizeof(got));
	assert_int_equal(ul_getsockname(fd, (struct sockaddr *)&got, &len), 0);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(got.sin_family, AF_INET);
	assert_int_equal(got.sin_port, 0);
	assert_int_equal(got.sin_addr.s_addr, 0xffffffff);	/* not written */
	assert_errno(ul_getsockname(fd, (struct sockaddr *)&got, NULL), EFAULT);
	len = (socklen_t)-1;	/* a negative int to the kernel */
	assert_errno(ul_getsockname(fd, (struct sockaddr *)&got, &len), EINVAL);
	len = sizeof(got);
	assert_errno(ul_getpeername(fd, (struct sockaddr *)&got, &len), ENOTCONN);

	assert_errno(ul_connect(fd, (struct sockaddr *)&sin, 1), EINVAL);
	assert_errno(ul_connect(fd, NULL, sizeof(sin)), EFAULT);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	assert_errno(ul_connect(fd, (struct sockaddr *)&sin6, sizeof(sin6)), EAFNOSUPPORT);
	/* Too short for a sockaddr_in: EINVAL from ip4_datagram_connect, after inet_dgram_connect
	 * already bound an ephemeral port (3.10 does the same). */
	assert_errno(ul_connect(fd, (struct sockaddr *)&sin, sizeof(sin) - 1), EINVAL);
	len = sizeof(got);
	assert_int_equal(ul_getsockname(fd, (struct sockaddr *)&got, &len), 0);
	assert_true(ntohs(got.sin_port) >= 32768 && ntohs(got.sin_port) <= 61000);
	len = sizeof(got);
	assert_errno(ul_getpeername(fd, (struct sockaddr *)&got, &len), ENOTCONN);
	assert_int_equal(ul_close(fd), 0);
}

static void test_send_errors(void **state)
{
	static char big[65536];
	struct sockaddr_in to = sin_of("127.0.0.1", 4002), zero = sin_of("127.0.0.1", 0);
	struct sockaddr_in6 to6;
	struct msghdr msg;
	struct iovec iov[2];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	assert_errno(ul_send(fd, "x", 1, 0), EDESTADDRREQ);
	assert_errno(ul_write(fd, "x", 1), EDESTADDRREQ);
	assert_errno(ul_sendto(fd, "x", 1, 0, (struct sockaddr *)&zero, sizeof(zero)), EINVAL);
	assert_errno(ul_sendto(fd, "x", 1, 0, (struct sockaddr *)&to, 8), EINVAL);
	memset(&to6, 0, sizeof(to6));
	to6.sin6_family = AF_INET6;
	assert_errno(ul_sendto(fd, "x", 1, 0, (struct sockaddr *)&to6, sizeof(to6)), EAFNOSUPPORT);
	assert_errno(ul_sendto(fd, NULL, 5, 0, (struct sockaddr *)&to, sizeof(to)), EFAULT);
	assert_errno(ul_sendto(fd, big, sizeof(big), 0, (struct sockaddr *)&to, sizeof(to)),
		     EMSGSIZE);
	assert_errno(ul_sendto(fd, "x", 1, MSG_OOB, (struct sockaddr *)&to, sizeof(to)),
		     EOPNOTSUPP);
	/* Corking is not implemented in ulnet (3.10 has it): refused, not faked. */
	assert_errno(ul_sendto(fd, "x", 1, MSG_MORE, (struct sockaddr *)&to, sizeof(to)),
		     EOPNOTSUPP);
	/* sendmsg: a NULL header, too many iovecs, a NULL iovec base with a length. */
	assert_errno(ul_sendmsg(fd, NULL, 0), EFAULT);
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	msg.msg_iov = iov;
	msg.msg_iovlen = 1025;
	assert_errno(ul_sendmsg(fd, &msg, 0), EMSGSIZE);
	iov[0].iov_base = NULL;
	iov[0].iov_len = 3;
	msg.msg_iovlen = 1;
	assert_errno(ul_sendmsg(fd, &msg, 0), EFAULT);
	/* Two iovecs gather into one datagram. */
	iov[0].iov_base = "ab";
	iov[0].iov_len = 2;
	iov[1].iov_base = "cde";
	iov[1].iov_len = 3;
	msg.msg_iovlen = 2;
	{
		int r = ul_socket(AF_INET, SOCK_DGRAM, 0);
		char buf[8];

		assert_int_equal(ul_bind(r, (struct sockaddr *)&to, sizeof(to)), 0);
		assert_int_equal(ul_sendmsg(fd, &msg, 0), 5);
		assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), 5);
		assert_memory_equal(buf, "abcde", 5);
		/* writev: the same, on a connected socket. */
		assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), 0);
		assert_int_equal(ul_writev(fd, iov, 2), 5);
		assert_int_equal(ul_read(r, buf, sizeof(buf)), 5);
		assert_errno(ul_writev(fd, iov, -1), EINVAL);
		assert_int_equal(ul_close(r), 0);
	}
	assert_int_equal(ul_close(fd), 0);
}

static void test_recv_errors(void **state)
{
	struct sockaddr_in from;
	struct msghdr msg;
	struct iovec iov[2];
	char a[3], b[8];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0), s, flags;

	assert_errno(ul_recv(fd, a, sizeof(a), MSG_DONTWAIT), EAGAIN);
	assert_errno(ul_recv(fd, NULL, 5, MSG_DONTWAIT), EFAULT);
	assert_errno(ul_recvfrom(fd, a, sizeof(a), MSG_DONTWAIT, (struct sockaddr *)&from, NULL),
		     EFAULT);
	assert_errno(ul_recvmsg(fd, NULL, 0), EFAULT);
	/* O_NONBLOCK on the file: EAGAIN without MSG_DONTWAIT. */
	flags = ul_fcntl(fd, F_GETFL);
	assert_int_equal(ul_fcntl(fd, F_SETFL, flags | O_NONBLOCK), 0);
	assert_errno(ul_recv(fd, a, sizeof(a), 0), EAGAIN);
	assert_errno(ul_read(fd, a, sizeof(a)), EAGAIN);
	/* MSG_ERRQUEUE: nothing queued. */
	assert_errno(ul_recv(fd, a, sizeof(a), MSG_ERRQUEUE), EAGAIN);

	/* recvmsg scatters one datagram over two iovecs. */
	{
		struct sockaddr_in me = sin_of("127.0.0.1", 4003);

		assert_int_equal(ul_bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
		s = ul_socket(AF_INET, SOCK_DGRAM, 0);
		assert_int_equal(ul_sendto(s, "0123456789", 10, 0, (struct sockaddr *)&me,
					   sizeof(me)), 10);
		memset(&msg, 0, sizeof(msg));
		iov[0].iov_base = a;
		iov[0].iov_len = sizeof(a);
		iov[1].iov_base = b;
		iov[1].iov_len = sizeof(b);
		msg.msg_iov = iov;
		msg.msg_iovlen = 2;
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		assert_int_equal(ul_recvmsg(fd, &msg, 0), 10);
		assert_memory_equal(a, "012", 3);
		assert_memory_equal(b, "3456789", 7);
		assert_int_equal(msg.msg_flags, 0);
		assert_int_equal(msg.msg_namelen, sizeof(from));
		assert_int_equal(ul_close(s), 0);
	}
	assert_int_equal(ul_close(fd), 0);
}

static void test_shutdown(void **state)
{
	struct sockaddr_in me = sin_of("127.0.0.1", 4004);
	char buf[4];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	assert_errno(ul_shutdown(fd, 3), EINVAL);
	assert_errno(ul_shutdown(fd, -1), EINVAL);
	/* Unconnected: ENOTCONN, but the shutdown still happens (3.10 inet_shutdown). */
	assert_errno(ul_shutdown(fd, SHUT_RD), ENOTCONN);
	/* A blocking read of a socket shut for reading returns 0 at once. */
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), 0), 0);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(ul_shutdown(fd, SHUT_WR), 0);
	assert_errno(ul_send(fd, "x", 1, 0), EPIPE);
	assert_int_equal(ul_close(fd), 0);
}

static void test_sockopt_errors(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0), v = 1;
	socklen_t len = sizeof(v);
	char c = 1;

	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &c, 1), EINVAL);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, NULL, sizeof(int)), EFAULT);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_ERROR, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_setsockopt(fd, SOL_IP, 9999, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_setsockopt(fd, SOL_UDP, 9999, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_setsockopt(fd, SOL_UDP, 1 /* UDP_CORK */, &v, sizeof(v)), EOPNOTSUPP);
	assert_errno(ul_setsockopt(fd, 6 /* SOL_TCP */, 1, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, NULL), EFAULT);
	assert_errno(ul_getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	len = (socklen_t)-1;
	assert_errno(ul_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	{
		struct timeval tv = { .tv_sec = 1, .tv_usec = 1000000 };

		assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
		assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL);
	}
	assert_int_equal(ul_close(fd), 0);
}

static int getint(int fd, int level, int opt)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	assert_int_equal(ul_getsockopt(fd, level, opt, &v, &len), 0);
	assert_int_equal(len, sizeof(v));
	return v;
}

static void setint(int fd, int level, int opt, int v)
{
	assert_int_equal(ul_setsockopt(fd, level, opt, &v, sizeof(v)), 0);
}

/* SO_RCVBUF/SO_SNDBUF: defaults net.core.[rw]mem_default (212992); a set value is doubled
 * (socket(7)), capped at [rw]mem_max and floored at SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF. */
static void test_sol_socket(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	struct timeval tv;
	socklen_t len;

	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVBUF), 212992);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_SNDBUF), 212992);
	setint(fd, SOL_SOCKET, SO_RCVBUF, 10000);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVBUF), 20000);
	setint(fd, SOL_SOCKET, SO_RCVBUF, 1);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVBUF), SOCK_MIN_RCVBUF);
	setint(fd, SOL_SOCKET, SO_RCVBUF, 1 << 30);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVBUF), 2 * 212992);
	setint(fd, SOL_SOCKET, SO_SNDBUF, 1);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_SNDBUF), 2048);
	setint(fd, SOL_SOCKET, SO_SNDBUF, 5000);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_SNDBUF), 10000);
	/* The rest of the SOL_SOCKET basics. */
	assert_int_equal(getint(fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_ERROR), 0);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_REUSEADDR), 0);
	setint(fd, SOL_SOCKET, SO_REUSEADDR, 5);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_REUSEADDR), 1);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_BROADCAST), 0);
	setint(fd, SOL_SOCKET, SO_BROADCAST, 1);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_BROADCAST), 1);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVLOWAT), 1);
	setint(fd, SOL_SOCKET, SO_RCVLOWAT, 0);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVLOWAT), 1);
	setint(fd, SOL_SOCKET, SO_RCVLOWAT, 100);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_RCVLOWAT), 100);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_ACCEPTCONN), 0);
	/* SO_RCVTIMEO/SO_SNDTIMEO round trip in jiffies (HZ=1000): 1.5 s. */
	len = sizeof(tv);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 0);
	tv.tv_sec = 1;
	tv.tv_usec = 500000;
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &len), 0);
	assert_int_equal(len, sizeof(tv));
	assert_int_equal(tv.tv_sec, 1);
	assert_int_equal(tv.tv_usec, 500000);
	/* A short optlen is cut, not refused. */
	{
		char c = 9;

		len = 1;
		assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_TYPE, &c, &len), 0);
		assert_int_equal(len, 1);
		assert_int_equal(c, SOCK_DGRAM);
	}
	assert_int_equal(ul_close(fd), 0);
}

static void test_sol_ip(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0), v;
	unsigned char c;
	socklen_t len;

	/* IP_TTL: net.ipv4.ip_default_ttl (64) until set; 1..255 or -1 (back to default). */
	assert_int_equal(getint(fd, SOL_IP, IP_TTL), 64);
	setint(fd, SOL_IP, IP_TTL, 10);
	assert_int_equal(getint(fd, SOL_IP, IP_TTL), 10);
	v = 0;
	assert_errno(ul_setsockopt(fd, SOL_IP, IP_TTL, &v, sizeof(v)), EINVAL);
	v = 256;
	assert_errno(ul_setsockopt(fd, SOL_IP, IP_TTL, &v, sizeof(v)), EINVAL);
	setint(fd, SOL_IP, IP_TTL, -1);
	assert_int_equal(getint(fd, SOL_IP, IP_TTL), 64);
	/* A one-byte value is accepted, and a one-byte read gives one byte. */
	c = 33;
	assert_int_equal(ul_setsockopt(fd, SOL_IP, IP_TTL, &c, 1), 0);
	c = 0;
	len = 1;
	assert_int_equal(ul_getsockopt(fd, SOL_IP, IP_TTL, &c, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(c, 33);
	/* IP_TOS sets the TOS byte and the socket priority (TC_PRIO_* of the TOS). */
	assert_int_equal(getint(fd, SOL_IP, IP_TOS), 0);
	setint(fd, SOL_IP, IP_TOS, 0x10);	/* IPTOS_LOWDELAY */
	assert_int_equal(getint(fd, SOL_IP, IP_TOS), 0x10);
	assert_int_equal(getint(fd, SOL_SOCKET, SO_PRIORITY), 6);	/* TC_PRIO_INTERACTIVE */
	setint(fd, SOL_IP, IP_TOS, 0x08);	/* IPTOS_THROUGHPUT */
	assert_int_equal(getint(fd, SOL_SOCKET, SO_PRIORITY), 2);	/* TC_PRIO_BULK */
	/* IP_MTU_DISCOVER: IP_PMTUDISC_WANT by default; 0..3. */
	assert_int_equal(getint(fd, SOL_IP, IP_MTU_DISCOVER), IP_PMTUDISC_WANT);
	v = 4;
	assert_errno(ul_setsockopt(fd, SOL_IP, IP_MTU_DISCOVER, &v, sizeof(v)), EINVAL);
	/* IP_MTU needs a route: ENOTCONN before connect; after, the route's MTU: lo's 65536
	 * capped at IP_MAX_MTU (0xFFF0), as ipv4_mtu does. */
	len = sizeof(v);
	assert_errno(ul_getsockopt(fd, SOL_IP, IP_MTU, &v, &len), ENOTCONN);
	{
		struct sockaddr_in to;

		memset(&to, 0, sizeof(to));
		to.sin_family = AF_INET;
		to.sin_port = htons(9);
		to.sin_addr.s_addr = htonl(0x7f000001);
		assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), 0);
		assert_int_equal(getint(fd, SOL_IP, IP_MTU), 65520);
	}
	assert_int_equal(ul_close(fd), 0);
}

/* IP_PKTINFO, IP_RECVTTL, IP_RECVTOS: control messages of recvmsg. */
static void test_cmsg_recv(void **state)
{
	struct sockaddr_in me = sin_of("127.0.0.1", 4005);
	union {
		char buf[256];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	char data[8];
	int r = ul_socket(AF_INET, SOCK_DGRAM, 0), s = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int seen = 0, guard = 0;

	assert_int_equal(ul_bind(r, (struct sockaddr *)&me, sizeof(me)), 0);
	setint(r, SOL_IP, IP_PKTINFO, 1);
	setint(r, SOL_IP, IP_RECVTTL, 1);
	setint(s, SOL_IP, IP_TTL, 7);
	assert_int_equal(ul_sendto(s, "hi", 2, 0, (struct sockaddr *)&me, sizeof(me)), 2);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = data;
	iov.iov_len = sizeof(data);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	assert_int_equal(ul_recvmsg(r, &msg, MSG_DONTWAIT), 2);
	for (cm = CMSG_FIRSTHDR(&msg); cm && guard < 8; cm = CMSG_NXTHDR(&msg, cm), guard++) {
		assert_int_equal(cm->cmsg_level, SOL_IP);
		if (cm->cmsg_type == IP_TTL) {
			int ttl;

			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
			assert_int_equal(ttl, 7);
			seen |= 1;
		} else if (cm->cmsg_type == 8 /* IP_PKTINFO */) {
			struct {
				int ifindex;
				struct in_addr spec_dst, addr;
			} pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			assert_int_equal(pi.ifindex, 1);	/* lo */
			assert_int_equal(ntohl(pi.addr.s_addr), 0x7f000001);
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	assert_int_equal(msg.msg_controllen,
			 CMSG_SPACE(sizeof(int)) + CMSG_SPACE(3 * sizeof(int)));
	assert_int_equal(ul_close(r), 0);
	assert_int_equal(ul_close(s), 0);
}

static void test_ioctl(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0), n = -1;

	assert_int_equal(ul_ioctl(fd, FIONREAD, &n), 0);
	assert_int_equal(n, 0);
	n = -1;
	assert_int_equal(ul_ioctl(fd, TIOCOUTQ, &n), 0);	/* SIOCOUTQ */
	assert_int_equal(n, 0);
	assert_errno(ul_ioctl(fd, FIONREAD, NULL), EFAULT);
	assert_errno(ul_ioctl(fd, 0x1234, &n), ENOTTY);
	assert_int_equal(ul_close(fd), 0);
}

/* proto_register makes the protocol's caches ("TCP", "request_sock_TCP", "tw_sock_TCP" in
 * 3.10); socks come from the first, and the namespace's inuse count is per protocol. */
static struct request_sock_ops tst_rsk = { .family = AF_INET, .obj_size = 100 };
static struct timewait_sock_ops tst_twsk = { .twsk_obj_size = 150 };
static struct proto tst_prot = {
	.name = "TST",
	.obj_size = 700,
	.rsk_prot = &tst_rsk,
	.twsk_prot = &tst_twsk,
};

static void test_proto_register(void **state)
{
	struct kmem_cache_stats st;
	struct sock *sk;

	assert_int_equal(proto_register(&tst_prot, 1), 0);
	assert_int_equal(kmem_cache_stats_by_name("TST", &st), 0);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(kmem_cache_stats_by_name("request_sock_TST", &st), 0);
	assert_int_equal(kmem_cache_stats_by_name("tw_sock_TST", &st), 0);
	assert_true(kmem_cache_size(tst_prot.slab) >= 700);
	assert_true(kmem_cache_size(tst_rsk.slab) >= 100);
	assert_true(kmem_cache_size(tst_twsk.twsk_slab) >= 150);

	sk = sk_alloc(tnet, PF_INET, GFP_KERNEL, &tst_prot);
	assert_non_null(sk);
	assert_int_equal(kmem_cache_stats_by_name("TST", &st), 0);
	assert_int_equal(st.active_objs, 1);
	assert_ptr_equal(sock_net(sk), tnet);
	sock_init_data(NULL, sk);
	assert_int_equal(atomic_read(&sk->sk_refcnt), 1);
	assert_int_equal(sk->sk_rcvbuf, 212992);
	assert_ptr_equal(sk->sk_data_ready, sock_def_readable);
	assert_int_equal(sock_prot_inuse_get(tnet, &tst_prot), 0);
	sock_prot_inuse_add(tnet, &tst_prot, 1);
	assert_int_equal(sock_prot_inuse_get(tnet, &tst_prot), 1);
	assert_int_equal(sock_prot_inuse_get(&init_net, &tst_prot), 0);
	sock_prot_inuse_add(tnet, &tst_prot, -1);
	sock_put(sk);
	assert_int_equal(kmem_cache_stats_by_name("TST", &st), 0);
	assert_int_equal(st.active_objs, 0);

	proto_unregister(&tst_prot);
	assert_int_not_equal(kmem_cache_stats_by_name("TST", &st), 0);
	assert_int_not_equal(kmem_cache_stats_by_name("request_sock_TST", &st), 0);
	assert_int_not_equal(kmem_cache_stats_by_name("tw_sock_TST", &st), 0);
	assert_null(tst_rsk.slab_name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ebadf_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recv_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockopt_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sol_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sol_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmsg_recv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ioctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_register, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
