/* SPDX-License-Identifier: MIT */
/* Boot and teardown of the networking core: the explicit order of Linux's net initcalls.
 * Mirrors linux/net/core/net_namespace.c's net_ns_init (pure_initcall), skbuff.c's skb_init,
 * dev.c's net_dev_init (subsys_initcall), sysctl_net_core.c's sysctl_core_init,
 * net-procfs.c's dev_proc_init, sch_api.c's pktsched_init, and af_inet.c's inet_init
 * (fs_initcall), called by src/init/main.c (init/boot.h).
 *
 * Order, as Linux: init_net exists first; then the per-namespace device lists
 * (netdev_net_ops), the loopback device and default_device_ops (pernet devices, so lo is
 * the first device in and the last out), sysctls and /proc files; then the protocols.
 * Teardown runs the other way and frees every packet still queued anywhere, so that a
 * process can boot a new stack afterwards. */
#include "init/boot.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/skbuff.h"
#include "net/core/dev.h"
#include "net/dropreason.h"
#include "net/net_namespace.h"
#include "net/pkt_sched.h"

/* Subsystems outside the core, called when they are linked in (weak references: an
 * unfinished protocol does not stop the core from booting).
 * DIVERGES: Linux's initcalls are all built in; here net/ipv4 and net/packet join the
 * link only when something else uses them. */
extern int inet_init(void) __attribute__((weak));
extern void inet_fini(void) __attribute__((weak));
extern void ul_capture_fini(void) __attribute__((weak));
/* hw/nic.c (issue 7): the simulated NICs; their drivers unregister while the stack is
 * whole. */
extern void ul_hw_fini(void) __attribute__((weak));
/* net/socket.c (i3c): the socket layer (sock_init is a core_initcall in Linux, before
 * inet_init); sock_fini closes the files tasks left open while the protocols still exist. */
extern int sock_init(void) __attribute__((weak));
extern void sock_fini(void) __attribute__((weak));
/* net/bridge/br.c (i11): the bridge (its FDB cache, kind, notifier); fini after the
 * namespaces, whose bridges free their FDB entries as they go. */
extern int br_init(void) __attribute__((weak));
extern void br_fini(void) __attribute__((weak));
/* net/ipv4/netfilter, net/netfilter (i11): iptables and conntrack load on first use (as
 * modprobe would); their hooks go before inet_fini checks the hook lists, conntrack's
 * entries after the last packet holding one is freed (net_dev_fini). */
extern void ip_tables_fini(void) __attribute__((weak));
extern void nf_conntrack_fini_hooks(void) __attribute__((weak));
extern void nf_nat_fini(void) __attribute__((weak));
extern void nf_conntrack_fini(void) __attribute__((weak));

static bool net_booted;

int net_boot(void)
{
	int err;

	if (net_booted)
		return -EBUSY;
	skb_init();
	drop_monitor_init();
	err = net_ns_init();
	if (err)
		goto fail;
	err = net_dev_init();
	if (err)
		goto fail;
	err = pktsched_init();
	if (err)
		goto fail;
	/* sch_netem.c, sch_tbf.c (issue 7): module_init of the two timed qdiscs. */
	err = netem_module_init();
	if (!err)
		err = tbf_module_init();
	if (err)
		goto fail;
	err = register_pernet_subsys(&netdev_net_ops);
	if (err)
		goto fail;
	err = sysctl_core_init();
	if (err)
		goto fail;
	err = register_pernet_device(&loopback_net_ops);
	if (err)
		goto fail;
	err = register_pernet_device(&default_device_ops);
	if (err)
		goto fail;
	err = dev_proc_init();
	if (err)
		goto fail;

	/* DIVERGES: the kernel leaves lo down; every distribution's boot scripts bring it up
	 * (`ip link set lo up`), so the initial namespace starts with lo up. New namespaces
	 * get lo down, as `ip netns add` does on Linux. */
	rtnl_lock();
	err = init_net.loopback_dev ? dev_open(init_net.loopback_dev) : -ENODEV;
	rtnl_unlock();
	if (err)
		goto fail;

	net_booted = true;
	if (sock_init) {
		err = sock_init();
		if (err) {
			pr_err("net_boot: sock_init failed: %d\n", err);
			goto fail;
		}
	}
	if (inet_init) {
		err = inet_init();
		if (err) {
			pr_err("net_boot: inet_init failed: %d\n", err);
			goto fail;
		}
	}
	if (br_init) {
		err = br_init();
		if (err) {
			pr_err("net_boot: br_init failed: %d\n", err);
			goto fail;
		}
	}
	return 0;

fail:
	net_booted = true;
	net_shutdown();
	return err;
}

void net_shutdown(void)
{
	if (!net_booted)
		return;
	if (ul_hw_fini)
		ul_hw_fini();
	if (ul_capture_fini)
		ul_capture_fini();
	if (sock_fini)
		sock_fini();
	if (ip_tables_fini)
		ip_tables_fini();
	if (nf_nat_fini)
		nf_nat_fini();
	if (nf_conntrack_fini_hooks)
		nf_conntrack_fini_hooks();
	if (inet_fini)
		inet_fini();
	dev_proc_fini();
	/* Every namespace but init_net goes; then each pernet op is unregistered in reverse,
	 * which unregisters init_net's devices (lo last) and frees its device lists. */
	net_ns_fini();
	if (br_fini)
		br_fini();
	/* Packets still on the per-CPU queues, qdiscs off the output queues. */
	net_dev_fini();
	if (nf_conntrack_fini)
		nf_conntrack_fini();
	pktsched_fini();
	sysctl_core_fini();
	dev_register_fini();
	drop_monitor_fini();
	skb_fini();
	net_booted = false;
}
