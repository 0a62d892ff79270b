/* test_yarascan.c - rule compilation, provenance, scanning, severity.
 *
 * Rule files are written to a fresh mkdtemp() directory under /tmp.  The
 * project rule file is looked up via $MS_RULES_FILE, else
 * rules/mumblehard.yar or ../rules/mumblehard.yar; that test is skipped
 * when none exists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include <pthread.h>

#include "detection/yarascan.h"

typedef struct fx {
    char dir[64];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/ms_yarascan_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char cmd[128];
    /* the directory is ours (mkdtemp) and only holds test files */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Write text to dir/name (name may contain one subdirectory). */
static char *put(const fx *f, const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    if (access(path, F_OK) != 0)
        assert_int_equal(mkdir(path, 0700), 0);
    *slash = '/';
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    return path;
}

static void sha256_hex(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned n = 0;
    assert_int_equal(EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL), 1);
    for (unsigned i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", md[i]);
}

static ms_rules *compile1(const char *path)
{
    ms_rules *r = NULL;
    char *err = NULL;
    const char *paths[] = { path };
    ms_err e = ms_rules_compile(paths, 1, &r, &err);
    if (e)
        fail_msg("compile failed: %s", err ? err : "?");
    assert_null(err);
    return r;
}

static const char RULES_A[] =
    "rule hexy : t1 t2 {\n"
    "  meta: severity = \"malicious\"\n"
    "  strings: $word = \"MUMBLE\" $hex = { de ad be ef }\n"
    "  condition: any of them\n"
    "}\n"
    "rule sizey {\n"
    "  meta: severity = \"Info\"\n"
    "  condition: filesize > 10\n"
    "}\n"
    "rule graded { meta: severity = \"suspicious\" "
    "strings: $ = \"MUMBLE\" condition: all of them }\n"
    "rule ungraded { strings: $u = \"zzz\" condition: $u }\n"
    "private rule hidden { condition: true }\n";

static void test_scan_matches(void **state)
{
    fx *f = *state;
    ms_rules *r = compile1(put(f, "alpha.yar", RULES_A));
    static const uint8_t buf[] = "xxMUMBLEyy\xde\xad\xbe\xef..MUMBLE";
    ms_yara_match *m = NULL;
    size_t n = 0;
    assert_int_equal(ms_rules_scan(r, buf, sizeof buf - 1, &m, &n), MS_OK);
    /* hexy: $word@2, $word@16, $hex@10; sizey: condition only;
     * graded: anonymous $ twice.  Rule order, then string order. */
    assert_int_equal(n, 6);
    assert_string_equal(m[0].rule, "hexy");
    assert_string_equal(m[0].ns, "alpha");
    assert_string_equal(m[0].string_id, "$word");
    assert_int_equal(m[0].offset, 2);
    assert_string_equal(m[0].data_hex, "4d554d424c45");
    assert_string_equal(m[1].string_id, "$word");
    assert_int_equal(m[1].offset, 16);
    assert_string_equal(m[2].string_id, "$hex");
    assert_int_equal(m[2].offset, 10);
    assert_string_equal(m[2].data_hex, "deadbeef");
    assert_string_equal(m[3].rule, "sizey");
    assert_string_equal(m[3].string_id, "");
    assert_int_equal(m[3].offset, 0);
    assert_string_equal(m[3].data_hex, "");
    assert_string_equal(m[4].rule, "graded");
    assert_string_equal(m[4].string_id, "$");
    ms_yara_matches_free(m, n);

    /* nothing matches in a short clean buffer; empty buffer is fine too */
    assert_int_equal(ms_rules_scan(r, (const uint8_t *)"clean", 5, &m, &n),
                     MS_OK);
    assert_int_equal(n, 0);
    assert_null(m);
    assert_int_equal(ms_rules_scan(r, NULL, 0, &m, &n), MS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(ms_rules_scan(r, NULL, 3, &m, &n), MS_ERR_ARG);
    ms_rules_free(r);
}

/* One scanner per thread, reused over many buffers: same matches as the
 * one-shot call, and no state carried from one buffer to the next. */
typedef struct ys_arg {
    const ms_rules *r;
    size_t hits, clean;
    int bad;
} ys_arg;

static void *ys_thread(void *p)
{
    ys_arg *a = p;
    static const uint8_t hit[] = "xxMUMBLEyy\xde\xad\xbe\xef..MUMBLE";
    ms_yscanner *ys = NULL;
    if (ms_yscanner_new(a->r, 10, 64, &ys) != MS_OK) {
        a->bad = 1;
        return NULL;
    }
    for (int i = 0; i < 200; i++) {
        ms_yara_match *m = NULL;
        size_t n = 0;
        unsigned st = 0;
        int odd = i & 1;
        if (ms_yscanner_scan(ys, odd ? (const uint8_t *)"clean" : hit,
                             odd ? 5 : sizeof hit - 1, &m, &n, &st) != MS_OK ||
            st != 0)
            a->bad = 1;
        else if (odd ? n == 0 && !m : n == 6 && !strcmp(m[0].rule, "hexy"))
            odd ? a->clean++ : a->hits++;
        else
            a->bad = 1;
        ms_yara_matches_free(m, n);
    }
    ms_yscanner_free(ys);
    return NULL;
}

static void test_scanner_per_thread(void **state)
{
    fx *f = *state;
    ms_rules *r = compile1(put(f, "alpha.yar", RULES_A));
    ys_arg a[2] = { { .r = r }, { .r = r } };
    pthread_t t[2];
    ms_yscanner *ys = NULL;
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, ys_thread, &a[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_false(a[i].bad);
        assert_int_equal(a[i].hits, 100);
        assert_int_equal(a[i].clean, 100);
    }
    assert_int_equal(ms_yscanner_new(r, 0, 64, &ys), MS_ERR_ARG);
    assert_null(ys);
    ms_rules_free(r);
}

static void test_severity_and_tags(void **state)
{
    fx *f = *state;
    ms_rules *r = compile1(put(f, "alpha.yar", RULES_A));
    assert_int_equal(ms_rules_rule_severity(r, "alpha", "hexy"),
                     MS_SEV_MALICIOUS);
    assert_int_equal(ms_rules_rule_severity(r, NULL, "hexy"), MS_SEV_MALICIOUS);
    assert_int_equal(ms_rules_rule_severity(r, NULL, "sizey"), MS_SEV_INFO);
    assert_int_equal(ms_rules_rule_severity(r, NULL, "graded"),
                     MS_SEV_SUSPICIOUS);
    assert_int_equal(ms_rules_rule_severity(r, NULL, "ungraded"),
                     MS_SEV_SUSPICIOUS);
    assert_int_equal(ms_rules_rule_severity(r, NULL, "nosuchrule"),
                     MS_SEV_SUSPICIOUS);
    /* wrong namespace: not the malicious rule */
    assert_false(ms_rules_rule_is_malicious(r, "other", "hexy"));
    assert_true(ms_rules_rule_is_malicious(r, "alpha", "hexy"));
    assert_false(ms_rules_rule_is_malicious(r, "alpha", "graded"));
    assert_true(ms_rules_rule_has_tag(r, NULL, "hexy", "t2"));
    assert_false(ms_rules_rule_has_tag(r, NULL, "hexy", "t3"));
    assert_false(ms_rules_rule_has_tag(r, NULL, "sizey", "t1"));
    assert_false(ms_rules_rule_has_tag(r, NULL, "hidden", "t1"));
    ms_rules_free(r);
}

static void test_hex_cap_and_match_cap(void **state)
{
    fx *f = *state;
    ms_rules *r = compile1(put(f, "caps.yar",
        "rule long { strings: $l = /B{100}/ condition: $l }\n"
        "rule many { strings: $a = \"A\" condition: $a }\n"));
    uint8_t buf[300];
    ms_yara_match *m = NULL;
    size_t n = 0;
    unsigned st = 0;
    memset(buf, 'A', 200);
    memset(buf + 200, 'B', 100);
    /* default limits: "many" has 200 hits but keeps 16; flagged LIMIT */
    assert_int_equal(ms_rules_scan(r, buf, sizeof buf, &m, &n), MS_ERR_LIMIT);
    assert_int_equal(n, 1 + 16);
    assert_string_equal(m[0].rule, "long");
    assert_int_equal(m[0].offset, 200);
    assert_int_equal(strlen(m[0].data_hex), 2 * MS_YARA_HEX_MAX);
    assert_int_equal(strspn(m[0].data_hex, "42"), 2 * MS_YARA_HEX_MAX);
    assert_string_equal(m[1].rule, "many");
    ms_yara_matches_free(m, n);
    /* explicit cap of 3 entries in total */
    assert_int_equal(ms_rules_scan_ex(r, buf, sizeof buf, 10, 3, &m, &n, &st),
                     MS_OK);
    assert_int_equal(n, 3);
    assert_true(st & MS_YSCAN_TRUNCATED);
    assert_false(st & MS_YSCAN_TIMEOUT);
    ms_yara_matches_free(m, n);
    assert_int_equal(ms_rules_scan_ex(r, buf, 10, 10, 0, &m, &n, &st),
                     MS_ERR_ARG);
    ms_rules_free(r);
}

static void test_compile_errors(void **state)
{
    fx *f = *state;
    ms_rules *r = NULL;
    char *err = NULL;
    put(f, "errs/a_good.yar", "rule ok { condition: true }\n");
    put(f, "errs/b_bad.yar", "rule bad {\n  condition:\n    $nope\n}\n");
    put(f, "errs/c_bad.yar", "rule worse {\n condition: true\n");
    char dir[128];
    snprintf(dir, sizeof dir, "%s/errs", f->dir);
    const char *paths[] = { dir };
    assert_int_equal(ms_rules_compile(paths, 1, &r, &err), MS_ERR_YARA);
    assert_null(r);
    assert_non_null(err);
    /* both broken files are reported, with file and line */
    assert_non_null(strstr(err, "b_bad.yar:4: rule \"bad\": "));
    assert_non_null(strstr(err, "$nope"));
    assert_non_null(strstr(err, "c_bad.yar:"));
    assert_null(strstr(err, "a_good"));
    free(err);

    const char *missing[] = { "/nonexistent/ms_rules.yar" };
    assert_int_equal(ms_rules_compile(missing, 1, &r, &err),
                     MS_ERR_NOT_FOUND);
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent/ms_rules.yar"));
    free(err);

    put(f, "empty/readme.txt", "no rules here\n");
    snprintf(dir, sizeof dir, "%s/empty", f->dir);
    assert_int_equal(ms_rules_compile(paths, 1, &r, &err), MS_ERR_ARG);
    free(err);
    assert_int_equal(ms_rules_compile(paths, 1, NULL, NULL), MS_ERR_ARG);
}

static void test_directory_order_and_provenance(void **state)
{
    fx *f = *state;
    static const char a[] = "rule ra { strings: $ = \"AAA\" condition: all of them }\n";
    static const char b[] = "rule rb { strings: $ = \"AAA\" condition: all of them }\n";
    static const char c[] = "rule rc { strings: $ = \"AAA\" condition: all of them }\n";
    put(f, "d/b.yar", b);
    put(f, "d/c.yara", c);
    put(f, "d/a.yar", a);
    put(f, "d/notes.txt", "rule junk { condition: nonsense }\n");
    put(f, "d/.hidden.yar", "this is not yara\n");
    put(f, "e/a.yar", "rule ra { condition: false }\n");
    char d[128], e2[128];
    snprintf(d, sizeof d, "%s/d", f->dir);
    snprintf(e2, sizeof e2, "%s/e/a.yar", f->dir);
    const char *paths[] = { d, e2 };
    ms_rules *r = NULL;
    char *err = NULL;
    assert_int_equal(ms_rules_compile(paths, 2, &r, &err), MS_OK);
    assert_null(err);
    assert_int_equal(ms_rules_file_count(r), 4);
    const char *want[] = { "/d/a.yar", "/d/b.yar", "/d/c.yara", "/e/a.yar" };
    const char *text[] = { a, b, c, "rule ra { condition: false }\n" };
    for (size_t i = 0; i < 4; i++) {
        char hex[65];
        const char *p = ms_rules_file_path(r, i);
        size_t pl = strlen(p), wl = strlen(want[i]);
        assert_true(pl > wl && !strcmp(p + pl - wl, want[i]));
        sha256_hex(text[i], hex);
        assert_string_equal(ms_rules_file_sha256(r, i), hex);
    }
    assert_null(ms_rules_file_path(r, 4));
    /* same basename twice: distinct namespaces, same rule name allowed */
    assert_string_equal(ms_rules_file_namespace(r, 0), "a");
    assert_string_equal(ms_rules_file_namespace(r, 2), "c");
    assert_string_equal(ms_rules_file_namespace(r, 3), "a_2");
    ms_yara_match *m = NULL;
    size_t n = 0;
    assert_int_equal(ms_rules_scan(r, (const uint8_t *)"AAA", 3, &m, &n), MS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(m[0].rule, "ra");
    assert_string_equal(m[0].ns, "a");
    assert_string_equal(m[1].rule, "rb");
    assert_string_equal(m[2].rule, "rc");
    ms_yara_matches_free(m, n);
    ms_rules_free(r);
}

/* libyara is reference counted: freeing one rule set must not break another. */
static void test_two_rule_sets(void **state)
{
    fx *f = *state;
    ms_rules *r1 = compile1(put(f, "one.yar", "rule one { strings: $ = \"x1\" condition: all of them }\n"));
    ms_rules *r2 = compile1(put(f, "two.yar", "rule two { strings: $ = \"x2\" condition: all of them }\n"));
    ms_yara_match *m = NULL;
    size_t n = 0;
    ms_rules_free(r1);
    assert_int_equal(ms_rules_scan(r2, (const uint8_t *)"..x2..", 6, &m, &n),
                     MS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].rule, "two");
    assert_int_equal(m[0].offset, 2);
    ms_yara_matches_free(m, n);
    ms_rules_free(r2);
    /* and the library comes back after a full finalize */
    ms_rules *r3 = compile1(put(f, "three.yar", "rule three { condition: true }\n"));
    assert_int_equal(ms_rules_scan(r3, (const uint8_t *)"a", 1, &m, &n), MS_OK);
    assert_int_equal(n, 1);
    ms_yara_matches_free(m, n);
    ms_rules_free(r3);
    assert_int_equal(strncmp(ms_yara_version(), "4.", 2), 0);
}

/* ---- the project's rule file ------------------------------------------ */

static const char *project_rules(void)
{
    const char *env = getenv("MS_RULES_FILE");
    if (env && access(env, R_OK) == 0)
        return env;
    if (access("rules/mumblehard.yar", R_OK) == 0)
        return "rules/mumblehard.yar";
    if (access("../rules/mumblehard.yar", R_OK) == 0)
        return "../rules/mumblehard.yar";
    return NULL;
}

static const uint8_t LOOP[] = {
    0x31, 0xdb, 0x43, 0x43, 0xba, 0x10, 0, 0, 0, 0x89, 0xf7,
    0x39, 0xd3, 0x75, 0x13, 0x81, 0xfa, 0x80, 0x01, 0, 0, 0x75, 0x02,
    0x31, 0xd2, 0x81, 0xc2, 0x10, 0, 0, 0, 0x31, 0xdb, 0x43, 0xac, 0x30,
    0xd8, 0xaa, 0x43, 0xe2, 0xe2
};

static void test_project_rule(void **state)
{
    const char *path = project_rules();
    (void)state;
    if (!path)
        skip();
    ms_rules *r = compile1(path);
    uint8_t buf[128] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 9 };
    ms_yara_match *m = NULL;
    size_t n = 0;
    buf[16] = 2;
    buf[18] = 3;
    memcpy(buf + 60, LOOP, sizeof LOOP);
    assert_int_equal(ms_rules_scan(r, buf, sizeof buf, &m, &n), MS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].rule, "Mumblehard_Packer_DecryptLoop");
    assert_int_equal(m[0].offset, 60 + 9);       /* at mov edi, esi */
    assert_true(ms_rules_rule_is_malicious(r, m[0].ns, m[0].rule));
    ms_yara_matches_free(m, n);

    /* same bytes behind an x86-64 header: only the raw, suspicious rule */
    buf[18] = 62;
    assert_int_equal(ms_rules_scan(r, buf, sizeof buf, &m, &n), MS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].rule, "Mumblehard_Packer_DecryptLoop_Raw");
    assert_true(ms_rules_rule_has_tag(r, m[0].ns, m[0].rule, "raw"));
    assert_int_equal(ms_rules_rule_severity(r, m[0].ns, m[0].rule),
                     MS_SEV_SUSPICIOUS);
    ms_yara_matches_free(m, n);

    /* one byte off (lodsb gone): nothing */
    buf[18] = 3;
    buf[60 + 34] = 0x90;
    assert_int_equal(ms_rules_scan(r, buf, sizeof buf, &m, &n), MS_OK);
    assert_int_equal(n, 0);
    ms_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_matches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_severity_and_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scanner_per_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hex_cap_and_match_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compile_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_order_and_provenance,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_rule_sets, setup, teardown),
        cmocka_unit_test(test_project_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
