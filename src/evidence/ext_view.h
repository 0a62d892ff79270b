/* ext_view.h - examine an ext2/3/4 volume as e2fsck would repair it for
 * reading, without writing the evidence.
 *
 * Two situations hide what an examiner needs:
 *  - the primary superblock (and maybe the group descriptor table) is
 *    damaged while the backups are intact: the volume is read through a
 *    validated backup (ext_backup_sb.h), like `e2fsck -b`;
 *  - the superblock says the journal needs recovery: the newest changes
 *    exist only in the journal, and the volume is read as the kernel
 *    would see it after replay (ext_replay.h).
 * Both are in-memory overlays (overlay.h) over the volume's bytes.  After
 * the replayed view was examined, ms_ext_view_diff() compares it with the
 * on-disk view: which blocks and inodes the replay changed, and for every
 * file and crontab the scan reported in the volume, whether and how it
 * differs (reason JOURNAL_REPLAY_CHANGED). */
#ifndef MS_EXT_VIEW_H
#define MS_EXT_VIEW_H

#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"
#include "common/ms_model.h"
#include "evidence/ext_replay.h"
#include "evidence/fs.h"

typedef struct ms_ext_view {
    TSK_IMG_INFO *view;     /* the volume to examine (byte 0 = volume
                               start), or NULL: examine it as it is */
    TSK_IMG_INFO *ondisk;   /* the on-disk view through the backup
                               superblock, or NULL: the volume itself */
    char *stack_suffix;     /* e.g. "backup superblock at block 32768" */
    char *note;             /* what was done and what differed */
    int   backup_used;
    uint64_t backup_block;
    int   replayed;
    ms_ext_replay rp;       /* the replay set's block numbers, for the
                               diff (its data lives in the overlay) */
} ms_ext_view;

/* Decide and build the view of the volume at off (len bytes) of img.
 * scan_backups: also look for backup superblocks when the primary has no
 * ext magic at all (the caller found no other file system there).
 * MS_OK with v->view NULL when there is nothing to do. */
ms_err ms_ext_view_open(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                        int scan_backups, ms_ext_view *v);

/* After a replayed view was examined as volume `vol` through `fs`:
 * extend the volume's note with the changed blocks and inodes, and add
 * JOURNAL_REPLAY_CHANGED to every file and crontab of the volume that
 * differs from the on-disk view. */
ms_err ms_ext_view_diff(ms_ext_view *v, TSK_IMG_INFO *img, uint64_t off,
                        ms_scan *scan, int vol, ms_fs *fs);

void ms_ext_view_free(ms_ext_view *v);

#endif
