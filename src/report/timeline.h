/* timeline.h - one sorted list of every recorded time of the reported files.
 *
 * The timeline is what an examiner reads first after the verdict: when was
 * the dropper written, when did cron last touch it.  It holds one entry per
 * recorded time (m, a, c, b, d) of every ms_scan.files entry that exists in
 * the image (not `missing`) and of every crontab file.  The order is total
 * on the visible fields, so the same scan always gives the same output. */
#ifndef MS_TIMELINE_H
#define MS_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"
#include "common/ms_model.h"

typedef struct ms_tl_entry {
    int64_t     sec;
    uint32_t    nsec;
    char        event;    /* 'm' 'a' 'c' 'b' 'd' (mtime atime ctime crtime
                             dtime) */
    int         volume;
    const char *path;     /* borrowed from the scan, never NULL ("" when the
                             scan had none); valid while the scan lives */
    uint64_t    inode;
    int         has_inode;
    const char *source;   /* "finding" | "examined" | "crontab" (static) */
    int         verdict;  /* enum ms_severity of the file, -1 for crontab */
    long        file_index;    /* index into scan.files, or -1 */
    long        crontab_index; /* index into scan.crontabs, or -1 */
    const char *recovered; /* "journal" when the item's content was
                              recovered from the ext journal, else NULL */
} ms_tl_entry;

/* Build the sorted timeline of `scan`.  Sort key: sec, nsec, path bytes
 * (unsigned), event in the order m a c b d, then volume, inode, source,
 * verdict.  Times that are not set, or malformed (nsec >= 10^9), are left
 * out.  A file is a "finding" when its verdict is suspicious or malicious,
 * else "examined".  On success *out is a malloc'd array of *n entries that
 * the caller frees with ms_timeline_free() (it may be NULL when *n == 0). */
ms_err ms_timeline_build(const ms_scan *scan, ms_tl_entry **out, size_t *n);

void ms_timeline_free(ms_tl_entry *entries);

/* The event letter of a time kind ('m' for MS_T_MTIME ...), '?' if out of
 * range. */
char ms_timeline_event(enum ms_time_kind kind);

#endif
