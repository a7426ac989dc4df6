/* SPDX-License-Identifier: MIT */
/* ICMP: echo reply with the same id/sequence/payload, checksum errors, the echo sysctls,
 * rate limiting by icmp_ratelimit/icmp_ratemask (and what is never limited), errors never
 * sent about errors or about non-first fragments, errors quoting too little, delivery of
 * errors to the protocol with their info, and the Icmp/IcmpMsg counters. */
#include "ip_testdev.h"
#include "linux/sysctl.h"
#include "net/dropreason.h"

#define TPROTO 253

static struct {
	int calls, errs;
	u32 err_info;
	u8 err_type;
} tp;

static int tproto_rcv(struct sk_buff *skb)
{
	tp.calls++;
	consume_skb(skb);
	return 0;
}

/* skb->data is the quoted IP header; the ICMP header is the transport header. */
static void tproto_err(struct sk_buff *skb, u32 info)
{
	tp.errs++;
	tp.err_info = info;
	tp.err_type = ((struct icmphdr *)skb_transport_header(skb))->type;
}

static const struct net_protocol tproto = {
	.handler = tproto_rcv,
	.err_handler = tproto_err,
	.netns_ok = 1,
};

static struct net_device *t0;

static int setup_with(int (*boot)(void **), void **state)
{
	int err = boot(state);

	if (err)
		return err;
	memset(&tp, 0, sizeof(tp));
	t0 = ipt_t0_up(&tproto, TPROTO);
	return 0;
}

static int setup(void **state)
{
	return setup_with(ul_test_setup_sim, state);
}

/* The same stack on the posix runtime (real threads, ksoftirqd per CPU). */
static int setup_posix(void **state)
{
	return setup_with(ul_test_setup_posix, state);
}

static int teardown(void **state)
{
	return ipt_t0_down(state, t0, &tproto, TPROTO);
}

/* An ICMP packet from 10.0.0.2 to @dst. */
static void rx_icmp(const char *dst, u8 type, u8 code, u16 id, u16 seq, const void *data,
		    unsigned int dlen, bool corrupt)
{
	u8 ic[1600], pkt[1700];
	unsigned int ilen, len;

	ilen = ipt_build_icmp(ic, type, code, id, seq, data, dlen);
	if (corrupt)
		ic[ilen - 1] ^= 0x5a;
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr(dst), IPPROTO_ICMP, 64, 77, 0, 5,
			   NULL, ic, ilen);
	ipt_rx(t0, pkt, len);
}

/* RFC 1122 3.2.2.6: the reply returns id, sequence and data unchanged. */
static void test_echo_reply(void **state)
{
	struct net *net = &init_net;
	u8 data[100], out[300];
	struct sk_buff *skb;
	struct iphdr *oh;
	struct icmphdr *ic;
	unsigned int olen;
	int i;

	(void)state;
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (u8)(i * 7);
	rx_icmp("10.0.0.1", ICMP_ECHO, 0, 0x1234, 0x0042, data, sizeof(data), false);

	skb = ipt_pop(t0);
	assert_non_null(skb);
	olen = ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	assert_int_equal(olen, 20 + 8 + sizeof(data));
	oh = (struct iphdr *)out;
	assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
	assert_int_equal(oh->saddr, ipt_addr("10.0.0.1"));
	assert_int_equal(oh->daddr, ipt_addr("10.0.0.2"));
	assert_int_equal(oh->protocol, IPPROTO_ICMP);
	assert_int_equal(oh->ttl, 64);
	assert_int_equal(ntohs(oh->frag_off), 0);	/* the control socket: IP_PMTUDISC_DONT */
	ic = (struct icmphdr *)(out + 20);
	assert_int_equal(ic->type, ICMP_ECHOREPLY);
	assert_int_equal(ic->code, 0);
	assert_int_equal(ntohs(ic->un.echo.id), 0x1234);
	assert_int_equal(ntohs(ic->un.echo.sequence), 0x0042);
	assert_int_equal(ip_compute_csum(ic, (int)(olen - 20)), 0);
	assert_memory_equal(out + 28, data, sizeof(data));

	assert_int_equal(ICMP_MIB(net, INMSGS), 1);
	assert_int_equal(ICMP_MIB(net, OUTMSGS), 1);
	assert_int_equal(ICMP_IN(net, ICMP_ECHO), 1);
	assert_int_equal(ICMP_OUT(net, ICMP_ECHOREPLY), 1);
	assert_int_equal(IP_MIB(net, INDELIVERS), 1);
	assert_int_equal(IP_MIB(net, OUTPKTS), 1);
	assert_int_equal(ICMP_MIB(net, INERRORS), 0);

	/* An echo reply for us (no ping sockets) is counted and dropped. */
	rx_icmp("10.0.0.1", ICMP_ECHOREPLY, 0, 1, 1, data, 8, false);
	assert_int_equal(ICMP_IN(net, ICMP_ECHOREPLY), 1);
	assert_int_equal(ipt_txq_len(t0), 0);
}

static void test_echo_checks(void **state)
{
	struct net *net = &init_net;
	u8 data[16] = { 0 };

	(void)state;
	/* A bad ICMP checksum: InCsumErrors and InErrors, no reply, not an InType count. */
	rx_icmp("10.0.0.1", ICMP_ECHO, 0, 1, 1, data, sizeof(data), true);
	assert_int_equal(ICMP_MIB(net, CSUMERRORS), 1);
	assert_int_equal(ICMP_MIB(net, INERRORS), 1);
	assert_int_equal(ICMP_IN(net, ICMP_ECHO), 0);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_ICMP_CSUM), 1);

	/* icmp_echo_ignore_all. */
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.icmp_echo_ignore_all", "1"), 0);
	rx_icmp("10.0.0.1", ICMP_ECHO, 0, 1, 2, data, sizeof(data), false);
	assert_int_equal(ICMP_IN(net, ICMP_ECHO), 1);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.icmp_echo_ignore_all", "0"), 0);

	/* To the subnet broadcast: ignored by default (icmp_echo_ignore_broadcasts = 1). */
	rx_icmp("10.0.0.255", ICMP_ECHO, 0, 1, 3, data, sizeof(data), false);
	assert_int_equal(ICMP_IN(net, ICMP_ECHO), 2);
	assert_int_equal(ICMP_MIB(net, INERRORS), 2);
	assert_int_equal(ipt_txq_len(t0), 0);

	/* An unknown type (> 18) is counted and silently discarded (RFC 1122 3.2.2). */
	rx_icmp("10.0.0.1", 42, 0, 1, 4, data, sizeof(data), false);
	assert_int_equal(ICMP_IN(net, 42), 1);
	assert_int_equal(ICMP_MIB(net, INERRORS), 3);

	/* A timestamp request gets a reply with 12 bytes of times. */
	rx_icmp("10.0.0.1", ICMP_TIMESTAMP, 0, 5, 6, data, 12, false);
	assert_int_equal(ICMP_OUT(net, ICMP_TIMESTAMPREPLY), 1);
	{
		struct sk_buff *skb = ipt_pop(t0);
		u8 out[128];

		assert_non_null(skb);
		assert_int_equal(ipt_l3_copy(skb, out, sizeof(out)), 20 + 8 + 12);
		consume_skb(skb);
		assert_int_equal(out[20], ICMP_TIMESTAMPREPLY);
	}
	assert_int_equal(ICMP_MIB(net, INMSGS), 5);
}

/* facts.md §1.5: a per-destination token bucket of icmp_ratelimit (1000 ms) jiffies per
 * error, holding at most 6 errors' worth, for the types in icmp_ratemask (0x1818). */
static void test_ratelimit(void **state)
{
	struct net *net = &init_net;
	u8 pkt[64], pl[8] = { 0 };
	unsigned int len;
	char buf[32];
	int i;

	(void)state;
	assert_int_equal(ul_sysctl_read(net, "net.ipv4.icmp_ratelimit", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1000");
	assert_int_equal(ul_sysctl_read(net, "net.ipv4.icmp_ratemask", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "6168");

	/* Protocol unreachables (type 3, in the mask) back to back: the burst of 6 goes, the
	 * rest are suppressed. */
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), 254, 64, 1, 0, 5,
			   NULL, pl, sizeof(pl));
	for (i = 0; i < 8; i++)
		ipt_rx(t0, pkt, len);
	assert_int_equal(IP_MIB(net, INUNKNOWNPROTOS), 8);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 6);
	assert_int_equal(ipt_txq_len(t0), 6);
	ipt_dev_purge(t0);

	/* One second refills one token: exactly one more. */
	ul_run_for(1000ULL * 1000 * 1000);
	ipt_rx(t0, pkt, len);
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 7);

	/* Another destination has its own bucket. */
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.3"), ipt_addr("10.0.0.1"), 254, 64, 1, 0, 5,
			   NULL, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 8);

	/* Echo replies (type 0) are not in the mask: never limited. */
	for (i = 0; i < 10; i++)
		rx_icmp("10.0.0.1", ICMP_ECHO, 0, 1, (u16)i, pl, sizeof(pl), false);
	assert_int_equal(ICMP_OUT(net, ICMP_ECHOREPLY), 10);

	/* A ratemask without type 3 lets them all through. */
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.icmp_ratemask", "0"), 0);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), 254, 64, 1, 0, 5,
			   NULL, pl, sizeof(pl));
	for (i = 0; i < 5; i++)
		ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 13);
}

/* RFC 1122 3.2.2: no error about an ICMP error, about a fragment other than the first, or
 * about a link- or IP-level broadcast. Forwarding with TTL 1 makes time exceeded errors. */
static void test_no_error_about_errors(void **state)
{
	static const u8 bcast_mac[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net *net = &init_net;
	struct net_device *t1 = ipt_dev_new(net, "t1", 2, 1500);
	u8 inner[28], ic[64], pkt[128], pl[8] = { 0 };
	unsigned int ilen, len;

	(void)state;
	ipt_addr_add(t1, "10.1.0.1", 24);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "1"), 0);

	/* A UDP packet dying in transit gets a time exceeded... */
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.1.0.2"), IPPROTO_UDP, 1, 1, 0,
			   5, NULL, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_TIME_EXCEEDED), 1);

	/* ...so does an echo request (not an error)... */
	ilen = ipt_build_icmp(ic, ICMP_ECHO, 0, 1, 1, pl, sizeof(pl));
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.1.0.2"), IPPROTO_ICMP, 1, 2, 0,
			   5, NULL, ic, ilen);
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_TIME_EXCEEDED), 2);

	/* ...but not an ICMP error, nor a fragment other than the first. */
	ilen = ipt_build_ip(inner, ipt_addr("10.1.0.2"), ipt_addr("10.0.0.2"), IPPROTO_UDP, 64, 1,
			    0, 5, NULL, pl, sizeof(pl));
	ilen = ipt_build_icmp(ic, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0, inner, ilen);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.1.0.2"), IPPROTO_ICMP, 1, 3, 0,
			   5, NULL, ic, ilen);
	ipt_rx(t0, pkt, len);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.1.0.2"), IPPROTO_UDP, 1, 4,
			   185, 5, NULL, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_OUT(net, ICMP_TIME_EXCEEDED), 2);
	assert_int_equal(IP_MIB(net, INHDRERRORS), 4);

	/* An unknown protocol sent to the subnet broadcast, or in a link broadcast frame, is
	 * dropped without a protocol unreachable. */
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.255"), 254, 64, 5, 0, 5,
			   NULL, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), 254, 64, 6, 0, 5,
			   NULL, pl, sizeof(pl));
	ipt_inject(ipt_frame_to(t0, bcast_mac, pkt, len));
	assert_int_equal(IP_MIB(net, INUNKNOWNPROTOS), 2);
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), 0);
	assert_int_equal(ipt_txq_len(t0), 2);	/* the two time exceeded */
	ipt_dev_del(t1);
}

/* Errors reach the quoted packet's protocol with their info; a quote shorter than an IP
 * header is an InErrors; one without the 8 bytes of transport header is ignored. */
static void test_error_delivery_and_short_quotes(void **state)
{
	struct net *net = &init_net;
	u8 inner[64], ic[128], pkt[192], pl[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct icmphdr *ich = (struct icmphdr *)ic;
	unsigned int ilen, clen, len;

	(void)state;
	ilen = ipt_build_ip(inner, ipt_addr("10.0.0.1"), ipt_addr("10.0.0.2"), TPROTO, 64, 1, 0,
			    5, NULL, pl, sizeof(pl));

	/* Fragmentation needed with an MTU of 1280: info is the MTU. */
	clen = ipt_build_icmp(ic, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 0, 0, inner, ilen);
	ich->un.frag.mtu = htons(1280);
	ich->checksum = 0;
	ich->checksum = ip_compute_csum(ic, (int)clen);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), IPPROTO_ICMP, 64, 3,
			   0, 5, NULL, ic, clen);
	ipt_rx(t0, pkt, len);
	assert_int_equal(tp.errs, 1);
	assert_int_equal(tp.err_info, 1280);
	assert_int_equal(tp.err_type, ICMP_DEST_UNREACH);

	/* Parameter problem: info is the pointer. */
	clen = ipt_build_icmp(ic, ICMP_PARAMETERPROB, 0, 0, 0, inner, ilen);
	ich->un.gateway = htonl(13u << 24);
	ich->checksum = 0;
	ich->checksum = ip_compute_csum(ic, (int)clen);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), IPPROTO_ICMP, 64, 4,
			   0, 5, NULL, ic, clen);
	ipt_rx(t0, pkt, len);
	assert_int_equal(tp.errs, 2);
	assert_int_equal(tp.err_info, 13);

	/* Quote of 12 bytes: not even an IP header. */
	clen = ipt_build_icmp(ic, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0, inner, 12);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), IPPROTO_ICMP, 64, 5,
			   0, 5, NULL, ic, clen);
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_MIB(net, INERRORS), 1);
	assert_int_equal(tp.errs, 2);

	/* Quote of the header and 4 bytes: ignored (RFC 1122 3.2.2: at least 8). */
	clen = ipt_build_icmp(ic, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0, inner, 24);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), IPPROTO_ICMP, 64, 6,
			   0, 5, NULL, ic, clen);
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_MIB(net, INERRORS), 1);
	assert_int_equal(tp.errs, 2);

	/* Quoted header with IHL 3: mangled, InErrors. */
	clen = ipt_build_icmp(ic, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0, inner, ilen);
	ic[8] = 0x43;
	ich->checksum = 0;
	ich->checksum = ip_compute_csum(ic, (int)clen);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), IPPROTO_ICMP, 64, 7,
			   0, 5, NULL, ic, clen);
	ipt_rx(t0, pkt, len);
	assert_int_equal(ICMP_MIB(net, INERRORS), 2);
	assert_int_equal(tp.errs, 2);
	assert_int_equal(ICMP_IN(net, ICMP_DEST_UNREACH), 4);
	assert_int_equal(ICMP_IN(net, ICMP_PARAMETERPROB), 1);
	assert_int_equal(ICMP_MIB(net, INMSGS), 5);
	/* Errors are never answered. */
	assert_int_equal(ipt_txq_len(t0), 0);
}

/* RFC 1122 3.2.2.6: a Record Route option of an echo request comes back in the reply, with
 * our address recorded on the way in and on the way out (ip_options_compile, then
 * ip_options_echo and ip_options_build). */
static void test_echo_record_route(void **state)
{
	static const u8 rr[12] = { IPOPT_RR, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, IPOPT_END };
	u8 ic[64], pkt[128], out[256], data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct sk_buff *skb;
	struct iphdr *oh = (struct iphdr *)out;
	unsigned int ilen, len, olen;
	__be32 a;

	(void)state;
	ilen = ipt_build_icmp(ic, ICMP_ECHO, 0, 7, 9, data, sizeof(data));
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), IPPROTO_ICMP, 64, 1,
			   0, 8, rr, ic, ilen);
	ipt_rx(t0, pkt, len);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	olen = ipt_l3_copy(skb, out, sizeof(out));
	consume_skb(skb);
	assert_int_equal(oh->ihl, 8);
	assert_int_equal(olen, 32 + 8 + sizeof(data));
	assert_int_equal(ip_fast_csum(oh, oh->ihl), 0);
	assert_int_equal(out[20], IPOPT_RR);
	assert_int_equal(out[21], 11);
	assert_int_equal(out[22], 12);		/* both slots used */
	memcpy(&a, out + 23, 4);
	assert_int_equal(a, ipt_addr("10.0.0.1"));
	memcpy(&a, out + 27, 4);
	assert_int_equal(a, ipt_addr("10.0.0.1"));
	assert_int_equal(out[32], ICMP_ECHOREPLY);
	assert_memory_equal(out + 40, data, sizeof(data));
}

/* Pings on the posix runtime: replies come back, counters add up. */
static void test_echo_posix(void **state)
{
	struct net *net = &init_net;
	u8 data[32] = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 50; i++)
		rx_icmp("10.0.0.1", ICMP_ECHO, 0, 3, (u16)i, data, sizeof(data), false);
	assert_int_equal(ICMP_IN(net, ICMP_ECHO), 50);
	assert_int_equal(ICMP_OUT(net, ICMP_ECHOREPLY), 50);
	assert_int_equal(ipt_txq_len(t0), 50);
	assert_int_equal(IP_MIB(net, INDELIVERS), 50);
}

/* The Icmp and IcmpMsg lines of /proc/net/snmp after one ping. */
static void test_proc_icmp_lines(void **state)
{
	u8 data[8] = { 0 };
	char *text, *p;
	int err;

	(void)state;
	rx_icmp("10.0.0.1", ICMP_ECHO, 0, 1, 1, data, sizeof(data), false);
	text = ul_proc_read(NULL, "/proc/net/snmp", &err);
	assert_non_null(text);
	p = strstr(text, "\nIcmp: 1 0 0 0 0 0 0 0 1 0 0 0 0 0 1 0 0 0 0 0 0 0 1 0 0 0 0\n");
	assert_non_null(p);
	p = strstr(text, "\nIcmpMsg: InType8 OutType0\nIcmpMsg: 1 1\n");
	assert_non_null(p);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ratelimit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_error_about_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_delivery_and_short_quotes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_echo_record_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_icmp_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_posix, setup_posix, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
