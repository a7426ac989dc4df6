/* SPDX-License-Identifier: MIT */
/* `ulnet up`'s TCP services, echo (7, RFC 862), discard (9, RFC 863), chargen (19, RFC 864)
 * and a small HTTP/1.1 server (80: /bytes/N, /), served by one task in one epoll loop over
 * non-blocking ul_ sockets (docs/up.md).
 * Mirrors no kernel file: it is what inetd's internal services and a web server do, as a
 * user of the socket API (ul_accept4, ul_epoll_wait, ul_recv, ul_send). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "ulnet/socket.h"
#include "ulnet/ulnet.h"
#include "up.h"

#define UP_EPOLL_EVENTS	64
#define UP_ACCEPT_BURST	64	/* accepts per wakeup of a listener */
#define UP_IO_ROUNDS	16	/* reads or writes per wakeup of a connection (fairness) */
#define UP_IO_BUF	16384
/* Discard reads into one sink of the loop this large: a bulk sender's data leaves the
 * receive queue in few calls (the host's own readers take 128 KiB and more per read). */
#define UP_DISCARD_BUF	(256 * 1024)
/* An HTTP connection with nothing to send that hears nothing for this long is closed (a
 * keep-alive connection left open, or a request that never ends: slowloris). */
#define UP_HTTP_IDLE_S	60

/* RFC 864: lines of 72 printable ASCII characters (the 95 from ' ' to '~'), each starting
 * one character further into the set, ending in CRLF; the sequence repeats every 95 lines. */
#define CHARGEN_LINE	72
#define CHARGEN_SET	95
#define CHARGEN_PERIOD	(CHARGEN_SET * (CHARGEN_LINE + 2))
static unsigned char chargen_buf[CHARGEN_PERIOD + UP_CHUNK];

static const struct {
	const char *name;
	unsigned short port;
} up_tcp_svcs[UP_TCP_NSVC] = {
	[UP_TCP_ECHO] = { "echo", 7 },
	[UP_TCP_DISCARD] = { "discard", 9 },
	[UP_TCP_CHARGEN] = { "chargen", 19 },
	[UP_TCP_HTTP] = { "http", 80 },
};

const char *up_tcp_svc_name(enum up_tcp_svc svc)
{
	return svc < UP_TCP_NSVC ? up_tcp_svcs[svc].name : "?";
}

unsigned short up_tcp_svc_port(enum up_tcp_svc svc)
{
	return svc < UP_TCP_NSVC ? up_tcp_svcs[svc].port : 0;
}

/* What an epoll_event's data.ptr points to: a listener or a connection. */
enum up_kind { UP_LISTENER, UP_CONN };

struct up_listener {
	enum up_kind kind;
	enum up_tcp_svc svc;
	int fd;
};

struct up_conn {
	enum up_kind kind;
	enum up_tcp_svc svc;
	int fd;
	unsigned int events;		/* the interest registered with epoll */
	bool rd_eof;			/* the peer sent FIN */
	bool close_after;		/* HTTP: close once the response is out */
	bool draining;			/* HTTP: FIN sent, reading until the peer's */
	size_t drained;
	/* Input: echo's pending data, or HTTP's unparsed request bytes. */
	unsigned char *buf;
	size_t len, off;
	/* Output: a header (HTTP), then a body: @body_left bytes of the pattern from
	 * @body_pos, or of @body_text. */
	char hdr[512];
	size_t hdr_len, hdr_off;
	const char *body_text;
	uint64_t body_pos, body_left;
	uint64_t skip;			/* HTTP: request body bytes still to discard */
	uint64_t chargen_pos;
	time_t last_active;		/* HTTP: for the idle timeout */
	struct up_conn *next;		/* the server's list, for the final close */
};

struct up_loop {
	struct up_tcp_server *srv;
	int epfd;
	unsigned int nconns;
	struct up_conn *conns;
	unsigned char *sink;		/* UP_DISCARD_BUF, for discard; NULL: c->buf */
};

static void up_stat_add(uint64_t *v, uint64_t n)
{
	__atomic_fetch_add(v, n, __ATOMIC_RELAXED);
}

static void up_stat_inc(unsigned long *v)
{
	__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
}

static void chargen_init(void)
{
	size_t i;

	for (i = 0; i < sizeof(chargen_buf); i++) {
		size_t pos = i % CHARGEN_PERIOD, line = pos / (CHARGEN_LINE + 2);
		size_t col = pos % (CHARGEN_LINE + 2);

		if (col < CHARGEN_LINE)
			chargen_buf[i] = (unsigned char)(' ' + (line + col) % CHARGEN_SET);
		else
			chargen_buf[i] = col == CHARGEN_LINE ? '\r' : '\n';
	}
}

/* ---- connections ---- */

static int up_conn_set_events(struct up_loop *lp, struct up_conn *c, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (events == c->events)
		return 0;
	if (ul_epoll_ctl(lp->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0)
		return -errno;
	c->events = events;
	return 0;
}

static void up_conn_close(struct up_loop *lp, struct up_conn *c)
{
	struct up_conn **pp;

	for (pp = &lp->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	ul_epoll_ctl(lp->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	ul_close(c->fd);
	lp->nconns--;
	free(c->buf);
	free(c);
}

static bool up_want_more(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/* Write what @c has to send (header, then body). Returns 1 when all is out, 0 when the
 * socket is full, -errno on an error (the connection is dead). */
static int up_conn_flush(struct up_loop *lp, struct up_conn *c)
{
	struct up_tcp_stats *st = &lp->srv->st[c->svc];
	int round;

	for (round = 0; round < UP_IO_ROUNDS; round++) {
		const void *p;
		size_t n;
		ssize_t w;
		bool body = false;

		if (c->hdr_off < c->hdr_len) {
			p = c->hdr + c->hdr_off;
			n = c->hdr_len - c->hdr_off;
		} else if (c->body_left) {
			n = c->body_left < UP_CHUNK ? (size_t)c->body_left : UP_CHUNK;
			p = c->body_text ? (const void *)(c->body_text + c->body_pos)
					 : (const void *)up_pattern_at(c->body_pos, n);
			body = true;
		} else {
			return 1;
		}
		w = ul_send(c->fd, p, n, MSG_NOSIGNAL);
		if (w < 0)
			return up_want_more(errno) ? 0 : -errno;
		up_stat_add(&st->bytes_out, (uint64_t)w);
		if (body) {
			c->body_pos += (uint64_t)w;
			c->body_left -= (uint64_t)w;
		} else {
			c->hdr_off += (size_t)w;
		}
	}
	return c->hdr_off < c->hdr_len || c->body_left ? 0 : 1;
}

/* Read into c->buf after the bytes held; returns the bytes read, 0 at EOF, -EAGAIN when
 * nothing is there, -errno. */
static ssize_t up_conn_read(struct up_loop *lp, struct up_conn *c, void *buf, size_t cap)
{
	ssize_t n = ul_recv(c->fd, buf, cap, 0);

	if (n < 0)
		return up_want_more(errno) ? -EAGAIN : -errno;
	if (n == 0)
		c->rd_eof = true;
	up_stat_add(&lp->srv->st[c->svc].bytes_in, (uint64_t)n);
	return n;
}

/* RFC 862: send back what arrives; while a chunk is pending, stop reading (the peer's
 * window closes: TCP's own flow control throttles a sender that does not read). */
static int echo_event(struct up_loop *lp, struct up_conn *c)
{
	int round, err;

	for (round = 0; round < UP_IO_ROUNDS; round++) {
		if (c->off < c->len) {
			ssize_t w = ul_send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);

			if (w < 0) {
				if (!up_want_more(errno))
					return -errno;
				return up_conn_set_events(lp, c, EPOLLOUT);
			}
			up_stat_add(&lp->srv->st[c->svc].bytes_out, (uint64_t)w);
			c->off += (size_t)w;
			continue;
		}
		if (c->rd_eof) {
			/* All echoed and the peer is done: finish as it did. */
			return -ESHUTDOWN;
		}
		c->off = c->len = 0;
		{
			ssize_t n = up_conn_read(lp, c, c->buf, UP_IO_BUF);

			if (n == -EAGAIN)
				return up_conn_set_events(lp, c, EPOLLIN);
			if (n < 0)
				return (int)n;
			c->len = (size_t)n;
		}
	}
	err = up_conn_set_events(lp, c, c->off < c->len ? EPOLLOUT : EPOLLIN);
	return err;
}

/* RFC 863: read and drop. */
static int discard_event(struct up_loop *lp, struct up_conn *c)
{
	int round;

	for (round = 0; round < UP_IO_ROUNDS; round++) {
		ssize_t n = lp->sink ? up_conn_read(lp, c, lp->sink, UP_DISCARD_BUF) :
				       up_conn_read(lp, c, c->buf, UP_IO_BUF);

		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -ESHUTDOWN;
	}
	return 0;
}

/* RFC 864: write the pattern until the connection fails (the peer closed: EPIPE or
 * ECONNRESET); what the peer sends is read and dropped. A half close by the peer (its FIN)
 * does not stop the stream: it may still read, as with inetd. */
static int chargen_event(struct up_loop *lp, struct up_conn *c, unsigned int revents)
{
	int round;

	if (revents & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		for (round = 0; round < UP_IO_ROUNDS && !c->rd_eof; round++) {
			ssize_t n = up_conn_read(lp, c, c->buf, UP_IO_BUF);

			if (n == -EAGAIN)
				break;
			if (n < 0)
				return (int)n;
		}
	}
	for (round = 0; round < UP_IO_ROUNDS; round++) {
		size_t off = (size_t)(c->chargen_pos % CHARGEN_PERIOD);
		ssize_t w = ul_send(c->fd, chargen_buf + off, UP_CHUNK, MSG_NOSIGNAL);

		if (w < 0) {
			if (!up_want_more(errno))
				return -errno;
			break;
		}
		up_stat_add(&lp->srv->st[c->svc].bytes_out, (uint64_t)w);
		c->chargen_pos += (uint64_t)w;
	}
	/* Level-triggered: stop asking for EPOLLIN once the peer's FIN is in. */
	return up_conn_set_events(lp, c, c->rd_eof ? EPOLLOUT : EPOLLIN | EPOLLOUT);
}

/* ---- HTTP/1.1 (RFC 7230, 7231) ---- */

static const char http_index[] =
	"ulnet up: a Linux 3.10 network stack in user space.\n"
	"GET /bytes/N   N bytes (0..2147483648) of the pattern: byte i = (i * 31 + 7) mod 251\n"
	"Also served: TCP echo (7), discard (9), chargen (19); UDP echo (7), discard (9).\n";

static const char *http_reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	default: return "Internal Server Error";
	}
}

/* The error bodies: the status line's text, for curl -v and humans. */
static const char *http_error_body(int code)
{
	switch (code) {
	case 400: return "400 Bad Request\n";
	case 404: return "404 Not Found\n";
	case 405: return "405 Method Not Allowed\n";
	case 413: return "413 Payload Too Large: /bytes/N takes N up to 2147483648\n";
	case 431: return "431 Request Header Fields Too Large\n";
	case 501: return "501 Not Implemented\n";
	case 505: return "505 HTTP Version Not Supported\n";
	default: return "500 Internal Server Error\n";
	}
}

/* Queue a response: a status line and headers, then @len bytes of @text or of the
 * pattern (@text NULL). HEAD gets the same headers and no body. */
static void http_respond(struct up_conn *c, int code, bool head, const char *type,
			 const char *text, uint64_t len)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	/* RFC 7231 7.1.1.2: an origin server with a clock sends Date (IMF-fixdate). */
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	c->hdr_len = (size_t)snprintf(c->hdr, sizeof(c->hdr),
				      "HTTP/1.1 %d %s\r\nServer: ulnet\r\nDate: %s\r\n"
				      "Content-Type: %s\r\nContent-Length: %llu\r\n%s%s\r\n",
				      code, http_reason(code), date, type,
				      (unsigned long long)len,
				      code == 405 ? "Allow: GET, HEAD\r\n" : "",
				      c->close_after ? "Connection: close\r\n" : "");
	c->hdr_off = 0;
	c->body_text = text;
	c->body_pos = 0;
	c->body_left = head ? 0 : len;
}

static void http_error(struct up_conn *c, int code, bool head, bool fatal)
{
	const char *body = http_error_body(code);

	if (fatal)
		c->close_after = true;
	http_respond(c, code, head, "text/plain", body, strlen(body));
}

static bool http_is_tchar(unsigned char ch)
{
	/* RFC 7230 3.2.6 token characters. */
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Does the comma-separated list @v (of length @n) hold the token @tok? */
static bool http_list_has(const char *v, size_t n, const char *tok)
{
	size_t i = 0, tl = strlen(tok);

	while (i < n) {
		size_t s, e;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && !strncasecmp(v + s, tok, tl))
			return true;
	}
	return false;
}

/* Parse a decimal number of at most 19 digits into @out; false on anything else. */
static bool http_parse_num(const char *s, size_t n, uint64_t *out, bool *too_big)
{
	uint64_t v = 0;
	size_t i;

	*too_big = false;
	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	for (i = 0; i < n; i++) {
		if (v > (UINT64_MAX - 9) / 10) {
			*too_big = true;
			return true;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Route a well-formed request: GET/HEAD of "/" or "/bytes/N". */
static void http_route(struct up_conn *c, bool head, const char *target, size_t tlen)
{
	static const char prefix[] = "/bytes/";
	const size_t plen = sizeof(prefix) - 1;
	size_t i;
	uint64_t n = 0;
	bool too_big;

	/* The absolute form (RFC 7230 5.3.2) names the same resource: drop scheme and host. */
	if (tlen > 7 && !strncasecmp(target, "http://", 7)) {
		for (i = 7; i < tlen && target[i] != '/'; i++)
			;
		target += i;
		tlen -= i;
		if (!tlen) {
			target = "/";
			tlen = 1;
		}
	}
	/* The query is not part of the path. */
	for (i = 0; i < tlen && target[i] != '?'; i++)
		;
	tlen = i;
	if (tlen == 1 && target[0] == '/') {
		http_respond(c, 200, head, "text/plain", http_index, sizeof(http_index) - 1);
		return;
	}
	if (tlen > plen && !strncmp(target, prefix, plen)) {
		if (!http_parse_num(target + plen, tlen - plen, &n, &too_big)) {
			http_error(c, 400, head, false);
			return;
		}
		if (too_big || n > UP_HTTP_MAX_BYTES) {
			http_error(c, 413, head, false);
			return;
		}
		http_respond(c, 200, head, "application/octet-stream", NULL, n);
		return;
	}
	http_error(c, 404, head, false);
}

/* Try to parse one request from c->buf; returns true when a response was queued (or the
 * request was found broken), false when more bytes are needed. */
static bool http_parse_request(struct up_conn *c)
{
	char *p = (char *)c->buf, *end, *line, *eol, *sp1, *sp2;
	size_t hlen, i;
	bool head = false, http10 = false, have_host = false, have_cl = false;
	bool conn_close = false, conn_keep = false;
	uint64_t cl = 0;

	/* RFC 7230 3.5: ignore empty lines before the request line. */
	for (i = 0; i < c->len && (p[i] == '\r' || p[i] == '\n'); i++)
		;
	if (i) {
		memmove(p, p + i, c->len - i);
		c->len -= i;
	}
	/* The header block ends with an empty line (CRLF CRLF, or bare LFs: 3.5). */
	end = NULL;
	for (i = 0; i + 1 < c->len; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n') {
			end = p + i + 2;
			break;
		}
		if (p[i + 1] == '\r' && i + 2 < c->len && p[i + 2] == '\n') {
			end = p + i + 3;
			break;
		}
	}
	if (!end) {
		if (c->len >= UP_HTTP_MAX_HEADER) {
			http_error(c, 431, false, true);
			c->len = 0;
			return true;
		}
		return false;
	}
	hlen = (size_t)(end - p);
	if (memchr(p, '\0', hlen)) {
		http_error(c, 400, false, true);
		c->len = 0;
		return true;
	}
	/* Make the block a C string line by line: each "\r?\n" becomes NULs. */
	eol = memchr(p, '\n', hlen);
	*eol = '\0';
	if (eol > p && eol[-1] == '\r')
		eol[-1] = '\0';
	line = p;
	sp1 = strchr(line, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || sp1 == line || sp2 == sp1 + 1 || strchr(sp2 + 1, ' ')) {
		http_error(c, 400, false, true);
		goto consumed_all;
	}
	*sp1 = *sp2 = '\0';
	for (i = 0; line[i]; i++) {
		if (!http_is_tchar((unsigned char)line[i])) {
			http_error(c, 400, false, true);
			goto consumed_all;
		}
	}
	head = !strcmp(line, "HEAD");
	if (strncmp(sp2 + 1, "HTTP/", 5) || !sp2[6] || sp2[6] < '0' || sp2[6] > '9' ||
	    sp2[7] != '.' || sp2[8] < '0' || sp2[8] > '9' || sp2[9]) {
		http_error(c, 400, head, true);
		goto consumed_all;
	}
	if (sp2[6] != '1') {
		http_error(c, 505, head, true);
		goto consumed_all;
	}
	/* RFC 7230 5.3: the target is visible ASCII. */
	for (i = 1; sp1[i]; i++) {
		if ((unsigned char)sp1[i] <= ' ' || (unsigned char)sp1[i] >= 0x7f) {
			http_error(c, 400, head, true);
			goto consumed_all;
		}
	}
	http10 = sp2[8] == '0';
	/* Headers. */
	for (line = eol + 1; line < end; line = eol + 1) {
		char *colon, *v, *ve;

		eol = memchr(line, '\n', (size_t)(end - line));
		*eol = '\0';
		if (eol > line && eol[-1] == '\r')
			eol[-1] = '\0';
		if (!*line)
			break;			/* the empty line */
		colon = strchr(line, ':');
		if (!colon || colon == line) {
			http_error(c, 400, head, true);
			goto consumed_all;
		}
		/* RFC 7230 3.2.4: no whitespace between the name and the colon; obs-fold is
		 * rejected (a line starting with whitespace has no valid name either). */
		for (v = line; v < colon; v++) {
			if (!http_is_tchar((unsigned char)*v)) {
				http_error(c, 400, head, true);
				goto consumed_all;
			}
		}
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (ve = v + strlen(v); ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			;
		*colon = '\0';
		if (!strcasecmp(line, "Host")) {
			if (have_host) {
				http_error(c, 400, head, true);
				goto consumed_all;
			}
			have_host = true;
		} else if (!strcasecmp(line, "Connection")) {
			conn_close |= http_list_has(v, (size_t)(ve - v), "close");
			conn_keep |= http_list_has(v, (size_t)(ve - v), "keep-alive");
		} else if (!strcasecmp(line, "Content-Length")) {
			uint64_t n = 0;
			bool too_big;

			/* RFC 7230 3.3.3: an invalid or conflicting length is unrecoverable. */
			if (!http_parse_num(v, (size_t)(ve - v), &n, &too_big) || too_big ||
			    (have_cl && n != cl)) {
				http_error(c, 400, head, true);
				goto consumed_all;
			}
			have_cl = true;
			cl = n;
		} else if (!strcasecmp(line, "Transfer-Encoding")) {
			/* RFC 7230 3.3.1: an unsupported coding gets 501; ulnet reads none. */
			http_error(c, 501, head, true);
			goto consumed_all;
		}
	}
	/* RFC 7230 5.4: a 1.1 request without Host is a 400. */
	if (!http10 && !have_host) {
		http_error(c, 400, head, true);
		goto consumed_all;
	}
	c->close_after = http10 ? !conn_keep || conn_close : conn_close;
	c->skip = cl;
	if (strcmp(p, "GET") && !head)
		http_error(c, 405, false, false);
	else
		http_route(c, head, sp1 + 1, strlen(sp1 + 1));
	if (http10 && !c->close_after) {
		/* A 1.0 client asked to keep the connection: say it is kept. */
		size_t at = c->hdr_len - 2;

		c->hdr_len = at + (size_t)snprintf(c->hdr + at, sizeof(c->hdr) - at,
						   "Connection: keep-alive\r\n\r\n");
	}
	/* Consume the header block (the strings above live in it, so only now); what
	 * follows is the body, then the next request. */
	memmove(c->buf, c->buf + hlen, c->len - hlen);
	c->len -= hlen;
	return true;

consumed_all:
	c->len = 0;
	return true;
}

/* Drop request body bytes held in the buffer. */
static void http_skip_buffered(struct up_conn *c)
{
	size_t n = c->skip < c->len ? (size_t)c->skip : c->len;

	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	c->skip -= n;
}

/* The lingering close of RFC 7230 6.6: after the last response, send our FIN and read
 * (and drop) what the peer still sends until its FIN, so that a close with unread data
 * does not turn into a RST that could destroy the response before the peer read it. At
 * most UP_HTTP_DRAIN_MAX bytes are read so. */
#define UP_HTTP_DRAIN_MAX (1 << 20)
static int http_drain(struct up_loop *lp, struct up_conn *c)
{
	int round;

	if (!c->draining) {
		if (c->rd_eof)
			return -ESHUTDOWN;
		if (ul_shutdown(c->fd, SHUT_WR) < 0)
			return -errno;
		c->draining = true;
		c->len = 0;
	}
	for (round = 0; round < UP_IO_ROUNDS; round++) {
		ssize_t n = up_conn_read(lp, c, c->buf, UP_HTTP_MAX_HEADER);

		if (n == -EAGAIN)
			return up_conn_set_events(lp, c, EPOLLIN);
		if (n <= 0)
			return n ? (int)n : -ESHUTDOWN;
		c->drained += (size_t)n;
		if (c->drained > UP_HTTP_DRAIN_MAX)
			return -EMSGSIZE;
	}
	return up_conn_set_events(lp, c, EPOLLIN);
}

/* One wakeup of an HTTP connection: finish the response in flight, then parse and answer
 * the requests that are in (pipelining), reading when the buffer holds no full request. */
static int http_event(struct up_loop *lp, struct up_conn *c)
{
	struct up_tcp_stats *st = &lp->srv->st[c->svc];
	int round, ret;

	if (c->draining)
		return http_drain(lp, c);
	for (round = 0; round < UP_IO_ROUNDS; round++) {
		if (c->hdr_len) {
			ret = up_conn_flush(lp, c);
			if (ret < 0)
				return ret;
			if (!ret)
				return up_conn_set_events(lp, c, EPOLLOUT);
			c->hdr_len = c->hdr_off = 0;
			up_stat_inc(&st->requests);
			if (c->close_after)
				return http_drain(lp, c);
		}
		http_skip_buffered(c);
		if (!c->skip && c->len && http_parse_request(c))
			continue;
		if (c->rd_eof)
			return -ESHUTDOWN;	/* nothing more will come */
		{
			/* While skipping a body the buffer is empty (http_skip_buffered). */
			size_t cap = UP_HTTP_MAX_HEADER - c->len;
			ssize_t n;

			n = up_conn_read(lp, c, c->buf + c->len, cap);
			if (n == -EAGAIN)
				return up_conn_set_events(lp, c, EPOLLIN);
			if (n < 0)
				return (int)n;
			c->len += (size_t)n;
			if (!n && c->len && !c->skip) {
				/* EOF in the middle of a request: answer what is there if
				 * complete, else give up. */
				if (!http_parse_request(c))
					return -ESHUTDOWN;
			}
		}
	}
	return up_conn_set_events(lp, c, c->hdr_len ? EPOLLOUT : EPOLLIN);
}

/* The stack's clock (real time on posix, virtual time on sim, where a scenario runs the
 * server), in seconds. */
static time_t up_monotonic_s(void)
{
	return (time_t)(ul_now_ns() / 1000000000ull);
}

/* Close the HTTP connections idle for UP_HTTP_IDLE_S (waiting for a request, or draining). */
static void http_idle_sweep(struct up_loop *lp, time_t now)
{
	struct up_conn *c = lp->conns, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->svc == UP_TCP_HTTP && !c->hdr_len && now - c->last_active >= UP_HTTP_IDLE_S)
			up_conn_close(lp, c);
	}
}

static int up_conn_event(struct up_loop *lp, struct up_conn *c, unsigned int revents)
{
	c->last_active = up_monotonic_s();
	switch (c->svc) {
	case UP_TCP_ECHO: return echo_event(lp, c);
	case UP_TCP_DISCARD: return discard_event(lp, c);
	case UP_TCP_CHARGEN: return chargen_event(lp, c, revents);
	case UP_TCP_HTTP: return http_event(lp, c);
	default: return -EINVAL;
	}
}

/* ---- listeners ---- */

static void up_accept(struct up_loop *lp, struct up_listener *l)
{
	int i;

	for (i = 0; i < UP_ACCEPT_BURST; i++) {
		struct epoll_event ev;
		struct up_conn *c;
		int fd = ul_accept4(l->fd, NULL, NULL, SOCK_NONBLOCK);

		if (fd < 0)
			return;		/* EAGAIN: all taken; others: the peer is gone */
		if (lp->nconns >= UP_TCP_MAX_CONNS) {
			up_stat_inc(&lp->srv->refused);
			ul_close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c)
			c->buf = malloc(l->svc == UP_TCP_HTTP ? UP_HTTP_MAX_HEADER : UP_IO_BUF);
		if (!c || !c->buf) {
			if (c)
				free(c);
			up_stat_inc(&lp->srv->refused);
			ul_close(fd);
			continue;
		}
		c->kind = UP_CONN;
		c->svc = l->svc;
		c->last_active = up_monotonic_s();
		c->fd = fd;
		/* chargen starts talking at once; the others wait for the peer. */
		c->events = l->svc == UP_TCP_CHARGEN ? EPOLLIN | EPOLLOUT : EPOLLIN;
		ev.events = c->events;
		ev.data.ptr = c;
		if (ul_epoll_ctl(lp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			free(c->buf);
			free(c);
			ul_close(fd);
			up_stat_inc(&lp->srv->refused);
			continue;
		}
		c->next = lp->conns;
		lp->conns = c;
		lp->nconns++;
		up_stat_inc(&lp->srv->st[l->svc].conns);
	}
}

static int up_listen(struct up_loop *lp, struct up_listener *l)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = l };
	int one = 1;

	l->fd = ul_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (l->fd < 0)
		return -errno;
	sin.sin_port = htons(lp->srv->port[l->svc] ? lp->srv->port[l->svc] :
			     up_tcp_svcs[l->svc].port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (ul_setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    ul_bind(l->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    ul_listen(l->fd, 128) < 0 || ul_epoll_ctl(lp->epfd, EPOLL_CTL_ADD, l->fd, &ev) < 0)
		return -errno;
	return 0;
}

int up_tcp_server_task(void *arg)
{
	struct up_tcp_server *srv = arg;
	struct up_listener ls[UP_TCP_NSVC];
	struct epoll_event evs[UP_EPOLL_EVENTS];
	struct up_loop lp = { .srv = srv, .epfd = -1 };
	int i, n, err = 0, nls = 0;
	time_t swept = up_monotonic_s(), now;

	chargen_init();
	/* Without it discard reads into the connection's own buffer, in smaller bites. */
	lp.sink = malloc(UP_DISCARD_BUF);
	lp.epfd = ul_epoll_create1(0);
	if (lp.epfd < 0) {
		srv->err = -errno;
		srv->err_what = "epoll_create1";
		__atomic_store_n(&srv->ready, -1, __ATOMIC_RELEASE);
		free(lp.sink);
		return 1;
	}
	for (i = 0; i < UP_TCP_NSVC; i++) {
		if (!srv->on[i])
			continue;
		ls[nls].kind = UP_LISTENER;
		ls[nls].svc = (enum up_tcp_svc)i;
		err = up_listen(&lp, &ls[nls]);
		if (err) {
			if (ls[nls].fd >= 0)
				ul_close(ls[nls].fd);
			srv->err = err;
			srv->err_what = up_tcp_svcs[i].name;
			goto out;
		}
		nls++;
	}
	__atomic_store_n(&srv->ready, 1, __ATOMIC_RELEASE);

	while (!__atomic_load_n(&srv->stop, __ATOMIC_ACQUIRE)) {
		/* A bounded wait, so that a stop request is seen within 200 ms (a program,
		 * stopped by a signal, sweeps idle connections once a second while it has
		 * any, and else sleeps until something comes). */
		n = ul_epoll_wait(lp.epfd, evs, UP_EPOLL_EVENTS,
				  !srv->by_signal ? 200 : lp.nconns ? 1000 : -1);
		if (n < 0) {
			if (errno == EINTR)
				break;	/* the stack is going away */
			continue;
		}
		for (i = 0; i < n; i++) {
			/* Both structs start with their kind: read it before choosing. */
			enum up_kind kind = *(const enum up_kind *)evs[i].data.ptr;

			if (kind == UP_LISTENER) {
				up_accept(&lp, evs[i].data.ptr);
				continue;
			}
			if (up_conn_event(&lp, evs[i].data.ptr, evs[i].events) < 0)
				up_conn_close(&lp, evs[i].data.ptr);
		}
		now = up_monotonic_s();
		if (now != swept) {
			swept = now;
			http_idle_sweep(&lp, now);
		}
	}

out:
	while (lp.conns)
		up_conn_close(&lp, lp.conns);
	for (i = 0; i < nls; i++)
		ul_close(ls[i].fd);
	ul_close(lp.epfd);
	free(lp.sink);
	if (err)
		__atomic_store_n(&srv->ready, -1, __ATOMIC_RELEASE);
	return err ? 1 : 0;
}
