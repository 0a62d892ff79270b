/* ms_coverage.h - the triage locations a scan looked at (ms_coverage in
 * ms_model.h): appending, naming, freeing.  artifacts/coverage.h fills
 * them where the collectors look locations up. */
#ifndef MS_COVERAGE_H
#define MS_COVERAGE_H

#include "common/ms_error.h"
#include "common/ms_model.h"

/* Append a record for `path` (copied) and return its index. */
ms_err ms_coverage_add(ms_scan *scan, int system_volume, int volume,
                       const char *kind, const char *path, size_t *index);

/* Set a record's state and reason; `reason` is taken (freed here; NULL
 * clears it). */
void ms_coverage_set(ms_scan *scan, size_t index, enum ms_cov_state state,
                     char *reason);

/* "read" "absent" "unreadable" "partial" */
const char *ms_cov_state_name(enum ms_cov_state s);

/* A location kind in words: "temp directory", "crontab" ... */
const char *ms_cov_kind_words(const char *kind);

/* Not (fully) read: UNREADABLE or PARTIAL. */
int ms_cov_not_read(const ms_coverage *c);

void ms_coverage_free(ms_scan *scan);

#endif
