/* test_ext_journal.c - jbd2 parsing on hand-built journal blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/ext_journal.h"

#define BS 1024u

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);  p[3] = (uint8_t)v;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v;
}

static void header(uint8_t *b, uint32_t type, uint32_t seq)
{
    put32(b, MS_JBD2_MAGIC);
    put32(b + 4, type);
    put32(b + 8, seq);
}

static void make_sb(uint8_t *b, uint32_t version, uint32_t maxlen,
                    uint32_t first, uint32_t seq, uint32_t incompat)
{
    memset(b, 0, BS);
    header(b, version == 2 ? MS_JBD2_SB_V2 : MS_JBD2_SB_V1, 0);
    put32(b + 0x0C, BS);
    put32(b + 0x10, maxlen);
    put32(b + 0x14, first);
    put32(b + 0x18, seq);
    put32(b + 0x1C, first);
    put32(b + 0x28, incompat);
}

static ms_jsb sb_with(uint32_t incompat)
{
    uint8_t b[BS];
    ms_jsb sb;
    make_sb(b, 2, 64, 1, 1, incompat);
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_OK);
    return sb;
}

static void test_superblock(void **state)
{
    (void)state;
    uint8_t b[BS];
    ms_jsb sb;
    make_sb(b, 2, 1024, 1, 0x1234, MS_JBD2_INCOMPAT_64BIT |
            MS_JBD2_INCOMPAT_REVOKE);
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_OK);
    assert_int_equal(sb.version, 2);
    assert_int_equal(sb.blocksize, BS);
    assert_int_equal(sb.maxlen, 1024);
    assert_int_equal(sb.first, 1);
    assert_int_equal(sb.sequence, 0x1234);
    assert_int_equal(sb.tag_bytes, 12);
    assert_false(sb.csum_tail);

    /* v1 ignores the feature words */
    make_sb(b, 1, 1024, 1, 7, MS_JBD2_INCOMPAT_64BIT);
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_OK);
    assert_int_equal(sb.version, 1);
    assert_int_equal(sb.tag_bytes, 8);

    /* tag sizes per journal_tag_bytes() */
    assert_int_equal(sb_with(0).tag_bytes, 8);
    assert_int_equal(sb_with(MS_JBD2_INCOMPAT_64BIT).tag_bytes, 12);
    assert_int_equal(sb_with(MS_JBD2_INCOMPAT_CSUM_V2).tag_bytes, 10);
    assert_int_equal(sb_with(MS_JBD2_INCOMPAT_CSUM_V2 |
                             MS_JBD2_INCOMPAT_64BIT).tag_bytes, 14);
    assert_int_equal(sb_with(MS_JBD2_INCOMPAT_CSUM_V3).tag_bytes, 16);
    assert_int_equal(sb_with(MS_JBD2_INCOMPAT_CSUM_V3 |
                             MS_JBD2_INCOMPAT_64BIT).tag_bytes, 16);
    assert_true(sb_with(MS_JBD2_INCOMPAT_CSUM_V3).csum_tail);
}

static void test_superblock_bad(void **state)
{
    (void)state;
    uint8_t b[BS];
    ms_jsb sb;
    make_sb(b, 2, 1024, 1, 1, 0);
    b[0] ^= 0xFF;                            /* magic */
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_ERR_FORMAT);
    make_sb(b, 2, 1024, 1, 1, 0);
    put32(b + 4, MS_JBD2_DESCRIPTOR);        /* not a superblock type */
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_ERR_FORMAT);
    make_sb(b, 2, 1024, 1, 1, 0);
    put32(b + 0x0C, 1000);                   /* not a power of two */
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_ERR_FORMAT);
    make_sb(b, 2, 1024, 1, 1, 0);
    put32(b + 0x0C, 1u << 30);
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_ERR_FORMAT);
    make_sb(b, 2, 4, 4, 1, 0);               /* first >= maxlen */
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_ERR_FORMAT);
    make_sb(b, 2, 0, 0, 1, 0);
    assert_int_equal(ms_jsb_parse(b, BS, &sb), MS_ERR_FORMAT);
    make_sb(b, 2, 1024, 1, 1, 0);
    assert_int_equal(ms_jsb_parse(b, 16, &sb), MS_ERR_FORMAT); /* short */
}

/* A v2 tag (journal_block_tag_t): blocknr, csum16, flags16, [high]. */
static size_t put_tag2(uint8_t *p, const ms_jsb *sb, uint64_t blk,
                       uint16_t flags)
{
    put32(p, (uint32_t)blk);
    put16(p + 4, 0xBEEF);
    put16(p + 6, flags);
    if (sb->incompat & MS_JBD2_INCOMPAT_64BIT)
        put32(p + 8, (uint32_t)(blk >> 32));
    size_t n = sb->tag_bytes;
    if (!(flags & MS_JBD2_FLAG_SAME_UUID)) {
        memset(p + n, 0xAA, 16);
        n += 16;
    }
    return n;
}

/* A v3 tag (journal_block_tag3_t): blocknr, flags32, high, csum32. */
static size_t put_tag3(uint8_t *p, uint64_t blk, uint32_t flags)
{
    put32(p, (uint32_t)blk);
    put32(p + 4, flags);
    put32(p + 8, (uint32_t)(blk >> 32));
    put32(p + 12, 0xCAFEBABE);
    size_t n = 16;
    if (!(flags & MS_JBD2_FLAG_SAME_UUID)) {
        memset(p + n, 0xAA, 16);
        n += 16;
    }
    return n;
}

static void test_descriptor_32(void **state)
{
    (void)state;
    ms_jsb sb = sb_with(0);
    uint8_t b[BS] = {0};
    ms_jtag tags[8];
    size_t n, off = 12;
    header(b, MS_JBD2_DESCRIPTOR, 9);
    off += put_tag2(b + off, &sb, 138, 0);
    off += put_tag2(b + off, &sb, 0xFFFFFFF0u, MS_JBD2_FLAG_SAME_UUID |
                    MS_JBD2_FLAG_ESCAPE);
    off += put_tag2(b + off, &sb, 77, MS_JBD2_FLAG_SAME_UUID |
                    MS_JBD2_FLAG_LAST_TAG);
    put_tag2(b + off, &sb, 99, MS_JBD2_FLAG_SAME_UUID); /* after LAST_TAG */
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 8, &n), MS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(tags[0].fs_block, 138);
    assert_int_equal(tags[1].fs_block, 0xFFFFFFF0u);
    assert_true(tags[1].flags & MS_JBD2_FLAG_ESCAPE);
    assert_int_equal(tags[2].fs_block, 77);

    /* not a descriptor */
    header(b, MS_JBD2_COMMIT, 9);
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 8, &n), MS_ERR_FORMAT);
}

static void test_descriptor_64(void **state)
{
    (void)state;
    ms_jsb sb = sb_with(MS_JBD2_INCOMPAT_64BIT);
    uint8_t b[BS] = {0};
    ms_jtag tags[4];
    size_t n, off = 12;
    header(b, MS_JBD2_DESCRIPTOR, 1);
    off += put_tag2(b + off, &sb, 0x123456789ULL, 0);
    put_tag2(b + off, &sb, 5, MS_JBD2_FLAG_SAME_UUID | MS_JBD2_FLAG_LAST_TAG);
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 4, &n), MS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tags[0].fs_block, 0x123456789ULL);
    assert_int_equal(tags[1].fs_block, 5);
}

static void test_descriptor_csum(void **state)
{
    (void)state;
    /* CSUM_V2: 14-byte tags with 64BIT; the block ends in a tail */
    ms_jsb sb = sb_with(MS_JBD2_INCOMPAT_CSUM_V2 | MS_JBD2_INCOMPAT_64BIT);
    uint8_t b[BS] = {0};
    ms_jtag tags[4];
    size_t n, off = 12;
    header(b, MS_JBD2_DESCRIPTOR, 1);
    off += put_tag2(b + off, &sb, 0x200000010ULL, 0);
    put_tag2(b + off, &sb, 11, MS_JBD2_FLAG_SAME_UUID | MS_JBD2_FLAG_LAST_TAG);
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 4, &n), MS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tags[0].fs_block, 0x200000010ULL);
    assert_int_equal(tags[1].fs_block, 11);

    /* CSUM_V3: 16-byte tags, 32-bit flags word */
    sb = sb_with(MS_JBD2_INCOMPAT_CSUM_V3 | MS_JBD2_INCOMPAT_64BIT);
    memset(b, 0, BS);
    header(b, MS_JBD2_DESCRIPTOR, 1);
    off = 12;
    off += put_tag3(b + off, 0x300000001ULL, MS_JBD2_FLAG_ESCAPE);
    put_tag3(b + off, 42, MS_JBD2_FLAG_SAME_UUID | MS_JBD2_FLAG_LAST_TAG);
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 4, &n), MS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tags[0].fs_block, 0x300000001ULL);
    assert_true(tags[0].flags & MS_JBD2_FLAG_ESCAPE);
    assert_int_equal(tags[1].fs_block, 42);

    /* CSUM_V3 without 64BIT: the high word is not used */
    sb = sb_with(MS_JBD2_INCOMPAT_CSUM_V3);
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 4, &n), MS_OK);
    assert_int_equal(tags[0].fs_block, 1);
}

static void test_descriptor_hostile(void **state)
{
    (void)state;
    /* no LAST_TAG anywhere, every tag SAME_UUID: stops at the tail */
    ms_jsb sb = sb_with(MS_JBD2_INCOMPAT_CSUM_V3);
    uint8_t b[BS];
    ms_jtag tags[1024];
    size_t n;
    memset(b, 0, BS);
    header(b, MS_JBD2_DESCRIPTOR, 1);
    for (size_t off = 12; off + 16 <= BS; off += 16)
        put_tag3(b + off, 1, MS_JBD2_FLAG_SAME_UUID);
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 1024, &n), MS_OK);
    assert_int_equal(n, (BS - 4 - 12) / 16);
    /* the caller's array bound holds */
    assert_int_equal(ms_jdesc_parse(&sb, b, BS, tags, 3, &n), MS_OK);
    assert_int_equal(n, 3);
    /* a buffer shorter than the block is refused */
    assert_int_equal(ms_jdesc_parse(&sb, b, 100, tags, 3, &n), MS_ERR_FORMAT);
}

static void test_revoke(void **state)
{
    (void)state;
    ms_jsb sb = sb_with(0);
    uint8_t b[BS] = {0};
    uint64_t blk[300];
    size_t n;
    header(b, MS_JBD2_REVOKE, 3);
    put32(b + 12, 16 + 3 * 4);
    put32(b + 16, 10); put32(b + 20, 20); put32(b + 24, 30);
    put32(b + 28, 40);                      /* beyond r_count */
    assert_int_equal(ms_jrevoke_parse(&sb, b, BS, blk, 300, &n), MS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(blk[2], 30);

    sb = sb_with(MS_JBD2_INCOMPAT_64BIT);
    memset(b, 0, BS);
    header(b, MS_JBD2_REVOKE, 3);
    put32(b + 12, 16 + 2 * 8);
    put32(b + 16, 1); put32(b + 20, 2);
    put32(b + 24, 0); put32(b + 28, 7);
    assert_int_equal(ms_jrevoke_parse(&sb, b, BS, blk, 300, &n), MS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(blk[0], 0x100000002ULL);
    assert_int_equal(blk[1], 7);

    /* hostile r_count: clamped to the block */
    put32(b + 12, 0xFFFFFFFFu);
    assert_int_equal(ms_jrevoke_parse(&sb, b, BS, blk, 300, &n), MS_OK);
    assert_int_equal(n, (BS - 16) / 8);
}

/* ---- whole-log scans over an in-memory journal ------------------------ */

typedef struct memjournal {
    uint8_t *blocks;
    uint32_t nblocks;
} memjournal;

static int mem_read(void *user, uint32_t j, uint8_t *buf)
{
    memjournal *m = user;
    if (j >= m->nblocks)
        return -1;
    memcpy(buf, m->blocks + (size_t)j * BS, BS);
    return 0;
}

static uint8_t *blk(memjournal *m, uint32_t j) { return m->blocks + (size_t)j * BS; }

static void desc(memjournal *m, const ms_jsb *sb, uint32_t j, uint32_t seq,
                 const uint64_t *fsb, const uint16_t *flags, size_t n)
{
    uint8_t *b = blk(m, j);
    size_t off = 12;
    memset(b, 0, BS);
    header(b, MS_JBD2_DESCRIPTOR, seq);
    for (size_t i = 0; i < n; i++)
        off += put_tag2(b + off, sb, fsb[i],
                        (uint16_t)(flags[i] | (i ? MS_JBD2_FLAG_SAME_UUID : 0) |
                                   (i + 1 == n ? MS_JBD2_FLAG_LAST_TAG : 0)));
}

static void test_scan_log(void **state)
{
    (void)state;
    memjournal m = { calloc(16, BS), 16 };
    assert_non_null(m.blocks);
    make_sb(blk(&m, 0), 2, 16, 1, 5, MS_JBD2_INCOMPAT_REVOKE);
    ms_jsb sb;
    assert_int_equal(ms_jsb_parse(blk(&m, 0), BS, &sb), MS_OK);

    /* T5: blocks 100, 200 at 2, 3; commit at 4 */
    desc(&m, &sb, 1, 5, (uint64_t[]){100, 200}, (uint16_t[]){0, 0}, 2);
    memset(blk(&m, 2), 'A', BS);
    memset(blk(&m, 3), 'B', BS);
    header(blk(&m, 4), MS_JBD2_COMMIT, 5);
    /* T6: block 100 again (escaped copy) at 6; commit at 7 */
    desc(&m, &sb, 5, 6, (uint64_t[]){100}, (uint16_t[]){MS_JBD2_FLAG_ESCAPE}, 1);
    memset(blk(&m, 6), 'C', BS);
    header(blk(&m, 7), MS_JBD2_COMMIT, 6);
    /* T7: revokes 200; never committed block 300 at 10 */
    header(blk(&m, 8), MS_JBD2_REVOKE, 7);
    put32(blk(&m, 8) + 12, 20);
    put32(blk(&m, 8) + 16, 200);
    desc(&m, &sb, 9, 7, (uint64_t[]){300}, (uint16_t[]){0}, 1);

    ms_jmap map;
    assert_int_equal(ms_journal_scan(&sb, mem_read, &m, &map), MS_OK);
    assert_int_equal(map.ndesc, 3);
    assert_int_equal(map.ncommit, 2);
    assert_int_equal(map.nrevoke, 1);

    size_t first, n = ms_jmap_find(&map, 100, &first);
    assert_int_equal(n, 2);
    assert_int_equal(map.e[first].seq, 6);      /* newest first */
    assert_int_equal(map.e[first].jblock, 6);
    assert_true(map.e[first].escaped);
    assert_true(map.e[first].committed);
    assert_int_equal(map.e[first + 1].seq, 5);
    assert_int_equal(map.e[first + 1].jblock, 2);

    n = ms_jmap_find(&map, 200, &first);
    assert_int_equal(n, 1);
    assert_true(map.e[first].revoked);
    assert_true(map.e[first].committed);

    n = ms_jmap_find(&map, 300, &first);
    assert_int_equal(n, 1);
    assert_false(map.e[first].committed);

    assert_int_equal(ms_jmap_find(&map, 12345, &first), 0);
    ms_jmap_free(&map);
    free(m.blocks);
}

static void test_scan_wrapped(void **state)
{
    (void)state;
    memjournal m = { calloc(16, BS), 16 };
    assert_non_null(m.blocks);
    /* sequence near the 32-bit wrap: 0xFFFFFFFF is older than 0 */
    make_sb(blk(&m, 0), 2, 16, 1, 0xFFFFFFFFu, MS_JBD2_INCOMPAT_64BIT);
    ms_jsb sb;
    assert_int_equal(ms_jsb_parse(blk(&m, 0), BS, &sb), MS_OK);

    /* T 0xFFFFFFFF: descriptor at 14, copies at 15, 1, 2 (wrapped) */
    desc(&m, &sb, 14, 0xFFFFFFFFu, (uint64_t[]){7, 8, 0x500000009ULL},
         (uint16_t[]){0, 0, 0}, 3);
    header(blk(&m, 3), MS_JBD2_COMMIT, 0xFFFFFFFFu);
    /* T 0: block 7 again at 5 */
    desc(&m, &sb, 4, 0, (uint64_t[]){7}, (uint16_t[]){0}, 1);
    header(blk(&m, 6), MS_JBD2_COMMIT, 0);

    ms_jmap map;
    assert_int_equal(ms_journal_scan(&sb, mem_read, &m, &map), MS_OK);
    size_t first, n = ms_jmap_find(&map, 8, &first);
    assert_int_equal(n, 1);
    assert_int_equal(map.e[first].jblock, 1);
    n = ms_jmap_find(&map, 0x500000009ULL, &first);
    assert_int_equal(n, 1);
    assert_int_equal(map.e[first].jblock, 2);
    n = ms_jmap_find(&map, 7, &first);
    assert_int_equal(n, 2);
    assert_int_equal(map.e[first].seq, 0);      /* newer across the wrap */
    assert_int_equal(map.e[first].jblock, 5);
    assert_int_equal(map.e[first + 1].jblock, 15);
    ms_jmap_free(&map);
    free(m.blocks);
}

static void test_scan_overwritten(void **state)
{
    (void)state;
    /* an old descriptor's copy slot now holds a newer transaction's
     * descriptor: that slot is no copy of the old block */
    memjournal m = { calloc(8, BS), 8 };
    assert_non_null(m.blocks);
    make_sb(blk(&m, 0), 2, 8, 1, 10, 0);
    ms_jsb sb;
    assert_int_equal(ms_jsb_parse(blk(&m, 0), BS, &sb), MS_OK);
    desc(&m, &sb, 1, 10, (uint64_t[]){50, 51, 52}, (uint16_t[]){0, 0, 0}, 3);
    desc(&m, &sb, 3, 11, (uint64_t[]){60}, (uint16_t[]){0}, 1);
    ms_jmap map;
    assert_int_equal(ms_journal_scan(&sb, mem_read, &m, &map), MS_OK);
    size_t first;
    assert_int_equal(ms_jmap_find(&map, 50, &first), 1);
    assert_int_equal(ms_jmap_find(&map, 51, &first), 0); /* slot 3 */
    /* slot 4 was claimed by both; the newer transaction wins */
    assert_int_equal(ms_jmap_find(&map, 52, &first), 0);
    assert_int_equal(ms_jmap_find(&map, 60, &first), 1);
    assert_int_equal(map.e[first].jblock, 4);
    ms_jmap_free(&map);
    free(m.blocks);
}

static void test_scan_hostile(void **state)
{
    (void)state;
    /* a descriptor with more tags than the log has blocks */
    memjournal m = { calloc(4, BS), 4 };
    assert_non_null(m.blocks);
    make_sb(blk(&m, 0), 2, 4, 1, 1, 0);
    ms_jsb sb;
    assert_int_equal(ms_jsb_parse(blk(&m, 0), BS, &sb), MS_OK);
    uint8_t *b = blk(&m, 1);
    header(b, MS_JBD2_DESCRIPTOR, 1);
    for (size_t off = 12; off + 8 <= BS; off += 8)
        put_tag2(b + off, &sb, off, MS_JBD2_FLAG_SAME_UUID);
    ms_jmap map;
    assert_int_equal(ms_journal_scan(&sb, mem_read, &m, &map), MS_OK);
    assert_true(map.n <= 2);      /* only blocks 2 and 3 can be copies */
    ms_jmap_free(&map);

    /* maxlen larger than the journal really is: unreadable blocks skipped */
    make_sb(blk(&m, 0), 2, 1u << 20, 1, 1, 0);
    assert_int_equal(ms_jsb_parse(blk(&m, 0), BS, &sb), MS_OK);
    assert_int_equal(ms_journal_scan(&sb, mem_read, &m, &map), MS_OK);
    ms_jmap_free(&map);

    /* random blocks with valid magic and random types/contents */
    free(m.blocks);
    m.nblocks = 64;
    m.blocks = malloc((size_t)64 * BS);
    assert_non_null(m.blocks);
    srand(42);
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < (size_t)64 * BS; i++)
            m.blocks[i] = (uint8_t)rand();
        for (uint32_t j = 1; j < 64; j++)
            if (rand() % 2)
                header(blk(&m, j), 1 + (uint32_t)rand() % 5,
                       (uint32_t)rand() % 4);
        uint32_t inc = (uint32_t)rand() & 0x1F;
        make_sb(blk(&m, 0), 2, 64, 1, 1, inc);
        assert_int_equal(ms_jsb_parse(blk(&m, 0), BS, &sb), MS_OK);
        assert_int_equal(ms_journal_scan(&sb, mem_read, &m, &map), MS_OK);
        for (size_t i = 0; i < map.n; i++)
            assert_true(map.e[i].jblock >= 1 && map.e[i].jblock < 64);
        ms_jmap_free(&map);
    }
    free(m.blocks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_superblock),
        cmocka_unit_test(test_superblock_bad),
        cmocka_unit_test(test_descriptor_32),
        cmocka_unit_test(test_descriptor_64),
        cmocka_unit_test(test_descriptor_csum),
        cmocka_unit_test(test_descriptor_hostile),
        cmocka_unit_test(test_revoke),
        cmocka_unit_test(test_scan_log),
        cmocka_unit_test(test_scan_wrapped),
        cmocka_unit_test(test_scan_overwritten),
        cmocka_unit_test(test_scan_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
