/* SPDX-License-Identifier: MIT */
/* SYN cookies against a SYN flood: crafted SYNs from many source ports (received by test
 * device t0) fill a listener's SYN queue; the next SYN is answered with a cookie
 * (SyncookiesSent, TCPReqQFullDoCookies, ListenDrops, the "Possible SYN flooding" message
 * once), a legitimate client (crafted, and a real one over lo) still connects through it
 * (SyncookiesRecv) with its MSS rounded to msstab and its window scale and SACK carried
 * in the timestamp; a forged ACK is refused (SyncookiesFailed, RST, no socket), so is a
 * good cookie after 3 s without overflow or 4 minutes old; with tcp_syncookies=0 the SYN
 * is dropped (TCPReqQFullDrop).
 * Mirrors the behaviour of linux/net/ipv4/syncookies.c and tcp_ipv4.c (tcp_v4_conn_request,
 * tcp_syn_flood_action, tcp_v4_hnd_req) of 3.10. */
#include <errno.h>
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "net_testutil.h"
#include "init/boot.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
/* listen(fd, 16): SYN table of roundup_pow_of_two(16 + 1) = 32 entries, full at 32. */
#define BACKLOG 16
#define SYNQ 32

TCP_PEER_FIXTURES("t", true)

struct seg {
	u16 sport, dport;
	u32 seq, ack;
	u8 flags;
	const u8 *opt;
	unsigned int optlen;	/* multiple of 4 */
};

/* A segment from 10.0.0.2 to 10.0.0.1, received by t0. */
static void rx_seg(const struct seg *s)
{
	u8 tcp[80];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int tlen = 20 + s->optlen;

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(s->sport);
	th->dest = htons(s->dport);
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff = (u16)(tlen / 4) & 0xf;
	tcp[13] = s->flags;
	th->window = htons(29200);
	if (s->optlen)
		memcpy(tcp + 20, s->opt, s->optlen);
	tcp_peer_inject(t0, tcp, tlen, false);
}

/* The next segment t0 sent (its TCP header to @th, options to @opt), or false. */
static bool tx_seg(struct tcphdr *th, u8 *opt)
{
	return tcp_peer_pop(t0, th, opt, NULL, TCP_PEER_POP_CHECK);
}

static int listen_on(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((u16)port) };
	int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(fd, BACKLOG), 0);
	return fd;
}

/* Close @fd with a RST (SO_LINGER {1, 0}): its peer on t0 is made up and would never
 * answer a FIN. */
static void abort_fd(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	assert_int_equal(ul_close(fd), 0);
	ul_run_for(MS);
	ipt_dev_purge(t0);
}

static unsigned long ext(int f)
{
	return tcp_netstat_read(tnet, f);
}

/* @n SYNs without options from source ports @port0, @port0 + 1, ...; their answers are
 * thrown away. */
static void flood(int dport, u16 port0, int n)
{
	struct seg s = { .dport = (u16)dport, .flags = TCPHDR_SYN };
	int i;

	for (i = 0; i < n; i++) {
		s.sport = (u16)(port0 + i);
		s.seq = 1000u * (u32)(i + 1);
		rx_seg(&s);
	}
	ul_run_for(MS);
	ipt_dev_purge(t0);
}

/* MSS 1460, SACK-permitted, timestamp (tsval @tsval), NOP, window scale 7. */
static void syn_opts(u8 *o, u32 tsval)
{
	static const u8 tmpl[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0,
				     1, 3, 3, 7 };

	memcpy(o, tmpl, sizeof(tmpl));
	o[8] = (u8)(tsval >> 24);
	o[9] = (u8)(tsval >> 16);
	o[10] = (u8)(tsval >> 8);
	o[11] = (u8)tsval;
}

#define be32_at tcp_peer_be32

/* The SYN-ACK's timestamp option (the tsval) when the options are laid out as for a SYN
 * with MSS, SACK-perm, TS, wscale: MSS(4) SACKPERM+TS(12) NOP+WS(4). */
static u32 synack_tsval(const struct tcphdr *th, const u8 *o)
{
	assert_int_equal(th->doff, 10);
	assert_int_equal(o[4], TCPOPT_SACK_PERM);
	assert_int_equal(o[6], TCPOPT_TIMESTAMP);
	return be32_at(o + 8);
}

/* SYN from @sport with options; returns the SYN-ACK's sequence number (the cookie) and
 * its tsval in *@tsval. */
static u32 syn_get_cookie(u16 sport, u32 isn, u32 *tsval)
{
	u8 opt[20], o[40];
	struct seg s = { .sport = sport, .dport = 80, .seq = isn, .flags = TCPHDR_SYN,
			 .opt = opt, .optlen = sizeof(opt) };
	struct tcphdr th;

	syn_opts(opt, 100);
	rx_seg(&s);
	ul_run_for(MS);
	assert_true(tx_seg(&th, o));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_SYN | TCP_FLAG_ACK),
			 TCP_FLAG_SYN | TCP_FLAG_ACK);
	assert_int_equal(ntohl(th.ack_seq), isn + 1);
	*tsval = synack_tsval(&th, o);
	assert_false(tx_seg(&th, NULL));
	return ntohl(th.seq);
}

/* The handshake's third segment: ACK of @cookie, echoing @tsecr. */
static void ack_cookie(u16 sport, u32 isn, u32 cookie, u32 tsecr)
{
	u8 opt[12] = { 1, 1, 8, 10, 0, 0, 0, 101 };
	struct seg s = { .sport = sport, .dport = 80, .seq = isn + 1, .ack = cookie + 1,
			 .flags = TCPHDR_ACK, .opt = opt, .optlen = sizeof(opt) };

	opt[8] = (u8)(tsecr >> 24);
	opt[9] = (u8)(tsecr >> 16);
	opt[10] = (u8)(tsecr >> 8);
	opt[11] = (u8)tsecr;
	rx_seg(&s);
	ul_run_for(MS);
}

/* ---- the flood, a cookie, a crafted client through it ---- */

static void test_flood_then_cookie_connect(void **state)
{
	int lfd, cfd;
	u32 cookie, tsval;
	struct sock *child;
	struct tcp_sock *ctp;
	FILE *log = tmpfile();
	char line[256] = "";
	int msgs = 0;

	(void)state;
	assert_non_null(log);
	printk_init(log);
	lfd = listen_on(80);
	flood(80, 20000, SYNQ);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), SYNQ);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESSENT), 0);
	assert_int_equal(ext(LINUX_MIB_LISTENDROPS), 0);

	/* The queue is full: the next SYN gets a cookie, the request is not kept. */
	cookie = syn_get_cookie(30000, 5000, &tsval);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), SYNQ);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESSENT), 1);
	assert_int_equal(ext(LINUX_MIB_TCPREQQFULLDOCOOKIES), 1);
	/* 3.10 ends the cookie path at drop_and_free: ListenDrops counts it. */
	assert_int_equal(ext(LINUX_MIB_LISTENDROPS), 1);
	/* The tsval carries wscale 7 and SACK (bit 4) in its low 6 bits, and is not ahead of
	 * tcp_time_stamp. */
	assert_int_equal(tsval & 0x3f, 7 | 1 << 4);
	assert_true((s32)(tsval - tcp_time_stamp) <= 0);
	assert_true((s32)(tcp_time_stamp - tsval) < 64);

	/* More flood: one message per listener. */
	flood(80, 21000, 3);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESSENT), 4);
	printk_init(NULL);
	rewind(log);
	while (fgets(line, sizeof(line), log))
		if (strstr(line, "TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters."))
			msgs++;
	fclose(log);
	assert_int_equal(msgs, 1);

	/* The client's ACK carries the cookie: a child, ESTABLISHED, with what the SYN said. */
	ack_cookie(30000, 5000, cookie, tsval);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESRECV), 1);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESFAILED), 0);
	cfd = ul_accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	child = sk_of(cfd);
	ctp = tcp_sk(child);
	assert_int_equal(child->sk_state, TCP_ESTABLISHED);
	assert_int_equal(ctp->snd_una, cookie + 1);
	assert_int_equal(ctp->rcv_nxt, 5001);
	assert_int_equal(ctp->rx_opt.mss_clamp, 1460);
	assert_int_equal(ctp->rx_opt.tstamp_ok, 1);
	assert_int_equal(ctp->rx_opt.wscale_ok, 1);
	assert_int_equal(ctp->rx_opt.snd_wscale, 7);
	assert_true(ctp->rx_opt.sack_ok);
	assert_int_equal(ctp->rx_opt.ts_recent, 101);
	/* Nothing answered the ACK (no RST). */
	assert_int_equal(ipt_txq_len(t0), 0);
	abort_fd(cfd);
}

/* A SYN without options gets a cookie SYN-ACK without options (MSS only); its MSS 536
 * comes back as msstab's 536; a SYN saying MSS 1000 is rounded down to 536 too. */
static void test_cookie_without_timestamps(void **state)
{
	static const u8 mss1000[4] = { 2, 4, 0x03, 0xe8 };
	struct seg s = { .sport = 30001, .dport = 80, .seq = 7000, .flags = TCPHDR_SYN };
	struct tcphdr th;
	u8 o[40];
	int lfd, cfd;
	u32 cookie;

	(void)state;
	lfd = listen_on(80);
	flood(80, 20000, SYNQ);
	rx_seg(&s);
	ul_run_for(MS);
	assert_true(tx_seg(&th, o));
	assert_int_equal(th.doff, 6);	/* MSS only */
	cookie = ntohl(th.seq);
	s.flags = TCPHDR_ACK;
	s.seq = 7001;
	s.ack = cookie + 1;
	rx_seg(&s);
	ul_run_for(MS);
	cfd = ul_accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	assert_int_equal(tcp_sk(sk_of(cfd))->rx_opt.mss_clamp, 536);
	assert_int_equal(tcp_sk(sk_of(cfd))->rx_opt.tstamp_ok, 0);
	assert_int_equal(tcp_sk(sk_of(cfd))->rx_opt.wscale_ok, 0);
	abort_fd(cfd);

	s.sport = 30002;
	s.seq = 9000;
	s.flags = TCPHDR_SYN;
	s.opt = mss1000;
	s.optlen = sizeof(mss1000);
	rx_seg(&s);
	ul_run_for(MS);
	assert_true(tx_seg(&th, o));
	cookie = ntohl(th.seq);
	s.flags = TCPHDR_ACK;
	s.seq = 9001;
	s.ack = cookie + 1;
	s.opt = NULL;
	s.optlen = 0;
	rx_seg(&s);
	ul_run_for(MS);
	cfd = ul_accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	assert_int_equal(tcp_sk(sk_of(cfd))->rx_opt.mss_clamp, 536);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESRECV), 2);
	abort_fd(cfd);
	ipt_dev_purge(t0);
}

/* A real client over lo while t0's flood fills the queue: connect() succeeds through a
 * cookie; lo's MSS (65483) comes back as msstab's largest, 8960. */
static void test_real_client_through_cookie(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 80);
	int lfd, cfd, sfd;
	struct sock *child;

	(void)state;
	lfd = listen_on(80);
	flood(80, 20000, SYNQ);
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(cfd >= 0);
	assert_errno(ul_connect(cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESSENT), 1);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESRECV), 1);
	sfd = ul_accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	child = sk_of(sfd);
	assert_int_equal(child->sk_state, TCP_ESTABLISHED);
	assert_int_equal(tcp_sk(child)->rx_opt.mss_clamp, 8960);
	/* The client's window scale and SACK came back through the timestamp. */
	assert_int_equal(tcp_sk(child)->rx_opt.snd_wscale, tcp_sk(sk_of(cfd))->rx_opt.rcv_wscale);
	assert_int_equal(tcp_sk(child)->rx_opt.rcv_wscale, tcp_sk(sk_of(cfd))->rx_opt.snd_wscale);
	assert_true(tcp_sk(child)->rx_opt.sack_ok);
	assert_int_equal(tcp_sk(child)->rx_opt.tstamp_ok, 1);
	ipt_dev_purge(t0);
}

/* ---- what is refused ---- */

static void test_forged_ack_refused(void **state)
{
	struct seg s = { .sport = 30003, .dport = 80, .seq = 4242, .ack = 0x12345678,
			 .flags = TCPHDR_ACK };
	struct tcphdr th;
	long socks;
	int lfd;
	u32 cookie, tsval;

	(void)state;
	lfd = listen_on(80);
	flood(80, 20000, SYNQ);
	socks = ul_sk_in_use();
	/* A guessed ACK: no cookie of ours. SyncookiesFailed, the listener's RST
	 * <SEQ=SEG.ACK>, no socket. */
	rx_seg(&s);
	ul_run_for(MS);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESFAILED), 1);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESRECV), 0);
	assert_true(tx_seg(&th, NULL));
	assert_int_equal(tcp_flag_word(&th) & (TCP_FLAG_RST | TCP_FLAG_ACK), TCP_FLAG_RST);
	assert_int_equal(ntohl(th.seq), 0x12345678);
	assert_int_equal(ul_sk_in_use(), socks);
	assert_errno(ul_accept(lfd, NULL, NULL), EAGAIN);

	/* A real cookie acknowledged from another port, or with another ISN: refused. (An
	 * ISN a few units off would decode as another msstab index: the cookie's 3 bits of
	 * MSS are not authenticated apart from the rest, in 3.10 as in RFC 4987's design.) */
	cookie = syn_get_cookie(30004, 6000, &tsval);
	ack_cookie(30005, 6000, cookie, tsval);
	ack_cookie(30004, 7000, cookie, tsval);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESFAILED), 3);
	assert_int_equal(ul_sk_in_use(), socks);

	/* A good cookie, but no overflow (no SYN meeting a full queue) for more than 3 s
	 * (TCP_TIMEOUT_FALLBACK), though the flood's requests are still queued. */
	ipt_dev_purge(t0);
	ul_run_for(3 * SEC + 10 * MS);
	ipt_dev_purge(t0);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), SYNQ);
	ack_cookie(30004, 6000, cookie, tsval);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESFAILED), 4);
	assert_true(tx_seg(&th, NULL));
	assert_int_equal(tcp_flag_word(&th) & TCP_FLAG_RST, TCP_FLAG_RST);
	assert_int_equal(ul_sk_in_use(), socks);
	assert_errno(ul_accept(lfd, NULL, NULL), EAGAIN);
}

/* The minute counter: a cookie is good while its counter is within COUNTER_TRIES (4) of
 * the current one, so for 3 to 4 minutes. (The queue is flooded again before each ACK so
 * that an overflow is recent.) */
static void test_cookie_age(void **state)
{
	int lfd, cfd;
	u32 c1, c2, ts1, ts2;

	(void)state;
	lfd = listen_on(80);
	flood(80, 20000, SYNQ);
	c1 = syn_get_cookie(30010, 100, &ts1);
	c2 = syn_get_cookie(30011, 200, &ts2);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESSENT), 2);

	ul_run_for(3 * 60 * SEC - 10 * SEC);
	flood(80, 22000, SYNQ + 1);
	ack_cookie(30010, 100, c1, ts1);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESRECV), 1);
	cfd = ul_accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	abort_fd(cfd);

	ul_run_for(2 * 60 * SEC);
	flood(80, 23000, SYNQ + 1);
	ack_cookie(30011, 200, c2, ts2);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESRECV), 1);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESFAILED), 1);
	assert_errno(ul_accept(lfd, NULL, NULL), EAGAIN);
	ipt_dev_purge(t0);
}

/* tcp_syncookies=0: a full SYN queue drops the SYN (TCPReqQFullDrop, ListenDrops), no
 * SYN-ACK, and the message says so. */
static void test_syncookies_off(void **state)
{
	struct seg s = { .sport = 30020, .dport = 80, .seq = 1, .flags = TCPHDR_SYN };
	struct tcphdr th;
	FILE *log = tmpfile();
	char line[256];
	int msgs = 0;

	(void)state;
	assert_non_null(log);
	assert_int_equal(ul_sysctl_set("t", "net.ipv4.tcp_syncookies", "0"), 0);
	listen_on(80);
	flood(80, 20000, SYNQ);
	printk_init(log);
	rx_seg(&s);
	ul_run_for(MS);
	printk_init(NULL);
	assert_false(tx_seg(&th, NULL));
	assert_int_equal(ext(LINUX_MIB_TCPREQQFULLDROP), 1);
	assert_int_equal(ext(LINUX_MIB_TCPREQQFULLDOCOOKIES), 0);
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESSENT), 0);
	assert_int_equal(ext(LINUX_MIB_LISTENDROPS), 1);
	rewind(log);
	while (fgets(line, sizeof(line), log))
		if (strstr(line, "TCP: Possible SYN flooding on port 80. Dropping request.  Check SNMP counters."))
			msgs++;
	fclose(log);
	assert_int_equal(msgs, 1);
	/* An ACK then is no cookie either: no SyncookiesFailed, just the RST. */
	s.flags = TCPHDR_ACK;
	s.ack = 77;
	rx_seg(&s);
	ul_run_for(MS);
	assert_true(tx_seg(&th, NULL));
	assert_int_equal(ext(LINUX_MIB_SYNCOOKIESFAILED), 0);
	assert_int_equal(ul_sysctl_set("t", "net.ipv4.tcp_syncookies", "1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_then_cookie_connect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_without_timestamps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_client_through_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_ack_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_age, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syncookies_off, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
