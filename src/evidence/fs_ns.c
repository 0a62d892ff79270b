/* fs_ns.c - one namespace over several mounted file systems. */
#include "evidence/fs_ns.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

typedef struct ns_mount {
    char  *point;      /* normalized, "/" for the root */
    size_t plen;
    ms_fs *fs;         /* NULL: bind or absent */
    int    volume;
    char  *bind_src;   /* bind mount source (namespace path) */
    char  *absent;     /* why nothing of the image is here */
    int    shadow;     /* tmpfs: lookups fall through */
} ns_mount;

typedef struct ns_fs {
    ms_fs     fs;      /* first: the ops receive &ns->fs */
    ms_fs_ops ops;
    ns_mount *m;
    size_t    n;
} ns_fs;

static void ns_close(ms_fs *fs);

static ns_fs *as_ns(const ms_fs *fs)
{
    return fs && fs->ops && fs->ops->close == ns_close ? (ns_fs *)fs : NULL;
}

/* Length of `point` as a component prefix of path, or 0 if it is none
 * ("/" matches everything with length 1). */
static size_t prefix_len(const ns_mount *m, const char *path)
{
    if (m->plen == 1)
        return 1;
    if (strncmp(path, m->point, m->plen) != 0)
        return 0;
    return path[m->plen] == '\0' || path[m->plen] == '/' ? m->plen : 0;
}

/* The mount covering path; later mounts win ties.  skip_shadow: tmpfs
 * entries are transparent. */
static const ns_mount *find(const ns_fs *ns, const char *path, int skip_shadow)
{
    const ns_mount *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < ns->n; i++) {
        const ns_mount *m = &ns->m[i];
        if (skip_shadow && m->shadow)
            continue;
        size_t l = prefix_len(m, path);
        if (l && l >= bl) {
            best = m;
            bl = l;
        }
    }
    return best;
}

/* Resolve path to (mount with a file system, path inside it); *buf holds
 * a rewritten path for bind mounts (caller frees). */
static const ns_mount *route(const ns_fs *ns, const char *path,
                             const char **inner, char **buf)
{
    *buf = NULL;
    for (int hop = 0; hop <= MS_NS_MAX_BIND_HOPS; hop++) {
        const ns_mount *m = find(ns, path, 1);
        if (!m || m->absent)
            return NULL;
        const char *rest = m->plen == 1 ? path : path + m->plen;
        if (m->bind_src) {
            char *p = ms_asprintf("%s%s", strcmp(m->bind_src, "/") ? m->bind_src
                                                                  : "",
                                  *rest ? rest : (strcmp(m->bind_src, "/")
                                                  ? "" : "/"));
            free(*buf);
            *buf = p;
            if (!p)
                return NULL;
            path = p;
            continue;
        }
        *inner = *rest ? rest : "/";
        return m;
    }
    free(*buf);
    *buf = NULL;
    return NULL;
}

static ms_err ns_open_path(ms_fs *fs, const char *path, ms_fs_file **out)
{
    char *buf;
    const char *in;
    const ns_mount *m = route(as_ns(fs), path, &in, &buf);
    ms_err rc = m ? ms_fs_open(m->fs, in, out) : MS_ERR_NOT_FOUND;
    free(buf);
    return rc;
}

static ms_err ns_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                          void *user, size_t max_entries)
{
    char *buf;
    const char *in;
    const ns_mount *m = route(as_ns(fs), path, &in, &buf);
    ms_err rc = m ? ms_fs_list_dir(m->fs, in, cb, user, max_entries)
                  : MS_ERR_NOT_FOUND;
    free(buf);
    return rc;
}

static const ns_mount *root_of(const ns_fs *ns)
{
    const ns_mount *m = find(ns, "/", 1);
    return m && m->fs && m->plen == 1 ? m : NULL;
}

static const char *ns_type(const ms_fs *fs)
{
    const ns_mount *r = root_of(as_ns(fs));
    return r ? ms_fs_type(r->fs) : "namespace";
}

static ms_err ns_open_inode(ms_fs *fs, uint64_t inode, ms_fs_file **out)
{
    const ns_mount *r = root_of(as_ns(fs));
    return r ? ms_fs_open_inode(r->fs, inode, out) : MS_ERR_NOT_FOUND;
}

static void ns_close(ms_fs *fs)
{
    ns_fs *ns = as_ns(fs);
    for (size_t i = 0; i < ns->n; i++) {
        free(ns->m[i].point);
        free(ns->m[i].bind_src);
        free(ns->m[i].absent);
    }
    free(ns->m);
    free(ns);
}

/* Only the calls that take a path or an inode are the namespace's; files
 * carry their own backend's ops. */
static void no_stat(const ms_fs_file *f, ms_fileref *ref)
{
    (void)f;
    (void)ref;
}
static ssize_t no_read(ms_fs_file *f, uint64_t off, void *b, size_t l)
{
    (void)f; (void)off; (void)b; (void)l;
    return -1;
}
static ms_err no_readlink(ms_fs_file *f, char **t)
{
    (void)f;
    *t = NULL;
    return MS_ERR_FORMAT;
}
static void no_close(ms_fs_file *f) { (void)f; }

ms_err ms_fs_ns_new(ms_fs **out)
{
    ns_fs *ns = calloc(1, sizeof *ns);
    *out = NULL;
    if (!ns)
        return MS_ERR_NOMEM;
    ns->ops.type_name = ns_type;
    ns->ops.open_path = ns_open_path;
    ns->ops.open_inode = ns_open_inode;
    ns->ops.list_dir = ns_list_dir;
    ns->ops.file_stat = no_stat;
    ns->ops.file_read = no_read;
    ns->ops.file_readlink = no_readlink;
    ns->ops.file_close = no_close;
    ns->ops.close = ns_close;
    ns->fs.ops = &ns->ops;
    ns->fs.impl = ns;
    *out = &ns->fs;
    return MS_OK;
}

/* Normalized copy of a mount point: "/" or "/a/b" without repeated or
 * trailing slashes; NULL for a relative or odd one. */
static char *norm_point(const char *p, int *bad)
{
    *bad = 1;
    if (!p || p[0] != '/')
        return NULL;
    size_t n = strlen(p);
    if (n > 4096)
        return NULL;
    *bad = 0;
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '/' && k && o[k - 1] == '/')
            continue;
        o[k++] = p[i];
    }
    while (k > 1 && o[k - 1] == '/')
        k--;
    o[k] = '\0';
    /* "." and ".." components have no place in a mount point */
    if (strstr(o, "/./") || strstr(o, "/../") ||
        (k >= 2 && !strcmp(o + k - 2, "/.")) ||
        (k >= 3 && !strcmp(o + k - 3, "/.."))) {
        free(o);
        *bad = 1;
        return NULL;
    }
    return o;
}

static ms_err add(ms_fs *fs, const char *point, ns_mount *tmpl)
{
    ns_fs *ns = as_ns(fs);
    if (!ns)
        return MS_ERR_ARG;
    if (ns->n >= MS_NS_MAX_MOUNTS)
        return MS_ERR_LIMIT;
    int bad;
    char *p = norm_point(point, &bad);
    if (!p)
        return bad ? MS_ERR_ARG : MS_ERR_NOMEM;
    ns_mount *m = realloc(ns->m, (ns->n + 1) * sizeof *m);
    if (!m) {
        free(p);
        return MS_ERR_NOMEM;
    }
    ns->m = m;
    tmpl->point = p;
    tmpl->plen = strlen(p);
    ns->m[ns->n++] = *tmpl;
    return MS_OK;
}

ms_err ms_fs_ns_mount(ms_fs *ns, const char *point, ms_fs *fs, int volume)
{
    if (!fs)
        return MS_ERR_ARG;
    ns_mount t = { .fs = fs, .volume = volume };
    return add(ns, point, &t);
}

ms_err ms_fs_ns_bind(ms_fs *ns, const char *point, const char *source)
{
    int bad;
    ns_mount t = { .volume = -1, .bind_src = norm_point(source, &bad) };
    if (!t.bind_src)
        return bad ? MS_ERR_ARG : MS_ERR_NOMEM;
    ms_err rc = add(ns, point, &t);
    if (rc)
        free(t.bind_src);
    return rc;
}

ms_err ms_fs_ns_absent(ms_fs *ns, const char *point, const char *why,
                       int shadow)
{
    ns_mount t = { .volume = -1, .absent = ms_strdup(why ? why : "not in "
                                                     "this image"),
                   .shadow = shadow };
    if (!t.absent)
        return MS_ERR_NOMEM;
    ms_err rc = add(ns, point, &t);
    if (rc)
        free(t.absent);
    return rc;
}

int ms_fs_is_ns(const ms_fs *fs)
{
    return as_ns(fs) != NULL;
}

int ms_fs_volume_at(const ms_fs *fs, const char *path, int dflt)
{
    const ns_fs *ns = as_ns(fs);
    if (!ns || !path)
        return dflt;
    char *buf;
    const char *in;
    const ns_mount *m = route(ns, path, &in, &buf);
    free(buf);
    return m ? m->volume : dflt;
}

const char *ms_fs_absent_at(const ms_fs *fs, const char *path)
{
    const ns_fs *ns = as_ns(fs);
    if (!ns || !path)
        return NULL;
    const ns_mount *m = find(ns, path, 0);
    return m && m->absent ? m->absent : NULL;
}

int ms_fs_absent_in_memory(const ms_fs *fs, const char *path)
{
    const ns_fs *ns = as_ns(fs);
    const ns_mount *m = ns && path ? find(ns, path, 0) : NULL;
    return m && m->absent && m->shadow;
}

ms_fs *ms_fs_at_volume(ms_fs *fs, int volume)
{
    const ns_fs *ns = as_ns(fs);
    for (size_t i = 0; ns && i < ns->n; i++)
        if (ns->m[i].fs && ns->m[i].volume == volume)
            return ns->m[i].fs;
    return fs;
}
