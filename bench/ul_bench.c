/* SPDX-License-Identifier: MIT */
/* The ulnet side of `make bench` (bench/run.py): one benchmark per subcommand, each printing
 * "RESULT <value>" (and "INFO key=value" lines) for the driver to parse.
 * Mirrors nothing in Linux: it drives the stack through the ul_ API (and slab statistics).
 *
 *   udp_rr_sim N      UDP request/response, 1 byte each way over lo, both ends tasks of the
 *                     sim runtime (one thread): round trips per wall second
 *   udp_rr_posix N    the same on the posix runtime (two task threads)
 *   udp_cost N        N datagrams over lo on sim from the booting thread, no tasks: run.py
 *                     runs it under callgrind for N and 3N and divides the difference of
 *                     the inclusive counts by 2N
 *   tcp_cost_{rx,tx} N  N in-order 1448-byte segments received from (or sent to) a peer
 *                     this program plays on a dummy device; under callgrind as udp_cost
 *   epoll_scale N     N connections over lo, N/10 then N in one epoll set, 1% of them active
 *                     per round: µs per request (RESULT at N) and epoll items visited per
 *                     ready event at both sizes (INFO)
 *   simspeed N        N 1472-byte UDP datagrams between two hosts over simulated 1 Gbit/s
 *                     NICs and a wire: frames crossing the wire per wall second
 *   mem N             N idle UDP sockets: bytes per socket from slab accounting (RESULT)
 *                     and from RSS growth (INFO rss_per_socket), bytes per cache (INFO cache.*)
 *   tcp_stream_{sim,posix}_{64k,1k} N   N bytes over one TCP connection on lo in 64 KiB or
 *                     1 KiB writes: Gbit/s
 *   tcp_rr_{sim,posix} N    TCP request/response, 1 byte each way: round trips/s
 *   tcp_crr_{sim,posix} N   connect, 1 byte each way, close, N times: transactions/s
 *   tcp_mem_{idle,msg,q4k,tw} N N connections over lo: bytes per socket (slab; INFO: RSS, caches,
 *                     heap) idle, with 4 KiB queued, or per TIME_WAIT sock
 *   tcp_million N     N connections between two namespaces joined by a veth, one message on
 *                     each: peak RSS in GiB (RESULT), establishment time (INFO establish_s)
 * On posix the request/response and stream benchmarks also print, per task, how its blocks
 * ended (INFO NAME_spin_hits, NAME_sleeps, NAME_futex_wakes); UL_BENCH_SPIN_US=N in the
 * environment sets ul_config.spin_us (-1: no spin before sleeping).
 * The numbers and what limits them: docs/performance.md. */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include "linux/etherdevice.h"
#include "linux/eventpoll.h"
#include "linux/interrupt.h"
#include "linux/net.h"
#include "linux/netdevice.h"
#include "linux/slab.h"
#include "linux/tcp.h"
#include "linux/types.h"
#include "net/checksum.h"
#include "net/hw.h"
#include "net/inet_sock.h"
#include "net/net_namespace.h"
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "arch/arch.h"
#include "../labs/book.h"

#define MS (1000ULL * 1000ULL)
#define RR_PORT 7001
#define SINK_PORT 7002

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct sockaddr_in sin_of(const char *ip, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static int boot(enum ul_runtime rt, int ncpus)
{
	struct ul_config cfg = { .runtime = rt, .ncpus = ncpus, .seed = 1 };
	const char *spin = getenv("UL_BENCH_SPIN_US");
	int err;

	/* posix: the spin before sleeping (ul_config.spin_us), to compare settings by hand. */
	if (spin)
		cfg.spin_us = atoi(spin);
	err = ul_stack_create(&cfg);

	if (err) {
		fprintf(stderr, "ul_stack_create: %s\n", strerror(-err));
		return err;
	}
	return 0;
}

static int cmd(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		fprintf(stderr, "%s: %s (%s)\n", line, out ? out : "", strerror(-err));
	free(out);
	return err;
}

/* Boot a one-CPU sim stack for @n connections over lo: lo up, somaxconn 65535, and a
 * client address 127.1.K.1 on lo for every 50,000 connections (the clients' source ports).
 * 0 or 1 (the failure printed). */
static int boot_lo_clients(long n)
{
	char buf[64];
	long i;

	if (boot(UL_RUNTIME_SIM, 1) || cmd(NULL, "ip link set lo up") ||
	    ul_sysctl_set(NULL, "net.core.somaxconn", "65535"))
		return 1;
	/* DIVERGES (ulnet, reported): __ip_dev_find has no fallback to the local table, so a
	 * source in 127/8 that is not an address of lo fails ip_route_output (-EINVAL), where
	 * 3.10 finds lo through the local route. Give lo the client addresses. */
	for (i = 0; i <= (n - 1) / 50000; i++) {
		snprintf(buf, sizeof(buf), "ip addr add 127.1.%ld.1/32 dev lo", i + 1);
		if (cmd(NULL, buf))
			return 1;
	}
	return 0;
}

/* A task run through stats_task: on posix, how its blocks ended (INFO lines). */
struct stats_task {
	ul_task_fn fn;
	void *arg;
	const char *name;
	struct ul_posix_wait_stats st;
	int have;
};

static int stats_task(void *arg)
{
	struct stats_task *t = arg;
	int ret = t->fn(t->arg);

	t->have = !ul_posix_wait_stats(ul_current_task(), &t->st);
	return ret;
}

static struct ul_task *spawn_stats(struct stats_task *t, const char *name, int cpu,
				   ul_task_fn fn, void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->name = name;
	t->have = 0;
	return ul_task_spawn(NULL, name, cpu, stats_task, t);
}

/* posix: blocks that ended while spinning, that slept, and futex wakes it needed. */
static void print_wait_stats(const struct stats_task *t)
{
	if (!t->have)
		return;
	printf("INFO %s_spin_hits=%llu %s_sleeps=%llu %s_futex_wakes=%llu\n", t->name,
	       (unsigned long long)t->st.spin_hits, t->name, (unsigned long long)t->st.sleeps,
	       t->name, (unsigned long long)t->st.futex_wakes);
}

/* ---- UDP request/response over lo ------------------------------------------------------ */

struct rr {
	long n;			/* round trips to make */
	volatile int ready;	/* the server's socket is bound */
	long done;		/* round trips the client completed */
	int err;
};

static int rr_server(void *arg)
{
	struct rr *r = arg;
	struct sockaddr_in sin = sin_of("127.0.0.1", RR_PORT), from;
	socklen_t alen;
	char b;
	long i;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return 1;
	r->ready = 1;
	for (i = 0; i < r->n; i++) {
		alen = sizeof(from);
		if (ul_recvfrom(fd, &b, 1, 0, (struct sockaddr *)&from, &alen) != 1)
			return 2;
		if (ul_sendto(fd, &b, 1, 0, (struct sockaddr *)&from, alen) != 1)
			return 3;
	}
	return ul_close(fd);
}

static int rr_client(void *arg)
{
	struct rr *r = arg;
	struct sockaddr_in to = sin_of("127.0.0.1", RR_PORT);
	char b = 'x';
	int fd, guard = 0;

	while (!r->ready && ++guard < 10000)
		ul_sleep(MS / 10);
	if (!r->ready)
		return 10;
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || ul_connect(fd, (struct sockaddr *)&to, sizeof(to)))
		return 11;
	for (r->done = 0; r->done < r->n; r->done++) {
		if (ul_send(fd, &b, 1, 0) != 1)
			return 12;
		if (ul_recv(fd, &b, 1, 0) != 1)
			return 13;
	}
	return ul_close(fd);
}

static int bench_udp_rr(enum ul_runtime rt, long n)
{
	struct rr r = { .n = n };
	struct stats_task ss, cs;
	struct ul_task *s, *c;
	double t0, t1;
	int es, ec;

	if (boot(rt, 2) || cmd(NULL, "ip link set lo up"))
		return 1;
	s = spawn_stats(&ss, "rr_server", 0, rr_server, &r);
	c = spawn_stats(&cs, "rr_client", rt == UL_RUNTIME_POSIX ? 1 : 0, rr_client, &r);
	if (!s || !c)
		return 1;
	t0 = wall_s();
	ec = ul_task_join(c);
	t1 = wall_s();
	es = ul_task_join(s);
	ul_stack_destroy();
	if (ec || es || r.done != n) {
		fprintf(stderr, "udp_rr: client %d server %d, %ld of %ld round trips\n", ec, es,
			r.done, n);
		return 1;
	}
	printf("INFO seconds=%.6f\n", t1 - t0);
	print_wait_stats(&ss);
	print_wait_stats(&cs);
	printf("RESULT %.1f\n", (double)n / (t1 - t0));
	return 0;
}

/* ---- per-datagram cost (callgrind) ----------------------------------------------------- */

/* Receive what is queued on @fd without blocking; returns the count, -1 on a bad datagram. */
static long drain(int fd)
{
	char buf[64];
	long got = 0;
	ssize_t r;

	while ((r = ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) == 32)
		got++;
	return r < 0 && errno == EAGAIN ? got : -1;
}

/* Everything runs in the calling thread, without tasks: the sim runtime switches stacks
 * between tasks and callgrind's call tree (the inclusive counts run.py reads) does not follow
 * a stack switch. Sending on lo runs the receive softirq inline at the local_bh_enable of
 * dev_queue_xmit, as in Linux, so one udp_sendmsg holds one whole receive path. */
static int bench_udp_cost(long n)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", SINK_PORT);
	char payload[32];
	long i, got = 0, d;
	int rx, tx;

	if (boot(UL_RUNTIME_SIM, 1) || cmd(NULL, "ip link set lo up"))
		return 1;
	memset(payload, 'p', sizeof(payload));
	rx = ul_socket(AF_INET, SOCK_DGRAM, 0);
	tx = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0 || ul_bind(rx, (struct sockaddr *)&sin, sizeof(sin)))
		return 1;
	for (i = 0; i < n; i++) {
		if (ul_sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&sin,
			      sizeof(sin)) != (ssize_t)sizeof(payload))
			return 1;
		/* Drain before the receive buffer could fill (no drops in the measured path). */
		if ((i & 31) == 31) {
			if ((d = drain(rx)) < 0)
				return 1;
			got += d;
		}
	}
	if ((d = drain(rx)) < 0)
		return 1;
	got += d;
	ul_close(rx);
	ul_close(tx);
	ul_stack_destroy();
	if (got != n) {
		fprintf(stderr, "udp_cost: %ld of %ld datagrams received\n", got, n);
		return 1;
	}
	printf("RESULT %ld\n", n);
	return 0;
}

/* ---- simulation speed: two hosts, 1 Gbit/s NICs and a wire ------------------------------ */

struct flow {
	long n;
	volatile int ready;
	long got;
	uint64_t t_first, t_last;
};

static int flow_rx(void *arg)
{
	struct flow *f = arg;
	struct sockaddr_in sin = sin_of("10.9.0.2", SINK_PORT);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	static char buf[2048];
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	int rcvbuf = 4 << 20;
	ssize_t r;

	if (fd < 0 || ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return 1;
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	f->ready = 1;
	/* Until the flow stops (a 200 ms silence of virtual time) or all came. */
	while (f->got < f->n) {
		r = ul_recv(fd, buf, sizeof(buf), 0);
		if (r < 0)
			break;
		if (f->got == 1)	/* the flow starts after the ARP warm-up datagram */
			f->t_first = ul_now_ns();
		f->t_last = ul_now_ns();
		f->got++;
	}
	return ul_close(fd);
}

static int flow_tx(void *arg)
{
	struct flow *f = arg;
	struct sockaddr_in to = sin_of("10.9.0.2", SINK_PORT);
	static char payload[1472];
	long i;
	int fd, guard = 0;

	while (!f->ready && ++guard < 10000)
		ul_sleep(MS / 10);
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || ul_connect(fd, (struct sockaddr *)&to, sizeof(to)))
		return 10;
	/* Resolve the neighbour first: datagrams sent while ARP is pending wait in the arp
	 * queue (unres_qlen_bytes) and the rest are dropped without the sender knowing. */
	if (ul_send(fd, payload, sizeof(payload), 0) != (ssize_t)sizeof(payload))
		return 12;
	ul_sleep(20 * MS);
	/* The socket's sndbuf paces the sender at the wire's rate (skbs are charged to it
	 * until the NIC frees them); ENOBUFS (a full qdisc, with IP_RECVERR only) is retried after a short wait. */
	for (i = 1; i < f->n; i++) {
		ssize_t r = ul_send(fd, payload, sizeof(payload), 0);

		if (r < 0 && errno == ENOBUFS) {
			ul_sleep(12000);
			i--;
			continue;
		}
		if (r != (ssize_t)sizeof(payload))
			return 11;
	}
	return ul_close(fd);
}

static int bench_simspeed(long n)
{
	static const char *const setup[][2] = {
		{ NULL, "hw nic add eth0 netns a speed 1gbit" },
		{ NULL, "hw nic add eth0 netns b speed 1gbit" },
		{ NULL, "hw wire a/eth0 b/eth0" },
		{ "a", "ip addr add 10.9.0.1/24 dev eth0" },
		{ "b", "ip addr add 10.9.0.2/24 dev eth0" },
		{ "a", "ip link set eth0 up" },
		{ "b", "ip link set eth0 up" },
		{ "a", "ip link set lo up" },
		{ "b", "ip link set lo up" },
	};
	struct flow f = { .n = n };
	struct ul_task *r, *t;
	struct hw_nic_stats sa, sb;
	double t0, t1;
	unsigned int i;
	int er, et;

	if (boot(UL_RUNTIME_SIM, 2) || ul_netns_add("a") || ul_netns_add("b"))
		return 1;
	for (i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
		if (cmd(setup[i][0], setup[i][1]))
			return 1;
	ul_run_for(10 * MS);	/* links come up */
	r = ul_task_spawn("b", "flow_rx", 1, flow_rx, &f);
	t = ul_task_spawn("a", "flow_tx", 0, flow_tx, &f);
	if (!r || !t)
		return 1;
	t0 = wall_s();
	et = ul_task_join(t);
	er = ul_task_join(r);
	t1 = wall_s();
	hw_nic_get_stats(hw_nic_find("a", "eth0"), &sa);
	hw_nic_get_stats(hw_nic_find("b", "eth0"), &sb);
	ul_stack_destroy();
	if (et || er || f.got < n / 2) {
		fprintf(stderr, "simspeed: tx %d rx %d, %ld of %ld datagrams\n", et, er, f.got, n);
		return 1;
	}
	{
		double frames = (double)(sa.gptc + sb.gptc);
		double vsec = (double)(f.t_last - f.t_first) / 1e9;

		printf("INFO frames=%.0f received=%ld wall_seconds=%.3f virtual_seconds=%.6f\n",
		       frames, f.got, t1 - t0, vsec);
		if (vsec > 0)
			printf("INFO goodput_mbps=%.1f virtual_per_wall=%.3f\n",
			       (double)(f.got - 2) * 1472 * 8 / vsec / 1e6, vsec / (t1 - t0));
		printf("RESULT %.1f\n", frames / (t1 - t0));
	}
	return 0;
}

/* ---- memory per idle UDP socket --------------------------------------------------------- */

/* Bytes the C heap holds (in use + mmapped chunks): RSS minus this is what malloc keeps free
 * or loses to alignment. glibc's mallinfo2. */
static double heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
}

/* Bytes the C heap has from the system (arena + mmapped). */
static double heap_system_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.arena + (double)mi.hblkhd;
}

static long rss_kib(void)
{
	return lab_status_kib("VmRSS");
}

/* Active objects of each cache, to print where the bytes of a socket go. */
#define MEM_MAX_CACHES 256
struct cache_snap {
	int n;
	const char *name[MEM_MAX_CACHES];
	unsigned long active[MEM_MAX_CACHES];
	unsigned int size[MEM_MAX_CACHES];
	struct ul_slab_extra extra;	/* large kmallocs and vmalloc, taken with the snapshot */
};

static void snap_one(const struct kmem_cache_stats *st, void *arg)
{
	struct cache_snap *cs = arg;

	if (!cs->n)
		ul_slab_extra_stats(&cs->extra);
	if (cs->n >= MEM_MAX_CACHES)
		return;
	cs->name[cs->n] = st->name;
	cs->active[cs->n] = st->active_objs;
	cs->size[cs->n] = st->objsize;
	cs->n++;
}

/* "INFO cache.NAME=bytes_per_socket" for each cache that grew by at least n/4 objects; the
 * caches that grew by less summed as "INFO cache.other=" followed by each of them
 * ("INFO other.NAME=bytes_per_socket"), so every slab byte of a socket is accounted for.
 * Large kmallocs and vmalloc areas (fd tables, hash tables) are not in any cache: their
 * growth is "INFO large=" and "INFO vmalloc=" (from ul_slab_extra_stats snapshots). */
static void print_cache_growth(const struct cache_snap *a, const struct cache_snap *b, long n)
{
	double other = 0;
	int i, j;

	for (j = 0; j < b->n; j++) {
		unsigned long before = 0;
		double bytes;

		for (i = 0; i < a->n; i++)
			if (!strcmp(a->name[i], b->name[j]))
				before = a->active[i];
		if (b->active[j] <= before)
			continue;
		bytes = (double)(b->active[j] - before) * b->size[j] / (double)n;
		if (b->active[j] >= before + (unsigned long)n / 4)
			printf("INFO cache.%s=%.1f\n", b->name[j], bytes);
		else
			other += bytes;
	}
	printf("INFO cache.other=%.1f\n", other);
	for (j = 0; j < b->n; j++) {
		unsigned long before = 0;

		for (i = 0; i < a->n; i++)
			if (!strcmp(a->name[i], b->name[j]))
				before = a->active[i];
		if (b->active[j] > before && b->active[j] < before + (unsigned long)n / 4)
			printf("INFO other.%s=%.2f\n", b->name[j],
			       (double)(b->active[j] - before) * b->size[j] / (double)n);
	}
	printf("INFO large=%.2f vmalloc=%.2f\n",
	       ((double)b->extra.large_bytes - (double)a->extra.large_bytes) / (double)n,
	       ((double)b->extra.vmalloc_bytes - (double)a->extra.vmalloc_bytes) / (double)n);
}

static int bench_mem(long n)
{
	struct rlimit rl = { .rlim_cur = (rlim_t)n + 64, .rlim_max = (rlim_t)n + 64 };
	static struct cache_snap cs0, cs1;
	unsigned long slab0, slab1;
	long rss0, rss1, i;
	int *fds;

	if (boot(UL_RUNTIME_SIM, 1))
		return 1;
	fds = calloc((size_t)n, sizeof(*fds));
	if (!fds || ul_setrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "mem: cannot raise RLIMIT_NOFILE to %ld\n", n + 64);
		return 1;
	}
	/* The benchmark's own array: resident before rss0 (see bench_tcp_mem). */
	memset(fds, 0xff, (size_t)n * sizeof(*fds));
	/* One socket first: the caches exist, the fd table is sized; then measure. */
	ul_close(ul_socket(AF_INET, SOCK_DGRAM, 0));
	kmem_cache_for_each(snap_one, &cs0);
	slab0 = ul_slab_bytes();
	rss0 = rss_kib();
	for (i = 0; i < n; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_DGRAM, 0);
		if (fds[i] < 0) {
			fprintf(stderr, "mem: socket %ld: %s\n", i, strerror(errno));
			return 1;
		}
	}
	slab1 = ul_slab_bytes();
	rss1 = rss_kib();
	kmem_cache_for_each(snap_one, &cs1);
	print_cache_growth(&cs0, &cs1, n);
	printf("INFO slab_bytes=%lu rss_kib=%ld\n", slab1 - slab0, rss1 - rss0);
	printf("INFO rss_per_socket=%.1f\n", (double)(rss1 - rss0) * 1024.0 / (double)n);
	printf("RESULT %.1f\n", (double)(slab1 - slab0) / (double)n);
	for (i = 0; i < n; i++)
		ul_close(fds[i]);
	free(fds);
	ul_stack_destroy();
	return 0;
}

/* ---- TCP: memory per connection (idle ESTABLISHED, 4 KiB queued, TIME_WAIT) ------------- */

#define TCP_MEM_PORT 7100

/* Source address of client @i of @n: 127.1.(i / 50000).1 on lo (all of 127/8 is local), port
 * 10000 + i % 50000, bound explicitly with SO_REUSEADDR: O(1) per connect, where an
 * ephemeral connect probes ports (inet_hash_connect) more as they fill. */
static struct sockaddr_in tcp_client_src(const char *net, long i)
{
	char ip[32];

	snprintf(ip, sizeof(ip), "%s.%ld.1", net, i / 50000 + 1);
	return sin_of(ip, 10000 + (int)(i % 50000));
}

/* Open client @i (nonblocking, bound, connecting to @to). The fd, or -1. */
static int tcp_client_open(const char *net, long i, const struct sockaddr_in *to)
{
	struct sockaddr_in src = tcp_client_src(net, i);
	int one = 1, fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    ul_bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		fprintf(stderr, "tcp: bind client %ld: %s\n", i, strerror(errno));
		ul_close(fd);
		return -1;
	}
	if (ul_connect(fd, (const struct sockaddr *)to, sizeof(*to)) && errno != EINPROGRESS) {
		fprintf(stderr, "tcp: connect %ld: %s\n", i, strerror(errno));
		ul_close(fd);
		return -1;
	}
	return fd;
}

/* Make @n connected pairs over lo from the calling (booting) thread: nonblocking connects in
 * batches, each batch accepted before the next (the handshake over lo completes inside
 * connect: the SYN, SYN-ACK and ACK run in the softirqs of local_bh_enable). */
static int tcp_pairs_lo(int lfd, int port, int *cfd, int *sfd, long n)
{
	struct sockaddr_in to = sin_of("127.0.0.1", port);
	long i, j, acc = 0;
	int guard;

	for (i = 0; i < n; i += 256) {
		long end = i + 256 < n ? i + 256 : n;

		for (j = i; j < end; j++)
			if ((cfd[j] = tcp_client_open("127.1", j, &to)) < 0)
				return -1;
		for (guard = 0; acc < end && guard < 1000; guard++) {
			int fd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

			if (fd >= 0) {
				sfd[acc++] = fd;
				continue;
			}
			if (errno != EAGAIN)
				return -1;
			ul_run_for(MS);
		}
		if (acc < end) {
			fprintf(stderr, "tcp: %ld of %ld connections accepted\n", acc, end);
			return -1;
		}
	}
	return 0;
}

/* All @n client sockets ESTABLISHED (SO_ERROR 0 and writable). */
static int tcp_all_connected(const int *cfd, long n)
{
	struct sockaddr_in peer;
	socklen_t len;
	long i;

	for (i = 0; i < n; i++) {
		len = sizeof(peer);
		if (ul_getpeername(cfd[i], (struct sockaddr *)&peer, &len)) {
			fprintf(stderr, "tcp: client %ld not connected: %s\n", i, strerror(errno));
			return 0;
		}
	}
	return 1;
}

/* TIME_WAIT socks: the "tw" of /proc/net/sockstat's TCP line (-1 when unreadable). */
static long sockstat_tw(void)
{
	char *txt = ul_proc_read(NULL, "/proc/net/sockstat", NULL);
	char *p = txt ? strstr(txt, "TCP:") : NULL;
	long inuse, orphan, tw = -1;

	if (p && sscanf(p, "TCP: inuse %ld orphan %ld tw %ld", &inuse, &orphan, &tw) != 3)
		tw = -1;
	free(txt);
	return tw;
}

/* msg mode: a 64-byte request from each client, read by its server, answered, the answer
 * read; then the delayed ACKs fire and the connections are idle. */
static int tcp_mem_exchange(const int *cfd, const int *sfd, long n)
{
	static char req[64], buf[64];
	long i;

	for (i = 0; i < n; i++)
		if (ul_send(cfd[i], req, sizeof(req), 0) != (ssize_t)sizeof(req))
			goto err;
	ul_run_for(10 * MS);
	for (i = 0; i < n; i++)
		if (ul_recv(sfd[i], buf, sizeof(buf), MSG_DONTWAIT) != (ssize_t)sizeof(buf) ||
		    ul_send(sfd[i], buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
			goto err;
	ul_run_for(10 * MS);
	for (i = 0; i < n; i++)
		if (ul_recv(cfd[i], buf, sizeof(buf), MSG_DONTWAIT) != (ssize_t)sizeof(buf))
			goto err;
	ul_run_for(500 * MS);	/* the delayed ACKs fire */
	return 0;
err:
	fprintf(stderr, "tcp_mem_msg: connection %ld: %s\n", i, strerror(errno));
	return -1;
}

/* tcp_mem N idle|msg|q4k|tw: N connections over lo (2N sockets); bytes per socket from slab
 * accounting (RESULT) and RSS (INFO rss_per_socket), per cache (INFO cache.*). msg: idle
 * after one 64-byte request and response on each connection, both read. tw: the
 * servers close first and the clients after; what stays is N TIME_WAIT socks: bytes per
 * TIME_WAIT sock (the RSS of freed memory is not returned, so no RSS figure). */
static int bench_tcp_mem(long n, const char *mode)
{
	struct rlimit rl = { .rlim_cur = (rlim_t)(2 * n + 64), .rlim_max = (rlim_t)(2 * n + 64) };
	struct sockaddr_in sin = sin_of("0.0.0.0", TCP_MEM_PORT);
	static struct cache_snap cs0, cs1;
	static char four_k[4096];
	unsigned long slab0, slab1;
	long rss0, rss1, i, nsock;
	double heap0, sys0;
	long tw0;
	int *cfd, *sfd, lfd, wfd;
	int tw = !strcmp(mode, "tw"), q4k = !strcmp(mode, "q4k"), msg = !strcmp(mode, "msg");

	if (!tw && !q4k && !msg && strcmp(mode, "idle")) {
		fprintf(stderr, "tcp_mem: mode idle|msg|q4k|tw\n");
		return 2;
	}
	if (boot_lo_clients(n))
		return 1;
	cfd = calloc((size_t)n, sizeof(*cfd));
	sfd = calloc((size_t)n, sizeof(*sfd));
	if (!cfd || !sfd || ul_setrlimit(RLIMIT_NOFILE, &rl)) {
		fprintf(stderr, "tcp_mem: cannot raise RLIMIT_NOFILE to %ld\n", 2 * n + 64);
		return 1;
	}
	/* The fd arrays are the benchmark's, not the stack's: touch their pages (calloc's
	 * fresh mmap is not resident yet) before rss0, or 8 B per connection count as the
	 * sockets'. -1: no fd yet. */
	memset(cfd, 0xff, (size_t)n * sizeof(*cfd));
	memset(sfd, 0xff, (size_t)n * sizeof(*sfd));
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    ul_listen(lfd, 65535)) {
		fprintf(stderr, "tcp_mem: listen: %s\n", strerror(errno));
		goto fail;
	}
	/* One pair first and closed: the caches exist, the route too. To another listener: the
	 * client's end stays in TIME_WAIT with its 4-tuple. */
	sin.sin_port = htons(TCP_MEM_PORT + 1);
	wfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (wfd < 0 || ul_bind(wfd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(wfd, 8) ||
	    tcp_pairs_lo(wfd, TCP_MEM_PORT + 1, cfd, sfd, 1))
		goto fail;
	ul_close(cfd[0]);
	ul_close(sfd[0]);
	ul_close(wfd);
	ul_run_for(200 * MS);
	kmem_cache_for_each(snap_one, &cs0);
	slab0 = ul_slab_bytes();
	rss0 = rss_kib();
	heap0 = heap_bytes();
	sys0 = heap_system_bytes();
	tw0 = sockstat_tw();
	/* The warm-up pair's client port is in TIME_WAIT: start at the next one. */
	if (tcp_pairs_lo(lfd, TCP_MEM_PORT, cfd, sfd, n) || !tcp_all_connected(cfd, n))
		goto fail;
	nsock = 2 * n;
	if (q4k) {
		for (i = 0; i < n; i++)
			if (ul_send(cfd[i], four_k, sizeof(four_k), 0) != (ssize_t)sizeof(four_k)) {
				fprintf(stderr, "tcp_mem: send %ld: %s\n", i, strerror(errno));
				goto fail;
			}
		ul_run_for(500 * MS);	/* delivered and ACKed (delayed ACKs fire) */
	}
	if (msg && tcp_mem_exchange(cfd, sfd, n))
		goto fail;
	if (tw) {
		/* The servers close first (as k_bench: their TIME_WAIT socks share the listener's
		 * port; the kernel side needs that to repeat the run). */
		for (i = 0; i < n; i++)
			ul_close(sfd[i]);
		ul_run_for(100 * MS);	/* FIN, ACK: clients in CLOSE_WAIT */
		for (i = 0; i < n; i++)
			ul_close(cfd[i]);
		ul_run_for(1000 * MS);	/* LAST_ACK -> CLOSE; servers in TIME_WAIT (60 s) */
	}
	slab1 = ul_slab_bytes();
	rss1 = rss_kib();
	kmem_cache_for_each(snap_one, &cs1);
	if (tw) {
		/* Per TIME_WAIT sock: beyond tcp_max_tw_buckets (32768 = ehash size / 2, 3.10's
		 * tcp_init) a closing socket dies without one (TCPTimeWaitOverflow). */
		long tw_now = sockstat_tw();

		if (tw_now <= tw0) {
			fprintf(stderr, "tcp_mem_tw: no TIME_WAIT socks\n");
			goto fail;
		}
		nsock = tw_now - tw0;
	}
	print_cache_growth(&cs0, &cs1, nsock);
	printf("INFO heap_in_use_per_socket=%.1f heap_from_system_per_socket=%.1f\n",
	       (heap_bytes() - heap0) / (double)nsock, (heap_system_bytes() - sys0) / (double)nsock);
	printf("INFO connections=%ld sockets_measured=%ld slab_bytes=%lu rss_kib=%ld\n", n, nsock,
	       slab1 - slab0, rss1 - rss0);
	if (!tw)
		printf("INFO rss_per_socket=%.1f\n", (double)(rss1 - rss0) * 1024.0 / (double)nsock);
	printf("INFO per_connection=%.1f\n", (double)(slab1 - slab0) / (double)n);
	printf("RESULT %.1f\n", (double)(slab1 - slab0) / (double)nsock);
	if (!tw)
		for (i = 0; i < n; i++) {
			ul_close(cfd[i]);
			ul_close(sfd[i]);
		}
	ul_close(lfd);
	free(cfd);
	free(sfd);
	ul_stack_destroy();
	return 0;
fail:
	free(cfd);
	free(sfd);
	ul_stack_destroy();
	return 1;
}

/* ---- TCP over lo: stream, request/response, connect/request/close ---------------------- */

#define TCP_BENCH_PORT 7200
#ifndef TCP_NODELAY
#define TCP_NODELAY 1		/* include/uapi/linux/tcp.h's value */
#endif

struct tcpb {
	long n;			/* bytes (stream) or transactions (rr, crr) */
	size_t wsize;		/* stream: bytes per write */
	volatile int ready;
	long got;		/* stream: bytes received; rr/crr: transactions done */
	double t0, t1;		/* server: first byte/accept .. EOF (stream) */
	int err;
};

static int tcpb_listen(void)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", TCP_BENCH_PORT);
	int one = 1, fd = ul_socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(fd, 128)) {
		fprintf(stderr, "tcp: listen: %s\n", strerror(errno));
		if (fd >= 0)
			ul_close(fd);
		return -1;
	}
	return fd;
}

static int tcpb_connect(struct tcpb *b)
{
	struct sockaddr_in to = sin_of("127.0.0.1", TCP_BENCH_PORT);
	int one = 1, guard, fd;

	for (guard = 0; !b->ready && guard < 10000; guard++)
		ul_sleep(MS / 10);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || ul_connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		fprintf(stderr, "tcp: connect: %s\n", strerror(errno));
		if (fd >= 0)
			ul_close(fd);
		return -1;
	}
	ul_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int stream_server(void *arg)
{
	struct tcpb *b = arg;
	static char buf[65536];
	int lfd = tcpb_listen(), fd;
	ssize_t r;

	if (lfd < 0)
		return 1;
	b->ready = 1;
	fd = ul_accept(lfd, NULL, NULL);
	ul_close(lfd);
	if (fd < 0)
		return 2;
	b->t0 = wall_s();
	while ((r = ul_recv(fd, buf, sizeof(buf), 0)) > 0)
		b->got += r;
	b->t1 = wall_s();
	ul_close(fd);
	return r < 0 ? 3 : 0;
}

static int stream_client(void *arg)
{
	struct tcpb *b = arg;
	static char buf[65536];
	long left = b->n;
	int fd = tcpb_connect(b);

	if (fd < 0)
		return 10;
	memset(buf, 's', sizeof(buf));
	while (left > 0) {
		size_t len = (size_t)left < b->wsize ? (size_t)left : b->wsize;
		ssize_t r = ul_send(fd, buf, len, 0);

		if (r <= 0) {
			fprintf(stderr, "tcp_stream: send: %s\n", strerror(errno));
			ul_close(fd);
			return 11;
		}
		left -= r;
	}
	return ul_close(fd);
}

static int rr_tcp_server(void *arg)
{
	struct tcpb *b = arg;
	int lfd = tcpb_listen(), fd, one = 1;
	char c;
	long i;

	if (lfd < 0)
		return 1;
	b->ready = 1;
	fd = ul_accept(lfd, NULL, NULL);
	ul_close(lfd);
	if (fd < 0)
		return 2;
	ul_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < b->n; i++)
		if (ul_recv(fd, &c, 1, 0) != 1 || ul_send(fd, &c, 1, 0) != 1)
			break;
	ul_close(fd);
	return i == b->n ? 0 : 3;
}

static int rr_tcp_client(void *arg)
{
	struct tcpb *b = arg;
	int fd = tcpb_connect(b);
	char c = 'r';

	if (fd < 0)
		return 10;
	b->t0 = wall_s();
	for (b->got = 0; b->got < b->n; b->got++)
		if (ul_send(fd, &c, 1, 0) != 1 || ul_recv(fd, &c, 1, 0) != 1)
			break;
	b->t1 = wall_s();
	ul_close(fd);
	return b->got == b->n ? 0 : 11;
}

/* CRR: the server answers and closes first (its end takes the TIME_WAIT, as an HTTP/1.0
 * server's: the client's ephemeral ports do not run out). */
static int crr_server(void *arg)
{
	struct tcpb *b = arg;
	int lfd = tcpb_listen(), fd;
	char c;
	long i;

	if (lfd < 0)
		return 1;
	b->ready = 1;
	for (i = 0; i < b->n; i++) {
		fd = ul_accept(lfd, NULL, NULL);
		if (fd < 0)
			break;
		if (ul_recv(fd, &c, 1, 0) != 1 || ul_send(fd, &c, 1, 0) != 1) {
			ul_close(fd);
			break;
		}
		ul_close(fd);
	}
	ul_close(lfd);
	return i == b->n ? 0 : 3;
}

static int crr_client(void *arg)
{
	struct tcpb *b = arg;
	char c = 'c';
	int fd;

	b->t0 = wall_s();
	for (b->got = 0; b->got < b->n; b->got++) {
		fd = tcpb_connect(b);
		if (fd < 0)
			break;
		if (ul_send(fd, &c, 1, 0) != 1 || ul_recv(fd, &c, 1, 0) != 1 ||
		    ul_recv(fd, &c, 1, 0) != 0) {
			ul_close(fd);
			break;
		}
		ul_close(fd);
	}
	b->t1 = wall_s();
	return b->got == b->n ? 0 : 11;
}

/* tcp_{stream,rr,crr} on @rt: server on CPU 0, client on CPU 1 (posix: two threads). */
static int bench_tcp_lo(const char *what, enum ul_runtime rt, long n, size_t wsize)
{
	struct tcpb b = { .n = n, .wsize = wsize };
	struct stats_task ss, cs;
	ul_task_fn sfn, cfn;
	struct ul_task *s, *c;
	int es, ec;

	if (!strcmp(what, "stream")) {
		sfn = stream_server;
		cfn = stream_client;
	} else if (!strcmp(what, "rr")) {
		sfn = rr_tcp_server;
		cfn = rr_tcp_client;
	} else {
		sfn = crr_server;
		cfn = crr_client;
	}
	if (boot(rt, 2) || cmd(NULL, "ip link set lo up"))
		return 1;
	s = spawn_stats(&ss, "server", 0, sfn, &b);
	c = spawn_stats(&cs, "client", rt == UL_RUNTIME_POSIX ? 1 : 0, cfn, &b);
	if (!s || !c)
		return 1;
	ec = ul_task_join(c);
	es = ul_task_join(s);
	ul_stack_destroy();
	if (ec || es || b.got != n) {
		fprintf(stderr, "tcp_%s: client %d server %d, %ld of %ld\n", what, ec, es, b.got, n);
		return 1;
	}
	printf("INFO seconds=%.6f\n", b.t1 - b.t0);
	print_wait_stats(&ss);
	print_wait_stats(&cs);
	if (!strcmp(what, "stream"))
		printf("RESULT %.4f\n", (double)n * 8 / (b.t1 - b.t0) / 1e9);
	else
		printf("RESULT %.1f\n", (double)n / (b.t1 - b.t0));
	return 0;
}

/* ---- one million connections between two hosts ------------------------------------------ */

#define MIL_ADDRS 20
#define MIL_PORT 80

struct mil {
	long n;
	int *cfd, *sfd;
	volatile long accepted;	/* by the server task */
	volatile int listening, connected, exchanged, measured, closed;
	long read_ok;
	volatile long read_done;	/* connections the server has read from */
	long rss_est;			/* KiB, when all are established */
	long retrans, drops;		/* RetransSegs of a, ListenDrops of b */
	unsigned long slab_est;
	double t_start, t_est, t_msg;
	int err;
};

/* Client i: 10.1.0.(1 + i % 20), port 1024 + i / 20 (SO_REUSEADDR: the bind bucket's fast
 * path, O(1)), to 10.1.255.254:80. The book's ch8.5 setup: 20 client addresses. */
static int mil_client(void *arg)
{
	struct mil *m = arg;
	struct rlimit rl = { .rlim_cur = (rlim_t)m->n + 64, .rlim_max = (rlim_t)m->n + 64 };
	struct sockaddr_in to = sin_of("10.1.255.254", MIL_PORT), src;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char ip[32], b = 'm';
	long i, guard;
	int one = 1;

	if (ul_setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	for (guard = 0; !m->listening && guard < 10000; guard++)
		ul_sleep(MS / 10);
	m->t_start = wall_s();
	for (i = 0; i < m->n; i++) {
		int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		snprintf(ip, sizeof(ip), "10.1.0.%ld", 1 + i % MIL_ADDRS);
		src = sin_of(ip, 1024 + (int)(i / MIL_ADDRS));
		if (fd < 0 || ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    ul_bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
		    (ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS)) {
			fprintf(stderr, "million: client %ld: %s\n", i, strerror(errno));
			return 2;
		}
		m->cfd[i] = fd;
		if (i && i % 100000 == 0)
			printf("INFO established_%ld_at_s=%.3f\n", i, wall_s() - m->t_start);
		/* Let the server drain its accept queue before it could fill. */
		if ((i & 4095) == 4095 || i == m->n - 1)
			for (guard = 0; m->accepted <= i && guard < 100000; guard++)
				ul_sleep(MS / 10);
		if (m->accepted <= i - 8192) {
			fprintf(stderr, "million: %ld of %ld accepted\n", m->accepted, i + 1);
			return 3;
		}
	}
	m->t_est = wall_s();
	m->rss_est = rss_kib();
	m->slab_est = ul_slab_bytes();
	m->connected = 1;
	/* One message on every connection, 4096 connections at a time (the server reads each
	 * batch before the next is sent: a million queued messages would be a different
	 * experiment, a million receive queues holding an skb each). */
	for (i = 0; i < m->n; i++) {
		if (ul_send(m->cfd[i], &b, 1, 0) != 1) {
			fprintf(stderr, "million: send %ld: %s\n", i, strerror(errno));
			return 4;
		}
		if ((i & 4095) == 4095)
			for (guard = 0; m->read_done <= i && guard < 100000; guard++)
				ul_sleep(MS / 10);
	}
	for (guard = 0; !m->measured && guard < 10000000; guard++)
		ul_sleep(MS);
	/* Teardown by RST (SO_LINGER 0) from the clients first: the servers' sockets are then
	 * closed already; no FINs, orphans or million TIME_WAIT socks. */
	for (i = 0; i < m->n; i++) {
		ul_setsockopt(m->cfd[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		ul_close(m->cfd[i]);
	}
	m->closed = 1;
	return 0;
}

static int mil_server(void *arg)
{
	struct mil *m = arg;
	struct rlimit rl = { .rlim_cur = (rlim_t)m->n + 64, .rlim_max = (rlim_t)m->n + 64 };
	struct sockaddr_in sin = sin_of("10.1.255.254", MIL_PORT);
	long i, guard;
	char b;
	int lfd;

	if (ul_setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(lfd, 65535))
		return 2;
	m->listening = 1;
	for (guard = 0; m->accepted < m->n && guard < 100000000; guard++) {
		int fd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

		if (fd >= 0) {
			/* Index the connection by its client (address, port): the accept order
			 * is the handshakes' and need not be the connects'. */
			struct sockaddr_in peer;
			socklen_t plen = sizeof(peer);
			long ci;

			if (ul_getpeername(fd, (struct sockaddr *)&peer, &plen))
				return 4;
			ci = (long)(ntohs(peer.sin_port) - 1024) * MIL_ADDRS +
			     (long)(ntohl(peer.sin_addr.s_addr) & 0xff) - 1;
			if (ci < 0 || ci >= m->n || m->sfd[ci] != -1)
				return 5;
			m->sfd[ci] = fd;
			m->accepted++;
			continue;
		}
		if (errno != EAGAIN)
			return 3;
		ul_sleep(MS / 20);
	}
	for (guard = 0; !m->connected && guard < 10000000; guard++)
		ul_sleep(MS);
	for (i = 0; i < m->n; i++) {
		ssize_t r;

		for (guard = 0; (r = ul_recv(m->sfd[i], &b, 1, 0)) < 0 && errno == EAGAIN &&
				guard < 1000; guard++)
			ul_sleep(MS);
		if (r == 1 && b == 'm')
			m->read_ok++;
		else if (m->read_ok == i)	/* the first failure only */
			fprintf(stderr, "million: connection %ld: recv %zd (%s)\n", i, r,
				r < 0 ? strerror(errno) : "no message");
		m->read_done = i + 1;
	}
	m->t_msg = wall_s();
	m->exchanged = 1;
	for (guard = 0; !m->closed && guard < 10000000; guard++)
		ul_sleep(MS);
	ul_close(lfd);
	for (i = 0; i < m->n; i++)
		ul_close(m->sfd[i]);
	return 0;
}

/* Field @name of the @prefix lines ("Tcp:" header line, then values) of @path in @ns. */
static long proc_field(const char *ns, const char *path, const char *prefix, const char *name)
{
	char *txt = ul_proc_read(ns, path, NULL), *hdr, *val, *h, *v, *sh, *sv;
	long ret = -1;

	hdr = txt ? strstr(txt, prefix) : NULL;
	val = hdr ? strstr(hdr + 1, prefix) : NULL;
	if (!val) {
		free(txt);
		return -1;
	}
	*strchr(hdr, '\n') = 0;
	if (strchr(val, '\n'))
		*strchr(val, '\n') = 0;
	for (h = strtok_r(hdr, " ", &sh), v = strtok_r(val, " ", &sv); h && v;
	     h = strtok_r(NULL, " ", &sh), v = strtok_r(NULL, " ", &sv))
		if (!strcmp(h, name))
			ret = strtol(v, NULL, 10);
	free(txt);
	return ret;
}

/* The watcher: a third task that measures once the message went through every connection
 * (all 2N sockets alive). */
static int mil_watch(void *arg)
{
	struct mil *m = arg;
	long guard;

	for (guard = 0; !m->exchanged && guard < 100000000; guard++)
		ul_sleep(MS);
	m->retrans = proc_field("a", "/proc/net/snmp", "Tcp:", "RetransSegs");
	m->drops = proc_field("b", "/proc/net/netstat", "TcpExt:", "ListenDrops");
	m->measured = 1;
	return 0;
}

static int bench_million(long n)
{
	static const char *const setup[][2] = {
		{ "a", "ip link add veth0 type veth peer name veth0 netns b" },
		{ "a", "ip addr add 10.1.0.1/16 dev veth0" },
		{ "b", "ip addr add 10.1.255.254/16 dev veth0" },
		{ "a", "ip link set veth0 up" },
		{ "b", "ip link set veth0 up" },
		{ "a", "ip link set lo up" },
		{ "b", "ip link set lo up" },
	};
	struct mil m = { .n = n };
	struct ul_task *ts, *tc, *tw;
	unsigned long slab0, slab1 = 0;
	long rss0, rss1 = 0, hwm, peak, i;
	double t_end;
	char line[64];
	int es, ec, ew;

	if (n > MIL_ADDRS * (65535L - 1024)) {
		fprintf(stderr, "million: at most %ld connections\n", MIL_ADDRS * (65535L - 1024));
		return 2;
	}
	m.cfd = calloc((size_t)n, sizeof(int));
	m.sfd = calloc((size_t)n, sizeof(int));
	if (!m.cfd || !m.sfd || boot(UL_RUNTIME_SIM, 1) || ul_netns_add("a") || ul_netns_add("b"))
		return 1;
	for (i = 0; i < n; i++)
		m.sfd[i] = -1;
	for (i = 0; i < (long)(sizeof(setup) / sizeof(setup[0])); i++)
		if (cmd(setup[i][0], setup[i][1]))
			return 1;
	for (i = 2; i <= MIL_ADDRS; i++) {
		snprintf(line, sizeof(line), "ip addr add 10.1.0.%ld/16 dev veth0", i);
		if (cmd("a", line))
			return 1;
	}
	/* The experiment's tuning, as on Linux for a million connections: fs.file-max (ulnet's
	 * default is 838,860: 2M files do not fit), and tcp_mem: every socket that sent or
	 * received keeps up to one page of forward allocation (SK_MEM_QUANTUM), and the
	 * default hard limit (196,608 pages) stops the 196,609th socket's data. */
	if (ul_sysctl_set("b", "net.core.somaxconn", "65535") ||
	    ul_sysctl_set(NULL, "fs.file-max", "4194304") ||
	    ul_sysctl_set(NULL, "net.ipv4.tcp_mem", "4194304 6291456 8388608"))
		return 1;
	ul_run_for(10 * MS);
	slab0 = ul_slab_bytes();
	rss0 = rss_kib();
	ts = ul_task_spawn("b", "mil_server", 0, mil_server, &m);
	tc = ul_task_spawn("a", "mil_client", 0, mil_client, &m);
	tw = ul_task_spawn(NULL, "mil_watch", 0, mil_watch, &m);
	if (!ts || !tc || !tw)
		return 1;
	ew = ul_task_join(tw);
	/* The watcher ends with every socket alive: measure here, from the booting thread. */
	slab1 = ul_slab_bytes();
	rss1 = rss_kib();
	hwm = lab_status_kib("VmHWM");
	ec = ul_task_join(tc);
	es = ul_task_join(ts);
	ul_stack_destroy();
	t_end = wall_s();
	peak = lab_status_kib("VmHWM");	/* the whole run's, teardown included */
	free(m.cfd);
	free(m.sfd);
	if (ec || es || ew || m.accepted != n || m.read_ok != n) {
		fprintf(stderr, "million: client %d server %d, %ld accepted, %ld messages of %ld\n",
			ec, es, m.accepted, m.read_ok, n);
		return 1;
	}
	printf("INFO client_retrans_segs=%ld server_listen_drops=%ld\n", m.retrans, m.drops);
	printf("INFO connections=%ld messages=%ld establish_s=%.3f message_s=%.3f teardown_s=%.3f\n",
	       n, m.read_ok, m.t_est - m.t_start, m.t_msg - m.t_est, t_end - m.t_msg);
	printf("INFO rss_gib=%.4f vmhwm_established_gib=%.4f slab_gib=%.4f\n",
	       (double)rss1 / (1024.0 * 1024.0), (double)hwm / (1024.0 * 1024.0),
	       (double)slab1 / (1024.0 * 1024.0 * 1024.0));
	printf("INFO rss_per_connection=%.1f slab_per_connection=%.1f\n",
	       (double)(rss1 - rss0) * 1024.0 / (double)n, (double)(slab1 - slab0) / (double)n);
	printf("INFO established_rss_per_connection=%.1f established_slab_per_connection=%.1f\n",
	       (double)(m.rss_est - rss0) * 1024.0 / (double)n,
	       (double)(m.slab_est - slab0) / (double)n);
	/* Extrapolated to one million from the growth (the run's own N when it is 1M). */
	printf("INFO rss_gib_1m=%.3f establish_s_1m=%.2f\n",
	       ((double)rss0 + (double)(rss1 - rss0) * 1e6 / (double)n) / (1024.0 * 1024.0),
	       (m.t_est - m.t_start) * 1e6 / (double)n);
	printf("RESULT %.4f\n", (double)peak / (1024.0 * 1024.0));
	return 0;
}

/* ---- per-segment cost of TCP (callgrind) ----------------------------------------------- */

/* The stack's end of the connection is 10.0.0.1 on a dummy device d0 (it drops what it sends:
 * ACKs and data vanish, counted); the peer 10.0.0.2 is this program, which builds each
 * segment it "receives" as a frame and hands it to netif_receive_skb in a bottom-half
 * section, as a NIC's NAPI poll does. So the receive path of a data segment is measured
 * alone, without the peer's stack around it (over lo the sender's ACK processing would run
 * in the same functions). The dummy device has NETIF_F_HW_CSUM|NETIF_F_TSO, and the frames
 * carry CHECKSUM_UNNECESSARY: a NIC with checksum offloads, the usual case in Linux. */
#define TCPC_MSS	1448		/* payload per segment (a 1500 MTU's MSS with TS) */
#define TCPC_PEER_ISN	1000000u
#define TCPC_PORT	5001

struct tcpc {
	struct net_device *dev;
	struct sock *sk;
	struct tcp_sock *tp;
	u32 peer_seq;			/* next sequence the peer sends */
};

static void tcpc_put16(u8 *p, unsigned int v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void tcpc_put32(u8 *p, u32 v)
{
	tcpc_put16(p, v >> 16);
	tcpc_put16(p + 2, v & 0xffff);
}

/* One frame from the peer: @flags (TCP flag byte), seq/ack, @len bytes of payload; a SYN
 * carries MSS 1460. Delivered with netif_receive_skb in a BH section. 0 or -1. */
static int tcpc_rx(struct tcpc *c, u8 flags, u32 seq, u32 ack, unsigned int len)
{
	unsigned int thl = (flags & 0x02) ? 24 : 20, tot = 20 + thl + len;
	struct sk_buff *skb = netdev_alloc_skb(c->dev, ETH_HLEN + tot);
	u8 *eth, *ip, *th;

	if (!skb)
		return -1;
	eth = skb_put(skb, ETH_HLEN + tot);
	memset(eth, 0, ETH_HLEN + 20 + thl);
	memcpy(eth, c->dev->dev_addr, ETH_ALEN);
	memcpy(eth + 6, "\x02\x00\x00\x00\x00\x02", ETH_ALEN);
	tcpc_put16(eth + 12, ETH_P_IP);
	ip = eth + ETH_HLEN;
	ip[0] = 0x45;
	tcpc_put16(ip + 2, tot);
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, "\x0a\x00\x00\x02\x0a\x00\x00\x01", 8);
	tcpc_put16(ip + 10, 0);
	{
		__sum16 s = ip_fast_csum(ip, 5);

		memcpy(ip + 10, &s, 2);
	}
	th = ip + 20;
	tcpc_put16(th, TCPC_PORT);
	memcpy(th + 2, &inet_sk(c->sk)->inet_sport, 2);
	tcpc_put32(th + 4, seq);
	tcpc_put32(th + 8, ack);
	th[12] = (u8)((thl / 4) << 4);
	th[13] = flags;
	tcpc_put16(th + 14, 65535);
	if (thl == 24) {
		th[20] = 2;		/* MSS 1460 */
		th[21] = 4;
		tcpc_put16(th + 22, 1460);
	}
	memset(th + thl, 'd', len);
	skb->protocol = eth_type_trans(skb, c->dev);
	skb->ip_summed = CHECKSUM_UNNECESSARY;	/* the NIC checked it */
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
	return 0;
}

/* Receive what is queued on @fd without blocking: bytes, or -1 on an error. */
static long tcpc_drain(int fd)
{
	static char buf[65536];
	long got = 0;
	ssize_t r;
	int guard = 0;

	while ((r = ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0 && ++guard < 1000)
		got += r;
	return r < 0 && errno != EAGAIN ? -1 : got;
}

/* tcp_cost_rx N: N in-order 1448-byte segments received (the stack reads them every two
 * segments, as a reader keeping up); tcp_cost_tx N: N 1448-byte sends (TCP_NODELAY: one
 * segment each), the peer ACKing every 2 (a Linux receiver's delayed ACK). Everything in the booting thread (callgrind's
 * call tree does not follow the sim runtime's stack switches). run.py reads the inclusive
 * counts of netif_receive_skb (rx) and tcp_sendmsg minus dummy_xmit (tx) for N and 3N. */
static int bench_tcp_cost(long n, bool tx)
{
	struct sockaddr_in to = sin_of("10.0.0.2", TCPC_PORT);
	static char payload[TCPC_MSS];
	long out0, out1, hp0, hp1, i, got = 0, d;
	struct tcpc c = { NULL, NULL, NULL, TCPC_PEER_ISN + 1 };
	struct socket *sock;
	int fd, err, one = 1;

	if (boot(UL_RUNTIME_SIM, 1) || cmd(NULL, "ip link add d0 type dummy") ||
	    cmd(NULL, "ip addr add 10.0.0.1/24 dev d0") || cmd(NULL, "ip link set d0 up"))
		return 1;
	c.dev = __dev_get_by_name(&init_net, "d0");
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (!c.dev || fd < 0 ||
	    ul_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    (ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS)) {
		fprintf(stderr, "tcp_cost: socket/connect: %s\n", strerror(errno));
		return 1;
	}
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return 1;
	c.sk = sock->sk;
	c.tp = tcp_sk(c.sk);
	sockfd_put(sock);
	/* The SYN went to d0; the peer's SYN-ACK (MSS 1460, window 65535, no other option). */
	if (tcpc_rx(&c, 0x12, TCPC_PEER_ISN, c.tp->snd_nxt, 0) ||
	    c.sk->sk_state != TCP_ESTABLISHED) {
		fprintf(stderr, "tcp_cost: not established (state %d)\n", c.sk->sk_state);
		return 1;
	}
	out0 = proc_field(NULL, "/proc/net/snmp", "Tcp:", "OutSegs");
	hp0 = proc_field(NULL, "/proc/net/netstat", "TcpExt:", tx ? "TCPHPAcks" : "TCPHPHits");
	for (i = 0; i < n; i++) {
		if (tx) {
			if (ul_send(fd, payload, sizeof(payload), 0) != (ssize_t)sizeof(payload)) {
				fprintf(stderr, "tcp_cost: send %ld: %s\n", i, strerror(errno));
				return 1;
			}
			if ((i & 1) && tcpc_rx(&c, 0x10, c.peer_seq, c.tp->snd_nxt, 0))
				return 1;
			continue;
		}
		if (tcpc_rx(&c, 0x18, c.peer_seq, c.tp->snd_nxt, TCPC_MSS))
			return 1;
		c.peer_seq += TCPC_MSS;
		if ((i & 1) && (d = tcpc_drain(fd)) >= 0)
			got += d;
	}
	out1 = proc_field(NULL, "/proc/net/snmp", "Tcp:", "OutSegs");
	hp1 = proc_field(NULL, "/proc/net/netstat", "TcpExt:", tx ? "TCPHPAcks" : "TCPHPHits");
	if (!tx && (d = tcpc_drain(fd)) >= 0)
		got += d;
	if (tx ? c.tp->snd_nxt != c.tp->write_seq : got != n * TCPC_MSS) {
		fprintf(stderr, "tcp_cost: %s incomplete (%ld bytes read, %u unsent)\n",
			tx ? "send" : "receive", got, c.tp->write_seq - c.tp->snd_nxt);
		return 1;
	}
	/* hp_fast: segments (rx: TCPHPHits) or pure ACKs (tx: TCPHPAcks) taken by
	 * tcp_rcv_established's header-prediction fast path. */
	printf("INFO segments=%ld out_segs=%ld hp_fast=%ld\n", n, out1 - out0, hp1 - hp0);
	printf("RESULT %ld\n", n);
	ul_close(fd);
	ul_stack_destroy();
	return 0;
}

/* ---- epoll at scale: many connections, 1% active per round ------------------------------ */

#define EP_PORT 7300
#define EP_ROUNDS 300

/* One round: @k clients (a block rotating over the @n connections) send a 1-byte request; the
 * server end takes them from epoll_wait and answers 1 byte; the clients read the answers.
 * Adds the events epoll_wait returned to *@events. 0 or -1. */
static int ep_round(int epfd, const int *cfd, long n, long k, long round, struct epoll_event *ev,
		    long *events)
{
	long j, got = 0;
	char b = 'q';
	int guard, m, x;

	for (j = 0; j < k; j++)
		if (ul_send(cfd[(round * k + j) % n], &b, 1, 0) != 1)
			return -1;
	for (guard = 0; got < k && guard < 1000; guard++) {
		m = ul_epoll_wait(epfd, ev, (int)k, 0);
		if (m < 0)
			return -1;
		if (m == 0)
			ul_run_for(MS / 10);	/* bounded: should not be needed over lo */
		for (x = 0; x < m; x++) {
			int fd = ev[x].data.fd;

			if (ul_recv(fd, &b, 1, 0) != 1 || ul_send(fd, &b, 1, 0) != 1)
				return -1;
		}
		got += m;
	}
	*events += got;
	for (j = 0; j < k; j++)
		if (ul_recv(cfd[(round * k + j) % n], &b, 1, MSG_DONTWAIT) != 1)
			return -1;
	return got == k ? 0 : -1;
}

/* Rounds over the first @n connections, all of which are in the epoll set: prints the wall
 * time per request and the epoll items visited per ready event under @tag. */
static int ep_measure(int epfd, const int *cfd, long n, const char *tag, double *us)
{
	struct epoll_event *ev;
	struct ep_work_stats s0, s1;
	long k = n / 100 > 0 ? n / 100 : 1, r, events = 0;
	double t0, t1;

	ev = calloc((size_t)k, sizeof(*ev));
	if (!ev)
		return -1;
	ep_work_stats_get(&s0);
	t0 = wall_s();
	for (r = 0; r < EP_ROUNDS; r++)
		if (ep_round(epfd, cfd, n, k, r, ev, &events)) {
			fprintf(stderr, "epoll: round %ld of %s failed: %s\n", r, tag,
				strerror(errno));
			free(ev);
			return -1;
		}
	t1 = wall_s();
	ep_work_stats_get(&s1);
	free(ev);
	*us = (t1 - t0) * 1e6 / (double)events;
	printf("INFO %s_connections=%ld %s_active=%ld %s_us_per_request=%.3f "
	       "%s_visited_per_event=%.3f %s_waits_per_round=%.2f\n", tag, n, tag, k, tag, *us, tag,
	       (double)(s1.items_visited - s0.items_visited) / (double)events, tag,
	       (double)(s1.waits - s0.waits) / EP_ROUNDS);
	return 0;
}

/* epoll_scale N: N connections over lo; the server ends of N/10 of them in one epoll set
 * (EPOLLIN), then of all N; 1% of those in the set send a request per round (300 rounds).
 * RESULT: µs per request at N; INFO: the same at N/10 and the items visited per ready event
 * at both sizes (flat when the ready list, not the set, is walked). Sim runtime, the
 * booting thread. */
static int bench_epoll(long n)
{
	struct rlimit rl = { .rlim_cur = (rlim_t)(2 * n + 64), .rlim_max = (rlim_t)(2 * n + 64) };
	struct sockaddr_in sin = sin_of("0.0.0.0", EP_PORT);
	long small = n / 10 > 0 ? n / 10 : 1, i;
	double us_small, us_big;
	int *cfd, *sfd, lfd, epfd, rc = 1;

	if (boot_lo_clients(n))
		return 1;
	cfd = calloc((size_t)n, sizeof(*cfd));
	sfd = calloc((size_t)n, sizeof(*sfd));
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	epfd = ul_epoll_create1(0);
	if (!cfd || !sfd || ul_setrlimit(RLIMIT_NOFILE, &rl) || lfd < 0 || epfd < 0 ||
	    ul_bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(lfd, 65535))
		goto out;
	/* All N connections; N/10 of them in the set, measured; then all N, measured again. */
	if (tcp_pairs_lo(lfd, EP_PORT, cfd, sfd, n))
		goto out;
	for (i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN };

		if (i == small && ep_measure(epfd, cfd, small, "small", &us_small))
			goto out;
		ev.data.fd = sfd[i];
		if (ul_epoll_ctl(epfd, EPOLL_CTL_ADD, sfd[i], &ev))
			goto out;
	}
	if (ep_measure(epfd, cfd, n, "big", &us_big))
		goto out;
	printf("RESULT %.3f\n", us_big);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "epoll_scale: setup failed: %s\n", strerror(errno));
	free(cfd);
	free(sfd);
	ul_stack_destroy();
	return rc;
}

int main(int argc, char **argv)
{
	long n;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: %s udp_rr_sim|udp_rr_posix|udp_cost|simspeed|mem N\n",
			argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "udp_rr_sim"))
		return bench_udp_rr(UL_RUNTIME_SIM, n);
	if (!strcmp(argv[1], "udp_rr_posix"))
		return bench_udp_rr(UL_RUNTIME_POSIX, n);
	if (!strcmp(argv[1], "udp_cost"))
		return bench_udp_cost(n);
	if (!strcmp(argv[1], "tcp_cost_rx") || !strcmp(argv[1], "tcp_cost_tx"))
		return bench_tcp_cost(n, argv[1][9] == 't');
	if (!strcmp(argv[1], "epoll_scale"))
		return bench_epoll(n);
	if (!strcmp(argv[1], "simspeed"))
		return bench_simspeed(n);
	if (!strcmp(argv[1], "mem"))
		return bench_mem(n);
	if (!strcmp(argv[1], "tcp_stream_sim_64k") || !strcmp(argv[1], "tcp_stream_posix_64k"))
		return bench_tcp_lo("stream", argv[1][11] == 's' ? UL_RUNTIME_SIM : UL_RUNTIME_POSIX,
				    n, 65536);
	if (!strcmp(argv[1], "tcp_stream_sim_1k") || !strcmp(argv[1], "tcp_stream_posix_1k"))
		return bench_tcp_lo("stream", argv[1][11] == 's' ? UL_RUNTIME_SIM : UL_RUNTIME_POSIX,
				    n, 1024);
	if (!strcmp(argv[1], "tcp_rr_sim"))
		return bench_tcp_lo("rr", UL_RUNTIME_SIM, n, 0);
	if (!strcmp(argv[1], "tcp_rr_posix"))
		return bench_tcp_lo("rr", UL_RUNTIME_POSIX, n, 0);
	if (!strcmp(argv[1], "tcp_crr_sim"))
		return bench_tcp_lo("crr", UL_RUNTIME_SIM, n, 0);
	if (!strcmp(argv[1], "tcp_crr_posix"))
		return bench_tcp_lo("crr", UL_RUNTIME_POSIX, n, 0);
	if (!strcmp(argv[1], "tcp_million"))
		return bench_million(n);
	if (!strncmp(argv[1], "tcp_mem_", 8))
		return bench_tcp_mem(n, argv[1] + 8);
	fprintf(stderr, "unknown benchmark %s\n", argv[1]);
	return 2;
}
