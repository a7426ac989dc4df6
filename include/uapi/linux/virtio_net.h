/* SPDX-License-Identifier: MIT */
/* The header a TAP with IFF_VNET_HDR puts before each frame: offload metadata (partial
 * checksum, segmentation) that crosses /dev/net/tun with the frame.
 * Mirrors linux/include/uapi/linux/virtio_net.h (3.10): struct virtio_net_hdr,
 * VIRTIO_NET_HDR_F_*, VIRTIO_NET_HDR_GSO_*. Fields are in the host's byte order (legacy
 * virtio, as tun uses by default). */
#ifndef _UAPI_LINUX_VIRTIO_NET_H
#define _UAPI_LINUX_VIRTIO_NET_H
#include "linux/types.h"

#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1	/* sum from csum_start, store at +csum_offset */
#define VIRTIO_NET_HDR_F_DATA_VALID	2	/* the checksum was verified */

#define VIRTIO_NET_HDR_GSO_NONE		0
#define VIRTIO_NET_HDR_GSO_TCPV4	1
#define VIRTIO_NET_HDR_GSO_UDP		3
#define VIRTIO_NET_HDR_GSO_TCPV6	4
#define VIRTIO_NET_HDR_GSO_ECN		0x80	/* TCP, CWR set in the first segment */

struct virtio_net_hdr {
	__u8 flags;		/* VIRTIO_NET_HDR_F_* */
	__u8 gso_type;		/* VIRTIO_NET_HDR_GSO_* */
	__u16 hdr_len;		/* Ethernet + IP + TCP header bytes */
	__u16 gso_size;		/* payload bytes of each segment */
	__u16 csum_start;	/* from the start of the frame */
	__u16 csum_offset;	/* from csum_start */
};

#endif
