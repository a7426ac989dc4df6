/* SPDX-License-Identifier: MIT */
/* Virtual Ethernet pairs: a frame sent on one end is received on the other, possibly in
 * another namespace (book ch5: how containers talk to the host).
 * Mirrors linux/drivers/net/veth.c (3.10): veth_xmit, veth_stats_one, veth_get_stats64,
 * veth_open, veth_close, veth_change_mtu, veth_dev_init, veth_dev_free, veth_setup,
 * veth_newlink, veth_dellink, veth_get_drvinfo, veth_get_strings, veth_get_sset_count,
 * veth_get_ethtool_stats.
 *
 * Path: dev_queue_xmit (noqueue: straight to the driver) -> veth_xmit -> dev_forward_skb on
 * the peer (scrub: orphan, dst dropped, timestamp cleared, PACKET_HOST; eth_type_trans
 * with the peer as skb->dev) -> netif_rx: the transmitting CPU's backlog -> NET_RX in the
 * peer's namespace.
 * Counters as 3.10: each end counts what it transmitted (per-CPU packets/bytes) and what it
 * failed to hand over (priv->dropped: peer down, frame too big, peer backlog full); its rx
 * side is the peer's tx side (veth_get_stats64), so a drop shows as tx_dropped here and as
 * rx_dropped on the peer (plus the core's own rx_dropped there).
 *
 * Locking: the pair is created and destroyed under rtnl; veth_xmit reads priv->peer
 * without a lock (RCU in Linux; see the DIVERGES note of linux/spinlock.h). */
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/percpu.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "linux/veth.h"
#include "net/dst.h"
#include "net/net_namespace.h"
#include "net/rtnetlink.h"
#include "trace/path.h"

#define MIN_MTU 68		/* Min L3 MTU */
#define MAX_MTU 65535		/* Max L3 MTU (arbitrary) */
#define MTU_PAD (ETH_HLEN + 4)	/* Max difference between L2 and L3 size MTU */

struct pcpu_vstats {
	u64 packets;
	u64 bytes;
};

struct veth_priv {
	struct net_device *peer;	/* the other end; NULL once the pair is torn down */
	atomic_long_t dropped;		/* frames this end could not hand to the peer */
	struct pcpu_vstats *vstats;	/* nr_cpu_ids slots (alloc_percpu in Linux) */
};

static const struct net_device_ops veth_netdev_ops;

bool netif_is_veth(const struct net_device *dev)
{
	return dev && dev->netdev_ops == &veth_netdev_ops;
}

struct net_device *veth_peer(const struct net_device *dev)
{
	if (!netif_is_veth(dev))
		return NULL;
	return rcu_dereference(((struct veth_priv *)netdev_priv(dev))->peer);
}

/* ---- ethtool ---- */

static const char ethtool_stats_keys[][ETH_GSTRING_LEN] = {
	"peer_ifindex",
};

static void veth_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	snprintf(info->driver, sizeof(info->driver), "%s", VETH_DRV_NAME);
	snprintf(info->version, sizeof(info->version), "%s", VETH_DRV_VERSION);
}

static void veth_get_strings(struct net_device *dev, u32 stringset, u8 *buf)
{
	if (stringset == ETH_SS_STATS)
		memcpy(buf, ethtool_stats_keys, sizeof(ethtool_stats_keys));
}

static int veth_get_sset_count(struct net_device *dev, int sset)
{
	if (sset == ETH_SS_STATS)
		return (int)ARRAY_SIZE(ethtool_stats_keys);
	return -EOPNOTSUPP;
}

static void veth_get_ethtool_stats(struct net_device *dev, struct ethtool_stats *stats,
				   u64 *data)
{
	struct net_device *peer = veth_peer(dev);

	data[0] = peer ? (u64)peer->ifindex : 0;
}

static const struct ethtool_ops veth_ethtool_ops = {
	.get_drvinfo = veth_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_strings = veth_get_strings,
	.get_sset_count = veth_get_sset_count,
	.get_ethtool_stats = veth_get_ethtool_stats,
};

/* ---- transmit ---- */

/* Hand @skb to the peer. Consumes @skb on every path; always NETDEV_TX_OK (a frame the peer
 * cannot take is counted in this end's dropped, never requeued).
 * Context: BH off (dev_queue_xmit), no TX lock (LLTX). */
static netdev_tx_t veth_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	struct net_device *rcv;
	unsigned int length = skb->len;

	UL_TRACE(skb);
	rcu_read_lock();
	rcv = rcu_dereference(priv->peer);
	if (unlikely(!rcv)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		goto drop;
	}
	/* A frame the sender did not checksum (CHECKSUM_NONE) is trusted by a peer that
	 * offers RX checksumming; CHECKSUM_PARTIAL stays as it is, or forwarded packets would
	 * leave with a bad checksum (3.10). */
	if (skb->ip_summed == CHECKSUM_NONE && (rcv->features & NETIF_F_RXCSUM))
		skb->ip_summed = CHECKSUM_UNNECESSARY;

	if (likely(dev_forward_skb(rcv, skb) == NET_RX_SUCCESS)) {
		/* BHs are off: this CPU's slot is ours. */
		struct pcpu_vstats *stats = &priv->vstats[smp_processor_id()];

		stats->bytes += length;
		stats->packets++;
	} else {
drop:
		atomic_long_inc(&priv->dropped);
	}
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

/* Sum @dev's per-CPU transmit counters into @result; returns its dropped count. */
static u64 veth_stats_one(struct pcpu_vstats *result, struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	int cpu;

	result->packets = 0;
	result->bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct pcpu_vstats *stats = &priv->vstats[cpu];

		result->packets += READ_ONCE(stats->packets);
		result->bytes += READ_ONCE(stats->bytes);
	}
	return (u64)atomic_long_read(&priv->dropped);
}

/* tx: this end's counters; rx: the peer's tx counters (what the peer handed over). The
 * core adds its own rx_dropped/tx_dropped (dev_get_stats). */
static struct rtnl_link_stats64 *veth_get_stats64(struct net_device *dev,
						  struct rtnl_link_stats64 *tot)
{
	struct net_device *peer;
	struct pcpu_vstats one;

	tot->tx_dropped = veth_stats_one(&one, dev);
	tot->tx_bytes = one.bytes;
	tot->tx_packets = one.packets;

	rcu_read_lock();
	peer = veth_peer(dev);
	if (peer) {
		tot->rx_dropped = veth_stats_one(&one, peer);
		tot->rx_bytes = one.bytes;
		tot->rx_packets = one.packets;
	}
	rcu_read_unlock();
	return tot;
}

/* ---- administrative state (rtnl held) ---- */

/* The link is up when both ends are: opening the second end turns both carriers on. */
static int veth_open(struct net_device *dev)
{
	struct net_device *peer = veth_peer(dev);

	if (!peer)
		return -ENOTCONN;
	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int veth_close(struct net_device *dev)
{
	struct net_device *peer = veth_peer(dev);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return 0;
}

static int is_valid_veth_mtu(int new_mtu)
{
	return new_mtu >= MIN_MTU && new_mtu <= MAX_MTU;
}

static int veth_change_mtu(struct net_device *dev, int new_mtu)
{
	if (!is_valid_veth_mtu(new_mtu))
		return -EINVAL;
	dev->mtu = (unsigned int)new_mtu;
	return 0;
}

/* DIVERGES: alloc_percpu is an array of nr_cpu_ids slots from kcalloc. */
static int veth_dev_init(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);

	priv->vstats = kcalloc((size_t)nr_cpu_ids, sizeof(struct pcpu_vstats), GFP_KERNEL);
	if (!priv->vstats)
		return -ENOMEM;
	return 0;
}

/* The other half of veth_dellink: whichever way one end goes (ip link del, the death of its
 * namespace), the peer goes with it. The pointers are cut first so that the peer's own
 * uninit finds no peer; a peer already in the same batch (state UNREGISTERING) is left to
 * it. Context: rtnl held, inside rollback_registered_many. */
static void veth_dev_uninit(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);
	struct net_device *peer = priv->peer;

	if (!peer)
		return;
	rcu_assign_pointer(priv->peer, NULL);
	rcu_assign_pointer(((struct veth_priv *)netdev_priv(peer))->peer, NULL);
	if (peer->reg_state == NETREG_REGISTERED)
		unregister_netdevice_queue(peer, NULL);
}

static void veth_dev_free(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);

	kfree(priv->vstats);
	priv->vstats = NULL;
	free_netdev(dev);
}

static const struct net_device_ops veth_netdev_ops = {
	.ndo_init = veth_dev_init,
	.ndo_uninit = veth_dev_uninit,
	.ndo_open = veth_open,
	.ndo_stop = veth_close,
	.ndo_start_xmit = veth_xmit,
	.ndo_change_mtu = veth_change_mtu,
	.ndo_get_stats64 = veth_get_stats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

#define VETH_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_ALL_TSO | NETIF_F_HW_CSUM | \
		       NETIF_F_RXCSUM | NETIF_F_HIGHDMA | NETIF_F_HW_VLAN_CTAG_TX | \
		       NETIF_F_HW_VLAN_CTAG_RX)

/* 3.10: an Ethernet device without a queue (txqueuelen 0: noqueue), lockless TX. */
static void veth_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->tx_queue_len = 0;
	dev->netdev_ops = &veth_netdev_ops;
	dev->ethtool_ops = &veth_ethtool_ops;
	dev->features |= NETIF_F_LLTX;
	dev->features |= VETH_FEATURES;
	dev->vlan_features = dev->features &
			     ~(NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX);
	dev->hw_features = VETH_FEATURES;
	dev->destructor = veth_dev_free;
}

/* ---- creation (veth_newlink) ---- */

static struct net_device *veth_alloc(struct net *net, const char *name)
{
	struct net_device *dev;

	if (name && !dev_valid_name(name))
		return ERR_PTR(-EINVAL);
	dev = alloc_netdev(sizeof(struct veth_priv), name ? name : "veth%d", veth_setup);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev_net_set(dev, net);
	eth_hw_addr_random(dev);
	/* The "veth" kind of `ip link add` (rtnetlink.c), so that `ip -d link` names it; NULL
	 * when the kind table was never set up, which changes nothing else. */
	dev->rtnl_link_ops = rtnl_link_ops_get(VETH_DRV_NAME);
	return dev;
}

/* An unregistered device whose ndo_init may have run (register_netdevice failed late). */
static void veth_free_unregistered(struct net_device *dev)
{
	struct veth_priv *priv = netdev_priv(dev);

	kfree(priv->vstats);
	priv->vstats = NULL;
	free_netdev(dev);
}

int __veth_create(struct net *net, const char *name, struct net *peer_net,
		  const char *peer_name)
{
	struct net_device *peer, *dev;
	struct veth_priv *priv;
	int err;

	ASSERT_RTNL();
	if (!net || !peer_net)
		return -EINVAL;

	/* The peer first, as Linux: its name is checked in its own namespace. */
	peer = veth_alloc(peer_net, peer_name);
	if (IS_ERR(peer))
		return (int)PTR_ERR(peer);
	err = register_netdevice(peer);
	if (err < 0)
		goto err_register_peer;
	netif_carrier_off(peer);

	dev = veth_alloc(net, name);
	if (IS_ERR(dev)) {
		err = (int)PTR_ERR(dev);
		goto err_alloc_dev;
	}
	err = register_netdevice(dev);
	if (err < 0)
		goto err_register_dev;
	netif_carrier_off(dev);

	priv = netdev_priv(dev);
	rcu_assign_pointer(priv->peer, peer);
	priv = netdev_priv(peer);
	rcu_assign_pointer(priv->peer, dev);
	return 0;

err_register_dev:
	veth_free_unregistered(dev);
err_alloc_dev:
	/* The peer has no peer yet: its uninit does nothing more. */
	unregister_netdevice(peer);
	return err;

err_register_peer:
	veth_free_unregistered(peer);
	return err;
}

int veth_create(struct net *net, const char *name, struct net *peer_net, const char *peer_name)
{
	int err;

	rtnl_lock();
	err = __veth_create(net, name, peer_net, peer_name);
	rtnl_unlock();
	return err;
}
