/* entry.h - the entry vector and trustworthy times in the pipeline.
 *
 * Per file system (before the analysis): web roots and their scripts
 * (artifacts/webroots.h), the web-shell scan (detection/webshell.h), the
 * access logs (artifacts/accesslog.h) and the system programs' times
 * (detection/timecheck.h).  After the verdict: the time checks on every
 * flagged or web-root file, the backdoor's birth as the anchor of the
 * --window, scripts born or changed within it, the requests to web
 * shells and nearby scripts, and the two story times (scan->entry). */
#ifndef MS_SCAN_ENTRY_H
#define MS_SCAN_ENTRY_H

#include "artifacts/accesslog.h"
#include "artifacts/webroots.h"
#include "detection/timecheck.h"
#include "scan/scan.h"

#define MS_ENTRY_DEFAULT_WINDOW (2 * 86400)  /* seconds either side */
#define MS_ENTRY_MAX_NEARBY     1000
#define MS_ENTRY_MAX_REQUESTS   4096         /* kept in the model */

typedef struct ms_entry_run {
    ms_webscripts   scripts;
    ms_alog         alog;
    ms_time_samples times;
} ms_entry_run;

ms_err ms_entry_volume(ms_entry_run *r, const ms_scan_config *cfg,
                       ms_fs *fs, ms_scan *scan, int volume);
ms_err ms_entry_finish(ms_entry_run *r, const ms_scan_config *cfg,
                       ms_scan *scan);
void ms_entry_run_free(ms_entry_run *r);

/* The first request to a web shell as the story's first step (after
 * ms_entry_finish, before ms_story_build); nothing when there is none. */
ms_err ms_entry_story(ms_scan *scan);

#endif
