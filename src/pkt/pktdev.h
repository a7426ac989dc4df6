/* SPDX-License-Identifier: MIT */
/* The packet-script runner's TUN-like device (internal to src/pkt/ and its tests).
 * Mirrors the IFF_TUN side of linux/drivers/net/tun.c. */
#ifndef ULNET_PKT_PKTDEV_H
#define ULNET_PKT_PKTDEV_H
#include <stddef.h>
#include <stdint.h>

struct net;
struct net_device;

#define PKTDEV_MAX_FRAMES 4096
#define PKTDEV_MAX_LEN	  65535

struct pktdev_frame {
	struct pktdev_frame *next;
	uint64_t time_ns;	/* virtual time the stack handed it to the device */
	size_t len;
	uint8_t data[];		/* the IPv4 datagram */
};

/* Outbound datagrams in order; the runner owns it and frees what it pops. */
struct pktdev_queue {
	struct pktdev_frame *head, *tail;
	unsigned int count;
	unsigned long total, dropped;
};

/* Register a point-to-point, no-ARP, no-header device @name in @net (down) whose outbound
 * datagrams go to @q. Context: process. Remove with unregister_netdev(). */
int pktdev_create(struct net *net, const char *name, struct pktdev_queue *q,
		  struct net_device **devp);
/* Inject @data as a received IPv4 datagram. Context: process (a task). */
int pktdev_inject(struct net_device *dev, const uint8_t *data, size_t len);
struct pktdev_frame *pktdev_pop(struct pktdev_queue *q);
void pktdev_queue_purge(struct pktdev_queue *q);

#endif
