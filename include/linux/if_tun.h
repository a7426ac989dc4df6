/* SPDX-License-Identifier: MIT */
/* A real TAP device of the host as a NIC of the stack (posix runtime only).
 * Mirrors the names of linux/include/uapi/linux/if_tun.h (3.10): TUNSETIFF, IFF_TAP,
 * IFF_NO_PI; the driver is src/drivers/net/tun.c.
 *
 * DIVERGES: Linux's tun.c is the kernel side of /dev/net/tun (the character device and the
 * net_device the host sees). ulnet sits on the other side: it opens /dev/net/tun like any
 * user program and drives the file descriptor as its NIC's "wire", so frames the host's
 * kernel sends on the TAP arrive here, and frames ulnet transmits enter the host's stack. */
#ifndef _LINUX_IF_TUN_H
#define _LINUX_IF_TUN_H
#include "linux/netdevice.h"

struct net;

/* The host's ABI (include/uapi/linux/if_tun.h), spelled out so that no host kernel header
 * has to be mixed with the stack's own. */
#define TUN_IFF_TUN		0x0001
#define TUN_IFF_TAP		0x0002
#define TUN_IFF_NO_PI		0x1000
#define TUN_IFF_VNET_HDR	0x4000	/* each frame follows a struct virtio_net_hdr */
#define TUN_TUNSETIFF		0x400454caUL	/* _IOW('T', 202, int) */
#define TUN_TUNSETOFFLOAD	0x400454d0UL	/* _IOW('T', 208, unsigned int) */
#define TUN_TUNSETVNETHDRSZ	0x400454d8UL	/* _IOW('T', 216, int) */
/* TUNSETOFFLOAD's argument: what the reader of the fd accepts (the host may then hand it
 * partial checksums and TSO frames). */
#define TUN_F_CSUM		0x01
#define TUN_F_TSO4		0x02
#define TUN_F_TSO6		0x04
#define TUN_F_TSO_ECN		0x08
#define TUN_F_UFO		0x10
#define TUN_DEV_PATH		"/dev/net/tun"

#define TUN_DRV_NAME		"tun"
#define TUN_DRV_VERSION		"1.6"

struct tun_attach_params {
	const char *tap_name;	/* the host's TAP (created if missing, as TUNSETIFF does) */
	const char *dev_name;	/* the stack's device name (NULL: the same as tap_name) */
	const u8 *mac;		/* 6 bytes, or NULL: random from the seeded RNG */
	int cpu;		/* CPU that takes the interrupt and runs the NAPI poll (-1: 0) */
	/* IFF_VNET_HDR + TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4): frames of up to 64 KiB with a
	 * virtio_net_hdr, the device gets NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO; false:
	 * plain frames, and the TAP's offloads are turned off. */
	bool vnet_hdr;
};

/* Open the host TAP and register a net_device for it in @net (down; bring it up with
 * dev_open / `ip link set DEV up`). *@devp gets the device (no reference).
 * 0, or -EOPNOTSUPP (not the posix runtime: a TAP needs real time and threads),
 * -EINVAL (bad name, MAC or CPU), the host's -errno of open/ioctl (-ENOENT: no
 * /dev/net/tun, -EPERM: no CAP_NET_ADMIN, -EBUSY: the TAP is attached elsewhere),
 * -EEXIST (the name is taken in @net), -ENOMEM. Takes rtnl_lock. Context: process.
 * Remove it with unregister_netdev(); its fd and reader thread go with it. */
int tun_attach(struct net *net, const struct tun_attach_params *p, struct net_device **devp);
bool netif_is_tun(const struct net_device *dev);

#endif
