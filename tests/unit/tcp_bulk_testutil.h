/* SPDX-License-Identifier: MIT */
/* Test helpers shared by the TCP data tests (test_tcp_*.c, test_syncookies.c, the
 * test_sock_tcp_*.c helpers): a socket's struct sock, the byte pattern of a bulk
 * transfer's stream with its sender and checking receiver loops, the listening and the
 * connecting ends of a transfer, a server and a client task run to completion, a `ulnet`
 * command line run in a namespace, two namespaces joined by a veth pair.
 * Mirrors no kernel file. Static inline, as net_testutil.h. */
#ifndef ULNET_TEST_TCP_BULK_TESTUTIL_H
#define ULNET_TEST_TCP_BULK_TESTUTIL_H
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/fs.h"
#include "linux/net.h"
#include "linux/tcp.h"
#include "net/sock.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

/* The struct sock behind @fd of the calling task (asserted). */
static inline struct sock *sk_of(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	assert_non_null(sock);
	sk = sock->sk;
	fput(sock->file);
	return sk;
}

/* The byte at offset @i of a bulk transfer's stream: not periodic in any small power of
 * two, so that a lost, duplicated or misplaced segment shows as bad bytes. */
static inline unsigned char bulk_pattern(size_t i)
{
	return (unsigned char)((i * 7 + (i >> 9) * 13 + (i >> 17)) & 0xff);
}

/* One recv on @fd must return exactly the stream's first @len bytes (≤ 64 KiB). */
static inline void bulk_read_exact(int fd, size_t len)
{
	static unsigned char buf[65536];
	size_t i;

	assert_true(len <= sizeof(buf));
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), 0), (ssize_t)len);
	for (i = 0; i < len; i++)
		if (buf[i] != bulk_pattern(i))
			fail_msg("byte %zu: %u, expected %u", i, buf[i], bulk_pattern(i));
}

/* Fills @buf with the @len bytes of the stream at offset @off. */
static inline void bulk_fill(unsigned char *buf, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = bulk_pattern(off + i);
}

/* Runs the `ulnet` command @line in namespace @ns; its output is printed on failure.
 * Returns 0 or the command's -errno. */
static inline int run_cmd(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		print_message("'%s' in %s: %d %s\n", line, ns, err, out ? out : "");
	free(out);
	return err;
}

/* Receives on @fd into @buf (64 KiB) until EOF, checking every byte against bulk_pattern:
 * *@received and *@bad_bytes count, *@eof is set at EOF. Bounded (10^6 reads). Returns
 * -1 when a recv fails (the counts so far kept), else 0. Context: a task. */
static inline int bulk_recv_all(int fd, unsigned char *buf, size_t *received, int *bad_bytes,
				int *eof)
{
	int guard = 0;

	while (++guard < 1000000) {
		ssize_t n = ul_recv(fd, buf, 65536, 0), i;

		if (n < 0)
			return -1;
		if (n == 0) {
			*eof = 1;
			break;
		}
		for (i = 0; i < n; i++)
			if (buf[i] != bulk_pattern(*received + (size_t)i))
				(*bad_bytes)++;
		*received += (size_t)n;
	}
	return 0;
}

/* One write of a bulk sender: the next min(@chunk, @total - @sent) bytes of the pattern,
 * built in @buf, sent on @fd. Returns what ul_send returned. Context: a task. */
static inline ssize_t bulk_send_next(int fd, unsigned char *buf, size_t chunk, size_t total,
				     size_t sent)
{
	size_t n = total - sent < chunk ? total - sent : chunk;

	bulk_fill(buf, sent, n);
	return ul_send(fd, buf, n, 0);
}

/* Sends the stream from offset *@sent to @total on @fd in writes of at most @chunk bytes
 * built in @buf (bulk_send_next), *@sent counting. Bounded (10^6 writes). Returns 0 once
 * all is sent, or -1 (a send failed, errno as it left it, or the bound was hit).
 * Context: a task. */
static inline int bulk_send_all(int fd, unsigned char *buf, size_t chunk, size_t total,
				size_t *sent)
{
	int guard = 0;

	while (*sent < total && ++guard < 1000000) {
		ssize_t w = bulk_send_next(fd, buf, chunk, total, *sent);

		if (w <= 0)
			return -1;
		*sent += (size_t)w;
	}
	return *sent == total ? 0 : -1;
}

/* Spawns @srv (cpu 1, in @srv_ns) then @cli (cpu 0, in @cli_ns) on @arg and joins the
 * client then the server, both asserted to return 0. */
static inline void bulk_run_tasks(const char *cli_ns, const char *srv_ns, int (*srv)(void *),
				  int (*cli)(void *), void *arg)
{
	struct ul_task *s = ul_task_spawn(srv_ns, "server", 1, srv, arg);
	struct ul_task *c = ul_task_spawn(cli_ns, "client", 0, cli, arg);

	assert_non_null(s);
	assert_non_null(c);
	assert_int_equal(ul_task_join(c), 0);
	assert_int_equal(ul_task_join(s), 0);
}

/* The listening half of a bulk server: a 64 KiB receive buffer in *@buf (free it),
 * listens on @ip:@port (backlog 4, SO_REUSEADDR first when @reuse), sets *@ready,
 * accepts one connection (its address into *@peer when not NULL). Returns the connected
 * socket with the listener in *@lfd, or -9 (no memory), -10 (socket, bind or listen
 * failed) or -11 (accept failed), nothing left open or allocated. Context: a task. */
static inline int bulk_accept_one(const char *ip, int port, int reuse, int *ready, int *lfd,
				  struct sockaddr_in *peer, unsigned char **buf)
{
	struct sockaddr_in a = ul_test_sin(ip, port);
	socklen_t pl = sizeof(*peer);
	int one = 1, fd, err = -10;

	*buf = malloc(65536);
	if (!*buf)
		return -9;
	*lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (*lfd < 0)
		goto out_free;
	if ((reuse && ul_setsockopt(*lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) ||
	    ul_bind(*lfd, (struct sockaddr *)&a, sizeof(a)) || ul_listen(*lfd, 4))
		goto out_close;
	*ready = 1;
	fd = ul_accept(*lfd, (struct sockaddr *)peer, peer ? &pl : NULL);
	if (fd >= 0)
		return fd;
	err = -11;
out_close:
	ul_close(*lfd);
out_free:
	free(*buf);
	*buf = NULL;
	return err;
}

/* The connecting half of a bulk client: waits (bounded, 1000 sleeps of 1 ms) for the
 * server's *@ready, then connects a TCP socket to @ip:@port, bound first to port
 * @cli_port of any address when @cli_port is not 0. Returns the socket, or -1 with errno
 * of the failing call (nothing left open). Context: a task. */
static inline int bulk_connect(const char *ip, int port, const int *ready, int cli_port)
{
	struct sockaddr_in to = ul_test_sin(ip, port), me = ul_test_sin("0.0.0.0", cli_port);
	int fd, guard = 0, err;

	while (!*ready && ++guard < 1000)
		ul_sleep(1000ULL * 1000ULL);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if ((cli_port && ul_bind(fd, (struct sockaddr *)&me, sizeof(me))) ||
	    ul_connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		err = errno;
		ul_close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* bulk_connect with a send buffer of @size bytes in *@buf (free it). Returns the socket,
 * or -19 (no memory) or -20 (connect failed, errno kept), nothing left open or
 * allocated. Context: a task. */
static inline int bulk_connect_buf(const char *ip, int port, const int *ready, int cli_port,
				   size_t size, unsigned char **buf)
{
	int fd, err;

	*buf = malloc(size);
	if (!*buf)
		return -19;
	fd = bulk_connect(ip, port, ready, cli_port);
	if (fd < 0) {
		err = errno;
		free(*buf);
		*buf = NULL;
		errno = err;
		return -20;
	}
	return fd;
}

/* The rest of a bulk server after bulk_accept_one: receives @fd to EOF with bulk_recv_all
 * into @buf (counts in *@received, *@bad_bytes, *@eof), frees @buf, closes @fd and the
 * listener @lfd. Returns 0, or 12 (a receive failed). Context: a task. */
static inline int bulk_recv_close(int fd, int lfd, unsigned char *buf, size_t *received,
				  int *bad_bytes, int *eof)
{
	int rc = bulk_recv_all(fd, buf, received, bad_bytes, eof) ? 12 : 0;

	free(buf);
	ul_close(fd);
	ul_close(lfd);
	return rc;
}

/* The receiving end of a bulk transfer, as a task: listens on @ip:@port, sets *@ready,
 * accepts one connection and receives it to EOF with bulk_recv_all (counts in *@received,
 * *@bad_bytes, *@eof), closes both sockets. Returns 0, or 9 (no memory), 10 (socket, bind
 * or listen), 11 (accept failed), 12 (a receive failed). Context: a task. */
static inline int bulk_serve_one(const char *ip, int port, int *ready, size_t *received,
				 int *bad_bytes, int *eof)
{
	unsigned char *buf;
	int lfd, fd;

	fd = bulk_accept_one(ip, port, 0, ready, &lfd, NULL, &buf);
	if (fd < 0)
		return -fd;
	return bulk_recv_close(fd, lfd, buf, received, bad_bytes, eof);
}

/* bulk_serve_one for the loss tests: the listener with SO_REUSEADDR when @reuse, a failed
 * receive's errno in *@rx_err (the task still returns 0), and in *@had_ofo (NULL: not
 * asked) whether the accepted socket ended with its tcp_ofo_state (out-of-order and
 * loss-recovery state) allocated. Context: a task. */
static inline int bulk_serve_one_state(const char *ip, int port, int reuse, int *ready,
				       size_t *received, int *bad_bytes, int *eof, int *rx_err,
				       bool *had_ofo)
{
	unsigned char *buf;
	int lfd, fd = bulk_accept_one(ip, port, reuse, ready, &lfd, NULL, &buf);

	if (fd < 0)
		return -fd;
	if (bulk_recv_all(fd, buf, received, bad_bytes, eof))
		*rx_err = errno;
	if (had_ofo)
		*had_ofo = tcp_sk(sk_of(fd))->ofo != NULL;
	free(buf);
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

/* The sending end of a bulk transfer, as a task: connects to @ip:@port once *@ready is
 * set, sends the @total bytes of the stream in writes of at most @chunk bytes (progress in
 * *@sent) and closes. Returns 0; *@err gets the errno of a failed connect or send.
 * Context: a task. */
static inline int bulk_send_one(const char *ip, int port, const int *ready, size_t chunk,
				size_t total, size_t *sent, int *err)
{
	unsigned char *buf;
	int fd;

	fd = bulk_connect_buf(ip, port, ready, 0, chunk, &buf);
	if (fd < 0) {
		*err = errno;
		return -fd;
	}
	if (bulk_send_all(fd, buf, chunk, total, sent))
		*err = errno;
	free(buf);
	ul_close(fd);
	return 0;
}

/* Checks the end of a bulk transfer: all @total bytes arrived, none bad, then EOF. */
static inline void bulk_assert_intact(size_t total, size_t received, int bad_bytes, int eof)
{
	assert_int_equal(received, total);
	assert_int_equal(bad_bytes, 0);
	assert_int_equal(eof, 1);
}

/* Namespaces "a" and "b" joined by a veth pair, @net.1/24 on veth0 in a and @net.2/24 on
 * veth1 in b (@net: three octets, "10.1.0"), both up; @offload, when not NULL, is
 * ethtool -K's words for veth0 ("tso off"), applied before veth0 goes up. */
static inline void bulk_veth_up(const char *net, const char *offload)
{
	char line[128];

	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("b"), 0);
	assert_int_equal(run_cmd("a", "ip link add veth0 type veth peer name veth1 netns b"), 0);
	snprintf(line, sizeof(line), "ip addr add %s.1/24 dev veth0", net);
	assert_int_equal(run_cmd("a", line), 0);
	if (offload) {
		snprintf(line, sizeof(line), "ethtool -K veth0 %s", offload);
		assert_int_equal(run_cmd("a", line), 0);
	}
	assert_int_equal(run_cmd("a", "ip link set veth0 up"), 0);
	snprintf(line, sizeof(line), "ip addr add %s.2/24 dev veth1", net);
	assert_int_equal(run_cmd("b", line), 0);
	assert_int_equal(run_cmd("b", "ip link set veth1 up"), 0);
}

/* Undoes bulk_veth_up after @settle of simulated time (the close handshakes finish, so
 * no socket outlives the leak check). */
static inline void bulk_veth_down(uint64_t settle)
{
	ul_run_for(settle);
	assert_int_equal(run_cmd("b", "ip link del veth1"), 0);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

#endif
