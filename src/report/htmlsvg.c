#include "report/htmlsvg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/timefmt.h"

#define W      1000.0
#define LEFT   130.0
#define RIGHT  30.0
#define TOP    20.0
#define LANE_H 40.0
#define NLANES 5   /* the last, "incident", only when story steps are given */

static const char *const lane_name[NLANES] = {
    "malicious", "suspicious", "clean file", "crontab", "incident"
};
static const char *const lane_color[NLANES] = {
    "#b3001b", "#d97706", "#4d7c0f", "#2557a7", "#6f42c1"
};

static int lane_of(const ms_tl_entry *t)
{
    if (t->verdict == MS_SVG_STORY)
        return 4;
    if (t->verdict < 0)
        return 3;
    if (t->verdict >= 2)
        return 0;
    return t->verdict == 1 ? 1 : 2;
}

static double tsec(const ms_tl_entry *t)
{
    return (double)t->sec + (double)t->nsec / 1e9;
}

/* Label of time t: precision 0 year, 1 year-month, 2 date, 3 date and
 * minutes, 4 date and seconds.  Expanded years ("+12345", "-0044") only
 * make the date part longer. */
static void label(double t, int prec, char out[48])
{
    char iso[MS_TIME_BUFSZ];
    double fl = floor(t);
    int64_t sec = fl >= 9.2e18 ? INT64_MAX : fl <= -9.2e18 ? INT64_MIN
                  : (int64_t)fl;
    const char *T;
    if (ms_time_format(sec, 0, iso) != MS_OK || !(T = strchr(iso, 'T')) ||
        T - iso < 10) {
        snprintf(out, 48, "?");
        return;
    }
    int datelen = (int)(T - iso);
    if (prec <= 2)
        snprintf(out, 48, "%.*s", datelen - (prec == 0 ? 6 : prec == 1 ? 3
                                                                       : 0),
                 iso);
    else
        snprintf(out, 48, "%.*s %.*s", datelen, iso, prec == 3 ? 5 : 8,
                 T + 1);
}

static void year_of(double t, int64_t *year, unsigned *month)
{
    unsigned day;
    double d = floor(t / 86400.0);
    if (d > 1e14) d = 1e14;
    if (d < -1e14) d = -1e14;
    ms_civil_from_days((int64_t)d, year, month, &day);
}

size_t ms_svg_ticks(double tmin, double tmax, ms_svg_tick *ticks, size_t cap)
{
    static const double secs[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
        900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
        1209600 };
    double span = tmax - tmin;
    size_t n = 0;
    if (cap == 0 || !(span > 0) || !isfinite(span))
        return 0;
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        double step = secs[i];
        if (span / step > 7.0)
            continue;
        int prec = step < 60 ? 4 : step < 86400 ? 3 : 2;
        for (double t = ceil(tmin / step) * step; t <= tmax && n < cap &&
             n < 50; t += step) {
            ticks[n].t = t;
            label(t, prec, ticks[n].label);
            n++;
        }
        return n;
    }
    /* Calendar ticks: months (1, 3, 6) then years (1, 2, 5, 10, ...). */
    int64_t y0, y1;
    unsigned m0, m1;
    year_of(tmin, &y0, &m0);
    year_of(tmax, &y1, &m1);
    double months = ((double)y1 - (double)y0) * 12.0 + (double)m1 - m0;
    static const int msteps[] = { 1, 3, 6 };
    for (size_t i = 0; i < 3; i++) {
        if (months / msteps[i] > 7.0)
            continue;
        int64_t y = y0;
        unsigned m = m0;
        for (int k = 0; k < 200 && n < cap && n < 50; k++) {
            double t = (double)ms_days_from_civil(y, m, 1) * 86400.0;
            if (t > tmax)
                break;
            if (t >= tmin && (m - 1) % (unsigned)msteps[i] == 0) {
                ticks[n].t = t;
                label(t, 1, ticks[n].label);
                n++;
            }
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        return n;
    }
    double years = (double)y1 - (double)y0, ystep = 1;
    for (int k = 0; years / ystep > 7.0 && k < 64; k++)
        ystep *= (k % 3 == 1) ? 2.5 : 2.0; /* 1 2 5 10 20 50 ... */
    double first = ceil(((double)y0 + 1) / ystep) * ystep;
    for (double y = first; y <= (double)y1 && n < cap && n < 50; y += ystep) {
        if (fabs(y) >= 1e12)
            break; /* beyond ms_days_from_civil's domain */
        ticks[n].t = (double)ms_days_from_civil((int64_t)y, 1, 1) * 86400.0;
        label(ticks[n].t, 0, ticks[n].label);
        n++;
    }
    return n;
}

static double xpos(double t, double tmin, double span)
{
    return LEFT + (t - tmin) / span * (W - LEFT - RIGHT);
}

ms_err ms_svg_timeline(FILE *out, const ms_tl_entry *e, size_t n)
{
    ms_svg_tick ticks[64];
    int bad = 0, nl = NLANES - 1;
    for (size_t i = 0; i < n; i++)
        if (e[i].verdict == MS_SVG_STORY)
            nl = NLANES;
    const double AXIS_Y = TOP + nl * LANE_H, H = AXIS_Y + 56.0;

#define P(...) do { if (fprintf(out, __VA_ARGS__) < 0) bad = 1; } while (0)
    P("<svg class=\"chart\" "
      "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Timeline chart: "
      "%zu events\">\n", W, H, n);
    for (int l = 0; l < nl; l++) {
        double y = TOP + l * LANE_H + LANE_H / 2;
        P("<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
          "class=\"lane\"/>\n", LEFT, W - RIGHT, y, y);
        P("<text x=\"%.0f\" y=\"%.1f\" class=\"lanelabel\" "
          "fill=\"%s\">%s</text>\n", LEFT - 10, y + 4, lane_color[l],
          lane_name[l]);
    }
    P("<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" "
      "class=\"axis\"/>\n", LEFT, W - RIGHT, AXIS_Y, AXIS_Y);
    if (n == 0) {
        P("<text x=\"%.0f\" y=\"%.0f\" class=\"empty\">no recorded times"
          "</text>\n</svg>\n", W / 2, AXIS_Y - 60);
        return bad ? MS_ERR_IO : MS_OK;
    }
    double tmin = tsec(&e[0]), tmax = tmin;
    size_t imin = 0, imax = 0;
    for (size_t i = 1; i < n; i++) {
        double t = tsec(&e[i]);
        if (t < tmin) { tmin = t; imin = i; }
        if (t > tmax) { tmax = t; imax = i; }
    }
    /* One instant: show the hour around it; else pad 3% each side so
     * dots at the ends are not cut. */
    if (!(tmax - tmin > 0)) {
        tmin -= 1800;
        tmax += 1800;
    } else {
        double pad = (tmax - tmin) * 0.03;
        tmin -= pad;
        tmax += pad;
    }
    double span = tmax - tmin;
    size_t nt = ms_svg_ticks(tmin, tmax, ticks, sizeof ticks / sizeof ticks[0]);
    for (size_t i = 0; i < nt; i++) {
        double x = xpos(ticks[i].t, tmin, span);
        char *lab = ms_escape_html(ticks[i].label, strlen(ticks[i].label));
        P("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" "
          "class=\"grid\"/>\n", x, x, TOP, AXIS_Y + 5);
        P("<text x=\"%.1f\" y=\"%.0f\" class=\"ticklabel\">%s</text>\n", x,
          AXIS_Y + 24, lab ? lab : "");
        free(lab);
    }
    size_t drawn = n < MS_SVG_MAX_DOTS ? n : MS_SVG_MAX_DOTS;
    for (size_t i = 0; i < drawn && !bad; i++) {
        int l = lane_of(&e[i]);
        char iso[MS_TIME_BUFSZ];
        char *p = ms_escape_html(e[i].path, strlen(e[i].path));
        if (ms_time_format(e[i].sec, e[i].nsec, iso))
            iso[0] = '\0';
        P("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"%s\" "
          "class=\"dot\"><title>%s %c %s</title></circle>\n",
          xpos(tsec(&e[i]), tmin, span), TOP + l * LANE_H + LANE_H / 2,
          lane_color[l], iso, e[i].event, p ? p : "");
        free(p);
    }
    char a[MS_TIME_BUFSZ], b[MS_TIME_BUFSZ];
    if (ms_time_format(e[imin].sec, e[imin].nsec, a))
        a[0] = '\0';
    if (ms_time_format(e[imax].sec, e[imax].nsec, b))
        b[0] = '\0';
    size_t steps = 0;   /* story steps are not timeline events */
    for (size_t i = 0; i < n; i++)
        steps += e[i].verdict == MS_SVG_STORY;
    char extra[48] = "";
    if (steps)
        snprintf(extra, sizeof extra, " and %zu incident steps", steps);
    P("<text x=\"%.0f\" y=\"%.0f\" class=\"caption\">%zu events%s, UTC, first %s, "
      "last %s%s</text>\n", LEFT, H - 8, n - steps, extra, a, b,
      drawn < n ? " (first events only; the table lists all)" : "");
    P("</svg>\n");
#undef P
    return bad ? MS_ERR_IO : MS_OK;
}
