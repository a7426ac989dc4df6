/* SPDX-License-Identifier: MIT */
/* Helpers of the simulated-NIC tests (test_nic, test_igb, test_rss, test_coalesce,
 * test_gro, test_netem): bring a NIC up, build IPv4/TCP frames with correct checksums,
 * count what the stack receives through a packet_type. */
#ifndef ULNET_HW_TEST_UTIL_H
#define ULNET_HW_TEST_UTIL_H
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "drivers/net/ethernet/intel/igb/igb.h"
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/checksum.h"
#include "net/hw.h"
#include "net/net_namespace.h"
#include "uapi/linux/in.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/tcp.h"

#define TEST_ETHERTYPE 0x88B5	/* IEEE local experimental */

static inline struct net_device *tnic_up(const char *ns, const char *name, unsigned int q,
					 unsigned int ring, u32 mbps)
{
	struct net_device *dev;

	assert_int_equal(hw_nic_add(ns, name, q, ring, mbps), 0);
	dev = __dev_get_by_name(ul_net_by_name(ns), name);
	assert_non_null(dev);
	rtnl_lock();
	assert_int_equal(dev_open(dev), 0);
	rtnl_unlock();
	return dev;
}

/* ethtool's output for @line (in the initial namespace), asserting it returns @expect;
 * never NULL (free it). */
static inline char *tnic_ethtool(const char *line, int expect)
{
	char *out = NULL;
	int err = ul_ethtool_cmd(NULL, line, &out);

	if (err != expect)
		fail_msg("%s: %d (%s)", line, err, out ? out : "");
	return out ? out : calloc(1, 1);
}

static inline void tnic_del(const char *ns, const char *name)
{
	assert_int_equal(hw_nic_del(ns, name), 0);
	ul_run_for(1000000);
}

/* An Ethernet frame to @mac with @type, @len bytes, payload byte i = (u8)(i + seed). */
static inline unsigned int tframe_raw(u8 *buf, const u8 *mac, u16 type, unsigned int len,
				      unsigned int seed)
{
	unsigned int i;

	memcpy(buf, mac, 6);
	memcpy(buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
	buf[12] = (u8)(type >> 8);
	buf[13] = (u8)type;
	for (i = 14; i < len; i++)
		buf[i] = (u8)(i + seed);
	return len;
}

/* Ethernet + IPv4 + TCP (no options) with @plen payload bytes (byte k = (u8)(seq + k)),
 * correct checksums. Returns the frame length. */
static inline unsigned int tframe_tcp(u8 *buf, const u8 *mac, __be32 saddr, __be32 daddr,
				      u16 sport, u16 dport, u32 seq, unsigned int plen,
				      u16 ip_id, u8 flags)
{
	struct iphdr *iph = (struct iphdr *)(buf + 14);
	struct tcphdr *th = (struct tcphdr *)(buf + 34);
	unsigned int k;

	memcpy(buf, mac, 6);
	memcpy(buf + 6, "\x02\x00\x00\x00\x00\x01", 6);
	buf[12] = 0x08;
	buf[13] = 0x00;
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->tot_len = htons((u16)(40 + plen));
	iph->id = htons(ip_id);
	iph->frag_off = htons(0x4000);	/* DF */
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->check = ip_fast_csum(iph, 5);
	memset(th, 0, sizeof(*th));
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(1);
	th->doff = 5;
	th->ack = 1;
	th->window = htons(512);
	if (flags & 1)
		th->psh = 1;
	if (flags & 2)
		th->fin = 1;
	for (k = 0; k < plen; k++)
		buf[54 + k] = (u8)(seq + k);
	th->check = csum_tcpudp_magic(saddr, daddr, (unsigned short)(20 + plen), IPPROTO_TCP,
				      csum_partial(th, (int)(20 + plen), 0));
	return 54 + plen;
}

/* The igb adapter behind @dev (tests look at rings and vectors). */
static inline struct igb_adapter *tnic_adapter(struct net_device *dev)
{
	return netdev_priv(dev);
}

/* Read one igb statistic by its ethtool -S name. */
static inline u64 tnic_stat(struct net_device *dev, const char *name)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	int n = ops->get_sset_count(dev, ETH_SS_STATS), i;
	u64 *vals;
	u8 *names;
	u64 v = ~0ULL;

	assert_true(n > 0);
	names = calloc((size_t)n, ETH_GSTRING_LEN);
	vals = calloc((size_t)n, sizeof(u64));
	ops->get_strings(dev, ETH_SS_STATS, names);
	ops->get_ethtool_stats(dev, NULL, vals);
	for (i = 0; i < n; i++)
		if (!strcmp((char *)names + i * ETH_GSTRING_LEN, name))
			v = vals[i];
	free(names);
	free(vals);
	assert_true(v != ~0ULL);
	return v;
}

#endif
