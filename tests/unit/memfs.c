/* memfs.c - see memfs.h.  Entries live in one growing array; the inode
 * number is the array index + 2 (2 is the root, as on ext). */
#include "memfs.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIME 1420876800 /* 2015-01-10T08:00:00Z */

typedef struct mentry {
    char    *path;          /* absolute, no trailing slash ("/" for root) */
    char    *parent;        /* parent's path; NULL for the root */
    const char *name;       /* points into path */
    enum ms_ftype type;
    uint8_t *data;          /* content, or symlink target */
    size_t   len;
    memfs_opts o;
} mentry;

typedef struct memfs {
    mentry *e;
    size_t  n, cap;
    size_t  list_calls, read_calls;
} memfs;

static memfs *M(const ms_fs *fs) { return fs->impl; }
static uint64_t ino_of(size_t i) { return (uint64_t)i + 2; }

static long find(const memfs *m, const char *path, int want_live)
{
    /* a live name wins over a deleted one with the same path */
    long hit = -1;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->e[i].path, path)) {
            if (!m->e[i].o.deleted)
                return (long)i;
            if (!want_live && hit < 0)
                hit = (long)i;
        }
    return hit;
}

static char *parent_of(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s || s == path)
        return strdup("/");
    return strndup(path, (size_t)(s - path));
}

static uint64_t add(memfs *m, const char *path, enum ms_ftype type,
                    const void *data, size_t len, const memfs_opts *o);

static int ensure_parent(memfs *m, const char *path)
{
    char *p = parent_of(path);
    int ok = p && (find(m, p, 1) >= 0 || add(m, p, MS_FT_DIR, NULL, 0, NULL));
    free(p);
    return ok;
}

static uint64_t add(memfs *m, const char *path, enum ms_ftype type,
                    const void *data, size_t len, const memfs_opts *o)
{
    if (!path || path[0] != '/')
        return 0;
    if (strcmp(path, "/") && !ensure_parent(m, path))
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        mentry *e = realloc(m->e, cap * sizeof *e);
        if (!e)
            return 0;
        m->e = e;
        m->cap = cap;
    }
    mentry *e = &m->e[m->n];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    e->parent = strcmp(path, "/") ? parent_of(path) : NULL;
    e->data = len ? malloc(len) : NULL;
    if (!e->path || (strcmp(path, "/") && !e->parent) || (len && !e->data)) {
        free(e->path);
        free(e->parent);
        free(e->data);
        return 0;
    }
    if (len)
        memcpy(e->data, data, len);
    e->len = len;
    e->name = strrchr(e->path, '/') + 1;
    e->type = type;
    if (o)
        e->o = *o;
    if (!e->o.mode)
        e->o.mode = type == MS_FT_DIR ? 0755 : type == MS_FT_LNK ? 0777 : 0644;
    if (!e->o.mtime)
        e->o.mtime = DEFAULT_TIME;
    return ino_of(m->n++);
}

/* ---- ms_fs_ops ---------------------------------------------------------- */

static const char *m_type(const ms_fs *fs) { (void)fs; return "memfs"; }

static ms_err wrap(ms_fs *fs, size_t i, int borrowed, ms_fs_file **out)
{
    ms_fs_file *f = calloc(1, sizeof *f);
    if (!f)
        return MS_ERR_NOMEM;
    f->fs = fs;
    f->impl = (void *)(uintptr_t)(i + 1);
    f->borrowed = borrowed;
    *out = f;
    return MS_OK;
}

static mentry *ent(const ms_fs_file *f)
{
    return &M(f->fs)->e[(uintptr_t)f->impl - 1];
}

static ms_err m_open_path(ms_fs *fs, const char *path, ms_fs_file **out)
{
    long i = find(M(fs), path, 1);
    *out = NULL;
    return i < 0 ? MS_ERR_NOT_FOUND : wrap(fs, (size_t)i, 0, out);
}

static ms_err m_open_inode(ms_fs *fs, uint64_t inode, ms_fs_file **out)
{
    *out = NULL;
    if (inode < 2 || inode - 2 >= M(fs)->n)
        return MS_ERR_NOT_FOUND;
    return wrap(fs, (size_t)(inode - 2), 0, out);
}

static ms_err m_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                         void *user, size_t max_entries)
{
    memfs *m = M(fs);
    long d = find(m, path, 1);
    size_t given = 0;
    m->list_calls++;
    if (d < 0)
        return MS_ERR_NOT_FOUND;
    if (m->e[d].type != MS_FT_DIR)
        return MS_ERR_FORMAT;
    for (size_t i = 0; i < m->n; i++) {
        if (!m->e[i].parent || strcmp(m->e[i].parent, m->e[d].path))
            continue;
        if (given == max_entries)
            return MS_ERR_LIMIT;
        ms_fs_file f = { fs, (void *)(uintptr_t)(i + 1), 1 };
        given++;
        if (cb(user, &f, m->e[i].name, strlen(m->e[i].name)))
            break;
    }
    return MS_OK;
}

static void m_stat(const ms_fs_file *f, ms_fileref *ref)
{
    const mentry *e = ent(f);
    ref->inode = ino_of((size_t)(e - M(f->fs)->e));
    ref->has_inode = 1;
    ref->deleted = e->o.deleted;
    ref->type = e->type;
    ref->mode = e->o.mode & 07777;
    ref->uid = e->o.uid;
    ref->gid = e->o.gid;
    ref->size = e->len;
    for (int t = 0; t < MS_T_COUNT; t++)
        ref->times[t] = (ms_time){ 0, 0, 0 };
    ref->times[MS_T_MTIME] = (ms_time){ 1, e->o.mtime, 0 };
    ref->times[MS_T_ATIME] = (ms_time){ 1, e->o.mtime, 0 };
    ref->times[MS_T_CTIME] = (ms_time){ 1, e->o.mtime, 0 };
    ref->times[MS_T_CRTIME] = (ms_time){ 1, e->o.mtime, 0 };
}

static ssize_t m_read(ms_fs_file *f, uint64_t off, void *buf, size_t len)
{
    const mentry *e = ent(f);
    M(f->fs)->read_calls++;
    if (e->type != MS_FT_REG)
        return -1;
    if (off >= e->len)
        return 0;
    size_t n = e->len - (size_t)off < len ? e->len - (size_t)off : len;
    memcpy(buf, e->data + off, n);
    return (ssize_t)n;
}

static ms_err m_readlink(ms_fs_file *f, char **target)
{
    const mentry *e = ent(f);
    *target = NULL;
    if (e->type != MS_FT_LNK)
        return MS_ERR_FORMAT;
    if (!(*target = strndup((const char *)e->data, e->len)))
        return MS_ERR_NOMEM;
    return MS_OK;
}

static void m_file_close(ms_fs_file *f) { free(f); }

static void m_close(ms_fs *fs)
{
    memfs *m = M(fs);
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].path);
        free(m->e[i].parent);
        free(m->e[i].data);
    }
    free(m->e);
    free(m);
    free(fs);
}

static const ms_fs_ops memfs_ops = {
    .type_name = m_type,
    .open_path = m_open_path,
    .open_inode = m_open_inode,
    .list_dir = m_list_dir,
    .file_stat = m_stat,
    .file_read = m_read,
    .file_readlink = m_readlink,
    .file_close = m_file_close,
    .close = m_close,
};

/* ---- public ------------------------------------------------------------- */

ms_fs *memfs_new(void)
{
    ms_fs *fs = calloc(1, sizeof *fs);
    memfs *m = calloc(1, sizeof *m);
    if (!fs || !m || !add(m, "/", MS_FT_DIR, NULL, 0, NULL)) {
        free(fs);
        if (m) {
            free(m->e);
            free(m);
        }
        return NULL;
    }
    fs->ops = &memfs_ops;
    fs->impl = m;
    return fs;
}

uint64_t memfs_add_file(ms_fs *fs, const char *path, const void *data,
                        size_t len, const memfs_opts *opts)
{
    return add(M(fs), path, MS_FT_REG, data, len, opts);
}

uint64_t memfs_add_text(ms_fs *fs, const char *path, const char *text,
                        const memfs_opts *opts)
{
    return memfs_add_file(fs, path, text, strlen(text), opts);
}

uint64_t memfs_add_dir(ms_fs *fs, const char *path, const memfs_opts *opts)
{
    long i = find(M(fs), path, 1);
    if (i >= 0) {
        if (opts)
            M(fs)->e[i].o = *opts;
        return ino_of((size_t)i);
    }
    return add(M(fs), path, MS_FT_DIR, NULL, 0, opts);
}

uint64_t memfs_add_symlink(ms_fs *fs, const char *path, const char *target)
{
    return add(M(fs), path, MS_FT_LNK, target, strlen(target), NULL);
}

size_t memfs_list_calls(const ms_fs *fs) { return M(fs)->list_calls; }
size_t memfs_read_calls(const ms_fs *fs) { return M(fs)->read_calls; }
