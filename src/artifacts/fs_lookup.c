#include "artifacts/fs_lookup.h"

#include <stdlib.h>
#include <string.h>

#include "common/ms_mem.h"

const char *const ms_temp_dirs[] = {
    "/tmp", "/var/tmp", "/dev/shm", "/run/shm", "/usr/tmp",
};
const size_t ms_temp_dirs_count = sizeof ms_temp_dirs / sizeof *ms_temp_dirs;

static ms_ptype map(enum ms_ftype t)
{
    switch (t) {
    case MS_FT_REG: return MS_PT_REG;
    case MS_FT_DIR: return MS_PT_DIR;
    case MS_FT_LNK: return MS_PT_LNK;
    default:        return MS_PT_OTHER;
    }
}

ms_err ms_fs_lstat(void *ctx, const char *abs_path, ms_ptype *type,
                   char **link_target)
{
    ms_fs *fs = ctx;
    ms_fs_file *f = NULL;
    ms_fileref ref = {0};
    ms_err rc = MS_OK;

    *type = MS_PT_NONE;
    if (link_target)
        *link_target = NULL;
    if (ms_fs_open(fs, abs_path, &f) != MS_OK)
        return MS_OK;
    ms_fs_file_stat(f, &ref);
    if (ref.deleted || ref.meta_reused)
        goto _exit;
    *type = map(ref.type);
    if (*type == MS_PT_LNK && link_target) {
        rc = ms_fs_file_readlink(f, link_target);
        if (rc == MS_ERR_FORMAT || rc == MS_ERR_IO) {
            /* An unreadable link leads nowhere; treat as a dead end. */
            *type = MS_PT_NONE;
            rc = MS_OK;
        }
    }
_exit:
    ms_fs_file_close(f);
    return rc;
}

char *ms_fs_resolve_dir(ms_fs *fs, const char *path)
{
    char *res = NULL;
    ms_ptype t = MS_PT_NONE;
    int hops = 0;
    if (ms_path_resolve(ms_fs_lstat, fs, path, "/", &res, &t, &hops) != MS_OK
        || t != MS_PT_DIR) {
        free(res);
        return NULL;
    }
    return res;
}

char *ms_path_join(const char *dir, const char *name, size_t name_len)
{
    if (name_len == 0 || memchr(name, '/', name_len) ||
        memchr(name, '\0', name_len))
        return NULL;
    size_t dl = strlen(dir);
    if (dl + name_len + 2 > MS_PATH_MAX)
        return NULL;
    /* called once per listed name (a million in a flat /tmp): plain
     * copies, no printf */
    if (dl == 1 && dir[0] == '/')
        dl = 0;
    char *p = malloc(dl + name_len + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, name_len);
    p[dl + 1 + name_len] = '\0';
    return p;
}

int ms_path_is_temp(const char *path)
{
    for (size_t i = 0; i < ms_temp_dirs_count; i++)
        if (ms_path_in_dir(path, ms_temp_dirs[i]))
            return 1;
    return 0;
}
