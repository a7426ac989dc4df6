/* SPDX-License-Identifier: MIT */
/* IPv4 routes as packets see them: output routes (a local address leaves through lo, book
 * ch5; source selection; gateways; no route), the per-nexthop route cache and its flush,
 * input routes (local delivery, broadcast, forwarding only with ip_forward, martians and
 * their counters, unreachable routes answered by ip_error), the route MTU, and namespace
 * separation. */
#include "ip_testdev.h"
#include "linux/sysctl.h"
#include "net/dropreason.h"
#include "net/ip_fib.h"

static struct net_device *t0, *t1;

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	t0 = ipt_dev_new(&init_net, "t0", 1, 1500);
	t1 = ipt_dev_new(&init_net, "t1", 2, 1500);
	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_addr_add(t1, "10.1.0.1", 24);
	return 0;
}

static int teardown(void **state)
{
	ul_sysctl_write(&init_net, "net.ipv4.ip_forward", "0");
	ipt_dev_del(t0);
	ipt_dev_del(t1);
	return ul_test_teardown(state);
}

static struct rtable *route_out(const char *daddr, const char *saddr, int oif, struct flowi4 *fl4)
{
	flowi4_init_output(fl4, oif, 0, 0, RT_SCOPE_UNIVERSE, 0, 0, ipt_addr(daddr),
			   saddr ? ipt_addr(saddr) : 0, 0, 0);
	return ip_route_output_key(&init_net, fl4);
}

static void add_route(const char *dst, int plen, const char *gw, u8 type)
{
	struct fib_config cfg = {
		.fc_dst = ipt_addr(dst), .fc_dst_len = (u8)plen, .fc_table = RT_TABLE_MAIN,
		.fc_protocol = RTPROT_BOOT, .fc_type = type,
		.fc_scope = RT_SCOPE_UNIVERSE, .fc_nlflags = NLM_F_CREATE | NLM_F_EXCL,
	};

	if (gw)
		cfg.fc_gw = ipt_addr(gw);
	rtnl_lock();
	assert_int_equal(ip_fib_route_add(&init_net, &cfg), 0);
	rtnl_unlock();
}

/* Book ch5: 127.0.0.1 and the host's own t0 address both route through lo. */
static void test_output_local_is_lo(void **state)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = route_out("127.0.0.1", NULL, 0, &fl4);
	assert_false(IS_ERR(rt));
	assert_ptr_equal(rt->dst.dev, init_net.loopback_dev);
	assert_int_equal(rt->rt_type, RTN_LOCAL);
	assert_true(rt->rt_flags & RTCF_LOCAL);
	assert_int_equal(fl4.saddr, ipt_addr("127.0.0.1"));
	assert_ptr_equal(rt->dst.input, ip_local_deliver);
	ip_rt_put(rt);

	rt = route_out("10.0.0.1", NULL, 0, &fl4);
	assert_false(IS_ERR(rt));
	assert_ptr_equal(rt->dst.dev, init_net.loopback_dev);
	assert_int_equal(rt->rt_type, RTN_LOCAL);
	assert_int_equal(fl4.saddr, ipt_addr("10.0.0.1"));
	assert_int_equal(fl4.flowi4_oif, LOOPBACK_IFINDEX);
	ip_rt_put(rt);
}

/* On-link destinations, gateways, source selection, and no route at all. */
static void test_output_routes(void **state)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = route_out("10.0.0.2", NULL, 0, &fl4);
	assert_false(IS_ERR(rt));
	assert_ptr_equal(rt->dst.dev, t0);
	assert_int_equal(rt->rt_type, RTN_UNICAST);
	assert_int_equal(rt->rt_gateway, 0);
	assert_int_equal(rt_nexthop(rt, fl4.daddr), ipt_addr("10.0.0.2"));
	assert_int_equal(fl4.saddr, ipt_addr("10.0.0.1"));
	assert_ptr_equal(rt->dst.output, ip_output);
	assert_int_equal(dst_mtu(&rt->dst), 1500);
	ip_rt_put(rt);

	/* No route: the destination is unreachable. */
	rt = route_out("8.8.8.8", NULL, 0, &fl4);
	assert_true(IS_ERR(rt));
	assert_int_equal(PTR_ERR(rt), -ENETUNREACH);

	/* A default route through a gateway on t1. */
	add_route("0.0.0.0", 0, "10.1.0.254", RTN_UNICAST);
	rt = route_out("8.8.8.8", NULL, 0, &fl4);
	assert_false(IS_ERR(rt));
	assert_ptr_equal(rt->dst.dev, t1);
	assert_int_equal(rt->rt_gateway, ipt_addr("10.1.0.254"));
	assert_true(rt->rt_uses_gateway);
	assert_int_equal(rt_nexthop(rt, fl4.daddr), ipt_addr("10.1.0.254"));
	assert_int_equal(fl4.saddr, ipt_addr("10.1.0.1"));
	ip_rt_put(rt);

	/* A source that is not ours is refused; one of ours is kept. */
	rt = route_out("8.8.8.8", "10.9.9.9", 0, &fl4);
	assert_true(IS_ERR(rt));
	assert_int_equal(PTR_ERR(rt), -EINVAL);
	rt = route_out("8.8.8.8", "10.0.0.1", 0, &fl4);
	assert_false(IS_ERR(rt));
	assert_int_equal(fl4.saddr, ipt_addr("10.0.0.1"));
	ip_rt_put(rt);

	/* An output interface given: the route must use it. */
	rt = route_out("10.0.0.2", NULL, t0->ifindex, &fl4);
	assert_false(IS_ERR(rt));
	assert_ptr_equal(rt->dst.dev, t0);
	ip_rt_put(rt);
	/* Limited broadcast: RTCF_BROADCAST, not cached. */
	rt = route_out("255.255.255.255", NULL, t0->ifindex, &fl4);
	assert_false(IS_ERR(rt));
	assert_int_equal(rt->rt_type, RTN_BROADCAST);
	assert_true(rt->rt_flags & RTCF_BROADCAST);
	assert_true(rt->dst.flags & DST_NOCACHE);
	ip_rt_put(rt);
}

/* 3.10 caches one output rtable per nexthop and CPU: flows share it until a flush. */
static void test_route_cache(void **state)
{
	struct flowi4 fl4;
	struct rtable *a, *b, *c;
	struct fib_result res;
	struct flowi4 f = { .daddr = ipt_addr("10.0.0.9") };

	a = route_out("10.0.0.2", NULL, 0, &fl4);
	b = route_out("10.0.0.3", NULL, 0, &fl4);
	assert_false(IS_ERR(a));
	assert_ptr_equal(a, b);		/* same nexthop (10.0.0.0/24 via t0): same route */
	assert_int_equal(dst_refcnt(&a->dst), 2);
	assert_false(a->dst.flags & DST_NOCACHE);
	assert_int_equal(fib_lookup(&init_net, &f, &res), 0);
	assert_ptr_equal(FIB_RES_NH(res).nh_pcpu_rth_output[0], a);
	ip_rt_put(b);

	/* After a flush the old route fails dst_check and a new one is built. */
	rt_cache_flush(&init_net);
	assert_null(dst_check(&a->dst, 0));
	c = route_out("10.0.0.2", NULL, 0, &fl4);
	assert_ptr_not_equal(c, a);
	assert_ptr_equal(dst_check(&c->dst, 0), &c->dst);
	ip_rt_put(c);
	/* The replaced route lives while referenced, and goes with its last release. */
	assert_int_equal(a->dst.obsolete, DST_OBSOLETE_DEAD);
	ip_rt_put(a);
}

static struct sk_buff *rx_skb(struct net_device *dev, const char *saddr, const char *daddr)
{
	u8 pkt[64];
	unsigned int len = ipt_build_ip(pkt, ipt_addr(saddr), ipt_addr(daddr), 253, 64, 1, 0, 5,
					NULL, "x", 1);
	struct sk_buff *skb = ipt_frame(dev, pkt, len);

	skb_reset_network_header(skb);
	return skb;
}

static int route_in(struct sk_buff *skb, const char *saddr, const char *daddr)
{
	int err;

	local_bh_disable();
	err = ip_route_input_noref(skb, ipt_addr(daddr), ipt_addr(saddr), 0, skb->dev);
	local_bh_enable();
	return err;
}

/* Received packets: local delivery, broadcast, forwarding decision. */
static void test_input_routes(void **state)
{
	struct net *net = &init_net;
	struct sk_buff *skb;
	u64 addrerr;

	skb = rx_skb(t0, "10.0.0.2", "10.0.0.1");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.0.0.1"), 0);
	assert_ptr_equal(skb_dst(skb)->input, ip_local_deliver);
	assert_int_equal(skb_rtable(skb)->rt_type, RTN_LOCAL);
	assert_ptr_equal(skb_dst(skb)->dev, init_net.loopback_dev);
	kfree_skb(skb);

	/* t1's address arriving on t0 is local too (weak host model). */
	skb = rx_skb(t0, "10.0.0.2", "10.1.0.1");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.1.0.1"), 0);
	assert_int_equal(skb_rtable(skb)->rt_type, RTN_LOCAL);
	kfree_skb(skb);

	skb = rx_skb(t0, "10.0.0.2", "10.0.0.255");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.0.0.255"), 0);
	assert_int_equal(skb_rtable(skb)->rt_type, RTN_BROADCAST);
	assert_true(skb_rtable(skb)->rt_flags & RTCF_BROADCAST);
	kfree_skb(skb);

	skb = rx_skb(t0, "10.0.0.2", "255.255.255.255");
	assert_int_equal(route_in(skb, "10.0.0.2", "255.255.255.255"), 0);
	assert_int_equal(skb_rtable(skb)->rt_type, RTN_BROADCAST);
	kfree_skb(skb);

	/* Not for us, ip_forward 0: a route to ip_error with EHOSTUNREACH, which counts
	 * InAddrErrors and drops. */
	addrerr = IP_MIB(net, INADDRERRORS);
	skb = rx_skb(t0, "10.0.0.2", "10.1.0.7");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.1.0.7"), 0);
	assert_ptr_equal(skb_dst(skb)->input, ip_error);
	assert_int_equal(skb_dst(skb)->error, EHOSTUNREACH);
	local_bh_disable();
	dst_input(skb);
	local_bh_enable();
	assert_int_equal(IP_MIB(net, INADDRERRORS), addrerr + 1);

	/* ip_forward 1: the same packet is forwarded through t1. */
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "1"), 0);
	skb = rx_skb(t0, "10.0.0.2", "10.1.0.7");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.1.0.7"), 0);
	assert_ptr_equal(skb_dst(skb)->input, ip_forward);
	assert_ptr_equal(skb_dst(skb)->dev, t1);
	assert_ptr_equal(skb_dst(skb)->output, ip_output);
	kfree_skb(skb);
	/* ... and nothing at all to an unknown network: ENETUNREACH, InNoRoutes. */
	skb = rx_skb(t0, "10.0.0.2", "192.0.2.1");
	assert_int_equal(route_in(skb, "10.0.0.2", "192.0.2.1"), 0);
	assert_ptr_equal(skb_dst(skb)->input, ip_error);
	assert_int_equal(skb_dst(skb)->error, ENETUNREACH);
	kfree_skb(skb);
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "0"), 0);
}

/* Martian sources and destinations: -EINVAL, counted in the rt_cache statistics. */
static void test_martians(void **state)
{
	static const struct { const char *s, *d; bool src; } m[] = {
		{ "127.0.0.1", "10.0.0.1", true },	/* loopback source on the wire */
		{ "224.0.0.5", "10.0.0.1", true },	/* multicast source */
		{ "255.255.255.255", "10.0.0.1", true },/* broadcast source */
		{ "0.1.2.3", "10.0.0.1", true },	/* zeronet source */
		{ "10.0.0.2", "127.0.0.1", false },	/* loopback destination */
		{ "10.0.0.2", "0.1.2.3", false },	/* zeronet destination */
		{ "10.0.0.1", "10.0.0.1", true },	/* our own address as source (rp_filter) */
	};
	struct rt_cache_stat *st = init_net.ipv4.rt_stat;
	size_t i;

	/* The last case is only checked with rp_filter on (3.10's fast path skips it). */
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.conf.all.rp_filter", "1"), 0);
	for (i = 0; i < ARRAY_SIZE(m); i++) {
		unsigned int src = st->in_martian_src, dst = st->in_martian_dst;
		struct sk_buff *skb = rx_skb(t0, m[i].s, m[i].d);

		assert_int_equal(route_in(skb, m[i].s, m[i].d), -EINVAL);
		assert_null(skb_dst(skb));
		assert_int_equal(st->in_martian_src, src + (m[i].src ? 1 : 0));
		assert_int_equal(st->in_martian_dst, dst + (m[i].src ? 0 : 1));
		kfree_skb(skb);
	}
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.conf.all.rp_filter", "0"), 0);
}

/* An unreachable route answers forwarded packets with ICMP host unreachable (ip_error),
 * rate limited per source; prohibit with "communication administratively prohibited"
 * (code 13). In a namespace of its own: the per-source rate-limit state (inet_peer) lives
 * as long as the namespace. */
static void test_unreachable_route(void **state)
{
	struct net *net;
	struct net_device *u0, *u1;
	struct sk_buff *skb, *tx;
	unsigned long out3;
	u8 buf[128];
	int i;
	struct fib_config cfg = {
		.fc_dst_len = 16, .fc_table = RT_TABLE_MAIN, .fc_protocol = RTPROT_BOOT,
		.fc_scope = RT_SCOPE_UNIVERSE, .fc_nlflags = NLM_F_CREATE | NLM_F_EXCL,
	};

	assert_int_equal(ul_netns_add("ue"), 0);
	net = ul_net_by_name("ue");
	u0 = ipt_dev_new(net, "u0", 3, 1500);
	u1 = ipt_dev_new(net, "u1", 4, 1500);
	ipt_addr_add(u0, "10.0.0.1", 24);
	ipt_addr_add(u1, "10.1.0.1", 24);
	rtnl_lock();
	cfg.fc_dst = ipt_addr("10.9.0.0");
	cfg.fc_type = RTN_UNREACHABLE;
	assert_int_equal(ip_fib_route_add(net, &cfg), 0);
	cfg.fc_dst = ipt_addr("10.8.0.0");
	cfg.fc_type = RTN_PROHIBIT;
	assert_int_equal(ip_fib_route_add(net, &cfg), 0);
	rtnl_unlock();
	assert_int_equal(ul_sysctl_write(net, "net.ipv4.ip_forward", "1"), 0);
	out3 = ICMP_OUT(net, ICMP_DEST_UNREACH);

	skb = rx_skb(u0, "10.0.0.2", "10.9.1.1");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.9.1.1"), 0);
	assert_ptr_equal(skb_dst(skb)->input, ip_error);
	assert_int_equal(skb_dst(skb)->error, EHOSTUNREACH);
	local_bh_disable();
	dst_input(skb);
	local_bh_enable();
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), out3 + 1);
	tx = ipt_pop(u0);
	assert_non_null(tx);
	ipt_l3_copy(tx, buf, sizeof(buf));
	assert_int_equal(buf[20], ICMP_DEST_UNREACH);
	assert_int_equal(buf[21], ICMP_HOST_UNREACH);
	consume_skb(tx);

	/* A burst. ip_error and icmp_send spend the same inet_peer tokens (3.10): ip_error
	 * starts with ip_rt_error_burst (5 s) and pays ip_rt_error_cost (1 s) per error,
	 * icmp_send pays icmp_ratelimit (1 s): two errors go out, then silence. */
	for (i = 0; i < 6; i++) {
		skb = rx_skb(u0, "10.0.0.2", "10.9.1.2");
		assert_int_equal(route_in(skb, "10.0.0.2", "10.9.1.2"), 0);
		local_bh_disable();
		dst_input(skb);
		local_bh_enable();
	}
	assert_int_equal(ICMP_OUT(net, ICMP_DEST_UNREACH), out3 + 2);
	ipt_dev_purge(u0);

	/* Prohibit, after the token bucket refilled. */
	ul_run_for(2ULL * NSEC_PER_SEC);
	skb = rx_skb(u0, "10.0.0.2", "10.8.1.1");
	assert_int_equal(route_in(skb, "10.0.0.2", "10.8.1.1"), 0);
	assert_int_equal(skb_dst(skb)->error, EACCES);
	local_bh_disable();
	dst_input(skb);
	local_bh_enable();
	tx = ipt_pop(u0);
	assert_non_null(tx);
	ipt_l3_copy(tx, buf, sizeof(buf));
	assert_int_equal(buf[21], ICMP_PKT_FILTERED);
	consume_skb(tx);
	ipt_dev_del(u0);
	ipt_dev_del(u1);
	assert_int_equal(ul_netns_del("ue"), 0);
}

/* The route MTU: the device's, a route's mtu metric, and a learnt PMTU. */
static void test_route_mtu(void **state)
{
	struct fib_config cfg = {
		.fc_dst = ipt_addr("10.5.0.0"), .fc_dst_len = 16, .fc_table = RT_TABLE_MAIN,
		.fc_protocol = RTPROT_BOOT, .fc_type = RTN_UNICAST, .fc_scope = RT_SCOPE_UNIVERSE,
		.fc_gw = ipt_addr("10.0.0.254"), .fc_nlflags = NLM_F_CREATE | NLM_F_EXCL,
	};
	struct flowi4 fl4;
	struct rtable *rt;

	cfg.fc_metrics[RTAX_MTU - 1] = 1400;
	rtnl_lock();
	assert_int_equal(ip_fib_route_add(&init_net, &cfg), 0);
	rtnl_unlock();
	rt = route_out("10.5.1.1", NULL, 0, &fl4);
	assert_false(IS_ERR(rt));
	assert_int_equal(dst_mtu(&rt->dst), 1400);
	assert_int_equal(dst_metric_advmss(&rt->dst), 1500 - 40);
	ip_rt_put(rt);

	rtnl_lock();
	assert_int_equal(dev_set_mtu(t0, 1280), 0);
	rtnl_unlock();
	rt = route_out("10.0.0.2", NULL, 0, &fl4);
	assert_int_equal(dst_mtu(&rt->dst), 1280);
	/* A learnt PMTU below the device's, for ip_rt_mtu_expires. */
	rt->dst.ops->update_pmtu(&rt->dst, NULL, NULL, 1000);
	assert_int_equal(dst_mtu(&rt->dst), 1000);
	ul_run_for((u64)ip_rt_mtu_expires * NSEC_PER_MSEC + NSEC_PER_SEC);
	assert_int_equal(dst_mtu(&rt->dst), 1280);
	ip_rt_put(rt);
	rtnl_lock();
	assert_int_equal(dev_set_mtu(t0, 1500), 0);
	rtnl_unlock();
}

/* Each namespace routes with its own tables. */
static void test_namespaces(void **state)
{
	struct net *a;
	struct net_device *ta;
	struct flowi4 fl4;
	struct rtable *rt;

	assert_int_equal(ul_netns_add("ra"), 0);
	a = ul_net_by_name("ra");
	assert_non_null(a);
	ta = ipt_dev_new(a, "t0", 7, 1500);
	assert_int_equal(devinet_addr_add(ta, ipt_addr("10.0.0.7"), 24, 0, 0, true,
					  RT_SCOPE_UNIVERSE, NULL), 0);
	flowi4_init_output(&fl4, 0, 0, 0, RT_SCOPE_UNIVERSE, 0, 0, ipt_addr("10.0.0.1"), 0, 0, 0);
	rt = ip_route_output_key(a, &fl4);
	assert_false(IS_ERR(rt));
	/* 10.0.0.1 is init_net's address, not a's: a reaches it through its t0. */
	assert_ptr_equal(rt->dst.dev, ta);
	assert_int_equal(rt->rt_type, RTN_UNICAST);
	assert_int_equal(fl4.saddr, ipt_addr("10.0.0.7"));
	ip_rt_put(rt);
	assert_int_equal(inet_addr_type(a, ipt_addr("10.0.0.7")), RTN_LOCAL);
	assert_int_equal(inet_addr_type(&init_net, ipt_addr("10.0.0.7")), RTN_UNICAST);
	ipt_dev_del(ta);
	assert_int_equal(ul_netns_del("ra"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_output_local_is_lo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_martians, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_mtu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_namespaces, setup, teardown),
	};
	(void)&inet_init;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
