/* SPDX-License-Identifier: MIT */
/* Helpers for the IPv4 unit tests: a capturing Ethernet test device (NOARP, so no ARP
 * exchange gets in the way; what it transmits is kept in a queue for the test to read),
 * frame builders for IPv4/ICMP/UDP byte arrays, injection through netif_receive_skb, and
 * MIB readers. Included by tests/unit/test_ip_*.c, test_icmp.c, test_netfilter.c,
 * test_snmp.c (static functions: each test binary has its own copy). */
#ifndef ULNET_TEST_IP_TESTDEV_H
#define ULNET_TEST_IP_TESTDEV_H
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/skbuff.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/inetpeer.h"
#include "net/arp.h"
#include "linux/slab.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/protocol.h"
#include "net/route.h"
#include "uapi/linux/icmp.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/udp.h"

struct ipt_priv {
	struct sk_buff_head txq;	/* frames the stack sent on this device */
	unsigned long xmits;
};

static inline netdev_tx_t ipt_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ipt_priv *p = netdev_priv(dev);

	p->xmits++;
	skb_orphan(skb);
	skb_dst_drop(skb);
	skb_queue_tail(&p->txq, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops ipt_ops = {
	.ndo_start_xmit = ipt_xmit,
	.ndo_change_mtu = eth_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static inline void ipt_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &ipt_ops;
	dev->flags |= IFF_NOARP;
	dev->tx_queue_len = 0;	/* noqueue: transmitted in the sender's context */
}

/* A registered, up test device in @net with MAC 02:00:00:00:00:@id and @mtu. */
static inline struct net_device *ipt_dev_new(struct net *net, const char *name, int id,
					      int mtu)
{
	struct net_device *dev = alloc_netdev(sizeof(struct ipt_priv), name, ipt_setup);
	struct ipt_priv *p;

	assert_non_null(dev);
	p = netdev_priv(dev);
	skb_queue_head_init(&p->txq);
	memcpy(dev->dev_addr, "\x02\x00\x00\x00\x00\x00", ETH_ALEN);
	dev->dev_addr[5] = (u8)id;
	dev_net_set(dev, net);
	assert_int_equal(register_netdev(dev), 0);
	rtnl_lock();
	assert_int_equal(dev_set_mtu(dev, mtu), 0);
	assert_int_equal(dev_open(dev), 0);
	rtnl_unlock();
	return dev;
}

static inline void ipt_dev_purge(struct net_device *dev)
{
	struct ipt_priv *p = netdev_priv(dev);
	struct sk_buff *skb;
	int guard = 0;

	while ((skb = skb_dequeue(&p->txq)) != NULL && guard++ < 100000)
		consume_skb(skb);
}

/* Drop the per-destination state that ICMP and IP IDs leave behind (inet_peer entries, the
 * neighbour of lo used by packets to our own addresses), so that the harness's leak check
 * sees only real leaks. */
static inline void ipt_dump_slab_cb(const struct kmem_cache_stats *st, void *arg)
{
	if (st->active_objs)
		fprintf(stderr, "  %s %lu\n", st->name, st->active_objs);
}

static inline void ipt_forget_peers(struct net *net)
{
	if (getenv("IPT_SLAB_DUMP"))
		kmem_cache_for_each(ipt_dump_slab_cb, NULL);
	ul_run_until_idle(1000ULL * 1000 * 1000);
	inetpeer_invalidate_tree(net->ipv4.peers);
	if (net->loopback_dev)
		neigh_ifdown(&arp_tbl, net->loopback_dev);
}

static inline void ipt_dev_del(struct net_device *dev)
{
	ipt_forget_peers(dev_net(dev));
	ipt_dev_purge(dev);
	unregister_netdev(dev);
	ipt_dev_purge(dev);
	free_netdev(dev);
}

/* The next frame @dev sent (the caller frees it), or NULL. */
static inline struct sk_buff *ipt_pop(struct net_device *dev)
{
	struct ipt_priv *p = netdev_priv(dev);

	return skb_dequeue(&p->txq);
}

static inline unsigned int ipt_txq_len(struct net_device *dev)
{
	struct ipt_priv *p = netdev_priv(dev);

	return skb_queue_len(&p->txq);
}

static inline __be32 ipt_addr(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static inline void ipt_addr_add(struct net_device *dev, const char *addr, int plen)
{
	assert_int_equal(devinet_addr_add(dev, ipt_addr(addr), plen, 0, 0, true,
					  RT_SCOPE_UNIVERSE, NULL), 0);
}

/* Build an IPv4 header of @ihl words (options @opt of (ihl-5)*4 bytes, may be NULL) at @buf
 * followed by @plen bytes of @payload; returns the total length. tot_len and the checksum are
 * right (callers corrupt them afterwards when they test errors). */
static inline unsigned int ipt_build_ip(u8 *buf, __be32 saddr, __be32 daddr, u8 proto,
					u8 ttl, u16 id, u16 frag_off, unsigned int ihl,
					const u8 *opt, const void *payload, unsigned int plen)
{
	struct iphdr *iph = (struct iphdr *)buf;
	unsigned int hlen = ihl * 4;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = ihl & 0xf;
	iph->tos = 0;
	iph->tot_len = htons((u16)(hlen + plen));
	iph->id = htons(id);
	iph->frag_off = htons(frag_off);
	iph->ttl = ttl;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	if (hlen > sizeof(*iph))
		memcpy(buf + sizeof(*iph), opt, hlen - sizeof(*iph));
	if (plen)
		memcpy(buf + hlen, payload, plen);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl >= 5 ? iph->ihl : 5);
	return hlen + plen;
}

/* An ICMP message (header + @dlen bytes of data) with its checksum; returns its length. */
static inline unsigned int ipt_build_icmp(u8 *buf, u8 type, u8 code, u16 id, u16 seq,
					  const void *data, unsigned int dlen)
{
	struct icmphdr *ic = (struct icmphdr *)buf;

	memset(ic, 0, sizeof(*ic));
	ic->type = type;
	ic->code = code;
	ic->un.echo.id = htons(id);
	ic->un.echo.sequence = htons(seq);
	if (dlen)
		memcpy(buf + sizeof(*ic), data, dlen);
	ic->checksum = ip_compute_csum(buf, (int)(sizeof(*ic) + dlen));
	return sizeof(*ic) + dlen;
}

static const u8 ipt_peer_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 };

/* An Ethernet frame to @dev (destination: its address, or @dst_mac) from ipt_peer_mac with
 * @len bytes of @l3 after the header, classified by eth_type_trans. */
static inline struct sk_buff *ipt_frame_to(struct net_device *dev, const u8 *dst_mac,
					   const void *l3, unsigned int len)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + len);
	struct ethhdr *eth;

	assert_non_null(skb);
	eth = (struct ethhdr *)skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, dst_mac ? dst_mac : dev->dev_addr, ETH_ALEN);
	memcpy(eth->h_source, ipt_peer_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	if (len)
		memcpy(skb_put(skb, len), l3, len);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static inline struct sk_buff *ipt_frame(struct net_device *dev, const void *l3,
					unsigned int len)
{
	return ipt_frame_to(dev, NULL, l3, len);
}

/* Deliver @skb as a driver's NAPI poll would: in a bottom-half section. */
static inline int ipt_inject(struct sk_buff *skb)
{
	int ret;

	local_bh_disable();
	ret = netif_receive_skb(skb);
	local_bh_enable();
	return ret;
}

static inline void ipt_rx(struct net_device *dev, const void *l3, unsigned int len)
{
	ipt_inject(ipt_frame(dev, l3, len));
}

/* The IP header of a captured frame (Ethernet header skipped), copied out linear. */
static inline unsigned int ipt_l3_copy(struct sk_buff *skb, u8 *buf, unsigned int max)
{
	unsigned int len = skb->len - ETH_HLEN;

	if (len > max)
		len = max;
	assert_int_equal(skb_copy_bits(skb, ETH_HLEN, buf, (int)len), 0);
	return len;
}

#define IP_MIB(net, f)		ip_mib_read((net), IPSTATS_MIB_##f)
#define ICMP_MIB(net, f)	icmp_mib_read((net), ICMP_MIB_##f)
#define ICMP_IN(net, type)	icmpmsg_mib_read((net), (type))
#define ICMP_OUT(net, type)	icmpmsg_mib_read((net), 0x100 | (type))

/* The test stack of the IPv4 tests: device "t0" (id 1, MTU 1500) in init_net with
 * 10.0.0.1/24, and the test's protocol @prot registered as number @num. */
static inline struct net_device *ipt_t0_up(const struct net_protocol *prot, unsigned char num)
{
	struct net_device *dev = ipt_dev_new(&init_net, "t0", 1, 1500);

	ipt_addr_add(dev, "10.0.0.1", 24);
	assert_int_equal(inet_add_protocol(prot, num), 0);
	return dev;
}

/* cmocka teardown of ipt_t0_up, then ul_test_teardown's leak check. */
static inline int ipt_t0_down(void **state, struct net_device *dev,
			      const struct net_protocol *prot, unsigned char num)
{
	inet_del_protocol(prot, num);
	ipt_dev_del(dev);
	return ul_test_teardown(state);
}

#endif
