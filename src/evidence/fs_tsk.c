/* fs_tsk.c - the libtsk implementation of the ms_fs interface. */
#include "evidence/fs_tsk.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"
#include "evidence/ext_dir.h"
#include "evidence/ext_recover.h"
#include "evidence/image.h"

/* A symlink target longer than this is not a path any kernel would follow
 * (PATH_MAX); refusing it bounds what we read from a hostile inode. */
#define LINK_MAX_BYTES 4096

typedef struct tsk_fs_state {
    TSK_FS_INFO *fs;
    /* journal recovery context, built on first use (ext3/ext4 only) */
    ms_ext_ctx *ext;
    int         ext_tried;
    char       *ext_why;     /* why there is no context */
} tsk_fs_state;

static TSK_FS_INFO *tfs(const ms_fs *fs)
{
    return ((const tsk_fs_state *)fs->impl)->fs;
}

static TSK_FS_FILE *tfile(const ms_fs_file *f) { return f->impl; }

static const char *tsk_type_name(const ms_fs *fs)
{
    const char *n = tsk_fs_type_toname(tfs(fs)->ftype);
    return n ? n : "unknown";
}

static ms_err wrap_file(ms_fs *fs, TSK_FS_FILE *tf, int borrowed,
                        ms_fs_file **out)
{
    ms_fs_file *f = calloc(1, sizeof *f);
    if (!f)
        return MS_ERR_NOMEM;
    f->fs = fs;
    f->impl = tf;
    f->borrowed = borrowed;
    *out = f;
    return MS_OK;
}

static ms_err tsk_open_path(ms_fs *fs, const char *path, ms_fs_file **out)
{
    tsk_error_reset();
    TSK_FS_FILE *tf = tsk_fs_file_open(tfs(fs), NULL, path);
    if (!tf)
        return MS_ERR_NOT_FOUND;
    ms_err rc = wrap_file(fs, tf, 0, out);
    if (rc)
        tsk_fs_file_close(tf);
    return rc;
}

static ms_err tsk_open_inode(ms_fs *fs, uint64_t inode, ms_fs_file **out)
{
    TSK_FS_INFO *t = tfs(fs);
    if (inode < t->first_inum || inode > t->last_inum)
        return MS_ERR_NOT_FOUND;
    tsk_error_reset();
    TSK_FS_FILE *tf = tsk_fs_file_open_meta(t, NULL, (TSK_INUM_T)inode);
    if (!tf)
        return MS_ERR_NOT_FOUND;
    ms_err rc = wrap_file(fs, tf, 0, out);
    if (rc)
        tsk_fs_file_close(tf);
    return rc;
}

static int is_dot(const char *n, size_t len)
{
    return (len == 1 && n[0] == '.') || (len == 2 && n[0] == '.' && n[1] == '.');
}

/* ext directories are listed by ext_dir.c in linear time (libtsk's own
 * listing is quadratic in the number of names); it is used for every
 * block-based ext directory so that one code path serves small and huge
 * directories alike. */
typedef struct ext_list {
    ms_fs *fs;
    ms_fs_dir_cb cb;
    void *user;
} ext_list;

static int on_ext_entry(void *user, TSK_FS_FILE *tf)
{
    ext_list *l = user;
    ms_fs_file f = { l->fs, tf, 1 };
    /* tf is lent by the listing, which reuses it for the next name */
    return l->cb(l->user, &f, tf->name->name, strlen(tf->name->name));
}

static ms_err tsk_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                           void *user, size_t max_entries)
{
    TSK_FS_INFO *t = tfs(fs);
    tsk_error_reset();
    if (TSK_FS_TYPE_ISEXT(t->ftype)) {
        TSK_FS_FILE *d = tsk_fs_file_open(t, NULL, path);
        if (d && ms_ext_dir_applies(d)) {
            ext_list l = { fs, cb, user };
            ms_err rc = ms_ext_dir_list(d, on_ext_entry, &l, max_entries,
                                        NULL);
            tsk_fs_file_close(d);
            return rc;
        }
        if (d)
            tsk_fs_file_close(d);
        tsk_error_reset();
    }
    TSK_FS_DIR *dir = tsk_fs_dir_open(t, path);
    if (!dir)
        return MS_ERR_NOT_FOUND;
    ms_err rc = MS_OK;
    size_t n = tsk_fs_dir_getsize(dir), delivered = 0;
    for (size_t i = 0; i < n; i++) {
        TSK_FS_FILE *tf = tsk_fs_dir_get(dir, i);
        if (!tf)
            continue;
        if (!tf->name || !tf->name->name ||
            is_dot(tf->name->name, strlen(tf->name->name)) ||
            /* libtsk's virtual directory of orphan inodes, not on disk */
            tf->name->meta_addr == t->last_inum) {
            tsk_fs_file_close(tf);
            continue;
        }
        if (delivered == max_entries) {
            tsk_fs_file_close(tf);
            rc = MS_ERR_LIMIT;
            break;
        }
        ms_fs_file f = { fs, tf, 1 };
        int stop = cb(user, &f, tf->name->name, strlen(tf->name->name));
        tsk_fs_file_close(tf);
        delivered++;
        if (stop)
            break;
    }
    tsk_fs_dir_close(dir);
    return rc;
}

static void set_time(ms_time *t, time_t sec, uint32_t nsec, int zero_is_unset)
{
    if (zero_is_unset && sec == 0 && nsec == 0)
        return;
    t->set = 1;
    t->sec = (int64_t)sec;
    t->nsec = nsec < 1000000000u ? nsec : 0;
}

static enum ms_ftype map_type(TSK_FS_META_TYPE_ENUM t)
{
    switch (t) {
    case TSK_FS_META_TYPE_REG: return MS_FT_REG;
    case TSK_FS_META_TYPE_DIR: return MS_FT_DIR;
    case TSK_FS_META_TYPE_LNK: return MS_FT_LNK;
    case TSK_FS_META_TYPE_UNDEF: return MS_FT_UNKNOWN;
    default: return MS_FT_OTHER;
    }
}

static void tsk_file_stat(const ms_fs_file *f, ms_fileref *ref)
{
    const TSK_FS_FILE *tf = tfile(f);
    const TSK_FS_META *m = tf->meta;
    const TSK_FS_NAME *n = tf->name;

    if (n) {
        ref->deleted = (n->flags & TSK_FS_NAME_FLAG_UNALLOC) != 0;
        ref->inode = n->meta_addr;
        ref->has_inode = 1;
    }
    if (!m)
        return;
    ref->inode = m->addr;
    ref->has_inode = 1;
    if (!n)
        ref->deleted = (m->flags & TSK_FS_META_FLAG_UNALLOC) != 0;
    /* A deleted name whose inode is allocated again describes another
     * file now: its metadata and content must not be attributed. */
    if (ref->deleted && (m->flags & TSK_FS_META_FLAG_ALLOC)) {
        ref->meta_reused = 1;
        return;
    }
    ref->type = map_type(m->type);
    ref->mode = (uint32_t)m->mode & 07777;
    ref->uid = (uint32_t)m->uid;
    ref->gid = (uint32_t)m->gid;
    ref->size = m->size > 0 ? (uint64_t)m->size : 0;
    set_time(&ref->times[MS_T_MTIME], m->mtime, m->mtime_nano, 0);
    set_time(&ref->times[MS_T_ATIME], m->atime, m->atime_nano, 0);
    set_time(&ref->times[MS_T_CTIME], m->ctime, m->ctime_nano, 0);
    set_time(&ref->times[MS_T_CRTIME], m->crtime, m->crtime_nano, 1);
    if (TSK_FS_TYPE_ISEXT(f->fs ? tfs(f->fs)->ftype : 0))
        set_time(&ref->times[MS_T_DTIME], m->time2.ext2.dtime,
                 m->time2.ext2.dtime_nano, 1);
}

static ssize_t tsk_file_read(ms_fs_file *f, uint64_t off, void *buf,
                             size_t len)
{
    TSK_FS_FILE *tf = tfile(f);
    if (!tf->meta || off > (uint64_t)INT64_MAX)
        return -1;
    if (tf->name && (tf->name->flags & TSK_FS_NAME_FLAG_UNALLOC) &&
        (tf->meta->flags & TSK_FS_META_FLAG_ALLOC))
        return -1; /* inode reused: not this file's content */
    if (off >= (uint64_t)tf->meta->size)
        return 0;
    tsk_error_reset();
    return tsk_fs_file_read(tf, (TSK_OFF_T)off, buf, len,
                            TSK_FS_FILE_READ_FLAG_NONE);
}

static ms_err tsk_file_readlink(ms_fs_file *f, char **target)
{
    TSK_FS_FILE *tf = tfile(f);
    *target = NULL;
    if (!tf->meta || tf->meta->type != TSK_FS_META_TYPE_LNK)
        return MS_ERR_FORMAT;
    if (tf->meta->link && tf->meta->link[0]) {
        *target = ms_strndup(tf->meta->link, LINK_MAX_BYTES);
        return *target ? MS_OK : MS_ERR_NOMEM;
    }
    /* Long targets live in data blocks rather than the inode. */
    if (tf->meta->size <= 0 || tf->meta->size > LINK_MAX_BYTES)
        return MS_ERR_FORMAT;
    size_t len = (size_t)tf->meta->size;
    char *buf = malloc(len + 1);
    if (!buf)
        return MS_ERR_NOMEM;
    ssize_t got = tsk_file_read(f, 0, buf, len);
    if (got <= 0) {
        free(buf);
        return MS_ERR_IO;
    }
    buf[got] = '\0';
    *target = buf;
    return MS_OK;
}

static void tsk_file_close(ms_fs_file *f)
{
    tsk_fs_file_close(tfile(f));
    free(f);
}

static ms_err tsk_recover_deleted(ms_fs *fs, uint64_t inode,
                                 uint64_t max_bytes, ms_recovered **out,
                                 char **why)
{
    tsk_fs_state *st = fs->impl;
    if (!st->ext_tried) {
        st->ext_tried = 1;
        ms_err rc = ms_ext_ctx_open(st->fs, &st->ext, &st->ext_why);
        if (rc == MS_ERR_NOMEM)
            return rc;
    }
    if (!st->ext) {
        *why = ms_asprintf("no journal recovery: %s",
                           st->ext_why ? st->ext_why : "unknown reason");
        return MS_ERR_UNSUPPORTED;
    }
    return ms_ext_recover(st->ext, inode, max_bytes, out, why);
}

static ms_err tsk_recover_versions(ms_fs *fs, uint64_t inode,
                                  uint64_t max_bytes, ms_recovered **out,
                                  size_t max_out, size_t *nout)
{
    tsk_fs_state *st = fs->impl;
    *nout = 0;
    if (!st->ext_tried) {
        st->ext_tried = 1;
        if (ms_ext_ctx_open(st->fs, &st->ext, &st->ext_why) == MS_ERR_NOMEM)
            return MS_ERR_NOMEM;
    }
    if (!st->ext)
        return MS_OK;
    return ms_ext_recover_versions(st->ext, inode, max_bytes, out, max_out,
                                   nout);
}

/* Coalesces libtsk's block-by-block walk into runs. */
typedef struct run_walk {
    ms_fs_run_cb cb;
    void *user;
    uint64_t first, n;
    int stopped;
} run_walk;

static TSK_WALK_RET_ENUM on_unalloc_block(const TSK_FS_BLOCK *b, void *ptr)
{
    run_walk *w = ptr;
    uint64_t a = (uint64_t)b->addr;
    if (w->n && w->first + w->n == a) {
        w->n++;
        return TSK_WALK_CONT;
    }
    if (w->n && w->cb(w->user, w->first, w->n)) {
        w->stopped = 1;
        return TSK_WALK_STOP;
    }
    w->first = a;
    w->n = 1;
    return TSK_WALK_CONT;
}

static ms_err tsk_unalloc_runs(ms_fs *fs, ms_fs_run_cb cb, void *user)
{
    TSK_FS_INFO *t = tfs(fs);
    run_walk w = { cb, user, 0, 0, 0 };
    TSK_DADDR_T last = t->last_block_act < t->last_block ? t->last_block_act
                                                         : t->last_block;
    tsk_error_reset();
    /* AONLY: addresses only, content is read in large runs by the caller */
    if (tsk_fs_block_walk(t, t->first_block, last,
                          (TSK_FS_BLOCK_WALK_FLAG_ENUM)
                          (TSK_FS_BLOCK_WALK_FLAG_UNALLOC |
                           TSK_FS_BLOCK_WALK_FLAG_AONLY),
                          on_unalloc_block, &w))
        return MS_ERR_IO;
    if (!w.stopped && w.n)
        cb(user, w.first, w.n);
    return MS_OK;
}

static ssize_t tsk_read_raw(ms_fs *fs, uint64_t off, void *buf, size_t len)
{
    if (off > (uint64_t)INT64_MAX)
        return -1;
    tsk_error_reset();
    return tsk_fs_read(tfs(fs), (TSK_OFF_T)off, buf, len);
}

static void tsk_geometry(ms_fs *fs, ms_fs_geometry *g)
{
    TSK_FS_INFO *t = tfs(fs);
    g->block_size = t->block_size;
    g->image_offset = (uint64_t)t->offset;
    g->block_count = (uint64_t)t->block_count;
}

static uint64_t tsk_block_group(ms_fs *fs, int is_inode, uint64_t n)
{
    tsk_fs_state *st = fs->impl;
    if (!st->ext_tried) {
        st->ext_tried = 1;
        ms_ext_ctx_open(st->fs, &st->ext, &st->ext_why);
    }
    return st->ext ? ms_ext_group_of(st->ext, is_inode, n) : UINT64_MAX;
}

static void tsk_close(ms_fs *fs)
{
    tsk_fs_state *st = fs->impl;
    ms_ext_ctx_free(st->ext);
    free(st->ext_why);
    tsk_fs_close(tfs(fs));
    free(fs->impl);
    free(fs);
}

typedef struct extent_walk {
    ms_fs_extent_cb cb;
    void    *user;
    uint64_t base, bsize;
    uint64_t run_off, run_len;   /* consecutive blocks are one run */
    int      stopped;
} extent_walk;

static int flush_run(extent_walk *w)
{
    if (w->run_len && w->cb(w->user, w->run_off, w->run_len))
        w->stopped = 1;
    w->run_len = 0;
    return w->stopped;
}

static TSK_WALK_RET_ENUM extent_cb(TSK_FS_FILE *f, TSK_OFF_T off,
                                   TSK_DADDR_T addr, char *buf, size_t len,
                                   TSK_FS_BLOCK_FLAG_ENUM flags, void *ptr)
{
    extent_walk *w = ptr;
    (void)f; (void)off; (void)buf; (void)len;
    /* resident data lives in the inode table; sparse blocks nowhere */
    if (flags & (TSK_FS_BLOCK_FLAG_RES | TSK_FS_BLOCK_FLAG_SPARSE))
        return TSK_WALK_CONT;
    uint64_t pos = w->base + (uint64_t)addr * w->bsize;
    if (w->run_len && w->run_off + w->run_len == pos) {
        w->run_len += w->bsize;
        return TSK_WALK_CONT;
    }
    if (flush_run(w))
        return TSK_WALK_STOP;
    w->run_off = pos;
    w->run_len = w->bsize;
    return TSK_WALK_CONT;
}

static ms_err tsk_file_extents(ms_fs_file *f, ms_fs_extent_cb cb, void *user)
{
    TSK_FS_FILE *tf = tfile(f);
    if (!tf->meta || !tf->fs_info)
        return MS_ERR_UNSUPPORTED;
    extent_walk w = { cb, user, (uint64_t)tf->fs_info->offset,
                      tf->fs_info->block_size, 0, 0, 0 };
    tsk_error_reset();
    /* AONLY: block addresses without reading the content */
    if (tsk_fs_file_walk(tf, TSK_FS_FILE_WALK_FLAG_AONLY |
                         TSK_FS_FILE_WALK_FLAG_NOSPARSE, extent_cb, &w))
        return MS_ERR_FORMAT;
    if (!w.stopped)
        flush_run(&w);
    return MS_OK;
}

static const ms_fs_ops tsk_ops = {
    tsk_type_name, tsk_open_path, tsk_open_inode, tsk_list_dir,
    tsk_file_stat, tsk_file_read, tsk_file_readlink, tsk_file_close,
    tsk_close, tsk_recover_deleted, tsk_unalloc_runs, tsk_read_raw,
    tsk_geometry, tsk_block_group, tsk_recover_versions, tsk_file_extents,
};

ms_err ms_fs_tsk_open(TSK_IMG_INFO *img, uint64_t offset, ms_fs **out,
                      char **err_text)
{
    *out = NULL;
    tsk_error_reset();
    TSK_FS_INFO *t = tsk_fs_open_img(img, (TSK_OFF_T)offset,
                                     TSK_FS_TYPE_DETECT);
    if (!t) {
        *err_text = ms_tsk_error("no file system recognised");
        return MS_ERR_FORMAT;
    }
    ms_fs *fs = calloc(1, sizeof *fs);
    tsk_fs_state *st = calloc(1, sizeof *st);
    if (!fs || !st) {
        free(fs);
        free(st);
        tsk_fs_close(t);
        return MS_ERR_NOMEM;
    }
    st->fs = t;
    fs->ops = &tsk_ops;
    fs->impl = st;
    *out = fs;
    return MS_OK;
}
