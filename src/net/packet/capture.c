/* SPDX-License-Identifier: MIT */
/* Packet capture: a ptype_all tap per capture that filters frames with a libpcap (tcpdump)
 * expression and writes them to a pcap file, as `tcpdump -i DEV -w FILE 'filter'` does.
 * Mirrors linux/net/packet/af_packet.c: packet_rcv (the tap: checks, filter, copy, consume)
 * and packet_notifier (a bound device that goes away unbinds the capture); the libpcap side
 * (pcap-linux.c) is folded in: filter compiled with pcap_compile, frames written with
 * pcap_dump.
 *
 * DIVERGES: Linux runs the filter as classic BPF in the kernel (sk_run_filter) on the packet
 * socket and hands frames to tcpdump through the socket queue; ulnet runs libpcap's
 * compiled filter (pcap_offline_filter, the same BPF program) inside the tap and writes the
 * file at once, so a capture never drops for want of socket buffer.
 * DIVERGES: captures on "any" are written as Ethernet (DLT_EN10MB), not Linux cooked
 * (DLT_LINUX_SLL) as tcpdump -i any does: every ulnet device carries Ethernet headers.
 *
 * Both directions: received frames arrive from __netif_receive_skb_core, transmitted ones from
 * dev_queue_xmit_nit (pkt_type PACKET_OUTGOING). On a loopback device every frame would be
 * seen twice (once leaving, once arriving), so the outgoing copy is skipped, as libpcap's
 * pcap-linux.c does for lo: a capture on lo shows each frame once, like tcpdump -i lo.
 *
 * LOCKING: capture_lock (a pthread mutex, real on both runtimes) protects the table and every
 * libpcap call. It is taken in the tap (softirq or a transmitting task) and in process
 * context; the netdevice notifier takes it under rtnl_lock. Never take rtnl_lock or call
 * dev_add_pack/dev_remove_pack while holding it. */
#include <errno.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "linux/kernel.h"
#include "linux/ktime.h"
#include "linux/netdevice.h"
#include "linux/notifier.h"
#include "linux/rtnetlink.h"
#include "linux/skbuff.h"
#include "net/capture.h"
#include "net/net_namespace.h"
#include "trace/path.h"

#include "ulnet/ulnet.h"

struct ul_capture {
	int id;				/* > 0 while the slot is in use */
	bool bound;			/* pt is on ptype_all: frames are taken */
	bool stopping;			/* ul_capture_stop is closing it */
	struct packet_type pt;
	struct net *net;		/* only frames of this namespace */
	struct net_device *dev;		/* held (dev_hold); NULL for "any" or after unbind */
	char ifname[IFNAMSIZ];
	pcap_t *pcap;			/* pcap_open_dead: the link type and snap length */
	pcap_dumper_t *dumper;
	struct bpf_program prog;
	bool has_filter;
	unsigned char *buf;		/* the frame, linear, from the MAC header */
	long written;
};

static pthread_mutex_t capture_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ul_capture captures[UL_CAPTURE_MAX];
static int capture_next_id = 1;
static int capture_open;		/* slots in use */
/* The netdevice notifier is registered while captures are open. capture_reg_lock orders its
 * registration against the count; lock order: capture_reg_lock, rtnl_lock, capture_lock. */
static pthread_mutex_t capture_reg_lock = PTHREAD_MUTEX_INITIALIZER;
static bool capture_notifier_registered;
static struct notifier_block capture_notifier;

/* The tap. Consumes @skb (deliver_skb gave it a reference of its own). Context: softirq for
 * received frames, the transmitting context with bottom halves off for outgoing copies. */
static int packet_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	struct ul_capture *c = pt->af_packet_priv;
	unsigned int mac_len = 0, len, caplen;
	struct pcap_pkthdr hdr;
	ktime_t now;

	UL_TRACEF(skb, "dev=%s", dev->name);
	/* Multicast looped back by the stack itself: not a frame on the wire (af_packet.c). */
	if (skb->pkt_type == PACKET_LOOPBACK)
		goto out;
	if (!net_eq(dev_net(dev), c->net))
		goto out;
	if (skb->pkt_type == PACKET_OUTGOING && (dev->flags & IFF_LOOPBACK))
		goto out;

	/* Received frames have data at the network header and the MAC header before it; the
	 * copies of outgoing ones start at the MAC header (dev_queue_xmit_nit resets it). */
	if (skb_mac_header_was_set(skb) && skb_mac_header(skb) >= skb->head &&
	    skb_mac_header(skb) <= skb->data)
		mac_len = (unsigned int)(skb->data - skb_mac_header(skb));
	len = mac_len + skb->len;
	caplen = min_t(unsigned int, len, UL_CAPTURE_SNAPLEN);
	now = ktime_get_real();

	pthread_mutex_lock(&capture_lock);
	if (!c->bound)
		goto out_unlock;
	memcpy(c->buf, skb->data - mac_len, min(mac_len, caplen));
	/* The rest may sit on frag_list: skb_copy_bits walks it. */
	if (caplen > mac_len &&
	    skb_copy_bits(skb, 0, c->buf + mac_len, (int)(caplen - mac_len)) < 0)
		goto out_unlock;
	hdr.ts.tv_sec = (time_t)(now / NSEC_PER_SEC);
	hdr.ts.tv_usec = (suseconds_t)((now % NSEC_PER_SEC) / NSEC_PER_USEC);
	hdr.caplen = caplen;
	hdr.len = len;
	if (c->has_filter && !pcap_offline_filter(&c->prog, &hdr, c->buf))
		goto out_unlock;
	pcap_dump((u_char *)c->dumper, &hdr, c->buf);
	c->written++;
out_unlock:
	pthread_mutex_unlock(&capture_lock);
out:
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/* Caller holds capture_lock; @c is unbound (not on ptype_all). */
static long capture_close_locked(struct ul_capture *c)
{
	long written = c->written;

	if (c->dumper)
		pcap_dump_close(c->dumper);
	if (c->has_filter)
		pcap_freecode(&c->prog);
	if (c->pcap)
		pcap_close(c->pcap);
	free(c->buf);
	if (c->dev)
		dev_put(c->dev);
	memset(c, 0, sizeof(*c));
	capture_open--;
	return written;
}

static struct ul_capture *capture_find_locked(int id)
{
	int i;

	if (id <= 0)
		return NULL;
	for (i = 0; i < UL_CAPTURE_MAX; i++)
		if (captures[i].id == id && !captures[i].stopping)
			return &captures[i];
	return NULL;
}

/* A device that a capture is bound to is unregistered: unbind it and let the device go (its
 * file stays open until ul_capture_stop), as packet_notifier does for a bound packet socket.
 * Context: process, rtnl_lock held. */
static int capture_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ul_capture *unbind[UL_CAPTURE_MAX];
	int i, n = 0;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	pthread_mutex_lock(&capture_lock);
	for (i = 0; i < UL_CAPTURE_MAX; i++) {
		struct ul_capture *c = &captures[i];

		if (c->id && c->bound && c->dev == dev) {
			c->bound = false;
			unbind[n++] = c;
		}
	}
	pthread_mutex_unlock(&capture_lock);
	for (i = 0; i < n; i++) {
		dev_remove_pack(&unbind[i]->pt);
		pr_info("capture %d: device %s went away; the capture stopped taking frames\n",
			unbind[i]->id, dev->name);
		pthread_mutex_lock(&capture_lock);
		if (unbind[i]->dev == dev) {
			unbind[i]->dev = NULL;
			dev_put(dev);
		}
		pthread_mutex_unlock(&capture_lock);
	}
	return NOTIFY_DONE;
}

static struct notifier_block capture_notifier = {
	.notifier_call = capture_netdev_event,
};

/* Compile @filter and open @path for a capture. 0 or -errno (message printed). */
static int capture_open_files(struct ul_capture *c, const char *filter, const char *path)
{
	int err;

	c->pcap = pcap_open_dead(DLT_EN10MB, UL_CAPTURE_SNAPLEN);
	if (!c->pcap)
		return -ENOMEM;
	if (filter && *filter) {
		if (pcap_compile(c->pcap, &c->prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			pr_err("capture: bad filter '%s': %s\n", filter, pcap_geterr(c->pcap));
			return -EINVAL;
		}
		c->has_filter = true;
	}
	errno = 0;
	c->dumper = pcap_dump_open(c->pcap, path);
	if (!c->dumper) {
		err = errno ? -errno : -EIO;
		pr_err("capture: cannot write %s: %s\n", path, pcap_geterr(c->pcap));
		return err;
	}
	c->buf = malloc(UL_CAPTURE_SNAPLEN);
	if (!c->buf)
		return -ENOMEM;
	return 0;
}

UL_EXPORT int ul_capture_start(const char *netns, const char *dev, const char *filter,
			    const char *pcap_path)
{
	struct ul_capture *c = NULL;
	struct net_device *d = NULL;
	struct net *net;
	int i, id, err;

	if (!pcap_path || !*pcap_path)
		return -EINVAL;
	if (!ul_stack_exists())
		return -ENODEV;
	net = ul_net_by_name(netns);
	if (!net) {
		pr_err("capture: no network namespace '%s'\n", netns);
		return -ENOENT;
	}
	if (dev && *dev && strcmp(dev, "any")) {
		d = dev_get_by_name(net, dev);
		if (!d) {
			pr_err("capture: no device '%s'\n", dev);
			return -ENODEV;
		}
	}

	pthread_mutex_lock(&capture_lock);
	for (i = 0; i < UL_CAPTURE_MAX; i++) {
		if (!captures[i].id) {
			c = &captures[i];
			break;
		}
	}
	if (!c) {
		pthread_mutex_unlock(&capture_lock);
		pr_err("capture: %d captures already open\n", UL_CAPTURE_MAX);
		err = -EMFILE;
		goto out_put;
	}
	id = capture_next_id++;
	c->id = id;
	c->stopping = true;	/* invisible to ul_capture_stop until set up */
	c->net = net;
	c->dev = d;
	snprintf(c->ifname, sizeof(c->ifname), "%s", d ? d->name : "any");
	capture_open++;
	err = capture_open_files(c, filter, pcap_path);
	if (err) {
		c->dev = NULL;	/* the reference is dropped below */
		capture_close_locked(c);
		pthread_mutex_unlock(&capture_lock);
		goto out_put;
	}
	c->pt.type = htons(ETH_P_ALL);
	c->pt.dev = d;
	c->pt.func = packet_rcv;
	c->pt.af_packet_priv = c;
	c->pt.ul_func_name = "packet_rcv";
	c->bound = true;
	c->stopping = false;
	pthread_mutex_unlock(&capture_lock);

	/* Watch for bound devices going away (not under capture_lock: see LOCKING). */
	pthread_mutex_lock(&capture_reg_lock);
	if (!capture_notifier_registered && !register_netdevice_notifier(&capture_notifier))
		capture_notifier_registered = true;
	pthread_mutex_unlock(&capture_reg_lock);
	dev_add_pack(&c->pt);
	return id;

out_put:
	if (d)
		dev_put(d);
	return err;
}

UL_EXPORT long ul_capture_stop(int id)
{
	struct ul_capture *c;
	bool was_bound, last;
	long written;

	pthread_mutex_lock(&capture_lock);
	c = capture_find_locked(id);
	if (!c) {
		pthread_mutex_unlock(&capture_lock);
		return -ENOENT;
	}
	c->stopping = true;
	was_bound = c->bound;
	c->bound = false;
	pthread_mutex_unlock(&capture_lock);

	if (was_bound)
		dev_remove_pack(&c->pt);

	pthread_mutex_lock(&capture_lock);
	written = capture_close_locked(c);
	pthread_mutex_unlock(&capture_lock);

	pthread_mutex_lock(&capture_reg_lock);
	pthread_mutex_lock(&capture_lock);
	last = capture_open == 0;
	pthread_mutex_unlock(&capture_lock);
	if (last && capture_notifier_registered) {
		unregister_netdevice_notifier(&capture_notifier);
		capture_notifier_registered = false;
	}
	pthread_mutex_unlock(&capture_reg_lock);
	return written;
}

long ul_capture_count(int id)
{
	struct ul_capture *c;
	long n = -ENOENT;

	pthread_mutex_lock(&capture_lock);
	c = capture_find_locked(id);
	if (c)
		n = c->written;
	pthread_mutex_unlock(&capture_lock);
	return n;
}

void ul_capture_fini(void)
{
	int i, id;

	for (i = 0; i < UL_CAPTURE_MAX; i++) {
		pthread_mutex_lock(&capture_lock);
		id = captures[i].stopping ? 0 : captures[i].id;
		pthread_mutex_unlock(&capture_lock);
		if (id)
			ul_capture_stop(id);
	}
}
