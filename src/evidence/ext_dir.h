/* ext_dir.h - linear-time listing of an ext2/3/4 directory.
 *
 * libtsk's tsk_fs_dir_open adds every name through tsk_fs_dir_add, which
 * compares it with every name already listed: n names cost n^2 string
 * comparisons (a flat /tmp of a million PHP session files never finishes).
 * This module reads the directory's own bytes (tsk_fs_file_read on the
 * directory inode, so extents, block maps and overlays are honoured) and
 * parses the entries itself with the same acceptance rules libtsk's ext
 * parser uses, live names and deleted names found in rec_len slack alike,
 * so the listing holds the same (name, inode, allocated) set.  Duplicates
 * (a deleted copy of a live name) are dropped with a radix-sorted array
 * of the live names' keys and a hash set of the deleted names delivered,
 * instead of a linear search. */
#ifndef MS_EXT_DIR_H
#define MS_EXT_DIR_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* One entry: `tf` is a TSK_FS_FILE whose name (and meta when the inode
 * could be loaded) are filled exactly as tsk_fs_dir_get fills them.  It
 * is lent for the call only: the listing reuses it for the next name, so
 * the callback must neither close it nor keep pointers into it.
 * Non-zero stops the listing. */
typedef int (*ms_ext_dir_cb)(void *user, TSK_FS_FILE *tf);

/* Work counters, for tests that the listing stays linear. */
typedef struct ms_ext_dir_stats {
    uint64_t entries;     /* entries delivered */
    uint64_t candidates;  /* entries accepted by the parser */
    uint64_t probes;      /* hash-set slots plus binary-search steps */
    uint64_t blocks;      /* directory blocks parsed */
} ms_ext_dir_stats;

/* 1 when `dir` (an opened directory) is served by this module: an
 * ext2/3/4 directory whose entries live in blocks (not inline data). */
int ms_ext_dir_applies(TSK_FS_FILE *dir);

/* List `dir`.  At most max_entries are delivered (MS_ERR_LIMIT after).
 * "." and ".." are skipped.  stats may be NULL.  Only the first 1 GiB of
 * a directory is read (25 million names). */
ms_err ms_ext_dir_list(TSK_FS_FILE *dir, ms_ext_dir_cb cb, void *user,
                       size_t max_entries, ms_ext_dir_stats *stats);

#endif
