/* SPDX-License-Identifier: MIT */
/* Private declarations of ulnet's command tools (src/iproute2/): the output buffer, the
 * argument helpers and the entry points of `ip` and `sysctl` that ul_cmd() dispatches to.
 * Mirrors iproute2's ip/ip_common.h and utils.h (matches, get_prefix, format of
 * addresses): the tools print what iproute2 and procps print, from the stack's state. */
#ifndef _IPROUTE2_IPROUTE2_H
#define _IPROUTE2_IPROUTE2_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "linux/compiler.h"
#include "linux/types.h"

struct net;

/* A growing output string. */
struct ul_buf {
	char *s;
	size_t len, cap;
	bool oom;
};
__printf(2, 3) void ul_bprintf(struct ul_buf *b, const char *fmt, ...);
void ul_bputs(struct ul_buf *b, const char *s);

/* One invocation: the namespace it runs in, the global options, the output. */
struct ip_ctx {
	struct net *net;
	int stats;		/* -s (repeatable) */
	int details;		/* -d */
	struct ul_buf *out;	/* what the command prints (or the error it prints) */
};

/* iproute2's matches(): @cmd is a non-empty prefix of @pattern. */
static inline bool matches(const char *cmd, const char *pattern)
{
	size_t len = 0;

	while (cmd[len])
		len++;
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!pattern[i] || cmd[i] != pattern[i])
			return false;
	return true;
}

/* `ip ...` (argv[0] is "ip"). 0 or -errno; the message is in ctx->out. */
int do_ip(struct net *net, int argc, char **argv, struct ul_buf *out);
/* `sysctl ...` (argv[0] is "sysctl"). */
int do_sysctl(struct net *net, int argc, char **argv, struct ul_buf *out);

/* `bridge fdb ...`, `bridge link ...` (argv[0] is "bridge"; src/iproute2/bridge.c). */
int do_bridge(struct net *net, int argc, char **argv, struct ul_buf *out);
/* `iptables ...` (src/iproute2/iptables.c). */
int do_iptables(struct net *net, int argc, char **argv, struct ul_buf *out);
/* `conntrack -L|-C|-F [-p PROTO]` (src/iproute2/conntrack.c). */
int do_conntrack(struct net *net, int argc, char **argv, struct ul_buf *out);
/* "<BROADCAST,MULTICAST,UP,LOWER_UP>" of dev_get_flags() (ip.c; bridge link uses it). */
void print_link_flags(struct ul_buf *out, unsigned int flags);

/* `ip` subcommands (argv[i] is the first word after the object). */
int do_iproute(struct ip_ctx *ctx, int argc, char **argv, int i);
int do_ipneigh(struct ip_ctx *ctx, int argc, char **argv, int i);

/* ---- utils.c ---- */
/* NEXT_ARG(): the next word, or "Command line is not complete" (needs ctx, argc, argv, i). */
#define NEXT_ARG() do { if (++i >= argc) return incomplete(ctx, argv[i - 1]); } while (0)
int incomplete(struct ip_ctx *ctx, const char *after);
/* "Error: argument \"ARG\" is wrong: MSG"; returns -EINVAL. */
int invarg(struct ip_ctx *ctx, const char *msg, const char *arg);
/* "RTNETLINK answers: <strerror>"; returns @err. */
int rtnl_answer(struct ip_ctx *ctx, int err);
/* "Cannot find device \"NAME\""; returns -ENODEV. */
int no_device(struct ip_ctx *ctx, const char *name);
int get_unsigned(const char *s, unsigned int *v);	/* 0 or -1 */
int get_addr(const char *s, __be32 *addr);		/* 0 or -1 */
/* "a.b.c.d[/len]", "default", "any", "all"; *has_len says whether /len was given. */
int get_prefix(const char *s, __be32 *addr, int *plen, bool *has_len);
const char *fmt_addr(__be32 a, char *buf);		/* buf: INET_ADDRSTRLEN */
void fmt_ll(const unsigned char *addr, int len, char *buf);	/* "02:00:..." */
int get_lladdr(const char *s, unsigned char *mac, int maxlen);	/* length or -1 */
const char *scope_n2a(unsigned int scope, char *buf);	/* "global", "link", ... */
int scope_a2n(const char *s, unsigned int *scope);
extern const char *const rtntype_names[12];		/* "unspec", "unicast", ... */
int rtntype_a2n(const char *s);				/* RTN_* or -1 */
const char *rtprot_n2a(unsigned int p, char *buf);	/* "kernel", "boot", ... */
int rtprot_a2n(const char *s, unsigned int *p);
int table_a2n(const char *s, u32 *id);			/* "main", "local", "all" (0), N */
const char *table_n2a(u32 id, char *buf);

/* Split @line like a shell (quotes '...' and "...", backslash escapes) into at most @max
 * words, in @storage (at least strlen(line) + 1 bytes). Returns the count or -EINVAL
 * (unbalanced quote, too many words). */
int ul_split_line(const char *line, char *storage, char **argv, int max);

/* Does ul_cmd know the tool @name (its first word)? Scenario files use it to pass any line
 * whose first word is a tool (ip, tc, hw, ethtool, ...) to ul_cmd. */
bool ul_cmd_has_tool(const char *name);

#endif
