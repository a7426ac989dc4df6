/* SPDX-License-Identifier: MIT */
/* The packet-script runner: plays a parsed .pkt script against the stack on the sim runtime.
 * A test host (a namespace of its own) gets a TUN-like device "tun0" (pktdev.c) with
 * --local_ip; the
 * script's inbound packets are injected at their virtual times, the stack's outbound packets
 * are captured and matched, and system calls run in a task (a blocking `T1...T2 call()` in
 * its own task sharing the fd table, as packetdrill's threads do).
 * Mirrors no kernel file: packetdrill's run-time behaviour as its documentation describes it
 * (its code is GPL and is not used). See docs/pkt.md. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "linux/atomic.h"
#include "linux/fdtable.h"
#include "linux/netdevice.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "pkt/pkt.h"
#include "pkt/pktdev.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define PKT_MAX_FDS	 64
#define PKT_MAX_BLOCKING 16
#define PKT_ANY_TIME_US	 (600 * 1000000LL)
#define PKT_POLL_NS	 (100 * 1000ULL)	/* how finely the driver waits for output */

/* packetdrill's defaults (its config.c documents them): 192.168.0.1 for the stack under
 * test, 192.0.2.1 for the remote end, local port 8080, tolerance 4 ms. */
#define PKT_DEFAULT_LOCAL_IP  "192.168.0.1"
#define PKT_DEFAULT_REMOTE_IP "192.0.2.1"
#define PKT_LOCAL_PORT	      8080
#define PKT_REMOTE_PORT	      49152	/* DIVERGES: packetdrill picks one at random */
#define PKT_REMOTE_ISN	      0		/* the script's own numbers are its ISN-relative ones */
#define PKT_DEFAULT_TOLERANCE 4000

static const char *const supported_calls[] = {
	"socket", "bind", "connect", "listen", "accept", "accept4", "close", "shutdown",
	"write", "send", "sendto", "sendmsg", "writev", "read", "recv", "recvfrom", "recvmsg",
	"readv", "setsockopt", "getsockopt", "fcntl", "ioctl", "poll", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_wait", "open", "sendfile",
};

static bool call_supported(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(supported_calls) / sizeof(supported_calls[0]); i++)
		if (!strcmp(supported_calls[i], name))
			return true;
	return false;
}

/* What a call returned through its pointers, for check_syscall. */
struct sc_out {
	bool has_val;		/* getsockopt/ioctl: the int written back */
	long val;
	char mismatch[256];	/* poll/epoll_wait: how the returned events differ, or "" */
};

struct blocking_call {
	struct run *run;
	const struct pkt_event *ev;
	struct ul_task *task;
	int64_t start_us, end_us;
	bool done, checked;
	bool bad;		/* a script error: out.mismatch says which */
	long ret;
	int err;
	struct sc_out out;
	uint64_t end_ns;
};

struct run {
	struct pkt_script *s;
	const struct pkt_run_opts *o;
	struct pktdev_queue q;
	struct pktdev_queue *qp;
	struct net_device *dev;		/* tun0 */
	bool configured;		/* tun0 has its address and route */
	char netns[32];			/* the test host */
	struct pkt_flow fl;
	int64_t tolerance_us;
	uint64_t t0_ns;
	int64_t prev_us;		/* script time of the previous event */
	int fdmap[PKT_MAX_FDS];		/* script fd -> the stack's fd (-1: none) */
	/* The socket `%{ }%` blocks read TCP_INFO from (a script fd): the last one
	 * accepted or connected, else the last one created (packetdrill's socket under
	 * test). -1: none. */
	int sut_fd;
	struct pkt_code_env code_env;
	/* A TCP script that expects no outbound ICMP: ICMP replies are not for it. */
	bool skip_icmp_replies;
	bool strict_end;		/* nothing may follow the last event (see driver_fn) */
	int mtu;			/* --mtu: tun0's MTU (0: the default 1500) */
	struct files_struct *files;	/* the driver task's table, shared with blocking calls */
	struct blocking_call blk[PKT_MAX_BLOCKING];
	int nblk;
	/* outcome */
	enum pkt_verdict verdict;
	char *details;
	size_t dlen;
	char notes[4096];		/* skipped shell commands and sysctls */
};

/* ---- Details ---- */

static void add_detail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_detail(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char line[1024];
	char *n;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line))
		len = sizeof(line) - 1;
	n = realloc(r->details, r->dlen + len + 2);
	if (!n)
		return;
	r->details = n;
	memcpy(r->details + r->dlen, line, len);
	r->dlen += len;
	r->details[r->dlen++] = '\n';
	r->details[r->dlen] = '\0';
}

/* The first failure or skip decides the verdict; later ones are not reported. The message
 * gets "FILE:LINE: " with an event @ev (a failure), "FILE: " without (a failure), or nothing
 * (a skip). */
static void run_verdict(struct run *r, enum pkt_verdict verdict, const struct pkt_event *ev,
			const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void run_verdict(struct run *r, enum pkt_verdict verdict, const struct pkt_event *ev,
			const char *fmt, va_list ap)
{
	char msg[900];

	if (r->verdict != PKT_PASS)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	r->verdict = verdict;
	if (verdict == PKT_SKIP)
		add_detail(r, "%s", msg);
	else if (ev)
		add_detail(r, "%s:%d: %s", r->s->path, ev->line, msg);
	else
		add_detail(r, "%s: %s", r->s->path, msg);
}

static void run_fail(struct run *r, const struct pkt_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void run_fail(struct run *r, const struct pkt_event *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_verdict(r, PKT_FAIL, ev, fmt, ap);
	va_end(ap);
}

static void run_skip(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void run_skip(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_verdict(r, PKT_SKIP, NULL, fmt, ap);
	va_end(ap);
}

/* ---- Symbols ---- */

struct sym {
	const char *name;
	long value;
};

static const struct sym syms[] = {
	{ "NULL", 0 },
	{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNSPEC", AF_UNSPEC },
	{ "PF_INET", PF_INET }, { "PF_INET6", PF_INET6 },
	{ "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM }, { "SOCK_RAW", SOCK_RAW },
	{ "SOCK_NONBLOCK", SOCK_NONBLOCK }, { "SOCK_CLOEXEC", SOCK_CLOEXEC },
	{ "IPPROTO_IP", IPPROTO_IP }, { "IPPROTO_TCP", IPPROTO_TCP },
	{ "IPPROTO_UDP", IPPROTO_UDP }, { "IPPROTO_ICMP", IPPROTO_ICMP },
	{ "SOL_SOCKET", SOL_SOCKET }, { "SOL_IP", SOL_IP }, { "SOL_TCP", IPPROTO_TCP },
	{ "SOL_UDP", IPPROTO_UDP },
	{ "SO_REUSEADDR", SO_REUSEADDR }, { "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDBUF", SO_SNDBUF },
	{ "SO_ERROR", SO_ERROR }, { "SO_LINGER", SO_LINGER }, { "SO_KEEPALIVE", SO_KEEPALIVE },
	{ "SO_BROADCAST", SO_BROADCAST }, { "SO_RCVLOWAT", SO_RCVLOWAT },
	{ "SO_SNDLOWAT", SO_SNDLOWAT }, { "SO_TYPE", SO_TYPE }, { "SO_REUSEPORT", 15 },
	{ "IP_TOS", IP_TOS }, { "IP_TTL", IP_TTL }, { "IP_MTU_DISCOVER", IP_MTU_DISCOVER },
	{ "IP_PMTUDISC_DONT", IP_PMTUDISC_DONT }, { "IP_PMTUDISC_DO", IP_PMTUDISC_DO },
	{ "IP_PMTUDISC_WANT", IP_PMTUDISC_WANT }, { "IP_FREEBIND", IP_FREEBIND },
	{ "IP_RECVERR", IP_RECVERR },
	{ "TCP_NODELAY", TCP_NODELAY }, { "TCP_MAXSEG", TCP_MAXSEG }, { "TCP_CORK", TCP_CORK },
	{ "TCP_KEEPIDLE", TCP_KEEPIDLE }, { "TCP_KEEPINTVL", TCP_KEEPINTVL },
	{ "TCP_KEEPCNT", TCP_KEEPCNT }, { "TCP_INFO", TCP_INFO },
	{ "TCP_USER_TIMEOUT", 18 }, { "TCP_NOTSENT_LOWAT", 25 },
	{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
	{ "O_NONBLOCK", O_NONBLOCK },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL }, { "F_GETFD", F_GETFD },
	{ "F_SETFD", F_SETFD }, { "FD_CLOEXEC", FD_CLOEXEC },
	{ "MSG_PEEK", MSG_PEEK }, { "MSG_DONTWAIT", MSG_DONTWAIT }, { "MSG_MORE", MSG_MORE },
	{ "MSG_TRUNC", MSG_TRUNC }, { "MSG_WAITALL", MSG_WAITALL }, { "MSG_OOB", MSG_OOB },
	{ "MSG_ERRQUEUE", MSG_ERRQUEUE }, { "MSG_NOSIGNAL", MSG_NOSIGNAL },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR },
	{ "SIOCINQ", FIONREAD }, { "FIONREAD", FIONREAD }, { "FIONBIO", FIONBIO },
	{ "SIOCOUTQ", TIOCOUTQ },
	{ "TCP_LINGER2", TCP_LINGER2 }, { "TCP_DEFER_ACCEPT", TCP_DEFER_ACCEPT },
	{ "TCP_WINDOW_CLAMP", TCP_WINDOW_CLAMP }, { "TCP_QUICKACK", TCP_QUICKACK },
	{ "TCP_SYNCNT", TCP_SYNCNT }, { "TCP_CONGESTION", TCP_CONGESTION },
	/* Options newer than 3.10: the stack answers ENOPROTOOPT, as 3.10 would. */
	{ "TCP_FASTOPEN", 23 }, { "TCP_FASTOPEN_CONNECT", 30 }, { "SO_ZEROCOPY", 60 },
	{ "MSG_FASTOPEN", 0x20000000 }, { "MSG_ZEROCOPY", 0x4000000 },
	{ "POLLIN", POLLIN }, { "POLLOUT", POLLOUT }, { "POLLERR", POLLERR },
	{ "POLLHUP", POLLHUP }, { "POLLPRI", POLLPRI }, { "POLLRDNORM", POLLRDNORM },
	{ "POLLWRNORM", POLLWRNORM }, { "POLLRDHUP", 0x2000 }, { "POLLNVAL", POLLNVAL },
	{ "EPOLLIN", EPOLLIN }, { "EPOLLOUT", EPOLLOUT }, { "EPOLLERR", EPOLLERR },
	{ "EPOLLHUP", EPOLLHUP }, { "EPOLLPRI", EPOLLPRI }, { "EPOLLRDHUP", EPOLLRDHUP },
	{ "EPOLLET", EPOLLET }, { "EPOLLONESHOT", EPOLLONESHOT },
	{ "EPOLLRDNORM", EPOLLRDNORM }, { "EPOLLWRNORM", EPOLLWRNORM },
	{ "EPOLL_CTL_ADD", EPOLL_CTL_ADD }, { "EPOLL_CTL_MOD", EPOLL_CTL_MOD },
	{ "EPOLL_CTL_DEL", EPOLL_CTL_DEL }, { "EPOLL_CLOEXEC", EPOLL_CLOEXEC },
	{ "O_CREAT", O_CREAT }, { "O_TRUNC", O_TRUNC }, { "O_APPEND", O_APPEND },
};

static const struct sym errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR }, { "EIO", EIO },
	{ "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "EWOULDBLOCK", EWOULDBLOCK },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "EINVAL", EINVAL }, { "EMFILE", EMFILE }, { "ENFILE", ENFILE },
	{ "ENOSPC", ENOSPC }, { "EPIPE", EPIPE }, { "ENOTSOCK", ENOTSOCK },
	{ "EDESTADDRREQ", EDESTADDRREQ }, { "EMSGSIZE", EMSGSIZE },
	{ "EPROTOTYPE", EPROTOTYPE }, { "ENOPROTOOPT", ENOPROTOOPT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "ESOCKTNOSUPPORT", ESOCKTNOSUPPORT },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "ENETDOWN", ENETDOWN }, { "ENETUNREACH", ENETUNREACH },
	{ "ECONNABORTED", ECONNABORTED }, { "ECONNRESET", ECONNRESET },
	{ "ENOBUFS", ENOBUFS }, { "EISCONN", EISCONN }, { "ENOTCONN", ENOTCONN },
	{ "ESHUTDOWN", ESHUTDOWN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EHOSTUNREACH", EHOSTUNREACH },
	{ "EALREADY", EALREADY }, { "EINPROGRESS", EINPROGRESS },
};

static bool sym_lookup(const struct sym *t, size_t n, const char *name, long *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name)) {
			*v = t[i].value;
			return true;
		}
	return false;
}

/* An integer expression: numbers, symbols, a|b, and [x] (an int passed by pointer). */
static bool eval_int(const struct pkt_expr *e, long *v, char *why, size_t whylen)
{
	long a, b;

	switch (e->kind) {
	case PKT_EXPR_INT:
		*v = (long)e->num;
		return true;
	case PKT_EXPR_WORD:
		if (sym_lookup(syms, sizeof(syms) / sizeof(syms[0]), e->str, v))
			return true;
		snprintf(why, whylen, "unknown symbol '%s'", e->str);
		return false;
	case PKT_EXPR_OR:
		if (!eval_int(e->lhs, &a, why, whylen) || !eval_int(e->rhs, &b, why, whylen))
			return false;
		*v = a | b;
		return true;
	case PKT_EXPR_ARRAY:
		if (e->nelems == 1)
			return eval_int(e->elems[0], v, why, whylen);
		/* fall through */
	default:
		snprintf(why, whylen, "expected an integer expression");
		return false;
	}
}

/* ---- Time ---- */

static int64_t now_us(const struct run *r)
{
	return (int64_t)((ul_now_ns() - r->t0_ns) / 1000);
}

static void sleep_until_us(struct run *r, int64_t t_us)
{
	int64_t now = now_us(r);

	if (t_us > now)
		ul_sleep((uint64_t)(t_us - now) * 1000);
}

/* The window [*lo, *hi] (script microseconds) in which @ev is due. */
static void event_window(struct run *r, const struct pkt_event *ev, int64_t *lo, int64_t *hi)
{
	const struct pkt_time *t = &ev->time;

	switch (t->kind) {
	case PKT_TIME_ABS:
		*lo = t->usecs;
		break;
	case PKT_TIME_REL:
		*lo = r->prev_us + t->usecs;
		break;
	default:		/* '*' or none: now */
		*lo = now_us(r);
		break;
	}
	*hi = *lo;
	/* '*': any time at all; bounded so that a missing packet still ends the run. */
	if (t->kind == PKT_TIME_ANY)
		*hi = *lo + PKT_ANY_TIME_US;
	if (t->range)
		*hi = t->end_kind == PKT_TIME_REL ? r->prev_us + t->end_usecs : t->end_usecs;
}

static void fmt_secs(char *buf, size_t len, int64_t us)
{
	int64_t a = us < 0 ? -us : us;

	snprintf(buf, len, "%s%" PRId64 ".%06" PRId64, us < 0 ? "-" : "", a / 1000000,
		 a % 1000000);
}

static bool check_time(struct run *r, const struct pkt_event *ev, const char *what, int64_t lo,
		       int64_t hi, int64_t actual)
{
	char e[32], a[32], t[32];

	if (actual >= lo - r->tolerance_us && actual <= hi + r->tolerance_us)
		return true;
	fmt_secs(e, sizeof(e), lo);
	fmt_secs(a, sizeof(a), actual);
	fmt_secs(t, sizeof(t), r->tolerance_us);
	run_fail(r, ev, "timing error: expected %s at %s sec but happened at %s sec; "
		 "tolerance %s sec", what, e, a, t);
	return false;
}

/* ---- Packets ---- */

static void do_inbound(struct run *r, const struct pkt_event *ev)
{
	uint8_t buf[PKTDEV_MAX_LEN];
	char why[256];
	int len, err;

	/* A SYN opens a new connection: the stack's ISN for it comes with its SYN-ACK. */
	if (ev->pkt->proto == PKT_TCP && (ev->pkt->flags & PKT_TH_SYN) &&
	    !(ev->pkt->flags & PKT_TH_ACK))
		pkt_flow_new_conn(&r->fl, ev->pkt->has_ports ? ev->pkt->sport : r->fl.remote_port);
	len = pkt_build_ipv4(ev->pkt, &r->fl, buf, sizeof(buf), why, sizeof(why));
	if (len < 0) {
		run_fail(r, ev, "error building inbound packet: %s", why);
		return;
	}
	err = pktdev_inject(r->dev, buf, (size_t)len);
	if (err)
		run_fail(r, ev, "error injecting inbound packet: %d", err);
}

/* packetdrill's sniffer ignores outbound packets it cannot map to the script's socket: in a
 * TCP script, an ICMP echo or timestamp reply to its `< icmp echo_request` is one. Unless
 * the script expects ICMP itself, such replies at the head of the queue are dropped (ICMP
 * and UDP scripts stay strict: an unexpected reply is a FAIL). */
static void skip_unrelated(struct run *r)
{
	int guard = 0;

	while (r->skip_icmp_replies && r->qp->head && guard++ < PKTDEV_MAX_FRAMES) {
		const struct pktdev_frame *f = r->qp->head;
		size_t ihl = f->len >= 20 ? (size_t)(f->data[0] & 15) * 4 : 0;
		uint8_t type;

		if (!ihl || f->data[9] != 1 || f->len < ihl + 8)
			return;
		type = f->data[ihl];
		if (type != 0 && type != 14 && type != 16 && type != 18)
			return;	/* an error quotes a packet of ours: it is the script's */
		free(pktdev_pop(r->qp));
	}
}

/* Returns the time the datagram was sent (the event's actual time), or @lo. */
static int64_t do_outbound(struct run *r, const struct pkt_event *ev, int64_t lo, int64_t hi)
{
	static uint8_t tso[PKTDEV_MAX_LEN];
	struct pktdev_frame *f;
	char why[512], exp[256], act[256];
	int64_t deadline = hi + r->tolerance_us, at;
	const uint8_t *data;
	size_t len;
	int guard = 0;

	/* Bounded: the deadline is finite and each step advances virtual time. */
	skip_unrelated(r);
	while (!r->qp->head && now_us(r) <= deadline && guard++ < 10000000) {
		int64_t left = deadline - now_us(r) + 1;

		ul_sleep(left * 1000 < (int64_t)PKT_POLL_NS ? (uint64_t)left * 1000 : PKT_POLL_NS);
		skip_unrelated(r);
	}
	pkt_packet_format(ev->pkt, exp, sizeof(exp));
	f = pktdev_pop(r->qp);
	if (!f) {
		run_fail(r, ev, "error handling packet: Timed out waiting for packet\n"
			 "  script packet: %c %s", ev->pkt->dir, exp);
		return lo;
	}
	at = (int64_t)((f->time_ns - r->t0_ns) / 1000);
	data = f->data;
	len = f->len;
	/* DIVERGES: ulnet has no TSO yet; the segments of what Linux would have sent as one
	 * TSO skb (packetdrill's tun takes TSO) are put back together while the script
	 * expects more bytes, provided they continue each other and were sent within the
	 * tolerance of the first. */
	if (ev->pkt->proto == PKT_TCP && pkt_tcp_payload_len(data, len) &&
	    pkt_tcp_payload_len(data, len) < ev->pkt->seq_len) {
		memcpy(tso, f->data, f->len);
		data = tso;
		while (pkt_tcp_payload_len(tso, len) < ev->pkt->seq_len && guard++ < 10000000) {
			struct pktdev_frame *n;

			while (!r->qp->head && now_us(r) <= at + r->tolerance_us &&
			       guard++ < 10000000)
				ul_sleep(PKT_POLL_NS);
			n = r->qp->head;
			if (!n || (int64_t)((n->time_ns - r->t0_ns) / 1000) > at + r->tolerance_us ||
			    pkt_tcp_coalesce(tso, &len, sizeof(tso), n->data, n->len))
				break;
			free(pktdev_pop(r->qp));
		}
	}
	if (pkt_match_ipv4(ev->pkt, &r->fl, data, len, why, sizeof(why))) {
		pkt_ipv4_format(data, len, &r->fl, act, sizeof(act));
		run_fail(r, ev, "error handling packet: %s\n  script packet:  %c %s\n"
			 "  actual packet:  > %s", why, ev->pkt->dir, exp, act);
		free(f);
		return lo;
	}
	check_time(r, ev, "outbound packet", lo, hi, at);
	free(f);
	return at;
}

/* ---- Shell commands ---- */

/* $((a*b+c)) of defaults.sh: * and + on integers only. */
static bool shell_arith(const char *s, size_t n, unsigned long long *out)
{
	unsigned long long sum = 0, prod = 1;
	size_t i = 0;

	while (i < n) {
		unsigned long long v = 0;
		bool digit = false;

		while (i < n && isspace((unsigned char)s[i]))
			i++;
		while (i < n && isdigit((unsigned char)s[i])) {
			v = v * 10 + (unsigned long long)(s[i++] - '0');
			digit = true;
		}
		if (!digit)
			return false;
		prod *= v;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '*') {
			i++;
			continue;
		}
		sum += prod;
		prod = 1;
		if (i < n && s[i] == '+') {
			i++;
			continue;
		}
		if (i < n)
			return false;
	}
	*out = sum;
	return true;
}

/* Expand $((...)) and drop quotes of a sysctl value. */
static bool shell_value(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	const char *p = in;

	while (*p && o + 24 < outlen) {
		if (*p == '"' || *p == '\'') {
			p++;
		} else if (!strncmp(p, "$((", 3)) {
			const char *end = strstr(p, "))");
			unsigned long long v;

			if (!end || !shell_arith(p + 3, (size_t)(end - p - 3), &v))
				return false;
			o += (size_t)snprintf(out + o, outlen - o, "%llu", v);
			p = end + 2;
		} else if (*p == '$') {
			return false;	/* other shell expansions are not ours to guess */
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return !*p;
}

static void note(char *skipped, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(char *skipped, size_t len, const char *fmt, ...)
{
	size_t used = strlen(skipped);
	va_list ap;

	if (used + 2 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(skipped + used, len - used - 1, fmt, ap);
	va_end(ap);
	used = strlen(skipped);
	if (used + 1 < len) {
		skipped[used] = '\n';
		skipped[used + 1] = '\0';
	}
}

static int apply_sysctl(const char *netns, const char *name, const char *rawval, char *skipped,
			size_t len)
{
	char value[256];
	int err;

	if (!shell_value(rawval, value, sizeof(value))) {
		note(skipped, len, "sysctl %s=%s: value not understood", name, rawval);
		return 0;
	}
	err = ul_sysctl_set(netns, name, value);
	if (err) {
		note(skipped, len, "sysctl %s=%s: skipped (%s)", name, value,
		     err == -ENOENT ? "not in ulnet yet" : strerror(-err));
		return 0;
	}
	return 1;
}

/* Split a shell line into words, keeping "quoted strings" whole. */
static int split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		char q = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w[n++] = p;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (!q && (*p == '"' || *p == '\''))
				q = *p;
			else if (q && *p == q)
				q = 0;
			p++;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int run_shell_line(const char *netns, char *line, char *skipped, size_t len);

static int run_defaults_sh(const char *netns, const char *path, char *skipped, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0, k;

	if (!f) {
		note(skipped, len, "%s: cannot open: %s", path, strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *h = strchr(line, '#');

		if (h)
			*h = '\0';
		k = run_shell_line(netns, line, skipped, len);
		if (k > 0)
			n += k;
	}
	fclose(f);
	return n;
}

static const char *pkt_defaults_path;

/* Files the script's shell lines make for open()/sendfile(): `dd if=/dev/zero of=PATH bs=B
 * count=N` (packetdrill's payloads are zeroes) and `rm -f PATH`. DIVERGES: nothing touches
 * the host's file system; open() of such a path gives a memory file (ul_memfd_create) of
 * that many zero bytes. One run at a time, like pkt_defaults_path. */
#define PKT_MAX_FILES 8
static struct pkt_file {
	char path[128];
	long size;
} pkt_files[PKT_MAX_FILES];

static struct pkt_file *pkt_file_find(const char *path, bool create)
{
	int i;

	for (i = 0; i < PKT_MAX_FILES; i++)
		if (pkt_files[i].path[0] && !strcmp(pkt_files[i].path, path))
			return &pkt_files[i];
	if (!create || strlen(path) >= sizeof(pkt_files[0].path))
		return NULL;
	for (i = 0; i < PKT_MAX_FILES; i++)
		if (!pkt_files[i].path[0]) {
			snprintf(pkt_files[i].path, sizeof(pkt_files[i].path), "%s", path);
			pkt_files[i].size = 0;
			return &pkt_files[i];
		}
	return NULL;
}

/* `dd bs=B count=N if=/dev/zero of=PATH ...` and `rm -f PATH...`: 1 when understood. */
static int shell_file(char **w, int n)
{
	const char *base = strrchr(w[0], '/') ? strrchr(w[0], '/') + 1 : w[0];
	long bs = 512, count = -1;
	const char *in = NULL, *of = NULL;
	struct pkt_file *f;
	int i;

	if (!strcmp(base, "rm")) {
		for (i = 1; i < n; i++)
			if (w[i][0] != '-' && (f = pkt_file_find(w[i], false)))
				f->path[0] = '\0';
		return 1;
	}
	if (strcmp(base, "dd"))
		return 0;
	for (i = 1; i < n; i++) {
		if (!strncmp(w[i], "bs=", 3))
			bs = strtol(w[i] + 3, NULL, 10);
		else if (!strncmp(w[i], "count=", 6))
			count = strtol(w[i] + 6, NULL, 10);
		else if (!strncmp(w[i], "if=", 3))
			in = w[i] + 3;
		else if (!strncmp(w[i], "of=", 3))
			of = w[i] + 3;
	}
	if (!in || strcmp(in, "/dev/zero") || !of || count < 0 || bs <= 0 ||
	    bs * count > (1L << 24))
		return 0;
	f = pkt_file_find(of, true);
	if (!f)
		return 0;
	f->size = bs * count;
	return 1;
}

static int run_shell_line(const char *netns, char *line, char *skipped, size_t len)
{
	char *w[32];
	int n, i, applied = 0;
	char *redir, whole[512];

	/* "> /dev/null 2>&1" and friends change nothing for us. */
	redir = strstr(line, " >");
	if (redir)
		*redir = '\0';
	redir = strstr(line, " 2>");
	if (redir)
		*redir = '\0';
	snprintf(whole, sizeof(whole), "%s", line);
	n = split_words(line, w, 32);
	if (n == 0)
		return 0;
	if (!strcmp(w[0], "sysctl")) {
		for (i = 1; i < n; i++) {
			char *eq;

			if (w[i][0] == '-')
				continue;	/* -q, -w, -e */
			eq = strchr(w[i], '=');
			if (!eq) {
				note(skipped, len, "sysctl %s: reading is not a setting, skipped", w[i]);
				continue;
			}
			*eq = '\0';
			applied += apply_sysctl(netns, w[i], eq + 1, skipped, len);
		}
		return applied;
	}
	if (strstr(w[0], "set_sysctls.py")) {
		/* /proc/sys/net/ipv4/tcp_timestamps=0 -> net.ipv4.tcp_timestamps */
		for (i = 1; i < n; i++) {
			char *eq = strchr(w[i], '='), *p;

			if (!eq || strncmp(w[i], "/proc/sys/", 10)) {
				note(skipped, len, "%s %s: skipped", w[0], w[i]);
				continue;
			}
			*eq = '\0';
			for (p = w[i] + 10; *p; p++)
				if (*p == '/')
					*p = '.';
			applied += apply_sysctl(netns, w[i] + 10, eq + 1, skipped, len);
		}
		return applied;
	}
	if (shell_file(w, n))
		return 1;
	if (strstr(w[0], "defaults.sh")) {
		if (!pkt_defaults_path) {
			note(skipped, len, "%s: defaults.sh not found, skipped", w[0]);
			return 0;
		}
		return run_defaults_sh(netns, pkt_defaults_path, skipped, len);
	}
	/* ip and tc are ulnet's own tools (ul_cmd): a line they take is applied, as on the
	 * script's machine; one they refuse (ip tcp_metrics, route metrics) is a note. */
	if (!strcmp(w[0], "ip") || !strcmp(w[0], "tc")) {
		char *out = NULL, *nl;
		const char *cmdline = whole;
		int err;

		while (isspace((unsigned char)*cmdline))
			cmdline++;
		err = ul_cmd(netns, cmdline, &out);
		if (!err) {
			free(out);
			return 1;
		}
		nl = out ? strchr(out, '\n') : NULL;
		if (nl)
			*nl = '\0';
		note(skipped, len, "`%s%s%s`: skipped (ulnet: %s)", w[0], n > 1 ? " " : "",
		     n > 1 ? w[1] : "", out && out[0] ? out : strerror(err < 0 ? -err : err));
		free(out);
		return 0;
	}
	note(skipped, len, "`%s%s%s`: skipped (not a sysctl setting)", w[0], n > 1 ? " " : "",
	     n > 1 ? w[1] : "");
	return 0;
}

int pkt_run_shell(const char *netns, const char *cmd, char *skipped, size_t skippedlen)
{
	char *copy, *line, *save = NULL;
	int n = 0, k;

	if (!cmd)
		return -EINVAL;
	copy = strdup(cmd);
	if (!copy)
		return -ENOMEM;
	/* One command per line, and `a; b` on one line. */
	for (line = strtok_r(copy, "\n;", &save); line; line = strtok_r(NULL, "\n;", &save)) {
		k = run_shell_line(netns, line, skipped, skippedlen);
		if (k > 0)
			n += k;
	}
	free(copy);
	return n;
}

/* ---- System calls ---- */

static bool is_call(const struct pkt_syscall *sc, const char *name)
{
	return !strcmp(sc->name, name);
}

static void make_sockaddr(const struct run *r, bool local, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(local ? r->fl.local_port : r->fl.remote_port);
	sin->sin_addr.s_addr = htonl(local ? r->fl.local_ip : r->fl.remote_ip);
}

static int map_fd(struct run *r, const struct pkt_expr *e, int *fd, char *why, size_t whylen)
{
	long v;

	if (!eval_int(e, &v, why, whylen))
		return -1;
	if (v >= 0 && v < PKT_MAX_FDS && r->fdmap[v] >= 0)
		*fd = r->fdmap[v];
	else
		*fd = (int)(v >= 0 && v < PKT_MAX_FDS ? 1000 + v : v);	/* EBADF as Linux */
	return 0;
}

static int arg_int(const struct pkt_syscall *sc, int i, long *v, char *why, size_t whylen)
{
	if (i >= sc->nargs) {
		snprintf(why, whylen, "%s: missing argument %d", sc->name, i + 1);
		return -1;
	}
	return eval_int(sc->args[i], v, why, whylen) ? 0 : -1;
}

/* The member @name of a `{name=value, ...}` expression (`msg_iov(1)=...` counts as
 * msg_iov), or NULL. */
static const struct pkt_expr *member(const struct pkt_expr *e, const char *name)
{
	int i;

	if (!e || e->kind != PKT_EXPR_STRUCT)
		return NULL;
	for (i = 0; i < e->nelems; i++) {
		const struct pkt_expr *m = e->elems[i];

		if (m->kind == PKT_EXPR_ASSIGN &&
		    (m->lhs->kind == PKT_EXPR_WORD || m->lhs->kind == PKT_EXPR_CALL) &&
		    !strcmp(m->lhs->str, name))
			return m->rhs;
	}
	return NULL;
}

/* An iovec list `[{..., 40}, {..., 60}]` as packetdrill writes it: fill @iov (buffers of
 * zeroes from @buf) and return the count, or -1 with @why. */
static int build_iov(const struct pkt_expr *e, struct iovec *iov, int max, uint8_t *buf,
		     size_t buflen, char *why, size_t whylen)
{
	size_t used = 0;
	int i;

	if (!e || e->kind != PKT_EXPR_ARRAY)
		return snprintf(why, whylen, "expected an iovec array [{..., len}]"), -1;
	if (e->nelems > max)
		return snprintf(why, whylen, "more than %d iovecs", max), -1;
	for (i = 0; i < e->nelems; i++) {
		const struct pkt_expr *v = e->elems[i];
		long len;

		if (v->kind != PKT_EXPR_STRUCT || v->nelems != 2 ||
		    !eval_int(v->elems[1], &len, why, whylen))
			return snprintf(why, whylen, "expected an iovec {..., len}"), -1;
		if (len < 0 || (size_t)len > buflen - used)
			return snprintf(why, whylen, "iovec length %ld out of range", len), -1;
		iov[i].iov_base = buf + used;
		iov[i].iov_len = (size_t)len;
		used += (size_t)len;
	}
	return e->nelems;
}

/* The data member of an epoll_event expression: {events=X, fd=N} (or ptr/u32/u64). */
static bool epoll_data(const struct pkt_expr *e, uint64_t *data, char *why, size_t whylen)
{
	static const char *const names[] = { "fd", "ptr", "u32", "u64" };
	size_t i;
	long v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct pkt_expr *m = member(e, names[i]);

		if (m) {
			if (!eval_int(m, &v, why, whylen))
				return false;
			*data = (uint64_t)v;
			return true;
		}
	}
	*data = 0;
	return true;
}

/* Run @sc; *ret gets the return value and *err errno. Returns -1 with @why on a script
 * error (bad arguments, a call the runner lacks), 0 otherwise. Context: a task. */
static int exec_syscall(struct run *r, const struct pkt_syscall *sc, long *ret, int *err,
			struct sc_out *out, char *why, size_t whylen)
{
	static uint8_t buf[1 << 20];
	struct sockaddr_in sin;
	long a1 = 0, a2 = 0, a3 = 0;
	int fd = -1;

	out->has_val = false;
	out->mismatch[0] = '\0';
	errno = 0;
	if (!call_supported(sc->name))
		return snprintf(why, whylen, "system call %s is not supported by the runner "
				"(ulnet has no %s yet)", sc->name, sc->name), -1;
	if (is_call(sc, "socket")) {
		long dom = AF_INET;

		if (sc->nargs != 3)
			return snprintf(why, whylen, "socket takes 3 arguments"), -1;
		if (sc->args[0]->kind != PKT_EXPR_ELLIPSIS && arg_int(sc, 0, &dom, why, whylen))
			return -1;
		if (arg_int(sc, 1, &a1, why, whylen) || arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = ul_socket((int)dom, (int)a1, (int)a2);
		*err = errno;
		return 0;
	}
	if (is_call(sc, "epoll_create") || is_call(sc, "epoll_create1")) {
		if (arg_int(sc, 0, &a1, why, whylen))
			return -1;
		*ret = is_call(sc, "epoll_create") ? ul_epoll_create((int)a1) :
						      ul_epoll_create1((int)a1);
		*err = errno;
		return 0;
	}
	if (is_call(sc, "open")) {
		const struct pkt_file *f;

		if (sc->nargs < 2 || sc->args[0]->kind != PKT_EXPR_STRING)
			return snprintf(why, whylen, "open takes \"path\", flags"), -1;
		f = pkt_file_find(sc->args[0]->str, false);
		if (!f) {
			*ret = -1;
			*err = ENOENT;
			return 0;
		}
		*ret = ul_memfd_create(f->path, 0);
		*err = errno;
		if (*ret >= 0 && ul_ftruncate((int)*ret, f->size)) {
			*err = errno;
			ul_close((int)*ret);
			*ret = -1;
		}
		return 0;
	}
	if (is_call(sc, "poll")) {
		struct pollfd pfd[8];
		const struct pkt_expr *arr = sc->nargs == 3 ? sc->args[0] : NULL;
		int i, n;

		if (!arr || arr->kind != PKT_EXPR_ARRAY || arr->nelems > 8)
			return snprintf(why, whylen, "poll takes [{fd=, events=}...], n, timeout"),
			       -1;
		n = arr->nelems;
		for (i = 0; i < n; i++) {
			const struct pkt_expr *f = member(arr->elems[i], "fd"),
					      *ev = member(arr->elems[i], "events");

			if (!f || !ev || map_fd(r, f, &pfd[i].fd, why, whylen) ||
			    !eval_int(ev, &a1, why, whylen))
				return snprintf(why, whylen, "poll: bad pollfd %d", i), -1;
			pfd[i].events = (short)a1;
			pfd[i].revents = 0;
		}
		if (arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = ul_poll(pfd, (nfds_t)n, (int)a2);
		*err = errno;
		for (i = 0; i < n; i++) {
			const struct pkt_expr *rv = member(arr->elems[i], "revents");

			if (rv && eval_int(rv, &a1, why, whylen) && (short)a1 != pfd[i].revents) {
				snprintf(out->mismatch, sizeof(out->mismatch),
					 "poll: expected revents 0x%lx but got 0x%x for pollfd %d",
					 a1, (unsigned)(unsigned short)pfd[i].revents, i);
				break;
			}
		}
		return 0;
	}
	if (sc->nargs < 1 || map_fd(r, sc->args[0], &fd, why, whylen))
		return sc->nargs < 1 ? (snprintf(why, whylen, "%s needs an fd", sc->name), -1) : -1;
	if (is_call(sc, "bind") || is_call(sc, "connect")) {
		make_sockaddr(r, is_call(sc, "bind"), &sin);
		if (is_call(sc, "connect"))
			pkt_flow_new_conn(&r->fl, r->fl.remote_port);
		*ret = is_call(sc, "bind") ?
			ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) :
			ul_connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	} else if (is_call(sc, "listen")) {
		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		*ret = ul_listen(fd, (int)a1);
	} else if (is_call(sc, "accept") || is_call(sc, "accept4")) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);

		if (is_call(sc, "accept4") && arg_int(sc, 3, &a1, why, whylen))
			return -1;
		*ret = ul_accept4(fd, (struct sockaddr *)&peer, &plen, (int)a1);
	} else if (is_call(sc, "close")) {
		*ret = ul_close(fd);
	} else if (is_call(sc, "shutdown")) {
		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		*ret = ul_shutdown(fd, (int)a1);
	} else if (is_call(sc, "write") || is_call(sc, "send") || is_call(sc, "sendto") ||
		   is_call(sc, "read") || is_call(sc, "recv") || is_call(sc, "recvfrom")) {
		bool wr = is_call(sc, "write") || is_call(sc, "send") || is_call(sc, "sendto");
		/* `NULL` as the buffer: a bad address, which the stack must refuse (EFAULT). */
		bool null_buf = sc->nargs > 1 && sc->args[1]->kind == PKT_EXPR_WORD &&
				!strcmp(sc->args[1]->str, "NULL");
		void *p = null_buf ? NULL : buf;

		if (arg_int(sc, 2, &a1, why, whylen))
			return -1;
		if (a1 < 0 || a1 > (long)sizeof(buf))
			return snprintf(why, whylen, "%s: length %ld out of range", sc->name, a1), -1;
		if (sc->nargs > 3 && arg_int(sc, 3, &a2, why, whylen))
			return -1;
		if (wr)
			memset(buf, 0, (size_t)a1);	/* packetdrill's payloads are zeroes */
		make_sockaddr(r, false, &sin);
		if (is_call(sc, "write"))
			*ret = ul_write(fd, p, (size_t)a1);
		else if (is_call(sc, "send"))
			*ret = ul_send(fd, p, (size_t)a1, (int)a2);
		else if (is_call(sc, "sendto"))
			*ret = ul_sendto(fd, p, (size_t)a1, (int)a2, (struct sockaddr *)&sin,
					 sizeof(sin));
		else if (is_call(sc, "read"))
			*ret = ul_read(fd, p, (size_t)a1);
		else if (is_call(sc, "recv"))
			*ret = ul_recv(fd, p, (size_t)a1, (int)a2);
		else
			*ret = ul_recvfrom(fd, p, (size_t)a1, (int)a2, NULL, NULL);
	} else if (is_call(sc, "writev") || is_call(sc, "readv")) {
		struct iovec iov[16];
		int n;

		if (sc->nargs < 2)
			return snprintf(why, whylen, "%s: missing arguments", sc->name), -1;
		n = build_iov(sc->args[1], iov, 16, buf, sizeof(buf), why, whylen);
		if (n < 0)
			return -1;
		if (is_call(sc, "writev")) {
			memset(buf, 0, sizeof(buf));
			*ret = ul_writev(fd, iov, n);
		} else {
			*ret = ul_readv(fd, iov, n);
		}
	} else if (is_call(sc, "sendmsg") || is_call(sc, "recvmsg")) {
		struct iovec iov[16];
		struct msghdr msg;
		const struct pkt_expr *m = sc->nargs > 1 ? sc->args[1] : NULL, *f;
		int n;

		memset(&msg, 0, sizeof(msg));
		n = build_iov(member(m, "msg_iov"), iov, 16, buf, sizeof(buf), why, whylen);
		if (n < 0)
			return -1;
		f = member(m, "msg_flags");
		if (f && !eval_int(f, &a3, why, whylen))
			return -1;
		if (arg_int(sc, 2, &a2, why, whylen))
			return -1;
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)n;
		msg.msg_flags = (int)a3;
		if (is_call(sc, "sendmsg")) {
			memset(buf, 0, sizeof(buf));
			*ret = ul_sendmsg(fd, &msg, (int)a2);
		} else {
			*ret = ul_recvmsg(fd, &msg, (int)a2);
		}
	} else if (is_call(sc, "setsockopt")) {
		const struct pkt_expr *val = sc->nargs > 3 ? sc->args[3] : NULL;
		socklen_t len = sizeof(int);
		struct linger lg;
		int v = 0;
		void *opt = &v;

		if (arg_int(sc, 1, &a1, why, whylen) || arg_int(sc, 2, &a2, why, whylen))
			return -1;
		if (val && val->kind == PKT_EXPR_STRUCT) {
			const struct pkt_expr *on = member(val, "onoff"), *li = member(val, "linger");
			long x, y;

			if (!on || !li || !eval_int(on, &x, why, whylen) ||
			    !eval_int(li, &y, why, whylen))
				return snprintf(why, whylen, "setsockopt: expected {onoff=, linger=}"),
				       -1;
			lg.l_onoff = (int)x;
			lg.l_linger = (int)y;
			opt = &lg;
			len = sizeof(lg);
		} else {
			if (arg_int(sc, 3, &a3, why, whylen))
				return -1;
			v = (int)a3;
		}
		/* The script's optlen: IP_TOS takes one byte, say. */
		if (sc->nargs > 4 && sc->args[4]->kind != PKT_EXPR_ELLIPSIS) {
			long l;

			if (arg_int(sc, 4, &l, why, whylen))
				return -1;
			if (l < 0 || (size_t)l > (opt == &lg ? sizeof(lg) : sizeof(v)))
				return snprintf(why, whylen, "setsockopt: optlen %ld", l), -1;
			len = (socklen_t)l;
		}
		*ret = ul_setsockopt(fd, (int)a1, (int)a2, opt, len);
	} else if (is_call(sc, "getsockopt")) {
		int v = 0;
		socklen_t len = sizeof(v);

		if (arg_int(sc, 1, &a1, why, whylen) || arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = ul_getsockopt(fd, (int)a1, (int)a2, &v, &len);
		out->val = v;
		out->has_val = true;
	} else if (is_call(sc, "fcntl")) {
		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		if (sc->nargs > 2 && arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = sc->nargs > 2 ? ul_fcntl(fd, (int)a1, (int)a2) : ul_fcntl(fd, (int)a1);
	} else if (is_call(sc, "ioctl")) {
		int v = 0;

		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		*ret = ul_ioctl(fd, (unsigned long)a1, &v);
		out->val = v;
		out->has_val = true;
	} else if (is_call(sc, "sendfile")) {
		int in;
		off_t off = 0;
		bool has_off = sc->nargs > 2 && sc->args[2]->kind == PKT_EXPR_ARRAY;

		if (sc->nargs != 4 || map_fd(r, sc->args[1], &in, why, whylen) ||
		    arg_int(sc, 3, &a1, why, whylen))
			return sc->nargs != 4 ? (snprintf(why, whylen, "sendfile takes 4 "
							  "arguments"), -1) : -1;
		if (has_off) {
			if (arg_int(sc, 2, &a2, why, whylen))
				return -1;
			off = (off_t)a2;
		}
		*ret = ul_sendfile(fd, in, has_off ? &off : NULL, (size_t)a1);
	} else if (is_call(sc, "epoll_ctl")) {
		struct epoll_event ev;
		int target;

		memset(&ev, 0, sizeof(ev));
		if (arg_int(sc, 1, &a1, why, whylen) || sc->nargs < 4 ||
		    map_fd(r, sc->args[2], &target, why, whylen))
			return sc->nargs < 4 ? (snprintf(why, whylen, "epoll_ctl takes 4 arguments"),
						-1) : -1;
		if (sc->args[3]->kind == PKT_EXPR_STRUCT) {
			const struct pkt_expr *e = member(sc->args[3], "events");
			uint64_t data;

			if (!e || !eval_int(e, &a2, why, whylen))
				return snprintf(why, whylen, "epoll_ctl: expected {events=...}"), -1;
			ev.events = (uint32_t)a2;
			/* The data is the script's own value (its fd number), so that
			 * epoll_wait hands back what the script wrote. */
			if (!epoll_data(sc->args[3], &data, why, whylen))
				return -1;
			ev.data.u64 = data;
		}
		*ret = ul_epoll_ctl(fd, (int)a1, target, &ev);
	} else if (is_call(sc, "epoll_wait")) {
		struct epoll_event evs[16];
		const struct pkt_expr *want = sc->nargs > 1 ? sc->args[1] : NULL;

		if (arg_int(sc, 2, &a1, why, whylen) || arg_int(sc, 3, &a2, why, whylen))
			return -1;
		if (a1 < 1 || a1 > 16)
			return snprintf(why, whylen, "epoll_wait: maxevents %ld (1..16)", a1), -1;
		*ret = ul_epoll_wait(fd, evs, (int)a1, (int)a2);
		*err = errno;
		if (*ret > 0 && want && want->kind == PKT_EXPR_STRUCT) {
			const struct pkt_expr *e = member(want, "events");
			uint64_t data;

			if (e && eval_int(e, &a3, why, whylen) && evs[0].events != (uint32_t)a3)
				snprintf(out->mismatch, sizeof(out->mismatch),
					 "epoll_wait: expected events 0x%lx but got 0x%x", a3,
					 evs[0].events);
			else if (epoll_data(want, &data, why, whylen) && evs[0].data.u64 != data)
				snprintf(out->mismatch, sizeof(out->mismatch),
					 "epoll_wait: expected data %" PRIu64 " but got %" PRIu64,
					 data, (uint64_t)evs[0].data.u64);
		}
		return 0;
	} else {
		return snprintf(why, whylen, "system call %s is not supported by the runner "
				"(ulnet has no %s yet)", sc->name, sc->name), -1;
	}
	*err = errno;
	return 0;
}

static const char *errno_name(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return "?";
}

/* Compare what the call did with the script's `= result [ERRNO] [(note)]`. */
static void check_syscall(struct run *r, const struct pkt_event *ev, long ret, int err,
			  const struct sc_out *out)
{
	const struct pkt_syscall *sc = ev->sc;
	char why[256];
	long want;

	if (sc->result->kind == PKT_EXPR_ELLIPSIS)
		return;
	if (!eval_int(sc->result, &want, why, sizeof(why))) {
		run_fail(r, ev, "bad expected result of %s: %s", sc->name, why);
		return;
	}
	/* A new descriptor: the script's number stands for the stack's, whatever it is. */
	if ((is_call(sc, "socket") || is_call(sc, "accept") || is_call(sc, "accept4") ||
	     is_call(sc, "epoll_create") || is_call(sc, "epoll_create1") ||
	     is_call(sc, "open")) && want >= 0 &&
	    ret >= 0) {
		if (want >= PKT_MAX_FDS) {
			run_fail(r, ev, "script descriptor %ld is beyond the runner's %d", want,
				 PKT_MAX_FDS);
		} else {
			r->fdmap[want] = (int)ret;
			/* packetdrill's socket under test: the one accepted, else the last
			 * one created (a connect() picks it too, below). */
			if (is_call(sc, "accept") || is_call(sc, "accept4") ||
			    (is_call(sc, "socket") && r->sut_fd < 0))
				r->sut_fd = (int)want;
		}
		return;
	}
	if (is_call(sc, "connect") && sc->nargs > 0) {
		long v;

		if (eval_int(sc->args[0], &v, why, sizeof(why)) && v >= 0 && v < PKT_MAX_FDS)
			r->sut_fd = (int)v;
	}
	if (ret != want) {
		if (ret < 0 && want >= 0 && (is_call(sc, "socket") || is_call(sc, "accept")))
			run_fail(r, ev, "runtime error in %s call: Expected non-negative result but "
				 "got %ld with errno %d (%s)", sc->name, ret, err, strerror(err));
		else if (ret < 0)
			run_fail(r, ev, "runtime error in %s call: Expected result %ld but got %ld "
				 "with errno %d (%s)", sc->name, want, ret, err, strerror(err));
		else
			run_fail(r, ev, "runtime error in %s call: Expected result %ld but got %ld",
				 sc->name, want, ret);
		return;
	}
	if (sc->errno_name) {
		long e;

		if (!sym_lookup(errnos, sizeof(errnos) / sizeof(errnos[0]), sc->errno_name, &e)) {
			run_fail(r, ev, "unknown errno name %s", sc->errno_name);
			return;
		}
		if (e != err)
			run_fail(r, ev, "runtime error in %s call: Expected errno %s but got %s "
				 "(%s)", sc->name, sc->errno_name, errno_name(err), strerror(err));
		return;
	}
	if (out && out->has_val && sc->nargs >= (is_call(sc, "ioctl") ? 3 : 4)) {
		const struct pkt_expr *a = sc->args[is_call(sc, "ioctl") ? 2 : 3];
		long v;

		if (a->kind != PKT_EXPR_ELLIPSIS && eval_int(a, &v, why, sizeof(why)) &&
		    (int)v != (int)out->val)
			run_fail(r, ev, "runtime error in %s call: Expected value %ld but got %ld",
				 sc->name, v, out->val);
	}
	if (out && out->mismatch[0])
		run_fail(r, ev, "runtime error in %s call: %s", sc->name, out->mismatch);
	if (is_call(sc, "close") && ret == 0) {
		long v;

		if (!eval_int(sc->args[0], &v, why, sizeof(why)))
			return;
		if (v >= 0 && v < PKT_MAX_FDS)
			r->fdmap[v] = -1;
	}
}

static int blocking_fn(void *arg)
{
	struct blocking_call *b = arg;
	char why[256];

	/* CLONE_FILES: the call sees the script's descriptors. */
	if (b->run->files && !current->files) {
		atomic_inc(&b->run->files->count);
		current->files = b->run->files;
	}
	if (exec_syscall(b->run, b->ev->sc, &b->ret, &b->err, &b->out, why, sizeof(why))) {
		b->bad = true;
		snprintf(b->out.mismatch, sizeof(b->out.mismatch), "%s", why);
	}
	b->end_ns = ul_now_ns();
	b->done = true;
	return 0;
}

static void check_blocking(struct run *r, bool final)
{
	int i;

	for (i = 0; i < r->nblk; i++) {
		struct blocking_call *b = &r->blk[i];
		const struct pkt_syscall *sc = b->ev->sc;
		int64_t end = b->end_us;

		if (b->checked)
			continue;
		if (final && !b->done)
			sleep_until_us(r, end + r->tolerance_us);
		if (!b->done) {
			if (final || now_us(r) > end + r->tolerance_us) {
				b->checked = true;
				run_fail(r, b->ev, "blocking system call %s did not return by its "
					 "end time", sc->name);
			}
			continue;
		}
		b->checked = true;
		if (b->bad) {
			run_fail(r, b->ev, "%s", b->out.mismatch);
			continue;
		}
		/* What it returned first: a wrong result explains a wrong time. */
		check_syscall(r, b->ev, b->ret, b->err, &b->out);
		check_time(r, b->ev, "blocking system call return", end, end,
			   (int64_t)((b->end_ns - r->t0_ns) / 1000));
	}
}

static void do_syscall(struct run *r, const struct pkt_event *ev, int64_t lo)
{
	char why[256];
	struct sc_out out;
	long ret = 0;
	int64_t start;
	int err = 0;

	if (ev->sc->has_end) {
		struct blocking_call *b;

		if (r->nblk >= PKT_MAX_BLOCKING) {
			run_fail(r, ev, "more than %d blocking calls", PKT_MAX_BLOCKING);
			return;
		}
		b = &r->blk[r->nblk++];
		b->run = r;
		b->ev = ev;
		b->start_us = lo;
		/* `+a...b`: both ends count from the previous event (packetdrill adds the
		 * same base to the end time); `T1...+b` ends b after its start. */
		if (ev->sc->end.kind == PKT_TIME_REL)
			b->end_us = lo + ev->sc->end.usecs;
		else if (ev->time.kind == PKT_TIME_REL)
			b->end_us = r->prev_us + ev->sc->end.usecs;
		else
			b->end_us = ev->sc->end.usecs;
		b->task = ul_task_spawn(r->netns, ev->sc->name, 0, blocking_fn, b);
		if (!b->task) {
			r->nblk--;
			run_fail(r, ev, "cannot start a task for the blocking call");
		}
		return;
	}
	start = now_us(r);
	if (exec_syscall(r, ev->sc, &ret, &err, &out, why, sizeof(why))) {
		run_fail(r, ev, "%s", why);
		return;
	}
	check_syscall(r, ev, ret, err, &out);
	/* A call written without `...` must not block (packetdrill's threads would hang). */
	if (now_us(r) - start > r->tolerance_us) {
		char t[32];

		fmt_secs(t, sizeof(t), now_us(r) - start);
		run_fail(r, ev, "%s call blocked for %s sec; the script expects it to return at "
			 "once (write it as T1...T2 %s() if it blocks)", ev->sc->name, t,
			 ev->sc->name);
	}
}

/* ---- %{ }% blocks ---- */

/* struct tcp_info of 3.10 (glibc's layout is the same for these fields). */
#define TCPI_U32(f) { #f, offsetof(struct tcp_info, f) }
static const struct { const char *name; size_t off; } tcpi_u32[] = {
	TCPI_U32(tcpi_rto), TCPI_U32(tcpi_ato), TCPI_U32(tcpi_snd_mss), TCPI_U32(tcpi_rcv_mss),
	TCPI_U32(tcpi_unacked), TCPI_U32(tcpi_sacked), TCPI_U32(tcpi_lost),
	TCPI_U32(tcpi_retrans), TCPI_U32(tcpi_fackets), TCPI_U32(tcpi_last_data_sent),
	TCPI_U32(tcpi_last_ack_sent), TCPI_U32(tcpi_last_data_recv),
	TCPI_U32(tcpi_last_ack_recv), TCPI_U32(tcpi_pmtu), TCPI_U32(tcpi_rcv_ssthresh),
	TCPI_U32(tcpi_rtt), TCPI_U32(tcpi_rttvar), TCPI_U32(tcpi_snd_ssthresh),
	TCPI_U32(tcpi_snd_cwnd), TCPI_U32(tcpi_advmss), TCPI_U32(tcpi_reordering),
	TCPI_U32(tcpi_rcv_rtt), TCPI_U32(tcpi_rcv_space), TCPI_U32(tcpi_total_retrans),
};

/* The tcpi_* names of a block, from the TCP_INFO snapshot taken at the block's time (as
 * packetdrill snapshots it for its Python). Names newer than 3.10 are unknown. */
static int tcpi_lookup(void *ctx, const char *name, int64_t *v)
{
	const struct tcp_info *ti = ctx;
	uint32_t x;
	size_t i;

	if (!strcmp(name, "tcpi_state"))
		return *v = ti->tcpi_state, 0;
	if (!strcmp(name, "tcpi_ca_state"))
		return *v = ti->tcpi_ca_state, 0;
	if (!strcmp(name, "tcpi_retransmits"))
		return *v = ti->tcpi_retransmits, 0;
	if (!strcmp(name, "tcpi_probes"))
		return *v = ti->tcpi_probes, 0;
	if (!strcmp(name, "tcpi_backoff"))
		return *v = ti->tcpi_backoff, 0;
	if (!strcmp(name, "tcpi_options"))
		return *v = ti->tcpi_options, 0;
	if (!strcmp(name, "tcpi_snd_wscale"))
		return *v = ti->tcpi_snd_wscale, 0;
	if (!strcmp(name, "tcpi_rcv_wscale"))
		return *v = ti->tcpi_rcv_wscale, 0;
	for (i = 0; i < sizeof(tcpi_u32) / sizeof(tcpi_u32[0]); i++)
		if (!strcmp(name, tcpi_u32[i].name)) {
			memcpy(&x, (const uint8_t *)ti + tcpi_u32[i].off, sizeof(x));
			*v = x;
			return 0;
		}
	return -ENOENT;
}

static void do_code(struct run *r, const struct pkt_event *ev)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	char why[300];
	int fd, rc;

	if (r->sut_fd < 0 || r->fdmap[r->sut_fd] < 0) {
		run_fail(r, ev, "%%{ }%% block: no socket to read TCP_INFO from");
		return;
	}
	fd = r->fdmap[r->sut_fd];
	memset(&ti, 0, sizeof(ti));
	if (ul_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len)) {
		run_fail(r, ev, "%%{ }%% block: getsockopt(TCP_INFO) failed: %s", strerror(errno));
		return;
	}
	r->code_env.lookup = tcpi_lookup;
	r->code_env.ctx = &ti;
	why[0] = '\0';
	rc = pkt_code_eval(&r->code_env, ev->text, why, sizeof(why));
	r->code_env.ctx = NULL;
	if (rc == 1)
		run_fail(r, ev, "%s", why);
	else if (rc == -ENOENT && strstr(why, "'tcpi_"))
		run_fail(r, ev, "%%{ }%% block: %s: not a tcp_info field of Linux 3.10", why);
	else if (rc < 0)
		run_fail(r, ev, "%%{ }%% block: %s", why);
}

/* ---- The script driver (a task) ---- */

static int driver_fn(void *arg)
{
	struct run *r = arg;
	int i;

	r->files = get_task_files();
	r->t0_ns = ul_now_ns();
	for (i = 0; i < r->s->nevents && r->verdict == PKT_PASS; i++) {
		const struct pkt_event *ev = &r->s->events[i];
		int64_t lo, hi, actual;

		if (ev->time.kind == PKT_TIME_NONE) {
			if (ev->kind == PKT_EV_COMMAND)
				pkt_run_shell(r->netns, ev->text, r->notes, sizeof(r->notes));
			continue;
		}
		event_window(r, ev, &lo, &hi);
		if (ev->kind == PKT_EV_PACKET && ev->pkt->dir == '>') {
			actual = do_outbound(r, ev, lo, hi);
		} else {
			actual = lo > now_us(r) ? lo : now_us(r);
			sleep_until_us(r, lo);
			check_blocking(r, false);
			/* A datagram the stack sent meanwhile waits in the queue for the next
			 * `>` event, whose match and timing check judge it (as packetdrill:
			 * two writes then two segments is a valid script). */
			switch (ev->kind) {
			case PKT_EV_PACKET:
				do_inbound(r, ev);
				break;
			case PKT_EV_SYSCALL:
				do_syscall(r, ev, lo);
				break;
			case PKT_EV_COMMAND:
				pkt_run_shell(r->netns, ev->text, r->notes, sizeof(r->notes));
				break;
			case PKT_EV_CODE:
				do_code(r, ev);
				break;
			}
		}
		/* `+t` counts from the previous event's actual time (for an outbound
		 * packet, when the stack sent it), so that slack within the tolerance does
		 * not accumulate along a script. */
		r->prev_us = actual;
	}
	if (r->verdict == PKT_PASS)
		check_blocking(r, true);
	/* Anything the stack sent after the last expected packet is a failure too, in the
	 * scripts that ask for it. packetdrill itself never looks past the last `>` (the
	 * corpus relies on it: "we omit outgoing ACKs because we don't care"), so a TCP
	 * script is only held to it with --strict_end (ulnet's own scripts); UDP and ICMP
	 * scripts (ulnet's own: the corpus has none) always are. */
	if (r->verdict == PKT_PASS && r->strict_end) {
		ul_sleep((uint64_t)r->tolerance_us * 1000);
		skip_unrelated(r);
		if (r->qp->head) {
			char act[256];

			pkt_ipv4_format(r->qp->head->data, r->qp->head->len, &r->fl, act,
					sizeof(act));
			run_fail(r, NULL, "unexpected outbound packet after the last event: > %s",
				 act);
		}
	}
	/* Whatever the script left open goes away at once: an abortive close (SO_LINGER
	 * {1, 0}: RST, as packetdrill's end of run kills its sockets) rather than orphans
	 * retransmitting FINs into the deleted test host. */
	for (i = 0; i < r->nblk; i++)
		if (!r->blk[i].done)
			break;
	if (i < r->nblk) {
		/* A blocking call still waits (a FAIL already): shutdown() wakes it, as it
		 * wakes accept() on a listener, so that its task can end. */
		for (i = 0; i < PKT_MAX_FDS; i++)
			if (r->fdmap[i] >= 0)
				ul_shutdown(r->fdmap[i], SHUT_RDWR);
		ul_sleep(PKT_POLL_NS);
	}
	for (i = 0; i < PKT_MAX_FDS; i++)
		if (r->fdmap[i] >= 0) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			ul_setsockopt(r->fdmap[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			ul_close(r->fdmap[i]);
		}
	ul_sleep(PKT_POLL_NS);	/* let the resets and frees run */
	return 0;
}

/* ---- Set-up ---- */

/* Why the script cannot run yet, or NULL. */
static const char *skip_reason(const struct pkt_script *s, char *buf, size_t len)
{
	const char *ipv = pkt_script_option(s, "ip_version");
	int i;

	if (ipv && strcmp(ipv, "ipv4"))
		return snprintf(buf, len, "IPv6 is not implemented (--ip_version=%s)", ipv), buf;
	/* A timed `ss` line is what the script tests: the ss tool (inet_diag), outside the
	 * stack. */
	for (i = 0; i < s->nevents; i++) {
		const struct pkt_event *ev = &s->events[i];
		const char *t = ev->text;

		if (ev->kind != PKT_EV_COMMAND || ev->time.kind == PKT_TIME_NONE || !t)
			continue;
		while (isspace((unsigned char)*t))
			t++;
		if (!strncmp(t, "ss ", 3))
			return "tests the ss tool (inet_diag sockets), outside the stack";
	}
	return NULL;
}

static int parse_ip_option(const struct pkt_script *s, const char *name, const char *def,
			   uint32_t *ip)
{
	const char *v = pkt_script_option(s, name);
	struct in_addr a;

	if (!v)
		v = def;
	if (inet_pton(AF_INET, v, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int run_cmd(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run_cmd(struct run *r, const char *fmt, ...)
{
	char line[256];
	char *out = NULL;
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	err = ul_cmd(r->netns, line, &out);
	if (err)
		add_detail(r, "set-up `%s` failed (%d): %s", line, err, out ? out : "");
	free(out);
	return err;
}

static void run_script(struct run *r)
{
	struct ul_task *t;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct in_addr ia;
	const char *tol = pkt_script_option(r->s, "tolerance_usecs");
	const char *tick = pkt_script_option(r->s, "tcp_ts_tick_usecs");
	const char *mtu = pkt_script_option(r->s, "mtu");
	int err, i;

	for (i = 0; i < PKT_MAX_FDS; i++)
		r->fdmap[i] = -1;
	r->sut_fd = -1;
	{
		bool has_tcp = false, out_icmp = false;

		for (i = 0; i < r->s->nevents; i++) {
			const struct pkt_event *ev = &r->s->events[i];

			if (ev->kind != PKT_EV_PACKET)
				continue;
			has_tcp |= ev->pkt->proto == PKT_TCP;
			out_icmp |= ev->pkt->dir == '>' && ev->pkt->proto == PKT_ICMP;
		}
		r->skip_icmp_replies = has_tcp && !out_icmp;
		r->strict_end = !has_tcp || pkt_script_option(r->s, "strict_end");
	}
	r->tolerance_us = PKT_DEFAULT_TOLERANCE;
	if (tol && (r->tolerance_us = strtol(tol, NULL, 10)) <= 0) {
		run_fail(r, NULL, "bad --tolerance_usecs=%s", tol);
		return;
	}
	if (parse_ip_option(r->s, "local_ip", PKT_DEFAULT_LOCAL_IP, &r->fl.local_ip) ||
	    parse_ip_option(r->s, "remote_ip", PKT_DEFAULT_REMOTE_IP, &r->fl.remote_ip)) {
		run_fail(r, NULL, "bad --local_ip or --remote_ip (an IPv4 address)");
		return;
	}
	r->fl.local_port = PKT_LOCAL_PORT;
	r->fl.remote_port = PKT_REMOTE_PORT;
	r->fl.remote_isn = PKT_REMOTE_ISN;
	r->fl.ts_tick_usecs = tick ? (uint32_t)strtoul(tick, NULL, 10) : 0;
	/* An outbound TS val may be off by the tolerance, in ticks, plus the tick it is in. */
	if (r->fl.ts_tick_usecs)
		r->fl.ts_slack = (uint32_t)(r->tolerance_us / r->fl.ts_tick_usecs) + 1;
	/* An option the runner does not know changes what the script tests: refuse it rather
	 * than run something else (packetdrill's --wire_*, --bind_port, ... are not here). */
	for (i = 0; i < r->s->nopts; i++) {
		static const char *const known[] = {
			"tolerance_usecs", "local_ip", "remote_ip", "ip_version",
			"tcp_ts_tick_usecs", "strict_end", "mtu",
		};
		size_t k;

		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (!strcmp(r->s->opts[i].name, known[k]))
				break;
		if (k == sizeof(known) / sizeof(known[0])) {
			run_fail(r, NULL, "option --%s is not supported by ulnet pkt",
				 r->s->opts[i].name);
			return;
		}
	}
	/* --mtu=N: tun0's MTU (packetdrill's default 1500), 68..65535 as `ip link set mtu`. */
	r->mtu = 0;
	if (mtu) {
		char *end;
		long v = strtol(mtu, &end, 10);

		if (*end || v < 68 || v > 65535) {
			run_fail(r, NULL, "bad --mtu=%s (68..65535)", mtu);
			return;
		}
		r->mtu = (int)v;
	}
	r->qp = &r->q;
	/* A namespace per script: whatever the run leaves (routes, inet_peer entries, sysctls)
	 * goes with it, so scripts do not see each other (packetdrill flushes tcp_metrics for
	 * the same reason). */
	for (i = 0; i < 1000; i++) {
		snprintf(r->netns, sizeof(r->netns), "pkt-host%s%.0d", i ? "-" : "", i);
		err = ul_netns_add(r->netns);
		if (err != -EEXIST)
			break;
	}
	if (err) {
		run_fail(r, NULL, "cannot create the test host namespace: %d", err);
		return;
	}
	err = pktdev_create(ul_net_by_name(r->netns), "tun0", r->qp, &r->dev);
	if (err) {
		run_fail(r, NULL, "cannot create the test device tun0: %d", err);
		ul_netns_del(r->netns);
		return;
	}
	ia.s_addr = htonl(r->fl.local_ip);
	inet_ntop(AF_INET, &ia, a, sizeof(a));
	ia.s_addr = htonl(r->fl.remote_ip);
	inet_ntop(AF_INET, &ia, b, sizeof(b));
	if ((r->mtu && run_cmd(r, "ip link set tun0 mtu %d", r->mtu)) ||
	    run_cmd(r, "ip link set tun0 up") || run_cmd(r, "ip addr add %s/16 dev tun0", a) ||
	    run_cmd(r, "ip route add %s/32 dev tun0", b)) {
		r->verdict = PKT_PASS;
		r->configured = false;
		run_skip(r, "IPv4 set-up of tun0 is not available yet (issue #3)");
		goto out;
	}
	r->configured = true;
	for (i = 0; i < r->o->nsysctls; i++) {
		const char *kv = r->o->sysctls[i], *eq = strchr(kv, '=');
		char line[300];

		/* Quoted, as a shell would need "4096 87380 3732736". */
		snprintf(line, sizeof(line), "sysctl %.*s=\"%s\"", eq ? (int)(eq - kv) : 0, kv,
			 eq ? eq + 1 : "");
		if (pkt_run_shell(r->netns, line, r->notes, sizeof(r->notes)) != 1) {
			run_fail(r, NULL, "--sysctl %s could not be applied", r->o->sysctls[i]);
			goto out;
		}
	}
	t = ul_task_spawn(r->netns, "pkt-script", 0, driver_fn, r);
	if (!t) {
		run_fail(r, NULL, "cannot start the script task");
		goto out;
	}
	err = ul_task_join(t);
	if (err == -EDEADLK)
		run_fail(r, NULL, "the script task never finished (deadlock)");
	for (i = 0; i < r->nblk; i++)
		if (r->blk[i].task)
			ul_task_join(r->blk[i].task);
out:
	/* Undo the set-up in reverse before the device goes. */
	if (r->configured) {
		run_cmd(r, "ip route del %s/32 dev tun0", b);
		run_cmd(r, "ip addr del %s/16 dev tun0", a);
	}
	unregister_netdev(r->dev);
	r->dev = NULL;
	pktdev_queue_purge(r->qp);
	err = ul_netns_del(r->netns);
	if (err)
		add_detail(r, "note: deleting namespace %s: %d", r->netns, err);
}

/* packetdrill's own tests of the tool (`packetdrill/socket_err.pkt`) are written to fail
 * and say how in a `// Failure: MESSAGE` comment: such a script is a SKIP when it fails
 * with that message, and a FAIL when it passes or fails otherwise. */
static void expected_failure(const char *path, struct run *r)
{
	char line[512], want[512], *details;
	const char *tag = "// Failure: ";
	FILE *f = fopen(path, "r");
	size_t i, o;

	if (!f)
		return;
	want[0] = '\0';
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, tag, strlen(tag))) {
			/* Drop the regular expression's escapes and the newline. */
			for (i = strlen(tag), o = 0; line[i] && line[i] != '\n' &&
			     o + 1 < sizeof(want); i++)
				if (line[i] != '\\')
					want[o++] = line[i];
			want[o] = '\0';
			break;
		}
	fclose(f);
	if (!want[0])
		return;
	details = r->details;
	r->details = NULL;
	r->dlen = 0;
	if (r->verdict == PKT_FAIL && details && strstr(details, want)) {
		r->verdict = PKT_SKIP;
		add_detail(r, "written to fail (it tests the runner), and fails as it says: %s", want);
	} else {
		add_detail(r, "%s: written to fail with \"%s\", but %s", path, want,
			   r->verdict == PKT_PASS ? "it passed" : "it failed otherwise:");
		r->verdict = PKT_FAIL;
		if (details)
			add_detail(r, "%s", details);
	}
	free(details);
}

void pkt_run_file(const char *path, const struct pkt_run_opts *o, struct pkt_result *res)
{
	static const struct pkt_run_opts defaults;
	struct run *r = calloc(1, sizeof(*r));
	struct pkt_error err;
	char buf[256];
	const char *why;
	bool own_stack = false;

	memset(res, 0, sizeof(*res));
	if (!r) {
		res->verdict = PKT_FAIL;
		res->details = strdup("out of memory");
		return;
	}
	r->o = o ? o : &defaults;
	pkt_defaults_path = r->o->defaults_sh;
	memset(pkt_files, 0, sizeof(pkt_files));
	r->s = pkt_parse_file(path, &err);
	if (!r->s) {
		r->verdict = PKT_FAIL;
		if (err.line)
			add_detail(r, "%s:%d:%d: error: %s", path, err.line, err.col, err.msg);
		else
			add_detail(r, "%s: error: %s", path, err.msg);
		goto done;
	}
	why = skip_reason(r->s, buf, sizeof(buf));
	if (why) {
		run_skip(r, "%s", why);
		goto done;
	}
	if (!ul_stack_exists()) {
		struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 1, .seed = 1 };
		int e = ul_stack_create(&cfg);

		if (e) {
			run_fail(r, NULL, "cannot create the stack: %d", e);
			goto done;
		}
		own_stack = true;
	}
	run_script(r);
	if (own_stack)
		ul_stack_destroy();
done:
	if (r->notes[0] && (r->verdict != PKT_PASS || r->o->verbose)) {
		char *line, *save = NULL;

		for (line = strtok_r(r->notes, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			add_detail(r, "note: %s", line);
	}
	expected_failure(path, r);
	res->verdict = r->verdict;
	res->details = r->details;
	pkt_script_free(r->s);
	free(r);
}

void pkt_result_free(struct pkt_result *r)
{
	free(r->details);
	r->details = NULL;
}
