/* SPDX-License-Identifier: MIT */
/* View tests: the formatters against literal /proc text (netstat -s sentences, nstat's table,
 * top's CPU lines, slabtop), the cell lookups, and the views on a live stack (sysctl, cat,
 * ethtool), plus the lab registry's `lab list` format. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/errno.h"
#include "ulnet/lab.h"
#include "views/views.h"

static const char snmp_text[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
	"InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout "
	"ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates\n"
	"Ip: 2 64 5 1 0 0 0 0 4 7 0 0 0 0 0 0 0 0 0\n"
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs "
	"InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps "
	"OutMsgs OutErrors OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects "
	"OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps\n"
	"Icmp: 2 0 0 2 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0 0 0\n"
	"IcmpMsg: InType3 OutType3\n"
	"IcmpMsg: 2 1\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 3 0 0 0 0 0 0 0 0 0 0\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors\n"
	"Udp: 9 1 0 8 2 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors "
	"InCsumErrors\n"
	"UdpLite: 0 0 0 0 0 0 0\n";

static const char netstat_text[] =
	"TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPBacklogDrop\n"
	"TcpExt: 0 3 4 6\n"
	"IpExt: InNoRoutes InOctets\n"
	"IpExt: 0 420\n";

static char *fmt_netstat(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	ul_netstat_s_format(f, snmp_text, netstat_text);
	fclose(f);
	return buf;
}

static void test_mib_parse(void **state)
{
	struct ul_mib_entry e[128];
	long long v;
	int n = ul_mib_parse(snmp_text, e, 0, 128);

	(void)state;
	assert_int_equal(n, 19 + 27 + 2 + 15 + 7 + 7);
	assert_int_equal(ul_mib_lookup(e, n, "IpInReceives", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(ul_mib_lookup(e, n, "TcpMaxConn", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(ul_mib_lookup(e, n, "IcmpMsgInType3", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(ul_mib_lookup(e, n, "UdpRcvbufErrors", &v), 0);
	assert_int_equal(v, 2);
	n = ul_mib_parse(netstat_text, e, n, 128);
	assert_int_equal(ul_mib_lookup(e, n, "TcpExtListenOverflows", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(ul_mib_lookup(e, n, "IpExtInOctets", &v), 0);
	assert_int_equal(v, 420);
	assert_int_equal(ul_mib_lookup(e, n, "TcpExtNoSuch", &v), -ENOENT);
	/* A value line that does not match its header. */
	assert_int_equal(ul_mib_parse("Ip: A B\nIp: 1\n", e, 0, 128), -EINVAL);
	assert_int_equal(ul_mib_parse("Ip: A B\nUdp: 1 2\n", e, 0, 128), -EINVAL);
	assert_int_equal(ul_mib_parse("Ip: A\nIp: x\n", e, 0, 128), -EINVAL);
}

static void test_netstat_s(void **state)
{
	char *s = fmt_netstat();

	(void)state;
	assert_non_null(strstr(s, "Ip:\n    Forwarding: 2\n    5 total packets received\n"
				  "    1 with invalid headers\n    0 forwarded\n"
				  "    0 incoming packets discarded\n"
				  "    4 incoming packets delivered\n    7 requests sent out\n"));
	/* Zero optional counters are left out, as net-tools does. */
	assert_null(strstr(s, "with invalid addresses"));
	assert_null(strstr(s, "Default TTL"));
	assert_non_null(strstr(s, "Icmp:\n    2 ICMP messages received\n"
				  "    0 input ICMP message failed\n    ICMP input histogram:\n"
				  "        destination unreachable: 2\n    1 ICMP messages sent\n"
				  "    0 ICMP messages failed\n    ICMP output histogram:\n"
				  "        destination unreachable: 1\n"));
	assert_non_null(strstr(s, "IcmpMsg:\n        InType3: 2\n        OutType3: 1\n"));
	assert_non_null(strstr(s, "Tcp:\n    3 active connections openings\n"));
	assert_non_null(strstr(s, "Udp:\n    9 packets received\n"
				  "    1 packets to unknown port received.\n"
				  "    0 packet receive errors\n    8 packets sent\n"
				  "    RcvbufErrors: 2\n"));
	assert_non_null(strstr(s, "TcpExt:\n    3 times the listen queue of a socket overflowed\n"
				  "    4 SYNs to LISTEN sockets dropped\n"
				  "    TCPBacklogDrop: 6\n"));
	assert_non_null(strstr(s, "IpExt:\n    InOctets: 420\n"));
	free(s);
}

static void test_nstat(void **state)
{
	struct ul_mib_entry cur[4] = { { "IpInReceives", 15 }, { "TcpMaxConn", -1 },
				       { "UdpNoPorts", 0 }, { "TcpExtListenDrops", 4 } };
	struct ul_mib_entry prev[2] = { { "IpInReceives", 5 }, { "TcpExtListenDrops", 4 } };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	ul_nstat_format(f, cur, 4, NULL, 0, false, false, 0);
	fflush(f);
	assert_string_equal(buf, "#kernel\n"
				 "IpInReceives                    15                 0.0\n"
				 "TcpExtListenDrops               4                  0.0\n");
	rewind(f);
	/* Increments since @prev over 2 s: 10 and 0 (left out without -z). */
	ul_nstat_format(f, cur, 4, prev, 2, false, false, 2.0);
	fputc('\0', f);
	fflush(f);
	assert_string_equal(buf, "#kernel\n"
				 "IpInReceives                    10                 5.0\n");
	rewind(f);
	ul_nstat_format(f, cur, 4, prev, 2, true, true, 2.0);
	fputc('\0', f);
	fflush(f);
	assert_string_equal(buf, "#kernel\n"
				 "IpInReceives                    15                 5.0\n"
				 "UdpNoPorts                      0                  0.0\n"
				 "TcpExtListenDrops               4                  0.0\n");
	fclose(f);
	free(buf);
}

static void test_top(void **state)
{
	const char *before = "cpu  0 0 0 0 0 0 0 0 0 0\n"
			     "cpu0 10 0 20 100 0 0 0 0 0 0\n"
			     "cpu1 0 0 0 50 0 0 0 0 0 0\nintr 0\n";
	const char *after = "cpu  0 0 0 0 0 0 0 0 0 0\n"
			    "cpu0 20 0 40 150 0 10 20 0 0 0\n"
			    "cpu1 0 0 0 50 0 0 0 0 0 0\nintr 0\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	double pct;

	(void)state;
	assert_int_equal(ul_top_format(f, before, after), 2);
	fclose(f);
	/* cpu0: 10 us, 20 sy, 50 id, 10 hi, 20 si of 110 ticks; cpu1: no ticks -> idle. */
	assert_string_equal(buf,
		"%Cpu0  :  9.1 us, 18.2 sy,  0.0 ni, 45.5 id,  0.0 wa,  9.1 hi, 18.2 si,  0.0 st\n"
		"%Cpu1  :  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st\n");
	free(buf);
	assert_int_equal(ul_top_share(before, after, 0, "si", &pct), 0);
	assert_true(pct > 18.17 && pct < 18.19);
	assert_int_equal(ul_top_share(before, after, 2, "si", &pct), -ENOENT);
	assert_int_equal(ul_top_share(before, after, 0, "xx", &pct), -ENOENT);
	assert_int_equal(ul_top_format(stdout, "garbage", "garbage"), -EINVAL);
}

static const char slab_text[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : "
	"tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
	"<sharedavail>\n"
	"skbuff_head_cache     10     32    256   16    1 : tunables    0    0    0 : slabdata      2      2      0\n"
	"TCP                    2      4   1024    4    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"filp                 100    128     64   64    1 : tunables    0    0    0 : slabdata      2      2      0\n";

static void test_slabtop(void **state)
{
	char *buf = NULL, *a, *b, *c;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long long v;

	(void)state;
	assert_int_equal(ul_slabtop_format(f, slab_text, 'o', 0), 3);
	fclose(f);
	assert_non_null(strstr(buf, " Active / Total Objects (% used)    : 112 / 164 (68.3%)\n"));
	assert_non_null(strstr(buf, "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n"));
	assert_non_null(strstr(buf, "   128    100  78%    0.06K      2       64         8K filp"));
	/* Sorted by objects: filp (128), skbuff_head_cache (32), TCP (4). */
	a = strstr(buf, "filp");
	b = strstr(buf, "skbuff_head_cache");
	c = strstr(buf, "TCP");
	assert_true(a && b && c && a < b && b < c);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(ul_slabtop_format(f, slab_text, 's', 1), 1);	/* by object size */
	fclose(f);
	assert_non_null(strstr(buf, "     4      2  50%    1.00K      1        4         4K TCP"));
	assert_null(strstr(buf, "filp"));
	free(buf);
	assert_int_equal(ul_slab_lookup(slab_text, "TCP", "objsize", &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(ul_slab_lookup(slab_text, "filp", "size", &v), 0);
	assert_int_equal(v, 128 * 64);
	assert_int_equal(ul_slab_lookup(slab_text, "nope", "size", &v), -ENOENT);
	assert_int_equal(ul_slabtop_format(stdout, "bad line\n", 'o', 0), -EINVAL);
}

static void test_lookups(void **state)
{
	const char *softirqs = "                    CPU0       CPU1\n"
			       "          HI:          0          0\n"
			       "      NET_TX:          1          2\n"
			       "      NET_RX:         30          4\n";
	const char *softnet = "0000000a 00000001 00000002 00000000 00000000 00000000 00000000 "
			      "00000000 00000000 00000000\n"
			      "000000ff 00000000 00000000 00000000 00000000 00000000 00000000 "
			      "00000000 00000003 00000004\n";
	const char *dev = "Inter-|   Receive                                                |  Transmit\n"
			  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
			  "    lo:     140       2    0    0    0     0          0         0      140       2    0    7    0     0       0          0\n";
	long long v;

	(void)state;
	assert_int_equal(ul_softirqs_lookup(softirqs, "NET_RX", 0, &v), 0);
	assert_int_equal(v, 30);
	assert_int_equal(ul_softirqs_lookup(softirqs, "NET_RX", -1, &v), 0);
	assert_int_equal(v, 34);
	assert_int_equal(ul_softirqs_lookup(softirqs, "NET_TX", 1, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(ul_softirqs_lookup(softirqs, "NET_RX", 2, &v), -ENOENT);
	assert_int_equal(ul_softirqs_lookup(softirqs, "NET", 0, &v), -ENOENT);
	assert_int_equal(ul_softnet_lookup(softnet, 0, "processed", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(ul_softnet_lookup(softnet, 0, "time_squeeze", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(ul_softnet_lookup(softnet, 1, "processed", &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(ul_softnet_lookup(softnet, 1, "received_rps", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(ul_softnet_lookup(softnet, 2, "processed", &v), -ENOENT);
	assert_int_equal(ul_softnet_lookup(softnet, 0, "bogus", &v), -ENOENT);
	assert_int_equal(ul_netdev_lookup(dev, "lo", "rx_bytes", &v), 0);
	assert_int_equal(v, 140);
	assert_int_equal(ul_netdev_lookup(dev, "lo", "tx_drop", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(ul_netdev_lookup(dev, "eth0", "rx_bytes", &v), -ENOENT);
	assert_int_equal(ul_proc_cell(softirqs, "NET_RX", "CPU1", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(ul_proc_cell(softirqs, "NET_TX", "1", &v), 0);	/* 1-based */
	assert_int_equal(v, 1);
	assert_int_equal(ul_proc_cell(softirqs, "NET_TX", "CPU9", &v), -ENOENT);
}

/* Run a view on the live stack; returns its code, output in *out (free it). */
static int run_view(char **out, char **err, int argc, const char *const *argv)
{
	size_t lo = 0, le = 0;
	FILE *fo = open_memstream(out, &lo), *fe = open_memstream(err, &le);
	int rc = ul_view_run(NULL, argc, (char **)argv, fo, fe);

	fclose(fo);
	fclose(fe);
	return rc;
}

static void test_sysctl_view(void **state)
{
	const char *get[] = { "sysctl", "net.core.somaxconn" };
	const char *getn[] = { "sysctl", "-n", "net.core.somaxconn" };
	const char *set[] = { "sysctl", "-w", "net.core.somaxconn=1024" };
	const char *bad[] = { "sysctl", "net.core.nosuch" };
	const char *all[] = { "sysctl", "-a" };
	const char *noarg[] = { "sysctl" };
	char *out, *err;

	(void)state;
	assert_int_equal(run_view(&out, &err, 2, get), 0);
	assert_string_equal(out, "net.core.somaxconn = 128\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, getn), 0);
	assert_string_equal(out, "128\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, set), 0);
	assert_string_equal(out, "net.core.somaxconn = 1024\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, getn), 0);
	assert_string_equal(out, "1024\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 2, bad), -ENOENT);
	assert_string_equal(err, "sysctl: cannot stat /proc/sys/net.core.nosuch: No such file "
				 "or directory\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 2, all), 0);
	assert_non_null(strstr(out, "\nnet.core.somaxconn = 1024\n"));
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 1, noarg), -EINVAL);
	free(out);
	free(err);
}

static void test_cat_ethtool_ss(void **state)
{
	const char *cat[] = { "cat", "/proc/softirqs" };
	const char *nofile[] = { "cat", "/proc/nope" };
	const char *eth[] = { "ethtool", "-S", "lo" };
	const char *ethk[] = { "ethtool", "-k", "lo" };
	const char *ethg[] = { "ethtool", "-g", "lo" };
	const char *ethZ[] = { "ethtool", "-Z", "lo" };
	const char *ethnodev[] = { "ethtool", "-S", "eth9" };
	const char *ss[] = { "ss", "-lnt" };
	const char *slab[] = { "slabtop", "-o" };
	const char *top[] = { "top", "-d", "0.5" };
	const char *noview[] = { "frob" };
	char *out, *err;

	(void)state;
	assert_int_equal(run_view(&out, &err, 2, cat), 0);
	assert_non_null(strstr(out, "NET_RX:"));
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 2, nofile), -ENOENT);
	assert_string_equal(err, "cat: /proc/nope: No such file or directory\n");
	free(out);
	free(err);
	/* lo has no ethtool_ops statistics: ethtool's own message. */
	assert_int_equal(run_view(&out, &err, 3, eth), -EOPNOTSUPP);
	assert_string_equal(err, "no stats available\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, ethnodev), -ENODEV);
	assert_string_equal(err, "Cannot get stats strings information: No such device\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, ethk), 0);
	assert_non_null(strstr(out, "Features for lo:\n"));
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, ethg), -EOPNOTSUPP);
	assert_string_equal(err, "Cannot get device ring settings: Operation not supported\n");
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, ethZ), -EOPNOTSUPP);
	free(out);
	free(err);
	/* ss works (tests/unit/test_ss.c); here: no socket, the header alone. */
	assert_int_equal(run_view(&out, &err, 2, ss), 0);
	assert_non_null(strstr(out, "Local Address:Port Peer Address:PortProcess\n"));
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 2, slab), 0);
	assert_non_null(strstr(out, "  OBJS ACTIVE  USE OBJ SIZE"));
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 3, top), 0);
	assert_non_null(strstr(out, "%Cpu0  :"));
	assert_non_null(strstr(out, "%Cpu1  :"));
	free(out);
	free(err);
	assert_int_equal(run_view(&out, &err, 1, noview), -ENOENT);
	free(out);
	free(err);
}

static void test_lab_list(void **state)
{
	char *buf = NULL, *line, *save;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&buf, &len);
	regex_t re;

	(void)state;
	ul_lab_list(f);
	fclose(f);
	assert_int_equal(regcomp(&re, "^[a-z0-9-]+ ch([1-9]|10) [^ ].*$", REG_EXTENDED | REG_NOSUB),
			 0);
	for (line = strtok_r(buf, "\n", &save); line && n < 1000;
	     line = strtok_r(NULL, "\n", &save), n++)
		assert_int_equal(regexec(&re, line, 0, NULL, 0), 0);
	regfree(&re);
	assert_int_equal(n, ul_lab_count());
	assert_true(n >= 1);
	assert_non_null(ul_lab_find("lo-frame"));
	assert_string_equal(ul_lab_find("lo-frame")->chapter, "ch5");
	assert_null(ul_lab_find("no-such-lab"));
	free(buf);
}

/* A lab of the test's own: one check that holds, a delta that does not. */
static int fake_lab_run(struct ul_lab_ctx *ctx)
{
	ul_lab_check(ctx, "two is two", 2 == 2, "never printed");
	ul_lab_expect_delta(ctx, "Widgets", 10, 12, ">=", 5);
	ul_lab_evidence(ctx, "widgets", "%d", 12);
	return 0;
}

static int empty_lab_run(struct ul_lab_ctx *ctx)
{
	return 0;
}

static int broken_lab_run(struct ul_lab_ctx *ctx)
{
	return -EBUSY;
}

static void test_lab_runner(void **state)
{
	const struct ul_lab fake = { "fake-lab", "ch9", "Do the checks decide?", fake_lab_run };
	const struct ul_lab empty = { "empty-lab", "ch9", "No checks?", empty_lab_run };
	const struct ul_lab broken = { "broken-lab", "ch9", "Cannot run?", broken_lab_run };
	struct ul_lab_run_opts o = { .seed = 3 };
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	o.out = open_memstream(&buf, &len);
	assert_int_equal(ul_lab_run(&fake, &o), 1);
	fclose(o.out);
	assert_non_null(strstr(buf, "Lab fake-lab (ch9): Do the checks decide?\n"));
	assert_non_null(strstr(buf, "  ok    two is two\n"));
	assert_non_null(strstr(buf, "  FAIL  Widgets delta >= 5: 10 -> 12 is a delta of 2\n"));
	assert_non_null(strstr(buf, "lab fake-lab: FAILED: [Widgets delta >= 5]\n"));
	free(buf);

	buf = NULL;
	o.json = true;
	o.out = open_memstream(&buf, &len);
	assert_int_equal(ul_lab_run(&fake, &o), 1);
	fclose(o.out);
	assert_non_null(strstr(buf, "{\"lab\":\"fake-lab\",\"chapter\":\"ch9\","));
	assert_non_null(strstr(buf, "\"seed\":3,\"passed\":false"));
	assert_non_null(strstr(buf, "{\"name\":\"two is two\",\"ok\":true,\"detail\":"
				    "\"never printed\"}"));
	assert_non_null(strstr(buf, "\"evidence\":{\"Widgets\":\"10 -> 12\","
				    "\"widgets\":\"12\"}"));
	assert_non_null(strstr(buf, "\"report\":\"Lab fake-lab (ch9): Do the checks decide?\\n"));
	free(buf);

	/* A lab without checks fails; one that cannot run returns its -errno. */
	buf = NULL;
	o.json = false;
	o.out = open_memstream(&buf, &len);
	assert_int_equal(ul_lab_run(&empty, &o), 1);
	assert_int_equal(ul_lab_run(&broken, &o), -EBUSY);
	fclose(o.out);
	assert_non_null(strstr(buf, "FAIL  the lab recorded its checks: it recorded none"));
	assert_non_null(strstr(buf, "lab broken-lab: could not run: Device or resource busy\n"));
	free(buf);
	assert_int_equal(ul_lab_run(NULL, &o), -EINVAL);
}

static void test_ops(void **state)
{
	(void)state;
	assert_int_equal(ul_lab_op_parse("=="), 0);
	assert_int_equal(ul_lab_op_parse("="), -EINVAL);
	assert_true(ul_lab_op_eval(ul_lab_op_parse("=="), 3, 3));
	assert_false(ul_lab_op_eval(ul_lab_op_parse("=="), 3, 4));
	assert_true(ul_lab_op_eval(ul_lab_op_parse("!="), 3, 4));
	assert_true(ul_lab_op_eval(ul_lab_op_parse("<"), -1, 0));
	assert_false(ul_lab_op_eval(ul_lab_op_parse("<"), 0, 0));
	assert_true(ul_lab_op_eval(ul_lab_op_parse("<="), 0, 0));
	assert_true(ul_lab_op_eval(ul_lab_op_parse(">"), 1, 0));
	assert_false(ul_lab_op_eval(ul_lab_op_parse(">="), -1, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mib_parse),
		cmocka_unit_test(test_netstat_s),
		cmocka_unit_test(test_nstat),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_slabtop),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_lab_list),
		cmocka_unit_test(test_lab_runner),
		cmocka_unit_test_setup_teardown(test_sysctl_view, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_cat_ethtool_ss, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
