/* test_cron_dialect.c - which cron an image runs, from package databases
 * and the daemon's bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_dialect.h"
#include "artifacts/rpmdb.h"

static void test_cronie_versions(void **state)
{
    (void)state;
    assert_int_equal(ms_cron_dialect_cronie("1.4.11"),
                     MS_CRON_DIALECT_CRONIE_15);
    assert_int_equal(ms_cron_dialect_cronie("1.5.7-8.el9"),
                     MS_CRON_DIALECT_CRONIE_15);
    assert_int_equal(ms_cron_dialect_cronie("1.6.0"),
                     MS_CRON_DIALECT_CRONIE_16);
    assert_int_equal(ms_cron_dialect_cronie("1.7.2-r0"),
                     MS_CRON_DIALECT_CRONIE_16);
    assert_int_equal(ms_cron_dialect_cronie("2.0"), MS_CRON_DIALECT_CRONIE_16);
    assert_int_equal(ms_cron_dialect_cronie("x"), MS_CRON_DIALECT_UNKNOWN);
    assert_int_equal(ms_cron_dialect_cronie(NULL), MS_CRON_DIALECT_UNKNOWN);
}

static void test_dpkg(void **state)
{
    (void)state;
    ms_cron_dialect_info i;
    static const char debian[] =
        "Package: busybox\nStatus: install ok installed\nVersion: 1:1.35.0-4\n"
        "\n"
        "Package: cron\nStatus: install ok installed\nPriority: important\n"
        "Version: 3.0pl1-162\nDescription: process scheduling daemon\n"
        " continuation line: Package: cronie\n\n"
        "Package: cronie\nStatus: deinstall ok config-files\n"
        "Version: 1.6.1-1\n";
    assert_int_equal(ms_cron_dialect_from_dpkg(debian, sizeof debian - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_DEBIAN);
    assert_string_equal(i.version, "3.0pl1-162");
    assert_non_null(strstr(i.why, "\"cron\" version \"3.0pl1-162\""));
    ms_cron_dialect_info_clear(&i);

    static const char cronie[] =
        "Package: cronie\r\nStatus: install ok installed\r\n"
        "Version: 1.7.2-1\r\n\r\n";
    assert_int_equal(ms_cron_dialect_from_dpkg(cronie, sizeof cronie - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_16);
    ms_cron_dialect_info_clear(&i);

    static const char sysd[] =
        "Package: systemd-cron\nStatus: install ok installed\nVersion: 2.3\n";
    assert_int_equal(ms_cron_dialect_from_dpkg(sysd, sizeof sysd - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_SYSTEMD_CRON);
    ms_cron_dialect_info_clear(&i);

    static const char none[] = "Package: bash\nStatus: install ok installed\n";
    assert_int_equal(ms_cron_dialect_from_dpkg(none, sizeof none - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
    ms_cron_dialect_info_clear(&i);
    assert_int_equal(ms_cron_dialect_from_dpkg(NULL, 0, &i), MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
    assert_int_equal(ms_cron_dialect_from_dpkg(NULL, 3, &i), MS_ERR_ARG);
}

static void test_apk(void **state)
{
    (void)state;
    ms_cron_dialect_info i;
    static const char with[] = "C:Q1abc\nP:musl\nV:1.2.4-r2\n\n"
                               "P:cronie\nV:1.7.2-r0\nA:x86_64\n";
    assert_int_equal(ms_cron_dialect_from_apk(with, sizeof with - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_16);
    assert_string_equal(i.version, "1.7.2-r0");
    ms_cron_dialect_info_clear(&i);
    static const char without[] = "P:musl\nV:1.2.4-r2\n\nP:busybox\nV:1.36\n";
    assert_int_equal(ms_cron_dialect_from_apk(without, sizeof without - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_BUSYBOX);
    ms_cron_dialect_info_clear(&i);
}

static void test_binary(void **state)
{
    (void)state;
    ms_cron_dialect_info i;
    /* PACKAGE_STRING as cronie's crond holds it, among other bytes */
    static const unsigned char bin[] = "\x7f" "ELF\0\0cronie is\0"
                                       "cronie 1.5.7\0more";
    assert_int_equal(ms_cron_dialect_from_binary(bin, sizeof bin - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_CRONIE_15);
    assert_string_equal(i.version, "1.5.7");
    ms_cron_dialect_info_clear(&i);
    /* not NUL-terminated, or no version: nothing */
    static const unsigned char cut[] = "xx cronie 1.6.0";
    assert_int_equal(ms_cron_dialect_from_binary(cut, sizeof cut - 1, &i),
                     MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
    static const unsigned char debian[] = "\x7f" "ELF\0/etc/crontab\0"
                                          "CRON_TZ\0";
    assert_int_equal(ms_cron_dialect_from_binary(debian, sizeof debian - 1,
                                                 &i), MS_OK);
    assert_int_equal(i.dialect, MS_CRON_DIALECT_UNKNOWN);
}

/* Whole files the image's cron skips (cronie database.c not_a_crontab
 * and check_open; Debian cron(8) on /etc/cron.d names). */
static void test_file_ignored(void **state)
{
    (void)state;
    const char *why;
    const ms_cron_dialect C = MS_CRON_DIALECT_CRONIE_16,
                          D = MS_CRON_DIALECT_DEBIAN;
    assert_false(ms_cron_file_ignored(C, "0hourly", 1, 1, 0644, 0, &why));
    assert_null(why);
    assert_true(ms_cron_file_ignored(C, "0hourly", 1, 1, 0664, 0, &why));
    assert_non_null(strstr(why, "BAD FILE MODE"));
    assert_true(ms_cron_file_ignored(C, "job", 1, 1, 0755, 0, &why));
    assert_true(ms_cron_file_ignored(C, "job", 1, 1, 0644, 1000, &why));
    assert_non_null(strstr(why, "WRONG FILE OWNER"));
    assert_false(ms_cron_file_ignored(C, "alice", 0, 0, 0600, 1000, &why));
    assert_true(ms_cron_file_ignored(C, "job~", 1, 1, 0644, 0, &why));
    assert_true(ms_cron_file_ignored(C, ".job", 1, 1, 0644, 0, &why));
    assert_true(ms_cron_file_ignored(C, "job.rpmnew", 1, 1, 0644, 0, &why));
    assert_false(ms_cron_file_ignored(C, "job.sh", 1, 1, 0644, 0, &why));
    /* Debian: names only (modes are not modelled) */
    assert_true(ms_cron_file_ignored(D, "php.dpkg-old", 1, 1, 0644, 0, &why));
    assert_non_null(strstr(why, "Debian"));
    assert_false(ms_cron_file_ignored(D, "php", 1, 1, 0664, 0, &why));
    assert_false(ms_cron_file_ignored(D, "crontab", 0, 1, 0644, 0, &why));
    assert_false(ms_cron_file_ignored(MS_CRON_DIALECT_UNKNOWN, ".x", 1, 1,
                                      0777, 5, &why));
}

/* getpwnam() as BusyBox crond's load_crontab asks it, on /etc/passwd */
static void test_passwd(void **state)
{
    (void)state;
    static const char pw[] = "root:x:0:0:root:/root:/bin/ash\n"
                             "nobody:x:65534:65534::/:/sbin/nologin";
    assert_true(ms_passwd_has_user(pw, sizeof pw - 1, "root"));
    assert_true(ms_passwd_has_user(pw, sizeof pw - 1, "nobody"));
    assert_false(ms_passwd_has_user(pw, sizeof pw - 1, "roo"));
    assert_false(ms_passwd_has_user(pw, sizeof pw - 1, "ghost"));
    assert_false(ms_passwd_has_user(pw, sizeof pw - 1, "x"));
    assert_false(ms_passwd_has_user(pw, sizeof pw - 1, ""));
    assert_false(ms_passwd_has_user(pw, 4, "root"));   /* "root" cut */
}

/* ---- rpmdb.sqlite-wal: a log built here with SQLite's checksum ------ */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* wal.c walChecksumBytes, little-endian words (magic 0x377f0682) */
static void sum(const uint8_t *p, size_t n, uint32_t *s0, uint32_t *s1)
{
    for (size_t i = 0; i < n; i += 8) {
        uint32_t a = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 |
                     (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
        uint32_t b = (uint32_t)p[i + 4] | (uint32_t)p[i + 5] << 8 |
                     (uint32_t)p[i + 6] << 16 | (uint32_t)p[i + 7] << 24;
        *s0 += a + *s1;
        *s1 += b + *s0;
    }
}

#define PSZ 512
/* frames: (page, commit size, fill byte) */
static size_t make_wal(uint8_t *w, const unsigned (*fr)[3], size_t n)
{
    uint32_t s0 = 0, s1 = 0;
    memset(w, 0, 32);
    put32(w, 0x377f0682u);
    put32(w + 4, 3007000u);
    put32(w + 8, PSZ);
    put32(w + 16, 0x11223344u);
    put32(w + 20, 0x55667788u);
    sum(w, 24, &s0, &s1);
    put32(w + 24, s0);
    put32(w + 28, s1);
    size_t off = 32;
    for (size_t i = 0; i < n; i++, off += 24 + PSZ) {
        uint8_t *f = w + off;
        put32(f, fr[i][0]);
        put32(f + 4, fr[i][1]);
        memcpy(f + 8, w + 16, 8);
        memset(f + 24, (int)fr[i][2], PSZ);
        sum(f, 8, &s0, &s1);
        sum(f + 24, PSZ, &s0, &s1);
        put32(f + 16, s0);
        put32(f + 20, s1);
    }
    return off;
}

static void test_wal(void **state)
{
    (void)state;
    uint8_t db[2 * PSZ] = "SQLite format 3";
    static uint8_t w[32 + 4 * (24 + PSZ)];
    /* page 2, then page 3 committing 3 pages, then page 1 uncommitted */
    static const unsigned fr[3][3] = { { 2, 0, 0xa2 }, { 3, 3, 0xa3 },
                                       { 1, 0, 0xa1 } };
    uint8_t *out = NULL;
    size_t outlen = 0;
    unsigned frames = 0;
    const char *why = NULL;

    db[16] = PSZ >> 8, db[17] = PSZ & 255;
    memset(db + PSZ, 0x02, PSZ);
    size_t wl = make_wal(w, fr, 3);
    assert_int_equal(ms_rpmdb_wal_apply(db, sizeof db, w, wl, 1 << 20, &out,
                                        &outlen, &frames, &why), MS_OK);
    assert_int_equal(outlen, 3 * PSZ);
    assert_int_equal(frames, 2);
    assert_memory_equal(out, "SQLite format 3", 16);   /* page 1 kept */
    assert_int_equal(out[PSZ], 0xa2);
    assert_int_equal(out[3 * PSZ - 1], 0xa3);
    free(out);
    /* the size bound */
    assert_int_equal(ms_rpmdb_wal_apply(db, sizeof db, w, wl, 2 * PSZ, &out,
                                        &outlen, &frames, &why),
                     MS_ERR_FORMAT);
    assert_non_null(strstr(why, "size bound"));
    /* a damaged commit frame: the running checksum breaks there, no
     * commit remains */
    w[32 + (24 + PSZ) + 24] ^= 1;
    assert_int_equal(ms_rpmdb_wal_apply(db, sizeof db, w, wl, 1 << 20, &out,
                                        &outlen, &frames, &why),
                     MS_ERR_FORMAT);
    assert_non_null(strstr(why, "no committed frame"));
    assert_null(out);
    /* another page size than the database's */
    make_wal(w, fr, 3);
    db[16] = 4;
    assert_int_equal(ms_rpmdb_wal_apply(db, sizeof db, w, wl, 1 << 20, &out,
                                        &outlen, &frames, &why),
                     MS_ERR_FORMAT);
    assert_non_null(strstr(why, "page size"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cronie_versions),
        cmocka_unit_test(test_dpkg),
        cmocka_unit_test(test_apk),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_file_ignored),
        cmocka_unit_test(test_passwd),
        cmocka_unit_test(test_wal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
