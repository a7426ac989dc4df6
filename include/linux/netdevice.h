/* SPDX-License-Identifier: MIT */
/* Network devices, NAPI, packet handlers and the per-CPU softnet state.
 * Mirrors linux/include/linux/netdevice.h (3.10): struct net_device, net_device_ops,
 * ethtool_ops, header_ops, netdev_queue, napi_struct, packet_type, softnet_data, and the
 * functions of net/core/dev.c.
 *
 * Receive (book ch2, ch5): a driver's IRQ calls napi_schedule(); NET_RX_SOFTIRQ runs
 * net_rx_action(), which polls each scheduled NAPI with its weight within netdev_budget and
 * 2 jiffies; the poll hands packets to napi_gro_receive()/netif_receive_skb() ->
 * __netif_receive_skb_core() (ptype_all taps, rx_handler, ptype_base). Software devices
 * (lo, veth) call netif_rx(), which queues on the CPU's backlog (enqueue_to_backlog) and
 * schedules the backlog NAPI (process_backlog).
 * Transmit (book ch4): dev_queue_xmit() -> the root qdisc (__dev_xmit_skb, __qdisc_run) or,
 * for noqueue devices, dev_hard_start_xmit() directly -> ndo_start_xmit. A stopped queue or
 * an exhausted quota leaves work for NET_TX_SOFTIRQ (net_tx_action).
 *
 * Locking: configuration (register, open, close, change flags/mtu) runs under rtnl_lock;
 * each TX queue has _xmit_lock (HARD_TX_LOCK, skipped for NETIF_F_LLTX); the softnet_data
 * of a CPU is touched only by that CPU with bottom halves off, except input_pkt_queue which
 * takes its lock (rps_lock). */
#ifndef _LINUX_NETDEVICE_H
#define _LINUX_NETDEVICE_H
#include <sys/socket.h>
#include "linux/atomic.h"
#include "linux/interrupt.h"
#include "linux/kernel.h"
#include "linux/list.h"
#include "linux/notifier.h"
#include "linux/percpu.h"
#include "linux/rtnetlink.h"
#include "linux/seqlock.h"
#include "linux/skbuff.h"
#include "linux/spinlock.h"
#include "linux/timer.h"
#include "uapi/linux/ethtool.h"
#include "uapi/linux/if.h"
#include "uapi/linux/if_arp.h"
#include "uapi/linux/if_ether.h"

struct net;
struct Qdisc;
struct sock;
struct in_device;
struct net_device;
struct rtnl_link_ops;

#define MAX_ADDR_LEN	32	/* largest hardware address length */
#define NETDEV_ALIGN	32
#define NAPI_POLL_WEIGHT 64
#define NETDEV_HASHBITS	8
#define NETDEV_HASHENTRIES (1 << NETDEV_HASHBITS)
#define GSO_MAX_SIZE	65536
#define GSO_MAX_SEGS	65535
#define LL_MAX_HEADER	128
#define MAX_HEADER	LL_MAX_HEADER

/* The link header a neighbour caches (struct hh_cache, neigh_hh_output) is kept right-aligned
 * in HH_DATA_MOD-byte blocks so that it is copied in front of skb->data in one block. */
#define HH_DATA_MOD	16
#define HH_DATA_OFF(__len) (HH_DATA_MOD - (((__len) - 1) & (HH_DATA_MOD - 1)) - 1)
#define HH_DATA_ALIGN(__len) (((__len) + (HH_DATA_MOD - 1)) & ~(HH_DATA_MOD - 1))
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)

struct neighbour;

/* A neighbour's prebuilt link header (header_ops->cache); hh_len 0: not built yet. Readers
 * (neigh_hh_output) use hh_lock's sequence, writers (cache_update) its lock. */
struct hh_cache {
	u16 hh_len;
	u16 __pad;
	seqlock_t hh_lock;
	unsigned long hh_data[HH_DATA_ALIGN(LL_MAX_HEADER) / sizeof(long)];
};

/* Driver transmit return codes (ndo_start_xmit). */
enum netdev_tx {
	NETDEV_TX_OK = 0x00,		/* driver took care of the packet */
	NETDEV_TX_BUSY = 0x10,		/* driver TX path was busy: requeue */
	NETDEV_TX_LOCKED = 0x20,	/* driver TX lock was already taken (LLTX) */
};
typedef enum netdev_tx netdev_tx_t;

/* dev_queue_xmit / qdisc enqueue return codes. */
#define NET_XMIT_SUCCESS	0x00
#define NET_XMIT_DROP		0x01	/* skb dropped */
#define NET_XMIT_CN		0x02	/* congestion notification */
#define NET_XMIT_POLICED	0x03	/* skb is shot by police */
#define NET_XMIT_MASK		0x0f
#define net_xmit_eval(e)	((e) == NET_XMIT_CN ? 0 : (e))
#define net_xmit_errno(e)	((e) != NET_XMIT_CN ? -ENOBUFS : 0)

/* netif_rx / netif_receive_skb return codes. */
#define NET_RX_SUCCESS		0
#define NET_RX_DROP		1

/* A driver return code is "complete" when it is an errno, a NET_XMIT_* or NETDEV_TX_OK. */
static inline bool dev_xmit_complete(int rc)
{
	if (likely(rc < NET_XMIT_MASK))
		return true;
	return false;
}

/* dev->state bits */
enum netdev_state_t {
	__LINK_STATE_START,		/* opened (netif_running) */
	__LINK_STATE_PRESENT,		/* registered and present */
	__LINK_STATE_NOCARRIER,
	__LINK_STATE_LINKWATCH_PENDING,
	__LINK_STATE_DORMANT,
};

/* netdev_queue->state bits */
enum netdev_queue_state_t {
	__QUEUE_STATE_DRV_XOFF,		/* the driver stopped the queue (ring full) */
	__QUEUE_STATE_STACK_XOFF,	/* the stack stopped it (BQL) */
	__QUEUE_STATE_FROZEN,
};
#define QUEUE_STATE_DRV_XOFF	(1 << __QUEUE_STATE_DRV_XOFF)
#define QUEUE_STATE_STACK_XOFF	(1 << __QUEUE_STATE_STACK_XOFF)
#define QUEUE_STATE_FROZEN	(1 << __QUEUE_STATE_FROZEN)
#define QUEUE_STATE_ANY_XOFF	(QUEUE_STATE_DRV_XOFF | QUEUE_STATE_STACK_XOFF)
#define QUEUE_STATE_ANY_XOFF_OR_FROZEN (QUEUE_STATE_ANY_XOFF | QUEUE_STATE_FROZEN)

/* dev->reg_state */
enum {
	NETREG_UNINITIALIZED = 0,
	NETREG_REGISTERED,	/* completed register_netdevice */
	NETREG_UNREGISTERING,	/* called unregister_netdevice */
	NETREG_UNREGISTERED,	/* completed unregister todo */
	NETREG_RELEASED,	/* called free_netdev */
	NETREG_DUMMY,		/* dummy device for NAPI poll */
};

/* dev->addr_assign_type */
#define NET_ADDR_PERM		0	/* address is permanent (default) */
#define NET_ADDR_RANDOM		1	/* address is generated randomly */
#define NET_ADDR_STOLEN		2
#define NET_ADDR_SET		3	/* set by dev_set_mac_address */

/* Features (linux/netdev_features.h, 3.10 bit order). */
typedef u64 netdev_features_t;
enum {
	NETIF_F_SG_BIT,
	NETIF_F_IP_CSUM_BIT,
	__UNUSED_NETIF_F_1,
	NETIF_F_HW_CSUM_BIT,
	NETIF_F_IPV6_CSUM_BIT,
	NETIF_F_HIGHDMA_BIT,
	NETIF_F_FRAGLIST_BIT,
	NETIF_F_HW_VLAN_CTAG_TX_BIT,
	NETIF_F_HW_VLAN_CTAG_RX_BIT,
	NETIF_F_HW_VLAN_CTAG_FILTER_BIT,
	NETIF_F_VLAN_CHALLENGED_BIT,
	NETIF_F_GSO_BIT,
	NETIF_F_LLTX_BIT,
	NETIF_F_NETNS_LOCAL_BIT,
	NETIF_F_GRO_BIT,
	NETIF_F_LRO_BIT,
	NETIF_F_GSO_SHIFT,
	NETIF_F_TSO_BIT = NETIF_F_GSO_SHIFT,
	NETIF_F_UFO_BIT,
	NETIF_F_GSO_ROBUST_BIT,
	NETIF_F_TSO_ECN_BIT,
	NETIF_F_TSO6_BIT,
	NETIF_F_FSO_BIT,
	NETIF_F_GSO_GRE_BIT,
	NETIF_F_GSO_UDP_TUNNEL_BIT,
	NETIF_F_GSO_MPLS_BIT,
	NETIF_F_GSO_LAST = NETIF_F_GSO_MPLS_BIT,
	NETIF_F_FCOE_CRC_BIT,
	NETIF_F_SCTP_CSUM_BIT,
	NETIF_F_FCOE_MTU_BIT,
	NETIF_F_NTUPLE_BIT,
	NETIF_F_RXHASH_BIT,
	NETIF_F_RXCSUM_BIT,
	NETIF_F_NOCACHE_COPY_BIT,
	NETIF_F_LOOPBACK_BIT,
	NETIF_F_RXFCS_BIT,
	NETIF_F_RXALL_BIT,
	NETIF_F_HW_VLAN_STAG_TX_BIT,
	NETIF_F_HW_VLAN_STAG_RX_BIT,
	NETIF_F_HW_VLAN_STAG_FILTER_BIT,
	NETDEV_FEATURE_COUNT
};
#define __NETIF_F(name)		((netdev_features_t)1 << NETIF_F_##name##_BIT)
#define NETIF_F_SG		__NETIF_F(SG)
#define NETIF_F_IP_CSUM		__NETIF_F(IP_CSUM)
#define NETIF_F_HW_CSUM		__NETIF_F(HW_CSUM)
#define NETIF_F_IPV6_CSUM	__NETIF_F(IPV6_CSUM)
#define NETIF_F_HIGHDMA		__NETIF_F(HIGHDMA)
#define NETIF_F_FRAGLIST	__NETIF_F(FRAGLIST)
#define NETIF_F_HW_VLAN_CTAG_TX	__NETIF_F(HW_VLAN_CTAG_TX)
#define NETIF_F_HW_VLAN_CTAG_RX	__NETIF_F(HW_VLAN_CTAG_RX)
#define NETIF_F_HW_VLAN_CTAG_FILTER __NETIF_F(HW_VLAN_CTAG_FILTER)
#define NETIF_F_VLAN_CHALLENGED	__NETIF_F(VLAN_CHALLENGED)
#define NETIF_F_GSO		__NETIF_F(GSO)
#define NETIF_F_LLTX		__NETIF_F(LLTX)	/* driver does its own TX locking */
#define NETIF_F_NETNS_LOCAL	__NETIF_F(NETNS_LOCAL)	/* may not change namespace (lo) */
#define NETIF_F_GRO		__NETIF_F(GRO)
#define NETIF_F_LRO		__NETIF_F(LRO)
#define NETIF_F_TSO		__NETIF_F(TSO)
#define NETIF_F_UFO		__NETIF_F(UFO)
#define NETIF_F_GSO_ROBUST	__NETIF_F(GSO_ROBUST)
#define NETIF_F_TSO_ECN		__NETIF_F(TSO_ECN)
#define NETIF_F_TSO6		__NETIF_F(TSO6)
#define NETIF_F_FSO		__NETIF_F(FSO)
#define NETIF_F_GSO_GRE		__NETIF_F(GSO_GRE)
#define NETIF_F_GSO_UDP_TUNNEL	__NETIF_F(GSO_UDP_TUNNEL)
#define NETIF_F_GSO_MPLS	__NETIF_F(GSO_MPLS)
#define NETIF_F_FCOE_CRC	__NETIF_F(FCOE_CRC)
#define NETIF_F_SCTP_CSUM	__NETIF_F(SCTP_CSUM)
#define NETIF_F_FCOE_MTU	__NETIF_F(FCOE_MTU)
#define NETIF_F_NTUPLE		__NETIF_F(NTUPLE)
#define NETIF_F_RXHASH		__NETIF_F(RXHASH)
#define NETIF_F_RXCSUM		__NETIF_F(RXCSUM)
#define NETIF_F_NOCACHE_COPY	__NETIF_F(NOCACHE_COPY)
#define NETIF_F_LOOPBACK	__NETIF_F(LOOPBACK)
#define NETIF_F_RXFCS		__NETIF_F(RXFCS)
#define NETIF_F_RXALL		__NETIF_F(RXALL)
#define NETIF_F_GSO_MASK	((netdev_features_t)0x00ff0000)	/* the GSO type bits */
#define NETIF_F_ALL_TSO		(NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN)
#define NETIF_F_GEN_CSUM	NETIF_F_HW_CSUM
#define NETIF_F_V4_CSUM		(NETIF_F_GEN_CSUM | NETIF_F_IP_CSUM)
#define NETIF_F_ALL_CSUM	(NETIF_F_V4_CSUM | NETIF_F_IPV6_CSUM)
#define NETIF_F_GSO_SOFTWARE	(NETIF_F_TSO | NETIF_F_TSO_ECN | NETIF_F_TSO6 | NETIF_F_UFO)
#define NETIF_F_SOFT_FEATURES	(NETIF_F_GSO | NETIF_F_GRO)

/* Can a device with @features segment packets of @gso_type (SKB_GSO_*) itself? */
static inline bool net_gso_ok(netdev_features_t features, int gso_type)
{
	netdev_features_t feature = (netdev_features_t)gso_type << NETIF_F_GSO_SHIFT;

	return (features & feature) == feature;
}
/* "tcp-segmentation-offload", ... for ethtool -k (netdev_features_strings). */
extern const char netdev_features_strings[NETDEV_FEATURE_COUNT][ETH_GSTRING_LEN];

/* Device statistics: struct rtnl_link_stats64 (linux/if_link.h) and the driver-kept
 * net_device_stats with the same fields (unsigned long is 64 bits here). */
struct rtnl_link_stats64 {
	__u64 rx_packets;
	__u64 tx_packets;
	__u64 rx_bytes;
	__u64 tx_bytes;
	__u64 rx_errors;	/* bad packets received */
	__u64 tx_errors;
	__u64 rx_dropped;	/* no space in linux buffers */
	__u64 tx_dropped;
	__u64 multicast;
	__u64 collisions;
	/* detailed rx_errors: */
	__u64 rx_length_errors;
	__u64 rx_over_errors;	/* receiver ring buff overflow */
	__u64 rx_crc_errors;
	__u64 rx_frame_errors;
	__u64 rx_fifo_errors;	/* recv'r fifo overrun (RingBuffer full, book ch2) */
	__u64 rx_missed_errors;	/* receiver missed packet */
	/* detailed tx_errors */
	__u64 tx_aborted_errors;
	__u64 tx_carrier_errors;
	__u64 tx_fifo_errors;
	__u64 tx_heartbeat_errors;
	__u64 tx_window_errors;
	/* for cslip etc */
	__u64 rx_compressed;
	__u64 tx_compressed;
};

struct net_device_stats {
	unsigned long rx_packets;
	unsigned long tx_packets;
	unsigned long rx_bytes;
	unsigned long tx_bytes;
	unsigned long rx_errors;
	unsigned long tx_errors;
	unsigned long rx_dropped;
	unsigned long tx_dropped;
	unsigned long multicast;
	unsigned long collisions;
	unsigned long rx_length_errors;
	unsigned long rx_over_errors;
	unsigned long rx_crc_errors;
	unsigned long rx_frame_errors;
	unsigned long rx_fifo_errors;
	unsigned long rx_missed_errors;
	unsigned long tx_aborted_errors;
	unsigned long tx_carrier_errors;
	unsigned long tx_fifo_errors;
	unsigned long tx_heartbeat_errors;
	unsigned long tx_window_errors;
	unsigned long rx_compressed;
	unsigned long tx_compressed;
};

/* Per-CPU counters of software devices (loopback, veth): updated by the CPU that transmits,
 * summed by ndo_get_stats64. */
struct pcpu_lstats {
	u64 packets;
	u64 bytes;
};

/* One TX queue of a device. */
struct netdev_queue {
	struct net_device *dev;
	struct Qdisc *qdisc;		/* active qdisc (noop_qdisc while the device is down) */
	struct Qdisc *qdisc_sleeping;	/* the configured qdisc, attached by dev_activate */
	unsigned long state;		/* __QUEUE_STATE_* */
	spinlock_t _xmit_lock;		/* HARD_TX_LOCK */
	int xmit_lock_owner;		/* CPU holding _xmit_lock, or -1 */
	unsigned long trans_start;	/* jiffies of the last transmit (TX watchdog) */
	unsigned long trans_timeout;
	unsigned int index;		/* queue number */
};

/* Link-layer header construction and parsing (eth_header_ops). */
struct header_ops {
	/* Push a link header for protocol @type (host order) from @saddr (NULL: dev_addr) to
	 * @daddr (NULL: unresolved). Returns the header length, or its negative when the
	 * destination is still unknown (neighbour resolution must complete it). */
	int (*create)(struct sk_buff *skb, struct net_device *dev, unsigned short type,
		      const void *daddr, const void *saddr, unsigned int len);
	/* Copy the source hardware address of the received frame to @haddr; returns its length. */
	int (*parse)(const struct sk_buff *skb, unsigned char *haddr);
	/* Build @neigh's link header for protocol @type into @hh (neigh_hh_init); 0 or -1 when
	 * it cannot be cached. Optional. */
	int (*cache)(const struct neighbour *neigh, struct hh_cache *hh, __be16 type);
	/* The neighbour's address became @haddr: rewrite the cached header (neigh_update_hhs). */
	void (*cache_update)(struct hh_cache *hh, const struct net_device *dev,
			     const unsigned char *haddr);
};

/* RX handler (bridge, macvlan, bonding): sees the packet after the taps, before ptype_base. */
enum rx_handler_result {
	RX_HANDLER_CONSUMED,	/* the handler took the skb */
	RX_HANDLER_ANOTHER,	/* skb->dev changed: do another round */
	RX_HANDLER_EXACT,	/* deliver only to handlers bound to skb->dev */
	RX_HANDLER_PASS,	/* as if no handler were registered */
};
typedef enum rx_handler_result rx_handler_result_t;
typedef rx_handler_result_t rx_handler_func_t(struct sk_buff **pskb);

/* The driver's operations. Unset slots have the documented default. */
struct net_device_ops {
	/* At register_netdevice, before the device is visible. Non-zero aborts it. */
	int (*ndo_init)(struct net_device *dev);
	/* At unregister, after NETDEV_UNREGISTER. */
	void (*ndo_uninit)(struct net_device *dev);
	/* dev_open: allocate rings, request IRQs, napi_enable, netif_start_queue. */
	int (*ndo_open)(struct net_device *dev);
	/* dev_close: undo ndo_open. */
	int (*ndo_stop)(struct net_device *dev);
	/* Transmit @skb. Context: bottom halves off, the TX queue lock held unless LLTX.
	 * Returns NETDEV_TX_OK having consumed the skb, or NETDEV_TX_BUSY having not touched
	 * it (the qdisc requeues it; drivers should stop the queue first instead). */
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	/* Pick the TX queue of a multi-queue device (default: hash, see netdev_pick_tx). */
	u16 (*ndo_select_queue)(struct net_device *dev, struct sk_buff *skb);
	/* Set dev_addr from @addr (a struct sockaddr). Default: -EOPNOTSUPP. */
	int (*ndo_set_mac_address)(struct net_device *dev, void *addr);
	/* Check dev_addr before opening (eth_validate_addr). */
	int (*ndo_validate_addr)(struct net_device *dev);
	/* Validate and set a new MTU. Default: any MTU is accepted. */
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	void (*ndo_tx_timeout)(struct net_device *dev);
	/* Fill @storage (zeroed by the caller). Default: dev->stats. */
	struct rtnl_link_stats64 *(*ndo_get_stats64)(struct net_device *dev,
						     struct rtnl_link_stats64 *storage);
	struct net_device_stats *(*ndo_get_stats)(struct net_device *dev);
	void (*ndo_set_rx_mode)(struct net_device *dev);
	netdev_features_t (*ndo_fix_features)(struct net_device *dev, netdev_features_t features);
	int (*ndo_set_features)(struct net_device *dev, netdev_features_t features);
	/* Enslave @slave_dev to this (master) device: `ip link set DEV master BR`
	 * (do_set_master). rtnl held. Default: -EOPNOTSUPP. */
	int (*ndo_add_slave)(struct net_device *dev, struct net_device *slave_dev);
	/* Release @slave_dev (`nomaster`, or the slave going away). rtnl held. */
	int (*ndo_del_slave)(struct net_device *dev, struct net_device *slave_dev);
};

/* ethtool's driver operations (ethtool -i, -g/-G, -c/-C, -l/-L, -S, -x/-X, -k/-K through
 * dev->features/hw_features). Unset slots make the command fail with -EOPNOTSUPP. */
struct ethtool_ops {
	void (*get_drvinfo)(struct net_device *dev, struct ethtool_drvinfo *info);
	u32 (*get_link)(struct net_device *dev);
	void (*get_ringparam)(struct net_device *dev, struct ethtool_ringparam *ring);
	int (*set_ringparam)(struct net_device *dev, struct ethtool_ringparam *ring);
	int (*get_coalesce)(struct net_device *dev, struct ethtool_coalesce *ec);
	int (*set_coalesce)(struct net_device *dev, struct ethtool_coalesce *ec);
	void (*get_channels)(struct net_device *dev, struct ethtool_channels *ch);
	int (*set_channels)(struct net_device *dev, struct ethtool_channels *ch);
	int (*get_sset_count)(struct net_device *dev, int sset);
	void (*get_strings)(struct net_device *dev, u32 stringset, u8 *data);
	void (*get_ethtool_stats)(struct net_device *dev, struct ethtool_stats *stats, u64 *data);
	u32 (*get_rxfh_indir_size)(struct net_device *dev);
	int (*get_rxfh_indir)(struct net_device *dev, u32 *indir);
	int (*set_rxfh_indir)(struct net_device *dev, const u32 *indir);
};
u32 ethtool_op_get_link(struct net_device *dev);	/* netif_carrier_ok */

/* A NAPI context: one per RX queue of a driver, plus one backlog per CPU. */
enum {
	NAPI_STATE_SCHED,	/* poll is scheduled (owned by one CPU's poll_list) */
	NAPI_STATE_DISABLE,	/* disable pending */
	NAPI_STATE_NPSVC,	/* netpoll: don't dequeue from poll_list */
};
struct napi_struct {
	/* On a CPU's softnet_data.poll_list while NAPI_STATE_SCHED is set. Only the CPU that
	 * set the bit touches this entry. */
	struct list_head poll_list;
	unsigned long state;
	int weight;			/* at most this many packets per poll (64) */
	unsigned int gro_count;
	/* Process up to @budget packets; return the number processed. Returning less than
	 * @budget means done: call napi_complete first. */
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
	struct sk_buff *gro_list;	/* packets GRO holds, newest first (net/gro.h) */
	struct sk_buff *skb;
	struct list_head dev_list;	/* on dev->napi_list */
};

typedef enum gro_result {
	GRO_MERGED,
	GRO_MERGED_FREE,
	GRO_HELD,
	GRO_NORMAL,
	GRO_DROP,
} gro_result_t;

/* A protocol handler (ip_rcv for ETH_P_IP) or a tap (af_packet, type ETH_P_ALL). */
struct packet_type {
	__be16 type;			/* htons(ETH_P_xxx); htons(ETH_P_ALL) for taps */
	struct net_device *dev;		/* NULL: every device */
	/* Consumes @skb (it holds a reference of its own: shared with other handlers, so
	 * clone or skb_share_check before changing it). Context: softirq (RX), or the
	 * transmitting context for TX copies to taps. */
	int (*func)(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev);
	void *af_packet_priv;		/* the tap's socket: its own TX is not looped to it */
	struct list_head list;
	/* DIVERGES: C has no %pF; /proc/net/ptype prints this name (set by the registrant). */
	const char *ul_func_name;
};

/* Per-CPU receive/transmit state (net_dev_init). */
struct softnet_data {
	struct Qdisc *output_queue;		/* qdiscs waiting for NET_TX (__netif_schedule) */
	struct Qdisc **output_queue_tailp;
	struct list_head poll_list;		/* NAPIs scheduled on this CPU */
	struct sk_buff *completion_queue;	/* dev_kfree_skb_irq: freed by NET_TX */
	struct sk_buff_head process_queue;	/* backlog packets being processed */

	/* stats: /proc/net/softnet_stat */
	unsigned int processed;			/* __netif_receive_skb_core runs */
	unsigned int time_squeeze;		/* net_rx_action left work (budget or time) */
	unsigned int cpu_collision;		/* NETDEV_TX_LOCKED collisions */
	unsigned int received_rps;		/* RPS IPIs received */
	unsigned int dropped;			/* backlog full (netdev_max_backlog) */

	unsigned int input_queue_head;
	unsigned int input_queue_tail;
	struct sk_buff_head input_pkt_queue;	/* netif_rx's backlog; lock = rps_lock */
	struct napi_struct backlog;		/* polls process_queue (process_backlog) */
	int cpu;
	/* RPS: the CPUs whose backlog this CPU scheduled and must still send an IPI to
	 * (rps_ipi_queued), linked through their rps_ipi_next; sent at the end of net_rx_action
	 * (net_rps_action_and_irq_enable). DIVERGES: pushed and taken with atomics, not with
	 * local IRQs off (ulnet's local_irq_disable masks nothing). */
	struct softnet_data *rps_ipi_list;
	struct softnet_data *rps_ipi_next;
};
DECLARE_PER_CPU(struct softnet_data, softnet_data);

/* RPS: the CPUs of one RX queue (/sys/class/net/DEV/queues/rx-N/rps_cpus, store_rps_map). */
struct rps_map {
	unsigned int len;
	struct rps_map *ul_retired;	/* next on netdev_rx_queue.ul_retired */
	u16 cpus[];
};
#define RPS_MAP_SIZE(_num) (sizeof(struct rps_map) + ((_num) * sizeof(u16)))

/* One RX queue's receive steering state (netdev_rx_queue). DIVERGES: no RFS flow table
 * (rps_flow_cnt stays 0). */
struct netdev_rx_queue {
	struct rps_map *rps_map;
	struct net_device *dev;
	/* DIVERGES: no RCU: the maps this queue's rps_map replaced, kept until free_netdev so
	 * that a reader on another CPU never sees freed memory. */
	struct rps_map *ul_retired;
};

struct net_device {
	char name[IFNAMSIZ];		/* "eth%d" until registered, then "eth0" */
	struct hlist_node name_hlist;	/* net->dev_name_head */
	char *ifalias;
	unsigned long mem_end, mem_start, base_addr;	/* (for ifconfig's view only) */
	unsigned int irq;

	unsigned long state;		/* __LINK_STATE_* */

	struct list_head dev_list;	/* net->dev_base_head, in registration order */
	struct list_head napi_list;
	struct list_head unreg_list;
	struct list_head todo_list;
	struct hlist_node index_hlist;	/* net->dev_index_head */

	netdev_features_t features;	/* active */
	netdev_features_t hw_features;	/* user-changeable (ethtool -K) */
	netdev_features_t wanted_features;
	netdev_features_t vlan_features;

	int ifindex;
	int iflink;

	struct net_device_stats stats;	/* driver-kept counters (default ndo_get_stats64) */
	atomic_long_t rx_dropped;	/* dropped by the core (backlog full, no handler) */
	atomic_long_t tx_dropped;

	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	const struct header_ops *header_ops;

	unsigned int flags;		/* IFF_* as set by the user/driver (see dev_get_flags) */
	unsigned int priv_flags;	/* IFF_* private (IFF_XMIT_DST_RELEASE, IFF_EBRIDGE...) */
	unsigned short gflags;		/* IFF_PROMISC/IFF_ALLMULTI asked by the user */
	unsigned int promiscuity;	/* users of promiscuous mode (packet taps...) */
	unsigned int allmulti;
	unsigned char operstate;	/* RFC 2863 IF_OPER_* */
	unsigned char link_mode;

	unsigned int mtu;
	unsigned short type;		/* ARPHRD_* */
	unsigned short hard_header_len;	/* link header length (ETH_HLEN) */
	unsigned short needed_headroom;
	unsigned short needed_tailroom;

	unsigned char perm_addr[MAX_ADDR_LEN];
	unsigned char addr_assign_type;	/* NET_ADDR_* */
	unsigned char addr_len;
	unsigned short dev_id;
	unsigned char dev_addr[MAX_ADDR_LEN];
	unsigned char broadcast[MAX_ADDR_LEN];

	/* Protocol state, filled in by the protocols (devinet, neighbour...). */
	struct in_device *ip_ptr;
	void *ip6_ptr;

	/* RX */
	unsigned int num_rx_queues;
	unsigned int real_num_rx_queues;
	rx_handler_func_t *rx_handler;
	void *rx_handler_data;
	struct netdev_queue *ingress_queue;
	/* num_rx_queues entries, allocated by the first write to a queue's rps_cpus (DIVERGES:
	 * Linux allocates them in alloc_netdev_mqs); NULL: no RPS on any queue. */
	struct netdev_rx_queue *_rx;

	/* TX */
	struct netdev_queue *_tx;	/* num_tx_queues entries */
	unsigned int num_tx_queues;
	unsigned int real_num_tx_queues;
	struct Qdisc *qdisc;		/* root qdisc (what `tc qdisc show` lists) */
	unsigned long tx_queue_len;	/* max frames per queue (txqueuelen) */
	unsigned long trans_start;
	int watchdog_timeo;
	struct timer_list watchdog_timer;

	atomic_t refcnt;		/* dev_hold/dev_put */

	unsigned char reg_state;	/* NETREG_* */
	bool dismantle;
	void (*destructor)(struct net_device *dev);	/* run after unregistration */

	struct net *nd_net;		/* the namespace (dev_net) */

	/* Per-CPU stats of software devices (loopback: lstats). */
	union {
		void *ml_priv;
		struct pcpu_lstats *lstats;	/* nr_cpu_ids entries */
	};

	unsigned int gso_max_size;
	u16 gso_max_segs;

	/* ulnet: bytes of private area behind the struct (netdev_priv), and the bytes
	 * skipped to align the struct (as Linux's dev->padded). */
	int priv_size;
	unsigned short padded;

	/* The link kind that created the device (ip link add ... type KIND), or NULL;
	 * net/rtnetlink.h. */
	const struct rtnl_link_ops *rtnl_link_ops;

	/* The device this one is enslaved to (a bridge port's bridge), or NULL; set and
	 * cleared by the master's ndo_add_slave/ndo_del_slave under rtnl.
	 * DIVERGES: 3.10 keeps it in dev->upper_dev_list (netdev_master_upper_dev_link). */
	struct net_device *master;
};
/* 3.10's netdev_master_upper_dev_get: @dev's master, or NULL. rtnl held. */
static inline struct net_device *netdev_master_upper_dev_get(struct net_device *dev)
{
	return dev->master;
}
#define NETDEV_PRIV_OFFSET ALIGN(sizeof(struct net_device), NETDEV_ALIGN)
static inline void *netdev_priv(const struct net_device *dev)
{
	return (char *)dev + NETDEV_PRIV_OFFSET;
}

static inline struct net *dev_net(const struct net_device *dev)
{
	return dev->nd_net;
}
static inline void dev_net_set(struct net_device *dev, struct net *net)
{
	dev->nd_net = net;
}
static inline struct netdev_queue *netdev_get_tx_queue(const struct net_device *dev,
						       unsigned int index)
{
	return &dev->_tx[index];
}
static inline bool netif_is_multiqueue(const struct net_device *dev)
{
	return dev->num_tx_queues > 1;
}

/* ---- netdevice notifier events (3.10 values; ptr is the struct net_device) ---- */
#define NETDEV_UP		0x0001
#define NETDEV_DOWN		0x0002
#define NETDEV_REBOOT		0x0003
#define NETDEV_CHANGE		0x0004	/* flags/operstate changed */
#define NETDEV_REGISTER		0x0005
#define NETDEV_UNREGISTER	0x0006
#define NETDEV_CHANGEMTU	0x0007
#define NETDEV_CHANGEADDR	0x0008
#define NETDEV_GOING_DOWN	0x0009
#define NETDEV_CHANGENAME	0x000A
#define NETDEV_FEAT_CHANGE	0x000B
#define NETDEV_BONDING_FAILOVER	0x000C
#define NETDEV_PRE_UP		0x000D
#define NETDEV_PRE_TYPE_CHANGE	0x000E
#define NETDEV_POST_TYPE_CHANGE	0x000F
#define NETDEV_POST_INIT	0x0010
#define NETDEV_UNREGISTER_FINAL	0x0011
#define NETDEV_RELEASE		0x0012
#define NETDEV_NOTIFY_PEERS	0x0013
#define NETDEV_JOIN		0x0014

/* Register a notifier; it is replayed NETDEV_REGISTER and NETDEV_UP for the devices that
 * exist (as Linux). Takes rtnl_lock. */
int register_netdevice_notifier(struct notifier_block *nb);
int unregister_netdevice_notifier(struct notifier_block *nb);
/* Caller holds rtnl_lock. Returns the chain's NOTIFY_* result. */
int call_netdevice_notifiers(unsigned long val, struct net_device *dev);
/* (3.11+ API shape; here the notifier's ptr is the device itself.) */
static inline struct net_device *netdev_notifier_info_to_dev(void *ptr)
{
	return (struct net_device *)ptr;
}
const char *netdev_cmd_to_name(unsigned long cmd);

/* ---- allocation and registration (dev.c) ---- */

/* A zeroed device with @sizeof_priv bytes of private area, @txqs TX queues, named @name
 * ("eth%d" is numbered at registration), set up by @setup (ether_setup, loopback_setup).
 * NULL on error. Context: process. */
struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
				    void (*setup)(struct net_device *dev), unsigned int txqs,
				    unsigned int rxqs);
#define alloc_netdev(sizeof_priv, name, setup) alloc_netdev_mqs(sizeof_priv, name, setup, 1, 1)
/* Free a device that was never registered or has been unregistered. If references are
 * still held (dev_hold), the memory goes when the last dev_put drops. */
void free_netdev(struct net_device *dev);

/* register_netdev takes rtnl_lock; register_netdevice expects it held. The device joins
 * dev_net(dev) (set with dev_net_set; default init_net). 0 or -EEXIST (name taken),
 * -EINVAL (bad name), the ndo_init error, -ENOMEM. */
int register_netdev(struct net_device *dev);
int register_netdevice(struct net_device *dev);
/* Close the device, detach it from everything, free its queued packets; the destructor (if
 * any) runs at rtnl_unlock. */
void unregister_netdev(struct net_device *dev);
/* Move a registered device to @net (ip link set DEV netns NS). Caller holds rtnl. 0, -EINVAL
 * (lo: NETIF_F_NETNS_LOCAL; unregistered), -EEXIST (name taken in @net and no @pat). */
int dev_change_net_namespace(struct net_device *dev, struct net *net, const char *pat);
void unregister_netdevice_queue(struct net_device *dev, struct list_head *head);
void unregister_netdevice_many(struct list_head *head);
static inline void unregister_netdevice(struct net_device *dev)
{
	unregister_netdevice_queue(dev, NULL);
}
/* Run the destructors of unregistered devices (called by rtnl_unlock). */
void netdev_run_todo(void);
int dev_alloc_name(struct net_device *dev, const char *name);
bool dev_valid_name(const char *name);

/* ---- lookup ---- */
struct net_device *__dev_get_by_name(struct net *net, const char *name);	/* no ref */
struct net_device *dev_get_by_name(struct net *net, const char *name);	/* dev_hold'ed */
struct net_device *dev_get_by_name_rcu(struct net *net, const char *name);
struct net_device *__dev_get_by_index(struct net *net, int ifindex);
struct net_device *dev_get_by_index(struct net *net, int ifindex);
struct net_device *dev_get_by_index_rcu(struct net *net, int ifindex);
void dev_hold(struct net_device *dev);
void dev_put(struct net_device *dev);
int netdev_refcnt_read(const struct net_device *dev);

#define for_each_netdev(net, d) list_for_each_entry(d, &(net)->dev_base_head, dev_list)
#define for_each_netdev_reverse(net, d) \
	list_for_each_entry_reverse(d, &(net)->dev_base_head, dev_list)
#define for_each_netdev_safe(net, d, n) \
	list_for_each_entry_safe(d, n, &(net)->dev_base_head, dev_list)
#define for_each_netdev_rcu(net, d) for_each_netdev(net, d)

/* ---- administrative state (caller holds rtnl_lock) ---- */
int dev_open(struct net_device *dev);	/* ip link set DEV up */
int dev_close(struct net_device *dev);	/* ip link set DEV down */
int dev_change_flags(struct net_device *dev, unsigned int flags);
unsigned int dev_get_flags(const struct net_device *dev);	/* with IFF_RUNNING etc. */
int dev_set_mtu(struct net_device *dev, int new_mtu);
int dev_set_mac_address(struct net_device *dev, struct sockaddr *sa);
int dev_change_name(struct net_device *dev, const char *newname);
/* Count users of promiscuous/all-multicast mode (IFF_PROMISC while > 0). */
int dev_set_promiscuity(struct net_device *dev, int inc);
int dev_set_allmulti(struct net_device *dev, int inc);
void netdev_state_change(struct net_device *dev);
/* ---- features (dev_features.c): 3.10's rules and ethtool -K's recomputation ---- */
/* What the user asked for: the fixed features as they are, the changeable ones as wanted. */
static inline netdev_features_t netdev_get_wanted_features(struct net_device *dev)
{
	return (dev->features & ~dev->hw_features) | dev->wanted_features;
}
/* @features with the dependent offloads dropped (TSO/GSO/UFO need SG, UFO a checksum...). */
netdev_features_t netdev_fix_features(struct net_device *dev, netdev_features_t features);
/* Recompute dev->features (rtnl held): 1 changed, 0 not, -1 the driver refused. */
int __netdev_update_features(struct net_device *dev);
/* Same, and NETDEV_FEAT_CHANGE when anything happened. */
void netdev_update_features(struct net_device *dev);
void netdev_features_change(struct net_device *dev);
/* Sum of driver counters and core drops. */
struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev,
					struct rtnl_link_stats64 *storage);
void netdev_stats_to_stats64(struct rtnl_link_stats64 *stats64,
			     const struct net_device_stats *netdev_stats);

/* ---- carrier and operstate ---- */
static inline bool netif_running(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_START, &dev->state);
}
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return !test_bit(__LINK_STATE_NOCARRIER, &dev->state);
}
static inline bool netif_device_present(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_PRESENT, &dev->state);
}
static inline bool netif_dormant(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_DORMANT, &dev->state);
}
static inline bool netif_oper_up(const struct net_device *dev)
{
	return dev->operstate == IF_OPER_UP || dev->operstate == IF_OPER_UNKNOWN;
}
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);
/* DIVERGES: Linux defers operstate updates to the linkwatch work (up to 1 s); ulnet applies
 * them at once. */
void linkwatch_fire_event(struct net_device *dev);

/* ---- TX queue control (drivers) ---- */
void __netif_schedule(struct Qdisc *q);
static inline void netif_tx_start_queue(struct netdev_queue *dev_queue)
{
	clear_bit(__QUEUE_STATE_DRV_XOFF, &dev_queue->state);
}
static inline void netif_start_queue(struct net_device *dev)
{
	netif_tx_start_queue(netdev_get_tx_queue(dev, 0));
}
static inline void netif_tx_start_all_queues(struct net_device *dev)
{
	unsigned int i;
	for (i = 0; i < dev->num_tx_queues; i++)
		netif_tx_start_queue(netdev_get_tx_queue(dev, i));
}
/* Restart a stopped queue and schedule its qdisc (NET_TX) to send what waits. */
void netif_tx_wake_queue(struct netdev_queue *dev_queue);
static inline void netif_wake_queue(struct net_device *dev)
{
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
}
static inline void netif_tx_wake_all_queues(struct net_device *dev)
{
	unsigned int i;
	for (i = 0; i < dev->num_tx_queues; i++)
		netif_tx_wake_queue(netdev_get_tx_queue(dev, i));
}
static inline void netif_tx_stop_queue(struct netdev_queue *dev_queue)
{
	set_bit(__QUEUE_STATE_DRV_XOFF, &dev_queue->state);
}
static inline void netif_stop_queue(struct net_device *dev)
{
	netif_tx_stop_queue(netdev_get_tx_queue(dev, 0));
}
static inline void netif_tx_stop_all_queues(struct net_device *dev)
{
	unsigned int i;
	for (i = 0; i < dev->num_tx_queues; i++)
		netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
}
static inline bool netif_tx_queue_stopped(const struct netdev_queue *dev_queue)
{
	return test_bit(__QUEUE_STATE_DRV_XOFF, &dev_queue->state);
}
static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0));
}
static inline bool netif_xmit_stopped(const struct netdev_queue *dev_queue)
{
	return dev_queue->state & QUEUE_STATE_ANY_XOFF;
}
static inline bool netif_xmit_frozen_or_stopped(const struct netdev_queue *dev_queue)
{
	return dev_queue->state & QUEUE_STATE_ANY_XOFF_OR_FROZEN;
}
static inline void netif_start_subqueue(struct net_device *dev, u16 queue_index)
{
	netif_tx_start_queue(netdev_get_tx_queue(dev, queue_index));
}
static inline void netif_stop_subqueue(struct net_device *dev, u16 queue_index)
{
	netif_tx_stop_queue(netdev_get_tx_queue(dev, queue_index));
}
static inline bool __netif_subqueue_stopped(const struct net_device *dev, u16 queue_index)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(dev, queue_index));
}
static inline void netif_wake_subqueue(struct net_device *dev, u16 queue_index)
{
	netif_tx_wake_queue(netdev_get_tx_queue(dev, queue_index));
}
int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq);
int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq);

/* TX queue lock (HARD_TX_LOCK in dev.c skips it for NETIF_F_LLTX devices). */
static inline void __netif_tx_lock(struct netdev_queue *txq, int cpu)
{
	spin_lock(&txq->_xmit_lock);
	txq->xmit_lock_owner = cpu;
}
static inline void __netif_tx_lock_bh(struct netdev_queue *txq)
{
	spin_lock_bh(&txq->_xmit_lock);
	txq->xmit_lock_owner = smp_processor_id();
}
static inline bool __netif_tx_trylock(struct netdev_queue *txq)
{
	bool ok = spin_trylock(&txq->_xmit_lock);
	if (likely(ok))
		txq->xmit_lock_owner = smp_processor_id();
	return ok;
}
static inline void __netif_tx_unlock(struct netdev_queue *txq)
{
	txq->xmit_lock_owner = -1;
	spin_unlock(&txq->_xmit_lock);
}
static inline void __netif_tx_unlock_bh(struct netdev_queue *txq)
{
	txq->xmit_lock_owner = -1;
	spin_unlock_bh(&txq->_xmit_lock);
}
static inline void txq_trans_update(struct netdev_queue *txq)
{
	if (txq->xmit_lock_owner != -1)
		txq->trans_start = jiffies;
}
void netif_tx_lock(struct net_device *dev);
void netif_tx_unlock(struct net_device *dev);
static inline void netif_tx_lock_bh(struct net_device *dev)
{
	local_bh_disable();
	netif_tx_lock(dev);
}
static inline void netif_tx_unlock_bh(struct net_device *dev)
{
	netif_tx_unlock(dev);
	local_bh_enable();
}

/* ---- transmit ---- */
/* Queue @skb for transmission on skb->dev. Consumes @skb on every path. Returns
 * NET_XMIT_SUCCESS/NET_XMIT_CN, NET_XMIT_DROP, or -ENETDOWN (noqueue device down),
 * -EINVAL (no skb->dev). Context: process or softirq (takes rcu_read_lock_bh). */
int dev_queue_xmit(struct sk_buff *skb);
/* Hand @skb to the driver (taps first). Context: BH off, txq locked (unless LLTX).
 * Returns the driver's code; on NETDEV_TX_BUSY the skb is still the caller's. */
int dev_hard_start_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq);
/* Give a clone of an outgoing @skb to every ptype_all tap (tcpdump sees TX). */
void dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev);
struct netdev_queue *netdev_pick_tx(struct net_device *dev, struct sk_buff *skb);
/* Compute a CHECKSUM_PARTIAL checksum in software. 0 or -errno. */
int skb_checksum_help(struct sk_buff *skb);
/* Free from hard-IRQ context (TX completion): deferred to NET_TX's completion_queue. */
void dev_kfree_skb_irq(struct sk_buff *skb);
void dev_kfree_skb_any(struct sk_buff *skb);
#define dev_kfree_skb(a) consume_skb(a)
/* Build the link header (dev->header_ops->create). */
static inline int dev_hard_header(struct sk_buff *skb, struct net_device *dev,
				  unsigned short type, const void *daddr, const void *saddr,
				  unsigned int len)
{
	if (!dev->header_ops || !dev->header_ops->create)
		return 0;
	return dev->header_ops->create(skb, dev, type, daddr, saddr, len);
}
static inline int dev_parse_header(const struct sk_buff *skb, unsigned char *haddr)
{
	const struct net_device *dev = skb->dev;
	if (!dev->header_ops || !dev->header_ops->parse)
		return 0;
	return dev->header_ops->parse(skb, haddr);
}
/* Loop a packet back into the stack of @dev's namespace (veth: dev_forward_skb). */
int dev_forward_skb(struct net_device *dev, struct sk_buff *skb);

/* ---- receive ---- */
/* Queue @skb on this CPU's backlog (software devices, non-NAPI drivers). Consumes @skb.
 * NET_RX_SUCCESS or NET_RX_DROP (backlog full: softnet dropped, dev rx_dropped, reason
 * CPU_BACKLOG). Context: interrupt or BH-disabled; use netif_rx_ni from a task. */
int netif_rx(struct sk_buff *skb);
int netif_rx_ni(struct sk_buff *skb);
/* Deliver @skb now (from a NAPI poll). Consumes @skb. Context: softirq. */
int netif_receive_skb(struct sk_buff *skb);
int __netif_receive_skb(struct sk_buff *skb);
/* RPS: the CPU whose backlog takes @skb (the map of its RX queue indexed by the flow hash),
 * or -1 (no map: this CPU, no backlog). Context: softirq or BH-disabled. */
int get_rps_cpu(struct net_device *dev, struct sk_buff *skb);
gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);
void napi_gro_flush(struct napi_struct *napi, bool flush_old);

/* ---- NAPI ---- */
/* @weight above NAPI_POLL_WEIGHT (64) is reported once, as Linux. The NAPI starts disabled
 * (SCHED set) until napi_enable. */
void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight);
void netif_napi_del(struct napi_struct *napi);
static inline bool napi_disable_pending(const struct napi_struct *n)
{
	return test_bit(NAPI_STATE_DISABLE, &n->state);
}
/* True if the caller now owns the right to schedule @n. */
static inline bool napi_schedule_prep(struct napi_struct *n)
{
	return !napi_disable_pending(n) && !test_and_set_bit(NAPI_STATE_SCHED, &n->state);
}
/* Put @n on this CPU's poll list and raise NET_RX_SOFTIRQ. Context: IRQ or BH off. */
void __napi_schedule(struct napi_struct *n);
static inline void napi_schedule(struct napi_struct *n)
{
	if (napi_schedule_prep(n))
		__napi_schedule(n);
}
/* Poll is done: leave the poll list (interrupts may be re-enabled after). */
void __napi_complete(struct napi_struct *n);
void napi_complete(struct napi_struct *n);
void napi_disable(struct napi_struct *n);
void napi_enable(struct napi_struct *n);

/* ---- packet handlers ---- */
extern struct list_head ptype_all;	/* taps (ETH_P_ALL) */
#define PTYPE_HASH_SIZE	16
#define PTYPE_HASH_MASK	(PTYPE_HASH_SIZE - 1)
extern struct list_head ptype_base[PTYPE_HASH_SIZE];
void dev_add_pack(struct packet_type *pt);
void dev_remove_pack(struct packet_type *pt);
void __dev_remove_pack(struct packet_type *pt);
int netdev_rx_handler_register(struct net_device *dev, rx_handler_func_t *rx_handler,
			       void *rx_handler_data);	/* -EBUSY if one is set */
void netdev_rx_handler_unregister(struct net_device *dev);

/* ---- timestamps ---- */
void net_enable_timestamp(void);
void net_disable_timestamp(void);

/* ---- boot (net_dev_init: per-CPU softnet_data, NET_TX/NET_RX softirqs) ---- */
int net_dev_init(void);
void net_dev_fini(void);	/* frees every skb still on a softnet queue; resets globals */

/* ---- net.core globals (sysctl_net_core.c, dev.c) ---- */
extern int netdev_max_backlog;		/* 1000 */
extern int netdev_tstamp_prequeue;	/* 1 */
extern int weight_p;			/* dev_weight, 64 */
extern int netdev_budget;		/* 300 */
extern __u32 sysctl_wmem_max, sysctl_rmem_max, sysctl_wmem_default, sysctl_rmem_default;
extern int sysctl_optmem_max;
extern int net_msg_warn;		/* net.core.warnings */
/* Rate limit of the stack's messages (net.core.message_cost / message_burst). */
int net_ratelimit(void);
#define net_crit_ratelimited(fmt, ...) \
	do { if (net_ratelimit()) printk(KERN_ERR fmt, ##__VA_ARGS__); } while (0)
#define net_warn_ratelimited(fmt, ...) \
	do { if (net_ratelimit()) printk(KERN_WARNING fmt, ##__VA_ARGS__); } while (0)
#define net_info_ratelimited(fmt, ...) \
	do { if (net_ratelimit()) printk(KERN_INFO fmt, ##__VA_ARGS__); } while (0)
#define net_dbg_ratelimited(fmt, ...) \
	do { if (net_ratelimit()) printk(KERN_DEBUG fmt, ##__VA_ARGS__); } while (0)
int sysctl_core_init(void);
void sysctl_core_fini(void);
/* /proc/net/dev, /proc/net/softnet_stat, /proc/net/ptype (net-procfs.c). */
int dev_proc_init(void);
void dev_proc_fini(void);

/* Loopback (drivers/net/loopback.c): the pernet device that creates "lo". */
extern struct pernet_operations loopback_net_ops;

#endif
