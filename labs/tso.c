/* SPDX-License-Identifier: MIT */
/* The TSO/GSO lab (book ch9, "GRO/TSO"): one bulk TCP transfer with segmentation offload on,
 * with TSO off but GSO on, and with both off (ethtool -K eth0 tso off gso off): how many
 * times TCP and the device layer run per MiB against the packets the wire carries, and the
 * CPU time by context.
 * Mirrors no kernel file: an experiment on net/ipv4/tcp_output.c (tcp_write_xmit,
 * tcp_transmit_skb, tcp_xmit_size_goal), net/core/dev.c (dev_hard_start_xmit,
 * dev_gso_segment), net/ipv4/tcp_offload.c (tcp_gso_segment) and igb's TSO (igb_tso). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linux/kernel.h"
#include "drivers/net/ethernet/intel/igb/igb.h"
#include "linux/kernel_stat.h"
#include "linux/netdevice.h"
#include "net/hw.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"
#include "tcp_bulk.h"

#define TS_TRACE_BYTES	(4u << 20)	/* the traced transfer: calls per MiB */
#define TS_CPU_BYTES	(8u << 20)	/* the untraced one: CPU time per MiB */
#define TS_MIB		(1024.0 * 1024.0)
#define TS_CONFIGS	3
#define TS_CPU_REPS	3	/* untraced runs per setting: the least CPU of each counts */

struct ts_conf {
	const char *name;
	const char *ethtool;	/* applied on hosta's eth0 before the run (NULL: none) */
	/* results of the traced run, per MiB, hosta's side only */
	double xmit_skb, dev_xmit, gso_seg, drv_xmit, out_segs, wire, tso_ctx;
	/* of the untraced run: the sender task's system time, CPU 0's (hosta's) softirq and
	 * hardirq time, CPU 1's (hostb's) softirq time */
	double sy_us, si_us, hi_us, si_rx_us, mbps;
	bool complete;
};

/* Traced events of @func: the sender's (hosta's) share, hostb's removed (@hostb_calls). */
static double ts_calls(const char *func, long long hostb_calls, double mib)
{
	return (double)(lab_trace_calls(func) - hostb_calls) / mib;
}

/* The traced transfer: calls per MiB. hostb sends only ACKs (and its FIN), one segment,
 * one skb and one frame each: its tcp_transmit_skb, dev_hard_start_xmit and igb_xmit_frame
 * calls are its TcpOutSegs and its eth0 tx_packets, taken out of the counts. */
static int ts_traced(struct ts_conf *c, int port)
{
	struct lab_bulk b = { .ns_tx = LAB_NS_A, .ns_rx = LAB_NS_B, .dst = LAB_ADDR_B,
			      .port = port, .tx_cpu = 0, .rx_cpu = lab_cpu(1),
			      .total = TS_TRACE_BYTES };
	long long segs_a, segs_b, tx_b, wire_a, tso_a;
	double mib = TS_TRACE_BYTES / TS_MIB;
	int err;

	segs_a = lab_counter(LAB_NS_A, "nstat TcpOutSegs");
	segs_b = lab_counter(LAB_NS_B, "nstat TcpOutSegs");
	tx_b = lab_counter(LAB_NS_B, "dev eth0 tx_packets");
	wire_a = lab_counter(LAB_NS_A, "ethtool eth0 tx_packets");
	tso_a = lab_counter(LAB_NS_A, "ethtool eth0 tx_tcp_seg_good");
	err = ul_trace_begin(4000000);
	if (err)
		return err;
	err = lab_bulk_run(&b);
	ul_trace_end();
	if (err)
		return err;
	segs_b = lab_counter(LAB_NS_B, "nstat TcpOutSegs") - segs_b;
	tx_b = lab_counter(LAB_NS_B, "dev eth0 tx_packets") - tx_b;
	c->complete = b.received == TS_TRACE_BYTES && b.eof && !b.tx_err && !b.rx_err;
	c->xmit_skb = ts_calls("tcp_transmit_skb", segs_b, mib);
	c->dev_xmit = ts_calls("dev_hard_start_xmit", tx_b, mib);
	c->drv_xmit = ts_calls("igb_xmit_frame", tx_b, mib);
	c->gso_seg = ts_calls("skb_gso_segment", 0, mib);
	c->out_segs = (double)(lab_counter(LAB_NS_A, "nstat TcpOutSegs") - segs_a) / mib;
	c->wire = (double)(lab_counter(LAB_NS_A, "ethtool eth0 tx_packets") - wire_a) / mib;
	c->tso_ctx = (double)(lab_counter(LAB_NS_A, "ethtool eth0 tx_tcp_seg_good") - tso_a) / mib;
	return ul_trace_lost() ? -ENOSPC : 0;
}

static int ts_cpu_once(struct ts_conf *c, int port);

/* The untraced transfer, TS_CPU_REPS times: CPU time per MiB by context, the least of the
 * runs for each (the sim charges real time: a run the OS preempted only gets slower).
 * hosta's task and vector are on CPU 0, hostb's on CPU 1 (ts_split_cpus), so CPU 0's
 * softirq time is the sender's. */
static int ts_cpu(struct ts_conf *c, int port)
{
	struct ts_conf r;
	int i, err;

	for (i = 0; i < TS_CPU_REPS; i++) {
		r = *c;
		err = ts_cpu_once(&r, port + 100 * i);
		if (err)
			return err;
		c->complete = r.complete;
		c->sy_us = i ? min(c->sy_us, r.sy_us) : r.sy_us;
		c->si_us = i ? min(c->si_us, r.si_us) : r.si_us;
		c->hi_us = i ? min(c->hi_us, r.hi_us) : r.hi_us;
		c->si_rx_us = i ? min(c->si_rx_us, r.si_rx_us) : r.si_rx_us;
		c->mbps = r.mbps;
	}
	return 0;
}

static int ts_cpu_once(struct ts_conf *c, int port)
{
	struct lab_bulk b = { .ns_tx = LAB_NS_A, .ns_rx = LAB_NS_B, .dst = LAB_ADDR_B,
			      .port = port, .tx_cpu = 0, .rx_cpu = lab_cpu(1),
			      .total = TS_CPU_BYTES };
	u64 cs0[2][NR_STATS], cs1[2][NR_STATS];
	double mib = TS_CPU_BYTES / TS_MIB;
	int cpu, err;

	for (cpu = 0; cpu < 2; cpu++)
		ul_cpu_usage(cpu, cs0[cpu]);
	err = lab_bulk_run(&b);
	if (err)
		return err;
	for (cpu = 0; cpu < 2; cpu++)
		ul_cpu_usage(cpu, cs1[cpu]);
	c->complete = c->complete && b.received == TS_CPU_BYTES && b.eof;
	c->sy_us = (double)b.tx_st.stime_ns / 1e3 / mib;
	c->si_us = (double)(cs1[0][CPUTIME_SOFTIRQ] - cs0[0][CPUTIME_SOFTIRQ]) / 1e3 / mib;
	c->hi_us = (double)(cs1[0][CPUTIME_IRQ] - cs0[0][CPUTIME_IRQ]) / 1e3 / mib;
	c->si_rx_us = (double)(cs1[1][CPUTIME_SOFTIRQ] - cs0[1][CPUTIME_SOFTIRQ]) / 1e3 / mib;
	c->mbps = lab_bulk_mbps(&b);
	return 0;
}

/* hostb's vector to CPU 1 (its receiver task's CPU): CPU 0 then runs only hosta's side. */
static int ts_split_cpus(FILE *out)
{
	struct net *net = ul_net_by_name(LAB_NS_B);
	struct net_device *dev = net ? __dev_get_by_name(net, "eth0") : NULL;
	struct igb_adapter *ad = dev ? netdev_priv(dev) : NULL;
	char path[64];

	if (!ad || ad->q_vector[0].irq <= 0)
		return -ENODEV;
	if (lab_cpu(1) == 0)
		return 0;	/* --cpus 1: everything on CPU 0 */
	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity", ad->q_vector[0].irq);
	fprintf(out, "  $ ip netns exec %s echo 2 > %s   (hostb's eth0-TxRx-0 to CPU 1)\n",
		LAB_NS_B, path);
	return ul_proc_write(NULL, path, "2");
}

/* `ethtool -k eth0` on hosta, its segmentation lines. */
static void ts_show_features(FILE *out)
{
	char *o = NULL, *p, *save = NULL;

	fprintf(out, "  $ ip netns exec %s ethtool -k eth0   (abridged)\n", LAB_NS_A);
	if (!ul_ethtool_cmd(LAB_NS_A, "ethtool -k eth0", &o) && o)
		for (p = strtok_r(o, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
			if (strstr(p, "segmentation-offload"))
				fprintf(out, "    %s\n", p);
	free(o);
}

static void ts_table(FILE *out, const struct ts_conf *c)
{
	int i;

	fprintf(out, "\nPer MiB sent (hosta's side; the traced %u MiB transfer):\n",
		TS_TRACE_BYTES >> 20);
	fprintf(out, "  %-28s %9s %9s %9s %9s %9s %9s\n", "", "TcpOutSegs", "tcp_tx_skb",
		"dev_xmit", "gso_segm", "igb_xmit", "wire");
	for (i = 0; i < TS_CONFIGS; i++)
		fprintf(out, "  %-28s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f\n", c[i].name,
			c[i].out_segs, c[i].xmit_skb, c[i].dev_xmit, c[i].gso_seg, c[i].drv_xmit,
			c[i].wire);
	fprintf(out, "  (tcp_tx_skb: tcp_transmit_skb; dev_xmit: dev_hard_start_xmit; gso_segm: "
		     "skb_gso_segment, the software GSO; igb_xmit: the driver's ndo_start_xmit; "
		     "wire: frames the NIC sent, ethtool -S tx_packets)\n");
	fprintf(out, "\nCPU time per MiB (the least of %d untraced %u MiB transfers): hosta's sender "
		     "task in the kernel (sy), CPU 0's softirq and hardirq (hosta: ACKs, the "
		     "ACK-clocked sends, TX completions), CPU 1's softirq (hostb's receive):\n",
		TS_CPU_REPS, TS_CPU_BYTES >> 20);
	for (i = 0; i < TS_CONFIGS; i++)
		fprintf(out, "  %-28s sy %7.1f us  si %7.1f us  hi %5.1f us | receiver si %7.1f us"
			     "  (%.0f Mbit/s)\n", c[i].name, c[i].sy_us, c[i].si_us, c[i].hi_us,
			c[i].si_rx_us, c[i].mbps);
}

static void ts_checks(struct ul_lab_ctx *ctx, const struct ts_conf *c)
{
	const struct ts_conf *on = &c[0], *gso = &c[1], *none = &c[2];
	double mss_frames = TS_MIB / 1448;

	ul_lab_check(ctx, "every transfer byte-complete with FIN",
		     on->complete && gso->complete && none->complete, "%d %d %d", on->complete,
		     gso->complete, none->complete);
	ul_lab_check(ctx, "the wire carries MSS frames in all three (within 5%)",
		     on->wire >= mss_frames * 0.98 && on->wire <= mss_frames * 1.05 &&
			     gso->wire >= on->wire * 0.95 && gso->wire <= on->wire * 1.05 &&
			     none->wire >= on->wire * 0.95 && none->wire <= on->wire * 1.05,
		     "%.1f %.1f %.1f frames per MiB", on->wire, gso->wire, none->wire);
	ul_lab_check(ctx, "TSO on: at most a quarter of the tcp_transmit_skb calls of TSO/GSO off",
		     on->xmit_skb > 0 && on->xmit_skb * 4 <= none->xmit_skb, "%.1f vs %.1f",
		     on->xmit_skb, none->xmit_skb);
	ul_lab_check(ctx, "TSO on: one driver call per skb, the NIC cuts the frames",
		     on->drv_xmit * 4 <= on->wire && on->tso_ctx > 0 && on->gso_seg == 0,
		     "igb_xmit_frame %.1f, wire %.1f, tx_tcp_seg_good %.1f", on->drv_xmit, on->wire,
		     on->tso_ctx);
	ul_lab_check(ctx, "GSO only: TCP still sends big skbs, cut just before the driver",
		     gso->xmit_skb * 4 <= none->xmit_skb && gso->gso_seg > 0 &&
			     gso->drv_xmit >= gso->wire * 0.95 && gso->tso_ctx == 0,
		     "tcp_transmit_skb %.1f, skb_gso_segment %.1f, igb_xmit_frame %.1f",
		     gso->xmit_skb, gso->gso_seg, gso->drv_xmit);
	ul_lab_check(ctx, "TSO and GSO off: one tcp_transmit_skb and one driver call per segment",
		     none->xmit_skb >= none->out_segs * 0.95 && none->gso_seg == 0 &&
			     none->drv_xmit >= none->wire * 0.95 && none->tso_ctx == 0,
		     "tcp_transmit_skb %.1f, TcpOutSegs %.1f, igb_xmit_frame %.1f", none->xmit_skb,
		     none->out_segs, none->drv_xmit);
	ul_lab_evidence(ctx, "tcp_transmit_skb_per_mib_tso", "%.1f", on->xmit_skb);
	ul_lab_evidence(ctx, "tcp_transmit_skb_per_mib_gso", "%.1f", gso->xmit_skb);
	ul_lab_evidence(ctx, "tcp_transmit_skb_per_mib_off", "%.1f", none->xmit_skb);
	ul_lab_evidence(ctx, "dev_hard_start_xmit_per_mib_tso", "%.1f", on->dev_xmit);
	ul_lab_evidence(ctx, "dev_hard_start_xmit_per_mib_off", "%.1f", none->dev_xmit);
	ul_lab_evidence(ctx, "wire_frames_per_mib", "%.1f", on->wire);
	ul_lab_evidence(ctx, "sy_us_per_mib_tso", "%.1f", on->sy_us);
	ul_lab_evidence(ctx, "sy_us_per_mib_off", "%.1f", none->sy_us);
	ul_lab_evidence(ctx, "si_us_per_mib_tso", "%.1f", on->si_us);
	ul_lab_evidence(ctx, "si_us_per_mib_off", "%.1f", none->si_us);
}

static int lab_tso(struct ul_lab_ctx *ctx)
{
	struct ts_conf c[TS_CONFIGS] = {
		{ .name = "tso on, gso on (default)" },
		{ .name = "tso off, gso on", .ethtool = "ethtool -K eth0 tso off" },
		{ .name = "tso off, gso off", .ethtool = "ethtool -K eth0 gso off" },
	};
	FILE *out = ul_lab_out(ctx);
	int err, i;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: two hosts with an igb NIC each at 1000 Mbit/s, wired back to back; "
		     "a sender task on hosta (CPU 0) writes to a receiver task on hostb (CPU 1) "
		     "in 64 KiB writes, once traced (%u MiB, to count calls) and %d times not (%u "
		     "MiB, for CPU time), for each setting of hosta's eth0.\n",
		TS_TRACE_BYTES >> 20, TS_CPU_REPS, TS_CPU_BYTES >> 20);
	err = lab_two_hosts(ctx, 1, 1024);
	if (!err)
		err = ts_split_cpus(out);
	if (err)
		goto out;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	for (i = 0; i < TS_CONFIGS && !err; i++) {
		fprintf(out, "\n%d. %s:\n", i + 1, c[i].name);
		if (c[i].ethtool)
			err = lab_sh(ctx, LAB_NS_A, false, "%s", c[i].ethtool);
		if (!err)
			ts_show_features(out);
		if (!err)
			err = ts_traced(&c[i], 5001 + 2 * i);
		if (!err)
			err = ts_cpu(&c[i], 5002 + 2 * i);
		if (!err)
			fprintf(out, "  %.1f segments per MiB left TCP in %.1f skbs "
				     "(tcp_transmit_skb); the driver was called %.1f times; the "
				     "wire carried %.1f frames\n", c[i].out_segs, c[i].xmit_skb,
				c[i].drv_xmit, c[i].wire);
	}
	if (err)
		goto out;
	ts_table(out, c);
	fprintf(out,
		"\nAnswer (ch9): the wire always carries MSS-sized frames (%.0f per MiB); what TSO "
		"and GSO change is how many times the stack runs to produce them. With TSO "
		"(igb's default) tcp_write_xmit builds skbs of up to 64 KiB (tcp_xmit_size_goal) "
		"and each goes down once: %.1f tcp_transmit_skb and %.1f driver calls per MiB, the "
		"NIC cutting each into frames (tx_tcp_seg_good). With TSO off and GSO on, TCP "
		"still builds big skbs (%.1f per MiB) and dev_hard_start_xmit cuts them in "
		"software just before the driver (skb_gso_segment %.1f per MiB, then one driver "
		"call per frame, %.1f): IP, netfilter and the qdisc still run once per big skb. "
		"With both off every segment travels the whole path alone: %.1f tcp_transmit_skb "
		"and %.1f driver calls per MiB, %.0fx the calls of TSO. On Linux those calls are "
		"the CPU TSO saves (the book's advice). The CPU figures above are real time of "
		"this machine, the least of %d runs, and are not checked: they vary from run to "
		"run, and they do not show the saving well. DIVERGES: the simulated NIC does its "
		"own work (cutting TSO frames, queueing each frame on the wire) inside the "
		"doorbell write, so that hardware time is charged to the context that rang it, "
		"mostly the sender's softirq (ACK-clocked sends), and it is per wire frame in all "
		"three settings.\n\nChecks:\n",
		c[0].wire, c[0].xmit_skb, c[0].drv_xmit, c[1].xmit_skb, c[1].gso_seg,
		c[1].drv_xmit, c[2].xmit_skb, c[2].drv_xmit,
		c[0].xmit_skb > 0 ? c[2].xmit_skb / c[0].xmit_skb : 0.0, TS_CPU_REPS);
	ts_checks(ctx, c);
out:
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_tso = {
	"tso", "ch9",
	"What do TSO and GSO save: TCP and driver calls per MiB against the packets on the wire, "
	"and CPU time by context, on and off?",
	lab_tso,
};
