/* volset.h - every file system of an image open at once.
 *
 * The volume walk (volumes.h) normally hands each file system to a
 * callback and closes it.  Resolving a server's paths across its
 * partitions and LVs needs them all open together: ms_volumes_open_all()
 * walks the image like ms_volumes_walk() (every volume is added to the
 * scan the same way) but keeps each opened file system, and the images
 * of the LVs and repaired ext views beneath it, until ms_volset_free(). */
#ifndef MS_VOLSET_H
#define MS_VOLSET_H

#include "common/ms_model.h"
#include "evidence/fs.h"
#include "evidence/image.h"
#include "evidence/volumes.h"

typedef struct ms_volset ms_volset;

/* Bound on file systems kept open; volumes past it are walked with the
 * plain callback walk (see scan.c). */
#define MS_VOLSET_MAX 512

/* Volumes past MS_VOLSET_MAX go to cb (as ms_volumes_walk would). */
ms_err ms_volumes_open_all(ms_image *img, ms_scan *scan, ms_volume_cb cb,
                           void *user, ms_volset **out);

size_t ms_volset_count(const ms_volset *s);
/* The i-th file system (0 <= i < count) and its volume index. */
ms_fs *ms_volset_fs(const ms_volset *s, size_t i);
int    ms_volset_volume(const ms_volset *s, size_t i);

/* What has to happen after the scan reported the volume's files (the
 * journal-replay comparison of ext_view.h); once per entry. */
ms_err ms_volset_finish(ms_volset *s, size_t i, ms_scan *scan);

void ms_volset_free(ms_volset *s);

/* ---- for volumes.c only ---- */
struct TSK_IMG_INFO;
struct ms_ext_view;
/* Take fs and the view (moved: *xv is zeroed) of volume `vol`, read from
 * img at off (borrowed; kept alive by the set when it is an LV's). */
ms_err ms_volset_keep_fs(ms_volset *s, int vol, ms_fs *fs,
                         struct ms_ext_view *xv, struct TSK_IMG_INFO *img,
                         uint64_t off);
/* Take an image (an LV's, the top view) to close after the file systems. */
ms_err ms_volset_keep_img(ms_volset *s, struct TSK_IMG_INFO *img);

#endif
