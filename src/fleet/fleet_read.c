/* fleet_read.c - read one per-image JSON result into the fleet model.
 *
 * The document is parsed, the few facts the fleet report needs are
 * copied out (bounded, type-checked), and the document is freed before
 * the next one is read: a 4,000-host merge holds 4,000 small host
 * records, not 4,000 parsed reports. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "common/ms_mem.h"
#include "fleet/fleet.h"
#include "fleet/fleet_hunt.h"
#include "fleet/fleet_util.h"
#include "report/escape.h"

void ms_fleet_init(ms_fleet *f)
{
    memset(f, 0, sizeof *f);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void ms_fhost_free(ms_fhost *h)
{
    free(h->input_path);
    free(h->schema_version);
    free(h->image);
    free(h->image_format);
    free(h->case_id);
    free(h->hostname);
    free(h->os);
    free(h->machine_id);
    free(h->verdict);
    free_strv(h->addresses, h->naddresses);
    free_strv(h->ssh_keys, h->nssh_keys);
    free_strv(h->dup_inputs, h->ndup);
    for (size_t i = 0; i < h->nsamples; i++) {
        free(h->samples[i].sha256);
        free(h->samples[i].script_sha256);
        free(h->samples[i].kind);
        free(h->samples[i].path);
        free(h->samples[i].verdict);
    }
    free(h->samples);
    for (size_t i = 0; i < h->nindicators; i++) {
        free(h->indicators[i].type);
        free(h->indicators[i].value);
        free(h->indicators[i].klass);
    }
    free(h->indicators);
    for (size_t i = 0; i < h->ncrons; i++) {
        free(h->crons[i].file);
        free(h->crons[i].user);
        free(h->crons[i].schedule);
        free(h->crons[i].command);
    }
    free(h->crons);
    for (size_t i = 0; i < h->ngaps; i++) {
        free(h->gaps[i].what);
        free(h->gaps[i].why);
    }
    free(h->gaps);
    memset(h, 0, sizeof *h);
}

void ms_fleet_free(ms_fleet *f)
{
    for (size_t i = 0; i < f->nhosts; i++)
        ms_fhost_free(&f->hosts[i]);
    free(f->hosts);
    for (size_t i = 0; i < f->nrefused; i++) {
        free(f->refused[i].path);
        free(f->refused[i].why);
    }
    free(f->refused);
    for (size_t i = 0; i < f->nmachines; i++)
        free(f->machines[i].hosts);
    free(f->machines);
    for (size_t i = 0; i < f->nhunt; i++) {
        free(f->hunt[i].value);
        free(f->hunt[i].label);
    }
    free(f->hunt);
    for (size_t i = 0; i < f->nhits; i++) {
        free(f->hits[i].where);
        free(f->hits[i].host_sha);
    }
    free(f->hits);
    memset(f, 0, sizeof *f);
}

static ms_err refuse(ms_fleet *f, const char *path, const char *why)
{
    if (ms_grow((void **)&f->refused, &f->refused_cap, f->nrefused + 1,
                sizeof *f->refused) != MS_OK)
        return MS_ERR_NOMEM;
    ms_frefused *r = &f->refused[f->nrefused];
    r->path = ms_strdup(path);
    r->why = ms_strdup(why);
    if (!r->path || !r->why) {
        free(r->path);
        free(r->why);
        return MS_ERR_NOMEM;
    }
    f->nrefused++;
    return MS_OK;
}

/* ---- bounded, typed accessors ----------------------------------------- */

/* A copy of a string member, cut at MS_FLEET_MAX_STR on a UTF-8 character
 * boundary; NULL when absent, null or not a string. */
static char *gstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return NULL;
    return ms_fleet_strcut(json_string_value(v), json_string_length(v));
}

static int64_t gint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static ms_ftime gtime(json_t *o, const char *key)
{
    ms_ftime t = { 0, 0, 0 };
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        ms_fleet_time_parse(json_string_value(v), &t);
    return t;
}

static size_t garr_len(json_t *a)
{
    if (!json_is_array(a))
        return 0;
    size_t n = json_array_size(a);
    return n > MS_FLEET_MAX_ITEMS ? MS_FLEET_MAX_ITEMS : n;
}

static void tmin(ms_ftime *acc, const ms_ftime *t)
{
    if (t->set && (!acc->set || ms_ftime_cmp(t, acc) < 0))
        *acc = *t;
}

static void tmax(ms_ftime *acc, const ms_ftime *t)
{
    if (t->set && (!acc->set || ms_ftime_cmp(t, acc) > 0))
        *acc = *t;
}

/* Earliest of mtime, ctime, crtime (when the file came to be as it is)
 * and latest of all four (the last trace of activity). */
static void file_times(json_t *file, ms_ftime *first, ms_ftime *last)
{
    static const char *const fk[] = { "mtime", "ctime", "crtime" };
    static const char *const lk[] = { "mtime", "atime", "ctime", "crtime" };
    json_t *times = json_object_get(file, "times");
    memset(first, 0, sizeof *first);
    memset(last, 0, sizeof *last);
    if (!json_is_object(times))
        return;
    for (size_t i = 0; i < 3; i++) {
        ms_ftime t = gtime(times, fk[i]);
        tmin(first, &t);
    }
    for (size_t i = 0; i < 4; i++) {
        ms_ftime t = gtime(times, lk[i]);
        tmax(last, &t);
    }
}

static ms_err push_str(char ***v, size_t *n, size_t *cap, char *s)
{
    if (!s)
        return MS_OK;
    if (*n >= MS_FLEET_MAX_ITEMS ||
        ms_grow((void **)v, cap, *n + 1, sizeof **v) != MS_OK) {
        free(s);
        return *n >= MS_FLEET_MAX_ITEMS ? MS_OK : MS_ERR_NOMEM;
    }
    (*v)[(*n)++] = s;
    return MS_OK;
}

static int strv_has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* ---- extraction ------------------------------------------------------- */

typedef struct caps {
    size_t addr, ssh, samples, ind, crons, gaps;
} caps;

static ms_err add_gap(ms_fhost *h, caps *c, char *what, char *why)
{
    if (!what || !why || h->ngaps >= MS_FLEET_MAX_ITEMS ||
        ms_grow((void **)&h->gaps, &c->gaps, h->ngaps + 1,
                sizeof *h->gaps) != MS_OK) {
        free(what);
        free(why);
        return (what && why && h->ngaps < MS_FLEET_MAX_ITEMS) ?
               MS_ERR_NOMEM : MS_OK;
    }
    h->gaps[h->ngaps].what = what;
    h->gaps[h->ngaps].why = why;
    h->ngaps++;
    return MS_OK;
}

static ms_err add_indicator(ms_fhost *h, caps *c, json_t *ind,
                            const ms_ftime *first)
{
    char *type = gstr(ind, "type"), *value = gstr(ind, "value"),
         *klass = gstr(ind, "class");
    ms_err err = MS_OK;
    /* Decoys are legitimate sites on Mumblehard's list: not indicators. */
    if (!type || !value || !klass || strcmp(klass, "decoy") == 0)
        goto _exit;
    for (size_t i = 0; i < h->nindicators; i++)
        if (strcmp(h->indicators[i].type, type) == 0 &&
            strcmp(h->indicators[i].value, value) == 0) {
            tmin(&h->indicators[i].first, first);
            goto _exit;
        }
    if (h->nindicators >= MS_FLEET_MAX_ITEMS)
        goto _exit;
    if (ms_grow((void **)&h->indicators, &c->ind, h->nindicators + 1,
                sizeof *h->indicators) != MS_OK) {
        err = MS_ERR_NOMEM;
        goto _exit;
    }
    ms_findicator *d = &h->indicators[h->nindicators++];
    d->type = type;
    d->value = value;
    d->klass = klass;
    d->first = *first;
    return MS_OK;
_exit:
    free(type);
    free(value);
    free(klass);
    return err;
}

static ms_err read_hosts(ms_fhost *h, caps *c, json_t *doc)
{
    json_t *hosts = json_object_get(doc, "hosts");
    size_t n = garr_len(hosts);
    ms_err err = MS_OK;
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(hosts, i);
        if (!json_is_object(s))
            continue;
        if (!h->hostname)
            h->hostname = gstr(s, "hostname");
        if (!h->machine_id)
            h->machine_id = gstr(s, "machine_id");
        if (!h->os) {
            h->os = gstr(s, "os_pretty_name");
            if (!h->os) {
                char *id = gstr(s, "os_id"), *ver = gstr(s, "os_version_id");
                if (id)
                    h->os = ver ? ms_asprintf("%s %s", id, ver) : ms_strdup(id);
                free(id);
                free(ver);
            }
        }
        json_t *addrs = json_object_get(s, "addresses");
        for (size_t k = 0, m = garr_len(addrs); k < m && !err; k++) {
            char *a = gstr(json_array_get(addrs, k), "address");
            if (a && strv_has(h->addresses, h->naddresses, a))
                free(a);
            else
                err = push_str(&h->addresses, &h->naddresses, &c->addr, a);
        }
        json_t *keys = json_object_get(s, "ssh_host_keys");
        for (size_t k = 0, m = garr_len(keys); k < m && !err; k++) {
            char *fp = gstr(json_array_get(keys, k), "fingerprint");
            if (fp && strv_has(h->ssh_keys, h->nssh_keys, fp))
                free(fp);
            else
                err = push_str(&h->ssh_keys, &h->nssh_keys, &c->ssh, fp);
        }
    }
    if (!err) {
        ms_fleet_sort_strv(h->addresses, h->naddresses);
        ms_fleet_sort_strv(h->ssh_keys, h->nssh_keys);
    }
    return err;
}

/* Files with a finding: samples (with content hashes), their unpacked
 * scripts' indicators, and the ids cron jobs refer to. */
static ms_err read_findings(ms_fhost *h, caps *c, json_t *doc,
                            int64_t **ids, size_t *nids, ms_fleet *f)
{
    json_t *fnd = json_object_get(doc, "findings");
    size_t n = garr_len(fnd);
    ms_err err = MS_OK;
    *ids = n ? calloc(n, sizeof **ids) : NULL;
    if (n && !*ids)
        return MS_ERR_NOMEM;
    *nids = 0;
    for (size_t i = 0; i < n && !err; i++) {
        json_t *file = json_array_get(fnd, i);
        if (!json_is_object(file))
            continue;
        json_t *jid = json_object_get(file, "id");
        if (json_is_integer(jid))
            (*ids)[(*nids)++] = json_integer_value(jid);
        ms_ftime first, last;
        file_times(file, &first, &last);
        tmin(&h->first_infection, &first);
        tmax(&h->last_activity, &last);
        json_t *hashes = json_object_get(file, "hashes");
        char *sha = json_is_object(hashes) ? gstr(hashes, "sha256") : NULL;
        json_t *up = json_object_get(file, "unpacked");
        if (f->nhunt)
            ms_fleet_hunt_file(f, h, file, "finding");
        if (!sha || !ms_fleet_is_hex(sha, 64)) {
            free(sha);
            sha = NULL;
        }
        if (sha) {
            if (h->nsamples >= MS_FLEET_MAX_ITEMS ||
                ms_grow((void **)&h->samples, &c->samples, h->nsamples + 1,
                        sizeof *h->samples) != MS_OK) {
                free(sha);
                if (h->nsamples < MS_FLEET_MAX_ITEMS)
                    err = MS_ERR_NOMEM;
                continue;
            }
            ms_fsample *s = &h->samples[h->nsamples++];
            memset(s, 0, sizeof *s);
            s->sha256 = sha;
            s->path = gstr(file, "path");
            s->verdict = gstr(file, "verdict");
            int64_t sz = gint(file, "size");
            s->size = sz > 0 ? (uint64_t)sz : 0;
            s->first = first;
            s->last = last;
            if (json_is_object(up)) {
                char *ss = gstr(up, "sha256");
                if (ss && ms_fleet_is_hex(ss, 64))
                    s->script_sha256 = ss;
                else
                    free(ss);
                s->kind = gstr(up, "kind");
            }
        }
        if (json_is_object(up)) {
            json_t *inds = json_object_get(up, "indicators");
            for (size_t k = 0, m = garr_len(inds); k < m && !err; k++) {
                json_t *ind = json_array_get(inds, k);
                if (json_is_object(ind))
                    err = add_indicator(h, c, ind, &first);
            }
        }
    }
    return err;
}

static int id_in(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Cron lines that run a finding or carry an indicator of their own. */
static ms_err read_cron(ms_fhost *h, caps *c, json_t *doc,
                        const int64_t *ids, size_t nids, ms_fleet *f)
{
    json_t *tabs = json_object_get(doc, "crontabs");
    json_t *jobs = json_object_get(doc, "cron_jobs");
    size_t ntabs = garr_len(tabs);
    for (size_t i = 0, n = garr_len(jobs); i < n; i++) {
        json_t *job = json_array_get(jobs, i);
        if (!json_is_object(job))
            continue;
        if (f->nhunt)
            ms_fleet_hunt_cron(f, h, job);
        int relevant = garr_len(json_object_get(job, "reasons")) > 0;
        json_t *progs = json_object_get(job, "programs");
        for (size_t k = 0, m = garr_len(progs); k < m && !relevant; k++) {
            json_t *fid = json_object_get(json_array_get(progs, k), "file");
            if (json_is_integer(fid) && id_in(ids, nids, json_integer_value(fid)))
                relevant = 1;
        }
        if (!relevant)
            continue;
        if (h->ncrons >= MS_FLEET_MAX_ITEMS)
            break;
        if (ms_grow((void **)&h->crons, &c->crons, h->ncrons + 1,
                    sizeof *h->crons) != MS_OK)
            return MS_ERR_NOMEM;
        ms_fcron *cr = &h->crons[h->ncrons++];
        memset(cr, 0, sizeof *cr);
        cr->file = gstr(job, "file");
        cr->line = (long)gint(job, "line");
        cr->user = gstr(job, "user");
        cr->schedule = gstr(job, "schedule");
        cr->command = gstr(job, "command");
        json_t *ct = json_object_get(job, "crontab");
        if (json_is_integer(ct) && json_integer_value(ct) >= 0 &&
            (size_t)json_integer_value(ct) < ntabs) {
            ms_ftime first, last;
            file_times(json_array_get(tabs, (size_t)json_integer_value(ct)),
                       &first, &last);
            ms_ftime m = gtime(json_object_get(
                json_array_get(tabs, (size_t)json_integer_value(ct)), "times"),
                "mtime");
            cr->first = m.set ? m : first;
            tmin(&h->first_infection, &cr->first);
            tmax(&h->last_activity, &last);
        }
    }
    return MS_OK;
}

/* Volumes not examined, unread media, unreadable crontabs, errors. */
static ms_err read_gaps(ms_fhost *h, caps *c, json_t *doc)
{
    ms_err err = MS_OK;
    json_t *vols = json_object_get(doc, "volumes");
    for (size_t i = 0, n = garr_len(vols); i < n && !err; i++) {
        json_t *v = json_array_get(vols, i);
        char *st = gstr(v, "state");
        if (st && strcmp(st, "not_examined") == 0) {
            char *note = gstr(v, "note");
            err = add_gap(h, c, ms_asprintf("volume %lld", (long long)gint(v, "index")),
                          note ? note : ms_strdup("not examined (no reason given)"));
        } else if (json_is_true(json_object_get(v, "partial"))) {
            err = add_gap(h, c, ms_asprintf("volume %lld", (long long)gint(v, "index")),
                          ms_strdup("partly unreadable media (examined what was present)"));
        }
        free(st);
    }
    json_t *sum = json_object_get(doc, "summary");
    if (!err && json_is_true(json_object_get(sum, "evidence_incomplete")))
        err = add_gap(h, c, ms_strdup("media"),
                      ms_asprintf("%lld bytes could not be read",
                                  (long long)gint(sum, "unreadable_bytes")));
    json_t *tabs = json_object_get(doc, "crontabs");
    for (size_t i = 0, n = garr_len(tabs); i < n && !err; i++) {
        json_t *t = json_array_get(tabs, i);
        json_t *r = json_object_get(t, "readable");
        if (json_is_false(r)) {
            char *note = gstr(t, "note"), *p = gstr(t, "path");
            err = add_gap(h, c, p ? ms_asprintf("crontab %s", p) : ms_strdup("crontab"),
                          note ? note : ms_strdup("unreadable"));
            free(p);
        }
    }
    /* temp directories and crontab locations not (fully) read */
    json_t *cov = json_object_get(doc, "coverage");
    for (size_t i = 0, n = garr_len(cov); i < n && !err; i++) {
        json_t *v = json_array_get(cov, i);
        char *st = gstr(v, "state");
        if (st && (!strcmp(st, "unreadable") || !strcmp(st, "partial"))) {
            char *p = gstr(v, "path"), *why = gstr(v, "reason");
            err = add_gap(h, c, ms_asprintf("volume %lld %s", (long long)
                                            gint(v, "volume"), p ? p : "?"),
                          ms_asprintf("%s: %s", st,
                                      why ? why : "no reason given"));
            free(p);
            free(why);
        }
        free(st);
    }
    json_t *errs = json_object_get(doc, "errors");
    for (size_t i = 0, n = garr_len(errs); i < n && i < 32 && !err; i++) {
        json_t *e = json_array_get(errs, i);
        if (json_is_string(e))
            err = add_gap(h, c, ms_strdup("error"),
                          ms_fleet_strcut(json_string_value(e),
                                          json_string_length(e)));
    }
    return err;
}

/* Evidence identity (see fleet.h). */
/* What the scan saw, as content: two snapshots of one host (same size,
 * same keys) that differ in any file, crontab or location read are not
 * the same evidence.  Run-time fields are left out. */
static void content_digest(ms_buf *b, json_t *doc)
{
    static const char *const lists[] = { "findings", "examined",
                                         "crontabs", "coverage" };
    char *s = json_dumps(json_object_get(doc, "summary"),
                         JSON_SORT_KEYS | JSON_COMPACT);
    ms_buf_printf(b, "|%s", s ? s : "");
    free(s);
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        json_t *a = json_object_get(doc, lists[l]);
        for (size_t i = 0, n = garr_len(a); i < n; i++) {
            json_t *e = json_array_get(a, i), *hs = json_object_get(e, "hashes");
            json_t *fi = json_object_get(e, "file");
            const char *keys[] = { "path", "state", "reason", "inode" };
            ms_buf_printf(b, "|%s:", lists[l]);
            for (size_t k = 0; k < 4; k++) {
                json_t *v = json_object_get(e, keys[k]);
                if (!v && fi)
                    v = json_object_get(fi, keys[k]);
                char *t = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT)
                            : NULL;
                ms_buf_printf(b, "%s,", t ? t : "");
                free(t);
            }
            char *t = hs ? json_dumps(hs, JSON_SORT_KEYS | JSON_COMPACT)
                         : NULL;
            ms_buf_printf(b, "%s", t ? t : "");
            free(t);
        }
    }
}

static void evidence_id(ms_fhost *h, json_t *image, json_t *doc)
{
    json_t *mh = json_object_get(image, "media_hashes");
    char *sha = json_is_object(mh) ? gstr(mh, "sha256") : NULL;
    if (sha && ms_fleet_is_hex(sha, 64)) {
        snprintf(h->evidence, sizeof h->evidence, "media-sha256:%s", sha);
        free(sha);
        return;
    }
    free(sha);
    /* No media hash: what identifies the evidence without the image. */
    ms_buf b = { 0 };
    ms_buf_printf(&b, "%s|%llu|", h->image_format ? h->image_format : "",
                  (unsigned long long)h->media_size);
    json_t *segs = json_object_get(image, "segments");
    for (size_t i = 0, n = garr_len(segs); i < n; i++)
        ms_buf_printf(&b, "%lld,", (long long)gint(json_array_get(segs, i), "size"));
    ms_buf_printf(&b, "|%s|%s|", h->hostname ? h->hostname : "",
                  h->machine_id ? h->machine_id : "");
    for (size_t i = 0; i < h->nssh_keys; i++)
        ms_buf_printf(&b, "%s,", h->ssh_keys[i]);
    content_digest(&b, doc);
    char hex[65];
    ms_fleet_sha256_hex(b.data ? b.data : "", b.len, hex);
    ms_buf_free(&b);
    snprintf(h->evidence, sizeof h->evidence, "identity:%.32s", hex);
}

static ms_err check_schema(json_t *doc, char **version, char **why)
{
    json_t *sv = json_object_get(doc, "schema_version");
    *version = NULL;
    if (!json_is_string(sv)) {
        *why = ms_strdup("not a mumblescan result (no schema_version)");
        return MS_ERR_FORMAT;
    }
    const char *s = json_string_value(sv);
    char *end = NULL;
    errno = 0;
    long major = strtol(s, &end, 10);
    if (end == s || *end != '.' || errno || major < 0) {
        *why = ms_fleet_quote("malformed schema_version", s);
        return MS_ERR_FORMAT;
    }
    if (major != MS_FLEET_SCHEMA_MAJOR) {
        char *q = ms_fleet_quote("", s);
        *why = ms_asprintf("incompatible schema_version %s (this merge reads "
                           "%d.x)", q ? q : "?", MS_FLEET_SCHEMA_MAJOR);
        free(q);
        return MS_ERR_FORMAT;
    }
    *version = ms_fleet_strcut(s, strlen(s));
    return MS_OK;
}

static ms_err add_host(ms_fleet *f, ms_fhost *h)
{
    if (ms_grow((void **)&f->hosts, &f->hosts_cap, f->nhosts + 1,
                sizeof *f->hosts) != MS_OK)
        return MS_ERR_NOMEM;
    f->hosts[f->nhosts++] = *h;
    return MS_OK;
}

ms_err ms_fleet_add_file(ms_fleet *f, const char *path, int quiet_skip,
                         char **err)
{
    ms_err rc = MS_OK;
    unsigned char *buf = NULL;
    json_t *doc = NULL;
    FILE *fp = NULL;
    char *why = NULL;
    ms_fhost h;
    caps c = { 0 };
    int64_t *ids = NULL;
    size_t nids = 0;
    memset(&h, 0, sizeof h);
    *err = NULL;

    if (f->nhosts + f->nrefused >= MS_FLEET_MAX_INPUTS) {
        *err = ms_asprintf("more than %u results", MS_FLEET_MAX_INPUTS);
        return MS_ERR_LIMIT;
    }
    fp = fopen(path, "rb");
    struct stat st;
    if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        why = ms_asprintf("cannot read: %s", fp ? "not a regular file" : strerror(errno));
        goto _refuse;
    }
    if ((uint64_t)st.st_size > MS_FLEET_MAX_RESULT_BYTES) {
        why = ms_asprintf("larger than %u bytes", MS_FLEET_MAX_RESULT_BYTES);
        goto _refuse;
    }
    size_t len = (size_t)st.st_size;
    buf = malloc(len ? len : 1);
    if (!buf) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if (len && fread(buf, 1, len, fp) != len) {
        why = ms_asprintf("read error: %s", strerror(errno));
        goto _refuse;
    }
    /* Cheap test before parsing: a result names its schema near the top
     * (after at most two one-sentence alerts). */
    if (quiet_skip && !memmem(buf, len < 65536 ? len : 65536, "\"schema_version\"", 16))
        goto _exit;
    json_error_t je;
    doc = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc || !json_is_object(doc)) {
        if (quiet_skip)
            goto _exit;
        /* jansson's message may quote the hostile input: escape it */
        char *et = ms_escape_text(je.text, strnlen(je.text, 80));
        why = ms_asprintf("not valid JSON (line %d: %s)", je.line, et ? et : "?");
        free(et);
        goto _refuse;
    }
    if (check_schema(doc, &h.schema_version, &why) != MS_OK) {
        if (quiet_skip && !json_object_get(doc, "schema_version")) {
            free(why);
            why = NULL;
            goto _exit;
        }
        if (json_is_string(json_object_get(doc, "schema_version"))) {
            /* An incompatible version stops the merge: guessing at the
             * meaning of a changed format is worse than no report. */
            *err = ms_asprintf("%s: %s", path, why);
            rc = MS_ERR_FORMAT;
            goto _exit;
        }
        goto _refuse;
    }
    json_t *tool = json_object_get(doc, "tool");
    char *tname = gstr(tool, "name");
    int is_ms = tname && strcmp(tname, "mumblescan") == 0;
    free(tname);
    if (!is_ms) {
        why = ms_strdup("not a mumblescan result (tool.name)");
        goto _refuse;
    }
    ms_fleet_sha256_hex(buf, len, h.input_sha256);
    free(buf);
    buf = NULL;
    h.input_size = len;
    h.input_path = ms_strdup(path);

    json_t *image = json_object_get(doc, "image");
    json_t *scan = json_object_get(doc, "scan");
    json_t *paths = json_object_get(image, "paths");
    json_t *p0 = json_array_get(paths, 0);
    if (json_is_string(p0))
        h.image = ms_fleet_strcut(json_string_value(p0), json_string_length(p0));
    else if (json_is_string(json_array_get(json_object_get(scan, "images"), 0))) {
        json_t *i0 = json_array_get(json_object_get(scan, "images"), 0);
        h.image = ms_fleet_strcut(json_string_value(i0), json_string_length(i0));
    }
    h.image_format = gstr(image, "format");
    int64_t ms = gint(image, "media_size");
    h.media_size = ms > 0 ? (uint64_t)ms : 0;
    h.case_id = gstr(json_object_get(doc, "case"), "evidence_id");
    json_t *sum = json_object_get(doc, "summary");
    h.verdict = gstr(sum, "verdict");
    if (!h.verdict || !ms_fleet_verdict_known(h.verdict)) {
        why = ms_strdup("summary.verdict missing or unknown");
        goto _refuse;
    }
    h.exit_status = (int)gint(sum, "exit_status");
    h.scanned = gtime(scan, "finished");
    if ((rc = read_hosts(&h, &c, doc)) != MS_OK ||
        (rc = read_findings(&h, &c, doc, &ids, &nids, f)) != MS_OK ||
        (rc = read_cron(&h, &c, doc, ids, nids, f)) != MS_OK ||
        (rc = read_gaps(&h, &c, doc)) != MS_OK)
        goto _exit;
    if (f->nhunt) {
        /* examined (clean) files too: a retro-hunt asks about them */
        json_t *ex = json_object_get(doc, "examined");
        for (size_t i = 0, n = garr_len(ex); i < n; i++)
            ms_fleet_hunt_file(f, &h, json_array_get(ex, i), "examined");
        ms_fleet_hunt_host(f, &h);
    }
    evidence_id(&h, image, doc);
    if ((rc = add_host(f, &h)) != MS_OK)
        goto _exit;
    memset(&h, 0, sizeof h);
    f->ninputs++;
    goto _exit;

_refuse:
    if (!why) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    rc = refuse(f, path, why);
_exit:
    if (fp)
        fclose(fp);
    free(buf);
    free(ids);
    free(why);
    json_decref(doc);
    ms_fhost_free(&h);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory walk: sorted names, bounded depth, no symlinked
 * directories (a results tree is not expected to loop). */
static ms_err walk(ms_fleet *f, const char *dir, int depth, char **err)
{
    if (depth > 16)
        return MS_OK;
    DIR *d = opendir(dir);
    if (!d) {
        *err = ms_asprintf("%s: %s", dir, strerror(errno));
        return MS_ERR_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    ms_err rc = MS_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;  /* ., .., hidden and temporary files (.NAME.tmp) */
        if (ms_grow((void **)&names, &cap, n + 1, sizeof *names) != MS_OK ||
            !(names[n] = ms_strdup(de->d_name))) {
            rc = MS_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        char *p = ms_asprintf("%s/%s", dir, names[i]);
        struct stat st;
        if (!p) {
            rc = MS_ERR_NOMEM;
        } else if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = walk(f, p, depth + 1, err);
        } else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            size_t l = strlen(names[i]);
            if (l > 5 && strcmp(names[i] + l - 5, ".json") == 0) {
                rc = ms_fleet_add_file(f, p, 1, err);
                ms_fleet_progress(f);
            }
        }
        free(p);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

ms_err ms_fleet_add_path(ms_fleet *f, const char *path, char **err)
{
    struct stat st;
    *err = NULL;
    if (stat(path, &st) != 0) {
        *err = ms_asprintf("%s: %s", path, strerror(errno));
        return MS_ERR_NOT_FOUND;
    }
    if (S_ISDIR(st.st_mode))
        return walk(f, path, 0, err);
    ms_err rc = ms_fleet_add_file(f, path, 0, err);
    ms_fleet_progress(f);
    return rc;
}
