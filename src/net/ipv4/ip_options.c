/* SPDX-License-Identifier: MIT */
/* IPv4 options (RFC 791 3.1): parsing of received options, building, echoing them in
 * replies, stripping them from fragments, and the source-route and record-route work of a
 * forwarding host.
 * Mirrors linux/net/ipv4/ip_options.c (3.10): ip_options_compile, ip_options_build,
 * ip_options_echo, ip_options_fragment, ip_forward_options, ip_options_rcv_srr.
 * DIVERGES: CIPSO (option 134) is refused with a parameter problem, as a 3.10 kernel built
 * without NetLabel does; a local sender may not use options that 3.10 reserves to
 * CAP_NET_RAW (every ulnet program is unprivileged). */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/ktime.h"
#include "linux/skbuff.h"
#include "net/icmp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/route.h"
#include "trace/path.h"

/* Our address as the packet's "specific destination" (the address the sender used to
 * reach us, or our source towards it). */
static __be32 ipopt_spec_dst(struct sk_buff *skb)
{
	return fib_compute_spec_dst(skb);
}

static void spec_dst_fill(__be32 *spec_dst, struct sk_buff *skb)
{
	if (*spec_dst == htonl(INADDR_ANY))
		*spec_dst = ipopt_spec_dst(skb);
}

static bool ipopt_addr_is_unicast(struct net *net, __be32 addr)
{
	return inet_addr_type(net, addr) == RTN_UNICAST;
}

static void ipopt_get_source(u8 *addr, struct sk_buff *skb, struct rtable *rt)
{
	ip_rt_get_source(addr, skb, rt);
}

/* Milliseconds since midnight UT (RFC 791 Internet Timestamp), network order. */
static __be32 ipopt_midtime(void)
{
	s64 ns = ktime_get_real();
	u64 sec = (u64)ns / NSEC_PER_SEC;

	return htonl((u32)((sec % 86400) * MSEC_PER_SEC + ((u64)ns % NSEC_PER_SEC) / NSEC_PER_MSEC));
}

/* Write @opt into the header just built at skb's network header (ip_build_and_send_pkt,
 * ip_queue_xmit); @is_frag: a fragment other than the first (RR/TS are not copied). */
void ip_options_build(struct sk_buff *skb, struct ip_options *opt, __be32 daddr,
		      struct rtable *rt, int is_frag)
{
	unsigned char *iph = skb_network_header(skb);

	memcpy(&(IPCB(skb)->opt), opt, sizeof(struct ip_options));
	memcpy(iph + sizeof(struct iphdr), opt->__data, opt->optlen);
	opt = &(IPCB(skb)->opt);

	if (opt->srr)
		memcpy(iph + opt->srr + iph[opt->srr + 1] - 4, &daddr, 4);

	if (!is_frag) {
		if (opt->rr_needaddr)
			ipopt_get_source(iph + opt->rr + iph[opt->rr + 2] - 5, skb, rt);
		if (opt->ts_needaddr)
			ipopt_get_source(iph + opt->ts + iph[opt->ts + 2] - 9, skb, rt);
		if (opt->ts_needtime) {
			__be32 midtime = ipopt_midtime();

			memcpy(iph + opt->ts + iph[opt->ts + 2] - 5, &midtime, 4);
		}
		return;
	}
	if (opt->rr) {
		memset(iph + opt->rr, IPOPT_NOP, iph[opt->rr + 1]);
		opt->rr = 0;
		opt->rr_needaddr = 0;
	}
	if (opt->ts) {
		memset(iph + opt->ts, IPOPT_NOP, iph[opt->ts + 1]);
		opt->ts = 0;
		opt->ts_needaddr = opt->ts_needtime = 0;
	}
}

/* Options of the reply to @skb (RFC 1122 3.2.2.6, 3.2.1.8): RR and TS are returned with
 * room for our entry, a source route is reversed. @dopt must have 40 bytes of __data
 * (struct ip_options_data). 0 or -EINVAL. */
int ip_options_echo(struct ip_options *dopt, struct sk_buff *skb)
{
	const struct ip_options *sopt;
	unsigned char *sptr, *dptr;
	int soffset, doffset;
	int optlen;

	memset(dopt, 0, sizeof(struct ip_options));
	sopt = &(IPCB(skb)->opt);
	if (sopt->optlen == 0)
		return 0;

	sptr = skb_network_header(skb);
	dptr = dopt->__data;

	if (sopt->rr) {
		optlen = sptr[sopt->rr + 1];
		soffset = sptr[sopt->rr + 2];
		dopt->rr = dopt->optlen + sizeof(struct iphdr);
		memcpy(dptr, sptr + sopt->rr, optlen);
		if (sopt->rr_needaddr && soffset <= optlen) {
			if (soffset + 3 > optlen)
				return -EINVAL;
			dptr[2] = soffset + 4;
			dopt->rr_needaddr = 1;
		}
		dptr += optlen;
		dopt->optlen += optlen;
	}
	if (sopt->ts) {
		optlen = sptr[sopt->ts + 1];
		soffset = sptr[sopt->ts + 2];
		dopt->ts = dopt->optlen + sizeof(struct iphdr);
		memcpy(dptr, sptr + sopt->ts, optlen);
		if (soffset <= optlen) {
			if (sopt->ts_needaddr) {
				if (soffset + 3 > optlen)
					return -EINVAL;
				dopt->ts_needaddr = 1;
				soffset += 4;
			}
			if (sopt->ts_needtime) {
				if (soffset + 3 > optlen)
					return -EINVAL;
				if ((dptr[3] & 0xF) != IPOPT_TS_PRESPEC) {
					dopt->ts_needtime = 1;
					soffset += 4;
				} else {
					dopt->ts_needtime = 0;
					if (soffset + 7 <= optlen) {
						__be32 addr;

						memcpy(&addr, dptr + soffset - 1, 4);
						if (!ipopt_addr_is_unicast(dev_net(skb->dev), addr)) {
							dopt->ts_needtime = 1;
							soffset += 8;
						}
					}
				}
			}
			dptr[2] = (unsigned char)soffset;
		}
		dptr += optlen;
		dopt->optlen += optlen;
	}
	if (sopt->srr) {
		unsigned char *start = sptr + sopt->srr;
		__be32 faddr = 0;

		optlen = start[1];
		soffset = start[2];
		doffset = 0;
		if (soffset > optlen)
			soffset = optlen + 1;
		soffset -= 4;
		if (soffset > 3) {
			memcpy(&faddr, &start[soffset - 1], 4);
			for (soffset -= 4, doffset = 4; soffset > 3; soffset -= 4, doffset += 4)
				memcpy(&dptr[doffset - 1], &start[soffset - 1], 4);
			/* RFC 1812 requires to fix illegal source routes. */
			if (memcmp(&ip_hdr(skb)->saddr, &start[soffset + 3], 4) == 0)
				doffset -= 4;
		}
		if (doffset > 3) {
			__be32 daddr = ipopt_spec_dst(skb);

			/* (3.10 wrote this into the source header; later kernels fixed it to
			 * the reply's option, as here.) */
			memcpy(&dptr[doffset - 1], &daddr, 4);
			dopt->faddr = faddr;
			dptr[0] = start[0];
			dptr[1] = (unsigned char)(doffset + 3);
			dptr[2] = 4;
			dptr += doffset + 3;
			dopt->srr = dopt->optlen + sizeof(struct iphdr);
			dopt->optlen += doffset + 3;
			dopt->is_strictroute = sopt->is_strictroute;
		}
	}
	while (dopt->optlen & 3) {
		*dptr++ = IPOPT_END;
		dopt->optlen++;
	}
	return 0;
}

/* Options that are not "copied" (RFC 791: copy flag clear, e.g. RR, TS) become NOPs in the
 * fragments after the first. */
void ip_options_fragment(struct sk_buff *skb)
{
	unsigned char *optptr = skb_network_header(skb) + sizeof(struct iphdr);
	struct ip_options *opt = &(IPCB(skb)->opt);
	int l = opt->optlen;
	int optlen;

	while (l > 0) {
		switch (*optptr) {
		case IPOPT_END:
			return;
		case IPOPT_NOOP:
			l--;
			optptr++;
			continue;
		}
		if (l < 2)
			return;
		optlen = optptr[1];
		if (optlen < 2 || optlen > l)
			return;
		if (!IPOPT_COPIED(*optptr))
			memset(optptr, IPOPT_NOOP, optlen);
		l -= optlen;
		optptr += optlen;
	}
	opt->ts = 0;
	opt->rr = 0;
	opt->rr_needaddr = 0;
	opt->ts_needaddr = 0;
	opt->ts_needtime = 0;
}

/* Parse the options of a received header (@skb) or of a socket's option buffer
 * (@skb NULL: @opt->__data, IP_OPTIONS). On a received packet RR and TS are filled in as
 * we pass. A malformed option is -EINVAL; for a received packet an ICMP parameter problem
 * pointing at the bad byte is sent (RFC 1122 3.2.2.5). */
int ip_options_compile(struct net *net, struct ip_options *opt, struct sk_buff *skb)
{
	__be32 spec_dst = htonl(INADDR_ANY);
	unsigned char *pp_ptr = NULL;
	struct rtable *rt = NULL;
	unsigned char *optptr;
	unsigned char *iph;
	int optlen, l;

	if (skb) {
		UL_TRACE(skb);
		rt = skb_rtable(skb);
		optptr = (unsigned char *)&(ip_hdr(skb)[1]);
	} else {
		optptr = opt->__data;
	}
	iph = optptr - sizeof(struct iphdr);

	for (l = opt->optlen; l > 0;) {
		switch (*optptr) {
		case IPOPT_END:
			for (optptr++, l--; l > 0; optptr++, l--) {
				if (*optptr != IPOPT_END) {
					*optptr = IPOPT_END;
					opt->is_changed = 1;
				}
			}
			goto eol;
		case IPOPT_NOOP:
			l--;
			optptr++;
			continue;
		}
		if (unlikely(l < 2)) {
			pp_ptr = optptr;
			goto error;
		}
		optlen = optptr[1];
		if (optlen < 2 || optlen > l) {
			pp_ptr = optptr;
			goto error;
		}
		switch (*optptr) {
		case IPOPT_SSRR:
		case IPOPT_LSRR:
			if (optlen < 3) {
				pp_ptr = optptr + 1;
				goto error;
			}
			if (optptr[2] < 4) {
				pp_ptr = optptr + 2;
				goto error;
			}
			/* NB: cf RFC 1812 5.2.4.1: only one source route. */
			if (opt->srr) {
				pp_ptr = optptr;
				goto error;
			}
			if (!skb) {
				if (optptr[2] != 4 || optlen < 7 || ((optlen - 3) & 3)) {
					pp_ptr = optptr + 1;
					goto error;
				}
				memcpy(&opt->faddr, &optptr[3], 4);
				if (optlen > 7)
					memmove(&optptr[3], &optptr[7], optlen - 7);
			}
			opt->is_strictroute = (optptr[0] == IPOPT_SSRR);
			opt->srr = (unsigned char)(optptr - iph);
			break;
		case IPOPT_RR:
			if (opt->rr) {
				pp_ptr = optptr;
				goto error;
			}
			if (optlen < 3) {
				pp_ptr = optptr + 1;
				goto error;
			}
			if (optptr[2] < 4) {
				pp_ptr = optptr + 2;
				goto error;
			}
			if (optptr[2] <= optlen) {
				if (optptr[2] + 3 > optlen) {
					pp_ptr = optptr + 2;
					goto error;
				}
				if (rt) {
					spec_dst_fill(&spec_dst, skb);
					memcpy(&optptr[optptr[2] - 1], &spec_dst, 4);
					opt->is_changed = 1;
				}
				optptr[2] += 4;
				opt->rr_needaddr = 1;
			}
			opt->rr = (unsigned char)(optptr - iph);
			break;
		case IPOPT_TIMESTAMP:
			if (opt->ts) {
				pp_ptr = optptr;
				goto error;
			}
			if (optlen < 4) {
				pp_ptr = optptr + 1;
				goto error;
			}
			if (optptr[2] < 5) {
				pp_ptr = optptr + 2;
				goto error;
			}
			if (optptr[2] <= optlen) {
				unsigned char *timeptr = NULL;

				if (optptr[2] + 3 > optptr[1]) {
					pp_ptr = optptr + 2;
					goto error;
				}
				switch (optptr[3] & 0xF) {
				case IPOPT_TS_TSONLY:
					if (skb)
						timeptr = &optptr[optptr[2] - 1];
					opt->ts_needtime = 1;
					optptr[2] += 4;
					break;
				case IPOPT_TS_TSANDADDR:
					if (optptr[2] + 7 > optptr[1]) {
						pp_ptr = optptr + 2;
						goto error;
					}
					if (rt) {
						spec_dst_fill(&spec_dst, skb);
						memcpy(&optptr[optptr[2] - 1], &spec_dst, 4);
						timeptr = &optptr[optptr[2] + 3];
					}
					opt->ts_needaddr = 1;
					opt->ts_needtime = 1;
					optptr[2] += 8;
					break;
				case IPOPT_TS_PRESPEC:
					if (optptr[2] + 7 > optptr[1]) {
						pp_ptr = optptr + 2;
						goto error;
					}
					{
						__be32 addr;

						memcpy(&addr, &optptr[optptr[2] - 1], 4);
						if (ipopt_addr_is_unicast(net, addr))
							break;
						if (skb)
							timeptr = &optptr[optptr[2] + 3];
					}
					opt->ts_needtime = 1;
					optptr[2] += 8;
					break;
				default:
					if (!skb) {
						pp_ptr = optptr + 3;
						goto error;
					}
					break;
				}
				if (timeptr) {
					__be32 midtime = ipopt_midtime();

					memcpy(timeptr, &midtime, 4);
					opt->is_changed = 1;
				}
			} else if ((optptr[3] & 0xF) != IPOPT_TS_PRESPEC) {
				unsigned int overflow = optptr[3] >> 4;

				if (overflow == 15) {
					pp_ptr = optptr + 3;
					goto error;
				}
				if (skb) {
					optptr[3] = (unsigned char)((optptr[3] & 0xF) | ((overflow + 1) << 4));
					opt->is_changed = 1;
				}
			}
			opt->ts = (unsigned char)(optptr - iph);
			break;
		case IPOPT_RA:
			if (optlen < 4) {
				pp_ptr = optptr + 1;
				goto error;
			}
			if (optptr[2] == 0 && optptr[3] == 0)
				opt->router_alert = (unsigned char)(optptr - iph);
			break;
		case IPOPT_CIPSO:
			/* No CIPSO (NetLabel): see DIVERGES above. */
			pp_ptr = optptr;
			goto error;
		case IPOPT_SEC:
		case IPOPT_SID:
		default:
			if (!skb) {
				pp_ptr = optptr;
				goto error;
			}
			break;
		}
		l -= optlen;
		optptr += optlen;
	}

eol:
	if (!pp_ptr)
		return 0;

error:
	if (skb)
		icmp_send(skb, ICMP_PARAMETERPROB, 0, htonl((u32)(pp_ptr - iph) << 24));
	return -EINVAL;
}

/* Record route and source route of a forwarded packet (after the output route is known). */
void ip_forward_options(struct sk_buff *skb)
{
	struct ip_options *opt = &(IPCB(skb)->opt);
	struct rtable *rt = skb_rtable(skb);
	unsigned char *raw = skb_network_header(skb);
	unsigned char *optptr;

	if (opt->rr_needaddr) {
		optptr = raw + opt->rr;
		ipopt_get_source(&optptr[optptr[2] - 5], skb, rt);
		opt->is_changed = 1;
	}
	if (opt->srr_is_hit) {
		int srrptr, srrspace;

		optptr = raw + opt->srr;
		for (srrptr = optptr[2], srrspace = optptr[1]; srrptr <= srrspace; srrptr += 4) {
			if (srrptr + 3 > srrspace)
				break;
			if (memcmp(&opt->nexthop, &optptr[srrptr - 1], 4) == 0)
				break;
		}
		if (srrptr + 3 <= srrspace) {
			opt->is_changed = 1;
			ip_hdr(skb)->daddr = opt->nexthop;
			ipopt_get_source(&optptr[srrptr - 1], skb, rt);
			optptr[2] = (unsigned char)(srrptr + 4);
		} else {
			net_crit_ratelimited("%s(): Argh! Destination lost!\n", __func__);
		}
		if (opt->ts_needaddr) {
			optptr = raw + opt->ts;
			ipopt_get_source(&optptr[optptr[2] - 9], skb, rt);
			opt->is_changed = 1;
		}
	}
	if (opt->is_changed) {
		opt->is_changed = 0;
		ip_send_check(ip_hdr(skb));
	}
}

/* A source-routed packet reached us: route it to the next hop of the route (or drop).
 * 0 or -EINVAL. */
int ip_options_rcv_srr(struct sk_buff *skb)
{
	struct ip_options *opt = &(IPCB(skb)->opt);
	int srrspace, srrptr;
	__be32 nexthop = 0;
	struct iphdr *iph = ip_hdr(skb);
	unsigned char *optptr = skb_network_header(skb) + opt->srr;
	struct rtable *rt = skb_rtable(skb);
	struct rtable *rt2;
	unsigned long orefdst;
	int err;

	UL_TRACE(skb);
	if (!rt)
		return 0;
	if (skb->pkt_type != PACKET_HOST)
		return -EINVAL;
	if (rt->rt_type == RTN_UNICAST) {
		if (!opt->is_strictroute)
			return 0;
		icmp_send(skb, ICMP_PARAMETERPROB, 0, htonl(16 << 24));
		return -EINVAL;
	}
	if (rt->rt_type != RTN_LOCAL)
		return -EINVAL;

	for (srrptr = optptr[2], srrspace = optptr[1]; srrptr <= srrspace; srrptr += 4) {
		if (srrptr + 3 > srrspace) {
			icmp_send(skb, ICMP_PARAMETERPROB, 0, htonl((u32)(opt->srr + 2) << 24));
			return -EINVAL;
		}
		memcpy(&nexthop, &optptr[srrptr - 1], 4);

		orefdst = skb->_skb_refdst;
		skb->_skb_refdst = 0;
		err = ip_route_input(skb, nexthop, iph->saddr, iph->tos, skb->dev);
		rt2 = skb_rtable(skb);
		if (err || (rt2->rt_type != RTN_UNICAST && rt2->rt_type != RTN_LOCAL)) {
			skb_dst_drop(skb);
			skb->_skb_refdst = orefdst;
			return -EINVAL;
		}
		if (!(orefdst & SKB_DST_NOREF))
			dst_release((struct dst_entry *)(orefdst & SKB_DST_PTRMASK));
		if (rt2->rt_type != RTN_LOCAL)
			break;
		/* Superfast 8) loopback forward */
		iph->daddr = nexthop;
		opt->is_changed = 1;
	}
	if (srrptr <= srrspace) {
		opt->srr_is_hit = 1;
		opt->nexthop = nexthop;
		opt->is_changed = 1;
	}
	return 0;
}
