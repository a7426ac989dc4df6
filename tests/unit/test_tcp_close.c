/* SPDX-License-Identifier: MIT */
/* TCP orderly close on the sim runtime over lo in a namespace of its own: the RFC 793
 * states of both close orders (FIN_WAIT1 -> FIN_WAIT2 -> TIME_WAIT on the active side,
 * CLOSE_WAIT -> LAST_ACK -> CLOSED on the passive side), simultaneous close through
 * CLOSING, the 60 s TIME_WAIT held by one tw_sock_TCP object, the orphaned FIN_WAIT2,
 * recv returning 0 after the peer's FIN, SO_LINGER {1, 0} sending RST, and TIME_WAIT reuse
 * by connect under tcp_tw_reuse.
 * Mirrors the behaviour of linux/net/ipv4/tcp.c (tcp_close, tcp_shutdown), tcp_input.c
 * (tcp_fin, tcp_rcv_state_process), tcp_minisocks.c (tcp_time_wait,
 * tcp_timewait_state_process) and inet_timewait_sock.c (3.10). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include "linux/slab.h"
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
	ul_test_leave_netns("t", 10 * MS);
	/* The namespace takes its TIME_WAIT socks with it (inet_twsk_purge). */
	assert_int_equal(inet_twsk_alive(), 0);
	tnet = NULL;
	return ul_test_teardown(state);
}

static unsigned long tw_objs(void)
{
	struct kmem_cache_stats st;

	assert_int_equal(kmem_cache_stats_by_name("tw_sock_TCP", &st), 0);
	return st.active_objs;
}

/* A connected pair over lo: *cfd the client, *sfd the accepted server side. */
static void tcp_pair(int port, int *lfd, int *cfd, int *sfd)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);
	int one = 1;

	*lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*lfd >= 0);
	assert_int_equal(ul_setsockopt(*lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(ul_bind(*lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(*lfd, 8), 0);
	*cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*cfd >= 0);
	assert_int_equal(ul_connect(*cfd, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EINPROGRESS);
	ul_run_for(MS);
	*sfd = ul_accept(*lfd, NULL, NULL);
	assert_true(*sfd >= 0);
	assert_int_equal(sk_of(*cfd)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(sk_of(*sfd)->sk_state, TCP_ESTABLISHED);
}

/* ---- segments sent (LOCAL_OUT) with the sender's state, and a FIN dropper ---- */

struct seg {
	u8 flags;
	u16 sport;
	int state;	/* sender's sk_state when it sent, -1 without a socket */
	int pair_states;	/* 1 << state of each of watch_socks[] at that moment */
};
static struct sock *watch_socks[2];
static struct seg segs[64];
static int nsegs;
static int drop_fins;	/* FINs still to lose at PRE_ROUTING */
static int drop_acks;	/* pure ACKs still to lose at PRE_ROUTING */

static unsigned int watch(unsigned int hooknum, struct sk_buff *skb,
			  const struct net_device *in, const struct net_device *out,
			  int (*okfn)(struct sk_buff *))
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	if (hooknum == NF_INET_PRE_ROUTING) {
		if (drop_fins > 0 && th->fin) {
			drop_fins--;
			return NF_DROP;
		}
		if (drop_acks > 0 && th->ack && !th->fin && !th->syn && !th->rst) {
			drop_acks--;
			return NF_DROP;
		}
		return NF_ACCEPT;
	}
	if (nsegs < (int)ARRAY_SIZE(segs)) {
		segs[nsegs].flags = ((const u8 *)th)[13];
		segs[nsegs].sport = ntohs(th->source);
		segs[nsegs].state = skb->sk ? skb->sk->sk_state : -1;
		segs[nsegs].pair_states = 0;
		if (watch_socks[0] && watch_socks[1])
			segs[nsegs].pair_states = (1 << watch_socks[0]->sk_state) |
						  (1 << watch_socks[1]->sk_state);
		nsegs++;
	}
	return NF_ACCEPT;
}

static struct nf_hook_ops out_ops = {
	.hook = watch, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT, .priority = 0,
};
static struct nf_hook_ops in_ops = {
	.hook = watch, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING, .priority = 0,
};

static void watch_start(int fins_to_drop)
{
	nsegs = 0;
	drop_fins = fins_to_drop;
	assert_int_equal(nf_register_hook(&out_ops), 0);
	assert_int_equal(nf_register_hook(&in_ops), 0);
}

static void watch_stop(void)
{
	nf_unregister_hook(&in_ops);
	nf_unregister_hook(&out_ops);
	drop_fins = 0;
	drop_acks = 0;
}

/* The state its sender was in when the first segment with all of @flags left @port. */
static int sent_state(int port, u8 flags)
{
	int i;

	for (i = 0; i < nsegs; i++)
		if (segs[i].sport == port && (segs[i].flags & flags) == flags)
			return segs[i].state;
	return -2;
}

static int local_port(int fd)
{
	struct sockaddr_in me;
	socklen_t alen = sizeof(me);

	assert_int_equal(ul_getsockname(fd, (struct sockaddr *)&me, &alen), 0);
	return ntohs(me.sin_port);
}

/* The st column of /proc/net/tcp for the connection whose local port is @port. */
static int proc_state(int port)
{
	char *buf, *p, key[16];
	int err = 0, st = -1;

	buf = ul_proc_read("t", "/proc/net/tcp", &err);
	assert_non_null(buf);
	snprintf(key, sizeof(key), ":%04X ", port);
	p = strstr(buf, key);
	/* local_address is the first address of a line: "  N: 0100007F:PORT ..." */
	while (p && p[-10] != ':')
		p = strstr(p + 1, key);
	if (p)
		st = (int)strtol(p + 20, NULL, 16);
	free(buf);
	return st;
}

/* ---- 1. the client closes first ---- */

static void test_active_close(void **state)
{
	int lfd, cfd, sfd, cport, sport = 6000;
	char c;
	unsigned long tw0 = tcp_netstat_read(tnet, LINUX_MIB_TIMEWAITED);

	(void)state;
	tcp_pair(sport, &lfd, &cfd, &sfd);
	cport = local_port(cfd);
	watch_start(0);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(MS);
	/* The client sent its FIN in FIN_WAIT1; ACKed, the orphan is a TIME_WAIT sock in
	 * substate FIN_WAIT2 (/proc shows 05); the server is in CLOSE_WAIT. */
	assert_int_equal(sent_state(cport, TCPHDR_FIN | TCPHDR_ACK), TCP_FIN_WAIT1);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE_WAIT);
	assert_int_equal(proc_state(cport), TCP_FIN_WAIT2);
	assert_int_equal(inet_twsk_alive(), 1);
	assert_int_equal(tw_objs(), 1);
	/* The FIN is end of file for the server. */
	assert_int_equal(ul_recv(sfd, &c, 1, 0), 0);

	/* The server closes: LAST_ACK, the client's ACK, CLOSED; the client's side is in
	 * TIME_WAIT for 60 s from the FIN. */
	assert_int_equal(ul_close(sfd), 0);
	ul_run_for(MS);
	assert_int_equal(sent_state(sport, TCPHDR_FIN | TCPHDR_ACK), TCP_LAST_ACK);
	watch_stop();
	assert_int_equal(proc_state(cport), TCP_TIME_WAIT);
	assert_int_equal(proc_state(sport), TCP_LISTEN);
	assert_int_equal(tw_objs(), 1);
	ul_run_for(59 * SEC);
	assert_int_equal(proc_state(cport), TCP_TIME_WAIT);
	assert_int_equal(tw_objs(), 1);
	ul_run_for(SEC);
	assert_int_equal(proc_state(cport), -1);
	assert_int_equal(tw_objs(), 0);
	assert_int_equal(inet_twsk_alive(), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TIMEWAITED) - tw0, 1);
	ul_close(lfd);
}

/* ---- 1b. an orphaned FIN_WAIT2 whose peer never closes lasts tcp_fin_timeout (60 s) ---- */

static void test_orphan_fin_wait2(void **state)
{
	int lfd, cfd, sfd, cport, sport = 6006;

	(void)state;
	tcp_pair(sport, &lfd, &cfd, &sfd);
	cport = local_port(cfd);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(MS);
	assert_int_equal(proc_state(cport), TCP_FIN_WAIT2);
	ul_run_for(59 * SEC);
	assert_int_equal(proc_state(cport), TCP_FIN_WAIT2);
	ul_run_for(SEC);
	/* Gone without a RST: the server stays in CLOSE_WAIT until it closes. */
	assert_int_equal(proc_state(cport), -1);
	assert_int_equal(tw_objs(), 0);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE_WAIT);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- 2. shutdown(SHUT_WR) keeps the sockets: every state is visible ---- */

static void test_shutdown_states(void **state)
{
	int lfd, cfd, sfd, cport, sport = 6001;
	struct pollfd pfd[2];
	char c;
	unsigned long rst0 = tcp_mib_read(tnet, TCP_MIB_OUTRSTS);

	(void)state;
	tcp_pair(sport, &lfd, &cfd, &sfd);
	cport = local_port(cfd);
	watch_start(0);
	/* (lo delivers at once: the FIN's ACK is back before shutdown returns.) */
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	ul_run_for(MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_FIN_WAIT2);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE_WAIT);
	/* tcp_poll: the half-closed reader sees POLLIN | POLLRDHUP (no POLLHUP yet), the
	 * writer that shut down still POLLOUT. */
	pfd[0].fd = sfd;
	pfd[0].events = POLLIN | POLLOUT | POLLRDHUP;
	pfd[1].fd = cfd;
	pfd[1].events = POLLIN | POLLOUT | POLLRDHUP;
	assert_int_equal(ul_poll(pfd, 2, 0), 2);
	assert_int_equal(pfd[0].revents, POLLIN | POLLOUT | POLLRDHUP);
	assert_int_equal(pfd[1].revents, POLLOUT);
	assert_int_equal(ul_recv(sfd, &c, 1, 0), 0);
	/* Sending after SHUT_WR: EPIPE. */
	assert_int_equal(ul_send(cfd, "x", 1, MSG_NOSIGNAL), -1);
	assert_int_equal(errno, EPIPE);

	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	ul_run_for(MS);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	/* The client's socket went to CLOSE, a TIME_WAIT sock took its 4-tuple. */
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_int_equal(ul_recv(cfd, &c, 1, 0), 0);
	assert_int_equal(proc_state(cport), TCP_TIME_WAIT);
	assert_int_equal(tw_objs(), 1);
	/* Two FINs, and no RST anywhere. */
	assert_int_equal(sent_state(cport, TCPHDR_FIN), TCP_FIN_WAIT1);
	assert_int_equal(sent_state(sport, TCPHDR_FIN), TCP_LAST_ACK);
	assert_int_equal(sent_state(cport, TCPHDR_RST), -2);
	assert_int_equal(sent_state(sport, TCPHDR_RST), -2);
	watch_stop();
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_OUTRSTS), rst0);
	ul_close(cfd);
	ul_close(sfd);
	ul_run_for(61 * SEC);
	assert_int_equal(tw_objs(), 0);
	ul_close(lfd);
}

/* ---- 3. simultaneous close: both FINs cross (the first of each is lost) ---- */

static void test_simultaneous_close(void **state)
{
	int lfd, cfd, sfd, i, closing_seen = 0;
	unsigned long retr0 = tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS);

	(void)state;
	tcp_pair(6002, &lfd, &cfd, &sfd);
	watch_socks[0] = sk_of(cfd);
	watch_socks[1] = sk_of(sfd);
	watch_start(2);
	assert_int_equal(ul_shutdown(cfd, SHUT_WR), 0);
	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_FIN_WAIT1);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_FIN_WAIT1);
	/* Both FINs retransmit after the RTO: 201 ms (srtt/8 + rttvar, rttvar at least
	 * RTO_MIN 200 ms after the handshake's 1-jiffy RTT sample over lo, facts.md §3.7). */
	ul_run_for(200 * MS);
	assert_int_equal(sk_of(cfd)->sk_state, TCP_FIN_WAIT1);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_FIN_WAIT1);
	ul_run_for(2 * SEC);
	watch_stop();
	watch_socks[0] = watch_socks[1] = NULL;
	assert_int_equal(sk_of(cfd)->sk_state, TCP_CLOSE);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	/* Each side received the other's FIN in FIN_WAIT1 and ACKed it: CLOSING until its
	 * own FIN was ACKed, then TIME_WAIT. */
	for (i = 0; i < nsegs; i++)
		if (segs[i].pair_states & TCPF_CLOSING)
			closing_seen++;
	assert_true(closing_seen > 0);
	assert_int_equal(inet_twsk_alive(), 2);
	assert_int_equal(tw_objs(), 2);
	assert_true(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS) - retr0 >= 2);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
	ul_run_for(61 * SEC);
	assert_int_equal(tw_objs(), 0);
}

/* ---- 4. SO_LINGER {1, 0}: close sends RST, the peer sees ECONNRESET ---- */

static void test_linger_zero(void **state)
{
	int lfd, cfd, sfd;
	char c;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	unsigned long rst0 = tcp_mib_read(tnet, TCP_MIB_OUTRSTS);

	(void)state;
	tcp_pair(6003, &lfd, &cfd, &sfd);
	assert_int_equal(ul_setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(MS);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_OUTRSTS) - rst0, 1);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	assert_int_equal(ul_recv(sfd, &c, 1, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	assert_int_equal(tw_objs(), 0);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- 5. a FIN retransmitted into TIME_WAIT is ACKed again, and TIME_WAIT restarts ---- */

static void test_tw_acks_fin(void **state)
{
	int lfd, cfd, sfd, cport, sport = 6004, i, acks = 0;

	(void)state;
	tcp_pair(sport, &lfd, &cfd, &sfd);
	cport = local_port(cfd);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(MS);
	/* The client's last ACK is lost: the server stays in LAST_ACK. */
	watch_start(0);
	drop_acks = 1;
	assert_int_equal(ul_shutdown(sfd, SHUT_WR), 0);
	ul_run_for(MS);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_LAST_ACK);
	assert_int_equal(proc_state(cport), TCP_TIME_WAIT);
	/* The server's FIN comes back after its RTO (201 ms: RTO_MIN after the RTT sample). */
	ul_run_for(SEC);
	assert_int_equal(sk_of(sfd)->sk_state, TCP_CLOSE);
	watch_stop();
	for (i = 0; i < nsegs; i++)
		if (segs[i].sport == cport && segs[i].flags == TCPHDR_ACK)
			acks++;
	/* The ACK of the first FIN (lost) and the TIME_WAIT sock's ACK of the second. */
	assert_int_equal(acks, 2);
	/* The retransmitted FIN (at ~201 ms) restarted the 60 s. */
	ul_run_for(59 * SEC);
	assert_int_equal(proc_state(cport), TCP_TIME_WAIT);
	ul_run_for(SEC);
	assert_int_equal(proc_state(cport), -1);
	assert_int_equal(tw_objs(), 0);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- 6. connect reuses a TIME_WAIT 4-tuple only under tcp_tw_reuse ---- */

static void test_tw_reuse(void **state)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 6005);
	int lfd, cfd, sfd, fd2;
	unsigned long rec0 = tcp_netstat_read(tnet, LINUX_MIB_TIMEWAITRECYCLED);

	(void)state;
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "40000 40000"), 0);
	tcp_pair(6005, &lfd, &cfd, &sfd);
	assert_int_equal(local_port(cfd), 40000);
	assert_int_equal(ul_close(cfd), 0);
	ul_run_for(MS);
	assert_int_equal(ul_close(sfd), 0);
	ul_run_for(MS);
	assert_int_equal(proc_state(40000), TCP_TIME_WAIT);

	/* The only port is held by TIME_WAIT: EADDRNOTAVAIL without tcp_tw_reuse. */
	fd2 = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(ul_connect(fd2, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EADDRNOTAVAIL);
	ul_close(fd2);

	/* With tcp_tw_reuse and the last timestamp over 1 s old, connect takes it over. */
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_tw_reuse", "1"), 0);
	ul_run_for(2 * SEC);
	fd2 = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(ul_connect(fd2, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TIMEWAITRECYCLED) - rec0, 1);
	assert_int_equal(tw_objs(), 0);
	ul_run_for(MS);
	assert_int_equal(sk_of(fd2)->sk_state, TCP_ESTABLISHED);
	assert_int_equal(local_port(fd2), 40000);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_tw_reuse", "0"), 0);
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.ip_local_port_range", "32768 61000"), 0);
	ul_close(fd2);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_active_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphan_fin_wait2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linger_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tw_acks_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tw_reuse, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
