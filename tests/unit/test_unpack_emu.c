/* test_unpack_emu.c - the emulating unpacker (unpack_emu.h) against
 * stubs built by tests/tools/mkpacked ($MKPACKED) with --live (the entry
 * runs the stub through pipe/fork/write/execve):
 *  - variants of the set-up in front of the decrypt loop (key and limit
 *    loads through other registers and forms, either order, junk, both
 *    loop forms, other keys/limits/wraps/steps, both OS ABIs, buffer and
 *    length through other registers): the emulation recovers exactly the
 *    script; where the static unpacker also succeeds it recovers the same
 *    bytes; and the static unpacker fails on most of them (so the matrix
 *    really exercises what it cannot read);
 *  - self-modifying set-up (the file holds a wrong key, the stub patches
 *    it): static gets no path, emulation the right script;
 *  - hostile stubs: endless loop, self-modifying endless loop, jump out of
 *    the image, execve before anything, huge p_memsz: each ends within
 *    its limits with a clear reason;
 *  - every 7th truncation and random corruption of a live stub: always a
 *    result, never a crash (ASan with --enable-sanitizers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "detection/unpack.h"
#include "detection/unpack_emu.h"

static char tmpdir[256];

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

/* Run mkpacked with `args` and the script; return the ELF (exactly len
 * bytes, so ASan bounds every read). */
static uint8_t *build(const char *args, const uint8_t *script, size_t slen,
                      size_t *len)
{
    const char *mk = getenv("MKPACKED");
    char spath[300], opath[300], cmd[1400];
    if (!mk)
        fail_msg("MKPACKED is not set (run through make check)");
    snprintf(spath, sizeof spath, "%s/script", tmpdir);
    snprintf(opath, sizeof opath, "%s/out.elf", tmpdir);
    FILE *f = fopen(spath, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(script, 1, slen, f), slen);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' %s --script '%s' -o '%s' >/dev/null",
             mk, args, spath, opath);
    if (system(cmd) != 0)
        fail_msg("mkpacked %s failed", args);
    return slurp(opath, len);
}

static uint8_t *make_script(size_t n, unsigned seed)
{
    static const char line[] =
        "print \"mumblescan inert fixture line\\n\"; # not malware\n";
    uint8_t *s = malloc(n);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)line[(i + seed) % (sizeof line - 1)];
    if (n > 8)
        s[n / 2] = (uint8_t)seed;   /* one non-text byte */
    return s;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Emulate args; require the script and /usr/bin/perl.  Returns 1 if the
 * static unpacker also succeeded (and then agreed byte for byte). */
static int emulate_ok(const char *args, size_t slen, unsigned seed)
{
    uint8_t *script = make_script(slen, seed);
    size_t len;
    uint8_t *elf = build(args, script, slen, &len);
    ms_unpack_result m, s;
    ms_emu_info info;
    ms_err e = ms_unpack_emulate(elf, len, NULL, &m, &info);
    if (e != MS_OK)
        fail_msg("mkpacked %s: emulation failed: %s", args, m.reason);
    if (m.script_len != slen || memcmp(m.script, script, slen))
        fail_msg("mkpacked %s: emulated script differs (%zu bytes)", args,
                 m.script_len);
    assert_string_equal((const char *)m.interp, "/usr/bin/perl");
    assert_true(info.runs >= 1);
    int st = ms_unpack(elf, len, &s) == MS_OK;
    if (st && (s.script_len != slen || memcmp(s.script, m.script, slen)))
        fail_msg("mkpacked %s: static and emulated scripts differ", args);
    ms_unpack_result_free(&s);
    ms_unpack_result_free(&m);
    free(elf);
    free(script);
    return st;
}

/* The set-up matrix: every key load, limit load, argument load and order,
 * with and without junk; loop form, OS ABI and constants cycle. */
static void test_variants(void **state)
{
    static const char *const kl[] = { "auto", "inc", "movbl", "movebx",
                                      "pushpop", "viaedx", "viaeax" };
    static const char *const ll[] = { "movedx", "pushpop", "viaeax",
                                      "movdl" };
    static const char *const al[] = { "movimm", "reverse", "pushpop",
                                      "viaeax", "lea" };
    static const unsigned keys[] = { 0, 1, 4, 9, 0x20, 0x7f, 0xc8 };
    static const unsigned limits[] = { 0x10, 0x20, 0x07, 0x80 };
    static const unsigned wraps[] = { 0x80, 0x100, 0x40 };
    static const unsigned steps[] = { 0x10, 0x08, 0x20 };
    char args[400];
    unsigned n = 0, nstatic = 0;
    (void)state;
    for (size_t k = 0; k < 7; k++)
        for (size_t l = 0; l < 4; l++)
            for (size_t a = 0; a < 5; a++)
                for (unsigned v = 0; v < 2; v++, n++) {
                    snprintf(args, sizeof args,
                             "--live --keyload %s --limitload %s "
                             "--argload %s %s --junk %u --form %s "
                             "--osabi %u --key %u --limit %u --wrap %u "
                             "--step %u", kl[k], ll[l], al[a],
                             v ? "--limit-first" : "", (n % 3) * 2,
                             n & 1 ? "89f7" : "565f", n % 5 == 0 ? 9 : 0,
                             keys[n % 7], limits[n % 4], wraps[n % 3],
                             steps[(n / 3) % 3]);
                    nstatic += (unsigned)emulate_ok(args, 300 + n * 7, n);
                }
    /* canonical forms are read statically; most variants are not */
    assert_true(nstatic > 0);
    assert_true(nstatic < n / 4);
    print_message("variants: %u emulated, %u also unpacked statically\n",
                  n, nstatic);
}

/* Large scripts and the published sample size. */
static void test_sizes(void **state)
{
    (void)state;
    emulate_ok("--live --key 2 --keyload movebx", 0x1706, 1);
    emulate_ok("--live --key 4 --keyload pushpop --osabi 9", 60000, 2);
    emulate_ok("--live --key 3 --limitload viaeax", 1, 3);
}

/* The file holds `mov bl, key^0x55`; the stub writes the real key into
 * its own code before running it.  Static reads the wrong key. */
static void test_selfmod_setup(void **state)
{
    uint8_t *script = make_script(500, 7);
    size_t len;
    uint8_t *elf = build("--live --selfmod --key 4", script, 500, &len);
    ms_unpack_result s, m;
    (void)state;
    ms_err e = ms_unpack(elf, len, &s);
    if (e == MS_OK)   /* wrong key: the path cannot come out right */
        assert_true(memcmp(s.script, script, 500) != 0);
    ms_unpack_result_free(&s);
    e = ms_unpack_emulate(elf, len, NULL, &m, NULL);
    if (e != MS_OK)
        fail_msg("self-modifying set-up: emulation failed: %s", m.reason);
    assert_int_equal(m.script_len, 500);
    assert_memory_equal(m.script, script, 500);
    assert_int_equal(m.params.key, 4);
    ms_unpack_result_free(&m);
    free(elf);
    free(script);
}

/* A hostile stub must end within its limits with `want` in the reason. */
static void hostile(const char *args, const ms_emu_limits *lim,
                    const char *want, double max_s)
{
    uint8_t *script = make_script(100, 1);
    size_t len;
    uint8_t *elf = build(args, script, 100, &len);
    ms_unpack_result m;
    double t0 = now_s();
    ms_err e = ms_unpack_emulate(elf, len, lim, &m, NULL);
    double dt = now_s() - t0;
    assert_int_equal(e, MS_ERR_FORMAT);
    if (!strstr(m.reason, want))
        fail_msg("%s: reason lacks \"%s\": %s", args, want, m.reason);
    if (dt > max_s)
        fail_msg("%s: took %.2f s (limit %.2f s)", args, dt, max_s);
    assert_null(m.script);
    assert_null(m.interp);
    print_message("%s: %.3f s: %s\n", args, dt, m.reason);
    free(elf);
    free(script);
}

static void test_hostile(void **state)
{
    ms_emu_limits small = { .max_insns = 2000000, .timeout_ms = 3000 };
    ms_emu_limits slow = { .max_insns = 1ull << 40, .timeout_ms = 300 };
    (void)state;
    hostile("--hostile loop", &small, "instruction limit of 2000000", 10);
    hostile("--hostile loop", &slow, "time limit of 300 ms", 10);
    /* default limits: bounded too (no syscall: one personality only) */
    hostile("--hostile loop", NULL, "instruction limit", 30);
    hostile("--hostile smc", &small, "instruction limit", 10);
    hostile("--hostile loop", &small, "not run, the stub made no syscall",
            10);
    hostile("--hostile jumpout", &small,
            "jumped to unmapped address 0x70000000", 5);
    hostile("--hostile execfirst", &small, "execve(\"/bin/sh\")", 5);
    hostile("--hostile execfirst", &small, "no script written", 5);
    hostile("--hostile memsz", &small, "p_memsz 0xf0000000", 1);
    /* the inert fixtures exit(0) at the entry, before any stub code */
    hostile("--key 4", &small, "exit(0)", 5);
}

/* Every 7th prefix of a live variant, and random byte flips: always a
 * result within the limits (ASan catches any stray access). */
static void test_truncation_corruption(void **state)
{
    uint8_t *script = make_script(400, 5);
    size_t len;
    uint8_t *elf = build("--live --keyload viaeax --junk 2 --key 5", script,
                         400, &len);
    ms_emu_limits lim = { .max_insns = 200000, .timeout_ms = 2000 };
    ms_unpack_result m;
    unsigned ok = 0;
    (void)state;
    for (size_t n = 0; n < len; n += 7) {
        uint8_t *p = malloc(n ? n : 1);
        assert_non_null(p);
        memcpy(p, elf, n);
        ms_err e = ms_unpack_emulate(p, n, &lim, &m, NULL);
        assert_true(e == MS_OK || e == MS_ERR_FORMAT);
        if (e == MS_OK)
            ok++;
        else
            assert_true(m.reason[0] != '\0');
        ms_unpack_result_free(&m);
        free(p);
    }
    srand(9);
    for (int round = 0; round < 200; round++) {
        uint8_t *p = malloc(len);
        assert_non_null(p);
        memcpy(p, elf, len);
        for (int k = 0; k < 4; k++)
            p[(size_t)rand() % len] = (uint8_t)rand();
        ms_err e = ms_unpack_emulate(p, len, &lim, &m, NULL);
        assert_true(e == MS_OK || e == MS_ERR_FORMAT);
        ms_unpack_result_free(&m);
        free(p);
    }
    /* prefixes that keep the code and the blobs still unpack: the
     * mapping zero-fills only what is missing */
    assert_true(ok > 0);
    free(elf);
    free(script);
}

static void test_not_elf(void **state)
{
    static const uint8_t junk[64] = { 0x7f, 'E', 'L', 'F', 2, 1 };
    ms_unpack_result m;
    (void)state;
    assert_int_equal(ms_unpack_emulate(junk, sizeof junk, NULL, &m, NULL),
                     MS_ERR_FORMAT);
    assert_non_null(strstr(m.reason, "not a 32-bit"));
    assert_int_equal(ms_unpack_emulate(junk, 10, NULL, &m, NULL),
                     MS_ERR_FORMAT);
    assert_int_equal(ms_unpack_emulate(NULL, 0, NULL, NULL, NULL),
                     MS_ERR_ARG);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/test_unpack_emu.XXXXXX",
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
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_selfmod_setup),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_truncation_corruption),
    };
    if (!ms_unpack_emu_available()) {
        fprintf(stderr, "libunicorn without x86: nothing to test\n");
        return 77;
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
