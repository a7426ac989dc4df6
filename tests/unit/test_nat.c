/* SPDX-License-Identifier: MIT */
/* NAT on a Docker-like host: containers c (10.0.0.1) and c2 (10.0.0.3) on the bridge br0
 * of host r (10.0.0.254, forwarding), r's uplink r1 (192.168.1.1) to an outside host o
 * (192.168.1.2) that has no route to 10.0.0.0/24. MASQUERADE hides the containers behind
 * 192.168.1.1 (a second flow with the same source port is remapped, to 1024 as 3.10's
 * first rover position), replies are translated back through conntrack; DNAT publishes
 * c's port 80 as 192.168.1.1:8080. The receivers' UDP checksum checks prove the
 * incremental checksum updates. Also the nat table's listing and its rule errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)

static void cmd_ok(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		fprintf(stderr, "%s: %s -> %d: %s", ns, line, err, out ? out : "");
	assert_int_equal(err, 0);
	free(out);
}

static void send_to(const char *ns, int fd, const char *ip, int port, const char *msg)
{
	struct sockaddr_in dst = ul_test_sin(ip, port);

	current->net = ul_net_by_name(ns);
	assert_int_equal(ul_sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&dst,
				   sizeof(dst)), (int)strlen(msg));
	ul_run_for(20 * MS);
}

/* Receive one datagram on @fd in @ns: "ip:port" of its sender in @from; its length. */
static int recv_from(const char *ns, int fd, char *from, size_t len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	char buf[64], a[INET_ADDRSTRLEN];
	ssize_t r;

	current->net = ul_net_by_name(ns);
	r = ul_recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sin, &sl);
	if (r < 0)
		return -errno;
	inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
	snprintf(from, len, "%s:%u", a, ntohs(sin.sin_port));
	return (int)r;
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	if (ul_netns_add("c") || ul_netns_add("c2") || ul_netns_add("r") || ul_netns_add("o"))
		return -1;
	cmd_ok("r", "ip link add br0 type bridge");
	cmd_ok("r", "ip link add vc type veth peer name eth0 netns c");
	cmd_ok("r", "ip link add vc2 type veth peer name eth0 netns c2");
	cmd_ok("r", "ip link add r1 type veth peer name eth0 netns o");
	cmd_ok("r", "ip link set vc master br0");
	cmd_ok("r", "ip link set vc2 master br0");
	cmd_ok("r", "ip addr add 10.0.0.254/24 dev br0");
	cmd_ok("r", "ip addr add 192.168.1.1/24 dev r1");
	cmd_ok("c", "ip addr add 10.0.0.1/24 dev eth0");
	cmd_ok("c2", "ip addr add 10.0.0.3/24 dev eth0");
	cmd_ok("o", "ip addr add 192.168.1.2/24 dev eth0");
	cmd_ok("r", "ip link set br0 up");
	cmd_ok("r", "ip link set vc up");
	cmd_ok("r", "ip link set vc2 up");
	cmd_ok("r", "ip link set r1 up");
	cmd_ok("c", "ip link set eth0 up");
	cmd_ok("c2", "ip link set eth0 up");
	cmd_ok("o", "ip link set eth0 up");
	cmd_ok("c", "ip route add default via 10.0.0.254");
	cmd_ok("c2", "ip route add default via 10.0.0.254");
	cmd_ok("r", "sysctl -w net.ipv4.ip_forward=1");
	ul_run_for(MS);
	return 0;
}

static int teardown(void **state)
{
	current->net = &init_net;
	ul_netns_del("c");
	ul_netns_del("c2");
	ul_netns_del("r");
	ul_netns_del("o");
	ul_run_for(MS);
	return ul_test_teardown(state);
}

static void test_nat_masquerade(void **state)
{
	int srv = ul_test_udp_socket_in("o", 9), c1 = ul_test_udp_socket_in("c", 5000), c2 = ul_test_udp_socket_in("c2", 5000);
	char from[64], *out = NULL;

	(void)state;
	/* Without NAT the outside host cannot answer (no route back): the request arrives
	 * with the container's address. */
	send_to("c", c1, "192.168.1.2", 9, "hello");
	assert_int_equal(recv_from("o", srv, from, sizeof(from)), 5);
	assert_string_equal(from, "10.0.0.1:5000");

	cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE");
	cmd_ok("c", "conntrack -F");
	cmd_ok("r", "conntrack -F");
	send_to("c", c1, "192.168.1.2", 9, "hello");
	assert_int_equal(recv_from("o", srv, from, sizeof(from)), 5);
	assert_string_equal(from, "192.168.1.1:5000");	/* only the host's address */
	/* The reply goes back to the container, from the outside host. */
	send_to("o", srv, "192.168.1.1", 5000, "world!");
	assert_int_equal(recv_from("c", c1, from, sizeof(from)), 6);
	assert_string_equal(from, "192.168.1.2:9");
	/* Same source port from the other container: remapped. */
	send_to("c2", c2, "192.168.1.2", 9, "hi");
	assert_int_equal(recv_from("o", srv, from, sizeof(from)), 2);
	assert_string_equal(from, "192.168.1.1:1024");
	send_to("o", srv, "192.168.1.1", 1024, "back");
	assert_int_equal(recv_from("c2", c2, from, sizeof(from)), 4);
	assert_string_equal(from, "192.168.1.2:9");
	assert_int_equal(recv_from("c", c1, from, sizeof(from)), -EAGAIN);

	assert_int_equal(ul_cmd("r", "conntrack -L", &out), 0);
	assert_non_null(strstr(out, "udp      17 179 src=10.0.0.1 dst=192.168.1.2 sport=5000 dport=9 src=192.168.1.2 dst=192.168.1.1 sport=9 dport=5000 [ASSURED] mark=0 use=1\n"));
	assert_non_null(strstr(out, "udp      17 179 src=10.0.0.3 dst=192.168.1.2 sport=5000 dport=9 src=192.168.1.2 dst=192.168.1.1 sport=9 dport=1024 [ASSURED] mark=0 use=1\n"));
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -t nat -L POSTROUTING -n -v", &out), 0);
	assert_string_equal(out,
		"Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    2    63 MASQUERADE  all  --  *      !br0    10.0.0.0/24          0.0.0.0/0           \n");
	free(out);
	current->net = ul_net_by_name("c");
	ul_close(c1);
	current->net = ul_net_by_name("c2");
	ul_close(c2);
	current->net = ul_net_by_name("o");
	ul_close(srv);
}

static void test_nat_dnat_published_port(void **state)
{
	int web = ul_test_udp_socket_in("c", 80), cli = ul_test_udp_socket_in("o", 40000);
	char from[64], *out = NULL;

	(void)state;
	cmd_ok("r", "iptables -t nat -A PREROUTING -i r1 -p udp --dport 8080 -j DNAT --to-destination 10.0.0.1:80");
	cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE");
	send_to("o", cli, "192.168.1.1", 8080, "GET /");
	assert_int_equal(recv_from("c", web, from, sizeof(from)), 5);
	assert_string_equal(from, "192.168.1.2:40000");
	send_to("c", web, "192.168.1.2", 40000, "200 OK");
	assert_int_equal(recv_from("o", cli, from, sizeof(from)), 6);
	assert_string_equal(from, "192.168.1.1:8080");
	assert_int_equal(ul_cmd("r", "conntrack -L", &out), 0);
	assert_non_null(strstr(out, "udp      17 179 src=192.168.1.2 dst=192.168.1.1 sport=40000 dport=8080 src=10.0.0.1 dst=192.168.1.2 sport=80 dport=40000 [ASSURED] mark=0 use=1\n"));
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -t nat -L PREROUTING -n", &out), 0);
	assert_string_equal(out, "Chain PREROUTING (policy ACCEPT)\n"
			    "target     prot opt source               destination         \n"
			    "DNAT       udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:8080 to:10.0.0.1:80\n");
	free(out);
	current->net = ul_net_by_name("c");
	ul_close(web);
	current->net = ul_net_by_name("o");
	ul_close(cli);
}

static void test_nat_bad_rules(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(ul_cmd("r", "iptables -t nat -A POSTROUTING -j SNAT", &out), -EINVAL);
	assert_string_equal(out, "iptables v1.4.21: You must specify --to-source\nTry `iptables -h' or 'iptables --help' for more information.\n");
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -t nat -A POSTROUTING -j DNAT --to-destination 10.0.0.1", &out), -EINVAL);
	assert_string_equal(out, "iptables: Invalid argument. Run `dmesg' for more information.\n");
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -A FORWARD -j MASQUERADE", &out), -EINVAL);
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -t mangle -L", &out), -EOPNOTSUPP);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nat_masquerade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_dnat_published_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_bad_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
