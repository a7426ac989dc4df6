/* SPDX-License-Identifier: MIT */
/* Scenarios whose programs outlive their lines (ul_scenario_start/stop, `ulnet up --run`):
 * servers keep running after the lines, are signalled and joined at stop on both runtimes;
 * a failing line or expect stops what was started and names FILE:LINE: 'WORD'; programs a
 * tool registers (scn_program_register) and their ready hook (exec waits until they serve,
 * a server that cannot start fails its line once). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "lab/scenario.h"
#include "linux/errno.h"
#include "linux/sched.h"
#include "linux/wait.h"
#include "ulnet/lab.h"

/* A test server: says it serves, then waits (interruptibly) for something that never
 * comes, as a listener does; a signal ends it with 0. */
struct t_server {
	int serving;
	int exited;
	int fail;		/* t-fail: cannot start (EADDRINUSE) */
};

static DECLARE_WAIT_QUEUE_HEAD(t_never);
static int t_started, t_exited, t_released;

static int t_prepare(const char *netns, int argc, char **argv, void **state, const char **msg)
{
	struct t_server *ts;

	if (argc != 1) {
		*msg = "usage: t-server";
		return -EINVAL;
	}
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return -ENOMEM;
	ts->fail = !strcmp(argv[0], "t-fail");
	*state = ts;
	return 0;
}

static int t_run(void *state)
{
	struct t_server *ts = state;

	__atomic_fetch_add(&t_started, 1, __ATOMIC_SEQ_CST);
	if (ts->fail) {
		__atomic_store_n(&ts->serving, -1, __ATOMIC_RELEASE);
		return EADDRINUSE;
	}
	__atomic_store_n(&ts->serving, 1, __ATOMIC_RELEASE);
	(void)wait_event_interruptible(t_never, 0);
	__atomic_fetch_add(&t_exited, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int t_ready(void *state, const char **msg)
{
	struct t_server *ts = state;
	int s = __atomic_load_n(&ts->serving, __ATOMIC_ACQUIRE);

	if (s < 0) {
		*msg = "port 80";
		return -EADDRINUSE;
	}
	return s;
}

static void t_release(void *state)
{
	t_released++;
	free(state);
}

/* A client: ends by itself after 10 ms. */
static int t_client_done;

static int t_client_run(void *state)
{
	ul_sleep(10 * 1000 * 1000);
	__atomic_fetch_add(&t_client_done, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static const struct scn_program t_progs[] = {
	{ "t-server", "t-server", t_prepare, t_run, t_release, t_ready },
	{ "t-fail", "t-fail", t_prepare, t_run, t_release, t_ready },
	{ "t-client", "t-client", t_prepare, t_client_run, t_release, NULL },
};
#define T_NPROGS (sizeof(t_progs) / sizeof(t_progs[0]))

static const struct scn_program t_dup[] = {
	{ "udp-echo", "udp-echo", t_prepare, t_run, t_release, NULL },
};

/* Output and errors of a run, in memory. */
struct t_io {
	char *out, *err;
	size_t outlen, errlen;
	FILE *fo, *fe;
	struct ul_scenario_opts o;
};

static void t_io_open(struct t_io *io)
{
	memset(io, 0, sizeof(*io));
	io->fo = open_memstream(&io->out, &io->outlen);
	io->fe = open_memstream(&io->err, &io->errlen);
	assert_non_null(io->fo);
	assert_non_null(io->fe);
	io->o.out = io->fo;
	io->o.err = io->fe;
}

static void t_io_flush(struct t_io *io)
{
	fflush(io->fo);
	fflush(io->fe);
}

static void t_io_close(struct t_io *io)
{
	fclose(io->fo);
	fclose(io->fe);
	free(io->out);
	free(io->err);
}

static void t_reset(void)
{
	assert_int_equal(scn_program_register(t_progs, T_NPROGS), 0);
	t_started = t_exited = t_released = t_client_done = 0;
}

static void test_register(void **state)
{
	const char *u;
	size_t i;
	bool listed = false;

	(void)state;
	assert_int_equal(scn_program_register(t_progs, T_NPROGS), 0);
	assert_int_equal(scn_program_register(t_progs, T_NPROGS), 0);	/* again: a no-op */
	assert_int_equal(scn_program_register(t_dup, 1), -EEXIST);
	assert_ptr_equal(scn_program_find("t-server"), &t_progs[0]);
	assert_ptr_equal(scn_program_find("t-fail"), &t_progs[1]);
	assert_non_null(scn_program_find("udp-echo"));	/* the built-in one, not t_dup */
	assert_ptr_not_equal(scn_program_find("udp-echo"), &t_dup[0]);
	assert_null(scn_program_find("t-nothing"));
	for (i = 0; (u = ul_scenario_program(i)) && i < 100; i++)
		if (!strcmp(u, "t-fail"))
			listed = true;
	assert_true(listed);
	assert_int_equal(scn_program_count(), i);
}

static void test_no_stack(void **state)
{
	struct ul_scenario *sp = (struct ul_scenario *)&sp;

	(void)state;
	assert_int_equal(ul_scenario_start("x", "echo hi\n", NULL, &sp), -ENODEV);
	assert_null(sp);
	assert_int_equal(ul_scenario_start("x", NULL, NULL, &sp), -EINVAL);
	assert_int_equal(ul_scenario_stop(NULL), 0);
}

/* Two servers outlive the lines; stop signals and joins them (sim: the world is driven
 * until they can never finish, then they get the signal, as at the end of ulnet run). */
static void start_stop(void)
{
	struct ul_scenario *sp = NULL;
	struct t_io io;

	t_reset();
	t_io_open(&io);
	assert_int_equal(ul_scenario_start("up.scn", "exec t-server\n"
				"ip netns add c1\n"
				"exec -n c1 t-server\n"
				"echo started\n", &io.o, &sp), 0);
	assert_non_null(sp);
	/* exec waited for each to serve: both run now, neither has exited. */
	assert_int_equal(__atomic_load_n(&t_started, __ATOMIC_SEQ_CST), 2);
	ul_run_for(50 * 1000 * 1000);
	assert_int_equal(__atomic_load_n(&t_exited, __ATOMIC_SEQ_CST), 0);
	assert_int_equal(t_released, 0);
	t_io_flush(&io);
	assert_string_equal(io.out, "started\n");
	assert_int_equal(ul_scenario_stop(sp), 0);
	t_io_flush(&io);
	assert_int_equal(t_exited, 2);
	assert_int_equal(t_released, 2);
	assert_non_null(strstr(io.out, "t-server (line 1): still running at the end: stopped\n"));
	assert_non_null(strstr(io.out, "t-server (line 3): still running at the end: stopped\n"));
	assert_string_equal(io.err, "");
	t_io_close(&io);
	assert_int_equal(ul_netns_del("c1"), 0);
}

static void test_start_stop_sim(void **state)
{
	(void)state;
	start_stop();
}

static void test_start_stop_posix(void **state)
{
	(void)state;
	start_stop();
}

/* `wait` joins the clients and leaves the servers serving; at the end the clients are
 * joined before the servers are stopped. */
static void wait_keeps_servers(void)
{
	struct ul_scenario *sp = NULL;
	struct t_io io;

	t_reset();
	t_io_open(&io);
	assert_int_equal(ul_scenario_start("w.scn", "exec t-server\n"
				"exec t-client\n"
				"wait\n"
				"echo after wait\n"
				"exec t-client\n", &io.o, &sp), 0);
	assert_non_null(sp);
	t_io_flush(&io);
	assert_string_equal(io.out, "after wait\n");
	assert_string_equal(io.err, "");
	assert_int_equal(__atomic_load_n(&t_client_done, __ATOMIC_SEQ_CST), 1);
	assert_int_equal(__atomic_load_n(&t_exited, __ATOMIC_SEQ_CST), 0);
	assert_int_equal(t_released, 1);	/* the first client */
	assert_int_equal(ul_scenario_stop(sp), 0);
	t_io_flush(&io);
	assert_int_equal(t_exited, 1);
	assert_int_equal(t_released, 3);
	assert_int_equal(t_client_done, 2);	/* the client finished before the stop */
	assert_string_equal(io.out, "after wait\nt-server (line 1): still running at the end: "
				    "stopped\n");
	t_io_close(&io);
}

static void test_wait_keeps_servers_sim(void **state)
{
	(void)state;
	wait_keeps_servers();
}

static void test_start_errors(void **state)
{
	struct ul_scenario *sp = NULL;
	struct t_io io;

	(void)state;
	t_reset();
	/* A bad line: reported with its place, what was started is stopped. */
	t_io_open(&io);
	assert_int_equal(ul_scenario_start("bad.scn", "exec t-server\nfrobnicate --now\n"
				"echo never\n", &io.o, &sp), 1);
	assert_null(sp);
	t_io_flush(&io);
	assert_non_null(strstr(io.err, "bad.scn:2: 'frobnicate': unknown command\n"));
	assert_null(strstr(io.out, "never"));
	assert_int_equal(t_exited, 1);
	assert_int_equal(t_released, 1);
	t_io_close(&io);

	/* A server that cannot start fails its line, once (not again when joined). */
	t_reset();
	t_io_open(&io);
	assert_int_equal(ul_scenario_start("fail.scn", "exec t-fail\necho never\n", &io.o, &sp),
			 1);
	assert_null(sp);
	t_io_flush(&io);
	assert_string_equal(io.err, "fail.scn:1: 't-fail': port 80: Address already in use\n");
	assert_int_equal(t_released, 1);
	t_io_close(&io);

	/* A failed expect: 1, and the count of failed expects. */
	t_reset();
	t_io_open(&io);
	assert_int_equal(ul_scenario_start("exp.scn", "expect sysctl net.core.somaxconn == 1\n",
					   &io.o, &sp), 1);
	assert_null(sp);
	t_io_flush(&io);
	assert_non_null(strstr(io.err, "exp.scn:1: '1': expect failed: sysctl net.core.somaxconn "
				       "== 1 (the value is 128)\n"));
	assert_non_null(strstr(io.err, "exp.scn: 1 expect line failed\n"));
	t_io_close(&io);
}

static void test_start_file(void **state)
{
	char path[] = "/tmp/ulnet-scn-XXXXXX";
	struct ul_scenario *sp = NULL;
	struct t_io io;
	int fd;

	(void)state;
	t_reset();
	assert_int_equal(ul_scenario_start_file("/nonexistent/x.scn", NULL, &sp), -ENOENT);
	assert_null(sp);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "exec t-server\n", 14), 14);
	close(fd);
	t_io_open(&io);
	assert_int_equal(ul_scenario_start_file(path, &io.o, &sp), 0);
	assert_non_null(sp);
	assert_int_equal(ul_scenario_stop(sp), 0);
	t_io_flush(&io);
	assert_non_null(strstr(io.out, "t-server (line 1): still running at the end: stopped\n"));
	t_io_close(&io);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_no_stack),
		cmocka_unit_test_setup_teardown(test_start_stop_sim, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_start_stop_posix, ul_test_setup_posix,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_wait_keeps_servers_sim, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_start_errors, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_start_file, ul_test_setup_sim,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
