/* SPDX-License-Identifier: MIT */
/* The bridge: `ip link add br0 type bridge`, ports by `ip link set DEV master br0`, 3.10's
 * defaults, learning from source addresses, flooding of broadcast and unknown unicast,
 * forwarding of known unicast to one port only, local delivery to the bridge device, the
 * bridge device's own transmit, ageing after 300 s of virtual time, `bridge fdb show` and
 * `bridge link` output, nomaster, and bad input.
 *
 * Topology: namespace "h" holds br0 and the host ends va0, vb0, vc0 of three veth pairs whose
 * other ends are eth0 in namespaces "a", "b", "c" (the containers of book ch10). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "iproute2/iproute2.h"
#include "net/bridge/br_private.h"
#include "net/net_namespace.h"
#include "ulnet/ulnet.h"

#define ETH_P_TEST 0x88B5
#define PAYLOAD 46
#define SEC 1000000000ULL

/* What each namespace's test handler saw. */
struct seen {
	int count;
	struct net_device *dev;
	u8 pkt_type;
};
static struct seen seen_a, seen_b, seen_c, seen_h;

static int test_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	struct net *net = dev_net(dev);
	struct seen *s = NULL;

	(void)pt;
	(void)orig_dev;
	if (net == ul_net_by_name("a"))
		s = &seen_a;
	else if (net == ul_net_by_name("b"))
		s = &seen_b;
	else if (net == ul_net_by_name("c"))
		s = &seen_c;
	else if (net == ul_net_by_name("h"))
		s = &seen_h;
	if (s) {
		s->count++;
		s->dev = dev;
		s->pkt_type = skb->pkt_type;
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type test_pt = {
	.type = htons_c(ETH_P_TEST),
	.func = test_rcv,
	.ul_func_name = "test_rcv",
};

static void cmd_ok(const char *ns, const char *line)
{
	char *out = NULL;
	int err = ul_cmd(ns, line, &out);

	if (err)
		fprintf(stderr, "%s: %s -> %d: %s", ns ? ns : "", line, err, out ? out : "");
	assert_int_equal(err, 0);
	free(out);
}

/* Run @line in @ns, expect @err and (if given) exactly @msg as output. */
static void cmd_fails(const char *ns, const char *line, int err, const char *msg)
{
	char *out = NULL;

	assert_int_equal(ul_cmd(ns, line, &out), err);
	if (msg)
		assert_string_equal(out, msg);
	free(out);
}

static char *cmd_out(const char *ns, const char *line)
{
	char *out = NULL;

	assert_int_equal(ul_cmd(ns, line, &out), 0);
	return out;
}

static struct net_device *dev_in(const char *ns, const char *name)
{
	struct net_device *dev = __dev_get_by_name(ul_net_by_name(ns), name);

	assert_non_null(dev);
	return dev;
}

static struct sk_buff *make_frame(struct net_device *dev, const u8 *daddr)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + PAYLOAD, GFP_ATOMIC);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + ETH_HLEN);
	memset(skb_put(skb, PAYLOAD), 0x5a, PAYLOAD);
	skb_reset_network_header(skb);
	if (dev_hard_header(skb, dev, ETH_P_TEST, daddr, NULL, skb->len) != ETH_HLEN) {
		kfree_skb(skb);
		return NULL;
	}
	skb->dev = dev;
	skb->protocol = htons(ETH_P_TEST);
	return skb;
}

struct send_args {
	struct net_device *dev;
	u8 daddr[ETH_ALEN];
	int rc;
};

static int sender_task(void *arg)
{
	struct send_args *a = arg;

	a->rc = dev_queue_xmit(make_frame(a->dev, a->daddr));
	return 0;
}

/* Send one frame from @dev (in @ns) to @daddr and let the world settle. */
static void send_from(const char *ns, struct net_device *dev, const u8 *daddr)
{
	struct send_args args = { .dev = dev };
	struct ul_task *t;

	memcpy(args.daddr, daddr, ETH_ALEN);
	t = ul_task_spawn(ns, "sender", 0, sender_task, &args);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(args.rc, NET_XMIT_SUCCESS);
	ul_run_for(1000000);
}

static void reset_seen(void)
{
	memset(&seen_a, 0, sizeof(seen_a));
	memset(&seen_b, 0, sizeof(seen_b));
	memset(&seen_c, 0, sizeof(seen_c));
	memset(&seen_h, 0, sizeof(seen_h));
}

static int setup(void **state)
{
	static const char *const ns[] = { "h", "a", "b", "c" };
	size_t i;
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	for (i = 0; i < 4; i++)
		if (ul_netns_add(ns[i]))
			return -1;
	reset_seen();
	cmd_ok("h", "ip link add br0 type bridge");
	cmd_ok("h", "ip link add va0 type veth peer name eth0 netns a");
	cmd_ok("h", "ip link add vb0 type veth peer name eth0 netns b");
	cmd_ok("h", "ip link add vc0 type veth peer name eth0 netns c");
	cmd_ok("h", "ip link set va0 master br0");
	cmd_ok("h", "ip link set vb0 master br0");
	cmd_ok("h", "ip link set vc0 master br0");
	cmd_ok("h", "ip link set br0 up");
	cmd_ok("h", "ip link set va0 up");
	cmd_ok("h", "ip link set vb0 up");
	cmd_ok("h", "ip link set vc0 up");
	cmd_ok("a", "ip link set eth0 up");
	cmd_ok("b", "ip link set eth0 up");
	cmd_ok("c", "ip link set eth0 up");
	ul_run_for(1000000);
	dev_add_pack(&test_pt);
	return 0;
}

static int teardown(void **state)
{
	dev_remove_pack(&test_pt);
	ul_netns_del("a");
	ul_netns_del("b");
	ul_netns_del("c");
	ul_netns_del("h");
	ul_run_for(1000000);
	return ul_test_teardown(state);
}

static struct net_bridge *br0(void)
{
	return netdev_priv(dev_in("h", "br0"));
}

static void test_bridge_setup(void **state)
{
	struct net_device *brdev = dev_in("h", "br0"), *va0 = dev_in("h", "va0");
	struct net_device *vb0 = dev_in("h", "vb0"), *vc0 = dev_in("h", "vc0");
	struct net_bridge *br = netdev_priv(brdev);
	struct net_bridge_port *p = br_port_get_rtnl(va0);
	const u8 *lowest;
	char *out;

	(void)state;
	/* 3.10 defaults. */
	assert_true(netif_is_bridge_master(brdev));
	assert_true(brdev->priv_flags & IFF_EBRIDGE);
	assert_int_equal(brdev->tx_queue_len, 0);
	assert_int_equal(br->ageing_time, 300 * HZ);
	assert_int_equal(br->forward_delay, 15 * HZ);
	assert_int_equal(br->priority, 0x8000);
	assert_int_equal(brdev->mtu, 1500);
	/* Ports: numbered from 1, forwarding once up (no STP), promiscuous, enslaved. */
	assert_non_null(p);
	assert_ptr_equal(p->br, br);
	assert_int_equal(p->port_no, 1);
	assert_int_equal(br_port_get_rtnl(vb0)->port_no, 2);
	assert_int_equal(br_port_get_rtnl(vc0)->port_no, 3);
	assert_int_equal(p->state, BR_STATE_FORWARDING);
	assert_int_equal(p->priority, 32);
	assert_int_equal(p->path_cost, 2);
	assert_ptr_equal(va0->master, brdev);
	assert_true(va0->priv_flags & IFF_BRIDGE_PORT);
	assert_true(va0->promiscuity >= 1);
	assert_true(netif_carrier_ok(brdev));
	/* The bridge takes the lowest port address. */
	lowest = va0->dev_addr;
	if (memcmp(vb0->dev_addr, lowest, ETH_ALEN) < 0)
		lowest = vb0->dev_addr;
	if (memcmp(vc0->dev_addr, lowest, ETH_ALEN) < 0)
		lowest = vc0->dev_addr;
	assert_memory_equal(brdev->dev_addr, lowest, ETH_ALEN);
	/* Three local entries, one per port address. */
	assert_int_equal(br->fdb_count, 3);
	assert_true(__br_fdb_get(br, va0->dev_addr)->is_local);
	assert_ptr_equal(__br_fdb_get(br, va0->dev_addr)->dst, p);

	/* ip link shows the master; bridge link lists the ports. */
	out = cmd_out("h", "ip link show va0");
	assert_non_null(strstr(out, " mtu 1500 qdisc noqueue master br0 state UP "));
	free(out);
	out = cmd_out("h", "bridge link show dev va0");
	{
		char want[256];

		snprintf(want, sizeof(want),
			 "%d: va0: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n",
			 va0->ifindex);
		assert_string_equal(out, want);
	}
	free(out);
	out = cmd_out("h", "bridge link");
	assert_non_null(strstr(out, ": vb0: "));
	assert_non_null(strstr(out, ": vc0: "));
	free(out);
}

static void test_bridge_learn_flood_forward(void **state)
{
	struct net_device *a0 = dev_in("a", "eth0"), *b0 = dev_in("b", "eth0");
	struct net_device *va0 = dev_in("h", "va0"), *vb0 = dev_in("h", "vb0");
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 nobody[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x99, 0x99 };
	struct net_bridge *br = br0();
	struct net_bridge_fdb_entry *f;
	char *out, want[128], mac[3 * ETH_ALEN + 1];

	(void)state;
	/* Broadcast from a: flooded to b and c, and up to the bridge device; a learned. */
	assert_null(__br_fdb_get(br, a0->dev_addr));
	send_from("a", a0, bcast);
	assert_int_equal(seen_a.count, 0);	/* never back out of the port it came in on */
	assert_int_equal(seen_b.count, 1);
	assert_int_equal(seen_c.count, 1);
	assert_int_equal(seen_h.count, 1);
	assert_string_equal(seen_h.dev->name, "br0");
	assert_int_equal(seen_b.pkt_type, PACKET_BROADCAST);
	f = __br_fdb_get(br, a0->dev_addr);
	assert_non_null(f);
	assert_false(f->is_local);
	assert_ptr_equal(f->dst, br_port_get_rtnl(va0));
	assert_int_equal(br->fdb_count, 4);

	/* Unicast from b to a: a is known, so only a gets it; b is learned. */
	reset_seen();
	send_from("b", b0, a0->dev_addr);
	assert_int_equal(seen_a.count, 1);
	assert_int_equal(seen_a.pkt_type, PACKET_HOST);
	assert_int_equal(seen_c.count, 0);
	assert_int_equal(seen_h.count, 0);
	assert_ptr_equal(__br_fdb_get(br, b0->dev_addr)->dst, br_port_get_rtnl(vb0));

	/* Unknown unicast is flooded to every other port, not passed up. */
	reset_seen();
	send_from("a", a0, nobody);
	assert_int_equal(seen_a.count, 0);
	assert_int_equal(seen_b.count, 1);
	assert_int_equal(seen_c.count, 1);
	assert_int_equal(seen_b.pkt_type, PACKET_OTHERHOST);
	assert_int_equal(seen_h.count, 0);

	/* A frame for the bridge's own address goes up only, as PACKET_HOST on br0. */
	reset_seen();
	send_from("a", a0, dev_in("h", "br0")->dev_addr);
	assert_int_equal(seen_h.count, 1);
	assert_string_equal(seen_h.dev->name, "br0");
	assert_int_equal(seen_h.pkt_type, PACKET_HOST);
	assert_int_equal(seen_b.count + seen_c.count, 0);

	/* The bridge device's own transmit: to a known address, one port only. */
	reset_seen();
	send_from("h", dev_in("h", "br0"), b0->dev_addr);
	assert_int_equal(seen_b.count, 1);
	assert_int_equal(seen_a.count + seen_c.count, 0);
	/* ... and broadcast from br0 reaches every container. */
	reset_seen();
	send_from("h", dev_in("h", "br0"), bcast);
	assert_int_equal(seen_a.count + seen_b.count + seen_c.count, 3);

	/* bridge fdb show: a learned entry and a local one, as iproute2 prints them. */
	out = cmd_out("h", "bridge fdb show brport va0");
	fmt_ll(a0->dev_addr, ETH_ALEN, mac);
	snprintf(want, sizeof(want), "%s dev va0 master br0 \n", mac);
	assert_non_null(strstr(out, want));
	fmt_ll(va0->dev_addr, ETH_ALEN, mac);
	snprintf(want, sizeof(want), "%s dev va0 master br0 permanent\n", mac);
	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "dev vb0"));
	free(out);
}

static void test_bridge_ageing(void **state)
{
	struct net_device *a0 = dev_in("a", "eth0");
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_bridge *br = br0();
	char *out;

	(void)state;
	send_from("a", a0, bcast);
	assert_non_null(__br_fdb_get(br, a0->dev_addr));
	/* Still known just before 300 s... */
	ul_run_for(298 * SEC);
	assert_non_null(__br_fdb_get(br, a0->dev_addr));
	out = cmd_out("h", "bridge -s fdb show brport va0");
	assert_non_null(strstr(out, "used 298/298 master br0 \n"));
	free(out);
	/* ... gone after it (the gc timer ran and freed it), the local entries stay. */
	ul_run_for(4 * SEC);
	assert_null(__br_fdb_get(br, a0->dev_addr));
	assert_int_equal(br->fdb_count, 3);
	/* A frame to the forgotten address is flooded again. */
	reset_seen();
	send_from("b", dev_in("b", "eth0"), a0->dev_addr);
	assert_int_equal(seen_a.count, 1);
	assert_int_equal(seen_c.count, 1);

	/* A static entry never ages. */
	{
		char line[128], mac[3 * ETH_ALEN + 1];
		static const u8 st[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x42 };

		fmt_ll(st, ETH_ALEN, mac);
		snprintf(line, sizeof(line), "bridge fdb add %s dev vc0 master static", mac);
		cmd_ok("h", line);
		ul_run_for(400 * SEC);
		assert_non_null(__br_fdb_get(br, st));
		out = cmd_out("h", "bridge fdb show dev vc0");
		snprintf(line, sizeof(line), "%s dev vc0 master br0 static\n", mac);
		assert_non_null(strstr(out, line));
		free(out);
		snprintf(line, sizeof(line), "bridge fdb del %s dev vc0 master", mac);
		cmd_ok("h", line);
		assert_null(__br_fdb_get(br, st));
	}
}

static void test_bridge_port_down_and_nomaster(void **state)
{
	struct net_device *a0 = dev_in("a", "eth0"), *va0 = dev_in("h", "va0");
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_bridge *br = br0();

	(void)state;
	send_from("a", a0, bcast);
	assert_non_null(__br_fdb_get(br, a0->dev_addr));
	/* The container end goes down: carrier lost, the port is disabled and forgets. */
	cmd_ok("a", "ip link set eth0 down");
	ul_run_for(10 * 1000000ULL);
	assert_int_equal(br_port_get_rtnl(va0)->state, BR_STATE_DISABLED);
	assert_null(__br_fdb_get(br, a0->dev_addr));
	cmd_ok("a", "ip link set eth0 up");
	ul_run_for(10 * 1000000ULL);
	assert_int_equal(br_port_get_rtnl(va0)->state, BR_STATE_FORWARDING);

	/* nomaster: the port goes, with its local entry. */
	cmd_ok("h", "ip link set va0 nomaster");
	assert_null(br_port_get_rtnl(va0));
	assert_null(va0->master);
	assert_null(va0->rx_handler);
	assert_false(va0->priv_flags & IFF_BRIDGE_PORT);
	assert_null(__br_fdb_get(br, va0->dev_addr));
	assert_int_equal(br->fdb_count, 2);
	/* A frame from a no longer reaches b. */
	reset_seen();
	send_from("a", a0, bcast);
	assert_int_equal(seen_b.count, 0);
	/* Deleting a port device removes the port (NETDEV_UNREGISTER). */
	cmd_ok("h", "ip link del vb0");
	assert_int_equal(br->fdb_count, 1);
	/* Back in, with the next free number (1 was released). */
	cmd_ok("h", "ip link set va0 master br0");
	assert_int_equal(br_port_get_rtnl(va0)->port_no, 1);
}

static void test_bridge_bad_input(void **state)
{
	(void)state;
	cmd_fails("h", "ip link set va0 master nosuch", -EINVAL,
		  "Error: argument \"nosuch\" is wrong: Device does not exist\n");
	/* lo cannot be a port; a bridge cannot be a port of a bridge; a port cannot join twice. */
	cmd_fails("h", "ip link set lo master br0", -EINVAL, "RTNETLINK answers: Invalid argument\n");
	cmd_ok("h", "ip link add br1 type bridge");
	cmd_fails("h", "ip link set br1 master br0", -ELOOP,
		  "RTNETLINK answers: Too many levels of symbolic links\n");
	/* Moving a port to another bridge releases it from the first. */
	cmd_ok("h", "ip link set va0 master br1");
	assert_ptr_equal(dev_in("h", "va0")->master, dev_in("h", "br1"));
	assert_int_equal(br0()->fdb_count, 2);
	/* A device that is not a bridge cannot take ports. */
	cmd_fails("h", "ip link set vb0 master vc0", -EOPNOTSUPP,
		  "RTNETLINK answers: Operation not supported\n");
	cmd_fails("h", "ip link add br2 type bridge stp_state 1", -EOPNOTSUPP, NULL);
	cmd_fails("h", "bridge fdb add 02:00:00:00:00:01 dev lo", -EOPNOTSUPP, NULL);
	cmd_fails("h", "bridge fdb add zz dev va0", -EINVAL, "Invalid mac address zz\n");
	cmd_fails("h", "bridge fdb show br nosuch", -ENODEV,
		  "Cannot find bridge device \"nosuch\"\n");
	cmd_fails("h", "bridge nothing", -EINVAL,
		  "Object \"nothing\" is unknown, try \"bridge help\".\n");
	/* Deleting a bridge releases its ports. */
	cmd_ok("h", "ip link del br0");
	assert_null(dev_in("h", "vb0")->master);
	assert_null(dev_in("h", "vb0")->rx_handler);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bridge_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_learn_flood_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_ageing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_port_down_and_nomaster, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bridge_bad_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
