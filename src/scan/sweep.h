/* sweep.h - --sweep: YARA over every regular file of a file system.
 *
 * Triage looks where Mumblehard hides; the sweep answers the wider
 * question (a renamed copy in /usr/local/bin, a home directory).  One
 * thread (the caller) walks the file system and reads each file's
 * content through the evidence layer (ms_fs is not thread-safe: libtsk's
 * TSK_FS_INFO and the backends' caches are shared state), N worker
 * threads only scan buffers, each with its own YARA scanner over the one
 * compiled rule set.
 *
 * A file that a rule graded suspicious or malicious matches is recorded
 * in scan->files with origin MS_ORIGIN_SWEEP, after the walk, sorted by
 * (volume, inode, path): the analysis, verdicts, timeline and every
 * report then treat it like any other file, and the order does not
 * depend on which worker finished first.  Clean files are only counted
 * (scan->sweep).  Memory is bounded: at most max_file + MS_SWEEP_QUEUE_BYTES
 * of content in flight, no per-file state for clean files; a file larger
 * than max_file is not scanned and is listed as skipped, like a file whose
 * scan hit the timeout (up to MS_SWEEP_SKIP_BOUND entries, then counted). */
#ifndef MS_SWEEP_H
#define MS_SWEEP_H

#include <stdint.h>

#include "common/ms_model.h"
#include "detection/yarascan.h"
#include "evidence/fs.h"

#define MS_SWEEP_MAX_FILE_DEFAULT (64u << 20)  /* --sweep-max-file */
#define MS_SWEEP_TIMEOUT_DEFAULT  60           /* --sweep-timeout, seconds */
#define MS_SWEEP_QUEUE_BYTES      (32u << 20)  /* small files in flight */
#define MS_SWEEP_SKIP_BOUND       1000         /* skipped files listed */
#define MS_SWEEP_MAX_HITS         10000        /* hit files recorded */
#define MS_SWEEP_MAX_DEPTH        256          /* directory levels */
#define MS_SWEEP_MAX_WORKERS      256

typedef struct ms_sweep_config {
    enum ms_sweep_mode mode;   /* MS_SWEEP_OFF: nothing is done */
    unsigned workers;          /* 0: the number of online cores */
    uint64_t max_file;         /* 0: the default */
    int      timeout_s;        /* 0: the default */
    int      progress;         /* progress line on stderr */
} ms_sweep_config;

/* Sweep the file system `fs` (volume `vol`, possibly a mount view: paths
 * are reported as the system saw them).  Hits join scan->files, counts
 * and skipped files scan->sweep (created on the first call).  Per-file
 * problems are counted or listed; only allocation failure and thread
 * creation failure are returned. */
ms_err ms_sweep_volume(const ms_sweep_config *cfg, const ms_rules *rules,
                       ms_fs *fs, ms_scan *scan, int vol);

/* Workers the configuration asks for (resolves 0 to the core count). */
unsigned ms_sweep_workers(const ms_sweep_config *cfg);

#endif
