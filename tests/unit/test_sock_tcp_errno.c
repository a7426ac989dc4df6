/* SPDX-License-Identifier: MIT */
/* Every errno of the socket calls with TCP, with Linux 3.10's values (issue #6's list):
 * EBADF, ENOTSOCK, EINVAL, EFAULT, EAGAIN, EPIPE (MSG_NOSIGNAL or not: ulnet has no
 * signals), ECONNRESET, ENOTCONN, EISCONN, EALREADY, EINPROGRESS, ECONNREFUSED and
 * ECONNABORTED after a refused non-blocking connect, SO_ERROR, SO_RCVTIMEO/SO_SNDTIMEO on
 * virtual time, MSG_PEEK/WAITALL/DONTWAIT/TRUNC, SO_RCVLOWAT, FIONREAD/SIOCINQ/SIOCOUTQ.
 * Mirrors the behaviour of linux/net/socket.c, net/ipv4/af_inet.c (inet_stream_connect,
 * inet_shutdown, inet_bind), net/ipv4/tcp.c (tcp_sendmsg, tcp_recvmsg, tcp_ioctl),
 * net/core/sock.c (sock_setsockopt, sock_getsockopt) and net/core/stream.c (3.10). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include "harness.h"
#include "net_testutil.h"
#include "sock_tcp_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "ulnet/socket.h"

#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	tnet = NULL;
	return err;
}

static void cmd_ok(const char *line)
{
	char *out = NULL;
	int err = ul_cmd("t", line, &out);

	if (err)
		print_message("'%s': %d %s\n", line, err, out ? out : "");
	free(out);
	assert_int_equal(err, 0);
}

static int ioctl_int(int fd, unsigned long req)
{
	int v = -1;

	assert_int_equal(ul_ioctl(fd, req, &v), 0);
	return v;
}

static void send_n(int fd, size_t n)
{
	char buf[4096];

	assert_true(n <= sizeof(buf));
	memset(buf, 'x', n);
	assert_int_equal(ul_send(fd, buf, n, 0), (ssize_t)n);
}

/* ------------------------------------------------------------------------------------------
 * socket(), EBADF, ENOTSOCK. */

static void test_socket_and_bad_fds(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7100);
	socklen_t len = sizeof(a);
	int sv[2], v = 0, m, ep, i;
	char buf[4];
	const int bad[] = { -1, 999 };

	assert_errno(ul_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
	assert_errno(ul_socket(AF_INET, SOCK_STREAM | 0x100000, 0), EINVAL);
	i = ul_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	assert_true(i >= 0);
	ul_close(i);
	/* inet stream sockets have no socketpair (sock_no_socketpair). */
	assert_errno(ul_socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);

	for (i = 0; i < 2; i++) {
		int fd = bad[i];

		assert_errno(ul_bind(fd, (struct sockaddr *)&a, sizeof(a)), EBADF);
		assert_errno(ul_connect(fd, (struct sockaddr *)&a, sizeof(a)), EBADF);
		assert_errno(ul_listen(fd, 1), EBADF);
		assert_errno(ul_accept(fd, NULL, NULL), EBADF);
		assert_errno(ul_send(fd, "x", 1, 0), EBADF);
		assert_errno(ul_recv(fd, buf, 1, 0), EBADF);
		assert_errno(ul_read(fd, buf, 1), EBADF);
		assert_errno(ul_write(fd, "x", 1), EBADF);
		assert_errno(ul_shutdown(fd, SHUT_RDWR), EBADF);
		assert_errno(ul_getsockname(fd, (struct sockaddr *)&a, &len), EBADF);
		assert_errno(ul_getpeername(fd, (struct sockaddr *)&a, &len), EBADF);
		assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof(v)), EBADF);
		assert_errno(ul_getsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, &len), EBADF);
		assert_errno(ul_ioctl(fd, FIONREAD, &v), EBADF);
		assert_errno(ul_close(fd), EBADF);
	}
	/* Files that are not sockets: a memory file, an epoll instance. */
	m = ul_memfd_create("m", 0);
	ep = ul_epoll_create1(0);
	for (i = 0; i < 2; i++) {
		int fd = i ? ep : m;

		assert_errno(ul_bind(fd, (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
		assert_errno(ul_connect(fd, (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
		assert_errno(ul_listen(fd, 1), ENOTSOCK);
		assert_errno(ul_accept(fd, NULL, NULL), ENOTSOCK);
		assert_errno(ul_send(fd, "x", 1, 0), ENOTSOCK);
		assert_errno(ul_recv(fd, buf, 1, 0), ENOTSOCK);
		assert_errno(ul_shutdown(fd, SHUT_RDWR), ENOTSOCK);
		assert_errno(ul_getsockname(fd, (struct sockaddr *)&a, &len), ENOTSOCK);
		assert_errno(ul_getpeername(fd, (struct sockaddr *)&a, &len), ENOTSOCK);
		assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof(v)), ENOTSOCK);
		assert_errno(ul_getsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, &len), ENOTSOCK);
	}
	ul_close(m);
	ul_close(ep);
}

/* ------------------------------------------------------------------------------------------
 * bind, listen, accept. */

static void test_bind_listen_accept(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7101), far = ul_test_sin("10.9.9.9", 7101);
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0), fd2 = ul_socket(AF_INET, SOCK_STREAM, 0);
	int nb = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int lfd, cfd, sfd;

	assert_errno(ul_bind(fd, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL);
	assert_errno(ul_bind(fd, NULL, sizeof(a)), EFAULT);
	assert_errno(ul_bind(fd, (struct sockaddr *)&far, sizeof(far)), EADDRNOTAVAIL);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_errno(ul_bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL);	/* bound */
	assert_errno(ul_bind(fd2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	/* accept before listen. */
	assert_errno(ul_accept(fd, NULL, NULL), EINVAL);
	assert_int_equal(ul_listen(fd, 4), 0);
	assert_int_equal(ul_listen(fd, 8), 0);	/* again: changes the backlog */
	assert_errno(ul_accept4(fd, NULL, NULL, 0x4000), EINVAL);	/* unknown flag */
	ul_close(fd);
	ul_close(fd2);

	/* A non-blocking listener with nothing queued; accept on a connected socket; listen
	 * on a connected socket. */
	tcp_pair(7102, &lfd, &cfd, &sfd);
	assert_errno(ul_accept(lfd, NULL, NULL), EAGAIN);
	assert_errno(ul_accept(cfd, NULL, NULL), EINVAL);
	assert_errno(ul_listen(cfd, 4), EINVAL);
	/* listen on a fresh socket autobinds it (inet_csk_get_port(0)). */
	assert_int_equal(ul_listen(nb, 1), 0);
	{
		struct sockaddr_in b;
		socklen_t len = sizeof(b);

		assert_int_equal(ul_getsockname(nb, (struct sockaddr *)&b, &len), 0);
		assert_true(ntohs(b.sin_port) != 0);
	}
	ul_close(nb);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * connect: EINPROGRESS, EALREADY, EISCONN, ECONNREFUSED, ECONNABORTED, SO_ERROR. */

static void test_connect(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7103), d = ul_test_sin("127.0.0.1", 7104);
	struct sockaddr_in6 six = { .sin6_family = AF_INET6 };
	int lfd = tcp_listener(7103, 8, SOCK_NONBLOCK), cfd, sfd;

	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, 1), EINVAL);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&six, sizeof(six)), EAFNOSUPPORT);
	assert_errno(ul_connect(cfd, NULL, sizeof(a)), EFAULT);
	/* A listener is not CLOSE: EISCONN (inet_stream_connect's SS_UNCONNECTED case). */
	assert_errno(ul_connect(lfd, (struct sockaddr *)&a, sizeof(a)), EISCONN);

	/* Non-blocking: EINPROGRESS; once established the next connect reports success (the
	 * socket was SS_CONNECTING), the one after that EISCONN. */
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EISCONN);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&d, sizeof(d)), EISCONN);
	assert_int_equal(so_error(cfd), 0);
	sfd = ul_accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	ul_close(sfd);
	ul_close(cfd);

	/* EALREADY while the SYN is out (dropped by the firewall). */
	cmd_ok("iptables -A INPUT -p tcp --dport 7105 -j DROP");
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	{
		struct sockaddr_in b = ul_test_sin("127.0.0.1", 7105);

		assert_errno(ul_connect(cfd, (struct sockaddr *)&b, sizeof(b)), EINPROGRESS);
		assert_errno(ul_connect(cfd, (struct sockaddr *)&b, sizeof(b)), EALREADY);
		ul_run_for(100 * MS);
		assert_int_equal(sk_of(cfd)->sk_state, TCP_SYN_SENT);
		assert_errno(ul_connect(cfd, (struct sockaddr *)&b, sizeof(b)), EALREADY);
	}
	ul_close(cfd);
	cmd_ok("iptables -F");

	/* Refused, non-blocking: SO_ERROR reads ECONNREFUSED once; the next connect then finds
	 * the socket CLOSE without an error: ECONNABORTED (and the socket is unconnected
	 * again: the one after starts over). */
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&d, sizeof(d)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(so_error(cfd), ECONNREFUSED);
	assert_int_equal(so_error(cfd), 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&d, sizeof(d)), ECONNABORTED);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&d, sizeof(d)), EINPROGRESS);
	ul_run_for(MS);
	/* Not read through SO_ERROR this time: connect reports it. */
	assert_errno(ul_connect(cfd, (struct sockaddr *)&d, sizeof(d)), ECONNREFUSED);
	assert_int_equal(so_error(cfd), 0);
	ul_close(cfd);
	ul_close(lfd);
}

/* A blocking connect: ECONNREFUSED from the call itself; with SO_SNDTIMEO and a SYN that
 * gets no answer, EINPROGRESS after exactly the timeout (inet_wait_for_connect). */
struct bconn {
	int refused_err, timeout_err;
	u64 t0, t1;
};

static int bconn_task(void *arg)
{
	struct bconn *b = arg;
	struct sockaddr_in d = ul_test_sin("127.0.0.1", 7106), bh = ul_test_sin("127.0.0.1", 7107);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 300000 };
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);

	errno = 0;
	if (ul_connect(fd, (struct sockaddr *)&d, sizeof(d)) != -1)
		return 1;
	b->refused_err = errno;
	ul_close(fd);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (ul_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return 2;
	b->t0 = ul_now_ns();
	errno = 0;
	if (ul_connect(fd, (struct sockaddr *)&bh, sizeof(bh)) != -1)
		return 3;
	b->timeout_err = errno;
	b->t1 = ul_now_ns();
	ul_close(fd);
	return 0;
}

static void test_connect_blocking(void **state)
{
	struct bconn b = { 0 };
	struct ul_task *t;

	cmd_ok("iptables -A INPUT -p tcp --dport 7107 -j DROP");
	t = ul_task_spawn("t", "connect", 0, bconn_task, &b);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(b.refused_err, ECONNREFUSED);
	assert_int_equal(b.timeout_err, EINPROGRESS);
	assert_true(b.t1 - b.t0 >= 300 * MS);
	assert_true(b.t1 - b.t0 <= 302 * MS);
	cmd_ok("iptables -F");
}

/* ------------------------------------------------------------------------------------------
 * send / recv errors. */

static void test_send_recv_errors(void **state)
{
	struct sockaddr_in other = ul_test_sin("127.0.0.2", 9);
	int fresh = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int lfd, cfd, sfd;
	char buf[64];

	/* Unconnected: send is EPIPE (sk_stream_wait_connect on a CLOSE socket), recv
	 * ENOTCONN; a listener the same. */
	assert_errno(ul_send(fresh, "x", 1, 0), EPIPE);
	assert_errno(ul_send(fresh, "x", 1, MSG_NOSIGNAL), EPIPE);
	assert_errno(ul_recv(fresh, buf, sizeof(buf), 0), ENOTCONN);
	assert_errno(ul_read(fresh, buf, sizeof(buf)), ENOTCONN);
	tcp_pair(7108, &lfd, &cfd, &sfd);
	assert_errno(ul_send(lfd, "x", 1, 0), EPIPE);
	assert_errno(ul_recv(lfd, buf, sizeof(buf), 0), ENOTCONN);

	/* Connected: nothing to read -> EAGAIN (non-blocking fd, or MSG_DONTWAIT on a
	 * blocking one); zero bytes -> 0; NULL buffers -> EFAULT; recv(MSG_OOB) without
	 * urgent data -> EINVAL (the rest of urgent data: test_tcp_urg.c). */
	assert_errno(ul_recv(cfd, buf, sizeof(buf), 0), EAGAIN);
	assert_int_equal(ul_fcntl(cfd, F_SETFL, 0), 0);
	assert_errno(ul_recv(cfd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	assert_int_equal(ul_send(cfd, buf, 0, 0), 0);
	assert_errno(ul_send(cfd, NULL, 10, 0), EFAULT);
	assert_errno(ul_recv(cfd, buf, sizeof(buf), MSG_OOB), EINVAL);
	/* TCP ignores a destination address on a connected socket (tcp_sendmsg does not read
	 * msg_name). */
	assert_int_equal(ul_sendto(cfd, "abc", 3, 0, (struct sockaddr *)&other, sizeof(other)), 3);
	ul_run_for(MS);
	assert_errno(ul_recv(sfd, NULL, 10, 0), EFAULT);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 3);

	/* The peer resets (close with unread data): recv reports ECONNRESET once (sk_err is
	 * consumed), then 0 (RCV_SHUTDOWN); send on the reset socket is EPIPE. */
	send_n(sfd, 10);
	ul_run_for(MS);
	assert_int_equal(ul_close(cfd), 0);	/* unread data: RST */
	ul_run_for(MS);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	assert_errno(ul_recv(sfd, buf, sizeof(buf), 0), ECONNRESET);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 0);
	assert_errno(ul_send(sfd, "x", 1, 0), EPIPE);
	assert_int_equal(so_error(sfd), 0);
	ul_close(sfd);
	ul_close(lfd);

	/* After our own SHUT_WR: EPIPE, with or without MSG_NOSIGNAL (no SIGPIPE in ulnet:
	 * DIVERGES only in that the signal is never raised). */
	tcp_pair(7108, &lfd, &cfd, &sfd);
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	assert_errno(ul_send(cfd, "x", 1, 0), EPIPE);
	assert_errno(ul_send(cfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	assert_errno(ul_write(cfd, "x", 1), EPIPE);

	/* A reset in CLOSE_WAIT (the peer's FIN came first) sets sk_err to EPIPE (3.10's
	 * tcp_reset), and recv still returns 0 (SOCK_DONE: the FIN was read as EOF). */
	ul_run_for(MS);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE_WAIT);
	send_n(sfd, 10);
	ul_run_for(MS);
	assert_int_equal(ul_close(cfd), 0);	/* unread data: RST */
	ul_run_for(MS);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 0);
	assert_errno(ul_send(sfd, "x", 1, 0), EPIPE);	/* sk_err, consumed */
	assert_int_equal(so_error(sfd), 0);
	ul_close(sfd);

	/* The other order: send first after the reset reports ECONNRESET. */
	ul_close(fresh);
	fresh = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	{
		struct sockaddr_in a = ul_test_sin("127.0.0.1", 7108);

		assert_errno(ul_connect(fresh, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
		ul_run_for(MS);
		sfd = ul_accept(lfd, NULL, NULL);
		assert_true(sfd >= 0);
		send_n(fresh, 5);
		ul_run_for(MS);
		ul_close(sfd);
		ul_run_for(MS);
		assert_errno(ul_send(fresh, "x", 1, 0), ECONNRESET);
		assert_errno(ul_send(fresh, "x", 1, 0), EPIPE);
	}
	ul_close(fresh);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * shutdown, getsockname/getpeername. */

static void test_shutdown_and_names(void **state)
{
	int fresh = ul_socket(AF_INET, SOCK_STREAM, 0), lfd, cfd, sfd;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	assert_errno(ul_shutdown(fresh, SHUT_RDWR), ENOTCONN);
	assert_errno(ul_shutdown(fresh, 3), EINVAL);
	assert_errno(ul_shutdown(fresh, -1), EINVAL);
	assert_errno(ul_getpeername(fresh, (struct sockaddr *)&a, &len), ENOTCONN);
	assert_errno(ul_getsockname(fresh, (struct sockaddr *)&a, NULL), EFAULT);
	assert_int_equal(ul_getsockname(fresh, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(len, sizeof(a));
	assert_int_equal(a.sin_family, AF_INET);
	assert_int_equal(a.sin_port, 0);
	assert_int_equal(a.sin_addr.s_addr, 0);

	tcp_pair(7109, &lfd, &cfd, &sfd);
	len = sizeof(a);
	assert_int_equal(ul_getpeername(cfd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(ntohs(a.sin_port), 7109);
	assert_errno(ul_getpeername(lfd, (struct sockaddr *)&a, &len), ENOTCONN);
	/* A short buffer gets a truncated address and the full length. */
	len = 4;
	assert_int_equal(ul_getpeername(cfd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(len, sizeof(a));

	/* shutdown(SHUT_RD) on a listener closes it (inet_shutdown -> tcp_disconnect):
	 * accept is then EINVAL. */
	assert_int_equal(ul_shutdown(lfd, SHUT_RD), 0);
	assert_int_equal(sk_of(lfd)->sk_state, TCP_CLOSE);
	assert_errno(ul_accept(lfd, NULL, NULL), EINVAL);
	/* Twice SHUT_WR is fine; a shut-down connected socket still has its peer. */
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	len = sizeof(a);
	assert_int_equal(ul_getpeername(cfd, (struct sockaddr *)&a, &len), 0);
	ul_close(fresh);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * Socket options. */

static void test_sockopts(void **state)
{
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0), v;
	struct timeval tv = { .tv_sec = 1, .tv_usec = 1000000 }, got;
	socklen_t len;

	/* SO_RCVTIMEO/SO_SNDTIMEO: a short optlen is EINVAL, tv_usec out of range EDOM. */
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv) - 1), EINVAL);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), EDOM);
	tv.tv_usec = 250000;
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	len = sizeof(got);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &got, &len), 0);
	assert_int_equal(len, sizeof(got));
	assert_int_equal(got.tv_sec, 1);
	assert_int_equal(got.tv_usec, 250000);

	/* SO_RCVLOWAT 0 means 1. */
	v = 0;
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof(v)), 0);
	len = sizeof(v);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, &len), 0);
	assert_int_equal(v, 1);
	/* int options want an int. */
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, 2), EINVAL);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, NULL, sizeof(v)), EFAULT);
	/* Unknown options; SO_ERROR is read-only. */
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	assert_errno(ul_setsockopt(fd, SOL_SOCKET, SO_ERROR, &v, sizeof(v)), ENOPROTOOPT);
	len = sizeof(v);
	assert_errno(ul_getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	assert_errno(ul_getsockopt(fd, IPPROTO_TCP, 9999, &v, &len), ENOPROTOOPT);
	/* SO_TYPE, SO_ACCEPTCONN. */
	len = sizeof(v);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), 0);
	assert_int_equal(v, SOCK_STREAM);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ul_listen(fd, 1), 0);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len), 0);
	assert_int_equal(v, 1);
	ul_close(fd);
}

/* ------------------------------------------------------------------------------------------
 * Blocking receive and send: SO_RCVTIMEO, SO_SNDTIMEO, MSG_WAITALL, SO_RCVLOWAT. */

struct blk {
	struct file *f;		/* the connected socket, shared with the task */
	int rcv_err, snd_err, lowat_got, waitall_got;
	ssize_t snd_partial;
	u64 rcv_dt, snd_dt, lowat_at, waitall_at;
};

static int blk_task(void *arg)
{
	struct blk *b = arg;
	int fd = install_shared(b->f), lowat = 50;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	char buf[512], *big;
	u64 t0;
	int guard = 0;

	if (fd < 0)
		return 1;
	/* SO_RCVTIMEO 100 ms with nothing coming: EAGAIN after exactly 100 ms. */
	if (ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return 2;
	t0 = ul_now_ns();
	errno = 0;
	if (ul_recv(fd, buf, sizeof(buf), 0) != -1)
		return 3;
	b->rcv_err = errno;
	b->rcv_dt = ul_now_ns() - t0;
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	/* SO_RCVLOWAT 50: the peer writes 10 bytes every 10 ms: the recv returns with 50. */
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat));
	b->lowat_got = (int)ul_recv(fd, buf, sizeof(buf), 0);
	b->lowat_at = ul_now_ns();
	lowat = 1;
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat));

	/* MSG_WAITALL 100: the peer goes on 10 bytes every 10 ms. */
	b->waitall_got = (int)ul_recv(fd, buf, 100, MSG_WAITALL);
	b->waitall_at = ul_now_ns();

	/* SO_SNDTIMEO 200 ms on a full send buffer (the peer stopped reading): a send that
	 * copies nothing fails with EAGAIN after 200 ms. */
	tv.tv_sec = 0;
	tv.tv_usec = 200000;
	ul_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	big = calloc(1, 65536);
	if (!big)
		return 4;
	/* Fill until the buffer stays full: EAGAIN three times, 50 ms apart (in-flight data
	 * ACKed meanwhile frees room). */
	{
		int stable = 0;

		while (++guard < 1000 && stable < 3) {
			if (ul_send(fd, big, 65536, MSG_DONTWAIT) > 0) {
				stable = 0;
				ul_sleep(MS);
			} else {
				stable++;
				ul_sleep(50 * MS);
			}
		}
	}
	t0 = ul_now_ns();
	errno = 0;
	b->snd_partial = ul_send(fd, big, 65536, 0);
	b->snd_err = errno;
	b->snd_dt = ul_now_ns() - t0;
	free(big);
	ul_close(fd);
	return 0;
}

static void test_blocking_timeouts_waitall_lowat(void **state)
{
	struct blk b = { 0 };
	struct ul_task *t;
	int lfd, cfd, sfd, i;
	u64 t0;

	tcp_pair(7110, &lfd, &cfd, &sfd);
	assert_int_equal(ul_fcntl(cfd, F_SETFL, 0), 0);	/* blocking for the task */
	b.f = file_to_share(cfd);
	t = ul_task_spawn("t", "blocking", 0, blk_task, &b);
	assert_non_null(t);
	ul_run_for(150 * MS);
	assert_int_equal(b.rcv_err, EAGAIN);
	assert_int_equal(b.rcv_dt, 100 * MS);
	/* 10 bytes every 10 ms, 15 times (50 for RCVLOWAT, 100 for WAITALL). */
	t0 = ul_now_ns();
	for (i = 0; i < 15; i++) {
		send_n(sfd, 10);
		ul_run_for(10 * MS);
	}
	assert_int_equal(b.lowat_got, 50);
	assert_true(b.lowat_at >= t0 + 40 * MS && b.lowat_at < t0 + 50 * MS);
	assert_int_equal(b.waitall_got, 100);
	assert_true(b.waitall_at >= t0 + 140 * MS && b.waitall_at < t0 + 150 * MS);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(b.snd_partial, -1);
	assert_int_equal(b.snd_err, EAGAIN);
	assert_true(b.snd_dt >= 200 * MS && b.snd_dt <= 201 * MS);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * recv flags and the queue ioctls. */

static void test_recv_flags_and_ioctls(void **state)
{
	int lfd, cfd, sfd, v;
	char buf[64];

	tcp_pair(7111, &lfd, &cfd, &sfd);
	/* Listeners: SIOCINQ/SIOCOUTQ are EINVAL. */
	assert_errno(ul_ioctl(lfd, SIOCINQ, &v), EINVAL);
	assert_errno(ul_ioctl(lfd, SIOCOUTQ, &v), EINVAL);
	assert_int_equal(ioctl_int(cfd, FIONREAD), 0);
	assert_int_equal(ioctl_int(cfd, SIOCOUTQ), 0);

	/* SIOCOUTQ: bytes not yet acknowledged (the peer's ACKs are dropped by the firewall
	 * until the flush; the retransmission is then ACKed). */
	cmd_ok("iptables -A INPUT -p tcp --dport 7111 -j DROP");
	assert_int_equal(ul_send(sfd, "0123456789abcdefghij", 20, 0), 20);
	ul_run_for(MS);
	assert_int_equal(ioctl_int(sfd, SIOCOUTQ), 20);
	cmd_ok("iptables -F");
	ul_run_for(SEC);
	assert_int_equal(ioctl_int(sfd, SIOCOUTQ), 0);
	assert_int_equal(ioctl_int(cfd, SIOCINQ), 20);
	assert_int_equal(ioctl_int(cfd, FIONREAD), 20);

	/* MSG_PEEK: copies, does not consume. */
	assert_int_equal(ul_recv(cfd, buf, 4, MSG_PEEK), 4);
	assert_memory_equal(buf, "0123", 4);
	assert_int_equal(ul_recv(cfd, buf, 6, MSG_PEEK), 6);
	assert_memory_equal(buf, "012345", 6);
	assert_int_equal(ioctl_int(cfd, SIOCINQ), 20);
	/* MSG_TRUNC on TCP (3.10): the bytes are consumed without being copied. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(ul_recv(cfd, buf, 5, MSG_TRUNC), 5);
	assert_int_equal(buf[0], 0);
	assert_int_equal(ioctl_int(cfd, SIOCINQ), 15);
	assert_int_equal(ul_recv(cfd, buf, 5, MSG_DONTWAIT), 5);
	assert_memory_equal(buf, "56789", 5);
	/* MSG_WAITALL with enough data: returns at once with all of it. */
	assert_int_equal(ul_recv(cfd, buf, 10, MSG_WAITALL), 10);
	assert_memory_equal(buf, "abcdefghij", 10);

	/* After the FIN: SIOCINQ counts the data, not the FIN (3.10 subtracts it). */
	send_n(sfd, 7);
	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	ul_run_for(MS);
	assert_int_equal(ioctl_int(cfd, SIOCINQ), 7);
	/* MSG_WAITALL for more than remains: the data, then 0. */
	assert_int_equal(ul_recv(cfd, buf, 50, MSG_WAITALL), 7);
	assert_int_equal(ioctl_int(cfd, SIOCINQ), 0);
	assert_int_equal(ul_recv(cfd, buf, 50, 0), 0);

	/* FIONBIO. */
	v = 0;
	assert_int_equal(ul_ioctl(cfd, FIONBIO, &v), 0);
	assert_int_equal(ul_fcntl(cfd, F_GETFL) & O_NONBLOCK, 0);
	v = 1;
	assert_int_equal(ul_ioctl(cfd, FIONBIO, &v), 0);
	assert_int_equal(ul_fcntl(cfd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * Blocked calls ended by the peer: a recv and a send (full buffer) blocked when a RST
 * comes both fail with ECONNRESET (sk_stream_error turns the send's EPIPE into the
 * socket's error); a blocking accept with SO_RCVTIMEO gives up with EAGAIN after exactly
 * the timeout (inet_csk_accept waits sock_rcvtimeo). */

struct rstw {
	struct file *rf, *wf, *lf;
	ssize_t rret, wret;
	int rerr, werr, aerr;
	u64 a_dt;
};

static int rst_reader(void *arg)
{
	struct rstw *w = arg;
	int fd = install_shared(w->rf);
	char buf[16];

	if (fd < 0)
		return 1;
	errno = 0;
	w->rret = ul_recv(fd, buf, sizeof(buf), 0);
	w->rerr = errno;
	ul_close(fd);
	return 0;
}

static int rst_writer(void *arg)
{
	struct rstw *w = arg;
	int fd = install_shared(w->wf), stable = 0, guard = 0;
	char *big = calloc(1, 65536);

	if (fd < 0 || !big)
		return 1;
	/* Fill the send buffer (the peer does not read) until it stays full. */
	while (++guard < 1000 && stable < 3) {
		if (ul_send(fd, big, 65536, MSG_DONTWAIT) > 0) {
			stable = 0;
			ul_sleep(MS);
		} else {
			stable++;
			ul_sleep(50 * MS);
		}
	}
	errno = 0;
	w->wret = ul_send(fd, big, 65536, 0);
	w->werr = errno;
	free(big);
	ul_close(fd);
	return 0;
}

static int accept_timeout_task(void *arg)
{
	struct rstw *w = arg;
	int fd = install_shared(w->lf);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 150000 };
	u64 t0;

	if (fd < 0 || ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return 1;
	t0 = ul_now_ns();
	errno = 0;
	if (ul_accept(fd, NULL, NULL) != -1)
		return 2;
	w->aerr = errno;
	w->a_dt = ul_now_ns() - t0;
	ul_close(fd);
	return 0;
}

static void test_blocked_calls_ended(void **state)
{
	struct rstw w = { 0 };
	struct ul_task *r, *wr, *a;
	int lfd, cfd, sfd, l2, c2, s2;

	/* recv blocked, then the peer resets (SO_LINGER {1, 0}). */
	tcp_pair(7112, &lfd, &cfd, &sfd);
	assert_int_equal(ul_fcntl(cfd, F_SETFL, 0), 0);
	w.rf = file_to_share(cfd);
	r = ul_task_spawn("t", "reader", 0, rst_reader, &w);
	assert_non_null(r);
	ul_run_for(10 * MS);
	{
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		assert_int_equal(ul_setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	}
	assert_int_equal(ul_close(sfd), 0);
	assert_int_equal(ul_task_join(r), 0);
	assert_int_equal(w.rret, -1);
	assert_int_equal(w.rerr, ECONNRESET);
	ul_close(cfd);

	/* send blocked on a full buffer, then the peer resets. */
	tcp_pair(7113, &l2, &c2, &s2);
	assert_int_equal(ul_fcntl(c2, F_SETFL, 0), 0);
	w.wf = file_to_share(c2);
	wr = ul_task_spawn("t", "writer", 0, rst_writer, &w);
	assert_non_null(wr);
	ul_run_for(500 * MS);
	assert_int_equal(w.wret, 0);	/* still blocked */
	{
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		assert_int_equal(ul_setsockopt(s2, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	}
	assert_int_equal(ul_close(s2), 0);
	assert_int_equal(ul_task_join(wr), 0);
	assert_int_equal(w.wret, -1);
	assert_int_equal(w.werr, ECONNRESET);
	ul_close(c2);
	ul_close(l2);

	/* accept with SO_RCVTIMEO on an idle (blocking) listener. */
	assert_int_equal(ul_fcntl(lfd, F_SETFL, 0), 0);
	w.lf = file_to_share(lfd);
	a = ul_task_spawn("t", "acceptor", 0, accept_timeout_task, &w);
	assert_non_null(a);
	assert_int_equal(ul_task_join(a), 0);
	assert_int_equal(w.aerr, EAGAIN);
	assert_int_equal(w.a_dt, 150 * MS);
	ul_close(lfd);
}

/* ------------------------------------------------------------------------------------------
 * Odds and ends of 3.10: accept does not pass O_NONBLOCK on (only SOCK_NONBLOCK does);
 * SO_RCVBUF/SO_SNDBUF read back doubled; SIOCINQ of a fresh socket is 0; our own
 * shutdown(SHUT_RD) makes the socket readable (POLLIN|POLLRDHUP) and recv return 0; a
 * blocking recv with SO_RCVLOWAT or MSG_WAITALL returns what it has when the FIN comes,
 * and MSG_WAITALL returns the partial count when SO_RCVTIMEO expires. */

struct part {
	struct file *f;
	ssize_t lowat_got, waitall_got;
	u64 waitall_dt;
};

static int part_task(void *arg)
{
	struct part *p = arg;
	int fd = install_shared(p->f), lowat = 100;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 50000 };
	char buf[256];
	u64 t0;

	if (fd < 0)
		return 1;
	/* MSG_WAITALL 100 with 30 bytes there and SO_RCVTIMEO 50 ms: 30 after 50 ms. */
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	t0 = ul_now_ns();
	p->waitall_got = ul_recv(fd, buf, 100, MSG_WAITALL);
	p->waitall_dt = ul_now_ns() - t0;
	tv.tv_sec = 10;
	tv.tv_usec = 0;
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* SO_RCVLOWAT 100 with 20 bytes, then the FIN: 20. */
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat));
	p->lowat_got = ul_recv(fd, buf, sizeof(buf), 0);
	ul_close(fd);
	return 0;
}

static void test_misc_310(void **state)
{
	int lfd, cfd, sfd, fresh = ul_socket(AF_INET, SOCK_STREAM, 0), v;
	socklen_t len = sizeof(v);
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7114);
	struct part p = { 0 };
	struct ul_task *t;
	char buf[8];

	assert_int_equal(ioctl_int(fresh, SIOCINQ), 0);
	v = 10000;
	assert_int_equal(ul_setsockopt(fresh, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
	assert_int_equal(ul_getsockopt(fresh, SOL_SOCKET, SO_RCVBUF, &v, &len), 0);
	assert_int_equal(v, 20000);
	v = 10000;
	assert_int_equal(ul_setsockopt(fresh, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	assert_int_equal(ul_getsockopt(fresh, SOL_SOCKET, SO_SNDBUF, &v, &len), 0);
	assert_int_equal(v, 20000);

	tcp_pair(7114, &lfd, &cfd, &sfd);
	/* The listener is non-blocking; a child from plain accept is blocking. */
	ul_close(sfd);
	ul_close(cfd);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	sfd = ul_accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	assert_int_equal(ul_fcntl(sfd, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(ul_fcntl(lfd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);

	/* Our own SHUT_RD. */
	assert_int_equal(ul_fcntl(sfd, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(ul_shutdown(sfd, SHUT_RD), 0);
	assert_int_equal(poll_mask(sfd), POLLIN | POLLRDNORM | POLLRDHUP | POLLOUT | POLLWRNORM);
	assert_int_equal(ul_recv(sfd, buf, sizeof(buf), 0), 0);

	/* Partial returns of blocking reads. */
	assert_int_equal(ul_fcntl(cfd, F_SETFL, 0), 0);
	p.f = file_to_share(cfd);
	send_n(sfd, 30);
	t = ul_task_spawn("t", "partial", 0, part_task, &p);
	assert_non_null(t);
	ul_run_for(100 * MS);
	send_n(sfd, 20);
	ul_run_for(10 * MS);
	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(p.waitall_got, 30);
	assert_int_equal(p.waitall_dt, 50 * MS);
	assert_int_equal(p.lowat_got, 20);
	ul_close(fresh);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_and_bad_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_listen_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_blocking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_recv_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockopts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_timeouts_waitall_lowat, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_recv_flags_and_ioctls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocked_calls_ended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misc_310, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
