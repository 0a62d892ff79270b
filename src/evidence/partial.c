/* partial.c - map unreadable media to volumes and files, see partial.h. */
#include "evidence/partial.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_coverage.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

/* A hostile or huge file could list millions of extents; a few ranges per
 * file are enough to say which gaps it touches. */
#define MAX_HITS_PER_FILE 64

typedef struct file_check {
    const ms_badlist *bad;
    ms_partial *hits;
    size_t   file;
    size_t   nhits;
    uint64_t bytes;        /* content bytes in bad ranges */
    uint64_t first;        /* lowest such media offset */
    ms_err   rc;
} file_check;

static int hit_seen(const ms_partial *p, size_t from, size_t file,
                    uint64_t off)
{
    for (size_t i = from; i < p->n; i++)
        if (p->h[i].file == file && p->h[i].off == off)
            return 1;
    return 0;
}

/* The part [*is, *ie) of bad range r inside the extent [off, off+len):
 * 1, or 0 when they do not meet. */
static int clip(const ms_badrange *r, uint64_t off, uint64_t len,
                uint64_t *is, uint64_t *ie)
{
    uint64_t end = off + len < off ? UINT64_MAX : off + len;
    uint64_t s = r->off, e = r->off + r->len;
    if (e <= off || s >= end)
        return 0;
    *is = s > off ? s : off;
    *ie = e < end ? e : end;
    return 1;
}

static int on_extent(void *user, uint64_t off, uint64_t len)
{
    file_check *c = user;
    for (size_t i = 0; i < c->bad->n; i++) {
        const ms_badrange *r = &c->bad->r[i];
        uint64_t s = r->off, is, ie;
        if (!clip(r, off, len, &is, &ie))
            continue;
        c->bytes += ie - is;
        if (!c->first || is < c->first)
            c->first = is;
        if (c->nhits >= MAX_HITS_PER_FILE ||
            hit_seen(c->hits, c->hits->n - c->nhits, c->file, s))
            continue;
        if (ms_grow((void **)&c->hits->h, &c->hits->cap, c->hits->n + 1,
                    sizeof *c->hits->h)) {
            c->rc = MS_ERR_NOMEM;
            return 1;
        }
        /* the range's start: ranges only grow by merging, so the final
         * range holding it is the one this file touches */
        c->hits->h[c->hits->n++] = (ms_partial_hit){ c->file, s };
        c->nhits++;
    }
    return 0;
}

ms_err ms_partial_mark_files(ms_fs *fs, ms_scan *scan, int vol,
                             const ms_badlist *bad, ms_partial *hits)
{
    const ms_volume *v = &scan->volumes[vol];
    ms_fs_geometry g = { 0 };

    if (!bad || bad->n == 0 || !ms_badlist_overlap(bad, v->offset, v->length))
        return MS_OK;
    if (!fs->ops->file_extents || !fs->ops->geometry)
        return MS_OK;
    fs->ops->geometry(fs, &g);
    /* inside an LV, block addresses are not image offsets */
    if (g.image_offset != v->offset)
        return MS_OK;
    for (size_t i = 0; i < scan->nfiles; i++) {
        ms_file *f = &scan->files[i];
        ms_fs_file *ff = NULL;
        if (f->ref.volume != vol || f->missing || !f->ref.has_inode ||
            f->ref.meta_reused || f->partial)
            continue;
        if (ms_fs_open_inode(fs, f->ref.inode, &ff) != MS_OK)
            continue;
        file_check c = { bad, hits, i, 0, 0, 0, MS_OK };
        ms_fs_file_extents(ff, on_extent, &c);
        ms_fs_file_close(ff);
        if (c.rc)
            return c.rc;
        if (!c.bytes)
            continue;
        f->partial = 1;
        ms_err rc = ms_file_reason_take(f, MS_R_PARTIAL_CONTENT, MS_SEV_INFO,
            ms_asprintf("%" PRIu64 " bytes of its content lie in media that "
                        "could not be read (first at image offset %" PRIu64
                        "); they were read as zeros, so hashes and scans "
                        "cover only what was present", c.bytes, c.first));
        if (rc)
            return rc;
    }
    return MS_OK;
}

typedef struct loc_check {
    const ms_badlist *bad;
    uint64_t bytes, first;
    const char *cause;
} loc_check;

static int on_loc_extent(void *user, uint64_t off, uint64_t len)
{
    loc_check *c = user;
    for (size_t i = 0; i < c->bad->n; i++) {
        const ms_badrange *r = &c->bad->r[i];
        uint64_t is, ie;
        if (!clip(r, off, len, &is, &ie))
            continue;
        c->bytes += ie - is;
        if (!c->cause || is < c->first) {
            c->first = is;
            c->cause = r->cause;
        }
    }
    return 0;
}

ms_err ms_partial_mark_coverage(ms_fs *fs, ms_scan *scan, int vol,
                                const ms_badlist *bad)
{
    const ms_volume *v = &scan->volumes[vol];
    ms_fs_geometry g = { 0 };

    if (!bad || bad->n == 0 || !ms_badlist_overlap(bad, v->offset, v->length))
        return MS_OK;
    int mappable = fs->ops->file_extents && fs->ops->geometry;
    if (mappable) {
        fs->ops->geometry(fs, &g);
        mappable = g.image_offset == v->offset;   /* not inside an LV */
    }
    for (size_t i = 0; i < scan->ncoverage; i++) {
        ms_coverage *c = &scan->coverage[i];
        ms_fs_file *ff = NULL;
        if (c->volume != vol || c->state != MS_COV_READ)
            continue;
        loc_check lc = { bad, 0, 0, NULL };
        if (!mappable || !c->has_inode ||
            ms_fs_open_inode(fs, c->inode, &ff) != MS_OK ||
            ms_fs_file_extents(ff, on_loc_extent, &lc) != MS_OK) {
            ms_fs_file_close(ff);
            ms_coverage_set(scan, i, MS_COV_PARTIAL, ms_asprintf(
                "partial volume: volume %d was read in part and where this "
                "location's blocks lie could not be checked", vol));
            continue;
        }
        ms_fs_file_close(ff);
        if (!lc.bytes)
            continue;
        ms_coverage_set(scan, i, MS_COV_UNREADABLE, ms_asprintf(
            "unreadable range: %" PRIu64 " bytes of its blocks (first at "
            "image offset %" PRIu64 ") lie in media that could not be read "
            "(%s); they were read as zeros, so what it held there is "
            "missing", lc.bytes, lc.first, lc.cause ? lc.cause : "unreadable"));
    }
    return MS_OK;
}

static ms_err add_int(int **a, size_t *n, int v)
{
    size_t cap = *n;
    if (ms_grow((void **)a, &cap, *n + 1, sizeof **a))
        return MS_ERR_NOMEM;
    (*a)[(*n)++] = v;
    return MS_OK;
}

static ms_err add_size(size_t **a, size_t *n, size_t v)
{
    for (size_t i = 0; i < *n; i++)
        if ((*a)[i] == v)
            return MS_OK;
    size_t cap = *n;
    if (ms_grow((void **)a, &cap, *n + 1, sizeof **a))
        return MS_ERR_NOMEM;
    (*a)[(*n)++] = v;
    return MS_OK;
}

ms_err ms_partial_finish(ms_scan *scan, const ms_badlist *bad,
                         const ms_partial *hits)
{
    if (!bad || bad->n == 0)
        return MS_OK;
    scan->unreadable = calloc(bad->n, sizeof *scan->unreadable);
    if (!scan->unreadable)
        return MS_ERR_NOMEM;
    scan->evidence_incomplete = 1;
    scan->unreadable_coarsened = bad->coarsened;
    for (size_t i = 0; i < bad->n; i++) {
        ms_unreadable *u = &scan->unreadable[scan->nunreadable++];
        u->offset = bad->r[i].off;
        u->length = bad->r[i].len;
        u->cause = bad->r[i].cause;
        uint64_t end = u->offset + u->length;
        for (size_t k = 0; k < scan->nvolumes; k++) {
            ms_volume *v = &scan->volumes[k];
            if (v->length == 0 || v->offset >= end ||
                v->offset + v->length <= u->offset)
                continue;
            v->partial = 1;
            if (add_int(&u->volumes, &u->nvolumes, (int)k))
                return MS_ERR_NOMEM;
        }
        for (size_t k = 0; hits && k < hits->n; k++)
            if (hits->h[k].off >= u->offset && hits->h[k].off < end &&
                add_size(&u->files, &u->nfiles, hits->h[k].file))
                return MS_ERR_NOMEM;
    }
    return MS_OK;
}

void ms_partial_free(ms_partial *p)
{
    if (!p)
        return;
    free(p->h);
    memset(p, 0, sizeof *p);
}
