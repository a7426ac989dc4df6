/* SPDX-License-Identifier: MIT */
/* IPv4 receive: every malformed header reaches the counted drop 3.10 makes (InHdrErrors,
 * InTruncatedPkts, InCsumErrors), local delivery to a protocol, unknown protocols (ICMP
 * protocol unreachable), bad options (ICMP parameter problem), packets not for us with
 * forwarding off (InAddrErrors / InNoRoutes), TTL expiry when forwarding (ICMP time
 * exceeded), and the separation of namespaces. Frames are byte arrays injected with
 * netif_receive_skb on a test device. */
#include "ip_testdev.h"
#include "linux/sysctl.h"
#include "net/dropreason.h"

#define TPROTO 253	/* RFC 3692: for experimentation and testing */

static struct {
	int calls;
	unsigned int len;
	u8 data[256];
	int transport_ok;
	int errs;
	u32 err_info;
} tp;

static int tproto_rcv(struct sk_buff *skb)
{
	tp.calls++;
	tp.len = skb->len;
	tp.transport_ok = skb_transport_header(skb) == skb->data;
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

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	memset(&tp, 0, sizeof(tp));
	t0 = ipt_t0_up(&tproto, TPROTO);
	return 0;
}

static int teardown(void **state)
{
	return ipt_t0_down(state, t0, &tproto, TPROTO);
}

static unsigned int udp_like(u8 *buf, const char *dst, u8 proto, u8 ttl, const void *pl,
			     unsigned int plen)
{
	return ipt_build_ip(buf, ipt_addr("10.0.0.2"), ipt_addr(dst), proto, ttl, 1, 0, 5, NULL,
			    pl, plen);
}

/* Every header error of ip_rcv, in 3.10's order, each with its counter. */
static void test_header_errors(void **state)
{
	struct net *net = &init_net;
	u8 pkt[128], pl[20];
	struct iphdr *iph = (struct iphdr *)pkt;
	unsigned int len;

	(void)state;
	memset(pl, 0xab, sizeof(pl));

	/* A runt: 10 bytes cannot hold an IPv4 header. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	ipt_rx(t0, pkt, 10);
	assert_int_equal(IP_MIB(net, INPKTS), 1);
	assert_int_equal(IP_MIB(net, INOCTETS), 10);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 1);

	/* IHL < 5. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	iph->ihl = 4;
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 2);

	/* Version 6 in an ETH_P_IP frame. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	iph->version = 6;
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 3);

	/* IHL of 15 words in a 40-byte packet. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	iph->ihl = 15;
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 4);

	/* A bad header checksum counts InCsumErrors and InHdrErrors. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	iph->check ^= htons(0x0100);
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, CSUMERRORS), 1);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 5);

	/* tot_len beyond the frame: InTruncatedPkts only. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	iph->tot_len = htons(100);
	ip_send_check(iph);
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INTRUNCATEDPKTS), 1);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 5);

	/* tot_len below the header length. */
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	iph->tot_len = htons(16);
	ip_send_check(iph);
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 6);

	assert_int_equal(IP_MIB(net, INPKTS), 7);
	assert_int_equal(IP_MIB(net, INDELIVERS), 0);
	assert_int_equal(IP_MIB(net, INDISCARDS), 0);
	assert_int_equal(tp.calls, 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_IP_INHDR), 5);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_IP_CSUM), 1);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_PKT_TOO_SMALL), 1);
	/* Nothing was answered: header errors are silently discarded (RFC 1122 3.2.1). */
	assert_int_equal(ipt_txq_len(t0), 0);
}

/* ip_rcv_core is the side-effect-free validator: the same verdicts, no counters. */
static void test_rcv_core(void **state)
{
	u8 pkt[64], pl[8] = { 0 };
	struct iphdr *iph = (struct iphdr *)pkt;
	struct sk_buff *skb;
	unsigned int len;

	(void)state;
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	skb = alloc_skb(len, GFP_KERNEL);
	memcpy(skb_put(skb, len), pkt, len);
	skb_reset_network_header(skb);
	assert_int_equal(ip_rcv_core(skb), 0);
	iph = (struct iphdr *)skb->data;
	iph->check ^= 1;
	assert_int_equal(ip_rcv_core(skb), IPSTATS_MIB_CSUMERRORS);
	iph->check ^= 1;
	iph->tot_len = htons((u16)(len + 1));
	ip_send_check(iph);
	assert_int_equal(ip_rcv_core(skb), IPSTATS_MIB_INTRUNCATEDPKTS);
	skb_trim(skb, 19);
	assert_int_equal(ip_rcv_core(skb), IPSTATS_MIB_INHDRERRORS);
	kfree_skb(skb);
	assert_int_equal(IP_MIB(&init_net, INPKTS), 0);
}

/* A frame for another MAC (promiscuous capture) is not IP's business: not even counted. */
static void test_otherhost(void **state)
{
	static const u8 other[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x42 };
	u8 pkt[64], pl[8] = { 0 };
	unsigned int len;

	(void)state;
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	ipt_inject(ipt_frame_to(t0, other, pkt, len));
	assert_int_equal(IP_MIB(&init_net, INPKTS), 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_OTHERHOST), 1);
	assert_int_equal(tp.calls, 0);
}

/* Local delivery: the protocol gets exactly the payload (Ethernet padding trimmed), with the
 * transport header at skb->data. */
static void test_local_delivery(void **state)
{
	u8 pkt[128], pl[6] = { 1, 2, 3, 4, 5, 6 };
	unsigned int len;

	(void)state;
	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	memset(pkt + len, 0, 20);	/* padding up to the 60-byte minimum frame */
	ipt_rx(t0, pkt, len + 20);
	assert_int_equal(tp.calls, 1);
	assert_int_equal(tp.len, sizeof(pl));
	assert_true(tp.transport_ok);
	assert_memory_equal(tp.data, pl, sizeof(pl));
	assert_int_equal(IP_MIB(&init_net, INDELIVERS), 1);
	assert_int_equal(IP_MIB(&init_net, INPKTS), 1);
	assert_int_equal(IP_MIB(&init_net, INOCTETS), len + 20);

	/* NOP options are fine. */
	{
		static const u8 nops[4] = { IPOPT_NOOP, IPOPT_NOOP, IPOPT_NOOP, IPOPT_END };

		len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), TPROTO, 64, 2,
				   0, 6, nops, pl, sizeof(pl));
		ipt_rx(t0, pkt, len);
		assert_int_equal(tp.calls, 2);
		assert_int_equal(tp.len, sizeof(pl));
	}
}

/* RFC 1122 3.2.2.1: an unknown protocol gets an ICMP protocol unreachable quoting the header
 * and the first 8 bytes of data. */
static void test_unknown_protocol(void **state)
{
	struct net *net = &init_net;
	u8 pkt[128], pl[16], out[256];
	struct sk_buff *skb;
	struct iphdr *oh;
	struct icmphdr *ic;
	unsigned int len, olen;
	int i;

	(void)state;
	for (i = 0; i < (int)sizeof(pl); i++)
		pl[i] = (u8)(0x30 + i);
	len = udp_like(pkt, "10.0.0.1", 254, 64, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INUNKNOWNPROTOS), 1);
	assert_int_equal(IP_MIB(net, INDELIVERS), 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_IP_NOPROTO), 1);

	skb = ipt_pop(t0);
	assert_non_null(skb);
	olen = ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	oh = (struct iphdr *)out;
	assert_int_equal(olen, 20 + 8 + len);	/* everything fits in 576 */
	assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
	assert_int_equal(oh->protocol, IPPROTO_ICMP);
	assert_int_equal(oh->saddr, ipt_addr("10.0.0.1"));
	assert_int_equal(oh->daddr, ipt_addr("10.0.0.2"));
	assert_int_equal(oh->ttl, 64);
	assert_int_equal(oh->tos, IPTOS_PREC_INTERNETCONTROL);
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(ic->type, ICMP_DEST_UNREACH);
	assert_int_equal(ic->code, ICMP_PROT_UNREACH);
	assert_int_equal(ip_compute_csum(ic, (int)(olen - 20)), 0);
	assert_memory_equal(out + 28, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 1);
	assert_int_equal(ICMP_MIB(net, OUTMSGS), 1);
	assert_int_equal(IP_MIB(net, OUTPKTS), 1);
}

/* A malformed option: InHdrErrors and a parameter problem pointing at the option. */
static void test_bad_option_length(void **state)
{
	struct net *net = &init_net;
	/* Record route claiming 10 bytes where 4 are left. */
	static const u8 bad_rr[4] = { IPOPT_RR, 10, 4, 0 };
	/* Timestamp with a pointer below 5. */
	static const u8 bad_ts[8] = { IPOPT_TIMESTAMP, 8, 2, 0, 0, 0, 0, 0 };
	u8 pkt[128], pl[8] = { 0 }, out[256];
	struct sk_buff *skb;
	struct icmphdr *ic;
	unsigned int len;

	(void)state;
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), TPROTO, 64, 3, 0, 6,
			   bad_rr, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 1);
	assert_int_equal(tp.calls, 0);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(ic->type, ICMP_PARAMETERPROB);
	assert_int_equal(ic->code, 0);
	assert_int_equal(ntohl(ic->un.gateway) >> 24, 20);	/* the option's first byte */

	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), TPROTO, 64, 4, 0, 7,
			   bad_ts, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 2);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(ic->type, ICMP_PARAMETERPROB);
	assert_int_equal(ntohl(ic->un.gateway) >> 24, 22);	/* its pointer byte */
	assert_int_equal(ICMP_OUT(net, ICMP_PARAMETERPROB), 2);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_IP_INHDR), 2);
	assert_int_equal(tp.calls, 0);
}

/* With net.ipv4.ip_forward = 0 (the default), a packet for someone else is an address
 * error when a route exists (ip_error: InAddrErrors), a no-route error otherwise
 * (InNoRoutes). No ICMP is sent by a host. */
static void test_not_for_us(void **state)
{
	struct net *net = &init_net;
	u8 pkt[64], pl[8] = { 0 };
	unsigned int len;
	char buf[16];

	(void)state;
	assert_int_equal(ul_sysctl_read(net, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");
	len = udp_like(pkt, "10.0.0.5", TPROTO, 64, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INADDRERRORS), 1);

	len = udp_like(pkt, "192.168.77.1", TPROTO, 64, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INNOROUTES), 1);
	assert_int_equal(IP_MIB(net, INADDRERRORS), 1);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 0);
	assert_int_equal(tp.calls, 0);
	assert_int_equal(ipt_txq_len(t0), 0);
}

/* Forwarding: TTL 2 goes out with TTL 1 (checksum updated); TTL 1 dies with an ICMP time
 * exceeded to the sender, counted as InHdrErrors (RFC 1812 5.3.1). */
static void test_forward_ttl(void **state)
{
	struct net *net = &init_net;
	struct net_device *t1 = ipt_dev_new(net, "t1", 2, 1500);
	u8 pkt[64], pl[8] = { 9, 8, 7, 6, 5, 4, 3, 2 }, out[256];
	struct sk_buff *skb;
	struct iphdr *oh;
	struct icmphdr *ic;
	unsigned int len;

	(void)state;
	ipt_addr_add(t1, "10.1.0.1", 24);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "1"), 0);

	len = udp_like(pkt, "10.1.0.2", IPPROTO_UDP, 2, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 1);
	skb = ipt_pop(t1);
	assert_non_null(skb);
	assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), len);
	consume_skb(skb);
	oh = (struct iphdr *)out;
	assert_int_equal(oh->ttl, 1);
	assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
	assert_memory_equal(out + 20, pl, sizeof(pl));

	len = udp_like(pkt, "10.1.0.2", IPPROTO_UDP, 1, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 1);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 1);
	assert_int_equal(ipt_txq_len(t1), 0);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	oh = (struct iphdr *)out;
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(oh->daddr, ipt_addr("10.0.0.2"));
	assert_int_equal(ic->type, ICMP_TIME_EXCEEDED);
	assert_int_equal(ic->code, ICMP_EXC_TTL);
	assert_memory_equal(out + 28, pkt, 20);
	assert_int_equal(ICMP_OUT(net, ICMP_TIME_EXCEEDED), 1);

	ipt_dev_del(t1);
}

/* RFC 1812 5.2.7.2: a packet forwarded back out of the interface it came in on, to a
 * gateway on the sender's subnet, earns the sender a host redirect; they are rate-limited
 * per sender (ip_rt_redirect_load << tokens between two). */
static void test_forward_redirect(void **state)
{
	struct net *net = &init_net;
	u8 pkt[64], pl[8] = { 0 }, out[256];
	struct sk_buff *skb;
	struct icmphdr *ic;
	unsigned int len;
	int frames, redirects;

	(void)state;
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "1"), 0);
	assert_int_equal(ul_cmd(NULL, "ip route add 10.5.0.0/16 via 10.0.0.254", NULL), 0);
	len = udp_like(pkt, "10.5.0.1", IPPROTO_UDP, 64, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 1);
	assert_int_equal(ICMP_OUT(net, ICMP_REDIRECT), 1);
	/* Two frames on t0: the redirect to the sender (sent first), the packet to the
	 * gateway. */
	assert_int_equal(ipt_txq_len(t0), 2);
	skb = ipt_pop(t0);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(((struct iphdr *)out)->daddr, ipt_addr("10.0.0.2"));
	assert_int_equal(ic->type, ICMP_REDIRECT);
	assert_int_equal(ic->code, ICMP_REDIR_HOST);
	assert_int_equal(ic->un.gateway, ipt_addr("10.0.0.254"));
	skb = ipt_pop(t0);
	ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	assert_int_equal(((struct iphdr *)out)->ttl, 63);

	/* Right after, the next one is forwarded without a second redirect (load limit:
	 * 20 ms << 1). */
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_REDIRECT), 1);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 2);

	/* Spread out over time, at most ip_rt_redirect_number (9) are sent. */
	for (frames = 0; frames < 40; frames++) {
		ul_run_for(20ULL * 1000 * 1000 * 1000);
		ipt_rx(t0, pkt, len);
	}
	redirects = (int)ICMP_OUT(net, ICMP_REDIRECT);
	assert_int_equal(redirects, 9);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 42);
}

/* Namespaces are separate: a packet in one does not move the other's counters, and each
 * has its own ip_forward. */
static void test_netns_separation(void **state)
{
	struct net *b = ul_netns_create("b");
	struct net_device *tb;
	u8 pkt[64], pl[8] = { 0 };
	unsigned int len;
	char buf[16];

	(void)state;
	assert_false(IS_ERR(b));
	tb = ipt_dev_new(b, "t0", 3, 1500);
	ipt_addr_add(tb, "10.0.0.1", 24);
	assert_int_equal(ul_sysctl_write(b, "net.ipv4.ip_forward", "1"), 0);
	assert_int_equal(ul_sysctl_read(&init_net, "net.ipv4.ip_forward", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0");

	len = udp_like(pkt, "10.0.0.1", TPROTO, 64, pl, sizeof(pl));
	ipt_rx(tb, pkt, len);
	assert_int_equal(IP_MIB(b, INPKTS), 1);
	assert_int_equal(IP_MIB(b, INDELIVERS), 1);
	assert_int_equal(IP_MIB(&init_net, INPKTS), 0);
	ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(&init_net, INPKTS), 1);
	assert_int_equal(IP_MIB(b, INPKTS), 1);
	assert_int_equal(tp.calls, 2);

	ipt_dev_del(tb);
	assert_int_equal(ul_netns_destroy(b), 0);
}

/* Garbage in, counted drops out: mutated headers, options, lengths and fragment fields from
 * a fixed seed. Nothing crashes, nothing leaks (the harness checks), every frame is
 * counted as received. */
static u32 rnd_seed;
static u32 rnd(void)
{
	rnd_seed = rnd_seed * 1103515245u + 12345u;
	return rnd_seed >> 8;
}

static void test_mutated_headers(void **state)
{
	struct net *net = &init_net;
	int i;

	(void)state;
	rnd_seed = 12345;
	for (i = 0; i < 3000; i++) {
		u8 pkt[256], pl[96], opt[40], proto, ttl;
		unsigned int len, plen, flips, j, ihl = 5 + rnd() % 11;
		u16 id, frag;
		const char *dst;

		for (j = 0; j < sizeof(pl); j++)
			pl[j] = (u8)rnd();
		for (j = 0; j < sizeof(opt); j++)
			opt[j] = (u8)(rnd() % 4 ? rnd() % 10 : rnd());
		dst = rnd() % 2 ? "10.0.0.1" : "10.0.0.255";
		proto = (u8)(rnd() % 3 ? IPPROTO_ICMP : TPROTO);
		ttl = (u8)rnd();
		id = (u16)(rnd() % 8);
		frag = (u16)(rnd() % 3 ? 0 : rnd());
		plen = rnd() % sizeof(pl);
		len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr(dst), proto, ttl, id, frag,
				   ihl, opt, pl, plen);
		flips = rnd() % 4;
		for (j = 0; j < flips; j++) {
			unsigned int at = rnd() % 24;

			pkt[at] ^= (u8)(1u << (rnd() % 8));
		}
		if (rnd() % 2)
			ip_send_check((struct iphdr *)pkt);	/* get past the checksum */
		if (rnd() % 4 == 0)
			len = rnd() % (len + 1);
		ipt_rx(t0, pkt, len);
	}
	assert_int_equal(IP_MIB(net, INPKTS), 3000);
	assert_true(IP_MIB(net, INHDRERRORS) > 0);
	assert_true(IP_MIB(net, INDELIVERS) > 0);
	/* Let the reassembly queues time out before the leak check. */
	ul_run_for(31ULL * 1000 * 1000 * 1000);
	assert_int_equal(ip_frag_nqueues(net), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rcv_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_otherhost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_delivery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_option_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_for_us, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_redirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_separation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mutated_headers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
