/* SPDX-License-Identifier: MIT */
/* Tests of packet capture: frames on lo filtered and written as pcap, read back with libpcap;
 * errors (bad filter, unknown device or namespace, bad path, unknown id); teardown.
 * Mirrors no kernel file: checks src/net/packet/capture.c (af_packet.c's packet_rcv role). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "linux/netdevice.h"
#include "linux/skbuff.h"
#include "net/capture.h"
#include "net/net_namespace.h"
#include "uapi/linux/if_ether.h"

#define TYPE_IN	 0x88B5	/* captured by the filter */
#define TYPE_OUT 0x88B6	/* excluded by it */
#define MAX_FRAMES 64	/* per send job */

struct frame {
	u16 type;
	unsigned int plen;	/* payload bytes */
	unsigned int split;	/* > 0: the last @split payload bytes go on frag_list */
	unsigned char bytes[ETH_HLEN + 1600];
	unsigned int len;	/* the whole frame */
};

struct send_job {
	struct frame *frames;
	int n;
	ktime_t t_first;	/* ktime_get_real() when the first frame was sent */
	int rc[MAX_FRAMES];
};

static char pcap_path[64];

static int make_pcap_path(void)
{
	int fd;

	snprintf(pcap_path, sizeof(pcap_path), "/tmp/ulnet-capture-XXXXXX");
	fd = mkstemp(pcap_path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int setup(void **state)
{
	return make_pcap_path() ? -1 : ul_test_setup_sim(state);
}

static int setup_posix(void **state)
{
	return make_pcap_path() ? -1 : ul_test_setup_posix(state);
}

static int teardown(void **state)
{
	unlink(pcap_path);
	return ul_test_teardown(state);
}

/* Payload byte i of frame k: a pattern that differs between frames and positions. */
static void frame_init(struct frame *f, u16 type, unsigned int plen, unsigned int split, int k)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->type = type;
	f->plen = plen;
	f->split = split;
	/* lo: destination and source 00:00:00:00:00:00. */
	f->bytes[12] = type >> 8;
	f->bytes[13] = type & 0xff;
	for (i = 0; i < plen; i++)
		f->bytes[ETH_HLEN + i] = (unsigned char)(i * 7 + k * 31 + 1);
	f->len = ETH_HLEN + plen;
}

/* Build an skb for @f on @dev: linear, or with its tail on frag_list (non-linear). */
static struct sk_buff *frame_skb(const struct frame *f, struct net_device *dev)
{
	unsigned int head_len = f->plen - f->split;
	struct sk_buff *skb = alloc_skb(64 + head_len, GFP_KERNEL), *frag;

	if (!skb)
		return NULL;
	skb_reserve(skb, 64);
	memcpy(skb_put(skb, head_len), f->bytes + ETH_HLEN, head_len);
	if (f->split) {
		frag = alloc_skb(f->split, GFP_KERNEL);
		if (!frag) {
			kfree_skb(skb);
			return NULL;
		}
		memcpy(skb_put(frag, f->split), f->bytes + ETH_HLEN + head_len, f->split);
		skb_shinfo(skb)->frag_list = frag;
		skb->len += frag->len;
		skb->data_len += frag->len;
		skb->truesize += frag->truesize;
	}
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb->protocol = htons(f->type);
	if (dev_hard_header(skb, dev, f->type, dev->dev_addr, NULL, skb->len) < 0) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

static int sender(void *arg)
{
	struct send_job *job = arg;
	struct net_device *dev = dev_get_by_name(&init_net, "lo");
	int i;

	if (!dev)
		return -ENODEV;
	if (job->n > MAX_FRAMES) {
		dev_put(dev);
		return -EINVAL;
	}
	job->t_first = ktime_get_real();
	for (i = 0; i < job->n; i++) {
		struct sk_buff *skb = frame_skb(&job->frames[i], dev);

		job->rc[i] = skb ? dev_queue_xmit(skb) : -ENOMEM;
	}
	dev_put(dev);
	return 0;
}

static void send_frames(struct send_job *job)
{
	struct ul_task *t = ul_task_spawn(NULL, "sender", 0, sender, job);
	int i;

	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	ul_run_until_idle(1000ULL * 1000 * 1000);
	for (i = 0; i < job->n; i++)
		assert_int_equal(job->rc[i], NET_XMIT_SUCCESS);
}

/* Read @path back; the frames must be exactly @want (in order). */
static void expect_pcap(const char *path, struct frame **want, int n, ktime_t t_first)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, errbuf);
	int i = 0, rc;

	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	assert_int_equal(pcap_snapshot(p), UL_CAPTURE_SNAPLEN);
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1 && i <= n) {
		ktime_t ts = (ktime_t)hdr->ts.tv_sec * NSEC_PER_SEC +
			     (ktime_t)hdr->ts.tv_usec * NSEC_PER_USEC;

		assert_true(i < n);
		assert_int_equal(hdr->len, want[i]->len);
		assert_int_equal(hdr->caplen, want[i]->len);
		assert_memory_equal(data, want[i]->bytes, want[i]->len);
		/* The stack's wall clock (ktime_get_real), microseconds in the file. */
		assert_true(ts >= t_first - NSEC_PER_USEC);
		assert_true(ts - t_first < NSEC_PER_SEC);
		i++;
	}
	assert_int_equal(rc, PCAP_ERROR_BREAK);	/* end of file, no read error */
	assert_int_equal(i, n);
	pcap_close(p);
}

static void test_capture_lo_filter(void **state)
{
	static struct frame f[5];
	struct send_job job = { .frames = f, .n = 5 };
	struct frame *want[3] = { &f[0], &f[2], &f[4] };
	int id;
	(void)state;

	frame_init(&f[0], TYPE_IN, 46, 0, 0);
	frame_init(&f[1], TYPE_OUT, 46, 0, 1);
	frame_init(&f[2], TYPE_IN, 1500, 0, 2);
	frame_init(&f[3], TYPE_OUT, 100, 0, 3);
	frame_init(&f[4], TYPE_IN, 300, 200, 4);	/* non-linear: 200 bytes on frag_list */

	id = ul_capture_start(NULL, "lo", "ether proto 0x88b5", pcap_path);
	assert_true(id > 0);
	send_frames(&job);
	/* Each frame once: the outgoing copy on lo is skipped (libpcap does the same). */
	assert_int_equal(ul_capture_count(id), 3);
	assert_int_equal(ul_capture_stop(id), 3);
	assert_int_equal(ul_capture_stop(id), -ENOENT);
	assert_int_equal(ul_capture_count(id), -ENOENT);
	expect_pcap(pcap_path, want, 3, job.t_first);
}

static void test_capture_any_no_filter(void **state)
{
	static struct frame f[2];
	struct send_job job = { .frames = f, .n = 2 };
	struct frame *want[2] = { &f[0], &f[1] };
	int id;
	(void)state;

	frame_init(&f[0], TYPE_OUT, 60, 0, 5);
	frame_init(&f[1], TYPE_IN, 20, 0, 6);
	/* NULL device = "any" in the initial namespace; "" filter = everything. */
	id = ul_capture_start("", NULL, "", pcap_path);
	assert_true(id > 0);
	send_frames(&job);
	assert_int_equal(ul_capture_stop(id), 2);
	expect_pcap(pcap_path, want, 2, job.t_first);
}

static void test_capture_two_at_once(void **state)
{
	static struct frame f[3];
	struct send_job job = { .frames = f, .n = 3 };
	char path2[] = "/tmp/ulnet-capture2-XXXXXX";
	struct frame *want_in[2] = { &f[0], &f[2] }, *want_out[1] = { &f[1] };
	int a, b, fd;
	(void)state;

	fd = mkstemp(path2);
	assert_true(fd >= 0);
	close(fd);
	frame_init(&f[0], TYPE_IN, 50, 0, 7);
	frame_init(&f[1], TYPE_OUT, 50, 0, 8);
	frame_init(&f[2], TYPE_IN, 70, 0, 9);
	a = ul_capture_start(NULL, "lo", "ether proto 0x88b5", pcap_path);
	b = ul_capture_start(NULL, "any", "ether proto 0x88b6", path2);
	assert_true(a > 0);
	assert_true(b > 0);
	assert_int_not_equal(a, b);
	send_frames(&job);
	assert_int_equal(ul_capture_stop(b), 1);
	assert_int_equal(ul_capture_stop(a), 2);
	expect_pcap(pcap_path, want_in, 2, job.t_first);
	expect_pcap(path2, want_out, 1, job.t_first);
	unlink(path2);
}

static void test_capture_errors(void **state)
{
	(void)state;

	assert_int_equal(ul_capture_start(NULL, "lo", "ether proto", pcap_path), -EINVAL);
	assert_int_equal(ul_capture_start(NULL, "lo", "no such keyword", pcap_path), -EINVAL);
	assert_int_equal(ul_capture_start(NULL, "eth9", NULL, pcap_path), -ENODEV);
	assert_int_equal(ul_capture_start("nosuchns", "lo", NULL, pcap_path), -ENOENT);
	assert_int_equal(ul_capture_start(NULL, "lo", NULL, NULL), -EINVAL);
	assert_int_equal(ul_capture_start(NULL, "lo", NULL, ""), -EINVAL);
	assert_int_equal(ul_capture_start(NULL, "lo", NULL, "/nonexistent-dir/x.pcap"), -ENOENT);
	assert_int_equal(ul_capture_stop(0), -ENOENT);
	assert_int_equal(ul_capture_stop(-3), -ENOENT);
	assert_int_equal(ul_capture_stop(12345), -ENOENT);
	/* Failed starts left nothing behind: the device's references are back. */
	{
		struct net_device *lo = __dev_get_by_name(&init_net, "lo");
		int refs;

		assert_non_null(lo);
		refs = netdev_refcnt_read(lo);
		assert_true(ul_capture_start(NULL, "lo", "bad filter (", pcap_path) == -EINVAL);
		assert_int_equal(netdev_refcnt_read(lo), refs);
	}
}

static void test_capture_table_full(void **state)
{
	int ids[UL_CAPTURE_MAX], i;
	(void)state;

	for (i = 0; i < UL_CAPTURE_MAX; i++) {
		ids[i] = ul_capture_start(NULL, "lo", NULL, pcap_path);
		assert_true(ids[i] > 0);
	}
	assert_int_equal(ul_capture_start(NULL, "lo", NULL, pcap_path), -EMFILE);
	for (i = 0; i < UL_CAPTURE_MAX; i++)
		assert_int_equal(ul_capture_stop(ids[i]), 0);
	/* Slots are reusable, ids are not. */
	i = ul_capture_start(NULL, "lo", NULL, pcap_path);
	assert_true(i > ids[UL_CAPTURE_MAX - 1]);
	assert_int_equal(ul_capture_stop(i), 0);
}

/* Captures left open are closed by ul_capture_fini (stack teardown): the file is complete. */
static void test_capture_fini_closes(void **state)
{
	static struct frame f[1];
	struct send_job job = { .frames = f, .n = 1 };
	struct frame *want[1] = { &f[0] };
	int id;
	(void)state;

	frame_init(&f[0], TYPE_IN, 40, 0, 10);
	id = ul_capture_start(NULL, "lo", NULL, pcap_path);
	assert_true(id > 0);
	send_frames(&job);
	ul_capture_fini();
	assert_int_equal(ul_capture_stop(id), -ENOENT);
	expect_pcap(pcap_path, want, 1, job.t_first);
}

/* ul_stack_destroy closes what was left open (net_shutdown calls ul_capture_fini). */
static void test_capture_teardown_closes(void **state)
{
	static struct frame f[2];
	struct send_job job = { .frames = f, .n = 2 };
	struct frame *want[2] = { &f[0], &f[1] };
	int id;
	(void)state;

	frame_init(&f[0], TYPE_IN, 40, 0, 11);
	frame_init(&f[1], TYPE_OUT, 41, 0, 12);
	id = ul_capture_start(NULL, "lo", NULL, pcap_path);
	assert_true(id > 0);
	send_frames(&job);
	ul_test_teardown(NULL);
	expect_pcap(pcap_path, want, 2, job.t_first);
	assert_int_equal(ul_capture_stop(id), -ENOENT);
	/* A new stack starts with every slot free. */
	assert_int_equal(ul_test_boot_with(UL_RUNTIME_SIM, 2, 1), 0);
	id = ul_capture_start(NULL, "lo", NULL, pcap_path);
	assert_true(id > 0);
	assert_int_equal(ul_capture_stop(id), 0);
}

/* posix: two tasks on two CPUs send at once; every frame is written whole, once. */
#define POSIX_FRAMES 40

static void test_capture_posix_two_cpus(void **state)
{
	static struct frame f[2][POSIX_FRAMES];
	struct send_job job[2];
	struct ul_task *t[2];
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int id, i, k, seen[2][POSIX_FRAMES] = { { 0 } }, n = 0;
	pcap_t *p;
	(void)state;

	for (k = 0; k < 2; k++) {
		memset(&job[k], 0, sizeof(job[k]));
		job[k].frames = f[k];
		job[k].n = POSIX_FRAMES;
		for (i = 0; i < POSIX_FRAMES; i++)
			frame_init(&f[k][i], TYPE_IN, 30 + (unsigned int)i, 0, k * 100 + i);
	}
	id = ul_capture_start(NULL, "lo", "ether proto 0x88b5", pcap_path);
	assert_true(id > 0);
	t[0] = ul_task_spawn(NULL, "sender0", 0, sender, &job[0]);
	t[1] = ul_task_spawn(NULL, "sender1", 1, sender, &job[1]);
	assert_non_null(t[0]);
	assert_non_null(t[1]);
	assert_int_equal(ul_task_join(t[0]), 0);
	assert_int_equal(ul_task_join(t[1]), 0);
	/* Softirqs left to ksoftirqd may still be running: wait (bounded) for the last. */
	for (i = 0; i < 200 && ul_capture_count(id) < 2 * POSIX_FRAMES; i++)
		ul_run_for(5 * 1000 * 1000);
	assert_int_equal(ul_capture_stop(id), 2 * POSIX_FRAMES);

	p = pcap_open_offline(pcap_path, errbuf);
	assert_non_null(p);
	while (pcap_next_ex(p, &hdr, &data) == 1 && n < 4 * POSIX_FRAMES) {
		/* Which frame is it? Its length says i, its first payload byte says k. */
		i = (int)hdr->len - ETH_HLEN - 30;
		assert_true(i >= 0 && i < POSIX_FRAMES);
		k = data[ETH_HLEN] == f[0][i].bytes[ETH_HLEN] ? 0 : 1;
		assert_int_equal(hdr->caplen, f[k][i].len);
		assert_memory_equal(data, f[k][i].bytes, f[k][i].len);
		seen[k][i]++;
		n++;
	}
	pcap_close(p);
	assert_int_equal(n, 2 * POSIX_FRAMES);
	for (k = 0; k < 2; k++)
		for (i = 0; i < POSIX_FRAMES; i++)
			assert_int_equal(seen[k][i], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_capture_lo_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_any_no_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_two_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_fini_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_teardown_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_posix_two_cpus, setup_posix, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
