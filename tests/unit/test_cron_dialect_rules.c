/* test_cron_dialect_rules.c - BusyBox crond's, FreeBSD cron's and
 * systemd-cron's readings of crontab lines, each expectation taken from
 * the implementation's source (docs/detection.md, "Cron dialects"). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_dialect.h"
#include "artifacts/cron_dialect_rules.h"
#include "artifacts/cron_parse.h"
#include "artifacts/cron_sched.h"

static ms_err parse(ms_cron_dialect d, const char *m, const char *h,
                    const char *dom, const char *mon, const char *dow,
                    ms_cron_sched *s, char **note)
{
    const char *f[5] = { m, h, dom, mon, dow };
    char *err = NULL;
    ms_err rc;
    if (note)
        *note = NULL;
    if (d == MS_CRON_DIALECT_BUSYBOX)
        rc = ms_cron_sched_parse_busybox(f, s, note);
    else if (d == MS_CRON_DIALECT_SYSTEMD_CRON)
        rc = ms_cron_sched_parse_systemd(f, s, &err, note);
    else
        rc = ms_cron_sched_parse_dialect(f, d, s, &err);
    free(err);
    return rc;
}

#define BB MS_CRON_DIALECT_BUSYBOX
#define FB MS_CRON_DIALECT_FREEBSD
#define SD MS_CRON_DIALECT_SYSTEMD_CRON

static void test_busybox(void **state)
{
    (void)state;
    ms_cron_sched s;
    char *note;

    /* ParseField: "1/2" is n1 = n2 = 1, the step walks nothing more */
    assert_int_equal(parse(BB, "1/2", "*", "*", "*", "*", &s, &note), MS_OK);
    assert_null(note);
    assert_true(s.minute == (UINT64_C(1) << 1));
    /* no range check: 60 wraps until the failsafe; every minute set,
     * parse error logged, line kept */
    assert_int_equal(parse(BB, "60", "*", "*", "*", "*", &s, &note), MS_OK);
    assert_non_null(note);
    assert_non_null(strstr(note, "parse error"));
    free(note);
    assert_true(s.minute == (UINT64_C(1) << 60) - 1);
    /* wrap-around range */
    assert_int_equal(parse(BB, "0", "22-2", "*", "*", "*", &s, &note), MS_OK);
    assert_true(s.hour == ((1u << 22) | (1u << 23) | 1u | 2u | 4u));
    /* FixDayDow: a full day-of-week is cleared, the day alone counts */
    assert_int_equal(parse(BB, "0", "0", "1", "*", "0-6", &s, NULL), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 1, 1, 3), 1);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 2, 1, 1), 0);
    /* ... where Vixie cron runs it every day (neither field starts
     * with '*': either matches) */
    assert_int_equal(parse(MS_CRON_DIALECT_DEBIAN, "0", "0", "1", "*", "0-6",
                           &s, NULL), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 2, 1, 1), 1);
    /* both used: either */
    assert_int_equal(parse(BB, "0", "0", "1", "*", "mon", &s, NULL), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 2, 1, 1), 1);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 1, 1, 3), 1);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 2, 1, 3), 0);
    /* names by their first three letters; the rest is a parse error */
    assert_int_equal(parse(BB, "0", "0", "*", "*", "monday", &s, &note),
                     MS_OK);
    assert_non_null(note);
    free(note);
    assert_true(s.dow == 2);
    assert_int_equal(parse(BB, "*/15", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_true(ms_cron_sched_every_15(&s));
    /* month numbers are 1-based, names too */
    assert_int_equal(parse(BB, "0", "0", "1", "feb,12", "*", &s, NULL), MS_OK);
    assert_true(s.month == ((1u << 2) | (1u << 12)));
}

static void test_freebsd(void **state)
{
    (void)state;
    ms_cron_sched s;
    /* get_range: a single number followed by '/' is number-high/step */
    assert_int_equal(parse(FB, "1/2", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_true(s.minute == (UINT64_C(0xAAAAAAAAAAAAAAAA) &
                             ((UINT64_C(1) << 60) - 1)));
    assert_int_equal(parse(MS_CRON_DIALECT_DEBIAN, "1/2", "*", "*", "*", "*",
                           &s, NULL), MS_ERR_FORMAT);
    /* junk after '*' ends the field (get_list skips to a blank) */
    assert_int_equal(parse(FB, "1", "**", "*", "*", "*", &s, NULL), MS_OK);
    /* set_element checks only the values the loop visits */
    assert_int_equal(parse(FB, "50-70/30", "*", "*", "*", "*", &s, NULL),
                     MS_OK);
    assert_true(s.minute == (UINT64_C(1) << 50));
    assert_int_equal(parse(FB, "*/61", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_true(s.minute == 1);
    assert_int_equal(parse(FB, "60", "*", "*", "*", "*", &s, NULL),
                     MS_ERR_FORMAT);
    assert_int_equal(parse(FB, "*/0", "*", "*", "*", "*", &s, NULL),
                     MS_ERR_FORMAT);
    const char *note = NULL;
    assert_int_equal(ms_cron_sched_macro_dialect("@every_minute", FB, &s,
                                                 &note), MS_OK);
    assert_true(s.minute == (UINT64_C(1) << 60) - 1);
    assert_int_equal(ms_cron_sched_macro_dialect("@every_second", FB, &s,
                                                 &note), MS_OK);
    assert_non_null(note);
    assert_int_equal(ms_cron_sched_macro_dialect("@every_minute",
                                                 MS_CRON_DIALECT_CRONIE_16,
                                                 &s, &note), MS_ERR_FORMAT);
}

static void test_systemd(void **state)
{
    (void)state;
    ms_cron_sched s;
    char *note;
    /* OnCalendar needs weekday AND day */
    assert_int_equal(parse(SD, "0", "0", "1", "*", "mon", &s, NULL), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 1, 1, 1), 1);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 2, 1, 1), 0);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 1, 1, 3), 0);
    /* upper bound clamped; single value past the field: no timer */
    assert_int_equal(parse(SD, "50-70", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_true(s.minute == (((UINT64_C(1) << 60) - 1) &
                             ~((UINT64_C(1) << 50) - 1)));
    assert_int_equal(parse(SD, "70", "*", "*", "*", "*", &s, NULL),
                     MS_ERR_FORMAT);
    /* month_map keeps the error of the number parse: names fail */
    assert_int_equal(parse(SD, "0", "0", "*", "jan", "*", &s, NULL),
                     MS_ERR_FORMAT);
    assert_int_equal(parse(SD, "0", "0", "*", "1", "*", &s, NULL), MS_OK);
    /* a lone "sun" ends at day 7: the whole week */
    assert_int_equal(parse(SD, "0", "0", "*", "*", "sun", &s, NULL), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 5, 1, 3), 1);
    assert_int_equal(parse(SD, "0", "0", "*", "*", "0", &s, NULL), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 5, 1, 3), 0);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 5, 1, 0), 1);
    /* "A/STEP" is A alone */
    assert_int_equal(parse(SD, "5/10", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_true(s.minute == (UINT64_C(1) << 5));
    /* empty items skipped */
    assert_int_equal(parse(SD, "0,,30", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_true(s.minute == ((UINT64_C(1) << 30) | 1));
    assert_int_equal(parse(SD, "*/0", "*", "*", "*", "*", &s, NULL),
                     MS_ERR_FORMAT);
    assert_int_equal(parse(SD, "0", "0", "L", "*", "*", &s, &note), MS_OK);
    assert_non_null(note);
    free(note);
    assert_int_equal(parse(SD, "~", "*", "*", "*", "*", &s, NULL), MS_OK);
    assert_int_equal((int)s.nrandom, 1);
    const char *mn = NULL;
    assert_int_equal(ms_cron_sched_macro_dialect("@QUARTERLY", SD, &s, &mn),
                     MS_OK);
    assert_true(s.month == ((1u << 1) | (1u << 4) | (1u << 7) | (1u << 10)));
    assert_int_equal(ms_cron_sched_macro_dialect("@minutely", SD, &s, &mn),
                     MS_OK);
    assert_int_equal(ms_cron_sched_macro_dialect("@3", SD, &s, &mn), MS_OK);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 4, 1, 3), 1);
    assert_int_equal(ms_cron_sched_fires(&s, 0, 0, 2, 1, 3), 0);
}

/* BusyBox's line rules: '#' anywhere, three assignments, no '%', six
 * words or the line is skipped; no system crontabs. */
static void test_busybox_lines(void **state)
{
    (void)state;
    static const char tab[] =
        "* * * * * echo a#b\n"
        "MAILTO=x\n"
        "PATH = /bin\n"
        "0 0 * * * /bin/sh %x\n"
        "-1 0 * * * /bin/true\n";
    ms_cron_file *f = NULL;
    assert_int_equal(ms_cron_parse_dialect(tab, sizeof tab - 1, 0, BB, &f),
                     MS_OK);
    assert_int_equal(f->nentries, 3);
    assert_string_equal(f->entries[0].command, "echo a");
    assert_string_equal(f->entries[1].command, "/bin/sh %x");
    assert_null(f->entries[1].input);
    /* "-1": ParseField fails at once, the line still runs */
    assert_non_null(f->entries[2].dialect_note);
    assert_int_equal(f->nproblems, 1);
    assert_int_equal(f->problems[0].line, 3);
    assert_int_equal(f->nenv, 1);
    ms_cron_file_free(f);
    const char *why = NULL;
    assert_true(ms_cron_file_ignored(BB, "crontab", 0, 1, 0600, 0, &why));
    assert_true(ms_cron_file_ignored(BB, "root.bak", 0, 0, 0600, 0, &why));
    assert_true(ms_cron_file_ignored(BB, "www", 0, 0, 0600, 33, &why));
    assert_false(ms_cron_file_ignored(BB, "www", 0, 0, 0600, 0, &why));
}

/* Dialect unknown: every reading of a line whose meaning depends on
 * the implementation is listed, in the job's note or the problem. */
static void test_unknown_readings(void **state)
{
    (void)state;
    static const char tab[] = "1/2 * * * * /var/tmp/x\n"
                              "0 0 1 * mon /opt/y\n";
    ms_cron_file *f = NULL;
    assert_int_equal(ms_cron_parse_dialect(tab, sizeof tab - 1, 0,
                                           MS_CRON_DIALECT_UNKNOWN, &f),
                     MS_OK);
    /* Debian and cronie reject "1/2": a problem, whose text gives
     * BusyBox's reading (minute 1) */
    assert_int_equal(f->nentries, 1);
    assert_int_equal(f->nproblems, 1);
    const char *n = f->problems[0].text;
    assert_non_null(strstr(n, "BusyBox crond runs it"));
    assert_non_null(strstr(n, "cronie 1.6 or later rejects it"));
    n = f->entries[0].dialect_note;
    assert_non_null(n);
    assert_non_null(strstr(n, "systemd-cron runs it"));
    ms_cron_file_free(f);
}

/* FreeBSD 14 entry.c load_entry: "@NUMBER" is strtol() > 0 with nothing
 * after it (INTERVAL: seconds after the previous run ends); the options
 * -n and -q before the command; "user:group/class". */
static void test_freebsd_interval_options(void **state)
{
    (void)state;
    ms_cron_sched s;
    const char *mn;
    ms_cron_file *f = NULL;

    assert_int_equal(ms_cron_sched_macro_dialect("@900", FB, &s, &mn), MS_OK);
    assert_true(s.interval == 900);
    assert_non_null(mn);
    assert_true(ms_cron_sched_every_15(&s));
    assert_false(ms_cron_sched_fires(&s, 0, 0, 1, 1, 0));
    char *w = ms_cron_sched_describe(&s);
    assert_non_null(w);
    assert_non_null(strstr(w, "every 900 seconds (15 minutes)"));
    free(w);
    assert_int_equal(ms_cron_sched_macro_dialect("@+900", FB, &s, &mn), MS_OK);
    assert_true(s.interval == 900);
    assert_int_equal(ms_cron_sched_macro_dialect("@60", FB, &s, &mn), MS_OK);
    assert_false(ms_cron_sched_every_15(&s));
    assert_int_equal(ms_cron_sched_macro_dialect("@0", FB, &s, &mn),
                     MS_ERR_FORMAT);
    assert_int_equal(ms_cron_sched_macro_dialect("@-900", FB, &s, &mn),
                     MS_ERR_FORMAT);
    assert_int_equal(ms_cron_sched_macro_dialect("@900s", FB, &s, &mn),
                     MS_ERR_FORMAT);
    /* only FreeBSD knows it */
    assert_int_equal(ms_cron_sched_macro_dialect("@900",
                                                 MS_CRON_DIALECT_CRONIE_16,
                                                 &s, &mn), MS_ERR_FORMAT);

    static const char tab[] =
        "*/15 * * * * root -n -q /bin/true\n"   /* 1: both options */
        "* * * * * root -nq /bin/true\n"        /* 2: no blank after -n */
        "* * * * * root -n -n /bin/true\n"      /* 3: repeated */
        "* * * * * root:wheel/daemon /bin/x\n"  /* 4: user:group/class */
        "-* * * * * root /bin/true\n";          /* 5: no '-' prefix */
    assert_int_equal(ms_cron_parse_dialect(tab, sizeof tab - 1, 1, FB, &f),
                     MS_OK);
    assert_int_equal(f->nentries, 2);
    assert_string_equal(f->entries[0].command, "/bin/true");
    assert_non_null(strstr(f->entries[0].timer, "-n"));
    assert_non_null(strstr(f->entries[0].timer, "-q"));
    assert_string_equal(f->entries[1].user, "root");
    assert_non_null(strstr(f->entries[1].dialect_note, "group wheel"));
    assert_non_null(strstr(f->entries[1].dialect_note, "class daemon"));
    assert_int_equal(f->nproblems, 3);
    assert_int_equal(f->problems[0].line, 2);
    assert_non_null(strstr(f->problems[0].text, "bad option"));
    assert_int_equal(f->problems[1].line, 3);
    assert_int_equal(f->problems[2].line, 5);
    ms_cron_file_free(f);
    /* cronie: "-" before the schedule is its don't-log flag, "-n" after
     * the user is part of the command */
    assert_int_equal(ms_cron_parse_dialect(tab, sizeof tab - 1, 1,
                                           MS_CRON_DIALECT_CRONIE_16, &f),
                     MS_OK);
    assert_string_equal(f->entries[0].command, "-n -q /bin/true");
    assert_null(f->entries[0].timer);
    assert_string_equal(f->entries[3].user, "root:wheel/daemon");
    ms_cron_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busybox),
        cmocka_unit_test(test_freebsd),
        cmocka_unit_test(test_systemd),
        cmocka_unit_test(test_busybox_lines),
        cmocka_unit_test(test_unknown_readings),
        cmocka_unit_test(test_freebsd_interval_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
