/* SPDX-License-Identifier: MIT */
/* The command line of the stack: ul_cmd() runs "ip ..." and "sysctl ..." lines in a
 * namespace and returns what the real tools would print.
 * Mirrors no kernel file: the user-space side (procps' sysctl, iproute2's ip) over ulnet's
 * kernel APIs. Errors are worded as the tools word them ("RTNETLINK answers: File exists",
 * "sysctl: cannot stat /proc/sys/...: No such file or directory").
 * Context: the thread that drives the stack, or a task; not from softirq. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/sysctl.h"
#include "net/net_namespace.h"
#include "ulnet/ulnet.h"
#include "iproute2/iproute2.h"
#include "net/hw.h"

#define UL_CMD_MAX_ARGS 128

void ul_bputs(struct ul_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *ns;

		while (b->len + n + 1 > cap)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void ul_bprintf(struct ul_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		ul_bputs(b, small);
		return;
	}
	{
		char *big = malloc((size_t)n + 1);

		if (!big) {
			b->oom = true;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		ul_bputs(b, big);
		free(big);
	}
}

int ul_split_line(const char *line, char *storage, char **argv, int max)
{
	const char *p = line;
	char *o = storage;
	int argc = 0;

	for (;;) {
		char quote = 0;
		bool in_word = false;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (argc >= max)
			return -EINVAL;
		argv[argc] = o;
		while (*p) {
			char c = *p;

			if (quote) {
				if (c == quote) {
					quote = 0;
					p++;
					continue;
				}
				if (c == '\\' && quote == '"' && p[1]) {
					p++;
					c = *p;
				}
				*o++ = c;
				p++;
				continue;
			}
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				break;
			if (c == '\'' || c == '"') {
				quote = c;
				in_word = true;
				p++;
				continue;
			}
			if (c == '\\' && p[1]) {
				p++;
				c = *p;
			}
			*o++ = c;
			in_word = true;
			p++;
		}
		if (quote)
			return -EINVAL;
		(void)in_word;
		*o++ = '\0';
		argc++;
	}
	return argc;
}

/* ---- sysctl(8) (procps-ng) ---- */

struct sysctl_all_arg {
	struct ul_buf *out;
	bool names_only_values;
};

static void sysctl_all_one(const char *name, const char *value, void *arg)
{
	struct sysctl_all_arg *a = arg;

	if (a->names_only_values)
		ul_bprintf(a->out, "%s\n", value);
	else
		ul_bprintf(a->out, "%s = %s\n", name, value);
}

/* procps prints keys with dots; /proc/sys paths with slashes. */
static void sysctl_path_of(const char *key, char *path, size_t len)
{
	size_t i, n = (size_t)snprintf(path, len, "/proc/sys/%s", key);

	for (i = strlen("/proc/sys/"); i < n && i < len; i++)
		if (path[i] == '.')
			path[i] = '/';
}

static int sysctl_read_one(struct net *net, const char *key, bool value_only, struct ul_buf *out)
{
	char val[4096], path[512];
	int err = ul_sysctl_read(net, key, val, sizeof(val));

	if (err == -ENOENT) {
		sysctl_path_of(key, path, sizeof(path));
		ul_bprintf(out, "sysctl: cannot stat %s: No such file or directory\n", path);
		return err;
	}
	if (err && err != -ENOSPC) {
		ul_bprintf(out, "sysctl: reading key \"%s\": %s\n", key, strerror(-err));
		return err;
	}
	if (value_only)
		ul_bprintf(out, "%s\n", val);
	else
		ul_bprintf(out, "%s = %s\n", key, val);
	return 0;
}

static int sysctl_write_one(struct net *net, const char *arg, bool quiet, struct ul_buf *out)
{
	char key[256], path[512];
	const char *eq = strchr(arg, '=');
	const char *value;
	size_t klen;
	int err;

	if (!eq || eq == arg) {
		ul_bprintf(out, "sysctl: \"%s\" must be of the form name=value\n", arg);
		return -EINVAL;
	}
	klen = (size_t)(eq - arg);
	while (klen && (arg[klen - 1] == ' ' || arg[klen - 1] == '\t'))
		klen--;
	if (klen >= sizeof(key)) {
		ul_bprintf(out, "sysctl: key too long\n");
		return -EINVAL;
	}
	memcpy(key, arg, klen);
	key[klen] = '\0';
	value = eq + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (!*value) {
		ul_bprintf(out, "sysctl: malformed setting \"%s\"\n", arg);
		return -EINVAL;
	}
	err = ul_sysctl_write(net, key, value);
	if (err == -ENOENT) {
		sysctl_path_of(key, path, sizeof(path));
		ul_bprintf(out, "sysctl: cannot stat %s: No such file or directory\n", path);
		return err;
	}
	if (err) {
		ul_bprintf(out, "sysctl: setting key \"%s\": %s\n", key, strerror(-err));
		return err;
	}
	if (!quiet)
		return sysctl_read_one(net, key, false, out);
	return 0;
}

int do_sysctl(struct net *net, int argc, char **argv, struct ul_buf *out)
{
	bool write = false, value_only = false, quiet = false, all = false;
	int i, err = 0, done = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--all")) {
			all = true;
			continue;
		}
		if (!strcmp(a, "--write")) {
			write = true;
			continue;
		}
		if (!strcmp(a, "--values")) {
			value_only = true;
			continue;
		}
		if (!strcmp(a, "--quiet")) {
			quiet = true;
			continue;
		}
		for (const char *f = a + 1; *f; f++) {
			switch (*f) {
			case 'w':
				write = true;
				break;
			case 'n':
				value_only = true;
				break;
			case 'q':
				quiet = true;
				break;
			case 'a':
			case 'A':
			case 'X':
				all = true;
				break;
			case 'e':
			case 'N':
				break;
			default:
				ul_bprintf(out, "sysctl: invalid option -- '%c'\n", *f);
				return -EINVAL;
			}
		}
	}
	if (all) {
		struct sysctl_all_arg a = { .out = out, .names_only_values = value_only };

		ul_sysctl_for_each(net, sysctl_all_one, &a);
		return 0;
	}
	if (i >= argc) {
		ul_bprintf(out, "sysctl: no variables specified\n");
		return -EINVAL;
	}
	for (; i < argc; i++) {
		int e;

		/* procps-ng treats NAME=VALUE as a write even without -w. */
		if (write || strchr(argv[i], '='))
			e = sysctl_write_one(net, argv[i], quiet, out);
		else
			e = sysctl_read_one(net, argv[i], value_only, out);
		if (e && !err)
			err = e;
		done++;
	}
	return err;
}

/* ---- the dispatcher ---- */

/* The tools ul_cmd runs, by their first word. One line per tool: each takes the namespace,
 * argv as the shell would pass it (argv[0] is the tool's name) and an output buffer, and
 * returns 0 or -errno with the tool's own error text in the buffer. */
static const struct ul_tool {
	const char *name;
	int (*run)(struct net *net, int argc, char **argv, struct ul_buf *out);
} ul_tools[] = {
	{ "ip", do_ip },
	{ "sysctl", do_sysctl },
	{ "hw", do_hw },		/* ulnet's own verb: hardware has no Linux command */
	{ "tc", do_tc },
	{ "ethtool", do_ethtool },
	{ "bridge", do_bridge },	/* i11: bridge fdb / bridge link */
	{ "iptables", do_iptables },	/* i11: the filter table */
	{ "conntrack", do_conntrack },	/* i11: conntrack -L */
	{ NULL, NULL },
};

static const struct ul_tool *ul_tool_find(const char *name)
{
	const struct ul_tool *t;

	for (t = ul_tools; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

bool ul_cmd_has_tool(const char *name)
{
	return name && ul_tool_find(name) != NULL;
}

UL_API int ul_cmd(const char *netns, const char *line, char **out)
{
	struct ul_buf buf = { 0 };
	char *argv[UL_CMD_MAX_ARGS];
	char *storage;
	struct net *net;
	int argc, err;

	if (out)
		*out = NULL;
	if (!line)
		return -EINVAL;
	if (!ul_stack_exists()) {
		ul_bputs(&buf, "ulnet: no stack\n");
		err = -ENODEV;
		goto done;
	}
	net = ul_net_by_name(netns);
	if (!net) {
		ul_bprintf(&buf, "Cannot open network namespace \"%s\": No such file or directory\n",
			   netns);
		err = -ENOENT;
		goto done;
	}
	storage = malloc(strlen(line) + 1);
	if (!storage) {
		err = -ENOMEM;
		goto done;
	}
	argc = ul_split_line(line, storage, argv, UL_CMD_MAX_ARGS);
	if (argc < 0) {
		ul_bprintf(&buf, "ulnet: cannot parse \"%s\": unbalanced quotes or too many words\n",
			   line);
		err = -EINVAL;
	} else if (argc == 0) {
		err = 0;
	} else {
		const struct ul_tool *t = ul_tool_find(argv[0]);

		if (t) {
			err = t->run(net, argc, argv, &buf);
		} else {
			ul_bprintf(&buf, "ulnet: unknown command '%s' (ul_cmd knows: ", argv[0]);
			for (t = ul_tools; t->name; t++)
				ul_bprintf(&buf, "%s%s", t == ul_tools ? "" : ", ", t->name);
			ul_bputs(&buf, ")\n");
			err = -EOPNOTSUPP;
		}
	}
	free(storage);
done:
	if (buf.oom) {
		free(buf.s);
		buf.s = NULL;
		err = err ? err : -ENOMEM;
	}
	if (!buf.s)
		buf.s = calloc(1, 1);
	if (out)
		*out = buf.s;
	else
		free(buf.s);
	return err;
}
