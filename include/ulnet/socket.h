/* SPDX-License-Identifier: MIT */
/* ulnet: the BSD socket API of the stack.
 *
 * Each call works on the file descriptor table of the calling task (ul_task_spawn'ed tasks
 * each have their own; the thread that created the stack has one too), in the task's
 * network namespace. The calls follow the libc convention, so that they can stand in for
 * the libc's (LD_PRELOAD): they return -1 and set errno on error, with Linux's errno for
 * each misuse (EBADF, ENOTSOCK, EINVAL, EFAULT for a NULL buffer with a non-zero length,
 * EAFNOSUPPORT, EPROTONOSUPPORT, EAGAIN, ENOTCONN, EDESTADDRREQ, EMSGSIZE, ECONNREFUSED...).
 * A call that blocks parks the task on the socket's wait queue (book ch3); on the sim
 * runtime the world runs meanwhile.
 *
 * Implemented now: AF_INET SOCK_DGRAM (UDP). SOCK_STREAM (TCP), AF_UNIX, poll/epoll arrive
 * with later issues: until then they fail with EPROTONOSUPPORT / EAFNOSUPPORT. */
#ifndef ULNET_SOCKET_H
#define ULNET_SOCKET_H
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include "ulnet/ulnet.h"

#ifdef __cplusplus
extern "C" {
#endif

UL_EXPORT int ul_socket(int domain, int type, int protocol);
UL_EXPORT int ul_bind(int fd, const struct sockaddr *addr, socklen_t addrlen);
UL_EXPORT int ul_connect(int fd, const struct sockaddr *addr, socklen_t addrlen);
UL_EXPORT int ul_getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen);
UL_EXPORT int ul_getpeername(int fd, struct sockaddr *addr, socklen_t *addrlen);
UL_EXPORT ssize_t ul_sendto(int fd, const void *buf, size_t len, int flags,
			    const struct sockaddr *dest_addr, socklen_t addrlen);
UL_EXPORT ssize_t ul_send(int fd, const void *buf, size_t len, int flags);
UL_EXPORT ssize_t ul_recvfrom(int fd, void *buf, size_t len, int flags,
			      struct sockaddr *src_addr, socklen_t *addrlen);
UL_EXPORT ssize_t ul_recv(int fd, void *buf, size_t len, int flags);
UL_EXPORT ssize_t ul_sendmsg(int fd, const struct msghdr *msg, int flags);
UL_EXPORT ssize_t ul_recvmsg(int fd, struct msghdr *msg, int flags);
UL_EXPORT ssize_t ul_read(int fd, void *buf, size_t count);
UL_EXPORT ssize_t ul_write(int fd, const void *buf, size_t count);
UL_EXPORT ssize_t ul_readv(int fd, const struct iovec *iov, int iovcnt);
UL_EXPORT ssize_t ul_writev(int fd, const struct iovec *iov, int iovcnt);
UL_EXPORT int ul_close(int fd);
UL_EXPORT int ul_shutdown(int fd, int how);
UL_EXPORT int ul_setsockopt(int fd, int level, int optname, const void *optval,
			    socklen_t optlen);
UL_EXPORT int ul_getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen);
/* F_GETFL / F_SETFL (O_NONBLOCK), F_GETFD / F_SETFD (FD_CLOEXEC), F_DUPFD(_CLOEXEC). The
 * third argument is an int (or absent for the F_GET* commands). */
UL_EXPORT int ul_fcntl(int fd, int cmd, ...);
/* FIONBIO (int *), FIONREAD / SIOCINQ (int *: bytes of the next datagram for UDP),
 * SIOCOUTQ (int *: bytes not yet sent). */
UL_EXPORT int ul_ioctl(int fd, unsigned long request, ...);
/* RLIMIT_NOFILE of the calling task (soft default 1024, hard 4096; hard at most
 * fs.nr_open). Other resources: EINVAL. */
UL_EXPORT int ul_getrlimit(int resource, struct rlimit *rlim);
UL_EXPORT int ul_setrlimit(int resource, const struct rlimit *rlim);

#ifdef __cplusplus
}
#endif
#endif
