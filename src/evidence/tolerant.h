/* tolerant.h - read what can be read of damaged or truncated evidence.
 *
 * A tolerant view presents an image to libtsk as a TSK_IMG_INFO that never
 * fails a read: a range the underlying image cannot deliver (a read error,
 * an E01 chunk that is missing, bytes past the end of a truncated copy)
 * reads as zeros and is recorded in a bad-range list, so a partition table
 * and the partitions that are present are examined, and the report can
 * say exactly which media bytes were not there. */
#ifndef MS_TOLERANT_H
#define MS_TOLERANT_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* The list is bounded: past MS_BADLIST_MAX ranges a new range is merged
 * into its nearest neighbour (the list then over-states what is missing,
 * never under-states it) and `coarsened` is set. */
#define MS_BADLIST_MAX 4096

typedef struct ms_badrange {
    uint64_t    off, len;   /* media bytes */
    const char *cause;      /* static string */
} ms_badrange;

typedef struct ms_badlist {
    ms_badrange *r;         /* sorted by off, disjoint, merged */
    size_t       n, cap;
    int          coarsened;
} ms_badlist;

/* Causes (static strings, also used by the report). */
#define MS_BAD_PAST_END   "beyond the end of the image (truncated copy)"
#define MS_BAD_READ_ERROR "read error"
#define MS_BAD_EWF_CHUNK  "E01 chunk missing or damaged"

/* Record [off, off+len): merged with overlapping or adjacent ranges of the
 * same cause.  Allocation failure coarsens instead of losing the range. */
void ms_badlist_add(ms_badlist *b, uint64_t off, uint64_t len,
                    const char *cause);
/* Bytes of [off, off+len) that lie in a recorded range. */
uint64_t ms_badlist_overlap(const ms_badlist *b, uint64_t off, uint64_t len);
void ms_badlist_free(ms_badlist *b);

/* A view of `under` (borrowed: it must outlive the view) of `size` bytes,
 * which may exceed under's size.  Bytes past under's end read as zeros
 * and, when `bad` is non-NULL, [under size, size) is recorded at once;
 * failed reads inside read as zeros and are recorded (in 4 KiB granules)
 * as they happen.  `bad` (borrowed, may be NULL) must outlive the view. */
ms_err ms_tolerant_open(TSK_IMG_INFO *under, uint64_t size, ms_badlist *bad,
                        TSK_IMG_INFO **out);

#endif
