/* SPDX-License-Identifier: MIT */
/* The RingBuffer lab (book ch2): a burst larger than the RX ring is dropped by the NIC and
 * counted in rx_missed_errors; a ring resized with ethtool -G takes the same burst whole.
 * Mirrors no kernel file: an experiment on drivers/net/ethernet/intel/igb (igb_set_ringparam,
 * igb_clean_rx_irq, igb_alloc_rx_buffers) and the NIC's MPC/RNBC counters. */
#include <stdlib.h>
#include <string.h>
#include "linux/kernel.h"
#include "linux/kernel_stat.h"
#include "linux/netdevice.h"
#include "net/hw.h"
#include "net/net_namespace.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

#define RB_BURST      1000	/* frames in one burst */
#define RB_FRAME_LEN  512
#define RB_ETHERTYPE  0x88B5	/* IEEE 802 local experimental: no protocol handler */

struct rb_result {
	long long missed, delivered, no_buffer;
	unsigned int ring;
	/* the drain: NET_RX softirq runs, polls cut short (time_squeeze), softirq CPU */
	long long net_rx, squeeze;
	u64 si_ns;
};

/* `ethtool ARGS` on hostb's eth0, echoed as typed. 0 or -errno; *@text (may be NULL) keeps
 * the output. */
static int rb_ethtool(struct ul_lab_ctx *ctx, const char *args, bool show, char **text)
{
	FILE *out = ul_lab_out(ctx);
	char line[128], *o = NULL;
	int err;

	snprintf(line, sizeof(line), "ethtool %s", args);
	fprintf(out, "  $ ip netns exec %s %s\n", LAB_NS_B, line);
	err = ul_ethtool_cmd(LAB_NS_B, line, &o);
	if (o && (show || err)) {
		char *p = o, *nl;

		while (*p && (nl = strchr(p, '\n'))) {
			fprintf(out, "    %.*s\n", (int)(nl - p), p);
			p = nl + 1;
		}
	}
	if (text)
		*text = o;
	else
		free(o);
	return err;
}

/* The value after "@section" then "RX:" in ethtool -g's text, or 0. */
static unsigned int rb_ring_value(const char *text, const char *section)
{
	const char *p = text ? strstr(text, section) : NULL;

	p = p ? strstr(p, "\nRX:") : NULL;
	return p ? (unsigned int)strtoul(p + 4, NULL, 10) : 0;
}

/* A burst of RB_BURST frames arrives from the wire at one instant (DIVERGES: a real burst
 * is spread by the line rate; at one instant it is the worst case of a CPU that has not run
 * NAPI yet), then the stack runs until everything posted was processed. */
static void rb_burst(struct rb_result *r)
{
	struct net *net = ul_net_by_name(LAB_NS_B);
	struct net_device *dev = net ? __dev_get_by_name(net, "eth0") : NULL;
	struct hw_nic *nic = dev ? hw_nic_of(dev) : NULL;
	unsigned char frame[RB_FRAME_LEN];
	long long m0 = lab_counter(LAB_NS_B, "ethtool eth0 rx_missed_errors"),
		  n0 = lab_counter(LAB_NS_B, "ethtool eth0 rx_no_buffer_count"),
		  p0 = lab_counter(LAB_NS_B, "dev eth0 rx_packets"),
		  x0 = lab_counter(NULL, "softirqs NET_RX all"),
		  q0 = lab_counter(NULL, "softnet cpu0 time_squeeze") +
		       lab_counter(NULL, "softnet cpu1 time_squeeze");
	u64 cs0[2][NR_STATS], cs1[2][NR_STATS];
	int i;

	memset(r, 0, sizeof(*r));
	if (!nic)
		return;
	memcpy(frame, dev->dev_addr, ETH_ALEN);
	memcpy(frame + ETH_ALEN, "\x02\x00\x00\x00\x00\x01", ETH_ALEN);
	frame[12] = RB_ETHERTYPE >> 8;
	frame[13] = RB_ETHERTYPE & 0xff;
	for (i = 14; i < RB_FRAME_LEN; i++)
		frame[i] = (unsigned char)i;
	for (i = 0; i < 2; i++)
		ul_cpu_usage(i, cs0[i]);
	for (i = 0; i < RB_BURST; i++)
		hw_nic_receive(nic, frame, sizeof(frame));
	ul_run_for(50 * 1000 * 1000);
	for (i = 0; i < 2; i++) {
		ul_cpu_usage(i, cs1[i]);
		r->si_ns += cs1[i][CPUTIME_SOFTIRQ] - cs0[i][CPUTIME_SOFTIRQ];
	}
	r->net_rx = lab_counter(NULL, "softirqs NET_RX all") - x0;
	r->squeeze = lab_counter(NULL, "softnet cpu0 time_squeeze") +
		     lab_counter(NULL, "softnet cpu1 time_squeeze") - q0;
	r->missed = lab_counter(LAB_NS_B, "ethtool eth0 rx_missed_errors") - m0;
	r->no_buffer = lab_counter(LAB_NS_B, "ethtool eth0 rx_no_buffer_count") - n0;
	r->delivered = lab_counter(LAB_NS_B, "dev eth0 rx_packets") - p0;
}

/* What draining the ring cost: the last frame of the burst waits for every frame before it. */
static void rb_print_drain(FILE *out, const struct rb_result *r)
{
	fprintf(out, "  the drain: %lld NET_RX softirq run(s), %lld cut short by the budget "
		     "(time_squeeze), %.0f us of softirq CPU = %.0f ns per frame: the last frame "
		     "waited behind %lld others\n", r->net_rx, r->squeeze, (double)r->si_ns / 1e3,
		r->delivered ? (double)r->si_ns / (double)r->delivered : 0.0,
		r->delivered ? r->delivered - 1 : 0);
}

static int lab_ringbuffer(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct rb_result small, big;
	unsigned int max0, cur0, cur_small, cur_big;
	char *g0 = NULL, *g1 = NULL, *g2 = NULL, line[160];
	int err;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: one host with an igb NIC (1 queue, default ring), up.\n");
	err = lab_sh(ctx, NULL, true, "ip netns add %s", LAB_NS_B);
	if (!err)
		err = lab_sh(ctx, NULL, true, "hw nic add eth0 netns %s queues 1 speed 1000",
			     LAB_NS_B);
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, true, "ip link set eth0 up");
	if (!err)
		err = rb_ethtool(ctx, "-g eth0", true, &g0);
	if (err)
		goto out;
	max0 = rb_ring_value(g0, "Pre-set maximums:");
	cur0 = rb_ring_value(g0, "Current hardware settings:");

	fprintf(out, "\n1. The ring at its minimum, then a burst of %d frames of %d bytes:\n",
		RB_BURST, RB_FRAME_LEN);
	err = rb_ethtool(ctx, "-G eth0 rx 64", false, NULL);
	if (!err)
		err = rb_ethtool(ctx, "-g eth0", false, &g1);
	if (err)
		goto out;
	cur_small = rb_ring_value(g1, "Current hardware settings:");
	rb_burst(&small);
	small.ring = cur_small;
	fprintf(out, "  ring %u: delivered %lld, rx_missed_errors +%lld, rx_no_buffer_count "
		     "+%lld\n",
		cur_small, small.delivered, small.missed, small.no_buffer);
	rb_print_drain(out, &small);

	fprintf(out, "\n2. The ring at its maximum, the same burst:\n");
	err = rb_ethtool(ctx, "-G eth0 rx 4096", false, NULL);
	if (!err)
		err = rb_ethtool(ctx, "-g eth0", false, &g2);
	if (err)
		goto out;
	cur_big = rb_ring_value(g2, "Current hardware settings:");
	rb_burst(&big);
	big.ring = cur_big;
	fprintf(out, "  ring %u: delivered %lld, rx_missed_errors +%lld, rx_no_buffer_count "
		     "+%lld\n",
		cur_big, big.delivered, big.missed, big.no_buffer);
	rb_print_drain(out, &big);
	{
		static const char *const keep[] = { "rx_packets:", "rx_no_buffer_count:",
						     "rx_missed_errors:", "rx_fifo_errors:",
						     "rx_queue_0_drops:" };
		char *s = NULL, *p, *nl;
		size_t k;

		fprintf(out, "\n");
		fprintf(out, "  $ ip netns exec %s ethtool -S eth0   (the drop counters)\n",
			LAB_NS_B);
		ul_ethtool_cmd(LAB_NS_B, "ethtool -S eth0", &s);
		for (p = s; p && *p && (nl = strchr(p, '\n')); p = nl + 1)
			for (k = 0; k < ARRAY_SIZE(keep); k++)
				if (strstr(p, keep[k]) && strstr(p, keep[k]) < nl)
					fprintf(out, "    %.*s\n", (int)(nl - p), p);
		free(s);
	}

	fprintf(out, "\nThe book's figure beside ulnet's (ch2, ethtool -g on igb):\n");
	snprintf(line, sizeof(line), "maximum %u, current %u (igb's IGB_DEFAULT_RXD; the book's "
				     "host had raised it to 512)",
		 max0, cur0);
	lab_book_beside(out, "maximum 4096, current 512", line);
	fprintf(out,
		"\nAnswer: the RX RingBuffer is the NIC's only place to put a frame before the CPU "
		"runs. The driver posts ring-1 empty buffers (%u of %u); a burst that arrives "
		"before NAPI has refilled them finds no descriptor, and the NIC drops the rest "
		"itself, counting them in rx_missed_errors (MPC) and rx_no_buffer_count (RNBC): "
		"%lld of %d frames here. The kernel never sees those frames, so no softnet_stat or "
		"/proc/net/snmp counter moves; only ethtool -S shows them. With ethtool -G eth0 rx "
		"4096 the same burst fits (%lld delivered, %lld missed), at the price of more "
		"memory pinned per queue and of frames waiting longer in a deep queue: NAPI takes "
		"64 frames per poll and net_rx_action 300 per run, so the %lldth frame is handled "
		"in the %lldth NET_RX run, after %.0f us of softirq work on this machine (%.0f us "
		"at ring 64, where the burst was cut to %lld frames). A full 4096-entry ring "
		"would hold about %.1f ms of that work: the latency the book warns of. (DIVERGES: "
		"the sim's clock does not advance while code runs, so this wait is the CPU time "
		"the drain really took, not a latency in virtual time; the CPU figures vary from "
		"run to run.)\n\nChecks:\n",
		cur_small ? cur_small - 1 : 0, cur_small, small.missed, RB_BURST, big.delivered,
		big.missed, big.delivered, big.net_rx, (double)big.si_ns / 1e3,
		(double)small.si_ns / 1e3, small.delivered,
		big.delivered ? 4096.0 * (double)big.si_ns / (double)big.delivered / 1e6 : 0.0);
	ul_lab_check(ctx, "ethtool -g: maximum 4096", max0 == 4096, "maximum %u", max0);
	ul_lab_check(ctx, "ethtool -G rx 64 then 4096 took effect", cur_small == 64 &&
		     cur_big == 4096, "current %u then %u", cur_small, cur_big);
	ul_lab_expect_delta(ctx, "ring 64: rx_missed_errors", 0, small.missed, ">", 0);
	ul_lab_check(ctx, "ring 64: delivered == ring - 1 and the rest missed",
		     small.delivered == 63 && small.delivered + small.missed == RB_BURST,
		     "delivered %lld missed %lld", small.delivered, small.missed);
	ul_lab_expect_delta(ctx, "ring 4096: rx_missed_errors", 0, big.missed, "==", 0);
	ul_lab_check(ctx, "ring 4096: the whole burst delivered", big.delivered == RB_BURST,
		     "delivered %lld", big.delivered);
	ul_lab_check(ctx, "ring 4096: the deeper burst takes more NET_RX runs to drain",
		     big.net_rx > small.net_rx && big.squeeze > 0, "%lld vs %lld runs, %lld squeezed",
		     big.net_rx, small.net_rx, big.squeeze);
	ul_lab_evidence(ctx, "ring_default", "%u", cur0);
	ul_lab_evidence(ctx, "ring_max", "%u", max0);
	ul_lab_evidence(ctx, "missed_ring64", "%lld", small.missed);
	ul_lab_evidence(ctx, "missed_ring4096", "%lld", big.missed);
	ul_lab_evidence(ctx, "net_rx_runs_ring64", "%lld", small.net_rx);
	ul_lab_evidence(ctx, "net_rx_runs_ring4096", "%lld", big.net_rx);
	ul_lab_evidence(ctx, "drain_si_us_ring4096", "%.0f", (double)big.si_ns / 1e3);
out:
	free(g0);
	free(g1);
	free(g2);
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_ringbuffer = {
	"ringbuffer", "ch2",
	"Why does the RingBuffer drop packets, and does a larger ring (ethtool -G) help?",
	lab_ringbuffer,
};
