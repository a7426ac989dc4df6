/* SPDX-License-Identifier: MIT */
/* Generic receive offload (merging TCP segments in the NAPI poll) and generic segmentation
 * offload (cutting a TSO skb in software for a device without TSO).
 * Mirrors linux/include/linux/netdevice.h's GRO/GSO part (3.10): struct napi_gro_cb,
 * NAPI_GRO_CB, MAX_GRO_SKBS, skb_gso_segment, and net/ipv4's inet_gro_receive,
 * tcp_gro_receive, tcp_gro_complete, tcp_tso_segment (IPv4/TCP only). */
#ifndef _NET_GRO_H
#define _NET_GRO_H
#include "linux/netdevice.h"

#define MAX_GRO_SKBS	8	/* flows held per NAPI */
#define GRO_MAX_SIZE	65536	/* a merged packet's IP total length stays below this */

/* The skb->cb of a packet in GRO (3.10 struct napi_gro_cb, the fields ulnet uses). */
struct napi_gro_cb {
	unsigned int data_offset;	/* bytes of headers (MAC excluded): IP + TCP */
	u16 flush;			/* must not be held or merged into */
	u16 count;			/* segments merged into this one */
	u8 same_flow;
	u8 free;
	unsigned long age;		/* jiffies when it started being held */
	struct sk_buff *last;		/* last member of the frag_list */
};
#define NAPI_GRO_CB(skb) ((struct napi_gro_cb *)(skb)->cb)

/* ulnet's GRO counters (Linux has none in 3.10; the labs show the effect). */
struct gro_stats {
	unsigned long received;	/* napi_gro_receive calls */
	unsigned long merged;	/* segments appended to a held packet */
	unsigned long held;	/* packets that started a flow on gro_list */
	unsigned long flushed;	/* held packets completed and passed up */
	unsigned long normal;	/* passed up as they came */
};
void gro_get_stats(struct gro_stats *st);
void gro_reset_stats(void);

/* Free what @napi holds without passing it up (the device goes away). */
void napi_gro_discard(struct napi_struct *napi);

/* Cut a GSO skb (skb->data at the MAC header) into gso_size segments with the headers
 * copied and fixed (IPv4 id, length, checksum; TCP seq, flags; TCP checksum left
 * CHECKSUM_PARTIAL if @features can checksum, else computed). Returns the list (->next),
 * or ERR_PTR(-EINVAL) (bad headers), -EPROTONOSUPPORT (not TCPv4), -ENOMEM. Does not
 * consume @skb. */
struct sk_buff *skb_gso_segment(struct sk_buff *skb, netdev_features_t features);
/* dev_hard_start_xmit's software GSO: segment, then hand each segment to the taps and the
 * driver. Consumes @skb. Returns NETDEV_TX_OK. DIVERGES: a segment the driver refuses
 * (NETDEV_TX_BUSY) is dropped with the rest and counted in tx_dropped; Linux requeues the
 * remainder (skb->next kept on the qdisc). Context: BH off, @txq locked. */
int dev_gso_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq,
		 netdev_features_t features);

#endif
