/* cron_persist.c - cron jobs as persistence records; see cron_persist.h. */
#include "artifacts/cron_persist.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "common/ms_reasons.h"

#define ALL_MINUTES ((UINT64_C(1) << 60) - 1)
#define ALL_HOURS   ((UINT32_C(1) << 24) - 1)

ms_err ms_cron_trigger(const ms_cron_sched *s, const char *as_written,
                       ms_trigger *out)
{
    memset(out, 0, sizeof *out);
    if (!s)
        return MS_ERR_ARG;
    if (s->reboot) {
        out->type = MS_TRIG_BOOT;
        return MS_OK;
    }
    if (s->interval) {
        /* FreeBSD "@900": 900 s after each run ends */
        out->type = MS_TRIG_INTERVAL;
        out->interval_sec = s->interval;
        return MS_OK;
    }
    if (s->nrandom) {
        /* "~": cron picks the value when it loads the table */
        out->type = MS_TRIG_CALENDAR;
        out->text = ms_strdup(as_written ? as_written : "");
        return out->text ? MS_OK : MS_ERR_NOMEM;
    }
    out->type = MS_TRIG_TIMES;
    out->minutes = s->minute & ALL_MINUTES;
    out->hours = s->hour & ALL_HOURS;
    out->every_day = ms_cron_sched_every_day(s);
    return MS_OK;
}

/* One job's record. */
static ms_err job_record(ms_scan *scan, size_t j)
{
    const ms_cronjob *job = &scan->jobs[j];
    const ms_crontab *ct = job->crontab >= 0 &&
                           (size_t)job->crontab < scan->ncrontabs
                               ? &scan->crontabs[job->crontab] : NULL;
    size_t i;
    ms_err rc = ms_scan_new_persistence(scan, &i);
    if (rc)
        return rc;
    ms_persistence *p = &scan->persistence[i];
    scan->jobs[j].persistence = (long)i;
    p->kind = "cron";
    p->noun = "cron job";
    p->kind_index = (long)j;
    p->line = job->line;
    p->offset = job->offset;
    if (ct) {
        p->recovery_method = ct->recovery ? ct->recovery_method
                                          : MS_RECOV_NONE;
        p->recovery_certainty = ct->recovery ? ct->recovery_certainty
                                             : MS_CERT_NONE;
        if ((rc = ms_fileref_copy(&ct->file, &p->source)))
            return rc;
    } else {
        p->source.volume = -1;
    }
    if ((job->user && !(p->user = ms_strdup(job->user))) ||
        (job->schedule && !(p->schedule = ms_strdup(job->schedule))) ||
        (job->schedule_words &&
         !(p->schedule_words = ms_strdup(job->schedule_words))) ||
        (job->command && !(p->command = ms_strdup(job->command))))
        return MS_ERR_NOMEM;
    if ((rc = ms_trigger_copy(&job->trigger, &p->trigger)) ||
        (rc = ms_programs_copy(job->programs, job->nprograms,
                               &p->programs)))
        return rc;
    p->nprograms = job->nprograms;
    if ((rc = ms_reasons_copy(job->reasons, job->nreasons, &p->reasons)))
        return rc;
    p->nreasons = job->nreasons;
    /* cron-only details, rendered generically */
    if ((rc = ms_persistence_attr(p, "stdin", job->input)) ||
        (rc = ms_persistence_attr(p, "time zone", job->time_zone)) ||
        (rc = ms_persistence_attr(p, "dialect", job->dialect_note)) ||
        (rc = ms_persistence_attr(p, "environment", job->environment)) ||
        (rc = ms_persistence_attr(p, "timer", job->timer)))
        return rc;
    return MS_OK;
}

ms_err ms_cron_persistence(ms_scan *scan, size_t first_job)
{
    for (size_t j = first_job; j < scan->njobs; j++) {
        ms_err rc = job_record(scan, j);
        if (rc)
            return rc;
    }
    return MS_OK;
}
