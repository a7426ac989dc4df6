/* SPDX-License-Identifier: MIT */
/* The loopback device "lo": every packet it sends comes straight back in on the same CPU
 * (book ch5: no NIC, but the whole stack and the NET_RX softirq).
 * Mirrors linux/drivers/net/loopback.c (3.10): loopback_xmit, loopback_get_stats64,
 * always_on, loopback_dev_init, loopback_dev_free, loopback_setup, loopback_net_init.
 *
 * One lo per namespace, registered by a pernet device op so that it is the first device in
 * (ifindex 1) and the last out. MTU 65536 and txqueuelen 0 (noqueue) as 3.10.4 (facts.md
 * §1.4; kernels before 3.3 used 16436). */
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "net/dst.h"
#include "linux/percpu.h"
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "trace/path.h"

/* Context: BH off (dev_queue_xmit), lo's TX lock not taken (LLTX). The packet is counted
 * once: lo's rx and tx counters are the same numbers (loopback_get_stats64). */
static netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pcpu_lstats *lb_stats;
	unsigned int len;

	UL_TRACE(skb);
	skb_orphan(skb);
	/* Before queueing this packet to netif_rx(), make sure dst is refcounted. */
	skb_dst_force(skb);
	skb->protocol = eth_type_trans(skb, dev);
	/* it's OK to use this CPU's slot: BHs are off */
	lb_stats = &dev->lstats[smp_processor_id()];
	len = skb->len;
	if (likely(netif_rx(skb) == NET_RX_SUCCESS)) {
		lb_stats->bytes += len;
		lb_stats->packets++;
	}
	return NETDEV_TX_OK;
}

static struct rtnl_link_stats64 *loopback_get_stats64(struct net_device *dev,
						      struct rtnl_link_stats64 *stats)
{
	u64 bytes = 0, packets = 0;
	int i;

	for_each_possible_cpu(i) {
		const struct pcpu_lstats *lb_stats = &dev->lstats[i];

		bytes += READ_ONCE(lb_stats->bytes);
		packets += READ_ONCE(lb_stats->packets);
	}
	stats->rx_packets = packets;
	stats->tx_packets = packets;
	stats->rx_bytes = bytes;
	stats->tx_bytes = bytes;
	return stats;
}

static u32 always_on(struct net_device *dev)
{
	return 1;
}

static const struct ethtool_ops loopback_ethtool_ops = {
	.get_link = always_on,
};

/* DIVERGES: alloc_percpu is an array of nr_cpu_ids slots from kcalloc. */
static int loopback_dev_init(struct net_device *dev)
{
	dev->lstats = kcalloc((size_t)nr_cpu_ids, sizeof(struct pcpu_lstats), GFP_KERNEL);
	if (!dev->lstats)
		return -ENOMEM;
	return 0;
}

static void loopback_dev_free(struct net_device *dev)
{
	if (dev_net(dev)->loopback_dev == dev)
		dev_net(dev)->loopback_dev = NULL;
	kfree(dev->lstats);
	dev->lstats = NULL;
	free_netdev(dev);
}

static const struct net_device_ops loopback_ops = {
	.ndo_init = loopback_dev_init,
	.ndo_start_xmit = loopback_xmit,
	.ndo_get_stats64 = loopback_get_stats64,
};

/* The loopback device is special: there is only one per namespace and it is set up here,
 * not by the user. */
static void loopback_setup(struct net_device *dev)
{
	dev->mtu = 64 * 1024;
	dev->hard_header_len = ETH_HLEN;	/* 14 */
	dev->addr_len = ETH_ALEN;		/* 6 */
	dev->tx_queue_len = 0;
	dev->type = ARPHRD_LOOPBACK;		/* 0x0001 */
	dev->flags = IFF_LOOPBACK;
	dev->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->hw_features = NETIF_F_ALL_TSO | NETIF_F_UFO;
	dev->features = NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_ALL_TSO | NETIF_F_UFO |
			NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_HIGHDMA | NETIF_F_LLTX |
			NETIF_F_NETNS_LOCAL | NETIF_F_VLAN_CHALLENGED | NETIF_F_LOOPBACK;
	dev->ethtool_ops = &loopback_ethtool_ops;
	dev->header_ops = &eth_header_ops;
	dev->netdev_ops = &loopback_ops;
	dev->destructor = loopback_dev_free;
}

/* Setup and register the loopback device of @net. It starts down, as in Linux (the init
 * scripts bring it up; net_boot does for init_net). */
static int loopback_net_init(struct net *net)
{
	struct net_device *dev;
	int err;

	err = -ENOMEM;
	dev = alloc_netdev(0, "lo", loopback_setup);
	if (!dev)
		goto out;
	dev_net_set(dev, net);
	err = register_netdev(dev);
	if (err)
		goto out_free_netdev;
	net->loopback_dev = dev;
	return 0;

out_free_netdev:
	kfree(dev->lstats);	/* ndo_init may have run */
	dev->lstats = NULL;
	free_netdev(dev);
out:
	pr_err("loopback_net_init: failed to register the loopback device: %d\n", err);
	return err;
}

/* Registered as a device op: lo goes first and, via default_device_ops, last. */
struct pernet_operations loopback_net_ops = {
	.init = loopback_net_init,
};
