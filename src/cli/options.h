/* options.h - command-line options (the only global-ish state: one
 * struct, filled once by ms_options_parse and read by main). */
#ifndef MS_OPTIONS_H
#define MS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include "report/report.h"

#define MS_MAX_RULE_PATHS 64

typedef struct ms_options {
    ms_report_format format;
    const char *output;            /* NULL: stdout */
    const char *image_type;        /* NULL: auto */
    const char *rule_paths[MS_MAX_RULE_PATHS];
    size_t      nrule_paths;
    int         rules_only;        /* --rules-only given: no bundled rules */
    unsigned    max_depth;
    size_t      max_entries;
    uint64_t    max_file_size;
    const char *const *images;     /* points into argv */
    size_t      nimages;
    const char *extract_dir;       /* --extract DIR, NULL: write nothing */
    /* --format a,b,...: all formats asked for (format == formats[0]);
     * with more than one, output names a directory (see main.c). */
    ms_report_format formats[MS_REPORT_FORMAT_MAX];
    size_t      nformats;
    int         hash;              /* --hash */
    const char *case_id, *examiner, *evidence_id, *notes; /* or NULL */
    int         carve;             /* --carve */
    /* fleet scans (docs/fleet.md, cli/batchcli.c) */
    const char *result_dir;        /* --result-dir DIR, or NULL */
    const char *manifest;          /* --manifest FILE, or NULL */
    unsigned    jobs;              /* -J N */
    size_t      lines_first, lines_last; /* --lines A[-B] */
    unsigned    time_limit, watchdog;    /* seconds, 0 none */
    const char *summary;           /* --summary FILE */
    int         formats_given;     /* -f was given */
    int64_t     window;            /* --window seconds, 0: default */
    int         sweep;             /* --sweep[=all|executables]:
                                      enum ms_sweep_mode, 0 off */
    unsigned    sweep_jobs;        /* -j N, 0: online cores */
    uint64_t    sweep_max_file;    /* --sweep-max-file */
    unsigned    sweep_timeout;     /* --sweep-timeout seconds */
    int         quiet;             /* -q: no progress on stderr */
} ms_options;

enum ms_opt_result { MS_OPT_RUN, MS_OPT_EXIT_OK, MS_OPT_EXIT_ERROR };

/* Parse argv.  Prints --help/--version output or a one-line error itself
 * and says whether to run or exit. */
enum ms_opt_result ms_options_parse(int argc, char **argv, ms_options *o);

#endif
