/* SPDX-License-Identifier: MIT */
/* The igb driver's private structures: adapter, queue vectors, rings and their buffers.
 * Mirrors linux/drivers/net/ethernet/intel/igb/igb.h (3.10): struct igb_adapter,
 * igb_q_vector, igb_ring, igb_tx_buffer, igb_rx_buffer, igb_desc_unused, IGB_* defaults.
 *
 * DIVERGES: the hardware is the simulated NIC of include/net/hw.h (registers are function
 * calls, descriptors are struct hw_rx_desc/hw_tx_desc, no DMA mapping). RX buffers are half
 * pages as 3.10's (struct igb_rx_buffer; igb_fetch_rx_buffer, igb_add_rx_frag). */
#ifndef _IGB_H_
#define _IGB_H_
#include "linux/netdevice.h"
#include "net/hw.h"

struct net;

#define IGB_DRIVER_NAME		"igb"
#define IGB_DRIVER_VERSION	"5.0.3-k"	/* 3.10's igb_driver_version */
#define IGB_DEFAULT_TXD		256
#define IGB_DEFAULT_RXD		256
#define IGB_MIN_TXD		64
#define IGB_MAX_TXD		4096
#define IGB_MIN_RXD		64
#define IGB_MAX_RXD		4096
#define IGB_DEFAULT_TX_WORK	128	/* tx_work_limit: descriptors cleaned per poll */
#define IGB_RX_BUFFER_WRITE	16	/* refill the RX ring after this many */
#define IGB_RXBUFFER_2048	2048
#define IGB_RX_BUFSZ		IGB_RXBUFFER_2048
/* Frames up to this are copied into a small head skb and the buffer stays posted. */
#define IGB_RX_HDR_LEN		256
/* What 3.10 charges for the head skb of every received frame:
 * netdev_alloc_skb_ip_align(dev, IGB_RX_HDR_LEN) carves SKB_DATA_ALIGN(256 + NET_SKB_PAD)
 * plus the shared info from a page fragment and build_skb charges SKB_TRUESIZE of the data
 * part (896 B with 3.10's x86_64 struct sizes; ulnet's structs are smaller). */
#define IGB_RX_HDR_TRUESIZE	\
	SKB_TRUESIZE(SKB_DATA_ALIGN(IGB_RX_HDR_LEN + NET_SKB_PAD + NET_IP_ALIGN))
/* Room for the frame in a posted buffer: the whole half page (3.10 SRRCTL.BSIZEPKT). */
#define IGB_RX_DMA_LEN		IGB_RX_BUFSZ
#define IGB_MAX_ITR_USECS	10000
#define IGB_DEFAULT_ITR		3	/* rx/tx-usecs 3: dynamic conservative mode */
#define DESC_NEEDED		(MAX_SKB_FRAGS + 4)
#define TX_WAKE_THRESHOLD	(DESC_NEEDED * 2)

struct igb_q_vector;

struct igb_tx_buffer {
	struct hw_tx_desc *next_to_watch;	/* EOP descriptor of the packet, NULL if free */
	struct sk_buff *skb;
	unsigned int bytecount;
	u16 gso_segs;
};

/* A posted receive buffer: one half (IGB_RX_BUFSZ bytes) of a 4 KiB page, as 3.10. The
 * ring holds one page reference; a frame above IGB_RX_HDR_LEN goes up as a frag of its
 * skb (the skb takes that reference) and the ring flips to the page's other half when the
 * stack holds nothing else of the page; a smaller one is copied out and the half posted
 * again. */
struct igb_rx_buffer {
	struct page *page;
	unsigned int page_offset;	/* 0 or IGB_RX_BUFSZ */
};

struct igb_ring_stats {
	u64 packets;
	u64 bytes;
	u64 restart_queue;		/* tx_queue_N_restart */
	u64 drops;			/* rx_queue_N_drops (RQDPC) */
	u64 csum_err;
	u64 alloc_failed;
};

struct igb_ring {
	struct igb_q_vector *q_vector;
	struct net_device *netdev;
	void *desc;			/* struct hw_tx_desc[] or hw_rx_desc[] */
	union {
		struct igb_tx_buffer *tx_buffer_info;
		struct igb_rx_buffer *rx_buffer_info;
	};
	u16 count;
	u8 queue_index;
	u16 next_to_clean;
	u16 next_to_use;
	/* RX: where the next reused buffer goes (3.10's next_to_alloc): the slots from
	 * next_to_use up to here hold buffers kept by the driver, to be posted again. */
	u16 next_to_alloc;
	struct igb_ring_stats stats;
};

struct igb_q_vector {
	struct igb_adapter *adapter;
	int cpu;
	unsigned int index;
	int irq;			/* MSI-X vector (-1 until igb_request_msix) */
	struct napi_struct napi;
	struct igb_ring *tx_ring;
	struct igb_ring *rx_ring;
	unsigned int tx_work_limit;
	char name[IFNAMSIZ + 24];	/* "eth0-TxRx-0" */
};

struct igb_adapter {
	struct net_device *netdev;
	struct hw_nic *hw;
	unsigned int num_q_vectors;
	unsigned int num_tx_queues, num_rx_queues;
	struct igb_q_vector q_vector[HW_NIC_MAX_QUEUES];
	struct igb_ring tx_ring[HW_NIC_MAX_QUEUES];
	struct igb_ring rx_ring[HW_NIC_MAX_QUEUES];
	u16 tx_ring_count, rx_ring_count;
	u32 rx_itr_setting, tx_itr_setting, rx_frames_setting;
	int other_irq;
	char other_name[IFNAMSIZ + 24];
	u32 rss_indir_tbl[HW_RSS_INDIR_SIZE];
	bool rss_indir_user;		/* set by ethtool -X: kept across -L */
	u64 tx_timeout_count;
	u64 restart_queue;
};

static inline u16 igb_desc_unused(const struct igb_ring *ring)
{
	if (ring->next_to_clean > ring->next_to_use)
		return ring->next_to_clean - ring->next_to_use - 1;
	return ring->count + ring->next_to_clean - ring->next_to_use - 1;
}

/* igb_main.c */
/* Probe the simulated NIC: register netdev @name ("eth%d" if NULL) in @net. 0 or -errno. */
int igb_probe(struct hw_nic *nic, struct net *net, const char *name);
void igb_down(struct igb_adapter *adapter);
int igb_up(struct igb_adapter *adapter);
/* Resize rings / change queue count: down, apply, up (when running). */
int igb_reinit_locked(struct igb_adapter *adapter, unsigned int queues, u16 rx_count,
		      u16 tx_count);
void igb_set_itr_all(struct igb_adapter *adapter);
void igb_apply_rss(struct igb_adapter *adapter);
/* igb_ethtool.c */
void igb_set_ethtool_ops(struct net_device *netdev);

#endif
