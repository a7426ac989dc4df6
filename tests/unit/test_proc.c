/* SPDX-License-Identifier: MIT */
/* seq_file and /proc registry tests: growing buffers, padding, path forms, per-namespace
 * reads (m->net), duplicates, removal, listing. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/seq_file.h"

static void test_seq_buffer_grows(void **state)
{
	struct seq_file m;
	int i;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < 10000; i++)
		assert_int_equal(seq_printf(&m, "%05d\n", i), 0);
	assert_int_equal(m.count, 60000);
	assert_true(m.size > m.count);
	assert_memory_equal(m.buf, "00000\n00001\n", 12);
	assert_memory_equal(m.buf + 59994, "09999\n", 6);
	assert_int_equal(seq_puts(&m, "ab"), 0);
	assert_int_equal(seq_putc(&m, 'c'), 0);
	assert_int_equal(seq_write(&m, "d\0e", 3), 0);
	assert_int_equal(m.count, 60006);
	assert_memory_equal(m.buf + 60000, "abcd\0e", 6);
	seq_release(&m);
	assert_null(m.buf);
	assert_int_equal(m.count, 0);
}

static void test_seq_pad(void **state)
{
	struct seq_file m;

	memset(&m, 0, sizeof(m));
	seq_puts(&m, "hdr\n");
	/* /proc/net/tcp style: a record padded to a fixed width. */
	seq_setwidth(&m, 10);
	seq_puts(&m, "abc");
	seq_pad(&m, '\n');
	seq_setwidth(&m, 2);
	seq_puts(&m, "longer");
	seq_pad(&m, '\n');	/* already past the width: no padding */
	seq_pad(&m, 0);		/* no width set: nothing */
	assert_int_equal(m.count, strlen("hdr\nabc       \nlonger\n"));
	assert_string_equal(m.buf, "hdr\nabc       \nlonger\n");
	seq_release(&m);
}

static int show_hello(struct seq_file *m, void *v)
{
	seq_printf(m, "hello %s net=%p priv=%s\n", (const char *)v, (void *)m->net,
		   (const char *)m->private);
	return 0;
}

static int show_big(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < 5000; i++)
		seq_printf(m, "line %d\n", i);
	return 0;
}

static int show_fail(struct seq_file *m, void *v)
{
	seq_puts(m, "partial");
	return -EIO;
}

static int show_empty(struct seq_file *m, void *v)
{
	return 0;
}

static void collect(const char *path, void *arg)
{
	char *buf = arg;

	strcat(buf, path);
	strcat(buf, ",");
}

static void test_registry(void **state)
{
	char expect[128], list[4096];
	struct net *fake_net = (struct net *)(uintptr_t)0x1000;
	char *text;
	int err;

	assert_int_equal(proc_create_single("test/hello", show_hello, "world"), 0);
	assert_int_equal(proc_create_single("/proc/test/big", show_big, NULL), 0);
	assert_int_equal(proc_create_single("test/fail", show_fail, NULL), 0);
	assert_int_equal(proc_create_single("test/empty", show_empty, NULL), 0);
	/* Duplicates and bad paths. */
	assert_int_equal(proc_create_single("test/hello", show_hello, NULL), -EEXIST);
	assert_int_equal(proc_create_single("/proc/test/hello/", show_hello, NULL), -EEXIST);
	assert_int_equal(proc_create_single("test", show_hello, NULL), -EEXIST); /* a directory */
	assert_int_equal(proc_create_single("", show_hello, NULL), -EINVAL);
	assert_int_equal(proc_create_single("/proc/", show_hello, NULL), -EINVAL);
	assert_int_equal(proc_create_single("a//b", show_hello, NULL), -EINVAL);
	assert_int_equal(proc_create_single("a/../b", show_hello, NULL), -EINVAL);
	assert_int_equal(proc_create_single("x", NULL, NULL), -EINVAL);
	assert_int_equal(proc_create_single(NULL, show_hello, NULL), -EINVAL);

	/* Both spellings; the namespace being read is in m->net. */
	text = ul_proc_read_alloc(fake_net, "/proc/test/hello", &err);
	assert_non_null(text);
	assert_int_equal(err, 0);
	snprintf(expect, sizeof(expect), "hello world net=%p priv=world\n", (void *)fake_net);
	assert_string_equal(text, expect);
	free(text);
	text = ul_proc_read_alloc(NULL, "test/hello", &err);
	snprintf(expect, sizeof(expect), "hello world net=%p priv=world\n", (void *)NULL);
	assert_string_equal(text, expect);
	free(text);

	text = ul_proc_read_alloc(NULL, "test/big", &err);
	assert_non_null(text);
	assert_int_equal(strlen(text), 48890);
	assert_non_null(strstr(text, "\nline 4999\n"));
	free(text);

	text = ul_proc_read_alloc(NULL, "test/empty", &err);
	assert_non_null(text);
	assert_string_equal(text, "");
	free(text);

	assert_null(ul_proc_read_alloc(NULL, "test/fail", &err));
	assert_int_equal(err, -EIO);
	assert_null(ul_proc_read_alloc(NULL, "/proc/test/nothing", &err));
	assert_int_equal(err, -ENOENT);
	assert_null(ul_proc_read_alloc(NULL, "/proc/test", &err));
	assert_int_equal(err, -EISDIR);
	assert_null(ul_proc_read_alloc(NULL, "", &err));
	assert_int_equal(err, -ENOENT);
	assert_null(ul_proc_read_alloc(NULL, NULL, NULL));	/* err may be NULL */

	/* ls: sorted by path. */
	list[0] = '\0';
	ul_proc_for_each(collect, list);
	assert_non_null(strstr(list, "test/big,test/empty,test/fail,test/hello,"));

	proc_remove_path("/proc/test/hello");
	proc_remove_path("test/hello");		/* again: nothing */
	assert_null(ul_proc_read_alloc(NULL, "test/hello", &err));
	assert_int_equal(err, -ENOENT);
	assert_int_equal(proc_create_single("test/hello", show_empty, NULL), 0);
	proc_remove_path("test/hello");
	proc_remove_path("test/big");
	proc_remove_path("test/fail");
	proc_remove_path("test/empty");
	list[0] = '\0';
	ul_proc_for_each(collect, list);
	assert_null(strstr(list, "test/"));
}

/* A show() that removes its own file (on one thread) must not wait for itself. */
static int show_self_remove(struct seq_file *m, void *v)
{
	proc_remove_path("test/self");
	seq_puts(m, "bye\n");
	return 0;
}

static void test_remove_from_show(void **state)
{
	char *text;
	int err;

	assert_int_equal(proc_create_single("test/self", show_self_remove, NULL), 0);
	text = ul_proc_read_alloc(NULL, "test/self", &err);
	assert_string_equal(text, "bye\n");
	free(text);
	assert_null(ul_proc_read_alloc(NULL, "test/self", &err));
	assert_int_equal(err, -ENOENT);
}

/* The stack's own files are there after boot (slabinfo is mm's). */
static void test_boot_files(void **state)
{
	char *text;
	int err;

	text = ul_proc_read_alloc(NULL, "/proc/slabinfo", &err);
	assert_non_null(text);
	assert_true(strncmp(text, "slabinfo - version: 2.1\n", 24) == 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_buffer_grows),
		cmocka_unit_test(test_seq_pad),
		cmocka_unit_test_setup_teardown(test_registry, ul_test_setup_sim, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_remove_from_show, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_boot_files, ul_test_setup_sim, ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
