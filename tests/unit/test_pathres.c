/* test_pathres.c - path resolution against a fake image tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "artifacts/pathres.h"

/* ---- fake image ------------------------------------------------------- */

typedef struct fake_node {
    const char *path;
    ms_ptype    type;
    const char *target; /* for links */
} fake_node;

typedef struct fake_fs {
    const fake_node *nodes;
    size_t           n;
    int              calls;
    ms_err           fail_with; /* returned for fail_path */
    const char      *fail_path;
} fake_fs;

/* The module promises normalized absolute paths to the callback. */
static int is_normalized(const char *p)
{
    if (p[0] != '/')
        return 0;
    if (strcmp(p, "/") == 0)
        return 1;
    size_t n = strlen(p);
    if (p[n - 1] == '/')
        return 0;
    if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../"))
        return 0;
    if ((n >= 2 && strcmp(p + n - 2, "/.") == 0) ||
        (n >= 3 && strcmp(p + n - 3, "/..") == 0))
        return 0;
    return 1;
}

static ms_err fake_lstat(void *ctx, const char *abs_path, ms_ptype *type,
                         char **link_target)
{
    fake_fs *fs = ctx;
    fs->calls++;
    assert_true(is_normalized(abs_path));
    if (fs->fail_path && strcmp(abs_path, fs->fail_path) == 0)
        return fs->fail_with;
    *type = MS_PT_NONE;
    for (size_t i = 0; i < fs->n; i++) {
        if (strcmp(fs->nodes[i].path, abs_path) != 0)
            continue;
        *type = fs->nodes[i].type;
        if (*type == MS_PT_LNK) {
            *link_target = strdup(fs->nodes[i].target);
            if (!*link_target)
                return MS_ERR_NOMEM;
        }
        return MS_OK;
    }
    return MS_OK;
}

static const fake_node tree[] = {
    { "/bin", MS_PT_DIR, NULL },
    { "/bin/sh", MS_PT_LNK, "dash" },
    { "/bin/dash", MS_PT_REG, NULL },
    { "/bin/true", MS_PT_REG, NULL },
    { "/usr", MS_PT_DIR, NULL },
    { "/usr/bin", MS_PT_DIR, NULL },
    { "/usr/bin/perl", MS_PT_LNK, "perl5.20" },
    { "/usr/bin/perl5.20", MS_PT_REG, NULL },
    { "/usr/bin/sh", MS_PT_DIR, NULL },       /* a dir: PATH search skips */
    { "/usr/local", MS_PT_DIR, NULL },
    { "/usr/local/bin", MS_PT_DIR, NULL },
    { "/usr/local/bin/perl", MS_PT_REG, NULL },
    { "/usr/local/bin/loop", MS_PT_LNK, "loop" },
    { "/etc", MS_PT_DIR, NULL },
    { "/etc/passwd", MS_PT_REG, NULL },
    { "/etc/alt", MS_PT_LNK, "/usr/bin/perl" },  /* absolute */
    { "/etc/c1", MS_PT_LNK, "c2" },              /* chain c1->c2->c3->file */
    { "/etc/c2", MS_PT_LNK, "/etc/c3" },
    { "/etc/c3", MS_PT_LNK, "../bin/dash" },
    { "/tmp", MS_PT_DIR, NULL },
    { "/tmp/esc", MS_PT_LNK, "../../../../etc/passwd" },
    { "/tmp/abs", MS_PT_LNK, "/../../etc/passwd" },
    { "/tmp/a", MS_PT_LNK, "b" },                /* loop a->b->a */
    { "/tmp/b", MS_PT_LNK, "/tmp/a" },
    { "/tmp/self", MS_PT_LNK, "self" },
    { "/tmp/empty", MS_PT_LNK, "" },
    { "/tmp/dangling", MS_PT_LNK, "/nonexistent/x" },
    { "/tmp/qCVwOWA", MS_PT_REG, NULL },
    { "/tmp/fifo", MS_PT_OTHER, NULL },
    { "/var", MS_PT_DIR, NULL },
    { "/var/tmp", MS_PT_LNK, "/tmp" },           /* symlinked dir */
    { "/var/spool", MS_PT_DIR, NULL },
    { "/var/spool/cron", MS_PT_LNK, "../../etc" }, /* relative dir link */
    { "/root", MS_PT_DIR, NULL },
    { "/root/bin", MS_PT_DIR, NULL },
    { "/root/bin/perl", MS_PT_REG, NULL },
};

static fake_fs mkfs(void)
{
    fake_fs fs = { tree, sizeof tree / sizeof tree[0], 0, MS_OK, NULL };
    return fs;
}

/* Resolve and compare; expect == MS_OK checks path and type. */
static void check(const char *path, const char *cwd, ms_err want_err,
                  const char *want_path, ms_ptype want_type, int want_hops)
{
    fake_fs fs = mkfs();
    char *r = (char *)0x1;
    ms_ptype t = MS_PT_LNK;
    int hops = -1;
    ms_err e = ms_path_resolve(fake_lstat, &fs, path, cwd, &r, &t, &hops);
    assert_int_equal(e, want_err);
    if (want_err != MS_OK) {
        assert_null(r);
        assert_int_equal(t, MS_PT_NONE);
        return;
    }
    assert_non_null(r);
    assert_string_equal(r, want_path);
    assert_int_equal(t, want_type);
    if (want_hops >= 0)
        assert_int_equal(hops, want_hops);
    free(r);
}

/* ---- normalize / in_dir ---------------------------------------------- */

static void test_normalize(void **state)
{
    (void)state;
    static const char *cases[][3] = {
        { "/", NULL, "/" },
        { "", NULL, "/" },
        { "//usr///bin/", NULL, "/usr/bin" },
        { "/usr/./bin/.", NULL, "/usr/bin" },
        { "/usr/bin/../lib", NULL, "/usr/lib" },
        { "/../../..", NULL, "/" },
        { "/a/../../b", NULL, "/b" },
        { "x/y", "/var/tmp", "/var/tmp/x/y" },
        { "../../../../x", "/var/tmp", "/x" },
        { "x", NULL, "/x" },
        { "x", "rel/dir", "/rel/dir/x" },
        { "/abs", "/ignored", "/abs" },
        { "...", NULL, "/..." },
        { "..a/.b", NULL, "/..a/.b" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *n = ms_path_normalize(cases[i][0], cases[i][1]);
        assert_non_null(n);
        assert_string_equal(n, cases[i][2]);
        free(n);
    }
    assert_null(ms_path_normalize(NULL, "/"));

    char *big = malloc(MS_PATH_MAX + 10);
    assert_non_null(big);
    memset(big, 'a', MS_PATH_MAX + 9);
    big[0] = '/';
    big[MS_PATH_MAX + 9] = '\0';
    assert_null(ms_path_normalize(big, NULL));
    free(big);
}

static void test_in_dir(void **state)
{
    (void)state;
    assert_true(ms_path_in_dir("/tmp", "/tmp"));
    assert_true(ms_path_in_dir("/tmp/x", "/tmp"));
    assert_true(ms_path_in_dir("/tmp/x/y", "/tmp/"));
    assert_false(ms_path_in_dir("/tmpfoo", "/tmp"));
    assert_false(ms_path_in_dir("/tm", "/tmp"));
    assert_false(ms_path_in_dir("/var/tmp", "/tmp"));
    assert_true(ms_path_in_dir("/anything", "/"));
    assert_true(ms_path_in_dir("/", "/"));
    assert_false(ms_path_in_dir(NULL, "/tmp"));
    assert_false(ms_path_in_dir("/tmp", NULL));
}

/* ---- resolve ---------------------------------------------------------- */

static void test_plain_and_missing(void **state)
{
    (void)state;
    check("/etc/passwd", NULL, MS_OK, "/etc/passwd", MS_PT_REG, 0);
    check("/", NULL, MS_OK, "/", MS_PT_DIR, 0);
    check("/usr/bin/", NULL, MS_OK, "/usr/bin", MS_PT_DIR, 0);
    check("/tmp/fifo", NULL, MS_OK, "/tmp/fifo", MS_PT_OTHER, 0);
    check("passwd", "/etc", MS_OK, "/etc/passwd", MS_PT_REG, 0);
    check("//etc/./passwd", NULL, MS_OK, "/etc/passwd", MS_PT_REG, 0);
    /* missing: the path as far as it got plus the rest */
    check("/var/tmp/x", NULL, MS_OK, "/tmp/x", MS_PT_NONE, 1);
    check("/nope/a/./b", NULL, MS_OK, "/nope/a/b", MS_PT_NONE, 0);
    /* ".." under a missing dir is not collapsed into an existing file */
    check("/nope/../etc/passwd", NULL, MS_OK, "/nope", MS_PT_NONE, 0);
    /* file used as a directory */
    check("/etc/passwd/x", NULL, MS_OK, "/etc/passwd/x", MS_PT_NONE, 0);
    check("/etc/passwd/..", NULL, MS_OK, "/etc/passwd", MS_PT_NONE, 0);
    /* dangling and empty links */
    check("/tmp/dangling", NULL, MS_OK, "/nonexistent/x", MS_PT_NONE, 1);
    check("/tmp/empty", NULL, MS_OK, "/tmp/empty", MS_PT_NONE, 0);
}

static void test_links(void **state)
{
    (void)state;
    check("/bin/sh", NULL, MS_OK, "/bin/dash", MS_PT_REG, 1);     /* rel */
    check("/etc/alt", NULL, MS_OK, "/usr/bin/perl5.20", MS_PT_REG, 2);
    check("/etc/c1", NULL, MS_OK, "/bin/dash", MS_PT_REG, 3);     /* chain */
    check("/var/tmp/qCVwOWA", NULL, MS_OK, "/tmp/qCVwOWA", MS_PT_REG, 1);
    check("/var/tmp", NULL, MS_OK, "/tmp", MS_PT_DIR, 1);
    check("/var/spool/cron/passwd", NULL, MS_OK, "/etc/passwd",
          MS_PT_REG, 1);
    /* ".." after a symlinked dir applies to the link's target */
    check("/var/tmp/..", NULL, MS_OK, "/", MS_PT_DIR, 1);
    check("/var/tmp/../etc/passwd", NULL, MS_OK, "/etc/passwd",
          MS_PT_REG, 1);
    check("/var/spool/cron/../bin/sh", NULL, MS_OK, "/bin/dash",
          MS_PT_REG, 2);
    check("tmp/qCVwOWA", "/var", MS_OK, "/tmp/qCVwOWA", MS_PT_REG, 1);
}

static void test_escape_root(void **state)
{
    (void)state;
    check("/tmp/esc", NULL, MS_OK, "/etc/passwd", MS_PT_REG, 1);
    check("/tmp/abs", NULL, MS_OK, "/etc/passwd", MS_PT_REG, 1);
    check("/../../../etc/passwd", NULL, MS_OK, "/etc/passwd", MS_PT_REG, 0);
    check("../../../../../etc/passwd", "/var/tmp", MS_OK, "/etc/passwd",
          MS_PT_REG, 1);
    check("/..", NULL, MS_OK, "/", MS_PT_DIR, 0);
}

static void test_loops(void **state)
{
    (void)state;
    check("/tmp/a", NULL, MS_ERR_LOOP, NULL, MS_PT_NONE, -1);
    check("/tmp/self", NULL, MS_ERR_LOOP, NULL, MS_PT_NONE, -1);
    check("/tmp/self/x", NULL, MS_ERR_LOOP, NULL, MS_PT_NONE, -1);
    check("/var/tmp/a", NULL, MS_ERR_LOOP, NULL, MS_PT_NONE, -1);

    fake_fs fs = mkfs();
    char *r;
    ms_ptype t;
    int hops;
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, "/tmp/a", NULL, &r,
                                     &t, &hops), MS_ERR_LOOP);
    assert_int_equal(hops, MS_PATH_MAX_HOPS + 1);
    /* bounded work: a hop costs at most the lookups of its target */
    assert_true(fs.calls <= 2 * (MS_PATH_MAX_HOPS + 1) + 2);
}

static void test_limits(void **state)
{
    (void)state;
    fake_fs fs = mkfs();
    char *r;
    ms_ptype t;

    /* longer than MS_PATH_MAX */
    size_t n = MS_PATH_MAX + 100;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'x', n);
    big[0] = '/';
    big[n] = '\0';
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, big, NULL, &r, &t,
                                     NULL), MS_ERR_LIMIT);
    assert_null(r);

    /* fits MS_PATH_MAX but has too many components ("/." repeated) */
    for (size_t i = 0; i + 1 < MS_PATH_MAX - 10; i += 2) {
        big[i] = '/';
        big[i + 1] = '.';
    }
    big[MS_PATH_MAX - 10] = '\0';
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, big, NULL, &r, &t,
                                     NULL), MS_ERR_LIMIT);

    /* a long but legal path just works */
    strcpy(big, "/etc");
    for (int i = 0; i < 200; i++)
        strcat(big, "/./../etc");
    strcat(big, "/passwd");
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, big, NULL, &r, &t,
                                     NULL), MS_OK);
    assert_string_equal(r, "/etc/passwd");
    free(r);

    /* long relative cwd + path */
    memset(big, 'y', n);
    big[n] = '\0';
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, "x", big, &r, &t,
                                     NULL), MS_ERR_LIMIT);
    free(big);
}

static void test_args_and_errors(void **state)
{
    (void)state;
    fake_fs fs = mkfs();
    char *r;
    ms_ptype t;
    assert_int_equal(ms_path_resolve(NULL, &fs, "/x", NULL, &r, &t, NULL),
                     MS_ERR_ARG);
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, NULL, NULL, &r, &t,
                                     NULL), MS_ERR_ARG);
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, "/x", NULL, NULL, &t,
                                     NULL), MS_ERR_ARG);
    /* final_type and hops are optional */
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, "/bin/sh", NULL, &r,
                                     NULL, NULL), MS_OK);
    assert_string_equal(r, "/bin/dash");
    free(r);

    /* callback errors propagate */
    fs.fail_path = "/var/tmp";
    fs.fail_with = MS_ERR_IO;
    assert_int_equal(ms_path_resolve(fake_lstat, &fs, "/var/tmp/x", NULL,
                                     &r, &t, NULL), MS_ERR_IO);
    assert_null(r);
}

/* ---- PATH search ------------------------------------------------------ */

static void search(const char *name, const char *path_env, ms_err want_err,
                   const char *want)
{
    fake_fs fs = mkfs();
    char *r = (char *)0x1;
    ms_ptype t = MS_PT_LNK;
    ms_err e = ms_path_search(fake_lstat, &fs, name, path_env, &r, &t);
    assert_int_equal(e, want_err);
    if (want) {
        assert_non_null(r);
        assert_string_equal(r, want);
        assert_int_equal(t, MS_PT_REG);
        free(r);
    } else {
        assert_null(r);
        assert_int_equal(t, MS_PT_NONE);
    }
}

static void test_path_search(void **state)
{
    (void)state;
    /* default PATH is cron's /usr/bin:/bin */
    search("perl", NULL, MS_OK, "/usr/bin/perl5.20");
    search("true", NULL, MS_OK, "/bin/true");
    /* /usr/bin/sh is a directory: skipped, /bin/sh found */
    search("sh", NULL, MS_OK, "/bin/dash");
    /* order matters */
    search("perl", "/usr/local/bin:/usr/bin", MS_OK, "/usr/local/bin/perl");
    search("perl", "/usr/bin:/usr/local/bin", MS_OK, "/usr/bin/perl5.20");
    /* empty and relative elements are not searched */
    search("perl", ":bin:root/bin::", MS_OK, NULL);
    search("perl", "::/root/bin", MS_OK, "/root/bin/perl");
    /* a looping element is skipped */
    search("loop", "/usr/local/bin:/bin", MS_OK, NULL);
    search("nope", NULL, MS_OK, NULL);
    search("qCVwOWA", "/var/tmp", MS_OK, "/tmp/qCVwOWA");
    /* not bare names */
    search("/bin/sh", NULL, MS_ERR_ARG, NULL);
    search("", NULL, MS_ERR_ARG, NULL);

    /* too many PATH elements */
    char *many = malloc(MS_PATH_MAX_DIRS * 3 + 20);
    assert_non_null(many);
    many[0] = '\0';
    for (int i = 0; i < MS_PATH_MAX_DIRS + 1; i++)
        strcat(many, "/x:");
    strcat(many, "/bin");
    search("true", many, MS_ERR_LIMIT, NULL);
    free(many);
}

/* ---- randomized ------------------------------------------------------- */

#define RND_NODES 39 /* every path of depth 1..3 over {a,b,c} */

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void rnd_path(uint32_t *s, char *out, size_t cap)
{
    static const char *comps[] = { "a", "b", "c", "..", ".", "", "d",
                                   "../..", "a/b" };
    size_t n = 0;
    int k = (int)(rnd(s) % 8);
    out[0] = '\0';
    if (rnd(s) % 2)
        out[n++] = '/';
    for (int i = 0; i < k; i++) {
        const char *c = comps[rnd(s) % (sizeof comps / sizeof comps[0])];
        size_t l = strlen(c);
        if (n + l + 2 >= cap)
            break;
        memcpy(out + n, c, l);
        n += l;
        if (i + 1 < k)
            out[n++] = '/';
    }
    out[n] = '\0';
}

static int has_dot_comp(const char *p)
{
    for (const char *c = p; *c;) {
        while (*c == '/')
            c++;
        size_t l = strcspn(c, "/");
        if ((l == 1 && c[0] == '.') || (l == 2 && c[0] == '.' && c[1] == '.'))
            return 1;
        c += l;
    }
    return 0;
}

static void test_random(void **state)
{
    (void)state;
    static char names[RND_NODES][8];
    static char targets[RND_NODES][64];
    fake_node nodes[RND_NODES];
    uint32_t seed = 0x9e3779b9u;
    size_t n = 0;
    const char *abc = "abc";

    for (int i = 0; i < 3; i++) {
        snprintf(names[n++], 8, "/%c", abc[i]);
        for (int j = 0; j < 3; j++) {
            snprintf(names[n++], 8, "/%c/%c", abc[i], abc[j]);
            for (int k = 0; k < 3; k++)
                snprintf(names[n++], 8, "/%c/%c/%c", abc[i], abc[j], abc[k]);
        }
    }
    assert_int_equal(n, RND_NODES);

    int outcome[3] = { 0, 0, 0 };
    for (int round = 0; round < 300; round++) {
        for (size_t i = 0; i < n; i++) {
            static const ms_ptype kinds[] = { MS_PT_DIR, MS_PT_DIR, MS_PT_LNK,
                                              MS_PT_LNK, MS_PT_REG,
                                              MS_PT_NONE, MS_PT_OTHER };
            nodes[i].path = names[i];
            nodes[i].type = kinds[rnd(&seed) % 7];
            rnd_path(&seed, targets[i], sizeof targets[i]);
            nodes[i].target = targets[i];
        }
        fake_fs fs = { nodes, n, 0, MS_OK, NULL };
        for (int q = 0; q < 50; q++) {
            char path[64], cwd[64];
            char *r = NULL;
            ms_ptype t = MS_PT_LNK;
            rnd_path(&seed, path, sizeof path);
            rnd_path(&seed, cwd, sizeof cwd);
            ms_err e = ms_path_resolve(fake_lstat, &fs, path,
                                       (q % 3) ? cwd : NULL, &r, &t, NULL);
            assert_true(e == MS_OK || e == MS_ERR_LOOP || e == MS_ERR_LIMIT);
            if (e != MS_OK) {
                assert_null(r);
                outcome[1]++;
                continue;
            }
            assert_non_null(r);
            assert_int_equal(r[0], '/');
            assert_false(has_dot_comp(r));
            assert_null(strstr(r, "//"));
            assert_true(t != MS_PT_LNK);
            /* what was found must really be that type in the tree */
            if (t != MS_PT_NONE && strcmp(r, "/") != 0) {
                int seen = 0;
                for (size_t i = 0; i < n; i++)
                    if (strcmp(nodes[i].path, r) == 0) {
                        assert_int_equal(nodes[i].type, t);
                        seen = 1;
                    }
                assert_true(seen);
            }
            outcome[t == MS_PT_NONE ? 2 : 0]++;
            free(r);
        }
    }
    /* the generator must exercise all three outcomes */
    assert_true(outcome[0] > 100);
    assert_true(outcome[1] > 10);
    assert_true(outcome[2] > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_in_dir),
        cmocka_unit_test(test_plain_and_missing),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_escape_root),
        cmocka_unit_test(test_loops),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_args_and_errors),
        cmocka_unit_test(test_path_search),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
