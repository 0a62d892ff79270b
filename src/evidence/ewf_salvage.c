/* ewf_salvage.c - chunk-level E01 reader for damaged files, see the header.
 *
 * Everything read from the segment files is hostile: section offsets are
 * checked against the file size, the walk is bounded, chunk counts and
 * sizes are bounded, and every decode is checked (zlib stream end and
 * length, Adler-32 of raw chunks). */
#include "evidence/ewf_salvage.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libewf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/ms_mem.h"
#include "evidence/imgwrap.h"

#define SECT_DESC     76u               /* section descriptor bytes */
#define MAX_SECTIONS  (1u << 20)        /* per segment file */
#define MAX_SEGMENTS  4096u
#define MAX_CHUNKS    ((uint64_t)1 << 26) /* 2 TiB of 32 KiB chunks */
#define MAX_CHUNK     (64u << 20)

static const uint8_t evf_sig[8] = { 'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff,
                                    0x00 };

typedef struct chunk {
    uint64_t off;          /* in its segment file */
    uint32_t size;         /* stored bytes */
    uint16_t seg;
    uint8_t  present, compressed;
} chunk;

typedef struct salvage {
    int      *fds;
    size_t    nfds;
    uint64_t *fsize;
    chunk    *chunks;
    uint64_t  nchunks;     /* from the volume section */
    uint32_t  chunk_size;
    uint32_t  bps;         /* bytes per sector */
    uint64_t  media_size;
    uint64_t  next;        /* next chunk number to assign */
    /* one decoded chunk */
    uint8_t  *cache, *raw;
    uint64_t  cached;      /* chunk number + 1, 0 = none */
    /* what happened, for the note */
    int       damaged;
    uint64_t  scanned;     /* chunks recovered without a table */
    char     *why;         /* first damage seen */
} salvage;

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int pread_all(int fd, uint64_t off, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, (char *)buf + done, len - done,
                          (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

static void damage(salvage *s, char *why /* taken */)
{
    s->damaged = 1;
    if (!s->why)
        s->why = why;
    else
        free(why);
}

static void salvage_free(void *ctx)
{
    salvage *s = ctx;
    if (!s)
        return;
    for (size_t i = 0; i < s->nfds; i++)
        if (s->fds[i] >= 0)
            close(s->fds[i]);
    free(s->fds);
    free(s->fsize);
    free(s->chunks);
    free(s->cache);
    free(s->raw);
    free(s->why);
    free(s);
}

/* Bytes of chunk `i` once decoded (the last chunk may be short). */
static uint32_t chunk_len(const salvage *s, uint64_t i)
{
    uint64_t start = i * s->chunk_size;
    uint64_t left = s->media_size > start ? s->media_size - start : 0;
    return left < s->chunk_size ? (uint32_t)left : s->chunk_size;
}

/* Decode stored bytes into s->cache; 0 on success.  *used gets the stored
 * bytes the chunk occupies (compressed stream or raw + Adler-32). */
static int decode(salvage *s, const uint8_t *in, size_t avail, uint32_t want,
                  int compressed_hint, size_t *used)
{
    if (compressed_hint != 0) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit(&z) == Z_OK) {
            z.next_in = (Bytef *)in;
            z.avail_in = (uInt)avail;
            z.next_out = s->cache;
            z.avail_out = want;
            int r = inflate(&z, Z_FINISH);
            size_t in_used = z.total_in, out = z.total_out;
            inflateEnd(&z);
            if (r == Z_STREAM_END && out == want) {
                *used = in_used;
                return 0;
            }
        }
        if (compressed_hint > 0)
            return -1;
    }
    /* raw chunk followed by its Adler-32 */
    if (avail < (size_t)want + 4)
        return -1;
    if (adler32(adler32(0, NULL, 0), in, want) != le32(in + want))
        return -1;
    memcpy(s->cache, in, want);
    *used = (size_t)want + 4;
    return 0;
}

/* A sectors section whose table is missing: recover its chunks in order. */
static ms_err scan_sectors(salvage *s, uint16_t seg, uint64_t start,
                           uint64_t end)
{
    uint64_t p = start;
    while (p < end && s->next < s->nchunks) {
        uint32_t want = chunk_len(s, s->next);
        uint64_t left = end - p;
        size_t avail = left < (uint64_t)want + 4096 ? (size_t)left
                                                    : (size_t)want + 4096;
        size_t used = 0;
        if (pread_all(s->fds[seg], p, s->raw, avail) ||
            decode(s, s->raw, avail, want, -1, &used))
            break;   /* the cut, or damage: the rest is missing */
        chunk *c = &s->chunks[s->next++];
        c->off = p;
        c->size = (uint32_t)used;
        c->seg = seg;
        c->present = 1;
        c->compressed = used != (size_t)want + 4 ||
                        le32(s->raw + want) != adler32(adler32(0, NULL, 0),
                                                       s->cache, want);
        s->scanned++;
        p += used;
    }
    s->cached = 0;
    return MS_OK;
}

/* A table section: chunk offsets relative to its base. */
static ms_err read_table(salvage *s, uint16_t seg, uint64_t off,
                         uint64_t sect_end, uint64_t data_end)
{
    uint8_t h[24];
    if (pread_all(s->fds[seg], off + SECT_DESC, h, sizeof h))
        return MS_ERR_FORMAT;
    uint32_t count = le32(h);
    uint64_t base = le64(h + 8);
    uint64_t need = (uint64_t)count * 4;
    if (count == 0 || count > s->nchunks - s->next ||
        off + SECT_DESC + 24 + need > s->fsize[seg] ||
        off + SECT_DESC + 24 + need > sect_end)
        return MS_ERR_FORMAT;
    uint8_t *e = malloc(need);
    if (!e)
        return MS_ERR_NOMEM;
    if (pread_all(s->fds[seg], off + SECT_DESC + 24, e, need)) {
        free(e);
        return MS_ERR_FORMAT;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t v = le32(e + 4 * (size_t)i);
        uint64_t at = base + (v & 0x7fffffffu), to;
        if (i + 1 < count)
            to = base + (le32(e + 4 * (size_t)(i + 1)) & 0x7fffffffu);
        else
            to = data_end;
        chunk *c = &s->chunks[s->next++];
        if (to > s->fsize[seg])
            to = s->fsize[seg];
        /* inflate stops at its stream end: a bound, not an exact size */
        if (to > at && to - at > (uint64_t)s->chunk_size + 4096)
            to = at + s->chunk_size + 4096;
        if (to <= at)
            continue;   /* absent: listed unreadable */
        c->off = at;
        c->size = (uint32_t)(to - at);
        c->seg = seg;
        c->present = 1;
        c->compressed = (v >> 31) != 0;
    }
    free(e);
    return MS_OK;
}

/* Walk one segment file's sections. */
static ms_err walk_segment(salvage *s, uint16_t seg, int last, int *done)
{
    uint8_t d[SECT_DESC];
    uint64_t off = 13, fsz = s->fsize[seg];
    uint64_t sect_start = 0, sect_end = 0;   /* pending sectors data */
    int pending = 0;
    ms_err rc = MS_OK;

    for (unsigned n = 0; n < MAX_SECTIONS; n++) {
        if (off + SECT_DESC > fsz || pread_all(s->fds[seg], off, d, sizeof d)) {
            damage(s, ms_asprintf("segment %u ends inside its section list "
                                  "(at byte %" PRIu64 " of %" PRIu64 ")",
                                  seg + 1u, off, fsz));
            break;
        }
        if (adler32(adler32(0, NULL, 0), d, 72) != le32(d + 72)) {
            damage(s, ms_asprintf("segment %u: damaged section descriptor "
                                  "at byte %" PRIu64, seg + 1u, off));
            break;
        }
        char type[17];
        memcpy(type, d, 16);
        type[16] = '\0';
        uint64_t next = le64(d + 16), size = le64(d + 24);
        uint64_t end = size >= SECT_DESC && off + size > off ? off + size
                                                               : next;
        if (!strcmp(type, "volume") || !strcmp(type, "disk")) {
            uint8_t v[24];
            if (s->chunk_size == 0 && off + SECT_DESC + 24 <= fsz &&
                !pread_all(s->fds[seg], off + SECT_DESC, v, sizeof v)) {
                uint64_t spc = le32(v + 8), bps = le32(v + 12);
                uint64_t sectors = le64(v + 16);
                if (spc && bps && spc * bps <= MAX_CHUNK &&
                    sectors <= UINT64_MAX / bps) {
                    s->chunk_size = (uint32_t)(spc * bps);
                    s->bps = (uint32_t)bps;
                    s->media_size = sectors * bps;
                    s->nchunks = (s->media_size + s->chunk_size - 1) /
                                 s->chunk_size;
                }
            }
        } else if (!strcmp(type, "sectors")) {
            if (pending && (rc = scan_sectors(s, seg, sect_start, sect_end)))
                break;
            pending = 1;
            sect_start = off + SECT_DESC;
            sect_end = end < fsz ? end : fsz;
        } else if (!strcmp(type, "table") && s->chunks) {
            ms_err t = pending ? read_table(s, seg, off, end, off)
                               : MS_ERR_FORMAT;
            if (t == MS_ERR_NOMEM) {
                rc = t;
                break;
            }
            if (t != MS_OK && pending) {
                damage(s, ms_asprintf("segment %u: chunk table at byte %"
                                      PRIu64 " unusable", seg + 1u, off));
                if ((rc = scan_sectors(s, seg, sect_start, sect_end)))
                    break;
            }
            pending = 0;
        } else if (!strcmp(type, "next") || !strcmp(type, "done")) {
            *done = !strcmp(type, "done");
            if (!*done && last)
                damage(s, ms_asprintf("segment %u says more segments "
                                      "follow, but none was found",
                                      seg + 1u));
            break;
        }
        if (!s->chunks && s->nchunks) {
            if (s->nchunks > MAX_CHUNKS) {
                rc = MS_ERR_LIMIT;
                break;
            }
            s->chunks = calloc((size_t)s->nchunks, sizeof *s->chunks);
            s->cache = malloc(s->chunk_size);
            s->raw = malloc((size_t)s->chunk_size + 4096 + 4);
            if (!s->chunks || !s->cache || !s->raw) {
                rc = MS_ERR_NOMEM;
                break;
            }
        }
        if (next <= off || next > fsz) {
            if (next > fsz)
                damage(s, ms_asprintf("segment %u is cut short: its %s "
                                      "section runs to byte %" PRIu64
                                      " but the file has %" PRIu64,
                                      seg + 1u, type, next, fsz));
            else
                damage(s, ms_asprintf("segment %u: section chain broken "
                                      "at byte %" PRIu64, seg + 1u, off));
            break;
        }
        off = next;
    }
    /* a sectors section whose table never came */
    if (rc == MS_OK && pending && s->chunks) {
        s->damaged = 1;
        rc = scan_sectors(s, seg, sect_start, sect_end);
    }
    return rc;
}

static ssize_t salvage_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    salvage *s = ctx;
    size_t done = 0;
    while (done < len) {
        uint64_t pos = off + done, i = pos / s->chunk_size;
        if (i >= s->nchunks || !s->chunks[i].present)
            break;
        if (s->cached != i + 1) {
            const chunk *c = &s->chunks[i];
            size_t used;
            s->cached = 0;
            if (c->size > (size_t)s->chunk_size + 4096 ||
                pread_all(s->fds[c->seg], c->off, s->raw, c->size) ||
                decode(s, s->raw, c->size, chunk_len(s, i), c->compressed,
                       &used))
                break;
            s->cached = i + 1;
        }
        uint32_t in = (uint32_t)(pos % s->chunk_size);
        size_t n = chunk_len(s, i) - in;
        if (n > len - done)
            n = len - done;
        memcpy((char *)buf + done, s->cache + in, n);
        done += n;
    }
    return done ? (ssize_t)done : -1;
}

static int is_evf(const char *path)
{
    uint8_t h[8];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int ok = pread_all(fd, 0, h, sizeof h) == 0 && !memcmp(h, evf_sig, 8);
    close(fd);
    return ok;
}

ms_err ms_ewf_salvage_open(const char *const *paths, size_t n,
                           ms_badlist *bad, TSK_IMG_INFO **out, char **note)
{
    char **names = NULL;
    int nnames = 0;
    libewf_error_t *e = NULL;
    salvage *s = NULL;
    int done = 0;
    ms_err rc = MS_ERR_FORMAT;

    *out = NULL;
    if (n == 0 || !is_evf(paths[0]))
        return MS_ERR_FORMAT;
    if (n == 1 && libewf_glob(paths[0], strlen(paths[0]),
                              LIBEWF_FORMAT_UNKNOWN, &names, &nnames,
                              &e) == 1 && nnames > 0) {
        n = (size_t)nnames;
        paths = (const char *const *)names;
    }
    if (e)
        libewf_error_free(&e);
    if (n > MAX_SEGMENTS)
        goto _exit;
    if (!(s = calloc(1, sizeof *s)) ||
        !(s->fds = malloc(n * sizeof *s->fds)) ||
        !(s->fsize = calloc(n, sizeof *s->fsize))) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        uint8_t h[13];
        s->fds[s->nfds++] = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (s->fds[i] < 0 || fstat(s->fds[i], &st) || st.st_size < 13 ||
            pread_all(s->fds[i], 0, h, sizeof h) || memcmp(h, evf_sig, 8))
            goto _exit;   /* not an E01 segment libewf would read either */
        s->fsize[i] = (uint64_t)st.st_size;
    }
    for (size_t i = 0; i < n && !done; i++) {
        rc = walk_segment(s, (uint16_t)i, i + 1 == n, &done);
        if (rc)
            goto _exit;
        if (!done && s->damaged)
            break;
    }
    if (!done || s->next < s->nchunks)
        s->damaged = 1;
    rc = MS_OK;
    if (!s->damaged)
        goto _exit;       /* intact: libewf reads it */
    rc = MS_ERR_FORMAT;
    if (!s->chunks || !s->media_size) {
        *note = ms_strdup("damaged E01: no volume section (media size) "
                          "could be read");
        goto _exit;
    }
    uint64_t present = 0;
    for (uint64_t i = 0; i < s->nchunks; i++) {
        if (s->chunks[i].present) {
            present++;
            continue;
        }
        uint64_t at = i * s->chunk_size;
        ms_badlist_add(bad, at, chunk_len(s, i), MS_BAD_EWF_CHUNK);
    }
    *note = ms_asprintf("damaged E01 (%s): %" PRIu64 " of %" PRIu64
                        " chunks present%s%s; the missing ones are listed "
                        "as unreadable media",
                        s->why ? s->why : "no end section",
                        present, s->nchunks,
                        s->scanned ? ", recovered without their chunk "
                                     "table by decoding them in order" : "",
                        "");
    rc = ms_imgwrap_open(s, s->media_size, s->bps, salvage_read,
                         salvage_free, out);
    if (rc == MS_OK)
        s = NULL;
_exit:
    salvage_free(s);
    if (names)
        libewf_glob_free(names, nnames, NULL);
    return rc;
}
