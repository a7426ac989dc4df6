/* SPDX-License-Identifier: MIT */
/* Adding and removing bridge ports (`ip link set DEV master BR` / `nomaster`), and the
 * port and bridge states that follow the devices' links.
 * Mirrors linux/net/bridge/br_if.c (3.10): port_cost, find_portno, new_nbp, del_nbp,
 * br_add_if, br_del_if, br_min_mtu, br_port_carrier_check; and br_stp_if.c's
 * br_stp_enable_port, br_stp_disable_port, br_stp_recalculate_bridge_id (without STP).
 *
 * Context: process, rtnl held. */
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "linux/veth.h"
#include "net/bridge/br_private.h"

/* The 802.1D path cost of a link of @dev's speed (3.10 port_cost: 10G 2, 1G 4, 100M 19,
 * 10M 100). DIVERGES: ulnet's drivers report no link speed through ethtool here: a veth
 * (10G in 3.10's veth_get_settings) costs 2, anything else the 3.10 fallback of 100. */
static u32 port_cost(struct net_device *dev)
{
	return netif_is_veth(dev) ? 2 : 100;
}

const char *br_port_state_name(u8 state)
{
	static const char *const names[] = {
		[BR_STATE_DISABLED] = "disabled", [BR_STATE_LISTENING] = "listening",
		[BR_STATE_LEARNING] = "learning", [BR_STATE_FORWARDING] = "forwarding",
		[BR_STATE_BLOCKING] = "blocking",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

/* The bridge has carrier while one of its ports forwards (3.10 br_port_state_selection). */
static void br_recalc_carrier(struct net_bridge *br)
{
	struct net_bridge_port *p;
	bool any = false;

	list_for_each_entry(p, &br->port_list, list)
		if (p->state == BR_STATE_FORWARDING)
			any = true;
	if (any && !netif_carrier_ok(br->dev))
		netif_carrier_on(br->dev);
	else if (!any && netif_carrier_ok(br->dev))
		netif_carrier_off(br->dev);
}

/* A port forwards when the bridge is up and the port's device is up with carrier.
 * DIVERGES: no STP, so no listening/learning delay (3.10 with STP off and forward_delay 0).
 * A port that stops forwarding forgets what it learned (br_stp_disable_port). */
void br_port_carrier_check(struct net_bridge_port *p)
{
	struct net_bridge *br = p->br;
	bool want = netif_running(br->dev) && netif_running(p->dev) && netif_carrier_ok(p->dev);

	if (want && p->state != BR_STATE_FORWARDING) {
		p->state = BR_STATE_FORWARDING;
		pr_info("%s: port %u(%s) entered %s state\n", br->dev->name, p->port_no,
			p->dev->name, br_port_state_name(p->state));
	} else if (!want && p->state != BR_STATE_DISABLED) {
		p->state = BR_STATE_DISABLED;
		pr_info("%s: port %u(%s) entered %s state\n", br->dev->name, p->port_no,
			p->dev->name, br_port_state_name(p->state));
		br_fdb_delete_by_port(br, p, false);
	}
	br_recalc_carrier(br);
}

/* The bridge takes the lowest MAC of its ports unless one was set by hand. Returns whether
 * the address changed. */
bool br_stp_recalculate_bridge_id(struct net_bridge *br)
{
	const unsigned char *addr = NULL;
	struct net_bridge_port *p;

	if (br->dev->addr_assign_type == NET_ADDR_SET)
		return false;
	list_for_each_entry(p, &br->port_list, list)
		if (!addr || memcmp(p->dev->dev_addr, addr, ETH_ALEN) < 0)
			addr = p->dev->dev_addr;
	if (!addr || ether_addr_equal(br->dev->dev_addr, addr))
		return false;
	memcpy(br->dev->dev_addr, addr, ETH_ALEN);
	br->dev->addr_assign_type = NET_ADDR_PERM;
	return true;
}

static int find_portno(struct net_bridge *br)
{
	int i;

	/* Port 0 is reserved (as 3.10). */
	for (i = 1; i < BR_MAX_PORTS; i++)
		if (!test_bit(i, br->port_bitmap))
			return i;
	return -EXFULL;
}

static unsigned int br_min_mtu(const struct net_bridge *br)
{
	const struct net_bridge_port *p;
	unsigned int mtu = 0;

	list_for_each_entry(p, &br->port_list, list)
		if (!mtu || p->dev->mtu < mtu)
			mtu = p->dev->mtu;
	return mtu ? mtu : ETH_DATA_LEN;
}

int br_add_if(struct net_bridge *br, struct net_device *dev)
{
	struct net_bridge_port *p;
	bool changed_addr;
	int err, portno;

	ASSERT_RTNL();
	/* No loopback, nothing but Ethernet (3.10). */
	if ((dev->flags & IFF_LOOPBACK) || dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    !is_valid_ether_addr(dev->dev_addr))
		return -EINVAL;
	/* No bridges of bridges. */
	if (dev->netdev_ops->ndo_start_xmit == br->dev->netdev_ops->ndo_start_xmit)
		return -ELOOP;
	if (dev_net(dev) != dev_net(br->dev))
		return -EINVAL;
	/* Already a port, or enslaved elsewhere. */
	if (br_port_exists(dev) || dev->master || dev->rx_handler)
		return -EBUSY;

	portno = find_portno(br);
	if (portno < 0)
		return portno;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->br = br;
	p->dev = dev;
	p->port_no = (u16)portno;
	p->priority = BR_DEFAULT_PORT_PRIORITY;
	p->path_cost = port_cost(dev);
	p->state = BR_STATE_DISABLED;
	dev_hold(dev);

	/* The port hears every frame on its wire. */
	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto err_put;
	err = netdev_rx_handler_register(dev, br_handle_frame, p);
	if (err)
		goto err_promisc;
	dev->priv_flags |= IFF_BRIDGE_PORT;
	dev->master = br->dev;
	__set_bit(portno, br->port_bitmap);
	list_add_tail(&p->list, &br->port_list);

	err = br_fdb_insert(br, p, dev->dev_addr);
	if (err)
		pr_err("%s: failed insert local address bridge forwarding table\n",
		       br->dev->name);

	changed_addr = br_stp_recalculate_bridge_id(br);
	br_port_carrier_check(p);
	if (changed_addr)
		call_netdevice_notifiers(NETDEV_CHANGEADDR, br->dev);
	dev_set_mtu(br->dev, (int)br_min_mtu(br));
	pr_info("%s: port %u(%s) entered %s state\n", br->dev->name, p->port_no, dev->name,
		br_port_state_name(p->state));
	return 0;

err_promisc:
	dev_set_promiscuity(dev, -1);
err_put:
	dev_put(dev);
	kfree(p);
	return err;
}

/* Undo br_add_if for @p. */
static void del_nbp(struct net_bridge_port *p)
{
	struct net_bridge *br = p->br;
	struct net_device *dev = p->dev;

	dev_set_promiscuity(dev, -1);
	p->state = BR_STATE_DISABLED;
	pr_info("%s: port %u(%s) entered %s state\n", br->dev->name, p->port_no, dev->name,
		br_port_state_name(p->state));
	list_del(&p->list);
	clear_bit(p->port_no, br->port_bitmap);
	dev->priv_flags &= ~IFF_BRIDGE_PORT;
	netdev_rx_handler_unregister(dev);
	dev->master = NULL;
	br_fdb_delete_by_port(br, p, true);
	dev_put(dev);
	kfree(p);
}

int br_del_if(struct net_bridge *br, struct net_device *dev)
{
	struct net_bridge_port *p = br_port_get_rtnl(dev);
	bool changed_addr;

	ASSERT_RTNL();
	if (!p || p->br != br)
		return -EINVAL;
	del_nbp(p);
	changed_addr = br_stp_recalculate_bridge_id(br);
	br_recalc_carrier(br);
	if (changed_addr)
		call_netdevice_notifiers(NETDEV_CHANGEADDR, br->dev);
	return 0;
}

void br_del_all_ports(struct net_bridge *br)
{
	struct net_bridge_port *p, *n;

	list_for_each_entry_safe(p, n, &br->port_list, list)
		del_nbp(p);
	br_recalc_carrier(br);
}
