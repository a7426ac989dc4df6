/* SPDX-License-Identifier: MIT */
/* TCP connection management (book ch6) on the sim runtime, in a namespace of its own: the
 * three-way handshake over lo with blocking connect/accept and the SYN's options as 3.10
 * builds them, RST from a closed port (ECONNREFUSED), the first SYN lost forever (SYNs at
 * 0, 1, 3, 7, 15, 31, 63 s and ETIMEDOUT at 127 s), the accept queue overflow with the
 * book's numbers (backlog + 1 children queued, ListenOverflows/ListenDrops, SYN-ACK
 * retransmission), ephemeral port exhaustion (EADDRNOTAVAIL), listen/accept errnos, and
 * /proc/net/tcp.
 * Mirrors the behaviour of linux/net/ipv4/tcp_ipv4.c, tcp_input.c, tcp_output.c,
 * tcp_minisocks.c, tcp_timer.c, inet_connection_sock.c, inet_hashtables.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_bulk_testutil.h"
#include "harness.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "linux/sysctl.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	/* Let the RSTs and timers of closed sockets run out before the namespace goes. */
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	tnet = NULL;
	return err;
}

static unsigned long tcp_cnt(int field)
{
	return tcp_mib_read(tnet, field);
}

static unsigned long ext_cnt(int field)
{
	return tcp_netstat_read(tnet, field);
}

static int listener(const char *ip, int port, int backlog)
{
	struct sockaddr_in sin = ul_test_sin(ip, port);
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;

	assert_true(fd >= 0);
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(ul_listen(fd, backlog), 0);
	return fd;
}

/* ---- segments seen at LOCAL_OUT (every TCP segment this namespace sends) ---- */

struct seen_seg {
	u64 t;
	u8 flags;
	u16 sport, dport, window;
	u8 opts[40];
	int optlen;
};
static struct seen_seg seen[64];
static int nseen;
static int drop_syn_to_port;	/* drop SYNs (no ACK) to this port */

static unsigned int tcp_watch(unsigned int hooknum, struct sk_buff *skb,
			      const struct net_device *in, const struct net_device *out,
			      int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);
	if (nseen < (int)ARRAY_SIZE(seen)) {
		struct seen_seg *s = &seen[nseen++];

		s->t = ul_now_ns();
		s->flags = ((const u8 *)th)[13];
		s->sport = ntohs(th->source);
		s->dport = ntohs(th->dest);
		s->window = ntohs(th->window);
		s->optlen = th->doff * 4 - 20;
		memcpy(s->opts, th + 1, (size_t)s->optlen);
	}
	return NF_ACCEPT;
}

/* At PRE_ROUTING: a SYN to drop_syn_to_port is lost "on the wire", after the sender sent
 * (and counted) it. */
static unsigned int tcp_lose(unsigned int hooknum, struct sk_buff *skb,
			     const struct net_device *in, const struct net_device *out,
			     int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	if (iph->protocol == IPPROTO_TCP && drop_syn_to_port && th->syn && !th->ack &&
	    ntohs(th->dest) == drop_syn_to_port)
		return NF_DROP;
	return NF_ACCEPT;
}

static struct nf_hook_ops lose_ops = {
	.hook = tcp_lose,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	.priority = 0,
};

static struct nf_hook_ops watch_ops = {
	.hook = tcp_watch,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_OUT,
	.priority = 0,
};

static void watch_start(int drop_port)
{
	nseen = 0;
	drop_syn_to_port = drop_port;
	assert_int_equal(nf_register_hook(&watch_ops), 0);
	assert_int_equal(nf_register_hook(&lose_ops), 0);
}

static void watch_stop(void)
{
	nf_unregister_hook(&lose_ops);
	nf_unregister_hook(&watch_ops);
	drop_syn_to_port = 0;
}

/* ---- 1. handshake over lo, blocking connect and accept ---- */

struct hs {
	int srv_state, cli_state;
	int accept_fd, peer_port, cli_port;
	int srv_ready;
};

static int hs_server(void *arg)
{
	struct hs *h = arg;
	struct sockaddr_in peer;
	socklen_t alen = sizeof(peer);
	int lfd = listener("127.0.0.1", 5000, 5);
	int fd;

	h->srv_ready = 1;
	fd = ul_accept(lfd, (struct sockaddr *)&peer, &alen);
	if (fd < 0)
		return 10;
	h->accept_fd = fd;
	h->peer_port = ntohs(peer.sin_port);
	h->srv_state = sk_of(fd)->sk_state;
	ul_sleep(5 * MS);
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int hs_client(void *arg)
{
	struct hs *h = arg;
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5000), me;
	socklen_t alen = sizeof(me);
	int fd, guard = 0;

	while (!h->srv_ready && ++guard < 100)
		ul_sleep(MS);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 20;
	if (ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0)
		return 21;
	h->cli_state = sk_of(fd)->sk_state;
	if (ul_getsockname(fd, (struct sockaddr *)&me, &alen) != 0)
		return 22;
	h->cli_port = ntohs(me.sin_port);
	ul_sleep(10 * MS);
	ul_close(fd);
	return 0;
}

static void test_handshake_lo(void **state)
{
	struct hs h;
	struct ul_task *s, *c;
	unsigned long a0 = tcp_cnt(TCP_MIB_ACTIVEOPENS), p0 = tcp_cnt(TCP_MIB_PASSIVEOPENS);
	unsigned int mss = 65535 - 40;	/* ipv4_default_advmss: lo's 64 KiB MTU, capped */
	u32 rcv_wnd = 0, clamp = 0;
	u8 wscale = 0;

	(void)state;
	memset(&h, 0, sizeof(h));
	watch_start(0);
	s = ul_task_spawn("t", "server", 0, hs_server, &h);
	c = ul_task_spawn("t", "client", 1, hs_client, &h);
	assert_int_equal(ul_task_join(c), 0);
	assert_int_equal(ul_task_join(s), 0);
	watch_stop();

	assert_int_equal(h.cli_state, TCP_ESTABLISHED);
	assert_int_equal(h.srv_state, TCP_ESTABLISHED);
	assert_int_equal(h.peer_port, h.cli_port);
	/* Ephemeral ports come from ip_local_port_range 32768-61000. */
	assert_true(h.cli_port >= 32768 && h.cli_port <= 61000);
	assert_int_equal(tcp_cnt(TCP_MIB_ACTIVEOPENS) - a0, 1);
	assert_int_equal(tcp_cnt(TCP_MIB_PASSIVEOPENS) - p0, 1);
	assert_int_equal(tcp_cnt(TCP_MIB_CURRESTAB), 0);

	/* SYN, SYN-ACK, ACK in that order. */
	assert_true(nseen >= 3);
	assert_int_equal(seen[0].flags, TCPHDR_SYN);
	assert_int_equal(seen[0].dport, 5000);
	assert_int_equal(seen[1].flags, TCPHDR_SYN | TCPHDR_ACK);
	assert_int_equal(seen[2].flags, TCPHDR_ACK);
	/* 3.10's SYN options: MSS, SACK-permitted + timestamp, NOP + window scale 7. */
	assert_int_equal(seen[0].optlen, 20);
	assert_int_equal(seen[0].opts[0], TCPOPT_MSS);
	assert_int_equal((seen[0].opts[2] << 8) | seen[0].opts[3], mss);
	assert_int_equal(seen[0].opts[4], TCPOPT_SACK_PERM);
	assert_int_equal(seen[0].opts[6], TCPOPT_TIMESTAMP);
	assert_int_equal(seen[0].opts[16], TCPOPT_NOP);
	assert_int_equal(seen[0].opts[17], TCPOPT_WINDOW);
	assert_int_equal(seen[0].opts[19], 7);
	/* facts.md §3.4: space 43690 with mss 65495: the window is 43690. */
	tcp_select_initial_window(43690, mss, &rcv_wnd, &clamp, 1, &wscale, 0);
	assert_int_equal(rcv_wnd, 43690);
	assert_int_equal(wscale, 7);
	assert_int_equal(seen[0].window, 43690);
	assert_int_equal(seen[1].window, 43690);
	/* The third packet is a pure ACK with only the timestamp option. */
	assert_int_equal(seen[2].optlen, 12);
}

/* facts.md §3.4 example: mss 1460 with timestamps -> 14480, without -> 14600. */
static void test_initial_window(void **state)
{
	u32 rcv_wnd = 0, clamp = 0;
	u8 ws = 0;

	(void)state;
	tcp_select_initial_window(43690, 1460 - 12, &rcv_wnd, &clamp, 1, &ws, 0);
	assert_int_equal(rcv_wnd, 14480);
	assert_int_equal(ws, 7);
	assert_int_equal(clamp, 65535U << 7);
	rcv_wnd = clamp = 0;
	tcp_select_initial_window(43690, 1460, &rcv_wnd, &clamp, 0, &ws, 0);
	assert_int_equal(rcv_wnd, 14600);
	assert_int_equal(ws, 0);
}

/* ---- 2. RST from a closed port ---- */

static void test_rst_closed_port(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5001);
	unsigned long rst0 = tcp_cnt(TCP_MIB_OUTRSTS), af0 = tcp_cnt(TCP_MIB_ATTEMPTFAILS);
	unsigned long in0 = tcp_cnt(TCP_MIB_INSEGS), out0 = tcp_cnt(TCP_MIB_OUTSEGS);
	int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int err = 0;
	socklen_t elen = sizeof(err);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EINPROGRESS);
	ul_run_for(MS);
	assert_int_equal(sk_of(fd)->sk_state, TCP_CLOSE);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen), 0);
	assert_int_equal(err, ECONNREFUSED);
	assert_int_equal(tcp_cnt(TCP_MIB_OUTRSTS) - rst0, 1);
	assert_int_equal(tcp_cnt(TCP_MIB_ATTEMPTFAILS) - af0, 1);
	assert_int_equal(tcp_cnt(TCP_MIB_INSEGS) - in0, 2);	/* SYN, RST */
	assert_int_equal(tcp_cnt(TCP_MIB_OUTSEGS) - out0, 2);
	ul_close(fd);

	/* The same through connect's own return value. */
	/* The same through connect's own return value: over lo the RST came back (into the
	 * backlog, processed by release_sock) before the first connect returned, so the
	 * second one reports it at once, as on Linux. */
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, ECONNREFUSED);
	/* A third: the socket is closed and unconnected again; connect starts over. */
	ul_close(fd);

	/* EALREADY while the SYN is out (it is lost: see watch_start). */
	watch_start(5001);
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(ul_connect(fd, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EALREADY);
	watch_stop();
	ul_close(fd);
}

/* ---- 3. the first SYN lost, again and again ---- */

struct synlost {
	int ret, err;
	u64 t0, t1;
};

static int synlost_client(void *arg)
{
	struct synlost *x = arg;
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5002);
	int fd = ul_socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return 1;
	x->t0 = ul_now_ns();
	x->ret = ul_connect(fd, (struct sockaddr *)&to, sizeof(to));
	x->err = errno;
	x->t1 = ul_now_ns();
	ul_close(fd);
	return 0;
}

static void test_syn_retries(void **state)
{
	static const int at[] = { 0, 1, 3, 7, 15, 31, 63 };
	struct synlost x;
	struct ul_task *c;
	unsigned long r0 = tcp_cnt(TCP_MIB_RETRANSSEGS), af0 = tcp_cnt(TCP_MIB_ATTEMPTFAILS);
	unsigned long to0 = ext_cnt(LINUX_MIB_TCPABORTONTIMEOUT);
	int i, lfd;

	(void)state;
	/* A listener is there: only the lost SYNs keep the connection from happening. */
	lfd = listener("127.0.0.1", 5002, 5);
	memset(&x, 0, sizeof(x));
	watch_start(5002);
	c = ul_task_spawn("t", "client", 0, synlost_client, &x);
	assert_int_equal(ul_task_join(c), 0);
	watch_stop();

	assert_int_equal(x.ret, -1);
	assert_int_equal(x.err, ETIMEDOUT);
	assert_int_equal(nseen, 7);
	for (i = 0; i < 7; i++) {
		assert_int_equal(seen[i].flags, TCPHDR_SYN);
		assert_int_equal((seen[i].t - x.t0 + MS / 2) / SEC, at[i]);
		assert_true(seen[i].t - x.t0 - (u64)at[i] * SEC < 10 * MS);
	}
	assert_true(x.t1 - x.t0 >= 127 * SEC && x.t1 - x.t0 < 127 * SEC + 10 * MS);
	assert_int_equal(tcp_cnt(TCP_MIB_RETRANSSEGS) - r0, 6);
	assert_int_equal(tcp_cnt(TCP_MIB_ATTEMPTFAILS) - af0, 1);
	assert_int_equal(ext_cnt(LINUX_MIB_TCPABORTONTIMEOUT) - to0, 1);
	ul_close(lfd);
}

/* ---- 4. accept queue overflow (book ch6) ---- */

static void test_accept_overflow(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5003);
	unsigned long ov0 = ext_cnt(LINUX_MIB_LISTENOVERFLOWS);
	unsigned long dr0 = ext_cnt(LINUX_MIB_LISTENDROPS);
	unsigned long r0;
	int lfd = listener("127.0.0.1", 5003, 2);
	int fds[5], i, afd;
	struct sock *lsk = sk_of(lfd);

	(void)state;
	for (i = 0; i < 5; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_int_equal(ul_connect(fds[i], (struct sockaddr *)&to, sizeof(to)), -1);
		assert_int_equal(errno, EINPROGRESS);
		ul_run_for(MS);
	}
	/* The clients all think they are connected. */
	for (i = 0; i < 5; i++)
		assert_int_equal(sk_of(fds[i])->sk_state, TCP_ESTABLISHED);
	/* backlog 2: the accept queue holds 3 (full is "more than backlog"); the last two
	 * final ACKs overflowed and their requests wait in the SYN queue. */
	assert_int_equal(lsk->sk_ack_backlog, 3);
	assert_int_equal(lsk->sk_max_ack_backlog, 2);
	assert_int_equal(inet_csk_reqsk_queue_len(lsk), 2);
	assert_int_equal(ext_cnt(LINUX_MIB_LISTENOVERFLOWS) - ov0, 2);
	assert_int_equal(ext_cnt(LINUX_MIB_LISTENDROPS) - dr0, 2);

	/* About 1 s later the server retransmits both SYN-ACKs; the clients answer with
	 * ACKs that overflow again. (facts.md §3.3: the listener's timer ticks every 200 ms
	 * and visits 2 * 16 / 5 = 6 of the 16 SYN-table buckets per tick, so a request
	 * waits up to 3 ticks past its expiry.) */
	r0 = tcp_cnt(TCP_MIB_RETRANSSEGS);
	ul_run_for(900 * MS);
	assert_int_equal(tcp_cnt(TCP_MIB_RETRANSSEGS) - r0, 0);
	ul_run_for(900 * MS);
	assert_int_equal(tcp_cnt(TCP_MIB_RETRANSSEGS) - r0, 2);
	assert_int_equal(ext_cnt(LINUX_MIB_LISTENOVERFLOWS) - ov0, 4);

	/* Accepting one makes room: the next SYN-ACK retransmission (2 s later) completes
	 * one more. */
	afd = ul_accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
	assert_true(afd >= 0);
	assert_int_equal(lsk->sk_ack_backlog, 2);
	ul_run_for(3 * SEC);
	assert_int_equal(lsk->sk_ack_backlog, 3);
	assert_int_equal(inet_csk_reqsk_queue_len(lsk), 1);
	ul_close(afd);
	ul_close(lfd);
	ul_run_for(MS);
	/* Closing the listener reset the queued connections. */
	for (i = 0; i < 5; i++)
		ul_close(fds[i]);
}

/* ---- 5. ports run out ---- */

static void test_port_exhaustion(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 5004);
	int lfd = listener("127.0.0.1", 5004, 16);
	int fds[4], i;

	(void)state;
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "40000 40002"), 0);
	for (i = 0; i < 3; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_int_equal(ul_connect(fds[i], (struct sockaddr *)&to, sizeof(to)), -1);
		assert_int_equal(errno, EINPROGRESS);
	}
	fds[3] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(ul_connect(fds[3], (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EADDRNOTAVAIL);
	/* Every port of the range was examined. */
	assert_int_equal(inet_hash_connect_probes, 3);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "32768 61000"), 0);
	ul_run_for(MS);
	for (i = 0; i < 4; i++)
		ul_close(fds[i]);
	ul_close(lfd);
}

/* ---- 6. errnos of listen/accept/bind ---- */

static void test_errnos(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 5005);
	int l1 = listener("127.0.0.1", 5005, 1);
	int s2 = ul_socket(AF_INET, SOCK_STREAM, 0), u;

	(void)state;
	/* Not SO_REUSEADDR, and the port has a listener: EADDRINUSE. */
	assert_int_equal(ul_bind(s2, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EADDRINUSE);
	/* accept on a socket that does not listen: EINVAL; non-blocking on an empty queue:
	 * EAGAIN. */
	assert_int_equal(ul_accept(s2, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ul_fcntl(l1, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(ul_accept(l1, NULL, NULL), -1);
	assert_int_equal(errno, EAGAIN);
	/* listen on a datagram socket: EOPNOTSUPP. */
	u = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(ul_listen(u, 5), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	/* backlog above somaxconn (128) is cut to it. */
	assert_int_equal(ul_listen(l1, 100000), 0);
	assert_int_equal(sk_of(l1)->sk_max_ack_backlog, 128);
	ul_close(u);
	ul_close(s2);
	ul_close(l1);
}

/* ---- 7. /proc/net/tcp ---- */

static void test_proc_net_tcp(void **state)
{
	int lfd = listener("127.0.0.1", 8080, 5);
	char *buf, *line2;
	int err = 0;

	(void)state;
	buf = ul_proc_read("t", "/proc/net/tcp", &err);
	assert_non_null(buf);
	/* Header padded to 149 columns, then the listener: 127.0.0.1:8080 in state 0A. */
	assert_memory_equal(buf, "  sl  local_address rem_address   st tx_queue rx_queue tr "
				 "tm->when retrnsmt   uid  timeout inode", 88);
	assert_int_equal(strchr(buf, '\n') - buf, 149);
	line2 = strchr(buf, '\n') + 1;
	assert_memory_equal(line2, "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000", 75);
	assert_int_equal(strchr(line2, '\n') - line2, 149);
	free(buf);
	ul_close(lfd);
}


/* ---- 8. between two namespaces over veth ---- */

static int run_ip(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		print_message("'%s' in %s: %d %s\n", line, ns, err, out ? out : "");
	free(out);
	return err;
}

struct vx {
	int ready, srv_state, cli_state, peer_port;
	u32 peer_addr;
};

static int veth_server(void *arg)
{
	struct vx *v = arg;
	struct sockaddr_in peer;
	socklen_t alen = sizeof(peer);
	int lfd = listener("0.0.0.0", 80, 128), fd;

	v->ready = 1;
	fd = ul_accept(lfd, (struct sockaddr *)&peer, &alen);
	if (fd < 0)
		return 10;
	v->srv_state = sk_of(fd)->sk_state;
	v->peer_addr = ntohl(peer.sin_addr.s_addr);
	v->peer_port = ntohs(peer.sin_port);
	ul_sleep(5 * MS);
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int veth_client(void *arg)
{
	struct vx *v = arg;
	struct sockaddr_in to = ul_test_sin("10.1.0.2", 80);
	int fd, guard = 0;

	while (!v->ready && ++guard < 100)
		ul_sleep(MS);
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || ul_connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0)
		return 20;
	v->cli_state = sk_of(fd)->sk_state;
	ul_sleep(10 * MS);
	ul_close(fd);
	return 0;
}

static void test_handshake_veth(void **state)
{
	struct vx v;
	struct ul_task *s, *c;
	struct net *na, *nb;

	(void)state;
	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("b"), 0);
	na = ul_net_by_name("a");
	nb = ul_net_by_name("b");
	assert_int_equal(run_ip("a", "ip link add veth0 type veth peer name veth1 netns b"), 0);
	assert_int_equal(run_ip("a", "ip addr add 10.1.0.1/24 dev veth0"), 0);
	assert_int_equal(run_ip("a", "ip link set veth0 up"), 0);
	assert_int_equal(run_ip("b", "ip addr add 10.1.0.2/24 dev veth1"), 0);
	assert_int_equal(run_ip("b", "ip link set veth1 up"), 0);

	memset(&v, 0, sizeof(v));
	s = ul_task_spawn("b", "server", 1, veth_server, &v);
	c = ul_task_spawn("a", "client", 0, veth_client, &v);
	assert_int_equal(ul_task_join(c), 0);
	assert_int_equal(ul_task_join(s), 0);
	assert_int_equal(v.cli_state, TCP_ESTABLISHED);
	assert_int_equal(v.srv_state, TCP_ESTABLISHED);
	assert_int_equal(v.peer_addr, 0x0a010001);
	assert_true(v.peer_port >= 32768 && v.peer_port <= 61000);
	/* Counters are per namespace. */
	assert_int_equal(tcp_mib_read(na, TCP_MIB_ACTIVEOPENS), 1);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_PASSIVEOPENS), 0);
	assert_int_equal(tcp_mib_read(nb, TCP_MIB_PASSIVEOPENS), 1);
	assert_int_equal(tcp_mib_read(nb, TCP_MIB_ACTIVEOPENS), 0);
	ul_run_for(10 * MS);
	assert_int_equal(run_ip("b", "ip link del veth1"), 0);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handshake_lo, setup, teardown),
		cmocka_unit_test(test_initial_window),
		cmocka_unit_test_setup_teardown(test_rst_closed_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errnos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_net_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handshake_veth, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
