/* SPDX-License-Identifier: MIT */
/* The container lab (book ch10): a Docker-like host with a bridge docker0 and two
 * "containers" (namespaces on veth pairs), MASQUERADE to an outside host and a published
 * port (DNAT host:8080 -> container:80). It shows container-to-container traffic staying
 * on the bridge (FDB entries), the outside host seeing only the host's address, the
 * conntrack entries of each flow, and the function path of a forwarded packet.
 * DIVERGES: the published port carries UDP (TCP is not in ulnet yet); the book's
 * bridge ping figures are not printed beside ulnet's yet.
 * Mirrors no kernel file: an experiment on net/bridge, net/ipv4/ip_forward.c,
 * net/netfilter/nf_conntrack_core.c and nf_nat_core.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/in.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "book.h"

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

static int lab_container(struct ul_lab_ctx *ctx)
{
	FILE *out = ul_lab_out(ctx);
	char from_o[64] = "", from_b[64] = "", from_c[64] = "", from_web[64] = "";
	int err, srv = -1, cli1 = -1, c2srv = -1, web = -1, ocli = -1;
	int got_o, got_b, got_web, got_back;
	long fwd_br, fwd_ipf, fwd_nat;

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
		     "iptables -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT --to-destination 172.17.0.2:80");
	if (err) {
		err = -EINVAL;
		goto out;
	}
	ul_run_for(CT_MS);

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
	fprintf(out, "\n");
	lab_sh(ctx, "host", false, "bridge fdb show br docker0");
	lab_sh(ctx, "host", false, "conntrack -L");
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
	ul_lab_check(ctx, "path: br_handle_frame, ip_forward, NAT hooks",
		     fwd_br > 0 && fwd_ipf > 0 && fwd_nat > 0, "%ld %ld %ld", fwd_br, fwd_ipf,
		     fwd_nat);
	ul_lab_evidence(ctx, "outside_sees", "%s", from_o);
	fprintf(out, "\nAnswer: the bridge switches c1 -> c2 by its FDB without IP routing; "
		     "traffic out goes br_handle_frame -> br_pass_frame_up -> ip_rcv -> "
		     "ip_forward -> POSTROUTING where MASQUERADE rewrites the source, and "
		     "conntrack translates the replies back; DNAT at PREROUTING publishes a "
		     "container port on the host's address.\n");
out:
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
