/* SPDX-License-Identifier: MIT */
/* The accept queue lab (book ch6.2, ch6.5): the queues' lengths from listen()'s backlog,
 * net.core.somaxconn and tcp_max_syn_backlog; a listener that never accepts holds backlog + 1
 * children, then drops the third ACKs (ListenOverflows, ListenDrops in netstat -s) while its
 * clients believe they are connected, and retransmits its SYN-ACKs.
 * Mirrors no kernel file: an experiment on net/socket.c (listen's somaxconn clamp),
 * net/core/request_sock.c (reqsk_queue_alloc), net/ipv4/tcp_ipv4.c (tcp_v4_conn_request,
 * tcp_v4_syn_recv_sock) and inet_connection_sock.c (inet_csk_reqsk_queue_prune). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/in.h"
#include "linux/kernel.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define AQ_BACKLOG 5
#define AQ_CLIENTS 9	/* backlog + 1 queued, 2 third ACKs dropped, 1 SYN dropped */
#define AQ_PORT	   80
#define AQ_MAXSEGS 512

struct aq_size {
	int backlog, somaxconn, acc_max, syn_max, sendq;
};

/* The Send-Q column of ss -lnt's line for :@port (the accept queue's max), -1 when none. */
static int aq_ss_sendq(const char *ss, int port, int *recvq)
{
	char pat[16];
	const char *p = ss, *line;

	snprintf(pat, sizeof(pat), ":%d ", port);
	while ((line = strstr(p, pat))) {
		const char *bol = line;
		int r, s;

		while (bol > ss && bol[-1] != '\n')
			bol--;
		if (sscanf(bol, "LISTEN %d %d", &r, &s) == 2) {
			if (recvq)
				*recvq = r;
			return s;
		}
		p = line + 1;
	}
	return -1;
}

/* listen(@backlog) on hostb :@port; the sizes the kernel derived. */
static void aq_measure(struct ul_lab_ctx *ctx, struct aq_size *z, int backlog, int somaxconn,
		       int port)
{
	static const char *const grep[] = { "State", "LISTEN", NULL };
	int fd, acc, syn;
	char *ss;

	memset(z, 0, sizeof(*z));
	z->backlog = backlog;
	z->somaxconn = somaxconn;
	fd = lab_tcp_listen(LAB_NS_B, NULL, port, backlog);
	if (fd < 0 || lab_listen_queues(fd, &acc, &z->acc_max, &syn, &z->syn_max))
		return;
	ss = lab_view(ctx, LAB_NS_B, grep, "ss -lnt sport = :%d", port);
	z->sendq = aq_ss_sendq(ss, port, NULL);
	free(ss);
	fprintf(ul_lab_out(ctx), "  listen(fd, %d) with somaxconn %d: accept queue max %d (ss "
				 "Send-Q %d), SYN table %d entries\n",
		backlog, somaxconn, z->acc_max, z->sendq, z->syn_max);
	lab_enter(LAB_NS_B);
	ul_close(fd);
}

/* What the experiments saw. */
struct aq_run {
	struct aq_size z[4];
	struct lab_seg *segs;
	int n, lfd, afd, cfd[AQ_CLIENTS];
	int acc, acc_max, syn, syn_max, acc2, syn2, acc3, syn3, acc_a, syn_a;
	int estab, synsent, recvq, sendq, synacks, resyn;
	long long ov0, dr0, ov1, dr1, ov2, rt0, rt1;
	bool netstat_sentence;
};

/* 1. The queue sizes from backlog, somaxconn and tcp_max_syn_backlog. */
static void aq_sizes(struct ul_lab_ctx *ctx, struct aq_run *r)
{
	fprintf(ul_lab_out(ctx), "\n1. Queue sizes: accept queue = min(backlog, somaxconn); SYN "
				 "table = roundup_pow_of_two(max(min(backlog, somaxconn, "
				 "tcp_max_syn_backlog), 8) + 1):\n");
	aq_measure(ctx, &r->z[0], 5, 128, 8001);
	aq_measure(ctx, &r->z[1], 512, 128, 8002);
	lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.core.somaxconn=1024");
	aq_measure(ctx, &r->z[2], 512, 1024, 8003);
	aq_measure(ctx, &r->z[3], 100000, 1024, 8004);
	lab_sh(ctx, LAB_NS_B, true, "sysctl -w net.core.somaxconn=128");
}

/* 2. A listener that never accepts; AQ_CLIENTS connects, 10 ms apart. */
static int aq_overflow(struct ul_lab_ctx *ctx, struct aq_run *r)
{
	static const char *const grep_ns[] = { "listen queue", "SYNs to LISTEN", NULL };
	static const char *const grep_80[] = { ":80", "State", NULL };
	FILE *out = ul_lab_out(ctx);
	char *t;
	int i;

	fprintf(out, "\n2. A listener with backlog %d that never accepts; %d clients connect from "
		     "hosta, 10 ms apart:\n", AQ_BACKLOG, AQ_CLIENTS);
	r->lfd = lab_tcp_listen(LAB_NS_B, NULL, AQ_PORT, AQ_BACKLOG);
	if (r->lfd < 0)
		return r->lfd;
	r->ov0 = lab_counter(LAB_NS_B, "nstat TcpExtListenOverflows");
	r->dr0 = lab_counter(LAB_NS_B, "nstat TcpExtListenDrops");
	r->rt0 = lab_counter(LAB_NS_B, "nstat TcpRetransSegs");
	lab_seg_start(r->segs, AQ_MAXSEGS, &r->n);
	for (i = 0; i < AQ_CLIENTS; i++) {
		r->cfd[i] = lab_tcp_connect(LAB_NS_A, NULL, LAB_ADDR_B, AQ_PORT);
		ul_run_for(10 * LAB_MS);
	}
	lab_enter(LAB_NS_A);
	for (i = 0; i < AQ_CLIENTS; i++) {
		int st = r->cfd[i] >= 0 ? lab_tcp_state(r->cfd[i]) : -1;

		r->estab += st == TCP_ESTABLISHED;
		r->synsent += st == TCP_SYN_SENT;
	}
	lab_listen_queues(r->lfd, &r->acc, &r->acc_max, &r->syn, &r->syn_max);
	r->ov1 = lab_counter(LAB_NS_B, "nstat TcpExtListenOverflows");
	r->dr1 = lab_counter(LAB_NS_B, "nstat TcpExtListenDrops");
	fprintf(out, "  hosta: %d sockets ESTABLISHED, %d in SYN-SENT\n", r->estab, r->synsent);
	fprintf(out, "  hostb's listener: accept queue %d (max %d), SYN queue %d (table %d)\n",
		r->acc, r->acc_max, r->syn, r->syn_max);
	free(lab_view(ctx, LAB_NS_A, grep_80, "ss -tan"));
	free(lab_view(ctx, LAB_NS_B, grep_80, "ss -tan"));
	t = lab_view(ctx, LAB_NS_B, NULL, "ss -lnt sport = :%d", AQ_PORT);
	r->sendq = aq_ss_sendq(t, AQ_PORT, &r->recvq);
	free(t);
	t = lab_view(ctx, LAB_NS_B, grep_ns, "netstat -s");
	r->netstat_sentence = strstr(t, "times the listen queue of a socket overflowed") != NULL;
	free(t);
	fprintf(out, "  hostb counters (delta): TcpExtListenOverflows %+lld, TcpExtListenDrops "
		     "%+lld\n", r->ov1 - r->ov0, r->dr1 - r->dr0);
	return 0;
}

/* 3. The server's SYN-ACK retransmissions; then one accept() makes room. */
static void aq_later(struct ul_lab_ctx *ctx, struct aq_run *r)
{
	FILE *out = ul_lab_out(ctx);
	int i, max;

	fprintf(out, "\n3. Two seconds later (the SYN-ACKs of the SYN-RECV requests are "
		     "retransmitted after about 1 s, the lost SYN after 1 s):\n");
	ul_run_for(2 * LAB_SEC);
	lab_enter(LAB_NS_B);
	lab_listen_queues(r->lfd, &r->acc2, &max, &r->syn2, &max);
	r->ov2 = lab_counter(LAB_NS_B, "nstat TcpExtListenOverflows");
	r->rt1 = lab_counter(LAB_NS_B, "nstat TcpRetransSegs");
	fprintf(out, "  hostb: accept queue %d, SYN queue %d; TcpRetransSegs %+lld, "
		     "TcpExtListenOverflows %+lld in all\n", r->acc2, r->syn2, r->rt1 - r->rt0,
		r->ov2 - r->ov0);
	r->afd = ul_accept(r->lfd, NULL, NULL);
	lab_listen_queues(r->lfd, &r->acc_a, &max, &r->syn_a, &max);
	fprintf(out, "  accept() takes one (fd %d): accept queue %d; 3 s later:\n", r->afd,
		r->acc_a);
	ul_run_for(3 * LAB_SEC);
	lab_enter(LAB_NS_B);
	lab_listen_queues(r->lfd, &r->acc3, &max, &r->syn3, &max);
	fprintf(out, "  hostb: accept queue %d, SYN queue %d (one request completed; the last "
		     "client's retransmitted SYN made a new one)\n", r->acc3, r->syn3);
	lab_seg_stop();
	for (i = 0; i < r->n; i++) {
		r->synacks += r->segs[i].flags == (TCPHDR_SYN | TCPHDR_ACK) &&
			      r->segs[i].sport == AQ_PORT;
		r->resyn += r->segs[i].flags == TCPHDR_SYN && r->segs[i].dport == AQ_PORT;
	}
	fprintf(out, "  segments: %d SYNs from hosta (%d clients), %d SYN-ACKs from hostb\n",
		r->resyn, AQ_CLIENTS, r->synacks);
}

static void aq_answer(FILE *out, const struct aq_run *r)
{
	char line[200];

	fprintf(out, "\nThe book's figures beside ulnet's (ch6.2, ch6.5):\n");
	snprintf(line, sizeof(line), "somaxconn 128: backlog 5 -> SYN table %d, backlog 512 -> %d; "
		 "backlog %d held %d children", r->z[0].syn_max, r->z[1].syn_max, AQ_BACKLOG,
		 r->acc);
	lab_book_beside(out, "somaxconn 128: backlog 5 -> 16, backlog 512 -> 256; 3.10's full "
			     "test is '>', so backlog + 1 sit in the accept queue", line);
	snprintf(line, sizeof(line), "%lld times the listen queue of a socket overflowed, %lld "
		 "SYNs to LISTEN sockets dropped", r->ov1 - r->ov0, r->dr1 - r->dr0);
	lab_book_beside(out, "netstat -s: \"N times the listen queue of a socket overflowed\", "
			     "\"N SYNs to LISTEN sockets dropped\"", line);
	fprintf(out,
		"\nAnswer: listen() clamps the backlog to net.core.somaxconn (ss -lnt shows it as "
		"Send-Q), and reqsk_queue_alloc sizes the SYN table from the same number, capped "
		"by tcp_max_syn_backlog, at least 8, plus one, rounded up to a power of two (16 for "
		"backlog 5). A listener that never accepts fills its accept queue with backlog + 1 "
		"= %d children (sk_acceptq_is_full tests '>'), which ss -lnt shows as Recv-Q %d. "
		"The next clients still get a SYN-ACK and go ESTABLISHED on their side, but their "
		"third ACK finds the queue full: tcp_v4_syn_recv_sock counts ListenOverflows and "
		"ListenDrops and drops it, the request stays in SYN_RECV, and the server "
		"retransmits its SYN-ACK about 1 s later (the client's new ACK overflows again). "
		"Once two requests are young in the SYN queue, tcp_v4_conn_request also drops new "
		"SYNs, so the last client stays in SYN-SENT and retransmits its SYN. One accept() "
		"frees a slot and the next SYN-ACK retransmission completes a waiting request.\n\n"
		"Checks:\n", r->acc, r->recvq);
}

static void aq_checks(struct ul_lab_ctx *ctx, const struct aq_run *r)
{
	ul_lab_check(ctx, "backlog 5, somaxconn 128: accept max 5, SYN table 16",
		     r->z[0].acc_max == 5 && r->z[0].sendq == 5 && r->z[0].syn_max == 16,
		     "max %d Send-Q %d table %d", r->z[0].acc_max, r->z[0].sendq,
		     r->z[0].syn_max);
	ul_lab_check(ctx, "backlog 512, somaxconn 128: accept max 128, SYN table 256",
		     r->z[1].acc_max == 128 && r->z[1].sendq == 128 && r->z[1].syn_max == 256,
		     "max %d Send-Q %d table %d", r->z[1].acc_max, r->z[1].sendq,
		     r->z[1].syn_max);
	ul_lab_check(ctx, "backlog 512, somaxconn 1024: accept max 512, SYN table 512 "
			  "(tcp_max_syn_backlog 256 + 1, rounded up)",
		     r->z[2].acc_max == 512 && r->z[2].sendq == 512 && r->z[2].syn_max == 512,
		     "max %d Send-Q %d table %d", r->z[2].acc_max, r->z[2].sendq,
		     r->z[2].syn_max);
	ul_lab_check(ctx, "backlog 100000, somaxconn 1024: accept max 1024",
		     r->z[3].acc_max == 1024 && r->z[3].sendq == 1024, "max %d Send-Q %d",
		     r->z[3].acc_max, r->z[3].sendq);
	ul_lab_check(ctx, "the accept queue holds backlog + 1 children", r->acc == AQ_BACKLOG + 1,
		     "accept queue %d", r->acc);
	ul_lab_check(ctx, "ss -lnt: Recv-Q backlog + 1, Send-Q backlog",
		     r->recvq == AQ_BACKLOG + 1 && r->sendq == AQ_BACKLOG, "Recv-Q %d Send-Q %d",
		     r->recvq, r->sendq);
	ul_lab_check(ctx, "two third ACKs overflowed: 2 requests wait in SYN-RECV", r->syn == 2,
		     "SYN queue %d", r->syn);
	ul_lab_check(ctx, "the clients: 8 ESTABLISHED (the server dropped 2 of their ACKs), 1 "
			  "SYN-SENT", r->estab == AQ_CLIENTS - 1 && r->synsent == 1,
		     "%d ESTABLISHED, %d SYN-SENT", r->estab, r->synsent);
	ul_lab_expect_delta(ctx, "TcpExtListenOverflows", r->ov0, r->ov1, "==", 3);
	ul_lab_expect_delta(ctx, "TcpExtListenDrops", r->dr0, r->dr1, "==", 3);
	ul_lab_check(ctx, "netstat -s: \"times the listen queue of a socket overflowed\"",
		     r->netstat_sentence, NULL);
	ul_lab_check(ctx, "the server retransmitted its 2 SYN-ACKs; their ACKs overflowed again",
		     r->rt1 - r->rt0 >= 2 && r->ov2 - r->ov1 >= 2,
		     "TcpRetransSegs %+lld, overflows %+lld", r->rt1 - r->rt0, r->ov2 - r->ov1);
	ul_lab_check(ctx, "one accept() frees a slot, which a SYN-ACK retransmission fills",
		     r->afd >= 0 && r->acc2 == AQ_BACKLOG + 1 && r->acc_a == AQ_BACKLOG &&
			     r->acc3 == AQ_BACKLOG + 1,
		     "fd %d, accept queue %d -> %d -> %d", r->afd, r->acc2, r->acc_a, r->acc3);
	ul_lab_evidence(ctx, "accept_queue", "%d", r->acc);
	ul_lab_evidence(ctx, "syn_queue", "%d", r->syn);
	ul_lab_evidence(ctx, "listen_overflows", "%lld", r->ov1 - r->ov0);
	ul_lab_evidence(ctx, "listen_drops", "%lld", r->dr1 - r->dr0);
	ul_lab_evidence(ctx, "syn_table_backlog5", "%d", r->z[0].syn_max);
	ul_lab_evidence(ctx, "syn_table_backlog512", "%d", r->z[1].syn_max);
}

static int lab_accept_queue(struct ul_lab_ctx *ctx)
{
	struct aq_run *r = calloc(1, sizeof(*r));
	int err, i;

	if (!r)
		return -ENOMEM;
	r->lfd = r->afd = -1;
	for (i = 0; i < AQ_CLIENTS; i++)
		r->cfd[i] = -1;
	r->segs = calloc(AQ_MAXSEGS, sizeof(*r->segs));
	err = r->segs ? lab_boot(ctx, 2) : -ENOMEM;
	if (err)
		goto out_free;
	fprintf(ul_lab_out(ctx), "Setup: two hosts with an igb NIC each, wired back to back; "
				 "listeners on hostb.\n");
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_sh(ctx, LAB_NS_B, false, "sysctl net.core.somaxconn net.ipv4.tcp_max_syn_backlog");
	aq_sizes(ctx, r);
	err = aq_overflow(ctx, r);
	if (err)
		goto out;
	aq_later(ctx, r);
	aq_answer(ul_lab_out(ctx), r);
	aq_checks(ctx, r);
out:
	lab_seg_stop();
	lab_enter(LAB_NS_A);
	for (i = 0; i < AQ_CLIENTS; i++)
		if (r->cfd[i] >= 0)
			ul_close(r->cfd[i]);
	lab_enter(LAB_NS_B);
	if (r->afd >= 0)
		ul_close(r->afd);
	if (r->lfd >= 0)
		ul_close(r->lfd);
	ul_run_for(10 * LAB_MS);
	lab_enter(NULL);
	lab_shutdown(ctx);
out_free:
	free(r->segs);
	free(r);
	return err;
}

const struct ul_lab lab_def_accept_queue = {
	"accept-queue", "ch6",
	"How long are the accept and SYN queues, and what happens when a listener's accept "
	"queue overflows?",
	lab_accept_queue,
};
