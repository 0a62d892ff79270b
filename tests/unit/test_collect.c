/* test_collect.c - collectors, analysis and verdicts on an in-memory file
 * system (memfs.h): crontab discovery and parsing into jobs, program
 * resolution, the temp-directory walk with its bounds, analysis and the
 * reasons and verdicts, all without mke2fs or an image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "artifacts/cronfiles.h"
#include "artifacts/tempdirs.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/analyze.h"
#include "detection/verdict.h"
#include "memfs.h"

/* An ELF header of an i386 executable and nothing else: executable
 * magic for the walk and the analysis, inert. */
static const unsigned char elf32[64] = {
    0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 0, 3, 0, 1, 0, 0, 0
};

typedef struct world {
    ms_fs   *fs;
    ms_scan  scan;
    ms_rules *rules;
    char     rule_path[64];
} world;

static const char RULE[] =
    "rule test_marker { meta: severity = \"malicious\"\n"
    "  strings: $m = \"MUMBLE-TEST-MARKER\" condition: $m }\n";

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    if (!w || !(w->fs = memfs_new()))
        return -1;
    strcpy(w->rule_path, "/tmp/ms-test-collect-XXXXXX");
    int fd = mkstemp(w->rule_path);
    if (fd < 0 || write(fd, RULE, sizeof RULE - 1) != (ssize_t)(sizeof RULE - 1))
        return -1;
    close(fd);
    const char *paths[] = { w->rule_path };
    if (ms_rules_compile(paths, 1, &w->rules, NULL) != MS_OK)
        return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    ms_scan_free(&w->scan);
    ms_fs_close(w->fs);
    ms_rules_free(w->rules);
    unlink(w->rule_path);
    free(w);
    return 0;
}

/* Run the per-volume pipeline of scan.c on the memfs as volume 0. */
static void run(world *w, size_t max_entries)
{
    size_t vi;
    ms_walk_limits lim = { 32, max_entries };
    ms_analyzer a = { w->rules, NULL, 1u << 20, NULL };
    assert_int_equal(ms_grow((void **)&w->scan.volumes, &w->scan.volumes_cap,
                             1, sizeof *w->scan.volumes), MS_OK);
    vi = w->scan.nvolumes++;
    memset(&w->scan.volumes[vi], 0, sizeof w->scan.volumes[vi]);
    w->scan.volumes[vi].state = MS_VOL_EXAMINED;
    assert_int_equal(ms_cronfiles_collect(w->fs, &w->scan, 0, 1u << 20), MS_OK);
    assert_int_equal(ms_tempdirs_collect(w->fs, &w->scan, 0, &lim), MS_OK);
    assert_int_equal(ms_analyze_volume(&a, w->fs, &w->scan, 0), MS_OK);
    assert_int_equal(ms_verdict_apply(&w->scan, w->rules), MS_OK);
}

static const ms_file *file_at(const ms_scan *s, const char *path)
{
    for (size_t i = 0; i < s->nfiles; i++)
        if (!strcmp(s->files[i].ref.path, path))
            return &s->files[i];
    return NULL;
}

static int has_reason(const ms_file *f, const char *code)
{
    for (size_t i = 0; f && i < f->nreasons; i++)
        if (!strcmp(f->reasons[i].code, code))
            return 1;
    return 0;
}

static void test_cron_job_to_temp_backdoor(void **state)
{
    world *w = *state;
    memfs_opts spool = { .mode = 0600, .uid = 33, .gid = 102 };
    memfs_add_text(w->fs, "/var/spool/cron/crontabs/www-data",
                   "# m h dom mon dow command\n"
                   "*/15 * * * * /var/tmp/qCVwOWA >/dev/null 2>&1\n", &spool);
    memfs_opts exe = { .mode = 0755, .uid = 33, .gid = 33 };
    memfs_add_file(w->fs, "/var/tmp/qCVwOWA", elf32, sizeof elf32, &exe);
    run(w, 1000);

    assert_int_equal(w->scan.ncrontabs, 1);
    assert_string_equal(w->scan.crontabs[0].file.path,
                        "/var/spool/cron/crontabs/www-data");
    assert_string_equal(w->scan.crontabs[0].owner, "www-data");
    assert_int_equal(w->scan.njobs, 1);
    const ms_cronjob *j = &w->scan.jobs[0];
    assert_true(j->every_15_min);
    assert_int_equal(j->line, 2);
    assert_int_equal(j->nprograms, 1);
    assert_int_equal(j->programs[0].status, MS_PROG_FOUND);
    assert_string_equal(j->programs[0].resolved, "/var/tmp/qCVwOWA");

    const ms_file *f = file_at(&w->scan, "/var/tmp/qCVwOWA");
    assert_non_null(f);
    assert_true(f->referenced);
    assert_true(f->executable);
    assert_true(f->elf.valid);
    assert_true(has_reason(f, "CRON_15MIN_TEMP_PROGRAM"));
    assert_true(f->verdict >= MS_SEV_SUSPICIOUS);
    assert_true(f->flagged);
}

static void test_yara_hit_through_symlink(void **state)
{
    world *w = *state;
    memfs_add_text(w->fs, "/etc/crontab",
                   "SHELL=/bin/sh\n"
                   "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
                   "*/15 * * * * root updater\n", NULL);
    /* bare name found on the crontab's PATH, through a symlink */
    memfs_add_symlink(w->fs, "/usr/local/bin/updater", "../lib/.x/payload");
    memfs_opts exe = { .mode = 0755 };
    memfs_add_text(w->fs, "/usr/local/lib/.x/payload",
                   "#!/bin/sh\n# MUMBLE-TEST-MARKER\n", &exe);
    run(w, 1000);

    assert_int_equal(w->scan.njobs, 1);
    assert_string_equal(w->scan.jobs[0].user, "root");
    assert_int_equal(w->scan.jobs[0].programs[0].status, MS_PROG_FOUND);
    assert_string_equal(w->scan.jobs[0].programs[0].resolved,
                        "/usr/local/lib/.x/payload");
    const ms_file *f = file_at(&w->scan, "/usr/local/lib/.x/payload");
    assert_non_null(f);
    assert_int_equal(f->nmatches, 1);
    assert_string_equal(f->matches[0].rule, "test_marker");
    assert_true(has_reason(f, "YARA_MATCH"));
    assert_int_equal(f->verdict, MS_SEV_MALICIOUS);
}

static void test_missing_program_and_clean(void **state)
{
    world *w = *state;
    memfs_add_text(w->fs, "/var/spool/cron/crontabs/root",
                   "*/15 * * * * /var/tmp/gone\n"
                   "17 * * * * /usr/bin/true\n", NULL);
    memfs_add_file(w->fs, "/usr/bin/true", elf32, sizeof elf32, NULL);
    memfs_add_text(w->fs, "/tmp/notes.txt", "just text\n", NULL);
    run(w, 1000);

    assert_int_equal(w->scan.njobs, 2);
    assert_int_equal(w->scan.jobs[0].programs[0].status, MS_PROG_MISSING);
    const ms_file *gone = file_at(&w->scan, "/var/tmp/gone");
    assert_non_null(gone);
    assert_true(gone->missing);
    assert_true(has_reason(gone, "CRON_PROGRAM_MISSING"));
    const ms_file *t = file_at(&w->scan, "/usr/bin/true");
    assert_non_null(t);
    assert_false(t->flagged);
    /* a text file in /tmp is listed by the walk but never a finding */
    const ms_file *n = file_at(&w->scan, "/tmp/notes.txt");
    assert_true(n == NULL || !n->flagged);
    assert_true(w->scan.temp_entries >= 1);
}

static void test_walk_bound_and_deleted(void **state)
{
    world *w = *state;
    char path[64];
    for (int i = 0; i < 50; i++) {
        snprintf(path, sizeof path, "/tmp/sess_%02d", i);
        memfs_add_text(w->fs, path, "x", NULL);
    }
    memfs_opts del = { .mode = 0755, .deleted = 1 };
    memfs_add_file(w->fs, "/var/tmp/.hidden/xKzPqRt", elf32, sizeof elf32, &del);
    run(w, 20);
    /* the bound stops /tmp's listing and is reported; /var/tmp has a
     * budget of its own, so the deleted executable there is still seen */
    assert_true(w->scan.temp_entries <= 20 + 2);
    const ms_file *seen = file_at(&w->scan, "/var/tmp/.hidden/xKzPqRt");
    assert_non_null(seen);
    assert_true(seen->flagged);
    int noted = 0;
    for (size_t i = 0; i < w->scan.nerrors; i++)
        noted |= strstr(w->scan.errors[i], "20") != NULL;
    assert_true(noted);

    /* a fresh run without the bound sees the deleted executable */
    ms_scan_free(&w->scan);
    memset(&w->scan, 0, sizeof w->scan);
    run(w, 1000);
    assert_int_equal(w->scan.temp_entries, 50 + 2); /* + .hidden and its file */
    assert_true(w->scan.temp_deleted >= 1);
    const ms_file *f = file_at(&w->scan, "/var/tmp/.hidden/xKzPqRt");
    assert_non_null(f);
    assert_true(f->ref.deleted);
    assert_true(f->flagged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cron_job_to_temp_backdoor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yara_hit_through_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_program_and_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk_bound_and_deleted, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
