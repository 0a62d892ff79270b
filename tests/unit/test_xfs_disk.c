/* test_xfs_disk.c - XFS timestamp decoding (bigtime and legacy), inode
 * location from superblock geometry, inode core checks.  All inputs are
 * hand-made big-endian bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/xfs_disk.h"

static void put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Bigtime raw value for unix seconds + nsec, as the kernel encodes it. */
static uint64_t bigtime_raw(int64_t unix_sec, uint32_t nsec)
{
    return (uint64_t)(unix_sec + 2147483648LL) * 1000000000ull + nsec;
}

static void expect_big(uint64_t raw, int64_t sec, uint32_t nsec)
{
    uint8_t b[8];
    ms_time t = {0};
    put_be(b, raw, 8);
    assert_int_equal(ms_xfs_decode_timestamp(b, 1, &t), 1);
    assert_int_equal(t.set, 1);
    assert_int_equal(t.sec, sec);
    assert_int_equal(t.nsec, nsec);
}

static void test_bigtime(void **state)
{
    (void)state;
    /* The byte pattern of 2015-04-07T10:00:00Z, spelled out. */
    uint8_t b[8] = { 0x31, 0xa0, 0x17, 0xf5, 0xa8, 0xe2, 0x40, 0x00 };
    assert_int_equal(bigtime_raw(1428400800, 0), 0x31a017f5a8e24000ull);
    ms_time t = {0};
    assert_int_equal(ms_xfs_decode_timestamp(b, 1, &t), 1);
    assert_int_equal(t.sec, 1428400800);
    assert_int_equal(t.nsec, 0);
    /* The same bytes read as legacy: what an unaware reader shows. */
    ms_time wrong = {0};
    assert_int_equal(ms_xfs_decode_timestamp(b, 0, &wrong), 0);

    expect_big(bigtime_raw(1428400800, 123456789), 1428400800, 123456789);
    expect_big(0, -2147483648LL, 0);             /* 1901-12-13T20:45:52Z */
    expect_big(bigtime_raw(0, 1), 0, 1);          /* the Unix epoch */
    expect_big(bigtime_raw(-1, 999999999), -1, 999999999); /* pre-1970 */
    expect_big(bigtime_raw(-631152000, 0), -631152000, 0); /* 1950 */
    expect_big(bigtime_raw(2147483648LL, 0), 2147483648LL, 0); /* 2038+ */
    expect_big(bigtime_raw(4102444800LL, 5), 4102444800LL, 5); /* 2100 */
    /* The largest counter: 2486-07-02T20:20:15.709551615Z. */
    expect_big(UINT64_MAX, 18446744073LL - 2147483648LL, 709551615);
}

static void expect_legacy(int32_t sec, uint32_t nsec)
{
    uint8_t b[8];
    ms_time t = {0};
    put_be(b, (uint32_t)sec, 4);
    put_be(b + 4, nsec, 4);
    assert_int_equal(ms_xfs_decode_timestamp(b, 0, &t), 1);
    assert_int_equal(t.sec, sec);
    assert_int_equal(t.nsec, nsec);
}

static void test_legacy(void **state)
{
    (void)state;
    uint8_t b[8] = { 0x55, 0x23, 0xaa, 0xa0, 0x00, 0x00, 0x00, 0x07 };
    ms_time t = {0};
    assert_int_equal(ms_xfs_decode_timestamp(b, 0, &t), 1);
    assert_int_equal(t.sec, 1428400800);         /* 2015-04-07T10:00:00Z */
    assert_int_equal(t.nsec, 7);
    expect_legacy(0, 0);
    expect_legacy(-1, 500);                       /* 1969-12-31T23:59:59 */
    expect_legacy(-100, 999999999);
    expect_legacy(INT32_MIN, 0);                  /* 1901-12-13T20:45:52Z */
    expect_legacy(INT32_MAX, 0);                  /* 2038-01-19T03:14:07Z */
    /* Nanoseconds out of range: no time rather than a made-up one. */
    put_be(b + 4, 1000000000u, 4);
    t.set = 0;
    assert_int_equal(ms_xfs_decode_timestamp(b, 0, &t), 0);
    assert_int_equal(t.set, 0);
}

/* A v5 superblock: 4 KiB blocks, 512-byte inodes, 4 AGs of 4096 blocks. */
static void make_sb(uint8_t *sb, int bigtime)
{
    memset(sb, 0, 512);
    memcpy(sb, "XFSB", 4);
    put_be(sb + 4, 4096, 4);        /* sb_blocksize */
    put_be(sb + 56, 128, 8);        /* sb_rootino */
    put_be(sb + 84, 4096, 4);       /* sb_agblocks */
    put_be(sb + 88, 4, 4);          /* sb_agcount */
    put_be(sb + 100, 0xb4a5, 2);    /* sb_versionnum: v5 */
    put_be(sb + 104, 512, 2);       /* sb_inodesize */
    sb[120] = 12;                   /* sb_blocklog */
    sb[122] = 9;                    /* sb_inodelog */
    sb[123] = 3;                    /* sb_inopblog */
    sb[124] = 12;                   /* sb_agblklog */
    put_be(sb + 216, bigtime ? 0xb : 0x3, 4); /* sb_features_incompat */
}

static void test_superblock(void **state)
{
    (void)state;
    uint8_t sb[512];
    ms_xfs_geom g;
    make_sb(sb, 1);
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_OK);
    assert_int_equal(g.blocksize, 4096);
    assert_int_equal(g.inodesize, 512);
    assert_int_equal(g.agcount, 4);
    assert_int_equal(g.rootino, 128);
    assert_true(g.v5);
    assert_true(g.bigtime);
    make_sb(sb, 0);
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_OK);
    assert_false(g.bigtime);
    /* A v4 superblock never has bigtime, whatever the incompat word says. */
    make_sb(sb, 1);
    put_be(sb + 100, 0xb4a4, 2);
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_OK);
    assert_false(g.v5);
    assert_false(g.bigtime);
    /* Hostile geometry is refused. */
    make_sb(sb, 1);
    put_be(sb + 4, 4095, 4);
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_ERR_FORMAT);
    make_sb(sb, 1);
    sb[123] = 7;
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_ERR_FORMAT);
    make_sb(sb, 1);
    put_be(sb + 88, 0, 4);
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_ERR_FORMAT);
    make_sb(sb, 1);
    sb[124] = 40;
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_ERR_FORMAT);
    make_sb(sb, 1);
    sb[0] = 'Y';
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_ERR_FORMAT);
    assert_int_equal(ms_xfs_parse_sb(sb, 100, &g), MS_ERR_FORMAT);
}

static void test_inode_offset(void **state)
{
    (void)state;
    uint8_t sb[512];
    ms_xfs_geom g;
    uint64_t off;
    make_sb(sb, 1);
    assert_int_equal(ms_xfs_parse_sb(sb, sizeof sb, &g), MS_OK);
    /* Root inode 128: AG 0, block 16, slot 0. */
    assert_int_equal(ms_xfs_inode_offset(&g, 128, &off), MS_OK);
    assert_int_equal(off, 16 * 4096);
    /* Inode 131: same block, slot 3. */
    assert_int_equal(ms_xfs_inode_offset(&g, 131, &off), MS_OK);
    assert_int_equal(off, 16 * 4096 + 3 * 512);
    /* AG 2, block 5, slot 1: (2 << 15) | (5 << 3) | 1. */
    assert_int_equal(ms_xfs_inode_offset(&g, (2u << 15) | (5u << 3) | 1, &off),
                     MS_OK);
    assert_int_equal(off, (2ull * 4096 + 5) * 4096 + 512);
    /* AG 4 does not exist; a block past agblocks neither. */
    assert_int_equal(ms_xfs_inode_offset(&g, 4u << 15, &off), MS_ERR_NOT_FOUND);
    assert_int_equal(ms_xfs_inode_offset(&g, UINT64_MAX, &off),
                     MS_ERR_NOT_FOUND);
}

static void make_core(uint8_t *c, int version, uint64_t ino, int bigtime)
{
    memset(c, 0, MS_XFS_DINODE_V3_SIZE);
    memcpy(c, "IN", 2);
    put_be(c + 2, 0100755, 2);
    c[4] = (uint8_t)version;
    if (bigtime) {
        put_be(c + 32, bigtime_raw(-86400, 1), 8);            /* atime */
        put_be(c + 40, bigtime_raw(1428400800, 0), 8);        /* mtime */
        put_be(c + 48, bigtime_raw(2200000000LL, 42), 8);     /* ctime */
        put_be(c + 144, bigtime_raw(1420070400, 999999999), 8); /* crtime */
        put_be(c + 120, 1u << 3, 8);                          /* flags2 */
    } else {
        put_be(c + 32, (uint32_t)-86400, 4);
        put_be(c + 36, 1, 4);
        put_be(c + 40, 1428400800, 4);
        put_be(c + 48, 2000000000, 4);
        put_be(c + 52, 42, 4);
        put_be(c + 144, 1420070400, 4);
    }
    if (version == 3)
        put_be(c + 152, ino, 8);
}

static void test_inode_times(void **state)
{
    (void)state;
    uint8_t c[MS_XFS_DINODE_V3_SIZE];
    ms_time t[MS_T_COUNT];

    make_core(c, 3, 131, 1);
    memset(t, 0, sizeof t);
    assert_int_equal(ms_xfs_decode_inode_times(c, sizeof c, 131, t), MS_OK);
    assert_int_equal(t[MS_T_MTIME].sec, 1428400800);
    assert_int_equal(t[MS_T_MTIME].nsec, 0);
    assert_int_equal(t[MS_T_ATIME].sec, -86400);
    assert_int_equal(t[MS_T_ATIME].nsec, 1);
    assert_int_equal(t[MS_T_CTIME].sec, 2200000000LL);
    assert_int_equal(t[MS_T_CTIME].nsec, 42);
    assert_true(t[MS_T_CRTIME].set);
    assert_int_equal(t[MS_T_CRTIME].sec, 1420070400);
    assert_int_equal(t[MS_T_CRTIME].nsec, 999999999);
    assert_false(t[MS_T_DTIME].set);

    /* v3 inode without the per-inode bigtime flag: legacy encoding. */
    make_core(c, 3, 131, 0);
    memset(t, 0, sizeof t);
    assert_int_equal(ms_xfs_decode_inode_times(c, sizeof c, 131, t), MS_OK);
    assert_int_equal(t[MS_T_MTIME].sec, 1428400800);
    assert_int_equal(t[MS_T_ATIME].sec, -86400);
    assert_int_equal(t[MS_T_CTIME].sec, 2000000000);
    assert_int_equal(t[MS_T_CRTIME].sec, 1420070400);

    /* v2 inode (v4 file system): no creation time, 100-byte core. */
    make_core(c, 2, 131, 0);
    memset(t, 0, sizeof t);
    assert_int_equal(ms_xfs_decode_inode_times(c, 100, 131, t), MS_OK);
    assert_int_equal(t[MS_T_MTIME].sec, 1428400800);
    assert_false(t[MS_T_CRTIME].set);

    /* Wrong place, wrong magic, wrong version, short core: nothing. */
    make_core(c, 3, 131, 1);
    memset(t, 0, sizeof t);
    assert_int_equal(ms_xfs_decode_inode_times(c, sizeof c, 132, t),
                     MS_ERR_FORMAT);
    assert_false(t[MS_T_MTIME].set);
    c[0] = 'X';
    assert_int_equal(ms_xfs_decode_inode_times(c, sizeof c, 131, t),
                     MS_ERR_FORMAT);
    make_core(c, 4, 131, 1);
    assert_int_equal(ms_xfs_decode_inode_times(c, sizeof c, 131, t),
                     MS_ERR_FORMAT);
    make_core(c, 3, 131, 1);
    assert_int_equal(ms_xfs_decode_inode_times(c, 100, 131, t), MS_ERR_FORMAT);
    assert_int_equal(ms_xfs_decode_inode_times(c, 99, 131, t), MS_ERR_FORMAT);
    assert_false(t[MS_T_MTIME].set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bigtime),
        cmocka_unit_test(test_legacy),
        cmocka_unit_test(test_superblock),
        cmocka_unit_test(test_inode_offset),
        cmocka_unit_test(test_inode_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
