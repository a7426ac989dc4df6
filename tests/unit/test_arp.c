/* SPDX-License-Identifier: MIT */
/* ARP: replies to requests for our addresses (and learning the asker), silence for others,
 * the gratuitous ARP of a new address on the wire, duplicate address detection probes, every
 * malformed packet reaching a counted drop, arp_ignore, and /proc/net/arp. */
#include "arp_testdev.h"
#include "linux/sysctl.h"

static struct net_device *t0;
static const u8 peer[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	t0 = arp_dev_new(&init_net, "t0", 1);
	return 0;
}

static int teardown(void **state)
{
	ul_sysctl_write(&init_net, "net.ipv4.conf.all.arp_ignore", "0");
	ipt_dev_del(t0);
	return ul_test_teardown(state);
}

static void inject(struct sk_buff *skb)
{
	ipt_inject(skb);
}

/* Adding an address announces it: a broadcast request with sender = target = it. */
static void test_gratuitous_arp_on_add(void **state)
{
	struct arp_pkt a;

	assert_int_equal(ipt_txq_len(t0), 0);
	ipt_addr_add(t0, "10.0.0.1", 24);
	assert_int_equal(arp_pop_all(t0, &a), 1);
	assert_memory_equal(a.eth_dst, "\xff\xff\xff\xff\xff\xff", ETH_ALEN);
	assert_memory_equal(a.eth_src, t0->dev_addr, ETH_ALEN);
	assert_int_equal(a.hrd, ARPHRD_ETHER);
	assert_int_equal(a.pro, ETH_P_IP);
	assert_int_equal(a.hln, 6);
	assert_int_equal(a.pln, 4);
	assert_int_equal(a.op, ARPOP_REQUEST);
	assert_memory_equal(a.sha, t0->dev_addr, ETH_ALEN);
	assert_int_equal(a.sip, ipt_addr("10.0.0.1"));
	assert_int_equal(a.tip, ipt_addr("10.0.0.1"));
	assert_memory_equal(a.tha, "\0\0\0\0\0\0", ETH_ALEN);

	/* Not on a device that is down, nor on a NOARP one. */
	rtnl_lock();
	assert_int_equal(dev_close(t0), 0);
	rtnl_unlock();
	ipt_addr_add(t0, "10.0.1.1", 24);
	assert_int_equal(arp_pop_all(t0, NULL), 0);
	rtnl_lock();
	assert_int_equal(dev_open(t0), 0);
	assert_int_equal(dev_change_flags(t0, t0->flags | IFF_NOARP), 0);
	rtnl_unlock();
	ipt_addr_add(t0, "10.0.2.1", 24);
	assert_int_equal(arp_pop_all(t0, NULL), 0);
}

/* who-has 10.0.0.1 tell 10.0.0.2: we answer to the asker's address and learn it STALE. */
static void test_reply_to_request_for_us(void **state)
{
	struct neighbour *n;
	struct arp_pkt a;

	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0));
	assert_int_equal(arp_pop_all(t0, &a), 1);
	assert_memory_equal(a.eth_dst, peer, ETH_ALEN);
	assert_int_equal(a.op, ARPOP_REPLY);
	assert_memory_equal(a.sha, t0->dev_addr, ETH_ALEN);
	assert_int_equal(a.sip, ipt_addr("10.0.0.1"));
	assert_memory_equal(a.tha, peer, ETH_ALEN);
	assert_int_equal(a.tip, ipt_addr("10.0.0.2"));
	n = neigh_get(t0, "10.0.0.2");
	assert_non_null(n);
	assert_int_equal(n->nud_state, NUD_STALE);
	assert_memory_equal(n->ha, peer, ETH_ALEN);
}

/* Requests for others are not answered and teach nothing (arp_accept 0); nor are
 * unsolicited replies learnt. */
static void test_ignore_others(void **state)
{
	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.99", 0));
	assert_int_equal(arp_pop_all(t0, NULL), 0);
	assert_null(neigh_get(t0, "10.0.0.2"));
	inject(arp_frame(t0, t0->dev_addr, ARPOP_REPLY, peer, "10.0.0.2", t0->dev_addr,
			 "10.0.0.1", 0));
	assert_null(neigh_get(t0, "10.0.0.2"));
	/* ... but a reply updates an entry that exists. */
	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	ipt_dev_purge(t0);
	inject(arp_frame(t0, t0->dev_addr, ARPOP_REPLY, peer, "10.0.0.2", t0->dev_addr,
			 "10.0.0.1", 0));
	assert_int_equal(neigh_get(t0, "10.0.0.2")->nud_state, NUD_REACHABLE);
	ipt_dev_purge(t0);
}

/* RFC 5227 probe: sender 0.0.0.0 asking for our address gets a reply (to 0.0.0.0). */
static void test_dad_probe(void **state)
{
	struct arp_pkt a;

	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, NULL, NULL, "10.0.0.1", 0));
	assert_int_equal(arp_pop_all(t0, &a), 1);
	assert_int_equal(a.op, ARPOP_REPLY);
	assert_int_equal(a.sip, ipt_addr("10.0.0.1"));
	assert_int_equal(a.tip, 0);
	assert_null(neigh_get(t0, "0.0.0.0"));
}

/* Every malformed ARP packet is a counted drop, never an answer or an entry. */
static void test_malformed(void **state)
{
	static const u8 other[ETH_ALEN] = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 };
	unsigned long small = ul_drop_count(SKB_DROP_REASON_PKT_TOO_SMALL);
	unsigned long trunc = ul_drop_count(SKB_DROP_REASON_HDR_TRUNC);
	unsigned long proto = ul_drop_count(SKB_DROP_REASON_INVALID_PROTO);
	unsigned long otherhost = ul_drop_count(SKB_DROP_REASON_OTHERHOST);
	struct sk_buff *skb;

	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);
	/* Runt: shorter than the ARP header with its addresses. */
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 5));
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_PKT_TOO_SMALL), small + 1);
	/* Wrong hardware address length. */
	skb = arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0);
	skb->data[4] = 8;
	inject(skb);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_HDR_TRUNC), trunc + 1);
	/* Wrong protocol address length. */
	skb = arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0);
	skb->data[5] = 16;
	inject(skb);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_HDR_TRUNC), trunc + 2);
	/* Unknown opcode (RARP), foreign protocol, foreign hardware type. */
	inject(arp_frame(t0, NULL, 3, peer, "10.0.0.2", NULL, "10.0.0.1", 0));
	skb = arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0);
	skb->data[2] = 0x86;
	skb->data[3] = 0xdd;
	inject(skb);
	skb = arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0);
	skb->data[1] = 24;
	inject(skb);
	/* Requests for loopback and multicast targets. */
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "127.0.0.1", 0));
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "224.0.0.1", 0));
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_INVALID_PROTO), proto + 5);
	/* A frame for another host (unicast to another MAC). */
	inject(arp_frame(t0, other, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0));
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_OTHERHOST), otherhost + 1);

	assert_int_equal(arp_pop_all(t0, NULL), 0);
	assert_null(neigh_get(t0, "10.0.0.2"));
}

/* arp_ignore 1: answer only for addresses configured on the incoming interface. */
static void test_arp_ignore(void **state)
{
	struct net_device *t1 = arp_dev_new(&init_net, "t1", 2);

	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_addr_add(t1, "10.1.0.1", 24);
	ipt_dev_purge(t0);
	/* arp_ignore 0 (default): any local address is answered, whatever the interface. */
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.1.0.1", 0));
	assert_int_equal(arp_pop_all(t0, NULL), 1);
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.conf.all.arp_ignore", "1"), 0);
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.1.0.1", 0));
	assert_int_equal(arp_pop_all(t0, NULL), 0);
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0));
	assert_int_equal(arp_pop_all(t0, NULL), 1);
	ipt_dev_del(t1);
}

/* /proc/net/arp: one line per resolved or pending entry, Linux's columns. */
static void test_proc_net_arp(void **state)
{
	char *txt;
	int err;

	ipt_addr_add(t0, "10.0.0.1", 24);
	inject(arp_frame(t0, NULL, ARPOP_REQUEST, peer, "10.0.0.2", NULL, "10.0.0.1", 0));
	ipt_dev_purge(t0);
	txt = ul_proc_read(NULL, "/proc/net/arp", &err);
	assert_non_null(txt);
	assert_string_equal(txt,
		"IP address       HW type     Flags       HW address            Mask     Device\n"
		"10.0.0.2         0x1         0x2         02:00:00:00:00:02     *        t0\n");
	free(txt);
	/* In another namespace: only the header. */
	assert_int_equal(ul_netns_add("pa"), 0);
	txt = ul_proc_read("pa", "/proc/net/arp", &err);
	assert_string_equal(txt,
		"IP address       HW type     Flags       HW address            Mask     Device\n");
	free(txt);
	assert_int_equal(ul_netns_del("pa"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gratuitous_arp_on_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_to_request_for_us, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignore_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_ignore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_net_arp, setup, teardown),
	};
	(void)&inet_init;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
