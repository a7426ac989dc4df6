/* SPDX-License-Identifier: MIT */
/* The net.ipv4 sysctls of IP and ICMP (facts.md §1.4, §1.5).
 * Mirrors linux/net/ipv4/sysctl_net_ipv4.c (3.10): ipv4_table (ip_default_ttl,
 * ip_no_pmtu_disc, ip_nonlocal_bind, ip_dynaddr, ip_early_demux, ip_local_port_range,
 * inet_peer_*), ipv4_net_table (icmp_*), ipv4_local_port_range, inet_get_local_port_range
 * (3.10: inet_connection_sock.c), ipv4_sysctl_init.
 * The ipfrag_* entries live in ip_fragment.c, and ip_forward, conf/all and conf/default in
 * devinet.c, as in 3.10. TCP's entries come with TCP.
 * DIVERGES: ip_local_reserved_ports (a bitmap), igmp_* (no IGMP) and ping_group_range (no
 * ping sockets) are not registered. As in 3.10, the entries of ipv4_table are global (the
 * same in every namespace) and those of ipv4_net_table are per namespace. */
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/spinlock.h"
#include "linux/sysctl.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/net_namespace.h"

int sysctl_ip_nonlocal_bind;
int sysctl_ip_dynaddr;
struct ipv4_config ipv4_config;

static int zero;
static int ip_ttl_min = 1;
static int ip_ttl_max = 255;
static int ip_local_port_range_min[] = { 1, 1 };
static int ip_local_port_range_max[] = { 65535, 65535 };

/* Local port range for ephemeral ports (32768 61000), read as a pair. */
static struct {
	spinlock_t lock;
	int range[2];
} sysctl_local_ports = {
	.lock = __SPIN_LOCK_UNLOCKED(sysctl_local_ports.lock),
	.range = { 32768, 61000 },
};

void inet_get_local_port_range(int *low, int *high)
{
	spin_lock_bh(&sysctl_local_ports.lock);
	*low = sysctl_local_ports.range[0];
	*high = sysctl_local_ports.range[1];
	spin_unlock_bh(&sysctl_local_ports.lock);
}

static void set_local_port_range(int range[2])
{
	spin_lock_bh(&sysctl_local_ports.lock);
	sysctl_local_ports.range[0] = range[0];
	sysctl_local_ports.range[1] = range[1];
	spin_unlock_bh(&sysctl_local_ports.lock);
}

/* Validate changes from /proc interface: both within 1..65535 and low <= high. */
static int ipv4_local_port_range(struct ctl_table *table, int write, void *buffer, size_t *lenp,
				 loff_t *ppos)
{
	int ret;
	int range[2];
	struct ctl_table tmp = {
		.data = &range,
		.maxlen = sizeof(range),
		.mode = table->mode,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &ip_local_port_range_min,
		.extra2 = &ip_local_port_range_max,
	};

	inet_get_local_port_range(range, range + 1);
	ret = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (write && ret == 0) {
		if (range[1] < range[0])
			ret = -EINVAL;
		else
			set_local_port_range(range);
	}
	return ret;
}

static struct ctl_table ipv4_table[] = {
	{
		.procname = "ip_default_ttl",
		.data = &sysctl_ip_default_ttl,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = &ip_ttl_min,
		.extra2 = &ip_ttl_max,
	},
	{
		.procname = "ip_no_pmtu_disc",
		.data = &ipv4_config.no_pmtu_disc,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "ip_nonlocal_bind",
		.data = &sysctl_ip_nonlocal_bind,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "ip_dynaddr",
		.data = &sysctl_ip_dynaddr,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "ip_early_demux",
		.data = &sysctl_ip_early_demux,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "ip_local_port_range",
		.data = &sysctl_local_ports.range,
		.maxlen = sizeof(sysctl_local_ports.range),
		.mode = 0644,
		.proc_handler = ipv4_local_port_range,
	},
	{
		.procname = "inet_peer_threshold",
		.data = &inet_peer_threshold,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "inet_peer_minttl",
		.data = &inet_peer_minttl,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_jiffies,
	},
	{
		.procname = "inet_peer_maxttl",
		.data = &inet_peer_maxttl,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_jiffies,
	},
	{ .procname = NULL }
};

#define NETNS_IPV4_OFF(field) ((void *)offsetof(struct net, ipv4.field))
static struct ctl_table ipv4_net_table[] = {
	{
		.procname = "icmp_echo_ignore_all",
		.data = NETNS_IPV4_OFF(sysctl_icmp_echo_ignore_all),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "icmp_echo_ignore_broadcasts",
		.data = NETNS_IPV4_OFF(sysctl_icmp_echo_ignore_broadcasts),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "icmp_ignore_bogus_error_responses",
		.data = NETNS_IPV4_OFF(sysctl_icmp_ignore_bogus_error_responses),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "icmp_errors_use_inbound_ifaddr",
		.data = NETNS_IPV4_OFF(sysctl_icmp_errors_use_inbound_ifaddr),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "icmp_ratelimit",
		.data = NETNS_IPV4_OFF(sysctl_icmp_ratelimit),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_ms_jiffies,
	},
	{
		.procname = "icmp_ratemask",
		.data = NETNS_IPV4_OFF(sysctl_icmp_ratemask),
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{ .procname = NULL }
};

static bool ipv4_sysctl_inited;

int ipv4_sysctl_init(void)
{
	int err;

	(void)zero;
	ipv4_config.no_pmtu_disc = 0;
	ipv4_config.log_martians = 0;
	err = register_sysctl_table_path("net/ipv4", ipv4_table);
	if (err)
		return err;
	err = register_net_sysctl_offset("net/ipv4", ipv4_net_table);
	if (err) {
		unregister_sysctl_path("net/ipv4");
		return err;
	}
	ipv4_sysctl_inited = true;
	return 0;
}

/* Teardown: everything under net/ipv4 goes (the registry removes a whole path; by now the
 * other IPv4 users of the path are gone or going too). */
void ipv4_sysctl_fini(void)
{
	int range[2] = { 32768, 61000 };

	if (!ipv4_sysctl_inited)
		return;
	unregister_sysctl_path("net/ipv4");
	/* Globals back to their defaults for the next stack. */
	sysctl_ip_default_ttl = IPDEFTTL;
	sysctl_ip_nonlocal_bind = 0;
	sysctl_ip_dynaddr = 0;
	sysctl_ip_early_demux = 1;
	sysctl_ipfrag_max_dist = 64;
	sysctl_ipfrag_secret_interval = 10 * 60 * HZ;
	inet_peer_threshold = 65536 + 128;
	inet_peer_minttl = 120 * HZ;
	inet_peer_maxttl = 10 * 60 * HZ;
	set_local_port_range(range);
	ipv4_sysctl_inited = false;
}
