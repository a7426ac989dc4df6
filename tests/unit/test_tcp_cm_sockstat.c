/* SPDX-License-Identifier: MIT */
/* /proc/net/sockstat's TCP line through a connection's life (inuse, orphan, tw, alloc,
 * mem) and the orphan limit: beyond tcp_max_orphans, close() resets the connection
 * (TCPAbortOnMemory, "too many orphaned sockets").
 * Mirrors the behaviour of linux/net/ipv4/proc.c (sockstat_seq_show), tcp.c (tcp_close,
 * tcp_check_oom) and inet_connection_sock.c (inet_csk_destroy_sock) of 3.10. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_bulk_testutil.h"
#include "harness.h"
#include "net_testutil.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "s", &tnet);
}

static int teardown(void **state)
{
	assert_int_equal(ul_sysctl_set("s", "net.ipv4.tcp_max_orphans", "32768"), 0);
	ul_test_leave_netns("s", 100 * MS);
	tnet = NULL;
	return ul_test_teardown(state);
}

struct tcp_sockstat {
	int inuse, orphan, tw, alloc;
	long mem;
};

static struct tcp_sockstat sockstat(const char *ns)
{
	struct tcp_sockstat st = { -1, -1, -1, -1, -1 };
	int err = 0;
	char *buf = ul_proc_read(ns, "/proc/net/sockstat", &err), *p;

	assert_non_null(buf);
	p = strstr(buf, "\nTCP: ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "\nTCP: inuse %d orphan %d tw %d alloc %d mem %ld", &st.inuse,
				&st.orphan, &st.tw, &st.alloc, &st.mem), 5);
	free(buf);
	return st;
}

/* @m: the pages TCP holds, or MEM_ANY where a queued FIN holds some (the data path
 * charges it, sk_rmem_schedule): then the column is tcp_memory_allocated. */
#define MEM_ANY (-1L)
#define assert_sockstat(ns, i, o, t, a, m)                                          \
	do {                                                                        \
		struct tcp_sockstat __s = sockstat(ns);                             \
		assert_int_equal(__s.inuse, (i));                                   \
		assert_int_equal(__s.orphan, (o));                                  \
		assert_int_equal(__s.tw, (t));                                      \
		assert_int_equal(__s.alloc, (a));                                   \
		assert_int_equal(__s.mem, (m) == MEM_ANY ?                          \
				 atomic_long_read(&tcp_memory_allocated) : (m));    \
	} while (0)

static int listener(int port)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);
	int fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	assert_int_equal(ul_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(ul_listen(fd, 8), 0);
	return fd;
}

/* A connected pair to listener @lfd on @port: *cfd the client, *sfd the accepted side. */
static void pair(int lfd, int port, int *cfd, int *sfd)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", port);

	*cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(*cfd >= 0);
	assert_errno(ul_connect(*cfd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(50 * MS);
	*sfd = ul_accept(lfd, NULL, NULL);
	assert_true(*sfd >= 0);
}

/* Segments over lo arrive @ms later, so that a closed socket stays an orphan a while. */
static void lo_delay(int ms)
{
	char line[64], *out = NULL;

	snprintf(line, sizeof(line), "tc qdisc add dev lo root netem delay %dms", ms);
	assert_int_equal(ul_cmd("s", line, &out), 0);
	free(out);
}

static void test_sockstat_lifecycle(void **state)
{
	int lfd, cfd, sfd;
	char c;

	(void)state;
	assert_sockstat("s", 0, 0, 0, 0, 0L);
	/* A socket that is not hashed is allocated but not in use. */
	cfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_sockstat("s", 0, 0, 0, 1, 0L);
	ul_close(cfd);
	assert_sockstat("s", 0, 0, 0, 0, 0L);

	lo_delay(10);
	lfd = listener(7100);
	assert_sockstat("s", 1, 0, 0, 1, 0L);
	pair(lfd, 7100, &cfd, &sfd);
	assert_sockstat("s", 3, 0, 0, 3, 0L);
	/* The initial namespace has no TCP socket in use; the global columns are the same. */
	assert_sockstat(NULL, 0, 0, 0, 3, 0L);

	/* The client closes: an orphan in FIN_WAIT1 until its FIN is ACKed, then a TIME_WAIT
	 * sock in substate FIN_WAIT2, and the sock is freed. */
	assert_int_equal(ul_close(cfd), 0);
	assert_sockstat("s", 3, 1, 0, 3, 0L);
	ul_run_for(200 * MS);
	assert_sockstat("s", 2, 0, 1, 2, MEM_ANY);
	assert_int_equal(ul_recv(sfd, &c, 1, 0), 0);
	/* The server closes: an orphan in LAST_ACK, then freed when the ACK comes; the client
	 * side's TIME_WAIT sock stays 60 s. */
	assert_int_equal(ul_close(sfd), 0);
	assert_sockstat("s", 2, 1, 1, 2, MEM_ANY);
	ul_run_for(200 * MS);
	assert_sockstat("s", 1, 0, 1, 1, 0L);
	ul_run_for(60 * SEC);
	assert_sockstat("s", 1, 0, 0, 1, 0L);
	ul_close(lfd);
	assert_sockstat("s", 0, 0, 0, 0, 0L);
}

/* tcp_max_orphans=1: the second orphan is one too many; close() resets it at once. */
static void test_too_many_orphans(void **state)
{
	int lfd, cfd[3], sfd[3], i;
	unsigned long abort0 = tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY);
	unsigned long rst0 = tcp_mib_read(tnet, TCP_MIB_OUTRSTS);
	char val[32];

	(void)state;
	/* 3.10's default: half the established hash (facts.md §1.3). */
	assert_int_equal(ul_sysctl_get("s", "net.ipv4.tcp_max_orphans", val, sizeof(val)), 0);
	assert_string_equal(val, "32768");
	assert_int_equal(ul_sysctl_set("s", "net.ipv4.tcp_max_orphans", "1"), 0);
	lfd = listener(7101);
	for (i = 0; i < 3; i++)
		pair(lfd, 7101, &cfd[i], &sfd[i]);
	lo_delay(10);

	/* One orphan is allowed (1 > 1 is false): FIN_WAIT1. */
	assert_int_equal(ul_close(cfd[0]), 0);
	assert_sockstat("s", 7, 1, 0, 7, 0L);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY), abort0);
	/* The second would make two: reset and destroyed inside close(). */
	assert_int_equal(ul_close(cfd[1]), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY) - abort0, 1);
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_OUTRSTS) - rst0, 1);
	assert_sockstat("s", 6, 1, 0, 6, 0L);
	ul_run_for(200 * MS);
	/* The peers: the first in CLOSE_WAIT; the second got the FIN, then the RST: CLOSE. */
	assert_int_equal(sk_of(sfd[0])->sk_state, TCP_CLOSE_WAIT);
	assert_int_equal(sk_of(sfd[1])->sk_state, TCP_CLOSE);
	/* The first orphan is gone (a TIME_WAIT sock now): a new orphan fits again. */
	assert_sockstat("s", 4, 0, 1, 5, MEM_ANY);
	assert_int_equal(ul_close(cfd[2]), 0);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY) - abort0, 1);
	assert_sockstat("s", 4, 1, 1, 5, MEM_ANY);
	ul_run_for(200 * MS);
	assert_sockstat("s", 3, 0, 2, 4, MEM_ANY);
	/* The servers close: sfd[0] becomes the one orphan (LAST_ACK), sfd[1] is already
	 * closed, sfd[2] would be the second orphan: reset, and its RST kills cfd[2]'s
	 * TIME_WAIT sock (RFC 1337 unprotected, tcp_rfc1337 0). */
	for (i = 0; i < 3; i++)
		ul_close(sfd[i]);
	assert_int_equal(tcp_netstat_read(tnet, LINUX_MIB_TCPABORTONMEMORY) - abort0, 2);
	ul_close(lfd);
	ul_run_for(SEC);
	/* Everything freed but cfd[0]'s TIME_WAIT sock: no page held. */
	assert_sockstat("s", 0, 0, 1, 0, 0L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sockstat_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_orphans, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
