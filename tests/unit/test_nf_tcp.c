/* SPDX-License-Identifier: MIT */
/* TCP through a Docker-like NAT host: 16 MiB byte-exact from a container to the outside
 * through MASQUERADE and from the outside to a container through a published port
 * (DNAT 192.168.1.1:8080 -> 10.0.0.1:80), with the TCP conntrack entry seen in
 * `conntrack -L` during the transfer (ESTABLISHED, ASSURED, 300 s: 3.10's "unacknowledged"
 * timeout while data is in flight) and after the close
 * (TIME_WAIT, 120 s, then gone); a RST from REJECT --reject-with tcp-reset in FORWARD
 * going back through DNAT; a packet INVALID to conntrack dropped by
 * `-m conntrack --ctstate INVALID -j DROP`.
 * Mirrors the behaviour of linux/net/netfilter/nf_nat_core.c, nf_conntrack_proto_tcp.c
 * and net/ipv4/netfilter/ipt_REJECT.c (3.10) with the TCP data path on top.
 *
 * Topology (as test_nat.c): containers c (10.0.0.1) and c2 (10.0.0.3) on br0 of host r
 * (10.0.0.254, forwarding), r's uplink r1 (192.168.1.1) to outside host o (192.168.1.2),
 * which has no route to 10.0.0.0/24. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "ip_testdev.h"
#include "net_testutil.h"
#include "nf_testutil.h"
#include "tcp_bulk_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define TH_FIN 0x01
#define TH_SYN 0x02
#define MIB (1024 * 1024)

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	if (nf_nat_net_up())
		return -1;
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE");
	nf_cmd_ok("r", "iptables -t nat -A PREROUTING -i r1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.1:80");
	ul_run_for(MS);
	return 0;
}

static int teardown(void **state)
{
	static const char *const names[] = { "c", "c2", "r", "o" };

	return nf_test_teardown_netns(state, names, ARRAY_SIZE(names));
}

struct xfer {
	const char *srv_ip;	/* where the server listens (in its namespace) */
	int srv_port;
	const char *dst_ip;	/* where the client connects */
	int dst_port;
	int cli_port;		/* the client binds it (deterministic conntrack lines) */
	size_t total;
	int ready;
	size_t received;
	int bad_bytes;
	int eof;
	char peer[32];		/* the server's view of the client: "ip:port" */
	char *ct_during;	/* `conntrack -L -p tcp` on r at half way */
};

static int xfer_server(void *arg)
{
	struct xfer *x = arg;
	struct sockaddr_in peer;
	unsigned char *buf;
	int lfd, fd;

	fd = bulk_accept_one(x->srv_ip, x->srv_port, 0, &x->ready, &lfd, &peer, &buf);
	if (fd < 0)
		return -fd;
	snprintf(x->peer, sizeof(x->peer), "%u.%u.%u.%u:%u",
		 ((unsigned char *)&peer.sin_addr)[0], ((unsigned char *)&peer.sin_addr)[1],
		 ((unsigned char *)&peer.sin_addr)[2], ((unsigned char *)&peer.sin_addr)[3],
		 ntohs(peer.sin_port));
	return bulk_recv_close(fd, lfd, buf, &x->received, &x->bad_bytes, &x->eof);
}

static int xfer_client(void *arg)
{
	struct xfer *x = arg;
	const size_t chunk = 65536;
	unsigned char *buf;
	size_t sent = 0;
	int fd, guard = 0;

	fd = bulk_connect_buf(x->dst_ip, x->dst_port, &x->ready, x->cli_port, chunk, &buf);
	if (fd < 0)
		return -fd;
	while (sent < x->total && ++guard < 1000000) {
		ssize_t w = bulk_send_next(fd, buf, chunk, x->total, sent);

		if (w <= 0) {
			free(buf);
			return 21;
		}
		sent += (size_t)w;
		if (!x->ct_during && sent >= x->total / 2 &&
		    ul_cmd("r", "conntrack -L -p tcp", &x->ct_during)) {
			free(buf);
			return 22;
		}
	}
	free(buf);
	ul_close(fd);
	return 0;
}

static void run_xfer(const char *cli_ns, const char *srv_ns, struct xfer *x)
{
	bulk_run_tasks(cli_ns, srv_ns, xfer_server, xfer_client, x);
	bulk_assert_intact(x->total, x->received, x->bad_bytes, x->eof);
	assert_non_null(x->ct_during);
}

/* The line of @out holding @want after the timeout column; its timeout in *secs. */
static void assert_ct_line(const char *out, const char *want, long min_secs, long max_secs)
{
	const char *p = strstr(out, want);
	const char *line;
	long secs;

	if (!p)
		fprintf(stderr, "want [%s] in:\n%s", want, out);
	assert_non_null(p);
	line = p;
	while (line > out && line[-1] != '\n')
		line--;
	assert_int_equal(sscanf(line, "tcp      6 %ld ", &secs), 1);
	if (secs < min_secs || secs > max_secs)
		fprintf(stderr, "timeout %ld not in [%ld, %ld]: %.*s\n", secs, min_secs, max_secs,
			(int)strcspn(line, "\n"), line);
	assert_true(secs >= min_secs && secs <= max_secs);
}

static void test_nf_tcp_masquerade_16m(void **state)
{
	struct xfer x = { .srv_ip = "192.168.1.2", .srv_port = 80, .dst_ip = "192.168.1.2",
			  .dst_port = 80, .cli_port = 40000, .total = 16 * MIB };
	char *out;

	(void)state;
	run_xfer("c", "o", &x);
	/* The outside host saw only the host's address. */
	assert_string_equal(x.peer, "192.168.1.1:40000");
	assert_ct_line(x.ct_during, "ESTABLISHED src=10.0.0.1 dst=192.168.1.2 sport=40000 dport=80 src=192.168.1.2 dst=192.168.1.1 sport=80 dport=40000 [ASSURED] mark=0 use=1\n",
		       300, 300);
	free(x.ct_during);
	/* Both FINs and the last ACK seen: TIME_WAIT for 120 s. */
	ul_run_for(10 * MS);
	out = nf_cmd_out("r", "conntrack -L -p tcp");
	assert_ct_line(out, "TIME_WAIT src=10.0.0.1 dst=192.168.1.2 sport=40000 dport=80 src=192.168.1.2 dst=192.168.1.1 sport=80 dport=40000 [ASSURED] mark=0 use=1\n",
		       115, 120);
	free(out);
	ul_run_for(121 * SEC);
	out = nf_cmd_out("r", "conntrack -L -p tcp");
	assert_null(strstr(out, "dport=40000"));
	free(out);
}

static void test_nf_tcp_dnat_16m(void **state)
{
	struct xfer x = { .srv_ip = "0.0.0.0", .srv_port = 80, .dst_ip = "192.168.1.1",
			  .dst_port = 8080, .cli_port = 40001, .total = 16 * MIB };
	char *out;

	(void)state;
	run_xfer("o", "c", &x);
	/* The container sees the real client (DNAT changes only the destination). */
	assert_string_equal(x.peer, "192.168.1.2:40001");
	assert_ct_line(x.ct_during, "ESTABLISHED src=192.168.1.2 dst=192.168.1.1 sport=40001 dport=8080 src=10.0.0.1 dst=192.168.1.2 sport=80 dport=40001 [ASSURED] mark=0 use=1\n",
		       300, 300);
	free(x.ct_during);
	ul_run_for(10 * MS);
	out = nf_cmd_out("r", "conntrack -L -p tcp");
	assert_ct_line(out, "TIME_WAIT src=192.168.1.2 dst=192.168.1.1 sport=40001 dport=8080 src=10.0.0.1 dst=192.168.1.2 sport=80 dport=40001 [ASSURED] mark=0 use=1\n",
		       115, 120);
	free(out);
	/* The published port's rule counted the connection's first packet only. */
	nf_expect_in("r", "iptables -t nat -L PREROUTING -n -v", "    1    60 DNAT       tcp  --  r1     *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:10.0.0.1:80\n");
}

/* A connect to the published port REJECTed with tcp-reset in r's FORWARD chain: the RST
 * (built by r's netfilter, attached to the connection) leaves r translated back, from
 * 192.168.1.1:8080, so o's connect fails with ECONNREFUSED at once. */
static void test_nf_tcp_reject_forward_dnat(void **state)
{
	struct sockaddr_in a = ul_test_sin("192.168.1.1", 8080);
	int fd, err = -1;
	socklen_t l = sizeof(err);

	(void)state;
	nf_cmd_ok("r", "iptables -A FORWARD -p tcp -d 10.0.0.1 --dport 80 -j REJECT --reject-with tcp-reset");
	current->net = ul_net_by_name("o");
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(5 * MS);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, ECONNREFUSED);
	ul_close(fd);
	nf_expect_in("r", "iptables -L FORWARD -n -v", "    1    60 REJECT     tcp  --  *      *       0.0.0.0/0            10.0.0.1             tcp dpt:80 reject-with tcp-reset\n");
}

/* A TCP segment from o (192.168.1.2:40002) to c (10.0.0.1:80) with @flags, received on
 * r's uplink r1 as if o had sent it (o has no route to the containers). */
static void inject_tcp(u8 flags)
{
	struct net_device *dev = __dev_get_by_name(ul_net_by_name("r"), "r1");
	__be32 saddr = ipt_addr("192.168.1.2"), daddr = ipt_addr("10.0.0.1");
	u8 th[20], pkt[40];

	assert_non_null(dev);
	memset(th, 0, sizeof(th));
	th[0] = 40002 >> 8;
	th[1] = 40002 & 0xff;
	th[3] = 80;
	th[7] = 1;		/* seq 1 */
	th[12] = 5 << 4;
	th[13] = flags;
	th[15] = 0xff;		/* window */
	*(__sum16 *)(th + 16) = csum_tcpudp_magic(saddr, daddr, sizeof(th), IPPROTO_TCP,
						  csum_partial(th, sizeof(th), 0));
	ipt_build_ip(pkt, saddr, daddr, IPPROTO_TCP, 64, 1, 0, 5, NULL, th, sizeof(th));
	ipt_rx(dev, pkt, sizeof(pkt));
	ul_run_for(5 * MS);
}

/* conntrack's INVALID: a segment with SYN and FIN together belongs to no connection and
 * opens none (3.10 tcp_valid_flags); forwarded while no rule says otherwise, dropped and
 * counted by `-m conntrack --ctstate INVALID -j DROP`; a good connection still passes. */
static void test_nf_tcp_invalid_dropped(void **state)
{
	struct sockaddr_in a = ul_test_sin("192.168.1.1", 8080);
	struct sockaddr_in srv = ul_test_sin("0.0.0.0", 80);
	int fd, lfd, err = -1;
	socklen_t l = sizeof(err);
	char *out;

	(void)state;
	nf_cmd_ok("r", "iptables -A FORWARD -p tcp -d 10.0.0.1 -j ACCEPT");
	inject_tcp(TH_SYN | TH_FIN);
	nf_cmd_ok("r", "iptables -I FORWARD -m conntrack --ctstate INVALID -j DROP");
	inject_tcp(TH_SYN | TH_FIN);
	/* The first got through: c answered it with a RST (40 bytes), which took the
	 * policy on its way back (INVALID too, but the DROP rule came later). */
	out = nf_cmd_out("r", "iptables -L FORWARD -n -v");
	assert_string_equal(out,
		"Chain FORWARD (policy ACCEPT 1 packets, 40 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    1    40 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID\n"
		"    1    40 ACCEPT     tcp  --  *      *       0.0.0.0/0            10.0.0.1            \n");
	free(out);
	/* Nothing was tracked for it. */
	out = nf_cmd_out("r", "conntrack -L -p tcp");
	assert_null(strstr(out, "sport=40002"));
	free(out);

	/* A real connection through the published port is not INVALID. */
	current->net = ul_net_by_name("c");
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(lfd >= 0);
	assert_int_equal(ul_bind(lfd, (struct sockaddr *)&srv, sizeof(srv)), 0);
	assert_int_equal(ul_listen(lfd, 4), 0);
	current->net = ul_net_by_name("o");
	fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_errno(ul_connect(fd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS);
	ul_run_for(5 * MS);
	assert_int_equal(ul_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l), 0);
	assert_int_equal(err, 0);
	ul_close(fd);
	current->net = ul_net_by_name("c");
	ul_close(lfd);
	ul_run_for(5 * MS);
	out = nf_cmd_out("r", "iptables -L FORWARD -n -v");
	assert_non_null(strstr(out, "    1    40 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID\n"));
	assert_null(strstr(out, "    1    40 ACCEPT"));	/* it counted the connection */
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nf_tcp_masquerade_16m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nf_tcp_dnat_16m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nf_tcp_reject_forward_dnat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nf_tcp_invalid_dropped, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
