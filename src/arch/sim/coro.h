/* SPDX-License-Identifier: MIT */
/* Coroutines of the sim runtime: a stack with a guard page and a context switch.
 * Mirrors nothing in Linux (the kernel switches with switch_to on real stacks).
 *
 * The scheduler context is the OS thread's own stack, where the event loop runs; a coroutine
 * is resumed from it and switches back to it (there is no coroutine-to-coroutine switch).
 * Every switch is announced to AddressSanitizer so ASan builds keep track of which stack is
 * live. Context: the sim runtime's single thread. */
#ifndef _ARCH_SIM_CORO_H
#define _ARCH_SIM_CORO_H
#include <stddef.h>
#include "linux/compiler.h"

struct ul_coro;

/* A coroutine that runs @entry(@arg) on its own stack of @stack_size bytes (rounded up to
 * pages), with a PROT_NONE guard page below it. @entry must never return: it ends with
 * coro_exit(). NULL when out of memory. */
struct ul_coro *coro_create(size_t stack_size, void (*entry)(void *), void *arg);
/* Release a coroutine that is not running (finished, or parked and never to be resumed). */
void coro_destroy(struct ul_coro *c);
/* From the scheduler context: run @c until it yields or exits. */
void coro_resume(struct ul_coro *c);
/* From inside @c: go back to the scheduler context; returns when @c is resumed. */
void coro_yield(struct ul_coro *c);
/* From inside @c: leave it for good. */
__noreturn void coro_exit(struct ul_coro *c);
/* The guard page of @c (tests check that it is there). */
void coro_guard(const struct ul_coro *c, void **addr, size_t *len);
/* Drop the cache of free stacks (runtime teardown). */
void coro_cache_drain(void);

#endif
