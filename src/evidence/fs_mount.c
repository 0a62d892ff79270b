#include "evidence/fs_mount.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

/* The view shares the backend's state (impl) and file operations: only
 * the calls that take a path are translated, so files opened through the
 * view are ordinary backend files. */
typedef struct mount_view {
    ms_fs fs;                   /* first: the ops receive &view->fs */
    ms_fs_ops ops;              /* the backend's, with overrides */
    const ms_fs_ops *inner_ops;
    char  *prefix;
    size_t plen;
} mount_view;

static void view_close(ms_fs *fs);

static const mount_view *as_view(const ms_fs *fs)
{
    return fs->ops->close == view_close ? (const mount_view *)fs : NULL;
}

/* System path -> path inside the file system, or NULL if outside.  The
 * result points into `path` or is the static "/". */
static const char *inside(const mount_view *v, const char *path)
{
    if (strncmp(path, v->prefix, v->plen) != 0)
        return NULL;
    if (path[v->plen] == '\0')
        return "/";
    return path[v->plen] == '/' ? path + v->plen : NULL;
}

static ms_err view_open_path(ms_fs *fs, const char *path, ms_fs_file **out)
{
    const mount_view *v = as_view(fs);
    const char *p = inside(v, path);
    return p ? v->inner_ops->open_path(fs, p, out) : MS_ERR_NOT_FOUND;
}

static ms_err view_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                            void *user, size_t max_entries)
{
    const mount_view *v = as_view(fs);
    const char *p = inside(v, path);
    return p ? v->inner_ops->list_dir(fs, p, cb, user, max_entries)
             : MS_ERR_NOT_FOUND;
}

static void view_close(ms_fs *fs)
{
    mount_view *v = (mount_view *)fs;
    free(v->prefix);
    free(v);
}

ms_err ms_fs_mount_view(ms_fs *inner, const char *prefix, ms_fs **out)
{
    *out = NULL;
    if (!prefix || prefix[0] != '/' || !prefix[1] ||
        prefix[strlen(prefix) - 1] == '/')
        return MS_ERR_ARG;
    mount_view *v = calloc(1, sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    v->prefix = ms_strdup(prefix);
    if (!v->prefix) {
        free(v);
        return MS_ERR_NOMEM;
    }
    v->plen = strlen(prefix);
    v->inner_ops = inner->ops;
    v->ops = *inner->ops;
    v->ops.open_path = view_open_path;
    v->ops.list_dir = view_list_dir;
    v->ops.close = view_close;
    v->fs.ops = &v->ops;
    v->fs.impl = inner->impl;
    *out = &v->fs;
    return MS_OK;
}

typedef struct root_names {
    unsigned seen;
} root_names;

enum { N_SPOOL = 1, N_LOG = 2, N_LIB = 4, N_CACHE = 8, N_TMP = 16,
       N_ETC = 32, N_USR = 64, N_BIN = 128 };

static int note_name(void *user, ms_fs_file *f, const char *name, size_t len)
{
    static const struct { const char *n; unsigned bit; } names[] = {
        { "spool", N_SPOOL }, { "log", N_LOG }, { "lib", N_LIB },
        { "cache", N_CACHE }, { "tmp", N_TMP }, { "etc", N_ETC },
        { "usr", N_USR }, { "bin", N_BIN },
    };
    root_names *r = user;
    ms_fileref ref = {0};
    ms_fs_file_stat(f, &ref);
    if (ref.deleted || ref.type != MS_FT_DIR)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].n) == len && !memcmp(name, names[i].n, len))
            r->seen |= names[i].bit;
    return 0;
}

const char *ms_fs_guess_mount(ms_fs *fs)
{
    root_names r = {0};
    /* the root of a real /var has a few dozen entries at most */
    if (ms_fs_list_dir(fs, "/", note_name, &r, 4096) != MS_OK)
        return NULL;
    if ((r.seen & N_SPOOL) && (r.seen & (N_LOG | N_LIB | N_CACHE | N_TMP)) &&
        !(r.seen & (N_ETC | N_USR | N_BIN)))
        return "/var";
    return NULL;
}

int ms_fs_covers(const ms_fs *fs, const char *path)
{
    const mount_view *v = as_view(fs);
    return !v || inside(v, path) != NULL;
}

const char *ms_fs_mount_point(const ms_fs *fs)
{
    const mount_view *v = as_view(fs);
    return v ? v->prefix : "/";
}
