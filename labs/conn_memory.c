/* SPDX-License-Identifier: MIT */
/* The connection memory lab (book ch7.4): what an idle ESTABLISHED TCP connection costs in
 * kernel objects, read from /proc/slabinfo deltas per cache (the socket, its inode, file and
 * dentry, the tcp_sock), for 1,000 and 10,000 connections; a request_sock during the
 * handshake; 4 KiB of unread data per connection (the receive queue's skbs); what is left
 * after close (FIN_WAIT2, CLOSE_WAIT, TIME_WAIT).
 * Mirrors no kernel file: an experiment on net/socket.c (sock_alloc, sock_alloc_file),
 * net/core/sock.c (sk_alloc, sk_clone_lock), net/ipv4/tcp_minisocks.c (tcp_time_wait) and
 * inet_timewait_sock.c, measured as slabtop measures it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/netfilter.h"
#include "linux/skbuff.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define CM_N1	 1000
#define CM_N2	 10000
#define CM_NREQ	 100	/* connections caught in the handshake */
#define CM_PORT	 80
#define CM_PORT2 81
#define CM_PORTR 82

/* The caches a connection touches, in the book's order; then any other that moved. */
static const char *const cm_caches[] = {
	"TCP", "sock_inode_cache", "filp", "dentry", "request_sock_TCP", "tw_sock_TCP",
	"tcp_bind_bucket", "kmalloc-64", "ip_dst_cache", "inet_peer_cache",
};

/* Print one table row per cache that moved between the snapshots (in @ncol columns), with
 * bytes per connection of the last column; returns the total bytes per connection * @n. */
static long long cm_table(FILE *out, const struct lab_slabs *const *snap, int ncol,
			  const char *const *colname, int n)
{
	long long total = 0;
	int i, k;
	bool shown[LAB_SLABS_MAX] = { false };
	const struct lab_slabs *last = snap[ncol];

	fprintf(out, "  %-18s %7s", "cache", "objsize");
	for (k = 0; k < ncol; k++)
		fprintf(out, " %12s", colname[k]);
	fprintf(out, " %10s\n", "bytes/conn");
	/* The known caches first, then any other that moved. */
	for (i = 0; i < (int)ARRAY_SIZE(cm_caches) + last->n; i++) {
		const char *name = i < (int)ARRAY_SIZE(cm_caches) ? cm_caches[i]
								 : last->c[i - ARRAY_SIZE(cm_caches)].name;
		long long size = 0, d, sum = 0;
		bool moved = false;
		int j;

		for (j = 0; j < last->n; j++)
			if (!strcmp(last->c[j].name, name)) {
				if (shown[j])
					goto next;
				shown[j] = true;
			}
		for (k = 0; k < ncol; k++)
			moved |= lab_slabs_delta(snap[k], snap[k + 1], name, &size) != 0;
		if (!moved)
			continue;
		fprintf(out, "  %-18s %7lld", name, size);
		for (k = 0; k < ncol; k++) {
			d = lab_slabs_delta(snap[k], snap[k + 1], name, NULL);
			sum += d;
			fprintf(out, " %+12lld", d);
		}
		fprintf(out, " %10.1f\n", (double)(sum * size) / n);
		total += sum * size;
next:;
	}
	fprintf(out, "  %-18s %7s", "total", "");
	for (k = 0; k < ncol; k++)
		fprintf(out, " %12s", "");
	fprintf(out, " %10.1f  (%.2f KB)\n", (double)total / n, (double)total / n / 1024);
	return total;
}

/* ---- the handshake held open: hostb's PRE_ROUTING drops pure ACKs to CM_PORTR ---- */

/* DIVERGES: iptables --tcp-flags ALL ACK -j DROP on Linux; ulnet's iptables has no
 * --tcp-flags yet, so a netfilter hook plays that rule. */

static unsigned int cm_lose_ack(unsigned int hooknum, struct sk_buff *skb,
				const struct net_device *in, const struct net_device *out,
				int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	if (iph->protocol == IPPROTO_TCP && ntohs(th->dest) == CM_PORTR && th->ack && !th->syn &&
	    !th->rst && !th->fin)
		return NF_DROP;
	return NF_ACCEPT;
}

static struct nf_hook_ops cm_lose_ops = {
	.hook = cm_lose_ack,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	.priority = 0,
};

/* @n connections to @port: snapshots after socket(), after the handshake, after accept(). */
static int cm_open(struct lab_conns *c, int port, int n, struct lab_slabs *s)
{
	int i, lfd = lab_tcp_listen(LAB_NS_B, NULL, port, 65535);

	if (lfd < 0)
		return lfd;
	c->lfd[c->nl++] = lfd;
	lab_slabs_read(&s[0]);
	for (i = 0; i < n; i++)
		if (lab_conns_socket(c, NULL) < 0)
			return -c->err;
	lab_slabs_read(&s[1]);
	/* Handshakes without accept: keep the listeners out of lab_conns_connect's reach. */
	c->nl = 0;
	if (lab_conns_connect(c, 0, LAB_ADDR_B, port)) {
		c->lfd[c->nl++] = lfd;
		return -c->err;
	}
	c->lfd[c->nl++] = lfd;
	lab_slabs_read(&s[2]);
	lab_conns_accept(c);
	lab_slabs_read(&s[3]);
	return c->ns == n ? 0 : -EPROTO;
}

/* What the lab measured. */
struct cm_run {
	struct lab_conns c1, c2, cr;	/* 1,000; 10,000; the held handshakes */
	struct lab_slabs s[14];		/* /proc/slabinfo snapshots */
	long long tot1, tot2, req_d, req_size, tw_total, fw2_total;
	long long tcp_size, tcp_d1, inode_d1, filp_d1, dentry_d1, tcp_d2, tw_d, tw_size;
	long long cli_bytes, srv_bytes, fin_skbs;
	int estab;
	/* 5: 4 KiB unread per connection, on CM_N1 new connections */
	struct lab_conns cd;
	struct lab_slabs sdo[4], sd[3];
	long long data_total, data_skbs, data_after;
	long pages[3];		/* pages in use at sd[0..2]: where igb's receive data lives */
	int data_sent, data_read;
};

/* 1. 1,000 connections, step by step. */
static int cm_thousand(struct ul_lab_ctx *ctx, struct cm_run *r)
{
	static const char *const cols3[] = { "socket()", "handshake", "accept()" };
	FILE *out = ul_lab_out(ctx);
	const struct lab_slabs *cols[4];
	int i, err;

	fprintf(out, "\n1. %d idle connections hosta -> %s:%d; /proc/slabinfo active objects "
		     "(delta) after each step:\n", CM_N1, LAB_ADDR_B, CM_PORT);
	err = cm_open(&r->c1, CM_PORT, CM_N1, &r->s[0]);
	if (err)
		return err;
	for (i = 0; i < 4; i++)
		cols[i] = &r->s[i];
	r->tot1 = cm_table(out, cols, 3, cols3, CM_N1);
	r->tcp_d1 = lab_slabs_delta(&r->s[0], &r->s[3], "TCP", &r->tcp_size);
	r->inode_d1 = lab_slabs_delta(&r->s[0], &r->s[3], "sock_inode_cache", NULL);
	r->filp_d1 = lab_slabs_delta(&r->s[0], &r->s[3], "filp", NULL);
	r->dentry_d1 = lab_slabs_delta(&r->s[0], &r->s[3], "dentry", NULL);
	/* The client's share: everything its socket() calls allocated, plus its ports' bind
	 * buckets at connect(); the server's: the rest. */
	{
		long long size;

		r->cli_bytes = lab_slabs_bytes(&r->s[0], &r->s[1]);
		r->cli_bytes += lab_slabs_delta(&r->s[1], &r->s[2], "tcp_bind_bucket", &size) * size;
		r->srv_bytes = r->tot1 - r->cli_bytes;
	}
	fprintf(out, "  client side (socket() + its port's bind bucket): %.1f bytes per "
		     "connection; server side (the child tcp_sock at the handshake, the socket, "
		     "inode, file and dentry at accept()): %.1f\n",
		(double)r->cli_bytes / CM_N1, (double)r->srv_bytes / CM_N1);
	free(lab_view(ctx, LAB_NS_A, NULL, "slabtop -o -s c -n 6"));
	return 0;
}

/* 2. 10,000 connections: the same bytes per connection. */
static int cm_ten_thousand(struct ul_lab_ctx *ctx, struct cm_run *r)
{
	static const char *const grep_s[] = { "TCP:", NULL };
	FILE *out = ul_lab_out(ctx);
	int i, err;

	fprintf(out, "\n2. %d more idle connections (to :%d):\n", CM_N2, CM_PORT2);
	err = cm_open(&r->c2, CM_PORT2, CM_N2, &r->s[4]);
	if (err)
		return err;
	{
		const struct lab_slabs *two[2] = { &r->s[4], &r->s[7] };
		static const char *const cols1[] = { "all steps" };

		r->tot2 = cm_table(out, two, 1, cols1, CM_N2);
	}
	r->tcp_d2 = lab_slabs_delta(&r->s[4], &r->s[7], "TCP", NULL);
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	lab_enter(LAB_NS_A);
	for (i = 0; i < r->c2.nc; i++)
		r->estab += lab_tcp_state(r->c2.cfd[i]) == TCP_ESTABLISHED;
	lab_conns_free(&r->c2);		/* the connections and their listener */
	ul_run_for(61 * LAB_SEC);	/* their TIME_WAIT runs out */
	return 0;
}

/* 5. Data queued: CM_N1 new connections, each client writes CM_DATA bytes that hostb's
 * server does not read; they wait in the server socket's receive queue (skbs charged to
 * sk_rmem_alloc). Then the server reads them. (New connections, after steps 3 and 4: data
 * on step 1's connections would change how their close goes: ACKs of the FIN delayed.) */
#define CM_DATA	 4096
#define CM_PORTD 83

/* 4 KiB pages in use (mm/page_alloc.c). */
static long cm_pages(void)
{
	struct ul_page_stats st;

	ul_page_stats_get(&st);
	return (long)st.pages;
}

/* 4 KiB pages the client sockets of @c hold as their send page (sk_frag): the senders'
 * memory, not the unread data's. Context: the clients' namespace entered. */
static long cm_send_pages(const struct lab_conns *c)
{
	long n = 0;
	int i;

	for (i = 0; i < c->nc; i++) {
		int err;
		struct socket *sock = sockfd_lookup(c->cfd[i], &err);

		if (!sock)
			continue;
		/* (The socket's own page is in its sk_rare block, net/sock.h.) */
		if (sock->sk && sock->sk->sk_rare && sock->sk->sk_rare->frag.page)
			n += 1L << compound_order(sock->sk->sk_rare->frag.page);
		sockfd_put(sock);
	}
	return n;
}

static int cm_data(struct ul_lab_ctx *ctx, struct cm_run *r)
{
	static const char *const cols1[] = { "4 KiB unread" };
	FILE *out = ul_lab_out(ctx);
	const struct lab_slabs *two[2] = { &r->sd[0], &r->sd[1] };
	char buf[CM_DATA];
	int i, err;

	fprintf(out, "\n5. %d new connections (to :%d), each with %d bytes written by hosta and "
		     "not read by hostb's server:\n", CM_N1, CM_PORTD, CM_DATA);
	err = cm_open(&r->cd, CM_PORTD, CM_N1, r->sdo);
	if (err)
		return err;
	memset(buf, 'd', sizeof(buf));
	lab_slabs_read(&r->sd[0]);
	r->pages[0] = cm_pages();
	lab_enter(LAB_NS_A);
	for (i = 0; i < r->cd.nc; i++) {
		if (ul_send(r->cd.cfd[i], buf, sizeof(buf), MSG_DONTWAIT) == (ssize_t)sizeof(buf))
			r->data_sent++;
		if (i % LAB_CONNS_BATCH == LAB_CONNS_BATCH - 1)
			ul_run_for(2 * LAB_MS);	/* a burst the qdisc and the rings can take */
	}
	ul_run_for(500 * LAB_MS);	/* delivered and ACKed: the senders' queues are empty */
	lab_slabs_read(&r->sd[1]);
	r->pages[1] = cm_pages() - cm_send_pages(&r->cd);
	r->data_total = cm_table(out, two, 1, cols1, CM_N1);
	/* The payload is in pages (3.10 igb: each segment keeps its half page as a frag), not
	 * in a slab cache: /proc/slabinfo does not show them, the page allocator does (less
	 * the pages the clients' sockets keep to copy their next writes into: sk_frag). */
	fprintf(out, "  %-18s %7lu %+12ld %10.1f\n", "pages", PAGE_SIZE, r->pages[1] - r->pages[0],
		(double)(r->pages[1] - r->pages[0]) * PAGE_SIZE / CM_N1);
	r->data_total += (long long)(r->pages[1] - r->pages[0]) * (long long)PAGE_SIZE;
	fprintf(out, "  total with the pages %27.1f  (%.2f KB)\n",
		(double)r->data_total / CM_N1, (double)r->data_total / CM_N1 / 1000.0);
	r->data_skbs = lab_slabs_delta(&r->sd[0], &r->sd[1], "skbuff_head_cache", NULL);
	fprintf(out, "  %.1f bytes per connection for %d bytes of data (%.2f sk_buffs per "
		     "connection in the receive queue)\n",
		(double)r->data_total / CM_N1, CM_DATA, (double)r->data_skbs / CM_N1);
	lab_enter(LAB_NS_B);
	for (i = 0; i < r->cd.ns; i++) {
		int g = 0;

		while (++g < 16) {
			ssize_t n = ul_recv(r->cd.sfd[i], buf, sizeof(buf), MSG_DONTWAIT);

			if (n <= 0)
				break;
			r->data_read += (int)n;
		}
	}
	ul_run_for(500 * LAB_MS);	/* the window updates */
	lab_slabs_read(&r->sd[2]);
	lab_enter(LAB_NS_A);
	r->pages[2] = cm_pages() - cm_send_pages(&r->cd);
	r->data_after = lab_slabs_bytes(&r->sd[0], &r->sd[2]) +
			(long long)(r->pages[2] - r->pages[0]) * (long long)PAGE_SIZE;
	fprintf(out, "  read by the server: %d bytes; left over after the read: %lld bytes in "
		     "all\n", r->data_read, r->data_after);
	return 0;
}

/* 3. Close: the client first (FIN_WAIT2 / CLOSE_WAIT), then the server (TIME_WAIT). */
static void cm_close(struct ul_lab_ctx *ctx, struct cm_run *r)
{
	static const char *const grep_s[] = { "TCP:", NULL };
	FILE *out = ul_lab_out(ctx);

	fprintf(out, "\n3. The %d connections of step 1 closed, hosta first:\n", CM_N1);
	lab_slabs_read(&r->s[9]);
	lab_conns_close(&r->c1, true, false);
	lab_slabs_read(&r->s[10]);
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	{
		const struct lab_slabs *two[2] = { &r->s[9], &r->s[10] };
		static const char *const cols1[] = { "hosta close" };

		fprintf(out, "  after hosta's close (hosta FIN_WAIT2, hostb CLOSE_WAIT), what was "
			     "freed or added per connection:\n");
		r->fw2_total = cm_table(out, two, 1, cols1, CM_N1);
		r->fin_skbs = lab_slabs_delta(&r->s[9], &r->s[10], "skbuff_head_cache", NULL);
	}
	lab_conns_close(&r->c1, false, true);
	lab_slabs_read(&r->s[11]);
	free(lab_view(ctx, LAB_NS_A, grep_s, "ss -s"));
	{
		const struct lab_slabs *two[2] = { &r->s[0], &r->s[11] };
		static const char *const cols1[] = { "left" };

		fprintf(out, "  after hostb's close too (hosta TIME_WAIT), what is left per "
			     "connection (compared with before step 1):\n");
		r->tw_total = cm_table(out, two, 1, cols1, CM_N1);
	}
	r->tw_d = lab_slabs_delta(&r->s[0], &r->s[11], "tw_sock_TCP", &r->tw_size);
}

/* 4. During the handshake: the third ACKs dropped, the requests wait in SYN_RECV. */
static void cm_handshake(struct ul_lab_ctx *ctx, struct cm_run *r)
{
	FILE *out = ul_lab_out(ctx);
	int i;

	fprintf(out, "\n4. %d handshakes held in SYN_RECV (hostb drops the third ACKs to :%d):\n",
		CM_NREQ, CM_PORTR);
	nf_register_hook(&cm_lose_ops);
	{
		int lfd = lab_tcp_listen(LAB_NS_B, NULL, CM_PORTR, 65535);

		if (lfd >= 0)
			r->cr.lfd[r->cr.nl++] = lfd;
		lab_slabs_read(&r->s[12]);
		for (i = 0; i < CM_NREQ; i++)
			lab_conns_socket(&r->cr, NULL);
		lab_conns_connect(&r->cr, 0, LAB_ADDR_B, CM_PORTR);
		lab_slabs_read(&r->s[13]);
	}
	nf_unregister_hook(&cm_lose_ops);
	r->req_d = lab_slabs_delta(&r->s[12], &r->s[13], "request_sock_TCP", &r->req_size);
	fprintf(out, "  request_sock_TCP %+lld objects of %lld bytes; TCP %+lld (the clients' own "
		     "sockets: the server has no tcp_sock yet)\n",
		r->req_d, r->req_size, lab_slabs_delta(&r->s[12], &r->s[13], "TCP", NULL));
	lab_conns_close(&r->cr, true, true);
}

static void cm_answer(FILE *out, const struct cm_run *r)
{
	fprintf(out, "\nThe book's figures beside ulnet's (ch7.4; Linux 3.10.4's own sizes in "
		     "facts.md section 5.3):\n");
	{
		char line[240];

		snprintf(line, sizeof(line), "client %.2f KB, server %.2f KB per connection; "
			 "TCP %lld B; 10,000 connections take %.1f MB (both ends; %.1f MB one end)",
			 (double)r->cli_bytes / CM_N1 / 1024, (double)r->srv_bytes / CM_N1 / 1024,
			 r->tcp_size, (double)r->tot2 / 1e6, (double)r->tot2 / 2e6);
		lab_book_beside(out, "client 3.34 KB, server 3.05 KB per connection; TCP 1.94 KB, "
				     "sock_inode_cache 0.62, dentry 0.19, filp 0.25: about 3.3 KB; "
				     "10,000 connections take about 33 MB (one end)", line);
		snprintf(line, sizeof(line), "TIME_WAIT %.0f B per connection (tw_sock_TCP %lld B)",
			 (double)r->tw_total / CM_N1, r->tw_size);
		lab_book_beside(out, "TIME_WAIT 0.34-0.41 KB (only a 0.25 KB tw_sock_TCP remains); "
				     "Linux 3.10.4: tw_sock_TCP 192 B, tcp_sock 1728 B, server side "
				     "2880 B without epoll", line);
	}
	fprintf(out,
		"\nAnswer: an idle connection costs no buffer memory (its queues are empty); it "
		"costs its kernel objects. On each end: the struct socket and its inode "
		"(sock_inode_cache), a struct file (filp) and a dentry for the fd, and the "
		"tcp_sock (TCP), which is by far the largest (%lld B in ulnet, 1728 B in Linux "
		"3.10.4). The client allocates all of it in socket(); the server allocates the "
		"tcp_sock when the handshake completes (sk_clone_lock, in softirq) and the rest "
		"only in accept(). Together about %.0f B per connection per end here (the book "
		"measured about 3.3 KB on CentOS, whose objects are bigger), the same for 1,000 "
		"and 10,000 connections: memory grows linearly with the number of connections. A "
		"handshake in progress costs one request_sock (%lld B). When the client closes "
		"first, its orphan becomes a small TIME_WAIT sock in substate FIN_WAIT2 while the "
		"server, in CLOSE_WAIT, keeps everything until it closes too%s; a TIME_WAIT "
		"connection then costs only its tw_sock (%lld B here, plus its port's bind "
		"bucket). Data the application has not read is another matter: 4 KiB unread "
		"held %.2f sk_buffs and %.0f B per connection, more than the connection itself, "
		"because each received segment keeps the whole buffer the NIC wrote it into "
		"(igb receives into half pages, which stay attached to the skb as a page frag "
		"and are charged 2 KiB each, with a small head for the headers; frames of at "
		"most 256 bytes are copied into the head and the half page is reused); all of "
		"it is freed when the application reads.\n\nChecks:\n",
		r->tcp_size, (double)r->tot1 / CM_N1 / 2, r->req_size,
		r->fin_skbs >= CM_N1 ? " (and the FIN's skb, queued on its receive queue until the "
				    "application reads the end of the stream)" : "",
		r->tw_size, (double)r->data_skbs / CM_N1, (double)r->data_total / CM_N1);
}

static void cm_checks(struct ul_lab_ctx *ctx, const struct cm_run *r)
{
	ul_lab_check(ctx, "4 KiB unread: every write taken, at least 4096 bytes per connection",
		     r->data_sent == CM_N1 && r->data_total >= (long long)CM_DATA * CM_N1,
		     "%d writes, %lld bytes", r->data_sent, r->data_total);
	ul_lab_check(ctx, "4 KiB unread: sk_buffs wait in the receive queues",
		     r->data_skbs >= CM_N1, "skbuff_head_cache %+lld", r->data_skbs);
	ul_lab_check(ctx, "4 KiB read: the data and its skbs are freed",
		     r->data_read == CM_DATA * CM_N1 && r->data_after < r->data_total / 10,
		     "read %d bytes, %lld bytes left", r->data_read, r->data_after);
	ul_lab_check(ctx, "1,000 connections: one tcp_sock, socket inode, file and dentry per end",
		     r->tcp_d1 == 2 * CM_N1 && r->inode_d1 == 2 * CM_N1 && r->filp_d1 == 2 * CM_N1 &&
			     r->dentry_d1 == 2 * CM_N1,
		     "TCP %+lld sock_inode_cache %+lld filp %+lld dentry %+lld", r->tcp_d1, r->inode_d1,
		     r->filp_d1, r->dentry_d1);
	ul_lab_check(ctx, "the server's tcp_sock appears at the handshake, before accept()",
		     lab_slabs_delta(&r->s[1], &r->s[2], "TCP", NULL) == CM_N1 &&
			     lab_slabs_delta(&r->s[2], &r->s[3], "TCP", NULL) == 0 &&
			     lab_slabs_delta(&r->s[2], &r->s[3], "filp", NULL) == CM_N1,
		     "TCP at the handshake %+lld, at accept %+lld",
		     lab_slabs_delta(&r->s[1], &r->s[2], "TCP", NULL),
		     lab_slabs_delta(&r->s[2], &r->s[3], "TCP", NULL));
	ul_lab_check(ctx, "10,000 connections: all ESTABLISHED, 2 tcp_socks each",
		     r->estab == CM_N2 && r->tcp_d2 == 2 * CM_N2, "%d ESTABLISHED, TCP %+lld", r->estab,
		     r->tcp_d2);
	ul_lab_check(ctx, "memory grows linearly: the same bytes per connection (within 2%) at "
			  "1,000 and 10,000", r->tot2 / CM_N2 * 100 >= r->tot1 / CM_N1 * 98 &&
			  r->tot2 / CM_N2 * 100 <= r->tot1 / CM_N1 * 102, "%lld vs %lld",
		     r->tot1 / CM_N1, r->tot2 / CM_N2);
	ul_lab_check(ctx, "a handshake in progress holds one request_sock_TCP",
		     r->req_d == CM_NREQ, "request_sock_TCP %+lld", r->req_d);
	ul_lab_check(ctx, "after the client's close: each client socket became a tw_sock",
		     lab_slabs_delta(&r->s[9], &r->s[10], "tw_sock_TCP", NULL) == CM_N1 &&
			     lab_slabs_delta(&r->s[9], &r->s[10], "TCP", NULL) == -CM_N1,
		     "tw_sock_TCP %+lld TCP %+lld",
		     lab_slabs_delta(&r->s[9], &r->s[10], "tw_sock_TCP", NULL),
		     lab_slabs_delta(&r->s[9], &r->s[10], "TCP", NULL));
	ul_lab_check(ctx, "TIME_WAIT: only a tw_sock_TCP (and the port's bind bucket) is left",
		     r->tw_d == CM_N1 && lab_slabs_delta(&r->s[0], &r->s[11], "TCP", NULL) == 0 &&
			     lab_slabs_delta(&r->s[0], &r->s[11], "filp", NULL) == 0,
		     "tw_sock_TCP %+lld TCP %+lld", r->tw_d,
		     lab_slabs_delta(&r->s[0], &r->s[11], "TCP", NULL));
	ul_lab_evidence(ctx, "bytes_per_conn_both_ends", "%lld", r->tot1 / CM_N1);
	ul_lab_evidence(ctx, "client_bytes", "%lld", r->cli_bytes / CM_N1);
	ul_lab_evidence(ctx, "server_bytes", "%lld", r->srv_bytes / CM_N1);
	ul_lab_evidence(ctx, "bytes_per_conn_10000", "%lld", r->tot2 / CM_N2);
	ul_lab_evidence(ctx, "request_sock_bytes", "%lld", r->req_size);
	ul_lab_evidence(ctx, "time_wait_bytes", "%lld", r->tw_total / CM_N1);
	ul_lab_evidence(ctx, "fin_wait2_delta_bytes", "%lld", r->fw2_total / CM_N1);
	ul_lab_evidence(ctx, "data_4k_bytes_per_conn", "%lld", r->data_total / CM_N1);
}

static int lab_conn_memory(struct ul_lab_ctx *ctx)
{
	struct cm_run *r = calloc(1, sizeof(*r));
	struct rlimit rl = { 65536, 65536 };
	int err;

	if (!r)
		return -ENOMEM;
	err = lab_boot(ctx, 2);
	if (err) {
		free(r);
		return err;
	}
	fprintf(ul_lab_out(ctx), "Setup: two hosts with an igb NIC each, wired back to back; "
				 "hostb listens (somaxconn 65535) and accepts; hosta connects; the "
				 "lab's fd limit raised (ulimit -n 65536). Both hosts live in one "
				 "process, so one /proc/slabinfo counts both ends of each "
				 "connection.\n");
	err = lab_two_hosts(ctx, 1, 1024);
	if (!err)
		err = ul_setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
	if (!err)
		err = lab_sh(ctx, LAB_NS_B, false, "sysctl -w net.core.somaxconn=65535");
	if (!err)
		err = lab_conns_alloc(&r->c1, LAB_NS_A, LAB_NS_B, CM_N1);
	if (!err)
		err = lab_conns_alloc(&r->c2, LAB_NS_A, LAB_NS_B, CM_N2);
	if (!err)
		err = lab_conns_alloc(&r->cr, LAB_NS_A, LAB_NS_B, CM_NREQ);
	if (!err)
		err = lab_conns_alloc(&r->cd, LAB_NS_A, LAB_NS_B, CM_N1);
	if (err)
		goto out;
	lab_warm_neigh(LAB_NS_A, LAB_NS_B, LAB_ADDR_B);
	err = cm_thousand(ctx, r);
	if (!err)
		err = cm_ten_thousand(ctx, r);
	if (err)
		goto out;
	cm_close(ctx, r);
	cm_handshake(ctx, r);
	err = cm_data(ctx, r);
	if (err)
		goto out;
	cm_answer(ul_lab_out(ctx), r);
	cm_checks(ctx, r);
out:
	lab_conns_free(&r->cd);
	lab_conns_free(&r->cr);
	lab_conns_free(&r->c2);
	lab_conns_free(&r->c1);
	ul_run_for(10 * LAB_MS);
	lab_shutdown(ctx);
	free(r);
	return err;
}

const struct ul_lab lab_def_conn_memory = {
	"conn-memory", "ch7",
	"How much kernel memory does an idle TCP connection take, during the handshake, "
	"ESTABLISHED and in TIME_WAIT?",
	lab_conn_memory,
};
