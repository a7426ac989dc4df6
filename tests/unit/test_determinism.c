/* SPDX-License-Identifier: MIT */
/* Determinism of the sim runtime: the same scenario with the same seed gives a byte-identical
 * trace; another seed gives another one.
 * Mirrors nothing in Linux: tests that src/arch/sim, sched, softirq, irq and the timers
 * together form one reproducible sequence (DESIGN.md, "Deterministic when simulated"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "arch/arch.h"
#include "linux/errno.h"
#include "linux/interrupt.h"
#include "linux/jiffies.h"
#include "linux/random.h"
#include "linux/sched.h"
#include "trace/path.h"

#define NTASKS 4
#define ROUNDS 25

/* UL_TRACEF without an skb. */
#define DET_TRACEF(fmt, ...) \
	do { if (ul_trace_on) __ul_tracef(__func__, 0, fmt, ##__VA_ARGS__); } while (0)

struct ring {
	struct task_struct *task[NTASKS];
	int token;		/* index of the task that may run */
	int done;
	bool finished[NTASKS];	/* joined (freed) tasks must not be woken */
	int irq;
};

static struct ring ring;

static void det_softirq(struct softirq_action *h)
{
	DET_TRACEF("pending=%lx", local_softirq_pending());
}

static irqreturn_t det_irq(int irq, void *dev_id)
{
	UL_TRACE_FN();
	/* Work for the bottom half, as a NIC's handler schedules NAPI. */
	raise_softirq_irqoff(BLOCK_SOFTIRQ);
	return IRQ_HANDLED;
}

static void det_event(void *arg)
{
	DET_TRACEF("event %ld", (long)arg);
}

static void ring_step(int me, int round)
{
	u32 r = prandom_u32();

	DET_TRACEF("task %d round %d r=%u", me, round, r % 1000);
	switch (r % 4) {
	case 0:
		ul_sleep((u64)(r % 997) * NSEC_PER_USEC + r % 13);
		break;
	case 1:
		schedule_timeout_interruptible((long)(r % 5) + 1);
		break;
	case 2:
		raise_softirq_on((me + 1) % 2, BLOCK_SOFTIRQ);
		yield();
		break;
	default:
		ul_irq_raise((unsigned int)ring.irq);
		ul_call_at(ul_now_ns() + r % 5000, me % 2, det_event, (void *)(long)round);
		break;
	}
}

static int ring_fn(void *arg)
{
	int me = (int)(long)arg, round;

	for (round = 0; round < ROUNDS; round++) {
		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			if (READ_ONCE(ring.token) == me)
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		ring_step(me, round);
		ring.token = (me + 1) % NTASKS;
		if (!ring.finished[ring.token])
			wake_up_process(ring.task[ring.token]);
	}
	ring.finished[me] = true;
	ring.done++;
	return round;
}

/* Boot with @seed, run the ring, return the text trace (malloc'ed). */
static char *run_scenario(u64 seed)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	assert_int_equal(ul_test_boot_with(UL_RUNTIME_SIM, 2, seed), 0);
	assert_int_equal(ul_trace_start(0), 0);
	memset(&ring, 0, sizeof(ring));
	open_softirq(BLOCK_SOFTIRQ, det_softirq);
	ring.irq = ul_irq_alloc();
	assert_true(ring.irq > 0);
	assert_int_equal(request_irq(ring.irq, det_irq, 0, "det", &ring), 0);
	irq_set_affinity(ring.irq, 1);
	for (i = 0; i < NTASKS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "ring%d", i);
		ring.task[i] = ul_task_create(ring_fn, (void *)(long)i, name, i % 2, NULL);
		assert_non_null(ring.task[i]);
	}
	for (i = 0; i < NTASKS; i++)
		assert_int_equal(ul_task_join(ring.task[i]), ROUNDS);
	assert_int_equal(ring.done, NTASKS);
	ul_run_until_idle(NSEC_PER_SEC);
	ul_trace_stop();
	assert_int_equal(ul_trace_lost(), 0);
	assert_true(ul_trace_count() > NTASKS * ROUNDS);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ul_trace_write_text(f), 0);
	fclose(f);

	free_irq(ring.irq, &ring);
	open_softirq(BLOCK_SOFTIRQ, NULL);
	ul_test_teardown(NULL);
	return buf;
}

static void test_same_seed_same_trace(void **state)
{
	char *a = run_scenario(42), *b = run_scenario(42), *c = run_scenario(43);

	assert_non_null(a);
	assert_non_null(b);
	assert_true(strlen(a) > 1000);
	assert_string_equal(a, b);
	/* The seed drives the scenario: another seed, another run. */
	assert_string_not_equal(a, c);
	/* All three contexts show up. */
	assert_non_null(strstr(a, "det_irq"));
	assert_non_null(strstr(a, "det_softirq"));
	assert_non_null(strstr(a, "ring_step"));
	free(a);
	free(b);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
