/* SPDX-License-Identifier: MIT */
/* TCP urgent data (MSG_OOB), over lo between two of our sockets and with a crafted peer:
 * the byte taken out of band and read with recv(MSG_OOB), the read stopping at the mark,
 * SIOCATMARK, POLLPRI and EPOLLPRI, SO_OOBINLINE, every errno of recv(MSG_OOB) (EINVAL,
 * EAGAIN, ENOTCONN, EFAULT, 0 after FIN), MSG_PEEK and a zero-length buffer, a second mark
 * before the first byte is read, the urgent pointer as sent (URG, urg_ptr, 0xFFFF beyond
 * 64 KiB, urgent mode ending at the ACK) and as received (BSD's reading and tcp_stdurg=1,
 * a pointer beyond the data received, an old one, a repeated or older one).
 * Mirrors the behaviour of linux/net/ipv4/tcp.c (tcp_sendmsg's MSG_OOB, tcp_mark_urg,
 * tcp_recv_urg, tcp_recvmsg, tcp_poll, tcp_ioctl), tcp_input.c (tcp_check_urg, tcp_urg)
 * and tcp_output.c (tcp_transmit_skb's urgent pointer) (3.10). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include "tcp_bulk_testutil.h"
#include "tcp_peer_testutil.h"
#include "sock_tcp_testutil.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

TCP_PEER_FIXTURES("u", true)

#define PEER_PORT 40200
#define OUR_PORT 80

/* SIOCATMARK of @fd (asserted to succeed). */
static int atmark(int fd)
{
	int v = -1;

	assert_int_equal(ul_ioctl(fd, SIOCATMARK, &v), 0);
	return v;
}

/* recv(@fd, MSG_OOB | @flags) of one byte: the byte, or -errno. */
static int recv_oob(int fd, int flags)
{
	char c = 0;
	ssize_t n = ul_recv(fd, &c, 1, MSG_OOB | flags);

	if (n < 0)
		return -errno;
	assert_int_equal(n, 1);
	return (unsigned char)c;
}

/* Sends @s (its strlen) on @fd with @flags, all of it. */
static void send_str(int fd, const char *s, int flags)
{
	assert_int_equal(ul_send(fd, s, strlen(s), flags), (ssize_t)strlen(s));
}

/* Reads what @fd has now into @buf (NUL-terminated): the count, or -errno. */
static int recv_str(int fd, char *buf, size_t size, int flags)
{
	ssize_t n = ul_recv(fd, buf, size - 1, flags);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

/* The stream of @fd read as @before (up to the mark: SIOCATMARK then 1), the urgent byte
 * @urg out of band, then @after (everything left, "" for nothing). */
static void expect_mark(int fd, const char *before, char urg, const char *after)
{
	char buf[64];

	assert_int_equal(recv_str(fd, buf, sizeof(buf), 0), (int)strlen(before));
	assert_string_equal(buf, before);
	assert_int_equal(atmark(fd), 1);
	assert_int_equal(recv_oob(fd, 0), (unsigned char)urg);
	if (*after) {
		assert_int_equal(recv_str(fd, buf, sizeof(buf), 0), (int)strlen(after));
		assert_string_equal(buf, after);
	}
}

/* ---- Over lo ---- */

/* The urgent byte goes out of band: the read stops at the mark (SIOCATMARK then 1), the
 * byte comes with recv(MSG_OOB) once (then EINVAL), and the stream goes on without it;
 * POLLPRI while the byte is unread, POLLIN not for the urgent byte alone. */
static void test_oob_lo(void **state)
{
	char buf[64];
	int lfd, cfd, sfd;
	struct msghdr msg;
	struct iovec iov;
	char c = 0;
	struct sock *sk;

	(void)state;
	tcp_pair(7201, &lfd, &cfd, &sfd);
	sk = sk_of(sfd);
	assert_int_equal(atmark(sfd), 0);
	assert_int_equal(poll_mask(sfd) & (POLLPRI | POLLIN), 0);

	send_str(cfd, "ab", 0);
	send_str(cfd, "c", MSG_OOB);
	ul_run_for(MS);
	assert_int_equal(tcp_urg_data(tcp_sk(sk)), TCP_URG_VALID | 'c');
	assert_int_equal(poll_mask(sfd) & (POLLPRI | POLLIN | POLLRDNORM),
			 POLLPRI | POLLIN | POLLRDNORM);
	assert_int_equal(atmark(sfd), 0);

	/* The read stops before the mark; then we are at it. */
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(atmark(sfd), 1);
	/* Only the urgent byte is left: not readable as normal data (tcp_poll's target++). */
	assert_int_equal(poll_mask(sfd) & (POLLPRI | POLLIN), POLLPRI);

	/* recv(MSG_OOB) through recvmsg: the byte, msg_flags MSG_OOB. */
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	assert_int_equal(ul_recvmsg(sfd, &msg, MSG_OOB), 1);
	assert_int_equal(c, 'c');
	assert_true(msg.msg_flags & MSG_OOB);
	assert_int_equal(tcp_urg_data(tcp_sk(sk)), TCP_URG_READ);
	/* Read once: EINVAL; still at the mark; no POLLPRI any more. */
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);
	assert_int_equal(atmark(sfd), 1);
	assert_int_equal(poll_mask(sfd) & (POLLPRI | POLLIN), 0);

	/* The stream goes on without the urgent byte. */
	send_str(cfd, "de", 0);
	ul_run_for(MS);
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 2);
	assert_string_equal(buf, "de");
	assert_int_equal(tcp_urg_data(tcp_sk(sk)), 0);
	assert_int_equal(atmark(sfd), 0);
	/* The sender left urgent mode when the urgent byte was acknowledged. */
	assert_int_equal(tcp_snd_up(tcp_sk(sk_of(cfd))), tcp_sk(sk_of(cfd))->snd_una);
	assert_false(tcp_urg_mode(tcp_sk(sk_of(cfd))));

	/* Reading past the mark without MSG_OOB loses the urgent byte (as 3.10). */
	send_str(cfd, "x", MSG_OOB);
	send_str(cfd, "yz", 0);
	ul_run_for(MS);
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 2);
	assert_string_equal(buf, "yz");
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), -EAGAIN);

	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* SO_OOBINLINE: the urgent byte stays in the stream; the read still stops at the mark,
 * SIOCATMARK tells it, recv(MSG_OOB) is EINVAL. */
static void test_oobinline(void **state)
{
	char buf[64];
	int lfd, cfd, sfd, one = 1, v = 0;
	socklen_t len = sizeof(v);

	(void)state;
	tcp_pair(7202, &lfd, &cfd, &sfd);
	assert_int_equal(ul_setsockopt(sfd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)), 0);
	assert_int_equal(ul_getsockopt(sfd, SOL_SOCKET, SO_OOBINLINE, &v, &len), 0);
	assert_int_equal(v, 1);
	send_str(cfd, "ab", 0);
	send_str(cfd, "c", MSG_OOB);
	send_str(cfd, "de", 0);
	ul_run_for(MS);
	/* POLLPRI still (urg_data is VALID), and the urgent byte counts as data. */
	assert_int_equal(poll_mask(sfd) & (POLLPRI | POLLIN), POLLPRI | POLLIN);
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(atmark(sfd), 1);
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 3);
	assert_string_equal(buf, "cde");
	assert_int_equal(atmark(sfd), 0);
	assert_int_equal(tcp_urg_data(tcp_sk(sk_of(sfd))), 0);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* recv(MSG_OOB)'s other answers: EINVAL without urgent data (connected, fresh), ENOTCONN
 * on a listener, MSG_PEEK leaves the byte, a zero-length buffer reports MSG_TRUNC and
 * consumes it, a NULL buffer is EFAULT; a blocking socket does not block. */
static void test_oob_errno(void **state)
{
	int lfd, cfd, sfd, fresh = ul_socket(AF_INET, SOCK_STREAM, 0);
	struct msghdr msg;
	struct iovec iov;
	char c;

	(void)state;
	assert_true(fresh >= 0);
	assert_int_equal(recv_oob(fresh, 0), -EINVAL);
	tcp_pair(7203, &lfd, &cfd, &sfd);
	assert_int_equal(recv_oob(lfd, 0), -ENOTCONN);
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);
	/* Blocking socket, nothing urgent: still an immediate EINVAL. */
	assert_int_equal(ul_fcntl(sfd, F_SETFL, 0), 0);
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);

	send_str(cfd, "u", MSG_OOB);
	ul_run_for(MS);
	assert_int_equal(recv_oob(sfd, MSG_PEEK), 'u');
	assert_int_equal(recv_oob(sfd, MSG_PEEK), 'u');
	/* A zero-length read: 0 with MSG_TRUNC, and the byte counts as read. */
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &c;
	iov.iov_len = 0;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	assert_int_equal(ul_recvmsg(sfd, &msg, MSG_OOB), 0);
	assert_true(msg.msg_flags & MSG_TRUNC);
	assert_true(msg.msg_flags & MSG_OOB);
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);
	/* The urgent byte alone is not readable: a non-blocking read is EAGAIN. */
	assert_int_equal(ul_recv(sfd, &c, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);

	/* A bad buffer: EFAULT. The socket layer refuses a NULL buffer before TCP sees it
	 * (DIVERGES in net/socket.c), so the byte stays (3.10 marks it read, then faults
	 * in the copy). */
	send_str(cfd, "v", MSG_OOB);
	ul_run_for(MS);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = NULL;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	assert_int_equal(ul_recvmsg(sfd, &msg, MSG_OOB), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(recv_oob(sfd, 0), 'v');
	assert_int_equal(recv_oob(sfd, 0), -EINVAL);

	/* MSG_OOB with a zero-length send: nothing to mark, 0. */
	assert_int_equal(ul_send(cfd, "", 0, MSG_OOB), 0);
	ul_close(fresh);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* Two marks before the reader gets to the first: the newer replaces it. The first urgent
 * byte, unread at the read point, is stepped over; the reader stops at the second mark. */
static void test_second_mark(void **state)
{
	char buf[64];
	int lfd, cfd, sfd;

	(void)state;
	tcp_pair(7204, &lfd, &cfd, &sfd);
	send_str(cfd, "a", MSG_OOB);
	ul_run_for(MS);
	assert_int_equal(atmark(sfd), 1);
	send_str(cfd, "x", 0);
	send_str(cfd, "b", MSG_OOB);
	send_str(cfd, "y", 0);
	ul_run_for(MS);
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 1);
	assert_string_equal(buf, "x");
	assert_int_equal(atmark(sfd), 1);
	assert_int_equal(recv_oob(sfd, 0), 'b');
	assert_int_equal(recv_str(sfd, buf, sizeof(buf), 0), 1);
	assert_string_equal(buf, "y");
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* EPOLLPRI: level-triggered while the byte is unread, edge-triggered once per mark; an
 * epoll_wait blocked in a task is woken by the urgent byte. */
static int ep_add(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return ul_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int ep_now(int ep, uint32_t *events)
{
	struct epoll_event out[2];
	int n = ul_epoll_wait(ep, out, 2, 0);

	assert_true(n == 0 || n == 1);
	*events = n ? out[0].events : 0;
	return n;
}

static void test_epollpri(void **state)
{
	int lfd, cfd, sfd, lt = ul_epoll_create1(0), et = ul_epoll_create1(0);
	uint32_t ev;

	(void)state;
	assert_true(lt >= 0 && et >= 0);
	tcp_pair(7205, &lfd, &cfd, &sfd);
	assert_int_equal(ep_add(lt, sfd, EPOLLPRI), 0);
	assert_int_equal(ep_add(et, sfd, EPOLLPRI | EPOLLET), 0);
	assert_int_equal(ep_now(lt, &ev), 0);
	assert_int_equal(ep_now(et, &ev), 0);

	/* Normal data: no EPOLLPRI. */
	send_str(cfd, "n", 0);
	ul_run_for(MS);
	assert_int_equal(ep_now(lt, &ev), 0);

	send_str(cfd, "!", MSG_OOB);
	ul_run_for(MS);
	assert_int_equal(ep_now(lt, &ev), 1);
	assert_int_equal(ev, EPOLLPRI);
	assert_int_equal(ep_now(lt, &ev), 1);
	assert_int_equal(ep_now(et, &ev), 1);
	assert_int_equal(ev, EPOLLPRI);
	assert_int_equal(ep_now(et, &ev), 0);

	assert_int_equal(recv_oob(sfd, 0), '!');
	assert_int_equal(ep_now(lt, &ev), 0);
	ul_close(lt);
	ul_close(et);
	ul_close(cfd);
	ul_close(sfd);
	ul_close(lfd);
}

/* ---- With a crafted peer ---- */

/* A segment from the peer: @data at peer offset @off (seq 1001 + @off), with URG and
 * @urg_ptr when @urg, and the flags @extra, ACKing g_ack_off bytes of ours. */
static u32 g_isn, g_ts, g_tsval = 200, g_ack_off;

static void peer_seg(const char *data, u32 off, bool urg, u16 urg_ptr, u8 extra)
{
	u8 tcp[200];
	struct tcphdr *th = (struct tcphdr *)tcp;
	unsigned int len = data ? (unsigned int)strlen(data) : 0, o;

	memset(tcp, 0, sizeof(tcp));
	th->source = htons(PEER_PORT);
	th->dest = htons(OUR_PORT);
	th->seq = htonl(1001 + off);
	th->ack_seq = htonl(g_isn + 1 + g_ack_off);
	o = tcp_peer_put_ts(tcp + 20, g_tsval++, g_ts);
	th->doff = (u16)((20 + o) / 4) & 0xf;
	tcp[13] = (u8)(TCPHDR_ACK | (urg ? TCPHDR_URG : 0) | extra);
	th->window = htons(1000);
	th->urg_ptr = htons(urg_ptr);
	memcpy(tcp + 20 + o, data ? data : "", len);
	tcp_peer_inject(t0, tcp, 20 + o + len, false);
	ul_run_for(MS);
}

static int peer_establish(int *lfd)
{
	int fd = tcp_peer_establish(t0, PEER_PORT, OUR_PORT, lfd, &g_isn, &g_ts, 0);

	g_tsval = 200;
	g_ack_off = 0;
	return fd;
}

/* The pointer as 3.10 reads it: BSD style by default (the byte before seq + urg_ptr),
 * RFC 1122's with tcp_stdurg = 1 (the byte at seq + urg_ptr). */
static void test_peer_stdurg(void **state)
{
	int lfd, fd;

	(void)state;
	fd = peer_establish(&lfd);
	peer_seg("0123456789", 0, true, 5, TCPHDR_PSH);
	assert_int_equal(poll_mask(fd) & POLLPRI, POLLPRI);
	expect_mark(fd, "0123", '4', "56789");

	assert_int_equal(run_cmd("u", "sysctl -w net.ipv4.tcp_stdurg=1"), 0);
	assert_int_equal(sysctl_tcp_stdurg, 1);
	peer_seg("abcdefghij", 10, true, 5, TCPHDR_PSH);
	assert_int_equal(run_cmd("u", "sysctl -w net.ipv4.tcp_stdurg=0"), 0);
	expect_mark(fd, "abcde", 'f', "ghij");
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* A pointer beyond the data received: NOTYET (recv(MSG_OOB) EAGAIN, no POLLPRI, the data
 * before it readable), until the segment holding the byte arrives. */
static void test_peer_ptr_beyond(void **state)
{
	char buf[64];
	int lfd, fd;

	(void)state;
	fd = peer_establish(&lfd);
	peer_seg("0123456789", 0, true, 20, 0);	/* the byte at peer offset 19 */
	assert_int_equal(tcp_urg_data(tcp_sk(sk_of(fd))), TCP_URG_NOTYET);
	assert_int_equal(tcp_urg_seq(tcp_sk(sk_of(fd))), 1001 + 19);
	assert_int_equal(poll_mask(fd) & POLLPRI, 0);
	assert_int_equal(recv_oob(fd, 0), -EAGAIN);
	assert_int_equal(atmark(fd), 0);
	assert_int_equal(recv_str(fd, buf, sizeof(buf), 0), 10);
	assert_string_equal(buf, "0123456789");
	/* Blocking or not, recv(MSG_OOB) never waits. */
	assert_int_equal(ul_fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(recv_oob(fd, 0), -EAGAIN);

	/* The next segment (no URG flag) holds the byte. */
	peer_seg("abcdefghij", 10, false, 0, 0);
	assert_int_equal(tcp_urg_data(tcp_sk(sk_of(fd))), TCP_URG_VALID | 'j');
	assert_int_equal(poll_mask(fd) & POLLPRI, POLLPRI);
	expect_mark(fd, "abcdefghi", 'j', "");
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* Pointers 3.10 ignores: one into data already received (a retransmission), one not
 * newer than the pending one. A newer one while the old byte is unread (not at the read
 * point) takes over; the old byte is then read inline. */
static void test_peer_old_and_new_ptr(void **state)
{
	int lfd, fd;
	struct tcp_sock *tp;

	(void)state;
	fd = peer_establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	peer_seg("0123456789", 0, false, 0, 0);
	/* The same data again with a pointer into it: behind rcv_nxt, ignored. */
	peer_seg("0123456789", 0, true, 3, 0);
	assert_int_equal(tcp_urg_data(tp), 0);
	assert_int_equal(poll_mask(fd) & POLLPRI, 0);

	/* A pointer to offset 29 (NOTYET); the same pointer repeated by the next segment
	 * changes nothing; an older one (offset 27) in the one after is ignored, and that
	 * segment brings the byte at 29. */
	peer_seg("abcdefghij", 10, true, 20, 0);
	assert_int_equal(tcp_urg_seq(tp), 1001 + 29);
	assert_int_equal(tcp_urg_data(tp), TCP_URG_NOTYET);
	peer_seg("ABCDE", 20, true, 10, 0);
	assert_int_equal(tcp_urg_seq(tp), 1001 + 29);
	assert_int_equal(tcp_urg_data(tp), TCP_URG_NOTYET);
	peer_seg("FGHIJ", 25, true, 3, 0);
	assert_int_equal(tcp_urg_seq(tp), 1001 + 29);
	assert_int_equal(tcp_urg_data(tp), TCP_URG_VALID | 'J');

	/* A newer mark while 'J' is unread (the reader is not at it): 'J' goes back to the
	 * stream. */
	peer_seg("klmno", 30, true, 3, 0);	/* the byte at offset 32, 'm' */
	assert_int_equal(tcp_urg_data(tp), TCP_URG_VALID | 'm');
	expect_mark(fd, "0123456789abcdefghijABCDEFGHIJkl", 'm', "no");
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

/* recv(MSG_OOB) while the byte has not come: 0 after the peer's FIN, ENOTCONN after its
 * RST (CLOSE without SOCK_DONE). */
static void test_peer_fin_rst(void **state)
{
	char buf[64];
	int lfd, fd;

	(void)state;
	fd = peer_establish(&lfd);
	peer_seg("0123", 0, true, 10, 0);
	assert_int_equal(recv_oob(fd, 0), -EAGAIN);
	peer_seg(NULL, 4, false, 0, TCPHDR_FIN);
	assert_int_equal(ul_recv(fd, buf, 1, MSG_OOB), 0);
	assert_int_equal(recv_str(fd, buf, sizeof(buf), 0), 4);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
	ipt_dev_purge(t0);

	fd = peer_establish(&lfd);
	peer_seg("0123", 0, true, 10, 0);
	peer_seg(NULL, 4, false, 0, TCPHDR_RST);
	assert_int_equal(sk_of(fd)->sk_state, TCP_CLOSE);
	assert_int_equal(recv_oob(fd, 0), -ENOTCONN);
	ul_close(fd);
	ul_close(lfd);
}

/* What our sender puts on the wire: URG with urg_ptr = snd_up - seq (one past the urgent
 * byte), the segment sent at once (no Nagle in urgent mode); later data before the ACK
 * carries no URG once seq reached snd_up; the ACK ends urgent mode. Beyond 64 KiB the
 * pointer is 0xFFFF. */
static void test_send_urg_ptr(void **state)
{
	static char big[100000];
	int lfd, fd, sndbuf = 1 << 20;
	struct tcphdr th;
	unsigned int dlen;
	struct tcp_sock *tp;

	(void)state;
	fd = peer_establish(&lfd);
	tp = tcp_sk(sk_of(fd));
	assert_int_equal(ul_send(fd, "hello", 5, MSG_OOB), 5);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, &dlen, TCP_PEER_POP_CSUM | TCP_PEER_POP_CHECK));
	assert_int_equal(dlen, 5);
	assert_int_equal(th.urg, 1);
	assert_int_equal(ntohs(th.urg_ptr), 5);
	assert_int_equal(tcp_snd_up(tp), g_isn + 1 + 5);
	assert_true(tcp_urg_mode(tp));
	/* Unacknowledged data in flight, yet "xy" goes at once: no Nagle in urgent mode. */
	assert_int_equal(ul_send(fd, "xy", 2, 0), 2);
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, &dlen, TCP_PEER_POP_CHECK));
	assert_int_equal(dlen, 2);
	assert_int_equal(th.urg, 0);
	assert_int_equal(th.urg_ptr, 0);
	/* The peer ACKs it all: urgent mode ends. */
	g_ack_off = 7;
	peer_seg(NULL, 7, false, 0, 0);
	assert_int_equal(tp->snd_una, g_isn + 1 + 7);
	assert_false(tcp_urg_mode(tp));
	ipt_dev_purge(t0);

	/* 100000 urgent bytes: the segments far from the mark say 0xFFFF. */
	assert_int_equal(ul_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	memset(big, 'B', sizeof(big));
	assert_int_equal(ul_send(fd, big, sizeof(big), MSG_OOB), (ssize_t)sizeof(big));
	assert_int_equal(tcp_snd_up(tp), g_isn + 1 + 7 + sizeof(big));
	ul_run_for(MS);
	assert_true(tcp_peer_pop(t0, &th, NULL, &dlen, TCP_PEER_POP_CHECK));
	assert_true(dlen > 0);
	assert_int_equal(ntohl(th.seq), g_isn + 1 + 7);
	assert_int_equal(th.urg, 1);
	assert_int_equal(ntohs(th.urg_ptr), 0xFFFF);
	ipt_dev_purge(t0);
	tcp_peer_abort_close(fd);
	ul_close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_oob_lo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oobinline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oob_errno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epollpri, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_stdurg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_ptr_beyond, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_old_and_new_ptr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_fin_rst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_urg_ptr, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
