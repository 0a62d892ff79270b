/* carve.h - YARA over the unallocated blocks of a file system (--carve).
 *
 * A deleted file whose metadata is gone can still lie in free blocks.
 * The carver streams every run of unallocated blocks through the rules in
 * large sequential reads (chunk bytes), carrying `overlap` bytes from one
 * read into the next so a match across the boundary is not lost; memory
 * stays at one chunk plus the overlap whatever the file-system size.
 *
 * Rules written for files test the ELF header at offset 0, so every free
 * block starting with an ELF header is also scanned as a candidate file of
 * up to MS_CARVE_WINDOW bytes.  Each hit becomes a finding of its own
 * (origin MS_ORIGIN_CARVE): hits of one ELF window, or stream hits within
 * MS_CARVE_GROUP_SPAN bytes of the first, are one finding.  Its block,
 * image offset and most likely owner (a deleted inode whose journal-
 * recovered data blocks contain the hit, else the only deleted inode
 * recorded in the same block group) are stated with a certainty. */
#ifndef MS_CARVE_H
#define MS_CARVE_H

#include <stddef.h>
#include "common/ms_model.h"
#include "detection/yarascan.h"
#include "evidence/fs.h"

#define MS_CARVE_CHUNK     (4u << 20)
#define MS_CARVE_OVERLAP   (64u << 10)
#define MS_CARVE_GROUP_SPAN (64u << 10)
#define MS_CARVE_WINDOW     (1u << 20)  /* candidate file after an ELF header */
#define MS_CARVE_MAX_WINDOWS 4096      /* ELF windows per volume */
#define MS_CARVE_MAX_FINDINGS 1000  /* per volume: beyond, say so and stop */

typedef struct ms_carver {
    const ms_rules *rules;
    size_t chunk;          /* 0: MS_CARVE_CHUNK */
    size_t overlap;        /* 0: MS_CARVE_OVERLAP; must be < chunk */
    int    progress;       /* print progress to stderr */
    const char *extract_dir; /* --extract for scripts unpacked from carved
                                packer hits, or NULL */
} ms_carver;

/* Carve volume `volume` (file system `fs`) into scan->files.  Problems
 * (backend cannot list free space, read errors) go to scan->errors; only
 * allocation failure is returned. */
ms_err ms_carve_volume(const ms_carver *cv, ms_fs *fs, ms_scan *scan,
                       int volume);

#endif
