/* SPDX-License-Identifier: MIT */
/* Shared pieces of the book's labs: booting, two wired hosts, a UDP transfer between tasks,
 * counters by name, the function path printed by context, TCP frames to inject and the
 * process's memory from /proc/self/status.
 * Mirrors no kernel file: lab plumbing over ul_cmd, the hw verbs and the ul_ socket calls. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "linux/etherdevice.h"
#include "linux/kernel.h"
#include "net/checksum.h"
#include "net/net_namespace.h"
#include "uapi/linux/in.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/tcp.h"
#include "trace/path.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "views/views.h"
#include "book.h"

#define LAB_RCV_TIMEOUT_US 200000	/* a lost datagram costs the receiver 200 ms */

static int lab_ncpus = 1;	/* CPUs of the booted stack */

int lab_cpu(int cpu)
{
	return cpu < 0 ? 0 : cpu % lab_ncpus;
}

int lab_boot(struct ul_lab_ctx *ctx, int ncpus_default)
{
	const struct ul_lab_run_opts *o = ul_lab_opts(ctx);
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM };

	cfg.ncpus = o->ncpus ? o->ncpus : ncpus_default;
	cfg.seed = o->seed;
	if (cfg.ncpus < 1 || cfg.ncpus > 64)
		return -EINVAL;
	ul_nstat_reset();
	lab_ncpus = cfg.ncpus;
	return ul_stack_create(&cfg);
}

void lab_shutdown(struct ul_lab_ctx *ctx)
{
	(void)ctx;
	ul_stack_destroy();
}

int lab_sh(struct ul_lab_ctx *ctx, const char *ns, bool quiet, const char *fmt, ...)
{
	FILE *out = ul_lab_out(ctx);
	char line[512], *text = NULL;
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ns && strncmp(line, "hw ", 3))
		fprintf(out, "  $ ip netns exec %s %s\n", ns, line);
	else
		fprintf(out, "  $ %s\n", line);
	err = ul_cmd(ns, line, &text);
	if (text && *text && (err || !quiet)) {
		char *p = text, *nl;

		while (*p) {	/* indent the tool's output under the command */
			nl = strchr(p, '\n');
			fprintf(out, "    %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
			if (!nl)
				break;
			p = nl + 1;
		}
	}
	if (err)
		fprintf(out, "    (failed: %s)\n", strerror(-err));
	free(text);
	return err;
}

int lab_two_hosts(struct ul_lab_ctx *ctx, unsigned int queues, unsigned int ring)
{
	static const char *const ns[2] = { LAB_NS_A, LAB_NS_B };
	static const char *const addr[2] = { LAB_ADDR_A, LAB_ADDR_B };
	int i, err;

	for (i = 0; i < 2; i++) {
		err = lab_sh(ctx, NULL, true, "ip netns add %s", ns[i]);
		if (!err)
			err = lab_sh(ctx, NULL, true,
				     "hw nic add eth0 netns %s queues %u ring %u speed 1000",
				     ns[i], queues, ring);
		if (err)
			return err;
	}
	err = lab_sh(ctx, NULL, true, "hw wire %s/eth0 %s/eth0", ns[0], ns[1]);
	for (i = 0; !err && i < 2; i++) {
		err = lab_sh(ctx, ns[i], true, "ip link set lo up");
		if (!err)
			err = lab_sh(ctx, ns[i], true, "ip link set eth0 up");
		if (!err)
			err = lab_sh(ctx, ns[i], true, "ip addr add %s/24 dev eth0", addr[i]);
	}
	ul_run_for(1000000);	/* carrier up on both sides */
	return err;
}

/* ---- the UDP transfer ---------------------------------------------------------------------- */

static int lab_udp_receiver(void *arg)
{
	struct lab_udp *u = arg;
	struct timeval tv = { .tv_sec = 0, .tv_usec = LAB_RCV_TIMEOUT_US };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char *buf;
	int fd, i;

	sin.sin_port = htons((uint16_t)u->port);
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return u->rx_err = errno;
	if (ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		u->rx_err = errno;
		ul_close(fd);
		return u->rx_err;
	}
	u->rx_err = -1;		/* bound: the sender may start */
	buf = malloc((size_t)u->size + 1);
	for (i = 0; buf && i < u->count; i++) {
		u64 stamp = 0, lat;
		ssize_t got = ul_recv(fd, buf, (size_t)u->size + 1, 0);

		if (got < 0)
			break;
		u->received++;
		u->t_last_recv = ul_now_ns();
		if (got >= (ssize_t)sizeof(stamp))
			memcpy(&stamp, buf, sizeof(stamp));
		lat = stamp && u->t_last_recv >= stamp ? u->t_last_recv - stamp : 0;
		u->lat_sum_ns += lat;
		u->lat_max_ns = max(u->lat_max_ns, lat);
	}
	free(buf);
	ul_close(fd);
	u->rx_err = 0;
	return 0;
}

static int lab_udp_sender(void *arg)
{
	struct lab_udp *u = arg;
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fds[16], nf = u->nflows > 1 ? min(u->nflows, 16) : 1, i, guard;
	char *buf;

	for (guard = 0; u->rx_err == 0 && guard < 1000; guard++)
		ul_sleep(10000);	/* until the receiver is bound */
	if (u->rx_err > 0)
		return 0;
	to.sin_port = htons((uint16_t)u->port);
	if (inet_pton(AF_INET, u->dst, &to.sin_addr) != 1)
		return u->tx_err = EINVAL;
	for (i = 0; i < nf; i++) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		fds[i] = ul_socket(AF_INET, SOCK_DGRAM, 0);
		if (fds[i] < 0) {
			u->tx_err = errno;
			nf = i;
			goto out;
		}
		if (u->srcs && u->nsrcs > 0 &&
		    (inet_pton(AF_INET, u->srcs[i % u->nsrcs], &src.sin_addr) != 1 ||
		     ul_bind(fds[i], (struct sockaddr *)&src, sizeof(src)))) {
			u->tx_err = errno ? errno : EINVAL;
			nf = i + 1;
			goto out;
		}
	}
	buf = calloc(1, (size_t)u->size);
	if (!buf) {
		u->tx_err = ENOMEM;
		goto out;
	}
	u->t_first_send = ul_now_ns();
	for (i = 0; i < u->count; i++) {
		u64 now = ul_now_ns();

		if (u->size >= (int)sizeof(now))
			memcpy(buf, &now, sizeof(now));
		if (ul_sendto(fds[i % nf], buf, (size_t)u->size, 0, (struct sockaddr *)&to,
			      sizeof(to)) != u->size) {
			u->tx_err = errno;
			break;
		}
		u->sent++;
		if (u->gap_ns)
			ul_sleep(u->gap_ns);
	}
	free(buf);
out:
	for (i = 0; i < nf; i++)
		ul_close(fds[i]);
	return 0;
}

int lab_udp_run(struct lab_udp *u)
{
	struct ul_task *rx, *tx;
	int rc1, rc2;

	u->sent = u->received = u->tx_err = u->rx_err = 0;
	u->lat_sum_ns = u->lat_max_ns = 0;
	rx = ul_task_spawn(u->ns_rx, "udp-rx", lab_cpu(u->rx_cpu), lab_udp_receiver, u);
	if (!rx)
		return -ENOMEM;
	tx = ul_task_spawn(u->ns_tx, "udp-tx", lab_cpu(u->tx_cpu), lab_udp_sender, u);
	if (!tx) {
		ul_task_join(rx);
		return -ENOMEM;
	}
	rc2 = ul_task_join(tx);
	rc1 = ul_task_join(rx);
	ul_run_until_idle(100000000);
	if (rc1 < 0 || rc2 < 0)
		return rc1 < 0 ? rc1 : rc2;
	return 0;
}

/* ---- counters ------------------------------------------------------------------------------ */

char *lab_proc(const char *ns, const char *path)
{
	int err;
	char *s = ul_proc_read(ns, path, &err);

	return s ? s : calloc(1, 1);
}

long long lab_counter(const char *ns, const char *fmt, ...)
{
	char spec[160], a[64] = "", b[64] = "", c[64] = "", *text = NULL;
	long long v = -1;
	va_list ap;
	int n, cpu = -1;

	va_start(ap, fmt);
	vsnprintf(spec, sizeof(spec), fmt, ap);
	va_end(ap);
	n = sscanf(spec, "%63s %63s %63s", a, b, c);
	if (n >= 2 && !strcmp(a, "nstat")) {
		struct ul_mib_entry *e = NULL;
		struct net *net = ns ? ul_net_by_name(ns) : &init_net;
		int ne = net ? ul_mib_read(net, &e) : -ENOENT;

		if (ne > 0 && ul_mib_lookup(e, ne, b, &v))
			v = -1;
		free(e);
	} else if (n == 3 && !strcmp(a, "dev")) {
		text = lab_proc(ns, "/proc/net/dev");
		if (ul_netdev_lookup(text, b, c, &v))
			v = -1;
	} else if (n == 3 && !strcmp(a, "ethtool")) {
		struct net *net = ns ? ul_net_by_name(ns) : &init_net;

		if (!net || ul_ethtool_stats(net, b, NULL, c, &v))
			v = -1;
	} else if (n == 3 && !strcmp(a, "softirqs")) {
		text = lab_proc(NULL, "/proc/softirqs");
		if (strcmp(c, "all") && sscanf(c, "cpu%d", &cpu) != 1)
			cpu = -2;
		if (cpu == -2 || ul_softirqs_lookup(text, b, cpu, &v))
			v = -1;
	} else if (n == 3 && !strcmp(a, "softnet") && sscanf(b, "cpu%d", &cpu) == 1) {
		text = lab_proc(NULL, "/proc/net/softnet_stat");
		if (ul_softnet_lookup(text, cpu, c, &v))
			v = -1;
	}
	free(text);
	return v;
}

/* ---- the trace ----------------------------------------------------------------------------- */

static const char *lab_ctx_name(int ctx)
{
	return ctx == UL_CTX_HARDIRQ ? "hardirq" : ctx == UL_CTX_SOFTIRQ ? "softirq" : "task";
}

void lab_print_path(FILE *out, size_t max_lines)
{
	size_t i, n = ul_trace_count(), lines = 0, col = 0;
	const struct ul_trace_event *prev = NULL;
	unsigned int rep = 0;

	for (i = 0; i < n && lines <= max_lines; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (prev && prev->cpu == e->cpu && prev->ctx == e->ctx &&
		    !strcmp(prev->comm, e->comm) && !strcmp(prev->func, e->func)) {
			rep++;
			continue;
		}
		if (rep)
			col += (size_t)fprintf(out, " x%u", rep + 1);
		rep = 0;
		if (!prev || prev->cpu != e->cpu || prev->ctx != e->ctx ||
		    strcmp(prev->comm, e->comm)) {
			if (prev)
				fprintf(out, "\n");
			if (++lines > max_lines)
				break;
			if (e->ctx == UL_CTX_TASK)
				col = (size_t)fprintf(out, "  CPU %u, task %-8s %s", e->cpu, e->comm,
						      e->func);
			else
				col = (size_t)fprintf(out, "  CPU %u, %-13s %s", e->cpu,
						      lab_ctx_name(e->ctx), e->func);
		} else {
			if (col > 92) {	/* wrap long runs under the first function */
				fprintf(out, "\n%27s", "");
				col = 27;
			}
			col += (size_t)fprintf(out, " -> %s", e->func);
		}
		prev = e;
	}
	if (rep)
		fprintf(out, " x%u", rep + 1);
	if (lines > max_lines)
		fprintf(out, "  ... (%zu events in all; --trace prints them)\n", n);
	else
		fprintf(out, "%s", prev ? "\n" : "  (no events)\n");
}

long lab_trace_find(const char *func, int ctx, size_t from)
{
	size_t i, n = ul_trace_count();

	for (i = from; i < n; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (!strcmp(e->func, func) && (ctx < 0 || e->ctx == ctx))
			return (long)i;
	}
	return -1;
}

long lab_trace_calls(const char *func)
{
	size_t i, n = ul_trace_count();
	long c = 0;

	for (i = 0; i < n; i++)
		c += !strcmp(ul_trace_event(i)->func, func);
	return c;
}

/* ---- /proc/interrupts ---------------------------------------------------------------------- */

/* Sum of a /proc/interrupts row's per-CPU counts (the numbers after "NN:"), and its name
 * (the rest of the line). 0 when the line is no IRQ row. */
static int irq_row(const char *line, long long *sum, char *name, size_t len, char *irq,
		   size_t irqlen)
{
	const char *p = line, *colon = strchr(line, ':'), *eol = strchr(line, '\n');
	char *end;

	if (!colon || (eol && colon > eol))
		return 0;
	while (*p == ' ')
		p++;
	snprintf(irq, irqlen, "%.*s", (int)(colon - p), p);
	p = colon + 1;
	*sum = 0;
	for (;;) {
		long long v;

		while (*p == ' ')
			p++;
		v = strtoll(p, &end, 10);
		if (end == p)
			break;
		*sum += v;
		p = end;
	}
	snprintf(name, len, "%.*s", eol ? (int)(eol - p) : (int)strlen(p), p);
	return 1;
}

void lab_print_interrupts_delta(FILE *out, const char *before, const char *after,
				const char *match, long long *total)
{
	const char *la = after ? strchr(after, '\n') : NULL;

	*total = 0;
	while (la && *++la) {
		char name[128], irq[16], nb[128], ib[16];
		long long sa, sb = 0;
		const char *lb = before ? strchr(before, '\n') : NULL;

		if (!irq_row(la, &sa, name, sizeof(name), irq, sizeof(irq)))
			break;
		while (lb && *++lb) {	/* the same IRQ in @before */
			long long s;

			if (irq_row(lb, &s, nb, sizeof(nb), ib, sizeof(ib)) && !strcmp(ib, irq)) {
				sb = s;
				break;
			}
			lb = strchr(lb, '\n');
		}
		if (strstr(name, match)) {
			fprintf(out, "  IRQ %4s %-40.40s %8lld -> %8lld (%+lld)\n", irq, name, sb,
				sa, sa - sb);
			*total += sa - sb;
		}
		la = strchr(la, '\n');
	}
}

void lab_book_beside(FILE *out, const char *book, const char *ulnet)
{
	fprintf(out, "  the book (Linux 3.10): %s\n  ulnet:                 %s\n", book, ulnet);
}

unsigned int lab_tcp_frame(u8 *buf, const struct lab_tcp_frame *f)
{
	struct iphdr *iph = (struct iphdr *)(buf + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(buf + ETH_HLEN + sizeof(*iph));
	unsigned int tcplen = (unsigned int)sizeof(*th) + f->optlen + f->plen;

	BUILD_BUG_ON(ETH_HLEN + sizeof(*iph) + sizeof(*th) != 54);
	memcpy(buf, f->dst_mac, ETH_ALEN);
	memcpy(buf + ETH_ALEN, "\x02\x00\x00\x00\x00", ETH_ALEN - 1);
	buf[2 * ETH_ALEN - 1] = f->src_mac_last;
	buf[12] = 0x08;
	buf[13] = 0x00;
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->tot_len = htons((u16)(sizeof(*iph) + tcplen));
	iph->id = htons(f->ip_id);
	if (f->df)
		iph->frag_off = htons(0x4000);
	iph->saddr = f->saddr;
	iph->daddr = f->daddr;
	iph->check = ip_fast_csum(iph, 5);
	memset(th, 0, sizeof(*th));
	th->source = htons(f->sport);
	th->dest = htons(f->dport);
	th->seq = htonl(f->seq);
	th->ack_seq = htonl(f->ack_seq);
	th->doff = (u16)((sizeof(*th) + f->optlen) / 4);
	th->syn = f->syn;
	th->ack = f->ack;
	th->window = htons(f->window);
	if (f->optlen)
		memcpy(th + 1, f->opts, f->optlen);
	th->check = csum_tcpudp_magic(f->saddr, f->daddr, (unsigned short)tcplen, IPPROTO_TCP,
				      csum_partial(th, (int)tcplen, 0));
	return ETH_HLEN + (unsigned int)sizeof(*iph) + tcplen;
}

long lab_status_kib(const char *key)
{
	char line[256], k[64];
	long v = -1, x;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63[^:]: %ld", k, &x) == 2 && !strcmp(k, key)) {
			v = x;
			break;
		}
	fclose(f);
	return v;
}
