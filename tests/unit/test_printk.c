/* SPDX-License-Identifier: MIT */
/* Kernel log and random-number tests: printk levels, stamps on the stack's clock, continuation
 * lines, the quiet console, BUG_ON; seeded prandom_u32/get_random_bytes. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"
#include "init/boot.h"
#include "linux/jiffies.h"
#include "linux/kernel.h"
#include "linux/random.h"

static void test_printk_to_log(void **state)
{
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 1, .seed = 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&buf, &len);

	assert_non_null(log);
	cfg.log = log;
	assert_int_equal(ul_stack_create(&cfg), 0);
	fflush(log);
	/* Whatever boot printed, the lines below come after it. */
	{
		size_t boot_len = len;

		ul_run_for(1500 * NSEC_PER_MSEC + 42 * NSEC_PER_USEC);
		printk(KERN_INFO "hello %d\n", 5);
		printk(KERN_DEBUG "debug goes to a log file too\n");
		printk("no level, ");
		printk("continued\n");
		pr_err("error\n");
		fflush(log);
		assert_string_equal(buf + boot_len,
				    "[    1.500042] hello 5\n"
				    "[    1.500042] debug goes to a log file too\n"
				    "[    1.500042] no level, continued\n"
				    "[    1.500042] error\n");
		ul_stack_destroy();
	}
	fclose(log);
	free(buf);
	printk_init(NULL);
}

/* Without a log file: stderr, warnings and errors only; stamp 0 with no runtime. */
static void test_printk_quiet_console(void **state)
{
	char path[] = "/tmp/ulnet_printk_XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char out[256];
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	printk_init(NULL);
	fflush(stderr);
	dup2(fd, 2);
	printk(KERN_INFO "not shown\n");
	printk(KERN_DEBUG "not shown\n");
	printk(KERN_NOTICE "not shown\n");
	pr_warn("shown %s\n", "warn");
	printk(KERN_ERR "shown err\n");
	printk("default level 4 is shown\n");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(out, "[    0.000000] shown warn\n"
				 "[    0.000000] shown err\n"
				 "[    0.000000] default level 4 is shown\n");
}

static void test_bug_aborts(void **state)
{
	int pipefd[2], status;
	char out[256];
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int x = 1;

		dup2(pipefd[1], 2);
		BUG_ON(x == 1);
		_exit(0);
	}
	close(pipefd[1]);
	n = read(pipefd[0], out, sizeof(out) - 1);
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_true(n > 0);
	out[n] = '\0';
	assert_non_null(strstr(out, "kernel BUG at "));
	assert_non_null(strstr(out, "test_printk.c:"));
	assert_non_null(strstr(out, ": x == 1\n"));
}

static void test_random_seeded(void **state)
{
	u32 a[16], b[16];
	u8 bytes[13], bytes2[13];
	u64 sum = 0;
	int i, same = 0;

	ul_random_seed(1);
	for (i = 0; i < 16; i++)
		a[i] = prandom_u32();
	get_random_bytes(bytes, sizeof(bytes));
	ul_random_seed(1);
	for (i = 0; i < 16; i++)
		b[i] = prandom_u32();
	get_random_bytes(bytes2, sizeof(bytes2));
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(bytes, bytes2, sizeof(bytes));
	ul_random_seed(2);
	for (i = 0; i < 16; i++)
		same += prandom_u32() == a[i];
	assert_true(same < 2);
	/* Values are spread: the mean of 100000 draws is near 2^31, and _max stays in range. */
	for (i = 0; i < 100000; i++)
		sum += prandom_u32();
	assert_true(sum / 100000 > 0x7c000000ULL && sum / 100000 < 0x84000000ULL);
	for (i = 0; i < 10000; i++)
		assert_true(prandom_u32_max(7) < 7);
	get_random_bytes(NULL, 5);	/* ignored */
	get_random_bytes(bytes, 0);
}

static u32 first_draw(enum ul_runtime rt, u64 seed)
{
	u32 v;

	assert_int_equal(ul_test_boot_with(rt, 1, seed), 0);
	v = prandom_u32();
	ul_stack_destroy();
	return v;
}

/* The stack's seed decides the run on sim (seed 0 too); on posix seed 0 means getrandom(). */
static void test_random_stack_seed(void **state)
{
	assert_int_equal(first_draw(UL_RUNTIME_SIM, 7), first_draw(UL_RUNTIME_SIM, 7));
	assert_int_equal(first_draw(UL_RUNTIME_SIM, 0), first_draw(UL_RUNTIME_SIM, 0));
	assert_int_not_equal(first_draw(UL_RUNTIME_POSIX, 0), first_draw(UL_RUNTIME_POSIX, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printk_to_log),
		cmocka_unit_test(test_printk_quiet_console),
		cmocka_unit_test(test_bug_aborts),
		cmocka_unit_test(test_random_seeded),
		cmocka_unit_test(test_random_stack_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
