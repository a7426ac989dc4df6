/* SPDX-License-Identifier: MIT */
/* ICMP errors about TCP segments (tcp_v4_err) and path MTU discovery (RFC 1191): crafted
 * ICMP messages quoting our segments, injected on a test device next to a crafted peer, and
 * a real PMTU discovery through a router with a smaller link.
 * Mirrors the behaviour of linux/net/ipv4/tcp_ipv4.c (tcp_v4_err, tcp_v4_mtu_reduced),
 * tcp_input.c (tcp_simple_retransmit), tcp_output.c (tcp_release_cb) and tcp_timer.c (the
 * deferred write timer) (3.10). */
#include <errno.h>
#include "net_testutil.h"
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "linux/icmp.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/route.h"
#include "net/tcp.h"
#include "uapi/linux/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)

TCP_PEER_FIXTURES("t", false)

#define PEER_PORT 40200
#define OUR_PORT 80
/* With timestamps (the crafted peer's handshake): 12 option bytes in every segment. */
#define MSS_1500 (1500 - 20 - 20 - 12)
#define MSS_1200 (1200 - 20 - 20 - 12)

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

/* An ICMP error @type/@code (frag-needed: next-hop @mtu) from 10.0.0.3, a router on t0's
 * link, quoting our segment whose TCP header is @th (its first 8 bytes: the ports and the
 * sequence number, what RFC 792 guarantees). The clock runs 1 ms. */
static void rx_icmp(u8 type, u8 code, u16 mtu, const struct tcphdr *th)
{
	u8 quoted[28], icmp[8 + 28], pkt[20 + 8 + 28];
	unsigned int qlen, ilen, len;

	qlen = ipt_build_ip(quoted, ipt_addr(TCP_PEER_OUR_ADDR), ipt_addr(TCP_PEER_ADDR),
			    IPPROTO_TCP, 64, 7, IP_DF, 5, NULL, th, 8);
	ilen = ipt_build_icmp(icmp, type, code, 0, mtu, quoted, qlen);
	len = ipt_build_ip(pkt, ipt_addr("10.0.0.3"), ipt_addr(TCP_PEER_OUR_ADDR), IPPROTO_ICMP,
			   64, 1, 0, 5, NULL, icmp, ilen);
	ipt_rx(t0, pkt, len);
	ul_run_for(MS);
}

/* The TCP header of a segment whose sequence number is @seq, between our ports. */
static struct tcphdr quote_seq(u32 seq)
{
	struct tcphdr th;

	memset(&th, 0, sizeof(th));
	th.source = htons(OUR_PORT);
	th.dest = htons(PEER_PORT);
	th.seq = htonl(seq);
	return th;
}

static int establish(u32 *isn)
{
	int lfd;
	u32 ts;

	return tcp_peer_establish(t0, PEER_PORT, OUR_PORT, &lfd, isn, &ts, 0);
}

/* Writes @n bytes on @fd (nonblocking: all must go at once) and pops the segments t0
 * sent: their headers into @th, their payload lengths into @len (at most @max); the count. */
static int send_and_pop(int fd, size_t n, struct tcphdr *th, unsigned int *len, int max)
{
	static unsigned char buf[8192];
	int i = 0;

	assert_true(n <= sizeof(buf));
	memset(buf, 'x', n);
	assert_int_equal(ul_send(fd, buf, n, 0), (ssize_t)n);
	ul_run_for(MS);
	while (i < max && tcp_peer_pop(t0, &th[i], NULL, &len[i], TCP_PEER_POP_CHECK))
		i++;
	return i;
}

static struct tcp_info info_of(int fd)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	assert_int_equal(ul_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l), 0);
	return ti;
}

/* RFC 1191 with 3.10's "fast" retransmission: the frag-needed quoting our first segment
 * lowers the route's PMTU to 1200, the MSS to 1148, and what was sent (too big now) goes
 * again at once at the new size. */
static void test_frag_needed_retransmits(void **state)
{
	struct tcphdr th[8];
	unsigned int len[8];
	unsigned long rexmit0;
	struct tcp_info ti;
	u32 isn;
	int fd, n;

	(void)state;
	fd = establish(&isn);
	ti = info_of(fd);
	assert_int_equal(ti.tcpi_snd_mss, MSS_1500);
	assert_int_equal(ti.tcpi_pmtu, 1500);
	n = send_and_pop(fd, 2 * MSS_1500, th, len, 8);
	assert_int_equal(n, 2);
	assert_int_equal(len[0], MSS_1500);
	assert_int_equal(ntohl(th[1].seq), isn + 1 + MSS_1500);

	rexmit0 = tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200, &th[0]);
	ti = info_of(fd);
	assert_int_equal(ti.tcpi_pmtu, 1200);
	assert_int_equal(ti.tcpi_snd_mss, MSS_1200);
	assert_int_equal(ti.tcpi_ca_state, TCP_CA_Loss);
	/* The congestion window is not touched: the data in flight did not grow. */
	assert_int_equal(ti.tcpi_snd_cwnd, TCP_INIT_CWND);
	assert_int_equal(sk_of(fd)->sk_err_soft, 0);

	/* The two segments were one skb (GSO, cut by the device): tcp_retransmit_skb cuts
	 * it at the new MSS as it goes, 1148 + 1148 + 600. */
	n = send_and_pop(fd, 0, th, len, 8);
	assert_int_equal(n, 3);
	assert_int_equal(ntohl(th[0].seq), isn + 1);
	assert_int_equal(len[0], MSS_1200);
	assert_int_equal(ntohl(th[1].seq), isn + 1 + MSS_1200);
	assert_int_equal(len[1], MSS_1200);
	assert_int_equal(ntohl(th[2].seq), isn + 1 + 2 * MSS_1200);
	assert_int_equal(len[2], 2 * MSS_1500 - 2 * MSS_1200);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS) - rexmit0, 3);

	/* A second frag-needed with the same MTU changes nothing: the MSS is already right. */
	rx_icmp(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200, &th[0]);
	assert_int_equal(ipt_txq_len(t0), 0);
	tcp_peer_abort_close(fd);
}

/* The IP frag_off field (host order) of the next frame t0 sent. */
static u16 pop_frag_off(void)
{
	u8 buf[1600];
	const struct iphdr *iph = (const struct iphdr *)buf;
	struct sk_buff *skb = ipt_pop(t0);

	assert_non_null(skb);
	ipt_l3_copy(skb, buf, sizeof(buf));
	kfree_skb(skb);
	return ntohs(iph->frag_off);
}

/* IP_PMTUDISC_WANT (TCP's default) sets DF; IP_PMTUDISC_DONT clears it, and a frag-needed
 * then retransmits nothing (the route still learns the PMTU: the next sends use it). */
static void test_df_and_pmtudisc_dont(void **state)
{
	struct tcphdr th;
	int fd, val = IP_PMTUDISC_DONT, one = 1;
	u32 isn;

	(void)state;
	fd = establish(&isn);
	/* (no Nagle: the second small write goes while the first is unacknowledged) */
	assert_int_equal(ul_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
	assert_int_equal(ul_send(fd, "abc", 3, 0), 3);
	ul_run_for(MS);
	assert_int_equal(pop_frag_off(), IP_DF);

	assert_int_equal(ul_setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &val, sizeof(val)), 0);
	assert_int_equal(ul_send(fd, "def", 3, 0), 3);
	ul_run_for(MS);
	assert_int_equal(pop_frag_off(), 0);

	th = quote_seq(isn + 1);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200, &th);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(tcp_sk(sk_of(fd))->mss_cache, MSS_1500);
	assert_int_equal(info_of(fd).tcpi_ca_state, TCP_CA_Open);
	tcp_peer_abort_close(fd);
}

/* An ICMP quoting a sequence number outside snd_una..snd_nxt is stale or forged:
 * OutOfWindowIcmps, and nothing else happens. */
static void test_out_of_window(void **state)
{
	struct tcphdr th[2];
	unsigned int len[2];
	unsigned long oow0 = nstat(LINUX_MIB_OUTOFWINDOWICMPS);
	u32 isn;
	int fd;

	(void)state;
	fd = establish(&isn);
	assert_int_equal(send_and_pop(fd, 100, th, len, 2), 1);
	th[1] = quote_seq(isn + 1 + 100 + 1);	/* beyond snd_nxt */
	rx_icmp(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200, &th[1]);
	th[1] = quote_seq(isn);			/* below snd_una (the SYN, ACKed) */
	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[1]);
	assert_int_equal(nstat(LINUX_MIB_OUTOFWINDOWICMPS) - oow0, 2);
	assert_int_equal(info_of(fd).tcpi_snd_mss, MSS_1500);
	assert_int_equal(sk_of(fd)->sk_err_soft, 0);
	assert_int_equal(ipt_txq_len(t0), 0);

	/* The edges are in the window: snd_nxt itself is (between(seq, una, nxt)). */
	th[1] = quote_seq(isn + 1 + 100);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[1]);
	assert_int_equal(nstat(LINUX_MIB_OUTOFWINDOWICMPS) - oow0, 2);
	assert_int_equal(sk_of(fd)->sk_err_soft, EHOSTUNREACH);
	tcp_peer_abort_close(fd);
}

/* A task owns the socket: an unreachable is counted in LockDroppedIcmps (3.10 still
 * records the soft error); a frag-needed is not dropped but deferred
 * (TCP_MTU_REDUCED_DEFERRED) and done by release_sock. */
static void test_owned_socket(void **state)
{
	struct tcphdr th[4];
	unsigned int len[4];
	unsigned long locked0 = nstat(LINUX_MIB_LOCKDROPPEDICMPS);
	struct sock *sk;
	u32 isn;
	int fd;

	(void)state;
	fd = establish(&isn);
	sk = sk_of(fd);
	assert_int_equal(send_and_pop(fd, MSS_1500, th, len, 4), 1);

	lock_sock(sk);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[0]);
	assert_int_equal(nstat(LINUX_MIB_LOCKDROPPEDICMPS) - locked0, 1);
	assert_int_equal(sk->sk_err_soft, EHOSTUNREACH);

	rx_icmp(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200, &th[0]);
	assert_int_equal(nstat(LINUX_MIB_LOCKDROPPEDICMPS) - locked0, 1);
	assert_true(tcp_sk(sk)->tsq_flags & (1UL << TCP_MTU_REDUCED_DEFERRED));
	assert_int_equal(tcp_sk(sk)->mtu_info, 1200);
	assert_int_equal(tcp_sk(sk)->mss_cache, MSS_1500);
	assert_int_equal(ipt_txq_len(t0), 0);
	release_sock(sk);

	assert_int_equal(tcp_sk(sk)->tsq_flags, 0);
	assert_int_equal(tcp_sk(sk)->mss_cache, MSS_1200);
	ul_run_for(MS);
	assert_int_equal(send_and_pop(fd, 0, th, len, 4), 2);
	assert_int_equal(len[0], MSS_1200);
	assert_int_equal(len[1], MSS_1500 - MSS_1200);
	tcp_peer_abort_close(fd);
}

/* The retransmission timer fires while a task owns the socket: 3.10 leaves the work to
 * release_sock (TCP_WRITE_TIMER_DEFERRED), which retransmits at once. */
static void test_write_timer_deferred(void **state)
{
	struct tcphdr th[2];
	unsigned int len[2];
	struct sock *sk;
	u32 isn, rto;
	int fd, early_retrans = sysctl_tcp_early_retrans;

	(void)state;
	sysctl_tcp_early_retrans = 0;	/* no loss probe before the RTO */
	fd = establish(&isn);
	sk = sk_of(fd);
	assert_int_equal(send_and_pop(fd, 100, th, len, 2), 1);
	rto = inet_csk(sk)->icsk_rto;

	lock_sock(sk);
	ul_run_for((u64)(rto + 50) * MS);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_true(tcp_sk(sk)->tsq_flags & (1UL << TCP_WRITE_TIMER_DEFERRED));
	assert_int_equal(inet_csk(sk)->icsk_retransmits, 0);
	release_sock(sk);
	sysctl_tcp_early_retrans = early_retrans;

	assert_int_equal(tcp_sk(sk)->tsq_flags, 0);
	assert_int_equal(inet_csk(sk)->icsk_retransmits, 1);
	ul_run_for(MS);
	assert_int_equal(send_and_pop(fd, 0, th, len, 2), 1);
	assert_int_equal(ntohl(th[0].seq), isn + 1);
	assert_int_equal(len[0], 100);
	tcp_peer_abort_close(fd);
}

/* Port unreachable quoting our SYN: the connection is not open yet, so the error is hard
 * (sk_err, tcp_done): connect fails with ECONNREFUSED. Time exceeded: EHOSTUNREACH. */
static void connect_refused_by(u8 type, u8 code, int want)
{
	struct sockaddr_in to = ul_test_sin(TCP_PEER_ADDR, PEER_PORT);
	struct sockaddr_in me = ul_test_sin(TCP_PEER_OUR_ADDR, OUR_PORT);
	struct tcphdr syn;
	int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = -1;
	socklen_t l = sizeof(err);

	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), EINPROGRESS);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &syn, NULL, NULL, TCP_PEER_POP_CHECK));
	assert_true(syn.syn && !syn.ack);
	assert_int_equal(sk_of(fd)->sk_state, TCP_SYN_SENT);

	rx_icmp(type, code, 0, &syn);
	assert_int_equal(sk_of(fd)->sk_state, TCP_CLOSE);
	/* The next connect reports the error (sock_error), then it is gone. */
	assert_errno(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), want);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, 0);
	assert_int_equal(ipt_txq_len(t0), 0);	/* no SYN retransmitted, no RST */
	assert_int_equal(ul_close(fd), 0);
}

static void test_syn_sent_port_unreach(void **state)
{
	(void)state;
	connect_refused_by(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, ECONNREFUSED);
}

static void test_syn_sent_time_exceeded(void **state)
{
	(void)state;
	connect_refused_by(ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, EHOSTUNREACH);
}

/* Our SYN-ACK (a request of the listener) quoted by an unreachable: the request goes
 * silently (accept() returns no network errors), ListenDrops; a wrong sequence number is
 * OutOfWindowIcmps and keeps it. */
static void test_syn_recv_request_dropped(void **state)
{
	struct sockaddr_in sin = ul_test_sin("0.0.0.0", OUR_PORT);
	struct tcp_peer_seg syn = { .seq = 1000, .flags = TCPHDR_SYN };
	unsigned long drops0 = nstat(LINUX_MIB_LISTENDROPS);
	unsigned long oow0 = nstat(LINUX_MIB_OUTOFWINDOWICMPS);
	struct tcphdr sa, wrong;
	int lfd = ul_socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_true(lfd >= 0);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(lfd, 4), 0);
	tcp_peer_rx_seg(t0, &syn, PEER_PORT, OUR_PORT, 65535);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &sa, NULL, NULL, TCP_PEER_POP_CHECK));
	assert_true(sa.syn && sa.ack);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), 1);

	wrong = sa;
	wrong.seq = htonl(ntohl(sa.seq) + 1);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, &wrong);
	assert_int_equal(nstat(LINUX_MIB_OUTOFWINDOWICMPS) - oow0, 1);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), 1);

	/* A frag-needed is not for listeners (a SYN-ACK is small): nothing happens. */
	rx_icmp(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200, &sa);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), 1);

	rx_icmp(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, &sa);
	assert_int_equal(inet_csk_reqsk_queue_len(sk_of(lfd)), 0);
	assert_int_equal(nstat(LINUX_MIB_LISTENDROPS) - drops0, 1);
	ul_run_for(2 * SEC);	/* no SYN-ACK retransmission for the dropped request */
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(ul_close(lfd), 0);
}

/* Host unreachable on an established connection is a soft error (RFC 1122 4.2.3.9): kept
 * in sk_err_soft, the connection goes on, reads do not fail; SO_ERROR returns it once
 * (3.10's sock_getsockopt takes sk_err_soft when sk_err is 0). When the connection times
 * out, the error it reports is the soft error, not ETIMEDOUT. With IP_RECVERR the error is
 * the socket's at once. */
static void test_established_soft_error(void **state)
{
	struct tcphdr th[2];
	unsigned int len[2];
	int fd, err = -1, one = 1, zero = 0, retries2 = sysctl_tcp_retries2;
	socklen_t l = sizeof(err);
	char c;
	u32 isn;

	(void)state;
	fd = establish(&isn);
	assert_int_equal(send_and_pop(fd, 100, th, len, 2), 1);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[0]);
	assert_int_equal(sk_of(fd)->sk_err_soft, EHOSTUNREACH);
	assert_int_equal(sk_of(fd)->sk_err, 0);
	assert_int_equal(sk_of(fd)->sk_state, TCP_ESTABLISHED);
	assert_errno(ul_recv(fd, &c, 1, MSG_DONTWAIT), EAGAIN);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, EHOSTUNREACH);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, 0);

	/* IP_RECVERR: a network unreachable is the socket's error now. */
	assert_int_equal(ul_setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)), 0);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0, &th[0]);
	assert_int_equal(sk_of(fd)->sk_err, ENETUNREACH);
	assert_int_equal(sk_of(fd)->sk_err_soft, 0);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, ENETUNREACH);
	assert_int_equal(sk_of(fd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(ul_setsockopt(fd, IPPROTO_IP, IP_RECVERR, &zero, sizeof(zero)), 0);

	/* tcp_retries2 2: the retransmissions time out; tcp_write_err reports the soft error. */
	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[0]);
	sysctl_tcp_retries2 = 2;
	ul_run_for(10 * SEC);
	sysctl_tcp_retries2 = retries2;
	assert_int_equal(sk_of(fd)->sk_state, TCP_CLOSE);
	assert_errno(ul_recv(fd, &c, 1, MSG_DONTWAIT), EHOSTUNREACH);
	assert_int_equal(ul_close(fd), 0);
	ipt_dev_purge(t0);
}

/* RFC 6069: after two RTOs (backoff 2) a host unreachable quoting snd_una takes back one
 * doubling, the timer re-armed for what is left of the reverted RTO; arriving after that
 * time, it retransmits at once. */
static void test_rto_revert(void **state)
{
	struct inet_connection_sock *icsk;
	struct tcphdr th[2];
	unsigned int len[2];
	u32 isn, base, sent;
	int fd, i, early_retrans = sysctl_tcp_early_retrans;

	(void)state;
	sysctl_tcp_early_retrans = 0;	/* RTOs only, no loss probe (checked when armed) */
	fd = establish(&isn);
	icsk = inet_csk(sk_of(fd));
	assert_int_equal(send_and_pop(fd, 100, th, len, 2), 1);
	base = icsk->icsk_rto;
	assert_int_equal(base, __tcp_set_rto(tcp_sk(sk_of(fd))));
	/* Two RTOs: retransmissions at +base and +3 base. */
	for (i = 0; i < 2; i++) {
		u64 guard = 0;

		while (!ipt_txq_len(t0) && ++guard < 10000)
			ul_run_for(MS);
		assert_int_equal(send_and_pop(fd, 0, th, len, 2), 1);
	}
	sent = TCP_SKB_CB(tcp_write_queue_head(sk_of(fd)))->when;	/* the last retransmission */
	assert_int_equal(icsk->icsk_backoff, 2);
	assert_int_equal(icsk->icsk_rto, base << 2);

	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[0]);
	assert_int_equal(icsk->icsk_backoff, 1);
	assert_int_equal(icsk->icsk_rto, base << 1);
	assert_int_equal(icsk->icsk_pending, ICSK_TIME_RETRANS);
	assert_int_equal(icsk->icsk_timeout, (unsigned long)sent + (base << 1));
	assert_int_equal(ipt_txq_len(t0), 0);

	/* Wait past the reverted RTO's end but before the timer (re-armed at 2 base): the
	 * timer fires and retransmits; then, 3 base after that, an unreachable finds the
	 * reverted RTO (2 base) over and retransmits at once. */
	ul_run_for((u64)(base << 1) * MS);
	assert_int_equal(send_and_pop(fd, 0, th, len, 2), 1);
	assert_int_equal(icsk->icsk_backoff, 2);
	sent = TCP_SKB_CB(tcp_write_queue_head(sk_of(fd)))->when;
	assert_int_equal(sent, icsk->icsk_timeout - (base << 2));
	ul_run_for((u64)(3 * base) * MS);
	assert_int_equal(ipt_txq_len(t0), 0);
	rx_icmp(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, &th[0]);
	assert_int_equal(send_and_pop(fd, 0, th, len, 2), 1);
	assert_int_equal(ntohl(th[0].seq), isn + 1);
	assert_int_equal(icsk->icsk_backoff, 2);
	assert_int_equal(icsk->icsk_rto, base << 2);
	sysctl_tcp_early_retrans = early_retrans;
	tcp_peer_abort_close(fd);
}

/* ---- a real PMTU discovery: a (1500) -- r -- (1200) b ---- */

struct pmtu_xfer {
	size_t total;
	int ready;
	size_t received;
	int bad_bytes;
	int eof;
	struct tcp_info before, after;	/* the sender's TCP_INFO at start and at the end */
};

static int pmtu_server(void *arg)
{
	struct pmtu_xfer *x = arg;

	return bulk_serve_one("0.0.0.0", 5001, &x->ready, &x->received, &x->bad_bytes, &x->eof);
}

static int pmtu_client(void *arg)
{
	struct pmtu_xfer *x = arg;
	unsigned char *buf;
	socklen_t l = sizeof(struct tcp_info);
	size_t sent = 0;
	int fd, rc = 0;

	fd = bulk_connect_buf("10.3.0.1", 5001, &x->ready, 0, 65536, &buf);
	if (fd < 0)
		return -fd;
	ul_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &x->before, &l);
	if (bulk_send_all(fd, buf, 65536, x->total, &sent))
		rc = 21;
	l = sizeof(struct tcp_info);
	ul_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &x->after, &l);
	free(buf);
	ul_close(fd);
	return rc;
}

static void pmtu_cmd(const char *ns, const char *line)
{
	assert_int_equal(run_cmd(ns, line), 0);
}

/* 4 MiB from a to b through r, whose link to b takes 1200 bytes (b's end keeps 1500, so
 * that b's SYN-ACK offers MSS 1460: the small link is in the middle of the path). r drops
 * a's first full-size segments with DF and answers frag-needed 1200 (FragFails, ICMP type 3
 * out); a learns PMTU 1200, sends 1148-byte segments, and every byte arrives.
 * a's veth has TSO off, as a NIC that cuts segments on the wire: 3.10's ip_forward does not
 * check a GSO packet against the MTU (3.14 added skb_gso_network_seglen for that). */
static void test_pmtu_discovery_router(void **state)
{
	struct pmtu_xfer x = { .total = 4u << 20 };
	struct net *r;

	(void)state;
	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("r"), 0);
	assert_int_equal(ul_netns_add("b"), 0);
	r = ul_net_by_name("r");
	pmtu_cmd("r", "ip link add ra type veth peer name eth0 netns a");
	pmtu_cmd("r", "ip link add rb type veth peer name eth0 netns b");
	pmtu_cmd("r", "ip addr add 10.2.0.254/24 dev ra");
	pmtu_cmd("r", "ip addr add 10.3.0.254/24 dev rb");
	pmtu_cmd("r", "ip link set rb mtu 1200");
	pmtu_cmd("r", "ip link set ra up");
	pmtu_cmd("r", "ip link set rb up");
	pmtu_cmd("r", "sysctl -w net.ipv4.ip_forward=1");
	pmtu_cmd("a", "ip addr add 10.2.0.1/24 dev eth0");
	pmtu_cmd("a", "ethtool -K eth0 tso off");
	pmtu_cmd("a", "ip link set eth0 up");
	pmtu_cmd("a", "ip route add default via 10.2.0.254");
	pmtu_cmd("b", "ip addr add 10.3.0.1/24 dev eth0");
	pmtu_cmd("b", "ip link set eth0 up");
	pmtu_cmd("b", "ip route add default via 10.3.0.254");
	ul_run_for(MS);

	bulk_run_tasks("a", "b", pmtu_server, pmtu_client, &x);
	assert_int_equal(x.received, x.total);
	assert_int_equal(x.bad_bytes, 0);
	assert_int_equal(x.eof, 1);
	assert_int_equal(x.before.tcpi_pmtu, 1500);
	assert_int_equal(x.before.tcpi_snd_mss, MSS_1500);
	assert_int_equal(x.after.tcpi_pmtu, 1200);
	assert_int_equal(x.after.tcpi_snd_mss, MSS_1200);
	assert_true(ip_mib_read(r, IPSTATS_MIB_FRAGFAILS) >= 1);
	assert_true(icmpmsg_mib_read(r, 0x100 | ICMP_DEST_UNREACH) >= 1);

	current->net = &init_net;
	ul_run_for(100 * MS);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("r"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
	ul_run_for(MS);
}

static int setup_plain(void **state)
{
	return ul_test_setup_sim(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_frag_needed_retransmits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_and_pmtudisc_dont, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owned_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_timer_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_sent_port_unreach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_sent_time_exceeded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_recv_request_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_established_soft_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rto_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmtu_discovery_router, setup_plain,
						 ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
