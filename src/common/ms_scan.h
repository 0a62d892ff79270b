/* ms_scan.h - building and freeing the scan model (ms_model.h). */
#ifndef MS_SCAN_H
#define MS_SCAN_H

#include "common/ms_model.h"
#include "common/ms_error.h"
#include "common/ms_reasons.h"

/* Record a non-fatal problem for the report.  Allocation failure here is
 * deliberately ignored: losing a note must not abort a scan. */
void ms_scan_add_error(ms_scan *scan, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append a zeroed element and return its index through *index. */
ms_err ms_scan_new_file(ms_scan *scan, size_t *index);
ms_err ms_scan_new_crontab(ms_scan *scan, size_t *index);
ms_err ms_scan_new_job(ms_scan *scan, size_t *index);

/* Find the file already recorded for the same object (same volume and
 * inode and deleted state, or same path for a missing one) or append a
 * new one copied from `ref`; ORs `origin` into it.  *index is set. */
ms_err ms_scan_file_for(ms_scan *scan, const ms_fileref *ref, int missing,
                        unsigned origin, size_t *index);

/* Add reason `id` (a row of common/ms_reasons.h) to a file and raise
 * its verdict.  text is taken (freed here); a NULL text, as from a
 * failed ms_asprintf, is MS_ERR_NOMEM, so callers can write
 * add(f, id, SEV, ms_asprintf(...)).  ev (may be NULL) is the reason's
 * evidence as fields; its strings are copied. */
ms_err ms_file_reason_ev(ms_file *f, ms_reason_id id, enum ms_severity sev,
                        char *text, const ms_reason_ev *ev);

/* The same without evidence fields. */
ms_err ms_file_reason_take(ms_file *f, ms_reason_id id,
                           enum ms_severity sev, char *text);

/* Free an unpack result (ms_file.unpacked) and everything it owns. */
void ms_unpacked_free(ms_unpacked *u);

void ms_fileref_clear(ms_fileref *r);
void ms_file_clear(ms_file *f);
void ms_host_clear(ms_host *h);
void ms_mount_clear(ms_mount *m);
void ms_system_clear(ms_system *s);
void ms_scan_free(ms_scan *scan);   /* frees contents, not the struct */
/* The history, logins and story part of ms_scan_free (ms_history_model.c). */
void ms_scan_history_free(ms_scan *scan);

#endif
