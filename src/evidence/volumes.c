#include "evidence/volumes.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "evidence/fs_tsk.h"
#include "evidence/fs_xfs.h"

/* Partition tables hold at most a few hundred entries; more means a
 * corrupt or hostile table, and we stop rather than loop for hours. */
#define MAX_PARTITIONS 1024

/* Layers libtsk 4.11 cannot open, recognised by their signatures so the
 * report can name them instead of printing a generic libtsk error. */
static const char *identify_unsupported(TSK_IMG_INFO *img, uint64_t off,
                                        enum ms_vol_state *state)
{
    unsigned char b[4096];
    ssize_t got = tsk_img_read(img, (TSK_OFF_T)off, (char *)b, sizeof b);
    *state = MS_VOL_NOT_EXAMINED;
    if (got < (ssize_t)sizeof b)
        return NULL;
    if (!memcmp(b + 4086, "SWAPSPACE2", 10) || !memcmp(b + 4086, "SWAP-SPACE", 10)) {
        *state = MS_VOL_NO_FS;
        return "Linux swap space (no file system; not searched)";
    }
    if (!memcmp(b, "LUKS\xba\xbe", 6))
        return "LUKS encrypted volume: cannot be examined without the key";
    if (!memcmp(b + 512, "LABELONE", 8) && !memcmp(b + 536, "LVM2 001", 8))
        return "LVM2 physical volume: not supported by this version";
    if (!memcmp(b, "QFI\xfb", 4))
        return "qcow2 container: libtsk 4.11 reads it as raw bytes";
    return NULL;
}

static ms_err add_volume(ms_scan *scan, const ms_volume *v, int *index)
{
    ms_err rc = ms_grow((void **)&scan->volumes, &scan->volumes_cap,
                        scan->nvolumes + 1, sizeof *scan->volumes);
    if (rc)
        return rc;
    *index = (int)scan->nvolumes;
    scan->volumes[scan->nvolumes] = *v;
    scan->volumes[scan->nvolumes].index = *index;
    scan->nvolumes++;
    return MS_OK;
}

/* libtsk 4.11 has no XFS: libfsxfs reads it.  When libfsxfs refuses a
 * volume that does hold an XFS superblock, its reason replaces libtsk's. */
static void try_xfs(TSK_IMG_INFO *tsk, uint64_t off, ms_fs **fs, char **why)
{
    char *xwhy = NULL;
    ms_err rc = ms_fs_xfs_open(tsk, off, fs, &xwhy);
    if (rc == MS_OK || rc == MS_ERR_UNSUPPORTED) {
        free(*why);
        *why = xwhy;
    } else {
        free(xwhy);
    }
}

/* Try the file system at `off`; record the volume; run cb if it opened. */
static ms_err examine(ms_image *img, ms_scan *scan, ms_volume v,
                      ms_volume_cb cb, void *user)
{
    TSK_IMG_INFO *tsk = ms_image_tsk(img);
    ms_fs *fs = NULL;
    char *why = NULL;
    int index;
    ms_err rc;

    if (ms_fs_tsk_open(tsk, v.offset, &fs, &why) != MS_OK)
        try_xfs(tsk, v.offset, &fs, &why);
    if (fs) {
        v.fs_type = ms_strdup(ms_fs_type(fs));
        v.state = MS_VOL_EXAMINED;
        free(why);
    } else {
        enum ms_vol_state st;
        const char *known = identify_unsupported(tsk, v.offset, &st);
        v.state = st;
        if (known) {
            v.note = ms_strdup(known);
            free(why);
        } else {
            v.note = ms_asprintf("no file system opened: %s",
                                 why ? why : "unknown reason");
            free(why);
        }
    }
    rc = add_volume(scan, &v, &index);
    if (rc) {
        free(v.fs_type);
        free(v.note);
        free(v.vs_type);
        free(v.desc);
    } else if (fs) {
        rc = cb(user, scan, index, fs);
    }
    ms_fs_close(fs);
    return rc;
}

static ms_err walk_vs(ms_image *img, TSK_VS_INFO *vs, ms_scan *scan,
                      ms_volume_cb cb, void *user)
{
    const char *vs_name = tsk_vs_type_toname(vs->vstype);
    TSK_PNUM_T n = vs->part_count < MAX_PARTITIONS ? vs->part_count
                                                   : MAX_PARTITIONS;
    for (TSK_PNUM_T i = 0; i < n; i++) {
        const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
        if (!p || !(p->flags & TSK_VS_PART_FLAG_ALLOC))
            continue; /* tables, extended containers and free space */
        ms_volume v = {0};
        v.offset = (uint64_t)vs->offset + (uint64_t)p->start * vs->block_size;
        v.length = (uint64_t)p->len * vs->block_size;
        v.vs_type = ms_strdup(vs_name ? vs_name : "unknown");
        v.desc = ms_strdup(p->desc ? p->desc : "");
        v.slot = (long)p->addr; /* mmls's entry number */
        ms_err rc = examine(img, scan, v, cb, user);
        if (rc)
            return rc;
    }
    if (vs->part_count > MAX_PARTITIONS)
        ms_scan_add_error(scan, "partition table lists %lu entries; only "
                          "the first %d were examined",
                          (unsigned long)vs->part_count, MAX_PARTITIONS);
    return MS_OK;
}

ms_err ms_volumes_walk(ms_image *img, ms_scan *scan, ms_volume_cb cb,
                       void *user)
{
    TSK_IMG_INFO *tsk = ms_image_tsk(img);
    tsk_error_reset();
    TSK_VS_INFO *vs = tsk_vs_open(tsk, 0, TSK_VS_TYPE_DETECT);
    if (vs) {
        ms_err rc = walk_vs(img, vs, scan, cb, user);
        tsk_vs_close(vs);
        return rc;
    }
    /* No partition table: the image may be a bare file system. */
    ms_volume v = {0};
    v.offset = 0;
    v.length = ms_image_size(img);
    v.vs_type = ms_strdup("none");
    v.desc = ms_strdup("whole image (no partition table)");
    v.slot = -1;
    return examine(img, scan, v, cb, user);
}
