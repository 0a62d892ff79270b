/* batch.h - scan the images of a manifest into a results directory.
 *
 * Each image is scanned by a child process (the scanner itself, run with
 * --result-dir), up to `jobs` at a time, so a crash of one image cannot
 * take the batch down.  Before an image starts, its file identity
 * (evidence/imgid.h) is computed; when DIR already holds a complete
 * result for the same evidence, the image is not scanned again (resume).
 * Every image ends in one state: "clean", "findings", "incomplete" (not
 * fully examined, with reasons) or "failed" (with the reason: no result,
 * crash, time limit, watchdog).  A summary line per manifest image is
 * written, atomically at the end, to the summary file. */
#ifndef MS_SCAN_BATCH_H
#define MS_SCAN_BATCH_H

#include <stddef.h>

typedef struct ms_batch_options {
    const char *manifest;
    const char *dir;              /* results directory */
    const char *summary;          /* NULL: DIR/batch-summary[-A-B].jsonl */
    size_t      first, last;      /* manifest lines, last 0 = all */
    unsigned    jobs;             /* images in parallel, >= 1 */
    unsigned    time_limit;       /* seconds per image from its start, 0 none */
    unsigned    watchdog;         /* seconds without progress, 0 none */
    const char *const *scanner_args; /* options given to every child */
    size_t      nscanner_args;
} ms_batch_options;

/* Run the batch.  Returns the process exit status: 2 when an image
 * failed or the batch itself could not run (so a job engine retries it),
 * else 1 any findings, else 3 any image incomplete, else 0 all clean. */
int ms_batch_run(const ms_batch_options *o);

#endif
