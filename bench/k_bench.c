/* SPDX-License-Identifier: MIT */
/* The kernel side of `make bench` (bench/run.py): the same benchmarks as bench/ul_bench.c
 * against this machine's Linux, each printing "RESULT <value>" and "INFO key=value" lines.
 * Mirrors nothing in Linux: a plain program of the socket API.
 *
 *   udp_rr_threads N    UDP request/response, 1 byte each way over 127.0.0.1, both ends in
 *                       one process (two threads): round trips per second
 *   udp_rr_procs N      the same across two processes
 *   mem N               N idle UDP sockets spread over processes (RLIMIT_NOFILE is capped):
 *                       bytes per socket from /proc/slabinfo deltas of UDP, sock_inode_cache,
 *                       filp, dentry (RESULT) and from Slab: of /proc/meminfo (INFO)
 *   tcp_stream_{64k,1k} N   N bytes over one TCP connection on 127.0.0.1 (two threads)
 *   tcp_rr_{threads,procs} N, tcp_crr N, tcp_crr_procs N   TCP request/response and
 *                       connect/request/close
 *   tcp_mem_{idle,msg,q4k,tw} N  N connections over processes: bytes per socket from
 *                       /proc/slabinfo (+ sockstat's TCP mem pages for q4k), per TIME_WAIT sock
 *   tap N               root only: the raw TAP frame ceiling, N 1514-byte frames written to a
 *                       TAP in a namespace of its own and read back after a kernel bounce
 *                       (exit 77 when not root or no /dev/net/tun)
 *   tcp_tap_{offload,1514} N  root only: `ulnet up` (the ulnet program next to this one,
 *                       with or without --offload) on a TAP of a namespace of its own; the
 *                       kernel sends it N bytes (TCP discard) and fetches N (HTTP): Gbit/s
 *                       of the slower direction (RESULT), each direction (INFO)
 *   epoll_scale N       N connections over 127.0.0.1 in one process, N/10 then N in one
 *                       epoll set, 1% active per round: µs per request (RESULT at N)
 *   tcp_veth N          root only: the same transfers kernel to kernel over a veth between
 *                       two namespaces (the veth's default offloads) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct sockaddr_in lo_port(int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

/* ---- UDP request/response ---------------------------------------------------------------- */

struct rr {
	long n;
	int fd;		/* the server's bound socket */
};

static void *rr_server(void *arg)
{
	struct rr *r = arg;
	struct sockaddr_in from;
	socklen_t alen;
	char b;
	long i;

	for (i = 0; i < r->n; i++) {
		alen = sizeof(from);
		if (recvfrom(r->fd, &b, 1, 0, (struct sockaddr *)&from, &alen) != 1)
			return (void *)1;
		if (sendto(r->fd, &b, 1, 0, (struct sockaddr *)&from, alen) != 1)
			return (void *)2;
	}
	return NULL;
}

static int rr_client(long n, int port)
{
	struct sockaddr_in to = lo_port(port);
	char b = 'x';
	long i;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)))
		return 1;
	for (i = 0; i < n; i++)
		if (send(fd, &b, 1, 0) != 1 || recv(fd, &b, 1, 0) != 1)
			return 1;
	close(fd);
	return 0;
}

static int bench_udp_rr(long n, int procs)
{
	struct sockaddr_in sin = lo_port(0);
	socklen_t slen = sizeof(sin);
	struct rr r = { .n = n };
	pthread_t th;
	pid_t pid = -1;
	void *ret = NULL;
	double t0, t1;
	int err, st = 0;

	r.fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* An ephemeral port: other programs (a parallel CTest run) may use any fixed one. */
	if (r.fd < 0 || bind(r.fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(r.fd, (struct sockaddr *)&sin, &slen)) {
		perror("udp_rr: bind");
		return 1;
	}
	if (procs) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(rr_server(&r) ? 1 : 0);
	} else if (pthread_create(&th, NULL, rr_server, &r)) {
		return 1;
	}
	t0 = wall_s();
	err = rr_client(n, ntohs(sin.sin_port));
	t1 = wall_s();
	if (procs) {
		if (err)
			kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		err |= !WIFEXITED(st) || WEXITSTATUS(st);
	} else {
		pthread_join(th, &ret);
		err |= ret != NULL;
	}
	close(r.fd);
	if (err) {
		fprintf(stderr, "udp_rr: failed\n");
		return 1;
	}
	printf("INFO seconds=%.6f\n", t1 - t0);
	printf("RESULT %.1f\n", (double)n / (t1 - t0));
	return 0;
}

/* ---- memory per idle UDP socket ---------------------------------------------------------- */

/* Bytes held by the caches a socket uses (active objects x object size), and the number of
 * active UDP objects (a sanity check: it must grow by N). */
static long slab_bytes(long *udp_objs)
{
	static const char *const caches[] = { "UDP", "sock_inode_cache", "filp", "dentry" };
	char line[512], name[64];
	unsigned long active, num, size;
	long total = 0;
	unsigned int i;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &num, &size) != 4)
			continue;
		for (i = 0; i < sizeof(caches) / sizeof(caches[0]); i++) {
			if (strcmp(name, caches[i]))
				continue;
			total += (long)(active * size);
			if (i == 0 && udp_objs)
				*udp_objs = (long)active;
		}
	}
	fclose(f);
	return total;
}

static long meminfo_kib(const char *key)
{
	char line[256], k[64];
	long v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %ld", k, &v) == 2 && !strcmp(k, key)) {
			fclose(f);
			return v;
		}
	}
	fclose(f);
	return -1;
}

/* A child opens @n sockets, says so on @wfd, and holds them until @rfd closes. */
static void mem_child(long n, int wfd, int rfd)
{
	long i;
	char c = 1;

	for (i = 0; i < n; i++)
		if (socket(AF_INET, SOCK_DGRAM, 0) < 0) {
			c = 0;
			break;
		}
	if (write(wfd, &c, 1) != 1)
		_exit(1);
	(void)read(rfd, &c, 1);	/* EOF: the parent is done measuring */
	_exit(0);
}

static int bench_mem(long n)
{
	struct rlimit rl;
	long per, left, slab0, slab1, udp0 = 0, udp1 = 0, s0, s1, u0, u1;
	int up[2], down[2], nproc = 0, ok = 1, st;
	char c;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	per = (long)rl.rlim_cur - 64;
	if (per < 100)
		return 1;
	if (pipe(up) || pipe(down))
		return 1;
	slab0 = slab_bytes(&udp0);
	s0 = meminfo_kib("Slab");
	u0 = meminfo_kib("SUnreclaim");
	if (slab0 < 0) {
		fprintf(stderr, "mem: /proc/slabinfo is not readable\n");
		return 77;
	}
	for (left = n; left > 0; left -= per, nproc++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(up[0]);
			close(down[1]);
			mem_child(left < per ? left : per, up[1], down[0]);
		}
	}
	close(up[1]);
	close(down[0]);
	for (st = 0; st < nproc; st++)
		if (read(up[0], &c, 1) != 1 || !c)
			ok = 0;
	slab1 = slab_bytes(&udp1);
	s1 = meminfo_kib("Slab");
	u1 = meminfo_kib("SUnreclaim");
	close(down[1]);
	while (wait(&st) > 0)
		;
	if (!ok) {
		fprintf(stderr, "mem: a child could not open its sockets\n");
		return 1;
	}
	printf("INFO processes=%d udp_objects=%ld\n", nproc, udp1 - udp0);
	printf("INFO meminfo_slab_per_socket=%.1f sunreclaim_per_socket=%.1f\n",
	       (double)(s1 - s0) * 1024.0 / (double)n, (double)(u1 - u0) * 1024.0 / (double)n);
	printf("RESULT %.1f\n", (double)(slab1 - slab0) / (double)n);
	return 0;
}

/* ---- TCP over 127.0.0.1: stream, request/response, connect/request/close ---------------- */

struct ktcp {
	long n;
	size_t wsize;
	int lfd;
	long got;
	int mode;		/* 0 stream, 1 rr, 2 crr */
};

static int ktcp_listen(struct sockaddr_in *sin)
{
	socklen_t slen = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	*sin = lo_port(0);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &slen) || listen(fd, 128))
		return -1;
	return fd;
}

static int ktcp_connect(const struct sockaddr_in *to)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)to, sizeof(*to))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	return fd;
}

/* The server side of each mode; returns 0 when it served everything. */
static long ktcp_serve(struct ktcp *k)
{
	static char buf[65536];
	long i, got = 0;
	int fd, one = 1;
	ssize_t r;
	char c;

	if (k->mode == 2) {
		for (i = 0; i < k->n; i++) {
			fd = accept(k->lfd, NULL, NULL);
			if (fd < 0)
				return 1;
			if (recv(fd, &c, 1, 0) != 1 || send(fd, &c, 1, 0) != 1) {
				close(fd);
				return 1;
			}
			close(fd);	/* the server closes first, as ul_bench's */
		}
		return 0;
	}
	fd = accept(k->lfd, NULL, NULL);
	if (fd < 0)
		return 1;
	setsockopt(fd, IPPROTO_TCP, 1, &one, sizeof(one));
	if (k->mode == 0) {
		while ((r = recv(fd, buf, sizeof(buf), 0)) > 0)
			got += r;
		close(fd);
		return got == k->n ? 0 : 1;
	}
	for (i = 0; i < k->n; i++)
		if (recv(fd, &c, 1, 0) != 1 || send(fd, &c, 1, 0) != 1)
			break;
	close(fd);
	return i == k->n ? 0 : 1;
}

static void *ktcp_server_thread(void *arg)
{
	return ktcp_serve(arg) ? (void *)1 : NULL;
}

static int ktcp_client(struct ktcp *k, const struct sockaddr_in *to)
{
	static char buf[65536];
	long i, left;
	int fd;
	char c = 'k';

	if (k->mode == 2) {
		for (i = 0; i < k->n; i++) {
			fd = ktcp_connect(to);
			if (fd < 0 || send(fd, &c, 1, 0) != 1 || recv(fd, &c, 1, 0) != 1 ||
			    recv(fd, &c, 1, 0) != 0) {
				if (fd >= 0)
					close(fd);
				return 1;
			}
			close(fd);
		}
		return 0;
	}
	fd = ktcp_connect(to);
	if (fd < 0)
		return 1;
	if (k->mode == 0) {
		memset(buf, 's', sizeof(buf));
		for (left = k->n; left > 0;) {
			size_t len = (size_t)left < k->wsize ? (size_t)left : k->wsize;
			ssize_t r = send(fd, buf, len, 0);

			if (r <= 0) {
				close(fd);
				return 1;
			}
			left -= r;
		}
		close(fd);
		return 0;
	}
	for (i = 0; i < k->n; i++)
		if (send(fd, &c, 1, 0) != 1 || recv(fd, &c, 1, 0) != 1)
			break;
	close(fd);
	return i == k->n ? 0 : 1;
}

/* @mode 0 stream (@n bytes in @wsize writes), 1 rr, 2 crr (@n transactions); @procs: the
 * server in a child process, else a thread. The time runs from the client's start until the
 * server finished (stream: all bytes read). */
static int bench_tcp_lo(int mode, long n, size_t wsize, int procs)
{
	struct ktcp k = { .n = n, .wsize = wsize, .mode = mode };
	struct sockaddr_in to;
	pthread_t th;
	pid_t pid = -1;
	void *ret = NULL;
	double t0, t1;
	int err, st = 0;

	k.lfd = ktcp_listen(&to);
	if (k.lfd < 0) {
		perror("tcp: listen");
		return 1;
	}
	if (procs) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(ktcp_serve(&k) ? 1 : 0);
	} else if (pthread_create(&th, NULL, ktcp_server_thread, &k)) {
		return 1;
	}
	t0 = wall_s();
	err = ktcp_client(&k, &to);
	if (procs) {
		if (err)
			kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		err |= !WIFEXITED(st) || WEXITSTATUS(st);
	} else {
		pthread_join(th, &ret);
		err |= ret != NULL;
	}
	t1 = wall_s();
	close(k.lfd);
	if (err) {
		fprintf(stderr, "tcp: failed\n");
		return 1;
	}
	printf("INFO seconds=%.6f\n", t1 - t0);
	if (mode == 0)
		printf("RESULT %.4f\n", (double)n * 8 / (t1 - t0) / 1e9);
	else
		printf("RESULT %.1f\n", (double)n / (t1 - t0));
	return 0;
}

/* ---- TCP: memory per connection ---------------------------------------------------------- */

/* The caches a TCP socket's life touches (names of this kernel; absent ones count 0), and
 * the memcg-charged kmalloc classes. */
static int tcp_cache(const char *name)
{
	static const char *const caches[] = {
		"TCP", "tw_sock_TCP", "request_sock_TCP", "sock_inode_cache", "filp", "dentry",
		"tcp_bind_bucket", "tcp_bind2_bucket", "skbuff_head_cache", "skbuff_small_head",
		"skbuff_fclone_cache", "eventpoll_pwq",
	};
	unsigned int i;

	if (!strncmp(name, "kmalloc-cg-", 11))
		return 1;
	for (i = 0; i < sizeof(caches) / sizeof(caches[0]); i++)
		if (!strcmp(name, caches[i]))
			return 1;
	return 0;
}

#define K_MAX_CACHES 64
struct kslab {
	int n;
	char name[K_MAX_CACHES][64];
	long active[K_MAX_CACHES], size[K_MAX_CACHES];
};

static int kslab_read(struct kslab *k)
{
	char line[512], name[64];
	unsigned long active, num, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	k->n = 0;
	while (fgets(line, sizeof(line), f) && k->n < K_MAX_CACHES) {
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &num, &size) != 4 ||
		    !tcp_cache(name))
			continue;
		snprintf(k->name[k->n], sizeof(k->name[0]), "%s", name);
		k->active[k->n] = (long)active;
		k->size[k->n] = (long)size;
		k->n++;
	}
	fclose(f);
	return 0;
}

/* Bytes the caches grew by; "INFO cache.NAME=bytes per @nsock" for those that grew by at
 * least @nsock / 8 objects. */
static long kslab_delta(const struct kslab *a, const struct kslab *b, long nsock)
{
	long total = 0, before, d;
	int i, j;

	for (j = 0; j < b->n; j++) {
		before = 0;
		for (i = 0; i < a->n; i++)
			if (!strcmp(a->name[i], b->name[j]))
				before = a->active[i];
		d = (b->active[j] - before) * b->size[j];
		total += d;
		if (b->active[j] - before >= nsock / 8)
			printf("INFO cache.%s=%.1f\n", b->name[j], (double)d / (double)nsock);
	}
	return total;
}

/* The "mem" of /proc/net/sockstat's TCP line: pages charged to TCP sockets. */
static long sockstat_tcp(long *twp)
{
	char line[256];
	long inuse, orphan, tw = 0, alloc, mem = -1;
	FILE *f = fopen("/proc/net/sockstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TCP: inuse %ld orphan %ld tw %ld alloc %ld mem %ld", &inuse,
			   &orphan, &tw, &alloc, &mem) == 5)
			break;
	fclose(f);
	if (twp)
		*twp = tw;
	return mem;
}

/* The servers close first, then the clients: the TIME_WAIT socks are the servers' and share
 * the listener's port (client-side ones would hold an ephemeral port each for 60 s, and
 * repeated runs would run out of ports for the next listeners). */
static void tcp_mem_close(int *fds, long n)
{
	long i;

	for (i = 0; i < n; i++)
		close(fds[2 * i + 1]);
	usleep(100000);
	for (i = 0; i < n; i++)
		close(fds[2 * i]);
}

/* A child makes @n connected pairs over 127.0.0.1 to a listener of its own, says so on @wfd
 * (after @mode's step: msg exchanges a 64-byte request and response on each, q4k writes
 * 4 KiB on each client, tw closes servers then clients),
 * holds them until @rfd closes. */
static void tcp_mem_child(long n, const char *mode, int wfd, int rfd)
{
	static char four_k[4096];
	struct sockaddr_in sin = lo_port(0);
	socklen_t slen = sizeof(sin);
	int *fds = calloc((size_t)(2 * n), sizeof(int));
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	char c = 0;
	long i;

	if (!fds || lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) || listen(lfd, 4096))
		goto out;
	for (i = 0; i < n; i++) {
		fds[2 * i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[2 * i] < 0 || connect(fds[2 * i], (struct sockaddr *)&sin, sizeof(sin)))
			goto out;
		fds[2 * i + 1] = accept(lfd, NULL, NULL);
		if (fds[2 * i + 1] < 0)
			goto out;
	}
	if (!strcmp(mode, "q4k")) {
		for (i = 0; i < n; i++)
			if (send(fds[2 * i], four_k, sizeof(four_k), MSG_DONTWAIT) != sizeof(four_k))
				goto out;
		usleep(300000);	/* delivered and ACKed */
	} else if (!strcmp(mode, "msg")) {
		static char buf[64];

		for (i = 0; i < n; i++)
			if (send(fds[2 * i], buf, sizeof(buf), 0) != sizeof(buf) ||
			    recv(fds[2 * i + 1], buf, sizeof(buf), MSG_WAITALL) != sizeof(buf) ||
			    send(fds[2 * i + 1], buf, sizeof(buf), 0) != sizeof(buf) ||
			    recv(fds[2 * i], buf, sizeof(buf), MSG_WAITALL) != sizeof(buf))
				goto out;
		usleep(300000);	/* the delayed ACKs fire */
	} else if (!strcmp(mode, "tw")) {
		tcp_mem_close(fds, n);
		usleep(300000);
	}
	c = 1;
out:
	if (!c)
		fprintf(stderr, "tcp_mem child: %s\n", strerror(errno));
	if (write(wfd, &c, 1) != 1)
		_exit(1);
	(void)read(rfd, &c, 1);
	if (c && strcmp(mode, "tw")) {
		/* Reset, not close: no TIME_WAIT socks left behind to fill tcp_max_tw_buckets
		 * (131,072 here) before the tw rows run. */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		for (i = 0; i < 2 * n; i++) {
			setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(fds[i]);
		}
	}
	_exit(0);
}

/* tcp_mem_MODE N: N connections over 127.0.0.1 spread over processes (RLIMIT_NOFILE):
 * bytes per socket (2N sockets; tw: per TIME_WAIT sock, N) from /proc/slabinfo deltas of
 * the caches above, plus (q4k) the pages of sockstat's TCP mem. */
static int bench_tcp_mem(long n, const char *mode)
{
	static struct kslab k0, k1;
	struct rlimit rl;
	long per, left, s0, s1, m0, m1, nsock, bytes, tw0 = 0, tw1 = 0;
	int up[2], down[2], nproc = 0, ok = 1, st;
	char c;

	if (strcmp(mode, "idle") && strcmp(mode, "msg") && strcmp(mode, "q4k") &&
	    strcmp(mode, "tw"))
		return 2;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	per = ((long)rl.rlim_cur - 64) / 2;
	if (per < 100 || pipe(up) || pipe(down))
		return 1;
	if (kslab_read(&k0)) {
		printf("SKIP /proc/slabinfo is not readable\n");
		return 77;
	}
	s0 = meminfo_kib("Slab");
	m0 = sockstat_tcp(&tw0);
	for (left = n; left > 0; left -= per, nproc++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(up[0]);
			close(down[1]);
			tcp_mem_child(left < per ? left : per, mode, up[1], down[0]);
		}
	}
	close(up[1]);
	close(down[0]);
	for (st = 0; st < nproc; st++)
		if (read(up[0], &c, 1) != 1 || !c)
			ok = 0;
	kslab_read(&k1);
	s1 = meminfo_kib("Slab");
	m1 = sockstat_tcp(&tw1);
	/* tw: per TIME_WAIT sock created (older ones from an earlier run may expire meanwhile:
	 * they leave both the count and tw_sock_TCP, so the ratio holds). */
	nsock = strcmp(mode, "tw") ? 2 * n : tw1 - tw0;
	if (nsock <= 0) {
		fprintf(stderr, "tcp_mem_tw: no TIME_WAIT sockets appeared\n");
		ok = 0;
		nsock = 1;
	}
	bytes = kslab_delta(&k0, &k1, nsock);
	close(down[1]);
	while (wait(&st) > 0)
		;
	if (!ok) {
		fprintf(stderr, "tcp_mem: a child could not make its connections\n");
		return 1;
	}
	if (!strcmp(mode, "q4k"))
		bytes += (m1 - m0) * 4096;
	printf("INFO processes=%d sockets_measured=%ld sockstat_mem_pages=%ld\n", nproc, nsock,
	       m1 - m0);
	printf("INFO meminfo_slab_per_socket=%.1f\n", (double)(s1 - s0) * 1024.0 / (double)nsock);
	printf("INFO per_connection=%.1f\n", (double)bytes / (double)n);
	printf("RESULT %.1f\n", (double)bytes / (double)nsock);
	return 0;
}

/* ---- raw TAP frame ceiling --------------------------------------------------------------- */

/* A TAP "t0" in a new network namespace; frames written to it arrive in the kernel's stack;
 * an ICMP echo request to the TAP's own address is answered back out of the TAP (reflected
 * by the kernel), so write+read measure what one process can push through /dev/net/tun. */
static int tap_open(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static unsigned short csum16(const void *p, int len)
{
	const unsigned short *w = p;
	unsigned long s = 0;

	for (; len > 1; len -= 2)
		s += *w++;
	if (len)
		s += *(const unsigned char *)w;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned short)~s;
}

/* Ethernet + IPv4 + ICMP echo request of 1514 bytes to 10.77.0.1 from 10.77.0.2. */
static int echo_frame(unsigned char *f, const unsigned char *dmac, int seq)
{
	static const unsigned char smac[6] = { 0x02, 0, 0, 0, 0x77, 2 };
	unsigned char *ip = f + 14, *icmp = f + 34;
	int tot = 1500;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	f[13] = 0;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (unsigned char)(tot >> 8);
	ip[3] = (unsigned char)tot;
	ip[8] = 64;
	ip[9] = 1;
	inet_pton(AF_INET, "10.77.0.2", ip + 12);
	inet_pton(AF_INET, "10.77.0.1", ip + 16);
	*(unsigned short *)(ip + 10) = csum16(ip, 20);
	memset(icmp, 0, (size_t)(tot - 20));
	icmp[0] = 8;
	icmp[6] = (unsigned char)(seq >> 8);
	icmp[7] = (unsigned char)seq;
	*(unsigned short *)(icmp + 2) = csum16(icmp, tot - 20);
	return 14 + tot;
}

static int sh(const char *c)
{
	int r = system(c);

	if (r)
		fprintf(stderr, "tap: '%s' failed\n", c);
	return r;
}

/* Into a network namespace of our own with lo up: 0, 77 (skip: not root, no unshare) or 1. */
static int netns_enter_new(void)
{
	if (geteuid() != 0) {
		printf("SKIP not root\n");
		return 77;
	}
	if (unshare(CLONE_NEWNET)) {
		printf("SKIP unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 77;
	}
	return sh("ip link set lo up") ? 1 : 0;
}

static int bench_tap(long n)
{
	unsigned char frame[2048], buf[65536], dmac[6];
	struct ifreq ifr;
	long sent = 0, got = 0, inflight;
	double t0, t1;
	int fd, s, r;

	r = netns_enter_new();
	if (r)
		return r;
	fd = tap_open("t0");
	if (fd < 0) {
		printf("SKIP /dev/net/tun: %s\n", strerror(-fd));
		return 77;
	}
	if (sh("ip link set t0 up") ||
	    sh("ip addr add 10.77.0.1/24 dev t0") ||
	    sh("ip neigh add 10.77.0.2 lladdr 02:00:00:00:77:02 dev t0") ||
	    sh("sysctl -q -w net.ipv4.icmp_ratelimit=0"))
		return 1;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "t0");
	if (s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		return 1;
	memcpy(dmac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	/* Drain what the kernel sent at link up (router solicitations, IPv6 DAD). */
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	t0 = wall_s();
	/* Keep up to 64 frames in flight; every echo reply read back counts as one frame
	 * each way. Bounded: a lost reply only lowers the count (10 s at most). */
	while (got < n && wall_s() - t0 < 10.0) {
		inflight = sent - got;
		if (sent < n && inflight < 64) {
			int len = echo_frame(frame, dmac, (int)sent);

			if (write(fd, frame, (size_t)len) == len)
				sent++;
			continue;
		}
		r = (int)read(fd, buf, sizeof(buf));
		/* An echo reply (IPv4, ICMP type 0) of the full size; anything else (IPv6
		 * router solicitations) is ignored. EAGAIN: poll again (busy, bounded). */
		if (r == 1514 && buf[12] == 0x08 && buf[23] == 1 && buf[34] == 0)
			got++;
	}
	t1 = wall_s();
	close(fd);
	if (got < n / 2) {
		fprintf(stderr, "tap: %ld of %ld frames reflected\n", got, n);
		return 1;
	}
	printf("INFO reflected=%ld seconds=%.3f\n", got, t1 - t0);
	printf("INFO frames_per_second=%.0f\n", (double)got / (t1 - t0));
	/* Both directions carry the frame: Gbit/s of 1514-byte frames each way. */
	printf("RESULT %.3f\n", (double)got * 1514 * 8 / (t1 - t0) / 1e9);
	return 0;
}

/* ---- TCP over the TAP (ulnet up) and over a veth (kernel to kernel) ------------------------ */

#define XFER_CHUNK (1 << 20)

/* The byte pattern of docs/up.md (byte i = (i * 31 + 7) mod 251), 1 MiB of it from offset 0;
 * XFER_CHUNK is not a multiple of 251, so writes start at the pattern's offset. */
static unsigned char *pattern_buf(void)
{
	static unsigned char *p;
	long i;

	if (!p && (p = malloc(XFER_CHUNK + 251)))
		for (i = 0; i < XFER_CHUNK + 251; i++)
			p[i] = (unsigned char)((i * 31 + 7) % 251);
	return p;
}

static int xfer_connect(const char *ip, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), guard;

	inet_pton(AF_INET, ip, &sin.sin_addr);
	/* The peer may still be binding: retry for up to 5 s. */
	for (guard = 0; fd >= 0 && guard < 100; guard++) {
		if (!connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			return fd;
		close(fd);
		usleep(50000);
		fd = socket(AF_INET, SOCK_STREAM, 0);
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Write @n bytes of the pattern to @fd (from pattern offset 0). 0 or -1. */
static int xfer_send(int fd, long n)
{
	unsigned char *p = pattern_buf();
	long off = 0;

	while (p && off < n) {
		size_t want = (size_t)(n - off < XFER_CHUNK ? n - off : XFER_CHUNK);
		ssize_t w = write(fd, p + off % 251, want);

		if (w <= 0)
			return -1;
		off += w;
	}
	return p ? 0 : -1;
}

/* Read @fd until EOF (bounded by @limit_s seconds); the byte count, -1 on an error. */
static long xfer_drain(int fd, double limit_s)
{
	static char buf[XFER_CHUNK];
	double t0 = wall_s();
	long got = 0;
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		got += r;
		if (wall_s() - t0 > limit_s)
			return -1;
	}
	return r < 0 ? -1 : got;
}

/* Kernel client: upload @n bytes to @ip:@up_port (a discard service: it closes after our
 * FIN, once it read everything), then download @n bytes (an HTTP GET /bytes/N on port 80
 * when @http, else a source on @down_port that writes n bytes and closes). Prints the two
 * rates; RESULT is the slower direction ("each way"). */
static int xfer_both(const char *ip, int up_port, int down_port, bool http, long n)
{
	double t0, t_up, t_down;
	char req[160];
	long got;
	int fd;

	fd = xfer_connect(ip, up_port);
	if (fd < 0) {
		fprintf(stderr, "tcp over: connect %s:%d: %s\n", ip, up_port, strerror(errno));
		return 1;
	}
	t0 = wall_s();
	if (xfer_send(fd, n) || shutdown(fd, SHUT_WR) || xfer_drain(fd, 60) < 0) {
		fprintf(stderr, "tcp over: upload: %s\n", strerror(errno));
		return 1;
	}
	t_up = wall_s() - t0;
	close(fd);
	fd = xfer_connect(ip, down_port);
	if (fd < 0) {
		fprintf(stderr, "tcp over: connect %s:%d: %s\n", ip, down_port, strerror(errno));
		return 1;
	}
	t0 = wall_s();
	if (http) {
		int len = snprintf(req, sizeof(req), "GET /bytes/%ld HTTP/1.1\r\nHost: %s\r\n"
				   "Connection: close\r\n\r\n", n, ip);

		if (write(fd, req, (size_t)len) != len)
			return 1;
	}
	got = xfer_drain(fd, 60);
	t_down = wall_s() - t0;
	close(fd);
	/* HTTP: the body is what follows the headers (a few hundred bytes). */
	if (got < n || got > n + (http ? 1024 : 0)) {
		fprintf(stderr, "tcp over: downloaded %ld bytes of %ld\n", got, n);
		return 1;
	}
	printf("INFO bytes=%ld to_peer_gbit=%.3f from_peer_gbit=%.3f\n", n,
	       (double)n * 8 / t_up / 1e9, (double)n * 8 / t_down / 1e9);
	printf("RESULT %.3f\n", (double)n * 8 / (t_up > t_down ? t_up : t_down) / 1e9);
	return 0;
}

/* Counter @name of the @prefix ("Tcp:", "TcpExt:") lines of @path in this namespace; -1. */
static long snmp_field(const char *path, const char *prefix, const char *name)
{
	char hdr[4096], val[4096], *h, *v, *sh, *sv;
	FILE *f = fopen(path, "r");
	long ret = -1;

	while (f && fgets(hdr, sizeof(hdr), f) && fgets(val, sizeof(val), f)) {
		if (strncmp(hdr, prefix, strlen(prefix)))
			continue;
		for (h = strtok_r(hdr, " \n", &sh), v = strtok_r(val, " \n", &sv); h && v;
		     h = strtok_r(NULL, " \n", &sh), v = strtok_r(NULL, " \n", &sv))
			if (!strcmp(h, name))
				ret = strtol(v, NULL, 10);
	}
	if (f)
		fclose(f);
	return ret;
}

/* tcp_tap_{offload,1514} N: `ulnet up` (the build's ulnet next to this program) on TAP ut0
 * of a namespace of our own, 10.78.0.2/24 (--offload: IFF_VNET_HDR and TSO), the kernel on
 * 10.78.0.1: N bytes to ulnet's TCP discard (9), then N bytes from its HTTP /bytes/N. */
static int bench_tcp_tap(const char *self, bool offload, long n)
{
	char ulnet[4096], line[512];
	const char *slash = strrchr(self, '/');
	int pfd[2], rc, status;
	pid_t pid;
	FILE *out;
	bool ready = false;
	double t0;

	snprintf(ulnet, sizeof(ulnet), "%.*sulnet", slash ? (int)(slash - self + 1) : 0, self);
	if (access(ulnet, X_OK)) {
		fprintf(stderr, "tcp_tap: %s not found (build the ulnet target)\n", ulnet);
		return 1;
	}
	if (access("/dev/net/tun", R_OK | W_OK)) {
		printf("SKIP no /dev/net/tun\n");
		return 77;
	}
	if ((rc = netns_enter_new()))
		return rc;
	if (pipe(pfd))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		/* Gone with us, even when the driver kills us after its timeout. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		char *argv[] = { ulnet, "up", "--tap", "ut0", "--addr", "10.78.0.2/24",
				 offload ? "--offload" : NULL, NULL };

		execv(ulnet, argv);
		_exit(127);
	}
	close(pfd[1]);
	out = fdopen(pfd[0], "r");
	if (out)
		setvbuf(out, NULL, _IONBF, 0);	/* nothing hidden from poll in a buffer */
	/* "ready" within 20 s (poll: a stuck ulnet must not hang us). */
	for (t0 = wall_s(); out && !ready && wall_s() - t0 < 20;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };

		if (poll(&p, 1, 1000) <= 0)
			continue;
		if (!fgets(line, sizeof(line), out))
			break;
		ready = strstr(line, "ulnet up: ready") != NULL;
	}
	rc = 1;
	if (!ready)
		fprintf(stderr, "tcp_tap: ulnet up did not get ready\n");
	else if (!sh("ip addr add 10.78.0.1/24 dev ut0") && !sh("ip link set ut0 up"))
		rc = xfer_both("10.78.0.2", 9, 80, true, n);
	/* The kernel's view of losses: its retransmissions (upload) and the out-of-order
	 * segments it queued (ulnet's losses on the download). */
	printf("INFO kernel_retrans_segs=%ld kernel_ofo_queued=%ld\n",
	       snmp_field("/proc/net/snmp", "Tcp:", "RetransSegs"),
	       snmp_field("/proc/net/netstat", "TcpExt:", "TCPOFOQueue"));
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	if (out)
		fclose(out);
	return rc;
}

/* The veth's far end: accept one connection and read it to EOF (discard), then accept one and
 * write @n bytes (source). Runs in namespace @ns. */
static int veth_server(const char *ns, long n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char path[128];
	int one = 1, nsfd, l1, l2, c;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
		return 1;
	l1 = socket(AF_INET, SOCK_STREAM, 0);
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(l2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_port = htons(9);
	if (bind(l1, (struct sockaddr *)&sin, sizeof(sin)) || listen(l1, 4))
		return 1;
	sin.sin_port = htons(19);
	if (bind(l2, (struct sockaddr *)&sin, sizeof(sin)) || listen(l2, 4))
		return 1;
	if ((c = accept(l1, NULL, NULL)) < 0 || xfer_drain(c, 60) < 0)
		return 1;
	close(c);
	if ((c = accept(l2, NULL, NULL)) < 0 || xfer_send(c, n))
		return 1;
	close(c);
	return 0;
}

/* tcp_veth N: the kernel to the kernel over a veth (MTU 1500, the veth's TSO/GSO) between
 * this namespace and another: N bytes each way. */
static int bench_tcp_veth(long n)
{
	char ns[64], c[512];
	int rc, status;
	pid_t pid;

	if ((rc = netns_enter_new()))
		return rc;
	snprintf(ns, sizeof(ns), "ulbench_veth%d", (int)getpid());
	snprintf(c, sizeof(c), "ip netns add %s", ns);
	if (sh(c))
		return 1;
	rc = 1;
	snprintf(c, sizeof(c), "ip link add v0 type veth peer name v1 netns %s", ns);
	if (sh(c) || sh("ip addr add 10.79.0.1/24 dev v0") || sh("ip link set v0 up"))
		goto out;
	snprintf(c, sizeof(c), "ip -n %s addr add 10.79.0.2/24 dev v1 && ip -n %s link set v1 up "
		 "&& ip -n %s link set lo up", ns, ns, ns);
	if (sh(c))
		goto out;
	pid = fork();
	if (pid == 0)
		_exit(veth_server(ns, n));
	if (pid < 0)
		goto out;
	rc = xfer_both("10.79.0.2", 9, 19, false, n);
	if (rc)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
		rc = 1;
out:
	snprintf(c, sizeof(c), "ip netns del %s", ns);
	sh(c);
	return rc;
}

/* ---- epoll at scale ------------------------------------------------------------------------ */

#define EP_ROUNDS 300

/* The round of ul_bench's epoll_scale: @k clients send 1 byte, the server ends are taken
 * from epoll_wait and answer, the clients read. Returns the events, -1 on an error. */
static long ep_round(int epfd, const int *cfd, long n, long k, long round, struct epoll_event *ev)
{
	long j, got = 0;
	char b = 'q';
	int guard, m, x;

	for (j = 0; j < k; j++)
		if (write(cfd[(round * k + j) % n], &b, 1) != 1)
			return -1;
	for (guard = 0; got < k && guard < 1000; guard++) {
		m = epoll_wait(epfd, ev, (int)k, guard ? 10 : 0);
		for (x = 0; x < m; x++) {
			if (read(ev[x].data.fd, &b, 1) != 1 || write(ev[x].data.fd, &b, 1) != 1)
				return -1;
		}
		if (m > 0)
			got += m;
	}
	for (j = 0; j < k; j++)
		if (read(cfd[(round * k + j) % n], &b, 1) != 1)
			return -1;
	return got == k ? got : -1;
}

static int ep_measure(int epfd, const int *cfd, long n, const char *tag, double *us)
{
	long k = n / 100 > 0 ? n / 100 : 1, r, events = 0, e;
	struct epoll_event *ev = calloc((size_t)k, sizeof(*ev));
	double t0;

	if (!ev)
		return -1;
	t0 = wall_s();
	for (r = 0; r < EP_ROUNDS; r++) {
		if ((e = ep_round(epfd, cfd, n, k, r, ev)) < 0) {
			fprintf(stderr, "epoll: round %ld of %s: %s\n", r, tag, strerror(errno));
			free(ev);
			return -1;
		}
		events += e;
	}
	*us = (wall_s() - t0) * 1e6 / (double)events;
	free(ev);
	printf("INFO %s_connections=%ld %s_active=%ld %s_us_per_request=%.3f\n", tag, n, tag, k,
	       tag, *us);
	return 0;
}

/* epoll_scale N: as ul_bench's, one thread over 127.0.0.1 with the real epoll. N is capped
 * by RLIMIT_NOFILE (two fds per connection). */
static int bench_epoll(long n)
{
	struct sockaddr_in sin;
	struct rlimit rl;
	long small = n / 10 > 0 ? n / 10 : 1, i;
	double us_small, us_big;
	int *cfd = calloc((size_t)n, sizeof(int)), *sfd = calloc((size_t)n, sizeof(int));
	int lfd, epfd;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if ((rlim_t)(2 * n + 16) > rl.rlim_cur) {
		fprintf(stderr, "epoll_scale: %ld connections need %ld fds, RLIMIT_NOFILE is %ld\n",
			n, 2 * n + 16, (long)rl.rlim_cur);
		return 1;
	}
	lfd = ktcp_listen(&sin);
	epfd = epoll_create1(0);
	if (!cfd || !sfd || lfd < 0 || epfd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		if ((cfd[i] = ktcp_connect(&sin)) < 0 || (sfd[i] = accept(lfd, NULL, NULL)) < 0) {
			fprintf(stderr, "epoll_scale: connection %ld: %s\n", i, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = sfd[i] };

		if (i == small && ep_measure(epfd, cfd, small, "small", &us_small))
			return 1;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, sfd[i], &ev))
			return 1;
	}
	if (ep_measure(epfd, cfd, n, "big", &us_big))
		return 1;
	printf("RESULT %.3f\n", us_big);
	for (i = 0; i < n; i++) {
		close(cfd[i]);
		close(sfd[i]);
	}
	free(cfd);
	free(sfd);
	return 0;
}

int main(int argc, char **argv)
{
	long n;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: %s udp_rr_threads|udp_rr_procs|mem|tap N\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "udp_rr_threads"))
		return bench_udp_rr(n, 0);
	if (!strcmp(argv[1], "udp_rr_procs"))
		return bench_udp_rr(n, 1);
	if (!strcmp(argv[1], "mem"))
		return bench_mem(n);
	if (!strcmp(argv[1], "tcp_stream_64k"))
		return bench_tcp_lo(0, n, 65536, 0);
	if (!strcmp(argv[1], "tcp_stream_1k"))
		return bench_tcp_lo(0, n, 1024, 0);
	if (!strcmp(argv[1], "tcp_rr_threads"))
		return bench_tcp_lo(1, n, 0, 0);
	if (!strcmp(argv[1], "tcp_rr_procs"))
		return bench_tcp_lo(1, n, 0, 1);
	if (!strcmp(argv[1], "tcp_crr"))
		return bench_tcp_lo(2, n, 0, 0);
	if (!strcmp(argv[1], "tcp_crr_procs"))
		return bench_tcp_lo(2, n, 0, 1);
	if (!strncmp(argv[1], "tcp_mem_", 8))
		return bench_tcp_mem(n, argv[1] + 8);
	if (!strcmp(argv[1], "tap"))
		return bench_tap(n);
	if (!strcmp(argv[1], "tcp_tap_offload") || !strcmp(argv[1], "tcp_tap_1514"))
		return bench_tcp_tap(argv[0], argv[1][8] == 'o', n);
	if (!strcmp(argv[1], "epoll_scale"))
		return bench_epoll(n);
	if (!strcmp(argv[1], "tcp_veth"))
		return bench_tcp_veth(n);
	fprintf(stderr, "unknown benchmark %s\n", argv[1]);
	return 2;
}
