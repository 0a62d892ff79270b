/* history_report.c - see history_report.h. */
#include "report/history_report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_utf8.h"
#include "report/escape.h"
#include "report/report.h"
#include "report/timefmt.h"

static void wp(ms_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void wp(ms_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_wvprintf(w, fmt, ap);
    va_end(ap);
}

/* s escaped for text (html 0) or HTML (html 1) */
static void ws(ms_writer *w, const char *s, int html)
{
    if (!s)
        s = "-";
    char *e = html ? ms_escape_html(s, strlen(s)) : ms_escape_text(s, strlen(s));
    if (!e) {
        if (!w->err)
            w->err = MS_ERR_NOMEM;
        return;
    }
    wp(w, "%s", e);
    free(e);
}

static void tstr(int64_t sec, char b[MS_TIME_BUFSZ])
{
    if (ms_time_format(sec, 0, b) != MS_OK)
        snprintf(b, MS_TIME_BUFSZ, "(invalid time)");
}

static const char *cert_name(enum ms_certainty c)
{
    return ms_report_certainty_name(c);
}

static char *src_words(const ms_scan *s, long i)
{
    if (i < 0 || (size_t)i >= s->nlogsrcs)
        return ms_strdup("?");
    const ms_logsrc *l = &s->logsrcs[i];
    return ms_asprintf("v%d:%s (inode %llu%s%s)", l->volume, l->path,
                       (unsigned long long)l->inode,
                       l->compressed ? ", gzip" : "",
                       l->deleted ? ", deleted, recovered" : "");
}

static void duration(char *b, size_t n, int64_t d)
{
    if (d >= 86400)
        snprintf(b, n, "%lldd %lldh", (long long)(d / 86400),
                 (long long)(d % 86400 / 3600));
    else if (d >= 3600)
        snprintf(b, n, "%lldh %lldm", (long long)(d / 3600),
                 (long long)(d % 3600 / 60));
    else
        snprintf(b, n, "%lldm %llds", (long long)(d / 60),
                 (long long)(d % 60));
}

/* ---- story ---------------------------------------------------------------- */

void ms_hr_text_story(ms_writer *w, const ms_scan *s)
{
    if (!s->nstory)
        return;
    wp(w, "INCIDENT STORY (times UTC; certainty of each step)\n");
    for (size_t i = 0; i < s->nstory; i++) {
        const ms_story_step *st = &s->story[i];
        char t[MS_TIME_BUFSZ] = "(no evidence)";
        if (st->has_time && ms_time_format(st->sec, st->nsec, t) != MS_OK)
            snprintf(t, sizeof t, "(invalid time)");
        wp(w, "  %zu. %-18s %-30s %s\n", i + 1, st->kind, t,
           st->has_time ? cert_name(st->certainty) : "");
        wp(w, "       ");
        ws(w, st->text, 0);
        wp(w, "\n");
        if (st->source) {
            wp(w, "       source: ");
            ws(w, st->source, 0);
            wp(w, "\n");
        }
    }
    wp(w, "\n");
}

void ms_hr_html_story(ms_writer *w, const ms_scan *s)
{
    if (!s->nstory)
        return;
    wp(w, "<section id=\"story\">\n<h2>Incident story</h2>\n"
          "<table class=\"story\">\n<tr><th>#</th><th>Step</th>"
          "<th>Time (UTC)</th><th>Certainty</th><th>What</th>"
          "<th>Source</th></tr>\n");
    for (size_t i = 0; i < s->nstory; i++) {
        const ms_story_step *st = &s->story[i];
        char t[MS_TIME_BUFSZ] = "no evidence";
        if (st->has_time && ms_time_format(st->sec, st->nsec, t) != MS_OK)
            snprintf(t, sizeof t, "(invalid time)");
        wp(w, "<tr class=\"step-%s\"><td>%zu</td><td>%s</td><td>", st->kind,
           i + 1, st->kind);
        if (st->has_time)
            wp(w, "<time>%s</time>", t);
        else
            wp(w, "no evidence");
        wp(w, "</td><td>%s</td><td>", st->has_time
           ? cert_name(st->certainty) : "&#8212;");
        ws(w, st->text, 1);
        wp(w, "</td><td>");
        ws(w, st->source, 1);
        wp(w, "</td></tr>\n");
    }
    wp(w, "</table>\n</section>\n");
}

/* ---- history --------------------------------------------------------------- */

static int64_t cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}
static int cmp64i(const void *a, const void *b) { return (int)cmp64(a, b); }

/* Dense runs of history h as ranges: (from, to, count). */
static void ranges(ms_writer *w, const ms_scan *s, long h, int html)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ncron_runs; i++)
        n += s->cron_runs[i].history == h;
    if (n == 0)
        return;
    int64_t *gaps = n > 1 ? malloc((n - 1) * sizeof *gaps) : NULL;
    int64_t prev = 0, thr = 3600;
    size_t k = 0;
    if (n > 1 && !gaps) {
        if (!w->err)
            w->err = MS_ERR_NOMEM;
        return;
    }
    for (size_t i = 0, seen = 0; i < s->ncron_runs; i++) {
        if (s->cron_runs[i].history != h)
            continue;
        if (seen++)
            gaps[k++] = s->cron_runs[i].sec - prev;
        prev = s->cron_runs[i].sec;
    }
    if (k) {
        qsort(gaps, k, sizeof *gaps, cmp64i);
        /* the job's usual interval: a low quantile, so outages do not
         * stretch it */
        if (gaps[k / 4] * 2 > thr)
            thr = gaps[k / 4] * 2;
    }
    free(gaps);
    size_t shown = 0, nr = 0, cnt = 0;
    int64_t from = 0, last = 0;
    if (html)
        wp(w, "<table class=\"runs\"><tr><th>From (UTC)</th><th>To (UTC)"
              "</th><th>Runs</th></tr>\n");
    for (size_t i = 0; i <= s->ncron_runs; i++) {
        int end = i == s->ncron_runs;
        if (!end && s->cron_runs[i].history != h)
            continue;
        int64_t t = end ? 0 : s->cron_runs[i].sec;
        if (cnt && (end || t - last > thr)) {
            nr++;
            if (shown < MS_HR_MAX_RANGES) {
                char a[MS_TIME_BUFSZ], b[MS_TIME_BUFSZ];
                tstr(from, a);
                tstr(last, b);
                if (html)
                    wp(w, "<tr><td><time>%s</time></td><td><time>%s</time>"
                          "</td><td>%zu</td></tr>\n", a, b, cnt);
                else
                    wp(w, "        %s .. %s  %zu run%s\n", a, b, cnt,
                       cnt == 1 ? "" : "s");
                shown++;
            }
            cnt = 0;
        }
        if (end)
            break;
        if (!cnt)
            from = t;
        last = t;
        cnt++;
    }
    if (html)
        wp(w, "</table>\n");
    if (nr > shown)
        wp(w, html ? "<p>%zu more ranges in the JSON report.</p>\n"
                   : "        ... %zu more ranges (all runs are in the JSON "
                     "report)\n", nr - shown);
}

static void hist_text(ms_writer *w, const ms_scan *s, size_t i)
{
    const ms_job_history *h = &s->job_history[i];
    char a[MS_TIME_BUFSZ], b[MS_TIME_BUFSZ], d[32];
    wp(w, "  (");
    ws(w, h->user, 0);
    wp(w, ") ");
    ws(w, h->command, 0);
    wp(w, "%s\n", h->flagged ? "   [runs a flagged file]" : "");
    tstr(h->first, a);
    tstr(h->last, b);
    wp(w, "      runs %" PRIu64 ", first %s, last %s%s\n", h->runs, a, b,
       h->year_inferred ? " (year inferred)" : "");
    if (h->job >= 0 && (size_t)h->job < s->njobs) {
        const ms_cronjob *j = &s->jobs[h->job];
        const char *ct = j->crontab >= 0 && (size_t)j->crontab < s->ncrontabs
                         ? s->crontabs[j->crontab].file.path : NULL;
        wp(w, "      job        ");
        ws(w, ct, 0);
        wp(w, " line %u (link: %s)\n", j->line, h->link);
    } else {
        wp(w, "      job        none in the image with this user and "
              "command\n");
    }
    for (size_t g = 0; g < h->ngaps; g++) {
        tstr(h->gaps[g].from, a);
        tstr(h->gaps[g].to, b);
        duration(d, sizeof d, h->gaps[g].to - h->gaps[g].from);
        wp(w, "      gap        %s .. %s (%s)\n", a, b, d);
    }
    for (size_t k = 0; k < h->nsources; k++) {
        char *sw = src_words(s, h->sources[k]);
        wp(w, "      from       ");
        ws(w, sw, 0);
        wp(w, "\n");
        free(sw);
    }
    if (h->flagged)
        ranges(w, s, (long)i, 0);
}

/* Infection time: the earliest dated story step, else 0. */
static int64_t infection(const ms_scan *s, int *has)
{
    int64_t t = 0;
    *has = 0;
    for (size_t i = 0; i < s->nstory; i++)
        if (s->story[i].has_time && (!*has || s->story[i].sec < t))
            t = s->story[i].sec, *has = 1;
    return t;
}

static int login_shown(const ms_scan *s, const ms_login *l, int64_t inf,
                       int has)
{
    (void)s;
    return !has || (l->sec >= inf - MS_HR_LOGIN_WINDOW &&
                    l->sec <= inf + MS_HR_LOGIN_WINDOW);
}

void ms_hr_text_history(ms_writer *w, const ms_scan *s)
{
    if (!s->nlogsrcs)
        return;
    wp(w, "EXECUTION HISTORY (cron records in %zu log files; %" PRIu64
          " records, %zu kept)\n", s->nlogsrcs, s->cron_runs_total,
       s->ncron_runs);
    for (size_t i = 0; i < s->njob_history; i++)
        if (s->job_history[i].flagged)
            hist_text(w, s, i);
    for (size_t i = 0; i < s->njob_history; i++)
        if (!s->job_history[i].flagged)
            hist_text(w, s, i);
    wp(w, "  log files read:\n");
    for (size_t i = 0; i < s->nlogsrcs; i++) {
        char *sw = src_words(s, (long)i);
        wp(w, "    %-7s ", s->logsrcs[i].kind);
        ws(w, sw, 0);
        wp(w, ", %" PRIu64 " records\n", s->logsrcs[i].records);
        free(sw);
        if (s->logsrcs[i].year_note) {
            wp(w, "            year: ");
            ws(w, s->logsrcs[i].year_note, 0);
            wp(w, "\n");
        }
        if (s->logsrcs[i].time_zone) {
            wp(w, "            zone: %s", s->logsrcs[i].local_as_utc
               ? "none found, local times TREATED AS UTC: " : "");
            ws(w, s->logsrcs[i].local_as_utc ? s->logsrcs[i].time_zone_source
                                             : s->logsrcs[i].time_zone, 0);
            if (!s->logsrcs[i].local_as_utc) {
                wp(w, " (");
                ws(w, s->logsrcs[i].time_zone_source, 0);
                wp(w, ")");
            }
            wp(w, "\n");
        }
        if (s->logsrcs[i].note) {
            wp(w, "            note: ");
            ws(w, s->logsrcs[i].note, 0);
            wp(w, "\n");
        }
    }
    int has;
    int64_t inf = infection(s, &has);
    size_t shown = 0, near = 0;
    for (size_t i = 0; i < s->nlogins; i++)
        near += login_shown(s, &s->logins[i], inf, has);
    wp(w, "\nLOGINS (%s; %zu of %" PRIu64 " records)\n",
       has ? "within 7 days of the infection" : "all", near, s->logins_total);
    for (size_t i = 0; i < s->nlogins && shown < MS_HR_MAX_LOGINS; i++) {
        const ms_login *l = &s->logins[i];
        if (!login_shown(s, l, inf, has))
            continue;
        char t[MS_TIME_BUFSZ];
        tstr(l->sec, t);
        wp(w, "  %s  %-10s user ", t, l->kind);
        ws(w, l->user, 0);
        wp(w, " from ");
        ws(w, l->host, 0);
        wp(w, " (");
        ws(w, l->line, 0);
        wp(w, ") [%s]\n", l->source >= 0 && (size_t)l->source < s->nlogsrcs
           ? s->logsrcs[l->source].kind : "?");
        shown++;
    }
    if (near > shown)
        wp(w, "  ... %zu more (all are in the JSON report)\n", near - shown);
    wp(w, "\n");
}

void ms_hr_html_history(ms_writer *w, const ms_scan *s)
{
    if (!s->nlogsrcs)
        return;
    wp(w, "<section id=\"history\">\n<h2>Execution history</h2>\n"
          "<p>%" PRIu64 " cron records in %zu log files.</p>\n",
       s->cron_runs_total, s->nlogsrcs);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->njob_history; i++) {
            const ms_job_history *h = &s->job_history[i];
            if (h->flagged != !pass)
                continue;
            char a[MS_TIME_BUFSZ], b[MS_TIME_BUFSZ], d[32];
            tstr(h->first, a);
            tstr(h->last, b);
            wp(w, "<h3>(");
            ws(w, h->user, 1);
            wp(w, ") <code>");
            ws(w, h->command, 1);
            wp(w, "</code>%s</h3>\n<p>%" PRIu64 " runs, first <time>%s</time>,"
                  " last <time>%s</time>%s; link to a job: %s.</p>\n",
               h->flagged ? " <strong>runs a flagged file</strong>" : "",
               h->runs, a, b, h->year_inferred ? " (year inferred)" : "",
               h->link);
            for (size_t g = 0; g < h->ngaps; g++) {
                tstr(h->gaps[g].from, a);
                tstr(h->gaps[g].to, b);
                duration(d, sizeof d, h->gaps[g].to - h->gaps[g].from);
                wp(w, "<p>Gap <time>%s</time> &#8211; <time>%s</time> (%s)"
                      "</p>\n", a, b, d);
            }
            if (h->flagged)
                ranges(w, s, (long)i, 1);
        }
    wp(w, "<h3>Log files read</h3>\n<table><tr><th>Kind</th><th>File</th>"
          "<th>Records</th><th>Year</th><th>Time zone</th><th>Note</th>"
          "</tr>\n");
    for (size_t i = 0; i < s->nlogsrcs; i++) {
        char *sw = src_words(s, (long)i);
        wp(w, "<tr><td>%s</td><td>", s->logsrcs[i].kind);
        ws(w, sw, 1);
        wp(w, "</td><td>%" PRIu64 "</td><td>", s->logsrcs[i].records);
        ws(w, s->logsrcs[i].year_note, 1);
        wp(w, "</td><td>%s", s->logsrcs[i].local_as_utc
           ? "<strong>none: treated as UTC</strong> " : "");
        if (s->logsrcs[i].time_zone) {
            ws(w, s->logsrcs[i].time_zone, 1);
            wp(w, " (");
            ws(w, s->logsrcs[i].time_zone_source, 1);
            wp(w, ")");
        }
        wp(w, "</td><td>");
        ws(w, s->logsrcs[i].note, 1);
        wp(w, "</td></tr>\n");
        free(sw);
    }
    wp(w, "</table>\n<h3>Logins</h3>\n<table><tr><th>Time (UTC)</th>"
          "<th>Kind</th><th>User</th><th>From</th><th>Line/method</th>"
          "<th>Source</th></tr>\n");
    int has;
    int64_t inf = infection(s, &has);
    size_t shown = 0;
    for (size_t i = 0; i < s->nlogins && shown < MS_HR_MAX_LOGINS; i++) {
        const ms_login *l = &s->logins[i];
        if (!login_shown(s, l, inf, has))
            continue;
        char t[MS_TIME_BUFSZ];
        tstr(l->sec, t);
        wp(w, "<tr><td><time>%s</time></td><td>%s</td><td>", t, l->kind);
        ws(w, l->user, 1);
        wp(w, "</td><td>");
        ws(w, l->host, 1);
        wp(w, "</td><td>");
        ws(w, l->line, 1);
        wp(w, "</td><td>%s</td></tr>\n", l->source >= 0 &&
           (size_t)l->source < s->nlogsrcs ? s->logsrcs[l->source].kind : "?");
        shown++;
    }
    wp(w, "</table>\n</section>\n");
}

/* ---- JSON ------------------------------------------------------------------- */

/* image strings: kept when valid UTF-8, else escaped text */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s);
    if (ms_utf8_valid(s, n)) {
        json_t *v = json_stringn(s, n);
        if (v)
            return v;
    }
    char *e = ms_escape_text(s, n);
    json_t *v = e ? json_string(e) : NULL;
    free(e);
    return v;
}

static json_t *jtime(int64_t sec, uint32_t nsec)
{
    char t[MS_TIME_BUFSZ];
    if (ms_time_format(sec, nsec, t) != MS_OK)
        return json_null();
    return json_string(t);
}

#define JS(o, k, v) \
    do { if (json_object_set_new((o), (k), (v))) goto _fail; } while (0)

json_t *ms_hr_json_story(const ms_scan *s)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < s->nstory; i++) {
        const ms_story_step *st = &s->story[i];
        json_t *o = json_object();
        if (!o || json_array_append_new(a, o))
            goto _fail;
        JS(o, "kind", json_string(st->kind));
        JS(o, "time", st->has_time ? jtime(st->sec, st->nsec) : json_null());
        JS(o, "source", jstr(st->source));
        JS(o, "certainty", json_string(st->has_time ? cert_name(st->certainty)
                                                    : "none"));
        JS(o, "evidence", json_boolean(st->has_time));
        JS(o, "text", jstr(st->text));
    }
    return a;
_fail:
    json_decref(a);
    return NULL;
}

json_t *ms_hr_json_history(const ms_scan *s)
{
    json_t *o = json_object(), *srcs = json_array(), *hs = json_array(),
           *runs = json_array(), *logins = json_array();
    if (!o || !srcs || !hs || !runs || !logins) {
        json_decref(srcs);
        json_decref(hs);
        json_decref(runs);
        json_decref(logins);
        goto _fail;
    }
    JS(o, "log_sources", srcs);
    JS(o, "jobs", hs);
    JS(o, "cron_runs", runs);
    JS(o, "cron_runs_total", json_integer((json_int_t)s->cron_runs_total));
    JS(o, "logins", logins);
    JS(o, "logins_total", json_integer((json_int_t)s->logins_total));
    for (size_t i = 0; i < s->nlogsrcs; i++) {
        const ms_logsrc *l = &s->logsrcs[i];
        json_t *x = json_object();
        if (!x || json_array_append_new(srcs, x))
            goto _fail;
        JS(x, "index", json_integer((json_int_t)i));
        JS(x, "volume", json_integer(l->volume));
        JS(x, "path", jstr(l->path));
        JS(x, "inode", l->has_inode ? json_integer((json_int_t)(l->inode &
                                      INT64_MAX)) : json_null());
        JS(x, "deleted", json_boolean(l->deleted));
        JS(x, "kind", json_string(l->kind));
        JS(x, "compressed", json_boolean(l->compressed));
        JS(x, "records", json_integer((json_int_t)l->records));
        JS(x, "year_inference", jstr(l->year_note));
        JS(x, "note", jstr(l->note));
        JS(x, "time_zone", jstr(l->time_zone));
        JS(x, "time_zone_source", jstr(l->time_zone_source));
        JS(x, "local_time_as_utc", json_boolean(l->local_as_utc));
    }
    for (size_t i = 0; i < s->njob_history; i++) {
        const ms_job_history *h = &s->job_history[i];
        json_t *x = json_object(), *g = json_array(), *sv = json_array();
        if (!x || json_array_append_new(hs, x)) {
            json_decref(g);
            json_decref(sv);
            goto _fail;
        }
        if (!g || !sv) {
            json_decref(g);
            json_decref(sv);
            goto _fail;
        }
        JS(x, "gaps", g);
        JS(x, "sources", sv);
        JS(x, "index", json_integer((json_int_t)i));
        JS(x, "user", jstr(h->user));
        JS(x, "command", jstr(h->command));
        JS(x, "job", h->job >= 0 ? json_integer(h->job) : json_null());
        JS(x, "link", json_string(h->link));
        JS(x, "flagged", json_boolean(h->flagged));
        JS(x, "runs", json_integer((json_int_t)h->runs));
        JS(x, "first_run", h->runs ? jtime(h->first, 0) : json_null());
        JS(x, "last_run", h->runs ? jtime(h->last, 0) : json_null());
        JS(x, "year_inferred", json_boolean(h->year_inferred));
        for (size_t k = 0; k < h->ngaps; k++) {
            json_t *y = json_object();
            if (!y || json_array_append_new(g, y))
                goto _fail;
            JS(y, "from", jtime(h->gaps[k].from, 0));
            JS(y, "to", jtime(h->gaps[k].to, 0));
            JS(y, "seconds", json_integer(h->gaps[k].to - h->gaps[k].from));
        }
        for (size_t k = 0; k < h->nsources; k++)
            if (json_array_append_new(sv, json_integer(h->sources[k])))
                goto _fail;
    }
    for (size_t i = 0; i < s->ncron_runs; i++) {
        const ms_cron_run *r = &s->cron_runs[i];
        json_t *x = json_object();
        if (!x || json_array_append_new(runs, x))
            goto _fail;
        JS(x, "time", jtime(r->sec, 0));
        JS(x, "job_history", json_integer(r->history));
        JS(x, "source", json_integer(r->source));
        JS(x, "line", json_integer((json_int_t)(r->line & INT64_MAX)));
        JS(x, "pid", r->pid >= 0 ? json_integer(r->pid) : json_null());
        JS(x, "year_inferred", json_boolean(r->year_inferred));
    }
    for (size_t i = 0; i < s->nlogins; i++) {
        const ms_login *l = &s->logins[i];
        json_t *x = json_object();
        if (!x || json_array_append_new(logins, x))
            goto _fail;
        JS(x, "time", jtime(l->sec, l->usec * 1000u));
        JS(x, "kind", json_string(l->kind));
        JS(x, "user", jstr(l->user));
        JS(x, "host", jstr(l->host));
        JS(x, "line", jstr(l->line));
        JS(x, "pid", l->pid >= 0 ? json_integer(l->pid) : json_null());
        JS(x, "source", json_integer(l->source));
        JS(x, "record", json_integer((json_int_t)(l->record & INT64_MAX)));
    }
    return o;
_fail:
    json_decref(o);
    return NULL;
}

/* ---- events ------------------------------------------------------------------ */

void ms_hr_events_free(ms_hr_event *e, size_t n)
{
    for (size_t i = 0; e && i < n; i++)
        free(e[i].message);
    free(e);
}

static ms_err ev_add(ms_hr_event **e, size_t *n, size_t *cap,
                     const ms_hr_event *x)
{
    if (!x->message)
        return MS_ERR_NOMEM;
    if (ms_grow((void **)e, cap, *n + 1, sizeof **e)) {
        free(x->message);
        return MS_ERR_NOMEM;
    }
    (*e)[(*n)++] = *x;
    return MS_OK;
}

static void ev_src(const ms_scan *s, long i, ms_hr_event *x)
{
    x->path = "";
    x->volume = -1;
    if (i >= 0 && (size_t)i < s->nlogsrcs) {
        x->path = s->logsrcs[i].path;
        x->volume = s->logsrcs[i].volume;
        x->inode = s->logsrcs[i].inode;
        x->has_inode = s->logsrcs[i].has_inode;
    }
}

/* The entry vector's dated records: every kept request to a web shell or
 * a nearby script (the first one to each file marked), and every web-root
 * script born or changed near the backdoor's birth. */
static ms_err web_events(const ms_scan *s, ms_hr_event **e, size_t *n,
                         size_t *cap)
{
    const ms_entry *en = s->entry;
    ms_err rc = MS_OK;
    for (size_t i = 0; i < en->nrequests && rc == MS_OK; i++) {
        const ms_web_request *r = &en->requests[i];
        int shell = r->file_index >= 0 && (size_t)r->file_index < s->nfiles &&
                    s->files[r->file_index].flagged;
        ms_hr_event x = { r->time, 0, "web_request", "Web Request",
                          ms_asprintf("[web_request%s%s] %s %s %s status %d "
                                      "user-agent \"%s\" -> %s (line %llu)",
                                      r->first ? " first" : "",
                                      shell ? " web_shell" : "",
                                      r->client ? r->client : "-",
                                      r->method ? r->method : "-",
                                      r->url ? r->url : "-", r->status,
                                      r->user_agent ? r->user_agent : "-",
                                      r->path ? r->path : "-",
                                      (unsigned long long)r->line),
                          r->log ? r->log : "", r->log_volume, 0, 0, NULL };
        rc = ev_add(e, n, cap, &x);
    }
    for (size_t i = 0; i < en->nnearby && rc == MS_OK; i++) {
        const ms_web_nearby *w = &en->nearby[i];
        int k = !strcmp(w->which, "crtime") ? MS_T_CRTIME : MS_T_CTIME;
        const ms_time *t = &w->ref.times[k];
        ms_hr_event x = { t->sec, t->nsec, "web_script",
                          k == MS_T_CRTIME ? "Web Script Birth Near Infection"
                                           : "Web Script Change Near "
                                             "Infection",
                          ms_asprintf("[web_script %s] %s %s %lld s %s the "
                                      "backdoor's birth", w->which,
                                      w->ref.path ? w->ref.path : "",
                                      k == MS_T_CRTIME ? "born" : "changed",
                                      (long long)(w->delta < 0 ? -w->delta
                                                               : w->delta),
                                      w->delta < 0 ? "before" : "after"),
                          w->ref.path ? w->ref.path : "", w->ref.volume,
                          w->ref.inode, w->ref.has_inode, NULL };
        rc = ev_add(e, n, cap, &x);
    }
    return rc;
}

ms_err ms_hr_events(const ms_scan *s, ms_hr_event **out, size_t *n)
{
    ms_hr_event *e = NULL;
    size_t cap = 0;
    ms_err rc = MS_OK;
    *n = 0;
    for (size_t i = 0; i < s->nstory && rc == MS_OK; i++) {
        const ms_story_step *st = &s->story[i];
        if (!st->has_time)
            continue;
        ms_hr_event x = { st->sec, st->nsec, "story", "Incident Story Step",
                          ms_asprintf("[story %s] %s", st->kind, st->text),
                          st->source ? st->source : "", -1, 0, 0,
                          cert_name(st->certainty) };
        rc = ev_add(&e, n, &cap, &x);
    }
    for (size_t i = 0; i < s->ncron_runs && rc == MS_OK; i++) {
        const ms_cron_run *r = &s->cron_runs[i];
        const ms_job_history *h = r->history >= 0 &&
            (size_t)r->history < s->njob_history ? &s->job_history[r->history]
                                                 : NULL;
        ms_hr_event x = { r->sec, 0, "cron_run", "Cron Job Run",
                          ms_asprintf("[cron_run%s] (%s) CMD (%s)",
                                      h && h->flagged ? " flagged" : "",
                                      h ? h->user : "", h ? h->command : ""),
                          "", -1, 0, 0, NULL };
        ev_src(s, r->source, &x);
        rc = ev_add(&e, n, &cap, &x);
    }
    for (size_t i = 0; i < s->nlogins && rc == MS_OK; i++) {
        const ms_login *l = &s->logins[i];
        ms_hr_event x = { l->sec, l->usec * 1000u, "login", "Login Record",
                          ms_asprintf("[login %s] user %s from %s (%s)",
                                      l->kind, l->user ? l->user : "-",
                                      l->host ? l->host : "-",
                                      l->line ? l->line : "-"),
                          "", -1, 0, 0, NULL };
        ev_src(s, l->source, &x);
        rc = ev_add(&e, n, &cap, &x);
    }
    if (rc == MS_OK && s->entry)
        rc = web_events(s, &e, n, &cap);
    if (rc != MS_OK) {
        ms_hr_events_free(e, *n);
        *n = 0;
        return rc;
    }
    *out = e;
    return MS_OK;
}

ms_err ms_hr_bodyfile(FILE *out, const ms_scan *s)
{
    ms_hr_event *e = NULL;
    size_t n = 0;
    ms_err rc = ms_hr_events(s, &e, &n);
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        char *name = ms_asprintf("%s%s%s", e[i].message,
                                 *e[i].path ? " in " : "", e[i].path);
        char *esc = name ? ms_escape_bodyfile(name, strlen(name)) : NULL;
        if (!esc)
            rc = MS_ERR_NOMEM;
        else if (e[i].volume < 0 ? fprintf(out, "0|story:%s|0|-/----------"
                         "|0|0|0|0|%" PRId64 "|0|0\n", esc, e[i].sec) < 0 :
                 fprintf(out, "0|v%d:%s|%" PRIu64 "|-/----------|0|0|0|0|%"
                         PRId64 "|0|0\n", e[i].volume, esc,
                         e[i].has_inode ? e[i].inode : 0, e[i].sec) < 0)
            rc = MS_ERR_IO;
        free(name);
        free(esc);
    }
    ms_hr_events_free(e, n);
    return rc;
}
