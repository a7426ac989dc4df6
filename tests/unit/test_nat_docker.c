/* SPDX-License-Identifier: MIT */
/* Docker's own nat rules on a ulnet host: `-m addrtype --dst-type LOCAL -j DOCKER` from
 * PREROUTING and OUTPUT, a DOCKER chain holding the published port's DNAT, MASQUERADE for
 * the containers. A process on the host connecting to its own address:8080 reaches the
 * container because the nat table's LOCAL_OUT hook routes the DNATed packet again
 * (nf_nat_ipv4_local_fn -> ip_route_me_harder): it leaves by the bridge, not by lo.
 * Mirrors the behaviour of linux/net/ipv4/netfilter/iptable_nat.c, netfilter.c and
 * net/netfilter/xt_addrtype.c (3.10) as `dockerd` (1.x) configures them.
 *
 * Topology (as test_nat.c): container c (10.0.0.1) on br0 of host r (10.0.0.254,
 * forwarding), r's uplink r1 (192.168.1.1) to outside host o (192.168.1.2). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "nf_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)

static void cmd_ok(const char *ns, const char *line)
{
	assert_int_equal(run_cmd(ns, line), 0);
}

static char *cmd_out(const char *ns, const char *line)
{
	char *out = NULL;

	assert_int_equal(ul_cmd(ns, line, &out), 0);
	return out;
}

static int setup(void **state)
{
	static const char *const host[] = {
		"ip link add br0 type bridge",
		"ip link add vc type veth peer name eth0 netns c",
		"ip link add vc2 type veth peer name eth0 netns c2",
		"ip link add r1 type veth peer name eth0 netns o",
		"ip link set vc master br0", "ip link set vc2 master br0",
		"ip addr add 10.0.0.254/24 dev br0", "ip addr add 192.168.1.1/24 dev r1",
		"ip link set lo up", "ip link set br0 up", "ip link set vc up",
		"ip link set vc2 up", "ip link set r1 up",
		"sysctl -w net.ipv4.ip_forward=1",
		/* dockerd's rules, in its order. */
		"iptables -t nat -N DOCKER",
		"iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
		"iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
		"iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE",
		"iptables -t nat -A DOCKER -i br0 -j RETURN",
		"iptables -t nat -A DOCKER ! -i br0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.1:80",
	};
	int err = ul_test_setup_sim(state);
	size_t i;

	if (err)
		return err;
	if (ul_netns_add("c") || ul_netns_add("c2") || ul_netns_add("r") || ul_netns_add("o"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(host); i++)
		cmd_ok("r", host[i]);
	cmd_ok("c", "ip addr add 10.0.0.1/24 dev eth0");
	cmd_ok("c2", "ip addr add 10.0.0.3/24 dev eth0");
	cmd_ok("o", "ip addr add 192.168.1.2/24 dev eth0");
	cmd_ok("c", "ip link set eth0 up");
	cmd_ok("c2", "ip link set eth0 up");
	cmd_ok("o", "ip link set eth0 up");
	cmd_ok("c", "ip route add default via 10.0.0.254");
	cmd_ok("c2", "ip route add default via 10.0.0.254");
	ul_run_for(MS);
	return 0;
}

static int teardown(void **state)
{
	static const char *const names[] = { "c", "c2", "r", "o" };

	return nf_test_teardown_netns(state, names, ARRAY_SIZE(names));
}

/* @total bytes from @cli_ns (bound to @cli_port) to @dst_ip:8080, served by c:80. */
static void xfer(const char *cli_ns, const char *dst_ip, int cli_port, size_t total)
{
	struct nf_xfer x = { .dst_ip = dst_ip, .dst_port = 8080, .srv_port = 80,
			     .cli_port = cli_port, .total = total };

	nf_xfer_run(cli_ns, "c", &x);
}

/* The rules list as iptables 1.4.21 prints Docker's. */
static void test_nat_docker_rules_listed(void **state)
{
	char *out;

	(void)state;
	out = cmd_out("r", "iptables -t nat -L -n");
	assert_string_equal(out,
		"Chain PREROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"DOCKER     all  --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL\n"
		"\n"
		"Chain INPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"\n"
		"Chain OUTPUT (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"DOCKER     all  --  0.0.0.0/0           !127.0.0.0/8          ADDRTYPE match dst-type LOCAL\n"
		"\n"
		"Chain POSTROUTING (policy ACCEPT)\n"
		"target     prot opt source               destination         \n"
		"MASQUERADE  all  --  10.0.0.0/24          0.0.0.0/0           \n"
		"\n"
		"Chain DOCKER (2 references)\n"
		"target     prot opt source               destination         \n"
		"RETURN     all  --  0.0.0.0/0            0.0.0.0/0           \n"
		"DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:10.0.0.1:80\n");
	free(out);
}

/* A process on the host connects to the host's own address, port 8080: OUTPUT's DNAT
 * sends it to the container (1 MiB byte-exact), by br0 (re-routed), and the container's
 * answers come back translated (the connection completes). Then the same through the
 * bridge's address, and from outside through PREROUTING. */
static void test_nat_docker_local_connect(void **state)
{
	char *out;

	(void)state;
	xfer("r", "192.168.1.1", 40000, 1 << 20);
	out = cmd_out("r", "conntrack -L -p tcp");
	assert_non_null(strstr(out, " src=192.168.1.1 dst=192.168.1.1 sport=40000 dport=8080 src=10.0.0.1 dst=192.168.1.1 sport=80 dport=40000 [ASSURED] mark=0 use=1\n"));
	free(out);
	xfer("r", "10.0.0.254", 40001, 100000);
	out = cmd_out("r", "conntrack -L -p tcp");
	assert_non_null(strstr(out, " src=10.0.0.254 dst=10.0.0.254 sport=40001 dport=8080 src=10.0.0.1 dst=10.0.0.254 sport=80 dport=40001 [ASSURED] mark=0 use=1\n"));
	free(out);
	xfer("o", "192.168.1.1", 40002, 100000);
	out = cmd_out("r", "conntrack -L -p tcp");
	assert_non_null(strstr(out, " src=192.168.1.2 dst=192.168.1.1 sport=40002 dport=8080 src=10.0.0.1 dst=192.168.1.2 sport=80 dport=40002 [ASSURED] mark=0 use=1\n"));
	free(out);
	/* Each connection's first packet took DOCKER's DNAT: two from OUTPUT, one from
	 * PREROUTING. */
	out = cmd_out("r", "iptables -t nat -L -n -v -x");
	assert_non_null(strstr(out, "Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"       2      120 DOCKER     all  --  *      *       0.0.0.0/0           !127.0.0.0/8          ADDRTYPE match dst-type LOCAL\n"));
	assert_non_null(strstr(out, "       3      180 DNAT       tcp  --  !br0   *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:10.0.0.1:80\n"));
	free(out);
}

/* What Docker's rules leave alone: 127.0.0.1:8080 (! -d 127.0.0.0/8) and a container
 * reaching the host's port 8080 (DOCKER's `-i br0 -j RETURN`) go to the host itself,
 * where nothing listens: connection refused. */
static void test_nat_docker_not_translated(void **state)
{
	struct sockaddr_in lo = ul_test_sin("127.0.0.1", 8080);
	struct sockaddr_in pub = ul_test_sin("192.168.1.1", 8080);
	struct sockaddr_in srv = ul_test_sin("0.0.0.0", 80);
	int lfd, fd, err = -1;
	socklen_t l = sizeof(err);
	char *out;

	(void)state;
	current->net = ul_net_by_name("c");
	lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&srv, sizeof(srv)), 0);
	assert_int_equal(ul_listen(lfd, 4), 0);

	current->net = ul_net_by_name("r");
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&lo, sizeof(lo)), EINPROGRESS);
	ul_run_for(5 * MS);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, ECONNREFUSED);
	ul_close(fd);

	current->net = ul_net_by_name("c2");
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&pub, sizeof(pub)), EINPROGRESS);
	ul_run_for(5 * MS);
	err = -1;
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, ECONNREFUSED);
	ul_close(fd);
	current->net = ul_net_by_name("c");
	ul_close(lfd);

	out = cmd_out("r", "iptables -t nat -L DOCKER -n -v -x");
	assert_string_equal(out,
		"Chain DOCKER (2 references)\n"
		"    pkts      bytes target     prot opt in     out     source               destination         \n"
		"       1       60 RETURN     all  --  br0    *       0.0.0.0/0            0.0.0.0/0           \n"
		"       0        0 DNAT       tcp  --  !br0   *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:10.0.0.1:80\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nat_docker_rules_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_docker_local_connect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_docker_not_translated, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
