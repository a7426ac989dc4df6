/* SPDX-License-Identifier: MIT */
/* The SYN retries lab (book ch6.5): a SYN that never arrives is retransmitted at 1, 3, 7, 15,
 * 31 and 63 s and connect() fails with ETIMEDOUT at 127 s (tcp_syn_retries=6), sooner with a
 * smaller tcp_syn_retries; a lost third ACK leaves the client ESTABLISHED while the server
 * keeps a SYN_RECV request and retransmits its SYN-ACK tcp_synack_retries times.
 * Mirrors no kernel file: an experiment on net/ipv4/tcp_timer.c (tcp_retransmit_timer,
 * retransmits_timed_out, tcp_write_timeout) and inet_connection_sock.c
 * (inet_csk_reqsk_queue_prune). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define SR_PORT	   80	/* the port behind iptables DROP */
#define SR_PORT_3  81	/* the port whose third ACK is lost */
#define SR_MAXSEGS 256

struct sr_client {
	int port, ret, err, state, state2;
	u64 t0, t1;
};

/* A blocking connect() from hosta, as the book's client program does. Context: task. */
static int sr_client_fn(void *arg)
{
	struct sr_client *c = arg;
	struct sockaddr_in to = lab_sin(LAB_ADDR_B, c->port);
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		c->err = errno;
		return 0;
	}
	c->t0 = ul_now_ns();
	c->ret = ul_connect(fd, (struct sockaddr *)&to, sizeof(to));
	c->err = c->ret ? errno : 0;
	c->t1 = ul_now_ns();
	ul_close(fd);
	return 0;
}

static void sr_connect(struct sr_client *c, int port)
{
	struct ul_task *t;

	memset(c, 0, sizeof(*c));
	c->port = port;
	t = ul_task_spawn(LAB_NS_A, "client", lab_cpu(0), sr_client_fn, c);
	if (t)
		ul_task_join(t);
	else
		c->err = ENOMEM;
}

/* The SYNs (no ACK) hosta sent to @port, their times from @t0 in *@at (seconds). */
static int sr_syns(const struct lab_seg *s, int n, int port, u64 t0, double *at, int max)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i].flags == TCPHDR_SYN && s[i].dport == port && k < max)
			at[k++] = (double)(s[i].t - t0) / 1e9;
	return k;
}

static void sr_print_times(FILE *out, const char *what, const double *at, int n)
{
	int i;

	fprintf(out, "  %s at", what);
	for (i = 0; i < n; i++)
		fprintf(out, "%s %.3f", i ? "," : "", at[i]);
	fprintf(out, " s\n");
}

/* Exactly @n SYNs at the whole seconds @want (each within 10 ms: the RTO timer is exact on
 * virtual time, the first one includes no ARP wait because it is stamped at LOCAL_OUT). */
static bool sr_times_ok(const double *at, int n, const int *want, int nwant)
{
	int i;

	if (n != nwant)
		return false;
	for (i = 0; i < n; i++)
		if (at[i] < want[i] - 0.001 || at[i] > want[i] + 0.010)
			return false;
	return true;
}

/* ---- the third ACK lost: a hook on hostb's PRE_ROUTING drops pure ACKs to SR_PORT_3 ---- */

/* DIVERGES: on Linux one would write iptables -A INPUT -p tcp --dport 81 --tcp-flags ALL ACK
 * -j DROP; ulnet's iptables has no --tcp-flags yet, so a netfilter hook plays that rule. */

static int sr_acks_dropped;

static unsigned int sr_lose_ack(unsigned int hooknum, struct sk_buff *skb,
				const struct net_device *in, const struct net_device *out,
				int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	if (iph->protocol == IPPROTO_TCP && ntohs(th->dest) == SR_PORT_3 && th->ack &&
	    !th->syn && !th->rst && !th->fin) {
		sr_acks_dropped++;
		return NF_DROP;
	}
	return NF_ACCEPT;
}

static struct nf_hook_ops sr_lose_ops = {
	.hook = sr_lose_ack,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	.priority = 0,
};

/* What the three experiments saw. */
struct sr_run {
	struct lab_seg *segs;
	int n;				/* segments recorded */
	struct sr_client c6, c2;	/* tcp_syn_retries 6 (blocking), 2 (non-blocking) */
	double at6[16], at2[16], sa[16];	/* SYN and SYN-ACK times (s) */
	int n6, n2, nsa, cfd;
	long long r0, r1, af0, af1, to0, to1;	/* hosta's counters around experiment 1 */
	bool tx_softirq, tx_task, synrecv_seen, synrecv_gone, cli_estab, sa_ok;
};

/* 1. The default tcp_syn_retries=6, a blocking connect in a task. */
static void sr_default(struct ul_lab_ctx *ctx, struct sr_run *r)
{
	FILE *out = ul_lab_out(ctx);
	struct sr_client *c = &r->c6;

	fprintf(out, "\n1. connect() from hosta to %s:%d, every SYN dropped (tcp_syn_retries=6):\n",
		LAB_ADDR_B, SR_PORT);
	r->r0 = lab_counter(LAB_NS_A, "nstat TcpRetransSegs");
	r->af0 = lab_counter(LAB_NS_A, "nstat TcpAttemptFails");
	r->to0 = lab_counter(LAB_NS_A, "nstat TcpExtTCPAbortOnTimeout");
	lab_seg_start(r->segs, SR_MAXSEGS, &r->n);
	sr_connect(c, SR_PORT);
	lab_seg_stop();
	r->r1 = lab_counter(LAB_NS_A, "nstat TcpRetransSegs");
	r->af1 = lab_counter(LAB_NS_A, "nstat TcpAttemptFails");
	r->to1 = lab_counter(LAB_NS_A, "nstat TcpExtTCPAbortOnTimeout");
	r->n6 = sr_syns(r->segs, r->n, SR_PORT, c->t0, r->at6, 16);
	sr_print_times(out, "SYNs sent", r->at6, r->n6);
	fprintf(out, "  connect() returned %d (%s) after %.3f s\n", c->ret,
		c->err ? strerror(c->err) : "no error", (double)(c->t1 - c->t0) / 1e9);
	fprintf(out, "  hosta counters (delta): TcpRetransSegs %+lld, TcpAttemptFails %+lld, "
		     "TcpExtTCPAbortOnTimeout %+lld\n", r->r1 - r->r0, r->af1 - r->af0,
		r->to1 - r->to0);
	lab_sh(ctx, LAB_NS_B, false, "iptables -L INPUT -n -v");
}

/* 2. tcp_syn_retries=2 with a non-blocking connect, so that the lab can trace the 2 ms
 * around the first retransmission and look at the socket at 6.99 and 7.01 s. */
static void sr_fewer(struct ul_lab_ctx *ctx, struct sr_run *r)
{
	FILE *out = ul_lab_out(ctx);
	struct sr_client *c = &r->c2;

	fprintf(out, "\n2. The same with a smaller tcp_syn_retries (a non-blocking connect):\n");
	lab_sh(ctx, LAB_NS_A, false, "sysctl -w net.ipv4.tcp_syn_retries=2");
	lab_seg_start(r->segs, SR_MAXSEGS, &r->n);
	c->t0 = ul_now_ns();
	c->ret = lab_tcp_connect(LAB_NS_A, NULL, LAB_ADDR_B, SR_PORT);
	if (c->ret >= 0) {
		socklen_t elen = sizeof(c->err);

		ul_run_for(LAB_SEC - LAB_MS);
		ul_trace_begin(0);
		ul_run_for(2 * LAB_MS);
		ul_trace_end();
		ul_run_for(6 * LAB_SEC - 11 * LAB_MS);	/* 6.990 s */
		lab_enter(LAB_NS_A);
		c->state = lab_tcp_state(c->ret);
		ul_run_for(20 * LAB_MS);		/* 7.010 s */
		c->t1 = ul_now_ns();
		ul_getsockopt(c->ret, SOL_SOCKET, SO_ERROR, &c->err, &elen);
		c->state2 = lab_tcp_state(c->ret);
		fprintf(out, "  at 6.990 s the socket is %s; at 7.010 s it is %s with SO_ERROR %d "
			     "(%s)\n", lab_tcp_state_name(c->state), lab_tcp_state_name(c->state2),
			c->err, strerror(c->err));
		ul_close(c->ret);
	}
	lab_seg_stop();
	lab_sh(ctx, LAB_NS_A, true, "sysctl -w net.ipv4.tcp_syn_retries=6");
	r->n2 = sr_syns(r->segs, r->n, SR_PORT, c->t0, r->at2, 16);
	sr_print_times(out, "SYNs sent", r->at2, r->n2);
	fprintf(out, "  the path of the first retransmission (1 s), by context: the RTO timer "
		     "fires in softirq and resends the SYN from there:\n");
	lab_print_path(out, 14);
	r->tx_softirq = lab_trace_find("tcp_transmit_skb", UL_CTX_SOFTIRQ, 0) >= 0;
	r->tx_task = lab_trace_find("tcp_transmit_skb", UL_CTX_TASK, 0) >= 0;
	if (ul_lab_opts(ctx)->trace)
		ul_trace_write_text(out);
}

/* 3. The third ACK lost: the client ESTABLISHED, the server's request in SYN_RECV. */
static void sr_third_ack(struct ul_lab_ctx *ctx, struct sr_run *r)
{
	static const int want_sa[] = { 0, 1, 3, 7, 15, 31 };
	static const char *const grep_81[] = { ":81", "State", NULL };
	FILE *out = ul_lab_out(ctx);
	u64 t0;
	char *t;
	int i;

	fprintf(out, "\n3. The handshake's third ACK lost (a hook on hostb's PRE_ROUTING drops "
		     "pure ACKs to :%d):\n", SR_PORT_3);
	sr_acks_dropped = 0;
	nf_register_hook(&sr_lose_ops);
	lab_seg_start(r->segs, SR_MAXSEGS, &r->n);
	t0 = ul_now_ns();
	r->cfd = lab_tcp_connect(LAB_NS_A, NULL, LAB_ADDR_B, SR_PORT_3);
	ul_run_for(2 * LAB_SEC);
	lab_enter(LAB_NS_A);
	r->cli_estab = r->cfd >= 0 && lab_tcp_state(r->cfd) == TCP_ESTABLISHED;
	fprintf(out, "  after 2 s: the client's socket is %s\n",
		r->cfd >= 0 ? lab_tcp_state_name(lab_tcp_state(r->cfd)) : "(no socket)");
	free(lab_view(ctx, LAB_NS_A, grep_81, "ss -tan"));
	t = lab_view(ctx, LAB_NS_B, grep_81, "ss -tan");
	r->synrecv_seen = strstr(t, "SYN-RECV") != NULL;
	free(t);
	ul_run_for(68 * LAB_SEC);
	fprintf(out, "  after 70 s:\n");
	t = lab_view(ctx, LAB_NS_B, grep_81, "ss -tan");
	r->synrecv_gone = !strstr(t, "SYN-RECV");
	free(t);
	lab_seg_stop();
	nf_unregister_hook(&sr_lose_ops);
	for (i = 0; i < r->n && r->nsa < 16; i++)
		if (r->segs[i].flags == (TCPHDR_SYN | TCPHDR_ACK) && r->segs[i].sport == SR_PORT_3)
			r->sa[r->nsa++] = (double)(r->segs[i].t - t0) / 1e9;
	sr_print_times(out, "hostb's SYN-ACKs", r->sa, r->nsa);
	fprintf(out, "  ACKs from hosta dropped on the way: %d (the third ACK, then one per "
		     "retransmitted SYN-ACK)\n", sr_acks_dropped);
	/* The listener's prune timer ticks every 200 ms and visits a part of the SYN table each
	 * time (facts.md §3.3): a SYN-ACK leaves up to 0.6 s after its timeout. */
	r->sa_ok = r->nsa == 6;
	for (i = 0; r->sa_ok && i < r->nsa; i++)
		r->sa_ok = r->sa[i] >= want_sa[i] - 0.001 && r->sa[i] < want_sa[i] + 0.7;
}

static void sr_answer(FILE *out, const struct sr_run *r)
{
	const double *at6 = r->at6;
	char line[160];

	fprintf(out, "\nThe book's figure beside ulnet's (ch6.5):\n");
	snprintf(line, sizeof(line), "first retransmission after %.0f s, then %.0f, %.0f, %.0f, "
		 "%.0f, %.0f s; ETIMEDOUT at %.0f s", at6[1], at6[2], at6[3], at6[4], at6[5],
		 at6[6], (double)(r->c6.t1 - r->c6.t0) / 1e9);
	lab_book_beside(out, "first SYN retransmit after 1 s on 3.10 (3 s on old kernels), "
			     "doubling", line);
	fprintf(out,
		"\nAnswer: connect() sends a SYN and arms the retransmission timer with the initial "
		"RTO of 1 s (TCP_TIMEOUT_INIT); each time it fires, tcp_retransmit_timer resends "
		"the SYN and doubles the RTO, so with tcp_syn_retries=6 the SYNs leave at 0, 1, 3, 7, "
		"15, 31 and 63 s, and retransmits_timed_out gives up when the whole series "
		"(1+2+...+64 = 127 s) has run out: connect() fails with ETIMEDOUT after %.0f s, and "
		"TcpExtTCPAbortOnTimeout counts it. tcp_syn_retries=2 cuts it to 3 SYNs and 7 s. "
		"The server side has its own series: when the third ACK is lost, the client is "
		"already ESTABLISHED (it got the SYN-ACK) while the server holds only a SYN_RECV "
		"request; its prune timer resends the SYN-ACK at about 1, 3, 7, 15 and 31 s "
		"(tcp_synack_retries=5), each answered by an ACK that is lost again, then drops the "
		"request: the client believes in a connection the server has forgotten.\n\nChecks:\n",
		(double)(r->c6.t1 - r->c6.t0) / 1e9);
}

static void sr_checks(struct ul_lab_ctx *ctx, const struct sr_run *r)
{
	static const int want6[] = { 0, 1, 3, 7, 15, 31, 63 }, want2[] = { 0, 1, 3 };
	const struct sr_client *c6 = &r->c6, *c2 = &r->c2;

	ul_lab_check(ctx, "tcp_syn_retries=6: 7 SYNs at 0, 1, 3, 7, 15, 31, 63 s",
		     sr_times_ok(r->at6, r->n6, want6, 7), "%d SYNs", r->n6);
	ul_lab_check(ctx, "tcp_syn_retries=6: ETIMEDOUT at 127 s",
		     c6->ret == -1 && c6->err == ETIMEDOUT && c6->t1 - c6->t0 >= 127 * LAB_SEC &&
			     c6->t1 - c6->t0 < 127 * LAB_SEC + 10 * LAB_MS,
		     "ret %d errno %d after %llu ns", c6->ret, c6->err,
		     (unsigned long long)(c6->t1 - c6->t0));
	ul_lab_expect_delta(ctx, "TcpRetransSegs", r->r0, r->r1, "==", 6);
	ul_lab_expect_delta(ctx, "TcpExtTCPAbortOnTimeout", r->to0, r->to1, "==", 1);
	ul_lab_expect_delta(ctx, "TcpAttemptFails", r->af0, r->af1, "==", 1);
	ul_lab_check(ctx, "tcp_syn_retries=2: 3 SYNs at 0, 1, 3 s, ETIMEDOUT at 7 s",
		     sr_times_ok(r->at2, r->n2, want2, 3) && c2->state == TCP_SYN_SENT &&
			     c2->state2 == TCP_CLOSE && c2->err == ETIMEDOUT,
		     "%d SYNs, %s at 6.99 s, %s and SO_ERROR %d at 7.01 s", r->n2,
		     lab_tcp_state_name(c2->state), lab_tcp_state_name(c2->state2), c2->err);
	ul_lab_check(ctx, "the retransmitted SYN leaves from softirq (the timer), not the task",
		     r->tx_softirq && !r->tx_task, "tcp_transmit_skb in softirq %d, in a task %d",
		     r->tx_softirq, r->tx_task);
	ul_lab_check(ctx, "third ACK lost: the client is ESTABLISHED", r->cli_estab, NULL);
	ul_lab_check(ctx, "third ACK lost: the server shows SYN-RECV in ss", r->synrecv_seen,
		     NULL);
	ul_lab_check(ctx, "third ACK lost: 1 + 5 SYN-ACKs at about 0, 1, 3, 7, 15, 31 s",
		     r->sa_ok, "%d SYN-ACKs", r->nsa);
	ul_lab_check(ctx, "third ACK lost: the request is gone after the retries",
		     r->synrecv_gone, NULL);
	ul_lab_evidence(ctx, "syn_times_s", "%.3f %.3f %.3f %.3f %.3f %.3f %.3f", r->at6[0],
			r->at6[1], r->at6[2], r->at6[3], r->at6[4], r->at6[5], r->at6[6]);
	ul_lab_evidence(ctx, "etimedout_after_ns", "%llu",
			(unsigned long long)(c6->t1 - c6->t0));
	ul_lab_evidence(ctx, "synacks", "%d", r->nsa);
}

static int lab_syn_retries(struct ul_lab_ctx *ctx)
{
	struct sr_run *r = calloc(1, sizeof(*r));
	int lfd = -1, lfd3 = -1, err;

	if (!r)
		return -ENOMEM;
	r->cfd = -1;
	r->segs = calloc(SR_MAXSEGS, sizeof(*r->segs));
	err = r->segs ? lab_boot(ctx, 2) : -ENOMEM;
	if (err)
		goto out_free;
	fprintf(ul_lab_out(ctx), "Setup: two hosts with an igb NIC each, wired back to back; a "
				 "listener on hostb 0.0.0.0:%d (and :%d), every SYN to :%d "
				 "dropped by iptables on hostb.\n", SR_PORT, SR_PORT_3, SR_PORT);
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lfd = lab_tcp_listen(LAB_NS_B, NULL, SR_PORT, 128);
	lfd3 = lab_tcp_listen(LAB_NS_B, NULL, SR_PORT_3, 128);
	if (lfd < 0 || lfd3 < 0) {
		err = lfd < 0 ? lfd : lfd3;
		goto out;
	}
	lab_sh(ctx, LAB_NS_A, false, "sysctl net.ipv4.tcp_syn_retries net.ipv4.tcp_synack_retries");
	err = lab_sh(ctx, LAB_NS_B, false, "iptables -A INPUT -p tcp --dport %d -j DROP", SR_PORT);
	if (err)
		goto out;
	sr_default(ctx, r);
	sr_fewer(ctx, r);
	lab_sh(ctx, LAB_NS_B, true, "iptables -D INPUT -p tcp --dport %d -j DROP", SR_PORT);
	sr_third_ack(ctx, r);
	sr_answer(ul_lab_out(ctx), r);
	sr_checks(ctx, r);
out:
	lab_enter(LAB_NS_A);
	if (r->cfd >= 0)
		ul_close(r->cfd);
	lab_enter(LAB_NS_B);
	if (lfd >= 0)
		ul_close(lfd);
	if (lfd3 >= 0)
		ul_close(lfd3);
	ul_run_for(10 * LAB_MS);
	lab_enter(NULL);
	lab_shutdown(ctx);
out_free:
	free(r->segs);
	free(r);
	return err;
}

const struct ul_lab lab_def_syn_retries = {
	"syn-retries", "ch6",
	"When SYNs are lost, when does the client retransmit and give up (tcp_syn_retries), and "
	"what happens when the third ACK is lost (tcp_synack_retries)?",
	lab_syn_retries,
};
