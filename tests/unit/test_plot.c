/* SPDX-License-Identifier: MIT */
/* The labs' SVG writer (src/lab/plot.c): one polyline per series with its points in the plot
 * area, staircases for counters, XML escaping of names, and clear errors for bad input.
 * tests/scripts/labs_book.sh parses a lab's real plot with an XML parser. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "lab/plot.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void tmp_path(char *buf, size_t len)
{
	int fd;

	snprintf(buf, len, "/tmp/ulnet-test-plot-XXXXXX");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what)) && n < 1000) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void test_two_series(void **state)
{
	double x[3] = { 0, 1, 2 }, y1[3] = { 0, 5, 10 }, y2[3] = { 1, 1, 2 };
	struct ul_plot_series s[2] = { { "a<b & \"c\"", x, y1, 3, 0 }, { "steps", x, y2, 3, 1 } };
	char path[64], *svg, *p;

	(void)state;
	tmp_path(path, sizeof(path));
	assert_int_equal(ul_plot_svg(path, "T & t", "x", "y", s, 2), 0);
	svg = slurp(path);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "<title>T &amp; t</title>"));
	assert_non_null(strstr(svg, "data-series=\"a&lt;b &amp; &quot;c&quot;\""));
	assert_int_equal(count(svg, "<polyline class=\"series\""), 2);
	assert_non_null(strstr(svg, "</svg>\n"));
	/* The staircase has 2n-1 points: a horizontal then a vertical move per step. */
	p = strstr(svg, "data-series=\"steps\"");
	assert_non_null(p);
	p = strstr(p, "points=\"");
	assert_non_null(p);
	assert_int_equal(count(p, ",") - count(strstr(p, "\"/>"), ","), 5);
	free(svg);
	unlink(path);
}

static void test_bad_input(void **state)
{
	double x[2] = { 0, 1 }, y[2] = { 0, NAN };
	struct ul_plot_series bad = { "nan", x, y, 2, 0 }, noname = { "", x, x, 2, 0 };
	char path[64];

	(void)state;
	tmp_path(path, sizeof(path));
	assert_int_equal(ul_plot_svg(path, "t", "x", "y", &bad, 1), -EINVAL);
	assert_int_equal(ul_plot_svg(path, "t", "x", "y", &noname, 1), -EINVAL);
	assert_int_equal(ul_plot_svg(path, "t", "x", "y", NULL, 0), -EINVAL);
	assert_int_equal(ul_plot_svg("/nonexistent-dir/x.svg", "t", "x", "y", &noname, 0),
			 -EINVAL);
	noname.name = "ok";
	assert_int_equal(ul_plot_svg("/nonexistent-dir/x.svg", "t", "x", "y", &noname, 1),
			 -ENOENT);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_series),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
