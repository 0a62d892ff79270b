/* report.h - render an ms_scan in the formats of the format table.
 *
 * Writers only read the scan; every string that came from the image is
 * escaped for the target format (see escape.h and docs/json-format.md).
 * The summary and the exit status come from detection/policy.h, computed
 * once per scan, so every report and the process exit status agree.
 *
 * Formats are rows of one table (formats.c): a name for -f, a file name
 * for -o DIR and a writer.  Every writer has the same signature; adding a
 * format is a writer file plus one row. */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/ms_error.h"
#include "common/ms_model.h"
#include "common/ms_reasons.h"
#include "detection/policy.h"

/* What every writer gets. */
typedef struct ms_report_ctx {
    const ms_scan    *scan;
    const char       *version;  /* tool version string, or NULL */
    const ms_summary *summary;  /* the summary of scan (policy.h) */
} ms_report_ctx;

/* Write the whole report to out; MS_ERR_IO when writing fails,
 * MS_ERR_NOMEM, MS_ERR_ARG for a NULL argument.  out stays the caller's. */
typedef ms_err (*ms_report_writer)(FILE *out, const ms_report_ctx *ctx);

typedef struct ms_report_format_def {
    const char      *name;      /* as given to -f */
    const char      *filename;  /* in the -o DIR of several formats */
    ms_report_writer write;
} ms_report_format_def;

/* A format is a row index of the table.  The built-in rows, in order: */
typedef unsigned ms_report_format;
enum {
    MS_REPORT_TEXT = 0,   /* for a terminal (default) */
    MS_REPORT_JSON,       /* stable machine contract, docs/json-format.md */
    MS_REPORT_BODYFILE,   /* TSK 3.x bodyfile, input for mactime -b */
    MS_REPORT_HTML,       /* self-contained court report */
    MS_REPORT_TIMESKETCH, /* JSON Lines for Timesketch import */
    MS_REPORT_CSV         /* RFC 4180, one row per timeline event */
};
/* Upper bound of the table's size, for callers' arrays. */
#define MS_REPORT_FORMAT_MAX 16

/* The table: row i of ms_report_format_count() rows, NULL past the end. */
size_t ms_report_format_count(void);
const ms_report_format_def *ms_report_format_get(ms_report_format fmt);

typedef struct ms_report_info {
    const char       *version;  /* tool version string; NULL -> "unknown" */
    const ms_summary *summary;  /* NULL: computed with ms_summary_compute();
                                   the caller may pass its own, e.g. with an
                                   exit status it overrode */
} ms_report_info;

/* Write the whole report for `scan` to `out` in format `fmt` (the row's
 * writer).  MS_ERR_ARG for an unknown format or a NULL argument. */
ms_err ms_report_write(FILE *out, ms_report_format fmt, const ms_scan *scan,
                       const ms_report_info *info);

/* Parse a format name; MS_ERR_ARG for anything not in the table. */
ms_err ms_report_format_parse(const char *name, ms_report_format *fmt);

/* Parse a comma-separated list ("html,json") into fmts[0..*n), at most cap
 * entries, no repeats; MS_ERR_ARG for an empty, unknown or repeated name. */
ms_err ms_report_formats_parse(const char *list, ms_report_format *fmts,
                               size_t cap, size_t *n);

/* The row's file name (report.txt, report.json, ...; static string). */
const char *ms_report_format_filename(ms_report_format fmt);

/* The writers of the built-in rows. */
ms_err ms_report_text(FILE *out, const ms_report_ctx *ctx);
ms_err ms_report_json(FILE *out, const ms_report_ctx *ctx);
ms_err ms_report_bodyfile(FILE *out, const ms_report_ctx *ctx);
ms_err ms_report_html(FILE *out, const ms_report_ctx *ctx);
ms_err ms_report_timesketch(FILE *out, const ms_report_ctx *ctx);
ms_err ms_report_csv(FILE *out, const ms_report_ctx *ctx);

/* ---- shared wording (names.c) ------------------------------------------ */

/* One-line English statement of a stored-hash mismatch for the top of
 * every format, e.g. "INTEGRITY FAILURE: the MD5 stored in the image
 * (...) does not match the media read (...)"; NULL when there is none.
 * malloc'd. */
char *ms_report_integrity_alert(const ms_scan *scan);

/* One-line English statement that the evidence is incomplete (media that
 * could not be read: how many bytes, ranges, volumes and files), for the
 * verdict of every format; NULL when everything was read.  malloc'd. */
char *ms_report_incomplete_alert(const ms_scan *scan);

/* Names used by the writers (static strings, never NULL). */
const char *ms_report_verdict_name(int severity);  /* "clean" for info */
const char *ms_report_severity_name(int severity); /* "info" for info */
const char *ms_report_certainty_name(enum ms_certainty c); /* "none".."high" */
const char *ms_report_prog_status_name(enum ms_prog_status st);
const char *ms_report_vol_state_name(enum ms_vol_state st);
const char *ms_report_ftype_name(enum ms_ftype t);
/* "scanned" | "truncated" | "unreadable" | "missing" */
const char *ms_report_content_state(const ms_file *f);

#endif
