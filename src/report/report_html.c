/* report_html.c - the self-contained HTML report for a court or a customer.
 *
 * One file: inline CSS, an inline SVG chart, no script, no external
 * reference of any kind (a Content-Security-Policy forbids loading
 * anything, as a second line of defence), so it renders the same offline,
 * with JavaScript off, and when printed to PDF.  Every string that came
 * from the image goes through ms_escape_html().
 *
 * Each section is one function, in reading order; a new section (volume
 * stack details, unpacker results ...) is one more function and one more
 * line in ms_report_html().
 *
 * Run-time values (start/end time, host, command line) are wrapped in an
 * element with a data-runtime attribute, so two runs can be compared byte
 * for byte after stripping them (docs/json-format.md, "Determinism"). */
#include "report/report.h"
#include "report/report_entry.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/indicators.h"
#include "common/ms_coverage.h"
#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "detection/perlscript.h"
#include "evidence/imghash.h"
#include "report/escape.h"
#include "report/history_report.h"
#include "report/htmlsvg.h"
#include "report/timefmt.h"
#include "report/timeline.h"
#include "report/writer.h"
#include "report/layout.h"

typedef ms_writer hctx;

static void hp(hctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void hp(hctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_wvprintf(c, fmt, ap);
    va_end(ap);
}

/* Write s (from the image, or anything not a literal) escaped; NULL is
 * shown as an em dash. */
static void hs(hctx *c, const char *s)
{
    if (!s) {
        hp(c, "&#8212;");
        return;
    }
    char *e = ms_escape_html(s, strlen(s));
    if (!e) {
        if (!c->err)
            c->err = MS_ERR_NOMEM;
        return;
    }
    hp(c, "%s", e);
    free(e);
}

/* A bounded fixed-size hash array as text. */
static void hhash(hctx *c, const char *h, size_t cap)
{
    char buf[72];
    snprintf(buf, sizeof buf, "%.*s", (int)strnlen(h, cap), h);
    hs(c, buf);
}

static void htime(hctx *c, int64_t sec, uint32_t nsec)
{
    char t[MS_TIME_BUFSZ];
    if (ms_time_format(sec, nsec, t) != MS_OK)
        hp(c, "(invalid time)");
    else
        hp(c, "<time>%s</time>", t);
}

static void row(hctx *c, const char *label, const char *value)
{
    hp(c, "<tr><th scope=\"row\">%s</th><td>", label);
    hs(c, value);
    hp(c, "</td></tr>\n");
}

static const char *css =
"@page{size:A4;margin:16mm 14mm 18mm}\n"
"*{box-sizing:border-box}\n"
"body{font:14px/1.45 'DejaVu Sans','Helvetica Neue',Arial,sans-serif;"
"color:#1b1f24;margin:0;background:#eef0f3}\n"
"main{max-width:1100px;margin:0 auto;background:#fff;padding:28px 40px 40px}\n"
"h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:34px 0 10px;"
"padding-bottom:4px;border-bottom:2px solid #1b1f24}\n"
"h3{font-size:15px;margin:18px 0 6px}\n"
".sub{color:#57606a;margin:0 0 16px}\n"
"code,.mono{font-family:'DejaVu Sans Mono',Consolas,monospace;font-size:12.5px}\n"
".wrap{word-break:break-all;overflow-wrap:anywhere}\n"
"table{border-collapse:collapse;width:100%;margin:6px 0 12px}\n"
"th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;"
"vertical-align:top}\n"
"thead th{background:#f3f4f6;font-weight:600}\n"
"th[scope=row]{background:#f8f9fa;width:210px;font-weight:600}\n"
"thead{display:table-header-group}tr{break-inside:avoid}\n"
".banner{border-radius:6px;padding:18px 22px;margin:8px 0 18px;color:#fff}\n"
".banner .big{font-size:26px;font-weight:700;letter-spacing:.5px}\n"
".banner p{margin:6px 0 0;font-size:15px}\n"
".v-malicious{background:#b3001b}.v-suspicious{background:#b45309}\n"
".v-clean{background:#2f6f1a}.v-incomplete{background:#57606a}\n"
".alert{background:#1b1f24;border-left:10px solid #e11d48}\n"
".facts{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 8px}\n"
".fact{flex:1 1 150px;border:1px solid #d0d7de;border-radius:6px;"
"padding:8px 12px}\n"
".fact b{display:block;font-size:22px}\n"
".badge{display:inline-block;border-radius:10px;padding:1px 9px;"
"font-size:12px;font-weight:600;color:#fff;white-space:nowrap}\n"
".b-malicious{background:#b3001b}.b-suspicious{background:#b45309}\n"
".b-clean,.b-info{background:#2f6f1a}.b-crontab{background:#2557a7}\n"
".b-ok{background:#2f6f1a}.b-bad{background:#e11d48}"
".b-none{background:#8c959f}\n"
"tr.hot td{background:#fff4e5}tr.hot td:first-child{border-left:5px solid "
"#d97706}\n"
"tr.t-malicious td:first-child{border-left:5px solid #b3001b}\n"
"tr.t-suspicious td:first-child{border-left:5px solid #d97706}\n"
".card{border:1px solid #d0d7de;border-radius:6px;padding:4px 16px 10px;"
"margin:14px 0;break-inside:avoid-page}\n"
".card.malicious{border-left:8px solid #b3001b}"
".card.suspicious{border-left:8px solid #d97706}\n"
"ul.reasons{margin:4px 0 10px;padding-left:20px}\n"
".chart{width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px;"
"background:#fcfcfd}\n"
".chart .lane{stroke:#e5e7eb;stroke-width:1}"
".chart .axis{stroke:#57606a;stroke-width:1.5}\n"
".chart .grid{stroke:#d0d7de;stroke-dasharray:3 3}\n"
".chart text{font:15px 'DejaVu Sans',Arial,sans-serif;fill:#1b1f24}\n"
".chart .lanelabel{text-anchor:end;font-weight:600}"
".chart .ticklabel{text-anchor:middle}\n"
".chart .caption{fill:#57606a}.chart .dot{stroke:#fff;stroke-width:1;"
"fill-opacity:.85}\n"
".muted{color:#57606a}\n"
"footer{margin-top:30px;color:#57606a;font-size:12px;border-top:1px solid "
"#d0d7de;padding-top:8px}\n"
"table.tl td{padding:3px 7px;font-size:12.5px}td.nw{white-space:nowrap}\n"
"@media print{body{background:#fff;font-size:9.5pt}"
"main{max-width:none;padding:0}th[scope=row]{width:150px}"
"table.tl td,code,.mono{font-size:8pt}"
".banner{padding:12px 16px}.banner .big{font-size:22px}"
"h2{margin-top:22px}"
"section.major{break-before:page}"
"h2{break-after:avoid}h3{break-after:avoid}"
".banner,.badge,tr.hot td,.v-malicious,.v-suspicious,.v-clean,"
".v-incomplete,.alert,.card{-webkit-print-color-adjust:exact;"
"print-color-adjust:exact}}\n";

/* ---- sections ---------------------------------------------------------- */

static void html_head(hctx *c, const ms_summary *sum)
{
    hp(c, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n"
          "<title>mumblescan report: %s</title>\n<style>\n%s</style>\n"
          "</head>\n<body>\n<main>\n", sum->verdict ? sum->verdict
                                                    : "incomplete", css);
}

static void html_alert(hctx *c, const ms_scan *s)
{
    char *alert = ms_report_integrity_alert(s);
    if (!alert)
        return;
    hp(c, "<div class=\"banner alert\" id=\"integrity-alert\"><div "
          "class=\"big\">INTEGRITY FAILURE</div><p>");
    hs(c, alert);
    hp(c, "</p></div>\n");
    free(alert);
}

/* Damaged or truncated evidence: said above the verdict, whatever it is. */
static void html_incomplete_alert(hctx *c, const ms_scan *s)
{
    char *alert = ms_report_incomplete_alert(s);
    if (!alert)
        return;
    hp(c, "<div class=\"banner alert\" id=\"evidence-incomplete\"><div "
          "class=\"big\">EVIDENCE INCOMPLETE</div><p>");
    hs(c, alert);
    hp(c, "</p></div>\n");
    free(alert);
}

static void html_verdict(hctx *c, const ms_scan *s, const ms_summary *m,
                         const char *version)
{
    const char *v = m->verdict ? m->verdict : "incomplete";
    const char *say =
        !strcmp(v, "malicious") ? "Evidence of the Linux/Mumblehard backdoor "
                                  "was found in this image."
        : !strcmp(v, "suspicious") ? "Findings that need an examiner's "
                                     "review were found; none is proof on "
                                     "its own."
        : !strcmp(v, "clean") ? "No indicator was found in the areas "
                                "examined."
        : "Part of the evidence could not be examined; this is not a clean "
          "result.";
    hp(c, "<h1>Mumblehard examination report</h1>\n<p class=\"sub\">"
          "mumblescan ");
    hs(c, version ? version : "unknown");
    hp(c, " &#183; image ");
    hs(c, s->nimages ? s->images[0] : NULL);
    hp(c, "</p>\n<section id=\"verdict\">\n<div class=\"banner v-%s\"><div "
          "class=\"big\">VERDICT: %s%s</div><p>%s%s</p></div>\n", v, v,
       m->evidence_incomplete ? " (evidence incomplete)" : "", say,
       m->evidence_incomplete ? " The evidence is incomplete: part of the "
                                "media could not be read (see Unreadable "
                                "media); nothing can be said about what it "
                                "held." : "");
    hp(c, "<div class=\"facts\">"
          "<div class=\"fact\"><b>%zu</b>malicious files</div>"
          "<div class=\"fact\"><b>%zu</b>suspicious files</div>"
          "<div class=\"fact\"><b>%zu</b>files examined</div>"
          "<div class=\"fact\"><b>%zu</b>cron jobs (%zu every 15 min)</div>"
          "<div class=\"fact\"><b>%zu / %zu</b>volumes examined</div>"
          "</div>\n", m->malicious, m->suspicious, m->files_examined,
       m->cron_jobs, m->every_15_min_jobs, m->volumes_examined,
       m->volumes_examined + m->volumes_not_examined);
    hp(c, "<p class=\"muted\">Exit status %d: %s.</p>\n</section>\n",
       m->exit_status, ms_exit_status_text(m->exit_status));
}

static void html_case(hctx *c, const ms_scan *s)
{
    const ms_case_info *k = &s->case_info;
    hp(c, "<section id=\"case\">\n<h2>Case</h2>\n<table>\n");
    row(c, "Case", k->case_id);
    row(c, "Examiner", k->examiner);
    row(c, "Evidence ID", k->evidence_id);
    row(c, "Notes", k->notes);
    hp(c, "</table>\n</section>\n");
}

/* Who the server is (artifacts/hostid.h): one table per system found. */
static void html_hosts(hctx *c, const ms_scan *s)
{
    if (!s->nhosts)
        return;
    hp(c, "<section id=\"host\">\n<h2>Host</h2>\n");
    for (size_t i = 0; i < s->nhosts; i++) {
        const ms_host *h = &s->hosts[i];
        hp(c, "<table>\n<caption>System on volume %d</caption>\n", h->volume);
        row(c, "Host name", h->hostname);
        row(c, "Operating system",
            h->os_pretty_name ? h->os_pretty_name : h->os_id);
        row(c, "machine-id", h->machine_id);
        for (size_t k = 0; k < h->naddrs; k++) {
            hp(c, "<tr><th scope=\"row\">Configured address</th>"
                  "<td class=\"mono wrap\">");
            hs(c, h->addrs[k].addr);
            if (h->addrs[k].iface) {
                hp(c, " on ");
                hs(c, h->addrs[k].iface);
            }
            hp(c, " <span class=\"muted\">(");
            hs(c, h->addrs[k].source);
            hp(c, ")</span></td></tr>\n");
        }
        for (size_t k = 0; k < h->nkeys; k++) {
            hp(c, "<tr><th scope=\"row\">SSH host key</th>"
                  "<td class=\"mono wrap\">%u ", h->keys[k].bits);
            hs(c, h->keys[k].fingerprint);
            hp(c, " (");
            hs(c, h->keys[k].label);
            hp(c, ")</td></tr>\n");
        }
        hp(c, "</table>\n");
    }
    hp(c, "</section>\n");
}

static void hash_badge(hctx *c, enum ms_hash_check chk)
{
    const char *cls = chk == MS_HCHK_VERIFIED ? "b-ok"
                      : chk == MS_HCHK_MISMATCH ? "b-bad" : "b-none";
    const char *txt = chk == MS_HCHK_VERIFIED ? "verified"
                      : chk == MS_HCHK_MISMATCH ? "MISMATCH"
                      : chk == MS_HCHK_NOT_COMPUTED ? "stored, not verified "
                                                      "(no --hash)"
                      : "not stored";
    hp(c, "<span class=\"badge %s\">%s</span>", cls, txt);
}

static void html_evidence(hctx *c, const ms_scan *s)
{
    const ms_integrity *ig = &s->integrity;
    hp(c, "<section id=\"evidence\">\n<h2>Evidence and integrity</h2>\n"
          "<table>\n");
    for (size_t i = 0; i < s->nimages; i++) {
        hp(c, "<tr><th scope=\"row\">%s</th><td class=\"mono wrap\">",
           i ? "Further segment" : "Image file");
        hs(c, s->images[i]);
        hp(c, "</td></tr>\n");
    }
    row(c, "Image format", s->image_type);
    hp(c, "<tr><th scope=\"row\">Media size</th><td>%" PRIu64 " bytes "
          "(sector size %u)</td></tr>\n", s->image_size, s->sector_size);
    hp(c, "<tr><th scope=\"row\">Access</th><td>Opened <b>read-only</b>; "
          "mumblescan never writes to, mounts or modifies the evidence."
          "</td></tr>\n");
    hp(c, "<tr><th scope=\"row\">Integrity</th><td>%s</td></tr>\n",
       ms_integrity_state(ig));
    hp(c, "</table>\n");
    if (!ig->requested && !ig->stored_checked) {
        hp(c, "<p class=\"muted\">The media was not hashed (run with "
              "<code>--hash</code> to record MD5, SHA-1 and SHA-256).</p>\n");
    } else {
        hp(c, "<table>\n<thead><tr><th>Algorithm</th><th>Computed from the "
              "media</th><th>Stored in the image file</th><th>Result</th>"
              "</tr></thead>\n<tbody>\n");
        for (int a = 0; a < MS_HASH_COUNT; a++) {
            hp(c, "<tr><td>%s</td><td class=\"mono wrap\">",
               ms_hash_algo_title(a));
            if (ig->computed)
                hhash(c, ig->computed_hex[a], 64);
            else
                hp(c, "&#8212;");
            hp(c, "</td><td class=\"mono wrap\">");
            if (ig->stored_hex[a][0])
                hhash(c, ig->stored_hex[a], 64);
            else
                hp(c, "&#8212;");
            hp(c, "</td><td>");
            hash_badge(c, ig->check[a]);
            hp(c, "</td></tr>\n");
        }
        hp(c, "</tbody>\n</table>\n");
        if (ig->computed)
            hp(c, "<p class=\"muted\" id=\"hashed-what\">%" PRIu64 " bytes "
                  "of the %s hashed in one sequential pass.</p>\n",
               ig->bytes_hashed, ig->hashed_what ? ig->hashed_what
                                                 : "media");
    }
    if (ig->note) {
        hp(c, "<p><b>Note:</b> ");
        hs(c, ig->note);
        hp(c, "</p>\n");
    }
    hp(c, "</section>\n");
}

static void html_volumes(hctx *c, const ms_scan *s)
{
    hp(c, "<section id=\"volumes\">\n<h2>Volume stack</h2>\n"
          "<p class=\"muted\">Every layer between the image file and each file "
          "system (partition tables, LVM2, file systems), with what could not be "
          "examined and why.</p>\n"
          "<table>\n<thead><tr><th>#</th><th>Stack</th><th>Offset (bytes)</th>"
          "<th>Length (bytes)</th><th>Description</th>"
          "<th>UUID / label</th><th>State</th><th>Note</th></tr></thead>\n"
          "<tbody>\n");
    for (size_t i = 0; i < s->nvolumes; i++) {
        const ms_volume *v = &s->volumes[i];
        hp(c, "<tr><td>%d</td><td class=\"wrap\">", v->index);
        hs(c, v->stack ? v->stack : v->vs_type);
        if (v->mount_point) {
            hp(c, "<br><span class=\"muted\">mounted at ");
            hs(c, v->mount_point);
            if (v->mount_source) {
                hp(c, " (");
                hs(c, v->mount_source);
                hp(c, ": ");
                hs(c, v->fstab_line);
                hp(c, ")</span>");
            } else {
                hp(c, " (inferred from its content)</span>");
            }
        }
        hp(c, "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>", v->offset,
           v->length);
        hs(c, v->desc);
        hp(c, "</td><td class=\"mono wrap\">");
        hs(c, v->uuid);
        if (v->label) {
            hp(c, "<br>");
            hs(c, v->label);
        }
        hp(c, "</td><td>%s%s</td><td>", ms_report_vol_state_name(v->state),
           v->partial ? "<br><b>partial</b> (touches unreadable media)" : "");
        hs(c, v->note);
        hp(c, "</td></tr>\n");
    }
    hp(c, "</tbody>\n</table>\n</section>\n");
}

static void html_unreadable(hctx *c, const ms_scan *s)
{
    if (!s->nunreadable)
        return;
    hp(c, "<section id=\"unreadable\">\n<h2>Unreadable media (%zu "
          "range%s)</h2>\n<p class=\"muted\">Bytes of the evidence that "
          "could not be read (a truncated or damaged copy). They were read as "
          "zeros; nothing can be said about what they held.%s</p>\n"
          "<table>\n<thead><tr><th>Offset (bytes)</th><th>Length (bytes)"
          "</th><th>Cause</th><th>Volumes</th><th>Files touching it</th>"
          "</tr></thead>\n<tbody>\n", s->nunreadable,
       s->nunreadable == 1 ? "" : "s",
       s->unreadable_coarsened ? " The list reached its bound: neighbouring "
                                 "ranges were merged." : "");
    for (size_t i = 0; i < s->nunreadable; i++) {
        const ms_unreadable *u = &s->unreadable[i];
        hp(c, "<tr><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>", u->offset,
           u->length);
        hs(c, u->cause ? u->cause : "unreadable");
        hp(c, "</td><td>");
        for (size_t k = 0; k < u->nvolumes; k++)
            hp(c, "%s#%d", k ? " " : "", u->volumes[k]);
        hp(c, "</td><td class=\"wrap\">");
        for (size_t k = 0; k < u->nfiles; k++) {
            if (u->files[k] >= s->nfiles)
                continue;
            const ms_file *f = &s->files[u->files[k]];
            hp(c, "%sv%d:", k ? "<br>" : "", f->ref.volume);
            hs(c, f->ref.path ? f->ref.path : "");
        }
        hp(c, "</td></tr>\n");
    }
    hp(c, "</tbody>\n</table>\n</section>\n");
}

/* Every triage location looked for, per system; the ones not read first
 * in the reader's eye through the state column. */
static void html_coverage(hctx *c, const ms_scan *s)
{
    size_t bad = 0;
    if (!s->ncoverage)
        return;
    for (size_t i = 0; i < s->ncoverage; i++)
        bad += ms_cov_not_read(&s->coverage[i]) != 0;
    hp(c, "<section id=\"coverage\">\n<h2>Triage locations (%zu not "
          "read)</h2>\n<p class=\"muted\">Every temp directory and crontab "
          "location looked for on each system, and whether it was read. A "
          "location not read (or read in part) makes the scan incomplete."
          "</p>\n<table>\n<thead><tr><th>System</th><th>Volume</th>"
          "<th>Path</th><th>Kind</th><th>State</th><th>Reason</th></tr>"
          "</thead>\n<tbody>\n", bad);
    for (size_t i = 0; i < s->ncoverage; i++) {
        const ms_coverage *v = &s->coverage[i];
        hp(c, "<tr><td>#%d</td><td>#%d</td><td class=\"wrap\">",
           v->system_volume, v->volume);
        hs(c, v->path);
        if (v->resolved) {
            hp(c, " &rarr; ");
            hs(c, v->resolved);
        }
        hp(c, "</td><td>%s</td><td>%s%s%s</td><td class=\"wrap\">",
           ms_cov_kind_words(v->kind), ms_cov_not_read(v) ? "<strong>" : "",
           ms_cov_state_name(v->state), ms_cov_not_read(v) ? "</strong>" : "");
        hs(c, v->reason ? v->reason : "");
        hp(c, "</td></tr>\n");
    }
    hp(c, "</tbody>\n</table>\n</section>\n");
}

static void html_program(hctx *c, const ms_scan *s, const ms_program *p)
{
    hp(c, "<div><code class=\"wrap\">");
    hs(c, p->as_written ? p->as_written : "");
    hp(c, "</code>");
    if (p->resolved && (!p->as_written || strcmp(p->resolved, p->as_written))) {
        hp(c, " &#8594; <code class=\"wrap\">");
        hs(c, p->resolved);
        hp(c, "</code>");
    }
    hp(c, " <span class=\"muted\">(%s%s%s)</span>",
       ms_report_prog_status_name(p->status), p->guarded ? ", guarded" : "",
       p->via_stdin ? ", from stdin" : "");
    if (p->file_index >= 0 && (size_t)p->file_index < s->nfiles) {
        int v = s->files[p->file_index].verdict;
        hp(c, " <span class=\"badge b-%s\">%s</span>",
           ms_report_verdict_name(v), ms_report_verdict_name(v));
    }
    hp(c, "</div>");
}

/* Crontab lines cron rejects, every one, and the dialect
 * whose rules decided it. */
static void html_cron_rejected(hctx *c, const ms_scan *s)
{
    size_t total = 0;
    for (size_t i = 0; i < s->ncrontabs; i++)
        total += s->crontabs[i].rejected_total;
    hp(c, "<h3>Crontab lines cron rejects (%zu)</h3>\n", total);
    hp(c, "<table>\n<thead><tr><th>Crontab</th><th>Line</th>"
          "<th>Byte offset</th><th>Reason</th><th>Dialect</th></tr>"
          "</thead>\n<tbody>\n");
    for (size_t i = 0; i < s->ncrontabs; i++) {
        const ms_crontab *ct = &s->crontabs[i];
        for (size_t k = 0; k < ct->nrejected; k++) {
            hp(c, "<tr><td class=\"wrap\"><code>");
            hs(c, ct->file.path);
            hp(c, "</code></td><td>%u</td><td>%llu</td><td>",
               ct->rejected[k].line,
               (unsigned long long)ct->rejected[k].offset);
            hs(c, ct->rejected[k].reason);
            hp(c, "</td><td>");
            hs(c, ct->dialect);
            hp(c, "</td></tr>\n");
        }
        if (ct->rejected_total > ct->nrejected)
            hp(c, "<tr><td colspan=\"5\">%zu more lines of this crontab "
                  "are not listed (bound reached)</td></tr>\n",
               ct->rejected_total - ct->nrejected);
    }
    hp(c, "</tbody>\n</table>\n");
    for (size_t i = 0; i < s->ncrontabs; i++)
        if (s->crontabs[i].dialect_why) {
            hp(c, "<p class=\"muted\">Cron dialect ");
            hs(c, s->crontabs[i].dialect);
            hp(c, ": ");
            hs(c, s->crontabs[i].dialect_why);
            hp(c, "</p>\n");
            break;
        }
}

/* Reason badges of a crontab or a persistence record. */
static void html_own_reasons(hctx *c, const ms_reason *r, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        hp(c, "<br><span class=\"badge b-%s\">%s</span> <code>",
           ms_report_severity_name(r[k].severity),
           ms_report_severity_name(r[k].severity));
        hs(c, r[k].code ? r[k].code : "UNKNOWN");
        hp(c, "</code> ");
        hs(c, r[k].text ? r[k].text : "");
    }
}

/* Reasons a crontab file carries itself (e.g. JOURNAL_REPLAY_CHANGED,
 * CRONTAB_PADDING), one row per crontab that has any. */
static void html_crontab_reasons(hctx *c, const ms_scan *s)
{
    int any = 0;
    for (size_t i = 0; i < s->ncrontabs; i++)
        any |= s->crontabs[i].nreasons > 0 || s->crontabs[i].recovery;
    if (!any)
        return;
    hp(c, "<h3>Crontab files</h3>\n<table>\n<thead><tr><th>Crontab</th>"
          "<th>Notes</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->ncrontabs; i++) {
        const ms_crontab *ct = &s->crontabs[i];
        if (!ct->nreasons && !ct->recovery)
            continue;
        hp(c, "<tr><td class=\"wrap\"><code>");
        hs(c, ct->file.path);
        hp(c, "</code>%s</td><td>", ct->file.deleted
               ? " <span class=\"muted\">(deleted)</span>" : "");
        if (ct->recovery) {
            hp(c, "<span class=\"muted\">recovered by %s, certainty %s: ",
               ms_recovery_method_name(ct->recovery_method),
               ms_report_certainty_name(ct->recovery_certainty));
            hs(c, ct->recovery);
            hp(c, "</span>");
        }
        html_own_reasons(c, ct->reasons, ct->nreasons);
        hp(c, "</td></tr>\n");
    }
    hp(c, "</tbody>\n</table>\n");
}

/* Every persistence record the same way, whatever its kind; the
 * kind-specific details are its attributes. */
static void html_persistence_row(hctx *c, const ms_scan *s,
                                 const ms_persistence *p)
{
    int every15 = ms_trigger_every(&p->trigger, 15);
    hp(c, "<tr%s><td class=\"wrap\"><code>", every15 ? " class=\"hot\"" : "");
    hs(c, p->source.path);
    hp(c, "</code>:%u%s", p->line, p->source.deleted
           ? " <span class=\"muted\">(deleted)</span>" : "");
    if (p->recovery_method != MS_RECOV_NONE)
        hp(c, "<br><span class=\"muted\">recovered by %s, certainty %s"
              "</span>", ms_recovery_method_name(p->recovery_method),
           ms_report_certainty_name(p->recovery_certainty));
    hp(c, "</td><td>");
    hs(c, p->kind ? p->kind : "unknown");
    hp(c, "</td><td>");
    hs(c, p->user);
    hp(c, "</td><td><code>");
    hs(c, p->schedule ? p->schedule : "");
    hp(c, "</code><br>");
    hs(c, p->schedule_words ? p->schedule_words
                            : ms_trigger_type_name(p->trigger.type));
    if (every15)
        hp(c, " <span class=\"badge b-suspicious\">every 15 min</span>");
    for (size_t k = 0; k < p->nattrs; k++) {
        hp(c, "<br><span class=\"muted\">");
        hs(c, p->attrs[k].key);
        hp(c, ": ");
        hs(c, p->attrs[k].value);
        hp(c, "</span>");
    }
    hp(c, "</td><td><code class=\"wrap\">");
    hs(c, p->command ? p->command : "");
    hp(c, "</code>");
    html_own_reasons(c, p->reasons, p->nreasons);
    hp(c, "</td><td>");
    for (size_t k = 0; k < p->nprograms; k++)
        html_program(c, s, &p->programs[k]);
    hp(c, "</td></tr>\n");
}

static void html_persistence(hctx *c, const ms_scan *s)
{
    hp(c, "<section id=\"persistence\" class=\"major\">\n<h2>Persistence: "
          "programs run later or again (%zu)</h2>\n", s->npersistence);
    hp(c, "<p class=\"muted\">Every cron job (and every other kind of "
          "persistence found). Entries that run every 15 minutes around the "
          "clock (Mumblehard's persistence) are highlighted.</p>\n");
    if (!s->npersistence) {
        hp(c, "<p>No persistence entry was found.</p>\n");
    } else {
        hp(c, "<table>\n<thead><tr><th>Source : line</th><th>Kind</th>"
              "<th>User</th><th>Trigger</th><th>Command</th><th>Programs</th>"
              "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < s->npersistence; i++)
            html_persistence_row(c, s, &s->persistence[i]);
        hp(c, "</tbody>\n</table>\n");
    }
    html_crontab_reasons(c, s);
    html_cron_rejected(c, s);
    hp(c, "</section>\n");
}

static void html_file_facts(hctx *c, const ms_file *f)
{
    const ms_fileref *r = &f->ref;
    static const char *const tn[MS_T_COUNT] = {
        "Modified (mtime)", "Accessed (atime)", "Changed (ctime)",
        "Created (crtime)", "Deleted (dtime)" };
    hp(c, "<table>\n");
    if (r->has_inode)
        hp(c, "<tr><th scope=\"row\">Inode</th><td>%" PRIu64 "%s%s</td></tr>\n",
           r->inode, r->deleted ? " (name deleted)" : "",
           r->meta_reused ? " (inode reused)" : "");
    if (!f->missing)
        hp(c, "<tr><th scope=\"row\">Size, mode, owner</th><td>%" PRIu64
              " bytes, %s, mode %04o, uid %" PRIu32 ", gid %" PRIu32
              "</td></tr>\n", r->size, ms_report_ftype_name(r->type),
           (unsigned)(r->mode & 07777), r->uid, r->gid);
    else
        hp(c, "<tr><th scope=\"row\">Presence</th><td>Not in the image: a "
              "cron job runs this path but no such file exists.</td></tr>\n");
    hp(c, "<tr><th scope=\"row\">How it was found</th><td>%s%s%s%s; "
          "executable: %s; name score %d/100</td></tr>\n",
       f->origin & MS_ORIGIN_CRON_PROGRAM ? "run by cron" : "",
       (f->origin & 3) == 3 ? " and " : "",
       f->origin & MS_ORIGIN_TEMP_DIR ? "in a temp directory" : "",
       f->origin == MS_ORIGIN_SWEEP ? "by --sweep, outside the places "
                                      "triage looks" : "",
       f->executable ? "yes" : "no", f->name_score);
    if (f->origin & MS_ORIGIN_CARVE)
        hp(c, "<tr><th scope=\"row\">Carved from</th><td class=\"mono\">"
              "file-system block %" PRIu64 ", image byte offset %" PRIu64
              "</td></tr>\n", f->carve_block, f->carve_image_offset);
    if (f->recovery) {
        hp(c, "<tr><th scope=\"row\">Recovered</th><td>by <b>%s</b>, "
              "certainty <b>%s</b> &#8212; ",
           ms_recovery_method_name(f->recovery_method),
           ms_report_certainty_name(f->recovery_certainty));
        hs(c, f->recovery);
        hp(c, "</td></tr>\n");
    }
    hp(c, "<tr><th scope=\"row\">Content</th><td>%s%s",
       ms_report_content_state(f),
       f->partial ? " &#8212; <b>partial</b>: part of it lies in unreadable "
                    "media and was read as zeros" : "");
    if (f->content_note) {
        hp(c, " &#8212; ");
        hs(c, f->content_note);
    }
    hp(c, "</td></tr>\n");
    if (f->magic)
        row(c, "File type (libmagic)", f->magic);
    if (f->elf.valid) {
        hp(c, "<tr><th scope=\"row\">ELF header</th><td>ELF%d, %s-endian, "
              "type %u, machine %u (", f->elf.elf_class,
           f->elf.big_endian ? "big" : "little", f->elf.etype,
           f->elf.machine);
        hs(c, f->elf.machine_name ? f->elf.machine_name : "unknown");
        hp(c, "), OS ABI %u (", f->elf.osabi);
        hs(c, f->elf.osabi_name ? f->elf.osabi_name : "unknown");
        hp(c, ")</td></tr>\n");
    }
    if (strnlen(f->md5, sizeof f->md5)) {
        hp(c, "<tr><th scope=\"row\">MD5</th><td class=\"mono wrap\">");
        hhash(c, f->md5, sizeof f->md5);
        hp(c, "</td></tr>\n<tr><th scope=\"row\">SHA-1</th><td class=\"mono "
              "wrap\">");
        hhash(c, f->sha1, sizeof f->sha1);
        hp(c, "</td></tr>\n<tr><th scope=\"row\">SHA-256</th><td class=\"mono "
              "wrap\">");
        hhash(c, f->sha256, sizeof f->sha256);
        hp(c, "</td></tr>\n");
    }
    for (int k = 0; k < MS_T_COUNT; k++) {
        if (!ms_time_usable(&r->times[k]))
            continue;
        hp(c, "<tr><th scope=\"row\">%s</th><td class=\"mono nw\">", tn[k]);
        htime(c, r->times[k].sec, r->times[k].nsec);
        hp(c, "</td></tr>\n");
    }
    hp(c, "</table>\n");
}

static void html_file_detection(hctx *c, const ms_file *f)
{
    hp(c, "<h3>Reasons</h3>\n<ul class=\"reasons\">\n");
    for (size_t i = 0; i < f->nreasons; i++) {
        const ms_reason *r = &f->reasons[i];
        hp(c, "<li><span class=\"badge b-%s\">%s</span> <code>",
           ms_report_severity_name(r->severity),
           ms_report_severity_name(r->severity));
        hs(c, r->code ? r->code : "UNKNOWN");
        hp(c, "</code> ");
        hs(c, r->text ? r->text : "");
        hp(c, "</li>\n");
    }
    hp(c, "</ul>\n");
    if (!f->nmatches)
        return;
    hp(c, "<h3>YARA matches</h3>\n<table>\n<thead><tr><th>Rule</th>"
          "<th>String</th><th>Offset</th><th>Matched bytes (hex)</th></tr>"
          "</thead>\n<tbody>\n");
    for (size_t i = 0; i < f->nmatches; i++) {
        const ms_yara_match *m = &f->matches[i];
        hp(c, "<tr><td><code>");
        hs(c, m->ns ? m->ns : "");
        hp(c, ":");
        hs(c, m->rule ? m->rule : "");
        hp(c, "</code></td><td><code>");
        hs(c, m->string_id ? m->string_id : "");
        hp(c, "</code></td><td class=\"mono\">%" PRIu64 " (0x%" PRIx64
              ")</td><td class=\"mono wrap\">", m->offset, m->offset);
        hs(c, m->data_hex ? m->data_hex : "");
        hp(c, "</td></tr>\n");
    }
    hp(c, "</tbody>\n</table>\n");
}

/* What the static unpacker recovered from a packed file: the
 * decrypt constants, the interpreter, the script's hash and kind, and the
 * network indicators with decoys marked. */
static void html_file_unpack(hctx *c, const ms_file *f)
{
    const ms_unpacked *u = f->unpacked;
    if (!u)
        return;
    hp(c, "<h3>Unpacked payload</h3>\n<table>\n");
    if (!u->ok) {
        row(c, "Unpack", u->failure ? u->failure : "failed");
        hp(c, "</table>\n");
        return;
    }
    hp(c, "<tr><th scope=\"row\">Decrypt routine</th><td class=\"mono\">"
          "key %u, limit 0x%x, wrap 0x%x, step 0x%x; %zu calls</td></tr>\n",
       u->key, u->limit, u->wrap, u->step, u->calls);
    row(c, "Unpack method", u->method ? u->method : "static");
    row(c, "Interpreter", u->interpreter ? u->interpreter : "");
    hp(c, "<tr><th scope=\"row\">Script</th><td class=\"mono wrap\">%"
          PRIu64 " bytes at file offset %" PRIu64 ", SHA-256 ", u->script_size,
       u->script_offset);
    hhash(c, u->sha256, sizeof u->sha256);
    hp(c, "</td></tr>\n");
    row(c, "Kind", ms_script_kind_name(u->kind));
    for (size_t i = 0; i < u->nfeatures; i++)
        row(c, "Feature seen", u->features[i]);
    if (u->extracted)
        row(c, "Extracted to", u->extracted);
    if (u->extract_note)
        row(c, "Extraction", u->extract_note);
    hp(c, "</table>\n");
    if (!u->nindicators)
        return;
    hp(c, "<table>\n<thead><tr><th>Indicator</th><th>Type</th><th>Class</th>"
          "<th>Offset in script</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < u->nindicators; i++) {
        const ms_indicator *in = &u->indicators[i];
        hp(c, "<tr><td class=\"wrap\"><code>");
        hs(c, in->value ? in->value : "");
        hp(c, "</code></td><td>");
        hs(c, ms_ioc_type_name(in->type));
        hp(c, "</td><td>");
        hs(c, ms_ioc_class_name(in->cls));
        hp(c, "</td><td class=\"mono\">%" PRIu64 "</td></tr>\n", in->offset);
    }
    hp(c, "</tbody>\n</table>\n");
}

static void html_findings(hctx *c, const ms_scan *s, const ms_summary *m)
{
    hp(c, "<section id=\"findings\" class=\"major\">\n<h2>Findings (%zu)</h2>"
          "\n", m->malicious + m->suspicious);
    if (!m->malicious && !m->suspicious)
        hp(c, "<p>No file was graded suspicious or malicious.</p>\n");
    /* Malicious first, then suspicious, each in scan order. */
    for (int sev = MS_SEV_MALICIOUS; sev >= MS_SEV_SUSPICIOUS; sev--) {
        for (size_t i = 0; i < s->nfiles && !c->err; i++) {
            const ms_file *f = &s->files[i];
            if ((int)f->verdict != sev)
                continue;
            const char *v = ms_report_verdict_name(sev);
            hp(c, "<div class=\"card %s\" id=\"file-%zu\">\n<h3><span "
                  "class=\"badge b-%s\">%s</span> <code class=\"wrap\">", v,
               i, v, v);
            hs(c, f->ref.path ? f->ref.path : "");
            hp(c, "</code> <span class=\"muted\">volume %d%s</span></h3>\n",
               f->ref.volume, f->missing ? ", missing"
                              : f->ref.deleted ? ", deleted" : "");
            html_file_facts(c, f);
            html_file_detection(c, f);
            html_file_unpack(c, f);
            hp(c, "</div>\n");
        }
    }
    hp(c, "</section>\n");
}

/* The chart: the incident story's timed steps in a lane of their own
 * (first, so the dot bound never drops them), then the timeline. */
static void html_chart(hctx *c, const ms_scan *s, const ms_tl_entry *tl,
                       size_t n)
{
    size_t ns = 0, k = 0;
    for (size_t i = 0; i < s->nstory; i++)
        ns += s->story[i].has_time != 0;
    ms_tl_entry *all = calloc(ns + n + 1, sizeof *all);
    char **words = calloc(ns + 1, sizeof *words);
    if (!all || !words) {
        c->err = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t i = 0; i < s->nstory; i++) {
        const ms_story_step *st = &s->story[i];
        if (!st->has_time)
            continue;
        words[k] = ms_asprintf("%s: %s", st->kind ? st->kind : "step",
                               st->text ? st->text : "");
        if (!words[k]) {
            c->err = MS_ERR_NOMEM;
            goto _exit;
        }
        all[k] = (ms_tl_entry){ .sec = st->sec, .nsec = st->nsec,
                                .event = 's', .volume = -1,
                                .path = words[k], .source = "story",
                                .verdict = MS_SVG_STORY, .file_index = -1,
                                .crontab_index = -1 };
        k++;
    }
    if (n)
        memcpy(all + k, tl, n * sizeof *tl);
    if (ms_svg_timeline(c->out, all, k + n) != MS_OK)
        c->err = MS_ERR_IO;
_exit:
    for (size_t i = 0; words && i < k; i++)
        free(words[i]);
    free(words);
    free(all);
}

static void html_timeline(hctx *c, const ms_scan *s)
{
    ms_tl_entry *tl = NULL;
    size_t n = 0;
    ms_err e = ms_timeline_build(s, &tl, &n);
    if (e) {
        if (!c->err)
            c->err = e;
        return;
    }
    hp(c, "<section id=\"timeline\" class=\"major\">\n<h2>Timeline (%zu "
          "events, UTC)</h2>\n<p class=\"muted\">Every recorded time of every "
          "reported file and crontab, with the file system's full precision "
          "(nanoseconds on ext4). m = modified, a = accessed, c = metadata "
          "changed, b = created, d = deleted; the chart's incident lane (s) holds "
          "the timed steps of the incident story above.</p>\n", n);
    if (!c->err)
        html_chart(c, s, tl, n);
    hp(c, "<table class=\"tl\">\n<thead><tr><th>Time (UTC)</th><th>Event</th><th>Verdict"
          "</th><th>Volume</th><th>Path</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n && !c->err; i++) {
        const char *what = tl[i].verdict < 0 ? "crontab"
                           : ms_report_verdict_name(tl[i].verdict);
        hp(c, "<tr class=\"t-%s\"><td class=\"mono nw\">", what);
        htime(c, tl[i].sec, tl[i].nsec);
        hp(c, "</td><td>%c</td><td><span class=\"badge b-%s\">%s</span></td>"
              "<td>%d</td><td class=\"wrap\"><code>", tl[i].event, what, what,
           tl[i].volume);
        hs(c, tl[i].path);
        hp(c, "</code>%s</td></tr>\n", tl[i].recovered
           ? " <span class=\"muted\">[recovered from journal]</span>" : "");
    }
    hp(c, "</tbody>\n</table>\n</section>\n");
    ms_timeline_free(tl);
}

static void html_examined(hctx *c, const ms_scan *s, const ms_summary *m)
{
    hp(c, "<section id=\"examined\">\n<h2>Other files examined (%zu)</h2>\n",
       m->clean);
    if (!m->clean) {
        hp(c, "<p>None.</p>\n</section>\n");
        return;
    }
    hp(c, "<table>\n<thead><tr><th>Path</th><th>Volume</th><th>Size</th>"
          "<th>SHA-256</th><th>Reasons (info)</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->nfiles && !c->err; i++) {
        const ms_file *f = &s->files[i];
        if (f->verdict >= MS_SEV_SUSPICIOUS)
            continue;
        hp(c, "<tr><td class=\"wrap\"><code>");
        hs(c, f->ref.path ? f->ref.path : "");
        hp(c, "</code></td><td>%d</td><td>%" PRIu64 "</td><td class=\"mono "
              "wrap\">", f->ref.volume, f->ref.size);
        hhash(c, f->sha256, sizeof f->sha256);
        hp(c, "</td><td>");
        for (size_t k = 0; k < f->nreasons; k++) {
            hp(c, "%s<code>", k ? " " : "");
            hs(c, f->reasons[k].code ? f->reasons[k].code : "");
            hp(c, "</code>");
        }
        hp(c, "</td></tr>\n");
    }
    hp(c, "</tbody>\n</table>\n</section>\n");
}

static void html_errors(hctx *c, const ms_scan *s)
{
    if (!s->nerrors)
        return;
    hp(c, "<section id=\"errors\">\n<h2>Problems during the scan (%zu)</h2>\n"
          "<ul>\n", s->nerrors);
    for (size_t i = 0; i < s->nerrors; i++) {
        hp(c, "<li>");
        hs(c, s->errors[i]);
        hp(c, "</li>\n");
    }
    hp(c, "</ul>\n</section>\n");
}

static void html_runtime(hctx *c, const char *label, const char *key,
                         const char *value)
{
    hp(c, "<tr><th scope=\"row\">%s</th><td class=\"wrap\"><span "
          "data-runtime=\"%s\">", label, key);
    hs(c, value);
    hp(c, "</span></td></tr>\n");
}

static void html_methodology(hctx *c, const ms_scan *s, const char *version)
{
    const ms_provenance *p = &s->prov;
    char t0[MS_TIME_BUFSZ], t1[MS_TIME_BUFSZ];
    hp(c, "<section id=\"methodology\" class=\"major\">\n"
          "<h2>Methodology and limitations</h2>\n"
          "<p>The image was opened read-only with The Sleuth Kit (libtsk). "
          "Every partition and file system libtsk recognises was examined. "
          "mumblescan read every crontab (<code>/etc/crontab</code>, "
          "<code>/etc/cron.d/*</code> and the cron spool directories, "
          "deleted ones included), evaluated each schedule, resolved the "
          "programs each job runs inside the image, and walked the temporary "
          "directories (<code>/tmp</code>, <code>/var/tmp</code>, "
          "<code>/dev/shm</code> and others) for executables, deleted names "
          "included. Each such file was hashed (MD5, SHA-1, SHA-256), "
          "identified (libmagic, ELF header) and scanned with the YARA rules "
          "listed below. A file's verdict is the most severe of its reasons "
          "(see docs/report-guide.md).</p>\n"
          "<h3>Limitations</h3>\n<ul>\n"
          "<li>Only the locations above are searched; this is not a full "
          "malware scan of the disk.</li>\n"
          "<li>Each file system is examined on its own; separate "
          "<code>/var</code> or <code>/tmp</code> partitions are seen "
          "relative to their own root.</li>\n"
          "<li>On ext3/ext4 the content of deleted files is usually not "
          "recoverable; their names, inodes and times are still "
          "reported.</li>\n"
          "<li>Volumes libtsk cannot decode (for example LVM, XFS, qcow2 in "
          "libtsk 4.11) are listed as not examined and never reported "
          "clean.</li>\n"
          "<li>Times are shown in UTC exactly as the file system stores "
          "them; a wrong clock on the seized machine is not corrected.</li>\n"
          "</ul>\n<h3>Provenance</h3>\n<table>\n");
    hp(c, "<tr><th scope=\"row\">mumblescan</th><td>");
    hs(c, version ? version : "unknown");
    hp(c, "</td></tr>\n");
    for (size_t i = 0; i < p->nlibs; i++) {
        hp(c, "<tr><th scope=\"row\">");
        hs(c, p->libs[i].name);
        hp(c, "</th><td>");
        hs(c, p->libs[i].version);
        hp(c, "</td></tr>\n");
    }
    for (size_t i = 0; i < p->nrules; i++) {
        hp(c, "<tr><th scope=\"row\">Rule file</th><td class=\"wrap\"><code>");
        hs(c, p->rules[i].path);
        hp(c, "</code><br>SHA-256 <span class=\"mono\">");
        hs(c, p->rules[i].sha256);
        hp(c, "</span></td></tr>\n");
    }
    html_runtime(c, "Command line", "command_line", p->command_line);
    html_runtime(c, "Host", "host", p->host);
    if (ms_time_format(s->started, 0, t0))
        t0[0] = '\0';
    if (ms_time_format(s->finished, 0, t1))
        t1[0] = '\0';
    html_runtime(c, "Scan started (UTC)", "started", t0);
    html_runtime(c, "Scan finished (UTC)", "finished", t1);
    hp(c, "</table>\n</section>\n");
}

ms_err ms_report_html(FILE *out, const ms_report_ctx *ctx)
{
    hctx c = { out, MS_OK };
    if (!out || !ctx || !ctx->scan || !ctx->summary)
        return MS_ERR_ARG;
    const ms_scan *scan = ctx->scan;
    const ms_summary *sum = ctx->summary;
    const char *version = ctx->version;
    html_head(&c, sum);
    html_alert(&c, scan);
    html_incomplete_alert(&c, scan);
    html_verdict(&c, scan, sum, version);
    ms_hr_html_story(&c, scan);
    html_case(&c, scan);
    html_hosts(&c, scan);
    html_evidence(&c, scan);
    html_volumes(&c, scan);
    ms_report_layout_html(&c, scan);
    html_unreadable(&c, scan);
    html_coverage(&c, scan);
    html_persistence(&c, scan);
    ms_hr_html_history(&c, scan);
    html_findings(&c, scan, sum);
    ms_html_entry(&c, scan);
    html_timeline(&c, scan);
    html_examined(&c, scan, sum);
    html_errors(&c, scan);
    html_methodology(&c, scan, version);
    hp(&c, "<footer>Generated by mumblescan ");
    hs(&c, version ? version : "unknown");
    hp(&c, ". This report is self-contained: it loads nothing and runs no "
           "script.</footer>\n</main>\n</body>\n</html>\n");
    if (!c.err && (fflush(out) != 0 || ferror(out)))
        c.err = MS_ERR_IO;
    return c.err;
}
