/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "linux/atomic.h"
#include "linux/fdtable.h"
#include "linux/netdevice.h"
#include "linux/sched.h"
#include "net/net_namespace.h"
#include "pkt/pkt.h"
#include "pkt/pktdev.h"
#include "pkt/run.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

static const char *const supported_calls[] = {
	"socket", "bind", "connect", "listen", "accept", "accept4", "close", "shutdown",
	"write", "send", "sendto", "sendmsg", "writev", "read", "recv", "recvfrom", "recvmsg",
	"readv", "setsockopt", "getsockopt", "fcntl", "ioctl", "poll", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_wait", "open", "sendfile",
};

bool pkt_call_supported(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(supported_calls) / sizeof(supported_calls[0]); i++)
		if (!strcmp(supported_calls[i], name))
			return true;
	return false;
}

/* ---- Symbols ---- */

struct sym {
	const char *name;
	long value;
};

static const struct sym syms[] = {
	{ "NULL", 0 },
	{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNSPEC", AF_UNSPEC },
	{ "PF_INET", PF_INET }, { "PF_INET6", PF_INET6 },
	{ "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM }, { "SOCK_RAW", SOCK_RAW },
	{ "SOCK_NONBLOCK", SOCK_NONBLOCK }, { "SOCK_CLOEXEC", SOCK_CLOEXEC },
	{ "IPPROTO_IP", IPPROTO_IP }, { "IPPROTO_TCP", IPPROTO_TCP },
	{ "IPPROTO_UDP", IPPROTO_UDP }, { "IPPROTO_ICMP", IPPROTO_ICMP },
	{ "SOL_SOCKET", SOL_SOCKET }, { "SOL_IP", SOL_IP }, { "SOL_TCP", IPPROTO_TCP },
	{ "SOL_UDP", IPPROTO_UDP },
	{ "SO_REUSEADDR", SO_REUSEADDR }, { "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDBUF", SO_SNDBUF },
	{ "SO_ERROR", SO_ERROR }, { "SO_LINGER", SO_LINGER }, { "SO_KEEPALIVE", SO_KEEPALIVE },
	{ "SO_BROADCAST", SO_BROADCAST }, { "SO_RCVLOWAT", SO_RCVLOWAT },
	{ "SO_SNDLOWAT", SO_SNDLOWAT }, { "SO_TYPE", SO_TYPE }, { "SO_REUSEPORT", 15 },
	{ "IP_TOS", IP_TOS }, { "IP_TTL", IP_TTL }, { "IP_MTU_DISCOVER", IP_MTU_DISCOVER },
	{ "IP_PMTUDISC_DONT", IP_PMTUDISC_DONT }, { "IP_PMTUDISC_DO", IP_PMTUDISC_DO },
	{ "IP_PMTUDISC_WANT", IP_PMTUDISC_WANT }, { "IP_FREEBIND", IP_FREEBIND },
	{ "IP_RECVERR", IP_RECVERR },
	{ "TCP_NODELAY", TCP_NODELAY }, { "TCP_MAXSEG", TCP_MAXSEG }, { "TCP_CORK", TCP_CORK },
	{ "TCP_KEEPIDLE", TCP_KEEPIDLE }, { "TCP_KEEPINTVL", TCP_KEEPINTVL },
	{ "TCP_KEEPCNT", TCP_KEEPCNT }, { "TCP_INFO", TCP_INFO },
	{ "TCP_USER_TIMEOUT", 18 }, { "TCP_NOTSENT_LOWAT", 25 },
	{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
	{ "O_NONBLOCK", O_NONBLOCK },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL }, { "F_GETFD", F_GETFD },
	{ "F_SETFD", F_SETFD }, { "FD_CLOEXEC", FD_CLOEXEC },
	{ "MSG_PEEK", MSG_PEEK }, { "MSG_DONTWAIT", MSG_DONTWAIT }, { "MSG_MORE", MSG_MORE },
	{ "MSG_TRUNC", MSG_TRUNC }, { "MSG_WAITALL", MSG_WAITALL }, { "MSG_OOB", MSG_OOB },
	{ "MSG_ERRQUEUE", MSG_ERRQUEUE }, { "MSG_NOSIGNAL", MSG_NOSIGNAL },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR },
	{ "SIOCINQ", FIONREAD }, { "FIONREAD", FIONREAD }, { "FIONBIO", FIONBIO },
	{ "SIOCOUTQ", TIOCOUTQ },
	{ "TCP_LINGER2", TCP_LINGER2 }, { "TCP_DEFER_ACCEPT", TCP_DEFER_ACCEPT },
	{ "TCP_WINDOW_CLAMP", TCP_WINDOW_CLAMP }, { "TCP_QUICKACK", TCP_QUICKACK },
	{ "TCP_SYNCNT", TCP_SYNCNT }, { "TCP_CONGESTION", TCP_CONGESTION },
	/* Options newer than 3.10: the stack answers ENOPROTOOPT, as 3.10 would. */
	{ "TCP_FASTOPEN", 23 }, { "TCP_FASTOPEN_CONNECT", 30 }, { "SO_ZEROCOPY", 60 },
	{ "MSG_FASTOPEN", 0x20000000 }, { "MSG_ZEROCOPY", 0x4000000 },
	{ "POLLIN", POLLIN }, { "POLLOUT", POLLOUT }, { "POLLERR", POLLERR },
	{ "POLLHUP", POLLHUP }, { "POLLPRI", POLLPRI }, { "POLLRDNORM", POLLRDNORM },
	{ "POLLWRNORM", POLLWRNORM }, { "POLLRDHUP", 0x2000 }, { "POLLNVAL", POLLNVAL },
	{ "EPOLLIN", EPOLLIN }, { "EPOLLOUT", EPOLLOUT }, { "EPOLLERR", EPOLLERR },
	{ "EPOLLHUP", EPOLLHUP }, { "EPOLLPRI", EPOLLPRI }, { "EPOLLRDHUP", EPOLLRDHUP },
	{ "EPOLLET", EPOLLET }, { "EPOLLONESHOT", EPOLLONESHOT },
	{ "EPOLLRDNORM", EPOLLRDNORM }, { "EPOLLWRNORM", EPOLLWRNORM },
	{ "EPOLL_CTL_ADD", EPOLL_CTL_ADD }, { "EPOLL_CTL_MOD", EPOLL_CTL_MOD },
	{ "EPOLL_CTL_DEL", EPOLL_CTL_DEL }, { "EPOLL_CLOEXEC", EPOLL_CLOEXEC },
	{ "O_CREAT", O_CREAT }, { "O_TRUNC", O_TRUNC }, { "O_APPEND", O_APPEND },
};

static const struct sym errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR }, { "EIO", EIO },
	{ "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "EWOULDBLOCK", EWOULDBLOCK },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "EINVAL", EINVAL }, { "EMFILE", EMFILE }, { "ENFILE", ENFILE },
	{ "ENOSPC", ENOSPC }, { "EPIPE", EPIPE }, { "ENOTSOCK", ENOTSOCK },
	{ "EDESTADDRREQ", EDESTADDRREQ }, { "EMSGSIZE", EMSGSIZE },
	{ "EPROTOTYPE", EPROTOTYPE }, { "ENOPROTOOPT", ENOPROTOOPT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "ESOCKTNOSUPPORT", ESOCKTNOSUPPORT },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "ENETDOWN", ENETDOWN }, { "ENETUNREACH", ENETUNREACH },
	{ "ECONNABORTED", ECONNABORTED }, { "ECONNRESET", ECONNRESET },
	{ "ENOBUFS", ENOBUFS }, { "EISCONN", EISCONN }, { "ENOTCONN", ENOTCONN },
	{ "ESHUTDOWN", ESHUTDOWN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EHOSTUNREACH", EHOSTUNREACH },
	{ "EALREADY", EALREADY }, { "EINPROGRESS", EINPROGRESS },
};

static bool sym_lookup(const struct sym *t, size_t n, const char *name, long *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name)) {
			*v = t[i].value;
			return true;
		}
	return false;
}

/* An integer expression: numbers, symbols, a|b, and [x] (an int passed by pointer). */
bool pkt_eval_int(const struct pkt_expr *e, long *v, char *why, size_t whylen)
{
	long a, b;

	switch (e->kind) {
	case PKT_EXPR_INT:
		*v = (long)e->num;
		return true;
	case PKT_EXPR_WORD:
		if (sym_lookup(syms, sizeof(syms) / sizeof(syms[0]), e->str, v))
			return true;
		snprintf(why, whylen, "unknown symbol '%s'", e->str);
		return false;
	case PKT_EXPR_OR:
		if (!pkt_eval_int(e->lhs, &a, why, whylen) || !pkt_eval_int(e->rhs, &b, why, whylen))
			return false;
		*v = a | b;
		return true;
	case PKT_EXPR_ARRAY:
		if (e->nelems == 1)
			return pkt_eval_int(e->elems[0], v, why, whylen);
		/* fall through */
	default:
		snprintf(why, whylen, "expected an integer expression");
		return false;
	}
}

/* ---- System calls ---- */

static bool is_call(const struct pkt_syscall *sc, const char *name)
{
	return !strcmp(sc->name, name);
}

static void make_sockaddr(const struct run *r, bool local, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(local ? r->fl.local_port : r->fl.remote_port);
	sin->sin_addr.s_addr = htonl(local ? r->fl.local_ip : r->fl.remote_ip);
}

static int map_fd(struct run *r, const struct pkt_expr *e, int *fd, char *why, size_t whylen)
{
	long v;

	if (!pkt_eval_int(e, &v, why, whylen))
		return -1;
	if (v >= 0 && v < PKT_MAX_FDS && r->fdmap[v] >= 0)
		*fd = r->fdmap[v];
	else
		*fd = (int)(v >= 0 && v < PKT_MAX_FDS ? 1000 + v : v);	/* EBADF as Linux */
	return 0;
}

static int arg_int(const struct pkt_syscall *sc, int i, long *v, char *why, size_t whylen)
{
	if (i >= sc->nargs) {
		snprintf(why, whylen, "%s: missing argument %d", sc->name, i + 1);
		return -1;
	}
	return pkt_eval_int(sc->args[i], v, why, whylen) ? 0 : -1;
}

/* The member @name of a `{name=value, ...}` expression (`msg_iov(1)=...` counts as
 * msg_iov), or NULL. */
static const struct pkt_expr *member(const struct pkt_expr *e, const char *name)
{
	int i;

	if (!e || e->kind != PKT_EXPR_STRUCT)
		return NULL;
	for (i = 0; i < e->nelems; i++) {
		const struct pkt_expr *m = e->elems[i];

		if (m->kind == PKT_EXPR_ASSIGN &&
		    (m->lhs->kind == PKT_EXPR_WORD || m->lhs->kind == PKT_EXPR_CALL) &&
		    !strcmp(m->lhs->str, name))
			return m->rhs;
	}
	return NULL;
}

/* An iovec list `[{..., 40}, {..., 60}]` as packetdrill writes it: fill @iov (buffers of
 * zeroes from @buf) and return the count, or -1 with @why. */
static int build_iov(const struct pkt_expr *e, struct iovec *iov, int max, uint8_t *buf,
		     size_t buflen, char *why, size_t whylen)
{
	size_t used = 0;
	int i;

	if (!e || e->kind != PKT_EXPR_ARRAY)
		return snprintf(why, whylen, "expected an iovec array [{..., len}]"), -1;
	if (e->nelems > max)
		return snprintf(why, whylen, "more than %d iovecs", max), -1;
	for (i = 0; i < e->nelems; i++) {
		const struct pkt_expr *v = e->elems[i];
		long len;

		if (v->kind != PKT_EXPR_STRUCT || v->nelems != 2 ||
		    !pkt_eval_int(v->elems[1], &len, why, whylen))
			return snprintf(why, whylen, "expected an iovec {..., len}"), -1;
		if (len < 0 || (size_t)len > buflen - used)
			return snprintf(why, whylen, "iovec length %ld out of range", len), -1;
		iov[i].iov_base = buf + used;
		iov[i].iov_len = (size_t)len;
		used += (size_t)len;
	}
	return e->nelems;
}

/* The data member of an epoll_event expression: {events=X, fd=N} (or ptr/u32/u64). */
static bool epoll_data(const struct pkt_expr *e, uint64_t *data, char *why, size_t whylen)
{
	static const char *const names[] = { "fd", "ptr", "u32", "u64" };
	size_t i;
	long v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct pkt_expr *m = member(e, names[i]);

		if (m) {
			if (!pkt_eval_int(m, &v, why, whylen))
				return false;
			*data = (uint64_t)v;
			return true;
		}
	}
	*data = 0;
	return true;
}

/* Run @sc; *ret gets the return value and *err errno. Returns -1 with @why on a script
 * error (bad arguments, a call the runner lacks), 0 otherwise. Context: a task. */
static int exec_syscall(struct run *r, const struct pkt_syscall *sc, long *ret, int *err,
			struct sc_out *out, char *why, size_t whylen)
{
	static uint8_t buf[1 << 20];
	struct sockaddr_in sin;
	long a1 = 0, a2 = 0, a3 = 0;
	int fd = -1;

	out->has_val = false;
	out->mismatch[0] = '\0';
	errno = 0;
	if (!pkt_call_supported(sc->name))
		return snprintf(why, whylen, "system call %s is not supported by the runner "
				"(ulnet has no %s yet)", sc->name, sc->name), -1;
	if (is_call(sc, "socket")) {
		long dom = AF_INET;

		if (sc->nargs != 3)
			return snprintf(why, whylen, "socket takes 3 arguments"), -1;
		if (sc->args[0]->kind != PKT_EXPR_ELLIPSIS && arg_int(sc, 0, &dom, why, whylen))
			return -1;
		if (arg_int(sc, 1, &a1, why, whylen) || arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = ul_socket((int)dom, (int)a1, (int)a2);
		*err = errno;
		return 0;
	}
	if (is_call(sc, "epoll_create") || is_call(sc, "epoll_create1")) {
		if (arg_int(sc, 0, &a1, why, whylen))
			return -1;
		*ret = is_call(sc, "epoll_create") ? ul_epoll_create((int)a1) :
						      ul_epoll_create1((int)a1);
		*err = errno;
		return 0;
	}
	if (is_call(sc, "open")) {
		const struct pkt_file *f;

		if (sc->nargs < 2 || sc->args[0]->kind != PKT_EXPR_STRING)
			return snprintf(why, whylen, "open takes \"path\", flags"), -1;
		f = pkt_file_find(sc->args[0]->str, false);
		if (!f) {
			*ret = -1;
			*err = ENOENT;
			return 0;
		}
		*ret = ul_memfd_create(f->path, 0);
		*err = errno;
		if (*ret >= 0 && ul_ftruncate((int)*ret, f->size)) {
			*err = errno;
			ul_close((int)*ret);
			*ret = -1;
		}
		return 0;
	}
	if (is_call(sc, "poll")) {
		struct pollfd pfd[8];
		const struct pkt_expr *arr = sc->nargs == 3 ? sc->args[0] : NULL;
		int i, n;

		if (!arr || arr->kind != PKT_EXPR_ARRAY || arr->nelems > 8)
			return snprintf(why, whylen, "poll takes [{fd=, events=}...], n, timeout"),
			       -1;
		n = arr->nelems;
		for (i = 0; i < n; i++) {
			const struct pkt_expr *f = member(arr->elems[i], "fd"),
					      *ev = member(arr->elems[i], "events");

			if (!f || !ev || map_fd(r, f, &pfd[i].fd, why, whylen) ||
			    !pkt_eval_int(ev, &a1, why, whylen))
				return snprintf(why, whylen, "poll: bad pollfd %d", i), -1;
			pfd[i].events = (short)a1;
			pfd[i].revents = 0;
		}
		if (arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = ul_poll(pfd, (nfds_t)n, (int)a2);
		*err = errno;
		for (i = 0; i < n; i++) {
			const struct pkt_expr *rv = member(arr->elems[i], "revents");

			if (rv && pkt_eval_int(rv, &a1, why, whylen) && (short)a1 != pfd[i].revents) {
				snprintf(out->mismatch, sizeof(out->mismatch),
					 "poll: expected revents 0x%lx but got 0x%x for pollfd %d",
					 a1, (unsigned)(unsigned short)pfd[i].revents, i);
				break;
			}
		}
		return 0;
	}
	if (sc->nargs < 1 || map_fd(r, sc->args[0], &fd, why, whylen))
		return sc->nargs < 1 ? (snprintf(why, whylen, "%s needs an fd", sc->name), -1) : -1;
	if (is_call(sc, "bind") || is_call(sc, "connect")) {
		make_sockaddr(r, is_call(sc, "bind"), &sin);
		if (is_call(sc, "connect"))
			pkt_flow_new_conn(&r->fl, r->fl.remote_port);
		*ret = is_call(sc, "bind") ?
			ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) :
			ul_connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	} else if (is_call(sc, "listen")) {
		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		*ret = ul_listen(fd, (int)a1);
	} else if (is_call(sc, "accept") || is_call(sc, "accept4")) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);

		if (is_call(sc, "accept4") && arg_int(sc, 3, &a1, why, whylen))
			return -1;
		*ret = ul_accept4(fd, (struct sockaddr *)&peer, &plen, (int)a1);
	} else if (is_call(sc, "close")) {
		*ret = ul_close(fd);
	} else if (is_call(sc, "shutdown")) {
		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		*ret = ul_shutdown(fd, (int)a1);
	} else if (is_call(sc, "write") || is_call(sc, "send") || is_call(sc, "sendto") ||
		   is_call(sc, "read") || is_call(sc, "recv") || is_call(sc, "recvfrom")) {
		bool wr = is_call(sc, "write") || is_call(sc, "send") || is_call(sc, "sendto");
		/* `NULL` as the buffer: a bad address, which the stack must refuse (EFAULT). */
		bool null_buf = sc->nargs > 1 && sc->args[1]->kind == PKT_EXPR_WORD &&
				!strcmp(sc->args[1]->str, "NULL");
		void *p = null_buf ? NULL : buf;

		if (arg_int(sc, 2, &a1, why, whylen))
			return -1;
		if (a1 < 0 || a1 > (long)sizeof(buf))
			return snprintf(why, whylen, "%s: length %ld out of range", sc->name, a1), -1;
		if (sc->nargs > 3 && arg_int(sc, 3, &a2, why, whylen))
			return -1;
		if (wr)
			memset(buf, 0, (size_t)a1);	/* packetdrill's payloads are zeroes */
		make_sockaddr(r, false, &sin);
		if (is_call(sc, "write"))
			*ret = ul_write(fd, p, (size_t)a1);
		else if (is_call(sc, "send"))
			*ret = ul_send(fd, p, (size_t)a1, (int)a2);
		else if (is_call(sc, "sendto"))
			*ret = ul_sendto(fd, p, (size_t)a1, (int)a2, (struct sockaddr *)&sin,
					 sizeof(sin));
		else if (is_call(sc, "read"))
			*ret = ul_read(fd, p, (size_t)a1);
		else if (is_call(sc, "recv"))
			*ret = ul_recv(fd, p, (size_t)a1, (int)a2);
		else
			*ret = ul_recvfrom(fd, p, (size_t)a1, (int)a2, NULL, NULL);
	} else if (is_call(sc, "writev") || is_call(sc, "readv")) {
		struct iovec iov[16];
		int n;

		if (sc->nargs < 2)
			return snprintf(why, whylen, "%s: missing arguments", sc->name), -1;
		n = build_iov(sc->args[1], iov, 16, buf, sizeof(buf), why, whylen);
		if (n < 0)
			return -1;
		if (is_call(sc, "writev")) {
			memset(buf, 0, sizeof(buf));
			*ret = ul_writev(fd, iov, n);
		} else {
			*ret = ul_readv(fd, iov, n);
		}
	} else if (is_call(sc, "sendmsg") || is_call(sc, "recvmsg")) {
		struct iovec iov[16];
		struct msghdr msg;
		const struct pkt_expr *m = sc->nargs > 1 ? sc->args[1] : NULL, *f;
		int n;

		memset(&msg, 0, sizeof(msg));
		n = build_iov(member(m, "msg_iov"), iov, 16, buf, sizeof(buf), why, whylen);
		if (n < 0)
			return -1;
		f = member(m, "msg_flags");
		if (f && !pkt_eval_int(f, &a3, why, whylen))
			return -1;
		if (arg_int(sc, 2, &a2, why, whylen))
			return -1;
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)n;
		msg.msg_flags = (int)a3;
		if (is_call(sc, "sendmsg")) {
			memset(buf, 0, sizeof(buf));
			*ret = ul_sendmsg(fd, &msg, (int)a2);
		} else {
			*ret = ul_recvmsg(fd, &msg, (int)a2);
		}
	} else if (is_call(sc, "setsockopt")) {
		const struct pkt_expr *val = sc->nargs > 3 ? sc->args[3] : NULL;
		socklen_t len = sizeof(int);
		struct linger lg;
		int v = 0;
		void *opt = &v;

		if (arg_int(sc, 1, &a1, why, whylen) || arg_int(sc, 2, &a2, why, whylen))
			return -1;
		if (val && val->kind == PKT_EXPR_STRUCT) {
			const struct pkt_expr *on = member(val, "onoff"), *li = member(val, "linger");
			long x, y;

			if (!on || !li || !pkt_eval_int(on, &x, why, whylen) ||
			    !pkt_eval_int(li, &y, why, whylen))
				return snprintf(why, whylen, "setsockopt: expected {onoff=, linger=}"),
				       -1;
			lg.l_onoff = (int)x;
			lg.l_linger = (int)y;
			opt = &lg;
			len = sizeof(lg);
		} else {
			if (arg_int(sc, 3, &a3, why, whylen))
				return -1;
			v = (int)a3;
		}
		/* The script's optlen: IP_TOS takes one byte, say. */
		if (sc->nargs > 4 && sc->args[4]->kind != PKT_EXPR_ELLIPSIS) {
			long l;

			if (arg_int(sc, 4, &l, why, whylen))
				return -1;
			if (l < 0 || (size_t)l > (opt == &lg ? sizeof(lg) : sizeof(v)))
				return snprintf(why, whylen, "setsockopt: optlen %ld", l), -1;
			len = (socklen_t)l;
		}
		*ret = ul_setsockopt(fd, (int)a1, (int)a2, opt, len);
	} else if (is_call(sc, "getsockopt")) {
		int v = 0;
		socklen_t len = sizeof(v);

		if (arg_int(sc, 1, &a1, why, whylen) || arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = ul_getsockopt(fd, (int)a1, (int)a2, &v, &len);
		out->val = v;
		out->has_val = true;
	} else if (is_call(sc, "fcntl")) {
		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		if (sc->nargs > 2 && arg_int(sc, 2, &a2, why, whylen))
			return -1;
		*ret = sc->nargs > 2 ? ul_fcntl(fd, (int)a1, (int)a2) : ul_fcntl(fd, (int)a1);
	} else if (is_call(sc, "ioctl")) {
		int v = 0;

		if (arg_int(sc, 1, &a1, why, whylen))
			return -1;
		*ret = ul_ioctl(fd, (unsigned long)a1, &v);
		out->val = v;
		out->has_val = true;
	} else if (is_call(sc, "sendfile")) {
		int in;
		off_t off = 0;
		bool has_off = sc->nargs > 2 && sc->args[2]->kind == PKT_EXPR_ARRAY;

		if (sc->nargs != 4 || map_fd(r, sc->args[1], &in, why, whylen) ||
		    arg_int(sc, 3, &a1, why, whylen))
			return sc->nargs != 4 ? (snprintf(why, whylen, "sendfile takes 4 "
							  "arguments"), -1) : -1;
		if (has_off) {
			if (arg_int(sc, 2, &a2, why, whylen))
				return -1;
			off = (off_t)a2;
		}
		*ret = ul_sendfile(fd, in, has_off ? &off : NULL, (size_t)a1);
	} else if (is_call(sc, "epoll_ctl")) {
		struct epoll_event ev;
		int target;

		memset(&ev, 0, sizeof(ev));
		if (arg_int(sc, 1, &a1, why, whylen) || sc->nargs < 4 ||
		    map_fd(r, sc->args[2], &target, why, whylen))
			return sc->nargs < 4 ? (snprintf(why, whylen, "epoll_ctl takes 4 arguments"),
						-1) : -1;
		if (sc->args[3]->kind == PKT_EXPR_STRUCT) {
			const struct pkt_expr *e = member(sc->args[3], "events");
			uint64_t data;

			if (!e || !pkt_eval_int(e, &a2, why, whylen))
				return snprintf(why, whylen, "epoll_ctl: expected {events=...}"), -1;
			ev.events = (uint32_t)a2;
			/* The data is the script's own value (its fd number), so that
			 * epoll_wait hands back what the script wrote. */
			if (!epoll_data(sc->args[3], &data, why, whylen))
				return -1;
			ev.data.u64 = data;
		}
		*ret = ul_epoll_ctl(fd, (int)a1, target, &ev);
	} else if (is_call(sc, "epoll_wait")) {
		struct epoll_event evs[16];
		const struct pkt_expr *want = sc->nargs > 1 ? sc->args[1] : NULL;

		if (arg_int(sc, 2, &a1, why, whylen) || arg_int(sc, 3, &a2, why, whylen))
			return -1;
		if (a1 < 1 || a1 > 16)
			return snprintf(why, whylen, "epoll_wait: maxevents %ld (1..16)", a1), -1;
		*ret = ul_epoll_wait(fd, evs, (int)a1, (int)a2);
		*err = errno;
		if (*ret > 0 && want && want->kind == PKT_EXPR_STRUCT) {
			const struct pkt_expr *e = member(want, "events");
			uint64_t data;

			if (e && pkt_eval_int(e, &a3, why, whylen) && evs[0].events != (uint32_t)a3)
				snprintf(out->mismatch, sizeof(out->mismatch),
					 "epoll_wait: expected events 0x%lx but got 0x%x", a3,
					 evs[0].events);
			else if (epoll_data(want, &data, why, whylen) && evs[0].data.u64 != data)
				snprintf(out->mismatch, sizeof(out->mismatch),
					 "epoll_wait: expected data %" PRIu64 " but got %" PRIu64,
					 data, (uint64_t)evs[0].data.u64);
		}
		return 0;
	} else {
		return snprintf(why, whylen, "system call %s is not supported by the runner "
				"(ulnet has no %s yet)", sc->name, sc->name), -1;
	}
	*err = errno;
	return 0;
}

static const char *errno_name(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return "?";
}

/* Compare what the call did with the script's `= result [ERRNO] [(note)]`. */
static void check_syscall(struct run *r, const struct pkt_event *ev, long ret, int err,
			  const struct sc_out *out)
{
	const struct pkt_syscall *sc = ev->sc;
	char why[256];
	long want;

	if (sc->result->kind == PKT_EXPR_ELLIPSIS)
		return;
	if (!pkt_eval_int(sc->result, &want, why, sizeof(why))) {
		pkt_fail(r, ev, "bad expected result of %s: %s", sc->name, why);
		return;
	}
	/* A new descriptor: the script's number stands for the stack's, whatever it is. */
	if ((is_call(sc, "socket") || is_call(sc, "accept") || is_call(sc, "accept4") ||
	     is_call(sc, "epoll_create") || is_call(sc, "epoll_create1") ||
	     is_call(sc, "open")) && want >= 0 &&
	    ret >= 0) {
		if (want >= PKT_MAX_FDS) {
			pkt_fail(r, ev, "script descriptor %ld is beyond the runner's %d", want,
				 PKT_MAX_FDS);
		} else {
			r->fdmap[want] = (int)ret;
			/* packetdrill's socket under test: the one accepted, else the last
			 * one created (a connect() picks it too, below). */
			if (is_call(sc, "accept") || is_call(sc, "accept4") ||
			    (is_call(sc, "socket") && r->sut_fd < 0))
				r->sut_fd = (int)want;
		}
		return;
	}
	if (is_call(sc, "connect") && sc->nargs > 0) {
		long v;

		if (pkt_eval_int(sc->args[0], &v, why, sizeof(why)) && v >= 0 && v < PKT_MAX_FDS)
			r->sut_fd = (int)v;
	}
	if (ret != want) {
		if (ret < 0 && want >= 0 && (is_call(sc, "socket") || is_call(sc, "accept")))
			pkt_fail(r, ev, "runtime error in %s call: Expected non-negative result but "
				 "got %ld with errno %d (%s)", sc->name, ret, err, strerror(err));
		else if (ret < 0)
			pkt_fail(r, ev, "runtime error in %s call: Expected result %ld but got %ld "
				 "with errno %d (%s)", sc->name, want, ret, err, strerror(err));
		else
			pkt_fail(r, ev, "runtime error in %s call: Expected result %ld but got %ld",
				 sc->name, want, ret);
		return;
	}
	if (sc->errno_name) {
		long e;

		if (!sym_lookup(errnos, sizeof(errnos) / sizeof(errnos[0]), sc->errno_name, &e)) {
			pkt_fail(r, ev, "unknown errno name %s", sc->errno_name);
			return;
		}
		if (e != err)
			pkt_fail(r, ev, "runtime error in %s call: Expected errno %s but got %s "
				 "(%s)", sc->name, sc->errno_name, errno_name(err), strerror(err));
		return;
	}
	if (out && out->has_val && sc->nargs >= (is_call(sc, "ioctl") ? 3 : 4)) {
		const struct pkt_expr *a = sc->args[is_call(sc, "ioctl") ? 2 : 3];
		long v;

		if (a->kind != PKT_EXPR_ELLIPSIS && pkt_eval_int(a, &v, why, sizeof(why)) &&
		    (int)v != (int)out->val)
			pkt_fail(r, ev, "runtime error in %s call: Expected value %ld but got %ld",
				 sc->name, v, out->val);
	}
	if (out && out->mismatch[0])
		pkt_fail(r, ev, "runtime error in %s call: %s", sc->name, out->mismatch);
	if (is_call(sc, "close") && ret == 0) {
		long v;

		if (!pkt_eval_int(sc->args[0], &v, why, sizeof(why)))
			return;
		if (v >= 0 && v < PKT_MAX_FDS)
			r->fdmap[v] = -1;
	}
}

static int blocking_fn(void *arg)
{
	struct blocking_call *b = arg;
	char why[256];

	/* CLONE_FILES: the call sees the script's descriptors. */
	if (b->run->files && !current->files) {
		atomic_inc(&b->run->files->count);
		current->files = b->run->files;
	}
	if (exec_syscall(b->run, b->ev->sc, &b->ret, &b->err, &b->out, why, sizeof(why))) {
		b->bad = true;
		snprintf(b->out.mismatch, sizeof(b->out.mismatch), "%s", why);
	}
	b->end_ns = ul_now_ns();
	b->done = true;
	return 0;
}

void pkt_check_blocking(struct run *r, bool final)
{
	int i;

	for (i = 0; i < r->nblk; i++) {
		struct blocking_call *b = &r->blk[i];
		const struct pkt_syscall *sc = b->ev->sc;
		int64_t end = b->end_us;

		if (b->checked)
			continue;
		if (final && !b->done)
			pkt_sleep_until_us(r, end + r->tolerance_us);
		if (!b->done) {
			if (final || pkt_now_us(r) > end + r->tolerance_us) {
				b->checked = true;
				pkt_fail(r, b->ev, "blocking system call %s did not return by its "
					 "end time", sc->name);
			}
			continue;
		}
		b->checked = true;
		if (b->bad) {
			pkt_fail(r, b->ev, "%s", b->out.mismatch);
			continue;
		}
		/* What it returned first: a wrong result explains a wrong time. */
		check_syscall(r, b->ev, b->ret, b->err, &b->out);
		pkt_check_time(r, b->ev, "blocking system call return", end, end,
			   (int64_t)((b->end_ns - r->t0_ns) / 1000));
	}
}

void pkt_do_syscall(struct run *r, const struct pkt_event *ev, int64_t lo)
{
	char why[256];
	struct sc_out out;
	long ret = 0;
	int64_t start;
	int err = 0;

	if (ev->sc->has_end) {
		struct blocking_call *b;

		if (r->nblk >= PKT_MAX_BLOCKING) {
			pkt_fail(r, ev, "more than %d blocking calls", PKT_MAX_BLOCKING);
			return;
		}
		b = &r->blk[r->nblk++];
		b->run = r;
		b->ev = ev;
		b->start_us = lo;
		/* `+a...b`: both ends count from the previous event (packetdrill adds the
		 * same base to the end time); `T1...+b` ends b after its start. */
		if (ev->sc->end.kind == PKT_TIME_REL)
			b->end_us = lo + ev->sc->end.usecs;
		else if (ev->time.kind == PKT_TIME_REL)
			b->end_us = r->prev_us + ev->sc->end.usecs;
		else
			b->end_us = ev->sc->end.usecs;
		b->task = ul_task_spawn(r->netns, ev->sc->name, 0, blocking_fn, b);
		if (!b->task) {
			r->nblk--;
			pkt_fail(r, ev, "cannot start a task for the blocking call");
		}
		return;
	}
	start = pkt_now_us(r);
	if (exec_syscall(r, ev->sc, &ret, &err, &out, why, sizeof(why))) {
		pkt_fail(r, ev, "%s", why);
		return;
	}
	check_syscall(r, ev, ret, err, &out);
	/* A call written without `...` must not block (packetdrill's threads would hang). */
	if (pkt_now_us(r) - start > r->tolerance_us) {
		char t[32];

		pkt_fmt_secs(t, sizeof(t), pkt_now_us(r) - start);
		pkt_fail(r, ev, "%s call blocked for %s sec; the script expects it to return at "
			 "once (write it as T1...T2 %s() if it blocks)", ev->sc->name, t,
			 ev->sc->name);
	}
}
