/* SPDX-License-Identifier: MIT */
/* The long-vs-short connections lab (book ch9, netperf's TCP_RR against TCP_CRR): the same
 * request/response transactions over one long connection and over a new connection each:
 * segments, time and TIME_WAIT sockets per transaction.
 * Mirrors no kernel file: an experiment on net/ipv4/tcp_ipv4.c (tcp_v4_connect),
 * tcp_input.c (the handshake), tcp.c (tcp_close) and tcp_minisocks.c (tcp_time_wait). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linux/in.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define CR_N	200	/* transactions per case */
#define CR_MSG	64
#define CR_PORT 9001

struct cr_run {
	bool short_conns;	/* a new connection per transaction (CRR) */
	int port, ready, done;
	int served, completed, failed;
	u64 t0, t1;		/* the client's first connect, its last answer */
	long long segs, opens, tw;	/* TcpOutSegs of both hosts, TcpActiveOpens, tw_socks */
};

/* Context: a task in hostb: accept, answer every request, close at EOF; until CR_N. */
static int cr_server(void *arg)
{
	struct cr_run *r = arg;
	struct sockaddr_in sin = lab_sin(LAB_ADDR_B, r->port);
	char buf[CR_MSG];
	int lfd = ul_socket(AF_INET, SOCK_STREAM, 0), one = 1, guard = 0;

	if (lfd < 0 || ul_setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    ul_bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(lfd, 128)) {
		r->failed = errno;
		if (lfd >= 0)
			ul_close(lfd);
		return r->failed;
	}
	r->ready = 1;
	while (r->served < CR_N && ++guard < 10 * CR_N) {
		int fd = ul_accept(lfd, NULL, NULL), g2 = 0;

		if (fd < 0) {
			r->failed = errno;
			break;
		}
		while (++g2 < 10 * CR_N) {
			ssize_t n = ul_recv(fd, buf, sizeof(buf), MSG_WAITALL);

			if (n <= 0 || ul_send(fd, buf, (size_t)n, 0) != n)
				break;
			r->served++;
		}
		ul_close(fd);
	}
	ul_close(lfd);
	return 0;
}

static int cr_connect(struct cr_run *r)
{
	struct sockaddr_in to = lab_sin(LAB_ADDR_B, r->port);
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -errno;
	ul_setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one));
	if (ul_connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		int err = -errno;

		ul_close(fd);
		return err;
	}
	return fd;
}

/* Context: a task in hosta. One transaction: a request, its whole answer. */
static int cr_client(void *arg)
{
	struct cr_run *r = arg;
	char buf[CR_MSG];
	int fd = -1, i, guard = 0;

	while (!r->ready && ++guard < 1000)
		ul_sleep(LAB_MS);
	memset(buf, 'r', sizeof(buf));
	r->t0 = ul_now_ns();
	for (i = 0; i < CR_N; i++) {
		if (fd < 0) {
			fd = cr_connect(r);
			if (fd < 0) {
				r->failed = -fd;
				break;
			}
		}
		if (ul_send(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) ||
		    ul_recv(fd, buf, sizeof(buf), MSG_WAITALL) != (ssize_t)sizeof(buf)) {
			r->failed = errno ? errno : EIO;
			break;
		}
		r->completed++;
		if (r->short_conns) {
			ul_close(fd);	/* the client closes first: its side keeps TIME_WAIT */
			fd = -1;
		}
	}
	r->t1 = ul_now_ns();
	if (fd >= 0)
		ul_close(fd);
	return 0;
}

static int cr_case(struct cr_run *r)
{
	long long s0 = lab_counter(LAB_NS_A, "nstat TcpOutSegs") +
		       lab_counter(LAB_NS_B, "nstat TcpOutSegs");
	long long o0 = lab_counter(LAB_NS_A, "nstat TcpActiveOpens");
	long long tw0 = lab_slab("tw_sock_TCP", "active_objs");
	struct ul_task *s = ul_task_spawn(LAB_NS_B, "server", 1, cr_server, r);
	struct ul_task *c = ul_task_spawn(LAB_NS_A, "client", 0, cr_client, r);

	if (!s || !c) {
		if (c)
			ul_task_join(c);
		if (s)
			ul_task_join(s);
		return -ENOMEM;
	}
	ul_task_join(c);
	ul_task_join(s);
	ul_run_for(500 * LAB_MS);	/* the last close's FINs and ACKs */
	r->segs = lab_counter(LAB_NS_A, "nstat TcpOutSegs") +
		  lab_counter(LAB_NS_B, "nstat TcpOutSegs") - s0;
	r->opens = lab_counter(LAB_NS_A, "nstat TcpActiveOpens") - o0;
	r->tw = lab_slab("tw_sock_TCP", "active_objs") - (tw0 < 0 ? 0 : tw0);
	return 0;
}

static int lab_crr_rr(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct cr_run r[2] = { { .port = CR_PORT }, { .short_conns = true, .port = CR_PORT + 1 } };
	static const char *const grep_s[] = { "TCP:", NULL };
	double per[2], us[2];
	int err, i;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: two hosts with an igb NIC each, wired; a client task on hosta does "
		     "%d transactions (a %d-byte request, a %d-byte answer, TCP_NODELAY) with a "
		     "server task on hostb: (1) over one connection (netperf TCP_RR), (2) over a "
		     "new connection each, closed by the client (TCP_CRR).\n",
		CR_N, CR_MSG, CR_MSG);
	err = lab_two_hosts(ctx, 1, 256);
	if (err)
		goto out;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	for (i = 0; i < 2 && !err; i++)
		err = cr_case(&r[i]);
	if (err)
		goto out;
	for (i = 0; i < 2; i++) {
		per[i] = (double)r[i].segs / CR_N;
		us[i] = (double)(r[i].t1 - r[i].t0) / 1e3 / CR_N;
		fprintf(out, "\n%s: %d transactions completed, %d answered\n"
			     "  TCP segments (both hosts) %+lld = %.2f per transaction; connects "
			     "(TcpActiveOpens) %+lld; %.1f us of virtual time per transaction; "
			     "tw_sock_TCP %+lld\n",
			i ? "2. A new connection per transaction (CRR)" :
			    "1. One long connection (RR)",
			r[i].completed, r[i].served, r[i].segs, per[i], r[i].opens, us[i], r[i].tw);
	}
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	fprintf(out,
		"\nAnswer (ch9): a long connection pays for its handshake once; each transaction "
		"is then a request and an answer, %.2f segments (the ACKs ride on the data). A "
		"short connection pays the three-way handshake and the four-segment close every "
		"time: %.2f segments per transaction, an extra round trip before the request "
		"(%.1f us against %.1f us of virtual time here), a socket allocated and freed, and "
		"a TIME_WAIT socket left on the side that closed first for 60 s (%lld after %d "
		"transactions): what exhausts ports and memory at high rates (port-exhaustion, "
		"conn-memory). The book's advice (ch9): keep connections alive (HTTP keep-alive, "
		"connection pools).\n\nChecks:\n",
		per[0], per[1], us[1], us[0], r[1].tw, CR_N);
	for (i = 0; i < 2; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s: all %d transactions answered",
			 i ? "CRR" : "RR", CR_N);
		ul_lab_check(ctx, name,
			     r[i].completed == CR_N && r[i].served == CR_N && !r[i].failed,
			     "completed %d served %d error %d", r[i].completed, r[i].served,
			     r[i].failed);
	}
	ul_lab_check(ctx, "RR: one connect; CRR: one per transaction",
		     r[0].opens == 1 && r[1].opens == CR_N, "%lld and %lld", r[0].opens,
		     r[1].opens);
	ul_lab_check(ctx, "CRR: at least 3x the segments per transaction of RR",
		     r[0].segs > 0 && r[1].segs >= 3 * r[0].segs, "%.2f vs %.2f", per[1], per[0]);
	ul_lab_check(ctx, "CRR: one TIME_WAIT socket per transaction, RR: one in all",
		     r[1].tw == CR_N && r[0].tw == 1, "tw_sock_TCP %+lld and %+lld", r[1].tw,
		     r[0].tw);
	ul_lab_check(ctx, "CRR: more virtual time per transaction (the handshake's round trip)",
		     us[1] > us[0], "%.1f vs %.1f us", us[1], us[0]);
	ul_lab_evidence(ctx, "segs_per_txn_rr", "%.2f", per[0]);
	ul_lab_evidence(ctx, "segs_per_txn_crr", "%.2f", per[1]);
	ul_lab_evidence(ctx, "us_per_txn_rr", "%.1f", us[0]);
	ul_lab_evidence(ctx, "us_per_txn_crr", "%.1f", us[1]);
out:
	ul_run_for(LAB_SEC);
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_crr_rr = {
	"crr-vs-rr", "ch9",
	"What do short connections cost against one long connection for the same "
	"request/response transactions?",
	lab_crr_rr,
};
