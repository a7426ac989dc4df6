/* SPDX-License-Identifier: MIT */
/* The container lab (book ch10): a Docker-like host with a bridge docker0 and two
 * "containers" (namespaces on veth pairs), MASQUERADE to an outside host and a published
 * port (DNAT host:8080 -> container:80, UDP and TCP). It shows container-to-container
 * traffic staying on the bridge (FDB entries) with ping times beside the book's, the
 * outside host seeing only the host's address, a TCP connection from outside reaching
 * the container through DNAT, the conntrack entries of each flow, and the function path
 * of a forwarded packet.
 * Mirrors no kernel file: an experiment on net/bridge, net/ipv4/ip_forward.c,
 * net/netfilter/nf_conntrack_core.c and nf_nat_core.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/in.h"
#include "linux/sched.h"
#include "uapi/linux/icmp.h"
#include "net/net_namespace.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"
#include "tcp_book.h"

#define CT_MS (1000ULL * 1000ULL)

static struct sockaddr_in ct_sin(const char *ip, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((u16)port);
	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static int ct_socket(const char *ns, int port)
{
	struct sockaddr_in sin = ct_sin("0.0.0.0", port);
	int fd;

	current->net = ul_net_by_name(ns);
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0 && port && ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		ul_close(fd);
		return -1;
	}
	return fd;
}

static void ct_send(const char *ns, int fd, const char *ip, int port, const char *msg)
{
	struct sockaddr_in dst = ct_sin(ip, port);

	current->net = ul_net_by_name(ns);
	ul_sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&dst, sizeof(dst));
	ul_run_for(20 * CT_MS);
}

/* One datagram on @fd: its sender "ip:port" in @from; its length or -errno. */
static int ct_recv(const char *ns, int fd, char *from, size_t len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	char buf[64], a[INET_ADDRSTRLEN];
	ssize_t r;

	current->net = ul_net_by_name(ns);
	from[0] = '\0';
	r = ul_recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sin, &sl);
	if (r < 0)
		return -errno;
	inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
	snprintf(from, len, "%s:%u", a, ntohs(sin.sin_port));
	return (int)r;
}

/* ping c1 -> c2 on the bridge (a ping socket, as iputils' ping without privileges), from
 * the lab's own thread: the CPU time each of three echoes took, from the send to the
 * reply read (the sim runtime's virtual clock charges nothing for the work itself, so
 * this is the cost the book's wall-clock figure reflects). -1 when lost. */
struct ct_ping {
	double rtt_us[3];
};

static void ct_ping_run(struct ct_ping *p)
{
	struct sockaddr_in to = ct_sin("172.17.0.3", 0);
	int fd, i;

	current->net = ul_net_by_name("c1");
	fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	for (i = 0; i < 3; i++) {
		struct icmphdr req;
		unsigned char buf[128];
		double t0;
		ssize_t r = -1;
		int guard;

		p->rtt_us[i] = -1;
		if (fd < 0)
			continue;
		memset(&req, 0, sizeof(req));
		req.type = ICMP_ECHO;
		req.un.echo.sequence = htons((u16)(i + 1));
		t0 = lab_cpu_seconds();
		if (ul_sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			continue;
		/* Step the clock until the reply is there (bounded: 100 ms). */
		for (guard = 0; guard < 1000 && r < 0; guard++) {
			ul_run_for(100 * 1000);
			r = ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		}
		if (r >= (ssize_t)sizeof(req) && buf[0] == ICMP_ECHOREPLY)
			p->rtt_us[i] = (lab_cpu_seconds() - t0) * 1e6;
		ul_run_for(100 * CT_MS);
	}
	if (fd >= 0)
		ul_close(fd);
}

/* The TCP connection's sockets: c1's listener and accepted socket, outside's client. */
static int ct_lfd = -1, ct_sfd = -1, ct_cfd = -1;

static void ct_tcp_close(void)
{
	current->net = ul_net_by_name("outside");
	if (ct_cfd >= 0)
		ul_close(ct_cfd);
	current->net = ul_net_by_name("c1");
	if (ct_sfd >= 0)
		ul_close(ct_sfd);
	if (ct_lfd >= 0)
		ul_close(ct_lfd);
	ct_lfd = ct_sfd = ct_cfd = -1;
	ul_run_for(10 * CT_MS);
}

/* A TCP connection from outside to host:8080, published as c1:80 by DNAT: "GET /" one
 * way, "200 OK" back. What c1 saw as its peer in @peer; 0 when the exchange worked. The
 * connection stays open (for `conntrack -L`) until ct_tcp_close. */
static int ct_tcp_published(char *peer, size_t plen, char *reply, size_t rlen)
{
	struct sockaddr_in any = ct_sin("0.0.0.0", 80), host = ct_sin("192.168.1.1", 8080);
	struct sockaddr_in pa;
	socklen_t pl = sizeof(pa);
	char buf[64], a[INET_ADDRSTRLEN];
	int lfd, cfd = -1, sfd = -1, err = -EIO;
	ssize_t n;

	current->net = ul_net_by_name("c1");
	lfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0 || ul_bind(lfd, (struct sockaddr *)&any, sizeof(any)) || ul_listen(lfd, 4))
		goto out;
	current->net = ul_net_by_name("outside");
	cfd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (cfd < 0)
		goto out;
	ul_connect(cfd, (struct sockaddr *)&host, sizeof(host));
	ul_run_for(10 * CT_MS);
	current->net = ul_net_by_name("c1");
	sfd = ul_accept4(lfd, (struct sockaddr *)&pa, &pl, SOCK_NONBLOCK);
	if (sfd < 0)
		goto out;
	inet_ntop(AF_INET, &pa.sin_addr, a, sizeof(a));
	snprintf(peer, plen, "%s:%u", a, ntohs(pa.sin_port));
	current->net = ul_net_by_name("outside");
	if (ul_send(cfd, "GET /", 5, 0) != 5)
		goto out;
	ul_run_for(10 * CT_MS);
	current->net = ul_net_by_name("c1");
	n = ul_recv(sfd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n != 5 || ul_send(sfd, "200 OK", 6, 0) != 6)
		goto out;
	ul_run_for(10 * CT_MS);
	current->net = ul_net_by_name("outside");
	n = ul_recv(cfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n <= 0)
		goto out;
	buf[n] = '\0';
	snprintf(reply, rlen, "%s", buf);
	err = 0;
out:
	ct_lfd = lfd;
	ct_sfd = sfd;
	ct_cfd = cfd;
	return err;
}

static int lab_container(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	char from_o[64] = "", from_b[64] = "", from_c[64] = "", from_web[64] = "";
	int err, srv = -1, cli1 = -1, c2srv = -1, web = -1, ocli = -1;
	int got_o, got_b, got_web, got_back, tcp_err;
	long fwd_br, fwd_ipf, fwd_nat;
	char tcp_peer[64] = "", tcp_reply[64] = "";
	struct ct_ping ping;

	err = lab_boot(ctx, 2);
	if (err)
		return err;
	fprintf(out, "Setup: host \"host\" with bridge docker0 (172.17.0.1/16), containers c1 "
		     "(172.17.0.2) and c2 (172.17.0.3), uplink eth0 192.168.1.1 to \"outside\" "
		     "(192.168.1.2).\n");
	{
		static const char *const ns[] = { "host", "c1", "c2", "outside" };
		size_t i;

		for (i = 0; i < 4; i++) {
			err = ul_netns_add(ns[i]);
			if (err)
				goto out;
		}
	}
	err = lab_sh(ctx, "host", false, "ip link add docker0 type bridge") ||
	      lab_sh(ctx, "host", false, "ip link add veth1 type veth peer name eth0 netns c1") ||
	      lab_sh(ctx, "host", false, "ip link add veth2 type veth peer name eth0 netns c2") ||
	      lab_sh(ctx, "host", false, "ip link add eth0 type veth peer name eth0 netns outside") ||
	      lab_sh(ctx, "host", false, "ip link set veth1 master docker0") ||
	      lab_sh(ctx, "host", false, "ip link set veth2 master docker0") ||
	      lab_sh(ctx, "host", false, "ip addr add 172.17.0.1/16 dev docker0") ||
	      lab_sh(ctx, "host", false, "ip addr add 192.168.1.1/24 dev eth0") ||
	      lab_sh(ctx, "host", true, "ip link set docker0 up") ||
	      lab_sh(ctx, "host", true, "ip link set veth1 up") ||
	      lab_sh(ctx, "host", true, "ip link set veth2 up") ||
	      lab_sh(ctx, "host", true, "ip link set eth0 up") ||
	      lab_sh(ctx, "c1", false, "ip addr add 172.17.0.2/16 dev eth0") ||
	      lab_sh(ctx, "c2", false, "ip addr add 172.17.0.3/16 dev eth0") ||
	      lab_sh(ctx, "outside", false, "ip addr add 192.168.1.2/24 dev eth0") ||
	      lab_sh(ctx, "c1", true, "ip link set eth0 up") ||
	      lab_sh(ctx, "c2", true, "ip link set eth0 up") ||
	      lab_sh(ctx, "outside", true, "ip link set eth0 up") ||
	      lab_sh(ctx, "c1", false, "ip route add default via 172.17.0.1") ||
	      lab_sh(ctx, "c2", false, "ip route add default via 172.17.0.1") ||
	      lab_sh(ctx, "host", false, "sysctl -w net.ipv4.ip_forward=1") ||
	      lab_sh(ctx, "host", false,
		     "iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE") ||
	      lab_sh(ctx, "host", false,
		     "iptables -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT --to-destination 172.17.0.2:80") ||
	      lab_sh(ctx, "host", false,
		     "iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80");
	if (err) {
		err = -EINVAL;
		goto out;
	}
	ul_run_for(CT_MS);

	/* ping c1 -> c2 across docker0: the first echo waits for ARP. */
	{
		char ulnet_fig[200];

		ct_ping_run(&ping);
		fprintf(out, "\nping c1 -> c2 (172.17.0.3) across docker0, 3 echoes:\n");
		snprintf(ulnet_fig, sizeof(ulnet_fig),
			 "bridge ping %.3f / %.3f / %.3f ms (CPU time of the whole round trip in "
			 "this process; the first includes ARP)", ping.rtt_us[0] / 1000.0,
			 ping.rtt_us[1] / 1000.0, ping.rtt_us[2] / 1000.0);
		lab_book_beside(out, "bridge ping 0.037 / 0.008 / 0.005 ms (the first includes ARP)",
				ulnet_fig);
		ul_lab_evidence(ctx, "bridge_ping_us", "%.1f %.1f %.1f", ping.rtt_us[0],
				ping.rtt_us[1], ping.rtt_us[2]);
	}

	/* c1 -> c2 on the bridge; c1 -> outside through MASQUERADE (traced). */
	c2srv = ct_socket("c2", 7);
	srv = ct_socket("outside", 9);
	cli1 = ct_socket("c1", 5000);
	web = ct_socket("c1", 80);
	ocli = ct_socket("outside", 40000);
	if (c2srv < 0 || srv < 0 || cli1 < 0 || web < 0 || ocli < 0) {
		err = -ENOMEM;
		goto out;
	}
	fprintf(out, "\nc1 -> c2 (172.17.0.3:7), c1 -> outside (192.168.1.2:9), outside -> "
		     "host:8080 (published c1:80):\n");
	ct_send("c1", cli1, "172.17.0.3", 7, "hi c2");
	got_b = ct_recv("c2", c2srv, from_b, sizeof(from_b));
	ul_trace_begin(0);
	ct_send("c1", cli1, "192.168.1.2", 9, "hello");
	ul_trace_end();
	fwd_br = lab_trace_calls("br_handle_frame");
	fwd_ipf = lab_trace_calls("ip_forward");
	fwd_nat = lab_trace_calls("nf_nat_ipv4_fn");
	got_o = ct_recv("outside", srv, from_o, sizeof(from_o));
	ct_send("outside", srv, "192.168.1.1", 5000, "reply");
	ct_recv("c1", cli1, from_c, sizeof(from_c));
	ct_send("outside", ocli, "192.168.1.1", 8080, "GET /");
	got_web = ct_recv("c1", web, from_web, sizeof(from_web));
	ct_send("c1", web, "192.168.1.2", 40000, "200 OK");
	{
		char from_back[64];

		got_back = ct_recv("outside", ocli, from_back, sizeof(from_back));
		fprintf(out, "  c2 got %d bytes from %s\n  outside got %d bytes from %s (c1 is "
			     "hidden)\n  c1 got the reply from %s\n  c1:80 got %d bytes from %s; "
			     "outside got the answer from %s\n",
			got_b, from_b, got_o, from_o, from_c, got_web, from_web,
			got_back > 0 ? from_back : "(nothing)");
		ul_lab_check(ctx, "published port answers from host:8080", got_back > 0 &&
			     !strcmp(from_back, "192.168.1.1:8080"), "from %s", from_back);
	}
	fprintf(out, "\nA TCP connection from outside to the published port (host:8080 -> "
		     "c1:80):\n");
	tcp_err = ct_tcp_published(tcp_peer, sizeof(tcp_peer), tcp_reply, sizeof(tcp_reply));
	fprintf(out, "  c1:80 accepted a connection from %s; outside got \"%s\"\n",
		tcp_peer[0] ? tcp_peer : "(nothing)", tcp_reply);
	ul_lab_check(ctx, "a TCP connection through DNAT reaches c1:80", !tcp_err &&
		     !strncmp(tcp_peer, "192.168.1.2:", 12) && !strcmp(tcp_reply, "200 OK"),
		     "peer %s reply %s (%d)", tcp_peer, tcp_reply, tcp_err);
	fprintf(out, "\n");
	lab_sh(ctx, "host", false, "bridge fdb show br docker0");
	lab_sh(ctx, "host", false, "conntrack -L");
	ct_tcp_close();
	lab_sh(ctx, "host", false, "iptables -t nat -L -n -v");
	fprintf(out, "\nThe path of the forwarded datagram (c1 -> outside):\n");
	lab_print_path(out, 40);

	fprintf(out, "\nChecks:\n");
	ul_lab_check(ctx, "container to container stays on the bridge", got_b == 5 &&
		     !strcmp(from_b, "172.17.0.2:5000"), "got %d from %s", got_b, from_b);
	ul_lab_check(ctx, "outside sees only the host's address", got_o == 5 &&
		     !strcmp(from_o, "192.168.1.1:5000"), "got %d from %s", got_o, from_o);
	ul_lab_check(ctx, "the reply is translated back", !strcmp(from_c, "192.168.1.2:9"),
		     "from %s", from_c);
	ul_lab_check(ctx, "DNAT reaches the container", got_web == 5 &&
		     !strcmp(from_web, "192.168.1.2:40000"), "got %d from %s", got_web, from_web);
	/* (Which echo is slowest is CPU timing, left to the reader: not a check.) */
	ul_lab_check(ctx, "bridge ping: three echoes answered", ping.rtt_us[0] >= 0 &&
		     ping.rtt_us[1] >= 0 && ping.rtt_us[2] >= 0, "%.1f %.1f %.1f us",
		     ping.rtt_us[0], ping.rtt_us[1], ping.rtt_us[2]);
	ul_lab_check(ctx, "path: br_handle_frame, ip_forward, NAT hooks",
		     fwd_br > 0 && fwd_ipf > 0 && fwd_nat > 0, "%ld %ld %ld", fwd_br, fwd_ipf,
		     fwd_nat);
	ul_lab_evidence(ctx, "outside_sees", "%s", from_o);
	fprintf(out, "\nAnswer: the bridge switches c1 -> c2 by its FDB without IP routing; "
		     "traffic out goes br_handle_frame -> br_pass_frame_up -> ip_rcv -> "
		     "ip_forward -> POSTROUTING where MASQUERADE rewrites the source, and "
		     "conntrack translates the replies back; DNAT at PREROUTING publishes a "
		     "container port (UDP or TCP) on the host's address.\n");
out:
	if (ct_lfd >= 0 || ct_sfd >= 0 || ct_cfd >= 0)
		ct_tcp_close();
	current->net = &init_net;
	lab_shutdown(ctx);
	return err;
}

const struct ul_lab lab_def_container = {
	"container", "ch10",
	"How do containers on a bridge reach each other, the outside world (MASQUERADE) and "
	"get reached from it (a published port, DNAT)?",
	lab_container,
};
