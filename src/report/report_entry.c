/* report_entry.c - the entry vector in JSON, text and HTML; see
 * report_entry.h.  Every string from the image is escaped. */
#include "report/report_entry.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/timefmt.h"

#define SET(o, k, v) \
    do { if (json_object_set_new((o), (k), (v))) goto _exit; } while (0)
#define APPEND(a, v) \
    do { if (json_array_append_new((a), (v))) goto _exit; } while (0)

static const char *const time_names[MS_T_COUNT] = { "mtime", "atime",
                                                    "ctime", "crtime",
                                                    "dtime" };

/* Image bytes: as they are when valid UTF-8, escaped (reversibly)
 * otherwise. */
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
    return v ? v : json_null();
}

static json_t *jtime(int64_t sec, uint32_t nsec)
{
    char buf[MS_TIME_BUFSZ];
    return ms_time_format(sec, nsec, buf) == MS_OK ? json_string(buf)
                                                   : json_null();
}

static const char *cert_name(enum ms_certainty c)
{
    return c == MS_CERT_HIGH ? "high" : c == MS_CERT_MEDIUM ? "medium"
           : c == MS_CERT_LOW ? "low" : "none";
}

json_t *ms_json_times_unreliable(unsigned bits)
{
    json_t *a = json_array(), *ret = NULL;
    if (!a)
        return NULL;
    for (int k = 0; k < MS_T_COUNT; k++)
        if (bits & (1u << k))
            APPEND(a, json_string(time_names[k]));
    ret = a;
    a = NULL;
_exit:
    json_decref(a);
    return ret;
}

static json_t *j_story(const ms_story_time *t)
{
    json_t *o = NULL, *ret = NULL;
    if (!t->set)
        return json_null();
    if (!(o = json_object()))
        return NULL;
    SET(o, "time", jtime(t->sec, t->nsec));
    SET(o, "path", jstr(t->path));
    SET(o, "source", jstr(t->source));
    SET(o, "certainty", json_string(cert_name(t->certainty)));
    SET(o, "unreliable", json_boolean(t->unreliable));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

static json_t *j_request(const ms_web_request *r)
{
    json_t *o = json_object(), *ret = NULL;
    if (!o)
        return NULL;
    SET(o, "path", jstr(r->path));
    SET(o, "file_id", r->file_index >= 0 ? json_integer(r->file_index)
                                         : json_null());
    SET(o, "client", jstr(r->client));
    SET(o, "time", jtime(r->time, 0));
    SET(o, "utc_offset_minutes", json_integer(r->tz_minutes));
    SET(o, "method", jstr(r->method));
    SET(o, "url", jstr(r->url));
    SET(o, "status", json_integer(r->status));
    SET(o, "user_agent", jstr(r->user_agent));
    SET(o, "log", jstr(r->log));
    SET(o, "log_volume", json_integer(r->log_volume));
    SET(o, "line", json_integer((json_int_t)r->line));
    SET(o, "first", json_boolean(r->first));
    ret = o;
    o = NULL;
_exit:
    json_decref(o);
    return ret;
}

json_t *ms_json_entry(const ms_scan *s)
{
    const ms_entry *e = s->entry;
    json_t *o = NULL, *a = NULL, *ret = NULL;
    if (!e)
        return json_null();
    if (!(o = json_object()))
        return NULL;
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < e->nroots; i++) {
        const ms_webroot *r = &e->roots[i];
        json_t *x = json_object();
        if (!x)
            goto _exit;
        APPEND(a, x);
        SET(x, "volume", json_integer(r->volume));
        SET(x, "path", jstr(r->path));
        SET(x, "url_prefix", jstr(r->url_prefix));
        SET(x, "source", jstr(r->source));
        SET(x, "entries", json_integer((json_int_t)r->entries));
        SET(x, "scripts", json_integer((json_int_t)r->scripts));
        SET(x, "truncated", json_boolean(r->truncated));
    }
    SET(o, "web_roots", a);
    a = NULL;
    SET(o, "scripts_scanned", json_integer((json_int_t)e->scripts_scanned));
    SET(o, "window_seconds", json_integer(e->window));
    SET(o, "anchor", j_story(&e->anchor));
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < e->nnearby; i++) {
        const ms_web_nearby *n = &e->nearby[i];
        const ms_time *t = &n->ref.times[!strcmp(n->which, "crtime")
                                             ? MS_T_CRTIME : MS_T_CTIME];
        json_t *x = json_object();
        if (!x)
            goto _exit;
        APPEND(a, x);
        SET(x, "path", jstr(n->ref.path));
        SET(x, "volume", json_integer(n->ref.volume));
        SET(x, "inode", json_integer((json_int_t)n->ref.inode));
        SET(x, "which", json_string(n->which));
        SET(x, "time", jtime(t->sec, t->nsec));
        SET(x, "seconds_from_anchor", json_integer(n->delta));
        SET(x, "mtime", n->ref.times[MS_T_MTIME].set
                            ? jtime(n->ref.times[MS_T_MTIME].sec,
                                    n->ref.times[MS_T_MTIME].nsec)
                            : json_null());
        SET(x, "file_id", n->file_index >= 0 ? json_integer(n->file_index)
                                             : json_null());
    }
    SET(o, "nearby_scripts", a);
    a = NULL;
    SET(o, "access_logs_read", json_integer((json_int_t)e->logs_read));
    SET(o, "requests_total", json_integer((json_int_t)e->requests_total));
    if (!(a = json_array()))
        goto _exit;
    for (size_t i = 0; i < e->nrequests; i++)
        APPEND(a, j_request(&e->requests[i]));
    SET(o, "requests", a);
    a = NULL;
    SET(o, "web_shell_created", j_story(&e->shell_created));
    SET(o, "first_web_shell_request", j_story(&e->first_request));
    ret = o;
    o = NULL;
_exit:
    json_decref(a);
    json_decref(o);
    return ret;
}

/* ---- text and HTML ---------------------------------------------------- */

static void wp(ms_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void wp(ms_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_wvprintf(w, fmt, ap);
    va_end(ap);
}

typedef char *(*esc_fn)(const char *, size_t);

/* Escaped copy for printing; "(none)" for NULL, "?" on no memory. */
static char *esc(esc_fn f, const char *s)
{
    char *e = f(s ? s : "(none)", strlen(s ? s : "(none)"));
    return e ? e : strdup("?");
}

static void tfmt(int64_t sec, uint32_t nsec, char buf[MS_TIME_BUFSZ])
{
    if (ms_time_format(sec, nsec, buf) != MS_OK)
        strcpy(buf, "?");
}

static void story(ms_writer *w, esc_fn f, const char *label,
                  const ms_story_time *t, int html)
{
    char tb[MS_TIME_BUFSZ];
    if (!t->set) {
        wp(w, html ? "<li>%s: no evidence found</li>\n"
                   : "  %-24s no evidence found\n", label);
        return;
    }
    tfmt(t->sec, t->nsec, tb);
    char *src = esc(f, t->source);
    wp(w, html ? "<li>%s: %s, certainty %s%s; %s</li>\n"
               : "  %-24s %s, certainty %s%s\n  %-24s %s\n", label, tb,
       cert_name(t->certainty), t->unreliable ? " (time UNRELIABLE)" : "",
       html ? src : "", html ? "" : src);
    free(src);
}

static int nz_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* by file, client, method, then time and log line */
static int req_cmp(const void *pa, const void *pb)
{
    const ms_web_request *a = *(const ms_web_request *const *)pa,
                         *b = *(const ms_web_request *const *)pb;
    int c = nz_cmp(a->path, b->path);
    if (!c)
        c = nz_cmp(a->client, b->client);
    if (!c)
        c = nz_cmp(a->method, b->method);
    if (!c && a->time != b->time)
        c = a->time < b->time ? -1 : 1;
    if (!c)
        c = nz_cmp(a->log, b->log);
    if (!c && a->line != b->line)
        c = a->line < b->line ? -1 : 1;
    return c;
}

#define MS_REQ_RUN_GAP 3600   /* seconds between requests of one run */

static int same_run(const ms_web_request *a, const ms_web_request *b)
{
    return !b->first && !nz_cmp(a->path, b->path) &&
           !nz_cmp(a->client, b->client) && !nz_cmp(a->method, b->method) &&
           b->time - a->time <= MS_REQ_RUN_GAP;
}

static void section(ms_writer *w, const ms_scan *s, int html)
{
    const ms_entry *e = s->entry;
    esc_fn f = html ? ms_escape_html : ms_escape_text;
    char tb[MS_TIME_BUFSZ];
    if (!e)
        return;
    wp(w, html ? "<section id=\"entry\"><h2>Entry vector</h2>\n<ul>\n"
               : "\nENTRY VECTOR\n");
    story(w, f, "web shell created", &e->shell_created, html);
    story(w, f, "first web-shell request", &e->first_request, html);
    story(w, f, "backdoor born (anchor)", &e->anchor, html);
    wp(w, html ? "<li>%zu web roots, %zu scripts scanned, %zu access logs "
                 "read, %zu matching requests</li>\n</ul>\n"
               : "  %zu web roots, %zu scripts scanned, %zu access logs "
                 "read, %zu matching requests\n",
       e->nroots, e->scripts_scanned, e->logs_read, e->requests_total);
    if (html && e->nroots)
        wp(w, "<h3>Web roots</h3>\n<ul>\n");
    for (size_t i = 0; i < e->nroots; i++) {
        const ms_webroot *r = &e->roots[i];
        char *p = esc(f, r->path), *u = esc(f, r->url_prefix),
             *src = esc(f, r->source);
        wp(w, html ? "<li>volume %d <code>%s</code> serves <code>%s</code> "
                     "(%s): %zu names, %zu scripts%s</li>\n"
                   : "  root   volume %d %s serves %s (%s): %zu names, "
                     "%zu scripts%s\n",
           r->volume, p, u, src, r->entries, r->scripts,
           r->truncated ? ", walk stopped at a bound" : "");
        free(p); free(u); free(src);
    }
    if (html && e->nroots)
        wp(w, "</ul>\n");
    if (e->nnearby)
        wp(w, html ? "<h3>Scripts born or changed within %" PRId64
                     " s of the anchor</h3>\n<ul>\n"
                   : "  scripts born or changed within %" PRId64
                     " s of the anchor:\n", e->window);
    for (size_t i = 0; i < e->nnearby; i++) {
        const ms_web_nearby *n = &e->nearby[i];
        const ms_time *t = &n->ref.times[!strcmp(n->which, "crtime")
                                             ? MS_T_CRTIME : MS_T_CTIME];
        tfmt(t->sec, t->nsec, tb);
        char *p = esc(f, n->ref.path);
        wp(w, html ? "<li><code>%s</code> %s %s (%+" PRId64 " s)</li>\n"
                   : "    %s  %s %s (%+" PRId64 " s)\n",
           p, n->which, tb, n->delta);
        free(p);
    }
    if (html && e->nnearby)
        wp(w, "</ul>\n");
    if (e->nrequests)
        wp(w, html ? "<h3>Requests to web shells and nearby scripts</h3>\n"
                     "<table><tr><th>time (UTC)</th><th>client</th>"
                     "<th>method</th><th>URL</th><th>status</th>"
                     "<th>user agent</th><th>file</th><th>log</th></tr>\n"
                   : "  requests to web shells and nearby scripts:\n");
    const ms_web_request **ord =
        e->nrequests ? malloc(e->nrequests * sizeof *ord) : NULL;
    if (e->nrequests && !ord) {
        if (!w->err)
            w->err = MS_ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < e->nrequests; i++)
        ord[i] = &e->requests[i];
    /* dense runs collapsed: the same client asking the same file with the
     * same method, each within an hour of the one before, is one line
     * (the machine formats keep every request) */
    if (e->nrequests > 1)
        qsort(ord, e->nrequests, sizeof *ord, req_cmp);
    for (size_t i = 0; i < e->nrequests;) {
        const ms_web_request *r = ord[i];
        size_t k = i + 1;
        while (!r->first && k < e->nrequests &&
               same_run(ord[k - 1], ord[k]))
            k++;
        const ms_web_request *z = ord[k - 1];
        char te[MS_TIME_BUFSZ] = "";
        tfmt(r->time, 0, tb);
        if (k - i > 1)
            tfmt(z->time, 0, te);
        char *cl = esc(f, r->client), *m = esc(f, r->method),
             *u = esc(f, r->url), *ua = esc(f, r->user_agent),
             *p = esc(f, r->path), *l = esc(f, r->log);
        char more[64] = "";
        if (k - i > 1)
            snprintf(more, sizeof more, " .. %s (%zu requests)", te, k - i);
        wp(w, html ? "<tr><td>%s%s%s</td><td>%s</td><td>%s</td><td>%s</td>"
                     "<td>%d</td><td>%s</td><td>%s</td><td>%s:%" PRIu64
                     "</td></tr>\n"
                   : "    %s%s%s %s %s %s %d \"%s\" -> %s (%s:%" PRIu64 ")\n",
           tb, more, r->first ? " FIRST" : "", cl, m, u, r->status, ua, p, l,
           r->line);
        free(cl); free(m); free(u); free(ua); free(p); free(l);
        i = k;
    }
    free(ord);
    if (html && e->nrequests)
        wp(w, "</table>\n");
    if (html)
        wp(w, "</section>\n");
}

void ms_text_entry(ms_writer *w, const ms_scan *s)
{
    section(w, s, 0);
}

void ms_html_entry(ms_writer *w, const ms_scan *s)
{
    section(w, s, 1);
}
