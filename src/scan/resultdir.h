/* resultdir.h - one complete result set per image in a results directory.
 *
 * A result lives in DIR/NAME/ where NAME is "<first file's base name,
 * reduced to [A-Za-z0-9._-], at most 48 bytes>-<24 hex digits of the file
 * identity>" (evidence/imgid.h).  It holds report.json (always), the
 * other formats asked for (report.txt, report.html, ...) and
 * identity.json (what the name was computed from, plus the media sample
 * fingerprint used to find duplicates).  A duplicate of an image already
 * scanned holds identity.json and duplicate.json instead of reports.
 *
 * Atomic: everything is written and fsync'd into
 * DIR/.tmp-<host>-<pid>-XXXXXX,
 * which is then renamed to DIR/NAME (or atomically exchanged with an
 * existing DIR/NAME, whose old content is then removed).  A reader, a
 * batch resuming after a kill, or a merge sees a complete result or
 * none; a killed writer leaves only a .tmp-* directory, which a batch
 * removes (ms_resultdir_sweep). */
#ifndef MS_SCAN_RESULTDIR_H
#define MS_SCAN_RESULTDIR_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/ms_error.h"
#include "common/ms_model.h"
#include "detection/policy.h"
#include "evidence/imgid.h"
#include "report/report.h"

/* NAME for an identity (malloc'd). */
char *ms_resultdir_name(const ms_imgid *id);

/* identity.json's object: version, id, name, files, media sample. */
json_t *ms_resultdir_identity_json(const ms_imgid *id, const char *sample,
                                   uint64_t media_size);

/* Write the result of one scan into dir (created if missing).  formats
 * are written besides report.json (json in the list is not repeated).
 * On success *name_out (if given) gets NAME (malloc'd). */
ms_err ms_resultdir_write(const char *dir, const ms_imgid *id,
                          const char *media_sample, uint64_t media_size,
                          const ms_scan *scan, const ms_report_info *info,
                          const ms_report_format *formats, size_t nformats,
                          char **name_out, char **err_text);

/* Write a duplicate record: identity.json and duplicate.json (the given
 * object, borrowed). */
ms_err ms_resultdir_write_duplicate(const char *dir, const ms_imgid *id,
                                    const char *media_sample,
                                    uint64_t media_size, json_t *dup,
                                    char **err_text);

/* Remove the temporary directories (flat: only files) of writers that
 * are gone: DIR/.tmp-<host>-<pid>-* of this host for `pid`, or with
 * pid 0 for every pid of this host that no longer exists.  Temporary
 * directories of other hosts (shared storage) are left alone. */
void ms_resultdir_sweep(const char *dir, pid_t pid);

/* 1 when DIR/NAME is a complete result whose identity.json carries `id`
 * (the same evidence), 0 otherwise. */
int ms_resultdir_matches(const char *dir, const char *name, const char *id);

#endif
