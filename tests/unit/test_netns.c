/* SPDX-License-Identifier: MIT */
/* Network namespaces: names (ip netns add/del), each with its own lo and device list, per
 * namespace sysctls (somaxconn) and /proc/net files, pernet_operations ordering and
 * net_generic data, and the lifetime of a namespace still in use after its name is gone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"

static void test_names(void **state)
{
	char longname[UL_NETNS_NAMSIZ + 1];

	(void)state;
	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("a"), -EEXIST);
	assert_int_equal(ul_netns_add("b-2.x_y"), 0);
	assert_int_equal(ul_netns_add(""), -EINVAL);
	assert_int_equal(ul_netns_add(NULL), -EINVAL);
	assert_int_equal(ul_netns_add("a/b"), -EINVAL);
	assert_int_equal(ul_netns_add(".."), -EINVAL);
	assert_int_equal(ul_netns_add("sp ace"), -EINVAL);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(ul_netns_add(longname), -EINVAL);
	longname[UL_NETNS_NAMSIZ - 1] = '\0';	/* 63 characters: fits */
	assert_int_equal(ul_netns_add(longname), 0);

	assert_ptr_equal(ul_net_by_name(NULL), &init_net);
	assert_ptr_equal(ul_net_by_name(""), &init_net);
	assert_non_null(ul_net_by_name("a"));
	assert_string_equal(ul_net_by_name("a")->name, "a");
	assert_null(ul_net_by_name("nope"));

	assert_int_equal(ul_netns_del(NULL), -EBUSY);
	assert_int_equal(ul_netns_del(""), -EBUSY);
	assert_int_equal(ul_netns_del("nope"), -ENOENT);
	assert_int_equal(ul_netns_del("a/b"), -EINVAL);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("a"), -ENOENT);
	assert_null(ul_net_by_name("a"));
	assert_int_equal(ul_netns_del("b-2.x_y"), 0);
	assert_int_equal(ul_netns_del(longname), 0);
}

static void tdev_setup(struct net_device *dev)
{
	static const struct net_device_ops ops = { .ndo_start_xmit = NULL };

	ether_setup(dev);
	dev->netdev_ops = &ops;
	dev->destructor = free_netdev;	/* freed when its namespace takes it down */
}

static void test_own_lo_and_devices(void **state)
{
	struct net *a, *b;
	struct net_device *dev;
	char *text;
	int err;

	(void)state;
	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_netns_add("b"), 0);
	a = ul_net_by_name("a");
	b = ul_net_by_name("b");
	assert_non_null(a->loopback_dev);
	assert_ptr_not_equal(a->loopback_dev, init_net.loopback_dev);
	assert_ptr_not_equal(a->loopback_dev, b->loopback_dev);
	assert_ptr_equal(dev_net(a->loopback_dev), a);
	assert_int_equal(a->loopback_dev->ifindex, 1);
	/* A new namespace's lo is down, as after `ip netns add`. */
	assert_false(a->loopback_dev->flags & IFF_UP);
	assert_ptr_equal(__dev_get_by_name(a, "lo"), a->loopback_dev);

	/* A device registered in a: invisible elsewhere, same name allowed in b. */
	dev = alloc_netdev(0, "veth0", tdev_setup);
	dev_net_set(dev, a);
	assert_int_equal(register_netdev(dev), 0);
	assert_int_equal(dev->ifindex, 2);
	assert_ptr_equal(__dev_get_by_name(a, "veth0"), dev);
	assert_null(__dev_get_by_name(&init_net, "veth0"));
	assert_null(__dev_get_by_name(b, "veth0"));

	text = ul_proc_read("a", "/proc/net/dev", &err);
	assert_int_equal(err, 0);
	assert_non_null(strstr(text, "    lo:"));
	assert_non_null(strstr(text, " veth0:"));
	free(text);
	text = ul_proc_read("b", "/proc/net/dev", &err);
	assert_null(strstr(text, "veth0"));
	free(text);
	text = ul_proc_read("nope", "/proc/net/dev", &err);
	assert_null(text);
	assert_int_equal(err, -ENOENT);

	rtnl_lock();
	assert_int_equal(dev_open(a->loopback_dev), 0);
	rtnl_unlock();
	assert_true(a->loopback_dev->flags & IFF_UP);
	assert_true(init_net.loopback_dev->flags & IFF_UP);

	/* Deleting the namespace takes its devices (lo last) with it; the leak check in the
	 * teardown sees that everything was freed. */
	assert_int_equal(ul_netns_del("a"), 0);
	assert_null(ul_net_by_name("a"));
	assert_int_equal(ul_netns_del("b"), 0);
}

static void test_somaxconn_per_namespace(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(ul_netns_add("a"), 0);
	assert_int_equal(ul_sysctl_get("a", "net.core.somaxconn", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "128");
	assert_int_equal(ul_sysctl_set("a", "net.core.somaxconn", "1024"), 0);
	assert_int_equal(ul_sysctl_get("a", "net.core.somaxconn", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1024");
	assert_int_equal(ul_net_by_name("a")->core.sysctl_somaxconn, 1024);
	assert_int_equal(ul_sysctl_get(NULL, "net.core.somaxconn", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "128");
	assert_int_equal(init_net.core.sysctl_somaxconn, 128);
	assert_int_equal(ul_netns_add("b"), 0);
	assert_int_equal(ul_sysctl_get("b", "net.core.somaxconn", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "128");
	/* Global net.core entries are the same in every namespace. */
	assert_int_equal(ul_sysctl_get("b", "net.core.netdev_budget", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "300");
	assert_int_equal(ul_sysctl_get("nope", "net.core.somaxconn", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ul_sysctl_set("nope", "net.core.somaxconn", "5"), -ENOENT);
	assert_int_equal(ul_sysctl_get("a", "net.core.no_such", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ul_netns_del("a"), 0);
	assert_int_equal(ul_netns_del("b"), 0);
}

/* Pernet ops record the order of their calls. */
static char order[256];
static int gen_id;
static int subsys_init(struct net *net)
{
	int *data = net_generic(net, gen_id);

	assert_int_equal(*data, 0);	/* zeroed before init */
	*data = 42;
	strcat(order, "S+");
	return 0;
}
static void subsys_exit(struct net *net)
{
	int *data = net_generic(net, gen_id);

	assert_int_equal(*data, 42);
	strcat(order, "S-");
}
static int device_init(struct net *net)
{
	strcat(order, "D+");
	return 0;
}
static void device_exit(struct net *net)
{
	strcat(order, "D-");
}
static int failing_init(struct net *net)
{
	return net == &init_net ? 0 : -ENOSPC;
}

static struct pernet_operations subsys_ops = {
	.init = subsys_init, .exit = subsys_exit, .id = &gen_id, .size = sizeof(int),
};
static struct pernet_operations device_ops = { .init = device_init, .exit = device_exit };
static struct pernet_operations failing_ops = { .init = failing_init };

static void test_pernet_order(void **state)
{
	struct net *a;

	(void)state;
	order[0] = '\0';
	assert_int_equal(ul_netns_add("a"), 0);
	/* Registration runs init for the namespaces that exist: init_net and a. */
	assert_int_equal(register_pernet_device(&device_ops), 0);
	assert_int_equal(register_pernet_subsys(&subsys_ops), 0);
	assert_string_equal(order, "D+D+S+S+");
	assert_true(gen_id > 0);
	assert_int_equal(*(int *)net_generic(&init_net, gen_id), 42);

	/* A new namespace: subsystems first, then devices; dying: devices first. */
	order[0] = '\0';
	assert_int_equal(ul_netns_add("b"), 0);
	assert_string_equal(order, "S+D+");
	order[0] = '\0';
	assert_int_equal(ul_netns_del("b"), 0);
	assert_string_equal(order, "D-S-");

	/* A reference keeps a dead name's namespace alive until put_net. */
	a = get_net(ul_net_by_name("a"));
	order[0] = '\0';
	assert_int_equal(ul_netns_del("a"), 0);
	assert_null(ul_net_by_name("a"));
	assert_string_equal(order, "");
	assert_non_null(a->loopback_dev);
	put_net(a);
	assert_string_equal(order, "D-S-");

	order[0] = '\0';
	unregister_pernet_subsys(&subsys_ops);
	unregister_pernet_device(&device_ops);
	assert_string_equal(order, "S-D-");	/* init_net only */

	/* An init that fails: the namespace is not created, nothing leaks. */
	assert_int_equal(register_pernet_subsys(&failing_ops), 0);
	assert_int_equal(ul_netns_add("c"), -ENOSPC);
	assert_null(ul_net_by_name("c"));
	unregister_pernet_subsys(&failing_ops);
	assert_int_equal(ul_netns_add("c"), 0);
	assert_int_equal(ul_netns_del("c"), 0);
}

static void test_init_net_cannot_go(void **state)
{
	(void)state;
	assert_int_equal(ul_netns_destroy(&init_net), -EBUSY);
	/* A namespace left at stack teardown is destroyed with the stack; a new stack starts
	 * without it. */
	assert_int_equal(ul_netns_add("left-behind"), 0);
	ul_stack_destroy();
	assert_int_equal(ul_test_boot_with(UL_RUNTIME_SIM, 2, 1), 0);
	assert_null(ul_net_by_name("left-behind"));
	assert_int_equal(ul_netns_add("left-behind"), 0);
	assert_int_equal(ul_netns_del("left-behind"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_own_lo_and_devices, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_somaxconn_per_namespace, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_pernet_order, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_init_net_cannot_go, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
