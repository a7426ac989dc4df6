/* SPDX-License-Identifier: MIT */
/* `ulnet up`: a real-mode stack on a host TAP device, answering ARP and ping and serving UDP
 * echo (port 7, RFC 862) and discard (port 9, RFC 863), and TCP echo, discard, chargen and
 * HTTP (up_services.c) until SIGINT/SIGTERM (docs/up.md); with --ping, --fetch and
 * --tcp-send it first acts as a client (the built-in ping, ulnet/ping.h; up_client.c).
 * Mirrors no kernel file: it is what a host's init scripts do (ip link/addr/route) plus
 * inetd-style services, on the posix runtime. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "ulnet/lab.h"
#include "ulnet/ping.h"
#include "ulnet/socket.h"
#include "ulnet/tap.h"
#include "ulnet/ulnet.h"
#include "up.h"

#define UP_ECHO_PORT	7
#define UP_DISCARD_PORT	9
#define UP_BUF_LEN	65536
#define UP_MALLOC_TRIM	(64 << 20)	/* M_TRIM_THRESHOLD: free memory kept, bytes */

/* Set by the signal handler should a stop signal reach a thread that does not block it. */
static volatile sig_atomic_t up_stop_signal;

/* Set by the handler should SIGUSR1 (print ss -tan) reach a thread that does not block it. */
static volatile sig_atomic_t up_ss_signal;

/* The same for SIGUSR2 (print conntrack -L). */
static volatile sig_atomic_t up_ct_signal;

/* --run FILE may be given this many times. */
#define UP_MAX_RUN 8

static void up_on_signal(int sig)
{
	if (sig == SIGUSR1)
		up_ss_signal = 1;
	else if (sig == SIGUSR2)
		up_ct_signal = 1;
	else
		up_stop_signal = sig;
}

struct up_service {
	const char *name;
	unsigned short port;
	bool echo;			/* echo back, or discard */
	unsigned long packets, bytes;	/* for the exit summary; written by the task only */
	int err;			/* setup failure (-errno) */
};

static void up_usage(FILE *f)
{
	fprintf(f,
		"Usage: ulnet up --tap NAME --addr A.B.C.D/N [--gw A.B.C.D] [--pcap FILE]\n"
		"                [--cpus N] [--mac XX:XX:XX:XX:XX:XX] [--offload]\n"
		"                [--ping DEST [-c N]]\n"
		"                [--no-tcp] [--fetch A.B.C.D[:PORT][/PATH]]\n"
		"                [--tcp-send A.B.C.D:PORT [--bytes N]] [--run FILE]...\n\n"
		"Runs the stack on real time (posix runtime) with the host's TAP device NAME as its\n"
		"NIC (created if missing; needs CAP_NET_ADMIN), gives it the address and the default\n"
		"route, and serves UDP echo (port 7) and discard (port 9), and TCP echo (7), discard\n"
		"(9), chargen (19) and HTTP (80: GET /bytes/N, /). The stack itself answers ARP and\n"
		"ICMP echo. Runs until SIGINT or SIGTERM, then stops cleanly; SIGUSR1 prints\n"
		"ulnet's `ss -tan`, SIGUSR2 its `conntrack -L`.\n\n"
		"  --tap NAME    the host TAP device (ulnet's device gets the same name)\n"
		"  --addr A/N    IPv4 address and prefix length of the device\n"
		"  --gw G        default gateway (ip route add default via G)\n"
		"  --pcap FILE   capture the device's traffic to FILE (flushed at exit)\n"
		"  --cpus N      CPUs of the stack, 1..64 (default 1); the TAP interrupts CPU 0\n"
		"  --mac MAC     the device's MAC (default: random, locally administered)\n"
		"  --offload     open the TAP with IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM |\n"
		"                TUN_F_TSO4): TCP segments of up to 64 KiB cross in one read or\n"
		"                write; the device has TSO, SG and checksum offload (default:\n"
		"                plain frames of the MTU, the TAP's offloads turned off)\n"
		"  --ping DEST   once ready, ping DEST from ulnet (built-in ping over a ping\n"
		"                socket, iputils' output) and print it, then keep serving\n"
		"  -c, --count N echo requests of --ping, 1..1000 (default 3)\n"
		"  --no-tcp      do not serve TCP\n"
		"  --fetch URL   once ready, GET http://A.B.C.D[:PORT][/PATH] from ulnet and print\n"
		"                the status, size and SHA-256 of the body\n"
		"  --tcp-send A.B.C.D:PORT  once ready, connect, send --bytes N bytes of the\n"
		"                pattern (docs/up.md), half-close, wait for the peer's FIN, and\n"
		"                print the SHA-256 of what was sent\n"
		"  --bytes N     bytes of --tcp-send, 0..2^40 (default 1048576)\n"
		"  --run FILE    once the TAP is up and before \"ready\", run the scenario FILE\n"
		"                (the lines of `ulnet run`: ip netns, veth, bridge, iptables,\n"
		"                sysctl, exec -n NS http ...) in this stack; the programs it\n"
		"                starts serve until ulnet up stops. Up to 8, run in order\n"
		"                (e.g. examples/docker-host.scn: a container host)\n\n"
		"Prints one line \"ulnet up: ready ...\" when serving. Exit status: 0 after a clean\n"
		"stop, 1 when the stack could not be set up, 2 on a usage error.\n");
}

static int up_service_task(void *arg)
{
	struct up_service *svc = arg;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char *buf;
	int fd;

	buf = malloc(UP_BUF_LEN);
	if (!buf) {
		svc->err = -ENOMEM;
		return 1;
	}
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		svc->err = -errno;
		free(buf);
		return 1;
	}
	sin.sin_port = htons(svc->port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		svc->err = -errno;
		ul_close(fd);
		free(buf);
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = ul_recvfrom(fd, buf, UP_BUF_LEN, 0, (struct sockaddr *)&from, &fromlen);

		if (n < 0) {
			if (errno == EINTR)	/* the stack is stopping */
				break;
			continue;		/* e.g. ECONNREFUSED from an ICMP error */
		}
		svc->packets++;
		svc->bytes += (unsigned long)n;
		if (svc->echo)
			ul_sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen);
	}
	ul_close(fd);
	free(buf);
	return 0;
}

static int up_run_cmd(const char *line)
{
	char *out = NULL;
	int err;

	err = ul_cmd(NULL, line, &out);
	if (err)
		fprintf(stderr, "ulnet up: '%s' failed: %s%s%s\n", line, strerror(-err),
			out && *out ? ": " : "", out ? out : "");
	free(out);
	return err;
}

static bool up_parse_mac(const char *s, unsigned char mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return false;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return false;
		mac[i] = (unsigned char)b[i];
	}
	return true;
}

struct up_opts {
	const char *run[UP_MAX_RUN];	/* --run FILE, in order */
	int nrun;
	const char *tap, *addr, *gw, *pcap, *ping, *fetch, *tcp_send;
	int ncpus;
	int count;		/* --ping's -c */
	bool have_mac;
	bool no_tcp;
	bool offload;		/* --offload: IFF_VNET_HDR (UL_TAP_VNET_HDR) */
	unsigned char mac[6];
	struct up_client fetch_c, send_c;
};

/* Run a built-in client as a task and wait for it; prints "ulnet up: NAME exited S". */
static void up_run_client(const char *name, ul_task_fn fn, struct up_client *c)
{
	struct ul_task *t = ul_task_spawn(NULL, name, -1, fn, c);

	if (!t) {
		printf("ulnet up: cannot start %s\n", name);
		c->status = 2;
	} else {
		ul_task_join(t);
	}
	printf("ulnet up: %s exited %d\n", name, c->status);
	fflush(stdout);
}

/* ulnet's own `ss -tan` (src/views/ss.c), on SIGUSR1. */
static void up_print_ss(void)
{
	char *argv[] = { "ss", "-tan", NULL };

	printf("ulnet up: ss -tan\n");
	fflush(stdout);
	ul_view_run(NULL, 2, argv, stdout, stderr);
	printf("ulnet up: end of ss\n");
	fflush(stdout);
}

/* ulnet's own `conntrack -L` (init_net), on SIGUSR2. */
static void up_print_conntrack(void)
{
	char *out = NULL;
	int err = ul_cmd(NULL, "conntrack -L", &out);

	printf("ulnet up: conntrack -L\n");
	if (out)
		fputs(out, stdout);
	if (err)
		printf("ulnet up: conntrack -L: %s\n", strerror(-err));
	printf("ulnet up: end of conntrack\n");
	fflush(stdout);
	free(out);
}

/* --run: each scenario file's lines, in order; errors name FILE:LINE: 'WORD' as ulnet run.
 * Returns 0, or -1 after reporting (what the failed file started is stopped already). */
static int up_start_scenarios(struct up_opts *o, struct ul_scenario **runs)
{
	struct ul_scenario_opts so = { .out = stdout, .err = stderr };
	int i, err;

	for (i = 0; i < o->nrun; i++) {
		err = ul_scenario_start_file(o->run[i], &so, &runs[i]);
		if (err < 0)
			fprintf(stderr, "ulnet up: --run %s: %s\n", o->run[i], strerror(-err));
		else if (err)
			fprintf(stderr, "ulnet up: --run %s failed\n", o->run[i]);
		if (err)
			return -1;
		printf("ulnet up: ran %s\n", o->run[i]);
		fflush(stdout);
	}
	return 0;
}

/* Stop the scenarios' programs, last started first. */
static void up_stop_scenarios(struct up_opts *o, struct ul_scenario **runs)
{
	int i;

	for (i = o->nrun - 1; i >= 0; i--) {
		if (runs[i] && ul_scenario_stop(runs[i]))
			fprintf(stderr, "ulnet up: --run %s: a program failed\n", o->run[i]);
		runs[i] = NULL;
	}
}

/* Start the TCP services' task and wait (2 s at most) until it listens. */
static struct ul_task *up_start_tcp(struct up_tcp_server *srv)
{
	struct ul_task *t;
	int i, ready = 0;

	for (i = 0; i < UP_TCP_NSVC; i++)
		srv->on[i] = true;
	t = ul_task_spawn(NULL, "tcp-services", -1, up_tcp_server_task, srv);
	if (!t) {
		fprintf(stderr, "ulnet up: cannot start the TCP services\n");
		return NULL;
	}
	for (i = 0; i < 200 && !ready; i++) {
		ready = __atomic_load_n(&srv->ready, __ATOMIC_ACQUIRE);
		if (!ready)
			ul_run_for(10 * 1000 * 1000);
	}
	if (ready == 1)
		return t;
	__atomic_store_n(&srv->stop, 1, __ATOMIC_RELEASE);
	ul_task_join(t);
	if (srv->err)
		fprintf(stderr, "ulnet up: TCP %s service: %s\n", srv->err_what,
			strerror(-srv->err));
	else
		fprintf(stderr, "ulnet up: the TCP services did not start within 2 s\n");
	return NULL;
}

static void up_print_tcp_summary(const struct up_tcp_server *srv)
{
	int i;

	for (i = 0; i < UP_TCP_NSVC; i++) {
		const struct up_tcp_stats *st = &srv->st[i];

		printf("ulnet up: tcp %s: %lu connections", up_tcp_svc_name(i), st->conns);
		if (i == UP_TCP_HTTP)
			printf(", %lu requests", st->requests);
		printf(", %llu bytes in, %llu bytes out\n", (unsigned long long)st->bytes_in,
		       (unsigned long long)st->bytes_out);
	}
	if (srv->refused)
		printf("ulnet up: tcp: %lu connections refused (over %d at a time)\n",
		       srv->refused, UP_TCP_MAX_CONNS);
}

static bool up_check_addr(const char *addr)
{
	char ip[INET_ADDRSTRLEN + 1];
	const char *slash = strchr(addr, '/');
	struct in_addr a;
	int plen;

	if (!slash || (size_t)(slash - addr) > INET_ADDRSTRLEN)
		return false;
	memcpy(ip, addr, (size_t)(slash - addr));
	ip[slash - addr] = '\0';
	if (inet_pton(AF_INET, ip, &a) != 1)
		return false;
	if (!slash[1] || strlen(slash + 1) > 2)
		return false;
	plen = 0;
	for (slash++; *slash; slash++) {
		if (*slash < '0' || *slash > '9')
			return false;
		plen = plen * 10 + (*slash - '0');
	}
	return plen <= 32;
}

/* Everything between the stack's birth and death; returns the exit code. */
static int up_serve(struct up_opts *o, const sigset_t *stopset)
{
	struct up_service svc[2] = {
		{ .name = "echo", .port = UP_ECHO_PORT, .echo = true },
		{ .name = "discard", .port = UP_DISCARD_PORT, .echo = false },
	};
	struct up_tcp_server srv = { .ready = 0 };
	struct ul_scenario *runs[UP_MAX_RUN] = { NULL };
	struct ul_task *tcp_task = NULL;
	char line[256];
	int err, cap = 0, sig, i;
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 200 * 1000 * 1000 };

	err = ul_tap_attach_flags(NULL, o->tap, NULL, o->have_mac ? o->mac : NULL, 0,
				  o->offload ? UL_TAP_VNET_HDR : 0);
	if (err < 0) {
		fprintf(stderr, "ulnet up: cannot attach TAP %s: %s\n", o->tap, strerror(-err));
		return ULNET_EXIT_FAIL;
	}
	if (o->pcap) {
		cap = ul_capture_start(NULL, o->tap, NULL, o->pcap);
		if (cap < 0) {
			fprintf(stderr, "ulnet up: cannot capture to %s: %s\n", o->pcap,
				strerror(-cap));
			return ULNET_EXIT_FAIL;
		}
	}
	snprintf(line, sizeof(line), "ip link set %s up", o->tap);
	if (up_run_cmd(line))
		goto fail;
	snprintf(line, sizeof(line), "ip addr add %s dev %s", o->addr, o->tap);
	if (up_run_cmd(line))
		goto fail;
	if (o->gw) {
		snprintf(line, sizeof(line), "ip route add default via %s", o->gw);
		if (up_run_cmd(line))
			goto fail;
	}
	for (i = 0; i < 2; i++) {
		if (!ul_task_spawn(NULL, svc[i].name, -1, up_service_task, &svc[i])) {
			fprintf(stderr, "ulnet up: cannot start the %s service\n", svc[i].name);
			goto fail;
		}
	}
	/* Give the services a moment to bind, and report what failed. */
	ul_run_for(50 * 1000 * 1000);
	for (i = 0; i < 2; i++) {
		if (svc[i].err) {
			fprintf(stderr, "ulnet up: %s service (udp/%u): %s\n", svc[i].name,
				svc[i].port, strerror(-svc[i].err));
			goto fail;
		}
	}
	if (!o->no_tcp && !(tcp_task = up_start_tcp(&srv)))
		goto fail;
	if (up_start_scenarios(o, runs))
		goto fail;
	printf("ulnet up: ready on %s %s%s%s (udp echo/7, discard/9%s)\n", o->tap, o->addr,
	       o->gw ? " via " : "", o->gw ? o->gw : "",
	       tcp_task ? "; tcp echo/7, discard/9, chargen/19, http/80" : "");
	fflush(stdout);
	if (o->ping) {
		char count[16], *pargv[] = { "ping", "-c", count, (char *)o->ping, NULL };

		snprintf(count, sizeof(count), "%d", o->count);
		printf("ulnet up: ping exited %d\n", ul_ping(NULL, 4, pargv, stdout));
		fflush(stdout);
	}
	if (o->fetch)
		up_run_client("fetch", up_fetch_task, &o->fetch_c);
	if (o->tcp_send)
		up_run_client("tcp-send", up_tcp_send_task, &o->send_c);

	/* Wait for SIGINT/SIGTERM; the stack runs on its own threads meanwhile. */
	for (;;) {
		sig = sigtimedwait(stopset, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (sig == SIGUSR1 || up_ss_signal) {
			up_ss_signal = 0;
			up_print_ss();
		}
		if (sig == SIGUSR2 || up_ct_signal) {
			up_ct_signal = 0;
			up_print_conntrack();
		}
		if (up_stop_signal) {
			sig = up_stop_signal;
			break;
		}
	}
	printf("ulnet up: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	fflush(stdout);
	up_stop_scenarios(o, runs);
	if (cap > 0)
		printf("ulnet up: %ld packets captured to %s\n", ul_capture_stop(cap), o->pcap);
	printf("ulnet up: echo %lu datagrams, discard %lu datagrams\n", svc[0].packets,
	       svc[1].packets);
	if (tcp_task) {
		/* The task sees @stop within 200 ms, closes its sockets and returns. */
		__atomic_store_n(&srv.stop, 1, __ATOMIC_RELEASE);
		ul_task_join(tcp_task);
		up_print_tcp_summary(&srv);
	}
	fflush(stdout);
	return ULNET_EXIT_OK;

fail:
	up_stop_scenarios(o, runs);
	if (tcp_task) {
		__atomic_store_n(&srv.stop, 1, __ATOMIC_RELEASE);
		ul_task_join(tcp_task);
	}
	if (cap > 0)
		ul_capture_stop(cap);
	return ULNET_EXIT_FAIL;
}

static int up_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tap", required_argument, NULL, 't' },
		{ "addr", required_argument, NULL, 'a' },
		{ "gw", required_argument, NULL, 'g' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "cpus", required_argument, NULL, 'C' },
		{ "ping", required_argument, NULL, 'P' },
		{ "count", required_argument, NULL, 'c' },
		{ "mac", required_argument, NULL, 'm' },
		{ "no-tcp", no_argument, NULL, 'T' },
		{ "offload", no_argument, NULL, 'O' },
		{ "fetch", required_argument, NULL, 'F' },
		{ "tcp-send", required_argument, NULL, 'S' },
		{ "bytes", required_argument, NULL, 'B' },
		{ "run", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct up_opts o = { .ncpus = 1, .count = 3, .send_c.bytes = 1 << 20 };
	struct ul_config cfg = { .runtime = UL_RUNTIME_POSIX };
	sigset_t stopset, oldset;
	struct sigaction sa;
	struct in_addr gw;
	int c, err, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:hc:", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o.tap = optarg;
			break;
		case 'a':
			o.addr = optarg;
			break;
		case 'g':
			o.gw = optarg;
			break;
		case 'p':
			o.pcap = optarg;
			break;
		case 'C':
			if (!ulnet_parse_int("up", "--cpus", optarg, 1, 64, &o.ncpus))
				return ULNET_EXIT_USAGE;
			break;
		case 'P':
			o.ping = optarg;
			break;
		case 'c':
			if (!ulnet_parse_int("up", "--count", optarg, 1, 1000, &o.count))
				return ULNET_EXIT_USAGE;
			break;
		case 'm':
			if (!up_parse_mac(optarg, o.mac))
				return ulnet_usage_error(&ulnet_cmd_up, "bad MAC '%s'", optarg);
			o.have_mac = true;
			break;
		case 'T':
			o.no_tcp = true;
			break;
		case 'O':
			o.offload = true;
			break;
		case 'F':
			if (!up_parse_fetch(optarg, &o.fetch_c))
				return ulnet_usage_error(&ulnet_cmd_up, "bad --fetch '%s' (want "
							 "A.B.C.D[:PORT][/PATH])", optarg);
			o.fetch = optarg;
			break;
		case 'S':
			if (!up_parse_hostport(optarg, &o.send_c))
				return ulnet_usage_error(&ulnet_cmd_up, "bad --tcp-send '%s' (want "
							 "A.B.C.D:PORT)", optarg);
			o.tcp_send = optarg;
			break;
		case 'B':
			if (!ulnet_parse_u64("up", "--bytes", optarg, &o.send_c.bytes))
				return ULNET_EXIT_USAGE;
			if (o.send_c.bytes > (1ULL << 40))
				return ulnet_usage_error(&ulnet_cmd_up, "--bytes %s is over 2^40",
							 optarg);
			break;
		case 'R':
			if (o.nrun >= UP_MAX_RUN)
				return ulnet_usage_error(&ulnet_cmd_up, "--run more than %d times",
							 UP_MAX_RUN);
			o.run[o.nrun++] = optarg;
			break;
		case 'h':
			up_usage(stdout);
			return ULNET_EXIT_OK;
		case ':':
			return ulnet_usage_error(&ulnet_cmd_up, "option '%s' needs a value",
						 argv[optind - 1]);
		default:
			return ulnet_usage_error(&ulnet_cmd_up, "unknown option '%s'",
						 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return ulnet_usage_error(&ulnet_cmd_up, "unexpected argument '%s'", argv[optind]);
	if (!o.tap || !o.addr)
		return ulnet_usage_error(&ulnet_cmd_up, "--tap and --addr are required");
	if (strlen(o.tap) >= 16 || strchr(o.tap, '/') || strchr(o.tap, ' ') || !*o.tap)
		return ulnet_usage_error(&ulnet_cmd_up, "bad TAP name '%s'", o.tap);
	if (!up_check_addr(o.addr))
		return ulnet_usage_error(&ulnet_cmd_up, "bad --addr '%s' (want A.B.C.D/N)",
					 o.addr);
	if (o.gw && inet_pton(AF_INET, o.gw, &gw) != 1)
		return ulnet_usage_error(&ulnet_cmd_up, "bad --gw '%s'", o.gw);
	if (o.ping && inet_pton(AF_INET, o.ping, &gw) != 1)
		return ulnet_usage_error(&ulnet_cmd_up, "bad --ping '%s' (want A.B.C.D)", o.ping);
	for (c = 0; c < o.nrun; c++) {
		/* A missing file is a usage error, found before any stack or TAP exists. */
		if (access(o.run[c], R_OK))
			return ulnet_usage_error(&ulnet_cmd_up, "--run %s: %s", o.run[c],
						 strerror(errno));
	}
	err = up_programs_register();
	if (err) {
		fprintf(stderr, "ulnet up: cannot register the scenario programs: %s\n",
			strerror(-err));
		return ULNET_EXIT_FAIL;
	}

	/* Block the stop signals before the stack's threads exist, so that they inherit the
	 * mask and only sigtimedwait sees them. A handler replaces an inherited SIG_IGN (a
	 * shell's background job ignores SIGINT), which would discard the signal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = up_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGINT);
	sigaddset(&stopset, SIGTERM);
	sigaddset(&stopset, SIGUSR1);
	sigaddset(&stopset, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &stopset, &oldset);

	/* The stack's page blocks (alloc_pages: the sockets' 32 KiB page frags) come from the
	 * C library and are freed by another thread (the ACK's softirq): without this, glibc
	 * gives a thread arena's free top back to the host (madvise) over 128 KiB and the next
	 * page frag faults in again, a third of a bulk sender's pages (tcp_over_tap_offloads,
	 * docs/performance.md). A stack keeps its memory, as the kernel's per-CPU page lists. */
	mallopt(M_TRIM_THRESHOLD, UP_MALLOC_TRIM);
	cfg.ncpus = o.ncpus;
	cfg.seed = (uint64_t)time(NULL);
	err = ul_stack_create(&cfg);
	if (err) {
		fprintf(stderr, "ulnet up: cannot create the stack: %s\n", strerror(-err));
		pthread_sigmask(SIG_SETMASK, &oldset, NULL);
		return ULNET_EXIT_FAIL;
	}
	rc = up_serve(&o, &stopset);
	/* Tasks blocked in recvfrom leave with EINTR; the TAP goes with its device. */
	ul_stack_destroy();
	pthread_sigmask(SIG_SETMASK, &oldset, NULL);
	return rc;
}

const struct ulnet_cmd ulnet_cmd_up = {
	.name = "up",
	.summary = "run the stack on a host TAP device (posix runtime): ping, UDP/TCP services",
	.main = up_main,
	.usage = up_usage,
};
