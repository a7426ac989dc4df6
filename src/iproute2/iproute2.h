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

/* Split @line like a shell (quotes '...' and "...", backslash escapes) into at most @max
 * words, in @storage (at least strlen(line) + 1 bytes). Returns the count or -EINVAL
 * (unbalanced quote, too many words). */
int ul_split_line(const char *line, char *storage, char **argv, int max);

#endif
