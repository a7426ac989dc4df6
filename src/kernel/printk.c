/* SPDX-License-Identifier: MIT */
/* The kernel log: printk with "<N>" levels and "[seconds.micros]" stamps on the stack's clock.
 * Mirrors linux/kernel/printk.c: printk, vprintk_emit (level parsing, console_loglevel), and
 * BUG() reporting (kernel BUG at file:line).
 *
 * Where it goes (printk_init): with no log file, stderr and only KERN_WARNING and more
 * severe (a quiet console, like console_loglevel 5); with a log file, every level.
 * A message without a level prefix has the default level 4 (default_message_loglevel).
 * DIVERGES: no ring buffer (dmesg) and no /proc/kmsg; records go straight to the FILE. */
#include <stdarg.h>
#include <stdlib.h>
#include "init/boot.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/spinlock.h"

#define DEFAULT_MESSAGE_LOGLEVEL 4
#define QUIET_CONSOLE_MAX_LEVEL	 4	/* KERN_WARNING */
#define LOG_LINE_MAX		 1024

static FILE *log_file;		/* NULL: stderr, quiet */
static bool line_open;		/* the last record did not end in '\n' (KERN_CONT follows) */
static DEFINE_SPINLOCK(printk_lock);

/* Context: boot, before anything prints. */
void printk_init(FILE *log)
{
	log_file = log;
	line_open = false;
}

/* "<N>" at the start of @s: its level (0..7), or -1. */
static int printk_get_level(const char *s)
{
	if (s[0] == '<' && s[1] >= '0' && s[1] <= '7' && s[2] == '>')
		return s[1] - '0';
	return -1;
}

/* Context: any. The stamp is the stack's clock (0 before a runtime is up, as the kernel's
 * early boot messages show [    0.000000]). */
int printk(const char *fmt, ...)
{
	char text[LOG_LINE_MAX];
	FILE *out = log_file ? log_file : stderr;
	int level = printk_get_level(fmt);
	const char *body = level >= 0 ? fmt + 3 : fmt;
	u64 ns = ul_clock_ns();
	va_list ap;
	int len;

	if (level < 0)
		level = DEFAULT_MESSAGE_LOGLEVEL;
	va_start(ap, fmt);
	len = vsnprintf(text, sizeof(text), body, ap);
	va_end(ap);
	if (len < 0)
		return len;
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1;	/* truncated, as LOG_LINE_MAX truncates in the kernel */

	if (!log_file && level > QUIET_CONSOLE_MAX_LEVEL)
		return len;

	spin_lock(&printk_lock);
	flockfile(out);
	if (!line_open)
		fprintf(out, "[%5lu.%06lu] ", (unsigned long)(ns / NSEC_PER_SEC),
			(unsigned long)(ns % NSEC_PER_SEC / NSEC_PER_USEC));
	fwrite(text, 1, (size_t)len, out);
	line_open = len > 0 ? text[len - 1] != '\n' : line_open;
	funlockfile(out);
	fflush(out);
	spin_unlock(&printk_lock);
	return len;
}

/* The stack's state can no longer be trusted: report where, and abort. */
void ul_bug(const char *file, int line, const char *cond)
{
	if (log_file) {
		fprintf(log_file, "kernel BUG at %s:%d: %s\n", file, line, cond);
		fflush(log_file);
	}
	fprintf(stderr, "kernel BUG at %s:%d: %s\n", file, line, cond);
	fflush(stderr);
	abort();
}
