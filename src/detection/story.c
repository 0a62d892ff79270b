/* story.c - see story.h. */
#include "detection/story.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

static const char *const order[] = { "web_shell_request", "dropper_written",
                                     "crontab_changed", "first_cron_run",
                                     "last_cron_run", "deleted" };
#define NKINDS (sizeof order / sizeof *order)

int ms_story_rank(const char *kind)
{
    for (size_t i = 0; kind && i < NKINDS; i++)
        if (!strcmp(order[i], kind))
            return (int)i;
    return (int)NKINDS;
}

ms_err ms_story_add(ms_scan *scan, const char *kind, int has_time,
                    int64_t sec, uint32_t nsec, const char *source,
                    enum ms_certainty cert, const char *text)
{
    /* kind must be a static string: map it onto ours, or keep "other" */
    int r = ms_story_rank(kind);
    if (ms_grow((void **)&scan->story, &scan->story_cap, scan->nstory + 1,
                sizeof *scan->story))
        return MS_ERR_NOMEM;
    ms_story_step *s = &scan->story[scan->nstory];
    memset(s, 0, sizeof *s);
    s->kind = r < (int)NKINDS ? order[r] : "other";
    s->has_time = has_time;
    s->sec = sec;
    s->nsec = nsec;
    s->certainty = has_time ? cert : MS_CERT_NONE;
    s->source = source ? ms_strdup(source) : NULL;
    s->text = ms_strdup(text ? text : "");
    if ((source && !s->source) || !s->text) {
        free(s->source);
        free(s->text);
        return MS_ERR_NOMEM;
    }
    scan->nstory++;
    return MS_OK;
}

static int have(const ms_scan *s, const char *kind)
{
    for (size_t i = 0; i < s->nstory; i++)
        if (!strcmp(s->story[i].kind, kind))
            return 1;
    return 0;
}

static char *file_source(const ms_scan *s, const ms_fileref *r)
{
    const char *mp = r->volume >= 0 && (size_t)r->volume < s->nvolumes
                     ? s->volumes[r->volume].mount_point : NULL;
    (void)mp;
    if (r->has_inode)
        return ms_asprintf("volume %d, %s (inode %llu%s)", r->volume,
                           r->path ? r->path : "", (unsigned long long)r->inode,
                           r->deleted ? ", deleted" : "");
    return ms_asprintf("volume %d, %s", r->volume, r->path ? r->path : "");
}

static ms_err take(ms_scan *s, const char *kind, int has_time, int64_t sec,
                   uint32_t nsec, char *source, enum ms_certainty cert,
                   char *text)
{
    ms_err rc = (text && (source || !has_time))
                ? ms_story_add(s, kind, has_time, sec, nsec, source, cert, text)
                : MS_ERR_NOMEM;
    free(source);
    free(text);
    return rc;
}

static char *run_source(const ms_scan *s, const ms_job_history *h,
                        long hist, int64_t sec)
{
    for (size_t i = 0; i < s->ncron_runs; i++) {
        const ms_cron_run *r = &s->cron_runs[i];
        if (r->history != hist || r->sec != sec || r->source < 0 ||
            (size_t)r->source >= s->nlogsrcs)
            continue;
        const ms_logsrc *l = &s->logsrcs[r->source];
        (void)h;
        return ms_asprintf("volume %d, %s (inode %llu%s), %s %llu%s%s%s",
                           l->volume, l->path, (unsigned long long)l->inode,
                           l->deleted ? ", deleted, recovered" : "",
                           strcmp(l->kind, "journal") ? "line" : "entry",
                           (unsigned long long)r->line,
                           !l->time_zone ? "" : l->local_as_utc
                               ? "; local time TREATED AS UTC: no time zone "
                                 "found in the image" : "; local time in ",
                           l->time_zone && !l->local_as_utc ? l->time_zone
                                                            : "",
                           l->time_zone && !l->local_as_utc
                               ? ", converted to UTC" : "");
    }
    return ms_strdup("cron log");
}

/* Why the story has no first web-shell request: what the entry vector
 * examined, in counts (scan->entry, filled by scan/entry.c; the scan
 * always runs it, so a NULL entry means nothing was found to examine). */
static char *no_request_text(const ms_scan *s)
{
    const ms_entry *e = s->entry;
    if (!e)
        return ms_strdup("no evidence: no web root (default places, Apache "
                         "and nginx document roots) and no web server "
                         "access log were found in the image");
    size_t scripts = 0, shells = 0;
    for (size_t i = 0; i < e->nroots; i++)
        scripts += e->roots[i].scripts;
    for (size_t i = 0; i < s->nfiles; i++)
        shells += (s->files[i].origin & MS_ORIGIN_WEBROOT) &&
                  s->files[i].flagged && !s->files[i].missing;
    return ms_asprintf("no evidence: %zu web root%s (%zu script file%s, "
                       "%zu scanned with the web-shell rules, %zu flagged) "
                       "and %zu access log file%s examined; %s",
                       e->nroots, e->nroots == 1 ? "" : "s", scripts,
                       scripts == 1 ? "" : "s", e->scripts_scanned, shells,
                       e->logs_read, e->logs_read == 1 ? "" : "s",
                       shells ? "no request to a flagged web-root script "
                                "was found in them"
                              : "no web shell was found, so no request "
                                "to one");
}

/* 1 when the record of run `sec` of history `hist` is a local time taken
 * as UTC (no zone in the image): its time may be hours off. */
static int run_tz_assumed(const ms_scan *s, long hist, int64_t sec)
{
    for (size_t i = 0; i < s->ncron_runs; i++) {
        const ms_cron_run *r = &s->cron_runs[i];
        if (r->history == hist && r->sec == sec && r->source >= 0 &&
            (size_t)r->source < s->nlogsrcs)
            return s->logsrcs[r->source].local_as_utc;
    }
    return 0;
}

static enum ms_certainty run_cert(const ms_scan *s, const ms_job_history *h,
                                  long hist, int64_t sec)
{
    if (run_tz_assumed(s, hist, sec))
        return MS_CERT_LOW;
    return h->year_inferred ? MS_CERT_MEDIUM : MS_CERT_HIGH;
}

static int step_cmp(const void *a, const void *b)
{
    const ms_story_step *x = a, *y = b;
    int rx = ms_story_rank(x->kind), ry = ms_story_rank(y->kind);
    if (rx != ry)
        return rx - ry;
    if (x->has_time != y->has_time)
        return y->has_time - x->has_time;
    return x->sec < y->sec ? -1 : x->sec > y->sec;
}

ms_err ms_story_build(ms_scan *s)
{
    const ms_file *drop = NULL, *del = NULL;
    int64_t drop_t = 0, del_t = 0;
    int drop_birth = 0, drop_bad = 0, del_bad = 0;
    ms_err rc = MS_OK;
    size_t nflagged = 0;

    for (size_t i = 0; i < s->nfiles; i++) {
        const ms_file *f = &s->files[i];
        if (!f->flagged || f->missing || (f->origin & MS_ORIGIN_CARVE))
            continue;
        nflagged++;
        const ms_time *b = &f->ref.times[MS_T_CRTIME];
        const ms_time *m = &f->ref.times[MS_T_MTIME];
        const ms_time *t = b->set ? b : m->set ? m : NULL;
        if (t && (!drop || t->sec < drop_t)) {
            drop = f;
            drop_t = t->sec;
            drop_birth = b->set;
            drop_bad = (f->times_unreliable >>
                        (b->set ? MS_T_CRTIME : MS_T_MTIME)) & 1u;
        }
        const ms_time *d = &f->ref.times[MS_T_DTIME];
        if (f->ref.deleted && d->set && d->sec > 0 && (!del || d->sec < del_t)) {
            del = f;
            del_t = d->sec;
            del_bad = (f->times_unreliable >> MS_T_DTIME) & 1u;
        }
    }
    if (!nflagged && !s->nstory)
        return MS_OK;

    if (!have(s, "web_shell_request"))
        rc = take(s, "web_shell_request", 0, 0, 0, NULL, MS_CERT_NONE,
                  no_request_text(s));
    if (rc == MS_OK && !have(s, "dropper_written"))
        rc = drop
            ? take(s, "dropper_written", 1, drop_t, 0,
                   file_source(s, &drop->ref),
                   drop_birth && !drop_bad ? MS_CERT_MEDIUM : MS_CERT_LOW,
                   ms_asprintf("%s written (%s; file times can be "
                               "back-dated)%s", drop->ref.path ? drop->ref.path
                               : "", drop_birth ? "its birth time"
                               : "its modification time: the file system "
                               "records no birth time", drop_bad
                               ? "; time UNRELIABLE: a TIME_* reason on the "
                                 "file puts it in doubt" : ""))
            : take(s, "dropper_written", 0, 0, 0, NULL, MS_CERT_NONE,
                   ms_strdup("no evidence: no flagged file has a recorded "
                             "time"));

    /* the crontab and the history of the job that runs a flagged file */
    const ms_job_history *first = NULL, *last = NULL;
    long first_i = -1, last_i = -1;
    const ms_crontab *ct = NULL;
    for (size_t i = 0; i < s->njob_history; i++) {
        const ms_job_history *h = &s->job_history[i];
        if (!h->flagged || !h->runs)
            continue;
        if (!first || h->first < first->first)
            first = h, first_i = (long)i;
        if (!last || h->last > last->last)
            last = h, last_i = (long)i;
    }
    for (size_t j = 0; j < s->njobs && !ct; j++) {
        const ms_cronjob *job = &s->jobs[j];
        for (size_t p = 0; p < job->nprograms; p++) {
            long fi = job->programs[p].file_index;
            if (fi >= 0 && (size_t)fi < s->nfiles && s->files[fi].flagged &&
                !s->files[fi].missing &&
                job->crontab >= 0 && (size_t)job->crontab < s->ncrontabs) {
                ct = &s->crontabs[job->crontab];
                break;
            }
        }
    }
    if (rc == MS_OK && !have(s, "crontab_changed")) {
        const ms_time *m = ct ? &ct->file.times[MS_T_MTIME] : NULL;
        rc = m && m->set
            ? take(s, "crontab_changed", 1, m->sec, m->nsec,
                   file_source(s, &ct->file), MS_CERT_MEDIUM,
                   ms_asprintf("%s last changed (its modification time: the "
                               "job may have been added earlier)",
                               ct->file.path ? ct->file.path : ""))
            : take(s, "crontab_changed", 0, 0, 0, NULL, MS_CERT_NONE,
                   ms_strdup(ct ? "no evidence: the crontab has no recorded "
                             "modification time" : "no evidence: no crontab "
                             "in the image runs a flagged file"));
    }
    if (rc == MS_OK && !have(s, "first_cron_run"))
        rc = first
            ? take(s, "first_cron_run", 1, first->first, 0,
                   run_source(s, first, first_i, first->first),
                   run_cert(s, first, first_i, first->first),
                   ms_asprintf("cron ran (%s) %s; %llu recorded runs%s",
                               first->user, first->command,
                               (unsigned long long)first->runs,
                               first->year_inferred ? "; year inferred" : ""))
            : take(s, "first_cron_run", 0, 0, 0, NULL, MS_CERT_NONE,
                   ms_asprintf("no evidence: no cron record of a job that "
                               "runs a flagged file in the %zu log files "
                               "read", s->nlogsrcs));
    if (rc == MS_OK && !have(s, "last_cron_run"))
        rc = last
            ? take(s, "last_cron_run", 1, last->last, 0,
                   run_source(s, last, last_i, last->last),
                   run_cert(s, last, last_i, last->last),
                   ms_asprintf("cron ran (%s) %s for the last recorded time",
                               last->user, last->command))
            : take(s, "last_cron_run", 0, 0, 0, NULL, MS_CERT_NONE,
                   ms_strdup("no evidence: no recorded run"));
    if (rc == MS_OK && !have(s, "deleted"))
        rc = del
            ? take(s, "deleted", 1, del_t, 0, file_source(s, &del->ref),
                   del_bad ? MS_CERT_LOW : del->recovery ? MS_CERT_HIGH
                                                         : MS_CERT_MEDIUM,
                   ms_asprintf("%s deleted (its inode's deletion time)%s%s",
                               del->ref.path ? del->ref.path : "",
                               del->recovery ? "; content recovered" : "",
                               del_bad ? "; time UNRELIABLE: a TIME_* reason "
                                         "on the file puts it in doubt" : ""))
            : take(s, "deleted", 0, 0, 0, NULL, MS_CERT_NONE,
                   ms_strdup("no evidence: no flagged file was deleted"));
    if (rc == MS_OK && s->nstory > 1)
        qsort(s->story, s->nstory, sizeof *s->story, step_cmp);
    return rc;
}
