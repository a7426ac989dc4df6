/* SPDX-License-Identifier: MIT */
/* TCP under seeded impairment on virtual time (issue #5): a bulk transfer between two
 * simulated igb NICs on a wire that loses 5% of the frames, reorders 1%, duplicates 1% and
 * corrupts 0.1% (seeded, both directions). The receiver checks every byte against the
 * sender's pattern (tcp_bulk_testutil.h); the run must end with the data exact, the peer's
 * FIN read, no reset on either side, retransmissions counted by the sender and checksum errors
 * counted by the receiver (InErrs and InCsumErrors move together, as 3.10's tcp_v4_rcv
 * counts a bad checksum).
 * 64 MiB, as the issue asks (about 5 s under the sanitizers; the counts are the same in
 * every build: the run is deterministic for its seeds).
 * The corruption is on the wire, after the sender's checksum, where a NIC or TCP catches it.
 * A veth pair would not do: 3.10's veth_xmit marks a CHECKSUM_NONE skb CHECKSUM_UNNECESSARY,
 * so a byte netem flips after computing the checksum reaches the socket unnoticed (fixed in
 * Linux 4.6); ulnet's veth does the same, faithfully.
 * Mirrors the behaviour of linux/net/ipv4/tcp_input.c and tcp_output.c (3.10) under loss,
 * reordering, duplication (D-SACK) and corruption. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "net_testutil.h"
#include "hw_test_util.h"
#include "tcp_bulk_testutil.h"
#include "tcp_wire_testutil.h"
#include "net/tcp.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define SEC (1000ULL * MS)
#define IMPAIR_TOTAL	(64u << 20)
#define IMPAIR_CHUNK	65536	/* bulk_recv_all reads 64 KiB at a time */

static struct net *tnet;

struct impair {
	size_t total, sent, received;
	int bad, eof, tx_err, rx_err, ready;
};

static int receiver(void *arg)
{
	struct impair *im = arg;

	return bulk_serve_one_state("10.9.0.2", 80, 1, &im->ready, &im->received, &im->bad,
				    &im->eof, &im->rx_err, NULL);
}

static int sender(void *arg)
{
	struct impair *im = arg;

	return bulk_send_one("10.9.0.2", 80, &im->ready, IMPAIR_CHUNK, im->total, &im->sent,
			     &im->tx_err);
}

static int setup(void **state)
{
	return ul_test_setup_netns(state, ul_test_setup_sim, "t", &tnet);
}

static int teardown(void **state)
{
	int err = ul_test_teardown_netns_after(state, "t", 10 * MS);

	tnet = NULL;
	return err;
}

static void test_impaired_bulk(void **state)
{
	struct impair im = { .total = IMPAIR_TOTAL };
	struct net *na, *nb;
	unsigned long csum_b, inerrs_b;

	(void)state;
	struct hw_impair imp = { .delay_ns = 1000000, .loss_ppm = 50000, .reorder_ppm = 10000,
				 .duplicate_ppm = 10000, .corrupt_ppm = 1000, .seed = 2026 };

	wire_pair_up("10.9.0", &imp, NULL);
	na = ul_net_by_name("a");
	nb = ul_net_by_name("b");

	bulk_run_tasks("a", "b", receiver, sender, &im);

	assert_int_equal(im.tx_err, 0);
	assert_int_equal(im.rx_err, 0);
	assert_int_equal(im.sent, im.total);
	/* im.bad: bytes that differ from the sender's pattern. */
	bulk_assert_intact(im.total, im.received, im.bad, im.eof);
	/* Repaired by retransmission, never by a reset. */
	assert_true(tcp_mib_read(na, TCP_MIB_RETRANSSEGS) > 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(tcp_mib_read(nb, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_ESTABRESETS), 0);
	/* Corrupted segments were caught by the checksum at the receiver. */
	csum_b = tcp_mib_read(nb, TCP_MIB_CSUMERRORS);
	inerrs_b = tcp_mib_read(nb, TCP_MIB_INERRS);
	assert_true(csum_b > 0);
	assert_true(inerrs_b >= csum_b);
	print_message("sent %zu, retransmitted %lu, checksum errors %lu, InErrs %lu, D-SACKs %lu\n",
		      im.sent, tcp_mib_read(na, TCP_MIB_RETRANSSEGS), csum_b, inerrs_b,
		      tcp_netstat_read(na, LINUX_MIB_TCPDSACKRECV));
	/* Duplicates reached the receiver and were reported as D-SACKs. */
	assert_true(tcp_netstat_read(na, LINUX_MIB_TCPDSACKRECV) > 0);

	ul_run_for(3 * SEC);	/* the close handshake, lost segments included */
	wire_pair_down();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_impaired_bulk, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
