/* SPDX-License-Identifier: MIT */
/* The scenario interpreter's internals, for tests: the shell-like line splitter, duration
 * parsing, the built-in programs of `exec`. See docs/scenarios.md for the language.
 * Mirrors no kernel file. */
#ifndef _ULNET_LAB_SCENARIO_H
#define _ULNET_LAB_SCENARIO_H
#include <stdbool.h>
#include "linux/types.h"

#define SCN_MAX_WORDS 64

/* One logical line: its words (malloc'ed, free with scn_words_free) and the number of the
 * physical line it starts on. */
struct scn_line {
	char *words[SCN_MAX_WORDS];
	int nwords;
	int lineno;
};

/* Split the next logical line of *@pos (advancing it; *@lineno counts physical lines):
 * '#' starts a comment at a word's start, '\' + newline continues, 'single' quotes are
 * literal, "double" quotes allow \" \\ \$, a backslash outside quotes escapes the next
 * character. Returns 1 with @l filled (nwords may be 0 for a blank line), 0 at the end, or
 * -EINVAL with *@err set to a static message and l->lineno to the line where it happened. */
int scn_next_line(const char **pos, int *lineno, struct scn_line *l, const char **err);
void scn_words_free(struct scn_line *l);

/* "3s", "500ms", "10us", "20ns", "1.5s", "2m": nanoseconds, or -EINVAL. */
int scn_parse_duration(const char *s, u64 *ns);

/* Built-in programs for `exec -n NS PROGRAM ARGS`. */
struct scn_program {
	const char *name;
	const char *usage;
	/* Check @argv (argv[0] = the program's name) and prepare @state; 0 or -errno with
	 * @msg (a static string) telling why. The task then runs run(@state). */
	int (*prepare)(const char *netns, int argc, char **argv, void **state, const char **msg);
	int (*run)(void *state);
	void (*release)(void *state);
	/* NULL, or: 1 once the program serves (a server listens), 0 not yet, -errno when it
	 * could not start (@msg: a static string naming what failed). `exec` waits for it (2 s
	 * at most), so that the next line, or a peer outside the stack, finds it serving. A
	 * program with this hook is a server: `wait` leaves it serving, and the end of the run
	 * stops it (with a signal) after the other programs have finished. */
	int (*ready)(void *state, const char **msg);
};
const struct scn_program *scn_program_find(const char *name);
size_t scn_program_count(void);
const struct scn_program *scn_program_at(size_t i);
/* Programs a tool adds to the built-in ones (the ulnet command's TCP servers and clients,
 * tools/ulnet/up_programs.c): @n entries of @progs, which must live as long as the process.
 * Registering the same array again is a no-op; a name already known is -EEXIST; -ENOSPC
 * past 4 arrays. Not thread-safe: call before any scenario runs. */
int scn_program_register(const struct scn_program *progs, size_t n);

#endif
