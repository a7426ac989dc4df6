/* SPDX-License-Identifier: MIT */
/* RPS: /sys/class/net/DEV/queues/rx-N/rps_cpus (parsing, errors, read-back), the flow hash,
 * flows of a single-queue NIC steered by hash over the mask's CPUs (one flow on one CPU, in
 * order), the IPIs in softnet_stat's received_rps and /proc/interrupts' CAL row. */
#include <stdio.h>
#include "hw_test_util.h"
#include "net_testutil.h"
#include "linux/interrupt.h"
#include "net/core/dev.h"
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"

#define RX0 "/sys/class/net/eth0/queues/rx-0/rps_cpus"
#define NFLOWS	 48
#define PER_FLOW 6
#define MAXREC	 (NFLOWS * PER_FLOW * 2)

static int setup4(void **state)
{
	return ul_test_boot_with(UL_RUNTIME_SIM, 4, 1);
}

static int setup4_posix(void **state)
{
	return ul_test_boot_with(UL_RUNTIME_POSIX, 4, 1);
}

/* cat PATH into @buf ("" and the error on failure). */
static int cat(const char *path, char *buf, size_t len)
{
	int err;
	char *t = ul_proc_read(NULL, path, &err);

	snprintf(buf, len, "%s", t ? t : "");
	free(t);
	return err;
}

static void test_rps_cpus_file(void **state)
{
	struct net_device *dev;
	char buf[64];

	(void)state;
	dev = tnic_up(NULL, "eth0", 2, 256, 1000);
	/* Default: no map; 4 CPUs print one hex digit. */
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0\n");
	assert_null(dev->_rx);
	assert_int_equal(ul_proc_write(NULL, RX0, "f"), 0);
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "f\n");
	assert_int_equal(dev->_rx[0].rps_map->len, 4);
	assert_int_equal(ul_proc_write(NULL, RX0, "5\n"), 0);
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "5\n");
	assert_int_equal(dev->_rx[0].rps_map->len, 2);
	assert_int_equal(dev->_rx[0].rps_map->cpus[0], 0);
	assert_int_equal(dev->_rx[0].rps_map->cpus[1], 2);
	/* Commas between 32-bit chunks, as bitmap_parse. */
	assert_int_equal(ul_proc_write(NULL, RX0, "00000000,0000000a"), 0);
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a\n");
	/* Bad hex: EINVAL, the map unchanged. */
	assert_int_equal(ul_proc_write(NULL, RX0, "g"), -EINVAL);
	assert_int_equal(ul_proc_write(NULL, RX0, "0x3"), -EINVAL);
	assert_int_equal(ul_proc_write(NULL, RX0, ""), -EINVAL);
	assert_int_equal(ul_proc_write(NULL, RX0, "11111111111111111"), -EINVAL);
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a\n");
	/* Offline CPUs only: no map (RPS off for the queue). */
	assert_int_equal(ul_proc_write(NULL, RX0, "30"), 0);
	assert_null(dev->_rx[0].rps_map);
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0\n");
	assert_int_equal(atomic_read(&rps_needed), 0);
	/* The other queue is separate. */
	assert_int_equal(ul_proc_write(NULL, "/sys/class/net/eth0/queues/rx-1/rps_cpus", "3"),
			 0);
	assert_int_equal(atomic_read(&rps_needed), 1);
	assert_int_equal(cat(RX0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0\n");
	/* No such queue, device, file or namespace. */
	assert_int_equal(cat("/sys/class/net/eth0/queues/rx-2/rps_cpus", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(ul_proc_write(NULL, "/sys/class/net/eth9/queues/rx-0/rps_cpus", "1"),
			 -ENOENT);
	assert_int_equal(ul_proc_write(NULL, "/sys/class/net/eth0/queues/rx-0/xps_cpus", "1"),
			 -ENOENT);
	assert_int_equal(ul_proc_write("nosuchns", RX0, "1"), -ENOENT);
	/* No RFS: the flow count reads 0 and refuses anything else. */
	assert_int_equal(cat("/sys/class/net/eth0/queues/rx-0/rps_flow_cnt", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "0\n");
	assert_int_equal(ul_proc_write(NULL, "/sys/class/net/eth0/queues/rx-0/rps_flow_cnt", "0"),
			 0);
	assert_int_equal(ul_proc_write(NULL, "/sys/class/net/eth0/queues/rx-0/rps_flow_cnt",
				       "256"), -EOPNOTSUPP);
	assert_int_equal(ul_sysctl_set(NULL, "net.core.rps_sock_flow_entries", "32768"),
			 -EINVAL);
	tnic_del(NULL, "eth0");	/* the maps (and the replaced ones) go with the device */
}

/* An skb holding @frame from its IPv4 header on, as a driver hands it up. */
static struct sk_buff *frame_skb(const u8 *frame, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	assert_non_null(skb);
	memcpy(skb_put(skb, len - 14), frame + 14, len - 14);
	skb->protocol = htons(ETH_P_IP);
	skb_reset_network_header(skb);
	return skb;
}

/* The hash: ports used (l4_rxhash), the same both ways, addresses only for a fragment. */
static void test_rps_rxhash(void **state)
{
	static const u8 mac[6] = { 2, 0, 0, 0, 0, 2 };
	__be32 a = htonl(0x0a000001), b = htonl(0x0a000002);
	struct sk_buff *s1, *s2, *s3, *s4;
	u8 frame[128];
	unsigned int len;

	(void)state;
	len = tframe_tcp(frame, mac, a, b, 1000, 80, 1, 0, 1, 0);
	s1 = frame_skb(frame, len);
	len = tframe_tcp(frame, mac, b, a, 80, 1000, 1, 0, 1, 0);
	s2 = frame_skb(frame, len);
	len = tframe_tcp(frame, mac, a, b, 1001, 80, 1, 0, 1, 0);
	s3 = frame_skb(frame, len);
	frame[14 + 6] = 0x20;	/* MF: a first fragment, ports not used */
	frame[14 + 7] = 0;
	s4 = frame_skb(frame, len);
	assert_int_not_equal(skb_get_rxhash(s1), 0);
	assert_true(s1->l4_rxhash);
	assert_int_equal(skb_get_rxhash(s2), s1->rxhash);
	assert_int_not_equal(skb_get_rxhash(s3), s1->rxhash);
	assert_int_not_equal(skb_get_rxhash(s4), 0);
	assert_false(s4->l4_rxhash);
	/* A driver's hash (RSS) without l4_rxhash is recomputed in software, as 3.10. */
	s3->rxhash = 12345;
	s3->l4_rxhash = 0;
	skb_get_rxhash(s3);
	assert_int_not_equal(s3->rxhash, 12345);
	kfree_skb(s1);
	kfree_skb(s2);
	kfree_skb(s3);
	kfree_skb(s4);
}

/* What the tap saw: per packet the CPU, the flow and its sequence number, the hash. */
static struct rec {
	int cpu;
	u16 sport;
	u32 seq, hash;
} recs[MAXREC];
static int nrec;

static int tap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig_dev)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + 20);

	(void)dev;
	(void)pt;
	(void)orig_dev;
	if (skb->protocol == htons(ETH_P_IP) && iph->protocol == IPPROTO_TCP && nrec < MAXREC) {
		recs[nrec].cpu = smp_processor_id();
		recs[nrec].sport = ntohs(th->source);
		recs[nrec].seq = ntohl(th->seq);
		recs[nrec].hash = skb->rxhash;
		nrec++;
	}
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type tap = { .func = tap_rcv };

/* softnet_stat's received_rps (10th column) of @cpu. */
static unsigned int received_rps(int cpu)
{
	char *t = ul_proc_read(NULL, "/proc/net/softnet_stat", NULL), *p = t;
	unsigned int v[10] = { 0 };
	int i;

	assert_non_null(t);
	for (i = 0; i < cpu && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	assert_non_null(p);
	assert_int_equal(sscanf(p, "%x %x %x %x %x %x %x %x %x %x", &v[0], &v[1], &v[2], &v[3],
				&v[4], &v[5], &v[6], &v[7], &v[8], &v[9]), 10);
	free(t);
	return v[9];
}

/* NFLOWS flows from one address to another, PER_FLOW segments each, interleaved. */
static void send_flows(struct net_device *dev)
{
	struct hw_nic *nic = hw_nic_of(dev);
	u8 frame[128];
	int i, f;

	for (i = 0; i < PER_FLOW; i++) {
		for (f = 0; f < NFLOWS; f++) {
			/* Sequence numbers far apart: GRO merges nothing. */
			unsigned int len = tframe_tcp(frame, dev->dev_addr, htonl(0x0a000002),
						      htonl(0x0a000001), (u16)(20000 + f), 80,
						      (u32)(1 + i * 1000), 10, (u16)i, 0);

			assert_true(hw_nic_receive(nic, frame, len) >= 0);
		}
		ul_run_for(200 * 1000);
	}
	ul_run_for(2000 * 1000);
}

struct cpu_counts {
	unsigned int rps[4];
	unsigned long cal[4], net_rx[4];
};

static void counts(struct cpu_counts *c)
{
	int cpu;

	for (cpu = 0; cpu < 4; cpu++) {
		c->rps[cpu] = received_rps(cpu);
		c->cal[cpu] = kstat_ipi_calls_cpu(cpu);
		c->net_rx[cpu] = kstat_softirqs_cpu(NET_RX_SOFTIRQ, cpu);
	}
}

/* Check what the tap recorded: every packet once, each flow on one CPU (the one its hash
 * picks in @map), in order; count the flows per CPU in @flows. */
static void check_flows(const struct rps_map *map, int local_cpu, int flows[4])
{
	int f, i, cpu_of[NFLOWS], n[NFLOWS];
	u32 last[NFLOWS];

	assert_int_equal(nrec, NFLOWS * PER_FLOW);
	memset(flows, 0, 4 * sizeof(int));
	for (f = 0; f < NFLOWS; f++) {
		cpu_of[f] = -1;
		n[f] = 0;
		last[f] = 0;
	}
	for (i = 0; i < nrec; i++) {
		int expect;

		f = recs[i].sport - 20000;
		assert_true(f >= 0 && f < NFLOWS);
		expect = map ? map->cpus[((u64)recs[i].hash * map->len) >> 32] : local_cpu;
		assert_int_equal(recs[i].cpu, expect);
		if (cpu_of[f] < 0) {
			cpu_of[f] = recs[i].cpu;
			flows[recs[i].cpu]++;
		}
		assert_int_equal(recs[i].cpu, cpu_of[f]);
		assert_true(recs[i].seq > last[f]);	/* order within the flow */
		last[f] = recs[i].seq;
		n[f]++;
	}
	for (f = 0; f < NFLOWS; f++)
		assert_int_equal(n[f], PER_FLOW);
}

static void test_rps_steering(void **state)
{
	struct cpu_counts a, b;
	struct net_device *dev;
	int flows[4], cpu, irq;
	char *t;

	(void)state;
	dev = tnic_up(NULL, "eth0", 1, 1024, 10000);
	rtnl_lock();
	dev->features &= ~NETIF_F_GRO;
	rtnl_unlock();
	irq = tnic_adapter(dev)->q_vector[0].irq;
	assert_int_equal(irq_get_affinity((unsigned int)irq), 0);
	tap.type = htons(ETH_P_ALL);
	dev_add_pack(&tap);

	/* 1. No RPS: everything on CPU 0, where the single queue's interrupt is. */
	counts(&a);
	nrec = 0;
	send_flows(dev);
	counts(&b);
	check_flows(NULL, 0, flows);
	assert_int_equal(flows[0], NFLOWS);
	for (cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(b.rps[cpu], a.rps[cpu]);
		assert_int_equal(b.cal[cpu], a.cal[cpu]);
	}
	assert_int_equal(b.net_rx[1] + b.net_rx[2] + b.net_rx[3],
			 a.net_rx[1] + a.net_rx[2] + a.net_rx[3]);

	/* 2. rps_cpus = e (CPUs 1-3): flows spread by hash over those, none on CPU 0. */
	assert_int_equal(ul_proc_write(NULL, RX0, "e"), 0);
	counts(&a);
	nrec = 0;
	send_flows(dev);
	counts(&b);
	check_flows(dev->_rx[0].rps_map, -1, flows);
	assert_int_equal(flows[0], 0);
	for (cpu = 1; cpu < 4; cpu++) {
		assert_true(flows[cpu] >= NFLOWS / 8);
		/* Each target CPU took IPIs (CAL) and counted them as received_rps. */
		assert_true(b.rps[cpu] > a.rps[cpu]);
		assert_int_equal(b.rps[cpu] - a.rps[cpu], b.cal[cpu] - a.cal[cpu]);
		assert_true(b.net_rx[cpu] > a.net_rx[cpu]);
		/* At most one IPI per packet steered there. */
		assert_true(b.rps[cpu] - a.rps[cpu] <= (unsigned int)(flows[cpu] * PER_FLOW));
	}
	assert_int_equal(b.rps[0], a.rps[0]);
	assert_int_equal(b.cal[0], a.cal[0]);
	t = ul_proc_read(NULL, "/proc/interrupts", NULL);
	assert_non_null(t);
	assert_non_null(strstr(t, "CAL: "));
	assert_non_null(strstr(t, "  Function call interrupts\n"));
	free(t);

	/* 3. rps_cpus = 1: only CPU 0, through its own backlog: no IPI. */
	assert_int_equal(ul_proc_write(NULL, RX0, "1"), 0);
	counts(&a);
	nrec = 0;
	send_flows(dev);
	counts(&b);
	check_flows(dev->_rx[0].rps_map, 0, flows);
	assert_int_equal(flows[0], NFLOWS);
	for (cpu = 0; cpu < 4; cpu++)
		assert_int_equal(b.rps[cpu], a.rps[cpu]);

	/* 4. rps_cpus = 0: off again. */
	assert_int_equal(ul_proc_write(NULL, RX0, "0"), 0);
	assert_int_equal(atomic_read(&rps_needed), 0);
	nrec = 0;
	send_flows(dev);
	check_flows(NULL, 0, flows);
	dev_remove_pack(&tap);
	tnic_del(NULL, "eth0");
}

static struct net *rps_net;

static int setup4_netns(void **state)
{
	return ul_test_setup_netns(state, setup4, "rpsns", &rps_net);
}

static int setup4_netns_posix(void **state)
{
	return ul_test_setup_netns(state, setup4_posix, "rpsns", &rps_net);
}

static int teardown_netns(void **state)
{
	return ul_test_teardown_netns(state, "rpsns");
}

/* netif_rx (lo) steers too: 8 UDP flows over 127.0.0.1 with lo's rx-0 mask on CPUs 1-3,
 * sent from CPU 0: every datagram arrives, in order per flow, through IPIs to CPUs 1-3. */
static void test_rps_netif_rx_lo(void **state)
{
	struct sockaddr_in to = ul_test_sin("127.0.0.1", 7000);
	int r, fds[8], i, j, last[8];
	struct cpu_counts a, b;
	unsigned int other = 0;
	char buf[32];

	(void)state;
	assert_int_equal(ul_proc_write("rpsns", "/sys/class/net/lo/queues/rx-0/rps_cpus", "e"),
			 0);
	r = ul_test_udp_bound("127.0.0.1", 7000);
	for (i = 0; i < 8; i++)
		fds[i] = ul_test_udp_bound("127.0.0.1", 7100 + i);
	counts(&a);
	for (j = 0; j < 3; j++)
		for (i = 0; i < 8; i++) {
			snprintf(buf, sizeof(buf), "%d %d", i, j);
			assert_int_equal(ul_sendto(fds[i], buf, strlen(buf), 0,
						   (struct sockaddr *)&to, sizeof(to)),
					 (ssize_t)strlen(buf));
		}
	ul_run_for(1000 * 1000);
	for (i = 0; i < 8; i++)
		last[i] = -1;
	for (j = 0; j < 24; j++) {
		ssize_t n = ul_recv(r, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		int f, k, tries;

		/* posix: the other CPUs' threads may still be on it (at most 1 s). */
		for (tries = 0; n < 0 && tries < 1000; tries++) {
			ul_run_for(1000 * 1000);
			n = ul_recv(r, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		}
		assert_true(n > 0);
		buf[n] = '\0';
		assert_int_equal(sscanf(buf, "%d %d", &f, &k), 2);
		assert_true(f >= 0 && f < 8);
		assert_int_equal(k, last[f] + 1);	/* in order within the flow */
		last[f] = k;
	}
	assert_int_equal(ul_recv(r, buf, sizeof(buf), MSG_DONTWAIT), -1);
	counts(&b);
	assert_int_equal(b.rps[0], a.rps[0]);
	for (i = 1; i < 4; i++) {
		assert_int_equal(b.rps[i] - a.rps[i], b.cal[i] - a.cal[i]);
		other += b.rps[i] - a.rps[i];
	}
	assert_true(other > 0);
	for (i = 0; i < 8; i++)
		ul_close(fds[i]);
	ul_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rps_cpus_file, setup4, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rps_rxhash, setup4, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rps_steering, setup4, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_rps_netif_rx_lo, setup4_netns, teardown_netns),
		cmocka_unit_test_setup_teardown(test_rps_netif_rx_lo, setup4_netns_posix,
						teardown_netns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
