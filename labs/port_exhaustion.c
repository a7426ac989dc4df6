/* SPDX-License-Identifier: MIT */
/* The port exhaustion lab (book ch6.5.1): connect() picks its local port by walking
 * ip_local_port_range from a keyed offset; when the range is full (ESTABLISHED or TIME_WAIT
 * connections towards the same server), every connect examines the whole range and fails
 * with EADDRNOTAVAIL; tcp_tw_reuse lets it take a TIME_WAIT port.
 * Mirrors no kernel file: an experiment on net/ipv4/inet_hashtables.c (__inet_hash_connect,
 * __inet_check_established), tcp_ipv4.c (tcp_twsk_unique) and inet_timewait_sock.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/in.h"
#include "linux/kernel.h"
#include "net/inet_hashtables.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define PE_LO	 50000
#define PE_N	 4000	/* ports in the narrowed range */
#define PE_BATCH 100	/* connects (or closes) between two runs of the stack: more at once
			 * would overflow the qdisc (txqueuelen 1000) and the NIC's TX ring */
#define PE_REP	 20	/* repetitions of the costly connects */
#define PE_PORT	 80

struct pe {
	int *cfd, *sfd;		/* client fds in connect order; server (accepted) fds */
	int nc, ns, lfd;
	/* results */
	double fill_us[4], full_us, behind_us, tw_us, first_us;	/* CPU per step, summed */
	unsigned long fill_pr[4], full_pr, behind_pr, tw_pr;	/* ports examined, summed */
	int filled_nc, filled_ns, full_err, tw_err, behind_ok, reuse_fd, reuse_state;
	unsigned long reuse_pr;
	long long twobj0, twobj1, recyc0, recyc1;
};

/* Accept whatever hostb's listener has queued. */
static void pe_accept_all(struct pe *p)
{
	int fd, guard;

	lab_enter(LAB_NS_B);
	for (guard = 0; guard < PE_N + PE_REP + 8 && p->ns < PE_N + PE_REP + 8; guard++) {
		fd = ul_accept(p->lfd, NULL, NULL);
		if (fd < 0)
			break;
		p->sfd[p->ns++] = fd;
	}
}

/* One connect from hosta (its socket created first): the fd or -errno; the CPU time of the
 * connect() call alone and the ports it examined. */
static int pe_connect(double *cpu_us, unsigned long *probes)
{
	struct sockaddr_in to = lab_sin(LAB_ADDR_B, PE_PORT);
	double t0;
	int fd, err;

	lab_enter(LAB_NS_A);
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	t0 = lab_cpu_seconds();
	err = ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS ? -errno
											   : 0;
	*cpu_us = (lab_cpu_seconds() - t0) * 1e6;
	*probes = inet_hash_connect_probes;
	if (err) {
		ul_close(fd);
		return err;
	}
	return fd;
}

/* @n connects expected to fail: the last errno, CPU and ports summed. */
static void pe_connect_failing(struct pe *p, int n, int *err, double *us_sum,
			       unsigned long *pr_sum)
{
	double us;
	unsigned long pr;
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = pe_connect(&us, &pr);
		if (fd >= 0) {	/* unexpected: keep it, so that it is closed at the end */
			if (p->nc < PE_N + PE_REP + 8)
				p->cfd[p->nc++] = fd;
			else
				ul_close(fd);
			continue;
		}
		*err = -fd;
		*us_sum += us;
		*pr_sum += pr;
	}
}

/* 1. Fill the range, PE_BATCH connects at a time. */
static void pe_fill(FILE *out, struct pe *p)
{
	double us;
	unsigned long pr;
	int i, fd;

	fprintf(out, "\n1. %d connects to %s:%d fill the range (one every few us, %d at a "
		     "time, then the stack runs):\n", PE_N, LAB_ADDR_B, PE_PORT, PE_BATCH);
	for (i = 0; i < PE_N; i++) {
		fd = pe_connect(&us, &pr);
		if (fd < 0) {
			fprintf(out, "  connect %d failed: %s\n", i + 1, strerror(-fd));
			break;
		}
		p->cfd[p->nc++] = fd;
		p->fill_us[i * 4 / PE_N] += us;
		p->fill_pr[i * 4 / PE_N] += pr;
		if ((i + 1) % PE_BATCH == 0) {
			ul_run_for(2 * LAB_MS);
			pe_accept_all(p);
		}
	}
	ul_run_for(5 * LAB_MS);
	pe_accept_all(p);
	fprintf(out, "  range filled   ports examined per connect   CPU per connect\n");
	for (i = 0; i < 4; i++)
		fprintf(out, "  %3d%% - %3d%%    %10.2f                  %8.1f us\n", i * 25,
			i * 25 + 25, (double)p->fill_pr[i] / (PE_N / 4), p->fill_us[i] / (PE_N / 4));
	fprintf(out, "  (the search starts after the port the previous connect found: the "
		     "shared hint makes a filling range cheap)\n");
	fprintf(out, "  %d connects made, %d connections accepted by hostb\n", p->nc, p->ns);
	p->filled_nc = p->nc;
	p->filled_ns = p->ns;
	p->first_us = p->fill_us[0] / (PE_N / 4);
}

/* 3. One port free, just behind where the search starts: the last connection aborted
 * (SO_LINGER 0: RST, no TIME_WAIT), then a new connect, PE_REP times. */
static void pe_behind(FILE *out, struct pe *p)
{
	double us;
	unsigned long pr;
	int i, fd;

	fprintf(out, "\n3. One port free, the one the last connect took (closed with RST, "
		     "SO_LINGER 0), %d times:\n", PE_REP);
	for (i = 0; i < PE_REP && p->nc > 0; i++) {
		struct linger lg = { 1, 0 };

		lab_enter(LAB_NS_A);
		ul_setsockopt(p->cfd[p->nc - 1], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		ul_close(p->cfd[--p->nc]);
		ul_run_for(LAB_MS);
		fd = pe_connect(&us, &pr);
		if (fd < 0)
			break;
		p->cfd[p->nc++] = fd;
		p->behind_ok++;
		p->behind_us += us;
		p->behind_pr += pr;
		ul_run_for(LAB_MS);
		pe_accept_all(p);
	}
	fprintf(out, "  %d connects succeeded; %.0f ports examined, %.1f us of CPU per call\n",
		p->behind_ok, p->behind_ok ? (double)p->behind_pr / p->behind_ok : 0.0,
		p->behind_ok ? p->behind_us / p->behind_ok : 0.0);
}

/* 4. hosta closes first, then hostb: hosta's sockets in TIME_WAIT; connect again. */
static void pe_time_wait(struct ul_lab_ctx *ctx, struct pe *p)
{
	static const char *const grep_s[] = { "TCP:", NULL };
	FILE *out = ul_lab_out(ctx);
	int i;

	fprintf(out, "\n4. hosta closes all %d connections first, then hostb: hosta's sockets "
		     "end in TIME_WAIT (60 s):\n", p->nc);
	p->twobj0 = lab_slab("tw_sock_TCP", "active_objs");
	for (i = 0; i < p->nc; i++) {
		lab_enter(LAB_NS_A);
		ul_close(p->cfd[i]);
		if ((i + 1) % PE_BATCH == 0)
			ul_run_for(2 * LAB_MS);
	}
	p->nc = 0;
	ul_run_for(5 * LAB_MS);
	pe_accept_all(p);
	for (i = 0; i < p->ns; i++) {
		lab_enter(LAB_NS_B);
		ul_close(p->sfd[i]);
		if ((i + 1) % PE_BATCH == 0)
			ul_run_for(2 * LAB_MS);
	}
	p->ns = 0;
	ul_run_for(10 * LAB_MS);
	p->twobj1 = lab_slab("tw_sock_TCP", "active_objs");
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	fprintf(out, "  /proc/slabinfo tw_sock_TCP: %lld -> %lld objects\n", p->twobj0, p->twobj1);
	pe_connect_failing(p, PE_REP, &p->tw_err, &p->tw_us, &p->tw_pr);
	fprintf(out, "  connect(): %s; %.0f ports examined, %.1f us of CPU per call\n",
		p->tw_err ? strerror(p->tw_err) : "succeeded", (double)p->tw_pr / PE_REP,
		p->tw_us / PE_REP);
}

/* 5. tcp_tw_reuse: a TIME_WAIT port whose last timestamp is more than 1 s old. */
static void pe_tw_reuse(struct ul_lab_ctx *ctx, struct pe *p)
{
	static const char *const grep_s[] = { "TCP:", NULL };
	FILE *out = ul_lab_out(ctx);
	double us;

	fprintf(out, "\n5. With tcp_tw_reuse (a TIME_WAIT port is reused when its last timestamp "
		     "is more than 1 s old; 2 s later):\n");
	lab_sh(ctx, LAB_NS_A, false, "sysctl -w net.ipv4.tcp_tw_reuse=1");
	ul_run_for(2 * LAB_SEC);
	p->recyc0 = lab_counter(LAB_NS_A, "nstat TcpExtTWRecycled");
	p->reuse_fd = pe_connect(&us, &p->reuse_pr);
	ul_run_for(5 * LAB_MS);
	p->recyc1 = lab_counter(LAB_NS_A, "nstat TcpExtTWRecycled");
	if (p->reuse_fd >= 0) {
		lab_enter(LAB_NS_A);
		p->reuse_state = lab_tcp_state(p->reuse_fd);
		p->cfd[p->nc++] = p->reuse_fd;
	}
	pe_accept_all(p);
	fprintf(out, "  connect(): %s after examining %lu port(s); the socket is %s; "
		     "TcpExtTWRecycled %+lld\n",
		p->reuse_fd >= 0 ? "succeeded" : strerror(-p->reuse_fd), p->reuse_pr,
		p->reuse_state >= 0 ? lab_tcp_state_name(p->reuse_state) : "-",
		p->recyc1 - p->recyc0);
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
}

static void pe_answer(FILE *out, const struct pe *p)
{
	char line[200];
	double full = p->full_us / PE_REP;

	fprintf(out, "\nThe book's figure beside ulnet's (ch6.5.1):\n");
	snprintf(line, sizeof(line), "%d ports: a connect on a full range examines all %d ports, "
		 "%.1f us (vs %.1f us when the range is empty, %.0fx), then EADDRNOTAVAIL", PE_N,
		 PE_N, full, p->first_us, p->first_us > 0 ? full / p->first_us : 0.0);
	lab_book_beside(out, "about 30,000 TIME_WAIT over 28,232 ports: connect() more than 100x "
			     "slower (about 2,500 us per call), all CPU in the port search; no port "
			     "left: EADDRNOTAVAIL", line);
	fprintf(out,
		"\nAnswer: connect() on an unbound socket runs __inet_hash_connect, which walks "
		"ip_local_port_range from a per-destination keyed offset plus a shared hint and, "
		"for each port already in a bind bucket of connect()ed sockets, looks the whole "
		"4-tuple up in the established hash (__inet_check_established). While the range "
		"fills, the hint keeps the walk short (about one port per connect); once the ports "
		"towards this server are all held, by ESTABLISHED sockets or by TIME_WAIT ones, "
		"each connect examines the whole range (%d ports here, %.1f us instead of %.1f us of "
		"CPU) and fails with EADDRNOTAVAIL (\"Cannot assign requested address\"); a single "
		"free port just behind the hint costs almost as much. The book's 28,232-port range "
		"makes each failing call about 7 times longer still. A TIME_WAIT socket keeps its "
		"port for 60 s, so a client that closes first can run out; tcp_tw_reuse=1 lets "
		"connect take over a TIME_WAIT 4-tuple whose last timestamp is more than 1 s old "
		"(TWRecycled), since the timestamps tell old segments from new ones.\n\nChecks:\n",
		PE_N, full, p->first_us);
}

static void pe_checks(struct ul_lab_ctx *ctx, const struct pe *p)
{
	unsigned long fill = p->fill_pr[0] + p->fill_pr[1] + p->fill_pr[2] + p->fill_pr[3];

	ul_lab_check(ctx, "the range filled: every connect succeeded and was accepted",
		     p->filled_nc == PE_N && p->filled_ns == PE_N, "%d connects, %d accepted",
		     p->filled_nc, p->filled_ns);
	ul_lab_check(ctx, "filling: about one port examined per connect (the hint)",
		     fill <= 2 * PE_N, "%lu ports for %d connects", fill, PE_N);
	ul_lab_check(ctx, "full range: EADDRNOTAVAIL", p->full_err == EADDRNOTAVAIL, "errno %d",
		     p->full_err);
	ul_lab_check(ctx, "full range: every port examined",
		     p->full_pr == (unsigned long)PE_N * PE_REP, "%lu ports in %d calls",
		     p->full_pr, PE_REP);
	ul_lab_check(ctx, "one free port behind the hint: found after more than half the range",
		     p->behind_ok == PE_REP && p->behind_pr / PE_REP > PE_N / 2,
		     "%d succeeded, %lu ports on average", p->behind_ok,
		     p->behind_ok ? p->behind_pr / p->behind_ok : 0);
	ul_lab_check(ctx, "TIME_WAIT: one tw_sock_TCP per connection",
		     p->twobj1 - p->twobj0 == PE_N, "%lld -> %lld", p->twobj0, p->twobj1);
	ul_lab_check(ctx, "TIME_WAIT holds the ports: EADDRNOTAVAIL after examining all",
		     p->tw_err == EADDRNOTAVAIL && p->tw_pr == (unsigned long)PE_N * PE_REP,
		     "errno %d, %lu ports", p->tw_err, p->tw_pr);
	ul_lab_check(ctx, "tcp_tw_reuse=1: connect reuses a TIME_WAIT port",
		     p->reuse_fd >= 0 && p->reuse_state == TCP_ESTABLISHED &&
			     p->recyc1 - p->recyc0 == 1,
		     "fd %d state %d TWRecycled %+lld", p->reuse_fd, p->reuse_state,
		     p->recyc1 - p->recyc0);
	ul_lab_evidence(ctx, "ports", "%d", PE_N);
	ul_lab_evidence(ctx, "probes_full", "%lu", p->full_pr / PE_REP);
	ul_lab_evidence(ctx, "probes_one_free", "%lu",
			p->behind_ok ? p->behind_pr / p->behind_ok : 0);
	ul_lab_evidence(ctx, "cpu_us_empty", "%.1f", p->first_us);
	ul_lab_evidence(ctx, "cpu_us_full", "%.1f", p->full_us / PE_REP);
	ul_lab_evidence(ctx, "tw_socks", "%lld", p->twobj1 - p->twobj0);
}

static int pe_setup(struct ul_lab_ctx *ctx, struct pe *p)
{
	struct rlimit rl = { 65536, 65536 };
	int err;

	fprintf(ul_lab_out(ctx), "Setup: two hosts with an igb NIC each, wired back to back; "
				 "hostb listens on :%d and accepts everything; hosta's range "
				 "narrowed to %d ports; the lab's fd limit raised (ulimit -n "
				 "65536).\n", PE_PORT, PE_N);
	err = lab_two_hosts(ctx, 1, 1024);
	if (!err)
		err = ul_setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.core.somaxconn=4096");
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false, "sysctl -w net.ipv4.ip_local_port_range=\"%d %d\"",
			     PE_LO, PE_LO + PE_N - 1);
	if (err)
		return err;
	p->lfd = lab_tcp_listen(LAB_NS_B, NULL, PE_PORT, 4096);
	if (p->lfd < 0)
		return p->lfd;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	return 0;
}

static int lab_port_exhaustion(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	struct pe p = { .lfd = -1, .reuse_fd = -1, .reuse_state = -1 };
	int i, err;

	p.cfd = calloc(PE_N + PE_REP + 8, sizeof(int));
	p.sfd = calloc(PE_N + PE_REP + 8, sizeof(int));
	if (!p.cfd || !p.sfd) {
		free(p.cfd);
		free(p.sfd);
		return -ENOMEM;
	}
	err = lab_boot(ctx, 2);
	if (err)
		goto out_free;
	err = pe_setup(ctx, &p);
	if (err)
		goto out;
	pe_fill(out, &p);
	fprintf(out, "\n2. The range is full: %d more connects\n", PE_REP);
	pe_connect_failing(&p, PE_REP, &p.full_err, &p.full_us, &p.full_pr);
	fprintf(out, "  connect(): %s; %.0f ports examined, %.1f us of CPU per call\n",
		p.full_err ? strerror(p.full_err) : "succeeded", (double)p.full_pr / PE_REP,
		p.full_us / PE_REP);
	pe_behind(out, &p);
	pe_time_wait(ctx, &p);
	pe_tw_reuse(ctx, &p);
	pe_answer(out, &p);
	pe_checks(ctx, &p);
out:
	lab_enter(LAB_NS_A);
	for (i = 0; i < p.nc; i++)
		ul_close(p.cfd[i]);
	lab_enter(LAB_NS_B);
	for (i = 0; i < p.ns; i++)
		ul_close(p.sfd[i]);
	if (p.lfd >= 0)
		ul_close(p.lfd);
	ul_run_for(10 * LAB_MS);
	lab_enter(NULL);
	lab_shutdown(ctx);
out_free:
	free(p.cfd);
	free(p.sfd);
	return err;
}

const struct ul_lab lab_def_port_exhaustion = {
	"port-exhaustion", "ch6",
	"What does connect() cost as the local ports run out, when does it fail with "
	"EADDRNOTAVAIL, and how do TIME_WAIT and tcp_tw_reuse change that?",
	lab_port_exhaustion,
};
