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
 *   simspeed N        N 1472-byte UDP datagrams between two hosts over simulated 1 Gbit/s
 *                     NICs and a wire: frames crossing the wire per wall second
 *   mem N             N idle UDP sockets: bytes per socket from slab accounting (RESULT)
 *                     and from RSS growth (INFO rss_per_socket), bytes per cache (INFO cache.*)
 * The numbers and what limits them: docs/performance.md. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include "linux/slab.h"
#include "linux/types.h"
#include "net/hw.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

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
	int err = ul_stack_create(&cfg);

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
	struct ul_task *s, *c;
	double t0, t1;
	int es, ec;

	if (boot(rt, 2) || cmd(NULL, "ip link set lo up"))
		return 1;
	s = ul_task_spawn(NULL, "rr_server", 0, rr_server, &r);
	c = ul_task_spawn(NULL, "rr_client", rt == UL_RUNTIME_POSIX ? 1 : 0, rr_client, &r);
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

static long rss_kib(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Active objects of each cache, to print where the bytes of a socket go. */
#define MEM_MAX_CACHES 256
struct cache_snap {
	int n;
	const char *name[MEM_MAX_CACHES];
	unsigned long active[MEM_MAX_CACHES];
	unsigned int size[MEM_MAX_CACHES];
};

static void snap_one(const struct kmem_cache_stats *st, void *arg)
{
	struct cache_snap *cs = arg;

	if (cs->n >= MEM_MAX_CACHES)
		return;
	cs->name[cs->n] = st->name;
	cs->active[cs->n] = st->active_objs;
	cs->size[cs->n] = st->objsize;
	cs->n++;
}

/* "INFO cache.NAME=bytes_per_socket" for each cache that grew by at least n/2 objects. */
static void print_cache_growth(const struct cache_snap *a, const struct cache_snap *b, long n)
{
	int i, j;

	for (j = 0; j < b->n; j++) {
		unsigned long before = 0;

		for (i = 0; i < a->n; i++)
			if (!strcmp(a->name[i], b->name[j]))
				before = a->active[i];
		if (b->active[j] >= before + (unsigned long)n / 2)
			printf("INFO cache.%s=%.1f\n", b->name[j],
			       (double)(b->active[j] - before) * b->size[j] / (double)n);
	}
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
	if (!strcmp(argv[1], "simspeed"))
		return bench_simspeed(n);
	if (!strcmp(argv[1], "mem"))
		return bench_mem(n);
	fprintf(stderr, "unknown benchmark %s\n", argv[1]);
	return 2;
}
