/* SPDX-License-Identifier: MIT */
/* Shared pieces of the book's TCP labs (ch6-ch8): listeners and connects from the lab's
 * thread, socket and listener state, views printed and kept, slab counts, a segment recorder.
 * Mirrors no kernel file: lab plumbing over the ul_ socket calls, the views and a netfilter
 * LOCAL_OUT hook (what tcpdump -i any 'tcp' would show of the segments a host sends). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "linux/fs.h"
#include "linux/in.h"
#include "linux/net.h"
#include "linux/netfilter.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "net/inet_connection_sock.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/request_sock.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "views/views.h"
#include "book.h"
#include "tcp_book.h"

struct sockaddr_in lab_sin(const char *ip, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (!ip || inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		sin.sin_addr.s_addr = htonl(INADDR_ANY);
	return sin;
}

void lab_enter(const char *ns)
{
	struct net *net = ns ? ul_net_by_name(ns) : NULL;

	current->net = net ? net : &init_net;
}

int lab_tcp_listen(const char *ns, const char *ip, int port, int backlog)
{
	struct sockaddr_in sin = lab_sin(ip, port);
	int fd, one = 1, err;

	lab_enter(ns);
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(fd, backlog)) {
		err = -errno;
		ul_close(fd);
		return err;
	}
	return fd;
}

int lab_tcp_connect(const char *ns, const char *src, const char *dst, int port)
{
	struct sockaddr_in to = lab_sin(dst, port);
	int fd, err;

	lab_enter(ns);
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (src) {
		struct sockaddr_in me = lab_sin(src, 0);

		if (ul_bind(fd, (struct sockaddr *)&me, sizeof(me))) {
			err = -errno;
			ul_close(fd);
			return err;
		}
	}
	if (ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS) {
		err = -errno;
		ul_close(fd);
		return err;
	}
	return fd;
}

static struct sock *lab_sk_of(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	if (!sock)
		return NULL;
	sk = sock->sk;
	sockfd_put(sock);
	return sk;
}

int lab_tcp_state(int fd)
{
	struct sock *sk = lab_sk_of(fd);

	return sk ? sk->sk_state : -EBADF;
}

const char *lab_tcp_state_name(int state)
{
	/* iproute2's sstate_name[] (misc/ss.c), indexed by TCP_*, except TCP_CLOSE: ss says
	 * UNCONN, a TCP reader expects CLOSE. */
	static const char *const names[] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};

	return state >= 0 && state < (int)(sizeof(names) / sizeof(names[0])) ? names[state]
									     : "?";
}

int lab_listen_queues(int fd, int *acc, int *acc_max, int *syn, int *syn_max)
{
	struct sock *sk = lab_sk_of(fd);
	struct listen_sock *lopt;

	if (!sk || sk->sk_state != TCP_LISTEN)
		return -EBADF;
	lopt = inet_csk(sk)->icsk_accept_queue.listen_opt;
	*acc = (int)sk->sk_ack_backlog;
	*acc_max = (int)sk->sk_max_ack_backlog;
	*syn = lopt ? lopt->qlen : 0;
	*syn_max = lopt ? (int)lopt->nr_table_entries : 0;
	return 0;
}

/* ---- views ---------------------------------------------------------------------------------- */

char *lab_view(struct ul_lab_ctx *ctx, const char *ns, const char *const *grep,
	       const char *fmt, ...)
{
	FILE *out = ul_lab_out(ctx), *mem;
	char line[256], copy[256], *argv[16], *text = NULL, *p, *nl, *save = NULL;
	size_t len = 0;
	va_list ap;
	int argc = 0, err;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(copy, sizeof(copy), "%s", line);
	for (p = strtok_r(copy, " ", &save); p && argc < 15; p = strtok_r(NULL, " ", &save))
		argv[argc++] = p;
	argv[argc] = NULL;
	if (ns)
		fprintf(out, "  $ ip netns exec %s %s\n", ns, line);
	else
		fprintf(out, "  $ %s\n", line);
	mem = open_memstream(&text, &len);
	if (!mem)
		return calloc(1, 1);
	err = ul_view_run(ns, argc, argv, mem, mem);
	fclose(mem);
	if (!text)
		return calloc(1, 1);
	for (p = text; *p;) {
		bool show = !grep || err;
		size_t i, n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		for (i = 0; !show && grep[i]; i++) {
			char *hit = strstr(p, grep[i]);

			show = hit && hit < p + n;
		}
		if (show)
			fprintf(out, "    %.*s\n", (int)n, p);
		if (!nl)
			break;
		p = nl + 1;
	}
	return text;
}

long long lab_slab(const char *cache, const char *field)
{
	char *text = lab_proc(NULL, "/proc/slabinfo");
	long long v = -1;

	if (ul_slab_lookup(text, cache, field, &v))
		v = -1;
	free(text);
	return v;
}

/* ---- the segment recorder ------------------------------------------------------------------- */

static struct lab_seg *rec_segs;
static int rec_max, *rec_n;

static unsigned int lab_seg_hook(unsigned int hooknum, struct sk_buff *skb,
				 const struct net_device *in, const struct net_device *out,
				 int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct lab_seg *s;

	if (!rec_segs || iph->protocol != IPPROTO_TCP || *rec_n >= rec_max)
		return NF_ACCEPT;
	th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);
	s = &rec_segs[(*rec_n)++];
	s->t = ul_now_ns();
	s->flags = ((const u8 *)th)[13];
	s->saddr = iph->saddr;
	s->daddr = iph->daddr;
	s->sport = ntohs(th->source);
	s->dport = ntohs(th->dest);
	return NF_ACCEPT;
}

static struct nf_hook_ops lab_seg_ops = {
	.hook = lab_seg_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_OUT,
	.priority = 0,
};

int lab_seg_start(struct lab_seg *segs, int max, int *n)
{
	rec_segs = segs;
	rec_max = max;
	rec_n = n;
	*n = 0;
	return nf_register_hook(&lab_seg_ops);
}

void lab_seg_stop(void)
{
	if (rec_segs)
		nf_unregister_hook(&lab_seg_ops);
	rec_segs = NULL;
}

const char *lab_seg_flags(u8 flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", flags & TCPHDR_SYN ? "SYN" : "",
		 flags & TCPHDR_RST ? "RST" : "", flags & TCPHDR_FIN ? "FIN" : "",
		 flags & TCPHDR_ACK ? (flags & (TCPHDR_SYN | TCPHDR_RST | TCPHDR_FIN) ? "-ACK"
										: "ACK")
				    : "");
	return buf;
}

void lab_warm_neigh(const char *ns_tx, const char *ns_rx, const char *dst)
{
	struct lab_udp w = { .ns_rx = ns_rx, .ns_tx = ns_tx, .dst = dst, .port = 9,
			     .count = 1, .size = 10, .rx_cpu = 1 };

	lab_udp_run(&w);
}

double lab_cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- slab snapshots -------------------------------------------------------------------------- */

void lab_slabs_read(struct lab_slabs *s)
{
	char *text = lab_proc(NULL, "/proc/slabinfo"), *p, *nl;

	s->n = 0;
	for (p = text; p && *p && s->n < LAB_SLABS_MAX; p = nl + 1) {
		long long objs, num, size;
		char name[40];

		nl = strchr(p, '\n');
		if (*p != '#' && sscanf(p, "%39s %lld %lld %lld", name, &objs, &num, &size) == 4) {
			snprintf(s->c[s->n].name, sizeof(s->c[s->n].name), "%s", name);
			s->c[s->n].objs = objs;
			s->c[s->n].objsize = size;
			s->n++;
		}
		if (!nl)
			break;
	}
	free(text);
}

long long lab_slabs_delta(const struct lab_slabs *a, const struct lab_slabs *b,
			  const char *name, long long *objsize)
{
	long long va = 0, vb = 0;
	int i;

	if (objsize)
		*objsize = 0;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->c[i].name, name))
			va = a->c[i].objs;
	for (i = 0; i < b->n; i++)
		if (!strcmp(b->c[i].name, name)) {
			vb = b->c[i].objs;
			if (objsize)
				*objsize = b->c[i].objsize;
		}
	return vb - va;
}

long long lab_slabs_bytes(const struct lab_slabs *a, const struct lab_slabs *b)
{
	long long sum = 0, size;
	int i;

	for (i = 0; i < b->n; i++) {
		long long d = lab_slabs_delta(a, b, b->c[i].name, &size);

		sum += d * size;
	}
	return sum;
}

/* ---- many connections ------------------------------------------------------------------------ */

int lab_conns_alloc(struct lab_conns *c, const char *ns_c, const char *ns_s, int cap)
{
	memset(c, 0, sizeof(*c));
	c->ns_c = ns_c;
	c->ns_s = ns_s;
	c->cap = cap;
	c->cfd = calloc((size_t)cap, sizeof(int));
	c->sfd = calloc((size_t)cap, sizeof(int));
	if (!c->cfd || !c->sfd) {
		free(c->cfd);
		free(c->sfd);
		c->cfd = c->sfd = NULL;
		return -ENOMEM;
	}
	return 0;
}

int lab_conns_socket(struct lab_conns *c, const char *src)
{
	int fd, err;

	if (c->nc >= c->cap)
		return -ENOSPC;
	lab_enter(c->ns_c);
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		err = errno;
		goto fail;
	}
	if (src) {
		struct sockaddr_in me = lab_sin(src, 0);

		if (ul_bind(fd, (struct sockaddr *)&me, sizeof(me))) {
			err = errno;
			ul_close(fd);
			goto fail;
		}
	}
	c->cfd[c->nc] = fd;
	return c->nc++;
fail:
	if (!c->err)
		c->err = err;
	return -err;
}

void lab_conns_accept(struct lab_conns *c)
{
	int i, fd;

	lab_enter(c->ns_s);
	for (i = 0; i < c->nl; i++)
		while (c->ns < c->cap) {
			fd = ul_accept(c->lfd[i], NULL, NULL);
			if (fd < 0) {
				if (errno != EAGAIN && !c->err)
					c->err = errno;
				break;
			}
			c->sfd[c->ns++] = fd;
		}
}

int lab_conns_connect(struct lab_conns *c, int from, const char *dst, int port)
{
	struct sockaddr_in to = lab_sin(dst, port);
	int i, failed = 0;

	for (i = from; i < c->nc; i++) {
		lab_enter(c->ns_c);
		if (ul_connect(c->cfd[i], (struct sockaddr *)&to, sizeof(to)) &&
		    errno != EINPROGRESS) {
			if (!c->err)
				c->err = errno;
			failed++;
		}
		if ((i - from + 1) % LAB_CONNS_BATCH == 0) {
			ul_run_for(2 * LAB_MS);
			lab_conns_accept(c);
		}
	}
	ul_run_for(5 * LAB_MS);
	lab_conns_accept(c);
	return failed;
}

void lab_conns_close(struct lab_conns *c, bool client, bool server)
{
	int i;

	for (i = 0; client && i < c->nc; i++) {
		lab_enter(c->ns_c);
		ul_close(c->cfd[i]);
		if ((i + 1) % LAB_CONNS_BATCH == 0)
			ul_run_for(2 * LAB_MS);
	}
	if (client) {
		c->nc = 0;
		ul_run_for(5 * LAB_MS);
	}
	for (i = 0; server && i < c->ns; i++) {
		lab_enter(c->ns_s);
		ul_close(c->sfd[i]);
		if ((i + 1) % LAB_CONNS_BATCH == 0)
			ul_run_for(2 * LAB_MS);
	}
	if (server) {
		c->ns = 0;
		ul_run_for(5 * LAB_MS);
	}
}

void lab_conns_free(struct lab_conns *c)
{
	int i;

	if (c->cfd && c->sfd)
		lab_conns_close(c, true, true);
	lab_enter(c->ns_s);
	for (i = 0; i < c->nl; i++)
		ul_close(c->lfd[i]);
	c->nl = 0;
	free(c->cfd);
	free(c->sfd);
	c->cfd = c->sfd = NULL;
	lab_enter(NULL);
}
