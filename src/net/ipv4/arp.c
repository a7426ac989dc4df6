/* SPDX-License-Identifier: MIT */
/* ARP (RFC 826): resolving IPv4 next hops to link addresses and answering for ours.
 * Mirrors linux/net/ipv4/arp.c (3.10): arp_tbl, arp_hash, arp_constructor, arp_solicit,
 * arp_error_report, arp_ignore, arp_filter, arp_create, arp_xmit, arp_send, arp_rcv,
 * arp_process, arp_netdev_event, arp_ifdown, arp_mc_map, /proc/net/arp (arp_seq_show), and
 * arp_send_gratuitous (announcing an address; fib_inetaddr_event calls it when one is
 * added).
 *
 * DIVERGES: no proxy ARP (proxy_arp / pneigh entries): requests for addresses that are not
 * ours are never answered. No ARP for IEEE 1394, DLCI, AX.25 devices: Ethernet-like only.
 *
 * Context: arp_rcv/arp_process run in softirq (NET_RX); arp_solicit from the neighbour
 * timer (softirq) or the sender; notifiers under rtnl_lock. */
#include "net/arp.h"
#include "linux/errno.h"
#include "linux/etherdevice.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/netfilter.h"
#include "linux/rtnetlink.h"
#include "linux/seq_file.h"
#include "net/dst.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "trace/path.h"

#ifndef LL_RESERVED_SPACE
#define HH_DATA_MOD	16
#define LL_RESERVED_SPACE(dev) \
	((((dev)->hard_header_len + (dev)->needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD)
#endif

static u32 arp_hash(const void *pkey, const struct net_device *dev, __u32 hash_rnd);
static int arp_constructor(struct neighbour *neigh);
static void arp_solicit(struct neighbour *neigh, struct sk_buff *skb);
static void arp_error_report(struct neighbour *neigh, struct sk_buff *skb);

static const struct neigh_ops arp_generic_ops = {
	.family = AF_INET,
	.solicit = arp_solicit,
	.error_report = arp_error_report,
	.output = neigh_resolve_output,
	.connected_output = neigh_connected_output,
};

/* Devices that cache their link header (header_ops->cache): a connected entry still goes
 * through neigh_resolve_output, which builds the cache; after that ip_finish_output2 sends
 * with neigh_hh_output while the entry is NUD_CONNECTED. */
static const struct neigh_ops arp_hh_ops = {
	.family = AF_INET,
	.solicit = arp_solicit,
	.error_report = arp_error_report,
	.output = neigh_resolve_output,
	.connected_output = neigh_resolve_output,
};

static const struct neigh_ops arp_direct_ops = {
	.family = AF_INET,
	.output = neigh_direct_output,
	.connected_output = neigh_direct_output,
};

/* 3.10 defaults (facts.md §1.6). */
struct neigh_table arp_tbl = {
	.family = AF_INET,
	.key_len = 4,
	.entry_size = sizeof(struct neighbour),
	.hash = arp_hash,
	.constructor = arp_constructor,
	.id = "arp_cache",
	.parms = {
		.base_reachable_time = 30 * HZ,
		.retrans_time = 1 * HZ,
		.gc_staletime = 60 * HZ,
		.reachable_time = 30 * HZ,
		.delay_probe_time = 5 * HZ,
		.queue_len_bytes = 64 * 1024,
		.ucast_probes = 3,
		.mcast_probes = 3,
		.anycast_delay = 1 * HZ,
		.proxy_delay = (8 * HZ) / 10,
		.proxy_qlen = 64,
		.locktime = 1 * HZ,
	},
	.gc_interval = 30 * HZ,
	.gc_thresh1 = 128,
	.gc_thresh2 = 512,
	.gc_thresh3 = 1024,
	.index = NEIGH_ARP_TABLE,
};

int arp_mc_map(__be32 addr, u8 *haddr, struct net_device *dev, int dir)
{
	switch (dev->type) {
	case ARPHRD_ETHER:
	case ARPHRD_IEEE802:
		if (ipv4_is_multicast(addr)) {
			/* RFC 1112 6.4: 01:00:5e + the low 23 bits of the group. */
			u32 a = ntohl(addr);

			haddr[0] = 0x01;
			haddr[1] = 0x00;
			haddr[2] = 0x5e;
			haddr[3] = (a >> 16) & 0x7f;
			haddr[4] = (a >> 8) & 0xff;
			haddr[5] = a & 0xff;
			return 0;
		}
		/* fall through */
	default:
		if (dir) {
			memcpy(haddr, dev->broadcast, dev->addr_len);
			return 0;
		}
	}
	return -EINVAL;
}

static u32 arp_hash(const void *pkey, const struct net_device *dev, __u32 hash_rnd)
{
	u32 key;

	memcpy(&key, pkey, sizeof(key));
	return arp_hashfn(key, dev, hash_rnd);
}

/* Set up a new entry: parms of the device, and the state that needs no resolution
 * (loopback, NOARP, broadcast, multicast). Context: any (from __neigh_create). */
static int arp_constructor(struct neighbour *neigh)
{
	struct net_device *dev = neigh->dev;
	struct in_device *in_dev;
	__be32 addr;

	/* One entry per device on lo and point-to-point links (3.10's INADDR_ANY key). */
	if (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT))
		memset(neigh->primary_key, 0, sizeof(__be32));
	memcpy(&addr, neigh->primary_key, sizeof(addr));

	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return -EINVAL;

	neigh->type = (u8)inet_addr_type(dev_net(dev), addr);
	if (in_dev->arp_parms) {
		neigh_parms_put(neigh->parms);
		neigh->parms = neigh_parms_clone(in_dev->arp_parms);
	}

	if (!dev->header_ops) {
		neigh->nud_state = NUD_NOARP;
		neigh->ops = &arp_direct_ops;
		neigh->output = neigh_direct_output;
		return 0;
	}
	if (neigh->type == RTN_MULTICAST) {
		neigh->nud_state = NUD_NOARP;
		arp_mc_map(addr, neigh->ha, dev, 1);
	} else if (dev->flags & (IFF_NOARP | IFF_LOOPBACK)) {
		neigh->nud_state = NUD_NOARP;
		memcpy(neigh->ha, dev->dev_addr, dev->addr_len);
	} else if (neigh->type == RTN_BROADCAST || (dev->flags & IFF_POINTOPOINT)) {
		neigh->nud_state = NUD_NOARP;
		memcpy(neigh->ha, dev->broadcast, dev->addr_len);
	}
	if (dev->header_ops->cache)
		neigh->ops = &arp_hh_ops;
	else
		neigh->ops = &arp_generic_ops;
	if (neigh->nud_state & NUD_VALID)
		neigh->output = neigh->ops->connected_output;
	else
		neigh->output = neigh->ops->output;
	return 0;
}

/* A queued packet cannot be delivered: ICMP host unreachable to its sender, then drop. */
static void arp_error_report(struct neighbour *neigh, struct sk_buff *skb)
{
	dst_link_failure(skb);
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_FAILED);
}

/* Send a request for @neigh: broadcast while INCOMPLETE, unicast to the known address in
 * PROBE (probes < ucast_probes). @skb: a copy of the first queued packet, or NULL. */
static void arp_solicit(struct neighbour *neigh, struct sk_buff *skb)
{
	struct net_device *dev = neigh->dev;
	__be32 target, saddr = 0;
	const u8 *dst_ha = NULL;
	u8 ha[MAX_ADDR_LEN];
	struct in_device *in_dev;
	int probes = atomic_read(&neigh->probes);

	memcpy(&target, neigh->primary_key, sizeof(target));
	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return;
	UL_TRACE(skb);
	switch (IN_DEV_ARP_ANNOUNCE(in_dev)) {
	default:
	case 0:		/* by default announce any local IP */
		if (skb && skb->protocol == htons(ETH_P_IP) &&
		    inet_addr_type(dev_net(dev), ip_hdr(skb)->saddr) == RTN_LOCAL)
			saddr = ip_hdr(skb)->saddr;
		break;
	case 1:		/* restrict announcements of saddr to the target's subnet */
		if (!skb || skb->protocol != htons(ETH_P_IP))
			break;
		saddr = ip_hdr(skb)->saddr;
		if (inet_addr_type(dev_net(dev), saddr) == RTN_LOCAL &&
		    inet_addr_onlink(in_dev, target, saddr))
			break;
		saddr = 0;
		break;
	case 2:		/* avoid secondary IPs, get a primary/preferred one */
		break;
	}
	if (!saddr)
		saddr = inet_select_addr(dev, target, RT_SCOPE_LINK);

	probes -= neigh->parms->ucast_probes;
	if (probes < 0) {
		read_lock_bh(&neigh->lock);
		memcpy(ha, neigh->ha, dev->addr_len);
		read_unlock_bh(&neigh->lock);
		dst_ha = ha;
	} else {
		probes -= neigh->parms->app_probes;
		if (probes < 0)
			return;	/* app probes: no arpd in ulnet */
	}
	arp_send(ARPOP_REQUEST, ETH_P_ARP, target, dev, saddr, dst_ha, dev->dev_addr, NULL);
}

/* net.ipv4.conf.*.arp_ignore: 1 if the request for @tip must not be answered. */
static int arp_ignore(struct in_device *in_dev, __be32 sip, __be32 tip)
{
	int scope;

	switch (IN_DEV_ARP_IGNORE(in_dev)) {
	case 0:	/* reply, the tip is already validated */
		return 0;
	case 1:	/* reply only if tip is configured on the incoming interface */
		sip = 0;
		scope = RT_SCOPE_HOST;
		break;
	case 2:	/* ... and sip is in tip's subnet */
		scope = RT_SCOPE_HOST;
		break;
	case 3:	/* do not reply for scope host addresses */
		sip = 0;
		scope = RT_SCOPE_LINK;
		break;
	case 8:	/* do not reply */
		return 1;
	default: /* 4-7 reserved */
		return 0;
	}
	return !inet_confirm_addr(in_dev, sip, tip, scope);
}

/* net.ipv4.conf.*.arp_filter: answer only if our route back to @sip leaves by @dev. */
static int arp_filter(__be32 sip, __be32 tip, struct net_device *dev)
{
	struct net *net = dev_net(dev);
	struct flowi4 fl4;
	struct rtable *rt;
	int flag = 0;

	flowi4_init_output(&fl4, 0, 0, 0, RT_SCOPE_UNIVERSE, 0, 0, sip, tip, 0, 0);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return 1;
	if (rt->dst.dev != dev) {
		NET_INC_STATS_BH(net, LINUX_MIB_ARPFILTER);
		flag = 1;
	}
	ip_rt_put(rt);
	return flag;
}

struct sk_buff *arp_create(int type, int ptype, __be32 dest_ip, struct net_device *dev,
			   __be32 src_ip, const unsigned char *dest_hw,
			   const unsigned char *src_hw, const unsigned char *target_hw)
{
	int hlen = LL_RESERVED_SPACE(dev);
	int tlen = dev->needed_tailroom;
	struct sk_buff *skb;
	struct arphdr *arp;
	unsigned char *arp_ptr;

	skb = alloc_skb((unsigned int)(arp_hdr_len(dev) + hlen + tlen), GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, hlen);
	skb_reset_network_header(skb);
	arp = (struct arphdr *)skb_put(skb, (unsigned int)arp_hdr_len(dev));
	skb->dev = dev;
	skb->protocol = htons(ETH_P_ARP);
	if (!src_hw)
		src_hw = dev->dev_addr;
	if (!dest_hw)
		dest_hw = dev->broadcast;

	/* The device header of the ARP frame. */
	if (dev_hard_header(skb, dev, (unsigned short)ptype, dest_hw, src_hw, skb->len) < 0) {
		kfree_skb(skb);
		return NULL;
	}
	arp->ar_hrd = htons(dev->type);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = dev->addr_len;
	arp->ar_pln = 4;
	arp->ar_op = htons((u16)type);

	arp_ptr = (unsigned char *)(arp + 1);
	memcpy(arp_ptr, src_hw, dev->addr_len);
	arp_ptr += dev->addr_len;
	memcpy(arp_ptr, &src_ip, 4);
	arp_ptr += 4;
	if (target_hw)
		memcpy(arp_ptr, target_hw, dev->addr_len);
	else
		memset(arp_ptr, 0, dev->addr_len);
	arp_ptr += dev->addr_len;
	memcpy(arp_ptr, &dest_ip, 4);
	return skb;
}

static int arp_xmit_finish(struct sk_buff *skb)
{
	return dev_queue_xmit(skb);
}

void arp_xmit(struct sk_buff *skb)
{
	UL_TRACE(skb);
	NF_HOOK(NFPROTO_ARP, NF_ARP_OUT, skb, NULL, skb->dev, arp_xmit_finish);
}

void arp_send(int type, int ptype, __be32 dest_ip, struct net_device *dev, __be32 src_ip,
	      const unsigned char *dest_hw, const unsigned char *src_hw,
	      const unsigned char *target_hw)
{
	struct sk_buff *skb;

	/* No ARP on this interface. */
	if (dev->flags & IFF_NOARP)
		return;
	skb = arp_create(type, ptype, dest_ip, dev, src_ip, dest_hw, src_hw, target_hw);
	if (!skb)
		return;
	arp_xmit(skb);
}

void arp_send_gratuitous(struct net_device *dev, __be32 ip)
{
	if (!ip || !(dev->flags & IFF_UP) || (dev->flags & (IFF_NOARP | IFF_LOOPBACK)))
		return;
	arp_send(ARPOP_REQUEST, ETH_P_ARP, ip, dev, ip, NULL, dev->dev_addr, NULL);
}

/* Process an ARP packet that passed arp_rcv and NF_ARP_IN. Consumes @skb. */
static int arp_process(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	struct net *net = dev_net(dev);
	struct arphdr *arp;
	unsigned char *arp_ptr, *sha;
	struct neighbour *n;
	__be32 sip, tip;

	UL_TRACE(skb);
	/* arp_rcv checked the header lengths and that the device does ARP. */
	if (!in_dev)
		goto out;
	arp = arp_hdr(skb);
	switch (dev->type) {
	case ARPHRD_ETHER:
	case ARPHRD_IEEE802:
		/* Ethernet accepts hardware types 1 (Ethernet) and 6 (IEEE 802.2). */
		if ((arp->ar_hrd != htons(ARPHRD_ETHER) && arp->ar_hrd != htons(ARPHRD_IEEE802)) ||
		    arp->ar_pro != htons(ETH_P_IP))
			goto out_proto;
		break;
	default:
		if (arp->ar_pro != htons(ETH_P_IP) || htons(dev->type) != arp->ar_hrd)
			goto out_proto;
		break;
	}
	/* Understand only these message types. */
	if (arp->ar_op != htons(ARPOP_REPLY) && arp->ar_op != htons(ARPOP_REQUEST))
		goto out_proto;

	arp_ptr = (unsigned char *)(arp + 1);
	sha = arp_ptr;
	arp_ptr += dev->addr_len;
	memcpy(&sip, arp_ptr, 4);
	arp_ptr += 4;
	arp_ptr += dev->addr_len;	/* tha */
	memcpy(&tip, arp_ptr, 4);

	/* Bad requests for 127.x.x.x and requests for multicast addresses. */
	if (ipv4_is_multicast(tip) || (!IN_DEV_ROUTE_LOCALNET(in_dev) && ipv4_is_loopback(tip)))
		goto out_proto;

	/* Duplicate address detection probe (RFC 2131 / RFC 5227): sender 0.0.0.0. */
	if (sip == 0) {
		if (arp->ar_op == htons(ARPOP_REQUEST) && inet_addr_type(net, tip) == RTN_LOCAL &&
		    !arp_ignore(in_dev, sip, tip))
			arp_send(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha, dev->dev_addr, sha);
		goto out;
	}

	if (arp->ar_op == htons(ARPOP_REQUEST) &&
	    ip_route_input_noref(skb, tip, sip, 0, dev) == 0) {
		struct rtable *rt = skb_rtable(skb);

		if (rt->rt_type == RTN_LOCAL) {
			int dont_send = arp_ignore(in_dev, sip, tip);

			if (!dont_send && IN_DEV_ARPFILTER(in_dev))
				dont_send = arp_filter(sip, tip, dev);
			if (!dont_send) {
				/* The asker is alive: learn it (STALE), then answer. */
				n = neigh_event_ns(&arp_tbl, sha, &sip, dev);
				if (n) {
					arp_send(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha,
						 dev->dev_addr, sha);
					neigh_release(n);
				}
			}
			goto out;
		}
		/* Not ours: proxy ARP would answer here (see DIVERGES above). */
	}

	/* Update our ARP tables: only entries we already have (arp_accept 0). */
	n = __neigh_lookup(&arp_tbl, &sip, dev, 0);
	if (IN_DEV_ARP_ACCEPT(in_dev)) {
		/* Unsolicited ARP is not accepted by default. */
		if (!n && (arp->ar_op == htons(ARPOP_REPLY) ||
			   (arp->ar_op == htons(ARPOP_REQUEST) && tip == sip)) &&
		    inet_addr_type(net, sip) == RTN_UNICAST)
			n = __neigh_lookup(&arp_tbl, &sip, dev, 1);
	}
	if (n) {
		int state = NUD_REACHABLE;
		/* Several replies back to back (proxies): the first one wins for locktime. */
		int override = time_after(jiffies, n->updated + (unsigned long)n->parms->locktime);

		/* Broadcast replies and requests do not assert reachability. */
		if (arp->ar_op != htons(ARPOP_REPLY) || skb->pkt_type != PACKET_HOST)
			state = NUD_STALE;
		neigh_update(n, sha, (u8)state, override ? NEIGH_UPDATE_F_OVERRIDE : 0);
		neigh_release(n);
	}
out:
	consume_skb(skb);
	return 0;
out_proto:
	kfree_skb_reason(skb, SKB_DROP_REASON_INVALID_PROTO);
	return 0;
}

/* ETH_P_ARP handler: validate lengths, then NF_ARP_IN and arp_process. Consumes @skb.
 * Context: softirq. */
int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
	    struct net_device *orig_dev)
{
	const struct arphdr *arp;

	UL_TRACE(skb);
	if (dev->flags & IFF_NOARP) {
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
	if (skb->pkt_type == PACKET_OTHERHOST || skb->pkt_type == PACKET_LOOPBACK) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return 0;
	/* ARP header, plus 2 device addresses, plus 2 IP addresses. */
	if (!pskb_may_pull(skb, (unsigned int)arp_hdr_len(dev))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	skb_reset_network_header(skb);
	arp = arp_hdr(skb);
	if (arp->ar_hln != dev->addr_len || arp->ar_pln != 4) {
		kfree_skb_reason(skb, SKB_DROP_REASON_HDR_TRUNC);
		return 0;
	}
	memset(skb->cb, 0, sizeof(skb->cb));
	return NF_HOOK(NFPROTO_ARP, NF_ARP_IN, skb, dev, NULL, arp_process);
}

int arp_ifdown(struct net_device *dev)
{
	return neigh_ifdown(&arp_tbl, dev);
}

static int arp_netdev_event(struct notifier_block *this, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_CHANGEADDR:
		neigh_changeaddr(&arp_tbl, dev);
		rt_cache_flush(dev_net(dev));
		break;
	case NETDEV_UNREGISTER:
		/* Entries still on the device (devinet normally did arp_ifdown already). */
		neigh_ifdown(&arp_tbl, dev);
		break;
	case NETDEV_CHANGENAME: {
		/* net.ipv4.neigh.OLD.* becomes net.ipv4.neigh.NEW.* */
		struct in_device *in_dev = __in_dev_get_rtnl(dev);

		if (in_dev && in_dev->arp_parms) {
			neigh_sysctl_unregister(in_dev->arp_parms);
			neigh_sysctl_register(dev, in_dev->arp_parms, NULL);
		}
		break;
	}
	default:
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block arp_netdev_notifier = {
	.notifier_call = arp_netdev_event,
	.priority = -1,		/* after devinet's */
};

/* ---- /proc/net/arp ---- */

#define ATF_COM		0x02	/* completed entry (ha valid) */
#define ATF_PERM	0x04	/* permanent entry */

static int arp_state_to_flags(const struct neighbour *neigh)
{
	if (neigh->nud_state & NUD_PERMANENT)
		return ATF_PERM | ATF_COM;
	if (neigh->nud_state & NUD_VALID)
		return ATF_COM;
	return 0;
}

static int arp_seq_entry(struct neighbour *n, void *arg)
{
	struct seq_file *seq = arg;
	struct net_device *dev = n->dev;
	char hbuffer[3 * MAX_ADDR_LEN + 1];
	char tbuf[INET_ADDRSTRLEN];
	int k, j = 0;

	/* 3.10 lists no NOARP entries (NEIGH_SEQ_SKIP_NOARP); other namespaces' entries are
	 * in their own part of the table. */
	if (n->nud_state & NUD_NOARP)
		return 0;
	for (k = 0; k < dev->addr_len && k < MAX_ADDR_LEN; k++) {
		static const char hex[] = "0123456789abcdef";

		if (k)
			hbuffer[j++] = ':';
		hbuffer[j++] = hex[(n->ha[k] >> 4) & 0xf];
		hbuffer[j++] = hex[n->ha[k] & 0xf];
	}
	hbuffer[j] = '\0';
	inet_ntop(AF_INET, n->primary_key, tbuf, sizeof(tbuf));
	seq_printf(seq, "%-16s 0x%-10x0x%-10x%s     *        %s\n", tbuf, dev->type,
		   arp_state_to_flags(n), hbuffer, dev->name);
	return 0;
}

static int arp_seq_show(struct seq_file *seq, void *v)
{
	seq_puts(seq, "IP address       HW type     Flags       HW address            "
		 "Mask     Device\n");
	neigh_for_each(&arp_tbl, seq->net, arp_seq_entry, seq);
	return 0;
}

static bool arp_inited;

static struct packet_type arp_packet_type = {
	.type = htons_c(ETH_P_ARP),
	.func = arp_rcv,
	.ul_func_name = "arp_rcv",
};

/* Boot (inet_init, before devinet: in_devices take their arp_parms from arp_tbl). */
void arp_init(void)
{
	if (arp_inited)
		return;
	neigh_table_init(&arp_tbl);
	dev_add_pack(&arp_packet_type);
	proc_create_single("net/arp", arp_seq_show, NULL);
	register_netdevice_notifier(&arp_netdev_notifier);
	arp_inited = true;
}

void arp_fini(void)
{
	if (!arp_inited)
		return;
	unregister_netdevice_notifier(&arp_netdev_notifier);
	proc_remove_path("net/arp");
	dev_remove_pack(&arp_packet_type);
	neigh_table_clear(&arp_tbl);
	arp_inited = false;
}

/* ip_finish_output2's lookup, per packet sent: as 3.10's inline version, the 4-byte key
 * compared as a word and arp_hashfn called directly (__neigh_lookup_noref's memcmp and
 * indirect hash call cost as much again). Same buckets as __neigh_lookup_noref. */
struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key)
{
	struct neigh_table_net *tn = neigh_tbl_net(&arp_tbl, dev_net(dev));
	struct neighbour *n;
	u32 pk;

	if (dev->flags & (IFF_LOOPBACK | IFF_POINTOPOINT))
		key = 0;
	if (unlikely(!tn))
		return NULL;
	for (n = tn->hash_buckets[arp_hashfn(key, dev, tn->hash_rnd) >> (32 - tn->hash_shift)];
	     n; n = n->next) {
		memcpy(&pk, n->primary_key, sizeof(pk));
		if (pk == key && n->dev == dev)
			return n;
	}
	return NULL;
}

struct neighbour *__ipv4_neigh_lookup(struct net_device *dev, u32 key)
{
	struct neighbour *n;

	rcu_read_lock_bh();
	n = __ipv4_neigh_lookup_noref(dev, key);
	if (n && !atomic_inc_not_zero(&n->refcnt))
		n = NULL;
	rcu_read_unlock_bh();
	return n;
}
