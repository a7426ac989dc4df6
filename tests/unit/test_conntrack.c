/* SPDX-License-Identifier: MIT */
/* Connection tracking: UDP flows in `conntrack -L` exactly as conntrack-tools prints them,
 * [UNREPLIED] then [ASSURED] with 3.10's timeouts (30 s, 180 s), expiry on virtual time,
 * the state match (NEW, ESTABLISHED, RELATED) with counters, nf_conntrack_max with the
 * counted drop when the table is full, and the TCP state machine driven by hand-built
 * segments (SYN, SYN+ACK, ACK, FIN, RST; INVALID flag combinations and checksums), and
 * 3.10's TCP window tracking (tcp_in_window: out-of-window segments INVALID, window
 * scaling, SACK, retransmissions, the tcp_loose/be_liberal/max_retrans sysctls).
 *
 * Topology: namespace "c" (c0 10.0.0.1/24) and "s" (s0 10.0.0.2/24) joined by a veth. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/etherdevice.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/checksum.h"
#include "net/netfilter/nf_conntrack.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define CT_SUMMARY "conntrack v1.4.4 (conntrack-tools): "

static void cmd_ok(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		fprintf(stderr, "%s: %s -> %d: %s", ns, line, err, out ? out : "");
	assert_int_equal(err, 0);
	free(out);
}

static void expect_out(const char *ns, const char *line, const char *want)
{
	char *out = NULL;

	assert_int_equal(ul_cmd(ns, line, &out), 0);
	if (strcmp(out, want))
		fprintf(stderr, "got:  [%s]\nwant: [%s]\n", out, want);
	assert_string_equal(out, want);
	free(out);
}

/* One datagram from @fd (in @ns) to @ip:@port; returns sendto's result (-errno). */
static int send_one(const char *ns, int fd, const char *ip, int port)
{
	struct sockaddr_in dst = ul_test_sin(ip, port);
	ssize_t r;

	current->net = ul_net_by_name(ns);
	r = ul_sendto(fd, "ping", 4, 0, (struct sockaddr *)&dst, sizeof(dst));
	ul_run_for(10 * MS);
	return r < 0 ? -errno : (int)r;
}

static int recv_one(const char *ns, int fd)
{
	char buf[16];
	ssize_t r;

	current->net = ul_net_by_name(ns);
	r = ul_recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	return r < 0 ? -errno : (int)r;
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	if (ul_netns_add("c") || ul_netns_add("s"))
		return -1;
	cmd_ok("c", "ip link add c0 type veth peer name s0 netns s");
	cmd_ok("c", "ip addr add 10.0.0.1/24 dev c0");
	cmd_ok("s", "ip addr add 10.0.0.2/24 dev s0");
	cmd_ok("c", "ip link set c0 up");
	cmd_ok("s", "ip link set s0 up");
	ul_run_for(MS);
	/* Loads connection tracking (an empty table). */
	expect_out("s", "conntrack -L", CT_SUMMARY "0 flow entries have been shown.\n");
	return 0;
}

static int teardown(void **state)
{
	current->net = &init_net;
	ul_netns_del("c");
	ul_netns_del("s");
	ul_run_for(MS);
	return ul_test_teardown(state);
}

static void test_conntrack_udp_flow(void **state)
{
	int srv = ul_test_udp_socket_in("s", 9), cli = ul_test_udp_socket_in("c", 5000);

	(void)state;
	assert_int_equal(send_one("c", cli, "10.0.0.2", 9), 4);
	expect_out("s", "conntrack -L",
		   "udp      17 29 src=10.0.0.1 dst=10.0.0.2 sport=5000 dport=9 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=9 dport=5000 mark=0 use=1\n"
		   CT_SUMMARY "1 flow entries have been shown.\n");
	/* The sender's namespace tracks it too (LOCAL_OUT, confirmed at POST_ROUTING). */
	expect_out("c", "conntrack -C", "1\n");
	/* The reply makes it a stream: assured, 180 s. */
	assert_int_equal(recv_one("s", srv), 4);
	assert_int_equal(send_one("s", srv, "10.0.0.1", 5000), 4);
	expect_out("s", "conntrack -L -p udp",
		   "udp      17 179 src=10.0.0.1 dst=10.0.0.2 sport=5000 dport=9 src=10.0.0.2 dst=10.0.0.1 sport=9 dport=5000 [ASSURED] mark=0 use=1\n"
		   CT_SUMMARY "1 flow entries have been shown.\n");
	expect_out("s", "conntrack -L -p tcp", CT_SUMMARY "0 flow entries have been shown.\n");
	/* Each packet refreshes it; silence expires it after 180 s. */
	ul_run_for(170 * SEC);
	expect_out("s", "conntrack -C", "1\n");
	ul_run_for(10 * SEC);
	expect_out("s", "conntrack -C", "0\n");
	/* conntrack -S: the one flow was new, inserted at confirmation, deleted at expiry;
	 * every later packet found it. */
	{
		char *out = NULL;

		assert_int_equal(ul_cmd("s", "conntrack -S", &out), 0);
		assert_non_null(strstr(out, "cpu=0   \tsearched="));
		assert_non_null(strstr(out, " new=1 invalid=0 "));
		assert_non_null(strstr(out, " delete=1 insert=1 insert_failed=0 drop=0 "));
		free(out);
	}

	/* An unreplied flow lives 30 s. */
	assert_int_equal(send_one("c", cli, "10.0.0.2", 9), 4);
	expect_out("s", "conntrack -C", "1\n");
	ul_run_for(29 * SEC);
	expect_out("s", "conntrack -C", "1\n");
	ul_run_for(1 * SEC);
	expect_out("s", "conntrack -C", "0\n");
	/* conntrack -F empties the table. */
	assert_int_equal(send_one("c", cli, "10.0.0.2", 9), 4);
	expect_out("c", "conntrack -F",
		   "conntrack v1.4.4 (conntrack-tools): connection tracking table has been emptied.\n");
	expect_out("c", "conntrack -C", "0\n");
	current->net = ul_net_by_name("c");
	ul_close(cli);
	current->net = ul_net_by_name("s");
	ul_close(srv);
}

static void test_conntrack_state_match(void **state)
{
	int srv = ul_test_udp_socket_in("s", 9), cli = ul_test_udp_socket_in("c", 5000);
	char *out;

	(void)state;
	cmd_ok("s", "iptables -A INPUT -m state --state ESTABLISHED -j ACCEPT");
	cmd_ok("s", "iptables -A INPUT -p udp -m conntrack --ctstate NEW -j ACCEPT");
	cmd_ok("s", "iptables -A INPUT -j DROP");
	assert_int_equal(send_one("c", cli, "10.0.0.2", 9), 4);	/* NEW */
	assert_int_equal(recv_one("s", srv), 4);
	assert_int_equal(send_one("s", srv, "10.0.0.1", 5000), 4);
	assert_int_equal(send_one("c", cli, "10.0.0.2", 9), 4);	/* ESTABLISHED */
	assert_int_equal(send_one("c", cli, "10.0.0.2", 9), 4);
	assert_int_equal(recv_one("s", srv), 4);
	assert_int_equal(recv_one("s", srv), 4);
	out = NULL;
	assert_int_equal(ul_cmd("s", "iptables -L INPUT -n -v", &out), 0);
	assert_non_null(strstr(out,
		"    2    64 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0            state ESTABLISHED\n"
		"    1    32 ACCEPT     udp  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW\n"
		"    0     0 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n"));
	free(out);
	/* RELATED: the port unreachable about a flow the client tracks; dropped when a rule
	 * says so, so the socket never hears ECONNREFUSED. */
	cmd_ok("c", "iptables -A INPUT -m state --state RELATED -j DROP");
	{
		int fd = ul_test_udp_socket_in("c", 0);
		struct sockaddr_in dst = ul_test_sin("10.0.0.2", 33);

		assert_int_equal(ul_connect(fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
		assert_int_equal(ul_send(fd, "x", 1, 0), 1);
		ul_run_for(10 * MS);
		assert_int_equal(recv_one("c", fd), -EAGAIN);
		current->net = ul_net_by_name("c");
		ul_close(fd);
	}
	out = NULL;
	assert_int_equal(ul_cmd("c", "iptables -L INPUT -n -v", &out), 0);
	assert_non_null(strstr(out, "    1    57 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            state RELATED\n"));
	free(out);
	{
		char *o = NULL;

		assert_int_equal(ul_cmd("s", "iptables -A INPUT -m state --state BOGUS", &o),
				 -EINVAL);
		assert_string_equal(o, "iptables v1.4.21: Bad state \"BOGUS\"\nTry `iptables -h' or 'iptables --help' for more information.\n");
		free(o);
	}
	current->net = ul_net_by_name("c");
	ul_close(cli);
	current->net = ul_net_by_name("s");
	ul_close(srv);
}

static void test_conntrack_table_full(void **state)
{
	struct netns_ct *nct;
	int srv = ul_test_udp_socket_in("s", 9), c1 = ul_test_udp_socket_in("c", 5001), c2 = ul_test_udp_socket_in("c", 5002),
	    c3 = ul_test_udp_socket_in("c", 5003);

	(void)state;
	cmd_ok("s", "sysctl -w net.netfilter.nf_conntrack_max=2");
	expect_out("c", "sysctl net.netfilter.nf_conntrack_max",
		   "net.netfilter.nf_conntrack_max = 2\n");
	expect_out("s", "sysctl net.netfilter.nf_conntrack_buckets",
		   "net.netfilter.nf_conntrack_buckets = 16384\n");
	/* The two flows are replied to (assured), so early_drop cannot evict them. */
	assert_int_equal(send_one("c", c1, "10.0.0.2", 9), 4);
	assert_int_equal(send_one("s", srv, "10.0.0.1", 5001), 4);
	assert_int_equal(send_one("c", c1, "10.0.0.2", 9), 4);
	assert_int_equal(send_one("c", c2, "10.0.0.2", 9), 4);
	assert_int_equal(send_one("s", srv, "10.0.0.1", 5002), 4);
	assert_int_equal(send_one("c", c2, "10.0.0.2", 9), 4);
	/* nf_conntrack_max is global; each namespace counts its own entries: the sender's
	 * namespace is full too, so its LOCAL_OUT refuses the third flow ("nf_conntrack:
	 * table full, dropping packet", counted) and the sender gets EPERM as on Linux. */
	nct = nf_ct_pernet(ul_net_by_name("c"));
	assert_non_null(nct);
	assert_int_equal(nct->stat.drop, 0);
	assert_int_equal(send_one("c", c3, "10.0.0.2", 9), -EPERM);
	assert_int_equal(nct->stat.drop, 1);
	expect_out("c", "conntrack -C", "2\n");
	expect_out("s", "conntrack -C", "2\n");
	while (recv_one("s", srv) == 4)
		;
	assert_int_equal(send_one("c", c3, "10.0.0.2", 9), -EPERM);
	assert_int_equal(recv_one("s", srv), -EAGAIN);
	assert_int_equal(nct->stat.drop, 2);
	/* An unreplied flow is evicted for a new one (early_drop), then. */
	assert_int_equal(nct->stat.early_drop, 0);
	cmd_ok("s", "sysctl -w net.netfilter.nf_conntrack_max=65536");
	assert_int_equal(send_one("c", c3, "10.0.0.2", 9), 4);
	assert_int_equal(recv_one("s", srv), 4);
	current->net = ul_net_by_name("c");
	ul_close(c1);
	ul_close(c2);
	ul_close(c3);
	current->net = ul_net_by_name("s");
	ul_close(srv);
}

/* ---- TCP state machine on hand-built segments ---- */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static void put_unaligned_be32(u32 v, u8 *p)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* A segment of the tracked connection 10.0.0.1:40000 <-> 10.0.0.2:80: flags, sequence
 * and acknowledgment numbers, window, @len bytes of payload, options. */
struct seg {
	u8 flags;
	u32 seq, ack;
	u16 win;
	u16 len;
	const u8 *opt;		/* a multiple of 4 bytes */
	unsigned int optlen;
};

static struct sk_buff *tcp_seg(bool from_client, const struct seg *sg)
{
	__be32 c = htonl(0x0a000001), sv = htonl(0x0a000002);
	unsigned int thlen = 20 + sg->optlen, tlen = thlen + sg->len;
	struct sk_buff *skb = alloc_skb(64 + 20 + tlen, GFP_ATOMIC);
	struct iphdr *iph;
	u8 *th;

	assert_non_null(skb);
	skb_reserve(skb, 32);
	iph = (struct iphdr *)skb_put(skb, 20 + tlen);
	memset(iph, 0, 20 + tlen);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons((u16)(20 + tlen));
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = from_client ? c : sv;
	iph->daddr = from_client ? sv : c;
	iph->check = ip_fast_csum(iph, 5);
	skb_reset_network_header(skb);
	th = (u8 *)(iph + 1);
	th[0] = from_client ? 40000 >> 8 : 0;
	th[1] = from_client ? 40000 & 0xff : 80;
	th[2] = from_client ? 0 : 40000 >> 8;
	th[3] = from_client ? 80 : 40000 & 0xff;
	put_unaligned_be32(sg->seq, th + 4);
	put_unaligned_be32(sg->ack, th + 8);
	th[12] = (u8)((thlen / 4) << 4);
	th[13] = sg->flags;
	th[14] = (u8)(sg->win >> 8);
	th[15] = (u8)sg->win;
	if (sg->optlen)
		memcpy(th + 20, sg->opt, sg->optlen);
	memset(th + thlen, 'd', sg->len);
	*(__sum16 *)(th + 16) = csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)tlen,
						  IPPROTO_TCP, csum_partial(th, (int)tlen, 0));
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

static unsigned int repeats;	/* NF_REPEAT verdicts seen by track_seg */

/* Run a segment through PRE_ROUTING tracking and confirmation in "s"; returns its ct
 * state (TCP_CONNTRACK_*), or -1 when it was left untracked (INVALID). */
static int track_seg(bool from_client, const struct seg *sg, enum ip_conntrack_info *ctinfo)
{
	struct sk_buff *skb = tcp_seg(from_client, sg);
	struct net *net = ul_net_by_name("s");
	unsigned int verdict, tries = 0;
	struct nf_conn *ct;
	int state = -1;

	/* NF_REPEAT: the hook runs again (nf_hook_slow), as for a SYN reopening a closed
	 * connection. */
	do {
		verdict = nf_conntrack_in(net, NFPROTO_IPV4, NF_INET_PRE_ROUTING, skb);
		if (verdict == NF_REPEAT)
			repeats++;
	} while (verdict == NF_REPEAT && ++tries < 3);
	assert_int_equal(verdict, NF_ACCEPT);
	ct = nf_ct_get(skb, ctinfo);
	if (ct) {
		assert_int_equal(__nf_conntrack_confirm(skb), NF_ACCEPT);
		state = ct->proto.tcp.state;
	}
	kfree_skb(skb);
	return state;
}

/* A segment without payload or options. */
static int track(bool from_client, u8 flags, u32 seq, u32 ack, u16 win,
		 enum ip_conntrack_info *ctinfo)
{
	struct seg sg = { .flags = flags, .seq = seq, .ack = ack, .win = win };

	return track_seg(from_client, &sg, ctinfo);
}

/* @len bytes of data (with ACK). */
static int track_data(bool from_client, u32 seq, u32 ack, u16 win, u16 len)
{
	struct seg sg = { .flags = TH_ACK, .seq = seq, .ack = ack, .win = win, .len = len };
	enum ip_conntrack_info ctinfo;

	return track_seg(from_client, &sg, &ctinfo);
}

static unsigned int ct_invalid(void)
{
	return nf_ct_pernet(ul_net_by_name("s"))->stat.invalid;
}

static struct nf_conn *tcp_ct(void)
{
	struct nf_conntrack_tuple t;
	struct nf_conntrack_tuple_hash *h;
	struct nf_conn *ct;

	memset(&t, 0, sizeof(t));
	t.src.ip = htonl(0x0a000001);
	t.dst.ip = htonl(0x0a000002);
	t.src.u.tcp.port = htons(40000);
	t.dst.u.tcp.port = htons(80);
	t.src.l3num = AF_INET;
	t.dst.protonum = IPPROTO_TCP;
	h = nf_conntrack_find_get(ul_net_by_name("s"), &t);
	if (!h)
		return NULL;
	ct = nf_ct_tuplehash_to_ctrack(h);
	nf_ct_put(ct);		/* the table still holds it */
	return ct;
}

static void test_conntrack_tcp_states(void **state)
{
	enum ip_conntrack_info ctinfo;
	struct sk_buff *skb;
	struct nf_conn *ct;

	(void)state;
	/* Nonsense flags and a RST without a connection: INVALID (untracked). */
	assert_int_equal(track(true, TH_SYN | TH_FIN, 1000, 0, 1000, &ctinfo), -1);
	assert_int_equal(track(true, TH_RST, 1000, 0, 0, &ctinfo), -1);
	assert_int_equal(track(true, 0, 1000, 0, 1000, &ctinfo), -1);
	assert_int_equal(ct_invalid(), 3);
	/* A bad checksum (nf_conntrack_checksum=1, on arrival): INVALID. */
	skb = tcp_seg(true, &(struct seg){ .flags = TH_SYN, .seq = 1000, .win = 1000 });
	((u8 *)ip_hdr(skb))[20 + 16] ^= 0xff;
	assert_int_equal(nf_conntrack_in(ul_net_by_name("s"), NFPROTO_IPV4,
					 NF_INET_PRE_ROUTING, skb), NF_ACCEPT);
	assert_null(skb->nfct);
	kfree_skb(skb);
	assert_int_equal(ct_invalid(), 4);
	expect_out("s", "conntrack -C", "0\n");

	/* The handshake: client ISN 1000, server ISN 5000. */
	assert_int_equal(track(true, TH_SYN, 1000, 0, 1000, &ctinfo), TCP_CONNTRACK_SYN_SENT);
	assert_int_equal(ctinfo, IP_CT_NEW);
	ct = tcp_ct();
	assert_non_null(ct);
	assert_int_equal(nf_ct_expires_secs(ct), 120);
	assert_int_equal(track(false, TH_SYN | TH_ACK, 5000, 1001, 1000, &ctinfo),
			 TCP_CONNTRACK_SYN_RECV);
	assert_int_equal(ctinfo, IP_CT_ESTABLISHED_REPLY);
	assert_int_equal(nf_ct_expires_secs(ct), 60);
	assert_false(ct->status & IPS_ASSURED);
	assert_int_equal(track(true, TH_ACK, 1001, 5001, 1000, &ctinfo),
			 TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(ctinfo, IP_CT_ESTABLISHED);
	assert_true(ct->status & IPS_ASSURED);
	assert_int_equal(nf_ct_expires_secs(ct), 432000);
	expect_out("s", "conntrack -L",
		   "tcp      6 432000 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000 [ASSURED] mark=0 use=1\n"
		   CT_SUMMARY "1 flow entries have been shown.\n");
	/* Data in flight: the "unacknowledged" timeout (300 s) until it is acked. */
	assert_int_equal(track_data(true, 1001, 5001, 1000, 100), TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(nf_ct_expires_secs(ct), 300);
	assert_int_equal(track(false, TH_ACK, 5001, 1101, 1000, &ctinfo),
			 TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(nf_ct_expires_secs(ct), 432000);
	/* Close: FIN, ACK, FIN, ACK. */
	assert_int_equal(track(true, TH_FIN | TH_ACK, 1101, 5001, 1000, &ctinfo),
			 TCP_CONNTRACK_FIN_WAIT);
	assert_int_equal(nf_ct_expires_secs(ct), 120);
	assert_int_equal(track(false, TH_ACK, 5001, 1102, 1000, &ctinfo),
			 TCP_CONNTRACK_CLOSE_WAIT);
	assert_int_equal(nf_ct_expires_secs(ct), 60);
	assert_int_equal(track(false, TH_FIN | TH_ACK, 5001, 1102, 1000, &ctinfo),
			 TCP_CONNTRACK_LAST_ACK);
	assert_int_equal(nf_ct_expires_secs(ct), 30);
	assert_int_equal(track(true, TH_ACK, 1102, 5002, 1000, &ctinfo), TCP_CONNTRACK_TIME_WAIT);
	assert_int_equal(nf_ct_expires_secs(ct), 120);
	/* A new SYN from the same port reopens it (RFC 1122): the old entry goes, a new one
	 * starts (3.10: nf_ct_kill, NF_REPEAT). */
	repeats = 0;
	assert_int_equal(track(true, TH_SYN, 90000, 0, 1000, &ctinfo), TCP_CONNTRACK_SYN_SENT);
	assert_int_equal(repeats, 1);
	assert_int_equal(ctinfo, IP_CT_NEW);
	ct = tcp_ct();
	assert_non_null(ct);
	assert_int_equal(nf_ct_expires_secs(ct), 120);
	assert_false(ct->status & IPS_ASSURED);
	/* A RST answering the SYN (the only reply): the entry dies at once. */
	assert_int_equal(track(false, TH_RST | TH_ACK, 0, 90001, 0, &ctinfo),
			 TCP_CONNTRACK_CLOSE);
	assert_null(tcp_ct());

	/* Mid-stream pickup (tcp_loose): an ACK opens ESTABLISHED, 300 s until answered;
	 * then a RST closes: 10 s. */
	assert_int_equal(track(true, TH_ACK, 7000, 8000, 1000, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
	ct = tcp_ct();
	assert_non_null(ct);
	assert_false(ct->status & IPS_ASSURED);
	assert_int_equal(nf_ct_expires_secs(ct), 300);
	/* The first answer marks it SEEN_REPLY (after the tracker ran); the next packet
	 * assures it (3.10). */
	assert_int_equal(track(false, TH_ACK, 8000, 7000, 1000, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
	assert_false(ct->status & IPS_ASSURED);
	assert_int_equal(track(true, TH_ACK, 7000, 8000, 1000, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
	assert_true(ct->status & IPS_ASSURED);
	assert_int_equal(track(false, TH_RST, 8000, 0, 0, &ctinfo), TCP_CONNTRACK_CLOSE);
	assert_int_equal(nf_ct_expires_secs(ct), 10);
	ul_run_for(11 * SEC);
	assert_null(tcp_ct());
	/* nf_conntrack_tcp_loose=0: no pickup. */
	cmd_ok("s", "sysctl -w net.netfilter.nf_conntrack_tcp_loose=0");
	assert_int_equal(track(true, TH_ACK, 7000, 8000, 1000, &ctinfo), -1);
	assert_null(tcp_ct());
}

/* An established connection, client ISN 1000 and server ISN 5000, each side's window
 * @win (the client's SYN carries @cli_opt, the server's SYN/ACK @srv_opt). */
static void handshake(u16 win, const u8 *cli_opt, const u8 *srv_opt, unsigned int optlen)
{
	enum ip_conntrack_info ctinfo;
	struct seg syn = { .flags = TH_SYN, .seq = 1000, .win = win, .opt = cli_opt,
			   .optlen = cli_opt ? optlen : 0 };
	struct seg synack = { .flags = TH_SYN | TH_ACK, .seq = 5000, .ack = 1001, .win = win,
			      .opt = srv_opt, .optlen = srv_opt ? optlen : 0 };

	assert_int_equal(track_seg(true, &syn, &ctinfo), TCP_CONNTRACK_SYN_SENT);
	assert_int_equal(track_seg(false, &synack, &ctinfo), TCP_CONNTRACK_SYN_RECV);
	assert_int_equal(track(true, TH_ACK, 1001, 5001, win, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
	/* The server's first scaled window. */
	assert_int_equal(track(false, TH_ACK, 5001, 1001, win, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
}

/* 3.10's tcp_in_window: with windows of 1000 bytes, data beyond the receiver's window,
 * data older than a window, an ACK of data never sent and a RST below what was acked
 * are INVALID (counted, left untracked); in-window data and retransmissions pass, and
 * the same segment repeated nf_conntrack_tcp_max_retrans (3) times gets the shorter
 * "max_retrans" timeout. nf_conntrack_tcp_be_liberal=1 lets out-of-window segments by. */
static void test_conntrack_tcp_window(void **state)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;
	unsigned int inv;
	int i;

	(void)state;
	expect_out("s", "sysctl net.netfilter.nf_conntrack_tcp_be_liberal",
		   "net.netfilter.nf_conntrack_tcp_be_liberal = 0\n");
	expect_out("s", "sysctl net.netfilter.nf_conntrack_tcp_loose",
		   "net.netfilter.nf_conntrack_tcp_loose = 1\n");
	expect_out("s", "sysctl net.netfilter.nf_conntrack_tcp_max_retrans",
		   "net.netfilter.nf_conntrack_tcp_max_retrans = 3\n");
	expect_out("s", "sysctl net.netfilter.nf_conntrack_tcp_timeout_max_retrans",
		   "net.netfilter.nf_conntrack_tcp_timeout_max_retrans = 300\n");
	expect_out("s", "sysctl net.netfilter.nf_conntrack_checksum",
		   "net.netfilter.nf_conntrack_checksum = 1\n");
	handshake(1000, NULL, NULL, 0);
	ct = tcp_ct();
	assert_non_null(ct);
	inv = ct_invalid();
	/* The server allows [1001, 2001): data that starts beyond it (I). */
	assert_int_equal(track_data(true, 2002, 5001, 1000, 100), -1);
	assert_int_equal(ct_invalid(), inv + 1);
	/* Data that starts inside and ends beyond: fine (it intersects the window). */
	assert_int_equal(track_data(true, 1901, 5001, 1000, 200), TCP_CONNTRACK_ESTABLISHED);
	/* Data wholly older than the receiver's largest window (II). */
	assert_int_equal(track_data(true, 1001 - 1500, 5001, 1000, 100), -1);
	/* An ACK of data the client never sent (III), and one far below it (IV). */
	assert_int_equal(track(false, TH_ACK, 5001, 2101 + 1, 1000, &ctinfo), -1);
	assert_int_equal(track(false, TH_ACK, 5001, 2101 - 70000, 1000, &ctinfo), -1);
	assert_int_equal(ct_invalid(), inv + 4);
	/* A retransmission of acked data within the window: fine. */
	assert_int_equal(track_data(true, 1001, 5001, 1000, 100), TCP_CONNTRACK_ESTABLISHED);
	/* The server acks everything (2101): the unacknowledged timeout goes. */
	assert_int_equal(track(false, TH_ACK, 5001, 2101, 1000, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(nf_ct_expires_secs(ct), 432000);
	/* The same ACK again and again: after 3 repeats, the max_retrans timeout. */
	cmd_ok("s", "sysctl -w net.netfilter.nf_conntrack_tcp_timeout_max_retrans=100");
	for (i = 0; i < 3; i++) {
		assert_int_equal(nf_ct_expires_secs(ct), 432000);
		assert_int_equal(track(false, TH_ACK, 5001, 2101, 1000, &ctinfo),
				 TCP_CONNTRACK_ESTABLISHED);
	}
	assert_int_equal(ct->proto.tcp.retrans, 3);
	assert_int_equal(nf_ct_expires_secs(ct), 100);
	/* A RST whose seq is below what the other side acked: invalid. */
	assert_int_equal(track(true, TH_RST, 1500, 0, 0, &ctinfo), -1);
	assert_int_equal(ct_invalid(), inv + 5);
	/* be_liberal: out of window passes. */
	cmd_ok("s", "sysctl -w net.netfilter.nf_conntrack_tcp_be_liberal=1");
	assert_int_equal(track_data(true, 9000, 5001, 1000, 100), TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(ct_invalid(), inv + 5);
	cmd_ok("s", "sysctl -w net.netfilter.nf_conntrack_tcp_be_liberal=0");
	/* Liberal segments move no window edge: a RST after them is out of window; one
	 * in window closes. */
	assert_int_equal(track(true, TH_RST, 9100, 0, 0, &ctinfo), -1);
	assert_int_equal(track(true, TH_RST, 2101, 0, 0, &ctinfo), TCP_CONNTRACK_CLOSE);
	assert_int_equal(nf_ct_expires_secs(ct), 10);
}

/* Window scaling (RFC 1323) when both SYNs offer it, and SACK: a SACK block's right
 * edge counts as the ACK (III checks it). */
static void test_conntrack_tcp_wscale_sack(void **state)
{
	/* NOP, wscale 7, SACK-permitted, NOP NOP: 8 bytes. */
	static const u8 opts[8] = { 1, 3, 3, 7, 4, 2, 1, 1 };
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;
	u8 sack[12] = { 1, 1, 5, 10 };	/* NOP NOP SACK(10): one block */
	struct seg sg = { .flags = TH_ACK, .seq = 5001, .win = 100, .opt = sack,
			  .optlen = sizeof(sack) };

	(void)state;
	handshake(100, opts, opts, sizeof(opts));
	ct = tcp_ct();
	assert_non_null(ct);
	assert_int_equal(ct->proto.tcp.seen[0].td_scale, 7);
	assert_int_equal(ct->proto.tcp.seen[1].td_scale, 7);
	/* 100 << 7 = 12800 bytes of window: data at +10000 is in it (unscaled, 100 bytes,
	 * it would not be). */
	assert_int_equal(track_data(true, 1001 + 10000, 5001, 100, 100), TCP_CONNTRACK_ESTABLISHED);
	/* The server SACKs [11001, 11101): its right edge was sent. */
	put_unaligned_be32(11001, sack + 4);
	put_unaligned_be32(11101, sack + 8);
	sg.ack = 1001;
	assert_int_equal(track_seg(false, &sg, &ctinfo), TCP_CONNTRACK_ESTABLISHED);
	/* A SACK of bytes never sent (right edge 11201): III fails, INVALID. */
	put_unaligned_be32(11201, sack + 8);
	assert_int_equal(track_seg(false, &sg, &ctinfo), -1);

	/* Only one side offers scaling: neither scales. */
	cmd_ok("s", "conntrack -F");
	handshake(100, opts, NULL, sizeof(opts));
	ct = tcp_ct();
	assert_int_equal(ct->proto.tcp.seen[0].td_scale, 0);
	assert_int_equal(track_data(true, 1001 + 10000, 5001, 100, 100), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conntrack_udp_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conntrack_state_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conntrack_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conntrack_tcp_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conntrack_tcp_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conntrack_tcp_wscale_sack, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
