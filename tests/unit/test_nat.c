/* SPDX-License-Identifier: MIT */
/* NAT on a Docker-like host: containers c (10.0.0.1) and c2 (10.0.0.3) on the bridge br0
 * of host r (10.0.0.254, forwarding), r's uplink r1 (192.168.1.1) to an outside host o
 * (192.168.1.2) that has no route to 10.0.0.0/24. MASQUERADE hides the containers behind
 * 192.168.1.1 (a second flow with the same source port is remapped, to 1024 as 3.10's
 * first rover position), replies are translated back through conntrack; DNAT publishes
 * c's port 80 as 192.168.1.1:8080. The receivers' UDP checksum checks prove the
 * incremental checksum updates. ICMP errors about NATed flows have the header they quote
 * translated back (nf_nat_icmp_reply_translation): a container sees its own address and
 * port in it. Address and port ranges in SNAT/DNAT/MASQUERADE (--to-source A-B:P-Q,
 * --to-ports, --random). Also the nat table's listing and its rule errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "harness.h"
#include "net_testutil.h"
#include "nf_testutil.h"
#include "linux/in.h"
#include "linux/jhash.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/sched.h"
#include "net/checksum.h"
#include "net/net_namespace.h"
#include "net/ip.h"
#include "net/netfilter/nf_conntrack.h"
#include "uapi/linux/icmp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)

/* Closes @fd, and @fd2 unless it is -1, in namespace @ns (left current). */
static void close_in(const char *ns, int fd, int fd2)
{
	current->net = ul_net_by_name(ns);
	ul_close(fd);
	if (fd2 >= 0)
		ul_close(fd2);
}

static void send_to(const char *ns, int fd, const char *ip, int port, const char *msg)
{
	struct sockaddr_in dst = ul_test_sin(ip, port);

	current->net = ul_net_by_name(ns);
	assert_int_equal(ul_sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&dst,
				   sizeof(dst)), (int)strlen(msg));
	ul_run_for(20 * MS);
}

/* Receive one datagram on @fd in @ns: "ip:port" of its sender in @from; its length. */
static int recv_from(const char *ns, int fd, char *from, size_t len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	char buf[64], a[INET_ADDRSTRLEN];
	ssize_t r;

	current->net = ul_net_by_name(ns);
	r = ul_recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sin, &sl);
	if (r < 0)
		return -errno;
	inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
	snprintf(from, len, "%s:%u", a, ntohs(sin.sin_port));
	return (int)r;
}

/* @msg from @fd in @ns to @ip:@port arrives whole on @rfd in @rns, from @want
 * ("ip:port" as the receiver sees the sender). */
static void hop(const char *ns, int fd, const char *ip, int port, const char *msg,
		const char *rns, int rfd, const char *want)
{
	char from[64];

	send_to(ns, fd, ip, port, msg);
	assert_int_equal(recv_from(rns, rfd, from, sizeof(from)), (int)strlen(msg));
	assert_string_equal(from, want);
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	if (nf_nat_net_up())
		return -1;
	ul_run_for(MS);
	return 0;
}

static int teardown(void **state)
{
	current->net = &init_net;
	ul_netns_del("c");
	ul_netns_del("c2");
	ul_netns_del("r");
	ul_netns_del("o");
	ul_run_for(MS);
	return ul_test_teardown(state);
}

static void test_nat_masquerade(void **state)
{
	int srv = ul_test_udp_socket_in("o", 9), c1 = ul_test_udp_socket_in("c", 5000), c2 = ul_test_udp_socket_in("c2", 5000);
	char from[64], *out = NULL;

	(void)state;
	/* Without NAT the outside host cannot answer (no route back): the request arrives
	 * with the container's address. */
	hop("c", c1, "192.168.1.2", 9, "hello", "o", srv, "10.0.0.1:5000");

	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE");
	nf_cmd_ok("c", "conntrack -F");
	nf_cmd_ok("r", "conntrack -F");
	send_to("c", c1, "192.168.1.2", 9, "hello");
	assert_int_equal(recv_from("o", srv, from, sizeof(from)), 5);
	assert_string_equal(from, "192.168.1.1:5000");	/* only the host's address */
	/* The reply goes back to the container, from the outside host. */
	hop("o", srv, "192.168.1.1", 5000, "world!", "c", c1, "192.168.1.2:9");
	/* Same source port from the other container: remapped. */
	hop("c2", c2, "192.168.1.2", 9, "hi", "o", srv, "192.168.1.1:1024");
	hop("o", srv, "192.168.1.1", 1024, "back", "c2", c2, "192.168.1.2:9");
	assert_int_equal(recv_from("c", c1, from, sizeof(from)), -EAGAIN);

	assert_int_equal(ul_cmd("r", "conntrack -L", &out), 0);
	assert_non_null(strstr(out, "udp      17 179 src=10.0.0.1 dst=192.168.1.2 sport=5000 dport=9 src=192.168.1.2 dst=192.168.1.1 sport=9 dport=5000 [ASSURED] mark=0 use=1\n"));
	assert_non_null(strstr(out, "udp      17 179 src=10.0.0.3 dst=192.168.1.2 sport=5000 dport=9 src=192.168.1.2 dst=192.168.1.1 sport=9 dport=1024 [ASSURED] mark=0 use=1\n"));
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -t nat -L POSTROUTING -n -v", &out), 0);
	assert_string_equal(out,
		"Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n"
		" pkts bytes target     prot opt in     out     source               destination         \n"
		"    2    63 MASQUERADE  all  --  *      !br0    10.0.0.0/24          0.0.0.0/0           \n");
	free(out);
	close_in("c", c1, -1);
	close_in("c2", c2, -1);
	close_in("o", srv, -1);
}

static void test_nat_dnat_published_port(void **state)
{
	int web = ul_test_udp_socket_in("c", 80), cli = ul_test_udp_socket_in("o", 40000);
	char *out = NULL;

	(void)state;
	nf_cmd_ok("r", "iptables -t nat -A PREROUTING -i r1 -p udp --dport 8080 -j DNAT --to-destination 10.0.0.1:80");
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE");
	hop("o", cli, "192.168.1.1", 8080, "GET /", "c", web, "192.168.1.2:40000");
	hop("c", web, "192.168.1.2", 40000, "200 OK", "o", cli, "192.168.1.1:8080");
	nf_expect_in("r", "conntrack -L",
		     "udp      17 179 src=192.168.1.2 dst=192.168.1.1 sport=40000 dport=8080 src=10.0.0.1 dst=192.168.1.2 sport=80 dport=40000 [ASSURED] mark=0 use=1\n");
	assert_int_equal(ul_cmd("r", "iptables -t nat -L PREROUTING -n", &out), 0);
	assert_string_equal(out, "Chain PREROUTING (policy ACCEPT)\n"
			    "target     prot opt source               destination         \n"
			    "DNAT       udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:8080 to:10.0.0.1:80\n");
	free(out);
	close_in("c", web, -1);
	close_in("o", cli, -1);
}

/* The first ICMP packet delivered (LOCAL_IN) in namespace cap_net, as it arrived. */
static struct net *cap_net;
static unsigned char cap_pkt[256];
static unsigned int cap_len;

static unsigned int capture_icmp(unsigned int hooknum, struct sk_buff *skb,
				 const struct net_device *in, const struct net_device *out,
				 int (*okfn)(struct sk_buff *))
{
	(void)hooknum;
	(void)out;
	(void)okfn;
	if (in && dev_net(in) == cap_net && !cap_len && ip_hdr(skb)->protocol == IPPROTO_ICMP &&
	    skb->len <= sizeof(cap_pkt) && !skb_copy_bits(skb, 0, cap_pkt, (int)skb->len))
		cap_len = skb->len;
	return NF_ACCEPT;
}

static struct nf_hook_ops capture_ops = {
	.hook = capture_icmp, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN, .priority = 0,
};

static u16 get16(const unsigned char *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static void assert_ip(const unsigned char *p, const char *want)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, p, a, sizeof(a));
	assert_string_equal(a, want);
}

/* A connected UDP socket in @ns (bound to @sport) sends "probe" to @ip:@port; what its
 * next recv says. */
static int connected_probe(const char *ns, int sport, const char *ip, int port)
{
	struct sockaddr_in dst = ul_test_sin(ip, port);
	int fd = ul_test_udp_socket_in(ns, sport), ret;
	char buf[16];

	assert_int_equal(ul_connect(fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
	assert_int_equal(ul_send(fd, "probe", 5, 0), 5);
	ul_run_for(20 * MS);
	ret = (int)ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (ret < 0)
		ret = -errno;
	ul_close(fd);
	return ret;
}

/* The port unreachable that o sends about c2's MASQUERADEd datagram (192.168.1.1:1024 ->
 * 192.168.1.2:7, its port remapped because c holds 5000) reaches c2 with the quoted
 * header back to 10.0.0.3:5000, every checksum right, and c2's socket gets ECONNREFUSED
 * (the ICMP error handler finds it by the quoted header). */
static void test_nat_icmp_error_masquerade(void **state)
{
	const unsigned char *inner, *udp;
	unsigned int ihl, iihl, ulen;
	char *out = NULL;

	(void)state;
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE");
	/* c's flow to o:7 takes 192.168.1.1:5000 (and gets its own port unreachable). */
	assert_int_equal(connected_probe("c", 5000, "192.168.1.2", 7), -ECONNREFUSED);

	cap_net = ul_net_by_name("c2");
	cap_len = 0;
	assert_int_equal(nf_register_hook(&capture_ops), 0);
	assert_int_equal(connected_probe("c2", 5000, "192.168.1.2", 7), -ECONNREFUSED);
	nf_unregister_hook(&capture_ops);
	assert_true(cap_len > 20 + 8 + 20 + 8);
	/* outer: 192.168.1.2 -> 10.0.0.3, ICMP 3/3, checksums right */
	ihl = (cap_pkt[0] & 0xf) * 4u;
	assert_ip(cap_pkt + 12, "192.168.1.2");
	assert_ip(cap_pkt + 16, "10.0.0.3");
	assert_int_equal(ip_fast_csum(cap_pkt, cap_pkt[0] & 0xf), 0);
	assert_int_equal(cap_pkt[ihl], ICMP_DEST_UNREACH);
	assert_int_equal(cap_pkt[ihl + 1], ICMP_PORT_UNREACH);
	assert_int_equal(ip_compute_csum(cap_pkt + ihl, (int)(cap_len - ihl)), 0);
	/* inner: c2's own datagram as it sent it */
	inner = cap_pkt + ihl + 8;
	iihl = (inner[0] & 0xf) * 4u;
	assert_ip(inner + 12, "10.0.0.3");
	assert_ip(inner + 16, "192.168.1.2");
	assert_int_equal(ip_fast_csum(inner, inner[0] & 0xf), 0);
	udp = inner + iihl;
	assert_int_equal(get16(udp), 5000);
	assert_int_equal(get16(udp + 2), 7);
	ulen = get16(udp + 4);
	assert_int_equal(ulen, 8 + 5);
	/* All of it quoted. (Its UDP checksum is not checked: veth sends CHECKSUM_PARTIAL,
	 * so the quoted field holds only the pseudo-header sum, as on Linux.) */
	assert_true(ihl + 8 + iihl + ulen <= cap_len);
	assert_memory_equal(udp + 8, "probe", 5);

	/* The flow the error is about, on the host. */
	assert_int_equal(ul_cmd("r", "conntrack -L -p udp", &out), 0);
	assert_non_null(strstr(out, "src=10.0.0.3 dst=192.168.1.2 sport=5000 dport=7 [UNREPLIED] src=192.168.1.2 dst=192.168.1.1 sport=7 dport=1024 mark=0 use=1\n"));
	assert_non_null(strstr(out, "src=10.0.0.1 dst=192.168.1.2 sport=5000 dport=7 [UNREPLIED] src=192.168.1.2 dst=192.168.1.1 sport=7 dport=5000 mark=0 use=1\n"));
	free(out);
}

/* The other way: o's datagram to the published port 192.168.1.1:8080 reaches c, which
 * has nothing on port 80; c's port unreachable leaves the host from 192.168.1.1 quoting
 * o's datagram as o sent it (to 192.168.1.1:8080): o's socket gets ECONNREFUSED. */
static void test_nat_icmp_error_dnat(void **state)
{
	const unsigned char *inner;
	unsigned int ihl;

	(void)state;
	nf_cmd_ok("r", "iptables -t nat -A PREROUTING -i r1 -p udp --dport 8080 -j DNAT --to-destination 10.0.0.1:80");
	cap_net = ul_net_by_name("o");
	cap_len = 0;
	assert_int_equal(nf_register_hook(&capture_ops), 0);
	assert_int_equal(connected_probe("o", 40000, "192.168.1.1", 8080), -ECONNREFUSED);
	nf_unregister_hook(&capture_ops);
	assert_true(cap_len > 20 + 8 + 20 + 8);
	ihl = (cap_pkt[0] & 0xf) * 4u;
	assert_ip(cap_pkt + 12, "192.168.1.1");
	assert_ip(cap_pkt + 16, "192.168.1.2");
	assert_int_equal(ip_compute_csum(cap_pkt + ihl, (int)(cap_len - ihl)), 0);
	inner = cap_pkt + ihl + 8;
	assert_ip(inner + 12, "192.168.1.2");
	assert_ip(inner + 16, "192.168.1.1");
	assert_int_equal(ip_fast_csum(inner, inner[0] & 0xf), 0);
	assert_int_equal(get16(inner + (inner[0] & 0xf) * 4u), 40000);
	assert_int_equal(get16(inner + (inner[0] & 0xf) * 4u + 2), 8080);
}


/* SNAT to a port range (3.10 nf_nat_l4proto_unique_tuple from the UDP rover): the first
 * flow gets 2000, the second (another source) 2001, the first source to another
 * destination keeps 2000 (the bysource hash); a new source finds both taken, so the
 * search ends on a taken tuple and the packet dies at confirmation (insert_failed), as in
 * 3.10. */
static void test_nat_snat_port_range(void **state)
{
	int srv = ul_test_udp_socket_in("o", 9), a = ul_test_udp_socket_in("c", 5000);
	int b = ul_test_udp_socket_in("c2", 5000), a2 = ul_test_udp_socket_in("c", 5001);
	int srv10 = ul_test_udp_socket_in("o", 10);
	unsigned int failed;
	char from[64], *out = NULL;

	(void)state;
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -o r1 -p udp -j SNAT --to-source 192.168.1.1:2000-2001");
	hop("c", a, "192.168.1.2", 9, "one", "o", srv, "192.168.1.1:2000");
	hop("c2", b, "192.168.1.2", 9, "two", "o", srv, "192.168.1.1:2001");
	hop("o", srv, "192.168.1.1", 2001, "back", "c2", b, "192.168.1.2:9");
	/* c:5000 to another port of o keeps its mapping, 2000 (find_appropriate_src: the
	 * bysource hash), not the rover's next free port (2001 is free towards port 10). */
	hop("c", a, "192.168.1.2", 10, "four", "o", srv10, "192.168.1.1:2000");
	failed = nf_ct_pernet(ul_net_by_name("r"))->stat.insert_failed;
	send_to("c", a2, "192.168.1.2", 9, "three");
	assert_int_equal(recv_from("o", srv, from, sizeof(from)), -EAGAIN);
	assert_int_equal(nf_ct_pernet(ul_net_by_name("r"))->stat.insert_failed, failed + 1);
	assert_int_equal(ul_cmd("r", "iptables -t nat -L POSTROUTING -n", &out), 0);
	assert_string_equal(out, "Chain POSTROUTING (policy ACCEPT)\n"
			    "target     prot opt source               destination         \n"
			    "SNAT       udp  --  0.0.0.0/0            0.0.0.0/0            to:192.168.1.1:2000-2001\n");
	free(out);
	close_in("c", a, a2);
	close_in("c2", b, -1);
	close_in("o", srv, srv10);
}

/* SNAT to an address range: the address is picked by a hash of the connection's source
 * and destination (3.10 find_best_ips_proto: jhash of the source, the destination as
 * the initial value, scaled into the range), the same for every flow between the same
 * two hosts; the port is kept. Replies to it come back. */
static void test_nat_snat_address_range(void **state)
{
	int srv = ul_test_udp_socket_in("o", 9), a = ul_test_udp_socket_in("c", 5000);
	int a2 = ul_test_udp_socket_in("c", 5001);
	__be32 lo = htonl(0xc0a8010a);	/* 192.168.1.10 */
	u32 j = jhash_3words(htonl(0x0a000001), 0, 0, htonl(0xc0a80102));
	char want[64], want2[64], from[64], a_s[INET_ADDRSTRLEN];
	struct in_addr pick;

	(void)state;
	pick.s_addr = htonl(ntohl(lo) + (u32)(((u64)j * 3) >> 32));
	inet_ntop(AF_INET, &pick, a_s, sizeof(a_s));
	snprintf(want, sizeof(want), "%s:5000", a_s);
	snprintf(want2, sizeof(want2), "%s:5001", a_s);
	nf_cmd_ok("r", "ip addr add 192.168.1.10/24 dev r1");
	nf_cmd_ok("r", "ip addr add 192.168.1.11/24 dev r1");
	nf_cmd_ok("r", "ip addr add 192.168.1.12/24 dev r1");
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o r1 -j SNAT --to-source 192.168.1.10-192.168.1.12");
	hop("c", a, "192.168.1.2", 9, "one", "o", srv, want);
	hop("c", a2, "192.168.1.2", 9, "two", "o", srv, want2);
	send_to("o", srv, a_s, 5000, "back");
	assert_int_equal(recv_from("c", a, from, sizeof(from)), 4);
	assert_string_equal(from, "192.168.1.2:9");
	nf_expect_in("r", "iptables -t nat -L POSTROUTING -n",
		     "SNAT       all  --  10.0.0.0/24          0.0.0.0/0            to:192.168.1.10-192.168.1.12\n");
	close_in("c", a, a2);
	close_in("o", srv, -1);
}

/* MASQUERADE --to-ports and DNAT to a port range: the first port of each range while it
 * is free; --random listed and working (a port of the class, unpredictable). */
static void test_nat_masquerade_ports_dnat_range(void **state)
{
	int srv = ul_test_udp_socket_in("o", 9), a = ul_test_udp_socket_in("c", 5000);
	int web = ul_test_udp_socket_in("c", 80), cli = ul_test_udp_socket_in("o", 40000);
	char from[64], *out = NULL;
	unsigned int port;

	(void)state;
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o r1 -p udp -j MASQUERADE --to-ports 3000-3001");
	nf_cmd_ok("r", "iptables -t nat -A PREROUTING -i r1 -p udp --dport 8080 -j DNAT --to-destination 10.0.0.1:80-81");
	hop("c", a, "192.168.1.2", 9, "one", "o", srv, "192.168.1.1:3000");
	hop("o", cli, "192.168.1.1", 8080, "GET /", "c", web, "192.168.1.2:40000");
	hop("c", web, "192.168.1.2", 40000, "200 OK", "o", cli, "192.168.1.1:8080");
	assert_int_equal(ul_cmd("r", "iptables -t nat -L -n", &out), 0);
	assert_non_null(strstr(out, "DNAT       udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:8080 to:10.0.0.1:80-81\n"));
	assert_non_null(strstr(out, "MASQUERADE  udp  --  10.0.0.0/24          0.0.0.0/0            masq ports: 3000-3001\n"));
	free(out);
	out = NULL;

	/* --random: no longer the rover's next port; still a port of 5000's class. */
	nf_cmd_ok("r", "iptables -t nat -F POSTROUTING");
	nf_cmd_ok("r", "iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o r1 -j MASQUERADE --random");
	nf_cmd_ok("r", "conntrack -F");
	send_to("c", a, "192.168.1.2", 9, "two");
	assert_int_equal(recv_from("o", srv, from, sizeof(from)), 3);
	assert_int_equal(sscanf(from, "192.168.1.1:%u", &port), 1);
	assert_true(port >= 1024 && port <= 65535);
	send_to("o", srv, "192.168.1.1", (int)port, "back");
	assert_int_equal(recv_from("c", a, from, sizeof(from)), 4);
	nf_expect_in("r", "iptables -t nat -L POSTROUTING -n",
		     "MASQUERADE  all  --  10.0.0.0/24          0.0.0.0/0            random\n");
	close_in("c", a, web);
	close_in("o", srv, cli);
}

static void test_nat_bad_rules(void **state)
{
	/* A rule with a bad range, and iptables' message for it (all -EINVAL). */
	static const struct {
		const char *line, *msg;
	} bad_ranges[] = {
		{ "iptables -t nat -A POSTROUTING -j SNAT --to-source 10.0.0.1:80",
		  "iptables v1.4.21: Need TCP, UDP, SCTP or DCCP with port specification\nTry `iptables -h' or 'iptables --help' for more information.\n" },
		{ "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:90-80",
		  "iptables v1.4.21: Port range `90-80' funky\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
		{ "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:0",
		  "iptables v1.4.21: Port `0' not valid\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
		{ "iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.x",
		  "iptables v1.4.21: Bad IP address \"10.0.0.x\"\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
		{ "iptables -t nat -A POSTROUTING -p udp -j MASQUERADE --to-ports 5-3",
		  "iptables v1.4.21: MASQUERADE: Bad value for \"--to-ports\" option: \"5-3\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
		{ "iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000",
		  "iptables v1.4.21: Need TCP, UDP, SCTP or DCCP with port specification\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	};
	char *out = NULL;
	size_t i;

	(void)state;
	nf_cmd_fails("r", "iptables -t nat -A POSTROUTING -j SNAT", -EINVAL,
		     "iptables v1.4.21: You must specify --to-source\nTry `iptables -h' or 'iptables --help' for more information.\n");
	nf_cmd_fails("r", "iptables -t nat -A POSTROUTING -j DNAT --to-destination 10.0.0.1", -EINVAL,
		     "iptables: Invalid argument. Run `dmesg' for more information.\n");
	assert_int_equal(ul_cmd("r", "iptables -A FORWARD -j MASQUERADE", &out), -EINVAL);
	free(out);
	out = NULL;
	assert_int_equal(ul_cmd("r", "iptables -t mangle -L", &out), -EOPNOTSUPP);
	free(out);
	out = NULL;
	/* Ranges: libipt_SNAT/DNAT/MASQUERADE's messages. */
	for (i = 0; i < ARRAY_SIZE(bad_ranges); i++)
		nf_cmd_fails("r", bad_ranges[i].line, -EINVAL, bad_ranges[i].msg);
	/* DNAT with only a port (":80"): the address is kept. */
	nf_cmd_ok("r", "iptables -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination :80");
	nf_expect_in("r", "iptables -t nat -L PREROUTING -n",
		     "DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:81 to::80\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nat_masquerade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_dnat_published_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_icmp_error_masquerade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_icmp_error_dnat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_snat_port_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_snat_address_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_masquerade_ports_dnat_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_bad_rules, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
