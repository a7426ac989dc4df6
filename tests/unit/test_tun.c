/* SPDX-License-Identifier: MIT */
/* The TAP driver: refused on the sim runtime; on posix (root, /dev/net/tun and ip(8)
 * needed, skipped otherwise) a TAP made in a kernel network namespace of the test's own
 * exchanges frames with a raw AF_PACKET socket of the kernel side, both ways: the kernel's
 * frame goes through the reader thread, the device's interrupt and NAPI poll to a protocol
 * handler; the stack's frame goes out through the qdisc and tun_net_xmit; the same with
 * IFF_VNET_HDR (offloads: tests/scripts/tap_offload.sh moves TSO/GSO traffic). With the
 * header, received frames are split into a 256-byte head and page frags that consecutive
 * frames share; a burst larger than the TX ring goes out whole and in order. */
#define _GNU_SOURCE	/* setns */
#include <errno.h>
#include <fcntl.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "linux/etherdevice.h"
#include "linux/if_tun.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"
#include "ulnet/tap.h"

/* <net/if.h> would clash with the stack's IFF_* macros. */
extern unsigned int if_nametoindex(const char *ifname);

#define ETH_P_TEST 0x88B5
#define PAYLOAD 64
#define TAP_NAME "ultap0"

/* The kernel namespace of the posix test, removed by tun_teardown even after a failure. */
static char test_ns[64];
static int test_oldns = -1;

static int rx_calls;		/* atomic: set from the softirq (ksoftirqd thread) */
static u8 rx_first_byte;
static int rx_ifindex;

/* The split test's frames (first payload byte 0xC0 + i): their shape, and whether the
 * payload came through intact. Written by the softirq before rx_split_calls. */
#define SPLIT_FRAMES 3
static int rx_split_calls;	/* atomic */
static struct {
	unsigned int len, headlen, data_len, truesize;
	int nr_frags;
	const void *page0;	/* compared, never dereferenced */
	unsigned int off0;
	bool intact;
} rx_split[SPLIT_FRAMES];

static u8 split_byte(int frame, unsigned int i)
{
	return i ? (u8)(frame * 7 + i * 13) : (u8)(0xC0 + frame);
}

static int test_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	if (skb->len >= 1 && skb->data[0] == 0xA5) {
		rx_first_byte = skb->data[0];
		rx_ifindex = dev->ifindex;
		__atomic_add_fetch(&rx_calls, 1, __ATOMIC_SEQ_CST);
	} else if (skb->len >= 1 && skb->data[0] >= 0xC0 && skb->data[0] < 0xC0 + SPLIT_FRAMES) {
		int f = skb->data[0] - 0xC0;
		static u8 buf[2048];
		unsigned int i;

		rx_split[f].len = skb->len;
		rx_split[f].headlen = skb_headlen(skb);
		rx_split[f].data_len = skb->data_len;
		rx_split[f].truesize = skb->truesize;
		rx_split[f].nr_frags = skb_shinfo(skb)->nr_frags;
		if (skb_shinfo(skb)->nr_frags) {
			rx_split[f].page0 = skb_frag_page(&skb_shinfo(skb)->frags[0]);
			rx_split[f].off0 = skb_shinfo(skb)->frags[0].page_offset;
		}
		rx_split[f].intact = skb->len <= sizeof(buf) &&
				     !skb_copy_bits(skb, 0, buf, (int)skb->len);
		for (i = 0; rx_split[f].intact && i < skb->len; i++)
			rx_split[f].intact = buf[i] == split_byte(f, i);
		__atomic_add_fetch(&rx_split_calls, 1, __ATOMIC_SEQ_CST);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type test_pt = {
	.type = htons_c(ETH_P_TEST),
	.func = test_rcv,
	.ul_func_name = "test_rcv",
};

static void test_tun_sim_refused(void **state)
{
	struct tun_attach_params p = { .tap_name = TAP_NAME, .cpu = -1 };
	struct net_device *dev = NULL;

	(void)state;
	assert_int_equal(tun_attach(&init_net, &p, &dev), -EOPNOTSUPP);
	assert_null(dev);
	assert_int_equal(ul_tap_attach(NULL, TAP_NAME, NULL, NULL, -1), -EOPNOTSUPP);
	/* With offloads too; an unknown flag is refused before anything is opened. */
	p.vnet_hdr = true;
	assert_int_equal(tun_attach(&init_net, &p, &dev), -EOPNOTSUPP);
	assert_int_equal(ul_tap_attach_flags(NULL, TAP_NAME, NULL, NULL, -1, UL_TAP_VNET_HDR),
			 -EOPNOTSUPP);
	assert_int_equal(ul_tap_attach_flags(NULL, TAP_NAME, NULL, NULL, -1, 0x80), -EINVAL);
	assert_null(__dev_get_by_name(&init_net, TAP_NAME));
}

struct xmit_args {
	struct net_device *dev;
	const u8 *daddr;
	int rc;
};

/* A test frame for @dev to @daddr: PAYLOAD bytes of @fill, the first at @payload for the
 * caller to mark. NULL when it cannot be made. */
static struct sk_buff *test_frame(struct net_device *dev, const u8 *daddr, u8 fill,
				  u8 **payload)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + PAYLOAD, GFP_KERNEL);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + ETH_HLEN);
	*payload = skb_put(skb, PAYLOAD);
	memset(*payload, fill, PAYLOAD);
	if (dev_hard_header(skb, dev, ETH_P_TEST, daddr, NULL, skb->len) != ETH_HLEN) {
		kfree_skb(skb);
		return NULL;
	}
	skb->dev = dev;
	skb->protocol = htons(ETH_P_TEST);
	return skb;
}

static int xmit_task(void *arg)
{
	struct xmit_args *a = arg;
	u8 *p;
	struct sk_buff *skb = test_frame(a->dev, a->daddr, 0x5A, &p);

	if (!skb)
		return -EINVAL;
	a->rc = dev_queue_xmit(skb);
	return 0;
}

static bool can_run_posix_tap(void)
{
	if (geteuid() != 0 || access(TUN_DEV_PATH, R_OK | W_OK) != 0)
		return false;
	return system("ip netns list >/dev/null 2>&1") == 0;
}

/* Skips the test unless it can run (root, the TUN device, ip netns); else makes the test's
 * namespace and moves this thread into it (tun_teardown deletes it and moves back), so the
 * TAP device and the raw socket are made in it. */
static void tun_enter_test_ns(void)
{
	char cmd[256], path[128];
	int nsfd;

	if (!can_run_posix_tap()) {
		print_message("skipped: needs root, " TUN_DEV_PATH " and ip netns\n");
		skip();
	}
	test_oldns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(test_oldns >= 0);
	snprintf(test_ns, sizeof(test_ns), "ulnet-tuntest-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s", test_ns);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "/var/run/netns/%s", test_ns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(nsfd >= 0);
	assert_int_equal(setns(nsfd, CLONE_NEWNET), 0);
	close(nsfd);
}

/* One frame each way; @vnet: with IFF_VNET_HDR (ul_tap_attach_flags), the host adds and
 * strips the virtio_net_hdr on its side, the frames are the same. */
static void tun_exchange(bool vnet)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
	char *ns = test_ns, cmd[256];
	int ps = -1, ifindex, i, err;
	struct net_device *dev;
	struct rtnl_link_stats64 st;
	struct sockaddr_ll sll;
	struct xmit_args xa;
	struct ul_task *t;
	u8 frame[ETH_HLEN + PAYLOAD], kmac[ETH_ALEN], buf[2048];
	bool got = false;

	__atomic_store_n(&rx_calls, 0, __ATOMIC_SEQ_CST);
	tun_enter_test_ns();

	ifindex = ul_tap_attach_flags(NULL, TAP_NAME, "eth0", mac, 1, vnet ? UL_TAP_VNET_HDR : 0);
	assert_true(ifindex > 0);
	dev = __dev_get_by_name(&init_net, "eth0");
	assert_non_null(dev);
	assert_true(netif_is_tun(dev));
	/* The offloads come with the header only. */
	assert_int_equal(!!(dev->features & NETIF_F_TSO), vnet);
	assert_int_equal(!!(dev->features & NETIF_F_HW_CSUM), vnet);
	assert_int_equal(!!(dev->features & NETIF_F_SG), vnet);
	assert_int_equal(dev->mtu, 1500);
	assert_int_equal(dev->tx_queue_len, 1000);
	assert_memory_equal(dev->dev_addr, mac, ETH_ALEN);
	assert_int_equal(ul_tap_attach(NULL, TAP_NAME, "eth1", NULL, -1), -EBUSY);
	rtnl_lock();
	assert_int_equal(dev_open(dev), 0);
	rtnl_unlock();
	assert_true(netif_carrier_ok(dev));
	dev_add_pack(&test_pt);

	snprintf(cmd, sizeof(cmd), "ip netns exec %s ip link set %s up", ns, TAP_NAME);
	assert_int_equal(system(cmd), 0);
	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TEST));
	assert_true(ps >= 0);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_TEST);
	sll.sll_ifindex = (int)if_nametoindex(TAP_NAME);
	assert_true(sll.sll_ifindex > 0);
	assert_int_equal(bind(ps, (struct sockaddr *)&sll, sizeof(sll)), 0);

	/* Kernel -> ulnet. */
	memcpy(frame, mac, ETH_ALEN);
	memset(kmac, 0, sizeof(kmac));
	memcpy(frame + ETH_ALEN, kmac, ETH_ALEN);
	frame[12] = ETH_P_TEST >> 8;
	frame[13] = ETH_P_TEST & 0xff;
	memset(frame + ETH_HLEN, 0xA5, PAYLOAD);
	assert_int_equal(send(ps, frame, sizeof(frame), 0), (ssize_t)sizeof(frame));
	for (i = 0; i < 300 && !__atomic_load_n(&rx_calls, __ATOMIC_SEQ_CST); i++)
		ul_run_for(10 * 1000 * 1000);
	assert_int_equal(__atomic_load_n(&rx_calls, __ATOMIC_SEQ_CST), 1);
	assert_int_equal(rx_first_byte, 0xA5);
	assert_int_equal(rx_ifindex, dev->ifindex);
	assert_true(kstat_irqs_cpu(dev->irq, 1) >= 1);	/* the device's CPU took the IRQ */

	/* ulnet -> kernel, to the broadcast address. */
	xa = (struct xmit_args){ .dev = dev, .daddr = dev->broadcast, .rc = -1 };
	t = ul_task_spawn(NULL, "xmit", 0, xmit_task, &xa);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(xa.rc, NET_XMIT_SUCCESS);
	for (i = 0; i < 50 && !got; i++) {
		struct pollfd pfd = { .fd = ps, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(ps, buf, sizeof(buf), 0);
		if (n == (ssize_t)sizeof(frame) && buf[ETH_HLEN] == 0x5A &&
		    !memcmp(buf + ETH_ALEN, mac, ETH_ALEN))
			got = true;
	}
	assert_true(got);

	/* The hardware (the reader thread) counts a frame after its write. */
	for (i = 0; i < 100; i++) {
		dev_get_stats(dev, &st);
		if (st.tx_packets >= 1)
			break;
		ul_run_for(10 * 1000 * 1000);
	}
	assert_true(st.rx_packets >= 1);
	assert_int_equal(st.tx_packets, 1);
	assert_int_equal(st.tx_bytes, sizeof(frame));
	dev_remove_pack(&test_pt);

	close(ps);
	err = ul_tap_detach(NULL, "eth0");
	assert_int_equal(err, 0);
	assert_null(__dev_get_by_name(&init_net, "eth0"));
}

static void test_tun_exchange_with_kernel(void **state)
{
	(void)state;
	tun_exchange(false);
}

static void test_tun_exchange_vnet_hdr(void **state)
{
	(void)state;
	tun_exchange(true);
}

#define BURST 300	/* frames: more than the TX ring (128) holds */

struct burst_args {
	struct net_device *dev;
	int sent;
};

/* BURST frames to the broadcast address as fast as the qdisc takes them, payload 0x5B
 * then the frame's number (2 bytes). */
static int xmit_burst_task(void *arg)
{
	struct burst_args *a = arg;
	int i;

	for (i = 0; i < BURST; i++) {
		u8 *p;
		struct sk_buff *skb = test_frame(a->dev, a->dev->broadcast, 0x5B, &p);

		if (!skb)
			return -EINVAL;
		p[1] = (u8)(i >> 8);
		p[2] = (u8)i;
		if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
			a->sent++;
	}
	return 0;
}

/* With IFF_VNET_HDR: the kernel's frames land split (a 256-byte head, the rest in a page
 * frag; consecutive frames share the page, each charged what it takes), and a burst of
 * more frames than the TX ring holds reaches the kernel whole and in order. */
static void test_tun_vnet_split_and_burst(void **state)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
	static const unsigned int sizes[SPLIT_FRAMES] = { 1000, 1400, 300 };
	char cmd[256];
	int ps, f, i, got = 0, next = 0, bufsz = 8 << 20;
	struct rtnl_link_stats64 st;
	struct burst_args ba;
	struct net_device *dev;
	struct sockaddr_ll sll;
	struct ul_task *t;
	u8 frame[ETH_HLEN + 1400], buf[2048];

	(void)state;
	__atomic_store_n(&rx_split_calls, 0, __ATOMIC_SEQ_CST);
	memset(rx_split, 0, sizeof(rx_split));
	tun_enter_test_ns();
	assert_true(ul_tap_attach_flags(NULL, TAP_NAME, "eth0", mac, 1, UL_TAP_VNET_HDR) > 0);
	dev = __dev_get_by_name(&init_net, "eth0");
	assert_non_null(dev);
	rtnl_lock();
	assert_int_equal(dev_open(dev), 0);
	rtnl_unlock();
	dev_add_pack(&test_pt);
	snprintf(cmd, sizeof(cmd), "ip netns exec %s ip link set %s up", test_ns, TAP_NAME);
	assert_int_equal(system(cmd), 0);
	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TEST));
	assert_true(ps >= 0);
	/* The burst arrives faster than this thread reads. */
	assert_int_equal(setsockopt(ps, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz)), 0);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_TEST);
	sll.sll_ifindex = (int)if_nametoindex(TAP_NAME);
	assert_true(sll.sll_ifindex > 0);
	assert_int_equal(bind(ps, (struct sockaddr *)&sll, sizeof(sll)), 0);

	/* Kernel -> ulnet: three frames, one at a time (each in its own poll). */
	for (f = 0; f < SPLIT_FRAMES; f++) {
		memcpy(frame, mac, ETH_ALEN);
		memset(frame + ETH_ALEN, 0, ETH_ALEN);
		frame[12] = ETH_P_TEST >> 8;
		frame[13] = ETH_P_TEST & 0xff;
		for (i = 0; i < (int)sizes[f]; i++)
			frame[ETH_HLEN + i] = split_byte(f, (unsigned int)i);
		assert_int_equal(send(ps, frame, ETH_HLEN + sizes[f], 0),
				 (ssize_t)(ETH_HLEN + sizes[f]));
		for (i = 0; i < 300 && __atomic_load_n(&rx_split_calls, __ATOMIC_SEQ_CST) <= f;
		     i++)
			ul_run_for(10 * 1000 * 1000);
		assert_int_equal(__atomic_load_n(&rx_split_calls, __ATOMIC_SEQ_CST), f + 1);
	}
	for (f = 0; f < SPLIT_FRAMES; f++) {
		assert_true(rx_split[f].intact);
		assert_int_equal(rx_split[f].len, sizes[f]);
		/* The head held the first 256 bytes of the frame, Ethernet header included. */
		assert_int_equal(rx_split[f].headlen, 256 - ETH_HLEN);
		assert_int_equal(rx_split[f].nr_frags, 1);
		assert_int_equal(rx_split[f].data_len, sizes[f] + ETH_HLEN - 256);
		/* Charged about its size, not a 64 KiB landing zone. */
		assert_true(rx_split[f].truesize < sizes[f] + 2048);
	}
	/* The next frame starts in the same page, after the previous one (64-byte aligned). */
	for (f = 1; f < SPLIT_FRAMES; f++) {
		assert_ptr_equal(rx_split[f].page0, rx_split[f - 1].page0);
		assert_int_equal(rx_split[f].off0, rx_split[f - 1].off0 +
				 ((rx_split[f - 1].data_len + 63) & ~63u));
	}

	/* ulnet -> kernel: a burst larger than the TX ring. */
	ba = (struct burst_args){ .dev = dev };
	t = ul_task_spawn(NULL, "burst", 0, xmit_burst_task, &ba);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	assert_int_equal(ba.sent, BURST);
	for (i = 0; i < 100 && got < BURST; i++) {
		struct pollfd pfd = { .fd = ps, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		while ((n = recv(ps, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			if (n != ETH_HLEN + PAYLOAD || buf[ETH_HLEN] != 0x5B)
				continue;	/* our own frames, seen going out */
			assert_int_equal((buf[ETH_HLEN + 1] << 8) | buf[ETH_HLEN + 2], next);
			next++;
			got++;
		}
	}
	assert_int_equal(got, BURST);
	/* The hardware counts a frame once written; the ring is drained, the queue runs. */
	for (i = 0; i < 100; i++) {
		dev_get_stats(dev, &st);
		if (st.tx_packets >= BURST)
			break;
		ul_run_for(10 * 1000 * 1000);
	}
	assert_true(st.tx_packets >= BURST);
	assert_int_equal(st.tx_errors, 0);
	assert_false(netif_queue_stopped(dev));

	dev_remove_pack(&test_pt);
	close(ps);
	assert_int_equal(ul_tap_detach(NULL, "eth0"), 0);
}

/* Back to the original namespace and remove the test's, whatever happened; the stack's
 * teardown closes a TAP still attached. */
static int tun_teardown(void **state)
{
	char cmd[128];
	int ret;

	if (test_oldns >= 0) {
		if (setns(test_oldns, CLONE_NEWNET) != 0)
			print_message("setns back failed: %d\n", errno);
		close(test_oldns);
		test_oldns = -1;
	}
	ret = ul_test_teardown(state);
	if (test_ns[0]) {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", test_ns);
		if (system(cmd) != 0)
			print_message("could not remove namespace %s\n", test_ns);
		test_ns[0] = '\0';
	}
	return ret;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tun_sim_refused, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_tun_exchange_with_kernel,
						ul_test_setup_posix, tun_teardown),
		cmocka_unit_test_setup_teardown(test_tun_exchange_vnet_hdr,
						ul_test_setup_posix, tun_teardown),
		cmocka_unit_test_setup_teardown(test_tun_vnet_split_and_burst,
						ul_test_setup_posix, tun_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
