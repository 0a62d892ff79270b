/* test_cron_parse.c - whole crontab files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_parse.h"
#include "artifacts/cron_command.h"

static ms_cron_file *parse(const char *text, size_t len, int system)
{
    ms_cron_file *f = NULL;
    assert_int_equal(ms_cron_parse(text, len, system, &f), MS_OK);
    assert_non_null(f);
    return f;
}

#define PARSE(lit, sys) parse(lit, sizeof(lit) - 1, sys)

/* Problem on `line` whose text contains `needle`. */
static int has_problem(const ms_cron_file *f, unsigned line,
                       const char *needle)
{
    for (size_t i = 0; i < f->nproblems; i++)
        if (f->problems[i].line == line &&
            strstr(f->problems[i].text, needle))
            return 1;
    return 0;
}

static void test_mumblehard_line(void **state)
{
    (void)state;
    ms_cron_file *f =
        PARSE("*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n", 0);
    assert_int_equal(f->nentries, 1);
    assert_int_equal(f->nproblems, 0);
    ms_cron_entry *e = &f->entries[0];
    assert_int_equal(e->line, 1);
    assert_string_equal(e->schedule, "*/15 * * * *");
    assert_null(e->user);
    assert_string_equal(e->command, "/var/tmp/qCVwOWA >/dev/null 2>&1");
    assert_null(e->input);
    assert_true(ms_cron_sched_every_15(&e->sched));
    assert_null(e->path_env);
    assert_null(e->shell_env);
    ms_cron_file_free(f);
}

static void test_comments_blanks_env(void **state)
{
    (void)state;
    ms_cron_file *f = PARSE(
        "# m h dom mon dow command\n"          /* 1 */
        "\n"                                    /* 2 */
        "   \t  # indented comment\n"           /* 3 */
        "SHELL=/bin/bash\n"                     /* 4 */
        "PATH = /usr/bin:/bin  \n"              /* 5 */
        "MAILTO=\"\"\n"                         /* 6 */
        "0 5 * * 1 /a # trailing text is command\n" /* 7 */
        "PATH='/tmp:/usr/bin'\n"                /* 8 */
        "  @daily   /b\n"                       /* 9 */
        "\"MY VAR\" = \" spaced \"\n"           /* 10 */
        "A=b=c\n"                               /* 11 */
        "B = x y \n"                            /* 12 */
        "=odd\n",                               /* 13 */
        0);
    assert_int_equal(f->nproblems, 0);
    assert_int_equal(f->nentries, 2);
    assert_int_equal(f->nenv, 8);
    assert_string_equal(f->env[0].name, "SHELL");
    assert_string_equal(f->env[0].value, "/bin/bash");
    assert_int_equal(f->env[0].line, 4);
    assert_string_equal(f->env[1].name, "PATH");
    assert_string_equal(f->env[1].value, "/usr/bin:/bin");
    assert_string_equal(f->env[2].name, "MAILTO");
    assert_string_equal(f->env[2].value, "");
    assert_string_equal(f->env[3].value, "/tmp:/usr/bin");
    assert_string_equal(f->env[4].name, "MY VAR");
    assert_string_equal(f->env[4].value, " spaced ");
    assert_string_equal(f->env[5].name, "A");
    assert_string_equal(f->env[5].value, "b=c");
    assert_string_equal(f->env[6].name, "B");
    assert_string_equal(f->env[6].value, "x y");
    assert_string_equal(f->env[7].name, "");   /* cronie accepts it */
    assert_string_equal(f->env[7].value, "odd");

    ms_cron_entry *a = &f->entries[0], *b = &f->entries[1];
    assert_int_equal(a->line, 7);
    assert_string_equal(a->command, "/a # trailing text is command");
    assert_string_equal(a->path_env, "/usr/bin:/bin");
    assert_string_equal(a->shell_env, "/bin/bash");
    assert_int_equal(b->line, 9);
    assert_string_equal(b->schedule, "@daily");
    assert_string_equal(b->command, "/b");
    assert_string_equal(b->path_env, "/tmp:/usr/bin"); /* later wins */
    assert_string_equal(b->shell_env, "/bin/bash");
    ms_cron_file_free(f);
}

static void test_env_vs_job(void **state)
{
    (void)state;
    /* these are not assignments (cronie's rules) and not jobs either */
    ms_cron_file *f = PARSE("FOO BAR=1\n"
                            "X='unclosed\n"
                            "Y=\"a\" junk\n", 0);
    assert_int_equal(f->nenv, 0);
    assert_int_equal(f->nentries, 0);
    assert_int_equal(f->nproblems, 3);
    ms_cron_file_free(f);

    /* a job whose command holds '=' stays a job */
    f = PARSE("* * * * * A=1 /x\n", 0);
    assert_int_equal(f->nenv, 0);
    assert_int_equal(f->nentries, 1);
    assert_string_equal(f->entries[0].command, "A=1 /x");
    ms_cron_file_free(f);
}

static void test_system_crontab(void **state)
{
    (void)state;
    ms_cron_file *f = PARSE(
        "SHELL=/bin/sh\n"
        "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
        "17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n"
        "@reboot www-data /srv/start\n"
        "-*/15 * * * * nobody /quiet\n"
        "0 0 * * * root\n"
        "0 0 * * *\n", 1);
    assert_int_equal(f->nentries, 3);
    assert_string_equal(f->entries[0].user, "root");
    assert_string_equal(f->entries[0].schedule, "17 * * * *");
    assert_string_equal(f->entries[0].command,
                        "cd / && run-parts --report /etc/cron.hourly");
    assert_string_equal(f->entries[0].shell_env, "/bin/sh");
    assert_string_equal(f->entries[1].user, "www-data");
    assert_true(f->entries[1].sched.reboot);
    assert_string_equal(f->entries[1].command, "/srv/start");
    assert_string_equal(f->entries[2].user, "nobody");
    assert_string_equal(f->entries[2].schedule, "*/15 * * * *");
    assert_true(has_problem(f, 6, "no command after the user"));
    assert_true(has_problem(f, 7, "no command"));
    assert_int_equal(f->nproblems, 2);
    ms_cron_file_free(f);

    /* the same user-crontab line: "root" is the command */
    f = PARSE("0 0 * * * root\n", 0);
    assert_int_equal(f->nentries, 1);
    assert_null(f->entries[0].user);
    assert_string_equal(f->entries[0].command, "root");
    ms_cron_file_free(f);
}

static void test_percent(void **state)
{
    (void)state;
    ms_cron_file *f = PARSE(
        "0 0 * * * date +\\%Y-\\%m-\\%d > /tmp/d\n"
        "0 0 * * * /usr/bin/mail -s hi root%line one%line two\\%x%\n"
        "0 0 * * * /x \\\\%in\\\\put\n"
        "0 0 * * * %only input\n", 0);
    assert_int_equal(f->nentries, 3);
    assert_string_equal(f->entries[0].command, "date +%Y-%m-%d > /tmp/d");
    assert_null(f->entries[0].input);
    assert_string_equal(f->entries[1].command, "/usr/bin/mail -s hi root");
    assert_string_equal(f->entries[1].input, "line one\nline two%x\n");
    /* "\\%": the second backslash is consumed as escaped, % splits */
    assert_string_equal(f->entries[2].command, "/x \\\\");
    assert_string_equal(f->entries[2].input, "in\\\\put");
    assert_true(has_problem(f, 4, "empty command"));
    ms_cron_file_free(f);

    char *c, *in;
    assert_int_equal(ms_cron_split_percent("a\\b%c\\d\\", &c, &in), MS_OK);
    assert_string_equal(c, "a\\b");
    assert_string_equal(in, "c\\d\\");
    free(c);
    free(in);
    assert_int_equal(ms_cron_split_percent("x%", &c, &in), MS_OK);
    assert_string_equal(c, "x");
    assert_string_equal(in, "");
    free(c);
    free(in);
}

static void test_crlf_nul_long(void **state)
{
    (void)state;
    static const char text[] =
        "PATH=/bin\r\n"
        "*/15 * * * * /var/tmp/x\r\n"
        "0 1 * * * /a\0/b\n"
        "0 2 * * * /c\r\n";
    ms_cron_file *f = parse(text, sizeof text - 1, 0);
    /* cron reads a line into a C string: the job runs "/a" */
    assert_int_equal(f->nentries, 3);
    assert_string_equal(f->env[0].value, "/bin");
    assert_string_equal(f->entries[0].command, "/var/tmp/x");
    assert_string_equal(f->entries[1].command, "/a");
    assert_string_equal(f->entries[2].command, "/c");
    assert_int_equal(f->entries[2].line, 4);
    assert_true(has_problem(f, 3, "NUL byte (the first at byte offset 48)"));
    ms_cron_file_free(f);

    /* a line of NULs is no blank line for cron but a syntax error */
    static const char nuls[] = "  \0\0\0\n* * * * * /x\n";
    f = parse(nuls, sizeof nuls - 1, 0);
    assert_int_equal(f->nentries, 1);
    assert_true(has_problem(f, 1, "NUL byte where the schedule should start "
                                  "(byte offset 2)"));
    ms_cron_file_free(f);

    /* an overlong line is reported and parsed from its start (cron runs
     * it), its neighbours still parsed */
    size_t n = 3 * (size_t)MS_CRON_LINE_MAX;
    char *big = malloc(n + 64);
    assert_non_null(big);
    strcpy(big, "* * * * * /a\n*/15 * * * * /long ");
    size_t off = strlen(big);
    memset(big + off, 'x', n - off);
    strcpy(big + n, "\n* * * * * /b\n");
    f = parse(big, strlen(big), 0);
    assert_int_equal(f->nentries, 3);
    assert_int_equal(f->entries[1].line, 2);
    assert_int_equal(strlen(f->entries[1].command),
                     MS_CRON_LINE_MAX - strlen("*/15 * * * * "));
    assert_memory_equal(f->entries[1].command, "/long xxx", 9);
    assert_string_equal(f->entries[2].command, "/b");
    assert_true(has_problem(f, 2, "bytes long (at byte offset 13)"));
    ms_cron_file_free(f);

    /* a 1 MiB comment and a line of junk hide nothing after them */
    n = 1u << 20;
    memset(big = realloc(big, n + 64), '#', n);
    for (size_t i = 100; i < n; i += 997)
        big[i] = (char)(i & 0x1f);   /* control bytes and NULs */
    big[n - 1] = '\n';
    strcpy(big + n, "*/15 * * * * /after\n");
    f = parse(big, strlen(big + n) + n, 1);
    assert_int_equal(f->nentries, 0); /* system: "/after" is the user */
    ms_cron_file_free(f);
    f = parse(big, strlen(big + n) + n, 0);
    assert_int_equal(f->nentries, 1);
    assert_string_equal(f->entries[0].command, "/after");
    assert_true(has_problem(f, 2, "cronie refuses to load"));
    ms_cron_file_free(f);
    free(big);
}

static void test_bad_lines(void **state)
{
    (void)state;
    ms_cron_file *f = PARSE(
        "61 * * * * /a\n"           /* 1 */
        "*/0 * * * * /a\n"          /* 2 */
        "* * * *\n"                 /* 3 */
        "@often /a\n"               /* 4 */
        "* * * * * * /six\n"        /* 5 */
        "garbage\n"                 /* 6 */
        "@reboot\n"                 /* 7 */
        "\x80\xfe\xff * * * * /u\n" /* 8: invalid UTF-8 */
        "* * * * * /ok\n",          /* 9 */
        0);
    assert_int_equal(f->nentries, 1);
    assert_int_equal(f->entries[0].line, 9);
    assert_true(has_problem(f, 1, "bad minute field \"61\""));
    assert_true(has_problem(f, 2, "step is 0"));
    assert_true(has_problem(f, 3, "only 4 of 5"));
    assert_true(has_problem(f, 4, "unknown keyword \"@often\""));
    assert_true(has_problem(f, 5, "starts with '*'"));
    assert_true(has_problem(f, 6, "only 1 of 5"));
    assert_true(has_problem(f, 7, "no command"));
    assert_true(has_problem(f, 8, "bad minute field \"???\""));
    assert_int_equal(f->nproblems, 8);
    ms_cron_file_free(f);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    /* cron (cronie and Debian load_entry) drops the last entry when no
     * newline ends it */
    ms_cron_file *f = PARSE("* * * * * /a\n*/15 * * * * /b", 0);
    assert_int_equal(f->nentries, 1);
    assert_string_equal(f->entries[0].command, "/a");
    assert_true(has_problem(f, 2, "no newline: cron rejects this job"));
    assert_int_equal(f->nproblems, 1);
    ms_cron_file_free(f);
}

static void test_empty_and_args(void **state)
{
    (void)state;
    ms_cron_file *f = NULL;
    assert_int_equal(ms_cron_parse(NULL, 0, 0, &f), MS_OK);
    assert_int_equal(f->nentries + f->nproblems + f->nenv, 0);
    ms_cron_file_free(f);
    assert_int_equal(ms_cron_parse(NULL, 5, 0, &f), MS_ERR_ARG);
    assert_int_equal(ms_cron_parse("x", 1, 0, NULL), MS_ERR_ARG);
    ms_cron_file_free(NULL);
}

static void test_line_limit(void **state)
{
    (void)state;
    /* blank lines cost nothing: a job after any number is parsed */
    size_t n = 300000;
    char *text = malloc(n);
    assert_non_null(text);
    memset(text, '\n', n);
    memcpy(text, "* * * * * /first\n", 17);
    memcpy(text + n - 14, "* * * * * /z\n", 13);
    ms_cron_file *f = parse(text, n, 0);
    assert_int_equal(f->nentries, 2);
    assert_string_equal(f->entries[0].command, "/first");
    assert_string_equal(f->entries[1].command, "/z");
    assert_int_equal(f->entries[1].line, n - 29);
    ms_cron_file_free(f);
    free(text);

    /* junk lines: problems are capped and counted, not kept */
    n = 2 * (size_t)MS_CRON_MAX_PROBLEMS * 4;
    text = malloc(n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i += 4)
        memcpy(text + i, "xyz\n", 4);
    f = parse(text, n, 0);
    assert_int_equal(f->nproblems, MS_CRON_MAX_PROBLEMS);
    assert_int_equal(f->problems_dropped, MS_CRON_MAX_PROBLEMS);
    ms_cron_file_free(f);
    free(text);
}

/* Random bytes must never crash the parser or the command reader. */
static void test_fuzz(void **state)
{
    (void)state;
    static const char alphabet[] = "*/-,0123456789 \t\n\r%\\#=\"'@abcmonjan"
                                   "$();&|`<>";
    unsigned long long seed = 42;
    char buf[1024];

    for (int iter = 0; iter < 4000; iter++) {
        size_t len;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t want = (size_t)(seed >> 33) % sizeof buf;
        for (len = 0; len < want; len++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(seed >> 33);
            buf[len] = iter % 3 == 0 ? (char)r
                       : alphabet[r % (sizeof alphabet - 1)];
        }
        ms_cron_file *f = NULL;
        assert_int_equal(ms_cron_parse(buf, len, iter & 1, &f), MS_OK);
        for (size_t i = 0; i < f->nentries; i++) {
            ms_cmd_prog *p = NULL;
            size_t np = 0;
            assert_int_equal(ms_cron_command_programs(f->entries[i].command,
                                                      &p, &np), MS_OK);
            ms_cmd_progs_free(p, np);
            char *d = ms_cron_sched_describe(&f->entries[i].sched);
            assert_non_null(d);
            free(d);
        }
        ms_cron_file_free(f);
    }
}

/* the lines, read as Debian's cron and cronie read
 * them. */
static ms_cron_file *parse_d(const char *text, int system, ms_cron_dialect d)
{
    ms_cron_file *f = NULL;
    assert_int_equal(ms_cron_parse_dialect(text, strlen(text), system, d,
                                           &f), MS_OK);
    assert_non_null(f);
    return f;
}

static void test_dialect_lines(void **state)
{
    (void)state;
    static const char tab[] =
        "~ * * * * root /var/tmp/qCVwOWA\n"           /* 1 */
        "1/2 * * * * root /bin/a\n"                    /* 2 */
        "30 4/2 * * * root /bin/b\n"                   /* 3 */
        "* * * * mOn/2 root /bin/c\n"                  /* 4 */
        "*/61 * * * * root /bin/d\n"                   /* 5 */
        "1 ** * * * root /bin/e\n"                     /* 6 */
        "*/15 * * * * root /bin/f\n";                  /* 7 */
    ms_cron_file *f;

    /* cronie >= 1.6: ~ runs, steps after single values rejected, '**'
     * rejected, big step accepted */
    f = parse_d(tab, 1, MS_CRON_DIALECT_CRONIE_16);
    assert_int_equal(f->nentries, 3);
    assert_int_equal(f->entries[0].line, 1);
    assert_int_equal(f->entries[0].sched.nrandom, 1);
    assert_string_equal(f->entries[0].command, "/var/tmp/qCVwOWA");
    assert_int_equal(f->entries[1].line, 5);
    assert_int_equal(f->entries[2].line, 7);
    assert_true(has_problem(f, 2, "step after a single value"));
    assert_true(has_problem(f, 3, "step after a single value"));
    assert_true(has_problem(f, 4, "step after a single value"));
    assert_true(has_problem(f, 6, "after '*'"));
    assert_null(f->entries[0].dialect_note);
    ms_cron_file_free(f);

    /* Debian: no ~; '**' is '*'; */
    f = parse_d(tab, 1, MS_CRON_DIALECT_DEBIAN);
    assert_int_equal(f->nentries, 3);
    assert_int_equal(f->entries[0].line, 5);
    assert_int_equal(f->entries[1].line, 6);
    assert_int_equal(f->entries[1].sched.hour, (1u << 24) - 1);
    assert_true(has_problem(f, 1, "cronie 1.6 extension"));
    ms_cron_file_free(f);

    /* cronie < 1.6: step 61 > 59 rejected */
    f = parse_d(tab, 1, MS_CRON_DIALECT_CRONIE_15);
    assert_int_equal(f->nentries, 2);
    assert_true(has_problem(f, 5, "larger than the field"));
    ms_cron_file_free(f);

    /* unknown: a line any dialect accepts is a job, with both readings */
    f = parse_d(tab, 1, MS_CRON_DIALECT_UNKNOWN);
    assert_int_equal(f->nentries, 4);            /* 1, 5, 6, 7 */
    assert_int_equal(f->entries[0].line, 1);
    assert_non_null(f->entries[0].dialect_note);
    assert_non_null(strstr(f->entries[0].dialect_note,
                           "Debian/Ubuntu cron 3.0pl1 rejects it"));
    assert_non_null(strstr(f->entries[0].dialect_note,
                           "cronie 1.6 or later runs it once an hour at a "
                           "random minute"));
    assert_non_null(f->entries[1].dialect_note);   /* step 61 */
    assert_non_null(strstr(f->entries[1].dialect_note,
                           "cronie before 1.6 rejects it"));
    assert_null(f->entries[3].dialect_note);       /* every 15: all agree */
    assert_true(has_problem(f, 2, "step after a single value"));
    assert_int_equal(f->nproblems, 3);
    ms_cron_file_free(f);
}

static void test_offsets_tz_every_problem(void **state)
{
    (void)state;
    /* more than the old note's five problems: every one is kept, with
     * its line and byte offset */
    static const char tab[] =
        "CRON_TZ=Europe/Berlin\n"                    /* 0 */
        "TZ=UTC\n"                                   /* 22 */
        "bad\n"                                      /* 29 */
        "61 * * * * /x\n"                            /* 33 */
        "1/2 * * * * /x\n"                           /* 47 */
        "@never /x\n"                                /* 62 */
        "* * * *\n"                                  /* 72 */
        "* * * * * *x\n"                             /* 80 */
        "0 0 1 1\n"                                  /* 93 */
        "5 4 * * * /bin/ok %line1%line2\n";          /* 101 */
    ms_cron_file *f = parse_d(tab, 0, MS_CRON_DIALECT_CRONIE_16);
    static const struct { unsigned line; size_t off; } want[] = {
        { 3, 29 }, { 4, 33 }, { 5, 47 }, { 6, 62 }, { 7, 72 }, { 8, 80 },
        { 9, 93 },
    };
    assert_int_equal(f->nproblems, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(f->problems[i].line, want[i].line);
        assert_int_equal(f->problems[i].offset, want[i].off);
    }
    assert_int_equal(f->nentries, 1);
    const ms_cron_entry *e = &f->entries[0];
    assert_int_equal(e->offset, 101);
    assert_string_equal(e->cron_tz_env, "Europe/Berlin");
    assert_string_equal(e->tz_env, "UTC");
    assert_string_equal(e->command, "/bin/ok ");
    assert_string_equal(e->input, "line1\nline2");
    ms_cron_file_free(f);
}

/* chkcrontab's annotated test crontab (github.com/lyda/chkcrontab,
 * tests/test_crontab), its schedule lines re-typed.  The expected
 * reading is cron's, from the sources (see docs/detection.md "Cron
 * dialects"), not chkcrontab's annotation: chkcrontab calls "1 **",
 * "2-1", "* /61" and "1-2/61" bad although Debian's cron runs them, and
 * "mOn-Fri/8" good although cronie before 1.6 rejects it. */
static void test_chkcrontab_corpus(void **state)
{
    (void)state;
    static const struct { const char *line; int ok[3]; } t[] = {
        /*                                         Debian c<1.6 c>=1.6 */
        { "* 3 * * * root Warn for hour not minute",      { 1, 1, 1 } },
        { "- * * * * root Bad Line",                      { 0, 0, 0 } },
        { "1 * * * * root Good Line",                     { 1, 1, 1 } },
        { "1 ** * * * root Bad Line",                     { 1, 1, 0 } },
        { "1 * * * * ro0ot Bad Line",                     { 1, 1, 1 } },
        { "1 * * * * root Command with %",                { 1, 1, 1 } },
        { "1,2 * * * * root Sequence",                    { 1, 1, 1 } },
        { "1-2 * * * * root Range",                       { 1, 1, 1 } },
        { "1--2 * * * * root BadRange",                   { 0, 0, 0 } },
        { "1-2 *, * * * root BadRange",                   { 0, 0, 0 } },
        { "2-1 * * * * root Bad Range",                   { 1, 0, 1 } },
        { "1-20/2 * * * * root Range/Step",               { 1, 1, 1 } },
        { "1-20/0 * * * * root Bad Range/Step",           { 0, 0, 0 } },
        { "1/2 * * * * root Bad Step",                    { 0, 0, 0 } },
        { "*/2 * * * * root Good Step",                   { 1, 1, 1 } },
        { "*/61 * * * * root Bad Step",                   { 1, 0, 1 } },
        { "1-2/61 * * * * root Bad Step",                 { 1, 0, 1 } },
        { "1-61/2 * * * * root Bad Range",                { 0, 0, 0 } },
        { "61 25 32 13 8 root Over by one",               { 0, 0, 0 } },
        { "-1 -1 0 0 -1 root Under by one",               { 0, 0, 0 } },
        { "1 * * * root \"Missing Field\"",               { 0, 0, 0 } },
        { "1,4,6,*/5 */3,2,7 1,4,5 1-3 Wed-Sun root C",   { 1, 0, 1 } },
        { "1,4,6,*/5 */3,2,7 1,4,5 Mar-JUN Wed-Sun root C", { 1, 0, 1 } },
        { "1,4,6,*/5 */3,2,7 1,4,5 Max-JUN * root Bad",   { 0, 0, 0 } },
        { "1,4,6,*/5 */3,2,7 1,4,5 Ma-JUN * root Bad",    { 0, 0, 0 } },
        { "1,4,6,*/5 */3,2,7 * * mO root Bad Day",        { 0, 0, 0 } },
        { "1,4,6,*/5 */3,2,7 * * mOn-Fri root Good",      { 1, 1, 1 } },
        { "1,4,6,*/5 */3,2,7 * * mOn-Fri/2 root Good",    { 1, 1, 1 } },
        { "1,4,6,*/5 */3,2,7 * * mOn/2 root Bad Day",     { 0, 0, 0 } },
        { "1,4,6,*/5 */3,2,7 * * mOn-Fri/8 root Good",    { 1, 0, 1 } },
        { "@monthly Missing User",                        { 1, 1, 1 } },
        { "@monthly root Good @ Command",                 { 1, 1, 1 } },
        { "@m0nthly root Bad @ Command",                  { 0, 0, 0 } },
    };
    static const ms_cron_dialect ds[3] = { MS_CRON_DIALECT_DEBIAN,
                                           MS_CRON_DIALECT_CRONIE_15,
                                           MS_CRON_DIALECT_CRONIE_16 };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        for (int k = 0; k < 3; k++) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s\n", t[i].line);
            ms_cron_file *f = parse_d(buf, 1, ds[k]);
            if ((f->nentries == 1) != t[i].ok[k])
                print_error("%s under %s: %s\n", t[i].line,
                            ms_cron_dialect_name(ds[k]), f->nentries
                            ? "accepted" : f->problems[0].text);
            assert_int_equal(f->nentries == 1, t[i].ok[k]);
            assert_int_equal(f->nentries + f->nproblems, 1);
            ms_cron_file_free(f);
        }

    /* "Wed-Sun" is 3-0: a reversed range that selects no weekday, so by
     * the day rule (neither field starts with '*') days 1, 4, 5 run */
    ms_cron_file *f = parse_d("0 0 1,4,5 * Wed-Sun root C\n", 1,
                              MS_CRON_DIALECT_DEBIAN);
    assert_int_equal(f->nentries, 1);
    assert_int_equal(f->entries[0].sched.dow, 0);
    assert_true(ms_cron_sched_fires(&f->entries[0].sched, 0, 0, 4, 6, 3));
    assert_false(ms_cron_sched_fires(&f->entries[0].sched, 0, 0, 3, 6, 3));
    ms_cron_file_free(f);
    /* "%" alone: empty standard input */
    f = parse_d("1 * * * * root Command with %\n", 1, MS_CRON_DIALECT_DEBIAN);
    assert_string_equal(f->entries[0].command, "Command with ");
    assert_string_equal(f->entries[0].input, "");
    ms_cron_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dialect_lines),
        cmocka_unit_test(test_chkcrontab_corpus),
        cmocka_unit_test(test_offsets_tz_every_problem),
        cmocka_unit_test(test_mumblehard_line),
        cmocka_unit_test(test_comments_blanks_env),
        cmocka_unit_test(test_env_vs_job),
        cmocka_unit_test(test_system_crontab),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_crlf_nul_long),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_empty_and_args),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
