/* SPDX-License-Identifier: MIT */
/* TCP tracking: the connection's state from the flags each direction sends, and the
 * sequence-space window each direction may use (a segment outside it is INVALID), with
 * 3.10's timeout per state (5 days once established, 5 minutes while data is
 * unacknowledged or after repeated retransmissions).
 * Mirrors linux/net/netfilter/nf_conntrack_proto_tcp.c (3.10): tcp_conntrack_names,
 * tcp_timeouts, tcp_conntracks[][][], get_conntrack_index, segment_seq_plus_len,
 * tcp_options, tcp_sack, tcp_in_window, tcp_valid_flags, tcp_error, tcp_packet, tcp_new,
 * tcp_pkt_to_tuple, tcp_invert_tuple, tcp_print_conntrack; the sysctls
 * nf_conntrack_tcp_loose (1), nf_conntrack_tcp_be_liberal (0),
 * nf_conntrack_tcp_max_retrans (3), nf_conntrack_tcp_timeout_*.
 *
 * The window rules (van Rooij's "Real Stateful TCP Packet Filtering", as 3.10 applies
 * them; per direction: td_end = highest seq + len sent, td_maxend = highest ack + window
 * the other side allowed, td_maxwin = largest window (scaled) the sender advertised):
 *   I.   seq <= sender.td_maxend                            (not beyond the window)
 *   II.  seq + len >= sender.td_end - receiver.td_maxwin     (not too old)
 *   III. ack <= receiver.td_end                             (no ACK of unsent data)
 *   IV.  ack >= receiver.td_end - max(sender.td_maxwin, 66000)  (not too stale)
 * where ack is the highest SACK right edge when SACK is on.
 *
 * DIVERGES: the sysctls are global, not per namespace; no NAT sequence adjustment (no
 * helpers change payload lengths); out-of-window segments are not logged
 * (nf_conntrack_log_invalid).
 * Context: the hook's; ct->lock guards ct->proto.tcp. */
#include "linux/in.h"
#include "net/tcp.h"
#include "uapi/linux/tcp.h"
#include "net/netfilter/nf_conntrack.h"
#include "net/ipv4/netfilter/ip_tables.h"

static const char *const tcp_conntrack_names[] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK",
	"TIME_WAIT", "CLOSE", "SYN_SENT2",
};

/* Be conservative in what you do, be liberal in what you accept from others: 1 marks
 * only out-of-window RSTs INVALID. */
int nf_ct_tcp_be_liberal;
/* 0: do not pick up connections seen mid-stream. */
int nf_ct_tcp_loose = 1;
/* Retransmissions without an acceptable ACK before the shorter RETRANS timeout. */
int nf_ct_tcp_max_retrans = 3;

#define SECS * HZ
#define MINS * 60 SECS
#define HOURS * 60 MINS
#define DAYS * 24 HOURS
unsigned int nf_ct_tcp_timeouts[TCP_CONNTRACK_TIMEOUT_MAX] = {
	[TCP_CONNTRACK_SYN_SENT] = 2 MINS,
	[TCP_CONNTRACK_SYN_RECV] = 60 SECS,
	[TCP_CONNTRACK_ESTABLISHED] = 5 DAYS,
	[TCP_CONNTRACK_FIN_WAIT] = 2 MINS,
	[TCP_CONNTRACK_CLOSE_WAIT] = 60 SECS,
	[TCP_CONNTRACK_LAST_ACK] = 30 SECS,
	[TCP_CONNTRACK_TIME_WAIT] = 2 MINS,
	[TCP_CONNTRACK_CLOSE] = 10 SECS,
	[TCP_CONNTRACK_SYN_SENT2] = 2 MINS,
	/* RFC 1122's R2 is at least 100 s; Linux gives up after 15 retransmissions. */
	[TCP_CONNTRACK_RETRANS] = 5 MINS,
	[TCP_CONNTRACK_UNACK] = 5 MINS,
};

/* Back to 3.10's defaults (a new stack after sysctl -w). */
void nf_ct_tcp_reset_sysctls(void)
{
	static const unsigned int defaults[TCP_CONNTRACK_TIMEOUT_MAX] = {
		[TCP_CONNTRACK_SYN_SENT] = 2 MINS, [TCP_CONNTRACK_SYN_RECV] = 60 SECS,
		[TCP_CONNTRACK_ESTABLISHED] = 5 DAYS, [TCP_CONNTRACK_FIN_WAIT] = 2 MINS,
		[TCP_CONNTRACK_CLOSE_WAIT] = 60 SECS, [TCP_CONNTRACK_LAST_ACK] = 30 SECS,
		[TCP_CONNTRACK_TIME_WAIT] = 2 MINS, [TCP_CONNTRACK_CLOSE] = 10 SECS,
		[TCP_CONNTRACK_SYN_SENT2] = 2 MINS, [TCP_CONNTRACK_RETRANS] = 5 MINS,
		[TCP_CONNTRACK_UNACK] = 5 MINS,
	};

	memcpy(nf_ct_tcp_timeouts, defaults, sizeof(defaults));
	nf_ct_tcp_be_liberal = 0;
	nf_ct_tcp_loose = 1;
	nf_ct_tcp_max_retrans = 3;
}

#define sNO TCP_CONNTRACK_NONE
#define sSS TCP_CONNTRACK_SYN_SENT
#define sSR TCP_CONNTRACK_SYN_RECV
#define sES TCP_CONNTRACK_ESTABLISHED
#define sFW TCP_CONNTRACK_FIN_WAIT
#define sCW TCP_CONNTRACK_CLOSE_WAIT
#define sLA TCP_CONNTRACK_LAST_ACK
#define sTW TCP_CONNTRACK_TIME_WAIT
#define sCL TCP_CONNTRACK_CLOSE
#define sS2 TCP_CONNTRACK_SYN_SENT2
#define sIV TCP_CONNTRACK_MAX
#define sIG TCP_CONNTRACK_IGNORE

/* Which of RST/SYN/FIN/ACK a segment carries (its row in the table). */
enum tcp_bit_set {
	TCP_SYN_SET,
	TCP_SYNACK_SET,
	TCP_FIN_SET,
	TCP_ACK_SET,
	TCP_RST_SET,
	TCP_NONE_SET,
};

/* The state transitions, [direction][flags class][old state] -> new state, as 3.10.
 * Conntrack sits in the middle and guesses each end's state from what passes: sIV is
 * INVALID (the packet goes on untracked), sIG is let through without changing the state
 * (our view may be out of date: a SYN in ESTABLISHED, a retransmitted SYN/ACK, an ACK
 * answering a SYN we did not see). Columns: sNO sSS sSR sES sFW sCW sLA sTW sCL sS2. */
static const u8 tcp_conntracks[2][6][TCP_CONNTRACK_MAX] = {
	{	/* ORIGINAL */
		/* syn: new, retransmitted, or reopening after TIME_WAIT/CLOSE */
		{ sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2 },
		/* synack: only in simultaneous open */
		{ sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR },
		/* fin */
		{ sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV },
		/* ack: sNO -> sES is the mid-stream pickup */
		{ sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV },
		/* rst */
		{ sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
		/* none */
		{ sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV },
	},
	{	/* REPLY */
		/* syn: simultaneous open */
		{ sIV, sS2, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sS2 },
		/* synack: the standard open; later ones are retransmissions */
		{ sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR },
		/* fin */
		{ sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV },
		/* ack: in sSS maybe a half-open connection */
		{ sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG },
		/* rst */
		{ sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
		/* none */
		{ sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV },
	},
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

static unsigned int get_conntrack_index(const struct tcphdr *th)
{
	if (th->rst)
		return TCP_RST_SET;
	if (th->syn)
		return th->ack ? TCP_SYNACK_SET : TCP_SYN_SET;
	if (th->fin)
		return TCP_FIN_SET;
	if (th->ack)
		return TCP_ACK_SET;
	return TCP_NONE_SET;
}

/* The sequence number after the segment: SYN and FIN count one each. */
static u32 segment_seq_plus_len(u32 seq, unsigned int len, unsigned int dataoff,
				const struct tcphdr *th)
{
	return seq + len - dataoff - th->doff * 4u + (th->syn ? 1 : 0) + (th->fin ? 1 : 0);
}

/* The lower bound of IV, for big windows. */
#define MAXACKWINCONST 66000
#define MAXACKWINDOW(sender) \
	((sender)->td_maxwin > MAXACKWINCONST ? (sender)->td_maxwin : MAXACKWINCONST)

/* The options of @th (dataoff), copied out of @skb: NULL without any. */
static const u8 *tcp_opts(const struct sk_buff *skb, unsigned int dataoff,
			  const struct tcphdr *th, u8 *buf, int *length)
{
	*length = th->doff * 4 - (int)sizeof(struct tcphdr);
	if (*length <= 0 ||
	    skb_copy_bits(skb, (int)(dataoff + sizeof(struct tcphdr)), buf, *length) < 0)
		return NULL;
	return buf;
}

/* A SYN's window scale and SACK-permitted options into @state (tcp_options). */
static void tcp_options(const struct sk_buff *skb, unsigned int dataoff,
			const struct tcphdr *th, struct ip_ct_tcp_state *state)
{
	u8 buf[15 * 4 - sizeof(struct tcphdr)];
	const u8 *ptr;
	int length;

	ptr = tcp_opts(skb, dataoff, th, buf, &length);
	if (!ptr)
		return;
	state->td_scale = 0;
	state->flags = 0;
	while (length > 0) {
		int opcode = *ptr++, opsize;

		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return;		/* silly or partial option */
		if (opcode == TCPOPT_SACK_PERM && opsize == TCPOLEN_SACK_PERM) {
			state->flags |= IP_CT_TCP_FLAG_SACK_PERM;
		} else if (opcode == TCPOPT_WINDOW && opsize == TCPOLEN_WINDOW) {
			/* RFC 1323: at most 14. */
			state->td_scale = *ptr > 14 ? 14 : *ptr;
			state->flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
		}
		ptr += opsize - 2;
		length -= opsize;
	}
}

/* The highest right edge of the SACK blocks of @th, if above *@sack (tcp_sack). */
static void tcp_sack(const struct sk_buff *skb, unsigned int dataoff,
		     const struct tcphdr *th, u32 *sack)
{
	u8 buf[15 * 4 - sizeof(struct tcphdr)];
	const u8 *ptr;
	int length;

	ptr = tcp_opts(skb, dataoff, th, buf, &length);
	if (!ptr)
		return;
	/* The common case: timestamps only. */
	if (length == TCPOLEN_TSTAMP_ALIGNED && ptr[0] == TCPOPT_NOP && ptr[1] == TCPOPT_NOP &&
	    ptr[2] == TCPOPT_TIMESTAMP && ptr[3] == TCPOLEN_TIMESTAMP)
		return;
	while (length > 0) {
		int opcode = *ptr++, opsize, i;

		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return;
		if (opcode == TCPOPT_SACK && opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
		    !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)) {
			for (i = 0; i < opsize - TCPOLEN_SACK_BASE; i += TCPOLEN_SACK_PERBLOCK) {
				const u8 *e = ptr + i + 4;	/* the block's right edge */
				u32 tmp = ((u32)e[0] << 24) | ((u32)e[1] << 16) |
					  ((u32)e[2] << 8) | e[3];

				if (after(tmp, *sack))
					*sack = tmp;
			}
			return;
		}
		ptr += opsize - 2;
		length -= opsize;
	}
}

/* Is the segment within the windows the two ends allowed (rules I-IV above)? Updates
 * the sender's and receiver's window data, and counts retransmitted ACKs.
 * Context: ct->lock held. */
static bool tcp_in_window(struct ip_ct_tcp *state, enum ip_conntrack_dir dir,
			  unsigned int index, const struct sk_buff *skb, unsigned int dataoff,
			  const struct tcphdr *th)
{
	struct ip_ct_tcp_state *sender = &state->seen[dir];
	struct ip_ct_tcp_state *receiver = &state->seen[!dir];
	u32 seq, ack, sack, end, win, swin;

	seq = ntohl(th->seq);
	ack = sack = ntohl(th->ack_seq);
	win = ntohs(th->window);
	end = segment_seq_plus_len(seq, skb->len, dataoff, th);
	if (receiver->flags & IP_CT_TCP_FLAG_SACK_PERM)
		tcp_sack(skb, dataoff, th, &sack);

	if (sender->td_maxwin == 0) {
		/* First segment of this direction. */
		if (th->syn) {
			/* A SYN/ACK answering the SYN, or a SYN of a simultaneous open. */
			sender->td_end = sender->td_maxend = end;
			sender->td_maxwin = win == 0 ? 1 : win;
			tcp_options(skb, dataoff, th, sender);
			/* RFC 1323: scaling only when both sides offered it. */
			if (!(sender->flags & IP_CT_TCP_FLAG_WINDOW_SCALE &&
			      receiver->flags & IP_CT_TCP_FLAG_WINDOW_SCALE))
				sender->td_scale = receiver->td_scale = 0;
			if (!th->ack)
				return true;	/* simultaneous open */
		} else {
			/* Mid-stream: take what the segment says. */
			sender->td_end = end;
			swin = win << sender->td_scale;
			sender->td_maxwin = swin == 0 ? 1 : swin;
			sender->td_maxend = end + sender->td_maxwin;
			/* Nothing seen the other way yet: let III and IV pass until then. */
			if (receiver->td_maxwin == 0)
				receiver->td_end = receiver->td_maxend = sack;
		}
	} else if (((state->state == TCP_CONNTRACK_SYN_SENT && dir == IP_CT_DIR_ORIGINAL) ||
		    (state->state == TCP_CONNTRACK_SYN_RECV && dir == IP_CT_DIR_REPLY)) &&
		   after(end, sender->td_end)) {
		/* RFC 793: a reinitialised TCP need only use higher sequence numbers. */
		sender->td_end = sender->td_maxend = end;
		sender->td_maxwin = win == 0 ? 1 : win;
		tcp_options(skb, dataoff, th, sender);
	}

	if (!th->ack) {
		/* No ACK: as if it acknowledged everything. */
		ack = sack = receiver->td_end;
	} else if (th->rst && ack == 0) {
		/* Broken stacks set ACK with a zero ack in RSTs. */
		ack = sack = receiver->td_end;
	}
	if (th->rst && seq == 0 && state->state == TCP_CONNTRACK_SYN_SENT)
		/* A RST answering the SYN. */
		seq = end = sender->td_end;

	if (before(seq, sender->td_maxend + 1) &&
	    after(end, sender->td_end - receiver->td_maxwin - 1) &&
	    before(sack, receiver->td_end + 1) &&
	    after(sack, receiver->td_end - MAXACKWINDOW(sender) - 1)) {
		/* RFC 1323: a SYN's window is never scaled. */
		if (!th->syn)
			win <<= sender->td_scale;
		/* The sender. */
		swin = win + (sack - ack);
		if (sender->td_maxwin < swin)
			sender->td_maxwin = swin;
		if (after(end, sender->td_end)) {
			sender->td_end = end;
			sender->flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
		}
		if (th->ack) {
			if (!(sender->flags & IP_CT_TCP_FLAG_MAXACK_SET)) {
				sender->td_maxack = ack;
				sender->flags |= IP_CT_TCP_FLAG_MAXACK_SET;
			} else if (after(ack, sender->td_maxack)) {
				sender->td_maxack = ack;
			}
		}
		/* The receiver. */
		if (receiver->td_maxwin != 0 && after(end, sender->td_maxend))
			receiver->td_maxwin += end - sender->td_maxend;
		if (after(sack + win, receiver->td_maxend - 1)) {
			receiver->td_maxend = sack + win;
			if (win == 0)
				receiver->td_maxend++;
		}
		if (ack == receiver->td_end)
			receiver->flags &= ~IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
		/* The same ACK again and again: retransmissions. */
		if (index == TCP_ACK_SET) {
			if (state->last_dir == dir && state->last_seq == seq &&
			    state->last_ack == ack && state->last_end == end &&
			    state->last_win == win) {
				state->retrans++;
			} else {
				state->last_dir = (u8)dir;
				state->last_seq = seq;
				state->last_ack = ack;
				state->last_end = end;
				state->last_win = (u16)win;
				state->retrans = 0;
			}
		}
		return true;
	}
	/* Out of window ("SEQ is over the upper bound", "ACK is under the lower bound"...):
	 * INVALID unless liberal. */
	return (sender->flags & IP_CT_TCP_FLAG_BE_LIBERAL) || nf_ct_tcp_be_liberal;
}

/* The flag combinations that make sense (PSH, ECE and CWR go with any). */
static const u8 tcp_valid_flags[(TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK |
				 TCPHDR_URG) + 1] = {
	[TCPHDR_SYN] = 1,
	[TCPHDR_SYN | TCPHDR_URG] = 1,
	[TCPHDR_SYN | TCPHDR_ACK] = 1,
	[TCPHDR_RST] = 1,
	[TCPHDR_RST | TCPHDR_ACK] = 1,
	[TCPHDR_FIN | TCPHDR_ACK] = 1,
	[TCPHDR_FIN | TCPHDR_ACK | TCPHDR_URG] = 1,
	[TCPHDR_ACK] = 1,
	[TCPHDR_ACK | TCPHDR_URG] = 1,
};

/* net.netfilter.nf_conntrack_checksum (1): verify checksums of what arrives. */
int nf_conntrack_checksum = 1;

/* Broken packets are INVALID: short or malformed headers, a bad checksum (on arrival
 * only: what we send is ours), nonsense flags. 0 or -NF_ACCEPT. */
static int tcp_error(struct net *net, struct sk_buff *skb, unsigned int dataoff,
		     enum ip_conntrack_info *ctinfo, unsigned int hooknum)
{
	unsigned int tcplen = skb->len - dataoff;
	struct tcphdr th;
	u8 tcpflags;

	(void)net;
	(void)ctinfo;
	if (skb_copy_bits(skb, (int)dataoff, &th, sizeof(th)) < 0)
		return -NF_ACCEPT;	/* short packet */
	if (th.doff * 4u < sizeof(th) || tcplen < th.doff * 4u)
		return -NF_ACCEPT;	/* truncated/malformed packet */
	if (nf_conntrack_checksum && hooknum == NF_INET_PRE_ROUTING &&
	    nf_ip_checksum(skb, hooknum, dataoff, IPPROTO_TCP))
		return -NF_ACCEPT;	/* bad TCP checksum */
	tcpflags = ((const u8 *)&th)[13] & ~(TCPHDR_ECE | TCPHDR_CWR | TCPHDR_PSH);
	if (!tcp_valid_flags[tcpflags])
		return -NF_ACCEPT;	/* invalid TCP flag combination */
	return NF_ACCEPT;
}

/* A SYN seen while ignored: its options, for when the SYN/ACK shows we were wrong. */
static void tcp_note_ignored(struct nf_conn *ct, unsigned int index, enum ip_conntrack_dir dir,
			     const struct sk_buff *skb, unsigned int dataoff,
			     const struct tcphdr *th)
{
	struct ip_ct_tcp *t = &ct->proto.tcp;

	t->last_index = (u8)index;
	t->last_dir = (u8)dir;
	t->last_seq = ntohl(th->seq);
	t->last_end = segment_seq_plus_len(ntohl(th->seq), skb->len, dataoff, th);
	t->last_win = ntohs(th->window);
	if (index == TCP_SYN_SET && dir == IP_CT_DIR_ORIGINAL) {
		struct ip_ct_tcp_state seen = { 0 };

		t->last_flags = t->last_wscale = 0;
		tcp_options(skb, dataoff, th, &seen);
		if (seen.flags & IP_CT_TCP_FLAG_WINDOW_SCALE) {
			t->last_flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
			t->last_wscale = seen.td_scale;
		}
		if (seen.flags & IP_CT_TCP_FLAG_SACK_PERM)
			t->last_flags |= IP_CT_TCP_FLAG_SACK_PERM;
	}
}

/* A packet of @ct: the new state, the window check, the timeout. */
static int tcp_packet(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff,
		      enum ip_conntrack_info ctinfo)
{
	enum ip_conntrack_dir dir = ctinfo >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY :
							       IP_CT_DIR_ORIGINAL;
	const unsigned int *timeouts = nf_ct_tcp_timeouts;
	struct ip_ct_tcp *t = &ct->proto.tcp;
	unsigned int index, old_state, new_state;
	unsigned long timeout;
	struct tcphdr th;

	if (skb_copy_bits(skb, (int)dataoff, &th, sizeof(th)) < 0)
		return -NF_ACCEPT;
	spin_lock_bh(&ct->lock);
	old_state = t->state;
	index = get_conntrack_index(&th);
	new_state = tcp_conntracks[dir][index][old_state];

	switch (new_state) {
	case TCP_CONNTRACK_SYN_SENT:
		if (old_state < TCP_CONNTRACK_TIME_WAIT)
			break;
		/* RFC 1122: a SYN may reopen a connection in TIME_WAIT; and a client may
		 * abort a connection and start anew. If either side closed first, or this
		 * side's last word was a RST, forget the old connection and look again. */
		if (((t->seen[dir].flags | t->seen[!dir].flags) & IP_CT_TCP_FLAG_CLOSE_INIT) ||
		    (t->last_dir == dir && t->last_index == TCP_RST_SET)) {
			spin_unlock_bh(&ct->lock);
			/* Only if we can remove the timer (it may be dying already). */
			if (nf_ct_kill(ct))
				return -NF_REPEAT;
			return -NF_DROP;
		}
		/* fall through */
	case TCP_CONNTRACK_IGNORE:
		/* Our entry may be out of sync with the ends (a SYN in ORIGINAL, a SYN/ACK
		 * in REPLY, an ACK in REPLY after the first SYN): let it pass unchanged. If
		 * this SYN/ACK answers a SYN we ignored, the ends are in sync and we were
		 * not: start over from the noted SYN. */
		if (index == TCP_SYNACK_SET && t->last_index == TCP_SYN_SET &&
		    t->last_dir != dir && ntohl(th.ack_seq) == t->last_end) {
			struct ip_ct_tcp_state *s = &t->seen[t->last_dir];

			old_state = TCP_CONNTRACK_SYN_SENT;
			new_state = TCP_CONNTRACK_SYN_RECV;
			s->td_end = s->td_maxend = t->last_end;
			s->td_maxwin = t->last_win == 0 ? 1 : t->last_win;
			s->td_scale = t->last_wscale;
			s->flags = t->last_flags;
			memset(&t->seen[dir], 0, sizeof(t->seen[dir]));
			break;
		}
		tcp_note_ignored(ct, index, dir, skb, dataoff, &th);
		spin_unlock_bh(&ct->lock);
		return NF_ACCEPT;
	case TCP_CONNTRACK_MAX:
		/* Invalid for the state we are in. */
		spin_unlock_bh(&ct->lock);
		return -NF_ACCEPT;
	case TCP_CONNTRACK_CLOSE:
		if (index == TCP_RST_SET && (t->seen[!dir].flags & IP_CT_TCP_FLAG_MAXACK_SET) &&
		    before(ntohl(th.seq), t->seen[!dir].td_maxack)) {
			/* A RST below what the other side acknowledged: invalid. */
			spin_unlock_bh(&ct->lock);
			return -NF_ACCEPT;
		}
		if (index == TCP_RST_SET &&
		    (((ct->status & IPS_SEEN_REPLY) && t->last_index == TCP_SYN_SET) ||
		     (!(ct->status & IPS_ASSURED) && t->last_index == TCP_ACK_SET)) &&
		    ntohl(th.ack_seq) == t->last_end)
			/* The RST answering a SYN or ACK we let through while out of sync:
			 * it may acknowledge what we ignored, so skip the window check. */
			goto in_window;
		break;
	default:
		break;
	}

	if (!tcp_in_window(t, dir, index, skb, dataoff, &th)) {
		spin_unlock_bh(&ct->lock);
		return -NF_ACCEPT;
	}
in_window:
	t->last_index = (u8)index;
	t->last_dir = (u8)dir;
	t->state = (u8)new_state;
	if (old_state != new_state && new_state == TCP_CONNTRACK_FIN_WAIT)
		t->seen[dir].flags |= IP_CT_TCP_FLAG_CLOSE_INIT;

	if (t->retrans >= nf_ct_tcp_max_retrans &&
	    timeouts[new_state] > timeouts[TCP_CONNTRACK_RETRANS])
		timeout = timeouts[TCP_CONNTRACK_RETRANS];
	else if (((t->seen[0].flags | t->seen[1].flags) & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED) &&
		 timeouts[new_state] > timeouts[TCP_CONNTRACK_UNACK])
		timeout = timeouts[TCP_CONNTRACK_UNACK];
	else
		timeout = timeouts[new_state];
	spin_unlock_bh(&ct->lock);

	if (!(ct->status & IPS_SEEN_REPLY)) {
		/* A RST as the only answer: no connection ever was; forget it now. */
		if (th.rst) {
			nf_ct_kill(ct);
			return NF_ACCEPT;
		}
		/* Picked up mid-stream, no answer yet: not the 5-day timeout. */
		if (new_state == TCP_CONNTRACK_ESTABLISHED &&
		    timeout > timeouts[TCP_CONNTRACK_UNACK])
			timeout = timeouts[TCP_CONNTRACK_UNACK];
	} else if (!(ct->status & IPS_ASSURED) &&
		   (old_state == TCP_CONNTRACK_SYN_RECV ||
		    old_state == TCP_CONNTRACK_ESTABLISHED) &&
		   new_state == TCP_CONNTRACK_ESTABLISHED) {
		/* The handshake's last ACK, or an answer on a picked-up connection. */
		ct->status |= IPS_ASSURED;
	}
	nf_ct_refresh_acct(ct, ctinfo, skb, timeout);
	return NF_ACCEPT;
}

/* May @skb open a connection? A SYN starts one; with nf_conntrack_tcp_loose, any other
 * valid segment picks one up mid-stream (liberal windows: we missed its options). */
static bool tcp_new(struct nf_conn *ct, const struct sk_buff *skb, unsigned int dataoff)
{
	struct ip_ct_tcp *t = &ct->proto.tcp;
	struct ip_ct_tcp_state *s = &t->seen[0];
	unsigned int new_state;
	struct tcphdr th;

	if (skb_copy_bits(skb, (int)dataoff, &th, sizeof(th)) < 0)
		return false;
	new_state = tcp_conntracks[0][get_conntrack_index(&th)][TCP_CONNTRACK_NONE];
	if (new_state >= TCP_CONNTRACK_MAX)
		return false;
	if (new_state != TCP_CONNTRACK_SYN_SENT && !nf_ct_tcp_loose)
		return false;
	memset(t, 0, sizeof(*t));
	s->td_end = segment_seq_plus_len(ntohl(th.seq), skb->len, dataoff, &th);
	s->td_maxwin = ntohs(th.window) ? ntohs(th.window) : 1;
	if (new_state == TCP_CONNTRACK_SYN_SENT) {
		s->td_maxend = s->td_end;
		tcp_options(skb, dataoff, &th, s);
	} else {
		s->td_maxend = s->td_end + s->td_maxwin;
		/* Options unknown: assume SACK and check windows liberally. */
		t->seen[0].flags = t->seen[1].flags =
			IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL;
	}
	/* tcp_packet sets them. */
	t->last_index = TCP_NONE_SET;
	return true;
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
	.error = tcp_error,
	.print_conntrack = tcp_print_conntrack,
};
