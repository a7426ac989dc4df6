/* SPDX-License-Identifier: MIT */
/* The Internet checksum (RFC 1071) in portable C: 16-bit one's-complement sums.
 * Mirrors linux/lib/checksum.c and arch/x86/lib/csum-partial_64.c: csum_partial,
 * csum_partial_copy_nocheck, ip_fast_csum, ip_compute_csum (csum_tcpudp_nofold is inline
 * in net/checksum.h).
 *
 * The sum is taken over 16-bit words in memory order, so on a little-endian host the value
 * is byte-swapped relative to "network order" arithmetic; that is harmless because one's-
 * complement addition commutes with byte swapping (RFC 1071 §2(B)), and csum_fold's result
 * is stored back in memory order. */
#include <string.h>
#include "linux/kernel.h"
#include "net/checksum.h"

static inline u32 from64to32(u64 x)
{
	/* add up 32-bit and 32-bit for 32+c bit */
	x = (x & 0xffffffffu) + (x >> 32);
	/* add up carry.. */
	x = (x & 0xffffffffu) + (x >> 32);
	return (u32)x;
}

/* Sum of the bytes as 16-bit memory-order words; an odd start swaps the result so the caller
 * sees the sum as if the buffer began on an even address. */
static u32 do_csum(const unsigned char *buff, int len)
{
	u64 sum = 0;
	int odd;

	if (len <= 0)
		return 0;
	odd = 1 & (unsigned long)buff;
	if (odd) {
		/* Little endian: the first byte is the high half of a word that started one
		 * byte earlier. */
		sum += (u64)(*buff) << 8;
		len--;
		buff++;
	}
	while (len >= 8) {
		u32 a, b;
		memcpy(&a, buff, 4);
		memcpy(&b, buff + 4, 4);
		sum += (u64)a + b;
		buff += 8;
		len -= 8;
	}
	while (len >= 2) {
		u16 w;
		memcpy(&w, buff, 2);
		sum += w;
		buff += 2;
		len -= 2;
	}
	if (len)
		sum += *buff;	/* the last byte is the low half of a memory-order word */
	{
		u32 r = from64to32(sum);
		/* fold to 16 bits, keeping the carries */
		r = (r & 0xffff) + (r >> 16);
		r = (r & 0xffff) + (r >> 16);
		if (odd)
			r = ((r >> 8) & 0xff) | ((r & 0xff) << 8);
		return r;
	}
}

__wsum csum_partial(const void *buff, int len, __wsum wsum)
{
	u32 sum = (u32)wsum;
	u32 result = do_csum(buff, len);

	/* add in old sum, and carry.. */
	result += sum;
	if (sum > result)
		result += 1;
	return (__wsum)result;
}

__wsum csum_partial_copy_nocheck(const void *src, void *dst, int len, __wsum sum)
{
	if (len > 0)
		memcpy(dst, src, (size_t)len);
	return csum_partial(dst, len, sum);
}

/* As x86's ip_fast_csum: the @ihl 32-bit words added in 64 bits, then folded (a 20-byte
 * header in about 20 instructions; do_csum's general loop took 74, on every received and
 * sent IPv4 packet). */
__sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	const unsigned char *p = iph;
	u64 sum = 0;
	unsigned int i;
	u32 w;

	if (likely(ihl == 5)) {
		/* The header without options, every IPv4 packet but a few: unrolled (the loop's
		 * counter and branch were half of the cost, on each packet received and sent). */
		u32 w0, w1, w2, w3, w4;

		memcpy(&w0, p, 4);			/* any alignment */
		memcpy(&w1, p + 4, 4);
		memcpy(&w2, p + 8, 4);
		memcpy(&w3, p + 12, 4);
		memcpy(&w4, p + 16, 4);
		sum = (u64)w0 + w1 + w2 + w3 + w4;
	} else {
		for (i = 0; i < ihl; i++) {
			memcpy(&w, p + 4 * i, sizeof(w));	/* any alignment */
			sum += w;
		}
	}
	w = from64to32(sum);
	w = (w & 0xffff) + (w >> 16);
	w = (w & 0xffff) + (w >> 16);
	return (__sum16)~w;
}

/* csum_tcpudp_nofold: inline in net/checksum.h. */

__sum16 ip_compute_csum(const void *buff, int len)
{
	return csum_fold(csum_partial(buff, len, 0));
}
