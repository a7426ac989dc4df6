/* SPDX-License-Identifier: MIT */
/* AF_UNIX: socketpair stream and datagram byte-exact, bind/listen/connect/accept with path
 * and abstract names and autobind, getsockname/getpeername, the listener backlog, EOF,
 * EPIPE and ECONNRESET, every errno of the calls, FIONREAD/SIOCOUTQ, the "UNIX" slab cache,
 * /proc/net/unix, namespaces, and a 1 MiB transfer between two tasks with blocking on the
 * send buffer.
 * Mirrors the behaviour of linux/net/unix/af_unix.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/un.h>
#include "harness.h"
#include "unix_testutil.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static unsigned long unix_objs(void)
{
	struct kmem_cache_stats st;

	assert_int_equal(kmem_cache_stats_by_name("UNIX", &st), 0);
	return st.active_objs;
}

/* ------------------------------------------------------------------------------------------
 * socketpair. */

static void test_socketpair_stream(void **state)
{
	int sv[2], n;
	char buf[64];
	struct iovec iov[3];
	unsigned long objs0 = unix_objs();

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(unix_objs() - objs0, 2);
	assert_int_equal(ul_write(sv[0], "hello, ", 7), 7);
	assert_int_equal(ul_write(sv[0], "world", 5), 5);
	/* A stream has no boundaries: both writes come out in one read. */
	assert_int_equal(ul_ioctl(sv[1], SIOCINQ, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(ul_ioctl(sv[0], SIOCOUTQ, &n), 0);
	assert_true(n > 12);		/* truesize of the two skbs, charged to the sender */
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), MSG_PEEK), 7);
	assert_int_equal(ul_read(sv[1], buf, 3), 3);
	assert_memory_equal(buf, "hel", 3);
	assert_int_equal(ul_read(sv[1], buf, sizeof(buf)), 9);
	assert_memory_equal(buf, "lo, world", 9);
	assert_int_equal(ul_ioctl(sv[0], SIOCOUTQ, &n), 0);
	assert_int_equal(n, 0);
	assert_errno(ul_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

	/* writev/readv, the other way. */
	iov[0] = (struct iovec){ .iov_base = "ab", .iov_len = 2 };
	iov[1] = (struct iovec){ .iov_base = "", .iov_len = 0 };
	iov[2] = (struct iovec){ .iov_base = "cdef", .iov_len = 4 };
	assert_int_equal(ul_writev(sv[1], iov, 3), 6);
	iov[0] = (struct iovec){ .iov_base = buf, .iov_len = 1 };
	iov[1] = (struct iovec){ .iov_base = buf + 10, .iov_len = 5 };
	assert_int_equal(ul_readv(sv[0], iov, 2), 6);
	assert_memory_equal(buf, "a", 1);
	assert_memory_equal(buf + 10, "bcdef", 5);

	/* SO_RCVLOWAT: a blocking read waits for that much (here it is there). */
	n = 4;
	assert_int_equal(ul_setsockopt(sv[1], SOL_SOCKET, SO_RCVLOWAT, &n, sizeof(n)), 0);
	assert_int_equal(ul_write(sv[0], "12", 2), 2);
	assert_int_equal(ul_write(sv[0], "34", 2), 2);
	assert_int_equal(ul_read(sv[1], buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "1234", 4);

	/* Close one end: the other reads EOF, and writing gets EPIPE. */
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_read(sv[1], buf, sizeof(buf)), 0);
	assert_errno(ul_write(sv[1], "x", 1), EPIPE);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(unix_objs(), objs0);
}

static void test_socketpair_dgram(void **state)
{
	int sv[2], n;
	char buf[64];
	struct msghdr msg = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = 4 };

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ul_fcntl(sv[0], F_GETFD), FD_CLOEXEC);
	assert_int_equal(ul_send(sv[0], "first", 5, 0), 5);
	assert_int_equal(ul_send(sv[0], "second!", 7, 0), 7);
	assert_int_equal(ul_send(sv[0], "", 0, 0), 0);
	/* Boundaries kept; FIONREAD is the next datagram's size. */
	assert_int_equal(ul_ioctl(sv[1], SIOCINQ, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "first", 5);
	/* Truncated: MSG_TRUNC in msg_flags, and with the MSG_TRUNC flag the real length. */
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	assert_int_equal(ul_recvmsg(sv[1], &msg, MSG_PEEK), 4);
	assert_true(msg.msg_flags & MSG_TRUNC);
	assert_int_equal(ul_recv(sv[1], buf, 4, MSG_TRUNC), 7);
	assert_memory_equal(buf, "seco", 4);
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), 0), 0);	/* the empty one */
	assert_errno(ul_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* A datagram larger than the send buffer: EMSGSIZE. */
	{
		size_t big = 300000;
		char *p = calloc(1, big);

		assert_non_null(p);
		assert_errno(ul_send(sv[0], p, big, 0), EMSGSIZE);
		free(p);
	}
	/* Peer closed: sending to it is refused. */
	assert_int_equal(ul_close(sv[1]), 0);
	assert_errno(ul_send(sv[0], "x", 1, 0), ECONNREFUSED);
	assert_errno(ul_send(sv[0], "x", 1, 0), ENOTCONN);
	assert_int_equal(ul_close(sv[0]), 0);
}

static void test_socketpair_errnos(void **state)
{
	int sv[2];

	assert_errno(ul_socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);	/* TCP */
	assert_errno(ul_socketpair(AF_INET, SOCK_DGRAM, 0, sv), EOPNOTSUPP);
	assert_errno(ul_socketpair(AF_UNIX, SOCK_STREAM | 0x1000, 0, sv), EINVAL);
	assert_errno(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, NULL), EFAULT);
	/* SOCK_SEQPACKET exists (tests/unit/test_unix_seqpacket.c); SOCK_RDM does not. */
	assert_errno(ul_socketpair(AF_UNIX, SOCK_RDM, 0, sv), ESOCKTNOSUPPORT);
	assert_errno(ul_socketpair(AF_UNIX, SOCK_STREAM, 7, sv), EPROTONOSUPPORT);
	assert_errno(ul_socket(AF_UNIX, 9, 0), ESOCKTNOSUPPORT);
	/* SOCK_RAW is a datagram socket for AF_UNIX (BSD compatibility). */
	sv[0] = ul_socket(AF_UNIX, SOCK_RAW, 0);
	assert_true(sv[0] >= 0);
	{
		int type;
		socklen_t len = sizeof(type);

		assert_int_equal(ul_getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len), 0);
		assert_int_equal(type, SOCK_DGRAM);
	}
	assert_int_equal(ul_close(sv[0]), 0);
}

/* ------------------------------------------------------------------------------------------
 * Names and connections. */

static void test_bind_connect_accept_path(void **state)
{
	struct sockaddr_un sun, got;
	socklen_t len = sun_path(&sun, "/tmp/srv.sock"), glen;
	int l = ul_socket(AF_UNIX, SOCK_STREAM, 0), c = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	int l2 = ul_socket(AF_UNIX, SOCK_STREAM, 0), a;
	char buf[16];

	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_errno(ul_bind(l, (struct sockaddr *)&sun, len), EINVAL);	/* bound */
	assert_errno(ul_bind(l2, (struct sockaddr *)&sun, len), EADDRINUSE);
	/* Not listening yet. */
	assert_errno(ul_connect(c, (struct sockaddr *)&sun, len), ECONNREFUSED);
	assert_errno(ul_accept(l, NULL, NULL), EINVAL);
	assert_int_equal(ul_listen(l, 5), 0);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&sun, len), 0);
	assert_errno(ul_connect(c, (struct sockaddr *)&sun, len), EISCONN);

	memset(&got, 0xff, sizeof(got));
	glen = sizeof(got);
	a = ul_accept4(l, (struct sockaddr *)&got, &glen, SOCK_CLOEXEC);
	assert_true(a >= 0);
	/* The client is unbound: its address is the family alone. */
	assert_int_equal(glen, sizeof(short));
	assert_int_equal(got.sun_family, AF_UNIX);
	assert_int_equal(ul_fcntl(a, F_GETFD), FD_CLOEXEC);

	/* Names: the accepted socket carries the listener's; the client's peer is it. */
	glen = sizeof(got);
	assert_int_equal(ul_getsockname(a, (struct sockaddr *)&got, &glen), 0);
	assert_int_equal(glen, len);
	assert_string_equal(got.sun_path, "/tmp/srv.sock");
	glen = sizeof(got);
	assert_int_equal(ul_getpeername(c, (struct sockaddr *)&got, &glen), 0);
	assert_int_equal(glen, len);
	assert_string_equal(got.sun_path, "/tmp/srv.sock");
	glen = sizeof(got);
	assert_errno(ul_getpeername(l, (struct sockaddr *)&got, &glen), ENOTCONN);

	/* Both ways, byte-exact. */
	assert_int_equal(ul_send(c, "request", 7, 0), 7);
	assert_int_equal(ul_recv(a, buf, sizeof(buf), 0), 7);
	assert_memory_equal(buf, "request", 7);
	assert_int_equal(ul_send(a, "reply", 5, 0), 5);
	assert_int_equal(ul_recv(c, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "reply", 5);

	/* shutdown(SHUT_WR) on one side: the other reads EOF but can still send. */
	assert_errno(ul_shutdown(c, 7), EINVAL);
	assert_int_equal(ul_shutdown(c, SHUT_WR), 0);
	assert_int_equal(ul_recv(a, buf, sizeof(buf), 0), 0);
	assert_errno(ul_send(c, "x", 1, 0), EPIPE);
	assert_int_equal(ul_send(a, "late", 4, 0), 4);
	assert_int_equal(ul_recv(c, buf, sizeof(buf), 0), 4);

	/* Closing with unread data resets the peer. */
	assert_int_equal(ul_send(c, "", 0, 0), -1);
	assert_int_equal(ul_send(a, "unread", 6, 0), 6);
	assert_int_equal(ul_close(c), 0);
	assert_errno(ul_recv(a, buf, sizeof(buf), 0), ECONNRESET);
	assert_int_equal(ul_recv(a, buf, sizeof(buf), 0), 0);

	assert_int_equal(ul_close(a), 0);
	assert_int_equal(ul_close(l), 0);
	/* The name went with the socket (DIVERGES: no socket file left behind). */
	assert_int_equal(ul_bind(l2, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_close(l2), 0);
}

static void test_abstract_and_autobind(void **state)
{
	struct sockaddr_un sun, got;
	socklen_t len = sun_abstract(&sun, "ulnet-abs"), glen;
	int l = ul_socket(AF_UNIX, SOCK_STREAM, 0), c = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	int d = ul_socket(AF_UNIX, SOCK_DGRAM, 0), d2 = ul_socket(AF_UNIX, SOCK_DGRAM, 0), a;
	char buf[32];

	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	/* The same abstract name for another type is another name (3.10 hash ^ type). */
	assert_int_equal(ul_bind(d, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 1), 0);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&sun, len), 0);
	a = ul_accept(l, NULL, NULL);
	assert_true(a >= 0);
	glen = sizeof(got);
	assert_int_equal(ul_getsockname(l, (struct sockaddr *)&got, &glen), 0);
	assert_int_equal(glen, len);
	assert_memory_equal(&got, &sun, len);
	/* Abstract names: every byte counts, there is no terminator. */
	len = sun_abstract(&sun, "ulnet-ab");
	assert_errno(ul_connect(ul_socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&sun, len),
		     ECONNREFUSED);

	/* Autobind: bind with the family only picks "\0" + 5 hex digits. */
	glen = sizeof(short);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_int_equal(ul_bind(d2, (struct sockaddr *)&sun, sizeof(short)), 0);
	glen = sizeof(got);
	assert_int_equal(ul_getsockname(d2, (struct sockaddr *)&got, &glen), 0);
	assert_int_equal(glen, sizeof(short) + 1 + 5);
	assert_int_equal(got.sun_path[0], 0);
	assert_memory_equal(got.sun_path + 1, "00000", 5);

	/* Datagrams to a name, with the sender's address. */
	len = sun_abstract(&sun, "ulnet-abs");
	assert_int_equal(ul_sendto(d2, "dg", 2, 0, (struct sockaddr *)&sun, len), 2);
	glen = sizeof(got);
	assert_int_equal(ul_recvfrom(d, buf, sizeof(buf), 0, (struct sockaddr *)&got, &glen), 2);
	assert_int_equal(glen, sizeof(short) + 1 + 5);
	assert_memory_equal(got.sun_path + 1, "00000", 5);
	assert_int_equal(ul_sendto(d, "back", 4, 0, (struct sockaddr *)&got, glen), 4);
	assert_int_equal(ul_recv(d2, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "back", 4);
	/* A dgram socket connected elsewhere refuses strangers: EPERM. */
	assert_int_equal(ul_connect(d, (struct sockaddr *)&got, glen), 0);
	{
		int d3 = ul_socket(AF_UNIX, SOCK_DGRAM, 0);

		assert_errno(ul_sendto(d3, "no", 2, 0, (struct sockaddr *)&sun, len), EPERM);
		assert_int_equal(ul_close(d3), 0);
	}
	assert_int_equal(ul_close(a), 0);
	assert_int_equal(ul_close(c), 0);
	assert_int_equal(ul_close(l), 0);
	assert_int_equal(ul_close(d), 0);
	assert_int_equal(ul_close(d2), 0);
}

static void test_errnos(void **state)
{
	struct sockaddr_un sun;
	socklen_t len;
	int s = ul_socket(AF_UNIX, SOCK_STREAM, 0), d = ul_socket(AF_UNIX, SOCK_DGRAM, 0);
	int l = ul_socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	char buf[8];

	/* bind: wrong family, too short, too long. */
	len = sun_path(&sun, "/x");
	sun.sun_family = AF_INET;
	assert_errno(ul_bind(s, (struct sockaddr *)&sun, len), EINVAL);
	sun.sun_family = AF_UNIX;
	assert_errno(ul_bind(s, (struct sockaddr *)&sun, 1), EINVAL);
	{
		struct sockaddr_storage big;

		memset(&big, 0, sizeof(big));
		memcpy(&big, &sun, sizeof(sun));
		assert_errno(ul_bind(s, (struct sockaddr *)&big, sizeof(sun) + 1), EINVAL);
	}
	/* connect: no such path, wrong type behind the path, no such abstract name. */
	assert_errno(ul_connect(s, (struct sockaddr *)&sun, len), ENOENT);
	assert_int_equal(ul_bind(d, (struct sockaddr *)&sun, len), 0);
	assert_errno(ul_connect(s, (struct sockaddr *)&sun, len), EPROTOTYPE);
	/* listen: datagram, unbound. */
	assert_errno(ul_listen(d, 1), EOPNOTSUPP);
	assert_errno(ul_listen(s, 1), EINVAL);
	/* unconnected stream: send ENOTCONN, recv EINVAL; accept on it EINVAL. */
	assert_errno(ul_send(s, "x", 1, 0), ENOTCONN);
	assert_errno(ul_recv(s, buf, sizeof(buf), 0), EINVAL);
	assert_errno(ul_accept(s, NULL, NULL), EINVAL);
	assert_errno(ul_accept(d, NULL, NULL), EOPNOTSUPP);
	assert_errno(ul_accept4(s, NULL, NULL, 0x4000), EINVAL);
	/* SO_SNDLOWAT cannot be set in 3.10 (ENOPROTOOPT) and reads as 1. */
	{
		int v = 100;
		socklen_t vl = sizeof(v);

		assert_errno(ul_setsockopt(s, SOL_SOCKET, SO_SNDLOWAT, &v, sizeof(v)), ENOPROTOOPT);
		assert_int_equal(ul_getsockopt(s, SOL_SOCKET, SO_SNDLOWAT, &v, &vl), 0);
		assert_int_equal(v, 1);
	}
	/* Out of band is a TCP thing. */
	assert_errno(ul_send(d, "x", 1, MSG_OOB), EOPNOTSUPP);
	/* Unconnected datagram without an address. */
	assert_errno(ul_send(d, "x", 1, 0), ENOTCONN);
	/* accept on an empty non-blocking listener. */
	len = sun_path(&sun, "/l");
	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 0), 0);
	assert_errno(ul_accept(l, NULL, NULL), EAGAIN);
	assert_errno(ul_ioctl(l, SIOCINQ, buf), EINVAL);
	assert_errno(ul_ioctl(s, 0x89ff, buf), ENOTTY);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(d), 0);
	assert_int_equal(ul_close(l), 0);
}

/* The listener's backlog is its receive queue: connections beyond backlog + 1 wait (or
 * fail with EAGAIN when non-blocking); closing the listener resets the pending ones. */
static void test_backlog_and_listener_close(void **state)
{
	struct sockaddr_un sun;
	socklen_t len = sun_path(&sun, "/bl");
	int l = ul_socket(AF_UNIX, SOCK_STREAM, 0), c[3], i;
	char buf[4];

	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 1), 0);
	for (i = 0; i < 3; i++)
		c[i] = ul_socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	/* unix_recvq_full: queue length > backlog. Two fit, the third finds it full. */
	assert_int_equal(ul_connect(c[0], (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_connect(c[1], (struct sockaddr *)&sun, len), 0);
	assert_errno(ul_connect(c[2], (struct sockaddr *)&sun, len), EAGAIN);
	/* Data sent before accept waits in the embryo. */
	assert_int_equal(ul_send(c[0], "hi", 2, 0), 2);
	assert_int_equal(ul_close(l), 0);
	/* The listener went with two unaccepted connections: both are reset. */
	assert_errno(ul_recv(c[0], buf, sizeof(buf), 0), ECONNRESET);
	assert_errno(ul_recv(c[1], buf, sizeof(buf), 0), ECONNRESET);
	assert_errno(ul_send(c[1], "x", 1, 0), EPIPE);
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(c[i]), 0);
}

/* ------------------------------------------------------------------------------------------
 * /proc/net/unix and namespaces. */

static void test_proc_net_unix(void **state)
{
	struct sockaddr_un sun;
	socklen_t len;
	int l = ul_socket(AF_UNIX, SOCK_STREAM, 0), d = ul_socket(AF_UNIX, SOCK_DGRAM, 0);
	int err;
	char *txt, want[256];
	unsigned long ino_l, ino_d;

	len = sun_path(&sun, "/run/x.sock");
	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 5), 0);
	len = sun_abstract(&sun, "abs");
	assert_int_equal(ul_bind(d, (struct sockaddr *)&sun, len), 0);

	txt = ul_proc_read(NULL, "/proc/net/unix", &err);
	assert_non_null(txt);
	assert_true(!strncmp(txt, "Num       RefCount Protocol Flags    Type St Inode Path\n", 56));
	/* Inode numbers: find them by format. */
	{
		const char *p = strstr(txt, " /run/x.sock\n");

		assert_non_null(p);
		while (p > txt && p[-1] != '\n')
			p--;
		assert_int_equal(sscanf(p, "0000000000000000: 00000002 00000000 00010000 0001 01 %lu",
					&ino_l),
				 1);
		snprintf(want, sizeof(want),
			 "0000000000000000: 00000002 00000000 00010000 0001 01 %5lu /run/x.sock\n",
			 ino_l);
		assert_non_null(strstr(txt, want));
	}
	{
		const char *p = strstr(txt, " @abs\n");

		assert_non_null(p);
		while (p > txt && p[-1] != '\n')
			p--;
		assert_int_equal(sscanf(p, "0000000000000000: 00000002 00000000 00000000 0002 01 %lu",
					&ino_d),
				 1);
	}
	assert_true(ino_l != ino_d);
	free(txt);

	/* Another namespace sees none of them, and its names are its own. */
	assert_int_equal(ul_netns_add("other"), 0);
	txt = ul_proc_read("other", "/proc/net/unix", &err);
	assert_non_null(txt);
	assert_string_equal(txt, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	free(txt);
	{
		struct net *saved = current->net;
		int o;

		current->net = ul_net_by_name("other");
		o = ul_socket(AF_UNIX, SOCK_STREAM, 0);
		len = sun_path(&sun, "/run/x.sock");
		assert_errno(ul_connect(o, (struct sockaddr *)&sun, len), ENOENT);
		assert_int_equal(ul_bind(o, (struct sockaddr *)&sun, len), 0);
		assert_int_equal(ul_close(o), 0);
		current->net = saved;
	}
	assert_int_equal(ul_netns_del("other"), 0);
	assert_int_equal(ul_close(l), 0);
	assert_int_equal(ul_close(d), 0);
}

/* ------------------------------------------------------------------------------------------
 * Two tasks, 1 MiB through a stream pair: the writer blocks on its send buffer. */

#define BIG (1 << 20)

struct xfer {
	unsigned long sum_out, sum_in;
	size_t got;
	unsigned long writer_nvcsw;
	int listening;
	int bad;
};

static unsigned char pattern(size_t i)
{
	return (unsigned char)((i * 131u + (i >> 8)) & 0xff);
}

/* Tasks have their own fd tables: they meet through a name. */
static int writer(void *arg)
{
	struct xfer *x = arg;
	struct sockaddr_un sun;
	socklen_t len = sun_path(&sun, "/big");
	unsigned char *p = malloc(BIG);
	struct ul_task_stats st0, st1;
	size_t i, off = 0;
	int l, fd, guard = 0;

	if (!p)
		return 1;
	for (i = 0; i < BIG; i++) {
		p[i] = pattern(i);
		x->sum_out += p[i];
	}
	l = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	if (ul_bind(l, (struct sockaddr *)&sun, len) || ul_listen(l, 1))
		return 2;
	x->listening = 1;
	fd = ul_accept(l, NULL, NULL);
	if (fd < 0)
		return 3;
	ul_task_stats(NULL, &st0);
	while (off < BIG && ++guard < 100000) {
		ssize_t n = ul_write(fd, p + off, BIG - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	ul_task_stats(NULL, &st1);
	x->writer_nvcsw = st1.nvcsw - st0.nvcsw;
	free(p);
	ul_close(fd);
	ul_close(l);
	return off == BIG ? 0 : 4;
}

static int reader(void *arg)
{
	struct xfer *x = arg;
	struct sockaddr_un sun;
	socklen_t len = sun_path(&sun, "/big");
	unsigned char buf[5000];
	int fd, guard = 0;

	while (!x->listening && ++guard < 1000)
		ul_sleep(MS);
	fd = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	if (ul_connect(fd, (struct sockaddr *)&sun, len))
		return 1;
	for (guard = 0;;) {
		ssize_t n = ul_read(fd, buf, sizeof(buf));
		ssize_t i;

		if (n <= 0 || ++guard > 1000000)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != pattern(x->got + (size_t)i))
				x->bad++;
			x->sum_in += buf[i];
		}
		x->got += (size_t)n;
	}
	ul_close(fd);
	return 0;
}

static void test_big_transfer_two_tasks(void **state)
{
	struct xfer x = { 0 };
	struct ul_task *w = ul_task_spawn(NULL, "writer", 0, writer, &x);
	struct ul_task *r = ul_task_spawn(NULL, "reader", 1, reader, &x);

	assert_non_null(w);
	assert_non_null(r);
	assert_int_equal(ul_task_join(w), 0);
	assert_int_equal(ul_task_join(r), 0);
	assert_int_equal(x.got, BIG);
	assert_int_equal(x.bad, 0);
	assert_int_equal(x.sum_in, x.sum_out);
	/* 1 MiB does not fit in the 212992-byte send buffer: the writer slept on it. */
	assert_true(x.writer_nvcsw >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socketpair_stream, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_socketpair_dgram, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_socketpair_errnos, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_bind_connect_accept_path, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_abstract_and_autobind, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_errnos, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_backlog_and_listener_close, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_proc_net_unix, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_big_transfer_two_tasks, ul_test_setup_sim,
						unix_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
