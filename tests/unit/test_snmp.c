/* SPDX-License-Identifier: MIT */
/* /proc/net/snmp and /proc/net/netstat in 3.10's exact text (facts.md §4.1, §4.2): names,
 * order, the Forwarding/DefaultTTL and Tcp constants, IcmpMsg's non-zero columns in lines of
 * 16, counters moving with traffic, per-namespace MIBs; and the IP/ICMP sysctl defaults of
 * facts.md §1.4, §1.5. */
#include "ip_testdev.h"
#include "linux/sysctl.h"

static const char ip_hdr_line[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
	"InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout "
	"ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates\n";
static const char icmp_hdr_line[] =
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs "
	"InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps "
	"OutMsgs OutErrors OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects "
	"OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps\n";
static const char tcp_hdr_line[] =
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n";
static const char udp_names[] =
	"InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors\n";

static const char tcpext_names[] =
	"SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned "
	"OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSPassive "
	"PAWSActive PAWSEstab DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows "
	"ListenDrops TCPPrequeued TCPDirectCopyFromBacklog TCPDirectCopyFromPrequeue "
	"TCPPrequeueDropped TCPHPHits TCPHPHitsToUser TCPPureAcks TCPHPAcks TCPRenoRecovery "
	"TCPSackRecovery TCPSACKReneging TCPFACKReorder TCPSACKReorder TCPRenoReorder "
	"TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit "
	"TCPRenoFailures TCPSackFailures TCPLossFailures TCPFastRetrans TCPForwardRetrans "
	"TCPSlowStartRetrans TCPTimeouts TCPLossProbes TCPLossProbeRecovery TCPRenoRecoveryFail "
	"TCPSackRecoveryFail TCPSchedulerFailed TCPRcvCollapsed TCPDSACKOldSent TCPDSACKOfoSent "
	"TCPDSACKRecv TCPDSACKOfoRecv TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory "
	"TCPAbortOnTimeout TCPAbortOnLinger TCPAbortFailed TCPMemoryPressures TCPSACKDiscard "
	"TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound "
	"TCPMD5Unexpected TCPSackShifted TCPSackMerged TCPSackShiftFallback TCPBacklogDrop "
	"TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow "
	"TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue "
	"TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive "
	"TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow "
	"TCPFastOpenCookieReqd TCPSpuriousRtxHostQueues";
static const char ipext_names[] =
	"InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets "
	"OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors";

static char *zeros(char *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p += sprintf(p, " 0");
	return p;
}

static char *read_proc(const char *ns, const char *path)
{
	int err = 0;
	char *t = ul_proc_read(ns, path, &err);

	assert_non_null(t);
	return t;
}

/* A fresh stack: the whole file, byte for byte. */
static void test_snmp_text(void **state)
{
	char expect[4096], *p = expect;
	char *text;

	(void)state;
	p += sprintf(p, "%s", ip_hdr_line);
	p += sprintf(p, "Ip: 2 64");
	p = zeros(p, 17);
	p += sprintf(p, "\n%s", icmp_hdr_line);
	p += sprintf(p, "Icmp:");
	p = zeros(p, 27);
	p += sprintf(p, "\n%s", tcp_hdr_line);
	p += sprintf(p, "Tcp: 1 200 120000 -1");
	p = zeros(p, 11);
	p += sprintf(p, "\nUdp: %s", udp_names);
	p += sprintf(p, "Udp:");
	p = zeros(p, 7);
	p += sprintf(p, "\nUdpLite: %s", udp_names);
	p += sprintf(p, "UdpLite:");
	p = zeros(p, 7);
	p += sprintf(p, "\n");

	text = read_proc(NULL, "/proc/net/snmp");
	assert_string_equal(text, expect);
	free(text);
}

static void test_netstat_text(void **state)
{
	char expect[8192], *p = expect;
	char *text;

	(void)state;
	p += sprintf(p, "TcpExt: %s\nTcpExt:", tcpext_names);
	p = zeros(p, 94);
	p += sprintf(p, "\nIpExt: %s\nIpExt:", ipext_names);
	p = zeros(p, 13);
	p += sprintf(p, "\n");
	text = read_proc(NULL, "/proc/net/netstat");
	assert_string_equal(text, expect);
	free(text);

	/* 94 TcpExt names and 13 IpExt names, as facts.md §4.2 counts them. */
	{
		int words = 1;

		for (p = (char *)tcpext_names; *p; p++)
			words += *p == ' ';
		assert_int_equal(words, 94);
		words = 1;
		for (p = (char *)ipext_names; *p; p++)
			words += *p == ' ';
		assert_int_equal(words, 13);
	}
}

/* Forwarding is 1 when conf/all/forwarding is set, else 2; DefaultTTL follows the sysctl. */
static void test_ip_line_constants(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_forward", "1"), 0);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_default_ttl", "128"), 0);
	text = read_proc(NULL, "/proc/net/snmp");
	assert_non_null(strstr(text, "\nIp: 1 128 0 "));
	free(text);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.conf.all.forwarding", "0"), 0);
	text = read_proc(NULL, "/proc/net/snmp");
	assert_non_null(strstr(text, "\nIp: 2 128 0 "));
	free(text);
}

/* IcmpMsg: only non-zero counters, In before Out, 16 per line pair. */
static void test_icmpmsg_lines(void **state)
{
	struct net *net = &init_net;
	char *text;
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		ICMPMSGIN_INC_STATS_BH(net, i);
		ICMPMSGOUT_INC_STATS(net, i);
	}
	ICMPMSGOUT_INC_STATS(net, 3);
	text = read_proc(NULL, "/proc/net/snmp");
	assert_non_null(strstr(text,
		"\nIcmpMsg: InType0 InType1 InType2 InType3 InType4 InType5 InType6 InType7 "
		"InType8 InType9 OutType0 OutType1 OutType2 OutType3 OutType4 OutType5\n"
		"IcmpMsg: 1 1 1 1 1 1 1 1 1 1 1 1 1 2 1 1\n"
		"IcmpMsg: OutType6 OutType7 OutType8 OutType9\n"
		"IcmpMsg: 1 1 1 1\n"
		"Tcp: "));
	/* The Icmp line's per-type columns come from the same counters. */
	assert_non_null(strstr(text, "\nIcmp: 0 0 0 1 0 0 1 1 1 1 0 0 0 0 0 0 2 0 0 1 1 1 1 0 0 0 0\n"));
	free(text);
}

/* Traffic moves the counters of its namespace only. */
static void test_counters_per_netns(void **state)
{
	struct net_device *t0;
	struct net *b;
	u8 pkt[64], pl[8] = { 0 };
	unsigned int len;
	char *text;

	(void)state;
	assert_int_equal(ul_netns_add("b"), 0);
	b = ul_net_by_name("b");
	assert_non_null(b);
	t0 = ipt_dev_new(&init_net, "t0", 1, 1500);
	ipt_addr_add(t0, "10.0.0.1", 24);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr("10.0.0.1"), 254, 64, 1, 0, 5,
			   NULL, pl, sizeof(pl));
	ipt_rx(t0, pkt, len);	/* unknown protocol: InReceives, InUnknownProtos, ICMP out */
	text = read_proc(NULL, "/proc/net/snmp");
	assert_non_null(strstr(text, "\nIp: 2 64 1 0 0 0 1 0 0 1 0 0 0 0 0 0 0 0 0\n"));
	assert_non_null(strstr(text, "\nIcmp: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0 0 0\n"));
	free(text);
	text = read_proc(NULL, "/proc/net/netstat");
	assert_non_null(strstr(text, "\nIpExt: 0 0 0 0 0 0 28 56 0 0 0 0 0\n"));
	free(text);
	text = read_proc("b", "/proc/net/snmp");
	assert_non_null(strstr(text, "\nIp: 2 64 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"));
	free(text);
	ipt_dev_del(t0);
	assert_int_equal(ul_netns_del("b"), 0);
}

static void expect_sysctl(const char *ns, const char *name, const char *value)
{
	char buf[64];

	assert_int_equal(ul_sysctl_get(ns, name, buf, sizeof(buf)), 0);
	assert_string_equal(buf, value);
}

/* facts.md §1.4 and §1.5, in init_net and in a new namespace. */
static void test_sysctl_defaults(void **state)
{
	static const char *const nss[] = { NULL, "b" };
	int i;

	(void)state;
	assert_int_equal(ul_netns_add("b"), 0);
	for (i = 0; i < 2; i++) {
		const char *ns = nss[i];

		expect_sysctl(ns, "net.ipv4.ip_forward", "0");
		expect_sysctl(ns, "net.ipv4.conf.all.forwarding", "0");
		expect_sysctl(ns, "net.ipv4.conf.default.forwarding", "0");
		expect_sysctl(ns, "net.ipv4.conf.all.accept_redirects", "1");
		expect_sysctl(ns, "net.ipv4.conf.all.send_redirects", "1");
		expect_sysctl(ns, "net.ipv4.conf.all.secure_redirects", "1");
		expect_sysctl(ns, "net.ipv4.conf.all.shared_media", "1");
		expect_sysctl(ns, "net.ipv4.conf.all.accept_source_route", "0");
		expect_sysctl(ns, "net.ipv4.conf.default.accept_source_route", "1");
		expect_sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
		expect_sysctl(ns, "net.ipv4.conf.all.arp_ignore", "0");
		expect_sysctl(ns, "net.ipv4.conf.all.log_martians", "0");
		expect_sysctl(ns, "net.ipv4.ip_default_ttl", "64");
		expect_sysctl(ns, "net.ipv4.ip_no_pmtu_disc", "0");
		expect_sysctl(ns, "net.ipv4.ip_nonlocal_bind", "0");
		expect_sysctl(ns, "net.ipv4.ip_dynaddr", "0");
		expect_sysctl(ns, "net.ipv4.ip_early_demux", "1");
		expect_sysctl(ns, "net.ipv4.ip_local_port_range", "32768\t61000");
		expect_sysctl(ns, "net.ipv4.ipfrag_high_thresh", "4194304");
		expect_sysctl(ns, "net.ipv4.ipfrag_low_thresh", "3145728");
		expect_sysctl(ns, "net.ipv4.ipfrag_time", "30");
		expect_sysctl(ns, "net.ipv4.ipfrag_secret_interval", "600");
		expect_sysctl(ns, "net.ipv4.ipfrag_max_dist", "64");
		expect_sysctl(ns, "net.ipv4.inet_peer_threshold", "65664");
		expect_sysctl(ns, "net.ipv4.inet_peer_minttl", "120");
		expect_sysctl(ns, "net.ipv4.inet_peer_maxttl", "600");
		expect_sysctl(ns, "net.ipv4.icmp_echo_ignore_all", "0");
		expect_sysctl(ns, "net.ipv4.icmp_echo_ignore_broadcasts", "1");
		expect_sysctl(ns, "net.ipv4.icmp_ignore_bogus_error_responses", "1");
		expect_sysctl(ns, "net.ipv4.icmp_errors_use_inbound_ifaddr", "0");
		expect_sysctl(ns, "net.ipv4.icmp_ratelimit", "1000");
		expect_sysctl(ns, "net.ipv4.icmp_ratemask", "6168");
	}
	/* Per namespace: ICMP and forwarding; global: ip_default_ttl (as 3.10). */
	assert_int_equal(ul_sysctl_set("b", "net.ipv4.icmp_ratelimit", "250"), 0);
	assert_int_equal(ul_sysctl_set("b", "net.ipv4.ip_forward", "1"), 0);
	expect_sysctl(NULL, "net.ipv4.icmp_ratelimit", "1000");
	expect_sysctl(NULL, "net.ipv4.ip_forward", "0");
	expect_sysctl("b", "net.ipv4.conf.all.forwarding", "1");
	expect_sysctl("b", "net.ipv4.conf.all.accept_redirects", "0");
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_default_ttl", "32"), 0);
	expect_sysctl("b", "net.ipv4.ip_default_ttl", "32");
	/* Bad values leave the old ones. */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "5000 4000"),
			 -EINVAL);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "0 4000"), -EINVAL);
	expect_sysctl(NULL, "net.ipv4.ip_local_port_range", "32768\t61000");
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "1024 65535"), 0);
	{
		int lo, hi;

		inet_get_local_port_range(&lo, &hi);
		assert_int_equal(lo, 1024);
		assert_int_equal(hi, 65535);
	}
	assert_int_equal(ul_netns_del("b"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snmp_text, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_netstat_text, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ip_line_constants, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_icmpmsg_lines, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_counters_per_netns, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_defaults, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
