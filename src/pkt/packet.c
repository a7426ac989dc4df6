/* SPDX-License-Identifier: MIT */
/* Packets of a .pkt script: build inbound ones as IPv4 datagrams with correct checksums, and
 * match the stack's outbound datagrams against the script, checking only what it writes.
 * Mirrors no kernel file: the sequence/ISN and timestamp mapping follows packetdrill's
 * documented behaviour (relative numbers in scripts, absolute on the wire). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include "pkt/pkt.h"

/* ---- ICMP names (as packetdrill scripts write them) ---- */

static const char *const icmp_type_names[] = {
	[0] = "echo_reply",		[3] = "unreachable",
	[4] = "source_quench",		[5] = "redirect",
	[8] = "echo_request",		[11] = "time_exceeded",
	[12] = "parameter_problem",	[13] = "timestamp_request",
	[14] = "timestamp_reply",	[15] = "information_request",
	[16] = "information_reply",	[17] = "address_mask_request",
	[18] = "address_mask_reply",
};

static const char *const unreach_code_names[] = {
	"net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable",
	"frag_needed", "source_route_failed", "net_unknown", "host_unknown",
	"source_host_isolated", "net_prohibited", "host_prohibited", "net_unreachable_for_tos",
	"host_unreachable_for_tos", "packet_filtered", "precedence_violation",
	"precedence_cutoff",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "type_N"/"code_N" with N in 0..255. */
static int numbered(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p;
	int v = 0;

	if (strncmp(name, prefix, n) || !name[n])
		return -1;
	for (p = name + n; *p; p++) {
		if (*p < '0' || *p > '9' || p - (name + n) >= 3)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= 255 ? v : -1;
}

int pkt_icmp_type_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(icmp_type_names); i++)
		if (icmp_type_names[i] && !strcmp(icmp_type_names[i], name))
			return (int)i;
	return numbered(name, "type_");
}

int pkt_icmp_code_from_name(int type, const char *name)
{
	size_t i;

	if (type == 3)
		for (i = 0; i < ARRAY_LEN(unreach_code_names); i++)
			if (!strcmp(unreach_code_names[i], name))
				return (int)i;
	return numbered(name, "code_");
}

/* ---- Wire helpers (host order in, big-endian bytes out; nothing swapped in place) ---- */

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 793 3.1 / RFC 768: the pseudo-header sum of a TCP or UDP segment. */
static uint32_t pseudo_sum(uint32_t saddr, uint32_t daddr, uint8_t proto, size_t len)
{
	return (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) + (daddr & 0xffff) + proto +
	       (uint32_t)len;
}

static int errf(char *why, size_t whylen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int errf(char *why, size_t whylen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* ---- Connections ---- */

static struct pkt_conn *flow_conn(const struct pkt_flow *fl, uint16_t rport)
{
	int i;

	for (i = 0; i < fl->nconns; i++)
		if (fl->conns[i].remote_port == rport)
			return (struct pkt_conn *)&fl->conns[i];
	return NULL;
}

uint32_t pkt_flow_isn(const struct pkt_flow *fl, uint16_t rport)
{
	const struct pkt_conn *c = flow_conn(fl, rport);

	return c && c->known ? c->local_isn : fl->local_isn;
}

void pkt_flow_new_conn(struct pkt_flow *fl, uint16_t rport)
{
	struct pkt_conn *c = flow_conn(fl, rport);

	if (!c) {
		if (fl->nconns >= PKT_MAX_CONNS) {
			/* Forget the oldest: scripts use a handful of ports. */
			memmove(&fl->conns[0], &fl->conns[1],
				sizeof(fl->conns[0]) * (PKT_MAX_CONNS - 1));
			fl->nconns--;
		}
		c = &fl->conns[fl->nconns++];
		c->remote_port = rport;
	}
	c->known = false;
}

/* The stack's SYN or SYN-ACK to @rport carries its ISN for that connection. */
static void flow_learn_isn(struct pkt_flow *fl, uint16_t rport, uint32_t isn)
{
	struct pkt_conn *c = flow_conn(fl, rport);

	if (!c) {
		pkt_flow_new_conn(fl, rport);
		c = flow_conn(fl, rport);
	}
	c->known = true;
	c->local_isn = isn;
	fl->local_isn = isn;
	fl->local_isn_known = true;
}

static bool flow_isn_needed(const struct pkt_flow *fl, uint16_t rport)
{
	const struct pkt_conn *c = flow_conn(fl, rport);

	return c ? !c->known : !fl->local_isn_known;
}

/* ---- TCP options ---- */

/* Encode the script's option list; returns the length (unpadded) or -1 if over 40 bytes.
 * Inbound SACK blocks acknowledge the stack's data (relative to its ISN); inbound TS ecr
 * echoes the stack's clock (mapped through the learnt offset). */
static int encode_tcp_options(const struct pkt_packet *p, const struct pkt_flow *fl,
			      uint8_t *o, bool inbound, uint32_t local_isn)
{
	int i, j, n = 0;

	for (i = 0; i < p->nopts; i++) {
		const struct pkt_tcpopt *opt = &p->opts[i];
		int need;

		switch (opt->kind) {
		case PKT_OPT_EOL: need = 1; break;
		case PKT_OPT_NOP: need = 1; break;
		case PKT_OPT_MSS: need = 4; break;
		case PKT_OPT_WSCALE: need = 3; break;
		case PKT_OPT_SACKOK: need = 2; break;
		case PKT_OPT_SACK: need = 2 + 8 * opt->nblocks; break;
		case PKT_OPT_TS: need = 10; break;
		case PKT_OPT_MD5: need = 18; break;
		case PKT_OPT_FASTOPEN: need = 2 + opt->cookie_len; break;
		default: need = 4 + opt->cookie_len; break;	/* FOEXP: kind 254, magic */
		}
		if (n + need > 40)
			return -1;
		switch (opt->kind) {
		case PKT_OPT_EOL:
			o[n] = 0;
			break;
		case PKT_OPT_NOP:
			o[n] = 1;
			break;
		case PKT_OPT_MSS:
			o[n] = 2, o[n + 1] = 4;
			put16(o + n + 2, opt->val);
			break;
		case PKT_OPT_WSCALE:
			o[n] = 3, o[n + 1] = 3, o[n + 2] = (uint8_t)opt->val;
			break;
		case PKT_OPT_SACKOK:
			o[n] = 4, o[n + 1] = 2;
			break;
		case PKT_OPT_SACK:
			o[n] = 5, o[n + 1] = (uint8_t)need;
			for (j = 0; j < opt->nblocks; j++) {
				uint32_t base = inbound ? local_isn : fl->remote_isn;

				put32(o + n + 2 + 8 * j, base + opt->sack[j][0]);
				put32(o + n + 6 + 8 * j, base + opt->sack[j][1]);
			}
			break;
		case PKT_OPT_TS:
			o[n] = 8, o[n + 1] = 10;
			put32(o + n + 2, opt->val);
			put32(o + n + 6, inbound && opt->ecr && fl->ts_offset_known ?
					 opt->ecr + fl->local_ts_offset : opt->ecr);
			break;
		case PKT_OPT_MD5:
			o[n] = 19, o[n + 1] = 18;
			memset(o + n + 2, 0, 16);
			memcpy(o + n + 2, opt->cookie, opt->cookie_len);
			break;
		case PKT_OPT_FASTOPEN:
			o[n] = 34, o[n + 1] = (uint8_t)need;
			memcpy(o + n + 2, opt->cookie, opt->cookie_len);
			break;
		case PKT_OPT_FASTOPEN_EXP:
			o[n] = 254, o[n + 1] = (uint8_t)need;
			put16(o + n + 2, 0xf989);	/* RFC 7413 experimental magic */
			memcpy(o + n + 4, opt->cookie, opt->cookie_len);
			break;
		}
		n += need;
	}
	return n;
}

/* ---- Build ---- */

static size_t build_ip_header(uint8_t *ip, const struct pkt_packet *p, uint32_t saddr,
			      uint32_t daddr, uint8_t proto, size_t tot_len)
{
	int tos = p->tos >= 0 ? p->tos : 0;

	if (p->ecn >= 0)
		tos = (tos & ~3) | (p->ecn == 4 ? 2 : p->ecn);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[1] = (uint8_t)tos;
	put16(ip + 2, (uint32_t)tot_len);
	put16(ip + 6, 0x4000);	/* DF, as a PMTU-discovering peer sends */
	ip[8] = (uint8_t)(p->ttl >= 0 ? p->ttl : 64);
	ip[9] = proto;
	put32(ip + 12, saddr);
	put32(ip + 16, daddr);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	return 20;
}

static int build_tcp(const struct pkt_packet *p, const struct pkt_flow *fl, uint8_t *buf,
		     size_t size, char *why, size_t whylen)
{
	uint8_t opts[40];
	int olen = 0, thlen;
	size_t tot;
	uint8_t *th;
	uint16_t rport = p->has_ports ? p->sport : fl->remote_port;
	uint32_t isn = pkt_flow_isn(fl, rport);

	if (p->opts_kind == PKT_OPTS_ANY)
		return errf(why, whylen, -EINVAL, "an inbound packet cannot have <...> options");
	if (p->opts_kind == PKT_OPTS_LIST) {
		olen = encode_tcp_options(p, fl, opts, true, isn);
		if (olen < 0)
			return errf(why, whylen, -EINVAL, "TCP options longer than 40 bytes");
	}
	if (p->seq_end - p->seq_start != p->seq_len)
		return errf(why, whylen, -EINVAL, "sequence range %" PRIu32 ":%" PRIu32
			    " does not hold %" PRIu32 " bytes", p->seq_start, p->seq_end,
			    p->seq_len);
	/* An ACK before the stack sent any SYN (to a listener, a closed port) acknowledges
	 * the script's number as written: the unknown ISN counts as 0. */
	thlen = 20 + ((olen + 3) & ~3);
	tot = 20 + thlen + (size_t)p->seq_len;
	if (tot > size || tot > 0xffff)
		return errf(why, whylen, -ENOSPC, "packet of %zu bytes too large", tot);
	memset(buf, 0, tot);
	th = buf + 20;
	put16(th, p->has_ports ? p->sport : fl->remote_port);
	put16(th + 2, p->has_ports ? p->dport : fl->local_port);
	put32(th + 4, fl->remote_isn + p->seq_start);
	if (p->has_ack)
		put32(th + 8, isn + p->ack);
	th[12] = (uint8_t)((thlen / 4) << 4);
	th[13] = p->flags;
	put16(th + 14, p->has_win ? p->win : 0);
	if (p->has_urg)
		put16(th + 18, p->urg);
	memcpy(th + 20, opts, olen);	/* the pad stays 0 (EOL) */
	put16(th + 16, csum_fold(csum_add(pseudo_sum(fl->remote_ip, fl->local_ip, 6,
						     tot - 20), th, tot - 20)));
	build_ip_header(buf, p, fl->remote_ip, fl->local_ip, 6, tot);
	return (int)tot;
}

static int build_udp(const struct pkt_packet *p, const struct pkt_flow *fl, uint8_t *buf,
		     size_t size, char *why, size_t whylen)
{
	size_t tot = 20 + 8 + (size_t)p->udp_len;
	uint8_t *uh = buf + 20;
	uint16_t sum;

	if (tot > size || tot > 0xffff)
		return errf(why, whylen, -ENOSPC, "packet of %zu bytes too large", tot);
	memset(buf, 0, tot);
	put16(uh, p->has_ports ? p->sport : fl->remote_port);
	put16(uh + 2, p->has_ports ? p->dport : fl->local_port);
	put16(uh + 4, (uint32_t)(tot - 20));
	sum = csum_fold(csum_add(pseudo_sum(fl->remote_ip, fl->local_ip, 17, tot - 20), uh,
				 tot - 20));
	put16(uh + 6, sum ? sum : 0xffff);	/* RFC 768: 0 means "no checksum" */
	build_ip_header(buf, p, fl->remote_ip, fl->local_ip, 17, tot);
	return (int)tot;
}

/* RFC 792: echo, timestamp and information messages carry an identifier. */
static bool icmp_has_id(int type)
{
	return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

static bool icmp_is_error(int type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static int build_icmp(const struct pkt_packet *p, const struct pkt_flow *fl, uint8_t *buf,
		      size_t size, char *why, size_t whylen)
{
	struct pkt_packet q = { .tos = -1, .ecn = -1, .ttl = -1 };
	size_t quoted = 0, tot;
	uint8_t *ih = buf + 20, *in;

	if (size < 20 + 8 + 20 + 8 + 64)
		return errf(why, whylen, -ENOSPC, "buffer too small");
	memset(buf, 0, 20 + 8 + 20 + 8 + 64);
	ih[0] = (uint8_t)p->icmp_type;
	ih[1] = (uint8_t)(p->icmp_code >= 0 ? p->icmp_code : 0);
	if (p->has_mtu)
		put16(ih + 6, p->mtu);
	if (p->has_echo_id)
		put16(ih + 4, p->echo_id);
	if (icmp_is_error(p->icmp_type) || p->echoed != PKT_ECHOED_NONE) {
		/* RFC 792: the error quotes the offending datagram's IP header and its first 8
		 * bytes: here a packet the stack sent (local -> remote). */
		in = ih + 8;
		if (p->echoed == PKT_ECHOED_UDP || p->echoed == PKT_ECHOED_RAW) {
			uint8_t proto = p->echoed == PKT_ECHOED_UDP ? 17 : 255;

			build_ip_header(in, &q, fl->local_ip, fl->remote_ip, proto,
					20 + 8 + p->echoed_len);
			if (proto == 17) {
				put16(in + 20, fl->local_port);
				put16(in + 22, fl->remote_port);
				put16(in + 24, 8 + p->echoed_len);
			}
		} else {
			build_ip_header(in, &q, fl->local_ip, fl->remote_ip, 6,
					20 + 20 + p->echoed_len);
			put16(in + 20, fl->local_port);
			put16(in + 22, fl->remote_port);
			put32(in + 24, pkt_flow_isn(fl, fl->remote_port) + p->echoed_start);
		}
		quoted = 20 + 8;
	}
	tot = 20 + 8 + quoted;
	put16(ih + 2, csum_fold(csum_add(0, ih, tot - 20)));
	build_ip_header(buf, p, fl->remote_ip, fl->local_ip, 1, tot);
	return (int)tot;
}

int pkt_build_ipv4(const struct pkt_packet *p, const struct pkt_flow *fl, uint8_t *buf,
		   size_t size, char *why, size_t whylen)
{
	if (size < 20)
		return errf(why, whylen, -ENOSPC, "buffer too small");
	switch (p->proto) {
	case PKT_TCP:
		return build_tcp(p, fl, buf, size, why, whylen);
	case PKT_UDP:
		return build_udp(p, fl, buf, size, why, whylen);
	case PKT_ICMP:
		return build_icmp(p, fl, buf, size, why, whylen);
	}
	return errf(why, whylen, -EOPNOTSUPP, "unknown protocol");
}

/* ---- Format ---- */

struct sbuf {
	char *p;
	size_t len, used;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->used >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->used += (size_t)n < b->len - b->used ? (size_t)n : b->len - b->used - 1;
}

static void format_flags(struct sbuf *b, uint8_t flags)
{
	static const struct { uint8_t bit; char c; } order[] = {
		{ PKT_TH_SYN, 'S' }, { PKT_TH_FIN, 'F' }, { PKT_TH_RST, 'R' },
		{ PKT_TH_PSH, 'P' }, { PKT_TH_URG, 'U' }, { PKT_TH_ECE, 'E' },
		{ PKT_TH_CWR, 'W' },
	};
	size_t i;
	bool any = false;

	for (i = 0; i < ARRAY_LEN(order); i++)
		if (flags & order[i].bit) {
			sb_printf(b, "%c", order[i].c);
			any = true;
		}
	if (flags & PKT_TH_ACK)
		sb_printf(b, ".");
	else if (!any)
		sb_printf(b, "-");
}

static void format_opts(struct sbuf *b, const struct pkt_packet *p)
{
	int i, j;

	if (p->opts_kind == PKT_OPTS_ANY) {
		sb_printf(b, " <...>");
		return;
	}
	if (p->opts_kind != PKT_OPTS_LIST)
		return;
	sb_printf(b, " <");
	for (i = 0; i < p->nopts; i++) {
		const struct pkt_tcpopt *o = &p->opts[i];

		if (i)
			sb_printf(b, ",");
		switch (o->kind) {
		case PKT_OPT_EOL: sb_printf(b, "eol"); break;
		case PKT_OPT_NOP: sb_printf(b, "nop"); break;
		case PKT_OPT_MSS: sb_printf(b, "mss %" PRIu32, o->val); break;
		case PKT_OPT_WSCALE: sb_printf(b, "wscale %" PRIu32, o->val); break;
		case PKT_OPT_SACKOK: sb_printf(b, "sackOK"); break;
		case PKT_OPT_SACK:
			sb_printf(b, "sack");
			for (j = 0; j < o->nblocks; j++)
				sb_printf(b, " %" PRIu32 ":%" PRIu32, o->sack[j][0], o->sack[j][1]);
			break;
		case PKT_OPT_TS:
			sb_printf(b, "TS val %" PRIu32 " ecr %" PRIu32, o->val, o->ecr);
			break;
		case PKT_OPT_MD5: sb_printf(b, "md5"); break;
		case PKT_OPT_FASTOPEN:
		case PKT_OPT_FASTOPEN_EXP:
			sb_printf(b, o->kind == PKT_OPT_FASTOPEN ? "FO" : "FOEXP");
			if (o->cookie_len)
				sb_printf(b, " ");
			for (j = 0; j < o->cookie_len; j++)
				sb_printf(b, "%02x", o->cookie[j]);
			break;
		}
	}
	sb_printf(b, ">");
}

void pkt_packet_format(const struct pkt_packet *p, char *out, size_t outlen)
{
	struct sbuf b = { out, outlen, 0 };

	if (!outlen)
		return;
	out[0] = '\0';
	switch (p->proto) {
	case PKT_TCP:
		if (p->has_ports)
			sb_printf(&b, "%u > %u ", p->sport, p->dport);
		format_flags(&b, p->flags);
		sb_printf(&b, " %" PRIu32 ":%" PRIu32 "(%" PRIu32 ")", p->seq_start, p->seq_end,
			  p->seq_len);
		if (p->has_ack)
			sb_printf(&b, " ack %" PRIu32, p->ack);
		if (p->has_win)
			sb_printf(&b, " win %" PRIu32, p->win);
		if (p->has_urg)
			sb_printf(&b, " urg %" PRIu32, p->urg);
		format_opts(&b, p);
		break;
	case PKT_UDP:
		sb_printf(&b, "udp ");
		if (p->has_ports)
			sb_printf(&b, "%u > %u ", p->sport, p->dport);
		sb_printf(&b, "(%" PRIu32 ")", p->udp_len);
		break;
	case PKT_ICMP:
		sb_printf(&b, "icmp %s", p->icmp_type_name);
		if (p->icmp_code >= 0 && p->icmp_code_name[0])
			sb_printf(&b, " %s", p->icmp_code_name);
		if (p->has_mtu)
			sb_printf(&b, " mtu %" PRIu32, p->mtu);
		if (p->has_echo_id)
			sb_printf(&b, " id %" PRIu32, p->echo_id);
		break;
	}
}

/* Parse the options of an outbound TCP header into @p (values relative to @fl). */
static int decode_tcp_options(const uint8_t *o, int len, const struct pkt_flow *fl,
			      struct pkt_packet *p)
{
	int i = 0, j;

	p->opts_kind = PKT_OPTS_LIST;
	while (i < len && p->nopts < PKT_MAX_TCPOPTS) {
		struct pkt_tcpopt *opt = &p->opts[p->nopts];
		int olen;

		memset(opt, 0, sizeof(*opt));
		if (o[i] == 0 || o[i] == 1) {
			opt->kind = o[i] ? PKT_OPT_NOP : PKT_OPT_EOL;
			p->nopts++;
			if (!o[i])
				return 0;	/* EOL: the rest is padding */
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			return -1;
		olen = o[i + 1];
		switch (o[i]) {
		case 2:
			if (olen != 4)
				return -1;
			opt->kind = PKT_OPT_MSS;
			opt->val = get16(o + i + 2);
			break;
		case 3:
			if (olen != 3)
				return -1;
			opt->kind = PKT_OPT_WSCALE;
			opt->val = o[i + 2];
			break;
		case 4:
			opt->kind = PKT_OPT_SACKOK;
			break;
		case 5:
			opt->kind = PKT_OPT_SACK;
			for (j = 0; j < (olen - 2) / 8 && j < PKT_MAX_SACK_BLOCKS; j++) {
				opt->sack[j][0] = get32(o + i + 2 + 8 * j) - fl->remote_isn;
				opt->sack[j][1] = get32(o + i + 6 + 8 * j) - fl->remote_isn;
			}
			opt->nblocks = j;
			break;
		case 8:
			if (olen != 10)
				return -1;
			opt->kind = PKT_OPT_TS;
			opt->val = get32(o + i + 2);
			opt->ecr = get32(o + i + 6);
			break;
		case 19:
			opt->kind = PKT_OPT_MD5;
			break;
		case 34:
			opt->kind = PKT_OPT_FASTOPEN;
			opt->cookie_len = olen - 2 > PKT_MAX_COOKIE ? PKT_MAX_COOKIE : olen - 2;
			memcpy(opt->cookie, o + i + 2, opt->cookie_len);
			break;
		default:
			opt->kind = PKT_OPT_FASTOPEN_EXP;	/* shown as FOEXP; rare */
			break;
		}
		p->nopts++;
		i += olen;
	}
	return 0;
}

/* Decode an outbound datagram into script terms. Returns 0 or -1 (@why says why). */
static int decode_ipv4(const uint8_t *buf, size_t len, const struct pkt_flow *fl,
		       struct pkt_packet *p, char *why, size_t whylen)
{
	size_t ihl, tot;
	const uint8_t *th;

	memset(p, 0, sizeof(*p));
	p->dir = '>';
	p->tos = p->ecn = p->ttl = -1;
	if (len < 20 || buf[0] >> 4 != 4)
		return errf(why, whylen, -1, "not an IPv4 datagram (%zu bytes)", len);
	ihl = (size_t)(buf[0] & 15) * 4;
	tot = get16(buf + 2);
	if (ihl < 20 || tot < ihl || tot > len)
		return errf(why, whylen, -1, "bad IPv4 header (ihl %zu, tot_len %zu, %zu bytes)",
			    ihl, tot, len);
	p->tos = buf[1];
	p->ecn = buf[1] & 3;
	p->ttl = buf[8];
	th = buf + ihl;
	switch (buf[9]) {
	case 6: {
		size_t doff;

		p->proto = PKT_TCP;
		if (tot - ihl < 20)
			return errf(why, whylen, -1, "truncated TCP header");
		doff = (size_t)(th[12] >> 4) * 4;
		if (doff < 20 || doff > tot - ihl)
			return errf(why, whylen, -1, "bad TCP data offset %zu", doff);
		p->has_ports = true;
		p->sport = (uint16_t)get16(th);
		p->dport = (uint16_t)get16(th + 2);
		p->flags = th[13];
		p->seq_start = get32(th + 4) - pkt_flow_isn(fl, p->dport);
		p->seq_len = (uint32_t)(tot - ihl - doff);
		p->seq_end = p->seq_start + p->seq_len;
		if (th[13] & PKT_TH_ACK) {
			p->has_ack = true;
			p->ack = get32(th + 8) - fl->remote_isn;
		}
		p->has_win = true;
		p->win = get16(th + 14);
		if (th[13] & PKT_TH_URG) {
			p->has_urg = true;
			p->urg = get16(th + 18);
		}
		if (doff > 20 && decode_tcp_options(th + 20, (int)doff - 20, fl, p))
			return errf(why, whylen, -1, "malformed TCP options");
		return 0;
	}
	case 17:
		p->proto = PKT_UDP;
		if (tot - ihl < 8)
			return errf(why, whylen, -1, "truncated UDP header");
		p->has_ports = true;
		p->sport = (uint16_t)get16(th);
		p->dport = (uint16_t)get16(th + 2);
		p->udp_len = get16(th + 4) >= 8 ? get16(th + 4) - 8 : 0;
		return 0;
	case 1:
		p->proto = PKT_ICMP;
		if (tot - ihl < 8)
			return errf(why, whylen, -1, "truncated ICMP header");
		p->icmp_type = th[0];
		p->icmp_code = th[1];
		snprintf(p->icmp_type_name, sizeof(p->icmp_type_name), "%s",
			 th[0] < ARRAY_LEN(icmp_type_names) && icmp_type_names[th[0]] ?
			 icmp_type_names[th[0]] : "");
		if (!p->icmp_type_name[0])
			snprintf(p->icmp_type_name, sizeof(p->icmp_type_name), "type_%u", th[0]);
		if (th[0] == 3 && th[1] < ARRAY_LEN(unreach_code_names))
			snprintf(p->icmp_code_name, sizeof(p->icmp_code_name), "%s",
				 unreach_code_names[th[1]]);
		else if (th[1])	/* code 0 of a type without named codes: not shown */
			snprintf(p->icmp_code_name, sizeof(p->icmp_code_name), "code_%u", th[1]);
		if (th[0] == 3 && th[1] == 4) {
			p->has_mtu = true;
			p->mtu = get16(th + 6);
		}
		if (icmp_has_id(th[0])) {
			p->has_echo_id = true;
			p->echo_id = get16(th + 4);
		}
		return 0;
	default:
		return errf(why, whylen, -1, "IPv4 protocol %u is not TCP, UDP or ICMP", buf[9]);
	}
}

void pkt_ipv4_format(const uint8_t *buf, size_t len, const struct pkt_flow *fl, char *out,
		     size_t outlen)
{
	struct pkt_packet p;
	char why[128];

	int i;

	if (decode_ipv4(buf, len, fl, &p, why, sizeof(why))) {
		snprintf(out, outlen, "(%s)", why);
		return;
	}
	/* TS val in the script's terms, as the script packet beside it shows it. */
	for (i = 0; i < p.nopts && fl->ts_offset_known; i++)
		if (p.opts[i].kind == PKT_OPT_TS)
			p.opts[i].val -= fl->local_ts_offset;
	pkt_packet_format(&p, out, outlen);
}

/* ---- Match ---- */

static int mismatch(char *why, size_t whylen, const char *what, const char *exp,
		    const char *act)
{
	return errf(why, whylen, -1, "bad outbound %s: expected: %s actual: %s", what, exp, act);
}

static int mismatch_u(char *why, size_t whylen, const char *what, uint64_t exp, uint64_t act)
{
	return errf(why, whylen, -1, "bad outbound %s: expected: %" PRIu64 " actual: %" PRIu64,
		    what, exp, act);
}

static int match_tcp_options(const struct pkt_packet *p, struct pkt_flow *fl,
			     const struct pkt_packet *a, char *why, size_t whylen)
{
	char e[160], g[160];
	int i;

	if (p->opts_kind == PKT_OPTS_ANY)
		return 0;
	/* A script without options expects none (packetdrill checks the header length). */
	if (p->opts_kind == PKT_OPTS_NONE) {
		if (a->nopts == 0)
			return 0;
		goto differ;
	}
	if (a->nopts != p->nopts)
		goto differ;
	for (i = 0; i < p->nopts; i++) {
		const struct pkt_tcpopt *x = &p->opts[i], *y = &a->opts[i];
		int j;

		if (x->kind != y->kind)
			goto differ;
		switch (x->kind) {
		case PKT_OPT_MSS:
		case PKT_OPT_WSCALE:
			if (x->val != y->val)
				goto differ;
			break;
		case PKT_OPT_SACK:
			if (x->nblocks != y->nblocks)
				goto differ;
			for (j = 0; j < x->nblocks; j++)
				if (x->sack[j][0] != y->sack[j][0] ||
				    x->sack[j][1] != y->sack[j][1])
					goto differ;
			break;
		case PKT_OPT_TS:
			/* The stack's TS clock starts anywhere: learn its offset from the first
			 * TS option it sends; TS val is checked only with --tcp_ts_tick_usecs
			 * (the runner checks it against the virtual clock). ecr echoes the
			 * script's own values, so it must be exact. */
			if (!fl->ts_offset_known) {
				fl->local_ts_offset = y->val - x->val;
				fl->ts_offset_known = true;
			}
			if (fl->ts_tick_usecs) {
				int32_t d = (int32_t)(y->val - fl->local_ts_offset - x->val);

				if (d > (int32_t)fl->ts_slack || -d > (int32_t)fl->ts_slack)
					return mismatch_u(why, whylen, "TCP timestamp value", x->val,
							  (uint32_t)(y->val - fl->local_ts_offset));
			}
			if (x->ecr != y->ecr)
				return mismatch_u(why, whylen, "TCP timestamp ecr", x->ecr, y->ecr);
			break;
		case PKT_OPT_FASTOPEN:
		case PKT_OPT_FASTOPEN_EXP:
			if (x->cookie_len && (x->cookie_len != y->cookie_len ||
					      memcmp(x->cookie, y->cookie, x->cookie_len)))
				goto differ;
			break;
		default:
			break;
		}
	}
	return 0;
differ:
	e[0] = g[0] = '\0';
	{
		struct sbuf b1 = { e, sizeof(e), 0 }, b2 = { g, sizeof(g), 0 };

		format_opts(&b1, p);
		format_opts(&b2, a);
		if (!e[0])
			snprintf(e, sizeof(e), " (none)");
		if (!g[0])
			snprintf(g, sizeof(g), " (none)");
	}
	return errf(why, whylen, -1, "bad outbound TCP options: expected:%s actual:%s", e, g);
}

int pkt_match_ipv4(const struct pkt_packet *p, struct pkt_flow *fl, const uint8_t *buf,
		   size_t len, char *why, size_t whylen)
{
	struct pkt_packet a;
	char e[32], g[32];

	if (decode_ipv4(buf, len, fl, &a, why, whylen))
		return -1;
	if (get32(buf + 12) != fl->local_ip || get32(buf + 16) != fl->remote_ip)
		return errf(why, whylen, -1, "bad outbound addresses: expected: %08" PRIx32
			    " > %08" PRIx32 " actual: %08" PRIx32 " > %08" PRIx32, fl->local_ip,
			    fl->remote_ip, get32(buf + 12), get32(buf + 16));
	if (a.proto != p->proto) {
		static const char *const names[] = { "tcp", "udp", "icmp" };

		return mismatch(why, whylen, "protocol", names[p->proto], names[a.proto]);
	}
	if (p->tos >= 0 && p->tos != a.tos)
		return mismatch_u(why, whylen, "TOS", p->tos, a.tos);
	if (p->ecn >= 0 && !(p->ecn == 4 ? (a.ecn == 1 || a.ecn == 2) : p->ecn == a.ecn))
		return mismatch_u(why, whylen, "ECN field", p->ecn == 4 ? 2 : p->ecn, a.ecn);
	if (p->ttl >= 0 && p->ttl != a.ttl)
		return mismatch_u(why, whylen, "TTL", p->ttl, a.ttl);
	switch (p->proto) {
	case PKT_TCP: {
		uint32_t seq = get32(buf + (buf[0] & 15) * 4 + 4);

		if (p->has_ports && (p->sport != a.sport || p->dport != a.dport))
			return errf(why, whylen, -1, "bad outbound ports: expected: %u > %u "
				    "actual: %u > %u", p->sport, p->dport, a.sport, a.dport);
		/* The stack's SYN of a connect() comes from the port it picked: that is
		 * the script's local port from now on (packetdrill learns it the same way). */
		if (!p->has_ports && (a.flags & PKT_TH_SYN) && !(a.flags & PKT_TH_ACK) &&
		    a.dport == fl->remote_port)
			fl->local_port = a.sport;
		if (!p->has_ports && (a.sport != fl->local_port || a.dport != fl->remote_port))
			return errf(why, whylen, -1, "bad outbound ports: expected: %u > %u "
				    "actual: %u > %u", fl->local_port, fl->remote_port, a.sport,
				    a.dport);
		if (p->flags != a.flags) {
			struct sbuf b1 = { e, sizeof(e), 0 }, b2 = { g, sizeof(g), 0 };

			format_flags(&b1, p->flags);
			format_flags(&b2, a.flags);
			return mismatch(why, whylen, "TCP flags", e, g);
		}
		/* The stack's first SYN fixes its ISN: script numbers are relative to it. */
		if ((a.flags & PKT_TH_SYN) && flow_isn_needed(fl, a.dport)) {
			flow_learn_isn(fl, a.dport, seq - p->seq_start);
			a.seq_start = p->seq_start;
			a.seq_end = a.seq_start + a.seq_len;
		}
		if (a.seq_start != p->seq_start)
			return mismatch_u(why, whylen, "TCP sequence number", p->seq_start,
					  a.seq_start);
		if (a.seq_len != p->seq_len)
			return mismatch_u(why, whylen, "TCP payload length", p->seq_len, a.seq_len);
		if (p->has_ack && a.ack != p->ack)
			return mismatch_u(why, whylen, "TCP ack number", p->ack, a.ack);
		if (p->has_win && a.win != p->win)
			return mismatch_u(why, whylen, "TCP window", p->win, a.win);
		if (p->has_urg && a.urg != p->urg)
			return mismatch_u(why, whylen, "TCP urgent pointer", p->urg, a.urg);
		return match_tcp_options(p, fl, &a, why, whylen);
	}
	case PKT_UDP:
		if (p->has_ports && (p->sport != a.sport || p->dport != a.dport))
			return errf(why, whylen, -1, "bad outbound ports: expected: %u > %u "
				    "actual: %u > %u", p->sport, p->dport, a.sport, a.dport);
		if (p->udp_len != a.udp_len)
			return mismatch_u(why, whylen, "UDP payload length", p->udp_len, a.udp_len);
		return 0;
	case PKT_ICMP:
		if (p->icmp_type != a.icmp_type)
			return mismatch(why, whylen, "ICMP type", p->icmp_type_name,
					a.icmp_type_name);
		if (p->icmp_code >= 0 && p->icmp_code != a.icmp_code)
			return mismatch(why, whylen, "ICMP code", p->icmp_code_name,
					a.icmp_code_name[0] ? a.icmp_code_name : "code_0");
		if (p->has_mtu && (!a.has_mtu || p->mtu != a.mtu))
			return mismatch_u(why, whylen, "ICMP MTU", p->mtu, a.mtu);
		if (p->has_echo_id && (!a.has_echo_id || p->echo_id != a.echo_id))
			return mismatch_u(why, whylen, "ICMP echo id", p->echo_id, a.echo_id);
		return 0;
	}
	return errf(why, whylen, -1, "unknown protocol");
}

/* ---- TSO, seen from the device ---- */

/* packetdrill's tun device takes TSO, so Linux hands it one super-segment per skb and the
 * scripts expect `> P. 1:10001(10000)` where ulnet (no TSO yet) sends ten MSS-sized
 * segments. Undo the segmentation as tcp_gso_segment did it: @next continues @buf's TCP
 * segment (same addresses, ports, ack; the next sequence number; the same flags but PSH and
 * FIN, which only the last segment carries) and is appended to it. */
int pkt_tcp_coalesce(uint8_t *buf, size_t *len, size_t cap, const uint8_t *next, size_t nlen)
{
	size_t ihl, doff, nihl, ndoff, tot, ntot, payload;
	uint8_t *th;
	const uint8_t *nth;
	uint32_t sum;

	if (*len < 40 || nlen < 40 || buf[9] != 6 || next[9] != 6)
		return -1;
	ihl = (size_t)(buf[0] & 15) * 4;
	nihl = (size_t)(next[0] & 15) * 4;
	tot = get16(buf + 2);
	ntot = get16(next + 2);
	if (tot > *len || ntot > nlen || ihl < 20 || nihl < 20 || tot < ihl + 20 || ntot < nihl + 20)
		return -1;
	th = buf + ihl;
	nth = next + nihl;
	doff = (size_t)(th[12] >> 4) * 4;
	ndoff = (size_t)(nth[12] >> 4) * 4;
	if (doff < 20 || ndoff < 20 || ihl + doff > tot || nihl + ndoff > ntot)
		return -1;
	payload = tot - ihl - doff;
	if (memcmp(buf + 12, next + 12, 8) || memcmp(th, nth, 4) ||	/* addresses, ports */
	    get32(nth + 4) != get32(th + 4) + (uint32_t)payload ||	/* contiguous */
	    get32(nth + 8) != get32(th + 8) ||				/* same ack */
	    (th[13] & (PKT_TH_FIN | PKT_TH_PSH)) ||			/* @buf was a last one */
	    (th[13] & ~(PKT_TH_CWR)) != (nth[13] & ~(PKT_TH_FIN | PKT_TH_PSH)) ||
	    ntot - nihl - ndoff == 0 || tot + (ntot - nihl - ndoff) > cap ||
	    tot + (ntot - nihl - ndoff) > 0xffff)
		return -1;
	memcpy(buf + tot, nth + ndoff, ntot - nihl - ndoff);
	tot += ntot - nihl - ndoff;
	th[13] |= nth[13] & (PKT_TH_FIN | PKT_TH_PSH);
	put16(buf + 2, (uint32_t)tot);
	put16(buf + 10, 0);
	put16(buf + 10, csum_fold(csum_add(0, buf, ihl)));
	put16(th + 16, 0);
	sum = pseudo_sum(get32(buf + 12), get32(buf + 16), 6, tot - ihl);
	put16(th + 16, csum_fold(csum_add(sum, th, tot - ihl)));
	*len = tot;
	return 0;
}

/* TCP payload bytes of an IPv4 datagram (0 if not TCP). */
size_t pkt_tcp_payload_len(const uint8_t *buf, size_t len)
{
	size_t ihl, tot, doff;

	if (len < 40 || buf[9] != 6)
		return 0;
	ihl = (size_t)(buf[0] & 15) * 4;
	tot = get16(buf + 2);
	if (ihl < 20 || tot > len || tot < ihl + 20)
		return 0;
	doff = (size_t)(buf[ihl + 12] >> 4) * 4;
	return ihl + doff <= tot ? tot - ihl - doff : 0;
}
