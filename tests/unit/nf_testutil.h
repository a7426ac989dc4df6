/* SPDX-License-Identifier: MIT */
/* Test helpers of the netfilter tests (test_nat_docker.c, test_nf_tcp_window.c): a bulk
 * TCP transfer through a NAT host (a listener task on 0.0.0.0:PORT in one namespace, a
 * client task in another connecting to an address that NAT may rewrite, the bytes checked
 * with tcp_bulk_testutil.h's pattern), and the teardown of a test's namespaces.
 * Mirrors no kernel file. Static inline, as net_testutil.h. */
#ifndef ULNET_TEST_NF_TESTUTIL_H
#define ULNET_TEST_NF_TESTUTIL_H
#include <stdlib.h>
#include "harness.h"
#include "net_testutil.h"
#include "tcp_bulk_testutil.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

/* One transfer: the client (optionally bound to @cli_port) sends @total bytes to
 * @dst_ip:@dst_port; the server listens on 0.0.0.0:@srv_port. */
struct nf_xfer {
	const char *dst_ip;
	int dst_port;
	int srv_port;
	int cli_port;		/* 0: an ephemeral port */
	size_t total;
	int ready;		/* set by the server once it listens */
	size_t received;
	int bad_bytes;
	int eof;
};

static inline int nf_xfer_server(void *arg)
{
	struct nf_xfer *x = arg;

	return bulk_serve_one("0.0.0.0", x->srv_port, &x->ready, &x->received, &x->bad_bytes,
			      &x->eof);
}

/* Returns 0 once every byte was sent and the socket closed; 19 no memory, 20 socket,
 * bind or connect failed, 21 a send failed. Bounded. Context: a task. */
static inline int nf_xfer_client(void *arg)
{
	struct nf_xfer *x = arg;
	struct sockaddr_in to = ul_test_sin(x->dst_ip, x->dst_port);
	struct sockaddr_in me = ul_test_sin("0.0.0.0", x->cli_port);
	const size_t chunk = 65536;
	unsigned char *buf = malloc(chunk);
	size_t sent = 0;
	int fd, guard;

	if (!buf)
		return 19;
	for (guard = 0; !x->ready && guard < 100; guard++)
		ul_sleep(1000ULL * 1000ULL);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || (x->cli_port && ul_bind(fd, (struct sockaddr *)&me, sizeof(me))) ||
	    ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		free(buf);
		return 20;
	}
	for (guard = 0; sent < x->total && guard < 100000; guard++) {
		ssize_t w = bulk_send_next(fd, buf, chunk, x->total, sent);

		if (w <= 0)
			break;
		sent += (size_t)w;
	}
	free(buf);
	ul_close(fd);
	return sent == x->total ? 0 : 21;
}

/* Runs @x from @cli_ns to a server in @srv_ns; asserts every byte arrived intact. */
static inline void nf_xfer_run(const char *cli_ns, const char *srv_ns, struct nf_xfer *x)
{
	bulk_run_tasks(cli_ns, srv_ns, nf_xfer_server, nf_xfer_client, x);
	assert_int_equal(x->received, x->total);
	assert_int_equal(x->bad_bytes, 0);
	assert_int_equal(x->eof, 1);
}

/* cmocka teardown: let 100 ms run (closing connections), delete the @n namespaces
 * @names, then ul_test_teardown's leak check. */
static inline int nf_test_teardown_netns(void **state, const char *const *names, size_t n)
{
	size_t i;

	current->net = &init_net;
	ul_run_for(100ULL * 1000ULL * 1000ULL);
	for (i = 0; i < n; i++)
		ul_netns_del(names[i]);
	ul_run_for(1000ULL * 1000ULL);
	return ul_test_teardown(state);
}

#endif
