/* SPDX-License-Identifier: MIT */
/* Device feature rules: netdev_fix_features drops the offloads whose prerequisites are off
 * (TSO, GSO and UFO need scatter-gather, UFO needs checksumming, TSO_ECN needs TSO, HW and
 * IP checksumming do not mix), and ethtool -K recomputes dev->features from
 * wanted_features through them: "sg off" takes TSO and GSO along (and lists them under
 * "Actual changes:"), "sg on" brings them back, FEAT_CHANGE is sent when anything changed.
 * Mirrors the behaviour of linux/net/core/dev.c (netdev_fix_features,
 * __netdev_update_features, netdev_update_features) and net/core/ethtool.c
 * (ethtool_set_features) (3.10). */
#include "hw_test_util.h"

static struct net_device *fix_dev(void)
{
	static struct net_device d;

	strcpy(d.name, "fx0");
	return &d;
}

static void test_fix_rules(void **state)
{
	struct net_device *d = fix_dev();
	netdev_features_t all = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_TSO | NETIF_F_TSO_ECN |
				NETIF_F_GSO | NETIF_F_GRO;

	(void)state;
	/* Coherent sets are left alone. */
	assert_int_equal(netdev_fix_features(d, all), all);
	assert_int_equal(netdev_fix_features(d, 0), 0);
	/* No SG: TSO (all kinds) and GSO go; the rest stays. */
	assert_int_equal(netdev_fix_features(d, all & ~NETIF_F_SG),
			 NETIF_F_IP_CSUM | NETIF_F_GRO);
	assert_int_equal(netdev_fix_features(d, NETIF_F_TSO6 | NETIF_F_IP_CSUM),
			 NETIF_F_IP_CSUM);
	/* TSO_ECN alone means nothing. */
	assert_int_equal(netdev_fix_features(d, NETIF_F_SG | NETIF_F_TSO_ECN), NETIF_F_SG);
	assert_int_equal(netdev_fix_features(d, NETIF_F_SG | NETIF_F_TSO6 | NETIF_F_TSO_ECN),
			 NETIF_F_SG | NETIF_F_TSO6 | NETIF_F_TSO_ECN);
	/* HW_CSUM with per-protocol checksumming: the per-protocol bits go. */
	assert_int_equal(netdev_fix_features(d, NETIF_F_HW_CSUM | NETIF_F_IP_CSUM |
						NETIF_F_IPV6_CSUM | NETIF_F_SG),
			 NETIF_F_HW_CSUM | NETIF_F_SG);
	/* UFO: needs SG and generic or both IPv4 and IPv6 checksumming. */
	assert_int_equal(netdev_fix_features(d, NETIF_F_UFO | NETIF_F_SG | NETIF_F_HW_CSUM),
			 NETIF_F_UFO | NETIF_F_SG | NETIF_F_HW_CSUM);
	assert_int_equal(netdev_fix_features(d, NETIF_F_UFO | NETIF_F_SG | NETIF_F_IP_CSUM |
						NETIF_F_IPV6_CSUM),
			 NETIF_F_UFO | NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM);
	assert_int_equal(netdev_fix_features(d, NETIF_F_UFO | NETIF_F_SG | NETIF_F_IP_CSUM),
			 NETIF_F_SG | NETIF_F_IP_CSUM);
	assert_int_equal(netdev_fix_features(d, NETIF_F_UFO | NETIF_F_HW_CSUM),
			 NETIF_F_HW_CSUM);
}

static int feat_changes;
static int feat_event(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	if (ev == NETDEV_FEAT_CHANGE && !strcmp(netdev_notifier_info_to_dev(ptr)->name, "eth0"))
		feat_changes++;
	return NOTIFY_DONE;
}
static struct notifier_block feat_nb = { .notifier_call = feat_event };

static void eth_is(const char *line, const char *text)
{
	char *o = tnic_ethtool(line, 0);

	if (strcmp(o, text))
		fail_msg("%s: got \"%s\", expected \"%s\"", line, o, text);
	free(o);
}

/* igb: SG, IPv4 checksum, TSO, GSO and GRO on. */
static void test_ethtool_sg_off(void **state)
{
	struct net_device *dev = tnic_up(NULL, "eth0", 1, 0, 1000);
	netdev_features_t tso_gso = NETIF_F_TSO | NETIF_F_GSO;
	char *o;

	(void)state;
	assert_int_equal((dev->features & (NETIF_F_SG | tso_gso)), NETIF_F_SG | tso_gso);
	rtnl_lock();
	assert_int_equal(register_netdevice_notifier(&feat_nb), 0);
	rtnl_unlock();
	feat_changes = 0;

	eth_is("ethtool -K eth0 sg off",
	       "Actual changes:\nscatter-gather: off\ntcp-segmentation-offload: off\n"
	       "generic-segmentation-offload: off\n");
	assert_false(dev->features & (NETIF_F_SG | tso_gso));
	/* The user still wants TSO and GSO: only SG was asked off. */
	assert_int_equal(dev->wanted_features & tso_gso, tso_gso);
	assert_int_equal(feat_changes, 1);
	o = tnic_ethtool("ethtool -k eth0", 0);
	assert_non_null(strstr(o, "scatter-gather: off\ntcp-segmentation-offload: off\n"));
	free(o);

	/* TSO asked on without SG: refused by the rules, said so. */
	eth_is("ethtool -K eth0 tso on",
	       "Could not change any device features\n");
	assert_false(dev->features & NETIF_F_TSO);
	assert_int_equal(feat_changes, 1);

	/* SG back: TSO and GSO come back with it (still wanted). */
	eth_is("ethtool -K eth0 sg on",
	       "Actual changes:\nscatter-gather: on\ntcp-segmentation-offload: on\n"
	       "generic-segmentation-offload: on\n");
	assert_int_equal(dev->features & (NETIF_F_SG | tso_gso), NETIF_F_SG | tso_gso);
	assert_int_equal(feat_changes, 2);

	/* A change the rules do not touch: silent, one FEAT_CHANGE. */
	eth_is("ethtool -K eth0 tso off", "");
	assert_false(dev->features & NETIF_F_TSO);
	assert_true(dev->features & NETIF_F_GSO);
	assert_int_equal(feat_changes, 3);
	eth_is("ethtool -K eth0 tso off", "");
	assert_int_equal(feat_changes, 3);

	rtnl_lock();
	assert_int_equal(unregister_netdevice_notifier(&feat_nb), 0);
	rtnl_unlock();
	tnic_del(NULL, "eth0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_rules),
		cmocka_unit_test_setup_teardown(test_ethtool_sg_off, ul_test_setup_sim,
						ul_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
