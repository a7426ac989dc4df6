/* SPDX-License-Identifier: MIT */
/* Socket control messages: passing open files (SCM_RIGHTS) and credentials
 * (SCM_CREDENTIALS) from sendmsg to recvmsg.
 * Mirrors linux/include/net/scm.h and net/core/scm.c (3.10): struct scm_fp_list,
 * struct scm_cookie, scm_send, __scm_send, scm_fp_copy, scm_fp_dup, scm_recv,
 * scm_detach_fds, scm_destroy, __scm_destroy, scm_set_cred, cred_to_ucred.
 *
 * A sender's control buffer is parsed once (__scm_send) into a cookie: the files named
 * by SCM_RIGHTS, each with a reference taken (fget), and the credentials. AF_UNIX hangs a
 * copy of the file list on the skb (UNIXCB(skb).fp); the receiver installs the files as
 * new fds in its own table (scm_detach_fds) and writes the control messages back
 * (scm_recv).
 *
 * DIVERGES: ulnet has no struct pid / struct cred: a cookie holds the pid as a number and
 * the uid/gid as plain ids. Every ulnet task runs as uid 0, gid 0 with every capability
 * (as root), so any valid uid/gid/pid may be claimed in SCM_CREDENTIALS (scm_check_creds
 * only refuses the invalid id (uid_t)-1, with EINVAL); a pid must be positive (ulnet has no
 * pid table to look others up in: 3.10's ESRCH is kept for pid <= 0 only).
 *
 * Context: process. */
#ifndef _NET_SCM_H
#define _NET_SCM_H
#include <sys/types.h>
#include "linux/socket.h"
#include "linux/types.h"

struct file;
struct socket;

/* Most files one SCM_RIGHTS message may carry (3.10: SCM_MAX_FD 253). */
#define SCM_MAX_FD	253

/* uid/gid reported for a message that carries no credentials (3.10: overflowuid and
 * overflowgid, what from_kuid_munged gives for INVALID_UID). */
#define UL_OVERFLOWUID	65534
#define UL_OVERFLOWGID	65534
#define UL_INVALID_UID	((uid_t)-1)
#define UL_INVALID_GID	((gid_t)-1)

struct scm_fp_list {
	short count;
	short max;
	struct file *fp[SCM_MAX_FD];
};

struct scm_creds {
	u32 pid;
	uid_t uid;
	gid_t gid;
};

struct scm_cookie {
	int pid;			/* 3.10: struct pid *; 0: none */
	struct scm_fp_list *fp;		/* passed files */
	struct scm_creds creds;		/* skb credentials */
};

/* CMSG_OK: the header fits in the buffer and its length is sane (the kernel's, which
 * glibc lacks). */
#ifndef CMSG_OK
#define CMSG_OK(mhdr, cmsg)                                                               \
	((cmsg)->cmsg_len >= sizeof(struct cmsghdr) &&                                    \
	 (cmsg)->cmsg_len <= (unsigned long)((mhdr)->msg_controllen -                     \
					     (size_t)((char *)(cmsg) -                    \
						      (char *)(mhdr)->msg_control)))
#endif

/* The next header after @cmsg in @msg, or NULL (the kernel's cmsg_nxthdr: it stops when
 * the next header would not fit whole, where glibc's only checks its start). */
static inline struct cmsghdr *cmsg_nxthdr(struct msghdr *msg, struct cmsghdr *cmsg)
{
	size_t size = msg->msg_controllen;
	char *ptr = (char *)cmsg + CMSG_ALIGN(cmsg->cmsg_len);

	if ((size_t)(ptr + sizeof(struct cmsghdr) - (char *)msg->msg_control) > size)
		return NULL;
	return (struct cmsghdr *)ptr;
}

static inline void scm_set_cred(struct scm_cookie *scm, int pid, uid_t uid, gid_t gid)
{
	scm->pid = pid;
	scm->creds.pid = (u32)pid;
	scm->creds.uid = uid;
	scm->creds.gid = gid;
}

/* Parse @msg's control messages into @scm (which the caller zeroed): 0, or -EINVAL (a bad
 * header, an unknown SOL_SOCKET type, SCM_RIGHTS on a socket that is not AF_UNIX, more than
 * SCM_MAX_FD files, a bad SCM_CREDENTIALS length or id), -EBADF (a closed fd in
 * SCM_RIGHTS), -ESRCH (pid <= 0), -ENOMEM. On error nothing is kept (the files taken are
 * put back). Messages of other levels are skipped. */
int __scm_send(struct socket *sock, struct msghdr *msg, struct scm_cookie *scm);
/* Zero @scm (creds invalid), with the caller's credentials when @forcecreds, then
 * __scm_send when there is a control buffer. */
int scm_send(struct socket *sock, struct msghdr *msg, struct scm_cookie *scm,
	     bool forcecreds);
/* A copy of @fpl with a new reference on each file (NULL on ENOMEM or a NULL @fpl). */
struct scm_fp_list *scm_fp_dup(struct scm_fp_list *fpl);
/* Put every file of the cookie back and free the list. */
void __scm_destroy(struct scm_cookie *scm);
static inline void scm_destroy(struct scm_cookie *scm)
{
	if (scm && scm->fp)
		__scm_destroy(scm);
}
/* Write the control messages for the receiver: SCM_CREDENTIALS when @sock has SO_PASSCRED,
 * then the files as new fds of the calling task (scm_detach_fds). Consumes the cookie's
 * files. Without a control buffer: MSG_CTRUNC if anything was to be reported. */
void scm_recv(struct socket *sock, struct msghdr *msg, struct scm_cookie *scm, int flags);
/* Install as many of the cookie's files as fit in the control buffer and RLIMIT_NOFILE
 * allows (O_CLOEXEC with MSG_CMSG_CLOEXEC), write one SCM_RIGHTS message with their fds,
 * set MSG_CTRUNC when some did not make it; the rest are closed. */
void scm_detach_fds(struct msghdr *msg, struct scm_cookie *scm);

/* The credentials of the calling task (ulnet: its pid, uid 0, gid 0). */
void ul_current_creds(int *pid, uid_t *uid, gid_t *gid);

#endif
