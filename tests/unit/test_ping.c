/* SPDX-License-Identifier: MIT */
/* Ping sockets (SOCK_DGRAM/IPPROTO_ICMP): echo over lo and across a veth pair between two
 * namespaces (reply matched by id = bound ident, seq kept, payload intact, IcmpMsg counters),
 * net.ipv4.ping_group_range, refusals (raw ICMP, bad type, short message), and ICMP errors
 * reaching the socket (net unreachable with IP_RECVERR).
 * Mirrors the behaviour of linux/net/ipv4/ping.c (3.10). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/sysctl.h"
#include "net/icmp.h"
#include "net/net_namespace.h"
#include "uapi/linux/icmp.h"
#include "ulnet/ping.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)

static int run_ip(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		print_message("'%s' in %s: %d %s\n", line, ns, err, out ? out : "");
	free(out);
	return err;
}

static struct net *tnet;

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	int fd;

	/* Sockets of "a" and "b" close before their namespaces go. */
	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	current->net = NULL;
	ul_netns_del("a");
	ul_netns_del("b");
	tnet = NULL;
	return ul_test_teardown_netns(state, "t");
}

static struct sockaddr_in sin_of(const char *ip)
{
	return ul_test_sin(ip, 0);
}

/* An echo request: 8-byte header (id 0xdead: the kernel replaces it) and @n bytes 0..n-1. */
static size_t make_echo(unsigned char *buf, uint16_t seq, size_t n)
{
	struct icmphdr h;
	size_t i;

	memset(&h, 0, sizeof(h));
	h.type = ICMP_ECHO;
	h.un.echo.id = htons(0xdead);
	h.un.echo.sequence = htons(seq);
	memcpy(buf, &h, sizeof(h));
	for (i = 0; i < n; i++)
		buf[sizeof(h) + i] = (unsigned char)i;
	return sizeof(h) + n;
}

static int bound_ident(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	assert_int_equal(ul_getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	return ntohs(sin.sin_port);
}

/* Check one echo reply of @len bytes in @buf for @ident/@seq with 0..n-1 payload. */
static void check_reply(const unsigned char *buf, ssize_t len, int ident, uint16_t seq,
			size_t n)
{
	struct icmphdr h;
	size_t i;

	assert_int_equal(len, (ssize_t)(sizeof(h) + n));
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.type, ICMP_ECHOREPLY);
	assert_int_equal(h.code, 0);
	assert_int_equal(ntohs(h.un.echo.id), ident);
	assert_int_equal(ntohs(h.un.echo.sequence), seq);
	for (i = 0; i < n; i++)
		assert_int_equal(buf[sizeof(h) + i], (unsigned char)i);
}

static void test_echo_over_lo(void **state)
{
	struct sockaddr_in to = sin_of("127.0.0.1"), from;
	socklen_t flen = sizeof(from);
	unsigned char req[128], rep[128];
	unsigned long out_echo0 = icmpmsg_mib_read(tnet, 0x100 | ICMP_ECHO);
	unsigned long in_rep0 = icmpmsg_mib_read(tnet, ICMP_ECHOREPLY);
	size_t n = make_echo(req, 1, 56);
	int fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), other, ident;
	uint64_t t0, rtt;

	(void)state;
	assert_true(fd >= 0);
	/* Unbound until the first send (autobind takes the ident). */
	assert_int_equal(bound_ident(fd), 0);
	t0 = ul_now_ns();
	assert_int_equal(ul_sendto(fd, req, n, 0, (struct sockaddr *)&to, sizeof(to)), (ssize_t)n);
	ident = bound_ident(fd);
	assert_true(ident > 0);
	/* A second socket with its own ident does not see the reply. */
	other = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	assert_true(other >= 0);
	ul_run_for(MS);
	check_reply(rep, ul_recvfrom(fd, rep, sizeof(rep), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &flen), ident, 1, 56);
	rtt = ul_now_ns() - t0;
	assert_true(rtt > 0 && rtt <= 2 * MS);
	assert_int_equal(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(from.sin_port, 0);
	errno = 0;
	assert_int_equal(ul_recv(other, rep, sizeof(rep), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	/* One reply in (IcmpMsg InType0). OutType8 counts 2 for one request, as 3.10: both
	 * ping_sendmsg and __ip_make_skb call icmp_out_count. */
	assert_int_equal(icmpmsg_mib_read(tnet, 0x100 | ICMP_ECHO) - out_echo0, 2);
	assert_int_equal(icmpmsg_mib_read(tnet, ICMP_ECHOREPLY) - in_rep0, 1);

	/* Truncation: MSG_TRUNC set, the first bytes given. */
	n = make_echo(req, 2, 56);
	assert_int_equal(ul_sendto(fd, req, n, 0, (struct sockaddr *)&to, sizeof(to)), (ssize_t)n);
	ul_run_for(MS);
	assert_int_equal(ul_recv(fd, rep, 10, MSG_DONTWAIT), 10);

	/* bind to an explicit ident: the reply carries it. */
	assert_int_equal(ul_close(other), 0);
	other = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	to.sin_port = htons(4242);
	assert_int_equal(ul_bind(other, (struct sockaddr *)&to, sizeof(to)), 0);
	assert_int_equal(bound_ident(other), 4242);
	to.sin_port = 0;
	n = make_echo(req, 7, 0);
	assert_int_equal(ul_sendto(other, req, n, 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)n);
	ul_run_for(MS);
	check_reply(rep, ul_recv(other, rep, sizeof(rep), MSG_DONTWAIT), 4242, 7, 0);
	assert_int_equal(ul_close(fd), 0);
	assert_int_equal(ul_close(other), 0);
}

static void test_refusals(void **state)
{
	struct sockaddr_in to = sin_of("127.0.0.1");
	unsigned char req[64];
	char buf[32];
	size_t n;
	int fd;

	(void)state;
	/* Raw ICMP sockets are not implemented. */
	errno = 0;
	assert_int_equal(ul_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), -1);
	assert_int_equal(errno, EPROTONOSUPPORT);

	/* ulnet's default lets every group in; 3.10's "1 0" lets nobody in (EACCES). */
	assert_int_equal(ul_sysctl_read(tnet, "net.ipv4.ping_group_range", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0\t2147483647");
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.ping_group_range", "1 0"), 0);
	errno = 0;
	assert_int_equal(ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.ping_group_range", "-1 0"), -EINVAL);
	assert_int_equal(ul_sysctl_write(tnet, "net.ipv4.ping_group_range", "0 0"), 0);

	fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	assert_true(fd >= 0);
	/* Only ICMP_ECHO code 0 may be sent; a message must hold an ICMP header. */
	n = make_echo(req, 1, 8);
	req[0] = ICMP_TIMESTAMP;
	errno = 0;
	assert_int_equal(ul_sendto(fd, req, n, 0, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EINVAL);
	req[0] = ICMP_ECHO;
	errno = 0;
	assert_int_equal(ul_sendto(fd, req, 4, 0, (struct sockaddr *)&to, sizeof(to)), -1);
	assert_int_equal(errno, EINVAL);
	/* Not connected, no address. */
	errno = 0;
	assert_int_equal(ul_send(fd, req, n, 0), -1);
	assert_int_equal(errno, EDESTADDRREQ);
	assert_int_equal(ul_close(fd), 0);
}

struct ping_args {
	int rc;
	int err;
	ssize_t len;
	int ident;
	uint64_t rtt;
	uint64_t rtt2;
	ssize_t len2;
	unsigned char rep[128];
	unsigned char rep2[128];
};

/* In namespace a: two echoes to 10.1.0.2 (seq 3 then 4), blocking for each reply. */
static int ping_task(void *arg)
{
	struct ping_args *p = arg;
	struct sockaddr_in to = sin_of("10.1.0.2");
	unsigned char req[128];
	size_t n = make_echo(req, 3, 56);
	int fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	uint64_t t0 = ul_now_ns();

	p->rc = -1;
	if (fd < 0)
		return 1;
	if (ul_sendto(fd, req, n, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)n) {
		p->ident = bound_ident(fd);
		p->len = ul_recv(fd, p->rep, sizeof(p->rep), 0);
		p->rtt = ul_now_ns() - t0;
		n = make_echo(req, 4, 56);
		t0 = ul_now_ns();
		if (ul_sendto(fd, req, n, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)n) {
			p->len2 = ul_recv(fd, p->rep2, sizeof(p->rep2), 0);
			p->rtt2 = ul_now_ns() - t0;
			p->rc = 0;
		}
	}
	ul_close(fd);
	return 0;
}

/* In namespace a, IP_RECVERR on: an echo to 10.2.0.9 that b cannot route. */
static int unreach_task(void *arg)
{
	struct ping_args *p = arg;
	struct sockaddr_in to = sin_of("10.2.0.9");
	unsigned char req[64];
	size_t n = make_echo(req, 1, 8);
	int fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), one = 1;

	p->rc = -1;
	if (fd < 0 || ul_setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)) < 0)
		return 1;
	if (ul_sendto(fd, req, n, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)n) {
		errno = 0;
		p->len = ul_recv(fd, p->rep, sizeof(p->rep), 0);
		p->err = errno;
		p->rc = 0;
	}
	ul_close(fd);
	return 0;
}

static void make_pair(void)
{
	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("b"), 0);
	assert_int_equal(run_ip("a", "ip link add veth0 type veth peer name veth1 netns b"), 0);
	assert_int_equal(run_ip("a", "ip addr add 10.1.0.1/24 dev veth0"), 0);
	assert_int_equal(run_ip("a", "ip link set veth0 up"), 0);
	assert_int_equal(run_ip("b", "ip addr add 10.1.0.2/24 dev veth1"), 0);
	assert_int_equal(run_ip("b", "ip link set veth1 up"), 0);
}

static void test_echo_across_veth(void **state)
{
	struct ping_args p = { .rc = -2 };
	struct net *a, *b;
	unsigned long a_rep0, b_echo0;
	struct ul_task *t;

	(void)state;
	make_pair();
	a = ul_net_by_name("a");
	b = ul_net_by_name("b");
	a_rep0 = icmpmsg_mib_read(a, ICMP_ECHOREPLY);
	b_echo0 = icmpmsg_mib_read(b, ICMP_ECHO);
	/* 10 ms one way (a -> b): virtual time makes the round trip exact. */
	assert_int_equal(run_ip("a", "tc qdisc add dev veth0 root netem delay 10ms"), 0);
	t = ul_task_spawn("a", "ping", 0, ping_task, &p);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(p.rc, 0);
	check_reply(p.rep, p.len, p.ident, 3, 56);
	check_reply(p.rep2, p.len2, p.ident, 4, 56);
	/* The first echo waits for ARP: the request crosses the delay, then the queued echo
	 * does (20 ms); the second goes straight out (10 ms). Processing costs no virtual
	 * time. */
	assert_int_equal(p.rtt, 20 * MS);
	assert_int_equal(p.rtt2, 10 * MS);
	assert_int_equal(icmpmsg_mib_read(a, ICMP_ECHOREPLY) - a_rep0, 2);
	assert_int_equal(icmpmsg_mib_read(b, ICMP_ECHO) - b_echo0, 2);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

static void test_net_unreachable_error(void **state)
{
	struct ping_args p = { .rc = -2 };
	struct ul_task *t;

	(void)state;
	make_pair();
	assert_int_equal(run_ip("a", "ip route add 10.2.0.0/24 via 10.1.0.2"), 0);
	assert_int_equal(ul_sysctl_write(ul_net_by_name("b"), "net.ipv4.ip_forward", "1"), 0);
	t = ul_task_spawn("a", "ping", 0, unreach_task, &p);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(p.rc, 0);
	/* b has no route: ICMP net unreachable (code 0) -> ENETUNREACH on the socket (not
	 * fatal: only reported because of IP_RECVERR). */
	assert_int_equal(p.len, -1);
	assert_int_equal(p.err, ENETUNREACH);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

/* ul_ping's output in @ns, into a string (caller frees), and its exit status. */
static char *ping_output(const char *ns, const char *line, int *status)
{
	char *argv[16], *copy = strdup(line), *save = NULL, *w, *text = NULL;
	size_t len = 0;
	int argc = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(copy);
	assert_non_null(f);
	for (w = strtok_r(copy, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	*status = ul_ping(ns, argc, argv, f);
	fclose(f);
	free(copy);
	return text;
}

static void test_ping_program_output(void **state)
{
	char *text;
	int status;

	(void)state;
	make_pair();
	assert_int_equal(run_ip("a", "tc qdisc add dev veth0 root netem delay 10ms"), 0);
	text = ping_output("a", "ping -c 3 10.1.0.2", &status);
	assert_int_equal(status, 0);
	/* Exactly iputils' text: the first echo waits 10 ms more for ARP; virtual time makes
	 * every number exact. mdev = sqrt(200000000 - 13333^2) us = 4.714 ms. */
	assert_string_equal(text,
		"PING 10.1.0.2 (10.1.0.2) 56(84) bytes of data.\n"
		"64 bytes from 10.1.0.2: icmp_seq=1 ttl=64 time=20.0 ms\n"
		"64 bytes from 10.1.0.2: icmp_seq=2 ttl=64 time=10.0 ms\n"
		"64 bytes from 10.1.0.2: icmp_seq=3 ttl=64 time=10.0 ms\n"
		"\n"
		"--- 10.1.0.2 ping statistics ---\n"
		"3 packets transmitted, 3 received, 0% packet loss, time 2010ms\n"
		"rtt min/avg/max/mdev = 10.000/13.333/20.000/4.714 ms\n");
	free(text);

	/* -s 8 (< a timeval): no timing, no rtt line; -i 0.5. */
	text = ping_output("a", "ping -c 2 -i 0.5 -s 8 10.1.0.2", &status);
	assert_int_equal(status, 0);
	assert_string_equal(text,
		"PING 10.1.0.2 (10.1.0.2) 8(36) bytes of data.\n"
		"16 bytes from 10.1.0.2: icmp_seq=1 ttl=64\n"
		"16 bytes from 10.1.0.2: icmp_seq=2 ttl=64\n"
		"\n"
		"--- 10.1.0.2 ping statistics ---\n"
		"2 packets transmitted, 2 received, 0% packet loss, time 510ms\n");
	free(text);

	/* Nobody answers (b's address is down): -W 2 after the last echo, exit status 1. */
	assert_int_equal(run_ip("b", "ip link set veth1 down"), 0);
	text = ping_output("a", "ping -c 1 -W 2 10.1.0.2", &status);
	assert_int_equal(status, 1);
	assert_string_equal(text,
		"PING 10.1.0.2 (10.1.0.2) 56(84) bytes of data.\n"
		"\n"
		"--- 10.1.0.2 ping statistics ---\n"
		"1 packets transmitted, 0 received, 100% packet loss, time 2000ms\n");
	free(text);

	/* No route: iputils' probe connect fails first. Bad arguments: exit status 2. */
	text = ping_output("a", "ping -c 1 192.0.2.1", &status);
	assert_int_equal(status, 2);
	assert_string_equal(text, "connect: Network is unreachable\n");
	free(text);
	text = ping_output("a", "ping -c 0 10.1.0.2", &status);
	assert_int_equal(status, 2);
	assert_string_equal(text, "ping: bad number of packets to transmit.\n");
	free(text);
	text = ping_output("a", "ping -c 1 not-an-address", &status);
	assert_int_equal(status, 2);
	free(text);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo_over_lo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_across_veth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_net_unreachable_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_program_output, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
