/* SPDX-License-Identifier: MIT */
/* Socket addresses, message headers and the iovec helpers the protocols copy data with.
 * Mirrors linux/include/linux/socket.h (3.10) and net/core/iovec.c: memcpy_fromiovec,
 * memcpy_toiovec, memcpy_fromiovecend, csum_partial_copy_fromiovecend, verify_iovec,
 * move_addr_to_kernel, move_addr_to_user.
 *
 * DIVERGES: struct sockaddr, struct msghdr, struct iovec, AF_*, SOCK_*, MSG_*, SOL_* and SO_*
 * come from the libc (<sys/socket.h>): their layout and values are the kernel's on Linux, and
 * the public API (ulnet/socket.h) takes the libc's types, so the kernel side uses them too.
 * "User" buffers are plain pointers in the caller's address space: the EFAULT checks of the
 * kernel become checks for NULL with a non-zero length. */
#ifndef _LINUX_SOCKET_H
#define _LINUX_SOCKET_H
#include <sys/socket.h>
#include <sys/uio.h>
#include "linux/types.h"

/* Largest socket address (struct sockaddr_storage). */
#define MAX_SOCK_ADDR	128
#define UIO_FASTIOV	8	/* iovecs copied on the stack by sendmsg/recvmsg */
#ifndef UIO_MAXIOV
#define UIO_MAXIOV	1024	/* IOV_MAX */
#endif

/* Flags the kernel has and glibc may lack (3.10 values). */
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0x40000000
#endif
#ifndef MSG_CMSG_COMPAT
#define MSG_CMSG_COMPAT	0
#endif
#ifndef MSG_PROBE
#define MSG_PROBE	0x10	/* do not send, only probe the path (MTU) */
#endif
#ifndef MSG_SENDPAGE_NOTLAST
#define MSG_SENDPAGE_NOTLAST 0x20000
#endif
#ifndef SOL_IP
#define SOL_IP		0
#endif
#ifndef SOL_UDP
#define SOL_UDP		17
#endif

/* SCM_CREDENTIALS and struct ucred (glibc shows them only with _GNU_SOURCE; same values
 * and layout as the kernel's). A program of the ul_ API builds its control messages with
 * the libc's CMSG_* macros and these. */
#ifndef SCM_CREDENTIALS
#define SCM_CREDENTIALS	0x02
#endif
#ifndef __USE_GNU
struct ucred {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};
#endif

/* Copy @len bytes from the iovec into @kdata, consuming the iovec (iov_base/iov_len advance).
 * 0 or -EFAULT (a NULL base with a non-zero length). */
int memcpy_fromiovec(unsigned char *kdata, struct iovec *iov, int len);
/* Copy @len bytes of @kdata into the iovec, consuming it. 0 or -EFAULT. */
int memcpy_toiovec(struct iovec *iov, const unsigned char *kdata, int len);
/* Copy @len bytes starting @offset bytes into the iovec into @kdata; the iovec is not
 * changed (ip_generic_getfrag). 0 or -EFAULT. */
int memcpy_fromiovecend(unsigned char *kdata, const struct iovec *iov, int offset, int len);
/* Same, and add the sum of the copied bytes to *@csump. 0 or -EFAULT. */
int csum_partial_copy_fromiovecend(unsigned char *kdata, struct iovec *iov, int offset,
				   unsigned int len, __wsum *csump);
/* Copy @m's iovec array into @iov (UIO_FASTIOV entries or a larger kmalloc'ed array in
 * *@iovp that the caller kfree's when it differs from @iov), check it, copy the address to
 * @address and point m->msg_name at it. Returns the total length, or -EMSGSIZE (too many
 * iovecs), -EINVAL (a negative total, a bad name length), -EFAULT, -ENOMEM.
 * @mode: VERIFY_READ (sendmsg) or VERIFY_WRITE (recvmsg). */
#define VERIFY_READ	0
#define VERIFY_WRITE	1
int verify_iovec(struct msghdr *m, struct iovec *iov, struct sockaddr_storage *address, int mode);
/* The total length of an iovec array. */
size_t iov_length(const struct iovec *iov, unsigned long nr_segs);

/* Copy a caller's address in (-EINVAL for a length < 0 or > sizeof(sockaddr_storage),
 * -EFAULT for NULL with a length) / out (truncated to *@ulen, which gets the full length;
 * -EINVAL for a negative *@ulen). */
int move_addr_to_kernel(const void *uaddr, int ulen, struct sockaddr_storage *kaddr);
int move_addr_to_user(struct sockaddr_storage *kaddr, int klen, void *uaddr, socklen_t *ulen);
/* Append a control message to msg->msg_control (MSG_CTRUNC when it does not fit). */
int put_cmsg(struct msghdr *msg, int level, int type, int len, void *data);

#endif
