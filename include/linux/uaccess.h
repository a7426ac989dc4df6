/* SPDX-License-Identifier: MIT */
/* Copies between the caller's buffers and the stack, counted (book ch1 "zero-copy").
 * Mirrors linux/include/linux/uaccess.h by name only: ulnet shares one address space with
 * its programs, so copy_from_user/copy_to_user are memcpy; what matters for the labs is how
 * many bytes the CPU copied on each path. The socket layer counts what sendmsg/recvmsg
 * moved (sock_sendmsg/sock_recvmsg), memory files count their read/write, and sendfile
 * counts what it copied inside the stack or moved by reference. Implemented in
 * fs/read_write.c; read with ul_copy_stats_get (ulnet/socket.h). */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H
#include <stddef.h>
#include <string.h>

enum ul_copy_kind {
	UL_COPY_FROM_USER,	/* user buffer -> stack (write, send) */
	UL_COPY_TO_USER,	/* stack -> user buffer (read, recv) */
	UL_COPY_KERNEL,		/* inside the stack, no user buffer (sendfile fallback) */
	UL_COPY_ZEROCOPY,	/* moved by reference: no CPU copy */
	UL_COPY_NR
};

/* Count @len bytes of kind @kind. Any context. */
void ul_copy_account(enum ul_copy_kind kind, size_t len);
/* Forget the counts (boot). */
void ul_copy_stats_reset(void);

/* memcpy that counts (memory files). Return 0, as the kernel's (bytes not copied). */
static inline unsigned long copy_to_user(void *to, const void *from, size_t n)
{
	memcpy(to, from, n);
	ul_copy_account(UL_COPY_TO_USER, n);
	return 0;
}
static inline unsigned long copy_from_user(void *to, const void *from, size_t n)
{
	memcpy(to, from, n);
	ul_copy_account(UL_COPY_FROM_USER, n);
	return 0;
}

#endif
