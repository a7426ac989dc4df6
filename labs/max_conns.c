/* SPDX-License-Identifier: MIT */
/* The connection limits lab (book ch8): the fd limits a server meets first (RLIMIT_NOFILE
 * per task: EMFILE; fs.nr_open caps the rlimit: EPERM; fs.file-max for the whole system:
 * ENFILE), then 70,000 connections from one client host, beyond the 65,535 ports people
 * expect: a local port is unique per 4-tuple, not per host, so several client addresses and
 * several server ports multiply the count. With --conns N (ul_lab_run_opts.conns), part 2
 * is the book's ch8.5 experiment instead: N connections to one server port, from 20 client
 * addresses above 60,000, with the time to establish them, the bytes per connection and RSS.
 * Mirrors no kernel file: an experiment on fs/file.c (__alloc_fd, get_unused_fd_flags),
 * fs/file_table.c (get_empty_filp), kernel/sys.c (do_prlimit), net/socket.c (sock_map_fd),
 * net/ipv4/inet_connection_sock.c (inet_csk_get_port) and inet_hashtables.c
 * (__inet_hash_connect). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
/* ch8.5: the book's client port range (60,001 ports) and 20 client addresses beyond it. */
#define MC_BOOK_LOW   5000
#define MC_BOOK_HIGH  65000
#define MC_BOOK_PORTS (MC_BOOK_HIGH - MC_BOOK_LOW + 1)
#define MC_BOOK_NIPS  20
#define MC_BOOK_PORT  8100

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
	/* --conns (ch8.5) */
	int n, nips, per_ip, failed;
	double wall_s, cpu_s, virt_s;	/* to establish the n connections */
	long rss0_kib, rss1_kib;	/* VmRSS before and after */
};

/* After the connects: the slab snapshot, ESTABLISHED client sockets, distinct local ports,
 * TcpCurrEstab of both hosts and the slab bytes added. */
static void mc_count(struct mc_run *r)
{
	int i;

	lab_slabs_read(&r->s[1]);
	lab_enter(LAB_NS_A);
	for (i = 0; i < r->c.nc; i++)
		r->estab += lab_tcp_state(r->c.cfd[i]) == TCP_ESTABLISHED;
	r->nports = mc_distinct_ports(&r->c, &r->pmin, &r->pmax);
	r->estab_a = lab_counter(LAB_NS_A, "nstat TcpCurrEstab");
	r->estab_b = lab_counter(LAB_NS_B, "nstat TcpCurrEstab");
	r->bytes = lab_slabs_bytes(&r->s[0], &r->s[1]);
}

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
	mc_count(r);
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

/* ---- 2'. the book's ch8.5 experiment (--conns N) ---- */

static double mc_wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The client address of group @k: hosta's own with one group, 10.0.0.101.. with 20. */
static void mc_book_addr(const struct mc_run *r, int k, char *buf, size_t len)
{
	if (r->nips == 1)
		snprintf(buf, len, "%s", LAB_ADDR_A);
	else
		snprintf(buf, len, "10.0.0.%d", 101 + k);
}

/* The book's tuning, typed as the book types it: the fd limits above the count, the client's
 * port range widened, the server's somaxconn raised. DIVERGES: the book's client and server
 * are two machines, each with its own fd limit; here the lab's one thread holds both ends'
 * fds, so its RLIMIT_NOFILE (and fs.nr_open) is twice the book's. */
static int mc_book_tune(struct ul_lab_ctx *ctx, struct mc_run *r)
{
	long fds = 2L * r->n + 1024, file_max = max(838860L, fds + 4096);
	struct rlimit rl = { (rlim_t)fds, (rlim_t)fds };
	int err, k;

	err = lab_sh(ctx, NULL, false, "sysctl -w fs.file-max=%ld", file_max);
	if (!err)
		err = lab_sh(ctx, NULL, false, "sysctl -w fs.nr_open=%ld", max(1048576L, fds));
	if (!err)
		err = lab_sh(ctx, LAB_NS_A, false, "sysctl -w net.ipv4.ip_local_port_range=\"%d %d\"",
			     MC_BOOK_LOW, MC_BOOK_HIGH);
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.core.somaxconn=65535");
	if (!err && ul_setrlimit(RLIMIT_NOFILE, &rl))
		err = -errno;
	if (err)
		return err;
	fprintf(ul_lab_out(ctx), "  (ulimit -n %ld for the lab's thread: it holds both ends)\n",
		fds);
	for (k = 0; r->nips > 1 && k < r->nips; k++) {
		char ip[32], line[64];

		mc_book_addr(r, k, ip, sizeof(ip));
		snprintf(line, sizeof(line), "ip addr add %s/24 dev eth0", ip);
		/* The first two echoed, the rest quietly. */
		err = k < 2 ? lab_sh(ctx, LAB_NS_A, false, "%s", line) : ul_cmd(LAB_NS_A, line, NULL);
		if (err)
			return err;
		if (k == 1)
			fprintf(ul_lab_out(ctx), "  ... (%d addresses in all, up to 10.0.0.%d)\n",
				r->nips, 100 + r->nips);
	}
	return 0;
}

/* 2'. r->n connections to hostb:8100, r->per_ip from each client address. */
static int mc_book(struct ul_lab_ctx *ctx, struct mc_run *r)
{
	static const char *const grep_s[] = { "TCP:", NULL };
	FILE *out = ul_lab_out(ctx);
	double t0, c0;
	int err, i, k, lfd;
	u64 v0;

	r->nips = r->n > MC_BOOK_PORTS ? MC_BOOK_NIPS : 1;
	r->per_ip = (r->n + r->nips - 1) / r->nips;
	fprintf(out, "\n2. The book's ch8.5 experiment: %d connections from hosta to %s:%d, "
		     "%d from each of %d client address(es) (port range %d-%d: %d ports per "
		     "address)%s:\n", r->n, LAB_ADDR_B, MC_BOOK_PORT, r->per_ip, r->nips,
		MC_BOOK_LOW, MC_BOOK_HIGH, MC_BOOK_PORTS,
		r->nips > 1 ? ", each socket bound to its address with port 0" : "");
	err = mc_book_tune(ctx, r);
	if (!err)
		err = lab_conns_alloc(&r->c, LAB_NS_A, LAB_NS_B, r->n);
	if (err)
		return err;
	lfd = lab_tcp_listen(LAB_NS_B, NULL, MC_BOOK_PORT, 65535);
	if (lfd < 0)
		return lfd;
	r->c.lfd[r->c.nl++] = lfd;
	/* ARP both ways for every client address first (unres_qlen_bytes, see mc_many). */
	for (k = 0; k < r->nips; k++) {
		char ip[32];
		struct lab_udp w = { .ns_rx = LAB_NS_A, .ns_tx = LAB_NS_B, .port = 4000 + k,
				     .count = 1, .size = 10, .rx_cpu = 1 };

		mc_book_addr(r, k, ip, sizeof(ip));
		w.dst = ip;
		lab_udp_run(&w);
	}
	lab_slabs_read(&r->s[0]);
	r->rss0_kib = lab_status_kib("VmRSS");
	t0 = mc_wall_s();
	c0 = lab_cpu_seconds();
	v0 = ul_now_ns();
	for (k = 0; k < r->nips && r->c.nc < r->n; k++) {
		int from = r->c.nc, want = min(r->per_ip, r->n - from), failed;
		char ip[32];

		mc_book_addr(r, k, ip, sizeof(ip));
		for (i = 0; i < want; i++)
			if (lab_conns_socket(&r->c, r->nips > 1 ? ip : NULL) < 0)
				break;
		failed = lab_conns_connect(&r->c, from, LAB_ADDR_B, MC_BOOK_PORT) +
			 (want - (r->c.nc - from));
		r->failed += failed;
		if (k < 2 || k == r->nips - 1 || failed)
			fprintf(out, "  %-10s -> :%d  %d connects, %d failed%s%s; accepted so far "
				     "%d (%.1f s)\n", ip, MC_BOOK_PORT, r->c.nc - from, failed,
				failed ? ": " : "", failed && r->c.err ? strerror(r->c.err) : "",
				r->c.ns, mc_wall_s() - t0);
		else if (k == 2)
			fprintf(out, "  ...\n");
		if (r->c.nc - from < want)
			break;	/* socket() or bind() failed: the count says so */
	}
	ul_run_for(10 * LAB_MS);
	lab_conns_accept(&r->c);
	r->wall_s = mc_wall_s() - t0;
	r->cpu_s = lab_cpu_seconds() - c0;
	r->virt_s = (double)(ul_now_ns() - v0) / 1e9;
	r->rss1_kib = lab_status_kib("VmRSS");
	mc_count(r);
	fprintf(out, "  %d client sockets ESTABLISHED, %d accepted by hostb\n", r->estab, r->c.ns);
	fprintf(out, "  time to establish: %.2f s (%.2f s of CPU; %.3f s of virtual time), "
		     "%.1f us per connection\n", r->wall_s, r->cpu_s, r->virt_s,
		r->wall_s * 1e6 / max(r->n, 1));
	fprintf(out, "  hosta's local ports: %d distinct numbers (%d-%d)\n", r->nports, r->pmin,
		r->pmax);
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	free(lab_view(ctx, LAB_NS_B, grep_s, "ss -s"));
	fprintf(out, "  TcpCurrEstab: hosta %lld, hostb %lld\n", r->estab_a, r->estab_b);
	fprintf(out, "  slab memory: %+.1f MB for both ends = %.0f bytes per connection (%.0f per "
		     "end)\n", (double)r->bytes / 1e6, (double)r->bytes / max(r->estab, 1),
		(double)r->bytes / max(r->estab, 1) / 2);
	fprintf(out, "  process RSS (VmRSS): %.2f GiB -> %.2f GiB, %+.0f bytes per connection "
		     "(slab, fd tables, the lab's fd arrays, allocator overhead)\n",
		(double)r->rss0_kib / 1048576.0, (double)r->rss1_kib / 1048576.0,
		(double)(r->rss1_kib - r->rss0_kib) * 1024.0 / max(r->estab, 1));
	lab_sh(ctx, LAB_NS_A, false, "sysctl fs.file-nr");
	return 0;
}

static void mc_book_answer(FILE *out, const struct mc_run *r)
{
	double per_end = (double)r->bytes / max(r->estab, 1) / 2;
	char line[240];

	fprintf(out, "\nThe book's figure beside ulnet's (ch8.5):\n");
	snprintf(line, sizeof(line), "%d ESTABLISHED (%d client address(es) x %d); %.2f KB of "
		 "slab per connection per end; RSS %+.2f GiB; 4 GB of slab would hold about %.1f "
		 "million", r->estab, r->nips, r->per_ip, per_end / 1024,
		 (double)(r->rss1_kib - r->rss0_kib) / 1048576.0,
		 per_end > 0 ? 4e9 / per_end / 1e6 : 0.0);
	lab_book_beside(out, "1,000,020 ESTABLISHED (20 client IPs x 50,000 to one server port); "
			     "client +3.49 KB, server +3.14 KB of slab per connection; 4 GB holds "
			     "about 1,000,000 idle connections", line);
	fprintf(out,
		"\nAnswer: with the fd limits raised (fs.file-max, fs.nr_open, ulimit -n) and the "
		"port range widened, only the 4-tuples and memory bound the count. One client "
		"address towards one server port gives at most %d connections (the port range); "
		"the book's 20 client addresses each reuse the same port numbers, because a port "
		"is unique per (source address, port), not per host: %d connections here over %d "
		"port numbers. Each idle connection costs only its kernel objects (socket, file, "
		"tcp_sock, bind bucket), %.2f KB per end in ulnet against 3.1-3.5 KB in the book, "
		"and no CPU while idle. %d connections took %.1f s to establish here.\n\nChecks:\n",
		MC_BOOK_PORTS, r->estab, r->nports, per_end / 1024, r->n, r->wall_s);
}

static void mc_book_checks(struct ul_lab_ctx *ctx, const struct mc_run *r)
{
	ul_lab_check(ctx, "--conns: every connect succeeded", r->failed == 0 && r->c.nc == r->n,
		     "%d sockets, %d failed", r->c.nc, r->failed);
	ul_lab_check(ctx, "--conns: all ESTABLISHED on both ends",
		     r->estab == r->n && r->c.ns == r->n && r->estab_a == r->n &&
			     r->estab_b == r->n,
		     "client %d, accepted %d, TcpCurrEstab %lld/%lld of %d", r->estab, r->c.ns,
		     r->estab_a, r->estab_b, r->n);
	ul_lab_check(ctx, "--conns: local ports within 5000-65000, one per connection and address",
		     r->nports > 0 && r->pmin >= MC_BOOK_LOW && r->pmax <= MC_BOOK_HIGH &&
			     r->nports <= MC_BOOK_PORTS && r->nports >= r->per_ip,
		     "%d ports (%d-%d)", r->nports, r->pmin, r->pmax);
	ul_lab_evidence(ctx, "connections", "%d", r->n);
	ul_lab_evidence(ctx, "client_addresses", "%d", r->nips);
	ul_lab_evidence(ctx, "established", "%d", r->estab);
	ul_lab_evidence(ctx, "establish_s", "%.3f", r->wall_s);
	ul_lab_evidence(ctx, "establish_virtual_s", "%.3f", r->virt_s);
	ul_lab_evidence(ctx, "slab_bytes_per_conn", "%.0f", (double)r->bytes / max(r->estab, 1));
	ul_lab_evidence(ctx, "rss_bytes_per_conn", "%.0f",
			(double)(r->rss1_kib - r->rss0_kib) * 1024.0 / max(r->estab, 1));
	ul_lab_evidence(ctx, "rss_gib", "%.3f", (double)r->rss1_kib / 1048576.0);
}

/* Tear the connections down by RST (SO_LINGER 0) from the client: a million FIN exchanges
 * and TIME_WAIT socks would take longer than the experiment. */
static void mc_book_abort(struct mc_run *r)
{
	struct linger lg = { 1, 0 };
	int i;

	lab_enter(LAB_NS_A);
	for (i = 0; i < r->c.nc; i++)
		ul_setsockopt(r->c.cfd[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
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

/* Part 1's checks (both variants of part 2). */
static void mc_limits_checks(struct ul_lab_ctx *ctx, const struct mc_run *r)
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
	ul_lab_evidence(ctx, "rlimit_default", "%llu", (unsigned long long)r->l.def.rlim_cur);
}

static void mc_checks(struct ul_lab_ctx *ctx, const struct mc_run *r)
{
	ul_lab_check(ctx, "70,000 connections ESTABLISHED on both ends",
		     r->estab == MC_TOTAL && r->c.ns == MC_TOTAL && r->estab_a == MC_TOTAL &&
			     r->estab_b == MC_TOTAL,
		     "client %d, accepted %d, TcpCurrEstab %lld/%lld", r->estab, r->c.ns,
		     r->estab_a, r->estab_b);
	ul_lab_check(ctx, "more than 65,535 connections over fewer local port numbers than that",
		     r->estab > 65535 && r->nports > 0 && r->nports <= 28233, "%d over %d ports",
		     r->estab, r->nports);
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
	if (ul_lab_opts(ctx)->conns < 0 ||
	    ul_lab_opts(ctx)->conns > (long)MC_BOOK_NIPS * MC_BOOK_PORTS) {
		fprintf(ul_lab_out(ctx), "max-conns: --conns %ld: at most %d (%d addresses x %d "
					 "ports)\n", ul_lab_opts(ctx)->conns,
			MC_BOOK_NIPS * MC_BOOK_PORTS, MC_BOOK_NIPS, MC_BOOK_PORTS);
		free(r);
		return -EINVAL;
	}
	r->n = (int)ul_lab_opts(ctx)->conns;
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
	if (!err && r->n)
		err = mc_book(ctx, r);
	else if (!err)
		err = mc_many(ctx, r);
	if (err)
		goto out;
	if (r->n) {
		mc_book_answer(ul_lab_out(ctx), r);
		mc_limits_checks(ctx, r);
		mc_book_checks(ctx, r);
		mc_book_abort(r);
	} else {
		mc_answer(ul_lab_out(ctx), r);
		mc_limits_checks(ctx, r);
		mc_checks(ctx, r);
	}
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
