/* SPDX-License-Identifier: MIT */
/* The igb driver for the simulated NIC: probe, open/close, MSI-X, NAPI poll, RX refill and
 * skb building, TX mapping and completion (book ch2 and ch4).
 * Mirrors linux/drivers/net/ethernet/intel/igb/igb_main.c (3.10): igb_probe, igb_sw_init,
 * igb_alloc_q_vectors, igb_open/__igb_open, igb_close, igb_setup_all_tx_resources,
 * igb_setup_tx_resources, igb_setup_all_rx_resources, igb_setup_rx_resources, igb_configure,
 * igb_request_msix, igb_free_irq, igb_msix_ring, igb_msix_other, igb_poll,
 * igb_clean_tx_irq, igb_clean_rx_irq, igb_fetch_rx_buffer, igb_add_rx_frag,
 * igb_reuse_rx_page, igb_get_headlen, igb_pull_tail, igb_alloc_rx_buffers,
 * igb_rx_checksum, igb_rx_hash,
 * igb_xmit_frame, igb_xmit_frame_ring, igb_tso, igb_tx_csum, igb_tx_map,
 * igb_maybe_stop_tx, igb_get_stats64, igb_set_features, igb_remove.
 *
 * Receive (ch2): the NIC DMAs a frame into a posted buffer and raises the queue's MSI-X
 * vector -> igb_msix_ring -> napi_schedule (NET_RX on the vector's CPU) -> net_rx_action ->
 * igb_poll -> igb_clean_tx_irq, igb_clean_rx_irq (eth_type_trans, checksum, hash,
 * napi_gro_receive; refill with igb_alloc_rx_buffers) -> napi_complete and the vector is
 * unmasked again (igb_ring_irq_enable).
 * Transmit (ch4): dev_hard_start_xmit -> igb_xmit_frame -> igb_xmit_frame_ring -> igb_tso /
 * igb_tx_csum (context descriptor) -> igb_tx_map (data descriptors, TDT doorbell); the NIC
 * completes them at line rate, raises the vector, and igb_clean_tx_irq frees the skbs (the
 * RingBuffer memory reclamation of ch4).
 * Locking: open/close/ethtool under rtnl; xmit under the TX queue lock with BH off; the poll
 * runs in NET_RX on one CPU at a time per vector (NAPI_STATE_SCHED). */
#include <string.h>
#include "drivers/net/ethernet/intel/igb/igb.h"
#include "linux/etherdevice.h"
#include "linux/interrupt.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/gro.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "uapi/linux/tcp.h"

static void igb_hw_remove(struct hw_nic *nic);
static void igb_hw_link_change(struct hw_nic *nic, bool up);

static const struct hw_nic_driver igb_hw_driver = {
	.remove = igb_hw_remove,
	.link_change = igb_hw_link_change,
};

/* ---- interrupts ---- */

/* Unmask the vector (EIMS): the NIC may interrupt again. */
static void igb_ring_irq_enable(struct igb_q_vector *q_vector)
{
	struct igb_adapter *adapter = q_vector->adapter;

	if (!test_bit(__LINK_STATE_START, &adapter->netdev->state))
		return;
	hw_nic_irq_enable(adapter->hw, q_vector->index);
}

/* Context: hard IRQ on the vector's affinity CPU. The vector masked itself (EIAM). */
static irqreturn_t igb_msix_ring(int irq, void *data)
{
	struct igb_q_vector *q_vector = data;

	UL_TRACE_FN();
	napi_schedule(&q_vector->napi);
	return IRQ_HANDLED;
}

/* The "other" vector: link state changes. The carrier itself is updated by
 * igb_hw_link_change in the context that changed the wire.
 * DIVERGES: Linux arms the watchdog timer here, whose task reads the link and sets the
 * carrier; ulnet's carrier changes act at once (linkwatch) and must not run in hard IRQ. */
static irqreturn_t igb_msix_other(int irq, void *data)
{
	UL_TRACE_FN();
	return IRQ_HANDLED;
}

static void igb_free_irq(struct igb_adapter *adapter)
{
	unsigned int i;

	for (i = 0; i < adapter->num_q_vectors; i++) {
		struct igb_q_vector *q_vector = &adapter->q_vector[i];

		if (q_vector->irq < 0)
			continue;
		hw_nic_set_msix(adapter->hw, i, -1);
		free_irq((unsigned int)q_vector->irq, q_vector);
		q_vector->irq = -1;
	}
	if (adapter->other_irq >= 0) {
		hw_nic_set_msix(adapter->hw, HW_NIC_MAX_QUEUES, -1);
		free_irq((unsigned int)adapter->other_irq, adapter);
		adapter->other_irq = -1;
	}
}

/* One vector for link/other causes (named after the netdev), then one per queue pair
 * ("eth0-TxRx-N"), each bound to CPU N modulo the CPU count (igb's affinity hint, which
 * irqbalance follows). DIVERGES: the vectors are allocated here, not by pci_enable_msix. */
static int igb_request_msix(struct igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	unsigned int i;
	int irq, err;

	irq = ul_irq_alloc();
	if (irq < 0)
		return irq;
	snprintf(adapter->other_name, sizeof(adapter->other_name), "%s", netdev->name);
	err = request_irq((unsigned int)irq, igb_msix_other, 0, adapter->other_name, adapter);
	if (err)
		return err;
	adapter->other_irq = irq;
	hw_nic_set_msix(adapter->hw, HW_NIC_MAX_QUEUES, irq);
	for (i = 0; i < adapter->num_q_vectors; i++) {
		struct igb_q_vector *q_vector = &adapter->q_vector[i];

		irq = ul_irq_alloc();
		if (irq < 0) {
			err = irq;
			goto err_free;
		}
		snprintf(q_vector->name, sizeof(q_vector->name), "%s-TxRx-%u", netdev->name, i);
		err = request_irq((unsigned int)irq, igb_msix_ring, 0, q_vector->name, q_vector);
		if (err)
			goto err_free;
		q_vector->irq = irq;
		q_vector->cpu = (int)(i % (unsigned int)nr_cpu_ids);
		irq_set_affinity((unsigned int)irq, q_vector->cpu);
		hw_nic_set_msix(adapter->hw, i, irq);
	}
	return 0;

err_free:
	igb_free_irq(adapter);
	return err;
}

/* ---- resources ---- */

static int igb_setup_tx_resources(struct igb_ring *tx_ring)
{
	tx_ring->tx_buffer_info = kcalloc(tx_ring->count, sizeof(struct igb_tx_buffer),
					  GFP_KERNEL);
	if (!tx_ring->tx_buffer_info)
		goto err;
	tx_ring->desc = kcalloc(tx_ring->count, sizeof(struct hw_tx_desc), GFP_KERNEL);
	if (!tx_ring->desc)
		goto err;
	tx_ring->next_to_use = 0;
	tx_ring->next_to_clean = 0;
	return 0;
err:
	kfree(tx_ring->tx_buffer_info);
	tx_ring->tx_buffer_info = NULL;
	pr_err("%s: Unable to allocate memory for the Tx descriptor ring\n",
	       tx_ring->netdev->name);
	return -ENOMEM;
}

static void igb_free_tx_resources(struct igb_ring *tx_ring);

static int igb_setup_all_tx_resources(struct igb_adapter *adapter)
{
	unsigned int i;
	int err;

	for (i = 0; i < adapter->num_tx_queues; i++) {
		err = igb_setup_tx_resources(&adapter->tx_ring[i]);
		if (err) {
			while (i--)
				igb_free_tx_resources(&adapter->tx_ring[i]);
			return err;
		}
	}
	return 0;
}

static int igb_setup_rx_resources(struct igb_ring *rx_ring)
{
	rx_ring->rx_buffer_info = kcalloc(rx_ring->count, sizeof(struct igb_rx_buffer),
					  GFP_KERNEL);
	if (!rx_ring->rx_buffer_info)
		goto err;
	rx_ring->desc = kcalloc(rx_ring->count, sizeof(struct hw_rx_desc), GFP_KERNEL);
	if (!rx_ring->desc)
		goto err;
	rx_ring->next_to_clean = 0;
	rx_ring->next_to_use = 0;
	rx_ring->next_to_alloc = 0;
	return 0;
err:
	kfree(rx_ring->rx_buffer_info);
	rx_ring->rx_buffer_info = NULL;
	pr_err("%s: Unable to allocate memory for the Rx descriptor ring\n",
	       rx_ring->netdev->name);
	return -ENOMEM;
}

static void igb_free_rx_resources(struct igb_ring *rx_ring);

static int igb_setup_all_rx_resources(struct igb_adapter *adapter)
{
	unsigned int i;
	int err;

	for (i = 0; i < adapter->num_rx_queues; i++) {
		err = igb_setup_rx_resources(&adapter->rx_ring[i]);
		if (err) {
			while (i--)
				igb_free_rx_resources(&adapter->rx_ring[i]);
			return err;
		}
	}
	return 0;
}

/* Free the skbs still on the TX ring (the NIC will never complete them now). */
static void igb_clean_tx_ring(struct igb_ring *tx_ring)
{
	unsigned int i;

	if (!tx_ring->tx_buffer_info)
		return;
	for (i = 0; i < tx_ring->count; i++) {
		struct igb_tx_buffer *buf = &tx_ring->tx_buffer_info[i];

		if (buf->skb)
			dev_kfree_skb_any(buf->skb);
		memset(buf, 0, sizeof(*buf));
	}
	tx_ring->next_to_use = 0;
	tx_ring->next_to_clean = 0;
}

static void igb_free_tx_resources(struct igb_ring *tx_ring)
{
	igb_clean_tx_ring(tx_ring);
	kfree(tx_ring->tx_buffer_info);
	tx_ring->tx_buffer_info = NULL;
	kfree(tx_ring->desc);
	tx_ring->desc = NULL;
}

/* Free the buffers posted to the RX ring. */
static void igb_clean_rx_ring(struct igb_ring *rx_ring)
{
	unsigned int i;

	if (!rx_ring->rx_buffer_info)
		return;
	for (i = 0; i < rx_ring->count; i++) {
		struct igb_rx_buffer *buf = &rx_ring->rx_buffer_info[i];

		if (buf->page)
			put_page(buf->page);
		buf->page = NULL;
		buf->page_offset = 0;
	}
	rx_ring->next_to_use = 0;
	rx_ring->next_to_clean = 0;
	rx_ring->next_to_alloc = 0;
}

static void igb_free_rx_resources(struct igb_ring *rx_ring)
{
	igb_clean_rx_ring(rx_ring);
	kfree(rx_ring->rx_buffer_info);
	rx_ring->rx_buffer_info = NULL;
	kfree(rx_ring->desc);
	rx_ring->desc = NULL;
}

/* Post @cleaned_count fresh buffers from next_to_use, then move the tail (RDT).
 * Context: process (open) or softirq (poll). */
static void igb_alloc_rx_buffers(struct igb_ring *rx_ring, u16 cleaned_count)
{
	struct igb_adapter *adapter = netdev_priv(rx_ring->netdev);
	struct hw_rx_desc *rx_desc = rx_ring->desc;
	u16 i = rx_ring->next_to_use;

	UL_TRACE_FN();
	if (!cleaned_count)
		return;
	while (cleaned_count--) {
		struct igb_rx_buffer *bi = &rx_ring->rx_buffer_info[i];

		/* igb_alloc_mapped_page: a half page kept by igb_reuse_rx_page is posted
		 * again; else a new page, its first half. */
		if (!bi->page) {
			bi->page = alloc_page(GFP_ATOMIC);
			if (!bi->page) {
				rx_ring->stats.alloc_failed++;
				break;
			}
			bi->page_offset = 0;
		}
		rx_desc[i].addr = (u8 *)page_address(bi->page) + bi->page_offset;
		rx_desc[i].buf_len = IGB_RX_DMA_LEN;
		rx_desc[i].status_error = 0;
		rx_desc[i].length = 0;
		if (++i == rx_ring->count)
			i = 0;
	}
	/* Every slot before @i was posted, reused buffers included (a failed allocation stops
	 * at a slot that held none): the next reused buffer goes to @i. */
	rx_ring->next_to_alloc = i;
	if (rx_ring->next_to_use != i) {
		rx_ring->next_to_use = i;
		hw_nic_write_rdt(adapter->hw, rx_ring->queue_index, i);
	}
}

void igb_set_itr_all(struct igb_adapter *adapter)
{
	hw_nic_set_itr(adapter->hw, adapter->rx_itr_setting, adapter->rx_frames_setting,
		       adapter->tx_itr_setting);
}

void igb_apply_rss(struct igb_adapter *adapter)
{
	unsigned int i;

	if (!adapter->rss_indir_user)
		for (i = 0; i < HW_RSS_INDIR_SIZE; i++)	/* ethtool_rxfh_indir_default */
			adapter->rss_indir_tbl[i] = i % adapter->num_rx_queues;
	hw_nic_set_rss(adapter->hw, NULL, adapter->rss_indir_tbl, false);
}

/* Program the rings, RSS, ITR and offloads into the NIC and post the RX buffers. */
static void igb_configure(struct igb_adapter *adapter)
{
	struct net_device *netdev = adapter->netdev;
	unsigned int i;

	hw_nic_set_active_queues(adapter->hw, adapter->num_rx_queues);
	igb_apply_rss(adapter);
	igb_set_itr_all(adapter);
	hw_nic_set_rxcsum(adapter->hw, !!(netdev->features & NETIF_F_RXCSUM));
	for (i = 0; i < adapter->num_tx_queues; i++)
		hw_nic_setup_tx_ring(adapter->hw, i, adapter->tx_ring[i].desc,
				     adapter->tx_ring[i].count);
	for (i = 0; i < adapter->num_rx_queues; i++) {
		struct igb_ring *ring = &adapter->rx_ring[i];

		hw_nic_setup_rx_ring(adapter->hw, i, ring->desc, ring->count);
		igb_alloc_rx_buffers(ring, igb_desc_unused(ring));
	}
}

/* ---- NAPI ---- */

/* Reclaim completed TX descriptors: free the skbs (ch4's RingBuffer reclamation) and wake
 * the queue once enough room is back. Returns true when everything done was cleaned. */
static bool igb_clean_tx_irq(struct igb_q_vector *q_vector)
{
	struct igb_ring *tx_ring = q_vector->tx_ring;
	unsigned int budget = q_vector->tx_work_limit;
	unsigned int total_bytes = 0, total_packets = 0;
	u16 i = tx_ring->next_to_clean;

	UL_TRACE_FN();
	if (!tx_ring->tx_buffer_info)
		return true;
	for (; budget; budget--) {
		struct igb_tx_buffer *tx_buffer = &tx_ring->tx_buffer_info[i];
		struct hw_tx_desc *eop_desc = tx_buffer->next_to_watch;
		struct hw_tx_desc *desc = (struct hw_tx_desc *)tx_ring->desc;

		if (!eop_desc)
			break;
		if (!(eop_desc->status & HW_TXD_STAT_DD))
			break;
		tx_buffer->next_to_watch = NULL;
		total_bytes += tx_buffer->bytecount;
		total_packets += tx_buffer->gso_segs;
		UL_TRACE(tx_buffer->skb);
		dev_kfree_skb_any(tx_buffer->skb);
		tx_buffer->skb = NULL;
		/* Walk to the EOP descriptor, clearing each. */
		while (&desc[i] != eop_desc) {
			memset(&desc[i], 0, sizeof(desc[i]));
			if (++i == tx_ring->count)
				i = 0;
		}
		memset(&desc[i], 0, sizeof(desc[i]));
		if (++i == tx_ring->count)
			i = 0;
	}
	tx_ring->next_to_clean = i;
	tx_ring->stats.bytes += total_bytes;
	tx_ring->stats.packets += total_packets;
	if (unlikely(total_packets && netif_carrier_ok(tx_ring->netdev) &&
		     igb_desc_unused(tx_ring) >= TX_WAKE_THRESHOLD)) {
		if (__netif_subqueue_stopped(tx_ring->netdev, tx_ring->queue_index) &&
		    test_bit(__LINK_STATE_START, &tx_ring->netdev->state)) {
			netif_wake_subqueue(tx_ring->netdev, tx_ring->queue_index);
			tx_ring->stats.restart_queue++;
		}
	}
	return budget != 0;
}

static void igb_rx_checksum(struct igb_ring *ring, const struct hw_rx_desc *rx_desc,
			    struct sk_buff *skb)
{
	u32 st = rx_desc->status_error;

	skb->ip_summed = CHECKSUM_NONE;
	if (!(ring->netdev->features & NETIF_F_RXCSUM))
		return;
	if (st & (E1000_RXDEXT_STATERR_TCPE | E1000_RXDEXT_STATERR_IPE)) {
		ring->stats.csum_err++;
		return;
	}
	/* The NIC validated the L4 checksum: the stack need not. */
	if (st & (E1000_RXD_STAT_TCPCS | E1000_RXD_STAT_UDPCS))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

static void igb_rx_hash(struct igb_ring *ring, const struct hw_rx_desc *rx_desc,
			struct sk_buff *skb)
{
	if (ring->netdev->features & NETIF_F_RXHASH)
		skb->rxhash = rx_desc->rss_hash;
}

_Static_assert(IGB_RX_BUFSZ * 2 == PAGE_SIZE, "igb RX buffers are half pages");
_Static_assert(IGB_RX_DMA_LEN >= 1522, "igb RX buffer cannot hold a full frame");

/* Keep @old_buff's half page for the NIC: move it to the slot the next refill posts first
 * (igb_reuse_rx_page). That slot is empty: it lies between next_to_use and the slot being
 * cleaned. */
static void igb_reuse_rx_page(struct igb_ring *rx_ring, struct igb_rx_buffer *old_buff)
{
	u16 nta = rx_ring->next_to_alloc;
	struct igb_rx_buffer *new_buff = &rx_ring->rx_buffer_info[nta];

	if (++nta == rx_ring->count)
		nta = 0;
	rx_ring->next_to_alloc = nta;
	if (new_buff == old_buff)
		return;
	if (WARN_ON(new_buff->page))
		put_page(new_buff->page);
	*new_buff = *old_buff;
}

/* Put the frame of @rx_buffer in @skb: copied into the head when it is at most
 * IGB_RX_HDR_LEN bytes (the half page stays with the ring), else attached as a frag
 * charged the whole half page (skb_add_rx_frag, truesize IGB_RX_BUFSZ). True when the ring
 * keeps the page: after a frag only if the skb holds the sole reference (the other half is
 * free): the ring flips to it and takes a reference of its own. */
static bool igb_add_rx_frag(struct igb_ring *rx_ring, struct igb_rx_buffer *rx_buffer,
			    const struct hw_rx_desc *rx_desc, struct sk_buff *skb)
{
	struct page *page = rx_buffer->page;
	unsigned int size = rx_desc->length;

	if (size <= IGB_RX_HDR_LEN && !skb_is_nonlinear(skb)) {
		memcpy(__skb_put(skb, size), (u8 *)page_address(page) + rx_buffer->page_offset,
		       size);
		return true;
	}
	skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, (int)rx_buffer->page_offset,
			(int)size, IGB_RX_BUFSZ);
	/* If we are the only owner of the page we can reuse it. */
	if (unlikely(page_count(page) != 1))
		return false;
	rx_buffer->page_offset ^= IGB_RX_BUFSZ;
	get_page(page);
	return true;
}

/* The skb for the frame in @rx_buffer (3.10 igb_fetch_rx_buffer): a head of
 * IGB_RX_HDR_LEN bytes (a page-fragment head: netdev_alloc_skb_ip_align) and the frame
 * copied into it or attached as a frag (igb_add_rx_frag); the half page goes back to the
 * ring or is left to the skb. NULL if the head cannot be allocated (the frame waits on the
 * ring). Context: softirq (NAPI poll). */
static struct sk_buff *igb_fetch_rx_buffer(struct igb_ring *rx_ring,
					   const struct hw_rx_desc *rx_desc,
					   struct igb_rx_buffer *rx_buffer)
{
	struct sk_buff *skb;

	skb = netdev_alloc_skb_ip_align(rx_ring->netdev, IGB_RX_HDR_LEN);
	if (unlikely(!skb)) {
		rx_ring->stats.alloc_failed++;
		return NULL;
	}
	if (igb_add_rx_frag(rx_ring, rx_buffer, rx_desc, skb))
		igb_reuse_rx_page(rx_ring, rx_buffer);
	rx_buffer->page = NULL;
	return skb;
}

/* The length of the headers at @data (Ethernet, a VLAN tag, IPv4 or IPv6, TCP or UDP), at
 * most @max_len: what igb_pull_tail copies into the head (3.10 igb_get_headlen). An IPv4
 * fragment after the first, or an unknown protocol, stops after the network header. */
static unsigned int igb_get_headlen(const u8 *data, unsigned int max_len)
{
	unsigned int off = ETH_HLEN, hlen = 0;
	u16 protocol;
	u8 nexthdr = 0;

	if (max_len < ETH_HLEN)
		return max_len;
	protocol = (u16)(data[12] << 8 | data[13]);
	if (protocol == ETH_P_8021Q) {
		if (off > max_len - 4)
			return max_len;
		protocol = (u16)(data[off + 2] << 8 | data[off + 3]);
		off += 4;
	}
	if (protocol == ETH_P_IP) {
		if (off > max_len - 20)
			return max_len;
		hlen = (data[off] & 0x0f) << 2;
		if (hlen < 20)
			return off;
		/* Not a later fragment: the transport header is there. */
		if (!(((data[off + 6] << 8) | data[off + 7]) & 0x1fff))
			nexthdr = data[off + 9];
	} else if (protocol == ETH_P_IPV6) {
		if (off > max_len - 40)
			return max_len;
		nexthdr = data[off + 6];
		hlen = 40;
	} else {
		return off;
	}
	off += hlen;
	if (nexthdr == IPPROTO_TCP) {
		if (off > max_len - 20)
			return max_len;
		hlen = (data[off + 12] & 0xf0) >> 2;
		if (hlen < 20)
			return off;
		off += hlen;
	} else if (nexthdr == IPPROTO_UDP) {
		if (off > max_len - 8)
			return max_len;
		off += 8;
	}
	return off < max_len ? off : max_len;
}

/* Pull the headers of a paged frame into the head (3.10 igb_pull_tail), so that the stack
 * finds them linear and, past TCP's header, only the payload is left in the page. */
static void igb_pull_tail(struct sk_buff *skb)
{
	skb_frag_t *frag = &skb_shinfo(skb)->frags[0];
	const u8 *va = skb_frag_address(frag);
	unsigned int pull_len = igb_get_headlen(va, min_t(unsigned int, IGB_RX_HDR_LEN,
							  skb_frag_size(frag)));

	skb_copy_to_linear_data(skb, va, pull_len);
	skb_frag_size_sub(frag, (int)pull_len);
	frag->page_offset += pull_len;
	skb->data_len -= pull_len;
	skb->tail += pull_len;
}

/* Hand up to @budget received frames to the stack. Returns true if the ring was drained. */
static bool igb_clean_rx_irq(struct igb_q_vector *q_vector, int budget)
{
	struct igb_ring *rx_ring = q_vector->rx_ring;
	struct hw_rx_desc *ring_desc = rx_ring->desc;
	unsigned int total_bytes = 0, total_packets = 0;
	u16 cleaned_count = igb_desc_unused(rx_ring);
	u16 i = rx_ring->next_to_clean;

	UL_TRACE_FN();
	if (!ring_desc)
		return true;
	while (budget > 0) {
		struct hw_rx_desc *rx_desc = &ring_desc[i];
		struct igb_rx_buffer *bi = &rx_ring->rx_buffer_info[i];
		struct sk_buff *skb;

		if (!(rx_desc->status_error & E1000_RXD_STAT_DD))
			break;
		if (unlikely(!bi->page))
			break;	/* cannot happen: the NIC only owns posted buffers */
		skb = igb_fetch_rx_buffer(rx_ring, rx_desc, bi);
		if (!skb)
			break;	/* no memory: retried at the next poll */
		/* igb_cleanup_headers: the headers go linear. */
		if (skb_is_nonlinear(skb))
			igb_pull_tail(skb);
		if (++i == rx_ring->count)
			i = 0;
		cleaned_count++;
		UL_TRACE(skb);
		total_bytes += skb->len;
		total_packets++;
		igb_rx_checksum(rx_ring, rx_desc, skb);
		igb_rx_hash(rx_ring, rx_desc, skb);
		skb_record_rx_queue(skb, rx_ring->queue_index);
		skb->protocol = eth_type_trans(skb, rx_ring->netdev);
		rx_desc->status_error = 0;
		napi_gro_receive(&q_vector->napi, skb);
		budget--;
		/* Return some buffers to hardware, one at a time is too slow. */
		if (cleaned_count >= IGB_RX_BUFFER_WRITE) {
			rx_ring->next_to_clean = i;
			igb_alloc_rx_buffers(rx_ring, cleaned_count);
			cleaned_count = 0;
		}
	}
	rx_ring->next_to_clean = i;
	rx_ring->stats.packets += total_packets;
	rx_ring->stats.bytes += total_bytes;
	if (cleaned_count)
		igb_alloc_rx_buffers(rx_ring, cleaned_count);
	return budget > 0;
}

/* NAPI poll: TX completions first, then RX within @budget; when both are done, leave
 * polling mode and unmask the vector. Context: softirq (NET_RX). */
static int igb_poll(struct napi_struct *napi, int budget)
{
	struct igb_q_vector *q_vector = container_of(napi, struct igb_q_vector, napi);
	bool clean_complete = true;

	UL_TRACE_FN();
	if (q_vector->tx_ring)
		clean_complete = igb_clean_tx_irq(q_vector);
	if (q_vector->rx_ring)
		clean_complete &= igb_clean_rx_irq(q_vector, budget);
	/* If all work not completed, return budget and keep polling */
	if (!clean_complete)
		return budget;
	/* If not enough Rx work done, exit the polling mode */
	napi_complete(napi);
	igb_ring_irq_enable(q_vector);
	return 0;
}

/* ---- transmit ---- */

static int igb_maybe_stop_tx(struct igb_ring *tx_ring, u16 size)
{
	if (igb_desc_unused(tx_ring) >= size)
		return 0;
	netif_stop_subqueue(tx_ring->netdev, tx_ring->queue_index);
	/* A completion may have freed room meanwhile (not on one thread, but cheap). */
	if (igb_desc_unused(tx_ring) < size)
		return -EBUSY;
	netif_wake_subqueue(tx_ring->netdev, tx_ring->queue_index);
	tx_ring->stats.restart_queue++;
	return 0;
}

/* Context descriptor for TSO. Returns 1 if one was written, 0 if not GSO, <0 on error. */
static int igb_tso(struct igb_ring *tx_ring, struct igb_tx_buffer *first, u16 *ntu)
{
	struct sk_buff *skb = first->skb;
	struct hw_tx_desc *ctx;
	unsigned int l4, hdr_len;

	if (!skb_is_gso(skb))
		return 0;
	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) || !skb_transport_header_was_set(skb))
		return -EINVAL;
	l4 = (unsigned int)skb_transport_offset(skb);
	hdr_len = l4 + ((const struct tcphdr *)skb_transport_header(skb))->doff * 4u;
	if (hdr_len > skb_headlen(skb))
		return -EINVAL;
	ctx = &((struct hw_tx_desc *)tx_ring->desc)[*ntu];
	memset(ctx, 0, sizeof(*ctx));
	ctx->cmd = HW_TXD_CTXT | HW_TXD_TSE | HW_TXD_IXSM | HW_TXD_L4CS;
	ctx->mss = skb_shinfo(skb)->gso_size;
	ctx->hdr_len = (u16)hdr_len;
	ctx->l3_offset = (u16)skb_network_offset(skb);
	ctx->csum_start = (u16)l4;
	ctx->csum_offset = 16;
	first->gso_segs = skb_shinfo(skb)->gso_segs;
	first->bytecount += (first->gso_segs - 1) * hdr_len;
	if (++*ntu == tx_ring->count)
		*ntu = 0;
	return 1;
}

/* Context descriptor for checksum insertion (CHECKSUM_PARTIAL). */
static void igb_tx_csum(struct igb_ring *tx_ring, struct igb_tx_buffer *first, u16 *ntu)
{
	struct sk_buff *skb = first->skb;
	struct hw_tx_desc *ctx;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	ctx = &((struct hw_tx_desc *)tx_ring->desc)[*ntu];
	memset(ctx, 0, sizeof(*ctx));
	ctx->cmd = HW_TXD_CTXT | HW_TXD_L4CS;
	ctx->csum_start = (u16)skb_checksum_start_offset(skb);
	ctx->csum_offset = skb->csum_offset;
	ctx->l3_offset = (u16)skb_network_offset(skb);
	if (++*ntu == tx_ring->count)
		*ntu = 0;
}

/* One data descriptor for @len bytes at @addr, in slot *@i (advanced first unless it is
 * the first descriptor of the packet). */
static struct hw_tx_desc *igb_tx_desc_fill(struct igb_ring *tx_ring, u16 *i, bool first,
					   void *addr, unsigned int len)
{
	struct hw_tx_desc *tx_desc;

	if (!first && ++*i == tx_ring->count)
		*i = 0;
	tx_desc = &((struct hw_tx_desc *)tx_ring->desc)[*i];
	tx_desc->addr = addr;
	tx_desc->len = len;
	tx_desc->cmd = 0;
	tx_desc->status = 0;
	return tx_desc;
}

/* Descriptors for the head and the page frags of @skb (the NIC gathers them by DMA: no CPU
 * copy, as igb's dma_map_single/skb_frag_dma_map). */
static struct hw_tx_desc *igb_tx_map_one(struct igb_ring *tx_ring, struct sk_buff *skb, u16 *i,
					 bool first)
{
	struct hw_tx_desc *tx_desc;
	int f;

	tx_desc = igb_tx_desc_fill(tx_ring, i, first, skb->data, skb_headlen(skb));
	for (f = 0; f < skb_shinfo(skb)->nr_frags; f++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[f];

		tx_desc = igb_tx_desc_fill(tx_ring, i, false, skb_frag_address(frag),
					   skb_frag_size(frag));
	}
	return tx_desc;
}

/* Data descriptors for the head, each page frag and each frag_list piece (with its own
 * frags), EOP on the last, then the doorbell (TDT). */
static void igb_tx_map(struct igb_ring *tx_ring, struct igb_tx_buffer *first, u16 i)
{
	struct igb_adapter *adapter = netdev_priv(tx_ring->netdev);
	struct sk_buff *skb = first->skb, *frag;
	struct hw_tx_desc *tx_desc;

	UL_TRACE(skb);
	tx_desc = igb_tx_map_one(tx_ring, skb, &i, true);
	skb_walk_frags(skb, frag)
		tx_desc = igb_tx_map_one(tx_ring, frag, &i, false);
	tx_desc->cmd |= HW_TXD_EOP;
	first->next_to_watch = tx_desc;
	if (++i == tx_ring->count)
		i = 0;
	tx_ring->next_to_use = i;
	hw_nic_write_tdt(adapter->hw, tx_ring->queue_index, i);
}

static netdev_tx_t igb_xmit_frame_ring(struct sk_buff *skb, struct igb_ring *tx_ring)
{
	struct igb_tx_buffer *first;
	struct sk_buff *frag;
	u16 count = 1, ntu;
	int tso;

	UL_TRACE(skb);
	count += skb_shinfo(skb)->nr_frags;
	skb_walk_frags(skb, frag)
		count += 1 + skb_shinfo(frag)->nr_frags;
	/* need: 1 descriptor per piece, + 1 context descriptor, + 2 gap to keep tail from
	 * touching head, as igb's "count + 3". */
	if (igb_maybe_stop_tx(tx_ring, count + 3))
		return NETDEV_TX_BUSY;
	ntu = tx_ring->next_to_use;
	first = &tx_ring->tx_buffer_info[ntu];
	first->skb = skb;
	first->bytecount = skb->len;
	first->gso_segs = 1;
	tso = igb_tso(tx_ring, first, &ntu);
	if (tso < 0) {
		first->skb = NULL;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (!tso)
		igb_tx_csum(tx_ring, first, &ntu);
	/* A context descriptor, if any, took @first's slot: the skb stays with it (igb's
	 * "first" is the context slot too) and the clean loop walks on to the EOP. */
	igb_tx_map(tx_ring, first, ntu);
	igb_maybe_stop_tx(tx_ring, DESC_NEEDED);
	return NETDEV_TX_OK;
}

static netdev_tx_t igb_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	unsigned int r_idx = skb->queue_mapping;

	UL_TRACE(skb);
	/* The minimum packet size with TCTL.PSP set is 17 bytes: pad shorter ones. */
	if (skb->len < 17) {
		unsigned int pad = 17 - skb->len;

		if (skb_tailroom(skb) < (int)pad || skb_is_nonlinear(skb)) {
			dev_kfree_skb_any(skb);
			return NETDEV_TX_OK;
		}
		memset(skb_put(skb, pad), 0, pad);
	}
	if (r_idx >= adapter->num_tx_queues)
		r_idx = r_idx % adapter->num_tx_queues;
	return igb_xmit_frame_ring(skb, &adapter->tx_ring[r_idx]);
}

/* ---- open / close ---- */

static void igb_napi_enable_all(struct igb_adapter *adapter)
{
	unsigned int i;

	for (i = 0; i < adapter->num_q_vectors; i++)
		napi_enable(&adapter->q_vector[i].napi);
}

static void igb_napi_disable_all(struct igb_adapter *adapter)
{
	unsigned int i;

	for (i = 0; i < adapter->num_q_vectors; i++)
		napi_disable(&adapter->q_vector[i].napi);
}

static void igb_irq_enable_all(struct igb_adapter *adapter)
{
	unsigned int i;

	for (i = 0; i < adapter->num_q_vectors; i++)
		hw_nic_irq_enable(adapter->hw, i);
}

static int __igb_open(struct net_device *netdev)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	unsigned int i;
	int err;

	UL_TRACE_FN();
	netif_carrier_off(netdev);
	err = igb_setup_all_tx_resources(adapter);
	if (err)
		goto err_setup_tx;
	err = igb_setup_all_rx_resources(adapter);
	if (err)
		goto err_setup_rx;
	igb_configure(adapter);
	err = igb_request_msix(adapter);
	if (err)
		goto err_req_irq;
	err = netif_set_real_num_tx_queues(netdev, adapter->num_tx_queues);
	if (err)
		goto err_set_queues;
	err = netif_set_real_num_rx_queues(netdev, adapter->num_rx_queues);
	if (err)
		goto err_set_queues;
	igb_napi_enable_all(adapter);
	hw_nic_enable(adapter->hw, true);
	igb_irq_enable_all(adapter);
	netif_tx_start_all_queues(netdev);
	if (hw_nic_link_up(adapter->hw))
		netif_carrier_on(netdev);
	return 0;

err_set_queues:
	igb_free_irq(adapter);
err_req_irq:
	for (i = 0; i < adapter->num_rx_queues; i++)
		hw_nic_setup_rx_ring(adapter->hw, i, NULL, 0);
	for (i = 0; i < adapter->num_tx_queues; i++)
		hw_nic_setup_tx_ring(adapter->hw, i, NULL, 0);
	for (i = 0; i < adapter->num_rx_queues; i++)
		igb_free_rx_resources(&adapter->rx_ring[i]);
err_setup_rx:
	for (i = 0; i < adapter->num_tx_queues; i++)
		igb_free_tx_resources(&adapter->tx_ring[i]);
err_setup_tx:
	return err;
}

static int igb_open(struct net_device *netdev)
{
	return __igb_open(netdev);
}

static int __igb_close(struct net_device *netdev)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	unsigned int i;

	UL_TRACE_FN();
	netif_tx_stop_all_queues(netdev);
	hw_nic_enable(adapter->hw, false);
	netif_carrier_off(netdev);
	igb_napi_disable_all(adapter);
	/* A poll that used its whole weight may have left packets held by GRO. */
	for (i = 0; i < adapter->num_q_vectors; i++)
		napi_gro_discard(&adapter->q_vector[i].napi);
	igb_free_irq(adapter);
	for (i = 0; i < adapter->num_tx_queues; i++) {
		hw_nic_setup_tx_ring(adapter->hw, i, NULL, 0);
		igb_free_tx_resources(&adapter->tx_ring[i]);
	}
	for (i = 0; i < adapter->num_rx_queues; i++) {
		hw_nic_setup_rx_ring(adapter->hw, i, NULL, 0);
		igb_free_rx_resources(&adapter->rx_ring[i]);
	}
	return 0;
}

static int igb_close(struct net_device *netdev)
{
	return __igb_close(netdev);
}

void igb_down(struct igb_adapter *adapter)
{
	__igb_close(adapter->netdev);
}

int igb_up(struct igb_adapter *adapter)
{
	return __igb_open(adapter->netdev);
}

/* ---- queue vectors ---- */

static void igb_free_q_vectors(struct igb_adapter *adapter)
{
	unsigned int i;

	for (i = 0; i < adapter->num_q_vectors; i++)
		netif_napi_del(&adapter->q_vector[i].napi);	/* frees GRO's held packets */
	adapter->num_q_vectors = 0;
}

/* One vector per queue pair, each with its NAPI (weight 64) and its TX and RX ring. */
static void igb_alloc_q_vectors(struct igb_adapter *adapter)
{
	unsigned int i;

	adapter->num_q_vectors = adapter->num_rx_queues;
	for (i = 0; i < adapter->num_q_vectors; i++) {
		struct igb_q_vector *q_vector = &adapter->q_vector[i];
		struct igb_ring *tx = &adapter->tx_ring[i], *rx = &adapter->rx_ring[i];

		memset(q_vector, 0, sizeof(*q_vector));
		q_vector->adapter = adapter;
		q_vector->index = i;
		q_vector->irq = -1;
		q_vector->tx_work_limit = IGB_DEFAULT_TX_WORK;
		netif_napi_add(adapter->netdev, &q_vector->napi, igb_poll, 64);
		memset(tx, 0, sizeof(*tx));
		tx->q_vector = q_vector;
		tx->netdev = adapter->netdev;
		tx->count = adapter->tx_ring_count;
		tx->queue_index = (u8)i;
		memset(rx, 0, sizeof(*rx));
		rx->q_vector = q_vector;
		rx->netdev = adapter->netdev;
		rx->count = adapter->rx_ring_count;
		rx->queue_index = (u8)i;
		q_vector->tx_ring = tx;
		q_vector->rx_ring = rx;
	}
}

/* Apply new ring sizes or a new queue count: close (which frees what the old layout
 * allocated), rebuild the vectors, open again. */
int igb_reinit_locked(struct igb_adapter *adapter, unsigned int queues, u16 rx_count,
		      u16 tx_count)
{
	struct net_device *netdev = adapter->netdev;
	bool running = netif_running(netdev);
	int err = 0;

	if (running)
		igb_down(adapter);
	igb_free_q_vectors(adapter);
	if (queues) {
		adapter->num_rx_queues = queues;
		adapter->num_tx_queues = queues;
	}
	if (rx_count)
		adapter->rx_ring_count = rx_count;
	if (tx_count)
		adapter->tx_ring_count = tx_count;
	igb_alloc_q_vectors(adapter);
	if (running)
		err = igb_up(adapter);
	return err;
}

/* ---- stats ---- */

static struct rtnl_link_stats64 *igb_get_stats64(struct net_device *netdev,
						 struct rtnl_link_stats64 *stats)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	struct hw_nic_stats hs;
	unsigned int i;
	u64 rqdpc = 0;

	for (i = 0; i < adapter->num_rx_queues; i++) {
		stats->rx_packets += adapter->rx_ring[i].stats.packets;
		stats->rx_bytes += adapter->rx_ring[i].stats.bytes;
	}
	for (i = 0; i < adapter->num_tx_queues; i++) {
		stats->tx_packets += adapter->tx_ring[i].stats.packets;
		stats->tx_bytes += adapter->tx_ring[i].stats.bytes;
	}
	if (!adapter->hw)
		return stats;
	for (i = 0; i < HW_NIC_MAX_QUEUES; i++) {
		struct hw_queue_stats qs;

		hw_nic_get_queue_stats(adapter->hw, i, &qs);
		rqdpc += qs.rx_drops;
	}
	hw_nic_get_stats(adapter->hw, &hs);
	stats->multicast = hs.mprc;
	stats->rx_length_errors = hs.rlec;
	stats->rx_crc_errors = 0;
	stats->rx_fifo_errors = rqdpc;		/* igb: the per-queue drop counters */
	stats->rx_missed_errors = hs.mpc;
	stats->rx_errors = hs.rlec + hs.rxerrc;
	return stats;
}

/* ethtool -K: RX checksum offload is a NIC setting (RXCSUM); the others are the stack's. */
static int igb_set_features(struct net_device *netdev, netdev_features_t features)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	if (adapter->hw)
		hw_nic_set_rxcsum(adapter->hw, !!(features & NETIF_F_RXCSUM));
	return 0;
}

/* ---- probe / remove ---- */

static const struct net_device_ops igb_netdev_ops = {
	.ndo_open = igb_open,
	.ndo_stop = igb_close,
	.ndo_start_xmit = igb_xmit_frame,
	.ndo_get_stats64 = igb_get_stats64,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_change_mtu = eth_change_mtu,
	.ndo_set_features = igb_set_features,
};

/* The netdev is gone (igb_remove, or the core unregistered it at teardown). */
static void igb_netdev_destructor(struct net_device *netdev)
{
	struct igb_adapter *adapter = netdev_priv(netdev);

	igb_free_q_vectors(adapter);
	if (adapter->hw)
		hw_nic_set_driver(adapter->hw, NULL, NULL, NULL);
	adapter->hw = NULL;
	free_netdev(netdev);
}

/* hw nic del: igb_remove's part (the PCI device goes away). */
static void igb_hw_remove(struct hw_nic *nic)
{
	struct igb_adapter *adapter = hw_nic_driver_priv(nic);

	if (adapter)
		unregister_netdev(adapter->netdev);
}

/* The wire was attached or removed (igb_watchdog_task's job in Linux, which takes rtnl
 * too: the carrier change notifies NETDEV_CHANGE). Before open the carrier stays off:
 * __igb_open reads the link. Context: the task that changed the wire, rtnl not held. */
static void igb_hw_link_change(struct hw_nic *nic, bool up)
{
	struct igb_adapter *adapter = hw_nic_driver_priv(nic);

	if (!adapter)
		return;
	rtnl_lock();
	if (netif_running(adapter->netdev)) {
		if (up)
			netif_carrier_on(adapter->netdev);
		else
			netif_carrier_off(adapter->netdev);
	}
	rtnl_unlock();
}

static void igb_sw_init(struct igb_adapter *adapter, const struct hw_nic_info *info)
{
	adapter->tx_ring_count = (u16)(info->ring_default ? info->ring_default : IGB_DEFAULT_TXD);
	adapter->rx_ring_count = adapter->tx_ring_count;
	adapter->rx_itr_setting = IGB_DEFAULT_ITR;
	adapter->tx_itr_setting = IGB_DEFAULT_ITR;
	adapter->num_rx_queues = info->max_queues;
	adapter->num_tx_queues = info->max_queues;
	adapter->other_irq = -1;
}


int igb_probe(struct hw_nic *nic, struct net *net, const char *name)
{
	struct igb_adapter *adapter;
	struct net_device *netdev;
	struct hw_nic_info info;
	int err;

	UL_TRACE_FN();
	hw_nic_get_info(nic, &info);
	netdev = alloc_etherdev_mq(sizeof(struct igb_adapter), info.max_queues);
	if (!netdev)
		return -ENOMEM;
	if (name)
		snprintf(netdev->name, sizeof(netdev->name), "%s", name);
	dev_net_set(netdev, net);
	adapter = netdev_priv(netdev);
	adapter->netdev = netdev;
	adapter->hw = nic;
	netdev->netdev_ops = &igb_netdev_ops;
	igb_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = 5 * HZ;
	memcpy(netdev->dev_addr, info.mac, ETH_ALEN);
	memcpy(netdev->perm_addr, info.mac, ETH_ALEN);
	/* igb's features: SG, IPv4 checksum, TSO, RX checksum and hash (GRO comes from the
	 * core's NETIF_F_SOFT_FEATURES at register_netdevice). */
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_TSO | NETIF_F_RXCSUM |
			      NETIF_F_RXHASH | NETIF_F_FRAGLIST;
	netdev->features = netdev->hw_features | NETIF_F_HIGHDMA;
	netdev->vlan_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_TSO;
	netdev->priv_flags |= IFF_UNICAST_FLT;
	netdev->destructor = igb_netdev_destructor;
	igb_sw_init(adapter, &info);
	igb_alloc_q_vectors(adapter);
	hw_nic_set_driver(nic, &igb_hw_driver, adapter, netdev);
	netif_carrier_off(netdev);
	err = register_netdev(netdev);
	if (err) {
		hw_nic_set_driver(nic, NULL, NULL, NULL);
		igb_free_q_vectors(adapter);
		free_netdev(netdev);
		return err;
	}
	netif_carrier_off(netdev);
	pr_info("igb: %s: Intel(R) Gigabit Ethernet Network Connection (simulated, %u queues, %u Mbps)\n",
		netdev->name, info.max_queues, info.speed_mbps);
	return 0;
}
