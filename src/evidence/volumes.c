#include "evidence/volumes.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "evidence/fs_ident.h"
#include "evidence/ext_view.h"
#include "evidence/fs_open.h"
#include "evidence/gpt_ids.h"
#include "evidence/lvm.h"
#include "evidence/qcow_snap.h"
#include "evidence/volset.h"

/* Partition tables hold at most a few hundred entries; more means a
 * corrupt or hostile table, and we stop rather than loop for hours. */
#define MAX_PARTITIONS 1024

/* LVs inside LVs: legal but rare; four levels bound the recursion on a
 * hostile image whose LV maps onto its own PV label. */
#define MAX_LV_DEPTH 4

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
    if (!memcmp(b, "QFI\xfb", 4))
        return "qcow2 container inside a volume: not decoded";
    return NULL;
}

/* btrfs keeps its superblock at 64 KiB, beyond identify_unsupported's
 * window. */
static int is_btrfs(TSK_IMG_INFO *img, uint64_t off)
{
    char m[8];
    return tsk_img_read(img, (TSK_OFF_T)(off + 65536 + 64), m, 8) == 8 &&
           !memcmp(m, "_BHRfS_M", 8);
}

/* One level of the stack: the whole image, or an LV read through it. */
typedef struct layer {
    TSK_IMG_INFO *img;
    const char   *stack;      /* how this layer was reached */
    int           depth;
    uint64_t      base;       /* image offset of this layer's byte 0 */
    const char   *whole_vs;   /* vs_type/desc/uuid when the layer holds */
    const char   *whole_desc; /* no partition table */
    const char   *whole_uuid;
    const char   *whole_label;
    int           hidden;     /* an LVM-internal LV: no fs expected */
    uint64_t      real_end;   /* top layer over a truncated copy: where the
                                 image really ends; 0 otherwise */
    const char   *lv_name;    /* the LV this layer is, or NULL */
} layer;

typedef struct walker {
    ms_scan     *scan;
    ms_volume_cb cb;
    void        *user;
    ms_volset   *keep;        /* keep file systems open (volset.h) */
} walker;

/* A volume of a layer before it is examined. */
typedef struct cand {
    uint64_t  off, len;       /* in layer coordinates */
    char     *vs_type, *desc, *stack;
    long      slot;
    int       is_pv;
    ms_lvm_pv pv;
    ms_err    pv_rc;
    char     *pv_err;
    int       vg_done;
} cand;

static void cand_clear(cand *c)
{
    free(c->vs_type);
    free(c->desc);
    free(c->stack);
    free(c->pv_err);
    ms_lvm_pv_free(&c->pv);
}

static void volume_clear(ms_volume *v)
{
    free(v->vs_type);
    free(v->desc);
    free(v->fs_type);
    free(v->note);
    free(v->stack);
    free(v->uuid);
    free(v->label);
    free(v->lvm_vg);
    free(v->lvm_lv);
    free(v->part_uuid);
    free(v->part_label);
}

static ms_err add_volume(ms_scan *scan, ms_volume *v, int *index)
{
    ms_err rc = ms_grow((void **)&scan->volumes, &scan->volumes_cap,
                        scan->nvolumes + 1, sizeof *scan->volumes);
    if (rc) {
        volume_clear(v);
        return rc;
    }
    *index = (int)scan->nvolumes;
    scan->volumes[scan->nvolumes] = *v;
    scan->volumes[scan->nvolumes].index = *index;
    scan->nvolumes++;
    return MS_OK;
}

static ms_err walk_layer(walker *w, const layer *L);

/* Try the file systems at c->off; record the volume; run cb if it opened.
 * An ext volume with a damaged primary superblock or a journal needing
 * recovery is examined through an in-memory view (ext_view.h). */
static ms_err examine(walker *w, const layer *L, const cand *c)
{
    ms_volume v = {0};
    ms_fs *fs = NULL;
    char *why = NULL;
    int index;
    ms_err rc;
    ms_ext_view xv;
    TSK_IMG_INFO *img = L->img;
    uint64_t off = c->off;

    v.offset = L->base + c->off;
    v.length = c->len;
    v.vs_type = ms_strdup(c->vs_type);
    v.desc = ms_strdup(c->desc);
    v.slot = c->slot;
    rc = ms_ext_view_open(L->img, c->off, c->len, 0, &xv);
    if (rc)
        goto _exit;
    if (xv.view) {
        img = xv.view;
        off = 0;
    }
    int opened = ms_fs_open_any(img, off, &fs, &why) == MS_OK;
    if (!opened && xv.view) {
        /* the view does not open: examine the volume as it is rather
         * than lose it, and say so */
        char *why2 = NULL;
        if (ms_fs_open_any(L->img, c->off, &fs, &why2) == MS_OK) {
            opened = 1;
            img = L->img;
            off = c->off;
            ms_scan_add_error(w->scan, "volume at offset %llu: the repaired "
                              "ext view (%s) could not be opened (%s); "
                              "examined as on disk",
                              (unsigned long long)(L->base + c->off),
                              xv.stack_suffix ? xv.stack_suffix : "?",
                              why ? why : "unknown reason");
            ms_ext_view_free(&xv);
        }
        free(why2);
    }
    if (!opened && !xv.view) {
        /* nothing opened: an ext file system whose primary superblock
         * lost even its magic may still have intact backups */
        ms_ext_view_free(&xv);
        rc = ms_ext_view_open(L->img, c->off, c->len, 1, &xv);
        if (rc)
            goto _exit;
        if (xv.view) {
            char *why2 = NULL;
            if (ms_fs_open_any(xv.view, 0, &fs, &why2) == MS_OK) {
                opened = 1;
                img = xv.view;
                off = 0;
            }
            free(why2);
        }
    }
    if (opened) {
        v.fs_type = ms_strdup(ms_fs_type(fs));
        v.state = MS_VOL_EXAMINED;
        v.stack = xv.stack_suffix
            ? ms_asprintf("%s > %s (%s)", c->stack, v.fs_type, xv.stack_suffix)
            : ms_asprintf("%s > %s", c->stack, v.fs_type);
        if (xv.note) {
            v.note = xv.note;
            xv.note = NULL;
        }
        ms_fs_ident(img, off, v.fs_type, &v.uuid, &v.label);
        ms_fs_ident_times(img, off, v.fs_type, &v.fs_last_write,
                          &v.fs_last_mount, &v.fs_clean);
    } else {
        enum ms_vol_state st;
        const char *known = identify_unsupported(L->img, c->off, &st);
        if (!known && is_btrfs(L->img, c->off))
            known = "btrfs file system: not supported by this version";
        v.state = st;
        if (known)
            v.note = ms_strdup(known);
        else
            v.note = ms_asprintf("no file system opened: %s",
                                 why ? why : "unknown reason");
        if (L->hidden && v.state == MS_VOL_NOT_EXAMINED && !known) {
            /* Pool data, COW stores and RAID metadata hold no file system
             * of their own; their data is reported through the LV that
             * uses them. */
            free(v.note);
            v.note = ms_strdup("LVM-internal LV (part of another LV): no "
                               "file system of its own");
            v.state = MS_VOL_NO_FS;
        }
        v.stack = ms_strdup(c->stack);
    }
    if (L->real_end && v.offset + v.length > L->real_end) {
        /* the table reaches past the end of a truncated copy */
        const char *what = v.offset >= L->real_end
            ? "lies beyond the end of the image (truncated copy): none of "
              "it is present"
            : "extends beyond the end of the image (truncated copy): the "
              "part present was examined";
        char *n = v.note ? ms_asprintf("%s; %s", what, v.note)
                         : ms_strdup(what);
        free(v.note);
        v.note = n;
    }
    if (c->slot < 0) {
        if (!v.uuid && L->whole_uuid)
            v.uuid = ms_strdup(L->whole_uuid);
        /* a VG name is no file-system label: only without a file system */
        if (!v.label && L->whole_label && v.state != MS_VOL_EXAMINED)
            v.label = ms_strdup(L->whole_label);
    }
    free(why);
    why = NULL;
    if (c->vs_type && !strcmp(c->vs_type, "gpt"))
        ms_gpt_entry_ids(L->img, c->off, &v.part_uuid, &v.part_label);
    if (c->slot < 0 && L->lv_name && L->whole_label) {
        v.lvm_vg = ms_strdup(L->whole_label);
        v.lvm_lv = ms_strdup(L->lv_name);
    }
    rc = add_volume(w->scan, &v, &index);
    if (rc == MS_OK && fs && w->keep) {
        rc = ms_volset_keep_fs(w->keep, index, fs, &xv, L->img, c->off);
        if (rc == MS_OK) {
            fs = NULL;
            goto _kept;
        }
        if (rc == MS_ERR_LIMIT && w->cb)
            rc = MS_OK;     /* past the bound: examined on its own */
    }
    if (rc == MS_OK && fs && w->cb)
        rc = w->cb(w->user, w->scan, index, fs);
    /* what the journal replay changed, once the scan reported its files */
    if (rc == MS_OK && fs && xv.replayed)
        rc = ms_ext_view_diff(&xv, L->img, c->off, w->scan, index, fs);
_kept:
    ms_fs_close(fs);
    ms_ext_view_free(&xv);
    return rc;
_exit:
    volume_clear(&v);
    return rc;
}

/* A volume that is described but not read. */
static ms_err add_described(walker *w, uint64_t off, uint64_t len,
                            long slot, const char *vs_type, const char *desc,
                            const char *stack, const char *uuid,
                            const char *label, enum ms_vol_state st,
                            char *note /* taken */)
{
    ms_volume v = {0};
    int index;
    v.offset = off;
    v.length = len;
    v.vs_type = ms_strdup(vs_type);
    v.desc = ms_strdup(desc);
    v.slot = slot;
    v.state = st;
    v.note = note;
    v.stack = ms_strdup(stack);
    v.uuid = uuid ? ms_strdup(uuid) : NULL;
    v.label = label ? ms_strdup(label) : NULL;
    return add_volume(w->scan, &v, &index);
}

/* The newest metadata of the VG `vg` among this layer's PVs. */
static const ms_lvm_vg *newest_vg(const cand *cs, size_t n, const ms_lvm_vg *vg)
{
    for (size_t i = 0; i < n; i++) {
        const ms_lvm_vg *o = cs[i].is_pv ? cs[i].pv.vg : NULL;
        if (o && o->uuid && vg->uuid && !strcmp(o->uuid, vg->uuid) &&
            o->seqno > vg->seqno)
            vg = o;
    }
    return vg;
}

static ms_err walk_lv(walker *w, const layer *L, const ms_lvm_vg *vg,
                      const ms_lvm_lv *lv, const ms_lvm_pvloc *locs,
                      size_t nlocs, const char *vg_stack, uint64_t pv_off)
{
    TSK_IMG_INFO *img = NULL;
    uint64_t first = 0;
    char *why = NULL, *kind = ms_lvm_lv_kind(lv);
    char *stack = ms_asprintf("%s > LV %s", vg_stack, lv->name);
    char *desc = ms_asprintf("LVM2 LV %s in VG %s (%s%s)", lv->name,
                             vg->name, kind ? kind : "?",
                             lv->visible ? "" : ", hidden");
    uint64_t size = ms_lvm_lv_size(vg, lv);
    ms_err rc = MS_ERR_NOMEM;

    if (!kind || !stack || !desc)
        goto _exit;
    if (L->depth >= MAX_LV_DEPTH) {
        rc = add_described(w, pv_off, size, -1, "lvm", desc, stack, lv->uuid,
                           vg->name, MS_VOL_NOT_EXAMINED,
                           ms_asprintf("LV '%s' not examined: LVs nested "
                                       "more than %d deep", lv->name,
                                       MAX_LV_DEPTH));
        goto _exit;
    }
    rc = ms_lvm_lv_open(L->img, vg, lv, locs, nlocs, &img, &first, &why);
    if (rc == MS_ERR_NOMEM)
        goto _exit;
    if (rc) {
        rc = add_described(w, pv_off, size, -1, "lvm", desc, stack, lv->uuid,
                           vg->name, MS_VOL_NOT_EXAMINED, why);
        why = NULL;
        goto _exit;
    }
    layer child = { img, stack, L->depth + 1, L->base + first, "lvm", desc,
                    lv->uuid, vg->name, !lv->visible, 0, lv->name };
    rc = walk_layer(w, &child);
    if (w->keep && img && ms_volset_keep_img(w->keep, img) == MS_OK)
        img = NULL;     /* its file systems are still open */
_exit:
    if (img)
        tsk_img_close(img);
    free(why);
    free(kind);
    free(stack);
    free(desc);
    return rc;
}

/* Report the VG's LVs right after the first of its PVs. */
static ms_err walk_vg(walker *w, const layer *L, cand *cs, size_t n,
                      const ms_lvm_vg *vg, const cand *first)
{
    ms_lvm_pvloc *locs = calloc(vg->npvs ? vg->npvs : 1, sizeof *locs);
    size_t found = 0;
    ms_err rc = MS_OK;
    if (!locs)
        return MS_ERR_NOMEM;
    for (size_t k = 0; k < vg->npvs; k++) {
        locs[k].name = vg->pvs[k].name ? vg->pvs[k].name : "";
        for (size_t i = 0; i < n && !locs[k].found; i++) {
            if (!cs[i].is_pv || !vg->pvs[k].uuid ||
                strcmp(cs[i].pv.uuid, vg->pvs[k].uuid))
                continue;
            locs[k].found = 1;
            locs[k].offset = cs[i].off;
            locs[k].size = cs[i].len;
            cs[i].vg_done = 1;   /* its metadata copy is this VG's */
            found++;
        }
    }
    /* The stack names the PV's container, not the PV itself. */
    size_t plen = strlen(first->stack);
    static const char pv_tail[] = " > LVM2 PV";
    if (plen >= sizeof pv_tail - 1 &&
        !strcmp(first->stack + plen - (sizeof pv_tail - 1), pv_tail))
        plen -= sizeof pv_tail - 1;
    /* A VG on several PVs sits on no single partition: name the layer. */
    char *vg_stack = vg->npvs > 1
        ? ms_asprintf("%s > LVM2 VG %s (%zu of %zu PVs here)", L->stack,
                      vg->name, found, vg->npvs)
        : ms_asprintf("%.*s > LVM2 VG %s", (int)plen, first->stack, vg->name);
    if (!vg_stack) {
        free(locs);
        return MS_ERR_NOMEM;
    }
    if (vg->nlvs == 0)
        ms_scan_add_error(w->scan, "LVM2 VG '%s' has no logical volumes",
                          vg->name);
    for (size_t i = 0; i < vg->nlvs && rc == MS_OK; i++)
        rc = walk_lv(w, L, vg, &vg->lvs[i], locs, vg->npvs, vg_stack,
                     L->base + first->off);
    free(vg_stack);
    free(locs);
    return rc;
}

/* Does another PV of this layer carry metadata naming this PV? */
static const ms_lvm_vg *vg_of(const cand *cs, size_t n, const char *uuid)
{
    for (size_t i = 0; i < n; i++) {
        const ms_lvm_vg *vg = cs[i].is_pv ? cs[i].pv.vg : NULL;
        for (size_t k = 0; vg && k < vg->npvs; k++)
            if (vg->pvs[k].uuid && !strcmp(vg->pvs[k].uuid, uuid))
                return vg;
    }
    return NULL;
}

static ms_err walk_pv(walker *w, const layer *L, cand *cs, size_t n, cand *c)
{
    const ms_lvm_vg *vg = c->pv.vg ? c->pv.vg : vg_of(cs, n, c->pv.uuid);
    ms_err rc;
    if (vg) {
        rc = add_described(w, L->base + c->off, c->len, c->slot, c->vs_type, c->desc,
                           c->stack, c->pv.uuid, vg->name, MS_VOL_NO_FS,
                           ms_asprintf("LVM2 physical volume of VG '%s' (its "
                                       "logical volumes are listed "
                                       "separately)", vg->name));
    } else {
        rc = add_described(w, L->base + c->off, c->len, c->slot, c->vs_type, c->desc,
                           c->stack, c->pv.uuid[0] ? c->pv.uuid : NULL, NULL,
                           MS_VOL_NOT_EXAMINED,
                           ms_asprintf("LVM2 physical volume not examined: %s",
                                       c->pv_err ? c->pv_err : "unreadable"));
    }
    if (rc || !c->pv.vg || c->vg_done)
        return rc;
    return walk_vg(w, L, cs, n, newest_vg(cs, n, c->pv.vg), c);
}

static ms_err add_cand(cand **cs, size_t *n, size_t *cap, uint64_t off,
                       uint64_t len, const char *vs_type, const char *desc,
                       long slot, char *stack /* taken */)
{
    if (ms_grow((void **)cs, cap, *n + 1, sizeof **cs)) {
        free(stack);
        return MS_ERR_NOMEM;
    }
    cand *c = &(*cs)[(*n)++];
    c->off = off;
    c->len = len;
    c->vs_type = ms_strdup(vs_type);
    c->desc = ms_strdup(desc);
    c->slot = slot;
    c->stack = stack;
    return c->vs_type && c->desc && c->stack ? MS_OK : MS_ERR_NOMEM;
}

static ms_err walk_layer(walker *w, const layer *L)
{
    cand *cs = NULL;
    size_t n = 0, cap = 0;
    ms_err rc = MS_OK;

    tsk_error_reset();
    TSK_VS_INFO *vs = tsk_vs_open(L->img, 0, TSK_VS_TYPE_DETECT);
    if (vs) {
        const char *vs_name = tsk_vs_type_toname(vs->vstype);
        TSK_PNUM_T pn = vs->part_count < MAX_PARTITIONS ? vs->part_count
                                                        : MAX_PARTITIONS;
        long nth = 0;   /* allocated partitions in table order, 1-based */
        if (!vs_name)
            vs_name = "unknown";
        for (TSK_PNUM_T i = 0; i < pn && rc == MS_OK; i++) {
            const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
            if (!p || !(p->flags & TSK_VS_PART_FLAG_ALLOC))
                continue; /* tables, extended containers and free space */
            const char *d = p->desc ? p->desc : "";
            rc = add_cand(&cs, &n, &cap,
                          (uint64_t)vs->offset + (uint64_t)p->start * vs->block_size,
                          (uint64_t)p->len * vs->block_size, vs_name, d,
                          (long)p->addr,
                          ms_asprintf("%s > %s partition %ld%s%s%s", L->stack,
                                      vs_name, ++nth, *d ? " (" : "", d,
                                      *d ? ")" : ""));
        }
        if (vs->part_count > MAX_PARTITIONS)
            ms_scan_add_error(w->scan, "partition table lists %lu entries; "
                              "only the first %d were examined",
                              (unsigned long)vs->part_count, MAX_PARTITIONS);
        tsk_vs_close(vs);
    } else {
        /* No partition table: the layer may be a bare file system or PV. */
        rc = add_cand(&cs, &n, &cap, 0, (uint64_t)L->img->size, L->whole_vs,
                      L->whole_desc, -1, ms_strdup(L->stack));
    }
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        cand *c = &cs[i];
        if (!ms_lvm_detect(L->img, c->off))
            continue;
        c->is_pv = 1;
        c->pv_rc = ms_lvm_pv_read(L->img, c->off, c->len, &c->pv, &c->pv_err);
        if (c->pv_rc == MS_ERR_NOMEM)
            rc = MS_ERR_NOMEM;
        char *s = ms_asprintf("%s > LVM2 PV", c->stack);
        if (!s)
            rc = MS_ERR_NOMEM;
        free(c->stack);
        c->stack = s;
    }
    for (size_t i = 0; i < n && rc == MS_OK; i++)
        rc = cs[i].is_pv ? walk_pv(w, L, cs, n, &cs[i]) : examine(w, L, &cs[i]);
    for (size_t i = 0; i < n; i++)
        cand_clear(&cs[i]);
    free(cs);
    return rc;
}

/* Where the last allocated partition of a table ends, in bytes. */
static uint64_t table_end(const TSK_VS_INFO *vs)
{
    uint64_t end = 0;
    TSK_PNUM_T pn = vs->part_count < MAX_PARTITIONS ? vs->part_count
                                                    : MAX_PARTITIONS;
    for (TSK_PNUM_T i = 0; i < pn; i++) {
        const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
        if (!p || !(p->flags & TSK_VS_PART_FLAG_ALLOC))
            continue;
        /* addresses are 64-bit sectors from a hostile table */
        uint64_t last = (uint64_t)p->start + (uint64_t)p->len;
        if (last < (uint64_t)p->start || vs->block_size == 0 ||
            last > (UINT64_MAX - (uint64_t)vs->offset) / vs->block_size)
            continue;
        last = (uint64_t)vs->offset + last * vs->block_size;
        if (last > end)
            end = last;
    }
    return end;
}

/* A probe view this large lets libtsk load a table whose partitions start
 * past the end of a truncated copy (it refuses them on the real size). */
#define PROBE_SIZE ((uint64_t)1 << 50)

/* The view the walk starts from: the image itself, or, when its partition
 * table reaches past the end (a truncated copy), a view as long as the
 * table says, whose missing tail reads as zeros and is listed unreadable.
 * *ext is NULL for the image itself. */
static ms_err top_view(ms_image *img, ms_scan *scan, TSK_IMG_INFO **ext)
{
    uint64_t size = ms_image_size(img), end = 0;
    TSK_IMG_INFO *probe = NULL;
    char *why = NULL;
    ms_err rc = MS_OK;

    *ext = NULL;
    tsk_error_reset();
    TSK_VS_INFO *vs = tsk_vs_open(ms_image_tsk(img), 0, TSK_VS_TYPE_DETECT);
    if (!vs) {
        why = ms_tsk_error(NULL);
        if (ms_image_view(img, PROBE_SIZE, 0, &probe) == MS_OK) {
            tsk_error_reset();
            vs = tsk_vs_open(probe, 0, TSK_VS_TYPE_DETECT);
        }
    }
    if (vs) {
        end = table_end(vs);
        if (probe) {
            /* detection drops the reason; ask the one type again */
            TSK_VS_TYPE_ENUM t = vs->vstype;
            tsk_vs_close(vs);
            tsk_error_reset();
            vs = tsk_vs_open(ms_image_tsk(img), 0, t);
            free(why);
            why = vs ? NULL : ms_tsk_error(NULL);
        }
        if (vs)
            tsk_vs_close(vs);
    }
    if (probe)
        tsk_img_close(probe);
    if (end > size) {
        rc = ms_image_view(img, end, 1, ext);
        if (rc == MS_OK)
            ms_scan_add_error(scan, "the partition table describes %llu "
                              "bytes but the image holds only %llu: a "
                              "truncated copy; what is present was examined"
                              "%s%s%s", (unsigned long long)end,
                              (unsigned long long)size,
                              why ? " (libtsk refused the table: " : "",
                              why ? why : "", why ? ")" : "");
    }
    free(why);
    return rc == MS_ERR_NOMEM ? rc : MS_OK;
}

/* qcow2 internal snapshots: older guest disks kept in the same file.
 * Each is walked like the current state, its volumes reported under
 * "qcow2 image snapshot 'NAME' (id N, DATE)"; one that cannot be read is
 * a volume "not examined", so the scan is never clean without it. */
static ms_err walk_snapshots(walker *w, ms_image *img)
{
    size_t n = ms_image_snapshot_count(img);
    const char *type = ms_image_type_name(img);
    ms_err rc = MS_OK;

    if (ms_image_snapshot_error(img))
        rc = add_described(w, 0, 0, -1, "none", "qcow2 snapshot table",
                           "qcow2 image snapshot table", NULL, NULL,
                           MS_VOL_NOT_EXAMINED,
                           ms_asprintf("snapshots not examined: %s",
                                       ms_image_snapshot_error(img)));
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        uint64_t size = 0;
        TSK_IMG_INFO *s = NULL;
        char *why = NULL;
        char *label = ms_image_snapshot_label(img, i, &size);
        char *stack = label ? ms_asprintf("%s image %s", type, label) : NULL;
        if (!stack) {
            free(label);
            return MS_ERR_NOMEM;
        }
        ms_err r = i < MS_QCOW2_MAX_SNAPSHOTS_EXAMINED
                   ? ms_image_snapshot_open(img, i, &s, &why)
                   : MS_ERR_LIMIT;
        if (r == MS_ERR_NOMEM) {
            rc = r;
        } else if (r) {
            rc = add_described(w, 0, size, -1, "none",
                               "qcow2 internal snapshot (not decoded)",
                               stack, NULL, NULL, MS_VOL_NOT_EXAMINED,
                               r == MS_ERR_LIMIT
                               ? ms_asprintf("snapshot not examined: only "
                                             "the first %d snapshots are "
                                             "walked",
                                             MS_QCOW2_MAX_SNAPSHOTS_EXAMINED)
                               : ms_asprintf("snapshot not examined: %s",
                                             why ? why : "unreadable"));
        } else {
            layer L = { s, stack, 0, 0, "none",
                        "qcow2 internal snapshot (no partition table)",
                        NULL, NULL, 0, 0, NULL };
            rc = walk_layer(w, &L);
            if (w->keep && ms_volset_keep_img(w->keep, s) == MS_OK)
                s = NULL;   /* its file systems are still open */
            if (s)
                tsk_img_close(s);
        }
        free(why);
        free(stack);
        free(label);
    }
    return rc;
}
static ms_err walk_image(walker *w, ms_image *img);

ms_err ms_volumes_walk(ms_image *img, ms_scan *scan, ms_volume_cb cb,
                       void *user)
{
    walker w = { scan, cb, user, NULL };
    return walk_image(&w, img);
}

ms_err ms_volset_new_(ms_volset **out);   /* volset.c */

ms_err ms_volumes_open_all(ms_image *img, ms_scan *scan, ms_volume_cb cb,
                           void *user, ms_volset **out)
{
    walker w = { scan, cb, user, NULL };
    ms_err rc = ms_volset_new_(&w.keep);
    *out = NULL;
    if (rc)
        return rc;
    rc = walk_image(&w, img);
    if (rc) {
        ms_volset_free(w.keep);
        return rc;
    }
    *out = w.keep;
    return MS_OK;
}

static ms_err walk_image(walker *wp, ms_image *img)
{
    walker w = *wp;
    ms_scan *scan = w.scan;
    char *stack = ms_asprintf("%s image", ms_image_type_name(img));
    ms_err rc;
    if (!stack)
        return MS_ERR_NOMEM;
    if (ms_image_blocker(img)) {
        rc = add_described(&w, 0, ms_image_size(img), -1, "none",
                           "whole image (not decoded)", stack, NULL, NULL,
                           MS_VOL_NOT_EXAMINED,
                           ms_asprintf("not examined: %s",
                                       ms_image_blocker(img)));
    } else {
        TSK_IMG_INFO *ext = NULL;
        rc = top_view(img, scan, &ext);
        layer top = { ext ? ext : ms_image_tsk(img), stack, 0, 0, "none",
                      "whole image (no partition table)", NULL, NULL, 0,
                      ext ? ms_image_size(img) : 0, NULL };
        if (rc == MS_OK)
            rc = walk_layer(&w, &top);
        if (ext && w.keep && ms_volset_keep_img(w.keep, ext) == MS_OK)
            ext = NULL;
        if (ext)
            tsk_img_close(ext);
    }
    if (rc == MS_OK)
        rc = walk_snapshots(&w, img);
    free(stack);
    return rc;
}
