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
 * Implemented: AF_INET SOCK_STREAM (TCP), SOCK_DGRAM (UDP) and ping sockets; AF_UNIX
 * SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET (with SCM_RIGHTS and SCM_CREDENTIALS); poll,
 * epoll; sendfile from a memory file (ul_memfd_create), by page reference into TCP. See
 * docs/sockets.md. */
#ifndef ULNET_SOCKET_H
#define ULNET_SOCKET_H
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
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
/* listen(2) (backlog capped at net.core.somaxconn) and accept4(2) (flags SOCK_NONBLOCK,
 * SOCK_CLOEXEC); errno as Linux (EINVAL on a socket not listening, EAGAIN when non-blocking
 * and nothing is queued, EOPNOTSUPP for datagram sockets). */
UL_EXPORT int ul_listen(int fd, int backlog);
UL_EXPORT int ul_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
UL_EXPORT int ul_accept(int fd, struct sockaddr *addr, socklen_t *addrlen);
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

/* ---- AF_UNIX pairs ---- */
/* socketpair(2): AF_UNIX only (EOPNOTSUPP for AF_INET, as Linux); @sv gets two fds. */
UL_EXPORT int ul_socketpair(int domain, int type, int protocol, int sv[2]);

/* ---- poll and epoll (fs/select.c, fs/eventpoll.c) ---- */
/* poll(2): @timeout in ms (< 0: forever), on the stack's clock (virtual time on sim).
 * Returns the number of entries with revents set; POLLNVAL for a closed fd; EINVAL when
 * @nfds exceeds RLIMIT_NOFILE; EFAULT for NULL @fds with @nfds > 0; EINTR. */
UL_EXPORT int ul_poll(struct pollfd *fds, nfds_t nfds, int timeout);
/* epoll_create1(2): @flags EPOLL_CLOEXEC (else EINVAL). epoll_create: @size > 0. */
UL_EXPORT int ul_epoll_create1(int flags);
UL_EXPORT int ul_epoll_create(int size);
/* epoll_ctl(2): EBADF, EPERM (file without poll), EINVAL (epfd not an epoll, fd == epfd,
 * bad op), EEXIST (ADD twice), ENOENT (MOD/DEL of what is not there), ELOOP (a cycle of
 * epoll instances or nesting deeper than 4), EFAULT (NULL event for ADD/MOD), ENOMEM. */
UL_EXPORT int ul_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
/* epoll_wait(2): EINVAL for @maxevents <= 0 or epfd not an epoll, EFAULT for NULL @events,
 * EBADF, EINTR. @timeout in ms as ul_poll. */
UL_EXPORT int ul_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);

/* ---- memory files and sendfile (fs/read_write.c, mm/memfd.c) ---- */
/* An in-memory regular file (memfd_create(2), Linux 3.17+; see docs/sockets.md): read,
 * write, lseek, ftruncate and sendfile work on it. @flags: MFD_CLOEXEC (1). */
UL_EXPORT int ul_memfd_create(const char *name, unsigned int flags);
UL_EXPORT off_t ul_lseek(int fd, off_t offset, int whence);
UL_EXPORT int ul_ftruncate(int fd, off_t length);
/* sendfile(2): @count bytes from @in_fd (a memory file) at *@offset (NULL: its file
 * position, which then moves; else *@offset moves) into the socket @out_fd. Returns the
 * bytes sent (0 at the end of the file); EBADF, EINVAL (input not a memory file, output
 * not a socket, negative offset), or the socket's error (EPIPE, EAGAIN...). */
UL_EXPORT ssize_t ul_sendfile(int out_fd, int in_fd, off_t *offset, size_t count);

/* Bytes moved between "user" buffers and the stack since boot (book ch1 "zero-copy"):
 * copy_from_user: user -> stack (write/send); copy_to_user: stack -> user (read/recv);
 * kernel_copy: copied inside the stack without a user buffer (sendfile into a protocol
 * without a zero-copy sendpage); zerocopy: moved by reference (no CPU copy). */
struct ul_copy_stats {
	uint64_t copy_from_user;
	uint64_t copy_to_user;
	uint64_t kernel_copy;
	uint64_t zerocopy;
};
UL_EXPORT void ul_copy_stats_get(struct ul_copy_stats *st);

#ifdef __cplusplus
}
#endif
#endif
