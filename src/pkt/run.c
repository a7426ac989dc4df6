/* SPDX-License-Identifier: MIT */
/* The packet-script runner: plays a parsed .pkt script against the stack on the sim runtime.
 * A test host (a namespace of its own) gets a TUN-like device "tun0" (pktdev.c) with
 * --local_ip; the script's inbound packets are injected at their virtual times, the stack's
 * outbound packets are captured and matched, and system calls (syscall.c) run in a task (a
 * blocking `T1...T2 call()` in its own task sharing the fd table, as packetdrill's threads
 * do); shell lines are shell.c's. This file: set-up, the driver task, timing, verdicts.
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
#include "pkt/run.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

/* ---- Details ---- */

void pkt_add_detail(struct run *r, const char *fmt, ...)
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
		pkt_add_detail(r, "%s", msg);
	else if (ev)
		pkt_add_detail(r, "%s:%d: %s", r->s->path, ev->line, msg);
	else
		pkt_add_detail(r, "%s: %s", r->s->path, msg);
}

void pkt_fail(struct run *r, const struct pkt_event *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_verdict(r, PKT_FAIL, ev, fmt, ap);
	va_end(ap);
}

void pkt_skip(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	run_verdict(r, PKT_SKIP, NULL, fmt, ap);
	va_end(ap);
}

/* ---- Time ---- */

int64_t pkt_now_us(const struct run *r)
{
	return (int64_t)((ul_now_ns() - r->t0_ns) / 1000);
}

void pkt_sleep_until_us(struct run *r, int64_t t_us)
{
	int64_t now = pkt_now_us(r);

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
		*lo = pkt_now_us(r);
		break;
	}
	*hi = *lo;
	/* '*': any time at all; bounded so that a missing packet still ends the run. */
	if (t->kind == PKT_TIME_ANY)
		*hi = *lo + PKT_ANY_TIME_US;
	if (t->range)
		*hi = t->end_kind == PKT_TIME_REL ? r->prev_us + t->end_usecs : t->end_usecs;
}

void pkt_fmt_secs(char *buf, size_t len, int64_t us)
{
	int64_t a = us < 0 ? -us : us;

	snprintf(buf, len, "%s%" PRId64 ".%06" PRId64, us < 0 ? "-" : "", a / 1000000,
		 a % 1000000);
}

bool pkt_check_time(struct run *r, const struct pkt_event *ev, const char *what, int64_t lo,
		       int64_t hi, int64_t actual)
{
	char e[32], a[32], t[32];

	if (actual >= lo - r->tolerance_us && actual <= hi + r->tolerance_us)
		return true;
	pkt_fmt_secs(e, sizeof(e), lo);
	pkt_fmt_secs(a, sizeof(a), actual);
	pkt_fmt_secs(t, sizeof(t), r->tolerance_us);
	pkt_fail(r, ev, "timing error: expected %s at %s sec but happened at %s sec; "
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
		pkt_fail(r, ev, "error building inbound packet: %s", why);
		return;
	}
	err = pktdev_inject(r->dev, buf, (size_t)len);
	if (err)
		pkt_fail(r, ev, "error injecting inbound packet: %d", err);
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
	while (!r->qp->head && pkt_now_us(r) <= deadline && guard++ < 10000000) {
		int64_t left = deadline - pkt_now_us(r) + 1;

		ul_sleep(left * 1000 < (int64_t)PKT_POLL_NS ? (uint64_t)left * 1000 : PKT_POLL_NS);
		skip_unrelated(r);
	}
	pkt_packet_format(ev->pkt, exp, sizeof(exp));
	f = pktdev_pop(r->qp);
	if (!f) {
		pkt_fail(r, ev, "error handling packet: Timed out waiting for packet\n"
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

			while (!r->qp->head && pkt_now_us(r) <= at + r->tolerance_us &&
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
		pkt_fail(r, ev, "error handling packet: %s\n  script packet:  %c %s\n"
			 "  actual packet:  > %s", why, ev->pkt->dir, exp, act);
		free(f);
		return lo;
	}
	pkt_check_time(r, ev, "outbound packet", lo, hi, at);
	free(f);
	return at;
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
		pkt_fail(r, ev, "%%{ }%% block: no socket to read TCP_INFO from");
		return;
	}
	fd = r->fdmap[r->sut_fd];
	memset(&ti, 0, sizeof(ti));
	if (ul_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len)) {
		pkt_fail(r, ev, "%%{ }%% block: getsockopt(TCP_INFO) failed: %s", strerror(errno));
		return;
	}
	r->code_env.lookup = tcpi_lookup;
	r->code_env.ctx = &ti;
	why[0] = '\0';
	rc = pkt_code_eval(&r->code_env, ev->text, why, sizeof(why));
	r->code_env.ctx = NULL;
	if (rc == 1)
		pkt_fail(r, ev, "%s", why);
	else if (rc == -ENOENT && strstr(why, "'tcpi_"))
		pkt_fail(r, ev, "%%{ }%% block: %s: not a tcp_info field of Linux 3.10", why);
	else if (rc < 0)
		pkt_fail(r, ev, "%%{ }%% block: %s", why);
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
			actual = lo > pkt_now_us(r) ? lo : pkt_now_us(r);
			pkt_sleep_until_us(r, lo);
			pkt_check_blocking(r, false);
			/* A datagram the stack sent meanwhile waits in the queue for the next
			 * `>` event, whose match and timing check judge it (as packetdrill:
			 * two writes then two segments is a valid script). */
			switch (ev->kind) {
			case PKT_EV_PACKET:
				do_inbound(r, ev);
				break;
			case PKT_EV_SYSCALL:
				pkt_do_syscall(r, ev, lo);
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
		pkt_check_blocking(r, true);
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
			pkt_fail(r, NULL, "unexpected outbound packet after the last event: > %s",
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
		pkt_add_detail(r, "set-up `%s` failed (%d): %s", line, err, out ? out : "");
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
		pkt_fail(r, NULL, "bad --tolerance_usecs=%s", tol);
		return;
	}
	if (parse_ip_option(r->s, "local_ip", PKT_DEFAULT_LOCAL_IP, &r->fl.local_ip) ||
	    parse_ip_option(r->s, "remote_ip", PKT_DEFAULT_REMOTE_IP, &r->fl.remote_ip)) {
		pkt_fail(r, NULL, "bad --local_ip or --remote_ip (an IPv4 address)");
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
			pkt_fail(r, NULL, "option --%s is not supported by ulnet pkt",
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
			pkt_fail(r, NULL, "bad --mtu=%s (68..65535)", mtu);
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
		pkt_fail(r, NULL, "cannot create the test host namespace: %d", err);
		return;
	}
	err = pktdev_create(ul_net_by_name(r->netns), "tun0", r->qp, &r->dev);
	if (err) {
		pkt_fail(r, NULL, "cannot create the test device tun0: %d", err);
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
		pkt_skip(r, "IPv4 set-up of tun0 is not available yet (issue #3)");
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
			pkt_fail(r, NULL, "--sysctl %s could not be applied", r->o->sysctls[i]);
			goto out;
		}
	}
	t = ul_task_spawn(r->netns, "pkt-script", 0, driver_fn, r);
	if (!t) {
		pkt_fail(r, NULL, "cannot start the script task");
		goto out;
	}
	err = ul_task_join(t);
	if (err == -EDEADLK)
		pkt_fail(r, NULL, "the script task never finished (deadlock)");
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
		pkt_add_detail(r, "note: deleting namespace %s: %d", r->netns, err);
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
		pkt_add_detail(r, "written to fail (it tests the runner), and fails as it says: %s", want);
	} else {
		pkt_add_detail(r, "%s: written to fail with \"%s\", but %s", path, want,
			   r->verdict == PKT_PASS ? "it passed" : "it failed otherwise:");
		r->verdict = PKT_FAIL;
		if (details)
			pkt_add_detail(r, "%s", details);
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
	pkt_shell_reset(r->o->defaults_sh);
	r->s = pkt_parse_file(path, &err);
	if (!r->s) {
		r->verdict = PKT_FAIL;
		if (err.line)
			pkt_add_detail(r, "%s:%d:%d: error: %s", path, err.line, err.col, err.msg);
		else
			pkt_add_detail(r, "%s: error: %s", path, err.msg);
		goto done;
	}
	why = skip_reason(r->s, buf, sizeof(buf));
	if (why) {
		pkt_skip(r, "%s", why);
		goto done;
	}
	if (!ul_stack_exists()) {
		struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 1, .seed = 1 };
		int e = ul_stack_create(&cfg);

		if (e) {
			pkt_fail(r, NULL, "cannot create the stack: %d", e);
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
			pkt_add_detail(r, "note: %s", line);
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
