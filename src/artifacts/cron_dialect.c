/* cron_dialect.c - identify the image's cron implementation.
 * See cron_dialect.h for the evidence used and its order. */
#include "artifacts/cron_dialect.h"
#include "artifacts/textfile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "common/ms_model.h"
#include "artifacts/rpmdb.h"

#define VERSION_MAX 64   /* longest version string kept */

void ms_cron_dialect_info_clear(ms_cron_dialect_info *info)
{
    if (!info)
        return;
    free(info->version);
    free(info->why);
    memset(info, 0, sizeof *info);
}

/* Version strings come from the image: keep printable bytes only. */
static char *clean_version(const char *s, size_t n)
{
    if (n > VERSION_MAX)
        n = VERSION_MAX;
    char *v = ms_strndup(s, n);
    for (size_t i = 0; v && v[i]; i++)
        if (!isprint((unsigned char)v[i]))
            v[i] = '?';
    return v;
}

ms_cron_dialect ms_cron_dialect_cronie(const char *version)
{
    unsigned long major = 0, minor = 0;
    char *end = NULL;

    if (!version || !isdigit((unsigned char)version[0]))
        return MS_CRON_DIALECT_UNKNOWN;
    major = strtoul(version, &end, 10);
    if (*end == '.')
        minor = strtoul(end + 1, &end, 10);
    /* "~" and the strict separators came with cronie 1.6.0 */
    if (major > 1 || (major == 1 && minor >= 6))
        return MS_CRON_DIALECT_CRONIE_16;
    return MS_CRON_DIALECT_CRONIE_15;
}

/* ---- dpkg status -------------------------------------------------------- */

/* Value of "Field: value" at line start p (up to eol), or NULL. */
static const char *field_value(const char *p, const char *eol,
                               const char *name, size_t *vlen)
{
    size_t n = strlen(name);
    if ((size_t)(eol - p) < n + 1 || memcmp(p, name, n) || p[n] != ':')
        return NULL;
    p += n + 1;
    while (p < eol && (*p == ' ' || *p == '\t'))
        p++;
    const char *e = eol;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *vlen = (size_t)(e - p);
    return p;
}

typedef struct stanza {
    const char *pkg, *status, *version;
    size_t pkg_len, status_len, version_len;
} stanza;

static int installed(const stanza *s)
{
    static const char tail[] = " installed";
    size_t n = sizeof tail - 1;
    return s->status && s->status_len >= n &&
           memcmp(s->status + s->status_len - n, tail, n) == 0 &&
           s->status_len >= 7 && memcmp(s->status, "install", 7) == 0;
}

static int is_pkg(const stanza *s, const char *name)
{
    return s->pkg && s->pkg_len == strlen(name) &&
           memcmp(s->pkg, name, s->pkg_len) == 0;
}

/* Rank of a package as "the" cron: the first found by rank wins. */
enum { R_NONE, R_BUSYBOX, R_SYSTEMD, R_CRON, R_CRONIE };

static ms_err pick(ms_cron_dialect_info *out, int *best, int rank,
                   ms_cron_dialect d, const stanza *s, const char *source)
{
    if (rank <= *best)
        return MS_OK;
    *best = rank;
    free(out->version);
    free(out->why);
    out->version = clean_version(s->version ? s->version : "",
                                 s->version ? s->version_len : 0);
    if (!out->version)
        return MS_ERR_NOMEM;
    if (rank == R_CRONIE)
        d = ms_cron_dialect_cronie(out->version);
    out->dialect = d;
    char *pkg = clean_version(s->pkg, s->pkg_len);
    out->why = pkg ? ms_asprintf("%s lists package \"%s\" version \"%s\" "
                                 "as installed", source, pkg, out->version)
                   : NULL;
    free(pkg);
    return out->why ? MS_OK : MS_ERR_NOMEM;
}

static ms_err judge_stanza(const stanza *s, ms_cron_dialect_info *out,
                           int *best, const char *source)
{
    if (!installed(s))
        return MS_OK;
    if (is_pkg(s, "cronie"))
        return pick(out, best, R_CRONIE, MS_CRON_DIALECT_CRONIE_16, s,
                    source);
    if (is_pkg(s, "cron"))
        return pick(out, best, R_CRON, MS_CRON_DIALECT_DEBIAN, s, source);
    if (is_pkg(s, "systemd-cron"))
        return pick(out, best, R_SYSTEMD, MS_CRON_DIALECT_SYSTEMD_CRON, s,
                    source);
    if (is_pkg(s, "busybox-cron"))
        return pick(out, best, R_BUSYBOX, MS_CRON_DIALECT_BUSYBOX, s,
                    source);
    return MS_OK;
}

ms_err ms_cron_dialect_from_dpkg(const char *text, size_t len,
                                 ms_cron_dialect_info *out)
{
    stanza s = { 0 };
    const char *p = text, *end = text + len;
    int best = R_NONE;
    ms_err rc = MS_OK;

    if (!out || (!text && len))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    while (p < end && !rc) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t vl;
        const char *v;
        if (eol == p || (eol - p == 1 && *p == '\r')) {
            rc = judge_stanza(&s, out, &best, "dpkg status");
            memset(&s, 0, sizeof s);
        } else if ((v = field_value(p, eol, "Package", &vl))) {
            s.pkg = v, s.pkg_len = vl;
        } else if ((v = field_value(p, eol, "Status", &vl))) {
            s.status = v, s.status_len = vl;
        } else if ((v = field_value(p, eol, "Version", &vl))) {
            s.version = v, s.version_len = vl;
        }
        p = eol + 1;
    }
    if (!rc)
        rc = judge_stanza(&s, out, &best, "dpkg status");
    if (rc)
        ms_cron_dialect_info_clear(out);
    return rc;
}

/* ---- apk ---------------------------------------------------------------- */

ms_err ms_cron_dialect_from_apk(const char *text, size_t len,
                                ms_cron_dialect_info *out)
{
    const char *p = text, *end = text + len, *pkg = NULL, *ver = NULL;
    size_t pkg_len = 0, ver_len = 0;

    if (!out || (!text && len))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (eol - p >= 2 && p[0] == 'P' && p[1] == ':')
            pkg = p + 2, pkg_len = (size_t)(eol - p - 2), ver = NULL;
        else if (eol - p >= 2 && p[0] == 'V' && p[1] == ':')
            ver = p + 2, ver_len = (size_t)(eol - p - 2);
        if (pkg && ver && pkg_len == 6 && !memcmp(pkg, "cronie", 6)) {
            out->version = clean_version(ver, ver_len);
            if (!out->version)
                return MS_ERR_NOMEM;
            out->dialect = ms_cron_dialect_cronie(out->version);
            out->why = ms_asprintf("apk database lists package \"cronie\" "
                                   "version \"%s\"", out->version);
            return out->why ? MS_OK : MS_ERR_NOMEM;
        }
        p = eol + 1;
    }
    /* Alpine without cronie runs BusyBox's crond (its default) */
    out->dialect = MS_CRON_DIALECT_BUSYBOX;
    out->why = ms_strdup("apk database without a cron package: Alpine's "
                         "default BusyBox crond");
    return out->why ? MS_OK : MS_ERR_NOMEM;
}

/* ---- rpm database ------------------------------------------------------- */

typedef struct rpm_pick {
    int rank;                 /* 3 cronie, 2 cronie-anacron, 1 systemd-cron */
    ms_rpm_nvr nvr;
    ms_err err;
} rpm_pick;

static int rpm_rank(const char *name)
{
    if (!strcmp(name, "cronie"))
        return 3;
    if (!strcmp(name, "cronie-anacron"))
        return 2;
    if (!strcmp(name, "systemd-cron"))
        return 1;
    return 0;
}

static int rpm_cb(const ms_rpm_nvr *pkg, void *arg)
{
    rpm_pick *pk = arg;
    int r = rpm_rank(pkg->name);
    if (r <= pk->rank)
        return 0;
    ms_rpm_nvr_clear(&pk->nvr);
    pk->nvr.name = ms_strdup(pkg->name);
    pk->nvr.version = ms_strdup(pkg->version);
    pk->nvr.release = pkg->release ? ms_strdup(pkg->release) : NULL;
    if (!pk->nvr.name || !pk->nvr.version ||
        (pkg->release && !pk->nvr.release)) {
        pk->err = MS_ERR_NOMEM;
        return 1;
    }
    pk->rank = r;
    return r == 3;
}

ms_err ms_cron_dialect_from_rpmdb(const unsigned char *data, size_t len,
                                  const char *path,
                                  ms_cron_dialect_info *out)
{
    return ms_cron_dialect_from_rpmdb_wal(data, len, NULL, 0, path, out);
}

ms_err ms_cron_dialect_from_rpmdb_wal(const unsigned char *data, size_t len,
                                      const unsigned char *wal, size_t wlen,
                                      const char *path,
                                      ms_cron_dialect_info *out)
{
    static const char *const wanted[] = { "cronie", "cronie-anacron",
                                          "systemd-cron", NULL };
    rpm_pick pk = { 0 };
    const char *how, *why = NULL, *walwhy = NULL;
    char *howbuf = NULL;
    uint8_t *merged = NULL;
    size_t mlen = 0;
    unsigned frames = 0;
    ms_err rc = MS_OK;

    if (!out || (!data && len) || !path || (!wal && wlen))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (len >= 16 && memcmp(data, "SQLite format 3", 16) == 0) {
        /* rpm keeps the database in WAL mode: its newest packages may be
         * only in the -wal file until a checkpoint */
        if (wal) {
            rc = ms_rpmdb_wal_apply(data, len, wal, wlen,
                                    MS_DIALECT_RPMDB_MAX, &merged, &mlen,
                                    &frames, &walwhy);
            if (rc == MS_ERR_FORMAT)
                rc = MS_OK;
            if (rc)
                goto _exit;
        }
        howbuf = !wal ? ms_strdup("SQLite; no -wal file beside it")
                 : merged ? ms_asprintf("SQLite, with the %u committed "
                                        "frames of its -wal file applied in "
                                        "memory", frames)
                 : ms_asprintf("SQLite; its -wal file was NOT applied (%s): "
                               "changes not yet checkpointed are missed",
                               walwhy ? walwhy : "unreadable");
        if (!howbuf) {
            rc = MS_ERR_NOMEM;
            goto _exit;
        }
        how = howbuf;
        rc = merged ? ms_rpmdb_sqlite_each(merged, mlen, rpm_cb, &pk, &why)
                    : ms_rpmdb_sqlite_each(data, len, rpm_cb, &pk, &why);
        if (rc == MS_ERR_FORMAT)
            rc = MS_OK;          /* unreadable: nothing found */
        if (!rc)
            rc = pk.err;
    } else {
        how = "scanned for header blobs, not parsed as a database";
        for (size_t i = 0; wanted[i] && !rc && !pk.rank; i++) {
            int found = 0;
            rc = ms_rpmdb_scan_for(data, len, wanted[i], &pk.nvr, &found);
            if (found)
                pk.rank = rpm_rank(wanted[i]);
        }
    }
    if (rc)
        goto _exit;
    if (!pk.rank)
        goto _none;
    out->version = clean_version(pk.nvr.version, strlen(pk.nvr.version));
    if (!out->version) {
        rc = MS_ERR_NOMEM;
        goto _exit;
    }
    out->dialect = pk.rank == 1 ? MS_CRON_DIALECT_SYSTEMD_CRON
                                : ms_cron_dialect_cronie(out->version);
    out->why = ms_asprintf("rpm database %s (%s) lists package \"%s\" "
                           "version \"%s\" release \"%s\"%s", path, how,
                           pk.nvr.name, pk.nvr.version,
                           pk.nvr.release ? pk.nvr.release : "",
                           pk.rank == 2 ? " (cronie's anacron: the same "
                           "source and version as cronie)" : "");
    if (!out->why)
        rc = MS_ERR_NOMEM;
    goto _exit;
_none:
    /* nothing found: how it was read still tells the examiner why */
    if (!rc && !pk.rank && !(out->why = ms_asprintf("rpm database %s (%s%s%s) "
                                                  "shows no cron package",
                                                  path, how, why ? ": " : "",
                                                  why ? why : "")))
        rc = MS_ERR_NOMEM;
_exit:
    ms_rpm_nvr_clear(&pk.nvr);
    free(howbuf);
    free(merged);
    if (rc)
        ms_cron_dialect_info_clear(out);
    return rc;
}

/* ---- daemon binary ------------------------------------------------------ */

ms_err ms_cron_dialect_from_binary(const unsigned char *data, size_t len,
                                   ms_cron_dialect_info *out)
{
    static const char tag[] = "cronie ";
    const size_t n = sizeof tag - 1;

    if (!out || (!data && len))
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; len >= n && i + n < len; i++) {
        if (data[i] != 'c' || memcmp(data + i, tag, n) ||
            !isdigit(data[i + n]))
            continue;
        size_t j = i + n;
        while (j < len && (isdigit(data[j]) || data[j] == '.') &&
               j - i - n < VERSION_MAX)
            j++;
        if (j >= len || data[j] != '\0')
            continue;      /* PACKAGE_STRING is a C string */
        out->version = clean_version((const char *)data + i + n, j - i - n);
        if (!out->version)
            return MS_ERR_NOMEM;
        out->dialect = ms_cron_dialect_cronie(out->version);
        return MS_OK;
    }
    return MS_OK;
}

/* ---- the file system ---------------------------------------------------- */

/* Read at most max bytes of path; NULL when absent or unreadable. */
static char *read_small(ms_fs *fs, const char *path, size_t max,
                        size_t *len, ms_err *err)
{
    ms_fs_file *f = NULL;
    ms_fileref ref = { 0 };
    char *buf = NULL;
    size_t got = 0;

    *len = 0;
    if (ms_fs_open(fs, path, &f) != MS_OK)
        return NULL;
    ms_fs_file_stat(f, &ref);
    if (ref.type != MS_FT_REG || ref.deleted)
        goto _exit;
    size_t want = ref.size < max ? (size_t)ref.size : max;
    if (!(buf = malloc(want + 1))) {
        *err = MS_ERR_NOMEM;
        goto _exit;
    }
    while (got < want) {
        ssize_t r = ms_fs_file_read(f, got, buf + got, want - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *len = got;
_exit:
    free(ref.path);
    ms_fs_file_close(f);
    return buf;
}

/* The lines of a package database in text form (dpkg status, apk's
 * installed) that say which packages are installed: the fields named in
 * `keys` and the blank lines between stanzas.  Read whole, line by line
 * (artifacts/textfile.h), so that padding before the cron package's
 * stanza cannot hide it; at most `max` bytes of those lines are kept.
 * NULL when absent. */
typedef struct fields_ctx {
    const char *const *keys;
    ms_buf b;
    size_t max;
    int nomem;
} fields_ctx;

static int keep_field(void *user, const ms_line *l)
{
    fields_ctx *c = user;
    size_t n = strlen(l->data);       /* up to the first NUL */
    int blank = n == 0 || (n == 1 && l->data[0] == '\r');
    int want = blank;
    for (size_t i = 0; c->keys[i] && !want; i++)
        want = !strncmp(l->data, c->keys[i], strlen(c->keys[i]));
    if (!want || l->len > MS_TEXT_LONG_LINE || l->ctrl ||
        c->b.len + n + 1 > c->max ||
        (blank && (c->b.len == 0 || (c->b.len >= 2 &&
                                     c->b.data[c->b.len - 2] == '\n'))))
        return 0;
    c->nomem = ms_buf_append(&c->b, l->data, n) != MS_OK ||
               ms_buf_append(&c->b, "\n", 1) != MS_OK;
    return c->nomem;
}

static char *read_fields(ms_fs *fs, const char *path,
                         const char *const *keys, size_t max, size_t *len,
                         ms_err *err)
{
    fields_ctx c = { keys, { NULL, 0, 0 }, max, 0 };
    ms_err rc = ms_textfile_read(fs, path, MS_TEXT_LONG_LINE + 1, keep_field,
                                 &c, NULL);
    *len = 0;
    if (rc != MS_OK) {
        if (rc == MS_ERR_NOMEM || c.nomem)
            *err = MS_ERR_NOMEM;
        ms_buf_free(&c.b);
        return NULL;
    }
    *len = c.b.len;
    return c.b.data ? ms_buf_steal(&c.b) : ms_strdup("");
}

int ms_passwd_has_user(const char *text, size_t len, const char *user)
{
    size_t n = user ? strlen(user) : 0;
    const char *p = text, *end = text + len;
    if (!text || !n)
        return 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) > n && p[n] == ':' && !memcmp(p, user, n))
            return 1;
        p = eol + 1;
    }
    return 0;
}

/* "name:" of each /etc/passwd line, as getpwnam() would compare it. */
typedef struct names_ctx {
    ms_buf b;
    int capped, nomem;
} names_ctx;

static int keep_name(void *user, const ms_line *l)
{
    names_ctx *c = user;
    const char *colon = memchr(l->data, ':', strnlen(l->data, l->kept));
    if (!colon || colon == l->data)
        return 0;                 /* junk or an empty name: no user */
    size_t n = (size_t)(colon - l->data) + 1;
    if (c->b.len + n + 1 > MS_DIALECT_PASSWD_MAX) {
        c->capped = 1;
        return 1;
    }
    c->nomem = ms_buf_append(&c->b, l->data, n) != MS_OK ||
               ms_buf_append(&c->b, "\n", 1) != MS_OK;
    return c->nomem;
}

/* Read whole, line by line, keeping only the names: padding before a
 * user's line must not make that user "unknown" (BusyBox would then
 * drop a crontab that its crond runs). */
char *ms_cron_read_passwd(ms_fs *fs, size_t *len, ms_err *err)
{
    names_ctx c = { { NULL, 0, 0 }, 0, 0 };
    ms_err rc = ms_textfile_read(fs, "/etc/passwd", MS_TEXT_LONG_LINE + 1,
                                 keep_name, &c, NULL);
    *len = 0;
    if (c.nomem || rc == MS_ERR_NOMEM)
        *err = MS_ERR_NOMEM;
    /* unreadable, or more names than any real system has: no check */
    if (c.nomem || c.capped || (rc != MS_OK && rc != MS_ERR_INTERNAL)) {
        ms_buf_free(&c.b);
        return NULL;
    }
    *len = c.b.len;
    return c.b.data ? ms_buf_steal(&c.b) : ms_strdup("");
}

static ms_err try_binary(ms_fs *fs, const char *path,
                         ms_cron_dialect_info *out, int *found)
{
    ms_err rc = MS_OK;
    size_t len;
    char *data = read_small(fs, path, MS_DIALECT_BIN_MAX, &len, &rc);
    ms_cron_dialect_info b;

    *found = 0;
    if (!data)
        return rc;
    rc = ms_cron_dialect_from_binary((unsigned char *)data, len, &b);
    free(data);
    if (rc || b.dialect == MS_CRON_DIALECT_UNKNOWN) {
        ms_cron_dialect_info_clear(&b);
        return rc;
    }
    b.why = ms_asprintf("%s holds cronie's version string \"cronie %s\" "
                        "(no rpm database with a cron package was found)",
                        path, b.version);
    if (!b.why) {
        ms_cron_dialect_info_clear(&b);
        return MS_ERR_NOMEM;
    }
    *out = b;
    *found = 1;
    return MS_OK;
}

static int is_type(ms_fs *fs, const char *path, enum ms_ftype type)
{
    ms_fs_file *f = NULL;
    ms_fileref ref = { 0 };
    if (ms_fs_open(fs, path, &f) != MS_OK)
        return 0;
    ms_fs_file_stat(f, &ref);
    ms_fs_file_close(f);
    return ref.type == type && !ref.deleted;
}

/* Append one sentence to *note ("; " between). */
static ms_err note_rpm(char **note, const char *text)
{
    char *n = *note ? ms_asprintf("%s; %s", *note, text) : ms_strdup(text);
    if (!n)
        return MS_ERR_NOMEM;
    free(*note);
    *note = n;
    return MS_OK;
}

ms_err ms_cron_dialect_detect(ms_fs *fs, ms_cron_dialect_info *out)
{
    char *rpm_note = NULL;
    static const char *const daemons[] = { "/usr/sbin/crond",
                                           "/usr/sbin/cron", NULL };
    /* rpm >= 4.16 SQLite (two homes), then Berkeley DB and ndb */
    static const char *const rpmdbs[] = {
        "/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite",
        "/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db",
        "/usr/lib/sysimage/rpm/Packages.db", NULL };
    ms_err rc = MS_OK;
    size_t len;
    char *text;
    int found = 0;

    if (!out)
        return MS_ERR_ARG;
    memset(out, 0, sizeof *out);
    static const char *const dpkg_keys[] = { "Package:", "Status:",
                                             "Version:", NULL };
    static const char *const apk_keys[] = { "P:", "V:", NULL };
    text = read_fields(fs, "/var/lib/dpkg/status", dpkg_keys,
                       MS_DIALECT_DPKG_MAX, &len, &rc);
    if (text) {
        rc = ms_cron_dialect_from_dpkg(text, len, out);
        free(text);
        if (rc || out->dialect != MS_CRON_DIALECT_UNKNOWN)
            return rc;
        ms_cron_dialect_info_clear(out);
    }
    if (rc)
        return rc;
    text = read_fields(fs, "/lib/apk/db/installed", apk_keys,
                       MS_DIALECT_DPKG_MAX, &len, &rc);
    if (text) {
        rc = ms_cron_dialect_from_apk(text, len, out);
        free(text);
        return rc;
    }
    for (size_t i = 0; rpmdbs[i] && !rc; i++) {
        text = read_small(fs, rpmdbs[i], MS_DIALECT_RPMDB_MAX, &len, &rc);
        if (!text)
            continue;
        char *walpath = ms_asprintf("%s-wal", rpmdbs[i]), *wal = NULL;
        size_t wlen = 0;
        if (!walpath)
            rc = MS_ERR_NOMEM;
        else if (strstr(rpmdbs[i], ".sqlite"))
            wal = read_small(fs, walpath, MS_DIALECT_RPMDB_MAX, &wlen, &rc);
        free(walpath);
        if (!rc)
            rc = ms_cron_dialect_from_rpmdb_wal((unsigned char *)text, len,
                                                (unsigned char *)wal, wlen,
                                                rpmdbs[i], out);
        free(text);
        free(wal);
        if (rc || out->dialect != MS_CRON_DIALECT_UNKNOWN)
            goto _exit;
        /* no cron in it: keep how it was read for the final words */
        if (out->why && (rc = note_rpm(&rpm_note, out->why)))
            goto _exit;
        ms_cron_dialect_info_clear(out);
    }
    for (size_t i = 0; daemons[i] && !rc && !found; i++)
        rc = try_binary(fs, daemons[i], out, &found);
    if (rc || found)
        goto _exit;
    /* Debian's cron binary has no version string; without dpkg's status
     * (a separate /var) its package's documentation directory and the
     * daemon's name still say which cron this is */
    if (is_type(fs, "/usr/share/doc/cron", MS_FT_DIR) &&
        is_type(fs, "/usr/sbin/cron", MS_FT_REG)) {
        out->dialect = MS_CRON_DIALECT_DEBIAN;
        out->why = ms_strdup("no dpkg status on this file system, but "
                             "/usr/share/doc/cron (Debian's cron package) and "
                             "/usr/sbin/cron exist");
        rc = out->why ? MS_OK : MS_ERR_NOMEM;
        goto _exit;
    }
    text = read_small(fs, "/bin/freebsd-version", 64 * 1024, &len, &rc);
    if (text) {
        free(text);
        out->dialect = MS_CRON_DIALECT_FREEBSD;
        out->why = ms_strdup("/bin/freebsd-version exists: FreeBSD's cron");
        rc = out->why ? MS_OK : MS_ERR_NOMEM;
        goto _exit;
    }
    if (rc)
        goto _exit;
    out->dialect = MS_CRON_DIALECT_UNKNOWN;
    out->why = ms_strdup("no dpkg, apk or rpm record of a cron package, no "
                         "cronie version string in /usr/sbin/crond or "
                         "/usr/sbin/cron, not FreeBSD");
    rc = out->why ? MS_OK : MS_ERR_NOMEM;
_exit:
    /* the rpm databases that named no cron are part of the evidence */
    if (!rc && rpm_note && out->why) {
        char *w = ms_asprintf("%s; %s", out->why, rpm_note);
        if (!w)
            rc = MS_ERR_NOMEM;
        else {
            free(out->why);
            out->why = w;
        }
    }
    free(rpm_note);
    if (rc)
        ms_cron_dialect_info_clear(out);
    return rc;
}

int ms_cron_file_ignored(ms_cron_dialect d, const char *name, int in_crond,
                         int system, unsigned mode, unsigned uid,
                         const char **why)
{
    static const char *const suffixes[] = { ".rpmsave", ".rpmorig",
                                            ".rpmnew", NULL };
    const char *dummy;
    size_t n = name ? strlen(name) : 0;

    if (!why)
        why = &dummy;
    *why = NULL;
    if (d == MS_CRON_DIALECT_CRONIE_15 || d == MS_CRON_DIALECT_CRONIE_16) {
        if (in_crond && n && (name[0] == '.' || name[0] == '#' ||
                              name[n - 1] == '~')) {
            *why = "cronie skips files in /etc/cron.d whose names start "
                   "with '.' or '#' or end in '~'";
            return 1;
        }
        for (size_t i = 0; in_crond && suffixes[i]; i++) {
            size_t k = strlen(suffixes[i]);
            if (n > k && strcmp(name + n - k, suffixes[i]) == 0) {
                *why = "cronie skips files in /etc/cron.d ending in "
                       ".rpmsave, .rpmorig or .rpmnew";
                return 1;
            }
        }
        if ((mode & 07533) != 0400) {
            *why = "cronie refuses the file (\"BAD FILE MODE\": it must be "
                   "readable by its owner and neither executable, set-id, "
                   "nor writable by group or others)";
            return 1;
        }
        if (system && uid != 0) {
            *why = "cronie refuses the file (\"WRONG FILE OWNER\": a system "
                   "crontab must be owned by root)";
            return 1;
        }
        return 0;
    }
    if (d == MS_CRON_DIALECT_BUSYBOX) {
        /* crond.c: only the files of its crontabs directory
         * (rescan_crontab_dir: names without '.'; load_crontab: owned by
         * root, "sbuf.st_uid == DAEMON_UID") */
        if (system) {
            *why = "BusyBox crond reads only its crontabs directory "
                   "(/var/spool/cron/crontabs, Alpine's /etc/crontabs, or "
                   "crond -c DIR), never /etc/crontab or /etc/cron.d";
            return 1;
        }
        if (memchr(name ? name : "", '.', n)) {
            *why = "BusyBox crond skips crontab files whose names hold a "
                   "'.'";
            return 1;
        }
        if (uid != 0) {
            *why = "BusyBox crond loads a crontab only when root owns the "
                   "file";
            return 1;
        }
        return 0;
    }
    if (d == MS_CRON_DIALECT_DEBIAN && in_crond) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)name[i];
            if (!(c < 128 && (isalnum(c) || c == '_' || c == '-'))) {
                *why = "Debian's cron skips files in /etc/cron.d whose "
                       "names have characters other than letters, digits, "
                       "'_' and '-' (cron(8))";
                return 1;
            }
        }
    }
    return 0;
}
