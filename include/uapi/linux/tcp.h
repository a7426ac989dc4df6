/* SPDX-License-Identifier: MIT */
/* The TCP header on the wire.
 * Mirrors linux/include/uapi/linux/tcp.h (3.10): struct tcphdr, tcp_flag_word, TCP_FLAG_*,
 * the TCP_* socket options, TCPI_OPT_*, enum tcp_ca_state, struct tcp_info. */
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

/* TCP socket options (level IPPROTO_TCP / SOL_TCP). */
#define TCP_NODELAY		1	/* Turn off Nagle's algorithm. */
#define TCP_MAXSEG		2	/* Limit MSS */
#define TCP_CORK		3	/* Never send partially complete segments */
#define TCP_KEEPIDLE		4	/* Start keeplives after this period */
#define TCP_KEEPINTVL		5	/* Interval between keepalives */
#define TCP_KEEPCNT		6	/* Number of keepalives before death */
#define TCP_SYNCNT		7	/* Number of SYN retransmits */
#define TCP_LINGER2		8	/* Life time of orphaned FIN-WAIT-2 state */
#define TCP_DEFER_ACCEPT	9	/* Wake up listener only when data arrive */
#define TCP_WINDOW_CLAMP	10	/* Bound advertised window */
#define TCP_INFO		11	/* Information about this connection. */
#define TCP_QUICKACK		12	/* Block/reenable quick acks */
#define TCP_CONGESTION		13	/* Congestion control algorithm */
#define TCP_MD5SIG		14	/* TCP MD5 Signature (RFC2385) */
#define TCP_THIN_LINEAR_TIMEOUTS 16	/* Use linear timeouts for thin streams*/
#define TCP_THIN_DUPACK		17	/* Fast retrans. after 1 dupack */
#define TCP_USER_TIMEOUT	18	/* How long for loss retry before timeout */
#define TCP_REPAIR		19	/* TCP sock is under repair right now */
#define TCP_REPAIR_QUEUE	20
#define TCP_QUEUE_SEQ		21
#define TCP_REPAIR_OPTIONS	22
#define TCP_FASTOPEN		23	/* Enable FastOpen on listeners */
#define TCP_TIMESTAMP		24

#define TCP_MSS_DEFAULT		536U	/* IPv4 (RFC1122, RFC2581) */
#define TCP_MSS_DESIRED		1220U	/* IPv6 (tunneled), EDNS0 (RFC3226) */

#define TCPI_OPT_TIMESTAMPS	1
#define TCPI_OPT_SACK		2
#define TCPI_OPT_WSCALE		4
#define TCPI_OPT_ECN		8	/* ECN was negociated at TCP session init */
#define TCPI_OPT_ECN_SEEN	16	/* we received at least one packet with ECT */
#define TCPI_OPT_SYN_DATA	32	/* SYN-ACK acked data in SYN sent or rcvd */

enum tcp_ca_state {
	TCP_CA_Open = 0,
	TCP_CA_Disorder = 1,
	TCP_CA_CWR = 2,
	TCP_CA_Recovery = 3,
	TCP_CA_Loss = 4
};

/* TCP_INFO, 3.10 layout (104 bytes). */
struct tcp_info {
	__u8 tcpi_state;
	__u8 tcpi_ca_state;
	__u8 tcpi_retransmits;
	__u8 tcpi_probes;
	__u8 tcpi_backoff;
	__u8 tcpi_options;
	__u8 tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;

	__u32 tcpi_rto;
	__u32 tcpi_ato;
	__u32 tcpi_snd_mss;
	__u32 tcpi_rcv_mss;

	__u32 tcpi_unacked;
	__u32 tcpi_sacked;
	__u32 tcpi_lost;
	__u32 tcpi_retrans;
	__u32 tcpi_fackets;

	/* Times. */
	__u32 tcpi_last_data_sent;
	__u32 tcpi_last_ack_sent;	/* Not remembered, sorry. */
	__u32 tcpi_last_data_recv;
	__u32 tcpi_last_ack_recv;

	/* Metrics. */
	__u32 tcpi_pmtu;
	__u32 tcpi_rcv_ssthresh;
	__u32 tcpi_rtt;
	__u32 tcpi_rttvar;
	__u32 tcpi_snd_ssthresh;
	__u32 tcpi_snd_cwnd;
	__u32 tcpi_advmss;
	__u32 tcpi_reordering;

	__u32 tcpi_rcv_rtt;
	__u32 tcpi_rcv_space;

	__u32 tcpi_total_retrans;
};

#endif
