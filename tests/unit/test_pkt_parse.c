/* SPDX-License-Identifier: MIT */
/* The packet-script (.pkt) language: the parser over packetdrill's whole corpus and on each
 * construct, its error messages, the packet builder and matcher, the shell-line mapping and
 * the runner's verdicts.
 * Mirrors no kernel file (tests src/pkt/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "pkt/pkt.h"
#include "ulnet/ulnet.h"

static struct pkt_script *parse(const char *text)
{
	struct pkt_error err;
	struct pkt_script *s = pkt_parse("t.pkt", text, strlen(text), &err);

	if (!s)
		fail_msg("parse error %d:%d: %s", err.line, err.col, err.msg);
	return s;
}

static void expect_error(const char *text, int line, int col, const char *needle)
{
	struct pkt_error err;
	struct pkt_script *s = pkt_parse("t.pkt", text, strlen(text), &err);

	assert_null(s);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	if (!strstr(err.msg, needle))
		fail_msg("error '%s' lacks '%s'", err.msg, needle);
}

/* ---- The corpus: every script parses ---- */

static int count_dir(const char *dir, int *files, int *bad, int depth)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d || depth > 8)
		return d ? closedir(d), 0 : -1;
	while ((de = readdir(d))) {
		char p[1024];
		struct stat st;
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			count_dir(p, files, bad, depth + 1);
		} else if (n > 4 && !strcmp(de->d_name + n - 4, ".pkt")) {
			struct pkt_error err;
			struct pkt_script *s = pkt_parse_file(p, &err);

			(*files)++;
			if (!s) {
				(*bad)++;
				print_error("%s:%d:%d: error: %s\n", p, err.line, err.col, err.msg);
			}
			pkt_script_free(s);
		}
	}
	closedir(d);
	return 0;
}

static void test_corpus_parses(void **state)
{
	const char *src = getenv("ULNET_SRC");
	char dir[1024];
	int files = 0, bad = 0;

	snprintf(dir, sizeof(dir), "%s/../shared/packetdrill", src ? src : "..");
	if (access(dir, R_OK)) {
		print_message("SKIP: %s is absent (the packetdrill corpus)\n", dir);
		skip();
	}
	assert_int_equal(count_dir(dir, &files, &bad, 0), 0);
	print_message("parsed %d corpus scripts, %d errors\n", files, bad);
	assert_true(files >= 100);	/* 49 linux-3.11 + 65 gtests today */
	assert_int_equal(bad, 0);
}

/* ---- Constructs ---- */

static void test_times(void **state)
{
	int64_t us;
	struct pkt_script *s = parse("0.100 `true`\n+.1 `true`\n*  `true`\n"
				     "+.3~+.310 `true`\n1.2~1.5 `true`\n+0...0.200 close(3) = 0\n");

	assert_int_equal(s->nevents, 6);
	assert_int_equal(s->events[0].time.kind, PKT_TIME_ABS);
	assert_int_equal(s->events[0].time.usecs, 100000);
	assert_int_equal(s->events[1].time.kind, PKT_TIME_REL);
	assert_int_equal(s->events[1].time.usecs, 100000);
	assert_int_equal(s->events[2].time.kind, PKT_TIME_ANY);
	assert_true(s->events[3].time.range);
	assert_int_equal(s->events[3].time.end_kind, PKT_TIME_REL);
	assert_int_equal(s->events[3].time.usecs, 300000);
	assert_int_equal(s->events[3].time.end_usecs, 310000);
	assert_int_equal(s->events[4].time.end_usecs, 1500000);
	assert_true(s->events[5].sc->has_end);
	assert_int_equal(s->events[5].sc->end.usecs, 200000);
	assert_int_equal(s->events[5].time.usecs, 0);
	pkt_script_free(s);

	assert_true(pkt_parse_seconds("0.000001", &us));
	assert_int_equal(us, 1);
	assert_true(pkt_parse_seconds("12", &us));
	assert_int_equal(us, 12000000);
	assert_true(pkt_parse_seconds(".25", &us));
	assert_int_equal(us, 250000);
	assert_false(pkt_parse_seconds("1.2.3", &us));
	assert_false(pkt_parse_seconds("", &us));
	assert_false(pkt_parse_seconds("9999999999", &us));
}

static void test_options_and_commands(void **state)
{
	struct pkt_script *s = parse("--tolerance_usecs=10000\n--remote_ip=\"192.0.2.2\"\n"
				     "--ip_version=ipv4 --mss\n"
				     "`../common/defaults.sh\nethtool -K tun0 tso off`\n"
				     "0 %{ assert tcpi_snd_cwnd == 10 }%\n"
				     "`/tmp/sysctl_restore_${PPID}.sh`\n");

	assert_int_equal(s->nopts, 4);
	assert_string_equal(pkt_script_option(s, "tolerance_usecs"), "10000");
	assert_string_equal(pkt_script_option(s, "remote_ip"), "192.0.2.2");
	assert_string_equal(pkt_script_option(s, "ip_version"), "ipv4");
	assert_string_equal(pkt_script_option(s, "mss"), "");
	assert_null(pkt_script_option(s, "local_ip"));
	assert_int_equal(s->nevents, 3);
	assert_int_equal(s->events[0].kind, PKT_EV_COMMAND);
	assert_int_equal(s->events[0].time.kind, PKT_TIME_NONE);
	assert_string_equal(s->events[0].text, "../common/defaults.sh\nethtool -K tun0 tso off");
	assert_int_equal(s->events[1].kind, PKT_EV_CODE);
	assert_string_equal(s->events[1].text, " assert tcpi_snd_cwnd == 10 ");
	assert_int_equal(s->events[2].kind, PKT_EV_COMMAND);
	assert_int_equal(s->events[2].line, 7);
	pkt_script_free(s);
}

static void test_syscalls(void **state)
{
	struct pkt_script *s = parse(
		"0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
		"0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n"
		"0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0 // comment\n"
		"0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
		"0 sendmsg(4, {msg_name(...)=...,\n msg_iov(1)=[{..., 100}], msg_flags=0}, MSG_MORE) = 100\n"
		"0 getsockopt(3, SOL_TCP, TCP_MAXSEG, [536], [4]) = 0\n"
		"0 open(\"/tmp/x\", O_RDONLY) = 5\n");
	const struct pkt_syscall *sc;
	const struct pkt_expr *e;

	assert_int_equal(s->nevents, 7);
	sc = s->events[0].sc;
	assert_string_equal(sc->name, "connect");
	assert_int_equal(sc->nargs, 3);
	assert_int_equal(sc->args[1]->kind, PKT_EXPR_ELLIPSIS);
	assert_int_equal(sc->result->kind, PKT_EXPR_INT);
	assert_int_equal(sc->result->num, -1);
	assert_string_equal(sc->errno_name, "EINPROGRESS");
	assert_string_equal(sc->note, "Operation now in progress");
	sc = s->events[1].sc;
	assert_int_equal(sc->result->num, 2);
	assert_true(sc->result->hex);
	assert_null(sc->errno_name);
	assert_string_equal(sc->note, "flags O_RDWR");
	e = s->events[2].sc->args[2];
	assert_int_equal(e->kind, PKT_EXPR_OR);
	assert_string_equal(e->lhs->str, "O_RDWR");
	assert_string_equal(e->rhs->str, "O_NONBLOCK");
	e = s->events[3].sc->args[3];
	assert_int_equal(e->kind, PKT_EXPR_STRUCT);
	assert_int_equal(e->nelems, 2);
	assert_int_equal(e->elems[0]->kind, PKT_EXPR_ASSIGN);
	assert_string_equal(e->elems[0]->lhs->str, "onoff");
	assert_int_equal(e->elems[1]->rhs->num, 0);
	e = s->events[4].sc->args[1];
	assert_int_equal(e->kind, PKT_EXPR_STRUCT);
	assert_int_equal(e->nelems, 3);
	assert_int_equal(e->elems[0]->lhs->kind, PKT_EXPR_CALL);
	assert_string_equal(e->elems[0]->lhs->str, "msg_name");
	assert_int_equal(e->elems[1]->rhs->kind, PKT_EXPR_ARRAY);
	assert_int_equal(e->elems[1]->rhs->elems[0]->elems[1]->num, 100);
	assert_int_equal(s->events[4].line, 5);
	assert_int_equal(s->events[5].sc->args[3]->elems[0]->num, 536);
	assert_int_equal(s->events[6].sc->args[0]->kind, PKT_EXPR_STRING);
	assert_string_equal(s->events[6].sc->args[0]->str, "/tmp/x");
	pkt_script_free(s);
}

static void test_tcp_packets(void **state)
{
	struct pkt_script *s = parse(
		"0 < S 0:0(0) win 32792 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
		"0 > S. 0:0(0) ack 1 <...>\n"
		"0 < . 1:1001(1000) ack 1 win 257 <sack 1:1001 2001:3001,nop,nop>\n"
		"0 > FP. 1:1(0) ack 2\n"
		"0 < - 0:0(0) win 0\n"
		"0 < U. 1:2(1) ack 1 win 4 urg 1\n"
		"0 > [ect0] S. 0:0(0) ack 1 <mss 1460,FO abcd1234,nop,nop>\n"
		"0 < 5000 > 8080 SEW 0:0(0) win 100\n");
	const struct pkt_packet *p;

	assert_int_equal(s->nevents, 8);
	p = s->events[0].pkt;
	assert_int_equal(p->dir, '<');
	assert_int_equal(p->proto, PKT_TCP);
	assert_int_equal(p->flags, PKT_TH_SYN);
	assert_true(p->has_win);
	assert_int_equal(p->win, 32792);
	assert_false(p->has_ack);
	assert_int_equal(p->opts_kind, PKT_OPTS_LIST);
	assert_int_equal(p->nopts, 5);
	assert_int_equal(p->opts[0].kind, PKT_OPT_MSS);
	assert_int_equal(p->opts[0].val, 1460);
	assert_int_equal(p->opts[1].kind, PKT_OPT_SACKOK);
	assert_int_equal(p->opts[2].kind, PKT_OPT_TS);
	assert_int_equal(p->opts[2].val, 100);
	assert_int_equal(p->opts[2].ecr, 0);
	assert_int_equal(p->opts[4].kind, PKT_OPT_WSCALE);
	assert_int_equal(p->opts[4].val, 7);
	p = s->events[1].pkt;
	assert_int_equal(p->dir, '>');
	assert_int_equal(p->flags, PKT_TH_SYN | PKT_TH_ACK);
	assert_int_equal(p->opts_kind, PKT_OPTS_ANY);
	assert_int_equal(p->ack, 1);
	p = s->events[2].pkt;
	assert_int_equal(p->flags, PKT_TH_ACK);
	assert_int_equal(p->seq_start, 1);
	assert_int_equal(p->seq_end, 1001);
	assert_int_equal(p->seq_len, 1000);
	assert_int_equal(p->opts[0].kind, PKT_OPT_SACK);
	assert_int_equal(p->opts[0].nblocks, 2);
	assert_int_equal(p->opts[0].sack[1][0], 2001);
	assert_int_equal(p->opts[0].sack[1][1], 3001);
	assert_int_equal(s->events[3].pkt->flags, PKT_TH_FIN | PKT_TH_PSH | PKT_TH_ACK);
	assert_int_equal(s->events[4].pkt->flags, 0);
	p = s->events[5].pkt;
	assert_int_equal(p->flags, PKT_TH_URG | PKT_TH_ACK);
	assert_true(p->has_urg);
	assert_int_equal(p->urg, 1);
	p = s->events[6].pkt;
	assert_int_equal(p->ecn, 2);
	assert_int_equal(p->opts[1].kind, PKT_OPT_FASTOPEN);
	assert_int_equal(p->opts[1].cookie_len, 4);
	assert_int_equal(p->opts[1].cookie[0], 0xab);
	p = s->events[7].pkt;
	assert_true(p->has_ports);
	assert_int_equal(p->sport, 5000);
	assert_int_equal(p->dport, 8080);
	assert_int_equal(p->flags, PKT_TH_SYN | PKT_TH_ECE | PKT_TH_CWR);
	pkt_script_free(s);
}

static void test_udp_icmp_packets(void **state)
{
	struct pkt_script *s = parse(
		"0 < udp (100)\n"
		"0 < udp 5000 > 8080 (20)\n"
		"0 > icmp unreachable port_unreachable [udp (100)]\n"
		"0 < icmp unreachable frag_needed mtu 1234\n"
		"0 < [1:1461(1460)] icmp unreachable frag_needed mtu 1200\n"
		"0 < icmp type_255 code_7\n"
		"0 < icmp echo_request id 7\n"
		"0 < (tos 0x10) icmp echo_reply\n");
	const struct pkt_packet *p;

	assert_int_equal(s->nevents, 8);
	p = s->events[0].pkt;
	assert_int_equal(p->proto, PKT_UDP);
	assert_int_equal(p->udp_len, 100);
	assert_false(p->has_ports);
	p = s->events[1].pkt;
	assert_true(p->has_ports);
	assert_int_equal(p->dport, 8080);
	p = s->events[2].pkt;
	assert_int_equal(p->proto, PKT_ICMP);
	assert_int_equal(p->icmp_type, 3);
	assert_int_equal(p->icmp_code, 3);
	assert_int_equal(p->echoed, PKT_ECHOED_UDP);
	assert_int_equal(p->echoed_len, 100);
	p = s->events[3].pkt;
	assert_int_equal(p->icmp_code, 4);
	assert_true(p->has_mtu);
	assert_int_equal(p->mtu, 1234);
	p = s->events[4].pkt;
	assert_true(p->old_icmp_syntax);
	assert_int_equal(p->echoed, PKT_ECHOED_TCP_SEQ);
	assert_int_equal(p->echoed_end, 1461);
	assert_int_equal(p->mtu, 1200);
	p = s->events[5].pkt;
	assert_int_equal(p->icmp_type, 255);
	assert_int_equal(p->icmp_code, 7);
	p = s->events[6].pkt;
	assert_int_equal(p->icmp_type, 8);
	assert_int_equal(p->icmp_code, -1);
	assert_int_equal(p->echo_id, 7);
	assert_int_equal(s->events[7].pkt->tos, 0x10);
	pkt_script_free(s);
}

/* ---- Errors: file:line:column and what was expected ---- */

static void test_errors(void **state)
{
	expect_error("0.1 < S 0:0(0) win\n", 2, 1, "expected a window, found end of file");
	expect_error("0 socket(..., SOCK_STREAM, IPPROTO_TCP)\n", 2, 1, "expected '='");
	expect_error("0 > S 0:0 win 1\n", 1, 11, "expected '(' and the payload length");
	expect_error("0 > X 0:0(0)\n", 1, 5, "expected TCP flags");
	expect_error("\n\n  0.1 < S. 0:0(0) ack 1 <mss 1460,bogus 3>\n", 3, 35,
		     "expected a TCP option");
	expect_error("0 < icmp nonsense\n", 1, 10, "unknown ICMP type 'nonsense'");
	expect_error("0 < icmp unreachable not_a_code\n", 1, 22, "unknown ICMP code");
	expect_error("< S 0:0(0)\n", 1, 1, "expected an event time");
	expect_error("0 `echo\n", 1, 3, "unterminated backquoted command");
	expect_error("0 %{ assert 1\n", 1, 3, "unterminated %{ }% block");
	expect_error("0 write(3, ..., 10) = 10 EAGAIN (oops\n", 1, 33, "unterminated note");
	expect_error("0 < S 0:0(0) win 70000\n", 1, 18, "out of range");
	expect_error("0 close(3) = 0\n1 @\n", 2, 3, "unexpected character @");
	expect_error("+1~2 `x`\n", 1, 4, "needs '+' on both ends");
	expect_error("0 < . 1:1(0) ack 1 <sack 1:2 3:4 5:6 7:8 9:10>\n", 1, 21,
		     "more than 4 SACK blocks");
}

/* Hostile input: deep nesting and long garbage are errors, never crashes. */
static void test_hostile_input(void **state)
{
	char deep[4096];
	struct pkt_error err;
	int i, n = 0;

	n += snprintf(deep + n, sizeof(deep) - n, "0 f(");
	for (i = 0; i < 1000; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	assert_null(pkt_parse("t.pkt", deep, strlen(deep), &err));
	assert_non_null(strstr(err.msg, "nested too deeply"));
	for (i = 0; i < 256; i++)
		deep[i] = (char)(i ? i : 1);
	assert_null(pkt_parse("t.pkt", deep, 256, &err));
	assert_true(err.line >= 1);
}

/* ---- Packets: build and match ---- */

static uint16_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t l4_sum(const uint8_t *ip, size_t len)
{
	uint32_t ps = 0;
	size_t l4 = len - 20;

	ps += (uint32_t)ip[12] << 8 | ip[13];
	ps += (uint32_t)ip[14] << 8 | ip[15];
	ps += (uint32_t)ip[16] << 8 | ip[17];
	ps += (uint32_t)ip[18] << 8 | ip[19];
	ps += ip[9] + (uint32_t)l4;
	return sum16(ip + 20, l4, ps);
}

static const struct pkt_flow flow = {
	.local_ip = 0xc0a80001,		/* 192.168.0.1 */
	.remote_ip = 0xc0000201,	/* 192.0.2.1 */
	.local_port = 8080,
	.remote_port = 49152,
	.local_isn = 1000000,
	.remote_isn = 0,
	.local_isn_known = true,
};

static void test_build_tcp(void **state)
{
	struct pkt_script *s = parse("0 < S. 0:0(0) ack 1 win 5792 "
				     "<mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 7>\n");
	uint8_t b[2048];
	char why[128];
	int len = pkt_build_ipv4(s->events[0].pkt, &flow, b, sizeof(b), why, sizeof(why));

	assert_int_equal(len, 20 + 20 + 20);
	assert_int_equal(b[0], 0x45);
	assert_int_equal(b[9], 6);
	assert_int_equal(b[2] << 8 | b[3], 60);
	assert_int_equal(sum16(b, 20, 0), 0xffff);	/* IP header checksum verifies */
	assert_int_equal(l4_sum(b, len), 0xffff);	/* TCP checksum verifies */
	assert_memory_equal(b + 12, "\xc0\x00\x02\x01\xc0\xa8\x00\x01", 8);
	assert_int_equal(b[20] << 8 | b[21], 49152);
	assert_int_equal(b[22] << 8 | b[23], 8080);
	/* ack 1 is the stack's ISN + 1 */
	assert_memory_equal(b + 28, "\x00\x0f\x42\x41", 4);
	assert_int_equal(b[32] >> 4, 10);
	assert_int_equal(b[33], 0x12);
	assert_int_equal(b[34] << 8 | b[35], 5792);
	assert_memory_equal(b + 40, "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x02\xbc"
				    "\x00\x00\x00\x64\x01\x03\x03\x07", 20);
	pkt_script_free(s);

	/* A range that does not hold its length is refused. */
	s = parse("0 < . 1:10(5) ack 1 win 5\n");
	assert_int_equal(pkt_build_ipv4(s->events[0].pkt, &flow, b, sizeof(b), why,
					sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "does not hold"));
	pkt_script_free(s);
}

static void test_build_udp_icmp(void **state)
{
	struct pkt_script *s = parse("0 < udp (11)\n0 < icmp unreachable frag_needed mtu 1200\n"
				     "0 < icmp echo_request\n");
	uint8_t b[2048];
	char why[128];
	int len;

	len = pkt_build_ipv4(s->events[0].pkt, &flow, b, sizeof(b), why, sizeof(why));
	assert_int_equal(len, 20 + 8 + 11);
	assert_int_equal(b[9], 17);
	assert_int_equal(b[24] << 8 | b[25], 19);
	assert_int_equal(l4_sum(b, len), 0xffff);
	len = pkt_build_ipv4(s->events[1].pkt, &flow, b, sizeof(b), why, sizeof(why));
	assert_int_equal(len, 20 + 8 + 28);	/* quotes an IP header + 8 bytes */
	assert_int_equal(b[20], 3);
	assert_int_equal(b[21], 4);
	assert_int_equal(b[26] << 8 | b[27], 1200);
	assert_int_equal(sum16(b + 20, len - 20, 0), 0xffff);
	assert_int_equal(b[28 + 9], 6);			/* the quoted datagram is TCP */
	assert_memory_equal(b + 28 + 12, "\xc0\xa8\x00\x01", 4);	/* from the stack */
	len = pkt_build_ipv4(s->events[2].pkt, &flow, b, sizeof(b), why, sizeof(why));
	assert_int_equal(len, 28);
	assert_int_equal(b[20], 8);
	pkt_script_free(s);
}

/* The flow seen from the other end: build "outbound" datagrams with the builder. */
static struct pkt_flow reversed(const struct pkt_flow *fl)
{
	struct pkt_flow r = *fl;

	r.local_ip = fl->remote_ip;
	r.remote_ip = fl->local_ip;
	r.local_port = fl->remote_port;
	r.remote_port = fl->local_port;
	r.local_isn = fl->remote_isn;
	r.remote_isn = fl->local_isn;
	return r;
}

/* TSO seen from the device: contiguous segments of one send are put back together; a gap,
 * another ack or a segment after PSH is not joined. */
static void test_tso_coalesce(void **state)
{
	struct pkt_script *s = parse(
		"0 < . 1:1001(1000) ack 1 win 100\n"
		"0 < P. 1001:2001(1000) ack 1 win 100\n"
		"0 < . 3001:4001(1000) ack 1 win 100\n"
		"0 < . 1001:2001(1000) ack 5 win 100\n"
		"0 > P. 1:2001(2000) ack 1\n");
	struct pkt_flow rev = reversed(&flow), fl = flow;
	uint8_t a[8192], b[2048];
	char why[256];
	size_t alen;
	int blen;

	alen = (size_t)pkt_build_ipv4(s->events[0].pkt, &rev, a, sizeof(a), why, sizeof(why));
	assert_int_equal(pkt_tcp_payload_len(a, alen), 1000);
	blen = pkt_build_ipv4(s->events[2].pkt, &rev, b, sizeof(b), why, sizeof(why));
	assert_int_equal(pkt_tcp_coalesce(a, &alen, sizeof(a), b, (size_t)blen), -1);
	blen = pkt_build_ipv4(s->events[3].pkt, &rev, b, sizeof(b), why, sizeof(why));
	assert_int_equal(pkt_tcp_coalesce(a, &alen, sizeof(a), b, (size_t)blen), -1);
	blen = pkt_build_ipv4(s->events[1].pkt, &rev, b, sizeof(b), why, sizeof(why));
	assert_int_equal(pkt_tcp_coalesce(a, &alen, sizeof(a), b, (size_t)blen), 0);
	assert_int_equal(alen, 20 + 20 + 2000);
	assert_int_equal(pkt_tcp_payload_len(a, alen), 2000);
	if (pkt_match_ipv4(s->events[4].pkt, &fl, a, alen, why, sizeof(why)))
		fail_msg("%s", why);
	/* After the PSH the super-segment ended. */
	assert_int_equal(pkt_tcp_coalesce(a, &alen, sizeof(a), b, (size_t)blen), -1);
	pkt_script_free(s);
}

static void test_match(void **state)
{
	struct pkt_script *s = parse(
		"0 < S. 0:0(0) ack 1 win 29200 <mss 1460,nop,wscale 6>\n"	/* the "actual" */
		"0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 6>\n"			/* matches */
		"0 > S. 0:0(0) ack 1 <...>\n"					/* matches */
		"0 > S. 0:0(0) ack 1 win 29200\n"				/* no options */
		"0 > S 0:0(0)\n"						/* flags */
		"0 > S. 0:0(0) ack 2 <...>\n"					/* ack */
		"0 > S. 0:0(0) ack 1 win 100 <...>\n"				/* win */
		"0 > S. 0:0(0) ack 1 <mss 1400,nop,wscale 6>\n"			/* mss */
		"0 > udp (0)\n");
	struct pkt_flow rev = reversed(&flow), fl = flow;
	uint8_t b[2048];
	char why[256];
	int len = pkt_build_ipv4(s->events[0].pkt, &rev, b, sizeof(b), why, sizeof(why));

	assert_true(len > 0);
	fl.local_isn_known = false;
	fl.local_isn = 0;
	assert_int_equal(pkt_match_ipv4(s->events[1].pkt, &fl, b, len, why, sizeof(why)), 0);
	/* The stack's SYN fixed its ISN. */
	assert_true(fl.local_isn_known);
	assert_int_equal(fl.local_isn, flow.local_isn);
	assert_int_equal(pkt_match_ipv4(s->events[2].pkt, &fl, b, len, why, sizeof(why)), 0);
	assert_int_equal(pkt_match_ipv4(s->events[3].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "bad outbound TCP options"));
	assert_int_equal(pkt_match_ipv4(s->events[4].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_string_equal(why, "bad outbound TCP flags: expected: S actual: S.");
	assert_int_equal(pkt_match_ipv4(s->events[5].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_string_equal(why, "bad outbound TCP ack number: expected: 2 actual: 1");
	assert_int_equal(pkt_match_ipv4(s->events[6].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_string_equal(why, "bad outbound TCP window: expected: 100 actual: 29200");
	assert_int_equal(pkt_match_ipv4(s->events[7].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_string_equal(why, "bad outbound TCP options: expected: <mss 1400,nop,wscale 6> "
				 "actual: <mss 1460,nop,wscale 6>");
	assert_int_equal(pkt_match_ipv4(s->events[8].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_string_equal(why, "bad outbound protocol: expected: udp actual: tcp");
	/* Garbage is reported, not matched. */
	assert_int_equal(pkt_match_ipv4(s->events[1].pkt, &fl, b, 19, why, sizeof(why)), -1);
	b[0] = 0x46;	/* IHL 6 with tot_len unchanged: options eat the TCP header start */
	assert_int_equal(pkt_match_ipv4(s->events[1].pkt, &fl, b, len, why, sizeof(why)), -1);
	pkt_script_free(s);
}

static void test_match_icmp_and_format(void **state)
{
	struct pkt_script *s = parse("0 < icmp unreachable port_unreachable\n"
				     "0 > icmp unreachable port_unreachable\n"
				     "0 > icmp unreachable\n"
				     "0 > icmp unreachable host_unreachable\n"
				     "0 > icmp echo_reply\n");
	struct pkt_flow rev = reversed(&flow), fl = flow;
	uint8_t b[2048];
	char why[256], txt[256];
	int len = pkt_build_ipv4(s->events[0].pkt, &rev, b, sizeof(b), why, sizeof(why));

	assert_true(len > 0);
	assert_int_equal(pkt_match_ipv4(s->events[1].pkt, &fl, b, len, why, sizeof(why)), 0);
	assert_int_equal(pkt_match_ipv4(s->events[2].pkt, &fl, b, len, why, sizeof(why)), 0);
	assert_int_equal(pkt_match_ipv4(s->events[3].pkt, &fl, b, len, why, sizeof(why)), -1);
	assert_string_equal(why, "bad outbound ICMP code: expected: host_unreachable actual: "
				 "port_unreachable");
	assert_int_equal(pkt_match_ipv4(s->events[4].pkt, &fl, b, len, why, sizeof(why)), -1);
	pkt_ipv4_format(b, len, &fl, txt, sizeof(txt));
	assert_string_equal(txt, "icmp unreachable port_unreachable");
	pkt_packet_format(s->events[0].pkt, txt, sizeof(txt));
	assert_string_equal(txt, "icmp unreachable port_unreachable");
	pkt_script_free(s);
}

/* ---- %{ }% blocks ---- */

static int fake_tcpi(void *ctx, const char *name, int64_t *v)
{
	if (!strcmp(name, "tcpi_snd_cwnd"))
		*v = 10;
	else if (!strcmp(name, "tcpi_ca_state"))
		*v = 3;
	else if (!strncmp(name, "tcpi_", 5))
		*v = *(int64_t *)ctx;
	else
		return -ENOENT;
	return 0;
}

static void test_code_blocks(void **state)
{
	int64_t other = 0;
	struct pkt_code_env env = { .lookup = fake_tcpi, .ctx = &other };
	char why[128];

	assert_int_equal(pkt_code_eval(&env, " assert tcpi_snd_cwnd == 10 ", why, sizeof(why)), 0);
	assert_int_equal(pkt_code_eval(&env, "assert tcpi_snd_cwnd == 7, tcpi_snd_cwnd", why,
				       sizeof(why)), 1);
	assert_string_equal(why, "assertion failed: assert tcpi_snd_cwnd == 7");
	assert_int_equal(pkt_code_eval(&env, "\nassert tcpi_ca_state == TCP_CA_Recovery, "
				       "'ca_state: %d' % (tcpi_ca_state)\n", why, sizeof(why)), 0);
	assert_int_equal(pkt_code_eval(&env, "print(tcpi_snd_cwnd); cwnd = 8; cwnd += 2; "
				       "assert tcpi_snd_cwnd == cwnd, tcpi_snd_cwnd", why,
				       sizeof(why)), 0);
	/* Variables live on into the next block. */
	assert_int_equal(pkt_code_eval(&env, "assert cwnd == 10 # comment", why, sizeof(why)), 0);
	assert_int_equal(pkt_code_eval(&env, "assert tcpi_rcv_rtt >= 2*0 and tcpi_rcv_rtt <= "
				       "10*1000", why, sizeof(why)), 0);
	other = 5;
	assert_int_equal(pkt_code_eval(&env, "assert tcpi_probes == 0, tcpi_probes; \\\n"
				       " assert tcpi_backoff == 0", why, sizeof(why)), 1);
	assert_int_equal(pkt_code_eval(&env, "TCP_INFINITE_SSTHRESH = 0x7fffffff", why,
				       sizeof(why)), 0);
	assert_int_equal(pkt_code_eval(&env, "assert TCP_INFINITE_SSTHRESH == 2147483647", why,
				       sizeof(why)), 0);
	assert_int_equal(pkt_code_eval(&env, "assert nosuch == 1", why, sizeof(why)), -ENOENT);
	assert_int_equal(pkt_code_eval(&env, "import os", why, sizeof(why)), -EOPNOTSUPP);
	assert_int_equal(pkt_code_eval(&env, "assert len(x) == 1", why, sizeof(why)),
			 -EOPNOTSUPP);
	assert_int_equal(pkt_code_eval(&env, "assert 1 / 0", why, sizeof(why)), -EDOM);
}

/* Every block of the corpus is inside the subset (tcpi_* all answer). */
static void test_code_blocks_corpus(void **state)
{
	static const char *const blocks[] = { "linux-3.11", "gtests" };
	const char *src = getenv("ULNET_SRC");
	char dir[1024];
	int nblocks = 0;
	size_t b;

	for (b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		char cmd[1200];
		FILE *f;
		char path[1024];

		snprintf(dir, sizeof(dir), "%s/../shared/packetdrill/%s", src ? src : "..",
			 blocks[b]);
		if (access(dir, R_OK)) {
			print_message("SKIP: %s is absent\n", dir);
			skip();
		}
		snprintf(cmd, sizeof(cmd), "grep -rl --include='*.pkt' '%%{' '%s'", dir);
		f = popen(cmd, "r");
		assert_non_null(f);
		while (fgets(path, sizeof(path), f)) {
			struct pkt_error err;
			struct pkt_script *s;
			int i;

			path[strcspn(path, "\n")] = '\0';
			s = pkt_parse_file(path, &err);
			assert_non_null(s);
			{
				int64_t v = 0;
				struct pkt_code_env env = { .lookup = fake_tcpi, .ctx = &v };

				for (i = 0; i < s->nevents; i++) {
					char why[128];
					int r;

					if (s->events[i].kind != PKT_EV_CODE)
						continue;
					nblocks++;
					r = pkt_code_eval(&env, s->events[i].text, why, sizeof(why));
					if (r < 0)
						fail_msg("%s:%d: %s", path, s->events[i].line, why);
				}
			}
			pkt_script_free(s);
		}
		pclose(f);
	}
	print_message("evaluated %d corpus %%{ }%% blocks\n", nblocks);
	assert_true(nblocks >= 20);
}

/* ---- Runner ---- */

static char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/ulnet_pkt_test_%d.pkt", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_run_verdicts(void **state)
{
	struct pkt_result r;
	char *p;

	/* A call the runner lacks fails at its line (it is not hidden as a SKIP). */
	p = write_tmp("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n0 pipe([5, 6]) = 0\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	assert_non_null(strstr(r.details, ":2: system call pipe is not supported"));
	pkt_result_free(&r);

	p = write_tmp("--ip_version=ipv6\n0 `true`\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_SKIP);
	assert_non_null(strstr(r.details, "IPv6"));
	pkt_result_free(&r);

	/* A timed `ss` line tests a tool outside the stack. */
	p = write_tmp("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 `ss -4 -n`\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_SKIP);
	assert_non_null(strstr(r.details, "ss tool"));
	pkt_result_free(&r);

	/* Written to fail: a SKIP when it fails as its comment says, else a FAIL. */
	p = write_tmp("// Failure: runtime error in socket call: Expected result -99 but got -1 "
		      "with errno 93 \\(Protocol not supported\\)\n"
		      "+0 socket(..., SOCK_STREAM, IPPROTO_UDP) = -99\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_SKIP);
	assert_non_null(strstr(r.details, "written to fail"));
	pkt_result_free(&r);
	p = write_tmp("// Failure: runtime error in socket call: something else\n"
		      "+0 socket(..., SOCK_STREAM, IPPROTO_UDP) = -99\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	pkt_result_free(&r);

	p = write_tmp("0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n0 < S 0:0(0) bogus\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	assert_non_null(strstr(r.details, ":2:14: error: expected"));
	pkt_result_free(&r);
	unlink(p);
}

/* The machinery end to end on the sim runtime: UDP socket calls and the virtual clock. */
static void test_run_udp_syscalls(void **state)
{
	struct pkt_result r;
	char *p;

	p = write_tmp("0.000 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n"
		      "+0 bind(3, ..., ...) = 0\n"
		      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
		      "+0.1 read(3, ..., 100) = -1 EAGAIN (Resource temporarily unavailable)\n"
		      "+0 close(3) = 0\n"
		      "+0 close(3) = -1 EBADF (Bad file descriptor)\n");
	pkt_run_file(p, NULL, &r);
	if (r.verdict == PKT_SKIP && strstr(r.details, "issue #3")) {
		print_message("SKIP: %s", r.details);
		pkt_result_free(&r);
		unlink(p);
		skip();
	}
	if (r.verdict != PKT_PASS)
		fail_msg("expected PASS, got %d:\n%s", r.verdict, r.details);
	pkt_result_free(&r);

	/* A wrong expectation is a FAIL with the call, the expected and the actual value. */
	p = write_tmp("0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n"
		      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
		      "+0 read(3, ..., 100) = 0\n");
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	assert_non_null(strstr(r.details, ":3: runtime error in read call: Expected result 0 "
					  "but got -1 with errno 11"));
	pkt_result_free(&r);
	unlink(p);
}

/* Per-connection ISNs: each remote port has its own, a new SYN forgets it, unknown ports
 * use the latest one learnt. */
static void test_flow_conns(void **state)
{
	struct pkt_flow fl = { .local_isn = 0 };

	assert_int_equal(pkt_flow_isn(&fl, 40001), 0);
	pkt_flow_new_conn(&fl, 40001);
	assert_int_equal(fl.nconns, 1);
	assert_false(fl.conns[0].known);
	fl.conns[0].known = true;
	fl.conns[0].local_isn = 1000;
	fl.local_isn = 1000;
	pkt_flow_new_conn(&fl, 40002);
	fl.conns[1].known = true;
	fl.conns[1].local_isn = 5000;
	fl.local_isn = 5000;
	assert_int_equal(pkt_flow_isn(&fl, 40001), 1000);
	assert_int_equal(pkt_flow_isn(&fl, 40002), 5000);
	assert_int_equal(pkt_flow_isn(&fl, 40003), 5000);
	pkt_flow_new_conn(&fl, 40001);
	assert_int_equal(fl.nconns, 2);
	assert_int_equal(pkt_flow_isn(&fl, 40001), 5000);	/* forgotten: the latest */
	/* The table is bounded: the oldest entry goes. */
	for (int i = 0; i < 2 * PKT_MAX_CONNS; i++)
		pkt_flow_new_conn(&fl, (uint16_t)(50000 + i));
	assert_int_equal(fl.nconns, PKT_MAX_CONNS);
	assert_int_equal(fl.conns[PKT_MAX_CONNS - 1].remote_port, 50000 + 2 * PKT_MAX_CONNS - 1);
}

/* TCP end to end: a handshake with options, accept's descriptor mapped, TCP_INFO read by a
 * %{ }% block, and a wrong expectation (window scale, tcp_info) is a FAIL. */
static void test_run_tcp(void **state)
{
	static const char *const hs =
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
		"+0 bind(3, ..., ...) = 0\n"
		"+0 listen(3, 1) = 0\n"
		"+0.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
		"+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale %d>\n"
		"+0.1 < . 1:1(0) ack 1 win 257\n"
		"+0 accept(3, ..., ...) = 4\n"
		"+0 %%{ assert tcpi_state == %d\nassert tcpi_snd_mss == 1000 }%%\n"
		"+0 getsockopt(4, SOL_TCP, TCP_MAXSEG, [1000], [4]) = 0\n";
	struct pkt_result r;
	char text[1024];
	char *p;

	/* 3.10 defaults: tcp_rmem[2] 6 MiB -> wscale 7; TCP_ESTABLISHED is 1. */
	snprintf(text, sizeof(text), hs, 7, 1);
	p = write_tmp(text);
	pkt_run_file(p, NULL, &r);
	if (r.verdict != PKT_PASS)
		fail_msg("expected PASS, got %d:\n%s", r.verdict, r.details);
	pkt_result_free(&r);

	snprintf(text, sizeof(text), hs, 6, 1);
	p = write_tmp(text);
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	assert_non_null(strstr(r.details, ":6: error handling packet: bad outbound TCP options"));
	pkt_result_free(&r);

	snprintf(text, sizeof(text), hs, 7, 7);
	p = write_tmp(text);
	pkt_run_file(p, NULL, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	assert_non_null(strstr(r.details, ":9: assertion failed"));
	pkt_result_free(&r);
	unlink(p);
}

/* Shell lines: sysctl settings go to ulnet's sysctls; the rest is reported skipped. */
static void test_shell(void **state)
{
	char skipped[1024] = "";
	char val[64];
	int n;

	n = pkt_run_shell(NULL, "sysctl -q net.core.somaxconn=512\n"
				"sysctl -q net.ipv4.no_such_thing=\"4096 $((15*1024*1024))\"\n"
				"ethtool -K tun0 tso off gso off\n"
				"tc qdisc add dev tun0 root pfifo", skipped, sizeof(skipped));
	assert_int_equal(n, 1);
	assert_int_equal(ul_sysctl_get(NULL, "net.core.somaxconn", val, sizeof(val)), 0);
	assert_int_equal(atoi(val), 512);
	assert_non_null(strstr(skipped, "net.ipv4.no_such_thing=4096 15728640: skipped"));
	assert_non_null(strstr(skipped, "`ethtool -K`: skipped"));
	assert_non_null(strstr(skipped, "`tc qdisc`: skipped"));
	skipped[0] = '\0';
	n = pkt_run_shell(NULL, "../common/set_sysctls.py /proc/sys/net/core/somaxconn=100",
			  skipped, sizeof(skipped));
	assert_int_equal(n, 1);
	assert_int_equal(ul_sysctl_get(NULL, "net.core.somaxconn", val, sizeof(val)), 0);
	assert_int_equal(atoi(val), 100);
	assert_int_equal(pkt_run_shell(NULL, NULL, skipped, sizeof(skipped)), -EINVAL);
}

/* A script's `../common/defaults.sh` applies the given defaults file as sysctls of the test
 * host; what ulnet lacks is noted (shown with --verbose), not failed. */
static void test_run_defaults_sh(void **state)
{
	struct pkt_run_opts o = { .verbose = true };
	char dpath[64];
	struct pkt_result r;
	FILE *f;
	char *p;

	snprintf(dpath, sizeof(dpath), "/tmp/ulnet_pkt_defaults_%d.sh", (int)getpid());
	f = fopen(dpath, "w");
	assert_non_null(f);
	fputs("#!/bin/bash\n# comment\nip tcp_metrics flush all > /dev/null 2>&1\n"
	      "sysctl -q net.ipv4.icmp_echo_ignore_all=1\n"
	      "sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"\n", f);
	fclose(f);
	/* No reply expected: only true if defaults.sh set icmp_echo_ignore_all. */
	p = write_tmp("`../common/defaults.sh`\n0.100 < icmp echo_request id 1\n");
	o.defaults_sh = dpath;
	pkt_run_file(p, &o, &r);
	if (r.verdict != PKT_PASS)
		fail_msg("expected PASS:\n%s", r.details);
	assert_non_null(strstr(r.details, "note: `ip tcp_metrics`: skipped"));
	pkt_result_free(&r);
	/* Without it the stack replies, and the run fails on the unexpected packet. */
	o.defaults_sh = NULL;
	pkt_run_file(p, &o, &r);
	assert_int_equal(r.verdict, PKT_FAIL);
	assert_non_null(strstr(r.details, "unexpected outbound packet after the last event: "
					  "> icmp echo_reply id 1"));
	assert_non_null(strstr(r.details, "defaults.sh not found"));
	pkt_result_free(&r);
	/* The test host namespace went with the run: the initial one is untouched. */
	{
		char val[16];

		assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.icmp_echo_ignore_all", val,
					       sizeof(val)), 0);
		assert_int_equal(atoi(val), 0);
	}
	unlink(p);
	unlink(dpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_parses),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_options_and_commands),
		cmocka_unit_test(test_syscalls),
		cmocka_unit_test(test_tcp_packets),
		cmocka_unit_test(test_udp_icmp_packets),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_build_tcp),
		cmocka_unit_test(test_build_udp_icmp),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_tso_coalesce),
		cmocka_unit_test(test_match_icmp_and_format),
		cmocka_unit_test(test_code_blocks),
		cmocka_unit_test(test_code_blocks_corpus),
		cmocka_unit_test(test_flow_conns),
		cmocka_unit_test(test_run_verdicts),
		cmocka_unit_test_setup_teardown(test_run_udp_syscalls, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_run_tcp, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_shell, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_run_defaults_sh, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
