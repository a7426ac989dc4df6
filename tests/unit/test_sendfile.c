/* SPDX-License-Identifier: MIT */
/* Memory files and sendfile (book ch1 "zero-copy"): memfd read/write/lseek/ftruncate and
 * their errnos, sendfile's errnos and offset rules, and the bytes the CPU copied to send a
 * file with read+write versus sendfile, counted by ul_copy_stats.
 * Mirrors the behaviour of linux/fs/read_write.c do_sendfile (3.10) and mm/shmem.c
 * memfd_create (3.17). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include "harness.h"
#include "net_testutil.h"
#include "linux/sched.h"
#include "ulnet/socket.h"

static int teardown(void **state)
{
	int fd;

	for (fd = 0; fd < 1024; fd++)
		ul_close(fd);
	return ul_test_teardown(state);
}

static void test_memfd(void **state)
{
	char name[300], buf[32];
	int m, s;

	memset(name, 'n', sizeof(name));
	name[sizeof(name) - 1] = 0;
	assert_errno(ul_memfd_create(name, 0), EINVAL);		/* > 249 characters */
	assert_errno(ul_memfd_create("x", 0x100), EINVAL);
	assert_errno(ul_memfd_create(NULL, 0), EFAULT);
	m = ul_memfd_create("data", 1 /* MFD_CLOEXEC */);
	assert_true(m >= 0);
	assert_int_equal(ul_fcntl(m, F_GETFD), FD_CLOEXEC);

	assert_int_equal(ul_write(m, "0123456789", 10), 10);
	assert_int_equal(ul_lseek(m, 0, SEEK_CUR), 10);
	assert_int_equal(ul_read(m, buf, sizeof(buf)), 0);	/* at the end */
	assert_int_equal(ul_lseek(m, 2, SEEK_SET), 2);
	assert_int_equal(ul_read(m, buf, 3), 3);
	assert_memory_equal(buf, "234", 3);
	assert_int_equal(ul_lseek(m, -1, SEEK_END), 9);
	assert_int_equal(ul_read(m, buf, sizeof(buf)), 1);
	assert_errno(ul_lseek(m, -20, SEEK_CUR), EINVAL);
	assert_errno(ul_lseek(m, 0, 7), EINVAL);
	/* A write past the end leaves zeroes; ftruncate cuts and extends. */
	assert_int_equal(ul_lseek(m, 12, SEEK_SET), 12);
	assert_int_equal(ul_write(m, "Z", 1), 1);
	assert_int_equal(ul_lseek(m, 9, SEEK_SET), 9);
	assert_int_equal(ul_read(m, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "9\0\0Z", 4);
	assert_int_equal(ul_ftruncate(m, 4), 0);
	assert_int_equal(ul_lseek(m, 0, SEEK_END), 4);
	assert_errno(ul_ftruncate(m, -1), EINVAL);

	/* Sockets cannot seek or be truncated. */
	s = ul_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_errno(ul_lseek(s, 0, SEEK_SET), ESPIPE);
	assert_errno(ul_ftruncate(s, 0), EINVAL);
	assert_errno(ul_lseek(999, 0, SEEK_SET), EBADF);
	assert_int_equal(ul_close(s), 0);
	assert_int_equal(ul_close(m), 0);
}

static void test_sendfile_errnos_and_offsets(void **state)
{
	int sv[2], m = ul_memfd_create("f", 0), m2 = ul_memfd_create("g", 0);
	off_t off;
	char buf[16];

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ul_write(m, "abcdefgh", 8), 8);
	assert_errno(ul_sendfile(sv[0], 999, NULL, 4), EBADF);
	assert_errno(ul_sendfile(999, m, NULL, 4), EBADF);
	assert_errno(ul_sendfile(sv[0], sv[1], NULL, 4), EINVAL);	/* socket as input */
	assert_errno(ul_sendfile(m2, m, NULL, 4), EINVAL);	/* DIVERGES: file output */
	off = -1;
	assert_errno(ul_sendfile(sv[0], m, &off, 4), EINVAL);

	/* With an offset: *offset moves, the file position does not. */
	assert_int_equal(ul_lseek(m, 0, SEEK_SET), 0);
	off = 2;
	assert_int_equal(ul_sendfile(sv[0], m, &off, 3), 3);
	assert_int_equal(off, 5);
	assert_int_equal(ul_lseek(m, 0, SEEK_CUR), 0);
	assert_int_equal(ul_read(sv[1], buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "cde", 3);
	/* Without: from and moving the file position, stopping at the end of the file. */
	assert_int_equal(ul_lseek(m, 6, SEEK_SET), 6);
	assert_int_equal(ul_sendfile(sv[0], m, NULL, 100), 2);
	assert_int_equal(ul_lseek(m, 0, SEEK_CUR), 8);
	assert_int_equal(ul_sendfile(sv[0], m, NULL, 100), 0);
	assert_int_equal(ul_read(sv[1], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "gh", 2);
	/* A closed peer: EPIPE. */
	assert_int_equal(ul_close(sv[1]), 0);
	off = 0;
	assert_errno(ul_sendfile(sv[0], m, &off, 4), EPIPE);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(m), 0);
	assert_int_equal(ul_close(m2), 0);
}

#define FILE_SIZE 100000

/* Book ch1: sending a file with read+write copies every byte twice through the CPU (file
 * -> user buffer, user buffer -> socket); sendfile copies it once inside the stack (and
 * with a zero-copy sendpage, which ulnet's skbs cannot do yet, not at all). The receiver's
 * copy out is the same both ways. */
static void test_copies_read_write_vs_sendfile(void **state)
{
	struct ul_copy_stats c0, c1, c2;
	unsigned char *data = malloc(FILE_SIZE), *buf = malloc(FILE_SIZE), *out = malloc(FILE_SIZE);
	int sv[2], m = ul_memfd_create("payload", 0), i;
	ssize_t n;
	size_t got;

	assert_non_null(data);
	assert_non_null(buf);
	assert_non_null(out);
	for (i = 0; i < FILE_SIZE; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	assert_int_equal(ul_write(m, data, FILE_SIZE), FILE_SIZE);
	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);

	/* read + write. */
	assert_int_equal(ul_lseek(m, 0, SEEK_SET), 0);
	ul_copy_stats_get(&c0);
	n = ul_read(m, buf, FILE_SIZE);
	assert_int_equal(n, FILE_SIZE);
	assert_int_equal(ul_write(sv[0], buf, FILE_SIZE), FILE_SIZE);
	ul_copy_stats_get(&c1);
	assert_int_equal(c1.copy_to_user - c0.copy_to_user, FILE_SIZE);
	assert_int_equal(c1.copy_from_user - c0.copy_from_user, FILE_SIZE);
	assert_int_equal(c1.kernel_copy - c0.kernel_copy, 0);
	for (got = 0; got < FILE_SIZE;) {
		n = ul_read(sv[1], out + got, FILE_SIZE - got);
		assert_true(n > 0);
		got += (size_t)n;
	}
	assert_memory_equal(out, data, FILE_SIZE);

	/* sendfile. */
	assert_int_equal(ul_lseek(m, 0, SEEK_SET), 0);
	ul_copy_stats_get(&c1);
	assert_int_equal(ul_sendfile(sv[0], m, NULL, FILE_SIZE), FILE_SIZE);
	ul_copy_stats_get(&c2);
	assert_int_equal(c2.copy_to_user - c1.copy_to_user, 0);
	assert_int_equal(c2.copy_from_user - c1.copy_from_user, 0);
	assert_int_equal(c2.kernel_copy - c1.kernel_copy, FILE_SIZE);
	assert_int_equal(c2.zerocopy - c1.zerocopy, 0);
	memset(out, 0, FILE_SIZE);
	for (got = 0; got < FILE_SIZE;) {
		n = ul_read(sv[1], out + got, FILE_SIZE - got);
		assert_true(n > 0);
		got += (size_t)n;
	}
	assert_memory_equal(out, data, FILE_SIZE);

	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(ul_close(m), 0);
	free(data);
	free(buf);
	free(out);
}

/* Into a datagram socket: the whole count is one datagram. */
static void test_sendfile_dgram(void **state)
{
	int sv[2], m = ul_memfd_create("d", 0);
	char buf[64];
	off_t off = 0;

	assert_int_equal(ul_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(ul_write(m, "datagram-body", 13), 13);
	assert_int_equal(ul_sendfile(sv[0], m, &off, 13), 13);
	assert_int_equal(ul_recv(sv[1], buf, sizeof(buf), 0), 13);
	assert_memory_equal(buf, "datagram-body", 13);
	assert_int_equal(ul_close(sv[0]), 0);
	assert_int_equal(ul_close(sv[1]), 0);
	assert_int_equal(ul_close(m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_memfd, ul_test_setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_sendfile_errnos_and_offsets, ul_test_setup_sim,
						teardown),
		cmocka_unit_test_setup_teardown(test_copies_read_write_vs_sendfile,
						ul_test_setup_sim, teardown),
		cmocka_unit_test_setup_teardown(test_sendfile_dgram, ul_test_setup_sim, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
