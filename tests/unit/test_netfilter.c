/* SPDX-License-Identifier: MIT */
/* Netfilter hook points: registration, verdicts (ACCEPT, DROP, STOLEN, STOP, QUEUE, REPEAT,
 * NF_DROP_ERR), priority order and thresholds; each of the five IPv4 points sees a packet
 * exactly once on its path (local delivery, forwarding, local output), and NF_DROP at each
 * point drops it (counted as a NETFILTER_DROP). */
#include "ip_testdev.h"
#include "linux/netfilter.h"
#include "linux/sysctl.h"
#include "net/dropreason.h"
#include "net/dst.h"

#define TPROTO 253

static struct {
	int calls;
} tp;

static int tproto_rcv(struct sk_buff *skb)
{
	tp.calls++;
	consume_skb(skb);
	return 0;
}

static const struct net_protocol tproto = {
	.handler = tproto_rcv,
	.netns_ok = 1,
};

/* ---- verdict machinery on a private hook point (NFPROTO_DECNET: nothing else uses it) ---- */

#define TPF NFPROTO_DECNET
#define THOOK 0

static char order[64];
static unsigned int verdict_of[4];
static int repeat_left;
static int okfn_calls;

static int okfn(struct sk_buff *skb)
{
	okfn_calls++;
	consume_skb(skb);
	return 7;
}

static unsigned int vhook(struct nf_hook_ops *ops, struct sk_buff *skb)
{
	int i = (int)(uintptr_t)ops->priv;

	snprintf(order + strlen(order), sizeof(order) - strlen(order), "%d", i);
	if (verdict_of[i] == NF_REPEAT && repeat_left-- <= 0)
		return NF_ACCEPT;
	if ((verdict_of[i] & NF_VERDICT_MASK) == NF_STOLEN)
		consume_skb(skb);
	return verdict_of[i];
}

static struct nf_hook_ops vops[4];
#define VHOOK(n) \
	static unsigned int vhook##n(unsigned int h, struct sk_buff *skb, \
				     const struct net_device *in, const struct net_device *out, \
				     int (*ok)(struct sk_buff *)) \
	{ return vhook(&vops[n], skb); }
VHOOK(0)
VHOOK(1)
VHOOK(2)
VHOOK(3)

static int run_hook(int thresh)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);

	assert_non_null(skb);
	order[0] = '\0';
	return NF_HOOK_THRESH(TPF, THOOK, skb, NULL, NULL, okfn, thresh);
}

static void test_verdicts(void **state)
{
	nf_hookfn *fns[4] = { vhook0, vhook1, vhook2, vhook3 };
	static const int prio[4] = { 100, -100, 0, 0 };
	struct nf_hook_ops bad = { .hook = vhook0, .pf = NFPROTO_NUMPROTO };
	unsigned long drops0;
	int i;

	(void)state;
	assert_int_equal(nf_register_hook(&bad), -EINVAL);
	bad.pf = TPF;
	bad.hook = NULL;
	assert_int_equal(nf_register_hook(&bad), -EINVAL);

	memset(vops, 0, sizeof(vops));
	for (i = 0; i < 4; i++) {
		vops[i].hook = fns[i];
		vops[i].pf = TPF;
		vops[i].hooknum = THOOK;
		vops[i].priority = prio[i];
		vops[i].priv = (void *)(uintptr_t)i;
		verdict_of[i] = NF_ACCEPT;
	}
	assert_int_equal(nf_register_hooks(vops, 4), 0);

	/* Lowest priority first; equal priorities in registration order. */
	okfn_calls = 0;
	assert_int_equal(run_hook(INT_MIN), 7);
	assert_string_equal(order, "1230");
	assert_int_equal(okfn_calls, 1);

	/* A threshold skips the hooks below it. */
	assert_int_equal(run_hook(0), 7);
	assert_string_equal(order, "230");

	/* NF_DROP: the skb is freed, later hooks and okfn do not run, -EPERM. */
	drops0 = ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP);
	verdict_of[2] = NF_DROP;
	assert_int_equal(run_hook(INT_MIN), -EPERM);
	assert_string_equal(order, "12");
	assert_int_equal(okfn_calls, 2);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP), drops0 + 1);

	/* NF_DROP_ERR carries the errno. */
	verdict_of[2] = NF_DROP_ERR(-EHOSTUNREACH);
	assert_int_equal(run_hook(INT_MIN), -EHOSTUNREACH);

	/* NF_STOP accepts at once. */
	verdict_of[2] = NF_STOP;
	assert_int_equal(run_hook(INT_MIN), 7);
	assert_string_equal(order, "12");
	assert_int_equal(okfn_calls, 3);

	/* NF_STOLEN: the hook owns the skb; nothing else runs, 0. */
	verdict_of[2] = NF_STOLEN;
	assert_int_equal(run_hook(INT_MIN), 0);
	assert_int_equal(okfn_calls, 3);

	/* NF_QUEUE with no queue handler drops; with the bypass flag it goes on. */
	verdict_of[2] = NF_QUEUE;
	assert_int_equal(run_hook(INT_MIN), 0);
	assert_int_equal(okfn_calls, 3);
	verdict_of[2] = NF_QUEUE | NF_VERDICT_FLAG_QUEUE_BYPASS;
	assert_int_equal(run_hook(INT_MIN), 7);
	assert_string_equal(order, "1230");

	/* NF_REPEAT calls the same hook again. */
	verdict_of[2] = NF_REPEAT;
	repeat_left = 2;
	assert_int_equal(run_hook(INT_MIN), 7);
	assert_string_equal(order, "122230");

	/* Unregistered hooks are gone. */
	verdict_of[2] = NF_ACCEPT;
	nf_unregister_hook(&vops[1]);
	assert_int_equal(run_hook(INT_MIN), 7);
	assert_string_equal(order, "230");
	nf_unregister_hooks(vops, 4);
	assert_false(nf_hooks_active(TPF, THOOK));
	assert_int_equal(run_hook(INT_MIN), 7);
	assert_string_equal(order, "");
}

/* ---- the five IPv4 points ---- */

static struct {
	int seen[NF_INET_NUMHOOKS];
	const struct net_device *in[NF_INET_NUMHOOKS], *out[NF_INET_NUMHOOKS];
	unsigned int verdict[NF_INET_NUMHOOKS];
} pts;

static unsigned int point_hook(unsigned int hooknum, struct sk_buff *skb,
			       const struct net_device *in, const struct net_device *out,
			       int (*ok)(struct sk_buff *))
{
	if (ip_hdr(skb)->protocol != TPROTO)
		return NF_ACCEPT;
	pts.seen[hooknum]++;
	pts.in[hooknum] = in;
	pts.out[hooknum] = out;
	return pts.verdict[hooknum];
}

static struct nf_hook_ops point_ops[NF_INET_NUMHOOKS];
static struct net_device *t0, *t1;

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);
	int i;

	if (err)
		return err;
	memset(&tp, 0, sizeof(tp));
	memset(&pts, 0, sizeof(pts));
	t0 = ipt_dev_new(&init_net, "t0", 1, 1500);
	t1 = ipt_dev_new(&init_net, "t1", 2, 1500);
	ipt_addr_add(t0, "10.0.0.1", 24);
	ipt_addr_add(t1, "10.1.0.1", 24);
	assert_int_equal(ul_sysctl_write(&init_net, "net.ipv4.ip_forward", "1"), 0);
	assert_int_equal(inet_add_protocol(&tproto, TPROTO), 0);
	memset(point_ops, 0, sizeof(point_ops));
	for (i = 0; i < NF_INET_NUMHOOKS; i++) {
		point_ops[i].hook = point_hook;
		point_ops[i].pf = NFPROTO_IPV4;
		point_ops[i].hooknum = (unsigned int)i;
		point_ops[i].priority = NF_IP_PRI_FILTER;
		pts.verdict[i] = NF_ACCEPT;
	}
	assert_int_equal(nf_register_hooks(point_ops, NF_INET_NUMHOOKS), 0);
	return 0;
}

static int teardown(void **state)
{
	nf_unregister_hooks(point_ops, NF_INET_NUMHOOKS);
	inet_del_protocol(&tproto, TPROTO);
	ipt_dev_del(t1);
	ipt_dev_del(t0);
	return ul_test_teardown(state);
}

static void rx_to(const char *dst)
{
	u8 pkt[64], pl[8] = { 0 };
	unsigned int len;

	len = ipt_build_ip(pkt, ipt_addr("10.0.0.2"), ipt_addr(dst), TPROTO, 64, 1, 0, 5, NULL,
			   pl, sizeof(pl));
	ipt_rx(t0, pkt, len);
}

static int send_out(const char *dst)
{
	struct flowi4 fl4;
	struct rtable *rt;
	struct sk_buff *skb;
	struct iphdr *iph;
	int err;

	flowi4_init_output(&fl4, 0, 0, 0, RT_SCOPE_UNIVERSE, TPROTO, 0, ipt_addr(dst), 0, 0, 0);
	rt = ip_route_output_key(&init_net, &fl4);
	assert_false(IS_ERR(rt));
	skb = alloc_skb(128 + 28, GFP_KERNEL);
	skb_reserve(skb, 128);
	skb_put(skb, 28);
	memset(skb->data, 0, 28);
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = TPROTO;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	skb_dst_set(skb, &rt->dst);
	local_bh_disable();
	err = ip_local_out(skb);
	local_bh_enable();
	return err;
}

static void test_points_once(void **state)
{
	(void)state;
	/* Local delivery: PRE_ROUTING (in t0), LOCAL_IN (in t0). */
	rx_to("10.0.0.1");
	assert_int_equal(tp.calls, 1);
	assert_int_equal(pts.seen[NF_INET_PRE_ROUTING], 1);
	assert_int_equal(pts.seen[NF_INET_LOCAL_IN], 1);
	assert_int_equal(pts.seen[NF_INET_FORWARD], 0);
	assert_int_equal(pts.seen[NF_INET_LOCAL_OUT], 0);
	assert_int_equal(pts.seen[NF_INET_POST_ROUTING], 0);
	assert_ptr_equal(pts.in[NF_INET_PRE_ROUTING], t0);
	assert_null(pts.out[NF_INET_PRE_ROUTING]);
	assert_ptr_equal(pts.in[NF_INET_LOCAL_IN], t0);

	/* Forwarding: PRE_ROUTING, FORWARD (t0 -> t1), POST_ROUTING (out t1). */
	rx_to("10.1.0.2");
	assert_int_equal(ipt_txq_len(t1), 1);
	assert_int_equal(pts.seen[NF_INET_PRE_ROUTING], 2);
	assert_int_equal(pts.seen[NF_INET_FORWARD], 1);
	assert_int_equal(pts.seen[NF_INET_POST_ROUTING], 1);
	assert_int_equal(pts.seen[NF_INET_LOCAL_IN], 1);
	assert_ptr_equal(pts.in[NF_INET_FORWARD], t0);
	assert_ptr_equal(pts.out[NF_INET_FORWARD], t1);
	assert_ptr_equal(pts.out[NF_INET_POST_ROUTING], t1);

	/* Local output: LOCAL_OUT, POST_ROUTING (out t0). */
	assert_int_equal(send_out("10.0.0.2"), 0);
	assert_int_equal(ipt_txq_len(t0), 1);
	assert_int_equal(pts.seen[NF_INET_LOCAL_OUT], 1);
	assert_int_equal(pts.seen[NF_INET_POST_ROUTING], 2);
	assert_ptr_equal(pts.out[NF_INET_LOCAL_OUT], t0);
	assert_null(pts.in[NF_INET_LOCAL_OUT]);
	assert_int_equal(pts.seen[NF_INET_PRE_ROUTING], 2);
}

static void test_drop_at_each_point(void **state)
{
	struct net *net = &init_net;
	unsigned long drops = ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP);

	(void)state;
	pts.verdict[NF_INET_PRE_ROUTING] = NF_DROP;
	rx_to("10.0.0.1");
	assert_int_equal(tp.calls, 0);
	assert_int_equal(IP_MIB(net, INPKTS), 1);
	assert_int_equal(pts.seen[NF_INET_LOCAL_IN], 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP), drops + 1);
	pts.verdict[NF_INET_PRE_ROUTING] = NF_ACCEPT;

	pts.verdict[NF_INET_LOCAL_IN] = NF_DROP;
	rx_to("10.0.0.1");
	assert_int_equal(tp.calls, 0);
	assert_int_equal(pts.seen[NF_INET_LOCAL_IN], 1);
	assert_int_equal(IP_MIB(net, INDELIVERS), 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP), drops + 2);
	pts.verdict[NF_INET_LOCAL_IN] = NF_ACCEPT;

	pts.verdict[NF_INET_FORWARD] = NF_DROP;
	rx_to("10.1.0.2");
	assert_int_equal(ipt_txq_len(t1), 0);
	assert_int_equal(IP_MIB(net, OUTFORWDATAGRAMS), 0);
	assert_int_equal(pts.seen[NF_INET_POST_ROUTING], 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP), drops + 3);
	pts.verdict[NF_INET_FORWARD] = NF_ACCEPT;

	pts.verdict[NF_INET_LOCAL_OUT] = NF_DROP;
	assert_int_equal(send_out("10.0.0.2"), -EPERM);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(pts.seen[NF_INET_POST_ROUTING], 0);
	assert_int_equal(IP_MIB(net, OUTPKTS), 0);
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP), drops + 4);
	pts.verdict[NF_INET_LOCAL_OUT] = NF_ACCEPT;

	pts.verdict[NF_INET_POST_ROUTING] = NF_DROP;
	assert_int_equal(send_out("10.0.0.2"), -EPERM);
	assert_int_equal(ipt_txq_len(t0), 0);
	assert_int_equal(IP_MIB(net, OUTPKTS), 1);	/* counted in ip_output, before the hook */
	assert_int_equal(ul_drop_count(SKB_DROP_REASON_NETFILTER_DROP), drops + 5);
	pts.verdict[NF_INET_POST_ROUTING] = NF_ACCEPT;

	/* Everything accepted again: the packet goes through. */
	rx_to("10.0.0.1");
	assert_int_equal(tp.calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verdicts, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_points_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_at_each_point, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
