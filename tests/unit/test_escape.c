/* test_escape.c - escaping of hostile bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/escape.h"

#define S(lit) lit, sizeof(lit) - 1

static void text_is(const char *in, size_t len, const char *want)
{
    char *o = ms_escape_text(in, len);
    assert_non_null(o);
    assert_string_equal(o, want);
    free(o);
}

static void body_is(const char *in, size_t len, const char *want)
{
    char *o = ms_escape_bodyfile(in, len);
    assert_non_null(o);
    assert_string_equal(o, want);
    free(o);
}

static void html_is(const char *in, size_t len, const char *want)
{
    char *o = ms_escape_html(in, len);
    assert_non_null(o);
    assert_string_equal(o, want);
    free(o);
}

/* Inverse of the text escaping, to prove it loses nothing.  Returns the
 * decoded length, or (size_t)-1 on a malformed escape. */
static size_t unescape(const char *s, char *out)
{
    size_t n = 0;
    while (*s) {
        if (*s != '\\') {
            out[n++] = *s++;
            continue;
        }
        s++;
        switch (*s) {
        case '\\': out[n++] = '\\'; s++; break;
        case 'n': out[n++] = '\n'; s++; break;
        case 't': out[n++] = '\t'; s++; break;
        case 'r': out[n++] = '\r'; s++; break;
        case 'x': {
            unsigned v;
            if (sscanf(s + 1, "%2x", &v) != 1 || !s[1] || !s[2])
                return (size_t)-1;
            out[n++] = (char)v;
            s += 3;
            break;
        }
        default:
            return (size_t)-1;
        }
    }
    return n;
}

/* 1 if already validated UTF-8 holds a control or bidi code point. */
static int has_dangerous_cp(const unsigned char *s)
{
    while (*s) {
        uint32_t cp;
        if (*s < 0x80) {
            cp = *s++;
        } else if (*s < 0xe0) {
            cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
            s += 2;
        } else if (*s < 0xf0) {
            cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
                 (s[2] & 0x3f);
            s += 3;
        } else {
            cp = (uint32_t)(s[0] & 0x07) << 18 |
                 (uint32_t)(s[1] & 0x3f) << 12 |
                 (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
            s += 4;
        }
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
            (cp >= 0x202a && cp <= 0x202e) ||
            (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
            cp == 0xfeff)
            return 1;
    }
    return 0;
}

static void test_ascii(void **state)
{
    (void)state;
    text_is(S("plain /var/tmp/qCVwOWA >/dev/null 2>&1"),
            "plain /var/tmp/qCVwOWA >/dev/null 2>&1");
    text_is(S("a\\b"), "a\\\\b");
    text_is(S("\\x41"), "\\\\x41"); /* unambiguous */
    text_is(S("l1\nl2\tx\r"), "l1\\nl2\\tx\\r");
    text_is(S("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
    text_is(S("\x7f\x01\x1f"), "\\x7f\\x01\\x1f");
    text_is(S("a\0b"), "a\\x00b");
    text_is(S("a|b"), "a|b");
    text_is(NULL, 0, "");
    text_is(S(""), "");
    assert_null(ms_escape_text(NULL, 3));
    /* len, not NUL, ends the input */
    text_is("abcdef", 3, "abc");
}

static void test_utf8_classes(void **state)
{
    (void)state;
    text_is(S("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
    /* C1 controls U+0080..U+009F, but U+00A0 passes */
    text_is(S("\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0"),
            "\\xc2\\x80\\xc2\\x9b\\xc2\\x9f\xc2\xa0");
    /* bidi overrides and isolates */
    text_is(S("a\xe2\x80\xaa" "b\xe2\x80\xae" "c"),
            "a\\xe2\\x80\\xaab\\xe2\\x80\\xaec");
    text_is(S("\xe2\x81\xa6\xe2\x81\xa9"),
            "\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
    /* invisible marks: LRM, RLM, ALM, BOM */
    text_is(S("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xef\xbb\xbf"),
            "\\xe2\\x80\\x8e\\xe2\\x80\\x8f\\xd8\\x9c\\xef\\xbb\\xbf");
    /* neighbours of the ranges pass: U+2029 is escaped, U+2030 is not,
     * U+2065 escaped, U+206A not */
    text_is(S("\xe2\x80\xa9\xe2\x80\xb0\xe2\x81\xaa"),
            "\\xe2\\x80\\xa9\xe2\x80\xb0\xe2\x81\xaa");
    /* the example an examiner must not be fooled by: txt.exe */
    text_is(S("report\xe2\x80\xaetxt.exe"), "report\\xe2\\x80\\xaetxt.exe");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    text_is(S("\xc0\xaf"), "\\xc0\\xaf");                 /* overlong / */
    text_is(S("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");         /* overlong */
    text_is(S("\xed\xa0\x80"), "\\xed\\xa0\\x80");         /* surrogate */
    text_is(S("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* >10FFFF */
    text_is(S("\xf5\x80"), "\\xf5\\x80");
    text_is(S("\x80x"), "\\x80x");                        /* stray cont. */
    text_is(S("\xff\xfe"), "\\xff\\xfe");
    /* truncated sequence, then a good one: resynchronises */
    text_is(S("\xe2\x80" "A\xc3\xa9"), "\\xe2\\x80A\xc3\xa9");
    text_is(S("x\xc3"), "x\\xc3");                        /* cut at end */
}

static void test_bodyfile(void **state)
{
    (void)state;
    body_is(S("0|/tmp/a|b|1"), "0\\x7c/tmp/a\\x7cb\\x7c1");
    body_is(S("a\nb\\|"), "a\\nb\\\\\\x7c");
    body_is(S("\xc3\xa9"), "\xc3\xa9");
    body_is(S("\x1b"), "\\x1b");
}

static void test_html(void **state)
{
    (void)state;
    html_is(S("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    html_is(S("\x1b<\\"), "\\x1b&lt;\\\\");
    html_is(S("\xe2\x80\xae"), "\\xe2\\x80\\xae");
    html_is(S("ok \xc3\xa9"), "ok \xc3\xa9");
    html_is(NULL, 0, "");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(ms_utf8_valid(S("")));
    assert_true(ms_utf8_valid(NULL, 0));
    assert_false(ms_utf8_valid(NULL, 1));
    assert_true(ms_utf8_valid(S("abc\0def")));
    assert_true(ms_utf8_valid(S("\xc2\x80")));          /* U+0080 */
    assert_true(ms_utf8_valid(S("\xdf\xbf")));          /* U+07FF */
    assert_true(ms_utf8_valid(S("\xe0\xa0\x80")));      /* U+0800 */
    assert_true(ms_utf8_valid(S("\xed\x9f\xbf")));      /* U+D7FF */
    assert_true(ms_utf8_valid(S("\xee\x80\x80")));      /* U+E000 */
    assert_true(ms_utf8_valid(S("\xf0\x90\x80\x80")));  /* U+10000 */
    assert_true(ms_utf8_valid(S("\xf4\x8f\xbf\xbf")));  /* U+10FFFF */
    assert_false(ms_utf8_valid(S("\xc0\x80")));         /* overlong NUL */
    assert_false(ms_utf8_valid(S("\xc1\xbf")));
    assert_false(ms_utf8_valid(S("\xe0\x9f\xbf")));
    assert_false(ms_utf8_valid(S("\xf0\x8f\xbf\xbf")));
    assert_false(ms_utf8_valid(S("\xed\xa0\x80")));     /* U+D800 */
    assert_false(ms_utf8_valid(S("\xed\xbf\xbf")));     /* U+DFFF */
    assert_false(ms_utf8_valid(S("\xf4\x90\x80\x80"))); /* U+110000 */
    assert_false(ms_utf8_valid(S("\xf5\x80\x80\x80")));
    assert_false(ms_utf8_valid(S("\xff")));
    assert_false(ms_utf8_valid(S("\x80")));
    assert_false(ms_utf8_valid(S("\xc3")));
    assert_false(ms_utf8_valid(S("\xe2\x82")));
    assert_false(ms_utf8_valid(S("\xe2\x82\x41")));
    /* length bounds the read: the valid 2-byte char is cut */
    assert_false(ms_utf8_valid("\xc3\xa9", 1));
}

static void test_hex(void **state)
{
    (void)state;
    static const unsigned char b[] = { 0x00, 0xff, 0x1a, 0x7f, 0x80 };
    char *h = ms_hex(b, sizeof b);
    assert_non_null(h);
    assert_string_equal(h, "00ff1a7f80");
    free(h);
    h = ms_hex(NULL, 0);
    assert_non_null(h);
    assert_string_equal(h, "");
    free(h);
    assert_null(ms_hex(NULL, 2));
}

/* Random inputs biased towards the interesting bytes. */
static size_t rnd_bytes(uint32_t *x, char *buf, size_t cap)
{
    static const char *pieces[] = {
        "\xe2\x80\xae", "\xe2\x81\xa6", "\xc2\x9b", "\xc3\xa9", "\xef\xbb\xbf",
        "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xaf", "|", "\\", "\\x41",
        "&", "<", "'", "\"", "\x1b[", "\n", "\0",
    };
    size_t n = 0;
    *x ^= *x << 13; *x ^= *x >> 17; *x ^= *x << 5;
    size_t want = *x % cap;
    while (n < want) {
        *x ^= *x << 13; *x ^= *x >> 17; *x ^= *x << 5;
        if (*x % 4 == 0) {
            const char *p = pieces[(*x >> 8) % (sizeof pieces / sizeof *pieces)];
            size_t l = p[0] ? strlen(p) : 1;
            if (n + l > want)
                break;
            memcpy(buf + n, p, l);
            n += l;
        } else {
            buf[n++] = (char)(*x >> 16);
        }
    }
    return n;
}

static void assert_safe(const char *o)
{
    size_t ol = strlen(o);
    for (size_t i = 0; i < ol; i++) {
        unsigned char c = (unsigned char)o[i];
        assert_true(c >= 0x20 && c != 0x7f);
    }
    assert_true(ms_utf8_valid(o, ol));
    assert_false(has_dangerous_cp((const unsigned char *)o));
}

static void test_random_bytes(void **state)
{
    (void)state;
    uint32_t x = 0xC0FFEE;
    char in[96], back[96 * 4 + 1];

    for (int it = 0; it < 20000; it++) {
        size_t n = rnd_bytes(&x, in, sizeof in);

        char *t = ms_escape_text(in, n);
        char *b = ms_escape_bodyfile(in, n);
        char *h = ms_escape_html(in, n);
        assert_non_null(t);
        assert_non_null(b);
        assert_non_null(h);
        assert_safe(t);
        assert_safe(b);
        assert_safe(h);
        assert_null(strchr(b, '|'));
        assert_null(strpbrk(h, "<>\"'"));

        /* nothing is lost: unescaping gives the input back */
        assert_int_equal(unescape(t, back), n);
        assert_memory_equal(back, in, n);
        assert_int_equal(unescape(b, back), n);
        assert_memory_equal(back, in, n);
        /* valid input without specials passes through unchanged */
        if (ms_utf8_valid(in, n) && strlen(t) == n)
            assert_memory_equal(t, in, n);
        free(t);
        free(b);
        free(h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_utf8_classes),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_bodyfile),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
