/* policy.c - summary, verdict and exit status of a scan; see policy.h. */
#include "detection/policy.h"

#include <string.h>

#include "evidence/imghash.h"

static int worst(const ms_reason *r, size_t n)
{
    int w = -1;
    for (size_t i = 0; i < n; i++)
        if ((int)r[i].severity > w)
            w = (int)r[i].severity;
    return w;
}

/* Crontabs and persistence records (every cron job has one) carry
 * reasons of their own (a C&C address in the text); they count as
 * findings like files do. */
static void cron_count(const ms_scan *scan, ms_summary *sum)
{
    for (size_t i = 0; i < scan->ncrontabs + scan->npersistence; i++) {
        const ms_persistence *p = i < scan->ncrontabs
            ? NULL : &scan->persistence[i - scan->ncrontabs];
        int w = p ? worst(p->reasons, p->nreasons)
                  : worst(scan->crontabs[i].reasons,
                          scan->crontabs[i].nreasons);
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

    sum->evidence_incomplete = scan->evidence_incomplete ||
                               scan->nunreadable > 0;
    sum->unreadable_ranges = scan->nunreadable;
    for (size_t i = 0; i < scan->nunreadable; i++)
        sum->unreadable_bytes += scan->unreadable[i].length;
    for (size_t i = 0; i < scan->nvolumes; i++)
        sum->volumes_partial += scan->volumes[i].partial != 0;
    for (size_t i = 0; i < scan->nfiles; i++)
        sum->files_partial += scan->files[i].partial != 0;
    for (size_t i = 0; i < scan->ncoverage; i++) {
        const ms_coverage *c = &scan->coverage[i];
        if (c->state == MS_COV_READ)
            sum->locations_read++;
        else if (c->state == MS_COV_ABSENT)
            sum->locations_absent++;
        else
            sum->locations_not_read++;
    }

    /* Findings win over incompleteness: a malicious file found on one
     * volume is the answer even if another volume could not be read. */
    sum->integrity_mismatch = ms_integrity_mismatch(&scan->integrity);
    if (sum->integrity_mismatch)
        sum->exit_status = MS_EXIT_INTEGRITY;
    else if (sum->malicious || sum->suspicious || sum->cron_findings)
        sum->exit_status = MS_EXIT_FINDINGS;
    else if (sum->volumes_examined == 0)
        sum->exit_status = MS_EXIT_ERROR;
    else if (sum->volumes_not_examined || sum->evidence_incomplete ||
             sum->locations_not_read)
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
                                    "or some media could not be examined "
                                    "(incomplete)";
    case MS_EXIT_INTEGRITY:  return "integrity failure: a hash stored in the "
                                    "image does not match its media";
    }
    return "unknown exit status";
}
