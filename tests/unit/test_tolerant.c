/* test_tolerant.c - the bad-range list, the tolerant view and the exit
 * status of a scan over incomplete evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/imgwrap.h"
#include "evidence/tolerant.h"
#include "report/report.h"

static void test_merge(void **state)
{
    (void)state;
    ms_badlist b = { 0 };
    ms_badlist_add(&b, 100, 10, MS_BAD_READ_ERROR);
    ms_badlist_add(&b, 0, 10, MS_BAD_READ_ERROR);
    ms_badlist_add(&b, 110, 5, MS_BAD_READ_ERROR);   /* adjacent: merged */
    assert_int_equal(b.n, 2);
    assert_true(b.r[0].off == 0 && b.r[0].len == 10);
    assert_true(b.r[1].off == 100 && b.r[1].len == 15);
    ms_badlist_add(&b, 5, 100, MS_BAD_READ_ERROR);   /* bridges both */
    assert_int_equal(b.n, 1);
    assert_true(b.r[0].off == 0 && b.r[0].len == 115);
    ms_badlist_add(&b, 20, 10, MS_BAD_READ_ERROR);   /* inside: no change */
    assert_int_equal(b.n, 1);
    ms_badlist_add(&b, 200, 0, MS_BAD_READ_ERROR);   /* empty: ignored */
    assert_int_equal(b.n, 1);
    /* another cause next to it stays its own range */
    ms_badlist_add(&b, 115, 5, MS_BAD_PAST_END);
    assert_int_equal(b.n, 2);
    assert_true(!strcmp(b.r[1].cause, MS_BAD_PAST_END));
    assert_true(ms_badlist_overlap(&b, 110, 20) == 10);
    assert_true(ms_badlist_overlap(&b, 120, 20) == 0);
    ms_badlist_free(&b);
}

static void test_bound(void **state)
{
    (void)state;
    ms_badlist b = { 0 };
    for (uint64_t i = 0; i < MS_BADLIST_MAX + 100; i++)
        ms_badlist_add(&b, i * 10, 1, MS_BAD_READ_ERROR);
    assert_true(b.n <= MS_BADLIST_MAX);
    assert_true(b.coarsened);
    /* nothing lost: every added byte is still covered */
    for (uint64_t i = 0; i < MS_BADLIST_MAX + 100; i++)
        assert_true(ms_badlist_overlap(&b, i * 10, 1) == 1);
    for (size_t i = 1; i < b.n; i++)
        assert_true(b.r[i - 1].off + b.r[i - 1].len <= b.r[i].off);
    ms_badlist_free(&b);
}

/* A 64 KiB source whose bytes 8192..12287 fail to read. */
static ssize_t src_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    (void)ctx;
    if (off < 12288 && off + len > 8192) {
        if (off >= 8192)
            return -1;
        len = (size_t)(8192 - off);   /* short read up to the hole */
    }
    memset(buf, 0xab, len);
    return (ssize_t)len;
}

static void test_view(void **state)
{
    (void)state;
    TSK_IMG_INFO *src = NULL, *v = NULL;
    ms_badlist b = { 0 };
    assert_int_equal(ms_imgwrap_open(NULL, 65536, 512, src_read, NULL, &src),
                     MS_OK);
    assert_int_equal(ms_tolerant_open(src, 65536 + 32768, &b, &v), MS_OK);
    /* the tail past the end is listed at once */
    assert_int_equal(b.n, 1);
    assert_true(b.r[0].off == 65536 && b.r[0].len == 32768 &&
                !strcmp(b.r[0].cause, MS_BAD_PAST_END));
    static char buf[98304];
    assert_int_equal(tsk_img_read(v, 0, buf, sizeof buf), (ssize_t)sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++) {
        char want = (i >= 8192 && i < 12288) || i >= 65536 ? 0 : (char)0xab;
        if (buf[i] != want)
            fail_msg("byte %zu is %d", i, buf[i]);
    }
    assert_int_equal(b.n, 2);
    assert_true(b.r[0].off == 8192 && b.r[0].len == 4096 &&
                !strcmp(b.r[0].cause, MS_BAD_READ_ERROR));
    tsk_img_close(v);
    tsk_img_close(src);
    ms_badlist_free(&b);
}

static void test_exit_status(void **state)
{
    (void)state;
    ms_volume vol = { .state = MS_VOL_EXAMINED, .length = 100, .partial = 1 };
    ms_unreadable u = { .offset = 50, .length = 50 };
    ms_scan s = { 0 };
    ms_summary sum;
    s.volumes = &vol;
    s.nvolumes = 1;
    assert_int_equal(ms_summary_compute(&s, &sum), MS_OK);
    assert_int_equal(sum.exit_status, MS_EXIT_CLEAN);
    s.unreadable = &u;
    s.nunreadable = 1;
    s.evidence_incomplete = 1;
    assert_int_equal(ms_summary_compute(&s, &sum), MS_OK);
    assert_int_equal(sum.exit_status, MS_EXIT_INCOMPLETE);
    assert_string_equal(sum.verdict, "incomplete");
    assert_true(sum.evidence_incomplete && sum.unreadable_bytes == 50 &&
                sum.volumes_partial == 1);
    char *alert = ms_report_incomplete_alert(&s);
    assert_non_null(alert);
    assert_non_null(strstr(alert, "EVIDENCE INCOMPLETE: 50 bytes"));
    free(alert);
    vol.state = MS_VOL_NOT_EXAMINED;   /* nothing examined at all */
    assert_int_equal(ms_summary_compute(&s, &sum), MS_OK);
    assert_int_equal(sum.exit_status, MS_EXIT_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_exit_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
