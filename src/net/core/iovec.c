/* SPDX-License-Identifier: MIT */
/* Copying between iovecs and the stack's buffers, and the address copies of the socket
 * calls.
 * Mirrors linux/net/core/iovec.c (3.10): verify_iovec, memcpy_toiovec, memcpy_fromiovec,
 * memcpy_fromiovecend, csum_partial_copy_fromiovecend; and net/socket.c's
 * move_addr_to_kernel, move_addr_to_user.
 * "User" memory is the caller's: a NULL base with a non-zero length stands for an
 * unmapped buffer and fails with -EFAULT. */
#include "linux/errno.h"
#include "linux/kernel.h"
#include "linux/slab.h"
#include "linux/socket.h"
#include "net/checksum.h"

size_t iov_length(const struct iovec *iov, unsigned long nr_segs)
{
	size_t ret = 0;
	unsigned long seg;

	for (seg = 0; seg < nr_segs; seg++)
		ret += iov[seg].iov_len;
	return ret;
}

int move_addr_to_kernel(const void *uaddr, int ulen, struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > (int)sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (!uaddr)
		return -EFAULT;
	memcpy(kaddr, uaddr, (size_t)ulen);
	return 0;
}

/* Copy out min(@klen, *@ulen) bytes, and report the full @klen in *@ulen (so a short buffer
 * tells the caller how much was cut, as getsockname(2) says). */
int move_addr_to_user(struct sockaddr_storage *kaddr, int klen, void *uaddr, socklen_t *ulen)
{
	int len;

	BUG_ON(klen > (int)sizeof(struct sockaddr_storage));
	if (!ulen)
		return -EFAULT;
	len = (int)*ulen;
	if (len < 0)
		return -EINVAL;
	if (len > klen)
		len = klen;
	if (len) {
		if (!uaddr)
			return -EFAULT;
		memcpy(uaddr, kaddr, (size_t)len);
	}
	*ulen = (socklen_t)klen;
	return 0;
}

int verify_iovec(struct msghdr *m, struct iovec *iov, struct sockaddr_storage *address, int mode)
{
	size_t size, ct;
	int err;

	if (m->msg_name && m->msg_namelen) {
		if (mode == VERIFY_READ) {
			err = move_addr_to_kernel(m->msg_name, (int)m->msg_namelen, address);
			if (err < 0)
				return err;
		}
		m->msg_name = address;
	} else {
		m->msg_name = NULL;
	}
	if (m->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (m->msg_iovlen && !m->msg_iov)
		return -EFAULT;
	size = sizeof(struct iovec) * m->msg_iovlen;
	if (size)
		memcpy(iov, m->msg_iov, size);
	m->msg_iov = iov;

	/* The total must fit an int: each segment and the running sum are checked (3.10
	 * returns -EINVAL for a length beyond INT_MAX). */
	err = 0;
	for (ct = 0; ct < m->msg_iovlen; ct++) {
		size_t len = iov[ct].iov_len;

		if (len > (size_t)0x7fffffff - (size_t)err)
			return -EINVAL;
		if (len && !iov[ct].iov_base)
			return -EFAULT;
		err += (int)len;
	}
	return err;
}

int memcpy_toiovec(struct iovec *iov, const unsigned char *kdata, int len)
{
	unsigned int guard = 0;

	while (len > 0) {
		if (++guard > UIO_MAXIOV * 2)
			return -EFAULT;
		if (iov->iov_len) {
			int copy = (int)min_t(size_t, iov->iov_len, (size_t)len);

			if (!iov->iov_base)
				return -EFAULT;
			memcpy(iov->iov_base, kdata, (size_t)copy);
			kdata += copy;
			len -= copy;
			iov->iov_len -= (size_t)copy;
			iov->iov_base = (char *)iov->iov_base + copy;
		}
		iov++;
	}
	return 0;
}

int memcpy_fromiovec(unsigned char *kdata, struct iovec *iov, int len)
{
	unsigned int guard = 0;

	while (len > 0) {
		if (++guard > UIO_MAXIOV * 2)
			return -EFAULT;
		if (iov->iov_len) {
			int copy = (int)min_t(size_t, (size_t)len, iov->iov_len);

			if (!iov->iov_base)
				return -EFAULT;
			memcpy(kdata, iov->iov_base, (size_t)copy);
			len -= copy;
			kdata += copy;
			iov->iov_base = (char *)iov->iov_base + copy;
			iov->iov_len -= (size_t)copy;
		}
		iov++;
	}
	return 0;
}

int memcpy_fromiovecend(unsigned char *kdata, const struct iovec *iov, int offset, int len)
{
	unsigned int guard = 0;

	/* Nothing to copy: do not walk the iovecs (offset may be the total length, and the
	 * array ends there). */
	if (len <= 0)
		return 0;
	/* Skip over the finished iovecs. */
	while (offset >= (int)iov->iov_len) {
		if (++guard > UIO_MAXIOV * 2)
			return -EFAULT;
		offset -= (int)iov->iov_len;
		iov++;
	}
	while (len > 0) {
		const unsigned char *base = (const unsigned char *)iov->iov_base + offset;
		int copy = (int)min_t(size_t, (size_t)len, iov->iov_len - (size_t)offset);

		if (++guard > UIO_MAXIOV * 2)
			return -EFAULT;
		if (copy && !iov->iov_base)
			return -EFAULT;
		offset = 0;
		if (copy)
			memcpy(kdata, base, (size_t)copy);
		len -= copy;
		kdata += copy;
		iov++;
	}
	return 0;
}

/* Copying across segment boundaries keeps the 16-bit pairing of the sum: an odd segment
 * length leaves one byte that is summed with the first of the next segment (3.10 does it
 * with a "partial" byte; csum_block_add does the same by offset parity). */
int csum_partial_copy_fromiovecend(unsigned char *kdata, struct iovec *iov, int offset,
				   unsigned int len, __wsum *csump)
{
	__wsum csum = *csump;
	int done = 0;
	unsigned int guard = 0;

	/* A zero-byte tail: the checksum stands and the iovecs are not walked (offset may be
	 * the total length, and the array ends there). */
	if (!len)
		return 0;
	while (offset >= (int)iov->iov_len) {
		if (++guard > UIO_MAXIOV * 2)
			return -EFAULT;
		offset -= (int)iov->iov_len;
		iov++;
	}
	while (len > 0) {
		const unsigned char *base = (const unsigned char *)iov->iov_base + offset;
		unsigned int copy = (unsigned int)min_t(size_t, len, iov->iov_len - (size_t)offset);

		if (++guard > UIO_MAXIOV * 2)
			return -EFAULT;
		if (copy) {
			__wsum part;

			if (!iov->iov_base)
				return -EFAULT;
			part = csum_partial_copy_nocheck(base, kdata, (int)copy, 0);
			csum = csum_block_add(csum, part, done);
			kdata += copy;
			done += (int)copy;
			len -= copy;
		}
		offset = 0;
		iov++;
	}
	*csump = csum;
	return 0;
}
