/* SPDX-License-Identifier: MIT */
/* Routing lookup cost: lookups per second and LC-trie nodes visited per lookup in a table
 * of 1k, 10k and 100k random routes (the shapes of a BGP table: mostly /16../24).
 * Mirrors the lookup path of linux/net/ipv4/fib_trie.c: fib_table_insert,
 * fib_table_lookup (what ip_route_output_key / ip_route_input do per packet without a
 * cached dst).
 *
 * Usage: bench_ul_fib_lookup [-n ROUTES]... [-l LOOKUPS] [-s SEED]
 * Without -n it measures 1000, 10000 and 100000 routes. The time is the host's
 * CLOCK_MONOTONIC (a CPU benchmark, not virtual time); nodes per lookup is exact and the
 * same on every machine for a given seed. Exit status 0, or 1 on a failure (a route that
 * could not be added, a lookup that missed a route it must find). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/ip_fib.h"
#include "net/net_namespace.h"
#include "ulnet/ulnet.h"

static u64 rnd_state;

/* xorshift64*: the same routes and addresses for the same seed. */
static u32 rnd_u32(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (u32)((rnd_state * 2685821657736338717ULL) >> 32);
}

/* Prefix lengths like a full BGP table: 60% /16../24, a few very short, the rest /8../32. */
static int rnd_plen(void)
{
	u32 r = rnd_u32() % 100;

	if (r < 1)
		return 1 + (int)(rnd_u32() % 7);
	if (r < 60)
		return 16 + (int)(rnd_u32() % 9);
	return 8 + (int)(rnd_u32() % 25);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct route_key {
	u32 key;
	int plen;
};

static int run_one(unsigned int nroutes, unsigned int nlookups, int oif)
{
	struct fib_table *tb = fib_trie_table(RT_TABLE_MAIN, &init_net);
	struct route_key *routes = calloc(nroutes, sizeof(*routes));
	u32 *addrs = calloc(nlookups, sizeof(*addrs));
	unsigned int n = 0, i, attempts = 0, found = 0;
	unsigned int depth, tnodes, leaves;
	unsigned long visits;
	double t0, t1, rate;
	int rc = 0;

	if (!tb || !routes || !addrs) {
		fprintf(stderr, "fib_lookup: out of memory\n");
		free(routes);
		free(addrs);
		if (tb)
			fib_free_table(tb);
		return 1;
	}
	rtnl_lock();
	while (n < nroutes && attempts++ < 4 * nroutes) {
		struct fib_config cfg;
		int plen = rnd_plen();
		u32 mask = plen ? ~0U << (32 - plen) : 0;
		u32 key = rnd_u32() & mask;
		int err;

		memset(&cfg, 0, sizeof(cfg));
		cfg.fc_dst = htonl(key);
		cfg.fc_dst_len = (u8)plen;
		cfg.fc_table = RT_TABLE_MAIN;
		cfg.fc_protocol = RTPROT_BOOT;
		cfg.fc_scope = RT_SCOPE_LINK;
		cfg.fc_type = RTN_UNICAST;
		cfg.fc_oif = oif;
		cfg.fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
		cfg.fc_nlinfo_nl_net = &init_net;
		err = fib_table_insert(tb, &cfg);
		if (err == -EEXIST)
			continue;
		if (err) {
			fprintf(stderr, "fib_lookup: fib_table_insert: %d\n", err);
			rc = 1;
			break;
		}
		routes[n].key = key;
		routes[n].plen = plen;
		n++;
	}
	rtnl_unlock();
	if (!rc && n < nroutes) {
		fprintf(stderr, "fib_lookup: only %u of %u routes added\n", n, nroutes);
		rc = 1;
	}

	/* Half the addresses inside a route (they must match), half anywhere. */
	for (i = 0; !rc && i < nlookups; i++) {
		if (i & 1) {
			const struct route_key *r = &routes[rnd_u32() % n];
			u32 host = r->plen == 32 ? 0 : rnd_u32() & (~0U >> r->plen);

			addrs[i] = r->key | host;
		} else {
			addrs[i] = rnd_u32();
		}
	}

	if (!rc) {
		fib_trie_visits = 0;
		t0 = now_s();
		for (i = 0; i < nlookups; i++) {
			struct fib_result res;
			struct flowi4 fl4;

			memset(&fl4, 0, sizeof(fl4));
			fl4.daddr = htonl(addrs[i]);
			if (fib_table_lookup(tb, &fl4, &res, FIB_LOOKUP_NOREF) == 0)
				found++;
			else if (i & 1)
				rc = 1;	/* an address inside a route found nothing */
		}
		t1 = now_s();
		visits = fib_trie_visits;
		fib_table_stats(tb, &depth, &tnodes, &leaves);
		rate = t1 > t0 ? (double)nlookups / (t1 - t0) : 0.0;
		printf("%8u %6u %8u %8u %10u %14.0f %13.2f\n", n, depth, tnodes, leaves, found,
		       rate, (double)visits / nlookups);
		if (rc)
			fprintf(stderr, "fib_lookup: a lookup inside a route failed\n");
	}

	rtnl_lock();
	fib_free_table(tb);
	rtnl_unlock();
	free(routes);
	free(addrs);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned int sizes[8], nsizes = 0, nlookups = 1000000, i;
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 1, .seed = 1 };
	u64 seed = 1;
	int rc = 0, oif, err;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < (unsigned int)argc && nsizes < 8) {
			sizes[nsizes++] = (unsigned int)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "-l") && i + 1 < (unsigned int)argc) {
			nlookups = (unsigned int)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "-s") && i + 1 < (unsigned int)argc) {
			seed = strtoull(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [-n ROUTES]... [-l LOOKUPS] [-s SEED]\n", argv[0]);
			return 2;
		}
	}
	if (!nsizes) {
		sizes[nsizes++] = 1000;
		sizes[nsizes++] = 10000;
		sizes[nsizes++] = 100000;
	}
	for (i = 0; i < nsizes; i++) {
		if (sizes[i] == 0 || sizes[i] > 10000000) {
			fprintf(stderr, "fib_lookup: ROUTES must be 1..10000000\n");
			return 2;
		}
	}
	if (nlookups == 0 || nlookups > 100000000) {
		fprintf(stderr, "fib_lookup: LOOKUPS must be 1..100000000\n");
		return 2;
	}

	err = ul_stack_create(&cfg);
	if (err) {
		fprintf(stderr, "fib_lookup: ul_stack_create: %d\n", err);
		return 1;
	}
	/* The routes point at lo (scope link): it must be up for fib_check_nh. */
	rtnl_lock();
	if (!(init_net.loopback_dev->flags & IFF_UP))
		dev_open(init_net.loopback_dev);
	rtnl_unlock();
	oif = init_net.loopback_dev->ifindex;

	printf("# fib_table_lookup, %u lookups per table (half inside a route), seed %llu\n",
	       nlookups, (unsigned long long)seed);
	printf("%8s %6s %8s %8s %10s %14s %13s\n", "routes", "depth", "tnodes", "leaves",
	       "found", "lookups/s", "nodes/lookup");
	for (i = 0; i < nsizes && !rc; i++) {
		rnd_state = seed * 0x9E3779B97F4A7C15ULL + i + 1;
		rc = run_one(sizes[i], nlookups, oif);
	}
	ul_stack_destroy();
	return rc;
}
