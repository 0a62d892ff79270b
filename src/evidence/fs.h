/* fs.h - the one file-system interface the upper layers read through.
 *
 * Artifact, detection and report code never see libtsk: they open paths,
 * list directories (deleted names included), stat, read content and read
 * symlinks through these calls.  A backend (fs_tsk.c today) fills the ops
 * table, so another library can serve file systems libtsk cannot open
 * without touching the layers above.
 *
 * Paths are absolute inside the file system and taken literally: no
 * symlink is followed here (artifacts/pathres.h does resolution). */
#ifndef MS_FS_H
#define MS_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "common/ms_error.h"
#include "common/ms_model.h"

typedef struct ms_fs ms_fs;
typedef struct ms_fs_file ms_fs_file;

/* Content of a deleted file recovered from older metadata (the ext3/ext4
 * journal), with where it came from. */
typedef struct ms_recovered {
    uint8_t *data;          /* the content, `len` bytes */
    size_t   len;
    uint32_t seq;           /* journal transaction of the inode copy */
    uint32_t jblock;        /* journal block holding that copy */
    char    *provenance;    /* method and blocks in words */
    uint64_t block_lo, block_hi; /* lowest/highest data block used */
    enum ms_certainty certainty;
    /* how it was recovered; a backend that leaves it NONE recovers
     * from the journal (the only method before this field) */
    enum ms_recovery_method method;
} ms_recovered;

/* Called once per directory entry ("." and ".." are skipped).  `f` is
 * borrowed for the duration of the call; name/name_len are raw bytes from
 * the image.  Return non-zero to stop the listing early. */
typedef int (*ms_fs_dir_cb)(void *user, ms_fs_file *f,
                            const char *name, size_t name_len);

/* Geometry for carving: block size, where the file system starts in the
 * image, how many blocks it has. */
typedef struct ms_fs_geometry {
    uint32_t block_size;
    uint64_t image_offset;
    uint64_t block_count;
} ms_fs_geometry;

/* One run of unallocated blocks; return non-zero to stop the walk. */
typedef int (*ms_fs_run_cb)(void *user, uint64_t first_block,
                            uint64_t nblocks);

/* One run of a file's content in the image; non-zero stops the walk. */
typedef int (*ms_fs_extent_cb)(void *user, uint64_t image_off, uint64_t len);

typedef struct ms_fs_ops {
    const char *(*type_name)(const ms_fs *fs);
    ms_err  (*open_path)(ms_fs *fs, const char *path, ms_fs_file **out);
    ms_err  (*open_inode)(ms_fs *fs, uint64_t inode, ms_fs_file **out);
    ms_err  (*list_dir)(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                        void *user, size_t max_entries);
    void    (*file_stat)(const ms_fs_file *f, ms_fileref *ref);
    ssize_t (*file_read)(ms_fs_file *f, uint64_t off, void *buf, size_t len);
    ms_err  (*file_readlink)(ms_fs_file *f, char **target);
    void    (*file_close)(ms_fs_file *f);
    void    (*close)(ms_fs *fs);
    /* Optional (NULL when the backend cannot): recover the content of the
     * deleted inode from older copies of its metadata.  MS_ERR_NOT_FOUND
     * with *why set (malloc'd, may be NULL) when nothing usable exists. */
    ms_err  (*recover_deleted)(ms_fs *fs, uint64_t inode, uint64_t max_bytes,
                               ms_recovered **out, char **why);
    /* Optional, for --carve: runs of unallocated blocks in block order,
     * raw reads at a byte offset inside the file system, geometry, and
     * the block group of an inode (is_inode) or block (UINT64_MAX when
     * the file system has no groups). */
    ms_err  (*unalloc_runs)(ms_fs *fs, ms_fs_run_cb cb, void *user);
    ssize_t (*read_raw)(ms_fs *fs, uint64_t off, void *buf, size_t len);
    void    (*geometry)(ms_fs *fs, ms_fs_geometry *g);
    uint64_t (*block_group)(ms_fs *fs, int is_inode, uint64_t n);
    /* Optional: older versions of a live file's content (see
     * ms_fs_recover_versions). */
    ms_err  (*recover_versions)(ms_fs *fs, uint64_t inode, uint64_t max_bytes,
                                ms_recovered **out, size_t max_out,
                                size_t *nout);
    /* Optional: the byte ranges of the file's allocated content
     * in the image the file system was opened on (resident data and
     * sparse holes are left out); cb returns non-zero to stop. */
    ms_err  (*file_extents)(ms_fs_file *f, ms_fs_extent_cb cb, void *user);
} ms_fs_ops;

struct ms_fs {
    const ms_fs_ops *ops;
    void *impl;              /* backend state */
};

struct ms_fs_file {
    ms_fs *fs;
    void  *impl;             /* backend handle */
    int    borrowed;         /* owned by a directory listing: not closed */
};

const char *ms_fs_type(const ms_fs *fs);

/* Open a path without following a final symlink (lstat semantics).
 * MS_ERR_NOT_FOUND if it does not exist.  Caller closes *out. */
ms_err ms_fs_open(ms_fs *fs, const char *path, ms_fs_file **out);

/* Open by inode number: the way back to a deleted name's metadata, which
 * a path lookup cannot reach.  Caller closes *out. */
ms_err ms_fs_open_inode(ms_fs *fs, uint64_t inode, ms_fs_file **out);

/* List a directory; MS_ERR_LIMIT once max_entries were delivered. */
ms_err ms_fs_list_dir(ms_fs *fs, const char *path, ms_fs_dir_cb cb,
                      void *user, size_t max_entries);

/* Fill inode, type, mode, owner, size, times and deleted flags of `ref`
 * (path and volume are left to the caller). */
void ms_fs_file_stat(const ms_fs_file *f, ms_fileref *ref);

/* Read up to len bytes at off; returns bytes read (0 at end) or -1. */
ssize_t ms_fs_file_read(ms_fs_file *f, uint64_t off, void *buf, size_t len);

/* Target of a symlink, malloc'd (caller frees); MS_ERR_FORMAT otherwise. */
ms_err ms_fs_file_readlink(ms_fs_file *f, char **target);

void ms_fs_file_close(ms_fs_file *f);

/* Recover a deleted inode's content (see ms_fs_ops.recover_deleted);
 * MS_ERR_UNSUPPORTED when the backend has no way to. */
ms_err ms_fs_recover_deleted(ms_fs *fs, uint64_t inode, uint64_t max_bytes,
                             ms_recovered **out, char **why);
void ms_recovered_free(ms_recovered *r);

/* Older versions of a live file recovered from older metadata (copies of
 * its inode pointing at blocks that are free now), newest first, at most
 * max_out; *nout = 0 when the backend cannot or finds none. */
ms_err ms_fs_recover_versions(ms_fs *fs, uint64_t inode, uint64_t max_bytes,
                              ms_recovered **out, size_t max_out,
                              size_t *nout);
/* The file's content extents (see ms_fs_ops.file_extents);
 * MS_ERR_UNSUPPORTED when the backend cannot say. */
ms_err ms_fs_file_extents(ms_fs_file *f, ms_fs_extent_cb cb, void *user);

void ms_fs_close(ms_fs *fs);

#endif
