/* vmdk_grains.c - guest ranges of a truncated sparse VMDK that are gone.
 * Field offsets are those of VMware's SparseExtentHeader (packed, little
 * endian). */
#include "evidence/vmdk_grains.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ms_mem.h"

#define KDMV            0x564d444bu   /* "KDMV" read little endian */
#define SECTOR          512u
#define GD_AT_END       UINT64_MAX    /* streamOptimized: GD in the footer */
#define FLAG_COMPRESSED 0x10000u
/* Bounds on hostile headers: grains of at most 512 MiB, tables of at most
 * 64 Ki entries, at most 16 Mi grain tables (512 TiB of 64 KiB grains in
 * tables of 512, VMware's defaults). */
#define MAX_GRAIN_SECTORS (1u << 20)
#define MAX_GTES          (1u << 16)
#define MAX_GTS           (1u << 24)

typedef struct hdr {
    uint32_t flags;
    uint64_t capacity, grain, gd;     /* sectors */
    uint32_t gtes;
} hdr;

typedef struct walk {
    int fd;
    uint64_t fsize;
    hdr h;
    ms_badlist *bad;
    uint64_t allocated, missing;      /* grains */
} walk;

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* 1 when [off, off+len) lies wholly inside the file. */
static int inside(const walk *w, uint64_t off, uint64_t len)
{
    return off <= w->fsize && len <= w->fsize - off;
}

static int read_at(const walk *w, uint64_t off, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(w->fd, (uint8_t *)buf + done, len - done,
                          (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* Header at off; 0 when it is a usable sparse header. */
static int parse_hdr(const walk *w, uint64_t off, hdr *h)
{
    uint8_t b[SECTOR];
    if (!inside(w, off, SECTOR) || read_at(w, off, b, SECTOR) ||
        le32(b) != KDMV)
        return -1;
    h->flags = le32(b + 8);
    h->capacity = le64(b + 12);
    h->grain = le64(b + 20);
    h->gtes = le32(b + 44);
    h->gd = le64(b + 56);
    if (h->grain == 0 || h->grain > MAX_GRAIN_SECTORS ||
        (h->grain & (h->grain - 1)) || h->gtes == 0 || h->gtes > MAX_GTES ||
        h->capacity == 0 || h->capacity > (UINT64_MAX / SECTOR) / 2)
        return -1;
    return 0;
}

/* Grains [first, first+n) of the guest are gone. */
static void lose(walk *w, uint64_t first, uint64_t n)
{
    uint64_t gbytes = w->h.grain * SECTOR, cap = w->h.capacity * SECTOR;
    uint64_t off = first * gbytes, len = n * gbytes;
    if (off >= cap)
        return;
    if (len > cap - off)
        len = cap - off;
    ms_badlist_add(w->bad, off, len, MS_BAD_VMDK_GRAIN);
    w->missing += n;
}

/* Is the grain at sector s (a grain-table entry) present in the file? */
static int grain_present(const walk *w, uint64_t s)
{
    uint8_t m[12];
    if (s > UINT64_MAX / SECTOR)
        return 0;
    if (!(w->h.flags & FLAG_COMPRESSED))
        return inside(w, s * SECTOR, w->h.grain * SECTOR);
    /* a compressed grain: marker (lba, size) then size bytes of deflate */
    if (!inside(w, s * SECTOR, sizeof m) || read_at(w, s * SECTOR, m, sizeof m))
        return 0;
    return inside(w, s * SECTOR + sizeof m, le32(m + 8));
}

static ms_err walk_table(walk *w, uint64_t gt_index, uint64_t gt_sector,
                         uint32_t *gt)
{
    uint64_t first = gt_index * w->h.gtes;
    size_t bytes = (size_t)w->h.gtes * 4;
    if (gt_sector > UINT64_MAX / SECTOR ||
        !inside(w, gt_sector * SECTOR, bytes) ||
        read_at(w, gt_sector * SECTOR, gt, bytes)) {
        /* the table itself is gone: every grain it maps is unknown */
        w->allocated += w->h.gtes;
        lose(w, first, w->h.gtes);
        return MS_OK;
    }
    for (uint32_t j = 0; j < w->h.gtes; j++) {
        uint32_t e = le32((const uint8_t *)&gt[j]);
        if (e <= 1)        /* 0: sparse, 1: zeroed grain - no bytes */
            continue;
        w->allocated++;
        if (!grain_present(w, e))
            lose(w, first + j, 1);
    }
    return MS_OK;
}

ms_err ms_vmdk_missing_grains(const char *path, ms_badlist *bad, char **note)
{
    walk w = { .fd = -1, .bad = bad };
    struct stat st;
    uint32_t *gt = NULL;
    uint8_t *gd = NULL;
    ms_err rc = MS_OK;

    *note = NULL;
    w.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (w.fd < 0 || fstat(w.fd, &st) || !S_ISREG(st.st_mode))
        goto _exit;
    w.fsize = (uint64_t)st.st_size;
    if (parse_hdr(&w, 0, &w.h))
        goto _exit;
    if (w.h.gd == GD_AT_END) {
        /* streamOptimized: the header copy in the footer, 1 KiB before
         * the end (footer marker, footer, end-of-stream marker) */
        hdr f;
        if (w.fsize < 1024 || parse_hdr(&w, w.fsize - 1024, &f) ||
            f.gd == GD_AT_END) {
            ms_badlist_add(bad, 0, w.h.capacity * SECTOR, MS_BAD_VMDK_GRAIN);
            *note = ms_asprintf("damaged VMDK (stream-optimized, %" PRIu64
                                " bytes): the footer holding the grain "
                                "directory is missing, so no grain can be "
                                "located", w.fsize);
            rc = *note ? MS_OK : MS_ERR_NOMEM;
            goto _exit;
        }
        w.h.gd = f.gd;
    }
    uint64_t span = w.h.grain * w.h.gtes;            /* sectors per table */
    uint64_t ngt = w.h.capacity / span + (w.h.capacity % span != 0);
    if (ngt > MAX_GTS || w.h.gd > UINT64_MAX / SECTOR)
        goto _exit;
    if (!(gd = malloc(ngt * 4)) || !(gt = malloc((size_t)w.h.gtes * 4))) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if (!inside(&w, w.h.gd * SECTOR, ngt * 4) ||
        read_at(&w, w.h.gd * SECTOR, gd, ngt * 4)) {
        ms_badlist_add(bad, 0, w.h.capacity * SECTOR, MS_BAD_VMDK_GRAIN);
        *note = ms_asprintf("damaged VMDK (extent file of %" PRIu64 " bytes): "
                            "its grain directory lies beyond the end, so no "
                            "grain can be located", w.fsize);
        rc = *note ? MS_OK : MS_ERR_NOMEM;
        goto _exit;
    }
    for (uint64_t i = 0; i < ngt && rc == MS_OK; i++) {
        uint32_t s = le32(gd + i * 4);
        if (s != 0)
            rc = walk_table(&w, i, s, gt);
    }
    if (rc == MS_OK && w.missing) {
        *note = ms_asprintf("damaged VMDK (extent file cut short at %" PRIu64
                            " bytes): %" PRIu64 " of %" PRIu64 " allocated "
                            "grains lie beyond its end; they were read as "
                            "zeros and are listed as unreadable", w.fsize,
                            w.missing, w.allocated);
        if (!*note)
            rc = MS_ERR_NOMEM;
    }
_exit:
    free(gd);
    free(gt);
    if (w.fd >= 0)
        close(w.fd);
    return rc;
}
