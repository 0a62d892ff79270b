/* test_ext_overlay.c - the in-memory block overlay, CRC32C, superblock
 * validation and the backup-superblock search, on hand-built bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/ext_backup_sb.h"
#include "evidence/imgwrap.h"
#include "evidence/overlay.h"

typedef struct mem { uint8_t *d; size_t n; } mem;

static ssize_t mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    mem *m = ctx;
    if (off >= m->n)
        return 0;
    if (len > m->n - off)
        len = m->n - off;
    memcpy(buf, m->d + off, len);
    return (ssize_t)len;
}

static TSK_IMG_INFO *mem_image(mem *m)
{
    TSK_IMG_INFO *img = NULL;
    assert_int_equal(ms_imgwrap_open(m, m->n, 512, mem_read, NULL, &img), MS_OK);
    return img;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void test_crc32c(void **state)
{
    (void)state;
    /* the standard check value of CRC-32C is 0xE3069283 (with the final
     * inversion ext4 leaves out) */
    assert_int_equal(~ms_crc32c(~0u, "123456789", 9), 0xE3069283u);
}

static void test_overlay(void **state)
{
    (void)state;
    mem m = { calloc(1, 64 * 1024), 64 * 1024 };
    for (size_t i = 0; i < m.n; i++)
        m.d[i] = (uint8_t)i;
    uint8_t *snapshot = malloc(m.n);
    memcpy(snapshot, m.d, m.n);
    TSK_IMG_INFO *base = mem_image(&m);
    ms_overlay *o = NULL;
    /* the volume: 32 KiB at 8 KiB, 1 KiB blocks */
    assert_int_equal(ms_overlay_new(base, 8192, 32768, 1024, &o), MS_OK);
    uint8_t a[1024], b[1024], buf[4096];
    memset(a, 0xAA, sizeof a);
    memset(b, 0xBB, sizeof b);
    assert_int_equal(ms_overlay_put(o, 3, a), MS_OK);
    assert_int_equal(ms_overlay_put(o, 1, a), MS_OK);
    assert_int_equal(ms_overlay_put(o, 3, b), MS_OK);   /* later put wins */
    assert_int_equal(ms_overlay_put(o, 32, a), MS_ERR_LIMIT); /* outside */
    assert_int_equal(ms_overlay_count(o), 2);
    /* a read across blocks 0..3, starting inside block 0 */
    assert_int_equal(ms_overlay_read(o, 512, buf, 3584), 3584);
    for (size_t i = 0; i < 512; i++)
        assert_int_equal(buf[i], (uint8_t)(8192 + 512 + i));
    for (size_t i = 512; i < 1536; i++)
        assert_int_equal(buf[i], 0xAA);
    for (size_t i = 1536; i < 2560; i++)
        assert_int_equal(buf[i], (uint8_t)(8192 + 512 + i));
    for (size_t i = 2560; i < 3584; i++)
        assert_int_equal(buf[i], 0xBB);
    /* reads end at the volume's end */
    assert_int_equal(ms_overlay_read(o, 32768 - 100, buf, 4096), 100);
    assert_int_equal(ms_overlay_read(o, 32768, buf, 10), 0);
    /* through libtsk */
    TSK_IMG_INFO *img = NULL;
    assert_int_equal(ms_overlay_image(o, &img), MS_OK);
    assert_int_equal(tsk_img_read(img, 3 * 1024 + 10, (char *)buf, 10), 10);
    assert_int_equal(buf[0], 0xBB);
    tsk_img_close(img);
    /* the base was never written */
    assert_memory_equal(m.d, snapshot, m.n);
    tsk_img_close(base);
    free(snapshot);
    free(m.d);
}

/* A minimal valid ext4 superblock: 1 KiB blocks, 4 groups of 8192. */
static void make_sb(uint8_t *sb, uint16_t group, int csum)
{
    memset(sb, 0, 1024);
    put32(sb + 0x00, 4 * 2048);       /* inodes */
    put32(sb + 0x04, 1 + 4 * 8192);   /* blocks */
    put32(sb + 0x14, 1);              /* first data block */
    put32(sb + 0x18, 0);              /* 1 KiB */
    put32(sb + 0x20, 8192);
    put32(sb + 0x28, 2048);
    sb[0x38] = 0x53; sb[0x39] = 0xEF;
    put32(sb + 0x4C, 1);
    sb[0x58] = 0; sb[0x59] = 1;       /* 256-byte inodes */
    sb[0x5A] = (uint8_t)group; sb[0x5B] = (uint8_t)(group >> 8);
    put32(sb + 0x64, 1 | (csum ? MS_EXT_RO_COMPAT_METADATA_CSUM : 0));
    ms_ext_sb_fix_csum(sb);
}

static void test_sb_check(void **state)
{
    (void)state;
    uint8_t sb[1024];
    ms_ext_geom g;
    const char *why = NULL;
    make_sb(sb, 0, 1);
    assert_int_equal(ms_ext_sb_check(sb, 0, &g, &why), 0);
    assert_int_equal(g.bs, 1024);
    assert_int_equal(g.ngroups, 4);
    sb[0x10] ^= 1;                     /* a flipped bit: checksum */
    assert_int_equal(ms_ext_sb_check(sb, 0, &g, &why), -1);
    assert_string_equal(why, "superblock checksum mismatch");
    make_sb(sb, 0, 0);
    put32(sb + 0x00, 4 * 2048 + 1);   /* counts disagree, no checksum */
    assert_int_equal(ms_ext_sb_check(sb, 0, &g, &why), -1);
    make_sb(sb, 0, 0);
    put32(sb + 0x18, 40);             /* absurd block size */
    assert_int_equal(ms_ext_sb_check(sb, 0, &g, &why), -1);
    make_sb(sb, 0, 0);
    sb[0x38] = 0;
    assert_int_equal(ms_ext_sb_check(sb, 0, &g, &why), -1);
    assert_string_equal(why, "bad magic");
}

static void test_backup_find(void **state)
{
    (void)state;
    size_t n = (1 + 4 * 8192) * 1024;
    mem m = { calloc(1, n), n };
    TSK_IMG_INFO *img = mem_image(&m);
    ms_ext_backup bk;
    /* nothing at all */
    assert_int_equal(ms_ext_backup_find(img, 0, n, &bk), MS_ERR_NOT_FOUND);
    /* a copy claiming group 2 at group 1's place is refused; group 3's
     * genuine copy is found */
    make_sb(m.d + 8193 * 1024, 2, 1);
    make_sb(m.d + (1 + 3 * 8192) * 1024, 3, 1);
    tsk_img_close(img);
    img = mem_image(&m);
    assert_int_equal(ms_ext_backup_find(img, 0, n, &bk), MS_OK);
    assert_int_equal(bk.block, 1 + 3 * 8192);
    assert_int_equal(bk.group, 3);
    /* substitution: block 1 gets the backup with group 0, valid checksum */
    ms_overlay *o = NULL;
    int gdt = 0;
    char *diff = NULL;
    assert_int_equal(ms_overlay_new(img, 0, n, 1024, &o), MS_OK);
    assert_int_equal(ms_ext_backup_apply(img, 0, &bk, o, &gdt, &diff), MS_OK);
    assert_non_null(strstr(diff, "primary superblock invalid (bad magic"));
    uint8_t sb[1024];
    ms_ext_geom g;
    const char *why;
    assert_int_equal(ms_overlay_read(o, 1024, sb, 1024), 1024);
    assert_int_equal(ms_ext_sb_check(sb, 0, &g, &why), 0);
    assert_int_equal(g.group_nr, 0);
    free(diff);
    ms_overlay_free(o);
    tsk_img_close(img);
    free(m.d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c),
        cmocka_unit_test(test_overlay),
        cmocka_unit_test(test_sb_check),
        cmocka_unit_test(test_backup_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
