/* SPDX-License-Identifier: MIT */
/* The NIC device model: descriptor rings, DMA, write-back, MSI-X with throttling, RSS and
 * the offloads of an igb-class (Intel 82576) NIC.
 * Mirrors no Linux file (QEMU's hw/net/igb_core.c plays this part); the register names in
 * comments (RDT, TDT, EIMS, MPC, RNBC, RQDPC) are the 82576 datasheet's.
 *
 * Receive: a frame from the wire is hashed (RSS) to a queue, DMA'd (copied) into the buffer of
 * the descriptor at the head of that queue's RX ring, the descriptor is written back (length,
 * DD|EOP, checksum status, RSS hash) and the head advances; the queue's vector is raised,
 * subject to masking and throttling. With no descriptor owned by the NIC the frame is dropped
 * and counted (MPC -> rx_missed_errors, RNBC -> rx_no_buffer_count, RQDPC -> the queue's
 * drops, which igb sums into rx_fifo_errors).
 * Transmit: at the TDT write (doorbell) the NIC reads every complete packet (context
 * descriptor, data descriptors up to EOP), applies the offloads (checksum insertion, TSO) and
 * sends the frames at line rate: each starts when the port is free and takes
 * (len + 24 bytes of preamble, FCS and gap) * 8 / speed. The descriptors complete (DD) when
 * the packet's last frame has left, which raises the TX cause of the vector.
 * Context: events of the stack (ul_call_at) or the task that writes a register. */
#include <stdlib.h>
#include <string.h>
#include "hw/hw_internal.h"
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/interrupt.h"
#include "linux/kernel.h"
#include "linux/random.h"
#include "net/checksum.h"
#include "arch/arch.h"
#include "uapi/linux/if_ether.h"
#include "uapi/linux/in.h"
#include "uapi/linux/ip.h"
#include "uapi/linux/tcp.h"

LIST_HEAD(hw_nics);
u32 hw_epoch;
static u32 hw_last_id;

/* The Microsoft RSS verification key, which igb (3.10 igb_setup_mrqc's rsskey) programs. */
static const u8 hw_default_rss_key[HW_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

u32 hw_next_id(void)
{
	return ++hw_last_id;
}

struct hw_nic *hw_nic_by_id(u32 id)
{
	struct hw_nic *nic;

	list_for_each_entry(nic, &hw_nics, list)
		if (nic->id == id)
			return nic->dead ? NULL : nic;
	return NULL;
}

struct hw_frame *hw_frame_alloc(const void *data, u32 len)
{
	struct hw_frame *f = calloc(1, sizeof(*f) + len);

	if (!f)
		return NULL;
	f->len = len;
	if (data)
		memcpy(f->data, data, len);
	return f;
}

/* ---- interrupts (MSI-X, EIAM auto-mask, ITR) ---- */

static void hw_itr_arm(struct hw_nic *nic, struct hw_queue *q, u64 when);

static int hw_vector_cpu(int irq)
{
	int cpu = irq >= 0 ? irq_get_affinity((unsigned int)irq) : 0;

	return cpu < 0 ? 0 : cpu;
}

/* Fire the vector of @q if the cause is pending, it is unmasked and its throttle allows. */
static void hw_q_try_fire(struct hw_nic *nic, struct hw_queue *q)
{
	u64 now = ul_clock_ns(), itr, next;

	if (!q->cause || q->masked || q->irq < 0 || !nic->enabled)
		return;
	itr = (q->cause & HW_CAUSE_RX) ? nic->rx_itr_ns : nic->tx_itr_ns;
	next = q->last_fire_ns + itr;
	if (!q->fired_once || now >= next ||
	    (nic->rx_frames && q->frames_pending >= nic->rx_frames)) {
		q->masked = true;	/* EIAM: the vector masks itself as it fires */
		q->cause = 0;
		q->frames_pending = 0;
		q->last_fire_ns = now;
		q->fired_once = true;
		q->timer_ns = 0;
		q->st.irqs++;
		ul_irq_raise((unsigned int)q->irq);
		return;
	}
	hw_itr_arm(nic, q, next);
}

static void hw_event(void *arg);

static void hw_itr_arm(struct hw_nic *nic, struct hw_queue *q, u64 when)
{
	if (q->timer_ns && q->timer_ns <= when)
		return;
	q->timer_ns = when;
	ul_call_at(when, hw_vector_cpu(q->irq), hw_event, hw_ev_arg(HW_EV_ITR, q->index, nic->id));
}

static void hw_q_cause(struct hw_nic *nic, struct hw_queue *q, u32 cause)
{
	q->cause |= cause;
	if (cause & HW_CAUSE_RX)
		q->frames_pending++;
	hw_q_try_fire(nic, q);
}

void hw_nic_set_msix(struct hw_nic *nic, unsigned int q, int irq)
{
	if (q == HW_NIC_MAX_QUEUES)
		nic->other_irq = irq;
	else if (q < nic->max_queues)
		nic->q[q].irq = irq;
}

void hw_nic_irq_enable(struct hw_nic *nic, unsigned int q)
{
	if (q >= nic->max_queues)
		return;
	nic->q[q].masked = false;
	hw_q_try_fire(nic, &nic->q[q]);
}

void hw_nic_irq_disable(struct hw_nic *nic, unsigned int q)
{
	if (q < nic->max_queues)
		nic->q[q].masked = true;
}

/* ITR settings: ethtool's rx-usecs 1..3 select igb's dynamic modes; the model has no
 * adaptive algorithm. DIVERGES: modes 1-3 throttle at igb's 20K interrupts/s (50 us), the
 * low-latency bound of its conservative mode. */
static u64 hw_itr_ns(u32 usecs)
{
	if (usecs >= 1 && usecs <= 3)
		return 50000;
	return (u64)usecs * 1000;
}

void hw_nic_set_itr(struct hw_nic *nic, u32 rx_usecs, u32 rx_frames, u32 tx_usecs)
{
	nic->rx_itr_ns = hw_itr_ns(rx_usecs);
	nic->tx_itr_ns = hw_itr_ns(tx_usecs);
	nic->rx_frames = rx_frames;
}

void hw_nic_link_event(struct hw_nic *nic)
{
	nic->stats.link_irqs++;
	if (nic->other_irq >= 0 && nic->enabled)
		ul_irq_raise((unsigned int)nic->other_irq);
	if (nic->drv && nic->drv->link_change)
		nic->drv->link_change(nic, hw_nic_link_up(nic));
}

/* ---- RSS ---- */

u32 hw_toeplitz_hash(const u8 *key, const u8 *input, unsigned int len)
{
	u32 hash = 0, v;
	unsigned int i, b;

	/* v is the 32-bit window of the key starting at the current input bit. */
	v = ((u32)key[0] << 24) | ((u32)key[1] << 16) | ((u32)key[2] << 8) | key[3];
	for (i = 0; i < len; i++) {
		for (b = 0; b < 8; b++) {
			if (input[i] & (0x80 >> b))
				hash ^= v;
			v <<= 1;
			if (i + 4 < HW_RSS_KEY_SIZE && (key[i + 4] & (0x80 >> b)))
				v |= 1;
		}
	}
	return hash;
}

u32 hw_rss_hash_frame(const struct hw_nic *nic, const u8 *frame, unsigned int len, u16 *type)
{
	const struct iphdr *iph;
	u8 in[12];
	unsigned int ihl;

	*type = 0;
	if (len < ETH_HLEN + sizeof(struct iphdr) || frame[12] != 0x08 || frame[13] != 0x00)
		return 0;
	iph = (const struct iphdr *)(frame + ETH_HLEN);
	ihl = iph->ihl * 4u;
	if (iph->version != 4 || ihl < 20 || len < ETH_HLEN + ihl)
		return 0;
	memcpy(in, &iph->saddr, 4);
	memcpy(in + 4, &iph->daddr, 4);
	/* Ports only for unfragmented TCP (and UDP when enabled), as MRQC's field selection. */
	if (!(iph->frag_off & htons(0x3fff)) && len >= ETH_HLEN + ihl + 4 &&
	    (iph->protocol == IPPROTO_TCP || (iph->protocol == IPPROTO_UDP && nic->rss_udp4))) {
		memcpy(in + 8, frame + ETH_HLEN + ihl, 4);
		*type = 1;
		return hw_toeplitz_hash(nic->rss_key, in, 12);
	}
	*type = 2;
	return hw_toeplitz_hash(nic->rss_key, in, 8);
}

void hw_nic_set_rss(struct hw_nic *nic, const u8 *key, const u32 *indir, bool rss_udp4)
{
	if (key)
		memcpy(nic->rss_key, key, HW_RSS_KEY_SIZE);
	if (indir)
		memcpy(nic->rss_indir, indir, sizeof(nic->rss_indir));
	nic->rss_udp4 = rss_udp4;
}

void hw_nic_get_rss(const struct hw_nic *nic, u8 *key, u32 *indir)
{
	if (key)
		memcpy(key, nic->rss_key, HW_RSS_KEY_SIZE);
	if (indir)
		memcpy(indir, nic->rss_indir, sizeof(nic->rss_indir));
}

/* ---- checksums (RX validation, TX insertion) ---- */

/* Status bits for a received frame: IPCS/TCPCS/UDPCS and the error bits. */
static u32 hw_rx_csum_status(const u8 *frame, unsigned int len)
{
	const struct iphdr *iph;
	unsigned int ihl, tot, l4len;
	u32 st = 0;
	__wsum sum;

	if (len < ETH_HLEN + 20 || frame[12] != 0x08 || frame[13] != 0x00)
		return 0;
	iph = (const struct iphdr *)(frame + ETH_HLEN);
	ihl = iph->ihl * 4u;
	if (iph->version != 4 || ihl < 20 || len < ETH_HLEN + ihl)
		return 0;
	st |= E1000_RXD_STAT_IPCS;
	if (ip_fast_csum(iph, iph->ihl))
		return st | E1000_RXDEXT_STATERR_IPE;
	tot = ntohs(iph->tot_len);
	if (tot < ihl || ETH_HLEN + tot > len || (iph->frag_off & htons(0x3fff)))
		return st;
	l4len = tot - ihl;
	if (iph->protocol == IPPROTO_TCP && l4len >= 20) {
		st |= E1000_RXD_STAT_TCPCS;
	} else if (iph->protocol == IPPROTO_UDP && l4len >= 8) {
		const u8 *uh = frame + ETH_HLEN + ihl;

		if (!uh[6] && !uh[7])
			return st;	/* UDP without a checksum */
		st |= E1000_RXD_STAT_UDPCS;
	} else {
		return st;
	}
	sum = csum_partial(frame + ETH_HLEN + ihl, (int)l4len, 0);
	if (csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)l4len, iph->protocol, sum))
		st |= E1000_RXDEXT_STATERR_TCPE;
	return st;
}

/* ---- receive ---- */

int hw_nic_receive(struct hw_nic *nic, const void *frame, unsigned int len)
{
	const u8 *data = frame;
	struct hw_rx_desc *desc;
	struct hw_queue *q;
	unsigned int qi = 0;
	u16 rss_type = 0;
	u32 hash = 0;

	if (!nic || nic->dead || !frame)
		return -EINVAL;
	if (!nic->enabled)
		return -ENETDOWN;
	if (len < ETH_HLEN || len > HW_MAX_FRAME) {
		nic->stats.rlec++;
		return -EMSGSIZE;
	}
	hash = hw_rss_hash_frame(nic, data, len, &rss_type);
	if (nic->active_queues > 1 && rss_type)
		qi = nic->rss_indir[hash % HW_RSS_INDIR_SIZE] % nic->active_queues;
	q = &nic->q[qi];
	if (!q->rx || q->rdh == q->rdt) {
		/* No descriptor owned by the NIC: the packet buffer overflows. */
		nic->stats.mpc++;
		nic->stats.rnbc++;
		q->st.rx_drops++;
		return -ENOBUFS;
	}
	desc = &q->rx[q->rdh];
	if (len > desc->buf_len || !desc->addr) {
		/* DIVERGES: no multi-descriptor (jumbo) frames: counted as a length error. */
		nic->stats.rlec++;
		return -EMSGSIZE;
	}
	memcpy(desc->addr, data, len);	/* DMA */
	desc->length = (u16)len;
	desc->rss_hash = hash;
	desc->rss_type = rss_type;
	desc->status_error = E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP;
	if (nic->rxcsum) {
		u32 cs = hw_rx_csum_status(data, len);

		desc->status_error |= cs;
		if (cs & (E1000_RXDEXT_STATERR_IPE | E1000_RXDEXT_STATERR_TCPE))
			nic->stats.rxerrc++;
	}
	q->rdh = (q->rdh + 1) % q->rx_count;
	nic->stats.gprc++;
	nic->stats.gorc += len;
	if (data[0] & 1) {
		if (data[0] == 0xff && data[1] == 0xff && data[2] == 0xff)
			nic->stats.bprc++;
		else
			nic->stats.mprc++;
	}
	q->st.rx_packets++;
	q->st.rx_bytes += len;
	hw_q_cause(nic, q, HW_CAUSE_RX);
	return (int)qi;
}

/* ---- transmit ---- */

/* Fill in the L4 checksum of a frame whose checksum field holds the pseudo-header sum
 * (CHECKSUM_PARTIAL) or, when @full, compute it from scratch (TSO segments). */
static void hw_tx_l4_csum(u8 *frame, unsigned int len, unsigned int start, unsigned int off,
			  bool full)
{
	__sum16 *field;
	__wsum sum;

	if (start + off + 2 > len)
		return;
	field = (__sum16 *)(frame + start + off);
	if (full) {
		const struct iphdr *iph = (const struct iphdr *)(frame + ETH_HLEN);

		*field = 0;
		sum = csum_partial(frame + start, (int)(len - start), 0);
		*field = csum_tcpudp_magic(iph->saddr, iph->daddr, (unsigned short)(len - start),
					   iph->protocol, sum);
		return;
	}
	sum = csum_partial(frame + start, (int)(len - start), 0);
	*field = csum_fold(sum);
	if (*field == 0 && frame[ETH_HLEN + 9] == IPPROTO_UDP)
		*field = (__sum16)0xffff;
}

static void hw_port_send(struct hw_nic *nic, struct hw_queue *q, struct hw_frame *f, u64 *done)
{
	u64 now = ul_clock_ns(), start, bits;

	start = max(now, nic->port_busy_ns);
	bits = (u64)(f->len + HW_ETH_OVERHEAD) * 8;
	nic->port_busy_ns = start + (bits * 1000 + nic->speed_mbps - 1) / nic->speed_mbps;
	*done = nic->port_busy_ns;
	nic->stats.gptc++;
	nic->stats.gotc += f->len;
	q->st.tx_packets++;
	q->st.tx_bytes += f->len;
	if (nic->tx_sink) {
		nic->tx_sink(nic->tx_sink_arg, f->data, f->len);
		free(f);
		return;
	}
	hw_wire_transmit(nic, f, *done);
}

/* The context descriptor describes IPv4/TCP headers that are really there. A bad one is
 * sent as it is (DIVERGES: the 82576 would hang or send garbage). */
static bool hw_tso_headers_ok(const u8 *buf, unsigned int len, const struct hw_tx_desc *ctx)
{
	const struct iphdr *iph;
	unsigned int l3 = ctx->l3_offset;

	if (l3 + sizeof(struct iphdr) > ctx->hdr_len || ctx->hdr_len > len)
		return false;
	iph = (const struct iphdr *)(buf + l3);
	return iph->version == 4 && iph->ihl >= 5 && iph->protocol == IPPROTO_TCP &&
	       l3 + iph->ihl * 4u + sizeof(struct tcphdr) <= ctx->hdr_len;
}

/* TSO: cut @buf (headers of @hdr_len bytes, then payload) into MSS-sized frames. */
static void hw_tx_tso(struct hw_nic *nic, struct hw_queue *q, const u8 *buf, unsigned int len,
		      const struct hw_tx_desc *ctx, u64 *done)
{
	unsigned int hdr_len = ctx->hdr_len, mss = ctx->mss, l3 = ctx->l3_offset;
	unsigned int off = hdr_len, seg = 0;
	const struct iphdr *iph0 = (const struct iphdr *)(buf + l3);
	unsigned int l4 = l3 + iph0->ihl * 4u;
	const struct tcphdr *th0 = (const struct tcphdr *)(buf + l4);
	u32 seq0 = ntohl(th0->seq);
	u16 id0 = ntohs(iph0->id);

	nic->stats.tsctc++;
	while (off < len) {
		unsigned int chunk = min(mss, len - off);
		struct hw_frame *f = hw_frame_alloc(NULL, hdr_len + chunk);
		struct iphdr *iph;
		struct tcphdr *th;
		bool last = off + chunk >= len;

		if (!f)
			return;
		memcpy(f->data, buf, hdr_len);
		memcpy(f->data + hdr_len, buf + off, chunk);
		iph = (struct iphdr *)(f->data + l3);
		th = (struct tcphdr *)(f->data + l4);
		iph->tot_len = htons((u16)(f->len - l3));
		iph->id = htons((u16)(id0 + seg));
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
		th->seq = htonl(seq0 + (u32)(off - hdr_len));
		if (!last)
			th->fin = th->psh = 0;
		if (seg)
			th->cwr = 0;
		hw_tx_l4_csum(f->data, f->len, l4, 16, true);
		nic->stats.tx_segs++;
		hw_port_send(nic, q, f, done);
		off += chunk;
		seg++;
	}
}

/* Read one packet from the TX ring at tx_fetch, if its EOP has been posted. */
static bool hw_tx_fetch_packet(struct hw_nic *nic, struct hw_queue *q)
{
	const struct hw_tx_desc *ctx = NULL;
	unsigned int i = q->tx_fetch, n = 0, len = 0;
	struct hw_tx_pending *p;
	struct hw_frame *f;
	u64 done = ul_clock_ns();
	bool eop = false;

	/* Find the extent of the packet first. */
	while (i != q->tdt) {
		const struct hw_tx_desc *d = &q->tx[i];

		if (d->cmd & HW_TXD_CTXT) {
			ctx = d;
		} else {
			len += d->len;
			if (d->cmd & HW_TXD_EOP) {
				eop = true;
				i = (i + 1) % q->tx_count;
				n++;
				break;
			}
		}
		i = (i + 1) % q->tx_count;
		n++;
	}
	if (!eop)
		return false;
	f = hw_frame_alloc(NULL, len);
	if (f) {
		unsigned int j = q->tx_fetch, off = 0;

		while (j != i) {	/* DMA read of every data buffer */
			const struct hw_tx_desc *d = &q->tx[j];

			if (!(d->cmd & HW_TXD_CTXT) && d->len) {
				memcpy(f->data + off, d->addr, d->len);
				off += d->len;
			}
			j = (j + 1) % q->tx_count;
		}
		if (ctx && (ctx->cmd & HW_TXD_TSE) && ctx->mss && len > ctx->hdr_len + ctx->mss &&
		    hw_tso_headers_ok(f->data, len, ctx)) {
			hw_tx_tso(nic, q, f->data, len, ctx, &done);
			free(f);
		} else {
			if (ctx && (ctx->cmd & HW_TXD_IXSM) && len >= ctx->l3_offset + 20u) {
				struct iphdr *iph = (struct iphdr *)(f->data + ctx->l3_offset);

				iph->check = 0;
				iph->check = ip_fast_csum(iph, iph->ihl);
			}
			if (ctx && (ctx->cmd & (HW_TXD_L4CS | HW_TXD_TSE)))
				hw_tx_l4_csum(f->data, len, ctx->csum_start, ctx->csum_offset,
					      !!(ctx->cmd & HW_TXD_TSE));
			hw_port_send(nic, q, f, &done);
		}
	}
	p = &q->pend[(q->pend_head + q->pend_n) % q->tx_count];
	p->done_ns = done;
	p->next_desc = i;
	q->pend_n++;
	q->tx_fetch = i;
	ul_call_at(done, hw_vector_cpu(q->irq), hw_event, hw_ev_arg(HW_EV_TXDONE, q->index, nic->id));
	return true;
}

/* Descriptor write-back for packets whose last bit has left. */
static void hw_tx_complete(struct hw_nic *nic, struct hw_queue *q)
{
	u64 now = ul_clock_ns();
	bool any = false;

	while (q->pend_n && q->pend[q->pend_head].done_ns <= now) {
		unsigned int end = q->pend[q->pend_head].next_desc;

		while (q->tdh != end) {
			q->tx[q->tdh].status |= HW_TXD_STAT_DD;
			q->tdh = (q->tdh + 1) % q->tx_count;
		}
		q->pend_head = (q->pend_head + 1) % q->tx_count;
		q->pend_n--;
		any = true;
	}
	if (any)
		hw_q_cause(nic, q, HW_CAUSE_TX);
}

void hw_nic_write_tdt(struct hw_nic *nic, unsigned int qi, unsigned int tail)
{
	struct hw_queue *q;

	if (qi >= nic->max_queues)
		return;
	q = &nic->q[qi];
	if (!q->tx || tail >= q->tx_count)
		return;
	q->tdt = tail;
	if (!nic->enabled)
		return;
	while (q->tx_fetch != q->tdt && hw_tx_fetch_packet(nic, q))
		;
}

void hw_nic_write_rdt(struct hw_nic *nic, unsigned int qi, unsigned int tail)
{
	if (qi < nic->max_queues && nic->q[qi].rx && tail < nic->q[qi].rx_count)
		nic->q[qi].rdt = tail;
}

unsigned int hw_nic_read_rdh(const struct hw_nic *nic, unsigned int q)
{
	return q < nic->max_queues ? nic->q[q].rdh : 0;
}

unsigned int hw_nic_read_tdh(const struct hw_nic *nic, unsigned int q)
{
	return q < nic->max_queues ? nic->q[q].tdh : 0;
}

/* ---- events ---- */

static void hw_event(void *arg)
{
	enum hw_ev_kind kind;
	unsigned int sub;
	struct hw_nic *nic;
	struct hw_queue *q;
	u32 id;

	if (!hw_ev_decode(arg, &kind, &sub, &id))
		return;
	nic = hw_nic_by_id(id);
	if (!nic || sub >= nic->max_queues)
		return;
	q = &nic->q[sub];
	switch (kind) {
	case HW_EV_ITR:
		if (q->timer_ns && ul_clock_ns() >= q->timer_ns) {
			q->timer_ns = 0;
			hw_q_try_fire(nic, q);
		}
		break;
	case HW_EV_TXDONE:
		if (q->tx)
			hw_tx_complete(nic, q);
		break;
	default:
		break;
	}
}

/* ---- configuration ---- */

int hw_nic_setup_rx_ring(struct hw_nic *nic, unsigned int qi, struct hw_rx_desc *desc,
			 unsigned int count)
{
	struct hw_queue *q;

	if (qi >= nic->max_queues || (desc && (count < 2 || count > HW_RING_MAX)))
		return -EINVAL;
	q = &nic->q[qi];
	q->rx = desc;
	q->rx_count = desc ? count : 0;
	q->rdh = q->rdt = 0;
	return 0;
}

int hw_nic_setup_tx_ring(struct hw_nic *nic, unsigned int qi, struct hw_tx_desc *desc,
			 unsigned int count)
{
	struct hw_queue *q;

	if (qi >= nic->max_queues || (desc && (count < 2 || count > HW_RING_MAX)))
		return -EINVAL;
	q = &nic->q[qi];
	free(q->pend);
	q->pend = NULL;
	q->pend_head = q->pend_n = 0;
	if (desc) {
		q->pend = calloc(count, sizeof(*q->pend));
		if (!q->pend)
			return -ENOMEM;
	}
	q->tx = desc;
	q->tx_count = desc ? count : 0;
	q->tdh = q->tdt = q->tx_fetch = 0;
	return 0;
}

int hw_nic_set_active_queues(struct hw_nic *nic, unsigned int n)
{
	if (n < 1 || n > nic->max_queues)
		return -EINVAL;
	nic->active_queues = n;
	return 0;
}

void hw_nic_enable(struct hw_nic *nic, bool on)
{
	unsigned int i;

	nic->enabled = on;
	if (on)
		return;
	/* RCTL.EN/TCTL.EN cleared: pending causes and throttle timers are forgotten. */
	for (i = 0; i < nic->max_queues; i++) {
		nic->q[i].cause = 0;
		nic->q[i].frames_pending = 0;
		nic->q[i].timer_ns = 0;
		nic->q[i].masked = true;
		nic->q[i].fired_once = false;
	}
}

void hw_nic_set_rxcsum(struct hw_nic *nic, bool on)
{
	nic->rxcsum = on;
}

void hw_nic_get_info(const struct hw_nic *nic, struct hw_nic_info *info)
{
	info->max_queues = nic->max_queues;
	info->speed_mbps = nic->speed_mbps;
	memcpy(info->mac, nic->mac, 6);
	info->ring_default = nic->ring_default;
}

void hw_nic_set_driver(struct hw_nic *nic, const struct hw_nic_driver *drv, void *priv,
		       struct net_device *netdev)
{
	nic->drv = drv;
	nic->drv_priv = priv;
	nic->netdev = netdev;
}

void *hw_nic_driver_priv(const struct hw_nic *nic)
{
	return nic ? nic->drv_priv : NULL;
}

/* A NIC has link when it is wired, or when a test sink stands in for the wire. */
bool hw_nic_link_up(const struct hw_nic *nic)
{
	return nic->wire != NULL || nic->tx_sink != NULL;
}

void hw_nic_get_stats(const struct hw_nic *nic, struct hw_nic_stats *st)
{
	*st = nic->stats;
}

void hw_nic_get_queue_stats(const struct hw_nic *nic, unsigned int q, struct hw_queue_stats *st)
{
	if (q < nic->max_queues)
		*st = nic->q[q].st;
	else
		memset(st, 0, sizeof(*st));
}

const char *hw_nic_name(const struct hw_nic *nic)
{
	return nic->name;
}

void hw_nic_set_tx_sink(struct hw_nic *nic,
			void (*fn)(void *arg, const u8 *frame, unsigned int len), void *arg)
{
	bool was_up = hw_nic_link_up(nic);

	nic->tx_sink = fn;
	nic->tx_sink_arg = arg;
	if (hw_nic_link_up(nic) != was_up)
		hw_nic_link_event(nic);
}

struct hw_nic *hw_nic_create(const char *netns, const char *name, unsigned int queues,
			     unsigned int ring, u32 speed_mbps)
{
	struct hw_nic *nic;
	unsigned int i;

	nic = calloc(1, sizeof(*nic));
	if (!nic)
		return NULL;
	nic->id = hw_next_id();
	snprintf(nic->name, sizeof(nic->name), "%s", name ? name : "");
	snprintf(nic->netns, sizeof(nic->netns), "%s", netns ? netns : "");
	/* Intel's OUI 00:1b:21 and the NIC's number: stable across runs. */
	nic->mac[0] = 0x00;
	nic->mac[1] = 0x1b;
	nic->mac[2] = 0x21;
	nic->mac[3] = (u8)(nic->id >> 16);
	nic->mac[4] = (u8)(nic->id >> 8);
	nic->mac[5] = (u8)nic->id;
	nic->speed_mbps = speed_mbps;
	nic->max_queues = queues;
	nic->active_queues = queues;
	nic->ring_default = ring;
	nic->other_irq = -1;
	memcpy(nic->rss_key, hw_default_rss_key, sizeof(nic->rss_key));
	for (i = 0; i < HW_RSS_INDIR_SIZE; i++)
		nic->rss_indir[i] = i % queues;
	for (i = 0; i < HW_NIC_MAX_QUEUES; i++) {
		nic->q[i].index = i;
		nic->q[i].irq = -1;
		nic->q[i].masked = true;
	}
	hw_nic_set_itr(nic, 3, 0, 3);
	list_add_tail(&nic->list, &hw_nics);
	return nic;
}

/* Forget @nic: events naming it find nothing. Its memory stays until ul_hw_fini so that a
 * register write racing with removal (posix) never touches freed memory. */
void hw_nic_destroy(struct hw_nic *nic)
{
	unsigned int i;

	nic->dead = true;
	nic->enabled = false;
	hw_wire_detach(nic);
	for (i = 0; i < HW_NIC_MAX_QUEUES; i++) {
		free(nic->q[i].pend);
		nic->q[i].pend = NULL;
		nic->q[i].tx = NULL;
		nic->q[i].rx = NULL;
	}
}

void ul_hw_fini(void)
{
	struct hw_nic *nic, *tmp;

	/* Every driver first (their vectors go), then the hardware: unplugging a wire raises
	 * no interrupt nobody would take. */
	list_for_each_entry(nic, &hw_nics, list)
		if (!nic->dead && nic->drv && nic->drv->remove)
			nic->drv->remove(nic);
	list_for_each_entry_safe(nic, tmp, &hw_nics, list) {
		hw_nic_destroy(nic);
		list_del(&nic->list);
		free(nic);
	}
	hw_wire_fini();
	hw_epoch++;
	hw_last_id = 0;
}
