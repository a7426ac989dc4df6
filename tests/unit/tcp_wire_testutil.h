/* SPDX-License-Identifier: MIT */
/* Test helpers of the TCP tests over the simulated igb pair (test_tcp_impair.c,
 * test_tcp_impair_paged.c, test_tcp_tso.c): namespaces "a" and "b", each with an eth0
 * NIC, joined by an impaired wire, and their removal.
 * Mirrors no kernel file. Static inline, as net_testutil.h. */
#ifndef ULNET_TEST_TCP_WIRE_TESTUTIL_H
#define ULNET_TEST_TCP_WIRE_TESTUTIL_H
#include <stdio.h>
#include "harness.h"
#include "hw_test_util.h"
#include "tcp_bulk_testutil.h"
#include "net/hw.h"

/* Namespaces "a" and "b" with eth0 each (1 queue, 256 descriptors, 10 Gb/s, up) on a
 * wire impaired by @imp; @offload, when not NULL, is ethtool -K's words for a's eth0,
 * applied before the addresses @net.1/24 (a) and @net.2/24 (b) (@net: three octets,
 * "10.9.0"). Returns a's eth0. */
static inline struct net_device *wire_pair_up(const char *net, const struct hw_impair *imp,
					      const char *offload)
{
	struct net_device *da;
	char line[128];

	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("b"), 0);
	da = tnic_up("a", "eth0", 1, 256, 10000);
	tnic_up("b", "eth0", 1, 256, 10000);
	assert_int_equal(hw_wire_add("a", "eth0", "b", "eth0", imp), 0);
	if (offload) {
		snprintf(line, sizeof(line), "ethtool -K eth0 %s", offload);
		assert_int_equal(run_cmd("a", line), 0);
	}
	snprintf(line, sizeof(line), "ip addr add %s.1/24 dev eth0", net);
	assert_int_equal(run_cmd("a", line), 0);
	snprintf(line, sizeof(line), "ip addr add %s.2/24 dev eth0", net);
	assert_int_equal(run_cmd("b", line), 0);
	return da;
}

/* Undoes wire_pair_up (the caller lets the connections close first). */
static inline void wire_pair_down(void)
{
	tnic_del("a", "eth0");
	tnic_del("b", "eth0");
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

#endif
