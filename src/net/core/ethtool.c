/* SPDX-License-Identifier: MIT */
/* ethtool helpers of the core: feature names (ethtool -k) and the generic get_link.
 * Mirrors linux/net/core/ethtool.c (3.10): netdev_features_strings, ethtool_op_get_link.
 * The ethtool command itself (ethtool -g/-G/-c/-S ...) comes with the tools. */
#include "linux/netdevice.h"

const char netdev_features_strings[NETDEV_FEATURE_COUNT][ETH_GSTRING_LEN] = {
	[NETIF_F_SG_BIT] = "tx-scatter-gather",
	[NETIF_F_IP_CSUM_BIT] = "tx-checksum-ipv4",
	[NETIF_F_HW_CSUM_BIT] = "tx-checksum-ip-generic",
	[NETIF_F_IPV6_CSUM_BIT] = "tx-checksum-ipv6",
	[NETIF_F_HIGHDMA_BIT] = "highdma",
	[NETIF_F_FRAGLIST_BIT] = "tx-scatter-gather-fraglist",
	[NETIF_F_HW_VLAN_CTAG_TX_BIT] = "tx-vlan-hw-insert",
	[NETIF_F_HW_VLAN_CTAG_RX_BIT] = "rx-vlan-hw-parse",
	[NETIF_F_HW_VLAN_CTAG_FILTER_BIT] = "rx-vlan-filter",
	[NETIF_F_VLAN_CHALLENGED_BIT] = "vlan-challenged",
	[NETIF_F_GSO_BIT] = "tx-generic-segmentation",
	[NETIF_F_LLTX_BIT] = "tx-lockless",
	[NETIF_F_NETNS_LOCAL_BIT] = "netns-local",
	[NETIF_F_GRO_BIT] = "rx-gro",
	[NETIF_F_LRO_BIT] = "rx-lro",
	[NETIF_F_TSO_BIT] = "tx-tcp-segmentation",
	[NETIF_F_UFO_BIT] = "tx-udp-fragmentation",
	[NETIF_F_GSO_ROBUST_BIT] = "tx-gso-robust",
	[NETIF_F_TSO_ECN_BIT] = "tx-tcp-ecn-segmentation",
	[NETIF_F_TSO6_BIT] = "tx-tcp6-segmentation",
	[NETIF_F_FSO_BIT] = "tx-fcoe-segmentation",
	[NETIF_F_GSO_GRE_BIT] = "tx-gre-segmentation",
	[NETIF_F_GSO_UDP_TUNNEL_BIT] = "tx-udp_tnl-segmentation",
	[NETIF_F_GSO_MPLS_BIT] = "tx-mpls-segmentation",
	[NETIF_F_FCOE_CRC_BIT] = "tx-checksum-fcoe-crc",
	[NETIF_F_SCTP_CSUM_BIT] = "tx-checksum-sctp",
	[NETIF_F_FCOE_MTU_BIT] = "fcoe-mtu",
	[NETIF_F_NTUPLE_BIT] = "rx-ntuple-filter",
	[NETIF_F_RXHASH_BIT] = "rx-hashing",
	[NETIF_F_RXCSUM_BIT] = "rx-checksum",
	[NETIF_F_NOCACHE_COPY_BIT] = "tx-nocache-copy",
	[NETIF_F_LOOPBACK_BIT] = "loopback",
	[NETIF_F_RXFCS_BIT] = "rx-fcs",
	[NETIF_F_RXALL_BIT] = "rx-all",
	[NETIF_F_HW_VLAN_STAG_TX_BIT] = "tx-vlan-stag-hw-insert",
	[NETIF_F_HW_VLAN_STAG_RX_BIT] = "rx-vlan-stag-hw-parse",
	[NETIF_F_HW_VLAN_STAG_FILTER_BIT] = "rx-vlan-stag-filter",
};

u32 ethtool_op_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev) ? 1 : 0;
}
