/* SPDX-License-Identifier: MIT */
/* CUBIC congestion control with HyStart, the default algorithm of Linux 3.10.
 * Mirrors linux/net/ipv4/tcp_cubic.c (3.10): struct bictcp, bictcp_reset, bictcp_clock,
 * bictcp_hystart_reset, bictcp_init, cubic_root, bictcp_update, bictcp_cong_avoid,
 * bictcp_recalc_ssthresh, bictcp_undo_cwnd, bictcp_state, hystart_update, bictcp_acked,
 * cubictcp, cubictcp_register.
 *
 * CUBIC (Ha, Rhee, Xu; RFC 8312) grows the window as a cubic function of the real time
 * since the last loss, not of the number of RTTs: W(t) = C (t - K)^3 + W_max, with
 * C = 0.4 (bic_scale 41 * 10 / 1024: 3.10 folds a 100 ms reference RTT into the scale),
 * K = cbrt(W_max (1 - beta) / C) the time to climb back to W_max, beta = 717/1024
 * (about 0.7) the multiplicative decrease. The window is concave below W_max, flat around
 * it, convex beyond (probing). Where standard TCP would be faster (small W_max, short RTT)
 * the "TCP-friendly" estimate tcp_cwnd (AIMD with the same average rate as Reno at this
 * beta) takes over. HyStart (Ha, Rhee, 2008) leaves slow start before the first loss when
 * the ACKs of a round arrive as a long train or the round's minimum RTT grows.
 *
 * Units: time in jiffies (HZ = 1000: ms) and in 1/1024 s (BICTCP_HZ) for the cubic; delays
 * in ms << 3. The module parameters of 3.10 (/sys/module/tcp_cubic/parameters) are the
 * static ints below with 3.10's defaults.
 * Context of every op: socket locked (softirq or process). */
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "net/tcp.h"
#include "net/tcp_cong.h"

#ifndef USEC_PER_MSEC
#define USEC_PER_MSEC		1000L
#endif

#define BICTCP_BETA_SCALE	1024	/* Scale factor beta calculation max_cwnd = snd_cwnd * beta */
#define BICTCP_HZ		10	/* BIC HZ 2^10 = 1024 */

/* Two methods of hybrid slow start */
#define HYSTART_ACK_TRAIN	0x1
#define HYSTART_DELAY		0x2

/* Number of delay samples for detecting the increase of delay */
#define HYSTART_MIN_SAMPLES	8
#define HYSTART_DELAY_MIN	(4U << 3)	/* 4 ms */
#define HYSTART_DELAY_MAX	(16U << 3)	/* 16 ms */
#define HYSTART_DELAY_THRESH(x)	clamp(x, HYSTART_DELAY_MIN, HYSTART_DELAY_MAX)

static int fast_convergence = 1;
static int beta = 717;		/* = 717/1024 (BICTCP_BETA_SCALE) */
static int initial_ssthresh;
static int bic_scale = 41;
static int tcp_friendliness = 1;

static int hystart = 1;
static int hystart_detect = HYSTART_ACK_TRAIN | HYSTART_DELAY;
static int hystart_low_window = 16;
static int hystart_ack_delta = 2;	/* ms */

/* Computed once by cubictcp_register from the parameters above. */
static u32 cube_rtt_scale;
static u32 beta_scale;
static u64 cube_factor;

/* BIC TCP Parameters (in icsk_ca_priv) */
struct bictcp {
	u32 cnt;		/* increase cwnd by 1 after ACKs */
	u32 last_max_cwnd;	/* last maximum snd_cwnd */
	u32 loss_cwnd;		/* congestion window at last loss */
	u32 last_cwnd;		/* the last snd_cwnd */
	u32 last_time;		/* time when updated last_cwnd */
	u32 bic_origin_point;	/* origin point of bic function */
	u32 bic_K;		/* time to origin point from the beginning of the current epoch */
	u32 delay_min;		/* min delay (msec << 3) */
	u32 epoch_start;	/* beginning of an epoch */
	u32 ack_cnt;		/* number of acks */
	u32 tcp_cwnd;		/* estimated tcp cwnd */
#define ACK_RATIO_SHIFT	4
#define ACK_RATIO_LIMIT	(32u << ACK_RATIO_SHIFT)
	u16 delayed_ack;	/* estimate the ratio of Packets/ACKs << 4 */
	u8 sample_cnt;		/* number of samples to decide curr_rtt */
	u8 found;		/* the exit point is found? */
	u32 round_start;	/* beginning of each round */
	u32 end_seq;		/* end_seq of the round */
	u32 last_ack;		/* last time when the ACK spacing is close */
	u32 curr_rtt;		/* the minimum rtt of current round */
};
_Static_assert(sizeof(struct bictcp) <= ICSK_CA_PRIV_SIZE, "bictcp must fit icsk_ca_priv");

static inline void bictcp_reset(struct bictcp *ca)
{
	ca->cnt = 0;
	ca->last_max_cwnd = 0;
	ca->last_cwnd = 0;
	ca->last_time = 0;
	ca->bic_origin_point = 0;
	ca->bic_K = 0;
	ca->delay_min = 0;
	ca->epoch_start = 0;
	ca->delayed_ack = 2 << ACK_RATIO_SHIFT;	/* assume one ACK per two segments */
	ca->ack_cnt = 0;
	ca->tcp_cwnd = 0;
	ca->found = 0;
}

/* HyStart needs a millisecond clock: with HZ = 1000 the jiffies are one. */
static inline u32 bictcp_clock(void)
{
	return jiffies_to_msecs(jiffies);
}

/* A new round of HyStart starts now and ends when snd_nxt is ACKed. */
static inline void bictcp_hystart_reset(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	ca->round_start = ca->last_ack = bictcp_clock();
	ca->end_seq = tp->snd_nxt;
	ca->curr_rtt = 0;
	ca->sample_cnt = 0;
}

static void bictcp_init(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);

	bictcp_reset(ca);
	ca->loss_cwnd = 0;

	if (hystart)
		bictcp_hystart_reset(sk);

	if (!hystart && initial_ssthresh)
		tcp_sk(sk)->snd_ssthresh = (u32)initial_ssthresh;
}

/* round(64 * cbrt(i)) for i in 0..63: a first guess good to 6 bits. */
static const u8 cbrt_tab[64] = {
	0,   64,  81,  92,  102, 109, 116, 122,
	128, 133, 138, 142, 147, 150, 154, 158,
	161, 165, 168, 171, 174, 177, 179, 182,
	185, 187, 190, 192, 194, 197, 199, 201,
	203, 205, 207, 209, 211, 213, 215, 217,
	219, 221, 222, 224, 226, 228, 229, 231,
	233, 234, 236, 237, 239, 240, 242, 243,
	245, 246, 248, 249, 251, 252, 253, 255,
};

/* The cube root of @a, to within about 0.1% (1 for small @a), without floating point: the
 * table gives cbrt of the top 4..6 bits of @a (cut at a multiple of 3 bits, so the root
 * just shifts by a third of that), then two Newton steps x' = (2x + a/x^2) / 3 refine it.
 * The same approach as 3.10's cubic_root (a table, then Newton-Raphson); its own table. */
u32 cubic_root(u64 a)
{
	u32 b, k;
	u64 x;
	int i;

	if (a < 64)
		return ((u32)cbrt_tab[a] + 32) >> 6;

	b = 64 - (u32)__builtin_clzll(a);	/* fls64: bits in a, here >= 7 */
	k = (b - 6 + 2) / 3;			/* drop 3k bits: a >> 3k has 4..6 bits */
	x = ((u64)cbrt_tab[a >> (3 * k)] << k) >> 6;	/* >= 4 since a >> 3k >= 8 */
	for (i = 0; i < 2; i++)
		x = (2 * x + a / (x * x)) / 3;
	return (u32)x;
}

/* Compute congestion window to use: ca->cnt, the number of ACKs after which cwnd grows by
 * one, so that cwnd follows the cubic (or the TCP-friendly estimate when that is larger). */
static inline void bictcp_update(struct bictcp *ca, u32 cwnd)
{
	u32 delta, bic_target, max_cnt;
	u64 offs, t;

	ca->ack_cnt++;	/* count the number of ACKs */

	/* At most once per 1/32 s unless cwnd changed: the cubic needs no finer grain. */
	if (ca->last_cwnd == cwnd && (s32)(tcp_time_stamp - ca->last_time) <= HZ / 32)
		return;

	ca->last_cwnd = cwnd;
	ca->last_time = tcp_time_stamp;

	if (ca->epoch_start == 0) {
		ca->epoch_start = tcp_time_stamp;	/* record the beginning of an epoch */
		ca->ack_cnt = 1;			/* start counting */
		ca->tcp_cwnd = cwnd;			/* syn with cubic */

		if (ca->last_max_cwnd <= cwnd) {
			ca->bic_K = 0;
			ca->bic_origin_point = cwnd;
		} else {
			/* Compute new K based on (wmax-cwnd) * (srtt>>3 / HZ) / c * 2^(3*bictcp_HZ) */
			ca->bic_K = cubic_root(cube_factor * (ca->last_max_cwnd - cwnd));
			ca->bic_origin_point = ca->last_max_cwnd;
		}
	}

	/* cubic function - calc: c * time^3, in 64 bits (no overflow for cwnd < 1 million
	 * packets). Units: time = (t - K) / 2^bictcp_HZ, c = bic_scale >> 10. The time
	 * counts from one minimum RTT ahead: cwnd set now is used one RTT later. */
	t = (u64)(s64)(s32)(tcp_time_stamp - ca->epoch_start);	/* >= 0: epoch is past */
	t += msecs_to_jiffies(ca->delay_min >> 3);
	/* change the unit from HZ to bictcp_HZ */
	t <<= BICTCP_HZ;
	t /= HZ;

	if (t < ca->bic_K)	/* t - K */
		offs = ca->bic_K - t;
	else
		offs = t - ca->bic_K;

	/* c/rtt * (t-K)^3 */
	delta = (u32)((cube_rtt_scale * offs * offs * offs) >> (10 + 3 * BICTCP_HZ));
	if (t < ca->bic_K)	/* below origin */
		bic_target = ca->bic_origin_point - delta;
	else			/* above origin */
		bic_target = ca->bic_origin_point + delta;

	/* cubic function - calc bictcp_cnt */
	if (bic_target > cwnd)
		ca->cnt = cwnd / (bic_target - cwnd);
	else
		ca->cnt = 100 * cwnd;	/* very small increment */

	/* The initial growth of cubic function may be too conservative when the available
	 * bandwidth is still unknown. */
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;	/* increase cwnd 5% per RTT */

	/* TCP Friendly: tcp_cwnd grows as AIMD with CUBIC's beta would, one segment per
	 * cwnd * beta_scale / 8 ACKs (3 (1 - beta) / (1 + beta) segments per RTT). */
	if (tcp_friendliness) {
		u32 scale = beta_scale;

		delta = (cwnd * scale) >> 3;
		if (!delta)
			delta = 1;	/* DIVERGES: a cwnd of 0 would loop forever */
		while (ca->ack_cnt > delta) {	/* update tcp cwnd */
			ca->ack_cnt -= delta;
			ca->tcp_cwnd++;
		}

		if (ca->tcp_cwnd > cwnd) {	/* if bic is slower than tcp */
			delta = ca->tcp_cwnd - cwnd;
			max_cnt = cwnd / delta;
			if (ca->cnt > max_cnt)
				ca->cnt = max_cnt;
		}
	}

	/* Per ACK, not per segment: an ACK that covers two segments counts twice.
	 * DIVERGES: a socket whose ->init has not run yet (icsk_ca_priv zeroed by
	 * tcp_assign_congestion_control) gets init's ratio instead of a division by zero. */
	if (unlikely(!ca->delayed_ack))
		ca->delayed_ack = 2 << ACK_RATIO_SHIFT;
	ca->cnt = (ca->cnt << ACK_RATIO_SHIFT) / ca->delayed_ack;
	if (ca->cnt == 0)	/* cannot be zero */
		ca->cnt = 1;
}

static void bictcp_cong_avoid(struct sock *sk, u32 ack, u32 in_flight)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	if (!tcp_is_cwnd_limited(sk, in_flight))
		return;

	if (tp->snd_cwnd <= tp->snd_ssthresh) {
		if (hystart && after(ack, ca->end_seq))
			bictcp_hystart_reset(sk);
		tcp_slow_start(tp);
	} else {
		bictcp_update(ca, tp->snd_cwnd);
		tcp_cong_avoid_ai(tp, ca->cnt);
	}
}

/* A loss: remember W_max (less, with fast convergence, when this loss came below the last
 * one: another flow is taking bandwidth, so give some back), end the epoch, and cut to
 * cwnd * beta. */
static u32 bictcp_recalc_ssthresh(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	ca->epoch_start = 0;	/* end of epoch */

	/* Wmax and fast convergence */
	if (tp->snd_cwnd < ca->last_max_cwnd && fast_convergence)
		ca->last_max_cwnd = (tp->snd_cwnd * (BICTCP_BETA_SCALE + (u32)beta)) /
				    (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = tp->snd_cwnd;

	ca->loss_cwnd = tp->snd_cwnd;

	return max((tp->snd_cwnd * (u32)beta) / BICTCP_BETA_SCALE, 2U);
}

/* The loss was spurious: back to the window before it. */
static u32 bictcp_undo_cwnd(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);

	return max(tcp_sk(sk)->snd_cwnd, ca->loss_cwnd);
}

/* A timeout (Loss state) forgets the curve and starts HyStart afresh. */
static void bictcp_state(struct sock *sk, u8 new_state)
{
	if (new_state == TCP_CA_Loss) {
		bictcp_reset(inet_csk_ca(sk));
		bictcp_hystart_reset(sk);
	}
}

/* One RTT sample in slow start: exit (ssthresh = cwnd) when the ACKs of this round have
 * come as one train (each within hystart_ack_delta of the last) for longer than half the
 * minimum RTT (delay_min >> 4: delay_min is ms << 3), or when the round's minimum RTT over
 * its first 8 samples exceeds the path's minimum by delay_min/16, clamped to 4..16 ms. */
static void hystart_update(struct sock *sk, u32 delay)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	if (!(ca->found & hystart_detect)) {
		u32 now = bictcp_clock();

		/* first detection parameter - ack-train detection */
		if ((s32)(now - ca->last_ack) <= hystart_ack_delta) {
			ca->last_ack = now;
			if ((s32)(now - ca->round_start) > (s32)(ca->delay_min >> 4))
				ca->found |= HYSTART_ACK_TRAIN;
		}

		/* obtain the minimum delay of more than sampling packets */
		if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
			if (ca->curr_rtt == 0 || ca->curr_rtt > delay)
				ca->curr_rtt = delay;

			ca->sample_cnt++;
		} else {
			if (ca->curr_rtt > ca->delay_min + HYSTART_DELAY_THRESH(ca->delay_min >> 4))
				ca->found |= HYSTART_DELAY;
		}
		/* Either one of two conditions are met, we exit from slow start immediately. */
		if (ca->found & hystart_detect)
			tp->snd_ssthresh = tp->snd_cwnd;
	}
}

/* Track delayed acknowledgment ratio using sliding window ratio = (15*ratio + sample) / 16,
 * and the minimum RTT (delay_min) that HyStart and the cubic's time offset use.
 * @cnt segments were acked; @rtt_us < 0: no sample. */
static void bictcp_acked(struct sock *sk, u32 cnt, s32 rtt_us)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	u32 delay;

	if (icsk->icsk_ca_state == TCP_CA_Open) {
		u32 ratio = ca->delayed_ack;

		ratio -= ca->delayed_ack >> ACK_RATIO_SHIFT;
		ratio += cnt;

		/* DIVERGES: 3.10 took min(ratio, LIMIT); the lower bound of 1 (3.15) keeps
		 * bictcp_update from dividing by zero. */
		ca->delayed_ack = (u16)clamp(ratio, 1U, ACK_RATIO_LIMIT);
	}

	/* Some calls are for duplicates without timetamps */
	if (rtt_us < 0)
		return;

	/* Discard delay samples right after fast recovery */
	if (ca->epoch_start && (s32)(tcp_time_stamp - ca->epoch_start) < HZ)
		return;

	delay = (u32)(((u64)rtt_us << 3) / USEC_PER_MSEC);
	if (delay == 0)
		delay = 1;

	/* first time call or link delay decreases */
	if (ca->delay_min == 0 || ca->delay_min > delay)
		ca->delay_min = delay;

	/* hystart triggers when cwnd is larger than some threshold */
	if (hystart && tp->snd_cwnd <= tp->snd_ssthresh &&
	    tp->snd_cwnd >= (u32)hystart_low_window)
		hystart_update(sk, delay);
}

struct tcp_congestion_ops cubictcp = {
	.init = bictcp_init,
	.ssthresh = bictcp_recalc_ssthresh,
	.cong_avoid = bictcp_cong_avoid,
	.set_state = bictcp_state,
	.undo_cwnd = bictcp_undo_cwnd,
	.pkts_acked = bictcp_acked,
	.name = "cubic",
};

/* Precompute the scaling factors used per packet, based on an SRTT of 100 ms, then
 * register. Called by tcp_cong_init at every boot (3.10: module_init). */
int cubictcp_register(void)
{
	cubictcp.flags = 0;	/* a previous stack may have made it the allowed default */

	beta_scale = 8 * (BICTCP_BETA_SCALE + (u32)beta) / 3 / (BICTCP_BETA_SCALE - (u32)beta);

	cube_rtt_scale = (u32)bic_scale * 10;	/* 1024*c/rtt */

	/* calculate the "K" for (wmax-cwnd) = c/rtt * K^3, so K = cubic_root((wmax-cwnd)*rtt/c);
	 * the unit of K is bictcp_HZ = 2^10, not HZ. c = bic_scale >> 10, rtt = 100 ms.
	 * Designed for cwnd < 1 million packets, RTT < 100 seconds. */

	/* 1/c * 2^2*bictcp_HZ * srtt */
	cube_factor = 1ull << (10 + 3 * BICTCP_HZ);	/* 2^40 */

	/* divide by bic_scale and by constant Srtt (100ms) */
	cube_factor /= (u64)bic_scale * 10;

	/* hystart needs ms clock resolution (3.10 asks for rtt stamps when HZ < 1000) */
	if (hystart && HZ < 1000)
		cubictcp.flags |= TCP_CONG_RTT_STAMP;

	return tcp_register_congestion_control(&cubictcp);
}
