/* SPDX-License-Identifier: MIT */
/* A small SVG line-plot writer for the labs' pictures (`ulnet lab NAME --plot DIR`).
 * Mirrors no kernel file. */
#ifndef _ULNET_LAB_PLOT_H
#define _ULNET_LAB_PLOT_H
#include <stddef.h>

struct ul_plot_series {
	const char *name;	/* legend text; also the polyline's data-series attribute */
	const double *x, *y;	/* @n points */
	size_t n;
	int step;		/* 1: draw as a staircase (counters), 0: straight segments */
};

/* Write an SVG document of the series to @path: axes with ticks, one polyline per series
 * (class "series", data-series NAME), a legend, the title as <title> and a heading.
 * 0, -EINVAL (no series, a NaN/inf value, an empty name), or -errno of the file. */
int ul_plot_svg(const char *path, const char *title, const char *xlabel, const char *ylabel,
		const struct ul_plot_series *series, size_t nseries);

#endif
