/* main.c - mumblescan's command line: parse the options, run one scan
 * session (scan/session.h), write the reports, exit with the status they
 * state.  All policy lives in the layers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "cli/merge.h"
#include "cli/batchcli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/extract.h"
#include "report/report.h"
#include "scan/session.h"

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
    /* and no control byte of a name from the evidence reaches the
     * terminal */
    for (const char *p = text ? text : "unknown error"; *p; p++) {
        unsigned char c = (unsigned char)*p;
        fputc(c == '\n' ? ';' : c < 0x20 || c == 0x7f ? '?' : c, stderr);
    }
    fputc('\n', stderr);
}

/* Every requested format goes to its own temporary file; they are renamed
 * into place only when all were written, so a failure leaves no report
 * that looks complete.  One format: -o FILE (or stdout); several: -o DIR
 * with the names of ms_report_format_filename(). */
static int write_report(const ms_options *o, const ms_scan *scan,
                        const ms_summary *sum)
{
    ms_output out[MS_REPORT_FORMAT_MAX];
    char *paths[MS_REPORT_FORMAT_MAX] = { 0 };
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
    for (size_t i = 0; i < MS_REPORT_FORMAT_MAX; i++)
        free(paths[i]);
    if (failed) {
        one_line("", err ? err : "cannot write the report");
        free(err);
        return -1;
    }
    return 0;
}

/* Run the whole scan (scan/session.h) and write the reports. */
static int run(const ms_options *o, int argc, char **argv, ms_scan *scan)
{
    const char *paths[MS_MAX_RULE_PATHS + 1];
    size_t n = 0;
    char *bundled = NULL, *err = NULL;
    ms_summary sum;
    int status = 2;

    if (!o->rules_only) {
        if (!(bundled = bundled_rules_dir())) {
            one_line("", "bundled rules not found in " MS_RULES_DIR
                     " (use --rules-only PATH)");
            return 2;
        }
        paths[n++] = bundled;
    }
    for (size_t i = 0; i < o->nrule_paths; i++)
        paths[n++] = o->rule_paths[i];
    ms_scan_request rq = {
        .images = o->images, .nimages = o->nimages,
        .image_type = o->image_type,
        .rule_paths = paths, .nrule_paths = n,
        .walk = { o->max_depth, o->max_entries },
        .max_file_size = o->max_file_size,
        .extract_dir = o->extract_dir,
        .carve = o->carve,
        /* progress only where a person watches it */
        .progress = isatty(STDERR_FILENO) && !o->quiet,
        .hash = o->hash,
        .case_id = o->case_id, .examiner = o->examiner,
        .evidence_id = o->evidence_id, .notes = o->notes,
        .argc = argc, .argv = argv,
        .web_window = o->window,
        .sweep = { .mode = (enum ms_sweep_mode)o->sweep,
                   .workers = o->sweep_jobs,
                   .max_file = o->sweep_max_file,
                   .timeout_s = (int)o->sweep_timeout,
                   .progress = isatty(STDERR_FILENO) && !o->quiet },
    };
    ms_err rc = ms_scan_session(&rq, scan, &sum, &err);
    char *alert = ms_report_integrity_alert(scan);
    if (alert)
        one_line("", alert);
    free(alert);
    if (rc != MS_OK) {
        one_line("", err);
        goto _exit;
    }
    if (o->result_dir ? ms_cli_write_result(o, scan, &sum)
                      : write_report(o, scan, &sum))
        goto _exit;
    if (sum.volumes_examined == 0) {
        /* one volume: its note says why (a missing VMDK extent, an
         * unsupported container feature) */
        const char *why = scan->nvolumes == 1 ? scan->volumes[0].note : NULL;
        char *line = why ? ms_asprintf("no file system in the image could "
                                       "be examined (%s); nothing was "
                                       "searched", why) : NULL;
        one_line("", line ? line : "no file system in the image could be "
                 "examined; nothing was searched (see the report's volume "
                 "list)");
        free(line);
    }
    status = sum.exit_status;
_exit:
    free(err);
    free(bundled);
    return status;
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

    /* `mumblescan merge ...`: the fleet report, with its own options */
    if (argc > 1 && strcmp(argv[1], "merge") == 0)
        return ms_cli_merge(argc - 1, argv + 1);
    switch (ms_options_parse(argc, argv, &o)) {
    case MS_OPT_EXIT_OK:    return 0;
    case MS_OPT_EXIT_ERROR: return 2;
    case MS_OPT_RUN:        break;
    }
    if (o.manifest)
        return ms_cli_batch(&o);
    if (o.extract_dir && check_extract(&o))
        return 2;
    int status = run(&o, argc, argv, &scan);
    ms_scan_free(&scan);
    return status;
}
