/* lvm.h - LVM2 physical volumes, volume groups and logical volumes.
 *
 * A small reader written from the LVM2 on-disk format (label sector,
 * PV header, metadata area header, text metadata) rather than libvslvm:
 * Debian's libvslvm 20181227 does not report a segment's type, so thin,
 * snapshot, mirror and RAID LVs could not be named as such; it rejects
 * the multi-stripe lists lvm2 writes and an LV with two segments on one
 * PV (both seen with its own vslvminfo on tests/tools/mklvm output that
 * lvm2's pvck accepts); and its private copy of libbfio exports the same
 * symbols as the system libbfio that libfsxfs links, so one process
 * would carry two libbfio ABIs resolved by link order.  Linear LVs (any number of
 * single-stripe segments, on one or several PVs of the same image) are
 * mapped to TSK_IMG_INFOs; everything else is described, not read.
 *
 * All input is hostile: sizes, counts, nesting and text length are
 * bounded (see lvm.c) and every checksum LVM writes is verified. */
#ifndef MS_LVM_H
#define MS_LVM_H

#include <stddef.h>
#include <stdint.h>
#include <tsk/libtsk.h>
#include "common/ms_error.h"

/* One PV found on the media, with the VG metadata it carries. */
typedef struct ms_lvm_seg {
    uint64_t start_extent, extent_count;  /* within the LV */
    char    *type;          /* "striped", "thin", "snapshot", "raid1" ... */
    uint32_t stripe_count;  /* 0 when the segment has no stripes list */
    char    *pv;            /* first stripe's PV name ("pv0"), or NULL */
    uint64_t pv_extent;     /* first stripe's start extent on that PV */
} ms_lvm_seg;

typedef struct ms_lvm_lv {
    char       *name, *uuid;
    int         visible;    /* status has VISIBLE (not an LVM-internal LV) */
    ms_lvm_seg *segs;
    size_t      nsegs;
} ms_lvm_lv;

typedef struct ms_lvm_vgpv {
    char    *name, *uuid;   /* "pv0", UUID with dashes as in metadata */
    uint64_t pe_start;      /* sectors from the PV start */
    uint64_t pe_count;
} ms_lvm_vgpv;

typedef struct ms_lvm_vg {
    char        *name, *uuid;
    uint64_t     seqno;
    uint64_t     extent_size;  /* sectors of 512 bytes */
    ms_lvm_vgpv *pvs;  size_t npvs;
    ms_lvm_lv   *lvs;  size_t nlvs;
} ms_lvm_vg;

typedef struct ms_lvm_pv {
    char      uuid[39];      /* with dashes, as the metadata spells it */
    uint64_t  offset;        /* bytes into the image where the PV starts */
    uint64_t  size;          /* bytes available to the PV */
    ms_lvm_vg *vg;           /* parsed metadata, NULL if none/unreadable */
} ms_lvm_pv;

/* 1 if a "LABELONE" ... "LVM2 001" label is in one of the first 4
 * sectors at off. */
int ms_lvm_detect(TSK_IMG_INFO *img, uint64_t off);

/* Read the PV at off (len bytes): label, header and newest metadata.
 * On MS_ERR_FORMAT *err_text says what is damaged. */
ms_err ms_lvm_pv_read(TSK_IMG_INFO *img, uint64_t off, uint64_t len,
                      ms_lvm_pv *out, char **err_text);
void ms_lvm_pv_free(ms_lvm_pv *pv);

/* Parse LVM2 text metadata (exposed for unit tests). */
ms_err ms_lvm_parse_metadata(const char *text, size_t len, ms_lvm_vg **out,
                             char **err_text);
void ms_lvm_vg_free(ms_lvm_vg *vg);

/* Where a PV of the VG lies in the image: filled by the caller for each
 * VG PV it found (offset), so LVs spanning PVs can be mapped. */
typedef struct ms_lvm_pvloc {
    const char *name;        /* VG-local PV name ("pv0") */
    int         found;
    uint64_t    offset;      /* bytes into the image */
    uint64_t    size;
} ms_lvm_pvloc;

/* A short word for what the LV is: "linear", "striped (2 stripes)",
 * "thin", "snapshot" ... malloc'd. */
char *ms_lvm_lv_kind(const ms_lvm_lv *lv);

/* Open a linear LV as a TSK image reading through `img`.  On
 * MS_ERR_UNSUPPORTED / MS_ERR_NOT_FOUND / MS_ERR_FORMAT *why says why the
 * LV cannot be read (its type, a missing PV, extents outside the PV).
 * *first_off is the image offset of the LV's first byte. */
ms_err ms_lvm_lv_open(TSK_IMG_INFO *img, const ms_lvm_vg *vg,
                      const ms_lvm_lv *lv, const ms_lvm_pvloc *locs,
                      size_t nlocs, TSK_IMG_INFO **out, uint64_t *first_off,
                      char **why);

/* Byte size of the LV (sum of its segments). */
uint64_t ms_lvm_lv_size(const ms_lvm_vg *vg, const ms_lvm_lv *lv);

#endif
