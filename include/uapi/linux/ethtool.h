/* SPDX-License-Identifier: MIT */
/* ethtool's request structures: the ones struct ethtool_ops passes (driver info, ring sizes,
 * interrupt coalescing, channels, string sets, statistics).
 * Mirrors linux/include/uapi/linux/ethtool.h (3.10): struct ethtool_drvinfo,
 * ethtool_ringparam, ethtool_coalesce, ethtool_channels, ethtool_stats, ETH_SS_*. */
#ifndef _UAPI_LINUX_ETHTOOL_H
#define _UAPI_LINUX_ETHTOOL_H
#include "linux/types.h"

#define ETH_GSTRING_LEN		32
#define ETHTOOL_BUSINFO_LEN	32
#define ETHTOOL_FWVERS_LEN	32

/* ethtool -i */
struct ethtool_drvinfo {
	__u32 cmd;
	char driver[32];
	char version[32];
	char fw_version[ETHTOOL_FWVERS_LEN];
	char bus_info[ETHTOOL_BUSINFO_LEN];
	char reserved1[32];
	char reserved2[12];
	__u32 n_priv_flags;
	__u32 n_stats;		/* ETH_SS_STATS count (ethtool -S) */
	__u32 testinfo_len;
	__u32 eedump_len;
	__u32 regdump_len;
};

/* ethtool -g / -G: RX/TX RingBuffer sizes (book ch2: ring full -> rx_fifo_errors). */
struct ethtool_ringparam {
	__u32 cmd;
	__u32 rx_max_pending;
	__u32 rx_mini_max_pending;
	__u32 rx_jumbo_max_pending;
	__u32 tx_max_pending;
	__u32 rx_pending;
	__u32 rx_mini_pending;
	__u32 rx_jumbo_pending;
	__u32 tx_pending;
};

/* ethtool -c / -C: interrupt coalescing. */
struct ethtool_coalesce {
	__u32 cmd;
	__u32 rx_coalesce_usecs;
	__u32 rx_max_coalesced_frames;
	__u32 rx_coalesce_usecs_irq;
	__u32 rx_max_coalesced_frames_irq;
	__u32 tx_coalesce_usecs;
	__u32 tx_max_coalesced_frames;
	__u32 tx_coalesce_usecs_irq;
	__u32 tx_max_coalesced_frames_irq;
	__u32 stats_block_coalesce_usecs;
	__u32 use_adaptive_rx_coalesce;
	__u32 use_adaptive_tx_coalesce;
	__u32 pkt_rate_low;
	__u32 rx_coalesce_usecs_low;
	__u32 rx_max_coalesced_frames_low;
	__u32 tx_coalesce_usecs_low;
	__u32 tx_max_coalesced_frames_low;
	__u32 pkt_rate_high;
	__u32 rx_coalesce_usecs_high;
	__u32 rx_max_coalesced_frames_high;
	__u32 tx_coalesce_usecs_high;
	__u32 tx_max_coalesced_frames_high;
	__u32 rate_sample_interval;
};

/* ethtool -l / -L: queue (channel) counts, RSS. */
struct ethtool_channels {
	__u32 cmd;
	__u32 max_rx;
	__u32 max_tx;
	__u32 max_other;
	__u32 max_combined;
	__u32 rx_count;
	__u32 tx_count;
	__u32 other_count;
	__u32 combined_count;
};

/* ethtool -S: @n_stats u64 values follow (the driver fills them through get_ethtool_stats). */
struct ethtool_stats {
	__u32 cmd;
	__u32 n_stats;
	__u64 data[];
};

enum ethtool_stringset {
	ETH_SS_TEST = 0,
	ETH_SS_STATS,
	ETH_SS_PRIV_FLAGS,
	ETH_SS_NTUPLE_FILTERS,
	ETH_SS_FEATURES,
};

#endif
