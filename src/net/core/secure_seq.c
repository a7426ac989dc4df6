/* SPDX-License-Identifier: MIT */
/* Keyed hashes that make TCP's initial sequence numbers and ephemeral port offsets hard to
 * guess (RFC 6528), from one MD5 compression block over the 4-tuple and a boot secret.
 * Mirrors linux/net/core/secure_seq.c (3.10): net_secret, net_secret_init,
 * secure_tcp_sequence_number, secure_ipv4_port_ephemeral (facts.md §3.6); and the MD5
 * block function of lib/md5.c (md5_transform), written from RFC 1321 section 3.4. */
#include "linux/kernel.h"
#include "linux/ktime.h"
#include "linux/random.h"
#include "linux/types.h"
#include "net/tcp.h"

#define NET_SECRET_SIZE 16	/* u32 words, the MD5 message block */
static u32 net_secret[NET_SECRET_SIZE];
static bool net_secret_ready;

static inline u32 md5_rol(u32 x, unsigned int s)
{
	return (x << s) | (x >> (32 - s));
}

/* RFC 1321 3.4: one 64-byte block @in (16 little-endian words) mixed into @hash[4]. */
static void md5_transform(u32 *hash, const u32 *in)
{
	static const u8 sh[64] = {
		7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
		5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
		4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
		6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
	};
	/* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 3.4. */
	static const u32 t[64] = {
		0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
		0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
		0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
		0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
		0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
		0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
		0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
		0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
		0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
		0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
		0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
		0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
		0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
		0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
		0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
		0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
	};
	u32 a = hash[0], b = hash[1], c = hash[2], d = hash[3];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		u32 f, g, tmp;

		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) & 15;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) & 15;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) & 15;
		}
		tmp = d;
		d = c;
		c = b;
		b = b + md5_rol(a + f + t[i] + in[g], sh[i]);
		a = tmp;
	}
	hash[0] += a;
	hash[1] += b;
	hash[2] += c;
	hash[3] += d;
}

/* ≥3.10.17 fills the secret lazily with non-zero words; ulnet from the seeded RNG, so a
 * sim run gives the same ISNs every time. */
static void net_secret_init(void)
{
	unsigned int i;

	if (likely(net_secret_ready))
		return;
	for (i = NET_SECRET_SIZE; i > 0;) {
		do {
			get_random_bytes(&net_secret[i - 1], sizeof(u32));
		} while (!net_secret[i - 1]);
		i--;
	}
	net_secret_ready = true;
}

/* A new boot forgets the secret (ulnet stacks are created and destroyed per test). */
void secure_seq_reset(void)
{
	net_secret_ready = false;
}

/* ISN = MD5(saddr, daddr, ports, secret) + a 64 ns clock (facts.md §3.6). */
__u32 secure_tcp_sequence_number(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	u32 hash[4];

	net_secret_init();
	hash[0] = saddr;
	hash[1] = daddr;
	hash[2] = ((u32)sport << 16) + dport;
	hash[3] = net_secret[15];
	md5_transform(hash, net_secret);
	return hash[0] + (u32)((u64)ktime_get_real() >> 6);
}

u32 secure_ipv4_port_ephemeral(__be32 saddr, __be32 daddr, __be16 dport)
{
	u32 hash[4];

	net_secret_init();
	hash[0] = saddr;
	hash[1] = daddr;
	hash[2] = dport ^ net_secret[14];
	hash[3] = net_secret[15];
	md5_transform(hash, net_secret);
	return hash[0];
}
