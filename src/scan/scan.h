/* scan.h - the pipeline: evidence -> artifacts -> detection.
 *
 * Opens the image, walks every volume, and on each file system that
 * opens collects crontabs and cron jobs, walks the temp directories and
 * analyzes the content of every recorded file while the file system is
 * open; then grades everything (verdict.h).  Reporting is the caller's. */
#ifndef MS_SCAN_PIPELINE_H
#define MS_SCAN_PIPELINE_H

#include <stddef.h>
#include <stdint.h>
#include "artifacts/tempdirs.h"
#include "common/ms_model.h"
#include "detection/fileinfo.h"
#include "detection/yarascan.h"
#include "scan/sweep.h"

typedef struct ms_scan_config {
    const char *const *images;  /* segments of one image */
    size_t      nimages;
    const char *image_type;     /* libtsk type name or NULL for auto */
    const ms_rules *rules;
    ms_magic   *magic;
    ms_walk_limits walk;
    uint64_t    max_scan_bytes; /* YARA sees at most this much per file */
    size_t      max_crontab_bytes; /* recovered (in-memory) crontab
                                      content at most; live ones are
                                      streamed whole */
    const char *extract_dir;    /* --extract DIR for recovered scripts, or
                                   NULL: nothing is written */
    int         carve;          /* YARA over unallocated blocks (carve.h) */
    int         carve_progress; /* progress on stderr while carving */
    int64_t     web_window;     /* --window: seconds either side of the
                                   backdoor's birth; 0: the default */
    ms_sweep_config sweep;      /* --sweep (sweep.h); mode OFF: none */
} ms_scan_config;

/* Run the whole scan into `scan` (zero-initialised by the caller, freed
 * with ms_scan_free).  Returns non-MS_OK only when nothing can be
 * examined at all (the image cannot be opened), with a one-line reason in
 * *err_text (malloc'd). */
ms_err ms_scan_run(const ms_scan_config *cfg, ms_scan *scan, char **err_text);

#endif
