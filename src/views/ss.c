/* SPDX-License-Identifier: MIT */
/* The ss view: iproute2's ss(8) socket list and summary, read from the protocols' own tables
 * (TCP listening/established hashes, udp_table, unix_socket_table) as sock_diag reads them.
 * Mirrors no kernel file: it plays iproute2 6.x misc/ss.c (columns, compact rendering when
 * the output is not a terminal, -e -m -i -p texts, print_summary) over what 3.10's
 * inet_diag/udp_diag/unix_diag would report (inet_diag_fill: idiag_rqueue/idiag_wqueue,
 * sock_diag_put_meminfo, tcp_get_info).
 *
 * Context: process (the CLI or a scenario), a stack booted; the walkers take the tables'
 * locks, rows are formatted after they are released. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "linux/seq_file.h"
#include "linux/socket.h"
#include "linux/tcp.h"
#include "net/af_unix.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/inet_sock.h"
#include "net/inet_timewait_sock.h"
#include "net/net_namespace.h"
#include "net/request_sock.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "net/tcp_states.h"
#include "net/udp.h"
#include "views/views.h"

/* ss's "databases" (its -t -u -x -w selection). */
#define SS_DB_TCP	(1 << 0)
#define SS_DB_UDP	(1 << 1)
#define SS_DB_RAW	(1 << 2)
#define SS_DB_USTR	(1 << 3)
#define SS_DB_UDGR	(1 << 4)
#define SS_DB_USEQ	(1 << 5)
#define SS_DB_UNIX	(SS_DB_USTR | SS_DB_UDGR | SS_DB_USEQ)
#define SS_DB_ALL	(SS_DB_TCP | SS_DB_UDP | SS_DB_RAW | SS_DB_UNIX)

/* ss's SS_* states are the kernel's TCP_* numbers (TCP_CLOSE is "UNCONN"). */
#define SS_MAX		12
#define SS_ALL		((1 << SS_MAX) - 1)
#define SS_CONN		(SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE) | \
				    (1 << TCP_TIME_WAIT) | (1 << TCP_SYN_RECV)))

static const char *const ss_state_name[SS_MAX] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
};

/* The columns of ss 6.x: header, left delimiter, right alignment. */
enum { COL_NETID, COL_STATE, COL_RECVQ, COL_SENDQ, COL_ADDR, COL_SERV, COL_RADDR,
	COL_RSERV, COL_PROC, COL_MAX };

static const struct {
	const char *header, *ldelim;
	bool right;
} ss_cols[COL_MAX] = {
	{ "Netid", "", false }, { "State", " ", false }, { "Recv-Q", " ", false },
	{ "Send-Q", " ", false }, { "Local Address:", " ", true }, { "Port", "", false },
	{ "Peer Address:", " ", true }, { "Port", "", false }, { "Process", "", false },
};

struct ss_row {
	int db;
	int state;
	char *col[COL_MAX];
	unsigned long ino;
	char users[256];
};

struct ss_opts {
	int dbs, states;
	bool numeric, ext, mem, info, proc, summary;
	int sport, dport;	/* -1: any */
};

struct ss_list {
	const struct ss_opts *o;
	struct net *net;
	struct ss_row *rows;
	int n, cap;
	int err;
	/* ss -s counts (this namespace). */
	int tcp_inuse, tcp_tw, tcp_orphans, udp_inuse;
};

static char *ss_strdup(const char *s)
{
	return strdup(s ? s : "");
}

static struct ss_row *ss_row_new(struct ss_list *l)
{
	struct ss_row *r;

	if (l->err)
		return NULL;
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		struct ss_row *nr = realloc(l->rows, (size_t)cap * sizeof(*nr));

		if (!nr) {
			l->err = -ENOMEM;
			return NULL;
		}
		l->rows = nr;
		l->cap = cap;
	}
	r = &l->rows[l->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void ss_row_set(struct ss_list *l, struct ss_row *r, int col, const char *text)
{
	r->col[col] = ss_strdup(text);
	if (!r->col[col])
		l->err = -ENOMEM;
}

static void ss_free_rows(struct ss_list *l)
{
	int i, c;

	for (i = 0; i < l->n; i++)
		for (c = 0; c < COL_MAX; c++)
			free(l->rows[i].col[c]);
	free(l->rows);
	l->rows = NULL;
	l->n = l->cap = 0;
}

/* Growing text for the Process column's extra details (-e, -m, -i). */
struct ss_buf {
	char s[1024];
	size_t len;
};

static void __attribute__((format(printf, 2, 3))) ss_out(struct ss_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len >= sizeof(b->s) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, sizeof(b->s) - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < sizeof(b->s) ? b->len + (size_t)n : sizeof(b->s) - 1;
}

static void ss_inet_addr(char *buf, size_t len, __be32 addr)
{
	const u8 *a = (const u8 *)&addr;

	snprintf(buf, len, "%u.%u.%u.%u:", a[0], a[1], a[2], a[3]);
}

static void ss_port(char *buf, size_t len, unsigned int port)
{
	/* DIVERGES: without -n, ss names ports from /etc/services; ulnet always prints the
	 * number, so the output does not depend on the host's files. */
	if (!port)
		snprintf(buf, len, "*");
	else
		snprintf(buf, len, "%u", port);
}

/* print_skmeminfo with 3.10's eight SK_MEMINFO_* values. */
static void ss_skmem(struct ss_buf *b, struct sock *sk)
{
	ss_out(b, " skmem:(r%u,rb%u,t%u,tb%u,f%u,w%u,o%u,bl%u)",
	       (unsigned int)atomic_read(&sk->sk_rmem_alloc), (unsigned int)sk->sk_rcvbuf,
	       (unsigned int)(atomic_read(&sk->sk_wmem_alloc) > 0 ?
			      atomic_read(&sk->sk_wmem_alloc) - 1 : 0),
	       (unsigned int)sk->sk_sndbuf, (unsigned int)sk->sk_forward_alloc,
	       (unsigned int)sk->sk_wmem_queued, (unsigned int)atomic_read(&sk->sk_omem_alloc),
	       (unsigned int)sk->sk_backlog.len);
}

static void ss_bw(char *buf, size_t len, double bw)
{
	if (bw > 1000000000.)
		snprintf(buf, len, "%.1fG", bw / 1000000000.);
	else if (bw > 1000000.)
		snprintf(buf, len, "%.1fM", bw / 1000000.);
	else if (bw > 1000.)
		snprintf(buf, len, "%.1fK", bw / 1000.);
	else
		snprintf(buf, len, "%g", bw);
}

/* tcp_show_info/tcp_stats_print of ss over 3.10's struct tcp_info. */
static void ss_tcp_info(struct ss_buf *b, const struct sock *sk)
{
	struct tcp_info i;
	char bw[32];

	tcp_get_info(sk, &i);
	if (i.tcpi_options & TCPI_OPT_TIMESTAMPS)
		ss_out(b, " ts");
	if (i.tcpi_options & TCPI_OPT_SACK)
		ss_out(b, " sack");
	/* INET_DIAG_CONG: the socket's congestion control (icsk_ca_ops->name). */
	if (inet_csk_ca_ops(sk) && inet_csk_ca_ops(sk)->name[0])
		ss_out(b, " %s", inet_csk_ca_ops(sk)->name);
	if (i.tcpi_options & TCPI_OPT_WSCALE)
		ss_out(b, " wscale:%d,%d", i.tcpi_snd_wscale, i.tcpi_rcv_wscale);
	if (i.tcpi_rto && i.tcpi_rto != 3000000)
		ss_out(b, " rto:%g", (double)i.tcpi_rto / 1000);
	if (i.tcpi_backoff)
		ss_out(b, " backoff:%u", i.tcpi_backoff);
	if (i.tcpi_rtt)
		ss_out(b, " rtt:%g/%g", (double)i.tcpi_rtt / 1000, (double)i.tcpi_rttvar / 1000);
	if (i.tcpi_ato)
		ss_out(b, " ato:%g", (double)i.tcpi_ato / 1000);
	if (i.tcpi_snd_mss)
		ss_out(b, " mss:%u", i.tcpi_snd_mss);
	if (i.tcpi_pmtu)
		ss_out(b, " pmtu:%u", i.tcpi_pmtu);
	if (i.tcpi_rcv_mss)
		ss_out(b, " rcvmss:%u", i.tcpi_rcv_mss);
	if (i.tcpi_advmss)
		ss_out(b, " advmss:%u", i.tcpi_advmss);
	if (i.tcpi_snd_cwnd)
		ss_out(b, " cwnd:%u", i.tcpi_snd_cwnd);
	if (i.tcpi_snd_ssthresh < 0xFFFF)
		ss_out(b, " ssthresh:%u", i.tcpi_snd_ssthresh);
	if (i.tcpi_rtt && i.tcpi_snd_mss && i.tcpi_snd_cwnd) {
		ss_bw(bw, sizeof(bw), (double)i.tcpi_snd_cwnd * (double)i.tcpi_snd_mss *
				      8000000. / (double)i.tcpi_rtt);
		ss_out(b, " send %sbps", bw);
	}
	if (i.tcpi_last_data_sent)
		ss_out(b, " lastsnd:%u", i.tcpi_last_data_sent);
	if (i.tcpi_last_data_recv)
		ss_out(b, " lastrcv:%u", i.tcpi_last_data_recv);
	if (i.tcpi_last_ack_recv)
		ss_out(b, " lastack:%u", i.tcpi_last_ack_recv);
	if (i.tcpi_unacked)
		ss_out(b, " unacked:%u", i.tcpi_unacked);
	if (i.tcpi_retrans || i.tcpi_total_retrans)
		ss_out(b, " retrans:%u/%u", i.tcpi_retrans, i.tcpi_total_retrans);
	if (i.tcpi_lost)
		ss_out(b, " lost:%u", i.tcpi_lost);
	if (i.tcpi_sacked && sk->sk_state != TCP_LISTEN)
		ss_out(b, " sacked:%u", i.tcpi_sacked);
	if (i.tcpi_fackets)
		ss_out(b, " fackets:%u", i.tcpi_fackets);
	if (i.tcpi_reordering != 3)
		ss_out(b, " reordering:%u", i.tcpi_reordering);
	if (i.tcpi_rcv_rtt)
		ss_out(b, " rcv_rtt:%g", (double)i.tcpi_rcv_rtt / 1000);
	if (i.tcpi_rcv_space)
		ss_out(b, " rcv_space:%u", i.tcpi_rcv_space);
	if (i.tcpi_rcv_ssthresh)
		ss_out(b, " rcv_ssthresh:%u", i.tcpi_rcv_ssthresh);
}

static bool ss_port_match(const struct ss_opts *o, unsigned int lport, unsigned int rport)
{
	return (o->sport < 0 || (unsigned int)o->sport == lport) &&
	       (o->dport < 0 || (unsigned int)o->dport == rport);
}

/* One IPv4 socket (TCP or UDP; a TIME_WAIT sock only has its sock_common). */
static void ss_inet_one(struct ss_list *l, int db, struct sock *sk)
{
	const struct ss_opts *o = l->o;
	int state = sk->sk_state;
	unsigned int lport = sk->__sk_common.skc_num;
	unsigned int rport = ntohs(sk->__sk_common.skc_dport);
	u32 rq = 0, wq = 0;
	struct ss_buf ext = { .len = 0 };
	struct ss_row *r;
	char buf[64];

	if (state == TCP_TIME_WAIT) {
		/* inet_twsk_diag_fill reports the substate (an orphan FIN-WAIT-2 too). */
		state = inet_twsk(sk)->tw_substate;
	} else if (db == SS_DB_TCP && state == TCP_LISTEN) {
		/* inet_diag_fill: a listener's queues are its accept queue and backlog. */
		rq = sk->sk_ack_backlog;
		wq = sk->sk_max_ack_backlog;
	} else if (db == SS_DB_TCP) {
		const struct tcp_sock *tp = tcp_sk(sk);
		int unread = (int)(tp->rcv_nxt - tp->copied_seq);

		rq = unread > 0 ? (u32)unread : 0;
		wq = tp->write_seq - tp->snd_una;
	} else {
		int w = atomic_read(&sk->sk_wmem_alloc) - 1;

		rq = (u32)atomic_read(&sk->sk_rmem_alloc);
		wq = w > 0 ? (u32)w : 0;
	}
	if (state < 0 || state >= SS_MAX || !(o->states & (1 << state)))
		return;
	if (!ss_port_match(o, lport, rport))
		return;
	r = ss_row_new(l);
	if (!r)
		return;
	r->db = db;
	r->state = state;
	r->ino = sk->sk_state == TCP_TIME_WAIT ? 0 : sock_i_ino(sk);
	ss_row_set(l, r, COL_NETID, db == SS_DB_TCP ? "tcp" : "udp");
	ss_row_set(l, r, COL_STATE, ss_state_name[state]);
	snprintf(buf, sizeof(buf), "%-6u", rq);
	ss_row_set(l, r, COL_RECVQ, buf);
	snprintf(buf, sizeof(buf), "%-6u", wq);
	ss_row_set(l, r, COL_SENDQ, buf);
	ss_inet_addr(buf, sizeof(buf), sk->__sk_common.skc_rcv_saddr);
	ss_row_set(l, r, COL_ADDR, buf);
	ss_port(buf, sizeof(buf), lport);
	ss_row_set(l, r, COL_SERV, buf);
	ss_inet_addr(buf, sizeof(buf), sk->__sk_common.skc_daddr);
	ss_row_set(l, r, COL_RADDR, buf);
	ss_port(buf, sizeof(buf), rport);
	ss_row_set(l, r, COL_RSERV, buf);
	if (sk->sk_state == TCP_TIME_WAIT) {
		if (o->ext)
			ss_out(&ext, " ino:0 sk:0");
	} else {
		if (o->ext) {
			/* DIVERGES: the cookie (sk:) is the kernel's pointer in 3.10; ulnet
			 * prints the inode's number so that runs compare. */
			uid_t uid = sock_i_uid(sk);

			if (uid)
				ss_out(&ext, " uid:%u", (unsigned int)uid);
			ss_out(&ext, " ino:%lu sk:%lx", r->ino, r->ino);
			ss_out(&ext, " %c-%c", sk->sk_shutdown & RCV_SHUTDOWN ? '-' : '<',
			       sk->sk_shutdown & SEND_SHUTDOWN ? '-' : '>');
		}
		if (o->mem || (o->info && db == SS_DB_TCP)) {
			ss_out(&ext, "\n\t");
			if (o->mem)
				ss_skmem(&ext, sk);
			if (o->info && db == SS_DB_TCP)
				ss_tcp_info(&ext, sk);
		}
	}
	/* The Process column holds "users:(...)" then the details; users comes later. */
	ss_row_set(l, r, COL_PROC, ext.s);
}

/* A listener's SYN-table requests, as inet_diag_dump_reqs shows them: SYN-RECV, the
 * listener's local address and port, the client's, queues 0, no inode. */
static void ss_tcp_reqs(struct ss_list *l, struct sock *lsk)
{
	struct request_sock_queue *queue = &inet_csk(lsk)->icsk_accept_queue;
	const struct ss_opts *o = l->o;
	struct listen_sock *lopt;
	unsigned int j;

	if (!(o->dbs & SS_DB_TCP) || !(o->states & (1 << TCP_SYN_RECV)))
		return;
	/* The listener is in the listening hash, whose lock the walk holds: its listen_opt
	 * cannot be freed under us (see listen_sock.syn_wait_lock). */
	lopt = queue->listen_opt;
	if (!lopt)
		return;
	read_lock_bh(&lopt->syn_wait_lock);
	for (j = 0; lopt->qlen && j < lopt->nr_table_entries; j++) {
		struct request_sock *req;

		for (req = lopt->syn_table[j]; req; req = req->dl_next) {
			const struct inet_request_sock *ireq = inet_rsk(req);
			struct ss_row *r;
			char buf[64];

			if (!ss_port_match(o, ireq->loc_port, ntohs(ireq->rmt_port)))
				continue;
			r = ss_row_new(l);
			if (!r)
				break;
			r->db = SS_DB_TCP;
			r->state = TCP_SYN_RECV;
			ss_row_set(l, r, COL_NETID, "tcp");
			ss_row_set(l, r, COL_STATE, ss_state_name[TCP_SYN_RECV]);
			ss_row_set(l, r, COL_RECVQ, "0     ");
			ss_row_set(l, r, COL_SENDQ, "0     ");
			ss_inet_addr(buf, sizeof(buf), ireq->loc_addr);
			ss_row_set(l, r, COL_ADDR, buf);
			ss_port(buf, sizeof(buf), ireq->loc_port);
			ss_row_set(l, r, COL_SERV, buf);
			ss_inet_addr(buf, sizeof(buf), ireq->rmt_addr);
			ss_row_set(l, r, COL_RADDR, buf);
			ss_port(buf, sizeof(buf), ntohs(ireq->rmt_port));
			ss_row_set(l, r, COL_RSERV, buf);
			ss_row_set(l, r, COL_PROC, o->ext ? " ino:0 sk:0" : "");
		}
	}
	read_unlock_bh(&lopt->syn_wait_lock);
}

static void ss_tcp_cb(struct sock *sk, void *arg)
{
	struct ss_list *l = arg;

	if (!net_eq(sock_net(sk), l->net) || sk->sk_family != AF_INET)
		return;
	if (sk->sk_state == TCP_TIME_WAIT) {
		l->tcp_tw++;
	} else {
		l->tcp_inuse++;
		if (sock_flag(sk, SOCK_DEAD))
			l->tcp_orphans++;
	}
	if (l->o->dbs & SS_DB_TCP) {
		ss_inet_one(l, SS_DB_TCP, sk);
		if (sk->sk_state == TCP_LISTEN)
			ss_tcp_reqs(l, sk);
	}
}

static void ss_udp_cb(struct sock *sk, void *arg)
{
	struct ss_list *l = arg;

	if (!net_eq(sock_net(sk), l->net) || sk->sk_family != AF_INET)
		return;
	l->udp_inuse++;
	if (l->o->dbs & SS_DB_UDP)
		ss_inet_one(l, SS_DB_UDP, sk);
}

static void ss_unix_cb(const struct unix_diag_info *u, void *arg)
{
	struct ss_list *l = arg;
	const struct ss_opts *o = l->o;
	int db = u->type == SOCK_STREAM ? SS_DB_USTR :
		 u->type == SOCK_SEQPACKET ? SS_DB_USEQ : SS_DB_UDGR;
	struct ss_buf ext = { .len = 0 };
	struct ss_row *r;
	char buf[160];

	if (!(o->dbs & db) || u->state < 0 || u->state >= SS_MAX ||
	    !(o->states & (1 << u->state)))
		return;
	/* sport/dport filters are for inet sockets: a unix socket has no port. */
	if (o->sport >= 0 || o->dport >= 0)
		return;
	r = ss_row_new(l);
	if (!r)
		return;
	r->db = db;
	r->state = u->state;
	r->ino = u->ino;
	ss_row_set(l, r, COL_NETID, db == SS_DB_USTR ? "u_str" :
				    db == SS_DB_USEQ ? "u_seq" : "u_dgr");
	ss_row_set(l, r, COL_STATE, ss_state_name[u->state]);
	snprintf(buf, sizeof(buf), "%-6u", u->rqueue);
	ss_row_set(l, r, COL_RECVQ, buf);
	snprintf(buf, sizeof(buf), "%-6u", u->wqueue);
	ss_row_set(l, r, COL_SENDQ, buf);
	snprintf(buf, sizeof(buf), "%s ", u->name[0] ? u->name : "*");
	ss_row_set(l, r, COL_ADDR, buf);
	snprintf(buf, sizeof(buf), "%lu", u->ino);
	ss_row_set(l, r, COL_SERV, buf);
	ss_row_set(l, r, COL_RADDR, "* ");
	snprintf(buf, sizeof(buf), "%lu", u->peer_ino);
	ss_row_set(l, r, COL_RSERV, buf);
	/* unix_show_sock prints skmem on the same line (inet sockets: on the next). */
	if (o->mem)
		ss_skmem(&ext, u->sk);
	ss_row_set(l, r, COL_PROC, ext.s);
}

/* ss -p: "users:((\"comm\",pid=N,fd=N),...)" from every task's fd table. */
static void ss_fd_cb(struct task_struct *owner, unsigned int fd, struct file *file, void *arg)
{
	struct ss_list *l = arg;
	struct socket *sock;
	unsigned long ino;
	int err, i;

	sock = sock_from_file(file, &err);
	if (!sock || !owner)
		return;
	if (!sock->sk)
		return;
	ino = sock_i_ino(sock->sk);
	for (i = 0; i < l->n; i++) {
		struct ss_row *r = &l->rows[i];
		size_t len = strlen(r->users);

		if (!r->ino || r->ino != ino)
			continue;
		snprintf(r->users + len, sizeof(r->users) - len, "%s(\"%s\",pid=%d,fd=%u)",
			 len ? "," : "", owner->comm, owner->pid, fd);
	}
}

/* render() of ss with no terminal (render_calc_width's compact output): each column as wide
 * as its widest cell (plus its left delimiter), left- or right-aligned, every cell padded
 * (trailing blanks included). */
static void ss_render(FILE *out, struct ss_list *l, bool netid, bool state)
{
	size_t width[COL_MAX] = { 0 };
	bool on[COL_MAX];
	int i, c, first = -1;

	for (c = 0; c < COL_MAX; c++) {
		on[c] = !((c == COL_NETID && !netid) || (c == COL_STATE && !state));
		if (!on[c])
			continue;
		width[c] = strlen(ss_cols[c].header);
		for (i = 0; i < l->n; i++) {
			/* ss measures a cell when it moves to the next one: the last row's
			 * Process cell never is, so it does not widen its column. */
			if (c == COL_PROC && i == l->n - 1)
				continue;
			if (l->rows[i].col[c] && strlen(l->rows[i].col[c]) > width[c])
				width[c] = strlen(l->rows[i].col[c]);
		}
	}
	for (c = 0; c < COL_MAX; c++) {
		if (!on[c] || !width[c])
			continue;
		if (first < 0)
			first = c;
		else
			width[c] += strlen(ss_cols[c].ldelim);
	}
	for (i = -1; i < l->n; i++) {
		bool started = false;

		for (c = 0; c < COL_MAX; c++) {
			const char *text = i < 0 ? ss_cols[c].header : l->rows[i].col[c];
			size_t printed = 0, tl;

			if (!on[c])
				continue;
			text = text ? text : "";
			tl = strlen(text);
			if (started) {
				fputs(ss_cols[c].ldelim, out);
				printed = strlen(ss_cols[c].ldelim);
			}
			started = true;
			if (ss_cols[c].right && width[c] > tl + printed) {
				fprintf(out, "%*s", (int)(width[c] - tl - printed), "");
				printed = width[c] - tl;
			}
			fputs(text, out);
			printed += tl;
			if (!ss_cols[c].right && width[c] > printed)
				fprintf(out, "%*s", (int)(width[c] - printed), "");
		}
		fputc('\n', out);
	}
}

static int ss_sockstat(struct net *net, const char *key, const char *field, long long *val)
{
	int err;
	char *text = ul_proc_read_alloc(net, "/proc/net/sockstat", &err);
	const char *line, *p;
	char pat[64];

	*val = 0;
	if (!text)
		return -ENOENT;
	err = -ENOENT;
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, strlen(key)))
			continue;
		snprintf(pat, sizeof(pat), " %s ", field);
		p = strstr(line, pat);
		if (p && (!strchr(line, '\n') || p < strchr(line, '\n'))) {
			*val = strtoll(p + strlen(pat), NULL, 10);
			err = 0;
		}
		break;
	}
	free(text);
	return err;
}

/* print_summary: sockets from /proc/net/sockstat, TCP from the tables (see DIVERGES). */
static void ss_summary(FILE *out, struct ss_list *l)
{
	long long socks, udp, raw, frag, estab = 0;
	struct ul_mib_entry *e = NULL;
	int n = ul_mib_read(l->net, &e);
	int tcp_total;

	if (n > 0)
		ul_mib_lookup(e, n, "TcpCurrEstab", &estab);
	free(e);
	ss_sockstat(l->net, "sockets:", "used", &socks);
	ss_sockstat(l->net, "UDP:", "inuse", &udp);
	ss_sockstat(l->net, "RAW:", "inuse", &raw);
	ss_sockstat(l->net, "FRAG:", "inuse", &frag);
	/* DIVERGES: ss takes TCP's numbers from /proc/net/sockstat ("TCP: inuse orphan tw
	 * alloc"), which ulnet does not fill yet; they are counted here from the hashes of
	 * this namespace (alloc: the hashed sockets, as if none were unhashed). */
	tcp_total = l->tcp_inuse;
	fprintf(out, "Total: %lld\n", socks);
	fprintf(out, "TCP:   %d (estab %lld, closed %d, orphaned %d, timewait %d)\n",
		tcp_total + l->tcp_tw, estab, tcp_total - (l->tcp_inuse - l->tcp_tw),
		l->tcp_orphans, l->tcp_tw);
	fprintf(out, "\n");
	fprintf(out, "Transport Total     IP        IPv6\n");
	fprintf(out, "RAW\t  %-9lld %-9lld %-9d\n", raw, raw, 0);
	fprintf(out, "UDP\t  %-9lld %-9lld %-9d\n", udp, udp, 0);
	fprintf(out, "TCP\t  %-9d %-9d %-9d\n", l->tcp_inuse, l->tcp_inuse, 0);
	fprintf(out, "INET\t  %-9lld %-9lld %-9d\n", raw + udp + l->tcp_inuse,
		raw + udp + l->tcp_inuse, 0);
	fprintf(out, "FRAG\t  %-9lld %-9lld %-9d\n", frag, frag, 0);
	fprintf(out, "\n");
}

static const struct {
	const char *name;
	int states;
} ss_state_words[] = {
	{ "all", SS_ALL },
	{ "connected", SS_CONN },
	{ "synchronized", SS_CONN & ~(1 << TCP_SYN_SENT) },
	{ "bucket", (1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT) },
	{ "big", SS_ALL & ~((1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT)) },
	{ "established", 1 << TCP_ESTABLISHED }, { "syn-sent", 1 << TCP_SYN_SENT },
	{ "syn-recv", 1 << TCP_SYN_RECV }, { "fin-wait-1", 1 << TCP_FIN_WAIT1 },
	{ "fin-wait-2", 1 << TCP_FIN_WAIT2 }, { "time-wait", 1 << TCP_TIME_WAIT },
	{ "closed", 1 << TCP_CLOSE }, { "close-wait", 1 << TCP_CLOSE_WAIT },
	{ "last-ack", 1 << TCP_LAST_ACK }, { "listening", 1 << TCP_LISTEN },
	{ "closing", 1 << TCP_CLOSING },
};

static int ss_state_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(ss_state_words) / sizeof(ss_state_words[0]); i++)
		if (!strcmp(ss_state_words[i].name, w))
			return ss_state_words[i].states;
	return -1;
}

static int ss_parse_port(const char *s)
{
	char *end;
	long v;

	if (*s == ':')
		s++;
	v = strtol(s, &end, 10);
	if (end == s || *end || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

/* The filter after the options: "state NAME" / "exclude NAME" (repeatable), "sport = :N",
 * "dport = :N" (also "==", "eq", or ":N" right after the keyword), joined by "and". */
static int ss_parse_filter(struct ul_view_ctx *v, struct ss_opts *o, int argc, char **argv,
			   int i)
{
	bool states_set = false;

	while (i < argc) {
		const char *w = argv[i];

		if (!strcmp(w, "and") || !strcmp(w, "&&")) {
			i++;
		} else if (!strcmp(w, "state") || !strcmp(w, "exclude") || !strcmp(w, "excl")) {
			int s = i + 1 < argc ? ss_state_word(argv[i + 1]) : -1;

			if (s < 0) {
				fprintf(v->err, "ss: wrong state name: %s\n",
					i + 1 < argc ? argv[i + 1] : "");
				return -EINVAL;
			}
			if (w[0] == 's') {
				if (!states_set)
					o->states = 0;
				states_set = true;
				o->states |= s;
			} else {
				o->states &= ~s;
			}
			i += 2;
		} else if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
			const char *arg;
			int port;

			i++;
			if (i < argc && (!strcmp(argv[i], "=") || !strcmp(argv[i], "==") ||
					 !strcmp(argv[i], "eq")))
				i++;
			arg = i < argc ? argv[i] : "";
			port = ss_parse_port(arg);
			if (port < 0) {
				fprintf(v->err, "ss: bad port in filter: \"%s\"\n", arg);
				return -EINVAL;
			}
			if (w[0] == 's')
				o->sport = port;
			else
				o->dport = port;
			i++;
		} else {
			fprintf(v->err, "ss: filter \"%s\" is not supported (ulnet: state, exclude, "
					"sport = :N, dport = :N, and)\n", w);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

int ul_view_ss(struct ul_view_ctx *v, int argc, char **argv)
{
	struct ss_opts o = { .sport = -1, .dport = -1 };
	struct ss_list l = { .o = &o, .net = v->net };
	int dbs = 0, i, j, err;
	bool all = false, listening = false;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--tcp")) { dbs |= SS_DB_TCP; continue; }
		if (!strcmp(a, "--udp")) { dbs |= SS_DB_UDP; continue; }
		if (!strcmp(a, "--unix")) { dbs |= SS_DB_UNIX; continue; }
		if (!strcmp(a, "--raw")) { dbs |= SS_DB_RAW; continue; }
		if (!strcmp(a, "--all")) { all = true; continue; }
		if (!strcmp(a, "--listening")) { listening = true; continue; }
		if (!strcmp(a, "--numeric")) { o.numeric = true; continue; }
		if (!strcmp(a, "--summary")) { o.summary = true; continue; }
		if (a[1] == '-') {
			fprintf(v->err, "ss: unrecognized option '%s'\n", a);
			return -EINVAL;
		}
		for (j = 1; a[j]; j++) {
			switch (a[j]) {
			case 't': dbs |= SS_DB_TCP; break;
			case 'u': dbs |= SS_DB_UDP; break;
			case 'x': dbs |= SS_DB_UNIX; break;
			case 'w': dbs |= SS_DB_RAW; break;
			case 'a': all = true; break;
			case 'l': listening = true; break;
			case 'n': o.numeric = true; break;
			case 'e': o.ext = true; break;
			case 'm': o.mem = true; break;
			case 'i': o.info = true; break;
			case 'p': o.proc = true; break;
			case 's': o.summary = true; break;
			case '4': break;
			default:
				fprintf(v->err, "ss: invalid option -- '%c'\n", a[j]);
				return -EINVAL;
			}
		}
	}
	o.dbs = dbs ? dbs : SS_DB_ALL;
	o.states = all ? SS_ALL : listening ? (1 << TCP_LISTEN) | (1 << TCP_CLOSE) : SS_CONN;
	err = ss_parse_filter(v, &o, argc, argv, i);
	if (err)
		return err;

	/* Read order as ss: unix, raw (none in ulnet), udp, tcp. */
	unix_diag_walk(l.net, ss_unix_cb, &l);
	udp_table_walk(&udp_table, ss_udp_cb, &l);
	if (tcp_hashinfo.ehash)
		inet_hashinfo_walk(&tcp_hashinfo, ss_tcp_cb, &l);
	if (l.err) {
		fprintf(v->err, "ss: out of memory\n");
		ss_free_rows(&l);
		return l.err;
	}
	if (o.summary) {
		ss_summary(v->out, &l);
		ss_free_rows(&l);
		return 0;
	}
	if (o.proc) {
		files_for_each_fd(ss_fd_cb, &l);
		for (i = 0; i < l.n; i++) {
			struct ss_row *r = &l.rows[i];
			char *joined;
			size_t len;

			if (!r->users[0])
				continue;
			len = strlen(r->users) + strlen(r->col[COL_PROC]) + 16;
			joined = malloc(len);
			if (!joined)
				continue;
			snprintf(joined, len, " users:(%s)%s", r->users, r->col[COL_PROC]);
			free(r->col[COL_PROC]);
			r->col[COL_PROC] = joined;
		}
	}
	/* Netid when more than one database is asked for; State unless one state is. */
	ss_render(v->out, &l, (o.dbs & (o.dbs - 1)) != 0, (o.states & (o.states - 1)) != 0);
	ss_free_rows(&l);
	return 0;
}
