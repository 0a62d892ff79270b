/* test_timeline.c - ISO-8601 time rendering and timeline ordering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "report/timefmt.h"
#include "report/timeline.h"

static void expect_time(int64_t sec, uint32_t nsec, const char *want)
{
    char buf[MS_TIME_BUFSZ];
    assert_int_equal(ms_time_format(sec, nsec, buf), MS_OK);
    assert_string_equal(buf, want);
}

static void test_epoch_and_known(void **state)
{
    (void)state;
    expect_time(0, 0, "1970-01-01T00:00:00.000000000Z");
    expect_time(1428400800, 0, "2015-04-07T10:00:00.000000000Z");
    expect_time(1428400800, 123456789, "2015-04-07T10:00:00.123456789Z");
    expect_time(1428400800, 999999999, "2015-04-07T10:00:00.999999999Z");
    expect_time(86399, 1, "1970-01-01T23:59:59.000000001Z");
}

static void test_negative(void **state)
{
    (void)state;
    expect_time(-1, 0, "1969-12-31T23:59:59.000000000Z");
    expect_time(-86400, 0, "1969-12-31T00:00:00.000000000Z");
    expect_time(-86401, 5, "1969-12-30T23:59:59.000000005Z");
    /* 1901-12-13T20:45:52Z: the 32-bit time_t minimum. */
    expect_time(-2147483648LL, 0, "1901-12-13T20:45:52.000000000Z");
    /* Year 0 exists (astronomical numbering); before it the sign shows. */
    expect_time(-62167219200LL, 0, "0000-01-01T00:00:00.000000000Z");
    expect_time(-62167219201LL, 0, "-0001-12-31T23:59:59.000000000Z");
}

static void test_leap_years(void **state)
{
    (void)state;
    /* 2000 is a leap year (divisible by 400). */
    expect_time(951782400, 0, "2000-02-29T00:00:00.000000000Z");
    expect_time(951782400 + 86400, 0, "2000-03-01T00:00:00.000000000Z");
    assert_int_equal(ms_days_from_civil(2000, 2, 29), 11016);
    /* 2100 is not (divisible by 100): Feb 28 is followed by Mar 1. */
    int64_t mar1 = ms_days_from_civil(2100, 3, 1);
    assert_int_equal(mar1 - ms_days_from_civil(2100, 2, 28), 1);
    expect_time(mar1 * 86400, 0, "2100-03-01T00:00:00.000000000Z");
    expect_time(mar1 * 86400 - 1, 0, "2100-02-28T23:59:59.000000000Z");
    expect_time(4107542400LL, 0, "2100-03-01T00:00:00.000000000Z");
    /* 2038 rollover of 32-bit time_t is not special here. */
    expect_time(2147483648LL, 0, "2038-01-19T03:14:08.000000000Z");
}

static void test_huge(void **state)
{
    (void)state;
    expect_time(253402300799LL, 0, "9999-12-31T23:59:59.000000000Z");
    expect_time(253402300800LL, 0, "+10000-01-01T00:00:00.000000000Z");
    expect_time(INT64_MAX, 999999999,
                "+292277026596-12-04T15:30:07.999999999Z");
    expect_time(INT64_MIN, 0, "-292277022657-01-27T08:29:52.000000000Z");
    expect_time(INT64_MIN + 1, 0, "-292277022657-01-27T08:29:53.000000000Z");
}

static void test_bad_nsec(void **state)
{
    char buf[MS_TIME_BUFSZ] = "junk";
    (void)state;
    assert_int_equal(ms_time_format(0, 1000000000u, buf), MS_ERR_ARG);
    assert_string_equal(buf, "");
    assert_int_equal(ms_time_format(0, UINT32_MAX, buf), MS_ERR_ARG);
    ms_time t = { 1, 5, 1000000000u };
    assert_false(ms_time_usable(&t));
    t.nsec = 0;
    assert_true(ms_time_usable(&t));
    t.set = 0;
    assert_false(ms_time_usable(&t));
}

/* Compare against the C library wherever time_t/struct tm can represent
 * the value, including pre-1970 and far-future dates. */
static void test_matches_gmtime(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL; /* xorshift: reproducible samples */
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t sec = (int64_t)(x % 400000000000ULL) - 200000000000LL;
        time_t tt = (time_t)sec;
        struct tm tm;
        char want[MS_TIME_BUFSZ], got[MS_TIME_BUFSZ];
        if (!gmtime_r(&tt, &tm))
            continue;
        long long year = tm.tm_year + 1900LL;
        if (year < 0 || year > 9999)
            continue;
        snprintf(want, sizeof want, "%04lld-%02d-%02dT%02d:%02d:%02d."
                 "000000000Z", year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
        assert_int_equal(ms_time_format(sec, 0, got), MS_OK);
        assert_string_equal(got, want);
    }
}

static void test_civil_roundtrip(void **state)
{
    (void)state;
    for (int64_t d = -800000; d <= 800000; d += 7) {
        int64_t y;
        unsigned m, day;
        ms_civil_from_days(d, &y, &m, &day);
        assert_true(m >= 1 && m <= 12 && day >= 1 && day <= 31);
        assert_int_equal(ms_days_from_civil(y, m, day), d);
    }
}

/* ---- timeline --------------------------------------------------------- */

static void set_time(ms_fileref *r, int k, int64_t sec, uint32_t nsec)
{
    r->times[k].set = 1;
    r->times[k].sec = sec;
    r->times[k].nsec = nsec;
}

static void ref_init(ms_fileref *r, int vol, const char *path, uint64_t ino)
{
    memset(r, 0, sizeof *r);
    r->volume = vol;
    r->path = (char *)path; /* the timeline only borrows */
    r->inode = ino;
    r->has_inode = 1;
    r->type = MS_FT_REG;
}

static int entry_before(const ms_tl_entry *a, const ms_tl_entry *b)
{
    static const char order[] = "macbd";
    if (a->sec != b->sec)
        return a->sec < b->sec;
    if (a->nsec != b->nsec)
        return a->nsec < b->nsec;
    int c = strcmp(a->path, b->path);
    if (c)
        return c < 0;
    return strchr(order, a->event) <= strchr(order, b->event);
}

static void test_timeline_rules(void **state)
{
    ms_file files[4];
    ms_crontab ct;
    ms_scan s;
    ms_tl_entry *tl = NULL;
    size_t n = 0;
    (void)state;

    memset(files, 0, sizeof files);
    memset(&ct, 0, sizeof ct);
    memset(&s, 0, sizeof s);
    /* file 0: finding, all five times equal -> order m a c b d */
    ref_init(&files[0].ref, 0, "/var/tmp/qCVwOWA", 12);
    for (int k = 0; k < MS_T_COUNT; k++)
        set_time(&files[0].ref, k, 1428400800, 0);
    files[0].verdict = MS_SEV_MALICIOUS;
    /* file 1: examined; same second, later nsec; one unset, one bad nsec */
    ref_init(&files[1].ref, 0, "/tmp/a", 13);
    set_time(&files[1].ref, MS_T_MTIME, 1428400800, 1);
    set_time(&files[1].ref, MS_T_ATIME, 1428400800, 1000000000u);
    files[1].verdict = MS_SEV_INFO;
    /* file 2: missing -> no entries even though a time is set */
    ref_init(&files[2].ref, 0, "/usr/bin/gone", 0);
    files[2].ref.has_inode = 0;
    files[2].missing = 1;
    set_time(&files[2].ref, MS_T_MTIME, 5, 0);
    files[2].verdict = MS_SEV_SUSPICIOUS;
    /* file 3: same time as file 0, path with byte 0xff sorts after ASCII */
    ref_init(&files[3].ref, 0, "/var/tmp/\xff", 14);
    set_time(&files[3].ref, MS_T_CTIME, 1428400800, 0);
    files[3].verdict = MS_SEV_SUSPICIOUS;
    /* crontab: earliest, negative time */
    ref_init(&ct.file, 1, "/etc/crontab", 99);
    set_time(&ct.file, MS_T_MTIME, -10, 0);

    s.files = files;
    s.nfiles = 4;
    s.crontabs = &ct;
    s.ncrontabs = 1;

    assert_int_equal(ms_timeline_build(&s, &tl, &n), MS_OK);
    assert_int_equal(n, 1 + 5 + 1 + 1);
    for (size_t i = 1; i < n; i++)
        assert_true(entry_before(&tl[i - 1], &tl[i]));

    assert_int_equal(tl[0].sec, -10);
    assert_string_equal(tl[0].source, "crontab");
    assert_int_equal(tl[0].verdict, -1);
    assert_int_equal(tl[0].volume, 1);
    const char *evs = "macbd";
    for (int k = 0; k < 5; k++) {
        assert_string_equal(tl[1 + k].path, "/var/tmp/qCVwOWA");
        assert_int_equal(tl[1 + k].event, evs[k]);
        assert_string_equal(tl[1 + k].source, "finding");
        assert_int_equal(tl[1 + k].verdict, MS_SEV_MALICIOUS);
        assert_int_equal(tl[1 + k].inode, 12);
    }
    assert_string_equal(tl[6].path, "/var/tmp/\xff");
    assert_int_equal(tl[6].event, 'c');
    assert_string_equal(tl[7].path, "/tmp/a");
    assert_int_equal(tl[7].nsec, 1);
    assert_string_equal(tl[7].source, "examined");
    /* borrowed, not copied */
    assert_ptr_equal(tl[7].path, files[1].ref.path);
    ms_timeline_free(tl);
}

/* Ties on (time, path, event) are broken by volume, inode, source, so any
 * input order yields the same output. */
static void test_timeline_total_order(void **state)
{
    ms_file files[3], perm[3];
    ms_scan s;
    ms_tl_entry *ref = NULL, *tl = NULL;
    size_t nref = 0, n = 0;
    static const int perms[6][3] = { {0,1,2}, {0,2,1}, {1,0,2},
                                     {1,2,0}, {2,0,1}, {2,1,0} };
    (void)state;

    memset(files, 0, sizeof files);
    ref_init(&files[0].ref, 1, "/tmp/x", 7);
    ref_init(&files[1].ref, 0, "/tmp/x", 9);
    ref_init(&files[2].ref, 0, "/tmp/x", 8);
    for (int i = 0; i < 3; i++)
        set_time(&files[i].ref, MS_T_MTIME, 100, 0);
    files[2].verdict = MS_SEV_SUSPICIOUS;

    for (int p = 0; p < 6; p++) {
        for (int i = 0; i < 3; i++)
            perm[i] = files[perms[p][i]];
        memset(&s, 0, sizeof s);
        s.files = perm;
        s.nfiles = 3;
        assert_int_equal(ms_timeline_build(&s, &tl, &n), MS_OK);
        assert_int_equal(n, 3);
        /* volume 0 first, then inode 8 before 9 */
        assert_int_equal(tl[0].volume, 0);
        assert_int_equal(tl[0].inode, 8);
        assert_int_equal(tl[1].inode, 9);
        assert_int_equal(tl[2].volume, 1);
        if (!ref) {
            ref = tl;
            nref = n;
            continue;
        }
        for (size_t i = 0; i < nref; i++) {
            assert_int_equal(tl[i].inode, ref[i].inode);
            assert_int_equal(tl[i].volume, ref[i].volume);
            assert_string_equal(tl[i].source, ref[i].source);
        }
        ms_timeline_free(tl);
    }
    ms_timeline_free(ref);
}

static void test_timeline_empty_and_args(void **state)
{
    ms_scan s;
    ms_tl_entry *tl = (ms_tl_entry *)&s;
    size_t n = 42;
    (void)state;
    memset(&s, 0, sizeof s);
    assert_int_equal(ms_timeline_build(&s, &tl, &n), MS_OK);
    assert_int_equal(n, 0);
    assert_null(tl);
    assert_int_equal(ms_timeline_build(NULL, &tl, &n), MS_ERR_ARG);
    assert_int_equal(ms_timeline_build(&s, NULL, &n), MS_ERR_ARG);
    assert_int_equal(ms_timeline_event(MS_T_CRTIME), 'b');
    assert_int_equal(ms_timeline_event(MS_T_DTIME), 'd');
    assert_int_equal(ms_timeline_event(MS_T_COUNT), '?');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_and_known),
        cmocka_unit_test(test_negative),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_bad_nsec),
        cmocka_unit_test(test_matches_gmtime),
        cmocka_unit_test(test_civil_roundtrip),
        cmocka_unit_test(test_timeline_rules),
        cmocka_unit_test(test_timeline_total_order),
        cmocka_unit_test(test_timeline_empty_and_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
