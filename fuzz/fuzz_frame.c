/* SPDX-License-Identifier: MIT */
/* libFuzzer target: every input is an Ethernet frame received by a NIC of a booted stack.
 * Mirrors no kernel file: it drives netif_receive_skb (linux/net/core/dev.c) the way a NAPI
 * driver's poll does, so ARP, IPv4 (options, fragments), ICMP and UDP parse hostile bytes.
 *
 * The world, built once (sim runtime, 1 CPU, seed 1): veth0 in the initial namespace, MAC
 * 02:00:00:00:00:01, address 10.0.0.1/24; its peer veth1
 * in namespace "peer" (what veth0 transmits, replies included, lands there); a task with a
 * UDP socket bound to port 7 that reads everything it gets. Each input: a frame of the
 * input's bytes on veth0, received with bottom halves off as in softirq context, then 10 ms
 * of virtual time (softirqs, the receiving task, replies). Every 4096 inputs the clock jumps
 * 31 s so that the reassembly queues (ipfrag_time 30 s) and neighbour timers expire, and the
 * slab objects in use must come back under a fixed bound: a leak shows as growth.
 * fuzz/corpus/frame/ holds seeds (fuzz/gen_corpus.py): ARP request, ICMP echo, UDP datagram,
 * an IP fragment. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux/etherdevice.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "linux/slab.h"
#include "linux/veth.h"
#include "net/net_namespace.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define FUZZ_MAX_FRAME	(ETH_HLEN + 65535)
#define FUZZ_FLUSH_EVERY 4096
/* Slab objects allowed above the level after boot once the queues have expired. */
#define FUZZ_SLAB_SLACK	512

static struct net_device *fuzz_dev;
static unsigned long fuzz_inputs;
static unsigned long fuzz_boot_objects;

static int udp_sink_task(void *arg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[65536];
	int fd;

	(void)arg;
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	sin.sin_port = htons(7);
	if (ul_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return 1;
	for (;;) {
		if (ul_recv(fd, buf, sizeof(buf), 0) < 0 && errno == EINTR)
			break;
	}
	ul_close(fd);
	return 0;
}

static void fuzz_die(const char *what, int err)
{
	fprintf(stderr, "fuzz_frame: %s: %d\n", what, err);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct ul_config cfg = { .runtime = UL_RUNTIME_SIM, .ncpus = 1, .seed = 1 };
	struct net_device *peer;
	int err;

	(void)argc;
	(void)argv;
	err = ul_stack_create(&cfg);
	if (err)
		fuzz_die("ul_stack_create", err);
	err = ul_netns_add("peer");
	if (err)
		fuzz_die("ul_netns_add", err);
	err = veth_create(&init_net, "veth0", ul_net_by_name("peer"), "veth1");
	if (err)
		fuzz_die("veth_create", err);
	fuzz_dev = __dev_get_by_name(&init_net, "veth0");
	peer = __dev_get_by_name(ul_net_by_name("peer"), "veth1");
	rtnl_lock();
	memcpy(fuzz_dev->dev_addr, mac, ETH_ALEN);
	fuzz_dev->addr_assign_type = NET_ADDR_SET;
	err = dev_open(fuzz_dev);
	if (!err)
		err = dev_open(peer);
	rtnl_unlock();
	if (err)
		fuzz_die("dev_open", err);
	{
		char *out = NULL;

		err = ul_cmd(NULL, "ip addr add 10.0.0.1/24 dev veth0", &out);
		if (err)
			fuzz_die(out ? out : "ip addr add", err);
		free(out);
	}
	if (!ul_task_spawn(NULL, "udp-sink", 0, udp_sink_task, NULL))
		fuzz_die("ul_task_spawn", -1);
	ul_run_for(100 * 1000 * 1000);
	fuzz_boot_objects = ul_slab_objects_in_use();
	return 0;
}

static void fuzz_flush(void)
{
	unsigned long now;

	ul_run_for(31ULL * 1000 * 1000 * 1000);
	now = ul_slab_objects_in_use();
	if (now > fuzz_boot_objects + FUZZ_SLAB_SLACK) {
		fprintf(stderr, "fuzz_frame: slab objects grew from %lu to %lu\n",
			fuzz_boot_objects, now);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_buff *skb;

	/* A MAC refuses runts and frames over its buffer: no skb would reach the stack. */
	if (size < ETH_HLEN || size > FUZZ_MAX_FRAME)
		return 0;
	skb = netdev_alloc_skb(fuzz_dev, (unsigned int)size);
	if (!skb)
		return 0;
	memcpy(skb_put(skb, (unsigned int)size), data, size);
	skb->protocol = eth_type_trans(skb, fuzz_dev);
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
	ul_run_for(10 * 1000 * 1000);
	if (++fuzz_inputs % FUZZ_FLUSH_EVERY == 0)
		fuzz_flush();
	return 0;
}
