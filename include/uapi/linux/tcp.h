/* SPDX-License-Identifier: MIT */
/* The TCP header on the wire.
 * Mirrors linux/include/uapi/linux/tcp.h (3.10): struct tcphdr, tcp_flag_word, TCP_FLAG_*. */
#ifndef _UAPI_LINUX_TCP_H
#define _UAPI_LINUX_TCP_H
#include <arpa/inet.h>
#include "linux/types.h"

/* DIVERGES: packed with 2-byte alignment, like struct iphdr: behind a 14-byte Ethernet header
 * and a 20-byte IP header it sits at 2 mod 4, which x86 allows and UBSan flags. */
struct __attribute__((packed, aligned(2))) tcphdr {
	__be16 source;
	__be16 dest;
	__be32 seq;
	__be32 ack_seq;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	__u16 res1:4,
	      doff:4,
	      fin:1,
	      syn:1,
	      rst:1,
	      psh:1,
	      ack:1,
	      urg:1,
	      ece:1,
	      cwr:1;
#else
	__u16 doff:4,
	      res1:4,
	      cwr:1,
	      ece:1,
	      urg:1,
	      ack:1,
	      psh:1,
	      rst:1,
	      syn:1,
	      fin:1;
#endif
	__be16 window;
	__sum16 check;
	__be16 urg_ptr;
};

/* The 32-bit word holding doff, the flags and the window, for flag tests in one go. */
union __attribute__((packed, aligned(2))) tcp_word_hdr {
	struct tcphdr hdr;
	__be32 words[5];
};
#define tcp_flag_word(tp) (((union tcp_word_hdr *)(tp))->words[3])

#define TCP_FLAG_CWR	((__be32)htonl(0x00800000))
#define TCP_FLAG_ECE	((__be32)htonl(0x00400000))
#define TCP_FLAG_URG	((__be32)htonl(0x00200000))
#define TCP_FLAG_ACK	((__be32)htonl(0x00100000))
#define TCP_FLAG_PSH	((__be32)htonl(0x00080000))
#define TCP_FLAG_RST	((__be32)htonl(0x00040000))
#define TCP_FLAG_SYN	((__be32)htonl(0x00020000))
#define TCP_FLAG_FIN	((__be32)htonl(0x00010000))
#define TCP_RESERVED_BITS ((__be32)htonl(0x0F000000))
#define TCP_DATA_OFFSET	((__be32)htonl(0xF0000000))

#endif
