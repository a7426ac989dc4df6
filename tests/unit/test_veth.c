/* SPDX-License-Identifier: MIT */
/* veth pairs: 3.10's setup (noqueue, random MACs, carrier only when both ends are up), a
 * frame ping-ponged between two namespaces through a protocol handler, the counters of both
 * ends (each end's rx is the peer's tx), drops when the peer is down, MTU bounds, and the
 * pair going away together whichever way one end goes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/hardirq.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/sched.h"
#include "linux/veth.h"
#include "net/net_namespace.h"
#include "net/rtnetlink.h"
#include "net/sch_generic.h"
#include "ulnet/socket.h"

#define ETH_P_TEST 0x88B5
#define PAYLOAD 64
#define FRAME_LEN (ETH_HLEN + PAYLOAD)
#define PING 0x01
#define PONG 0x02

struct rx_record {
	int pings, pongs;
	struct net_device *ping_dev, *pong_dev;
	struct net *ping_net, *pong_net;
	u8 ping_pkt_type;
	unsigned int ping_len;
	bool in_softirq;
	int reply_rc;
};
static struct rx_record rx;

static struct sk_buff *make_frame(struct net_device *dev, const u8 *daddr, u8 kind)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + PAYLOAD, GFP_ATOMIC);
	u8 *p;
	int i;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + ETH_HLEN);
	p = skb_put(skb, PAYLOAD);
	p[0] = kind;
	for (i = 1; i < PAYLOAD; i++)
		p[i] = (u8)(0x40 + i);
	skb_reset_network_header(skb);
	if (dev_hard_header(skb, dev, ETH_P_TEST, daddr, NULL, skb->len) != ETH_HLEN) {
		kfree_skb(skb);
		return NULL;
	}
	skb->dev = dev;
	skb->protocol = htons(ETH_P_TEST);
	return skb;
}

/* Answers a PING with a PONG to the sender's MAC, from the softirq that received it. */
static int test_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	u8 kind = skb->len ? skb->data[0] : 0;

	if (kind == PING) {
		u8 src[ETH_ALEN];

		rx.pings++;
		rx.ping_dev = dev;
		rx.ping_net = dev_net(dev);
		rx.ping_pkt_type = skb->pkt_type;
		rx.ping_len = skb->len;
		rx.in_softirq = in_serving_softirq() != 0;
		memcpy(src, eth_hdr(skb)->h_source, ETH_ALEN);
		rx.reply_rc = dev_queue_xmit(make_frame(dev, src, PONG));
	} else if (kind == PONG) {
		rx.pongs++;
		rx.pong_dev = dev;
		rx.pong_net = dev_net(dev);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type test_pt = {
	.type = htons_c(ETH_P_TEST),
	.func = test_rcv,
	.ul_func_name = "test_rcv",
};

struct send_args {
	struct net_device *dev;
	const u8 *daddr;
	int n;
	int rc;
};

static int sender_task(void *arg)
{
	struct send_args *a = arg;
	int i;

	a->rc = 0;
	for (i = 0; i < a->n && a->rc == 0; i++)
		a->rc = dev_queue_xmit(make_frame(a->dev, a->daddr, PING));
	return 0;
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	memset(&rx, 0, sizeof(rx));
	if (ul_netns_add("a") || ul_netns_add("b"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	ul_netns_del("a");
	ul_netns_del("b");
	ul_run_for(1000000);
	return ul_test_teardown(state);
}

static void set_up(struct net_device *dev, bool up)
{
	rtnl_lock();
	if (up)
		assert_int_equal(dev_open(dev), 0);
	else
		assert_int_equal(dev_close(dev), 0);
	rtnl_unlock();
}

static void pair(struct net_device **v0, struct net_device **v1)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");

	assert_int_equal(veth_create(a, "veth0", b, "veth1"), 0);
	*v0 = __dev_get_by_name(a, "veth0");
	*v1 = __dev_get_by_name(b, "veth1");
	assert_non_null(*v0);
	assert_non_null(*v1);
}

static void test_veth_setup(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct net_device *v0, *v1;
	struct ethtool_drvinfo info;
	u64 data[1];
	char strings[ETH_GSTRING_LEN];

	(void)state;
	pair(&v0, &v1);
	assert_null(__dev_get_by_name(a, "veth1"));	/* each end in its own namespace */
	assert_null(__dev_get_by_name(b, "veth0"));
	assert_true(netif_is_veth(v0));
	assert_false(netif_is_veth(a->loopback_dev));
	assert_ptr_equal(veth_peer(v0), v1);
	assert_ptr_equal(veth_peer(v1), v0);
	assert_null(veth_peer(a->loopback_dev));
	assert_int_equal(v0->ifindex, 2);		/* after lo in a fresh namespace */
	assert_int_equal(v1->ifindex, 2);
	assert_int_equal(v0->mtu, 1500);
	assert_int_equal(v0->type, ARPHRD_ETHER);
	assert_int_equal(v0->tx_queue_len, 0);		/* noqueue, as 3.10 */
	assert_true(v0->features & NETIF_F_LLTX);
	assert_true(v0->features & NETIF_F_RXCSUM);
	assert_false(v0->priv_flags & IFF_TX_SKB_SHARING);
	assert_int_equal(v0->addr_assign_type, NET_ADDR_RANDOM);
	assert_true(is_valid_ether_addr(v0->dev_addr));
	assert_true(is_local_ether_addr(v0->dev_addr));
	assert_false(ether_addr_equal(v0->dev_addr, v1->dev_addr));
	assert_int_equal(v0->flags & IFF_UP, 0);

	/* Carrier: off until both ends are up. */
	assert_false(netif_carrier_ok(v0));
	set_up(v0, true);
	assert_false(netif_carrier_ok(v0));
	set_up(v1, true);
	assert_true(netif_carrier_ok(v0));
	assert_true(netif_carrier_ok(v1));
	assert_ptr_equal(v0->qdisc, &noqueue_qdisc);
	set_up(v1, false);
	assert_false(netif_carrier_ok(v0));

	memset(&info, 0, sizeof(info));
	v0->ethtool_ops->get_drvinfo(v0, &info);
	assert_string_equal(info.driver, "veth");
	assert_string_equal(info.version, "1.0");
	assert_int_equal(v0->ethtool_ops->get_sset_count(v0, ETH_SS_STATS), 1);
	v0->ethtool_ops->get_strings(v0, ETH_SS_STATS, (u8 *)strings);
	assert_string_equal(strings, "peer_ifindex");
	v0->ethtool_ops->get_ethtool_stats(v0, NULL, data);
	assert_int_equal(data[0], v1->ifindex);

	/* MTU: 68..65535. */
	rtnl_lock();
	assert_int_equal(dev_set_mtu(v0, 67), -EINVAL);
	assert_int_equal(dev_set_mtu(v0, 65536), -EINVAL);
	assert_int_equal(dev_set_mtu(v0, 9000), 0);
	rtnl_unlock();
	assert_int_equal(v0->mtu, 9000);
}

static void test_veth_bad_create(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct net_device *v0, *v1, *d;
	int n = 0, guard = 0;

	(void)state;
	pair(&v0, &v1);
	/* Names are checked in each end's namespace; nothing is left behind on failure. */
	assert_int_equal(veth_create(a, "veth0", b, "other"), -EEXIST);
	assert_null(__dev_get_by_name(b, "other"));
	assert_int_equal(veth_create(a, "x0", b, "veth1"), -EEXIST);
	assert_null(__dev_get_by_name(a, "x0"));
	assert_int_equal(veth_create(a, "bad/name", b, "y1"), -EINVAL);
	assert_null(__dev_get_by_name(b, "y1"));
	assert_int_equal(veth_create(NULL, "p", b, "q"), -EINVAL);
	/* Default names, both ends in one namespace. */
	assert_int_equal(veth_create(a, NULL, a, NULL), 0);
	assert_non_null(__dev_get_by_name(a, "veth1"));
	assert_non_null(__dev_get_by_name(a, "veth2"));
	for_each_netdev(a, d) {
		n++;
		assert_true(++guard < 100);
	}
	assert_int_equal(n, 4);	/* lo, veth0, and the new pair */
}

static void test_veth_ping_pong_across_namespaces(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct net_device *v0, *v1;
	struct rtnl_link_stats64 s0, s1;
	struct send_args args;
	struct ul_task *t;

	(void)state;
	pair(&v0, &v1);
	set_up(v0, true);
	set_up(v1, true);
	dev_add_pack(&test_pt);

	args = (struct send_args){ .dev = v0, .daddr = v1->dev_addr, .n = 3, .rc = -1 };
	t = ul_task_spawn("a", "pinger", 0, sender_task, &args);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	ul_run_for(1000000);
	dev_remove_pack(&test_pt);

	assert_int_equal(args.rc, NET_XMIT_SUCCESS);
	assert_int_equal(rx.pings, 3);
	assert_int_equal(rx.pongs, 3);
	assert_ptr_equal(rx.ping_dev, v1);
	assert_ptr_equal(rx.ping_net, b);
	assert_ptr_equal(rx.pong_dev, v0);
	assert_ptr_equal(rx.pong_net, a);
	assert_int_equal(rx.ping_pkt_type, PACKET_HOST);
	assert_int_equal(rx.ping_len, PAYLOAD);		/* eth_type_trans pulled the header */
	assert_true(rx.in_softirq);
	assert_int_equal(rx.reply_rc, NET_XMIT_SUCCESS);

	/* 3.10 counts the frame as handed to the driver (with its Ethernet header); each end's
	 * rx is what its peer transmitted. */
	dev_get_stats(v0, &s0);
	dev_get_stats(v1, &s1);
	assert_int_equal(s0.tx_packets, 3);
	assert_int_equal(s0.tx_bytes, 3 * FRAME_LEN);
	assert_int_equal(s0.rx_packets, 3);
	assert_int_equal(s0.rx_bytes, 3 * FRAME_LEN);
	assert_int_equal(s1.tx_packets, 3);
	assert_int_equal(s1.rx_packets, 3);
	assert_int_equal(s1.tx_bytes, 3 * FRAME_LEN);
	assert_int_equal(s0.tx_dropped, 0);
	assert_int_equal(s0.rx_dropped, 0);
	assert_int_equal(s1.tx_dropped, 0);
	assert_int_equal(s1.rx_dropped, 0);
}

/* Context: a task; veth_xmit wants BHs off as dev_queue_xmit gives it. */
static int direct_xmit_task(void *arg)
{
	struct send_args *a = arg;
	struct sk_buff *skb = make_frame(a->dev, a->daddr, PING);

	local_bh_disable();
	a->rc = a->dev->netdev_ops->ndo_start_xmit(skb, a->dev);
	local_bh_enable();
	return 0;
}

static void run_task(const char *ns, ul_task_fn fn, struct send_args *args)
{
	struct ul_task *t = ul_task_spawn(ns, "sender", 1, fn, args);

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	ul_run_for(1000000);
}

static void test_veth_peer_down_drops(void **state)
{
	struct net_device *v0, *v1;
	struct rtnl_link_stats64 s0, s1;
	struct send_args args;

	(void)state;
	pair(&v0, &v1);
	set_up(v0, true);	/* v1 stays down: no carrier on v0 */
	dev_add_pack(&test_pt);

	/* Through the stack: without carrier v0 still has the noop qdisc (dev_activate waits
	 * for carrier, 3.10), which drops before the driver: NET_XMIT_CN, no veth counter. */
	args = (struct send_args){ .dev = v0, .daddr = v1->dev_addr, .n = 1, .rc = -1 };
	run_task("a", sender_task, &args);
	assert_int_equal(args.rc, NET_XMIT_CN);
	dev_get_stats(v0, &s0);
	assert_int_equal(s0.tx_dropped, 0);
	assert_int_equal(s0.tx_packets, 0);

	/* A frame already past the qdisc when the peer went down (the race veth_xmit guards):
	 * still NETDEV_TX_OK for the sender, counted as this end's tx_dropped, and on the
	 * peer as rx_dropped twice: the sender's drop (veth_get_stats64) and
	 * dev_forward_skb's own. */
	args = (struct send_args){ .dev = v0, .daddr = v1->dev_addr, .n = 1, .rc = -1 };
	run_task("a", direct_xmit_task, &args);
	assert_int_equal(args.rc, NETDEV_TX_OK);
	assert_int_equal(rx.pings, 0);
	dev_get_stats(v0, &s0);
	dev_get_stats(v1, &s1);
	assert_int_equal(s0.tx_packets, 0);
	assert_int_equal(s0.tx_dropped, 1);
	assert_int_equal(atomic_long_read(&v1->rx_dropped), 1);
	assert_int_equal(s1.rx_dropped, 2);
	assert_int_equal(s1.rx_packets, 0);

	/* Both up, but the frame is too big for the peer (MTU 9000 -> 1500): dropped by
	 * dev_forward_skb, counted the same way. */
	set_up(v1, true);
	rtnl_lock();
	assert_int_equal(dev_set_mtu(v0, 9000), 0);
	rtnl_unlock();
	{
		struct sk_buff *skb;
		struct send_args big = { .dev = v0, .daddr = v1->dev_addr, .n = 1, .rc = -1 };

		/* A 1600-byte payload: over 1500 + 14 + 4. */
		skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + 1600, GFP_KERNEL);
		assert_non_null(skb);
		skb_reserve(skb, NET_SKB_PAD + ETH_HLEN);
		memset(skb_put(skb, 1600), PING, 1600);
		assert_int_equal(dev_hard_header(skb, v0, ETH_P_TEST, v1->dev_addr, NULL,
						 skb->len), ETH_HLEN);
		skb->dev = v0;
		local_bh_disable();
		big.rc = dev_queue_xmit(skb);
		local_bh_enable();
		ul_run_for(1000000);
		assert_int_equal(big.rc, NET_XMIT_SUCCESS);
	}
	dev_get_stats(v0, &s0);
	dev_get_stats(v1, &s1);
	assert_int_equal(rx.pings, 0);
	assert_int_equal(s0.tx_dropped, 2);
	assert_int_equal(s1.rx_dropped, 4);
	dev_remove_pack(&test_pt);
}

static void test_veth_delete_one_end_deletes_both(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct net_device *v0, *v1;

	(void)state;
	pair(&v0, &v1);
	set_up(v0, true);
	set_up(v1, true);
	unregister_netdev(v1);
	assert_null(__dev_get_by_name(a, "veth0"));
	assert_null(__dev_get_by_name(b, "veth1"));

	/* The death of the peer's namespace takes the local end too (3.10: dellink from
	 * default_device_exit_batch). */
	pair(&v0, &v1);
	set_up(v0, true);
	assert_int_equal(ul_netns_del("b"), 0);
	ul_run_for(1000000);
	assert_null(__dev_get_by_name(a, "veth0"));
	assert_non_null(a->loopback_dev);

	/* Both ends in one namespace, deleted by the namespace's end: each goes once. */
	assert_int_equal(veth_create(a, "p0", a, "p1"), 0);
	assert_int_equal(ul_netns_del("a"), 0);
	ul_run_for(1000000);
	assert_null(ul_net_by_name("a"));
}

/* ---- with IPv4: the `ip` command and a UDP exchange across the pair ---- */

static int run_ip(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		print_message("'%s' in %s: %d %s\n", line, ns, err, out ? out : "");
	free(out);
	return err;
}

struct udp_args {
	int rc;
	char got[32];
	struct sockaddr_in peer;
};

/* In namespace b: answer one datagram on port 7. */
static int udp_echo_once(void *arg)
{
	struct udp_args *u = arg;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7) };
	socklen_t len = sizeof(u->peer);
	char buf[64];
	ssize_t n;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	u->rc = -1;
	if (fd < 0 || ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return 1;
	n = ul_recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&u->peer, &len);
	if (n > 0 && ul_sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&u->peer, len) == n)
		u->rc = 0;
	ul_close(fd);
	return 0;
}

/* In namespace a: send "ping over veth" to 10.1.0.2:7 and read the echo. */
static int udp_client(void *arg)
{
	struct udp_args *u = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7) };
	static const char msg[] = "ping over veth";
	socklen_t len = sizeof(u->peer);
	ssize_t n;
	int fd = ul_socket(AF_INET, SOCK_DGRAM, 0);

	u->rc = -1;
	if (fd < 0)
		return 1;
	to.sin_addr.s_addr = htonl(0x0a010002);
	if (ul_sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) ==
	    (ssize_t)sizeof(msg)) {
		n = ul_recvfrom(fd, u->got, sizeof(u->got), 0, (struct sockaddr *)&u->peer, &len);
		if (n == (ssize_t)sizeof(msg))
			u->rc = 0;
	}
	ul_close(fd);
	return 0;
}

static void test_veth_ip_link_and_udp_across_namespaces(void **state)
{
	struct net *a = ul_net_by_name("a"), *b = ul_net_by_name("b");
	struct udp_args srv = { .rc = -2 }, cli = { .rc = -2 };
	struct net_device *v0, *v1;
	struct rtnl_link_stats64 s0, s1;
	struct ul_task *ts, *tc;

	(void)state;
	assert_int_equal(run_ip("a", "ip link add veth0 type veth peer name veth1 netns b"), 0);
	v0 = __dev_get_by_name(a, "veth0");
	v1 = __dev_get_by_name(b, "veth1");
	assert_non_null(v0);
	assert_non_null(v1);
	assert_ptr_equal(veth_peer(v0), v1);
	assert_non_null(v1->rtnl_link_ops);
	assert_string_equal(v1->rtnl_link_ops->kind, "veth");
	assert_int_equal(run_ip("a", "ip link add veth0 type veth peer name x"), -EEXIST);
	assert_int_equal(run_ip("a", "ip addr add 10.1.0.1/24 dev veth0"), 0);
	assert_int_equal(run_ip("a", "ip link set veth0 up"), 0);
	assert_int_equal(run_ip("b", "ip addr add 10.1.0.2/24 dev veth1"), 0);
	assert_int_equal(run_ip("b", "ip link set veth1 up"), 0);

	ts = ul_task_spawn("b", "echo", 1, udp_echo_once, &srv);
	assert_non_null(ts);
	ul_run_for(1000000);
	tc = ul_task_spawn("a", "client", 0, udp_client, &cli);
	assert_non_null(tc);
	assert_int_equal(ul_task_join(tc), 0);
	assert_int_equal(ul_task_join(ts), 0);
	assert_int_equal(srv.rc, 0);
	assert_int_equal(cli.rc, 0);
	assert_string_equal(cli.got, "ping over veth");
	assert_int_equal(ntohl(srv.peer.sin_addr.s_addr), 0x0a010001);
	assert_int_equal(ntohl(cli.peer.sin_addr.s_addr), 0x0a010002);
	assert_int_equal(ntohs(cli.peer.sin_port), 7);

	/* At least ARP request + datagram each way; each end's rx is the other's tx. */
	dev_get_stats(v0, &s0);
	dev_get_stats(v1, &s1);
	assert_true(s0.tx_packets >= 2);
	assert_true(s1.tx_packets >= 2);
	assert_int_equal(s0.rx_packets, s1.tx_packets);
	assert_int_equal(s1.rx_packets, s0.tx_packets);
	assert_int_equal(s0.tx_dropped + s1.tx_dropped, 0);

	/* ip link del on one end removes the pair. */
	assert_int_equal(run_ip("b", "ip link del veth1"), 0);
	assert_null(__dev_get_by_name(a, "veth0"));
	assert_null(__dev_get_by_name(b, "veth1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_veth_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_bad_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_ping_pong_across_namespaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_veth_peer_down_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_delete_one_end_deletes_both, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_veth_ip_link_and_udp_across_namespaces,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
