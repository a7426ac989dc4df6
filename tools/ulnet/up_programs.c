/* SPDX-License-Identifier: MIT */
/* `ulnet up`'s TCP services and clients as programs of scenarios (`exec -n NS http`), so that
 * a scenario (ulnet run, ulnet up --run) can start a container's web server or a client.
 * Mirrors no kernel file: these are user programs (a web server, inetd's services, curl, a
 * sender), registered with the scenario engine (src/lab/programs.c) by the ulnet command. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/scenario.h"
#include "up.h"

/* ---- servers: http, tcp-echo, tcp-discard, chargen ---- */

struct up_prog_server {
	struct up_tcp_server srv;
	enum up_tcp_svc svc;
	char where[64];			/* "port 80 in c1", for messages */
};

static int up_svc_of(const char *prog, enum up_tcp_svc *svc)
{
	static const struct {
		const char *prog;
		enum up_tcp_svc svc;
	} map[] = {
		{ "http", UP_TCP_HTTP },
		{ "tcp-echo", UP_TCP_ECHO },
		{ "tcp-discard", UP_TCP_DISCARD },
		{ "chargen", UP_TCP_CHARGEN },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!strcmp(map[i].prog, prog)) {
			*svc = map[i].svc;
			return 0;
		}
	}
	return -EINVAL;
}

static int up_server_prepare(const char *netns, int argc, char **argv, void **state,
			     const char **msg)
{
	struct up_prog_server *ps;
	enum up_tcp_svc svc;
	unsigned short port;

	if (up_svc_of(argv[0], &svc)) {
		*msg = "not a TCP service";
		return -EINVAL;
	}
	if (argc > 2) {
		*msg = "usage: PROGRAM [PORT]";
		return -EINVAL;
	}
	port = up_tcp_svc_port(svc);
	if (argc == 2 && !up_parse_port(argv[1], strlen(argv[1]), &port)) {
		*msg = "PORT must be 1..65535";
		return -EINVAL;
	}
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->svc = svc;
	ps->srv.on[svc] = true;
	ps->srv.port[svc] = port;
	ps->srv.by_signal = true;
	snprintf(ps->where, sizeof(ps->where), "port %u%s%s", port, netns && *netns ? " in " : "",
		 netns && *netns ? netns : "");
	*state = ps;
	return 0;
}

/* Context: a task in the program's namespace. Serves until signalled; exits 0, or the errno
 * of its setup (EADDRINUSE). */
static int up_server_run(void *state)
{
	struct up_prog_server *ps = state;

	up_tcp_server_task(&ps->srv);
	return __atomic_load_n(&ps->srv.ready, __ATOMIC_ACQUIRE) == 1 ? 0 :
	       ps->srv.err ? -ps->srv.err : EIO;
}

static int up_server_ready(void *state, const char **msg)
{
	struct up_prog_server *ps = state;
	int ready = __atomic_load_n(&ps->srv.ready, __ATOMIC_ACQUIRE);

	if (ready >= 0)
		return ready;
	*msg = ps->where;
	return ps->srv.err ? ps->srv.err : -EIO;
}

/* What it served, printed once it has stopped (the exit summary of `ulnet up`). */
static void up_server_release(void *state)
{
	struct up_prog_server *ps = state;
	const struct up_tcp_stats *st = &ps->srv.st[ps->svc];

	if (__atomic_load_n(&ps->srv.ready, __ATOMIC_ACQUIRE) == 1) {
		printf("%s (%s): %lu connections", up_tcp_svc_name(ps->svc), ps->where, st->conns);
		if (ps->svc == UP_TCP_HTTP)
			printf(", %lu requests", st->requests);
		printf(", %llu bytes in, %llu bytes out\n", (unsigned long long)st->bytes_in,
		       (unsigned long long)st->bytes_out);
		fflush(stdout);
	}
	free(ps);
}

/* ---- clients: fetch, tcp-send ---- */

static int up_fetch_prepare(const char *netns, int argc, char **argv, void **state,
			    const char **msg)
{
	struct up_client *c;

	if (argc != 2) {
		*msg = "usage: fetch A.B.C.D[:PORT][/PATH]";
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (!up_parse_fetch(argv[1], c)) {
		free(c);
		*msg = "bad URL (want A.B.C.D[:PORT][/PATH])";
		return -EINVAL;
	}
	c->prefix = "";
	*state = c;
	return 0;
}

static int up_tcp_send_prepare(const char *netns, int argc, char **argv, void **state,
			       const char **msg)
{
	struct up_client *c;
	char *end;

	if (argc < 2 || argc > 3) {
		*msg = "usage: tcp-send A.B.C.D:PORT [BYTES]";
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->prefix = "";
	c->bytes = 1 << 20;
	if (!up_parse_hostport(argv[1], c)) {
		free(c);
		*msg = "bad destination (want A.B.C.D:PORT)";
		return -EINVAL;
	}
	if (argc == 3) {
		errno = 0;
		c->bytes = strtoull(argv[2], &end, 10);
		if (*end || end == argv[2] || argv[2][0] == '-' || errno ||
		    c->bytes > (1ULL << 40)) {
			free(c);
			*msg = "BYTES must be 0..2^40";
			return -EINVAL;
		}
	}
	*state = c;
	return 0;
}

/* The clients' result as a program's exit code: 0, EPROTO for an HTTP status other than
 * 2xx, or the errno of the failure. */
static int up_client_exit(const struct up_client *c)
{
	if (!c->status)
		return 0;
	if (c->status == 1)
		return EPROTO;
	return c->err > 0 ? c->err : EIO;
}

static int up_fetch_run(void *state)
{
	up_fetch_task(state);
	fflush(stdout);
	return up_client_exit(state);
}

static int up_tcp_send_run(void *state)
{
	up_tcp_send_task(state);
	fflush(stdout);
	return up_client_exit(state);
}

static const struct scn_program up_programs[] = {
	{ "http", "http [PORT]  (HTTP/1.1 server of ulnet up: GET /bytes/N, /; port 80)",
	  up_server_prepare, up_server_run, up_server_release, up_server_ready },
	{ "tcp-echo", "tcp-echo [PORT]  (RFC 862, port 7)", up_server_prepare, up_server_run,
	  up_server_release, up_server_ready },
	{ "tcp-discard", "tcp-discard [PORT]  (RFC 863, port 9)", up_server_prepare,
	  up_server_run, up_server_release, up_server_ready },
	{ "chargen", "chargen [PORT]  (RFC 864, port 19)", up_server_prepare, up_server_run,
	  up_server_release, up_server_ready },
	{ "fetch", "fetch A.B.C.D[:PORT][/PATH]  (HTTP GET; prints size and SHA-256)",
	  up_fetch_prepare, up_fetch_run, free, NULL },
	{ "tcp-send", "tcp-send A.B.C.D:PORT [BYTES]  (the pattern, then half close; 1 MiB)",
	  up_tcp_send_prepare, up_tcp_send_run, free, NULL },
};

int up_programs_register(void)
{
	return scn_program_register(up_programs, sizeof(up_programs) / sizeof(up_programs[0]));
}
