/* test_anacron.c - /etc/anacrontab lines and run-parts' choice of files
 *.  The anacrontab is Debian's and cronie's stock file,
 * re-typed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "artifacts/anacron.h"

static void test_stock_anacrontab(void **state)
{
    (void)state;
    static const char tab[] =
        "# /etc/anacrontab: configuration file for anacron\n"     /* 1 */
        "SHELL=/bin/sh\n"                                          /* 2 */
        "PATH=/sbin:/bin:/usr/sbin:/usr/bin\n"                     /* 3 */
        "RANDOM_DELAY=45\n"                                        /* 4 */
        "START_HOURS_RANGE=3-22\n"                                 /* 5 */
        "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"   /* 6 */
        "7\t10\tcron.weekly\tnice run-parts /etc/cron.weekly\n"    /* 7 */
        "@monthly 15 cron.monthly run-parts /etc/cron.monthly\r\n" /* 8 */
        "x 5 bad /bin/true\n"                                      /* 9 */
        "1 y bad /bin/true\n"                                      /* 10 */
        "1 5 a/b /bin/true\n"                                      /* 11 */
        "1 5 nocmd\n";                                             /* 12 */
    ms_anacrontab *t = NULL;
    assert_int_equal(ms_anacron_parse(tab, sizeof tab - 1, &t), MS_OK);
    assert_int_equal(t->nenv, 4);
    assert_int_equal(t->njobs, 3);
    assert_string_equal(t->jobs[0].ident, "cron.daily");
    assert_int_equal(t->jobs[0].period_days, 1);
    assert_int_equal(t->jobs[0].delay, 5);
    assert_string_equal(t->jobs[0].command,
                        "run-parts --report /etc/cron.daily");
    assert_string_equal(t->jobs[0].path_env, "/sbin:/bin:/usr/sbin:/usr/bin");
    assert_int_equal(t->jobs[1].period_days, 7);
    assert_int_equal(t->jobs[2].period_days, 0);
    assert_string_equal(t->jobs[2].command, "run-parts /etc/cron.monthly");
    assert_int_equal(t->jobs[0].line, 6);
    assert_int_equal(t->jobs[0].offset, 138);
    char *d = ms_anacron_describe(&t->jobs[0]);
    assert_string_equal(d, "once a day (anacron), 5 minutes after anacron "
                           "starts");
    free(d);
    d = ms_anacron_describe(&t->jobs[1]);
    assert_string_equal(d, "once every 7 days (anacron), 10 minutes after "
                           "anacron starts");
    free(d);
    d = ms_anacron_describe(&t->jobs[2]);
    assert_non_null(strstr(d, "once a month"));
    free(d);
    assert_int_equal(t->nproblems, 4);
    assert_int_equal(t->problems[0].line, 9);
    assert_non_null(strstr(t->problems[0].text, "period"));
    assert_int_equal(t->problems[1].line, 10);
    assert_non_null(strstr(t->problems[1].text, "delay"));
    assert_int_equal(t->problems[2].line, 11);
    assert_int_equal(t->problems[3].line, 12);
    assert_non_null(strstr(t->problems[3].text, "no command"));
    ms_anacrontab_free(t);

    assert_int_equal(ms_anacron_parse(NULL, 0, &t), MS_OK);
    assert_int_equal(t->njobs, 0);
    ms_anacrontab_free(t);
    assert_int_equal(ms_anacron_parse(NULL, 1, &t), MS_ERR_ARG);
}

static void test_runparts(void **state)
{
    (void)state;
    const char *why;
    assert_true(ms_runparts_runs("logrotate", 0755, MS_CRON_DIALECT_DEBIAN,
                                 &why));
    assert_false(ms_runparts_runs("logrotate", 0644, MS_CRON_DIALECT_DEBIAN,
                                  &why));
    assert_non_null(strstr(why, "not executable"));
    /* Debian's run-parts skips names with dots; cronie's runs them */
    assert_false(ms_runparts_runs("backup.sh", 0755, MS_CRON_DIALECT_DEBIAN,
                                  &why));
    assert_true(ms_runparts_runs("backup.sh", 0755,
                                 MS_CRON_DIALECT_CRONIE_16, &why));
    assert_false(ms_runparts_runs("x.rpmnew", 0755,
                                  MS_CRON_DIALECT_CRONIE_15, &why));
    assert_false(ms_runparts_runs("x~", 0755, MS_CRON_DIALECT_CRONIE_16,
                                  &why));
    assert_true(ms_runparts_runs("backup.sh", 0755, MS_CRON_DIALECT_UNKNOWN,
                                 &why));
    assert_false(ms_runparts_runs(".placeholder", 0755,
                                  MS_CRON_DIALECT_UNKNOWN, &why));
}

/* cronie's stock /etc/anacrontab (RHEL, Fedora) with its scheduling
 * assignments, as readtab.c and lock.c use them. */
static void test_hours_range_random_delay(void **state)
{
    (void)state;
    static const char tab[] =
        "SHELL=/bin/sh\n"                                     /* 1 */
        "PATH=/sbin:/bin:/usr/sbin:/usr/bin\n"                /* 2 */
        "MAILTO=root\n"                                       /* 3 */
        "1 5 early /bin/true\n"                               /* 4 */
        "RANDOM_DELAY=45\n"                                   /* 5 */
        "START_HOURS_RANGE=3-22\n"                            /* 6 */
        "1\t5\tcron.daily\t\tnice run-parts /etc/cron.daily\n"   /* 7 */
        "RANDOM_DELAY=soon\n"                                 /* 8 */
        "START_HOURS_RANGE=3\n";                              /* 9 */
    ms_anacrontab *t = NULL;
    assert_int_equal(ms_anacron_parse(tab, sizeof tab - 1, &t), MS_OK);
    assert_int_equal(t->njobs, 2);
    assert_int_equal(t->range_start, 3);
    assert_int_equal(t->range_stop, 22);
    /* RANDOM_DELAY reaches only the jobs read after it */
    assert_int_equal(t->jobs[0].random_delay, -1);
    assert_int_equal(t->jobs[1].random_delay, 45);
    char *d = ms_anacron_describe_in(t, &t->jobs[1]);
    assert_string_equal(d, "once a day (anacron), 5 minutes after anacron "
                           "starts plus a random 0-45 minutes "
                           "(RANDOM_DELAY=45), started only from 03:00 to "
                           "before 22:00 (START_HOURS_RANGE=3-22)");
    free(d);
    /* the range is the table's: it holds for the first job too */
    d = ms_anacron_describe_in(t, &t->jobs[0]);
    assert_non_null(strstr(d, "START_HOURS_RANGE=3-22"));
    assert_null(strstr(d, "RANDOM_DELAY"));
    free(d);
    char *env = NULL;
    assert_int_equal(ms_anacron_env_words(t, &t->jobs[0], &env), MS_OK);
    assert_string_equal(env, "SHELL=/bin/sh; PATH=/sbin:/bin:/usr/sbin:"
                             "/usr/bin; MAILTO=root");
    free(env);
    assert_int_equal(ms_anacron_env_words(t, &t->jobs[1], &env), MS_OK);
    assert_non_null(strstr(env, "; RANDOM_DELAY=45; START_HOURS_RANGE=3-22"));
    free(env);
    /* bad values are refused lines, not environment */
    assert_int_equal(t->nproblems, 2);
    assert_int_equal(t->problems[0].line, 8);
    assert_int_equal(t->problems[1].line, 9);
    assert_int_equal(t->nenv, 5);
    ms_anacrontab_free(t);

    /* a reversed range: no job starts */
    static const char rev[] = "START_HOURS_RANGE=22-3\n1 5 d /bin/true\n";
    assert_int_equal(ms_anacron_parse(rev, sizeof rev - 1, &t), MS_OK);
    assert_int_equal(t->nproblems, 1);
    d = ms_anacron_describe_in(t, &t->jobs[0]);
    assert_non_null(strstr(d, "never started"));
    free(d);
    assert_int_equal(ms_anacron_env_words(t, &t->jobs[0], &env), MS_OK);
    assert_null(env);
    ms_anacrontab_free(t);
}

/* Padding before a job: a line longer than MS_ANACRON_LINE_MAX, a NUL
 * run and control bytes.  Every line after them is parsed; a line is
 * taken up to its first NUL (anacron's C string); problems beyond the
 * bound are counted. */
static void test_padding(void **state)
{
    (void)state;
    size_t big = MS_ANACRON_LINE_MAX + 10, n = 0;
    size_t cap = big + 6000 + 256;
    char *tab = malloc(cap);
    assert_non_null(tab);
    memcpy(tab + n, "# head\n", 7), n += 7;
    memset(tab + n, 'A', big), n += big;                  /* line 2 */
    tab[n++] = '\n';
    memcpy(tab + n, "1 5 cut /bin/a\0/bin/b\n", 22), n += 22;  /* line 3 */
    for (int i = 0; i < 1500; i++)                         /* 4..1503 */
        memcpy(tab + n, "\x01\xff\n", 3), n += 3;
    memcpy(tab + n, "\0\0\0\n", 4), n += 4;                  /* 1504 */
    memcpy(tab + n, "7 9 after /bin/true\n", 20), n += 20;  /* 1505 */
    ms_anacrontab *t = NULL;
    assert_int_equal(ms_anacron_parse(tab, n, &t), MS_OK);
    assert_int_equal(t->njobs, 2);
    assert_string_equal(t->jobs[0].command, "/bin/a");
    assert_int_equal(t->jobs[0].line, 3);
    assert_string_equal(t->jobs[1].ident, "after");
    assert_int_equal(t->jobs[1].line, 1505);
    assert_int_equal(t->problems[0].line, 2);
    assert_non_null(strstr(t->problems[0].text, "bytes long"));
    assert_int_equal(t->nproblems, MS_ANACRON_MAX_PROBLEMS);
    assert_int_equal(t->nproblems + t->problems_dropped, 1501);
    ms_anacrontab_free(t);
    free(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_padding),
        cmocka_unit_test(test_stock_anacrontab),
        cmocka_unit_test(test_hours_range_random_delay),
        cmocka_unit_test(test_runparts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
