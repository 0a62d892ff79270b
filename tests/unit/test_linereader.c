/* test_linereader.c - whole-file line reading with bounded lines, and the
 * crontab raw scan (padding, windowed indicators) built on it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_rawscan.h"
#include "artifacts/linereader.h"

#define MAXL 64

typedef struct got {
    ms_line l[MAXL];
    char text[MAXL][40];
    size_t n;
    size_t stop_at;    /* stop after this many lines (0: never) */
} got;

static int on_line(void *user, const ms_line *l)
{
    got *g = user;
    assert_true(l->kept <= 32);
    assert_int_equal(l->data[l->kept], '\0');
    if (g->n < MAXL) {
        g->l[g->n] = *l;
        memcpy(g->text[g->n], l->data, l->kept + 1);
    }
    g->n++;
    return g->stop_at && g->n == g->stop_at;
}

/* A source that hands out at most `chunk` bytes per call and fails at
 * `fail_at` (0: never). */
typedef struct dribble {
    ms_lines_mem m;
    size_t chunk;
    uint64_t fail_at;
} dribble;

static ssize_t dribble_read(void *src, uint64_t off, void *buf, size_t len)
{
    dribble *d = src;
    if (d->fail_at && off >= d->fail_at)
        return -1;
    return ms_lines_mem_read(&d->m, off, buf, len < d->chunk ? len
                                                             : d->chunk);
}

static got *read_text(const char *text, size_t len, size_t keep,
                      size_t chunk, ms_lines_stats *st)
{
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    dribble d = { { (const uint8_t *)text, len }, chunk, 0 };
    assert_int_equal(ms_lines_read(dribble_read, &d, keep, on_line, NULL, g,
                                   st), MS_OK);
    return g;
}

static void test_lines_basic(void **state)
{
    (void)state;
    static const char text[] = "a\n\nbc\r\nlast";
    /* the same lines whatever the read sizes */
    for (size_t chunk = 1; chunk <= 16; chunk++) {
        ms_lines_stats st;
        got *g = read_text(text, sizeof text - 1, 32, chunk, &st);
        assert_int_equal(g->n, 4);
        assert_int_equal(st.lines, 4);
        assert_int_equal(st.bytes, sizeof text - 1);
        assert_string_equal(g->text[0], "a");
        assert_int_equal(g->l[1].len, 0);
        assert_int_equal(g->l[1].offset, 2);
        assert_string_equal(g->text[2], "bc\r");
        assert_int_equal(g->l[2].number, 3);
        assert_int_equal(g->l[2].ctrl, 0);   /* CR is text */
        assert_string_equal(g->text[3], "last");
        assert_int_equal(g->l[3].has_newline, 0);
        assert_int_equal(g->l[3].offset, 7);
        free(g);
    }
    /* a final newline ends the last line: no empty line after it */
    ms_lines_stats st;
    got *g = read_text("x\n", 2, 32, 64, &st);
    assert_int_equal(g->n, 1);
    assert_int_equal(g->l[0].has_newline, 1);
    free(g);
    g = read_text("", 0, 32, 64, &st);
    assert_int_equal(g->n, 0);
    free(g);
}

/* A line longer than `keep` keeps its first bytes, its true length and
 * offset; the lines after it are whole. */
static void test_lines_bound(void **state)
{
    (void)state;
    size_t big = 3 * MS_LINES_BLOCK + 123;
    char *text = malloc(big + 64);
    assert_non_null(text);
    strcpy(text, "one\n");
    memset(text + 4, 'p', big);
    text[4 + 10] = '\0';
    text[4 + 2 * MS_LINES_BLOCK] = '\0';
    text[4 + 20] = '\x01';
    text[4 + 40] = '\x7f';
    strcpy(text + 4 + big, "\n*/15 * * * * /x\n");
    size_t len = 4 + big + 17;
    for (size_t chunk = 4096; chunk <= 2 * MS_LINES_BLOCK; chunk *= 4) {
        ms_lines_stats st;
        got *g = read_text(text, len, 32, chunk, &st);
        assert_int_equal(g->n, 3);
        assert_int_equal(g->l[1].len, big);
        assert_int_equal(g->l[1].kept, 32);
        assert_int_equal(g->l[1].offset, 4);
        assert_int_equal(g->l[1].nuls, 2);
        assert_int_equal(g->l[1].first_nul, 10);
        assert_int_equal(g->l[1].ctrl, 2);
        assert_int_equal(g->l[1].first_ctrl, 20);
        assert_memory_equal(g->text[1], "pppppppppp\0ppppppppp\x01", 21);
        assert_string_equal(g->text[2], "*/15 * * * * /x");
        assert_int_equal(g->l[2].number, 3);
        assert_int_equal(g->l[2].offset, 4 + big + 1);
        assert_int_equal(st.bytes, len);
        free(g);
    }
    free(text);
}

static void test_lines_stop_and_errors(void **state)
{
    (void)state;
    static const char text[] = "a\nb\nc\nd\n";
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    g->stop_at = 2;
    ms_lines_mem m = { (const uint8_t *)text, sizeof text - 1 };
    ms_lines_stats st;
    assert_int_equal(ms_lines_read(ms_lines_mem_read, &m, 32, on_line, NULL,
                                   g, &st), MS_OK);
    assert_int_equal(g->n, 2);
    assert_true(st.stopped);
    assert_int_equal(st.bytes, 4);
    free(g);

    /* a failing source: the lines before the failure are delivered */
    g = calloc(1, sizeof *g);
    assert_non_null(g);
    dribble d = { { (const uint8_t *)text, sizeof text - 1 }, 1, 5 };
    assert_int_equal(ms_lines_read(dribble_read, &d, 32, on_line, NULL, g,
                                   &st), MS_OK);
    assert_true(st.read_error);
    assert_int_equal(g->n, 3);     /* "a", "b", and "c" cut at the failure */
    assert_string_equal(g->text[2], "c");
    assert_int_equal(g->l[2].has_newline, 0);
    free(g);

    assert_int_equal(ms_lines_read(NULL, &m, 32, on_line, NULL, NULL, &st),
                     MS_ERR_ARG);
    assert_int_equal(ms_lines_read(ms_lines_mem_read, &m, 0, on_line, NULL,
                                   NULL, &st), MS_ERR_ARG);
}

/* ---- the crontab raw scan --------------------------------------------- */

static int both_line(void *r, const ms_line *l) { return ms_rawscan_line(r, l); }

static void rawscan(const char *text, size_t len, ms_reason **rs, size_t *n)
{
    ms_rawscan *r = NULL;
    assert_int_equal(ms_rawscan_new(&r), MS_OK);
    ms_lines_mem m = { (const uint8_t *)text, len };
    assert_int_equal(ms_lines_read(ms_lines_mem_read, &m, 16, both_line,
                                   ms_rawscan_block, r, NULL), MS_OK);
    *rs = NULL;
    *n = 0;
    assert_int_equal(ms_rawscan_finish(r, rs, n), MS_OK);
    ms_rawscan_free(r);
}

static void free_reasons(ms_reason *rs, size_t n)
{
    ms_reasons_free(rs, n);
}

static void test_rawscan_clean(void **state)
{
    (void)state;
    ms_reason *rs;
    size_t n;
    static const char text[] = "SHELL=/bin/sh\n\t# comment\n"
                               "*/15 * * * * /usr/bin/true\r\n";
    rawscan(text, sizeof text - 1, &rs, &n);
    assert_int_equal(n, 0);
    free_reasons(rs, n);
}

static void test_rawscan_padding(void **state)
{
    (void)state;
    size_t len = (2u << 20) + 100;
    char *text = malloc(len + 1);
    assert_non_null(text);
    memset(text, ' ', len);
    memcpy(text, "# x\n", 4);
    text[5000] = '\n';               /* line 2: 4995 bytes at offset 4 */
    memset(text + 6000, 0, 300);     /* line 3 at 5001: NULs at 6000 */
    text[7000] = '\n';
    text[7100] = '\x1b';             /* line 4 at 7001: control at 7100 */
    text[7200] = '\n';
    /* a known indicator straddling the first window's end */
    size_t ioc = (1u << 20) - 5;
    memcpy(text + ioc - 1, "\n194.54.81.163\n", 15);
    text[len - 1] = '\n';
    ms_reason *rs;
    size_t n;
    rawscan(text, len, &rs, &n);
    assert_int_equal(n, 2);
    assert_string_equal(rs[0].code, "CRONTAB_PADDING");
    assert_int_equal(rs[0].severity, MS_SEV_SUSPICIOUS);
    const char *t = rs[0].text;
    char want[128];
    snprintf(want, sizeof want, "the file is %zu bytes (real", len);
    assert_non_null(strstr(t, want));
    assert_non_null(strstr(t, "line 2 (byte offset 4) is 4996 bytes long"));
    assert_non_null(strstr(t, "line 3 (byte offset 5001) is 1999 bytes long, "
                              "300 NUL bytes from byte offset 6000"));
    assert_non_null(strstr(t, "line 4 (byte offset 7001) is 199 bytes long, "
                              "1 control bytes from byte offset 7100"));
    assert_string_equal(rs[1].code, "C2_INDICATOR");
    assert_non_null(strstr(rs[1].text, "194.54.81.163 at line 6"));
    free_reasons(rs, n);

    /* the same indicator just after the window's tail starts, and twice */
    memset(text, 'a', len);
    for (size_t i = 80; i < len; i += 80)
        text[i] = '\n';
    size_t at[] = { (1u << 20) - 1024 - 3, (1u << 20) + 5000 };
    for (size_t i = 0; i < 2; i++)
        memcpy(text + at[i], " 194.54.81.162 ", 15);
    rawscan(text, len, &rs, &n);
    size_t c2 = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rs[i].code, "C2_INDICATOR")) {
            c2++;
            snprintf(want, sizeof want, "194.54.81.162 at line %zu",
                     (at[0] + 1) / 80 + 1);
            assert_non_null(strstr(rs[i].text, want));
        }
    assert_int_equal(c2, 1);
    free_reasons(rs, n);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_basic),
        cmocka_unit_test(test_lines_bound),
        cmocka_unit_test(test_lines_stop_and_errors),
        cmocka_unit_test(test_rawscan_clean),
        cmocka_unit_test(test_rawscan_padding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
