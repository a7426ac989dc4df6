/* SPDX-License-Identifier: MIT */
/* Socket control messages: parse what sendmsg passes (files, credentials) and hand it to
 * the receiver as new fds and a ucred.
 * Mirrors linux/net/core/scm.c (3.10): scm_check_creds, scm_fp_copy, __scm_destroy,
 * __scm_send, scm_detach_fds, scm_fp_dup; and include/net/scm.h: scm_send, scm_recv.
 * (put_cmsg, the writer of one control message, lives in net/ipv4/ip_sockglue.c.)
 *
 * Context: process. The files of a cookie each hold a reference (fget at send time); the
 * receiver's fds take new references (get_file) and __scm_destroy drops the cookie's. */
#include "linux/errno.h"
#include "linux/fdtable.h"
#include "linux/fs.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "net/scm.h"
#include "net/sock.h"

void ul_current_creds(int *pid, uid_t *uid, gid_t *gid)
{
	struct task_struct *p = current;

	/* DIVERGES: tasks have no thread groups (tgid = pid) and all run as root. */
	*pid = p ? p->pid : 0;
	*uid = 0;
	*gid = 0;
}

/* 3.10 scm_check_creds: the ids must be valid; the pid must be the caller's and the ids
 * its own unless it has CAP_SYS_ADMIN / CAP_SETUID / CAP_SETGID, which every ulnet task
 * has (see net/scm.h). */
static int scm_check_creds(const struct ucred *creds)
{
	if (creds->uid == UL_INVALID_UID || creds->gid == UL_INVALID_GID)
		return -EINVAL;
	return 0;
}

/* Take a reference on each file named by an SCM_RIGHTS message. Returns the number
 * added, 0 for an empty message, -EINVAL (more than SCM_MAX_FD in all), -EBADF, -ENOMEM. */
static int scm_fp_copy(struct cmsghdr *cmsg, struct scm_fp_list **fplp)
{
	int *fdp = (int *)CMSG_DATA(cmsg);
	struct scm_fp_list *fpl = *fplp;
	struct file **fpp;
	int i, num;

	num = (int)((cmsg->cmsg_len - CMSG_ALIGN(sizeof(struct cmsghdr))) / sizeof(int));
	if (num <= 0)
		return 0;
	if (num > SCM_MAX_FD)
		return -EINVAL;
	if (!fpl) {
		fpl = kmalloc(sizeof(struct scm_fp_list), GFP_KERNEL);
		if (!fpl)
			return -ENOMEM;
		*fplp = fpl;
		fpl->count = 0;
		fpl->max = SCM_MAX_FD;
	}
	fpp = &fpl->fp[fpl->count];
	/* Several SCM_RIGHTS messages add up; together they may not pass the limit. */
	if (fpl->count + num > fpl->max)
		return -EINVAL;
	for (i = 0; i < num; i++) {
		int fd;
		struct file *file;

		memcpy(&fd, fdp + i, sizeof(fd));
		if (fd < 0 || !(file = fget((unsigned int)fd)))
			return -EBADF;
		*fpp++ = file;
		fpl->count++;
	}
	return num;
}

void __scm_destroy(struct scm_cookie *scm)
{
	struct scm_fp_list *fpl = scm->fp;
	int i;

	if (!fpl)
		return;
	scm->fp = NULL;
	/* DIVERGES: 3.10 defers the final fput of each file to task_work; ulnet's fput closes
	 * at once, so a passed socket may be released from here (its own queue purged, its
	 * passed files put): AF_UNIX bounds that nesting (MAX_RECURSION_LEVEL). */
	for (i = fpl->count - 1; i >= 0; i--)
		fput(fpl->fp[i]);
	kfree(fpl);
}

int __scm_send(struct socket *sock, struct msghdr *msg, struct scm_cookie *p)
{
	struct cmsghdr *cmsg;
	unsigned int guard = 0;
	int err;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = cmsg_nxthdr(msg, cmsg)) {
		err = -EINVAL;
		/* A header shorter than itself or running past the buffer. (The level is
		 * checked after: a bad header of any level is an error.) */
		if (!CMSG_OK(msg, cmsg) || ++guard > 100000)
			goto error;
		if (cmsg->cmsg_level != SOL_SOCKET)
			continue;

		switch (cmsg->cmsg_type) {
		case SCM_RIGHTS:
			if (!sock->ops || sock->ops->family != PF_UNIX)
				goto error;
			err = scm_fp_copy(cmsg, &p->fp);
			if (err < 0)
				goto error;
			break;
		case SCM_CREDENTIALS: {
			struct ucred creds;

			if (cmsg->cmsg_len != CMSG_LEN(sizeof(struct ucred)))
				goto error;
			memcpy(&creds, CMSG_DATA(cmsg), sizeof(struct ucred));
			err = scm_check_creds(&creds);
			if (err)
				goto error;
			/* find_get_pid: a pid that names no process is ESRCH. */
			err = -ESRCH;
			if (creds.pid <= 0)
				goto error;
			scm_set_cred(p, creds.pid, creds.uid, creds.gid);
			break;
		}
		default:
			goto error;
		}
	}
	if (p->fp && !p->fp->count) {
		kfree(p->fp);
		p->fp = NULL;
	}
	return 0;

error:
	scm_destroy(p);
	return err;
}

int scm_send(struct socket *sock, struct msghdr *msg, struct scm_cookie *scm, bool forcecreds)
{
	memset(scm, 0, sizeof(*scm));
	scm->creds.uid = UL_INVALID_UID;
	scm->creds.gid = UL_INVALID_GID;
	if (forcecreds) {
		int pid;
		uid_t uid;
		gid_t gid;

		ul_current_creds(&pid, &uid, &gid);
		scm_set_cred(scm, pid, uid, gid);
	}
	if (msg->msg_controllen <= 0)
		return 0;
	return __scm_send(sock, msg, scm);
}

struct scm_fp_list *scm_fp_dup(struct scm_fp_list *fpl)
{
	struct scm_fp_list *new_fpl;
	int i;

	if (!fpl)
		return NULL;
	new_fpl = kmalloc(sizeof(*new_fpl), GFP_KERNEL);
	if (!new_fpl)
		return NULL;
	memcpy(new_fpl, fpl, offsetof(struct scm_fp_list, fp) +
				     (size_t)fpl->count * sizeof(struct file *));
	for (i = 0; i < fpl->count; i++)
		get_file(fpl->fp[i]);
	new_fpl->max = new_fpl->count;
	return new_fpl;
}

void scm_detach_fds(struct msghdr *msg, struct scm_cookie *scm)
{
	struct cmsghdr *cm = msg->msg_control;
	int fdmax = 0;
	int fdnum = scm->fp->count;
	struct file **fp = scm->fp->fp;
	int *cmfptr;
	int err = 0, i;

	if (msg->msg_controllen > sizeof(struct cmsghdr))
		fdmax = (int)((msg->msg_controllen - sizeof(struct cmsghdr)) / sizeof(int));
	if (fdnum < fdmax)
		fdmax = fdnum;

	for (i = 0, cmfptr = (int *)CMSG_DATA(cm); i < fdmax; i++, cmfptr++) {
		int new_fd;

		/* RLIMIT_NOFILE: EMFILE stops here, the rest are dropped (MSG_CTRUNC). */
		err = get_unused_fd_flags((msg->msg_flags & MSG_CMSG_CLOEXEC) ? O_CLOEXEC : 0);
		if (err < 0)
			break;
		new_fd = err;
		memcpy(cmfptr, &new_fd, sizeof(new_fd));
		/* Bump the usage count and install the file. */
		fd_install((unsigned int)new_fd, get_file(fp[i]));
	}

	if (i > 0) {
		struct cmsghdr hdr = {
			.cmsg_len = CMSG_LEN((size_t)i * sizeof(int)),
			.cmsg_level = SOL_SOCKET,
			.cmsg_type = SCM_RIGHTS,
		};
		size_t cmlen = CMSG_SPACE((size_t)i * sizeof(int));

		memcpy(cm, &hdr, sizeof(hdr));
		/* DIVERGES: 3.10 subtracts the padded length even when the buffer ends inside
		 * the padding (msg_controllen wraps); ulnet stops at the end. */
		if (cmlen > msg->msg_controllen)
			cmlen = msg->msg_controllen;
		msg->msg_control = (char *)msg->msg_control + cmlen;
		msg->msg_controllen -= cmlen;
	}
	if (i < fdnum || (fdnum && fdmax <= 0))
		msg->msg_flags |= MSG_CTRUNC;

	/* The files that fit have their fd's reference; the cookie's go, which closes the
	 * ones that did not fit. */
	__scm_destroy(scm);
}

void scm_recv(struct socket *sock, struct msghdr *msg, struct scm_cookie *scm, int flags)
{
	if (!msg->msg_control) {
		if (test_bit(SOCK_PASSCRED, &sock->flags) || scm->fp)
			msg->msg_flags |= MSG_CTRUNC;
		scm_destroy(scm);
		return;
	}
	if (test_bit(SOCK_PASSCRED, &sock->flags)) {
		/* from_kuid_munged: a message without credentials reads the overflow ids. */
		struct ucred ucreds = {
			.pid = (pid_t)scm->creds.pid,
			.uid = scm->creds.uid == UL_INVALID_UID ? UL_OVERFLOWUID : scm->creds.uid,
			.gid = scm->creds.gid == UL_INVALID_GID ? UL_OVERFLOWGID : scm->creds.gid,
		};

		put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, sizeof(ucreds), &ucreds);
	}
	if (!scm->fp)
		return;
	scm_detach_fds(msg, scm);
}
