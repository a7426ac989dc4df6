/* SPDX-License-Identifier: MIT */
/* A NIC whose wire is a real TAP device of the host: frames in from the host's kernel, frames
 * out to it (`ulnet up`, the interop tests). Posix runtime only.
 * Mirrors the shape of a NAPI Ethernet driver (linux/drivers/net/ethernet/intel/e1000e:
 * interrupt handler, poll, xmit) on the names of linux/drivers/net/tun.c (3.10):
 * tun_net_xmit, tun_net_open, tun_net_close, tun_net_change_mtu, tun_net_init, tun_setup,
 * tun_get_drvinfo. See DIVERGES in linux/if_tun.h: this is the user side of the TAP.
 *
 * Receive, as a real NIC (book ch2): a reader thread, the "hardware", waits until the TAP's
 * fd is readable, then raises the device's interrupt (ul_irq_raise) and masks itself;
 * tun_interrupt (hard IRQ on the device's CPU) schedules the NAPI; tun_poll (NET_RX
 * softirq) reads up to @budget frames from the non-blocking fd, hands each to
 * napi_gro_receive, and when the fd is empty completes the NAPI and unmasks the "hardware"
 * (the reader thread polls again). So a burst costs one interrupt, as with NAPI on a NIC.
 *
 * Offloads (tun_attach_params.vnet_hdr, `ulnet up --offload`): the TAP is opened with
 * IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4), as QEMU opens it for a virtio
 * NIC. Every frame then follows a struct virtio_net_hdr, so a 64 KiB TCP segment crosses in
 * one read or write: received (split into a small head and page frags, TUN_RX_HDR_LEN),
 * its header makes a GSO skb with CHECKSUM_PARTIAL or CHECKSUM_UNNECESSARY (what 3.10's
 * tun_get_user makes of a user's frame); sent, a TSO skb goes out whole with its header
 * filled (tun_put_user). The device has NETIF_F_SG |
 * NETIF_F_HW_CSUM | NETIF_F_TSO then. Without it the TAP's offloads are turned off
 * (TUNSETOFFLOAD(0)): they persist on a persistent TAP, and a host that still thought we
 * took 64 KiB frames would send ones we cannot read as frames of our MTU.
 * Transmit with the header, as a NIC's TX ring (e1000e's xmit_frame / clean_tx_irq):
 * tun_net_xmit fills a descriptor (the frame's pieces as an iovec, the virtio_net_hdr),
 * orphans the skb (as 3.10's tun_net_xmit and virtio-net's start_xmit: the socket's send
 * memory is not held while the "hardware" has it) and rings the doorbell when the hardware
 * sleeps; the reader thread, the hardware, writes each posted frame with one writev (its
 * "DMA") and marks the descriptor done. Done descriptors are cleaned (skb freed, errors
 * counted) by the next xmit and by the NAPI poll, under the TX queue lock. A full ring
 * stops the queue; the hardware then raises the interrupt once frames are done and the poll
 * wakes the queue. When the host's queue is full (EAGAIN) the hardware waits for POLLOUT.
 * Without the header (frames of the MTU), tun_net_xmit writes the frame itself; on EAGAIN
 * it stops the queue and returns NETDEV_TX_BUSY, and the hardware raises the interrupt on
 * POLLOUT.
 * DIVERGES: 3.10's tun is the host's side; ulnet's user side writes from the reader thread
 * so that the sending task copies into the socket while the previous frame crosses into
 * the host (the two copies of a send run in parallel, as with a NIC's DMA).
 *
 * Threads and fds: only this file (a real-device driver) and src/arch touch them. The reader
 * thread never enters the stack: it only calls ul_irq_raise (thread-safe), poll(), and
 * writev() of the frames the stack posted.
 * LOCKING: irq_armed/tx_wait/tx_eagain/stop/hw_idle and the ring indices are atomics shared
 * between the reader thread and the stack; tx_head is advanced under the TX queue lock,
 * tx_done by the reader thread only, tx_clean under the TX queue lock; the doorbell pipe
 * wakes the reader. rx counters are written by the NAPI poll only (one CPU);
 * tx_packets/tx_bytes by the hardware (atomic adds), the other tx counters under the TX
 * queue lock (not LLTX).
 * Open/close under rtnl. */
#define _GNU_SOURCE	/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include "arch/arch.h"
#include "linux/etherdevice.h"
#include "linux/if_tun.h"
#include "linux/interrupt.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/net_namespace.h"
#include "uapi/linux/virtio_net.h"
#include "trace/path.h"
#include "ulnet/tap.h"

/* Any frame the host may send (its MTU is not ours; a GSO frame: 64 KiB of IP), after its
 * virtio_net_hdr. */
#define TUN_RXBUF_LEN	(65536 + 64)
#define TUN_GSO_MAX_FRAME	(65535 + ETH_HLEN + TUN_VLAN_HLEN)
#define TUN_MAX_MTU	(65535 - ETH_HLEN)
#define TUN_VLAN_HLEN	4
/* With the header, a frame lands as a NIC with header split puts it (igb: IGB_RX_HDR_LEN):
 * its first TUN_RX_HDR_LEN bytes, every header of a TCP/IPv4 frame, in a small linear skb,
 * the rest in 32 KiB pages from where the previous frame ended (3.10's page frags for
 * received data: truesize what the frame takes, no copy). Three pages hold a 64 KiB frame
 * from any offset of the first. A page with less than TUN_RX_MIN_ROOM left goes to the
 * frame's skb whole. */
#define TUN_RX_HDR_LEN		256
#define TUN_RX_PAGE_ORDER	3
#define TUN_RX_PAGE_LEN		(PAGE_SIZE << TUN_RX_PAGE_ORDER)
#define TUN_RX_PAGES		3
#define TUN_RX_FRAG_ALIGN	64
#define TUN_RX_MIN_ROOM		2048

/* TX descriptors (a power of two): up to this many frames posted to the hardware. */
#define TUN_TX_RING	128
/* Frames up to this size (ACKs) are written by the sender when the ring is idle. */
#define TUN_TX_DIRECT_MAX	256

/* One posted frame: what the hardware writes, and what it reports back. */
struct tun_tx_desc {
	struct sk_buff *skb;
	struct virtio_net_hdr hdr;
	struct iovec iov[2 + MAX_SKB_FRAGS];
	int niov;
	unsigned int len;		/* the frame, without the header */
	int err;			/* written by the hardware: 0 sent, -errno */
};

/* struct ifreq of the host (40 bytes on Linux): name and flags are all TUNSETIFF uses. */
struct tun_host_ifreq {
	char ifr_name[IFNAMSIZ];
	short ifr_flags;
	char pad[40 - IFNAMSIZ - sizeof(short)];
};

struct tun_struct {
	struct net_device *dev;
	int fd;				/* the TAP, non-blocking */
	int doorbell[2];		/* pipe: wakes the reader thread */
	pthread_t reader;
	bool reader_running;
	int irq;
	int cpu;
	bool irq_requested;
	int irq_armed;			/* atomic: the reader may raise the RX interrupt */
	int tx_wait;			/* atomic: the queue is stopped, raise when done */
	int tx_eagain;			/* atomic: a plain write hit EAGAIN, raise on POLLOUT */
	int stop;			/* atomic: reader thread exits */
	int dead;			/* atomic: the TAP failed (read error): no more IRQs */
	struct napi_struct napi;
	u8 *rxbuf;			/* TUN_RXBUF_LEN: the "DMA" landing zone */
	struct sk_buff *rx_spare;	/* vnet_hdr: the head of the next frame */
	struct page *rx_page[TUN_RX_PAGES]; /* vnet_hdr: where the rest lands */
	unsigned int rx_page_off;	/* the next frame's start in rx_page[0] */
	char tap_name[IFNAMSIZ];
	bool vnet_hdr;			/* IFF_VNET_HDR: frames follow a virtio_net_hdr */
	struct tun_tx_desc *tx_ring;	/* TUN_TX_RING descriptors */
	unsigned int tx_head;		/* atomic: next descriptor to post (xmit) */
	unsigned int tx_done;		/* atomic: next descriptor the hardware writes */
	unsigned int tx_clean;		/* atomic: next descriptor to clean (TX lock) */
	int hw_idle;			/* atomic: the reader thread sleeps in poll() */
	struct sk_buff_head tx_overflow; /* TX lock: frames that found the ring full */
};

static const struct net_device_ops tun_netdev_ops;

bool netif_is_tun(const struct net_device *dev)
{
	return dev && dev->netdev_ops == &tun_netdev_ops;
}

static void tun_ring_doorbell(struct tun_struct *tun)
{
	char c = 1;
	ssize_t n;

	/* A full pipe already holds a wakeup: EAGAIN is fine. */
	n = write(tun->doorbell[1], &c, 1);
	(void)n;
}

/* ---- the "hardware": the reader thread ---- */

/* The hardware's TX: write every posted descriptor, one writev each, and mark it done.
 * Returns true when the host's queue is full (EAGAIN): the rest waits for POLLOUT. */
static bool tun_hw_tx(struct tun_struct *tun)
{
	struct net_device *dev = tun->dev;
	unsigned int done = __atomic_load_n(&tun->tx_done, __ATOMIC_RELAXED);
	unsigned int head = __atomic_load_n(&tun->tx_head, __ATOMIC_ACQUIRE);
	int guard = 0;

	while (done != head && guard++ < 4 * TUN_TX_RING) {
		struct tun_tx_desc *d = &tun->tx_ring[done & (TUN_TX_RING - 1)];
		size_t want = d->len + (d->niov && d->iov[0].iov_base == &d->hdr ?
					sizeof(d->hdr) : 0);
		ssize_t n = writev(tun->fd, d->iov, d->niov);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		/* A short write (a TAP never does one) is an error. */
		d->err = n == (ssize_t)want ? 0 : n < 0 ? -errno : -EIO;
		if (!d->err) {
			__atomic_fetch_add(&dev->stats.tx_packets, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&dev->stats.tx_bytes, d->len, __ATOMIC_RELAXED);
		}
		done++;
		__atomic_store_n(&tun->tx_done, done, __ATOMIC_RELEASE);
		if (done == head)
			head = __atomic_load_n(&tun->tx_head, __ATOMIC_ACQUIRE);
	}
	return false;
}

static void *tun_reader_thread(void *arg)
{
	struct tun_struct *tun = arg;

	while (!__atomic_load_n(&tun->stop, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&tun->dead, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd[2];
		bool armed, blocked, pending, eagain, raise = false;
		unsigned int done;
		char sink[64];
		int n;

		blocked = tun_hw_tx(tun);
		done = __atomic_load_n(&tun->tx_done, __ATOMIC_RELAXED);
		/* The stack stopped its queue on a full ring: interrupt once a quarter of it
		 * (or all that was posted) is done, so that the poll cleans the descriptors
		 * and wakes the queue. */
		if (__atomic_load_n(&tun->tx_wait, __ATOMIC_SEQ_CST)) {
			unsigned int clean = __atomic_load_n(&tun->tx_clean, __ATOMIC_ACQUIRE);

			if (done != clean &&
			    (done - clean >= TUN_TX_RING / 4 ||
			     done == __atomic_load_n(&tun->tx_head, __ATOMIC_ACQUIRE)) &&
			    __atomic_exchange_n(&tun->tx_wait, 0, __ATOMIC_ACQ_REL))
				raise = true;
		}
		pending = !blocked && __atomic_load_n(&tun->tx_head, __ATOMIC_ACQUIRE) != done;
		if (!pending) {
			/* Going to sleep: a post or a stopped queue after this store rings the
			 * doorbell; one before it is seen by the loads below (all sequentially
			 * consistent). */
			__atomic_store_n(&tun->hw_idle, 1, __ATOMIC_SEQ_CST);
			if (__atomic_load_n(&tun->tx_head, __ATOMIC_SEQ_CST) != done ||
			    (__atomic_load_n(&tun->tx_wait, __ATOMIC_SEQ_CST) &&
			     done != __atomic_load_n(&tun->tx_clean, __ATOMIC_SEQ_CST))) {
				__atomic_store_n(&tun->hw_idle, 0, __ATOMIC_SEQ_CST);
				pending = true;
			}
		}
		armed = __atomic_load_n(&tun->irq_armed, __ATOMIC_ACQUIRE);
		eagain = __atomic_load_n(&tun->tx_eagain, __ATOMIC_ACQUIRE);
		pfd[0].fd = tun->fd;
		pfd[0].events = (short)((armed ? POLLIN : 0) | (blocked || eagain ? POLLOUT : 0));
		pfd[0].revents = 0;
		pfd[1].fd = tun->doorbell[0];
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		/* The timeout bounds the wait should a wakeup be lost; it is not a poll loop.
		 * With frames to write, only a look at the fd. */
		n = poll(pfd, 2, pending ? 0 : 1000);
		__atomic_store_n(&tun->hw_idle, 0, __ATOMIC_SEQ_CST);
		if (n < 0 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN) {
			while (read(tun->doorbell[0], sink, sizeof(sink)) > 0)
				;
		}
		if ((pfd[0].revents & (POLLIN | POLLERR | POLLHUP)) && armed &&
		    __atomic_exchange_n(&tun->irq_armed, 0, __ATOMIC_ACQ_REL))
			raise = true;
		if ((pfd[0].revents & POLLOUT) && eagain &&
		    __atomic_exchange_n(&tun->tx_eagain, 0, __ATOMIC_ACQ_REL))
			raise = true;
		if (raise)
			ul_irq_raise((unsigned int)tun->irq);
		/* POLLERR/POLLHUP with nothing armed: the poll will see the error on read. */
		if ((pfd[0].revents & (POLLERR | POLLHUP)) && !armed)
			usleep(1000);
	}
	return NULL;
}

/* ---- interrupt and NAPI poll ---- */

/* Context: hard IRQ on tun->cpu. The "hardware" masked itself before raising. */
static irqreturn_t tun_interrupt(int irq, void *dev_id)
{
	struct tun_struct *tun = dev_id;

	napi_schedule(&tun->napi);
	return IRQ_HANDLED;
}

/* Apply the host's virtio_net_hdr @gso to @skb (data at the Ethernet header, @len bytes), as
 * 3.10's tun_get_user: NEEDS_CSUM makes a partial checksum (skb_partial_csum_set), DATA_VALID
 * a verified one, a GSO type a GSO skb marked SKB_GSO_DODGY (the stack re-checks its
 * headers). -EINVAL for a header that does not fit the frame or a GSO type not offered. */
static int tun_vnet_hdr_to_skb(struct sk_buff *skb, const struct virtio_net_hdr *gso,
			       unsigned int len)
{
	if (gso->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		unsigned int start = gso->csum_start, off = gso->csum_offset;

		if (start + off + 2 > len)
			return -EINVAL;
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = (u16)(skb_headroom(skb) + start);
		skb->csum_offset = (u16)off;
	} else if (gso->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (gso->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return 0;
	/* We offered TUN_F_TSO4 only: UDP (UFO) and TCPv6 are frame errors. */
	if ((gso->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) != VIRTIO_NET_HDR_GSO_TCPV4 ||
	    !gso->gso_size)
		return -EINVAL;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4 | SKB_GSO_DODGY |
		((gso->gso_type & VIRTIO_NET_HDR_GSO_ECN) ? SKB_GSO_TCP_ECN : 0);
	skb_shinfo(skb)->gso_size = gso->gso_size;
	skb_shinfo(skb)->gso_segs = 0;	/* the stack counts them (DODGY) */
	return 0;
}

/* Give the @n bytes of a frame after its head to @skb as page frags (from rx_page[0] at
 * rx_page_off on); the pages it filled go with it, the page where it ended stays for the
 * next frame (the skb takes a reference) unless too little of it is left. */
static void tun_rx_add_frags(struct tun_struct *tun, struct sk_buff *skb, unsigned int n)
{
	unsigned int off = tun->rx_page_off, p = 0, first, i;
	int f = 0;

	while (n && p < TUN_RX_PAGES) {
		unsigned int take = min_t(unsigned int, n, TUN_RX_PAGE_LEN - off);
		unsigned int end = ALIGN(off + take, TUN_RX_FRAG_ALIGN);

		skb_add_rx_frag(skb, f++, tun->rx_page[p], (int)off, (int)take,
				ALIGN(take, TUN_RX_FRAG_ALIGN));
		n -= take;
		if (!n && end + TUN_RX_MIN_ROOM <= TUN_RX_PAGE_LEN) {
			get_page(tun->rx_page[p]);	/* ours stays: the next frame's start */
			off = end;
			break;
		}
		tun->rx_page[p++] = NULL;		/* the skb took our reference */
		off = 0;
	}
	/* The page where the next frame starts moves to rx_page[0]. */
	first = p;
	for (i = 0; i < TUN_RX_PAGES; i++)
		tun->rx_page[i] = i + first < TUN_RX_PAGES ? tun->rx_page[i + first] : NULL;
	tun->rx_page_off = off;
}

/* The landing zone of the next frame with the header: a head skb and the pages.
 * false when memory is short (the frame is read into rxbuf and dropped). */
static bool tun_rx_refill(struct tun_struct *tun)
{
	int i;

	if (!tun->rx_spare)
		tun->rx_spare = netdev_alloc_skb_ip_align(tun->dev, TUN_RX_HDR_LEN);
	for (i = 0; i < TUN_RX_PAGES; i++) {
		if (tun->rx_page[i])
			continue;
		tun->rx_page[i] = alloc_pages(GFP_ATOMIC, TUN_RX_PAGE_ORDER);
		if (!tun->rx_page[i])
			return false;
		if (!i)
			tun->rx_page_off = 0;
	}
	return tun->rx_spare != NULL;
}

static void tun_rx_release(struct tun_struct *tun)
{
	int i;

	if (tun->rx_spare)
		consume_skb(tun->rx_spare);
	tun->rx_spare = NULL;
	for (i = 0; i < TUN_RX_PAGES; i++) {
		if (tun->rx_page[i])
			put_page(tun->rx_page[i]);
		tun->rx_page[i] = NULL;
	}
	tun->rx_page_off = 0;
}

/* One frame from the TAP: 1 done, 0 the fd is empty, -1 a frame was lost (counted). */
static int tun_rx_one(struct tun_struct *tun)
{
	struct net_device *dev = tun->dev;
	struct virtio_net_hdr gso = { 0 };
	unsigned int hlen = tun->vnet_hdr ? sizeof(gso) : 0, max, headlen;
	struct iovec iov[2 + TUN_RX_PAGES];
	struct sk_buff *skb = NULL;
	bool paged = false;
	int niov = 0, i;
	ssize_t n;

	/* Without the header, frames of the MTU are read into rxbuf and copied into an skb
	 * of their size; with it, into the head skb and the pages (tun_rx_add_frags). */
	iov[niov].iov_base = &gso;
	iov[niov++].iov_len = hlen;
	if (tun->vnet_hdr && tun_rx_refill(tun)) {
		paged = true;
		iov[niov].iov_base = tun->rx_spare->data;
		iov[niov++].iov_len = TUN_RX_HDR_LEN;
		for (i = 0; i < TUN_RX_PAGES; i++) {
			unsigned int off = i ? 0 : tun->rx_page_off;

			iov[niov].iov_base = (u8 *)page_address(tun->rx_page[i]) + off;
			iov[niov++].iov_len = TUN_RX_PAGE_LEN - off;
		}
	} else {
		iov[niov].iov_base = tun->rxbuf + hlen;
		iov[niov++].iov_len = TUN_RXBUF_LEN - hlen;
	}
	n = hlen ? readv(tun->fd, iov, niov) : read(tun->fd, iov[1].iov_base, iov[1].iov_len);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		/* The TAP is gone or broken (EBADFD, EIO): like a NIC that fell off the bus,
		 * the device stops interrupting; `ip link set DEV down/up` retries. */
		dev->stats.rx_errors++;
		dev->stats.rx_fifo_errors++;
		pr_err("%s: read from TAP %s failed: %d; receive stopped\n", dev->name,
		       tun->tap_name, -errno);
		__atomic_store_n(&tun->dead, 1, __ATOMIC_RELEASE);
		return 0;
	}
	if ((size_t)n < hlen)
		goto length_error;
	n -= hlen;
	/* A runt or a frame over our MTU is what a NIC's MAC refuses: length errors. A GSO
	 * frame is one TCP segment of up to 64 KiB that the host did not cut. */
	max = gso.gso_type != VIRTIO_NET_HDR_GSO_NONE ? TUN_GSO_MAX_FRAME :
	      dev->mtu + ETH_HLEN + TUN_VLAN_HLEN;
	if (n < ETH_HLEN || (size_t)n > max)
		goto length_error;
	if (tun->vnet_hdr && !paged) {
		/* No memory for the landing zone: the frame was read to be dropped. */
		dev->stats.rx_dropped++;
		return -1;
	}
	if (paged) {
		skb = tun->rx_spare;
		tun->rx_spare = NULL;
		headlen = min_t(unsigned int, (unsigned int)n, TUN_RX_HDR_LEN);
		skb_put(skb, headlen);
		tun_rx_add_frags(tun, skb, (unsigned int)n - headlen);
	} else {
		skb = netdev_alloc_skb_ip_align(dev, (unsigned int)n);
		if (unlikely(!skb)) {
			dev->stats.rx_dropped++;
			return -1;
		}
		memcpy(skb_put(skb, (unsigned int)n), iov[1].iov_base, (size_t)n);
	}
	if (hlen && tun_vnet_hdr_to_skb(skb, &gso, (unsigned int)n)) {
		dev->stats.rx_errors++;
		dev->stats.rx_frame_errors++;
		kfree_skb(skb);
		return -1;
	}
	skb->protocol = eth_type_trans(skb, dev);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += (unsigned long)n;
	if (skb_is_gso(skb)) {
		/* Already one big segment: nothing for GRO to merge; what GRO holds of the
		 * flow goes up first, so nothing is reordered. */
		napi_gro_flush(&tun->napi, false);
		netif_receive_skb(skb);
	} else {
		napi_gro_receive(&tun->napi, skb);
	}
	return 1;

length_error:
	dev->stats.rx_errors++;
	dev->stats.rx_length_errors++;
	return -1;
}

static void tun_tx_stop(struct tun_struct *tun);
static void tun_tx_post(struct tun_struct *tun, struct sk_buff *skb);
static void tun_kick_hw(struct tun_struct *tun);
static unsigned int tun_tx_room(const struct tun_struct *tun);

/* Free the descriptors the hardware is done with (e1000e's clean_tx_irq); returns how
 * many. Context: the TX queue lock held. */
static int tun_tx_clean(struct tun_struct *tun)
{
	struct net_device *dev = tun->dev;
	unsigned int clean = __atomic_load_n(&tun->tx_clean, __ATOMIC_RELAXED);
	unsigned int done = __atomic_load_n(&tun->tx_done, __ATOMIC_ACQUIRE);
	int n = 0;

	while (clean != done && n < TUN_TX_RING) {
		struct tun_tx_desc *d = &tun->tx_ring[clean & (TUN_TX_RING - 1)];

		if (unlikely(d->err)) {
			dev->stats.tx_errors++;
			dev->stats.tx_dropped++;
			net_warn_ratelimited("%s: write to TAP %s failed: %d\n", dev->name,
					     tun->tap_name, d->err);
			kfree_skb(d->skb);
		} else {
			consume_skb(d->skb);
		}
		d->skb = NULL;
		clean++;
		n++;
	}
	__atomic_store_n(&tun->tx_clean, clean, __ATOMIC_RELEASE);
	/* Frames that waited for descriptors go first, in order. */
	if (unlikely(!skb_queue_empty(&tun->tx_overflow))) {
		struct sk_buff *skb;

		while (tun_tx_room(tun) && (skb = __skb_dequeue(&tun->tx_overflow)))
			tun_tx_post(tun, skb);
		tun_kick_hw(tun);
	}
	return n;
}

/* Descriptors free for xmit. Context: the TX queue lock held. */
static unsigned int tun_tx_room(const struct tun_struct *tun)
{
	return TUN_TX_RING - (__atomic_load_n(&tun->tx_head, __ATOMIC_RELAXED) -
			      __atomic_load_n(&tun->tx_clean, __ATOMIC_RELAXED));
}

/* Context: NET_RX softirq on tun->cpu. */
static int tun_poll(struct napi_struct *napi, int budget)
{
	struct tun_struct *tun = container_of(napi, struct tun_struct, napi);
	struct net_device *dev = tun->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	int work = 0, guard = 0;
	bool wake;

	UL_TRACE_FN();
	if (!tun->vnet_hdr) {
		/* Plain frames (no ring): a queue stopped on EAGAIN restarts once the host's
		 * queue has room (the hardware saw POLLOUT). */
		if (netif_tx_queue_stopped(txq) &&
		    !__atomic_load_n(&tun->tx_eagain, __ATOMIC_ACQUIRE))
			netif_wake_queue(dev);
	} else if (netif_tx_queue_stopped(txq) ||
		   __atomic_load_n(&tun->tx_done, __ATOMIC_ACQUIRE) !=
		   __atomic_load_n(&tun->tx_clean, __ATOMIC_ACQUIRE)) {
		/* TX completion: free what the hardware wrote; a queue stopped on a full
		 * ring restarts once a quarter of it is free. */
		__netif_tx_lock(txq, smp_processor_id());
		tun_tx_clean(tun);
		wake = netif_tx_queue_stopped(txq) && skb_queue_empty(&tun->tx_overflow) &&
		       tun_tx_room(tun) >= TUN_TX_RING / 4;
		/* Still stopped (an interrupt for another reason came first): ask again. */
		if (netif_tx_queue_stopped(txq) && !wake)
			tun_tx_stop(tun);
		__netif_tx_unlock(txq);
		if (wake)
			netif_wake_queue(dev);
	}

	while (work < budget && guard++ < 2 * budget) {
		int r = tun_rx_one(tun);

		if (r == 0)
			break;
		if (r > 0)
			work++;
	}
	if (work < budget) {
		napi_complete(napi);
		/* Unmask: frames that arrived after the last read make poll() fire at once. */
		if (!__atomic_load_n(&tun->dead, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&tun->irq_armed, 1, __ATOMIC_RELEASE);
			tun_ring_doorbell(tun);
		}
	}
	return work;
}

/* ---- transmit ---- */

/* The virtio_net_hdr of @skb for the host, as 3.10's tun_put_user: its GSO type and size,
 * its partial checksum. -EINVAL for a GSO type the host was not told about. */
static int tun_skb_to_vnet_hdr(const struct sk_buff *skb, struct virtio_net_hdr *gso)
{
	memset(gso, 0, sizeof(*gso));
	if (skb_is_gso(skb)) {
		unsigned int type = skb_shinfo(skb)->gso_type;

		if (!(type & SKB_GSO_TCPV4))
			return -EINVAL;
		gso->gso_type = VIRTIO_NET_HDR_GSO_TCPV4 |
				((type & SKB_GSO_TCP_ECN) ? VIRTIO_NET_HDR_GSO_ECN : 0);
		gso->gso_size = skb_shinfo(skb)->gso_size;
		gso->hdr_len = (u16)skb_headlen(skb);
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		gso->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		gso->csum_start = (u16)skb_checksum_start_offset(skb);
		gso->csum_offset = skb->csum_offset;
	}
	return 0;
}

/* Wake the hardware if it sleeps: the doorbell (a NIC's tail register write). */
static void tun_kick_hw(struct tun_struct *tun)
{
	if (__atomic_load_n(&tun->hw_idle, __ATOMIC_SEQ_CST) &&
	    __atomic_exchange_n(&tun->hw_idle, 0, __ATOMIC_SEQ_CST))
		tun_ring_doorbell(tun);
}

/* The queue stops on a full ring; the hardware interrupts once frames are done. */
static void tun_tx_stop(struct tun_struct *tun)
{
	netif_stop_queue(tun->dev);
	__atomic_store_n(&tun->tx_wait, 1, __ATOMIC_SEQ_CST);
	tun_kick_hw(tun);
}

/* Fill the next descriptor with @skb (checked by tun_net_xmit) and hand it to the
 * hardware. Context: TX queue lock held, a descriptor free. */
static void tun_tx_fill(struct tun_struct *tun, struct tun_tx_desc *d, struct sk_buff *skb)
{
	int i;

	d->niov = 0;
	if (tun->vnet_hdr) {
		tun_skb_to_vnet_hdr(skb, &d->hdr);	/* checked by tun_net_xmit */
		d->iov[d->niov].iov_base = &d->hdr;
		d->iov[d->niov++].iov_len = sizeof(d->hdr);
	}
	d->iov[d->niov].iov_base = skb->data;
	d->iov[d->niov++].iov_len = skb_headlen(skb);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		d->iov[d->niov].iov_base = skb_frag_address(frag);
		d->iov[d->niov++].iov_len = skb_frag_size(frag);
	}
	d->len = skb->len;
	d->err = 0;
	d->skb = skb;
}

static void tun_tx_post(struct tun_struct *tun, struct sk_buff *skb)
{
	unsigned int head = __atomic_load_n(&tun->tx_head, __ATOMIC_RELAXED);

	tun_tx_fill(tun, &tun->tx_ring[head & (TUN_TX_RING - 1)], skb);
	__atomic_store_n(&tun->tx_head, head + 1, __ATOMIC_SEQ_CST);
}

/* A small frame (an ACK) finding the ring idle is written here: waking the hardware for
 * it would cost more than the write; nothing is in flight, so nothing is overtaken.
 * Returns false when it must go through the ring after all (EAGAIN). */
static bool tun_tx_direct(struct tun_struct *tun, struct sk_buff *skb)
{
	struct net_device *dev = tun->dev;
	struct tun_tx_desc d;
	ssize_t n;

	tun_tx_fill(tun, &d, skb);
	n = writev(tun->fd, d.iov, d.niov);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return false;
	if (n != (ssize_t)(d.len + sizeof(d.hdr))) {
		dev->stats.tx_errors++;
		dev->stats.tx_dropped++;
		net_warn_ratelimited("%s: write to TAP %s failed: %d\n", dev->name,
				     tun->tap_name, n < 0 ? -errno : -EIO);
		kfree_skb(skb);
		return true;
	}
	__atomic_fetch_add(&dev->stats.tx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&dev->stats.tx_bytes, d.len, __ATOMIC_RELAXED);
	consume_skb(skb);
	return true;
}

/* Without the header: the frame (one of the MTU) is written here, in the sender's
 * context, as before the ring: for 1514-byte frames the handoff to the hardware thread
 * costs more than the copy it would move. On EAGAIN the queue stops until POLLOUT.
 * Context: BH off, TX queue lock held. Consumes @skb unless NETDEV_TX_BUSY. */
static netdev_tx_t tun_xmit_plain(struct tun_struct *tun, struct sk_buff *skb)
{
	struct net_device *dev = tun->dev;
	struct iovec iov[1 + MAX_SKB_FRAGS];
	unsigned int len = skb->len;
	int niov = 0, i;
	ssize_t n;

	iov[niov].iov_base = skb->data;
	iov[niov++].iov_len = skb_headlen(skb);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		iov[niov].iov_base = skb_frag_address(frag);
		iov[niov++].iov_len = skb_frag_size(frag);
	}
	n = writev(tun->fd, iov, niov);
	if (n >= 0 && n != (ssize_t)len) {
		n = -1;		/* a short write (a TAP never does one): an error */
		errno = EIO;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		netif_stop_queue(dev);
		__atomic_store_n(&tun->tx_eagain, 1, __ATOMIC_RELEASE);
		tun_ring_doorbell(tun);
		return NETDEV_TX_BUSY;
	}
	if (n < 0) {
		dev->stats.tx_errors++;
		dev->stats.tx_dropped++;
		net_warn_ratelimited("%s: write to TAP %s failed: %d\n", dev->name,
				     tun->tap_name, -errno);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	__atomic_fetch_add(&dev->stats.tx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&dev->stats.tx_bytes, len, __ATOMIC_RELAXED);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* Context: BH off, TX queue lock held. Consumes @skb (with the header, never
 * NETDEV_TX_BUSY). */
static netdev_tx_t tun_net_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tun_struct *tun = netdev_priv(dev);
	struct virtio_net_hdr check;

	UL_TRACE(skb);
	tun_tx_clean(tun);
	/* The hardware is gone (the TAP failed): nothing would write the ring. */
	if (unlikely(__atomic_load_n(&tun->dead, __ATOMIC_ACQUIRE)))
		goto drop;
	/* Without the header no offloads are advertised: a partial checksum is finished
	 * here, as a NIC without the feature would require of the stack. */
	if (!tun->vnet_hdr && skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;
	/* The head and the page frags go out in one writev, the "DMA" of a scatter-gather
	 * NIC; only a frag_list is flattened first. */
	if (skb_has_frag_list(skb) && skb_linearize(skb))
		goto drop;
	if (!tun->vnet_hdr)
		return tun_xmit_plain(tun, skb);
	if (tun_skb_to_vnet_hdr(skb, &check)) {
		dev->stats.tx_errors++;
		goto drop;
	}
	/* As 3.10's tun_net_xmit: the frame may wait in the ring; the socket's send
	 * memory is given back now. */
	skb_orphan(skb);
	if (unlikely(!tun_tx_room(tun) || !skb_queue_empty(&tun->tx_overflow))) {
		/* DIVERGES: 3.10's dev_hard_start_xmit stops between the segments of a GSO
		 * packet when the driver stops its queue and requeues the rest; ulnet's
		 * dev_gso_xmit hands over every segment, so what finds the ring full waits
		 * here, in order, and the queue stays stopped until it is posted. */
		__skb_queue_tail(&tun->tx_overflow, skb);
		tun_tx_stop(tun);
		return NETDEV_TX_OK;
	}
	if (skb->len <= TUN_TX_DIRECT_MAX &&
	    __atomic_load_n(&tun->tx_done, __ATOMIC_ACQUIRE) ==
	    __atomic_load_n(&tun->tx_head, __ATOMIC_RELAXED) && tun_tx_direct(tun, skb))
		return NETDEV_TX_OK;
	tun_tx_post(tun, skb);
	if (!tun_tx_room(tun))
		tun_tx_stop(tun);
	else
		tun_kick_hw(tun);
	return NETDEV_TX_OK;

drop:
	dev->stats.tx_dropped++;
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* ---- open / close (rtnl held) ---- */

static void tun_stop_reader(struct tun_struct *tun)
{
	if (!tun->reader_running)
		return;
	__atomic_store_n(&tun->stop, 1, __ATOMIC_RELEASE);
	tun_ring_doorbell(tun);
	pthread_join(tun->reader, NULL);
	tun->reader_running = false;
}

/* The device is down and the hardware stopped: what it wrote is cleaned, what it did not
 * is dropped (a NIC's ring reset), and the ring starts empty at the next open.
 * Context: process, rtnl held. */
static void tun_tx_flush(struct tun_struct *tun)
{
	struct net_device *dev = tun->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	unsigned int head;

	__netif_tx_lock_bh(txq);
	tun_tx_clean(tun);
	head = __atomic_load_n(&tun->tx_head, __ATOMIC_RELAXED);
	while (tun->tx_clean != head) {
		struct tun_tx_desc *d = &tun->tx_ring[tun->tx_clean & (TUN_TX_RING - 1)];

		dev->stats.tx_dropped++;
		kfree_skb(d->skb);
		d->skb = NULL;
		tun->tx_clean++;
	}
	tun->tx_head = tun->tx_done = tun->tx_clean = 0;
	while (!skb_queue_empty(&tun->tx_overflow)) {
		dev->stats.tx_dropped++;
		kfree_skb(__skb_dequeue(&tun->tx_overflow));
	}
	__netif_tx_unlock_bh(txq);
}

static int tun_net_open(struct net_device *dev)
{
	struct tun_struct *tun = netdev_priv(dev);
	int err;

	err = request_irq((unsigned int)tun->irq, tun_interrupt, 0, dev->name, tun);
	if (err)
		return err;
	tun->irq_requested = true;
	napi_enable(&tun->napi);
	__atomic_store_n(&tun->stop, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&tun->dead, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&tun->tx_wait, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&tun->tx_eagain, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&tun->hw_idle, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&tun->irq_armed, 1, __ATOMIC_RELEASE);
	err = pthread_create(&tun->reader, NULL, tun_reader_thread, tun);
	if (err) {
		napi_disable(&tun->napi);
		free_irq((unsigned int)tun->irq, tun);
		tun->irq_requested = false;
		return -err;
	}
	tun->reader_running = true;
	/* The TAP is a wire that is always plugged in. */
	netif_carrier_on(dev);
	netif_start_queue(dev);
	return 0;
}

static int tun_net_close(struct net_device *dev)
{
	struct tun_struct *tun = netdev_priv(dev);

	netif_stop_queue(dev);
	tun_stop_reader(tun);
	if (tun->irq_requested) {
		free_irq((unsigned int)tun->irq, tun);	/* waits for a running handler */
		tun->irq_requested = false;
	}
	napi_disable(&tun->napi);
	/* No poll runs any more: the landing zone goes (the next open makes one). */
	tun_rx_release(tun);
	tun_tx_flush(tun);
	return 0;
}

static int tun_net_change_mtu(struct net_device *dev, int new_mtu)
{
	if (new_mtu < 68 || new_mtu > TUN_MAX_MTU)
		return -EINVAL;
	dev->mtu = (unsigned int)new_mtu;
	return 0;
}

static int tun_net_init(struct net_device *dev)
{
	struct tun_struct *tun = netdev_priv(dev);

	tun->rxbuf = kmalloc(TUN_RXBUF_LEN, GFP_KERNEL);
	tun->tx_ring = kcalloc(TUN_TX_RING, sizeof(*tun->tx_ring), GFP_KERNEL);
	if (!tun->rxbuf || !tun->tx_ring) {
		kfree(tun->rxbuf);
		kfree(tun->tx_ring);
		tun->rxbuf = NULL;
		tun->tx_ring = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Unregistration: the device is closed already (rollback_registered_many). */
static void tun_net_uninit(struct net_device *dev)
{
	struct tun_struct *tun = netdev_priv(dev);

	tun_stop_reader(tun);
	netif_napi_del(&tun->napi);
}

static void tun_release(struct tun_struct *tun)
{
	if (tun->fd >= 0)
		close(tun->fd);
	if (tun->doorbell[0] >= 0)
		close(tun->doorbell[0]);
	if (tun->doorbell[1] >= 0)
		close(tun->doorbell[1]);
	tun->fd = tun->doorbell[0] = tun->doorbell[1] = -1;
	kfree(tun->rxbuf);
	tun->rxbuf = NULL;
	kfree(tun->tx_ring);
	tun->tx_ring = NULL;
}

static void tun_free_netdev(struct net_device *dev)
{
	tun_release(netdev_priv(dev));
	free_netdev(dev);
}

static void tun_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	struct tun_struct *tun = netdev_priv(dev);

	snprintf(info->driver, sizeof(info->driver), "%s", TUN_DRV_NAME);
	snprintf(info->version, sizeof(info->version), "%s", TUN_DRV_VERSION);
	snprintf(info->bus_info, sizeof(info->bus_info), "tap:%s", tun->tap_name);
}

static const struct ethtool_ops tun_ethtool_ops = {
	.get_drvinfo = tun_get_drvinfo,
	.get_link = ethtool_op_get_link,
};

static const struct net_device_ops tun_netdev_ops = {
	.ndo_init = tun_net_init,
	.ndo_uninit = tun_net_uninit,
	.ndo_open = tun_net_open,
	.ndo_stop = tun_net_close,
	.ndo_start_xmit = tun_net_xmit,
	.ndo_change_mtu = tun_net_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/* An Ethernet NIC: MTU 1500, txqueuelen 1000 (pfifo_fast), no offloads (tun_attach adds
 * them with the virtio_net_hdr). */
static void tun_setup(struct net_device *dev)
{
	struct tun_struct *tun = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &tun_netdev_ops;
	dev->ethtool_ops = &tun_ethtool_ops;
	dev->destructor = tun_free_netdev;
	tun->fd = tun->doorbell[0] = tun->doorbell[1] = -1;
	tun->irq = -1;
	skb_queue_head_init(&tun->tx_overflow);
}

/* ---- attach ---- */

static int tun_open_host(struct tun_struct *tun, const char *tap_name)
{
	unsigned int offload = tun->vnet_hdr ? TUN_F_CSUM | TUN_F_TSO4 : 0;
	int fd, flags, hdrsz = sizeof(struct virtio_net_hdr);
	struct tun_host_ifreq ifr;

	fd = open(TUN_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tap_name);
	ifr.ifr_flags = TUN_IFF_TAP | TUN_IFF_NO_PI | (tun->vnet_hdr ? TUN_IFF_VNET_HDR : 0);
	if (ioctl(fd, TUN_TUNSETIFF, &ifr) < 0 ||
	    (tun->vnet_hdr && ioctl(fd, TUN_TUNSETVNETHDRSZ, &hdrsz) < 0) ||
	    ioctl(fd, TUN_TUNSETOFFLOAD, (unsigned long)offload) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	tun->fd = fd;
	if (pipe2(tun->doorbell, O_NONBLOCK | O_CLOEXEC) < 0) {
		tun->doorbell[0] = tun->doorbell[1] = -1;
		return -errno;
	}
	return 0;
}

int tun_attach(struct net *net, const struct tun_attach_params *p, struct net_device **devp)
{
	struct net_device *dev;
	struct tun_struct *tun;
	const char *name;
	int err, irq;

	if (ul_rt != &ul_posix_runtime) {
		pr_err("tun: a TAP device needs the posix runtime (real time and threads)\n");
		return -EOPNOTSUPP;
	}
	if (!net || !p || !p->tap_name)
		return -EINVAL;
	name = p->dev_name ? p->dev_name : p->tap_name;
	if (!dev_valid_name(p->tap_name) || !dev_valid_name(name) || strchr(name, '%'))
		return -EINVAL;
	if (p->mac && !is_valid_ether_addr(p->mac))
		return -EINVAL;
	if (p->cpu >= nr_cpu_ids)
		return -EINVAL;

	dev = alloc_netdev(sizeof(struct tun_struct), name, tun_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	tun = netdev_priv(dev);
	tun->dev = dev;
	tun->cpu = p->cpu < 0 ? 0 : p->cpu;
	snprintf(tun->tap_name, sizeof(tun->tap_name), "%s", p->tap_name);
	tun->vnet_hdr = p->vnet_hdr;
	if (tun->vnet_hdr) {
		/* What the header carries: 64 KiB TCP segments, partial checksums. */
		dev->hw_features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO;
		dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO;
	}
	if (p->mac)
		memcpy(dev->dev_addr, p->mac, ETH_ALEN);
	else
		eth_hw_addr_random(dev);

	err = tun_open_host(tun, p->tap_name);
	if (err) {
		pr_err("tun: cannot attach TAP %s: %d\n", p->tap_name, err);
		goto err_free;
	}
	irq = ul_irq_alloc();
	if (irq < 0) {
		err = irq;
		goto err_free;
	}
	tun->irq = irq;
	err = irq_set_affinity((unsigned int)irq, tun->cpu);
	if (err)
		goto err_free;
	dev->irq = (unsigned int)irq;
	netif_napi_add(dev, &tun->napi, tun_poll, NAPI_POLL_WEIGHT);

	rtnl_lock();
	err = register_netdevice(dev);
	rtnl_unlock();
	if (err)
		goto err_free;
	if (devp)
		*devp = dev;
	return 0;

err_free:
	/* Never registered (or rolled back): free_netdev drops the NAPI too. */
	tun_release(tun);
	free_netdev(dev);
	return err;
}

/* ---- the public API (ulnet/tap.h) ---- */

UL_API int ul_tap_attach(const char *netns, const char *tap_name, const char *dev_name,
		  const unsigned char *mac, int cpu)
{
	return ul_tap_attach_flags(netns, tap_name, dev_name, mac, cpu, 0);
}

UL_API int ul_tap_attach_flags(const char *netns, const char *tap_name, const char *dev_name,
			       const unsigned char *mac, int cpu, unsigned int flags)
{
	struct tun_attach_params p = {
		.tap_name = tap_name, .dev_name = dev_name, .mac = mac, .cpu = cpu,
		.vnet_hdr = flags & UL_TAP_VNET_HDR,
	};
	struct net_device *dev = NULL;
	struct net *net;
	int err;

	if (!ul_stack_exists() || (flags & ~UL_TAP_VNET_HDR))
		return -EINVAL;
	net = ul_net_by_name(netns);
	if (!net)
		return -ENOENT;
	err = tun_attach(net, &p, &dev);
	return err ? err : dev->ifindex;
}

UL_API int ul_tap_detach(const char *netns, const char *dev_name)
{
	struct net_device *dev;
	struct net *net;
	int err = 0;

	if (!ul_stack_exists() || !dev_name)
		return -EINVAL;
	net = ul_net_by_name(netns);
	if (!net)
		return -ENOENT;
	rtnl_lock();
	dev = __dev_get_by_name(net, dev_name);
	if (!dev)
		err = -ENODEV;
	else if (!netif_is_tun(dev))
		err = -EINVAL;
	else
		unregister_netdevice(dev);
	rtnl_unlock();
	return err;
}
