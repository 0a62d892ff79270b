#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "evidence/image.h"
#include "scan/provenance.h"
#include "scan/sweep.h"

enum { OPT_MAX_DEPTH = 256, OPT_MAX_ENTRIES, OPT_MAX_FILE_SIZE, OPT_EXTRACT,
       OPT_HASH, OPT_CASE, OPT_EXAMINER, OPT_EVIDENCE_ID, OPT_NOTES,
       OPT_CARVE, OPT_RESULT_DIR, OPT_MANIFEST, OPT_LINES, OPT_TIME_LIMIT,
       OPT_WATCHDOG, OPT_SUMMARY, OPT_WINDOW, OPT_SWEEP, OPT_SWEEP_MAX_FILE,
       OPT_SWEEP_TIMEOUT };

static const struct option long_opts[] = {
    { "format",        required_argument, NULL, 'f' },
    { "output",        required_argument, NULL, 'o' },
    { "image-type",    required_argument, NULL, 't' },
    { "rules",         required_argument, NULL, 'r' },
    { "rules-only",    required_argument, NULL, 'R' },
    { "max-depth",     required_argument, NULL, OPT_MAX_DEPTH },
    { "max-entries",   required_argument, NULL, OPT_MAX_ENTRIES },
    { "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
    { "extract",       required_argument, NULL, OPT_EXTRACT },
    { "hash",          no_argument,       NULL, OPT_HASH },
    { "case",          required_argument, NULL, OPT_CASE },
    { "examiner",      required_argument, NULL, OPT_EXAMINER },
    { "evidence-id",   required_argument, NULL, OPT_EVIDENCE_ID },
    { "notes",         required_argument, NULL, OPT_NOTES },
    { "carve",         no_argument,       NULL, OPT_CARVE },
    { "result-dir",    required_argument, NULL, OPT_RESULT_DIR },
    { "manifest",      required_argument, NULL, OPT_MANIFEST },
    { "jobs",          required_argument, NULL, 'J' },
    { "lines",         required_argument, NULL, OPT_LINES },
    { "time-limit",    required_argument, NULL, OPT_TIME_LIMIT },
    { "watchdog",      required_argument, NULL, OPT_WATCHDOG },
    { "summary",       required_argument, NULL, OPT_SUMMARY },
    { "window",        required_argument, NULL, OPT_WINDOW },
    { "sweep",         optional_argument, NULL, OPT_SWEEP },
    { "sweep-jobs",    required_argument, NULL, 'j' },
    { "sweep-max-file", required_argument, NULL, OPT_SWEEP_MAX_FILE },
    { "sweep-timeout", required_argument, NULL, OPT_SWEEP_TIMEOUT },
    { "quiet",         no_argument,       NULL, 'q' },
    { "help",          no_argument,       NULL, 'h' },
    { "version",       no_argument,       NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

static void usage(FILE *out)
{
    fprintf(out,
"Usage: mumblescan [OPTION]... IMAGE [SEGMENT]...\n"
"       mumblescan merge [OPTION]... RESULT-or-DIR...  (fleet report; merge --help)\n"
"  or:  mumblescan --manifest FILE -o DIR [-J N] [OPTION]...\n"
"Examine a disk image, read-only, for the Linux/Mumblehard backdoor: cron\n"
"jobs that run every 15 minutes, the programs they run, and executables in\n"
"temp directories, YARA-scanned and put on a timeline.\n"
"\n"
"IMAGE is a raw, split raw (give the first segment or all), E01, VMDK, VHD,\n"
"AFF, qcow2 or qcow image; several IMAGE arguments are segments of one\n"
"image.  Partitions (MBR, GPT, BSD), LVM2 and the file systems inside\n"
"(ext2/3/4, UFS, XFS, ...) are found and examined in any nesting.\n"
"\n"
"  -f, --format=FORMAT[,..]  report format: text (default), json, bodyfile,\n"
"                            html, timesketch, csv; several, comma-separated,\n"
"                            need -o DIR and are written as DIR/report.txt,\n"
"                            report.json, report.body, report.html,\n"
"                            report.timesketch.jsonl, report.csv\n"
"  -o, --output=FILE|DIR     write the report to FILE, not standard output\n"
"      --hash                MD5, SHA-1 and SHA-256 of the image's media, in\n"
"                            parallel with the scan; for E01 also check the\n"
"                            acquisition hashes stored in the file\n"
"      --case=TEXT --examiner=TEXT --evidence-id=TEXT --notes=TEXT\n"
"                            case metadata recorded in the report\n"
"  -t, --image-type=TYPE     force the image format (default: detect);\n"
"                            'list' shows the types this libtsk supports\n"
"  -r, --rules=PATH          also use the YARA rules in PATH (a file, or a\n"
"                            directory of .yar/.yara files); repeatable\n"
"  -R, --rules-only=PATH     use only the rules in PATH, not the bundled ones;\n"
"                            repeatable\n"
"      --max-depth=N         directory levels walked below a temp dir (32)\n"
"      --max-entries=N       names listed per temp dir (4000000)\n"
"      --max-file-size=SIZE  bytes of each file given to YARA (64M); hashes\n"
"                            always cover the whole file\n"
"      --extract=DIR         write scripts recovered from packed files to\n"
"                            DIR/<sha256>.pl (mode 0600); DIR must not be\n"
"                            the image's directory; without it nothing is\n"
"                            written\n"
"      --window=T            list web-root scripts born or changed within T\n"
"                            of the backdoor's birth (seconds, or with s,\n"
"                            m, h or d; default 2d)\n"
"      --carve               also YARA-scan the unallocated blocks of every\n"
"                            file system and report hits as carved findings\n"
"      --sweep[=all|executables]\n"
"                            also YARA-scan every regular file of every file\n"
"                            system (deleted ones whose content can be\n"
"                            recovered included); =executables: only files\n"
"                            with an x bit, ELF magic or a #! line; hits\n"
"                            become findings, clean files are counted\n"
"  -j, --sweep-jobs=N        files scanned in parallel by --sweep (default:\n"
"                            the number of online cores)\n"
"      --sweep-max-file=SIZE larger files are not swept and are listed as\n"
"                            skipped (64M)\n"
"      --sweep-timeout=SECONDS  YARA time limit per swept file (60); a file\n"
"                            that hits it is listed as skipped\n"
"  -q, --quiet               no progress lines on standard error\n"
"      --result-dir=DIR      write report.json (and the -f formats) into\n"
"                            DIR/<name>-<identity>/, atomically (docs/fleet.md)\n"
"Fleet scans (docs/fleet.md):\n"
"      --manifest=FILE       scan the images listed in FILE (one per line)\n"
"                            into the results directory given by -o DIR;\n"
"                            images whose result exists are not rescanned\n"
"  -J, --jobs=N              images scanned in parallel (1)\n"
"      --lines=A[-B]         only manifest lines A to B (1-based)\n"
"      --time-limit=SECONDS  per image, from its start (0: none)\n"
"      --watchdog=SECONDS    end a scan that reads no evidence for this long\n"
"                            (600; 0: none)\n"
"      --summary=FILE        batch summary (default DIR/batch-summary.jsonl)\n"
"  -h, --help                show this help and exit\n"
"  -V, --version             show versions and exit\n"
"\n"
"Exit status: 0 nothing found, 1 suspicious or malicious findings,\n"
"2 error (including: no file system could be examined), 3 nothing found\n"
"but a volume could not be examined, 4 a hash stored in the image does\n"
"not match its media (integrity failure; takes precedence).\n"
"Bundled rules: %s\n", MS_RULES_DIR);
}

static void version(void)
{
    printf("mumblescan %s\n", PACKAGE_VERSION);
    ms_provenance_print_libraries(stdout);
}

/* Parse a count or size with an optional K/M/G suffix, rejecting junk,
 * negatives and overflow. */
static int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    if (!*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10, end++;
    else if (*end == 'M' || *end == 'm') shift = 20, end++;
    else if (*end == 'G' || *end == 'g') shift = 30, end++;
    if (*end || v > (max >> shift))
        return -1;
    v <<= shift;
    if (v < min)
        return -1;
    *out = v;
    return 0;
}

/* --lines A or A-B, 1 <= A <= B. */
static int parse_lines(const char *s, size_t *first, size_t *last)
{
    uint64_t a, b;
    const char *dash = strchr(s, '-');
    char buf[32];
    if (!dash) {
        if (parse_size(s, 1, 1u << 30, &a))
            return -1;
        *first = *last = (size_t)a;
        return 0;
    }
    if ((size_t)(dash - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(dash - s));
    buf[dash - s] = '\0';
    if (parse_size(buf, 1, 1u << 30, &a) ||
        parse_size(dash + 1, 1, 1u << 30, &b) || b < a)
        return -1;
    *first = (size_t)a;
    *last = (size_t)b;
    return 0;
}

/* --window: seconds, or a number with s, m, h or d; 1 s .. 10 years */
static int ms_parse_window(const char *s, int64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    int64_t mul = 1;
    if (end == s || *s == '-')
        return 1;
    if (*end && end[1])
        return 1;
    switch (*end) {
    case '\0': case 's': mul = 1; break;
    case 'm': mul = 60; break;
    case 'h': mul = 3600; break;
    case 'd': mul = 86400; break;
    default: return 1;
    }
    if (v < 1 || v > 3650ull * 86400 / (unsigned long long)mul)
        return 1;
    *out = (int64_t)v * mul;
    return 0;
}

static int bad(const char *what, const char *value)
{
    fprintf(stderr, "mumblescan: invalid %s '%s' (see --help)\n", what, value);
    return MS_OPT_EXIT_ERROR;
}

static int add_rules(ms_options *o, const char *path, int only)
{
    if (o->nrule_paths == MS_MAX_RULE_PATHS) {
        fprintf(stderr, "mumblescan: too many rule paths (at most %d)\n",
                MS_MAX_RULE_PATHS);
        return -1;
    }
    o->rule_paths[o->nrule_paths++] = path;
    o->rules_only |= only;
    return 0;
}

enum ms_opt_result ms_options_parse(int argc, char **argv, ms_options *o)
{
    uint64_t v;
    int c;

    memset(o, 0, sizeof *o);
    o->max_depth = 32;
    o->max_entries = 4000000;
    o->max_file_size = 64u << 20;
    o->jobs = 1;
    o->watchdog = 600;
    o->sweep_max_file = 64u << 20;
    o->sweep_timeout = 60;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:t:r:R:J:j:qhV", long_opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (ms_report_formats_parse(optarg, o->formats,
                                        MS_REPORT_FORMAT_MAX,
                                        &o->nformats) != MS_OK)
                return bad("format", optarg);
            o->format = o->formats[0];
            o->formats_given = 1;
            break;
        case OPT_RESULT_DIR:
            if (!*optarg)
                return bad("--result-dir", optarg);
            o->result_dir = optarg;
            break;
        case OPT_MANIFEST: o->manifest = optarg; break;
        case OPT_SUMMARY:  o->summary = optarg; break;
        case 'J':
            if (parse_size(optarg, 1, 1024, &v))
                return bad("--jobs", optarg);
            o->jobs = (unsigned)v;
            break;
        case OPT_SWEEP:
            if (!optarg || !strcmp(optarg, "all"))
                o->sweep = MS_SWEEP_ALL;
            else if (!strcmp(optarg, "executables"))
                o->sweep = MS_SWEEP_EXECUTABLES;
            else
                return bad("--sweep", optarg);
            break;
        case 'j':
            if (parse_size(optarg, 1, MS_SWEEP_MAX_WORKERS, &v))
                return bad("--sweep-jobs", optarg);
            o->sweep_jobs = (unsigned)v;
            break;
        case OPT_SWEEP_MAX_FILE:
            if (parse_size(optarg, 1, 1ull << 32, &v))
                return bad("--sweep-max-file", optarg);
            o->sweep_max_file = v;
            break;
        case OPT_SWEEP_TIMEOUT:
            if (parse_size(optarg, 1, 24 * 3600, &v))
                return bad("--sweep-timeout", optarg);
            o->sweep_timeout = (unsigned)v;
            break;
        case 'q': o->quiet = 1; break;
        case OPT_TIME_LIMIT:
        case OPT_WATCHDOG:
            if (parse_size(optarg, 0, 7 * 24 * 3600, &v))
                return bad(c == OPT_WATCHDOG ? "--watchdog" : "--time-limit",
                           optarg);
            *(c == OPT_WATCHDOG ? &o->watchdog : &o->time_limit) = (unsigned)v;
            break;
        case OPT_LINES:
            if (parse_lines(optarg, &o->lines_first, &o->lines_last))
                return bad("--lines", optarg);
            break;
        case OPT_HASH:        o->hash = 1; break;
        case OPT_CASE:        o->case_id = optarg; break;
        case OPT_EXAMINER:    o->examiner = optarg; break;
        case OPT_EVIDENCE_ID: o->evidence_id = optarg; break;
        case OPT_NOTES:       o->notes = optarg; break;
        case 'o': o->output = optarg; break;
        case 't':
            if (!strcmp(optarg, "list")) {
                ms_image_types_print(stdout);
                return MS_OPT_EXIT_OK;
            }
            o->image_type = optarg;
            break;
        case 'r':
        case 'R':
            if (add_rules(o, optarg, c == 'R'))
                return MS_OPT_EXIT_ERROR;
            break;
        case OPT_MAX_DEPTH:
            if (parse_size(optarg, 0, 4096, &v))
                return bad("--max-depth", optarg);
            o->max_depth = (unsigned)v;
            break;
        case OPT_MAX_ENTRIES:
            if (parse_size(optarg, 1, 1ull << 32, &v))
                return bad("--max-entries", optarg);
            o->max_entries = (size_t)v;
            break;
        case OPT_MAX_FILE_SIZE:
            if (parse_size(optarg, 1, 1ull << 32, &v))
                return bad("--max-file-size", optarg);
            o->max_file_size = v;
            break;
        case OPT_EXTRACT:
            if (!*optarg)
                return bad("--extract", optarg);
            o->extract_dir = optarg;
            break;
        case OPT_CARVE: o->carve = 1; break;
        case OPT_WINDOW:
            if (ms_parse_window(optarg, &o->window))
                return bad("--window", optarg);
            break;
        case 'h': usage(stdout); return MS_OPT_EXIT_OK;
        case 'V': version(); return MS_OPT_EXIT_OK;
        case ':':
            fprintf(stderr, "mumblescan: option '%s' needs a value (see --help)\n",
                    argv[optind - 1]);
            return MS_OPT_EXIT_ERROR;
        default:
            fprintf(stderr, "mumblescan: unknown option '%s' (see --help)\n",
                    argv[optind - 1]);
            return MS_OPT_EXIT_ERROR;
        }
    }
    if (o->manifest) {
        if (optind < argc || !o->output || !strcmp(o->output, "-")) {
            fprintf(stderr, "mumblescan: --manifest takes no IMAGE and needs "
                    "-o DIR (see --help)\n");
            return MS_OPT_EXIT_ERROR;
        }
        if (o->nformats == 0)
            o->formats[o->nformats++] = MS_REPORT_JSON;
        return MS_OPT_RUN;
    }
    if (optind >= argc) {
        fprintf(stderr, "mumblescan: no image given (see --help)\n");
        return MS_OPT_EXIT_ERROR;
    }
    if (o->nformats == 0)
        o->formats[o->nformats++] = o->format;
    if (o->nformats > 1 && !o->result_dir && (!o->output || !strcmp(o->output, "-"))) {
        fprintf(stderr, "mumblescan: several formats need -o DIR "
                "(see --help)\n");
        return MS_OPT_EXIT_ERROR;
    }
    o->images = (const char *const *)argv + optind;
    o->nimages = (size_t)(argc - optind);
    return MS_OPT_RUN;
}
