/* SPDX-License-Identifier: MIT */
/* The FIB: the LC-trie's longest-prefix match against a brute-force reference with 100k
 * random routes (and after deleting half), the cost of a lookup in visited nodes, 3.10's
 * insert/delete errors, the routes that follow an address (local, broadcast, prefix) and a
 * device going down, fib_info sharing, and /proc/net/route. */
#include "ip_testdev.h"
#include "linux/random.h"
#include "linux/seq_file.h"
#include "net/ip_fib.h"

static struct net_device *t0;

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	t0 = ipt_dev_new(&init_net, "t0", 1, 1500);
	ipt_addr_add(t0, "10.0.0.1", 24);
	return 0;
}

static int teardown(void **state)
{
	ipt_dev_del(t0);
	return ul_test_teardown(state);
}

/* ---- the reference: one hash set of keys per prefix length ---- */

#define REF_BITS 16
#define REF_SIZE (1U << REF_BITS)

struct ref_set {
	u32 *keys;		/* key + 1 (0 = empty) is not enough for key 0xffffffff: use flags */
	u8 *used;
	unsigned int n;
};

static struct ref_set ref[33];

static unsigned int ref_hash(u32 key)
{
	return (key * 2654435761U) >> (32 - REF_BITS);
}

static bool ref_has(int plen, u32 key)
{
	struct ref_set *s = &ref[plen];
	unsigned int h = ref_hash(key), i;

	if (!s->keys)
		return false;
	for (i = 0; i < REF_SIZE; i++, h = (h + 1) & (REF_SIZE - 1)) {
		if (!s->used[h])
			return false;
		if (s->used[h] == 1 && s->keys[h] == key)
			return true;
	}
	return false;
}

static bool ref_add(int plen, u32 key)
{
	struct ref_set *s = &ref[plen];
	unsigned int h = ref_hash(key), i;

	if (!s->keys) {
		s->keys = calloc(REF_SIZE, sizeof(u32));
		s->used = calloc(REF_SIZE, 1);
		assert_non_null(s->keys);
		assert_non_null(s->used);
	}
	if (ref_has(plen, key))
		return false;
	for (i = 0; i < REF_SIZE; i++, h = (h + 1) & (REF_SIZE - 1)) {
		if (s->used[h] != 1) {
			s->used[h] = 1;
			s->keys[h] = key;
			s->n++;
			return true;
		}
	}
	fail_msg("reference set full");
	return false;
}

static void ref_del(int plen, u32 key)
{
	struct ref_set *s = &ref[plen];
	unsigned int h = ref_hash(key), i;

	for (i = 0; i < REF_SIZE; i++, h = (h + 1) & (REF_SIZE - 1)) {
		if (!s->used[h])
			return;
		if (s->used[h] == 1 && s->keys[h] == key) {
			s->used[h] = 2;	/* tombstone */
			s->n--;
			return;
		}
	}
}

static void ref_free(void)
{
	int i;

	for (i = 0; i <= 32; i++) {
		free(ref[i].keys);
		free(ref[i].used);
		ref[i].keys = NULL;
		ref[i].used = NULL;
		ref[i].n = 0;
	}
}

/* Longest prefix length holding @addr, or -1. */
static int ref_lookup(u32 addr)
{
	int plen;

	for (plen = 32; plen >= 0; plen--) {
		u32 mask = plen ? ~0U << (32 - plen) : 0;

		if (ref_has(plen, addr & mask))
			return plen;
	}
	return -1;
}

static u32 rnd_u32(void)
{
	return prandom_u32();
}

/* Prefix lengths as routing tables have them: mostly /8../32, some shorter. */
static int rnd_plen(void)
{
	u32 r = rnd_u32() % 100;

	if (r < 2)
		return (int)(rnd_u32() % 8);
	if (r < 60)
		return 16 + (int)(rnd_u32() % 9);	/* /16../24 */
	return 8 + (int)(rnd_u32() % 25);		/* /8../32 */
}

static void fill_cfg(struct fib_config *cfg, u32 key, int plen, u32 nlflags)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fc_dst = htonl(key);
	cfg->fc_dst_len = (u8)plen;
	cfg->fc_table = RT_TABLE_MAIN;
	cfg->fc_protocol = RTPROT_BOOT;
	cfg->fc_scope = RT_SCOPE_LINK;
	cfg->fc_type = RTN_UNICAST;
	cfg->fc_oif = t0->ifindex;
	cfg->fc_nlflags = nlflags;
	cfg->fc_nlinfo_nl_net = &init_net;
}

struct route_key {
	u32 key;
	int plen;
};

static int check_lookups(struct fib_table *tb, struct route_key *routes, unsigned int nroutes,
			 unsigned int nlookups)
{
	unsigned int i, mismatches = 0;

	for (i = 0; i < nlookups; i++) {
		struct fib_result res;
		struct flowi4 fl4 = { 0 };
		u32 addr;
		int want, got, err;

		if (i & 1) {
			/* Inside a known route, random host part. */
			struct route_key *r = &routes[rnd_u32() % nroutes];
			u32 host = r->plen == 32 ? 0 : rnd_u32() & (~0U >> r->plen);

			addr = r->key | host;
		} else {
			addr = rnd_u32();
		}
		fl4.daddr = htonl(addr);
		want = ref_lookup(addr);
		err = fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF);
		got = err ? -1 : res.prefixlen;
		if (want != got) {
			if (mismatches < 5)
				print_message("lookup %08x: trie /%d, reference /%d\n", addr, got, want);
			mismatches++;
		}
	}
	return (int)mismatches;
}

/* 100k random routes: every lookup agrees with the brute-force longest match, before and
 * after deleting half of them; lookups visit few nodes. */
static void test_lctrie_vs_bruteforce(void **state)
{
	enum { NROUTES = 100000, NLOOKUPS = 100000 };
	struct fib_table *tb = fib_trie_table(RT_TABLE_MAIN, &init_net);
	struct route_key *routes = calloc(NROUTES, sizeof(*routes));
	unsigned int n = 0, i, attempts = 0, fi_before;
	unsigned int depth, tnodes, leaves;
	unsigned long visits;
	struct fib_config cfg;

	assert_non_null(tb);
	assert_non_null(routes);
	fi_before = fib_info_count();
	rtnl_lock();
	while (n < NROUTES && attempts++ < 4 * NROUTES) {
		int plen = rnd_plen();
		u32 mask = plen ? ~0U << (32 - plen) : 0;
		u32 key = rnd_u32() & mask;
		int err;

		fill_cfg(&cfg, key, plen, NLM_F_CREATE | NLM_F_EXCL);
		err = fib_table_insert(tb, &cfg);
		if (!ref_add(plen, key)) {
			assert_int_equal(err, -EEXIST);
			continue;
		}
		assert_int_equal(err, 0);
		routes[n].key = key;
		routes[n].plen = plen;
		n++;
	}
	rtnl_unlock();
	assert_int_equal(n, NROUTES);
	assert_int_equal(fib_table_count(tb), NROUTES);
	/* All these routes have the same nexthop: they share one fib_info. */
	assert_int_equal(fib_info_count(), fi_before + 1);

	fib_trie_visits = 0;
	assert_int_equal(check_lookups(tb, routes, n, NLOOKUPS), 0);
	visits = fib_trie_visits;
	fib_table_stats(tb, &depth, &tnodes, &leaves);
	print_message("100k routes: depth %u, %u tnodes, %u leaves, %.2f nodes per lookup\n",
		      depth, tnodes, leaves, (double)visits / NLOOKUPS);
	/* Level compression keeps the trie shallow, and a lookup visits O(depth) nodes (a
	 * binary trie would be ~17 deep for 100k keys, a list 100k long). */
	assert_true(depth <= 8);
	assert_true(visits <= (unsigned long)NLOOKUPS * 3 * depth);

	/* Delete every other route (exercises halve/collapse), then check again. */
	rtnl_lock();
	for (i = 0; i < n; i += 2) {
		fill_cfg(&cfg, routes[i].key, routes[i].plen, 0);
		cfg.fc_scope = RT_SCOPE_NOWHERE;
		assert_int_equal(fib_table_delete(tb, &cfg), 0);
		ref_del(routes[i].plen, routes[i].key);
	}
	rtnl_unlock();
	for (i = 0; i < n / 2; i++)
		routes[i] = routes[2 * i + 1];
	assert_int_equal(fib_table_count(tb), NROUTES / 2);
	assert_int_equal(check_lookups(tb, routes, n / 2, NLOOKUPS / 2), 0);

	rtnl_lock();
	fib_free_table(tb);
	rtnl_unlock();
	assert_int_equal(fib_info_count(), fi_before);
	free(routes);
	ref_free();
}

/* A handful of overlapping prefixes, checked by hand. */
static void test_lpm_small(void **state)
{
	static const struct { const char *dst; int plen; } rts[] = {
		{ "0.0.0.0", 0 }, { "10.0.0.0", 8 }, { "10.1.0.0", 16 }, { "10.1.2.0", 24 },
		{ "10.1.2.3", 32 }, { "10.128.0.0", 9 }, { "192.168.0.0", 16 },
	};
	static const struct { const char *addr; int plen; } q[] = {
		{ "10.1.2.3", 32 }, { "10.1.2.4", 24 }, { "10.1.3.1", 16 }, { "10.2.0.1", 8 },
		{ "10.200.0.1", 9 }, { "11.0.0.1", 0 }, { "192.168.5.5", 16 }, { "0.0.0.0", 0 },
	};
	struct fib_table *tb = fib_trie_table(RT_TABLE_MAIN, &init_net);
	struct fib_config cfg;
	size_t i;

	rtnl_lock();
	for (i = 0; i < ARRAY_SIZE(rts); i++) {
		fill_cfg(&cfg, ntohl(ipt_addr(rts[i].dst)), rts[i].plen, NLM_F_CREATE | NLM_F_EXCL);
		assert_int_equal(fib_table_insert(tb, &cfg), 0);
	}
	rtnl_unlock();
	for (i = 0; i < ARRAY_SIZE(q); i++) {
		struct flowi4 fl4 = { .daddr = ipt_addr(q[i].addr) };
		struct fib_result res;

		assert_int_equal(fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF), 0);
		assert_int_equal(res.prefixlen, q[i].plen);
		assert_int_equal(res.type, RTN_UNICAST);
		assert_ptr_equal(FIB_RES_DEV(res), t0);
	}
	rtnl_lock();
	fib_free_table(tb);
	rtnl_unlock();
}

/* 3.10's answers to bad or conflicting requests. */
static void test_insert_delete_errors(void **state)
{
	struct fib_table *tb = init_net.ipv4.fib_main;
	unsigned int before = fib_table_count(tb);
	struct fib_config cfg;

	rtnl_lock();
	fill_cfg(&cfg, 0x0a010000, 16, NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(fib_table_insert(tb, &cfg), 0);
	/* The same again: exclusive create fails. */
	assert_int_equal(fib_table_insert(tb, &cfg), -EEXIST);
	/* append/replace of an identical route: still a duplicate / a no-op. */
	fill_cfg(&cfg, 0x0a010000, 16, NLM_F_CREATE | NLM_F_APPEND);
	assert_int_equal(fib_table_insert(tb, &cfg), -EEXIST);
	fill_cfg(&cfg, 0x0a010000, 16, NLM_F_CREATE | NLM_F_REPLACE);
	assert_int_equal(fib_table_insert(tb, &cfg), 0);
	/* change (replace without create) of a missing route. */
	fill_cfg(&cfg, 0x0a020000, 16, NLM_F_REPLACE);
	assert_int_equal(fib_table_insert(tb, &cfg), -ENOENT);
	/* Host bits set, prefix too long. */
	fill_cfg(&cfg, 0x0a010001, 16, NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(fib_table_insert(tb, &cfg), -EINVAL);
	fill_cfg(&cfg, 0x0a010000, 33, NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(fib_table_insert(tb, &cfg), -EINVAL);
	/* A gateway nothing leads to. */
	fill_cfg(&cfg, 0x0a030000, 16, NLM_F_CREATE | NLM_F_EXCL);
	cfg.fc_scope = RT_SCOPE_UNIVERSE;
	cfg.fc_oif = 0;
	cfg.fc_gw = ipt_addr("192.168.99.1");
	assert_int_equal(fib_table_insert(tb, &cfg), -ENETUNREACH);
	/* A gateway on link: fine, and the nexthop device is found through it. */
	cfg.fc_gw = ipt_addr("10.0.0.254");
	assert_int_equal(fib_table_insert(tb, &cfg), 0);
	/* No such device. */
	fill_cfg(&cfg, 0x0a040000, 16, NLM_F_CREATE | NLM_F_EXCL);
	cfg.fc_oif = 999;
	assert_int_equal(fib_table_insert(tb, &cfg), -ENODEV);
	/* Error routes take no nexthop. */
	fill_cfg(&cfg, 0x0a050000, 16, NLM_F_CREATE | NLM_F_EXCL);
	cfg.fc_type = RTN_UNREACHABLE;
	cfg.fc_scope = RT_SCOPE_UNIVERSE;
	assert_int_equal(fib_table_insert(tb, &cfg), -EINVAL);
	cfg.fc_oif = 0;
	assert_int_equal(fib_table_insert(tb, &cfg), 0);
	/* A preferred source that is not ours. */
	fill_cfg(&cfg, 0x0a060000, 16, NLM_F_CREATE | NLM_F_EXCL);
	cfg.fc_prefsrc = ipt_addr("10.9.9.9");
	assert_int_equal(fib_table_insert(tb, &cfg), -EINVAL);
	cfg.fc_prefsrc = ipt_addr("10.0.0.1");
	assert_int_equal(fib_table_insert(tb, &cfg), 0);
	assert_int_equal(fib_table_count(tb), before + 4);

	/* Deletion: missing routes are "No such process". */
	fill_cfg(&cfg, 0x0a070000, 16, 0);
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	assert_int_equal(fib_table_delete(tb, &cfg), -ESRCH);
	fill_cfg(&cfg, 0x0a010000, 24, 0);
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	assert_int_equal(fib_table_delete(tb, &cfg), -ESRCH);
	/* A nexthop that does not match. */
	fill_cfg(&cfg, 0x0a030000, 16, 0);
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	cfg.fc_oif = 0;
	cfg.fc_gw = ipt_addr("10.0.0.253");
	assert_int_equal(fib_table_delete(tb, &cfg), -ESRCH);
	cfg.fc_gw = ipt_addr("10.0.0.254");
	assert_int_equal(fib_table_delete(tb, &cfg), 0);
	fill_cfg(&cfg, 0x0a010000, 16, 0);
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	assert_int_equal(fib_table_delete(tb, &cfg), 0);
	fill_cfg(&cfg, 0x0a050000, 16, 0);
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	cfg.fc_oif = 0;
	cfg.fc_type = RTN_UNREACHABLE;
	assert_int_equal(fib_table_delete(tb, &cfg), 0);
	fill_cfg(&cfg, 0x0a060000, 16, 0);
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	assert_int_equal(fib_table_delete(tb, &cfg), 0);
	rtnl_unlock();
	assert_int_equal(fib_table_count(tb), before);
}

static int route_of(struct fib_table *tb, const char *addr, struct fib_result *res)
{
	struct flowi4 fl4 = { .daddr = ipt_addr(addr) };

	return fib_table_lookup(tb, &fl4, res, FIB_LOOKUP_NOREF);
}

/* Adding an address adds its local route (local table, scope host), the broadcast routes
 * and the prefix route (main, scope link, proto kernel, src the address); deleting it
 * removes them all. */
static void test_address_routes(void **state)
{
	struct fib_table *local = init_net.ipv4.fib_local, *main_tb = init_net.ipv4.fib_main;
	unsigned int nlocal = fib_table_count(local), nmain = fib_table_count(main_tb);
	struct fib_result res;

	ipt_addr_add(t0, "172.16.5.1", 16);
	assert_int_equal(fib_table_count(local), nlocal + 3);
	assert_int_equal(fib_table_count(main_tb), nmain + 1);

	assert_int_equal(route_of(local, "172.16.5.1", &res), 0);
	assert_int_equal(res.type, RTN_LOCAL);
	assert_int_equal(res.scope, RT_SCOPE_HOST);
	assert_int_equal(res.prefixlen, 32);
	assert_int_equal(res.fi->fib_protocol, RTPROT_KERNEL);
	assert_int_equal(res.fi->fib_prefsrc, ipt_addr("172.16.5.1"));
	assert_int_equal(route_of(local, "172.16.255.255", &res), 0);
	assert_int_equal(res.type, RTN_BROADCAST);
	assert_int_equal(res.scope, RT_SCOPE_LINK);
	assert_int_equal(route_of(local, "172.16.0.0", &res), 0);
	assert_int_equal(res.type, RTN_BROADCAST);
	assert_int_equal(route_of(main_tb, "172.16.77.8", &res), 0);
	assert_int_equal(res.type, RTN_UNICAST);
	assert_int_equal(res.prefixlen, 16);
	assert_int_equal(res.scope, RT_SCOPE_LINK);
	assert_ptr_equal(FIB_RES_DEV(res), t0);
	assert_int_equal(inet_addr_type(&init_net, ipt_addr("172.16.5.1")), RTN_LOCAL);
	assert_int_equal(inet_addr_type(&init_net, ipt_addr("172.16.255.255")), RTN_BROADCAST);
	assert_int_equal(inet_addr_type(&init_net, ipt_addr("172.16.5.2")), RTN_UNICAST);
	assert_int_equal(inet_addr_type(&init_net, ipt_addr("224.0.0.1")), RTN_MULTICAST);

	assert_int_equal(devinet_addr_del(t0, ipt_addr("172.16.5.1"), 16), 0);
	assert_int_equal(fib_table_count(local), nlocal);
	assert_int_equal(fib_table_count(main_tb), nmain);
	assert_int_equal(route_of(main_tb, "172.16.77.8", &res), 1);
	assert_int_equal(inet_addr_type(&init_net, ipt_addr("172.16.5.1")), RTN_UNICAST);
}

/* A device going down takes its routes (not its local address); up brings them back. */
static void test_device_down_flushes(void **state)
{
	struct fib_table *local = init_net.ipv4.fib_local, *main_tb = init_net.ipv4.fib_main;
	unsigned int nlocal = fib_table_count(local), nmain = fib_table_count(main_tb);
	struct fib_config cfg;
	struct fib_result res;

	rtnl_lock();
	fill_cfg(&cfg, 0x0a630000, 16, NLM_F_CREATE | NLM_F_EXCL);
	cfg.fc_scope = RT_SCOPE_UNIVERSE;
	cfg.fc_oif = 0;
	cfg.fc_gw = ipt_addr("10.0.0.254");
	assert_int_equal(ip_fib_route_add(&init_net, &cfg), 0);
	assert_int_equal(fib_table_count(main_tb), nmain + 1);
	assert_int_equal(dev_close(t0), 0);
	rtnl_unlock();
	/* The static route and the prefix route are gone; the broadcast routes too; the
	 * local address stays. */
	assert_int_equal(fib_table_count(main_tb), nmain - 1);
	assert_int_equal(fib_table_count(local), nlocal - 2);
	assert_int_equal(route_of(local, "10.0.0.1", &res), 0);
	assert_int_equal(res.type, RTN_LOCAL);

	rtnl_lock();
	assert_int_equal(dev_open(t0), 0);
	rtnl_unlock();
	assert_int_equal(fib_table_count(main_tb), nmain);
	assert_int_equal(fib_table_count(local), nlocal);
}

/* /proc/net/route: the main table, Linux's columns, each line padded to 127 characters. */
static void test_proc_net_route(void **state)
{
	char *txt;
	int err;
	char line[256];
	const char *p;

	txt = ul_proc_read(NULL, "/proc/net/route", &err);
	assert_non_null(txt);
	p = strchr(txt, '\n');
	assert_non_null(p);
	assert_int_equal(p - txt, 127);
	assert_memory_equal(txt, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
			    strlen("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"));
	snprintf(line, sizeof(line), "t0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");
	assert_non_null(strstr(p + 1, line));
	assert_int_equal(strlen(p + 1), 128);	/* one route: 127 + '\n' */
	free(txt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lpm_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lctrie_vs_bruteforce, setup, teardown),
		cmocka_unit_test_setup_teardown(test_insert_delete_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_down_flushes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proc_net_route, setup, teardown),
	};
	(void)&inet_init;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
