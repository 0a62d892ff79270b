/* cron_persist.h - cron jobs as persistence records (ms_persistence).
 *
 * Cron is one persistence kind: its collector (cronfiles.c) fills the
 * cron-specific model (ms_crontab, ms_cronjob, kept for the JSON keys
 * `crontabs` and `cron_jobs`), and this module turns every job into the
 * generic record every report format renders. */
#ifndef MS_CRON_PERSIST_H
#define MS_CRON_PERSIST_H

#include "artifacts/cron_sched.h"
#include "common/ms_error.h"
#include "common/ms_model.h"

/* The normalized trigger of a parsed schedule: TIMES with the minute
 * and hour sets (every_day when every day of every month matches),
 * BOOT for @reboot, CALENDAR with `as_written` for a schedule with "~"
 * items (their value is chosen by cron at run time). */
ms_err ms_cron_trigger(const ms_cron_sched *s, const char *as_written,
                       ms_trigger *out);

/* Append one persistence record (kind "cron") for each of the jobs
 * scan->jobs[first_job..njobs): source, line, user, trigger, schedule,
 * command, programs and reasons copied; stdin, time zone and dialect
 * readings as attributes.  Each job's `persistence` names its record.
 * ms_cronfiles_collect calls it for the jobs it adds. */
ms_err ms_cron_persistence(ms_scan *scan, size_t first_job);

#endif
