/* SPDX-License-Identifier: MIT */
/* The ethtool view: -S statistics, -g rings, -c coalescing, -l channels, -k features,
 * -x RSS indirection and -i driver info, through the device's ethtool_ops as ethtool's ioctls
 * reach them (ETHTOOL_GSTATS, GRINGPARAM, GCOALESCE, GCHANNELS, GFEATURES, GRXFHINDIR,
 * GDRVINFO), printed in ethtool(8)'s format.
 * Mirrors linux/net/core/ethtool.c's dispatch (dev_ethtool) on the kernel side and ethtool's
 * output on the user side. Context: process; each op runs under rtnl_lock as in Linux. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "uapi/linux/ethtool.h"
#include "views/views.h"

int ul_ethtool_stats(struct net *net, const char *name, FILE *out, const char *stat,
		     long long *val)
{
	const struct ethtool_ops *ops;
	struct net_device *dev = dev_get_by_name(net, name);
	struct ethtool_stats *stats;
	u8 *strings;
	int n, i, err = stat ? -ENOENT : 0;

	if (!dev)
		return -ENODEV;
	ops = dev->ethtool_ops;
	if (!ops || !ops->get_sset_count || !ops->get_strings || !ops->get_ethtool_stats ||
	    (n = ops->get_sset_count(dev, ETH_SS_STATS)) <= 0) {
		dev_put(dev);
		return -EOPNOTSUPP;
	}
	strings = calloc((size_t)n, ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + (size_t)n * sizeof(u64));
	if (!strings || !stats) {
		free(strings);
		free(stats);
		dev_put(dev);
		return -ENOMEM;
	}
	stats->n_stats = (u32)n;
	rtnl_lock();
	ops->get_strings(dev, ETH_SS_STATS, strings);
	ops->get_ethtool_stats(dev, stats, stats->data);
	rtnl_unlock();
	if (out && !stat)
		fprintf(out, "NIC statistics:\n");
	for (i = 0; i < n; i++) {
		const char *s = (const char *)strings + (size_t)i * ETH_GSTRING_LEN;

		if (stat) {
			if (strlen(stat) < ETH_GSTRING_LEN && !strncmp(s, stat, ETH_GSTRING_LEN)) {
				*val = (long long)stats->data[i];
				err = 0;
				break;
			}
		} else if (out) {
			fprintf(out, "     %.*s: %llu\n", ETH_GSTRING_LEN, s,
				(unsigned long long)stats->data[i]);
		}
	}
	free(strings);
	free(stats);
	dev_put(dev);
	return err;
}

static void show_ring(FILE *out, const char *name, const struct ethtool_ringparam *r)
{
	fprintf(out,
		"Ring parameters for %s:\nPre-set maximums:\nRX:\t\t%u\nRX Mini:\t%u\n"
		"RX Jumbo:\t%u\nTX:\t\t%u\nCurrent hardware settings:\nRX:\t\t%u\n"
		"RX Mini:\t%u\nRX Jumbo:\t%u\nTX:\t\t%u\n\n",
		name, r->rx_max_pending, r->rx_mini_max_pending, r->rx_jumbo_max_pending,
		r->tx_max_pending, r->rx_pending, r->rx_mini_pending, r->rx_jumbo_pending,
		r->tx_pending);
}

static void show_coalesce(FILE *out, const char *name, const struct ethtool_coalesce *c)
{
	fprintf(out,
		"Coalesce parameters for %s:\nAdaptive RX: %s  TX: %s\nstats-block-usecs: %u\n"
		"sample-interval: %u\npkt-rate-low: %u\npkt-rate-high: %u\n\n"
		"rx-usecs: %u\nrx-frames: %u\nrx-usecs-irq: %u\nrx-frames-irq: %u\n\n"
		"tx-usecs: %u\ntx-frames: %u\ntx-usecs-irq: %u\ntx-frames-irq: %u\n\n"
		"rx-usecs-low: %u\nrx-frame-low: %u\ntx-usecs-low: %u\ntx-frame-low: %u\n\n"
		"rx-usecs-high: %u\nrx-frame-high: %u\ntx-usecs-high: %u\ntx-frame-high: %u\n\n",
		name, c->use_adaptive_rx_coalesce ? "on" : "off",
		c->use_adaptive_tx_coalesce ? "on" : "off", c->stats_block_coalesce_usecs,
		c->rate_sample_interval, c->pkt_rate_low, c->pkt_rate_high, c->rx_coalesce_usecs,
		c->rx_max_coalesced_frames, c->rx_coalesce_usecs_irq,
		c->rx_max_coalesced_frames_irq, c->tx_coalesce_usecs, c->tx_max_coalesced_frames,
		c->tx_coalesce_usecs_irq, c->tx_max_coalesced_frames_irq,
		c->rx_coalesce_usecs_low, c->rx_max_coalesced_frames_low,
		c->tx_coalesce_usecs_low, c->tx_max_coalesced_frames_low,
		c->rx_coalesce_usecs_high, c->rx_max_coalesced_frames_high,
		c->tx_coalesce_usecs_high, c->tx_max_coalesced_frames_high);
}

static void show_channels(FILE *out, const char *name, const struct ethtool_channels *ch)
{
	fprintf(out,
		"Channel parameters for %s:\nPre-set maximums:\nRX:\t\t%u\nTX:\t\t%u\n"
		"Other:\t\t%u\nCombined:\t%u\nCurrent hardware settings:\nRX:\t\t%u\n"
		"TX:\t\t%u\nOther:\t\t%u\nCombined:\t%u\n\n",
		name, ch->max_rx, ch->max_tx, ch->max_other, ch->max_combined, ch->rx_count,
		ch->tx_count, ch->other_count, ch->combined_count);
}

/* DIVERGES: ethtool -k also prints legacy group names (rx-checksumming, scatter-gather, ...)
 * with the kernel features indented under them; ulnet prints the kernel's names only. */
static void show_features(FILE *out, const struct net_device *dev)
{
	int i;

	fprintf(out, "Features for %s:\n", dev->name);
	for (i = 0; i < NETDEV_FEATURE_COUNT; i++) {
		netdev_features_t bit = (netdev_features_t)1 << i;

		if (!netdev_features_strings[i][0])
			continue;
		fprintf(out, "%.*s: %s%s\n", ETH_GSTRING_LEN, netdev_features_strings[i],
			dev->features & bit ? "on" : "off",
			dev->hw_features & bit ? "" : " [fixed]");
	}
}

static int show_rxfh(FILE *out, struct net_device *dev, const struct ethtool_ops *ops)
{
	struct ethtool_channels ch = { .cmd = 0 };
	u32 n = ops->get_rxfh_indir_size(dev), i, *indir;
	int err;

	if (!n || n > 65536)
		return -EOPNOTSUPP;
	indir = calloc(n, sizeof(*indir));
	if (!indir)
		return -ENOMEM;
	err = ops->get_rxfh_indir(dev, indir);
	if (!err) {
		if (ops->get_channels)
			ops->get_channels(dev, &ch);
		fprintf(out, "RX flow hash indirection table for %s with %u RX ring(s):\n",
			dev->name, ch.combined_count + ch.rx_count ?
			ch.combined_count + ch.rx_count : dev->real_num_rx_queues);
		for (i = 0; i < n; i++) {
			if (i % 8 == 0)
				fprintf(out, "%5u: ", i);
			fprintf(out, " %5u", indir[i]);
			if (i % 8 == 7 || i + 1 == n)
				fprintf(out, "\n");
		}
	}
	free(indir);
	return err;
}

static void show_drvinfo(FILE *out, struct net_device *dev, const struct ethtool_ops *ops)
{
	struct ethtool_drvinfo info;

	memset(&info, 0, sizeof(info));
	ops->get_drvinfo(dev, &info);
	fprintf(out,
		"driver: %.32s\nversion: %.32s\nfirmware-version: %.32s\nexpansion-rom-version: \n"
		"bus-info: %.32s\nsupports-statistics: %s\nsupports-test: no\n"
		"supports-eeprom-access: no\nsupports-register-dump: no\n"
		"supports-priv-flags: no\n",
		info.driver, info.version, info.fw_version, info.bus_info,
		ops->get_ethtool_stats ? "yes" : "no");
}

/* ethtool's own messages for a failed request ("Cannot get ...: Operation not supported"). */
static const char *const what_of[128] = {
	['S'] = "stats strings information", ['g'] = "device ring settings",
	['c'] = "device coalesce settings", ['l'] = "device channel parameters",
	['k'] = "device feature settings", ['x'] = "RX flow hash indirection table",
	['i'] = "driver information",
};

int ul_view_ethtool(struct ul_view_ctx *v, int argc, char **argv)
{
	static const struct { const char *longopt; char opt; } opts[] = {
		{ "--statistics", 'S' }, { "--show-ring", 'g' }, { "--show-coalesce", 'c' },
		{ "--show-channels", 'l' }, { "--show-features", 'k' }, { "--show-offload", 'k' },
		{ "--show-rxfh-indir", 'x' }, { "--driver", 'i' },
	};
	const struct ethtool_ops *ops;
	struct net_device *dev;
	char opt = 0;
	size_t i;
	int err = 0;

	if (argc == 3 && argv[1][0] == '-' && argv[1][1] && !argv[1][2] &&
	    strchr("Sgclkxi", argv[1][1]))
		opt = argv[1][1];
	for (i = 0; argc == 3 && !opt && i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(argv[1], opts[i].longopt))
			opt = opts[i].opt;
	if (!opt) {
		fprintf(v->err, "ethtool: usage: ethtool -S|-g|-c|-l|-k|-x|-i DEVNAME (the -G/-C/-L/"
				"-K/-X setters arrive with the NIC)\n");
		return argc == 3 ? -EOPNOTSUPP : -EINVAL;
	}
	if (opt == 'S') {
		err = ul_ethtool_stats(v->net, argv[2], v->out, NULL, NULL);
		if (err == -EOPNOTSUPP)
			fprintf(v->err, "no stats available\n");
		else if (err)
			fprintf(v->err, "Cannot get %s: %s\n", what_of['S'],
				err == -ENODEV ? "No such device" : strerror(-err));
		return err;
	}
	dev = dev_get_by_name(v->net, argv[2]);
	if (!dev) {
		fprintf(v->err, "Cannot get %s: No such device\n", what_of[(int)opt]);
		return -ENODEV;
	}
	ops = dev->ethtool_ops;
	rtnl_lock();
	switch (opt) {
	case 'g':
		if (ops && ops->get_ringparam) {
			struct ethtool_ringparam r = { .cmd = 0 };

			ops->get_ringparam(dev, &r);
			show_ring(v->out, dev->name, &r);
		} else {
			err = -EOPNOTSUPP;
		}
		break;
	case 'c':
		if (ops && ops->get_coalesce) {
			struct ethtool_coalesce c = { .cmd = 0 };

			err = ops->get_coalesce(dev, &c);
			if (!err)
				show_coalesce(v->out, dev->name, &c);
		} else {
			err = -EOPNOTSUPP;
		}
		break;
	case 'l':
		if (ops && ops->get_channels) {
			struct ethtool_channels ch = { .cmd = 0 };

			ops->get_channels(dev, &ch);
			show_channels(v->out, dev->name, &ch);
		} else {
			err = -EOPNOTSUPP;
		}
		break;
	case 'k':
		show_features(v->out, dev);	/* every device has features (dev_ethtool) */
		break;
	case 'x':
		err = ops && ops->get_rxfh_indir_size && ops->get_rxfh_indir ?
		      show_rxfh(v->out, dev, ops) : -EOPNOTSUPP;
		break;
	case 'i':
		if (ops && ops->get_drvinfo)
			show_drvinfo(v->out, dev, ops);
		else
			err = -EOPNOTSUPP;
		break;
	}
	rtnl_unlock();
	dev_put(dev);
	if (err)
		fprintf(v->err, "Cannot get %s: %s\n", what_of[(int)opt],
			err == -EOPNOTSUPP ? "Operation not supported" : strerror(-err));
	return err;
}
