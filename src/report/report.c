#include "report/report.h"

#include <string.h>

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
    if (sum->malicious || sum->suspicious || sum->cron_findings)
        sum->exit_status = MS_EXIT_FINDINGS;
    else if (sum->volumes_examined == 0)
        sum->exit_status = MS_EXIT_ERROR;
    else if (sum->volumes_not_examined)
        sum->exit_status = MS_EXIT_INCOMPLETE;
    else
        sum->exit_status = MS_EXIT_CLEAN;

    if (sum->malicious || sum->cron_worst >= MS_SEV_MALICIOUS)
        sum->verdict = "malicious";
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
    }
    return MS_ERR_ARG;
}

ms_err ms_report_format_parse(const char *name, enum ms_report_format *fmt)
{
    static const struct { const char *name; enum ms_report_format fmt; }
    names[] = { { "text", MS_REPORT_TEXT }, { "json", MS_REPORT_JSON },
                { "bodyfile", MS_REPORT_BODYFILE } };

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
