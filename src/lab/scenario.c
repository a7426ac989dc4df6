/* SPDX-License-Identifier: MIT */
/* The scenario interpreter (`ulnet run FILE`): shell-like lines of ip, sysctl, tcpdump, exec,
 * sleep, the views and expect, run on a simulated stack; a scenario file is a test.
 * Mirrors no kernel file. The language is in docs/scenarios.md: a command table maps a line's
 * first word to its handler; errors name the file, the line and the word that failed. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lab/scenario.h"
#include "iproute2/iproute2.h"
#include "linux/kernel.h"
#include "linux/jiffies.h"
#include "uapi/linux/if.h"
#include "linux/sched.h"
#include "linux/seq_file.h"
#include "linux/spinlock.h"
#include "linux/sysctl.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "ulnet/lab.h"
#include "ulnet/ulnet.h"
#include "views/views.h"


#define SCN_MAX_CAPTURES 16
#define SCN_MAX_TASKS	 64
#define SCN_MAX_LINES	 1000000	/* bounds the interpreter's loop */

/* ---- the line splitter ------------------------------------------------------------------- */

static int word_append(char **w, size_t *len, size_t *cap, char c)
{
	if (*len + 2 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		char *nw = realloc(*w, ncap);

		if (!nw)
			return -ENOMEM;
		*w = nw;
		*cap = ncap;
	}
	(*w)[(*len)++] = c;
	(*w)[*len] = '\0';
	return 0;
}

void scn_words_free(struct scn_line *l)
{
	int i;

	for (i = 0; i < l->nwords; i++)
		free(l->words[i]);
	l->nwords = 0;
}

int scn_next_line(const char **pos, int *lineno, struct scn_line *l, const char **err)
{
	const char *p = *pos;
	char *w = NULL, quote = 0;
	size_t len = 0, cap = 0;
	bool in_word = false;
	int rc = 0;

	l->nwords = 0;
	if (!p || !*p)
		return 0;
	(*lineno)++;
	l->lineno = *lineno;
	for (;; p++) {
		char c = *p;

		if (quote == '\'') {
			if (!c) {
				*err = "unterminated ' quote";
				rc = -EINVAL;
				break;
			}
			if (c == '\'')
				quote = 0;
			else if ((rc = word_append(&w, &len, &cap, c)))
				break;
			if (c == '\n')
				(*lineno)++;
			continue;
		}
		if (quote == '"') {
			if (!c) {
				*err = "unterminated \" quote";
				rc = -EINVAL;
				break;
			}
			if (c == '"') {
				quote = 0;
				continue;
			}
			if (c == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$'))
				c = *++p;
			else if (c == '\\' && p[1] == '\n') {
				p++;
				(*lineno)++;
				continue;
			}
			if (c == '\n')
				(*lineno)++;
			if ((rc = word_append(&w, &len, &cap, c)))
				break;
			continue;
		}
		if (c == '\\') {
			if (p[1] == '\n') {	/* continuation */
				p++;
				(*lineno)++;
				continue;
			}
			if (!p[1]) {
				*err = "backslash at the end of the file";
				rc = -EINVAL;
				break;
			}
			c = *++p;
			in_word = true;
			if ((rc = word_append(&w, &len, &cap, c)))
				break;
			continue;
		}
		if (!c || c == '\n' || c == ' ' || c == '\t' || c == '\r') {
			if (in_word) {
				if (l->nwords >= SCN_MAX_WORDS) {
					*err = "too many words on one line";
					rc = -EINVAL;
					break;
				}
				l->words[l->nwords++] = w ? w : strdup("");
				if (!l->words[l->nwords - 1]) {
					rc = -ENOMEM;
					break;
				}
				w = NULL;
				len = cap = 0;
				in_word = false;
			}
			if (!c || c == '\n') {
				if (c)
					p++;
				break;
			}
			continue;
		}
		if (c == '#' && !in_word) {	/* a comment runs to the end of the line */
			while (p[1] && p[1] != '\n')
				p++;
			continue;
		}
		in_word = true;
		if (c == '\'' || c == '"') {
			quote = c;
			if (!w && (rc = word_append(&w, &len, &cap, 'x')) == 0)
				len = 0, w[0] = '\0';	/* "" is a word */
			if (rc)
				break;
			continue;
		}
		if ((rc = word_append(&w, &len, &cap, c)))
			break;
	}
	free(w);
	if (rc) {
		scn_words_free(l);
		if (rc == -ENOMEM)
			*err = "out of memory";
		*pos = p + (*p ? 1 : 0);
		return rc;
	}
	*pos = p;
	return 1;
}

int scn_parse_duration(const char *s, u64 *ns)
{
	static const struct { const char *sfx; double mult; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "", 1e9 },
	};
	char *end;
	double v;
	size_t i;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || v < 0)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].sfx)) {
			double t = v * units[i].mult;

			if (t > 1e18)	/* about 31 years of virtual time */
				return -EINVAL;
			*ns = (u64)t;
			return 0;
		}
	return -EINVAL;
}

/* ---- the run ------------------------------------------------------------------------------- */

struct scn_task {
	struct ul_task *t;
	const struct scn_program *prog;
	void *state;
	int lineno;
	bool reported;			/* its failure was reported already (exec) */
};

struct scn {
	const char *name;
	struct ul_scenario_opts o;
	FILE *out, *err;
	const char *netns;		/* current namespace (ip netns exec), NULL: init_net */
	int lineno;
	int failed_expects;
	int captures[SCN_MAX_CAPTURES];
	char capture_dev[SCN_MAX_CAPTURES][IFNAMSIZ];
	int ncaptures;
	struct scn_task tasks[SCN_MAX_TASKS];
	int ntasks;
	char *last_out;			/* the previous command's output (expect output ...) */
	bool tracing;
};

__attribute__((format(printf, 3, 4)))
static int scn_error(struct scn *s, const char *word, const char *fmt, ...)
{
	va_list ap;

	fprintf(s->err, "%s:%d: ", s->name, s->lineno);
	if (word)
		fprintf(s->err, "'%s': ", word);
	va_start(ap, fmt);
	vfprintf(s->err, fmt, ap);
	va_end(ap);
	fprintf(s->err, "\n");
	return -EINVAL;
}

typedef int (*scn_handler)(struct scn *s, int argc, char **argv, FILE *out);

static int run_words(struct scn *s, int argc, char **argv);

/* Join words back into a line for ul_cmd, quoting those with blanks or quotes. */
static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *line, *p;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) * 4 + 3;
	line = malloc(len);
	if (!line)
		return NULL;
	p = line;
	for (i = 0; i < argc; i++) {
		const char *c;
		bool q = !*argv[i] || strpbrk(argv[i], " \t'\"\\#");

		if (i)
			*p++ = ' ';
		if (q)
			*p++ = '\'';
		for (c = argv[i]; *c; c++) {
			if (*c == '\'' && q) {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *c;
			}
		}
		if (q)
			*p++ = '\'';
	}
	*p = '\0';
	return line;
}

static int cmd_netns(struct scn *s, int argc, char **argv, FILE *out)
{
	int err;

	if (argc != 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "del") &&
			  strcmp(argv[1], "delete")))
		return scn_error(s, argc > 1 ? argv[1] : argv[0],
				 "usage: netns add|del NAME (or ip netns add|del NAME)");
	err = !strcmp(argv[1], "add") ? ul_netns_add(argv[2]) : ul_netns_del(argv[2]);
	if (err)
		return scn_error(s, argv[2], "netns %s: %s", argv[1], strerror(-err));
	return 0;
}

/* A line for i3b's dispatcher (ip, sysctl): its output, or its message with our place. */
static int cmd_ulcmd(struct scn *s, int argc, char **argv, FILE *out)
{
	char *line, *text = NULL;
	int err;

	line = join_words(argc, argv);
	if (!line)
		return -ENOMEM;
	err = ul_cmd(s->netns, line, &text);
	free(line);
	if (err) {
		size_t n = text ? strlen(text) : 0;

		while (n && text[n - 1] == '\n')
			text[--n] = '\0';
		scn_error(s, argc > 1 ? argv[1] : argv[0], "%s", n ? text : strerror(-err));
	} else if (text) {
		fputs(text, out);
	}
	free(text);
	return err ? -EINVAL : 0;
}

static int cmd_ip(struct scn *s, int argc, char **argv, FILE *out)
{
	int err;

	/* ip netns exec NS COMMAND...: any scenario command, run in NS. */
	if (argc >= 4 && !strcmp(argv[1], "netns") && !strcmp(argv[2], "exec")) {
		const char *saved = s->netns;

		if (!ul_net_by_name(argv[3]))
			return scn_error(s, argv[3], "no such network namespace");
		if (argc < 5)
			return scn_error(s, argv[3], "ip netns exec: no command");
		s->netns = argv[3];
		err = run_words(s, argc - 4, argv + 4);
		s->netns = saved;
		return err;
	}
	return cmd_ulcmd(s, argc, argv, out);
}

static int cmd_view(struct scn *s, int argc, char **argv, FILE *out);

/* sysctl lines go to the dispatcher as ip does (one implementation of the tool's syntax). */
static int cmd_sysctl(struct scn *s, int argc, char **argv, FILE *out)
{
	return cmd_ulcmd(s, argc, argv, out);
}

static int cmd_view(struct scn *s, int argc, char **argv, FILE *out)
{
	char *msg = NULL;
	size_t msglen = 0;
	FILE *err = open_memstream(&msg, &msglen);
	int rc;

	if (!err)
		return -ENOMEM;
	rc = ul_view_run(s->netns, argc, argv, out, err);
	fclose(err);
	if (rc) {
		/* The tool's own message, with the scenario's place in front. */
		size_t n = strlen(msg);

		while (n && msg[n - 1] == '\n')
			msg[--n] = '\0';
		scn_error(s, argv[0], "%s", n ? msg : strerror(-rc));
	}
	free(msg);
	return rc ? -EINVAL : 0;
}

/* Progress of a long sleep: virtual time and (hard + soft) interrupts served per second of
 * wall-clock time, on one line rewritten in place; only when output is a terminal. */
static unsigned long long irq_events(void)
{
	char *stat = ul_proc_read(NULL, "/proc/stat", NULL), *p;
	unsigned long long n = 0;

	if (!stat)
		return 0;
	if ((p = strstr(stat, "intr ")))
		n += strtoull(p + 5, NULL, 10);
	if ((p = strstr(stat, "softirq ")))
		n += strtoull(p + 8, NULL, 10);
	free(stat);
	return n;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_sleep(struct scn *s, int argc, char **argv, FILE *out)
{
	u64 ns, slice, done = 0;
	unsigned long long ev0;
	double t0;
	int i;

	if (argc != 2)
		return scn_error(s, argv[0], "usage: sleep DURATION (3s, 500ms, 10us)");
	if (scn_parse_duration(argv[1], &ns))
		return scn_error(s, argv[1], "bad duration (a number with ns, us, ms, s or m)");
	if (!s->o.progress || ns < NSEC_PER_SEC) {
		ul_run_for(ns);
		return 0;
	}
	slice = ns / 100 ? ns / 100 : 1;
	ev0 = irq_events();
	t0 = wall_s();
	for (i = 0; i < 101 && done < ns; i++) {
		u64 step = ns - done < slice ? ns - done : slice;
		double dt;

		ul_run_for(step);
		done += step;
		dt = wall_s() - t0;
		fprintf(stderr, "\r  [%s:%d] t=%.3fs virtual, %3d%%, %.0f events/s   ", s->name,
			s->lineno, (double)ul_now_ns() / 1e9, (int)(100 * done / ns),
			dt > 0 ? (double)(irq_events() - ev0) / dt : 0.0);
	}
	fprintf(stderr, "\r%70s\r", "");
	return 0;
}

static int cmd_echo(struct scn *s, int argc, char **argv, FILE *out)
{
	int i, err;

	/* echo VALUE > /proc/PATH or /sys/PATH: the only redirection scenarios know
	 * (/proc/irq/N/smp_affinity, /sys/class/net/DEV/queues/rx-N/rps_cpus). */
	if (argc == 4 && !strcmp(argv[2], ">")) {
		if (strncmp(argv[3], "/proc/", 6) && strncmp(argv[3], "/sys/", 5))
			return scn_error(s, argv[3], "echo can only write to /proc and /sys files");
		err = ul_proc_write(s->netns, argv[3], argv[1]);
		if (err)
			return scn_error(s, argv[3], "write error: %s", strerror(-err));
		return 0;
	}

	for (i = 1; i < argc; i++)
		fprintf(out, "%s%s", i > 1 ? " " : "", argv[i]);
	fprintf(out, "\n");
	return 0;
}

/* tcpdump -i DEV -w FILE [-n] [-nn] [-e] [-s N] [filter words...]
 * DIVERGES: only captures to a file (-w); printing packets is left to tcpdump -r FILE. */
static int cmd_tcpdump(struct scn *s, int argc, char **argv, FILE *out)
{
	const char *dev = NULL, *file = NULL;
	char *filter;
	int i, nf = 0, id;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-i") && i + 1 < argc)
			dev = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			i++;	/* snaplen: ulnet captures whole frames */
		else if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "-nn") ||
			 !strcmp(argv[i], "-e") || !strcmp(argv[i], "-U"))
			continue;
		else if (argv[i][0] == '-')
			return scn_error(s, argv[i], "tcpdump: option not supported "
						     "(-i DEV -w FILE [-n] [-e] [-s N] [FILTER])");
		else
			break;
	}
	if (!dev || !file)
		return scn_error(s, argv[0], "tcpdump needs -i DEV and -w FILE (read the file "
					     "with tcpdump -r)");
	if (s->ncaptures >= SCN_MAX_CAPTURES)
		return scn_error(s, argv[0], "more than %d captures", SCN_MAX_CAPTURES);
	nf = argc - i;
	filter = nf ? join_words(nf, argv + i) : NULL;
	if (nf && !filter)
		return -ENOMEM;
	/* The filter words were one quoted word, or several: libpcap takes them joined. */
	if (filter && nf == 1) {
		free(filter);
		filter = strdup(argv[i]);
		if (!filter)
			return -ENOMEM;
	}
	id = ul_capture_start(s->netns, dev, filter, file);
	free(filter);
	if (id < 0)
		return scn_error(s, id == -ENODEV ? dev : nf ? argv[i] : file, "tcpdump: %s",
				 id == -EINVAL ? "bad filter expression" :
				 id == -ENODEV ? "no such device" : strerror(-id));
	s->captures[s->ncaptures] = id;
	snprintf(s->capture_dev[s->ncaptures], IFNAMSIZ, "%s", dev);
	s->ncaptures++;
	fprintf(out, "tcpdump: listening on %s, link-type EN10MB (Ethernet), writing to %s\n",
		dev, file);
	return 0;
}

static void stop_captures(struct scn *s)
{
	int i;

	for (i = 0; i < s->ncaptures; i++) {
		long n = ul_capture_stop(s->captures[i]);

		fprintf(s->out, "tcpdump -i %s: %ld packet%s captured\n", s->capture_dev[i], n,
			n == 1 ? "" : "s");
	}
	s->ncaptures = 0;
}

static int cmd_trace(struct scn *s, int argc, char **argv, FILE *out)
{
	int err;

	if (argc == 2 && !strcmp(argv[1], "on")) {
		err = ul_trace_begin(0);
		if (err)
			return scn_error(s, argv[1], "trace on: %s", strerror(-err));
		s->tracing = true;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "off")) {
		ul_trace_end();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "save")) {
		size_t n = strlen(argv[2]);
		bool json = n > 5 && !strcmp(argv[2] + n - 5, ".json");

		err = json ? ul_trace_save_chrome(argv[2]) : ul_trace_save_text(argv[2]);
		if (err)
			return scn_error(s, argv[2], "trace save: %s", strerror(-err));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "show"))
		return ul_trace_write_text(out) < 0 ? -EIO : 0;
	return scn_error(s, argc > 1 ? argv[1] : argv[0],
			 "usage: trace on|off|show|save FILE (FILE.json: Chrome trace-event)");
}

static int cmd_exec(struct scn *s, int argc, char **argv, FILE *out)
{
	const struct scn_program *prog;
	const char *netns = s->netns, *msg = "bad arguments";
	struct scn_task *st;
	void *state = NULL;
	int i = 1, err, cpu = -1;
	char cpubuf[8];

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			netns = argv[++i];
			if (!ul_net_by_name(netns))
				return scn_error(s, netns, "no such network namespace");
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			cpu = atoi(argv[++i]);
			snprintf(cpubuf, sizeof(cpubuf), "%d", cpu);
			if (strcmp(cpubuf, argv[i]) || cpu < 0)
				return scn_error(s, argv[i], "bad CPU number");
		} else {
			return scn_error(s, argv[i], "usage: exec [-n NS] [-c CPU] PROGRAM ARGS");
		}
	}
	if (i >= argc)
		return scn_error(s, argv[0], "exec: no program");
	prog = scn_program_find(argv[i]);
	if (!prog)
		return scn_error(s, argv[i], "exec: no such built-in program (see ulnet run "
					     "--help for the list)");
	if (s->ntasks >= SCN_MAX_TASKS)
		return scn_error(s, argv[i], "exec: more than %d programs", SCN_MAX_TASKS);
	err = prog->prepare(netns, argc - i, argv + i, &state, &msg);
	if (err)
		return scn_error(s, argv[i], "%s", err == -ENOMEM ? "out of memory" : msg);
	st = &s->tasks[s->ntasks];
	st->t = ul_task_spawn(netns, prog->name, cpu, prog->run, state);
	if (!st->t) {
		prog->release(state);
		return scn_error(s, argv[i], "exec: cannot start the task");
	}
	st->prog = prog;
	st->state = state;
	st->lineno = s->lineno;
	st->reported = false;
	s->ntasks++;
	if (prog->ready) {
		/* A server: the line ends once it serves (bounded: 2 s of the stack's time). */
		int r = 0, k;

		msg = "not serving";
		for (k = 0; k < 2000 && !(r = prog->ready(state, &msg)); k++)
			ul_run_for(NSEC_PER_MSEC);
		if (r < 0) {
			st->reported = true;
			return scn_error(s, argv[i], "%s: %s", msg, strerror(-r));
		}
		if (!r)
			return scn_error(s, argv[i], "exec: not serving within 2 s");
	}
	return 0;
}

/* Join one program; @signal_first: stop it at once if it still runs. A program that waits
 * for something that will never come (sim: -EDEADLK) gets a signal, as kill(1) would send:
 * its interruptible sleep ends with EINTR and it exits. Under `wait` that is an error of the
 * line that started it; at the end of the run it is how programs stop, and only reported.
 * Sets *@rc to -EINVAL after reporting a failure (the first one only). */
static void join_one(struct scn *s, struct scn_task *st, bool at_end, bool signal_first,
		     int *rc)
{
	int code, saved = s->lineno;
	bool stopped = false;

	if (signal_first && READ_ONCE(st->t->state) != TASK_DEAD) {
		st->t->sigpending = 1;
		wake_up_state(st->t, TASK_INTERRUPTIBLE);
		stopped = true;
	}
	code = ul_task_join(st->t);
	if (code == -EDEADLK) {
		st->t->sigpending = 1;
		wake_up_state(st->t, TASK_INTERRUPTIBLE);
		code = ul_task_join(st->t);
		stopped = true;
	}
	s->lineno = st->lineno;
	if (code == -EDEADLK) {
		/* An uninterruptible wait: the task is abandoned to the stack's teardown (its
		 * state stays allocated until then, it may still be in use: not released). */
		scn_error(s, st->prog->name, "can never finish, even signalled");
		*rc = -EINVAL;
		s->lineno = saved;
		return;
	}
	if (st->reported)
		;	/* exec said why it did not start */
	else if (stopped && at_end)
		fprintf(s->out, "%s (line %d): still running at the end: stopped\n",
			st->prog->name, st->lineno);
	else if (stopped && !*rc)
		*rc = scn_error(s, st->prog->name, "waits for something that never comes "
						   "(stopped)");
	else if (code && !*rc)
		*rc = scn_error(s, st->prog->name, "exited with %d (%s)", code,
				code > 0 ? strerror(code) : strerror(-code));
	s->lineno = saved;
	st->prog->release(st->state);
}

/* Join the programs started so far. Those that end by themselves (clients) first; servers
 * (programs with a ready hook: they serve until stopped) only at the end, stopped at once
 * once the clients are done (so a simulated run does not first wait for them to go idle),
 * and `wait` leaves them serving. At the end on posix (ulnet up stopping) every program
 * still running is stopped at once: a join would wait for real. Returns 0 or -EINVAL after
 * reporting a failure. */
static int join_tasks(struct scn *s, bool at_end)
{
	int i, n = 0, pass, rc = 0;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < s->ntasks; i++) {
			struct scn_task *st = &s->tasks[i];
			bool server = st->prog->ready != NULL;

			if (!st->t || server != (pass == 1) || (server && !at_end))
				continue;
			join_one(s, st, at_end, at_end && (server || ul_smp), &rc);
			st->t = NULL;
		}
	}
	/* Keep the servers `wait` left running, in order. */
	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].t)
			s->tasks[n++] = s->tasks[i];
	s->ntasks = n;
	return rc;
}

static int cmd_wait(struct scn *s, int argc, char **argv, FILE *out)
{
	if (argc != 1)
		return scn_error(s, argv[1], "usage: wait");
	return join_tasks(s, false);
}

/* ---- expect ------------------------------------------------------------------------------- */

static int parse_cpu(const char *w, int *cpu)
{
	char *end;
	long v;

	if (strncasecmp(w, "cpu", 3))
		return -EINVAL;
	v = strtol(w + 3, &end, 10);
	if (*end || end == w + 3 || v < 0 || v > 1023)
		return -EINVAL;
	*cpu = (int)v;
	return 0;
}

static int parse_ll(const char *w, long long *v)
{
	char *end;

	if (!*w)
		return -EINVAL;
	*v = strtoll(w, &end, 0);
	return *end ? -EINVAL : 0;
}

/* Read @path of the current namespace; NULL after reporting. */
static char *scn_proc(struct scn *s, const char *path)
{
	int err = 0;
	char *text = ul_proc_read(s->netns, path, &err);

	if (!text)
		scn_error(s, path, "no such /proc file");
	return text;
}

/* Fill @val for VIEW KEY...; returns 0, or an error already reported. */
static int expect_value(struct scn *s, int nkeys, char **k, long long *val, char *sval,
			size_t slen, bool *is_string)
{
	const char *view = k[0];
	char *text;
	int err = -ENOENT, cpu;

	*is_string = false;
	if (!strcmp(view, "netstat") || !strcmp(view, "nstat")) {
		struct ul_mib_entry *e;
		int n;

		if (nkeys != 2)
			return scn_error(s, view, "expect %s COUNTER OP VALUE (e.g. "
						  "TcpExtListenOverflows)", view);
		n = ul_mib_read(ul_net_by_name(s->netns), &e);
		if (n < 0)
			return scn_error(s, view, "cannot read the counters: %s", strerror(-n));
		err = ul_mib_lookup(e, n, k[1], val);
		free(e);
		if (err)
			return scn_error(s, k[1], "no such counter in /proc/net/snmp or "
						  "/proc/net/netstat");
		return 0;
	}
	if (!strcmp(view, "sysctl")) {
		if (nkeys != 2)
			return scn_error(s, view, "expect sysctl NAME OP VALUE");
		err = ul_sysctl_get(s->netns, k[1], sval, slen);
		if (err)
			return scn_error(s, k[1], "no such sysctl");
		if (parse_ll(sval, val))
			*is_string = true;
		return 0;
	}
	if (!strcmp(view, "softirqs")) {
		if (nkeys < 2 || nkeys > 3 || (nkeys == 3 && parse_cpu(k[2], &cpu)))
			return scn_error(s, nkeys == 3 ? k[2] : view,
					 "expect softirqs NAME [cpuN] OP VALUE");
		if (nkeys == 2)
			cpu = -1;
		if (!(text = scn_proc(s, "/proc/softirqs")))
			return -EINVAL;
		err = ul_softirqs_lookup(text, k[1], cpu, val);
		free(text);
		return err ? scn_error(s, k[nkeys - 1], "not in /proc/softirqs") : 0;
	}
	if (!strcmp(view, "softnet")) {
		if (nkeys != 3 || parse_cpu(k[1], &cpu))
			return scn_error(s, nkeys > 1 ? k[1] : view,
					 "expect softnet cpuN FIELD OP VALUE");
		if (!(text = scn_proc(s, "/proc/net/softnet_stat")))
			return -EINVAL;
		err = ul_softnet_lookup(text, cpu, k[2], val);
		free(text);
		return err ? scn_error(s, k[2], "not in /proc/net/softnet_stat (processed, "
						"dropped, time_squeeze, cpu_collision, "
						"received_rps)") : 0;
	}
	if (!strcmp(view, "dev")) {
		if (nkeys != 3)
			return scn_error(s, view, "expect dev DEV FIELD OP VALUE");
		if (!(text = scn_proc(s, "/proc/net/dev")))
			return -EINVAL;
		err = ul_netdev_lookup(text, k[1], k[2], val);
		free(text);
		return err ? scn_error(s, k[2], "no such device or column in /proc/net/dev") : 0;
	}
	if (!strcmp(view, "slab")) {
		if (nkeys != 3)
			return scn_error(s, view, "expect slab CACHE FIELD OP VALUE");
		if (!(text = scn_proc(s, "/proc/slabinfo")))
			return -EINVAL;
		err = ul_slab_lookup(text, k[1], k[2], val);
		free(text);
		return err ? scn_error(s, k[2], "no such cache or field in /proc/slabinfo") : 0;
	}
	if (!strcmp(view, "ethtool")) {
		if (nkeys != 3)
			return scn_error(s, view, "expect ethtool DEV STAT OP VALUE");
		err = ul_ethtool_stats(ul_net_by_name(s->netns), k[1], NULL, k[2], val);
		return err ? scn_error(s, err == -ENOENT ? k[2] : k[1], "ethtool -S: %s",
				       err == -ENOENT ? "no such statistic" : strerror(-err)) : 0;
	}
	if (!strcmp(view, "top")) {
		const char *before, *after;
		double pct;

		if (nkeys != 3 || parse_cpu(k[1], &cpu))
			return scn_error(s, nkeys > 1 ? k[1] : view,
					 "expect top cpuN us|sy|ni|id|wa|hi|si|st OP PERCENT");
		ul_top_last(&before, &after);
		if (!before || !after)
			return scn_error(s, view, "no top interval yet (run `top -d SECONDS` first)");
		if (ul_top_share(before, after, cpu, "id", &pct))
			return scn_error(s, k[1], "no such CPU in /proc/stat");
		if (ul_top_share(before, after, cpu, k[2], &pct))
			return scn_error(s, k[2], "not a share (us sy ni id wa hi si st)");
		*val = (long long)(pct + 0.5);	/* percent, rounded */
		return 0;
	}
	if (!strcmp(view, "proc")) {
		if (nkeys != 4)
			return scn_error(s, view, "expect proc PATH ROW COLUMN OP VALUE, or "
						  "expect proc PATH contains|excludes TEXT");
		if (!(text = scn_proc(s, k[1])))
			return -EINVAL;
		err = ul_proc_cell(text, k[2], k[3], val);
		free(text);
		return err ? scn_error(s, k[2], "no such row/column in %s", k[1]) : 0;
	}
	return scn_error(s, view, "unknown view for expect (netstat nstat sysctl softirqs "
				  "softnet dev slab ethtool top proc trace output)");
}

static int cmd_expect(struct scn *s, int argc, char **argv, FILE *out)
{
	char sval[512] = "", what[512];
	long long val = 0, want;
	bool is_string, ok;
	int op, i, err;
	size_t off = 0;

	if (argc < 4)
		return scn_error(s, argv[0], "usage: expect VIEW KEY... OP VALUE");
	for (i = 1; i < argc && off < sizeof(what); i++)
		off += (size_t)snprintf(what + off, sizeof(what) - off, "%s%s", i > 1 ? " " : "",
					argv[i]);
	/* expect (proc PATH|trace|output) contains|excludes TEXT */
	if (!strcmp(argv[argc - 2], "contains") || !strcmp(argv[argc - 2], "excludes")) {
		bool want_in = !strcmp(argv[argc - 2], "contains"), has;
		char *text = NULL;

		if (!strcmp(argv[1], "trace") && argc == 4) {
			has = ul_trace_has(argv[3]);
		} else if (!strcmp(argv[1], "output") && argc == 4) {
			has = s->last_out && strstr(s->last_out, argv[3]);
		} else if (!strcmp(argv[1], "proc") && argc == 5) {
			if (!(text = scn_proc(s, argv[2])))
				return -EINVAL;
			has = strstr(text, argv[4]) != NULL;
			free(text);
		} else {
			return scn_error(s, argv[1], "expect trace|output|proc PATH "
						     "contains|excludes TEXT");
		}
		if (has != want_in) {
			scn_error(s, argv[argc - 1], "expect failed: %s", what);
			s->failed_expects++;
		} else {
			fprintf(out, "ok: %s\n", what);
		}
		return 0;
	}
	op = ul_lab_op_parse(argv[argc - 2]);
	if (op < 0)
		return scn_error(s, argv[argc - 2], "not an operator (== != < <= > >= contains "
						    "excludes)");
	err = expect_value(s, argc - 3, argv + 1, &val, sval, sizeof(sval), &is_string);
	if (err)
		return err;
	if (is_string || parse_ll(argv[argc - 1], &want)) {
		/* Text: only == and != mean something. */
		if (op > 1)
			return scn_error(s, argv[argc - 1], "not a number (text compares with == "
							    "or != only)");
		if (!is_string)
			snprintf(sval, sizeof(sval), "%lld", val);
		ok = (strcmp(sval, argv[argc - 1]) == 0) == (op == 0);
		if (!ok) {
			scn_error(s, argv[argc - 1], "expect failed: %s (the value is \"%s\")",
				  what, sval);
			s->failed_expects++;
		} else {
			fprintf(out, "ok: %s (\"%s\")\n", what, sval);
		}
		return 0;
	}
	ok = ul_lab_op_eval(op, val, want);
	if (!ok) {
		scn_error(s, argv[argc - 1], "expect failed: %s (the value is %lld)", what, val);
		s->failed_expects++;
	} else {
		fprintf(out, "ok: %s (%lld)\n", what, val);
	}
	return 0;
}

/* ---- the command table ---------------------------------------------------------------------- */

static const struct {
	const char *name;
	scn_handler fn;
} scn_cmds[] = {
	{ "ip", cmd_ip },	  { "netns", cmd_netns },     { "sleep", cmd_sleep },
	{ "echo", cmd_echo },	  { "tcpdump", cmd_tcpdump }, { "trace", cmd_trace },
	{ "exec", cmd_exec },	  { "wait", cmd_wait },	      { "expect", cmd_expect },
	{ "sysctl", cmd_sysctl },
};

static int run_words(struct scn *s, int argc, char **argv)
{
	char *buf = NULL;
	size_t len = 0, i;
	scn_handler fn = NULL;
	FILE *out;
	int rc;

	for (i = 0; i < ARRAY_SIZE(scn_cmds); i++)
		if (!strcmp(scn_cmds[i].name, argv[0]))
			fn = scn_cmds[i].fn;
	/* A tool of ul_cmd (tc, hw, ethtool, ...) runs there, with its own syntax and errors. */
	if (!fn && ul_cmd_has_tool(argv[0]))
		fn = cmd_ulcmd;
	if (!fn && !ul_view_find(argv[0]))
		return scn_error(s, argv[0], "unknown command");
	out = open_memstream(&buf, &len);
	if (!out)
		return -ENOMEM;
	rc = fn ? fn(s, argc, argv, out) : cmd_view(s, argc, argv, out);
	fclose(out);
	if (buf && *buf)
		fputs(buf, s->out);
	/* Line by line, so a pipe (tee, tail -f) sees the run as it goes. */
	fflush(s->out);
	/* expect output ... looks at the output of the command before it (for ip netns exec,
	 * the inner command's, which the nested run_words kept). */
	if (strcmp(argv[0], "expect") &&
	    !(argc > 2 && !strcmp(argv[0], "ip") && !strcmp(argv[1], "netns") &&
	      !strcmp(argv[2], "exec"))) {
		free(s->last_out);
		s->last_out = buf;
	} else {
		free(buf);
	}
	return rc;
}

static struct scn *scn_new(const char *name, const struct ul_scenario_opts *opts)
{
	struct ul_scenario_opts none = { 0 };
	struct scn *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = name ? name : "scenario";
	s->o = opts ? *opts : none;
	s->out = s->o.out ? s->o.out : stdout;
	s->err = s->o.err ? s->o.err : stderr;
	return s;
}

/* Run every line of @text, stopping at the first that fails: 0, or 1 (reported). */
static int scn_lines(struct scn *s, const char *text)
{
	struct scn_line l;
	const char *pos = text, *msg = NULL;
	int lineno = 0, rc = 0, got, n;

	for (n = 0; n < SCN_MAX_LINES; n++) {
		got = scn_next_line(&pos, &lineno, &l, &msg);
		if (got == 0)
			break;
		s->lineno = l.lineno;
		if (got < 0) {
			scn_error(s, NULL, "%s", msg);
			rc = 1;
			break;
		}
		if (l.nwords)
			rc = run_words(s, l.nwords, l.words) ? 1 : 0;
		scn_words_free(&l);
		if (rc)
			break;
	}
	s->lineno = lineno;
	return rc;
}

/* The end of a run: programs joined (or stopped), captures and tracing stopped, failed
 * expects counted; frees @s. Returns @rc, or 1 when something failed. */
static int scn_finish(struct scn *s, int rc)
{
	if (join_tasks(s, true))
		rc = 1;
	stop_captures(s);
	if (s->tracing)
		ul_trace_end();
	if (!rc && s->failed_expects) {
		fprintf(s->err, "%s: %d expect line%s failed\n", s->name, s->failed_expects,
			s->failed_expects == 1 ? "" : "s");
		rc = 1;
	}
	fflush(s->out);
	free(s->last_out);
	free(s);
	return rc;
}

UL_EXPORT int ul_scenario_run_text(const char *name, const char *text,
				   const struct ul_scenario_opts *opts)
{
	struct scn *s;
	bool booted = false;
	int rc;

	if (!text)
		return -EINVAL;
	s = scn_new(name, opts);
	if (!s)
		return -ENOMEM;
	if (!ul_stack_exists()) {
		struct ul_config cfg = { .runtime = UL_RUNTIME_SIM,
					 .ncpus = s->o.ncpus ? s->o.ncpus : 2,
					 .seed = s->o.seed ? s->o.seed : 1 };

		rc = ul_stack_create(&cfg);
		if (rc) {
			free(s);
			return rc;
		}
		booted = true;
	}
	rc = scn_finish(s, scn_lines(s, text));
	if (booted) {
		ul_nstat_reset();
		ul_stack_destroy();
	}
	return rc;
}

/* A run whose programs and captures outlive its lines (ul_scenario_start/stop). */
struct ul_scenario {
	struct scn *s;
};

UL_EXPORT int ul_scenario_start(const char *name, const char *text,
				const struct ul_scenario_opts *opts, struct ul_scenario **sp)
{
	struct ul_scenario *run;
	struct scn *s;
	int rc;

	if (!text || !sp)
		return -EINVAL;
	*sp = NULL;
	if (!ul_stack_exists())
		return -ENODEV;
	run = calloc(1, sizeof(*run));
	s = run ? scn_new(name, opts) : NULL;
	if (!s) {
		free(run);
		return -ENOMEM;
	}
	rc = scn_lines(s, text);
	if (rc || s->failed_expects) {
		free(run);
		scn_finish(s, rc);
		return 1;
	}
	fflush(s->out);
	run->s = s;
	*sp = run;
	return 0;
}

UL_EXPORT int ul_scenario_stop(struct ul_scenario *run)
{
	int rc;

	if (!run)
		return 0;
	rc = scn_finish(run->s, 0);
	free(run);
	return rc;
}

/* The whole of @path (a file or a pipe) as a string: 0, or -errno (-EINVAL for a NUL byte:
 * not a text file; -EFBIG over 64 MiB). */
static int scn_read_file(const char *path, char **textp)
{
	const size_t max = 64u << 20;	/* a scenario is text: 64 MiB is plenty */
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 0, n;
	char *text = NULL;

	if (!f)
		return -errno;
	/* Read in chunks, not by size: the file may be a pipe (ulnet run -). */
	do {
		if (cap - len < 4096) {
			char *nt;

			cap = cap ? cap * 2 : 16384;
			nt = cap <= max + 1 ? realloc(text, cap + 1) : NULL;
			if (!nt) {
				free(text);
				fclose(f);
				return cap > max + 1 ? -EFBIG : -ENOMEM;
			}
			text = nt;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		free(text);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	text[len] = '\0';
	if (strlen(text) != len) {
		free(text);
		return -EINVAL;
	}
	*textp = text;
	return 0;
}

UL_EXPORT int ul_scenario_run_file(const char *path, const struct ul_scenario_opts *opts)
{
	char *text = NULL;
	int rc = scn_read_file(path, &text);

	if (rc)
		return rc;
	rc = ul_scenario_run_text(path, text, opts);
	free(text);
	return rc;
}

UL_EXPORT int ul_scenario_start_file(const char *path, const struct ul_scenario_opts *opts,
				     struct ul_scenario **sp)
{
	char *text = NULL;
	int rc;

	if (!sp)
		return -EINVAL;
	*sp = NULL;
	rc = scn_read_file(path, &text);
	if (rc)
		return rc;
	rc = ul_scenario_start(path, text, opts, sp);
	free(text);
	return rc;
}
