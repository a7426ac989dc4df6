/* SPDX-License-Identifier: MIT */
/* ethtool(8) over a device's ethtool_ops: -i, -S, -g/-G, -c/-C, -l/-L, -k/-K, -x/-X and the
 * bare link summary, with ethtool's output format.
 * Mirrors ethtool's ethtool.c (do_gdrv, do_gstats, do_gring/do_sring, do_gcoalesce/
 * do_scoalesce, do_gchannels/do_schannels, do_gfeatures/do_sfeatures, do_grxfhindir/
 * do_srxfhindir) over net/core/ethtool.c's dispatch (ethtool_get_*, ethtool_set_*,
 * __netdev_update_features for -K).
 * DIVERGES: a direct call instead of the SIOCETHTOOL ioctl; -K's "Actual changes:" list is
 * by the -k names only (ethtool also lists the sub-features). Lives with the hardware until
 * the tools grow an ethtool of their own. Context: process; takes rtnl. */
#include <stdlib.h>
#include <string.h>
#include "hw/hw_internal.h"
#include "linux/errno.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"

#define ETHTOOL_MAX_ARGS 40

/* The names ethtool -k prints and -K takes, with the bits they stand for. */
static const struct {
	const char *long_name, *short_name;
	netdev_features_t mask;
} ethtool_off_flags[] = {
	{ "rx-checksumming", "rx", NETIF_F_RXCSUM },
	{ "tx-checksumming", "tx", NETIF_F_ALL_CSUM },
	{ "scatter-gather", "sg", NETIF_F_SG },
	{ "tcp-segmentation-offload", "tso", NETIF_F_ALL_TSO },
	{ "udp-fragmentation-offload", "ufo", NETIF_F_UFO },
	{ "generic-segmentation-offload", "gso", NETIF_F_GSO },
	{ "generic-receive-offload", "gro", NETIF_F_GRO },
	{ "large-receive-offload", "lro", NETIF_F_LRO },
	{ "receive-hashing", "rxhash", NETIF_F_RXHASH },
};

static int ethtool_show_features(struct net_device *dev, char **out)
{
	unsigned int i;

	hw_outf(out, "Features for %s:\n", dev->name);
	for (i = 0; i < ARRAY_SIZE(ethtool_off_flags); i++) {
		netdev_features_t m = ethtool_off_flags[i].mask;

		hw_outf(out, "%s: %s%s\n", ethtool_off_flags[i].long_name,
			(dev->features & m) ? "on" : "off",
			(dev->hw_features & m) ? "" : " [fixed]");
	}
	return 0;
}

/* -K: "gro off tso on ...". Each name must be changeable (hw_features). As 3.10's
 * ETHTOOL_SFEATURES: the request goes to wanted_features, __netdev_update_features derives
 * dev->features from it (the driver's ndo_fix_features, then netdev_fix_features: with
 * "sg off" TSO, GSO and UFO go too) and FEAT_CHANGE is sent when they changed. Like
 * ethtool(8), the features that came out other than asked are listed under
 * "Actual changes:". */
static int ethtool_set_features(struct net_device *dev, int argc, char **argv, char **out)
{
	netdev_features_t valid = 0, requested = 0, old = dev->features;
	unsigned int j;
	int i, ret;

	for (i = 0; i < argc; i += 2) {
		bool on;

		if (i + 1 >= argc || (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off")))
			return -EINVAL;
		on = !strcmp(argv[i + 1], "on");
		for (j = 0; j < ARRAY_SIZE(ethtool_off_flags); j++)
			if (!strcmp(argv[i], ethtool_off_flags[j].short_name) ||
			    !strcmp(argv[i], ethtool_off_flags[j].long_name))
				break;
		if (j == ARRAY_SIZE(ethtool_off_flags)) {
			hw_outf(out, "ethtool: bad command line argument(s)\n");
			return -EINVAL;
		}
		if (!(dev->hw_features & ethtool_off_flags[j].mask)) {
			hw_outf(out, "Could not change any device features\n");
			return -EOPNOTSUPP;
		}
		valid |= ethtool_off_flags[j].mask & dev->hw_features;
		if (on)
			requested |= ethtool_off_flags[j].mask & dev->hw_features;
		else
			requested &= ~ethtool_off_flags[j].mask;
	}
	dev->wanted_features &= ~valid;
	dev->wanted_features |= valid & requested;
	ret = __netdev_update_features(dev);
	if (old != dev->features)
		netdev_features_change(dev);
	if (ret < 0)
		return -EIO;

	/* Anything other than asked: what was requested but refused, or changed besides. */
	if (((dev->features ^ requested) & valid) || ((dev->features ^ old) & ~valid)) {
		if (old == dev->features) {
			hw_outf(out, "Could not change any device features\n");
			return 0;
		}
		hw_outf(out, "Actual changes:\n");
		for (j = 0; j < ARRAY_SIZE(ethtool_off_flags); j++) {
			netdev_features_t m = ethtool_off_flags[j].mask;

			if ((old ^ dev->features) & m)
				hw_outf(out, "%s: %s\n", ethtool_off_flags[j].long_name,
					(dev->features & m) ? "on" : "off");
			else if ((valid & m) && ((dev->features ^ requested) & m))
				hw_outf(out, "%s: %s [requested %s]\n",
					ethtool_off_flags[j].long_name,
					(dev->features & m) ? "on" : "off",
					(requested & m) ? "on" : "off");
		}
	}
	return 0;
}

static int ethtool_show_stats(struct net_device *dev, char **out)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	int n, i;
	u8 *names;
	u64 *vals;

	if (!ops->get_sset_count || !ops->get_strings || !ops->get_ethtool_stats)
		return -EOPNOTSUPP;
	n = ops->get_sset_count(dev, ETH_SS_STATS);
	if (n < 0)
		return n;
	names = calloc((size_t)n + 1, ETH_GSTRING_LEN);
	vals = calloc((size_t)n + 1, sizeof(u64));
	if (!names || !vals) {
		free(names);
		free(vals);
		return -ENOMEM;
	}
	ops->get_strings(dev, ETH_SS_STATS, names);
	ops->get_ethtool_stats(dev, NULL, vals);
	hw_outf(out, "NIC statistics:\n");
	for (i = 0; i < n; i++)
		hw_outf(out, "     %.*s: %llu\n", ETH_GSTRING_LEN, (char *)names + i * ETH_GSTRING_LEN,
			(unsigned long long)vals[i]);
	free(names);
	free(vals);
	return 0;
}

static int ethtool_parse_u32(const char *s, u32 *v)
{
	char *end;
	unsigned long x = strtoul(s, &end, 0);

	if (!*s || *end || x > 0xffffffffUL)
		return -EINVAL;
	*v = (u32)x;
	return 0;
}

static int ethtool_ring(struct net_device *dev, bool set, int argc, char **argv, char **out)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_ringparam r = { 0 };
	int i;

	if (!ops->get_ringparam || (set && !ops->set_ringparam))
		return -EOPNOTSUPP;
	ops->get_ringparam(dev, &r);
	if (!set) {
		hw_outf(out, "Ring parameters for %s:\nPre-set maximums:\nRX:\t\t%u\nRX Mini:\t%u\n"
			     "RX Jumbo:\t%u\nTX:\t\t%u\nCurrent hardware settings:\nRX:\t\t%u\n"
			     "RX Mini:\t%u\nRX Jumbo:\t%u\nTX:\t\t%u\n\n", dev->name,
			r.rx_max_pending, r.rx_mini_max_pending, r.rx_jumbo_max_pending,
			r.tx_max_pending, r.rx_pending, r.rx_mini_pending, r.rx_jumbo_pending,
			r.tx_pending);
		return 0;
	}
	for (i = 0; i + 1 < argc; i += 2) {
		u32 *f = !strcmp(argv[i], "rx") ? &r.rx_pending :
			 !strcmp(argv[i], "tx") ? &r.tx_pending :
			 !strcmp(argv[i], "rx-mini") ? &r.rx_mini_pending :
			 !strcmp(argv[i], "rx-jumbo") ? &r.rx_jumbo_pending : NULL;

		if (!f || ethtool_parse_u32(argv[i + 1], f))
			return -EINVAL;
	}
	if (i != argc || r.rx_pending > r.rx_max_pending || r.tx_pending > r.tx_max_pending)
		return -EINVAL;
	return ops->set_ringparam(dev, &r);
}

static int ethtool_coalesce(struct net_device *dev, bool set, int argc, char **argv,
			    char **out)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_coalesce c = { 0 };
	int i, err;

	if (!ops->get_coalesce || (set && !ops->set_coalesce))
		return -EOPNOTSUPP;
	err = ops->get_coalesce(dev, &c);
	if (err)
		return err;
	if (!set) {
		hw_outf(out, "Coalesce parameters for %s:\nAdaptive RX: %s  TX: %s\n"
			     "rx-usecs: %u\nrx-frames: %u\nrx-usecs-irq: %u\nrx-frames-irq: %u\n\n"
			     "tx-usecs: %u\ntx-frames: %u\ntx-usecs-irq: %u\ntx-frames-irq: %u\n\n",
			dev->name, c.use_adaptive_rx_coalesce ? "on" : "off",
			c.use_adaptive_tx_coalesce ? "on" : "off", c.rx_coalesce_usecs,
			c.rx_max_coalesced_frames, c.rx_coalesce_usecs_irq,
			c.rx_max_coalesced_frames_irq, c.tx_coalesce_usecs,
			c.tx_max_coalesced_frames, c.tx_coalesce_usecs_irq,
			c.tx_max_coalesced_frames_irq);
		return 0;
	}
	for (i = 0; i + 1 < argc; i += 2) {
		u32 *f = !strcmp(argv[i], "rx-usecs") ? &c.rx_coalesce_usecs :
			 !strcmp(argv[i], "rx-frames") ? &c.rx_max_coalesced_frames :
			 !strcmp(argv[i], "tx-usecs") ? &c.tx_coalesce_usecs :
			 !strcmp(argv[i], "tx-frames") ? &c.tx_max_coalesced_frames : NULL;

		if (!f || ethtool_parse_u32(argv[i + 1], f))
			return -EINVAL;
	}
	if (i != argc)
		return -EINVAL;
	return ops->set_coalesce(dev, &c);
}

static int ethtool_channels(struct net_device *dev, bool set, int argc, char **argv,
			    char **out)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_channels ch = { 0 };
	int i;

	if (!ops->get_channels || (set && !ops->set_channels))
		return -EOPNOTSUPP;
	ops->get_channels(dev, &ch);
	if (!set) {
		hw_outf(out, "Channel parameters for %s:\nPre-set maximums:\nRX:\t\t%u\nTX:\t\t%u\n"
			     "Other:\t\t%u\nCombined:\t%u\nCurrent hardware settings:\nRX:\t\t%u\n"
			     "TX:\t\t%u\nOther:\t\t%u\nCombined:\t%u\n\n", dev->name, ch.max_rx,
			ch.max_tx, ch.max_other, ch.max_combined, ch.rx_count, ch.tx_count,
			ch.other_count, ch.combined_count);
		return 0;
	}
	for (i = 0; i + 1 < argc; i += 2) {
		u32 *f = !strcmp(argv[i], "combined") ? &ch.combined_count :
			 !strcmp(argv[i], "rx") ? &ch.rx_count :
			 !strcmp(argv[i], "tx") ? &ch.tx_count :
			 !strcmp(argv[i], "other") ? &ch.other_count : NULL;

		if (!f || ethtool_parse_u32(argv[i + 1], f))
			return -EINVAL;
	}
	if (i != argc)
		return -EINVAL;
	return ops->set_channels(dev, &ch);
}

static int ethtool_rxfh(struct net_device *dev, bool set, int argc, char **argv, char **out)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_channels ch = { 0 };
	u32 size, *indir, i;
	int err = 0;

	if (!ops->get_rxfh_indir_size || !ops->get_rxfh_indir || (set && !ops->set_rxfh_indir))
		return -EOPNOTSUPP;
	size = ops->get_rxfh_indir_size(dev);
	indir = calloc(size ? size : 1, sizeof(u32));
	if (!indir)
		return -ENOMEM;
	if (ops->get_channels)
		ops->get_channels(dev, &ch);
	if (!set) {
		err = ops->get_rxfh_indir(dev, indir);
		if (!err) {
			hw_outf(out, "RX flow hash indirection table for %s with %u RX ring(s):",
				dev->name, ch.combined_count + ch.rx_count);
			for (i = 0; i < size; i++) {
				if (i % 8 == 0)
					hw_outf(out, "\n%5u: ", i);
				hw_outf(out, " %5u", indir[i]);
			}
			hw_outf(out, "\n");
		}
	} else if (argc == 2 && !strcmp(argv[0], "equal")) {
		u32 n;

		if (ethtool_parse_u32(argv[1], &n) || !n) {
			err = -EINVAL;
		} else {
			for (i = 0; i < size; i++)
				indir[i] = i % n;
			err = ops->set_rxfh_indir(dev, indir);
		}
	} else if (argc >= 2 && !strcmp(argv[0], "weight")) {
		/* Queue q gets a share of the table proportional to its weight. */
		u32 w[HW_NIC_MAX_QUEUES], total = 0, nq = (u32)argc - 1, q, j = 0, acc = 0;

		if (nq > HW_NIC_MAX_QUEUES)
			err = -EINVAL;
		for (q = 0; !err && q < nq; q++) {
			if (ethtool_parse_u32(argv[q + 1], &w[q]))
				err = -EINVAL;
			total += w[q];
		}
		if (!err && !total)
			err = -EINVAL;
		for (q = 0; !err && q < nq; q++) {
			acc += w[q];
			for (; j < (u32)(((u64)acc * size + total - 1) / total) && j < size; j++)
				indir[j] = q;
		}
		if (!err)
			err = ops->set_rxfh_indir(dev, indir);
	} else {
		err = -EINVAL;
	}
	free(indir);
	return err;
}

static int ethtool_drvinfo(struct net_device *dev, char **out)
{
	struct ethtool_drvinfo info = { 0 };

	if (!dev->ethtool_ops->get_drvinfo)
		return -EOPNOTSUPP;
	dev->ethtool_ops->get_drvinfo(dev, &info);
	hw_outf(out, "driver: %s\nversion: %s\nfirmware-version: %s\nbus-info: %s\n"
		     "supports-statistics: %s\nsupports-test: no\nsupports-eeprom-access: no\n"
		     "supports-register-dump: no\nsupports-priv-flags: no\n", info.driver,
		info.version, info.fw_version, info.bus_info, info.n_stats ? "yes" : "no");
	return 0;
}

static int ethtool_link(struct net_device *dev, char **out)
{
	struct hw_nic *nic = hw_nic_of(dev);
	u32 link = dev->ethtool_ops && dev->ethtool_ops->get_link ?
		   dev->ethtool_ops->get_link(dev) : netif_carrier_ok(dev);

	hw_outf(out, "Settings for %s:\n", dev->name);
	if (nic)
		hw_outf(out, "\tSpeed: %uMb/s\n\tDuplex: Full\n\tPort: Twisted Pair\n",
			nic->speed_mbps);
	hw_outf(out, "\tLink detected: %s\n", link ? "yes" : "no");
	return 0;
}

int ethtool_cmd_net(struct net *net, const char *line, char **out)
{
	char buf[512], *argv[ETHTOOL_MAX_ARGS], *save = NULL, *tok;
	struct net_device *dev;
	const char *opt = NULL;
	int argc = 0, err;

	if (out)
		*out = NULL;
	if (!net || !line || strlen(line) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (argc == ETHTOOL_MAX_ARGS)
			return -E2BIG;
		argv[argc++] = tok;
	}
	if (argc < 2 || strcmp(argv[0], "ethtool"))
		goto usage;
	if (argv[1][0] == '-') {
		opt = argv[1];
		if (argc < 3)
			goto usage;
	}
	dev = __dev_get_by_name(net, argv[opt ? 2 : 1]);
	if (!dev) {
		hw_outf(out, "Cannot get device settings: No such device\n");
		return -ENODEV;
	}
	if (!dev->ethtool_ops) {
		hw_outf(out, "Operation not supported\n");
		return -EOPNOTSUPP;
	}
	argc -= 3;
	rtnl_lock();
	if (!opt)
		err = ethtool_link(dev, out);
	else if (!strcmp(opt, "-i"))
		err = ethtool_drvinfo(dev, out);
	else if (!strcmp(opt, "-S"))
		err = ethtool_show_stats(dev, out);
	else if (!strcmp(opt, "-g") || !strcmp(opt, "-G"))
		err = ethtool_ring(dev, opt[1] == 'G', argc, argv + 3, out);
	else if (!strcmp(opt, "-c") || !strcmp(opt, "-C"))
		err = ethtool_coalesce(dev, opt[1] == 'C', argc, argv + 3, out);
	else if (!strcmp(opt, "-l") || !strcmp(opt, "-L"))
		err = ethtool_channels(dev, opt[1] == 'L', argc, argv + 3, out);
	else if (!strcmp(opt, "-k"))
		err = ethtool_show_features(dev, out);
	else if (!strcmp(opt, "-K"))
		err = ethtool_set_features(dev, argc, argv + 3, out);
	else if (!strcmp(opt, "-x") || !strcmp(opt, "-X"))
		err = ethtool_rxfh(dev, opt[1] == 'X', argc, argv + 3, out);
	else
		err = -EOPNOTSUPP;
	rtnl_unlock();
	if (err == -EOPNOTSUPP && !(out && *out))
		hw_outf(out, "ethtool %s: not supported by ulnet or by %s\n", opt ? opt : "",
			dev->name);
	else if (err == -EINVAL && !(out && *out))
		hw_outf(out, "ethtool: bad command line argument(s)\n");
	return err;
usage:
	hw_outf(out, "ethtool: bad command line argument(s)\nFor more information run ethtool -h\n");
	return -EINVAL;
}

int ul_ethtool_cmd(const char *netns, const char *line, char **out)
{
	struct net *net = ul_net_by_name(netns);

	if (out)
		*out = NULL;
	if (!net)
		return -ENODEV;
	return ethtool_cmd_net(net, line, out);
}
