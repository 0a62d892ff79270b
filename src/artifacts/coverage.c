/* coverage.c - record which triage locations were read, see coverage.h. */
#include "artifacts/coverage.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "artifacts/fs_lookup.h"
#include "artifacts/pathres.h"
#include "common/ms_coverage.h"
#include "common/ms_mem.h"
#include "evidence/fs_ns.h"

/* Names looked at in a parent directory to tell "absent" from "damaged";
 * the parents are /, /var, /etc, /var/spool/cron: small on any server. */
#define PARENT_NAMES_MAX 200000
/* Path components diagnosed upwards (/var/spool/cron/crontabs is 4). */
#define DIAG_DEPTH_MAX 16

typedef struct probe {
    const char *name;
    size_t len;
    int found, deleted_only;
    ms_fileref ref;
} probe;

static int on_probe(void *user, ms_fs_file *f, const char *name, size_t len)
{
    probe *p = user;
    ms_fileref r = { 0 };
    if (len != p->len || memcmp(name, p->name, len))
        return 0;
    ms_fs_file_stat(f, &r);
    if (r.deleted) {
        p->deleted_only = 1;
        return 0;
    }
    p->found = 1;
    p->ref = r;
    return 1;
}

/* The verdict on a path that did not resolve to what was wanted. */
typedef struct diag {
    enum ms_cov_state state;
    char *why;             /* malloc'd, or NULL (plainly absent) */
    uint64_t inode;        /* the entry's inode, when one was found */
    int has_inode;
} diag;

static ms_err say(diag *d, enum ms_cov_state st, char *why)
{
    d->state = st;
    d->why = why;
    return why ? MS_OK : MS_ERR_NOMEM;
}

/* What the name's entry in its parent says. */
static ms_err judge_entry(const probe *p, int want_dir, diag *d)
{
    d->inode = p->ref.inode;
    d->has_inode = p->found && p->ref.has_inode;
    if (!p->found)
        return p->deleted_only
            ? say(d, MS_COV_ABSENT, ms_strdup("only a deleted name is left"))
            : (d->state = MS_COV_ABSENT, MS_OK);
    switch (p->ref.type) {
    case MS_FT_DIR:
        if (want_dir)
            return say(d, MS_COV_UNREADABLE, ms_asprintf(
                "damaged inode %" PRIu64 ": the directory could not be "
                "opened", p->ref.inode));
        return say(d, MS_COV_ABSENT, ms_strdup("a directory, not a file"));
    case MS_FT_REG:
        if (!want_dir)
            return say(d, MS_COV_UNREADABLE, ms_asprintf(
                "damaged inode %" PRIu64 ": the file could not be opened",
                p->ref.inode));
        return say(d, MS_COV_ABSENT, ms_strdup("a file, not a directory"));
    case MS_FT_LNK:
        return say(d, MS_COV_ABSENT, ms_strdup("a symbolic link that leads "
                                               "nowhere in the image"));
    case MS_FT_OTHER:
        return say(d, MS_COV_ABSENT, ms_strdup("a device, socket or pipe"));
    default:
        return say(d, MS_COV_UNREADABLE, ms_asprintf(
            "damaged inode %" PRIu64 ": its metadata does not describe a "
            "usable file (damaged, or in media that could not be read)",
            p->ref.inode));
    }
}

/* Why `path` (normalized, absolute) is not a usable directory (want_dir)
 * or file: absent, or unreadable because its inode or a parent is. */
static ms_err diagnose(ms_fs *fs, const char *path, int want_dir,
                       unsigned depth, diag *d)
{
    const char *slash = strrchr(path, '/');
    char *parent = NULL, *pres = NULL;
    probe p = { 0 };
    ms_err rc = MS_OK;

    d->state = MS_COV_ABSENT;
    d->why = NULL;
    if (!slash || !slash[1])
        return say(d, MS_COV_UNREADABLE,
                   ms_strdup("the root directory could not be read"));
    parent = slash == path ? ms_strdup("/")
                           : ms_asprintf("%.*s", (int)(slash - path), path);
    if (!parent)
        return MS_ERR_NOMEM;
    if (!(pres = ms_fs_resolve_dir(fs, parent))) {
        diag up = { .state = MS_COV_ABSENT };
        if (depth < DIAG_DEPTH_MAX &&
            (rc = diagnose(fs, parent, 1, depth + 1, &up)) != MS_OK)
            goto _exit;
        if (up.state == MS_COV_UNREADABLE)
            rc = say(d, MS_COV_UNREADABLE, ms_asprintf("%s: %s", parent,
                                                       up.why));
        else
            rc = say(d, MS_COV_ABSENT, ms_asprintf("%s does not exist",
                                                   parent));
        free(up.why);
        goto _exit;
    }
    p.name = slash + 1;
    p.len = strlen(p.name);
    rc = ms_fs_list_dir(fs, pres, on_probe, &p, PARENT_NAMES_MAX);
    if (rc != MS_OK && rc != MS_ERR_LIMIT && !p.found) {
        rc = say(d, MS_COV_UNREADABLE, ms_asprintf(
            "its directory %s could not be listed", parent));
        goto _exit;
    }
    rc = judge_entry(&p, want_dir, d);
_exit:
    free(parent);
    free(pres);
    return rc;
}

static void set_inode(ms_fs *fs, ms_coverage *c, const char *resolved)
{
    ms_fs_file *f = NULL;
    ms_fileref ref = { 0 };
    if (ms_fs_open(fs, resolved, &f) != MS_OK)
        return;
    ms_fs_file_stat(f, &ref);
    ms_fs_file_close(f);
    c->inode = ref.inode;
    c->has_inode = ref.has_inode;
}

/* Resolve and record; *out is the resolved path when it has the wanted
 * type, else NULL with the record's state and reason set. */
static ms_err lookup(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                     const char *kind, int want_dir, char **out,
                     size_t *slot)
{
    char *res = NULL;
    ms_ptype t = MS_PT_NONE;
    int hops = 0;
    diag d = { .state = MS_COV_ABSENT };

    *out = NULL;
    ms_err rc = ms_coverage_add(scan, vol, ms_fs_volume_at(fs, path, vol),
                                kind, path, slot);
    if (rc)
        return rc;
    rc = ms_path_resolve(ms_fs_lstat, fs, path, "/", &res, &t, &hops);
    if (rc == MS_ERR_NOMEM)
        return rc;
    ms_coverage *c = &scan->coverage[*slot];
    if (rc != MS_OK || !res) {
        free(res);
        ms_coverage_set(scan, *slot, MS_COV_ABSENT, ms_asprintf(
            "the path cannot be resolved in the image: %s", ms_strerror(rc)));
        return MS_OK;
    }
    if (t == (want_dir ? MS_PT_DIR : MS_PT_REG)) {
        c->volume = ms_fs_volume_at(fs, res, vol);
        set_inode(fs, c, res);
        *out = res;
        if (strcmp(res, path) && !(c->resolved = ms_strdup(res)))
            return MS_ERR_NOMEM;
        return MS_OK;
    }
    const char *absent = ms_fs_absent_at(fs, res);
    if (t == MS_PT_NONE && absent && !ms_fs_absent_in_memory(fs, res)) {
        /* on a file system the image does not hold (or not readable) */
        d.state = MS_COV_UNREADABLE;
        d.why = ms_asprintf("lies on a file system that was not examined: "
                            "%s", absent);
        rc = d.why ? MS_OK : MS_ERR_NOMEM;
    } else if (t == MS_PT_NONE || t == MS_PT_OTHER) {
        /* missing, or an inode that is neither: look at its entry */
        rc = diagnose(fs, res, want_dir, 0, &d);
    } else {
        rc = say(&d, MS_COV_ABSENT, ms_strdup(t == MS_PT_DIR
            ? "a directory, not a file" : "not a directory"));
    }
    c->inode = d.inode;
    c->has_inode = d.has_inode;
    if (rc == MS_OK && hops && strcmp(res, path))
        c->resolved = ms_strdup(res);
    free(res);
    if (rc == MS_OK)
        ms_coverage_set(scan, *slot, d.state, d.why);
    else
        free(d.why);
    return rc;
}

ms_err ms_cov_dir(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                  const char *kind, char **resolved, size_t *slot)
{
    return lookup(fs, scan, vol, path, kind, 1, resolved, slot);
}

ms_err ms_cov_file(ms_fs *fs, ms_scan *scan, int vol, const char *path,
                   const char *kind, char **resolved, size_t *slot)
{
    ms_err rc = lookup(fs, scan, vol, path, kind, 0, resolved, slot);
    if (rc || !*resolved)
        return rc;
    /* a file whose first block cannot be read was not read */
    ms_fs_file *f = NULL;
    uint8_t head[512];
    if (ms_fs_open(fs, *resolved, &f) != MS_OK ||
        ms_fs_file_read(f, 0, head, sizeof head) < 0) {
        ms_coverage_set(scan, *slot, MS_COV_UNREADABLE,
                        ms_strdup("its content could not be read"));
        free(*resolved);
        *resolved = NULL;
    }
    ms_fs_file_close(f);
    return MS_OK;
}

void ms_cov_listed(ms_scan *scan, size_t slot, const char *where, ms_err rc,
                   uint64_t names, size_t bound)
{
    if (slot >= scan->ncoverage)
        return;
    ms_coverage *c = &scan->coverage[slot];
    c->entries += names;
    if (rc == MS_OK)
        return;
    int top = where && !strcmp(where, c->resolved ? c->resolved : c->path);
    if (rc == MS_ERR_LIMIT)
        ms_cov_partial(scan, slot, ms_asprintf(
            "limit reached: more than %zu names; the listing stopped at %s",
            bound, where ? where : c->path));
    else if (top && c->state == MS_COV_READ)
        ms_coverage_set(scan, slot, MS_COV_UNREADABLE, ms_asprintf(
            "the directory could not be listed (%s): its inode or blocks "
            "are damaged or unreadable", ms_strerror(rc)));
    else
        ms_cov_partial(scan, slot, ms_asprintf(
            "subdirectory %s could not be listed (%s)",
            where ? where : "?", ms_strerror(rc)));
}

void ms_cov_partial(ms_scan *scan, size_t slot, char *reason)
{
    if (slot >= scan->ncoverage || scan->coverage[slot].state !=
        MS_COV_READ) {
        free(reason);
        return;
    }
    ms_coverage_set(scan, slot, MS_COV_PARTIAL, reason);
}

void ms_cov_alias(ms_scan *scan, size_t slot, size_t of)
{
    if (slot >= scan->ncoverage || of >= scan->ncoverage)
        return;
    const ms_coverage *o = &scan->coverage[of];
    ms_coverage *c = &scan->coverage[slot];
    c->inode = o->inode;
    c->has_inode = o->has_inode;
    c->volume = o->volume;
    ms_coverage_set(scan, slot, o->state, ms_asprintf(
        "the same directory as %s (listed once)%s%s", o->path,
        o->reason ? ": " : "", o->reason ? o->reason : ""));
}
