/* SPDX-License-Identifier: MIT */
/* The connection limits lab (book ch8): the fd limits a server meets first (RLIMIT_NOFILE
 * per task: EMFILE; fs.nr_open caps the rlimit: EPERM; fs.file-max for the whole system:
 * ENFILE), then 100,000 connections from one client host, beyond the 65,535 ports people
 * expect: a local port is unique per 4-tuple, not per host, so several client addresses and
 * several server ports multiply the count.
 * Mirrors no kernel file: an experiment on fs/file.c (__alloc_fd, get_unused_fd_flags),
 * fs/file_table.c (get_empty_filp), kernel/sys.c (do_prlimit), net/socket.c (sock_map_fd),
 * net/ipv4/inet_connection_sock.c (inet_csk_get_port) and inet_hashtables.c
 * (__inet_hash_connect). */
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

#define MC_GROUPS  5
#define MC_TOTAL   70000	/* the groups' sum: more than 65,535, and a few seconds */
#define MC_RLIMIT2 5000

/* ---- 1. the fd limits, in a task of its own (a fresh fd table, the default rlimit) ---- */

struct mc_limits {
	struct rlimit def;		/* the task's RLIMIT_NOFILE at start */
	int n_default, err_default;	/* sockets until the first failure, its errno */
	int n_raised, err_raised;	/* the same after setrlimit(MC_RLIMIT2) */
	int err_above_nr_open;		/* setrlimit above fs.nr_open */
	int n_file_max, err_file_max;	/* sockets until fs.file-max */
	int file_max_room;
	int fds[MC_RLIMIT2 + 8];
	int nfds;
};

/* Open sockets until one fails (at most @max); their count and the errno. */
static int mc_fill(struct mc_limits *l, int max, int *err)
{
	int n = 0, fd;

	*err = 0;
	while (l->nfds < (int)ARRAY_SIZE(l->fds) && n < max) {
		fd = ul_socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			*err = errno;
			break;
		}
		l->fds[l->nfds++] = fd;
		n++;
	}
	return n;
}

static void mc_close_all(struct mc_limits *l)
{
	while (l->nfds > 0)
		ul_close(l->fds[--l->nfds]);
}

static int mc_limits_task(void *arg)
{
	struct mc_limits *l = arg;
	struct rlimit r = { MC_RLIMIT2, MC_RLIMIT2 }, big = { 2000000, 2000000 };
	char buf[32];

	ul_getrlimit(RLIMIT_NOFILE, &l->def);
	l->n_default = mc_fill(l, MC_RLIMIT2 + 8, &l->err_default);
	mc_close_all(l);
	if (ul_setrlimit(RLIMIT_NOFILE, &r) == 0)
		l->n_raised = mc_fill(l, MC_RLIMIT2 + 8, &l->err_raised);
	mc_close_all(l);
	l->err_above_nr_open = ul_setrlimit(RLIMIT_NOFILE, &big) ? errno : 0;
	/* fs.file-max just above what is open now: room for file_max_room more files. */
	if (ul_sysctl_get(NULL, "fs.file-nr", buf, sizeof(buf)) == 0) {
		char val[32];

		snprintf(val, sizeof(val), "%ld", strtol(buf, NULL, 10) + l->file_max_room);
		ul_sysctl_set(NULL, "fs.file-max", val);
		l->n_file_max = mc_fill(l, MC_RLIMIT2, &l->err_file_max);
		ul_sysctl_set(NULL, "fs.file-max", "838860");
	}
	mc_close_all(l);
	return 0;
}

/* ---- 2. many connections ---- */

struct mc_group {
	const char *src;	/* bound source address, NULL: the host's own (connect picks) */
	int port;		/* server port */
	int n;			/* connections */
	int from, failed;
};

/* Distinct local ports among hosta's connected sockets. */
static int mc_distinct_ports(struct lab_conns *c, int *min_port, int *max_port)
{
	unsigned char *seen = calloc(65536, 1);
	int i, n = 0;

	*min_port = 65536;
	*max_port = 0;
	if (!seen)
		return -1;
	lab_enter(c->ns_c);
	for (i = 0; i < c->nc; i++) {
		struct sockaddr_in me;
		socklen_t len = sizeof(me);
		int p;

		if (ul_getsockname(c->cfd[i], (struct sockaddr *)&me, &len))
			continue;
		p = ntohs(me.sin_port);
		n += !seen[p];
		seen[p] = 1;
		*min_port = min(*min_port, p);
		*max_port = max(*max_port, p);
	}
	free(seen);
	return n;
}

/* What the lab measured. */
struct mc_run {
	struct mc_limits l;
	struct mc_group g[MC_GROUPS];
	struct lab_conns c;
	struct lab_slabs s[2];
	long long estab_a, estab_b, bytes;
	int nports, pmin, pmax, estab;
};

/* 1. The fd limits, in a task of its own. */
static int mc_fd_limits(struct ul_lab_ctx *ctx, struct mc_run *r)
{
	FILE *out = ul_lab_out(ctx);
	struct ul_task *t;

	fprintf(out, "\n1. The fd limits, seen by a new task on hostb (its own fd table):\n");
	lab_sh(ctx, LAB_NS_B, false, "sysctl fs.file-max fs.nr_open fs.file-nr");
	r->l.file_max_room = 100;
	t = ul_task_spawn(LAB_NS_B, "limits", lab_cpu(1), mc_limits_task, &r->l);
	if (!t)
		return -ENOMEM;
	ul_task_join(t);
	fprintf(out, "  RLIMIT_NOFILE (ulimit -n): soft %llu, hard %llu\n",
		(unsigned long long)r->l.def.rlim_cur, (unsigned long long)r->l.def.rlim_max);
	fprintf(out, "  socket() until it fails: %d sockets, then %s\n", r->l.n_default,
		r->l.err_default ? strerror(r->l.err_default) : "(no failure)");
	fprintf(out, "  setrlimit(RLIMIT_NOFILE, %d): %d sockets, then %s\n", MC_RLIMIT2,
		r->l.n_raised, r->l.err_raised ? strerror(r->l.err_raised) : "(no failure)");
	fprintf(out, "  setrlimit(RLIMIT_NOFILE, 2000000) above fs.nr_open: %s\n",
		r->l.err_above_nr_open ? strerror(r->l.err_above_nr_open) : "accepted");
	fprintf(out, "  fs.file-max set to fs.file-nr + %d: %d sockets, then %s\n",
		r->l.file_max_room, r->l.n_file_max,
		r->l.err_file_max ? strerror(r->l.err_file_max) : "(no failure)");
	return 0;
}

/* 2. MC_TOTAL connections, group by group. */
static int mc_many(struct ul_lab_ctx *ctx, struct mc_run *r)
{
	static const char *const grep_s[] = { "TCP:", NULL };
	FILE *out = ul_lab_out(ctx);
	struct rlimit rl = { 2 * MC_TOTAL + 1024, 2 * MC_TOTAL + 1024 };
	int err, i, k;
	double t0;
	u64 v0;

	fprintf(out, "\n2. %d connections from hosta to hostb: %d from 10.0.0.1 to each of :8001, "
		     ":8002 and :8003 (connect picks the local port), then %d from each of "
		     "10.0.0.11 and 10.0.0.12 to :8001 (bind to the address, port 0):\n",
		MC_TOTAL, r->g[0].n, r->g[3].n);
	err = ul_setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false, "ip addr add 10.0.0.11/24 dev eth0");
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false, "ip addr add 10.0.0.12/24 dev eth0");
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.core.somaxconn=65535");
	if (!err)
		err = lab_conns_alloc(&r->c, LAB_NS_A, LAB_NS_B, MC_TOTAL);
	if (err)
		return err;
	fprintf(out, "  (the lab's own fd limit raised to %llu: it holds both ends)\n",
		(unsigned long long)rl.rlim_cur);
	for (i = 8001; i <= 8003; i++) {
		int lfd = lab_tcp_listen(LAB_NS_B, NULL, i, 65535);

		if (lfd < 0)
			return lfd;
		r->c.lfd[r->c.nl++] = lfd;
	}
	/* ARP both ways for every address first: while a neighbour is unresolved, its queue
	 * keeps only 64 KiB (unres_qlen_bytes) of SYNs or SYN-ACKs, dropping the oldest. */
	{
		static const char *const dst[] = { "10.0.0.1", "10.0.0.11", "10.0.0.12" };

		for (i = 0; i < 3; i++) {
			struct lab_udp w = { .ns_rx = LAB_NS_A, .ns_tx = LAB_NS_B, .dst = dst[i],
					     .port = 4000 + i, .count = 1, .size = 10,
					     .rx_cpu = 1 };

			lab_udp_run(&w);
		}
	}
	lab_slabs_read(&r->s[0]);
	t0 = lab_cpu_seconds();
	v0 = ul_now_ns();
	for (k = 0; k < MC_GROUPS; k++) {
		struct mc_group *g = &r->g[k];

		g->from = r->c.nc;
		for (i = 0; i < g->n; i++)
			if (lab_conns_socket(&r->c, g->src) < 0)
				break;
		g->failed = lab_conns_connect(&r->c, g->from, LAB_ADDR_B, g->port) +
			    (g->n - (r->c.nc - g->from));
		fprintf(out, "  %-9s -> :%d  %d connects, %d failed%s%s; accepted so far %d\n",
			g->src ? g->src : "10.0.0.1", g->port, r->c.nc - g->from, g->failed,
			r->c.err ? ": " : "", r->c.err ? strerror(r->c.err) : "", r->c.ns);
	}
	ul_run_for(10 * LAB_MS);
	lab_conns_accept(&r->c);
	lab_slabs_read(&r->s[1]);
	lab_enter(LAB_NS_A);
	for (i = 0; i < r->c.nc; i++)
		r->estab += lab_tcp_state(r->c.cfd[i]) == TCP_ESTABLISHED;
	r->nports = mc_distinct_ports(&r->c, &r->pmin, &r->pmax);
	r->estab_a = lab_counter(LAB_NS_A, "nstat TcpCurrEstab");
	r->estab_b = lab_counter(LAB_NS_B, "nstat TcpCurrEstab");
	r->bytes = lab_slabs_bytes(&r->s[0], &r->s[1]);
	fprintf(out, "  %d client sockets ESTABLISHED, %d accepted by hostb; %.2f s of CPU, "
		     "%.3f s of virtual time\n", r->estab, r->c.ns, lab_cpu_seconds() - t0,
		(double)(ul_now_ns() - v0) / 1e9);
	fprintf(out, "  hosta's local ports: %d distinct numbers (%d-%d) for %d connections\n",
		r->nports, r->pmin, r->pmax, r->c.nc);
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	free(lab_view(ctx, LAB_NS_B, grep_s, "ss -s"));
	fprintf(out, "  TcpCurrEstab: hosta %lld, hostb %lld\n", r->estab_a, r->estab_b);
	fprintf(out, "  slab memory: %+.1f MB for both ends, %.0f bytes per connection per "
		     "end\n", (double)r->bytes / 1e6, (double)r->bytes / max(r->estab, 1) / 2);
	lab_sh(ctx, LAB_NS_A, false, "sysctl fs.file-nr");
	return 0;
}

static void mc_answer(FILE *out, const struct mc_run *r)
{
	double per_end = (double)r->bytes / max(r->estab, 1) / 2;
	char line[200];

	fprintf(out, "\nThe book's figure beside ulnet's (ch8.5):\n");
	snprintf(line, sizeof(line), "%d ESTABLISHED from one client host over %d local port "
		 "numbers; %.0f bytes per connection per end; 4 GB would hold about %.1f million",
		 r->estab, r->nports, per_end, per_end > 0 ? 4e9 / per_end / 1e6 : 0.0);
	lab_book_beside(out, "1,000,020 ESTABLISHED (20 client IPs x 50,000, or one IP to 20 "
			     "server ports); client +3.49 KB, server +3.14 KB per connection; 4 GB "
			     "holds about 1,000,000 idle connections", line);
	fprintf(out,
		"\nAnswer: the first limit a server meets is the per-process fd limit: "
		"get_unused_fd_flags refuses an fd at RLIMIT_NOFILE (%llu by default) with EMFILE. "
		"setrlimit can raise it, but not above fs.nr_open (EPERM), and the whole system "
		"stops at fs.file-max open files, where get_empty_filp answers ENFILE. The port "
		"number is no limit: a TCP connection is identified by its 4-tuple, so a client "
		"port is only unique per (source address, destination address, destination port). "
		"A client with several addresses (bind to each) or talking to several server "
		"ports (connect lets the same local port serve each destination) holds far more "
		"than 65,535 connections: %d here over %d port numbers, each costing only its "
		"kernel objects, about %.1f KB per end in ulnet (3.1-3.5 KB in the book), so "
		"memory, not ports, sets the ceiling.\n\nChecks:\n",
		(unsigned long long)r->l.def.rlim_cur, r->estab, r->nports, per_end / 1024);
}

static void mc_checks(struct ul_lab_ctx *ctx, const struct mc_run *r)
{
	ul_lab_check(ctx, "default RLIMIT_NOFILE: soft 1024, hard 4096",
		     r->l.def.rlim_cur == 1024 && r->l.def.rlim_max == 4096, "%llu/%llu",
		     (unsigned long long)r->l.def.rlim_cur,
		     (unsigned long long)r->l.def.rlim_max);
	ul_lab_check(ctx, "1024 sockets, then EMFILE", r->l.n_default == 1024 &&
		     r->l.err_default == EMFILE, "%d then errno %d", r->l.n_default,
		     r->l.err_default);
	ul_lab_check(ctx, "RLIMIT_NOFILE 5000: 5000 sockets, then EMFILE",
		     r->l.n_raised == MC_RLIMIT2 && r->l.err_raised == EMFILE, "%d then errno %d",
		     r->l.n_raised, r->l.err_raised);
	ul_lab_check(ctx, "setrlimit above fs.nr_open: EPERM", r->l.err_above_nr_open == EPERM,
		     "errno %d", r->l.err_above_nr_open);
	ul_lab_check(ctx, "fs.file-max reached: ENFILE", r->l.err_file_max == ENFILE &&
		     r->l.n_file_max <= r->l.file_max_room && r->l.n_file_max > 0,
		     "%d then errno %d", r->l.n_file_max, r->l.err_file_max);
	ul_lab_check(ctx, "70,000 connections ESTABLISHED on both ends",
		     r->estab == MC_TOTAL && r->c.ns == MC_TOTAL && r->estab_a == MC_TOTAL &&
			     r->estab_b == MC_TOTAL,
		     "client %d, accepted %d, TcpCurrEstab %lld/%lld", r->estab, r->c.ns,
		     r->estab_a, r->estab_b);
	ul_lab_check(ctx, "more than 65,535 connections over fewer local port numbers than that",
		     r->estab > 65535 && r->nports > 0 && r->nports <= 28233, "%d over %d ports",
		     r->estab, r->nports);
	ul_lab_evidence(ctx, "rlimit_default", "%llu", (unsigned long long)r->l.def.rlim_cur);
	ul_lab_evidence(ctx, "established", "%d", r->estab);
	ul_lab_evidence(ctx, "local_ports", "%d", r->nports);
	ul_lab_evidence(ctx, "bytes_per_conn_per_end", "%.0f",
			(double)r->bytes / max(r->estab, 1) / 2);
}

static int lab_max_conns(struct ul_lab_ctx *ctx)
{
	/* connect()-picked ports first: a port taken by bind() (its bucket's fastreuse >= 0)
	 * is skipped by __inet_hash_connect, so bound sockets first would use up the range for
	 * the others (EADDRNOTAVAIL after a walk of the whole range each time). */
	static const struct mc_group groups[MC_GROUPS] = {
		{ NULL, 8001, 22000 }, { NULL, 8002, 22000 }, { NULL, 8003, 22000 },
		{ "10.0.0.11", 8001, 2000 }, { "10.0.0.12", 8001, 2000 },
	};
	struct mc_run *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	memcpy(r->g, groups, sizeof(groups));
	err = lab_boot(ctx, 2);
	if (err) {
		free(r);
		return err;
	}
	fprintf(ul_lab_out(ctx), "Setup: two hosts with an igb NIC each, wired back to back: "
				 "hosta 10.0.0.1 (and 10.0.0.11, 10.0.0.12), hostb 10.0.0.2.\n");
	err = lab_two_hosts(ctx, 1, 1024);
	if (!err)
		err = mc_fd_limits(ctx, r);
	if (!err)
		err = mc_many(ctx, r);
	if (err)
		goto out;
	mc_answer(ul_lab_out(ctx), r);
	mc_checks(ctx, r);
out:
	lab_conns_free(&r->c);
	ul_run_for(10 * LAB_MS);
	lab_shutdown(ctx);
	free(r);
	return err;
}

const struct ul_lab lab_def_max_conns = {
	"max-conns", "ch8",
	"Which limits cap the number of open files and connections (EMFILE, ENFILE), and can one "
	"client host hold more than 65,535 connections?",
	lab_max_conns,
};
