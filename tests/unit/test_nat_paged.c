/* SPDX-License-Identifier: MIT */
/* NAT of a paged skb whose TCP header is split between the head and a page frag: DNAT
 * rewrites the destination port and must update the TCP checksum, so the bytes it writes
 * are pulled into the head first (3.10's skb_make_writable in tcp_manip_pkt). A forwarded
 * SYN from 10.1.0.2:1234 to 10.1.0.1:80 is DNATed to 10.2.0.2:8080 and leaves by the
 * second device with the new address and port and a TCP checksum that verifies; the head
 * of the injected frame holds only 8 bytes of the TCP header (ports and sequence number),
 * the rest of the header (the check field included) and the payload are in a page.
 * Mirrors the behaviour of linux/net/ipv4/netfilter/nf_nat_l3proto_ipv4.c
 * (nf_nat_ipv4_manip_pkt) and nf_nat_proto_tcp.c (tcp_manip_pkt) on nonlinear skbs. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "ip_testdev.h"
#include "linux/mm.h"
#include "net/tcp.h"
#include "tcp_bulk_testutil.h"

#define NATP_PAYLOAD	32
#define NATP_IN_HEAD	(20 + 8)	/* IP header and the first 8 bytes of TCP */

static struct net *tnet;
static struct net_device *d0, *d1;

static int setup(void **state)
{
	int err = ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);

	if (err)
		return err;
	d0 = ipt_dev_new(tnet, "d0", 1, 1500);
	d1 = ipt_dev_new(tnet, "d1", 2, 1500);
	ipt_addr_add(d0, "10.1.0.1", 24);
	ipt_addr_add(d1, "10.2.0.1", 24);
	return 0;
}

static int teardown(void **state)
{
	ipt_dev_del(d0);
	ipt_dev_del(d1);
	d0 = d1 = NULL;
	tnet = NULL;
	return ul_test_teardown_netns(state, "t");
}

/* IPv4 + TCP SYN (20 + 20 bytes, right checksums) and NATP_PAYLOAD bytes at @l3. */
static unsigned int natp_build_syn(u8 *l3)
{
	struct iphdr *iph = (struct iphdr *)l3;
	struct tcphdr *th = (struct tcphdr *)(l3 + 20);
	unsigned int tlen = 20 + NATP_PAYLOAD, i;

	memset(l3, 0, 40);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons((u16)(20 + tlen));
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = ipt_addr("10.1.0.2");
	iph->daddr = ipt_addr("10.1.0.1");
	iph->check = ip_fast_csum(iph, iph->ihl);
	th->source = htons(1234);
	th->dest = htons(80);
	th->seq = htonl(1000);
	th->doff = 5;
	th->syn = 1;
	th->window = htons(29200);
	for (i = 0; i < NATP_PAYLOAD; i++)
		l3[40 + i] = (u8)(i * 7 + 1);
	th->check = tcp_v4_check((int)tlen, iph->saddr, iph->daddr, csum_partial(th, (int)tlen, 0));
	return 20 + tlen;
}

/* The frame of @l3 (@len bytes) to d0 with NATP_IN_HEAD bytes of it in the head and the
 * rest in a page frag. */
static struct sk_buff *natp_paged_frame(const u8 *l3, unsigned int len)
{
	struct sk_buff *skb = ipt_frame(d0, l3, NATP_IN_HEAD);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned int rest = len - NATP_IN_HEAD;

	assert_non_null(page);
	memcpy(page_address(page), l3 + NATP_IN_HEAD, rest);
	skb_fill_page_desc(skb, 0, page, 0, (int)rest);
	skb->len += rest;
	skb->data_len += rest;
	skb->truesize += PAGE_SIZE;
	return skb;
}

static void test_dnat_split_tcp_header(void **state)
{
	u8 l3[128], out[128];
	unsigned int len = natp_build_syn(l3), olen;
	struct sk_buff *skb;
	struct iphdr *iph = (struct iphdr *)out;
	struct tcphdr *th = (struct tcphdr *)(out + 20);

	(void)state;
	assert_int_equal(run_cmd("t", "sysctl -w net.ipv4.ip_forward=1"), 0);
	assert_int_equal(run_cmd("t", "iptables -t nat -A PREROUTING -p tcp --dport 80 "
				      "-j DNAT --to-destination 10.2.0.2:8080"), 0);
	skb = natp_paged_frame(l3, len);
	assert_true(skb_headlen(skb) < ETH_HLEN + 20 + 18);	/* the check field is paged */
	ipt_inject(skb);

	skb = ipt_pop(d1);
	assert_non_null(skb);
	olen = ipt_l3_copy(skb, out, sizeof(out));
	kfree_skb(skb);
	assert_int_equal(olen, len);
	assert_int_equal(iph->daddr, ipt_addr("10.2.0.2"));
	assert_int_equal(ntohs(th->dest), 8080);
	assert_int_equal(ntohs(th->source), 1234);
	assert_int_equal(iph->ttl, 63);
	assert_int_equal(ip_fast_csum(iph, iph->ihl), 0);
	/* The incremental update covered the new address and port. */
	assert_int_equal(tcp_v4_check((int)(olen - 20), iph->saddr, iph->daddr,
				      csum_partial(th, (int)(olen - 20), 0)), 0);
	/* The payload went through untouched. */
	assert_memory_equal(out + 40, l3 + 40, NATP_PAYLOAD);
	assert_int_equal(run_cmd("t", "iptables -t nat -F"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dnat_split_tcp_header, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
