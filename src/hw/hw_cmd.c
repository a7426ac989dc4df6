/* SPDX-License-Identifier: MIT */
/* The hardware verbs: creating NICs and wires ("hw nic add", "hw wire"), as a C API and as
 * text, and the parsers of tc's units shared with sch_netem and sch_tbf.
 * Mirrors no Linux file: Linux has no command that creates hardware (docs/hardware.md). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/ethernet/intel/igb/igb.h"
#include "hw/hw_internal.h"
#include "linux/netdevice.h"
#include "linux/rtnetlink.h"
#include "net/net_namespace.h"

/* ---- units ---- */

static int parse_scaled(const char *s, double *val, const char **unit)
{
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	*val = strtod(s, &end);
	if (errno || end == s || *val < 0)
		return -EINVAL;
	*unit = end;
	return 0;
}

int ul_parse_time_ns(const char *s, u64 *ns)
{
	const char *u;
	double v, mul;

	if (parse_scaled(s, &v, &u))
		return -EINVAL;
	if (!*u || !strcmp(u, "us") || !strcmp(u, "usec") || !strcmp(u, "usecs"))
		mul = 1e3;
	else if (!strcmp(u, "ns") || !strcmp(u, "nsec"))
		mul = 1;
	else if (!strcmp(u, "ms") || !strcmp(u, "msec") || !strcmp(u, "msecs"))
		mul = 1e6;
	else if (!strcmp(u, "s") || !strcmp(u, "sec") || !strcmp(u, "secs"))
		mul = 1e9;
	else
		return -EINVAL;
	if (v * mul > 1e18)
		return -EINVAL;
	*ns = (u64)(v * mul + 0.5);
	return 0;
}

int ul_parse_percent_ppm(const char *s, u32 *ppm)
{
	const char *u;
	double v;

	if (parse_scaled(s, &v, &u))
		return -EINVAL;
	if (!strcmp(u, "%"))
		v /= 100.0;
	else if (*u)
		return -EINVAL;
	if (v > 1.0)
		return -EINVAL;
	*ppm = (u32)(v * 1e6 + 0.5);
	return 0;
}

int ul_parse_rate_bps(const char *s, u64 *bps)
{
	static const struct { const char *u; double mul; } units[] = {
		{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 }, { "tbit", 1e12 },
		{ "bps", 8 }, { "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 }, { "", 8 },
	};
	const char *u;
	unsigned int i;
	double v;

	if (parse_scaled(s, &v, &u))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcasecmp(u, units[i].u)) {
			if (v * units[i].mul < 1 || v * units[i].mul > 1e15)
				return -EINVAL;
			*bps = (u64)(v * units[i].mul + 0.5);
			return 0;
		}
	}
	return -EINVAL;
}

int ul_parse_size(const char *s, u64 *bytes)
{
	const char *u;
	double v, mul;

	if (parse_scaled(s, &v, &u))
		return -EINVAL;
	if (!*u || !strcasecmp(u, "b"))
		mul = 1;
	else if (!strcasecmp(u, "k") || !strcasecmp(u, "kb"))
		mul = 1024;
	else if (!strcasecmp(u, "m") || !strcasecmp(u, "mb"))
		mul = 1024 * 1024;
	else if (!strcasecmp(u, "kbit"))
		mul = 1024 / 8.0;
	else if (!strcasecmp(u, "mbit"))
		mul = 1024 * 1024 / 8.0;
	else
		return -EINVAL;
	if (v * mul > 1e12)
		return -EINVAL;
	*bytes = (u64)(v * mul + 0.5);
	return 0;
}

/* ---- C API ---- */

struct hw_nic *hw_nic_of(struct net_device *dev)
{
	struct hw_nic *nic;

	if (!dev)
		return NULL;
	list_for_each_entry(nic, &hw_nics, list)
		if (!nic->dead && nic->netdev == dev)
			return nic;
	return NULL;
}

struct hw_nic *hw_nic_find(const char *netns, const char *name)
{
	struct net *net = ul_net_by_name(netns);

	if (!net || !name)
		return NULL;
	return hw_nic_of(__dev_get_by_name(net, name));
}

int hw_nic_add(const char *netns, const char *name, unsigned int queues, unsigned int ring,
	       u32 speed_mbps)
{
	struct net *net = ul_net_by_name(netns);
	struct hw_nic *nic;
	int err;

	if (!net)
		return -ENODEV;
	if (ring == 0)
		ring = HW_RING_DEFAULT;
	if (speed_mbps == 0)
		speed_mbps = 10000;
	if (queues < 1 || queues > HW_NIC_MAX_QUEUES || ring < HW_RING_MIN ||
	    ring > HW_RING_MAX || speed_mbps < 10 || speed_mbps > 400000)
		return -EINVAL;
	if (name && (!dev_valid_name(name) || __dev_get_by_name(net, name)))
		return dev_valid_name(name) ? -EEXIST : -EINVAL;
	nic = hw_nic_create(netns, name, queues, ring, speed_mbps);
	if (!nic)
		return -ENOMEM;
	err = igb_probe(nic, net, name);
	if (err) {
		hw_nic_destroy(nic);
		list_del(&nic->list);
		free(nic);
		return err;
	}
	return 0;
}

int hw_nic_del(const char *netns, const char *name)
{
	struct hw_nic *nic = hw_nic_find(netns, name);

	if (!nic)
		return -ENODEV;
	if (nic->drv && nic->drv->remove)
		nic->drv->remove(nic);
	hw_nic_destroy(nic);
	return 0;
}

int hw_wire_add(const char *ns1, const char *dev1, const char *ns2, const char *dev2,
		const struct hw_impair *imp)
{
	struct hw_nic *a = hw_nic_find(ns1, dev1), *b = hw_nic_find(ns2, dev2);

	if (!a || !b)
		return -ENODEV;
	return hw_wire_connect(a, b, imp);
}

int hw_wire_del(const char *ns, const char *dev)
{
	struct hw_nic *nic = hw_nic_find(ns, dev);

	if (!nic)
		return -ENODEV;
	if (!nic->wire)
		return -ENOENT;
	hw_wire_detach(nic);
	return 0;
}

/* ---- text verbs ---- */

#define HW_MAX_ARGS 32

int hw_outf(char **out, const char *fmt, ...)
{
	size_t old = *out ? strlen(*out) : 0;
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	p = realloc(*out, old + (size_t)n + 1);
	if (!p)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(p + old, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*out = p;
	return 0;
}

/* "ns/dev" or "dev" (initial namespace). */
static int hw_split_endpoint(const char *s, char *ns, size_t nslen, char *dev, size_t devlen)
{
	const char *slash = strchr(s, '/');

	if (slash) {
		if ((size_t)(slash - s) >= nslen || strlen(slash + 1) >= devlen || !slash[1])
			return -EINVAL;
		memcpy(ns, s, (size_t)(slash - s));
		ns[slash - s] = 0;
		snprintf(dev, devlen, "%s", slash + 1);
	} else {
		ns[0] = 0;
		if (strlen(s) >= devlen)
			return -EINVAL;
		snprintf(dev, devlen, "%s", s);
	}
	return 0;
}

static int hw_cmd_nic_add(int argc, char **argv, char **out)
{
	const char *name = NULL, *netns = NULL;
	unsigned long queues = 1, ring = 0;
	u64 bps = 10000000000ULL;
	int i;

	if (argc >= 1 && strcmp(argv[0], "netns") && strcmp(argv[0], "queues") &&
	    strcmp(argv[0], "ring") && strcmp(argv[0], "speed"))
		name = argv[0];
	for (i = name ? 1 : 0; i < argc; i += 2) {
		char *end;

		if (i + 1 >= argc)
			goto bad;
		if (!strcmp(argv[i], "netns")) {
			netns = argv[i + 1];
		} else if (!strcmp(argv[i], "queues")) {
			queues = strtoul(argv[i + 1], &end, 10);
			if (*end)
				goto bad;
		} else if (!strcmp(argv[i], "ring")) {
			ring = strtoul(argv[i + 1], &end, 10);
			if (*end)
				goto bad;
		} else if (!strcmp(argv[i], "speed")) {
			/* A bare number is Mbit/s, as ethtool's "speed N"; else tc's units. */
			unsigned long mbps = strtoul(argv[i + 1], &end, 10);

			if (!*end && end != argv[i + 1])
				bps = (u64)mbps * 1000000;
			else if (ul_parse_rate_bps(argv[i + 1], &bps))
				goto bad;
			if (bps < 10000000)
				goto bad_speed;
		} else {
			goto bad;
		}
	}
	if (queues > HW_NIC_MAX_QUEUES || ring > HW_RING_MAX || bps / 1000000 > 400000) {
bad_speed:
		hw_outf(out, "hw nic add: queues 1..%d, ring %d..%d, speed 10mbit..400gbit\n",
			HW_NIC_MAX_QUEUES, HW_RING_MIN, HW_RING_MAX);
		return -EINVAL;
	}
	return hw_nic_add(netns, name, (unsigned int)queues, (unsigned int)ring,
			  (u32)(bps / 1000000));
bad:
	hw_outf(out, "usage: hw nic add NAME [netns NS] [queues Q] [ring R] [speed 10gbit]\n");
	return -EINVAL;
}

static int hw_cmd_wire(int argc, char **argv, char **out)
{
	char ns1[32], ns2[32], d1[IFNAMSIZ], d2[IFNAMSIZ];
	struct hw_impair imp = { 0 };
	int i, err;

	if (argc >= 2 && !strcmp(argv[0], "del")) {
		if (hw_split_endpoint(argv[1], ns1, sizeof(ns1), d1, sizeof(d1)))
			goto bad;
		return hw_wire_del(ns1, d1);
	}
	if (argc < 2 || hw_split_endpoint(argv[0], ns1, sizeof(ns1), d1, sizeof(d1)) ||
	    hw_split_endpoint(argv[1], ns2, sizeof(ns2), d2, sizeof(d2)))
		goto bad;
	for (i = 2; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			goto bad;
		if (!strcmp(argv[i], "delay"))
			err = ul_parse_time_ns(v, &imp.delay_ns);
		else if (!strcmp(argv[i], "jitter"))
			err = ul_parse_time_ns(v, &imp.jitter_ns);
		else if (!strcmp(argv[i], "loss"))
			err = ul_parse_percent_ppm(v, &imp.loss_ppm);
		else if (!strcmp(argv[i], "duplicate"))
			err = ul_parse_percent_ppm(v, &imp.duplicate_ppm);
		else if (!strcmp(argv[i], "corrupt"))
			err = ul_parse_percent_ppm(v, &imp.corrupt_ppm);
		else if (!strcmp(argv[i], "reorder"))
			err = ul_parse_percent_ppm(v, &imp.reorder_ppm);
		else if (!strcmp(argv[i], "seed"))
			err = sscanf(v, "%llu", (unsigned long long *)&imp.seed) == 1 ? 0 : -EINVAL;
		else
			err = -EINVAL;
		if (err)
			goto bad;
	}
	return hw_wire_add(ns1, d1, ns2, d2, &imp);
bad:
	hw_outf(out, "usage: hw wire [NS/]DEV [NS/]DEV [delay T] [jitter T] [loss P%%] "
		     "[duplicate P%%] [corrupt P%%] [reorder P%%] [seed N] | hw wire del [NS/]DEV\n");
	return -EINVAL;
}

/* One line per NIC: "a/eth0: queues 4 ring 256 speed 10000mbit wire b/eth0". */
static int hw_cmd_nic_show(char **out)
{
	struct hw_nic *nic;

	list_for_each_entry(nic, &hw_nics, list) {
		struct hw_nic *peer = hw_wire_peer(nic);

		if (nic->dead)
			continue;
		hw_outf(out, "%s%s%s: queues %u ring %u speed %umbit", nic->netns,
			nic->netns[0] ? "/" : "", nic->netdev ? nic->netdev->name : nic->name,
			nic->active_queues, nic->ring_default, nic->speed_mbps);
		if (peer)
			hw_outf(out, " wire %s%s%s\n", peer->netns, peer->netns[0] ? "/" : "",
				peer->netdev ? peer->netdev->name : peer->name);
		else
			hw_outf(out, " no-carrier\n");
	}
	return 0;
}

int hw_cmd(const char *line, char **out)
{
	char buf[512], *argv[HW_MAX_ARGS], *save = NULL, *tok;
	int argc = 0;

	if (out)
		*out = NULL;
	if (!line || strlen(line) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " \t\n", &save); tok && argc < HW_MAX_ARGS;
	     tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	if (tok)
		return -E2BIG;
	if (argc < 2 || strcmp(argv[0], "hw"))
		goto bad;
	if (!strcmp(argv[1], "nic") && argc >= 3) {
		if (!strcmp(argv[2], "add"))
			return hw_cmd_nic_add(argc - 3, argv + 3, out);
		if (!strcmp(argv[2], "del") && argc >= 4) {
			const char *ns = argc >= 6 && !strcmp(argv[4], "netns") ? argv[5] : NULL;

			return hw_nic_del(ns, argv[3]);
		}
		if (!strcmp(argv[2], "show"))
			return out ? hw_cmd_nic_show(out) : 0;
	}
	if (!strcmp(argv[1], "wire"))
		return hw_cmd_wire(argc - 2, argv + 2, out);
bad:
	if (out)
		hw_outf(out, "usage: hw nic add|del|show ..., hw wire ... (docs/hardware.md)\n");
	return -EINVAL;
}
