/* tempdirs.h - walk the temp directories where droppers live.
 *
 * Every name under /tmp, /var/tmp, /dev/shm, /run/shm and /usr/tmp is
 * listed (deleted names included, as libtsk still sees them); regular
 * files that are executable (an x bit, or ELF / "#!" magic) are recorded
 * in scan->files with origin MS_ORIGIN_TEMP_DIR for the detection layer.
 * Symlinked directories are not followed (they would lead out of the temp
 * tree); a directory reached twice through aliases is walked once. */
#ifndef MS_TEMPDIRS_H
#define MS_TEMPDIRS_H

#include <stddef.h>
#include "common/ms_model.h"
#include "evidence/fs.h"

typedef struct ms_walk_limits {
    unsigned max_depth;   /* directory levels below a temp dir */
    size_t   max_entries; /* names listed per volume, all temp dirs */
} ms_walk_limits;

ms_err ms_tempdirs_collect(ms_fs *fs, ms_scan *scan, int volume,
                           const ms_walk_limits *lim);

#endif
