/* SPDX-License-Identifier: MIT */
/* The bridge's own device (br0, docker0): what the host sends on it is switched to the
 * ports; what the ports receive for the host comes up through it.
 * Mirrors linux/net/bridge/br_device.c (3.10): br_dev_xmit, br_dev_init, br_dev_open,
 * br_dev_stop, br_get_stats64, br_change_mtu, br_set_mac_address, br_getinfo,
 * br_add_slave, br_del_slave, br_dev_free, br_dev_setup; and br_if.c's br_add_bridge,
 * br_del_bridge, br_dev_delete.
 *
 * Path: dev_queue_xmit(br0) (noqueue) -> br_dev_xmit -> br_deliver / br_flood_deliver ->
 * NF_HOOK(BRIDGE, LOCAL_OUT) -> br_forward_finish -> br_dev_queue_push_xmit -> the port.
 * Context: the sender, BH off (LLTX: no TX lock). */
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/bridge/br_private.h"
#include "net/rtnetlink.h"
#include "trace/path.h"

static const struct net_device_ops br_netdev_ops;

bool netif_is_bridge_master(const struct net_device *dev)
{
	return dev && (dev->priv_flags & IFF_EBRIDGE) && dev->netdev_ops == &br_netdev_ops;
}

/* Consumes @skb; always NETDEV_TX_OK. */
static netdev_tx_t br_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);
	const unsigned char *dest = skb->data;
	struct net_bridge_fdb_entry *dst;

	UL_TRACE(skb);
	br->tx_packets++;
	br->tx_bytes += skb->len;
	skb_reset_mac_header(skb);
	skb_pull(skb, ETH_HLEN);

	if (is_broadcast_ether_addr(dest) || is_multicast_ether_addr(dest))
		br_flood_deliver(br, skb);
	else if ((dst = __br_fdb_get(br, dest)) != NULL && dst->dst)
		br_deliver(dst->dst, skb);
	else
		br_flood_deliver(br, skb);
	return NETDEV_TX_OK;
}

static int br_dev_open(struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);
	struct net_bridge_port *p;

	netif_start_queue(dev);
	/* br_stp_enable_bridge: the gc timer starts a tenth of a second later. */
	mod_timer(&br->gc_timer, jiffies + HZ / 10);
	list_for_each_entry(p, &br->port_list, list)
		br_port_carrier_check(p);
	return 0;
}

static int br_dev_stop(struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);
	struct net_bridge_port *p;

	del_timer_sync(&br->gc_timer);
	netif_stop_queue(dev);
	list_for_each_entry(p, &br->port_list, list)
		br_port_carrier_check(p);
	return 0;
}

static struct rtnl_link_stats64 *br_get_stats64(struct net_device *dev,
						struct rtnl_link_stats64 *stats)
{
	struct net_bridge *br = netdev_priv(dev);

	stats->tx_bytes = br->tx_bytes;
	stats->tx_packets = br->tx_packets;
	stats->rx_bytes = br->rx_bytes;
	stats->rx_packets = br->rx_packets;
	stats->tx_dropped = dev->stats.tx_dropped;
	stats->rx_dropped = dev->stats.rx_dropped;
	stats->multicast = dev->stats.multicast;
	return stats;
}

/* 3.10: no bigger than the smallest port's MTU. */
static int br_change_mtu(struct net_device *dev, int new_mtu)
{
	struct net_bridge *br = netdev_priv(dev);
	struct net_bridge_port *p;
	int min = 0;

	list_for_each_entry(p, &br->port_list, list)
		if (!min || (int)p->dev->mtu < min)
			min = (int)p->dev->mtu;
	if (new_mtu < 68 || (min && new_mtu > min))
		return -EINVAL;
	dev->mtu = (unsigned int)new_mtu;
	return 0;
}

/* An address set by hand sticks (the bridge no longer takes its lowest port's). */
static int br_set_mac_address(struct net_device *dev, void *p)
{
	struct net_bridge *br = netdev_priv(dev);
	struct sockaddr *addr = p;

	if (!is_valid_ether_addr((const u8 *)addr->sa_data))
		return -EADDRNOTAVAIL;
	spin_lock_bh(&br->lock);
	if (!ether_addr_equal(dev->dev_addr, (const u8 *)addr->sa_data)) {
		memcpy(dev->dev_addr, addr->sa_data, ETH_ALEN);
		br_fdb_insert(br, NULL, dev->dev_addr);
	}
	dev->addr_assign_type = NET_ADDR_SET;
	spin_unlock_bh(&br->lock);
	return 0;
}

static int br_add_slave(struct net_device *dev, struct net_device *slave_dev)
{
	return br_add_if(netdev_priv(dev), slave_dev);
}

static int br_del_slave(struct net_device *dev, struct net_device *slave_dev)
{
	return br_del_if(netdev_priv(dev), slave_dev);
}

/* At unregistration (ip link del br0, or the namespace going away): the ports are
 * released first, then the FDB's last (local) entries and the timer. rtnl held. */
static void br_dev_uninit(struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);

	br_del_all_ports(br);
	del_timer_sync(&br->gc_timer);
	br_fdb_delete_by_port(br, NULL, true);
}

static void br_getinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	snprintf(info->driver, sizeof(info->driver), "%s", BR_DRV_NAME);
	snprintf(info->version, sizeof(info->version), "%s", BR_DRV_VERSION);
	snprintf(info->fw_version, sizeof(info->fw_version), "N/A");
	snprintf(info->bus_info, sizeof(info->bus_info), "N/A");
}

static const struct ethtool_ops br_ethtool_ops = {
	.get_drvinfo = br_getinfo,
	.get_link = ethtool_op_get_link,
};

static const struct net_device_ops br_netdev_ops = {
	.ndo_open = br_dev_open,
	.ndo_stop = br_dev_stop,
	.ndo_uninit = br_dev_uninit,
	.ndo_start_xmit = br_dev_xmit,
	.ndo_get_stats64 = br_get_stats64,
	.ndo_set_mac_address = br_set_mac_address,
	.ndo_change_mtu = br_change_mtu,
	.ndo_add_slave = br_add_slave,
	.ndo_del_slave = br_del_slave,
};

#define COMMON_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | NETIF_F_GSO_MASK | \
			 NETIF_F_HW_CSUM)

/* 3.10: an Ethernet device without a queue, a random address until a port gives it one,
 * ageing 300 s, forward delay 15 s, priority 0x8000. */
void br_dev_setup(struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);

	eth_hw_addr_random(dev);
	ether_setup(dev);
	dev->netdev_ops = &br_netdev_ops;
	dev->ethtool_ops = &br_ethtool_ops;
	dev->destructor = free_netdev;
	dev->tx_queue_len = 0;
	dev->priv_flags = IFF_EBRIDGE;
	dev->features = COMMON_FEATURES | NETIF_F_LLTX | NETIF_F_NETNS_LOCAL;
	dev->hw_features = COMMON_FEATURES;
	dev->vlan_features = COMMON_FEATURES;

	br->dev = dev;
	spin_lock_init(&br->lock);
	INIT_LIST_HEAD(&br->port_list);
	spin_lock_init(&br->hash_lock);
	br->priority = 0x8000;
	br->ageing_time = BR_DEFAULT_AGEING_TIME;
	br->forward_delay = BR_DEFAULT_FORWARD_DELAY;
	timer_setup(&br->gc_timer, br_fdb_cleanup, 0);
}

int br_add_bridge(struct net *net, const char *name)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	dev = rtnl_create_link(net, name, &br_link_ops);
	if (!dev)
		return -ENOMEM;
	err = register_netdevice(dev);
	if (err)
		free_netdev(dev);
	return err;
}

int br_del_bridge(struct net *net, const char *name)
{
	struct net_device *dev;

	ASSERT_RTNL();
	dev = __dev_get_by_name(net, name);
	if (!dev)
		return -ENXIO;
	if (!netif_is_bridge_master(dev))
		return -EPERM;
	/* 3.10: a bridge that is up cannot be deleted by brctl (ip link del can). */
	if (dev->flags & IFF_UP)
		return -EBUSY;
	unregister_netdevice(dev);
	return 0;
}
