/* SPDX-License-Identifier: MIT */
/* Coroutine stacks and switches for the sim runtime (x86_64 assembly, ucontext elsewhere).
 * Mirrors nothing in Linux: the kernel's switch_to() plays this part for real stacks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "linux/kernel.h"
#include "arch/sim/coro.h"

/* -DULNET_CORO_UCONTEXT forces the portable fallback (to test it on x86_64). */
#if defined(__x86_64__) && !defined(ULNET_CORO_UCONTEXT)
#define CORO_ASM 1
#else
#include <ucontext.h>
#endif

/* AddressSanitizer must be told about every stack switch, or it reports the first access to
 * the other stack as an overflow and mixes up its fake stacks (DESIGN.md, known trap). */
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif

#ifdef CORO_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
				     size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define asan_start(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define asan_finish(save, bottom, size) __sanitizer_finish_switch_fiber(save, bottom, size)
#define asan_unpoison(addr, size) __asan_unpoison_memory_region(addr, size)
#else
#define asan_start(save, bottom, size) do { (void)(save); (void)(bottom); (void)(size); } while (0)
#define asan_finish(save, bottom, size) do { (void)(save); (void)(bottom); (void)(size); } while (0)
#define asan_unpoison(addr, size) do { (void)(addr); (void)(size); } while (0)
#endif

struct ul_coro {
	void *sp;		/* saved stack pointer while switched out (assembly switch) */
	void *map;		/* mmap'ed region: guard page, then the stack */
	size_t map_len;
	void *stack;		/* lowest usable byte of the stack */
	size_t stack_size;
	void (*entry)(void *);
	void *arg;
	void *asan_fake;	/* ASan fake stack of this coroutine while switched out */
	struct ul_coro *next_free;
#ifndef CORO_ASM
	ucontext_t uc;
#endif
};

/* The scheduler context (the thread's own stack). */
#ifdef CORO_ASM
static __thread void *sched_sp;
#endif
static __thread void *sched_asan_fake;
static __thread const void *sched_stack_bottom;
static __thread size_t sched_stack_size;
#ifndef CORO_ASM
static __thread ucontext_t sched_uc;
#endif

/* Freed coroutines are kept for reuse: creating and joining thousands of short tasks would
 * otherwise cost two system calls (mmap, mprotect) and a munmap each. */
#define CORO_CACHE_MAX 64
static __thread struct ul_coro *coro_cache;
static __thread unsigned int coro_cache_len;

#ifdef CORO_ASM
void ul_ctx_switch(void **save_sp, void *new_sp);
void ul_ctx_start(void);
#endif

static void coro_main(struct ul_coro *c)
{
	/* First run: learn the scheduler stack's bounds for the switches back. */
	asan_finish(NULL, &sched_stack_bottom, &sched_stack_size);
	c->entry(c->arg);
	/* entry must end with coro_exit(). */
	ul_bug(__FILE__, __LINE__, "coroutine entry returned");
}

#ifndef CORO_ASM
static void coro_main_uc(unsigned int hi, unsigned int lo)
{
	coro_main((struct ul_coro *)(((uintptr_t)hi << 32) | (uintptr_t)lo));
}
#endif

static size_t page_size(void)
{
	static size_t ps;

	if (!ps)
		ps = (size_t)sysconf(_SC_PAGESIZE);
	return ps;
}

static void coro_unmap(struct ul_coro *c)
{
	/* The shadow of an abandoned stack may still be poisoned (frames never returned);
	 * clear it before the range can be reused by another mapping. */
	asan_unpoison(c->stack, c->stack_size);
	munmap(c->map, c->map_len);
	free(c);
}

/* Lay out the first frame so that the first resume "returns" into ul_ctx_start, which calls
 * coro_main(c) with a 16-byte aligned stack. */
static void coro_prepare(struct ul_coro *c)
{
#ifdef CORO_ASM
	uintptr_t top = ((uintptr_t)c->stack + c->stack_size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 64 - 16);

	/* Popped by ul_ctx_switch: mxcsr|fpu cw, r15, r14, r13, r12, rbx, rbp, return address. */
	sp[0] = 0x1f80ULL | (0x037fULL << 32);
	sp[1] = 0;				/* r15 */
	sp[2] = 0;				/* r14 */
	sp[3] = 0;				/* r13 */
	sp[4] = (uint64_t)(uintptr_t)c;		/* r12: argument */
	sp[5] = (uint64_t)(uintptr_t)coro_main;	/* rbx: function */
	sp[6] = 0;				/* rbp */
	sp[7] = (uint64_t)(uintptr_t)ul_ctx_start;
	sp[8] = 0;
	sp[9] = 0;
	c->sp = sp;
#else
	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = c->stack;
	c->uc.uc_stack.ss_size = c->stack_size;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, (void (*)(void))coro_main_uc, 2,
		    (unsigned int)((uintptr_t)c >> 32), (unsigned int)(uintptr_t)c);
#endif
	c->asan_fake = NULL;
}

struct ul_coro *coro_create(size_t stack_size, void (*entry)(void *), void *arg)
{
	size_t ps = page_size();
	struct ul_coro *c, **pp;

	stack_size = (stack_size + ps - 1) & ~(ps - 1);
	for (pp = &coro_cache; *pp; pp = &(*pp)->next_free) {
		if ((*pp)->stack_size == stack_size) {
			c = *pp;
			*pp = c->next_free;
			coro_cache_len--;
			asan_unpoison(c->stack, c->stack_size);
			goto ready;
		}
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->map_len = stack_size + ps;
	c->map = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (c->map == MAP_FAILED) {
		free(c);
		return NULL;
	}
	/* The stack grows down: an overflow runs into this page and faults. */
	if (mprotect(c->map, ps, PROT_NONE)) {
		munmap(c->map, c->map_len);
		free(c);
		return NULL;
	}
	c->stack = (char *)c->map + ps;
	c->stack_size = stack_size;
ready:
	c->entry = entry;
	c->arg = arg;
	c->next_free = NULL;
	coro_prepare(c);
	return c;
}

void coro_destroy(struct ul_coro *c)
{
	if (!c)
		return;
	if (coro_cache_len < CORO_CACHE_MAX) {
		c->next_free = coro_cache;
		coro_cache = c;
		coro_cache_len++;
		return;
	}
	coro_unmap(c);
}

void coro_cache_drain(void)
{
	while (coro_cache) {
		struct ul_coro *c = coro_cache;

		coro_cache = c->next_free;
		coro_unmap(c);
	}
	coro_cache_len = 0;
}

void coro_resume(struct ul_coro *c)
{
	asan_start(&sched_asan_fake, c->stack, c->stack_size);
#ifdef CORO_ASM
	ul_ctx_switch(&sched_sp, c->sp);
#else
	swapcontext(&sched_uc, &c->uc);
#endif
	asan_finish(sched_asan_fake, NULL, NULL);
}

void coro_yield(struct ul_coro *c)
{
	asan_start(&c->asan_fake, sched_stack_bottom, sched_stack_size);
#ifdef CORO_ASM
	ul_ctx_switch(&c->sp, sched_sp);
#else
	swapcontext(&c->uc, &sched_uc);
#endif
	asan_finish(c->asan_fake, &sched_stack_bottom, &sched_stack_size);
}

void coro_exit(struct ul_coro *c)
{
	/* NULL: this stack is gone for good, ASan may drop its fake frames. */
	asan_start(NULL, sched_stack_bottom, sched_stack_size);
#ifdef CORO_ASM
	ul_ctx_switch(&c->sp, sched_sp);
#else
	setcontext(&sched_uc);
#endif
	__builtin_unreachable();
}

void coro_guard(const struct ul_coro *c, void **addr, size_t *len)
{
	*addr = c->map;
	*len = page_size();
}
