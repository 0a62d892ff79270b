/* test_report.c - text, JSON and bodyfile writers over an in-memory scan
 * holding hostile strings, plus the summary / exit status rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <jansson.h>

#include "artifacts/cron_persist.h"
#include "common/ms_persist.h"
#include "common/ms_scan.h"
#include "report/report.h"

/* ESC, newline, '|', invalid UTF-8 0xff and markup, all in one name. */
#define HOSTILE_PATH "/tmp/a\x1b[31m\nb|c\xff<script>alert(1)</script>"
#define HOSTILE_HEX "2f746d702f611b5b33316d0a627c63ff3c7363726970743e616c" \
                    "6572742831293c2f7363726970743e"
#define T0 1428400800 /* 2015-04-07T10:00:00Z */

/* ---- building and freeing an ms_scan (the lead owns the real one) ---- */

static char *xs(const char *s)
{
    char *p = s ? strdup(s) : NULL;
    if (s && !p)
        abort();
    return p;
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n, sz);
    if (!p)
        abort();
    return p;
}

/* The scan built here follows the model's ownership rules, so the
 * library's own destructor frees it (and is exercised by it). */
static void scan_free(ms_scan *s)
{
    ms_scan_free(s);
    free(s);
}

static void ref_set(ms_fileref *r, int vol, const char *path, uint64_t ino,
                    uint32_t mode, uint64_t size, int64_t t)
{
    r->volume = vol;
    r->path = xs(path);
    r->inode = ino;
    r->has_inode = 1;
    r->type = MS_FT_REG;
    r->mode = mode;
    r->size = size;
    for (int k = 0; k < MS_T_DTIME; k++) {
        r->times[k].set = 1;
        r->times[k].sec = t + k;
        r->times[k].nsec = 0;
    }
}

static void add_reason(ms_file *f, const char *code, enum ms_severity sev,
                       const char *text)
{
    f->reasons = realloc(f->reasons, (f->nreasons + 1) * sizeof *f->reasons);
    if (!f->reasons)
        abort();
    f->reasons[f->nreasons].code = code;
    f->reasons[f->nreasons].severity = sev;
    f->reasons[f->nreasons].text = xs(text);
    f->reasons[f->nreasons].ev = (ms_reason_ev){ 0 };
    f->nreasons++;
    if (sev > f->verdict)
        f->verdict = sev;
    f->flagged = f->verdict >= MS_SEV_SUSPICIOUS;
}

static void set_prog(ms_program *p, const char *as, const char *res,
                     enum ms_prog_status st, long file)
{
    p->as_written = xs(as);
    p->resolved = xs(res);
    p->status = st;
    p->file_index = file;
}

static void build_volumes(ms_scan *s)
{
    s->nvolumes = 3;
    s->volumes = xcalloc(3, sizeof *s->volumes);
    const char *desc[3] = { "Linux (0x83)", "Linux \x1b]0;pwn\x07 (0x83)",
                            "Unallocated" };
    for (int i = 0; i < 3; i++) {
        ms_volume *v = &s->volumes[i];
        v->index = i;
        v->offset = 1048576ULL * (uint64_t)(i + 1);
        v->length = 1048576;
        v->vs_type = xs("dos");
        v->desc = xs(desc[i]);
        v->slot = i < 2 ? i : -1;
    }
    s->volumes[0].fs_type = xs("ext4");
    s->volumes[0].state = MS_VOL_EXAMINED;
    s->volumes[1].state = MS_VOL_NOT_EXAMINED;
    s->volumes[1].note = xs("no file system found");
    s->volumes[2].state = MS_VOL_NO_FS;
}

static void build_cron(ms_scan *s)
{
    s->ncrontabs = 2;
    s->crontabs = xcalloc(2, sizeof *s->crontabs);
    ref_set(&s->crontabs[0].file, 0, "/var/spool/cron/crontabs/root", 40,
            0600, 60, T0 - 100);
    s->crontabs[0].owner = xs("root");
    s->crontabs[0].readable = 1;
    ref_set(&s->crontabs[1].file, 0, "/etc/crontab", 41, 0644, 700, T0 - 200);
    s->crontabs[1].system = 1;
    s->crontabs[1].readable = 1;

    s->njobs = 3;
    s->jobs = xcalloc(3, sizeof *s->jobs);
    ms_cronjob *j = &s->jobs[0];
    j->crontab = 0;
    j->line = 3;
    j->user = xs("root");
    j->schedule = xs("*/15 * * * *");
    j->schedule_words = xs("every 15 minutes");
    j->trigger = (ms_trigger){ .type = MS_TRIG_TIMES,
                               .minutes = 1ULL | 1ULL << 15 | 1ULL << 30 |
                                          1ULL << 45,
                               .hours = (1u << 24) - 1, .every_day = 1 };
    j->every_15_min = ms_trigger_every(&j->trigger, 15);
    j->command = xs("/var/tmp/qCVwOWA >/dev/null 2>&1");
    j->nprograms = 1;
    j->programs = xcalloc(1, sizeof *j->programs);
    set_prog(&j->programs[0], "/var/tmp/qCVwOWA", "/var/tmp/qCVwOWA",
             MS_PROG_FOUND, 0);

    j = &s->jobs[1];
    j->crontab = 1;
    j->line = 5;
    j->user = xs("root");
    j->schedule = xs("0 3 * * *");
    j->schedule_words = xs("at 03:00 every day");
    j->trigger = (ms_trigger){ .type = MS_TRIG_TIMES, .minutes = 1,
                               .hours = 1u << 3, .every_day = 1 };
    j->command = xs("/usr/local/bin/gone");
    j->nprograms = 1;
    j->programs = xcalloc(1, sizeof *j->programs);
    set_prog(&j->programs[0], "/usr/local/bin/gone", NULL, MS_PROG_MISSING,
             3);

    j = &s->jobs[2];
    j->crontab = 0;
    j->line = 4;
    j->user = xs("root");
    j->schedule = xs("@reboot");
    j->schedule_words = xs("at boot");
    j->trigger.type = MS_TRIG_BOOT;
    j->reboot = 1;
    j->command = xs(HOSTILE_PATH);
    j->nprograms = 1;
    j->programs = xcalloc(1, sizeof *j->programs);
    set_prog(&j->programs[0], HOSTILE_PATH, HOSTILE_PATH, MS_PROG_FOUND, 5);
    /* the generic records, as the cron collector makes them */
    if (ms_cron_persistence(s, 0) != MS_OK)
        abort();
}

static void build_malicious(ms_file *f)
{
    ref_set(&f->ref, 0, "/var/tmp/qCVwOWA", 12, 0755, 4096, T0);
    f->origin = MS_ORIGIN_CRON_PROGRAM | MS_ORIGIN_TEMP_DIR;
    f->content_read = 1;
    f->executable = 1;
    f->referenced = 1;
    f->name_score = 80;
    f->magic = xs("ELF 32-bit LSB executable, Intel 80386");
    f->elf = (ms_elfinfo){ 1, 32, 0, 3, 9, 2, "Intel 80386", "FreeBSD" };
    memset(f->md5, 'a', 32);
    memset(f->sha1, 'b', 40);
    memset(f->sha256, 'c', 64);
    f->nmatches = 1;
    f->matches = xcalloc(1, sizeof *f->matches);
    f->matches[0].rule = xs("mumblehard_packer");
    f->matches[0].ns = xs("default");
    f->matches[0].string_id = xs("$decrypt");
    f->matches[0].offset = 0x4a8;
    f->matches[0].data_hex = xs("31c0");
    add_reason(f, "YARA_MATCH", MS_SEV_MALICIOUS,
               "YARA rule mumblehard_packer matched");
    add_reason(f, "CRON_15MIN_TEMP_PROGRAM", MS_SEV_SUSPICIOUS,
               "run every 15 minutes from /var/tmp");
}

static void build_files(ms_scan *s)
{
    s->nfiles = 6;
    s->files = xcalloc(6, sizeof *s->files);
    build_malicious(&s->files[0]);

    ms_file *f = &s->files[1];               /* suspicious, random name */
    ref_set(&f->ref, 0, "/tmp/.xZqWp", 13, 0700, 100, T0 + 10);
    f->origin = MS_ORIGIN_TEMP_DIR;
    f->content_read = 1;
    f->executable = 1;
    add_reason(f, "TEMP_EXEC_RANDOM_NAME", MS_SEV_SUSPICIOUS,
               "random-looking executable name in /tmp");

    f = &s->files[2];                        /* clean */
    ref_set(&f->ref, 0, "/tmp/notes.txt", 14, 0644, 10, T0 - 50);
    f->origin = MS_ORIGIN_TEMP_DIR;
    f->content_read = 1;
    memset(f->md5, 'd', 32);
    memset(f->sha1, 'e', 40);
    memset(f->sha256, 'f', 64);

    f = &s->files[3];                        /* missing cron program */
    f->ref.volume = 0;
    f->ref.path = xs("/usr/local/bin/gone");
    f->missing = 1;
    f->origin = MS_ORIGIN_CRON_PROGRAM;
    f->referenced = 1;
    add_reason(f, "CRON_PROGRAM_MISSING", MS_SEV_SUSPICIOUS,
               "cron runs a program that is not in the image");

    f = &s->files[4];                        /* deleted executable */
    ref_set(&f->ref, 0, "/var/tmp/dropper", 15, 04755, 2000, T0 + 20);
    f->ref.deleted = 1;
    f->ref.times[MS_T_DTIME].set = 1;
    f->ref.times[MS_T_DTIME].sec = T0 + 30;
    f->origin = MS_ORIGIN_TEMP_DIR;
    f->content_note = xs("blocks reallocated");
    add_reason(f, "TEMP_EXEC_DELETED", MS_SEV_SUSPICIOUS,
               "deleted executable in /var/tmp");

    f = &s->files[5];                        /* hostile name */
    ref_set(&f->ref, 0, HOSTILE_PATH, 16, 0755, 1, T0 + 40);
    f->origin = MS_ORIGIN_CRON_PROGRAM | MS_ORIGIN_TEMP_DIR;
    f->content_read = 1;
    f->magic = xs("data \x1b[2J");
    add_reason(f, "CRON_TEMP_PROGRAM", MS_SEV_SUSPICIOUS,
               "cron runs " HOSTILE_PATH);
}

static ms_scan *build_scan(void)
{
    ms_scan *s = xcalloc(1, sizeof *s);
    s->nimages = 1;
    s->images = xcalloc(1, sizeof *s->images);
    s->images[0] = xs("/evidence/web01.dd");
    s->image_type = xs("raw");
    s->image_size = 8ULL << 20;
    s->sector_size = 512;
    s->started = T0 + 86400;
    s->finished = T0 + 86401;
    s->rules_desc = xs("bundled");
    build_volumes(s);
    build_cron(s);
    build_files(s);
    s->nerrors = 2;
    s->errors = xcalloc(2, sizeof *s->errors);
    s->errors[0] = xs("volume 1: cannot open file system");
    s->errors[1] = xs("bad name \xff\xfe in directory");
    return s;
}

/* ---- rendering helpers ------------------------------------------------ */

static char *render(const ms_scan *s, ms_report_format fmt,
                    size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    ms_report_info info = { "9.9-test", NULL };
    assert_int_equal(ms_report_write(f, fmt, s, &info), MS_OK);
    assert_int_equal(fclose(f), 0);
    if (len)
        *len = n;
    return buf;
}

static int setup(void **state)
{
    *state = build_scan();
    return 0;
}

static int teardown(void **state)
{
    scan_free(*state);
    return 0;
}

/* ---- summary ---------------------------------------------------------- */

static void test_summary_counts(void **state)
{
    ms_summary m;
    assert_int_equal(ms_summary_compute(*state, &m), MS_OK);
    assert_int_equal(m.malicious, 1);
    assert_int_equal(m.suspicious, 4);
    assert_int_equal(m.clean, 1);
    assert_int_equal(m.files_examined, 5);
    assert_int_equal(m.files_missing, 1);
    assert_int_equal(m.cron_jobs, 3);
    assert_int_equal(m.every_15_min_jobs, 1);
    assert_int_equal(m.volumes_examined, 1);
    assert_int_equal(m.volumes_not_examined, 1);
    assert_int_equal(m.volumes_no_fs, 1);
    assert_int_equal(m.exit_status, 1);
    assert_string_equal(m.verdict, "malicious");
    assert_int_equal(ms_summary_compute(NULL, &m), MS_ERR_ARG);
}

static void test_exit_status_rules(void **state)
{
    ms_volume v[2];
    ms_file f;
    ms_scan s;
    ms_summary m;
    (void)state;

    memset(v, 0, sizeof v);
    memset(&f, 0, sizeof f);
    memset(&s, 0, sizeof s);
    /* no volume at all -> 2, incomplete */
    assert_int_equal(ms_summary_compute(&s, &m), MS_OK);
    assert_int_equal(m.exit_status, 2);
    assert_string_equal(m.verdict, "incomplete");
    /* only a volume without file system -> 2 */
    s.volumes = v;
    s.nvolumes = 1;
    v[0].state = MS_VOL_NO_FS;
    assert_int_equal(ms_summary_compute(&s, &m), MS_OK);
    assert_int_equal(m.exit_status, 2);
    /* examined + not examined, nothing found -> 3 */
    v[0].state = MS_VOL_EXAMINED;
    v[1].state = MS_VOL_NOT_EXAMINED;
    s.nvolumes = 2;
    assert_int_equal(ms_summary_compute(&s, &m), MS_OK);
    assert_int_equal(m.exit_status, 3);
    assert_string_equal(m.verdict, "incomplete");
    /* all examined, nothing found -> 0 clean (info reasons do not count) */
    v[1].state = MS_VOL_NO_FS;
    s.files = &f;
    s.nfiles = 1;
    f.verdict = MS_SEV_INFO;
    assert_int_equal(ms_summary_compute(&s, &m), MS_OK);
    assert_int_equal(m.exit_status, 0);
    assert_string_equal(m.verdict, "clean");
    /* a suspicious file wins over everything, even no volume examined */
    f.verdict = MS_SEV_SUSPICIOUS;
    v[0].state = MS_VOL_NOT_EXAMINED;
    assert_int_equal(ms_summary_compute(&s, &m), MS_OK);
    assert_int_equal(m.exit_status, 1);
    assert_string_equal(m.verdict, "suspicious");
    f.verdict = MS_SEV_MALICIOUS;
    assert_int_equal(ms_summary_compute(&s, &m), MS_OK);
    assert_string_equal(m.verdict, "malicious");
    assert_int_equal(m.exit_status, 1);
}

static void test_dispatch_errors(void **state)
{
    ms_report_format fmt = MS_REPORT_TEXT;
    assert_int_equal(ms_report_format_parse("json", &fmt), MS_OK);
    assert_int_equal(fmt, MS_REPORT_JSON);
    assert_int_equal(ms_report_format_parse("bodyfile", &fmt), MS_OK);
    assert_int_equal(fmt, MS_REPORT_BODYFILE);
    assert_int_equal(ms_report_format_parse("xml", &fmt), MS_ERR_ARG);
    assert_int_equal(ms_report_write(stdout, (ms_report_format)7,
                                     *state, NULL), MS_ERR_ARG);
    assert_int_equal(ms_report_write(NULL, MS_REPORT_TEXT, *state, NULL),
                     MS_ERR_ARG);
    /* A full disk must be reported, not ignored. */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        assert_int_equal(ms_report_write(full, MS_REPORT_JSON, *state, NULL),
                         MS_ERR_IO);
        fclose(full);
        full = fopen("/dev/full", "w");
        assert_non_null(full);
        assert_int_equal(ms_report_write(full, MS_REPORT_TEXT, *state, NULL),
                         MS_ERR_IO);
        fclose(full);
    }
}

/* The caller may override the summary (e.g. the exit status). */
static void test_summary_override(void **state)
{
    ms_summary m;
    char *buf = NULL;
    size_t n = 0;
    assert_int_equal(ms_summary_compute(*state, &m), MS_OK);
    m.exit_status = 2;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    ms_report_info info = { NULL, &m };
    assert_int_equal(ms_report_write(f, MS_REPORT_JSON, *state, &info), MS_OK);
    fclose(f);
    json_t *root = json_loadb(buf, n, 0, NULL);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(
        json_object_get(root, "summary"), "exit_status")), 2);
    assert_string_equal(json_string_value(json_object_get(
        json_object_get(root, "tool"), "version")), "unknown");
    json_decref(root);
    free(buf);
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *jget(json_t *o, const char *path)
{
    /* "a.b.0.c": objects by key, arrays by index */
    char tmp[256], *save = NULL;
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *k = strtok_r(tmp, ".", &save); k && o;
         k = strtok_r(NULL, ".", &save)) {
        if (json_is_array(o))
            o = json_array_get(o, (size_t)strtoul(k, NULL, 10));
        else
            o = json_object_get(o, k);
    }
    assert_non_null(o);
    return o;
}

static const char *jstr(json_t *o, const char *path)
{
    json_t *v = jget(o, path);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static long long jint(json_t *o, const char *path)
{
    json_t *v = jget(o, path);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static json_t *load_json(const ms_scan *s)
{
    size_t n;
    char *buf = render(s, MS_REPORT_JSON, &n);
    json_error_t err;
    json_t *root = json_loadb(buf, n, 0, &err);
    if (!root)
        fail_msg("JSON does not parse: %s (line %d)", err.text, err.line);
    free(buf);
    return root;
}

static void test_json_top(void **state)
{
    json_t *r = load_json(*state);
    static const char *keys[] = { "schema_version", "tool", "image", "scan",
        "hosts", "summary", "story", "case",
        "evidence", "provenance", "volumes", "crontabs", "cron_jobs", "findings", "examined", "timeline",
        "errors", "unreadable", "systems", "persistence",
        "execution_history", "entry", "sweep", "coverage" };
    /* key order is part of the stable output */
    const char *k;
    json_t *v;
    size_t i = 0;
    json_object_foreach(r, k, v) {
        assert_true(i < sizeof keys / sizeof keys[0]);
        assert_string_equal(k, keys[i++]);
    }
    assert_int_equal(i, sizeof keys / sizeof keys[0]);

    assert_string_equal(jstr(r, "tool.name"), "mumblescan");
    assert_string_equal(jstr(r, "tool.version"), "9.9-test");
    assert_string_equal(jstr(r, "scan.started"),
                        "2015-04-08T10:00:00.000000000Z");
    assert_string_equal(jstr(r, "scan.images.0"), "/evidence/web01.dd");
    assert_int_equal(jint(r, "scan.image_size"), 8 << 20);
    assert_int_equal(jint(r, "scan.sector_size"), 512);
    assert_string_equal(jstr(r, "summary.verdict"), "malicious");
    assert_int_equal(jint(r, "summary.malicious"), 1);
    assert_int_equal(jint(r, "summary.suspicious"), 4);
    assert_int_equal(jint(r, "summary.files_examined"), 5);
    assert_int_equal(jint(r, "summary.cron_jobs"), 3);
    assert_int_equal(jint(r, "summary.every_15_min_jobs"), 1);
    assert_int_equal(jint(r, "summary.volumes_examined"), 1);
    assert_int_equal(jint(r, "summary.volumes_not_examined"), 1);
    assert_int_equal(jint(r, "summary.exit_status"), 1);
    assert_int_equal(json_array_size(jget(r, "errors")), 2);
    assert_string_equal(jstr(r, "errors.1"), "bad name \\xff\\xfe in "
                        "directory");
    json_decref(r);
}

static void test_json_volumes_cron(void **state)
{
    json_t *r = load_json(*state);
    assert_int_equal(json_array_size(jget(r, "volumes")), 3);
    assert_int_equal(jint(r, "volumes.0.offset"), 1048576);
    assert_string_equal(jstr(r, "volumes.0.fs_type"), "ext4");
    assert_string_equal(jstr(r, "volumes.0.state"), "examined");
    assert_true(json_is_null(jget(r, "volumes.0.note")));
    assert_string_equal(jstr(r, "volumes.1.state"), "not_examined");
    assert_true(json_is_null(jget(r, "volumes.1.fs_type")));
    assert_string_equal(jstr(r, "volumes.1.note"), "no file system found");
    /* control bytes are valid UTF-8: kept, JSON escapes them itself */
    assert_string_equal(jstr(r, "volumes.1.description"),
                        "Linux \x1b]0;pwn\x07 (0x83)");
    assert_string_equal(jstr(r, "volumes.2.state"), "no_fs");
    assert_true(json_is_null(jget(r, "volumes.2.slot")));
    assert_int_equal(jint(r, "volumes.1.slot"), 1);

    assert_int_equal(jint(r, "crontabs.1.index"), 1);
    assert_string_equal(jstr(r, "crontabs.0.owner"), "root");
    assert_true(json_is_null(jget(r, "crontabs.1.owner")));
    assert_true(json_is_true(jget(r, "crontabs.1.system")));
    assert_int_equal(jint(r, "crontabs.0.inode"), 40);
    assert_string_equal(jstr(r, "crontabs.0.times.mtime"),
                        "2015-04-07T09:58:20.000000000Z");
    assert_true(json_is_null(jget(r, "crontabs.0.times.dtime")));

    assert_int_equal(json_array_size(jget(r, "cron_jobs")), 3);
    assert_string_equal(jstr(r, "cron_jobs.0.file"),
                        "/var/spool/cron/crontabs/root");
    assert_int_equal(jint(r, "cron_jobs.0.line"), 3);
    assert_true(json_is_true(jget(r, "cron_jobs.0.every_15_minutes")));
    assert_true(json_is_false(jget(r, "cron_jobs.1.every_15_minutes")));
    assert_string_equal(jstr(r, "cron_jobs.0.schedule"), "*/15 * * * *");
    assert_string_equal(jstr(r, "cron_jobs.0.programs.0.status"), "found");
    assert_int_equal(jint(r, "cron_jobs.0.programs.0.file"), 0);
    assert_string_equal(jstr(r, "cron_jobs.1.programs.0.status"), "missing");
    assert_true(json_is_null(jget(r, "cron_jobs.1.programs.0.resolved")));
    assert_true(json_is_true(jget(r, "cron_jobs.2.reboot")));
    assert_string_equal(jstr(r, "cron_jobs.2.programs.0.as_written_hex"),
                        HOSTILE_HEX);
    assert_string_equal(jstr(r, "cron_jobs.2.command_hex"), HOSTILE_HEX);
    json_decref(r);
}

static json_t *file_by_id(json_t *r, long long id)
{
    const char *lists[] = { "findings", "examined" };
    for (int l = 0; l < 2; l++) {
        json_t *a = jget(r, lists[l]), *f;
        size_t i;
        json_array_foreach(a, i, f)
            if (json_integer_value(json_object_get(f, "id")) == id)
                return f;
    }
    fail_msg("file id %lld not in the report", id);
    return NULL;
}

static void test_json_files(void **state)
{
    json_t *r = load_json(*state);
    assert_int_equal(json_array_size(jget(r, "findings")), 5);
    assert_int_equal(json_array_size(jget(r, "examined")), 1);
    assert_int_equal(jint(r, "examined.0.id"), 2);
    assert_string_equal(jstr(r, "examined.0.verdict"), "clean");

    json_t *f = file_by_id(r, 0);
    assert_string_equal(jstr(f, "path"), "/var/tmp/qCVwOWA");
    assert_null(json_object_get(f, "path_hex"));
    assert_string_equal(jstr(f, "verdict"), "malicious");
    assert_string_equal(jstr(f, "mode"), "0755");
    assert_string_equal(jstr(f, "type"), "file");
    assert_string_equal(jstr(f, "content"), "scanned");
    assert_string_equal(jstr(f, "origin.0"), "cron_program");
    assert_string_equal(jstr(f, "origin.1"), "temp_dir");
    assert_true(json_is_true(jget(f, "referenced_by_cron")));
    assert_int_equal(jint(f, "elf.class"), 32);
    assert_string_equal(jstr(f, "elf.endian"), "little");
    assert_int_equal(jint(f, "elf.machine"), 3);
    assert_string_equal(jstr(f, "elf.osabi_name"), "FreeBSD");
    assert_int_equal(strlen(jstr(f, "hashes.sha256")), 64);
    assert_string_equal(jstr(f, "yara.0.rule"), "mumblehard_packer");
    assert_string_equal(jstr(f, "yara.0.string"), "$decrypt");
    assert_int_equal(jint(f, "yara.0.offset"), 0x4a8);
    assert_string_equal(jstr(f, "yara.0.data"), "31c0");
    assert_string_equal(jstr(f, "reasons.0.code"), "YARA_MATCH");
    assert_string_equal(jstr(f, "reasons.0.severity"), "malicious");
    assert_string_equal(jstr(f, "reasons.1.severity"), "suspicious");
    assert_string_equal(jstr(f, "times.mtime"),
                        "2015-04-07T10:00:00.000000000Z");

    f = file_by_id(r, 3);
    assert_true(json_is_true(jget(f, "missing")));
    assert_true(json_is_null(jget(f, "inode")));
    assert_true(json_is_null(jget(f, "hashes")));
    assert_true(json_is_null(jget(f, "elf")));
    assert_string_equal(jstr(f, "content"), "missing");
    assert_string_equal(jstr(f, "reasons.0.code"), "CRON_PROGRAM_MISSING");

    f = file_by_id(r, 4);
    assert_true(json_is_true(jget(f, "deleted")));
    assert_string_equal(jstr(f, "mode"), "4755");
    assert_string_equal(jstr(f, "content"), "unreadable");
    assert_string_equal(jstr(f, "content_note"), "blocks reallocated");
    assert_string_equal(jstr(f, "times.dtime"),
                        "2015-04-07T10:00:30.000000000Z");

    f = file_by_id(r, 5);
    assert_string_equal(jstr(f, "path_hex"), HOSTILE_HEX);
    const char *p = jstr(f, "path");
    assert_null(strchr(p, '\x1b'));
    assert_null(strchr(p, '\n'));
    assert_null(strchr(p, '\xff'));
    assert_non_null(strstr(p, "<script>"));
    assert_non_null(jget(f, "reasons.0.text_hex"));
    assert_null(json_object_get(f, "magic_hex")); /* valid UTF-8 */
    json_decref(r);
}

/* Corrupt values from an image: never wrapped, never read out of bounds. */
static void test_json_hostile_values(void **state)
{
    ms_scan *s = *state;
    s->files[1].ref.inode = UINT64_MAX;
    s->files[1].ref.times[MS_T_MTIME].nsec = 2000000000u; /* malformed */
    memset(s->files[1].md5, 'a', sizeof s->files[1].md5); /* no NUL */
    s->jobs[1].crontab = 99;
    s->jobs[1].programs[0].file_index = 1000;
    /* the same for its persistence record: no source, a file out of range */
    ms_fileref_clear(&s->persistence[1].source);
    s->persistence[1].source.volume = -1;
    s->persistence[1].programs[0].file_index = 1000;

    json_t *r = load_json(s);
    json_t *f = file_by_id(r, 1);
    assert_string_equal(jstr(f, "inode"), "18446744073709551615");
    assert_true(json_is_null(jget(f, "times.mtime")));
    assert_int_equal(strlen(jstr(f, "hashes.md5")), 33);
    assert_true(json_is_null(jget(r, "cron_jobs.1.crontab")));
    assert_true(json_is_null(jget(r, "cron_jobs.1.file")));
    assert_int_equal(jint(r, "cron_jobs.1.volume"), -1);
    assert_true(json_is_null(jget(r, "cron_jobs.1.programs.0.file")));
    /* the malformed time is left out of the timeline too */
    assert_int_equal(json_array_size(jget(r, "timeline")), 5 * 4 + 1 + 2 * 4
                     - 1);
    json_decref(r);

    size_t n;
    char *b = render(s, MS_REPORT_BODYFILE, &n);
    assert_non_null(strstr(b, "\n0|v0:/tmp/.xZqWp|18446744073709551615|"
                              "r/rrwx------|0|0|100|1428400811|0|"));
    free(b);
    b = render(s, MS_REPORT_TEXT, &n);
    assert_non_null(strstr(b, "v-1:?:5  cron, user root"));
    free(b);
}

static int event_rank(const char *e)
{
    const char *p = strchr("macbd", e[0]);
    assert_non_null(p);
    return (int)(p - "macbd");
}

static void test_json_timeline(void **state)
{
    json_t *r = load_json(*state);
    json_t *tl = jget(r, "timeline"), *e;
    size_t i;
    /* 4 times for 5 existing files (+1 dtime) + 4 per crontab */
    assert_int_equal(json_array_size(tl), 5 * 4 + 1 + 2 * 4);
    for (i = 1; i < json_array_size(tl); i++) {
        json_t *a = json_array_get(tl, i - 1), *b = json_array_get(tl, i);
        int c = strcmp(jstr(a, "time"), jstr(b, "time"));
        if (c == 0)
            c = strcmp(jstr(a, "path"), jstr(b, "path"));
        if (c == 0)
            c = event_rank(jstr(a, "event")) - event_rank(jstr(b, "event"));
        assert_true(c <= 0);
    }
    assert_string_equal(jstr(tl, "0.path"), "/etc/crontab");
    assert_string_equal(jstr(tl, "0.source"), "crontab");
    assert_true(json_is_null(jget(tl, "0.verdict")));
    int seen_hex = 0, seen_examined = 0;
    json_array_foreach(tl, i, e) {
        if (json_object_get(e, "path_hex"))
            seen_hex++;
        if (strcmp(jstr(e, "source"), "examined") == 0) {
            seen_examined++;
            assert_string_equal(jstr(e, "verdict"), "clean");
        }
        assert_null(strstr(jstr(e, "path"), "/usr/local/bin/gone"));
    }
    assert_int_equal(seen_hex, 4);
    assert_int_equal(seen_examined, 4);
    json_decref(r);
}

static void test_json_deterministic(void **state)
{
    size_t n1, n2;
    char *a = render(*state, MS_REPORT_JSON, &n1);
    char *b = render(*state, MS_REPORT_JSON, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    assert_true(n1 > 0 && a[n1 - 1] == '\n');
    free(a);
    free(b);
}

/* ---- text ------------------------------------------------------------- */

static void test_text(void **state)
{
    size_t n;
    char *t = render(*state, MS_REPORT_TEXT, &n);
    assert_int_equal(strlen(t), n);
    assert_true(strncmp(t, "VERDICT: MALICIOUS\n", 19) == 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f || c == 0xff)
            fail_msg("raw byte 0x%02x at offset %zu", c, i);
    }
    const char *order[] = { "VERDICT:", "\nFindings (5)\n",
        "\nPersistence: programs run later or again (3)\n",
        "\nVolumes (3)\n", "\nTimeline (",
        "\nErrors (2)\n" };
    const char *prev = t;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(t, order[i]);
        if (!p || p < prev)
            fail_msg("section %s missing or out of order", order[i]);
        prev = p;
    }
    assert_non_null(strstr(t, "exit:     1 (suspicious or malicious"));
    assert_non_null(strstr(t, "[MALICIOUS] v0:/var/tmp/qCVwOWA"));
    assert_non_null(strstr(t, "YARA_MATCH: YARA rule mumblehard_packer"));
    assert_non_null(strstr(t, "mumblehard_packer (namespace default) "
                              "string $decrypt at offset 1192"));
    assert_non_null(strstr(t, "[EVERY 15 MINUTES]"));
    assert_non_null(strstr(t, "*/15 * * * *"));
    assert_non_null(strstr(t, "every 15 minutes"));
    assert_non_null(strstr(t, "/usr/local/bin/gone  missing"));
    assert_non_null(strstr(t, "(deleted)"));
    assert_non_null(strstr(t, "\\x1b[31m"));
    assert_non_null(strstr(t, "not_examined"));
    assert_non_null(strstr(t, "no file system found"));
    /* the malicious finding comes before the suspicious ones */
    assert_true(strstr(t, "[MALICIOUS]") < strstr(t, "[SUSPICIOUS]"));
    free(t);
}

/* ---- bodyfile --------------------------------------------------------- */

static size_t count_char(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

static void test_bodyfile(void **state)
{
    size_t n;
    char *b = render(*state, MS_REPORT_BODYFILE, &n);
    size_t lines = 0;
    char *save = NULL;
    /* 5 files in the image (the missing one has no inode) + 2 crontabs */
    assert_int_equal(count_char(b, n, '\n'), 7);
    for (char *l = strtok_r(b, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        lines++;
        assert_int_equal(count_char(l, strlen(l), '|'), 10);
        assert_null(strchr(l, '\x1b'));
        assert_null(strchr(l, '\xff'));
        assert_null(strstr(l, "/usr/local/bin/gone"));
    }
    assert_int_equal(lines, 7);
    free(b);

    b = render(*state, MS_REPORT_BODYFILE, &n);
    assert_non_null(strstr(b, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|v0:/var/tmp/"
        "qCVwOWA|12|r/rrwxr-xr-x|0|0|4096|1428400801|1428400800|"
        "1428400802|1428400803\n"));
    assert_non_null(strstr(b, "|v0:/var/tmp/dropper (deleted)|15|"
                              "r/rrwsr-xr-x|"));
    assert_non_null(strstr(b, "0|v0:/etc/crontab|41|r/rrw-r--r--|"));
    assert_non_null(strstr(b, "0|v0:/tmp/.xZqWp|13|r/rrwx------|"));
    free(b);
}

/* mactime must accept the bodyfile (skipped when sleuthkit is absent). */
static void test_bodyfile_mactime(void **state)
{
    char path[] = "/tmp/ms_bodyfileXXXXXX", cmd[256], line[1024];
    int fd, found = 0;
    FILE *f, *p;

    if (access("/usr/bin/mactime", X_OK) != 0) {
        skip();
        return;
    }
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(ms_report_write(f, MS_REPORT_BODYFILE, *state, NULL),
                     MS_OK);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "/usr/bin/mactime -b '%s' -d -z UTC 2>&1",
             path);
    p = popen(cmd, "r");
    assert_non_null(p);
    while (fgets(line, sizeof line, p))
        if (strstr(line, "v0:/var/tmp/qCVwOWA") &&
            strstr(line, "Tue Apr 07 2015 10:00:00"))
            found = 1;
    int st = pclose(p);
    unlink(path);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_true(found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_summary_counts, setup, teardown),
        cmocka_unit_test(test_exit_status_rules),
        cmocka_unit_test_setup_teardown(test_dispatch_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_summary_override, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_top, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_volumes_cron, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_timeline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_hostile_values, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_deterministic, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bodyfile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bodyfile_mactime, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
