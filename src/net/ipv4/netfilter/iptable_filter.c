/* SPDX-License-Identifier: MIT */
/* The "filter" table: INPUT, FORWARD and OUTPUT chains on the LOCAL_IN, FORWARD and
 * LOCAL_OUT hooks, one table per namespace, every policy ACCEPT at creation.
 * Mirrors linux/net/ipv4/netfilter/iptable_filter.c (3.10): iptable_filter_hook,
 * iptable_filter_net_init, iptable_filter_net_exit, iptable_filter_init/fini (and the
 * per-namespace part of ip_tables.c's ip_tables_init).
 * Context: hooks run in the packet's context; init/exit in process context. */
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "net/ipv4/netfilter/ip_tables.h"

#define FILTER_VALID_HOOKS ((1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | \
			    (1 << NF_INET_LOCAL_OUT))
/* iptable_nat.c (3.10): PREROUTING, INPUT, OUTPUT, POSTROUTING. */
#define NAT_VALID_HOOKS ((1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) | \
			 (1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_POST_ROUTING))

/* DIVERGES: 3.10 keeps net->ipv4.iptable_filter, created for every namespace when the
 * module loads; ulnet creates a namespace's table at its first iptables command (so that
 * namespaces that never use iptables own nothing) and finds it on a short list. */
static LIST_HEAD(ipt_nets);

struct ipt_net *ipt_pernet(const struct net *net)
{
	struct ipt_net *ipn;

	list_for_each_entry(ipn, &ipt_nets, list)
		if (ipn->net == net)
			return ipn;
	return NULL;
}

struct ipt_net *ipt_pernet_create(struct net *net)
{
	struct ipt_net *ipn = ipt_pernet(net);

	if (ipn)
		return ipn;
	ipn = kzalloc(sizeof(*ipn), GFP_KERNEL);
	if (!ipn)
		return NULL;
	ipn->filter = ipt_alloc_table("filter", FILTER_VALID_HOOKS);
	ipn->nat = ipt_alloc_table("nat", NAT_VALID_HOOKS);
	if (!ipn->filter || !ipn->nat) {
		ipt_free_table(ipn->filter);
		ipt_free_table(ipn->nat);
		kfree(ipn);
		return NULL;
	}
	ipn->net = net;
	list_add_tail(&ipn->list, &ipt_nets);
	return ipn;
}

static unsigned int iptable_filter_hook(unsigned int hook, struct sk_buff *skb,
					const struct net_device *in,
					const struct net_device *out,
					int (*okfn)(struct sk_buff *))
{
	const struct net_device *dev = in ? in : out;
	struct ipt_net *ipn;

	(void)okfn;
	if (!dev && skb->dev)
		dev = skb->dev;
	ipn = dev ? ipt_pernet(dev_net(dev)) : NULL;
	if (!ipn || !ipn->filter)
		return NF_ACCEPT;
	return ipt_do_table(skb, hook, in, out, ipn->filter);
}

static struct nf_hook_ops filter_ops[] = {
	{ .hook = iptable_filter_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP_PRI_FILTER },
	{ .hook = iptable_filter_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_FORWARD,
	  .priority = NF_IP_PRI_FILTER },
	{ .hook = iptable_filter_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
	  .priority = NF_IP_PRI_FILTER },
};

static void iptable_filter_net_exit(struct net *net)
{
	struct ipt_net *ipn = ipt_pernet(net);

	if (!ipn)
		return;
	list_del(&ipn->list);
	ipt_free_table(ipn->filter);
	ipt_free_table(ipn->nat);
	kfree(ipn);
}

static struct pernet_operations iptable_filter_net_ops = {
	.exit = iptable_filter_net_exit,
};

static bool filter_registered;

/* Loaded by the first iptables command (3.10: modprobe iptable_filter). Idempotent. */
int ip_tables_init(void)
{
	int err;

	if (filter_registered)
		return 0;
	err = register_pernet_subsys(&iptable_filter_net_ops);
	if (err)
		return err;
	err = nf_register_hooks(filter_ops, ARRAY_SIZE(filter_ops));
	if (err) {
		unregister_pernet_subsys(&iptable_filter_net_ops);
		return err;
	}
	filter_registered = true;
	return 0;
}

/* Before inet_fini: the hooks go; each namespace's table goes with the namespace
 * (net_ns_fini runs the pernet exits, then forgets the ops). */
void ip_tables_fini(void)
{
	if (!filter_registered)
		return;
	nf_unregister_hooks(filter_ops, ARRAY_SIZE(filter_ops));
	filter_registered = false;
}
