/* SPDX-License-Identifier: MIT */
/* The dummy network device: every packet sent to it vanishes (after being counted). A place
 * to put addresses and routes in tests and labs.
 * Mirrors linux/drivers/net/dummy.c (3.10): dummy_xmit, dummy_get_stats64, dummy_dev_init,
 * dummy_dev_free, dummy_setup, dummy_link_ops (kind "dummy").
 * Context: dummy_xmit runs wherever dev_queue_xmit runs (noqueue: tx_queue_len 0). */
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/percpu.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/rtnetlink.h"
#include "trace/path.h"

#define DRV_NAME	"dummy"

struct pcpu_dstats {
	u64 tx_packets;
	u64 tx_bytes;
};

struct dummy_priv {
	struct pcpu_dstats *dstats;	/* nr_cpu_ids slots */
};

struct rtnl_link_ops dummy_link_ops;

static netdev_tx_t dummy_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct dummy_priv *priv = netdev_priv(dev);
	struct pcpu_dstats *dstats = &priv->dstats[smp_processor_id()];

	UL_TRACE(skb);
	dstats->tx_packets++;
	dstats->tx_bytes += skb->len;
	dev_kfree_skb(skb);
	return NETDEV_TX_OK;
}

static struct rtnl_link_stats64 *dummy_get_stats64(struct net_device *dev,
						   struct rtnl_link_stats64 *stats)
{
	struct dummy_priv *priv = netdev_priv(dev);
	int i;

	for_each_possible_cpu(i) {
		stats->tx_packets += priv->dstats[i].tx_packets;
		stats->tx_bytes += priv->dstats[i].tx_bytes;
	}
	return stats;
}

static int dummy_dev_init(struct net_device *dev)
{
	struct dummy_priv *priv = netdev_priv(dev);

	priv->dstats = kcalloc((size_t)nr_cpu_ids, sizeof(*priv->dstats), GFP_KERNEL);
	return priv->dstats ? 0 : -ENOMEM;
}

/* The device is unregistered and unused: its counters and itself go. */
static void dummy_dev_free(struct net_device *dev)
{
	struct dummy_priv *priv = netdev_priv(dev);

	kfree(priv->dstats);
	priv->dstats = NULL;
	free_netdev(dev);
}

static const struct net_device_ops dummy_netdev_ops = {
	.ndo_init = dummy_dev_init,
	.ndo_start_xmit = dummy_xmit,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_get_stats64 = dummy_get_stats64,
};

static void dummy_setup(struct net_device *dev)
{
	ether_setup(dev);
	/* Initialize the device structure. */
	dev->netdev_ops = &dummy_netdev_ops;
	dev->destructor = dummy_dev_free;
	/* Fill in device structure with ethernet-generic values. */
	dev->tx_queue_len = 0;
	dev->flags |= IFF_NOARP;
	dev->flags &= ~IFF_MULTICAST;
	dev->features |= NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_TSO | NETIF_F_HW_CSUM |
			 NETIF_F_HIGHDMA | NETIF_F_LLTX;
	eth_hw_addr_random(dev);
}

static int dummy_newlink(struct net *net, const char *ifname, int argc, char **argv,
			 char *err, size_t errlen)
{
	struct net_device *dev;
	int ret;

	if (argc > 0) {
		snprintf(err, errlen, "Error: argument \"%s\" is wrong: dummy takes no options",
			 argv[0]);
		return -EINVAL;
	}
	dev = rtnl_create_link(net, ifname, &dummy_link_ops);
	if (!dev) {
		snprintf(err, errlen, "RTNETLINK answers: Cannot allocate memory");
		return -ENOMEM;
	}
	ret = register_netdevice(dev);
	if (ret) {
		free_netdev(dev);
		snprintf(err, errlen, "RTNETLINK answers: %s", ret == -EEXIST ? "File exists" :
			 "Invalid argument");
	}
	return ret;
}

struct rtnl_link_ops dummy_link_ops = {
	.kind = DRV_NAME,
	.priv_size = sizeof(struct dummy_priv),
	.setup = dummy_setup,
	.newlink = dummy_newlink,
};
