/* history.c - see history.h. */
#include "detection/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "artifacts/cron_parse.h"
#include "artifacts/fs_lookup.h"
#include "artifacts/journal_cron.h"
#include "artifacts/logread.h"
#include "artifacts/syslog_cron.h"
#include "artifacts/tzinfo.h"
#include "artifacts/utmp.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

/* bytes of a log line kept: a cron command longer than this is compared
 * by prefix (MS_HISTORY_TRUNC_MIN) */
#define LINE_KEEP (16u * 1024u)

enum log_kind { LK_NONE, LK_SYSLOG, LK_CRON, LK_AUTH, LK_WTMP, LK_BTMP,
                LK_LASTLOG, LK_JOURNAL };

static const char *kind_name(enum log_kind k)
{
    static const char *const n[] = { "", "syslog", "cron", "auth", "wtmp",
                                     "btmp", "lastlog", "journal" };
    return n[k];
}

/* name without rotation suffixes: "syslog.2.gz" -> base "syslog" */
static int base_is(const char *name, const char *base)
{
    size_t b = strlen(base);
    if (strncmp(name, base, b))
        return 0;
    const char *r = name + b;
    if (!*r)
        return 1;
    if (*r == '.' || *r == '-') {
        r++;
        while (*r >= '0' && *r <= '9')
            r++;
        return !*r || !strcmp(r, ".gz");
    }
    return 0;
}

static enum log_kind classify(const char *name)
{
    if (base_is(name, "syslog") || base_is(name, "messages"))
        return LK_SYSLOG;
    if (base_is(name, "cron") || base_is(name, "cron.log"))
        return LK_CRON;
    if (base_is(name, "auth.log") || base_is(name, "secure"))
        return LK_AUTH;
    if (base_is(name, "wtmp"))
        return LK_WTMP;
    if (base_is(name, "btmp"))
        return LK_BTMP;
    if (!strcmp(name, "lastlog"))
        return LK_LASTLOG;
    return LK_NONE;
}

/* "-YYYYMMDD" rotation date in a name (logrotate dateext), 0 if none */
static int64_t name_date(const char *name)
{
    const char *d = strrchr(name, '-');
    int y, m, dd;
    if (!d || strlen(d) < 9 || sscanf(d + 1, "%4d%2d%2d", &y, &m, &dd) != 3)
        return 0;
    int64_t t = ms_syslog_timegm(y, m, dd, 0, 0, 0);
    return t == INT64_MIN ? 0 : t;
}

/* ---- model helpers ---------------------------------------------------- */

ms_err ms_history_add_source(ms_scan *scan, int vol, const char *path,
                             const ms_fileref *ref, const char *kind,
                             size_t *index)
{
    if (ms_grow((void **)&scan->logsrcs, &scan->logsrcs_cap,
                scan->nlogsrcs + 1, sizeof *scan->logsrcs))
        return MS_ERR_NOMEM;
    ms_logsrc *s = &scan->logsrcs[scan->nlogsrcs];
    memset(s, 0, sizeof *s);
    s->volume = vol;
    s->kind = kind;
    if (!(s->path = ms_strdup(path)))
        return MS_ERR_NOMEM;
    if (ref) {
        s->inode = ref->inode;
        s->has_inode = ref->has_inode;
        s->deleted = ref->deleted;
    }
    *index = scan->nlogsrcs++;
    return MS_OK;
}

/* FNV-1a over user NUL command: a quick filter before the comparison */
static uint64_t key_hash(const char *u, size_t ul, const char *c, size_t cl)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < ul; i++)
        h = (h ^ (uint8_t)u[i]) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (size_t i = 0; i < cl; i++)
        h = (h ^ (uint8_t)c[i]) * 1099511628211ull;
    return h;
}

long ms_history_key(ms_scan *scan, const char *user, size_t ulen,
                    const char *cmd, size_t clen)
{
    /* the number of distinct commands is small (one per job); the
     * linear search is bounded by MS_HISTORY_MAX_JOBS and the hash
     * kept in `link` spares most comparisons */
    for (size_t i = 0; i < scan->njob_history; i++) {
        ms_job_history *h = &scan->job_history[i];
        if (strlen(h->user) == ulen && !memcmp(h->user, user, ulen) &&
            strlen(h->command) == clen && !memcmp(h->command, cmd, clen))
            return (long)i;
    }
    if (scan->njob_history >= MS_HISTORY_MAX_JOBS ||
        ms_grow((void **)&scan->job_history, &scan->job_history_cap,
                scan->njob_history + 1, sizeof *scan->job_history))
        return -1;
    ms_job_history *h = &scan->job_history[scan->njob_history];
    memset(h, 0, sizeof *h);
    h->job = -1;
    h->link = "none";
    h->user = ms_strndup(user, ulen);
    h->command = ms_strndup(cmd, clen);
    if (!h->user || !h->command) {
        free(h->user);
        free(h->command);
        return -1;
    }
    (void)key_hash;
    return (long)scan->njob_history++;
}

ms_err ms_history_add_run(ms_scan *scan, const ms_cron_run *run)
{
    scan->cron_runs_total++;
    if (scan->ncron_runs >= MS_HISTORY_MAX_RUNS)
        return MS_OK;
    if (ms_grow((void **)&scan->cron_runs, &scan->cron_runs_cap,
                scan->ncron_runs + 1, sizeof *scan->cron_runs))
        return MS_ERR_NOMEM;
    scan->cron_runs[scan->ncron_runs++] = *run;
    return MS_OK;
}

static void login_clear(ms_login *l)
{
    free(l->user);
    free(l->host);
    free(l->line);
    l->user = l->host = l->line = NULL;
}

ms_err ms_history_add_login(ms_scan *scan, ms_login *login)
{
    scan->logins_total++;
    if (scan->nlogins >= MS_HISTORY_MAX_LOGINS) {
        login_clear(login);
        return MS_OK;
    }
    if (ms_grow((void **)&scan->logins, &scan->logins_cap,
                scan->nlogins + 1, sizeof *scan->logins)) {
        login_clear(login);
        return MS_ERR_NOMEM;
    }
    scan->logins[scan->nlogins++] = *login;
    return MS_OK;
}

/* ---- one text log ----------------------------------------------------- */

/* A record waiting for its year (yearless syslog lines). */
typedef struct pend {
    ms_syslog_when w;
    int      has_year;
    int64_t  utc;
    int      is_login;
    ms_cron_run run;
    ms_login    login;
} pend;

typedef struct text_ctx {
    ms_scan *scan;
    long     source;
    pend    *p;
    size_t   n, cap;
    int      nomem;
    uint64_t dropped;     /* past the per-file bound */
} text_ctx;

static char *dupn(const char *s, size_t n)
{
    return ms_strndup(s, n);
}

/* Take one parsed header: a cron run or an sshd login. */
static int take_record(text_ctx *c, const ms_syslog_hdr *h, uint64_t lineno)
{
    const char *u, *cmd;
    size_t ul, cl;
    ms_sshd_rec sr;
    pend p;
    memset(&p, 0, sizeof p);
    if (ms_syslog_cron_cmd(h, &u, &ul, &cmd, &cl)) {
        long k = ms_history_key(c->scan, u, ul, cmd, cl);
        if (k < 0)
            return 0;   /* past the bound of distinct commands */
        p.run.history = k;
        p.run.pid = h->pid;
        p.run.line = lineno;
        p.run.source = c->source;
    } else if (ms_syslog_sshd(h, &sr)) {
        p.is_login = 1;
        p.login.kind = sr.accepted ? "accepted" : "failed";
        p.login.user = dupn(sr.user, sr.user_len);
        p.login.host = dupn(sr.addr, sr.addr_len);
        p.login.line = dupn(sr.method, sr.method_len);
        p.login.pid = h->pid;
        p.login.source = c->source;
        p.login.record = lineno;
        if (!p.login.user || !p.login.host || !p.login.line) {
            login_clear(&p.login);
            c->nomem = 1;
            return 1;
        }
    } else {
        return 0;
    }
    p.has_year = h->has_year;
    p.utc = h->utc;
    p.w.mon = h->mon;
    p.w.mday = h->mday;
    p.w.hour = h->hour;
    p.w.min = h->min;
    p.w.sec = h->sec;
    if (c->n >= MS_HISTORY_MAX_RUNS) {
        c->dropped++;
        if (p.is_login)
            login_clear(&p.login);
        return 0;
    }
    if (ms_grow((void **)&c->p, &c->cap, c->n + 1, sizeof *c->p)) {
        if (p.is_login)
            login_clear(&p.login);
        c->nomem = 1;
        return 1;
    }
    c->p[c->n++] = p;
    return 0;
}

static int on_line(void *user, const ms_line *line)
{
    text_ctx *c = user;
    ms_syslog_hdr h;
    size_t len = line->kept;
    if (len && line->data[len - 1] == '\r')
        len--;
    if (!ms_syslog_parse(line->data, len, &h))
        return 0;
    return take_record(c, &h, line->number);
}

static char *time_words(int64_t t)
{
    char b[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(b, sizeof b, "%lld", (long long)t);
    return ms_strdup(b);
}

/* Give yearless records their year, then hand every record to the scan. */
/* The zone applied to a source's zoneless lines, in its record. */
static ms_err note_zone(ms_logsrc *src, const ms_tz *tz)
{
    if (src->time_zone)
        return MS_OK;
    src->local_as_utc = !tz || !tz->found;
    src->time_zone = ms_strdup(src->local_as_utc ? "UTC"
                               : tz->name ? tz->name : "(unnamed)");
    src->time_zone_source = ms_strdup(tz && tz->how ? tz->how
                                      : "no time zone read: times treated "
                                        "as UTC");
    return src->time_zone && src->time_zone_source ? MS_OK : MS_ERR_NOMEM;
}

static ms_err flush_text(text_ctx *c, ms_logsrc *src, int64_t ref,
                         const char *ref_how, const ms_tz *tz)
{
    ms_err rc = MS_OK;
    size_t ny = 0;
    ms_syslog_when *w = NULL;
    for (size_t i = 0; i < c->n; i++)
        ny += !c->p[i].has_year;
    if (ny) {
        if (!(w = calloc(ny, sizeof *w)))
            return MS_ERR_NOMEM;
        for (size_t i = 0, k = 0; i < c->n; i++)
            if (!c->p[i].has_year)
                w[k++] = c->p[i].w;
        int turns = ms_syslog_assign_years(w, ny, ref);
        char *when = time_words(ref);
        src->year_note = ms_asprintf(
            "lines carry no year: the last one is taken to be from the "
            "year of %s (%s, %s UTC), earlier ones counted back at each "
            "month that goes backwards (%d year turn%s in the file)",
            ref_how, ref_how[0] == 'i' ? "when it was rotated" :
            "when the file was last written", when ? when : "?", turns,
            turns == 1 ? "" : "s");
        free(when);
        if (!src->year_note)
            rc = MS_ERR_NOMEM;
        if (rc == MS_OK)
            rc = note_zone(src, tz);
    }
    for (size_t i = 0, k = 0; i < c->n; i++) {
        pend *p = &c->p[i];
        int64_t t = p->utc;
        int inferred = !p->has_year;
        if (inferred) {
            ms_syslog_when *x = &w[k++];
            t = ms_syslog_timegm(x->year, x->mon, x->mday, x->hour, x->min,
                                 x->sec);
            if (t == INT64_MIN) { /* Feb 29 in a year without one */
                if (p->is_login)
                    login_clear(&p->login);
                continue;
            }
            t = ms_tz_local_to_utc(tz, t);   /* the server's local time */
        }
        if (rc != MS_OK) {
            if (p->is_login)
                login_clear(&p->login);
            continue;
        }
        src->records++;
        if (p->is_login) {
            p->login.sec = t;
            rc = ms_history_add_login(c->scan, &p->login);
        } else {
            p->run.sec = t;
            p->run.year_inferred = inferred;
            rc = ms_history_add_run(c->scan, &p->run);
        }
    }
    free(w);
    return rc;
}

/* ---- reading a file of the image, live or recovered ------------------- */

typedef struct file_src {
    ms_fs_file *f;
    ms_lines_mem mem;
    int  is_mem;
} file_src;

static ssize_t src_read(void *p, uint64_t off, void *buf, size_t len)
{
    file_src *s = p;
    if (s->is_mem)
        return ms_lines_mem_read(&s->mem, off, buf, len);
    return ms_fs_file_read(s->f, off, buf, len);
}

typedef struct jctx {
    text_ctx *t;
} jctx;

static int on_journal(void *user, int64_t usec, uint64_t ord,
                      const char *ident, size_t il, long pid,
                      const char *msg, size_t ml)
{
    text_ctx *c = user;
    ms_syslog_hdr h;
    memset(&h, 0, sizeof h);
    h.has_year = 1;
    h.utc = usec / 1000000;
    h.tag = ident;
    h.tag_len = il;
    h.pid = pid;
    h.msg = msg;
    h.msg_len = ml;
    return take_record(c, &h, ord);
}

static ms_err read_log(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                       const char *name, enum log_kind kind, int deleted,
                       uint64_t inode, const ms_tz *tz)
{
    ms_fs_file *f = NULL;
    ms_recovered *rec = NULL;
    ms_fileref ref;
    file_src src;
    text_ctx c;
    size_t si;
    char *why = NULL;
    ms_err rc = MS_OK;

    memset(&ref, 0, sizeof ref);
    memset(&src, 0, sizeof src);
    memset(&c, 0, sizeof c);
    if (!deleted) {
        if (ms_fs_open(fs, path, &f) != MS_OK)
            return MS_OK;
        ms_fs_file_stat(f, &ref);
        if (ref.type != MS_FT_REG)
            goto _exit;
        src.f = f;
    } else {
        if (!inode || ms_fs_open_inode(fs, inode, &f) != MS_OK)
            return MS_OK;
        ms_fs_file_stat(f, &ref);
        ms_fs_file_close(f);
        f = NULL;
        ref.deleted = 1;
        if (ref.meta_reused)
            return MS_OK;
        if (ms_fs_recover_deleted(fs, inode, MS_HISTORY_RECOVER_MAX, &rec,
                                  &why) != MS_OK || !rec) {
            free(why);
            return MS_OK;  /* nothing left of it: not a source */
        }
        src.is_mem = 1;
        src.mem.data = rec->data;
        src.mem.len = rec->len;
    }
    if ((rc = ms_history_add_source(scan, vol, path, &ref, kind_name(kind),
                                    &si)) != MS_OK)
        goto _exit;
    c.scan = scan;
    c.source = (long)si;

    if (kind == LK_WTMP || kind == LK_BTMP || kind == LK_LASTLOG) {
        uint64_t size = src.is_mem ? src.mem.len : ref.size;
        uint8_t head[MS_UTMP_SIZE64 * 8];
        size_t hl = 0;
        ssize_t n = src_read(&src, 0, head, sizeof head);
        hl = n > 0 ? (size_t)n : 0;
        size_t rs = kind == LK_LASTLOG ? MS_LASTLOG_SIZE
                                       : ms_utmp_layout(head, hl, size);
        if (!rs) {
            scan->logsrcs[si].note = ms_strdup(
                size ? "no glibc utmp layout (384- or 400-byte records) "
                       "fits its first records" : "empty");
            goto _exit;
        }
        uint8_t rbuf[MS_UTMP_SIZE64];
        uint64_t max = (uint64_t)MS_HISTORY_MAX_LOGINS * 4;
        for (uint64_t i = 0; i < max && (i + 1) * rs <= size; i++) {
            ms_utmp_rec r;
            if (src_read(&src, i * rs, rbuf, rs) != (ssize_t)rs)
                break;
            int ok = kind == LK_LASTLOG ? ms_lastlog_decode(rbuf, &r)
                                        : ms_utmp_decode(rbuf, rs, &r);
            if (!ok)
                continue;
            ms_login l;
            memset(&l, 0, sizeof l);
            l.sec = r.sec;
            l.usec = r.usec;
            l.pid = r.pid;
            l.source = (long)si;
            l.record = i + 1;
            if (kind == LK_LASTLOG) {
                l.kind = "last_login";
                l.user = ms_asprintf("uid %llu", (unsigned long long)i);
            } else if (kind == LK_BTMP) {
                l.kind = "failed";
            } else if (r.type == MS_UT_BOOT_TIME) {
                l.kind = "boot";
            } else if (r.type == MS_UT_RUN_LVL && !strcmp(r.user, "shutdown")) {
                l.kind = "shutdown";
            } else if (r.type == MS_UT_USER_PROCESS) {
                l.kind = "login";
            } else if (r.type == MS_UT_DEAD_PROCESS) {
                l.kind = "logout";
            } else {
                continue;
            }
            if (!l.user && r.user[0])
                l.user = ms_strdup(r.user);
            if (r.host[0])
                l.host = ms_strdup(r.host);
            if (r.line[0])
                l.line = ms_strdup(r.line);
            scan->logsrcs[si].records++;
            if ((rc = ms_history_add_login(scan, &l)) != MS_OK)
                goto _exit;
        }
        goto _exit;
    }

    if (kind == LK_JOURNAL) {
        int capped = 0;
        ms_err jr = ms_journal_read(src_read, &src, on_journal, &c, &capped,
                                    &why);
        if (why)
            scan->logsrcs[si].note = why, why = NULL;
        else if (capped)
            scan->logsrcs[si].note = ms_strdup("larger than the journal "
                                               "bound: only its first "
                                               "256 MiB were read");
        if (jr == MS_ERR_NOMEM)
            rc = jr;
        if (rc == MS_OK && !c.nomem)
            rc = flush_text(&c, &scan->logsrcs[si], 0, "", tz);
        goto _exit;
    }

    ms_logread_info info;
    rc = ms_logread_lines(src_read, &src, LINE_KEEP, on_line, &c, &info);
    if (rc != MS_OK)
        goto _exit;
    if (c.nomem) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    scan->logsrcs[si].compressed = info.compressed;
    if (info.gzip_error || info.capped || info.stats.read_error || c.dropped)
        scan->logsrcs[si].note = ms_asprintf(
            "%s%s%s%s", info.gzip_error ? "the gzip stream is damaged or "
            "truncated: the lines before the damage were read; " : "",
            info.capped ? "decompressed output cut at 512 MiB; " : "",
            info.stats.read_error ? "a read error stopped the reading; " : "",
            c.dropped ? "records past the per-file bound were dropped" : "");
    /* the year: when the file was last written; a rotation date in the
     * name; the gzip header's time */
    int64_t ref_t = 0;
    const char *how = "its modification time";
    if (ref.times[MS_T_MTIME].set && ref.times[MS_T_MTIME].sec > 0)
        ref_t = ref.times[MS_T_MTIME].sec;
    else if ((ref_t = name_date(name)) != 0)
        how = "its rotation date in the file name";
    else if (info.gzip_mtime)
        ref_t = info.gzip_mtime, how = "the time in its gzip header";
    else if (ref.times[MS_T_CTIME].set)
        ref_t = ref.times[MS_T_CTIME].sec, how = "its change time";
    rc = flush_text(&c, &scan->logsrcs[si], ref_t, how, tz);
_exit:
    for (size_t i = rc != MS_OK ? 0 : c.n; i < c.n; i++)
        if (c.p[i].is_login)
            login_clear(&c.p[i].login);
    free(c.p);
    ms_fileref_clear(&ref);
    ms_recovered_free(rec);
    ms_fs_file_close(f);
    free(why);
    return rc;
}

/* ---- walking /var/log --------------------------------------------------- */

typedef struct ent {
    char *name;
    int   deleted;
    uint64_t inode;
    int   is_dir;
} ent;

typedef struct list_ctx {
    ent   *e;
    size_t n, cap;
    int    nomem;
} list_ctx;

static int on_entry(void *user, ms_fs_file *f, const char *name, size_t len)
{
    list_ctx *c = user;
    ms_fileref r;
    if (c->n >= MS_HISTORY_MAX_FILES * 4)
        return 1;
    if (memchr(name, '/', len) || memchr(name, '\0', len))
        return 0;
    memset(&r, 0, sizeof r);
    ms_fs_file_stat(f, &r);
    if (ms_grow((void **)&c->e, &c->cap, c->n + 1, sizeof *c->e)) {
        c->nomem = 1;
        ms_fileref_clear(&r);
        return 1;
    }
    ent *e = &c->e[c->n];
    e->name = ms_strndup(name, len);
    e->deleted = r.deleted;
    e->inode = r.has_inode ? r.inode : 0;
    e->is_dir = r.type == MS_FT_DIR;
    ms_fileref_clear(&r);
    if (!e->name) {
        c->nomem = 1;
        return 1;
    }
    c->n++;
    return 0;
}

static void list_free(list_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->e[i].name);
    free(c->e);
}

/* Rotation order: "syslog" after "syslog.1" after "syslog.2.gz", so the
 * runs of one job come in time order per file family (the final sort is
 * by time anyway). */
static int ent_cmp(const void *a, const void *b)
{
    const ent *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->deleted - y->deleted);
}

static ms_err walk_dir(ms_fs *fs, ms_scan *scan, int vol, const char *dir,
                       int depth, size_t *files, const ms_tz *tz)
{
    list_ctx c;
    ms_err rc = MS_OK;
    memset(&c, 0, sizeof c);
    ms_fs_list_dir(fs, dir, on_entry, &c, MS_HISTORY_MAX_FILES * 4);
    if (c.nomem) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if (c.n > 1)   /* qsort's array may not be NULL, even for 0 items */
        qsort(c.e, c.n, sizeof *c.e, ent_cmp);
    for (size_t i = 0; i < c.n && rc == MS_OK; i++) {
        ent *e = &c.e[i];
        char *p = ms_path_join(dir, e->name, strlen(e->name));
        if (!p)
            continue;
        size_t nl = strlen(e->name);
        enum log_kind k = classify(e->name);
        if (depth == 0 && e->is_dir && !e->deleted &&
            !strcmp(e->name, "journal")) {
            rc = walk_dir(fs, scan, vol, p, 1, files, tz);
        } else if (depth == 1 && e->is_dir && !e->deleted) {
            rc = walk_dir(fs, scan, vol, p, 2, files, tz); /* machine id */
        } else if (depth == 2 && !e->is_dir &&
                   ((nl > 8 && !strcmp(e->name + nl - 8, ".journal")) ||
                    (nl > 9 && !strcmp(e->name + nl - 9, ".journal~")))) {
            if ((*files)++ < MS_HISTORY_MAX_FILES)
                rc = read_log(fs, scan, vol, p, e->name, LK_JOURNAL,
                              e->deleted, e->inode, tz);
        } else if (depth == 0 && k != LK_NONE && !e->is_dir) {
            if ((*files)++ < MS_HISTORY_MAX_FILES)
                rc = read_log(fs, scan, vol, p, e->name, k, e->deleted,
                              e->inode, tz);
        }
        free(p);
    }
_exit:
    list_free(&c);
    return rc;
}

ms_err ms_history_collect(ms_fs *fs, ms_scan *scan, int vol)
{
    size_t files = 0;
    char *dir = ms_fs_resolve_dir(fs, "/var/log");
    ms_err rc;
    if (!dir)
        return MS_OK;
    /* syslog's zoneless local times: the system's own zone */
    ms_tz tz;
    rc = ms_tz_read(fs, &tz);
    if (rc == MS_OK)
        rc = walk_dir(fs, scan, vol, dir, 0, &files, &tz);
    ms_tz_free(&tz);
    if (files > MS_HISTORY_MAX_FILES)
        ms_scan_add_error(scan, "volume %d: %zu log files in %s, only the "
                          "first %u were read", vol, files, dir,
                          MS_HISTORY_MAX_FILES);
    free(dir);
    return rc;
}

/* ---- linking and statistics ------------------------------------------- */

static int run_cmp(const void *a, const void *b)
{
    const ms_cron_run *x = a, *y = b;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    if (x->history != y->history)
        return x->history < y->history ? -1 : 1;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int login_cmp(const void *a, const void *b)
{
    const ms_login *x = a, *y = b;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    if (x->usec != y->usec)
        return x->usec < y->usec ? -1 : 1;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    return x->record < y->record ? -1 : x->record > y->record;
}

/* The command line cron logs for a job: mkprints() of the crontab text
 * (command, then '%' and the input with its newlines back to '%'). */
static char *logged_form(const ms_cronjob *j)
{
    ms_buf b = { 0 };
    if (ms_buf_puts(&b, j->command ? j->command : ""))
        goto _fail;
    if (j->input) {
        if (ms_buf_append(&b, "%", 1))
            goto _fail;
        for (const char *p = j->input; *p; p++)
            if (ms_buf_append(&b, *p == '\n' ? "%" : p, 1))
                goto _fail;
    }
    char *raw = ms_buf_steal(&b);
    if (!raw)
        return ms_strdup("");
    char *out = ms_cron_mkprints(raw, strlen(raw));
    free(raw);
    return out;
_fail:
    ms_buf_free(&b);
    return NULL;
}

static int job_flagged(const ms_scan *s, const ms_cronjob *j)
{
    for (size_t i = 0; i < j->nprograms; i++) {
        long fi = j->programs[i].file_index;
        if (fi >= 0 && (size_t)fi < s->nfiles && s->files[fi].flagged)
            return 1;
    }
    return 0;
}

static ms_err link_jobs(ms_scan *s)
{
    for (size_t j = 0; j < s->njobs; j++) {
        const ms_cronjob *job = &s->jobs[j];
        char *want = logged_form(job);
        if (!want)
            return MS_ERR_NOMEM;
        size_t wl = strlen(want);
        for (size_t i = 0; i < s->njob_history; i++) {
            ms_job_history *h = &s->job_history[i];
            if (h->job >= 0 || !job->user || strcmp(h->user, job->user))
                continue;
            size_t cl = strlen(h->command);
            if (cl == wl && !memcmp(h->command, want, wl)) {
                h->job = (long)j;
                h->link = "exact";
            } else if (cl >= MS_HISTORY_TRUNC_MIN && cl < wl &&
                       !memcmp(h->command, want, cl)) {
                h->job = (long)j;
                h->link = "truncated in the log";
            }
            if (h->job == (long)j)
                h->flagged = job_flagged(s, job);
        }
        free(want);
    }
    return MS_OK;
}

static void add_gap(ms_job_history *h, int64_t from, int64_t to)
{
    int64_t len = to - from;
    size_t i = h->ngaps;
    if (len <= 0)
        return;
    if (i < MS_HISTORY_GAPS)
        h->ngaps++;
    else if (len <= h->gaps[MS_HISTORY_GAPS - 1].to -
                     h->gaps[MS_HISTORY_GAPS - 1].from)
        return;
    else
        i = MS_HISTORY_GAPS - 1;
    while (i > 0 && len > h->gaps[i - 1].to - h->gaps[i - 1].from) {
        h->gaps[i] = h->gaps[i - 1];
        i--;
    }
    h->gaps[i].from = from;
    h->gaps[i].to = to;
}

static ms_err add_hist_source(ms_job_history *h, long src)
{
    for (size_t i = 0; i < h->nsources; i++)
        if (h->sources[i] == src)
            return MS_OK;
    if (ms_grow((void **)&h->sources, &h->sources_cap, h->nsources + 1,
                sizeof *h->sources))
        return MS_ERR_NOMEM;
    h->sources[h->nsources++] = src;
    return MS_OK;
}

ms_err ms_history_finish(ms_scan *s)
{
    ms_err rc;
    if (s->ncron_runs)
        qsort(s->cron_runs, s->ncron_runs, sizeof *s->cron_runs, run_cmp);
    /* the same run read twice (cron.log and syslog, a journal and the
     * syslog rsyslog wrote from it): same time, job and pid */
    size_t w = 0;
    for (size_t i = 0; i < s->ncron_runs; i++) {
        ms_cron_run *r = &s->cron_runs[i];
        if (w && s->cron_runs[w - 1].sec == r->sec &&
            s->cron_runs[w - 1].history == r->history &&
            s->cron_runs[w - 1].pid == r->pid && r->pid >= 0)
            continue;
        s->cron_runs[w++] = *r;
    }
    s->ncron_runs = w;
    if (s->nlogins)
        qsort(s->logins, s->nlogins, sizeof *s->logins, login_cmp);
    if ((rc = link_jobs(s)) != MS_OK)
        return rc;
    for (size_t i = 0; i < s->ncron_runs; i++) {
        const ms_cron_run *r = &s->cron_runs[i];
        if (r->history < 0 || (size_t)r->history >= s->njob_history)
            continue;
        ms_job_history *h = &s->job_history[r->history];
        if (h->runs == 0)
            h->first = r->sec;
        else
            add_gap(h, h->last, r->sec);
        h->last = r->sec;
        h->runs++;
        h->year_inferred |= r->year_inferred;
        if ((rc = add_hist_source(h, r->source)) != MS_OK)
            return rc;
    }
    return MS_OK;
}
