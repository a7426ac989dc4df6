/* SPDX-License-Identifier: MIT */
/* TCP conntrack window tracking (3.10 tcp_in_window) on the whole packet path:
 * - a crafted peer's out-of-window segments (data beyond our receive window, an ACK of
 *   data we never sent) are INVALID and `iptables -A INPUT -m conntrack --ctstate INVALID
 *   -j DROP` drops and counts them, while in-window data and a retransmission reach the
 *   socket;
 * - a bulk transfer through a MASQUERADE router with loss and reordering on both sides
 *   stays byte-exact with the same INVALID drop rule in FORWARD, which matches nothing:
 *   retransmissions, SACKs and window updates are all in window.
 * Mirrors the behaviour of linux/net/netfilter/nf_conntrack_proto_tcp.c (3.10) with
 * xt_conntrack. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "nf_testutil.h"
#include "tcp_peer_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "net/netfilter/nf_conntrack.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)
#define MIB (1024 * 1024)

static struct net *net;
static struct net_device *dev;

static int setup_peer(void **state)
{
	int err = tcp_peer_setup(state, "n", false, &net, &dev);

	if (err)
		return err;
	return run_cmd("n", "iptables -A INPUT -m conntrack --ctstate INVALID -j DROP");
}

static int teardown_peer(void **state)
{
	return tcp_peer_teardown(state, "n", dev);
}

/* The INPUT rule's counters, as `iptables -L INPUT -n -v -x` prints them. */
static void assert_drops(const char *want)
{
	char *out = nf_cmd_out("n", "iptables -L INPUT -n -v -x");

	if (!strstr(out, want))
		fprintf(stderr, "want [%s] in:\n%s", want, out);
	assert_non_null(strstr(out, want));
	free(out);
}

static void test_nf_tcp_window_crafted(void **state)
{
	static const u8 data[100] = { 'x' };
	struct tcp_peer_seg s = { .seq = 1001, .flags = TCPHDR_ACK | TCPHDR_PSH, .tsval = 102,
				  .data = data, .len = sizeof(data) };
	unsigned int inv0;
	struct tcphdr th;
	u32 isn, our_ts;
	int lfd, fd;
	char buf[512];

	(void)state;
	fd = tcp_peer_establish(dev, 40000, 80, &lfd, &isn, &our_ts, 0);
	inv0 = nf_ct_pernet(net)->stat.invalid;
	s.ack = isn + 1;
	s.tsecr = our_ts;
	/* In window: delivered. */
	tcp_peer_rx_seg(dev, &s, 40000, 80, 1000);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), 0), 100);
	/* 10 MB ahead: far beyond the window we advertised (I). */
	s.seq = 1101 + 10000000;
	tcp_peer_rx_seg(dev, &s, 40000, 80, 1000);
	/* Acknowledging 100000 bytes we never sent (III). */
	s.seq = 1101;
	s.ack = isn + 1 + 100000;
	tcp_peer_rx_seg(dev, &s, 40000, 80, 1000);
	ul_run_for(MS);
	assert_errno(ul_recv(fd, buf, sizeof(buf), 0), EAGAIN);
	assert_int_equal(nf_ct_pernet(net)->stat.invalid, inv0 + 2);
	/* 2 x (20 IP + 20 TCP + 12 timestamps + 100 data) */
	assert_drops("       2      304 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID\n");
	/* A retransmission of the first segment is in window (not dropped: the stack
	 * answers it with a duplicate ACK), and new data right after is delivered. */
	ipt_dev_purge(dev);
	s.seq = 1001;
	s.ack = isn + 1;
	tcp_peer_rx_seg(dev, &s, 40000, 80, 1000);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(dev, &th, NULL, NULL, TCP_PEER_POP_CHECK));
	assert_int_equal(ntohl(th.ack_seq), 1101);
	s.seq = 1101;
	tcp_peer_rx_seg(dev, &s, 40000, 80, 1000);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, buf, sizeof(buf), 0), 100);
	assert_drops("       2      304 DROP ");
	nf_expect_in("n", "conntrack -L -p tcp", "ESTABLISHED src=10.0.0.2 dst=10.0.0.1 sport=40000 dport=80 src=10.0.0.1 dst=10.0.0.2 sport=80 dport=40000 [ASSURED] mark=0 use=");
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* ---- bulk through NAT with loss ---- */

static int setup_nat(void **state)
{
	static const char *const r[] = {
		"ip link add r0 type veth peer name eth0 netns c",
		"ip link add r1 type veth peer name eth0 netns o",
		"ip addr add 10.0.0.254/24 dev r0", "ip addr add 192.168.1.1/24 dev r1",
		"ip link set r0 up", "ip link set r1 up",
		"sysctl -w net.ipv4.ip_forward=1",
		"iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o r1 -j MASQUERADE",
		"iptables -A FORWARD -m conntrack --ctstate INVALID -j DROP",
		/* Loss and reordering on the data's way out, loss on the ACKs' way in. */
		"tc qdisc add dev r1 root netem delay 1ms reorder 10% loss 2% seed 11",
		"tc qdisc add dev r0 root netem loss 2% seed 12",
	};
	int err = ul_test_setup_sim(state);
	size_t i;

	if (err)
		return err;
	if (ul_netns_add("c") || ul_netns_add("r") || ul_netns_add("o"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(r); i++)
		if (run_cmd("r", r[i]))
			return -1;
	if (run_cmd("c", "ip addr add 10.0.0.1/24 dev eth0") ||
	    run_cmd("c", "ip link set eth0 up") ||
	    run_cmd("c", "ip route add default via 10.0.0.254") ||
	    run_cmd("o", "ip addr add 192.168.1.2/24 dev eth0") ||
	    run_cmd("o", "ip link set eth0 up"))
		return -1;
	ul_run_for(MS);
	return 0;
}

static int teardown_nat(void **state)
{
	static const char *const names[] = { "c", "r", "o" };

	return nf_test_teardown_netns(state, names, ARRAY_SIZE(names));
}

static void test_nf_tcp_window_nat_loss(void **state)
{
	struct nf_xfer x = { .dst_ip = "192.168.1.2", .dst_port = 5001, .srv_port = 5001,
			     .total = 8 * MIB };
	char *out;

	(void)state;
	nf_xfer_run("c", "o", &x);
	/* Nothing was out of window. */
	nf_expect_in("r", "iptables -L FORWARD -n -v -x", "       0        0 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID\n");
	/* netem did drop: the transfer needed retransmissions. */
	out = nf_cmd_out("r", "tc -s qdisc show dev r1");
	assert_null(strstr(out, "dropped 0,"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nf_tcp_window_crafted, setup_peer,
						teardown_peer),
		cmocka_unit_test_setup_teardown(test_nf_tcp_window_nat_loss, setup_nat,
						teardown_nat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
