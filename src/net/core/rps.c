/* SPDX-License-Identifier: MIT */
/* Receive Packet Steering's configuration and flow hash: the per-RX-queue CPU maps behind
 * /sys/class/net/DEV/queues/rx-N/rps_cpus, and the software flow hash RPS indexes them by.
 * Mirrors linux/net/core/net-sysfs.c (store_rps_map, show_rps_map, show_rps_dev_flow_table_cnt,
 * store_rps_dev_flow_table_cnt) and net/core/flow_dissector.c (skb_flow_dissect,
 * __skb_get_rxhash). The steering itself (get_rps_cpu, rps_ipi_queued) is in dev.c.
 *
 * DIVERGES: there is no sysfs; ul_proc_read/ul_proc_write hand paths under /sys/class/net/ to
 * net_sysfs_read/net_sysfs_write, which know a queue's rps_cpus and rps_flow_cnt only. The
 * flow dissector knows IPv4 (with TCP/UDP/UDP-Lite/SCTP/DCCP ports) only: any other packet
 * has no hash and is not steered. No RFS: rps_flow_cnt reads 0 and refuses another value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/cpumask.h"
#include "linux/errno.h"
#include "linux/jhash.h"
#include "linux/kernel.h"
#include "linux/netdevice.h"
#include "linux/random.h"
#include "linux/rtnetlink.h"
#include "linux/seq_file.h"
#include "linux/skbuff.h"
#include "linux/slab.h"
#include "net/ip.h"
#include "net/core/dev.h"

#define RPS_L1_CACHE_BYTES 64	/* store_rps_map allocates at least a cache line */

/* Seeds the flow hash (3.10: hashrnd, random at boot). Drawn on the first rps_cpus write so
 * that runs without RPS consume no random number (sim runs stay as they were). */
static u32 hashrnd;
static bool hashrnd_set;

/* 3.10 proto_ports_offset: where the 16-bit port pair starts in the transport header. */
static int proto_ports_offset(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case 33:	/* IPPROTO_DCCP */
	case 132:	/* IPPROTO_SCTP */
	case IPPROTO_UDPLITE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* skb_flow_dissect for IPv4: the addresses and, unless the packet is a fragment, the ports
 * (as one 32-bit word, source port first). False if there is no flow to hash. */
static bool rps_flow_dissect(const struct sk_buff *skb, __be32 *src, __be32 *dst, u32 *ports)
{
	struct iphdr _iph;
	const struct iphdr *iph;
	int nhoff = skb_network_offset(skb), poff;
	u8 ip_proto;
	__be32 _ports;
	const __be32 *pp;

	*ports = 0;
	if (skb->protocol != htons(ETH_P_IP))
		return false;
	iph = skb_header_pointer(skb, nhoff, (int)sizeof(_iph), &_iph);
	if (!iph || iph->ihl < 5)
		return false;
	ip_proto = ip_is_fragment(iph) ? 0 : iph->protocol;
	*src = iph->saddr;
	*dst = iph->daddr;
	nhoff += iph->ihl * 4;
	poff = proto_ports_offset(ip_proto);
	if (poff >= 0) {
		pp = skb_header_pointer(skb, nhoff + poff, (int)sizeof(_ports), &_ports);
		if (pp)
			memcpy(ports, pp, sizeof(*ports));
	}
	return true;
}

/* Context: softirq (get_rps_cpu) or any: reads the packet only. */
void __skb_get_rxhash(struct sk_buff *skb)
{
	__be32 src, dst;
	u32 ports, hash;
	u16 sport, dport;

	if (!rps_flow_dissect(skb, &src, &dst, &ports))
		return;
	if (ports)
		skb->l4_rxhash = 1;
	/* The same hash for both directions of a flow: order the addresses, then the ports. */
	memcpy(&sport, &ports, 2);
	memcpy(&dport, (u8 *)&ports + 2, 2);
	if ((u32)dst < (u32)src || ((u32)dst == (u32)src && dport < sport)) {
		__be32 t = src;

		src = dst;
		dst = t;
		memcpy(&ports, &dport, 2);
		memcpy((u8 *)&ports + 2, &sport, 2);
	}
	hash = jhash_3words((u32)dst, (u32)src, ports, READ_ONCE(hashrnd));
	skb->rxhash = hash ? hash : 1;
}

/* ---- rx-N/rps_cpus ---- */

/* The RX queues of @dev, allocated on first use. Caller holds rtnl_lock. */
static struct netdev_rx_queue *netif_alloc_rx_queues(struct net_device *dev)
{
	struct netdev_rx_queue *rx = dev->_rx;
	unsigned int i;

	if (rx)
		return rx;
	rx = kcalloc(dev->num_rx_queues, sizeof(*rx), GFP_KERNEL);
	if (!rx)
		return NULL;
	for (i = 0; i < dev->num_rx_queues; i++)
		rx[i].dev = dev;
	WRITE_ONCE(dev->_rx, rx);
	return rx;
}

/* store_rps_map: the online CPUs of the mask, in order, or no map for an empty mask (RPS off
 * for the queue). Caller holds rtnl_lock. */
static int store_rps_map(struct netdev_rx_queue *queue, const char *buf)
{
	struct rps_map *map, *old_map;
	unsigned long mask;
	unsigned int i = 0;
	int err, cpu;

	err = cpumask_parse_hex(buf, strlen(buf), &mask);
	if (err)
		return err;
	mask &= cpu_online_mask_bits();
	map = kzalloc(max_t(size_t, RPS_MAP_SIZE(__builtin_popcountl(mask)), RPS_L1_CACHE_BYTES),
		      GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	for_each_online_cpu(cpu)
		if (mask & (1UL << cpu))
			map->cpus[i++] = (u16)cpu;
	if (i) {
		map->len = i;
	} else {
		kfree(map);
		map = NULL;
	}
	if (map && !hashrnd_set) {
		get_random_bytes(&hashrnd, sizeof(hashrnd));
		hashrnd_set = true;
	}
	old_map = queue->rps_map;
	if (old_map) {
		/* DIVERGES: no RCU (kfree_rcu): a reader on another CPU may still use it. */
		old_map->ul_retired = queue->ul_retired;
		queue->ul_retired = old_map;
	}
	WRITE_ONCE(queue->rps_map, map);
	if (map)
		atomic_inc(&rps_needed);
	if (old_map)
		atomic_dec(&rps_needed);
	return 0;
}

static void rps_map_chain_free(struct rps_map *map)
{
	unsigned int n = 0;

	while (map && n++ < (1u << 20)) {
		struct rps_map *next = map->ul_retired;

		kfree(map);
		map = next;
	}
}

/* free_netdev: the maps of every RX queue (the current ones and those they replaced). */
void netif_free_rx_queues(struct net_device *dev)
{
	struct netdev_rx_queue *rx = dev->_rx;
	unsigned int i;

	if (!rx)
		return;
	for (i = 0; i < dev->num_rx_queues; i++) {
		if (rx[i].rps_map)
			atomic_dec(&rps_needed);
		kfree(rx[i].rps_map);
		rps_map_chain_free(rx[i].ul_retired);
	}
	kfree(rx);
	dev->_rx = NULL;
}

/* net_dev_fini: forget the hash seed (the next stack draws its own). */
void rps_fini(void)
{
	hashrnd = 0;
	hashrnd_set = false;
	atomic_set(&rps_needed, 0);
}

/* ---- /sys/class/net/DEV/queues/rx-N/FILE ---- */

enum { SYSFS_RPS_CPUS, SYSFS_RPS_FLOW_CNT };

/* "/sys/class/net/eth0/queues/rx-0/rps_cpus" -> @dev's queue 0, SYSFS_RPS_CPUS. Caller holds
 * rtnl_lock. 0, -ENOENT (no such device, queue or file). */
static int net_sysfs_lookup(struct net *net, const char *path, struct net_device **devp,
			    unsigned int *qp, int *filep)
{
	static const char prefix[] = "/sys/class/net/";
	char name[IFNAMSIZ], file[32];
	unsigned int q;
	int n = 0;

	if (!net || strncmp(path, prefix, sizeof(prefix) - 1))
		return -ENOENT;
	path += sizeof(prefix) - 1;
	if (sscanf(path, "%15[^/]/queues/rx-%u/%31[a-z_]%n", name, &q, file, &n) != 3 ||
	    path[n] != '\0')
		return -ENOENT;
	if (!strcmp(file, "rps_cpus"))
		*filep = SYSFS_RPS_CPUS;
	else if (!strcmp(file, "rps_flow_cnt"))
		*filep = SYSFS_RPS_FLOW_CNT;
	else
		return -ENOENT;
	*devp = __dev_get_by_name(net, name);
	/* The queues directory lists the real number of RX queues. */
	if (!*devp || q >= (*devp)->real_num_rx_queues)
		return -ENOENT;
	*qp = q;
	return 0;
}

bool net_sysfs_path(const char *path)
{
	return path && !strncmp(path, "/sys/", 5);
}

/* cat /sys/class/net/DEV/queues/rx-N/FILE: a malloc'd string, or NULL and *@err. Context:
 * process. */
char *net_sysfs_read(struct net *net, const char *path, int *err)
{
	struct net_device *dev;
	struct seq_file m;
	unsigned int q;
	int file;

	memset(&m, 0, sizeof(m));
	rtnl_lock();
	*err = net_sysfs_lookup(net, path, &dev, &q, &file);
	if (*err) {
		rtnl_unlock();
		return NULL;
	}
	if (file == SYSFS_RPS_CPUS) {
		const struct rps_map *map = dev->_rx ? dev->_rx[q].rps_map : NULL;
		unsigned long mask = 0;
		unsigned int i;

		for (i = 0; map && i < map->len; i++)
			mask |= 1UL << map->cpus[i];
		seq_cpumask(&m, mask);
		seq_putc(&m, '\n');
	} else {
		seq_puts(&m, "0\n");
	}
	rtnl_unlock();
	if (!m.buf)
		*err = -ENOMEM;
	return m.buf;
}

/* echo VALUE > /sys/class/net/DEV/queues/rx-N/FILE. Context: process. */
int net_sysfs_write(struct net *net, const char *path, const char *buf)
{
	struct net_device *dev;
	unsigned int q;
	int file, err;

	if (!buf)
		return -EINVAL;
	rtnl_lock();
	err = net_sysfs_lookup(net, path, &dev, &q, &file);
	if (err)
		goto out;
	if (file == SYSFS_RPS_FLOW_CNT) {
		char *end;
		unsigned long cnt = strtoul(buf, &end, 0);

		if (end == buf || (*end && strcmp(end, "\n")))
			err = -EINVAL;
		else if (cnt) {
			pr_warn("%s: rps_flow_cnt: RFS (the flow table) is not implemented\n",
				dev->name);
			err = -EOPNOTSUPP;
		}
		goto out;
	}
	if (!netif_alloc_rx_queues(dev)) {
		err = -ENOMEM;
		goto out;
	}
	err = store_rps_map(&dev->_rx[q], buf);
out:
	rtnl_unlock();
	return err;
}
