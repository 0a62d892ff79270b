/* qcow_snap.c - qcow2 header features and internal snapshots, read by us.
 *
 * Layout (QEMU's docs/interop/qcow2.txt): big-endian header; version 3
 * adds feature bit masks, header_length and, past byte 104, the
 * compression type; header extensions follow the header inside the first
 * cluster.  The snapshot table is a list of 8-byte aligned entries, each
 * with its own L1 table; guest cluster c is found through L1[c / n] ->
 * L2 table -> L2[c % n] (n = cluster_size / 8), as for the current
 * state. */
#include "evidence/qcow_snap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/ms_mem.h"
#include "evidence/imgwrap.h"

#define MAX_SNAPSHOTS   65536u        /* QEMU's own limit */
#define MAX_EXTRA_DATA  1024u         /* QEMU's own limit */
#define MAX_L1_BYTES    (32u << 20)   /* QEMU's own limit */
#define MAX_DATA_NAME   4096u
#define OFFSET_MASK     0x00fffffffffffe00ULL
#define L2_COMPRESSED   (1ULL << 62)

enum {
    INC_DIRTY = 1, INC_CORRUPT = 2, INC_DATA_FILE = 4, INC_COMPRESSION = 8,
    INC_EXTL2 = 16, INC_KNOWN = 31
};

struct ms_qcow2 {
    char     *path;
    uint64_t  file_size;
    uint32_t  version;
    uint32_t  cluster_bits;
    uint64_t  size;
    uint64_t  backing_offset;   /* 0: no backing file */
    uint32_t  crypt_method;
    uint32_t  l1_size;          /* the current state's L1 table */
    uint64_t  l1_offset;
    uint64_t  incompat;
    uint8_t   compression_type;
    char     *data_file;        /* name recorded in the header, or NULL */
    ms_qcow2_snapshot *snaps;
    size_t    nsnaps;
    char     *snap_err;
};

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Exactly len bytes at off, or -1 (a short file is an error). */
static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

/* A NUL-terminated copy of n stored bytes (NULs inside kept out). */
static char *stored_string(const unsigned char *p, size_t n)
{
    return ms_strndup((const char *)p, n);
}

static ms_err read_header(ms_qcow2 *q, int fd, char **err_text)
{
    unsigned char h[4096];
    size_t have = q->file_size < sizeof h ? (size_t)q->file_size : sizeof h;

    if (have < 72 || pread_all(fd, h, have, 0) != 0 ||
        memcmp(h, "QFI\xfb", 4) != 0) {
        *err_text = ms_strdup("not a qcow file (header unreadable)");
        return MS_ERR_FORMAT;
    }
    q->version = be32(h + 4);
    if (q->version == 1)
        return MS_OK;    /* qcow v1: no features, no snapshots */
    if (q->version != 2 && q->version != 3) {
        *err_text = ms_asprintf("qcow version %u is not known",
                                (unsigned)q->version);
        return MS_ERR_UNSUPPORTED;
    }
    q->backing_offset = be64(h + 8);
    q->cluster_bits = be32(h + 20);
    q->size = be64(h + 24);
    q->crypt_method = be32(h + 32);
    q->l1_size = be32(h + 36);
    q->l1_offset = be64(h + 40);
    if (q->cluster_bits < 9 || q->cluster_bits > 21) {
        *err_text = ms_asprintf("qcow2 header: cluster_bits %u out of "
                                "range", (unsigned)q->cluster_bits);
        return MS_ERR_FORMAT;
    }
    size_t ext = 72;
    if (q->version == 3) {
        if (have < 104) {
            *err_text = ms_strdup("qcow2 v3 header truncated");
            return MS_ERR_FORMAT;
        }
        q->incompat = be64(h + 72);
        uint32_t hlen = be32(h + 100);
        if (hlen < 104 || hlen > have) {
            *err_text = ms_asprintf("qcow2 header_length %u out of range",
                                    (unsigned)hlen);
            return MS_ERR_FORMAT;
        }
        if (hlen > 104)
            q->compression_type = h[104];
        ext = (hlen + 7u) & ~7u;
    }
    /* Header extensions, inside the first cluster (and our window). */
    size_t limit = have;
    if (((size_t)1 << q->cluster_bits) < limit)
        limit = (size_t)1 << q->cluster_bits;
    for (int k = 0; k < 256 && ext + 8 <= limit; k++) {
        uint32_t type = be32(h + ext), len = be32(h + ext + 4);
        if (type == 0 || len > limit - ext - 8)
            break;
        if (type == 0x44415441u && !q->data_file)    /* "DATA" */
            q->data_file = stored_string(h + ext + 8,
                                         len < MAX_DATA_NAME ? len
                                                             : MAX_DATA_NAME);
        ext += 8 + (((size_t)len + 7u) & ~(size_t)7u);
    }
    return MS_OK;
}

/* The snapshot table; a damaged entry ends it with q->snap_err. */
static ms_err read_snapshots(ms_qcow2 *q, int fd, uint32_t n, uint64_t off)
{
    if (n == 0)
        return MS_OK;
    if (n > MAX_SNAPSHOTS) {
        q->snap_err = ms_asprintf("snapshot table claims %u snapshots "
                                  "(more than QEMU's limit of %u)",
                                  (unsigned)n, MAX_SNAPSHOTS);
        return MS_OK;
    }
    q->snaps = calloc(n, sizeof *q->snaps);
    if (!q->snaps)
        return MS_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        unsigned char e[40], extra[MAX_EXTRA_DATA];
        if (off > q->file_size || q->file_size - off < sizeof e ||
            pread_all(fd, e, sizeof e, off) != 0) {
            q->snap_err = ms_asprintf("snapshot table entry %u lies outside "
                                      "the file", (unsigned)i + 1);
            return MS_OK;
        }
        uint32_t extra_len = be32(e + 36);
        uint16_t id_len = be16(e + 12), name_len = be16(e + 14);
        uint64_t rest = (uint64_t)extra_len + id_len + name_len;
        if (extra_len > MAX_EXTRA_DATA ||
            q->file_size - off - sizeof e < rest) {
            q->snap_err = ms_asprintf("snapshot table entry %u is damaged "
                                      "(sizes beyond the file or limits)",
                                      (unsigned)i + 1);
            return MS_OK;
        }
        unsigned char *strs = malloc((size_t)id_len + name_len + 1);
        if (!strs)
            return MS_ERR_NOMEM;
        if ((extra_len &&
             pread_all(fd, extra, extra_len, off + sizeof e) != 0) ||
            pread_all(fd, strs, (size_t)id_len + name_len,
                      off + sizeof e + extra_len) != 0) {
            free(strs);
            q->snap_err = ms_asprintf("snapshot table entry %u unreadable",
                                      (unsigned)i + 1);
            return MS_OK;
        }
        ms_qcow2_snapshot *s = &q->snaps[q->nsnaps];
        s->l1_offset = be64(e);
        s->l1_size = be32(e + 8);
        s->date_sec = be32(e + 16);
        s->disk_size = extra_len >= 16 ? be64(extra + 8) : q->size;
        s->id = stored_string(strs, id_len);
        s->name = stored_string(strs + id_len, name_len);
        free(strs);
        if (!s->id || !s->name) {
            free(s->id);
            free(s->name);
            return MS_ERR_NOMEM;
        }
        q->nsnaps++;
        off += (sizeof e + rest + 7u) & ~(uint64_t)7u;
    }
    return MS_OK;
}

ms_err ms_qcow2_open(const char *path, ms_qcow2 **out, char **err_text)
{
    struct stat st;
    ms_err rc = MS_ERR_NOMEM;
    ms_qcow2 *q = calloc(1, sizeof *q);
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    *out = NULL;
    if (!q)
        goto _exit;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *err_text = ms_asprintf("cannot open '%s': %s", path,
                                strerror(errno));
        rc = MS_ERR_IO;
        goto _exit;
    }
    q->file_size = (uint64_t)st.st_size;
    if (!(q->path = ms_strdup(path)))
        goto _exit;
    if ((rc = read_header(q, fd, err_text)) != MS_OK)
        goto _exit;
    if (q->version >= 2) {
        unsigned char h[12];
        if (pread_all(fd, h, sizeof h, 60) != 0) {
            rc = MS_ERR_FORMAT;
            *err_text = ms_strdup("qcow2 header truncated");
            goto _exit;
        }
        rc = read_snapshots(q, fd, be32(h), be64(h + 4));
        if (rc)
            goto _exit;
    }
    *out = q;
    q = NULL;
_exit:
    if (fd >= 0)
        close(fd);
    ms_qcow2_close(q);
    return rc;
}

char *ms_qcow2_unsupported(const ms_qcow2 *q)
{
    ms_buf b = {0};
    const char *sep = "";
    if (q->incompat & INC_DATA_FILE) {
        ms_buf_printf(&b, "%sexternal data file", sep);
        if (q->data_file)
            ms_buf_printf(&b, " '%s'", q->data_file);
        ms_buf_printf(&b, " (incompatible feature bit 2: the guest data "
                      "is kept outside this file, which is not opened)");
        sep = "; ";
    }
    if ((q->incompat & INC_COMPRESSION) || q->compression_type) {
        if (q->compression_type == 1)
            ms_buf_printf(&b, "%szstd compression (incompatible feature "
                          "bit 3, compression_type 1)", sep);
        else
            ms_buf_printf(&b, "%scompression type %u (incompatible feature "
                          "bit 3)", sep, (unsigned)q->compression_type);
        sep = "; ";
    }
    if (q->incompat & INC_EXTL2) {
        ms_buf_printf(&b, "%sextended L2 entries / subclusters "
                      "(incompatible feature bit 4)", sep);
        sep = "; ";
    }
    for (int bit = 5; bit < 64; bit++)
        if (q->incompat & (1ULL << bit)) {
            ms_buf_printf(&b, "%sunknown incompatible feature bit %d", sep,
                          bit);
            sep = "; ";
        }
    if (!*sep) {
        ms_buf_free(&b);
        return NULL;
    }
    char *list = ms_buf_steal(&b);
    char *s = list ? ms_asprintf("qcow2 v%u image uses %s, which this "
                                 "version cannot read", (unsigned)q->version,
                                 list)
                   : NULL;
    free(list);
    return s;
}

size_t ms_qcow2_snapshot_count(const ms_qcow2 *q) { return q->nsnaps; }

const ms_qcow2_snapshot *ms_qcow2_snapshot_get(const ms_qcow2 *q, size_t i)
{
    return i < q->nsnaps ? &q->snaps[i] : NULL;
}

const char *ms_qcow2_snapshot_error(const ms_qcow2 *q) { return q->snap_err; }

void ms_qcow2_close(ms_qcow2 *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->nsnaps; i++) {
        free(q->snaps[i].id);
        free(q->snaps[i].name);
    }
    free(q->snaps);
    free(q->snap_err);
    free(q->data_file);
    free(q->path);
    free(q);
}

/* ---- a snapshot's guest disk ----------------------------------------- */

typedef struct snapimg {
    int       fd;
    uint64_t  file_size;
    uint32_t  cluster_bits;
    uint64_t  csize;
    int       v3;
    uint8_t   compression_type;
    uint64_t *l1;             /* host order */
    uint32_t  l1_size;
    uint64_t *l2;             /* cached L2 table, host order */
    uint64_t  l2_off;         /* its file offset, 0: none */
    unsigned char *cbuf;      /* cached decompressed cluster */
    uint64_t  c_off;          /* its compressed descriptor, ~0: none */
    unsigned char *zbuf;      /* compressed bytes */
} snapimg;

static void snap_free(void *ctx)
{
    snapimg *s = ctx;
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->l1);
    free(s->l2);
    free(s->cbuf);
    free(s->zbuf);
    free(s);
}

static int load_l2(snapimg *s, uint64_t off)
{
    if (s->l2_off == off)
        return 0;
    s->l2_off = 0;
    if (off % s->csize || off > s->file_size || s->file_size - off < s->csize ||
        pread_all(s->fd, s->l2, (size_t)s->csize, off) != 0)
        return -1;
    for (uint64_t i = 0; i < s->csize / 8; i++)
        s->l2[i] = be64((const unsigned char *)&s->l2[i]);
    s->l2_off = off;
    return 0;
}

/* Decompress the cluster described by L2 entry e into s->cbuf. */
static int load_compressed(snapimg *s, uint64_t e)
{
    if (s->c_off == e)
        return 0;
    s->c_off = ~0ULL;
    if (s->compression_type != 0)
        return -1;    /* zstd: refused up front, never guessed at */
    unsigned x = 62 - (s->cluster_bits - 8);
    uint64_t off = e & ((1ULL << x) - 1);
    uint64_t nsec = (e >> x) & ((1ULL << (s->cluster_bits - 8)) - 1);
    uint64_t len = (nsec + 1) * 512 - (off & 511);
    if (len > 2 * s->csize + 512)
        return -1;
    if (off >= s->file_size)
        return -1;
    if (len > s->file_size - off)
        len = s->file_size - off;   /* the last one may end the file */
    if (pread_all(s->fd, s->zbuf, (size_t)len, off) != 0)
        return -1;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -12) != Z_OK)
        return -1;
    z.next_in = s->zbuf;
    z.avail_in = (uInt)len;
    z.next_out = s->cbuf;
    z.avail_out = (uInt)s->csize;
    int r = inflate(&z, Z_FINISH);
    int ok = (r == Z_STREAM_END || r == Z_BUF_ERROR) && z.avail_out == 0;
    inflateEnd(&z);
    if (!ok)
        return -1;
    s->c_off = e;
    return 0;
}

/* n bytes at offset `in` of guest cluster ci into dst. */
static int cluster_read(snapimg *s, uint64_t ci, size_t in, unsigned char *dst,
                        size_t n)
{
    uint64_t per = s->csize / 8;
    uint64_t l1i = ci / per;
    if (l1i >= s->l1_size)
        goto zero;
    uint64_t l2off = s->l1[l1i] & OFFSET_MASK;
    if (!l2off)
        goto zero;
    if (load_l2(s, l2off))
        return -1;
    uint64_t e = s->l2[ci % per];
    if (e & L2_COMPRESSED) {
        if (load_compressed(s, e & ~(3ULL << 62)))
            return -1;
        memcpy(dst, s->cbuf + in, n);
        return 0;
    }
    uint64_t host = e & OFFSET_MASK;
    if ((s->v3 && (e & 1)) || host == 0)
        goto zero;    /* zero cluster, or unallocated without backing file */
    if (host > s->file_size || s->file_size - host < in + n)
        return -1;
    return pread_all(s->fd, dst, n, host + in);
zero:
    memset(dst, 0, n);
    return 0;
}

static ssize_t snap_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    snapimg *s = ctx;
    size_t done = 0;
    while (done < len) {
        uint64_t g = off + done;
        size_t in = (size_t)(g & (s->csize - 1));
        size_t n = len - done < s->csize - in ? len - done
                                              : (size_t)(s->csize - in);
        if (cluster_read(s, g >> s->cluster_bits, in,
                         (unsigned char *)buf + done, n))
            return done ? (ssize_t)done : -1;
        done += n;
    }
    return (ssize_t)done;
}

/* A guest disk of disk_size bytes through the L1 table at l1_offset. */
static ms_err open_l1(const ms_qcow2 *q, uint64_t l1_offset, uint32_t l1_size,
                      uint64_t disk_size, TSK_IMG_INFO **out, char **why)
{
    snapimg *s = NULL;
    ms_err rc = MS_ERR_FORMAT;

    *out = NULL;
    if (q->version < 2)
        return MS_ERR_ARG;
    char *unsup = ms_qcow2_unsupported(q);
    if (unsup) {
        *why = unsup;
        return MS_ERR_UNSUPPORTED;
    }
    if (q->backing_offset || q->crypt_method) {
        *why = ms_strdup(q->backing_offset
                         ? "the image has a backing file (not resolved)"
                         : "the image is encrypted");
        return MS_ERR_UNSUPPORTED;
    }
    uint64_t csize = 1ULL << q->cluster_bits;
    uint64_t per = csize / 8;
    uint64_t need = disk_size / (csize * per) +
                    (disk_size % (csize * per) != 0);
    if (disk_size == 0 || disk_size > (1ULL << 62)) {
        *why = ms_asprintf("disk size %llu is not usable",
                           (unsigned long long)disk_size);
        return MS_ERR_FORMAT;
    }
    if ((uint64_t)l1_size * 8 > MAX_L1_BYTES || l1_size < need ||
        l1_offset > q->file_size ||
        q->file_size - l1_offset < (uint64_t)l1_size * 8) {
        *why = ms_asprintf("L1 table (%u entries at byte %llu) is "
                           "damaged or outside the file",
                           (unsigned)l1_size, (unsigned long long)l1_offset);
        return MS_ERR_FORMAT;
    }
    if (!(s = calloc(1, sizeof *s)))
        return MS_ERR_NOMEM;
    s->fd = -1;
    s->file_size = q->file_size;
    s->cluster_bits = q->cluster_bits;
    s->csize = csize;
    s->v3 = q->version >= 3;
    s->compression_type = q->compression_type;
    s->l1_size = l1_size;
    s->c_off = ~0ULL;
    rc = MS_ERR_NOMEM;
    if (!(s->l1 = calloc(l1_size ? l1_size : 1, 8)) ||
        !(s->l2 = malloc((size_t)csize)) || !(s->cbuf = malloc((size_t)csize)) ||
        !(s->zbuf = malloc((size_t)(2 * csize + 512))))
        goto _exit;
    s->fd = open(q->path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0 ||
        pread_all(s->fd, s->l1, (size_t)l1_size * 8, l1_offset)) {
        *why = ms_asprintf("cannot read the L1 table: %s",
                           s->fd < 0 ? strerror(errno) : "short read");
        rc = MS_ERR_IO;
        goto _exit;
    }
    for (uint32_t k = 0; k < l1_size; k++)
        s->l1[k] = be64((const unsigned char *)&s->l1[k]);
    rc = ms_imgwrap_open(s, disk_size, 512, snap_read, snap_free, out);
    if (rc == MS_OK)
        return MS_OK;
    *why = ms_strdup("cannot wrap the qcow2 disk for libtsk");
_exit:
    snap_free(s);
    return rc;
}

ms_err ms_qcow2_snapshot_open(const ms_qcow2 *q, size_t i,
                              TSK_IMG_INFO **out, char **why)
{
    const ms_qcow2_snapshot *sn = ms_qcow2_snapshot_get(q, i);
    *out = NULL;
    if (!sn)
        return MS_ERR_ARG;
    return open_l1(q, sn->l1_offset, sn->l1_size, sn->disk_size, out, why);
}

ms_err ms_qcow2_current_open(const ms_qcow2 *q, TSK_IMG_INFO **out,
                             char **why)
{
    return open_l1(q, q->l1_offset, q->l1_size, q->size, out, why);
}

int ms_qcow2_version(const ms_qcow2 *q) { return (int)q->version; }
