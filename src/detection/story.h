/* story.h - the incident chronology at the top of every report.
 *
 * A generic list of steps (ms_story_step: kind, time, source artifact,
 * certainty, text), built here once from what the scan holds, in this
 * order:
 *   web_shell_request  first request to a web shell (from the entry-vector
 *                      analysis, added with ms_story_add before the build)
 *   dropper_written    birth (else modification) time of the earliest
 *                      flagged file
 *   crontab_changed    last modification of the crontab whose job runs it
 *   first_cron_run     first recorded run of that job (history.h)
 *   last_cron_run      last recorded run
 *   deleted            deletion time of a flagged file, when deleted
 * A step without evidence is kept with has_time 0 and says so: the story
 * never guesses.  Certainty: file times are "medium" (they can be
 * back-dated), "low" for a modification time standing in for a missing
 * birth time; log records are "high" with an explicit year and "medium"
 * when the year was inferred.  No story is built for a scan without
 * flagged files. */
#ifndef MS_STORY_H
#define MS_STORY_H

#include "common/ms_error.h"
#include "common/ms_model.h"

/* Append a step (strings copied).  Another analysis (e.g. the first
 * web-shell request) adds its step this way; ms_story_build keeps it. */
ms_err ms_story_add(ms_scan *scan, const char *kind, int has_time,
                    int64_t sec, uint32_t nsec, const char *source,
                    enum ms_certainty cert, const char *text);

/* Build the story after ms_history_finish. */
ms_err ms_story_build(ms_scan *scan);

/* Position of a kind in the chronology (0..5), 6 for an unknown one. */
int ms_story_rank(const char *kind);

#endif
