/* SPDX-License-Identifier: MIT */
/* IPv4 transmit: the header ip_local_out sends (TTL from ip_default_ttl, checksum, IDs per
 * destination), OutRequests/OutOctets, fragmentation of an 8 KB datagram to a 1500-byte MTU
 * (FragOKs, FragCreates) reassembled byte-exact by another namespace, and DF packets too big
 * for the path: ICMP fragmentation needed with the next-hop MTU (FragFails), delivered back
 * to the sender's protocol. */
#include "ip_testdev.h"
#include "linux/sysctl.h"
#include "net/dst.h"
#include "ulnet/socket.h"

#define TPROTO 253

static struct {
	int calls, errs;
	unsigned int len;
	u32 err_info;
	u8 data[9000];
} tp;

static int tproto_rcv(struct sk_buff *skb)
{
	tp.calls++;
	tp.len = skb->len;
	if (skb->len <= sizeof(tp.data))
		assert_int_equal(skb_copy_bits(skb, 0, tp.data, (int)skb->len), 0);
	consume_skb(skb);
	return 0;
}

static void tproto_err(struct sk_buff *skb, u32 info)
{
	tp.errs++;
	tp.err_info = info;
}

static const struct net_protocol tproto = {
	.handler = tproto_rcv,
	.err_handler = tproto_err,
	.netns_ok = 1,
};

static struct net_device *t0;
static u8 payload[8192];

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);
	unsigned int i;

	if (err)
		return err;
	memset(&tp, 0, sizeof(tp));
	t0 = ipt_t0_up(&tproto, TPROTO);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (u8)(i ^ (i >> 7));
	return 0;
}

static int teardown(void **state)
{
	return ipt_t0_down(state, t0, &tproto, TPROTO);
}

/* Route to @dst in @net and send @plen bytes of protocol TPROTO with ip_local_out, as a raw
 * sender would. */
static int send_local(struct net *net, const char *dst, const u8 *pl, unsigned int plen,
		      bool df)
{
	struct flowi4 fl4;
	struct rtable *rt;
	struct sk_buff *skb;
	struct iphdr *iph;
	int err;

	flowi4_init_output(&fl4, 0, 0, 0, RT_SCOPE_UNIVERSE, TPROTO, 0, ipt_addr(dst), 0, 0, 0);
	rt = ip_route_output_key(net, &fl4);
	assert_false(IS_ERR(rt));
	skb = alloc_skb(128 + sizeof(*iph) + plen, GFP_KERNEL);
	assert_non_null(skb);
	skb_reserve(skb, 128);
	skb_put(skb, sizeof(*iph) + plen);
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->frag_off = df ? htons(IP_DF) : 0;
	iph->ttl = (u8)ip4_dst_hoplimit(&rt->dst);
	iph->protocol = TPROTO;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	memcpy(skb->data + sizeof(*iph), pl, plen);
	skb_dst_set(skb, &rt->dst);
	ip_select_ident(skb, &rt->dst, NULL);
	local_bh_disable();
	err = ip_local_out(skb);
	local_bh_enable();
	return err;
}

static void test_local_out_header(void **state)
{
	struct net *net = &init_net;
	struct sk_buff *skb;
	struct iphdr *oh;
	u8 out[256];
	u16 id1, id2;

	(void)state;
	assert_int_equal(send_local(net, "10.0.0.2", payload, 100, false), 0);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 120);
	assert_int_equal(ntohs(eth_hdr(skb)->h_proto), ETH_P_IP);
	consume_skb(skb);
	oh = (struct iphdr *)out;
	assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
	assert_int_equal(ntohs(oh->tot_len), 120);
	assert_int_equal(oh->ttl, 64);
	assert_int_equal(oh->saddr, ipt_addr("10.0.0.1"));
	assert_int_equal(oh->daddr, ipt_addr("10.0.0.2"));
	assert_memory_equal(out + 20, payload, 100);
	id1 = ntohs(oh->id);
	assert_int_equal(IP_MIB(net, OUTPKTS), 1);
	assert_int_equal(IP_MIB(net, OUTOCTETS), 120);

	/* ip_default_ttl, and the next ID to the same destination. */
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_default_ttl", "99"), 0);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_default_ttl", "0"), -EINVAL);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_default_ttl", "256"), -EINVAL);
	assert_int_equal(send_local(net, "10.0.0.2", payload, 10, false), 0);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	assert_int_equal(oh->ttl, 99);
	id2 = ntohs(oh->id);
	assert_int_equal((u16)(id1 + 1), id2);

	/* A DF packet from no socket gets ID 0 (3.10 ip_select_ident). */
	assert_int_equal(send_local(net, "10.0.0.2", payload, 10, true), 0);
	skb = ipt_pop(t0);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	assert_int_equal(oh->id, 0);
	assert_int_equal(ntohs(oh->frag_off), IP_DF);
	assert_int_equal(IP_MIB(net, OUTPKTS), 3);
}

/* RFC 791: 8192 bytes over a 1500-byte MTU are 5 fragments of 1480 and one of 792, offsets
 * in 8-byte units, MF on all but the last, one ID. Another namespace reassembles them. */
static void test_fragment_8k_roundtrip(void **state)
{
	static const int order[] = { 4, 1, 5, 0, 3, 2 };
	struct net *net = &init_net;
	struct net *b = ul_netns_create("b");
	struct net_device *tb;
	struct sk_buff *fr[6];
	u8 out[1600], data[8192];
	unsigned int off = 0;
	u16 id = 0;
	int i;

	(void)state;
	assert_false(IS_ERR(b));
	assert_int_equal(send_local(net, "10.0.0.2", payload, sizeof(payload), false), 0);
	assert_int_equal(IP_MIB(net, FRAGOKS), 1);
	assert_int_equal(IP_MIB(net, FRAGCREATES), 6);
	assert_int_equal(IP_MIB(net, FRAGFAILS), 0);
	assert_int_equal(IP_MIB(net, OUTPKTS), 1);
	assert_int_equal(ipt_txq_len(t0), 6);
	for (i = 0; i < 6; i++) {
		struct iphdr *oh = (struct iphdr *)out;
		unsigned int len, dlen;

		fr[i] = ipt_pop(t0);
		assert_non_null(fr[i]);
		len = ipt_l3_copy(fr[i], out, sizeof(out));
		dlen = len - 20;
		assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
		assert_int_equal(ntohs(oh->tot_len), len);
		assert_int_equal(dlen, i < 5 ? 1480 : 792);
		assert_int_equal((ntohs(oh->frag_off) & IP_OFFSET) << 3, off);
		assert_int_equal(!!(ntohs(oh->frag_off) & IP_MF), i < 5);
		if (i == 0)
			id = oh->id;
		assert_int_equal(oh->id, id);
		memcpy(data + off, out + 20, dlen);
		off += dlen;
	}
	assert_int_equal(off, sizeof(payload));
	assert_memory_equal(data, payload, sizeof(payload));

	/* The peer: frames from the wire, in another order. */
	tb = ipt_dev_new(b, "t0", 2, 1500);
	ipt_addr_add(tb, "10.0.0.2", 24);
	for (i = 0; i < 6; i++) {
		struct sk_buff *skb = fr[order[i]];
		unsigned int len = skb->len - ETH_HLEN;

		assert_int_equal(skb_copy_bits(skb, ETH_HLEN, out, (int)len), 0);
		ipt_rx(tb, out, len);
	}
	for (i = 0; i < 6; i++)
		consume_skb(fr[i]);
	assert_int_equal(tp.calls, 1);
	assert_int_equal(tp.len, sizeof(payload));
	assert_memory_equal(tp.data, payload, sizeof(payload));
	assert_int_equal(IP_MIB(b, REASMREQDS), 6);
	assert_int_equal(IP_MIB(b, REASMOKS), 1);
	ipt_dev_del(tb);
	assert_int_equal(ul_netns_destroy(b), 0);
}

/* A smaller MTU: 576 - 20 = 556 -> 552 bytes of data per fragment. */
static void test_fragment_small_mtu(void **state)
{
	struct net *net = &init_net;
	struct sk_buff *skb;
	u8 out[600];

	(void)state;
	rtnl_lock();
	assert_int_equal(dev_set_mtu(t0, 576), 0);
	rtnl_unlock();
	assert_int_equal(send_local(net, "10.0.0.2", payload, 1200, false), 0);
	assert_int_equal(IP_MIB(net, FRAGCREATES), 3);
	skb = ipt_pop(t0);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 572);
	consume_skb(skb);
	skb = ipt_pop(t0);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 572);
	assert_int_equal((ntohs(((struct iphdr *)out)->frag_off) & IP_OFFSET) << 3, 552);
	consume_skb(skb);
	skb = ipt_pop(t0);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 20 + 1200 - 2 * 552);
	consume_skb(skb);
}

/* A local DF packet too big: -EMSGSIZE, FragFails, and an ICMP fragmentation needed to
 * ourselves (through lo) that reaches the protocol with the MTU. */
static void test_df_too_big_local(void **state)
{
	struct net *net = &init_net;

	(void)state;
	assert_int_equal(send_local(net, "10.0.0.2", payload, 2000, true), -EMSGSIZE);
	assert_int_equal(IP_MIB(net, FRAGFAILS), 1);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 1);
	ul_run_until_idle(1000ULL * 1000 * 1000);
	assert_int_equal(ICMP_IN(net, ICMP_DEST_UNREACH), 1);
	assert_int_equal(tp.errs, 1);
	assert_int_equal(tp.err_info, 1500);
}

/* Forwarding into a smaller MTU: DF -> ICMP fragmentation needed carrying the next hop's
 * MTU (RFC 1191); without DF the router fragments. */
static void test_df_too_big_forward(void **state)
{
	struct net *net = &init_net;
	struct net_device *t1 = ipt_dev_new(net, "t1", 2, 1000);
	u8 pkt[1600], out[1600];
	struct sk_buff *skb;
	struct icmphdr *ic;
	unsigned int len;

	(void)state;
	ipt_addr_add(t1, "10.1.0.1", 24);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "1"), 0);

	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.1.0.2"), TPROTO, 64, 7, IP_DF,
			   5, NULL, payload, 1380);
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, FRAGFAILS), 1);
	assert_int_equal(ipt_txq_len(t1), 0);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(ic->type, ICMP_DEST_UNREACH);
	assert_int_equal(ic->code, ICMP_FRAG_NEEDED);
	assert_int_equal(ntohs(ic->un.frag.mtu), 1000);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 0);

	/* Without DF: two fragments on t1, TTL decremented in both. */
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.1.0.2"), TPROTO, 64, 8, 0, 5,
			   NULL, payload, 1380);
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 1);
	assert_int_equal(IP_MIB(net, FRAGOKS), 1);
	assert_int_equal(IP_MIB(net, FRAGCREATES), 2);
	assert_int_equal(ipt_txq_len(t1), 2);
	skb = ipt_pop(t1);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 996);	/* 20 + 976 */
	assert_int_equal(((struct iphdr *)out)->ttl, 63);
	consume_skb(skb);
	skb = ipt_pop(t1);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 20 + 1380 - 976);
	consume_skb(skb);
	ipt_dev_del(t1);
}

/* A UDP datagram larger than the MTU: ip_make_skb builds it as MTU-sized pieces on a
 * frag_list (3.10's !NETIF_F_SG path) and ip_fragment's fast path sends them as they are. */
static void test_udp_datagram_fragments(void **state)
{
	struct net *net = &init_net;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	u8 out[1600], dgram[4008];
	unsigned int off = 0;
	struct sk_buff *skb;
	struct udphdr *uh;
	u16 id = 0;
	int fd, i;

	(void)state;
	to.sin_addr.s_addr = ipt_addr("10.0.0.2");
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_sendto(fd, payload, 4000, 0, (struct sockaddr *)&to, sizeof(to)), 4000);
	assert_int_equal(IP_MIB(net, FRAGOKS), 1);
	assert_int_equal(IP_MIB(net, FRAGCREATES), 3);
	assert_int_equal(ipt_txq_len(t0), 3);
	for (i = 0; i < 3; i++) {
		struct iphdr *oh = (struct iphdr *)out;
		unsigned int len;

		skb = ipt_pop(t0);
		assert_non_null(skb);
		len = ipt_l3_copy(skb, out, sizeof(out));
		consume_skb(skb);
		assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
		assert_int_equal(len - 20, i < 2 ? 1480 : 4008 - 2 * 1480);
		assert_int_equal((ntohs(oh->frag_off) & IP_OFFSET) << 3, off);
		assert_int_equal(!!(ntohs(oh->frag_off) & IP_MF), i < 2);
		assert_false(ntohs(oh->frag_off) & IP_DF);	/* too big for the path: no DF */
		assert_int_equal(oh->protocol, IPPROTO_UDP);
		if (i == 0)
			id = oh->id;
		assert_int_equal(oh->id, id);
		memcpy(dgram + off, out + 20, len - 20);
		off += len - 20;
	}
	uh = (struct udphdr *)dgram;
	assert_int_equal(ntohs(uh->dest), 9);
	assert_int_equal(ntohs(uh->len), 4008);
	assert_memory_equal(dgram + 8, payload, 4000);
	assert_int_equal(csum_tcpudp_magic(ipt_addr("10.0.0.1"), ipt_addr("10.0.0.2"), 4008,
					   IPPROTO_UDP, csum_partial(dgram, 4008, 0)), 0);
	assert_int_equal(ul_close(fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_out_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragment_8k_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragment_small_mtu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_too_big_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_too_big_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_datagram_fragments, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
