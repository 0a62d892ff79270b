/* ext_recover.h - recover deleted ext3/ext4 files through the journal.
 *
 * The kernel zeroes a deleted inode's size and block map, but the jbd2
 * journal often still holds an older copy of the inode-table block.  For a
 * deleted inode we locate its inode-table block (superblock and group
 * descriptors parsed here, bounds-checked), take the journal copies of
 * that block newest first, pick the first copy that shows the same inode
 * alive (links > 0, no dtime, same generation), walk its extent tree or
 * block pointers (bounded) and, if every data block is unallocated now,
 * read the content.  libtsk serves all reads; nothing is written. */
#ifndef MS_EXT_RECOVER_H
#define MS_EXT_RECOVER_H

#include <stdint.h>
#include <tsk/libtsk.h>

#include "common/ms_error.h"
#include "evidence/fs.h"

typedef struct ms_ext_ctx ms_ext_ctx;

/* Lazily built per file system: geometry and, when there is a readable
 * journal, the journal map.  MS_ERR_UNSUPPORTED (with *why explaining)
 * for non-ext file systems or an unusable superblock. */
ms_err ms_ext_ctx_open(TSK_FS_INFO *fs, ms_ext_ctx **out, char **why);
void   ms_ext_ctx_free(ms_ext_ctx *c);

/* Recover deleted `inode`'s content; see ms_fs_ops.recover_deleted. */
ms_err ms_ext_recover(ms_ext_ctx *c, uint64_t inode, uint64_t max_bytes,
                      ms_recovered **out, char **why);

/* Older versions of a live inode's content: journal copies of the inode
 * that point at blocks which are all unallocated now (the current content
 * lives in allocated blocks, so it never shows up here), newest first,
 * identical contents once.  At most max_out into out[]; *nout set.  No
 * journal or no copy is not an error (*nout = 0). */
ms_err ms_ext_recover_versions(ms_ext_ctx *c, uint64_t inode,
                               uint64_t max_bytes, ms_recovered **out,
                               size_t max_out, size_t *nout);

/* Block group of inode number n (is_inode) or of block n; UINT64_MAX when
 * out of range. */
uint64_t ms_ext_group_of(const ms_ext_ctx *c, int is_inode, uint64_t n);

#endif
