/* SPDX-License-Identifier: MIT */
/* The packet-script runner's TUN-like device ("tun0"): IPv4 datagrams the stack sends are
 * captured with their virtual time; datagrams of the script are injected as if received.
 * Mirrors the part of linux/drivers/net/tun.c a packetdrill run uses (a point-to-point IFF_TUN
 * device with no link header): tun_net_xmit (capture), tun_get_user (inject).
 * DIVERGES: no character device: the runner calls pktdev_inject() and reads the capture list
 * directly, in the same sim world. */
#include <stdlib.h>
#include <string.h>
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "pkt/pktdev.h"
#include "trace/path.h"
#include "uapi/linux/if.h"
#include "uapi/linux/if_arp.h"
#include "uapi/linux/if_ether.h"
#include "ulnet/ulnet.h"

struct pktdev_priv {
	struct pktdev_queue *q;
};

/* Context: wherever dev_queue_xmit runs (noqueue device). Consumes @skb. */
static netdev_tx_t pktdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pktdev_priv *priv = netdev_priv(dev);
	struct pktdev_queue *q = priv->q;
	struct pktdev_frame *f;

	UL_TRACE(skb);
	if (!q || q->count >= PKTDEV_MAX_FRAMES || skb->len > PKTDEV_MAX_LEN)
		goto drop;
	f = calloc(1, sizeof(*f) + skb->len);
	if (!f)
		goto drop;
	f->len = skb->len;
	f->time_ns = ul_now_ns();
	if (skb_copy_bits(skb, 0, f->data, (int)skb->len)) {
		free(f);
		goto drop;
	}
	if (q->tail)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->count++;
	q->total++;
	consume_skb(skb);
	return NETDEV_TX_OK;
drop:
	if (q)
		q->dropped++;
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops pktdev_ops = {
	.ndo_start_xmit = pktdev_xmit,
};

static void pktdev_setup(struct net_device *dev)
{
	dev->mtu = 1500;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->tx_queue_len = 0;		/* noqueue: packets reach the capture at once */
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->netdev_ops = &pktdev_ops;
	dev->destructor = free_netdev;
}

int pktdev_create(struct net *net, const char *name, struct pktdev_queue *q,
		  struct net_device **devp)
{
	struct net_device *dev;
	struct pktdev_priv *priv;
	int err;

	dev = alloc_netdev(sizeof(*priv), name, pktdev_setup);
	if (!dev)
		return -ENOMEM;
	priv = netdev_priv(dev);
	priv->q = q;
	dev_net_set(dev, net);
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	*devp = dev;
	return 0;
}

/* Context: process (a task). As tun_get_user: the datagram enters through netif_rx_ni. */
int pktdev_inject(struct net_device *dev, const uint8_t *data, size_t len)
{
	struct sk_buff *skb;

	if (!len || len > PKTDEV_MAX_LEN)
		return -EINVAL;
	skb = alloc_skb((unsigned int)len + NET_SKB_PAD, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, NET_SKB_PAD);
	memcpy(skb_put(skb, (unsigned int)len), data, len);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	netif_rx_ni(skb);
	return 0;
}

struct pktdev_frame *pktdev_pop(struct pktdev_queue *q)
{
	struct pktdev_frame *f = q->head;

	if (!f)
		return NULL;
	q->head = f->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	f->next = NULL;
	return f;
}

void pktdev_queue_purge(struct pktdev_queue *q)
{
	struct pktdev_frame *f;

	while ((f = pktdev_pop(q)))
		free(f);
}
