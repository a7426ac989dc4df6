/* SPDX-License-Identifier: MIT */
/* The built-in ping program: iputils ping(8)'s options and output over a ping socket.
 * Mirrors no kernel file: iputils (s20121221, the 3.10 era) ping.c/ping_common.c behaviour:
 * the "PING" header, one line per reply ("64 bytes from A: icmp_seq=1 ttl=64 time=0.123
 * ms", time printed with 3/2/1/0 decimals below 1/10/100 ms and above), "(DUP!)", and the
 * statistics block with rtt min/avg/max/mdev (mdev = sqrt(E[rtt^2] - E[rtt]^2), in us).
 *
 * DIVERGES from iputils: one task, sending on the interval and reading replies in between
 * (iputils multiplexes with poll); timing is kept per sequence number instead of in the
 * payload (the payload is iputils' pattern: byte i = i); ICMP errors are not shown (no
 * error queue in ulnet: a lost echo is just lost); names are not resolved (DEST is an
 * IPv4 address). -W is the wait after the last echo when nothing came back (default 10 s,
 * iputils' MAXWAIT); when replies did come back, it is max(2 x the largest RTT, the
 * interval), as iputils' schedule_exit. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lab/ping_prog.h"
#include "linux/sched.h"
#include "ulnet/ping.h"
#include "ulnet/socket.h"
#include "uapi/linux/icmp.h"

#define PING_MAXPACKET	65507		/* largest -s: IP max - ICMP header... as iputils */
#define PING_SEQS	65536
#define NS_PER_US	1000ULL
#define NS_PER_MS	1000000ULL
#define NS_PER_S	1000000000ULL

/* iputils' -i and -W take seconds with decimals; store nanoseconds. */
static int parse_seconds(const char *s, u64 max_s, u64 *ns)
{
	char *end;
	double v;

	if (!*s || *s == '-')
		return -EINVAL;
	v = strtod(s, &end);
	if (*end || v < 0 || v > (double)max_s)
		return -EINVAL;
	*ns = (u64)(v * (double)NS_PER_S + 0.5);
	return 0;
}

int ping_prog_parse(int argc, char **argv, struct ping_prog *p, const char **msg)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->size = 56;
	p->interval_ns = NS_PER_S;
	p->linger_ns = 10 * NS_PER_S;
	p->out = stdout;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		long v;

		if (a[0] != '-' || !a[1])
			break;
		if (strlen(a) != 2 || i + 1 >= argc) {
			*msg = "usage: ping [-c COUNT] [-i INTERVAL] [-s SIZE] [-W TIMEOUT] DEST";
			return -EINVAL;
		}
		a = argv[++i];
		switch (argv[i - 1][1]) {
		case 'c':
			v = strtol(a, &end, 10);
			if (*end || !*a || v < 1 || v > 1000000) {
				*msg = "ping: bad number of packets to transmit.";
				return -EINVAL;
			}
			p->count = (unsigned long)v;
			break;
		case 'i':
			if (parse_seconds(a, 3600, &p->interval_ns)) {
				*msg = "ping: bad timing interval.";
				return -EINVAL;
			}
			break;
		case 's':
			v = strtol(a, &end, 10);
			if (*end || !*a || v < 0) {
				*msg = "ping: illegal negative packet size.";
				return -EINVAL;
			}
			if (v > PING_MAXPACKET - 8) {
				*msg = "ping: packet size too large. Maximum is 65499";
				return -EINVAL;
			}
			p->size = (size_t)v;
			break;
		case 'W':
			if (parse_seconds(a, 3600, &p->linger_ns) || !p->linger_ns) {
				*msg = "ping: bad linger time.";
				return -EINVAL;
			}
			break;
		default:
			*msg = "usage: ping [-c COUNT] [-i INTERVAL] [-s SIZE] [-W TIMEOUT] DEST";
			return -EINVAL;
		}
	}
	if (i != argc - 1) {
		*msg = "usage: ping [-c COUNT] [-i INTERVAL] [-s SIZE] [-W TIMEOUT] DEST";
		return -EINVAL;
	}
	if (strlen(argv[i]) >= sizeof(p->dest) ||
	    inet_pton(AF_INET, argv[i], &p->addr.sin_addr) != 1) {
		*msg = "ping: unknown host (DEST must be an IPv4 address)";
		return -EINVAL;
	}
	snprintf(p->dest, sizeof(p->dest), "%s", argv[i]);
	p->addr.sin_family = AF_INET;
	return 0;
}

/* iputils' llsqrt: the integer square root (Newton). */
static long long llsqrt(long long a)
{
	long long prev = 0x7fffffffffffffffLL;
	long long x = a;
	unsigned int guard = 0;

	if (x > 0) {
		while (x < prev && ++guard < 200) {
			prev = x;
			x = (x + (a / x)) / 2;
		}
	}
	return x;
}

/* " time=0.123 ms" with iputils' precision for the size of the number (in us). */
static void print_time(FILE *out, long triptime)
{
	if (triptime >= 100000)
		fprintf(out, " time=%ld ms", triptime / 1000);
	else if (triptime >= 10000)
		fprintf(out, " time=%ld.%01ld ms", triptime / 1000, (triptime % 1000) / 100);
	else if (triptime >= 1000)
		fprintf(out, " time=%ld.%02ld ms", triptime / 1000, (triptime % 1000) / 10);
	else
		fprintf(out, " time=%ld.%03ld ms", triptime / 1000, triptime % 1000);
}

struct ping_run {
	struct ping_prog *p;
	int fd;
	bool timing;
	u64 *sent_at;			/* per seq & 0xffff */
	unsigned char *seen;		/* bitmap per seq & 0xffff */
	unsigned long ntransmitted, nreceived, nrepeats;
	long tmin, tmax;		/* us */
	long long tsum, tsum2;
};

/* Read replies until @deadline (virtual or real ns), or until every echo sent so far has
 * been answered when @until_all. 1 when signalled, 0 otherwise. */
static int ping_receive(struct ping_run *r, u64 deadline, bool until_all)
{
	struct ping_prog *p = r->p;
	unsigned char *buf = r->p->buf;
	unsigned int guard = 0;

	while (++guard < 1000000) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int)) * 4];
		} control;
		struct sockaddr_in from;
		struct iovec iov = { .iov_base = buf, .iov_len = p->size + 8 };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &control, .msg_controllen = sizeof(control),
		};
		struct timeval tv;
		struct cmsghdr *c;
		struct icmphdr h;
		char fromstr[INET_ADDRSTRLEN];
		u64 now = ul_now_ns(), left;
		unsigned int seq;
		int ttl = -1;
		bool dup;
		ssize_t n;

		if (until_all && r->nreceived >= r->ntransmitted)
			return 0;
		if (now >= deadline)
			return 0;
		left = deadline - now;
		tv.tv_sec = (time_t)(left / NS_PER_S);
		tv.tv_usec = (suseconds_t)((left % NS_PER_S + NS_PER_US - 1) / NS_PER_US);
		if (!tv.tv_sec && !tv.tv_usec)
			tv.tv_usec = 1;
		ul_setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		n = ul_recvmsg(r->fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR || signal_pending(current))
				return 1;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				continue;	/* the deadline check ends it */
			return 0;
		}
		if (n < (ssize_t)sizeof(h))
			continue;
		memcpy(&h, buf, sizeof(h));
		if (h.type != ICMP_ECHOREPLY)
			continue;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_TTL)
				memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
		seq = ntohs(h.un.echo.sequence);
		dup = r->seen[seq >> 3] & (1u << (seq & 7));
		if (dup) {
			r->nrepeats++;
		} else {
			r->seen[seq >> 3] |= (unsigned char)(1u << (seq & 7));
			r->nreceived++;
		}
		inet_ntop(AF_INET, &from.sin_addr, fromstr, sizeof(fromstr));
		fprintf(p->out, "%zd bytes from %s: icmp_seq=%u ttl=%d", n, fromstr, seq, ttl);
		if (r->timing) {
			long triptime = (long)((ul_now_ns() - r->sent_at[seq]) / NS_PER_US);

			r->tsum += triptime;
			r->tsum2 += (long long)triptime * triptime;
			if (triptime < r->tmin)
				r->tmin = triptime;
			if (triptime > r->tmax)
				r->tmax = triptime;
			print_time(p->out, triptime);
		}
		if (dup)
			fprintf(p->out, " (DUP!)");
		fprintf(p->out, "\n");
		fflush(p->out);
	}
	return 0;
}

int ping_prog_run(struct ping_prog *p)
{
	struct ping_run r = { .p = p, .tmin = 0x7fffffff };
	struct sockaddr_in probe_to = p->addr;
	u64 start, elapsed;
	unsigned long seq;
	int one = 1, probe, err = 0;
	bool stop = false;

	p->buf = malloc(p->size + 8 + 16);
	r.sent_at = calloc(PING_SEQS, sizeof(*r.sent_at));
	r.seen = calloc(PING_SEQS / 8, 1);
	if (!p->buf || !r.sent_at || !r.seen) {
		err = ENOMEM;
		goto out;
	}
	r.timing = p->size >= sizeof(struct timeval);

	/* iputils finds the source address with a connected UDP probe: no route is
	 * "connect: Network is unreachable" before anything is sent. */
	probe = ul_socket(AF_INET, SOCK_DGRAM, 0);
	if (probe < 0) {
		err = errno;
		fprintf(p->out, "ping: socket: %s\n", strerror(err));
		goto out;
	}
	probe_to.sin_port = htons(1025);
	if (ul_connect(probe, (struct sockaddr *)&probe_to, sizeof(probe_to)) < 0) {
		err = errno;
		fprintf(p->out, "connect: %s\n", strerror(err));
		ul_close(probe);
		goto out;
	}
	ul_close(probe);

	r.fd = ul_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (r.fd < 0) {
		err = errno;
		fprintf(p->out, "ping: socket: %s\n", strerror(err));
		goto out;
	}
	ul_setsockopt(r.fd, SOL_IP, IP_RECVTTL, &one, sizeof(one));

	fprintf(p->out, "PING %s (%s) %zu(%zu) bytes of data.\n", p->dest, p->dest, p->size,
		p->size + 8 + 20);
	fflush(p->out);
	start = ul_now_ns();
	for (seq = 1; !stop && (!p->count || seq <= p->count); seq++) {
		struct icmphdr h;
		bool last = p->count && seq == p->count;
		u64 sent;
		size_t i;

		memset(&h, 0, sizeof(h));
		h.type = ICMP_ECHO;
		h.un.echo.sequence = htons((u16)seq);
		memcpy(p->buf, &h, sizeof(h));
		for (i = 0; i < p->size; i++)
			p->buf[8 + i] = (unsigned char)i;
		r.seen[(seq & 0xffff) >> 3] &= (unsigned char)~(1u << (seq & 7));
		sent = ul_now_ns();
		r.sent_at[seq & 0xffff] = sent;
		if (ul_sendto(r.fd, p->buf, p->size + 8, 0, (struct sockaddr *)&p->addr,
			      sizeof(p->addr)) < 0) {
			if (errno == EINTR)
				break;
			fprintf(p->out, "ping: sendmsg: %s\n", strerror(errno));
		}
		r.ntransmitted++;
		if (!last) {
			stop = ping_receive(&r, sent + p->interval_ns, false);
			continue;
		}
		/* After the last echo: until all are answered, or iputils' schedule_exit wait:
		 * max(2 x the largest RTT, the interval) when replies came, else -W. */
		stop = ping_receive(&r, ul_now_ns() + (r.nreceived ?
			max_t(u64, 2 * (u64)r.tmax * NS_PER_US, p->interval_ns) : p->linger_ns),
			true);
	}
	elapsed = ul_now_ns() - start;

	fprintf(p->out, "\n--- %s ping statistics ---\n", p->dest);
	fprintf(p->out, "%lu packets transmitted, %lu received", r.ntransmitted, r.nreceived);
	if (r.nrepeats)
		fprintf(p->out, ", +%lu duplicates", r.nrepeats);
	if (r.ntransmitted)
		fprintf(p->out, ", %d%% packet loss, time %llums",
			(int)(((long long)(r.ntransmitted - r.nreceived) * 100) /
			      (long long)r.ntransmitted),
			(unsigned long long)(elapsed / NS_PER_MS));
	fprintf(p->out, "\n");
	if (r.nreceived && r.timing) {
		long long n = (long long)(r.nreceived + r.nrepeats);
		long long tsum = r.tsum / n, tsum2 = r.tsum2 / n;
		long tmdev = (long)llsqrt(tsum2 - tsum * tsum);

		fprintf(p->out, "rtt min/avg/max/mdev = %ld.%03ld/%lu.%03ld/%ld.%03ld/%ld.%03ld ms\n",
			r.tmin / 1000, r.tmin % 1000, (unsigned long)(tsum / 1000),
			(long)(tsum % 1000), r.tmax / 1000, r.tmax % 1000, tmdev / 1000,
			tmdev % 1000);
	}
	fflush(p->out);
	ul_close(r.fd);
	err = r.nreceived ? 0 : ETIMEDOUT;
out:
	free(r.sent_at);
	free(r.seen);
	free(p->buf);
	p->buf = NULL;
	p->result = err;
	return err;
}

static int ping_task(void *arg)
{
	return ping_prog_run(arg);
}

UL_API int ul_ping(const char *netns, int argc, char **argv, FILE *out)
{
	struct ping_prog p;
	const char *msg = "bad arguments";
	struct ul_task *t;
	int code;

	if (!out || argc < 1 || !argv)
		return 2;
	if (ping_prog_parse(argc, argv, &p, &msg)) {
		fprintf(out, "%s\n", msg);
		return 2;
	}
	p.out = out;
	t = ul_task_spawn(netns, "ping", -1, ping_task, &p);
	if (!t) {
		fprintf(out, "ping: cannot start the task\n");
		return 2;
	}
	code = ul_task_join(t);
	if (code == 0)
		return 0;
	return code == ETIMEDOUT ? 1 : 2;
}
