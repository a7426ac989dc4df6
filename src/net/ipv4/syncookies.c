/* SPDX-License-Identifier: MIT */
/* SYN cookies: when a listener's SYN queue is full, the SYN-ACK's sequence number carries
 * the connection's state (a keyed hash of the 4-tuple, a minute counter and the MSS
 * index), and the ACK that comes back rebuilds the request from it.
 * Mirrors linux/net/ipv4/syncookies.c (3.10): syncookie_secret, init_syncookies,
 * cookie_hash, secure_tcp_syn_cookie, check_tcp_syn_cookie, msstab,
 * cookie_v4_init_sequence, cookie_check (here __cookie_v4_check, its later name),
 * get_cookie_sock, cookie_init_timestamp, cookie_check_timestamp, cookie_v4_check; and the
 * SHA-1 block function of lib/sha1.c (sha_transform), written from FIPS 180-1.
 *
 * Book ch6 ("SYN flood"): with net.ipv4.tcp_syncookies=1 (3.10 knows only 0 and 1) a full
 * SYN queue no longer drops SYNs: tcp_v4_conn_request answers with a cookie and forgets the
 * request; tcp_v4_hnd_req hands an ACK that matches no request to cookie_v4_check.
 * Context: softirq, listener locked. */
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "net/inet_connection_sock.h"
#include "net/route.h"
#include "net/tcp.h"

/* ---- SHA-1 (FIPS 180-1), one 64-byte block ---- */

#define SHA_DIGEST_WORDS	5
#define SHA_WORKSPACE_WORDS	16

static inline u32 sha_rol32(u32 x, unsigned int s)
{
	return (x << s) | (x >> (32 - s));
}

/* Mix the 64 bytes at @data (16 big-endian words) into @digest; @array is scratch space of
 * SHA_WORKSPACE_WORDS words (the 80-word schedule is kept as a rolling window of 16). */
static void sha_transform(u32 *digest, const u8 *data, u32 *array)
{
	u32 a = digest[0], b = digest[1], c = digest[2], d = digest[3], e = digest[4];
	unsigned int t;

	for (t = 0; t < 16; t++)
		array[t] = (u32)data[4 * t] << 24 | (u32)data[4 * t + 1] << 16 |
			   (u32)data[4 * t + 2] << 8 | data[4 * t + 3];
	for (t = 0; t < 80; t++) {
		u32 w, f, k, tmp;

		if (t < 16) {
			w = array[t];
		} else {
			w = sha_rol32(array[(t + 13) & 15] ^ array[(t + 8) & 15] ^
				      array[(t + 2) & 15] ^ array[t & 15], 1);
			array[t & 15] = w;
		}
		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		tmp = sha_rol32(a, 5) + f + e + k + w;
		e = d;
		d = c;
		c = sha_rol32(b, 30);
		b = a;
		a = tmp;
	}
	digest[0] += a;
	digest[1] += b;
	digest[2] += c;
	digest[3] += d;
	digest[4] += e;
}

/* ---- the cookie ---- */

#define COOKIEBITS 24	/* Upper bits store count */
#define COOKIEMASK (((__u32)1 << COOKIEBITS) - 1)

/* Two keys of 12 message words plus the 5 words the SHA-1 state starts from. Per boot. */
static u32 syncookie_secret[2][16 - 4 + SHA_DIGEST_WORDS];

/* 3.10: __initcall(init_syncookies). ulnet: from tcp_init, each boot (seeded, so a run is
 * the same every time). */
void init_syncookies(void)
{
	get_random_bytes(syncookie_secret, (int)sizeof(syncookie_secret));
}

/* Timestamps: the low TSBITS bits of the SYN-ACK's tsval carry the options. */
#define TSBITS 6
#define TSMASK (((__u32)1 << TSBITS) - 1)

/* DIVERGES: 3.10 keeps the scratch block per CPU; here it is on the stack. */
static u32 cookie_hash(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 count,
		       int c)
{
	u32 tmp[16 + 5 + SHA_WORKSPACE_WORDS];

	memcpy(tmp + 4, syncookie_secret[c], sizeof(syncookie_secret[c]));
	tmp[0] = (u32)saddr;
	tmp[1] = (u32)daddr;
	tmp[2] = ((u32)sport << 16) + (u32)dport;
	tmp[3] = count;
	sha_transform(tmp + 16, (const u8 *)tmp, tmp + 16 + 5);
	return tmp[17];
}

/* When syncookies are in effect and tcp timestamps are enabled we encode tcp options in
 * the lower bits of the timestamp value that will be sent in the syn-ack. Since subsequent
 * timestamps use the normal tcp_time_stamp value, we must make sure that the resulting
 * initial timestamp is <= tcp_time_stamp. Bits: 0-3 snd_wscale (0xf: none), 4 SACK,
 * 5 ECN. */
__u32 cookie_init_timestamp(struct request_sock *req)
{
	const struct inet_request_sock *ireq = inet_rsk(req);
	u32 ts, ts_now = tcp_time_stamp;
	u32 options;

	options = ireq->wscale_ok ? ireq->snd_wscale : 0xf;
	options |= (u32)ireq->sack_ok << 4;
	options |= (u32)ireq->ecn_ok << 5;

	ts = ts_now & ~TSMASK;
	ts |= options;
	if (ts > ts_now) {
		ts >>= TSBITS;
		ts--;
		ts <<= TSBITS;
		ts |= options;
	}
	return ts;
}

/* HASH(sec1, 4-tuple) + sseq + (count << 24) + ((HASH(sec2, 4-tuple, count) + data) % 2^24):
 * sseq is the peer's ISN, count the minute counter, data the MSS index. */
static __u32 secure_tcp_syn_cookie(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
				   __u32 sseq, __u32 count, __u32 data)
{
	return cookie_hash(saddr, daddr, sport, dport, 0, 0) + sseq + (count << COOKIEBITS) +
	       ((cookie_hash(saddr, daddr, sport, dport, count, 1) + data) & COOKIEMASK);
}

/* The "data" value of @cookie, or a value out of range when the cookie is bad. The minute
 * counter it was made with must be within @maxdiff of @count; (__u32)-1 otherwise. */
static __u32 check_tcp_syn_cookie(__u32 cookie, __be32 saddr, __be32 daddr, __be16 sport,
				  __be16 dport, __u32 sseq, __u32 count, __u32 maxdiff)
{
	__u32 diff;

	/* Strip away the layers from the cookie */
	cookie -= cookie_hash(saddr, daddr, sport, dport, 0, 0) + sseq;

	/* Cookie is now reduced to (count * 2^24) ^ (hash % 2^24) */
	diff = (count - (cookie >> COOKIEBITS)) & ((__u32)-1 >> COOKIEBITS);
	if (diff >= maxdiff)
		return (__u32)-1;

	return (cookie - cookie_hash(saddr, daddr, sport, dport, count - diff, 1)) &
	       COOKIEMASK;	/* Leaving the data behind */
}

/* MSS values of 3.10, from "Measuring TCP Maximum Segment Size" (Alcock, Nelson, 2009):
 * 1440-1460 were 80% of the MSS seen, values outside 536-1460 rare. Sorted. */
static const __u16 msstab[] = {
	64,
	512,
	536,
	1024,
	1440,
	1460,
	4312,
	8960,
};

/* The minute counter: jiffies / (HZ * 60). */
static inline u32 syncookie_count(void)
{
	return (u32)(jiffies / (HZ * 60));
}

/* Generate a syncookie for the SYN @skb. *@mssp is the peer's MSS, rounded down to the
 * msstab value the cookie encodes. Counts SyncookiesSent. */
__u32 cookie_v4_init_sequence(struct sock *sk, struct sk_buff *skb, __u16 *mssp)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	const __u16 mss = *mssp;
	int mssind;

	tcp_synq_overflow(sk);

	for (mssind = ARRAY_SIZE(msstab) - 1; mssind; mssind--)
		if (mss >= msstab[mssind])
			break;
	*mssp = msstab[mssind];

	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_SYNCOOKIESSENT);

	return secure_tcp_syn_cookie(iph->saddr, iph->daddr, th->source, th->dest,
				     ntohl(th->seq), syncookie_count(), (u32)mssind);
}

/* This (misnamed) value is the age of syncookie which is permitted. Its ideal value should
 * be dependent on TCP_TIMEOUT_INIT and sysctl_tcp_retries1. It's a rather complicated
 * formula (exponential backoff) to compute at runtime so it's currently hardcoded here. */
#define COUNTER_TRIES 4

/* Is @cookie (the ACK's ack_seq - 1) a cookie we made for this ACK's 4-tuple and ISN?
 * Returns the MSS it encodes, or 0. (3.10: cookie_check, static.) */
int __cookie_v4_check(const struct iphdr *iph, const struct tcphdr *th, u32 cookie)
{
	__u32 seq = ntohl(th->seq) - 1;
	__u32 mssind = check_tcp_syn_cookie(cookie, iph->saddr, iph->daddr, th->source,
					    th->dest, seq, syncookie_count(), COUNTER_TRIES);

	return mssind < ARRAY_SIZE(msstab) ? msstab[mssind] : 0;
}

static inline struct sock *get_cookie_sock(struct sock *sk, struct sk_buff *skb,
					   struct request_sock *req, struct dst_entry *dst)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sock *child;

	child = icsk->icsk_af_ops->syn_recv_sock(sk, skb, req, dst);
	if (child)
		inet_csk_reqsk_queue_add(sk, req, child);
	else
		reqsk_free(req);
	return child;
}

/* When syncookies are in effect and tcp timestamps are enabled we stored additional tcp
 * options in the timestamp. This extracts these options from the timestamp echo: the
 * lowest 4 bits store snd_wscale, the next 2 bits SACK and ECN support. Returns false if
 * we decode an option that should not be. */
bool cookie_check_timestamp(struct tcp_options_received *tcp_opt, struct net *net,
			    bool *ecn_ok)
{
	/* echoed timestamp, lowest bits contain options */
	u32 options = tcp_opt->rcv_tsecr & TSMASK;

	(void)net;
	if (!tcp_opt->saw_tstamp) {
		tcp_clear_options(tcp_opt);
		return true;
	}
	if (!sysctl_tcp_timestamps)
		return false;

	tcp_opt->sack_ok = (options & (1 << 4)) ? 1 : 0;	/* TCP_SACK_SEEN */
	*ecn_ok = (options >> 5) & 1;
	/* DIVERGES: ulnet does not negotiate ECN (as tcp_ecn=0): an ECN bit is refused. */
	if (*ecn_ok)
		return false;
	if (tcp_opt->sack_ok && !sysctl_tcp_sack)
		return false;
	if ((options & 0xf) == 0xf)
		return true;	/* no window scaling */
	tcp_opt->wscale_ok = 1;
	tcp_opt->snd_wscale = options & 0xf;
	return sysctl_tcp_window_scaling != 0;
}

/* An ACK for listener @sk that matches no request: if it carries a valid cookie, rebuild
 * the request and make the child (returned locked, as tcp_check_req's). Returns @sk to let
 * the listener answer (RST) when it is no cookie, NULL to drop the segment. */
struct sock *cookie_v4_check(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_options_received tcp_opt;
	struct inet_request_sock *ireq;
	struct tcp_request_sock *treq;
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	__u32 cookie = ntohl(th->ack_seq) - 1;
	struct sock *ret = sk;
	struct request_sock *req;
	int mss;
	struct rtable *rt;
	__u8 rcv_wscale;
	bool ecn_ok = false;
	struct flowi4 fl4;

	if (!sysctl_tcp_syncookies || !th->ack || th->rst)
		goto out;

	if (tcp_synq_no_recent_overflow(sk) ||
	    (mss = __cookie_v4_check(ip_hdr(skb), th, cookie)) == 0) {
		NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_SYNCOOKIESFAILED);
		goto out;
	}

	NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_SYNCOOKIESRECV);

	/* check for timestamp cookie support */
	memset(&tcp_opt, 0, sizeof(tcp_opt));
	tcp_parse_options(skb, &tcp_opt, 0);

	if (!cookie_check_timestamp(&tcp_opt, sock_net(sk), &ecn_ok))
		goto out;

	ret = NULL;
	req = reqsk_alloc(&tcp_request_sock_ops); /* for safety */
	if (!req)
		goto out;

	ireq = inet_rsk(req);
	treq = tcp_rsk(req);
	treq->rcv_isn = ntohl(th->seq) - 1;
	treq->snt_isn = cookie;
	req->mss = (u16)mss;
	ireq->loc_port = ntohs(th->dest);
	ireq->rmt_port = th->source;
	ireq->loc_addr = ip_hdr(skb)->daddr;
	ireq->rmt_addr = ip_hdr(skb)->saddr;
	ireq->ecn_ok = ecn_ok;
	ireq->snd_wscale = tcp_opt.snd_wscale;
	ireq->sack_ok = tcp_opt.sack_ok;
	ireq->wscale_ok = tcp_opt.wscale_ok;
	ireq->tstamp_ok = tcp_opt.saw_tstamp;
	req->ts_recent = tcp_opt.saw_tstamp ? tcp_opt.rcv_tsval : 0;
	treq->snt_synack = tcp_opt.saw_tstamp ? tcp_opt.rcv_tsecr : 0;
	/* We threw the options of the initial SYN away, so we hope the ACK carries the same
	 * options again (see RFC1122 4.2.3.8). DIVERGES: IP options are not echoed (the
	 * request path does not save them either). */
	ireq->opt = NULL;

	req->expires = 0UL;
	req->num_retrans = 0;

	/* We need to lookup the route here to get at the correct window size. We should
	 * better make sure that the window size hasn't changed since we received the original
	 * syn, but I see no easy way to do this. */
	flowi4_init_output(&fl4, sk->sk_bound_dev_if, sk->sk_mark, RT_TOS(inet_sk(sk)->tos),
			   RT_SCOPE_UNIVERSE, IPPROTO_TCP, 0, ireq->rmt_addr, ireq->loc_addr,
			   th->source, th->dest);
	rt = ip_route_output_key(sock_net(sk), &fl4);
	if (IS_ERR(rt)) {
		reqsk_free(req);
		goto out;
	}

	/* Try to redo what tcp_v4_send_synack did. */
	req->window_clamp = tp->window_clamp ? : dst_metric(&rt->dst, RTAX_WINDOW);

	tcp_select_initial_window(tcp_full_space(sk), req->mss, &req->rcv_wnd,
				  &req->window_clamp, ireq->wscale_ok, &rcv_wscale,
				  dst_metric(&rt->dst, RTAX_INITRWND));
	ireq->rcv_wscale = rcv_wscale;

	ret = get_cookie_sock(sk, skb, req, &rt->dst);
	/* (3.10 copies fl4 into the child's inet->cork.fl here for ip_queue_xmit; ulnet's
	 * tcp_transmit_skb builds that flow from the child's addresses: see struct
	 * inet_dgram.) */
out:
	return ret;
}
