/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "linux/atomic.h"
#include "linux/fdtable.h"
#include "linux/netdevice.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "pkt/pkt.h"
#include "pkt/pktdev.h"
#include "pkt/run.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

/* ---- Shell commands ---- */

/* $((a*b+c)) of defaults.sh: * and + on integers only. */
static bool shell_arith(const char *s, size_t n, unsigned long long *out)
{
	unsigned long long sum = 0, prod = 1;
	size_t i = 0;

	while (i < n) {
		unsigned long long v = 0;
		bool digit = false;

		while (i < n && isspace((unsigned char)s[i]))
			i++;
		while (i < n && isdigit((unsigned char)s[i])) {
			v = v * 10 + (unsigned long long)(s[i++] - '0');
			digit = true;
		}
		if (!digit)
			return false;
		prod *= v;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '*') {
			i++;
			continue;
		}
		sum += prod;
		prod = 1;
		if (i < n && s[i] == '+') {
			i++;
			continue;
		}
		if (i < n)
			return false;
	}
	*out = sum;
	return true;
}

/* Expand $((...)) and drop quotes of a sysctl value. */
static bool shell_value(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	const char *p = in;

	while (*p && o + 24 < outlen) {
		if (*p == '"' || *p == '\'') {
			p++;
		} else if (!strncmp(p, "$((", 3)) {
			const char *end = strstr(p, "))");
			unsigned long long v;

			if (!end || !shell_arith(p + 3, (size_t)(end - p - 3), &v))
				return false;
			o += (size_t)snprintf(out + o, outlen - o, "%llu", v);
			p = end + 2;
		} else if (*p == '$') {
			return false;	/* other shell expansions are not ours to guess */
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return !*p;
}

static void note(char *skipped, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(char *skipped, size_t len, const char *fmt, ...)
{
	size_t used = strlen(skipped);
	va_list ap;

	if (used + 2 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(skipped + used, len - used - 1, fmt, ap);
	va_end(ap);
	used = strlen(skipped);
	if (used + 1 < len) {
		skipped[used] = '\n';
		skipped[used + 1] = '\0';
	}
}

static int apply_sysctl(const char *netns, const char *name, const char *rawval, char *skipped,
			size_t len)
{
	char value[256];
	int err;

	if (!shell_value(rawval, value, sizeof(value))) {
		note(skipped, len, "sysctl %s=%s: value not understood", name, rawval);
		return 0;
	}
	err = ul_sysctl_set(netns, name, value);
	if (err) {
		note(skipped, len, "sysctl %s=%s: skipped (%s)", name, value,
		     err == -ENOENT ? "not in ulnet yet" : strerror(-err));
		return 0;
	}
	return 1;
}

/* Split a shell line into words, keeping "quoted strings" whole. */
static int split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		char q = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w[n++] = p;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (!q && (*p == '"' || *p == '\''))
				q = *p;
			else if (q && *p == q)
				q = 0;
			p++;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int run_shell_line(const char *netns, char *line, char *skipped, size_t len);

static int run_defaults_sh(const char *netns, const char *path, char *skipped, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0, k;

	if (!f) {
		note(skipped, len, "%s: cannot open: %s", path, strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *h = strchr(line, '#');

		if (h)
			*h = '\0';
		k = run_shell_line(netns, line, skipped, len);
		if (k > 0)
			n += k;
	}
	fclose(f);
	return n;
}

static const char *pkt_defaults_path;

/* Files the script's shell lines make for open()/sendfile(): `dd if=/dev/zero of=PATH bs=B
 * count=N` (packetdrill's payloads are zeroes) and `rm -f PATH`. DIVERGES: nothing touches
 * the host's file system; open() of such a path gives a memory file (ul_memfd_create) of
 * that many zero bytes. One run at a time, like pkt_defaults_path. */
#define PKT_MAX_FILES 8
static struct pkt_file pkt_files[PKT_MAX_FILES];

void pkt_shell_reset(const char *defaults_sh)
{
	pkt_defaults_path = defaults_sh;
	memset(pkt_files, 0, sizeof(pkt_files));
}

struct pkt_file *pkt_file_find(const char *path, bool create)
{
	int i;

	for (i = 0; i < PKT_MAX_FILES; i++)
		if (pkt_files[i].path[0] && !strcmp(pkt_files[i].path, path))
			return &pkt_files[i];
	if (!create || strlen(path) >= sizeof(pkt_files[0].path))
		return NULL;
	for (i = 0; i < PKT_MAX_FILES; i++)
		if (!pkt_files[i].path[0]) {
			snprintf(pkt_files[i].path, sizeof(pkt_files[i].path), "%s", path);
			pkt_files[i].size = 0;
			return &pkt_files[i];
		}
	return NULL;
}

/* `dd bs=B count=N if=/dev/zero of=PATH ...` and `rm -f PATH...`: 1 when understood. */
static int shell_file(char **w, int n)
{
	const char *base = strrchr(w[0], '/') ? strrchr(w[0], '/') + 1 : w[0];
	long bs = 512, count = -1;
	const char *in = NULL, *of = NULL;
	struct pkt_file *f;
	int i;

	if (!strcmp(base, "rm")) {
		for (i = 1; i < n; i++)
			if (w[i][0] != '-' && (f = pkt_file_find(w[i], false)))
				f->path[0] = '\0';
		return 1;
	}
	if (strcmp(base, "dd"))
		return 0;
	for (i = 1; i < n; i++) {
		if (!strncmp(w[i], "bs=", 3))
			bs = strtol(w[i] + 3, NULL, 10);
		else if (!strncmp(w[i], "count=", 6))
			count = strtol(w[i] + 6, NULL, 10);
		else if (!strncmp(w[i], "if=", 3))
			in = w[i] + 3;
		else if (!strncmp(w[i], "of=", 3))
			of = w[i] + 3;
	}
	if (!in || strcmp(in, "/dev/zero") || !of || count < 0 || bs <= 0 ||
	    bs * count > (1L << 24))
		return 0;
	f = pkt_file_find(of, true);
	if (!f)
		return 0;
	f->size = bs * count;
	return 1;
}

static int run_shell_line(const char *netns, char *line, char *skipped, size_t len)
{
	char *w[32];
	int n, i, applied = 0;
	char *redir, whole[512];

	/* "> /dev/null 2>&1" and friends change nothing for us. */
	redir = strstr(line, " >");
	if (redir)
		*redir = '\0';
	redir = strstr(line, " 2>");
	if (redir)
		*redir = '\0';
	snprintf(whole, sizeof(whole), "%s", line);
	n = split_words(line, w, 32);
	if (n == 0)
		return 0;
	if (!strcmp(w[0], "sysctl")) {
		for (i = 1; i < n; i++) {
			char *eq;

			if (w[i][0] == '-')
				continue;	/* -q, -w, -e */
			eq = strchr(w[i], '=');
			if (!eq) {
				note(skipped, len, "sysctl %s: reading is not a setting, skipped", w[i]);
				continue;
			}
			*eq = '\0';
			applied += apply_sysctl(netns, w[i], eq + 1, skipped, len);
		}
		return applied;
	}
	if (strstr(w[0], "set_sysctls.py")) {
		/* /proc/sys/net/ipv4/tcp_timestamps=0 -> net.ipv4.tcp_timestamps */
		for (i = 1; i < n; i++) {
			char *eq = strchr(w[i], '='), *p;

			if (!eq || strncmp(w[i], "/proc/sys/", 10)) {
				note(skipped, len, "%s %s: skipped", w[0], w[i]);
				continue;
			}
			*eq = '\0';
			for (p = w[i] + 10; *p; p++)
				if (*p == '/')
					*p = '.';
			applied += apply_sysctl(netns, w[i] + 10, eq + 1, skipped, len);
		}
		return applied;
	}
	if (shell_file(w, n))
		return 1;
	if (strstr(w[0], "defaults.sh")) {
		if (!pkt_defaults_path) {
			note(skipped, len, "%s: defaults.sh not found, skipped", w[0]);
			return 0;
		}
		return run_defaults_sh(netns, pkt_defaults_path, skipped, len);
	}
	/* ip and tc are ulnet's own tools (ul_cmd): a line they take is applied, as on the
	 * script's machine; one they refuse (ip tcp_metrics, route metrics) is a note. */
	if (!strcmp(w[0], "ip") || !strcmp(w[0], "tc")) {
		char *out = NULL, *nl;
		const char *cmdline = whole;
		int err;

		while (isspace((unsigned char)*cmdline))
			cmdline++;
		err = ul_cmd(netns, cmdline, &out);
		if (!err) {
			free(out);
			return 1;
		}
		nl = out ? strchr(out, '\n') : NULL;
		if (nl)
			*nl = '\0';
		note(skipped, len, "`%s%s%s`: skipped (ulnet: %s)", w[0], n > 1 ? " " : "",
		     n > 1 ? w[1] : "", out && out[0] ? out : strerror(err < 0 ? -err : err));
		free(out);
		return 0;
	}
	note(skipped, len, "`%s%s%s`: skipped (not a sysctl setting)", w[0], n > 1 ? " " : "",
	     n > 1 ? w[1] : "");
	return 0;
}

int pkt_run_shell(const char *netns, const char *cmd, char *skipped, size_t skippedlen)
{
	char *copy, *line, *save = NULL;
	int n = 0, k;

	if (!cmd)
		return -EINVAL;
	copy = strdup(cmd);
	if (!copy)
		return -ENOMEM;
	/* One command per line, and `a; b` on one line. */
	for (line = strtok_r(copy, "\n;", &save); line; line = strtok_r(NULL, "\n;", &save)) {
		k = run_shell_line(netns, line, skipped, skippedlen);
		if (k > 0)
			n += k;
	}
	free(copy);
	return n;
}
