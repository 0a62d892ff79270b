/* fs_open.h - open whatever file system starts at an offset.
 *
 * Backends are tried in a fixed order (libtsk first, then backends for
 * file systems libtsk 4.11 lacks) so volumes.c never names a backend. */
#ifndef MS_FS_OPEN_H
#define MS_FS_OPEN_H

#include <tsk/libtsk.h>
#include "evidence/fs.h"

/* Open the file system at off in img.  On failure *fs_type_err gets a
 * malloc'd reason combining what each backend said. */
ms_err ms_fs_open_any(TSK_IMG_INFO *img, uint64_t off, ms_fs **out,
                      char **fs_type_err);

#endif
