/* SPDX-License-Identifier: MIT */
/* Test helpers for tests that send IPv4 traffic: a namespace with lo up as cmocka
 * setup/teardown, sockaddr_in and bound-UDP-socket makers, an errno assert.
 * Mirrors no kernel file. Static inline, as ip_testdev.h: a test that does not include it
 * does not link the socket layer (boot initialises what is linked, through weak symbols). */
#ifndef ULNET_TEST_NET_TESTUTIL_H
#define ULNET_TEST_NET_TESTUTIL_H
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"

/* Create namespace @name and bring its lo up; *@netp is the namespace. 0 or -Exxx. */
static inline int ul_test_netns_up(const char *name, struct net **netp)
{
	int err = ul_netns_add(name);

	if (err)
		return err;
	*netp = ul_net_by_name(name);
	if (!*netp)
		return -ENOENT;
	rtnl_lock();
	err = dev_open((*netp)->loopback_dev);
	rtnl_unlock();
	return err;
}

/* cmocka setup: @boot (ul_test_setup_sim or ul_test_setup_posix), then ul_test_netns_up(@name)
 * and make it the current task's namespace (routes and inet_peer entries go with it). */
static inline int ul_test_setup_netns(void **state, int (*boot)(void **),
				      const char *name, struct net **netp)
{
	int err = boot(state);

	if (err)
		return err;
	err = ul_test_netns_up(name, netp);
	if (err)
		return err;
	current->net = *netp;
	return 0;
}

/* Close every fd a failed test may have left open, let @settle_ns of the stack's clock run
 * (the RSTs and timers of closed TCP sockets), leave the namespace and delete @name
 * (asserted), then wait (at most 10 s of the stack's clock) until the namespace is gone: it
 * goes with its last socket, and a closing TCP socket may still wait for a retransmission
 * (a FIN that reaches the peer just after the peer's close turned it into a TIME_WAIT sock
 * finds the full socket already closed and is discarded, as on SMP Linux; the sender's RTO
 * sends it again). The sim's run_until_idle runs such timers; on posix the leak check would
 * find the socket, its namespace and the namespace's TIME_WAIT socks still there. The first
 * half of a teardown, for tests that check more before the leak check. */
static inline void ul_test_leave_netns(const char *name, u64 settle_ns)
{
	struct net *net = ul_net_by_name(name);
	int fd, guard = 0;

	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	if (settle_ns)
		ul_run_for(settle_ns);
	current->net = NULL;
	assert_int_equal(ul_netns_del(name), 0);
	while (ul_net_listed(net) && ++guard <= 10000)
		ul_run_for(1000ULL * 1000);
}

/* cmocka teardown of ul_test_setup_netns: ul_test_leave_netns, then ul_test_teardown's leak
 * check. */
static inline int ul_test_teardown_netns_after(void **state, const char *name, u64 settle_ns)
{
	ul_test_leave_netns(name, settle_ns);
	return ul_test_teardown(state);
}

static inline int ul_test_teardown_netns(void **state, const char *name)
{
	return ul_test_teardown_netns_after(state, name, 0);
}

/* AF_INET address @ip ("127.0.0.1") and @port (host order). */
static inline struct sockaddr_in ul_test_sin(const char *ip, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

/* A UDP socket bound to @ip:@port (asserted). */
static inline int ul_test_udp_bound(const char *ip, int port)
{
	struct sockaddr_in sin = ul_test_sin(ip, port);
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

/* Enter namespace @ns (the current task's, for what follows) and open a UDP socket there,
 * bound to 0.0.0.0:@port unless @port is 0 (asserted). */
static inline int ul_test_udp_socket_in(const char *ns, int port)
{
	int fd;

	current->net = ul_net_by_name(ns);
	if (port)
		return ul_test_udp_bound("0.0.0.0", port);
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	return fd;
}

/* The ul_* @call fails with -1 and errno @e (errno is cleared first, so that a stale value
 * cannot pass). A macro, so that cmocka names the caller's line. */
#define assert_errno(call, e)                      \
	do {                                       \
		errno = 0;                         \
		assert_int_equal((call), -1);      \
		assert_int_equal(errno, (e));      \
	} while (0)

/* The echo clients' part of an echo-server test: each of the @n connected stream sockets
 * @fds writes "client-I", then each reads its echo back; all are closed. Returns how many
 * got their own message back, or -1 when a write failed. Context: a task. */
static inline int ul_test_echo_roundtrip(const int *fds, int n)
{
	char msg[32], buf[32];
	int i, ok = 0;

	for (i = 0; i < n; i++) {
		int len = snprintf(msg, sizeof(msg), "client-%d", i);

		if (ul_write(fds[i], msg, (size_t)len) != len)
			return -1;
	}
	for (i = 0; i < n; i++) {
		int len = snprintf(msg, sizeof(msg), "client-%d", i);

		if (ul_read(fds[i], buf, sizeof(buf)) == len && !memcmp(buf, msg, (size_t)len))
			ok++;
	}
	for (i = 0; i < n; i++)
		ul_close(fds[i]);
	return ok;
}

#endif
