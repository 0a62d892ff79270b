/* test_namescore.c - calibration and robustness of the name score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "artifacts/namescore.h"

/* Names a Mumblehard-style dropper uses: must be flagged. */
static const char *random_names[] = {
    "qCVwOWA", "xKzPqRt", "aZbYcXd", "QWxvbNM", "hgFTrEw", "jKLmnBv",
    "qCVwOWA.sh", ".qCVwOWA", "a8Xk2b9", "Tk8dZ",
};

/* Names benign software leaves in temp directories: must not be. */
static const char *benign_names[] = {
    "systemd-private-3f1c2a0e7b4d4e7f9a3b-apache2.service-AbCdEf",
    "hsperfdata_root", ".X11-unix", ".ICE-unix", ".XIM-unix", ".font-unix",
    ".Test-unix", ".X0-lock", "sess_9a8b7c6d5e4f3a2b1c0d", "backup",
    "apache2", "cron.log", "php_errors.log", "mysql.sock",
    "yum_save_tx.2015-04-01.12-00.xyz", "vmware-root", "ssh-XXXXabcd",
    "ssh-qCVwOWAxyz", "Crashpad", "logrotate", "update.sh", "installer",
    "perl5lib", "tmux-0", "config-err-AbCdEf", "README", "a.out",
    "tmp.qWxKzPrTa1", "tmpa8x_k2q9", "phpQxZkWb", "krb5cc_1000",
    "pulse-PKdhtXMmr18n", "httpd.pid", "yum.lock", "dbus-AbCdEfGhIj",
    "MyFileName", "NetworkManager", "getElementById", "ImageMagick",
    "HTMLParser", "OpenSSL", "VirtualBox", "nginx", "mysqld", "postgres",
    "httpd", "gvfsd", "lighttpd", "wwwrun", "kworker", "3f1c2a0e9b7d",
    "0123456789", "lost+found", ".bash_history", "x86_64", "core.1234",
    "mc-root", "orbit-gdm", "gpg-AbCdEf", "zabbix_agentd", "LCK..ttyS0",
};

static void test_random_names_flagged(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof random_names / sizeof *random_names; i++) {
        const char *why = NULL;
        int s = ms_name_score(random_names[i], &why);
        if (s < MS_NAME_RANDOM_THRESHOLD)
            fail_msg("%s scored %d (%s)", random_names[i], s, why);
        assert_non_null(why);
        assert_true(s <= 100);
        assert_true(ms_name_is_random(random_names[i]));
    }
}

static void test_benign_names_not_flagged(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof benign_names / sizeof *benign_names; i++) {
        const char *why = NULL;
        int s = ms_name_score(benign_names[i], &why);
        if (s >= MS_NAME_RANDOM_THRESHOLD)
            fail_msg("%s scored %d (%s)", benign_names[i], s, why);
        assert_non_null(why);
        assert_true(s >= 0);
        assert_false(ms_name_is_random(benign_names[i]));
    }
}

static void expect(const char *name, int lo, int hi, const char *why_want)
{
    const char *why = NULL;
    int s = ms_name_score(name, &why);
    if (s < lo || s > hi)
        fail_msg("%s scored %d, want %d..%d (%s)", name, s, lo, hi, why);
    if (why_want)
        assert_string_equal(why, why_want);
}

static void test_reasons(void **state)
{
    (void)state;
    expect("systemd-private-abc", 0, 0, "known benign pattern");
    expect("tmp.qCVwOWA", 0, 0, "known benign pattern");
    expect("qCVwOWA", 60, 100, "improbable mixed case");
    expect("QWxvbNM", 90, 100, NULL);
    expect("xkzpqrt", 30, 59, "rare letter pairs");
    expect("3f1c2a0e9b7d", 0, 20, "hex id");
    expect("0123456789", 0, 0, "only digits");
    expect("qCV", 0, 30, "too short to judge");
    expect("installer", 0, 10, "looks like words");
    expect("---", 0, 0, "no letters");
    /* length rules: same shape, longer token scores less */
    expect("qCVwOWAxKzPqRtjKLmnB", 0, 30, NULL);
    /* the most random token wins */
    int a = ms_name_score("qCVwOWA", NULL);
    assert_int_equal(ms_name_score("backup-qCVwOWA.tar", NULL), a);
    /* case alone decides between these two */
    assert_true(ms_name_score("qCVwOWA", NULL) >
                ms_name_score("qcvwowa", NULL));
    /* Title case and ALL CAPS are not mixed case */
    assert_int_equal(ms_name_score("Logrotate", NULL),
                     ms_name_score("logrotate", NULL));
}

static void test_hostile_input(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_int_equal(ms_name_score(NULL, &why), 0);
    assert_string_equal(why, "empty name");
    assert_int_equal(ms_name_score("", &why), 0);
    assert_string_equal(why, "empty name");
    assert_false(ms_name_is_random(NULL));
    assert_int_equal(ms_name_score("qCVwOWA", NULL), 75);

    /* non-ASCII and control bytes: not judged */
    assert_int_equal(ms_name_score("qCVwOWA\xc3\xa9", &why), 0);
    assert_string_equal(why, "non-ASCII or control bytes, not judged");
    assert_int_equal(ms_name_score("qCV\x1b[2JwOWA", &why), 0);
    assert_int_equal(ms_name_score("\xff\xfe\x80", &why), 0);

    /* exactly NAME_MAX is judged, one more is not; huge is bounded */
    size_t big = 1000000;
    char *s = malloc(big + 1);
    assert_non_null(s);
    for (size_t i = 0; i < big; i++)
        s[i] = "qCVwOWA"[i % 7];
    s[big] = '\0';
    assert_int_equal(ms_name_score(s, &why), 0);
    assert_string_equal(why, "longer than NAME_MAX, not judged");
    s[MS_NAME_MAX_LEN] = '\0';
    int v = ms_name_score(s, &why);
    assert_true(v >= 0 && v <= 30); /* one long token: capped */
    free(s);

    /* random bytes: never crash, always in range, why always set */
    uint32_t x = 12345;
    char buf[40];
    for (int it = 0; it < 20000; it++) {
        size_t n = 0;
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        size_t len = x % (sizeof buf - 1);
        for (; n < len; n++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            /* mostly printable ASCII so the scorer itself is exercised */
            buf[n] = (x & 0x700) ? (char)(0x21 + x % 94) : (char)(x & 0xff);
            if (buf[n] == '\0')
                buf[n] = 'x';
        }
        buf[n] = '\0';
        why = NULL;
        int sc = ms_name_score(buf, &why);
        assert_true(sc >= 0 && sc <= 100);
        assert_non_null(why);
        assert_int_equal(ms_name_is_random(buf),
                         sc >= MS_NAME_RANDOM_THRESHOLD);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_names_flagged),
        cmocka_unit_test(test_benign_names_not_flagged),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_hostile_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
