/* SPDX-License-Identifier: MIT */
/* ul_cmd's dispatcher: every tool it knows is reachable by its first word, and an unknown
 * word is refused with the list of tools. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

static void test_tools_reachable(void **state)
{
	char *out = NULL;

	assert_int_equal(ul_netns_add("cmd"), 0);
	assert_int_equal(ul_cmd("cmd", "hw nic add eth0 netns cmd queues 1 ring 512", &out), 0);
	free(out);
	assert_int_equal(ul_cmd("cmd", "ethtool -g eth0", &out), 0);
	assert_non_null(strstr(out, "Pre-set maximums:\nRX:\t\t4096\n"));
	assert_non_null(strstr(out, "Current hardware settings:\nRX:\t\t512\n"));
	free(out);
	assert_int_equal(ul_cmd("cmd", "tc qdisc add dev lo root netem delay 10ms", &out), 0);
	free(out);
	assert_int_equal(ul_cmd("cmd", "sysctl -n net.core.somaxconn", &out), 0);
	assert_string_equal(out, "128\n");
	free(out);
	assert_int_equal(ul_cmd("cmd", "ip link show lo", &out), 0);
	assert_non_null(strstr(out, "1: lo: <LOOPBACK"));
	free(out);
	assert_int_equal(ul_netns_del("cmd"), 0);
}

static void test_unknown_tool(void **state)
{
	char *out = NULL;

	assert_int_equal(ul_cmd(NULL, "frobnicate now", &out), -EOPNOTSUPP);
	assert_non_null(strstr(out, "unknown command 'frobnicate'"));
	assert_non_null(strstr(out, "ip, sysctl, hw, tc, ethtool, bridge, iptables, conntrack)"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tools_reachable, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_tool, ul_test_setup_sim,
						ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
