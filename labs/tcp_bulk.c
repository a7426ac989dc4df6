/* SPDX-License-Identifier: MIT */
/* A bulk stream transfer between two tasks for the TCP data labs, with a sampler of the
 * sender's congestion state (cwnd, ssthresh, srtt, the peer's window).
 * Mirrors no kernel file: lab plumbing over the ul_ socket calls; the sampler reads struct
 * tcp_sock (linux/tcp.h) as `ss -i` would. Context: tasks on the sim runtime. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include "linux/fs.h"
#include "linux/in.h"
#include "linux/net.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "tcp_book.h"
#include "tcp_bulk.h"

#define BULK_BUF 65536
#define BULK_GUARD 100000000

static struct sock *bulk_sk_of(int fd)
{
	int err;
	struct socket *sock = sockfd_lookup(fd, &err);
	struct sock *sk;

	if (!sock)
		return NULL;
	sk = sock->sk;
	sockfd_put(sock);
	return sk;
}

static socklen_t bulk_unix_addr(struct sockaddr_un *sun, const char *name)
{
	size_t n = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n > sizeof(sun->sun_path) - 1)
		n = sizeof(sun->sun_path) - 1;
	memcpy(sun->sun_path + 1, name, n);	/* abstract: a leading NUL */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

/* The listening socket of the receiver; -errno. */
static int bulk_listen(const struct lab_bulk *b)
{
	int fd, one = 1;

	if (b->unix_path) {
		struct sockaddr_un sun;
		socklen_t l = bulk_unix_addr(&sun, b->unix_path);

		fd = ul_socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			return -errno;
		if (ul_bind(fd, (struct sockaddr *)&sun, l) || ul_listen(fd, 4))
			goto fail;
		return fd;
	}
	{
		struct sockaddr_in sin = lab_sin(b->dst, b->port);

		fd = ul_socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return -errno;
		if (ul_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || ul_listen(fd, 4))
			goto fail;
		return fd;
	}
fail:
	one = -errno;
	ul_close(fd);
	return one;
}

static int bulk_receiver(void *arg)
{
	struct lab_bulk *b = arg;
	char *buf = malloc(BULK_BUF);
	int lfd, fd, guard = 0;

	if (!buf)
		return b->rx_err = ENOMEM;
	lfd = bulk_listen(b);
	if (lfd < 0) {
		free(buf);
		return b->rx_err = -lfd;
	}
	b->ready = 1;
	fd = ul_accept(lfd, NULL, NULL);
	if (fd < 0) {
		b->rx_err = errno;
		goto out;
	}
	while (++guard < BULK_GUARD) {
		ssize_t n = ul_recv(fd, buf, BULK_BUF, 0);

		if (n < 0) {
			b->rx_err = errno;
			break;
		}
		if (n == 0) {
			b->eof = true;
			break;
		}
		b->received += (size_t)n;
	}
	b->t_done = ul_now_ns();
	ul_task_stats(NULL, &b->rx_st);
	if (!b->unix_path) {
		struct sock *sk = bulk_sk_of(fd);

		if (sk) {
			const struct tcp_sock *tp = tcp_sk(sk);

			b->rx_rcvbuf = sk->sk_rcvbuf;
			b->rx_window_clamp = tp->window_clamp;
			b->rx_rcv_ssthresh = tp->rcv_ssthresh;
			b->rx_rcv_wnd = tp->rcv_wnd;
			b->rx_wscale = tp->rx_opt.rcv_wscale;
		}
	}
	ul_close(fd);
out:
	ul_close(lfd);
	free(buf);
	return b->rx_err;
}

/* A memory file of @len bytes for sendfile; its fd or -errno. */
static int bulk_memfd(struct lab_bulk *b, const char *buf)
{
	struct ul_copy_stats c0, c1;
	size_t done = 0;
	int fd = ul_memfd_create("lab-bulk", 0), guard = 0;
	off_t pos;

	if (fd < 0)
		return -errno;
	ul_copy_stats_get(&c0);
	while (done < b->total && ++guard < BULK_GUARD) {
		size_t n = b->total - done < BULK_BUF ? b->total - done : BULK_BUF;
		ssize_t w = ul_write(fd, buf, n);

		if (w <= 0) {
			int err = w < 0 ? -errno : -EIO;

			ul_close(fd);
			return err;
		}
		done += (size_t)w;
	}
	ul_copy_stats_get(&c1);
	b->file_setup_copy = c1.copy_from_user - c0.copy_from_user;
	pos = ul_lseek(fd, 0, SEEK_SET);	/* read() starts at the beginning */
	if (pos) {
		ul_close(fd);
		return pos < 0 ? -errno : -EIO;
	}
	return fd;
}

static int bulk_connect(struct lab_bulk *b)
{
	int fd, err;

	if (b->unix_path) {
		struct sockaddr_un sun;
		socklen_t l = bulk_unix_addr(&sun, b->unix_path);

		fd = ul_socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			return -errno;
		if (!ul_connect(fd, (struct sockaddr *)&sun, l))
			return fd;
	} else {
		struct sockaddr_in to = lab_sin(b->dst, b->port);
		int one = 1;

		fd = ul_socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return -errno;
		if (b->nodelay)
			ul_setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!ul_connect(fd, (struct sockaddr *)&to, sizeof(to)))
			return fd;
	}
	err = -errno;
	ul_close(fd);
	return err;
}

static int bulk_sender(void *arg)
{
	struct lab_bulk *b = arg;
	int chunk = b->chunk > 0 && b->chunk <= BULK_BUF ? b->chunk : BULK_BUF;
	char *buf = calloc(1, BULK_BUF);
	int fd = -1, mfd = -1, guard = 0;
	off_t off = 0;
	u64 t_end;

	if (!buf)
		return b->tx_err = ENOMEM;
	while (!b->ready && ++guard < 1000)
		ul_sleep(LAB_MS);
	memset(buf, 'x', BULK_BUF);
	if (b->use_sendfile || b->read_file) {
		mfd = bulk_memfd(b, buf);
		if (mfd < 0) {
			b->tx_err = -mfd;
			goto out;
		}
	}
	fd = bulk_connect(b);
	if (fd < 0) {
		b->tx_err = -fd;
		goto out;
	}
	b->t_connected = ul_now_ns();
	b->tx_sk = b->unix_path ? NULL : bulk_sk_of(fd);
	b->sending = 1;
	t_end = b->t_connected + b->duration_ns;
	guard = 0;
	while (++guard < BULK_GUARD) {
		size_t n = chunk;
		ssize_t w;

		if (b->total) {
			if (b->sent >= b->total)
				break;
			if (b->total - b->sent < n)
				n = b->total - b->sent;
		} else if (ul_now_ns() >= t_end) {
			break;
		}
		if (b->use_sendfile) {
			w = ul_sendfile(fd, mfd, &off, n);
		} else if (b->read_file) {
			w = ul_read(mfd, buf, n);	/* the file's position moves */
			if (w > 0)
				w = ul_send(fd, buf, (size_t)w, 0);
		} else {
			w = ul_send(fd, buf, n, 0);
		}
		if (w <= 0) {
			b->tx_err = w < 0 ? errno : EIO;
			break;
		}
		b->sent += (size_t)w;
	}
	if (!b->unix_path) {
		socklen_t l = sizeof(b->info);

		ul_getsockopt(fd, SOL_TCP, TCP_INFO, &b->info, &l);
	}
	ul_task_stats(NULL, &b->tx_st);
out:
	b->sending = 0;
	b->tx_sk = NULL;
	if (fd >= 0)
		ul_close(fd);
	if (mfd >= 0)
		ul_close(mfd);
	free(buf);
	return b->tx_err;
}

/* Context: a task; reads the sender's tcp_sock between its system calls (the sim runs one
 * task at a time, so the fields are consistent). */
static int bulk_sampler(void *arg)
{
	struct lab_bulk *b = arg;
	int guard = 0;

	while (!b->sending && ++guard < 100000)
		ul_sleep(b->sample_ns);
	while (b->sending && b->nsamples < b->max_samples) {
		struct sock *sk = b->tx_sk;

		if (sk) {
			const struct tcp_sock *tp = tcp_sk(sk);
			struct lab_bulk_sample *s = &b->samples[b->nsamples++];

			s->t = ul_now_ns() - b->t_connected;
			s->cwnd = tp->snd_cwnd;
			s->ssthresh = tp->snd_ssthresh;
			s->srtt_us = tp->srtt * (1000000 / HZ) / 8;	/* srtt is jiffies << 3 */
			s->snd_wnd = tp->snd_wnd;
			s->in_flight = tcp_packets_in_flight(tp);
			s->rx_bytes = b->received;
			s->wmem_queued = sk->sk_wmem_queued;
			s->sndbuf = sk->sk_sndbuf;
			s->write_seq_queued = tp->write_seq - tp->snd_una;
			if (b->on_sample)
				b->on_sample(b, s);
		}
		ul_sleep(b->sample_ns);
	}
	return 0;
}

int lab_bulk_run(struct lab_bulk *b)
{
	struct ul_task *rx, *tx, *smp = NULL;
	struct ul_copy_stats c0, c1;
	int rc;

	if ((!b->dst && !b->unix_path) || (!b->total && !b->duration_ns) ||
	    ((b->use_sendfile || b->read_file) && !b->total) || (b->sample_ns && (!b->samples || b->unix_path)))
		return -EINVAL;
	b->nsamples = 0;
	ul_copy_stats_get(&c0);
	rx = ul_task_spawn(b->ns_rx, "receiver", b->rx_cpu, bulk_receiver, b);
	if (!rx)
		return -ENOMEM;
	tx = ul_task_spawn(b->ns_tx, "sender", b->tx_cpu, bulk_sender, b);
	if (!tx) {
		ul_task_join(rx);
		return -ENOMEM;
	}
	if (b->sample_ns)
		smp = ul_task_spawn(b->ns_tx, "sampler", b->tx_cpu, bulk_sampler, b);
	ul_task_join(tx);
	rc = ul_task_join(rx);
	if (smp)
		ul_task_join(smp);
	ul_copy_stats_get(&c1);
	b->copy_from_user = c1.copy_from_user - c0.copy_from_user - b->file_setup_copy;
	b->copy_to_user = c1.copy_to_user - c0.copy_to_user - b->received;
	b->kernel_copy = c1.kernel_copy - c0.kernel_copy;
	b->zerocopy = c1.zerocopy - c0.zerocopy;
	return rc == -EDEADLK ? -EDEADLK : 0;
}

double lab_bulk_mbps(const struct lab_bulk *b)
{
	u64 dt = b->t_done > b->t_connected ? b->t_done - b->t_connected : 0;

	return dt ? (double)b->received * 8.0 * 1000.0 / (double)dt : 0.0;
}
