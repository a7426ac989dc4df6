/* SPDX-License-Identifier: MIT */
/* Test helpers for AF_UNIX tests (test_unix*.c, test_epoll_paths.c): a teardown that
 * closes every fd the test left before the leak check, sockaddr_un makers for path and
 * abstract names, and datagram sockets bound or connected to an abstract name (how two
 * tasks, each with its own fd table, find each other). The errno assert is
 * net_testutil.h's.
 * Mirrors no kernel file. */
#ifndef ULNET_TEST_UNIX_TESTUTIL_H
#define ULNET_TEST_UNIX_TESTUTIL_H
#include <stddef.h>
#include <string.h>
#include <sys/un.h>
#include "harness.h"
#include "net_testutil.h"
#include "ulnet/socket.h"

/* cmocka teardown: close fds 0..1099 of the calling task, then the leak check. */
static inline int unix_test_teardown(void **state)
{
	int fd;

	for (fd = 0; fd < 1100; fd++)
		ul_close(fd);
	return ul_test_teardown(state);
}

/* A path name ("/run/x.sock"), NUL counted. Returns the address length. */
static inline socklen_t sun_path(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

/* An abstract name: a NUL then @name (no terminator counted). */
static inline socklen_t sun_abstract(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

/* A datagram socket bound to / connected to the abstract name @name; -1 on failure (no
 * cmocka assert: usable inside a task). */
static inline int unix_bound_dgram(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len = sun_abstract(&sun, name);
	int s = ul_socket(AF_UNIX, SOCK_DGRAM, 0);

	if (s < 0 || ul_bind(s, (struct sockaddr *)&sun, len)) {
		if (s >= 0)
			ul_close(s);
		return -1;
	}
	return s;
}

static inline int unix_connected_dgram(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len = sun_abstract(&sun, name);
	int s = ul_socket(AF_UNIX, SOCK_DGRAM, 0);

	if (s < 0 || ul_connect(s, (struct sockaddr *)&sun, len)) {
		if (s >= 0)
			ul_close(s);
		return -1;
	}
	return s;
}

#endif
