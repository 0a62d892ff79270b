/* test_fileinfo.c - hashes, ELF header parse, libmagic wrapper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detection/fileinfo.h"

/* ---- hashes ----------------------------------------------------------- */

static void hash_all(const void *p, size_t n, char md5[33], char sha1[41],
                     char sha256[65])
{
    ms_hasher *h = NULL;
    assert_int_equal(ms_hasher_new(&h), MS_OK);
    assert_int_equal(ms_hasher_update(h, p, n), MS_OK);
    assert_int_equal(ms_hasher_final(h, md5, sha1, sha256), MS_OK);
    ms_hasher_free(h);
}

static void test_hash_abc(void **state)
{
    char md5[33], sha1[41], sha256[65];
    (void)state;
    hash_all("abc", 3, md5, sha1, sha256);
    assert_string_equal(md5, "900150983cd24fb0d6963f7d28e17f72");
    assert_string_equal(sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_string_equal(sha256, "ba7816bf8f01cfea414140de5dae2223"
                                "b00361a396177a9cb410ff61f20015ad");
}

static void test_hash_empty(void **state)
{
    char md5[33], sha1[41], sha256[65];
    (void)state;
    hash_all(NULL, 0, md5, sha1, sha256);
    assert_string_equal(md5, "d41d8cd98f00b204e9800998ecf8427e");
    assert_string_equal(sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_string_equal(sha256, "e3b0c44298fc1c149afbf4c8996fb924"
                                "27ae41e4649b934ca495991b7852b855");
}

/* Chunked updates of odd sizes must equal one update of the whole. */
static void test_hash_streaming(void **state)
{
    static const size_t pieces[] = { 1, 7, 63, 64, 65, 4096, 1, 0, 12345 };
    const size_t n = 200000;
    char a5[33], a1[41], a256[65], b5[33], b1[41], b256[65];
    uint8_t *buf = malloc(n);
    uint32_t x = 12345;
    ms_hasher *h = NULL;
    (void)state;
    assert_non_null(buf);
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    hash_all(buf, n, a5, a1, a256);
    assert_int_equal(ms_hasher_new(&h), MS_OK);
    size_t off = 0;
    for (size_t k = 0; off < n; k++) {
        size_t step = pieces[k % (sizeof pieces / sizeof *pieces)];
        if (step > n - off)
            step = n - off;
        assert_int_equal(ms_hasher_update(h, buf + off, step), MS_OK);
        off += step;
    }
    assert_int_equal(ms_hasher_final(h, b5, b1, b256), MS_OK);
    ms_hasher_free(h);
    assert_string_equal(a5, b5);
    assert_string_equal(a1, b1);
    assert_string_equal(a256, b256);
    /* and "abc" in two parts is still the known vector */
    assert_int_equal(ms_hasher_new(&h), MS_OK);
    assert_int_equal(ms_hasher_update(h, "a", 1), MS_OK);
    assert_int_equal(ms_hasher_update(h, "bc", 2), MS_OK);
    assert_int_equal(ms_hasher_final(h, b5, b1, b256), MS_OK);
    assert_string_equal(b5, "900150983cd24fb0d6963f7d28e17f72");
    ms_hasher_free(h);
    free(buf);
}

static void test_hash_misuse(void **state)
{
    char md5[33], sha1[41], sha256[65];
    ms_hasher *h = NULL;
    (void)state;
    assert_int_equal(ms_hasher_new(NULL), MS_ERR_ARG);
    assert_int_equal(ms_hasher_new(&h), MS_OK);
    assert_int_equal(ms_hasher_update(h, NULL, 3), MS_ERR_ARG);
    assert_int_equal(ms_hasher_final(h, md5, sha1, sha256), MS_OK);
    assert_int_equal(ms_hasher_update(h, "x", 1), MS_ERR_ARG);
    assert_int_equal(ms_hasher_final(h, md5, sha1, sha256), MS_ERR_ARG);
    ms_hasher_free(h);
    ms_hasher_free(NULL);
}

/* ---- ELF -------------------------------------------------------------- */

/* Minimal ELF header: exact-size heap copy so ASan sees any over-read. */
static uint8_t *elf_hdr(int cls, int data, unsigned osabi, unsigned type,
                        unsigned machine, size_t len)
{
    uint8_t *p = calloc(1, len ? len : 1);
    uint8_t h[64] = { 0x7f, 'E', 'L', 'F' };
    h[4] = (uint8_t)cls;
    h[5] = (uint8_t)data;
    h[6] = 1;
    h[7] = (uint8_t)osabi;
    if (data == 2) {
        h[16] = (uint8_t)(type >> 8);    h[17] = (uint8_t)type;
        h[18] = (uint8_t)(machine >> 8); h[19] = (uint8_t)machine;
    } else {
        h[16] = (uint8_t)type;    h[17] = (uint8_t)(type >> 8);
        h[18] = (uint8_t)machine; h[19] = (uint8_t)(machine >> 8);
    }
    memcpy(p, h, len < sizeof h ? len : sizeof h);
    return p;
}

static void test_elf_i386_freebsd(void **state)
{
    ms_elfinfo e;
    uint8_t *p = elf_hdr(1, 1, 9, 2, 3, 52);
    (void)state;
    assert_int_equal(ms_elf_parse(p, 52, &e), MS_OK);
    assert_int_equal(e.valid, 1);
    assert_int_equal(e.elf_class, 32);
    assert_int_equal(e.big_endian, 0);
    assert_int_equal(e.machine, 3);
    assert_int_equal(e.etype, 2);
    assert_int_equal(e.osabi, 9);
    assert_string_equal(e.machine_name, "Intel 80386");
    assert_string_equal(e.osabi_name, "FreeBSD");
    free(p);
}

static void test_elf_be64(void **state)
{
    ms_elfinfo e;
    uint8_t *p = elf_hdr(2, 2, 0, 3, 21, 64);
    (void)state;
    assert_int_equal(ms_elf_parse(p, 64, &e), MS_OK);
    assert_int_equal(e.valid, 1);
    assert_int_equal(e.elf_class, 64);
    assert_int_equal(e.big_endian, 1);
    assert_int_equal(e.machine, 21);
    assert_int_equal(e.etype, 3);
    assert_string_equal(e.machine_name, "PowerPC64");
    assert_string_equal(e.osabi_name, "SYSV");
    free(p);
    p = elf_hdr(2, 1, 3, 2, 62, 64);
    assert_int_equal(ms_elf_parse(p, 64, &e), MS_OK);
    assert_string_equal(e.machine_name, "AMD x86-64");
    assert_string_equal(e.osabi_name, "Linux/GNU");
    free(p);
    p = elf_hdr(2, 1, 200, 2, 0x1234, 64);
    assert_int_equal(ms_elf_parse(p, 64, &e), MS_OK);
    assert_int_equal(e.valid, 1);
    assert_int_equal(e.machine, 0x1234);
    assert_string_equal(e.machine_name, "unknown");
    assert_string_equal(e.osabi_name, "unknown");
    free(p);
}

static void test_elf_truncated(void **state)
{
    ms_elfinfo e;
    (void)state;
    /* every length shorter than the class's header is "not ELF" */
    for (size_t len = 0; len < 52; len++) {
        uint8_t *p = elf_hdr(1, 1, 0, 2, 3, len);
        assert_int_equal(ms_elf_parse(p, len, &e), MS_OK);
        assert_int_equal(e.valid, 0);
        assert_null(e.machine_name);
        free(p);
    }
    for (size_t len = 52; len < 64; len++) {
        uint8_t *p = elf_hdr(2, 1, 0, 2, 62, len);
        assert_int_equal(ms_elf_parse(p, len, &e), MS_OK);
        assert_int_equal(e.valid, 0);
        free(p);
    }
}

static void test_elf_hostile(void **state)
{
    static const int bad[][2] = { { 0, 1 }, { 3, 1 }, { 255, 1 },
                                  { 1, 0 }, { 1, 3 }, { 2, 255 } };
    ms_elfinfo e;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint8_t *p = elf_hdr(bad[i][0], bad[i][1], 0, 2, 3, 64);
        assert_int_equal(ms_elf_parse(p, 64, &e), MS_OK);
        assert_int_equal(e.valid, 0);
        free(p);
    }
    uint8_t mz[64] = { 'M', 'Z' };
    assert_int_equal(ms_elf_parse(mz, sizeof mz, &e), MS_OK);
    assert_int_equal(e.valid, 0);
    assert_int_equal(ms_elf_parse(NULL, 0, &e), MS_OK);
    assert_int_equal(e.valid, 0);
    assert_int_equal(ms_elf_parse(NULL, 5, &e), MS_ERR_ARG);
    assert_int_equal(ms_elf_parse(mz, 4, NULL), MS_ERR_ARG);
}

static void test_exec_magic(void **state)
{
    (void)state;
    assert_true(ms_content_is_executable_magic((const uint8_t *)"\177ELF", 4));
    assert_true(ms_content_is_executable_magic((const uint8_t *)"#!/bin/sh", 9));
    assert_true(ms_content_is_executable_magic((const uint8_t *)"#!", 2));
    assert_false(ms_content_is_executable_magic((const uint8_t *)"\177EL", 3));
    assert_false(ms_content_is_executable_magic((const uint8_t *)"#", 1));
    assert_false(ms_content_is_executable_magic((const uint8_t *)"# !", 3));
    assert_false(ms_content_is_executable_magic((const uint8_t *)"MZ\x90", 3));
    assert_false(ms_content_is_executable_magic(NULL, 10));
}

/* ---- libmagic --------------------------------------------------------- */

static void test_magic_describe(void **state)
{
    ms_magic *m = NULL;
    (void)state;
    assert_int_equal(ms_magic_open(&m), MS_OK);
    /* a full-size i386 header with a program header table position */
    uint8_t *p = elf_hdr(1, 1, 9, 2, 3, 52);
    p[6] = 1;                                   /* EI_VERSION */
    p[20] = 1;                                  /* e_version */
    char *d = ms_magic_describe(m, p, 52);
    assert_non_null(d);
    assert_non_null(strstr(d, "ELF"));
    assert_non_null(strstr(d, "32-bit"));
    assert_non_null(strstr(d, "80386"));
    free(d);
    free(p);
    static const char sh[] = "#!/bin/sh\necho hello\n";
    d = ms_magic_describe(m, sh, sizeof sh - 1);
    assert_non_null(d);
    assert_non_null(strstr(d, "script"));
    free(d);
    d = ms_magic_describe(m, NULL, 0);
    assert_non_null(d);
    assert_string_equal(d, "empty");
    free(d);
    assert_null(ms_magic_describe(m, NULL, 3));
    assert_null(ms_magic_describe(NULL, sh, 3));
    ms_magic_close(m);
    ms_magic_close(NULL);
}

static void test_magic_version(void **state)
{
    (void)state;
    const char *v = ms_magic_version_string();
    assert_non_null(v);
    assert_true(strlen(v) >= 4);
    assert_non_null(strchr(v, '.'));
    assert_ptr_equal(v, ms_magic_version_string());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_abc),
        cmocka_unit_test(test_hash_empty),
        cmocka_unit_test(test_hash_streaming),
        cmocka_unit_test(test_hash_misuse),
        cmocka_unit_test(test_elf_i386_freebsd),
        cmocka_unit_test(test_elf_be64),
        cmocka_unit_test(test_elf_truncated),
        cmocka_unit_test(test_elf_hostile),
        cmocka_unit_test(test_exec_magic),
        cmocka_unit_test(test_magic_describe),
        cmocka_unit_test(test_magic_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
