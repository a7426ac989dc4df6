/* SPDX-License-Identifier: MIT */
/* TCP loss-recovery extras and simultaneous open: early retransmit (RFC 5827, quick and
 * delayed by RTT/4), the tail loss probe (TCPLossProbes, TCPLossProbeRecovery), F-RTO
 * (RFC 5682: a spurious RTO undone, TCPSpuriousRTOs), lost-retransmit detection
 * (TCPLostRetransmit), forward retransmission (TCPForwardRetrans), crossed SYNs (RFC 793
 * figure 8: SYN_SENT -> SYN_RECV -> ESTABLISHED on both sides) and the tcp_early_retrans /
 * tcp_frto sysctls. The peer is crafted segment by segment on a test device, as in
 * test_tcp_segs.c; simultaneous open runs two real sockets over lo.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c (tcp_time_to_recover,
 * tcp_pause_early_retransmit, tcp_resume_early_retransmit, tcp_process_tlp_ack,
 * tcp_process_loss, tcp_mark_lost_retrans, tcp_rcv_synsent_state_process) and
 * tcp_output.c (tcp_schedule_loss_probe, tcp_send_loss_probe, tcp_xmit_retransmit_queue,
 * tcp_send_synack) (3.10). */
#include <errno.h>
#include <string.h>
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/netfilter.h"
#include "linux/sched.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define MSS 1448	/* 1460 - 12 of timestamps */

static struct net *tnet;
static struct net_device *t0;

static int setup(void **state)
{
	return tcp_peer_setup(state, "t", true, &tnet, &t0);
}

static int teardown(void **state)
{
	sysctl_tcp_early_retrans = 3;
	sysctl_tcp_frto = 2;
	return tcp_peer_teardown(state, "t", t0);
}

#define PEER_PORT 40200
#define OUR_PORT 80

static u32 peer_tsval = 100;	/* the crafted peer's clock: every segment a new tick */
static u32 our_ts;		/* the last timestamp we sent (echoed as tsecr) */
static u32 isn;			/* our initial sequence number */

/* An ACK from 10.0.0.2:PEER_PORT acknowledging @ack (relative to our ISN + 1), with
 * @nsack SACK blocks of relative edges @sack. */
static void rx_ack(u32 ack, const u32 *sack, int nsack)
{
	u8 tcp[80];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int optlen, tlen;

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(1001);
	th->ack_seq = htonl(isn + 1 + ack);
	optlen = tcp_peer_put_ts(tcp + 20, ++peer_tsval, our_ts);
	if (nsack)
		optlen += tcp_peer_put_sack(tcp + 20 + optlen, sack, nsack, isn + 1);
	th->doff = (u16)((20 + optlen) / 4) & 0xf;
	tcp[13] = TCPHDR_ACK;
	th->window = htons(1000);	/* scaled by 7: 128000 */
	tlen = 20 + optlen;
	tcp_peer_inject(t0, tcp, tlen, false);
}

#define be32_at tcp_peer_be32

/* The next data segment t0 sent: its sequence number relative to ISN + 1, its length;
 * false when none is queued. Pure ACKs are skipped. */
static bool tx_data(u32 *rel_seq, unsigned int *dlen)
{
	int guard;

	for (guard = 0; guard < 100; guard++) {
		u8 buf[1600];
		struct sk_buff *skb = ipt_pop(t0);
		const struct iphdr *iph = (const struct iphdr *)buf;
		const struct tcphdr *th;
		unsigned int len, d;

		if (!skb)
			return false;
		len = ipt_l3_copy(skb, buf, sizeof(buf));
		kfree_skb(skb);
		assert_true(len >= 40);
		th = (const struct tcphdr *)(buf + iph->ihl * 4);
		d = len - iph->ihl * 4u - th->doff * 4u;
		if (th->doff * 4 >= 32)
			our_ts = be32_at((const u8 *)th + 24);
		if (!d)
			continue;
		*rel_seq = ntohl(th->seq) - (isn + 1);
		*dlen = d;
		return true;
	}
	return false;
}

static unsigned long nstat(int f)
{
	return tcp_netstat_read(tnet, f);
}

/* Our listener on OUR_PORT and a crafted peer that completes the handshake with
 * timestamps, SACK and wscale 7 (1 ms of RTT: srtt 1 jiffy, RTO 201 ms); the accepted
 * fd. */
static int establish(int *lfd)
{
	static const u8 synopt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0,
				     1, 3, 3, 7 };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(OUR_PORT) };
	u8 tcp[60], buf[200];
	struct tcphdr *th = (struct tcphdr *)tcp;
	const struct tcphdr *sa;
	unsigned int tlen = 20 + sizeof(synopt);
	struct sk_buff *skb;
	int fd, sndbuf = 256 * 1024;

	peer_tsval = 100;
	ul_run_for(MS);
	ipt_dev_purge(t0);
	*lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*lfd >= 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(*lfd, 4), 0);

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(1000);
	th->doff = (u16)(tlen / 4) & 0xf;
	tcp[13] = TCPHDR_SYN;
	th->window = htons(65535);
	memcpy(tcp + 20, synopt, sizeof(synopt));
	tcp_peer_inject(t0, tcp, tlen, false);
	ul_run_for(MS);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, buf, sizeof(buf));
	kfree_skb(skb);
	sa = (const struct tcphdr *)(buf + ((const struct iphdr *)buf)->ihl * 4);
	assert_true(sa->syn && sa->ack);
	isn = ntohl(sa->seq);
	/* SYN-ACK options: mss(4) sackOK+ts(12)...: the tsval is at offset 8 of them. */
	our_ts = be32_at((const u8 *)sa + 20 + 8);
	rx_ack(0, NULL, 0);
	ul_run_for(MS);
	fd = ul_accept4(*lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(fd >= 0);
	/* Room for every write of the tests at once. */
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	ipt_dev_purge(t0);
	return fd;
}

#define abort_close tcp_peer_abort_close

/* Write @n full segments; check they all left, in order from relative @from. */
static void send_segs(int fd, int n, u32 from)
{
	static u8 data[16 * MSS];
	u32 seq;
	unsigned int dl;
	int k;

	assert_true(n <= 16);
	memset(data, 'r', sizeof(data));
	assert_int_equal(ul_send(fd, data, (size_t)n * MSS, 0), (ssize_t)n * MSS);
	ul_run_for(MS / 10);
	for (k = 0; k < n; k++) {
		assert_true(tx_data(&seq, &dl));
		assert_int_equal(seq, from + (u32)k * MSS);
		assert_int_equal(dl, MSS);
	}
	assert_false(tx_data(&seq, &dl));
}

/* ---- sysctls ---- */

static void test_sysctls(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.tcp_early_retrans", buf, sizeof(buf)), 0);
	assert_int_equal(atoi(buf), 3);
	assert_int_equal(ul_sysctl_get(NULL, "net.ipv4.tcp_frto", buf, sizeof(buf)), 0);
	assert_int_equal(atoi(buf), 2);
	/* 0..4 */
	assert_true(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "5") < 0);
	assert_true(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "-1") < 0);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "4"), 0);
	assert_int_equal(sysctl_tcp_early_retrans, 4);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_early_retrans", "3"), 0);
}

/* ---- early retransmit ---- */

/* Two segments out, the second SACKed (one dupack: far below the 3 of fast retransmit).
 * tcp_early_retrans 1: the first goes again at once; 3 (the default): after
 * max(RTT/4, 2 ms) = 2 ms on the ER timer. Either way a SACK recovery. */
static void er_case(int mode, int nsegs)
{
	u32 blk[2], seq;
	unsigned int dl;
	int lfd, fd;
	unsigned long rec0 = nstat(LINUX_MIB_TCPSACKRECOVERY);
	unsigned long fr0 = nstat(LINUX_MIB_TCPFASTRETRANS);
	struct tcp_sock *tp;

	sysctl_tcp_early_retrans = mode;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	assert_int_equal(tp->do_early_retrans, mode >= 1 && mode <= 3);
	assert_int_equal(tp->srtt >> 3, 1);
	send_segs(fd, nsegs, 0);
	assert_int_equal(tp->packets_out, (u32)nsegs);
	blk[0] = MSS;
	blk[1] = (u32)nsegs * MSS;
	rx_ack(0, blk, 1);
	if (mode == 1) {
		ul_run_for(MS / 10);
	} else {
		/* Delayed: nothing yet, the ER timer pending. */
		ul_run_for(MS / 10);
		assert_false(tx_data(&seq, &dl));
		assert_int_equal(inet_csk(sk_of(fd))->icsk_pending, ICSK_TIME_EARLY_RETRANS);
		assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Disorder);
		ul_run_for(2 * MS);
	}
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 0);
	assert_int_equal(dl, MSS);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Recovery);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_pending, ICSK_TIME_RETRANS);
	assert_int_equal(nstat(LINUX_MIB_TCPSACKRECOVERY), rec0 + 1);
	assert_int_equal(nstat(LINUX_MIB_TCPFASTRETRANS), fr0 + 1);
	assert_int_equal(tcp_rec(tp)->retrans_out, 1);
	/* The hole filled: Open again. */
	rx_ack((u32)nsegs * MSS, NULL, 0);
	ul_run_for(MS);
	assert_int_equal(tp->packets_out, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Open);
	abort_close(fd);
	ul_close(lfd);
}

static void test_er_quick_2pkt(void **state)
{
	(void)state;
	er_case(1, 2);
}

static void test_er_quick_3pkt(void **state)
{
	(void)state;
	er_case(1, 3);
}

static void test_er_delayed_2pkt(void **state)
{
	(void)state;
	er_case(3, 2);
}

static void test_er_delayed_3pkt(void **state)
{
	(void)state;
	er_case(2, 3);
}

/* Early retransmit off (0): one dupack of two segments is not enough; the RTO repairs
 * (201 ms). Four segments out: not ER territory either (packets_out < 4). */
static void test_er_off_and_4pkt(void **state)
{
	u32 blk[2], seq;
	unsigned int dl;
	int lfd, fd;
	unsigned long sf0 = nstat(LINUX_MIB_TCPSACKFAILURES);

	(void)state;
	sysctl_tcp_early_retrans = 0;
	fd = establish(&lfd);
	send_segs(fd, 2, 0);
	blk[0] = MSS;
	blk[1] = 2 * MSS;
	rx_ack(0, blk, 1);
	ul_run_for(150 * MS);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(inet_csk(sk_of(fd))->icsk_pending, ICSK_TIME_RETRANS);
	ul_run_for(60 * MS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 0);
	/* An RTO in Disorder with SACK: TCPSackFailures (3.10). */
	assert_int_equal(nstat(LINUX_MIB_TCPSACKFAILURES), sf0 + 1);
	abort_close(fd);
	ul_close(lfd);

	/* Default ER, four segments, the second SACKed (FACK count 2): no early retransmit
	 * (packets_out < 4 only), and no loss probe outside Open: the RTO waits. */
	sysctl_tcp_early_retrans = 3;
	fd = establish(&lfd);
	send_segs(fd, 4, 0);
	blk[0] = MSS;
	blk[1] = 2 * MSS;
	rx_ack(0, blk, 1);
	ul_run_for(MS / 10);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Disorder);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_pending, ICSK_TIME_RETRANS);
	ul_run_for(100 * MS);
	assert_false(tx_data(&seq, &dl));
	abort_close(fd);
	ul_close(lfd);
}

/* ER needs tcp_reordering 3 at socket creation, and is switched off by reordering. */
static void test_er_disabled_by_reordering(void **state)
{
	u32 blk[2];
	int lfd, fd;
	struct tcp_sock *tp;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	assert_int_equal(tp->do_early_retrans, 1);
	send_segs(fd, 3, 0);
	/* Segment 3 SACKed, then segment 2 SACKed: a hole filled by an original
	 * transmission below the highest SACK: reordering (TCPSACKReorder... FACK). */
	blk[0] = 2 * MSS;
	blk[1] = 3 * MSS;
	rx_ack(0, blk, 1);
	blk[0] = MSS;
	blk[1] = 3 * MSS;
	rx_ack(0, blk, 1);
	ul_run_for(MS / 10);
	assert_int_equal(tp->do_early_retrans, 0);
	abort_close(fd);
	ul_close(lfd);
}

/* ---- tail loss probe ---- */

static void test_tlp(void **state)
{
	u32 seq;
	unsigned int dl;
	int lfd, fd;
	unsigned long lp0 = nstat(LINUX_MIB_TCPLOSSPROBES);
	unsigned long lpr0 = nstat(LINUX_MIB_TCPLOSSPROBERECOVERY);
	unsigned long rs0 = tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS);
	struct tcp_sock *tp;
	struct inet_connection_sock *icsk;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	icsk = inet_csk(sk_of(fd));
	/* Three segments, application limited: the probe replaces the RTO, due after
	 * max(2 RTT, 10 ms) = 10 ms. */
	send_segs(fd, 3, 0);
	assert_int_equal(icsk->icsk_pending, ICSK_TIME_LOSS_PROBE);
	ul_run_for(9 * MS);
	assert_false(tx_data(&seq, &dl));
	ul_run_for(2 * MS);
	/* The probe: the last segment again. */
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 2 * MSS);
	assert_int_equal(dl, MSS);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBES), lp0 + 1);
	assert_int_equal(tcp_rec(tp)->tlp_high_seq, tp->snd_nxt);
	assert_int_equal(icsk->icsk_pending, ICSK_TIME_RETRANS);
	/* (3.10 counts the probe in no retransmission counter: __tcp_retransmit_skb.) */
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS), rs0);
	/* At most one probe per episode: the RTO comes next, not a second probe. */
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Open);
	/* The peer had lost the last segment: the probe repaired it. Its ACK of all three
	 * leaves the episode open (ack == tlp_high_seq); the ACK of later data ends it with
	 * a cwnd reduction: TCPLossProbeRecovery, cwnd = ssthresh = 10 * 717 / 1024. */
	rx_ack(3 * MSS, NULL, 0);
	ul_run_for(MS / 10);
	assert_int_equal(tcp_rec(tp)->tlp_high_seq, tp->snd_nxt);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBERECOVERY), lpr0);
	send_segs(fd, 1, 3 * MSS);
	rx_ack(4 * MSS, NULL, 0);
	ul_run_for(MS / 10);
	assert_int_equal(tcp_rec(tp)->tlp_high_seq, 0);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBERECOVERY), lpr0 + 1);
	assert_int_equal(tp->snd_ssthresh, 7);
	assert_int_equal(tp->snd_cwnd, 7);
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Open);
	abort_close(fd);
	ul_close(lfd);
}

/* A duplicate ACK of exactly tlp_high_seq (the original and the probe both arrived)
 * ends the episode without a reduction; tcp_early_retrans 2 has no probes at all. */
static void test_tlp_dupack_and_off(void **state)
{
	u32 seq;
	unsigned int dl;
	int lfd, fd;
	unsigned long lp0 = nstat(LINUX_MIB_TCPLOSSPROBES);
	unsigned long lpr0 = nstat(LINUX_MIB_TCPLOSSPROBERECOVERY);
	struct tcp_sock *tp;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	send_segs(fd, 2, 0);
	rx_ack(2 * MSS, NULL, 0);
	ul_run_for(MS / 10);
	/* One segment out: PTO = max(2 RTT, 1.5 RTT + 200 ms) = 201 ms, capped at the RTO
	 * (201 ms from now): the probe at 201 ms. */
	send_segs(fd, 1, 2 * MSS);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_pending, ICSK_TIME_LOSS_PROBE);
	ul_run_for(200 * MS);
	assert_false(tx_data(&seq, &dl));
	ul_run_for(2 * MS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 2 * MSS);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBES), lp0 + 1);
	rx_ack(3 * MSS, NULL, 0);
	rx_ack(3 * MSS, NULL, 0);	/* the ACK of the probe: a duplicate */
	ul_run_for(MS / 10);
	assert_int_equal(tcp_rec(tp)->tlp_high_seq, 0);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBERECOVERY), lpr0);
	abort_close(fd);
	ul_close(lfd);

	sysctl_tcp_early_retrans = 2;
	fd = establish(&lfd);
	send_segs(fd, 3, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_pending, ICSK_TIME_RETRANS);
	ul_run_for(100 * MS);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSPROBES), lp0 + 1);
	abort_close(fd);
	ul_close(lfd);
}

/* ---- F-RTO ---- */

/* RTO with four segments out; the ACK of the (delayed, not lost) first segment: F-RTO
 * sends new data instead of retransmitting (step 2.b); the ACK of the second original
 * segment proves the RTO spurious: undo (TCPSpuriousRTOs, TCPLossUndo), Open. */
static void test_frto_spurious(void **state)
{
	static u8 more[2 * MSS];
	u32 seq;
	unsigned int dl;
	int lfd, fd;
	unsigned long sp0 = nstat(LINUX_MIB_TCPSPURIOUSRTOS);
	unsigned long lu0 = nstat(LINUX_MIB_TCPLOSSUNDO);
	unsigned long to0 = nstat(LINUX_MIB_TCPTIMEOUTS);
	struct tcp_sock *tp;
	struct inet_connection_sock *icsk;

	(void)state;
	sysctl_tcp_early_retrans = 0;	/* no probe: the RTO itself */
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	icsk = inet_csk(sk_of(fd));
	send_segs(fd, 4, 0);
	ul_run_for(202 * MS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 0);	/* RTO: the head again */
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(nstat(LINUX_MIB_TCPTIMEOUTS), to0 + 1);
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Loss);
	assert_int_equal(tp->frto, 1);
	assert_int_equal(tp->snd_cwnd, 1);
	/* New data waits behind cwnd 1. */
	memset(more, 'n', sizeof(more));
	assert_int_equal(ul_send(fd, more, sizeof(more), 0), (ssize_t)sizeof(more));
	ul_run_for(MS / 10);
	assert_false(tx_data(&seq, &dl));
	/* The ACK of segment 1: step 2.b, the two new segments go, not segment 2. */
	rx_ack(MSS, NULL, 0);
	ul_run_for(MS / 10);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 4 * MSS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 5 * MSS);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Loss);
	/* The ACK of segment 2, never retransmitted: spurious. */
	rx_ack(2 * MSS, NULL, 0);
	ul_run_for(MS / 10);
	assert_int_equal(nstat(LINUX_MIB_TCPSPURIOUSRTOS), sp0 + 1);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSSUNDO), lu0 + 1);
	assert_int_equal(icsk->icsk_ca_state, TCP_CA_Open);
	assert_int_equal(tcp_rec(tp)->lost_out, 0);
	assert_true(tp->snd_cwnd >= 7);
	abort_close(fd);
	ul_close(lfd);
}

/* The loss was real: after step 2.b a duplicate ACK SACKing new data (above high_seq)
 * ends F-RTO (step 3.a); the lost segments go in slow start (TCPSlowStartRetrans), no
 * undo. tcp_frto 0: the first ACK retransmits at once. */
static void test_frto_real_loss_and_off(void **state)
{
	static u8 more[2 * MSS];
	u32 seq, blk[2];
	unsigned int dl;
	int lfd, fd;
	unsigned long sp0 = nstat(LINUX_MIB_TCPSPURIOUSRTOS);
	unsigned long ss0;
	struct tcp_sock *tp;

	(void)state;
	sysctl_tcp_early_retrans = 0;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	send_segs(fd, 4, 0);
	ul_run_for(202 * MS);
	assert_true(tx_data(&seq, &dl));
	memset(more, 'n', sizeof(more));
	assert_int_equal(ul_send(fd, more, sizeof(more), 0), (ssize_t)sizeof(more));
	rx_ack(MSS, NULL, 0);
	ul_run_for(MS / 10);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 4 * MSS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 5 * MSS);
	ss0 = nstat(LINUX_MIB_TCPSLOWSTARTRETRANS);
	blk[0] = 4 * MSS;
	blk[1] = 5 * MSS;
	rx_ack(MSS, blk, 1);
	ul_run_for(MS / 10);
	assert_int_equal(tp->frto, 0);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Loss);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, MSS);	/* segment 2, lost, again */
	assert_true(nstat(LINUX_MIB_TCPSLOWSTARTRETRANS) > ss0);
	assert_int_equal(nstat(LINUX_MIB_TCPSPURIOUSRTOS), sp0);
	abort_close(fd);
	ul_close(lfd);

	sysctl_tcp_frto = 0;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	send_segs(fd, 4, 0);
	ul_run_for(202 * MS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(tp->frto, 0);
	assert_int_equal(ul_send(fd, more, sizeof(more), 0), (ssize_t)sizeof(more));
	rx_ack(MSS, NULL, 0);
	ul_run_for(MS / 10);
	/* cwnd 2 after the ACK: segments 2 and 3 again, not new data. */
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, MSS);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 2 * MSS);
	abort_close(fd);
	ul_close(lfd);
}

/* ---- lost retransmit, forward retransmit ---- */

/* Six segments; 2..6 SACKed: Recovery (FACK), segment 1 retransmitted while snd_nxt was
 * at 6. A new segment 7 goes out; its SACK shows data sent after the retransmission
 * arrived while the retransmission did not: TCPLostRetransmit, segment 1 once more. */
static void test_lost_retransmit(void **state)
{
	u32 seq, blk[2];
	unsigned int dl;
	int lfd, fd;
	unsigned long lr0 = nstat(LINUX_MIB_TCPLOSTRETRANSMIT);
	struct tcp_sock *tp;

	(void)state;
	fd = establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	send_segs(fd, 6, 0);
	blk[0] = MSS;
	blk[1] = 6 * MSS;
	rx_ack(0, blk, 1);
	ul_run_for(MS / 10);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Recovery);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 0);
	assert_false(tx_data(&seq, &dl));
	assert_int_equal(tcp_rec(tp)->retrans_out, 1);
	assert_int_equal(tcp_rec(tp)->lost_retrans_low, 6 * MSS + isn + 1);
	send_segs(fd, 1, 6 * MSS);
	blk[1] = 7 * MSS;
	rx_ack(0, blk, 1);
	ul_run_for(MS / 10);
	assert_int_equal(nstat(LINUX_MIB_TCPLOSTRETRANSMIT), lr0 + 1);
	assert_true(tx_data(&seq, &dl));
	assert_int_equal(seq, 0);
	assert_int_equal(tcp_rec(tp)->retrans_out, 1);
	abort_close(fd);
	ul_close(lfd);
}

/* Eight segments, only the eighth SACKed: FACK count 8, so 8 - reordering 3 = 5 are
 * marked lost (1..5) and 6, 7 are holes not marked lost. PRR lets the lost ones go as
 * the cumulative ACKs come (TCPFastRetrans); when they are all out and cwnd has room with
 * no new data to send, 6 and 7 go too, below the highest SACK: TCPForwardRetrans 2. */
static void test_forward_retransmit(void **state)
{
	u32 seq, blk[2], sent[32];
	unsigned int dl;
	int lfd, fd, n = 0, k;
	unsigned long fw0 = nstat(LINUX_MIB_TCPFORWARDRETRANS);
	unsigned long fr0 = nstat(LINUX_MIB_TCPFASTRETRANS);

	(void)state;
	fd = establish(&lfd);
	send_segs(fd, 8, 0);
	blk[0] = 7 * MSS;
	blk[1] = 8 * MSS;
	rx_ack(0, blk, 1);
	ul_run_for(MS / 10);
	assert_int_equal(inet_csk(sk_of(fd))->icsk_ca_state, TCP_CA_Recovery);
	assert_int_equal(tcp_rec(tcp_sk(sk_of(fd)))->lost_out, 5);
	while (n < 32 && tx_data(&sent[n], &dl))
		n++;
	/* Each cumulative ACK (with the same SACK block) opens PRR's budget. */
	for (k = 0; k < 5; k++) {
		rx_ack((u32)(k + 1) * MSS, blk, 1);
		ul_run_for(MS / 10);
		while (n < 32 && tx_data(&seq, &dl))
			sent[n++] = seq;
	}
	assert_int_equal(n, 7);
	for (k = 0; k < n; k++)
		assert_int_equal(sent[k], (u32)k * MSS);
	assert_int_equal(nstat(LINUX_MIB_TCPFASTRETRANS) - fr0, 5);
	assert_int_equal(nstat(LINUX_MIB_TCPFORWARDRETRANS) - fw0, 2);
	abort_close(fd);
	ul_close(lfd);
}

/* ---- simultaneous open ---- */

static int drop_syns;	/* bare SYNs still to lose at PRE_ROUTING */
static int synack_from_synrecv;	/* SYN-ACKs sent by a socket in SYN_RECV that is not a
				 * request (simultaneous open) */

static unsigned int syn_hook(unsigned int hooknum, struct sk_buff *skb,
			     const struct net_device *in, const struct net_device *out,
			     int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	(void)in;
	(void)out;
	(void)okfn;
	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	if (hooknum == NF_INET_PRE_ROUTING) {
		if (drop_syns > 0 && th->syn && !th->ack) {
			drop_syns--;
			return NF_DROP;
		}
		return NF_ACCEPT;
	}
	if (th->syn && th->ack && skb->sk && skb->sk->sk_state == TCP_SYN_RECV)
		synack_from_synrecv++;
	return NF_ACCEPT;
}

static struct nf_hook_ops syn_out_ops = {
	.hook = syn_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT, .priority = 0,
};
static struct nf_hook_ops syn_in_ops = {
	.hook = syn_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING, .priority = 0,
};

/* Two sockets on lo connect to each other; their first SYNs are lost, the retransmitted
 * SYNs cross: each socket gets a SYN in SYN_SENT (-> SYN_RECV, SYN-ACK), then the
 * other's SYN-ACK, which RFC 5961's SYN check answers with a challenge ACK
 * (TCPSYNChallenge, as 3.10), and that ACK acknowledges the SYN: both ESTABLISHED, data
 * flows both ways. */
static void test_simultaneous_open(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 7001), b = ul_test_sin("127.0.0.1", 7002);
	unsigned long ch0 = nstat(LINUX_MIB_TCPSYNCHALLENGE);
	int fa, fb, err = -1;
	socklen_t el = sizeof(err);
	char buf[8];

	(void)state;
	fa = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	fb = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fa >= 0 && fb >= 0);
	assert_int_equal(ul_bind(fa, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_bind(fb, (struct sockaddr *)&b, sizeof(b)), 0);
	drop_syns = 2;
	synack_from_synrecv = 0;
	assert_int_equal(nf_register_hook(&syn_out_ops), 0);
	assert_int_equal(nf_register_hook(&syn_in_ops), 0);
	assert_int_equal(ul_connect(fa, (struct sockaddr *)&b, sizeof(b)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(ul_connect(fb, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(drop_syns, 0);
	assert_int_equal(sk_of(fa)->sk_state, TCP_SYN_SENT);
	assert_int_equal(sk_of(fb)->sk_state, TCP_SYN_SENT);
	/* The SYNs retransmit after 1 s (TCP_TIMEOUT_INIT), in the same jiffy. */
	ul_run_for(1100 * MS);
	nf_unregister_hook(&syn_in_ops);
	nf_unregister_hook(&syn_out_ops);
	assert_int_equal(sk_of(fa)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(sk_of(fb)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(synack_from_synrecv, 2);
	assert_int_equal(nstat(LINUX_MIB_TCPSYNCHALLENGE), ch0 + 2);
	assert_int_equal(ul_getsockopt(fa, SOL_SOCKET, SO_ERROR, &err, &el), 0);
	assert_int_equal(err, 0);
	assert_int_equal(ul_send(fa, "ping", 4, 0), 4);
	assert_int_equal(ul_send(fb, "pong", 4, 0), 4);
	ul_run_for(10 * MS);
	assert_int_equal(ul_recv(fb, buf, sizeof(buf), 0), 4);
	assert_int_equal(memcmp(buf, "ping", 4), 0);
	assert_int_equal(ul_recv(fa, buf, sizeof(buf), 0), 4);
	assert_int_equal(memcmp(buf, "pong", 4), 0);
	abort_close(fa);
	abort_close(fb);
}

/* A SYN in SYN_SENT from a crafted peer: SYN_RECV, our SYN again with ACK (same ISN,
 * acknowledging the peer's), the peer's ACK: ESTABLISHED, connect() done. */
static void test_simultaneous_open_crafted(void **state)
{
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(PEER_PORT) };
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(OUR_PORT) };
	u8 tcp[60], buf[200];
	struct tcphdr *th = (struct tcphdr *)tcp;
	const struct tcphdr *o;
	__be32 saddr = ipt_addr("10.0.0.2"), daddr = ipt_addr("10.0.0.1");
	static const u8 synopt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0,
				     1, 3, 3, 7 };
	unsigned int tlen = 20 + sizeof(synopt);
	struct sk_buff *skb;
	int fd;

	(void)state;
	peer.sin_addr.s_addr = saddr;
	me.sin_addr.s_addr = daddr;
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&peer, sizeof(peer)), -1);
	assert_int_equal(errno, EINPROGRESS);
	ul_run_for(MS);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, buf, sizeof(buf));
	kfree_skb(skb);
	o = (const struct tcphdr *)(buf + ((const struct iphdr *)buf)->ihl * 4);
	assert_true(o->syn && !o->ack);
	isn = ntohl(o->seq);

	/* The peer's own SYN (it connected too). */
	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(1000);
	th->doff = (u16)(tlen / 4) & 0xf;
	tcp[13] = TCPHDR_SYN;
	th->window = htons(65535);
	memcpy(tcp + 20, synopt, sizeof(synopt));
	tcp_peer_inject(t0, tcp, tlen, false);
	ul_run_for(MS);
	assert_int_equal(sk_of(fd)->sk_state, TCP_SYN_RECV);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	ipt_l3_copy(skb, buf, sizeof(buf));
	kfree_skb(skb);
	o = (const struct tcphdr *)(buf + ((const struct iphdr *)buf)->ihl * 4);
	assert_true(o->syn && o->ack);
	assert_int_equal(ntohl(o->seq), isn);
	assert_int_equal(ntohl(o->ack_seq), 1001);
	our_ts = be32_at((const u8 *)o + 20 + 8);
	assert_int_equal(tcp_sk(sk_of(fd))->rcv_nxt, 1001);
	/* The peer's ACK of our SYN. */
	peer_tsval = 100;
	rx_ack(0, NULL, 0);
	ul_run_for(MS);
	assert_int_equal(sk_of(fd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(tcp_sk(sk_of(fd))->snd_una, isn + 1);
	assert_int_equal(tcp_sk(sk_of(fd))->rx_opt.tstamp_ok, 1);
	assert_int_equal(tcp_sk(sk_of(fd))->rx_opt.snd_wscale, 7);
	abort_close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sysctls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_er_quick_2pkt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_er_quick_3pkt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_er_delayed_2pkt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_er_delayed_3pkt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_er_off_and_4pkt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_er_disabled_by_reordering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlp_dupack_and_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frto_spurious, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frto_real_loss_and_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_retransmit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_retransmit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_open_crafted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
