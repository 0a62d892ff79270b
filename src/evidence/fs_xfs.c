/* fs_xfs.c - the libfsxfs implementation of the ms_fs interface. */
#include "evidence/fs_xfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/ms_mem.h"
#include "evidence/fsxfs_load.h"
#include "evidence/xfs_disk.h"

/* Every libfsxfs/libbfio call goes through the table fsxfs_load.c filled:
 * an ms_fs of this backend only exists once it loaded. */
#define FX(fn) (ms_fsxfs_api_get(NULL)->fn)

/* Same bound as fs_tsk.c: longer targets are no path a kernel follows. */
#define LINK_MAX_BYTES 4096
/* XFS names are at most 255 bytes; libfsxfs returns them as UTF-8. */
#define NAME_MAX_BYTES 1024

/* ---- libbfio handle over the image ----------------------------------- */

/* The byte range [base, base + size) of the image, read through libtsk
 * (and so through libewf, split raw, ...).  Read-only by construction:
 * there is no write path to the evidence. */
typedef struct img_io {
    TSK_IMG_INFO *img;
    uint64_t base;
    uint64_t size;
    uint64_t pos;
    int      is_open;
} img_io;

static int io_free(intptr_t **h, libbfio_error_t **e)
{
    (void)e;
    if (h) {
        free(*h);
        *h = NULL;
    }
    return 1;
}

static int io_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **e)
{
    (void)e;
    if (!dst || *dst || !src)
        return -1;
    img_io *c = malloc(sizeof *c);
    if (!c)
        return -1;
    *c = *(img_io *)src;
    c->is_open = 0;
    c->pos = 0;
    *dst = (intptr_t *)c;
    return 1;
}

static int io_open(intptr_t *h, int flags, libbfio_error_t **e)
{
    (void)e;
    if (flags & (LIBBFIO_ACCESS_FLAG_WRITE | LIBBFIO_ACCESS_FLAG_TRUNCATE))
        return -1; /* evidence is never opened for writing */
    ((img_io *)h)->is_open = 1;
    ((img_io *)h)->pos = 0;
    return 1;
}

static int io_close(intptr_t *h, libbfio_error_t **e)
{
    (void)e;
    ((img_io *)h)->is_open = 0;
    return 0;
}

static ssize_t io_read(intptr_t *h, uint8_t *buf, size_t len,
                       libbfio_error_t **e)
{
    (void)e;
    img_io *io = (img_io *)h;
    if (io->pos >= io->size)
        return 0;
    if (len > io->size - io->pos)
        len = (size_t)(io->size - io->pos);
    if (len > SSIZE_MAX)
        len = SSIZE_MAX;
    ssize_t got = tsk_img_read(io->img, (TSK_OFF_T)(io->base + io->pos),
                               (char *)buf, len);
    if (got < 0)
        return -1;
    io->pos += (uint64_t)got;
    return got;
}

static ssize_t io_write(intptr_t *h, const uint8_t *buf, size_t len,
                        libbfio_error_t **e)
{
    (void)h; (void)buf; (void)len; (void)e;
    return -1;
}

static off64_t io_seek(intptr_t *h, off64_t off, int whence,
                       libbfio_error_t **e)
{
    (void)e;
    img_io *io = (img_io *)h;
    int64_t from;
    switch (whence) {
    case SEEK_SET: from = 0; break;
    case SEEK_CUR: from = (int64_t)io->pos; break;
    case SEEK_END: from = (int64_t)io->size; break;
    default: return -1;
    }
    if ((off > 0 && from > INT64_MAX - off) || from + off < 0)
        return -1;
    io->pos = (uint64_t)(from + off);
    return (off64_t)io->pos;
}

static int io_exists(intptr_t *h, libbfio_error_t **e)
{
    (void)h; (void)e;
    return 1;
}

static int io_is_open(intptr_t *h, libbfio_error_t **e)
{
    (void)e;
    return ((img_io *)h)->is_open;
}

static int io_get_size(intptr_t *h, size64_t *size, libbfio_error_t **e)
{
    (void)e;
    *size = ((img_io *)h)->size;
    return 1;
}

/* ---- backend state --------------------------------------------------- */

typedef struct xfs_state {
    TSK_IMG_INFO       *img;
    uint64_t            offset;
    uint64_t            size;      /* bytes readable from offset */
    ms_xfs_geom         geom;
    libbfio_handle_t   *bfio;
    libfsxfs_volume_t  *volume;
} xfs_state;

typedef struct xfs_file {
    libfsxfs_file_entry_t *entry;
} xfs_file;

static xfs_state *xst(const ms_fs *fs) { return fs->impl; }
static libfsxfs_file_entry_t *xent(const ms_fs_file *f)
{
    return ((const xfs_file *)f->impl)->entry;
}

/* libfsxfs's error as one line (newlines folded); frees the error. */
static char *fsxfs_error(libfsxfs_error_t **err, const char *fallback)
{
    char buf[512] = "";
    if (err && *err) {
        FX(libfsxfs_error_sprint)(*err, buf, sizeof buf);
        FX(libfsxfs_error_free)(err);
    }
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    size_t n = strlen(buf);
    while (n && buf[n - 1] == ' ')
        buf[--n] = '\0';
    return ms_asprintf("%s%s%s", fallback, n ? ": " : "", buf);
}

static void drop_error(libfsxfs_error_t **err)
{
    if (*err)
        FX(libfsxfs_error_free)(err);
}

static const char *xfs_type_name(const ms_fs *fs)
{
    (void)fs;
    return "xfs";
}

static ms_err wrap_entry(ms_fs *fs, libfsxfs_file_entry_t *entry,
                         ms_fs_file **out)
{
    ms_fs_file *f = calloc(1, sizeof *f);
    xfs_file *x = calloc(1, sizeof *x);
    if (!f || !x) {
        free(f);
        free(x);
        FX(libfsxfs_file_entry_free)(&entry, NULL);
        return MS_ERR_NOMEM;
    }
    x->entry = entry;
    f->fs = fs;
    f->impl = x;
    *out = f;
    return MS_OK;
}

static int entry_name(libfsxfs_file_entry_t *e, char *buf, size_t cap,
                      size_t *len);

/* libfsxfs reports zero sub-entries for a file or symlink rather than an
 * error, so the type is checked first. */
static int is_dir(libfsxfs_file_entry_t *e)
{
    libfsxfs_error_t *err = NULL;
    uint16_t mode = 0;
    if (FX(libfsxfs_file_entry_get_file_mode)(e, &mode, &err) != 1) {
        drop_error(&err);
        return 0;
    }
    return (mode & S_IFMT) == S_IFDIR;
}

/* The sub-entry of directory `dir` named name[0..len), or NULL. */
static libfsxfs_file_entry_t *find_child(libfsxfs_file_entry_t *dir,
                                         const char *name, size_t len)
{
    libfsxfs_error_t *err = NULL;
    int n = 0;
    if (!is_dir(dir) ||
        FX(libfsxfs_file_entry_get_number_of_sub_file_entries)(dir, &n,
                                                               &err) != 1) {
        drop_error(&err);
        return NULL; /* not a directory, or unreadable */
    }
    for (int i = 0; i < n; i++) {
        libfsxfs_file_entry_t *sub = NULL;
        char got[NAME_MAX_BYTES];
        size_t glen = 0;
        if (FX(libfsxfs_file_entry_get_sub_file_entry_by_index)(
                dir, i, &sub, &err) != 1 || !sub) {
            drop_error(&err);
            continue;
        }
        if (entry_name(sub, got, sizeof got, &glen) == 0 && glen == len &&
            memcmp(got, name, len) == 0)
            return sub;
        FX(libfsxfs_file_entry_free)(&sub, NULL);
    }
    return NULL;
}

/* Resolve an absolute path one component at a time from the root, never
 * following a symlink (a symlink has no sub-entries to descend into):
 * the lstat semantics fs.h asks for.  libfsxfs's own path lookup
 * (libfsxfs_volume_get_file_entry_by_utf8_path) is not used: in 20201117
 * its error path frees a directory entry twice when a directory or inode
 * on the way is damaged, which aborts the process on a hostile image. */
static ms_err lookup(ms_fs *fs, const char *path,
                     libfsxfs_file_entry_t **entry)
{
    libfsxfs_error_t *err = NULL;
    libfsxfs_file_entry_t *cur = NULL;
    *entry = NULL;
    if (!path || path[0] != '/')
        return MS_ERR_ARG;
    if (FX(libfsxfs_volume_get_root_directory)(xst(fs)->volume, &cur,
                                               &err) != 1 || !cur) {
        drop_error(&err);
        return MS_ERR_NOT_FOUND;
    }
    const char *p = path;
    while (*p) {
        p += strspn(p, "/");
        size_t len = strcspn(p, "/");
        if (len == 0 || (len == 1 && p[0] == '.')) {
            p += len;
            continue;
        }
        libfsxfs_file_entry_t *next =
            len == 2 && p[0] == '.' && p[1] == '.' ? NULL
                                                   : find_child(cur, p, len);
        FX(libfsxfs_file_entry_free)(&cur, NULL);
        if (!next)
            return MS_ERR_NOT_FOUND; /* ".." is resolved by pathres.h */
        cur = next;
        p += len;
    }
    *entry = cur;
    return MS_OK;
}

static ms_err xfs_open_path(ms_fs *fs, const char *path, ms_fs_file **out)
{
    libfsxfs_file_entry_t *entry;
    ms_err rc = lookup(fs, path, &entry);
    return rc ? rc : wrap_entry(fs, entry, out);
}

static ms_err xfs_open_inode(ms_fs *fs, uint64_t inode, ms_fs_file **out)
{
    uint64_t off;
    libfsxfs_error_t *err = NULL;
    libfsxfs_file_entry_t *entry = NULL;
    /* Refuse numbers outside the geometry before libfsxfs computes with
     * them: inode numbers come from hostile directory entries. */
    if (ms_xfs_inode_offset(&xst(fs)->geom, inode, &off) ||
        off >= xst(fs)->size)
        return MS_ERR_NOT_FOUND;
    if (FX(libfsxfs_volume_get_file_entry_by_inode)(xst(fs)->volume, inode,
                                                &entry, &err) != 1 || !entry) {
        drop_error(&err);
        return MS_ERR_NOT_FOUND;
    }
    return wrap_entry(fs, entry, out);
}

static int is_dot(const char *n, size_t len)
{
    return (len == 1 && n[0] == '.') ||
           (len == 2 && n[0] == '.' && n[1] == '.');
}

/* The entry's name as libfsxfs decodes it (UTF-8, NUL-terminated). */
static int entry_name(libfsxfs_file_entry_t *e, char *buf, size_t cap,
                      size_t *len)
{
    libfsxfs_error_t *err = NULL;
    size_t need = 0;
    if (FX(libfsxfs_file_entry_get_utf8_name_size)(e, &need, &err) != 1 ||
        need == 0 || need > cap ||
        FX(libfsxfs_file_entry_get_utf8_name)(e, (uint8_t *)buf, need,
                                              &err) != 1) {
        drop_error(&err);
        return -1;
    }
    buf[need - 1] = '\0';
    *len = strlen(buf);
    return 0;
}

/* libfsxfs cannot return a name that is not valid UTF-8 (one 0xff byte
 * is enough), and skipping the entry would hide the file from the scan:
 * it is delivered under a marked stand-in instead, and the upper layers
 * reach its content by inode number. */
static int undecodable_name(libfsxfs_file_entry_t *e, char *buf, size_t cap,
                            size_t *len)
{
    libfsxfs_error_t *err = NULL;
    uint64_t ino = 0;
    if (FX(libfsxfs_file_entry_get_inode_number)(e, &ino, &err) != 1) {
        drop_error(&err);
        return -1;
    }
    int n = snprintf(buf, cap, "[undecodable name, inode %llu]",
                     (unsigned long long)ino);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    *len = (size_t)n;
    return 0;
}

static ms_err xfs_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                           void *user, size_t max_entries)
{
    libfsxfs_file_entry_t *dir;
    libfsxfs_error_t *err = NULL;
    int n = 0;
    size_t delivered = 0;
    ms_err rc = lookup(fs, path, &dir);
    if (rc)
        return rc;
    if (!is_dir(dir) ||
        FX(libfsxfs_file_entry_get_number_of_sub_file_entries)(dir, &n,
                                                               &err) != 1) {
        drop_error(&err);
        FX(libfsxfs_file_entry_free)(&dir, NULL);
        return MS_ERR_NOT_FOUND; /* not a directory, or unreadable */
    }
    for (int i = 0; i < n; i++) {
        libfsxfs_file_entry_t *sub = NULL;
        char name[NAME_MAX_BYTES];
        size_t len = 0;
        if (FX(libfsxfs_file_entry_get_sub_file_entry_by_index)(
                dir, i, &sub, &err) != 1 || !sub) {
            drop_error(&err);
            continue; /* damaged entry: the rest may still be readable */
        }
        if (entry_name(sub, name, sizeof name, &len) &&
            undecodable_name(sub, name, sizeof name, &len)) {
            FX(libfsxfs_file_entry_free)(&sub, NULL);
            continue;
        }
        if (is_dot(name, len)) {
            FX(libfsxfs_file_entry_free)(&sub, NULL);
            continue;
        }
        if (delivered == max_entries) {
            FX(libfsxfs_file_entry_free)(&sub, NULL);
            rc = MS_ERR_LIMIT;
            break;
        }
        xfs_file x = { sub };
        ms_fs_file f = { fs, &x, 1 };
        int stop = cb(user, &f, name, len);
        FX(libfsxfs_file_entry_free)(&sub, NULL);
        delivered++;
        if (stop)
            break;
    }
    FX(libfsxfs_file_entry_free)(&dir, NULL);
    return rc;
}

static enum ms_ftype map_type(uint16_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return MS_FT_REG;
    case S_IFDIR: return MS_FT_DIR;
    case S_IFLNK: return MS_FT_LNK;
    case 0: return MS_FT_UNKNOWN;
    default: return MS_FT_OTHER;
    }
}

/* libfsxfs's times (nanoseconds since 1970): right for legacy inodes,
 * used only when the inode core cannot be read from disk. */
static void set_ns(ms_time *t, int64_t ns)
{
    int64_t sec = ns / 1000000000, rem = ns % 1000000000;
    if (rem < 0) {
        rem += 1000000000;
        sec--;
    }
    t->set = 1;
    t->sec = sec;
    t->nsec = (uint32_t)rem;
}

static void fallback_times(libfsxfs_file_entry_t *e, ms_fileref *ref)
{
    libfsxfs_error_t *err = NULL;
    int64_t ns;
    if (FX(libfsxfs_file_entry_get_modification_time)(e, &ns, &err) == 1)
        set_ns(&ref->times[MS_T_MTIME], ns);
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_access_time)(e, &ns, &err) == 1)
        set_ns(&ref->times[MS_T_ATIME], ns);
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_inode_change_time)(e, &ns, &err) == 1)
        set_ns(&ref->times[MS_T_CTIME], ns);
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_creation_time)(e, &ns, &err) == 1)
        set_ns(&ref->times[MS_T_CRTIME], ns);
    drop_error(&err);
}

/* Times straight from the inode core on disk (see xfs_disk.h). */
static ms_err disk_times(const xfs_state *st, uint64_t ino, ms_fileref *ref)
{
    uint8_t core[MS_XFS_DINODE_V3_SIZE];
    uint64_t off;
    if (ms_xfs_inode_offset(&st->geom, ino, &off) ||
        off > st->size || st->size - off < sizeof core)
        return MS_ERR_NOT_FOUND;
    ssize_t got = tsk_img_read(st->img, (TSK_OFF_T)(st->offset + off),
                               (char *)core, sizeof core);
    if (got != (ssize_t)sizeof core)
        return MS_ERR_IO;
    ms_time t[MS_T_COUNT] = {{0}};
    ms_err rc = ms_xfs_decode_inode_times(core, sizeof core, ino, t);
    if (rc)
        return rc;
    for (int k = 0; k < MS_T_COUNT; k++)
        if (t[k].set)
            ref->times[k] = t[k];
    return MS_OK;
}

static void xfs_file_stat(const ms_fs_file *f, ms_fileref *ref)
{
    libfsxfs_file_entry_t *e = xent(f);
    const xfs_state *st = xst(f->fs);
    libfsxfs_error_t *err = NULL;
    uint64_t ino = 0;
    uint16_t mode = 0;
    uint32_t uid = 0, gid = 0;
    size64_t size = 0;

    ref->deleted = 0; /* libfsxfs only reaches allocated names */
    if (FX(libfsxfs_file_entry_get_inode_number)(e, &ino, &err) == 1) {
        ref->inode = ino;
        ref->has_inode = 1;
    }
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_file_mode)(e, &mode, &err) == 1) {
        ref->type = map_type(mode);
        ref->mode = mode & 07777;
    }
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_owner_identifier)(e, &uid, &err) == 1)
        ref->uid = uid;
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_group_identifier)(e, &gid, &err) == 1)
        ref->gid = gid;
    drop_error(&err);
    if (FX(libfsxfs_file_entry_get_size)(e, &size, &err) == 1)
        ref->size = size;
    drop_error(&err);

    if (ref->has_inode && disk_times(st, ino, ref) == MS_OK)
        return;
    /* On a bigtime file system libfsxfs's times may be decades off: a
     * timeline without them beats one with wrong dates. */
    if (!st->geom.bigtime)
        fallback_times(e, ref);
}

static ssize_t xfs_file_read(ms_fs_file *f, uint64_t off, void *buf,
                             size_t len)
{
    libfsxfs_file_entry_t *e = xent(f);
    libfsxfs_error_t *err = NULL;
    size64_t size = 0;
    if (FX(libfsxfs_file_entry_get_size)(e, &size, &err) != 1) {
        drop_error(&err);
        return -1;
    }
    if (off >= size)
        return 0;
    if (off > (uint64_t)INT64_MAX)
        return -1;
    if (len > size - off)
        len = (size_t)(size - off);
    if (len > SSIZE_MAX)
        len = SSIZE_MAX;
    ssize_t got = FX(libfsxfs_file_entry_read_buffer_at_offset)(
        e, buf, len, (off64_t)off, &err);
    drop_error(&err);
    return got;
}

static ms_err xfs_file_readlink(ms_fs_file *f, char **target)
{
    libfsxfs_file_entry_t *e = xent(f);
    libfsxfs_error_t *err = NULL;
    size_t need = 0;
    uint16_t mode = 0;
    *target = NULL;
    if (FX(libfsxfs_file_entry_get_file_mode)(e, &mode, &err) != 1 ||
        (mode & S_IFMT) != S_IFLNK) {
        drop_error(&err);
        return MS_ERR_FORMAT;
    }
    int r = FX(libfsxfs_file_entry_get_utf8_symbolic_link_target_size)(
        e, &need, &err);
    if (r != 1 || need < 2 || need > LINK_MAX_BYTES + 1) {
        drop_error(&err);
        return MS_ERR_FORMAT;
    }
    char *buf = malloc(need);
    if (!buf)
        return MS_ERR_NOMEM;
    if (FX(libfsxfs_file_entry_get_utf8_symbolic_link_target)(
            e, (uint8_t *)buf, need, &err) != 1) {
        drop_error(&err);
        free(buf);
        return MS_ERR_IO;
    }
    buf[need - 1] = '\0';
    *target = buf;
    return MS_OK;
}

static void xfs_file_close(ms_fs_file *f)
{
    xfs_file *x = f->impl;
    FX(libfsxfs_file_entry_free)(&x->entry, NULL);
    free(x);
    free(f);
}

static void state_free(xfs_state *st)
{
    if (!st)
        return;
    if (st->volume) {
        FX(libfsxfs_volume_close)(st->volume, NULL);
        FX(libfsxfs_volume_free)(&st->volume, NULL);
    }
    if (st->bfio)
        FX(libbfio_handle_free)(&st->bfio, NULL);
    free(st);
}

static void xfs_close(ms_fs *fs)
{
    state_free(fs->impl);
    free(fs);
}

/* No journal recovery or carving on XFS: libfsxfs exposes neither the
 * log nor the free-space maps, so those optional ops stay NULL. */
static const ms_fs_ops xfs_ops = {
    .type_name = xfs_type_name,
    .open_path = xfs_open_path,
    .open_inode = xfs_open_inode,
    .list_dir = xfs_list_dir,
    .file_stat = xfs_file_stat,
    .file_read = xfs_file_read,
    .file_readlink = xfs_file_readlink,
    .file_close = xfs_file_close,
    .close = xfs_close,
};

ms_err ms_fs_xfs_open(TSK_IMG_INFO *img, uint64_t offset, ms_fs **out,
                      char **err_text)
{
    uint8_t sb[512];
    libfsxfs_error_t *err = NULL;
    xfs_state *st = NULL;
    ms_fs *fs = NULL;
    img_io *io = NULL;
    ms_err rc = MS_ERR_FORMAT;

    *out = NULL;
    *err_text = NULL;
    if (img->size < 0 || offset >= (uint64_t)img->size ||
        tsk_img_read(img, (TSK_OFF_T)offset, (char *)sb, sizeof sb) !=
            (ssize_t)sizeof sb) {
        *err_text = ms_strdup("no XFS superblock (image too short)");
        return MS_ERR_FORMAT;
    }
    st = calloc(1, sizeof *st);
    if (!st)
        return MS_ERR_NOMEM;
    if (memcmp(sb, "XFSB", 4)) {
        *err_text = ms_strdup("no XFS superblock");
        goto _exit;
    }
    const char *why = NULL;
    if (!ms_fsxfs_api_get(&why)) {
        *err_text = ms_asprintf("XFS file system, but XFS support is "
                                "unavailable: %s", why);
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    if (ms_xfs_parse_sb(sb, sizeof sb, &st->geom)) {
        *err_text = ms_strdup("XFS superblock with impossible geometry");
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    st->img = img;
    st->offset = offset;
    st->size = (uint64_t)img->size - offset;

    rc = MS_ERR_NOMEM;
    io = calloc(1, sizeof *io);
    if (!io)
        goto _exit;
    io->img = img;
    io->base = offset;
    io->size = st->size;
    /* MANAGED: once initialised, the handle owns `io` and frees it. */
    if (FX(libbfio_handle_initialize)(
            &st->bfio, (intptr_t *)io, io_free, io_clone, io_open, io_close,
            io_read, io_write, io_seek, io_exists, io_is_open, io_get_size,
            LIBBFIO_FLAG_IO_HANDLE_MANAGED, NULL) != 1) {
        free(io);
        goto _exit;
    }
    if (FX(libfsxfs_volume_initialize)(&st->volume, &err) != 1) {
        drop_error(&err);
        goto _exit;
    }
    if (FX(libfsxfs_volume_open_file_io_handle)(
            st->volume, st->bfio, LIBFSXFS_OPEN_READ, &err) != 1) {
        *err_text = fsxfs_error(&err, "libfsxfs cannot open the XFS "
                                      "file system");
        FX(libfsxfs_volume_free)(&st->volume, NULL);
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    /* A file system whose root directory cannot be read would be walked
     * as empty and come out clean: report it as not examined instead. */
    libfsxfs_file_entry_t *root = NULL;
    int nroot = 0;
    int root_ok =
        FX(libfsxfs_volume_get_root_directory)(st->volume, &root, &err) == 1 &&
        root && FX(libfsxfs_file_entry_get_number_of_sub_file_entries)(
                    root, &nroot, &err) == 1;
    if (root)
        FX(libfsxfs_file_entry_free)(&root, NULL);
    if (!root_ok) {
        *err_text = fsxfs_error(&err, "XFS root directory unreadable");
        rc = MS_ERR_UNSUPPORTED;
        goto _exit;
    }
    fs = calloc(1, sizeof *fs);
    if (!fs)
        goto _exit;
    fs->ops = &xfs_ops;
    fs->impl = st;
    *out = fs;
    return MS_OK;

_exit:
    state_free(st);
    return rc;
}
