/* SPDX-License-Identifier: MIT */
/* net.core.* sysctls with Linux 3.10's defaults and handlers (facts.md §1.1), and the rate
 * limit of the stack's messages they configure.
 * Mirrors linux/net/core/sysctl_net_core.c (3.10): net_core_table, netns_core_table,
 * sysctl_core_net_init, sysctl_core_init; linux/net/core/sock.c's sysctl_[rw]mem_* and
 * sysctl_optmem_max; linux/net/core/utils.c's net_ratelimit and net_msg_warn.
 *
 * DIVERGES: the [rw]mem and optmem variables live here until net/core/sock.c exists (Linux
 * defines them there), and net_ratelimit too (Linux: net/core/utils.c). The defaults keep
 * Linux's numbers: SK_[RW]MEM_MAX = SKB_TRUESIZE(256) * 256 = 212992 on x86_64 3.10, even
 * though ulnet's own skb overhead is smaller. */
#include "linux/netdevice.h"
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/spinlock.h"
#include "linux/sysctl.h"
#include "net/net_namespace.h"

#define SK_WMEM_MAX	212992	/* SKB_TRUESIZE(256) * 256 of x86_64 3.10 (832 * 256) */
#define SK_RMEM_MAX	212992
#define UIO_MAXIOV	1024

__u32 sysctl_wmem_max = SK_WMEM_MAX;
__u32 sysctl_rmem_max = SK_RMEM_MAX;
__u32 sysctl_wmem_default = SK_WMEM_MAX;
__u32 sysctl_rmem_default = SK_RMEM_MAX;
/* Maximal space eaten by iovec or ancillary data plus some space */
int sysctl_optmem_max = sizeof(unsigned long) * (2 * UIO_MAXIOV + 512);
int net_msg_warn = 1;

/* ---- net_ratelimit (utils.c) ---- */

struct ratelimit_state {
	spinlock_t lock;
	int interval;		/* jiffies (message_cost, shown in seconds) */
	int burst;		/* message_burst */
	int printed;
	int missed;
	unsigned long begin;
};

static struct ratelimit_state net_ratelimit_state = { .interval = 5 * HZ, .burst = 10 };

/* At most @burst messages per @interval; the rest are counted and reported once. */
int net_ratelimit(void)
{
	struct ratelimit_state *rs = &net_ratelimit_state;
	int ret;

	if (!rs->interval)
		return 1;
	if (!spin_trylock(&rs->lock))
		return 0;
	if (!rs->begin)
		rs->begin = jiffies;
	if (time_is_before_jiffies(rs->begin + (unsigned long)rs->interval)) {
		if (rs->missed)
			printk(KERN_WARNING "net_ratelimit: %d callbacks suppressed\n", rs->missed);
		rs->begin = jiffies;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		ret = 1;
	} else {
		rs->missed++;
		ret = 0;
	}
	spin_unlock(&rs->lock);
	return ret;
}

/* ---- tables ---- */

static int one = 1;
static int zero;

static struct ctl_table net_core_table[] = {
	{ .procname = "wmem_max", .data = &sysctl_wmem_max, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = &one },
	{ .procname = "rmem_max", .data = &sysctl_rmem_max, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = &one },
	{ .procname = "wmem_default", .data = &sysctl_wmem_default, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = &one },
	{ .procname = "rmem_default", .data = &sysctl_rmem_default, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = &one },
	{ .procname = "dev_weight", .data = &weight_p, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "netdev_max_backlog", .data = &netdev_max_backlog, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "netdev_tstamp_prequeue", .data = &netdev_tstamp_prequeue,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "message_cost", .data = &net_ratelimit_state.interval,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
	{ .procname = "message_burst", .data = &net_ratelimit_state.burst,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "optmem_max", .data = &sysctl_optmem_max, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "netdev_budget", .data = &netdev_budget, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "warnings", .data = &net_msg_warn, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec },
	{ }
};

/* DIVERGES: RFS and the BPF JIT do not exist in ulnet; their sysctls show 3.10's defaults
 * and refuse any other value (-EINVAL) rather than pretend. */
static int rps_sock_flow_entries;
static int bpf_jit_enable;
static struct ctl_table net_core_absent_table[] = {
	{ .procname = "rps_sock_flow_entries", .data = &rps_sock_flow_entries,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero, .extra2 = &zero },
	{ .procname = "bpf_jit_enable", .data = &bpf_jit_enable, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = &zero, .extra2 = &zero },
	{ }
};

/* Per namespace: .data is an offset into struct net (register_net_sysctl_offset).
 * 3.10.4: unbounded (3.10.17 and later clamp to 0..65535; facts.md §0). */
static struct ctl_table netns_core_table[] = {
	{ .procname = "somaxconn", .data = (void *)offsetof(struct net, core.sysctl_somaxconn),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ }
};

static int sysctl_core_net_init(struct net *net)
{
	net->core.sysctl_somaxconn = SOMAXCONN;
	return 0;
}

static struct pernet_operations sysctl_core_ops = {
	.init = sysctl_core_net_init,
};

int sysctl_core_init(void)
{
	int err;

	err = register_sysctl_table_path("net/core", net_core_table);
	if (!err)
		err = register_sysctl_table_path("net/core", net_core_absent_table);
	if (!err)
		err = register_net_sysctl_offset("net/core", netns_core_table);
	if (!err)
		err = register_pernet_subsys(&sysctl_core_ops);
	if (err)
		unregister_sysctl_path("net/core");
	return err;
}

/* Back to the defaults, so a new stack starts as Linux boots. */
void sysctl_core_fini(void)
{
	unregister_sysctl_path("net/core");
	sysctl_wmem_max = SK_WMEM_MAX;
	sysctl_rmem_max = SK_RMEM_MAX;
	sysctl_wmem_default = SK_WMEM_MAX;
	sysctl_rmem_default = SK_RMEM_MAX;
	sysctl_optmem_max = sizeof(unsigned long) * (2 * UIO_MAXIOV + 512);
	net_msg_warn = 1;
	rps_sock_flow_entries = 0;
	bpf_jit_enable = 0;
	net_ratelimit_state.interval = 5 * HZ;
	net_ratelimit_state.burst = 10;
	net_ratelimit_state.printed = 0;
	net_ratelimit_state.missed = 0;
	net_ratelimit_state.begin = 0;
}
