/* SPDX-License-Identifier: MIT */
/* sysctl tests: every handler's text format and range checks, name forms, permissions,
 * per-namespace tables (with a fake struct as the namespace), listing order. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/errno.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/sysctl.h"

static int t_int, t_vec[3], t_minmax, t_ro, t_wo, t_jiffies, t_ms, t_userhz;
static unsigned int t_uint;
static long t_long;
static unsigned long t_ulvec[3];
static char t_str[16];
static int zero = 0, ten = 10;
static long lmin = -100, lmax = 100;
static unsigned long ulmin = 1, ulmax = 1000000;

static struct ctl_table core_table[] = {
	{ .procname = "int", .data = &t_int, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = "vec", .data = t_vec, .maxlen = sizeof(t_vec), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = "minmax", .data = &t_minmax, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = &zero, .extra2 = &ten },
	{ .procname = "uint", .data = &t_uint, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_douintvec },
	{ .procname = "long", .data = &t_long, .maxlen = sizeof(long), .mode = 0644,
	  .proc_handler = proc_dolongvec_minmax, .extra1 = &lmin, .extra2 = &lmax },
	{ .procname = "ulvec", .data = t_ulvec, .maxlen = sizeof(t_ulvec), .mode = 0644,
	  .proc_handler = proc_doulongvec_minmax, .extra1 = &ulmin, .extra2 = &ulmax },
	{ .procname = "jiffies", .data = &t_jiffies, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_jiffies },
	{ .procname = "ms", .data = &t_ms, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_ms_jiffies },
	{ .procname = "userhz", .data = &t_userhz, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_userhz_jiffies },
	{ .procname = "str", .data = t_str, .maxlen = sizeof(t_str), .mode = 0644,
	  .proc_handler = proc_dostring },
	{ .procname = "ro", .data = &t_ro, .maxlen = sizeof(int), .mode = 0444,
	  .proc_handler = proc_dointvec },
	{ .procname = "wo", .data = &t_wo, .maxlen = sizeof(int), .mode = 0200,
	  .proc_handler = proc_dointvec },
	{ }
};

/* A stand-in for struct net: per-namespace entries are offsets into it. */
struct fake_net {
	long other;
	int somaxconn;
	int mem[2];
};

static struct ctl_table netns_table[] = {
	{ .procname = "somaxconn", .data = (void *)offsetof(struct fake_net, somaxconn),
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero },
	{ .procname = "mem", .data = (void *)offsetof(struct fake_net, mem),
	  .maxlen = 2 * sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ }
};

static int t_rp;
static struct ctl_table dev_table[] = {
	{ .procname = "rp_filter", .data = &t_rp, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ }
};

static void reset_values(void)
{
	t_int = 128;
	t_vec[0] = 4096, t_vec[1] = 87380, t_vec[2] = 6291456;
	t_minmax = 5;
	t_uint = 7;
	t_long = -5;
	t_ulvec[0] = 1, t_ulvec[1] = 2, t_ulvec[2] = 3;
	t_jiffies = 60 * HZ;
	t_ms = 200;
	t_userhz = 500;
	strcpy(t_str, "cubic");
	t_ro = 42;
	t_wo = 1;
}

static int setup(void **state)
{
	int err = ul_test_setup_sim(state);

	if (err)
		return err;
	reset_values();
	assert_int_equal(register_sysctl_table_path("test/core", core_table), 0);
	assert_int_equal(register_net_sysctl_offset("test/netns", netns_table), 0);
	return 0;
}

static int teardown(void **state)
{
	unregister_sysctl_path("test/core");
	unregister_sysctl_path("test/netns");
	return ul_test_teardown(state);
}

static void want_value(struct net *net, const char *name, const char *value)
{
	char buf[128];

	assert_int_equal(ul_sysctl_read(net, name, buf, sizeof(buf)), 0);
	assert_string_equal(buf, value);
}

static void test_read_formats(void **state)
{
	want_value(NULL, "test.core.int", "128");
	want_value(NULL, "test/core/int", "128");
	want_value(NULL, "/proc/sys/test/core/int", "128");
	want_value(NULL, "test.core.vec", "4096\t87380\t6291456");
	want_value(NULL, "test.core.minmax", "5");
	want_value(NULL, "test.core.uint", "7");
	want_value(NULL, "test.core.long", "-5");
	want_value(NULL, "test.core.ulvec", "1\t2\t3");
	want_value(NULL, "test.core.jiffies", "60");
	want_value(NULL, "test.core.ms", "200");
	want_value(NULL, "test.core.userhz", "50");
	want_value(NULL, "test.core.str", "cubic");
	want_value(NULL, "test.core.ro", "42");
}

static void want_write(const char *name, const char *value, int err)
{
	assert_int_equal(ul_sysctl_write(NULL, name, value), err);
}

static void test_write_int(void **state)
{
	want_write("test.core.int", "256\n", 0);
	assert_int_equal(t_int, 256);
	want_write("test.core.int", "  0x10 ", 0);	/* C notation, as simple_strtoul base 0 */
	assert_int_equal(t_int, 16);
	want_write("test.core.int", "010", 0);
	assert_int_equal(t_int, 8);
	want_write("test.core.int", "-3", 0);
	assert_int_equal(t_int, -3);
	/* Garbage, trailing garbage, nothing, too large: -EINVAL, old value kept. */
	want_write("test.core.int", "abc", -EINVAL);
	want_write("test.core.int", "12abc", -EINVAL);
	want_write("test.core.int", "", -EINVAL);
	want_write("test.core.int", " \n", -EINVAL);
	want_write("test.core.int", "-", -EINVAL);
	want_write("test.core.int", "+5", -EINVAL);
	want_write("test.core.int", "2147483648", -EINVAL);
	want_write("test.core.int", "99999999999999999999999", -EINVAL);
	assert_int_equal(t_int, -3);
	want_write("test.core.int", "2147483647", 0);
	assert_int_equal(t_int, 2147483647);
	want_write("test.core.int", "-2147483648", 0);
	assert_int_equal(t_int, -2147483647 - 1);
}

static void test_write_vector(void **state)
{
	want_write("test/core/vec", "1 2 3", 0);
	assert_int_equal(t_vec[0], 1);
	assert_int_equal(t_vec[2], 3);
	/* Fewer values: only those are written. */
	want_write("test.core.vec", "7", 0);
	assert_int_equal(t_vec[0], 7);
	assert_int_equal(t_vec[1], 2);
	/* A bad value anywhere: nothing is written. */
	want_write("test.core.vec", "4 5 x", -EINVAL);
	assert_int_equal(t_vec[0], 7);
	assert_int_equal(t_vec[1], 2);
	/* Tabs and newlines separate too; values past the vector are ignored. */
	want_write("test.core.vec", "9\t8\n7\t6", 0);
	want_value(NULL, "test.core.vec", "9\t8\t7");
}

static void test_write_ranges(void **state)
{
	want_write("test.core.minmax", "11", -EINVAL);
	want_write("test.core.minmax", "-1", -EINVAL);
	assert_int_equal(t_minmax, 5);
	want_write("test.core.minmax", "10", 0);
	assert_int_equal(t_minmax, 10);
	want_write("test.core.minmax", "0", 0);
	assert_int_equal(t_minmax, 0);

	want_write("test.core.uint", "-1", -EINVAL);
	want_write("test.core.uint", "4294967296", -EINVAL);
	want_write("test.core.uint", "4294967295", 0);
	assert_true(t_uint == 4294967295u);
	want_value(NULL, "test.core.uint", "4294967295");

	want_write("test.core.long", "-101", -EINVAL);
	want_write("test.core.long", "101", -EINVAL);
	want_write("test.core.long", "-100", 0);
	assert_int_equal(t_long, -100);

	want_write("test.core.ulvec", "0 5 6", -EINVAL);	/* below extra1 */
	want_write("test.core.ulvec", "5 -1", -EINVAL);
	want_write("test.core.ulvec", "5 1000001", -EINVAL);
	want_value(NULL, "test.core.ulvec", "1\t2\t3");
	want_write("test.core.ulvec", "5 1000000 9", 0);
	want_value(NULL, "test.core.ulvec", "5\t1000000\t9");
}

static void test_write_time_units(void **state)
{
	want_write("test.core.jiffies", "30", 0);
	assert_int_equal(t_jiffies, 30 * HZ);
	want_value(NULL, "test.core.jiffies", "30");
	want_write("test.core.jiffies", "2147484", -EINVAL);	/* * HZ overflows an int */
	want_write("test.core.jiffies", "-2", 0);
	assert_int_equal(t_jiffies, -2 * HZ);
	want_value(NULL, "test.core.jiffies", "-2");
	t_jiffies = 1999;	/* reads truncate, as jiffies / HZ */
	want_value(NULL, "test.core.jiffies", "1");

	want_write("test.core.ms", "1500", 0);
	assert_int_equal(t_ms, msecs_to_jiffies(1500));
	want_value(NULL, "test.core.ms", "1500");

	want_write("test.core.userhz", "7", 0);
	assert_int_equal(t_userhz, 7 * (HZ / USER_HZ));
	want_value(NULL, "test.core.userhz", "7");
}

static void test_string(void **state)
{
	want_write("test.core.str", "reno\n", 0);
	assert_string_equal(t_str, "reno");
	want_value(NULL, "test.core.str", "reno");
	want_write("test.core.str", "a-very-long-congestion-control", 0);
	assert_string_equal(t_str, "a-very-long-con");	/* maxlen - 1 characters */
	want_write("test.core.str", "two\nlines", 0);
	assert_string_equal(t_str, "two");
}

static void test_permissions_and_names(void **state)
{
	char buf[8];

	want_write("test.core.ro", "1", -EPERM);
	assert_int_equal(t_ro, 42);
	assert_int_equal(ul_sysctl_read(NULL, "test.core.wo", buf, sizeof(buf)), -EPERM);
	want_write("test.core.wo", "5", 0);
	assert_int_equal(t_wo, 5);

	assert_int_equal(ul_sysctl_read(NULL, "test.core.nope", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ul_sysctl_read(NULL, "test.core", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ul_sysctl_write(NULL, "nope", "1"), -ENOENT);
	assert_int_equal(ul_sysctl_write(NULL, NULL, "1"), -EINVAL);
	assert_int_equal(ul_sysctl_write(NULL, "test.core.int", NULL), -EINVAL);

	/* A buffer too small: cut, -ENOSPC. */
	assert_int_equal(ul_sysctl_read(NULL, "test.core.vec", buf, 3), -ENOSPC);
	assert_string_equal(buf, "40");

	/* Dots inside a path component (a VLAN device), in all three spellings. */
	assert_int_equal(register_sysctl_table_path("test/conf/eth0.100", dev_table), 0);
	t_rp = 1;
	want_value(NULL, "test.conf.eth0/100.rp_filter", "1");
	want_value(NULL, "test/conf/eth0.100/rp_filter", "1");
	want_value(NULL, "test.conf.eth0.100.rp_filter", "1");
	unregister_sysctl_path("test/conf/eth0.100");
	assert_int_equal(ul_sysctl_read(NULL, "test.conf.eth0.100.rp_filter", buf, sizeof(buf)),
			 -ENOENT);
}

static void test_registration_errors(void **state)
{
	static struct ctl_table dup[] = {
		{ .procname = "int", .data = &t_int, .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = proc_dointvec },
		{ }
	};
	static struct ctl_table self_dup[] = {
		{ .procname = "x", .data = &t_int, .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = proc_dointvec },
		{ .procname = "x", .data = &t_int, .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = proc_dointvec },
		{ }
	};
	static struct ctl_table no_handler[] = {
		{ .procname = "x", .data = &t_int, .maxlen = sizeof(int), .mode = 0644 },
		{ }
	};

	assert_int_equal(register_sysctl_table_path("test/core", dup), -EEXIST);
	assert_int_equal(register_sysctl_table_path("test/other", self_dup), -EEXIST);
	assert_int_equal(register_sysctl_table_path("test/other", no_handler), -EINVAL);
	assert_int_equal(register_sysctl_table_path("", dup), -EINVAL);
	assert_int_equal(register_sysctl_table_path("test/other", NULL), -EINVAL);
	/* The failed registrations left nothing behind. */
	assert_int_equal(ul_sysctl_write(NULL, "test.other.x", "1"), -ENOENT);
	/* Same name under another path is fine. */
	assert_int_equal(register_sysctl_table_path("test/other", dup), 0);
	want_value(NULL, "test.other.int", "128");
	unregister_sysctl_path("test/other");
}

static void test_per_net(void **state)
{
	struct fake_net n1 = { .somaxconn = 128, .mem = { 1, 2 } };
	struct fake_net n2 = { .somaxconn = 1024, .mem = { 3, 4 } };
	struct net *net1 = (struct net *)&n1, *net2 = (struct net *)&n2;
	char buf[32];

	want_value(net1, "test.netns.somaxconn", "128");
	want_value(net2, "test.netns.somaxconn", "1024");
	assert_int_equal(ul_sysctl_write(net1, "test.netns.somaxconn", "4096"), 0);
	assert_int_equal(n1.somaxconn, 4096);
	assert_int_equal(n2.somaxconn, 1024);
	assert_int_equal(ul_sysctl_write(net2, "test.netns.somaxconn", "-1"), -EINVAL);
	assert_int_equal(n2.somaxconn, 1024);
	assert_int_equal(ul_sysctl_write(net2, "test/netns/mem", "7 8"), 0);
	want_value(net2, "test.netns.mem", "7\t8");
	assert_int_equal(n1.mem[0], 1);
	assert_int_equal(n1.other, 0);
	/* A per-namespace name needs a namespace. */
	assert_int_equal(ul_sysctl_read(NULL, "test.netns.somaxconn", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ul_sysctl_write(NULL, "test.netns.somaxconn", "1"), -EINVAL);
	/* Global names read the same from any namespace. */
	want_value(net1, "test.core.int", "128");
}

struct listing {
	char names[2048];
	int count;
};

static void collect(const char *name, const char *value, void *arg)
{
	struct listing *l = arg;

	if (strncmp(name, "test.", 5))
		return;	/* other subsystems' entries */
	strcat(l->names, name);
	strcat(l->names, "=");
	strcat(l->names, value);
	strcat(l->names, ";");
	l->count++;
}

static void test_for_each_sorted(void **state)
{
	struct fake_net n1 = { .somaxconn = 128, .mem = { 1, 2 } };
	struct listing l;

	memset(&l, 0, sizeof(l));
	ul_sysctl_for_each(NULL, collect, &l);
	/* Sorted by name; write-only and per-namespace entries (no namespace) left out. */
	assert_string_equal(l.names,
			    "test.core.int=128;test.core.jiffies=60;test.core.long=-5;"
			    "test.core.minmax=5;test.core.ms=200;test.core.ro=42;"
			    "test.core.str=cubic;test.core.uint=7;test.core.ulvec=1\t2\t3;"
			    "test.core.userhz=50;test.core.vec=4096\t87380\t6291456;");
	memset(&l, 0, sizeof(l));
	ul_sysctl_for_each((struct net *)&n1, collect, &l);
	assert_int_equal(l.count, 13);
	assert_non_null(strstr(l.names, "test.core.vec=4096\t87380\t6291456;test.netns.mem=1\t2;"
					"test.netns.somaxconn=128;"));
}

static void test_handler_direct(void **state)
{
	struct ctl_table t = { .procname = "x", .data = &t_int, .maxlen = sizeof(int),
			       .mode = 0644, .proc_handler = proc_dointvec };
	char buf[16];
	size_t len = sizeof(buf);
	loff_t pos = 0;

	t_int = 77;
	assert_int_equal(proc_dointvec(&t, 0, buf, &len, &pos), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "77\n", 3);
	assert_int_equal(pos, 3);
	/* A second read at the end gives nothing (end of file). */
	len = sizeof(buf);
	assert_int_equal(proc_dointvec(&t, 0, buf, &len, &pos), 0);
	assert_int_equal(len, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_read_formats),	    T(test_write_int),
		T(test_write_vector),	    T(test_write_ranges),
		T(test_write_time_units),   T(test_string),
		T(test_permissions_and_names), T(test_registration_errors),
		T(test_per_net),	    T(test_for_each_sorted),
		T(test_handler_direct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
