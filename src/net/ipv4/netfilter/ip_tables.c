/* SPDX-License-Identifier: MIT */
/* The rule walker of iptables: match each rule of a chain against the packet, count it,
 * and follow its target (a verdict, a jump into a user chain, RETURN, REJECT), falling
 * back to the chain's policy.
 * Mirrors linux/net/ipv4/netfilter/ip_tables.c (3.10): ip_packet_match, ipt_do_table (with
 * its jump stack), and the tcp/udp/icmp matches of xt_tcpudp.c (tcp_mt, udp_mt,
 * port_match), ip_tables.c's icmp_match and xt_addrtype.c's addrtype_mt_v1; table/chain
 * management that Linux leaves to libiptc (DIVERGES: see ip_tables.h).
 * Context: the hook's (softirq, or the sender for LOCAL_OUT); management under rtnl. */
#include <string.h>
#include "linux/in.h"
#include "linux/slab.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "trace/path.h"

/* 3.10 XT_MAX_JUMPS-ish bound on nested user chains (the stack of ipt_do_table). */
#define IPT_STACK_MAX 32

/* iniface with iniface_mask: "" matches all; "eth+" matches a prefix. */
static bool ifname_match(const char *pattern, const struct net_device *dev)
{
	size_t n = strlen(pattern);

	if (!n)
		return true;
	if (!dev)
		return false;
	if (pattern[n - 1] == '+')
		return !strncmp(dev->name, pattern, n - 1);
	return !strcmp(dev->name, pattern);
}

/* 3.10 ip_packet_match: addresses under their masks, interfaces, protocol, each with its
 * '!' inversion. */
static bool ip_packet_match(const struct iphdr *iph, const struct ipt_ip *ipinfo,
			    const struct net_device *in, const struct net_device *out)
{
#define FWINV(bool_, invflg) ((bool_) ^ !!(ipinfo->invflags & (invflg)))
	if (FWINV((iph->saddr & ipinfo->smsk) != ipinfo->src, IPT_INV_SRCIP) ||
	    FWINV((iph->daddr & ipinfo->dmsk) != ipinfo->dst, IPT_INV_DSTIP))
		return false;
	if (FWINV(!ifname_match(ipinfo->iniface, in), IPT_INV_VIA_IN))
		return false;
	if (FWINV(!ifname_match(ipinfo->outiface, out), IPT_INV_VIA_OUT))
		return false;
	if (ipinfo->proto && FWINV(iph->protocol != ipinfo->proto, IPT_INV_PROTO))
		return false;
#undef FWINV
	return true;
}

static bool port_match(u16 min, u16 max, u16 port, bool invert)
{
	return (port >= min && port <= max) ^ invert;
}

/* The tcp/udp/icmp matches. A non-first fragment has no transport header: the port and
 * type matches fail on it (3.10 tcp_mt/udp_mt return false for fragoff != 0). */
static bool l4_match(const struct ipt_entry *e, const struct sk_buff *skb,
		     const struct iphdr *iph)
{
	int thoff = skb_network_offset(skb) + iph->ihl * 4;
	u8 buf[4];

	if (!e->has_sport && !e->has_dport && !e->has_icmp)
		return true;
	if (ntohs(iph->frag_off) & IP_OFFSET)
		return false;
	if (skb_copy_bits(skb, thoff, buf, sizeof(buf)) < 0)
		return false;	/* truncated: 3.10 hotdrops it */
	if (e->has_icmp) {
		/* (type 0xff would be "any", iptables' icmp-type "any") */
		bool m = e->icmp_type == 0xff ||
			 (buf[0] == e->icmp_type &&
			  (e->icmp_code == 0xff || buf[1] == e->icmp_code));

		if (iph->protocol != IPPROTO_ICMP || (m ^ e->inv_icmp) == false)
			return false;
	}
	if (e->has_sport &&
	    !port_match(e->spts[0], e->spts[1], (u16)((buf[0] << 8) | buf[1]), e->inv_sport))
		return false;
	if (e->has_dport &&
	    !port_match(e->dpts[0], e->dpts[1], (u16)((buf[2] << 8) | buf[3]), e->inv_dport))
		return false;
	return true;
}

/* 3.10 xt_addrtype.c addrtype_mt_v1: the route type of the source / destination (in the
 * local table, limited to the in or out device if asked), against a mask of types. */
static bool addrtype_match_type(struct net *net, const struct net_device *dev, __be32 addr,
				u16 mask)
{
	return !!(mask & (1U << inet_dev_addr_type(net, dev, addr)));
}

static bool addrtype_mt(const struct xt_addrtype_info_v1 *info, const struct iphdr *iph,
			const struct net_device *in, const struct net_device *out)
{
	const struct net_device *dev = NULL, *any = in ? in : out;
	struct net *net;
	bool ret = true;

	if (!any)
		return false;
	net = dev_net(any);
	if (info->flags & XT_ADDRTYPE_LIMIT_IFACE_IN)
		dev = in;
	else if (info->flags & XT_ADDRTYPE_LIMIT_IFACE_OUT)
		dev = out;
	if (info->source)
		ret &= addrtype_match_type(net, dev, iph->saddr, info->source) ^
		       !!(info->flags & XT_ADDRTYPE_INVERT_SOURCE);
	if (ret && info->dest)
		ret &= addrtype_match_type(net, dev, iph->daddr, info->dest) ^
		       !!(info->flags & XT_ADDRTYPE_INVERT_DEST);
	return ret;
}

bool ipt_entry_matches(const struct ipt_entry *e, const struct sk_buff *skb,
		       const struct net_device *in, const struct net_device *out)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!ip_packet_match(iph, &e->ip, in, out))
		return false;
	/* xt_state / xt_conntrack --ctstate: the skb's conntrack state, INVALID if none. */
	if (e->statemask && !(!!(nf_ct_state_bit(skb) & e->statemask) ^ e->inv_state))
		return false;
	if ((e->addrtype.source || e->addrtype.dest) && !addrtype_mt(&e->addrtype, iph, in, out))
		return false;
	return l4_match(e, skb, iph);
}

unsigned int ipt_do_table(struct sk_buff *skb, unsigned int hook, const struct net_device *in,
			  const struct net_device *out, struct xt_table *table)
{
	struct {
		struct ipt_chain *chain;
		struct ipt_entry *next;	/* the rule after the jump, or NULL: chain end */
	} stack[IPT_STACK_MAX];
	struct ipt_chain *base, *chain;
	struct ipt_entry *e;
	unsigned int sp = 0, steps = 0;

	UL_TRACE(skb);
	if (hook >= NF_INET_NUMHOOKS || !(base = table->hook_chain[hook]))
		return NF_ACCEPT;
	chain = base;
	e = list_first_entry_or_null(&chain->rules, struct ipt_entry, list);
	/* Bounded: each step moves to a rule; loops between chains are refused at -A/-I
	 * time as iptables does, and the step count is a second guard. */
	while (steps++ < 100000) {
		if (!e) {
			/* End of a chain: back to the caller, or the built-in chain's policy. */
			if (chain == base || sp == 0) {
				base->pcnt++;
				base->bcnt += skb->len;
				return (unsigned int)base->policy;
			}
			sp--;
			chain = stack[sp].chain;
			e = stack[sp].next;
			continue;
		}
		if (!ipt_entry_matches(e, skb, in, out)) {
			e = list_is_last(&e->list, &chain->rules) ? NULL :
			    list_next_entry(e, list);
			continue;
		}
		e->pcnt++;
		e->bcnt += skb->len;
		switch (e->kind) {
		case IPT_T_VERDICT:
			return (unsigned int)e->verdict;
		case IPT_T_REJECT:
			ipt_reject_send(skb, e->reject_with, hook);
			return NF_DROP;
		case IPT_T_SNAT:
		case IPT_T_DNAT:
		case IPT_T_MASQUERADE:
			return ipt_nat_target(skb, e, hook, out);
		case IPT_T_RETURN:
			e = NULL;	/* as the end of this chain */
			if (chain == base) {
				base->pcnt++;
				base->bcnt += skb->len;
				return (unsigned int)base->policy;
			}
			continue;
		case IPT_T_JUMP:
			if (sp >= IPT_STACK_MAX)
				return NF_DROP;
			stack[sp].chain = chain;
			stack[sp].next = list_is_last(&e->list, &chain->rules) ? NULL :
					 list_next_entry(e, list);
			sp++;
			chain = e->jump;
			e = list_first_entry_or_null(&chain->rules, struct ipt_entry, list);
			continue;
		case IPT_T_GOTO:
			/* No return here: the end of the target chain returns to our caller. */
			chain = e->jump;
			e = list_first_entry_or_null(&chain->rules, struct ipt_entry, list);
			continue;
		case IPT_T_NONE:
		default:
			e = list_is_last(&e->list, &chain->rules) ? NULL :
			    list_next_entry(e, list);
			continue;
		}
	}
	return NF_DROP;
}

/* ---- tables and chains ---- */

static struct ipt_chain *chain_alloc(const char *name, int hook)
{
	struct ipt_chain *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->hook = hook;
	c->policy = NF_ACCEPT;
	INIT_LIST_HEAD(&c->rules);
	return c;
}

struct xt_table *ipt_alloc_table(const char *name, unsigned int valid_hooks)
{
	static const char *const hook_names[NF_INET_NUMHOOKS] = {
		"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING",
	};
	struct xt_table *t = kzalloc(sizeof(*t), GFP_KERNEL);
	int h;

	if (!t)
		return NULL;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->valid_hooks = valid_hooks;
	INIT_LIST_HEAD(&t->chains);
	for (h = 0; h < NF_INET_NUMHOOKS; h++) {
		struct ipt_chain *c;

		if (!(valid_hooks & (1U << h)))
			continue;
		c = chain_alloc(hook_names[h], h);
		if (!c) {
			ipt_free_table(t);
			return NULL;
		}
		list_add_tail(&c->list, &t->chains);
		t->hook_chain[h] = c;
	}
	return t;
}

void ipt_free_entry(struct ipt_entry *e)
{
	if (e->jump)
		e->jump->refcnt--;
	kfree(e);
}

void ipt_flush_chain(struct ipt_chain *c)
{
	struct ipt_entry *e, *n;

	list_for_each_entry_safe(e, n, &c->rules, list) {
		list_del(&e->list);
		ipt_free_entry(e);
	}
}

void ipt_zero_chain(struct ipt_chain *c)
{
	struct ipt_entry *e;

	c->pcnt = c->bcnt = 0;
	list_for_each_entry(e, &c->rules, list)
		e->pcnt = e->bcnt = 0;
}

void ipt_free_table(struct xt_table *t)
{
	struct ipt_chain *c, *n;

	if (!t)
		return;
	list_for_each_entry(c, &t->chains, list)
		ipt_flush_chain(c);
	list_for_each_entry_safe(c, n, &t->chains, list) {
		list_del(&c->list);
		kfree(c);
	}
	kfree(t);
}

struct ipt_chain *ipt_find_chain(struct xt_table *t, const char *name)
{
	struct ipt_chain *c;

	list_for_each_entry(c, &t->chains, list)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* User chains are kept sorted by name after the built-ins (libiptc's order). */
int ipt_new_chain(struct xt_table *t, const char *name)
{
	struct ipt_chain *c, *pos;

	if (ipt_find_chain(t, name))
		return -EEXIST;
	c = chain_alloc(name, -1);
	if (!c)
		return -ENOMEM;
	list_for_each_entry(pos, &t->chains, list) {
		if (pos->hook < 0 && strcmp(pos->name, name) > 0) {
			list_add_tail(&c->list, &pos->list);
			return 0;
		}
	}
	list_add_tail(&c->list, &t->chains);
	return 0;
}

int ipt_delete_chain(struct xt_table *t, struct ipt_chain *c)
{
	if (c->hook >= 0)
		return -EPERM;
	if (c->refcnt)
		return -EBUSY;
	if (!list_empty(&c->rules))
		return -ENOTEMPTY;
	list_del(&c->list);
	kfree(c);
	return 0;
}
