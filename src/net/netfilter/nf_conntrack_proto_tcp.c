/* SPDX-License-Identifier: MIT */
/* TCP tracking: the connection's state from the flags each direction sends (SYN, SYN+ACK,
 * ACK, FIN, RST), with 3.10's timeout per state (5 days once established).
 * Mirrors linux/net/netfilter/nf_conntrack_proto_tcp.c (3.10): tcp_conntrack_names,
 * tcp_timeouts, tcp_pkt_to_tuple, tcp_invert_tuple, tcp_new, tcp_packet, tcp_print_conntrack;
 * nf_conntrack_tcp_loose=1 (a connection seen mid-stream is picked up).
 *
 * DIVERGES: a simplified state machine: the flag transitions of tcp_conntracks[][] that a
 * well-behaved connection takes, without sequence-number window tracking (tcp_in_window),
 * retransmission counting or the "unacknowledged data" timeout. A packet whose flags
 * make no sense (SYN+FIN, SYN+RST, none) or a RST without a connection is INVALID.
 * Context: the hook's. */
#include "linux/in.h"
#include "net/netfilter/nf_conntrack.h"

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static const char *const tcp_conntrack_names[] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK",
	"TIME_WAIT", "CLOSE", "SYN_SENT2",
};

#define SECS * HZ
#define MINS * 60 SECS
#define HOURS * 60 MINS
#define DAYS * 24 HOURS
unsigned int nf_ct_tcp_timeout_established = 5 DAYS;
static const unsigned int tcp_timeouts[TCP_CONNTRACK_MAX] = {
	[TCP_CONNTRACK_SYN_SENT] = 2 MINS,
	[TCP_CONNTRACK_SYN_RECV] = 60 SECS,
	[TCP_CONNTRACK_ESTABLISHED] = 5 DAYS,
	[TCP_CONNTRACK_FIN_WAIT] = 2 MINS,
	[TCP_CONNTRACK_CLOSE_WAIT] = 60 SECS,
	[TCP_CONNTRACK_LAST_ACK] = 30 SECS,
	[TCP_CONNTRACK_TIME_WAIT] = 2 MINS,
	[TCP_CONNTRACK_CLOSE] = 10 SECS,
	[TCP_CONNTRACK_LISTEN] = 2 MINS,	/* SYN_SENT2 */
};

static bool tcp_pkt_to_tuple(const struct sk_buff *skb, unsigned int dataoff,
			     struct nf_conntrack_tuple *tuple)
{
	__be16 ports[2];

	if (skb_copy_bits(skb, (int)dataoff, ports, sizeof(ports)) < 0)
		return false;
	tuple->src.u.tcp.port = ports[0];
	tuple->dst.u.tcp.port = ports[1];
	return true;
}

static bool tcp_invert_tuple(struct nf_conntrack_tuple *tuple,
			     const struct nf_conntrack_tuple *orig)
{
	tuple->src.u.tcp.port = orig->dst.u.tcp.port;
	tuple->dst.u.tcp.port = orig->src.u.tcp.port;
	return true;
}

/* The flags byte; -1 if the header is truncated. */
static int tcp_flags(const struct sk_buff *skb, unsigned int dataoff)
{
	u8 flags;

	if (skb_copy_bits(skb, (int)dataoff + 13, &flags, 1) < 0)
		return -1;
	return flags;
}

static bool tcp_flags_valid(int f)
{
	if (f < 0)
		return false;
	f &= TH_FIN | TH_SYN | TH_RST | TH_ACK;
	if ((f & TH_SYN) && (f & (TH_FIN | TH_RST)))
		return false;
	return f != 0 && f != TH_FIN;	/* FIN without ACK is nonsense too */
}

static bool tcp_new(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff)
{
	int f = tcp_flags(skb, dataoff);

	if (!tcp_flags_valid(f) || (f & TH_RST))
		return false;
	if ((f & (TH_SYN | TH_ACK)) == TH_SYN) {
		ct->proto.tcp.state = TCP_CONNTRACK_NONE;	/* tcp_packet moves it */
		return true;
	}
	/* nf_conntrack_tcp_loose: picked up mid-stream (an ACK), as ESTABLISHED. */
	if (f & TH_ACK) {
		ct->proto.tcp.state = TCP_CONNTRACK_ESTABLISHED;
		return true;
	}
	return false;
}

static int tcp_packet(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff,
		      enum ip_conntrack_info ctinfo)
{
	int f = tcp_flags(skb, dataoff);
	unsigned int dir = ctinfo >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL;
	u8 old, new;

	if (!tcp_flags_valid(f))
		return -NF_ACCEPT;
	spin_lock_bh(&ct->lock);
	old = new = ct->proto.tcp.state;
	if (f & TH_RST) {
		new = TCP_CONNTRACK_CLOSE;
	} else if (f & TH_SYN) {
		if (!(f & TH_ACK)) {
			if (dir == IP_CT_DIR_ORIGINAL &&
			    (old == TCP_CONNTRACK_NONE || old == TCP_CONNTRACK_SYN_SENT ||
			     old == TCP_CONNTRACK_CLOSE || old == TCP_CONNTRACK_TIME_WAIT))
				new = TCP_CONNTRACK_SYN_SENT;
		} else if (dir == IP_CT_DIR_REPLY &&
			   (old == TCP_CONNTRACK_SYN_SENT || old == TCP_CONNTRACK_SYN_RECV)) {
			new = TCP_CONNTRACK_SYN_RECV;
		}
	} else if (f & TH_FIN) {
		ct->proto.tcp.seen_fin[dir] = 1;
		if (old == TCP_CONNTRACK_ESTABLISHED || old == TCP_CONNTRACK_SYN_RECV)
			new = TCP_CONNTRACK_FIN_WAIT;
		else if ((old == TCP_CONNTRACK_FIN_WAIT || old == TCP_CONNTRACK_CLOSE_WAIT) &&
			 ct->proto.tcp.seen_fin[!dir])
			new = TCP_CONNTRACK_LAST_ACK;
	} else if (f & TH_ACK) {
		if (old == TCP_CONNTRACK_SYN_RECV && dir == IP_CT_DIR_ORIGINAL)
			new = TCP_CONNTRACK_ESTABLISHED;
		else if (old == TCP_CONNTRACK_FIN_WAIT && !ct->proto.tcp.seen_fin[dir])
			new = TCP_CONNTRACK_CLOSE_WAIT;
		else if (old == TCP_CONNTRACK_LAST_ACK)
			new = TCP_CONNTRACK_TIME_WAIT;
	}
	ct->proto.tcp.state = new;
	ct->proto.tcp.last_dir = (u8)dir;
	spin_unlock_bh(&ct->lock);

	/* 3.10: assured once the handshake completed (an ACK after SYN_RECV) or when a
	 * picked-up connection sees both directions. */
	if (new == TCP_CONNTRACK_ESTABLISHED && old != new)
		ct->status |= IPS_ASSURED;
	else if (new == TCP_CONNTRACK_ESTABLISHED && (ct->status & IPS_SEEN_REPLY))
		ct->status |= IPS_ASSURED;
	nf_ct_refresh_acct(ct, ctinfo, skb, new == TCP_CONNTRACK_ESTABLISHED ?
			   nf_ct_tcp_timeout_established : tcp_timeouts[new]);
	return NF_ACCEPT;
}

static void tcp_print_conntrack(char *buf, size_t len, const struct nf_conn *ct)
{
	snprintf(buf, len, "%s ", tcp_conntrack_names[ct->proto.tcp.state]);
}

const struct nf_conntrack_l4proto nf_conntrack_l4proto_tcp4 = {
	.l4proto = IPPROTO_TCP,
	.name = "tcp",
	.pkt_to_tuple = tcp_pkt_to_tuple,
	.invert_tuple = tcp_invert_tuple,
	.packet = tcp_packet,
	.new = tcp_new,
	.print_conntrack = tcp_print_conntrack,
};
