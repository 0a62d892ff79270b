/* session.h - one call runs a complete scan.
 *
 * Everything between parsed options and written reports: compile the
 * rules, record the case and the provenance, hash the media beside the
 * scan (--hash), run the pipeline (scan.h), read and compare the
 * acquisition hashes stored in an E01, and compute the summary and exit
 * status (detection/policy.h).  The CLI, a batch runner or a test calls
 * this and renders the result; none of them re-implements a step. */
#ifndef MS_SCAN_SESSION_H
#define MS_SCAN_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "artifacts/tempdirs.h"
#include "common/ms_model.h"
#include "detection/policy.h"
#include "scan/sweep.h"

typedef struct ms_scan_request {
    const char *const *images;      /* segments of one image */
    size_t      nimages;
    const char *image_type;         /* libtsk type name, or NULL: detect */
    const char *const *rule_paths;  /* rule files/directories, in order */
    size_t      nrule_paths;
    ms_walk_limits walk;
    uint64_t    max_file_size;      /* bytes of each file given to YARA */
    const char *extract_dir;        /* --extract DIR, or NULL */
    int         carve;              /* --carve */
    int         progress;           /* progress on stderr allowed */
    int         hash;               /* --hash */
    const char *case_id, *examiner, *evidence_id, *notes; /* or NULL */
    int         argc;               /* the command line, for provenance */
    char *const *argv;
    int64_t     web_window;         /* --window seconds, 0: default */
    ms_sweep_config sweep;          /* --sweep, -j, --sweep-max-file,
                                       --sweep-timeout (scan/sweep.h) */
} ms_scan_request;

/* Run the request into `scan` (zeroed by the caller, freed with
 * ms_scan_free) and its summary into *sum.  MS_OK whenever a report can be
 * written, also when nothing could be examined (the summary says so).
 * Otherwise (rules that do not compile, an image that cannot be opened,
 * no memory) an error with a one-line reason in *err_text (malloc'd). */
ms_err ms_scan_session(const ms_scan_request *rq, ms_scan *scan,
                       ms_summary *sum, char **err_text);

#endif
