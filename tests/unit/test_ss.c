/* SPDX-License-Identifier: MIT */
/* The ss view over the protocols' tables (book ch6), in a namespace of its own: a bound UDP
 * socket, an AF_UNIX listener, a TCP listener with backlog 5 and 2 connections waiting in
 * its accept queue (ss -lnt: Recv-Q 2, Send-Q 5), a SYN-SENT connect, ss -tan states, ss -s
 * counts, -p users, -m skmem, -i tcp_info, -e details and the state/sport/dport filters.
 * Mirrors the output of iproute2 ss(8) over linux/net/ipv4/inet_diag.c, udp_diag.c and
 * net/unix/diag.c (3.10). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/net.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "net/sock.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "views/views.h"

#define MS (1000ULL * 1000ULL)

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

static unsigned long ino_of(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	unsigned long ino;

	assert_non_null(sock);
	ino = sock_i_ino(sock->sk);
	fput(sock->file);
	return ino;
}

/* Run "ss ARGS..." (words split on blanks) in namespace t: its output, malloc'ed. */
static char *ss(int *ret, const char *args)
{
	char *argv[16], copy[256], *save = NULL, *w, *buf = NULL, *ebuf = NULL;
	size_t len = 0, elen = 0;
	FILE *f = open_memstream(&buf, &len), *e = open_memstream(&ebuf, &elen);
	int argc = 0;

	assert_non_null(f);
	assert_non_null(e);
	argv[argc++] = "ss";
	snprintf(copy, sizeof(copy), "%s", args);
	for (w = strtok_r(copy, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	*ret = ul_view_run("t", argc, argv, f, e);
	fclose(f);
	fclose(e);
	free(ebuf);
	return buf;
}

static int count_of(const char *text, const char *needle)
{
	int n = 0;
	const char *p = text;

	while ((p = strstr(p, needle)) != NULL && n < 1000) {
		n++;
		p += strlen(needle);
	}
	return n;
}

struct world {
	int udp, ux, lfd, c[2], syn;
	unsigned long ux_ino;
};

static void build(struct world *w)
{
	struct sockaddr_in a = ul_test_sin("127.0.0.1", 5000), l = ul_test_sin("127.0.0.1", 8080);
	struct sockaddr_in far = ul_test_sin("10.9.9.9", 8081);
	char *cmdout = NULL;
	struct sockaddr_un sun;
	socklen_t sl;
	int i;

	w->udp = ul_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(w->udp >= 0);
	assert_int_equal(ul_bind(w->udp, (struct sockaddr *)&a, sizeof(a)), 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, "/tmp/ss.sock");
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sun.sun_path) + 1);
	w->ux = ul_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(w->ux >= 0);
	assert_int_equal(ul_bind(w->ux, (struct sockaddr *)&sun, sl), 0);
	assert_int_equal(ul_listen(w->ux, 3), 0);
	w->ux_ino = ino_of(w->ux);

	w->lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(w->lfd >= 0);
	assert_int_equal(ul_bind(w->lfd, (struct sockaddr *)&l, sizeof(l)), 0);
	assert_int_equal(ul_listen(w->lfd, 5), 0);
	for (i = 0; i < 2; i++) {
		w->c[i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(w->c[i] >= 0);
		assert_int_equal(ul_connect(w->c[i], (struct sockaddr *)&l, sizeof(l)), -1);
		assert_int_equal(errno, EINPROGRESS);
		ul_run_for(MS);
	}
	/* A connect whose SYN goes nowhere (routed to lo, not local, not forwarded): it
	 * stays SYN-SENT. */
	assert_int_equal(ul_cmd("t", "ip route add 10.9.9.0/24 dev lo", &cmdout), 0);
	free(cmdout);
	w->syn = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(w->syn >= 0);
	assert_int_equal(ul_connect(w->syn, (struct sockaddr *)&far, sizeof(far)), -1);
	assert_int_equal(errno, EINPROGRESS);
}

static void test_ss_lnt(void **state)
{
	struct world w;
	int ret;
	char *out;

	(void)state;
	build(&w);
	out = ss(&ret, "-lnt");
	assert_int_equal(ret, 0);
	assert_string_equal(out,
		"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
		"LISTEN 2      5          127.0.0.1:8080      0.0.0.0:*          \n");
	free(out);
}

static void test_ss_tan(void **state)
{
	struct world w;
	int ret;
	char *out;

	(void)state;
	build(&w);
	out = ss(&ret, "-tan");
	assert_int_equal(ret, 0);
	printf("%s", out);
	assert_int_equal(count_of(out, "\n"), 1 + 1 + 4 + 1);
	assert_int_equal(count_of(out, "LISTEN   2      5          127.0.0.1:8080"), 1);
	assert_int_equal(count_of(out, "ESTAB "), 4);
	assert_int_equal(count_of(out, "SYN-SENT "), 1);
	assert_int_equal(count_of(out, "10.9.9.9:8081"), 1);
	free(out);

	/* Filters: one state; a local port; a peer port. */
	out = ss(&ret, "-tn state established");
	assert_int_equal(ret, 0);
	assert_int_equal(count_of(out, "\n"), 5);
	assert_true(strncmp(out, "Recv-Q Send-Q", 13) == 0);	/* one state: no State column */
	free(out);
	out = ss(&ret, "-tan sport = :8080");
	assert_int_equal(count_of(out, "\n"), 1 + 3);
	free(out);
	out = ss(&ret, "-tn dport = :8080");
	assert_int_equal(count_of(out, "\n"), 1 + 2);
	free(out);
	out = ss(&ret, "-tn state bogus");
	assert_int_equal(ret, -EINVAL);
	free(out);
}

static void test_ss_udp_unix(void **state)
{
	struct world w;
	int ret;
	char *out, want[512];

	(void)state;
	build(&w);
	out = ss(&ret, "-lnu");
	assert_int_equal(ret, 0);
	assert_string_equal(out,
		"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
		"UNCONN 0      0          127.0.0.1:5000      0.0.0.0:*          \n");
	free(out);

	out = ss(&ret, "-lx");
	assert_int_equal(ret, 0);
	snprintf(want, sizeof(want), "u_str LISTEN 0      3       /tmp/ss.sock %-4lu"
		 "            * 0   ", w.ux_ino);
	printf("%s", out);
	assert_non_null(strstr(out, want));
	free(out);

	out = ss(&ret, "-lxm");
	assert_int_equal(ret, 0);
	assert_non_null(strstr(out, " * 0    skmem:(r0,rb"));
	assert_null(strstr(out, "\t"));
	free(out);

	/* Everything listening: unix first, then udp, then tcp (ss's order). */
	out = ss(&ret, "-ln");
	assert_int_equal(ret, 0);
	assert_true(strstr(out, "u_str") < strstr(out, "udp"));
	assert_true(strstr(out, "udp") < strstr(out, "tcp"));
	free(out);

	/* A SOCK_SEQPACKET pair is "u_seq", as iproute2's ss names it. */
	{
		int sp[2];

		assert_int_equal(ul_socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
		out = ss(&ret, "-x");
		assert_int_equal(ret, 0);
		assert_int_equal(count_of(out, "u_seq ESTAB"), 2);
		free(out);
		ul_close(sp[0]);
		ul_close(sp[1]);
	}
}

static void test_ss_summary(void **state)
{
	struct world w;
	int ret;
	char *out;

	(void)state;
	build(&w);
	out = ss(&ret, "-s");
	assert_int_equal(ret, 0);
	printf("%s", out);
	assert_non_null(strstr(out, "TCP:   6 (estab 4, closed 0, orphaned 0, timewait 0)\n"));
	assert_non_null(strstr(out, "\nTransport Total     IP        IPv6\n"));
	assert_non_null(strstr(out, "\nUDP\t  1         1         0        \n"));
	assert_non_null(strstr(out, "\nTCP\t  6         6         0        \n"));
	assert_non_null(strstr(out, "\nINET\t  7         7         0        \n"));
	free(out);
}

static void test_ss_details(void **state)
{
	struct world w;
	int ret;
	char *out, want[256];

	(void)state;
	build(&w);
	out = ss(&ret, "-lntp");
	assert_int_equal(ret, 0);
	snprintf(want, sizeof(want), "*    users:((\"%s\",pid=%d,fd=%d))\n", current->comm,
		 current->pid, w.lfd);
	printf("%s", out);
	assert_non_null(strstr(out, want));
	free(out);

	out = ss(&ret, "-lnum");
	assert_int_equal(ret, 0);
	assert_non_null(strstr(out, "\n\t skmem:(r0,rb"));
	free(out);

	out = ss(&ret, "-tni state established");
	assert_int_equal(ret, 0);
	printf("%s", out);
	assert_int_equal(count_of(out, " cubic"), 4);
	assert_int_equal(count_of(out, " cwnd:10"), 4);
	assert_int_equal(count_of(out, " mss:"), 4);
	free(out);

	snprintf(want, sizeof(want), " ino:%lu sk:%lx <->", ino_of(w.lfd), ino_of(w.lfd));
	out = ss(&ret, "-lnte");
	assert_non_null(strstr(out, want));
	free(out);

	out = ss(&ret, "-w");
	assert_int_equal(ret, 0);
	assert_string_equal(out, "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n");
	free(out);
	out = ss(&ret, "-Z");
	assert_int_equal(ret, -EINVAL);
	free(out);
}

/* The book's overflow (backlog 2, 5 clients): 3 children queued, the last two final ACKs
 * dropped, their requests still in the SYN table: ss shows them SYN-RECV. */
static void test_ss_syn_recv(void **state)
{
	struct sockaddr_in l = ul_test_sin("127.0.0.1", 8090);
	int lfd, fds[5], i, ret;
	char *out;

	(void)state;
	lfd = ul_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&l, sizeof(l)), 0);
	assert_int_equal(ul_listen(lfd, 2), 0);
	for (i = 0; i < 5; i++) {
		fds[i] = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fds[i] >= 0);
		assert_int_equal(ul_connect(fds[i], (struct sockaddr *)&l, sizeof(l)), -1);
		ul_run_for(MS);
	}
	out = ss(&ret, "-lnt");
	assert_int_equal(ret, 0);
	assert_string_equal(out,
		"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
		"LISTEN 3      2          127.0.0.1:8090      0.0.0.0:*          \n");
	free(out);
	out = ss(&ret, "-tn state syn-recv");
	assert_int_equal(ret, 0);
	assert_int_equal(count_of(out, "\n"), 1 + 2);
	assert_int_equal(count_of(out, "0      0          127.0.0.1:8090    127.0.0.1:"), 2);
	free(out);
	out = ss(&ret, "-tan sport = :8090");
	assert_int_equal(count_of(out, "SYN-RECV "), 2);
	assert_int_equal(count_of(out, "ESTAB "), 3);
	assert_int_equal(count_of(out, "LISTEN "), 1);
	free(out);
	/* AF_UNIX -m: skmem on the row itself. */
	out = ss(&ret, "-xm");
	assert_int_equal(ret, 0);
	assert_string_equal(out, "Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n");
	free(out);
	/* Closing order as test_tcp_conn's overflow test: the listener first (it resets the
	 * queued connections), then the clients. */
	ul_close(lfd);
	ul_run_for(MS);
	for (i = 0; i < 5; i++)
		ul_close(fds[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ss_lnt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_tan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_udp_unix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_syn_recv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
