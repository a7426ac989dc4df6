/* SPDX-License-Identifier: MIT */
/* Operational state (RFC 2863) from carrier and dormancy: what `ip link` shows as
 * state UP/DOWN/UNKNOWN and what sets IFF_RUNNING.
 * Mirrors linux/net/core/link_watch.c (3.10): default_operstate, rfc2863_policy,
 * linkwatch_init_dev, linkwatch_fire_event, linkwatch_do_dev.
 * DIVERGES: Linux batches events in a work item (at most once a second per device); ulnet
 * applies each event at once, in the caller's context. A device that never reports its
 * carrier (lo) keeps IF_OPER_UNKNOWN, which counts as up, as in Linux. */
#include "linux/netdevice.h"
#include "net/core/dev.h"
#include "net/sch_generic.h"

static unsigned char default_operstate(const struct net_device *dev)
{
	if (!netif_carrier_ok(dev))
		return (dev->ifindex != dev->iflink ? IF_OPER_LOWERLAYERDOWN : IF_OPER_DOWN);
	if (netif_dormant(dev))
		return IF_OPER_DORMANT;
	return IF_OPER_UP;
}

static void rfc2863_policy(struct net_device *dev)
{
	unsigned char operstate = default_operstate(dev);

	if (operstate == dev->operstate)
		return;
	switch (dev->link_mode) {
	case IF_LINK_MODE_DORMANT:
		if (operstate == IF_OPER_UP)
			operstate = IF_OPER_DORMANT;
		break;
	case IF_LINK_MODE_DEFAULT:
	default:
		break;
	}
	dev->operstate = operstate;
}

void linkwatch_init_dev(struct net_device *dev)
{
	/* Handle pre-registration link state changes. */
	if (!netif_carrier_ok(dev) || netif_dormant(dev))
		rfc2863_policy(dev);
}

/* Carrier changed: new operstate; a device that is up gets its qdiscs (re)activated on
 * carrier, deactivated without. Context: process or softirq (drivers call it from their
 * watchdog or interrupt work). */
void linkwatch_fire_event(struct net_device *dev)
{
	rfc2863_policy(dev);
	/* Not while the device is being opened or closed (START and IFF_UP disagree): a
	 * driver's ndo_open/ndo_stop may change the carrier (veth changes its peer's too), and
	 * dev_deactivate would reuse dev->unreg_list, which __dev_close_many is walking.
	 * dev_open/dev_close (de)activate the qdiscs themselves. */
	if ((dev->flags & IFF_UP) && netif_running(dev)) {
		if (netif_carrier_ok(dev))
			dev_activate(dev);
		else
			dev_deactivate(dev);
		__netdev_notify(NETDEV_CHANGE, dev);	/* netdev_state_change */
	}
}
