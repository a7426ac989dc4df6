/* SPDX-License-Identifier: MIT */
/* The igb driver: the receive path of book ch2 as a function trace, TX completion (ch4's
 * RingBuffer reclamation), ethtool -S/-g/-G/-c, TSO in the NIC, the receive buffers (2 KiB
 * blocks, the 256-byte copybreak and truesize as 3.10's igb). */
#include <stdio.h>
#include "hw_test_util.h"
#include "linux/interrupt.h"
#include "trace/path.h"
#include "ulnet/socket.h"

static unsigned long rx_calls;
static int test_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	UL_TRACE(skb);
	rx_calls++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type test_pt = {
	.type = htons_c(TEST_ETHERTYPE),
	.func = test_rcv,
};

/* Book ch2: DMA -> hard IRQ -> NET_RX softirq -> poll -> GRO -> netif_receive_skb -> the
 * protocol handler, each in its context. */
static void test_rx_function_path(void **state)
{
	static const char *const chain[] = {
		"igb_msix_ring", "__napi_schedule", "net_rx_action", "igb_poll",
		"igb_clean_tx_irq", "igb_clean_rx_irq", "napi_gro_receive", "netif_receive_skb",
		"__netif_receive_skb", "test_rcv", "igb_alloc_rx_buffers", "napi_complete",
	};
	static const u8 ctx[] = {
		UL_CTX_HARDIRQ, UL_CTX_HARDIRQ, UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ,
		UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ,
		UL_CTX_SOFTIRQ, UL_CTX_SOFTIRQ,
	};
	struct net_device *dev = tnic_up(NULL, "eth0", 2, 256, 10000);
	struct igb_adapter *adapter = tnic_adapter(dev);
	u8 frame[60];
	size_t i, n, k = 0;

	(void)state;
	dev_add_pack(&test_pt);
	tframe_raw(frame, dev->dev_addr, TEST_ETHERTYPE, sizeof(frame), 3);
	assert_int_equal(ul_trace_start(0), 0);
	assert_int_equal(hw_nic_receive(hw_nic_of(dev), frame, sizeof(frame)), 0);
	ul_run_for(1000 * 1000);
	ul_trace_stop();
	assert_int_equal(rx_calls, 1);
	n = ul_trace_count();
	for (i = 0; i < n && k < ARRAY_SIZE(chain); i++) {
		const struct ul_trace_event *ev = ul_trace_event(i);

		if (strcmp(ev->func, chain[k]))
			continue;
		assert_int_equal(ev->ctx, ctx[k]);
		/* Queue 0's vector is bound to CPU 0: everything runs there. */
		assert_int_equal(ev->cpu, adapter->q_vector[0].cpu);
		k++;
	}
	if (k != ARRAY_SIZE(chain)) {
		ul_trace_write_text(stderr);
		fail_msg("chain stops at %s", chain[k]);
	}
	ul_trace_reset();
	dev_remove_pack(&test_pt);
	tnic_del(NULL, "eth0");
}

/* Book ch2 to the socket: a UDP datagram from DMA to the receive queue of a bound socket
 * (TCP does not exist yet: UDP takes its place at the top of the chain). */
static void test_rx_path_to_socket(void **state)
{
	static const char *const chain[] = {
		"igb_msix_ring", "net_rx_action", "igb_poll", "igb_clean_rx_irq",
		"napi_gro_receive", "netif_receive_skb", "__netif_receive_skb", "ip_rcv",
		"ip_rcv_finish", "ip_local_deliver", "ip_local_deliver_finish", "udp_rcv",
		"udp_queue_rcv_skb",
	};
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9000),
				   .sin_addr.s_addr = htonl(0x0a000001) };
	u8 frame[14 + 20 + 8 + 5];
	struct iphdr *iph = (struct iphdr *)(frame + 14);
	u8 *uh = frame + 34;
	char *out = NULL, got[16];
	size_t i, n, k = 0;
	int fd;

	(void)state;
	assert_int_equal(ul_cmd(NULL, "ip addr add 10.0.0.1/24 dev eth0", &out), 0);
	free(out);
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dev->dev_addr, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x02", 6);
	frame[12] = 0x08;
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->tot_len = htons(20 + 8 + 5);
	iph->saddr = htonl(0x0a000002);
	iph->daddr = htonl(0x0a000001);
	iph->check = ip_fast_csum(iph, 5);
	uh[0] = 0x30, uh[1] = 0x39;		/* 12345 */
	uh[2] = 0x23, uh[3] = 0x28;		/* 9000 */
	uh[5] = 13;
	memcpy(uh + 8, "hello", 5);
	{
		__sum16 c = csum_tcpudp_magic(iph->saddr, iph->daddr, 13, IPPROTO_UDP,
					      csum_partial(uh, 13, 0));

		memcpy(uh + 6, &c, 2);
	}
	assert_int_equal(ul_trace_start(0), 0);
	assert_int_equal(hw_nic_receive(hw_nic_of(dev), frame, sizeof(frame)), 0);
	ul_run_for(1000 * 1000);
	ul_trace_stop();
	assert_int_equal(ul_recvfrom(fd, got, sizeof(got), MSG_DONTWAIT, NULL, NULL), 5);
	assert_memory_equal(got, "hello", 5);
	n = ul_trace_count();
	for (i = 0; i < n && k < ARRAY_SIZE(chain); i++)
		if (!strcmp(ul_trace_event(i)->func, chain[k]))
			k++;
	if (k != ARRAY_SIZE(chain)) {
		ul_trace_write_text(stderr);
		fail_msg("chain stops at %s", chain[k]);
	}
	ul_trace_reset();
	assert_int_equal(ul_close(fd), 0);
	tnic_del(NULL, "eth0");
}

static int csum_seen[8];
static int csum_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	csum_seen[skb->ip_summed & 7]++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type csum_pt = {
	.type = htons_c(ETH_P_IP),
	.func = csum_rcv,
};

/* RX checksum offload: a good TCP checksum arrives CHECKSUM_UNNECESSARY, a bad one
 * CHECKSUM_NONE and counted in rx_queue_0_csum_err; with rx off (ethtool -K eth0 rx off)
 * nothing is verified. */
static void test_rx_checksum(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	struct hw_nic *nic = hw_nic_of(dev);
	u8 frame[54 + 100];
	unsigned int len;
	char *out = NULL;

	(void)state;
	/* GRO would verify in software. Off in wanted_features too: ethtool -K recomputes
	 * the features from them (3.10 __netdev_update_features). */
	dev->features &= ~NETIF_F_GRO;
	dev->wanted_features &= ~NETIF_F_GRO;
	dev_add_pack(&csum_pt);
	memset(csum_seen, 0, sizeof(csum_seen));
	len = tframe_tcp(frame, dev->dev_addr, htonl(0x0a000002), htonl(0x0a000001), 1, 2, 3,
			 100, 1, 0);
	assert_int_equal(hw_nic_receive(nic, frame, len), 0);
	frame[60] ^= 0x40;	/* one payload bit: the TCP checksum no longer matches */
	assert_int_equal(hw_nic_receive(nic, frame, len), 0);
	ul_run_for(1000 * 1000);
	assert_int_equal(csum_seen[CHECKSUM_UNNECESSARY], 1);
	assert_int_equal(csum_seen[CHECKSUM_NONE], 1);
	assert_int_equal(tnic_stat(dev, "rx_queue_0_csum_err"), 1);
	assert_int_equal(ul_ethtool_cmd(NULL, "ethtool -K eth0 rx off", &out), 0);
	free(out);
	assert_int_equal(hw_nic_receive(nic, frame, len), 0);
	frame[60] ^= 0x40;
	assert_int_equal(hw_nic_receive(nic, frame, len), 0);
	ul_run_for(1000 * 1000);
	assert_int_equal(csum_seen[CHECKSUM_NONE], 3);
	assert_int_equal(tnic_stat(dev, "rx_queue_0_csum_err"), 1);
	dev_remove_pack(&csum_pt);
	tnic_del(NULL, "eth0");
}

static unsigned long sunk;
static u8 sunk_frames[64][2048];
static unsigned int sunk_len[64];
static void sink(void *arg, const u8 *frame, unsigned int len)
{
	if (sunk < 64 && len <= 2048) {
		memcpy(sunk_frames[sunk], frame, len);
		sunk_len[sunk] = len;
	}
	sunk++;
}

/* TX: every skb handed to the ring comes back through igb_clean_tx_irq once the NIC is
 * done, and the ring is empty again; the slab counts return to where they were. */
static void test_tx_completion(void **state)
{
	unsigned long objs0;
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 64, 1000);
	struct igb_adapter *adapter = tnic_adapter(dev);
	int i;

	(void)state;
	objs0 = ul_slab_objects_in_use();
	hw_nic_set_tx_sink(hw_nic_of(dev), sink, NULL);
	sunk = 0;
	local_bh_disable();
	for (i = 0; i < 500; i++) {
		struct sk_buff *skb = alloc_skb(300, GFP_ATOMIC);

		tframe_raw(skb_put(skb, 200), dev->dev_addr, TEST_ETHERTYPE, 200, (unsigned)i);
		skb->dev = dev;
		skb->protocol = htons(TEST_ETHERTYPE);
		dev_queue_xmit(skb);
	}
	local_bh_enable();
	ul_run_for(50 * 1000 * 1000);
	assert_int_equal(sunk, 500);
	assert_int_equal(tnic_stat(dev, "tx_packets"), 500);
	assert_int_equal(tnic_stat(dev, "tx_queue_0_packets"), 500);
	/* A 64-entry ring cannot hold 500 frames: the queue stopped and restarted. */
	assert_true(tnic_stat(dev, "tx_queue_0_restart") > 0);
	assert_int_equal(igb_desc_unused(&adapter->tx_ring[0]), 63);
	assert_int_equal(ul_slab_objects_in_use(), objs0);
	hw_nic_set_tx_sink(hw_nic_of(dev), NULL, NULL);
	ul_run_for(1000);	/* the link interrupt, before the vectors go */
	tnic_del(NULL, "eth0");
}

/* ethtool -S names and -g/-G/-c/-C. */
static void test_ethtool(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 2, 0, 10000);
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_ringparam ring = { 0 };
	struct ethtool_coalesce ec = { 0 };
	static const char *const names[] = {
		"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_no_buffer_count",
		"rx_missed_errors", "tx_tcp_seg_good", "rx_fifo_errors", "tx_queue_1_packets",
		"rx_queue_1_drops", "rx_queue_0_csum_err",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		assert_int_equal(tnic_stat(dev, names[i]), 0);
	assert_int_equal(ops->get_sset_count(dev, ETH_SS_STATS), 41 + 9 + 2 * 3 + 2 * 5);
	ops->get_coalesce(dev, &ec);
	assert_int_equal(ec.rx_coalesce_usecs, 3);	/* igb's default: dynamic */
	ec.rx_coalesce_usecs = 20000;
	assert_int_equal(ops->set_coalesce(dev, &ec), -EINVAL);
	ring.rx_pending = 100;		/* rounded up to a multiple of 8 */
	ring.tx_pending = 5000;		/* clamped to 4096 */
	rtnl_lock();
	assert_int_equal(ops->set_ringparam(dev, &ring), 0);
	rtnl_unlock();
	memset(&ring, 0, sizeof(ring));
	ops->get_ringparam(dev, &ring);
	assert_int_equal(ring.rx_pending, 104);
	assert_int_equal(ring.tx_pending, 4096);
	assert_true(netif_running(dev));
	assert_int_equal(tnic_adapter(dev)->rx_ring[1].next_to_use, 103);
	tnic_del(NULL, "eth0");
}

#define eth tnic_ethtool

static void eth_has(const char *line, const char *text)
{
	char *o = eth(line, 0);

	if (!strstr(o, text))
		fail_msg("%s: no \"%s\" in:\n%s", line, text, o);
	free(o);
}
#define ETH_HAS eth_has

/* The ethtool command over igb's ethtool_ops, in ethtool's formats. */
static void test_ethtool_cmd(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 4, 0, 1000);

	(void)state;
	ETH_HAS("ethtool eth0", "\tSpeed: 1000Mb/s\n");
	ETH_HAS("ethtool eth0", "\tLink detected: no\n");
	ETH_HAS("ethtool -i eth0", "driver: igb\nversion: 5.0.3-k\n");
	ETH_HAS("ethtool -S eth0", "NIC statistics:\n     rx_packets: 0\n");
	ETH_HAS("ethtool -S eth0", "     rx_queue_3_drops: 0\n");
	ETH_HAS("ethtool -g eth0", "Pre-set maximums:\nRX:\t\t4096\nRX Mini:\t0\n"
		"RX Jumbo:\t0\nTX:\t\t4096\nCurrent hardware settings:\nRX:\t\t256\n");
	free(eth("ethtool -G eth0 rx 4096 tx 1024", 0));
	ETH_HAS("ethtool -g eth0", "Current hardware settings:\nRX:\t\t4096\n");
	free(eth("ethtool -G eth0 rx 8192", -EINVAL));
	free(eth("ethtool -C eth0 rx-usecs 50 tx-usecs 20", 0));
	ETH_HAS("ethtool -c eth0", "rx-usecs: 50\n");
	ETH_HAS("ethtool -c eth0", "tx-usecs: 20\n");
	ETH_HAS("ethtool -k eth0", "generic-receive-offload: on\n");
	ETH_HAS("ethtool -k eth0", "large-receive-offload: off [fixed]\n");
	free(eth("ethtool -K eth0 gro off tso off", 0));
	assert_false(dev->features & NETIF_F_GRO);
	assert_false(dev->features & NETIF_F_TSO);
	ETH_HAS("ethtool -k eth0", "tcp-segmentation-offload: off\n");
	free(eth("ethtool -K eth0 lro on", -EOPNOTSUPP));
	free(eth("ethtool -K eth0 gro maybe", -EINVAL));
	free(eth("ethtool -X eth0 equal 2", 0));
	ETH_HAS("ethtool -x eth0", "with 4 RX ring(s):\n    0:      0     1     0     1     0");
	free(eth("ethtool -X eth0 weight 1 0 0 1", 0));
	ETH_HAS("ethtool -x eth0", "\n    0:      0     0     0     0");
	ETH_HAS("ethtool -x eth0", "\n  120:      3     3     3     3");
	free(eth("ethtool -L eth0 combined 2", 0));
	ETH_HAS("ethtool -l eth0", "Combined:\t4\nCurrent hardware settings:\nRX:\t\t0\n"
		"TX:\t\t0\nOther:\t\t1\nCombined:\t2\n");
	free(eth("ethtool -S eth9", -ENODEV));
	free(eth("ethtool -Z eth0", -EOPNOTSUPP));
	free(eth("ethtool", -EINVAL));
	tnic_del(NULL, "eth0");
}

/* TSO: one 10-MSS super packet becomes 10 wire frames cut by the NIC, each with its own IP
 * id, length, checksum and TCP sequence; tx_tcp_seg_good counts the context. */
static void test_tso_in_nic(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 256, 10000);
	u8 *buf = malloc(54 + 14480);
	struct sk_buff *skb;
	unsigned int len, i;

	(void)state;
	hw_nic_set_tx_sink(hw_nic_of(dev), sink, NULL);
	sunk = 0;
	len = tframe_tcp(buf, dev->dev_addr, htonl(0x0a000001), htonl(0x0a000002), 1000, 80,
			 5000, 14480, 100, 1);
	skb = alloc_skb(len + 64, GFP_ATOMIC);
	skb_reserve(skb, 64);
	memcpy(skb_put(skb, len), buf, len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, 14);
	skb_set_transport_header(skb, 34);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb_shinfo(skb)->gso_size = 1448;
	skb_shinfo(skb)->gso_segs = 10;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_transport_header(skb) - skb->head);
	skb->csum_offset = 16;
	local_bh_disable();
	dev_queue_xmit(skb);
	local_bh_enable();
	ul_run_for(1000 * 1000);
	assert_int_equal(sunk, 10);
	assert_int_equal(tnic_stat(dev, "tx_tcp_seg_good"), 1);
	for (i = 0; i < 10; i++) {
		const struct iphdr *iph = (const struct iphdr *)(sunk_frames[i] + 14);
		const struct tcphdr *th = (const struct tcphdr *)(sunk_frames[i] + 34);
		unsigned int tl = sunk_len[i] - 34;

		assert_int_equal(sunk_len[i], 54 + 1448);
		assert_int_equal(ntohs(iph->tot_len), 20 + 20 + 1448);
		assert_int_equal(ntohs(iph->id), 100 + i);
		assert_int_equal(ip_fast_csum(iph, 5), 0);
		assert_int_equal(ntohl(th->seq), 5000 + i * 1448);
		assert_int_equal(th->psh, i == 9);
		assert_int_equal(csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)tl,
						   IPPROTO_TCP, csum_partial(th, (int)tl, 0)), 0);
		assert_memory_equal(sunk_frames[i] + 54, buf + 54 + i * 1448, 1448);
	}
	free(buf);
	hw_nic_set_tx_sink(hw_nic_of(dev), NULL, NULL);
	ul_run_for(1000);	/* the link interrupt, before the vectors go */
	tnic_del(NULL, "eth0");
}

/* What the receive handler saw of each frame. */
struct rxbuf_seen {
	unsigned int truesize, len, headlen, nr_frags, frag_size;
	bool head_frag;
	bool data_ok;
};
static struct rxbuf_seen rxbuf_seen[16];
static unsigned int rxbuf_n;
static unsigned int rxbuf_seed;
static struct sk_buff *rxbuf_held[64];	/* skbs the "stack" keeps (rxbuf_hold) */
static bool rxbuf_hold;

static int rxbuf_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		     struct net_device *orig_dev)
{
	if (rxbuf_n < ARRAY_SIZE(rxbuf_seen)) {
		struct rxbuf_seen *s = &rxbuf_seen[rxbuf_n];
		static u8 buf[2048];
		unsigned int k;

		s->truesize = skb->truesize;
		s->len = skb->len;
		s->headlen = skb_headlen(skb);
		s->nr_frags = skb_shinfo(skb)->nr_frags;
		s->frag_size = s->nr_frags ? skb_frag_size(&skb_shinfo(skb)->frags[0]) : 0;
		s->head_frag = skb->head_frag;
		s->data_ok = skb->len <= sizeof(buf) &&
			     !skb_copy_bits(skb, 0, buf, (int)skb->len);
		for (k = 0; s->data_ok && k < skb->len; k++) /* byte i of the frame = i + seed */
			if (buf[k] != (u8)(k + 14 + rxbuf_seed))
				s->data_ok = false;
	}
	if (rxbuf_hold && rxbuf_n < ARRAY_SIZE(rxbuf_held))
		rxbuf_held[rxbuf_n] = skb;
	else
		consume_skb(skb);
	rxbuf_n++;
	return NET_RX_SUCCESS;
}

static struct packet_type rxbuf_pt = {
	.type = htons_c(TEST_ETHERTYPE),
	.func = rxbuf_rcv,
};

static unsigned long page_allocs(void)
{
	struct ul_page_stats st;

	ul_page_stats_get(&st);
	return st.total_allocs;
}

/* Receive @n frames of @len bytes; returns what the handler saw of the first. */
static struct rxbuf_seen rxbuf_recv(struct net_device *dev, unsigned int len, unsigned int n)
{
	u8 frame[1514];
	unsigned int i;

	rxbuf_n = 0;
	rxbuf_seed = len;
	tframe_raw(frame, dev->dev_addr, TEST_ETHERTYPE, len, rxbuf_seed);
	for (i = 0; i < n; i++) {
		assert_int_equal(hw_nic_receive(hw_nic_of(dev), frame, len), 0);
		ul_run_for(100 * 1000);
	}
	ul_run_for(1000 * 1000);
	assert_int_equal(rxbuf_n, n);
	return rxbuf_seen[0];
}

static struct rxbuf_seen rxbuf_one(struct net_device *dev, unsigned int len)
{
	return rxbuf_recv(dev, len, 1);
}

/* 3.10's igb receive buffers (issue #7): every posted buffer is half a 4 KiB page; each
 * frame gets a page-fragment head of IGB_RX_HDR_LEN (256) bytes; a frame of at most 256
 * bytes is copied into it and the half page posted again; a larger one is attached as a
 * frag charged the half page (truesize head + 2048), its headers pulled into the head
 * (igb_pull_tail: here the 14-byte Ethernet header of an unknown ethertype), and the ring
 * flips to the page's other half when the stack holds nothing else of the page
 * (igb_can_reuse_rx_page), else takes a new page. */
static void test_rx_buffers(void **state)
{
	/* build_skb's charge for netdev_alloc_skb_ip_align(dev, 256), with ulnet's own
	 * struct sizes (896 with Linux's 240-byte sk_buff and 320-byte shared info). */
	const unsigned int head_truesize = 320 + SKB_DATA_ALIGN(sizeof(struct sk_buff)) +
					   SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct net_device *dev;
	struct igb_adapter *adapter;
	struct igb_ring *ring;
	struct page *posted[64];
	unsigned long pages0, allocs;
	struct rxbuf_seen s;
	unsigned int i;

	(void)state;
	assert_int_equal(head_truesize, IGB_RX_HDR_TRUESIZE);
	pages0 = ul_pages_in_use();
	dev = tnic_up(NULL, "eth0", 1, 64, 10000);
	adapter = tnic_adapter(dev);
	ring = &adapter->rx_ring[0];
	dev_add_pack(&rxbuf_pt);
	/* 63 buffers posted (a ring of 64 keeps one slot free), each the first half of its
	 * own page, the NIC told 2048 bytes. */
	assert_int_equal(igb_desc_unused(ring), 0);
	assert_int_equal(ul_pages_in_use(), pages0 + 63);
	for (i = 0; i < 63; i++) {
		posted[i] = ring->rx_buffer_info[i].page;
		assert_non_null(posted[i]);
		assert_int_equal(ring->rx_buffer_info[i].page_offset, 0);
		assert_int_equal(page_count(posted[i]), 1);
		assert_ptr_equal(((struct hw_rx_desc *)ring->desc)[i].addr,
				 page_address(posted[i]));
		assert_int_equal(((struct hw_rx_desc *)ring->desc)[i].buf_len, IGB_RX_BUFSZ);
	}
	assert_null(ring->rx_buffer_info[63].page);

	/* Small frames (60 bytes: an ACK or a FIN; and exactly 256): copied into the head,
	 * charged head_truesize; the half pages are posted again, no page is allocated. */
	allocs = page_allocs();
	for (i = 0; i < 20; i++) {
		s = rxbuf_one(dev, i == 19 ? IGB_RX_HDR_LEN : 60);
		assert_int_equal(s.truesize, head_truesize);
		assert_int_equal(s.len, (i == 19 ? IGB_RX_HDR_LEN : 60) - ETH_HLEN);
		assert_int_equal(s.headlen, s.len);
		assert_int_equal(s.nr_frags, 0);
		assert_true(s.head_frag);
		assert_true(s.data_ok);
	}
	assert_int_equal(page_allocs(), allocs);
	assert_int_equal(ul_pages_in_use(), pages0 + 63);
	/* The same 63 half pages are posted (moved to the slots being refilled). */
	for (i = 0; i < 64; i++) {
		struct page *pg = ring->rx_buffer_info[i].page;
		unsigned int j;

		if (!pg)
			continue;
		for (j = 0; j < 63 && posted[j] != pg; j++)
			;
		assert_true(j < 63);
	}
	assert_int_equal(igb_desc_unused(ring), 0);

	/* A full-size frame (1514) and one just above the copybreak (257): the payload stays
	 * in the half page as a frag, the Ethernet header was pulled into the head (and
	 * pulled off by eth_type_trans); truesize head_truesize + 2048. The stack freed the
	 * skb: the ring flipped to the other half, nothing allocated. */
	s = rxbuf_one(dev, 1514);
	assert_int_equal(s.truesize, head_truesize + 2048);
	assert_int_equal(s.len, 1500);
	assert_int_equal(s.headlen, 0);
	assert_int_equal(s.nr_frags, 1);
	assert_int_equal(s.frag_size, 1500);
	assert_true(s.data_ok);
	s = rxbuf_one(dev, IGB_RX_HDR_LEN + 1);
	assert_int_equal(s.truesize, head_truesize + 2048);
	assert_int_equal(s.len, IGB_RX_HDR_LEN + 1 - ETH_HLEN);
	assert_int_equal(s.headlen, 0);
	assert_true(s.data_ok);
	assert_int_equal(page_allocs(), allocs);
	assert_int_equal(ul_pages_in_use(), pages0 + 63);

	/* The stack keeps every skb: 63 frames flip their pages (each page's first half
	 * held), then the ring comes back to half pages whose other half is held: those
	 * pages go with the skbs and new ones are posted. */
	rxbuf_hold = true;
	s = rxbuf_recv(dev, 1000, 64);
	rxbuf_hold = false;
	assert_true(s.data_ok);
	assert_int_equal(s.frag_size, 1000 - ETH_HLEN);
	/* Frames 1-63 each took a different page and flipped it; frame 64 came to the first
	 * flipped half, whose other half frame 1 holds: that page stays with the skbs and one
	 * page is allocated for the ring. And one for the heads: 64 heads of 640 bytes do
	 * not fit in the CPU's 32 KiB page-fragment page. */
	assert_int_equal(page_allocs(), allocs + 2);
	assert_int_equal(rxbuf_seen[0].truesize, head_truesize + 2048);
	for (i = 0; i < 64; i++)
		consume_skb(rxbuf_held[i]);
	/* The held pages went with their last skb: the ring's 63 again. */
	assert_int_equal(ul_pages_in_use(), pages0 + 63);
	assert_int_equal(igb_desc_unused(ring), 0);
	assert_int_equal(tnic_stat(dev, "rx_packets"), 22 + 64);
	assert_int_equal(tnic_stat(dev, "rx_queue_0_alloc_failed"), 0);
	dev_remove_pack(&rxbuf_pt);
	tnic_del(NULL, "eth0");
	assert_int_equal(ul_pages_in_use(), pages0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rx_function_path, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rx_path_to_socket, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rx_checksum, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tx_completion, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ethtool, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ethtool_cmd, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tso_in_nic, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rx_buffers, ul_test_setup_sim,
						ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
