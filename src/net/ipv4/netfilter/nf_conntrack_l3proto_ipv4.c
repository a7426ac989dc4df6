/* SPDX-License-Identifier: MIT */
/* Connection tracking's IPv4 hooks: track at PRE_ROUTING and LOCAL_OUT (before NAT and the
 * filter), confirm at LOCAL_IN and POST_ROUTING (after everything else said yes).
 * Mirrors linux/net/ipv4/netfilter/nf_conntrack_l3proto_ipv4.c (3.10): ipv4_conntrack_in,
 * ipv4_conntrack_local, ipv4_confirm, ipv4_conntrack_ops.
 * Context: the packet path. */
#include "linux/netdevice.h"
#include "net/ip.h"
#include "net/net_namespace.h"
#include "net/netfilter/nf_conntrack.h"
#include "trace/path.h"

static struct net *hook_net(const struct net_device *in, const struct net_device *out,
			    const struct sk_buff *skb)
{
	const struct net_device *dev = in ? in : out;

	if (!dev)
		dev = skb->dev;
	return dev ? dev_net(dev) : NULL;
}

static unsigned int ipv4_conntrack_in(unsigned int hooknum, struct sk_buff *skb,
				      const struct net_device *in,
				      const struct net_device *out,
				      int (*okfn)(struct sk_buff *))
{
	struct net *net = hook_net(in, out, skb);

	(void)okfn;
	return net ? nf_conntrack_in(net, NFPROTO_IPV4, hooknum, skb) : NF_ACCEPT;
}

static unsigned int ipv4_conntrack_local(unsigned int hooknum, struct sk_buff *skb,
					 const struct net_device *in,
					 const struct net_device *out,
					 int (*okfn)(struct sk_buff *))
{
	/* root is playing with raw sockets: too short to be tracked */
	if (skb->len < sizeof(struct iphdr) || ip_hdrlen(skb) < sizeof(struct iphdr))
		return NF_ACCEPT;
	return ipv4_conntrack_in(hooknum, skb, in, out, okfn);
}

static unsigned int ipv4_confirm(unsigned int hooknum, struct sk_buff *skb,
				 const struct net_device *in, const struct net_device *out,
				 int (*okfn)(struct sk_buff *))
{
	(void)hooknum;
	(void)in;
	(void)out;
	(void)okfn;
	UL_TRACE(skb);
	return (unsigned int)__nf_conntrack_confirm(skb);
}

static struct nf_hook_ops ipv4_conntrack_ops[] = {
	{ .hook = ipv4_conntrack_in, .pf = NFPROTO_IPV4, .hooknum = NF_INET_PRE_ROUTING,
	  .priority = NF_IP_PRI_CONNTRACK },
	{ .hook = ipv4_conntrack_local, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_OUT,
	  .priority = NF_IP_PRI_CONNTRACK },
	{ .hook = ipv4_confirm, .pf = NFPROTO_IPV4, .hooknum = NF_INET_POST_ROUTING,
	  .priority = NF_IP_PRI_CONNTRACK_CONFIRM },
	{ .hook = ipv4_confirm, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP_PRI_CONNTRACK_CONFIRM },
};

static bool hooks_registered;

int nf_conntrack_l3proto_ipv4_init(void)
{
	int err = nf_register_hooks(ipv4_conntrack_ops, ARRAY_SIZE(ipv4_conntrack_ops));

	hooks_registered = !err;
	return err;
}

void nf_conntrack_l3proto_ipv4_fini(void)
{
	if (hooks_registered)
		nf_unregister_hooks(ipv4_conntrack_ops, ARRAY_SIZE(ipv4_conntrack_ops));
	hooks_registered = false;
}
