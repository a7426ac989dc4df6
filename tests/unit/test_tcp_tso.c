/* SPDX-License-Identifier: MIT */
/* TCP segmentation offload on the send side: skbs up to the size goal, counted in MSS
 * (tcp_skb_pcount), segmented by the device (TSO) or in software (GSO), over lo, veth and
 * the simulated igb pair; loss with SACK and NewReno on TSO skbs. Virtual time.
 * Mirrors the behaviour of linux/net/ipv4/tcp_output.c (3.10): tcp_xmit_size_goal,
 * tcp_set_skb_tso_segs, tcp_tso_should_defer, tcp_mss_split_point, tso_fragment;
 * tcp_input.c: tcp_tso_acked, tcp_match_skb_to_sack; net/core/dev.c: dev_hard_start_xmit's
 * GSO step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_bulk_testutil.h"
#include "tcp_wire_testutil.h"
#include "harness.h"
#include "hw_test_util.h"
#include "net_testutil.h"
#include "linux/in.h"
#include "linux/sched.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "ulnet/lab.h"
#include "ulnet/socket.h"

#define MS (1000ULL * 1000ULL)
#define MIB (1024 * 1024)

static struct net *tnet;

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

/* ---- a tap on one device: frames handed to the driver, the largest one ---- */

static struct {
	struct net_device *dev;
	unsigned long frames;
	unsigned int max_len;
	unsigned long gso_frames;
} tap;

static int tap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig_dev)
{
	(void)pt;
	(void)orig_dev;
	if (dev == tap.dev && skb->pkt_type == PACKET_OUTGOING) {
		tap.frames++;
		if (skb->len > tap.max_len)
			tap.max_len = skb->len;
		if (skb_is_gso(skb))
			tap.gso_frames++;
	}
	kfree_skb(skb);
	return 0;
}

static struct packet_type tap_pt = {
	.func = tap_rcv,
	.ul_func_name = "tso_tap",
};

static void tap_on(struct net_device *dev)
{
	memset(&tap, 0, sizeof(tap));
	tap.dev = dev;
	tap_pt.dev = dev;
	tap_pt.type = htons(ETH_P_ALL);
	dev_add_pack(&tap_pt);
}

static void tap_off(void)
{
	dev_remove_pack(&tap_pt);
	tap.dev = NULL;
}

/* ---- bulk transfer with blocking tasks ---- */

struct bulk {
	const char *srv_ip;
	int port;
	size_t total;
	int ready;
	size_t received;
	int bad_bytes;
	int eof;
	int chunk;
	unsigned int size_goal_segs;	/* the sender's xmit_size_goal_segs at the end */
	unsigned int gso_max_size;
};

static int bulk_server(void *arg)
{
	struct bulk *b = arg;
	unsigned char *buf;
	int lfd, fd;

	fd = bulk_accept_one(b->srv_ip, b->port, 0, &b->ready, &lfd, NULL, &buf);
	if (fd < 0)
		return -fd;
	/* A failed recv ends the loop: the counts tell. */
	(void)bulk_recv_close(fd, lfd, buf, &b->received, &b->bad_bytes, &b->eof);
	return 0;
}

static int bulk_client(void *arg)
{
	struct bulk *b = arg;
	unsigned char *buf;
	size_t sent = 0;
	int fd;

	fd = bulk_connect_buf(b->srv_ip, b->port, &b->ready, 0, (size_t)b->chunk, &buf);
	if (fd < 0)
		return -fd;
	if (bulk_send_all(fd, buf, (size_t)b->chunk, b->total, &sent)) {
		free(buf);
		ul_close(fd);
		return 21;
	}
	free(buf);
	b->size_goal_segs = tcp_sk(sk_of(fd))->xmit_size_goal_segs;
	b->gso_max_size = sk_of(fd)->sk_gso_max_size;
	ul_close(fd);
	return 0;
}

static void run_bulk(const char *cli_ns, const char *srv_ns, struct bulk *b)
{
	bulk_run_tasks(cli_ns, srv_ns, bulk_server, bulk_client, b);
	bulk_assert_intact(b->total, b->received, b->bad_bytes, b->eof);
}

/* ---- lo ---- */

/* lo has TSO (3.10's loopback features): the sender builds skbs of the size goal and lo
 * carries them whole; OUTSEGS still counts segments of the MSS. */
static void test_lo_size_goal(void **state)
{
	struct bulk b = { .srv_ip = "127.0.0.1", .port = 5001, .total = MIB, .chunk = 65536 };
	struct net_device *lo = __dev_get_by_name(tnet, "lo");
	unsigned long segs0 = tcp_mib_read(tnet, TCP_MIB_OUTSEGS);
	unsigned long segs;

	(void)state;
	assert_non_null(lo);
	tap_on(lo);
	run_bulk("t", "t", &b);
	tap_off();
	segs = tcp_mib_read(tnet, TCP_MIB_OUTSEGS) - segs0;
	/* lo's MTU 65536: the MSS (65484, cut to half the peer's window by tcp_sync_mss) is
	 * at least the size goal (64 KiB - headers, half the window): one segment per skb,
	 * big frames, nothing for GSO to do; OUTSEGS (both ends: lo carries both) counts
	 * each frame once. */
	assert_int_equal(tcp_mib_read(tnet, TCP_MIB_RETRANSSEGS), 0);
	assert_int_equal(b.size_goal_segs, 1);
	assert_int_equal(tap.gso_frames, 0);
	assert_int_equal(tap.frames, segs);
	assert_true(tap.max_len > 32768);
	assert_true(tap.frames < 100);
}

/* ---- veth ---- */

/* @tso: ethtool -K's words for veth0 ("tso off"). */
static void veth_up(const char *tso)
{
	bulk_veth_up("10.1.0", tso);
}

static void veth_down(void)
{
	bulk_veth_down(100 * MS);
}

static void veth_bulk(const char *tso, struct bulk *b, unsigned long *outsegs)
{
	struct net *na;
	unsigned long segs0;

	veth_up(tso);
	na = ul_net_by_name("a");
	segs0 = tcp_mib_read(na, TCP_MIB_OUTSEGS);
	tap_on(__dev_get_by_name(na, "veth0"));
	run_bulk("a", "b", b);
	tap_off();
	*outsegs = tcp_mib_read(na, TCP_MIB_OUTSEGS) - segs0;
}

static void test_veth_tso_on(void **state)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB, .chunk = 65536 };
	unsigned long segs;

	(void)state;
	veth_bulk("tso on", &b, &segs);
	assert_int_equal(tcp_mib_read(ul_net_by_name("a"), TCP_MIB_RETRANSSEGS), 0);
	/* veth has TSO: skbs of several MSS (the goal: half the peer's window at most) go to
	 * the peer whole; OUTSEGS counts segments (1 MiB / 1448 = 725 at least), the device
	 * sees several times fewer frames. */
	assert_true(b.size_goal_segs > 1);
	assert_true(segs >= 725);
	assert_true(tap.gso_frames > 0);
	assert_true(tap.max_len > 1514);
	assert_true(tap.max_len <= 14 + 65535);
	assert_true(tap.frames * 4 < segs);
	veth_down();
}

static void test_veth_tso_off(void **state)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB, .chunk = 65536 };
	unsigned long segs;

	(void)state;
	/* Without the prequeue (tcp_low_latency 1): with it, the 64 KiB reader copies the
	 * segments itself, and the ACKs it sends are processed (by the sender's socket, which
	 * then sends more) when tcp_copy_to_iovec turns bottom halves back on, so one
	 * release_sock drains a stream of MSS frames whose truesize sk_backlog.len adds up
	 * until the end (as 3.10's __release_sock): past sk_rcvbuf + sk_sndbuf they are
	 * dropped (TCPBacklogDrop) and retransmitted. What is tested here is the framing. */
	assert_int_equal(ul_sysctl_set("t", "net.ipv4.tcp_low_latency", "1"), 0);
	veth_bulk("tso off", &b, &segs);
	assert_int_equal(ul_sysctl_set("t", "net.ipv4.tcp_low_latency", "0"), 0);
	assert_int_equal(tcp_mib_read(ul_net_by_name("a"), TCP_MIB_RETRANSSEGS), 0);
	/* ethtool -K veth0 tso off: TCP still builds big skbs (GSO is on), and
	 * dev_hard_start_xmit segments them in software: only frames of at most the MTU
	 * reach the driver, one per segment. */
	assert_true(b.size_goal_segs > 1);
	assert_true(b.gso_max_size == 65536);
	assert_true(segs >= 725);
	assert_int_equal(tap.gso_frames, 0);
	assert_int_equal(tap.max_len, 1514);
	assert_true(tap.frames >= segs);
	veth_down();
}

/* ethtool -K veth0 tso off gso off: the route cannot segment (sk_can_gso is false,
 * sk_setup_caps), so TCP builds one-MSS skbs (the size goal stays one MSS) and nothing is
 * segmented on the way. */
static void test_veth_gso_off(void **state)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB, .chunk = 65536 };
	unsigned long segs;

	(void)state;
	veth_bulk("tso off gso off", &b, &segs);
	assert_int_equal(b.gso_max_size, 0);
	assert_int_equal(b.size_goal_segs, 0);	/* never computed */
	assert_true(segs >= 725);
	assert_int_equal(tap.gso_frames, 0);
	assert_int_equal(tap.max_len, 1514);
	assert_true(tap.frames >= segs);
	veth_down();
}

/* 5% netem loss on a's veth0 with TSO on: whole GSO skbs are dropped (netem sees the
 * super packet, as 3.10), partial ACKs trim TSO skbs (tcp_tso_acked), retransmissions go
 * in MSS pieces; with SACK the blocks split TSO skbs (tcp_match_skb_to_sack); byte-exact,
 * no reset, SACK or NewReno recovery as configured. */
static void veth_loss(const char *tso, int sack)
{
	struct bulk b = { .srv_ip = "10.1.0.2", .port = 80, .total = MIB / 2, .chunk = 32768 };
	struct net *na;
	unsigned long segs;

	if (!sack)
		assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_sack", "0"), 0);
	veth_up(tso);
	na = ul_net_by_name("a");
	assert_int_equal(run_cmd("a", "tc qdisc add dev veth0 root netem loss 5% seed 42"), 0);
	tap_on(__dev_get_by_name(na, "veth0"));
	run_bulk("a", "b", &b);
	tap_off();
	assert_int_equal(ul_sysctl_set(NULL, "net.ipv4.tcp_sack", "1"), 0);
	segs = tcp_mib_read(na, TCP_MIB_OUTSEGS);
	/* The last ACK or FIN may have been lost: let the closes finish without loss. */
	assert_int_equal(run_cmd("a", "tc qdisc del dev veth0 root"), 0);
	ul_run_for(2000 * MS);
	assert_true(segs >= 363);	/* 512 KiB / 1448 */
	assert_true(tcp_mib_read(na, TCP_MIB_RETRANSSEGS) > 0);
	assert_true(tcp_netstat_read(na, sack ? LINUX_MIB_TCPSACKRECOVERY :
					  LINUX_MIB_TCPRENORECOVERY) > 0);
	assert_int_equal(tcp_mib_read(na, TCP_MIB_OUTRSTS), 0);
	assert_int_equal(tcp_mib_read(ul_net_by_name("b"), TCP_MIB_OUTRSTS), 0);
	if (!strcmp(tso, "tso on"))
		assert_true(tap.gso_frames > 0);
	else
		assert_int_equal(tap.gso_frames, 0);
	veth_down();
}

static void test_veth_loss_sack(void **state)
{
	(void)state;
	veth_loss("tso on", 1);
}

static void test_veth_loss_newreno(void **state)
{
	(void)state;
	veth_loss("tso on", 0);
}

static void test_veth_loss_gso_sack(void **state)
{
	(void)state;
	veth_loss("tso off", 1);
}

/* ---- the simulated igb pair: hardware TSO (the NIC cuts the frames) or software GSO ---- */

static unsigned long igb_retrans;

static void igb_pair_bulk(const char *tso, u32 loss_ppm, struct hw_nic_stats *tx,
			  struct hw_nic_stats *rx)
{
	struct bulk b = { .srv_ip = "10.2.0.2", .port = 80, .total = MIB / 2, .chunk = 65536 };
	struct hw_impair imp = { .delay_ns = 20000, .loss_ppm = loss_ppm, .seed = 5 };
	struct net_device *da;
	char line[128];

	da = wire_pair_up("10.2.0", &imp, NULL);
	snprintf(line, sizeof(line), "ethtool -K eth0 tso %s", tso);
	assert_int_equal(run_cmd("a", line), 0);
	assert_int_equal(!!(da->features & NETIF_F_TSO), !strcmp(tso, "on"));
	tap_on(da);
	run_bulk("a", "b", &b);
	tap_off();
	ul_run_for(2000 * MS);
	hw_nic_get_stats(hw_nic_of(da), tx);
	hw_nic_get_stats(hw_nic_of(__dev_get_by_name(ul_net_by_name("b"), "eth0")), rx);
	/* Never a frame over the MTU on the wire: the peer counts no length error and at
	 * least one frame per MSS of data (512 KiB / 1448 = 363). */
	assert_int_equal(rx->rlec, 0);
	assert_true(rx->gprc >= 363);
	assert_int_equal(tcp_mib_read(ul_net_by_name("a"), TCP_MIB_OUTRSTS), 0);
	igb_retrans = tcp_mib_read(ul_net_by_name("a"), TCP_MIB_RETRANSSEGS);
	wire_pair_down();
}

static void test_igb_tso_on(void **state)
{
	struct hw_nic_stats tx, rx;

	(void)state;
	igb_pair_bulk("on", 0, &tx, &rx);
	/* The driver got TSO skbs, the NIC cut them (one context each). */
	assert_true(tap.gso_frames > 0);
	assert_true(tap.max_len > 1514);
	assert_true(tx.tsctc > 0);
	assert_true(tx.tx_segs > tx.tsctc);
	assert_true(tap.frames * 3 < tx.gptc);
}

static void test_igb_tso_off(void **state)
{
	struct hw_nic_stats tx, rx;

	(void)state;
	igb_pair_bulk("off", 0, &tx, &rx);
	/* Software GSO before the driver: only MTU-sized frames reach it. */
	assert_int_equal(tap.gso_frames, 0);
	assert_true(tap.max_len <= 1514);
	assert_int_equal(tx.tsctc, 0);
}

static void test_igb_tso_loss(void **state)
{
	struct hw_nic_stats tx, rx;

	(void)state;
	igb_pair_bulk("on", 20000, &tx, &rx);	/* 2% of the wire's frames lost */
	assert_true(tx.wire_lost > 0);
	assert_true(igb_retrans > 0);
	assert_true(tap.gso_frames > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lo_size_goal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_tso_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_tso_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_gso_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_loss_sack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_loss_newreno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_veth_loss_gso_sack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_igb_tso_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_igb_tso_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_igb_tso_loss, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
