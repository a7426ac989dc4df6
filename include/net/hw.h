/* SPDX-License-Identifier: MIT */
/* The simulated hardware: an igb-like NIC device model and the wires between NICs.
 * Mirrors no Linux file: it plays the part of QEMU's hw/net/igb (the device the igb driver
 * of src/drivers/net/ethernet/intel/igb/ talks to). See docs/hardware.md.
 *
 * The contract between the model and its driver is the register/descriptor interface of a
 * real NIC, reduced to what the driver needs:
 *  - rings: the driver allocates descriptor arrays (its memory), tells the NIC where they are
 *    (hw_nic_setup_rx_ring/tx_ring: RDBAL/RDLEN, TDBAL/TDLEN) and moves the tail registers
 *    (hw_nic_write_rdt/tdt). The NIC owns descriptors from head up to tail-1, writes them back
 *    (status DD) and advances head. RX: no descriptor owned by the NIC -> the frame is dropped
 *    and counted (MPC, RNBC, the queue's RQDPC). TX: the NIC reads (copies) the frame at the
 *    doorbell, sends it at line rate and sets DD when the last bit left.
 *  - MSI-X: one vector per queue pair plus one "other" vector (link), each an IRQ number the
 *    driver allocates (ul_irq_alloc) and programs (hw_nic_set_msix), with its own affinity. A vector auto-masks when it fires (EIAM);
 *    the driver re-enables it (EIMS, hw_nic_irq_enable) when NAPI is done. Interrupt
 *    throttling: a vector fires at most once per ITR interval (rx-usecs, or tx-usecs when only
 *    TX work is pending), or at once when rx-frames frames are pending.
 *  - RSS: Toeplitz hash of the IPv4 4-tuple (TCP) or 2-tuple (other IPv4, and UDP unless
 *    rss_udp4 is set, as igb's MRQC default) with a 40-byte key, 128-entry redirection table.
 *  - Offloads: RX checksum validation (status IPCS/L4CS, errors IPE/TCPE), TX checksum
 *    insertion and TSO (the model segments) from a context descriptor.
 *
 * The verbs (hw_nic_add/del, hw_wire_add/del, hw_cmd) take rtnl themselves: call them
 * without it.
 * Context: every model function runs in the stack's world (an event on a CPU, or a task);
 * the model has no lock of its own (DIVERGES: the sim runtime is single-threaded; on posix
 * the NIC must only be driven from one CPU's context at a time). Hardware memory (frames in
 * flight, the model's structs) comes from calloc, not the kernel's slab: it is not kernel
 * memory. */
#ifndef _NET_HW_H
#define _NET_HW_H
#include "linux/types.h"

struct net;
struct net_device;

#define HW_NIC_MAX_QUEUES	8	/* igb (82576): 8 (16 on 82576 VMDq; we keep 8) */
#define HW_RING_MIN		64	/* IGB_MIN_RXD / IGB_MIN_TXD */
#define HW_RING_MAX		4096	/* IGB_MAX_RXD / IGB_MAX_TXD */
#define HW_RING_DEFAULT		256	/* IGB_DEFAULT_RXD / IGB_DEFAULT_TXD */
#define HW_RING_MULTIPLE	8	/* REQ_RX/TX_DESCRIPTOR_MULTIPLE */
#define HW_RSS_INDIR_SIZE	128	/* IGB_RETA_SIZE */
#define HW_RSS_KEY_SIZE		40
#define HW_MAX_FRAME		16128	/* largest frame the model DMAs or sends (igb MAX_JUMBO) */
#define HW_ETH_OVERHEAD		24	/* preamble+SFD 8, FCS 4, inter-frame gap 12: wire time */

/* RX descriptor (read format: buffer address; write-back: the rest). Mirrors the fields of
 * union e1000_adv_rx_desc the driver uses. */
#define E1000_RXD_STAT_DD	0x01	/* descriptor done */
#define E1000_RXD_STAT_EOP	0x02	/* end of packet */
#define E1000_RXD_STAT_IPCS	0x40	/* IP checksum calculated */
#define E1000_RXD_STAT_TCPCS	0x20	/* TCP checksum calculated */
#define E1000_RXD_STAT_UDPCS	0x10	/* UDP checksum calculated */
#define E1000_RXDEXT_STATERR_TCPE 0x20000000
#define E1000_RXDEXT_STATERR_IPE  0x40000000
#define E1000_RXDEXT_STATERR_RXE  0x80000000
struct hw_rx_desc {
	void *addr;		/* read: the buffer the driver posted (its "DMA address") */
	u32 buf_len;		/* read: bytes available at addr */
	u32 status_error;	/* write-back: E1000_RXD_STAT_* | E1000_RXDEXT_STATERR_* */
	u16 length;		/* write-back: bytes DMA'd */
	u16 rss_type;		/* write-back: 0 none, 1 IPv4 TCP, 2 IPv4 */
	u32 rss_hash;		/* write-back: the Toeplitz hash */
};

/* TX descriptor: a data descriptor, or a context descriptor (HW_TXD_CTXT) that describes the
 * offloads of the packet whose data descriptors follow. */
#define HW_TXD_EOP	0x01	/* last descriptor of a packet */
#define HW_TXD_CTXT	0x02	/* context descriptor (offload parameters) */
#define HW_TXD_TSE	0x04	/* ctxt: TCP segmentation (mss, hdr_len) */
#define HW_TXD_L4CS	0x08	/* ctxt: insert the L4 checksum at csum_start + csum_offset */
#define HW_TXD_IXSM	0x10	/* ctxt: insert the IPv4 header checksum */
#define HW_TXD_STAT_DD	0x01
struct hw_tx_desc {
	const void *addr;	/* data: the bytes to send */
	u32 len;		/* data: their count */
	u16 cmd;		/* HW_TXD_* */
	u16 status;		/* write-back: HW_TXD_STAT_DD */
	/* context descriptor fields */
	u16 mss;		/* TSO: payload bytes per segment */
	u16 hdr_len;		/* TSO: MAC+IP+TCP header bytes */
	u16 csum_start;		/* L4CS: offset of the L4 header in the frame */
	u16 csum_offset;	/* L4CS: offset of the checksum field from csum_start */
	u16 l3_offset;		/* offset of the IPv4 header (14) */
};

/* Impairment of a wire direction (netem's knobs, seeded). Percentages in 1/1000 %. */
struct hw_impair {
	u64 delay_ns;		/* propagation delay */
	u64 jitter_ns;		/* +- uniform */
	u32 loss_ppm;		/* parts per million */
	u32 duplicate_ppm;
	u32 corrupt_ppm;
	u32 reorder_ppm;	/* sent without the extra delay (jumps ahead) */
	u64 seed;		/* 0: derived from the stack's RNG */
};

/* Per-queue statistics of the model (igb's per-queue counters). */
struct hw_queue_stats {
	u64 rx_packets, rx_bytes, rx_drops;	/* rx_drops: RQDPC (no descriptor) */
	u64 tx_packets, tx_bytes;
	u64 irqs;				/* interrupts fired on this vector */
};

/* Statistics registers of the model (igb's e1000_hw_stats names). */
struct hw_nic_stats {
	u64 gprc, gptc, gorc, gotc;	/* good packets/octets received/transmitted */
	u64 mpc;	/* missed packets (rx_missed_errors) */
	u64 rnbc;	/* receive no buffer (rx_no_buffer_count) */
	u64 rlec;	/* receive length errors */
	u64 rxerrc;	/* frames with bad checksums seen by RX checksum offload */
	u64 bprc, mprc;	/* broadcast, multicast received */
	u64 tsctc;	/* TSO contexts (tx_tcp_seg_good) */
	u64 tx_segs;	/* frames produced by TSO */
	u64 wire_lost, wire_dup, wire_corrupt;	/* impairment of frames sent on our wire side */
	u64 link_irqs;	/* the "other" vector */
};

struct hw_nic;

/* The driver side: what the model calls into. Set by the driver at probe. */
struct hw_nic_driver {
	/* The NIC was removed (hw nic del / teardown): unregister the netdev. Context: task or
	 * the stack's teardown, rtnl not held. */
	void (*remove)(struct hw_nic *nic);
	/* Carrier changed (wire attached or detached). */
	void (*link_change)(struct hw_nic *nic, bool up);
};

/* ---- creating and finding hardware (hw verbs) ---- */

/* hw nic add NAME netns NS queues Q ring R speed S: create the device model and probe the
 * driver, which registers netdev NAME ("eth%d" if NULL) in namespace @netns (NULL: initial).
 * @queues 1..HW_NIC_MAX_QUEUES, @ring HW_RING_MIN..HW_RING_MAX (0: default), @speed_mbps
 * 10..400000 (0: 10000). Returns 0 or -EINVAL, -ENODEV (no namespace), -EEXIST, -ENOMEM. */
int hw_nic_add(const char *netns, const char *name, unsigned int queues, unsigned int ring,
	       u32 speed_mbps);
/* Remove the driver's netdev and the device model (detaches its wire). */
int hw_nic_del(const char *netns, const char *name);
/* The model behind @dev, or NULL. */
struct hw_nic *hw_nic_of(struct net_device *dev);
struct hw_nic *hw_nic_find(const char *netns, const char *name);
/* hw wire A/eth0 B/eth0: connect two NICs (both directions share @imp's delay; impairment
 * applies to both directions, each with its own RNG stream). 0, -ENODEV, -EBUSY (already
 * wired), -EINVAL. */
int hw_wire_add(const char *ns1, const char *dev1, const char *ns2, const char *dev2,
		const struct hw_impair *imp);
int hw_wire_del(const char *ns, const char *dev);
/* Text verbs: "hw nic add ...", "hw nic del ...", "hw wire ...", "hw nic show".
 * *out (malloc'ed, may be NULL) gets the output. 0 or -EINVAL with a message in *out. */
int hw_cmd(const char *line, char **out);
/* ethtool(8) over dev->ethtool_ops (src/hw/ethtool_cmd.c): "ethtool [-i|-S|-g|-G|-c|-C|-l|
 * -L|-k|-K|-x|-X] DEV [ARGS]", ethtool's output in *out. 0 or -EINVAL, -ENODEV, -EOPNOTSUPP.
 * Takes rtnl. */
int ul_ethtool_cmd(const char *netns, const char *line, char **out);
int ethtool_cmd_net(struct net *net, const char *line, char **out);
/* The same verbs in the shape of src/iproute2's do_ip (for ul_cmd's dispatcher). */
struct ul_buf;
int do_hw(struct net *net, int argc, char **argv, struct ul_buf *out);
int do_tc(struct net *net, int argc, char **argv, struct ul_buf *out);
int do_ethtool(struct net *net, int argc, char **argv, struct ul_buf *out);
/* Stack teardown: free every NIC and wire left (after the namespaces are gone). */
void ul_hw_fini(void);

/* ---- the model's "registers" (the driver's side of the contract) ---- */

struct hw_nic_info {
	unsigned int max_queues;	/* queue pairs of the hardware */
	u32 speed_mbps;
	u8 mac[6];			/* the EEPROM address */
	unsigned int ring_default;	/* ring size requested at hw nic add */
};
void hw_nic_get_info(const struct hw_nic *nic, struct hw_nic_info *info);
void hw_nic_set_driver(struct hw_nic *nic, const struct hw_nic_driver *drv, void *priv,
		       struct net_device *netdev);
void *hw_nic_driver_priv(const struct hw_nic *nic);
bool hw_nic_link_up(const struct hw_nic *nic);

/* RX ring of queue @q: @desc[@count] in driver memory (NULL: disable the queue). Head and
 * tail restart at 0: the NIC owns no descriptor until the driver writes the tail. */
int hw_nic_setup_rx_ring(struct hw_nic *nic, unsigned int q, struct hw_rx_desc *desc,
			 unsigned int count);
int hw_nic_setup_tx_ring(struct hw_nic *nic, unsigned int q, struct hw_tx_desc *desc,
			 unsigned int count);
/* Tail registers (RDT/TDT). Writing TDT is the TX doorbell. */
void hw_nic_write_rdt(struct hw_nic *nic, unsigned int q, unsigned int tail);
void hw_nic_write_tdt(struct hw_nic *nic, unsigned int q, unsigned int tail);
unsigned int hw_nic_read_rdh(const struct hw_nic *nic, unsigned int q);
unsigned int hw_nic_read_tdh(const struct hw_nic *nic, unsigned int q);
/* Queues in use (RSS spreads over them) and whether RX/TX run at all (RCTL.EN/TCTL.EN). */
int hw_nic_set_active_queues(struct hw_nic *nic, unsigned int n);
void hw_nic_enable(struct hw_nic *nic, bool on);
/* MSI-X table: the IRQ that vector @q raises (@q == HW_NIC_MAX_QUEUES: the "other" vector;
 * @irq < 0: none). The driver allocates the numbers (ul_irq_alloc) and programs them. */
void hw_nic_set_msix(struct hw_nic *nic, unsigned int q, int irq);
/* Vector of queue pair @q: unmask (EIMS) / mask (EIMC). */
void hw_nic_irq_enable(struct hw_nic *nic, unsigned int q);
void hw_nic_irq_disable(struct hw_nic *nic, unsigned int q);
/* Interrupt throttling (ethtool -C): microseconds between interrupts of a vector (0: none)
 * and frames that fire at once (0: off). */
void hw_nic_set_itr(struct hw_nic *nic, u32 rx_usecs, u32 rx_frames, u32 tx_usecs);
/* RSS (MRQC, RSSRK, RETA). @indir entries are queue numbers < active queues. */
void hw_nic_set_rss(struct hw_nic *nic, const u8 *key, const u32 *indir, bool rss_udp4);
void hw_nic_get_rss(const struct hw_nic *nic, u8 *key, u32 *indir);
/* RXCSUM.IPOFLD/TUOFLD: validate IPv4/TCP/UDP checksums on receive. */
void hw_nic_set_rxcsum(struct hw_nic *nic, bool on);
void hw_nic_get_stats(const struct hw_nic *nic, struct hw_nic_stats *st);
void hw_nic_get_queue_stats(const struct hw_nic *nic, unsigned int q, struct hw_queue_stats *st);
const char *hw_nic_name(const struct hw_nic *nic);

/* ---- the wire side ---- */

/* A frame arrives at @nic from its wire now (tests inject bursts this way). The bytes are
 * copied. Returns the queue it was DMA'd to, or -ENOBUFS (dropped: no descriptor), -ENETDOWN
 * (receiver disabled), -EMSGSIZE. */
int hw_nic_receive(struct hw_nic *nic, const void *frame, unsigned int len);
/* Toeplitz hash of @input (@len bytes) with @key (HW_RSS_KEY_SIZE bytes). */
u32 hw_toeplitz_hash(const u8 *key, const u8 *input, unsigned int len);
/* The RSS hash and type the model computes for @frame (0 when not IPv4). */
u32 hw_rss_hash_frame(const struct hw_nic *nic, const u8 *frame, unsigned int len, u16 *type);
/* Frames sent by @nic go to @fn instead of the wire, at the time the NIC reads them (tests;
 * NULL restores the wire). A sink counts as a link (carrier on). */
void hw_nic_set_tx_sink(struct hw_nic *nic, void (*fn)(void *arg, const u8 *frame,
						     unsigned int len), void *arg);

/* ---- text parsing helpers, in tc's syntax (hw verbs, netem, tbf) ---- */
/* "50us", "10ms", "1s", "100ns", "1.5ms"; a bare number is microseconds (tc). */
int ul_parse_time_ns(const char *s, u64 *ns);
/* "1%", "0.1%", "0.5" (a fraction): parts per million. */
int ul_parse_percent_ppm(const char *s, u32 *ppm);
/* "10gbit", "100mbit", "64kbit", "1000bit", "1mbps" (bytes/s): bits per second. */
int ul_parse_rate_bps(const char *s, u64 *bps);
/* "1500", "10kb", "1mb", "32k": bytes (tc: k/m = 1024 multiples, "kbit" = 128 bytes). */
int ul_parse_size(const char *s, u64 *bytes);

#endif
