/* SPDX-License-Identifier: MIT */
/* IPv4 state of a network device: its addresses and its net.ipv4.conf.DEV settings.
 * Mirrors linux/include/linux/inetdevice.h and net/ipv4/devinet.c (3.10): struct in_device,
 * struct in_ifaddr, IN_DEV_* and IPV4_DEVCONF_* accessors, for_ifa, inetdev_by_index,
 * __in_dev_get_rcu/rtnl, in_dev_get/put, inet_select_addr, inet_confirm_addr,
 * __ip_dev_find, inet_addr_onlink, register_inetaddr_notifier, inet_insert_ifa...
 *
 * Every registered device gets an in_device (NETDEV_REGISTER: inetdev_init) with a copy of
 * conf/default; lo gets 127.0.0.1/8 when it comes up, as 3.10's inetdev_event. Adding an
 * address calls the inetaddr chain with NETDEV_UP and the in_ifaddr as data (fib_inetaddr_event
 * adds the local/broadcast routes, arp announces it); deleting one calls NETDEV_DOWN.
 *
 * Locking: addresses change under rtnl_lock; readers in softirq walk ifa_list without a lock
 * (RCU in Linux: entries are freed only after being unlinked, see DIVERGES in
 * linux/spinlock.h). in_device is refcounted (in_dev_hold/in_dev_put). */
#ifndef _NET_INETDEVICE_H
#define _NET_INETDEVICE_H
#include "linux/atomic.h"
#include "linux/netdevice.h"
#include "linux/notifier.h"
#include "linux/types.h"
#include "net/net_namespace.h"
#include "net/netns/ipv4.h"
#include "uapi/linux/if.h"
#include "uapi/linux/ip.h"

struct neigh_parms;
struct in_ifaddr;

struct in_device {
	struct net_device *dev;
	atomic_t refcnt;
	int dead;
	struct in_ifaddr *ifa_list;	/* IP ifaddr chain: primaries first, then secondaries */
	struct neigh_parms *arp_parms;	/* set by arp (neigh_parms_alloc), NULL without */
	struct ipv4_devconf cnf;	/* net.ipv4.conf.DEV.* */
};

/* ifa_flags (linux/if_addr.h) */
#define IFA_F_SECONDARY		0x01
#define IFA_F_TEMPORARY		IFA_F_SECONDARY
#define IFA_F_NODAD		0x02
#define IFA_F_OPTIMISTIC	0x04
#define IFA_F_DADFAILED		0x08
#define IFA_F_HOMEADDRESS	0x10
#define IFA_F_DEPRECATED	0x20
#define IFA_F_TENTATIVE		0x40
#define IFA_F_PERMANENT		0x80
#define INFINITY_LIFE_TIME	0xFFFFFFFFU

struct in_ifaddr {
	struct hlist_node hash;		/* inet_addr_lst, by (namespace, ifa_local) */
	struct in_ifaddr *ifa_next;
	struct in_device *ifa_dev;	/* referenced */
	__be32 ifa_local;		/* our address */
	__be32 ifa_address;		/* peer (point-to-point) or == ifa_local */
	__be32 ifa_mask;
	__be32 ifa_broadcast;
	unsigned char ifa_scope;	/* RT_SCOPE_* */
	unsigned char ifa_prefixlen;
	__u32 ifa_flags;		/* IFA_F_* */
	char ifa_label[IFNAMSIZ];	/* "eth0" or "eth0:1" */
	__u32 ifa_valid_lft;		/* seconds, relative to ifa_tstamp */
	__u32 ifa_preferred_lft;
	unsigned long ifa_cstamp;	/* created, jiffies */
	unsigned long ifa_tstamp;	/* updated, jiffies */
};

/* ---- configuration accessors ---- */
#define IPV4_DEVCONF(cnf, attr) ((cnf).data[IPV4_DEVCONF_##attr - 1])
#define IPV4_DEVCONF_ALL(net, attr) IPV4_DEVCONF((*(net)->ipv4.devconf_all), attr)
#define IPV4_DEVCONF_DFLT(net, attr) IPV4_DEVCONF((*(net)->ipv4.devconf_dflt), attr)

static inline int ipv4_devconf_get(struct in_device *in_dev, int index)
{
	index--;
	return in_dev->cnf.data[index];
}
static inline void ipv4_devconf_set(struct in_device *in_dev, int index, int val)
{
	index--;
	in_dev->cnf.state[0] |= 1UL << index;
	in_dev->cnf.data[index] = val;
}
static inline void ipv4_devconf_setall(struct in_device *in_dev)
{
	in_dev->cnf.state[0] = (1UL << IPV4_DEVCONF_MAX) - 1;
}

#define IN_DEV_CONF_GET(in_dev, attr) ipv4_devconf_get((in_dev), IPV4_DEVCONF_##attr)
#define IN_DEV_CONF_SET(in_dev, attr, val) ipv4_devconf_set((in_dev), IPV4_DEVCONF_##attr, (val))
#define IN_DEV_ANDCONF(in_dev, attr) \
	(IPV4_DEVCONF_ALL(dev_net((in_dev)->dev), attr) && IN_DEV_CONF_GET((in_dev), attr))
#define IN_DEV_NET_ORCONF(in_dev, net, attr) \
	(IPV4_DEVCONF_ALL(net, attr) || IN_DEV_CONF_GET((in_dev), attr))
#define IN_DEV_ORCONF(in_dev, attr) IN_DEV_NET_ORCONF(in_dev, dev_net((in_dev)->dev), attr)
#define IN_DEV_MAXCONF(in_dev, attr) \
	(max(IPV4_DEVCONF_ALL(dev_net((in_dev)->dev), attr), IN_DEV_CONF_GET((in_dev), attr)))

#define IN_DEV_FORWARD(in_dev)		IN_DEV_CONF_GET((in_dev), FORWARDING)
#define IN_DEV_MFORWARD(in_dev)		IN_DEV_ANDCONF((in_dev), MC_FORWARDING)
#define IN_DEV_RPFILTER(in_dev)		IN_DEV_MAXCONF((in_dev), RP_FILTER)
#define IN_DEV_SRC_VMARK(in_dev)	IN_DEV_ORCONF((in_dev), SRC_VMARK)
#define IN_DEV_SOURCE_ROUTE(in_dev)	IN_DEV_ANDCONF((in_dev), ACCEPT_SOURCE_ROUTE)
#define IN_DEV_ACCEPT_LOCAL(in_dev)	IN_DEV_ORCONF((in_dev), ACCEPT_LOCAL)
#define IN_DEV_BOOTP_RELAY(in_dev)	IN_DEV_ANDCONF((in_dev), BOOTP_RELAY)
#define IN_DEV_LOG_MARTIANS(in_dev)	IN_DEV_ORCONF((in_dev), LOG_MARTIANS)
#define IN_DEV_PROXY_ARP(in_dev)	IN_DEV_ORCONF((in_dev), PROXY_ARP)
#define IN_DEV_PROXY_ARP_PVLAN(in_dev)	IN_DEV_CONF_GET(in_dev, PROXY_ARP_PVLAN)
#define IN_DEV_SHARED_MEDIA(in_dev)	IN_DEV_ORCONF((in_dev), SHARED_MEDIA)
#define IN_DEV_TX_REDIRECTS(in_dev)	IN_DEV_ORCONF((in_dev), SEND_REDIRECTS)
#define IN_DEV_SEC_REDIRECTS(in_dev)	IN_DEV_ORCONF((in_dev), SECURE_REDIRECTS)
#define IN_DEV_IDTAG(in_dev)		IN_DEV_CONF_GET(in_dev, TAG)
#define IN_DEV_MEDIUM_ID(in_dev)	IN_DEV_CONF_GET(in_dev, MEDIUM_ID)
#define IN_DEV_PROMOTE_SECONDARIES(in_dev) IN_DEV_ORCONF((in_dev), PROMOTE_SECONDARIES)
#define IN_DEV_ROUTE_LOCALNET(in_dev)	IN_DEV_ORCONF(in_dev, ROUTE_LOCALNET)
#define IN_DEV_NET_ROUTE_LOCALNET(in_dev, net) IN_DEV_NET_ORCONF(in_dev, net, ROUTE_LOCALNET)
#define IN_DEV_RX_REDIRECTS(in_dev) \
	((IN_DEV_FORWARD(in_dev) && IN_DEV_ANDCONF((in_dev), ACCEPT_REDIRECTS)) || \
	 (!IN_DEV_FORWARD(in_dev) && IN_DEV_ORCONF((in_dev), ACCEPT_REDIRECTS)))
#define IN_DEV_ARPFILTER(in_dev)	IN_DEV_ORCONF((in_dev), ARPFILTER)
#define IN_DEV_ARP_ACCEPT(in_dev)	IN_DEV_ORCONF((in_dev), ARP_ACCEPT)
#define IN_DEV_ARP_ANNOUNCE(in_dev)	IN_DEV_MAXCONF((in_dev), ARP_ANNOUNCE)
#define IN_DEV_ARP_IGNORE(in_dev)	IN_DEV_MAXCONF((in_dev), ARP_IGNORE)
#define IN_DEV_ARP_NOTIFY(in_dev)	IN_DEV_MAXCONF((in_dev), ARP_NOTIFY)

/* ---- walking addresses ---- */
#define for_primary_ifa(in_dev) { struct in_ifaddr *ifa; \
	for (ifa = (in_dev)->ifa_list; ifa && !(ifa->ifa_flags & IFA_F_SECONDARY); \
	     ifa = ifa->ifa_next)
#define for_ifa(in_dev) { struct in_ifaddr *ifa; \
	for (ifa = (in_dev)->ifa_list; ifa; ifa = ifa->ifa_next)
#define endfor_ifa(in_dev) }

/* Is @a on the same subnet as @ifa? */
static inline bool inet_ifa_match(__be32 addr, const struct in_ifaddr *ifa)
{
	return !((addr ^ ifa->ifa_address) & ifa->ifa_mask);
}
/* Are @a and @b both on one of @in_dev's subnets? */
static inline bool inet_addr_onlink(struct in_device *in_dev, __be32 a, __be32 b)
{
	for_primary_ifa(in_dev) {
		if (inet_ifa_match(a, ifa)) {
			if (!b || inet_ifa_match(b, ifa))
				return true;
		}
	} endfor_ifa(in_dev);
	return false;
}
static inline __be32 inet_ifa_mask_prefix(const struct in_ifaddr *ifa)
{
	return ifa->ifa_local & ifa->ifa_mask;
}

/* ---- in_device references ---- */
static inline struct in_device *__in_dev_get_rcu(const struct net_device *dev)
{
	return dev->ip_ptr;
}
static inline struct in_device *__in_dev_get_rtnl(const struct net_device *dev)
{
	return dev->ip_ptr;
}
static inline void in_dev_hold(struct in_device *in_dev)
{
	atomic_inc(&in_dev->refcnt);
}
void in_dev_finish_destroy(struct in_device *idev);
static inline void in_dev_put(struct in_device *idev)
{
	if (atomic_dec_and_test(&idev->refcnt))
		in_dev_finish_destroy(idev);
}
#define __in_dev_put(idev) atomic_dec(&(idev)->refcnt)
static inline struct in_device *in_dev_get(const struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);

	if (in_dev)
		in_dev_hold(in_dev);
	return in_dev;
}
/* The in_device of ifindex @ifindex in @net, unreferenced; NULL if none. */
struct in_device *inetdev_by_index(struct net *net, int ifindex);

/* ---- addresses (devinet.c) ---- */
/* Best source address on @dev for talking to @dst within @scope (3.10 inet_select_addr:
 * a primary address of @dev on @dst's subnet, else its first primary of fitting scope,
 * else any device's). 0 if none. */
__be32 inet_select_addr(const struct net_device *dev, __be32 dst, int scope);
/* Is @local (or, with local 0, an address on @dst's subnet within @scope) configured on
 * @in_dev (on any device of its namespace when @scope is RT_SCOPE_LINK)? Returns the address
 * or 0 (3.10 confirm_addr_indev). */
__be32 inet_confirm_addr(struct in_device *in_dev, __be32 dst, __be32 local, int scope);
/* The device that owns @addr in @net (inet_addr_lst hash), held if @devref. NULL if none.
 * DIVERGES: 3.10 falls back to a FIB lookup (local table) for addresses that are only
 * routes; ulnet answers from configured addresses only. */
struct net_device *__ip_dev_find(struct net *net, __be32 addr, bool devref);
static inline struct net_device *ip_dev_find(struct net *net, __be32 addr)
{
	return __ip_dev_find(net, addr, true);
}
/* The address of @dev covering @prefix/@mask (or the first when both 0); NULL if none. */
struct in_ifaddr *inet_ifa_byprefix(struct in_device *in_dev, __be32 prefix, __be32 mask);

struct in_ifaddr *inet_alloc_ifa(void);
void inet_free_ifa(struct in_ifaddr *ifa);
/* Add @ifa (ifa_dev set, referenced) to its device: primary or secondary by subnet,
 * -EEXIST if the same address/prefix is there, -EINVAL if the scope differs from an
 * existing one of the same subnet. Runs the inetaddr chain (NETDEV_UP). Consumes @ifa on
 * error. Caller holds rtnl_lock. */
int inet_insert_ifa(struct in_ifaddr *ifa);
/* Remove *@ifap (NETDEV_DOWN on the chain; promote a secondary if configured). Caller holds
 * rtnl_lock. @destroy: free the ifa. */
void inet_del_ifa(struct in_device *in_dev, struct in_ifaddr **ifap, int destroy);

/* ulnet helpers for `ip addr add/del` (the work of inet_rtm_newaddr / inet_rtm_deladdr).
 * Addresses in network order; @peer 0: the local address; @broadcast 0: none unless @set_brd
 * (computed from the mask, "brd +", for prefixes up to /30); @label NULL: the device name.
 * An address in 127/8 gets host scope. Take rtnl_lock. 0, -EEXIST, -EINVAL (bad prefix, a
 * scope different from the subnet's other addresses), -ENOBUFS (no IPv4 on the device: MTU
 * below 68), -ENOMEM; del: -EADDRNOTAVAIL. */
int devinet_addr_add(struct net_device *dev, __be32 local, int prefixlen, __be32 peer,
		     __be32 broadcast, bool set_brd, unsigned char scope, const char *label);
int devinet_addr_del(struct net_device *dev, __be32 local, int prefixlen);

/* The inetaddr notifier chain: NETDEV_UP / NETDEV_DOWN with the struct in_ifaddr. Called
 * under rtnl_lock. Registration replays nothing (as Linux). */
int register_inetaddr_notifier(struct notifier_block *nb);
int unregister_inetaddr_notifier(struct notifier_block *nb);

/* Boot: inet_addr_lst, the netdevice notifier, the per-namespace conf/all, conf/default
 * (devinet_init_net) and net.ipv4.conf.{all,default}.* sysctls. */
int devinet_init(void);
void devinet_fini(void);

#endif
