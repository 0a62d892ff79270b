/* history_report.h - the incident story, execution history and logins in
 * every report format, kept out of the writers so each writer calls one
 * function per place.
 *
 * Human formats (text, HTML) collapse dense runs of a job into ranges
 * (consecutive runs closer than max(1 hour, twice the job's median
 * interval)); at most MS_HR_MAX_RANGES ranges and MS_HR_MAX_LOGINS logins
 * (those nearest the infection) are shown there.  Machine formats (JSON,
 * Timesketch, CSV, bodyfile) keep every run and login the scan kept
 * (bounded by MS_HISTORY_MAX_RUNS / MS_HISTORY_MAX_LOGINS, history.h). */
#ifndef MS_HISTORY_REPORT_H
#define MS_HISTORY_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "common/ms_error.h"
#include "common/ms_model.h"
#include "report/writer.h"

#define MS_HR_MAX_RANGES 40
#define MS_HR_MAX_LOGINS 60
/* logins within this many seconds of the infection are shown */
#define MS_HR_LOGIN_WINDOW (7 * 86400)

void ms_hr_text_story(ms_writer *w, const ms_scan *s);
void ms_hr_text_history(ms_writer *w, const ms_scan *s);
void ms_hr_html_story(ms_writer *w, const ms_scan *s);
void ms_hr_html_history(ms_writer *w, const ms_scan *s);

json_t *ms_hr_json_story(const ms_scan *s);
json_t *ms_hr_json_history(const ms_scan *s);

/* One event of the story, a cron run or a login, for the event formats. */
typedef struct ms_hr_event {
    int64_t     sec;
    uint32_t    nsec;
    const char *record;    /* "story" "cron_run" "login" */
    const char *desc;      /* timestamp_desc, static */
    char       *message;   /* malloc'd, raw (callers escape) */
    const char *path;      /* borrowed: the log or artifact, or "" */
    int         volume;    /* -1 when none */
    uint64_t    inode;
    int         has_inode;
    const char *certainty; /* story steps, else NULL */
} ms_hr_event;

/* Every event with a time, story first then runs and logins in time
 * order; free with ms_hr_events_free. */
ms_err ms_hr_events(const ms_scan *s, ms_hr_event **out, size_t *n);
void   ms_hr_events_free(ms_hr_event *e, size_t n);

/* Bodyfile lines for the events (name "v<vol>:[record] msg in <log path>", story steps "story:[story kind] text",
 * the time in the mtime field). */
ms_err ms_hr_bodyfile(FILE *out, const ms_scan *s);

#endif
