/* SPDX-License-Identifier: MIT */
/* The Internet checksum (RFC 1071): partial 32-bit sums, folding, pseudo-headers, and the
 * incremental updates of RFC 1624.
 * Mirrors linux/include/net/checksum.h and arch/x86/include/asm/checksum_64.h: csum_partial,
 * csum_fold, csum_add, csum_sub, csum_block_add, ip_fast_csum, csum_tcpudp_nofold,
 * csum_tcpudp_magic.
 * Conventions as Linux: a __wsum is an unfolded 32-bit one's-complement sum of 16-bit words
 * taken in memory (network) order; a __sum16 is the folded, complemented 16 bits that go on
 * the wire; "verifying" a header means csum_fold(csum_partial(hdr)) == 0. */
#ifndef _NET_CHECKSUM_H
#define _NET_CHECKSUM_H
#include <arpa/inet.h>
#include "linux/types.h"

/* One's-complement sum of @len bytes at @buff added to @sum. Any alignment, any length. */
__wsum csum_partial(const void *buff, int len, __wsum sum);
/* Copy and sum in one pass. */
__wsum csum_partial_copy_nocheck(const void *src, void *dst, int len, __wsum sum);
/* Checksum of an IPv4 header of @ihl 32-bit words; 0 when the header is intact. */
__sum16 ip_fast_csum(const void *iph, unsigned int ihl);
/* Unfolded sum of the IPv4 pseudo-header (addresses in network order, @len and @proto in
 * host order) plus @sum. Inline, as x86's (three adds with carry there): every TCP segment
 * and ACK sent takes it (tcp_v4_send_check with the checksum offloaded), every received
 * one whose checksum is checked in software too. */
static inline __wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, unsigned short len,
					unsigned short proto, __wsum sum)
{
	u64 s = (u32)sum;

	s += (u32)saddr;
	s += (u32)daddr;
	/* len and proto are host-order values; on a little-endian host their network-order
	 * 16-bit words sit byte-swapped in the sum, as x86's csum_tcpudp_nofold adds them. */
	s += (u32)(htons(proto) + (u32)htons(len));
	/* Fold the 64-bit sum to 32 bits, twice for the carry. */
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (__wsum)s;
}
/* RFC 1071 checksum of a buffer on its own (ICMP). */
__sum16 ip_compute_csum(const void *buff, int len);

/* Fold a 32-bit sum to 16 bits and complement it. */
static inline __sum16 csum_fold(__wsum csum)
{
	u32 sum = (u32)csum;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, unsigned short len,
					unsigned short proto, __wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}

static inline __wsum csum_add(__wsum csum, __wsum addend)
{
	u32 res = (u32)csum + (u32)addend;
	return (__wsum)(res + (res < (u32)addend));
}

static inline __wsum csum_sub(__wsum csum, __wsum addend)
{
	return csum_add(csum, ~addend);
}

static inline __sum16 csum16_add(__sum16 csum, __be16 addend)
{
	u16 res = (u16)csum;
	res += (u16)addend;
	return (__sum16)(res + (res < (u16)addend));
}

static inline __sum16 csum16_sub(__sum16 csum, __be16 addend)
{
	return csum16_add(csum, ~addend);
}

/* Add the sum of a block that starts at byte @offset of the whole: an odd offset swaps the
 * bytes of the 16-bit words (RFC 1071 "byte order independence"). */
static inline __wsum csum_block_add(__wsum csum, __wsum csum2, int offset)
{
	u32 sum = (u32)csum2;
	if (offset & 1)
		sum = ((sum & 0xFF00FF00u) >> 8) | ((sum & 0x00FF00FFu) << 8);
	return csum_add(csum, (__wsum)sum);
}

static inline __wsum csum_block_sub(__wsum csum, __wsum csum2, int offset)
{
	u32 sum = (u32)csum2;
	if (offset & 1)
		sum = ((sum & 0xFF00FF00u) >> 8) | ((sum & 0x00FF00FFu) << 8);
	return csum_sub(csum, (__wsum)sum);
}

static inline __wsum csum_unfold(__sum16 n)
{
	return (__wsum)n;
}

/* RFC 1624 incremental update: @sum covered @from, it now covers @to (NAT, TTL). */
static inline void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	__wsum tmp = csum_sub(~csum_unfold(*sum), (__wsum)from);
	*sum = csum_fold(csum_add(tmp, (__wsum)to));
}

static inline void csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	*sum = ~csum16_add(csum16_sub(~(*sum), from), to);
}

#define CSUM_MANGLED_0 ((__sum16)0xffff)

#endif
