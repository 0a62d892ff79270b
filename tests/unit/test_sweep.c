/* test_sweep.c - scan/sweep.c over an in-memory file system: hits,
 * counts, limits and the skipped list's bound, the executables mode, and
 * results that do not depend on the number of workers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/ms_scan.h"
#include "memfs.h"
#include "scan/sweep.h"

static const char RULES[] =
    "rule bad { meta: severity = \"malicious\" strings: $ = \"MUMBLE\" "
    "condition: all of them }\n"
    "rule fact { meta: severity = \"info\" strings: $ = \"FACT\" "
    "condition: all of them }\n";

typedef struct fx {
    char path[64];
    ms_rules *rules;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->path, "/tmp/ms_sweep_XXXXXX.yar");
    int fd = mkstemps(f->path, 4);
    if (fd < 0 || write(fd, RULES, sizeof RULES - 1) != sizeof RULES - 1)
        return -1;
    close(fd);
    const char *paths[] = { f->path };
    char *err = NULL;
    if (ms_rules_compile(paths, 1, &f->rules, &err) != MS_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ms_rules_free(f->rules);
    unlink(f->path);
    free(f);
    return 0;
}

/* The fixture: hits in several directories, clean files, an info-only
 * match, a file over the limit, an empty file, a symlink, a deleted
 * file with content, an ELF without x bit. */
static ms_fs *fixture(void)
{
    ms_fs *fs = memfs_new();
    memfs_opts exe = { .mode = 0755 }, del = { .deleted = 1, .mode = 0755 };
    static const uint8_t elf[] = "\x7f" "ELF....MUMBLE";
    char p[64];
    assert_non_null(fs);
    for (int i = 0; i < 7; i++) {
        snprintf(p, sizeof p, "/d%d/hit%d", i % 3, i);
        assert_true(memfs_add_text(fs, p, "xxMUMBLEyy", i % 2 ? &exe : NULL));
        snprintf(p, sizeof p, "/d%d/clean%d", i % 3, i);
        assert_true(memfs_add_text(fs, p, "nothing here", NULL));
    }
    assert_true(memfs_add_text(fs, "/etc/fact", "a FACT only", NULL));
    assert_true(memfs_add_text(fs, "/srv/big", "0123456789 MUMBLE 0123456789",
                               NULL));
    assert_true(memfs_add_text(fs, "/srv/empty", "", NULL));
    assert_true(memfs_add_symlink(fs, "/srv/link", "/d0/hit0"));
    assert_true(memfs_add_text(fs, "/home/gone", "MUMBLE", &del));
    assert_true(memfs_add_file(fs, "/home/elf", elf, sizeof elf - 1, NULL));
    return fs;
}

static void run(const fx *f, ms_fs *fs, ms_scan *scan, enum ms_sweep_mode m,
                unsigned workers, uint64_t max_file)
{
    ms_sweep_config c = { .mode = m, .workers = workers,
                          .max_file = max_file };
    assert_int_equal(ms_sweep_volume(&c, f->rules, fs, scan, 0), MS_OK);
    assert_non_null(scan->sweep);
}

static void test_all(void **state)
{
    fx *f = *state;
    ms_fs *fs = fixture();
    ms_scan scan = {0};
    run(f, fs, &scan, MS_SWEEP_ALL, 3, 20);
    const ms_sweep_stats *w = scan.sweep;
    /* 7 hits + gone + elf; big is skipped, fact is info only */
    assert_int_equal(w->hits, 9);
    assert_int_equal(scan.nfiles, 9);
    for (size_t i = 0; i < scan.nfiles; i++) {
        assert_int_equal(scan.files[i].origin, MS_ORIGIN_SWEEP);
        if (i)   /* recorded in (volume, inode, path) order */
            assert_true(scan.files[i - 1].ref.inode <
                        scan.files[i].ref.inode);
    }
    assert_int_equal(w->info_only, 1);
    assert_int_equal(w->empty, 1);
    assert_int_equal(w->files_scanned, 7 + 7 + 1 + 1 + 1);
    assert_int_equal(w->deleted_scanned, 1);
    assert_int_equal(w->skipped_total, 1);
    assert_int_equal(w->nskipped, 1);
    assert_string_equal(w->skipped[0].path, "/srv/big");
    assert_string_equal(w->skipped[0].reason, "max_file");
    assert_int_equal(w->workers, 3);
    ms_scan_free(&scan);
    ms_fs_close(fs);
}

static void test_executables(void **state)
{
    fx *f = *state;
    ms_fs *fs = fixture();
    ms_scan scan = {0};
    run(f, fs, &scan, MS_SWEEP_EXECUTABLES, 2, 0);
    const ms_sweep_stats *w = scan.sweep;
    /* x bit: hit1, hit3, hit5 and the deleted one; ELF magic: elf */
    assert_int_equal(w->hits, 5);
    for (size_t i = 0; i < scan.nfiles; i++)
        assert_true(strstr(scan.files[i].ref.path, "hit") ||
                    !strcmp(scan.files[i].ref.path, "/home/gone") ||
                    !strcmp(scan.files[i].ref.path, "/home/elf"));
    /* 4 hits and 7 clean without x bit, fact, big; empty is counted first */
    assert_int_equal(w->files_not_selected, 4 + 7 + 2);
    assert_int_equal(w->skipped_total, 0);
    ms_scan_free(&scan);
    ms_fs_close(fs);
}

/* Same files, same order, same counts with 1 and 4 workers. */
static void test_workers_do_not_matter(void **state)
{
    fx *f = *state;
    ms_scan a = {0}, b = {0};
    ms_fs *fa = fixture(), *fb = fixture();
    run(f, fa, &a, MS_SWEEP_ALL, 1, 20);
    run(f, fb, &b, MS_SWEEP_ALL, 4, 20);
    assert_int_equal(a.nfiles, b.nfiles);
    for (size_t i = 0; i < a.nfiles; i++)
        assert_string_equal(a.files[i].ref.path, b.files[i].ref.path);
    assert_int_equal(a.sweep->files_scanned, b.sweep->files_scanned);
    assert_int_equal(a.sweep->bytes_scanned, b.sweep->bytes_scanned);
    ms_scan_free(&a);
    ms_scan_free(&b);
    ms_fs_close(fa);
    ms_fs_close(fb);
}

/* More skipped files than the bound: all counted, the first
 * MS_SWEEP_SKIP_BOUND in (volume, inode, path) order listed. */
static void test_skip_bound(void **state)
{
    fx *f = *state;
    ms_fs *fs = memfs_new();
    ms_scan scan = {0};
    char p[64];
    size_t n = MS_SWEEP_SKIP_BOUND * 2 + 321;
    assert_non_null(fs);
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof p, "/many/f%05zu", i);
        assert_true(memfs_add_text(fs, p, "two", NULL));
    }
    run(f, fs, &scan, MS_SWEEP_ALL, 2, 2);
    const ms_sweep_stats *w = scan.sweep;
    assert_int_equal(w->skipped_total, n);
    assert_int_equal(w->nskipped, MS_SWEEP_SKIP_BOUND);
    assert_int_equal(w->skipped_bound, MS_SWEEP_SKIP_BOUND);
    for (size_t i = 1; i < w->nskipped; i++)
        assert_true(w->skipped[i - 1].inode < w->skipped[i].inode);
    /* the smallest inodes are the ones kept: the first files added */
    assert_string_equal(w->skipped[0].path, "/many/f00000");
    assert_int_equal(w->files_scanned, 0);
    ms_scan_free(&scan);
    ms_fs_close(fs);
}

/* More hits than MS_SWEEP_MAX_HITS: all counted, and the ones recorded
 * are the smallest keys whatever order the workers finished in. */
static void test_hit_bound(void **state)
{
    fx *f = *state;
    ms_scan a = {0}, b = {0};
    ms_fs *fa = memfs_new(), *fb = memfs_new();
    char p[64];
    size_t extra = 37, n = MS_SWEEP_MAX_HITS + extra;
    assert_non_null(fa);
    assert_non_null(fb);
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof p, "/h/f%05zu", i);
        assert_true(memfs_add_text(fa, p, "MUMBLE", NULL));
        assert_true(memfs_add_text(fb, p, "MUMBLE", NULL));
    }
    run(f, fa, &a, MS_SWEEP_ALL, 1, 0);
    run(f, fb, &b, MS_SWEEP_ALL, 3, 0);
    assert_int_equal(a.nfiles, MS_SWEEP_MAX_HITS);
    assert_int_equal(b.nfiles, MS_SWEEP_MAX_HITS);
    assert_int_equal(a.sweep->hits_not_recorded, extra);
    assert_int_equal(b.sweep->hits_not_recorded, extra);
    for (size_t i = 0; i < a.nfiles; i++) {
        assert_string_equal(a.files[i].ref.path, b.files[i].ref.path);
        if (i)
            assert_true(a.files[i - 1].ref.inode < a.files[i].ref.inode);
    }
    /* the first files added have the smallest inodes */
    assert_string_equal(b.files[0].ref.path, "/h/f00000");
    snprintf(p, sizeof p, "/h/f%05u", MS_SWEEP_MAX_HITS - 1);
    assert_string_equal(b.files[b.nfiles - 1].ref.path, p);
    ms_scan_free(&a);
    ms_scan_free(&b);
    ms_fs_close(fa);
    ms_fs_close(fb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_executables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workers_do_not_matter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_skip_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hit_bound, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
