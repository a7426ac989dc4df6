/* SPDX-License-Identifier: MIT */
/* IPv4 state of one network namespace (struct net's ipv4 member): interface configuration,
 * fragment queues, ICMP sysctls, and (in their marked blocks) routing and socket state.
 * Mirrors linux/include/net/netns/ipv4.h (3.10): struct netns_ipv4; and
 * linux/include/net/inet_frag.h: struct netns_frags; linux/include/linux/inetdevice.h:
 * struct ipv4_devconf.
 *
 * Each block is owned, initialised and torn down by its own pernet_operations; add members
 * only inside your block.
 * DIVERGES: conf/all and conf/default are stored here (devconf_all/devconf_dflt point at
 * them) instead of being kmemdup'ed, so that their sysctls resolve as offsets into struct
 * net (linux/sysctl.h: register_net_sysctl_offset). */
#ifndef _NET_NETNS_IPV4_H
#define _NET_NETNS_IPV4_H
#include "linux/atomic.h"
#include "linux/list.h"
#include "linux/spinlock.h"
#include "linux/types.h"
#include "uapi/linux/ip.h"

/* net.ipv4.conf.{all,default,DEV}.*: data[IPV4_DEVCONF_x - 1]. */
struct ipv4_devconf {
	void *sysctl;
	int data[IPV4_DEVCONF_MAX];
	unsigned long state[1];	/* bit i: data[i] was set for this device (not inherited) */
};

/* Fragment reassembly accounting of one namespace (inet_frag.h). */
struct netns_frags {
	int nqueues;			/* ipq's alive */
	atomic_t mem;			/* truesize of queued fragments + queue overhead */
	struct list_head lru_list;	/* ipq's, least recently used first (ip_evictor) */
	spinlock_t lru_lock;
	/* sysctls (net.ipv4.ipfrag_*) */
	int timeout;			/* jiffies; ipfrag_time 30 s */
	int high_thresh;		/* 4194304 */
	int low_thresh;			/* 3145728 */
};

struct inet_peer_base;
struct fib_table;
struct rt_cache_stat;
struct hlist_head;

struct netns_ipv4 {
	/* ---- i3a: devinet, IP, ICMP, fragments (af_inet.c, devinet.c, ip_fragment.c,
	 * icmp.c, inetpeer.c, sysctl_net_ipv4.c) ---- */
	struct ipv4_devconf *devconf_all;	/* -> devconf_all_data */
	struct ipv4_devconf *devconf_dflt;	/* -> devconf_dflt_data */
	struct ipv4_devconf devconf_all_data;
	struct ipv4_devconf devconf_dflt_data;
	struct netns_frags frags;
	struct inet_peer_base *peers;		/* per-destination state: ICMP rate limit, IP ID */
	int sysctl_icmp_echo_ignore_all;
	int sysctl_icmp_echo_ignore_broadcasts;
	int sysctl_icmp_ignore_bogus_error_responses;
	int sysctl_icmp_ratelimit;		/* jiffies (shown in ms) */
	int sysctl_icmp_ratemask;
	int sysctl_icmp_errors_use_inbound_ifaddr;
	atomic_t dev_addr_genid;		/* bumped on every address change */
	/* ---- end i3a ---- */

	/* ---- i3b: routing and neighbours (fib_frontend.c, route.c, arp.c) ---- */
	struct fib_table *fib_local;		/* RT_TABLE_LOCAL (255) */
	struct fib_table *fib_main;		/* RT_TABLE_MAIN (254) */
	atomic_t rt_genid;			/* rt_cache_flush bumps it: cached routes die */
	struct rt_cache_stat *rt_stat;		/* /proc/net/stat/rt_cache */
	/* ---- end i3b ---- */

	/* ---- i3c: sockets and UDP (udp.c, inet_hashtables.c) ---- */
	/* ---- end i3c ---- */

	/* ---- i3e: ping sockets (ping.c) ---- */
	int sysctl_ping_group_range[2];		/* DIVERGES: gids as ints (3.10 kgid_t) */
	/* ---- end i3e ---- */
};

#endif
