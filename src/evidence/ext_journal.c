/* ext_journal.c - jbd2 journal parsing (see ext_journal.h). */
#include "evidence/ext_journal.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

#define HDR_BYTES 12u   /* h_magic, h_blocktype, h_sequence */
#define UUID_BYTES 16u
#define TAIL_BYTES 4u   /* jbd2_journal_block_tail / revoke tail */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

int ms_jblock_header(const uint8_t *b, size_t len, uint32_t *type,
                     uint32_t *seq)
{
    if (len < HDR_BYTES || be32(b) != MS_JBD2_MAGIC)
        return 0;
    *type = be32(b + 4);
    *seq = be32(b + 8);
    return 1;
}

ms_err ms_jsb_parse(const uint8_t *b, size_t len, ms_jsb *sb)
{
    uint32_t type, seq;
    memset(sb, 0, sizeof *sb);
    /* v2 fields end at 0x50; the rest of the 1024-byte block is unused here */
    if (len < 0x50 || !ms_jblock_header(b, len, &type, &seq))
        return MS_ERR_FORMAT;
    if (type != MS_JBD2_SB_V1 && type != MS_JBD2_SB_V2)
        return MS_ERR_FORMAT;
    sb->version = type == MS_JBD2_SB_V2 ? 2 : 1;
    sb->blocksize = be32(b + 0x0C);
    sb->maxlen = be32(b + 0x10);
    sb->first = be32(b + 0x14);
    sb->sequence = be32(b + 0x18);
    sb->start = be32(b + 0x1C);
    if (sb->version == 2)
        sb->incompat = be32(b + 0x28);
    /* ext block sizes: 1 KiB .. 64 KiB, a power of two */
    if (sb->blocksize < 1024 || sb->blocksize > 65536 ||
        (sb->blocksize & (sb->blocksize - 1)))
        return MS_ERR_FORMAT;
    if (sb->first == 0 || sb->first >= sb->maxlen)
        return MS_ERR_FORMAT;

    /* journal_tag_bytes() of fs/jbd2/journal.c */
    if (sb->incompat & MS_JBD2_INCOMPAT_CSUM_V3) {
        sb->tag_bytes = 16;
    } else {
        size_t sz = 12;
        if (sb->incompat & MS_JBD2_INCOMPAT_CSUM_V2)
            sz += 2;
        sb->tag_bytes = (sb->incompat & MS_JBD2_INCOMPAT_64BIT) ? sz : sz - 4;
    }
    sb->csum_tail = (sb->incompat &
                     (MS_JBD2_INCOMPAT_CSUM_V2 | MS_JBD2_INCOMPAT_CSUM_V3)) != 0;
    return MS_OK;
}

static void parse_tag(const ms_jsb *sb, const uint8_t *p, ms_jtag *t)
{
    int is64 = (sb->incompat & MS_JBD2_INCOMPAT_64BIT) != 0;
    uint64_t lo = be32(p), hi = 0;
    if (sb->incompat & MS_JBD2_INCOMPAT_CSUM_V3) {
        /* journal_block_tag3_t: blocknr, flags(32), blocknr_high, csum */
        t->flags = be32(p + 4);
        if (is64)
            hi = be32(p + 8);
    } else {
        /* journal_block_tag_t: blocknr, csum(16), flags(16), blocknr_high */
        t->flags = be16(p + 6);
        if (is64)
            hi = be32(p + 8);
    }
    t->fs_block = hi << 32 | lo;
}

ms_err ms_jdesc_parse(const ms_jsb *sb, const uint8_t *b, size_t len,
                      ms_jtag *tags, size_t max, size_t *ntags)
{
    uint32_t type, seq;
    *ntags = 0;
    if (len < sb->blocksize || !ms_jblock_header(b, len, &type, &seq) ||
        type != MS_JBD2_DESCRIPTOR || sb->tag_bytes == 0)
        return MS_ERR_FORMAT;
    size_t end = sb->blocksize - (sb->csum_tail ? TAIL_BYTES : 0);
    size_t off = HDR_BYTES;
    while (off + sb->tag_bytes <= end && *ntags < max) {
        ms_jtag t;
        parse_tag(sb, b + off, &t);
        off += sb->tag_bytes;
        if (!(t.flags & MS_JBD2_FLAG_SAME_UUID))
            off += UUID_BYTES;
        tags[(*ntags)++] = t;
        if (t.flags & MS_JBD2_FLAG_LAST_TAG)
            break;
    }
    return MS_OK;
}

ms_err ms_jrevoke_parse(const ms_jsb *sb, const uint8_t *b, size_t len,
                        uint64_t *blocks, size_t max, size_t *n)
{
    uint32_t type, seq;
    *n = 0;
    if (len < sb->blocksize || !ms_jblock_header(b, len, &type, &seq) ||
        type != MS_JBD2_REVOKE)
        return MS_ERR_FORMAT;
    size_t rec = (sb->incompat & MS_JBD2_INCOMPAT_64BIT) ? 8 : 4;
    size_t count = be32(b + HDR_BYTES);   /* bytes used, header included */
    size_t limit = sb->blocksize - (sb->csum_tail ? TAIL_BYTES : 0);
    if (count > limit)
        count = limit;
    for (size_t off = HDR_BYTES + 4; off + rec <= count && *n < max;
         off += rec)
        blocks[(*n)++] = rec == 8 ? (uint64_t)be32(b + off) << 32 |
                                        be32(b + off + 4)
                                  : be32(b + off);
    return MS_OK;
}

/* ---- the whole log ---------------------------------------------------- */

typedef struct revoke_rec { uint64_t block; uint32_t seq; } revoke_rec;

typedef struct scan_state {
    const ms_jsb *sb;
    ms_jmap  *map;
    uint32_t *commits;   size_t ncommits, commits_cap;
    revoke_rec *revokes; size_t nrevokes, revokes_cap;
    uint8_t  *is_header; /* one byte per visited journal block */
    uint32_t  nblocks;   /* blocks visited: min(maxlen, the limit) */
} scan_state;

/* Transactions ordered relative to the superblock's sequence, so the
 * 32-bit wrap of sequence numbers does not reorder them. */
static int32_t age(const ms_jsb *sb, uint32_t seq)
{
    return (int32_t)(seq - sb->sequence);
}

static ms_err add_entry(scan_state *s, uint64_t fs_block, uint32_t seq,
                        uint32_t jblock, int escaped)
{
    ms_jmap *m = s->map;
    if (m->n >= MS_JOURNAL_MAX_ENTRIES)
        return MS_ERR_LIMIT;
    if (ms_grow((void **)&m->e, &m->cap, m->n + 1, sizeof *m->e))
        return MS_ERR_NOMEM;
    ms_jentry *e = &m->e[m->n++];
    memset(e, 0, sizeof *e);
    e->fs_block = fs_block;
    e->seq = seq;
    e->jblock = jblock;
    e->escaped = escaped != 0;
    return MS_OK;
}

static ms_err do_descriptor(scan_state *s, uint32_t j, const uint8_t *b,
                            uint32_t seq, ms_jtag *tags, size_t max_tags)
{
    const ms_jsb *sb = s->sb;
    size_t n = 0;
    if (ms_jdesc_parse(sb, b, sb->blocksize, tags, max_tags, &n) != MS_OK)
        return MS_OK;
    s->map->ndesc++;
    uint32_t p = j;
    for (size_t i = 0; i < n; i++) {
        /* the copies follow the descriptor, wrapping to s_first */
        p = p + 1 >= sb->maxlen ? sb->first : p + 1;
        if (p == j)
            break;              /* more tags than the log has blocks */
        if (p >= s->nblocks)
            continue;           /* beyond what we visit */
        ms_err rc = add_entry(s, tags[i].fs_block, seq, p,
                              tags[i].flags & MS_JBD2_FLAG_ESCAPE);
        if (rc)
            return rc;
    }
    return MS_OK;
}

static ms_err do_revoke(scan_state *s, const uint8_t *b, uint32_t seq,
                        uint64_t *blks, size_t max)
{
    size_t n = 0;
    if (ms_jrevoke_parse(s->sb, b, s->sb->blocksize, blks, max, &n) != MS_OK)
        return MS_OK;
    s->map->nrevoke++;
    for (size_t i = 0; i < n; i++) {
        if (s->nrevokes >= MS_JOURNAL_MAX_ENTRIES)
            return MS_ERR_LIMIT;
        if (ms_grow((void **)&s->revokes, &s->revokes_cap, s->nrevokes + 1,
                    sizeof *s->revokes))
            return MS_ERR_NOMEM;
        s->revokes[s->nrevokes++] = (revoke_rec){ blks[i], seq };
    }
    return MS_OK;
}

static ms_err do_commit(scan_state *s, uint32_t seq)
{
    if (s->ncommits >= MS_JOURNAL_MAX_ENTRIES)
        return MS_ERR_LIMIT;
    if (ms_grow((void **)&s->commits, &s->commits_cap, s->ncommits + 1,
                sizeof *s->commits))
        return MS_ERR_NOMEM;
    s->commits[s->ncommits++] = seq;
    s->map->ncommit++;
    return MS_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_revoke(const void *a, const void *b)
{
    const revoke_rec *x = a, *y = b;
    return x->block < y->block ? -1 : x->block > y->block;
}

/* Both sorts run after settle() shifted every seq by the superblock's
 * sequence (qsort has no context argument), so plain unsigned order is
 * transaction age order. */
static int cmp_by_jblock(const void *a, const void *b)
{
    const ms_jentry *x = a, *y = b;
    if (x->jblock != y->jblock)
        return x->jblock < y->jblock ? -1 : 1;
    return x->seq > y->seq ? -1 : x->seq < y->seq; /* newest first */
}

static int cmp_by_block(const void *a, const void *b)
{
    const ms_jentry *x = a, *y = b;
    if (x->fs_block != y->fs_block)
        return x->fs_block < y->fs_block ? -1 : 1;
    return x->seq > y->seq ? -1 : x->seq < y->seq; /* newest first */
}

/* Keep, per journal block, only the copy of the newest transaction that
 * covers it: the log is written in order, so later transactions overwrote
 * older ones there.  A block carrying a journal header is no copy at all
 * (copies starting with the magic are stored escaped). */
static void settle(scan_state *s)
{
    ms_jmap *m = s->map;
    const ms_jsb *sb = s->sb;
    /* make seq order = age order for the sorts */
    for (size_t i = 0; i < m->n; i++)
        m->e[i].seq -= sb->sequence ^ 0x80000000u;
    if (m->n > 1)
        qsort(m->e, m->n, sizeof *m->e, cmp_by_jblock);
    size_t out = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (s->is_header[m->e[i].jblock])
            continue;
        if (out && m->e[out - 1].jblock == m->e[i].jblock)
            continue;
        m->e[out++] = m->e[i];
    }
    m->n = out;
    if (m->n > 1)
        qsort(m->e, m->n, sizeof *m->e, cmp_by_block);
    for (size_t i = 0; i < m->n; i++)
        m->e[i].seq += sb->sequence ^ 0x80000000u;

    /* qsort/bsearch must not see the NULL of an empty array */
    if (s->ncommits > 1)
        qsort(s->commits, s->ncommits, sizeof *s->commits, cmp_u32);
    if (s->nrevokes > 1)
        qsort(s->revokes, s->nrevokes, sizeof *s->revokes, cmp_revoke);
    for (size_t i = 0; i < m->n; i++) {
        ms_jentry *e = &m->e[i];
        e->committed = s->ncommits &&
            bsearch(&e->seq, s->commits, s->ncommits, sizeof *s->commits,
                    cmp_u32) != NULL;
        revoke_rec key = { e->fs_block, 0 };
        revoke_rec *r = s->nrevokes ? bsearch(&key, s->revokes, s->nrevokes,
                                              sizeof key, cmp_revoke) : NULL;
        if (!r)
            continue;
        /* bsearch lands on any record of the block: scan its neighbours */
        while (r > s->revokes && r[-1].block == e->fs_block)
            r--;
        for (; r < s->revokes + s->nrevokes && r->block == e->fs_block; r++)
            if (age(sb, r->seq) > age(sb, e->seq))
                e->revoked = 1;
    }
}

ms_err ms_journal_scan(const ms_jsb *sb, ms_jread_fn rd, void *user,
                       ms_jmap *map)
{
    scan_state s = { .sb = sb, .map = map };
    size_t max_tags = sb->blocksize / 8 + 1;
    uint8_t *b = malloc(sb->blocksize);
    ms_jtag *tags = calloc(max_tags, sizeof *tags);
    uint64_t *blks = calloc(sb->blocksize / 4 + 1, sizeof *blks);
    uint32_t nblocks = sb->maxlen;
    ms_err rc = MS_ERR_NOMEM;

    memset(map, 0, sizeof *map);
    map->sb = *sb;
    if (nblocks > MS_JOURNAL_MAX_BLOCKS)
        nblocks = MS_JOURNAL_MAX_BLOCKS;
    s.nblocks = nblocks;
    s.is_header = calloc(nblocks ? nblocks : 1, 1);
    if (!b || !tags || !blks || !s.is_header)
        goto _exit;

    for (uint32_t j = sb->first; j < nblocks; j++) {
        uint32_t type, seq;
        if (rd(user, j, b) != 0 ||
            !ms_jblock_header(b, sb->blocksize, &type, &seq))
            continue;
        s.is_header[j] = 1;
        if (type == MS_JBD2_DESCRIPTOR)
            rc = do_descriptor(&s, j, b, seq, tags, max_tags);
        else if (type == MS_JBD2_COMMIT)
            rc = do_commit(&s, seq);
        else if (type == MS_JBD2_REVOKE)
            rc = do_revoke(&s, b, seq, blks, sb->blocksize / 4 + 1);
        else
            rc = MS_OK;
        if (rc == MS_ERR_LIMIT)
            break;             /* keep what we have */
        if (rc)
            goto _exit;
    }
    settle(&s);
    rc = MS_OK;
_exit:
    if (rc)
        ms_jmap_free(map);
    free(b);
    free(tags);
    free(blks);
    free(s.commits);
    free(s.revokes);
    free(s.is_header);
    return rc;
}

size_t ms_jmap_find(const ms_jmap *map, uint64_t fs_block, size_t *first)
{
    size_t lo = 0, hi = map->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map->e[mid].fs_block < fs_block)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < map->n && map->e[lo + n].fs_block == fs_block)
        n++;
    *first = lo;
    return n;
}

void ms_jmap_free(ms_jmap *map)
{
    free(map->e);
    map->e = NULL;
    map->n = map->cap = 0;
}
