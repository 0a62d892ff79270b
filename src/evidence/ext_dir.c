/* ext_dir.c - linear-time ext2/3/4 directory listing (see ext_dir.h). */
#include "evidence/ext_dir.h"

#include <stdlib.h>
#include <string.h>

/* Exported by libtsk but declared only in its internal header. */
extern TSK_FS_FILE *tsk_fs_file_alloc(TSK_FS_INFO *fs);
extern TSK_FS_NAME *tsk_fs_name_alloc(size_t norm_namelen,
                                      size_t shrt_namelen);
extern void tsk_fs_meta_close(TSK_FS_META *meta);

/* ext2_dir_entry_2: inode u32, rec_len u16, name_len u8, file_type u8 */
#define DENT_HDR   8
#define NAME_MAX_E 255
/* the smallest record holding a name of n bytes, 4-byte aligned */
#define DIRSIZ(n)  ((((unsigned)(n)) + DENT_HDR + 3u) & ~3u)
/* bytes read per tsk_fs_file_read: large sequential reads */
#define READ_CHUNK (1u << 20)
/* A directory is read up to this size: 1 GiB of records is 25 million
 * names; a hostile inode claiming more (sparse, reads as zeros) would
 * otherwise keep the walk busy for as long as its size says. */
#define DIR_MAX_BYTES (1ull << 30)
/* superblock: s_feature_incompat at 0x60, FILETYPE bit */
#define SB_OFFSET  1024
#define SB_INCOMPAT 0x60
#define INCOMPAT_FILETYPE 0x0002u

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- a growable set of 64-bit keys with a state byte ---- */
typedef struct keyset {
    uint64_t *key;      /* 0 = empty slot */
    uint8_t  *state;
    size_t    cap, used;
    uint64_t *probes;
} keyset;

enum { ST_LIVE = 1, ST_DELIVERED = 2 };

static uint64_t entry_key(uint32_t inode, const uint8_t *name, size_t len)
{
    /* FNV-1a over inode and name; 0 is the empty marker */
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 4; i++) {
        h ^= (inode >> (8 * i)) & 0xff;
        h *= 1099511628211ull;
    }
    for (size_t i = 0; i < len; i++) {
        h ^= name[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 29;
    return h ? h : 1;
}

/* Slot of `k`, or of the empty slot where it would go. */
static size_t ks_slot(keyset *s, uint64_t k)
{
    size_t mask = s->cap - 1, i = (size_t)(k * 0x9E3779B97F4A7C15ull) & mask;
    for (;;) {
        (*s->probes)++;
        if (s->key[i] == 0 || s->key[i] == k)
            return i;
        i = (i + 1) & mask;
    }
}

static ms_err ks_grow(keyset *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 1024;
    if (ncap > SIZE_MAX / sizeof(uint64_t))
        return MS_ERR_NOMEM;
    keyset n = { calloc(ncap, sizeof(uint64_t)), calloc(ncap, 1), ncap, 0,
                 s->probes };
    if (!n.key || !n.state) {
        free(n.key);
        free(n.state);
        return MS_ERR_NOMEM;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->key[i])
            continue;
        size_t j = ks_slot(&n, s->key[i]);
        n.key[j] = s->key[i];
        n.state[j] = s->state[i];
        n.used++;
    }
    free(s->key);
    free(s->state);
    *s = n;
    return MS_OK;
}

/* Find or insert k; *st is its state (0 when just inserted). */
static ms_err ks_get(keyset *s, uint64_t k, uint8_t **st)
{
    if ((s->used + 1) * 2 > s->cap) {
        ms_err rc = ks_grow(s);
        if (rc)
            return rc;
    }
    size_t i = ks_slot(s, k);
    if (!s->key[i]) {
        s->key[i] = k;
        s->state[i] = 0;
        s->used++;
    }
    *st = &s->state[i];
    return MS_OK;
}

/* ---- the parser ---- */

typedef struct dent {
    uint32_t inode;
    uint8_t  name_len;
    uint8_t  type;
    int      alloc;
    const uint8_t *name;
} dent;

typedef int (*dent_fn)(void *ctx, const dent *d);

/* Parse one directory block with libtsk's acceptance rules: walk by the
 * actual size of each entry rather than rec_len so names left in the
 * slack of a live entry (deleted ones) are found too; a word that does
 * not start a plausible entry is skipped 4 bytes at a time.  Returns
 * non-zero when fn asked to stop. */
static int parse_block(const uint8_t *buf, int len, uint64_t last_inum,
                       int v2, int dir_deleted, dent_fn fn, void *ctx)
{
    int dellen = 0, step = 4;
    for (int idx = 0; idx <= len - (int)DIRSIZ(1); idx += step) {
        const uint8_t *p = buf + idx;
        uint32_t inode = le32(p);
        unsigned reclen = le16(p + 4);
        unsigned namelen = v2 ? p[6] : le16(p + 6);
        step = (int)DIRSIZ(namelen);
        if (inode > last_inum || namelen > NAME_MAX_E || namelen == 0 ||
            reclen < (unsigned)step || reclen % 4 ||
            (unsigned)idx + reclen > (unsigned)len) {
            step = 4;
            if (dellen > 0)
                dellen -= 4;
            continue;
        }
        /* an entry found in free space must also end inside it */
        if (dellen && dellen < step) {
            step = 4;
            dellen -= 4;
            continue;
        }
        dent d = { inode, (uint8_t)namelen, v2 ? p[7] : 0, 1, p + DENT_HDR };
        if (dellen > 0 || inode == 0 || dir_deleted) {
            d.alloc = 0;
            if (dellen > 0)
                dellen -= step;
        }
        if (fn(ctx, &d))
            return 1;
        if (dellen <= 0) {
            if ((int)reclen - step >= (int)DIRSIZ(1))
                dellen = (int)reclen - step;
            else
                step = (int)reclen;
        }
    }
    return 0;
}

typedef struct list_ctx {
    TSK_FS_FILE *dir;
    TSK_FS_INFO *fs;
    keyset set;
    int pass;                 /* 1: note live names, 2: deliver */
    ms_ext_dir_cb cb;
    void *user;
    size_t max, delivered;
    ms_err rc;
    ms_ext_dir_stats *st;
} list_ctx;

static int is_dot(const dent *d)
{
    return (d->name_len == 1 && d->name[0] == '.') ||
           (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.');
}

static TSK_FS_NAME_TYPE_ENUM name_type(uint8_t t)
{
    switch (t) {
    case 1: return TSK_FS_NAME_TYPE_REG;
    case 2: return TSK_FS_NAME_TYPE_DIR;
    case 3: return TSK_FS_NAME_TYPE_CHR;
    case 4: return TSK_FS_NAME_TYPE_BLK;
    case 5: return TSK_FS_NAME_TYPE_FIFO;
    case 6: return TSK_FS_NAME_TYPE_SOCK;
    case 7: return TSK_FS_NAME_TYPE_LNK;
    default: return TSK_FS_NAME_TYPE_UNDEF;
    }
}

/* Build the TSK_FS_FILE tsk_fs_dir_get would hand out for this name. */
static ms_err make_file(list_ctx *c, const dent *d, TSK_FS_FILE **out)
{
    TSK_FS_FILE *tf = tsk_fs_file_alloc(c->fs);
    if (!tf)
        return MS_ERR_NOMEM;
    tf->name = tsk_fs_name_alloc(d->name_len + 1u, 0);
    if (!tf->name) {
        tsk_fs_file_close(tf);
        return MS_ERR_NOMEM;
    }
    /* the name stops at an embedded NUL, as libtsk's strncpy copy does */
    size_t n = strnlen((const char *)d->name, d->name_len);
    memcpy(tf->name->name, d->name, n);
    tf->name->name[n] = '\0';
    tf->name->meta_addr = d->inode;
    tf->name->type = name_type(d->type);
    tf->name->flags = d->alloc ? TSK_FS_NAME_FLAG_ALLOC
                               : TSK_FS_NAME_FLAG_UNALLOC;
    tf->name->par_addr = c->dir->meta ? c->dir->meta->addr : 0;
    if (d->inode) {
        tsk_error_reset();
        if (c->fs->file_add_meta(c->fs, tf, d->inode)) {
            /* like libtsk: a name whose inode cannot be loaded is still
             * listed, without metadata */
            tsk_error_reset();
            if (tf->meta) {
                tsk_fs_meta_close(tf->meta);
                tf->meta = NULL;
            }
        }
    }
    *out = tf;
    return MS_OK;
}

static int on_dent(void *ctx, const dent *d)
{
    list_ctx *c = ctx;
    if (is_dot(d))
        return 0;
    size_t n = strnlen((const char *)d->name, d->name_len);
    uint64_t k = entry_key(d->inode, d->name, n);
    uint8_t *st;
    if (c->pass == 1) {
        if (d->alloc) {
            if ((c->rc = ks_get(&c->set, k, &st)) != MS_OK)
                return 1;
            *st = ST_LIVE;
        }
        return 0;
    }
    if (c->st)
        c->st->candidates++;
    if ((c->rc = ks_get(&c->set, k, &st)) != MS_OK)
        return 1;
    /* one listing per (name, inode); a live name wins over its deleted
     * copies, as tsk_fs_dir_add keeps it */
    if (*st == ST_DELIVERED || (*st == ST_LIVE && !d->alloc))
        return 0;
    *st = ST_DELIVERED;
    if (c->delivered == c->max) {
        c->rc = MS_ERR_LIMIT;
        return 1;
    }
    TSK_FS_FILE *tf;
    if ((c->rc = make_file(c, d, &tf)) != MS_OK)
        return 1;
    c->delivered++;
    if (c->st)
        c->st->entries++;
    return c->cb(c->user, tf);
}

static int feature_filetype(TSK_FS_INFO *fs)
{
    uint8_t b[4];
    if (tsk_fs_read(fs, SB_OFFSET + SB_INCOMPAT, (char *)b, 4) != 4)
        return 1; /* every ext2 since 1999 has it */
    return (le32(b) & INCOMPAT_FILETYPE) != 0;
}

int ms_ext_dir_applies(TSK_FS_FILE *dir)
{
    if (!dir || !dir->fs_info || !dir->meta ||
        !TSK_FS_TYPE_ISEXT(dir->fs_info->ftype) ||
        dir->meta->type != TSK_FS_META_TYPE_DIR ||
        dir->meta->content_type == TSK_FS_META_CONTENT_TYPE_EXT4_INLINE ||
        dir->fs_info->block_size < 1024 ||
        dir->fs_info->block_size > 65536)
        return 0;
    /* libtsk's virtual orphan directory is not on disk */
    return dir->meta->addr != dir->fs_info->last_inum;
}

/* One pass over the directory's blocks. */
static ms_err walk(list_ctx *c, uint8_t *buf, size_t bufsz)
{
    TSK_FS_INFO *fs = c->fs;
    int v2 = feature_filetype(fs);
    int dir_deleted = (c->dir->meta->flags & TSK_FS_META_FLAG_UNALLOC) != 0;
    uint64_t size = c->dir->meta->size > 0 ? (uint64_t)c->dir->meta->size : 0;
    uint32_t bs = fs->block_size;
    if (size > DIR_MAX_BYTES)
        size = DIR_MAX_BYTES;
    size -= size % bs; /* libtsk reads whole blocks only */
    for (uint64_t off = 0; off < size;) {
        size_t want = size - off < bufsz ? (size_t)(size - off) : bufsz;
        tsk_error_reset();
        ssize_t got = tsk_fs_file_read(c->dir, (TSK_OFF_T)off, (char *)buf,
                                       want, TSK_FS_FILE_READ_FLAG_NONE);
        if (got <= 0)
            break; /* unreadable: keep what was listed, as libtsk does */
        size_t whole = (size_t)got - (size_t)got % bs;
        if (whole == 0)
            break;
        for (size_t b = 0; b < whole; b += bs) {
            if (c->pass == 2 && c->st)
                c->st->blocks++;
            if (parse_block(buf + b, (int)bs, fs->last_inum, v2, dir_deleted,
                            on_dent, c))
                return c->rc ? c->rc : MS_OK;
        }
        off += whole;
        if (whole < want)
            break;
    }
    return MS_OK;
}

ms_err ms_ext_dir_list(TSK_FS_FILE *dir, ms_ext_dir_cb cb, void *user,
                       size_t max_entries, ms_ext_dir_stats *stats)
{
    if (!ms_ext_dir_applies(dir))
        return MS_ERR_UNSUPPORTED;
    uint64_t dummy = 0;
    list_ctx c = { .dir = dir, .fs = dir->fs_info, .cb = cb, .user = user,
                   .max = max_entries, .st = stats };
    c.set.probes = stats ? &stats->probes : &dummy;
    size_t bufsz = READ_CHUNK - READ_CHUNK % dir->fs_info->block_size;
    if (bufsz < dir->fs_info->block_size)
        bufsz = dir->fs_info->block_size;
    uint8_t *buf = malloc(bufsz);
    ms_err rc = MS_OK;
    if (!buf)
        return MS_ERR_NOMEM;
    c.pass = 1;
    if ((rc = walk(&c, buf, bufsz)) != MS_OK)
        goto _exit;
    c.pass = 2;
    rc = walk(&c, buf, bufsz);
_exit:
    free(buf);
    free(c.set.key);
    free(c.set.state);
    return rc;
}
