/* test_carve.c - --carve over an in-memory file system: matches across
 * read boundaries, repeats in the overlap, ELF-anchored candidate files,
 * allocated blocks skipped, block numbers and image offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/ms_scan.h"
#include "detection/carve.h"

#define BS 1024u
#define NBLOCKS 64u
#define IMG_OFF (1u << 20)

typedef struct memfs { uint8_t data[NBLOCKS * BS]; } memfs;

static const char *m_type(const ms_fs *fs) { (void)fs; return "memfs"; }

static ms_err m_runs(ms_fs *fs, ms_fs_run_cb cb, void *user)
{
    (void)fs;
    /* free: 10-39 and 50-59; block 45 is allocated */
    if (cb(user, 10, 30))
        return MS_OK;
    cb(user, 50, 10);
    return MS_OK;
}

static ssize_t m_read(ms_fs *fs, uint64_t off, void *buf, size_t len)
{
    memfs *m = fs->impl;
    if (off >= sizeof m->data)
        return 0;
    if (len > sizeof m->data - off)
        len = sizeof m->data - off;
    memcpy(buf, m->data + off, len);
    return (ssize_t)len;
}

static void m_geom(ms_fs *fs, ms_fs_geometry *g)
{
    (void)fs;
    g->block_size = BS;
    g->image_offset = IMG_OFF;
    g->block_count = NBLOCKS;
}

static const ms_fs_ops mem_ops = {
    .type_name = m_type, .unalloc_runs = m_runs, .read_raw = m_read,
    .geometry = m_geom,
};

static const char RULES[] =
    "rule needle { meta: severity = \"malicious\"\n"
    "  strings: $ = \"NEEDLE-ACROSS-BOUNDARY\" condition: any of them }\n"
    "rule elfy { meta: severity = \"malicious\"\n"
    "  strings: $ = \"PAYLOAD\"\n"
    "  condition: uint32(0) == 0x464c457f and any of them }\n";

static ms_rules *compile_rules(void)
{
    char path[] = "/tmp/ms_carve_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, RULES, sizeof RULES - 1), (ssize_t)sizeof RULES - 1);
    close(fd);
    ms_rules *r = NULL;
    char *err = NULL;
    const char *paths[] = { path };
    ms_err e = ms_rules_compile(paths, 1, &r, &err);
    unlink(path);
    if (e)
        fail_msg("compile failed: %s", err ? err : "?");
    return r;
}

static void put(memfs *m, size_t off, const char *s)
{
    memcpy(m->data + off, s, strlen(s));
}

static void test_carve(void **state)
{
    (void)state;
    memfs *m = calloc(1, sizeof *m);
    assert_non_null(m);
    ms_fs fs = { &mem_ops, m };
    ms_rules *rules = compile_rules();
    ms_scan scan = {0};

    /* reads of 8 KiB from block 10 (byte 10240): the first boundary is at
     * byte 18432.  One needle straddles it, one lies wholly in the 1 KiB
     * overlap, which the second read sees again. */
    const size_t boundary = 10 * BS + 8192;
    put(m, boundary - 10, "NEEDLE-ACROSS-BOUNDARY");
    put(m, boundary - 600, "NEEDLE-ACROSS-BOUNDARY");
    /* allocated block: never scanned */
    put(m, 45 * BS + 5, "NEEDLE-ACROSS-BOUNDARY");
    /* a deleted ELF in block 50: only the header-anchored pass sees it */
    put(m, 50 * BS, "\x7f" "ELF");
    put(m, 50 * BS + 100, "PAYLOAD");

    ms_carver cv = { .rules = rules, .chunk = 8192, .overlap = 1024 };
    assert_int_equal(ms_carve_volume(&cv, &fs, &scan, 0), MS_OK);
    assert_int_equal(scan.nfiles, 2);

    ms_file *f = &scan.files[0];
    assert_int_equal(f->origin, MS_ORIGIN_CARVE);
    assert_int_equal(f->carve_block, (boundary - 600) / BS);
    assert_int_equal(f->carve_image_offset, IMG_OFF + f->carve_block * BS);
    assert_int_equal(f->nmatches, 2);           /* no repeat from the overlap */
    assert_string_equal(f->matches[0].rule, "needle");
    assert_int_equal(f->matches[0].offset, boundary - 600 - f->carve_block * BS);
    assert_int_equal(f->matches[1].offset, boundary - 10 - f->carve_block * BS);
    assert_string_equal(f->ref.path, "<unallocated block 17>");
    assert_non_null(f->recovery);               /* owner statement */
    assert_int_equal(f->recovery_certainty, MS_CERT_NONE);
    assert_string_equal(f->reasons[0].code, "CARVED_MATCH");

    f = &scan.files[1];
    assert_int_equal(f->carve_block, 50);
    assert_int_equal(f->nmatches, 1);
    assert_string_equal(f->matches[0].rule, "elfy");
    assert_int_equal(f->matches[0].offset, 100);

    ms_scan_free(&scan);

    /* the same result with one read for everything */
    memset(&scan, 0, sizeof scan);
    cv.chunk = 1u << 20;
    cv.overlap = 4096;
    assert_int_equal(ms_carve_volume(&cv, &fs, &scan, 0), MS_OK);
    assert_int_equal(scan.nfiles, 2);
    assert_int_equal(scan.files[0].nmatches, 2);
    ms_scan_free(&scan);

    /* overlap must be smaller than a read */
    memset(&scan, 0, sizeof scan);
    cv.chunk = 4096;
    cv.overlap = 4096;
    assert_int_equal(ms_carve_volume(&cv, &fs, &scan, 0), MS_ERR_ARG);
    ms_scan_free(&scan);

    /* a backend without the carving ops: noted, not fatal */
    static const ms_fs_ops bare_ops = { .type_name = m_type };
    ms_fs bare = { &bare_ops, m };
    memset(&scan, 0, sizeof scan);
    assert_int_equal(ms_carve_volume(&cv, &bare, &scan, 0), MS_OK);
    assert_int_equal(scan.nfiles, 0);
    assert_int_equal(scan.nerrors, 1);
    ms_scan_free(&scan);

    ms_rules_free(rules);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
