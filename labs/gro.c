/* SPDX-License-Identifier: MIT */
/* The GRO lab (book ch9): the same TCP segments received with GRO on and off; GRO merges a
 * flow's in-order segments of one NAPI poll, so the stack above the driver runs once per
 * merged packet instead of once per segment.
 * Mirrors no kernel file: an experiment on net/core/dev.c (napi_gro_receive, dev_gro_receive,
 * napi_gro_complete) and igb_clean_rx_irq. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "net/hw.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "uapi/linux/in.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

#define GR_MSS	  1448
#define GR_SEGS	  64		/* segments per run */
#define GR_BURST  16		/* segments that arrive together (one poll) */

/* Ethernet + IPv4 + TCP (ACK, no options) of one flow 10.0.0.1:40000 -> 10.0.0.2:80, segment
 * @i of the stream, with correct checksums. Returns the frame length. */
static unsigned int gr_frame(u8 *buf, const u8 *mac, unsigned int i)
{
	struct lab_tcp_frame f = {
		.dst_mac = mac, .src_mac_last = 0x01, .df = true,
		.saddr = htonl(0x0a000001), .daddr = htonl(0x0a000002),
		.ip_id = (u16)(100 + i), .sport = 40000, .dport = 80, .window = 1024,
		.seq = 1 + i * GR_MSS, .ack_seq = 1, .ack = true, .plen = GR_MSS,
	};
	u8 *data = LAB_TCP_FRAME_DATA(buf, 0);
	unsigned int k;

	for (k = 0; k < GR_MSS; k++)
		data[k] = (u8)(f.seq + k);
	return lab_tcp_frame(buf, &f);
}

struct gr_result {
	long gro_calls, core_calls, ip_calls;
	long long ip_in, rx_packets;
};

static void gr_run(struct net_device *dev, struct gr_result *r)
{
	struct hw_nic *nic = hw_nic_of(dev);
	static u8 frame[ETH_HLEN + 60 + GR_MSS];
	long long ip0 = lab_counter(LAB_NS_B, "nstat IpInReceives"),
		  rx0 = lab_counter(LAB_NS_B, "dev eth0 rx_packets");
	unsigned int i;

	ul_trace_begin(0);
	for (i = 0; i < GR_SEGS; i++) {
		unsigned int len = gr_frame(frame, dev->dev_addr, i);

		hw_nic_receive(nic, frame, len);
		if (i % GR_BURST == GR_BURST - 1)
			ul_run_for(200 * 1000);	/* the poll takes the burst */
	}
	ul_run_for(1000 * 1000);
	ul_trace_end();
	r->gro_calls = lab_trace_calls("napi_gro_receive");
	r->core_calls = lab_trace_calls("__netif_receive_skb_core");
	r->ip_calls = lab_trace_calls("ip_rcv");
	r->ip_in = lab_counter(LAB_NS_B, "nstat IpInReceives") - ip0;
	r->rx_packets = lab_counter(LAB_NS_B, "dev eth0 rx_packets") - rx0;
}

static int lab_gro(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct gr_result on, off;
	struct net_device *dev;
	struct net *net;
	char *o = NULL;
	int err;

	memset(&on, 0, sizeof(on));
	memset(&off, 0, sizeof(off));
	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: hostb with an igb NIC; %d TCP segments of %d bytes of one flow "
		     "arrive from the wire in bursts of %d (one NAPI poll each).\n",
		GR_SEGS, GR_MSS, GR_BURST);
	err = lab_sh(ctx, NULL, true, "ip netns add %s", LAB_NS_B);
	if (!err)
		err = lab_sh(ctx, NULL, true, "hw nic add eth0 netns %s queues 1 speed 10000",
			     LAB_NS_B);
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, true, "ip link set eth0 up");
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, true, "ip addr add %s/24 dev eth0", LAB_ADDR_B);
	if (err)
		goto out;
	net = ul_net_by_name(LAB_NS_B);
	dev = net ? __dev_get_by_name(net, "eth0") : NULL;
	if (!dev || !hw_nic_of(dev)) {
		err = -ENODEV;
		goto out;
	}
	ul_run_for(1000 * 1000);

	fprintf(out, "\n1. GRO on (the default):\n");
	gr_run(dev, &on);
	fprintf(out, "  napi_gro_receive %ld, __netif_receive_skb_core %ld, ip_rcv %ld; "
		     "IpInReceives %+lld, eth0 rx_packets %+lld\n",
		on.gro_calls, on.core_calls, on.ip_calls, on.ip_in, on.rx_packets);
	fprintf(out, "\n2. GRO off:\n  $ ip netns exec %s ethtool -K eth0 gro off\n", LAB_NS_B);
	err = ul_ethtool_cmd(LAB_NS_B, "ethtool -K eth0 gro off", &o);
	free(o);
	if (err)
		goto out;
	gr_run(dev, &off);
	fprintf(out, "  napi_gro_receive %ld, __netif_receive_skb_core %ld, ip_rcv %ld; "
		     "IpInReceives %+lld, eth0 rx_packets %+lld\n",
		off.gro_calls, off.core_calls, off.ip_calls, off.ip_in, off.rx_packets);
	fprintf(out, "\n  per segment: the stack above the driver ran %.3f times with GRO, %.3f "
		     "without\n",
		(double)on.ip_calls / GR_SEGS, (double)off.ip_calls / GR_SEGS);

	fprintf(out,
		"\nAnswer (ch9): GRO (napi_gro_receive, called by igb_clean_rx_irq for every "
		"frame) holds a flow's in-order segments during one NAPI poll and merges them "
		"into one large skb, handed up at napi_complete (or when the flow breaks). The "
		"per-packet work above the driver (__netif_receive_skb_core, the taps, ip_rcv, "
		"netfilter, routing, the TCP lookup) then runs %ld times instead of %ld for %d "
		"segments; IP counts the merged packets (IpInReceives %+lld vs %+lld) while the "
		"NIC counted every frame (%lld). The data is unchanged, only fewer and larger skbs "
		"travel up; ethtool -K eth0 gro off restores one trip per segment.\n\nChecks:\n",
		on.ip_calls, off.ip_calls, GR_SEGS, on.ip_in, off.ip_in, on.rx_packets);
	ul_lab_check(ctx, "every segment reached GRO in both runs",
		     on.gro_calls == GR_SEGS && off.gro_calls == GR_SEGS, "%ld and %ld",
		     on.gro_calls, off.gro_calls);
	ul_lab_check(ctx, "GRO on: at most one trip up per burst",
		     on.core_calls >= 1 && on.core_calls <= GR_SEGS / GR_BURST,
		     "__netif_receive_skb_core %ld", on.core_calls);
	ul_lab_check(ctx, "GRO off: one trip up per segment", off.core_calls == GR_SEGS &&
		     off.ip_calls == GR_SEGS, "__netif_receive_skb_core %ld, ip_rcv %ld",
		     off.core_calls, off.ip_calls);
	ul_lab_check(ctx, "IpInReceives counts the merged packets",
		     on.ip_in == on.ip_calls && off.ip_in == GR_SEGS, "%lld and %lld", on.ip_in,
		     off.ip_in);
	ul_lab_check(ctx, "the NIC counted every frame", on.rx_packets == GR_SEGS &&
		     off.rx_packets == GR_SEGS, "%lld and %lld", on.rx_packets, off.rx_packets);
	ul_lab_evidence(ctx, "ip_rcv_gro_on", "%ld", on.ip_calls);
	ul_lab_evidence(ctx, "ip_rcv_gro_off", "%ld", off.ip_calls);
out:
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_gro = {
	"gro", "ch9",
	"How much per-packet work does GRO save: netif_receive_skb calls per segment, on and "
	"off?",
	lab_gro,
};
