#include "artifacts/cronfiles.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "artifacts/anacron.h"
#include "artifacts/coverage.h"
#include "artifacts/cron_command.h"
#include "artifacts/cron_dialect.h"
#include "artifacts/cron_parse.h"
#include "artifacts/cron_persist.h"
#include "artifacts/cron_rawscan.h"
#include "artifacts/linereader.h"
#include "artifacts/fs_lookup.h"
#include "evidence/fs_mount.h"
#include "evidence/fs_ns.h"
#include "common/ms_mem.h"
#include "common/ms_persist.h"
#include "common/ms_reasons.h"
#include "common/ms_scan.h"

/* A spool holds one file per user; a few thousand means something odd,
 * and the walk stops there rather than parse without end. */
#define MAX_SPOOL_ENTRIES 10000

typedef struct spool {
    const char *dir;
    int system;        /* system format: a user field after the schedule */
} spool;

static const spool spools[] = {
    { "/etc/cron.d", 1 },
    { "/var/spool/cron/crontabs", 0 },
    /* BusyBox crond on Alpine: its package keeps the crontabs here and
     * makes /var/spool/cron/crontabs a symbolic link to it */
    { "/etc/crontabs", 0 },
    { "/var/spool/cron", 0 },
    { "/var/spool/cron/tabs", 0 },
    { "/var/cron/tabs", 0 },
};

/* A crontab is parsed while it is read (a file of any size, in
 * memory bounded per line): what is kept is the parse and the reasons,
 * never the bytes. */
typedef struct found_tab {
    ms_fileref ref;    /* path owned */
    ms_cron_file *cf;  /* the parse, or NULL */
    ms_reason *reasons; /* padding and network indicators */
    size_t nreasons;
    uint64_t len;      /* bytes read */
    int readable;
    int read_error;    /* the read failed before the end */
    int capped;        /* stopped at MS_LINES_MAX_TOTAL */
    char *owner;
    char *recovery;    /* content came from the journal: how */
    enum ms_certainty certainty;
    enum ms_recovery_method method;
    char *unrecovered; /* why a wiped deleted crontab stayed unreadable */
} found_tab;

typedef struct ctx {
    ms_fs *fs;
    ms_scan *scan;
    int volume;
    size_t max_bytes;  /* only for content recovered into memory */
    int system;        /* the location being listed has a user field */
    const char *dir;
    found_tab *tabs;
    size_t ntabs, tabs_cap;
    ms_err err;
    ms_cron_dialect_info dialect;  /* this volume's cron */
    size_t cov;        /* coverage record of the location being listed */
    int etc_crontabs;  /* listing /etc/crontabs, not reached through a
                          spool path: only BusyBox crond reads it */
    char *passwd;      /* /etc/passwd (BusyBox: crontab of a known user) */
    size_t passwd_len;
} ctx;

/* One pass over a source: lines to the parser and the padding check,
 * raw blocks to the indicator scan. */
typedef struct stream_ctx {
    ms_cron_parser *parser;
    ms_rawscan *raw;
    ms_err err;
} stream_ctx;

static int stream_line(void *user, const ms_line *l)
{
    stream_ctx *s = user;
    ms_rawscan_line(s->raw, l);
    s->err = ms_cron_parser_line(s->parser, l);
    return s->err != MS_OK;
}

static int stream_block(void *user, uint64_t off, const uint8_t *buf,
                        size_t len)
{
    stream_ctx *s = user;
    if (ms_rawscan_block(s->raw, off, buf, len))
        s->err = MS_ERR_NOMEM;
    return s->err != MS_OK;
}

static ssize_t fs_read(void *src, uint64_t off, void *buf, size_t len)
{
    return ms_fs_file_read(src, off, buf, len);
}

/* Parse and scan everything `rd` yields into t (cf, reasons, len). */
static ms_err stream_tab(found_tab *t, ms_lines_read_fn rd, void *src,
                         int system, ms_cron_dialect dialect)
{
    stream_ctx s = {0};
    ms_lines_stats st = {0};
    ms_err rc = ms_cron_parser_new(system, dialect, &s.parser);
    if (rc == MS_OK)
        rc = ms_rawscan_new(&s.raw);
    if (rc == MS_OK)
        rc = ms_lines_read(rd, src, MS_CRON_LINE_MAX, stream_line,
                           stream_block, &s, &st);
    if (rc == MS_OK)
        rc = s.err;
    if (rc == MS_OK)
        rc = ms_rawscan_finish(s.raw, &t->reasons, &t->nreasons);
    if (rc == MS_OK) {
        ms_cron_file_free(t->cf);
        rc = ms_cron_parser_finish(s.parser, &t->cf);
        s.parser = NULL;
    }
    ms_cron_parser_free(s.parser);
    ms_rawscan_free(s.raw);
    t->len = st.bytes;
    t->read_error = st.read_error;
    t->capped = st.capped;
    return rc;
}

static ms_err stream_mem(found_tab *t, const uint8_t *data, size_t len,
                         int system, ms_cron_dialect dialect)
{
    ms_lines_mem m = { data, len };
    return stream_tab(t, ms_lines_mem_read, &m, system, dialect);
}

/* A deleted crontab whose size the file system zeroed: its bytes may
 * survive behind an older inode copy in the journal. */
static void recover_tab(ctx *c, found_tab *t)
{
    ms_recovered *r = NULL;
    char *why = NULL;
    ms_err rc = ms_fs_recover_deleted(ms_fs_at_volume(c->fs, t->ref.volume),
                                      t->ref.inode, c->max_bytes, &r, &why);
    if (rc != MS_OK) {
        /* size 0 after deletion says nothing about the old content */
        t->readable = 0;
        t->unrecovered = why;
        if (rc == MS_ERR_NOMEM)
            c->err = rc;
        return;
    }
    free(why);
    t->recovery = ms_asprintf("recovered from the ext journal: %s",
                              r->provenance);
    if (!t->recovery || stream_mem(t, r->data, r->len, c->system,
                                         c->dialect.dialect)) {
        c->err = MS_ERR_NOMEM;
        ms_recovered_free(r);
        return;
    }
    t->readable = 1;
    t->certainty = r->certainty;
    t->method = r->method ? r->method : MS_RECOV_JOURNAL;
    ms_recovered_free(r);
}

/* Read and parse a crontab, whole, from the borrowed file. */
static void read_tab(ctx *c, ms_fs_file *f, found_tab *t)
{
    if (stream_tab(t, fs_read, f, c->system, c->dialect.dialect)) {
        c->err = MS_ERR_NOMEM;
        return;
    }
    t->readable = t->len > 0 || (t->ref.size == 0 && !t->read_error);
    if (t->ref.deleted && t->ref.size == 0)
        recover_tab(c, t);
}

/* Does the live file hold exactly these bytes? (Compared block by block:
 * the live content is never held whole.) */
static int same_content(ms_fs_file *f, const uint8_t *data, size_t len,
                        uint64_t live_len)
{
    uint8_t buf[4096];
    if (live_len != len)
        return 0;
    for (size_t off = 0; off < len;) {
        size_t want = len - off < sizeof buf ? len - off : sizeof buf;
        ssize_t n = ms_fs_file_read(f, off, buf, want);
        if (n <= 0 || memcmp(buf, data + off, (size_t)n))
            return 0;
        off += (size_t)n;
    }
    return 1;
}

/* Older versions of a live crontab still behind journal copies of its
 * inode (e.g. the crontab before the malicious line was removed): each
 * becomes a crontab of its own, with the same path and a `recovery`
 * saying where it came from. */
#define MAX_VERSIONS 8
static void add_versions(ctx *c, ms_fs_file *f, size_t cur)
{
    ms_recovered *v[MAX_VERSIONS];
    size_t n = 0;
    ms_err rc = ms_fs_recover_versions(ms_fs_at_volume(c->fs,
                                                       c->tabs[cur].ref.volume),
                                       c->tabs[cur].ref.inode,
                                       c->max_bytes, v, MAX_VERSIONS, &n);
    if (rc == MS_ERR_NOMEM)
        c->err = rc;
    for (size_t i = 0; i < n; i++) {
        const found_tab *now = &c->tabs[cur];
        if (c->err || same_content(f, v[i]->data, v[i]->len, now->len)) {
            ms_recovered_free(v[i]);
            continue;
        }
        found_tab t = {0};
        t.ref = now->ref;
        t.ref.path = ms_strdup(now->ref.path);
        t.owner = now->owner ? ms_strdup(now->owner) : NULL;
        t.recovery = ms_asprintf("older version recovered from the ext "
                                 "journal: %s", v[i]->provenance);
        t.certainty = v[i]->certainty;
        t.method = v[i]->method ? v[i]->method : MS_RECOV_JOURNAL;
        if (!t.ref.path || (now->owner && !t.owner) || !t.recovery ||
            stream_mem(&t, v[i]->data, v[i]->len, c->system, c->dialect.dialect) ||
            ms_grow((void **)&c->tabs, &c->tabs_cap, c->ntabs + 1,
                    sizeof *c->tabs)) {
            free(t.ref.path);
            free(t.owner);
            free(t.recovery);
            ms_cron_file_free(t.cf);
            ms_reasons_free(t.reasons, t.nreasons);
            c->err = MS_ERR_NOMEM;
            ms_recovered_free(v[i]);
            continue;
        }
        t.ref.size = v[i]->len;
        t.readable = 1;
        c->tabs[c->ntabs++] = t;
        ms_recovered_free(v[i]);
    }
}

static int on_tab(void *user, ms_fs_file *f, const char *name, size_t len)
{
    ctx *c = user;
    found_tab t = {0};

    ms_fs_file_stat(f, &t.ref);
    if (t.ref.meta_reused || !(t.ref.type == MS_FT_REG ||
                               (t.ref.deleted && t.ref.type == MS_FT_UNKNOWN)))
        return 0;
    t.ref.path = ms_path_join(c->dir, name, len);
    t.ref.volume = ms_fs_volume_at(c->fs, c->dir, c->volume);
    t.owner = ms_strndup(name, len);
    if (!t.ref.path || !t.owner ||
        ms_grow((void **)&c->tabs, &c->tabs_cap, c->ntabs + 1,
                sizeof *c->tabs) != MS_OK) {
        free(t.ref.path);
        free(t.owner);
        c->err = MS_ERR_NOMEM;
        return 1;
    }
    read_tab(c, f, &t);
    c->tabs[c->ntabs++] = t;
    if (!t.ref.deleted && t.readable)
        add_versions(c, f, c->ntabs - 1);
    return c->err != MS_OK;
}

static ms_err store_problems(ms_crontab *ct, const ms_cron_file *cf,
                             const found_tab *t)
{
    ms_buf b = {0};
    if (t->capped)
        ms_buf_printf(&b, "reading stopped after %llu bytes (the limit for "
                      "one crontab); ", (unsigned long long)t->len);
    if (t->read_error && t->readable)
        ms_buf_printf(&b, "the content could be read only up to byte %llu; ",
                      (unsigned long long)t->len);
    if (!t->readable)
        ms_buf_puts(&b, t->ref.deleted
                            ? "deleted and its content is not recoverable; "
                            : "content could not be read; ");
    if (!t->readable && t->unrecovered)
        ms_buf_printf(&b, "%s; ", t->unrecovered);
    if (cf && cf->nproblems) {
        /* every rejected line, individually */
        size_t n = cf->nproblems < MS_CRON_MAX_REJECTED ? cf->nproblems
                                                        : MS_CRON_MAX_REJECTED;
        ct->rejected = calloc(n, sizeof *ct->rejected);
        if (!ct->rejected) {
            ms_buf_free(&b);
            return MS_ERR_NOMEM;
        }
        ct->rejected_total = cf->nproblems + cf->problems_dropped;
        for (size_t i = 0; i < n; i++) {
            ms_cron_rejected *r = &ct->rejected[i];
            r->line = cf->problems[i].line;
            r->offset = cf->problems[i].offset;
            r->reason = ms_strdup(cf->problems[i].text);
            ct->nrejected = i + 1;
            if (!r->reason) {
                ms_buf_free(&b);
                return MS_ERR_NOMEM;
            }
        }
        if (ct->rejected_total > n)
            ms_buf_printf(&b, "%zu problem lines; only the first %zu are "
                          "listed (bound MS_CRON_MAX_REJECTED); ",
                          ct->rejected_total, n);
    }
    if (b.len >= 2)
        b.data[b.len -= 2] = '\0';
    ct->note = b.len ? ms_buf_steal(&b) : NULL;
    ms_buf_free(&b);
    return MS_OK;
}

/* Record program `p` as a file of the scan (found, deleted or missing). */
static ms_err link_file(ctx *c, ms_program *p, const char *path,
                        ms_fs_file *f, int missing)
{
    ms_fileref ref = {0};
    size_t index;
    if (f)
        ms_fs_file_stat(f, &ref);
    ref.volume = ms_fs_volume_at(c->fs, path, c->volume);
    ref.path = (char *)path;
    if (missing) {
        memset(ref.times, 0, sizeof ref.times);
        ref.has_inode = 0;
    }
    ms_err rc = ms_scan_file_for(c->scan, &ref, missing,
                                 MS_ORIGIN_CRON_PROGRAM, &index);
    if (rc == MS_OK)
        p->file_index = (long)index;
    return rc;
}

/* A path that does not resolve may still have a deleted name: that is the
 * backdoor after clean-up, and its metadata (and maybe content) remain. */
static ms_err link_absent(ctx *c, ms_program *p, const char *normalized,
                          int make_finding)
{
    ms_fs_file *f = NULL;
    ms_fileref ref = {0};
    ms_err rc = MS_OK;

    p->status = MS_PROG_MISSING;
    if (ms_fs_open(c->fs, normalized, &f) == MS_OK) {
        ms_fs_file_stat(f, &ref);
        if (ref.deleted && !ref.meta_reused) {
            p->note = ms_strdup("deleted: only the directory entry remains");
            rc = link_file(c, p, normalized, f, 0);
            ms_fs_file_close(f);
            return rc;
        }
        ms_fs_file_close(f);
    }
    if (p->guarded) {
        /* "[ -x P ] && P": the test fails, P never runs */
        p->status = MS_PROG_GUARDED_ABSENT;
        p->note = ms_strdup("absent, and the command runs it only after a "
                            "test finds it: it never runs");
        return p->note ? MS_OK : MS_ERR_NOMEM;
    }
    if (make_finding)
        rc = link_file(c, p, normalized, NULL, 1);
    return rc;
}

static ms_err link_found(ctx *c, ms_program *p, const char *resolved)
{
    ms_fs_file *f = NULL;
    if (ms_fs_open(c->fs, resolved, &f) != MS_OK) {
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_strdup("resolved path could not be opened");
        return MS_OK;
    }
    p->status = MS_PROG_FOUND;
    ms_err rc = link_file(c, p, resolved, f, 0);
    ms_fs_file_close(f);
    return rc;
}

static ms_err resolve_abs(ctx *c, ms_program *p, const char *path,
                          int make_missing)
{
    char *res = NULL;
    ms_ptype type = MS_PT_NONE;
    int hops = 0;
    ms_err rc = ms_path_resolve(ms_fs_lstat, c->fs, path, "/", &res, &type,
                                &hops);
    if (rc == MS_ERR_LOOP || rc == MS_ERR_LIMIT) {
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_strdup(rc == MS_ERR_LOOP ? "symbolic link loop"
                                              : "path too long or too deep");
        free(res);
        return link_file(c, p, path, NULL, 1);
    }
    if (rc) {
        free(res);
        return rc;
    }
    p->resolved = res;
    if (type == MS_PT_REG)
        return link_found(c, p, res);
    if (type == MS_PT_NONE && ms_fs_absent_at(c->fs, res)) {
        /* the server had it on a volume this image lacks, or in memory:
         * not missing, just not here */
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_strdup(ms_fs_absent_at(c->fs, res));
        return p->note ? MS_OK : MS_ERR_NOMEM;
    }
    if (type == MS_PT_NONE)
        return link_absent(c, p, path, make_missing);
    p->status = MS_PROG_NOT_REGULAR;
    p->note = ms_strdup("not a regular file");
    return MS_OK;
}

/* Why a PATH directory is not in the image (it lies under a mount the
 * image lacks), or NULL: then "not found on PATH" is not "missing". */
static const char *path_dir_absent(ms_fs *fs, const char *path_env)
{
    const char *p = path_env ? path_env : "/usr/bin:/bin";
    for (int n = 0; *p && n < MS_PATH_MAX_DIRS; n++) {
        const char *end = strchr(p, ':');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        char *dir = l && p[0] == '/' ? ms_strndup(p, l) : NULL;
        const char *why = dir ? ms_fs_absent_at(fs, dir) : NULL;
        free(dir);
        if (why)
            return why;
        if (!end)
            break;
        p = end + 1;
    }
    return NULL;
}

static ms_err resolve_bare(ctx *c, const ms_cron_entry *e,
                           const ms_cronjob *job, ms_program *p)
{
    char *res = NULL;
    ms_ptype type = MS_PT_NONE;
    ms_err rc = ms_path_search(ms_fs_lstat, c->fs, p->as_written, e->path_env,
                               &res, &type);
    if (rc == MS_OK && type == MS_PT_REG) {
        p->resolved = res;
        return link_found(c, p, res);
    }
    free(res);
    if ((rc == MS_ERR_LOOP || rc == MS_ERR_LIMIT || rc == MS_OK) &&
        p->guarded) {
        p->status = MS_PROG_GUARDED_ABSENT;
        p->note = ms_asprintf("not found on PATH %s, and the command runs "
                              "it only after a test finds it: it never runs",
                              e->path_env ? e->path_env : "/usr/bin:/bin "
                              "(cron's default)");
        return p->note ? MS_OK : MS_ERR_NOMEM;
    }
    const char *away = rc == MS_OK ? path_dir_absent(c->fs, e->path_env)
                                   : NULL;
    if (away) {
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_asprintf("not found on PATH %s; part of it is not in "
                              "this image: %s",
                              e->path_env ? e->path_env : "/usr/bin:/bin "
                              "(cron's default)", away);
        return p->note ? MS_OK : MS_ERR_NOMEM;
    }
    if (rc == MS_ERR_LOOP || rc == MS_ERR_LIMIT || rc == MS_OK) {
        p->status = MS_PROG_MISSING;
        p->note = ms_asprintf("not found on PATH %s",
                              e->path_env ? e->path_env : "/usr/bin:/bin "
                              "(cron's default)");
        if (job->every_15_min)
            return link_file(c, p, p->as_written, NULL, 1);
        return MS_OK;
    }
    return rc;
}

static ms_err resolve_program(ctx *c, const ms_cron_entry *e,
                              const ms_cronjob *job, const ms_cmd_prog *cp,
                              ms_program *p)
{
    p->file_index = -1;
    p->guarded = cp->guarded;
    p->as_written = ms_strdup(cp->word);
    if (!p->as_written)
        return MS_ERR_NOMEM;
    if (strpbrk(cp->word, "$`~")) {
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_strdup("depends on a shell variable or expansion");
        return MS_OK;
    }
    if (!strchr(cp->word, '/')) {
        if (strcmp(ms_fs_mount_point(c->fs), "/") != 0) {
            /* PATH's directories live on the root file system */
            p->status = MS_PROG_UNRESOLVED;
            p->note = ms_asprintf("looked up on PATH, which lies on another "
                                  "file system (this one is mounted at %s)",
                                  ms_fs_mount_point(c->fs));
            return p->note ? MS_OK : MS_ERR_NOMEM;
        }
        return resolve_bare(c, e, job, p);
    }
    if (cp->word[0] != '/' && (!cp->cwd || cp->cwd[0] != '/')) {
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_strdup("relative path: cron runs it from the user's "
                            "home directory");
        return MS_OK;
    }
    char *path = ms_path_normalize(cp->word, cp->cwd ? cp->cwd : "/");
    if (!path)
        return MS_ERR_NOMEM;
    if (!ms_fs_covers(c->fs, path)) {
        /* not a finding: the program is on another file system */
        p->status = MS_PROG_UNRESOLVED;
        p->note = ms_asprintf("on another file system (this one is mounted "
                              "at %s)", ms_fs_mount_point(c->fs));
        free(path);
        return p->note ? MS_OK : MS_ERR_NOMEM;
    }
    ms_err rc = resolve_abs(c, p, path, 1);
    free(path);
    return rc;
}

static ms_err add_programs(ctx *c, const ms_cron_entry *e, ms_cronjob *job)
{
    ms_cmd_prog *cps = NULL, *ins = NULL;
    size_t n = 0, nin = 0;
    ms_err rc = ms_cron_command_programs(e->command, &cps, &n);
    if (rc)
        return rc == MS_ERR_NOMEM ? rc : MS_OK;
    /* "/bin/sh %/var/tmp/x": the shell reads cron's '%' text as its
     * script, so the programs named there run too */
    if (e->input && ms_cron_command_reads_stdin(e->command)) {
        rc = ms_cron_command_programs(e->input, &ins, &nin);
        if (rc == MS_ERR_NOMEM)
            goto _exit;
        rc = MS_OK;
    }
    job->programs = calloc(n + nin ? n + nin : 1, sizeof *job->programs);
    if (!job->programs) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t i = 0; i < n + nin && !rc; i++) {
        ms_program *p = &job->programs[i];
        rc = resolve_program(c, e, job, i < n ? &cps[i] : &ins[i - n], p);
        p->via_stdin = i >= n;
        job->nprograms = i + 1;
    }
_exit:
    ms_cmd_progs_free(cps, n);
    ms_cmd_progs_free(ins, nin);
    return rc;
}

/* The zone the schedule runs in: cronie honours CRON_TZ per
 * job (cron.c find_jobs); Debian's cron has no CRON_TZ and schedules in
 * the daemon's local time; TZ only reaches the job's environment. */
static char *time_zone_words(const ctx *c, const ms_cron_entry *e)
{
    ms_cron_dialect d = c->dialect.dialect;
    /* systemd-cron: TZ or CRON_TZ (TZ when both: the generator walks its
     * variables in name order), a leading ':' dropped, empty = local */
    const char *sdtz = e->tz_env ? e->tz_env : e->cron_tz_env;
    if (d == MS_CRON_DIALECT_SYSTEMD_CRON && sdtz && *sdtz &&
        strcmp(sdtz, ":"))
        return ms_asprintf("%s (%s; systemd-cron schedules the timer in "
                           "this zone)", sdtz + (sdtz[0] == ':'),
                           e->tz_env ? "TZ" : "CRON_TZ");
    if (e->cron_tz_env) {
        if (d == MS_CRON_DIALECT_CRONIE_15 || d == MS_CRON_DIALECT_CRONIE_16)
            return ms_asprintf("%s (CRON_TZ; cronie runs the schedule in "
                               "this zone)", e->cron_tz_env);
        if (d == MS_CRON_DIALECT_DEBIAN)
            return ms_asprintf("the system's local time (CRON_TZ=%s is set, "
                               "but Debian's cron ignores it)",
                               e->cron_tz_env);
        if (d == MS_CRON_DIALECT_UNKNOWN)
            return ms_asprintf("%s if cron is cronie or systemd-cron "
                               "(CRON_TZ), else the system's local time",
                               e->cron_tz_env);
        return ms_asprintf("the system's local time (CRON_TZ=%s is set, but "
                           "%s ignores it)", e->cron_tz_env,
                           ms_cron_dialect_name(d));
    }
    if (e->tz_env && d == MS_CRON_DIALECT_UNKNOWN)
        return ms_asprintf("the system's local time, or %s if cron is "
                           "systemd-cron (TZ; the other crons only pass it "
                           "to the job)", e->tz_env);
    if (e->tz_env)
        return ms_asprintf("the system's local time (TZ=%s only reaches the "
                           "job's environment)", e->tz_env);
    return ms_strdup("the system's local time");
}

/* systemd-cron's bool (systemd-crontab-generator.cpp systemd_bool):
 * the value is a case-insensitive prefix of "1", "yes" or "true" (so an
 * empty value is true). */
static int sd_bool(const char *v)
{
    static const char *const yes[] = { "1", "yes", "true" };
    size_t n = strlen(v);
    for (size_t i = 0; i < 3; i++)
        if (n <= strlen(yes[i]) && strncasecmp(v, yes[i], n) == 0)
            return 1;
    return 0;
}

/* A whole decimal number below 1000000, or -1 (int_map fails). */
static long sd_num(const char *v)
{
    long n = 0;
    if (!*v)
        return -1;
    for (; *v; v++) {
        if (*v < '0' || *v > '9' || n >= 100000)
            return -1;
        n = n * 10 + (*v - '0');
    }
    return n;
}

/* systemd-cron: the timer the generator makes for job e from the
 * variables assigned above it (decode_environment,
 * generate_schedule_from_period): the settings in words into *out, and
 * for an @keyword line the hour START_HOURS_RANGE gives and the minute
 * DELAY gives applied to *s. */
static ms_err systemd_timer(const ms_cron_file *cf, const ms_cron_entry *e,
                            ms_cron_sched *s, char **out)
{
    const char *v[5] = { 0 };
    static const char *const names[5] = { "PERSISTENT", "BATCH",
        "RANDOM_DELAY", "DELAY", "START_HOURS_RANGE" };
    int at = e->schedule && e->schedule[0] == '@';
    ms_buf b = { 0 };
    ms_err rc = MS_OK;

    for (size_t i = 0; cf && i < cf->nenv && cf->env[i].line < e->line; i++)
        for (int k = 0; k < 5; k++)
            if (!strcmp(cf->env[i].name, names[k]))
                /* "PERSISTENT=auto" removes the variable */
                v[k] = k == 0 && !strcmp(cf->env[i].value, "auto")
                           ? NULL : cf->env[i].value;
    const char *kw = at ? e->schedule : "";
    while (*kw == '@')
        kw++;
    int boot = !strcasecmp(kw, "reboot") || !strcasecmp(kw, "boot");
    int minutely = !strcasecmp(kw, "minutely");
    int persist = v[0] ? sd_bool(v[0]) : at;
    if (boot || minutely)
        persist = 0;      /* the generator forces it off */
    rc = ms_buf_printf(&b, "Persistent=%s (%s%s%s)", persist ? "true" : "false",
                       boot || minutely ? "never for @reboot and @minutely"
                       : v[0] ? "PERSISTENT=" : at ? "default for an "
                       "@keyword line" : "default for a five-field line",
                       !boot && !minutely && v[0] ? v[0] : "", "");
    if (!rc && v[1])
        rc = ms_buf_printf(&b, "; BATCH=%s: %s", v[1], sd_bool(v[1])
                           ? "CPUSchedulingPolicy=idle, IOSchedulingClass="
                             "idle" : "normal scheduling");
    long rd = v[2] ? sd_num(v[2]) : 0, dl = v[3] ? sd_num(v[3]) : 0;
    if (!rc && v[2])
        rc = rd >= 0 ? ms_buf_printf(&b, "; RANDOM_DELAY=%s: RandomizedDelay"
                                     "Sec=%ldmin (each run starts up to %ld "
                                     "minutes late)", v[2], rd, rd)
                     : ms_buf_printf(&b, "; RANDOM_DELAY=%s: not a number "
                                     "(the generator logs \"invalid "
                                     "RANDOM_DELAY\")", v[2]);
    if (!rc && v[3])
        rc = dl >= 0 ? ms_buf_printf(&b, "; DELAY=%s: OnBootSec=%ldmin", v[3],
                                     dl)
                     : ms_buf_printf(&b, "; DELAY=%s: not a number (the "
                                     "generator logs \"invalid DELAY\")",
                                     v[3]);
    long sh = -1;
    if (v[4] && strchr(v[4], '-')) {
        char *h = ms_strndup(v[4], (size_t)(strchr(v[4], '-') - v[4]));
        if (!h)
            rc = rc ? rc : MS_ERR_NOMEM;
        sh = h ? sd_num(h) : -1;
        free(h);
    }
    if (!rc && v[4])
        rc = ms_buf_printf(&b, "; START_HOURS_RANGE=%s: %s", v[4], sh < 0
                           ? "invalid (the generator logs \"invalid "
                             "START_HOURS_RANGE\")"
                           : "the start hour of an @keyword timer (its end "
                             "is ignored)");
    /* the hour and minute of an @keyword timer (not @hourly's hour, not
     * @midnight's hour); OnCalendar= with a minute past 59 or an hour
     * past 23 is invalid and noted instead */
    if (!rc && at && !boot && !minutely && !s->interval && !s->reboot &&
        (dl > 0 || sh > 0)) {
        int hourly = !strcasecmp(kw, "hourly");
        int midnight = !strcasecmp(kw, "midnight");
        long hour = hourly ? -1 : midnight ? 0 : (sh > 0 ? sh : 0);
        if (dl > 59 || hour > 23) {
            rc = ms_buf_printf(&b, "; the timer's OnCalendar= would have "
                               "minute %ld or hour %ld, which systemd "
                               "refuses", dl, hour);
        } else {
            s->minute = UINT64_C(1) << (dl > 0 ? dl : 0);
            if (hour >= 0)
                s->hour = UINT32_C(1) << hour;
            rc = ms_buf_printf(&b, "; so the timer runs at minute %ld%s",
                               dl > 0 ? dl : 0, hour >= 0 ? "" : " of every "
                               "hour");
            if (!rc && hour >= 0)
                rc = ms_buf_printf(&b, " of hour %ld", hour);
        }
    }
    if (rc) {
        ms_buf_free(&b);
        return rc;
    }
    *out = ms_buf_steal(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

static ms_err add_job(ctx *c, size_t tab, const ms_crontab *ct,
                      const ms_cron_file *cf, const ms_cron_entry *e)
{
    size_t j;
    ms_cron_sched sched = e->sched;
    ms_err rc = ms_scan_new_job(c->scan, &j);
    if (rc)
        return rc;
    ms_cronjob *job = &c->scan->jobs[j];
    job->crontab = (long)tab;
    job->line = e->line;
    if (c->dialect.dialect == MS_CRON_DIALECT_SYSTEMD_CRON &&
        (rc = systemd_timer(cf, e, &sched, &job->timer)))
        return rc;
    if (e->timer && !job->timer && !(job->timer = ms_strdup(e->timer)))
        return MS_ERR_NOMEM;
    job->user = ms_strdup(e->user ? e->user : ct->owner);
    job->schedule = ms_strdup(e->schedule);
    job->schedule_words = ms_cron_sched_describe(&sched);
    if ((rc = ms_cron_trigger(&sched, e->schedule, &job->trigger)))
        return rc;
    job->every_15_min = ms_trigger_every(&job->trigger, 15);
    job->reboot = job->trigger.type == MS_TRIG_BOOT;
    job->command = ms_strdup(e->command);
    job->offset = e->offset;
    job->input = e->input ? ms_strdup(e->input) : NULL;
    job->dialect_note = e->dialect_note ? ms_strdup(e->dialect_note) : NULL;
    job->time_zone = time_zone_words(c, e);
    if (!job->schedule || !job->schedule_words || !job->command ||
        (e->input && !job->input) || !job->time_zone ||
        (e->dialect_note && !job->dialect_note))
        return MS_ERR_NOMEM;
    return add_programs(c, e, &c->scan->jobs[j]);
}

/* Whether the image's cron skips this whole file; a live,
 * readable file only: a deleted or recovered one's mode at the time is
 * not known. */
static const char *ignored_file(const ctx *c, const ms_crontab *ct,
                                int system)
{
    const char *why = NULL, *path = ct->file.path;
    const char *name = path ? strrchr(path, '/') : NULL;
    if (!name || ct->file.deleted || ct->recovery || !ct->readable)
        return NULL;
    size_t dl = (size_t)(name - path);
    int in_crond = system && dl >= 7 && !memcmp(path + dl - 7, "/cron.d", 7);
    ms_cron_file_ignored(c->dialect.dialect, name + 1, in_crond, system,
                         ct->file.mode, ct->file.uid, &why);
    ms_cron_dialect d = c->dialect.dialect;
    if (!why && c->etc_crontabs && d != MS_CRON_DIALECT_BUSYBOX &&
        d != MS_CRON_DIALECT_UNKNOWN)
        why = "only BusyBox crond reads /etc/crontabs (Alpine's layout); "
              "the cron identified here reads its spool under /var";
    /* crond.c load_crontab: "ignoring file '%s' (no such user)" when
     * getpwnam() does not find the file's name (musl: /etc/passwd) */
    if (!why && !system && d == MS_CRON_DIALECT_BUSYBOX && c->passwd &&
        !ms_passwd_has_user(c->passwd, c->passwd_len, name + 1))
        why = "BusyBox crond ignores it: no user of that name in "
              "/etc/passwd (load_crontab: \"no such user\")";
    return why;
}

/* The file is skipped: its jobs are not jobs; each becomes a rejected
 * line saying so, after the lines rejected on their own. */
static ms_err reject_whole_file(ms_crontab *ct, const ms_cron_file *cf,
                                const char *why)
{
    ms_buf b = { 0 };
    if (ms_buf_printf(&b, "%s%s%s; no line of it runs",
                      ct->note ? ct->note : "", ct->note ? "; " : "", why)) {
        ms_buf_free(&b);
        return MS_ERR_NOMEM;
    }
    free(ct->note);
    ct->note = ms_buf_steal(&b);
    if (!ct->note)
        return MS_ERR_NOMEM;
    size_t n = cf ? cf->nentries : 0;
    if (!n)
        return MS_OK;
    ms_cron_rejected *r = realloc(ct->rejected, (ct->nrejected + n) *
                                  sizeof *r);
    if (!r)
        return MS_ERR_NOMEM;
    ct->rejected = r;
    for (size_t i = 0; i < n; i++) {
        ms_cron_rejected *x = &ct->rejected[ct->nrejected];
        x->line = cf->entries[i].line;
        x->offset = cf->entries[i].offset;
        x->reason = ms_asprintf("would be a job, but %s", why);
        if (!x->reason)
            return MS_ERR_NOMEM;
        ct->nrejected++;
        ct->rejected_total++;
    }
    return MS_OK;
}

/* A job line past BusyBox crond's line limit: a rejected line. */
static ms_err reject_line(ms_crontab *ct, const ms_cron_entry *e,
                          unsigned long max_read)
{
    ms_cron_rejected *r = realloc(ct->rejected, (ct->nrejected + 1) *
                                  sizeof *r);
    if (!r)
        return MS_ERR_NOMEM;
    ct->rejected = r;
    r = &ct->rejected[ct->nrejected];
    r->line = e->line;
    r->offset = e->offset;
    r->reason = ms_asprintf("would be a job, but BusyBox crond reads only "
                            "the first %lu non-comment lines of %s crontab "
                            "(load_crontab: \"too many lines\"); this is "
                            "line %lu of them", max_read, max_read == 255
                            ? "a non-root" : "root's", e->read_line);
    if (!r->reason)
        return MS_ERR_NOMEM;
    ct->nrejected++;
    ct->rejected_total++;
    return MS_OK;
}

static ms_err process_tab(ctx *c, found_tab *t, int system)
{
    size_t idx;
    ms_cron_file *cf = t->readable ? t->cf : NULL;
    ms_err rc = ms_scan_new_crontab(c->scan, &idx);
    if (rc)
        return rc;
    ms_crontab *ct = &c->scan->crontabs[idx];
    ct->file = t->ref;
    t->ref.path = NULL;            /* ownership moved to the scan */
    ct->system = system;
    ct->owner = system ? NULL : t->owner;
    if (!system)
        t->owner = NULL;
    ct->readable = t->readable;
    ct->recovery = t->recovery;
    ct->recovery_certainty = t->certainty;
    ct->recovery_method = t->recovery ? t->method : MS_RECOV_NONE;
    t->recovery = NULL;
    ct->dialect = ms_strdup(ms_cron_dialect_name(c->dialect.dialect));
    ct->dialect_why = c->dialect.why ? ms_strdup(c->dialect.why) : NULL;
    if (!ct->dialect || (c->dialect.why && !ct->dialect_why))
        return MS_ERR_NOMEM;
    rc = store_problems(ct, cf, t);
    /* padding, and network indicators in the raw text (comments and
     * variables included: a C&C address in a crontab is evidence even
     * where no job runs it), found while the file was read */
    if (t->readable) {
        ct->reasons = t->reasons;
        ct->nreasons = t->nreasons;
        t->reasons = NULL;
        t->nreasons = 0;
    }
    const char *skip = ignored_file(c, &c->scan->crontabs[idx], system);
    if (skip && rc == MS_OK)
        rc = reject_whole_file(&c->scan->crontabs[idx], cf, skip);
    /* crond.c load_crontab: maxLines = root ? 65535 : MAXLINES (256),
     * "if (!--maxLines) break" before each config_read: 65534 or 255
     * lines are read, the rest never ("user %s: too many lines") */
    const ms_crontab *cur = &c->scan->crontabs[idx];
    unsigned long max_read = cur->owner && !strcmp(cur->owner, "root")
                                 ? 65534 : 255;
    int bb_cut = c->dialect.dialect == MS_CRON_DIALECT_BUSYBOX && !system;
    for (size_t i = 0; cf && !skip && i < cf->nentries && rc == MS_OK; i++)
        rc = bb_cut && cf->entries[i].read_line > max_read
                 ? reject_line(&c->scan->crontabs[idx], &cf->entries[i],
                               max_read)
                 : add_job(c, idx, &c->scan->crontabs[idx], cf,
                           &cf->entries[i]);
    return rc;
}

static void free_tabs(ctx *c)
{
    for (size_t i = 0; i < c->ntabs; i++) {
        free(c->tabs[i].ref.path);
        ms_cron_file_free(c->tabs[i].cf);
        ms_reasons_free(c->tabs[i].reasons, c->tabs[i].nreasons);
        free(c->tabs[i].owner);
        free(c->tabs[i].recovery);
        free(c->tabs[i].unrecovered);
    }
    free(c->tabs);
    c->tabs = NULL;
    c->ntabs = c->tabs_cap = 0;
}

/* List one location (a directory of crontabs) and process what it holds. */
static ms_err collect_dir(ctx *c, const char *dir, int system)
{
    c->dir = dir;
    c->system = system;
    ms_err rc = ms_fs_list_dir(c->fs, dir, on_tab, c, MAX_SPOOL_ENTRIES);
    ms_cov_listed(c->scan, c->cov, dir, rc, c->ntabs, MAX_SPOOL_ENTRIES);
    if (rc == MS_ERR_LIMIT)
        ms_scan_add_error(c->scan, "volume %d: more than %d entries in %s; "
                          "the rest were not read", c->volume,
                          MAX_SPOOL_ENTRIES, dir);
    rc = c->err;
    for (size_t i = 0; i < c->ntabs && rc == MS_OK; i++)
        rc = process_tab(c, &c->tabs[i], system);
    free_tabs(c);
    return rc;
}

/* /etc/crontab is a single file, found through its directory's listing so
 * that a deleted /etc/crontab is still seen. */
static int on_etc(void *user, ms_fs_file *f, const char *name, size_t len)
{
    if (len == 7 && !memcmp(name, "crontab", 7))
        return on_tab(user, f, name, len);
    return 0;
}

static ms_err collect_etc_crontab(ctx *c)
{
    char *tab = NULL;
    size_t slot;
    ms_err rc = ms_cov_file(c->fs, c->scan, c->volume, "/etc/crontab",
                            "crontab", &tab, &slot);
    free(tab);
    if (rc)
        return rc;
    char *etc = ms_fs_resolve_dir(c->fs, "/etc");
    if (!etc)
        return MS_OK;
    c->dir = etc;
    c->system = 1;
    ms_fs_list_dir(c->fs, etc, on_etc, c, (size_t)-1);
    rc = c->err;
    for (size_t i = 0; i < c->ntabs && rc == MS_OK; i++)
        rc = process_tab(c, &c->tabs[i], 1);
    free_tabs(c);
    free(etc);
    return rc;
}

/* ---- anacron and run-parts directories ----------------------- */

/* A crontab entry for a file or directory that is not a crontab proper
 * (/etc/anacrontab, /etc/cron.daily): same place in the report. */
static ms_err new_pseudo_tab(ctx *c, ms_fs_file *f, const char *path,
                             size_t *idx)
{
    ms_err rc = ms_scan_new_crontab(c->scan, idx);
    if (rc)
        return rc;
    ms_crontab *ct = &c->scan->crontabs[*idx];
    ms_fs_file_stat(f, &ct->file);
    ct->file.volume = ms_fs_volume_at(c->fs, path, c->volume);
    ct->file.path = ms_strdup(path);
    ct->system = 1;
    ct->readable = 1;
    ct->dialect = ms_strdup(ms_cron_dialect_name(c->dialect.dialect));
    ct->dialect_why = c->dialect.why ? ms_strdup(c->dialect.why) : NULL;
    if (!ct->file.path || !ct->dialect || (c->dialect.why && !ct->dialect_why))
        return MS_ERR_NOMEM;
    return MS_OK;
}

static ms_err new_pseudo_job(ctx *c, size_t tab, unsigned line,
                             uint64_t offset, const char *schedule,
                             char *words, const char *command,
                             const char *path_env, int direct,
                             ms_cronjob **out)
{
    size_t j;
    ms_err rc = ms_scan_new_job(c->scan, &j);
    if (rc) {
        free(words);
        return rc;
    }
    ms_cronjob *job = &c->scan->jobs[j];
    job->crontab = (long)tab;
    job->line = line;
    job->offset = offset;
    job->user = ms_strdup("root");
    job->schedule = ms_strdup(schedule);
    job->schedule_words = words;
    job->command = ms_strdup(command);
    job->time_zone = ms_strdup("the system's local time");
    /* anacron periods and run-parts directories: a rule in words */
    job->trigger.type = MS_TRIG_CALENDAR;
    job->trigger.text = ms_strdup(schedule);
    if (!job->user || !job->schedule || !job->schedule_words ||
        !job->command || !job->time_zone || !job->trigger.text)
        return MS_ERR_NOMEM;
    ms_cron_entry e = { 0 };
    e.command = job->command;
    e.path_env = path_env;
    *out = job;
    if (!direct)
        return add_programs(c, &e, job);
    /* a run-parts script: the path is the program, whatever its name */
    ms_cmd_prog cp = { .word = (char *)command };
    if (!(job->programs = calloc(1, sizeof *job->programs)))
        return MS_ERR_NOMEM;
    job->nprograms = 1;
    return resolve_program(c, &e, job, &cp, &job->programs[0]);
}

/* One pass over /etc/anacrontab: lines to anacron's parser and the
 * padding check (the same CRONTAB_PADDING finding as a crontab's), raw
 * blocks to the indicator scan.  Read whole, in memory bounded per line. */
typedef struct ana_pass {
    ms_anacron_parser *parser;
    ms_rawscan *raw;
    int nomem;
} ana_pass;

static int ana_line(void *user, const ms_line *l)
{
    ana_pass *a = user;
    a->nomem |= ms_rawscan_line(a->raw, l) != 0;
    a->nomem |= ms_anacron_parser_line(a->parser, l) != 0;
    return a->nomem;
}

static int ana_block(void *user, uint64_t off, const uint8_t *buf,
                     size_t len)
{
    ana_pass *a = user;
    a->nomem |= ms_rawscan_block(a->raw, off, buf, len) != 0;
    return a->nomem;
}

static ms_err read_anacron(ms_fs_file *f, ms_anacrontab **at,
                           ms_reason **reasons, size_t *nreasons,
                           ms_lines_stats *st)
{
    ana_pass a = {0};
    ms_err rc = ms_anacron_parser_new(&a.parser);
    if (rc == MS_OK)
        rc = ms_rawscan_new(&a.raw);
    if (rc == MS_OK)
        rc = ms_lines_read(fs_read, f, MS_ANACRON_LINE_MAX + 1, ana_line,
                           ana_block, &a, st);
    if (rc == MS_OK && a.nomem)
        rc = MS_ERR_NOMEM;
    if (rc == MS_OK)
        rc = ms_rawscan_finish(a.raw, reasons, nreasons);
    if (rc == MS_OK)
        rc = ms_anacron_parser_finish(a.parser, at);
    else
        ms_anacron_parser_free(a.parser);
    ms_rawscan_free(a.raw);
    return rc;
}

static ms_err anacron_note(ms_crontab *ct, const ms_lines_stats *st,
                           const ms_anacrontab *at)
{
    ms_buf b = {0};
    ms_err e = MS_OK;
    if (st->read_error)
        e |= ms_buf_printf(&b, "the content could be read only up to byte "
                           "%llu; ", (unsigned long long)st->bytes);
    if (st->capped)
        e |= ms_buf_printf(&b, "reading stopped after %llu bytes (the limit "
                           "for one file); ", (unsigned long long)st->bytes);
    if (at->problems_dropped)
        e |= ms_buf_printf(&b, "%zu problem lines; only the first %zu are "
                           "listed (bound MS_ANACRON_MAX_PROBLEMS); ",
                           at->nproblems + at->problems_dropped,
                           at->nproblems);
    if (e) {
        ms_buf_free(&b);
        return MS_ERR_NOMEM;
    }
    if (b.len >= 2)
        b.data[b.len -= 2] = '\0';
    ct->note = b.len ? ms_buf_steal(&b) : NULL;
    ms_buf_free(&b);
    return MS_OK;
}

static ms_err collect_anacron(ctx *c)
{
    char *etc = ms_fs_resolve_dir(c->fs, "/etc"), *path = NULL;
    ms_fs_file *f = NULL;
    ms_anacrontab *at = NULL;
    ms_fileref ref = { 0 };
    ms_reason *reasons = NULL;
    size_t nreasons = 0;
    ms_lines_stats st = {0};
    ms_err rc = MS_OK;
    size_t idx;

    char *cov_path = NULL;
    if ((rc = ms_cov_file(c->fs, c->scan, c->volume, "/etc/anacrontab",
                          "anacrontab", &cov_path, &idx)) != MS_OK) {
        free(etc);
        return rc;
    }
    free(cov_path);
    if (!etc)
        return MS_OK;
    path = ms_asprintf("%s/anacrontab", strcmp(etc, "/") ? etc : "");
    if (!path) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    if (ms_fs_open(c->fs, path, &f) != MS_OK)
        goto _exit;
    ms_fs_file_stat(f, &ref);
    if (ref.type != MS_FT_REG)
        goto _exit;
    if ((rc = read_anacron(f, &at, &reasons, &nreasons, &st)) ||
        (rc = new_pseudo_tab(c, f, path, &idx)))
        goto _exit;
    ms_crontab *ct = &c->scan->crontabs[idx];
    if ((rc = anacron_note(ct, &st, at)))
        goto _exit;
    if (at->nproblems && !(ct->rejected = calloc(at->nproblems,
                                                 sizeof *ct->rejected))) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    ct->rejected_total = at->nproblems + at->problems_dropped;
    for (size_t i = 0; i < at->nproblems; i++) {
        ct->rejected[i].line = at->problems[i].line;
        ct->rejected[i].offset = at->problems[i].offset;
        ct->rejected[i].reason = ms_strdup(at->problems[i].text);
        ct->nrejected = i + 1;
        if (!ct->rejected[i].reason) {
            rc = MS_ERR_NOMEM;
            goto _exit;
        }
    }
    /* padding and network indicators, found while the file was read */
    ct->reasons = reasons;
    ct->nreasons = nreasons;
    reasons = NULL;
    nreasons = 0;
    for (size_t i = 0; i < at->njobs && !rc; i++) {
        const ms_anacron_job *aj = &at->jobs[i];
        char *sched = ms_asprintf("%s %ld %s", aj->period, aj->delay,
                                  aj->ident);
        ms_cronjob *job;
        rc = sched ? new_pseudo_job(c, idx, aj->line, aj->offset, sched,
                                    ms_anacron_describe_in(at, aj),
                                    aj->command, aj->path_env, 0, &job)
                   : MS_ERR_NOMEM;
        free(sched);
        if (!rc)
            rc = ms_anacron_env_words(at, aj, &job->environment);
    }
_exit:
    ms_anacrontab_free(at);
    ms_fs_file_close(f);
    ms_fileref_clear(&ref);
    ms_reasons_free(reasons, nreasons);
    free(path);
    free(etc);
    return rc;
}

typedef struct rp_names {
    ctx *c;
    char **names;
    unsigned *modes;
    size_t n, cap, cap2;
    ms_err err;
} rp_names;

static int on_rp(void *user, ms_fs_file *f, const char *name, size_t len)
{
    rp_names *r = user;
    ms_fileref ref = { 0 };
    ms_fs_file_stat(f, &ref);
    if (ref.type != MS_FT_REG || ref.meta_reused ||
        (len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
        return 0;
    if (ms_grow((void **)&r->names, &r->cap, r->n + 1, sizeof *r->names) ||
        ms_grow((void **)&r->modes, &r->cap2, r->n + 1, sizeof *r->modes) ||
        !(r->names[r->n] = ms_strndup(name, len))) {
        r->err = MS_ERR_NOMEM;
        return 1;
    }
    r->modes[r->n++] = ref.mode;
    return 0;
}

/* Each script in /etc/cron.{hourly,daily,weekly,monthly}: a job of its
 * directory, its program the script itself. */
static ms_err collect_runparts(ctx *c)
{
    static const struct { const char *dir, *sched, *words; } rp[] = {
        { "/etc/cron.hourly", "@hourly (run-parts)",
          "once an hour, by run-parts (from /etc/crontab or /etc/cron.d)" },
        { "/etc/cron.daily", "@daily (run-parts)",
          "once a day, by run-parts (from /etc/crontab or anacron)" },
        { "/etc/cron.weekly", "@weekly (run-parts)",
          "once a week, by run-parts (from /etc/crontab or anacron)" },
        { "/etc/cron.monthly", "@monthly (run-parts)",
          "once a month, by run-parts (from /etc/crontab or anacron)" },
    };
    ms_err rc = MS_OK;

    for (size_t d = 0; d < sizeof rp / sizeof *rp && !rc; d++) {
        char *dir = NULL;
        ms_fs_file *f = NULL;
        rp_names r = { .c = c };
        size_t idx, cov;
        if ((rc = ms_cov_dir(c->fs, c->scan, c->volume, rp[d].dir,
                             "run_parts", &dir, &cov)) != MS_OK || !dir)
            continue;
        if (ms_fs_open(c->fs, dir, &f) != MS_OK) {
            free(dir);
            continue;
        }
        rc = new_pseudo_tab(c, f, rp[d].dir, &idx);
        ms_fs_file_close(f);
        ms_err lr = rc ? MS_OK : ms_fs_list_dir(c->fs, dir, on_rp, &r,
                                                MAX_SPOOL_ENTRIES);
        ms_cov_listed(c->scan, cov, dir, lr, r.n, MAX_SPOOL_ENTRIES);
        if (lr == MS_ERR_LIMIT)
            ms_scan_add_error(c->scan, "volume %d: more than %d entries in "
                              "%s; the rest were not read", c->volume,
                              MAX_SPOOL_ENTRIES, dir);
        if (!rc)
            rc = r.err;
        for (size_t i = 0; i < r.n && !rc; i++) {
            char *path = ms_asprintf("%s/%s", rp[d].dir, r.names[i]);
            const char *why = NULL;
            ms_cronjob *job = NULL;
            if (!path) {
                rc = MS_ERR_NOMEM;
                break;
            }
            int runs = ms_runparts_runs(r.names[i], r.modes[i],
                                        c->dialect.dialect, &why);
            /* the program is the script: quote nothing, resolve it */
            rc = new_pseudo_job(c, idx, 0, 0, rp[d].sched,
                                ms_strdup(rp[d].words), path, NULL, 1, &job);
            if (!rc && !runs && !(job->dialect_note =
                                  ms_asprintf("run-parts does not run it: %s",
                                              why)))
                rc = MS_ERR_NOMEM;
            free(path);
        }
        for (size_t i = 0; i < r.n; i++)
            free(r.names[i]);
        free(r.names);
        free(r.modes);
        free(dir);
    }
    return rc;
}

/* A directory's identity: its volume and inode number. */
typedef struct dir_id {
    int known;
    int volume;
    uint64_t inode;
} dir_id;

static dir_id dir_identity(const ctx *c, const char *dir)
{
    dir_id id = {0};
    ms_fs_file *f = NULL;
    ms_fileref ref = {0};
    if (ms_fs_open(c->fs, dir, &f) != MS_OK)
        return id;
    ms_fs_file_stat(f, &ref);
    ms_fs_file_close(f);
    id.known = ref.has_inode && ref.type == MS_FT_DIR;
    id.volume = ms_fs_volume_at(c->fs, dir, c->volume);
    id.inode = ref.inode;
    ms_fileref_clear(&ref);
    return id;
}

ms_err ms_cronfiles_collect(ms_fs *fs, ms_scan *scan, int volume,
                            size_t max_bytes)
{
    ctx c = { .fs = fs, .scan = scan, .volume = volume,
              .max_bytes = max_bytes };
    char *seen[sizeof spools / sizeof *spools] = {0};
    dir_id ids[sizeof spools / sizeof *spools] = {{0}};
    size_t nseen = 0, first_job = scan->njobs;
    ms_err rc = ms_cron_dialect_detect(fs, &c.dialect);
    if (rc == MS_OK && c.dialect.dialect == MS_CRON_DIALECT_BUSYBOX)
        c.passwd = ms_cron_read_passwd(fs, &c.passwd_len, &rc);
    if (rc == MS_OK)
        rc = collect_etc_crontab(&c);

    size_t seen_cov[sizeof spools / sizeof *spools];
    for (size_t i = 0; i < sizeof spools / sizeof *spools && !rc; i++) {
        char *dir = NULL;
        size_t cov;
        rc = ms_cov_dir(fs, scan, volume, spools[i].dir,
                        spools[i].system ? "cron_dir" : "cron_spool", &dir,
                        &cov);
        long dup = -1;
        dir_id id = dir ? dir_identity(&c, dir) : (dir_id){0};
        /* the same directory by another path (a symbolic link resolved
         * above, or a bind mount): by path, then by volume and inode */
        for (size_t j = 0; dir && j < nseen && dup < 0; j++)
            if (!strcmp(seen[j], dir) ||
                (id.known && ids[j].known && id.volume == ids[j].volume &&
                 id.inode == ids[j].inode))
                dup = (long)j;
        if (rc || !dir || dup >= 0) {
            if (dup >= 0)
                ms_cov_alias(scan, cov, seen_cov[dup]);
            free(dir);
            continue;
        }
        ids[nseen] = id;
        seen_cov[nseen] = cov;
        seen[nseen++] = dir;
        c.cov = cov;
        c.etc_crontabs = !strcmp(spools[i].dir, "/etc/crontabs");
        rc = collect_dir(&c, dir, spools[i].system);
        c.etc_crontabs = 0;
    }
    if (!rc)
        rc = collect_anacron(&c);
    if (!rc)
        rc = collect_runparts(&c);
    /* the generic records every writer renders */
    if (!rc)
        rc = ms_cron_persistence(scan, first_job);
    for (size_t j = 0; j < nseen; j++)
        free(seen[j]);
    ms_cron_dialect_info_clear(&c.dialect);
    free(c.passwd);
    return rc;
}
