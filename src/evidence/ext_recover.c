/* ext_recover.c - journal recovery of deleted ext3/ext4 files. */
#include "evidence/ext_recover.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/ext_journal.h"

#define EXT_MAGIC            0xEF53u
#define EXT_INCOMPAT_META_BG 0x10u
#define EXT_INCOMPAT_64BIT   0x80u
#define EXT_EXTENTS_FL       0x80000u
#define EXTENT_MAGIC         0xF30Au
#define EXTENT_MAX_DEPTH     5     /* the kernel's limit */
#define MAX_RUNS             4096  /* extents/pointer runs per file */
#define MAX_META_READS       4096  /* index/indirect blocks per file */
#define MAX_COPIES_TRIED     64    /* journal copies of one inode block */

typedef struct run { uint64_t lblk, pblk, len; } run;

struct ms_ext_ctx {
    TSK_FS_INFO *fs;
    uint32_t bs;
    uint32_t inodes_per_group, inode_size, desc_size, first_data_block;
    uint64_t inodes_count, blocks_count, ngroups;
    uint32_t blocks_per_group;
    uint32_t first_meta_bg;  /* META_BG: first descriptor block moved, or
                                UINT32_MAX when the feature is off */
    uint32_t journal_inum;
    int      journal_ok;     /* map holds the scanned journal */
    TSK_FS_FILE *jf;         /* the journal inode, open while journal_ok */
    char    *journal_why;    /* why not */
    ms_jmap  map;
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static int fs_read(const ms_ext_ctx *c, uint64_t off, void *buf, size_t len)
{
    tsk_error_reset();
    ssize_t got = tsk_fs_read(c->fs, (TSK_OFF_T)off, buf, len);
    return got == (ssize_t)len ? 0 : -1;
}

/* ---- journal access ----------------------------------------------------- */

typedef struct jreader { TSK_FS_FILE *jf; uint32_t bs; } jreader;

static int jread(void *user, uint32_t j, uint8_t *buf)
{
    jreader *r = user;
    tsk_error_reset();
    ssize_t got = tsk_fs_file_read(r->jf, (TSK_OFF_T)j * r->bs, (char *)buf,
                                   r->bs, TSK_FS_FILE_READ_FLAG_NONE);
    return got == (ssize_t)r->bs ? 0 : -1;
}

static ms_err load_journal(ms_ext_ctx *c, char **why)
{
    ms_err rc = MS_ERR_UNSUPPORTED;
    uint8_t *b = malloc(c->bs);
    tsk_error_reset();
    TSK_FS_FILE *jf = tsk_fs_file_open_meta(c->fs, NULL, c->journal_inum);
    jreader r = { jf, c->bs };
    ms_jsb sb;

    if (!b) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if (!jf || !jf->meta || jread(&r, 0, b) != 0) {
        *why = ms_strdup("the journal inode could not be read");
        goto _exit;
    }
    if (ms_jsb_parse(b, c->bs, &sb) != MS_OK || sb.blocksize != c->bs) {
        *why = ms_strdup("no valid jbd2 journal superblock");
        goto _exit;
    }
    /* never trust s_maxlen beyond the journal file itself */
    uint64_t fblocks = (uint64_t)jf->meta->size / c->bs;
    if (sb.maxlen > fblocks)
        sb.maxlen = (uint32_t)fblocks;
    if (sb.first >= sb.maxlen) {
        *why = ms_strdup("journal superblock geometry is inconsistent");
        goto _exit;
    }
    rc = ms_journal_scan(&sb, jread, &r, &c->map);
    if (rc == MS_OK) {
        c->jf = jf;          /* kept for reading copies later */
        jf = NULL;
    }
_exit:
    if (jf)
        tsk_fs_file_close(jf);
    free(b);
    return rc;
}

ms_err ms_ext_ctx_open(TSK_FS_INFO *fs, ms_ext_ctx **out, char **why)
{
    uint8_t sbuf[1024];
    *out = NULL;
    *why = NULL;
    if (!TSK_FS_TYPE_ISEXT(fs->ftype)) {
        *why = ms_strdup("not an ext2/3/4 file system");
        return MS_ERR_UNSUPPORTED;
    }
    ms_ext_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return MS_ERR_NOMEM;
    c->fs = fs;
    ms_err rc = MS_ERR_UNSUPPORTED;
    if (fs_read(c, 1024, sbuf, sizeof sbuf) != 0 ||
        le16(sbuf + 56) != EXT_MAGIC) {
        *why = ms_strdup("ext superblock unreadable");
        goto _exit;
    }
    uint32_t log_bs = le32(sbuf + 24);
    c->inodes_count = le32(sbuf + 0);
    c->blocks_count = le32(sbuf + 4);
    c->first_data_block = le32(sbuf + 20);
    c->inodes_per_group = le32(sbuf + 40);
    c->blocks_per_group = le32(sbuf + 32);
    c->inode_size = le32(sbuf + 76) == 0 ? 128 : le16(sbuf + 88);
    c->journal_inum = le32(sbuf + 224);
    uint32_t incompat = le32(sbuf + 96);
    c->first_meta_bg = (incompat & EXT_INCOMPAT_META_BG) ? le32(sbuf + 260)
                                                         : UINT32_MAX;
    c->desc_size = 32;
    if (incompat & EXT_INCOMPAT_64BIT) {
        c->desc_size = le16(sbuf + 254);
        c->blocks_count |= (uint64_t)le32(sbuf + 336) << 32;
    }
    if (log_bs > 6 || c->inodes_per_group == 0 || c->blocks_per_group == 0 ||
        c->inode_size < 128 ||
        c->inode_size > (1024u << log_bs) ||
        (c->inode_size & (c->inode_size - 1)) ||
        c->desc_size < 32 || c->desc_size > 1024 ||
        (c->desc_size & (c->desc_size - 1))) {
        *why = ms_strdup("ext superblock geometry is inconsistent");
        goto _exit;
    }
    c->bs = 1024u << log_bs;
    if (c->bs != fs->block_size) {
        *why = ms_strdup("block size disagrees with libtsk");
        goto _exit;
    }
    c->ngroups = (c->inodes_count + c->inodes_per_group - 1) /
                 c->inodes_per_group;
    /* geometry alone serves carving; a missing journal only rules out
     * journal recovery */
    rc = MS_OK;
    if (c->journal_inum == 0) {
        c->journal_why = ms_strdup("the file system has no internal journal");
    } else {
        ms_err jr = load_journal(c, &c->journal_why);
        if (jr == MS_ERR_NOMEM)
            rc = jr;
        c->journal_ok = jr == MS_OK;
    }
_exit:
    if (rc) {
        ms_ext_ctx_free(c);
        return rc;
    }
    *out = c;
    return MS_OK;
}

void ms_ext_ctx_free(ms_ext_ctx *c)
{
    if (!c)
        return;
    ms_jmap_free(&c->map);
    if (c->jf)
        tsk_fs_file_close(c->jf);
    free(c->journal_why);
    free(c);
}

/* ---- inode location and copies ----------------------------------------- */

static ms_err inode_location(const ms_ext_ctx *c, uint64_t ino,
                             uint64_t *block, uint32_t *offset)
{
    if (ino == 0 || ino > c->inodes_count)
        return MS_ERR_NOT_FOUND;
    uint64_t group = (ino - 1) / c->inodes_per_group;
    uint64_t index = (ino - 1) % c->inodes_per_group;
    /* META_BG scatters later descriptor blocks over the groups; only the
     * contiguous part after the superblock is handled here */
    if (group / (c->bs / c->desc_size) >= c->first_meta_bg)
        return MS_ERR_UNSUPPORTED;
    uint8_t d[64] = {0};
    uint64_t gdt = (uint64_t)c->first_data_block + 1;
    uint64_t off = gdt * c->bs + group * c->desc_size;
    if (fs_read(c, off, d, c->desc_size < 64 ? c->desc_size : 64) != 0)
        return MS_ERR_IO;
    uint64_t itable = le32(d + 8);
    if (c->desc_size >= 64)
        itable |= (uint64_t)le32(d + 0x28) << 32;
    uint64_t byte = index * c->inode_size;
    *block = itable + byte / c->bs;
    *offset = (uint32_t)(byte % c->bs);
    if (*block >= c->blocks_count)
        return MS_ERR_FORMAT;
    return MS_OK;
}

/* Read journal copy `e` (one block) and undo the escape. */
static int read_copy(const ms_ext_ctx *c, const ms_jentry *e, uint8_t *buf)
{
    if (!c->jf)
        return -1;
    jreader r = { c->jf, c->bs };
    int rc = jread(&r, e->jblock, buf);
    if (rc == 0 && e->escaped) {
        buf[0] = 0xC0; buf[1] = 0x3B; buf[2] = 0x39; buf[3] = 0x98;
    }
    return rc;
}

/* A metadata block (extent node, indirect block) as it was when the inode
 * copy of transaction `seq` was written: the newest journal copy not newer
 * than that, else the block on disk now. */
static int read_meta(const ms_ext_ctx *c, uint64_t blk, uint32_t seq,
                     uint8_t *buf)
{
    if (blk == 0 || blk >= c->blocks_count)
        return -1;
    size_t first, n = ms_jmap_find(&c->map, blk, &first);
    for (size_t i = 0; i < n; i++) {
        const ms_jentry *e = &c->map.e[first + i];
        if ((int32_t)(e->seq - seq) <= 0 && read_copy(c, e, buf) == 0)
            return 0;
    }
    return fs_read(c, blk * c->bs, buf, c->bs);
}

/* ---- block maps ---------------------------------------------------------- */

typedef struct walk {
    const ms_ext_ctx *c;
    uint32_t seq;
    run     *runs;
    size_t   nruns;
    unsigned meta_reads;
    uint64_t want_blocks;   /* logical blocks covering the file size */
} walk;

static ms_err add_run(walk *w, uint64_t l, uint64_t p, uint64_t len)
{
    if (len == 0 || l >= w->want_blocks)
        return MS_OK;
    if (p == 0 || p >= w->c->blocks_count || len > w->c->blocks_count - p)
        return MS_ERR_FORMAT;
    if (w->nruns && w->runs[w->nruns - 1].lblk + w->runs[w->nruns - 1].len == l &&
        w->runs[w->nruns - 1].pblk + w->runs[w->nruns - 1].len == p) {
        w->runs[w->nruns - 1].len += len;
        return MS_OK;
    }
    if (w->nruns >= MAX_RUNS)
        return MS_ERR_LIMIT;
    w->runs[w->nruns++] = (run){ l, p, len };
    return MS_OK;
}

static ms_err walk_extents(walk *w, const uint8_t *node, size_t node_len,
                           int depth_left)
{
    if (node_len < 12 || le16(node) != EXTENT_MAGIC)
        return MS_ERR_FORMAT;
    size_t entries = le16(node + 2);
    unsigned depth = le16(node + 6);
    if (depth > EXTENT_MAX_DEPTH || (int)depth > depth_left ||
        12 + entries * 12 > node_len)
        return MS_ERR_FORMAT;
    for (size_t i = 0; i < entries; i++) {
        const uint8_t *x = node + 12 + i * 12;
        ms_err rc;
        if (depth == 0) {
            uint64_t l = le32(x);
            uint32_t len = le16(x + 4);
            uint64_t p = (uint64_t)le16(x + 6) << 32 | le32(x + 8);
            if (len > 32768)
                continue;   /* unwritten extent: reads as zeros */
            rc = add_run(w, l, p, len);
        } else {
            uint64_t p = (uint64_t)le16(x + 8) << 32 | le32(x + 4);
            if (++w->meta_reads > MAX_META_READS)
                return MS_ERR_LIMIT;
            uint8_t *b = malloc(w->c->bs);
            if (!b)
                return MS_ERR_NOMEM;
            rc = read_meta(w->c, p, w->seq, b) == 0
                     ? walk_extents(w, b, w->c->bs, (int)depth - 1)
                     : MS_ERR_IO;
            free(b);
        }
        if (rc)
            return rc;
    }
    return MS_OK;
}

/* Indirect block pointers; `level` 1 = single indirect. */
static ms_err walk_indirect(walk *w, uint64_t blk, int level, uint64_t *lblk)
{
    uint64_t per = w->c->bs / 4, span = 1;
    for (int i = 1; i < level; i++)
        span *= per;
    if (blk == 0) {                     /* a hole */
        *lblk += span * per;
        return MS_OK;
    }
    if (++w->meta_reads > MAX_META_READS)
        return MS_ERR_LIMIT;
    uint8_t *b = malloc(w->c->bs);
    if (!b)
        return MS_ERR_NOMEM;
    ms_err rc = MS_OK;
    if (read_meta(w->c, blk, w->seq, b) != 0) {
        rc = MS_ERR_IO;
        goto _exit;
    }
    for (uint64_t i = 0; i < per && *lblk < w->want_blocks; i++) {
        uint64_t p = le32(b + i * 4);
        if (level == 1) {
            if (p && (rc = add_run(w, *lblk, p, 1)) != MS_OK)
                goto _exit;
            (*lblk)++;
        } else if ((rc = walk_indirect(w, p, level - 1, lblk)) != MS_OK) {
            goto _exit;
        }
    }
_exit:
    free(b);
    return rc;
}

static ms_err walk_blockmap(walk *w, const uint8_t *iblock)
{
    uint64_t l = 0;
    ms_err rc;
    for (int i = 0; i < 12; i++, l++)
        if ((rc = add_run(w, l, le32(iblock + i * 4), le32(iblock + i * 4) ? 1 : 0)))
            return rc;
    for (int level = 1; level <= 3 && l < w->want_blocks; level++)
        if ((rc = walk_indirect(w, le32(iblock + (11 + level) * 4), level, &l)))
            return rc;
    return MS_OK;
}

/* ---- recovery -------------------------------------------------------------- */

typedef struct old_inode {
    uint16_t mode, links;
    uint32_t dtime, flags, generation;
    uint64_t size;
    uint8_t  iblock[60];
} old_inode;

static void parse_inode(const uint8_t *p, old_inode *o)
{
    o->mode = le16(p + 0);
    o->size = le32(p + 4) | (uint64_t)le32(p + 108) << 32;
    o->dtime = le32(p + 20);
    o->links = le16(p + 26);
    o->flags = le32(p + 32);
    memcpy(o->iblock, p + 40, 60);
    o->generation = le32(p + 100);
}

static char *runs_text(const run *r, size_t n)
{
    ms_buf b = {0};
    for (size_t i = 0; i < n && i < 16; i++) {
        if (r[i].len == 1)
            ms_buf_printf(&b, "%s%llu", i ? "," : "", (unsigned long long)r[i].pblk);
        else
            ms_buf_printf(&b, "%s%llu-%llu", i ? "," : "",
                          (unsigned long long)r[i].pblk,
                          (unsigned long long)(r[i].pblk + r[i].len - 1));
    }
    if (n > 16)
        ms_buf_printf(&b, ",... (%zu runs)", n);
    if (!n)
        ms_buf_puts(&b, "none");
    return ms_buf_steal(&b);
}

/* Content of old inode `o` from its (now unallocated) data blocks. */
static ms_err read_data(const ms_ext_ctx *c, const walk *w, uint64_t size,
                        uint8_t **data, const char **problem)
{
    for (size_t i = 0; i < w->nruns; i++)
        for (uint64_t k = 0; k < w->runs[i].len; k++) {
            TSK_DADDR_T a = (TSK_DADDR_T)(w->runs[i].pblk + k);
            if (c->fs->block_getflags &&
                (c->fs->block_getflags(c->fs, a) & TSK_FS_BLOCK_FLAG_ALLOC)) {
                *problem = "its data blocks are allocated to another file now";
                return MS_ERR_NOT_FOUND;
            }
        }
    uint8_t *buf = calloc(1, size ? size : 1);
    if (!buf)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < w->nruns; i++) {
        uint64_t start = w->runs[i].lblk * c->bs;
        if (start >= size)
            continue;
        uint64_t len = w->runs[i].len * c->bs;
        if (len > size - start)
            len = size - start;
        if (fs_read(c, w->runs[i].pblk * c->bs, buf + start, (size_t)len)) {
            free(buf);
            *problem = "its data blocks could not be read";
            return MS_ERR_NOT_FOUND;
        }
    }
    *data = buf;
    return MS_OK;
}

/* Try one journal copy of the inode-table block. */
static ms_err try_copy(const ms_ext_ctx *c, const ms_jentry *e,
                       uint32_t offset, const old_inode *now,
                       uint64_t max_bytes, uint8_t *blk, ms_recovered **out,
                       const char **problem)
{
    old_inode o;
    run *runs = NULL;
    ms_err rc = MS_ERR_NOT_FOUND;

    if (read_copy(c, e, blk) != 0) {
        *problem = "the journal copy could not be read";
        return rc;
    }
    parse_inode(blk + offset, &o);
    if ((o.mode & 0xF000) != 0x8000 || o.links == 0 || o.dtime != 0) {
        *problem = "the journal copies show the inode already deleted or "
                   "not a regular file";
        return rc;
    }
    if (now->generation && o.generation != now->generation) {
        *problem = "the journal copies hold an earlier file of the same "
                   "inode number (generation differs)";
        return rc;
    }
    if (o.size == 0 || o.size > max_bytes) {
        *problem = o.size ? "the recovered size exceeds the recovery limit"
                          : "the journal copy records an empty file";
        return rc;
    }
    walk w = { c, e->seq, NULL, 0, 0, (o.size + c->bs - 1) / c->bs };
    runs = calloc(MAX_RUNS, sizeof *runs);
    if (!runs)
        return MS_ERR_NOMEM;
    w.runs = runs;
    ms_err wr = (o.flags & EXT_EXTENTS_FL) ? walk_extents(&w, o.iblock, 60, EXTENT_MAX_DEPTH)
                                           : walk_blockmap(&w, o.iblock);
    if (wr == MS_ERR_NOMEM) {
        rc = wr;
        goto _exit;
    }
    if (wr || w.nruns == 0) {
        *problem = "the block map in the journal copy is unusable";
        goto _exit;
    }
    uint8_t *data = NULL;
    if ((rc = read_data(c, &w, o.size, &data, problem)) != MS_OK)
        goto _exit;
    ms_recovered *r = calloc(1, sizeof *r);
    char *blocks = runs_text(runs, w.nruns);
    if (!r || !blocks) {
        free(r);
        free(blocks);
        free(data);
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    r->data = data;
    r->len = (size_t)o.size;
    r->seq = e->seq;
    r->jblock = e->jblock;
    r->block_lo = UINT64_MAX;
    for (size_t i = 0; i < w.nruns; i++) {
        if (runs[i].pblk < r->block_lo)
            r->block_lo = runs[i].pblk;
        if (runs[i].pblk + runs[i].len - 1 > r->block_hi)
            r->block_hi = runs[i].pblk + runs[i].len - 1;
    }
    r->certainty = e->committed && !e->revoked && now->generation
                       ? MS_CERT_HIGH : MS_CERT_MEDIUM;
    r->method = MS_RECOV_JOURNAL;
    r->provenance = ms_asprintf(
        "inode copy from journal transaction %u (journal block %u, %s%s), "
        "%s; %llu bytes from data blocks %s, unallocated and not reused%s",
        e->seq, e->jblock, e->committed ? "committed" : "NOT committed",
        e->revoked ? ", revoked later" : "",
        now->generation ? "same inode generation as the deleted inode"
                        : "inode generation unknown",
        (unsigned long long)o.size, blocks,
        (o.flags & EXT_EXTENTS_FL) ? " (extent tree)" : " (block pointers)");
    free(blocks);
    if (!r->provenance) {
        ms_recovered_free(r);
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    *out = r;
    rc = MS_OK;
_exit:
    free(runs);
    return rc;
}

/* Where inode `inode` lives, its current state and its journal copies. */
static ms_err locate(ms_ext_ctx *c, uint64_t inode, uint8_t *blk,
                     uint64_t *blkno, uint32_t *offset, old_inode *now,
                     size_t *first, size_t *n, char **why)
{
    if (!c->journal_ok) {
        *why = ms_asprintf("no journal recovery: %s",
                           c->journal_why ? c->journal_why : "no journal");
        return MS_ERR_UNSUPPORTED;
    }
    if (inode_location(c, inode, blkno, offset) != MS_OK) {
        *why = ms_strdup("the inode's table block could not be located");
        return MS_ERR_NOT_FOUND;
    }
    if (fs_read(c, *blkno * c->bs, blk, c->bs) != 0) {
        *why = ms_strdup("the inode table block could not be read");
        return MS_ERR_NOT_FOUND;
    }
    parse_inode(blk + *offset, now);
    *n = ms_jmap_find(&c->map, *blkno, first);
    if (*n == 0) {
        *why = ms_asprintf("the journal holds no copy of the inode's table "
                           "block %llu", (unsigned long long)*blkno);
        return MS_ERR_NOT_FOUND;
    }
    return MS_OK;
}

ms_err ms_ext_recover(ms_ext_ctx *c, uint64_t inode, uint64_t max_bytes,
                      ms_recovered **out, char **why)
{
    uint64_t blkno;
    uint32_t offset;
    old_inode now;
    size_t first, n;
    const char *problem = NULL;
    *out = NULL;
    *why = NULL;

    uint8_t *blk = malloc(c->bs);
    if (!blk)
        return MS_ERR_NOMEM;
    ms_err rc = locate(c, inode, blk, &blkno, &offset, &now, &first, &n, why);
    if (rc)
        goto _exit;
    rc = MS_ERR_NOT_FOUND;
    for (size_t i = 0; i < n && i < MAX_COPIES_TRIED; i++) {
        rc = try_copy(c, &c->map.e[first + i], offset, &now, max_bytes, blk,
                      out, &problem);
        if (rc != MS_ERR_NOT_FOUND)
            break;
    }
    if (rc == MS_ERR_NOT_FOUND)
        *why = ms_asprintf("%zu journal cop%s of the inode's table block "
                           "%llu, none usable: %s", n, n == 1 ? "y" : "ies",
                           (unsigned long long)blkno,
                           problem ? problem : "unknown");
_exit:
    free(blk);
    return rc;
}

ms_err ms_ext_recover_versions(ms_ext_ctx *c, uint64_t inode,
                               uint64_t max_bytes, ms_recovered **out,
                               size_t max_out, size_t *nout)
{
    uint64_t blkno;
    uint32_t offset;
    old_inode now;
    size_t first, n;
    char *why = NULL;
    const char *problem = NULL;
    *nout = 0;

    uint8_t *blk = malloc(c->bs);
    if (!blk)
        return MS_ERR_NOMEM;
    ms_err rc = locate(c, inode, blk, &blkno, &offset, &now, &first, &n, &why);
    free(why);
    if (rc) {
        free(blk);
        return rc == MS_ERR_NOMEM ? rc : MS_OK;
    }
    rc = MS_OK;
    for (size_t i = 0; i < n && i < MAX_COPIES_TRIED && *nout < max_out; i++) {
        ms_recovered *r = NULL;
        ms_err e = try_copy(c, &c->map.e[first + i], offset, &now, max_bytes,
                            blk, &r, &problem);
        if (e == MS_ERR_NOMEM) {
            rc = e;
            break;
        }
        if (e)
            continue;
        /* several transactions often hold the same version */
        int dup = 0;
        for (size_t k = 0; k < *nout && !dup; k++)
            dup = out[k]->len == r->len && !memcmp(out[k]->data, r->data, r->len);
        if (dup)
            ms_recovered_free(r);
        else
            out[(*nout)++] = r;
    }
    free(blk);
    return rc;
}

uint64_t ms_ext_group_of(const ms_ext_ctx *c, int is_inode, uint64_t n)
{
    if (is_inode)
        return n && n <= c->inodes_count ? (n - 1) / c->inodes_per_group
                                         : UINT64_MAX;
    if (n < c->first_data_block || n >= c->blocks_count)
        return UINT64_MAX;
    return (n - c->first_data_block) / c->blocks_per_group;
}
