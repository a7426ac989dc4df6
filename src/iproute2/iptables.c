/* SPDX-License-Identifier: MIT */
/* `iptables`: the filter table's chains and rules edited and listed with iptables(8)'s
 * syntax, output and error messages (iptables 1.4.21, the version that shipped with 3.10
 * kernels).
 * Mirrors no kernel file: iptables' iptables.c (do_command4, print_header, print_firewall,
 * xtables_print_num), libxt_tcp/udp/icmp/state/conntrack/standard/REJECT's parse and print,
 * and libiptc's chain rules (references, loops), over net/ipv4/netfilter/ip_tables.c.
 *
 * Commands: -A/-I/-D/-R? no: -A, -I [N], -D (N or rule), -F, -Z, -P, -N, -X, -L [-n] [-v]
 * [-x] [--line-numbers]; options: [!] -p, [!] -s, [!] -d, [!] -i, [!] -o, -m tcp/udp/icmp,
 * [!] --sport/--dport N[:M], [!] --icmp-type T[/C], -j/-g TARGET, --reject-with TYPE.
 * [!] --state/--ctstate (-m state / -m conntrack); -m addrtype [!] --src-type/--dst-type
 * TYPE[,TYPE] [--limit-iface-in|out].
 * -t nat with SNAT --to-source, DNAT --to-destination [A[-B]][:P[-Q]], MASQUERADE
 * [--to-ports P[-Q]], each with [--random].
 * DIVERGES: no mangle/raw tables (-t mangle answers as iptables does on a kernel without
 * the module);
 * without -n, addresses and ports are still printed as
 * numbers (no resolver), 0.0.0.0/0 as "anywhere".
 * Context: process (takes rtnl_lock). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "linux/in.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "net/net_namespace.h"
#include "iproute2/iproute2.h"

#define IPT_VERSION "iptables v1.4.21"
#define TRY_HELP "Try `iptables -h' or 'iptables --help' for more information.\n"

/* iptables' print formats (xtables.h FMT_*). */
#define FMT_NUMERIC	0x0001
#define FMT_NOCOUNTS	0x0002
#define FMT_KILOMEGAGIGA 0x0004
#define FMT_OPTIONS	0x0008
#define FMT_NOTABLE	0x0010
#define FMT_NOTARGET	0x0020
#define FMT_VIA		0x0040
#define FMT_NONEWLINE	0x0080
#define FMT_LINENUMBERS	0x0100
#define FMT(tab, notab) ((format & FMT_NOTABLE) ? (notab) : (tab))

static const struct { const char *name; u16 num; } chain_protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
	{ "all", 0 },
};

static const struct { const char *name; const char *alias; enum ipt_reject_with with; }
reject_table[] = {
	{ "icmp-net-unreachable", "net-unreach", IPT_ICMP_NET_UNREACHABLE },
	{ "icmp-host-unreachable", "host-unreach", IPT_ICMP_HOST_UNREACHABLE },
	{ "icmp-proto-unreachable", "proto-unreach", IPT_ICMP_PROT_UNREACHABLE },
	{ "icmp-port-unreachable", "port-unreach", IPT_ICMP_PORT_UNREACHABLE },
	{ "icmp-net-prohibited", "net-prohib", IPT_ICMP_NET_PROHIBITED },
	{ "icmp-host-prohibited", "host-prohib", IPT_ICMP_HOST_PROHIBITED },
	{ "tcp-reset", "tcp-rst", IPT_TCP_RESET },
	{ "icmp-admin-prohibited", "admin-prohib", IPT_ICMP_ADMIN_PROHIBITED },
};

/* "iptables v1.4.21: MSG\nTry ...", iptables' PARAMETER_PROBLEM exit. */
__printf(2, 3) static int param_problem(struct ul_buf *out, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ul_bprintf(out, "%s: %s\n%s", IPT_VERSION, msg, TRY_HELP);
	return -EINVAL;
}

/* libiptc's iptc_strerror for what the kernel side refused. */
static int iptc_error(struct ul_buf *out, int err, const char *msg)
{
	ul_bprintf(out, "iptables: %s.\n", msg);
	return err;
}

static const char *proto_name(u16 proto)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(chain_protos); i++)
		if (chain_protos[i].num == proto)
			return chain_protos[i].name;
	return NULL;
}

/* ---- parsing ---- */

struct ipt_cmd {
	char command;			/* 'A', 'I', 'D', 'F', 'Z', 'P', 'N', 'X', 'L' */
	const char *chain;
	const char *arg2;		/* -P's target, -I/-D's number, -X/-F... */
	unsigned int rulenum;
	bool numeric, verbose, exact, linenumbers;
	const char *jump;
	bool is_goto;
	bool matched_tcp, matched_udp, matched_icmp;
	int matched_state;		/* 1: -m state, 2: -m conntrack */
	bool nat;			/* -t nat */
	bool has_reject_with;
	bool matched_addrtype;		/* -m addrtype */
	bool has_nat_to;		/* --to-source / --to-destination given */
	struct ipt_entry e;
};

static int parse_port(struct ul_buf *out, const char *s, u16 *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 65535)
		return param_problem(out, "invalid port/service `%s' specified", s);
	*port = (u16)v;
	return 0;
}

/* "N", "N:M", ":M", "N:" (xtables_parse_port / parse_multi_ports of libxt_tcp). */
static int parse_ports(struct ul_buf *out, const char *s, u16 ports[2])
{
	char buf[32];
	char *colon;
	int err;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon) {
		err = parse_port(out, buf, &ports[0]);
		ports[1] = ports[0];
		return err;
	}
	*colon = '\0';
	ports[0] = 0;
	ports[1] = 0xffff;
	if (buf[0] && (err = parse_port(out, buf, &ports[0])))
		return err;
	if (colon[1] && (err = parse_port(out, colon + 1, &ports[1])))
		return err;
	if (ports[0] > ports[1])
		return param_problem(out, "invalid portrange (min > max)");
	return 0;
}

/* "a.b.c.d[/len]" into address and mask (xtables_ipparse_any without DNS). */
static int parse_host(struct ul_buf *out, const char *s, __be32 *addr, __be32 *mask)
{
	char buf[64];
	char *slash, *end;
	unsigned long len = 32;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		len = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || len > 32)
			return param_problem(out, "invalid mask `%s' specified", slash + 1);
	}
	if (get_addr(buf, addr) || strchr(buf, '.') == NULL)
		return param_problem(out, "host/network `%s' not found", buf);
	*mask = len ? htonl(~0U << (32 - len)) : 0;
	*addr &= *mask;
	return 0;
}

static int parse_iface(struct ul_buf *out, const char *s, char *dst)
{
	if (strlen(s) >= IFNAMSIZ)
		return param_problem(out, "interface name `%s' must be shorter than IFNAMSIZ (%i)",
				     s, IFNAMSIZ);
	snprintf(dst, IFNAMSIZ, "%s", s);
	return 0;
}

static int parse_icmp_type(struct ul_buf *out, const char *s, u8 *type, u8 *code)
{
	static const struct { const char *name; u8 type, code; } names[] = {
		{ "any", 0xff, 0xff }, { "echo-reply", 0, 0xff }, { "pong", 0, 0xff },
		{ "destination-unreachable", 3, 0xff }, { "port-unreachable", 3, 3 },
		{ "host-unreachable", 3, 1 }, { "echo-request", 8, 0xff }, { "ping", 8, 0xff },
		{ "time-exceeded", 11, 0xff },
	};
	char *end;
	unsigned long t, c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i].name)) {
			*type = names[i].type;
			*code = names[i].code;
			return 0;
		}
	}
	t = strtoul(s, &end, 10);
	if (end == s || t > 255 || (*end && *end != '/'))
		return param_problem(out, "Invalid ICMP type `%s'", s);
	c = 0xff;
	if (*end == '/') {
		const char *cs = end + 1;

		c = strtoul(cs, &end, 10);
		if (end == cs || *end || c > 255)
			return param_problem(out, "Invalid ICMP code `%s'", cs);
	}
	*type = (u8)t;
	*code = (u8)c;
	return 0;
}

static const struct { const char *name; u8 bit; } state_names[] = {
	{ "INVALID", XT_STATE_INVALID }, { "NEW", XT_STATE_NEW },
	{ "RELATED", XT_STATE_RELATED }, { "ESTABLISHED", XT_STATE_ESTABLISHED },
	{ "UNTRACKED", XT_STATE_UNTRACKED },
};

/* "NEW,ESTABLISHED" (libxt_state state_parse_states). */
static int parse_states(struct ul_buf *out, const char *arg, bool ct, u8 *mask)
{
	char buf[128];
	char *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t k;
		bool found = false;

		for (k = 0; k < ARRAY_SIZE(state_names); k++) {
			if (!strcasecmp(tok, state_names[k].name)) {
				*mask |= state_names[k].bit;
				found = true;
			}
		}
		if (!found)
			return param_problem(out, "Bad %s \"%s\"", ct ? "ctstate" : "state", tok);
	}
	if (!*mask)
		return param_problem(out, "Bad %s \"%s\"", ct ? "ctstate" : "state", arg);
	return 0;
}

/* libipt_SNAT/DNAT/MASQUERADE: a port range needs a protocol with ports (not inverted). */
static bool nat_portok(const struct ipt_entry *e)
{
	return !(e->ip.invflags & IPT_INV_PROTO) &&
	       (e->ip.proto == IPPROTO_TCP || e->ip.proto == IPPROTO_UDP ||
		e->ip.proto == 132 /* SCTP */ || e->ip.proto == 33 /* DCCP */ ||
		e->ip.proto == IPPROTO_ICMP);
}

/* --to-source / --to-destination [ADDR[-ADDR]][:PORT[-PORT]] (libipt_SNAT/DNAT parse_to
 * of 1.4.21); @portok: the rule says -p tcp, udp (or another protocol with ports). */
static int parse_to(struct ul_buf *out, const char *arg, bool portok, struct nf_nat_range *r)
{
	char buf[64];
	char *colon, *dash;
	__be32 ip;

	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (colon) {
		char *end;
		long lo, hi;

		if (!portok)
			return param_problem(out, "Need TCP, UDP, SCTP or DCCP with port specification");
		lo = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || lo <= 0 || lo > 65535)
			return param_problem(out, "Port `%s' not valid\n", colon + 1);
		if (strchr(colon + 1, ':'))
			return param_problem(out, "Invalid port:port syntax - use dash\n");
		hi = lo;
		dash = strchr(colon, '-');
		if (dash) {
			hi = strtol(dash + 1, &end, 10);
			if (end == dash + 1 || hi <= 0 || hi > 65535)
				return param_problem(out, "Port `%s' not valid\n", dash + 1);
			if (hi < lo)
				return param_problem(out, "Port range `%s' funky\n", colon + 1);
		} else if (*end) {
			return param_problem(out, "Port `%s' not valid\n", colon + 1);
		}
		r->min_port = (u16)lo;
		r->max_port = (u16)hi;
		r->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		/* ":PORT" alone: no address part. */
		if (colon == buf)
			return 0;
		*colon = '\0';
	}
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (get_addr(buf, &ip) || !strchr(buf, '.'))
		return param_problem(out, "Bad IP address \"%s\"\n", buf);
	r->min_ip = r->max_ip = ip;
	if (dash) {
		if (get_addr(dash + 1, &ip) || !strchr(dash + 1, '.'))
			return param_problem(out, "Bad IP address \"%s\"\n", dash + 1);
		r->max_ip = ip;
	}
	r->flags |= NF_NAT_RANGE_MAP_IPS;
	return 0;
}

/* MASQUERADE --to-ports P[-Q] (libipt_MASQUERADE parse_ports). */
static int parse_masq_ports(struct ul_buf *out, const char *arg, struct nf_nat_range *r)
{
	char *end;
	unsigned long port, maxport;

	port = strtoul(arg, &end, 10);
	if (end != arg && *arg != '-' && port <= 65535) {
		if (!*end) {
			r->min_port = r->max_port = (u16)port;
			r->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
			return 0;
		}
		if (*end == '-' && end[1] && end[1] != '-') {
			const char *m = end + 1;

			maxport = strtoul(m, &end, 10);
			if (end != m && !*end && maxport <= 65535 && maxport >= port) {
				r->min_port = (u16)port;
				r->max_port = (u16)maxport;
				r->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
				return 0;
			}
		}
	}
	return param_problem(out, "MASQUERADE: Bad value for \"--to-ports\" option: \"%s\"", arg);
}

/* libxt_addrtype's type names, in RTN_* order. */
static const char *const rtn_names[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE",
	"UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};

/* "LOCAL,UNICAST" into a mask of 1 << RTN_* (libxt_addrtype parse_types: a name may be
 * abbreviated, any case). */
static int parse_addrtypes(struct ul_buf *out, const char *arg, u16 *mask)
{
	const char *p = arg;
	int guard = 0;

	while (guard++ < 64) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t k;
		bool found = false;

		for (k = 0; len && k < ARRAY_SIZE(rtn_names); k++) {
			if (!strncasecmp(p, rtn_names[k], len)) {
				*mask |= (u16)(1U << k);
				found = true;
				break;
			}
		}
		if (!found)
			return comma ? param_problem(out, "addrtype: bad type `%s'", p) :
				       param_problem(out, "addrtype: bad type \"%s\"", p);
		if (!comma)
			return 0;
		p = comma + 1;
	}
	return param_problem(out, "addrtype: bad type `%s'", arg);
}

/* iptables -h: 1.4.21's usage, cut to what ulnet implements (DIVERGES: no -R, -S, -E,
 * no other extensions), with the help of the extensions it has. */
static void print_usage(struct ul_buf *out)
{
	ul_bprintf(out, "%s\n\n", IPT_VERSION);
	ul_bputs(out,
		"Usage: iptables -[AD] chain rule-specification [options]\n"
		"       iptables -I chain [rulenum] rule-specification [options]\n"
		"       iptables -D chain rulenum [options]\n"
		"       iptables -L [chain] [options]\n"
		"       iptables -[FZ] [chain] [options]\n"
		"       iptables -[NX] chain\n"
		"       iptables -P chain target [options]\n"
		"       iptables -h (print this help information)\n\n"
		"Commands:\n"
		"Either long or short options are allowed.\n"
		"  --append  -A chain\t\tAppend to chain\n"
		"  --delete  -D chain\t\tDelete matching rule from chain\n"
		"  --delete  -D chain rulenum\n"
		"\t\t\t\tDelete rule rulenum (1 = first) from chain\n"
		"  --insert  -I chain [rulenum]\n"
		"\t\t\t\tInsert in chain as rulenum (default 1=first)\n"
		"  --list    -L [chain]\t\tList the rules in a chain or all chains\n"
		"  --flush   -F [chain]\t\tDelete all rules in  chain or all chains\n"
		"  --zero    -Z [chain]\t\tZero counters in chain or all chains\n"
		"  --new     -N chain\t\tCreate a new user-defined chain\n"
		"  --delete-chain\n"
		"            -X [chain]\t\tDelete a user-defined chain\n"
		"  --policy  -P chain target\n"
		"\t\t\t\tChange policy on chain to target\n\n"
		"Options:\n"
		"[!] --proto\t-p proto\tprotocol: by number or name, eg. `tcp'\n"
		"[!] --source\t-s address[/mask]\n"
		"\t\t\t\tsource specification\n"
		"[!] --destination -d address[/mask]\n"
		"\t\t\t\tdestination specification\n"
		"[!] --in-interface -i input name[+]\n"
		"\t\t\t\tnetwork interface name ([+] for wildcard)\n"
		" --jump\t-j target\n"
		"\t\t\t\ttarget for rule (may load target extension)\n"
		"  --goto      -g chain\n"
		"\t\t\t       jump to chain with no return\n"
		"  --match\t-m match\n"
		"\t\t\t\textended match (may load extension)\n"
		"  --numeric\t-n\t\tnumeric output of addresses and ports\n"
		"[!] --out-interface -o output name[+]\n"
		"\t\t\t\tnetwork interface name ([+] for wildcard)\n"
		"  --table\t-t table\ttable to manipulate (default: `filter')\n"
		"  --verbose\t-v\t\tverbose mode\n"
		"  --line-numbers\t\tprint line numbers when listing\n"
		"  --exact\t-x\t\texpand numbers (display exact values)\n\n"
		"Matches (-m): tcp, udp, icmp, state, conntrack, addrtype. Targets (-j): ACCEPT,\n"
		"DROP, RETURN, REJECT, SNAT, DNAT, MASQUERADE, a user chain.\n\n"
		"addrtype match options:\n"
		" [!] --src-type type[,...]      Match source address type\n"
		" [!] --dst-type type[,...]      Match destination address type\n"
		"     --limit-iface-in           Match only on the packet's incoming device\n"
		"     --limit-iface-out          Match only on the packet's outgoing device\n"
		"Valid types: UNSPEC UNICAST LOCAL BROADCAST ANYCAST MULTICAST BLACKHOLE\n"
		"             UNREACHABLE PROHIBIT THROW NAT XRESOLVE\n\n"
		"SNAT target options:\n"
		" --to-source [<ipaddr>[-<ipaddr>]][:port[-port]]\n"
		"\t\t\t\tAddress to map source to.\n"
		"[--random]\n\n"
		"DNAT target options:\n"
		" --to-destination [<ipaddr>[-<ipaddr>]][:port[-port]]\n"
		"\t\t\t\tAddress to map destination to.\n"
		"[--random]\n\n"
		"MASQUERADE target options:\n"
		" --to-ports <port>[-<port>]\n"
		"\t\t\t\tPort (range) to map to.\n"
		" --random\n"
		"\t\t\t\tRandomize source port.\n");
}

/* Is @opt one of iptables' command letters? Sets the command. */
static int parse_command(struct ul_buf *out, struct ipt_cmd *c, const char *opt)
{
	static const struct { const char *s, *l; char cmd; } cmds[] = {
		{ "-A", "--append", 'A' }, { "-I", "--insert", 'I' }, { "-D", "--delete", 'D' },
		{ "-F", "--flush", 'F' }, { "-Z", "--zero", 'Z' }, { "-P", "--policy", 'P' },
		{ "-N", "--new-chain", 'N' }, { "-X", "--delete-chain", 'X' },
		{ "-L", "--list", 'L' },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (strcmp(opt, cmds[i].s) && strcmp(opt, cmds[i].l))
			continue;
		if (c->command)
			return param_problem(out, "Can't use -%c with -%c", cmds[i].cmd,
					     c->command);
		c->command = cmds[i].cmd;
		return 1;
	}
	return 0;
}

static int parse_args(struct ul_buf *out, struct ipt_cmd *c, int argc, char **argv)
{
	struct ipt_entry *e = &c->e;
	bool invert = false;
	int i, err;

	e->ip.proto = 0;
	e->kind = IPT_T_NONE;
	e->reject_with = IPT_ICMP_PORT_UNREACHABLE;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

#define NEED_ARG() do { if (++i >= argc) \
	return param_problem(out, "option \"%s\" requires an argument", a); } while (0)
		if (!strcmp(a, "!")) {
			if (invert)
				return param_problem(out, "multiple consecutive ! not allowed");
			invert = true;
			continue;
		}
		err = parse_command(out, c, a);
		if (err < 0)
			return err;
		if (err > 0) {
			/* The chain (and a rule number or policy) follow the command. */
			if (i + 1 < argc && argv[i + 1][0] != '-' && argv[i + 1][0] != '!')
				c->chain = argv[++i];
			if ((c->command == 'P' || c->command == 'I' || c->command == 'D') &&
			    i + 1 < argc && argv[i + 1][0] != '-' && argv[i + 1][0] != '!')
				c->arg2 = argv[++i];
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_usage(out);
			c->command = 'h';
			return 0;
		}
		if (!strcmp(a, "-t") || !strcmp(a, "--table")) {
			NEED_ARG();
			if (!strcmp(argv[i], "nat")) {
				c->nat = true;
			} else if (strcmp(argv[i], "filter")) {
				ul_bprintf(out, "%s: can't initialize iptables table `%s': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n",
					   IPT_VERSION, argv[i]);
				return -EOPNOTSUPP;
			}
		} else if (!strcmp(a, "-n") || !strcmp(a, "--numeric")) {
			c->numeric = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			c->verbose = true;
		} else if (!strcmp(a, "-x") || !strcmp(a, "--exact")) {
			c->exact = true;
		} else if (!strcmp(a, "-nv") || !strcmp(a, "-vn")) {
			c->numeric = c->verbose = true;
		} else if (!strcmp(a, "--line-numbers")) {
			c->linenumbers = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--protocol")) {
			size_t k;
			bool found = false;

			NEED_ARG();
			for (k = 0; k < ARRAY_SIZE(chain_protos); k++) {
				if (!strcmp(argv[i], chain_protos[k].name)) {
					e->ip.proto = chain_protos[k].num;
					found = true;
				}
			}
			if (!found) {
				char *end;
				unsigned long v = strtoul(argv[i], &end, 10);

				if (!*argv[i] || *end || v > 255)
					return param_problem(out, "unknown protocol \"%s\" specified",
							     argv[i]);
				e->ip.proto = (u16)v;
			}
			if (invert) {
				if (!e->ip.proto)
					return param_problem(out, "rule would never match protocol");
				e->ip.invflags |= IPT_INV_PROTO;
			}
		} else if (!strcmp(a, "-s") || !strcmp(a, "--source") || !strcmp(a, "--src")) {
			NEED_ARG();
			if ((err = parse_host(out, argv[i], &e->ip.src, &e->ip.smsk)))
				return err;
			if (invert)
				e->ip.invflags |= IPT_INV_SRCIP;
		} else if (!strcmp(a, "-d") || !strcmp(a, "--destination") || !strcmp(a, "--dst")) {
			NEED_ARG();
			if ((err = parse_host(out, argv[i], &e->ip.dst, &e->ip.dmsk)))
				return err;
			if (invert)
				e->ip.invflags |= IPT_INV_DSTIP;
		} else if (!strcmp(a, "-i") || !strcmp(a, "--in-interface")) {
			NEED_ARG();
			if ((err = parse_iface(out, argv[i], e->ip.iniface)))
				return err;
			if (invert)
				e->ip.invflags |= IPT_INV_VIA_IN;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--out-interface")) {
			NEED_ARG();
			if ((err = parse_iface(out, argv[i], e->ip.outiface)))
				return err;
			if (invert)
				e->ip.invflags |= IPT_INV_VIA_OUT;
		} else if (!strcmp(a, "-m") || !strcmp(a, "--match")) {
			NEED_ARG();
			if (!strcmp(argv[i], "tcp"))
				c->matched_tcp = true;
			else if (!strcmp(argv[i], "udp"))
				c->matched_udp = true;
			else if (!strcmp(argv[i], "icmp"))
				c->matched_icmp = true;
			else if (!strcmp(argv[i], "state"))
				c->matched_state = 1;
			else if (!strcmp(argv[i], "conntrack"))
				c->matched_state = 2;
			else if (!strcmp(argv[i], "addrtype"))
				c->matched_addrtype = true;
			else {
				ul_bprintf(out, "%s: Couldn't load match `%s':No such file or directory\n\n%s",
					   IPT_VERSION, argv[i], TRY_HELP);
				return -ENOENT;
			}
		} else if ((!strcmp(a, "--sport") || !strcmp(a, "--source-port") ||
			    !strcmp(a, "--dport") || !strcmp(a, "--destination-port")) &&
			   (c->matched_tcp || c->matched_udp ||
			    e->ip.proto == IPPROTO_TCP || e->ip.proto == IPPROTO_UDP)) {
			bool src = !strcmp(a, "--sport") || !strcmp(a, "--source-port");

			NEED_ARG();
			if ((err = parse_ports(out, argv[i], src ? e->spts : e->dpts)))
				return err;
			if (src) {
				e->has_sport = true;
				e->inv_sport = invert;
			} else {
				e->has_dport = true;
				e->inv_dport = invert;
			}
		} else if (!strcmp(a, "--icmp-type") &&
			   (c->matched_icmp || e->ip.proto == IPPROTO_ICMP)) {
			NEED_ARG();
			if ((err = parse_icmp_type(out, argv[i], &e->icmp_type, &e->icmp_code)))
				return err;
			e->has_icmp = true;
			e->inv_icmp = invert;
		} else if ((!strcmp(a, "--state") && c->matched_state == 1) ||
			   (!strcmp(a, "--ctstate") && c->matched_state == 2)) {
			NEED_ARG();
			if ((err = parse_states(out, argv[i], c->matched_state == 2, &e->statemask)))
				return err;
			e->inv_state = invert;
			e->ctstate_form = c->matched_state == 2;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jump") || !strcmp(a, "-g") ||
			   !strcmp(a, "--goto")) {
			NEED_ARG();
			c->jump = argv[i];
			c->is_goto = a[1] == 'g' || a[2] == 'g';
		} else if (!strcmp(a, "--reject-with") && c->jump && !strcmp(c->jump, "REJECT")) {
			size_t k;
			bool found = false;

			NEED_ARG();
			for (k = 0; k < ARRAY_SIZE(reject_table); k++) {
				if (!strcmp(argv[i], reject_table[k].name) ||
				    !strcmp(argv[i], reject_table[k].alias)) {
					e->reject_with = reject_table[k].with;
					found = true;
				}
			}
			if (!found)
				return param_problem(out, "unknown reject type \"%s\"", argv[i]);
			c->has_reject_with = true;
		} else if ((!strcmp(a, "--to-source") && c->jump && !strcmp(c->jump, "SNAT")) ||
			   (!strcmp(a, "--to-destination") && c->jump &&
			    !strcmp(c->jump, "DNAT"))) {
			NEED_ARG();
			if (c->has_nat_to)
				return param_problem(out, "Multiple --to-%s not supported",
						     c->jump[0] == 'S' ? "source" : "destination");
			if ((err = parse_to(out, argv[i], nat_portok(e), &e->nat_range)))
				return err;
			c->has_nat_to = true;
		} else if (!strcmp(a, "--to-ports") && c->jump && !strcmp(c->jump, "MASQUERADE")) {
			NEED_ARG();
			if (!nat_portok(e))
				return param_problem(out, "Need TCP, UDP, SCTP or DCCP with port specification");
			if ((err = parse_masq_ports(out, argv[i], &e->nat_range)))
				return err;
		} else if (!strcmp(a, "--random") && c->jump &&
			   (!strcmp(c->jump, "SNAT") || !strcmp(c->jump, "DNAT") ||
			    !strcmp(c->jump, "MASQUERADE"))) {
			e->nat_range.flags |= NF_NAT_RANGE_PROTO_RANDOM;
		} else if ((!strcmp(a, "--src-type") || !strcmp(a, "--dst-type")) &&
			   c->matched_addrtype) {
			bool src = a[2] == 's';

			NEED_ARG();
			if ((err = parse_addrtypes(out, argv[i], src ? &e->addrtype.source :
								       &e->addrtype.dest)))
				return err;
			if (invert)
				e->addrtype.flags |= src ? XT_ADDRTYPE_INVERT_SOURCE :
							   XT_ADDRTYPE_INVERT_DEST;
		} else if ((!strcmp(a, "--limit-iface-in") || !strcmp(a, "--limit-iface-out")) &&
			   c->matched_addrtype) {
			u32 mine = a[14] == 'i' ? XT_ADDRTYPE_LIMIT_IFACE_IN :
						  XT_ADDRTYPE_LIMIT_IFACE_OUT;
			u32 other = mine ^ (XT_ADDRTYPE_LIMIT_IFACE_IN | XT_ADDRTYPE_LIMIT_IFACE_OUT);

			if (e->addrtype.flags & other)
				return param_problem(out, "addrtype: \"%s\" option cannot be used together with \"%s\".",
						     a, mine == XT_ADDRTYPE_LIMIT_IFACE_IN ?
						     "--limit-iface-out" : "--limit-iface-in");
			e->addrtype.flags |= mine;
		} else if (a[0] == '-') {
			return param_problem(out, "unknown option \"%s\"", a);
		} else {
			ul_bprintf(out, "Bad argument `%s'\n%s", a, TRY_HELP);
			return -EINVAL;
		}
		if (invert && strcmp(a, "!")) {
			/* Consumed by the option just parsed (or meaningless there). */
			invert = false;
		}
#undef NEED_ARG
	}
	if (!c->command)
		return param_problem(out, "no command specified");
	if (c->matched_addrtype && !e->addrtype.source && !e->addrtype.dest)
		return param_problem(out, "addrtype: you must specify --src-type or --dst-type");
	if ((e->has_sport || e->has_dport) && e->ip.proto != IPPROTO_TCP &&
	    e->ip.proto != IPPROTO_UDP)
		return param_problem(out, "unknown option \"%s\"",
				     e->has_sport ? "--sport" : "--dport");
	return 0;
}

/* ---- rules ---- */

/* Can @from reach @to through jumps? (libiptc refuses loops: ELOOP) */
static bool chain_reaches(struct ipt_chain *from, struct ipt_chain *to, int depth)
{
	struct ipt_entry *e;

	if (from == to)
		return true;
	if (depth > 64)
		return true;
	list_for_each_entry(e, &from->rules, list)
		if (e->jump && chain_reaches(e->jump, to, depth + 1))
			return true;
	return false;
}

/* 3.10 addrtype_mt_checkentry_v1: the interface limits each hook allows. */
static int addrtype_check(struct ul_buf *out, const struct ipt_chain *chain,
			  const struct ipt_entry *e)
{
	const char *why = NULL;
	u32 f = e->addrtype.flags;

	if (chain->hook < 0)
		return 0;
	if ((f & XT_ADDRTYPE_LIMIT_IFACE_OUT) &&
	    (chain->hook == NF_INET_PRE_ROUTING || chain->hook == NF_INET_LOCAL_IN))
		why = "output interface limitation not valid in PREROUTING and INPUT";
	if ((f & XT_ADDRTYPE_LIMIT_IFACE_IN) &&
	    (chain->hook == NF_INET_POST_ROUTING || chain->hook == NF_INET_LOCAL_OUT))
		why = "input interface limitation not valid in POSTROUTING and OUTPUT";
	if (!why)
		return 0;
	pr_info("ipt_addrtype: %s\n", why);
	return iptc_error(out, -EINVAL, "Invalid argument. Run `dmesg' for more information");
}

/* Resolve -j into the entry's target. */
static int set_target(struct ul_buf *out, struct xt_table *t, struct ipt_cmd *c,
		      struct ipt_chain *chain, struct ipt_entry *e)
{
	struct ipt_chain *target;
	int err = addrtype_check(out, chain, e);

	if (err)
		return err;

	if (!c->jump) {
		e->kind = IPT_T_NONE;
		return 0;
	}
	if (!strcmp(c->jump, "ACCEPT") || !strcmp(c->jump, "DROP")) {
		e->kind = IPT_T_VERDICT;
		e->verdict = !strcmp(c->jump, "ACCEPT") ? NF_ACCEPT : NF_DROP;
		return 0;
	}
	if (!strcmp(c->jump, "RETURN")) {
		e->kind = IPT_T_RETURN;
		return 0;
	}
	if (!strcmp(c->jump, "SNAT") || !strcmp(c->jump, "DNAT") ||
	    !strcmp(c->jump, "MASQUERADE")) {
		bool snat = c->jump[0] != 'D';
		/* 3.10's target hooks: SNAT/MASQUERADE in POSTROUTING (and INPUT), DNAT in
		 * PREROUTING and OUTPUT; only in the nat table. */
		if (!c->nat || (chain->hook >= 0 &&
				(snat ? (chain->hook != NF_INET_POST_ROUTING &&
					 (chain->hook != NF_INET_LOCAL_IN || c->jump[0] == 'M')) :
					(chain->hook != NF_INET_PRE_ROUTING &&
					 chain->hook != NF_INET_LOCAL_OUT))))
			return iptc_error(out, -EINVAL,
					  "Invalid argument. Run `dmesg' for more information");
		if (c->jump[0] != 'M' && !c->has_nat_to) {
			ul_bprintf(out, "%s: You must specify --to-%s\n%s", IPT_VERSION,
				   snat ? "source" : "destination", TRY_HELP);
			return -EINVAL;
		}
		e->kind = c->jump[0] == 'S' ? IPT_T_SNAT : c->jump[0] == 'D' ? IPT_T_DNAT :
			  IPT_T_MASQUERADE;
		return 0;
	}
	if (!strcmp(c->jump, "REJECT")) {
		/* 3.10 reject_tg_check: only in INPUT, FORWARD, OUTPUT (and user chains);
		 * tcp-reset only on a rule that says -p tcp (not ! -p tcp). */
		if (e->reject_with == IPT_TCP_RESET &&
		    (e->ip.proto != IPPROTO_TCP || (e->ip.invflags & IPT_INV_PROTO))) {
			pr_info("ipt_REJECT: TCP_RESET invalid for non-tcp\n");
			return iptc_error(out, -EINVAL,
					  "Invalid argument. Run `dmesg' for more information");
		}
		e->kind = IPT_T_REJECT;
		return 0;
	}
	target = ipt_find_chain(t, c->jump);
	if (!target || target->hook >= 0)
		return iptc_error(out, -ENOENT, "No chain/target/match by that name");
	if (chain_reaches(target, chain, 0))
		return iptc_error(out, -ELOOP, "Too many levels of symbolic links");
	e->kind = c->is_goto ? IPT_T_GOTO : IPT_T_JUMP;
	e->jump = target;
	target->refcnt++;
	return 0;
}

static bool same_rule(const struct ipt_entry *a, const struct ipt_entry *b)
{
	return !memcmp(&a->ip, &b->ip, sizeof(a->ip)) && a->has_sport == b->has_sport &&
	       a->has_dport == b->has_dport && a->inv_sport == b->inv_sport &&
	       a->inv_dport == b->inv_dport && (!a->has_sport || !memcmp(a->spts, b->spts, 4)) &&
	       (!a->has_dport || !memcmp(a->dpts, b->dpts, 4)) && a->has_icmp == b->has_icmp &&
	       (!a->has_icmp || (a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
				 a->inv_icmp == b->inv_icmp)) &&
	       a->statemask == b->statemask && a->inv_state == b->inv_state &&
	       a->kind == b->kind && a->verdict == b->verdict && a->jump == b->jump &&
	       (a->kind != IPT_T_REJECT || a->reject_with == b->reject_with) &&
	       !memcmp(&a->nat_range, &b->nat_range, sizeof(a->nat_range)) &&
	       !memcmp(&a->addrtype, &b->addrtype, sizeof(a->addrtype));
}

static unsigned int chain_len(const struct ipt_chain *ch)
{
	const struct ipt_entry *e;
	unsigned int n = 0;

	list_for_each_entry(e, &ch->rules, list)
		n++;
	return n;
}

static int parse_rulenum(struct ul_buf *out, const char *s, unsigned int *n)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < 1 || v > 1000000)
		return param_problem(out, "Invalid rule number `%s'", s);
	*n = (unsigned int)v;
	return 0;
}

static int cmd_add(struct ul_buf *out, struct xt_table *t, struct ipt_chain *ch,
		   struct ipt_cmd *c)
{
	struct ipt_entry *e;
	unsigned int num = 1;
	int err;

	if (c->command == 'I' && c->arg2 && (err = parse_rulenum(out, c->arg2, &num)))
		return err;
	if (c->command == 'I' && num > chain_len(ch) + 1)
		return iptc_error(out, -E2BIG, "Index of insertion too big");
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	*e = c->e;
	INIT_LIST_HEAD(&e->list);
	if (!e->ip.smsk && e->ip.src == 0)
		e->ip.src = 0;
	err = set_target(out, t, c, ch, e);
	if (err) {
		kfree(e);
		return err;
	}
	if (c->command == 'A') {
		list_add_tail(&e->list, &ch->rules);
	} else {
		struct list_head *pos = &ch->rules;
		unsigned int k;

		for (k = 1; k < num; k++)
			pos = pos->next;
		list_add(&e->list, pos);
	}
	return 0;
}

static int cmd_delete(struct ul_buf *out, struct xt_table *t, struct ipt_chain *ch,
		      struct ipt_cmd *c)
{
	struct ipt_entry *e, probe;
	unsigned int num = 0, k = 0;
	int err;

	if (c->arg2) {
		if ((err = parse_rulenum(out, c->arg2, &num)))
			return err;
		list_for_each_entry(e, &ch->rules, list) {
			if (++k == num) {
				list_del(&e->list);
				ipt_free_entry(e);
				return 0;
			}
		}
		return iptc_error(out, -E2BIG, "Index of deletion too big");
	}
	probe = c->e;
	err = set_target(out, t, c, ch, &probe);
	if (err)
		return err;
	if (probe.jump)
		probe.jump->refcnt--;
	list_for_each_entry(e, &ch->rules, list) {
		if (same_rule(e, &probe)) {
			list_del(&e->list);
			ipt_free_entry(e);
			return 0;
		}
	}
	return iptc_error(out, -ENOENT, "Bad rule (does a matching rule exist in that chain?)");
}

/* ---- listing ---- */

static void print_num(struct ul_buf *out, u64 number, unsigned int format)
{
	static const char units[] = "KMGT";
	int u;

	if (!(format & FMT_KILOMEGAGIGA)) {
		ul_bprintf(out, FMT("%8llu ", "%llu "), (unsigned long long)number);
		return;
	}
	if (number <= 99999) {
		ul_bprintf(out, FMT("%5llu ", "%llu "), (unsigned long long)number);
		return;
	}
	for (u = 0; u < 4; u++) {
		number = (number + 500) / 1000;
		if (number <= 9999 || u == 3) {
			ul_bprintf(out, FMT("%4llu%c ", "%llu%c "), (unsigned long long)number,
				   units[u]);
			return;
		}
	}
}

static void print_header(struct ul_buf *out, const struct ipt_chain *ch, unsigned int format)
{
	ul_bprintf(out, "Chain %s", ch->name);
	if (ch->hook >= 0) {
		ul_bprintf(out, " (policy %s", ch->policy == NF_ACCEPT ? "ACCEPT" : "DROP");
		if (!(format & FMT_NOCOUNTS)) {
			ul_bputs(out, " ");
			print_num(out, ch->pcnt, format | FMT_NOTABLE);
			ul_bputs(out, "packets, ");
			print_num(out, ch->bcnt, format | FMT_NOTABLE);
			ul_bputs(out, "bytes");
		}
		ul_bputs(out, ")\n");
	} else {
		ul_bprintf(out, " (%u references)\n", ch->refcnt);
	}
	if (format & FMT_LINENUMBERS)
		ul_bprintf(out, FMT("%-4s ", "%s "), "num");
	if (!(format & FMT_NOCOUNTS)) {
		if (format & FMT_KILOMEGAGIGA) {
			ul_bprintf(out, FMT("%5s ", "%s "), "pkts");
			ul_bprintf(out, FMT("%5s ", "%s "), "bytes");
		} else {
			ul_bprintf(out, FMT("%8s ", "%s "), "pkts");
			ul_bprintf(out, FMT("%10s ", "%s "), "bytes");
		}
	}
	ul_bprintf(out, FMT("%-9s ", "%s "), "target");
	ul_bputs(out, " prot ");
	if (format & FMT_OPTIONS)
		ul_bputs(out, "opt");
	if (format & FMT_VIA) {
		ul_bprintf(out, FMT(" %-6s ", "%s "), "in");
		ul_bprintf(out, FMT("%-6s ", "%s "), "out");
	}
	ul_bprintf(out, FMT(" %-19s ", "%s "), "source");
	ul_bprintf(out, FMT(" %-19s ", " %s "), "destination");
	ul_bputs(out, "\n");
}

static void print_addr(struct ul_buf *out, __be32 addr, __be32 mask, unsigned int format,
		       bool dst)
{
	char buf[40], a[INET_ADDRSTRLEN];
	u32 m = ntohl(mask);
	int len = 0;

	if (!mask && !(format & FMT_NUMERIC)) {
		ul_bprintf(out, dst ? FMT("%-19s ", "-> %s") : FMT("%-19s ", "%s "), "anywhere");
		return;
	}
	while (len < 32 && (m & (0x80000000U >> len)))
		len++;
	if (len == 32)
		snprintf(buf, sizeof(buf), "%s", fmt_addr(addr, a));
	else
		snprintf(buf, sizeof(buf), "%s/%d", fmt_addr(addr, a), len);
	ul_bprintf(out, dst ? FMT("%-19s ", "-> %s") : FMT("%-19s ", "%s "), buf);
}

static void print_ports(struct ul_buf *out, const char *name, const u16 p[2], bool inv)
{
	if (p[0] == 0 && p[1] == 0xffff && !inv)
		return;
	if (p[0] == p[1])
		ul_bprintf(out, " %s:%s%u", name, inv ? "!" : "", p[0]);
	else
		ul_bprintf(out, " %ss:%s%u:%u", name, inv ? "!" : "", p[0], p[1]);
}

/* libxt_addrtype print_types: the names of a mask's types, comma-separated. */
static void print_addrtypes(struct ul_buf *out, u16 mask)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rtn_names); i++) {
		if (mask & (1U << i)) {
			ul_bprintf(out, "%s%s", sep, rtn_names[i]);
			sep = ",";
		}
	}
}

static const char *target_name(const struct ipt_entry *e)
{
	switch (e->kind) {
	case IPT_T_VERDICT:
		return e->verdict == NF_ACCEPT ? "ACCEPT" : "DROP";
	case IPT_T_RETURN:
		return "RETURN";
	case IPT_T_REJECT:
		return "REJECT";
	case IPT_T_SNAT:
		return "SNAT";
	case IPT_T_DNAT:
		return "DNAT";
	case IPT_T_MASQUERADE:
		return "MASQUERADE";
	case IPT_T_JUMP:
	case IPT_T_GOTO:
		return e->jump->name;
	default:
		return "";
	}
}

static void print_rule(struct ul_buf *out, const struct ipt_entry *e, unsigned int num,
		       unsigned int format)
{
	const char *pname = proto_name(e->ip.proto);
	char iface[IFNAMSIZ + 2];

	if (format & FMT_LINENUMBERS)
		ul_bprintf(out, FMT("%-4u ", "%u "), num);
	if (!(format & FMT_NOCOUNTS)) {
		print_num(out, e->pcnt, format);
		print_num(out, e->bcnt, format);
	}
	ul_bprintf(out, FMT("%-9s ", "%s "), target_name(e));
	ul_bputs(out, (e->ip.invflags & IPT_INV_PROTO) ? "!" : " ");
	if (pname)
		ul_bprintf(out, FMT("%-5s", "%s "), pname);
	else
		ul_bprintf(out, FMT("%-5hu", "%hu "), e->ip.proto);
	if (format & FMT_OPTIONS)
		ul_bputs(out, "-- ");
	if (format & FMT_VIA) {
		snprintf(iface, sizeof(iface), "%s%s", (e->ip.invflags & IPT_INV_VIA_IN) ? "!" : "",
			 e->ip.iniface[0] ? e->ip.iniface : (format & FMT_NUMERIC) ? "*" : "any");
		ul_bprintf(out, FMT(" %-6s ", "in %s "), iface);
		snprintf(iface, sizeof(iface), "%s%s", (e->ip.invflags & IPT_INV_VIA_OUT) ? "!" : "",
			 e->ip.outiface[0] ? e->ip.outiface : (format & FMT_NUMERIC) ? "*" : "any");
		ul_bprintf(out, FMT("%-6s ", "out %s "), iface);
	}
	ul_bputs(out, (e->ip.invflags & IPT_INV_SRCIP) ? "!" : " ");
	print_addr(out, e->ip.src, e->ip.smsk, format, false);
	ul_bputs(out, (e->ip.invflags & IPT_INV_DSTIP) ? "!" : " ");
	print_addr(out, e->ip.dst, e->ip.dmsk, format, true);
	/* The matches (libxt_tcp/udp/icmp print), then the target's options. */
	if (e->has_sport || e->has_dport) {
		ul_bputs(out, e->ip.proto == IPPROTO_TCP ? " tcp" : " udp");
		if (e->has_sport)
			print_ports(out, "spt", e->spts, e->inv_sport);
		if (e->has_dport)
			print_ports(out, "dpt", e->dpts, e->inv_dport);
	}
	if (e->has_icmp) {
		if (e->icmp_type == 0xff)
			ul_bprintf(out, " icmp %sany", e->inv_icmp ? "!" : "");
		else {
			ul_bprintf(out, " icmptype %s%u", e->inv_icmp ? "!" : "", e->icmp_type);
			if (e->icmp_code != 0xff)
				ul_bprintf(out, " code %u", e->icmp_code);
		}
	}
	if (e->statemask) {
		size_t k;
		bool first = true;

		ul_bprintf(out, " %s%s ", e->ctstate_form ? "ctstate" : "state",
			   e->inv_state ? " !" : "");
		for (k = 0; k < ARRAY_SIZE(state_names); k++) {
			if (!(e->statemask & state_names[k].bit))
				continue;
			ul_bprintf(out, "%s%s", first ? "" : ",", state_names[k].name);
			first = false;
		}
	}
	if (e->addrtype.source || e->addrtype.dest) {
		/* libxt_addrtype addrtype_print_v1 */
		ul_bputs(out, " ADDRTYPE match");
		if (e->addrtype.source) {
			ul_bprintf(out, " src-type %s",
				   (e->addrtype.flags & XT_ADDRTYPE_INVERT_SOURCE) ? "!" : "");
			print_addrtypes(out, e->addrtype.source);
		}
		if (e->addrtype.dest) {
			ul_bprintf(out, " dst-type %s",
				   (e->addrtype.flags & XT_ADDRTYPE_INVERT_DEST) ? "!" : "");
			print_addrtypes(out, e->addrtype.dest);
		}
		if (e->addrtype.flags & XT_ADDRTYPE_LIMIT_IFACE_IN)
			ul_bputs(out, " limit-in");
		if (e->addrtype.flags & XT_ADDRTYPE_LIMIT_IFACE_OUT)
			ul_bputs(out, " limit-out");
	}
	if (e->kind == IPT_T_REJECT) {
		size_t r;

		/* The table is in libipt_REJECT's order, not the enum's: look the value up. */
		for (r = 0; r < ARRAY_SIZE(reject_table); r++)
			if (reject_table[r].with == e->reject_with)
				ul_bprintf(out, " reject-with %s", reject_table[r].name);
	}
	if (e->kind == IPT_T_SNAT || e->kind == IPT_T_DNAT) {
		/* libipt_SNAT/DNAT print_range */
		const struct nf_nat_range *r = &e->nat_range;
		char a[INET_ADDRSTRLEN];

		ul_bputs(out, " to:");
		if (r->flags & NF_NAT_RANGE_MAP_IPS) {
			ul_bputs(out, fmt_addr(r->min_ip, a));
			if (r->max_ip != r->min_ip)
				ul_bprintf(out, "-%s", fmt_addr(r->max_ip, a));
		}
		if (r->flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
			ul_bprintf(out, ":%u", r->min_port);
			if (r->max_port != r->min_port)
				ul_bprintf(out, "-%u", r->max_port);
		}
		if (r->flags & NF_NAT_RANGE_PROTO_RANDOM)
			ul_bputs(out, " random");
	}
	if (e->kind == IPT_T_MASQUERADE) {
		if (e->nat_range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
			ul_bprintf(out, " masq ports: %u", e->nat_range.min_port);
			if (e->nat_range.max_port != e->nat_range.min_port)
				ul_bprintf(out, "-%u", e->nat_range.max_port);
		}
		if (e->nat_range.flags & NF_NAT_RANGE_PROTO_RANDOM)
			ul_bputs(out, " random");
	}
	if (e->kind == IPT_T_GOTO)
		ul_bputs(out, " [goto] ");
	ul_bputs(out, "\n");
}

static int cmd_list(struct ul_buf *out, struct xt_table *t, struct ipt_chain *only,
		    const struct ipt_cmd *c)
{
	unsigned int format = FMT_OPTIONS;
	struct ipt_chain *ch;
	bool found = false;

	if (!c->verbose)
		format |= FMT_NOCOUNTS;
	else
		format |= FMT_VIA;
	if (c->numeric)
		format |= FMT_NUMERIC;
	if (!c->exact)
		format |= FMT_KILOMEGAGIGA;
	if (c->linenumbers)
		format |= FMT_LINENUMBERS;
	list_for_each_entry(ch, &t->chains, list) {
		const struct ipt_entry *e;
		unsigned int num = 0;

		if (only && ch != only)
			continue;
		if (found)
			ul_bputs(out, "\n");
		print_header(out, ch, format);
		list_for_each_entry(e, &ch->rules, list)
			print_rule(out, e, ++num, format);
		found = true;
	}
	return 0;
}

/* ---- the command ---- */

static int run(struct net *net, struct ipt_cmd *c, struct ul_buf *out)
{
	struct ipt_net *ipn = ipt_pernet_create(net);
	struct xt_table *t = ipn ? (c->nat ? ipn->nat : ipn->filter) : NULL;
	struct ipt_chain *ch = NULL;
	int err;

	if (!t) {
		ul_bprintf(out, "%s: can't initialize iptables table `filter': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n",
			   IPT_VERSION);
		return -EOPNOTSUPP;
	}
	if (c->chain && c->command != 'N') {
		ch = ipt_find_chain(t, c->chain);
		if (!ch)
			return iptc_error(out, -ENOENT, "No chain/target/match by that name");
	}
	switch (c->command) {
	case 'A':
	case 'I':
		if (!ch)
			return param_problem(out, "-%c requires a chain", c->command);
		return cmd_add(out, t, ch, c);
	case 'D':
		if (!ch)
			return param_problem(out, "-D requires a chain");
		return cmd_delete(out, t, ch, c);
	case 'F':
	case 'Z':
		list_for_each_entry(ch, &t->chains, list) {
			if (c->chain && strcmp(ch->name, c->chain))
				continue;
			if (c->command == 'F')
				ipt_flush_chain(ch);
			else
				ipt_zero_chain(ch);
		}
		return 0;
	case 'P':
		if (!ch || !c->arg2)
			return param_problem(out, "-P requires a chain and a policy");
		if (ch->hook < 0)
			return iptc_error(out, -EBADF, "Bad built-in chain name");
		if (!strcmp(c->arg2, "ACCEPT"))
			ch->policy = NF_ACCEPT;
		else if (!strcmp(c->arg2, "DROP"))
			ch->policy = NF_DROP;
		else
			return iptc_error(out, -EINVAL, "Bad policy name. Run `dmesg' for more information");
		return 0;
	case 'N':
		if (!c->chain)
			return param_problem(out, "-N requires a chain");
		if (!strcmp(c->chain, "ACCEPT") || !strcmp(c->chain, "DROP") ||
		    !strcmp(c->chain, "RETURN") || !strcmp(c->chain, "REJECT"))
			return param_problem(out, "chain name may not clash with target name");
		if (strlen(c->chain) >= XT_EXTENSION_MAXNAMELEN)
			return param_problem(out, "chain name `%s' too long (must be under %u chars)",
					     c->chain, XT_EXTENSION_MAXNAMELEN);
		err = ipt_new_chain(t, c->chain);
		if (err == -EEXIST)
			return iptc_error(out, err, "Chain already exists");
		return err;
	case 'X': {
		struct ipt_chain *n;

		if (ch) {
			err = ipt_delete_chain(t, ch);
			if (err == -EBUSY)
				return iptc_error(out, -EMLINK, "Too many links");
			if (err == -ENOTEMPTY)
				return iptc_error(out, err, "Directory not empty");
			if (err == -EPERM)
				return iptc_error(out, err, "Invalid argument");
			return err;
		}
		/* Every empty, unreferenced user chain (iptables -X). */
		list_for_each_entry_safe(ch, n, &t->chains, list)
			if (ch->hook < 0 && ipt_delete_chain(t, ch) == -EBUSY)
				return iptc_error(out, -EMLINK, "Too many links");
		return 0;
	}
	case 'L':
		return cmd_list(out, t, ch, c);
	}
	return param_problem(out, "no command specified");
}

int do_iptables(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	struct ipt_cmd c;
	int err;

	memset(&c, 0, sizeof(c));
	err = parse_args(out, &c, argc, argv);
	if (err || c.command == 'h')
		return err;
	/* The first iptables command loads the filter table (modprobe iptable_filter), a
	 * state match loads conntrack (xt_state's dependency on nf_conntrack_ipv4). */
	err = ip_tables_init();
	if (!err && c.e.statemask)
		err = nf_conntrack_init();
	if (!err && c.nat)
		err = nf_nat_init();
	if (err)
		return err;
	rtnl_lock();
	err = run(net, &c, out);
	rtnl_unlock();
	return err;
}
