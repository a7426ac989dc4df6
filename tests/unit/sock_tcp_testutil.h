/* SPDX-License-Identifier: MIT */
/* Helpers for the tests of sockets, poll and epoll with TCP (test_sock_tcp_*.c): a connected
 * pair over lo, a socket's struct sock, one open file installed in a second task's fd table.
 * Mirrors no kernel file. Static inline, as net_testutil.h. */
#ifndef ULNET_TEST_SOCK_TCP_TESTUTIL_H
#define ULNET_TEST_SOCK_TCP_TESTUTIL_H
#include <errno.h>
#include <poll.h>
#include "net_testutil.h"
#include "tcp_bulk_testutil.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/net.h"
#include "net/sock.h"
#include "net/tcp_states.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)

/* A listener on 127.0.0.1:@port (SO_REUSEADDR, backlog @backlog, @flags: SOCK_NONBLOCK). */
static inline int tcp_listener(int port, int backlog, int flags)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);
	int one = 1, fd = ul_socket(AF_INET, SOCK_STREAM | flags, 0);

	assert_true(fd >= 0);
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(fd, backlog), 0);
	return fd;
}

/* Sim runtime, from the test's own thread: a listener, a client connected to it without
 * blocking (1 ms of virtual time for the handshake) and the accepted server end. All three
 * fds are non-blocking. */
static inline void tcp_pair(int port, int *lfd, int *cfd, int *sfd)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);

	*lfd = tcp_listener(port, 8, SOCK_NONBLOCK);
	*cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*cfd >= 0);
	assert_errno(ul_connect(*cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	*sfd = ul_accept4(*lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(*sfd >= 0);
	assert_int_equal(sk_of(*cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(sk_of(*sfd)->sk_state, TCP_ESTABLISHED);
}

/* The open file behind @fd of the calling task, with a reference for another task. */
static inline struct file *file_to_share(int fd)
{
	struct file *f = fget((unsigned int)fd);

	assert_non_null(f);
	return f;
}

/* In the receiving task: install @f (its reference moves in) as a new fd of this task, as a
 * child inherits its parent's fds at fork (ulnet tasks do not share fd tables: CLONE_FILES
 * is not modelled). What matters for the socket is the same as for threads: every fd
 * holds its own reference to the one struct file, so close() in one task does not release
 * the socket under another task blocked in it. Returns the fd or -errno. */
static inline int install_shared(struct file *f)
{
	int fd = get_unused_fd_flags(0);

	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install((unsigned int)fd, f);
	return fd;
}

/* getsockopt(SO_ERROR) of @fd (which reads and clears sk_err). */
static inline int so_error(int fd)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len), 0);
	assert_int_equal(len, sizeof(int));
	return v;
}

/* poll() mask of @fd right now, asking for every event. */
static inline short poll_mask(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLPRI | POLLOUT | POLLRDHUP |
					       POLLRDNORM | POLLWRNORM | POLLRDBAND | POLLWRBAND };
	int n = ul_poll(&p, 1, 0);

	assert_true(n == 0 || n == 1);
	return n ? p.revents : 0;
}

#endif
