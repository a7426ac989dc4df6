/* SPDX-License-Identifier: MIT */
/* Boot of the IPv4 family: the protocol handlers, ip_packet_type, the per-namespace MIBs.
 * Mirrors linux/net/ipv4/af_inet.c (3.10): inet_init, ip_packet_type, icmp_protocol,
 * udp_protocol, init_ipv4_mibs (ipv4_mib_init_net/ipv4_mib_exit_net), tcp_mib_init,
 * snmp_fold_field, snmp_mib_init, snmp_mib_free.
 * The socket half of 3.10's af_inet.c (inet_create, inetsw, inet_*_ops) is registered by
 * inet_sock_init() (net/inet_common.h).
 *
 * Boot order (3.10 inet_init, book ch2 "inet_init"): netfilter, the socket family, the
 * protocols (inet_add_protocol ICMP, UDP), the MIBs, ARP, devinet (3.10: from ip_rt_init;
 * every in_device takes its arp_parms), ip_init (routing, inet_peer), UDP, ICMP, ping
 * sockets (ping_init), /proc/net/snmp, reassembly, and last dev_add_pack(&ip_packet_type): from then on ETH_P_IP
 * frames reach ip_rcv.
 * Teardown runs the same steps backwards. Context: process (boot). */
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/netfilter.h"
#include "linux/slab.h"
#include "net/arp.h"
#include "net/icmp.h"
#include "net/inet_common.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/ping.h"
#include "net/protocol.h"
#include "net/route.h"
#include "net/tcp.h"
#include "net/udp.h"


/* ---- MIBs ---- */

unsigned long __snmp_fold_field(const void *mib, size_t mibsize, int offt)
{
	unsigned long res = 0;
	int cpu;

	if (!mib)
		return 0;
	for_each_possible_cpu(cpu) {
		const unsigned long *blk = (const void *)((const char *)mib + (size_t)cpu * mibsize);
		res += __atomic_load_n(&blk[offt], __ATOMIC_RELAXED);
	}
	return res;
}

u64 __snmp_fold_field64(const void *mib, size_t mibsize, int offt)
{
	u64 res = 0;
	int cpu;

	if (!mib)
		return 0;
	for_each_possible_cpu(cpu) {
		const u64 *blk = (const void *)((const char *)mib + (size_t)cpu * mibsize);
		res += __atomic_load_n(&blk[offt], __ATOMIC_RELAXED);
	}
	return res;
}

int snmp_mib_init(void **ptr, size_t mibsize)
{
	*ptr = kcalloc((size_t)nr_cpu_ids, mibsize, GFP_KERNEL);
	return *ptr ? 0 : -ENOMEM;
}

void snmp_mib_free(void *ptr)
{
	kfree(ptr);
}

u64 ip_mib_read(struct net *net, int field)
{
	return snmp_fold_field64(net->mib.ip_statistics, field);
}

unsigned long net_mib_read(struct net *net, int field)
{
	return snmp_fold_field(net->mib.net_statistics, field);
}

/* RFC 2012's constants of the Tcp group (3.10 tcp_mib_init, in this file). TCP_RTO_MIN is
 * HZ/5 and TCP_RTO_MAX 120*HZ: 200 and 120000 ms. */
static void tcp_mib_init(struct net *net)
{
	SNMP_ADD_STATS_USER(net->mib.tcp_statistics, TCP_MIB_RTOALGORITHM, 1);
	SNMP_ADD_STATS_USER(net->mib.tcp_statistics, TCP_MIB_RTOMIN, (HZ / 5) * 1000 / HZ);
	SNMP_ADD_STATS_USER(net->mib.tcp_statistics, TCP_MIB_RTOMAX, (120 * HZ) * 1000 / HZ);
	SNMP_ADD_STATS_USER(net->mib.tcp_statistics, TCP_MIB_MAXCONN, -1);
}

static void ipv4_mib_exit_net(struct net *net)
{
	snmp_mib_free(net->mib.icmpmsg_statistics);
	snmp_mib_free(net->mib.icmp_statistics);
	snmp_mib_free(net->mib.udplite_statistics);
	snmp_mib_free(net->mib.udp_statistics);
	snmp_mib_free(net->mib.net_statistics);
	snmp_mib_free(net->mib.ip_statistics);
	snmp_mib_free(net->mib.tcp_statistics);
	memset(&net->mib, 0, sizeof(net->mib));
}

static int ipv4_mib_init_net(struct net *net)
{
	memset(&net->mib, 0, sizeof(net->mib));
	if (snmp_mib_init((void **)&net->mib.tcp_statistics, sizeof(struct tcp_mib)) ||
	    snmp_mib_init((void **)&net->mib.ip_statistics, sizeof(struct ipstats_mib)) ||
	    snmp_mib_init((void **)&net->mib.net_statistics, sizeof(struct linux_mib)) ||
	    snmp_mib_init((void **)&net->mib.udp_statistics, sizeof(struct udp_mib)) ||
	    snmp_mib_init((void **)&net->mib.udplite_statistics, sizeof(struct udp_mib)) ||
	    snmp_mib_init((void **)&net->mib.icmp_statistics, sizeof(struct icmp_mib)))
		goto err;
	net->mib.icmpmsg_statistics = kzalloc(sizeof(struct icmpmsg_mib), GFP_KERNEL);
	if (!net->mib.icmpmsg_statistics)
		goto err;
	tcp_mib_init(net);
	return 0;
err:
	ipv4_mib_exit_net(net);
	return -ENOMEM;
}

static struct pernet_operations ipv4_mib_ops = {
	.init = ipv4_mib_init_net,
	.exit = ipv4_mib_exit_net,
};

/* ---- protocol handlers ---- */

static const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
	.err_handler = ping_err,
	.no_policy = 1,
	.netns_ok = 1,
};

static const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
	.no_policy = 1,
	.netns_ok = 1,
};

static const struct net_protocol tcp_protocol = {
	.early_demux = tcp_v4_early_demux,
	.handler = tcp_v4_rcv,
	.err_handler = tcp_v4_err,
	.no_policy = 1,
	.netns_ok = 1,
};

static struct packet_type ip_packet_type = {
	.type = htons_c(ETH_P_IP),
	.func = ip_rcv,
	.ul_func_name = "ip_rcv",
};

static bool inet_inited;

/* ip_init (ip_output.c in 3.10): routing, then the inet_peer store. */
int ip_init(void)
{
	int err = ip_rt_init();

	if (err)
		return err;
	return inet_initpeers();
}

static void ip_fini(void)
{
	inet_finipeers();
	ip_rt_fini();
}

int inet_init(void)
{
	int err;

	if (inet_inited)
		return -EBUSY;
	netfilter_init();
	err = inet_sock_init();
	if (err)
		goto out_netfilter;
	err = ipv4_sysctl_init();
	if (err)
		goto out_sock;

	/* Add all the base protocols. */
	if (inet_add_protocol(&icmp_protocol, IPPROTO_ICMP) < 0)
		pr_err("inet_init: cannot add ICMP protocol\n");
	if (inet_add_protocol(&udp_protocol, IPPROTO_UDP) < 0)
		pr_err("inet_init: cannot add UDP protocol\n");
	if (inet_add_protocol(&tcp_protocol, IPPROTO_TCP) < 0)
		pr_err("inet_init: cannot add TCP protocol\n");

	err = register_pernet_subsys(&ipv4_mib_ops);
	if (err)
		goto out_protocols;
	/* 3.10 order: arp_init, then devinet (ip_rt_init): every in_device takes its
	 * arp_parms from arp_tbl, lo's included. */
	arp_init();
	err = devinet_init();
	if (err)
		goto out_arp_only;
	err = ip_init();
	if (err)
		goto out_arp;
	udp_init();
	err = tcp_init();
	if (err)
		goto out_udp;
	err = icmp_init();
	if (err)
		goto out_tcp;
	err = ping_init();
	if (err)
		goto out_icmp;
	err = ip_misc_proc_init();
	if (err)
		goto out_ping;
	err = ipfrag_init();
	if (err)
		goto out_proc;
	dev_add_pack(&ip_packet_type);
	inet_inited = true;
	return 0;

out_proc:
	ip_misc_proc_fini();
out_ping:
	ping_fini();
out_icmp:
	icmp_fini();
out_tcp:
	tcp_fini();
out_udp:
	udp_fini();
	ip_fini();
out_arp:
	devinet_fini();
out_arp_only:
	arp_fini();
	unregister_pernet_subsys(&ipv4_mib_ops);
out_protocols:
	inet_del_protocol(&tcp_protocol, IPPROTO_TCP);
	inet_del_protocol(&udp_protocol, IPPROTO_UDP);
	inet_del_protocol(&icmp_protocol, IPPROTO_ICMP);
	ipv4_sysctl_fini();
out_sock:
	inet_sock_fini();
out_netfilter:
	netfilter_fini();
	return err;
}

/* Teardown (net_shutdown): the reverse of inet_init. The namespaces other than init_net are
 * gone by now; pernet exits run for init_net as each subsystem unregisters. */
void inet_fini(void)
{
	if (!inet_inited)
		return;
	dev_remove_pack(&ip_packet_type);
	ipfrag_fini();
	ip_misc_proc_fini();
	ping_fini();
	icmp_fini();
	tcp_fini();
	udp_fini();
	ip_fini();
	devinet_fini();	/* before arp_fini: in_devices release their arp_parms */
	arp_fini();
	unregister_pernet_subsys(&ipv4_mib_ops);
	inet_del_protocol(&tcp_protocol, IPPROTO_TCP);
	inet_del_protocol(&udp_protocol, IPPROTO_UDP);
	inet_del_protocol(&icmp_protocol, IPPROTO_ICMP);
	ipv4_sysctl_fini();
	inet_sock_fini();
	netfilter_fini();
	inet_inited = false;
}
