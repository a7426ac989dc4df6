/* SPDX-License-Identifier: MIT */
/* `ulnet up`'s TCP half: the services (echo, discard, chargen, HTTP) run by one epoll task,
 * the built-in clients (--fetch, --tcp-send), the byte pattern both use and SHA-256.
 * Mirrors no kernel file: user programs (inetd's internal services, a tiny web server, curl
 * and a sender) written on the ul_ socket API. See docs/up.md. */
#ifndef ULNET_TOOL_UP_H
#define ULNET_TOOL_UP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the pattern of /bytes/N and --tcp-send (docs/up.md "The byte pattern") ---- */
/* Byte i of the stream is (i * 31 + 7) mod 251: it repeats every 251 bytes, and 251 being
 * prime, a lost, duplicated or reordered chunk of any size but a multiple of 251 changes
 * the SHA-256. */
#define UP_PATTERN_PERIOD 251
static inline unsigned char up_pattern_byte(uint64_t i)
{
	return (unsigned char)((i % UP_PATTERN_PERIOD * 31 + 7) % UP_PATTERN_PERIOD);
}
/* A pointer to at least @len (<= UP_CHUNK) contiguous pattern bytes starting with byte @off
 * of the stream. */
#define UP_CHUNK 65536
const unsigned char *up_pattern_at(uint64_t off, size_t len);

/* ---- SHA-256 (FIPS 180-4) ---- */
struct up_sha256 {
	uint32_t h[8];
	uint64_t len;			/* bytes hashed */
	unsigned char buf[64];
	size_t nbuf;
};
void up_sha256_init(struct up_sha256 *c);
void up_sha256_update(struct up_sha256 *c, const void *data, size_t len);
/* Finish and write the digest as 64 lowercase hex digits and a NUL into @hex. */
void up_sha256_hex(struct up_sha256 *c, char hex[65]);

/* ---- the TCP services ---- */
enum up_tcp_svc { UP_TCP_ECHO, UP_TCP_DISCARD, UP_TCP_CHARGEN, UP_TCP_HTTP, UP_TCP_NSVC };

struct up_tcp_stats {
	unsigned long conns;		/* connections accepted */
	unsigned long requests;		/* HTTP requests answered */
	uint64_t bytes_in, bytes_out;	/* payload read and written */
};

/* Shared between the server task and the main thread: @on is set before the task starts,
 * @ready/@err and the statistics are written by the task and read by the main thread with
 * __atomic loads; @stop is set by the main thread. */
struct up_tcp_server {
	bool on[UP_TCP_NSVC];
	int ready;			/* 1 once every listener is up, -1 on setup failure */
	int err;			/* setup failure (-errno) and what failed */
	const char *err_what;
	int stop;
	unsigned long refused;		/* accepted and closed at once: too many connections */
	struct up_tcp_stats st[UP_TCP_NSVC];
	unsigned short port[UP_TCP_NSVC];	/* 0: the service's own port (7, 9, 19, 80) */
	/* A scenario program (up_programs.c): no @stop flag, it ends on a signal (its wait
	 * returns EINTR); while no connection is open it waits without a timeout, so that a
	 * simulated run sees it idle. */
	bool by_signal;
};

/* At most this many connections at a time; more are accepted and closed at once. */
#define UP_TCP_MAX_CONNS 256
/* An HTTP request's header block (request line + headers) may take at most this many
 * bytes; more is answered with 431 and the connection is closed. */
#define UP_HTTP_MAX_HEADER 8192
/* /bytes/N accepts 0 <= N <= 2^31. */
#define UP_HTTP_MAX_BYTES (1ULL << 31)

const char *up_tcp_svc_name(enum up_tcp_svc svc);
unsigned short up_tcp_svc_port(enum up_tcp_svc svc);
/* The task: listens on 0.0.0.0 at the ports of the services that are on, and serves them
 * in one epoll loop until @stop is set (or the task is interrupted), then closes everything.
 * @arg is a struct up_tcp_server. */
int up_tcp_server_task(void *arg);

/* ---- the built-in clients ---- */
/* A.B.C.D[:PORT][/PATH] for --fetch (PORT default 80, PATH default "/"), A.B.C.D:PORT for
 * --tcp-send. */
struct up_client {
	uint32_t addr;			/* network order */
	unsigned short port;		/* host order */
	char path[512];
	uint64_t bytes;			/* --tcp-send's --bytes */
	int status;			/* the task's result: 0 ok, 1 failed, 2 error */
	int err;			/* with status 2: the errno of the failure (EPROTO: not
					 * HTTP, EPIPE: short body) */
	const char *prefix;		/* of the printed lines; NULL: "ulnet up: " */
};
bool up_parse_fetch(const char *s, struct up_client *c);
/* The @n characters at @s as a port 1..65535 (digits only). */
bool up_parse_port(const char *s, size_t n, unsigned short *port);
bool up_parse_hostport(const char *s, struct up_client *c);
/* Tasks; they print their result lines on stdout and set @status. */
int up_fetch_task(void *arg);
int up_tcp_send_task(void *arg);

/* ---- scenario programs (up_programs.c) ---- */
/* Register http, tcp-echo, tcp-discard, chargen, fetch and tcp-send as programs of `exec`
 * in scenarios (ulnet run, ulnet up --run). 0 or -errno. */
int up_programs_register(void);

#endif
