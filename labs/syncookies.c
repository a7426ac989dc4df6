/* SPDX-License-Identifier: MIT */
/* The SYN flood lab (book ch9's advice "turn syncookies on", ch6's SYN queue): spoofed SYNs
 * fill a small listener's SYN queue; with tcp_syncookies=0 a real client's SYNs are dropped
 * and its connect() retries, with tcp_syncookies=1 the listener answers with a cookie and the
 * client connects without a slot in the queue.
 * Mirrors no kernel file: an experiment on net/ipv4/tcp_ipv4.c (tcp_v4_conn_request,
 * tcp_syn_flood_action, tcp_v4_hnd_req) and net/ipv4/syncookies.c (cookie_v4_init_sequence,
 * cookie_v4_check). Context: the lab's thread drives the sim clock. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/etherdevice.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "net/hw.h"
#include "net/net_namespace.h"
#include "net/tcp.h"
#include "uapi/linux/in.h"
#include "uapi/linux/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define SC_BACKLOG   8		/* SYN table: roundup_pow_of_two(8 + 1) = 16 entries */
#define SC_BURST     32		/* spoofed SYNs at the start: the queue full at once */
#define SC_PER_STEP  10		/* then 10 every 10 ms: 1,000 SYNs/s */
#define SC_STEP	     (10 * LAB_MS)
#define SC_LEGIT_AT  (500 * LAB_MS)	/* the real client connects 0.5 s into the flood */
#define SC_FLOOD_OFF (4 * LAB_SEC)	/* run 1: long enough for the client's SYNs at +0, 1, 3 s */
#define SC_FLOOD_ON  (1 * LAB_SEC)
#define SC_MAXSEGS   8192

/* One spoofed SYN (198.18.x.y, the benchmarking range, which nobody answers from) to
 * 10.0.0.2:@dport, with an MSS option of 1460 and a correct checksum, as hping3 -S
 * --rand-source sends. Returns the frame length. */
static unsigned int sc_syn_frame(u8 *buf, const u8 *mac, unsigned int i, int dport)
{
	static const u8 mss_opt[TCPOLEN_MSS] = { TCPOPT_MSS, TCPOLEN_MSS, 1460 >> 8, 1460 & 0xff };
	struct lab_tcp_frame f = {
		.dst_mac = mac, .src_mac_last = 0x66,
		.saddr = htonl(0xc6120000u | (i & 0xffffu)), .daddr = htonl(0x0a000002),
		.ip_id = (u16)i, .sport = (u16)(1024 + (i * 7919u) % 60000u), .dport = (u16)dport,
		.window = 29200, .seq = i * 2654435761u, .syn = true,
		.opts = mss_opt, .optlen = sizeof(mss_opt),
	};

	return lab_tcp_frame(buf, &f);
}

/* One run: a flood on hostb:@port with tcp_syncookies=@cookies, the real client in it. */
struct sc_run {
	int port, cookies;
	u64 flood_ns;
	/* results */
	int flood_sent, syn, syn_max, acc, state, syns, afd, mss;
	u64 t_connect, t_estab;		/* virtual ns (ul_now_ns) of connect() and of the
					 * client's handshake ACK (0: never) */
	u64 syn_t[8];			/* the client's SYNs, since its connect() */
	long long qfull_drop, drops, do_cookies, sent, recv, failed, retrans;
	bool echoed;
};

static unsigned int sc_flood_seq;	/* spoofed sources across runs: fresh 4-tuples */

static long long sc_nstat(const char *ns, const char *name)
{
	return lab_counter(ns, "nstat %s", name);
}

/* The client's SYNs (not SYN-ACKs) in the recorded segments from @from on, and the time of
 * its first ACK after them (the handshake's third segment: ESTABLISHED). */
static int sc_client_syns(struct sc_run *r, const struct lab_seg *segs, int n, int from)
{
	__be32 a = htonl(0x0a000001);
	int i, k = 0;

	for (i = from; i < n; i++) {
		if (segs[i].saddr != a || segs[i].dport != r->port)
			continue;
		if ((segs[i].flags & TCPHDR_SYN) && !(segs[i].flags & TCPHDR_ACK)) {
			if (k < (int)ARRAY_SIZE(r->syn_t))
				r->syn_t[k] = segs[i].t - r->t_connect;
			k++;
		} else if (k && (segs[i].flags & TCPHDR_ACK) && !r->t_estab) {
			r->t_estab = segs[i].t;
		}
	}
	return k;
}

static int sc_flood(struct ul_lab_ctx *ctx, struct hw_nic *nic, const u8 *mac, struct sc_run *r,
		    struct lab_seg *segs, int *nsegs)
{
	static const char *const grep_ss[] = { "State", "SYN-RECV", "SYN-SENT", "ESTAB", NULL };
	FILE *out = ul_lab_out(ctx);
	static u8 frame[ETH_HLEN + 64];
	long long d0, q0, c0, s0, v0, f0, t0;
	int lfd, cfd = -1, i, acc_max, seg0;
	u64 start, now = 0;

	lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.ipv4.tcp_syncookies=%d", r->cookies);
	lfd = lab_tcp_listen(LAB_NS_B, NULL, r->port, SC_BACKLOG);
	if (lfd < 0)
		return lfd;
	d0 = sc_nstat(LAB_NS_B, "TcpExtListenDrops");
	q0 = sc_nstat(LAB_NS_B, "TcpExtTCPReqQFullDrop");
	c0 = sc_nstat(LAB_NS_B, "TcpExtTCPReqQFullDoCookies");
	s0 = sc_nstat(LAB_NS_B, "TcpExtSyncookiesSent");
	v0 = sc_nstat(LAB_NS_B, "TcpExtSyncookiesRecv");
	f0 = sc_nstat(LAB_NS_B, "TcpExtSyncookiesFailed");
	t0 = sc_nstat(LAB_NS_A, "TcpRetransSegs");
	seg0 = *nsegs;
	fprintf(out, "  listen(fd, %d) on :%d; %d spoofed SYNs at once, then %d every 10 ms "
		     "(from 198.18.0.0/16) for %.1f s; the client connects at %.1f s\n",
		SC_BACKLOG, r->port, SC_BURST, SC_PER_STEP, (double)r->flood_ns / 1e9,
		(double)SC_LEGIT_AT / 1e9);
	start = ul_now_ns();
	for (i = 0; i < SC_BURST; i++, r->flood_sent++)
		hw_nic_receive(nic, frame, sc_syn_frame(frame, mac, sc_flood_seq++, r->port));
	/* Bounded by the flood's duration: one step per SC_STEP of virtual time. */
	for (now = 0; now < r->flood_ns; now += SC_STEP) {
		if (now == SC_LEGIT_AT) {
			cfd = lab_tcp_connect(LAB_NS_A, NULL, LAB_ADDR_B, r->port);
			r->t_connect = ul_now_ns();
			if (cfd < 0)
				return cfd;
		}
		ul_run_for(SC_STEP);
		for (i = 0; i < SC_PER_STEP; i++, r->flood_sent++)
			hw_nic_receive(nic, frame, sc_syn_frame(frame, mac, sc_flood_seq++,
								r->port));
	}
	ul_run_for(SC_STEP);
	lab_listen_queues(lfd, &r->acc, &acc_max, &r->syn, &r->syn_max);
	r->state = lab_tcp_state(cfd);
	r->syns = sc_client_syns(r, segs, *nsegs, seg0);
	fprintf(out, "  after %.2f s: the listener's SYN queue %d (table %d), accept queue %d; "
		     "the client's socket is %s\n", (double)(ul_now_ns() - start) / 1e9, r->syn,
		r->syn_max, r->acc, lab_tcp_state_name(r->state));
	fprintf(out, "  the client sent %d SYN(s), at +", r->syns);
	for (i = 0; i < r->syns && i < (int)ARRAY_SIZE(r->syn_t); i++)
		fprintf(out, "%s%.3f", i ? ", +" : "", (double)r->syn_t[i] / 1e9);
	fprintf(out, " s after connect()%s\n", r->t_estab ? "" : ", none answered");
	if (r->t_estab)
		fprintf(out, "  the client ACKed the SYN-ACK (ESTABLISHED) %.3f ms after connect()\n",
			(double)(r->t_estab - r->t_connect) / 1e6);
	free(lab_view(ctx, LAB_NS_A, grep_ss, "ss -tan dport = :%d", r->port));
	/* The server side: accept, then a round trip of data over the cookie's connection. */
	if (r->state == TCP_ESTABLISHED) {
		char buf[8] = { 0 };
		socklen_t len = sizeof(r->mss);

		lab_enter(LAB_NS_B);
		r->afd = ul_accept(lfd, NULL, NULL);
		if (r->afd >= 0) {
			ul_getsockopt(r->afd, IPPROTO_TCP, TCP_MAXSEG, &r->mss, &len);
			lab_enter(LAB_NS_A);
			ul_send(cfd, "ping", 4, 0);
			ul_run_for(5 * LAB_MS);
			lab_enter(LAB_NS_B);
			r->echoed = ul_recv(r->afd, buf, sizeof(buf), 0) == 4 &&
				    !memcmp(buf, "ping", 4);
			fprintf(out, "  hostb: accept() -> fd %d (TCP_MAXSEG %d), read \"%s\" from the "
				     "client\n", r->afd, r->mss, buf);
			ul_close(r->afd);
		}
	}
	r->drops = sc_nstat(LAB_NS_B, "TcpExtListenDrops") - d0;
	r->qfull_drop = sc_nstat(LAB_NS_B, "TcpExtTCPReqQFullDrop") - q0;
	r->do_cookies = sc_nstat(LAB_NS_B, "TcpExtTCPReqQFullDoCookies") - c0;
	r->sent = sc_nstat(LAB_NS_B, "TcpExtSyncookiesSent") - s0;
	r->recv = sc_nstat(LAB_NS_B, "TcpExtSyncookiesRecv") - v0;
	r->failed = sc_nstat(LAB_NS_B, "TcpExtSyncookiesFailed") - f0;
	r->retrans = sc_nstat(LAB_NS_A, "TcpRetransSegs") - t0;
	fprintf(out, "  hostb counters (delta): TCPReqQFullDrop %+lld, ListenDrops %+lld, "
		     "TCPReqQFullDoCookies %+lld, SyncookiesSent %+lld, SyncookiesRecv %+lld, "
		     "SyncookiesFailed %+lld; hosta TcpRetransSegs %+lld\n",
		r->qfull_drop, r->drops, r->do_cookies, r->sent, r->recv, r->failed, r->retrans);
	lab_enter(LAB_NS_A);
	if (cfd >= 0) {
		struct linger lg = { 1, 0 };

		ul_setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		ul_close(cfd);
	}
	lab_enter(LAB_NS_B);
	ul_close(lfd);
	return 0;
}

/* Within 10 ms (the retransmission timer's jiffies). */
static bool sc_near(u64 t, u64 want)
{
	return t + 10 * LAB_MS >= want && t <= want + 10 * LAB_MS;
}

static void sc_checks(struct ul_lab_ctx *ctx, const struct sc_run *off, const struct sc_run *on)
{
	ul_lab_check(ctx, "tcp_syncookies=0: the flood fills the SYN queue (16 of 16)",
		     off->syn_max == 16 && off->syn == 16, "%d of %d", off->syn, off->syn_max);
	ul_lab_check(ctx, "tcp_syncookies=0: the client's SYNs at +0, 1, 3 s all dropped",
		     off->state == TCP_SYN_SENT && off->syns == 3 && sc_near(off->syn_t[0], 0) &&
			     sc_near(off->syn_t[1], LAB_SEC) && sc_near(off->syn_t[2], 3 * LAB_SEC) &&
			     off->retrans == 2,
		     "%s, %d SYNs, TcpRetransSegs %+lld", lab_tcp_state_name(off->state),
		     off->syns, off->retrans);
	ul_lab_check(ctx, "tcp_syncookies=0: every drop counted as TCPReqQFullDrop and ListenDrops",
		     off->qfull_drop > 0 && off->drops == off->qfull_drop &&
			     off->qfull_drop >= off->flood_sent - 16 && off->sent == 0,
		     "TCPReqQFullDrop %+lld, ListenDrops %+lld, %d SYNs flooded, cookies %+lld",
		     off->qfull_drop, off->drops, off->flood_sent, off->sent);
	ul_lab_check(ctx, "tcp_syncookies=1: the client connects with one SYN",
		     on->state == TCP_ESTABLISHED && on->syns == 1 && on->t_estab > 0,
		     "%s, %d SYNs", lab_tcp_state_name(on->state), on->syns);
	ul_lab_check(ctx, "tcp_syncookies=1: cookies sent for the overflow, one received",
		     on->sent > 0 && on->sent == on->do_cookies && on->recv == 1 &&
			     on->failed == 0 && on->qfull_drop == 0 && on->drops == on->sent,
		     "sent %+lld, do-cookies %+lld, recv %+lld, failed %+lld, dropped %+lld",
		     on->sent, on->do_cookies, on->recv, on->failed, on->qfull_drop);
	ul_lab_check(ctx, "tcp_syncookies=1: the SYN queue is still full, the child accepted",
		     on->syn == 16 && on->afd >= 0 && on->echoed, "SYN queue %d, accept fd %d",
		     on->syn, on->afd);
	ul_lab_evidence(ctx, "flood_syns_off", "%d", off->flood_sent);
	ul_lab_evidence(ctx, "reqqfull_drop_off", "%lld", off->qfull_drop);
	ul_lab_evidence(ctx, "listen_drops_off", "%lld", off->drops);
	ul_lab_evidence(ctx, "client_syns_off", "%d", off->syns);
	ul_lab_evidence(ctx, "syncookies_sent_on", "%lld", on->sent);
	ul_lab_evidence(ctx, "syncookies_recv_on", "%lld", on->recv);
	ul_lab_evidence(ctx, "connect_ms_on", "%.3f",
			on->t_estab ? (double)(on->t_estab - on->t_connect) / 1e6 : -1.0);
}

static int lab_syncookies(struct ul_lab_ctx *ctx)
{
	static const char *const grep_ns[] = { "SYN cookies", "SYNs to LISTEN", "TCPReqQFull",
					       NULL };
	FILE *out = ul_lab_out(ctx);
	struct sc_run off = { .port = 80, .cookies = 0, .flood_ns = SC_FLOOD_OFF, .afd = -1 };
	struct sc_run on = { .port = 81, .cookies = 1, .flood_ns = SC_FLOOD_ON, .afd = -1 };
	struct lab_seg *segs = calloc(SC_MAXSEGS, sizeof(*segs));
	struct net_device *dev;
	struct net *net;
	int err, nsegs = 0;

	if (!segs)
		return -ENOMEM;
	sc_flood_seq = 1;
	err = lab_boot(ctx, 2);
	if (err) {
		free(segs);
		return err;
	}
	fprintf(out, "Setup: two hosts wired back to back, hosta 10.0.0.1 (the real client), "
		     "hostb 10.0.0.2 (the server); spoofed SYNs arrive on hostb's NIC from the "
		     "wire. hostb's route to them leads to hosta, which does not forward: nobody "
		     "answers a SYN-ACK, as with a real flood.\n");
	err = lab_two_hosts(ctx, 1, 256);
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, false, "ip route add default via %s", LAB_ADDR_A);
	net = err ? NULL : ul_net_by_name(LAB_NS_B);
	dev = net ? __dev_get_by_name(net, "eth0") : NULL;
	if (!err && (!dev || !hw_nic_of(dev)))
		err = -ENODEV;
	if (err)
		goto out;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	lab_warm_neigh(LAB_NS_B, LAB_NS_A, LAB_ADDR_A);
	err = lab_seg_start(segs, SC_MAXSEGS, &nsegs);
	if (err)
		goto out;

	fprintf(out, "\n1. tcp_syncookies=0 (the flood's SYNs take the queue; what does not fit "
		     "is dropped):\n");
	err = sc_flood(ctx, hw_nic_of(dev), dev->dev_addr, &off, segs, &nsegs);
	if (!err) {
		fprintf(out, "\n2. tcp_syncookies=1 (3.10's default), a new listener, the same "
			     "flood:\n");
		err = sc_flood(ctx, hw_nic_of(dev), dev->dev_addr, &on, segs, &nsegs);
	}
	lab_seg_stop();
	if (err)
		goto out;
	free(lab_view(ctx, LAB_NS_B, grep_ns, "netstat -s"));

	fprintf(out,
		"\nAnswer (ch6, ch9): a listener keeps each half-open connection as a request in "
		"its SYN queue (16 entries for backlog %d) until the handshake's ACK or the last "
		"SYN-ACK retry. Spoofed SYNs never complete, so a flood of %d SYNs/s keeps the "
		"queue full; tcp_v4_conn_request then finds it full and, with tcp_syncookies=0, "
		"drops every new SYN (TCPReqQFullDrop and ListenDrops %+lld): the real client's "
		"SYNs at +0, 1 and 3 s were lost like the flood's, and its connect() goes on "
		"retrying on the doubling schedule (ETIMEDOUT after 127 s), a retry getting "
		"through only if it finds a slot the flood has not refilled. With "
		"tcp_syncookies=1 (tcp_syn_flood_action: TCPReqQFullDoCookies) the listener "
		"answers a SYN it cannot queue with a SYN-ACK whose sequence number is the cookie "
		"(a hash of the 4-tuple, a minute counter and the MSS index) and forgets it; the "
		"client's ACK carries the cookie back, cookie_v4_check rebuilds the request from "
		"it and the child goes to the accept queue: the client connected in %.3f ms with "
		"one SYN (%lld cookies sent, %lld received) while the SYN queue stayed full. "
		"(3.10 counts every cookie SYN in ListenDrops too: tcp_v4_conn_request frees the "
		"request it answered with a cookie through its drop path.) The cost: the cookie "
		"keeps only an MSS from a table of 8 (1460 here: TCP_MAXSEG %d after the "
		"timestamps) and carries window scaling and SACK only in the timestamp's low "
		"bits, so a client without timestamps loses them. The book's advice: keep "
		"syncookies on and size the backlog (somaxconn, tcp_max_syn_backlog) for the real "
		"load.\n\nChecks:\n",
		SC_BACKLOG, (int)(SC_PER_STEP * (LAB_SEC / SC_STEP)), off.qfull_drop,
		on.t_estab ? (double)(on.t_estab - on.t_connect) / 1e6 : -1.0, on.sent, on.recv,
		on.mss);
	sc_checks(ctx, &off, &on);
out:
	lab_shutdown(ctx);
	free(segs);
	return err;
}

const struct ul_lab lab_def_syncookies = {
	"syncookies", "ch9",
	"Under a SYN flood on a listener with a small backlog, does a real client still connect, "
	"with tcp_syncookies 0 and 1?",
	lab_syncookies,
};
