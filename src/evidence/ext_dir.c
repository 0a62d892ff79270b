/* ext_dir.c - linear-time ext2/3/4 directory listing (see ext_dir.h). */
#include "evidence/ext_dir.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* Exported by libtsk but declared only in its internal header. */
extern TSK_FS_FILE *tsk_fs_file_alloc(TSK_FS_INFO *fs);
extern TSK_FS_NAME *tsk_fs_name_alloc(size_t norm_namelen,
                                      size_t shrt_namelen);
extern void tsk_fs_meta_close(TSK_FS_META *meta);
extern void tsk_fs_meta_reset(TSK_FS_META *meta);

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

/* ---- a growable set of 62-bit keys, state in the top two bits ----
 * One array, so a probe touches one cache line: for a million names the
 * table (32 MiB) is far larger than the caches and every lookup is a
 * memory access. */
typedef struct keyset {
    uint64_t *slot;     /* key | state << 62; 0 = empty */
    size_t    cap, used;
    unsigned  bits;     /* cap == 1 << bits */
    uint64_t *probes;
} keyset;

enum { ST_DELIVERED = 1 };
#define KEY_MASK ((1ull << 62) - 1)
#define ST_SHIFT 62

/* A random secret per listing, so that names chosen in the evidence
 * cannot be crafted to share a key (two names sharing a key would be
 * listed as one, hiding the other).  Keys never reach a report, so the
 * randomness changes no output. */
static uint64_t key_seed(void)
{
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
        struct timespec t;   /* no entropy source: still not fixed */
        clock_gettime(CLOCK_REALTIME, &t);
        seed = (uint64_t)t.tv_nsec * 0x9E3779B97F4A7C15ull ^
               (uint64_t)t.tv_sec ^ (uint64_t)(uintptr_t)&t;
    }
    return seed;
}

static uint64_t entry_key(uint64_t seed, uint32_t inode, const uint8_t *name,
                          size_t len)
{
    /* FNV-1a over the seed, the inode and the name, then a 64-bit
     * finaliser (murmur3's fmix64) so that every bit of the key depends
     * on every byte; 0 is the empty marker */
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 8; i++) {
        h ^= (seed >> (8 * i)) & 0xff;
        h *= 1099511628211ull;
    }
    for (int i = 0; i < 4; i++) {
        h ^= (inode >> (8 * i)) & 0xff;
        h *= 1099511628211ull;
    }
    for (size_t i = 0; i < len; i++) {
        h ^= name[i];
        h *= 1099511628211ull;
    }
    h ^= seed;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    h &= KEY_MASK;
    return h ? h : 1;
}

/* Slot of `k`, or of the empty slot where it would go: the high bits of
 * a multiplicative hash pick the start (the low bits of a product only
 * depend on the low bits of the key). */
static size_t ks_slot(const keyset *s, uint64_t k)
{
    size_t mask = s->cap - 1;
    size_t i = (size_t)((k * 0x9E3779B97F4A7C15ull) >> (64 - s->bits));
    for (;;) {
        (*s->probes)++;
        if (s->slot[i] == 0 || (s->slot[i] & KEY_MASK) == k)
            return i;
        i = (i + 1) & mask;
    }
}

static ms_err ks_grow(keyset *s)
{
    unsigned nbits = s->cap ? s->bits + 1 : 10;
    if (nbits >= 8 * sizeof(size_t) - 4)
        return MS_ERR_NOMEM;
    size_t ncap = (size_t)1 << nbits;
    keyset n = { calloc(ncap, sizeof(uint64_t)), ncap, 0, nbits, s->probes };
    if (!n.slot)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slot[i])
            continue;
        n.slot[ks_slot(&n, s->slot[i] & KEY_MASK)] = s->slot[i];
        n.used++;
    }
    free(s->slot);
    *s = n;
    return MS_OK;
}

/* Find or insert k; *slot is its slot (state 0 when just inserted). */
static ms_err ks_get(keyset *s, uint64_t k, uint64_t **slot)
{
    if ((s->used + 1) * 2 > s->cap) {
        ms_err rc = ks_grow(s);
        if (rc)
            return rc;
    }
    size_t i = ks_slot(s, k);
    if (!s->slot[i]) {
        s->slot[i] = k;
        s->used++;
    }
    *slot = &s->slot[i];
    return MS_OK;
}

static unsigned ks_state(const uint64_t *slot) { return (unsigned)(*slot >> ST_SHIFT); }

static void ks_set_state(uint64_t *slot, unsigned st)
{
    *slot = (*slot & KEY_MASK) | (uint64_t)st << ST_SHIFT;
}

/* ---- the live names of pass 1: a sorted array of keys ----
 * Pass 1 only appends (sequential writes); one radix sort then finds
 * live names listed twice (adjacent keys) and answers "is this deleted
 * name also live?" by binary search.  A hash set filled with a million
 * keys costs a cache miss and page faults per insertion; this costs a
 * few sequential sweeps. */
typedef struct keyvec {
    uint64_t *v;
    size_t n, cap;
} keyvec;

static ms_err kv_push(keyvec *kv, uint64_t k)
{
    if (kv->n == kv->cap) {
        size_t ncap = kv->cap ? kv->cap * 2 : 1024;
        if (ncap > SIZE_MAX / 2 / sizeof(uint64_t))
            return MS_ERR_NOMEM;
        uint64_t *nv = realloc(kv->v, ncap * sizeof *nv);
        if (!nv)
            return MS_ERR_NOMEM;
        kv->v = nv;
        kv->cap = ncap;
    }
    kv->v[kv->n++] = k;
    return MS_OK;
}

/* LSD radix sort of 62-bit keys, 11 bits a pass (6 passes). */
#define RADIX_BITS 11
static ms_err kv_sort(keyvec *kv)
{
    if (kv->n < 2)
        return MS_OK;
    uint64_t *tmp = malloc(kv->n * sizeof *tmp);
    size_t *count = malloc(((size_t)1 << RADIX_BITS) * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return MS_ERR_NOMEM;
    }
    uint64_t *src = kv->v, *dst = tmp;
    const size_t nb = (size_t)1 << RADIX_BITS;
    for (unsigned shift = 0; shift < 62; shift += RADIX_BITS) {
        memset(count, 0, nb * sizeof *count);
        for (size_t i = 0; i < kv->n; i++)
            count[(src[i] >> shift) & (nb - 1)]++;
        size_t sum = 0;
        for (size_t b = 0; b < nb; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < kv->n; i++)
            dst[count[(src[i] >> shift) & (nb - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    /* six passes: the sorted keys are back in kv->v */
    free(tmp);
    free(count);
    return MS_OK;
}

/* Keys present more than once in the sorted vector. */
static size_t kv_dups(const keyvec *kv)
{
    size_t d = 0;
    for (size_t i = 1; i < kv->n; i++)
        d += kv->v[i] == kv->v[i - 1];
    return d;
}

static int kv_has(const keyvec *kv, uint64_t k, uint64_t *probes)
{
    size_t lo = 0, hi = kv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        (*probes)++;
        if (kv->v[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < kv->n && kv->v[lo] == k;
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
    keyvec live;              /* pass 1: keys of the live names, sorted */
    keyset set;               /* pass 2: (name, inode) already delivered */
    int pass;                 /* 1: note live names, 2: deliver */
    size_t live_dups;         /* live names seen twice (hostile or corrupt) */
    uint64_t seed;            /* key_seed() of this listing */
    ms_ext_dir_cb cb;
    void *user;
    size_t max, delivered;
    ms_err rc;
    ms_ext_dir_stats *st;
    /* One TSK_FS_FILE, name and meta reused for every entry: allocating
     * and freeing them per name was a third of the listing's work. */
    TSK_FS_FILE *tf;
    TSK_FS_META *meta;        /* owned here while tf->meta is detached */
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

/* The reusable TSK_FS_FILE with a name buffer for the longest name. */
static ms_err file_init(list_ctx *c)
{
    c->tf = tsk_fs_file_alloc(c->fs);
    if (!c->tf)
        return MS_ERR_NOMEM;
    c->tf->name = tsk_fs_name_alloc(NAME_MAX_E + 1u, 0);
    if (!c->tf->name) {
        tsk_fs_file_close(c->tf);
        c->tf = NULL;
        return MS_ERR_NOMEM;
    }
    return MS_OK;
}

static void file_fini(list_ctx *c)
{
    if (!c->tf)
        return;
    if (!c->tf->meta)
        c->tf->meta = c->meta;
    else if (c->meta)
        tsk_fs_meta_close(c->meta);
    c->meta = NULL;
    tsk_fs_file_close(c->tf);
    c->tf = NULL;
}

/* Fill the reused TSK_FS_FILE as tsk_fs_dir_get would hand it out for
 * this name: name fields, then the inode's metadata through libtsk. */
static TSK_FS_FILE *make_file(list_ctx *c, const dent *d)
{
    TSK_FS_FILE *tf = c->tf;
    TSK_FS_NAME *nm = tf->name;
    /* the name stops at an embedded NUL, as libtsk's strncpy copy does */
    size_t n = strnlen((const char *)d->name, d->name_len);
    memcpy(nm->name, d->name, n);
    nm->name[n] = '\0';
    if (nm->shrt_name)
        nm->shrt_name[0] = '\0';
    nm->meta_addr = d->inode;
    nm->meta_seq = 0;
    nm->par_seq = 0;
    nm->type = name_type(d->type);
    nm->flags = d->alloc ? TSK_FS_NAME_FLAG_ALLOC : TSK_FS_NAME_FLAG_UNALLOC;
    nm->par_addr = c->dir->meta ? c->dir->meta->addr : 0;
    /* the meta is detached while an entry has none (inode 0 or not
     * loadable) and reattached, reset, for the next inode */
    if (tf->meta) {
        c->meta = tf->meta;
        tf->meta = NULL;
    }
    if (!d->inode)
        return tf;
    if (c->meta) {
        tsk_fs_meta_reset(c->meta);
        tf->meta = c->meta;
        c->meta = NULL;
    }
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
    return tf;
}

static int on_dent(void *ctx, const dent *d)
{
    list_ctx *c = ctx;
    if (is_dot(d))
        return 0;
    size_t n;
    if (c->pass == 1) {
        if (d->alloc) {
            n = strnlen((const char *)d->name, d->name_len);
            uint64_t k = entry_key(c->seed, d->inode, d->name, n);
            if ((c->rc = kv_push(&c->live, k)) != MS_OK)
                return 1;
        }
        return 0;
    }
    if (c->st)
        c->st->candidates++;
    /* One listing per (name, inode); a live name wins over its deleted
     * copies, as tsk_fs_dir_add keeps it.  A live name listed once needs
     * no lookup: nothing else can claim it.  A deleted name is dropped
     * when live, otherwise delivered once; when live names repeat, every
     * name goes through the set (first copy wins). */
    if (!d->alloc || c->live_dups) {
        n = strnlen((const char *)d->name, d->name_len);
        uint64_t k = entry_key(c->seed, d->inode, d->name, n), *slot;
        if (!d->alloc && kv_has(&c->live, k, c->set.probes))
            return 0;
        if ((c->rc = ks_get(&c->set, k, &slot)) != MS_OK)
            return 1;
        if (ks_state(slot) == ST_DELIVERED)
            return 0;
        ks_set_state(slot, ST_DELIVERED);
    }
    if (c->delivered == c->max) {
        c->rc = MS_ERR_LIMIT;
        return 1;
    }
    TSK_FS_FILE *tf = make_file(c, d);
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
    c.seed = key_seed();
    size_t bufsz = READ_CHUNK - READ_CHUNK % dir->fs_info->block_size;
    if (bufsz < dir->fs_info->block_size)
        bufsz = dir->fs_info->block_size;
    uint8_t *buf = malloc(bufsz);
    ms_err rc = MS_OK;
    if (!buf)
        return MS_ERR_NOMEM;
    if ((rc = file_init(&c)) != MS_OK)
        goto _exit;
    c.pass = 1;
    if ((rc = walk(&c, buf, bufsz)) != MS_OK)
        goto _exit;
    if ((rc = kv_sort(&c.live)) != MS_OK)
        goto _exit;
    c.live_dups = kv_dups(&c.live);
    c.pass = 2;
    rc = walk(&c, buf, bufsz);
_exit:
    file_fini(&c);
    free(buf);
    free(c.live.v);
    free(c.set.slot);
    return rc;
}
