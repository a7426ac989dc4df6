/* SPDX-License-Identifier: MIT */
/* ethtool operations of the igb driver: -i, -g/-G, -c/-C, -l/-L, -S, -x/-X.
 * Mirrors linux/drivers/net/ethernet/intel/igb/igb_ethtool.c (3.10): igb_gstrings_stats,
 * igb_gstrings_net_stats, igb_get_drvinfo, igb_get_ringparam, igb_set_ringparam,
 * igb_get_coalesce, igb_set_coalesce, igb_get_channels, igb_set_channels,
 * igb_get_sset_count, igb_get_strings, igb_get_ethtool_stats, igb_get_rxfh_indir_size,
 * igb_get_rxfh_indir, igb_set_rxfh_indir (the last three are 3.16's names for -x/-X).
 * Context: process, rtnl held. */
#include <string.h>
#include "drivers/net/ethernet/intel/igb/igb.h"
#include "linux/netdevice.h"

/* igb_gstrings_stats, in 3.10's order. The model keeps the counters it can have (a full-
 * duplex point-to-point wire has no collisions, no flow control, no SMBus/BMC traffic):
 * the others read 0, as on a Linux machine where they never happen. */
enum igb_stat_src { S_ZERO, S_GPRC, S_GPTC, S_GORC, S_GOTC, S_BPRC, S_MPRC, S_RNBC, S_MPC,
		    S_TSCTC, S_RLEC, S_TX_TIMEOUT };
static const struct {
	char name[ETH_GSTRING_LEN];
	enum igb_stat_src src;
} igb_gstrings_stats[] = {
	{ "rx_packets", S_GPRC },
	{ "tx_packets", S_GPTC },
	{ "rx_bytes", S_GORC },
	{ "tx_bytes", S_GOTC },
	{ "rx_broadcast", S_BPRC },
	{ "tx_broadcast", S_ZERO },
	{ "rx_multicast", S_MPRC },
	{ "tx_multicast", S_ZERO },
	{ "multicast", S_MPRC },
	{ "collisions", S_ZERO },
	{ "rx_crc_errors", S_ZERO },
	{ "rx_no_buffer_count", S_RNBC },
	{ "rx_missed_errors", S_MPC },
	{ "tx_aborted_errors", S_ZERO },
	{ "tx_carrier_errors", S_ZERO },
	{ "tx_window_errors", S_ZERO },
	{ "tx_abort_late_coll", S_ZERO },
	{ "tx_deferred_ok", S_ZERO },
	{ "tx_single_coll_ok", S_ZERO },
	{ "tx_multi_coll_ok", S_ZERO },
	{ "tx_timeout_count", S_TX_TIMEOUT },
	{ "rx_long_length_errors", S_RLEC },
	{ "rx_short_length_errors", S_ZERO },
	{ "rx_align_errors", S_ZERO },
	{ "tx_tcp_seg_good", S_TSCTC },
	{ "tx_tcp_seg_failed", S_ZERO },
	{ "rx_flow_control_xon", S_ZERO },
	{ "rx_flow_control_xoff", S_ZERO },
	{ "tx_flow_control_xon", S_ZERO },
	{ "tx_flow_control_xoff", S_ZERO },
	{ "rx_long_byte_count", S_GORC },
	{ "tx_dma_out_of_sync", S_ZERO },
	{ "tx_smbus", S_ZERO },
	{ "rx_smbus", S_ZERO },
	{ "dropped_smbus", S_ZERO },
	{ "os2bmc_rx_by_bmc", S_ZERO },
	{ "os2bmc_tx_by_bmc", S_ZERO },
	{ "os2bmc_tx_by_host", S_ZERO },
	{ "os2bmc_rx_by_host", S_ZERO },
	{ "tx_hwtstamp_timeouts", S_ZERO },
	{ "rx_hwtstamp_cleared", S_ZERO },
};
#define IGB_GLOBAL_STATS_LEN ARRAY_SIZE(igb_gstrings_stats)

/* igb_gstrings_net_stats: members of rtnl_link_stats64. */
#define IGB_NETDEV_STAT(m) { #m, offsetof(struct rtnl_link_stats64, m) }
static const struct {
	char name[ETH_GSTRING_LEN];
	size_t off;
} igb_gstrings_net_stats[] = {
	IGB_NETDEV_STAT(rx_errors),
	IGB_NETDEV_STAT(tx_errors),
	IGB_NETDEV_STAT(tx_dropped),
	IGB_NETDEV_STAT(rx_length_errors),
	IGB_NETDEV_STAT(rx_over_errors),
	IGB_NETDEV_STAT(rx_frame_errors),
	IGB_NETDEV_STAT(rx_fifo_errors),
	IGB_NETDEV_STAT(tx_fifo_errors),
	IGB_NETDEV_STAT(tx_heartbeat_errors),
};
#define IGB_NETDEV_STATS_LEN ARRAY_SIZE(igb_gstrings_net_stats)
#define IGB_TX_QUEUE_STATS_LEN 3	/* packets, bytes, restart */
#define IGB_RX_QUEUE_STATS_LEN 5	/* packets, bytes, drops, csum_err, alloc_failed */

static unsigned int igb_stats_len(const struct igb_adapter *adapter)
{
	return (unsigned int)(IGB_GLOBAL_STATS_LEN + IGB_NETDEV_STATS_LEN) +
	       adapter->num_tx_queues * IGB_TX_QUEUE_STATS_LEN +
	       adapter->num_rx_queues * IGB_RX_QUEUE_STATS_LEN;
}

static void igb_get_drvinfo(struct net_device *netdev, struct ethtool_drvinfo *drvinfo)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	snprintf(drvinfo->driver, sizeof(drvinfo->driver), "%s", IGB_DRIVER_NAME);
	snprintf(drvinfo->version, sizeof(drvinfo->version), "%s", IGB_DRIVER_VERSION);
	snprintf(drvinfo->fw_version, sizeof(drvinfo->fw_version), "1.52.0");
	snprintf(drvinfo->bus_info, sizeof(drvinfo->bus_info), "0000:%02x:00.0",
		 netdev->ifindex & 0xff);
	drvinfo->n_stats = igb_stats_len(adapter);
}

static void igb_get_ringparam(struct net_device *netdev, struct ethtool_ringparam *ring)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	ring->rx_max_pending = IGB_MAX_RXD;
	ring->tx_max_pending = IGB_MAX_TXD;
	ring->rx_pending = adapter->rx_ring_count;
	ring->tx_pending = adapter->tx_ring_count;
}

/* ethtool -G: sizes rounded up to a multiple of 8 within 64..4096; a running device is
 * brought down and up again (the rings are reallocated, as igb does). */
static int igb_set_ringparam(struct net_device *netdev, struct ethtool_ringparam *ring)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	u32 new_rx, new_tx;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	new_rx = min_t(u32, ring->rx_pending, IGB_MAX_RXD);
	new_rx = max_t(u32, new_rx, IGB_MIN_RXD);
	new_rx = ALIGN(new_rx, HW_RING_MULTIPLE);
	new_tx = min_t(u32, ring->tx_pending, IGB_MAX_TXD);
	new_tx = max_t(u32, new_tx, IGB_MIN_TXD);
	new_tx = ALIGN(new_tx, HW_RING_MULTIPLE);
	if (new_tx == adapter->tx_ring_count && new_rx == adapter->rx_ring_count)
		return 0;
	return igb_reinit_locked(adapter, 0, (u16)new_rx, (u16)new_tx);
}

static int igb_get_coalesce(struct net_device *netdev, struct ethtool_coalesce *ec)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	ec->rx_coalesce_usecs = adapter->rx_itr_setting;
	ec->tx_coalesce_usecs = adapter->tx_itr_setting;
	ec->rx_max_coalesced_frames = adapter->rx_frames_setting;
	return 0;
}

/* ethtool -C rx-usecs N tx-usecs N: 0 (no throttling), 1-3 (dynamic modes), or 4..10000
 * microseconds. DIVERGES: igb rejects rx-frames; the model takes it (fire after N frames
 * even inside the throttle interval) so that the two ways of coalescing can be compared. */
static int igb_set_coalesce(struct net_device *netdev, struct ethtool_coalesce *ec)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	if (ec->rx_coalesce_usecs > IGB_MAX_ITR_USECS || ec->tx_coalesce_usecs > IGB_MAX_ITR_USECS)
		return -EINVAL;
	if (ec->rx_max_coalesced_frames > 4096)
		return -EINVAL;
	adapter->rx_itr_setting = ec->rx_coalesce_usecs;
	adapter->tx_itr_setting = ec->tx_coalesce_usecs;
	adapter->rx_frames_setting = ec->rx_max_coalesced_frames;
	igb_set_itr_all(adapter);
	return 0;
}

static void igb_get_channels(struct net_device *netdev, struct ethtool_channels *ch)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	struct hw_nic_info info;

	hw_nic_get_info(adapter->hw, &info);
	ch->max_combined = info.max_queues;
	ch->max_other = 1;
	ch->other_count = 1;
	ch->combined_count = adapter->num_rx_queues;
}

/* ethtool -L combined N: queue pairs in use (RSS spreads over them). */
static int igb_set_channels(struct net_device *netdev, struct ethtool_channels *ch)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	struct hw_nic_info info;
	unsigned int i;

	hw_nic_get_info(adapter->hw, &info);
	if (!ch->combined_count || ch->rx_count || ch->tx_count ||
	    ch->combined_count > info.max_queues)
		return -EINVAL;
	if (ch->combined_count == adapter->num_rx_queues)
		return 0;
	/* A user table pointing past the new count falls back to the default spread. */
	for (i = 0; i < HW_RSS_INDIR_SIZE; i++)
		if (adapter->rss_indir_tbl[i] >= ch->combined_count)
			adapter->rss_indir_user = false;
	return igb_reinit_locked(adapter, ch->combined_count, 0, 0);
}

static int igb_get_sset_count(struct net_device *netdev, int sset)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	if (sset == ETH_SS_STATS)
		return (int)igb_stats_len(adapter);
	return -EOPNOTSUPP;
}

static void igb_get_strings(struct net_device *netdev, u32 stringset, u8 *data)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	char *p = (char *)data;
	unsigned int i;

	if (stringset != ETH_SS_STATS)
		return;
	for (i = 0; i < IGB_GLOBAL_STATS_LEN; i++, p += ETH_GSTRING_LEN)
		memcpy(p, igb_gstrings_stats[i].name, ETH_GSTRING_LEN);
	for (i = 0; i < IGB_NETDEV_STATS_LEN; i++, p += ETH_GSTRING_LEN)
		memcpy(p, igb_gstrings_net_stats[i].name, ETH_GSTRING_LEN);
	for (i = 0; i < adapter->num_tx_queues; i++) {
		snprintf(p, ETH_GSTRING_LEN, "tx_queue_%hhu_packets", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "tx_queue_%hhu_bytes", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "tx_queue_%hhu_restart", (unsigned char)i);
		p += ETH_GSTRING_LEN;
	}
	for (i = 0; i < adapter->num_rx_queues; i++) {
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%hhu_packets", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%hhu_bytes", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%hhu_drops", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%hhu_csum_err", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%hhu_alloc_failed", (unsigned char)i);
		p += ETH_GSTRING_LEN;
	}
}

static u64 igb_stat_value(const struct igb_adapter *adapter, const struct hw_nic_stats *hs,
			  enum igb_stat_src src)
{
	switch (src) {
	case S_GPRC: return hs->gprc;
	case S_GPTC: return hs->gptc;
	case S_GORC: return hs->gorc;
	case S_GOTC: return hs->gotc;
	case S_BPRC: return hs->bprc;
	case S_MPRC: return hs->mprc;
	case S_RNBC: return hs->rnbc;
	case S_MPC: return hs->mpc;
	case S_TSCTC: return hs->tsctc;
	case S_RLEC: return hs->rlec;
	case S_TX_TIMEOUT: return adapter->tx_timeout_count;
	default: return 0;
	}
}

static void igb_get_ethtool_stats(struct net_device *netdev, struct ethtool_stats *stats,
				  u64 *data)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	struct rtnl_link_stats64 net_stats;
	struct hw_nic_stats hs;
	unsigned int i, n = 0;

	memset(&net_stats, 0, sizeof(net_stats));
	dev_get_stats(netdev, &net_stats);
	hw_nic_get_stats(adapter->hw, &hs);
	for (i = 0; i < IGB_GLOBAL_STATS_LEN; i++)
		data[n++] = igb_stat_value(adapter, &hs, igb_gstrings_stats[i].src);
	for (i = 0; i < IGB_NETDEV_STATS_LEN; i++)
		data[n++] = *(const u64 *)((const char *)&net_stats + igb_gstrings_net_stats[i].off);
	for (i = 0; i < adapter->num_tx_queues; i++) {
		data[n++] = adapter->tx_ring[i].stats.packets;
		data[n++] = adapter->tx_ring[i].stats.bytes;
		data[n++] = adapter->tx_ring[i].stats.restart_queue;
	}
	for (i = 0; i < adapter->num_rx_queues; i++) {
		struct hw_queue_stats qs;

		hw_nic_get_queue_stats(adapter->hw, i, &qs);
		data[n++] = adapter->rx_ring[i].stats.packets;
		data[n++] = adapter->rx_ring[i].stats.bytes;
		data[n++] = qs.rx_drops;
		data[n++] = adapter->rx_ring[i].stats.csum_err;
		data[n++] = adapter->rx_ring[i].stats.alloc_failed;
	}
	if (stats)
		stats->n_stats = n;
}

static u32 igb_get_rxfh_indir_size(struct net_device *netdev)
{
	return HW_RSS_INDIR_SIZE;
}

static int igb_get_rxfh_indir(struct net_device *netdev, u32 *indir)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	memcpy(indir, adapter->rss_indir_tbl, sizeof(adapter->rss_indir_tbl));
	return 0;
}

/* ethtool -X: each entry a queue in use. */
static int igb_set_rxfh_indir(struct net_device *netdev, const u32 *indir)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	unsigned int i;

	for (i = 0; i < HW_RSS_INDIR_SIZE; i++)
		if (indir[i] >= adapter->num_rx_queues)
			return -EINVAL;
	memcpy(adapter->rss_indir_tbl, indir, sizeof(adapter->rss_indir_tbl));
	adapter->rss_indir_user = true;
	igb_apply_rss(adapter);
	return 0;
}

static const struct ethtool_ops igb_ethtool_ops = {
	.get_drvinfo = igb_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_ringparam = igb_get_ringparam,
	.set_ringparam = igb_set_ringparam,
	.get_coalesce = igb_get_coalesce,
	.set_coalesce = igb_set_coalesce,
	.get_channels = igb_get_channels,
	.set_channels = igb_set_channels,
	.get_sset_count = igb_get_sset_count,
	.get_strings = igb_get_strings,
	.get_ethtool_stats = igb_get_ethtool_stats,
	.get_rxfh_indir_size = igb_get_rxfh_indir_size,
	.get_rxfh_indir = igb_get_rxfh_indir,
	.set_rxfh_indir = igb_set_rxfh_indir,
};

void igb_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &igb_ethtool_ops;
}
