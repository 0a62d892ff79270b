/* overlay.c - in-memory block substitution over an image range. */
#include "evidence/overlay.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/imgwrap.h"

typedef struct patch {
    uint64_t block;
    size_t   order;      /* put order: the later put of a block wins */
    uint8_t *data;       /* block_size bytes */
} patch;

struct ms_overlay {
    TSK_IMG_INFO *base;
    uint64_t off, len;
    uint32_t bs;
    patch   *p;
    size_t   n, cap;
    size_t   puts;
    int      sealed;     /* sorted by block, one patch per block */
};

ms_err ms_overlay_new(TSK_IMG_INFO *base, uint64_t off, uint64_t len,
                      uint32_t block_size, ms_overlay **out)
{
    *out = NULL;
    if (!base || block_size < 512 || block_size > 65536 ||
        (block_size & (block_size - 1)) || len == 0)
        return MS_ERR_ARG;
    ms_overlay *o = calloc(1, sizeof *o);
    if (!o)
        return MS_ERR_NOMEM;
    o->base = base;
    o->off = off;
    o->len = len;
    o->bs = block_size;
    o->sealed = 1;
    *out = o;
    return MS_OK;
}

ms_err ms_overlay_put(ms_overlay *o, uint64_t block, const void *data)
{
    if (block >= o->len / o->bs)
        return MS_ERR_LIMIT;
    if ((uint64_t)(o->n + 1) * o->bs > MS_OVERLAY_MAX_BYTES)
        return MS_ERR_LIMIT;
    if (ms_grow((void **)&o->p, &o->cap, o->n + 1, sizeof *o->p))
        return MS_ERR_NOMEM;
    uint8_t *d = malloc(o->bs);
    if (!d)
        return MS_ERR_NOMEM;
    memcpy(d, data, o->bs);
    o->p[o->n++] = (patch){ block, o->puts++, d };
    o->sealed = o->n <= 1;
    return MS_OK;
}

static int cmp_patch(const void *a, const void *b)
{
    const patch *x = a, *y = b;
    if (x->block != y->block)
        return x->block < y->block ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sort by block and keep the last put of each block. */
static void seal(ms_overlay *o)
{
    if (o->sealed)
        return;
    if (o->n > 1)   /* o->p is NULL while empty */
        qsort(o->p, o->n, sizeof *o->p, cmp_patch);
    size_t out = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (out && o->p[out - 1].block == o->p[i].block) {
            free(o->p[out - 1].data);
            o->p[out - 1] = o->p[i];
        } else {
            o->p[out++] = o->p[i];
        }
    }
    o->n = out;
    o->sealed = 1;
}

size_t ms_overlay_count(ms_overlay *o)
{
    seal(o);
    return o->n;
}

ssize_t ms_overlay_read(ms_overlay *o, uint64_t off, void *buf, size_t len)
{
    if (off >= o->len)
        return 0;
    if (len > o->len - off)
        len = (size_t)(o->len - off);
    seal(o);
    ssize_t got = tsk_img_read(o->base, (TSK_OFF_T)(o->off + off), buf, len);
    if (got <= 0)
        return got;
    uint64_t end = off + (uint64_t)got;
    /* first patch whose block ends after off */
    size_t lo = 0, hi = o->n;
    uint64_t first = off / o->bs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->p[mid].block < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < o->n; i++) {
        uint64_t ps = o->p[i].block * o->bs, pe = ps + o->bs;
        if (ps >= end)
            break;
        uint64_t s = ps > off ? ps : off, e = pe < end ? pe : end;
        memcpy((uint8_t *)buf + (s - off), o->p[i].data + (s - ps),
               (size_t)(e - s));
    }
    return got;
}

static ssize_t ov_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    return ms_overlay_read(ctx, off, buf, len);
}

static void ov_free(void *ctx) { ms_overlay_free(ctx); }

ms_err ms_overlay_image(ms_overlay *o, TSK_IMG_INFO **out)
{
    seal(o);
    return ms_imgwrap_open(o, o->len, o->base->sector_size ?
                           o->base->sector_size : 512, ov_read, ov_free, out);
}

void ms_overlay_free(ms_overlay *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++)
        free(o->p[i].data);
    free(o->p);
    free(o);
}
