/* carve.c - YARA over unallocated blocks (see carve.h). */
#include "detection/carve.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/unpack_scan.h"

#define MAX_HITS_PER_READ 2048


typedef struct carve_ctx {
    const ms_carver *cv;
    ms_fs   *fs;
    ms_scan *scan;
    int      volume;
    ms_fs_geometry g;
    size_t   chunk, overlap;
    uint8_t *buf;            /* overlap + chunk bytes */
    long     group;          /* scan->files index of the open finding, -1 */
    uint64_t group_off;      /* fs byte offset its matches are relative to */
    uint64_t group_end;      /* hits before this offset join the finding */
    uint64_t run_end;        /* fs byte offset where the current run ends */
    size_t   nwindows;       /* ELF windows scanned on this volume */
    size_t   nfindings;
    int      capped;
    uint64_t total_blocks, done_blocks; /* for progress */
    ms_yara_match *prev;     /* hits of the previous read (absolute offsets) */
    size_t   nprev;
    ms_err   err;
} carve_ctx;

static int same_hit(const ms_yara_match *a, const ms_yara_match *b)
{
    return a->offset == b->offset && !strcmp(a->rule, b->rule) &&
           !strcmp(a->ns, b->ns) && !strcmp(a->string_id, b->string_id);
}

/* Which deleted inode most likely owned fs block `blk`, in words. */
static ms_err infer_owner(carve_ctx *c, ms_file *f, uint64_t blk,
                          long *owner)
{
    *owner = -1;
    f->recovery_method = MS_RECOV_CARVE;
    const ms_scan *s = c->scan;
    /* strongest: inside the data blocks a journal-recovered inode used */
    for (size_t i = 0; i < s->nfiles; i++) {
        const ms_file *d = &s->files[i];
        if (d->ref.volume != c->volume || !d->recovery ||
            (d->origin & MS_ORIGIN_CARVE) || d->recovered_block_hi == 0 ||
            blk < d->recovered_block_lo || blk > d->recovered_block_hi)
            continue;
        f->recovery_certainty = MS_CERT_MEDIUM;
        *owner = (long)i;
        f->recovery = ms_asprintf(
            "carved from unallocated block %" PRIu64 "; most likely owner: "
            "deleted inode %" PRIu64 " (%s), whose journal-recovered block "
            "map spans blocks %" PRIu64 "-%" PRIu64 " around this one",
            blk, d->ref.inode, d->ref.path ? d->ref.path : "?",
            d->recovered_block_lo, d->recovered_block_hi);
        return f->recovery ? MS_OK : MS_ERR_NOMEM;
    }
    /* weaker: deleted inodes recorded in the same block group */
    uint64_t g = c->fs->ops->block_group
                     ? c->fs->ops->block_group(c->fs, 0, blk) : UINT64_MAX;
    size_t n = 0, which = 0;
    for (size_t i = 0; g != UINT64_MAX && i < s->nfiles; i++) {
        const ms_file *d = &s->files[i];
        if (d->ref.volume != c->volume || !d->ref.deleted ||
            !d->ref.has_inode || d->ref.meta_reused ||
            (d->origin & MS_ORIGIN_CARVE) ||
            c->fs->ops->block_group(c->fs, 1, d->ref.inode) != g)
            continue;
        if (n++ == 0)
            which = i;
    }
    if (n == 1) {
        const ms_file *d = &s->files[which];
        f->recovery_certainty = MS_CERT_LOW;
        *owner = (long)which;
        f->recovery = ms_asprintf(
            "carved from unallocated block %" PRIu64 "; possible owner: "
            "deleted inode %" PRIu64 " (%s), the only deleted inode recorded "
            "in the same block group %" PRIu64 " (no size or time evidence)",
            blk, d->ref.inode, d->ref.path ? d->ref.path : "?", g);
    } else {
        f->recovery_certainty = MS_CERT_NONE;
        f->recovery = n
            ? ms_asprintf("carved from unallocated block %" PRIu64 "; owner "
                          "unknown: %zu deleted inodes recorded in block group "
                          "%" PRIu64, blk, n, g)
            : ms_asprintf("carved from unallocated block %" PRIu64 "; owner "
                          "unknown: no deleted inode recorded in its block "
                          "group", blk);
    }
    return f->recovery ? MS_OK : MS_ERR_NOMEM;
}

/* One match with the extent of the object it belongs to: an ELF window
 * for header-anchored hits, MS_CARVE_GROUP_SPAN bytes for stream hits. */
typedef struct hit {
    ms_yara_match m;        /* offset absolute in the file system */
    uint64_t gstart, gend;
} hit;

typedef struct hits { hit *h; size_t n, cap; } hits;

static void hits_free(hits *hs)
{
    for (size_t i = 0; i < hs->n; i++) {
        free(hs->h[i].m.rule);
        free(hs->h[i].m.ns);
        free(hs->h[i].m.string_id);
        free(hs->h[i].m.data_hex);
    }
    free(hs->h);
    memset(hs, 0, sizeof *hs);
}

static ms_err open_finding(carve_ctx *c, const hit *h)
{
    size_t idx;
    if (c->nfindings >= MS_CARVE_MAX_FINDINGS) {
        if (!c->capped)
            ms_scan_add_error(c->scan, "--carve: volume %d: more than %d "
                              "carved hits, the rest are not reported",
                              c->volume, MS_CARVE_MAX_FINDINGS);
        c->capped = 1;
        c->group = -1;
        return MS_OK;
    }
    ms_err rc = ms_scan_new_file(c->scan, &idx);
    if (rc)
        return rc;
    c->nfindings++;
    uint64_t blk = h->gstart / c->g.block_size;
    ms_file *f = &c->scan->files[idx];
    f->origin = MS_ORIGIN_CARVE;
    f->ref.volume = c->volume;
    f->ref.type = MS_FT_UNKNOWN;
    f->ref.path = ms_asprintf("<unallocated block %" PRIu64 ">", blk);
    f->content_read = 1;
    f->carve_block = blk;
    f->carve_image_offset = c->g.image_offset + blk * c->g.block_size;
    c->group = (long)idx;
    c->group_off = blk * c->g.block_size;
    c->group_end = h->gend;
    if (!f->ref.path)
        return MS_ERR_NOMEM;
    long owner;
    if ((rc = infer_owner(c, f, blk, &owner)) != MS_OK)
        return rc;
    ms_reason_ev ev = { .recovery_method = MS_RECOV_CARVE,
                        .certainty = f->recovery_certainty,
                        .has_offset = 1, .offset = f->carve_image_offset,
                        .has_file = owner >= 0,
                        .file_id = owner >= 0 ? (size_t)owner : 0 };
    return ms_file_reason_ev(f, MS_R_CARVED_MATCH, MS_SEV_INFO,
                             ms_strdup(f->recovery), &ev);
}

/* Move hit `h` into the current finding or a new one. */
static ms_err take_hit(carve_ctx *c, hit *h)
{
    if (c->group < 0 || h->gstart < c->group_off ||
        h->gstart >= c->group_end) {
        ms_err rc = open_finding(c, h);
        if (rc || c->group < 0)
            return rc;
    }
    ms_file *f = &c->scan->files[c->group];
    size_t cap = f->nmatches;
    if (f->nmatches >= MS_YARA_MAX_MATCHES)
        return MS_OK;
    if (ms_grow((void **)&f->matches, &cap, f->nmatches + 1, sizeof *f->matches))
        return MS_ERR_NOMEM;
    f->matches[f->nmatches] = h->m;
    f->matches[f->nmatches].offset -= c->group_off;
    f->nmatches++;
    memset(&h->m, 0, sizeof h->m);     /* strings now owned by the finding */
    return MS_OK;
}

static int cmp_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->gstart != y->gstart)
        return x->gstart < y->gstart ? -1 : 1;
    return x->m.offset < y->m.offset ? -1 : x->m.offset > y->m.offset;
}

/* Scan `len` bytes at `buf` (fs offset `base`) and append the hits, each
 * belonging to [gstart, gend) or, when gstart is UINT64_MAX, to a span
 * starting at its own block. */
static ms_err scan_into(carve_ctx *c, const uint8_t *buf, size_t len,
                        uint64_t base, uint64_t gstart, uint64_t gend,
                        hits *out)
{
    ms_yara_match *m = NULL;
    size_t n = 0;
    unsigned status = 0;
    ms_err rc = ms_rules_scan_ex(c->cv->rules, buf, len, MS_YARA_TIMEOUT_S,
                                 MS_YARA_MAX_MATCHES, &m, &n, &status);
    if (rc == MS_ERR_NOMEM)
        return rc;
    if (rc)
        ms_scan_add_error(c->scan, "--carve: volume %d: YARA failed at "
                          "offset %" PRIu64, c->volume, base);
    rc = MS_OK;
    for (size_t i = 0; i < n; i++) {
        if (out->n >= MAX_HITS_PER_READ)
            break;              /* hostile free space: bound the dedup work */
        if (ms_grow((void **)&out->h, &out->cap, out->n + 1, sizeof *out->h)) {
            rc = MS_ERR_NOMEM;
            break;
        }
        hit *h = &out->h[out->n++];
        h->m = m[i];
        memset(&m[i], 0, sizeof m[i]);
        h->m.offset += base;
        if (gstart == UINT64_MAX) {
            h->gstart = h->m.offset - h->m.offset % c->g.block_size;
            h->gend = h->gstart + MS_CARVE_GROUP_SPAN;
        } else {
            h->gstart = gstart;
            h->gend = gend;
        }
    }
    ms_yara_matches_free(m, n);
    return rc;
}

/* Header-anchored pass: rules written for whole files test the ELF
 * header at offset 0, which a stream never has.  Every block in the new
 * part of the read that starts with an ELF header is scanned again as a
 * candidate file: up to MS_CARVE_WINDOW bytes, the end of the free run or
 * the next block that starts with an ELF header, whichever comes first
 * (bounded per volume).  The windows' ranges go to win_lo/win_hi. */
static ms_err scan_windows(carve_ctx *c, size_t from, size_t len,
                           uint64_t base, hits *out, uint64_t *win_lo,
                           uint64_t *win_hi, size_t max_win, size_t *nwin)
{
    uint32_t bs = c->g.block_size;
    uint8_t *win = NULL;
    ms_err rc = MS_OK;
    *nwin = 0;
    for (size_t p = from - from % bs; p + 4 <= len && rc == MS_OK; p += bs) {
        if (p < from || memcmp(c->buf + p, "\x7f" "ELF", 4) != 0)
            continue;
        if (c->nwindows++ >= MS_CARVE_MAX_WINDOWS) {
            if (c->nwindows == MS_CARVE_MAX_WINDOWS + 1)
                ms_scan_add_error(c->scan, "--carve: volume %d: more than %d "
                                  "ELF headers in free space, the rest are "
                                  "scanned as a stream only", c->volume,
                                  MS_CARVE_MAX_WINDOWS);
            break;
        }
        uint64_t at = base + p;
        uint64_t wlen = c->run_end - at < MS_CARVE_WINDOW ? c->run_end - at
                                                          : MS_CARVE_WINDOW;
        if (!win && !(win = malloc(MS_CARVE_WINDOW))) {
            rc = MS_ERR_NOMEM;
            break;
        }
        ssize_t got = c->fs->ops->read_raw(c->fs, at, win, (size_t)wlen);
        if (got <= 0)
            continue;
        size_t used = (size_t)got;
        for (size_t q = bs; q + 4 <= used; q += bs)
            if (!memcmp(win + q, "\x7f" "ELF", 4)) {
                used = q;       /* the next file starts here */
                break;
            }
        if (*nwin < max_win) {
            win_lo[*nwin] = at;
            win_hi[*nwin] = at + used;
            (*nwin)++;
        }
        rc = scan_into(c, win, used, at, at, at + used, out);
    }
    free(win);
    return rc;
}

/* Scan buf[0..len), which starts at fs byte offset `base`; the first
 * `carry` bytes were already seen by the previous read. */
static ms_err scan_buf(carve_ctx *c, size_t len, size_t carry, uint64_t base)
{
    hits hs = {0};
    size_t max_win = len / c->g.block_size + 1, nwin = 0;
    uint64_t *lo = calloc(max_win, sizeof *lo), *hi = calloc(max_win, sizeof *hi);
    ms_err rc = lo && hi ? MS_OK : MS_ERR_NOMEM;
    if (rc == MS_OK)
        rc = scan_windows(c, carry, len, base, &hs, lo, hi, max_win, &nwin);
    size_t nwinhits = hs.n;
    if (rc == MS_OK)
        rc = scan_into(c, c->buf, len, base, UINT64_MAX, 0, &hs);
    /* a stream hit inside an ELF window belongs to that candidate file */
    for (size_t i = nwinhits; i < hs.n && rc == MS_OK; i++)
        for (size_t w = 0; w < nwin; w++)
            if (hs.h[i].m.offset >= lo[w] && hs.h[i].m.offset < hi[w]) {
                hs.h[i].gstart = lo[w];
                hs.h[i].gend = hi[w];
                break;
            }
    free(lo);
    free(hi);
    if (hs.n > 1)
        qsort(hs.h, hs.n, sizeof *hs.h, cmp_hit);
    /* keep this read's stream hits (absolute) to drop repeats next time */
    ms_yara_match *keep = hs.n ? calloc(hs.n, sizeof *keep) : NULL;
    size_t nkeep = 0;
    for (size_t i = 0; i < hs.n && rc == MS_OK; i++) {
        int dup = 0;
        for (size_t k = 0; k < c->nprev && !dup; k++)
            dup = same_hit(&hs.h[i].m, &c->prev[k]);
        /* the stream and an ELF window starting the read see the same hit */
        for (size_t k = 0; keep && k < nkeep && !dup; k++)
            dup = same_hit(&hs.h[i].m, &keep[k]);
        if (keep) {
            keep[nkeep].rule = ms_strdup(hs.h[i].m.rule);
            keep[nkeep].ns = ms_strdup(hs.h[i].m.ns);
            keep[nkeep].string_id = ms_strdup(hs.h[i].m.string_id);
            keep[nkeep].offset = hs.h[i].m.offset;
            if (!keep[nkeep].rule || !keep[nkeep].ns || !keep[nkeep].string_id)
                rc = MS_ERR_NOMEM;
            nkeep++;
        }
        if (!dup && rc == MS_OK)
            rc = take_hit(c, &hs.h[i]);
    }
    ms_yara_matches_free(c->prev, c->nprev);
    c->prev = keep;
    c->nprev = nkeep;
    hits_free(&hs);
    return rc;
}

static void progress(carve_ctx *c, int final)
{
    if (!c->cv->progress || !c->total_blocks)
        return;
    fprintf(stderr, "\rcarving volume %d: %3u%% of %" PRIu64 " MiB unallocated%s",
            c->volume, (unsigned)(c->done_blocks * 100 / c->total_blocks),
            c->total_blocks * c->g.block_size >> 20, final ? "\n" : "");
}

static int count_run(void *user, uint64_t first, uint64_t n)
{
    (void)first;
    ((carve_ctx *)user)->total_blocks += n;
    return 0;
}

/* Stream one run of free blocks through the rules. */
static int carve_run(void *user, uint64_t first, uint64_t nblocks)
{
    carve_ctx *c = user;
    uint64_t bs = c->g.block_size;
    if (first >= c->g.block_count || nblocks > c->g.block_count - first)
        nblocks = first < c->g.block_count ? c->g.block_count - first : 0;
    uint64_t off = first * bs, end = (first + nblocks) * bs;
    size_t carry = 0;
    c->run_end = end;
    c->group = -1;
    /* a new run is not contiguous with the last: forget its hits */
    ms_yara_matches_free(c->prev, c->nprev);
    c->prev = NULL;
    c->nprev = 0;
    while (off < end) {
        size_t want = end - off < c->chunk ? (size_t)(end - off) : c->chunk;
        ssize_t got = c->fs->ops->read_raw(c->fs, off, c->buf + carry, want);
        if (got <= 0) {
            ms_scan_add_error(c->scan, "--carve: volume %d: unreadable "
                              "unallocated blocks from %" PRIu64, c->volume,
                              off / bs);
            break;
        }
        if ((c->err = scan_buf(c, carry + (size_t)got, carry, off - carry)) != MS_OK)
            return 1;
        off += (uint64_t)got;
        c->done_blocks += (uint64_t)got / bs;
        progress(c, 0);
        /* the tail of this read opens the next one */
        size_t total = carry + (size_t)got;
        carry = total < c->overlap ? total : c->overlap;
        memmove(c->buf, c->buf + total - carry, carry);
    }
    return c->capped;
}

/* A carved packer hit is unpacked like a file: the bytes from the hit's
 * block (the candidate file's ELF header when the hit came from an
 * ELF-anchored window) up to MS_CARVE_WINDOW go to the static unpacker.
 * A stream hit that does not start at an ELF header fails to unpack, and
 * the report says so. */
static ms_err unpack_carved(carve_ctx *c, size_t first)
{
    uint8_t *win = NULL;
    ms_err rc = MS_OK;
    for (size_t i = first; i < c->scan->nfiles && rc == MS_OK; i++) {
        ms_file *f = &c->scan->files[i];
        if (!(f->origin & MS_ORIGIN_CARVE) || f->unpacked ||
            !ms_unpack_wanted(f, c->cv->rules))
            continue;
        if (!win && !(win = malloc(MS_CARVE_WINDOW))) {
            rc = MS_ERR_NOMEM;
            break;
        }
        ssize_t got = c->fs->ops->read_raw(c->fs, f->carve_block *
                                           c->g.block_size, win,
                                           MS_CARVE_WINDOW);
        if (got <= 0)
            continue;
        rc = ms_unpack_file(f, win, (size_t)got, got == MS_CARVE_WINDOW,
                            c->cv->rules, c->cv->extract_dir);
    }
    free(win);
    return rc;
}

ms_err ms_carve_volume(const ms_carver *cv, ms_fs *fs, ms_scan *scan,
                       int volume)
{
    size_t first_file = scan->nfiles;
    carve_ctx c = { .cv = cv, .fs = fs, .scan = scan, .volume = volume,
                    .group = -1 };
    const ms_fs_ops *ops = fs->ops;
    if (!cv->rules)
        return MS_OK;
    if (!ops->unalloc_runs || !ops->read_raw || !ops->geometry) {
        ms_scan_add_error(scan, "--carve: volume %d: the %s backend cannot "
                          "list unallocated space", volume, ms_fs_type(fs));
        return MS_OK;
    }
    ops->geometry(fs, &c.g);
    c.chunk = cv->chunk ? cv->chunk : MS_CARVE_CHUNK;
    c.overlap = cv->overlap ? cv->overlap : MS_CARVE_OVERLAP;
    if (c.g.block_size == 0 || c.overlap >= c.chunk)
        return MS_ERR_ARG;
    /* whole blocks per read keep block numbers exact */
    c.chunk -= c.chunk % c.g.block_size;
    if (c.chunk == 0)
        c.chunk = c.g.block_size;
    c.buf = malloc(c.overlap + c.chunk);
    if (!c.buf)
        return MS_ERR_NOMEM;
    if (cv->progress)
        ops->unalloc_runs(fs, count_run, &c);
    if (ops->unalloc_runs(fs, carve_run, &c) != MS_OK)
        ms_scan_add_error(scan, "--carve: volume %d: walking unallocated "
                          "blocks failed", volume);
    progress(&c, 1);
    ms_yara_matches_free(c.prev, c.nprev);
    free(c.buf);
    if (c.err == MS_OK)
        c.err = unpack_carved(&c, first_file);
    return c.err;
}
