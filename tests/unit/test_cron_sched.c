/* test_cron_sched.c - schedule parsing, matching, 15-minute class, words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_sched.h"

/* Parse "m h dom mon dow" (space separated) into *s with dialect d. */
static ms_err parse5d(const char *line, ms_cron_dialect d, ms_cron_sched *s,
                      char **err)
{
    char buf[1024], *f[5] = { 0 }, *save = NULL;
    int i = 0;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *t = strtok_r(buf, " ", &save); t && i < 5;
         t = strtok_r(NULL, " ", &save))
        f[i++] = t;
    assert_int_equal(i, 5);
    return ms_cron_sched_parse_dialect((const char *const *)f, d, s, err);
}

/* Default: cronie >= 1.6, what ms_cron_sched_parse() applies. */
static ms_err parse5(const char *line, ms_cron_sched *s, char **err)
{
    return parse5d(line, MS_CRON_DIALECT_CRONIE_16, s, err);
}

static ms_cron_sched ok5(const char *line)
{
    ms_cron_sched s;
    char *err = NULL;
    ms_err e = parse5(line, &s, &err);
    if (e)
        print_error("%s: %s\n", line, err ? err : "?");
    free(err);
    assert_int_equal(e, MS_OK);
    return s;
}

static void bad5(const char *line, const char *needle)
{
    ms_cron_sched s;
    char *err = NULL;
    assert_int_equal(parse5(line, &s, &err), MS_ERR_FORMAT);
    assert_non_null(err);
    if (!strstr(err, needle))
        print_error("%s: error \"%s\" lacks \"%s\"\n", line, err, needle);
    assert_non_null(strstr(err, needle));
    free(err);
}

static uint64_t bits(const int *v, int n)
{
    uint64_t b = 0;
    for (int i = 0; i < n; i++)
        b |= UINT64_C(1) << v[i];
    return b;
}

static void test_fields(void **state)
{
    (void)state;
    ms_cron_sched s = ok5("*/15 0 1 1 0");
    assert_int_equal(s.minute, bits((int[]){ 0, 15, 30, 45 }, 4));
    assert_int_equal(s.hour, 1);
    assert_int_equal(s.dom, 2);
    assert_int_equal(s.month, 2);
    assert_int_equal(s.dow, 1);
    assert_false(s.dom_star);
    assert_false(s.dow_star);

    s = ok5("1,2,5-7 9-17/4 */10 * *");
    assert_int_equal(s.minute, bits((int[]){ 1, 2, 5, 6, 7 }, 5));
    assert_int_equal(s.hour, bits((int[]){ 9, 13, 17 }, 3));
    assert_int_equal(s.dom, bits((int[]){ 1, 11, 21, 31 }, 4));
    assert_int_equal(s.month, 0x1FFE);
    assert_int_equal(s.dow, 0x7F);
    assert_true(s.dom_star);
    assert_true(s.dow_star);

    /* "a/n" is rejected by Debian's cron ("Step specified without
     * range") and by cronie (get_range: '/' after a single number); see
     * test_dialect_rules */

    /* 0-59/15 and step bigger than the range */
    s = ok5("0-59/15 0-23/100 * * *");
    assert_int_equal(s.minute, bits((int[]){ 0, 15, 30, 45 }, 4));
    assert_int_equal(s.hour, 1);
}

static void test_names_and_sunday(void **state)
{
    (void)state;
    ms_cron_sched s = ok5("0 0 * JAN,mar-May Mon-fri");
    assert_int_equal(s.month, bits((int[]){ 1, 3, 4, 5 }, 4));
    assert_int_equal(s.dow, bits((int[]){ 1, 2, 3, 4, 5 }, 5));
    s = ok5("0 0 * dec sun");
    assert_int_equal(s.month, 1 << 12);
    assert_int_equal(s.dow, 1);
    s = ok5("0 0 * * 7");           /* 7 is Sunday */
    assert_int_equal(s.dow, 1);
    s = ok5("0 0 * * 5-7");
    assert_int_equal(s.dow, bits((int[]){ 0, 5, 6 }, 3));
    s = ok5("0 0 * * 0-7");
    assert_int_equal(s.dow, 0x7F);
    s = ok5("0 0 * * sat,SUN");
    assert_int_equal(s.dow, bits((int[]){ 0, 6 }, 2));
}

static void test_errors(void **state)
{
    (void)state;
    bad5("60 * * * *", "out of range");
    bad5("* 24 * * *", "out of range");
    bad5("* * 0 * *", "out of range");
    bad5("* * 32 * *", "out of range");
    bad5("* * * 13 *", "out of range");
    bad5("* * * * 8", "out of range");
    bad5("0-60/30 * * * *", "out of range");
    bad5("*/0 * * * *", "step is 0");
    bad5("5/0 * * * *", "step after a single value");
    bad5("x * * * *", "names are not allowed");
    bad5("* * * foo *", "unknown name");
    bad5("* * * * january", "unknown name");
    bad5("* * * * mon-xyz", "unknown name");
    bad5("1,,2 * * * *", "expected a number");
    bad5("1, * * * *", "list ends with a comma");
    bad5("1x * * * *", "unexpected character");
    bad5("1-2-3 * * * *", "unexpected character");
    bad5("*/1x * * * *", "unexpected character");
    bad5("-1 * * * *", "expected a number");
    bad5("9999999999 * * * *", "number too long");
    bad5("* * * * mon/2x", "step after a single value");
    bad5("\x01\xff * * * *", "bad minute field \"??\"");

    /* overlong field */
    char big[600];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *f[5] = { big, "*", "*", "*", "*" };
    ms_cron_sched s;
    char *err = NULL;
    assert_int_equal(ms_cron_sched_parse(f, &s, &err), MS_ERR_FORMAT);
    assert_non_null(strstr(err, "too long"));
    assert_true(strlen(err) < 400);
    free(err);

    const char *empty[5] = { "", "*", "*", "*", "*" };
    assert_int_equal(ms_cron_sched_parse(empty, &s, NULL), MS_ERR_FORMAT);
    const char *nul[5] = { "*", NULL, "*", "*", "*" };
    assert_int_equal(ms_cron_sched_parse(nul, &s, NULL), MS_ERR_ARG);
}

static void test_cron_leniency_after_star(void **state)
{
    (void)state;
    /* Debian and cronie < 1.6 skip junk after a leading '*': the job
     * runs; cronie >= 1.6 rejects it (R_AST wants '/' or a separator) */
    ms_cron_sched s;
    assert_int_equal(parse5d("*x * * * *", MS_CRON_DIALECT_DEBIAN, &s, NULL),
                     MS_OK);
    assert_int_equal(s.minute, (UINT64_C(1) << 60) - 1);
    assert_int_equal(parse5d("*x * * * *", MS_CRON_DIALECT_CRONIE_15, &s,
                             NULL), MS_OK);
    assert_int_equal(parse5d("*x * * * *", MS_CRON_DIALECT_CRONIE_16, &s,
                             NULL), MS_ERR_FORMAT);
}

static void test_macros(void **state)
{
    (void)state;
    ms_cron_sched s;
    assert_int_equal(ms_cron_sched_macro("@reboot", &s), MS_OK);
    assert_true(s.reboot);
    assert_false(ms_cron_sched_fires(&s, 0, 0, 1, 1, 0));
    assert_false(ms_cron_sched_every_15(&s));

    assert_int_equal(ms_cron_sched_macro("@hourly", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 13, 5, 6, 2));
    assert_false(ms_cron_sched_fires(&s, 1, 13, 5, 6, 2));
    assert_int_equal(ms_cron_sched_macro("@daily", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 17, 3, 4));
    assert_false(ms_cron_sched_fires(&s, 0, 1, 17, 3, 4));
    assert_int_equal(ms_cron_sched_macro("@midnight", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 17, 3, 4));
    assert_int_equal(ms_cron_sched_macro("@weekly", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 17, 3, 0));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 17, 3, 1));
    assert_int_equal(ms_cron_sched_macro("@monthly", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 1, 3, 1));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 2, 3, 1));
    assert_int_equal(ms_cron_sched_macro("@yearly", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 1, 1, 3));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 1, 2, 3));
    assert_int_equal(ms_cron_sched_macro("@annually", &s), MS_OK);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 1, 1, 3));

    assert_int_equal(ms_cron_sched_macro("@Daily", &s), MS_ERR_FORMAT);
    assert_int_equal(ms_cron_sched_macro("@every", &s), MS_ERR_FORMAT);
    assert_int_equal(ms_cron_sched_macro("daily", &s), MS_ERR_FORMAT);
    assert_int_equal(ms_cron_sched_macro(NULL, &s), MS_ERR_ARG);
}

static void test_dom_dow_rule(void **state)
{
    (void)state;
    /* both restricted: OR. 2024-06-03 is a Monday, 2024-06-01 a Saturday */
    ms_cron_sched s = ok5("0 0 1 * mon");
    assert_true(ms_cron_sched_fires(&s, 0, 0, 1, 6, 6));   /* 1st, Sat */
    assert_true(ms_cron_sched_fires(&s, 0, 0, 3, 6, 1));   /* Mon 3rd */
    assert_false(ms_cron_sched_fires(&s, 0, 0, 4, 6, 2));  /* Tue 4th */

    /* dow '*': AND, only dom matters */
    s = ok5("0 0 1 * *");
    assert_true(ms_cron_sched_fires(&s, 0, 0, 1, 6, 6));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 3, 6, 1));

    /* dom starts with '*' (step): Vixie treats it as unrestricted -> AND */
    s = ok5("0 0 */2 * mon");
    assert_true(s.dom_star);
    assert_true(ms_cron_sched_fires(&s, 0, 0, 3, 6, 1));   /* odd & Mon */
    assert_false(ms_cron_sched_fires(&s, 0, 0, 10, 6, 1)); /* even Mon */
    assert_false(ms_cron_sched_fires(&s, 0, 0, 5, 6, 3));  /* odd Wed */

    /* "1-31" is not a star: OR rule, which then matches every day */
    s = ok5("0 0 1-31 * mon");
    assert_true(ms_cron_sched_fires(&s, 0, 0, 5, 6, 3));

    /* dow 7 argument and range checks */
    s = ok5("0 0 * * sun");
    assert_true(ms_cron_sched_fires(&s, 0, 0, 2, 6, 7));
    assert_false(ms_cron_sched_fires(&s, 60, 0, 2, 6, 0));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 0, 6, 0));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 2, 13, 0));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 2, 6, 8));
    assert_false(ms_cron_sched_fires(NULL, 0, 0, 2, 6, 0));
}

static void test_every_15_table(void **state)
{
    (void)state;
    static const struct { const char *sched; int want; } table[] = {
        { "*/15 * * * *", 1 },
        { "0,15,30,45 * * * *", 1 },
        { "0-59/15 * * * *", 1 },
        { "7-59/15 * * * *", 1 },
        { "7-59/15 * * * 0-7", 1 },
        { "14,29,44,59 * * * *", 1 },
        { "45,30,15,0 * * * *", 1 },
        { "*/15 0-23 1-31 1-12 0-7", 1 },
        { "*/15 * * * 0-6", 1 },
        { "*/15 * 1-31 * mon", 1 },        /* OR rule: dom covers all */
        { "*/15 * * jan-dec *", 1 },
        { "*/15 9-17 * * *", 0 },
        { "*/15 * * * 1-5", 0 },
        { "*/5 * * * *", 0 },
        { "0 * * * *", 0 },
        { "* * * * *", 0 },
        { "*/30 * * * *", 0 },
        { "0,15,30 * * * *", 0 },
        { "0,15,30,45,50 * * * *", 0 },
        { "15-59/15 * * * *", 0 },         /* 15,30,45 only */
        { "*/15 * */2 * *", 0 },
        { "*/15 * * 1-11 *", 0 },
        { "*/15 * 1-30 * *", 0 },
        { "*/15 * 1 * mon", 0 },
        { "*/15 */2 * * *", 0 },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        ms_cron_sched s = ok5(table[i].sched);
        int got = ms_cron_sched_every_15(&s);
        if (got != table[i].want)
            print_error("%s: every_15 = %d\n", table[i].sched, got);
        assert_int_equal(got, table[i].want);
    }
    assert_false(ms_cron_sched_every_15(NULL));
}

/* Each rule of docs/detection.md "Cron dialects", with the reading taken
 * from the implementations' source: cronie src/entry.c get_range() at
 * cronie-1.5.7 / cronie-1.6.0 / cronie-1.7.2 and Debian cron 3.0pl1's
 * entry.c with Debian's patches.  The lines are the disputed ones;
 * chkcrontab's test crontab is in test_cron_parse.c. */
static void test_dialect_rules(void **state)
{
    (void)state;
    const ms_cron_dialect D = MS_CRON_DIALECT_DEBIAN,
                          C15 = MS_CRON_DIALECT_CRONIE_15,
                          C16 = MS_CRON_DIALECT_CRONIE_16;
    static const struct {
        const char *sched;
        int ok[3];          /* Debian, cronie < 1.6, cronie >= 1.6 */
    } table[] = {
        /* step without a range: every implementation rejects */
        { "1/2 * * * *",       { 0, 0, 0 } },
        { "30 4/2 * * *",      { 0, 0, 0 } },
        { "* * * * mOn/2",     { 0, 0, 0 } },
        /* step larger than the field: cronie < 1.6 "num3 > high" */
        { "*/61 * * * *",      { 1, 0, 1 } },
        { "1-2/61 * * * *",    { 1, 0, 1 } },
        { "* * * * mOn-Fri/8", { 1, 0, 1 } },
        { "0 */24 * * *",      { 1, 0, 1 } },
        { "0 */23 * * *",      { 1, 1, 1 } },
        /* junk after '*': skipped by Debian and cronie < 1.6 */
        { "1 ** * * *",        { 1, 1, 0 } },
        { "*x * * * *",        { 1, 1, 0 } },
        /* junk after a value: Debian's get_number returns any
         * non-alphanumeric, get_list skips the rest of the field */
        { "5. * * * *",        { 1, 0, 0 } },
        { "1,5;7 * * * *",     { 1, 0, 0 } },
        { "5~ * * * *",        { 1, 0, 1 } },   /* cronie: 5-59 random */
        /* reversed range: cronie < 1.6 rejects, others set nothing */
        { "5-1 * * * *",       { 1, 0, 1 } },
        { "0 0 * * sat-sun",   { 1, 0, 1 } },
        /* "~": cronie >= 1.6 only */
        { "~ * * * *",         { 0, 0, 1 } },
        { "10~20 * * * *",     { 1, 0, 1 } },   /* Debian: minute 10 */
        { "~/15 * * * *",      { 0, 0, 0 } },
        { "20~10 * * * *",     { 1, 0, 0 } },   /* Debian: minute 20 */
        /* common to all */
        { "*/15 * * * *",      { 1, 1, 1 } },
        { "0-59/15 * * * *",   { 1, 1, 1 } },
        { "*/0 * * * *",       { 0, 0, 0 } },
    };
    const ms_cron_dialect ds[3] = { D, C15, C16 };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        for (int k = 0; k < 3; k++) {
            ms_cron_sched s;
            char *err = NULL;
            ms_err e = parse5d(table[i].sched, ds[k], &s, &err);
            if ((e == MS_OK) != table[i].ok[k])
                print_error("%s under %s: %s\n", table[i].sched,
                            ms_cron_dialect_name(ds[k]),
                            e == MS_OK ? "accepted" : err);
            assert_int_equal(e == MS_OK, table[i].ok[k]);
            free(err);
        }

    /* the accepted readings */
    ms_cron_sched s;
    assert_int_equal(parse5d("*/61 * * * *", D, &s, NULL), MS_OK);
    assert_int_equal(s.minute, 1);                    /* minute 0 only */
    assert_int_equal(parse5d("* * * * mOn-Fri/8", C16, &s, NULL), MS_OK);
    assert_int_equal(s.dow, 1u << 1);                 /* Monday only */
    assert_int_equal(parse5d("5-1 * * * *", C16, &s, NULL), MS_OK);
    assert_int_equal(s.minute, 0);                    /* never */
    char *d = ms_cron_sched_describe(&s);
    assert_non_null(strstr(d, "never"));
    free(d);
    assert_int_equal(parse5d("1,5;7 * * * *", D, &s, NULL), MS_OK);
    assert_int_equal(s.minute, (1u << 1) | (1u << 5));
}

static void test_random_tilde(void **state)
{
    (void)state;
    ms_cron_sched s;
    char *d;
    /* the Mumblehard-style line cronie >= 1.6 runs */
    assert_int_equal(parse5d("~ * * * *", MS_CRON_DIALECT_CRONIE_16, &s,
                             NULL), MS_OK);
    assert_int_equal(s.nrandom, 1);
    assert_int_equal(s.random[0].lo, 0);
    assert_int_equal(s.random[0].hi, 59);
    assert_false(ms_cron_sched_every_15(&s));
    assert_true(ms_cron_sched_fires(&s, 37, 3, 4, 5, 1)); /* may fire */
    d = ms_cron_sched_describe(&s);
    assert_string_equal(d, "once an hour at a random minute (one of 0-59, "
                           "picked when cron loads the crontab), every day");
    free(d);

    assert_int_equal(parse5d("10~20 3 * * *", MS_CRON_DIALECT_CRONIE_16, &s,
                             NULL), MS_OK);
    assert_int_equal(s.random[0].lo, 10);
    assert_int_equal(s.random[0].hi, 20);
    assert_false(ms_cron_sched_fires(&s, 21, 3, 4, 5, 1));
    assert_true(ms_cron_sched_fires(&s, 15, 3, 4, 5, 1));
    d = ms_cron_sched_describe(&s);
    assert_non_null(strstr(d, "random minute (one of 10-20"));
    assert_non_null(strstr(d, "of hour 3"));
    free(d);

    /* random hour: the generic wording */
    assert_int_equal(parse5d("0 ~ * * *", MS_CRON_DIALECT_CRONIE_16, &s,
                             NULL), MS_OK);
    d = ms_cron_sched_describe(&s);
    assert_non_null(strstr(d, "one hour picked at random from 0-23"));
    free(d);
}

static void check_desc(const char *sched, const char *want)
{
    ms_cron_sched s = ok5(sched);
    char *d = ms_cron_sched_describe(&s);
    assert_non_null(d);
    if (strcmp(d, want))
        print_error("%s:\n got  \"%s\"\n want \"%s\"\n", sched, d, want);
    assert_string_equal(d, want);
    free(d);
}

static void test_describe(void **state)
{
    (void)state;
    check_desc("*/15 * * * *", "every 15 minutes (at minutes 0, 15, 30, 45)"
               " of every hour, every day");
    check_desc("7-59/15 * * * *", "every 15 minutes (at minutes 7, 22, 37, "
               "52) of every hour, every day");
    check_desc("30 9-17 * * mon-fri",
               "at minute 30 of hours 9-17, on Monday-Friday");
    check_desc("5 4 1 * *", "at 04:05 on day 1 of the month");
    check_desc("* * * * *", "every minute");
    check_desc("0 0 1 * mon",
               "at 00:00 on day 1 of the month or on Monday");
    check_desc("0 0 */10 * mon", "at 00:00 on days 1, 11, 21, 31 of the "
               "month when the weekday is Monday");
    check_desc("*/7 * * * *", "at minutes 0, 7, 14, 21, 28, 35, 42, 49, 56"
               " of every hour, every day");
    check_desc("0,1 3,4 * * *", "at minutes 0, 1 of hours 3, 4, every day");
    check_desc("* 3 * * *", "every minute of hour 3, every day");
    check_desc("0 * * * *", "at minute 0 of every hour, every day");
    check_desc("0 12 * jan-mar,dec sat,sun", "at 12:00 on Sunday, Saturday "
               "in January-March, December");
    check_desc("0 0 1 1 *", "at 00:00 on day 1 of the month in January");
    check_desc("0 0 * feb *", "at 00:00 every day in February");
    check_desc("0 0 31 2 *", "never (no real date matches the fields)");
    check_desc("0 0 30 feb mon", "at 00:00 on day 30 of the month or on "
               "Monday in February");

    ms_cron_sched s;
    assert_int_equal(ms_cron_sched_macro("@reboot", &s), MS_OK);
    char *d = ms_cron_sched_describe(&s);
    assert_string_equal(d, "at reboot");
    free(d);
    assert_null(ms_cron_sched_describe(NULL));
}

/* describe() must agree with fires(): a description claiming "every day"
 * or "every minute" is checked against the matcher over a calendar
 * sweep for a few schedules. */
static void test_describe_agrees_with_every_day(void **state)
{
    (void)state;
    const char *scheds[] = { "*/15 * 1-31 * mon", "0 0 */2 * *",
                             "0 0 * * 1-5", "1 2 3 4 5" };
    for (size_t i = 0; i < 4; i++) {
        ms_cron_sched s = ok5(scheds[i]);
        char *d = ms_cron_sched_describe(&s);
        int all = 1;
        for (int dom = 1; dom <= 31; dom++)
            for (int dow = 0; dow < 7; dow++)
                for (int m = 1; m <= 12; m++) {
                    int any = 0;
                    for (int h = 0; h < 24 && !any; h++)
                        for (int mi = 0; mi < 60 && !any; mi++)
                            any = ms_cron_sched_fires(&s, mi, h, dom, m, dow);
                    all &= any;
                }
        assert_int_equal(all, ms_cron_sched_every_day(&s));
        assert_int_equal(all, strstr(d, "every day") != NULL);
        free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_names_and_sunday),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_cron_leniency_after_star),
        cmocka_unit_test(test_dialect_rules),
        cmocka_unit_test(test_random_tilde),
        cmocka_unit_test(test_macros),
        cmocka_unit_test(test_dom_dow_rule),
        cmocka_unit_test(test_every_15_table),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_describe_agrees_with_every_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
