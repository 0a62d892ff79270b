/* systems.h - the installed systems of an image, each scanned through
 * its own mount namespace.
 *
 * Every file system of the image is opened at once (evidence/volset.h).
 * A file system with a root's /etc is a system; its mount table
 * (artifacts/mounttab.h) maps the server's mount points to volumes of the
 * image, and a namespace (evidence/fs_ns.h) over them is what the
 * collectors read: crontabs on the /var LV, programs on the /home LV and
 * the temp directories are found where the running server had them.
 * Each volume's files are then analyzed through a view at its mount
 * point.  A system without an fstab, and volumes no mount table claims,
 * are examined on their own as before, with the content-based guess of
 * fs_mount.h. */
#ifndef MS_SYSTEMS_H
#define MS_SYSTEMS_H

#include "common/ms_model.h"
#include "evidence/fs.h"
#include "evidence/image.h"
#include "evidence/volumes.h"

typedef struct ms_ns_hooks {
    void *user;
    /* the collectors (host identity, crontabs, temp dirs) on fs, which
     * may be a namespace, for the system whose root is volume vol */
    ms_err (*collect)(void *user, ms_scan *scan, int vol, ms_fs *fs);
    /* analysis of volume vol's files through fs (its mount view) */
    ms_err (*analyze)(void *user, ms_scan *scan, int vol, ms_fs *fs,
                      ms_fs *raw);
    /* a volume examined on its own */
    ms_volume_cb on_volume;
} ms_ns_hooks;

ms_err ms_systems_walk(ms_image *img, ms_scan *scan, const ms_ns_hooks *h);

#endif
