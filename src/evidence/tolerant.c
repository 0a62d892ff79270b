/* tolerant.c - a never-failing view over a damaged image, see tolerant.h.
 *
 * The underlying image is read through its own read callback, not
 * tsk_img_read(): libtsk's cache reads 64 KiB blocks and fails the whole
 * block when any byte of it is missing, which would hide present data
 * next to a missing E01 chunk.  The view itself is cached by libtsk. */
#include "evidence/tolerant.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/imgwrap.h"

#define GRANULE 4096u

static int mergeable(const ms_badrange *a, uint64_t off, uint64_t end,
                     const char *cause)
{
    return (a->cause == cause || (a->cause && cause && !strcmp(a->cause, cause))) && a->off <= end && off <= a->off + a->len;
}

static void coarsen(ms_badlist *b, uint64_t off, uint64_t end)
{
    /* Merge into the nearest range: over-states, never loses. */
    size_t best = 0;
    uint64_t bestd = UINT64_MAX;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t s = b->r[i].off, e = s + b->r[i].len;
        uint64_t d = end < s ? s - end : off > e ? off - e : 0;
        if (d < bestd) {
            bestd = d;
            best = i;
        }
    }
    b->coarsened = 1;
    if (b->n == 0)
        return;
    ms_badrange *r = &b->r[best];
    uint64_t s = r->off < off ? r->off : off;
    uint64_t e = r->off + r->len > end ? r->off + r->len : end;
    r->off = s;
    r->len = e - s;
    /* swallow neighbours it now overlaps, whatever their cause */
    while (best > 0 && b->r[best - 1].off + b->r[best - 1].len > b->r[best].off)
        best--;
    while (best + 1 < b->n &&
           b->r[best + 1].off < b->r[best].off + b->r[best].len) {
        uint64_t ne = b->r[best + 1].off + b->r[best + 1].len;
        uint64_t ce = b->r[best].off + b->r[best].len;
        b->r[best].len = (ne > ce ? ne : ce) - b->r[best].off;
        memmove(&b->r[best + 1], &b->r[best + 2],
                (b->n - best - 2) * sizeof *b->r);
        b->n--;
    }
}

/* Merge neighbours that now overlap or touch after r[i] grew. */
static void settle(ms_badlist *b, size_t i)
{
    while (i + 1 < b->n && mergeable(&b->r[i], b->r[i + 1].off,
                                     b->r[i + 1].off + b->r[i + 1].len,
                                     b->r[i + 1].cause)) {
        uint64_t e = b->r[i + 1].off + b->r[i + 1].len;
        if (e > b->r[i].off + b->r[i].len)
            b->r[i].len = e - b->r[i].off;
        memmove(&b->r[i + 1], &b->r[i + 2],
                (b->n - i - 2) * sizeof *b->r);
        b->n--;
    }
}

void ms_badlist_add(ms_badlist *b, uint64_t off, uint64_t len,
                    const char *cause)
{
    if (!b || len == 0)
        return;
    uint64_t end = off + len < off ? UINT64_MAX : off + len;
    /* already known (e.g. a missing E01 chunk that also fails to read) */
    if (ms_badlist_overlap(b, off, end - off) == end - off)
        return;
    size_t i = 0;
    while (i < b->n && b->r[i].off + b->r[i].len < off)
        i++;
    /* a mergeable range at i-1..i+k: extend it */
    for (size_t k = i > 0 ? i - 1 : 0; k < b->n && b->r[k].off <= end; k++) {
        if (!mergeable(&b->r[k], off, end, cause))
            continue;
        uint64_t s = b->r[k].off < off ? b->r[k].off : off;
        uint64_t e = b->r[k].off + b->r[k].len > end
                         ? b->r[k].off + b->r[k].len : end;
        b->r[k].off = s;
        b->r[k].len = e - s;
        settle(b, k);
        return;
    }
    if (b->n >= MS_BADLIST_MAX ||
        ms_grow((void **)&b->r, &b->cap, b->n + 1, sizeof *b->r) != MS_OK) {
        coarsen(b, off, end);
        return;
    }
    /* keep the list sorted by offset */
    while (i < b->n && b->r[i].off < off)
        i++;
    memmove(&b->r[i + 1], &b->r[i], (b->n - i) * sizeof *b->r);
    b->r[i] = (ms_badrange){ off, end - off, cause };
    b->n++;
}

uint64_t ms_badlist_overlap(const ms_badlist *b, uint64_t off, uint64_t len)
{
    uint64_t sum = 0, end = off + len < off ? UINT64_MAX : off + len;
    for (size_t i = 0; b && i < b->n; i++) {
        uint64_t s = b->r[i].off, e = s + b->r[i].len;
        if (e <= off || s >= end)
            continue;
        sum += (e < end ? e : end) - (s > off ? s : off);
    }
    return sum;
}

void ms_badlist_free(ms_badlist *b)
{
    if (!b)
        return;
    free(b->r);
    memset(b, 0, sizeof *b);
}

typedef struct view {
    TSK_IMG_INFO *under;
    uint64_t      usize;
    ms_badlist   *bad;
} view;

static ssize_t direct(view *v, uint64_t off, char *buf, size_t len)
{
    return v->under->read(v->under, (TSK_OFF_T)off, buf, len);
}

/* Fill [off, off+len) (inside the underlying image) granule by granule. */
static void read_granules(view *v, uint64_t off, char *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        uint64_t pos = off + done;
        size_t want = GRANULE - (size_t)(pos % GRANULE);
        if (want > len - done)
            want = len - done;
        ssize_t got = direct(v, pos, buf + done, want);
        if (got < 0)
            got = 0;
        if ((size_t)got < want) {
            memset(buf + done + got, 0, want - (size_t)got);
            ms_badlist_add(v->bad, pos + (uint64_t)got, want - (size_t)got,
                           MS_BAD_READ_ERROR);
        }
        done += want;
    }
}

static ssize_t view_read(void *ctx, uint64_t off, void *vbuf, size_t len)
{
    view *v = ctx;
    char *buf = vbuf;
    size_t in = 0;
    if (off < v->usize) {
        in = v->usize - off < len ? (size_t)(v->usize - off) : len;
        ssize_t got = direct(v, off, buf, in);
        if (got < 0 || (size_t)got != in)
            read_granules(v, off, buf, in);
    }
    if (in < len)
        memset(buf + in, 0, len - in);   /* past the end: recorded at open */
    return (ssize_t)len;
}

static void view_free(void *ctx) { free(ctx); }

ms_err ms_tolerant_open(TSK_IMG_INFO *under, uint64_t size, ms_badlist *bad,
                        TSK_IMG_INFO **out)
{
    *out = NULL;
    if (!under || under->size <= 0)
        return MS_ERR_ARG;
    view *v = calloc(1, sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    v->under = under;
    v->usize = (uint64_t)under->size;
    v->bad = bad;
    ms_err rc = ms_imgwrap_open(v, size, under->sector_size, view_read,
                                view_free, out);
    if (rc) {
        free(v);
        return rc;
    }
    if (size > v->usize)
        ms_badlist_add(bad, v->usize, size - v->usize, MS_BAD_PAST_END);
    return MS_OK;
}
