/* SPDX-License-Identifier: MIT */
/* Packet capture to pcap files: the tcpdump side of AF_PACKET (a ptype_all tap that runs a
 * libpcap filter and writes matching frames). The public half is ul_capture_start/stop in
 * include/ulnet/ulnet.h; see docs/capture.md.
 * Mirrors the role of linux/net/packet/af_packet.c (packet_rcv, packet_notifier). */
#ifndef _NET_CAPTURE_H
#define _NET_CAPTURE_H

/* Most captures open at once (ul_capture_start returns -EMFILE beyond). */
#define UL_CAPTURE_MAX		32
/* Bytes kept of each frame (tcpdump -s 65535). */
#define UL_CAPTURE_SNAPLEN	65535

/* Stop every capture still open (flush and close its file). Stack teardown calls it before
 * the devices go away. Context: process, rtnl_lock not held. */
void ul_capture_fini(void);
/* Frames written so far by capture @id, or -ENOENT. */
long ul_capture_count(int id);

#endif
