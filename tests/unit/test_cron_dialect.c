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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cronie_versions),
        cmocka_unit_test(test_dpkg),
        cmocka_unit_test(test_apk),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_file_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
