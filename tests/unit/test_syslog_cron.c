/* test_syslog_cron.c - syslog headers (BSD and RFC 3339), cron CMD and
 * sshd records, year inference across a new year, cron's mkprints(),
 * glibc utmp records in both layouts, the gzip reader's bounds, and the
 * time zone rules (TZif with transitions, a "slim" one whose footer
 * rule carries DST, POSIX TZ strings north and south). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "artifacts/logread.h"
#include "artifacts/syslog_cron.h"
#include "artifacts/tzinfo.h"
#include "artifacts/utmp.h"
#include <stdio.h>

static void test_cron_lines(void **state)
{
    (void)state;
    ms_syslog_hdr h;
    const char *u, *c;
    size_t ul, cl;
    const char *l1 = "Mar  3 10:15:01 web1 CRON[2211]: (root) CMD (/tmp/x (y))";
    assert_true(ms_syslog_parse(l1, strlen(l1), &h));
    assert_int_equal(h.mon, 3);
    assert_int_equal(h.mday, 3);
    assert_int_equal(h.pid, 2211);
    assert_false(h.has_year);
    assert_true(ms_syslog_cron_cmd(&h, &u, &ul, &c, &cl));
    assert_int_equal(ul, 4);
    assert_memory_equal(c, "/tmp/x (y)", cl);
    const char *l2 = "Dec 31 23:59:00 h /usr/sbin/cron[9]: (www) CMD (a)";
    assert_true(ms_syslog_parse(l2, strlen(l2), &h));
    assert_true(ms_syslog_cron_cmd(&h, &u, &ul, &c, &cl));
    const char *l3 = "2024-03-03T10:15:01.123456+01:00 web1 CROND[7]: (root) CMD (b)";
    assert_true(ms_syslog_parse(l3, strlen(l3), &h));
    assert_true(h.has_year);
    assert_int_equal(h.utc, 1709460901 - 3600); /* 10:15:01+01:00 */
    assert_true(ms_syslog_cron_cmd(&h, &u, &ul, &c, &cl));
    /* not cron: a program calling itself CRONX, or another message */
    const char *l4 = "Mar  3 10:15:01 web1 CRONX[1]: (root) CMD (x)";
    assert_true(ms_syslog_parse(l4, strlen(l4), &h));
    assert_false(ms_syslog_cron_cmd(&h, &u, &ul, &c, &cl));
    const char *l5 = "Mar  3 10:15:01 web1 CRON[1]: pam_unix(cron:session): session opened";
    assert_true(ms_syslog_parse(l5, strlen(l5), &h));
    assert_false(ms_syslog_cron_cmd(&h, &u, &ul, &c, &cl));
    assert_false(ms_syslog_parse("Foo  3 10:15:01 x y: z", 22, &h));
}

static void test_sshd(void **state)
{
    (void)state;
    ms_syslog_hdr h;
    ms_sshd_rec r;
    const char *a = "Apr  7 09:58:12 w sshd[880]: Accepted publickey for root from 2001:db8::1 port 5 ssh2: ED25519 SHA256:x";
    assert_true(ms_syslog_parse(a, strlen(a), &h));
    assert_true(ms_syslog_sshd(&h, &r));
    assert_true(r.accepted);
    assert_memory_equal(r.user, "root", 4);
    assert_memory_equal(r.addr, "2001:db8::1", r.addr_len);
    const char *f = "Apr  7 09:58:12 w sshd[880]: Failed password for invalid user adm from 192.0.2.1 port 5 ssh2";
    assert_true(ms_syslog_parse(f, strlen(f), &h));
    assert_true(ms_syslog_sshd(&h, &r));
    assert_false(r.accepted);
    assert_true(r.invalid_user);
    assert_int_equal(r.user_len, 3);
}

static void test_years(void **state)
{
    (void)state;
    /* Dec 30, Dec 31, Jan 1, Jan 2; file written 2015-01-02 */
    ms_syslog_when w[4] = { { 12, 30, 0, 0, 0, 0 }, { 12, 31, 0, 0, 0, 0 },
                            { 1, 1, 0, 0, 0, 0 }, { 1, 2, 0, 0, 0, 0 } };
    int64_t ref = ms_syslog_timegm(2015, 1, 2, 12, 0, 0);
    assert_int_equal(ms_syslog_assign_years(w, 4, ref), 1);
    assert_int_equal(w[0].year, 2014);
    assert_int_equal(w[1].year, 2014);
    assert_int_equal(w[2].year, 2015);
    assert_int_equal(w[3].year, 2015);
    /* last line in December, file written in January: the year before */
    ms_syslog_when d[1] = { { 12, 31, 23, 0, 0, 0 } };
    assert_int_equal(ms_syslog_assign_years(d, 1, ref), 0);
    assert_int_equal(d[0].year, 2014);
    assert_int_equal(ms_syslog_timegm(2015, 2, 29, 0, 0, 0), INT64_MIN);
    assert_int_equal(ms_syslog_timegm(2016, 2, 29, 0, 0, 0), 1456704000);
}

static void test_mkprints(void **state)
{
    (void)state;
    char *p = ms_cron_mkprints("a\tb\x7f\xe9", 5);
    assert_string_equal(p, "a^Ib^?\\351");
    free(p);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void test_utmp(void **state)
{
    (void)state;
    uint8_t r32[MS_UTMP_SIZE32 * 2], r64[MS_UTMP_SIZE64];
    ms_utmp_rec r;
    memset(r32, 0, sizeof r32);
    for (int i = 0; i < 2; i++) {
        uint8_t *p = r32 + i * MS_UTMP_SIZE32;
        p[0] = 7;
        put32(p + 4, 880);
        memcpy(p + 8, "pts/0", 5);
        memcpy(p + 44, "root", 4);
        memcpy(p + 76, "198.51.100.7", 12);
        put32(p + 340, 1428400693);
        put32(p + 344, 5);
    }
    assert_int_equal(ms_utmp_layout(r32, sizeof r32, sizeof r32),
                     MS_UTMP_SIZE32);
    assert_true(ms_utmp_decode(r32, MS_UTMP_SIZE32, &r));
    assert_int_equal(r.sec, 1428400693);
    assert_string_equal(r.user, "root");
    assert_string_equal(r.host, "198.51.100.7");
    memset(r64, 0, sizeof r64);
    r64[0] = 8;
    put32(r64 + 344, 1428400693);
    assert_int_equal(ms_utmp_layout(r64, sizeof r64, sizeof r64),
                     MS_UTMP_SIZE64);
    assert_true(ms_utmp_decode(r64, MS_UTMP_SIZE64, &r));
    assert_int_equal(r.type, MS_UT_DEAD_PROCESS);
    /* junk is no layout */
    uint8_t junk[MS_UTMP_SIZE32];
    memset(junk, 0xff, sizeof junk);
    assert_int_equal(ms_utmp_layout(junk, sizeof junk, sizeof junk), 0);
}

static int count_line(void *user, const ms_line *l)
{
    (void)l;
    (*(uint64_t *)user)++;
    return 0;
}

static void test_gzip(void **state)
{
    (void)state;
    /* two gzip members, then a truncated third */
    const char *text = "one\ntwo\n";
    uint8_t out[256];
    size_t total = 0;
    for (int m = 0; m < 3; m++) {
        z_stream z;
        memset(&z, 0, sizeof z);
        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                      Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (Bytef *)text;
        z.avail_in = (uInt)strlen(text);
        z.next_out = out + total;
        z.avail_out = (uInt)(sizeof out - total);
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        total += z.total_out;
        deflateEnd(&z);
    }
    ms_lines_mem mem = { out, total - 6 };  /* cut the last trailer */
    ms_logread_info info;
    uint64_t n = 0;
    assert_int_equal(ms_logread_lines(ms_lines_mem_read, &mem, 64,
                                      count_line, &n, &info), MS_OK);
    assert_true(info.compressed);
    assert_true(info.gzip_error);
    assert_true(n >= 4);
}

#define T(y, mo, d, h, mi, se) ms_syslog_timegm(y, mo, d, h, mi, se)

/* A slim TZif v2: no transitions, type CET, footer with the EU rule. */
static size_t slim_berlin(uint8_t *b)
{
    static const char footer[] = "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        memcpy(b + n, "TZif2", 5);
        memset(b + n + 5, 0, 39);
        b[n + 20 + 19] = 1;           /* typecnt */
        b[n + 20 + 23] = 4;           /* charcnt */
        n += 44;
        const uint8_t tt[6] = { 0, 0, 0x0e, 0x10, 0, 0 };   /* +3600 */
        memcpy(b + n, tt, 6);
        memcpy(b + n + 6, "CET", 4);
        n += 10;
    }
    memcpy(b + n, footer, sizeof footer - 1);
    return n + sizeof footer - 1;
}

static void check_berlin_2015(const ms_tz *tz)
{
    assert_int_equal(ms_tz_offset_at(tz, T(2015, 3, 29, 0, 59, 59)), 3600);
    assert_int_equal(ms_tz_offset_at(tz, T(2015, 3, 29, 1, 0, 0)), 7200);
    assert_int_equal(ms_tz_offset_at(tz, T(2015, 10, 25, 0, 59, 59)), 7200);
    assert_int_equal(ms_tz_offset_at(tz, T(2015, 10, 25, 1, 0, 0)), 3600);
    /* syslog's "Apr  7 10:15:01" in Berlin */
    assert_true(ms_tz_local_to_utc(tz, T(2015, 4, 7, 10, 15, 1)) ==
                T(2015, 4, 7, 8, 15, 1));
    assert_true(ms_tz_local_to_utc(tz, T(2015, 1, 15, 12, 0, 0)) ==
                T(2015, 1, 15, 11, 0, 0));
    /* 02:30 twice on Oct 25: the first (CEST) occurrence */
    assert_true(ms_tz_local_to_utc(tz, T(2015, 10, 25, 2, 30, 0)) ==
                T(2015, 10, 25, 0, 30, 0));
    /* 02:30 never happened on Mar 29: read with the offset before */
    assert_true(ms_tz_local_to_utc(tz, T(2015, 3, 29, 2, 30, 0)) ==
                T(2015, 3, 29, 1, 30, 0));
}

static void test_tz(void **state)
{
    (void)state;
    uint8_t b[256];
    ms_tz tz;
    memset(&tz, 0, sizeof tz);
    size_t n = slim_berlin(b);
    assert_int_equal(ms_tz_parse(b, n, &tz), MS_OK);
    assert_true(tz.has_footer && tz.has_dst);
    check_berlin_2015(&tz);
    ms_tz_free(&tz);
    /* truncated or foreign data is refused */
    assert_int_equal(ms_tz_parse(b, 60, &tz), MS_ERR_FORMAT);
    ms_tz_free(&tz);
    assert_int_equal(ms_tz_parse((const uint8_t *)"TZjunk", 6, &tz),
                     MS_ERR_FORMAT);
    ms_tz_free(&tz);
    /* southern hemisphere: DST across the new year */
    const char *au = "AEST-10AEDT,M10.1.0,M4.1.0/3";
    assert_true(ms_tz_parse_posix(au, strlen(au), &tz));
    tz.found = 1;
    assert_int_equal(ms_tz_offset_at(&tz, T(2015, 1, 15, 0, 0, 0)), 39600);
    assert_int_equal(ms_tz_offset_at(&tz, T(2015, 7, 15, 0, 0, 0)), 36000);
    ms_tz_free(&tz);
    const char *bad = "CET-1CEST,J60,J300";   /* Julian forms: refused */
    assert_false(ms_tz_parse_posix(bad, strlen(bad), &tz));
    ms_tz_free(&tz);
    /* the host's "fat" tzdata file, when installed: its transitions */
    FILE *f = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
    if (f) {
        static uint8_t big[65536];
        size_t got = fread(big, 1, sizeof big, f);
        fclose(f);
        assert_int_equal(ms_tz_parse(big, got, &tz), MS_OK);
        assert_true(tz.ntrans > 0 || tz.has_footer);
        check_berlin_2015(&tz);
        ms_tz_free(&tz);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cron_lines),
        cmocka_unit_test(test_sshd),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_mkprints),
        cmocka_unit_test(test_utmp),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_tz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
