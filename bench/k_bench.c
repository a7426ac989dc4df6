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
 *   tap N               root only: the raw TAP frame ceiling, N 1514-byte frames written to a
 *                       TAP in a namespace of its own and read back after a kernel bounce
 *                       (exit 77 when not root or no /dev/net/tun) */
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int bench_tap(long n)
{
	unsigned char frame[2048], buf[65536], dmac[6];
	struct ifreq ifr;
	long sent = 0, got = 0, inflight;
	double t0, t1;
	int fd, s, r;

	if (geteuid() != 0) {
		printf("SKIP not root\n");
		return 77;
	}
	if (unshare(CLONE_NEWNET)) {
		printf("SKIP unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 77;
	}
	fd = tap_open("t0");
	if (fd < 0) {
		printf("SKIP /dev/net/tun: %s\n", strerror(-fd));
		return 77;
	}
	if (sh("ip link set lo up") || sh("ip link set t0 up") ||
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
	if (!strcmp(argv[1], "tap"))
		return bench_tap(n);
	fprintf(stderr, "unknown benchmark %s\n", argv[1]);
	return 2;
}
