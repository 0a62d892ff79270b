/* test_report_court.c - the court-report pieces: SVG axis ticks and chart,
 * format lists, command-line quoting, the CSV and HTML writers over
 * hostile strings, and the integrity comparison / exit status 4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/ms_scan.h"
#include "evidence/imghash.h"
#include "report/htmlsvg.h"
#include "report/report.h"
#include "scan/provenance.h"

#define HOSTILE "/tmp/<script>alert(1)</script>\x1b[2J\"q\xff"

static char *render(ms_report_writer fn, const ms_scan *s)
{
    char *buf = NULL;
    size_t len = 0;
    ms_summary sum;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(ms_summary_compute(s, &sum), MS_OK);
    ms_report_ctx ctx = { s, "test", &sum };
    assert_int_equal(fn(f, &ctx), MS_OK);
    fclose(f);
    return buf;
}

/* A scan with one examined volume and one hostile malicious file. */
static void build(ms_scan *s)
{
    ms_fileref ref = { 0 };
    size_t idx;
    memset(s, 0, sizeof *s);
    s->volumes = calloc(1, sizeof *s->volumes);
    assert_non_null(s->volumes);
    s->nvolumes = s->volumes_cap = 1;
    s->volumes[0].state = MS_VOL_EXAMINED;
    ref.path = HOSTILE;
    ref.has_inode = 1;
    ref.inode = 12;
    ref.times[MS_T_MTIME] = (ms_time){ 1, 1428400800, 123456789 };
    assert_int_equal(ms_scan_file_for(s, &ref, 0, MS_ORIGIN_TEMP_DIR, &idx),
                     MS_OK);
    assert_int_equal(ms_file_reason_take(&s->files[idx], MS_R_YARA_MATCH,
                                         MS_SEV_MALICIOUS,
                                         strdup("<b>bad</b>")),
                     MS_OK);
    s->case_info.notes = strdup("=1+2");
    s->case_info.case_id = strdup("@x");
}

static void test_ticks(void **state)
{
    (void)state;
    ms_svg_tick t[64];
    /* one hour: minute ticks with a time of day */
    size_t n = ms_svg_ticks(1428400800.0, 1428404400.0, t, 64);
    assert_true(n >= 2 && n <= 8);
    assert_non_null(strstr(t[0].label, "2015-04-07 "));
    /* three decades: year labels only */
    n = ms_svg_ticks(0.0, 30.0 * 365.25 * 86400, t, 64);
    assert_true(n >= 2 && n <= 8);
    assert_int_equal(strlen(t[0].label), 4);
    /* a few months: year-month labels */
    n = ms_svg_ticks(1420070400.0, 1420070400.0 + 120 * 86400.0, t, 64);
    assert_true(n >= 2 && n <= 8);
    assert_int_equal(strlen(t[0].label), 7);
    /* the whole int64 range of a hostile image: bounded, no crash */
    n = ms_svg_ticks((double)INT64_MIN, (double)INT64_MAX, t, 64);
    assert_true(n <= 50);
    /* an empty range has no ticks */
    assert_int_equal(ms_svg_ticks(5.0, 5.0, t, 64), 0);
}

static char *chart(const ms_tl_entry *e, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(ms_svg_timeline(f, e, n), MS_OK);
    fclose(f);
    assert_non_null(strstr(buf, "<svg"));
    assert_non_null(strstr(buf, "</svg>"));
    assert_null(strstr(buf, "http"));
    return buf;
}

static void test_chart(void **state)
{
    (void)state;
    ms_tl_entry e[2] = {
        { .sec = 1428400800, .event = 'm', .path = HOSTILE, .verdict = 2,
          .source = "finding", .file_index = 0, .crontab_index = -1 },
        { .sec = 1428400800, .event = 'a', .path = "/etc/crontab",
          .verdict = -1, .source = "crontab", .file_index = -1 },
    };
    char *b = chart(e, 0);
    assert_non_null(strstr(b, "no recorded times"));
    free(b);
    b = chart(e, 1);                    /* a single event */
    assert_non_null(strstr(b, "<circle"));
    assert_null(strstr(b, "<script"));  /* the path is escaped */
    assert_non_null(strstr(b, "&lt;script&gt;"));
    free(b);
    b = chart(e, 2);                    /* identical times */
    assert_non_null(strstr(b, "class=\"ticklabel\""));
    free(b);
    e[1].sec = INT64_MAX;               /* absurd range */
    e[0].sec = INT64_MIN;
    free(chart(e, 2));
}

static void test_formats(void **state)
{
    (void)state;
    ms_report_format f[MS_REPORT_FORMAT_MAX];
    size_t n;
    assert_int_equal(ms_report_formats_parse("html,json", f, 6, &n), MS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(f[0], MS_REPORT_HTML);
    assert_int_equal(f[1], MS_REPORT_JSON);
    assert_int_equal(ms_report_formats_parse("csv", f, 6, &n), MS_OK);
    assert_int_equal(f[0], MS_REPORT_CSV);
    assert_int_equal(ms_report_formats_parse("html,html", f, 6, &n), MS_ERR_ARG);
    assert_int_equal(ms_report_formats_parse("json,", f, 6, &n), MS_ERR_ARG);
    assert_int_equal(ms_report_formats_parse("", f, 6, &n), MS_ERR_ARG);
    assert_int_equal(ms_report_formats_parse("pdf", f, 6, &n), MS_ERR_ARG);
    assert_string_equal(ms_report_format_filename(MS_REPORT_TIMESKETCH),
                        "report.timesketch.jsonl");
    /* every row of the table is complete and names are unique */
    assert_true(ms_report_format_count() >= 6);
    for (size_t i = 0; i < ms_report_format_count(); i++) {
        const ms_report_format_def *d = ms_report_format_get(i);
        ms_report_format back;
        assert_non_null(d);
        assert_non_null(d->write);
        assert_int_equal(ms_report_format_parse(d->name, &back), MS_OK);
        assert_int_equal(back, i);
        assert_string_equal(ms_report_format_filename(i), d->filename);
    }
    assert_null(ms_report_format_get(ms_report_format_count()));
}

static void test_shell_join(void **state)
{
    (void)state;
    char *argv[] = { "mumblescan", "--notes", "it's a test", "", "a/b.E01" };
    char *s = ms_shell_join(5, argv);
    assert_string_equal(s, "mumblescan --notes 'it'\\''s a test' '' a/b.E01");
    free(s);
    s = ms_shell_join(0, argv);
    assert_string_equal(s, "");
    free(s);
}

static void test_csv(void **state)
{
    (void)state;
    ms_scan s;
    build(&s);
    char *out = render(ms_report_csv, &s);
    /* header + one event, CRLF, quotes doubled, formulas neutralised, no
     * control byte */
    assert_non_null(strstr(out, "\"record\",\"time\""));
    assert_non_null(strstr(out, "\"2015-04-07T10:00:00.123456789Z\""));
    assert_non_null(strstr(out, "\\x1b[2J\"\"q\\xff\""));
    /* notes, then the three (empty) recovery columns end the record */
    assert_non_null(strstr(out, "\"'=1+2\",\"\",\"\",\"\"\r\n"));
    assert_non_null(strstr(out, "\"'@x\""));
    for (const char *p = out; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\r' || *p == '\n');
    free(out);
    ms_scan_free(&s);
}

static void test_html(void **state)
{
    (void)state;
    ms_scan s;
    build(&s);
    char *out = render(ms_report_html, &s);
    assert_null(strstr(out, "<script"));
    assert_null(strstr(out, "<b>bad"));
    assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(out, "&lt;b&gt;bad&lt;/b&gt;"));
    assert_non_null(strstr(out, "10:00:00.123456789Z"));
    for (const char *p = out; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    free(out);
    ms_scan_free(&s);
}

static void test_integrity(void **state)
{
    (void)state;
    ms_scan s;
    ms_summary sum;
    build(&s);
    ms_integrity *ig = &s.integrity;
    ig->computed = 1;
    strcpy(ig->computed_hex[MS_HASH_MD5], "0123456789abcdef0123456789abcdef");
    strcpy(ig->stored_hex[MS_HASH_MD5], "0123456789ABCDEF0123456789ABCDEF");
    ms_integrity_compare(ig);
    assert_int_equal(ig->check[MS_HASH_MD5], MS_HCHK_VERIFIED);
    assert_int_equal(ig->check[MS_HASH_SHA1], MS_HCHK_NOT_STORED);
    assert_string_equal(ms_integrity_state(ig), "verified");
    assert_null(ms_report_integrity_alert(&s));
    assert_int_equal(ms_summary_compute(&s, &sum), MS_OK);
    assert_int_equal(sum.exit_status, MS_EXIT_FINDINGS);

    ig->stored_hex[MS_HASH_MD5][0] = 'f';
    ms_integrity_compare(ig);
    assert_int_equal(ig->check[MS_HASH_MD5], MS_HCHK_MISMATCH);
    assert_int_equal(ms_summary_compute(&s, &sum), MS_OK);
    assert_int_equal(sum.exit_status, MS_EXIT_INTEGRITY);
    assert_true(sum.integrity_mismatch);
    assert_string_equal(sum.verdict, "malicious"); /* findings still shown */
    char *a = ms_report_integrity_alert(&s);
    assert_non_null(a);
    assert_non_null(strstr(a, "MD5 stored f123"));
    free(a);

    ig->computed = 0;                   /* stored but not hashed */
    ms_integrity_compare(ig);
    assert_int_equal(ig->check[MS_HASH_MD5], MS_HCHK_NOT_COMPUTED);
    assert_string_equal(ms_integrity_state(ig), "not_checked");
    ms_scan_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_shell_join),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_integrity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
