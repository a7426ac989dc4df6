/* SPDX-License-Identifier: MIT */
/* The built-in programs that scenarios start with `exec -n NS PROGRAM ARGS`.
 * Mirrors no kernel file. Only programs whose mechanisms exist are listed: a raw frame sender
 * (what the loopback demo's task does) and UDP echo/discard/send over the socket API. TCP
 * programs (chargen, the HTTP server, bulk send/receive, connect loop, connection holder)
 * and arping are added here as their mechanisms land (ping is src/lab/ping.c); an unknown
 * name is an error naming it. A program exits with 0 or a positive errno. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ulnet/socket.h"
#include "lab/ping_prog.h"
#include "lab/scenario.h"
#include "ulnet/lab.h"
#include "linux/netdevice.h"
#include "linux/sched.h"
#include "linux/skbuff.h"
#include "net/net_namespace.h"
#include "trace/path.h"
#include "uapi/linux/if_ether.h"

#define FRAME_SEND_MAX	 1000000
#define FRAME_PAYLOAD	 "ulnet frame-send: a raw frame"

struct frame_send {
	char dev[IFNAMSIZ];
	unsigned long count;
	u16 type;
};

static int frame_send_prepare(const char *netns, int argc, char **argv, void **state,
			      const char **msg)
{
	struct frame_send *fs;
	char *end;

	if (argc < 2 || argc > 4) {
		*msg = "usage: frame-send DEV [COUNT [ETHERTYPE]]";
		return -EINVAL;
	}
	if (strlen(argv[1]) >= IFNAMSIZ) {
		*msg = "device name too long";
		return -EINVAL;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	snprintf(fs->dev, sizeof(fs->dev), "%s", argv[1]);
	fs->count = 1;
	fs->type = ETH_P_802_EX1;
	if (argc > 2) {
		fs->count = strtoul(argv[2], &end, 0);
		if (*end || !fs->count || fs->count > FRAME_SEND_MAX || argv[2][0] == '-') {
			free(fs);
			*msg = "COUNT must be 1..1000000";
			return -EINVAL;
		}
	}
	if (argc > 3) {
		unsigned long t = strtoul(argv[3], &end, 0);

		if (*end || t < ETH_P_802_3_MIN || t > 0xffff) {
			free(fs);
			*msg = "ETHERTYPE must be 0x0600..0xffff";
			return -EINVAL;
		}
		fs->type = (u16)t;
	}
	*state = fs;
	return 0;
}

/* The task: @count frames to the device's own address, as the loopback demo sends. Context:
 * process (a task in its namespace). Exits with 0 or a positive errno (ENODEV, ENETDOWN). */
static int frame_send_run(void *state)
{
	struct frame_send *fs = state;
	unsigned int plen = sizeof(FRAME_PAYLOAD) - 1;
	struct net_device *dev = dev_get_by_name(current->net, fs->dev);
	unsigned long i;
	int err = 0;

	if (!dev)
		return ENODEV;
	/* A down device (lo of a new namespace, until `ip link set lo up`): what a packet
	 * socket's send reports. */
	if (!netif_running(dev)) {
		dev_put(dev);
		return ENETDOWN;
	}
	for (i = 0; i < fs->count; i++) {
		unsigned int room = ((dev->hard_header_len + dev->needed_headroom) & ~15u) + 16;
		struct sk_buff *skb = alloc_skb(room + plen, GFP_KERNEL);

		if (!skb) {
			err = ENOMEM;
			break;
		}
		skb_reserve(skb, (int)room);
		memcpy(skb_put(skb, plen), FRAME_PAYLOAD, plen);
		skb_reset_network_header(skb);
		skb->dev = dev;
		skb->protocol = htons(fs->type);
		if (dev_hard_header(skb, dev, fs->type, dev->dev_addr, NULL, skb->len) < 0) {
			kfree_skb(skb);
			err = EINVAL;
			break;
		}
		dev_queue_xmit(skb);
	}
	dev_put(dev);
	return err;
}

/* ---- UDP programs --------------------------------------------------------------------------- */

#define UDP_COUNT_MAX 1000000
#define UDP_SIZE_MAX  65507	/* the largest UDP payload over IPv4 */

enum { UDP_ECHO, UDP_DISCARD, UDP_SEND };

struct udp_prog {
	int mode;
	bool reply;			/* udp-send -r: wait for each echo */
	struct sockaddr_in addr;	/* the server's port (echo, discard) or the peer (send) */
	unsigned long count;
	size_t size;
};

static int parse_ul(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	*v = strtoul(s, &end, 0);
	return *end || *v < min || *v > max ? -EINVAL : 0;
}

static int udp_prepare(int mode, int argc, char **argv, void **state, const char **msg)
{
	struct udp_prog *u = calloc(1, sizeof(*u));
	unsigned long port, v;
	int i = 1;

	if (!u)
		return -ENOMEM;
	u->mode = mode;
	u->count = 1;
	u->size = 64;
	u->addr.sin_family = AF_INET;
	if (mode == UDP_SEND && i < argc && !strcmp(argv[i], "-r")) {
		u->reply = true;
		i++;
	}
	if (mode == UDP_SEND) {
		*msg = "usage: udp-send [-r] ADDR PORT [COUNT [SIZE]]";
		if (argc - i < 2 || argc - i > 4 ||
		    inet_pton(AF_INET, argv[i], &u->addr.sin_addr) != 1)
			goto bad;
		i++;
	} else {
		*msg = mode == UDP_ECHO ? "usage: udp-echo PORT [COUNT]" :
					  "usage: udp-discard PORT [COUNT]";
		if (argc - i < 1 || argc - i > 2)
			goto bad;
		u->addr.sin_addr.s_addr = htonl(INADDR_ANY);
	}
	if (parse_ul(argv[i++], 1, 65535, &port)) {
		*msg = "PORT must be 1..65535";
		goto bad;
	}
	u->addr.sin_port = htons((u16)port);
	if (i < argc) {
		if (parse_ul(argv[i++], 1, UDP_COUNT_MAX, &u->count)) {
			*msg = "COUNT must be 1..1000000";
			goto bad;
		}
	}
	if (i < argc) {
		if (parse_ul(argv[i++], 0, UDP_SIZE_MAX, &v)) {
			*msg = "SIZE must be 0..65507";
			goto bad;
		}
		u->size = v;
	}
	*state = u;
	return 0;
bad:
	free(u);
	return -EINVAL;
}

static int udp_echo_prepare(const char *netns, int argc, char **argv, void **state,
			    const char **msg)
{
	return udp_prepare(UDP_ECHO, argc, argv, state, msg);
}

static int udp_discard_prepare(const char *netns, int argc, char **argv, void **state,
			       const char **msg)
{
	return udp_prepare(UDP_DISCARD, argc, argv, state, msg);
}

static int udp_send_prepare(const char *netns, int argc, char **argv, void **state,
			    const char **msg)
{
	return udp_prepare(UDP_SEND, argc, argv, state, msg);
}

/* The servers: bind the port, take @count datagrams (blocking), echo them back or not.
 * The client: send @count datagrams of @size bytes, with -r waiting for each echo.
 * Context: process (a task). */
static int udp_run(void *state)
{
	struct udp_prog *u = state;
	char *buf = malloc(UDP_SIZE_MAX);
	unsigned long i;
	int fd, err = 0;

	if (!buf)
		return ENOMEM;
	fd = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		err = errno;
		free(buf);
		return err;
	}
	if (u->mode != UDP_SEND &&
	    ul_bind(fd, (const struct sockaddr *)&u->addr, sizeof(u->addr)) < 0) {
		err = errno;
		goto out;
	}
	memset(buf, 'u', u->size);
	for (i = 0; i < u->count; i++) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		ssize_t n;

		if (u->mode == UDP_SEND) {
			if (ul_sendto(fd, buf, u->size, 0, (const struct sockaddr *)&u->addr,
				      sizeof(u->addr)) < 0 ||
			    (u->reply && ul_recv(fd, buf, UDP_SIZE_MAX, 0) < 0)) {
				err = errno;
				break;
			}
			continue;
		}
		n = ul_recvfrom(fd, buf, UDP_SIZE_MAX, 0, (struct sockaddr *)&peer, &plen);
		if (n < 0 || (u->mode == UDP_ECHO &&
			      ul_sendto(fd, buf, (size_t)n, 0, (const struct sockaddr *)&peer,
					plen) < 0)) {
			err = errno;
			break;
		}
	}
out:
	ul_close(fd);
	free(buf);
	return err;
}

/* ---- ping ------------------------------------------------------------------------------ */

static int ping_prepare(const char *netns, int argc, char **argv, void **state,
			const char **msg)
{
	struct ping_prog *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = ping_prog_parse(argc, argv, p, msg);
	if (err) {
		free(p);
		return err;
	}
	*state = p;
	return 0;
}

/* Prints to stdout (programs have no output stream of their own). */
static int ping_run(void *state)
{
	return ping_prog_run(state);
}

static const struct scn_program programs[] = {
	{ "frame-send", "frame-send DEV [COUNT [ETHERTYPE]]", frame_send_prepare, frame_send_run,
	  free },
	{ "udp-echo", "udp-echo PORT [COUNT]", udp_echo_prepare, udp_run, free },
	{ "udp-discard", "udp-discard PORT [COUNT]", udp_discard_prepare, udp_run, free },
	{ "udp-send", "udp-send [-r] ADDR PORT [COUNT [SIZE]]", udp_send_prepare, udp_run, free },
	{ "ping", "ping [-c COUNT] [-i INTERVAL] [-s SIZE] [-W TIMEOUT] DEST", ping_prepare,
	  ping_run, free },
};

/* Programs added by a tool (scn_program_register). */
#define SCN_MAX_EXTRA 4
static struct {
	const struct scn_program *progs;
	size_t n;
} extra[SCN_MAX_EXTRA];
static size_t nextra;

int scn_program_register(const struct scn_program *progs, size_t n)
{
	size_t i;

	for (i = 0; i < nextra; i++)
		if (extra[i].progs == progs)
			return 0;
	for (i = 0; i < n; i++)
		if (scn_program_find(progs[i].name))
			return -EEXIST;
	if (nextra >= SCN_MAX_EXTRA)
		return -ENOSPC;
	extra[nextra].progs = progs;
	extra[nextra].n = n;
	nextra++;
	return 0;
}

const struct scn_program *scn_program_find(const char *name)
{
	const struct scn_program *p;
	size_t i;

	for (i = 0; (p = scn_program_at(i)); i++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

size_t scn_program_count(void)
{
	size_t i, n = sizeof(programs) / sizeof(programs[0]);

	for (i = 0; i < nextra; i++)
		n += extra[i].n;
	return n;
}

const struct scn_program *scn_program_at(size_t i)
{
	size_t k;

	if (i < sizeof(programs) / sizeof(programs[0]))
		return &programs[i];
	i -= sizeof(programs) / sizeof(programs[0]);
	for (k = 0; k < nextra; k++) {
		if (i < extra[k].n)
			return &extra[k].progs[i];
		i -= extra[k].n;
	}
	return NULL;
}

UL_EXPORT const char *ul_scenario_program(size_t i)
{
	const struct scn_program *p = scn_program_at(i);

	return p ? p->usage : NULL;
}
