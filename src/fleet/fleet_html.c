/* fleet_html.c - the fleet report as one self-contained HTML file: inline
 * CSS, inline SVG (the infections-over-time chart is the scan report's
 * timeline chart, htmlsvg.c, one dot per host at its first known
 * infection), no script, nothing loaded from elsewhere. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_model.h"
#include "fleet/fleet_report.h"
#include "fleet/fleet_util.h"
#include "report/escape.h"
#include "report/htmlsvg.h"
#include "report/timefmt.h"

typedef struct hw {
    FILE *out;
    int   bad;
} hw;

static void put(hw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(hw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(w->out, fmt, ap) < 0)
        w->bad = 1;
    va_end(ap);
}

static void esc(hw *w, const char *s)
{
    if (!s) {
        put(w, "&ndash;");
        return;
    }
    char *e = ms_escape_html(s, strlen(s));
    if (!e) {
        w->bad = 1;
        return;
    }
    put(w, "%s", e);
    free(e);
}

static void tcell(hw *w, const ms_ftime *t)
{
    char buf[MS_TIME_BUFSZ];
    ms_fleet_time_str(t, buf);
    put(w, "<td>%s</td>", t->set ? buf : "unknown");
}

static void hostref(hw *w, const ms_fleet *f, size_t i)
{
    put(w, "<a href=\"#host-%zu\">[%zu] ", f->hosts[i].id, f->hosts[i].id);
    esc(w, ms_fhost_name(&f->hosts[i]));
    put(w, "</a>");
}

static int sev(const char *verdict)
{
    int r = ms_fleet_verdict_rank(verdict);
    return r == 0 ? MS_SEV_MALICIOUS : r == 1 ? MS_SEV_SUSPICIOUS : MS_SEV_INFO;
}

static void groups(hw *w, const ms_fleet *f, const char *id, const char *title,
                   const ms_fgroup *g, size_t n, int kind)
{
    put(w, "<section id=\"%s\"><h2>%s</h2>\n<table><thead><tr><th>%s</th>"
        "<th>hosts</th><th>first seen</th><th>last seen</th><th>earliest "
        "victim</th><th>seen on</th></tr></thead><tbody>\n", id, title,
        kind == 0 ? "SHA-256 (recovered script)" : kind == 1 ? "indicator" :
        "cron line");
    for (size_t i = 0; i < n; i++) {
        put(w, "<tr><td><code>");
        if (kind == 1) {
            esc(w, g[i].sub);
            put(w, " ");
        }
        esc(w, g[i].key);
        put(w, "</code>");
        if (kind == 0 && g[i].sub) {
            put(w, "<br><small>script <code>");
            esc(w, g[i].sub);
            put(w, "</code></small>");
        }
        put(w, "</td><td>%zu</td>", g[i].nrefs);
        tcell(w, &g[i].first);
        tcell(w, &g[i].last);
        put(w, "<td>");
        hostref(w, f, g[i].earliest);
        put(w, "</td><td>");
        for (size_t r = 0; r < g[i].nrefs && r < 200; r++) {
            if (r)
                put(w, ", ");
            hostref(w, f, g[i].refs[r].host);
        }
        if (g[i].nrefs > 200)
            put(w, " and %zu more (see the JSON report)", g[i].nrefs - 200);
        put(w, "</td></tr>\n");
    }
    put(w, "</tbody></table></section>\n");
}

ms_err ms_fleet_write_html(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run)
{
    hw w = { out, 0 };
    char gen[MS_TIME_BUFSZ];
    ms_time_format(run->generated, 0, gen);
    size_t bv[5] = { 0 };
    for (size_t i = 0; i < f->nhosts; i++)
        bv[ms_fleet_verdict_rank(f->hosts[i].verdict)]++;

    put(&w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n<title>mumblescan fleet report</title>\n"
        "<style>body{font-family:sans-serif;margin:1.5em;color:#111}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;"
        "padding:2px 6px;vertical-align:top;text-align:left;font-size:90%%}"
        "th{background:#eee}code{font-size:90%%;word-break:break-all}"
        ".malicious{color:#a00;font-weight:bold}.suspicious{color:#a60;font-weight:bold}"
        ".incomplete{color:#555;font-weight:bold}.clean{color:#060}"
        "@media print{section{page-break-inside:auto}tr{page-break-inside:avoid}"
        "thead{display:table-header-group}}</style></head><body>\n");
    put(&w, "<h1>mumblescan fleet report</h1>\n<section id=\"summary\"><h2>Summary</h2>"
        "<p>mumblescan %s; generated <span data-runtime=\"generated\">%s</span>.</p>\n",
        run->version, gen);
    put(&w, "<p>%zu results read, <b>%zu hosts</b> (distinct evidence), %zu refused.</p>\n",
        f->ninputs, f->nhosts, f->nrefused);
    put(&w, "<table><thead><tr><th>verdict</th><th>hosts</th></tr></thead><tbody>"
        "<tr><td class=\"malicious\">malicious</td><td>%zu</td></tr>"
        "<tr><td class=\"suspicious\">suspicious</td><td>%zu</td></tr>"
        "<tr><td class=\"incomplete\">incomplete</td><td>%zu</td></tr>"
        "<tr><td class=\"clean\">clean</td><td>%zu</td></tr></tbody></table>\n",
        bv[0], bv[1], bv[2], bv[3]);
    /* counts by OS release */
    put(&w, "<table><thead><tr><th>OS release</th><th>hosts</th></tr></thead><tbody>\n");
    size_t nos = 0;
    ms_fleet_oscount *os = ms_fleet_by_os(f, &nos);
    for (size_t i = 0; os && i < nos; i++) {
        put(&w, "<tr><td>");
        esc(&w, os[i].os);
        put(&w, "</td><td>%zu</td></tr>\n", os[i].n);
    }
    free(os);
    put(&w, "</tbody></table></section>\n");

    /* infections over time: one dot per host at its first infection */
    put(&w, "<section id=\"infections\"><h2>Infections over time</h2>\n"
        "<p>One dot per host with a finding, at its first known infection "
        "time (UTC).</p>\n");
    ms_tl_entry *tl = calloc(f->nhosts + 1, sizeof *tl);
    size_t ntl = 0;
    for (size_t i = 0; tl && i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        if (!h->first_infection.set)
            continue;
        tl[ntl++] = (ms_tl_entry){ .sec = h->first_infection.sec,
            .nsec = h->first_infection.nsec, .event = 'b', .volume = 0,
            .path = ms_fhost_name(h), .source = "finding", .verdict = sev(h->verdict),
            .file_index = -1, .crontab_index = -1 };
    }
    if (ntl && ms_svg_timeline(out, tl, ntl) != MS_OK)
        w.bad = 1;
    free(tl);
    char **mk = NULL;
    size_t *mc = NULL, nm = 0;
    if (ms_fleet_by_month(f, &mk, &mc, &nm) == MS_OK) {
        put(&w, "<table><thead><tr><th>month (UTC)</th><th>hosts first infected</th>"
            "</tr></thead><tbody>\n");
        for (size_t i = 0; i < nm; i++) {
            put(&w, "<tr><td>%s</td><td>%zu</td></tr>\n", mk[i], mc[i]);
            free(mk[i]);
        }
        put(&w, "</tbody></table>\n");
        free(mk);
        free(mc);
    }
    put(&w, "</section>\n");

    /* campaigns */
    put(&w, "<section id=\"campaigns\"><h2>Campaigns</h2>\n<p>Hosts grouped by "
        "shared sample, cron line and C&amp;C indicator; the earliest known "
        "victim is the host where it was first seen.</p>\n<table><thead><tr>"
        "<th>hosts</th><th>kind</th><th>shared</th><th>first seen</th>"
        "<th>earliest victim</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < x->ncampaign; i++) {
        const ms_fgroup *g = x->campaign[i];
        put(&w, "<tr><td>%zu</td><td>%s</td><td><code>", g->nrefs, g->kind);
        esc(&w, g->key);
        put(&w, "</code></td>");
        tcell(&w, &g->first);
        put(&w, "<td>");
        hostref(&w, f, g->earliest);
        put(&w, "</td></tr>\n");
    }
    put(&w, "</tbody></table></section>\n");

    /* machines seen in several results (snapshots of one host) */
    size_t multi = 0;
    for (size_t i = 0; i < f->nmachines; i++)
        multi += f->machines[i].nhosts > 1;
    put(&w, "<section id=\"machines\"><h2>Machines</h2>\n<p>%zu results "
        "from %zu machines; results that share an SSH host key or "
        "machine-id are one machine (snapshots of one host). %zu machine%s "
        "seen in several results:</p>\n<table><thead><tr><th>machine</th>"
        "<th>verdict</th><th>first infection</th><th>last activity</th>"
        "<th>recognised by</th><th>results</th></tr></thead><tbody>\n",
        f->nhosts, f->nmachines, multi, multi == 1 ? "" : "s");
    for (size_t i = 0; i < f->nmachines; i++) {
        const ms_fmachine *m = &f->machines[i];
        if (m->nhosts < 2)
            continue;
        put(&w, "<tr><td>M%zu ", i + 1);
        esc(&w, m->hostname ? m->hostname : "(no host name)");
        put(&w, "</td><td class=\"%s\">%s</td>", m->verdict ? m->verdict : "",
            m->verdict ? m->verdict : "-");
        tcell(&w, &m->first_infection);
        tcell(&w, &m->last_activity);
        put(&w, "<td>%s</td><td>", m->by);
        for (size_t k = 0; k < m->nhosts; k++) {
            put(&w, "%s", k ? "<br>" : "");
            hostref(&w, f, m->hosts[k]);
        }
        put(&w, "</td></tr>\n");
    }
    put(&w, "</tbody></table></section>\n");

    /* hosts */
    put(&w, "<section id=\"hosts\"><h2>Hosts</h2>\n<table><thead><tr><th>#</th>"
        "<th>host</th><th>verdict</th><th>OS</th><th>first infection</th>"
        "<th>last activity</th><th>samples</th><th>cron lines</th><th>C&amp;C</th>"
        "<th>not examined</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        put(&w, "<tr id=\"host-%zu\"><td>%zu</td><td>", h->id, h->id);
        esc(&w, ms_fhost_name(h));
        for (size_t k = 0; k < h->naddresses; k++) {
            put(&w, "<br><small>");
            esc(&w, h->addresses[k]);
            put(&w, "</small>");
        }
        put(&w, "<br><small>evidence <code>%s</code></small></td>", h->evidence);
        put(&w, "<td class=\"%s\">%s</td><td>", h->verdict, h->verdict);
        esc(&w, h->os);
        put(&w, "</td>");
        tcell(&w, &h->first_infection);
        tcell(&w, &h->last_activity);
        put(&w, "<td>");
        for (size_t k = 0; k < h->nsamples; k++) {
            put(&w, "%s<code>%s</code> ", k ? "<br>" : "", h->samples[k].sha256);
            esc(&w, h->samples[k].path);
        }
        put(&w, "</td><td>");
        for (size_t k = 0; k < h->ncrons; k++) {
            put(&w, "%s<code>", k ? "<br>" : "");
            esc(&w, h->crons[k].schedule);
            put(&w, " ");
            esc(&w, h->crons[k].command);
            put(&w, "</code>");
        }
        put(&w, "</td><td>");
        for (size_t k = 0; k < h->nindicators; k++) {
            put(&w, "%s", k ? "<br>" : "");
            esc(&w, h->indicators[k].value);
        }
        put(&w, "</td><td>");
        for (size_t k = 0; k < h->ngaps; k++) {
            put(&w, "%s", k ? "<br>" : "");
            esc(&w, h->gaps[k].what);
            put(&w, ": ");
            esc(&w, h->gaps[k].why);
        }
        put(&w, "</td></tr>\n");
    }
    put(&w, "</tbody></table></section>\n");

    groups(&w, f, "samples", "Samples", x->samples, x->nsamples, 0);
    groups(&w, f, "indicators", "Indicators", x->indicators, x->nindicators, 1);
    groups(&w, f, "cron-lines", "Cron lines", x->crons, x->ncrons, 2);

    /* inputs */
    put(&w, "<section id=\"inputs\"><h2>Inputs</h2>\n<p>Digest over all results "
        "(SHA-256 of the sorted lines \"&lt;result SHA-256&gt;\\n\"): "
        "<code>%s</code></p>\n<table><thead><tr><th>result SHA-256</th><th>path</th>"
        "<th>host</th></tr></thead><tbody>\n", f->digest);
    for (size_t i = 0; i < f->nhosts; i++) {
        const ms_fhost *h = &f->hosts[i];
        put(&w, "<tr><td><code>%s</code></td><td>", h->input_sha256);
        esc(&w, h->input_path);
        put(&w, "</td><td>%zu</td></tr>\n", h->id);
        for (size_t k = 0; k < h->ndup; k++) {
            put(&w, "<tr><td><code>%.64s</code></td><td>", h->dup_inputs[k]);
            esc(&w, h->dup_inputs[k] + 65);
            put(&w, "</td><td>%zu (duplicate evidence)</td></tr>\n", h->id);
        }
    }
    for (size_t i = 0; i < f->nrefused; i++) {
        put(&w, "<tr><td>refused</td><td>");
        esc(&w, f->refused[i].path);
        put(&w, "</td><td>");
        esc(&w, f->refused[i].why);
        put(&w, "</td></tr>\n");
    }
    put(&w, "</tbody></table></section>\n</body></html>\n");
    return w.bad ? MS_ERR_IO : MS_OK;
}
