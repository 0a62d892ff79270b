/* fleet_report.h - the fleet report's formats.
 *
 * Every writer renders the finished fleet (ms_fleet_finish) and its index
 * (ms_findex_build); every string that came from a result is escaped for
 * its format.  The only run-time field is the generation time
 * (`generated` in JSON, data-runtime="generated" in HTML, the "Generated"
 * line of the text report, and the STIX/MISP timestamps are content
 * derived, see docs/fleet-merge.md). */
#ifndef MS_FLEET_REPORT_H
#define MS_FLEET_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "fleet/fleet.h"
#include "fleet/fleet_index.h"

#define MS_FLEET_SCHEMA "1.0"

typedef struct ms_fleet_run {
    const char *version;    /* tool version */
    int64_t     generated;  /* seconds since the epoch (run-time field) */
} ms_fleet_run;

enum ms_fleet_format { MS_FF_TEXT, MS_FF_JSON, MS_FF_CSV, MS_FF_HTML,
                       MS_FF_SQLITE, MS_FF_STIX, MS_FF_MISP, MS_FF_MAX };

/* Name ("text", ...) to format, -1 when unknown. */
int ms_fleet_format_parse(const char *name);
const char *ms_fleet_format_name(int fmt);
/* File name inside -o DIR ("fleet.txt", ...). */
const char *ms_fleet_format_filename(int fmt);

ms_err ms_fleet_write_text(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run);
ms_err ms_fleet_write_json(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run);
ms_err ms_fleet_write_csv(FILE *out, const ms_fleet *f, const ms_findex *x,
                          const ms_fleet_run *run);
ms_err ms_fleet_write_html(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run);
ms_err ms_fleet_write_stix(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run);
ms_err ms_fleet_write_misp(FILE *out, const ms_fleet *f, const ms_findex *x,
                           const ms_fleet_run *run);
/* SQLite needs a file: `path` must not exist (the caller writes to a
 * temporary name and renames). */
ms_err ms_fleet_write_sqlite(const char *path, const ms_fleet *f,
                             const ms_findex *x, const ms_fleet_run *run,
                             char **err);

/* Retro-hunt results: text or JSON. */
ms_err ms_fleet_write_hunt(FILE *out, int fmt, const ms_fleet *f,
                           const ms_fleet_run *run);

/* Infections per calendar month (UTC) of the hosts' first infection:
 * "YYYY-MM" keys, sorted; *n entries, caller frees keys[] and counts. */
ms_err ms_fleet_by_month(const ms_fleet *f, char ***keys, size_t **counts,
                         size_t *n);

/* Hosts per OS release ("unknown" when none), sorted by name; *n
 * entries, the names borrowed from the fleet; caller frees; NULL when
 * out of memory. */
typedef struct ms_fleet_oscount { const char *os; size_t n; } ms_fleet_oscount;
ms_fleet_oscount *ms_fleet_by_os(const ms_fleet *f, size_t *n);

#endif
