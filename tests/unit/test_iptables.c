/* SPDX-License-Identifier: MIT */
/* iptables' filter table: `iptables -L -n -v` exactly as iptables 1.4.21 prints it, each
 * match type (-p, -s/-d with prefixes and '!', -i/-o, --sport/--dport ranges, --icmp-type)
 * deciding real UDP traffic between two namespaces with per-rule packet/byte counters,
 * default policies and their counters, REJECT answered with the ICMP error its
 * --reject-with names (the sender's socket sees ECONNREFUSED / EHOSTUNREACH), user chains
 * or a TCP RST (tcp-reset: ECONNREFUSED at once), user chains
 * with jumps, RETURN and goto, -I/-D/-F/-Z/-X, -m addrtype, and bad syntax named as
 * iptables names it.
 *
 * Topology: namespace "c" (c0 10.0.0.1/24) and "s" (s0 10.0.0.2/24) joined by a veth. */
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
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)
#define HDR " pkts bytes target     prot opt in     out     source               destination         \n"

/* The line of rule @num (1-based) of chain @chain in `iptables -L CHAIN -n -v`. */
static void assert_rule(const char *ns, const char *chain, int num, const char *want)
{
	char line[64], *out, *p;
	int i;

	snprintf(line, sizeof(line), "iptables -L %s -n -v", chain);
	out = nf_cmd_out(ns, line);
	p = out;
	for (i = 0; i < num + 1 && p; i++) {	/* skip the "Chain" line and the header */
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	assert_non_null(p);
	if (strncmp(p, want, strlen(want)))
		fprintf(stderr, "got:  [%.*s]\nwant: [%s]\n", (int)strcspn(p, "\n") + 1, p, want);
	assert_memory_equal(p, want, strlen(want));
	free(out);
}

static int sfd = -1;	/* server socket in "s" on port 9..10 */

/* @n datagrams of 100 bytes from "c" (source port @sport, 0: any) to 10.0.0.2:@dport; how
 * many of them the server socket on @dport received. */
static int send_udp(int sport, int dport, int n)
{
	struct sockaddr_in dst = ul_test_sin("10.0.0.2", dport);
	char buf[100], rbuf[200];
	int cfd, srv, i, got = 0;

	memset(buf, 'x', sizeof(buf));
	srv = ul_test_udp_socket_in("s", dport);
	cfd = ul_test_udp_socket_in("c", sport);
	for (i = 0; i < n; i++) {
		ssize_t r = ul_sendto(cfd, buf, sizeof(buf), 0, (struct sockaddr *)&dst,
				      sizeof(dst));

		/* An OUTPUT DROP fails the send with EPERM, as Linux's (NF_DROP in
		 * __ip_local_out). */
		if (r < 0)
			assert_int_equal(errno, EPERM);
		else
			assert_int_equal(r, (int)sizeof(buf));
	}
	ul_run_for(10 * MS);
	current->net = ul_net_by_name("s");
	for (i = 0; i < n + 1; i++)
		if (ul_recv(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT) == (ssize_t)sizeof(buf))
			got++;
	current->net = ul_net_by_name("c");
	ul_close(cfd);
	ul_close(srv);
	return got;
}

/* A connected socket in "c" sends one datagram to @dport (no server there unless a rule
 * hides it); returns what the next recv says (-ECONNREFUSED, -EHOSTUNREACH, -EAGAIN). */
static int send_connected_opt(int dport, int with_server, int recverr)
{
	struct sockaddr_in dst = ul_test_sin("10.0.0.2", dport);
	char buf[10] = "hello";
	int cfd, srv = -1, ret;

	if (with_server)
		srv = ul_test_udp_socket_in("s", dport);
	cfd = ul_test_udp_socket_in("c", 0);
	if (recverr)
		assert_int_equal(ul_setsockopt(cfd, IPPROTO_IP, IP_RECVERR, &recverr,
					       sizeof(recverr)), 0);
	assert_int_equal(ul_connect(cfd, (struct sockaddr *)&dst, sizeof(dst)), 0);
	assert_int_equal(ul_send(cfd, buf, 5, 0), 5);
	ul_run_for(10 * MS);
	ret = (int)ul_recv(cfd, buf, sizeof(buf), MSG_DONTWAIT);
	if (ret < 0)
		ret = -errno;
	ul_close(cfd);
	if (srv >= 0) {
		current->net = ul_net_by_name("s");
		ul_close(srv);
		current->net = ul_net_by_name("c");
	}
	return ret;
}

static int send_connected(int dport, int with_server)
{
	return send_connected_opt(dport, with_server, 0);
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	if (ul_netns_add("c") || ul_netns_add("s"))
		return -1;
	nf_cmd_ok("c", "ip link add c0 type veth peer name s0 netns s");
	nf_cmd_ok("c", "ip addr add 10.0.0.1/24 dev c0");
	nf_cmd_ok("s", "ip addr add 10.0.0.2/24 dev s0");
	nf_cmd_ok("c", "ip link set lo up");
	nf_cmd_ok("s", "ip link set lo up");
	nf_cmd_ok("c", "ip link set c0 up");
	nf_cmd_ok("s", "ip link set s0 up");
	ul_run_for(MS);
	current->net = ul_net_by_name("c");
	(void)sfd;
	return 0;
}

static int teardown(void **state)
{
	current->net = &init_net;
	ul_netns_del("c");
	ul_netns_del("s");
	ul_run_for(MS);
	return ul_test_teardown(state);
}

static void test_iptables_list_empty(void **state)
{
	char *out;

	(void)state;
	out = nf_cmd_out("s", "iptables -L -n -v");
	assert_string_equal(out,
		"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n" HDR "\n"
		"Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)\n" HDR "\n"
		"Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n" HDR);
	free(out);
	out = nf_cmd_out("s", "iptables -L INPUT -n");
	assert_string_equal(out, "Chain INPUT (policy ACCEPT)\n"
			    "target     prot opt source               destination         \n");
	free(out);
	/* Each namespace has its own table. */
	nf_cmd_ok("s", "iptables -A INPUT -j DROP");
	out = nf_cmd_out("c", "iptables -L INPUT -n");
	assert_string_equal(out, "Chain INPUT (policy ACCEPT)\n"
			    "target     prot opt source               destination         \n");
	free(out);
}

static void test_iptables_udp_port_counters(void **state)
{
	(void)state;
	assert_int_equal(send_udp(0, 9, 1), 1);	/* open before any rule */
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 9 -j DROP");
	assert_int_equal(send_udp(0, 9, 3), 0);
	assert_int_equal(send_udp(0, 10, 2), 2);
	/* 3 datagrams of 20 + 8 + 100 bytes. */
	assert_rule("s", "INPUT", 1,
		    "    3   384 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:9\n");
	/* The policy counted what passed the chain since the first iptables command loaded
	 * the table (as modprobe iptable_filter): the 2 datagrams to port 10. */
	{
		char *out = nf_cmd_out("s", "iptables -L INPUT -n -v");

		assert_non_null(strstr(out, "Chain INPUT (policy ACCEPT 2 packets, 256 bytes)\n"));
		free(out);
	}
	/* Port ranges and --sport with '!'. */
	nf_cmd_ok("s", "iptables -F INPUT");
	nf_cmd_ok("s", "iptables -A INPUT -p udp --sport 2000:2010 -j DROP");
	nf_cmd_ok("s", "iptables -A INPUT -p udp ! --dport 9 -j DROP");
	assert_int_equal(send_udp(2005, 9, 1), 0);
	assert_int_equal(send_udp(3000, 9, 1), 1);
	assert_int_equal(send_udp(3000, 11, 1), 0);
	assert_rule("s", "INPUT", 1,
		    "    1   128 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp spts:2000:2010\n");
	assert_rule("s", "INPUT", 2,
		    "    1   128 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:!9\n");
	/* -Z zeroes the counters. */
	nf_cmd_ok("s", "iptables -Z");
	assert_rule("s", "INPUT", 1,
		    "    0     0 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp spts:2000:2010\n");
}

static void test_iptables_addr_iface_proto(void **state)
{
	(void)state;
	/* -s with a prefix that does not cover the client: no effect. */
	nf_cmd_ok("s", "iptables -A INPUT -s 10.9.0.0/16 -j DROP");
	assert_int_equal(send_udp(0, 9, 1), 1);
	/* -s /32 (printed without the mask), -d, -i. */
	nf_cmd_ok("s", "iptables -I INPUT -s 10.0.0.1/32 -d 10.0.0.0/24 -i s0 -p udp --dport 20 -j DROP");
	assert_int_equal(send_udp(0, 20, 1), 0);
	assert_rule("s", "INPUT", 1,
		    "    1   128 DROP       udp  --  s0     *       10.0.0.1             10.0.0.0/24          udp dpt:20\n");
	assert_rule("s", "INPUT", 2,
		    "    0     0 DROP       all  --  *      *       10.9.0.0/16          0.0.0.0/0           \n");
	/* '!' on an interface and a protocol; -i with a '+' wildcard. */
	nf_cmd_ok("s", "iptables -F");
	nf_cmd_ok("s", "iptables -A INPUT ! -i s+ -j DROP");
	nf_cmd_ok("s", "iptables -A INPUT ! -p udp -j DROP");
	assert_int_equal(send_udp(0, 9, 1), 1);
	assert_rule("s", "INPUT", 1,
		    "    0     0 DROP       all  --  !s+    *       0.0.0.0/0            0.0.0.0/0           \n");
	assert_rule("s", "INPUT", 2,
		    "    0     0 DROP      !udp  --  *      *       0.0.0.0/0            0.0.0.0/0           \n");
	/* -o and ! -d in the sender's OUTPUT chain. */
	nf_cmd_ok("c", "iptables -A OUTPUT -o c0 ! -d 10.0.0.3 -p udp -j DROP");
	assert_int_equal(send_udp(0, 9, 2), 0);
	assert_rule("c", "OUTPUT", 1,
		    "    2   256 DROP       udp  --  *      c0      0.0.0.0/0           !10.0.0.3            \n");
	/* ICMP type matching (printed as iptables prints it). */
	nf_cmd_ok("s", "iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT");
	nf_cmd_ok("s", "iptables -A INPUT -p icmp --icmp-type 3/3 -j ACCEPT");
	assert_rule("s", "INPUT", 3,
		    "    0     0 ACCEPT     icmp --  *      *       0.0.0.0/0            0.0.0.0/0            icmptype 8\n");
	assert_rule("s", "INPUT", 4,
		    "    0     0 ACCEPT     icmp --  *      *       0.0.0.0/0            0.0.0.0/0            icmptype 3 code 3\n");
}

static void test_iptables_reject(void **state)
{
	(void)state;
	/* No server and no rule: the stack's own port unreachable. */
	assert_int_equal(send_connected(7, 0), -ECONNREFUSED);
	/* A server hidden by REJECT (default: icmp-port-unreachable). */
	assert_int_equal(send_connected(7, 1), -EAGAIN);
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 7 -j REJECT");
	assert_int_equal(send_connected(7, 1), -ECONNREFUSED);
	assert_rule("s", "INPUT", 1,
		    "    1    33 REJECT     udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:7 reject-with icmp-port-unreachable\n");
}

static void test_iptables_reject_with(void **state)
{
	(void)state;
	/* Host unreachable is a soft error for UDP (icmp_err_convert: not fatal): a socket
	 * sees it only with IP_RECVERR, as on Linux. */
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 7 -j REJECT --reject-with icmp-host-unreachable");
	assert_int_equal(send_connected(7, 1), -EAGAIN);
	assert_int_equal(send_connected_opt(7, 1, 1), -EHOSTUNREACH);
	nf_cmd_ok("s", "iptables -F INPUT");
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 7 -j REJECT --reject-with icmp-net-unreachable");
	assert_int_equal(send_connected_opt(7, 1, 1), -ENETUNREACH);
	nf_cmd_ok("s", "iptables -F INPUT");
	/* Protocol unreachable is hard: ENOPROTOOPT even without IP_RECVERR. */
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 7 -j REJECT --reject-with icmp-proto-unreachable");
	assert_int_equal(send_connected(7, 1), -ENOPROTOOPT);
	nf_cmd_ok("s", "iptables -F INPUT");
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 7 -j REJECT --reject-with icmp-net-unreachable");
	assert_int_equal(send_connected_opt(7, 1, 1), -ENETUNREACH);
	nf_expect_in("s", "iptables -L INPUT -n", "REJECT     udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:7 reject-with icmp-net-unreachable\n");
	/* The server's ICMP counters saw the error go out. */
	nf_expect_in("s", "iptables -L INPUT -n -v -x", "       1       33 REJECT     udp  --  *      *       0.0.0.0/0");
}

/* A TCP connect from "c" to 10.0.0.2:@dport (a listener there); 0 when it connected,
 * else the socket's error, looked at @wait_ms of virtual time after the SYN. */
static int tcp_connect_result(int dport, int wait_ms)
{
	struct sockaddr_in a = ul_test_sin("10.0.0.2", dport);
	int lfd, cfd, err = -1;
	socklen_t l = sizeof(err);

	current->net = ul_net_by_name("s");
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(lfd >= 0);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(lfd, 4), 0);
	current->net = ul_net_by_name("c");
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for((u64)wait_ms * MS);
	assert_int_equal(ul_getsockopt(cfd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	ul_close(cfd);
	current->net = ul_net_by_name("s");
	ul_close(lfd);
	current->net = ul_net_by_name("c");
	ul_run_for(MS);
	return err;
}

/* --reject-with tcp-reset (3.10 send_reset): the SYN is answered with <SEQ=0><ACK=ISN+1>
 * <CTL=RST,ACK> built by netfilter, not by TCP (the server's OutRsts stay 0); the client
 * fails with ECONNREFUSED at once, not after SYN retransmissions. */
static void test_iptables_reject_tcp_reset(void **state)
{
	struct net *snet = ul_net_by_name("s");
	unsigned long rsts0;

	(void)state;
	assert_int_equal(tcp_connect_result(80, 10), 0);
	nf_cmd_ok("s", "iptables -A INPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset");
	rsts0 = tcp_mib_read(snet, TCP_MIB_OUTRSTS);
	assert_int_equal(tcp_connect_result(80, 5), ECONNREFUSED);
	/* One SYN of 60 bytes (20 IP + 20 TCP + 20 of options) hit the rule. */
	assert_rule("s", "INPUT", 1,
		    "    1    60 REJECT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 reject-with tcp-reset\n");
	assert_int_equal(tcp_mib_read(snet, TCP_MIB_OUTRSTS), rsts0);
	/* Other ports are not touched. */
	assert_int_equal(tcp_connect_result(81, 10), 0);
	/* The same rule in OUTPUT of the client: the RST comes from its own netfilter. */
	nf_cmd_ok("s", "iptables -F INPUT");
	nf_cmd_ok("c", "iptables -A OUTPUT -p tcp --dport 80 -j REJECT --reject-with tcp-rst");
	assert_int_equal(tcp_connect_result(80, 5), ECONNREFUSED);
	assert_rule("c", "OUTPUT", 1,
		    "    1    60 REJECT     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 reject-with tcp-reset\n");
	/* Only on a TCP rule: the kernel's check refuses the rest (reject_tg_check). */
	nf_cmd_fails("s", "iptables -A INPUT -p udp -j REJECT --reject-with tcp-reset", -EINVAL,
		     "iptables: Invalid argument. Run `dmesg' for more information.\n");
	nf_cmd_fails("s", "iptables -A INPUT ! -p tcp -j REJECT --reject-with tcp-reset", -EINVAL,
		     "iptables: Invalid argument. Run `dmesg' for more information.\n");
	nf_cmd_fails("s", "iptables -A INPUT -j REJECT --reject-with tcp-reset", -EINVAL,
		     "iptables: Invalid argument. Run `dmesg' for more information.\n");
	/* The reject types print with their own names (icmp-admin-prohibited is the last). */
	nf_cmd_ok("s", "iptables -A INPUT -p udp -j REJECT --reject-with icmp-admin-prohibited");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -j REJECT --reject-with icmp-net-prohibited");
	assert_rule("s", "INPUT", 1,
		    "    0     0 REJECT     udp  --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-admin-prohibited\n");
	assert_rule("s", "INPUT", 2,
		    "    0     0 REJECT     udp  --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-net-prohibited\n");
}

static void test_iptables_chains_policy(void **state)
{
	char *out;

	(void)state;
	nf_cmd_ok("s", "iptables -N web");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -j web");
	nf_cmd_ok("s", "iptables -A web -p udp --dport 9 -j RETURN");
	nf_cmd_ok("s", "iptables -A web -j DROP");
	assert_int_equal(send_udp(0, 9, 1), 1);	/* RETURN, then the policy */
	assert_int_equal(send_udp(0, 10, 1), 0);	/* dropped in web */
	out = nf_cmd_out("s", "iptables -L web -n -v --line-numbers");
	assert_string_equal(out,
		"Chain web (1 references)\n"
		"num   pkts bytes target     prot opt in     out     source               destination         \n"
		"1        1   128 RETURN     udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:9\n"
		"2        1   128 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n");
	free(out);
	assert_rule("s", "INPUT", 1,
		    "    2   256 web        udp  --  *      *       0.0.0.0/0            0.0.0.0/0           \n");
	/* Referenced chains cannot go; loops are refused. */
	nf_cmd_fails("s", "iptables -X web", -EMLINK, "iptables: Too many links.\n");
	nf_cmd_ok("s", "iptables -N inner");
	nf_cmd_ok("s", "iptables -A web -j inner");
	nf_cmd_fails("s", "iptables -A inner -j web", -ELOOP,
		     "iptables: Too many levels of symbolic links.\n");
	/* Delete by number and by specification. */
	nf_cmd_ok("s", "iptables -D web 3");
	nf_cmd_ok("s", "iptables -D web -j DROP");
	nf_cmd_fails("s", "iptables -D web -j DROP", -ENOENT,
		     "iptables: Bad rule (does a matching rule exist in that chain?).\n");
	nf_cmd_fails("s", "iptables -D web 5", -E2BIG, "iptables: Index of deletion too big.\n");
	assert_int_equal(send_udp(0, 10, 1), 1);
	/* Policy DROP: counted on the chain header. */
	nf_cmd_ok("s", "iptables -F");
	nf_cmd_ok("s", "iptables -X");
	nf_cmd_ok("s", "iptables -P INPUT DROP");
	assert_int_equal(send_udp(0, 9, 2), 0);
	out = nf_cmd_out("s", "iptables -L INPUT -n -v");
	/* -F keeps the policy counters: 2 earlier datagrams took the policy (after RETURN,
	 * and through the emptied web), then these 2. */
	assert_string_equal(out, "Chain INPUT (policy DROP 4 packets, 512 bytes)\n" HDR);
	free(out);
	/* goto: the end of the target chain goes back to INPUT's caller (the policy). */
	nf_cmd_ok("s", "iptables -P INPUT ACCEPT");
	nf_cmd_ok("s", "iptables -N g");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -g g");
	nf_cmd_ok("s", "iptables -A INPUT -j DROP");
	assert_int_equal(send_udp(0, 9, 1), 1);
	assert_rule("s", "INPUT", 1,
		    "    1   128 g          udp  --  *      *       0.0.0.0/0            0.0.0.0/0            [goto] \n");
}

static void test_iptables_big_counters(void **state)
{
	int i;

	(void)state;
	nf_cmd_ok("s", "iptables -A INPUT -p udp --dport 9");
	/* 1000 datagrams of 128 bytes: 128000 bytes print as "128K". */
	for (i = 0; i < 10; i++)
		assert_int_equal(send_udp(0, 9, 100), 100);
	assert_rule("s", "INPUT", 1,
		    " 1000  128K            udp  --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:9\n");
	nf_expect_in("s", "iptables -L INPUT -n -v -x", "    1000   128000            udp  --");
}

static void test_iptables_bad_syntax(void **state)
{
#define TRY "Try `iptables -h' or 'iptables --help' for more information.\n"
	(void)state;
	nf_cmd_fails("s", "iptables -A INPUT -p foo -j DROP", -EINVAL,
		     "iptables v1.4.21: unknown protocol \"foo\" specified\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT --dport 22 -j DROP", -EINVAL,
		     "iptables v1.4.21: unknown option \"--dport\"\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -p tcp --dport 70000 -j DROP", -EINVAL,
		     "iptables v1.4.21: invalid port/service `70000' specified\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -s 10.0.0.300 -j DROP", -EINVAL,
		     "iptables v1.4.21: host/network `10.0.0.300' not found\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -s 10.0.0.0/33 -j DROP", -EINVAL,
		     "iptables v1.4.21: invalid mask `33' specified\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT --frobnicate", -EINVAL,
		     "iptables v1.4.21: unknown option \"--frobnicate\"\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -j NOSUCH", -ENOENT,
		     "iptables: No chain/target/match by that name.\n");
	nf_cmd_fails("s", "iptables -A NOSUCH -j DROP", -ENOENT,
		     "iptables: No chain/target/match by that name.\n");
	nf_cmd_fails("s", "iptables -P INPUT MAYBE", -EINVAL,
		     "iptables: Bad policy name. Run `dmesg' for more information.\n");
	nf_cmd_fails("s", "iptables -A INPUT -j REJECT --reject-with icmp-bogus", -EINVAL,
		     "iptables v1.4.21: unknown reject type \"icmp-bogus\"\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -p udp junk", -EINVAL, "Bad argument `junk'\n" TRY);
	nf_cmd_fails("s", "iptables -p udp", -EINVAL, "iptables v1.4.21: no command specified\n" TRY);
	nf_cmd_fails("s", "iptables -I INPUT 3 -j DROP", -E2BIG,
		     "iptables: Index of insertion too big.\n");
	nf_cmd_fails("s", "iptables -t mangle -L", -EOPNOTSUPP,
		     "iptables v1.4.21: can't initialize iptables table `mangle': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n");
	/* Each error names the word at fault. */
	nf_cmd_fails("s", "iptables -A INPUT -m conntrack --ctstate NEW,BOGUS -j DROP", -EINVAL,
		     "iptables v1.4.21: Bad ctstate \"BOGUS\"\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -m state --state FOO -j DROP", -EINVAL,
		     "iptables v1.4.21: Bad state \"FOO\"\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT --state NEW -j DROP", -EINVAL,
		     "iptables v1.4.21: unknown option \"--state\"\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -m nosuch -j DROP", -ENOENT,
		     "iptables v1.4.21: Couldn't load match `nosuch':No such file or directory\n\n" TRY);
	nf_cmd_fails("s", "iptables -A INPUT -p tcp --dport", -EINVAL,
		     "iptables v1.4.21: option \"--dport\" requires an argument\n" TRY);
	nf_cmd_ok("s", "iptables -N dup");
	nf_cmd_fails("s", "iptables -N dup", -EEXIST, "iptables: Chain already exists.\n");
	/* Nothing was added by the failures. */
	{
		char *out = nf_cmd_out("s", "iptables -L INPUT -n");

		assert_string_equal(out, "Chain INPUT (policy ACCEPT)\n"
				    "target     prot opt source               destination         \n");
		free(out);
	}
#undef TRY
}

/* FORWARD: c (10.0.0.1) -> r (forwarding, 10.0.0.254 / 10.0.1.254) -> s2 (10.0.1.2). */
static int setup_router(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	if (ul_netns_add("c") || ul_netns_add("r") || ul_netns_add("s"))
		return -1;
	nf_cmd_ok("c", "ip link add c0 type veth peer name r0 netns r");
	nf_cmd_ok("r", "ip link add r1 type veth peer name s0 netns s");
	nf_cmd_ok("c", "ip addr add 10.0.0.1/24 dev c0");
	nf_cmd_ok("r", "ip addr add 10.0.0.254/24 dev r0");
	nf_cmd_ok("r", "ip addr add 10.0.1.254/24 dev r1");
	nf_cmd_ok("s", "ip addr add 10.0.1.2/24 dev s0");
	nf_cmd_ok("c", "ip link set c0 up");
	nf_cmd_ok("r", "ip link set r0 up");
	nf_cmd_ok("r", "ip link set r1 up");
	nf_cmd_ok("s", "ip link set s0 up");
	nf_cmd_ok("c", "ip route add default via 10.0.0.254");
	nf_cmd_ok("s", "ip route add default via 10.0.1.254");
	nf_cmd_ok("r", "sysctl -w net.ipv4.ip_forward=1");
	ul_run_for(MS);
	current->net = ul_net_by_name("c");
	return 0;
}

static int teardown_router(void **state)
{
	ul_netns_del("r");
	return teardown(state);
}

/* @n datagrams from "c" to 10.0.1.2:@dport; how many arrived. */
static int send_routed(int dport, int n)
{
	struct sockaddr_in dst = ul_test_sin("10.0.1.2", dport);
	char buf[100], rbuf[200];
	int cfd, srv, i, got = 0;

	memset(buf, 'x', sizeof(buf));
	srv = ul_test_udp_socket_in("s", dport);
	cfd = ul_test_udp_socket_in("c", 0);
	for (i = 0; i < n; i++)
		assert_int_equal(ul_sendto(cfd, buf, sizeof(buf), 0, (struct sockaddr *)&dst,
					   sizeof(dst)), (int)sizeof(buf));
	ul_run_for(20 * MS);
	current->net = ul_net_by_name("s");
	for (i = 0; i < n + 1; i++)
		if (ul_recv(srv, rbuf, sizeof(rbuf), MSG_DONTWAIT) == (ssize_t)sizeof(buf))
			got++;
	ul_close(srv);
	current->net = ul_net_by_name("c");
	ul_close(cfd);
	return got;
}

/* -m addrtype (xt_addrtype revision 1): the route type of the source or destination
 * (in the local table; --limit-iface-in: as if only the input device existed), listed
 * as 1.4.21's "ADDRTYPE match", and the checks of libxt_addrtype and the kernel. */
static void test_iptables_addrtype(void **state)
{
	(void)state;
	nf_cmd_ok("s", "iptables -A INPUT -p udp -m addrtype --dst-type BROADCAST,MULTICAST -j DROP");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -m addrtype ! --src-type UNICAST --limit-iface-in -j DROP");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -m addrtype --dst-type loc --limit-iface-in");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -m addrtype --dst-type LOCAL --limit-iface-in -i lo");
	assert_int_equal(send_udp(0, 9, 3), 3);
	assert_rule("s", "INPUT", 1, "    0     0 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type BROADCAST,MULTICAST\n");
	assert_rule("s", "INPUT", 2, "    0     0 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type !UNICAST limit-in\n");
	assert_rule("s", "INPUT", 3, "    3   384            udp  --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL limit-in\n");
	assert_rule("s", "INPUT", 4, "    0     0            udp  --  lo     *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL limit-in\n");
	/* Inverted: the destination is LOCAL, so `! --dst-type LOCAL` lets it pass; UNICAST
	 * (the sender's address) as a destination type drops. */
	nf_cmd_ok("s", "iptables -F INPUT");
	nf_cmd_ok("s", "iptables -A INPUT -p udp -m addrtype ! --dst-type LOCAL -j DROP");
	assert_int_equal(send_udp(0, 9, 2), 2);
	nf_cmd_ok("s", "iptables -A INPUT -p udp -m addrtype --src-type UNICAST --dst-type LOCAL -j DROP");
	assert_int_equal(send_udp(0, 9, 2), 0);
	assert_rule("s", "INPUT", 2, "    2   256 DROP       udp  --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type UNICAST dst-type LOCAL\n");

	nf_cmd_fails("s", "iptables -A INPUT -m addrtype -j DROP", -EINVAL,
		     "iptables v1.4.21: addrtype: you must specify --src-type or --dst-type\n"
		     "Try `iptables -h' or 'iptables --help' for more information.\n");
	nf_cmd_fails("s", "iptables -A INPUT -m addrtype --dst-type FOO -j DROP", -EINVAL,
		     "iptables v1.4.21: addrtype: bad type \"FOO\"\n"
		     "Try `iptables -h' or 'iptables --help' for more information.\n");
	nf_cmd_fails("s", "iptables -A OUTPUT -m addrtype --dst-type LOCAL --limit-iface-in -j DROP",
		     -EINVAL, "iptables: Invalid argument. Run `dmesg' for more information.\n");
	nf_cmd_fails("s", "iptables -A INPUT -m addrtype --dst-type LOCAL --limit-iface-out -j DROP",
		     -EINVAL, "iptables: Invalid argument. Run `dmesg' for more information.\n");
	nf_cmd_fails("s", "iptables -A FORWARD -m addrtype --dst-type LOCAL --limit-iface-in --limit-iface-out",
		     -EINVAL, "iptables v1.4.21: addrtype: \"--limit-iface-out\" option cannot be used together with \"--limit-iface-in\".\n"
		     "Try `iptables -h' or 'iptables --help' for more information.\n");
	/* iptables -h documents it (and the NAT targets' ranges). */
	{
		char *out = nf_cmd_out("s", "iptables -h");

		static const char head[] = "iptables v1.4.21\n\nUsage: iptables -[AD] chain";

		assert_memory_equal(out, head, sizeof(head) - 1);
		assert_non_null(strstr(out, "addrtype match options:\n [!] --src-type type[,...]      Match source address type\n"));
		assert_non_null(strstr(out, " --to-source [<ipaddr>[-<ipaddr>]][:port[-port]]\n"));
		free(out);
	}
	nf_cmd_fails("s", "iptables -A INPUT --dst-type LOCAL -j DROP", -EINVAL,
		     "iptables v1.4.21: unknown option \"--dst-type\"\n"
		     "Try `iptables -h' or 'iptables --help' for more information.\n");
}

static void test_iptables_forward(void **state)
{
	(void)state;
	assert_int_equal(send_routed(9, 2), 2);
	nf_cmd_ok("r", "iptables -A FORWARD -i r0 -o r1 -p udp --dport 9 -j DROP");
	nf_cmd_ok("r", "iptables -A FORWARD -i r1 -j ACCEPT");
	assert_int_equal(send_routed(9, 3), 0);
	assert_int_equal(send_routed(10, 1), 1);
	assert_rule("r", "FORWARD", 1,
		    "    3   384 DROP       udp  --  r0     r1      0.0.0.0/0            0.0.0.0/0            udp dpt:9\n");
	{
		char *out = nf_cmd_out("r", "iptables -L FORWARD -n -v");

		assert_non_null(strstr(out, "Chain FORWARD (policy ACCEPT 1 packets, 128 bytes)\n"));
		free(out);
	}
	/* Policy DROP on FORWARD: nothing crosses the router any more. */
	nf_cmd_ok("r", "iptables -P FORWARD DROP");
	assert_int_equal(send_routed(10, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_iptables_list_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_udp_port_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_addr_iface_proto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_reject_with, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_reject_tcp_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_chains_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_big_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_bad_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_addrtype, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iptables_forward, setup_router,
						teardown_router),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
