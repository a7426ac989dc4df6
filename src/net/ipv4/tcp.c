/* SPDX-License-Identifier: MIT */
/* The TCP socket as the user sees it: creation defaults, states, sending and receiving
 * data, close, connect/listen/accept at the socket layer, poll, ioctl, socket options, and
 * boot (tables, sysctls, proto).
 * Mirrors linux/net/ipv4/tcp.c (3.10): tcp_init_sock, tcp_set_state, tcp_done,
 * sk_stream_alloc_skb, skb_entail, forced_push, tcp_mark_push, tcp_mark_urg, tcp_push,
 * tcp_bound_to_half_wnd (include/net/tcp.h in 3.10), tcp_xmit_size_goal, tcp_send_mss,
 * select_size, do_tcp_sendpages, tcp_sendpage, inet_sendpage (af_inet.c),
 * tcp_sendmsg, tcp_cleanup_rbuf, tcp_prequeue_process, tcp_recv_urg, tcp_recvmsg, tcp_ioctl,
 * tcp_close, tcp_disconnect,
 * tcp_shutdown, tcp_poll, tcp_setsockopt, tcp_getsockopt, tcp_get_info, tcp_init; and the
 * stream half of net/ipv4/af_inet.c: inet_stream_connect, inet_wait_for_connect,
 * inet_listen, inet_accept, inet_stream_ops.
 *
 * Book ch3/ch4/ch6: listen() = inet_listen -> inet_csk_listen_start; connect() =
 * inet_stream_connect -> tcp_v4_connect, then sleep until ESTABLISHED or an error;
 * accept() = inet_accept -> inet_csk_accept; send() = tcp_sendmsg (copy into skbs on the
 * write queue, charged to sk_wmem_queued, then tcp_push); recv() = tcp_recvmsg (copy from
 * sk_receive_queue, sleep in sk_wait_data, then tcp_cleanup_rbuf's window update).
 * Orderly close: tcp_close_state/tcp_send_fin (FIN_WAIT1, LAST_ACK), orphaned FIN_WAIT2
 * handed to a TIME_WAIT sock, close with unread data and SO_LINGER{1,0} send RST.
 * Urgent data (MSG_OOB) as 3.10: tcp_mark_urg on send, tcp_recv_urg, tcp_recvmsg stopping
 * at the mark, SIOCATMARK, POLLPRI.
 * Send: tcp_sendmsg copies into a small linear head then page frags (sk_page_frag), as
 * 3.10; tcp_sendpage attaches pages by reference (sendfile).
 * Receive: a blocked reader installs its buffer for the prequeue (tcp_prequeue_process), as
 * 3.10 with tcp_low_latency 0.
 * DIVERGES: no NET_DMA, no TCP_REPAIR / Fast Open; no SIGURG (no signals). */
#include <limits.h>
#include <sys/ioctl.h>
#include "linux/errno.h"
#include "linux/uaccess.h"
#include "linux/in.h"
#include "linux/kernel.h"
#include "linux/net.h"
#include "linux/poll.h"
#include "linux/sched.h"
#include "linux/slab.h"
#include "linux/sysctl.h"
#include "net/inet_common.h"
#include "net/inet_connection_sock.h"
#include "net/inet_hashtables.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "trace/path.h"

int sysctl_tcp_wmem[3];
int sysctl_tcp_rmem[3];
long sysctl_tcp_mem[3];
atomic_long_t tcp_memory_allocated;
atomic_long_t tcp_sockets_allocated;
int tcp_memory_pressure;

/* The protocol's memory went over tcp_mem[1] (__sk_mem_schedule): pressure until it falls
 * under tcp_mem[0] again. */
void tcp_enter_memory_pressure(struct sock *sk)
{
	if (!tcp_memory_pressure) {
		NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPMEMORYPRESSURES);
		tcp_memory_pressure = 1;
	}
}

unsigned long tcp_mib_read(struct net *net, int field)
{
	return snmp_fold_field(net->mib.tcp_statistics, field);
}

unsigned long tcp_netstat_read(struct net *net, int field)
{
	return snmp_fold_field(net->mib.net_statistics, field);
}

/* inet_create's callbacks with sk_write_space = sk_stream_write_space (tcp_init_sock);
 * children of a listener inherit them from it (sk_clone_lock copies the sock). */
static const struct sock_callbacks tcp_sock_callbacks = {
	.state_change = sock_def_wakeup,
	.data_ready = sock_def_readable,
	.write_space = sk_stream_write_space,
	.error_report = sock_def_error_report,
	.destruct = inet_sock_destruct,
};

/* Address-family independent initialization for a tcp_sock. NOTE: A lot of things set to
 * zero explicitly by call to sk_alloc() so need not be done here. */
void tcp_init_sock(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	tp->ofo = NULL; /* allocated with the first out-of-order segment */
	tp->ucopy_waiting = 0; /* tcp_prequeue_init: no reader waits */
	tcp_init_xmit_timers(sk);

	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	tp->mdev = TCP_TIMEOUT_INIT;

	/* So many TCP implementations out there (incorrectly) count the initial SYN frame in
	 * their delayed-ACK and congestion control algorithms that we must have the
	 * following bandaid to talk efficiently to them. -DaveM */
	tp->snd_cwnd = TCP_INIT_CWND;

	/* See draft-stevens-tcpca-spec-01 for discussion of the initialization of these
	 * values. */
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->snd_cwnd_clamp = ~0U;
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->reordering = (u8)sysctl_tcp_reordering;
	tcp_enable_early_retrans(tp);

	sk->sk_state = TCP_CLOSE;
	sk->sk_callbacks = &tcp_sock_callbacks;	/* sk_write_space = sk_stream_write_space */
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);

	sk->sk_sndbuf = sysctl_tcp_wmem[1];
	sk->sk_rcvbuf = sysctl_tcp_rmem[1];
	tcp_assign_congestion_control(sk);
	atomic_long_inc(&tcp_sockets_allocated);
}

void tcp_set_state(struct sock *sk, int state)
{
	int oldstate = sk->sk_state;

	switch (state) {
	case TCP_ESTABLISHED:
		if (oldstate != TCP_ESTABLISHED)
			TCP_INC_STATS(sock_net(sk), TCP_MIB_CURRESTAB);
		break;
	case TCP_CLOSE:
		if (oldstate == TCP_CLOSE_WAIT || oldstate == TCP_ESTABLISHED)
			TCP_INC_STATS(sock_net(sk), TCP_MIB_ESTABRESETS);
		sk->sk_prot->unhash(sk);
		if (inet_csk(sk)->icsk_bind_hash && !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			inet_put_port(sk);
		/* fall through */
	default:
		if (oldstate == TCP_ESTABLISHED)
			TCP_DEC_STATS(sock_net(sk), TCP_MIB_CURRESTAB);
	}
	/* Change state AFTER socket is unhashed to avoid closed socket sitting in hash
	 * tables. */
	sk->sk_state = (unsigned char)state;
}

void tcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		TCP_INC_STATS_BH(sock_net(sk), TCP_MIB_ATTEMPTFAILS);
	tcp_set_state(sk, TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		inet_csk_destroy_sock(sk);
}

void tcp_write_queue_purge(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)) != NULL) {
		sk->sk_wmem_queued -= (int)skb->truesize;
		sk_mem_uncharge(sk, (int)skb->truesize);
		kfree_skb(skb);
	}
	sk->sk_send_head = NULL;
	tcp_sk(sk)->packets_out = 0;
	if (tcp_sk(sk)->ofo) {
		struct tcp_ofo_state *rec = tcp_sk(sk)->ofo;

		rec->retrans_out = rec->lost_out = rec->sacked_out = 0;
	}
	sk_mem_reclaim(sk);
}

static inline bool tcp_need_reset(int state)
{
	return (1 << state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
			       TCPF_FIN_WAIT2 | TCPF_SYN_RECV);
}

int tcp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int err = 0;
	int old_state = sk->sk_state;

	(void)flags;
	if (old_state != TCP_CLOSE)
		tcp_set_state(sk, TCP_CLOSE);

	/* ABORT function of RFC793 */
	if (old_state == TCP_LISTEN) {
		inet_csk_listen_stop(sk);
	} else if (tcp_need_reset(old_state) ||
		   (tp->snd_nxt != tp->write_seq &&
		    (1 << old_state) & (TCPF_CLOSING | TCPF_LAST_ACK))) {
		/* The last check adjusts for discrepancy of Linux wrt. RFC states */
		tcp_send_active_reset(sk, GFP_ATOMIC);
		sk->sk_err = ECONNRESET;
	} else if (old_state == TCP_SYN_SENT) {
		sk->sk_err = ECONNRESET;
	}

	tcp_clear_xmit_timers(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	tcp_write_queue_purge(sk);
	/* The out-of-order queue goes (3.10 purges it); the loss-recovery scalars that 3.10
	 * keeps across a disconnect (total_retrans, retrans_stamp, high_seq...) stay with
	 * the block, which goes with the socket. */
	if (tp->ofo)
		__skb_queue_purge(&tp->ofo->out_of_order_queue);

	inet->inet_dport = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet->inet_rcv_saddr = inet->inet_saddr = 0;

	sk->sk_shutdown = 0;
	sock_reset_flag(sk, SOCK_DONE);
	tp->srtt = 0;
	if ((tp->write_seq += tp->max_window + 2) == 0)
		tp->write_seq = 1;
	icsk->icsk_backoff = 0;
	tp->snd_cwnd = 2;
	icsk->icsk_probes_out = 0;
	tp->packets_out = 0;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->snd_cwnd_cnt = 0;
	tp->window_clamp = 0;
	icsk->icsk_ca_state = TCP_CA_Open;
	tcp_clear_retrans(tp);
	tp->pred_flags = 0;
	tp->rx_opt.num_sacks = 0;
	inet_csk_delack_init(sk);
	memset(&tp->rx_opt, 0, sizeof(tp->rx_opt));
	__sk_dst_reset(sk);

	WARN_ON(inet->inet_num && !icsk->icsk_bind_hash);
	sk->sk_error_report(sk);
	return err;
}

/* State transitions of a user close or shutdown(SHUT_WR), and whether a FIN goes out. */
#define TCP_STATE_MASK	0xF
#define TCP_ACTION_FIN	(1 << 7)

static const unsigned char new_state[16] = {
	/* current state:        new state:      action:	*/
	/* (Invalid)		*/ TCP_CLOSE,
	/* TCP_ESTABLISHED	*/ TCP_FIN_WAIT1 | TCP_ACTION_FIN,
	/* TCP_SYN_SENT	*/ TCP_CLOSE,
	/* TCP_SYN_RECV	*/ TCP_FIN_WAIT1 | TCP_ACTION_FIN,
	/* TCP_FIN_WAIT1	*/ TCP_FIN_WAIT1,
	/* TCP_FIN_WAIT2	*/ TCP_FIN_WAIT2,
	/* TCP_TIME_WAIT	*/ TCP_CLOSE,
	/* TCP_CLOSE		*/ TCP_CLOSE,
	/* TCP_CLOSE_WAIT	*/ TCP_LAST_ACK | TCP_ACTION_FIN,
	/* TCP_LAST_ACK	*/ TCP_LAST_ACK,
	/* TCP_LISTEN		*/ TCP_CLOSE,
	/* TCP_CLOSING		*/ TCP_CLOSING,
};

static int tcp_close_state(struct sock *sk)
{
	int next = (int)new_state[sk->sk_state];
	int ns = next & TCP_STATE_MASK;

	tcp_set_state(sk, ns);
	return next & TCP_ACTION_FIN;
}

void tcp_close(struct sock *sk, long timeout)
{
	struct sk_buff *skb;
	int data_was_unread = 0;
	int state;

	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;

	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		/* Special case. */
		inet_csk_listen_stop(sk);
		goto adjudge_to_death;
	}

	/* We need to flush the recv. buffs. We do this only on the descriptor close, not
	 * protocol-sourced closes, because the reader process may not have drained the
	 * data yet! */
	while ((skb = __skb_dequeue(&sk->sk_receive_queue)) != NULL) {
		u32 len = TCP_SKB_CB(skb)->end_seq - TCP_SKB_CB(skb)->seq -
			  (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN ? 1 : 0);

		data_was_unread += (int)len;
		kfree_skb(skb);
	}
	sk_mem_reclaim(sk);

	/* If socket has been already reset (e.g. in tcp_reset()) - kill it. */
	if (sk->sk_state == TCP_CLOSE)
		goto adjudge_to_death;

	/* As outlined in RFC 2525, section 2.17, we send a RST here because data was lost.
	 * To witness the awful effects of the old behavior of always doing a FIN, run an
	 * older 2.1.x kernel or 2.0.x, start a bulk GET in an FTP client, suspend the
	 * process, wait for the client to advertise a zero window, then kill -9 the FTP
	 * client, wheee... Note: timeout is always zero in such a case. */
	if (data_was_unread) {
		/* Unread data was tossed, zap the connection. */
		NET_INC_STATS_USER(sock_net(sk), LINUX_MIB_TCPABORTONCLOSE);
		tcp_set_state(sk, TCP_CLOSE);
		tcp_send_active_reset(sk, sk->sk_allocation);
	} else if (sock_flag(sk, SOCK_LINGER) && !sock_lingertime(sk)) {
		/* Check zero linger _after_ checking for unread data. */
		sk->sk_prot->disconnect(sk, 0);
		NET_INC_STATS_USER(sock_net(sk), LINUX_MIB_TCPABORTONDATA);
	} else if (tcp_close_state(sk)) {
		/* We FIN if the application ate all the data before zapping the connection
		 * (RFC 793 CLOSE: ESTABLISHED -> FIN_WAIT1, CLOSE_WAIT -> LAST_ACK). */
		tcp_send_fin(sk);
	}

	/* SO_LINGER {1, t}: wait up to t for the FIN's ACK. */
	sk_stream_wait_close(sk, timeout);

adjudge_to_death:
	state = sk->sk_state;
	sock_hold(sk);
	sock_orphan(sk);

	/* It is the last release_sock in its life. It will remove backlog. */
	release_sock(sk);

	/* Now socket is owned by kernel and we acquire BH lock to finish close. No need to
	 * check for user refs. */
	local_bh_disable();
	bh_lock_sock(sk);
	WARN_ON(sock_owned_by_user(sk));

	atomic_long_inc(sk->sk_prot->orphan_count);

	/* Have we already been destroyed by a softirq or backlog? */
	if (state != TCP_CLOSE && sk->sk_state == TCP_CLOSE)
		goto out;

	/* This is a (useful) BSD violating of the RFC. There is a problem with TCP as
	 * specified in that the other end could keep a socket open forever with no
	 * application left this end. We use a 1 minute timeout (about the same as BSD) then
	 * kill the socket: the orphaned FIN_WAIT2 becomes a TIME_WAIT sock in substate
	 * FIN_WAIT2 for tcp_fin_timeout. */
	if (sk->sk_state == TCP_FIN_WAIT2) {
		struct tcp_sock *tp = tcp_sk(sk);

		if (tcp_linger2(tp) < 0) {
			tcp_set_state(sk, TCP_CLOSE);
			tcp_send_active_reset(sk, GFP_ATOMIC);
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPABORTONLINGER);
		} else {
			const int tmo = tcp_fin_time(sk);

			if (tmo > TCP_TIMEWAIT_LEN) {
				inet_csk_reset_keepalive_timer(sk,
							       (unsigned long)(tmo - TCP_TIMEWAIT_LEN));
			} else {
				tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
				goto out;
			}
		}
	}
	/* Too many orphans, or TCP out of memory: this one is reset now (tcp_max_orphans). */
	if (sk->sk_state != TCP_CLOSE) {
		sk_mem_reclaim(sk);
		if (tcp_check_oom(sk, 0)) {
			tcp_set_state(sk, TCP_CLOSE);
			tcp_send_active_reset(sk, GFP_ATOMIC);
			NET_INC_STATS_BH(sock_net(sk), LINUX_MIB_TCPABORTONMEMORY);
		}
	}

	if (sk->sk_state == TCP_CLOSE)
		inet_csk_destroy_sock(sk);
	/* Otherwise, socket is reprieved until protocol close. */
out:
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
}

/* Shutdown the sending side of a connection. Much like close except that we don't
 * receive shut down or sock_set_flag(sk, SOCK_DEAD). */
void tcp_shutdown(struct sock *sk, int how)
{
	/* We need to grab some memory, and put together a FIN, and then put it into the
	 * queue to be sent. Tim MacKenzie(tym@dibbler.cs.monash.edu.au) 4 Dec '92. */
	if (!(how & SEND_SHUTDOWN))
		return;

	/* If we've already sent a FIN, or it's a closed state, skip this. */
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_SENT | TCPF_SYN_RECV |
				   TCPF_CLOSE_WAIT)) {
		/* Clear out any half completed packets.  FIN if needed. */
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
	}
}

static unsigned int inet_csk_listen_poll(const struct sock *sk)
{
	return !reqsk_queue_empty(&inet_csk(sk)->icsk_accept_queue) ? (POLLIN | POLLRDNORM) : 0;
}

/* Wait for a TCP event. Note that we don't need to lock the socket, as the upper poll
 * layers take care of normal races (between the test and the event) and we don't go
 * look at any of the socket buffers directly. */
unsigned int tcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	unsigned int mask;
	struct sock *sk = sock->sk;
	const struct tcp_sock *tp = tcp_sk(sk);

	sock_poll_wait(file, sk_sleep(sk), wait);
	if (sk->sk_state == TCP_LISTEN)
		return inet_csk_listen_poll(sk);

	mask = 0;
	if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
		mask |= POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;

	/* Connected? */
	if ((1 << sk->sk_state) & ~(TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		int target = sock_rcvlowat(sk, 0, INT_MAX);

		/* An unread urgent byte at the read point is not normal data. */
		if (tcp_urg_seq(tp) == tp->copied_seq && !sock_flag(sk, SOCK_URGINLINE) &&
		    tcp_urg_data(tp))
			target++;

		if ((int)(tp->rcv_nxt - tp->copied_seq) >= target)
			mask |= POLLIN | POLLRDNORM;
		if (!(sk->sk_shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= POLLOUT | POLLWRNORM;
			} else {
				set_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				smp_mb();
				if (sk_stream_is_writeable(sk))
					mask |= POLLOUT | POLLWRNORM;
			}
		} else {
			mask |= POLLOUT | POLLWRNORM;
		}

		if (tcp_urg_data(tp) & TCP_URG_VALID)
			mask |= POLLPRI;
	}
	/* This barrier is coupled with smp_wmb() in tcp_reset() */
	smp_rmb();
	if (sk->sk_err)
		mask |= POLLERR;
	return mask;
}

/* ------------------------------------------------------------------------------------------
 * Sending. */

struct sk_buff *sk_stream_alloc_skb(struct sock *sk, int size, gfp_t gfp)
{
	struct sk_buff *skb;

	/* The TCP header must be at least 32-bit aligned. */
	size = ALIGN(size, 4);

	skb = alloc_skb_fclone((unsigned int)(size + sk->sk_prot->max_header), gfp);
	if (skb) {
		if (sk_wmem_schedule(sk, (int)skb->truesize)) {
			skb_reserve(skb, sk->sk_prot->max_header);
			/* Make sure that we have exactly size bytes available to the caller, no
			 * more, no less (the kmalloc size class may give more). */
			skb->reserved_tailroom = (u32)(skb->end - skb->tail - (u32)size);
			return skb;
		}
		kfree_skb(skb);
	} else {
		if (sk->sk_prot->enter_memory_pressure)
			sk->sk_prot->enter_memory_pressure(sk);
		sk_stream_moderate_sndbuf(sk);
	}
	return NULL;
}

static inline void tcp_mark_push(struct tcp_sock *tp, struct sk_buff *skb)
{
	TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_PSH;
	tp->pushed_seq = tp->write_seq;
}

static inline bool forced_push(const struct tcp_sock *tp)
{
	return after(tp->write_seq, tp->pushed_seq + (tp->max_window >> 1));
}

static inline void skb_entail(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_skb_cb *tcb = TCP_SKB_CB(skb);

	skb->csum = 0;
	tcb->seq = tcb->end_seq = tp->write_seq;
	tcb->tcp_flags = TCPHDR_ACK;
	tcb->sacked = 0;
	tcp_add_write_queue_tail(sk, skb);
	sk->sk_wmem_queued += (int)skb->truesize;
	sk_mem_charge(sk, (int)skb->truesize);
	if (tp->nonagle & TCP_NAGLE_PUSH)
		tp->nonagle &= ~TCP_NAGLE_PUSH;
}

/* MSG_OOB: the urgent pointer goes to the end of the data written so far (BSD: one past
 * the last urgent byte); tcp_transmit_skb sends it until snd_una passes it. The sk_rare
 * block that holds snd_up was allocated by tcp_sendmsg/do_tcp_sendpages (tcp_oob_prepare)
 * before anything was queued. */
static inline void tcp_mark_urg(struct sock *sk, int flags)
{
	if ((flags & MSG_OOB) && !WARN_ON(!sk->sk_rare))
		sk->sk_rare->snd_up = tcp_sk(sk)->write_seq;
}

/* A MSG_OOB send needs the sk_rare block (snd_up): allocated before any byte is queued,
 * so that no memory fails the send with -ENOMEM and nothing sent. */
static inline int tcp_oob_prepare(struct sock *sk, int flags)
{
	if ((flags & MSG_OOB) && !sk_rare_alloc(sk, sk->sk_allocation))
		return -ENOMEM;
	return 0;
}

static inline void tcp_push(struct sock *sk, int flags, unsigned int mss_now, int nonagle)
{
	if (tcp_send_head(sk)) {
		struct tcp_sock *tp = tcp_sk(sk);

		if (!(flags & MSG_MORE) || forced_push(tp))
			tcp_mark_push(tp, tcp_write_queue_tail(sk));
		tcp_mark_urg(sk, flags);
		__tcp_push_pending_frames(sk, mss_now, (flags & MSG_MORE) ? TCP_NAGLE_CORK : nonagle);
	}
}

/* @skb, the write queue's tail, reached the size goal: all that is queued goes when half
 * the peer's largest window was written without a PSH (forced_push), else just @skb when it
 * is the send head (tcp_push_one). DIVERGES: 3.10 writes these steps out in both
 * tcp_sendmsg and do_tcp_sendpages; one helper here, the same steps.
 * Context: process, socket locked. */
static void tcp_push_full_skb(struct sock *sk, struct sk_buff *skb, int mss_now)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (forced_push(tp)) {
		tcp_mark_push(tp, skb);
		__tcp_push_pending_frames(sk, (unsigned int)mss_now, TCP_NAGLE_PUSH);
	} else if (skb == tcp_send_head(sk)) {
		tcp_push_one(sk, (unsigned int)mss_now);
	}
}

/* 3.10's tcp_bound_to_half_wnd: bound a packet to half the largest window the peer
 * offered (a sender should not fill the whole window with one skb). */
static int tcp_bound_to_half_wnd(const struct tcp_sock *tp, int pktsize)
{
	int cutoff;

	if (tp->max_window >= 512)
		cutoff = (int)(tp->max_window >> 1);
	else
		cutoff = (int)tp->max_window;

	if (cutoff && pktsize > cutoff)
		return max_t(int, cutoff, 68 - tp->tcp_header_len);
	return pktsize;
}

/* The size of a new skb: one MSS, or on a GSO-capable route (sk_can_gso: always, through
 * software GSO, unless the device lacks NETIF_F_GSO) a whole number of MSS up to 64 KiB
 * minus the headers, half the TSQ limit (tcp_limit_output_bytes 131072 / 2), half the
 * peer's max window and gso_max_segs. xmit_size_goal_segs caches the division. */
static unsigned int tcp_xmit_size_goal(struct sock *sk, u32 mss_now, int large_allowed)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 xmit_size_goal, old_size_goal;

	xmit_size_goal = mss_now;

	if (large_allowed && sk_can_gso(sk)) {
		xmit_size_goal = (u32)((int)(sk->sk_gso_max_size - 1) -
				       (int)inet_csk(sk)->icsk_af_ops->net_header_len -
				       (int)inet_csk(sk)->icsk_ext_hdr_len - (int)tp->tcp_header_len);

		/* TSQ: try to have two TSO segments in flight. DIVERGES: ulnet has no TCP small
		 * queues; the goal keeps 3.10's bound of tcp_limit_output_bytes (131072) / 2. */
		xmit_size_goal = min_t(u32, xmit_size_goal, 131072 >> 1);

		xmit_size_goal = (u32)tcp_bound_to_half_wnd(tp, (int)xmit_size_goal);

		/* We try hard to avoid divides here */
		old_size_goal = tp->xmit_size_goal_segs * mss_now;

		if (likely(old_size_goal <= xmit_size_goal &&
			   old_size_goal + mss_now > xmit_size_goal)) {
			xmit_size_goal = old_size_goal;
		} else {
			tp->xmit_size_goal_segs = min_t(u16, (u16)(xmit_size_goal / mss_now),
							sk->sk_gso_max_segs);
			xmit_size_goal = tp->xmit_size_goal_segs * mss_now;
		}
	}

	return max(xmit_size_goal, mss_now);
}

/* The current MSS and the size goal of a new skb (tcp_xmit_size_goal). */
static int tcp_send_mss(struct sock *sk, int *size_goal, int flags)
{
	int mss_now;

	mss_now = (int)tcp_current_mss(sk);
	*size_goal = (int)tcp_xmit_size_goal(sk, (u32)mss_now, !(flags & MSG_OOB));
	return mss_now;
}

/* The linear size of a new skb. With scatter-gather the head holds only a small first
 * piece (GSO: what fits a 2 KiB block after the headers) and the payload goes to page
 * frags; without it the whole MSS is linear (3.10 select_size). */
static int select_size(const struct sock *sk, bool sg)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	int tmp = (int)tp->mss_cache;

	if (sg) {
		if (sk_can_gso(sk)) {
			/* Small frames wont use a full page: payload will immediately follow
			 * the tcp header. */
			tmp = (int)SKB_WITH_OVERHEAD(2048 - MAX_TCP_HEADER);
		} else {
			int pgbreak = (int)SKB_MAX_HEAD(MAX_TCP_HEADER);

			if (tmp >= pgbreak && tmp <= pgbreak + (MAX_SKB_FRAGS - 1) * (int)PAGE_SIZE)
				tmp = pgbreak;
		}
	}
	return tmp;
}

/* 3.10 include/net/sock.h: copy @copy bytes of send data into the linear tail (nocache:
 * a plain copy in ulnet; without checksum offload the TCP checksum is computed at
 * transmit, tcp_v4_send_check, where 3.10 sums while copying). */
static void skb_add_data_nocache(struct sock *sk, struct sk_buff *skb, const void *from,
				 int copy)
{
	(void)sk;
	memcpy(skb_put(skb, (unsigned int)copy), from, (size_t)copy);
}

/* 3.10 include/net/sock.h: copy into @page at @off for frags[] of @skb; len, data_len and
 * truesize grow by the copy, which is charged to the socket (sk_wmem_queued,
 * sk_mem_charge). */
static void skb_copy_to_page_nocache(struct sock *sk, const void *from, struct sk_buff *skb,
				     struct page *page, int off, int copy)
{
	memcpy((u8 *)page_address(page) + off, from, (size_t)copy);
	skb->len += (unsigned int)copy;
	skb->data_len += (unsigned int)copy;
	skb->truesize += (unsigned int)copy;
	sk->sk_wmem_queued += copy;
	sk_mem_charge(sk, copy);
}

int tcp_sendmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t size)
{
	struct iovec *iov;
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = NULL;
	int iovlen, flags, err, copied = 0;
	int mss_now = 0, size_goal = 0;
	bool sg;
	long timeo;

	UL_TRACE_FN();
	(void)iocb;
	(void)size;
	lock_sock(sk);

	flags = msg->msg_flags;
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	err = tcp_oob_prepare(sk, flags);
	if (err)
		goto out_err;

	/* Wait for a connection to finish. */
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err != 0)
			goto out_err;
	}

	/* This should be in poll */
	if (sk->sk_socket)
		clear_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);

	mss_now = tcp_send_mss(sk, &size_goal, flags);

	/* Ok commence sending. */
	iovlen = (int)msg->msg_iovlen;
	iov = msg->msg_iov;
	copied = 0;

	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto out_err;

	sg = !!(sk->sk_route_caps & NETIF_F_SG);

	while (--iovlen >= 0) {
		size_t seglen = iov->iov_len;
		unsigned char *from = iov->iov_base;
		unsigned int guard = 0;

		iov++;
		if (seglen && !from) {
			err = -EFAULT;
			goto do_error;
		}

		while (seglen > 0 && ++guard < 100000000) {
			int copy = 0;
			int max = size_goal;

			skb = tcp_write_queue_tail(sk);
			if (tcp_send_head(sk))
				copy = max - (int)skb->len;

			if (copy <= 0) {
new_segment:
				/* Allocate new segment. If the interface is SG, allocate a skb
				 * fitting the small head (select_size); the rest goes to page
				 * frags. */
				if (!sk_stream_memory_free(sk))
					goto wait_for_sndbuf;

				skb = sk_stream_alloc_skb(sk, select_size(sk, sg), sk->sk_allocation);
				if (!skb)
					goto wait_for_memory;

				/* Check whether we can use HW checksum. */
				if (sk->sk_route_caps & NETIF_F_ALL_CSUM)
					skb->ip_summed = CHECKSUM_PARTIAL;

				skb_entail(sk, skb);
				copy = size_goal;
				max = size_goal;
			}

			/* Try to append data to the end of skb. */
			if (copy > (int)seglen)
				copy = (int)seglen;

			/* Where to copy to? */
			if (skb_availroom(skb) > 0) {
				/* We have some space in skb head. Superb! */
				copy = min_t(int, copy, skb_availroom(skb));
				skb_add_data_nocache(sk, skb, from, copy);
			} else {
				bool merge = true;
				int i = skb_shinfo(skb)->nr_frags;
				struct page_frag *pfrag = sk_page_frag(sk);

				/* (NULL: a socket outside a task whose sk_rare block, which
				 * holds its own page frag, could not be allocated.) */
				if (!pfrag || !sk_page_frag_refill(sk, pfrag))
					goto wait_for_memory;

				if (!skb_can_coalesce(skb, i, pfrag->page, (int)pfrag->offset)) {
					if (i == MAX_SKB_FRAGS || !sg) {
						tcp_mark_push(tp, skb);
						goto new_segment;
					}
					merge = false;
				}

				copy = min_t(int, copy, (int)(pfrag->size - pfrag->offset));

				if (!sk_wmem_schedule(sk, copy))
					goto wait_for_memory;

				skb_copy_to_page_nocache(sk, from, skb, pfrag->page,
							 (int)pfrag->offset, copy);

				/* Update the skb. */
				if (merge) {
					skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
				} else {
					skb_fill_page_desc(skb, i, pfrag->page, (int)pfrag->offset,
							   copy);
					get_page(pfrag->page);
				}
				pfrag->offset += (__u32)copy;
			}

			if (!copied)
				TCP_SKB_CB(skb)->tcp_flags &= (u8)~TCPHDR_PSH;

			tp->write_seq += (u32)copy;
			TCP_SKB_CB(skb)->end_seq += (u32)copy;
			/* The packet count is recomputed before it goes (tcp_init_tso_segs). */
			skb_shinfo(skb)->gso_segs = 0;

			from += copy;
			copied += copy;
			seglen -= (size_t)copy;
			if (seglen == 0 && iovlen == 0)
				goto out;

			/* Urgent data is pushed at the end, with the mark (tcp_push). */
			if ((int)skb->len < max || (flags & MSG_OOB))
				continue;

			tcp_push_full_skb(sk, skb, mss_now);
			continue;

wait_for_sndbuf:
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
wait_for_memory:
			if (copied)
				tcp_push(sk, flags & ~MSG_MORE, (unsigned int)mss_now, TCP_NAGLE_PUSH);

			err = sk_stream_wait_memory(sk, &timeo);
			if (err != 0)
				goto do_error;

			mss_now = tcp_send_mss(sk, &size_goal, flags);
		}
	}

out:
	if (copied)
		tcp_push(sk, flags, (unsigned int)mss_now, tp->nonagle);
	release_sock(sk);
	return copied;

do_error:
	if (copied)
		goto out;
out_err:
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/* Attach @size bytes of @page at @offset to the write queue by reference (get_page): no
 * copy. 3.10 do_tcp_sendpages. Context: process, socket locked. */
static ssize_t do_tcp_sendpages(struct sock *sk, struct page *page, int offset, size_t size,
				int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int mss_now, size_goal;
	int err;
	ssize_t copied;
	long timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	unsigned int guard = 0;

	err = tcp_oob_prepare(sk, flags);
	if (err)
		goto out_err;

	/* Wait for a connection to finish. */
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err != 0)
			goto out_err;
	}

	if (sk->sk_socket)
		clear_bit(SOCK_ASYNC_NOSPACE, &sk->sk_socket->flags);

	mss_now = tcp_send_mss(sk, &size_goal, flags);
	copied = 0;

	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto out_err;

	while (size > 0 && ++guard < 100000000) {
		struct sk_buff *skb = tcp_write_queue_tail(sk);
		int copy = 0, i;
		bool can_coalesce;

		if (tcp_send_head(sk))
			copy = size_goal - (int)skb->len;
		if (copy <= 0) {
new_segment:
			if (!sk_stream_memory_free(sk))
				goto wait_for_sndbuf;

			skb = sk_stream_alloc_skb(sk, 0, sk->sk_allocation);
			if (!skb)
				goto wait_for_memory;

			skb_entail(sk, skb);
			copy = size_goal;
		}

		if ((size_t)copy > size)
			copy = (int)size;

		i = skb_shinfo(skb)->nr_frags;
		can_coalesce = skb_can_coalesce(skb, i, page, offset);
		if (!can_coalesce && i >= MAX_SKB_FRAGS) {
			tcp_mark_push(tp, skb);
			goto new_segment;
		}
		if (!sk_wmem_schedule(sk, copy))
			goto wait_for_memory;

		if (can_coalesce) {
			skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
		} else {
			get_page(page);
			skb_fill_page_desc(skb, i, page, offset, copy);
		}

		skb->len += (unsigned int)copy;
		skb->data_len += (unsigned int)copy;
		skb->truesize += (unsigned int)copy;
		sk->sk_wmem_queued += copy;
		sk_mem_charge(sk, copy);
		skb->ip_summed = CHECKSUM_PARTIAL;
		tp->write_seq += (u32)copy;
		TCP_SKB_CB(skb)->end_seq += (u32)copy;
		skb_shinfo(skb)->gso_segs = 0;
		ul_copy_account(UL_COPY_ZEROCOPY, (size_t)copy);

		if (!copied)
			TCP_SKB_CB(skb)->tcp_flags &= (u8)~TCPHDR_PSH;

		copied += copy;
		offset += copy;
		size -= (size_t)copy;
		if (!size)
			goto out;

		if ((int)skb->len < size_goal || (flags & MSG_OOB))
			continue;

		tcp_push_full_skb(sk, skb, mss_now);
		continue;

wait_for_sndbuf:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
wait_for_memory:
		tcp_push(sk, flags & ~MSG_MORE, (unsigned int)mss_now, TCP_NAGLE_PUSH);

		err = sk_stream_wait_memory(sk, &timeo);
		if (err != 0)
			goto do_error;

		mss_now = tcp_send_mss(sk, &size_goal, flags);
	}

out:
	if (copied && !(flags & MSG_SENDPAGE_NOTLAST))
		tcp_push(sk, flags, (unsigned int)mss_now, tp->nonagle);
	return copied;

do_error:
	if (copied)
		goto out;
out_err:
	return sk_stream_error(sk, flags, err);
}

/* sendpage: by reference on a scatter-gather route with checksum offload (the pages must
 * not be read by the CPU to build the packet), else a copy (sock_no_sendpage). */
int tcp_sendpage(struct sock *sk, struct page *page, int offset, size_t size, int flags)
{
	ssize_t res;

	if (!(sk->sk_route_caps & NETIF_F_SG) || !(sk->sk_route_caps & NETIF_F_ALL_CSUM))
		return (int)sock_no_sendpage(sk->sk_socket, page, offset, size, flags);

	lock_sock(sk);
	res = do_tcp_sendpages(sk, page, offset, size, flags);
	release_sock(sk);
	return (int)res;
}

/* 3.10 net/ipv4/af_inet.c inet_sendpage, for the stream ops (TCP's sk_prot->sendpage). */
static ssize_t inet_sendpage(struct socket *sock, struct page *page, int offset, size_t size,
			     int flags)
{
	if (!page || offset < 0 || (size_t)offset + size > (PAGE_SIZE << compound_order(page)))
		return -EINVAL;
	return tcp_sendpage(sock->sk, page, offset, size, flags);
}

/* ------------------------------------------------------------------------------------------
 * Receiving. */

/* Clean up the receive buffer for full frames taken by the user, then send an ACK if
 * necessary. COPIED is the number of bytes tcp_recvmsg has given to the user so far, it
 * speeds up the calculation of whether or not we must ACK for the sake of a window
 * update. */
void tcp_cleanup_rbuf(struct sock *sk, int copied)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool time_to_ack = false;

	if (inet_csk_ack_scheduled(sk)) {
		const struct inet_connection_sock *icsk = inet_csk(sk);

		/* Delayed ACKs frequently hit locked sockets during bulk receive. */
		if (icsk->icsk_ack.blocked ||
		    /* Once-per-two-segments ACK was not sent by tcp_input.c */
		    tp->rcv_nxt - tp->rcv_wup > icsk->icsk_ack.rcv_mss ||
		    /* If this read emptied read buffer, we send ACK, if connection is not
		     * bidirectional, user drained receive buffer and there was a small segment
		     * in queue. */
		    (copied > 0 &&
		     ((icsk->icsk_ack.pending & ICSK_ACK_PUSHED2) ||
		      ((icsk->icsk_ack.pending & ICSK_ACK_PUSHED) && !icsk->icsk_ack.pingpong)) &&
		     !atomic_read(&sk->sk_rmem_alloc)))
			time_to_ack = true;
	}

	/* We send an ACK if we can now advertise a non-zero window which has been raised
	 * "significantly". Even if window raised up to infinity, do not send window open ACK
	 * in states, where we will not receive more. It is useless. */
	if (copied > 0 && !time_to_ack && !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		__u32 rcv_window_now = tcp_receive_window(tp);

		/* Optimize, __tcp_select_window() is not cheap. */
		if (2 * rcv_window_now <= tp->window_clamp) {
			__u32 new_window = __tcp_select_window(sk);

			/* Send ACK now, if this read freed lots of space in our buffer. Certainly,
			 * new_window is new window. We can advertise it now, if it is not less than
			 * current one. "Lots" means "at least twice" here. */
			if (new_window && new_window >= 2 * rcv_window_now)
				time_to_ack = true;
		}
	}
	if (time_to_ack)
		tcp_send_ack(sk);
}

/* The reader runs what softirq prequeued for it (tcp_prequeue) through the normal receive
 * path, in its own context: tcp_rcv_established copies in-order data straight into the
 * reader's buffer (tcp_ucopy(sk)) while the socket is owned. Context: process, socket
 * owned by the reader whose tcp_ucopy tcp_ucopy(sk) finds. */
static void tcp_prequeue_process(struct sock *sk)
{
	struct tcp_ucopy *ucopy = tcp_ucopy(sk);
	struct sk_buff *skb;

	UL_TRACE_FN();
	NET_INC_STATS_USER(sock_net(sk), LINUX_MIB_TCPPREQUEUED);

	/* RX process wants to run with disabled BHs, though it is not necessary */
	local_bh_disable();
	while ((skb = __skb_dequeue(&ucopy->prequeue)) != NULL)
		sk_backlog_rcv(sk, skb);
	local_bh_enable();

	/* Clear memory counter. */
	ucopy->memory = 0;
}

/* The skb is read: off the receive queue, its memory back (sock_rfree). */
static void tcp_eat_skb(struct sock *sk, struct sk_buff *skb)
{
	__skb_unlink(skb, &sk->sk_receive_queue);
	consume_skb(skb);
}

/* recv(MSG_OOB): the saved urgent byte (urg_data), never blocking. EINVAL when there is
 * none, it was read already or SO_OOBINLINE keeps it in the stream; ENOTCONN on a socket
 * never connected; EAGAIN while the pointer arrived but not the byte; 0 after the peer's
 * FIN or a close. A zero-length buffer reports MSG_TRUNC. Context: process, socket
 * locked. */
static int tcp_recv_urg(struct sock *sk, struct msghdr *msg, int len, int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);

	/* Nothing out of band to give: EINVAL (not EAGAIN), as BSD. */
	if (sock_flag(sk, SOCK_URGINLINE) || !tcp_urg_data(tp) ||
	    tcp_urg_data(tp) == TCP_URG_READ)
		return -EINVAL;

	if (sk->sk_state == TCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;

	if (tcp_urg_data(tp) & TCP_URG_VALID) {
		int err = 0;
		char c = (char)tcp_urg_data(tp);

		if (!(flags & MSG_PEEK))
			sk->sk_rare->urg_data = TCP_URG_READ;

		msg->msg_flags |= MSG_OOB;

		if (len > 0) {
			if (!(flags & MSG_TRUNC))
				err = memcpy_toiovec(msg->msg_iov, (unsigned char *)&c, 1);
			len = 1;
		} else {
			msg->msg_flags |= MSG_TRUNC;
		}
		return err ? -EFAULT : len;
	}

	if (sk->sk_state == TCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;

	/* BSD and 3.10 agree: recv(MSG_OOB) never blocks, whatever the socket's mode. */
	return -EAGAIN;
}

/* This routine copies from a sock struct into the user buffer. Technical note: in 2.3 we
 * work on _locked_ socket, so that tricks with *seq access order and skb->users are not
 * required. */
int tcp_recvmsg(struct kiocb *iocb, struct sock *sk, struct msghdr *msg, size_t len,
		int nonblock, int flags, int *addr_len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int copied = 0;
	u32 peek_seq = 0;
	u32 *seq;
	unsigned long used;
	u32 urg_hole = 0;
	int err;
	int target;		/* Read at least this many bytes */
	long timeo;
	struct sk_buff *skb;
	unsigned int loops = 0;
	/* The prequeue's reader state (3.10: tp->ucopy, user_recv = the task); see the
	 * DIVERGES note at tcp_sock.ucopy for why it may live on this stack. */
	struct tcp_ucopy ucopy;
	struct tcp_ucopy *user_recv = NULL;
	int chunk;

	UL_TRACE_FN();
	(void)iocb;
	(void)addr_len;
	if (len > INT_MAX)
		len = INT_MAX;

	lock_sock(sk);

	err = -ENOTCONN;
	if (sk->sk_state == TCP_LISTEN)
		goto out;

	timeo = sock_rcvtimeo(sk, nonblock);

	/* Urgent data needs to be handled specially. */
	if (flags & MSG_OOB)
		goto recv_urg;

	seq = &tp->copied_seq;
	if (flags & MSG_PEEK) {
		peek_seq = tp->copied_seq;
		seq = &peek_seq;
	}

	target = sock_rcvlowat(sk, flags & MSG_WAITALL, (int)len);

	do {
		u32 offset;

		if (++loops > 10000000)
			break;

		/* At the mark: a read that already has data ends here (so that the
		 * reader can check SIOCATMARK); a signal ends it too. */
		if (tcp_urg_data(tp) && tcp_urg_seq(tp) == *seq) {
			if (copied)
				break;
			if (signal_pending(current)) {
				copied = timeo ? sock_intr_errno(timeo) : -EAGAIN;
				break;
			}
		}

		/* Next get a buffer. */
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			/* Now that we have two receive queues this shouldn't happen. */
			if (WARN_ON(before(*seq, TCP_SKB_CB(skb)->seq)))
				break;

			offset = *seq - TCP_SKB_CB(skb)->seq;
			if (tcp_hdr(skb)->syn)
				offset--;
			if (offset < skb->len)
				goto found_ok_skb;
			if (tcp_hdr(skb)->fin)
				goto found_fin_ok;
			WARN_ON(!(flags & MSG_PEEK));
		}

		/* Well, if we have backlog, try to process it now yet. */
		if (copied >= target && !sk->sk_backlog.tail)
			break;

		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo || signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				/* A never connected socket reads ENOTCONN; a closed one 0. */
				if (!sock_flag(sk, SOCK_DONE))
					copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}

		tcp_cleanup_rbuf(sk, copied);

		if (!sysctl_tcp_low_latency && tcp_ucopy(sk) == user_recv) {
			/* Install new reader */
			if (!user_recv && !(flags & (MSG_TRUNC | MSG_PEEK))) {
				skb_queue_head_init(&ucopy.prequeue);
				ucopy.task = current;
				ucopy.iov = msg->msg_iov;
				ucopy.memory = 0;
				user_recv = &ucopy;
				tcp_ucopy_attach(sk, user_recv);
			}

			if (user_recv) {
				user_recv->len = (int)len;

				WARN_ON(tp->copied_seq != tp->rcv_nxt);

				/* The queues are, in order: packets in flight, the backlog, the
				 * prequeue, the receive queue; each may be processed only once
				 * the later ones are empty. The receive queue is empty here, but
				 * after a second pass (backlog processing refilled the receive
				 * queue) the prequeue may not be: it holds segments older than the
				 * backlog's, so it must run before the socket is released. */
				if (!skb_queue_empty(&user_recv->prequeue))
					goto do_prequeue;
			}
		}

		if (copied >= target) {
			/* Do not sleep, just process backlog. */
			release_sock(sk);
			lock_sock(sk);
		} else {
			sk_wait_data(sk, &timeo);
		}

		if (user_recv) {
			/* Backlog processing (release_sock) may have copied straight into
			 * the buffer. */
			chunk = (int)len - user_recv->len;
			if (chunk != 0) {
				NET_ADD_STATS_USER(sock_net(sk), LINUX_MIB_TCPDIRECTCOPYFROMBACKLOG,
						   chunk);
				len -= (size_t)chunk;
				copied += chunk;
			}

			if (tp->rcv_nxt == tp->copied_seq &&
			    !skb_queue_empty(&user_recv->prequeue)) {
do_prequeue:
				tcp_prequeue_process(sk);

				chunk = (int)len - user_recv->len;
				if (chunk != 0) {
					NET_ADD_STATS_USER(sock_net(sk),
							   LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE, chunk);
					len -= (size_t)chunk;
					copied += chunk;
				}
			}
		}

		if ((flags & MSG_PEEK) && peek_seq - (u32)copied - urg_hole != tp->copied_seq) {
			/* TCP(...): Application bug, race in MSG_PEEK. */
			peek_seq = tp->copied_seq;
		}
		continue;

found_ok_skb:
		/* Ok so how much can we use? */
		used = skb->len - offset;
		if (len < used)
			used = len;

		/* The urgent byte in this piece: at the read point it is stepped over
		 * (unless SO_OOBINLINE); further on, the read stops just before it. */
		if (tcp_urg_data(tp)) {
			u32 urg_offset = tcp_urg_seq(tp) - *seq;

			if (urg_offset < used) {
				if (!urg_offset) {
					if (!sock_flag(sk, SOCK_URGINLINE)) {
						++*seq;
						urg_hole++;
						offset++;
						used--;
						if (!used)
							goto skip_copy;
					}
				} else {
					used = urg_offset;
				}
			}
		}

		/* MSG_TRUNC: the bytes are consumed without being copied, as 3.10. */
		if (!(flags & MSG_TRUNC)) {
			err = skb_copy_datagram_iovec(skb, (int)offset, msg->msg_iov, (int)used);
			if (err) {
				/* Exception. Bailout! */
				if (!copied)
					copied = -EFAULT;
				break;
			}
		}

		*seq += (u32)used;
		copied += (int)used;
		len -= used;

		tcp_rcv_space_adjust(sk);

skip_copy:
		/* Past the mark: the urgent data is gone, header prediction may resume. */
		if (tcp_urg_data(tp) && after(tp->copied_seq, tcp_urg_seq(tp))) {
			sk->sk_rare->urg_data = 0;
			tcp_fast_path_check(sk);
		}
		if (used + offset < skb->len)
			continue;

		if (tcp_hdr(skb)->fin)
			goto found_fin_ok;
		if (!(flags & MSG_PEEK))
			tcp_eat_skb(sk, skb);
		continue;

found_fin_ok:
		/* Process the FIN. */
		++*seq;
		if (!(flags & MSG_PEEK))
			tcp_eat_skb(sk, skb);
		break;
	} while (len > 0);

	if (user_recv) {
		if (!skb_queue_empty(&user_recv->prequeue)) {
			/* Still room: copy straight in; after an error, only queue. */
			user_recv->len = copied > 0 ? (int)len : 0;

			tcp_prequeue_process(sk);

			chunk = (int)len - user_recv->len;
			if (copied > 0 && chunk != 0) {
				NET_ADD_STATS_USER(sock_net(sk), LINUX_MIB_TCPDIRECTCOPYFROMPREQUEUE,
						   chunk);
				len -= (size_t)chunk;
				copied += chunk;
			}
		}

		/* Detached while the socket is still owned: softirq never sees this stack
		 * frame once it is gone. */
		tcp_ucopy_detach(sk);
	}

	/* Clean up data we have read: This will do ACK frames. */
	tcp_cleanup_rbuf(sk, copied);

	release_sock(sk);
	return copied;

out:
	release_sock(sk);
	return err;

recv_urg:
	err = tcp_recv_urg(sk, msg, (int)len, flags);
	goto out;
}

#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif
#ifndef SIOCATMARK
#define SIOCATMARK 0x8905
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B
#endif

int tcp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int *uarg = (int *)arg;
	int answ;
	bool slow;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;

		slow = lock_sock_fast(sk);
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
			answ = 0;
		} else {
			answ = (int)(tp->rcv_nxt - tp->copied_seq);
			/* Subtract 1, if FIN was received */
			if (answ && sock_flag(sk, SOCK_DONE))
				answ--;
		}
		unlock_sock_fast(sk, slow);
		break;
	case SIOCATMARK:
		/* At the mark: the next byte to read is the urgent one. */
		answ = tcp_urg_data(tp) && tcp_urg_seq(tp) == tp->copied_seq;
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
			answ = 0;
		else
			answ = (int)(tp->write_seq - tp->snd_una);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
			answ = 0;
		else
			answ = (int)(tp->write_seq - tp->snd_nxt);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	if (!uarg)
		return -EFAULT;
	*uarg = answ;
	return 0;
}

void tcp_get_info(const struct sock *sk, struct tcp_info *info)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);
	u32 now = tcp_time_stamp;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->sk_state;
	info->tcpi_ca_state = icsk->icsk_ca_state;
	info->tcpi_retransmits = icsk->icsk_retransmits;
	info->tcpi_probes = icsk->icsk_probes_out;
	info->tcpi_backoff = icsk->icsk_backoff;
	if (tp->rx_opt.tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tp->rx_opt.sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (tp->rx_opt.wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tp->rx_opt.snd_wscale;
		info->tcpi_rcv_wscale = tp->rx_opt.rcv_wscale;
	}
	info->tcpi_rto = jiffies_to_usecs(icsk->icsk_rto);
	info->tcpi_ato = jiffies_to_usecs(icsk->icsk_ack.ato);
	info->tcpi_snd_mss = tp->mss_cache;
	info->tcpi_rcv_mss = icsk->icsk_ack.rcv_mss;
	if (sk->sk_state == TCP_LISTEN) {
		info->tcpi_unacked = sk->sk_ack_backlog;
		info->tcpi_sacked = sk->sk_max_ack_backlog;
	} else {
		info->tcpi_unacked = tp->packets_out;
		info->tcpi_sacked = tcp_rec(tp)->sacked_out;
	}
	info->tcpi_lost = tcp_rec(tp)->lost_out;
	info->tcpi_retrans = tcp_rec(tp)->retrans_out;
	info->tcpi_fackets = tcp_rec(tp)->fackets_out;
	info->tcpi_last_data_sent = jiffies_to_msecs(now - tp->lsndtime);
	info->tcpi_last_ack_recv = jiffies_to_msecs(now - tp->rcv_tstamp);
	info->tcpi_last_data_recv = jiffies_to_msecs(now - icsk->icsk_ack.lrcvtime);
	info->tcpi_pmtu = icsk->icsk_pmtu_cookie;
	info->tcpi_rcv_ssthresh = tp->rcv_ssthresh;
	info->tcpi_rtt = jiffies_to_usecs(tp->srtt) >> 3;
	info->tcpi_rttvar = jiffies_to_usecs(tp->mdev) >> 2;
	info->tcpi_snd_ssthresh = tp->snd_ssthresh;
	info->tcpi_snd_cwnd = tp->snd_cwnd;
	info->tcpi_advmss = tp->advmss;
	info->tcpi_reordering = tp->reordering;
	info->tcpi_rcv_rtt = jiffies_to_usecs(tp->rcv_rtt_est.rtt) >> 3;
	info->tcpi_rcv_space = (u32)tp->rcvq_space.space;
	info->tcpi_total_retrans = (u32)tcp_rec(tp)->total_retrans;
}

int tcp_setsockopt(struct sock *sk, int level, int optname, char *optval, unsigned int optlen)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	int val;
	int err = 0;

	if (level != SOL_TCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optname == TCP_CONGESTION) {	/* a string: name, up to 15 bytes, NUL optional */
		char name[TCP_CA_NAME_MAX];

		if (optlen < 1)
			return -EINVAL;
		if (!optval)
			return -EFAULT;
		val = (int)strnlen(optval, min_t(unsigned int, TCP_CA_NAME_MAX - 1, optlen));
		memcpy(name, optval, (size_t)val);
		name[val] = 0;
		lock_sock(sk);
		err = tcp_set_congestion_control(sk, name);
		release_sock(sk);
		return err;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (!optval)
		return -EFAULT;
	memcpy(&val, optval, sizeof(val));

	lock_sock(sk);
	switch (optname) {
	case TCP_MAXSEG:
		/* Values greater than interface MTU won't take effect. However at the point
		 * when this call is done we typically don't yet know which interface is going
		 * to be used */
		if (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW) {
			err = -EINVAL;
			break;
		}
		tp->rx_opt.user_mss = (u16)val;
		break;
	case TCP_NODELAY:
		if (val) {
			/* TCP_NODELAY is weaker than TCP_CORK, so that this option on corked
			 * socket is remembered, but it is not activated until cork is cleared.
			 * However, when TCP_NODELAY is set we make an explicit push, which
			 * overrides even TCP_CORK for currently queued segments. */
			tp->nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
			tcp_push_pending_frames(sk);
		} else {
			tp->nonagle &= ~TCP_NAGLE_OFF;
		}
		break;
	case TCP_CORK:
		/* When set indicates to always queue non-full frames. Later the user clears
		 * this option and we transmit any pending partial frames in the queue. This is
		 * meant to be used alongside sendfile() to get properly filled frames when the
		 * user (for example) must write out headers with a write() call first and then
		 * use sendfile to send out the data parts. TCP_CORK can be set together with
		 * TCP_NODELAY and it is stronger than TCP_NODELAY. */
		if (val) {
			tp->nonagle |= TCP_NAGLE_CORK;
		} else {
			tp->nonagle &= ~TCP_NAGLE_CORK;
			if (tp->nonagle & TCP_NAGLE_OFF)
				tp->nonagle |= TCP_NAGLE_PUSH;
			tcp_push_pending_frames(sk);
		}
		break;
	case TCP_QUICKACK:
		if (!val) {
			icsk->icsk_ack.pingpong = 1;
		} else {
			icsk->icsk_ack.pingpong = 0;
			if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT) &&
			    inet_csk_ack_scheduled(sk)) {
				icsk->icsk_ack.pending |= ICSK_ACK_PUSHED;
				tcp_cleanup_rbuf(sk, 1);
				if (!(val & 1))
					icsk->icsk_ack.pingpong = 1;
			}
		}
		break;
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE) {
			err = -EINVAL;
		} else {
			struct sock_rare *r = sk_rare_alloc(sk, sk->sk_allocation);

			if (!r) {
				err = -ENOMEM;
				break;
			}
			r->keepalive_time = (unsigned int)val * HZ;
			if (sock_flag(sk, SOCK_KEEPOPEN) &&
			    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))) {
				/* keepalive_time_elapsed: since the last data or ACK received. */
				u32 now = tcp_time_stamp;
				u32 elapsed = min_t(u32, now - icsk->icsk_ack.lrcvtime,
						    now - tp->rcv_tstamp);

				if (r->keepalive_time > elapsed)
					elapsed = r->keepalive_time - elapsed;
				else
					elapsed = 0;
				inet_csk_reset_keepalive_timer(sk, elapsed);
			}
		}
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			err = -EINVAL;
		else if (!sk_rare_alloc(sk, sk->sk_allocation))
			err = -ENOMEM;
		else
			sk->sk_rare->keepalive_intvl = (unsigned int)val * HZ;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			err = -EINVAL;
		else if (!sk_rare_alloc(sk, sk->sk_allocation))
			err = -ENOMEM;
		else
			sk->sk_rare->keepalive_probes = (u8)val;
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			err = -EINVAL;
		else
			icsk->icsk_syn_retries = (u8)val;
		break;
	case TCP_LINGER2: {
		int linger2;

		if (val < 0)
			linger2 = -1;
		else if (val > sysctl_tcp_fin_timeout / HZ)
			linger2 = 0;
		else
			linger2 = val * HZ;
		/* 0 is the default: no block needed for it. */
		if (!linger2 && !sk->sk_rare)
			break;
		if (!sk_rare_alloc(sk, sk->sk_allocation))
			err = -ENOMEM;
		else
			sk->sk_rare->linger2 = linger2;
		break;
	}
	case TCP_DEFER_ACCEPT: {
		/* Translate value in seconds to number of retransmits (secs_to_retrans). */
		u8 res = 0;

		if (val > 0) {
			int timeout = TCP_TIMEOUT_INIT / HZ, period = timeout;

			res = 1;
			while (res < 255 && val > period) {
				res++;
				timeout <<= 1;
				if (timeout > TCP_RTO_MAX / HZ)
					timeout = TCP_RTO_MAX / HZ;
				period += timeout;
			}
		}
		icsk->icsk_defer_accept = res;
		break;
	}
	case TCP_WINDOW_CLAMP:
		if (!val) {
			if (sk->sk_state != TCP_CLOSE) {
				err = -EINVAL;
				break;
			}
			tp->window_clamp = 0;
		} else {
			tp->window_clamp = val < SOCK_MIN_RCVBUF / 2 ? SOCK_MIN_RCVBUF / 2 : (u32)val;
		}
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else if (!val && !sk->sk_rare)
			break;	/* the default */
		else if (!sk_rare_alloc(sk, sk->sk_allocation))
			err = -ENOMEM;
		else
			sk->sk_rare->icsk_user_timeout =
				(u32)msecs_to_jiffies((unsigned int)val);
		break;
	default:
		tcp_pr_once("TCP: socket option %d not implemented in ulnet yet\n", optname);
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

int tcp_getsockopt(struct sock *sk, int level, int optname, char *optval, int *optlen)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int val, len;

	if (level != SOL_TCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (!optlen || !optval)
		return -EFAULT;
	len = *optlen;
	len = min_t(int, len, (int)sizeof(int));
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case TCP_MAXSEG:
		val = (int)tp->mss_cache;
		if (!val && ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			val = tp->rx_opt.user_mss;
		break;
	case TCP_NODELAY:
		val = !!(tp->nonagle & TCP_NAGLE_OFF);
		break;
	case TCP_CORK:
		val = !!(tp->nonagle & TCP_NAGLE_CORK);
		break;
	case TCP_QUICKACK:
		val = !icsk->icsk_ack.pingpong;
		break;
	case TCP_KEEPIDLE:
		val = keepalive_time_when(tp) / HZ;
		break;
	case TCP_KEEPINTVL:
		val = keepalive_intvl_when(tp) / HZ;
		break;
	case TCP_KEEPCNT:
		val = keepalive_probes(tp);
		break;
	case TCP_SYNCNT:
		val = icsk->icsk_syn_retries ? : sysctl_tcp_syn_retries;
		break;
	case TCP_LINGER2:
		val = tcp_linger2(tp);
		if (val >= 0)
			val = (val ? : sysctl_tcp_fin_timeout) / HZ;
		break;
	case TCP_DEFER_ACCEPT: {
		/* retrans_to_secs */
		u8 retrans = icsk->icsk_defer_accept;
		int timeout = TCP_TIMEOUT_INIT / HZ, period = 0;

		if (retrans > 0) {
			period = timeout;
			while (--retrans) {
				timeout <<= 1;
				if (timeout > TCP_RTO_MAX / HZ)
					timeout = TCP_RTO_MAX / HZ;
				period += timeout;
			}
		}
		val = period;
		break;
	}
	case TCP_WINDOW_CLAMP:
		val = (int)tp->window_clamp;
		break;
	case TCP_CONGESTION:
		len = min_t(int, *optlen, TCP_CA_NAME_MAX);
		*optlen = len;
		{
			/* With none attached (a full slot table) the name is empty: 16 zero
			 * bytes, not a read past a one-byte "". */
			static const char none[TCP_CA_NAME_MAX];

			memcpy(optval, inet_csk_ca_ops(sk) ? inet_csk_ca_ops(sk)->name : none,
			       (size_t)len);
		}
		return 0;
	case TCP_INFO: {
		struct tcp_info info;

		len = min_t(int, *optlen, (int)sizeof(info));
		tcp_get_info(sk, &info);
		*optlen = len;
		memcpy(optval, &info, (size_t)len);
		return 0;
	}
	case TCP_USER_TIMEOUT:
		val = (int)jiffies_to_msecs(inet_csk_user_timeout(sk));
		break;
	default:
		return -ENOPROTOOPT;
	}
	*optlen = len;
	memcpy(optval, &val, (size_t)len);
	return 0;
}

/* ------------------------------------------------------------------------------------------
 * Socket layer (af_inet.c's stream half). */

static long inet_wait_for_connect(struct sock *sk, long timeo, int writebias)
{
	DEFINE_WAIT(wait);

	prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	sk->sk_write_pending += writebias;

	/* Basic assumption: if someone sets sk->sk_err, he _must_ change state of the
	 * socket from TCP_SYN_*. Connect() does not allow to get error notifications
	 * without closing the socket. */
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		release_sock(sk);
		timeo = schedule_timeout(timeo);
		lock_sock(sk);
		if (signal_pending(current) || !timeo)
			break;
		prepare_to_wait(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
	}
	finish_wait(sk_sleep(sk), &wait);
	sk->sk_write_pending -= writebias;
	return timeo;
}

/* Connect to a remote host. There is regrettably still a little TCP 'magic' in here. */
int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int err;
	long timeo;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;

	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		goto out;
	}

	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		/* Fall out of switch with err, set for this state */
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
		if (err < 0)
			goto out;
		sock->state = SS_CONNECTING;
		/* Just entered SS_CONNECTING state; the only difference is that return value
		 * in non-blocking case is EINPROGRESS, rather than EALREADY. */
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		/* Error code is set above */
		if (!timeo || !inet_wait_for_connect(sk, timeo, 0))
			goto out;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
	}

	/* Connection was closed by RST, timeout, ICMP error or another process disconnected
	 * us. */
	if (sk->sk_state == TCP_CLOSE)
		goto sock_error;

	/* sk->sk_err may be not zero now, if RECVERR was ordered by user and error was
	 * received after socket entered established state. Hence, it is handled normally
	 * after connect() return successfully. */
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;

sock_error:
	err = sock_error(sk) ? : -ECONNABORTED;
	sock->state = SS_UNCONNECTED;
	if (sk->sk_prot->disconnect(sk, flags))
		sock->state = SS_DISCONNECTING;
	goto out;
}

/* Move a socket into listening state. */
int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	unsigned char old_state;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;

	old_state = sk->sk_state;
	if (!((1 << old_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		goto out;

	/* Really, if the socket is already in listen state we can only allow the backlog to
	 * be adjusted. */
	if (old_state != TCP_LISTEN) {
		err = inet_csk_listen_start(sk, backlog);
		if (err)
			goto out;
	}
	sk->sk_max_ack_backlog = (unsigned short)backlog;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Accept a pending connection. The TCP layer now gives BSD semantics. */
int inet_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk1 = sock->sk;
	int err = -EINVAL;
	struct sock *sk2 = sk1->sk_prot->accept(sk1, flags, &err);

	if (!sk2)
		goto do_err;
	lock_sock(sk2);
	WARN_ON(!((1 << sk2->sk_state) &
		  (TCPF_ESTABLISHED | TCPF_SYN_RECV | TCPF_CLOSE_WAIT | TCPF_CLOSE)));
	sock_graft(sk2, newsock);
	newsock->state = SS_CONNECTED;
	err = 0;
	release_sock(sk2);
do_err:
	return err;
}

static int inet_stream_getname(struct socket *sock, struct sockaddr *uaddr, int *uaddr_len,
			       int peer)
{
	return inet_getname(sock, uaddr, uaddr_len, peer);
}

const struct proto_ops inet_stream_ops = {
	.family = PF_INET,
	.release = inet_release,
	.bind = inet_bind,
	.connect = inet_stream_connect,
	.socketpair = sock_no_socketpair,
	.accept = inet_accept,
	.getname = inet_stream_getname,
	.poll = tcp_poll,
	.ioctl = inet_ioctl,
	.listen = inet_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
	.sendpage = inet_sendpage,
};

/* ------------------------------------------------------------------------------------------
 * Boot. */

#define TCP_SYSCTL_INT(name, var, handler)                                                \
	{ .procname = name, .data = &var, .maxlen = sizeof(int), .mode = 0644,             \
	  .proc_handler = handler }

/* tcp_early_retrans: 0..4 as 3.10 (facts.md §1.2). */
static int tcp_early_retrans_min;
static int tcp_early_retrans_max = 4;

static struct ctl_table tcp_sysctl_table[] = {
	TCP_SYSCTL_INT("tcp_timestamps", sysctl_tcp_timestamps, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_window_scaling", sysctl_tcp_window_scaling, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_sack", sysctl_tcp_sack, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_syn_retries", sysctl_tcp_syn_retries, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_synack_retries", sysctl_tcp_synack_retries, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_retries1", sysctl_tcp_retries1, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_retries2", sysctl_tcp_retries2, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_orphan_retries", sysctl_tcp_orphan_retries, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_fin_timeout", sysctl_tcp_fin_timeout, proc_dointvec_jiffies),
	TCP_SYSCTL_INT("tcp_keepalive_time", sysctl_tcp_keepalive_time, proc_dointvec_jiffies),
	TCP_SYSCTL_INT("tcp_keepalive_probes", sysctl_tcp_keepalive_probes, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_keepalive_intvl", sysctl_tcp_keepalive_intvl, proc_dointvec_jiffies),
	TCP_SYSCTL_INT("tcp_syncookies", sysctl_tcp_syncookies, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_tw_reuse", sysctl_tcp_tw_reuse, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_abort_on_overflow", sysctl_tcp_abort_on_overflow, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_max_orphans", sysctl_tcp_max_orphans, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_max_syn_backlog", sysctl_max_syn_backlog, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_max_tw_buckets", tcp_death_row.sysctl_max_tw_buckets, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_challenge_ack_limit", sysctl_tcp_challenge_ack_limit, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_adv_win_scale", sysctl_tcp_adv_win_scale, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_reordering", sysctl_tcp_reordering, proc_dointvec_minmax),
	{ .procname = "tcp_early_retrans", .data = &sysctl_tcp_early_retrans,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = &tcp_early_retrans_min, .extra2 = &tcp_early_retrans_max },
	TCP_SYSCTL_INT("tcp_frto", sysctl_tcp_frto, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_low_latency", sysctl_tcp_low_latency, proc_dointvec),
	TCP_SYSCTL_INT("tcp_base_mss", sysctl_tcp_base_mss, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_workaround_signed_windows", sysctl_tcp_workaround_signed_windows, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_slow_start_after_idle", sysctl_tcp_slow_start_after_idle, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_app_win", sysctl_tcp_app_win, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_moderate_rcvbuf", sysctl_tcp_moderate_rcvbuf, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_dsack", sysctl_tcp_dsack, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_fack", sysctl_tcp_fack, proc_dointvec_minmax),
	TCP_SYSCTL_INT("tcp_stdurg", sysctl_tcp_stdurg, proc_dointvec_minmax),
	{ .procname = "tcp_mem", .data = &sysctl_tcp_mem, .maxlen = sizeof(sysctl_tcp_mem),
	  .mode = 0644, .proc_handler = proc_doulongvec_minmax },
	{ .procname = "tcp_wmem", .data = &sysctl_tcp_wmem, .maxlen = sizeof(sysctl_tcp_wmem),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax },
	{ .procname = "tcp_rmem", .data = &sysctl_tcp_rmem, .maxlen = sizeof(sysctl_tcp_rmem),
	  .mode = 0644, .proc_handler = proc_dointvec_minmax },
	{}
};

/* facts.md §1.3 with UL_NR_FREE_BUFFER_PAGES (8 GiB): 65536 established buckets, 65536
 * bind buckets, tcp_max_tw_buckets = tcp_max_orphans = 32768, tcp_max_syn_backlog 256. */
#define TCP_EHASH_ENTRIES	65536U
#define TCP_BHASH_ENTRIES	65536U

/* tcp_sk_exit_batch: a namespace going away takes its TIME_WAIT socks with it. */
static void tcp_sk_exit(struct net *net)
{
	inet_twsk_purge(&tcp_hashinfo, &tcp_death_row, net);
}

static struct pernet_operations tcp_sk_ops = {
	.exit = tcp_sk_exit,
};

int tcp_init(void)
{
	unsigned long limit;
	unsigned int cnt = TCP_EHASH_ENTRIES;
	int err, max_rshare, max_wshare;

	err = inet_hashinfo_init(&tcp_hashinfo, TCP_EHASH_ENTRIES, TCP_BHASH_ENTRIES);
	if (err)
		return err;
	build_ehash_secret();
	init_syncookies();

	tcp_death_row.sysctl_max_tw_buckets = (int)(cnt / 2);
	sysctl_tcp_max_orphans = (int)(cnt / 2);
	sysctl_max_syn_backlog = (int)max(128U, cnt / 256);

	/* tcp_init_mem */
	limit = max(UL_NR_FREE_BUFFER_PAGES / 8, 128UL);
	sysctl_tcp_mem[0] = (long)(limit / 4 * 3);
	sysctl_tcp_mem[1] = (long)limit;
	sysctl_tcp_mem[2] = sysctl_tcp_mem[0] * 2;

	/* Set per-socket limits to no more than 1/128 the pressure threshold */
	limit = UL_NR_FREE_BUFFER_PAGES << (12 - 7);
	max_wshare = (int)min(4UL * 1024 * 1024, limit);
	max_rshare = (int)min(6UL * 1024 * 1024, limit);
	sysctl_tcp_wmem[0] = SK_MEM_QUANTUM;
	sysctl_tcp_wmem[1] = 16 * 1024;
	sysctl_tcp_wmem[2] = max(64 * 1024, max_wshare);
	sysctl_tcp_rmem[0] = SK_MEM_QUANTUM;
	sysctl_tcp_rmem[1] = 87380;
	sysctl_tcp_rmem[2] = max(87380, max_rshare);
	atomic_long_set(&tcp_memory_allocated, 0);
	atomic_long_set(&tcp_sockets_allocated, 0);
	atomic_long_set(&tcp_orphan_count, 0);

	/* (Registered once per stack: sysctl_fini forgets every table at teardown.) */
	if (register_sysctl_table_path("net/ipv4", tcp_sysctl_table))
		pr_err("tcp_init: cannot register the tcp_* sysctls\n");
	tcp_cong_init();
	if (tcp4_proc_init())
		pr_err("tcp_init: cannot create /proc/net/tcp\n");
	if (register_pernet_subsys(&tcp_sk_ops))
		pr_err("tcp_init: cannot register the TIME_WAIT purge\n");
	return 0;
}

void tcp_fini(void)
{
	unregister_pernet_subsys(&tcp_sk_ops);
	inet_twsk_purge(&tcp_hashinfo, &tcp_death_row, NULL);
	tcp4_proc_exit();
	inet_hashinfo_fini(&tcp_hashinfo);
}
