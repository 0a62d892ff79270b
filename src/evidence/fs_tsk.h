/* fs_tsk.h - file-system backend over libtsk (ext2/3/4, UFS, FAT, ...). */
#ifndef MS_FS_TSK_H
#define MS_FS_TSK_H

#include <tsk/libtsk.h>
#include "evidence/fs.h"

/* Open the file system that starts `offset` bytes into `img`, type
 * auto-detected.  On failure *err_text gets a malloc'd reason. */
ms_err ms_fs_tsk_open(TSK_IMG_INFO *img, uint64_t offset, ms_fs **out,
                      char **err_text);

#endif
