/* SPDX-License-Identifier: MIT */
/* What the ip subcommands share: argument parsing (addresses, prefixes, link addresses,
 * names of scopes, route types, protocols and tables) and iproute2's error messages.
 * Mirrors no kernel file: iproute2's lib/utils.c, lib/rt_names.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/etherdevice.h"
#include "linux/in.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/arp.h"
#include "net/inetdevice.h"
#include "net/ip.h"
#include "net/ip_fib.h"
#include "net/neighbour.h"
#include "net/net_namespace.h"
#include "net/route.h"
#include "net/rtnetlink.h"
#include "net/sch_generic.h"
#include "iproute2/iproute2.h"

int incomplete(struct ip_ctx *ctx, const char *after)
{
	ul_bputs(ctx->out, "Command line is not complete. Try option \"help\"\n");
	return -EINVAL;
}

int invarg(struct ip_ctx *ctx, const char *msg, const char *arg)
{
	ul_bprintf(ctx->out, "Error: argument \"%s\" is wrong: %s\n", arg, msg);
	return -EINVAL;
}

/* What iproute2 prints when the kernel refuses. */
int rtnl_answer(struct ip_ctx *ctx, int err)
{
	ul_bprintf(ctx->out, "RTNETLINK answers: %s\n", strerror(-err));
	return err;
}

int no_device(struct ip_ctx *ctx, const char *name)
{
	ul_bprintf(ctx->out, "Cannot find device \"%s\"\n", name);
	return -ENODEV;
}

int get_unsigned(const char *s, unsigned int *v)
{
	char *end;
	unsigned long x;

	if (!*s)
		return -1;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (*end || errno || x > UINT_MAX || s[0] == '-')
		return -1;
	*v = (unsigned int)x;
	return 0;
}

int get_addr(const char *s, __be32 *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*addr = a.s_addr;
	return 0;
}

/* "a.b.c.d[/len]", "default", "any", "all" -> address and length (32 without /len). */
int get_prefix(const char *s, __be32 *addr, int *plen, bool *has_len)
{
	char buf[64];
	char *slash;
	unsigned int len = 32;

	*has_len = false;
	if (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all")) {
		*addr = 0;
		*plen = 0;
		*has_len = true;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (get_unsigned(slash + 1, &len) || len > 32)
			return -1;
		*has_len = true;
	}
	if (get_addr(buf, addr))
		return -1;
	*plen = (int)len;
	return 0;
}

const char *fmt_addr(__be32 a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

void fmt_ll(const unsigned char *addr, int len, char *buf)
{
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < len; i++)
		n += sprintf(buf + n, i ? ":%02x" : "%02x", addr[i]);
}

int get_lladdr(const char *s, unsigned char *mac, int maxlen)
{
	int n = 0;

	while (*s && n < maxlen) {
		unsigned int byte;
		char *end;

		byte = (unsigned int)strtoul(s, &end, 16);
		if (end == s || end - s > 2 || byte > 255)
			return -1;
		mac[n++] = (unsigned char)byte;
		s = end;
		if (*s == ':')
			s++;
		else if (*s)
			return -1;
	}
	return *s ? -1 : n;
}

static const char *const scope_names[] = {
	[RT_SCOPE_UNIVERSE] = "global", [RT_SCOPE_SITE] = "site", [RT_SCOPE_LINK] = "link",
	[RT_SCOPE_HOST] = "host", [RT_SCOPE_NOWHERE] = "nowhere",
};

const char *scope_n2a(unsigned int scope, char *buf)
{
	if (scope < ARRAY_SIZE(scope_names) && scope_names[scope])
		return scope_names[scope];
	sprintf(buf, "%u", scope);
	return buf;
}

int scope_a2n(const char *s, unsigned int *scope)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scope_names); i++)
		if (scope_names[i] && !strcmp(s, scope_names[i])) {
			*scope = i;
			return 0;
		}
	return get_unsigned(s, scope) || *scope > 255 ? -1 : 0;
}

const char *const rtntype_names[] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
	"unreachable", "prohibit", "throw", "nat", "xresolve",
};

int rtntype_a2n(const char *s)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(rtntype_names); i++)
		if (!strcmp(s, rtntype_names[i]))
			return (int)i;
	return -1;
}

static const char *const rtprot_names[] = {
	"unspec", "redirect", "kernel", "boot", "static",
};

const char *rtprot_n2a(unsigned int p, char *buf)
{
	if (p < ARRAY_SIZE(rtprot_names))
		return rtprot_names[p];
	sprintf(buf, "%u", p);
	return buf;
}

int rtprot_a2n(const char *s, unsigned int *p)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rtprot_names); i++)
		if (!strcmp(s, rtprot_names[i])) {
			*p = i;
			return 0;
		}
	return get_unsigned(s, p) || *p > 255 ? -1 : 0;
}

int table_a2n(const char *s, u32 *id)
{
	unsigned int v;

	if (!strcmp(s, "main"))
		*id = RT_TABLE_MAIN;
	else if (!strcmp(s, "local"))
		*id = RT_TABLE_LOCAL;
	else if (!strcmp(s, "default"))
		*id = RT_TABLE_DEFAULT;
	else if (!strcmp(s, "all"))
		*id = 0;
	else if (!get_unsigned(s, &v))
		*id = v;
	else
		return -1;
	return 0;
}

const char *table_n2a(u32 id, char *buf)
{
	if (id == RT_TABLE_MAIN)
		return "main";
	if (id == RT_TABLE_LOCAL)
		return "local";
	sprintf(buf, "%u", id);
	return buf;
}
