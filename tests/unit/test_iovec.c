/* SPDX-License-Identifier: MIT */
/* iovec copy tests: memcpy_fromiovecend and csum_partial_copy_fromiovecend across segment
 * boundaries, at every offset, with the checksum equal to that of the contiguous bytes; a
 * zero-byte tail at the very end of the array does not read past it (ASan checks the heap
 * array); a NULL base with a length is -EFAULT.
 * Mirrors linux/net/core/iovec.c's contract. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "linux/errno.h"
#include "linux/socket.h"
#include "net/checksum.h"

#define TOTAL 100

static unsigned char data[TOTAL];

/* Three segments of 7, 0 and 93 bytes, in a heap array of exactly three so ASan sees a read
 * past its end. */
static struct iovec *make_iov(void)
{
	struct iovec *iov = calloc(3, sizeof(*iov));

	assert_non_null(iov);
	iov[0] = (struct iovec){ data, 7 };
	iov[1] = (struct iovec){ data + 7, 0 };
	iov[2] = (struct iovec){ data + 7, TOTAL - 7 };
	return iov;
}

static void test_memcpy_every_offset(void **state)
{
	struct iovec *iov = make_iov();
	unsigned char out[TOTAL];
	int off;

	(void)state;
	for (off = 0; off <= TOTAL; off++) {
		int len = TOTAL - off;

		memset(out, 0xee, sizeof(out));
		assert_int_equal(memcpy_fromiovecend(out, iov, off, len), 0);
		assert_memory_equal(out, data + off, (size_t)len);
		if (len < TOTAL)
			assert_int_equal(out[len], 0xee);	/* nothing beyond len written */
	}
	free(iov);
}

static void test_csum_every_offset(void **state)
{
	struct iovec *iov = make_iov();
	unsigned char out[TOTAL];
	int off;

	(void)state;
	for (off = 0; off <= TOTAL; off++) {
		unsigned int len = (unsigned int)(TOTAL - off);
		__wsum csum = 0;

		assert_int_equal(csum_partial_copy_fromiovecend(out, iov, off, len, &csum), 0);
		assert_memory_equal(out, data + off, len);
		assert_int_equal(csum_fold(csum), csum_fold(csum_partial(data + off, (int)len, 0)));
	}
	free(iov);
}

static void test_null_base_is_efault(void **state)
{
	struct iovec iov[1] = { { NULL, 10 } };
	unsigned char out[10];
	__wsum csum = 0;

	(void)state;
	assert_int_equal(memcpy_fromiovecend(out, iov, 0, 10), -EFAULT);
	assert_int_equal(csum_partial_copy_fromiovecend(out, iov, 0, 10, &csum), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_every_offset),
		cmocka_unit_test(test_csum_every_offset),
		cmocka_unit_test(test_null_base_is_efault),
	};
	int i;

	for (i = 0; i < TOTAL; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
