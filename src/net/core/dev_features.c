/* SPDX-License-Identifier: MIT */
/* Device feature consistency: the rules that keep dev->features coherent (TSO needs SG...)
 * and the recomputation of dev->features from wanted_features after ethtool -K.
 * Mirrors linux/net/core/dev.c (3.10): netdev_fix_features, __netdev_update_features,
 * netdev_update_features, netdev_features_change.
 * DIVERGES: 3.10 has these in dev.c; ulnet keeps them apart from dev.c's data path. 3.10's
 * register_netdevice also runs __netdev_update_features; ulnet's does not yet (devices
 * such as the tests' t0 have GSO without SG, which the rules would turn off), so the rules
 * apply from the first ethtool -K on. Context: process, rtnl held. */
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"

void netdev_features_change(struct net_device *dev)
{
	call_netdevice_notifiers(NETDEV_FEAT_CHANGE, dev);
}

/* The offloads that depend on others lose them when those are off. The messages are
 * 3.10's (netdev_warn for the checksum mix, netdev_dbg for the others: ulnet prints them
 * at info level so that ethtool -K's effect is visible in the log). */
netdev_features_t netdev_fix_features(struct net_device *dev, netdev_features_t features)
{
	/* A device checksums either everything (HW_CSUM) or per protocol, not both. */
	if ((features & NETIF_F_HW_CSUM) &&
	    (features & (NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM))) {
		pr_warn("%s: mixed HW and IP checksum settings.\n", dev->name);
		features &= ~(NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM);
	}

	/* TSO builds the segments from the frags: it needs scatter-gather. */
	if ((features & NETIF_F_ALL_TSO) && !(features & NETIF_F_SG)) {
		pr_info("%s: Dropping TSO features since no SG feature.\n", dev->name);
		features &= ~NETIF_F_ALL_TSO;
	}

	/* TSO_ECN alone means nothing: it qualifies TSO. */
	if ((features & NETIF_F_ALL_TSO) == NETIF_F_TSO_ECN)
		features &= ~NETIF_F_TSO_ECN;

	/* Software GSO hands the device paged segments: it depends on SG too. */
	if ((features & NETIF_F_GSO) && !(features & NETIF_F_SG)) {
		pr_info("%s: Dropping NETIF_F_GSO since no SG feature.\n", dev->name);
		features &= ~NETIF_F_GSO;
	}

	/* UFO needs SG and checksumming (of IPv4 and IPv6 both, or generic). */
	if (features & NETIF_F_UFO) {
		if (!((features & NETIF_F_GEN_CSUM) ||
		      (features & (NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM)) ==
			      (NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM))) {
			pr_info("%s: Dropping NETIF_F_UFO since no checksum offload features.\n",
				dev->name);
			features &= ~NETIF_F_UFO;
		}
		if (!(features & NETIF_F_SG)) {
			pr_info("%s: Dropping NETIF_F_UFO since no NETIF_F_SG feature.\n",
				dev->name);
			features &= ~NETIF_F_UFO;
		}
	}
	return features;
}

/* dev->features from what the user wants (wanted_features, within hw_features; the fixed
 * features stay as they are), the driver's and the core's rules, then the driver.
 * Returns 1 when dev->features changed, 0 when not, -1 when the driver refused (features
 * then unchanged: 3.10 returns -1 too, the caller still sends FEAT_CHANGE). */
int __netdev_update_features(struct net_device *dev)
{
	netdev_features_t features;
	int err = 0;

	ASSERT_RTNL();

	features = netdev_get_wanted_features(dev);
	if (dev->netdev_ops && dev->netdev_ops->ndo_fix_features)
		features = dev->netdev_ops->ndo_fix_features(dev, features);
	features = netdev_fix_features(dev, features);
	if (dev->features == features)
		return 0;

	if (dev->netdev_ops && dev->netdev_ops->ndo_set_features)
		err = dev->netdev_ops->ndo_set_features(dev, features);
	if (unlikely(err < 0)) {
		pr_err("%s: set_features() failed (%d); wanted %#llx, left %#llx\n", dev->name,
		       err, (unsigned long long)features, (unsigned long long)dev->features);
		return -1;
	}
	dev->features = features;
	return 1;
}

void netdev_update_features(struct net_device *dev)
{
	if (__netdev_update_features(dev))
		netdev_features_change(dev);
}
