/* report.h - render an ms_scan as text, JSON or a TSK bodyfile.
 *
 * Writers only read the scan; every string that came from the image is
 * escaped for the target format (see escape.h and docs/json-format.md).
 * The summary and the exit status are derived from the scan here, in one
 * place, so the report and the process exit status can never disagree. */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

enum ms_report_format {
    MS_REPORT_TEXT = 0,  /* for a terminal (default) */
    MS_REPORT_JSON,      /* stable machine contract, docs/json-format.md */
    MS_REPORT_BODYFILE,  /* TSK 3.x bodyfile, input for mactime -b */
    MS_REPORT_HTML,      /* self-contained court report, report_html.c */
    MS_REPORT_TIMESKETCH,/* JSON Lines for Timesketch import */
    MS_REPORT_CSV        /* RFC 4180, one row per timeline event */
};
#define MS_REPORT_FORMAT_COUNT 6

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
    /* issue 9: media that could not be read (never exit 0) */
    int      evidence_incomplete;
    size_t   unreadable_ranges;
    uint64_t unreadable_bytes;
    size_t   volumes_partial;
    size_t   files_partial;
} ms_summary;

/* Count the scan and apply the exit status rule:
 *   4 if a hash stored in the image (E01) does not match the media; else
 *   1 if any file is malicious or suspicious; else
 *   2 if no volume was examined; else
 *   3 if any volume is MS_VOL_NOT_EXAMINED or any media was unreadable
 *     (damaged or truncated evidence, ms_scan.unreadable); else 0.
 * verdict: "malicious"/"suspicious" by the worst file, "incomplete" for
 * exit status 2 or 3, else "clean". */
ms_err ms_summary_compute(const ms_scan *scan, ms_summary *sum);

/* Short English meaning of an exit status; never NULL. */
const char *ms_exit_status_text(int status);

typedef struct ms_report_info {
    const char       *version;  /* tool version string; NULL -> "unknown" */
    const ms_summary *summary;  /* NULL: computed with ms_summary_compute();
                                   the caller may pass its own, e.g. with an
                                   exit status it overrode */
} ms_report_info;

/* Write the whole report for `scan` to `out` in format `fmt`.  Returns
 * MS_ERR_IO when writing fails, MS_ERR_NOMEM, MS_ERR_ARG for a bad format
 * or NULL argument.  The caller owns and closes `out`. */
ms_err ms_report_write(FILE *out, enum ms_report_format fmt,
                       const ms_scan *scan, const ms_report_info *info);

/* Parse "text" | "json" | "bodyfile" | "html" | "timesketch" | "csv";
 * MS_ERR_ARG for anything else. */
ms_err ms_report_format_parse(const char *name, enum ms_report_format *fmt);

/* Parse a comma-separated list ("html,json") into fmts[0..*n), at most cap
 * entries, no repeats; MS_ERR_ARG for an empty, unknown or repeated name. */
ms_err ms_report_formats_parse(const char *list, enum ms_report_format *fmts,
                               size_t cap, size_t *n);

/* File name used for `fmt` when several formats go to one directory:
 * report.txt report.json report.body report.html report.timesketch.jsonl
 * report.csv (static string). */
const char *ms_report_format_filename(enum ms_report_format fmt);

ms_err ms_report_html(FILE *out, const ms_scan *scan, const char *version,
                      const ms_summary *sum);
ms_err ms_report_timesketch(FILE *out, const ms_scan *scan,
                            const char *version, const ms_summary *sum);
ms_err ms_report_csv(FILE *out, const ms_scan *scan, const ms_summary *sum);

/* One-line English statement of a stored-hash mismatch for the top of
 * every format, e.g. "INTEGRITY FAILURE: the MD5 stored in the image
 * (...) does not match the media read (...)"; NULL when there is none.
 * malloc'd. */
char *ms_report_integrity_alert(const ms_scan *scan);

/* One-line English statement that the evidence is incomplete (media that
 * could not be read: how many bytes, ranges, volumes and files), for the
 * verdict of every format; NULL when everything was read.  malloc'd. */
char *ms_report_incomplete_alert(const ms_scan *scan);

/* The individual writers (ms_report_write dispatches to these); `sum` must
 * be the summary of `scan`, `version` may be NULL. */
ms_err ms_report_text(FILE *out, const ms_scan *scan, const char *version,
                      const ms_summary *sum);
ms_err ms_report_json(FILE *out, const ms_scan *scan, const char *version,
                      const ms_summary *sum);
ms_err ms_report_bodyfile(FILE *out, const ms_scan *scan);

/* Names used by the text and JSON writers (static strings, never NULL). */
const char *ms_report_verdict_name(int severity);  /* "clean" for info */
const char *ms_report_severity_name(int severity); /* "info" for info */
const char *ms_report_certainty_name(enum ms_certainty c); /* "none".."high" */
const char *ms_report_prog_status_name(enum ms_prog_status st);
const char *ms_report_vol_state_name(enum ms_vol_state st);
const char *ms_report_ftype_name(enum ms_ftype t);
/* "scanned" | "truncated" | "unreadable" | "missing" */
const char *ms_report_content_state(const ms_file *f);

#endif
