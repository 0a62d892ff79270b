/* coverage.h - the one place where the collectors record which triage
 * locations (temp directories, crontabs and crontab directories) they
 * read, per system (ms_coverage, common/ms_model.h).
 *
 * A collector looks a location up through ms_cov_dir / ms_cov_file
 * instead of resolving it itself: the call resolves the path inside the
 * image, records the location as read, absent or unreadable (with the
 * reason: a damaged inode, a parent that cannot be listed, a file system
 * that is not in the image) and returns the resolved path to list or
 * read.  After listing, ms_cov_listed records a bound reached or a
 * listing that failed.  Blocks in unreadable media are found after the
 * walk (evidence/partial.h, ms_partial_mark_coverage). */
#ifndef MS_COVERAGE_ART_H
#define MS_COVERAGE_ART_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_model.h"
#include "evidence/fs.h"

/* Look up directory `path` for system volume `vol`.  On MS_OK, *resolved
 * is the directory to list (malloc'd) or NULL when it was recorded absent
 * or unreadable; *slot is the record's index either way. */
ms_err ms_cov_dir(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                  const char *kind, char **resolved, size_t *slot);

/* Look up regular file `path`; on MS_OK *resolved is the file to read or
 * NULL (recorded absent or unreadable, e.g. a first block that cannot be
 * read). */
ms_err ms_cov_file(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                   const char *kind, char **resolved, size_t *slot);

/* The outcome of listing the location (or one of its subdirectories):
 * rc of ms_fs_list_dir, names delivered, and for MS_ERR_LIMIT the bound.
 * `where` is the directory listed (the location itself or below it). */
void ms_cov_listed(ms_scan *scan, size_t slot, const char *where, ms_err rc,
                   uint64_t names, size_t bound);

/* Record a partial read of the location with a reason (taken): a depth
 * bound, a subdirectory not descended.  The first reason is kept. */
void ms_cov_partial(ms_scan *scan, size_t slot, char *reason);

/* An alias (the same directory reached through another path): the record
 * copies `of`'s state. */
void ms_cov_alias(ms_scan *scan, size_t slot, size_t of);

#endif
