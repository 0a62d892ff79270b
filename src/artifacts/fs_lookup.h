/* fs_lookup.h - path lookups inside an image for the artifact collectors:
 * the bridge between the file-system interface (evidence/fs.h) and the
 * image-confined resolver (pathres.h). */
#ifndef MS_FS_LOOKUP_H
#define MS_FS_LOOKUP_H

#include "artifacts/pathres.h"
#include "evidence/fs.h"

/* ms_lstat_fn over an ms_fs (ctx is the ms_fs *).  Deleted names count as
 * absent: a path only resolves through names the system could still use. */
ms_err ms_fs_lstat(void *ctx, const char *abs_path, ms_ptype *type,
                   char **link_target);

/* Resolve `path` (symlinks followed inside the image) and require a
 * directory.  Returns a malloc'd resolved path or NULL. */
char *ms_fs_resolve_dir(ms_fs *fs, const char *path);

/* Join a directory path and a raw entry name; NULL when the name is not a
 * single usable component (empty, contains '/' or NUL) or on overflow. */
char *ms_path_join(const char *dir, const char *name, size_t name_len);

/* Temp directories where Mumblehard drops its backdoor, and where other
 * droppers hide; the collectors and the verdict rules share this list. */
extern const char *const ms_temp_dirs[];
extern const size_t ms_temp_dirs_count;

/* True if a normalized path lies in one of ms_temp_dirs (as written; the
 * caller also checks the resolved form). */
int ms_path_is_temp(const char *path);

#endif
