/* SPDX-License-Identifier: MIT */
/* The loopback-TCP lab (book ch5, ch9): TCP over lo (the MSS lo's 64 KiB MTU gives, the path
 * without a NIC) against an AF_UNIX stream socket carrying the same bytes: time and CPU per
 * byte, and why the book advises a Unix socket between processes of one host.
 * Mirrors no kernel file: an experiment on drivers/net/loopback.c (loopback_xmit),
 * net/ipv4/route.c (ipv4_default_advmss), tcp_output.c (tcp_sync_mss) and
 * net/unix/af_unix.c (unix_stream_sendmsg). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"
#include "tcp_bulk.h"

#define LT_NS	 "hosta"
#define LT_SIZE	 (4 * 1024 * 1024)
#define LT_CHUNK 65536
#define LT_PORT	 7001
/* lo's MTU is 65536; ipv4_default_advmss caps the MSS at IP_MAX_MTU (65535) - 40 = 65495
 * (the SYN's MSS option), and once timestamps are negotiated 3.10 takes their 12 bytes off
 * tp->advmss: 65483, what `ss -i` prints as advmss on lo. */
#define LT_MSS	   65483

struct lt_case {
	const char *title;
	struct lab_bulk b;
	u64 vt_ns, cpu_ns;
	long long segs, lo_pkts, net_rx;
	double mbps, cpu_ns_per_kib;
};

static void lt_run(struct ul_lab_ctx *ctx, struct lt_case *c)
{
	FILE *out = ul_lab_out(ctx);
	long long s0 = lab_counter(LT_NS, "nstat TcpOutSegs");
	long long l0 = lab_counter(LT_NS, "dev lo tx_packets");
	long long r0 = lab_counter(LT_NS, "softirqs NET_RX all");

	if (lab_bulk_run(&c->b))
		c->b.tx_err = c->b.tx_err ? c->b.tx_err : EIO;
	c->segs = lab_counter(LT_NS, "nstat TcpOutSegs") - s0;
	c->lo_pkts = lab_counter(LT_NS, "dev lo tx_packets") - l0;
	c->net_rx = lab_counter(LT_NS, "softirqs NET_RX all") - r0;
	c->vt_ns = c->b.t_done > c->b.t_connected ? c->b.t_done - c->b.t_connected : 0;
	c->cpu_ns = c->b.tx_st.utime_ns + c->b.tx_st.stime_ns + c->b.rx_st.utime_ns +
		    c->b.rx_st.stime_ns;
	c->mbps = lab_bulk_mbps(&c->b);
	c->cpu_ns_per_kib = c->b.received ? (double)c->cpu_ns * 1024.0 / (double)c->b.received
					  : 0;
	fprintf(out, "\n%s: %zu bytes received (eof %d)\n", c->title, c->b.received, c->b.eof);
	fprintf(out, "  segments sent (TcpOutSegs) %+lld, lo tx_packets %+lld, NET_RX softirqs "
		     "%+lld\n", c->segs, c->lo_pkts, c->net_rx);
	/* DIVERGES: the sim's clock does not advance with CPU work, so a transfer on one host
	 * takes no virtual time; the CPU the tasks were charged (real time) is the cost. */
	fprintf(out, "  virtual time from connect to the last byte: %.3f ms; CPU charged to the "
		     "two tasks %.3f ms = %.1f ns per KiB; voluntary context switches %lu + %lu\n",
		(double)c->vt_ns / 1e6, (double)c->cpu_ns / 1e6, c->cpu_ns_per_kib,
		c->b.tx_st.nvcsw, c->b.rx_st.nvcsw);
}

static int lab_loopback_tcp(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct lt_case c[2] = {
		{ .title = "1. TCP to 127.0.0.1" },
		{ .title = "2. AF_UNIX stream (abstract name @ulnet-lab)" },
	};
	struct lab_bulk one = { .ns_tx = LT_NS, .ns_rx = LT_NS, .dst = "127.0.0.1",
				.port = LT_PORT + 10, .tx_cpu = 0, .rx_cpu = 1, .total = 1000,
				.nodelay = true };
	int err;
	bool igb, lo_xmit, backlog, tcp_rcv;

	c[0].b = (struct lab_bulk){ .ns_tx = LT_NS, .ns_rx = LT_NS, .dst = "127.0.0.1",
				    .port = LT_PORT, .tx_cpu = 0, .rx_cpu = 1, .total = LT_SIZE,
				    .chunk = LT_CHUNK };
	c[1].b = (struct lab_bulk){ .ns_tx = LT_NS, .ns_rx = LT_NS, .unix_path = "ulnet-lab",
				    .tx_cpu = 0, .rx_cpu = 1, .total = LT_SIZE,
				    .chunk = LT_CHUNK };
	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: one host (namespace %s), lo up; a sender task on CPU 0 writes %d "
		     "MiB in %d KiB writes to a receiver task on CPU 1.\n", LT_NS,
		LT_SIZE >> 20, LT_CHUNK >> 10);
	err = lab_sh(ctx, NULL, false, "ip netns add %s", LT_NS);
	if (!err)
		err = lab_sh(ctx, LT_NS, false, "ip link set lo up");
	if (!err)
		err = lab_sh(ctx, LT_NS, false, "ip link show lo");
	if (err)
		goto out;

	fprintf(out, "\nOne write of 1000 bytes over TCP to 127.0.0.1, traced (handshake, data, "
		     "close):\n");
	ul_trace_begin(0);
	err = lab_bulk_run(&one);
	ul_trace_end();
	if (err)
		goto out;
	lab_print_path(out, 10);
	igb = ul_trace_has("igb_*");
	lo_xmit = ul_trace_has("loopback_xmit");
	backlog = ul_trace_has("process_backlog");
	tcp_rcv = ul_trace_has("tcp_v4_rcv");
	fprintf(out, "  MSS: advmss %u, snd_mss %u (TCP_INFO of the sender; snd_mss is bounded "
		     "by half the peer's largest window, tcp_bound_to_half_wnd)\n",
		one.info.tcpi_advmss, one.info.tcpi_snd_mss);

	lt_run(ctx, &c[0]);
	lt_run(ctx, &c[1]);

	fprintf(out, "\nThe book's figure beside ulnet's (ch5, ch9):\n");
	lab_book_beside(out, "AF_UNIX more than 2x faster than loopback TCP for small "
			     "messages, the gap shrinking with size",
			"advmss 65483 on lo; AF_UNIX: no segment, no softirq (CPU above)");
	fprintf(out,
		"\nAnswer (ch5, ch9): TCP to 127.0.0.1 never touches a NIC: ip_output hands each "
		"segment to loopback_xmit, which queues it on the CPU's backlog, and NET_RX runs "
		"process_backlog, ip_rcv and tcp_v4_rcv as for a received packet. lo's 64 KiB MTU "
		"gives an MSS of %u (65535 - 40 for the headers, less 12 for timestamps; the "
		"sender's segments are also bounded by half the peer's window), so %d "
		"MiB took %lld segments instead of ~2,900 at 1448 bytes. Still, every byte goes "
		"through the whole TCP/IP machinery: segments, checksums, ACKs, timers, a softirq. "
		"An AF_UNIX stream socket moves the same bytes from the sender's skb straight onto "
		"the receiver's queue: no IP, no TCP, no softirq (NET_RX %+lld against %+lld), no "
		"ACK, which is why the book advises Unix sockets between processes of one host. "
		"CPU charged here: %.3f ms against TCP's %.3f ms (%.1f vs %.1f ns per KiB; real "
		"time, so it varies from run to run: a release build shows AF_UNIX many times "
		"cheaper, a sanitizer build not always).\n\nChecks:\n",
		one.info.tcpi_advmss, LT_SIZE >> 20, c[0].segs, c[1].net_rx, c[0].net_rx,
		(double)c[1].cpu_ns / 1e6, (double)c[0].cpu_ns / 1e6, c[1].cpu_ns_per_kib,
		c[0].cpu_ns_per_kib);
	ul_lab_check(ctx, "lo: advmss 65483 (MTU 65536 - 40 - 12 of timestamps)",
		     one.info.tcpi_advmss == LT_MSS, "advmss %u", one.info.tcpi_advmss);
	ul_lab_check(ctx, "lo: the sender's MSS above Ethernet's 1448, at most 65483",
		     one.info.tcpi_snd_mss > 1448 && one.info.tcpi_snd_mss <= LT_MSS,
		     "snd_mss %u", one.info.tcpi_snd_mss);
	ul_lab_check(ctx, "the TCP path has no igb_* function", !igb, "igb in the trace");
	ul_lab_check(ctx, "the TCP path has loopback_xmit, process_backlog, tcp_v4_rcv",
		     lo_xmit && backlog && tcp_rcv, "loopback_xmit %d process_backlog %d "
		     "tcp_v4_rcv %d", lo_xmit, backlog, tcp_rcv);
	ul_lab_check(ctx, "TCP: all bytes received, then the FIN",
		     c[0].b.received == LT_SIZE && c[0].b.eof && !c[0].b.tx_err,
		     "received %zu eof %d err %d", c[0].b.received, c[0].b.eof, c[0].b.tx_err);
	ul_lab_check(ctx, "AF_UNIX: all bytes received, then EOF",
		     c[1].b.received == LT_SIZE && c[1].b.eof && !c[1].b.tx_err,
		     "received %zu eof %d err %d", c[1].b.received, c[1].b.eof, c[1].b.tx_err);
	ul_lab_check(ctx, "TCP: at least size / 65483 data segments through lo",
		     c[0].segs >= LT_SIZE / LT_MSS && c[0].lo_pkts >= c[0].segs,
		     "segments %lld, lo packets %lld", c[0].segs, c[0].lo_pkts);
	ul_lab_check(ctx, "AF_UNIX: no TCP segment, no packet on lo",
		     c[1].segs == 0 && c[1].lo_pkts == 0, "segments %lld, lo packets %lld",
		     c[1].segs, c[1].lo_pkts);
	ul_lab_check(ctx, "TCP runs NET_RX softirqs, AF_UNIX none",
		     c[0].net_rx > 0 && c[1].net_rx == 0, "NET_RX %+lld vs %+lld", c[0].net_rx,
		     c[1].net_rx);
	ul_lab_evidence(ctx, "snd_mss", "%u", one.info.tcpi_snd_mss);
	ul_lab_evidence(ctx, "tcp_segments", "%lld", c[0].segs);
	ul_lab_evidence(ctx, "tcp_cpu_ns_per_kib", "%.1f", c[0].cpu_ns_per_kib);
	ul_lab_evidence(ctx, "unix_cpu_ns_per_kib", "%.1f", c[1].cpu_ns_per_kib);
out:
	ul_run_for(LAB_SEC);	/* the last connection's FIN and its ACK */
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_loopback_tcp = {
	"loopback-tcp", "ch5",
	"What MSS does TCP use over lo, does it touch a NIC, and what does it cost against an "
	"AF_UNIX socket?",
	lab_loopback_tcp,
};
