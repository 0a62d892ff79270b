/* fs_xfs.h - file-system backend for XFS (v4 and v5) over libfsxfs.
 *
 * libtsk 4.11 has no XFS support; libfsxfs reads directories, inodes and
 * content through a libbfio handle whose callbacks read the image with
 * tsk_img_read, so an XFS inside a partition of an E01 works like a bare
 * one.  Inode timestamps are decoded from disk by xfs_disk.c because
 * Debian's libfsxfs does not know the bigtime encoding.
 *
 * Limitation: libfsxfs lists allocated directory entries only, so deleted
 * names in an XFS directory are not reported (list_dir never sets
 * `deleted`); open_inode still reaches any inode by number.  A name
 * libfsxfs cannot decode as UTF-8 is listed as "[undecodable name, inode
 * N]" rather than hidden. */
#ifndef MS_FS_XFS_H
#define MS_FS_XFS_H

#include <tsk/libtsk.h>
#include "evidence/fs.h"

/* Open the XFS file system that starts `offset` bytes into `img`.
 * On failure *err_text gets a malloc'd reason and the result tells the
 * caller whose reason to report: MS_ERR_FORMAT when there is no XFS
 * superblock at all, MS_ERR_UNSUPPORTED when there is one but its geometry
 * is impossible or libfsxfs refuses it. */
ms_err ms_fs_xfs_open(TSK_IMG_INFO *img, uint64_t offset, ms_fs **out,
                      char **err_text);

#endif
