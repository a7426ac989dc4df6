/* SPDX-License-Identifier: MIT */
/* ul_cmd: `ip` and `sysctl` lines, their output compared exactly with what iproute2 and
 * procps print (iproute2 5.x against a 3.10 kernel), and their errors as the tools word
 * them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/netdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"

static int setup(void **state)
{
	return ul_test_setup_sim(state);
}

static int teardown(void **state)
{
	return ul_test_teardown(state);
}

/* Run @line in @ns; expect @err and, unless NULL, exactly @want as output. */
static void cmd_in(const char *ns, const char *line, int err, const char *want)
{
	char *out = NULL;
	int ret = ul_cmd(ns, line, &out);

	assert_non_null(out);
	if (ret != err || (want && strcmp(out, want)))
		print_message("$ %s\n[%d, expected %d]\n%s---- expected:\n%s", line, ret, err, out,
			      want ? want : "(any)");
	assert_int_equal(ret, err);
	if (want)
		assert_string_equal(out, want);
	free(out);
}

static void cmd(const char *line, int err, const char *want)
{
	cmd_in(NULL, line, err, want);
}

static int ifindex(const char *ns, const char *name)
{
	struct net_device *dev = __dev_get_by_name(ul_net_by_name(ns), name);

	assert_non_null(dev);
	return dev->ifindex;
}

static const char *fmt(char *buf, size_t len, const char *f, int idx)
{
	snprintf(buf, len, f, idx);
	return buf;
}

static void dummy0_up(void)
{
	cmd("ip link add dummy0 address 02:00:00:00:00:01 type dummy", 0, "");
	cmd("ip link set dummy0 up", 0, "");
	cmd("ip addr add 10.0.0.1/24 brd + dev dummy0", 0, "");
}

static void test_link(void **state)
{
	char want[512];
	int idx;

	cmd("ip link show lo", 0,
	    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT "
	    "group default \n"
	    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
	cmd("ip link add dummy0 address 02:00:00:00:00:01 type dummy", 0, "");
	idx = ifindex(NULL, "dummy0");
	cmd("ip link show dummy0", 0, fmt(want, sizeof(want),
	    "%d: dummy0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT "
	    "group default \n"
	    "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n", idx));
	cmd("ip link set dummy0 address 02:00:00:00:00:0a", 0, "");
	cmd("ip link set dev dummy0 up", 0, "");
	cmd("ip link set dummy0 mtu 9000", 0, "");
	/* An Ethernet address changes only while the device is down (eth_mac_addr). */
	cmd("ip link set dummy0 address 02:00:00:00:00:0b", -EBUSY,
	    "RTNETLINK answers: Device or resource busy\n");
	cmd("ip l sh dummy0", 0, fmt(want, sizeof(want),
	    "%d: dummy0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 9000 qdisc noqueue state UNKNOWN "
	    "mode DEFAULT group default \n"
	    "    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff\n", idx));
	cmd("ip link set dummy0 down", 0, "");
	cmd("sysctl -n net.ipv4.neigh.dummy0.ucast_solicit", 0, "3\n");
	cmd("ip link set dummy0 name dum1", 0, "");
	cmd("sysctl -n net.ipv4.neigh.dum1.ucast_solicit", 0, "3\n");
	cmd("sysctl -n net.ipv4.neigh.dummy0.ucast_solicit", -ENOENT, NULL);
	cmd("ip -s link show dum1", 0, fmt(want, sizeof(want),
	    "%d: dum1: <BROADCAST,NOARP> mtu 9000 qdisc noqueue state DOWN mode DEFAULT "
	    "group default \n"
	    "    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff\n"
	    "    RX: bytes  packets  errors  dropped overrun mcast   \n"
	    "    0          0        0       0       0       0      \n"
	    "    TX: bytes  packets  errors  dropped carrier collsns \n"
	    "    0          0        0       0       0       0      \n", idx));

	/* Errors, worded as iproute2 words them. */
	cmd("ip link add dum1 type dummy", -EEXIST, "RTNETLINK answers: File exists\n");
	cmd("ip link add x type nosuchkind", -EOPNOTSUPP, "Error: Unknown device type.\n");
	cmd("ip link add x", -EINVAL, "Not enough information: \"type\" argument is required\n");
	cmd("ip link set nodev up", -ENODEV, "Cannot find device \"nodev\"\n");
	cmd("ip link show nodev", -ENODEV, "Device \"nodev\" does not exist.\n");
	cmd("ip link set dum1 mtu abc", -EINVAL,
	    "Error: argument \"abc\" is wrong: Invalid \"mtu\" value\n");
	cmd("ip link del lo", -EOPNOTSUPP, "RTNETLINK answers: Operation not supported\n");
	cmd("ip link frob", -EINVAL, "Command \"frob\" is unknown, try \"ip link help\".\n");
	cmd("ip frob", -EINVAL, "Object \"frob\" is unknown, try \"ip help\".\n");

	cmd("ip link del dum1", 0, "");
	cmd("ip link show dum1", -ENODEV, "Device \"dum1\" does not exist.\n");
}

/* `ip link add ... type veth` dispatches through the link-kind table. */
static void test_link_kinds(void **state)
{
	cmd("ip netns add b", 0, "");
	cmd("ip link add v0 type veth peer name v1 netns b", 0, "");
	assert_non_null(__dev_get_by_name(&init_net, "v0"));
	assert_non_null(__dev_get_by_name(ul_net_by_name("b"), "v1"));
	cmd("ip link del v0", 0, "");
	assert_null(__dev_get_by_name(ul_net_by_name("b"), "v1"));	/* the pair goes */
	cmd("ip netns del b", 0, "");
}

static void test_addr(void **state)
{
	char want[1024];
	int idx;

	dummy0_up();
	idx = ifindex(NULL, "dummy0");
	cmd("ip addr add 10.0.0.2/24 dev dummy0", 0, "");
	cmd("ip addr add 192.168.7.1/16 scope link label dummy0:1 dev dummy0", 0, "");
	cmd("ip addr show dev dummy0", 0, fmt(want, sizeof(want),
	    "%d: dummy0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN "
	    "group default \n"
	    "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
	    /* primaries of narrower scope first (3.10's inet_insert_ifa) */
	    "    inet 192.168.7.1/16 scope link dummy0:1\n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet 10.0.0.1/24 brd 10.0.0.255 scope global dummy0\n"
	    "       valid_lft forever preferred_lft forever\n"
	    "    inet 10.0.0.2/24 scope global secondary dummy0\n"
	    "       valid_lft forever preferred_lft forever\n", idx));
	cmd("ip a s lo", 0,
	    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default \n"
	    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
	    "    inet 127.0.0.1/8 scope host lo\n"
	    "       valid_lft forever preferred_lft forever\n");
	cmd("ip addr add 10.0.0.1/24 dev dummy0", -EEXIST, "RTNETLINK answers: File exists\n");
	cmd("ip addr add 10.0.0.9/24", -EINVAL,
	    "Not enough information: \"dev\" argument is required.\n");
	cmd("ip addr add 10.0.0.300/24 dev dummy0", -EINVAL,
	    "Error: argument \"10.0.0.300/24\" is wrong: invalid address\n");
	cmd("ip addr del 10.0.0.77/24 dev dummy0", -EADDRNOTAVAIL,
	    "RTNETLINK answers: Cannot assign requested address\n");
	cmd("ip addr del 192.168.7.1/16 dev dummy0", 0, "");
	cmd("ip addr flush dev dummy0", 0, "");
	cmd("ip addr show dummy0", 0, fmt(want, sizeof(want),
	    "%d: dummy0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN "
	    "group default \n"
	    "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n", idx));
	cmd("ip addr flush", -EINVAL, "Flush requires arguments.\n");
	cmd("ip link del dummy0", 0, "");
}

static void test_route(void **state)
{
	dummy0_up();
	cmd("ip route", 0, "10.0.0.0/24 dev dummy0 proto kernel scope link src 10.0.0.1 \n");
	cmd("ip route show table local", 0,
	    "broadcast 10.0.0.0 dev dummy0 proto kernel scope link src 10.0.0.1 \n"
	    "local 10.0.0.1 dev dummy0 proto kernel scope host src 10.0.0.1 \n"
	    "broadcast 10.0.0.255 dev dummy0 proto kernel scope link src 10.0.0.1 \n"
	    "broadcast 127.0.0.0 dev lo proto kernel scope link src 127.0.0.1 \n"
	    "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \n"
	    "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n"
	    "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n");
	cmd("ip route add default via 10.0.0.254", 0, "");
	cmd("ip route add 10.1.0.0/16 via 10.0.0.254 metric 10 mtu 1400", 0, "");
	cmd("ip route add 10.2.0.0/16 dev dummy0 src 10.0.0.1", 0, "");
	cmd("ip route add unreachable 10.9.0.0/16", 0, "");
	cmd("ip route add blackhole 10.8.0.0/16", 0, "");
	cmd("ip route add prohibit 10.7.0.0/16", 0, "");
	cmd("ip route add 10.3.3.3 dev dummy0 proto static", 0, "");
	cmd("ip route show", 0,
	    "default via 10.0.0.254 dev dummy0 \n"
	    "10.0.0.0/24 dev dummy0 proto kernel scope link src 10.0.0.1 \n"
	    "10.1.0.0/16 via 10.0.0.254 dev dummy0 metric 10 mtu 1400 \n"
	    "10.2.0.0/16 dev dummy0 scope link src 10.0.0.1 \n"
	    "10.3.3.3 dev dummy0 proto static scope link \n"
	    "prohibit 10.7.0.0/16 \n"
	    "blackhole 10.8.0.0/16 \n"
	    "unreachable 10.9.0.0/16 \n");

	/* ip route get: the route a packet would take (rt_fill_info as iproute2 prints it). */
	cmd("ip route get 10.0.0.2", 0, "10.0.0.2 dev dummy0 src 10.0.0.1 \n    cache \n");
	cmd("ip route get 10.1.2.3", 0,
	    "10.1.2.3 via 10.0.0.254 dev dummy0 src 10.0.0.1 \n    cache mtu 1400 \n");
	cmd("ip route get 8.8.8.8", 0, "8.8.8.8 via 10.0.0.254 dev dummy0 src 10.0.0.1 \n    cache \n");
	/* Our own address and 127.0.0.1 both go through lo (book ch5). */
	cmd("ip route get 10.0.0.1", 0, "local 10.0.0.1 dev lo src 10.0.0.1 \n    cache <local> \n");
	cmd("ip route get 127.0.0.1", 0,
	    "local 127.0.0.1 dev lo src 127.0.0.1 \n    cache <local> \n");
	cmd("ip route get 10.0.0.255", 0,
	    "broadcast 10.0.0.255 dev dummy0 src 10.0.0.1 \n    cache <local,brd> \n");
	cmd("ip route get 10.9.0.1", -ENETUNREACH, "RTNETLINK answers: Network is unreachable\n");
	cmd("ip route get 8.8.8.8 from 10.0.0.1", 0,
	    "8.8.8.8 from 10.0.0.1 via 10.0.0.254 dev dummy0 \n    cache \n");
	cmd("ip route get 8.8.8.8 from 10.9.9.9", -EINVAL, "RTNETLINK answers: Invalid argument\n");
	/* As a packet from 10.0.0.2 arriving on dummy0 would be routed (input route). */
	cmd("ip route get 10.0.0.1 from 10.0.0.2 iif dummy0", 0,
	    "local 10.0.0.1 from 10.0.0.2 dev lo \n    cache <local> iif dummy0 \n");
	cmd("ip route get 10.0.0.1 from 127.0.0.1 iif dummy0", -EINVAL,
	    "RTNETLINK answers: Invalid argument\n");

	/* Errors, as 3.10 reports them through iproute2. */
	cmd("ip route add 10.1.0.0/16 via 10.0.0.254 metric 10", -EEXIST,
	    "RTNETLINK answers: File exists\n");
	cmd("ip route add 10.5.0.0/16 via 192.168.9.9", -ENETUNREACH,
	    "RTNETLINK answers: Network is unreachable\n");
	cmd("ip route add 10.5.0.1/16 dev dummy0", -EINVAL, "RTNETLINK answers: Invalid argument\n");
	cmd("ip route del 10.6.0.0/16", -ESRCH, "RTNETLINK answers: No such process\n");
	cmd("ip route add 10.5.0.0/16 dev nodev", -ENODEV, "Cannot find device \"nodev\"\n");
	cmd("ip route add", -EINVAL, "Error: destination prefix is required.\n");

	/* replace, delete, flush */
	cmd("ip route replace 10.2.0.0/16 via 10.0.0.253", 0, "");
	cmd("ip route del 10.1.0.0/16", 0, "");
	cmd("ip route del unreachable 10.9.0.0/16", 0, "");
	cmd("ip route del default", 0, "");
	cmd("ip route show", 0,
	    "10.0.0.0/24 dev dummy0 proto kernel scope link src 10.0.0.1 \n"
	    "10.2.0.0/16 via 10.0.0.253 dev dummy0 \n"
	    "10.3.3.3 dev dummy0 proto static scope link \n"
	    "prohibit 10.7.0.0/16 \n"
	    "blackhole 10.8.0.0/16 \n");
	cmd("ip route flush dev dummy0", 0, "");
	cmd("ip route show", 0, "prohibit 10.7.0.0/16 \nblackhole 10.8.0.0/16 \n");
	cmd("ip route flush table main", 0, "");
	cmd("ip route show", 0, "");
	cmd("ip link del dummy0", 0, "");
	cmd("ip route show table local", 0,
	    "broadcast 127.0.0.0 dev lo proto kernel scope link src 127.0.0.1 \n"
	    "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \n"
	    "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n"
	    "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n");
}

static void test_neigh(void **state)
{
	dummy0_up();
	cmd("ip link set dummy0 arp on", 0, "");
	cmd("ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev dummy0 nud reachable", 0, "");
	cmd("ip neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev dummy0", 0, "");
	cmd("ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:22 dev dummy0", -EEXIST,
	    "RTNETLINK answers: File exists\n");
	cmd("ip neigh show 10.0.0.3", 0, "10.0.0.3 dev dummy0 lladdr 02:00:00:00:00:03 PERMANENT\n");
	cmd("ip neigh show to 10.0.0.0/24 nud reachable", 0,
	    "10.0.0.2 dev dummy0 lladdr 02:00:00:00:00:02 REACHABLE\n");
	cmd("ip neigh show dev dummy0 nud permanent", 0,
	    "10.0.0.3 lladdr 02:00:00:00:00:03 PERMANENT\n");
	cmd("ip neigh show nud reachable", 0,
	    "10.0.0.2 dev dummy0 lladdr 02:00:00:00:00:02 REACHABLE\n");
	cmd("ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:22 dev dummy0 nud stale", 0, "");
	cmd("ip neigh show nud stale", 0, "10.0.0.2 dev dummy0 lladdr 02:00:00:00:00:22 STALE\n");
	cmd("ip neigh flush", -EINVAL, "Flush requires arguments.\n");
	cmd("ip neigh add 10.0.1.5 lladdr 02:00:00:00:00:05 dev dummy0 nud stale", 0, "");
	cmd("ip neigh flush to 10.0.1.0/24", 0, "");
	cmd("ip neigh show nud stale", 0, "10.0.0.2 dev dummy0 lladdr 02:00:00:00:00:22 STALE\n");
	cmd("ip neigh flush dev dummy0", 0, "");
	cmd("ip neigh", 0, "10.0.0.3 dev dummy0 lladdr 02:00:00:00:00:03 PERMANENT\n");
	cmd("ip neigh del 10.0.0.3 dev dummy0", 0, "");
	cmd("ip neigh del 10.0.0.3 dev dummy0", -ENOENT,
	    "RTNETLINK answers: No such file or directory\n");
	/* No link address for a device that needs one: 3.10's neigh_update refuses. */
	cmd("ip neigh add 10.0.0.4 dev dummy0", -EINVAL, "RTNETLINK answers: Invalid argument\n");
	cmd("ip neigh", 0, "");
	cmd("ip neigh add 10.0.0.4", -EINVAL, "Device and destination are required arguments.\n");
	cmd("ip link del dummy0", 0, "");
}

/* Namespaces: separate devices, addresses, routes, neighbours, sysctls. */
static void test_netns(void **state)
{
	cmd("ip netns add a", 0, "");
	cmd("ip netns add b", 0, "");
	cmd("ip netns add a", -EEXIST,
	    "Cannot create namespace file \"/var/run/netns/a\": File exists\n");
	cmd("ip netns list", 0, "a\nb\n");
	cmd("ip -n a link", 0,
	    "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default \n"
	    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
	cmd_in("a", "ip link set lo up", 0, "");
	cmd_in("a", "ip link add d0 type dummy", 0, "");
	cmd_in("a", "ip link set d0 up", 0, "");
	cmd_in("a", "ip addr add 10.0.0.1/24 dev d0", 0, "");
	cmd("ip netns exec a ip route", 0, "10.0.0.0/24 dev d0 proto kernel scope link src 10.0.0.1 \n");
	cmd("ip route", 0, "");
	cmd_in("a", "ip route get 10.0.0.1", 0,
	       "local 10.0.0.1 dev lo src 10.0.0.1 \n    cache <local> \n");
	cmd("ip route get 10.0.0.1", -ENETUNREACH, "RTNETLINK answers: Network is unreachable\n");
	cmd_in("a", "sysctl -w net.ipv4.ip_forward=1", 0, "net.ipv4.ip_forward = 1\n");
	cmd("sysctl net.ipv4.ip_forward", 0, "net.ipv4.ip_forward = 0\n");
	cmd("ip netns exec a sysctl -n net.ipv4.ip_forward", 0, "1\n");
	cmd("ip -n nope link", -ENOENT,
	    "Cannot open network namespace \"nope\": No such file or directory\n");
	cmd_in("nope", "ip link", -ENOENT,
	       "Cannot open network namespace \"nope\": No such file or directory\n");
	cmd_in("a", "ip link del d0", 0, "");
	cmd("ip netns del a", 0, "");
	cmd("ip netns del a", -ENOENT,
	    "Cannot remove namespace file \"/var/run/netns/a\": No such file or directory\n");
	cmd("ip netns", 0, "b\n");
	cmd("ip netns delete b", 0, "");
}

static void test_sysctl(void **state)
{
	cmd("sysctl net.ipv4.neigh.default.gc_thresh3", 0,
	    "net.ipv4.neigh.default.gc_thresh3 = 1024\n");
	cmd("sysctl -n net.ipv4.neigh.default.base_reachable_time_ms", 0, "30000\n");
	cmd("sysctl -w net.ipv4.neigh.default.gc_thresh1=256", 0,
	    "net.ipv4.neigh.default.gc_thresh1 = 256\n");
	cmd("sysctl -q -w net.ipv4.neigh.default.gc_thresh1=128", 0, "");
	cmd("sysctl net.ipv4.neigh.lo.ucast_solicit=5", 0, "net.ipv4.neigh.lo.ucast_solicit = 5\n");
	cmd("sysctl -n net.ipv4.neigh.lo.ucast_solicit net.ipv4.neigh.default.ucast_solicit", 0,
	    "5\n3\n");
	cmd("sysctl net.ipv4.nope", -ENOENT,
	    "sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n");
	cmd("sysctl -w net.ipv4.ip_forward=abc", -EINVAL,
	    "sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument\n");
	cmd("sysctl -w net.ipv4.ip_forward", -EINVAL,
	    "sysctl: \"net.ipv4.ip_forward\" must be of the form name=value\n");
	cmd("sysctl", -EINVAL, "sysctl: no variables specified\n");
	{
		char *out = NULL;

		assert_int_equal(ul_cmd(NULL, "sysctl -a", &out), 0);
		assert_non_null(strstr(out, "net.ipv4.neigh.default.gc_thresh3 = 1024\n"));
		assert_non_null(strstr(out, "net.ipv4.route.min_pmtu = 552\n"));
		free(out);
	}
}

static void test_dispatcher(void **state)
{
	cmd("foo bar", -EOPNOTSUPP, "ulnet: unknown command 'foo' (ul_cmd knows: ip, sysctl, hw, tc, ethtool, bridge, iptables, conntrack)\n");
	cmd("", 0, "");
	cmd("   ", 0, "");
	cmd("ip link add \"dummy0\" type 'dummy'", 0, "");
	cmd("ip link del dummy0", 0, "");
	cmd("ip link add \"unbalanced type dummy", -EINVAL, NULL);
	cmd("ip", -EINVAL, NULL);
	cmd("ip -z link", -EINVAL, "Option \"-z\" is unknown, try \"ip -help\".\n");
	assert_int_equal(ul_cmd(NULL, NULL, NULL), -EINVAL);
	assert_int_equal(ul_cmd(NULL, "ip link", NULL), 0);
}

/* The same commands on the posix runtime (real threads and locks). */
static int setup_posix(void **state)
{
	return ul_test_setup_posix(state);
}

static void test_posix_smoke(void **state)
{
	dummy0_up();
	cmd("ip link set dummy0 arp on", 0, "");
	cmd("ip route add 10.1.0.0/16 via 10.0.0.254", 0, "");
	cmd("ip route get 10.1.2.3", 0,
	    "10.1.2.3 via 10.0.0.254 dev dummy0 src 10.0.0.1 \n    cache \n");
	cmd("ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev dummy0 nud reachable", 0, "");
	cmd("ip neigh", 0, "10.0.0.2 dev dummy0 lladdr 02:00:00:00:00:02 REACHABLE\n");
	cmd("ip netns add p", 0, "");
	cmd_in("p", "ip link add d0 type dummy", 0, "");
	cmd("ip netns del p", 0, "");
	cmd("ip link del dummy0", 0, "");
	cmd("ip route", 0, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neigh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatcher, setup, teardown),
		cmocka_unit_test_setup_teardown(test_posix_smoke, setup_posix, teardown),
	};
	(void)&inet_init;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
