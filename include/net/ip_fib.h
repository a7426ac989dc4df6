/* SPDX-License-Identifier: MIT */
/* The IPv4 forwarding information base: routing tables, their entries and lookups.
 * Mirrors linux/include/net/ip_fib.h (3.10, without CONFIG_IP_MULTIPLE_TABLES): struct
 * fib_config, fib_nh, fib_info, fib_result, fib_table; fib_lookup, fib_table_lookup/insert/
 * delete/flush, fib_new_table/fib_get_table, fib_validate_source, inet_addr_type,
 * fib_sync_down_dev/addr, fib_sync_up, FIB_RES_*.
 *
 * Each namespace has two tables, RT_TABLE_LOCAL (255: local and broadcast addresses, added by
 * fib_add_ifaddr) and RT_TABLE_MAIN (254); fib_lookup tries local, then main. A table is an
 * LC-trie (fib_trie.c) of prefixes; each prefix holds aliases (tos, type, fib_info) sorted by
 * tos and priority; a fib_info is the shared nexthop part (device, gateway, prefsrc, metrics).
 *
 * Locking: tables change under rtnl_lock; lookups run without it (RCU in Linux).
 * Context: lookups from softirq or process; changes from process (rtnl). */
#ifndef _NET_IP_FIB_H
#define _NET_IP_FIB_H
#include "linux/list.h"
#include "linux/netdevice.h"
#include "linux/types.h"
#include "net/dst.h"
#include "net/flow.h"
#include "net/route.h"

struct in_device;
struct rtable;
struct seq_file;

/* Netlink request flags as `ip route add/replace/change/append/prepend` send them. */
#ifndef NLM_F_REPLACE
#define NLM_F_REPLACE	0x100	/* override existing */
#define NLM_F_EXCL	0x200	/* do not touch, if it exists */
#define NLM_F_CREATE	0x400	/* create, if it does not exist */
#define NLM_F_APPEND	0x800	/* add to end of list */
#endif

/* A route request (RTM_NEWROUTE/RTM_DELROUTE decoded; what `ip route` builds). */
struct fib_config {
	u8 fc_dst_len;		/* prefix length 0..32 */
	u8 fc_tos;
	u8 fc_protocol;		/* RTPROT_* */
	u8 fc_scope;		/* RT_SCOPE_*; RT_SCOPE_NOWHERE on delete = any */
	u8 fc_type;		/* RTN_*; 0 on delete = any */
	u32 fc_table;		/* RT_TABLE_MAIN/LOCAL */
	__be32 fc_dst;
	__be32 fc_gw;
	int fc_oif;
	u32 fc_flags;		/* RTNH_F_ONLINK */
	u32 fc_priority;	/* metric */
	__be32 fc_prefsrc;
	u32 fc_metrics[RTAX_MAX];	/* RTAX_x at [x - 1], 0 = unset (mtu, advmss...) */
	u32 fc_nlflags;		/* NLM_F_* */
	struct net *fc_nlinfo_nl_net;
};

struct fib_info;

struct fib_nh {
	struct net_device *nh_dev;	/* held */
	struct hlist_node nh_hash;	/* fib_info_devhash (by nh_dev ifindex) */
	struct fib_info *nh_parent;
	unsigned int nh_flags;		/* RTNH_F_DEAD when the device is down */
	unsigned char nh_scope;		/* RT_SCOPE_HOST: on link; LINK: via gateway */
	int nh_oif;
	__be32 nh_gw;
	__be32 nh_saddr;		/* cached preferred source (fib_info_update_nh_saddr) */
	int nh_saddr_genid;
	/* The route cache of this nexthop (3.10 "rtable per nexthop"): input route and one
	 * output route per CPU, built on first use, each holding a reference. */
	struct rtable **nh_pcpu_rth_output;	/* nr_cpu_ids entries */
	struct rtable *nh_rth_input;
};

struct fib_info {
	struct hlist_node fib_hash;	/* fib_info_hash: shared by identical routes */
	struct hlist_node fib_lhash;	/* fib_info_laddrhash (by prefsrc) */
	struct net *fib_net;
	int fib_treeref;		/* aliases using it */
	atomic_t fib_clntref;		/* other users (lookup results with a reference) */
	unsigned int fib_flags;
	unsigned char fib_dead;
	unsigned char fib_protocol;	/* RTPROT_* */
	unsigned char fib_scope;
	unsigned char fib_type;		/* RTN_* */
	__be32 fib_prefsrc;
	u32 fib_priority;		/* metric */
	u32 fib_metrics[RTAX_MAX];
#define fib_mtu fib_metrics[RTAX_MTU - 1]
#define fib_window fib_metrics[RTAX_WINDOW - 1]
#define fib_rtt fib_metrics[RTAX_RTT - 1]
#define fib_advmss fib_metrics[RTAX_ADVMSS - 1]
	int fib_nhs;			/* always 1: DIVERGES: no multipath routes */
	struct fib_nh fib_nh[1];
#define fib_dev fib_nh[0].nh_dev
};

struct fib_table;

/* The outcome of a lookup. With FIB_LOOKUP_NOREF, @fi is valid only until the caller
 * leaves the softirq/RCU section. */
struct fib_result {
	unsigned char prefixlen;
	unsigned char nh_sel;
	unsigned char type;		/* RTN_* */
	unsigned char scope;
	u32 tclassid;
	struct fib_info *fi;
	struct fib_table *table;
	struct list_head *fa_head;
};

#define FIB_LOOKUP_NOREF	1

struct fib_table {
	struct hlist_node tb_hlist;
	u32 tb_id;			/* RT_TABLE_* */
	int tb_default;
	int tb_num_default;		/* default routes (plen 0) */
	struct net *tb_net;
	void *tb_data;			/* the trie (fib_trie.c) */
};

#define FIB_RES_NH(res)		((res).fi->fib_nh[(res).nh_sel])
#define FIB_RES_GW(res)		(FIB_RES_NH(res).nh_gw)
#define FIB_RES_DEV(res)	(FIB_RES_NH(res).nh_dev)
#define FIB_RES_OIF(res)	(FIB_RES_NH(res).nh_oif)
__be32 fib_info_update_nh_saddr(struct net *net, struct fib_nh *nh);
#define FIB_RES_SADDR(net, res)	\
	((FIB_RES_NH(res).nh_saddr_genid == atomic_read(&(net)->ipv4.dev_addr_genid)) ? \
	 FIB_RES_NH(res).nh_saddr : fib_info_update_nh_saddr((net), &FIB_RES_NH(res)))
#define FIB_RES_PREFSRC(net, res) ((res).fi->fib_prefsrc ? : FIB_RES_SADDR(net, res))

static inline void fib_info_put(struct fib_info *fi);
void free_fib_info(struct fib_info *fi);
static inline void fib_info_put(struct fib_info *fi)
{
	if (atomic_dec_and_test(&fi->fib_clntref))
		free_fib_info(fi);
}
static inline void fib_res_put(struct fib_result *res)
{
	if (res->fi)
		fib_info_put(res->fi);
}

/* ---- tables (fib_frontend.c / fib_trie.c) ---- */
struct fib_table *fib_get_table(struct net *net, u32 id);	/* non-local ids: main */
static inline struct fib_table *fib_new_table(struct net *net, u32 id)
{
	return fib_get_table(net, id);
}
struct fib_table *fib_trie_table(u32 id, struct net *net);
void fib_free_table(struct fib_table *tb);
/* Longest-prefix match in one table: 0 and @res filled, 1 (no match), or the negative error
 * of an error route (-EHOSTUNREACH unreachable, -EACCES prohibit, -EINVAL blackhole). */
int fib_table_lookup(struct fib_table *tb, const struct flowi4 *flp, struct fib_result *res,
		     int fib_flags);
/* 0, -EINVAL (bad prefix/type/scope), -EEXIST (NLM_F_EXCL and a match), -ENOENT (no
 * NLM_F_CREATE), -ENETUNREACH (gateway not reachable), -ENODEV, -ENETDOWN, -ENOMEM. */
int fib_table_insert(struct fib_table *tb, struct fib_config *cfg);
/* 0 or -ESRCH (no such route), -EINVAL. */
int fib_table_delete(struct fib_table *tb, struct fib_config *cfg);
/* Remove dead aliases (fib_info->fib_flags RTNH_F_DEAD / fib_dead); returns the count. */
int fib_table_flush(struct fib_table *tb);
/* Remove every route of the table (ip route flush table X) matching @filter (NULL = all):
 * returns the count. */
int fib_table_flush_all(struct fib_table *tb, bool (*filter)(const struct fib_info *fi,
							     u8 type, void *arg), void *arg);
/* Visit every route in key order (ip route show): @cb gets the prefix (network order), its
 * length, the alias's tos and type, and the fib_info. Return non-zero to stop. */
int fib_table_walk(struct fib_table *tb, int (*cb)(__be32 dst, int plen, u8 tos, u8 type,
						   struct fib_info *fi, void *arg), void *arg);
/* Routes in the table. */
unsigned int fib_table_count(struct fib_table *tb);
/* Trie nodes visited by the last lookups (a counter tests reset and read). */
extern unsigned long fib_trie_visits;
/* Trie shape: max depth, tnodes, leaves (for tests and /proc/net/fib_triestat). */
void fib_table_stats(struct fib_table *tb, unsigned int *max_depth, unsigned int *tnodes,
		     unsigned int *leaves);

/* Local, then main. 0, -ENETUNREACH (nothing matched) or an error route's error.
 * DIVERGES: 3.10 without policy rules turns an error route's error into -ENETUNREACH;
 * ulnet keeps it (-EHOSTUNREACH unreachable, -EACCES prohibit, -EINVAL blackhole) as
 * kernels with CONFIG_IP_MULTIPLE_TABLES (every distribution's) do, so that a forwarded
 * packet hitting an unreachable route gets ICMP host unreachable and a prohibit route
 * ICMP administratively prohibited. Output lookups still fail with -ENETUNREACH (3.10's
 * __ip_route_output_key). */
int fib_lookup(struct net *net, struct flowi4 *flp, struct fib_result *res);

/* ---- frontend ---- */
/* RTN_LOCAL / RTN_BROADCAST / RTN_MULTICAST / RTN_UNICAST of @addr (network order) in
 * @net's local table; __inet_dev_addr_type restricted to @dev. */
unsigned int inet_addr_type(struct net *net, __be32 addr);
unsigned int inet_dev_addr_type(struct net *net, const struct net_device *dev, __be32 addr);
/* Reverse-path check of a received packet's source (rp_filter, accept_local): 0 or 1 when
 * acceptable (1: the source is reached through the input device, RTCF_DIRECTSRC), -EINVAL
 * martian source, -EXDEV rp_filter failure. @spec_dst untouched. */
int fib_validate_source(struct sk_buff *skb, __be32 src, __be32 dst, u8 tos, int oif,
			struct net_device *dev, struct in_device *idev, u32 *itag);
/* The address ICMP replies and IP options use as source for @skb (the local destination,
 * or the input device's address). */
__be32 fib_compute_spec_dst(struct sk_buff *skb);
/* The routes of an address (3.10 fib_add_ifaddr: local, broadcast and prefix routes) and
 * their removal; devinet calls them directly when it promotes a secondary address. */
struct in_ifaddr;
void fib_add_ifaddr(struct in_ifaddr *ifa);
void fib_del_ifaddr(struct in_ifaddr *ifa, struct in_ifaddr *iprim);
/* Flush everything of @net's tables that is dead. */
void fib_flush(struct net *net);
/* Add/remove a route through the frontend (what RTM_NEWROUTE/DELROUTE do): picks the table
 * from cfg->fc_table. 0 or -errno. */
int ip_fib_route_add(struct net *net, struct fib_config *cfg);
int ip_fib_route_del(struct net *net, struct fib_config *cfg);

/* ---- semantics (fib_semantics.c) ---- */
struct fib_info *fib_create_info(struct fib_config *cfg);
void fib_release_info(struct fib_info *fi);
/* Nexthops through @dev die (device down: RTNH_F_DEAD; @force: unregister, even host
 * routes); returns the fib_infos that died. */
int fib_sync_down_dev(struct net_device *dev, int force);
/* Routes with prefsrc @local die. */
int fib_sync_down_addr(struct net *net, __be32 local);
/* Nexthops through @dev come back (device up). */
int fib_sync_up(struct net_device *dev);
/* fib_info objects alive (tests). */
unsigned int fib_info_count(void);

/* Error and scope of each route type (fib_props[RTN_*]). */
struct fib_prop {
	int error;
	u8 scope;
};
extern const struct fib_prop fib_props[RTN_MAX + 1];

/* ---- boot ---- */
int ip_fib_init(void);	/* pernet tables, netdevice + inetaddr notifiers */
void ip_fib_fini(void);

/* /proc/net/route (fib_route_seq_show). */
int fib_proc_show(struct seq_file *m, void *v);

#endif
