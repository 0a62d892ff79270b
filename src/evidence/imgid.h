/* imgid.h - who a piece of evidence is, before it is scanned.
 *
 * Two cheap digests, both read-only:
 *
 * - The file identity names a result directory: SHA-256 over, for each
 *   file given, its canonical path, size, modification time (ns) and the
 *   SHA-256 of its first and last MiB.  Reads at most 2 MiB per file.
 *   Two snapshots that are both called disk.raw differ in path, size,
 *   mtime or head/tail, so they get different names; the same file at
 *   the same place, unchanged, gets the same name (resume).
 *
 * - The media sample fingerprint finds candidate duplicates: SHA-256 over
 *   the media size and 66 regions of the media stream as libtsk presents
 *   it (first and last MiB, 64 regions of 64 KiB evenly spaced).  Equal
 *   samples only make a duplicate candidate; ms_imgid_media_sha256()
 *   (a full pass) confirms it. */
#ifndef MS_IMGID_H
#define MS_IMGID_H

#include <stddef.h>
#include <stdint.h>

#include "common/ms_error.h"

#define MS_IMGID_VERSION 1

typedef struct ms_imgid_file {
    char     *path;          /* canonical (realpath) */
    uint64_t  size;
    int64_t   mtime_ns;
    char      head_sha256[65];
    char      tail_sha256[65];
} ms_imgid_file;

typedef struct ms_imgid {
    char           id[65];   /* file identity, lowercase hex */
    ms_imgid_file *files;
    size_t         nfiles;
} ms_imgid;

/* File identity of the paths given (as for ms_image_open). */
ms_err ms_imgid_files(const char *const *paths, size_t n, ms_imgid *out,
                      char **err_text);
void   ms_imgid_clear(ms_imgid *id);

/* Media sample fingerprint; *media_size gets the media size. */
ms_err ms_imgid_media_sample(const char *const *paths, size_t n,
                             const char *type_name, char hex[65],
                             uint64_t *media_size, char **err_text);

/* SHA-256 of the whole media stream (one sequential pass). */
ms_err ms_imgid_media_sha256(const char *const *paths, size_t n,
                             const char *type_name, char hex[65],
                             char **err_text);

#endif
