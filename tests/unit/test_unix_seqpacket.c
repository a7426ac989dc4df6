/* SPDX-License-Identifier: MIT */
/* AF_UNIX SOCK_SEQPACKET: records over a connection (socketpair and
 * bind/listen/connect/accept), MSG_TRUNC both ways, MSG_EOR accepted and never reported,
 * read/write, every errno (ENOTCONN, EPROTOTYPE, EMSGSIZE, EAGAIN, EPIPE, ECONNRESET),
 * EOF after the peer's close (also non-blocking), the poll masks of
 * unix_dgram_poll, epoll, SCM_RIGHTS, and /proc/net/unix.
 * Mirrors the behaviour of linux/net/unix/af_unix.c (3.10): unix_seqpacket_sendmsg,
 * unix_seqpacket_recvmsg (both over the datagram paths), unix_seqpacket_ops. */
#define _GNU_SOURCE	/* POLLRDHUP */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include "harness.h"
#include "unix_testutil.h"
#include "linux/sched.h"
#include "ulnet/socket.h"

static short poll_mask(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP | POLLPRI };

	assert_true(ul_poll(&p, 1, 0) >= 0);
	return p.revents;
}

/* Records keep their boundaries; a short buffer truncates one record (MSG_TRUNC in
 * msg_flags, the rest of it lost), MSG_TRUNC as a flag returns the record's length. */
static void test_records_and_trunc(void **state)
{
	int sv[2], type = 0;
	socklen_t tlen = sizeof(type);
	char buf[32];
	struct iovec iov = { .iov_base = buf, .iov_len = 2 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ul_getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &tlen), 0);
	assert_int_equal(type, SOCK_SEQPACKET);
	assert_int_equal(ul_send(sv[0], "abc", 3, 0), 3);
	assert_int_equal(ul_send(sv[0], "defgh", 5, MSG_EOR), 5);
	assert_int_equal(ul_write(sv[0], "ij", 2), 2);
	assert_int_equal(ul_send(sv[0], "klmnop", 6, 0), 6);
	assert_int_equal(ul_send(sv[0], "", 0, 0), 0);	/* an empty record is a record */
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "abc", 3);
	/* 2 of 5 bytes: MSG_TRUNC, and never MSG_EOR (3.10 does not report it). */
	assert_int_equal(ul_recvmsg(sv[1], &msg, 0), 2);
	assert_memory_equal(buf, "de", 2);
	assert_int_equal(msg.msg_flags, MSG_TRUNC);
	assert_int_equal(ul_read(sv[1], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "ij", 2);
	/* MSG_TRUNC asked: the whole length, 2 bytes copied. */
	memset(buf, 0, sizeof(buf));
	msg.msg_flags = 0;
	assert_int_equal(ul_recvmsg(sv[1], &msg, MSG_TRUNC), 6);
	assert_memory_equal(buf, "kl\0", 3);
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_errno(ul_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* A whole record fits: no flag. */
	assert_int_equal(ul_send(sv[1], "q", 1, 0), 1);
	iov.iov_len = sizeof(buf);
	msg.msg_flags = 0;
	assert_int_equal(ul_recvmsg(sv[0], &msg, 0), 1);
	assert_int_equal(msg.msg_flags, 0);
	/* MSG_PEEK leaves the record. */
	assert_int_equal(ul_send(sv[1], "rs", 2, 0), 2);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), MSG_PEEK), 2);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 2);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

struct conn_arg {
	const char *path;
	int ok;
};

static int seq_client(void *arg)
{
	struct conn_arg *ca = arg;
	struct sockaddr_un sun;
	socklen_t len = sun_path(&sun, ca->path);
	int c = ul_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	char buf[16];

	if (c < 0 || ul_connect(c, (struct sockaddr *)&sun, len) != 0)
		return 1;
	if (ul_send(c, "hello", 5, 0) != 5 || ul_send(c, "world!", 6, 0) != 6)
		return 2;
	if (ul_recv(c, buf, sizeof(buf), 0) != 3 || memcmp(buf, "bye", 3))
		return 3;
	/* The server closed: EOF. */
	if (ul_recv(c, buf, sizeof(buf), 0) != 0)
		return 4;
	ul_close(c);
	ca->ok = 1;
	return 0;
}

/* bind/listen/connect/accept with a path; the accepted socket is a SOCK_SEQPACKET too. */
static void test_listen_connect_accept(void **state)
{
	struct sockaddr_un sun, peer;
	socklen_t len = sun_path(&sun, "/seq.sock"), plen = sizeof(peer);
	struct conn_arg ca = { .path = "/seq.sock" };
	struct ul_task *t;
	int l, a, type = 0, acc = 0;
	socklen_t tlen = sizeof(type);
	char buf[16];

	l = ul_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(l >= 0);
	/* listen needs a name. */
	assert_errno(ul_listen(l, 4), EINVAL);
	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 4), 0);
	assert_int_equal(ul_getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &acc, &tlen), 0);
	assert_int_equal(acc, 1);
	/* A listener neither sends nor receives. */
	assert_errno(ul_send(l, "x", 1, 0), ENOTCONN);
	assert_errno(ul_recv(l, buf, sizeof(buf), MSG_DONTWAIT), ENOTCONN);
	t = ul_task_spawn(NULL, "client", 1, seq_client, &ca);
	assert_non_null(t);
	a = ul_accept(l, (struct sockaddr *)&peer, &plen);
	assert_true(a >= 0);
	tlen = sizeof(type);
	assert_int_equal(ul_getsockopt(a, SOL_SOCKET, SO_TYPE, &type, &tlen), 0);
	assert_int_equal(type, SOCK_SEQPACKET);
	assert_int_equal(plen, sizeof(sa_family_t));	/* the client is unbound */
	assert_int_equal(ul_recv(a, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(ul_recv(a, buf, sizeof(buf), 0), 6);
	assert_memory_equal(buf, "world!", 6);
	/* The destination of a connected socket is ignored. */
	assert_int_equal(ul_sendto(a, "bye", 3, 0, (struct sockaddr *)&sun, len), 3);
	assert_int_equal(ul_close(a), 0);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(ca.ok, 1);
	assert_int_equal(ul_close(l), 0);
}

/* The errnos of an unconnected socket and of the wrong type. */
static void test_errnos(void **state)
{
	struct sockaddr_un sun;
	socklen_t len = sun_path(&sun, "/stream.sock");
	int st, s, sv[2], big = 4096, val;
	socklen_t vlen = sizeof(val);
	char buf[8];
	static char huge[1 << 17];

	s = ul_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_errno(ul_send(s, "x", 1, 0), ENOTCONN);
	assert_errno(ul_sendto(s, "x", 1, 0, (struct sockaddr *)&sun, len), ENOTCONN);
	assert_errno(ul_recv(s, buf, sizeof(buf), MSG_DONTWAIT), ENOTCONN);
	/* Connecting to a path bound by a SOCK_STREAM listener: EPROTOTYPE. */
	st = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(ul_bind(st, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(st, 1), 0);
	assert_errno(ul_connect(s, (struct sockaddr *)&sun, len), EPROTOTYPE);
	/* Nothing at a path: ENOENT (ulnet: no filesystem, see docs/sockets.md). */
	len = sun_path(&sun, "/none.sock");
	assert_errno(ul_connect(s, (struct sockaddr *)&sun, len), ENOENT);

	/* A record larger than the send buffer (minus 32): EMSGSIZE. */
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ul_setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)), 0);
	assert_int_equal(ul_getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &val, &vlen), 0);
	assert_int_equal(val, 8192);
	assert_errno(ul_send(sv[0], huge, 8192 - 31, 0), EMSGSIZE);
	/* The send buffer fills (no queue-length limit between peers): EAGAIN. */
	{
		int i, n = 0;

		for (i = 0; i < 1000; i++) {
			if (ul_send(sv[0], huge, 1000, MSG_DONTWAIT) < 0)
				break;
			n++;
		}
		assert_int_equal(errno, EAGAIN);
		assert_true(n > 1 && n < 20);
		/* Reading one record makes room again. */
		assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), 0), sizeof(buf));
		assert_int_equal(ul_send(sv[0], huge, 1000, MSG_DONTWAIT), 1000);
	}
	assert_errno(ul_send(sv[0], "x", 1, MSG_OOB), EOPNOTSUPP);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(ul_close(st), 0);
	assert_int_equal(ul_close(s), 0);
}

/* Closing and shutting down: EOF (also non-blocking); a write after the peer's close is
 * EPIPE (the close shut our side), ECONNRESET first when the closer left data unread;
 * SHUT_WR gives the peer EOF and the writer EPIPE. */
static void test_close_and_shutdown(void **state)
{
	int sv[2];
	char buf[8];

	/* Peer closes with nothing unread. */
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ul_send(sv[1], "last", 4, 0), 4);
	assert_int_equal(ul_close(sv[1]), 0);
	/* What was queued still arrives, then EOF, blocking or not. */
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 4);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 0);
	/* The closer shut our sending side (SHUTDOWN_MASK): sock_alloc_send_skb says
	 * EPIPE, every time. */
	assert_errno(ul_send(sv[0], "x", 1, 0), EPIPE);
	assert_errno(ul_send(sv[0], "x", 1, 0), EPIPE);
	assert_int_equal(ul_close(sv[0]), 0);

	/* Peer closes with a record unread: ECONNRESET once, on either call. */
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ul_send(sv[0], "lost", 4, 0), 4);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_errno(ul_send(sv[0], "x", 1, 0), ECONNRESET);
	assert_errno(ul_send(sv[0], "x", 1, 0), EPIPE);
	assert_int_equal(ul_close(sv[0]), 0);

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ul_send(sv[0], "lost", 4, 0), 4);
	assert_int_equal(ul_send(sv[1], "kept", 4, 0), 4);
	assert_int_equal(ul_close(sv[1]), 0);
	/* The error comes before the queued record. */
	assert_errno(ul_recv(sv[0], buf, sizeof(buf), 0), ECONNRESET);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 4);
	assert_int_equal(ul_close(sv[0]), 0);

	/* shutdown(SHUT_WR): the peer reads EOF, our writes fail with EPIPE. */
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ul_shutdown(sv[0], SHUT_WR), 0);
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_errno(ul_send(sv[0], "x", 1, 0), EPIPE);
	/* The other direction still works. */
	assert_int_equal(ul_send(sv[1], "back", 4, 0), 4);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 4);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

/* unix_dgram_poll with the SOCK_SEQPACKET checks of 3.10. */
static void test_poll_masks(void **state)
{
	struct sockaddr_un sun;
	socklen_t len = sun_path(&sun, "/poll.sock");
	int sv[2], s, l, c;
	char buf[8];

	/* Not connected (TCP_CLOSE): POLLHUP, and writable. */
	s = ul_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(poll_mask(s), POLLHUP | POLLOUT);
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(poll_mask(sv[0]), POLLOUT);
	assert_int_equal(ul_send(sv[1], "r", 1, 0), 1);
	assert_int_equal(poll_mask(sv[0]), POLLIN | POLLOUT);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 1);
	/* The peer closes: readable (EOF), RDHUP, HUP; still "writable" (a write fails at
	 * once). */
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(poll_mask(sv[0]), POLLIN | POLLRDHUP | POLLHUP | POLLOUT);
	/* A listener: readable once a connection waits. */
	l = ul_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(ul_bind(l, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(ul_listen(l, 4), 0);
	assert_int_equal(poll_mask(l) & POLLIN, 0);
	c = ul_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
	assert_int_equal(ul_connect(c, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(poll_mask(l) & (POLLIN | POLLHUP), POLLIN);
	assert_int_equal(poll_mask(c), POLLOUT);
	assert_int_equal(ul_close(c), 0);
	assert_int_equal(ul_close(l), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(s), 0);
}

/* epoll reports a record as EPOLLIN and the peer's close as EPOLLIN|EPOLLRDHUP|EPOLLHUP. */
static void test_epoll(void **state)
{
	int sv[2], ep;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.u32 = 7 }, out[2];
	char buf[8];

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ep = ul_epoll_create1(0);
	assert_int_equal(ul_epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0);
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 0);
	assert_int_equal(ul_send(sv[1], "e", 1, 0), 1);
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 1);
	assert_int_equal(out[0].events, EPOLLIN);
	assert_int_equal(out[0].data.u32, 7);
	assert_int_equal(ul_recv(sv[0], buf, sizeof(buf), 0), 1);
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 0);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(ul_epoll_wait(ep, out, 2, 0), 1);
	assert_int_equal(out[0].events, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
	assert_int_equal(ul_close(ep), 0);
	assert_int_equal(ul_close(sv[0]), 0);
}

/* SCM_RIGHTS rides a record; /proc/net/unix shows type 0005. */
static void test_rights_and_proc(void **state)
{
	int sv[2], mf, nfd;
	char buf[8], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	char *proc;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	mf = ul_memfd_create("seq", 0);
	assert_int_equal(ul_write(mf, "abc", 3), 3);
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &mf, sizeof(int));
	assert_int_equal(ul_sendmsg(sv[0], &msg, 0), 1);
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_controllen = sizeof(cbuf);
	assert_int_equal(ul_recvmsg(sv[1], &msg, 0), 1);
	cm = CMSG_FIRSTHDR(&msg);
	assert_non_null(cm);
	assert_int_equal(cm->cmsg_type, SCM_RIGHTS);
	memcpy(&nfd, CMSG_DATA(cm), sizeof(int));
	assert_int_equal(ul_lseek(nfd, 0, SEEK_CUR), 3);

	proc = ul_proc_read(NULL, "/proc/net/unix", NULL);
	assert_non_null(proc);
	/* Two connected SEQPACKET sockets: type 0005, state 03 (SS_CONNECTED). */
	assert_non_null(strstr(proc, " 0005 03 "));
	free(proc);
	assert_int_equal(ul_close(nfd), 0);
	assert_int_equal(ul_close(mf), 0);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_and_trunc, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_listen_connect_accept, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_errnos, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_close_and_shutdown, ul_test_setup_sim,
						unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_poll_masks, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_epoll, ul_test_setup_sim, unix_test_teardown),
		cmocka_unit_test_setup_teardown(test_rights_and_proc, ul_test_setup_sim, unix_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
