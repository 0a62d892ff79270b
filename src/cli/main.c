/* main.c - mumblescan's command line: options, rules, scan, report, exit
 * status.  All policy lives in the layers; this file only wires them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "cli/options.h"
#include "cli/output.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/extract.h"
#include "evidence/ewfhash.h"
#include "evidence/imghash.h"
#include "report/report.h"
#include "scan/provenance.h"
#include "scan/scan.h"

/* The bundled rules: the installed directory, or, for a binary run from
 * its build tree before `make install`, the rules/ directory beside it. */
static char *bundled_rules_dir(void)
{
    struct stat st;
    if (stat(MS_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode))
        return ms_strdup(MS_RULES_DIR);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *dir = ms_asprintf("%s/rules", exe);
    if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return dir;
    free(dir);
    return NULL;
}

static void one_line(const char *prefix, const char *text)
{
    /* Errors are one line: the rest of a multi-line message is folded. */
    fprintf(stderr, "mumblescan: %s", prefix);
    for (const char *p = text ? text : "unknown error"; *p; p++)
        fputc(*p == '\n' ? ';' : *p, stderr);
    fputc('\n', stderr);
}

static ms_rules *load_rules(const ms_options *o, char **desc)
{
    const char *paths[MS_MAX_RULE_PATHS + 1];
    size_t n = 0;
    char *bundled = NULL, *err = NULL;
    ms_rules *rules = NULL;

    if (!o->rules_only) {
        bundled = bundled_rules_dir();
        if (!bundled) {
            one_line("", "bundled rules not found in " MS_RULES_DIR
                     " (use --rules-only PATH)");
            return NULL;
        }
        paths[n++] = bundled;
    }
    for (size_t i = 0; i < o->nrule_paths; i++)
        paths[n++] = o->rule_paths[i];
    if (ms_rules_compile(paths, n, &rules, &err) != MS_OK) {
        one_line("cannot compile YARA rules: ", err);
        goto _exit;
    }
    ms_buf b = {0};
    for (size_t i = 0; i < ms_rules_file_count(rules); i++)
        ms_buf_printf(&b, "%s%s (sha256 %s)", i ? "; " : "",
                      ms_rules_file_path(rules, i),
                      ms_rules_file_sha256(rules, i));
    *desc = ms_buf_steal(&b);
_exit:
    free(err);
    free(bundled);
    return rules;
}

/* Every requested format goes to its own temporary file; they are renamed
 * into place only when all were written, so a failure leaves no report
 * that looks complete.  One format: -o FILE (or stdout); several: -o DIR
 * with the names of ms_report_format_filename(). */
static int write_report(const ms_options *o, const ms_scan *scan,
                        const ms_summary *sum)
{
    ms_output out[MS_REPORT_FORMAT_COUNT];
    char *paths[MS_REPORT_FORMAT_COUNT] = { 0 };
    char *err = NULL;
    ms_report_info info = { PACKAGE_VERSION, sum };
    size_t opened = 0;
    int failed = 0;

    if (o->nformats > 1) {
        struct stat st;
        if (mkdir(o->output, 0777) != 0 && errno != EEXIST) {
            err = ms_asprintf("cannot create report directory '%s': %s",
                              o->output, strerror(errno));
            failed = 1;
        } else if (stat(o->output, &st) != 0 || !S_ISDIR(st.st_mode)) {
            err = ms_asprintf("'%s' is not a directory (several formats "
                              "need -o DIR)", o->output);
            failed = 1;
        }
    }
    for (size_t i = 0; i < o->nformats && !failed; i++) {
        if (o->nformats > 1 &&
            !(paths[i] = ms_asprintf("%s/%s", o->output,
                                     ms_report_format_filename(o->formats[i])))) {
            failed = 1;
            break;
        }
        if (ms_output_open(&out[i], o->nformats > 1 ? paths[i] : o->output,
                           &err) != MS_OK) {
            failed = 1;
            break;
        }
        opened++;
        if (ms_report_write(out[i].fp, o->formats[i], scan, &info) != MS_OK)
            failed = 1;
    }
    for (size_t i = 0; i < opened; i++) {
        char *e = NULL;
        if (ms_output_close(&out[i], !failed, &e) != MS_OK && !failed) {
            failed = 1;
            err = e;
            e = NULL;
        }
        free(e);
    }
    for (size_t i = 0; i < MS_REPORT_FORMAT_COUNT; i++)
        free(paths[i]);
    if (failed) {
        one_line("", err ? err : "cannot write the report");
        free(err);
        return -1;
    }
    return 0;
}

/* Stored acquisition hashes (E01) are read whether or not --hash was
 * given, so the report can say they exist but were not verified. */
static void integrity_finish(const ms_options *o, ms_imghash *h,
                             ms_scan *scan)
{
    if (h)
        ms_imghash_finish(h, &scan->integrity);
    if (scan->image_type && strcmp(scan->image_type, "ewf") == 0)
        ms_ewf_stored_hashes(o->images, o->nimages, &scan->integrity);
    ms_integrity_compare(&scan->integrity);
    char *alert = ms_report_integrity_alert(scan);
    if (alert)
        one_line("", alert);
    free(alert);
}

static int record_case(const ms_options *o, ms_scan *scan)
{
    ms_case_info *c = &scan->case_info;
    const char *src[4] = { o->case_id, o->examiner, o->evidence_id, o->notes };
    char **dst[4] = { &c->case_id, &c->examiner, &c->evidence_id, &c->notes };
    for (int i = 0; i < 4; i++)
        if (src[i] && !(*dst[i] = ms_strdup(src[i])))
            return -1;
    return 0;
}

static int run(const ms_options *o, ms_rules *rules, ms_scan *scan)
{
    ms_magic *magic = NULL;
    char *err = NULL;
    ms_summary sum;

    if (ms_magic_open(&magic) != MS_OK) {
        one_line("", "cannot load the libmagic database");
        return 2;
    }
    ms_scan_config cfg = {
        .images = o->images, .nimages = o->nimages,
        .image_type = o->image_type, .rules = rules, .magic = magic,
        .walk = { o->max_depth, o->max_entries },
        .max_scan_bytes = o->max_file_size,
        /* live crontabs are read whole; this bounds only content
         * recovered from the journal into memory (issue 9) */
        .max_crontab_bytes = 64u << 20,
        .extract_dir = o->extract_dir,
        .carve = o->carve,
        /* progress only where a person watches it */
        .carve_progress = o->carve && isatty(STDERR_FILENO),
    };
    ms_imghash *hasher = NULL;
    if (o->hash && ms_imghash_start(o->images, o->nimages, o->image_type,
                                    &hasher) != MS_OK) {
        ms_magic_close(magic);
        one_line("", "cannot start the image hash thread");
        return 2;
    }
    ms_err rc = ms_scan_run(&cfg, scan, &err);
    ms_magic_close(magic);
    integrity_finish(o, hasher, scan);
    if (rc != MS_OK) {
        one_line("", err);
        free(err);
        return 2;
    }
    if (ms_summary_compute(scan, &sum) != MS_OK)
        return 2;
    if (write_report(o, scan, &sum))
        return 2;
    if (sum.volumes_examined == 0)
        one_line("", "no file system in the image could be examined; "
                 "nothing was searched (see the report's volume list)");
    return sum.exit_status;
}

/* Refuse an --extract directory next to the evidence before any work. */
static int check_extract(const ms_options *o)
{
    char *err = NULL;
    if (ms_extract_check_dir(o->extract_dir, o->images, o->nimages, &err)
        == MS_OK)
        return 0;
    one_line("", err ? err : "unusable --extract directory");
    free(err);
    return -1;
}

int main(int argc, char **argv)
{
    ms_options o;
    ms_scan scan = {0};
    int status = 2;

    switch (ms_options_parse(argc, argv, &o)) {
    case MS_OPT_EXIT_OK:    return 0;
    case MS_OPT_EXIT_ERROR: return 2;
    case MS_OPT_RUN:        break;
    }
    if (o.extract_dir && check_extract(&o))
        return 2;
    ms_rules *rules = load_rules(&o, &scan.rules_desc);
    if (rules && (record_case(&o, &scan) != 0 ||
                  ms_provenance_fill(&scan.prov, argc, argv, rules) != MS_OK)) {
        one_line("", "out of memory");
        ms_rules_free(rules);
        rules = NULL;
    }
    if (rules) {
        status = run(&o, rules, &scan);
        ms_rules_free(rules);
    }
    ms_scan_free(&scan);
    return status;
}
