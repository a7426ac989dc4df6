/* SPDX-License-Identifier: MIT */
/* seq_file: show() functions print into a buffer that grows as needed.
 * Mirrors linux/fs/seq_file.c: seq_printf, seq_vprintf, seq_puts, seq_putc, seq_write,
 * seq_setwidth, seq_pad, seq_release.
 *
 * DIVERGES: Linux fills a fixed buffer and, when it overflows, throws the record away and
 * calls show() again with a buffer twice as large. ulnet's files are read whole into memory
 * (ul_proc_read_alloc), so the buffer simply grows (plain malloc: this is infrastructure,
 * not a kernel object, so it is not counted in the slab statistics). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/seq_file.h"

#define SEQ_MIN_SIZE 4096

/* Make room for @more bytes plus a NUL. Returns 0 or -ENOMEM (contents unchanged). */
static int seq_reserve(struct seq_file *m, size_t more)
{
	size_t need = m->count + more + 1, size = m->size ? m->size : SEQ_MIN_SIZE;
	char *buf;

	if (need < m->count)
		return -ENOMEM;	/* overflow */
	if (m->buf && need <= m->size)
		return 0;
	while (size < need)
		size *= 2;
	buf = realloc(m->buf, size);
	if (!buf)
		return -ENOMEM;
	m->buf = buf;
	m->size = size;
	return 0;
}

static int seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	va_list ap;
	int len;

	va_copy(ap, args);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return -EINVAL;
	if (seq_reserve(m, (size_t)len))
		return -ENOMEM;
	vsnprintf(m->buf + m->count, (size_t)len + 1, fmt, args);
	m->count += (size_t)len;
	return 0;
}

int seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = seq_vprintf(m, fmt, ap);
	va_end(ap);
	return ret;
}

int seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (seq_reserve(m, len))
		return -ENOMEM;
	memcpy(m->buf + m->count, data, len);
	m->count += len;
	m->buf[m->count] = '\0';
	return 0;
}

int seq_puts(struct seq_file *m, const char *s)
{
	return seq_write(m, s, strlen(s));
}

int seq_putc(struct seq_file *m, char c)
{
	return seq_write(m, &c, 1);
}

void seq_setwidth(struct seq_file *m, size_t width)
{
	m->pad_until = m->count + width;
}

void seq_pad(struct seq_file *m, char c)
{
	if (m->pad_until > m->count)
		seq_printf(m, "%*s", (int)(m->pad_until - m->count), "");
	m->pad_until = 0;
	if (c)
		seq_putc(m, c);
}

void seq_release(struct seq_file *m)
{
	free(m->buf);
	m->buf = NULL;
	m->size = m->count = 0;
	m->pad_until = 0;
}
