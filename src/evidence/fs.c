/* fs.c - dispatch of the file-system interface to its backend. */
#include "evidence/fs.h"

#include <stdlib.h>

const char *ms_fs_type(const ms_fs *fs) { return fs->ops->type_name(fs); }

ms_err ms_fs_open(ms_fs *fs, const char *path, ms_fs_file **out)
{
    return fs->ops->open_path(fs, path, out);
}

ms_err ms_fs_open_inode(ms_fs *fs, uint64_t inode, ms_fs_file **out)
{
    return fs->ops->open_inode(fs, inode, out);
}

ms_err ms_fs_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                      void *user, size_t max_entries)
{
    return fs->ops->list_dir(fs, path, cb, user, max_entries);
}

void ms_fs_file_stat(const ms_fs_file *f, ms_fileref *ref)
{
    f->fs->ops->file_stat(f, ref);
}

ssize_t ms_fs_file_read(ms_fs_file *f, uint64_t off, void *buf, size_t len)
{
    return f->fs->ops->file_read(f, off, buf, len);
}

ms_err ms_fs_file_readlink(ms_fs_file *f, char **target)
{
    return f->fs->ops->file_readlink(f, target);
}

void ms_fs_file_close(ms_fs_file *f)
{
    if (f && !f->borrowed)
        f->fs->ops->file_close(f);
}

void ms_fs_close(ms_fs *fs)
{
    if (fs)
        fs->ops->close(fs);
}

ms_err ms_fs_recover_deleted(ms_fs *fs, uint64_t inode, uint64_t max_bytes,
                             ms_recovered **out, char **why)
{
    *out = NULL;
    *why = NULL;
    if (!fs->ops->recover_deleted)
        return MS_ERR_UNSUPPORTED;
    return fs->ops->recover_deleted(fs, inode, max_bytes, out, why);
}

void ms_recovered_free(ms_recovered *r)
{
    if (!r)
        return;
    free(r->data);
    free(r->provenance);
    free(r);
}

ms_err ms_fs_recover_versions(ms_fs *fs, uint64_t inode, uint64_t max_bytes,
                              ms_recovered **out, size_t max_out,
                              size_t *nout)
{
    *nout = 0;
    if (!fs->ops->recover_versions)
        return MS_OK;
    return fs->ops->recover_versions(fs, inode, max_bytes, out, max_out, nout);
}

ms_err ms_fs_file_extents(ms_fs_file *f, ms_fs_extent_cb cb, void *user)
{
    if (!f->fs->ops->file_extents)
        return MS_ERR_UNSUPPORTED;
    return f->fs->ops->file_extents(f, cb, user);
}
