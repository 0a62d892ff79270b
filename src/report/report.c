#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/imghash.h"

static int worst(const ms_reason *r, size_t n)
{
    int w = -1;
    for (size_t i = 0; i < n; i++)
        if ((int)r[i].severity > w)
            w = (int)r[i].severity;
    return w;
}

/* Crontabs and jobs carry reasons of their own (a C&C address in the
 * text); they count as findings like files do. */
static void cron_count(const ms_scan *scan, ms_summary *sum)
{
    for (size_t i = 0; i < scan->ncrontabs + scan->njobs; i++) {
        int w = i < scan->ncrontabs
                    ? worst(scan->crontabs[i].reasons,
                            scan->crontabs[i].nreasons)
                    : worst(scan->jobs[i - scan->ncrontabs].reasons,
                            scan->jobs[i - scan->ncrontabs].nreasons);
        if (w < MS_SEV_SUSPICIOUS)
            continue;
        sum->cron_findings++;
        if (w > sum->cron_worst)
            sum->cron_worst = w;
    }
}

ms_err ms_summary_compute(const ms_scan *scan, ms_summary *sum)
{
    if (!scan || !sum)
        return MS_ERR_ARG;
    memset(sum, 0, sizeof *sum);

    for (size_t i = 0; i < scan->nfiles; i++) {
        const ms_file *f = &scan->files[i];
        if (f->verdict >= MS_SEV_MALICIOUS)
            sum->malicious++;
        else if (f->verdict == MS_SEV_SUSPICIOUS)
            sum->suspicious++;
        else
            sum->clean++;
        if (f->missing)
            sum->files_missing++;
        else
            sum->files_examined++;
    }
    sum->temp_entries = scan->temp_entries;
    sum->temp_deleted = scan->temp_deleted;
    sum->cron_jobs = scan->njobs;
    for (size_t i = 0; i < scan->njobs; i++)
        if (scan->jobs[i].every_15_min)
            sum->every_15_min_jobs++;
    for (size_t i = 0; i < scan->nvolumes; i++) {
        switch (scan->volumes[i].state) {
        case MS_VOL_EXAMINED:     sum->volumes_examined++; break;
        case MS_VOL_NOT_EXAMINED: sum->volumes_not_examined++; break;
        default:                  sum->volumes_no_fs++; break;
        }
    }

    cron_count(scan, sum);

    /* Findings win over incompleteness: a malicious file found on one
     * volume is the answer even if another volume could not be read. */
    sum->integrity_mismatch = ms_integrity_mismatch(&scan->integrity);
    if (sum->integrity_mismatch)
        sum->exit_status = MS_EXIT_INTEGRITY;
    else if (sum->malicious || sum->suspicious || sum->cron_findings)
        sum->exit_status = MS_EXIT_FINDINGS;
    else if (sum->volumes_examined == 0)
        sum->exit_status = MS_EXIT_ERROR;
    else if (sum->volumes_not_examined)
        sum->exit_status = MS_EXIT_INCOMPLETE;
    else
        sum->exit_status = MS_EXIT_CLEAN;

    if (sum->malicious || sum->cron_worst >= MS_SEV_MALICIOUS)
        sum->verdict = "malicious";
    else if (sum->integrity_mismatch && !sum->suspicious &&
             !sum->cron_findings)
        sum->verdict = sum->volumes_examined && !sum->volumes_not_examined
                       ? "clean" : "incomplete";
    else if (sum->suspicious || sum->cron_findings)
        sum->verdict = "suspicious";
    else if (sum->exit_status != MS_EXIT_CLEAN)
        sum->verdict = "incomplete";
    else
        sum->verdict = "clean";
    return MS_OK;
}

const char *ms_exit_status_text(int status)
{
    switch (status) {
    case MS_EXIT_CLEAN:      return "examined, nothing suspicious";
    case MS_EXIT_FINDINGS:   return "suspicious or malicious findings";
    case MS_EXIT_ERROR:      return "error: no file system could be examined";
    case MS_EXIT_INCOMPLETE: return "no findings, but some volume with data "
                                    "could not be examined (incomplete)";
    case MS_EXIT_INTEGRITY:  return "integrity failure: a hash stored in the "
                                    "image does not match its media";
    }
    return "unknown exit status";
}

ms_err ms_report_write(FILE *out, enum ms_report_format fmt,
                       const ms_scan *scan, const ms_report_info *info)
{
    ms_summary own;
    const ms_summary *sum = info ? info->summary : NULL;
    const char *version = info ? info->version : NULL;

    if (!out || !scan)
        return MS_ERR_ARG;
    if (!sum) {
        ms_err e = ms_summary_compute(scan, &own);
        if (e)
            return e;
        sum = &own;
    }
    switch (fmt) {
    case MS_REPORT_TEXT:     return ms_report_text(out, scan, version, sum);
    case MS_REPORT_JSON:     return ms_report_json(out, scan, version, sum);
    case MS_REPORT_BODYFILE: return ms_report_bodyfile(out, scan);
    case MS_REPORT_HTML:     return ms_report_html(out, scan, version, sum);
    case MS_REPORT_TIMESKETCH:
        return ms_report_timesketch(out, scan, version, sum);
    case MS_REPORT_CSV:      return ms_report_csv(out, scan, sum);
    }
    return MS_ERR_ARG;
}

ms_err ms_report_format_parse(const char *name, enum ms_report_format *fmt)
{
    static const struct { const char *name; enum ms_report_format fmt; }
    names[] = { { "text", MS_REPORT_TEXT }, { "json", MS_REPORT_JSON },
                { "bodyfile", MS_REPORT_BODYFILE },
                { "html", MS_REPORT_HTML },
                { "timesketch", MS_REPORT_TIMESKETCH },
                { "csv", MS_REPORT_CSV } };

    if (!name || !fmt)
        return MS_ERR_ARG;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i].name) == 0) {
            *fmt = names[i].fmt;
            return MS_OK;
        }
    }
    return MS_ERR_ARG;
}

const char *ms_report_verdict_name(int severity)
{
    if (severity >= MS_SEV_MALICIOUS)
        return "malicious";
    return severity == MS_SEV_SUSPICIOUS ? "suspicious" : "clean";
}

const char *ms_report_severity_name(int severity)
{
    if (severity >= MS_SEV_MALICIOUS)
        return "malicious";
    return severity == MS_SEV_SUSPICIOUS ? "suspicious" : "info";
}

const char *ms_report_prog_status_name(enum ms_prog_status st)
{
    switch (st) {
    case MS_PROG_FOUND:       return "found";
    case MS_PROG_MISSING:     return "missing";
    case MS_PROG_NOT_REGULAR: return "not_regular";
    case MS_PROG_UNRESOLVED:  return "unresolved";
    case MS_PROG_BUILTIN:     return "builtin";
    }
    return "unresolved";
}

const char *ms_report_vol_state_name(enum ms_vol_state st)
{
    switch (st) {
    case MS_VOL_EXAMINED:     return "examined";
    case MS_VOL_NOT_EXAMINED: return "not_examined";
    case MS_VOL_NO_FS:        return "no_fs";
    }
    return "not_examined";
}

const char *ms_report_ftype_name(enum ms_ftype t)
{
    switch (t) {
    case MS_FT_REG:     return "file";
    case MS_FT_DIR:     return "dir";
    case MS_FT_LNK:     return "symlink";
    case MS_FT_OTHER:   return "other";
    case MS_FT_UNKNOWN: return "unknown";
    }
    return "unknown";
}

const char *ms_report_content_state(const ms_file *f)
{
    if (f->missing)
        return "missing";
    if (!f->content_read)
        return "unreadable";
    return f->scan_truncated ? "truncated" : "scanned";
}

ms_err ms_report_formats_parse(const char *list, enum ms_report_format *fmts,
                               size_t cap, size_t *n)
{
    char name[32];
    *n = 0;
    if (!list || !*list)
        return MS_ERR_ARG;
    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");
        enum ms_report_format f;
        if (len == 0 || len >= sizeof name || *n == cap)
            return MS_ERR_ARG;
        memcpy(name, p, len);
        name[len] = '\0';
        if (ms_report_format_parse(name, &f) != MS_OK)
            return MS_ERR_ARG;
        for (size_t i = 0; i < *n; i++)
            if (fmts[i] == f)
                return MS_ERR_ARG;
        fmts[(*n)++] = f;
        if (!p[len])
            return MS_OK;
        p += len + 1;
    }
}

const char *ms_report_format_filename(enum ms_report_format fmt)
{
    switch (fmt) {
    case MS_REPORT_TEXT:       return "report.txt";
    case MS_REPORT_JSON:       return "report.json";
    case MS_REPORT_BODYFILE:   return "report.body";
    case MS_REPORT_HTML:       return "report.html";
    case MS_REPORT_TIMESKETCH: return "report.timesketch.jsonl";
    case MS_REPORT_CSV:        return "report.csv";
    }
    return "report";
}

char *ms_report_integrity_alert(const ms_scan *scan)
{
    const ms_integrity *ig = &scan->integrity;
    ms_buf b = { 0 };
    if (!ms_integrity_mismatch(ig))
        return NULL;
    ms_buf_printf(&b, "INTEGRITY FAILURE: the %s read from the image "
                  "(%" PRIu64 " bytes hashed) does not match the acquisition "
                  "hash stored in it:",
                  ig->hashed_what ? ig->hashed_what : "media",
                  ig->bytes_hashed);
    for (int a = 0; a < MS_HASH_COUNT; a++)
        if (ig->check[a] == MS_HCHK_MISMATCH)
            ms_buf_printf(&b, " %s stored %.64s, computed %.64s;",
                          ms_hash_algo_title(a), ig->stored_hex[a],
                          ig->computed_hex[a]);
    ms_buf_puts(&b, " the evidence changed after acquisition or is corrupt");
    return ms_buf_steal(&b);
}

const char *ms_report_certainty_name(enum ms_certainty c)
{
    switch (c) {
    case MS_CERT_LOW:    return "low";
    case MS_CERT_MEDIUM: return "medium";
    case MS_CERT_HIGH:   return "high";
    default:             return "none";
    }
}
