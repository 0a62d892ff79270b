/* entry.c - see entry.h. */
#include "scan/entry.h"

#include "detection/story.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/pathres.h"
#include "common/ms_entry.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"
#include "detection/webshell.h"

ms_err ms_entry_volume(ms_entry_run *r, const ms_scan_config *cfg,
                       ms_fs *fs, ms_scan *scan, int volume)
{
    size_t from = r->scripts.n;
    ms_err rc = ms_webroots_collect(fs, scan, volume, &cfg->walk, &r->scripts);
    if (rc == MS_OK)
        rc = ms_webshell_scan(cfg->rules, fs, scan, volume, &r->scripts, from,
                              cfg->max_scan_bytes);
    if (rc == MS_OK)
        rc = ms_alog_collect(fs, scan, volume, &r->alog);
    if (rc == MS_OK)
        rc = ms_timecheck_sample(fs, volume, &r->times);
    return rc;
}

/* The birth of a file as the story can state it: crtime when the file
 * system keeps it, else the inode change time (an upper bound). */
static int birth(const ms_fileref *ref, ms_time *t, const char **which)
{
    if (ref->times[MS_T_CRTIME].set) {
        *t = ref->times[MS_T_CRTIME];
        *which = "crtime";
        return 1;
    }
    if (ref->times[MS_T_CTIME].set) {
        *t = ref->times[MS_T_CTIME];
        *which = "ctime";
        return 1;
    }
    return 0;
}

static ms_err set_story(ms_story_time *st, const ms_file *f, const ms_time *t,
                        const char *which, const char *what)
{
    int kind = !strcmp(which, "crtime") ? MS_T_CRTIME : MS_T_CTIME;
    ms_story_time_clear(st);
    st->set = 1;
    st->sec = t->sec;
    st->nsec = t->nsec;
    st->unreliable = (f->times_unreliable >> kind) & 1u;
    st->certainty = st->unreliable ? MS_CERT_LOW
                    : kind == MS_T_CRTIME ? MS_CERT_HIGH : MS_CERT_MEDIUM;
    st->path = ms_strdup(f->ref.path);
    st->source = ms_asprintf("%s of %s (volume %d, inode %llu)%s%s", which,
                             what, f->ref.volume,
                             (unsigned long long)f->ref.inode,
                             kind == MS_T_CTIME
                                 ? ": the last inode change, birth is at or "
                                   "before it" : "",
                             st->unreliable ? "; a TIME_* reason puts this "
                                              "time in doubt" : "");
    return st->path && st->source ? MS_OK : MS_ERR_NOMEM;
}

static int before(const ms_time *a, const ms_time *b)
{
    return a->sec < b->sec || (a->sec == b->sec && a->nsec < b->nsec);
}

/* The backdoor: the earliest-born malicious file that is not a web-root
 * script; suspicious ones when nothing is malicious. */
static ms_err find_anchor(ms_scan *scan, ms_entry *e)
{
    for (int sev = MS_SEV_MALICIOUS; sev >= MS_SEV_SUSPICIOUS; sev--) {
        long best = -1;
        ms_time bt = {0};
        const char *bw = NULL;
        for (size_t i = 0; i < scan->nfiles; i++) {
            const ms_file *f = &scan->files[i];
            ms_time t;
            const char *w;
            if ((int)f->verdict != sev || f->missing ||
                f->origin == MS_ORIGIN_WEBROOT ||
                (f->origin & MS_ORIGIN_CARVE) || !birth(&f->ref, &t, &w))
                continue;
            if (best < 0 || before(&t, &bt))
                best = (long)i, bt = t, bw = w;
        }
        if (best >= 0)
            return set_story(&e->anchor, &scan->files[best], &bt, bw,
                             sev == MS_SEV_MALICIOUS
                                 ? "the earliest-born malicious file"
                                 : "the earliest-born suspicious file");
    }
    return MS_OK;
}

static long file_index_of(const ms_scan *scan, const ms_fileref *ref)
{
    for (size_t i = 0; i < scan->nfiles; i++)
        if (scan->files[i].ref.volume == ref->volume &&
            scan->files[i].ref.inode == ref->inode &&
            scan->files[i].ref.path && ref->path &&
            !strcmp(scan->files[i].ref.path, ref->path))
            return (long)i;
    return -1;
}

static ms_err find_nearby(ms_entry_run *r, ms_scan *scan, ms_entry *e)
{
    if (!e->anchor.set)
        return MS_OK;
    for (size_t i = 0; i < r->scripts.n; i++) {
        const ms_fileref *ref = &r->scripts.refs[i];
        const char *which = NULL;
        int64_t delta = 0;
        static const int kinds[] = { MS_T_CRTIME, MS_T_CTIME };
        for (size_t k = 0; k < 2 && !which; k++) {
            const ms_time *t = &ref->times[kinds[k]];
            int64_t d = t->sec - e->anchor.sec;
            if (t->set && d >= -e->window && d <= e->window) {
                which = k == 0 ? "crtime" : "ctime";
                delta = d;
            }
        }
        if (!which)
            continue;
        if (e->nnearby >= MS_ENTRY_MAX_NEARBY) {
            ms_scan_add_error(scan, "more than %d web-root scripts near the "
                              "backdoor's birth; the rest not listed",
                              MS_ENTRY_MAX_NEARBY);
            break;
        }
        if (ms_grow((void **)&e->nearby, &e->nearby_cap, e->nnearby + 1,
                    sizeof *e->nearby))
            return MS_ERR_NOMEM;
        ms_web_nearby *n = &e->nearby[e->nnearby++];
        n->ref = *ref;
        n->ref.path = ms_strdup(ref->path);
        n->which = which;
        n->delta = delta;
        n->file_index = file_index_of(scan, ref);
        if (!n->ref.path)
            return MS_ERR_NOMEM;
    }
    return MS_OK;
}

/* Requests to one file: every root on its volume that holds it gives a
 * URL (prefix + path below the root). */
static ms_err requests_for(ms_entry_run *r, ms_scan *scan, ms_entry *e,
                           const ms_fileref *ref, long file_index)
{
    size_t first_new = e->nrequests;
    for (size_t i = 0; i < e->nroots; i++) {
        const ms_webroot *root = &e->roots[i];
        if (root->volume != ref->volume ||
            !ms_path_in_dir(ref->path, root->path))
            continue;
        const char *rel = ref->path + strlen(root->path);
        if (strcmp(root->path, "/") == 0)
            rel = ref->path;
        while (*rel == '/')
            rel++;
        char *url = ms_asprintf("%s/%s", root->url_prefix, rel);
        char *key = url ? ms_path_normalize(url, "/") : NULL;
        free(url);
        if (!key)
            return MS_ERR_NOMEM;
        const ms_alog_path *p = ms_alog_find(&r->alog, key);
        free(key);
        if (!p)
            continue;
        e->requests_total += p->count;
        for (size_t k = 0; k < p->nreq; k++) {
            if (e->nrequests >= MS_ENTRY_MAX_REQUESTS)
                break;
            int dup = 0;   /* two roots giving the same URL */
            for (size_t j = first_new; j < e->nrequests && !dup; j++)
                dup = e->requests[j].line == p->req[k].line &&
                      !strcmp(e->requests[j].log, p->req[k].log);
            if (dup)
                continue;
            if (ms_grow((void **)&e->requests, &e->requests_cap,
                        e->nrequests + 1, sizeof *e->requests))
                return MS_ERR_NOMEM;
            const ms_web_request *s = &p->req[k];
            ms_web_request *d = &e->requests[e->nrequests++];
            *d = *s;
            d->path = ms_strdup(ref->path);
            d->file_index = file_index;
            d->client = ms_strdup(s->client);
            d->method = ms_strdup(s->method);
            d->url = ms_strdup(s->url);
            d->user_agent = s->user_agent ? ms_strdup(s->user_agent) : NULL;
            d->log = ms_strdup(s->log);
            d->first = 0;
            if (!d->path || !d->client || !d->method || !d->url ||
                !d->log || (s->user_agent && !d->user_agent))
                return MS_ERR_NOMEM;
        }
    }
    long first = -1;
    for (size_t j = first_new; j < e->nrequests; j++)
        if (first < 0 || e->requests[j].time < e->requests[first].time)
            first = (long)j;
    if (first >= 0)
        e->requests[first].first = 1;
    return MS_OK;
}

static ms_err story_times(ms_scan *scan, ms_entry *e)
{
    long shell = -1;
    ms_time st = {0};
    const char *sw = NULL;
    for (size_t i = 0; i < scan->nfiles; i++) {
        const ms_file *f = &scan->files[i];
        ms_time t;
        const char *w;
        if (!(f->origin & MS_ORIGIN_WEBROOT) || !f->flagged ||
            !birth(&f->ref, &t, &w))
            continue;
        if (shell < 0 || before(&t, &st))
            shell = (long)i, st = t, sw = w;
    }
    ms_err rc = MS_OK;
    if (shell >= 0)
        rc = set_story(&e->shell_created, &scan->files[shell], &st, sw,
                       "the earliest-born web shell");
    long first = -1;
    for (size_t j = 0; j < e->nrequests; j++)
        if (e->requests[j].file_index >= 0 &&
            scan->files[e->requests[j].file_index].flagged &&
            (first < 0 || e->requests[j].time < e->requests[first].time))
            first = (long)j;
    if (!rc && first >= 0) {
        const ms_web_request *q = &e->requests[first];
        ms_story_time_clear(&e->first_request);
        e->first_request.set = 1;
        e->first_request.sec = q->time;
        e->first_request.path = ms_strdup(q->path);
        /* a log line is what the server wrote when it answered; the
         * logs kept on the image may not go back to the first request */
        e->first_request.certainty = MS_CERT_MEDIUM;
        e->first_request.source = ms_asprintf(
            "%s line %llu (volume %d): %s %s from %s, status %d; the "
            "earliest in the access logs kept on the image", q->log,
            (unsigned long long)q->line, q->log_volume, q->method, q->url,
            q->client, q->status);
        if (!e->first_request.path || !e->first_request.source)
            rc = MS_ERR_NOMEM;
    }
    return rc;
}

ms_err ms_entry_finish(ms_entry_run *r, const ms_scan_config *cfg,
                       ms_scan *scan)
{
    ms_entry *e = scan->entry;
    ms_err rc = MS_OK;
    for (size_t i = 0; i < scan->nfiles && !rc; i++) {
        ms_file *f = &scan->files[i];
        if (f->flagged || (f->origin & MS_ORIGIN_WEBROOT))
            rc = ms_timecheck_file(f, &r->times, scan->started);
        if (!rc && (f->flagged || (f->origin & MS_ORIGIN_WEBROOT)))
            rc = ms_timecheck_after(f, scan);
    }
    /* access logs without a web root still count as examined */
    if (!rc && !e && r->alog.logs_read && !(e = ms_entry_get(scan)))
        rc = MS_ERR_NOMEM;
    if (rc || !e)
        return rc;
    e->window = cfg->web_window > 0 ? cfg->web_window
                                    : MS_ENTRY_DEFAULT_WINDOW;
    e->logs_read = r->alog.logs_read;
    if (r->alog.paths_capped)
        ms_scan_add_error(scan, "access logs name more than %d script URLs; "
                          "requests to the rest were not kept",
                          MS_ALOG_MAX_PATHS);
    rc = find_anchor(scan, e);
    if (!rc)
        rc = find_nearby(r, scan, e);
    for (size_t i = 0; i < scan->nfiles && !rc; i++)
        if ((scan->files[i].origin & MS_ORIGIN_WEBROOT) &&
            scan->files[i].flagged)
            rc = requests_for(r, scan, e, &scan->files[i].ref, (long)i);
    for (size_t i = 0; i < e->nnearby && !rc; i++)
        if (e->nearby[i].file_index < 0 ||
            !(scan->files[e->nearby[i].file_index].origin & MS_ORIGIN_WEBROOT))
            rc = requests_for(r, scan, e, &e->nearby[i].ref,
                              e->nearby[i].file_index);
    if (!rc)
        rc = story_times(scan, e);
    return rc;
}

void ms_entry_run_free(ms_entry_run *r)
{
    ms_webscripts_free(&r->scripts);
    ms_alog_free(&r->alog);
    ms_time_samples_free(&r->times);
}

ms_err ms_entry_story(ms_scan *scan)
{
    const ms_story_time *t = scan->entry ? &scan->entry->first_request : NULL;
    char *text;
    ms_err rc;
    if (!t || !t->set)
        return MS_OK;
    /* a request time is the server's log, not a file time: its doubt
     * comes only from a TIME_* reason on the shell */
    text = ms_asprintf("first request to the web shell %s%s",
                       t->path ? t->path : "(unknown path)",
                       t->unreliable ? " (time unreliable)" : "");
    if (!text)
        return MS_ERR_NOMEM;
    rc = ms_story_add(scan, "web_shell_request", 1, t->sec, t->nsec,
                      t->source ? t->source : "access log",
                      t->unreliable ? MS_CERT_LOW : t->certainty, text);
    free(text);
    return rc;
}
