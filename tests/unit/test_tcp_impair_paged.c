/* SPDX-License-Identifier: MIT */
/* Retransmissions of paged skbs: bulk transfers over a lossy wire between two simulated igb
 * NICs, with each shape of send-queue skb the sender can build, and no kernel warning.
 * The sender's skbs are: paged TSO skbs (tcp_sendmsg into sk_frag pages; the default
 * offloads), head-less skbs of page references (sendfile from a memory file: tcp_sendpage),
 * linear skbs (scatter-gather off), paged skbs without TSO (GSO off), and paged TSO skbs
 * cut again after the device's MTU drops in the middle of the transfer (tcp_current_mss
 * follows the route's MTU, tcp_sync_mss: queued skbs are longer than the new MSS and are
 * split when retransmitted). Loss, reordering and duplication
 * make TCP split them (tcp_fragment, tso_fragment: skb_split or the linear copy with
 * skb_trim) and trim their acked heads (tcp_trim_head: __pskb_trim_head). Each run must
 * deliver the bytes exact and print no "WARNING at" line: the kernel log is captured
 * (printk_init), so a helper that warns on a nonlinear skb (__skb_trim, skb_split,
 * __pskb_trim_head) fails the test instead of scrolling by.
 * Mirrors the behaviour of linux/net/ipv4/tcp_output.c (3.10): tcp_fragment, tso_fragment,
 * tcp_trim_head, __tcp_retransmit_skb on skbs with page frags. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "init/boot.h"
#include "net_testutil.h"
#include "hw_test_util.h"
#include "tcp_bulk_testutil.h"
#include "tcp_wire_testutil.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define PAGED_TOTAL	(4u << 20)
#define PAGED_CHUNK	65536

static struct net *tnet;
static FILE *klog;		/* the kernel log of the running test */
static char *klog_buf;
static size_t klog_len;

struct paged_run {
	const char *offload;	/* ethtool -K of the sender's NIC before the transfer, or NULL */
	const char *mid;	/* a command in the sender's namespace once connected, or NULL */
	int sendfile;		/* send from a memory file (tcp_sendpage) instead of ul_send */
	size_t total, sent, received;
	int bad, eof, tx_err, ready;
};

static int receiver(void *arg)
{
	struct paged_run *r = arg;

	return bulk_serve_one("10.9.0.2", 80, &r->ready, &r->received, &r->bad, &r->eof);
}

/* The pattern into a memory file, then sendfile of all of it. 0 or -1 (errno). */
static int send_file(int fd, struct paged_run *r, unsigned char *buf)
{
	int mfd = ul_memfd_create("paged", 0);
	off_t off = 0;
	size_t n;
	int guard = 0;

	if (mfd < 0)
		return -1;
	for (n = 0; n < r->total; n += PAGED_CHUNK) {
		size_t k = r->total - n < PAGED_CHUNK ? r->total - n : PAGED_CHUNK;

		bulk_fill(buf, n, k);
		if (ul_write(mfd, buf, k) != (ssize_t)k) {
			ul_close(mfd);
			return -1;
		}
	}
	while (r->sent < r->total && ++guard < 100000) {
		ssize_t w = ul_sendfile(fd, mfd, &off, r->total - r->sent);

		if (w <= 0)
			break;
		r->sent += (size_t)w;
	}
	ul_close(mfd);
	return r->sent == r->total ? 0 : -1;
}

static int sender(void *arg)
{
	struct paged_run *r = arg;
	unsigned char *buf;
	int fd;

	fd = bulk_connect_buf("10.9.0.2", 80, &r->ready, 0, PAGED_CHUNK, &buf);
	if (fd < 0) {
		r->tx_err = errno;
		return -fd;
	}
	if (r->mid && run_cmd("a", r->mid))
		r->tx_err = EINVAL;
	if (r->sendfile) {
		if (send_file(fd, r, buf))
			r->tx_err = errno ? errno : EIO;
	} else {
		if (bulk_send_all(fd, buf, PAGED_CHUNK, r->total, &r->sent))
			r->tx_err = errno;
	}
	free(buf);
	ul_close(fd);
	return 0;
}

static int setup(void **state)
{
	int err = ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);

	if (err)
		return err;
	klog_buf = NULL;
	klog_len = 0;
	klog = open_memstream(&klog_buf, &klog_len);
	if (!klog)
		return -1;
	printk_init(klog);
	return 0;
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	printk_init(NULL);
	if (klog)
		fclose(klog);
	free(klog_buf);
	klog = NULL;
	klog_buf = NULL;
	tnet = NULL;
	return err;
}

/* The kernel log so far has no "WARNING at" line (printed with it on failure). */
static void assert_no_kernel_warning(void)
{
	const char *w;

	fflush(klog);
	w = klog_buf ? strstr(klog_buf, "WARNING at") : NULL;
	if (w) {
		const char *end = strchr(w, '\n');

		print_message("kernel warning: %.*s\n", end ? (int)(end - w) : 200, w);
	}
	assert_null(w);
}

static void paged_run(struct paged_run *r)
{
	struct hw_impair imp = { .delay_ns = 1000000, .loss_ppm = 30000, .reorder_ppm = 10000,
				 .duplicate_ppm = 10000, .seed = 3310 };
	struct net *na;

	r->total = PAGED_TOTAL;
	wire_pair_up("10.9.0", &imp, r->offload);
	na = ul_net_by_name("a");

	bulk_run_tasks("a", "b", receiver, sender, r);

	assert_int_equal(r->tx_err, 0);
	assert_int_equal(r->sent, r->total);
	bulk_assert_intact(r->total, r->received, r->bad, r->eof);
	/* The loss made the sender retransmit: the paths under test ran. */
	print_message("%zu bytes, %lu segments retransmitted\n", r->received,
		      tcp_mib_read(na, TCP_MIB_RETRANSSEGS));
	assert_true(tcp_mib_read(na, TCP_MIB_RETRANSSEGS) > 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_OUTRSTS), 0);
	ul_run_for(3 * SEC);	/* the close handshake */
	assert_no_kernel_warning();
	wire_pair_down();
}

/* A test of paged_run with the struct paged_run initializer @...: the settings differ,
 * the transfer and its checks do not. */
#define PAGED_TEST(name, ...)					\
	static void name(void **state)				\
	{							\
		struct paged_run r = { __VA_ARGS__ };		\
								\
		(void)state;					\
		paged_run(&r);					\
	}

/* Default offloads (TSO, SG): 64 KiB skbs of sk_frag pages, split by tso_fragment. */
PAGED_TEST(test_paged_tso, 0)

/* sendfile: skbs with an empty head and page references only. */
PAGED_TEST(test_paged_sendfile, .sendfile = 1)

/* No scatter-gather: linear skbs, which tcp_fragment cuts by copy and skb_trim. */
PAGED_TEST(test_linear_sg_off, .offload = "sg off")

/* SG without TSO or GSO: MSS-sized skbs, paged. */
PAGED_TEST(test_paged_no_gso, .offload = "tso off gso off")

/* The device's MTU drops under the connection: the MSS follows (tcp_sync_mss) and the
 * queued paged skbs are cut again to it. */
PAGED_TEST(test_paged_mtu_drop, .mid = "ip link set eth0 mtu 1280")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paged_tso, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paged_sendfile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linear_sg_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paged_no_gso, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paged_mtu_drop, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
