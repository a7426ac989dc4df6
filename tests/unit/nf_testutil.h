/* SPDX-License-Identifier: MIT */
/* Test helpers of the netfilter tests (test_nat.c, test_iptables.c, test_nf_tcp.c,
 * test_nat_docker.c, test_nf_tcp_window.c): `ulnet` command lines asserted to succeed
 * (with their output) or to fail with a given message, a bulk TCP transfer through a NAT host (a listener task on 0.0.0.0:PORT in one namespace, a
 * client task in another connecting to an address that NAT may rewrite, the bytes checked
 * with tcp_bulk_testutil.h's pattern), and the teardown of a test's namespaces.
 * Mirrors no kernel file. Static inline, as net_testutil.h. */
#ifndef ULNET_TEST_NF_TESTUTIL_H
#define ULNET_TEST_NF_TESTUTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "tcp_bulk_testutil.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

/* @line in @ns succeeds (its output printed when not). */
static inline void nf_cmd_ok(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		fprintf(stderr, "%s: %s -> %d: %s", ns, line, err, out ? out : "");
	assert_int_equal(err, 0);
	free(out);
}

/* @line in @ns succeeds; its output (free it). */
static inline char *nf_cmd_out(const char *ns, const char *line)
{
	char *out = NULL;

	assert_int_equal(ul_cmd(ns, line, &out), 0);
	return out;
}

/* @line in @ns fails with @err and prints exactly @msg. */
static inline void nf_cmd_fails(const char *ns, const char *line, int err, const char *msg)
{
	char *out = NULL;
	int ret = ul_cmd(ns, line, &out);

	if (ret != err || !out || strcmp(out, msg))
		fprintf(stderr, "%s -> %d: [%s]\n", line, ret, out ? out : "");
	assert_int_equal(ret, err);
	assert_string_equal(out, msg);
	free(out);
}

/* @line in @ns succeeds and its output holds @want. */
static inline void nf_expect_in(const char *ns, const char *line, const char *want)
{
	char *out = NULL;

	/* Not through nf_cmd_out: gcc -O2 inlines it and then warns of a dangling pointer
	 * to its local (a false -Wdangling-pointer). */
	assert_int_equal(ul_cmd(ns, line, &out), 0);
	if (!strstr(out, want))
		fprintf(stderr, "want [%s] in:\n%s", want, out);
	assert_non_null(strstr(out, want));
	free(out);
}

/* The NAT tests' network: hosts c (10.0.0.1) and c2 (10.0.0.3) on the bridge br0 of the
 * router r (10.0.0.254, their default route); r's r1 (192.168.1.1) leads to the outside
 * host o (192.168.1.2); r forwards. Returns 0, or -1 when a namespace could not be made;
 * every command is asserted. */
static inline int nf_nat_net_up(void)
{
	if (ul_netns_add("c") || ul_netns_add("c2") || ul_netns_add("r") || ul_netns_add("o"))
		return -1;
	nf_cmd_ok("r", "ip link add br0 type bridge");
	nf_cmd_ok("r", "ip link add vc type veth peer name eth0 netns c");
	nf_cmd_ok("r", "ip link add vc2 type veth peer name eth0 netns c2");
	nf_cmd_ok("r", "ip link add r1 type veth peer name eth0 netns o");
	nf_cmd_ok("r", "ip link set vc master br0");
	nf_cmd_ok("r", "ip link set vc2 master br0");
	nf_cmd_ok("r", "ip addr add 10.0.0.254/24 dev br0");
	nf_cmd_ok("r", "ip addr add 192.168.1.1/24 dev r1");
	nf_cmd_ok("c", "ip addr add 10.0.0.1/24 dev eth0");
	nf_cmd_ok("c2", "ip addr add 10.0.0.3/24 dev eth0");
	nf_cmd_ok("o", "ip addr add 192.168.1.2/24 dev eth0");
	nf_cmd_ok("r", "ip link set br0 up");
	nf_cmd_ok("r", "ip link set vc up");
	nf_cmd_ok("r", "ip link set vc2 up");
	nf_cmd_ok("r", "ip link set r1 up");
	nf_cmd_ok("c", "ip link set eth0 up");
	nf_cmd_ok("c2", "ip link set eth0 up");
	nf_cmd_ok("o", "ip link set eth0 up");
	nf_cmd_ok("c", "ip route add default via 10.0.0.254");
	nf_cmd_ok("c2", "ip route add default via 10.0.0.254");
	nf_cmd_ok("r", "sysctl -w net.ipv4.ip_forward=1");
	return 0;
}

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
	unsigned char *buf;
	size_t sent = 0;
	int fd, rc;

	fd = bulk_connect_buf(x->dst_ip, x->dst_port, &x->ready, x->cli_port, 65536, &buf);
	if (fd < 0)
		return -fd;
	rc = bulk_send_all(fd, buf, 65536, x->total, &sent) ? 21 : 0;
	free(buf);
	ul_close(fd);
	return rc;
}

/* Runs @x from @cli_ns to a server in @srv_ns; asserts every byte arrived intact. */
static inline void nf_xfer_run(const char *cli_ns, const char *srv_ns, struct nf_xfer *x)
{
	bulk_run_tasks(cli_ns, srv_ns, nf_xfer_server, nf_xfer_client, x);
	bulk_assert_intact(x->total, x->received, x->bad_bytes, x->eof);
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
