/* SPDX-License-Identifier: MIT */
/* Scenario tests: the line splitter (quotes, comments, continuation, errors with the line),
 * durations, the expect grammar (each operator; a failing expect fails the run), errors that
 * name file, line and word, and commands end to end on the sim stack (exec, trace, tcpdump). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "lab/scenario.h"
#include "linux/errno.h"
#include "ulnet/lab.h"

static void test_split(void **state)
{
	const char *text = "ip addr add 10.0.0.1/24 dev eth0   # a comment\n"
			   "\n"
			   "  # only a comment\n"
			   "echo 'single # not a comment' \"dq \\\"x\\\" \\\\ $\" a\\ b\n"
			   "tcpdump -i lo \\\n"
			   "   -w x.pcap 'ether proto 0x88b5'\n"
			   "echo '' end#hash\n";
	const char *pos = text, *err = NULL;
	struct scn_line l;
	int lineno = 0;

	(void)state;
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	assert_int_equal(l.lineno, 1);
	assert_int_equal(l.nwords, 6);
	assert_string_equal(l.words[0], "ip");
	assert_string_equal(l.words[5], "eth0");
	scn_words_free(&l);
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	assert_int_equal(l.nwords, 0);	/* blank */
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	assert_int_equal(l.nwords, 0);	/* comment only */
	assert_int_equal(l.lineno, 3);
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	assert_int_equal(l.lineno, 4);
	assert_int_equal(l.nwords, 4);
	assert_string_equal(l.words[1], "single # not a comment");
	assert_string_equal(l.words[2], "dq \"x\" \\ $");
	assert_string_equal(l.words[3], "a b");
	scn_words_free(&l);
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	assert_int_equal(l.lineno, 5);	/* a continued line is numbered by its first line */
	assert_int_equal(l.nwords, 6);
	assert_string_equal(l.words[3], "-w");
	assert_string_equal(l.words[5], "ether proto 0x88b5");
	scn_words_free(&l);
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	assert_int_equal(l.lineno, 7);
	assert_int_equal(l.nwords, 3);
	assert_string_equal(l.words[1], "");	/* '' is an empty word */
	assert_string_equal(l.words[2], "end#hash");	/* # inside a word is not a comment */
	scn_words_free(&l);
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 0);
}

static void test_split_errors(void **state)
{
	const char *pos = "echo ok\necho 'open\n", *err = NULL;
	struct scn_line l;
	int lineno = 0;

	(void)state;
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), 1);
	scn_words_free(&l);
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), -EINVAL);
	assert_int_equal(l.lineno, 2);
	assert_string_equal(err, "unterminated ' quote");
	pos = "echo \"x";
	lineno = 0;
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), -EINVAL);
	assert_string_equal(err, "unterminated \" quote");
	pos = "echo x\\";
	assert_int_equal(scn_next_line(&pos, &lineno, &l, &err), -EINVAL);
}

static void test_duration(void **state)
{
	u64 ns;

	(void)state;
	assert_int_equal(scn_parse_duration("3s", &ns), 0);
	assert_true(ns == 3000000000ull);
	assert_int_equal(scn_parse_duration("500ms", &ns), 0);
	assert_true(ns == 500000000ull);
	assert_int_equal(scn_parse_duration("10us", &ns), 0);
	assert_true(ns == 10000ull);
	assert_int_equal(scn_parse_duration("20ns", &ns), 0);
	assert_true(ns == 20ull);
	assert_int_equal(scn_parse_duration("1.5s", &ns), 0);
	assert_true(ns == 1500000000ull);
	assert_int_equal(scn_parse_duration("2m", &ns), 0);
	assert_true(ns == 120000000000ull);
	assert_int_equal(scn_parse_duration("2", &ns), 0);	/* sleep(1)'s seconds */
	assert_true(ns == 2000000000ull);
	assert_int_equal(scn_parse_duration("-1s", &ns), -EINVAL);
	assert_int_equal(scn_parse_duration("3h", &ns), -EINVAL);
	assert_int_equal(scn_parse_duration("s", &ns), -EINVAL);
	assert_int_equal(scn_parse_duration("", &ns), -EINVAL);
}

/* Run @text on the live stack; output and errors in *out and *err (free them). */
static int run(const char *text, char **out, char **err)
{
	size_t lo = 0, le = 0;
	struct ul_scenario_opts o = { 0 };
	int rc;

	o.out = open_memstream(out, &lo);
	o.err = open_memstream(err, &le);
	rc = ul_scenario_run_text("t.scn", text, &o);
	fclose(o.out);
	fclose(o.err);
	return rc;
}

static void test_errors_name_line_and_word(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(run("echo one\n# two\nfrobnicate now\necho never\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:3: 'frobnicate': unknown command\n");
	assert_string_equal(out, "one\n");	/* the run stops at the failing line */
	free(out);
	free(err);
	assert_int_equal(run("sleep 3parsecs\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: '3parsecs': bad duration (a number with ns, us, ms, "
				 "s or m)\n");
	free(out);
	free(err);
	assert_int_equal(run("echo a\necho 'b\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:2: unterminated ' quote\n");
	free(out);
	free(err);
	assert_int_equal(run("exec -n nons frame-send lo\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: 'nons': no such network namespace\n");
	free(out);
	free(err);
	assert_int_equal(run("\nexec iperf3 -s\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:2: 'iperf3': exec: no such built-in program"));
	free(out);
	free(err);
	assert_int_equal(run("cat /proc/nope\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: 'cat': cat: /proc/nope: No such file or directory\n");
	free(out);
	free(err);
	assert_int_equal(run("expect sysctl net.core.somaxconn =~ 128\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:1: '=~': not an operator"));
	free(out);
	free(err);
	assert_int_equal(run("expect netstat NoSuchCounter > 0\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:1: 'NoSuchCounter': no such counter"));
	free(out);
	free(err);
}

static void test_expect_operators(void **state)
{
	static const struct {
		const char *line;
		int rc;
	} cases[] = {
		{ "expect sysctl net.core.somaxconn == 128", 0 },
		{ "expect sysctl net.core.somaxconn == 129", 1 },
		{ "expect sysctl net.core.somaxconn != 127", 0 },
		{ "expect sysctl net.core.somaxconn != 128", 1 },
		{ "expect sysctl net.core.somaxconn < 129", 0 },
		{ "expect sysctl net.core.somaxconn < 128", 1 },
		{ "expect sysctl net.core.somaxconn <= 128", 0 },
		{ "expect sysctl net.core.somaxconn <= 127", 1 },
		{ "expect sysctl net.core.somaxconn > 127", 0 },
		{ "expect sysctl net.core.somaxconn > 128", 1 },
		{ "expect sysctl net.core.somaxconn >= 128", 0 },
		{ "expect sysctl net.core.somaxconn >= 129", 1 },
		{ "expect sysctl net.core.somaxconn == 0x80", 0 },
	};
	char *out, *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run(cases[i].line, &out, &err);

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, expected %d (%s)", cases[i].line, rc, cases[i].rc, err);
		if (cases[i].rc)
			assert_non_null(strstr(err, "expect failed: sysctl net.core.somaxconn"));
		else
			assert_non_null(strstr(out, "ok: sysctl net.core.somaxconn"));
		free(out);
		free(err);
	}
	/* A failing expect does not stop the run: every expect is reported. */
	assert_int_equal(run("expect sysctl net.core.somaxconn == 1\n"
			     "expect sysctl net.core.somaxconn == 2\necho after\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:1: '1': expect failed: sysctl net.core.somaxconn == 1 "
				    "(the value is 128)\n"));
	assert_non_null(strstr(err, "t.scn:2: '2': expect failed"));
	assert_non_null(strstr(err, "t.scn: 2 expect lines failed\n"));
	assert_non_null(strstr(out, "after\n"));
	free(out);
	free(err);
}

static void test_frames_and_expect_views(void **state)
{
	const char *pcap = "/tmp/ulnet-test-scenario.pcap";
	char *out, *err, text[2048];
	int rc;

	(void)state;
	snprintf(text, sizeof(text),
		 "tcpdump -i lo -w %s 'ether proto 0x88b5'\n"
		 "trace on\n"
		 "exec -c 0 frame-send lo 3\n"
		 "wait\n"
		 "sleep 10ms\n"
		 "trace off\n"
		 "expect softirqs NET_RX cpu0 >= 1\n"
		 "expect softirqs NET_RX > 0\n"
		 "expect softnet cpu0 processed == 3\n"
		 "expect dev lo tx_packets == 3\n"
		 "expect dev lo rx_packets == 3\n"
		 "expect proc /proc/softirqs NET_RX CPU0 >= 1\n"
		 "expect proc /proc/net/dev contains lo:\n"
		 "expect trace contains loopback_xmit\n"
		 "expect trace contains net_rx_*\n"
		 "expect trace excludes igb_*\n"
		 "expect slab skbuff_head_cache objsize > 0\n"
		 "cat /proc/net/softnet_stat\n"
		 "expect output contains 00000003\n"
		 "expect output excludes nothing-like-this\n",
		 pcap);
	rc = run(text, &out, &err);
	if (rc)
		fail_msg("rc %d: %s\n%s", rc, err, out);
	assert_non_null(strstr(out, "tcpdump: listening on lo"));
	assert_non_null(strstr(out, "tcpdump -i lo: 3 packets captured\n"));
	assert_non_null(strstr(out, "ok: softnet cpu0 processed == 3 (3)\n"));
	free(out);
	free(err);
	unlink(pcap);
	/* The same expects fail when nothing was sent (a new namespace has its own lo). */
	rc = run("netns add other\n"
		 "ip netns exec other expect dev lo tx_packets == 3\n"
		 "ip netns exec other expect dev lo tx_packets == 0\n"
		 "trace on\nsleep 1ms\nexpect trace contains loopback_xmit\n", &out, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "t.scn:2: '3': expect failed: dev lo tx_packets == 3 (the "
				    "value is 0)\n"));
	assert_non_null(strstr(out, "ok: dev lo tx_packets == 0 (0)\n"));
	assert_non_null(strstr(err, "t.scn:6: 'loopback_xmit': expect failed: trace contains "
				    "loopback_xmit\n"));
	free(out);
	free(err);
	assert_int_equal(ul_netns_del("other"), 0);
	ul_trace_end();
}

static void test_expect_top(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(run("expect top cpu0 id == 100\n", &out, &err), 1);
	assert_non_null(strstr(err, "no top interval yet"));
	free(out);
	free(err);
	/* An idle stack: every CPU is idle over the interval, nothing is si or hi. */
	assert_int_equal(run("top -d 0.2\nexpect top cpu1 si == 0\nexpect top cpu0 hi < 1\n"
			     "expect top cpu0 id > 0\n", &out, &err), 0);
	assert_non_null(strstr(out, "%Cpu0  :"));
	assert_non_null(strstr(out, "ok: top cpu1 si == 0 (0)\n"));
	free(out);
	free(err);
	assert_int_equal(run("top -d 0.1\nexpect top cpu7 si == 0\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:2: 'cpu7': no such CPU in /proc/stat"));
	free(out);
	free(err);
	assert_int_equal(run("top -d 0.1\nexpect top cpu0 xx == 0\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:2: 'xx': not a share"));
	free(out);
	free(err);
}

/* UDP programs over lo, checked with the Udp counters (needs the IPv4 stack). They run in
 * a namespace of their own, deleted at the end: the routes and inet_peer entries that sending
 * caches (as 3.10 does) go with it, so the harness's leak check stays exact. */
static void test_udp_programs(void **state)
{
	char *out, *err;
	int rc;

	(void)state;
	rc = run("netns add u\n"
		 "ip netns exec u ip link set lo up\n"
		 "exec -n u udp-echo 7 2\nexec -n u udp-send -r 127.0.0.1 7 2 10\nwait\n"
		 "ip netns exec u expect nstat UdpInDatagrams == 4\n"
		 "ip netns exec u expect nstat UdpOutDatagrams == 4\n"
		 "expect nstat UdpOutDatagrams == 0\n"
		 "ip netns exec u nstat -n\n"
		 "exec -n u udp-send 127.0.0.1 9\nwait\nsleep 1ms\n"
		 "ip netns exec u nstat\n"
		 "expect output contains \"UdpNoPorts                      1 \"\n"
		 "expect output excludes UdpInDatagrams\n"
		 "ip netns exec u expect netstat UdpNoPorts == 1\n"
		 "ip netns exec u expect netstat IcmpOutDestUnreachs == 1\n"
		 "netns del u\n",
		 &out, &err);
	if (rc && strstr(err, "'ip': ")) {	/* no ip command (ul_cmd) in this build */
		free(out);
		free(err);
		ul_netns_del("u");
		skip();
	}
	if (rc)
		fail_msg("rc %d: %s\n%s", rc, err, out);
	assert_non_null(strstr(out, "ok: nstat UdpInDatagrams == 4 (4)\n"));
	assert_non_null(strstr(out, "ok: netstat UdpNoPorts == 1 (1)\n"));
	/* nstat -n printed nothing; the next nstat shows only what changed since. */
	assert_non_null(strstr(out, "#kernel\nIpInReceives                    2 "));
	free(out);
	free(err);
	/* A server that never gets its datagrams can never finish: wait says so ... */
	assert_int_equal(run("exec udp-discard 5000 1\nwait\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: 'udp-discard': waits for something that never comes "
				 "(stopped)\n");
	free(out);
	free(err);
	/* ... while at the end of a run, servers are stopped as a shell's jobs would be. */
	assert_int_equal(run("echo a\nexec udp-echo 5001\n", &out, &err), 0);
	assert_string_equal(out, "a\nudp-echo (line 2): still running at the end: stopped\n");
	free(out);
	free(err);
	assert_int_equal(run("exec udp-send 300.1.1.1 7\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: 'udp-send': usage: udp-send [-r] ADDR PORT [COUNT "
				 "[SIZE]]\n");
	free(out);
	free(err);
	assert_int_equal(run("exec udp-echo 0\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: 'udp-echo': PORT must be 1..65535\n");
	free(out);
	free(err);
}

static void test_exec_errors(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(run("exec frame-send\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:1: 'frame-send': usage: frame-send DEV [COUNT "
				 "[ETHERTYPE]]\n");
	free(out);
	free(err);
	assert_int_equal(run("exec frame-send lo 0\n", &out, &err), 1);
	assert_non_null(strstr(err, "COUNT must be 1..1000000"));
	free(out);
	free(err);
	/* The program fails at run time (no such device): reported at the exec line. */
	assert_int_equal(run("echo x\nexec frame-send eth7\nwait\n", &out, &err), 1);
	assert_string_equal(err, "t.scn:2: 'frame-send': exited with 19 (No such device)\n");
	free(out);
	free(err);
	assert_int_equal(run("tcpdump -i lo 'tcp'\n", &out, &err), 1);
	assert_non_null(strstr(err, "t.scn:1: 'tcpdump': tcpdump needs -i DEV and -w FILE"));
	free(out);
	free(err);
	assert_int_equal(run("tcpdump -i lo -w /tmp/ulnet-t.pcap 'not a (filter'\n", &out, &err),
			 1);
	assert_non_null(strstr(err, "bad filter expression"));
	free(out);
	free(err);
	unlink("/tmp/ulnet-t.pcap");
}

/* Lines whose first word is a tool of ul_cmd (hw, tc, ethtool) run there. */
static void test_ulcmd_tools(void **state)
{
	char *out, *err;
	int rc;

	(void)state;
	rc = run("netns add h\n"
		 "hw nic add eth0 netns h queues 1 ring 128\n"
		 "ip netns exec h ethtool -g eth0\n"
		 "expect output contains 128\n"
		 "ip netns exec h tc qdisc add dev lo root netem delay 5ms\n"
		 "netns del h\n",
		 &out, &err);
	if (rc)
		fail_msg("rc %d: %s\n%s", rc, err, out);
	free(out);
	free(err);
	/* echo VALUE > /proc/PATH writes; a read-only file refuses. */
	rc = run("hw nic add eth1 queues 1\n"
		 "ip link set eth1 up\n"
		 "echo 2 > /proc/irq/24/smp_affinity\n"
		 "cat /proc/irq/24/smp_affinity\n"
		 "expect output contains 2\n"
		 "hw nic del eth1\n",
		 &out, &err);
	if (rc)
		fail_msg("rc %d: %s\n%s", rc, err, out);
	free(out);
	free(err);
	rc = run("echo 1 > /proc/softirqs\n", &out, &err);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(err, "Permission denied"));
	free(out);
	free(err);
	rc = run("tc qdisc add dev lo root frobnicator\n", &out, &err);
	assert_int_not_equal(rc, 0);
	free(out);
	free(err);
}

static void test_run_boots_its_own_stack(void **state)
{
	struct ul_scenario_opts o = { 0 };
	char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_false(ul_stack_exists());
	o.out = open_memstream(&out, &len);
	o.ncpus = 3;
	assert_int_equal(ul_scenario_run_text("own", "expect proc /proc/softirqs NET_RX CPU2 == 0\n"
						     "sysctl net.core.somaxconn\n", &o), 0);
	fclose(o.out);
	assert_non_null(strstr(out, "net.core.somaxconn = 128\n"));
	assert_false(ul_stack_exists());	/* booted for the run, destroyed after */
	free(out);
	assert_int_equal(ul_scenario_run_file("/nonexistent/x.scn", &o), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_run_boots_its_own_stack),
		cmocka_unit_test_setup_teardown(test_errors_name_line_and_word, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_expect_operators, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_frames_and_expect_views, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_expect_top, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_udp_programs, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_ulcmd_tools, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_exec_errors, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
