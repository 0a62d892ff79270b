/* test_unpack.c - the static unpacker against fixtures built by
 * tests/tools/mkpacked ($MKPACKED), which runs the packer's scheme
 * forwards with its own implementation of the key stream: exact round
 * trips over keys, limits, wraps, steps, loop forms, gaps and OS ABIs;
 * every truncation of a stub; malformed stubs; random corruption.  Run
 * under ASan (--enable-sanitizers) every read out of bounds is fatal, and
 * each fixture is copied into a buffer of exactly its size for that. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <sys/stat.h>

#include "detection/extract.h"
#include "detection/unpack.h"
#include "detection/unpack_emu.h"

static char tmpdir[256];

static void put32(uint8_t *p, uint32_t v);

typedef struct fixture {
    uint8_t *p;     /* exactly `len` bytes (ASan-bounded) */
    size_t   len;
    size_t   stub_off, decrypt_off, interp_off, script_off;
} fixture;

static size_t json_num(const char *js, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(js, pat);
    assert_non_null(p);
    return (size_t)strtoull(p + strlen(pat), NULL, 10);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    uint8_t *p = malloc(n ? (size_t)n : 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* Run mkpacked with `args` and the given script, load the output. */
static void build(fixture *fx, const char *args, const uint8_t *script,
                  size_t slen, const char *interp)
{
    const char *mk = getenv("MKPACKED");
    char spath[300], opath[300], cmd[1400], js[1024];
    if (!mk)
        fail_msg("MKPACKED is not set (run through make check)");
    snprintf(spath, sizeof spath, "%s/script", tmpdir);
    snprintf(opath, sizeof opath, "%s/out.elf", tmpdir);
    FILE *f = fopen(spath, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(script, 1, slen, f), slen);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' %s --interp '%s' --script '%s' -o '%s'",
             mk, args, interp, spath, opath);
    FILE *pp = popen(cmd, "r");
    assert_non_null(pp);
    size_t n = fread(js, 1, sizeof js - 1, pp);
    js[n] = '\0';
    assert_int_equal(pclose(pp), 0);
    fx->p = slurp(opath, &fx->len);
    fx->stub_off = json_num(js, "stub_off");
    fx->decrypt_off = json_num(js, "decrypt_off");
    fx->interp_off = json_num(js, "interp_off");
    fx->script_off = json_num(js, "script_off");
    assert_int_equal(json_num(js, "size"), fx->len);
}

/* A harmless Perl text long enough to run through several limit wraps
 * (1..15, 1..31, ... 1..127 is 1080 key bytes). */
static uint8_t *make_script(size_t n)
{
    static const char line[] =
        "print \"mumblescan inert fixture line\\n\"; # not malware\n";
    uint8_t *s = malloc(n);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)line[i % (sizeof line - 1)];
    return s;
}

/* The same stub with --live (entry runs it through to the hand-off):
 * the static unpacker and the emulation must both recover exactly the
 * script and the interpreter (the fast path and the emulator
 * agree on every fixture). */
static void both_agree(const char *args, const char *interp,
                       const uint8_t *script, size_t slen)
{
    fixture fx;
    char live[512];
    ms_unpack_result s, m;
    snprintf(live, sizeof live, "%s --live", args);
    build(&fx, live, script, slen, interp);
    ms_err e = ms_unpack(fx.p, fx.len, &s);
    if (e != MS_OK)
        fail_msg("mkpacked %s: static unpack failed: %s", live, s.reason);
    e = ms_unpack_emulate(fx.p, fx.len, NULL, &m, NULL);
    if (e != MS_OK)
        fail_msg("mkpacked %s: emulation failed: %s", live, m.reason);
    assert_int_equal(m.script_len, s.script_len);
    if (memcmp(m.script, s.script, s.script_len) ||
        memcmp(m.script, script, slen))
        fail_msg("mkpacked %s: static and emulated scripts differ", live);
    assert_int_equal(m.interp_len, s.interp_len);
    assert_memory_equal(m.interp, s.interp, s.interp_len);
    assert_int_equal(m.script_off, s.script_off);
    assert_int_equal(m.params.key, s.params.key);
    assert_int_equal(m.params.limit, s.params.limit);
    ms_unpack_result_free(&s);
    ms_unpack_result_free(&m);
    free(fx.p);
}

static void round_trip(const char *args, const char *interp, size_t slen)
{
    fixture fx;
    uint8_t *script = make_script(slen);
    ms_unpack_result r;
    build(&fx, args, script, slen, interp);
    ms_err e = ms_unpack(fx.p, fx.len, &r);
    if (e != MS_OK)
        fail_msg("mkpacked %s: unpack failed: %s", args, r.reason);
    assert_int_equal(r.interp_len, strlen(interp));
    assert_memory_equal(r.interp, interp, r.interp_len);
    assert_int_equal(r.script_len, slen);
    if (memcmp(r.script, script, slen))
        fail_msg("mkpacked %s: script bytes differ", args);
    assert_int_equal(r.ncalls, 2);
    assert_int_equal(r.routine_off, fx.decrypt_off);
    assert_int_equal(r.script_off, fx.script_off);
    assert_int_equal(r.interp_off, fx.interp_off);
    assert_string_equal(r.reason, "");
    ms_unpack_result_free(&r);
    free(fx.p);
    both_agree(args, interp, script, slen);
    free(script);
}

static void test_keys_forms_osabi(void **state)
{
    static const unsigned keys[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                     0x20, 0x43, 0x7f };
    static const char *const forms[] = { "565f", "89f7" };
    static const unsigned abis[] = { 0, 9 };
    char args[200];
    (void)state;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        for (size_t f = 0; f < 2; f++)
            for (size_t a = 0; a < 2; a++) {
                snprintf(args, sizeof args, "--key %u --form %s --osabi %u",
                         keys[k], forms[f], abis[a]);
                round_trip(args, "/usr/bin/perl", 3000);
            }
}

static void test_limits_wraps_steps_gaps(void **state)
{
    static const unsigned limits[] = { 0x10, 0x20, 0x7f };
    static const unsigned wraps[] = { 0x80, 0x100, 0x1ff };
    static const unsigned steps[] = { 0x10, 0x20 };
    static const unsigned gaps[] = { 0, 6, 10, 64 };
    char args[200];
    (void)state;
    for (size_t l = 0; l < 3; l++)
        for (size_t w = 0; w < 3; w++)
            for (size_t s = 0; s < 2; s++)
                for (size_t g = 0; g < 4; g++) {
                    snprintf(args, sizeof args, "--key %u --limit %u "
                             "--wrap %u --step %u --gap %u --form %s",
                             (unsigned)(l + w + 2), limits[l], wraps[w],
                             steps[s], gaps[g], g & 1 ? "89f7" : "565f");
                    round_trip(args, "/usr/bin/perl", 5000);
                }
}

static void test_interp_and_sizes(void **state)
{
    (void)state;
    round_trip("--key 4", "/usr/local/bin/perl5.8", 1);
    round_trip("--key 2", "/usr/bin/perl", 0x1706); /* the samples' size */
    round_trip("--key 4 --osabi 9", "/p", 70000);
}

/* The published ciphertext: key 4 gives /usr/bin/perl (facts §2.3). */
static void test_keystream_published(void **state)
{
    uint8_t c[] = { 0x2b, 0x70, 0x75, 0x75, 0x27, 0x6b, 0x63, 0x65, 0x23,
                    0x7d, 0x6b, 0x7d, 0x6d };
    ms_unpack_params k = { 4, 0x10, 0x80, 0x10 };
    (void)state;
    ms_unpack_keystream(c, sizeof c, &k);
    assert_memory_equal(c, "/usr/bin/perl", 13);
}

/* ---- the real stub bytes ------------------------------------------------ */

/* Forward key stream written from facts §2.3 independently of
 * ms_unpack_keystream(), so the round trip checks one against the other. */
static void encrypt_facts(uint8_t *p, size_t n, unsigned key)
{
    unsigned k = key, lim = 0x10;
    for (size_t i = 0; i < n; i++) {
        if (k == lim) {
            if (lim == 0x80)
                lim = 0;
            lim += 0x10;
            k = 1;
        }
        p[i] ^= (uint8_t)k;
        k++;
    }
}

/* The whole entry stub of a real sample (ClamAV Unix.Trojan.Mumblehard-3
 * $a0 as recorded in ../shared/research/mumblehard-facts.md §8.4, plus the
 * loop's final e2 byte the signature omits), wrapped in a one-segment
 * ELF at 0x08048000 with blobs encrypted at the addresses its code loads:
 * 13 bytes at 0x080482f5 and 0x1706 bytes at 0x08048303, key 2.  The
 * code also holds a third call to another routine, which must be
 * ignored.  Skipped when ../shared is absent. */
static void test_real_stub_bytes(void **state)
{
    const char *src = getenv("SRCDIR");
    char path[600], *text = NULL;
    (void)state;
    snprintf(path, sizeof path, "%s/../shared/research/mumblehard-facts.md",
             src ? src : ".");
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_message("note: %s absent, real stub bytes not tested\n", path);
        skip();
    }
    text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t tn = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[tn] = '\0';
    const char *a0 = strstr(text, "$a0 = { ");
    assert_non_null(a0);
    a0 += 8;
    uint8_t stub[512];
    size_t sn = 0;
    while (sn < sizeof stub - 1 && a0[0] != ' ' && a0[1] != ' ') {
        unsigned v;
        assert_int_equal(sscanf(a0, "%2x", &v), 1);
        stub[sn++] = (uint8_t)v;
        a0 += 2;
    }
    free(text);
    assert_int_equal(sn, 224);
    stub[sn++] = 0xe2;                   /* loop back 30 bytes */

    const size_t at = 0x4c, ioff = 0x2f5, soff = 0x303, slen = 0x1706;
    size_t len = soff + slen;
    uint8_t *img = calloc(1, len);
    uint8_t *script = make_script(slen);
    assert_non_null(img);
    static const uint8_t ehdr[] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 9 };
    memcpy(img, ehdr, sizeof ehdr);
    img[16] = 2; img[18] = 3; img[20] = 1;
    put32(img + 24, 0x08048000u + at);
    put32(img + 28, 52);
    img[40] = 52; img[42] = 32; img[44] = 1;
    put32(img + 52, 1);                  /* PT_LOAD */
    put32(img + 56, 0);
    put32(img + 60, 0x08048000u);
    put32(img + 64, 0x08048000u);
    put32(img + 68, (uint32_t)len);
    put32(img + 72, (uint32_t)len);
    put32(img + 76, 7);
    memcpy(img + at, stub, sn);
    memcpy(img + ioff, "/usr/bin/perl", 13);
    encrypt_facts(img + ioff, 13, 2);
    memcpy(img + soff, script, slen);
    encrypt_facts(img + soff, slen, 2);

    ms_unpack_result r;
    ms_err e = ms_unpack(img, len, &r);
    if (e)
        fail_msg("real stub: %s", r.reason);
    assert_int_equal(r.params.key, 2);
    assert_int_equal(r.params.limit, 0x10);
    assert_int_equal(r.params.wrap, 0x80);
    assert_int_equal(r.params.step, 0x10);
    assert_int_equal(r.routine_off, at + 184);
    assert_int_equal(r.ncalls, 2);
    assert_int_equal(r.interp_off, ioff);
    assert_int_equal(r.script_off, soff);
    assert_string_equal((const char *)r.interp, "/usr/bin/perl");
    assert_int_equal(r.script_len, slen);
    assert_memory_equal(r.script, script, slen);
    ms_unpack_result_free(&r);
    free(script);
    free(img);
}

/* ---- failures --------------------------------------------------------- */

static fixture base_args(const char *args)
{
    fixture fx;
    uint8_t *s = make_script(400);
    build(&fx, args, s, 400, "/usr/bin/perl");
    free(s);
    return fx;
}

static fixture base(void)
{
    return base_args("--key 4");
}

/* Unpack a copy of exactly n bytes; expect failure; return the reason. */
static void expect_fail(const uint8_t *p, size_t n, const char *want)
{
    uint8_t *copy = malloc(n ? n : 1);
    ms_unpack_result r;
    assert_non_null(copy);
    memcpy(copy, p, n);
    ms_err e = ms_unpack(n ? copy : NULL, n, &r);
    if (e != MS_ERR_FORMAT)
        fail_msg("expected a clean failure (%s), got %d", want, e);
    assert_true(strlen(r.reason) > 0);
    assert_null(r.interp);
    assert_null(r.script);
    if (want && !strstr(r.reason, want))
        fail_msg("reason '%s' does not mention '%s'", r.reason, want);
    free(copy);
}

static void test_every_truncation(void **state)
{
    static const char *const variants[] = {
        "--key 4",
        "--key 127 --form 89f7 --gap 10 --osabi 9 --wrap 0x1ff",
        "--key 0 --gap 64 --limit 0x20 --step 0x20",
    };
    (void)state;
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        fixture fx = base_args(variants[v]);
        for (size_t n = 0; n < fx.len; n++)
            expect_fail(fx.p, n, NULL);
        /* and the whole file still unpacks */
        ms_unpack_result r;
        assert_int_equal(ms_unpack(fx.p, fx.len, &r), MS_OK);
        ms_unpack_result_free(&r);
        free(fx.p);
    }
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void test_malformed(void **state)
{
    fixture fx = base();
    uint8_t *m = malloc(fx.len);
    const size_t call1 = fx.stub_off + 48, call2 = call1 + 15;
    (void)state;
    assert_non_null(m);
#define RESET() memcpy(m, fx.p, fx.len)
    /* both calls miss the routine */
    RESET(); m[call1 + 11]++; m[call2 + 11]++;
    expect_fail(m, fx.len, "no `call`");
    /* interpreter address outside every segment */
    RESET(); put32(m + call1 + 1, 0x10000000u);
    expect_fail(m, fx.len, "not inside");
    /* script length beyond the end of the file */
    RESET(); put32(m + call2 + 6, (uint32_t)(fx.len - fx.script_off + 1));
    expect_fail(m, fx.len, "not inside");
    /* huge and zero lengths */
    RESET(); put32(m + call2 + 6, 0xffffffffu);
    expect_fail(m, fx.len, "exceeds");
    RESET(); put32(m + call1 + 6, 0);
    expect_fail(m, fx.len, "length is 0");
    /* a wrong starting key: the path does not come out */
    RESET(); m[fx.decrypt_off + 2] = 0x90; /* one inc ebx less */
    expect_fail(m, fx.len, NULL);
    /* no ELF header / no program headers / header table out of file */
    RESET(); m[0] = 'X';
    expect_fail(m, fx.len, "not an ELF");
    RESET(); m[44] = 0; m[45] = 0;
    expect_fail(m, fx.len, "program header");
    RESET(); put32(m + 28, 0xfffffff0u);
    expect_fail(m, fx.len, "beyond");
    /* no decrypt loop */
    RESET(); m[fx.decrypt_off + 13 + 23] = 0x90; /* lodsb */
    expect_fail(m, fx.len, "not found");
    /* only the interpreter call */
    RESET(); m[call2 + 10] = 0x90;
    expect_fail(m, fx.len, "only one call");
    /* mov esi missing before a call */
    RESET(); m[call1] = 0x90; m[call1 + 5] = 0x90;
    expect_fail(m, fx.len, "mov");
#undef RESET
    free(m);
    free(fx.p);
}

/* Random byte flips: any result is fine, a crash or OOB read is not, and
 * a success must still give a printable absolute interpreter path. */
static void test_random_corruption(void **state)
{
    fixture fx = base();
    uint32_t x = 0x12345678u;
    (void)state;
    for (int round = 0; round < 3000; round++) {
        uint8_t *m = malloc(fx.len);
        assert_non_null(m);
        memcpy(m, fx.p, fx.len);
        for (int k = 0; k < 1 + round % 4; k++) {
            x = x * 1103515245u + 12345u;
            size_t at = (x >> 8) % fx.len;
            x = x * 1103515245u + 12345u;
            m[at] = (uint8_t)(x >> 16);
        }
        ms_unpack_result r;
        if (ms_unpack(m, fx.len, &r) == MS_OK) {
            assert_true(r.interp_len > 0 && r.interp[0] == '/');
            ms_unpack_result_free(&r);
        }
        free(m);
    }
    free(fx.p);
}

static void test_decoy_not_packed(void **state)
{
    const char *mk = getenv("MKPACKED");
    char cmd[700], path[300];
    size_t n;
    (void)state;
    assert_non_null(mk);
    snprintf(path, sizeof path, "%s/decoy.elf", tmpdir);
    snprintf(cmd, sizeof cmd, "'%s' --decoy -o '%s' >/dev/null", mk, path);
    assert_int_equal(system(cmd), 0);
    uint8_t *p = slurp(path, &n);
    expect_fail(p, n, "not found");
    free(p);
}

/* --extract: named by hash, mode 0600, same bytes, no clobber, and the
 * evidence directory refused before anything is created. */
static void test_extract(void **state)
{
    static const char sha[] =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char dir[400], ev[400], img[450], inside[450], *path = NULL, *err = NULL;
    struct stat st;
    size_t n;
    (void)state;
    snprintf(dir, sizeof dir, "%s/x", tmpdir);
    snprintf(ev, sizeof ev, "%s/evidence", tmpdir);
    snprintf(img, sizeof img, "%s/disk.img", ev);
    snprintf(inside, sizeof inside, "%s/out", ev);
    assert_int_equal(mkdir(ev, 0700), 0);
    FILE *f = fopen(img, "wb");
    assert_non_null(f);
    fclose(f);
    const char *imgs[] = { img };

    assert_int_equal(ms_extract_check_dir(dir, imgs, 1, &err), MS_OK);
    assert_null(err);
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(ms_extract_write(dir, sha, (const uint8_t *)"abc", 3,
                                      &path, &err), MS_OK);
    assert_non_null(path);
    assert_non_null(strstr(path, sha));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    uint8_t *got = slurp(path, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(got, "abc", 3);
    free(got);
    free(path);
    /* same name again: kept (content-addressed), never overwritten */
    assert_int_equal(ms_extract_write(dir, sha, (const uint8_t *)"xyz", 3,
                                      &path, &err), MS_OK);
    got = slurp(path, &n);
    assert_memory_equal(got, "abc", 3);
    free(got);
    free(path);
    /* not a hash: refused, nothing written */
    assert_int_equal(ms_extract_write(dir, "../evil", (const uint8_t *)"a",
                                      1, &path, &err), MS_ERR_ARG);
    assert_null(path);

    /* the evidence directory and anything below it are refused, and a
     * refused directory is not created */
    assert_int_equal(ms_extract_check_dir(ev, imgs, 1, &err), MS_ERR_ARG);
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_int_equal(ms_extract_check_dir(inside, imgs, 1, &err),
                     MS_ERR_ARG);
    free(err);
    err = NULL;
    assert_int_not_equal(stat(inside, &st), 0);
    /* a file, not a directory */
    assert_int_equal(ms_extract_check_dir(img, NULL, 0, &err), MS_ERR_ARG);
    free(err);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/test_unpack.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[400];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keystream_published),
        cmocka_unit_test(test_keys_forms_osabi),
        cmocka_unit_test(test_limits_wraps_steps_gaps),
        cmocka_unit_test(test_interp_and_sizes),
        cmocka_unit_test(test_real_stub_bytes),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_random_corruption),
        cmocka_unit_test(test_decoy_not_packed),
        cmocka_unit_test(test_extract),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
