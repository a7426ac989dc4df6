/* SPDX-License-Identifier: MIT */
/* libFuzzer target: every input is an Ethernet frame received by a NIC of a booted stack.
 * Mirrors no kernel file: it drives netif_receive_skb (linux/net/core/dev.c) the way a NAPI
 * driver's poll does, so ARP, IPv4 (options, fragments), ICMP, UDP and TCP parse hostile
 * bytes.
 *
 * The world, built once (sim runtime, 1 CPU, seed 1): veth0 in the initial namespace, MAC
 * 02:00:00:00:00:01, address 10.0.0.1/24, a permanent neighbour 10.0.0.2 at
 * 02:00:00:00:00:02 (what veth0 transmits, replies included, lands on veth1 in namespace
 * "peer" and is dropped there); a task with a UDP socket bound to port 7 that reads
 * everything it gets; a task with a TCP listener on port 80 (backlog 8) that accepts one
 * connection at a time and reads it to its end; and one ESTABLISHED TCP connection to port
 * 80 from 10.0.0.2, made by a crafted handshake (client ISN FUZZ_EST_CISN) and made again
 * (from the next source port, at most every FUZZ_EST_EVERY inputs) when the fuzzer has
 * closed or reset it.
 *
 * So that mutated TCP inputs reach the states behind the checksum and the sequence checks,
 * two rewrites apply to an IPv4 TCP frame before it is received:
 * - from 10.0.0.2 source port FUZZ_EST_ALIAS (40000) to port 80: the source port becomes
 *   the established connection's, and seq/ack are taken as relative to the connection's
 *   ISNs (client FUZZ_EST_CISN, server the SYN-ACK's): seq 1 is the first byte expected;
 * - a TCP checksum of 0 is replaced by the right one (any other value is left as is, so
 *   bad checksums are still fuzzed).
 *
 * Each input: the frame on veth0, received with bottom halves off as in softirq context,
 * then 10 ms of virtual time (softirqs, the receiving tasks, replies). Every 4096 inputs the
 * clock jumps FUZZ_FLUSH_NS (130 s: reassembly queues, neighbour timers, SYN-ACK
 * retransmits, orphans retrying their FIN and TIME_WAIT all end) and the slab objects in
 * use must come back under a fixed bound: a leak shows as growth.
 * fuzz/corpus/frame/ holds seeds (fuzz/gen_corpus.py): ARP request, ICMP echo, UDP datagram,
 * IP fragments, and TCP: SYN to the listener and to a closed port, ACK to the listener, and
 * on the established connection an ACK, data, FIN, RST, SYN, bad options. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "linux/veth.h"
#include "net/checksum.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/net_namespace.h"
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define FUZZ_MAX_FRAME	(ETH_HLEN + 65535)
#define FUZZ_FLUSH_EVERY 4096
#define FUZZ_FLUSH_NS	(130ULL * 1000 * 1000 * 1000)
#define FUZZ_EST_ALIAS	40000	/* source port naming the established connection */
#define FUZZ_EST_PORT0	40001	/* its real source ports: 40001 ... 49999, in turn */
#define FUZZ_EST_PORTN	9999
#define FUZZ_EST_CISN	1000u	/* the client's ISN */
#define FUZZ_EST_EVERY	16	/* remake it at most every 16 inputs */
/* Slab objects allowed above the level after boot once the queues have expired. */
#define FUZZ_SLAB_SLACK	512

static struct net_device *fuzz_dev;
static unsigned long fuzz_inputs;
static unsigned long fuzz_boot_objects;
static u16 fuzz_est_sport;		/* the established connection's source port, or 0 */
static u32 fuzz_est_isn;		/* its server ISN */
static unsigned int fuzz_est_next;	/* next source port index */
static unsigned long fuzz_est_made_at;	/* fuzz_inputs when it was last (re)made */

static int udp_sink_task(void *arg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[65536];
	int fd;

	(void)arg;
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	sin.sin_port = htons(7);
	if (ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return 1;
	for (;;) {
		if (ul_recv(fd, buf, sizeof(buf), 0) < 0 && errno == EINTR)
			break;
	}
	ul_close(fd);
	return 0;
}

/* Port 80: accept one connection at a time and read it until it ends. */
static int tcp_server_task(void *arg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[16384];
	int fd, cfd, guard;

	(void)arg;
	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 1;
	sin.sin_port = htons(80);
	if (ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || ul_listen(fd, 8) < 0)
		return 1;
	for (;;) {
		cfd = ul_accept(fd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR)
				break;
			continue;
		}
		/* Bounded: the fuzzer may feed one connection for ever; EINTR ends the task. */
		for (guard = 0; guard < 1 << 30; guard++) {
			ssize_t n = ul_recv(cfd, buf, sizeof(buf), 0);

			if (n <= 0)
				break;
		}
		ul_close(cfd);
	}
	ul_close(fd);
	return 0;
}

static void fuzz_die(const char *what, int err)
{
	fprintf(stderr, "fuzz_frame: %s: %d\n", what, err);
	abort();
}

/* ---- TCP: frames from 10.0.0.2, the established connection ---- */

static __be32 fuzz_peer_addr(void)
{
	return htonl(0x0a000002);
}

static __be32 fuzz_local_addr(void)
{
	return htonl(0x0a000001);
}

/* The TCP header of the IPv4 frame @f (@len bytes), or NULL when it is not one from
 * 10.0.0.2 with a whole TCP header in it. */
static struct tcphdr *fuzz_tcp_of(u8 *f, size_t len, struct iphdr **iphp)
{
	struct iphdr *iph = (struct iphdr *)(f + ETH_HLEN);
	size_t ihl;

	if (len < ETH_HLEN + sizeof(*iph) || f[12] != 0x08 || f[13] != 0x00)
		return NULL;
	ihl = (size_t)iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) || iph->protocol != IPPROTO_TCP ||
	    len < ETH_HLEN + ihl + sizeof(struct tcphdr))
		return NULL;
	*iphp = iph;
	return (struct tcphdr *)(f + ETH_HLEN + ihl);
}

/* The TCP checksum of the segment in @f: over what the IP total length says is there (but
 * not beyond the frame). */
static void fuzz_tcp_fix_csum(u8 *f, size_t len, struct iphdr *iph, struct tcphdr *th)
{
	size_t off = (size_t)((u8 *)th - f), tot = ntohs(iph->tot_len), tlen;

	if (tot < (size_t)iph->ihl * 4)
		return;
	tlen = tot - (size_t)iph->ihl * 4;
	if (off + tlen > len)
		tlen = len - off;
	th->check = 0;
	th->check = tcp_v4_check((int)tlen, iph->saddr, iph->daddr,
				 csum_partial(th, (int)tlen, 0));
	if (!th->check)
		th->check = 0xffff;	/* a sum of zero is sent as all ones */
}

/* See the file comment: the alias port and relative sequence numbers, then a zero
 * checksum made right. */
static void fuzz_tcp_rewrite(u8 *f, size_t len)
{
	struct iphdr *iph;
	struct tcphdr *th = fuzz_tcp_of(f, len, &iph);

	if (!th || iph->saddr != fuzz_peer_addr())
		return;
	if (th->source == htons(FUZZ_EST_ALIAS) && th->dest == htons(80) && fuzz_est_sport) {
		th->source = htons(fuzz_est_sport);
		th->seq = htonl(ntohl(th->seq) + FUZZ_EST_CISN);
		th->ack_seq = htonl(ntohl(th->ack_seq) + fuzz_est_isn);
	}
	if (!th->check)
		fuzz_tcp_fix_csum(f, len, iph, th);
}

static void fuzz_rx(const u8 *data, size_t size)
{
	struct sk_buff *skb = netdev_alloc_skb(fuzz_dev, (unsigned int)size);

	if (!skb)
		return;
	memcpy(skb_put(skb, (unsigned int)size), data, size);
	skb->protocol = eth_type_trans(skb, fuzz_dev);
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
	ul_run_for(10 * 1000 * 1000);
}

/* A segment from 10.0.0.2:@sport to 10.0.0.1:80 (SYN: with MSS, SACK-permitted,
 * timestamps and window scale). */
static void fuzz_tcp_send(u16 sport, u32 seq, u32 ack, u8 flags)
{
	static const u8 dmac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const u8 smac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	static const u8 synopt[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
				       1, 3, 3, 7 };
	u8 f[ETH_HLEN + 20 + 40];
	struct iphdr *iph = (struct iphdr *)(f + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(iph + 1);
	size_t optlen = (flags & TCPHDR_SYN) ? sizeof(synopt) : 0;
	size_t len = ETH_HLEN + 20 + 20 + optlen;

	memset(f, 0, sizeof(f));
	memcpy(f, dmac, ETH_ALEN);
	memcpy(f + ETH_ALEN, smac, ETH_ALEN);
	f[12] = 0x08;
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons((u16)(len - ETH_HLEN));
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = fuzz_peer_addr();
	iph->daddr = fuzz_local_addr();
	iph->check = ip_fast_csum(iph, iph->ihl);
	th->source = htons(sport);
	th->dest = htons(80);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (u16)((20 + optlen) / 4) & 0xf;
	((u8 *)th)[13] = flags;
	th->window = htons(29200);
	memcpy(th + 1, synopt, optlen);
	fuzz_tcp_fix_csum(f, len, iph, th);
	fuzz_rx(f, len);
}

/* The state of the connection from 10.0.0.2:@sport to port 80, or -1. */
static int fuzz_tcp_state(u16 sport)
{
	struct sock *sk = __inet_lookup_established(&init_net, &tcp_hashinfo, fuzz_peer_addr(),
						    htons(sport), fuzz_local_addr(), 80,
						    fuzz_dev->ifindex);
	int state;

	if (!sk)
		return -1;
	state = sk->sk_state;
	if (state == TCP_TIME_WAIT)
		inet_twsk_put(inet_twsk(sk));
	else
		sock_put(sk);
	return state;
}

/* (Re)make the established connection from the next source port: SYN, read the ISN from
 * the listener's request, ACK. fuzz_est_sport stays 0 when it did not work (a SYN queue
 * or accept queue the fuzzer filled). */
static void fuzz_tcp_establish(void)
{
	struct request_sock **prev, *req;
	struct sock *lsk;
	u16 sport;

	fuzz_est_sport = 0;
	fuzz_est_made_at = fuzz_inputs;
	sport = (u16)(FUZZ_EST_PORT0 + fuzz_est_next);
	fuzz_est_next = (fuzz_est_next + 1) % FUZZ_EST_PORTN;
	if (fuzz_tcp_state(sport) != -1)
		return;	/* that 4-tuple is still busy (TIME_WAIT): the next try takes another */
	lsk = __inet_lookup_listener(&init_net, &tcp_hashinfo, fuzz_peer_addr(), htons(sport),
				     fuzz_local_addr(), 80, fuzz_dev->ifindex);
	if (!lsk)
		return;
	fuzz_tcp_send(sport, FUZZ_EST_CISN, 0, TCPHDR_SYN);
	req = inet_csk_search_req(lsk, &prev, htons(sport), fuzz_peer_addr(), fuzz_local_addr());
	if (req) {
		fuzz_est_isn = tcp_rsk(req)->snt_isn;
		fuzz_tcp_send(sport, FUZZ_EST_CISN + 1, fuzz_est_isn + 1, TCPHDR_ACK);
		if (fuzz_tcp_state(sport) == TCP_ESTABLISHED)
			fuzz_est_sport = sport;
	}
	sock_put(lsk);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 1, .seed = 1 };
	struct net_device *peer;
	int err;

	(void)argc;
	(void)argv;
	err = ul_stack_create(&cfg);
	if (err)
		fuzz_die("ul_stack_create", err);
	err = ul_netns_add("peer");
	if (err)
		fuzz_die("ul_netns_add", err);
	err = veth_create(&init_net, "veth0", ul_net_by_name("peer"), "veth1");
	if (err)
		fuzz_die("veth_create", err);
	fuzz_dev = __dev_get_by_name(&init_net, "veth0");
	peer = __dev_get_by_name(ul_net_by_name("peer"), "veth1");
	rtnl_lock();
	memcpy(fuzz_dev->dev_addr, mac, ETH_ALEN);
	fuzz_dev->addr_assign_type = NET_ADDR_SET;
	err = dev_open(fuzz_dev);
	if (!err)
		err = dev_open(peer);
	rtnl_unlock();
	if (err)
		fuzz_die("dev_open", err);
	{
		char *out = NULL;

		err = ul_cmd(NULL, "ip addr add 10.0.0.1/24 dev veth0", &out);
		if (err)
			fuzz_die(out ? out : "ip addr add", err);
		free(out);
		out = NULL;
		err = ul_cmd(NULL, "ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0", &out);
		if (err)
			fuzz_die(out ? out : "ip neigh add", err);
		free(out);
	}
	if (!ul_task_spawn(NULL, "udp-sink", 0, udp_sink_task, NULL))
		fuzz_die("ul_task_spawn", -1);
	if (!ul_task_spawn(NULL, "tcp-server", 0, tcp_server_task, NULL))
		fuzz_die("ul_task_spawn", -1);
	ul_run_for(100 * 1000 * 1000);
	fuzz_tcp_establish();
	if (!fuzz_est_sport)
		fuzz_die("TCP handshake", -1);
	ul_run_for(100 * 1000 * 1000);
	fuzz_boot_objects = ul_slab_objects_in_use();
	return 0;
}

static void fuzz_flush(void)
{
	unsigned long now;

	ul_run_for(FUZZ_FLUSH_NS);
	/* The established connection may have timed out meanwhile: made again below. */
	now = ul_slab_objects_in_use();
	if (now > fuzz_boot_objects + FUZZ_SLAB_SLACK) {
		fprintf(stderr, "fuzz_frame: slab objects grew from %lu to %lu\n",
			fuzz_boot_objects, now);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 frame[FUZZ_MAX_FRAME];

	/* A MAC refuses runts and frames over its buffer: no skb would reach the stack. */
	if (size < ETH_HLEN || size > FUZZ_MAX_FRAME)
		return 0;
	if ((!fuzz_est_sport || fuzz_tcp_state(fuzz_est_sport) != TCP_ESTABLISHED) &&
	    fuzz_inputs - fuzz_est_made_at >= FUZZ_EST_EVERY)
		fuzz_tcp_establish();
	memcpy(frame, data, size);
	fuzz_tcp_rewrite(frame, size);
	fuzz_rx(frame, size);
	if (++fuzz_inputs % FUZZ_FLUSH_EVERY == 0)
		fuzz_flush();
	return 0;
}
