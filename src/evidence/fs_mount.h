/* fs_mount.h - a file system seen at the place it is mounted.
 *
 * Servers often keep /var on a partition of its own.  Its root then holds
 * spool/, tmp/, log/ ..., while the collectors ask for the system paths
 * /var/spool/cron/crontabs and /var/tmp.  A mount view translates system
 * paths under its prefix to the file system's own paths and answers
 * "not found" for everything else, so the collectors, the resolver and
 * the reports work with the paths the running server had. */
#ifndef MS_FS_MOUNT_H
#define MS_FS_MOUNT_H

#include "evidence/fs.h"

/* A view of `inner` mounted at `prefix` (absolute, normalized, not "/").
 * The view borrows inner (close the view first, then inner). */
ms_err ms_fs_mount_view(ms_fs *inner, const char *prefix, ms_fs **out);

/* Where a file system looks mounted from its own root directory, or NULL
 * for "the root file system or unknown".  Recognises a /var partition: a
 * root holding spool/ and log/, lib/, cache/ or tmp/, but no etc/, usr/
 * or bin/.  A heuristic: the volume list says it was inferred. */
const char *ms_fs_guess_mount(ms_fs *fs);

/* 1 if `path` (a system path) can lie on fs; 0 for a path outside a mount
 * view's prefix (it is on another file system). */
int ms_fs_covers(const ms_fs *fs, const char *path);

/* The view's prefix, or "/" for a file system that is not a view. */
const char *ms_fs_mount_point(const ms_fs *fs);

#endif
