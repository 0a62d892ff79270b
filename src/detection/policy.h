/* policy.h - what a scan means as a whole: the counts, the overall
 * verdict and the process exit status.
 *
 * Below the report layer so that every writer renders the same numbers
 * and the CLI exits with the status the reports state, and so that a
 * merge of many scans can apply the same rule.  Pure: reads the model,
 * writes nothing. */
#ifndef MS_POLICY_H
#define MS_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

/* Process exit statuses (the CLI contract). */
enum ms_exit_status {
    MS_EXIT_CLEAN = 0,       /* examined, nothing suspicious */
    MS_EXIT_FINDINGS = 1,    /* suspicious or malicious files */
    MS_EXIT_ERROR = 2,       /* error, or no file system could be examined */
    MS_EXIT_INCOMPLETE = 3,  /* no findings, but a volume was not examined */
    MS_EXIT_INTEGRITY = 4    /* a hash stored in the image file does not
                                match the media: the evidence changed */
};

typedef struct ms_summary {
    const char *verdict;          /* "malicious" | "suspicious" | "clean" |
                                     "incomplete" (static string) */
    size_t malicious;             /* files with verdict malicious */
    size_t suspicious;            /* files with verdict suspicious */
    size_t clean;                 /* files with verdict info/clean */
    size_t files_examined;        /* files present in the image (!missing) */
    size_t files_missing;         /* cron programs absent from the image */
    size_t cron_jobs;
    size_t every_15_min_jobs;
    size_t volumes_examined;      /* MS_VOL_EXAMINED */
    size_t volumes_not_examined;  /* MS_VOL_NOT_EXAMINED */
    size_t volumes_no_fs;         /* MS_VOL_NO_FS */
    size_t temp_entries;          /* names listed in temp dirs */
    size_t temp_deleted;          /* of those, deleted names */
    int    exit_status;           /* enum ms_exit_status */
    size_t cron_findings;         /* crontabs and jobs with a suspicious or
                                     malicious reason (network IOCs) */
    int    cron_worst;            /* highest severity among those reasons */
    int    integrity_mismatch;    /* a stored hash disagrees (exit 4) */
    /* media that could not be read (never exit 0) */
    int      evidence_incomplete;
    size_t   unreadable_ranges;
    uint64_t unreadable_bytes;
    size_t   volumes_partial;
    size_t   files_partial;
    /* triage locations (ms_scan.coverage) by state; any not read (or
     * read in part) makes the scan incomplete, never clean */
    size_t   locations_read, locations_absent, locations_not_read;
} ms_summary;

/* Count the scan and apply the exit status rule:
 *   4 if a hash stored in the image (E01) does not match the media; else
 *   1 if any file is malicious or suspicious; else
 *   2 if no volume was examined; else
 *   3 if any volume is MS_VOL_NOT_EXAMINED, any media was unreadable
 *     (damaged or truncated evidence, ms_scan.unreadable) or a triage
 *     location could not be read (ms_scan.coverage); else 0.
 * verdict: "malicious"/"suspicious" by the worst file, "incomplete" for
 * exit status 2 or 3, else "clean". */
ms_err ms_summary_compute(const ms_scan *scan, ms_summary *sum);

/* Short English meaning of an exit status; never NULL. */
const char *ms_exit_status_text(int status);

#endif
