/* SPDX-License-Identifier: MIT */
/* The tcpdump vs netfilter lab (book ch2): a capture on eth0 sees inbound datagrams that a
 * netfilter LOCAL_IN hook then drops, because the capture's tap (ptype_all) runs in
 * __netif_receive_skb_core, before ip_rcv and its hooks.
 * Mirrors no kernel file: an experiment on net/core/dev.c (deliver_skb to ptype_all),
 * net/packet/af_packet.c (packet_rcv) and net/netfilter/core.c (nf_hook_slow). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/ip.h"
#include "trace/path.h"
#include "uapi/linux/in.h"
#include "uapi/linux/udp.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "book.h"

#define TN_PORT	 5001
#define TN_COUNT 3
#define TN_FILTER "udp port 5001"

static unsigned int tn_dropped;	/* verdicts of the hook (the hook lists are global) */
static __be32 tn_daddr;

/* The "firewall": drop UDP to tn_daddr:TN_PORT, as `iptables -A INPUT -p udp --dport 5001
 * -j DROP` would. Context: softirq (ip_local_deliver). */
static unsigned int tn_local_in(unsigned int hooknum, struct sk_buff *skb,
				const struct net_device *in, const struct net_device *out,
				int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh;

	if (iph->protocol != IPPROTO_UDP || iph->daddr != tn_daddr)
		return NF_ACCEPT;
	uh = (const struct udphdr *)((const u8 *)iph + iph->ihl * 4);
	if (uh->dest != htons(TN_PORT))
		return NF_ACCEPT;
	UL_TRACEF(skb, "NF_DROP udp dport %d", TN_PORT);
	tn_dropped++;
	return NF_DROP;
}

/* Packets in the pcap file @path, or -1. */
static long tn_pcap_count(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, errbuf);
	long n = 0;

	if (!p)
		return -1;
	while (pcap_next_ex(p, &h, &data) == 1 && n < 100000)
		n++;
	pcap_close(p);
	return n;
}

static int lab_tcpdump_netfilter(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	const char *keep = ul_lab_opts(ctx)->pcap_path;
	struct nf_hook_ops ops = { .hook = tn_local_in, .pf = NFPROTO_IPV4,
				   .hooknum = NF_INET_LOCAL_IN, .priority = 0 };
	struct lab_udp u = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
			     .port = TN_PORT, .count = TN_COUNT, .size = 64, .rx_cpu = 1 };
	struct lab_udp warm = { .ns_rx = LAB_NS_B, .ns_tx = LAB_NS_A, .dst = LAB_ADDR_B,
				.port = 4000, .count = 1, .size = 10, .rx_cpu = 1 };
	char tmp[256];
	long long ip0, ip1, ud0, ud1, dev0, dev1;
	long frames = -1, written, tap, hook, deliver;
	int err, cap = -1;

	snprintf(tmp, sizeof(tmp), "%s", keep ? keep : "");
	if (!keep) {
		const char *dir = getenv("TMPDIR");
		int fd;

		snprintf(tmp, sizeof(tmp), "%s/ulnet-lab-tcpdump-XXXXXX.pcap",
			 dir && *dir ? dir : "/tmp");
		fd = mkstemps(tmp, 5);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	err = lab_boot(ctx, 2);
	if (err)
		goto out_file;
	fprintf(out, "Setup: two hosts with an igb NIC each, wired back to back.\n");
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_udp_run(&warm);	/* ARP first */
	tn_dropped = 0;
	tn_daddr = htonl(0x0a000002);	/* LAB_ADDR_B */
	fprintf(out, "  a netfilter hook at LOCAL_IN drops UDP to %s port %d (as iptables -A "
		     "INPUT -p udp --dport %d -j DROP)\n",
		LAB_ADDR_B, TN_PORT, TN_PORT);
	err = nf_register_hook(&ops);
	if (err)
		goto out;
	fprintf(out, "  $ ip netns exec %s tcpdump -i eth0 -w %s '%s'\n", LAB_NS_B,
		keep ? tmp : "(a temporary file)", TN_FILTER);
	cap = ul_capture_start(LAB_NS_B, "eth0", TN_FILTER, tmp);
	if (cap < 0) {
		err = cap;
		nf_unregister_hook(&ops);
		goto out;
	}

	ip0 = lab_counter(LAB_NS_B, "nstat IpInReceives");
	ud0 = lab_counter(LAB_NS_B, "nstat UdpInDatagrams");
	dev0 = lab_counter(LAB_NS_B, "dev eth0 rx_packets");
	ul_trace_begin(0);
	lab_udp_run(&u);
	ul_trace_end();
	ip1 = lab_counter(LAB_NS_B, "nstat IpInReceives");
	ud1 = lab_counter(LAB_NS_B, "nstat UdpInDatagrams");
	dev1 = lab_counter(LAB_NS_B, "dev eth0 rx_packets");
	written = ul_capture_stop(cap);
	nf_unregister_hook(&ops);
	frames = tn_pcap_count(tmp);

	fprintf(out, "\n%d datagrams %s -> %s:%d:\n", TN_COUNT, LAB_ADDR_A, LAB_ADDR_B, TN_PORT);
	fprintf(out, "  tcpdump on hostb's eth0: %ld packet(s) captured (%ld read back from the "
		     "pcap)\n",
		written, frames);
	fprintf(out, "  the hook dropped %u; the receiver got %d\n", tn_dropped, u.received);
	fprintf(out, "  hostb counters (delta): eth0 rx_packets %+lld, IpInReceives %+lld, "
		     "UdpInDatagrams %+lld\n",
		dev1 - dev0, ip1 - ip0, ud1 - ud0);
	tap = lab_trace_find("packet_rcv", UL_CTX_SOFTIRQ, 0);
	hook = lab_trace_find("tn_local_in", UL_CTX_SOFTIRQ, 0);
	deliver = lab_trace_find("ip_local_deliver", UL_CTX_SOFTIRQ, 0);
	fprintf(out, "\nThe path by context (trace events #%ld packet_rcv, #%ld "
		     "ip_local_deliver, #%ld the hook):\n",
		tap, deliver, hook);
	lab_print_path(out, 10);

	fprintf(out,
		"\nAnswer: tcpdump is an AF_PACKET socket whose packet_rcv hangs on ptype_all; "
		"__netif_receive_skb_core hands every frame to those taps before it calls the "
		"protocol (ip_rcv), so the capture saw all %ld datagrams even though netfilter's "
		"LOCAL_IN hook (in ip_local_deliver, later in the same softirq) dropped them: IP "
		"counted them in IpInReceives (%+lld) but UDP never did (UdpInDatagrams %+lld). "
		"On the way out it is the other way round: dev_queue_xmit_nit runs in "
		"dev_hard_start_xmit, after the OUTPUT/POSTROUTING hooks, so tcpdump does not see "
		"what an outbound rule dropped. (iptables itself arrives with the netfilter "
		"tables; the hook here is registered with nf_register_hook, as a module would.)"
		"\n\nChecks:\n",
		frames, ip1 - ip0, ud1 - ud0);
	ul_lab_check(ctx, "the capture has every datagram", written == TN_COUNT &&
		     frames == TN_COUNT, "written %ld, read back %ld", written, frames);
	ul_lab_check(ctx, "netfilter dropped every datagram", tn_dropped == TN_COUNT &&
		     u.received == 0, "dropped %u, received %d", tn_dropped, u.received);
	ul_lab_check(ctx, "the tap ran before the hook", tap >= 0 && hook > tap,
		     "packet_rcv #%ld, hook #%ld", tap, hook);
	ul_lab_expect_delta(ctx, "hostb IpInReceives", ip0, ip1, "==", TN_COUNT);
	ul_lab_expect_delta(ctx, "hostb UdpInDatagrams", ud0, ud1, "==", 0);
	ul_lab_evidence(ctx, "captured", "%ld", frames);
	ul_lab_evidence(ctx, "nf_dropped", "%u", tn_dropped);
	if (keep)
		fprintf(out, "\nThe capture: %s (tcpdump -r %s -nn)\n", tmp, tmp);
out:
	lab_shutdown(ctx);
out_file:
	if (!keep)
		unlink(tmp);
	return err;
}

const struct ul_lab lab_def_tcpdump_netfilter = {
	"tcpdump-netfilter", "ch2",
	"Can tcpdump see a packet that netfilter (iptables) drops on the way in?",
	lab_tcpdump_netfilter,
};
