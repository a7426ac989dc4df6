/* SPDX-License-Identifier: MIT */
/* Network namespaces: struct net owns devices, and (as issues add them) routes, neighbours,
 * sockets, sysctls and MIB counters. A lab's host is a namespace.
 * Mirrors linux/include/net/net_namespace.h and net/core/net_namespace.c (3.10): struct net,
 * init_net, for_each_net, get_net/put_net, pernet_operations, register_pernet_subsys/device.
 *
 * Lifetime: ul_netns_create() runs every registered pernet init (subsystems first, then
 * devices, in registration order); the namespace lives while net->count > 0. When the last
 * reference goes (put_net), the exits run in reverse: devices first, then subsystems.
 * DIVERGES: Linux runs cleanup_net from a workqueue after an RCU grace period; ulnet runs it
 * synchronously in the put_net that drops the last reference when that is a task, and from
 * the CPU's idle context (ul_call_at, "now") when it is in interrupt context: a socket's last
 * sock_put inside tcp_v4_rcv must not free the namespace its caller still counts in.
 *
 * Locking: net_mutex serialises namespace creation/destruction and pernet registration. */
#ifndef _NET_NET_NAMESPACE_H
#define _NET_NET_NAMESPACE_H
#include "linux/atomic.h"
#include "linux/list.h"
#include "linux/spinlock.h"
#include "linux/types.h"
#include "net/netns/ipv4.h"
#include "net/netns/mib.h"

struct net_device;

/* net.core.somaxconn default: SOMAXCONN of Linux 3.10 (include/linux/socket.h).
 * glibc's <sys/socket.h> carries newer kernels' value (4096 since Linux 5.4): override. */
#undef SOMAXCONN
#define SOMAXCONN 128

#define UL_NETNS_NAMSIZ	64	/* longest namespace name + 1 (ip netns add NAME) */

struct netns_core {
	int sysctl_somaxconn;	/* net.core.somaxconn, per namespace (facts.md §1.1) */
};

/* Slots for pernet_operations with .id/.size (net_generic). */
#define MAX_NET_GENERIC	32

struct net {
	atomic_t count;			/* users: tasks, sockets, the name (ip netns add) */
	struct list_head list;		/* on net_namespace_list */
	struct list_head cleanup_list;
	char name[UL_NETNS_NAMSIZ];	/* ulnet: "" for init_net, else the ip netns name */
	unsigned int id;		/* ulnet: 0 for init_net, then 1, 2, ... (never reused) */

	struct list_head dev_base_head;		/* devices, in registration order */
	struct hlist_head *dev_name_head;	/* NETDEV_HASHENTRIES buckets by name */
	struct hlist_head *dev_index_head;	/* NETDEV_HASHENTRIES buckets by ifindex */
	unsigned int dev_base_seq;
	int ifindex;				/* last ifindex handed out (lo gets 1) */
	struct net_device *loopback_dev;	/* "lo", first in, last out */

	struct netns_core core;

	/* ---- i3a: IPv4 (net/netns/ipv4.h; other issue-3 members go in its marked blocks)
	 * and the MIB counters (net/netns/mib.h) ---- */
	struct netns_mib mib;
	struct netns_ipv4 ipv4;
	/* ---- end i3a ---- */

	/* Issue work adds protocol state here, as Linux's struct net does:
	 *	struct netns_mib mib;		(SNMP/MIB counters: /proc/net/snmp, netstat)
	 *	struct netns_ipv4 ipv4;		(routes, sysctls, tcp/udp/icmp state)
	 *	struct netns_nf nf; ...
	 * Keep each member self-contained and initialised by its own pernet_operations. */

	void *gen[MAX_NET_GENERIC];	/* net_generic() data of pernet ops with .size */
};

extern struct net init_net;
extern struct list_head net_namespace_list;

#define for_each_net(VAR) list_for_each_entry(VAR, &net_namespace_list, list)
#define for_each_net_rcu(VAR) for_each_net(VAR)

static inline struct net *get_net(struct net *net)
{
	atomic_inc(&net->count);
	return net;
}
/* Drop a reference; the last one destroys the namespace (see DIVERGES above). */
void __put_net(struct net *net);
static inline void put_net(struct net *net)
{
	if (atomic_dec_and_test(&net->count))
		__put_net(net);
}
static inline struct net *hold_net(struct net *net)
{
	return net;
}
static inline void release_net(struct net *net)
{
	(void)net;
}
static inline int net_eq(const struct net *net1, const struct net *net2)
{
	return net1 == net2;
}
static inline struct net *read_pnet(struct net *const *pnet)
{
	return *pnet;
}
static inline void write_pnet(struct net **pnet, struct net *net)
{
	*pnet = net;
}

/* Per-namespace setup of a subsystem or device. init runs for every existing namespace at
 * registration and for each new one; exit runs when a namespace dies and at unregistration.
 * With .size and .id, a zeroed block of .size bytes is allocated per namespace before init
 * and freed after exit; net_generic(net, *id) returns it. */
struct pernet_operations {
	struct list_head list;
	int (*init)(struct net *net);
	void (*exit)(struct net *net);
	int *id;
	size_t size;
};
/* Subsystems (protocols): their exits run after the devices are gone. */
int register_pernet_subsys(struct pernet_operations *ops);
void unregister_pernet_subsys(struct pernet_operations *ops);
/* Devices (lo, veth): inits run after all subsystems, exits before them. */
int register_pernet_device(struct pernet_operations *ops);
void unregister_pernet_device(struct pernet_operations *ops);

static inline void *net_generic(const struct net *net, int id)
{
	return net->gen[id - 1];
}

/* Boot: init_net through every registered pernet init (net_ns_init) / teardown. */
int net_ns_init(void);
void net_ns_fini(void);	/* destroys every namespace (init_net last), forgets all ops */

/* ulnet: create a named namespace (ip netns add). ERR_PTR(-EINVAL) for a bad name,
 * ERR_PTR(-EEXIST) if taken, ERR_PTR(-ENOMEM) or a pernet init's error. */
struct net *ul_netns_create(const char *name);
/* ulnet: forget the name and drop its reference (ip netns del); the namespace dies when the
 * last user (task, socket) lets go. -EBUSY for init_net. */
int ul_netns_destroy(struct net *net);
/* NULL or "" -> &init_net; a known name -> its namespace; otherwise NULL. No reference. */
struct net *ul_net_by_name(const char *name);
/* ulnet: is @net still on net_namespace_list (not yet cleaned up)? Compares the pointer
 * only, never dereferences it: for a caller that dropped its last reference (a test's
 * teardown waiting for a deleted namespace's last socket). */
bool ul_net_listed(const struct net *net);
/* Letters, digits, '-', '_', '.' (not "." or ".."), 1..UL_NETNS_NAMSIZ-1 characters. */
bool ul_netns_name_valid(const char *name);

#endif
