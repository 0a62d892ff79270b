#include "artifacts/cronfiles.h"

#include <stdlib.h>
#include <string.h>

#include "artifacts/cron_command.h"
#include "artifacts/cron_parse.h"
#include "artifacts/cron_rawscan.h"
#include "artifacts/linereader.h"
#include "artifacts/fs_lookup.h"
#include "evidence/fs_mount.h"
#include "common/ms_mem.h"
#include "common/ms_scan.h"

/* A spool holds one file per user; a few thousand means something odd,
 * and the walk stops there rather than parse without end. */
#define MAX_SPOOL_ENTRIES 10000
#define MAX_NOTED_PROBLEMS 5

typedef struct spool {
    const char *dir;
    int system;        /* system format: a user field after the schedule */
} spool;

static const spool spools[] = {
    { "/etc/cron.d", 1 },
    { "/var/spool/cron/crontabs", 0 },
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
                         int system)
{
    stream_ctx s = {0};
    ms_lines_stats st = {0};
    ms_err rc = ms_cron_parser_new(system, &s.parser);
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
                         int system)
{
    ms_lines_mem m = { data, len };
    return stream_tab(t, ms_lines_mem_read, &m, system);
}

/* A deleted crontab whose size the file system zeroed: its bytes may
 * survive behind an older inode copy in the journal. */
static void recover_tab(ctx *c, found_tab *t)
{
    ms_recovered *r = NULL;
    char *why = NULL;
    ms_err rc = ms_fs_recover_deleted(c->fs, t->ref.inode, c->max_bytes, &r,
                                      &why);
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
    if (!t->recovery || stream_mem(t, r->data, r->len, c->system)) {
        c->err = MS_ERR_NOMEM;
        ms_recovered_free(r);
        return;
    }
    t->readable = 1;
    t->certainty = r->certainty;
    ms_recovered_free(r);
}

/* Read and parse a crontab, whole, from the borrowed file. */
static void read_tab(ctx *c, ms_fs_file *f, found_tab *t)
{
    if (stream_tab(t, fs_read, f, c->system)) {
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
    ms_err rc = ms_fs_recover_versions(c->fs, c->tabs[cur].ref.inode,
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
        if (!t.ref.path || (now->owner && !t.owner) || !t.recovery ||
            stream_mem(&t, v[i]->data, v[i]->len, c->system) ||
            ms_grow((void **)&c->tabs, &c->tabs_cap, c->ntabs + 1,
                    sizeof *c->tabs)) {
            free(t.ref.path);
            free(t.owner);
            free(t.recovery);
            ms_cron_file_free(t.cf);
            for (size_t k = 0; k < t.nreasons; k++)
                free(t.reasons[k].text);
            free(t.reasons);
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
    t.ref.volume = c->volume;
    t.ref.path = ms_path_join(c->dir, name, len);
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
    if (cf) {
        for (size_t i = 0; i < cf->nproblems && i < MAX_NOTED_PROBLEMS; i++)
            ms_buf_printf(&b, "line %u: %s; ", cf->problems[i].line,
                          cf->problems[i].text);
        size_t total = cf->nproblems + cf->problems_dropped;
        if (total > MAX_NOTED_PROBLEMS)
            ms_buf_printf(&b, "%zu more problems; ",
                          total - (cf->nproblems < MAX_NOTED_PROBLEMS
                                   ? cf->nproblems : MAX_NOTED_PROBLEMS));
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
    ref.volume = c->volume;
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
    if (type == MS_PT_NONE)
        return link_absent(c, p, path, make_missing);
    p->status = MS_PROG_NOT_REGULAR;
    p->note = ms_strdup("not a regular file");
    return MS_OK;
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
    ms_cmd_prog *cps = NULL;
    size_t n = 0;
    ms_err rc = ms_cron_command_programs(e->command, &cps, &n);
    if (rc)
        return rc == MS_ERR_NOMEM ? rc : MS_OK;
    job->programs = calloc(n ? n : 1, sizeof *job->programs);
    if (!job->programs) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        rc = resolve_program(c, e, job, &cps[i], &job->programs[i]);
        job->nprograms = i + 1;
    }
_exit:
    ms_cmd_progs_free(cps, n);
    return rc;
}

static ms_err add_job(ctx *c, size_t tab, const ms_crontab *ct,
                      const ms_cron_entry *e)
{
    size_t j;
    ms_err rc = ms_scan_new_job(c->scan, &j);
    if (rc)
        return rc;
    ms_cronjob *job = &c->scan->jobs[j];
    job->crontab = (long)tab;
    job->line = e->line;
    job->user = ms_strdup(e->user ? e->user : ct->owner);
    job->schedule = ms_strdup(e->schedule);
    job->schedule_words = ms_cron_sched_describe(&e->sched);
    job->every_15_min = ms_cron_sched_every_15(&e->sched);
    job->reboot = e->sched.reboot;
    job->command = ms_strdup(e->command);
    if (!job->schedule || !job->schedule_words || !job->command)
        return MS_ERR_NOMEM;
    return add_programs(c, e, &c->scan->jobs[j]);
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
    t->recovery = NULL;
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
    for (size_t i = 0; cf && i < cf->nentries && rc == MS_OK; i++)
        rc = add_job(c, idx, &c->scan->crontabs[idx], &cf->entries[i]);
    return rc;
}

static void free_tabs(ctx *c)
{
    for (size_t i = 0; i < c->ntabs; i++) {
        free(c->tabs[i].ref.path);
        ms_cron_file_free(c->tabs[i].cf);
        for (size_t k = 0; k < c->tabs[i].nreasons; k++)
            free(c->tabs[i].reasons[k].text);
        free(c->tabs[i].reasons);
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
    char *etc = ms_fs_resolve_dir(c->fs, "/etc");
    if (!etc)
        return MS_OK;
    c->dir = etc;
    c->system = 1;
    ms_fs_list_dir(c->fs, etc, on_etc, c, (size_t)-1);
    ms_err rc = c->err;
    for (size_t i = 0; i < c->ntabs && rc == MS_OK; i++)
        rc = process_tab(c, &c->tabs[i], 1);
    free_tabs(c);
    free(etc);
    return rc;
}

ms_err ms_cronfiles_collect(ms_fs *fs, ms_scan *scan, int volume,
                            size_t max_bytes)
{
    ctx c = { .fs = fs, .scan = scan, .volume = volume,
              .max_bytes = max_bytes };
    char *seen[sizeof spools / sizeof *spools] = {0};
    size_t nseen = 0;
    ms_err rc = collect_etc_crontab(&c);

    for (size_t i = 0; i < sizeof spools / sizeof *spools && !rc; i++) {
        char *dir = ms_fs_resolve_dir(fs, spools[i].dir);
        int dup = 0;
        for (size_t j = 0; dir && j < nseen; j++)
            dup |= !strcmp(seen[j], dir);
        if (!dir || dup) {
            free(dir);
            continue;
        }
        seen[nseen++] = dir;
        rc = collect_dir(&c, dir, spools[i].system);
    }
    for (size_t j = 0; j < nseen; j++)
        free(seen[j]);
    return rc;
}
