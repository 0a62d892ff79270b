/* fs_ident.h - a file system's UUID and label, where cheaply readable.
 *
 * Read straight from the superblock (ext2/3/4, XFS) so the report can
 * name a volume the way blkid and /etc/fstab do. */
#ifndef MS_FS_IDENT_H
#define MS_FS_IDENT_H

#include <stdint.h>
#include <tsk/libtsk.h>

/* Sets *uuid / *label (malloc'd) or leaves them NULL.  fs_type is the
 * backend's type name ("ext4", "xfs" ...). */
void ms_fs_ident(TSK_IMG_INFO *img, uint64_t off, const char *fs_type,
                 char **uuid, char **label);

/* ext2/3/4 superblock times: last write (s_wtime), last mount (s_mtime),
 * 0 when unknown or not ext; *clean 1 when the file system was unmounted
 * cleanly (valid state, no journal recovery pending), the only case in
 * which nothing can have been written after s_wtime. */
void ms_fs_ident_times(TSK_IMG_INFO *img, uint64_t off, const char *fs_type,
                       int64_t *wtime, int64_t *mtime, int *clean);

#endif
