/* htmlsvg.h - the inline SVG timeline chart of the HTML report.
 *
 * Events are dots on a UTC time axis, one lane per kind (malicious,
 * suspicious, clean file, crontab), coloured by verdict, with labelled
 * ticks.  The axis copes with a single event or identical times (a one-
 * hour window around them), and with ranges of seconds up to the whole
 * int64 range of a hostile image (calendar-aligned month/year ticks,
 * at most ~8 labels).  Pure SVG: no script, no external reference. */
#ifndef MS_HTMLSVG_H
#define MS_HTMLSVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/ms_error.h"
#include "report/timeline.h"

/* Most dots drawn; the rest are counted in a caption (the table below
 * the chart always lists every event). */
#define MS_SVG_MAX_DOTS 20000

/* Tick positions chosen for [tmin, tmax] seconds: n (<= cap) ticks, each
 * with its time and a label ("2015", "2015-04", "2015-04-07",
 * "2015-04-07 10:20", "2015-04-07 10:20:30").  Exposed for unit tests. */
typedef struct ms_svg_tick {
    double t;
    char   label[48];
} ms_svg_tick;
size_t ms_svg_ticks(double tmin, double tmax, ms_svg_tick *ticks,
                    size_t cap);

/* An entry with this verdict is a step of the incident story (its path
 * the step in words): drawn in a lane of its own, "incident", which the
 * chart only has when such entries are given. */
#define MS_SVG_STORY (-2)

/* Write the <svg> element for entries[0..n); at most MS_SVG_MAX_DOTS
 * dots, the first entries (put story steps first).  MS_ERR_IO on write
 * failure. */
ms_err ms_svg_timeline(FILE *out, const ms_tl_entry *entries, size_t n);

#endif
