/* merge.c - `mumblescan merge`: many per-image JSON results, one fleet
 * report (src/fleet/).  Its own options; the scan's options do not apply. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cli/merge.h"
#include "cli/output.h"
#include "common/ms_mem.h"
#include "fleet/fleet.h"
#include "fleet/fleet_index.h"
#include "fleet/fleet_report.h"
#include "fleet/fleet_util.h"

static void merge_usage(FILE *out)
{
    fputs(
"Usage: mumblescan merge [OPTION]... RESULT-or-DIR...\n"
"Merge per-image JSON results (mumblescan -f json) into one fleet report.\n"
"A directory is searched recursively for *.json results that carry\n"
"schema_version; other files in it are ignored.\n"
"\n"
"  -f, --format LIST   text (default), json, csv, html, sqlite, stix, misp;\n"
"                      several comma-separated need -o DIR\n"
"  -o, --output PATH   output file (one format) or directory (several);\n"
"                      default standard output (sqlite needs a file)\n"
"      --hunt FILE     retro-hunt: check every result for the indicators in\n"
"                      FILE (hashes, addresses, host names, cron: text, ua:\n"
"                      text) and report the hits (text or json); exit 1 when\n"
"                      any indicator is found, 0 when none\n"
"      --progress      progress on stderr even when it is not a terminal\n"
"      --no-progress   no progress on stderr\n"
"      --generated TIME  the report's generation time (seconds since the\n"
"                      epoch; default now): the only run-time field\n"
"  -h, --help          this help\n"
"\n"
"Exit status: 0 report written, 1 (--hunt) an indicator was found,\n"
"2 error (unreadable input, incompatible schema_version, bad option).\n"
"See docs/fleet-merge.md.\n", out);
}

static void merge_err(const char *text)
{
    fputs("mumblescan merge: ", stderr);
    for (const char *p = text ? text : "error"; *p; p++)
        fputc(*p == '\n' ? ';' : *p, stderr);
    fputc('\n', stderr);
}

static ms_err write_one(int fmt, ms_output *out, const ms_fleet *f,
                        const ms_findex *x, const ms_fleet_run *run,
                        char **err)
{
    switch (fmt) {
    case MS_FF_TEXT: return ms_fleet_write_text(out->fp, f, x, run);
    case MS_FF_JSON: return ms_fleet_write_json(out->fp, f, x, run);
    case MS_FF_CSV:  return ms_fleet_write_csv(out->fp, f, x, run);
    case MS_FF_HTML: return ms_fleet_write_html(out->fp, f, x, run);
    case MS_FF_STIX: return ms_fleet_write_stix(out->fp, f, x, run);
    case MS_FF_MISP: return ms_fleet_write_misp(out->fp, f, x, run);
    case MS_FF_SQLITE:
        if (!out->tmp_path || out->direct) {
            *err = ms_strdup("the sqlite format needs an output file (-o)");
            return MS_ERR_ARG;
        }
        return ms_fleet_write_sqlite(out->tmp_path, f, x, run, err);
    }
    return MS_ERR_ARG;
}

int ms_cli_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "hunt", required_argument, NULL, 'H' },
        { "progress", no_argument, NULL, 'P' },
        { "no-progress", no_argument, NULL, 'N' },
        { "generated", required_argument, NULL, 'G' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *format = "text", *output = NULL, *hunt = NULL;
    int progress = isatty(STDERR_FILENO), status = 2;
    int64_t generated = (int64_t)time(NULL);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'H': hunt = optarg; break;
        case 'P': progress = 1; break;
        case 'N': progress = 0; break;
        case 'G': {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (errno || end == optarg || *end) {
                merge_err("--generated needs seconds since the epoch");
                return 2;
            }
            generated = v;
            break;
        }
        case 'h': merge_usage(stdout); return 0;
        default:
            merge_usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        merge_err("no results given (see mumblescan merge --help)");
        return 2;
    }
    int fmts[MS_FF_MAX];
    size_t nf = 0;
    {
        char *list = ms_strdup(format), *save = NULL;
        if (!list)
            return 2;
        for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            int fm = ms_fleet_format_parse(t);
            int dup = 0;
            for (size_t i = 0; i < nf; i++)
                dup |= fmts[i] == fm;
            if (fm < 0 || dup || (hunt && fm != MS_FF_TEXT && fm != MS_FF_JSON)) {
                char *q = ms_fleet_quote("unknown, repeated or (with --hunt) "
                                         "unsupported format", t);
                merge_err(q);
                free(q);
                free(list);
                return 2;
            }
            fmts[nf++] = fm;
        }
        free(list);
        if (!nf) {
            merge_err("empty --format");
            return 2;
        }
    }
    if (nf > 1 && !output) {
        merge_err("several formats need -o DIR");
        return 2;
    }

    ms_fleet f;
    ms_findex x;
    memset(&x, 0, sizeof x);
    ms_fleet_init(&f);
    f.progress = progress;
    char *err = NULL;
    if (hunt && ms_fleet_hunt_load(&f, hunt, &err) != MS_OK) {
        merge_err(err);
        goto _exit;
    }
    for (int i = optind; i < argc; i++) {
        if (ms_fleet_add_path(&f, argv[i], &err) != MS_OK) {
            if (f.progress)
                fputc('\n', stderr);
            merge_err(err ? err : "out of memory");
            goto _exit;
        }
    }
    ms_fleet_progress_done(&f);
    for (size_t i = 0; i < f.nrefused; i++) {
        char *q = ms_fleet_quote("", f.refused[i].path);
        char *m = ms_asprintf("skipped %s: %s", q ? q : "?", f.refused[i].why);
        merge_err(m);
        free(q);
        free(m);
    }
    if (ms_fleet_finish(&f) != MS_OK || ms_findex_build(&f, &x) != MS_OK) {
        merge_err("out of memory");
        goto _exit;
    }
    if (f.nhosts == 0) {
        merge_err("no mumblescan JSON result found in the inputs");
        goto _exit;
    }

    ms_fleet_run run = { PACKAGE_VERSION, generated };
    if (nf > 1 && mkdir(output, 0777) != 0 && errno != EEXIST) {
        err = ms_asprintf("cannot create '%s': %s", output, strerror(errno));
        merge_err(err);
        goto _exit;
    }
    ms_output outs[MS_FF_MAX];
    size_t opened = 0;
    int failed = 0;
    for (size_t i = 0; i < nf && !failed; i++) {
        char *path = nf > 1 ? ms_asprintf("%s/%s", output,
                                          ms_fleet_format_filename(fmts[i])) : NULL;
        if (ms_output_open(&outs[i], nf > 1 ? path : output, &err) != MS_OK) {
            free(path);
            failed = 1;
            break;
        }
        free(path);
        opened++;
        ms_err rc = hunt ? ms_fleet_write_hunt(outs[i].fp, fmts[i], &f, &run)
                         : write_one(fmts[i], &outs[i], &f, &x, &run, &err);
        if (rc != MS_OK) {
            failed = 1;
            if (!err)
                err = ms_asprintf("cannot write the %s report",
                                  ms_fleet_format_name(fmts[i]));
        }
    }
    for (size_t i = 0; i < opened; i++) {
        char *e = NULL;
        if (ms_output_close(&outs[i], !failed, &e) != MS_OK && !failed) {
            failed = 1;
            err = e;
            e = NULL;
        }
        free(e);
    }
    if (failed) {
        merge_err(err ? err : "cannot write the report");
        goto _exit;
    }
    status = hunt ? (f.nhits > 0 ? 1 : 0) : 0;
_exit:
    free(err);
    ms_findex_free(&x);
    ms_fleet_free(&f);
    return status;
}
