/* SPDX-License-Identifier: MIT */
/* Tests of function-path tracing: contexts and CPUs, limits, text and Chrome JSON formats,
 * determinism, concurrent appends on posix.
 * Mirrors no kernel file: checks src/kernel/trace.c against include/trace/path.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "linux/interrupt.h"
#include "trace/path.h"

/* UL_TRACE() takes anything with a ul_id: a stand-in for an skb. */
struct fake_skb {
	u64 ul_id;
};

/* ---- a tiny JSON validator (RFC 8259 grammar, no semantic checks) ---------------------- */

struct jp {
	const char *s;
	int depth;
};

static void jp_ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\r' || *p->s == '\t')
		p->s++;
}

static int jp_value(struct jp *p);

static int jp_string(struct jp *p)
{
	if (*p->s != '"')
		return 0;
	p->s++;
	while (*p->s && *p->s != '"') {
		unsigned char c = (unsigned char)*p->s;

		if (c < 0x20)
			return 0;
		if (c == '\\') {
			p->s++;
			if (*p->s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p->s[i]) || !p->s[i])
						return 0;
				p->s += 5;
				continue;
			}
			if (!*p->s || !strchr("\"\\/bfnrt", *p->s))
				return 0;
		}
		p->s++;
	}
	if (*p->s != '"')
		return 0;
	p->s++;
	return 1;
}

static int jp_number(struct jp *p)
{
	const char *start = p->s;

	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (*p->s >= '1' && *p->s <= '9')
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	else
		return 0;
	if (*p->s == '.') {
		p->s++;
		if (!(*p->s >= '0' && *p->s <= '9'))
			return 0;
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!(*p->s >= '0' && *p->s <= '9'))
			return 0;
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	}
	return p->s > start;
}

static int jp_seq(struct jp *p, char close, int object)
{
	p->s++;
	jp_ws(p);
	if (*p->s == close) {
		p->s++;
		return 1;
	}
	for (;;) {
		jp_ws(p);
		if (object) {
			if (!jp_string(p))
				return 0;
			jp_ws(p);
			if (*p->s++ != ':')
				return 0;
		}
		if (!jp_value(p))
			return 0;
		jp_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return 1;
		}
		return 0;
	}
}

static int jp_value(struct jp *p)
{
	int ok;

	jp_ws(p);
	if (++p->depth > 64)
		return 0;
	switch (*p->s) {
	case '{':
		ok = jp_seq(p, '}', 1);
		break;
	case '[':
		ok = jp_seq(p, ']', 0);
		break;
	case '"':
		ok = jp_string(p);
		break;
	case 't':
		ok = !strncmp(p->s, "true", 4) && (p->s += 4);
		break;
	case 'f':
		ok = !strncmp(p->s, "false", 5) && (p->s += 5);
		break;
	case 'n':
		ok = !strncmp(p->s, "null", 4) && (p->s += 4);
		break;
	default:
		ok = jp_number(p);
	}
	p->depth--;
	return ok;
}

static int json_valid(const char *s)
{
	struct jp p = { s, 0 };

	if (!jp_value(&p))
		return 0;
	jp_ws(&p);
	return *p.s == '\0';
}

static void test_json_checker_itself(void **state)
{
	(void)state;
	assert_true(json_valid("{\"a\":[1,2.5,-3e2,\"x\\\"y\\u00e9\"],\"b\":{},\"c\":true}"));
	assert_false(json_valid("{\"a\":[1,2,]}"));
	assert_false(json_valid("{\"a\":\"x\ny\"}"));
	assert_false(json_valid("{\"a\":1} x"));
	assert_false(json_valid("{a:1}"));
}

/* ---- helpers --------------------------------------------------------------------------- */

static char *trace_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ul_trace_write_text(f), 0);
	fclose(f);
	return buf;
}

static char *trace_chrome(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ul_trace_write_chrome(f), 0);
	fclose(f);
	return buf;
}

/* Events of function @func, in order, at most @max. */
static size_t find_events(const char *func, const struct ul_trace_event **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ul_trace_count() && n < max; i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (!strcmp(e->func, func))
			out[n++] = e;
	}
	return n;
}

/* ---- a run touching the three contexts on two CPUs -------------------------------------- */

static int softirq_runs;

static void trace_test_softirq(struct softirq_action *a)
{
	struct fake_skb skb = { .ul_id = 9 };

	(void)a;
	softirq_runs++;
	UL_TRACEF(&skb, "run=%d", softirq_runs);
}

static irqreturn_t trace_test_irq(int irq, void *dev_id)
{
	struct fake_skb skb = { .ul_id = 5 };

	(void)dev_id;
	UL_TRACEF(&skb, "irq=%d", irq);
	/* Served at irq_exit, on the CPU that took the interrupt. */
	raise_softirq_irqoff(BLOCK_SOFTIRQ);
	return IRQ_HANDLED;
}

static int trace_test_task(void *arg)
{
	unsigned int irq = *(unsigned int *)arg;

	UL_TRACEF((struct fake_skb *)NULL, "start");
	/* Raised with bottom halves off: served at local_bh_enable, in this task, as softirq. */
	local_bh_disable();
	raise_softirq(BLOCK_SOFTIRQ);
	local_bh_enable();
	ul_irq_raise(irq);
	ul_sleep(1000 * 1000);
	UL_TRACEF((struct fake_skb *)NULL, "end");
	return 0;
}

/* The task runs on CPU 1; the IRQ is delivered on CPU 0. */
static void run_three_contexts(void)
{
	unsigned int irq;
	int n;
	struct ul_task *t;

	softirq_runs = 0;
	open_softirq(BLOCK_SOFTIRQ, trace_test_softirq);
	n = ul_irq_alloc();
	assert_true(n > 0);
	irq = (unsigned int)n;
	assert_int_equal(request_irq(irq, trace_test_irq, 0, "trace-test", &irq), 0);
	assert_int_equal(irq_set_affinity(irq, 0), 0);

	assert_int_equal(ul_trace_begin(0), 0);
	t = ul_task_spawn(NULL, "tracer", 1, trace_test_task, &irq);
	assert_non_null(t);
	assert_int_equal(ul_task_join(t), 0);
	ul_run_until_idle(10ULL * 1000 * 1000 * 1000);
	ul_trace_end();
	free_irq(irq, &irq);
}

static void test_contexts_and_cpus(void **state)
{
	const struct ul_trace_event *ev[4];
	(void)state;

	run_three_contexts();
	assert_int_equal(softirq_runs, 2);
	assert_int_equal(ul_trace_lost(), 0);

	assert_int_equal(find_events("trace_test_task", ev, 4), 2);
	assert_int_equal(ev[0]->ctx, UL_CTX_TASK);
	assert_int_equal(ev[0]->cpu, 1);
	assert_string_equal(ev[0]->comm, "tracer");
	assert_true(ev[0]->pid > 0);
	assert_int_equal(ev[0]->skb_id, 0);
	assert_string_equal(ev[0]->detail, "start");
	assert_int_equal(ev[1]->ctx, UL_CTX_TASK);
	assert_int_equal(ev[1]->cpu, 1);
	assert_string_equal(ev[1]->detail, "end");
	/* The task slept 1 ms between its two events. */
	assert_true(ev[1]->ns - ev[0]->ns >= 1000 * 1000);

	assert_int_equal(find_events("trace_test_irq", ev, 4), 1);
	assert_int_equal(ev[0]->ctx, UL_CTX_HARDIRQ);
	assert_int_equal(ev[0]->cpu, 0);
	assert_int_equal(ev[0]->skb_id, 5);
	assert_string_equal(ev[0]->comm, "");
	assert_int_equal(ev[0]->pid, -1);

	assert_int_equal(find_events("trace_test_softirq", ev, 4), 2);
	/* First from the task's local_bh_enable on CPU 1, then from irq_exit on CPU 0. */
	assert_int_equal(ev[0]->ctx, UL_CTX_SOFTIRQ);
	assert_int_equal(ev[0]->cpu, 1);
	assert_string_equal(ev[0]->detail, "run=1");
	assert_int_equal(ev[0]->skb_id, 9);
	assert_int_equal(ev[1]->ctx, UL_CTX_SOFTIRQ);
	assert_int_equal(ev[1]->cpu, 0);
	assert_string_equal(ev[1]->detail, "run=2");
	ul_trace_reset();
}

/* ---- limits ------------------------------------------------------------------------------ */

static void trace_limit_fn(int i)
{
	struct fake_skb skb = { .ul_id = (u64)i + 1 };

	UL_TRACEF(&skb, "%d", i);
}

static void test_limits_and_lost(void **state)
{
	char *text;
	int i;
	(void)state;

	assert_int_equal(ul_trace_count(), 0);
	assert_null(ul_trace_event(0));
	assert_int_equal(ul_trace_begin(3), 0);
	for (i = 0; i < 5; i++)
		trace_limit_fn(i);
	assert_int_equal(ul_trace_count(), 3);
	assert_int_equal(ul_trace_lost(), 2);
	assert_string_equal(ul_trace_event(0)->detail, "0");
	assert_string_equal(ul_trace_event(2)->detail, "2");
	assert_int_equal(ul_trace_event(2)->skb_id, 3);
	assert_null(ul_trace_event(3));
	text = trace_text();
	assert_non_null(strstr(text, "\n# 2 events lost (buffer of 3 events full)\n"));
	free(text);

	/* Stopped: nothing more is recorded, the events stay readable. */
	ul_trace_end();
	trace_limit_fn(9);
	assert_int_equal(ul_trace_count(), 3);
	assert_int_equal(ul_trace_lost(), 2);

	/* A new start clears; a buffer spanning several chunks keeps every event in place. */
	assert_int_equal(ul_trace_begin(10000), 0);
	assert_int_equal(ul_trace_count(), 0);
	assert_int_equal(ul_trace_lost(), 0);
	for (i = 0; i < 9000; i++)
		trace_limit_fn(i);
	assert_int_equal(ul_trace_count(), 9000);
	assert_int_equal(ul_trace_lost(), 0);
	for (i = 0; i < 9000; i += 997)
		assert_int_equal(ul_trace_event((size_t)i)->skb_id, (u64)i + 1);
	assert_string_equal(ul_trace_event(8999)->detail, "8999");

	ul_trace_reset();
	assert_int_equal(ul_trace_count(), 0);
	assert_int_equal(ul_trace_lost(), 0);
	assert_false(ul_trace_on);
}

/* ---- exact text format -------------------------------------------------------------- */

/* Record one event as if running on @cpu in the context given by @preempt_offset (the
 * runtime's own state, restored at once). */
static noinline void fmt_event(int cpu, unsigned int preempt_offset, u64 skb_id,
			       const char *detail)
{
	int saved_cpu = ul_this_cpu;
	struct fake_skb skb = { .ul_id = skb_id };

	ul_this_cpu = cpu;
	ul_preempt_count += preempt_offset;
	if (detail)
		UL_TRACEF(&skb, "%s", detail);
	else
		UL_TRACE(&skb);
	ul_preempt_count -= preempt_offset;
	ul_this_cpu = saved_cpu;
}

static void
a_function_name_longer_than_the_column(void)
{
	UL_TRACE_FN();
}

static void test_text_format_exact(void **state)
{
	char *text, expect[1024];
	u64 t0 = ul_now_ns(), target, secs;
	(void)state;

	/* Move virtual time to exactly S.001000123 s. */
	target = (t0 / 1000000000ULL + 1) * 1000000000ULL + 1000123;
	ul_run_for(target - t0);
	assert_int_equal(ul_now_ns(), target);
	secs = target / 1000000000ULL;

	assert_int_equal(ul_trace_begin(16), 0);
	fmt_event(0, SOFTIRQ_OFFSET, 3, "dev=lo");
	fmt_event(1, HARDIRQ_OFFSET, 0, NULL);
	fmt_event(12, HARDIRQ_OFFSET + SOFTIRQ_OFFSET, 123456, "x\ty");
	fmt_event(1, 0, 0, "a detail long enough to be cut at forty-seven characters");
	a_function_name_longer_than_the_column();
	ul_trace_end();

	text = trace_text();
	/* Outside any spawned task the application's thread is the init task (pid 1). */
	snprintf(expect, sizeof(expect),
		 "[%5llu.001000123] cpu0  softirq         fmt_event                    skb=3      dev=lo\n"
		 "[%5llu.001000123] cpu1  hardirq         fmt_event\n"
		 "[%5llu.001000123] cpu12 hardirq         fmt_event                    skb=123456 x y\n"
		 "[%5llu.001000123] cpu1  init            fmt_event                               "
		 "a detail long enough to be cut at forty-seven c\n"
		 "[%5llu.001000123] cpu0  init            a_function_name_longer_than_the_column\n",
		 (unsigned long long)secs, (unsigned long long)secs, (unsigned long long)secs,
		 (unsigned long long)secs, (unsigned long long)secs);
	assert_string_equal(text, expect);
	assert_int_equal(ul_trace_event(3)->ctx, UL_CTX_TASK);
	assert_int_equal(ul_trace_event(3)->pid, 1);
	assert_int_equal(ul_trace_event(1)->pid, -1);
	free(text);
	ul_trace_reset();
}

/* ---- Chrome trace-event JSON --------------------------------------------------------- */

static void test_chrome_json(void **state)
{
	char *json, want[256];
	const struct ul_trace_event *ev[4];
	u64 ns;
	(void)state;

	run_three_contexts();
	json = trace_chrome();
	assert_true(json_valid(json));
	assert_non_null(strstr(json, "{\"traceEvents\":["));
	assert_non_null(strstr(json, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,\"tid\":0,"
				     "\"args\":{\"name\":\"CPU 0\"}}"));
	assert_non_null(strstr(json, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
				     "\"args\":{\"name\":\"CPU 1\"}}"));
	assert_non_null(strstr(json, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":0,"
				     "\"args\":{\"name\":\"hardirq\"}}"));
	assert_non_null(strstr(json, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,"
				     "\"args\":{\"name\":\"softirq\"}}"));
	assert_int_equal(find_events("trace_test_task", ev, 4), 2);
	snprintf(want, sizeof(want),
		 "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
		 "\"args\":{\"name\":\"task tracer\"}}",
		 2 + ev[0]->pid);
	assert_non_null(strstr(json, want));
	/* The hard IRQ's instant event, ts in microseconds with the nanoseconds kept. */
	assert_int_equal(find_events("trace_test_irq", ev, 4), 1);
	ns = ev[0]->ns;
	snprintf(want, sizeof(want),
		 "{\"name\":\"trace_test_irq\",\"cat\":\"hardirq\",\"ph\":\"i\",\"s\":\"t\","
		 "\"ts\":%llu.%03llu,\"pid\":0,\"tid\":0,\"args\":{\"skb\":5,\"detail\":\"irq=",
		 (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
	assert_non_null(strstr(json, want));
	free(json);
	ul_trace_reset();

	/* Escaping: quotes, backslashes and bytes outside printable ASCII. */
	assert_int_equal(ul_trace_begin(0), 0);
	fmt_event(0, SOFTIRQ_OFFSET, 1, "a\"b\\c\xc3\xa9");
	ul_trace_end();
	json = trace_chrome();
	assert_true(json_valid(json));
	assert_non_null(strstr(json, "\"detail\":\"a\\\"b\\\\c\\u00c3\\u00a9\""));
	free(json);

	/* An empty trace is valid JSON too. */
	ul_trace_reset();
	json = trace_chrome();
	assert_true(json_valid(json));
	free(json);
}

/* ---- files ------------------------------------------------------------------------------ */

static void test_save_files(void **state)
{
	char path[] = "/tmp/ulnet-trace-XXXXXX", buf[4096], *text;
	int fd;
	size_t n;
	FILE *f;
	(void)state;

	assert_int_equal(ul_trace_save_text(NULL), -EINVAL);
	assert_int_equal(ul_trace_save_chrome(""), -EINVAL);
	assert_int_equal(ul_trace_save_text("/nonexistent-dir/x.txt"), -ENOENT);

	assert_int_equal(ul_trace_begin(0), 0);
	fmt_event(0, SOFTIRQ_OFFSET, 3, "dev=lo");
	ul_trace_end();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ul_trace_save_text(path), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	text = trace_text();
	assert_string_equal(buf, text);
	free(text);
	assert_int_equal(ul_trace_save_chrome(path), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_true(json_valid(buf));
	unlink(path);
	ul_trace_reset();
}

/* ---- determinism ------------------------------------------------------------------------ */

static void test_same_seed_same_text(void **state)
{
	char *a, *b;
	(void)state;

	assert_int_equal(ul_test_boot_with(UL_RUNTIME_SIM, 2, 7), 0);
	run_three_contexts();
	a = trace_text();
	ul_test_teardown(NULL);

	assert_int_equal(ul_test_boot_with(UL_RUNTIME_SIM, 2, 7), 0);
	run_three_contexts();
	b = trace_text();
	assert_true(strlen(a) > 100);
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* The stack's teardown frees the buffer (ul_trace_reset). */
}

/* ---- concurrent appends (posix) ------------------------------------------------------ */

#define POSIX_EVENTS 2000

static int posix_tracer(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < POSIX_EVENTS; i++)
		UL_TRACEF((struct fake_skb *)NULL, "%d", i);
	return 0;
}

static void test_posix_concurrent(void **state)
{
	struct ul_task *t0, *t1;
	size_t i, per_cpu[2] = { 0, 0 };
	(void)state;

	assert_int_equal(ul_trace_begin(0), 0);
	t0 = ul_task_spawn(NULL, "tracer0", 0, posix_tracer, NULL);
	t1 = ul_task_spawn(NULL, "tracer1", 1, posix_tracer, NULL);
	assert_non_null(t0);
	assert_non_null(t1);
	assert_int_equal(ul_task_join(t0), 0);
	assert_int_equal(ul_task_join(t1), 0);
	ul_trace_end();
	for (i = 0; i < ul_trace_count(); i++) {
		const struct ul_trace_event *e = ul_trace_event(i);

		if (strcmp(e->func, "posix_tracer"))
			continue;
		assert_int_equal(e->ctx, UL_CTX_TASK);
		assert_true(e->cpu < 2);
		assert_string_equal(e->comm, e->cpu ? "tracer1" : "tracer0");
		per_cpu[e->cpu]++;
	}
	assert_int_equal(per_cpu[0], POSIX_EVENTS);
	assert_int_equal(per_cpu[1], POSIX_EVENTS);
	assert_int_equal(ul_trace_lost(), 0);
	ul_trace_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker_itself),
		cmocka_unit_test_setup_teardown(test_contexts_and_cpus, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_limits_and_lost, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_text_format_exact, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_chrome_json, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_save_files, ul_test_setup_sim,
						ul_test_teardown),
		cmocka_unit_test_teardown(test_same_seed_same_text, ul_test_teardown),
		cmocka_unit_test_setup_teardown(test_posix_concurrent, ul_test_setup_posix,
						ul_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
