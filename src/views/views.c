/* SPDX-License-Identifier: MIT */
/* The views' table and the tools themselves: cat, sysctl, netstat -s, nstat, ethtool, top,
 * slabtop and ss, each taking the real tool's options and printing its format.
 * Mirrors no kernel file: procps sysctl(8), net-tools netstat(8), iproute2 nstat(8) and ss(8),
 * ethtool(8), procps top(1) and slabtop(1). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "linux/seq_file.h"
#include "linux/sysctl.h"
#include "net/core/dev.h"
#include "net/net_namespace.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "views/views.h"

/* ---- cat ------------------------------------------------------------------------------------ */

static int view_cat(struct ul_view_ctx *v, int argc, char **argv)
{
	int i, err;

	if (argc < 2) {
		fprintf(v->err, "cat: missing operand (a /proc or /sys path)\n");
		return -EINVAL;
	}
	for (i = 1; i < argc; i++) {
		/* /sys/class/net/DEV/queues/rx-N/rps_cpus and friends, else /proc. */
		char *text = net_sysfs_path(argv[i]) ? net_sysfs_read(v->net, argv[i], &err)
						     : ul_proc_read_alloc(v->net, argv[i], &err);

		if (!text) {
			fprintf(v->err, "cat: %s: No such file or directory\n", argv[i]);
			return -ENOENT;
		}
		fputs(text, v->out);
		free(text);
	}
	return 0;
}

/* ---- sysctl --------------------------------------------------------------------------------- */

struct sysctl_all {
	FILE *out;
	bool names_only, values_only;
	const char *pattern;	/* sysctl -a PREFIX: only names starting so */
};

static void sysctl_all_one(const char *name, const char *value, void *arg)
{
	struct sysctl_all *a = arg;

	if (a->pattern && strncmp(name, a->pattern, strlen(a->pattern)))
		return;
	if (a->names_only)
		fprintf(a->out, "%s\n", name);
	else if (a->values_only)
		fprintf(a->out, "%s\n", value);
	else
		fprintf(a->out, "%s = %s\n", name, value);
}

/* procps sysctl: "name = value"; -n values only; -N names only; -w (or name=value) writes and
 * echoes "name = value"; -a lists all; -q quiet writes. */
static int view_sysctl(struct ul_view_ctx *v, int argc, char **argv)
{
	bool all = false, values_only = false, names_only = false, write = false, quiet = false;
	char buf[4096];
	int i, rc = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o;

		if (!strcmp(argv[i], "--all"))
			all = true;
		else if (!strcmp(argv[i], "--values"))
			values_only = true;
		else if (!strcmp(argv[i], "--names"))
			names_only = true;
		else if (!strcmp(argv[i], "--write"))
			write = true;
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else {
			for (o = argv[i] + 1; *o; o++) {
				switch (*o) {
				case 'a': case 'A': case 'X': all = true; break;
				case 'n': values_only = true; break;
				case 'N': names_only = true; break;
				case 'w': write = true; break;
				case 'q': quiet = true; break;
				case 'e': break;	/* ignore unknown keys: our default is errors */
				default:
					fprintf(v->err, "sysctl: unknown option '-%c'\n", *o);
					return -EINVAL;
				}
			}
		}
	}
	if (all) {
		struct sysctl_all a = { v->out, names_only, values_only, i < argc ? argv[i] : NULL };

		ul_sysctl_for_each(v->net, sysctl_all_one, &a);
		return 0;
	}
	if (i >= argc) {
		fprintf(v->err, "sysctl: no variables specified (try -a)\n");
		return -EINVAL;
	}
	for (; i < argc; i++) {
		char *eq = strchr(argv[i], '='), name[256];
		int err;

		if (eq || write) {
			const char *val;
			size_t nl;

			if (!eq) {
				fprintf(v->err, "sysctl: \"%s\" must be of the form name=value\n",
					argv[i]);
				return -EINVAL;
			}
			nl = (size_t)(eq - argv[i]);
			while (nl && argv[i][nl - 1] == ' ')
				nl--;
			snprintf(name, sizeof(name), "%.*s", (int)nl, argv[i]);
			val = eq + 1;
			while (*val == ' ')
				val++;
			err = ul_sysctl_write(v->net, name, val);
			if (err) {
				fprintf(v->err, err == -ENOENT ?
					"sysctl: cannot stat /proc/sys/%s: No such file or directory\n" :
					"sysctl: setting key \"%s\": %s\n", name, strerror(-err));
				rc = err;
				continue;
			}
			if (!quiet && !ul_sysctl_read(v->net, name, buf, sizeof(buf)))
				fprintf(v->out, values_only ? "%s\n" : "%s = %s\n",
					values_only ? buf : name, buf);
			continue;
		}
		err = ul_sysctl_read(v->net, argv[i], buf, sizeof(buf));
		if (err) {
			fprintf(v->err, "sysctl: cannot stat /proc/sys/%s: No such file or directory\n",
				argv[i]);
			rc = err;
			continue;
		}
		if (values_only)
			fprintf(v->out, "%s\n", buf);
		else if (names_only)
			fprintf(v->out, "%s\n", argv[i]);
		else
			fprintf(v->out, "%s = %s\n", argv[i], buf);
	}
	return rc;
}

/* ---- netstat -s and nstat --------------------------------------------------------------- */

static int view_netstat(struct ul_view_ctx *v, int argc, char **argv)
{
	char *snmp, *netstat;
	int err;

	if (argc != 2 || (strcmp(argv[1], "-s") && strcmp(argv[1], "--statistics"))) {
		fprintf(v->err, "netstat: only -s is available (sockets: use ss when it exists)\n");
		return -EOPNOTSUPP;
	}
	snmp = ul_proc_read_alloc(v->net, "/proc/net/snmp", &err);
	netstat = ul_proc_read_alloc(v->net, "/proc/net/netstat", &err);
	if (!snmp && !netstat) {
		fprintf(v->err, "netstat: no support for `AF INET (tcp)' on this system "
				"(/proc/net/snmp and /proc/net/netstat do not exist yet)\n");
		return -EOPNOTSUPP;
	}
	ul_netstat_s_format(v->out, snmp, netstat);
	free(snmp);
	free(netstat);
	return 0;
}

/* nstat's history: the last values shown per namespace, as its history file keeps them.
 * DIVERGES: iproute2 keeps it in /tmp/.nstat.u<uid>; ulnet keeps it in memory for the life of
 * the stack, and the rate column is the average since the last call (no daemon). */
#define NSTAT_HIST_MAX 16
static struct nstat_hist {
	unsigned int net_id;
	struct ul_mib_entry *e;
	int n;
	u64 ns;
	bool used;
} nstat_hist[NSTAT_HIST_MAX];

/* The last `top` interval, for `expect top cpuN FIELD`. */
static char *top_before, *top_after;

void ul_top_last(const char **before, const char **after)
{
	*before = top_before;
	*after = top_after;
}

void ul_nstat_reset(void)
{
	int i;

	free(top_before);
	free(top_after);
	top_before = top_after = NULL;
	for (i = 0; i < NSTAT_HIST_MAX; i++) {
		free(nstat_hist[i].e);
		memset(&nstat_hist[i], 0, sizeof(nstat_hist[i]));
	}
}

static int view_nstat(struct ul_view_ctx *v, int argc, char **argv)
{
	bool absolute = false, zeros = false, reset = false, no_update = false, no_output = false;
	struct nstat_hist *h = NULL;
	struct ul_mib_entry *cur;
	int i, n;
	u64 now = ul_now_ns();

	for (i = 1; i < argc; i++) {
		const char *o;

		if (argv[i][0] != '-' || !argv[i][1]) {
			fprintf(v->err, "nstat: patterns are not supported: '%s'\n", argv[i]);
			return -EINVAL;
		}
		for (o = argv[i] + 1; *o; o++) {
			switch (*o) {
			case 'a': absolute = true; break;
			case 'z': zeros = true; break;
			case 'r': reset = true; break;
			case 'n': no_output = true; break;	/* only update the history */
			case 's': no_update = true; break;	/* do not update it */
			default:
				fprintf(v->err, "nstat: unknown option '-%c'\n", *o);
				return -EINVAL;
			}
		}
	}
	n = ul_mib_read(v->net, &cur);
	if (n < 0) {
		fprintf(v->err, "nstat: cannot parse the counters: %s\n", strerror(-n));
		return n;
	}
	for (i = 0; i < NSTAT_HIST_MAX; i++)
		if (nstat_hist[i].used && nstat_hist[i].net_id == v->net->id)
			h = &nstat_hist[i];
	for (i = 0; !h && i < NSTAT_HIST_MAX; i++)
		if (!nstat_hist[i].used) {
			h = &nstat_hist[i];
			h->used = true;
			h->net_id = v->net->id;
		}
	/* The clock went back: a new stack since the history was taken. */
	if (h && h->e && now < h->ns)
		reset = true;
	if (reset && h) {
		free(h->e);
		h->e = NULL;
		h->n = 0;
	}
	if (!no_output)
		ul_nstat_format(v->out, cur, n, h ? h->e : NULL, h ? h->n : 0, absolute, zeros,
				h && h->e ? (double)(now - h->ns) / 1e9 : 0.0);
	if (h && !no_update) {
		free(h->e);
		h->e = cur;
		h->n = n;
		h->ns = now;
	} else {
		free(cur);
	}
	return 0;
}

/* ---- top and slabtop ---------------------------------------------------------------------- */

/* top -d SECS: /proc/stat now, run the stack SECS (virtual on sim), /proc/stat again.
 * DIVERGES: top refreshes until quit; this is one batch iteration (top -b -n 1 -d SECS) with
 * the per-CPU lines only (no task list: ulnet's tasks are in `ps`-less /proc). */
static int view_top(struct ul_view_ctx *v, int argc, char **argv)
{
	double secs = 1.0;
	char *before, *after, *end;
	int err, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			secs = strtod(argv[++i], &end);
			if (*end || secs <= 0 || secs > 3600) {
				fprintf(v->err, "top: bad delay interval '%s'\n", argv[i]);
				return -EINVAL;
			}
		} else if (!strcmp(argv[i], "-b") || !strcmp(argv[i], "-1") ||
			   !strcmp(argv[i], "-n1")) {
			continue;	/* batch, per-CPU, one iteration: what we always do */
		} else {
			fprintf(v->err, "top: unknown option '%s'\n", argv[i]);
			return -EINVAL;
		}
	}
	before = ul_proc_read_alloc(v->net, "/proc/stat", &err);
	ul_run_for((u64)(secs * 1e9));
	after = ul_proc_read_alloc(v->net, "/proc/stat", &err);
	err = before && after ? ul_top_format(v->out, before, after) : -ENOENT;
	free(top_before);
	free(top_after);
	top_before = before;
	top_after = after;
	if (err < 0) {
		fprintf(v->err, "top: cannot read /proc/stat\n");
		return err;
	}
	return 0;
}

static int view_slabtop(struct ul_view_ctx *v, int argc, char **argv)
{
	char sort = 'o', *text;
	int i, err, rows = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--once"))
			continue;
		if (!strcmp(argv[i], "-s") && i + 1 < argc && strchr("ocsn", argv[i + 1][0]) &&
		    argv[i + 1][0] && !argv[i + 1][1]) {
			sort = argv[++i][0];
		} else if (!strncmp(argv[i], "--sort=", 7) && strchr("ocsn", argv[i][7]) &&
			   argv[i][7] && !argv[i][8]) {
			sort = argv[i][7];
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			rows = atoi(argv[++i]);
		} else {
			fprintf(v->err, "slabtop: bad option '%s' (-o, -s o|c|s|n, -n ROWS)\n",
				argv[i]);
			return -EINVAL;
		}
	}
	text = ul_proc_read_alloc(v->net, "/proc/slabinfo", &err);
	if (!text) {
		fprintf(v->err, "slabtop: cannot read /proc/slabinfo\n");
		return -ENOENT;
	}
	err = ul_slabtop_format(v->out, text, sort, rows);
	free(text);
	if (err < 0) {
		fprintf(v->err, "slabtop: cannot parse /proc/slabinfo\n");
		return err;
	}
	return 0;
}

/* ---- the table ------------------------------------------------------------------------------ */

static const struct ul_view views[] = {
	{ "cat", "print /proc and /sys files", "cat /proc/PATH... | /sys/PATH...", view_cat },
	{ "sysctl", "read and write kernel parameters (procps)",
	  "sysctl [-n] [-N] [-q] NAME... | [-w] NAME=VALUE... | -a [PREFIX]", view_sysctl },
	{ "netstat", "protocol statistics in net-tools' sentences", "netstat -s", view_netstat },
	{ "nstat", "SNMP counters: increments since the last call (iproute2)",
	  "nstat [-a] [-z] [-r] [-n] [-s]", view_nstat },
	{ "ethtool", "driver statistics, rings, coalescing, channels, features, RSS",
	  "ethtool -S|-g|-c|-l|-k|-x|-i DEV", ul_view_ethtool },
	{ "top", "CPU shares (us sy ni id wa hi si st) per CPU over an interval",
	  "top [-d SECONDS]", view_top },
	{ "slabtop", "slab caches by objects or size (procps)",
	  "slabtop [-o] [-s o|c|s|n] [-n ROWS]", view_slabtop },
	{ "ss", "socket statistics (iproute2): TCP, UDP and UNIX sockets, or a summary",
	  "ss [-tuxwlanemips] [state NAME] [sport = :N] [dport = :N]", ul_view_ss },
};

const struct ul_view *ul_view_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].name, name))
			return &views[i];
	return NULL;
}

size_t ul_view_count(void)
{
	return sizeof(views) / sizeof(views[0]);
}

const struct ul_view *ul_view_at(size_t i)
{
	return i < ul_view_count() ? &views[i] : NULL;
}

UL_EXPORT int ul_view_run(const char *netns, int argc, char **argv, FILE *out, FILE *err)
{
	struct ul_view_ctx v = { .netns = netns, .out = out ? out : stdout,
				 .err = err ? err : stderr };
	const struct ul_view *view;

	if (argc < 1 || !argv || !argv[0])
		return -EINVAL;
	if (!ul_stack_exists()) {
		fprintf(v.err, "%s: no stack\n", argv[0]);
		return -ENODEV;
	}
	v.net = ul_net_by_name(netns);
	if (!v.net) {
		fprintf(v.err, "%s: no namespace '%s'\n", argv[0], netns);
		return -ENOENT;
	}
	view = ul_view_find(argv[0]);
	if (!view) {
		fprintf(v.err, "%s: no such view\n", argv[0]);
		return -ENOENT;
	}
	return view->fn(&v, argc, argv);
}

UL_EXPORT const char *ul_view_name(size_t i, const char **summary, const char **usage)
{
	const struct ul_view *v = ul_view_at(i);

	if (!v)
		return NULL;
	if (summary)
		*summary = v->summary;
	if (usage)
		*usage = v->usage;
	return v->name;
}
