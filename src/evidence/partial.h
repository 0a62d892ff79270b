/* partial.h - what damaged or truncated evidence cost.
 *
 * The tolerant image view (tolerant.h) reads missing media as zeros and
 * lists it.  This module turns that list into the report: each range with
 * the volumes and recorded files it touches, volumes and files marked
 * partial, and the scan flagged as examined from incomplete evidence. */
#ifndef MS_PARTIAL_H
#define MS_PARTIAL_H

#include "common/ms_model.h"
#include "evidence/fs.h"
#include "evidence/tolerant.h"

/* (file, media offset) pairs: which file touched which range. */
typedef struct ms_partial_hit {
    size_t   file;
    uint64_t off;
} ms_partial_hit;

typedef struct ms_partial {
    ms_partial_hit *h;
    size_t n, cap;
} ms_partial;

/* While volume `vol`'s file system is open: mark the recorded files of
 * that volume whose content blocks lie in a range of `bad` (reason
 * PARTIAL_CONTENT).  Needs a backend that maps file blocks and a file
 * system opened at the volume's own image offset (not inside an LVM LV);
 * otherwise only the volume is marked. */
ms_err ms_partial_mark_files(ms_fs *fs, ms_scan *scan, int vol,
                             const ms_badlist *bad, ms_partial *hits);

/* While volume `vol`'s file system is open: a triage location of that
 * volume (ms_scan.coverage) whose directory or file blocks lie in a
 * range of `bad` becomes UNREADABLE (its names or lines there are
 * missing); when the blocks cannot be mapped to media (no extents, an LV)
 * a location on a volume that touches `bad` becomes PARTIAL. */
ms_err ms_partial_mark_coverage(ms_fs *fs, ms_scan *scan, int vol,
                                const ms_badlist *bad);

/* After the walk: scan->unreadable from `bad`, volumes touching a range
 * marked partial, files attached from `hits`, evidence_incomplete set
 * when anything was unreadable. */
ms_err ms_partial_finish(ms_scan *scan, const ms_badlist *bad,
                         const ms_partial *hits);

void ms_partial_free(ms_partial *p);

#endif
