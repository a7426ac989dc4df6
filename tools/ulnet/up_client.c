/* SPDX-License-Identifier: MIT */
/* `ulnet up`'s built-in TCP clients: --fetch (an HTTP/1.1 GET, the body's size and SHA-256
 * printed) and --tcp-send (N bytes of the pattern sent, then a half close; the SHA-256 of
 * what was sent printed), so that ulnet can be the active side against a kernel listener.
 * Mirrors no kernel file: user programs on the ul_ socket API (connect, send, shutdown,
 * recv), like curl and a `socat -u - TCP:...` sender. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "ulnet/socket.h"
#include "up.h"

/* A client gives up on a peer silent this long (SO_RCVTIMEO/SO_SNDTIMEO). */
#define UP_CLIENT_TIMEOUT_S	20
#define UP_FETCH_MAX_HEADER	16384

bool up_parse_port(const char *s, size_t n, unsigned short *port)
{
	unsigned long v = 0;
	size_t i;

	if (!n || n > 5)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (!v || v > 65535)
		return false;
	*port = (unsigned short)v;
	return true;
}

static bool up_parse_addr(const char *s, size_t n, uint32_t *addr)
{
	char ip[INET_ADDRSTRLEN];
	struct in_addr a;

	if (!n || n >= sizeof(ip))
		return false;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, &a) != 1)
		return false;
	*addr = a.s_addr;
	return true;
}

bool up_parse_fetch(const char *s, struct up_client *c)
{
	const char *slash, *colon, *hostend;
	size_t i;

	if (!strncasecmp(s, "http://", 7))
		s += 7;
	slash = strchr(s, '/');
	hostend = slash ? slash : s + strlen(s);
	colon = memchr(s, ':', (size_t)(hostend - s));
	if (!up_parse_addr(s, (size_t)((colon ? colon : hostend) - s), &c->addr))
		return false;
	c->port = 80;
	if (colon && !up_parse_port(colon + 1, (size_t)(hostend - colon - 1), &c->port))
		return false;
	if (!slash)
		slash = "/";
	if (strlen(slash) >= sizeof(c->path))
		return false;
	/* The path goes into the request line: visible ASCII only. */
	for (i = 0; slash[i]; i++) {
		if ((unsigned char)slash[i] <= ' ' || (unsigned char)slash[i] >= 0x7f)
			return false;
	}
	strcpy(c->path, slash);
	return true;
}

bool up_parse_hostport(const char *s, struct up_client *c)
{
	const char *colon = strchr(s, ':');

	if (!colon || !up_parse_addr(s, (size_t)(colon - s), &c->addr))
		return false;
	return up_parse_port(colon + 1, strlen(colon + 1), &c->port);
}

static double up_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the client's lines start with. */
static const char *up_pfx(const struct up_client *c)
{
	return c->prefix ? c->prefix : "ulnet up: ";
}

static const char *up_client_dest(const struct up_client *c, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = c->addr };

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, c->port);
	return buf;
}

/* A connected TCP socket, or -1 with a message printed. */
static int up_client_connect(const char *who, struct up_client *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = UP_CLIENT_TIMEOUT_S };
	char dest[32];
	int fd, err;

	fd = ul_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		c->err = errno;
		printf("%s%s: socket: %s\n", up_pfx(c), who, strerror(errno));
		return -1;
	}
	/* Bounded waits: a stalled transfer ends with EAGAIN instead of hanging. */
	ul_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ul_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	sin.sin_addr.s_addr = c->addr;
	sin.sin_port = htons(c->port);
	if (ul_connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		err = errno;
		printf("%s%s: connect %s: %s\n", up_pfx(c), who,
		       up_client_dest(c, dest, sizeof(dest)), strerror(err));
		ul_close(fd);
		c->err = err;
		return -1;
	}
	return fd;
}

static int up_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = ul_send(fd, p, len, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The response head: status code, Content-Length (-1 when absent), and how many bytes of
 * @buf past the head are body. Returns 0, or -EPROTO / -errno. */
static int up_fetch_head(int fd, char *buf, size_t cap, int *code, long long *clen,
			 size_t *body_at, size_t *have)
{
	size_t len = 0;
	char *end = NULL, *line, *eol;

	while (!end) {
		ssize_t n;

		if (len + 1 >= cap)
			return -EPROTO;
		n = ul_recv(fd, buf + len, cap - 1 - len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return -EPROTO;
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	*body_at = (size_t)(end + 4 - buf);
	*have = len;
	*end = '\0';
	if (sscanf(buf, "HTTP/1.%*1d %3d", code) != 1)
		return -EPROTO;
	*clen = -1;
	for (line = strstr(buf, "\r\n"); line && line < end; line = eol) {
		line += 2;
		eol = strstr(line, "\r\n");
		if (!strncasecmp(line, "Content-Length:", 15))
			*clen = strtoll(line + 15, NULL, 10);
		if (!eol)
			break;
	}
	return 0;
}

int up_fetch_task(void *arg)
{
	struct up_client *c = arg;
	struct up_sha256 sha;
	char *buf, req[700], dest[32], hex[65];
	size_t body_at = 0, have = 0;
	long long clen = -1;
	uint64_t got = 0;
	double t0 = up_now_s(), dt;
	int fd, err, code = 0;

	c->status = 2;
	c->err = 0;
	buf = malloc(UP_CHUNK > UP_FETCH_MAX_HEADER ? UP_CHUNK : UP_FETCH_MAX_HEADER);
	if (!buf) {
		c->err = ENOMEM;
		return 1;
	}
	fd = up_client_connect("fetch", c);
	if (fd < 0)
		goto out_free;
	up_client_dest(c, dest, sizeof(dest));
	snprintf(req, sizeof(req),
		 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ulnet-up\r\nAccept: */*\r\n"
		 "Connection: close\r\n\r\n", c->path, dest);
	err = up_send_all(fd, req, strlen(req));
	if (!err)
		err = up_fetch_head(fd, buf, UP_FETCH_MAX_HEADER, &code, &clen, &body_at, &have);
	if (err) {
		printf("%sfetch http://%s%s: %s\n", up_pfx(c), dest, c->path,
		       err == -EPROTO ? "not an HTTP response" : strerror(-err));
		c->err = -err;
		goto out_close;
	}
	up_sha256_init(&sha);
	up_sha256_update(&sha, buf + body_at, have - body_at);
	got = have - body_at;
	/* Read to Content-Length, or to the end of the stream without one. */
	while (clen < 0 || got < (uint64_t)clen) {
		ssize_t n = ul_recv(fd, buf, UP_CHUNK, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		up_sha256_update(&sha, buf, (size_t)n);
		got += (uint64_t)n;
	}
	dt = up_now_s() - t0;
	up_sha256_hex(&sha, hex);
	printf("%sfetch http://%s%s: HTTP %d, %llu bytes in %.3f s (%.1f Mbit/s), "
	       "sha256 %s%s%s\n", up_pfx(c), dest, c->path, code, (unsigned long long)got, dt,
	       dt > 0 ? (double)got * 8 / dt / 1e6 : 0.0, hex, err ? ", error: " : "",
	       err ? strerror(-err) : "");
	if (err || (clen >= 0 && got != (uint64_t)clen)) {
		c->status = 2;
		c->err = err ? -err : EPIPE;
	} else
		c->status = code >= 200 && code < 300 ? 0 : 1;
out_close:
	ul_close(fd);
out_free:
	free(buf);
	return 0;
}

int up_tcp_send_task(void *arg)
{
	struct up_client *c = arg;
	struct up_sha256 sha;
	char dest[32], hex[65], drain[4096];
	uint64_t sent = 0;
	double t0 = up_now_s(), dt;
	int fd, err = 0;

	c->status = 2;
	c->err = 0;
	fd = up_client_connect("tcp-send", c);
	if (fd < 0)
		return 0;
	up_client_dest(c, dest, sizeof(dest));
	up_sha256_init(&sha);
	while (sent < c->bytes) {
		size_t n = c->bytes - sent < UP_CHUNK ? (size_t)(c->bytes - sent) : UP_CHUNK;
		const unsigned char *p = up_pattern_at(sent, n);
		ssize_t w = ul_send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err = -errno;
			break;
		}
		up_sha256_update(&sha, p, (size_t)w);
		sent += (uint64_t)w;
	}
	/* Half close, then wait for the peer's FIN: once it comes, the peer has read all. */
	if (!err && ul_shutdown(fd, SHUT_WR) < 0)
		err = -errno;
	while (!err) {
		ssize_t n = ul_recv(fd, drain, sizeof(drain), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
	}
	dt = up_now_s() - t0;
	up_sha256_hex(&sha, hex);
	printf("%stcp-send %s: %llu bytes in %.3f s (%.1f Mbit/s), sha256 %s%s%s\n",
	       up_pfx(c), dest, (unsigned long long)sent, dt, dt > 0 ? (double)sent * 8 / dt / 1e6 : 0.0,
	       hex, err ? ", error: " : "", err ? strerror(-err) : "");
	c->status = err ? 2 : 0;
	c->err = -err;
	ul_close(fd);
	return 0;
}
