/* SPDX-License-Identifier: MIT */
/* A small SVG line-plot writer: the labs draw counters over time with it (--plot DIR).
 * Mirrors no kernel file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "lab/plot.h"

#define PLOT_W	    760
#define PLOT_H	    440
#define PLOT_LEFT   72
#define PLOT_RIGHT  180	/* room for the legend */
#define PLOT_TOP    44
#define PLOT_BOTTOM 56
#define PLOT_TICKS  5

static const char *const plot_colors[] = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
					   "#9467bd", "#8c564b", "#e377c2", "#7f7f7f" };

/* XML text: escape the five special characters. */
static void plot_xml(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) for @range over PLOT_TICKS ticks. */
static double plot_step(double range)
{
	double raw = range / PLOT_TICKS, mag = pow(10, floor(log10(raw))), r = raw / mag;

	return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

int ul_plot_svg(const char *path, const char *title, const char *xlabel, const char *ylabel,
		const struct ul_plot_series *series, size_t nseries)
{
	double xmin = INFINITY, xmax = -INFINITY, ymin = 0, ymax = -INFINITY, xs, ys, t;
	double pw = PLOT_W - PLOT_LEFT - PLOT_RIGHT, ph = PLOT_H - PLOT_TOP - PLOT_BOTTOM;
	size_t i, k;
	FILE *f;
	int err;

	if (!path || !series || !nseries)
		return -EINVAL;
	for (i = 0; i < nseries; i++) {
		if (!series[i].name || !*series[i].name || (series[i].n && (!series[i].x ||
								     !series[i].y)))
			return -EINVAL;
		for (k = 0; k < series[i].n; k++) {
			if (!isfinite(series[i].x[k]) || !isfinite(series[i].y[k]))
				return -EINVAL;
			xmin = fmin(xmin, series[i].x[k]);
			xmax = fmax(xmax, series[i].x[k]);
			ymin = fmin(ymin, series[i].y[k]);
			ymax = fmax(ymax, series[i].y[k]);
		}
	}
	if (!isfinite(xmin)) {	/* no point at all: an empty frame */
		xmin = 0;
		xmax = 1;
		ymax = 1;
	}
	if (xmax <= xmin)
		xmax = xmin + 1;
	if (ymax <= ymin)
		ymax = ymin + 1;
	xs = plot_step(xmax - xmin);
	ys = plot_step(ymax - ymin);
	xmin = floor(xmin / xs) * xs;
	xmax = ceil(xmax / xs) * xs;
	ymin = floor(ymin / ys) * ys;
	ymax = ceil(ymax / ys) * ys;

	f = fopen(path, "w");
	if (!f)
		return -errno;
#define PX(v) (PLOT_LEFT + ((v) - xmin) / (xmax - xmin) * pw)
#define PY(v) (PLOT_TOP + ph - ((v) - ymin) / (ymax - ymin) * ph)
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n<title>",
		PLOT_W, PLOT_H, PLOT_W, PLOT_H);
	plot_xml(f, title);
	fprintf(f, "</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		   "<text x=\"%d\" y=\"24\" font-size=\"15\">", PLOT_LEFT);
	plot_xml(f, title);
	fprintf(f, "</text>\n<g class=\"axes\" stroke=\"#333\" fill=\"none\">\n"
		   "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\"/>\n</g>\n",
		PLOT_LEFT, PLOT_TOP, pw, ph);
	fprintf(f, "<g class=\"ticks\" fill=\"#333\" stroke=\"none\">\n");
	for (k = 0, t = xmin; t <= xmax + xs / 2 && k < 64; t += xs, k++)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n"
			   "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>\n",
			PX(t), PLOT_TOP + ph + 16, t, PX(t), PLOT_TOP, PX(t), PLOT_TOP + ph);
	for (k = 0, t = ymin; t <= ymax + ys / 2 && k < 64; t += ys, k++)
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n"
			   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			PLOT_LEFT - 6, PY(t) + 4, t, PLOT_LEFT, PY(t), PLOT_LEFT + pw, PY(t));
	fprintf(f, "</g>\n<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">", PLOT_LEFT + pw / 2,
		PLOT_H - 14);
	plot_xml(f, xlabel);
	fprintf(f, "</text>\n<text transform=\"translate(16 %.0f) rotate(-90)\" "
		   "text-anchor=\"middle\">", PLOT_TOP + ph / 2);
	plot_xml(f, ylabel);
	fprintf(f, "</text>\n");
	for (i = 0; i < nseries; i++) {
		const char *color = plot_colors[i % (sizeof(plot_colors) / sizeof(*plot_colors))];

		fprintf(f, "<polyline class=\"series\" data-series=\"");
		plot_xml(f, series[i].name);
		fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"", color);
		for (k = 0; k < series[i].n; k++) {
			if (series[i].step && k)
				fprintf(f, "%.1f,%.1f ", PX(series[i].x[k]),
					PY(series[i].y[k - 1]));
			fprintf(f, "%.1f,%.1f%s", PX(series[i].x[k]), PY(series[i].y[k]),
				k + 1 < series[i].n ? " " : "");
		}
		fprintf(f, "\"/>\n<g class=\"legend\"><line x1=\"%.0f\" y1=\"%zu\" x2=\"%.0f\" "
			   "y2=\"%zu\" stroke=\"%s\" stroke-width=\"3\"/><text x=\"%.0f\" "
			   "y=\"%zu\">",
			PLOT_LEFT + pw + 12, PLOT_TOP + 10 + 20 * i, PLOT_LEFT + pw + 36,
			PLOT_TOP + 10 + 20 * i, color, PLOT_LEFT + pw + 42, PLOT_TOP + 14 + 20 * i);
		plot_xml(f, series[i].name);
		fprintf(f, "</text></g>\n");
	}
	fprintf(f, "</svg>\n");
#undef PX
#undef PY
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
