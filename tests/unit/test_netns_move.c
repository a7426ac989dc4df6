/* SPDX-License-Identifier: MIT */
/* Moving devices between namespaces (ip link set DEV netns NS): a veth end moved into
 * another namespace loses its addresses and routes, keeps its ifindex when free, and then
 * carries UDP between the two namespaces; a dummy moves too; lo refuses (-EINVAL,
 * NETIF_F_NETNS_LOCAL); a name taken in the target is -EEXIST unless "name NEW" is given.
 * Mirrors the behaviour of linux/net/core/dev.c dev_change_net_namespace (3.10) and
 * rtnetlink's do_setlink (the IFLA_NET_NS_FD part). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/in.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/veth.h"
#include "net/inetdevice.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

static int run_ip_out(const char *ns, const char *line, char **outp)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (outp)
		*outp = out;
	else
		free(out);
	return err;
}

static int run_ip(const char *ns, const char *line)
{
	return run_ip_out(ns, line, NULL);
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	err = ul_netns_add("a");
	if (!err)
		err = ul_netns_add("b");
	return err;
}

static int teardown(void **state)
{
	int fd;

	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	ul_netns_del("a");
	ul_netns_del("b");
	return ul_test_teardown(state);
}

static void test_lo_refuses(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	char *out = NULL;

	(void)state;
	assert_int_equal(run_ip_out("a", "ip link set lo netns b", &out), -EINVAL);
	assert_non_null(out);
	assert_non_null(strstr(out, "RTNETLINK answers: Invalid argument"));
	free(out);
	assert_ptr_equal(dev_net(a->loopback_dev), a);
	assert_ptr_equal(__dev_get_by_name(b, "lo"), b->loopback_dev);
	/* A namespace that does not exist. */
	assert_int_equal(run_ip("a", "ip link add d0 type dummy"), 0);
	assert_int_not_equal(run_ip("a", "ip link set d0 netns nowhere"), 0);
	assert_non_null(__dev_get_by_name(a, "d0"));
}

struct udp_args {
	int rc;
	char got[32];
};

/* In namespace b: answer one datagram on port 7. */
static int udp_echo_once(void *arg)
{
	struct udp_args *u = arg;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7) }, peer;
	socklen_t len = sizeof(peer);
	char buf[64];
	ssize_t n;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	u->rc = -1;
	if (fd < 0 || ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return 1;
	n = ul_recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);
	if (n > 0 && ul_sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, len) == n)
		u->rc = 0;
	ul_close(fd);
	return 0;
}

/* In namespace a: send to 10.1.0.2:7 and read the echo. */
static int udp_client(void *arg)
{
	struct udp_args *u = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7) };
	static const char msg[] = "moved end";
	ssize_t n;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	u->rc = -1;
	if (fd < 0)
		return 1;
	to.sin_addr.s_addr = htonl(0x0a010002);
	if (ul_sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) ==
	    (ssize_t)sizeof(msg)) {
		n = ul_recv(fd, u->got, sizeof(u->got), 0);
		if (n == (ssize_t)sizeof(msg) && !memcmp(u->got, msg, sizeof(msg)))
			u->rc = 0;
	}
	ul_close(fd);
	return 0;
}

static void test_veth_end_moves_and_carries_udp(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct udp_args srv = { .rc = -2 }, cli = { .rc = -2 };
	struct net_device *v0, *v1;
	struct ul_task *ts, *tc;
	char *out = NULL;
	int ifindex;

	(void)state;
	assert_int_equal(run_ip("a", "ip link add veth0 type veth peer name veth1"), 0);
	v0 = __dev_get_by_name(a, "veth0");
	v1 = __dev_get_by_name(a, "veth1");
	assert_non_null(v0);
	assert_non_null(v1);
	ifindex = v1->ifindex;
	/* An address and its routes in a, which must not follow the device. */
	assert_int_equal(run_ip("a", "ip addr add 10.9.0.1/24 dev veth1"), 0);
	assert_int_equal(run_ip("a", "ip link set veth1 up"), 0);
	assert_int_equal(run_ip_out("a", "ip route show", &out), 0);
	assert_non_null(strstr(out, "10.9.0.0/24 dev veth1"));
	free(out);

	assert_int_equal(run_ip("a", "ip link set veth1 netns b"), 0);
	assert_null(__dev_get_by_name(a, "veth1"));
	assert_ptr_equal(__dev_get_by_name(b, "veth1"), v1);
	assert_ptr_equal(dev_net(v1), b);
	assert_ptr_equal(veth_peer(v0), v1);
	/* ifindex kept (free in b: b has only lo, 1), device down, no address. */
	assert_int_equal(v1->ifindex, ifindex);
	assert_ptr_equal(__dev_get_by_index(b, ifindex), v1);
	assert_false(v1->flags & IFF_UP);
	assert_non_null(__in_dev_get_rtnl(v1));
	assert_null(__in_dev_get_rtnl(v1)->ifa_list);
	assert_int_equal(run_ip_out("a", "ip route show", &out), 0);
	assert_null(strstr(out, "veth1"));
	free(out);
	assert_int_equal(run_ip_out("a", "ip link show", &out), 0);
	assert_null(strstr(out, "veth1"));
	free(out);
	assert_int_equal(run_ip_out("b", "ip link show", &out), 0);
	assert_non_null(strstr(out, "veth1"));
	free(out);
	/* Moving it where it is changes nothing. */
	assert_int_equal(run_ip("b", "ip link set veth1 netns b"), 0);

	assert_int_equal(run_ip("a", "ip addr add 10.1.0.1/24 dev veth0"), 0);
	assert_int_equal(run_ip("a", "ip link set veth0 up"), 0);
	assert_int_equal(run_ip("b", "ip addr add 10.1.0.2/24 dev veth1"), 0);
	assert_int_equal(run_ip("b", "ip link set veth1 up"), 0);

	ts = ul_task_spawn("b", "echo", 1, udp_echo_once, &srv);
	assert_non_null(ts);
	ul_run_for(1000000);
	tc = ul_task_spawn("a", "client", 0, udp_client, &cli);
	assert_non_null(tc);
	assert_int_equal(ul_task_join(tc), 0);
	assert_int_equal(ul_task_join(ts), 0);
	assert_int_equal(srv.rc, 0);
	assert_int_equal(cli.rc, 0);
	assert_int_equal(ul_netns_del("b"), 0);
	assert_int_equal(ul_netns_del("a"), 0);
}

static void test_name_taken(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct net_device *d;

	(void)state;
	assert_int_equal(run_ip("a", "ip link add d0 type dummy"), 0);
	assert_int_equal(run_ip("b", "ip link add d0 type dummy"), 0);
	d = __dev_get_by_name(a, "d0");
	assert_non_null(d);
	assert_int_equal(run_ip("a", "ip link set d0 netns b"), -EEXIST);
	assert_ptr_equal(__dev_get_by_name(a, "d0"), d);
	/* With a new name it moves under that name; the ifindex is taken in b (both
	 * namespaces numbered their second device 2), so it gets a new one. */
	assert_int_equal(run_ip("a", "ip link set d0 netns b name d1"), 0);
	assert_null(__dev_get_by_name(a, "d0"));
	assert_ptr_equal(__dev_get_by_name(b, "d1"), d);
	assert_ptr_equal(__dev_get_by_index(b, d->ifindex), d);
	assert_ptr_not_equal(__dev_get_by_name(b, "d0"), d);
	assert_int_not_equal(__dev_get_by_name(b, "d0")->ifindex, d->ifindex);
	/* And back, under its new name, with an up in the same command. */
	assert_int_equal(run_ip("b", "ip link set d1 netns a up"), 0);
	assert_ptr_equal(__dev_get_by_name(a, "d1"), d);
	assert_true(d->flags & IFF_UP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lo_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_end_moves_and_carries_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_taken, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
