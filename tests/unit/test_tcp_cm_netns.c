/* SPDX-License-Identifier: MIT */
/* TCP sockets and the lifetime of their namespace: a namespace deleted (ip netns del)
 * while its TCP sockets still finish their close lives until the last of them is gone, and
 * dies outside the packet that freed that socket.
 * Mirrors the behaviour of linux/net/core/sock.c (sk_alloc's get_net, __sk_free's put_net)
 * and net/core/net_namespace.c (__put_net defers cleanup_net) of 3.10. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "n", &tnet);
}

static int teardown(void **state)
{
	int fd;

	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	current->net = NULL;
	ul_netns_del("n");	/* already gone in most tests: the answer does not matter */
	ul_run_for(200 * SEC);
	tnet = NULL;
	return ul_test_teardown(state);
}

/* @n clients connected to a listener on @port: lfd, then cfd[i], sfd[i]. */
static void pairs(int port, int n, int *lfd, int *cfd, int *sfd)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);
	int i;

	*lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*lfd >= 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(*lfd, 16), 0);
	for (i = 0; i < n; i++) {
		cfd[i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(cfd[i] >= 0);
		assert_int_equal(ul_connect(cfd[i], (struct sockaddr *)&a, sizeof(a)), -1);
		assert_int_equal(errno, EINPROGRESS);
	}
	ul_run_for(MS);
	for (i = 0; i < n; i++) {
		sfd[i] = ul_accept(*lfd, NULL, NULL);
		assert_true(sfd[i] >= 0);
	}
}

/* Segments over lo arrive 1 ms later, from the qdisc's timer: a segment is then
 * processed in softirq with no task owning its socket (without the delay, the answer to a
 * close() would reach the socket's backlog while close() still holds it). */
static void netem_delay(void)
{
	char *out = NULL;

	assert_int_equal(ul_cmd("n", "tc qdisc add dev lo root netem delay 1ms", &out), 0);
	free(out);
}

static bool ns_listed(struct net *net)
{
	struct net *it;

	for_each_net(it)
		if (it == net)
			return true;
	return false;
}

/* The namespace is deleted (ip netns del) while its sockets are open; then the clients
 * close (TIME_WAIT), the listener, and the servers (LAST_ACK). The last server sock is
 * freed by the client's final ACK inside tcp_v4_rcv: its sock_put drops the namespace's
 * last reference in the middle of the receive path. Under ASan this was a use-after-free
 * in ip_local_deliver_finish (3.10 frees a namespace from a workqueue, never in softirq). */
static void test_netns_del_then_close(void **state)
{
	int lfd, cfd[4], sfd[4], i;

	(void)state;
	pairs(7000, 4, &lfd, cfd, sfd);
	netem_delay();
	current->net = NULL;
	assert_int_equal(ul_netns_del("n"), 0);
	/* The name goes at once; the namespace lives while its sockets do. */
	assert_null(ul_net_by_name("n"));
	assert_true(ns_listed(tnet));
	for (i = 0; i < 4; i++)
		assert_int_equal(ul_close(cfd[i]), 0);
	assert_int_equal(ul_close(lfd), 0);
	ul_run_for(10 * MS);
	/* Four orphans in FIN_WAIT2 (TIME_WAIT socks), four servers in CLOSE_WAIT. */
	assert_int_equal(inet_twsk_alive(), 4);
	assert_true(ns_listed(tnet));
	for (i = 0; i < 3; i++)
		assert_int_equal(ul_close(sfd[i]), 0);
	ul_run_for(10 * MS);
	assert_true(ns_listed(tnet));
	assert_int_equal(ul_close(sfd[3]), 0);
	/* FIN at +1 ms, the final ACK at +2 ms frees the last sock in softirq. */
	ul_run_for(2 * MS);
	/* The cleanup waits for the softirq to finish: it runs from an event "now". */
	ul_run_for(MS);
	/* The last sock went: so did the namespace, and with it the TIME_WAIT socks
	 * (inet_twsk_purge) before their 60 s. */
	assert_false(ns_listed(tnet));
	assert_int_equal(inet_twsk_alive(), 0);
}

/* The listener closes last, with an accepted child never accepted by the program: the
 * child is destroyed by inet_csk_listen_stop, the listener by the close. */
static void test_netns_del_listener_last(void **state)
{
	int lfd, cfd[2], sfd[2];

	(void)state;
	pairs(7001, 2, &lfd, cfd, sfd);
	netem_delay();
	current->net = NULL;
	assert_int_equal(ul_netns_del("n"), 0);
	assert_int_equal(ul_close(cfd[0]), 0);
	assert_int_equal(ul_close(cfd[1]), 0);
	assert_int_equal(ul_close(sfd[0]), 0);
	assert_int_equal(ul_close(sfd[1]), 0);
	ul_run_for(10 * MS);
	assert_true(ns_listed(tnet));
	assert_int_equal(ul_close(lfd), 0);
	ul_run_for(10 * MS);
	assert_false(ns_listed(tnet));
	assert_int_equal(inet_twsk_alive(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_netns_del_then_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_del_listener_last, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
