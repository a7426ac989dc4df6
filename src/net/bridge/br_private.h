/* SPDX-License-Identifier: MIT */
/* The Ethernet bridge's private structures: the bridge, its ports and its forwarding
 * database (book ch10: how containers on one host reach each other).
 * Mirrors linux/net/bridge/br_private.h (3.10): struct net_bridge, struct net_bridge_port,
 * struct net_bridge_fdb_entry, BR_STATE_*, br_port_get_rcu/rtnl, and the prototypes of
 * br.c, br_device.c, br_if.c, br_input.c, br_forward.c, br_fdb.c.
 *
 * DIVERGES: no STP (no BPDUs, no root election, no topology change): a port goes to
 * forwarding as soon as it is enabled, which is what 3.10 does with STP off and
 * forward_delay 0 (Docker's docker0); forward_delay is kept as a number only. No VLAN
 * filtering, no multicast snooping (multicast is flooded as broadcast).
 *
 * Locking: configuration under rtnl; br->hash_lock guards the FDB (taken from softirq on
 * learning and from the ageing timer). Context of the packet path: softirq (NET_RX) for
 * frames entering a port; the sender's context (BH off) for frames the bridge device
 * transmits. */
#ifndef _BR_PRIVATE_H
#define _BR_PRIVATE_H
#include "linux/etherdevice.h"
#include "linux/list.h"
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "linux/timer.h"

#define BR_HASH_BITS 8
#define BR_HASH_SIZE (1 << BR_HASH_BITS)
#define BR_PORT_BITS 10
#define BR_MAX_PORTS (1 << BR_PORT_BITS)

/* 3.10 defaults (br_device.c br_dev_setup): ageing 300 s, forward delay 15 s, hello 2 s,
 * max age 20 s, bridge priority 0x8000, port priority 0x20. */
#define BR_DEFAULT_AGEING_TIME (300 * HZ)
#define BR_DEFAULT_FORWARD_DELAY (15 * HZ)
#define BR_DEFAULT_PORT_PRIORITY 0x20

/* Port states (uapi/linux/if_bridge.h). */
#define BR_STATE_DISABLED 0
#define BR_STATE_LISTENING 1
#define BR_STATE_LEARNING 2
#define BR_STATE_FORWARDING 3
#define BR_STATE_BLOCKING 4

/* The bridge device's driver name (ethtool -i). */
#define BR_DRV_NAME "bridge"
#define BR_DRV_VERSION "2.3"

struct net_bridge;
struct net_bridge_port;

/* One learned or configured MAC address. */
struct net_bridge_fdb_entry {
	struct hlist_node hlist;
	struct net_bridge_port *dst;	/* where frames to @addr go (NULL: the bridge itself) */
	unsigned long updated;		/* jiffies of the last frame from @addr */
	unsigned long used;		/* jiffies of the last frame forwarded to @addr */
	unsigned char addr[ETH_ALEN];
	unsigned char is_local:1,	/* an address of a port or the bridge: deliver locally */
		      is_static:1;	/* never ages (local, or added by `bridge fdb add`) */
};

struct net_bridge_port {
	struct net_bridge *br;
	struct net_device *dev;
	struct list_head list;		/* br->port_list */
	u8 priority;
	u8 state;			/* BR_STATE_* */
	u16 port_no;
	u32 path_cost;
};

struct net_bridge {
	spinlock_t lock;		/* ports */
	struct list_head port_list;
	struct net_device *dev;
	spinlock_t hash_lock;		/* the FDB */
	struct hlist_head hash[BR_HASH_SIZE];
	unsigned long ageing_time;
	unsigned long forward_delay;
	u16 root_port;
	u16 priority;
	unsigned long port_bitmap[BR_MAX_PORTS / BITS_PER_LONG];	/* used port numbers */
	struct timer_list gc_timer;	/* br_fdb_cleanup */
	/* The bridge device's own counters (3.10: per-CPU br_cpu_netstats). */
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	unsigned int fdb_count;
};

/* The port behind @dev, or NULL if @dev is no bridge port. Context: softirq (rcu) or rtnl. */
static inline struct net_bridge_port *br_port_get_rcu(const struct net_device *dev)
{
	return (dev->priv_flags & IFF_BRIDGE_PORT) ? (struct net_bridge_port *)
		dev->rx_handler_data : NULL;
}
#define br_port_get_rtnl br_port_get_rcu

static inline bool br_port_exists(const struct net_device *dev)
{
	return (dev->priv_flags & IFF_BRIDGE_PORT) != 0;
}

/* br.c */
bool netif_is_bridge_master(const struct net_device *dev);
extern struct rtnl_link_ops br_link_ops;
int br_init(void);
void br_fini(void);

/* br_device.c */
void br_dev_setup(struct net_device *dev);
int br_add_bridge(struct net *net, const char *name);
int br_del_bridge(struct net *net, const char *name);

/* br_if.c */
int br_add_if(struct net_bridge *br, struct net_device *dev);
int br_del_if(struct net_bridge *br, struct net_device *dev);
void br_del_all_ports(struct net_bridge *br);
void br_port_carrier_check(struct net_bridge_port *p);
bool br_stp_recalculate_bridge_id(struct net_bridge *br);
const char *br_port_state_name(u8 state);	/* "forwarding", "disabled", ... */

/* br_input.c */
rx_handler_result_t br_handle_frame(struct sk_buff **pskb);
int br_handle_frame_finish(struct sk_buff *skb);

/* br_forward.c */
void br_deliver(const struct net_bridge_port *to, struct sk_buff *skb);
void br_forward(const struct net_bridge_port *to, struct sk_buff *skb, struct sk_buff *skb0);
void br_flood_deliver(struct net_bridge *br, struct sk_buff *skb);
void br_flood_forward(struct net_bridge *br, struct sk_buff *skb, struct sk_buff *skb2);
int br_dev_queue_push_xmit(struct sk_buff *skb);

/* br_fdb.c */
int br_fdb_init(void);
void br_fdb_fini(void);
void br_fdb_cleanup(struct timer_list *t);
void br_fdb_flush(struct net_bridge *br);
void br_fdb_delete_by_port(struct net_bridge *br, const struct net_bridge_port *p,
			   bool do_all);
struct net_bridge_fdb_entry *__br_fdb_get(struct net_bridge *br, const unsigned char *addr);
int br_fdb_insert(struct net_bridge *br, struct net_bridge_port *source,
		  const unsigned char *addr);
void br_fdb_update(struct net_bridge *br, struct net_bridge_port *source,
		   const unsigned char *addr);
void br_fdb_changeaddr(struct net_bridge_port *p, const unsigned char *newaddr);
/* `bridge fdb add ADDR dev PORT [master] [static]`: a static entry. */
int br_fdb_add_static(struct net_bridge *br, struct net_bridge_port *p,
		      const unsigned char *addr);
int br_fdb_delete(struct net_bridge *br, const unsigned char *addr);
/* Call @fn for each entry (in hash order). Context: rtnl or process. */
void br_fdb_for_each(struct net_bridge *br,
		     void (*fn)(const struct net_bridge_fdb_entry *f, void *arg), void *arg);
bool br_fdb_has_expired(const struct net_bridge *br, const struct net_bridge_fdb_entry *f);

#endif
