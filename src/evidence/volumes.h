/* volumes.h - find every volume in an image and open its file system.
 *
 * Uses libtsk's volume systems (MBR with extended partitions, GPT, BSD
 * disklabel, Sun, Mac); an image with no partition table is tried as one
 * bare file system.  Any volume holding an LVM2 PV is replaced by its
 * VG's logical volumes, and each linear LV is walked the same way
 * (partition table, PV or file system inside), up to 4 layers deep.  Each volume is appended to scan->volumes, whether or
 * not its file system opened, so the report can say what was NOT examined
 * and why: a volume that fails is a line in the report, never fatal. */
#ifndef MS_VOLUMES_H
#define MS_VOLUMES_H

#include "common/ms_model.h"
#include "evidence/fs.h"
#include "evidence/image.h"

/* Called for each volume whose file system opened.  `vol_index` indexes
 * scan->volumes.  The callee borrows fs; it is closed after the call.
 * A non-MS_OK return stops the walk and is returned. */
typedef ms_err (*ms_volume_cb)(void *user, ms_scan *scan, int vol_index,
                               ms_fs *fs);

ms_err ms_volumes_walk(ms_image *img, ms_scan *scan, ms_volume_cb cb,
                       void *user);

#endif
