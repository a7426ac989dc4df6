/* SPDX-License-Identifier: MIT */
/* `ulnet pkt SCRIPT|DIR...`: run packetdrill .pkt scripts on the sim runtime (src/pkt/).
 * Mirrors no kernel file: the runner of issue #9 (packetdrill's command line, its output
 * shape). One line per script, PASS|FAIL|SKIP and the path, details indented under FAIL and
 * SKIP, then "N passed, N failed, N skipped"; exit 0 only when nothing failed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "pkt/pkt.h"

#define PKT_MAX_SCRIPTS 100000

struct pathlist {
	char **v;
	size_t n, cap;
};

static int pl_add(struct pathlist *pl, const char *p)
{
	char *d;

	if (pl->n >= PKT_MAX_SCRIPTS)
		return -E2BIG;
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 64;
		char **nv = realloc(pl->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		pl->v = nv;
		pl->cap = cap;
	}
	d = strdup(p);
	if (!d)
		return -ENOMEM;
	pl->v[pl->n++] = d;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_pkt_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".pkt");
}

/* Every *.pkt under @dir, recursively, in name order (depth bounded against loops). */
static int collect_dir(struct pathlist *pl, const char *dir, int depth)
{
	struct pathlist here = { 0 };
	struct dirent *de;
	DIR *d;
	size_t i;
	int err = 0;

	if (depth > 32)
		return 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char p[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= (int)sizeof(p))
			continue;
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && has_pkt_suffix(de->d_name)))
			if ((err = pl_add(&here, p)))
				break;
	}
	closedir(d);
	if (here.n)
		qsort(here.v, here.n, sizeof(*here.v), cmp_str);
	for (i = 0; i < here.n; i++) {
		struct stat st;

		if (!err && !stat(here.v[i], &st))
			err = S_ISDIR(st.st_mode) ? collect_dir(pl, here.v[i], depth + 1) :
						    pl_add(pl, here.v[i]);
		free(here.v[i]);
	}
	free(here.v);
	return err;
}

/* The defaults.sh a script's `../common/defaults.sh` names: relative to its folder. */
static bool find_defaults(const char *script, char *out, size_t outlen)
{
	char copy[PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", script);
	snprintf(out, outlen, "%s/../common/defaults.sh", dirname(copy));
	return access(out, R_OK) == 0;
}

static void print_details(const char *details)
{
	const char *p = details;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		printf("    %.*s\n", len, p);
		p = nl ? nl + 1 : NULL;
	}
}

static void pkt_usage(FILE *f)
{
	fprintf(f, "Usage: ulnet pkt [--verbose] [--defaults FILE] [--sysctl NAME=VALUE]...\n"
		   "                 SCRIPT|DIR...\n\n"
		   "Runs packetdrill scripts (.pkt) on the sim runtime; folders are searched\n"
		   "recursively for *.pkt. Prints PASS|FAIL|SKIP and the path of each script,\n"
		   "details under FAIL and SKIP, then 'N passed, N failed, N skipped'.\n"
		   "Exit status: 0 when nothing failed, 1 otherwise, 2 on a usage error.\n\n"
		   "  --defaults FILE  the defaults.sh to apply for scripts that load\n"
		   "                   ../common/defaults.sh (default: found next to the script)\n"
		   "  --sysctl N=V     set sysctl N to V on the test host before each script\n"
		   "                   (the machine the scripts were written for; repeatable)\n"
		   "  --verbose        also show notes (skipped shell commands) under PASS\n"
		   "  --parse-only     only parse: PASS when the script parses\n");
}

static int pkt_main(int argc, char **argv);

const struct ulnet_cmd ulnet_cmd_pkt = {
	.name = "pkt",
	.summary = "run packetdrill .pkt scripts (files or folders)",
	.main = pkt_main,
	.usage = pkt_usage,
};

static int pkt_main(int argc, char **argv)
{
	struct pathlist pl = { 0 };
	struct pkt_run_opts o = { 0 };
	const char *defaults = NULL;
	bool parse_only = false;
	unsigned long passed = 0, failed = 0, skipped = 0;
	size_t i;
	int a, err;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			pkt_usage(stdout);
			return ULNET_EXIT_OK;
		} else if (!strcmp(argv[a], "--verbose") || !strcmp(argv[a], "-v")) {
			o.verbose = true;
		} else if (!strcmp(argv[a], "--parse-only")) {
			parse_only = true;
		} else if (!strcmp(argv[a], "--sysctl")) {
			if (++a >= argc || !strchr(argv[a], '='))
				return ulnet_usage_error(&ulnet_cmd_pkt, "--sysctl needs NAME=VALUE");
			if (o.nsysctls >= PKT_MAX_OPT_SYSCTLS)
				return ulnet_usage_error(&ulnet_cmd_pkt, "too many --sysctl");
			o.sysctls[o.nsysctls++] = argv[a];
		} else if (!strcmp(argv[a], "--defaults")) {
			if (++a >= argc)
				return ulnet_usage_error(&ulnet_cmd_pkt, "--defaults needs a file");
			defaults = argv[a];
		} else if (!strcmp(argv[a], "--")) {
			a++;
			break;
		} else if (argv[a][0] == '-') {
			return ulnet_usage_error(&ulnet_cmd_pkt, "unknown option '%s'", argv[a]);
		} else {
			break;
		}
	}
	if (a >= argc)
		return ulnet_usage_error(&ulnet_cmd_pkt, "no script or folder given");
	for (; a < argc; a++) {
		struct stat st;

		if (stat(argv[a], &st)) {
			fprintf(stderr, "ulnet pkt: %s: %s\n", argv[a], strerror(errno));
			err = -errno;
			goto out_usage;
		}
		err = S_ISDIR(st.st_mode) ? collect_dir(&pl, argv[a], 0) : pl_add(&pl, argv[a]);
		if (err) {
			fprintf(stderr, "ulnet pkt: %s: %s\n", argv[a], strerror(-err));
			goto out_usage;
		}
	}
	for (i = 0; i < pl.n; i++) {
		struct pkt_result r;
		char dpath[PATH_MAX];
		static const char *const names[] = { "PASS", "FAIL", "SKIP" };

		o.defaults_sh = defaults;
		if (!defaults && find_defaults(pl.v[i], dpath, sizeof(dpath)))
			o.defaults_sh = dpath;
		if (parse_only) {
			struct pkt_error pe;
			struct pkt_script *s = pkt_parse_file(pl.v[i], &pe);

			memset(&r, 0, sizeof(r));
			r.verdict = s ? PKT_PASS : PKT_FAIL;
			if (!s && asprintf(&r.details, "%s:%d:%d: error: %s", pl.v[i], pe.line,
					   pe.col, pe.msg) < 0)
				r.details = NULL;
			pkt_script_free(s);
		} else {
			pkt_run_file(pl.v[i], &o, &r);
		}
		printf("%s %s\n", names[r.verdict], pl.v[i]);
		if (r.verdict != PKT_PASS || o.verbose)
			print_details(r.details);
		fflush(stdout);
		passed += r.verdict == PKT_PASS;
		failed += r.verdict == PKT_FAIL;
		skipped += r.verdict == PKT_SKIP;
		pkt_result_free(&r);
	}
	printf("%lu passed, %lu failed, %lu skipped\n", passed, failed, skipped);
	for (i = 0; i < pl.n; i++)
		free(pl.v[i]);
	free(pl.v);
	return failed ? ULNET_EXIT_FAIL : ULNET_EXIT_OK;

out_usage:
	for (i = 0; i < pl.n; i++)
		free(pl.v[i]);
	free(pl.v);
	return ULNET_EXIT_USAGE;
}
