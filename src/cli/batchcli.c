/* batchcli.c - see batchcli.h. */
#include "cli/batchcli.h"
#include "scan/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "common/ms_mem.h"
#include "evidence/imgid.h"
#include "scan/batch.h"
#include "scan/resultdir.h"

int ms_cli_write_result(const ms_options *o, const ms_scan *scan,
                        const ms_summary *sum)
{
    ms_imgid id;
    char *err = NULL, sample[65] = "";
    uint64_t media_size = 0;
    ms_report_info info = { PACKAGE_VERSION, sum };
    if (ms_imgid_files(o->images, o->nimages, &id, &err) != MS_OK) {
        fprintf(stderr, "mumblescan: %s\n", err ? err : "evidence identity");
        free(err);
        return -1;
    }
    /* the sample is only a duplicate hint: a failure leaves it null */
    if (ms_imgid_media_sample(o->images, o->nimages, o->image_type, sample,
                              &media_size, &err) != MS_OK)
        sample[0] = '\0';
    free(err);
    err = NULL;
    ms_err rc = ms_resultdir_write(o->result_dir, &id, sample, media_size,
                                   scan, &info,
                                   o->formats_given ? o->formats : NULL,
                                   o->formats_given ? o->nformats : 0,
                                   NULL, &err);
    ms_imgid_clear(&id);
    if (rc != MS_OK) {
        fprintf(stderr, "mumblescan: %s\n", err ? err : "cannot write result");
        free(err);
        return -1;
    }
    return 0;
}

int ms_cli_batch(const ms_options *o)
{
    /* the options every child gets; the manifest line's come after them
     * (getopt: the last value wins) */
    const char *args[2 * MS_MAX_RULE_PATHS + 40];
    char num[7][32];
    char fmts[256] = "";
    size_t n = 0;
    for (size_t i = 0; i < o->nformats; i++) {
        const ms_report_format_def *d = ms_report_format_get(o->formats[i]);
        if (d && strlen(fmts) + strlen(d->name) + 2 < sizeof fmts) {
            if (fmts[0])
                strcat(fmts, ",");
            strcat(fmts, d->name);
        }
    }
    args[n++] = "-f";
    args[n++] = fmts[0] ? fmts : "json";
    for (size_t i = 0; i < o->nrule_paths; i++) {
        args[n++] = o->rules_only ? "--rules-only" : "--rules";
        args[n++] = o->rule_paths[i];
    }
    snprintf(num[0], sizeof num[0], "%u", o->max_depth);
    snprintf(num[1], sizeof num[1], "%zu", o->max_entries);
    snprintf(num[2], sizeof num[2], "%llu",
             (unsigned long long)o->max_file_size);
    args[n++] = "--max-depth";     args[n++] = num[0];
    args[n++] = "--max-entries";   args[n++] = num[1];
    args[n++] = "--max-file-size"; args[n++] = num[2];
    if (o->extract_dir) { args[n++] = "--extract"; args[n++] = o->extract_dir; }
    if (o->image_type)  { args[n++] = "--image-type"; args[n++] = o->image_type; }
    if (o->case_id)     { args[n++] = "--case"; args[n++] = o->case_id; }
    if (o->examiner)    { args[n++] = "--examiner"; args[n++] = o->examiner; }
    if (o->evidence_id) { args[n++] = "--evidence-id"; args[n++] = o->evidence_id; }
    if (o->notes)       { args[n++] = "--notes"; args[n++] = o->notes; }
    if (o->hash)  args[n++] = "--hash";
    if (o->carve) args[n++] = "--carve";
    if (o->sweep) {       /* --sweep: each child sweeps its own image */
        args[n++] = o->sweep == MS_SWEEP_EXECUTABLES ? "--sweep=executables"
                                                     : "--sweep";
        snprintf(num[3], sizeof num[3], "%u", o->sweep_jobs ? o->sweep_jobs
                                                            : 1);
        snprintf(num[4], sizeof num[4], "%llu",
                 (unsigned long long)o->sweep_max_file);
        snprintf(num[5], sizeof num[5], "%u", o->sweep_timeout);
        /* -J images already share the cores: one worker each unless -j */
        args[n++] = "--sweep-jobs";     args[n++] = num[3];
        args[n++] = "--sweep-max-file"; args[n++] = num[4];
        args[n++] = "--sweep-timeout";  args[n++] = num[5];
    }
    if (o->quiet) args[n++] = "--quiet";
    ms_batch_options bo = {
        .manifest = o->manifest, .dir = o->output, .summary = o->summary,
        .first = o->lines_first, .last = o->lines_last, .jobs = o->jobs,
        .time_limit = o->time_limit, .watchdog = o->watchdog,
        .scanner_args = args, .nscanner_args = n,
    };
    return ms_batch_run(&bo);
}
