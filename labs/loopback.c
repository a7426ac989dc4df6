/* SPDX-License-Identifier: MIT */
/* The loopback lab (book ch1, ch5): UDP to 127.0.0.1 and to the host's own eth0 address both
 * go through lo and never reach the NIC driver, while UDP to another host goes through igb.
 * Mirrors no kernel file: an experiment on net/ipv4/route.c (__ip_route_output_key choosing
 * lo for a local destination) and drivers/net/loopback.c (loopback_xmit). */
#include <stdlib.h>
#include <string.h>
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

#define LB_COUNT 3
#define LB_SIZE	 100

struct lb_case {
	const char *title, *dst;
	long long lo_tx, eth_tx, eth_rx, igb_tx, ip_in, udp_in;	/* deltas */
	long funcs;			/* trace events of the run */
	u64 latency_ns;			/* first send to last receive */
	bool igb_seen, veth_seen, lo_xmit_seen, ip_rcv_seen, udp_rcv_seen, backlog_seen;
	int received;
};

static void lb_run_case(struct ul_lab_ctx *ctx, struct lb_case *c, const char *ns_rx, int port)
{
	FILE *out = ul_lab_out(ctx);
	struct lab_udp u = { .ns_rx = ns_rx, .ns_tx = LAB_NS_A, .dst = c->dst, .port = port,
			     .count = LB_COUNT, .size = LB_SIZE, .rx_cpu = 1, .tx_cpu = 0 };
	struct lab_udp one = u;
	long long lo0, et0, er0, it0, ip0, ud0;

	/* The path of one datagram (traced), then LB_COUNT more for the counters. One untraced
	 * datagram first, so that the traced one takes the steady path: the neighbour is
	 * resolved and its cached header built (the first packet goes through
	 * neigh_resolve_output, the next ones through neigh_hh_output, as in 3.10). */
	one.count = 1;
	one.port = port + 100;
	lab_udp_run(&one);
	ul_trace_begin(0);
	lab_udp_run(&one);
	ul_trace_end();
	lo0 = lab_counter(LAB_NS_A, "dev lo tx_packets");
	et0 = lab_counter(LAB_NS_A, "dev eth0 tx_packets");
	er0 = lab_counter(LAB_NS_A, "dev eth0 rx_packets");
	it0 = lab_counter(LAB_NS_A, "ethtool eth0 tx_packets");
	ip0 = lab_counter(ns_rx, "nstat IpInReceives");
	ud0 = lab_counter(ns_rx, "nstat UdpInDatagrams");
	lab_udp_run(&u);
	c->lo_tx = lab_counter(LAB_NS_A, "dev lo tx_packets") - lo0;
	c->eth_tx = lab_counter(LAB_NS_A, "dev eth0 tx_packets") - et0;
	c->eth_rx = lab_counter(LAB_NS_A, "dev eth0 rx_packets") - er0;
	c->igb_tx = lab_counter(LAB_NS_A, "ethtool eth0 tx_packets") - it0;
	c->ip_in = lab_counter(ns_rx, "nstat IpInReceives") - ip0;
	c->udp_in = lab_counter(ns_rx, "nstat UdpInDatagrams") - ud0;
	c->funcs = (long)ul_trace_count();
	c->received = one.received == 1 ? u.received : 0;
	c->latency_ns = u.t_last_recv > u.t_first_send ? u.t_last_recv - u.t_first_send : 0;
	c->igb_seen = ul_trace_has("igb_*");
	c->veth_seen = ul_trace_has("veth_*");
	c->lo_xmit_seen = ul_trace_has("loopback_xmit");
	c->ip_rcv_seen = ul_trace_has("ip_rcv");
	c->udp_rcv_seen = ul_trace_has("udp_rcv");
	c->backlog_seen = ul_trace_has("process_backlog");

	fprintf(out, "\n%s: %d datagrams of %d bytes from %s to %s:%d\n", c->title, LB_COUNT,
		LB_SIZE, LAB_NS_A, c->dst, port);
	fprintf(out, "  received %d; %ld functions traced for one datagram; first send to last "
		     "receive %llu ns (virtual)\n",
		u.received, c->funcs, (unsigned long long)c->latency_ns);
	fprintf(out, "  counters (delta): lo tx_packets %+lld, eth0 tx_packets %+lld, eth0 "
		     "rx_packets %+lld,\n"
		     "                    igb tx_packets (ethtool -S) %+lld, IpInReceives %+lld, "
		     "UdpInDatagrams %+lld\n",
		c->lo_tx, c->eth_tx, c->eth_rx, c->igb_tx, c->ip_in, c->udp_in);
	fprintf(out, "  the path of one datagram, by context (traced alone, %d received):\n",
		one.received);
	lab_print_path(out, 12);
	if (ul_lab_opts(ctx)->trace)
		ul_trace_write_text(out);
}

static int lab_loopback(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct lb_case c[3] = {
		{ .title = "1. to 127.0.0.1", .dst = "127.0.0.1" },
		{ .title = "2. to the host's own eth0 address", .dst = LAB_ADDR_A },
		{ .title = "3. to the other host, over the wire", .dst = LAB_ADDR_B },
	};
	char *route = NULL;
	int err, i;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: two hosts (namespaces) with an igb NIC each, wired back to back.\n");
	err = lab_two_hosts(ctx, 1, 256);
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false, "ip route get %s", LAB_ADDR_A);
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false, "ip route show table local");
	if (err)
		goto out;
	ul_cmd(LAB_NS_A, "ip route get " LAB_ADDR_A, &route);

	/* Warm the neighbour cache first, so case 3's path is the datagram's, not ARP's. */
	{
		struct lab_udp w = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				     .port = 4000, .count = 1, .size = 10, .rx_cpu = 1 };

		lab_udp_run(&w);
	}
	lb_run_case(ctx, &c[0], LAB_NS_A, 5001);
	lb_run_case(ctx, &c[1], LAB_NS_A, 5002);
	lb_run_case(ctx, &c[2], LAB_NS_B, 5003);

	fprintf(out, "\nThe book's figure beside ulnet's (ch5):\n");
	lab_book_beside(out, "telnet to the host's own IP: nothing on eth0, everything on lo; "
			     "no speed difference vs 127.0.0.1",
			c[1].eth_tx == 0 && c[1].lo_tx == LB_COUNT && c[1].latency_ns == c[0].latency_ns
				? "own eth0 address: eth0 +0, lo +all; same virtual time and the same "
				  "path length as 127.0.0.1"
				: "own eth0 address: see the counters above");
	fprintf(out, "\nAnswer: a datagram to 127.0.0.1 and one to the host's own eth0 address "
		     "take the same road. The route lookup hits the local table (%s), so the "
		     "output device is lo: ip_output hands the packet to loopback_xmit, which calls "
		     "netif_rx, and NET_RX softirq takes it through process_backlog, ip_rcv and "
		     "udp_rcv like any received packet. No igb function runs and eth0's counters "
		     "do not move, yet IP and UDP are fully traversed (IpInReceives and "
		     "UdpInDatagrams count %lld and %lld). Only traffic to another host goes "
		     "through igb_xmit_frame, the wire, and the other NIC's interrupt and "
		     "igb_poll.\n\nChecks:\n",
		route && strstr(route, "dev lo") ? "'local ... dev lo'" : "see ip route get",
		c[1].ip_in, c[1].udp_in);
	for (i = 0; i < 2; i++) {
		char name[96];
		const char *w = i ? "own address" : "127.0.0.1";

		snprintf(name, sizeof(name), "%s: all %d datagrams received", w, LB_COUNT);
		ul_lab_check(ctx, name, c[i].received == LB_COUNT, "received %d", c[i].received);
		snprintf(name, sizeof(name), "%s: the path has no igb_* or veth_* function", w);
		ul_lab_check(ctx, name, !c[i].igb_seen && !c[i].veth_seen, "igb %d veth %d",
			     c[i].igb_seen, c[i].veth_seen);
		snprintf(name, sizeof(name), "%s: loopback_xmit, process_backlog, ip_rcv, udp_rcv "
					     "traversed", w);
		ul_lab_check(ctx, name,
			     c[i].lo_xmit_seen && c[i].backlog_seen && c[i].ip_rcv_seen &&
				     c[i].udp_rcv_seen,
			     "loopback_xmit %d process_backlog %d ip_rcv %d udp_rcv %d",
			     c[i].lo_xmit_seen, c[i].backlog_seen, c[i].ip_rcv_seen,
			     c[i].udp_rcv_seen);
		snprintf(name, sizeof(name), "%s: eth0 and igb counters unchanged", w);
		ul_lab_check(ctx, name, c[i].eth_tx == 0 && c[i].eth_rx == 0 && c[i].igb_tx == 0,
			     "eth0 tx %+lld rx %+lld igb tx %+lld", c[i].eth_tx, c[i].eth_rx,
			     c[i].igb_tx);
		snprintf(name, sizeof(name), "%s: lo tx_packets delta == %d", w, LB_COUNT);
		ul_lab_check(ctx, name, c[i].lo_tx == LB_COUNT, "delta %+lld", c[i].lo_tx);
		snprintf(name, sizeof(name), "%s: UdpInDatagrams delta == %d", w, LB_COUNT);
		ul_lab_check(ctx, name, c[i].udp_in == LB_COUNT, "delta %+lld", c[i].udp_in);
	}
	ul_lab_check(ctx, "own address: as many functions as 127.0.0.1", c[0].funcs == c[1].funcs,
		     "%ld vs %ld", c[1].funcs, c[0].funcs);
	ul_lab_check(ctx, "own address: the route says dev lo", route && strstr(route, "dev lo"),
		     "ip route get said: %s", route ? route : "(nothing)");
	ul_lab_check(ctx, "other host: all datagrams received over igb",
		     c[2].received == LB_COUNT && c[2].igb_seen && c[2].eth_tx >= LB_COUNT &&
			     c[2].lo_tx == 0,
		     "received %d, igb in path %d, eth0 tx %+lld, lo tx %+lld", c[2].received,
		     c[2].igb_seen, c[2].eth_tx, c[2].lo_tx);
	ul_lab_evidence(ctx, "lo_latency_ns", "%llu", (unsigned long long)c[0].latency_ns);
	ul_lab_evidence(ctx, "own_addr_latency_ns", "%llu", (unsigned long long)c[1].latency_ns);
	ul_lab_evidence(ctx, "wire_latency_ns", "%llu", (unsigned long long)c[2].latency_ns);
	ul_lab_evidence(ctx, "own_addr_eth0_tx_delta", "%lld", c[1].eth_tx);
	ul_lab_evidence(ctx, "own_addr_lo_tx_delta", "%lld", c[1].lo_tx);
	ul_lab_evidence(ctx, "functions_lo", "%ld", c[0].funcs);
	ul_lab_evidence(ctx, "functions_wire", "%ld", c[2].funcs);
out:
	free(route);
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_loopback = {
	"loopback", "ch5",
	"Does traffic to 127.0.0.1, or to the host's own eth0 address, go through the NIC?",
	lab_loopback,
};
