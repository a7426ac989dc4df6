/* SPDX-License-Identifier: MIT */
/* Test helpers shared by the TCP data tests (test_tcp_*.c, test_syncookies.c, the
 * test_sock_tcp_*.c helpers): a socket's struct sock, the byte pattern of a bulk
 * transfer's stream with its sender and checking receiver loops, a server and a client
 * task run to completion, a `ulnet` command line run in a namespace.
 * Mirrors no kernel file. Static inline, as net_testutil.h. */
#ifndef ULNET_TEST_TCP_BULK_TESTUTIL_H
#define ULNET_TEST_TCP_BULK_TESTUTIL_H
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/fs.h"
#include "linux/net.h"
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
	size_t n = total - sent < chunk ? total - sent : chunk, i;

	for (i = 0; i < n; i++)
		buf[i] = bulk_pattern(sent + i);
	return ul_send(fd, buf, n, 0);
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

/* The receiving end of a bulk transfer, as a task: listens on @ip:@port, sets *@ready,
 * accepts one connection and receives it to EOF with bulk_recv_all (counts in *@received,
 * *@bad_bytes, *@eof), closes both sockets. Returns 0, or 9 (no memory), 10 (socket, bind
 * or listen), 11 (accept or receive failed). Context: a task. */
static inline int bulk_serve_one(const char *ip, int port, int *ready, size_t *received,
				 int *bad_bytes, int *eof)
{
	struct sockaddr_in a;
	unsigned char *buf = malloc(65536);
	int lfd, fd, rc = 0;

	if (!buf)
		return 9;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &a.sin_addr);
	lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&a, sizeof(a)) || ul_listen(lfd, 4)) {
		free(buf);
		return 10;
	}
	*ready = 1;
	fd = ul_accept(lfd, NULL, NULL);
	if (fd < 0 || bulk_recv_all(fd, buf, received, bad_bytes, eof))
		rc = 11;
	free(buf);
	if (fd >= 0)
		ul_close(fd);
	ul_close(lfd);
	return rc;
}

#endif
