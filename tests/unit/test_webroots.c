/* test_webroots.c - Apache/nginx configuration lines and access-log
 * lines, parsed from text (no image). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "artifacts/accesslog.h"
#include "artifacts/webroots.h"

static int conf(char kind, const char *line, ms_web_conf_state *st,
                const char *want_url, const char *want_dir)
{
    char *url = NULL, *dir = NULL;
    int r = ms_web_conf_line(kind, line, &url, &dir, st);
    if (want_url)
        assert_string_equal(url, want_url);
    else
        assert_null(url);
    if (want_dir)
        assert_string_equal(dir, want_dir);
    else
        assert_null(dir);
    free(url);
    free(dir);
    return r;
}

static void test_apache(void **state)
{
    (void)state;
    ms_web_conf_state st = {0};
    assert_int_equal(conf('a', "  DocumentRoot \"/srv/a b\"", &st, "/", "/srv/a b"), 1);
    assert_int_equal(conf('a', "documentroot /var/www/x # c", &st, "/", "/var/www/x"), 1);
    assert_int_equal(conf('a', "Alias /img/ /srv/img/", &st, "/img/", "/srv/img/"), 1);
    assert_int_equal(conf('a', "ScriptAlias /cgi-bin/ \"/usr/lib/cgi-bin/\"", &st, "/cgi-bin/", "/usr/lib/cgi-bin/"), 1);
    assert_int_equal(conf('a', "IncludeOptional sites-enabled/*.conf", &st, NULL, "sites-enabled/*.conf"), 2);
    assert_int_equal(conf('a', "DocumentRoot ${APACHE_ROOT}", &st, NULL, NULL), 0);
    assert_int_equal(conf('a', "# DocumentRoot /nope", &st, NULL, NULL), 0);
    assert_int_equal(conf('a', "DocumentRoot", &st, NULL, NULL), 0);
    assert_int_equal(conf('a', "Alias relative /x", &st, NULL, NULL), 0);
}

static void test_nginx(void **state)
{
    (void)state;
    ms_web_conf_state st = {0};
    assert_int_equal(conf('n', "server {", &st, NULL, NULL), 0);
    assert_int_equal(conf('n', "  root /srv/site;", &st, "/", "/srv/site"), 1);
    assert_int_equal(conf('n', "  location /dl/ { alias /srv/dl/; }", &st, "/dl/", "/srv/dl/"), 1);
    free(st.loc);
    st.loc = NULL;
    /* a regex location: its alias has no plain prefix */
    assert_int_equal(conf('n', "location ~ \\.php$ {", &st, NULL, NULL), 0);
    assert_int_equal(conf('n', "alias /srv/x/;", &st, NULL, NULL), 0);
    assert_int_equal(conf('n', "}", &st, NULL, NULL), 0);
    assert_int_equal(conf('n', "location ^~ /static/ {", &st, NULL, NULL), 0);
    assert_int_equal(conf('n', "alias \"/srv/static/\";", &st, "/static/", "/srv/static/"), 1);
    assert_int_equal(conf('n', "}", &st, NULL, NULL), 0);
    assert_null(st.loc);
    assert_int_equal(conf('n', "alias /srv/outside/;", &st, NULL, NULL), 0);
    assert_int_equal(conf('n', "include /etc/nginx/conf.d/*.conf;", &st, NULL, "/etc/nginx/conf.d/*.conf"), 2);
    assert_int_equal(conf('n', "root $document_root;", &st, NULL, NULL), 0);
    free(st.loc);
}

static void test_script_names(void **state)
{
    (void)state;
    assert_true(ms_web_is_script_name("x.php", 5));
    assert_true(ms_web_is_script_name("X.PHTML", 7));
    assert_true(ms_web_is_script_name("a.b.cgi", 7));
    assert_false(ms_web_is_script_name("x.php.txt", 9));
    assert_false(ms_web_is_script_name("php", 3));
    assert_false(ms_web_is_script_name("x.", 2));
    assert_false(ms_web_is_script_name("x.html", 6));
}

static void test_log_lines(void **state)
{
    (void)state;
    ms_web_request r;
    const char *l = "192.0.2.1 - bob [10/Oct/2000:13:55:36 -0700] \"GET /a.php?x=\\\"1 HTTP/1.0\" 200 2326 \"http://r/\" \"UA \\\"q\\\" 1\"";
    assert_int_equal(ms_alog_parse_line(l, strlen(l), &r), 1);
    assert_string_equal(r.client, "192.0.2.1");
    assert_string_equal(r.method, "GET");
    assert_string_equal(r.url, "/a.php?x=\\\"1");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.time, 971211336);   /* 2000-10-10T20:55:36Z */
    assert_int_equal(r.tz_minutes, -420);
    assert_string_equal(r.user_agent, "UA \\\"q\\\" 1");
    ms_web_request_clear(&r);
    /* common format: no referer or agent */
    l = "::1 - - [01/Jan/2020:00:00:00 +0000] \"POST /s.php HTTP/1.1\" 404 -";
    assert_int_equal(ms_alog_parse_line(l, strlen(l), &r), 1);
    assert_null(r.user_agent);
    assert_int_equal(r.status, 404);
    ms_web_request_clear(&r);
    /* vhost_combined */
    l = "www.example:80 203.0.113.9 - - [01/Jan/2020:00:00:00 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"";
    assert_int_equal(ms_alog_parse_line(l, strlen(l), &r), 1);
    assert_string_equal(r.client, "203.0.113.9");
    assert_int_equal(r.time, 1577833200);
    ms_web_request_clear(&r);
    /* junk */
    static const char *const bad[] = {
        "", "garbage", "1.2.3.4 - - [99/Foo/2020:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
        "1.2.3.4 - - [01/Jan/2020:00:00:00 +0000] \"GET / HTTP/1.1",
        "1.2.3.4 - - [01/Jan/2020:00:00:00 +0000] \"NOSPACE\" 200 1",
        "1.2.3.4 - - [01/Jan/2020:00:00:00 +0000] \"GET / HTTP/1.1\" 2x0 1" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ms_alog_parse_line(bad[i], strlen(bad[i]), &r), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apache),
        cmocka_unit_test(test_nginx),
        cmocka_unit_test(test_script_names),
        cmocka_unit_test(test_log_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
