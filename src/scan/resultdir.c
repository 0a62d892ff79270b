/* resultdir.c - see resultdir.h. */
#include "scan/resultdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ms_mem.h"

#define NAME_BASE_MAX 48

char *ms_resultdir_name(const ms_imgid *id)
{
    const char *p = id->nfiles ? id->files[0].path : "image";
    const char *slash = strrchr(p, '/');
    char base[NAME_BASE_MAX + 1];
    size_t n = 0;
    for (p = slash ? slash + 1 : p; *p && n < NAME_BASE_MAX; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        base[n++] = ok ? c : '_';
    }
    base[n] = '\0';
    /* never ".", "..", or a name starting with '.' (hidden, or .tmp-) */
    if (n == 0 || base[0] == '.')
        base[0] = '_';
    if (n == 0)
        base[1] = '\0';
    return ms_asprintf("%s-%.24s", base, id->id);
}

json_t *ms_resultdir_identity_json(const ms_imgid *id, const char *sample,
                                   uint64_t media_size)
{
    json_t *o = json_object(), *files = json_array();
    char *name = ms_resultdir_name(id);
    if (!o || !files || !name)
        goto _fail;
    for (size_t i = 0; i < id->nfiles; i++) {
        const ms_imgid_file *f = &id->files[i];
        json_t *x = json_pack("{s:s, s:I, s:I, s:s, s:s}",
                              "path", f->path, "size", (json_int_t)f->size,
                              "mtime_ns", (json_int_t)f->mtime_ns,
                              "head_sha256", f->head_sha256,
                              "tail_sha256", f->tail_sha256);
        if (!x || json_array_append_new(files, x))
            goto _fail;
    }
    if (json_object_set_new(o, "identity_version",
                            json_integer(MS_IMGID_VERSION)) ||
        json_object_set_new(o, "id", json_string(id->id)) ||
        json_object_set_new(o, "name", json_string(name)) ||
        json_object_set_new(o, "files", files))
        goto _fail_nofiles;
    files = NULL;
    if (json_object_set_new(o, "media_size", json_integer((json_int_t)media_size)) ||
        json_object_set_new(o, "media_sample_sha256",
                            sample && *sample ? json_string(sample)
                                              : json_null()))
        goto _fail;
    free(name);
    return o;
_fail:
    json_decref(files);
_fail_nofiles:
    json_decref(o);
    free(name);
    return NULL;
}

/* ---- the temporary directory ------------------------------------------ */

static void host_name(char *buf, size_t len)
{
    if (gethostname(buf, len) != 0)
        snprintf(buf, len, "host");
    buf[len - 1] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == '/' || *p == '-' || *p == '.')
            *p = '_';
}

static void remove_flat(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            (void)unlinkat(dirfd(d), e->d_name, 0);
        }
        closedir(d);
    }
    (void)rmdir(path);
}

void ms_resultdir_sweep(const char *dir, pid_t pid)
{
    char host[64], prefix[96];
    host_name(host, sizeof host);
    snprintf(prefix, sizeof prefix, ".tmp-%s-", host);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    size_t budget = 1000000;   /* bound the walk of a hostile directory */
    while ((e = readdir(d)) != NULL && budget--) {
        if (strncmp(e->d_name, prefix, strlen(prefix)))
            continue;
        char *end = NULL;
        long p = strtol(e->d_name + strlen(prefix), &end, 10);
        if (!end || *end != '-' || p <= 0)
            continue;
        if (pid > 0 ? p != pid : (kill((pid_t)p, 0) == 0 || errno != ESRCH))
            continue;
        char *path = ms_asprintf("%s/%s", dir, e->d_name);
        if (path)
            remove_flat(path);
        free(path);
    }
    closedir(d);
}

static char *make_tmp(const char *dir, char **err_text)
{
    char host[64];
    host_name(host, sizeof host);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        *err_text = ms_asprintf("cannot create results directory '%s': %s",
                                dir, strerror(errno));
        return NULL;
    }
    char *tmp = ms_asprintf("%s/.tmp-%s-%ld-XXXXXX", dir, host,
                            (long)getpid());
    if (!tmp)
        return NULL;
    if (!mkdtemp(tmp)) {
        *err_text = ms_asprintf("cannot create a directory in '%s': %s",
                                dir, strerror(errno));
        free(tmp);
        return NULL;
    }
    /* mkdtemp makes 0700; a result is an ordinary output */
    mode_t um = umask(0);
    umask(um);
    (void)chmod(tmp, 0777 & ~um);
    return tmp;
}

/* Open tmp/name for writing with the umask's mode. */
static FILE *open_in(const char *tmp, const char *name)
{
    char *p = ms_asprintf("%s/%s", tmp, name);
    FILE *fp = p ? fopen(p, "wx") : NULL;
    free(p);
    return fp;
}

static int close_synced(FILE *fp, int ok)
{
    if (!fp)
        return -1;
    ok = ok && fflush(fp) == 0 && !ferror(fp) && fsync(fileno(fp)) == 0;
    if (fclose(fp) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int write_json_file(const char *tmp, const char *name, json_t *j)
{
    FILE *fp = open_in(tmp, name);
    if (!fp)
        return -1;
    int ok = j && json_dumpf(j, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
             && fputc('\n', fp) != EOF;
    return close_synced(fp, ok);
}

/* Move tmp to dir/name: a plain rename when name is free, else an atomic
 * exchange with the old result, which is then removed. */
static ms_err commit(const char *dir, const char *tmp, const char *name,
                     char **err_text)
{
    char *final = ms_asprintf("%s/%s", dir, name);
    ms_err rc = MS_ERR_IO;
    if (!final)
        return MS_ERR_NOMEM;
    int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    if (rename(tmp, final) == 0) {
        rc = MS_OK;
    } else if (errno == ENOTEMPTY || errno == EEXIST) {
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
            remove_flat(tmp);       /* now holds the old result */
            rc = MS_OK;
        }
    }
    if (rc != MS_OK)
        *err_text = ms_asprintf("cannot move the result into '%s': %s",
                                final, strerror(errno));
    else if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(final);
    return rc;
}

ms_err ms_resultdir_write(const char *dir, const ms_imgid *id,
                          const char *media_sample, uint64_t media_size,
                          const ms_scan *scan, const ms_report_info *info,
                          const ms_report_format *formats, size_t nformats,
                          char **name_out, char **err_text)
{
    ms_err rc = MS_ERR_IO;
    char *name = ms_resultdir_name(id);
    char *tmp = name ? make_tmp(dir, err_text) : NULL;
    json_t *ident = NULL;
    if (!name || !tmp) {
        rc = name ? MS_ERR_IO : MS_ERR_NOMEM;
        goto _exit;
    }
    ms_report_format all[MS_REPORT_FORMAT_MAX + 1];
    size_t n = 0;
    all[n++] = MS_REPORT_JSON;
    for (size_t i = 0; i < nformats && n < MS_REPORT_FORMAT_MAX + 1; i++)
        if (formats[i] != MS_REPORT_JSON)
            all[n++] = formats[i];
    for (size_t i = 0; i < n; i++) {
        FILE *fp = open_in(tmp, ms_report_format_filename(all[i]));
        int ok = fp && ms_report_write(fp, all[i], scan, info) == MS_OK;
        if (close_synced(fp, ok)) {
            *err_text = ms_asprintf("cannot write %s in '%s'",
                                    ms_report_format_filename(all[i]), tmp);
            goto _exit;
        }
    }
    /* identity.json last: a result directory with it is complete */
    ident = ms_resultdir_identity_json(id, media_sample, media_size);
    if (write_json_file(tmp, "identity.json", ident)) {
        *err_text = ms_asprintf("cannot write identity.json in '%s'", tmp);
        goto _exit;
    }
    if ((rc = commit(dir, tmp, name, err_text)) != MS_OK)
        goto _exit;
    free(tmp);
    tmp = NULL;
    if (name_out) {
        *name_out = name;
        name = NULL;
    }
_exit:
    if (tmp)
        remove_flat(tmp);
    free(tmp);
    free(name);
    json_decref(ident);
    return rc;
}

ms_err ms_resultdir_write_duplicate(const char *dir, const ms_imgid *id,
                                    const char *media_sample,
                                    uint64_t media_size, json_t *dup,
                                    char **err_text)
{
    ms_err rc = MS_ERR_IO;
    char *name = ms_resultdir_name(id);
    char *tmp = name ? make_tmp(dir, err_text) : NULL;
    json_t *ident = NULL;
    if (!name || !tmp)
        goto _exit;
    ident = ms_resultdir_identity_json(id, media_sample, media_size);
    if (write_json_file(tmp, "duplicate.json", dup) ||
        write_json_file(tmp, "identity.json", ident)) {
        *err_text = ms_asprintf("cannot write a duplicate record in '%s'", tmp);
        goto _exit;
    }
    if ((rc = commit(dir, tmp, name, err_text)) != MS_OK)
        goto _exit;
    free(tmp);
    tmp = NULL;
_exit:
    if (tmp)
        remove_flat(tmp);
    free(tmp);
    free(name);
    json_decref(ident);
    return rc;
}

int ms_resultdir_matches(const char *dir, const char *name, const char *id)
{
    char *p = ms_asprintf("%s/%s/identity.json", dir, name);
    char *r = ms_asprintf("%s/%s/report.json", dir, name);
    char *d = ms_asprintf("%s/%s/duplicate.json", dir, name);
    int ok = 0;
    if (p && r && d && (access(r, R_OK) == 0 || access(d, R_OK) == 0)) {
        json_t *j = json_load_file(p, 0, NULL);
        const char *sid = json_string_value(json_object_get(j, "id"));
        ok = sid && !strcmp(sid, id);
        json_decref(j);
    }
    free(p);
    free(r);
    free(d);
    return ok;
}
