/* test_cron_prop.c - property test of the schedule evaluator.
 *
 * Random valid five-field lines are generated for each modelled dialect
 * from a structured description (items: "*", "*" + "/S", "N", "A-B",
 * "A-B/S", names in month and day of week, "~" forms for cronie >= 1.6,
 * "A/S" for FreeBSD).  A reference computes each field's set straight
 * from that description, applies the dialect's day rule (Vixie: a day
 * field "starts with '*'"; BusyBox: FixDayDow; systemd-cron: both must
 * match) and enumerates
 * every minute of a week; ms_cron_sched_parse_dialect() +
 * ms_cron_sched_fires() must agree on all 10080 minutes, for weeks spread
 * over the year.  The generator is seeded, so failures are repeatable. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "artifacts/cron_sched.h"

#define LINES_PER_DIALECT 400
#define WEEKS_PER_LINE 2

static const int lo_of[5] = { 0, 0, 1, 1, 0 }, hi_of[5] = { 59, 23, 31, 12, 7 };
static const char *const mon_nm[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov",
                                      "dec" };
static const char *const dow_nm[] = { "sun", "mon", "tue", "wed", "thu",
                                      "fri", "sat" };

static uint64_t rng = 0x9e3779b97f4a7c15u;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct ref_field {
    uint64_t set;      /* values that surely fire */
    uint64_t maybe;    /* candidates of "~" items */
    int star;          /* text starts with '*' */
} ref_field;

/* systemd-cron refuses month names and reads a lone "sun" as the whole
 * week (cron_dialect_rules.h): its lines use numbers only. */
static int names_ok = 1;

/* A value as text: a number, or (sometimes) a name in mixed case. */
static int put_value(char *buf, size_t sz, int field, int v)
{
    if (!names_ok)
        return snprintf(buf, sz, "%d", v);
    if (field == 3 && rnd(3) == 0) {
        int n = snprintf(buf, sz, "%s", mon_nm[v - 1]);
        if (rnd(2))
            buf[0] = (char)(buf[0] - 'a' + 'A');
        return n;
    }
    if (field == 4 && v < 7 && rnd(3) == 0) {
        int n = snprintf(buf, sz, "%s", dow_nm[v]);
        if (rnd(2))
            buf[0] = (char)(buf[0] - 'a' + 'A');
        return n;
    }
    return snprintf(buf, sz, "%d", v);
}

static void add(uint64_t *set, int field, int v)
{
    if (field == 4 && v == 7)
        v = 0;
    *set |= UINT64_C(1) << v;
}

/* One field; appends its text to out. */
static void gen_field(int field, ms_cron_dialect d, char *out, size_t sz,
                      ref_field *rf)
{
    int lo = lo_of[field], hi = hi_of[field];
    int nitems = 1 + (int)rnd(3);
    /* BusyBox's day of week has no 7 (it would wrap without end) */
    if (d == MS_CRON_DIALECT_BUSYBOX && field == 4)
        hi = 6;
    names_ok = d != MS_CRON_DIALECT_SYSTEMD_CRON;
    size_t len = 0;

    memset(rf, 0, sizeof *rf);
    for (int it = 0; it < nitems && len + 40 < sz; it++) {
        if (it)
            out[len++] = ',';
        char *p = out + len;
        size_t room = sz - len;
        int kind = (int)rnd(d == MS_CRON_DIALECT_CRONIE_16 ? 7
                            : d == MS_CRON_DIALECT_FREEBSD ? 6 : 5);
        int a = lo + (int)rnd((unsigned)(hi - lo + 1));
        int b = a + (int)rnd((unsigned)(hi - a + 1));
        /* cronie < 1.6 rejects a step above the field maximum */
        int maxstep = d == MS_CRON_DIALECT_CRONIE_15 ? hi : hi + 10;
        int step = 1 + (int)rnd((unsigned)maxstep);
        int n = 0;
        if (kind == 0) {                       /* "*" */
            n = snprintf(p, room, "*");
            for (int v = lo; v <= hi; v++)
                add(&rf->set, field, v);
            /* BusyBox's "*" fills its whole table, day 0 of the month
             * too (which counts for FixDayDow) */
            if (d == MS_CRON_DIALECT_BUSYBOX && field == 2)
                rf->set |= 1;
        } else if (kind == 1) {                /* "* / S" */
            n = snprintf(p, room, "*/%d", step);
            /* BusyBox counts the day of month from its table's 0 */
            int from = d == MS_CRON_DIALECT_BUSYBOX && field == 2 ? 0 : lo;
            for (int v = from; v <= hi; v += step)
                add(&rf->set, field, v);
        } else if (kind == 2) {                /* "N" */
            n = put_value(p, room, field, a);
            add(&rf->set, field, a);
        } else if (kind == 3) {                /* "A-B" */
            n = put_value(p, room, field, a);
            n += snprintf(p + n, room - (size_t)n, "-");
            n += put_value(p + n, room - (size_t)n, field, b);
            for (int v = a; v <= b; v++)
                add(&rf->set, field, v);
        } else if (kind == 4) {                /* "A-B/S" */
            n = snprintf(p, room, "%d-%d/%d", a, b, step);
            for (int v = a; v <= b; v += step)
                add(&rf->set, field, v);
        } else if (kind == 5 && d == MS_CRON_DIALECT_FREEBSD) {
            n = snprintf(p, room, "%d/%d", a, step);   /* "A/S" */
            for (int v = a; v <= hi; v += step)
                add(&rf->set, field, v);
        } else if (kind == 5) {                /* "~" */
            n = snprintf(p, room, "~");
            for (int v = lo; v <= hi; v++)
                add(&rf->maybe, field, v);
        } else {                               /* "A~B" */
            n = snprintf(p, room, "%d~%d", a, b);
            for (int v = a; v <= b; v++)
                add(&rf->maybe, field, v);
        }
        len += (size_t)n;
    }
    out[len] = '\0';
    rf->star = out[0] == '*';
}

/* The reference: does the line fire at this minute? */
static int ref_fires(ms_cron_dialect d, const ref_field rf[5],
                     const struct tm *t)
{
    int v[5] = { t->tm_min, t->tm_hour, t->tm_mday, t->tm_mon + 1,
                 t->tm_wday };
    int m[5];
    for (int i = 0; i < 5; i++)
        m[i] = (int)(((rf[i].set | rf[i].maybe) >> v[i]) & 1);
    if (!m[0] || !m[1] || !m[3])
        return 0;
    if (d == MS_CRON_DIALECT_SYSTEMD_CRON)     /* OnCalendar: both */
        return m[2] && m[4];
    if (d == MS_CRON_DIALECT_BUSYBOX) {        /* FixDayDow */
        int week_used = (rf[4].set & 0x7F) != 0x7F;
        int days_used = (rf[2].set & UINT64_C(0xFFFFFFFF)) !=
                        UINT64_C(0xFFFFFFFF);
        if (week_used != days_used)
            return week_used ? m[4] : m[2];
        return m[2] || m[4];
    }
    if (rf[2].star || rf[4].star)
        return m[2] && m[4];
    return m[2] || m[4];
}

static void run_dialect(ms_cron_dialect d)
{
    char text[5][256];
    ref_field rf[5];
    for (int line = 0; line < LINES_PER_DIALECT; line++) {
        const char *fields[5];
        for (int f = 0; f < 5; f++) {
            gen_field(f, d, text[f], sizeof text[f], &rf[f]);
            fields[f] = text[f];
        }
        ms_cron_sched s;
        char *err = NULL;
        ms_err e = ms_cron_sched_parse_dialect(fields, d, &s, &err);
        if (e != MS_OK)
            print_error("%s: %s %s %s %s %s rejected: %s\n",
                        ms_cron_dialect_name(d), text[0], text[1], text[2],
                        text[3], text[4], err ? err : "?");
        free(err);
        assert_int_equal(e, MS_OK);
        for (int w = 0; w < WEEKS_PER_LINE; w++) {
            /* a week starting on a random day of 2026-2028 */
            time_t start = (time_t)1767225600 + (time_t)rnd(3 * 365) * 86400;
            for (int k = 0; k < 7 * 24 * 60; k++) {
                time_t t = start + (time_t)k * 60;
                struct tm tm;
                gmtime_r(&t, &tm);
                int want = ref_fires(d, rf, &tm);
                int got = ms_cron_sched_fires(&s, tm.tm_min, tm.tm_hour,
                                              tm.tm_mday, tm.tm_mon + 1,
                                              tm.tm_wday);
                if (want != got) {
                    print_error("%s: \"%s %s %s %s %s\" at %04d-%02d-%02d "
                                "%02d:%02d: reference %d, evaluator %d\n",
                                ms_cron_dialect_name(d), text[0], text[1],
                                text[2], text[3], text[4], tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                tm.tm_min, want, got);
                    fail();
                }
            }
        }
    }
}

static void test_debian(void **state)
{
    (void)state;
    run_dialect(MS_CRON_DIALECT_DEBIAN);
}

static void test_cronie15(void **state)
{
    (void)state;
    run_dialect(MS_CRON_DIALECT_CRONIE_15);
}

static void test_cronie16(void **state)
{
    (void)state;
    run_dialect(MS_CRON_DIALECT_CRONIE_16);
}

static void test_freebsd(void **state)
{
    (void)state;
    run_dialect(MS_CRON_DIALECT_FREEBSD);
}

static void test_busybox(void **state)
{
    (void)state;
    run_dialect(MS_CRON_DIALECT_BUSYBOX);
}

static void test_systemd(void **state)
{
    (void)state;
    run_dialect(MS_CRON_DIALECT_SYSTEMD_CRON);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_freebsd),
        cmocka_unit_test(test_busybox),
        cmocka_unit_test(test_systemd),
        cmocka_unit_test(test_debian),
        cmocka_unit_test(test_cronie15),
        cmocka_unit_test(test_cronie16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
