/* SPDX-License-Identifier: MIT */
/* ulnet: attach a real TAP device of the host as a NIC of the stack (posix runtime only).
 * See docs/up.md and src/drivers/net/tun.c. */
#ifndef ULNET_TAP_H
#define ULNET_TAP_H
#include "ulnet/ulnet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Open the host's TAP @tap_name (created if missing; IFF_TAP | IFF_NO_PI, non-blocking)
 * and register it in namespace @netns as device @dev_name (NULL: the TAP's name), with MAC
 * @mac (6 bytes; NULL: random from the seeded RNG), its interrupt and NAPI poll on @cpu
 * (-1: CPU 0). The device starts down (`ip link set DEV up`).
 * Returns its ifindex (> 0), or -errno: -EOPNOTSUPP on the sim runtime, -ENOENT for an
 * unknown namespace, -EINVAL for a bad name/MAC/CPU, -ENOENT (no /dev/net/tun), -EPERM
 * (no CAP_NET_ADMIN), -EBUSY (the TAP is in use), -EEXIST (the name is taken). */
UL_EXPORT int ul_tap_attach(const char *netns, const char *tap_name, const char *dev_name,
			    const unsigned char *mac, int cpu);
/* ul_tap_attach with @flags: UL_TAP_VNET_HDR opens the TAP with IFF_VNET_HDR and
 * TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4): TCP segments of up to 64 KiB and partial
 * checksums cross in one read or write, and the device has TSO, SG and checksum offload
 * (without it, the TAP's offloads are turned off). -EINVAL for an unknown flag. */
#define UL_TAP_VNET_HDR	0x1u
UL_EXPORT int ul_tap_attach_flags(const char *netns, const char *tap_name,
				  const char *dev_name, const unsigned char *mac, int cpu,
				  unsigned int flags);
/* Unregister the device (closing the TAP). 0, -ENOENT (no such
 * namespace), -ENODEV (no such device), or -EINVAL (not a TAP device). */
UL_EXPORT int ul_tap_detach(const char *netns, const char *dev_name);

#ifdef __cplusplus
}
#endif
#endif
