/* memfs.h - an in-memory file system behind the ms_fs interface, for unit
 * tests of everything above the evidence layer (collectors, analysis,
 * verdicts) without mke2fs or an image.
 *
 * A test adds entries by absolute path; parent directories are created
 * as needed.  Deleted names, symlinks, owners, modes and all five times
 * are supported, so the collectors see what a libtsk backend would give
 * them.  Not thread-safe; everything is freed by ms_fs_close(). */
#ifndef MS_TEST_MEMFS_H
#define MS_TEST_MEMFS_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/fs.h"

typedef struct memfs_opts {
    uint32_t mode;          /* permission bits; 0: 0644 files, 0755 dirs */
    uint32_t uid, gid;
    int64_t  mtime;         /* seconds; 0: 2015-01-10T08:00:00Z */
    int      deleted;       /* the name is unallocated */
} memfs_opts;

/* A new, empty file system (only "/"); NULL on allocation failure. */
ms_fs *memfs_new(void);

/* Add a regular file with `len` bytes of content (copied).  opts may be
 * NULL.  Returns the entry's inode number, 0 on failure. */
uint64_t memfs_add_file(ms_fs *fs, const char *path, const void *data,
                        size_t len, const memfs_opts *opts);
/* The same, content given as a C string. */
uint64_t memfs_add_text(ms_fs *fs, const char *path, const char *text,
                        const memfs_opts *opts);
uint64_t memfs_add_dir(ms_fs *fs, const char *path, const memfs_opts *opts);
uint64_t memfs_add_symlink(ms_fs *fs, const char *path, const char *target);

/* How many times the backend listed a directory or read file bytes:
 * lets a test assert that a bound stopped work. */
size_t memfs_list_calls(const ms_fs *fs);
size_t memfs_read_calls(const ms_fs *fs);

#endif
