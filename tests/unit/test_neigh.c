/* SPDX-License-Identifier: MIT */
/* The neighbour state machine on virtual time (3.10 timers and probe counts), the
 * unresolved queue and its limit, garbage collection under gc_thresh3, the
 * net.ipv4.neigh.* sysctls (defaults, per device, per namespace) and the statistics file. */
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
	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_dev_purge(t0);	/* the gratuitous ARP of the address */
	return 0;
}

static int teardown(void **state)
{
	ipt_dev_del(t0);
	return ul_test_teardown(state);
}

static void run_ms(u64 ms)
{
	ul_run_for(ms * NSEC_PER_MSEC);
}

static void inject(struct sk_buff *skb)
{
	ipt_inject(skb);
}

static void reply_from_peer(void)
{
	inject(arp_frame(t0, t0->dev_addr, ARPOP_REPLY, peer, "10.0.0.2", t0->dev_addr,
			 "10.0.0.1", 0));
}

static struct neigh_statistics stats(void)
{
	struct neigh_statistics s;

	neigh_stats_sum(&arp_tbl, &init_net, &s);
	return s;
}

/* NONE -> INCOMPLETE, three broadcast requests one second apart, FAILED at 3 s; the queued
 * packets are dropped (NEIGH_FAILED) and the failure counted (res_failed). */
static void test_incomplete_to_failed(void **state)
{
	unsigned long failed0 = ul_drop_count(SKB_DROP_REASON_NEIGH_FAILED);
	struct neigh_statistics s0 = stats();
	struct neighbour *n;
	struct arp_pkt a;

	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	n = neigh_get(t0, "10.0.0.2");
	assert_non_null(n);
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	assert_int_equal(skb_queue_len(&n->arp_queue), 2);
	/* The first request goes at once, broadcast, who-has 10.0.0.2 tell 10.0.0.1. */
	assert_int_equal(arp_pop_all(t0, &a), 1);
	assert_memory_equal(a.eth_dst, "\xff\xff\xff\xff\xff\xff", ETH_ALEN);
	assert_int_equal(a.op, ARPOP_REQUEST);
	assert_memory_equal(a.sha, t0->dev_addr, ETH_ALEN);
	assert_int_equal(a.sip, ipt_addr("10.0.0.1"));
	assert_memory_equal(a.tha, "\0\0\0\0\0\0", ETH_ALEN);
	assert_int_equal(a.tip, ipt_addr("10.0.0.2"));

	run_ms(500);
	assert_int_equal(arp_pop_all(t0, NULL), 0);
	run_ms(1000);	/* t = 1.5 s */
	assert_int_equal(arp_pop_all(t0, NULL), 1);
	run_ms(1000);	/* t = 2.5 s */
	assert_int_equal(arp_pop_all(t0, NULL), 1);
	assert_int_equal(n->nud_state, NUD_INCOMPLETE);
	run_ms(1000);	/* t = 3.5 s: the third probe went unanswered */
	assert_int_equal(arp_pop_all(t0, NULL), 0);
	assert_int_equal(n->nud_state, NUD_FAILED);
	assert_int_equal(skb_queue_len(&n->arp_queue), 0);
	assert_int_equal(stats().res_failed, s0.res_failed + 1);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NEIGH_FAILED), failed0 + 2);
	ipt_dev_purge(t0);	/* the ICMP host unreachable to ourselves, if any */
}

/* INCOMPLETE -(reply)-> REACHABLE -(reachable_time)-> STALE -(use)-> DELAY -(5 s)->
 * PROBE (unicast requests) -(reply)-> REACHABLE; then DELAY -> PROBE -> FAILED. */
static void test_reachability_cycle(void **state)
{
	struct neighbour *n;
	struct sk_buff *skb;
	struct arp_pkt a;
	u8 eth[ETH_HLEN];
	int i;

	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	n = neigh_get(t0, "10.0.0.2");
	assert_int_equal(arp_pop_all(t0, NULL), 1);
	reply_from_peer();
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	assert_memory_equal(n->ha, peer, ETH_ALEN);
	/* The queued packet left, to the peer's address. */
	skb = ipt_pop(t0);
	assert_non_null(skb);
	assert_int_equal(skb_copy_bits(skb, 0, eth, ETH_HLEN), 0);
	assert_memory_equal(eth, peer, ETH_ALEN);
	assert_int_equal(eth[12] << 8 | eth[13], ETH_P_IP);
	consume_skb(skb);

	/* reachable_time is base_reachable_time (30 s) randomised to [15 s, 45 s). */
	assert_true(n->parms->reachable_time >= 15 * HZ && n->parms->reachable_time < 45 * HZ);
	run_ms((u64)n->parms->reachable_time - 500);
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	run_ms(1000);
	assert_int_equal(n->nud_state, NUD_STALE);

	/* A packet to a STALE neighbour goes at once (old address) and starts DELAY. */
	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	assert_int_equal(n->nud_state, NUD_DELAY);
	skb = ipt_pop(t0);
	assert_non_null(skb);
	consume_skb(skb);
	run_ms(4500);
	assert_int_equal(n->nud_state, NUD_DELAY);
	run_ms(1000);	/* delay_first_probe_time (5 s) without confirmation */
	assert_int_equal(n->nud_state, NUD_PROBE);
	/* PROBE asks the known address directly. */
	assert_int_equal(arp_pop_all(t0, &a), 1);
	assert_memory_equal(a.eth_dst, peer, ETH_ALEN);
	assert_int_equal(a.op, ARPOP_REQUEST);
	reply_from_peer();
	assert_int_equal(n->nud_state, NUD_REACHABLE);

	/* Again, but nobody answers the unicast probes: 3 of them, then FAILED. */
	run_ms((u64)n->parms->reachable_time + 500);
	assert_int_equal(n->nud_state, NUD_STALE);
	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	ipt_dev_purge(t0);
	run_ms(5500);
	assert_int_equal(n->nud_state, NUD_PROBE);
	for (i = 0; i < 2; i++) {
		run_ms(1000);
		assert_int_equal(n->nud_state, NUD_PROBE);
	}
	run_ms(1000);
	assert_int_equal(n->nud_state, NUD_FAILED);
	assert_int_equal(arp_pop_all(t0, NULL), 3);	/* ucast_probes */
}

/* The unresolved queue keeps at most unres_qlen_bytes of packets: the oldest go first,
 * counted as unresolved_discards and NEIGH_QUEUEFULL drops. */
static void test_unres_queue_overflow(void **state)
{
	unsigned long qfull0 = ul_drop_count(SKB_DROP_REASON_NEIGH_QUEUEFULL);
	struct neigh_statistics s0 = stats();
	struct sk_buff *probe = ip_out_skb(&init_net, "10.0.0.2");
	char val[32];
	struct neighbour *n;
	int i;

	snprintf(val, sizeof(val), "%u", 3 * probe->truesize);
	kfree_skb(probe);
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.neigh.t0.unres_qlen_bytes", val), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	n = neigh_get(t0, "10.0.0.2");
	assert_int_equal(skb_queue_len(&n->arp_queue), 3);
	assert_int_equal(stats().unres_discards, s0.unres_discards + 7);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NEIGH_QUEUEFULL), qfull0 + 7);
	ipt_dev_purge(t0);
	/* The answer releases the three that waited. */
	reply_from_peer();
	assert_int_equal(skb_queue_len(&n->arp_queue), 0);
	assert_int_equal(ipt_txq_len(t0), 3);
	ipt_dev_purge(t0);
}

/* Entries stay under gc_thresh3: the forced gc reclaims unused ones; when nothing can be
 * reclaimed (all PERMANENT) creation fails instead. */
static void test_gc_thresholds(void **state)
{
	struct neigh_statistics s0 = stats();
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0 };
	int i, max_seen = 0, base = neigh_entries(&arp_tbl, &init_net);

	for (i = 0; i < 1500; i++) {
		__be32 ip = htonl(0x0a000000 | (u32)(1000 + i));

		mac[4] = (u8)(i >> 8);
		mac[5] = (u8)i;
		assert_int_equal(neigh_add(&init_net, &arp_tbl, &ip, t0, mac, NUD_STALE, true), 0);
		if (neigh_entries(&arp_tbl, &init_net) > max_seen)
			max_seen = neigh_entries(&arp_tbl, &init_net);
	}
	assert_true(max_seen <= 1024);
	assert_true(stats().forced_gc_runs > s0.forced_gc_runs);
	neigh_flush(&init_net, &arp_tbl, t0);
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), base);

	/* PERMANENT entries cannot be reclaimed: the table fills at gc_thresh3. */
	for (i = 0; i < 1100; i++) {
		__be32 ip = htonl(0x0a100000 | (u32)i);
		int err = neigh_add(&init_net, &arp_tbl, &ip, t0, mac, NUD_PERMANENT, true);

		if (neigh_entries(&arp_tbl, &init_net) >= 1024) {
			if (err)
				break;
		} else {
			assert_int_equal(err, 0);
		}
	}
	assert_true(i < 1100);
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), 1024);
	{
		__be32 ip = htonl(0x0a200000);

		assert_int_equal(neigh_add(&init_net, &arp_tbl, &ip, t0, mac, NUD_PERMANENT, true),
				 -ENOBUFS);
	}
	/* The device going away takes them all. */
	ipt_dev_del(t0);
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), base);
	t0 = arp_dev_new(&init_net, "t0", 1);
}

/* Periodic gc (every base_reachable_time/2): nothing below gc_thresh1; above it, unused
 * entries older than gc_stale_time (60 s) go. */
static void test_periodic_gc(void **state)
{
	struct neigh_statistics s0 = stats();
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0x01, 0 };
	int i, base = neigh_entries(&arp_tbl, &init_net);

	for (i = 0; i < 10; i++) {
		__be32 ip = htonl(0x0a000100 | (u32)i);

		mac[5] = (u8)i;
		assert_int_equal(neigh_add(&init_net, &arp_tbl, &ip, t0, mac, NUD_STALE, true), 0);
	}
	run_ms(120 * 1000);
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), base + 10);
	assert_int_equal(stats().periodic_gc_runs, s0.periodic_gc_runs);

	for (i = 10; i < 200; i++) {
		__be32 ip = htonl(0x0a000100 | (u32)i);

		mac[5] = (u8)i;
		assert_int_equal(neigh_add(&init_net, &arp_tbl, &ip, t0, mac, NUD_STALE, true), 0);
	}
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), base + 200);
	run_ms(30 * 1000);
	assert_true(stats().periodic_gc_runs > s0.periodic_gc_runs);
	/* The 10 first ones are 2.5 minutes old: gone; the 190 new ones stay for now. */
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), base + 190);
	run_ms(60 * 1000);
	assert_int_equal(neigh_entries(&arp_tbl, &init_net), base);
}

static void expect_sysctl(struct net *net, const char *name, const char *value)
{
	char buf[64];

	assert_int_equal(ul_sysctl_read(net, name, buf, sizeof(buf)), 0);
	assert_string_equal(buf, value);
}

/* net.ipv4.neigh.default.* as 3.10 shows them, per device and per namespace. */
static void test_sysctls(void **state)
{
	char unres[32];
	struct net *na;

	expect_sysctl(&init_net, "net.ipv4.neigh.default.mcast_solicit", "3");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.ucast_solicit", "3");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.app_solicit", "0");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.retrans_time", "100");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.retrans_time_ms", "1000");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.base_reachable_time", "30");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.base_reachable_time_ms", "30000");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.delay_first_probe_time", "5");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.gc_stale_time", "60");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.unres_qlen_bytes", "65536");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.proxy_qlen", "64");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.proxy_delay", "80");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.anycast_delay", "100");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.locktime", "100");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.gc_interval", "30");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.gc_thresh1", "128");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.gc_thresh2", "512");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.gc_thresh3", "1024");
	snprintf(unres, sizeof(unres), "%d", 65536 / (int)SKB_TRUESIZE(1514));
	expect_sysctl(&init_net, "net.ipv4.neigh.default.unres_qlen", unres);
	/* Per device: the device's parms, a copy of the defaults. */
	expect_sysctl(&init_net, "net.ipv4.neigh.t0.retrans_time_ms", "1000");
	expect_sysctl(&init_net, "net.ipv4.neigh.lo.ucast_solicit", "3");
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.neigh.t0.retrans_time_ms", "250"), 0);
	expect_sysctl(&init_net, "net.ipv4.neigh.t0.retrans_time", "25");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.retrans_time_ms", "1000");
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.neigh.t0.ucast_solicit", "x"), -EINVAL);
	assert_int_equal(ul_sysctl_read(&init_net, "net.ipv4.neigh.t0.gc_thresh1", unres,
					sizeof(unres)), -ENOENT);
	assert_int_equal(ul_sysctl_read(&init_net, "net.ipv4.neigh.nosuchdev.locktime", unres,
					sizeof(unres)), -ENOENT);

	/* Each namespace has its own. */
	assert_int_equal(ul_netns_add("na"), 0);
	na = ul_net_by_name("na");
	assert_int_equal(ul_sysctl_write(na, "net.ipv4.neigh.default.gc_thresh3", "2048"), 0);
	expect_sysctl(na, "net.ipv4.neigh.default.gc_thresh3", "2048");
	expect_sysctl(&init_net, "net.ipv4.neigh.default.gc_thresh3", "1024");
	/* t0 exists only in init_net. */
	assert_int_equal(ul_sysctl_read(na, "net.ipv4.neigh.t0.locktime", unres, sizeof(unres)),
			 -ENOENT);
	assert_int_equal(ul_netns_del("na"), 0);
}

/* /proc/net/stat/arp_cache: 3.10's header and one row per CPU. */
static void test_stat_file(void **state)
{
	static const char hdr[] = "entries  allocs destroys hash_grows  lookups hits  res_failed  "
				  "rcv_probes_mcast rcv_probes_ucast  periodic_gc_runs "
				  "forced_gc_runs unresolved_discards\n";
	static const char row0[] = "00000000  00000000 00000000 00000000  00000000 00000000  "
				   "00000000  00000000 00000000  00000000 00000000 00000000\n";
	char *txt, first[16];
	int err;

	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	txt = ul_proc_read(NULL, "/proc/net/stat/arp_cache", &err);
	assert_non_null(txt);
	assert_memory_equal(txt, hdr, strlen(hdr));
	snprintf(first, sizeof(first), "%08x  ", (unsigned int)neigh_entries(&arp_tbl, &init_net));
	assert_memory_equal(txt + strlen(hdr), first, 10);
	/* one row per CPU (2 in the harness), each as wide as Linux's */
	assert_int_equal(strlen(txt), strlen(hdr) + 2 * strlen(row0));
	free(txt);
	ipt_dev_purge(t0);
}

/* __ipv4_neigh_lookup_noref (ip_finish_output2's per-packet lookup, its own loop comparing
 * the key as a word) finds exactly what neigh_lookup finds: every entry of a table grown
 * to many buckets, the entry of the right device when two share a key, NULL otherwise. */
static void test_ipv4_lookup_noref(void **state)
{
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x10 };
	struct net_device *t1 = arp_dev_new(&init_net, "t1", 2);
	struct neighbour *n, *n0, *n1;
	__be32 ip;
	int i;

	(void)state;
	for (i = 0; i < 600; i++) {
		ip = htonl(0x0a000000 | (u32)(2000 + i));
		mac[5] = (u8)i;
		assert_int_equal(neigh_add(&init_net, &arp_tbl, &ip, t0, mac, NUD_PERMANENT, true),
				 0);
	}
	ip = htonl(0x0a000000 | 2000);
	assert_int_equal(neigh_add(&init_net, &arp_tbl, &ip, t1, mac, NUD_PERMANENT, true), 0);
	local_bh_disable();
	for (i = 0; i < 600; i++) {
		ip = htonl(0x0a000000 | (u32)(2000 + i));
		n = neigh_lookup(&arp_tbl, &ip, t0);
		assert_non_null(n);
		assert_ptr_equal(__ipv4_neigh_lookup_noref(t0, ip), n);
		assert_memory_equal(n->primary_key, &ip, 4);
		neigh_release(n);
	}
	ip = htonl(0x0a000000 | 2000);
	n0 = __ipv4_neigh_lookup_noref(t0, ip);
	n1 = __ipv4_neigh_lookup_noref(t1, ip);
	assert_non_null(n0);
	assert_non_null(n1);
	assert_ptr_not_equal(n0, n1);
	assert_ptr_equal(n0->dev, t0);
	assert_ptr_equal(n1->dev, t1);
	ip = htonl(0x0a000000 | 2001);
	assert_null(__ipv4_neigh_lookup_noref(t1, ip));		/* only on t0 */
	ip = htonl(0x0a000000 | 2600);
	assert_null(__ipv4_neigh_lookup_noref(t0, ip));		/* nobody */
	local_bh_enable();
	neigh_flush(&init_net, &arp_tbl, t0);
	ipt_dev_del(t1);
}

/* How many times @func ran in the trace. */
static unsigned int trace_calls(const char *func)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < ul_trace_count(); i++)
		if (!strcmp(ul_trace_event(i)->func, func))
			n++;
	return n;
}

/* Send one packet to 10.0.0.2 with the path traced; returns its frame's first 14 bytes. */
static void send_traced(u8 *eth)
{
	struct sk_buff *skb;

	assert_int_equal(ul_trace_start(256), 0);
	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	ul_trace_stop();
	skb = ipt_pop(t0);
	assert_non_null(skb);
	assert_int_equal(skb_copy_bits(skb, 0, eth, ETH_HLEN), 0);
	consume_skb(skb);
}

/* 3.10's hh_cache: the first resolved output builds the entry's Ethernet header
 * (eth_header_cache, right-aligned in the first 16-byte block); later packets to the
 * REACHABLE entry copy it (neigh_hh_output: no neigh_resolve_output, no eth_header); an
 * address change rewrites it (neigh_update_hhs); a STALE entry goes through
 * neigh_resolve_output again. */
static void test_hh_cache(void **state)
{
	static const u8 peer2[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x22 };
	struct neighbour *n;
	const u8 *hh;
	u8 eth[ETH_HLEN];

	assert_int_equal(neigh_send(ip_out_skb(&init_net, "10.0.0.2")), 0);
	n = neigh_get(t0, "10.0.0.2");
	assert_non_null(n);
	assert_int_equal(n->hh.hh_len, 0);	/* INCOMPLETE: nothing to cache yet */
	assert_int_equal(arp_pop_all(t0, NULL), 1);
	reply_from_peer();
	assert_int_equal(n->nud_state, NUD_REACHABLE);
	ipt_dev_purge(t0);	/* the queued packet, sent by neigh_resolve_output */

	assert_int_equal(n->hh.hh_len, ETH_HLEN);
	hh = (const u8 *)n->hh.hh_data + HH_DATA_OFF(ETH_HLEN);
	assert_int_equal(HH_DATA_OFF(ETH_HLEN), 2);
	assert_memory_equal(hh, peer, ETH_ALEN);
	assert_memory_equal(hh + ETH_ALEN, t0->dev_addr, ETH_ALEN);
	assert_int_equal(hh[12] << 8 | hh[13], ETH_P_IP);

	/* Connected: the cached header, byte for byte what eth_header would build. */
	send_traced(eth);
	assert_int_equal(trace_calls("neigh_hh_output"), 1);
	assert_int_equal(trace_calls("neigh_resolve_output"), 0);
	assert_int_equal(trace_calls("eth_header"), 0);
	assert_memory_equal(eth, peer, ETH_ALEN);
	assert_memory_equal(eth + ETH_ALEN, t0->dev_addr, ETH_ALEN);
	assert_int_equal(eth[12] << 8 | eth[13], ETH_P_IP);

	/* The peer moved: the cache follows the new address. */
	assert_int_equal(neigh_update(n, peer2, NUD_REACHABLE,
				      NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN), 0);
	assert_memory_equal(hh, peer2, ETH_ALEN);
	assert_int_equal(n->hh.hh_lock.seqcount.sequence, 2);	/* one write section */
	send_traced(eth);
	assert_int_equal(trace_calls("neigh_hh_output"), 1);
	assert_memory_equal(eth, peer2, ETH_ALEN);

	/* STALE is not connected: resolution (and the DELAY timer) again, header built by
	 * eth_header; the cache stays built. */
	run_ms((u64)n->parms->reachable_time + 500);
	assert_int_equal(n->nud_state, NUD_STALE);
	send_traced(eth);
	assert_int_equal(trace_calls("neigh_hh_output"), 0);
	assert_int_equal(trace_calls("neigh_resolve_output"), 1);
	assert_int_equal(trace_calls("eth_header"), 1);
	assert_int_equal(n->nud_state, NUD_DELAY);
	assert_memory_equal(eth, peer2, ETH_ALEN);
	assert_int_equal(n->hh.hh_len, ETH_HLEN);
	ul_trace_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_incomplete_to_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reachability_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unres_queue_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc_thresholds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_periodic_gc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysctls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_lookup_noref, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hh_cache, setup, teardown),
	};
	(void)&inet_init;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
